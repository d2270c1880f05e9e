"""The sheets merge keeps in a register when it applies replies: what changed, and the new
due dates asked for.

Both are append-only: merge adds rows at the bottom and never rewrites one already
there, so the history of updates is kept, not overwritten. The reader knows them by
their names and headers (never as a register table), and the pack reads them back.

The board's decisions (``decisions --apply``) go on the same sheets: each decision is an
Updates row whose Field is DECISION_FIELD, dated the meeting, from the board, and each
change it makes an ordinary Updates row beside it, all with the decision's reference
(``decision_ref``) as their Request; a new due date decided is the request's row again,
at the bottom of Extension requests, with its Board decision filled in.
"""

from __future__ import annotations

import datetime as dt
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
# The Field of an Updates row that records a decision of the board (New value: the
# decision, with its note; Old value: what the board was asked).
DECISION_FIELD = "Board decision"
DECISION_WORDS = ("Agreed", "Not agreed", "Deferred")
_DECISION_REF = "board "


def decision_day(ref: str):
    """The meeting's date in a decision ref (decision_ref), or None."""
    if not ref.startswith(_DECISION_REF):
        return None
    try:
        return dt.date.fromisoformat(ref[len(_DECISION_REF):len(_DECISION_REF) + 10])
    except ValueError:
        return None


def decision_ref(meeting, key: str) -> str:
    """The Request of the Updates rows one decision writes: 'board 2026-12-03: sign-off
    INS-1-R2' (the meeting, and which row of the For decision sheet)."""
    return f"{_DECISION_REF}{meeting:%Y-%m-%d}: {key}"


def is_decision(row: dict) -> bool:
    """Was this Updates row written by a decision of the board (not an owner's reply)?"""
    return str(row.get("Request") or "").startswith(_DECISION_REF) or \
        row.get("Field") == DECISION_FIELD


def decided(extension: dict) -> bool:
    """Has the board decided this Extension requests row (Agreed or Not agreed)? A row
    whose Board decision is blank or says Deferred still waits for the board."""
    word = norm_key(str(extension.get("Board decision") or ""))
    return bool(word) and not word.startswith("defer")


def extension_key(extension: dict) -> tuple:
    """What identifies a request for a new date across its rows: (request, action or
    item id, requested date as written)."""
    from gain_workbook.core.dates import parse_date

    day = parse_date(extension.get("Requested due"))
    return (str(extension.get("Request") or "").strip(),
            str(extension.get("Action ID") or "").strip(),
            day.isoformat() if hasattr(day, "isoformat") else str(day))


def waiting_extensions(extensions: list) -> list[dict]:
    """The Extension requests rows still waiting for the board: the first row of each
    request for which no row says the board decided it."""
    done = {extension_key(e) for e in extensions if decided(e)}
    out, seen = [], set()
    for e in extensions:
        key = extension_key(e)
        if key in done or key in seen:
            continue
        seen.add(key)
        out.append(e)
    return out
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
