"""What gain-pack writes that it reads back: the board pack's format, defined once.

A board pack is read as input in two places: next month's build takes it as
``--previous`` (its Items and Actions sheets stand in for last month's register),
and ``email`` takes the headline figures for the covering message from it. Both
read what this module writes:

* a hidden **PackInfo** sheet: :class:`PackInfo`, written by :meth:`PackInfo.write`
  and read by :func:`read_info`;
* the **Items** and **Actions** tables, whose columns are the :class:`Col` specs
  ``ITEM_COLS`` and ``ACTION_COLS``: ``pack`` writes them and :func:`read_table`
  reads them back by the same headers, typed by the same kinds;
* the **For decision** sheet (``DECISION_COLS``), where the chair or the clerk types
  the board's decisions, and a hidden **DecisionFacts** sheet that records, for each of
  its rows, what the board was asked and the facts it saw (:class:`DecisionRow`):
  ``decisions`` reads both back (:func:`read_decision_facts`,
  :func:`read_typed_decisions`) and weighs each decision against the register as it is.

``RESPONSE_TITLE`` is the title a PCC response carries in its document
properties, by which ``email`` knows one (and refuses the working copy);
``RESPONSE_FIELDS`` are the labels of the details by which ``email`` lists the
reports a response answers.

This module reads with python-calamine only: the mail package uses it without the
register reader or pandas' roll-up behind it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from gain_workbook.core.errors import InputError, RegisterError

PACK_MARKER = "gain-pack board pack"
PACK_INFO_SHEET = "PackInfo"
ITEMS_SHEET, ACTIONS_SHEET = "Items", "Actions"
RESPONSE_TITLE = "PCC response to HMICFRS inspection"
# the labels of a response's details that email reads back: (title, date published)
RESPONSE_FIELDS = ("Title of inspection", "Date inspection published")
# the headline figures PackInfo carries, for the covering email: (label, headline key)
# ('Ready for closure' once counted the items the board had signed off; it now counts
# what the board is asked to close, under a new label, so an older pack's figure is not
# compared with it.)
HEADLINE = (("Open items", "open_items"), ("Overdue actions", "overdue_actions"),
            ("Ready for closure (for decision)", "ready_for_closure"),
            ("Responses not yet sent", "responses_due"),
            ("New inspections", "new_inspections"))


@dataclass(frozen=True)
class Col:
    """One column of a written table: header, source key, kind and width."""

    header: str
    key: str
    kind: str = "text"     # text | wrap | date | int | center | rag
    width: float = 12
    hidden: bool = False


ITEM_COLS = [
    Col("Inspection ID", "item_inspection_id", "wrap", 12),
    Col("Item ID", "item_id", "text", 16, hidden=True),
    Col("Item", "label", "text", 8),
    Col("Text", "item_text", "wrap", 48),
    Col("Lead", "item_lead", "wrap", 14),
    Col("Deadline", "deadline", "date", 11),
    Col("Agreed deadline", "agreed_deadline", "date", 11),
    Col("HMICFRS status", "hmicfrs_status", "wrap", 12),
    Col("Actions done", "done_of", "center", 8),
    Col("Overdue", "own_overdue", "int", 8),       # its own actions: the column adds up
    Col("Next due", "next_due", "date", 11),
    Col("Status", "status", "wrap", 13),
    Col("RAG", "rag", "rag", 7),
    Col("Reason", "reason", "wrap", 28),
]

ACTION_COLS = [
    Col("Inspection ID", "inspection_id", "wrap", 12),
    Col("Item", "label", "text", 8),
    # an action's inspection and item are read back as the pack shows them, so the
    # sheet needs no hidden Item ID column (a cell per action costs time at 100,000)
    Col("Action ID", "action_id", "text", 16, hidden=True),   # for next month's Movement
    Col("Action", "action_text", "wrap", 36),
    Col("Owner", "owner", "wrap", 14),
    Col("Due", "due", "date", 11),
    Col("Revised due", "revised_due", "date", 11),
    Col("Effective due", "effective_due", "date", 11),
    Col("Status", "action_status", "wrap", 12),
    Col("Days overdue", "days_overdue_n", "int", 8),
    Col("Flags", "flags", "wrap", 10),
    Col("Last updated", "last_updated", "date", 11),
    Col("Latest update", "latest_update", "wrap", 26),
    Col("RAG", "rag", "rag", 7),
]

TABLES = {ITEMS_SHEET: ITEM_COLS, ACTIONS_SHEET: ACTION_COLS}


@dataclass(frozen=True)
class PackInfo:
    """What a pack says about itself on its hidden PackInfo sheet."""

    as_of: dt.date | None
    register: str = ""          # the register's file name
    meeting: str = ""           # as the cover prints it ('3 December 2026'), or ""
    headline: dict = field(default_factory=dict)   # HEADLINE keys -> numbers
    version: str = ""

    @property
    def register_file(self) -> str | None:
        """The register's file name, to look for beside the pack: what ``register``
        records is data (a pack can be edited), so only its last part counts, after
        either separator and a drive ('sub/dir/reg.xlsx', '..\\reg.xlsx' and
        'C:reg.xlsx' all give 'reg.xlsx'); None when no file name is left ('', '..')
        or it could not be one (a control character, longer than file systems allow)."""
        name = re.split(r"[/\\:]", self.register)[-1]
        if (name in ("", ".", "..") or len(name.encode("utf-8", "surrogatepass")) > 255
                or any(ord(ch) < 32 or ord(ch) == 127 for ch in name)):
            return None
        return name

    def write(self, ws, date_format) -> None:
        """Write the sheet (hidden) on an xlsxwriter worksheet."""
        rows = [("Marker", PACK_MARKER), ("Version", self.version),
                ("Register", self.register), ("Meeting", self.meeting)]
        for r, (k, v) in enumerate(rows):
            ws.write_string(r, 0, k)
            ws.write_string(r, 1, v)
        r = len(rows)
        ws.write_string(r, 0, "As at")
        day = self.as_of
        ws.write_datetime(r, 1, dt.datetime(day.year, day.month, day.day), date_format)
        for label, key in HEADLINE:
            if key in self.headline:
                r += 1
                ws.write_string(r, 0, label)
                ws.write_number(r, 1, self.headline[key])
        ws.hide()


FOR_DECISION_SHEET = "For decision"
DECISION_FACTS_SHEET = "DecisionFacts"
DECISION_COLS = [
    Col("Inspection ID", "inspection_id", "wrap", 11),
    Col("Item or action", "label", "wrap", 11),
    Col("What", "what", "wrap", 34),
    Col("Asked of the board", "asked", "wrap", 20),
    Col("By", "by", "wrap", 13),
    Col("Since", "since", "date", 10),
    Col("Evidence", "evidence", "wrap", 34),
    Col("Decision", "decision", "input", 11),
    Col("Note", "note", "input_wrap", 18),
    Col("Key", "key", "text", 24, hidden=True),     # which row: what decisions reads
]
DECISION_HEADER = "Decision"
NOTE_HEADER = "Note"
KEY_HEADER = "Key"
FACTS_HEADERS = ("Key", "Kind", "Subject", "Asked", "Facts")
MAX_CELL = 32_000                                   # below Excel's 32,767 characters


@dataclass(frozen=True)
class DecisionRow:
    """One row of a pack's For decision sheet as the pack recorded it: which question
    (``kind``: sign-off, closure, extension, plan, response), about what (``subject``:
    the item, action or inspection id), what was asked, and the facts the board saw
    ({label: value as text or None})."""

    key: str
    kind: str
    subject: str
    asked: str
    facts: dict


@dataclass(frozen=True)
class TypedDecision:
    """What someone typed on one row of a pack's For decision sheet: the Decision and
    Note cells as read, and any cells to the right of Note (a decision typed one cell
    too far). ``key`` is '' on a row the pack did not write."""

    row: int                 # the Excel row
    key: str
    decision: object
    note: object
    beside: tuple = ()


def write_decision_facts(ws, rows) -> None:
    """The hidden DecisionFacts sheet: one row per For decision row (DecisionRow)."""
    import json

    columns = [[h] for h in FACTS_HEADERS[:4]] + [[FACTS_HEADERS[4]]]
    for row in rows:
        for c, v in enumerate((row.key, row.kind, row.subject, row.asked)):
            columns[c].append(v or None)
        blob = json.dumps(row.facts, ensure_ascii=False, sort_keys=True)
        # a cell holds 32,767 characters: a longer record goes on in the cells to its right
        parts = [blob[i:i + MAX_CELL] for i in range(0, len(blob), MAX_CELL)]
        while len(columns) < 4 + len(parts):
            columns.append([None] * len(columns[0]))
        for c in range(4, len(columns)):
            k = c - 4
            columns[c].append(parts[k] if k < len(parts) else None)
    for c, values in enumerate(columns):
        if hasattr(ws, "write_column_values"):       # (a thousand rows at once)
            ws.write_column_values(0, c, values, None)
        else:
            for r, v in enumerate(values):
                if v is not None:
                    ws.write_string(r, c, v)
    ws.hide()


def _no_decisions(name: str, what: str) -> InputError:
    return InputError(f"'{name}' {what}, so no decisions can be read from it; use the pack "
                      "built for the meeting (gain-pack build writes a For decision sheet), "
                      "with the decisions typed into it.")


def read_decision_facts(wb, name: str) -> dict:
    """{key: DecisionRow} from a pack's hidden DecisionFacts sheet (InputError when the
    pack has none, or it has been changed)."""
    import json

    if not is_pack(wb.sheet_names):
        raise _no_decisions(name, "is not a board pack written by gain-pack")
    if DECISION_FACTS_SHEET in wb.sheet_names and FOR_DECISION_SHEET not in wb.sheet_names:
        # (a pack of today's with its sheet renamed or deleted: not 'an older gain-pack's')
        raise _no_decisions(name, f"has had its '{FOR_DECISION_SHEET}' sheet renamed or "
                                  f"deleted (rename it back to '{FOR_DECISION_SHEET}' if it "
                                  "was renamed)")
    if FOR_DECISION_SHEET in wb.sheet_names and DECISION_FACTS_SHEET not in wb.sheet_names:
        raise _no_decisions(name, "has had its hidden record of the For decision rows "
                                  "deleted")
    if DECISION_FACTS_SHEET not in wb.sheet_names:
        raise _no_decisions(name, "has no For decision sheet (it was built by an older "
                                  "gain-pack)")
    grid = wb.get_sheet_by_name(DECISION_FACTS_SHEET).to_python()
    if not grid or tuple(str(v) for v in grid[0][:len(FACTS_HEADERS)]) != FACTS_HEADERS:
        raise _no_decisions(name, "has had its record of the For decision rows changed")
    out = {}
    for cells in grid[1:]:
        cells = [("" if v is None else str(v)) for v in cells]
        if len(cells) < 5 or not cells[0]:
            continue
        try:
            facts = json.loads("".join(cells[4:]))
        except ValueError:
            raise _no_decisions(name, "has had its record of the For decision rows "
                                      "changed") from None
        out[cells[0]] = DecisionRow(cells[0], cells[1], cells[2], cells[3], facts)
    return out


def _decision_header(rows, name: str) -> tuple[int, int, int, int]:
    """(the header row's index, and its Decision, Note and key columns' indexes) of the
    For decision sheet's rows."""
    at = next((i for i, r in enumerate(rows[:30])
               if DECISION_HEADER in r and KEY_HEADER in r), None)
    if at is None:
        raise _no_decisions(name, "has had the headers of its For decision sheet changed")
    header = list(rows[at])
    return (at, *(header.index(h) for h in (DECISION_HEADER, NOTE_HEADER, KEY_HEADER)))


