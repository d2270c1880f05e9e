"""`gain-pack adopt`: an office's own register written into our template.

Every value is kept: our columns hold what was read (a date column's 'TBC' or
'Q1 2026' as it was typed, a misspelt status or a synonym as the word it was read as,
with the word as written in a column at the right: 'Status (as written)'), the
office's other columns follow at the right, and a "Read from" sheet gives each row's
original sheet and row. Reading the new workbook gives the same canonical tables as
reading the original, but for the things adopt adds:

* a register with no short inspection ids (a tracker whose reports are known by their
  whole titles) gets short ones made from each title and year ('VMM-2022'), so that
  no item or action id, in the pack or an owner's email, is a whole title;
* a register that kept no response dates gets the day it was adopted ('Adopted on'
  on the Settings sheet), so that a report whose day 56 had passed by then shows as
  'Not recorded', not as a response years overdue;
* a register with no Type column gets Type PEEL for a report whose title says PEEL;
* a register with no Force name whose title rows name one force gets it on Settings.

merge's and decisions' history (the Updates and Extension requests sheets) goes with
it, row for row, so the board's recorded decisions stay recorded. The original is
only read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gain_workbook.model import schema
from gain_workbook.register.derive import SHORT_ID_MAX, short_inspection_id
from gain_workbook.register.reader import PART_SPAN, Register, read_register
from gain_workbook.model.settings import SETTINGS, Settings
from gain_workbook.register.template import write_register_template

# The id columns an inspection's id may begin (items and actions made from it).
_ID_KEYS = ("inspection_id", "item_id", "item_inspection_id", "parent_item", "action_id",
            "action_item_id")


@dataclass
class Adopted:
    """What adopt wrote, and what it added to what was read."""

    path: Path
    register: Register
    short_ids: dict = field(default_factory=dict)   # old inspection id -> the short one
    adopted_on: dt.date | None = None               # set when no response dates were kept
    # our column's header -> (the column at the right keeping its words as written, how
    # many, (one as written, the word it was read as)): words read as another of the
    # list's words ('On track' as In progress)
    as_written: dict = field(default_factory=dict)
    peel_typed: int = 0     # reports given Type PEEL from their titles (no Type column)
    force_from: tuple | None = None     # (force name, the title it came from), no Settings'
    copied: list = field(default_factory=list)     # the office's sheets copied as they were


def adopt(register, output, force: bool = False, today: dt.date | None = None) -> Adopted:
    """Write ``register`` into a new template workbook at ``output``; ``today`` is the
    day it is adopted (for a register that kept no response dates)."""
    reg = read_register(register)
    short = short_ids(reg)
    adopted_on = today if _keeps_no_response_dates(reg) else None
    data, extra_headers, read_from = template_data(reg, short, adopted_on)
    as_written = _keep_as_written(reg, data, extra_headers)
    peel_typed = _peel_typed(reg, data)
    force_from = _force_from_titles(reg)
    if force_from is not None:
        data["settings"]["Force name"] = force_from[0]
    others = _sheets_not_read(reg)
    path = write_register_template(output, force=force, data=data,
                                   extra_headers=extra_headers, read_from=read_from,
                                   history=history_data(reg, short), others=others)
    return Adopted(path, reg, short, adopted_on, as_written, peel_typed, force_from,
                   [name for name, _, _ in others])


# Our sheets' names: an office's sheet of one of these names is copied under another.
_OURS = frozenset({"guide", "lists", "inspections", "items", "actions", "settings",
                   "read from", "updates", "extension requests", "owners"})


def _sheets_not_read(reg: Register) -> list:
    """[(name, rows, hidden)] of the register's sheets that hold something but are not the
    register's (a key, a glossary, a contents page, an old hidden copy): adopt copies
    them after ours, so nothing of the workbook is lost. Read again from the file (the
    reader let their cells go)."""
    plan = getattr(reg, "plan", None)
    names = [s for s in (plan.sheets if plan else ()) if s.role == "not read"
             and s.reason != "it is empty"]
    if not names:
        return []
    from gain_workbook.core.sniff import calamine_source, check_workbook, open_calamine

    book = open_calamine(calamine_source(check_workbook(reg.path)))
    try:
        out = []
        for s in names:
            # (a sheet of one of our names, our own Guide or Lists say, the template makes
            # anew; under another name it could be read as a table of ours)
            if s.name.casefold() in _OURS:
                continue
            rows = book.get_sheet_by_name(s.name).to_python(skip_empty_area=False)
            out.append((s.name, rows, bool(s.hidden)))
        return out
    finally:
        book.close()


def _force_from_titles(reg: Register) -> tuple | None:
    """(the force's name, the title row it is in) where the register gives no Force name
    but the rows above its headers name one force ('Heddlu Dyfed-Powys Police: ...')."""
    from gain_workbook.register.forces import force_in_titles

    if reg.settings.named_force or reg.plan is None:
        return None
    titles = [text for sheet in reg.plan.chosen() for _, text in sheet.titles]
    name = force_in_titles(titles)
    if name is None:
        return None
    return name, next(t for t in titles if force_in_titles([t]) == name)


def _peel_typed(reg: Register, data: dict) -> int:
    """On a register with no Type column (a tracker), a report whose title says PEEL is
    given Type PEEL, as add-report gives it; the template asks a Type of every report.
    Others are left for the office (their type is not in their title). How many."""
    ins = reg.inspections
    type_header = schema.BY_KEY["inspection_type"].header
    n = 0
    for row, index, title in zip(data.get(schema.INSPECTIONS, []), ins.frame.index,
                                 ins.frame["title"]):
        if not ins.has("inspection_type", index) and not row.get(type_header) and \
                schema.title_says_peel(title):
            row[type_header] = "PEEL"
            n += 1
    return n


def _keep_as_written(reg: Register, data: dict, extra_headers: dict) -> dict:
    """Words our columns hold as the list's word ('On track' written as In progress, a
    Welsh and English pair as its English word) kept as they were written, in a column
    at the right of their table ('Status (as written)'), so that adopt loses no word.
    (A word with a note after it needs none: our column keeps the whole text.)
    Returns our header -> (that column's header, how many cells it keeps, an example)."""
    said: dict = {}
    if not reg.written:
        return said
    for table in schema.TABLES + schema.OPTIONAL_TABLES:
        t = reg.table(table)
        if t is None or not data.get(table):
            continue
        taken = {h.casefold() for h in extra_headers[table]} | \
            {c.header.casefold() for c in schema.columns_of(table)}
        for col in schema.columns_of(table):
            cells = {index: text for index in t.frame.index
                     if (text := reg.written.get((col.key, index))) is not None
                     and (col.key, index) not in t.raw}
            if not cells:
                continue
            header, n = f"{col.header} (as written)", 2
            while header.casefold() in taken:
                header, n = f"{col.header} (as written {n})", n + 1
            taken.add(header.casefold())
            extra_headers[table].append(header)
            for row, index in zip(data[table], t.frame.index):
                if index in cells:
                    row[header] = cells[index]
            first = next(iter(cells))
            said[col.header] = (header, len(cells), (cells[first], t.frame.at[first, col.key]))
    return said


def history_data(reg: Register, short: dict | None = None) -> dict:
    """{history sheet: rows} of the register's Updates and Extension requests, as they
    were written, with ids made short as everywhere else (an Action ID; the ids in a
    Request, such as a board decision's 'decision 2026-12-14: sign-off <item id>')."""
    from gain_workbook.model.history import EXTENSIONS_SHEET, UPDATES_SHEET

    longest = sorted(short or {}, key=len, reverse=True)
    out = {}
    for sheet, rows in ((UPDATES_SHEET, reg.updates), (EXTENSIONS_SHEET, reg.extensions)):
        kept = []
        for row in rows:
            row = {k: v for k, v in row.items() if k != "row"}
            if longest:
                row["Action ID"] = _renamed(row.get("Action ID"), short, longest)
                request = row.get("Request")
                for old in longest if type(request) is str else ():
                    request = _id_replaced(request, old, short[old])
                row["Request"] = request
            kept.append(row)
        out[sheet] = kept
    return out


def _id_replaced(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced where it stands as an id: after the start or a
    space, before a space or the end (an id that is a whole title holds spaces)."""
    out, at = [], 0
    while (found := text.find(old, at)) != -1:
        end = found + len(old)
        whole = (found == 0 or text[found - 1].isspace()) and \
            (end == len(text) or text[end].isspace())
        out.append(text[at:found] + (new if whole else old))
        at = end
    return "".join(out) + text[at:]


def _keeps_no_response_dates(reg: Register) -> bool:
    return bool(len(reg.inspections)) and reg.settings.adopted_on is None and not (
        {"response_sent", "response_published"} & set(reg.inspections.headers))


def short_ids(reg: Register) -> dict:
    """{inspection id: a short id} for the ids longer than SHORT_ID_MAX (a report known
    by its whole title): 'VMM-2022', unique among all the ids."""
    f = reg.inspections.frame
    ids = [i for i in f["inspection_id"] if i is not None]
    taken = {i for i in ids if len(str(i)) <= SHORT_ID_MAX}
    out = {}
    for iid, title, published in zip(f["inspection_id"], f["title"], f["published"]):
        if iid is None or len(str(iid)) <= SHORT_ID_MAX or iid in out:
            continue
        out[iid] = short_inspection_id(title or iid, published, taken)
        taken.add(out[iid])
    return out


def _renamed(value, short: dict, longest: list):
    """An id with the inspection id it begins with made short ('<title> R1 A1' ->
    'VMM-2022 R1 A1')."""
    if not short or type(value) is not str:
        return value
    for old in longest:
        if value == old:
            return short[old]
        if value.startswith(old + " "):
            return short[old] + value[len(old):]
    return value


def template_data(reg: Register, short: dict | None = None,
                  adopted_on: dt.date | None = None) -> tuple[dict, dict, list]:
    """(rows per table keyed by our headers, the office's extra headers, Read from rows)."""
    short = short or {}
    longest = sorted(short, key=len, reverse=True)
    data = {"settings": _settings(reg.settings)}
    if adopted_on is not None:
        data["settings"]["Adopted on"] = adopted_on
    extra_headers: dict = {}
    read_from = []
    for table in schema.TABLES + schema.OPTIONAL_TABLES:
        t = reg.table(table)
        if t is None:
            continue
        cols = schema.columns_of(table)
        extras = t.extras
        ours = {c.header.casefold() for c in cols}
        # an extra header that is one of ours gets a suffix, so it cannot be read as ours
        named = {h: (h if h.casefold() not in ours else f"{h} (yours)") for h in extras}
        extra_headers[table] = list(named.values())
        rows = []
        for n, (index, values) in enumerate(zip(t.frame.index, t.frame.itertuples(index=False)),
                                            start=2):
            row = {}
            for col, value in zip(cols, values):
                value = t.raw.get((col.key, index), value) if col.key != "action_id" else value
                if value is None or value != value:
                    continue
                if col.key in _ID_KEYS:
                    value = _renamed(value, short, longest)
                row[col.header] = value if isinstance(value, dt.date) else str(value)
            for header, cells in extras.items():
                if index in cells:
                    row[named[header]] = cells[index]     # never one of our headers
            rows.append(row)
            read_from.append((schema.SHEET_NAMES[table], n, t.sheet_of(index),
                              int(index) % PART_SPAN))
        data[table] = rows
    if reg.owners is None:
        # every owner named once on Owners, for the office to give their addresses
        names = {" ".join(str(o).split()) for o in reg.actions.frame["owner"].dropna()}
        data[schema.OWNERS] = [{"Name": n} for n in sorted(names, key=str.casefold)]
    return data, extra_headers, read_from


def _settings(settings: Settings) -> dict:
    """The Settings sheet's values by label (defaults left blank, aliases not needed)."""
    out = {}
    default = Settings()
    for s in SETTINGS:
        value = getattr(settings, s.attr)
        if value != getattr(default, s.attr) or s.kind == "int":
            out[s.label] = value
    return out
