#!/bin/sh
# Run the month for cron: validate, build the pack, write open responses, email a draft.
#   scripts/monthly.sh "/path/to/Inspection register.xlsx" [gain-pack monthly options]
# Uses the gain-pack installed in this checkout's .venv if there is one, else the one on PATH.
# The exit code is gain-pack's: 0 done, 1 the register has errors or delivery failed,
# 2 a file or setting problem. Each run appends a line to gain-pack.log beside the register.
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -x "$here/.venv/bin/gain-pack" ]; then exe="$here/.venv/bin/gain-pack"; else exe=gain-pack; fi
exec "$exe" monthly "$@"
