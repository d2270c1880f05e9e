"""The sheets merge keeps in a register when it applies replies: what changed, and the new
due dates asked for.

Both are append-only: merge adds rows at the bottom and never rewrites one already
there, so the history of updates is kept, not overwritten. The reader knows them by
their names and headers (never as a register table), and the pack reads them back.
"""

from __future__ import annotations

import re

from gain_workbook.model.schema import norm_key

UPDATES_SHEET = "Updates"
UPDATES_HEADERS = ("Date", "Action ID", "Field", "Old value", "New value", "From", "File",
                   "Request")
EXTENSIONS_SHEET = "Extension requests"
EXTENSION_HEADERS = ("Date asked", "Action ID", "Current due", "Requested due", "Reason",
                     "From", "File", "Request", "Board decision")
SHEETS = {UPDATES_SHEET: UPDATES_HEADERS, EXTENSIONS_SHEET: EXTENSION_HEADERS}
# The Field of an Updates row that records a reply which changed nothing.
REPLY_FIELD = "Reply"
# What the backup a command that rewrites the register (merge, add-report) keeps beside it
# has in its name: 'Inspection register (before merge 2026-12-09 101500).xlsx', numbered
# when that name is taken: '... (before merge 2026-12-09 101500) (2).xlsx'.
_BACKUP = re.compile(r" \(before [a-z][a-z-]* \d{4}-\d{2}-\d{2} \d{6}\)( \(\d+\))?")
MAX_BACKUPS = 999          # numbered names tried for one second's backup


def backup_name(register, now, command: str = "merge", number: int = 1) -> str:
    """The file name of the register's backup taken at ``now`` (a datetime) by
    ``command`` ('merge', 'add-report'); ``number`` 2 and on when the first is taken."""
    from pathlib import Path

    register = Path(register)
    extra = f" ({number})" if number > 1 else ""
    return f"{register.stem} (before {command} {now:%Y-%m-%d %H%M%S}){extra}{register.suffix}"


def backup_paths(register, now, command: str = "merge"):
    """The paths the register's backup may take, in the order to try them: its name,
    then the numbered ones (a backup never replaces a file, not even an older backup)."""
    from pathlib import Path

    register = Path(register)
    for number in range(1, MAX_BACKUPS + 1):
        yield register.with_name(backup_name(register, now, command, number))


def is_backup(name: str) -> bool:
    """Is this file name one of our backups (not a register to use)?"""
    return bool(_BACKUP.search(str(name)))


def history_kind(name: str, grid) -> str | None:
    """UPDATES_SHEET or EXTENSIONS_SHEET when a sheet is one of ours (its name, and its
    first row our headers), else None: an office's own 'Updates' sheet stays theirs."""
    for sheet, headers in SHEETS.items():
        if norm_key(name) == norm_key(sheet) and grid:
            first = [norm_key(v) for v in grid[0][:len(headers)] if isinstance(v, str)]
            if first == [norm_key(h) for h in headers]:
                return sheet
    return None


def read_history(grid, headers) -> list[dict]:
    """The rows below the header, each {header: value, 'row': Excel row}; blank rows skipped."""
    out = []
    for r, row in enumerate(grid[1:], start=2):
        values = dict(zip(headers, list(row) + [""] * (len(headers) - len(row))))
        if any(v not in ("", None) for v in values.values()):
            out.append({**values, "row": r})
    return out
