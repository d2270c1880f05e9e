"""An owner's reply: an update request workbook as the owner sent it back.

It is read with the same safety checks as a register (``sniff.check_workbook``: a
hostile, encrypted or broken file is one sentence), then by its very hidden sheet
(``request_sheet.REQUEST_SHEET``), which says which register, date and owner it was
made for and what each action's row held. A workbook without that sheet is not a
reply, and is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from gain_workbook.chase.requests import FINGERPRINT_KEYS
from gain_workbook.core.errors import InputError, RegisterError
from gain_workbook.chase.request_sheet import (COLUMNS, FILLED, FIRST_ROW, LOCKED, META,
                                         META_TABLE_ROW, REQUEST_MARKER, REQUEST_SHEET, SHEET)
from gain_workbook.core.sniff import col_letter
from gain_workbook.core.text import one_line, shorten


@dataclass
class ReplyRow:
    """One action's row of a reply."""

    excel_row: int
    action_id: str
    fingerprint: str = ""
    values: dict = field(default_factory=dict)     # FINGERPRINT_KEYS at the request
    shown: list = field(default_factory=list)      # the locked cells as written
    now: list = field(default_factory=list)        # the locked cells as they are now
    filled: dict = field(default_factory=dict)     # FILLED key -> the cell's value
    asked: bool = True                             # was it on the request?

    @property
    def answered(self) -> bool:
        return any(v not in (None, "") for v in self.filled.values())

    @property
    def touched(self) -> bool:
        """Did the owner write anything in the row (a yellow cell, or a locked one)?"""
        return self.answered or bool(self.edited())

    def edited(self) -> list[tuple[str, object, object]]:
        """The locked cells changed: (header, as written, as now)."""
        return [(c.header, a, b) for c, a, b in zip(LOCKED, self.shown, self.now) if a != b]


@dataclass
class Reply:
    """What a reply says about itself, and its rows."""

    path: Path
    meta: dict                      # META key -> value
    rows: list[ReplyRow]
    saved: dt.date | None           # when the owner last saved it (the file's properties)
    digest: str                     # SHA-256 of the file's bytes

    @property
    def owner(self) -> str:
        return self.meta.get("Owner", "")

    @property
    def request(self) -> str:
        return self.meta.get("Request", "")

    @property
    def as_of(self) -> dt.date | None:
        return _iso(self.meta.get("As of"))

    @property
    def filled(self) -> bool:
        """Did the owner write anything in it (else it is the request as it was sent)?"""
        return any(row.touched for row in self.rows)

    def replied_on(self, today: dt.date) -> dt.date:
        """The date of the reply: the day it was last saved, kept between the request's
        date and today (a PC clock that is wrong cannot date an update in the future),
        never before the request, even one dated later than today (requests --as-of)."""
        day = self.saved or today
        start = self.as_of or day
        return min(max(day, start), max(today, start))


def _iso(text):
    try:
        return dt.date.fromisoformat(str(text))
    except (TypeError, ValueError):
        return None


def _cell(v):
    """A cell as the request wrote it: dates as YYYY-MM-DD, text stripped, blank None."""
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    text = str(v).strip()
    return text or None


class NotAReply(InputError):
    """A workbook that is not an update request at all (a pack, a register), as opposed
    to a request whose details were changed: passed over in a folder of replies."""


def reply_files(folder: Path) -> list[Path]:
    """The workbooks in a folder given to merge, by name: not Excel's '~$' lock files
    nor hidden ones; the drafts (.eml) and the folder's list of requests are not
    workbooks."""
    return sorted((p for p in folder.iterdir()
                   if p.suffix.lower() in (".xlsx", ".xlsm") and p.is_file()
                   and not p.name.startswith(("~$", "."))),
                  key=lambda p: (p.name.casefold(), p.name))