class _TypedInto:
    """The For decision sheet's columns the board types into (0-based): Decision, Note
    and any beside them, not the pack's own key column."""

    def __init__(self, d: int, n: int, k: int):
        self.d, self.n, self.k = d, n, k

    def __contains__(self, col: int) -> bool:
        return col == self.d or (col >= self.n and col != self.k)


def typed_into(wb, name: str) -> tuple[_TypedInto, int]:
    """(the columns the board types decisions into, the first row of them, 1-based): a
    formula saved without its value counts as a decision nobody can read only there,
    not in the pack's own title or text (sniff.uncalculated_in)."""
    rows = wb.get_sheet_by_name(FOR_DECISION_SHEET).to_python(skip_empty_area=False)
    at, d, n, k = _decision_header(rows, name)
    return _TypedInto(d, n, k), at + 2


def uncalculated_decisions(checked, wb, name: str) -> tuple[int, tuple]:
    """(count, cells) of the formulas saved without their values (``checked``: what
    sniff.check_workbook said of the pack) where the board types its decisions."""
    from gain_workbook.core.sniff import uncalculated_in

    found = checked.uncalculated.get(FOR_DECISION_SHEET, (0, ()))
    if not found[0]:
        return found
    return uncalculated_in(found, *typed_into(wb, name))


def read_typed_decisions(wb, name: str) -> list:
    """Every row of the For decision sheet with a key or something in its Decision cell,
    as TypedDecision, in the sheet's order."""
    rows = wb.get_sheet_by_name(FOR_DECISION_SHEET).to_python(skip_empty_area=False)
    at, d, n, k = _decision_header(rows, name)
    header = list(rows[at])
    out = []
    for r, cells in enumerate(rows[at + 1:], start=at + 2):
        cells = list(cells) + [""] * (len(header) - len(cells))

        def get(i):
            v = cells[i] if i < len(cells) else ""
            return None if v == "" else v

        key = get(k)
        beside = tuple(v for i, v in enumerate(cells) if i > n and i != k and v not in ("", None))
        if key is None and get(d) is None:
            continue
        out.append(TypedDecision(r, "" if key is None else str(key).strip(), get(d), get(n),
                                 beside))
    return out


# the sheets that say what a pack is and what the board typed into it
DECISION_SHEETS = (PACK_INFO_SHEET, FOR_DECISION_SHEET, DECISION_FACTS_SHEET)


def open_workbook(checked, sheets=None):
    """The workbook through python-calamine: ``checked`` is what sniff.check_workbook
    said of it, or a path, checked here (a RegisterError if it is not safe to open);
    ``sheets``, when given, are the only sheets that will be read from it (the check
    then scans no other sheet: see check_workbook)."""
    from gain_workbook.core.sniff import WorkbookInfo, calamine_source, check_workbook, open_calamine

    info = checked if isinstance(checked, WorkbookInfo) else \
        check_workbook(checked, role="a board pack", sheets=sheets)
    return open_calamine(calamine_source(info))