def read_reply(path) -> Reply:
    """Read one reply; RegisterError (unreadable) or InputError (not a reply)."""
    from gain_workbook.core.sniff import calamine_source, check_workbook, open_calamine

    info = check_workbook(path, role="a reply")
    path = info.path
    try:
        book = open_calamine(calamine_source(info))
        try:
            names = [m.name for m in book.sheets_metadata]
            if REQUEST_SHEET in names and SHEET not in names:
                shown = ", ".join(f"'{n}'" for n in names if n != REQUEST_SHEET)
                raise InputError(
                    f"'{path.name}' is an update request whose sheet '{SHEET}' was renamed "
                    f"or deleted (its sheets: {shown or 'none'}); rename the sheet back to "
                    f"'{SHEET}' in Excel, save it and merge it again.")
            if REQUEST_SHEET not in names or SHEET not in names:
                raise NotAReply(
                    f"'{path.name}' is not an update request made by gain-pack requests (it "
                    "has no request details), so it cannot be merged; merge reads only the "
                    "workbooks that requests wrote, filled in by their owners.")
            meta_grid = book.get_sheet_by_name(REQUEST_SHEET).to_python(skip_empty_area=False)
            grid = book.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
        finally:
            book.close()
    except (InputError, RegisterError):
        raise
    except Exception as exc:         # calamine's own errors for a damaged part
        raise RegisterError(f"Cannot read '{path.name}': the workbook is damaged "
                            f"({type(exc).__name__}: {one_line(str(exc))[:120]}).") from None
    if not meta_grid or not meta_grid[0] or meta_grid[0][0] != REQUEST_MARKER:
        raise InputError(f"'{path.name}' is not an update request made by gain-pack requests "
                         "(its request details are missing or changed), so it cannot be merged.")
    _refuse_uncalculated(path, info)
    meta = {}
    for row in meta_grid[1:len(META) + 1]:
        if len(row) >= 2 and row[0] in META:
            meta[row[0]] = "" if row[1] is None else str(row[1])
    data = path.read_bytes()
    try:
        rows = _rows(meta_grid, grid)
    except InputError as exc:
        raise InputError(f"'{path.name}' cannot be merged: {exc}; ask its owner for the "
                         "request as it was sent, filled in.") from None
    return Reply(path, meta, rows, _saved(data), hashlib.sha256(data).hexdigest())


def _refuse_uncalculated(path: Path, info) -> None:
    """Refuse a reply whose table (the rows merge reads, every column) holds a formula
    saved without its value: merge would read it as empty (see sniff.UNCALCULATED)."""
    from gain_workbook.core.sniff import uncalculated_in, uncalculated_on

    found = info.uncalculated.get(SHEET)
    count, cells = uncalculated_in(found, range(len(COLUMNS)), FIRST_ROW + 1) if found else \
        (0, ())
    if count:
        raise InputError(f"'{path.name}' cannot be merged: "
                         f"{uncalculated_on(SHEET, count, cells)}; ask its owner to open it in "
                         "Excel, save it and send it again.")


def _rows(meta_grid, grid) -> list[ReplyRow]:
    import json

    asked = {}
    for row in meta_grid[META_TABLE_ROW + 1:]:
        if len(row) < 4 or row[1] in ("", None):
            continue
        blob = "".join(str(v) for v in row[3:] if v not in ("", None))
        try:
            got = json.loads(blob)
            values = {k: got["values"].get(k) for k in FINGERPRINT_KEYS}
            shown = list(got["shown"])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise InputError("the request details of the reply are damaged") from None
        asked[str(row[1])] = ReplyRow(int(float(row[0] or 0)), str(row[1]), str(row[2] or ""),
                                      values, shown)
    heads = list(grid[FIRST_ROW - 1]) if len(grid) >= FIRST_ROW else []
    for i, col in enumerate(COLUMNS):     # read by place: the places must be the request's
        got = _cell(heads[i]) if i < len(heads) else None
        if " ".join(str(got or "").split()) != " ".join(col.header.split()):
            raise InputError(f"its columns were changed (column {col_letter(i)} is headed "
                             f"'{shorten(str(got or ''), 40)}', where the request had "
                             f"'{col.header}': a column inserted, deleted or renamed), so its "
                             "cells cannot be told apart")
    at = {c.key: i for i, c in enumerate(COLUMNS)}
    locked_at = [at[c.key] for c in LOCKED]
    out = []
    for r, cells in enumerate(grid[FIRST_ROW:], start=FIRST_ROW + 1):
        cells = list(cells) + [""] * (len(COLUMNS) - len(cells))
        action_id = _cell(cells[at["action_id"]])
        filled = {c.key: cells[at[c.key]] for c in FILLED}
        filled = {k: (v.strip() if isinstance(v, str) else v) for k, v in filled.items()}
        if action_id is None and not any(v not in (None, "") for v in filled.values()):
            continue
        row = asked.pop(action_id, None) if action_id else None
        if row is None:
            row = ReplyRow(r, action_id or "", asked=False)
        row.excel_row = r
        row.now = [_cell(cells[i]) for i in locked_at]
        row.filled = filled
        out.append(row)
    return out


def _saved(data: bytes) -> dt.date | None:
    """The date in the file's properties (docProps/core.xml dcterms:modified), if any."""
    import io

    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            root = ElementTree.fromstring(zf.read("docProps/core.xml"))
    except Exception:
        return None
    for el in root:
        if el.tag.endswith("}modified") and el.text:
            try:
                return dt.datetime.fromisoformat(el.text.strip().replace("Z", "+00:00")).date()
            except ValueError:
                return None
    return None