def is_pack(sheet_names) -> bool:
    """Whether a workbook with these sheets says it is a board pack."""
    return PACK_INFO_SHEET in sheet_names


def info_fields(rows) -> dict:
    """{label: value} of a PackInfo sheet's rows (its 'Marker' is PACK_MARKER in a pack
    gain-pack wrote)."""
    return {str(r[0]): r[1] for r in rows if r and len(r) > 1 and r[0] not in ("", None)}


def read_info(wb, name: str) -> PackInfo | None:
    """The PackInfo of a calamine workbook; None when it has no PackInfo sheet.

    Raises RegisterError when it has one that gain-pack did not write. ``as_of`` is
    None when the sheet no longer gives a date (it has been edited).
    """
    from gain_workbook.core.dates import UNREADABLE, parse_date

    if not is_pack(wb.sheet_names):
        return None
    info = info_fields(wb.get_sheet_by_name(PACK_INFO_SHEET).to_python())
    if info.get("Marker") != PACK_MARKER:
        raise RegisterError(f"'{name}' has a {PACK_INFO_SHEET} sheet but is not a board pack "
                            "written by gain-pack.")
    as_of = parse_date(info.get("As at"))
    headline = {}
    for label, key in HEADLINE:
        v = info.get(label)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            headline[key] = int(v) if float(v).is_integer() else v
    return PackInfo(None if as_of is None or as_of is UNREADABLE else as_of,
                    register=_str(info.get("Register")), meeting=_str(info.get("Meeting")),
                    headline=headline, version=_str(info.get("Version")))


def _str(v) -> str:
    return "" if v is None else str(v)


def read_table(wb, sheet: str, keys, name: str):
    """The columns ``keys`` of the pack's ``sheet`` table as a DataFrame, typed by their
    Col kinds: dates as datetime64, numbers as numbers, everything else as text, as the
    pack showed it. The first key is the row's id; rows without one are not read."""
    import pandas as pd

    from gain_workbook.core.dates import UNREADABLE, parse_date
    from gain_workbook.model.problems import display

    specs = {c.key: c for c in TABLES[sheet]}
    cols = [specs[k] for k in keys]
    if sheet not in wb.sheet_names:
        raise RegisterError(f"The previous pack '{name}' has no {sheet} sheet; it may "
                            "have been edited. Use last month's register instead.")
    rows = wb.get_sheet_by_name(sheet).to_python()
    first = cols[0].header
    header_at = next((i for i, r in enumerate(rows[:30]) if first in r), None)
    if header_at is None:
        raise RegisterError(f"The previous pack '{name}' has no {sheet} table.")
    header = [str(h) for h in rows[header_at]]
    missing = [c.header for c in cols if c.header not in header]
    if missing:
        raise RegisterError(f"The previous pack '{name}' is missing the {sheet} columns "
                            f"{', '.join(missing)}.")
    idx = [header.index(c.header) for c in cols]
    body = [r for r in rows[header_at + 1:] if r and r[idx[0]] not in ("", None)]

    def a_date(v):
        d = parse_date(v) if v not in ("", None) else None
        return None if d is UNREADABLE else d

    def a_text(v):
        if v is None or v == "":
            return None
        return v if isinstance(v, str) else display(v)

    data = {}
    for c, i in zip(cols, idx):
        values = [r[i] if i < len(r) else None for r in body]
        if c.kind == "date":
            data[c.key] = pd.to_datetime(pd.Series([a_date(v) for v in values], dtype=object),
                                         errors="coerce")
        elif c.kind == "int":
            data[c.key] = pd.Series([None if v in ("", None) else v for v in values],
                                    dtype=object)
        else:
            data[c.key] = pd.Series([a_text(v) for v in values], dtype=object)
    return pd.DataFrame(data, columns=list(keys))
