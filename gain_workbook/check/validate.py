"""Check a register: pandera schemas per table, then checks across tables.

Bad data is a result, not an exception: :func:`validate` returns a
ValidationReport listing every problem with its sheet, cell, header, value, rule
code and a sentence a clerk can act on. The schemas are built from
``schema.COLUMNS`` and name their checks by rule code, so a pandera failure case
maps straight onto a Problem; each frame is indexed by Excel row.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections import Counter

from gain_workbook.model import schema
from gain_workbook.core.dates import as_datetime64
from gain_workbook.register.reader import PART_SPAN, Register, Table, read_register
from gain_workbook.model.problems import Problem, ValidationReport, display, make_problem
from gain_workbook.model.refs import ref_key
from gain_workbook.model.schema import ACTION_DONE, HMICFRS_CLOSED
from gain_workbook.core.text import as_text


def _is_date(s):
    return s.map(lambda v: v is None or isinstance(v, dt.date))


def _not_duplicate(s):
    return ~(s.duplicated(keep="first") & s.notna())


def _in_vocab(vocab):
    allowed = frozenset(vocab)
    return lambda s: s.isin(allowed)


def _multi_in_vocab(vocab):
    allowed = frozenset(vocab)
    return lambda s: s.map(lambda v: all(p.strip() in allowed for p in str(v).split(",")))


def _address_or_name(col):
    """Owners' Email must be an address; 'Copy when overdue' may name someone on the sheet
    instead (a part without '@', checked across the sheet by _owner_problems)."""
    from gain_workbook.model.addresses import is_address, split_addresses

    def ok(v) -> bool:
        if v is None:
            return True
        parts = split_addresses(v) if col.key == "owner_copy" else [str(v)]
        return bool(parts) and all(is_address(p) or (col.key == "owner_copy" and "@" not in p)
                                   for p in parts)
    return lambda s: s.map(ok)


def _address_why(col, value) -> str:
    from gain_workbook.model.addresses import address_problem, split_addresses

    parts = split_addresses(value) if col.key == "owner_copy" else [str(value)]
    return next((w for p in parts if "@" in p or col.key != "owner_copy"
                 if (w := address_problem(p))), "it is empty")


def table_schema(table: str, present: set[str]):
    """The pandera schema of one canonical table.

    ``present`` are the columns the sheet really has: a required value is only
    demanded of a column that is there (a missing column is reported once instead).
    """
    import pandera.pandas as pa

    columns = {}
    for col in schema.columns_of(table):
        checks = []
        if col.kind == "id":
            checks.append(pa.Check(_not_duplicate, name="DUPLICATE_ID", ignore_na=False))
        if col.kind == "date":
            checks.append(pa.Check(_is_date, name="BAD_DATE"))
        if col.kind in ("vocab", "yesno"):
            checks.append(pa.Check(_in_vocab(col.vocab), name="NOT_IN_LIST"))
        if col.kind == "multi":
            checks.append(pa.Check(_multi_in_vocab(col.vocab), name="NOT_IN_LIST"))
        if col.kind == "email":
            checks.append(pa.Check(_address_or_name(col), name="BAD_EMAIL"))
        nullable = not (col.required and col.key in present)
        columns[col.key] = pa.Column(object, nullable=nullable, checks=checks, required=True)
    return pa.DataFrameSchema(columns, name=table, coerce=False)


_CHECK_CODES = {"not_nullable": "REQUIRED_MISSING"}


def _schema_problems(table: Table, excused: tuple = (frozenset(), frozenset(), {})
                     ) -> list[Problem]:
    """The pandera schema's failures as problems. ``excused`` say where a required value
    may be missing: (key, index) cells (a status cell said to hold only a colour), row
    indexes (an action of an item not for the force), {key: row indexes} (the HMICFRS
    status of an item not for the force)."""
    cells, rows, by_key = excused
    import pandera.errors as pe

    present = set(table.headers)
    sch = table_schema(table.name, present)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sch.validate(table.frame, lazy=True)
        return []
    except pe.SchemaErrors as exc:
        cases = exc.failure_cases
    problems = []
    noun = schema.ROW_NOUN[table.name]
    seen = set()
    for column, check, index, value in zip(cases["column"], cases["check"], cases["index"],
                                           cases["failure_case"]):
        code = _CHECK_CODES.get(str(check), str(check))
        if code not in schema.RULES or index is None or (code, column, index) in seen:
            continue
        if code == "REQUIRED_MISSING" and ((column, index) in table.raw
                                           or (column, index) in cells or index in rows
                                           or index in by_key.get(column, ())
                                           or not table.has(column, index)):
            # 'TBC': no date yet, said as DATE_NOT_GIVEN (a warning); or the row's own
            # sheet has no such column (a sheet per report, one of them with no 'Type:'
            # line), said as a missing column, as for a register with none at all
            sheet = table.part(index).sheet
            if code == "REQUIRED_MISSING" and not table.has(column, index) and \
                    ("MISSING_COLUMN", column, sheet) not in seen:
                seen.add(("MISSING_COLUMN", column, sheet))
                problems.append(make_problem(
                    "MISSING_COLUMN", sheet, "", schema.BY_KEY[column].header, "", noun=noun,
                    assumed=" on this sheet, though others have one, so its "
                            f"{noun} has none"))
            continue
        seen.add((code, column, index))
        col = schema.BY_KEY[column]
        value = table.raw.get((column, index), table.frame.at[index, column])
        problems.append(make_problem(
            code, *table.where(column, index), None if code == "REQUIRED_MISSING" else value,
            noun=noun, allowed=", ".join(col.vocab),
            why=_address_why(col, value) if code == "BAD_EMAIL" else ""))
    return problems


def owner_key(name) -> str:
    """A name as the Owners sheet is matched: case and runs of spaces ignored."""
    return " ".join(str(name).split()).casefold()


def _check_problems(reg: Register) -> list[Problem]:
    """Items add-report marked for the clerk ('To check' not blank)."""
    col = reg.items.frame["item_check"]
    return [make_problem("TO_CHECK", *reg.items.where("item_check", row), value,
                         why=str(value).strip().rstrip("."))
            for row, value in col.items()
            if value is not None and value == value and str(value).strip()]


def _owner_problems(reg: Register) -> list[Problem]:
    """Open actions whose owner is not on the Owners sheet (with the closest name on it),
    and a 'Copy when overdue' naming no one on it. Nothing without an Owners sheet."""
    import difflib

    owners = reg.owners
    if owners is None or not len(owners):      # no sheet, or one not filled in yet
        return []
    fo, fa = owners.frame, reg.actions.frame
    names = [n for n in fo["owner_name"].dropna().astype(str)]
    known = {owner_key(n): n for n in names}
    out = []
    for row, value in fo["owner_copy"].dropna().items():
        from gain_workbook.model.addresses import split_addresses

        for part in split_addresses(value):
            if "@" not in part and owner_key(part) not in known:
                out.append(make_problem("BAD_EMAIL", *owners.where("owner_copy", row), value,
                                        why="it is neither an address nor a name on this "
                                            "sheet"))
    open_action = fa["action_status"].notna() & ~fa["action_status"].isin(ACTION_DONE)
    owner = fa["owner"].where(open_action).dropna()
    keys = owner.map(owner_key)
    folded = list(known)
    advice: dict = {}
    for row, value in owner[~keys.isin(set(known))].items():
        if value not in advice:
            near = difflib.get_close_matches(owner_key(value), folded, n=1, cutoff=0.6)
            advice[value] = (f"did you mean '{known[near[0]]}'? If not, add them to Owners, so "
                             "their update request can be emailed." if near else
                             "add them to Owners (or correct the name), so their update "
                             "request can be emailed.")
        out.append(make_problem("UNKNOWN_OWNER", *reg.actions.where("owner", row), value,
                                advice=advice[value]))
    return out


def _cross_problems(reg: Register) -> list[Problem]:
    """The checks across tables, in the order the board reads their problems."""
    counts = _action_counts(reg)
    return (_unknown_links(reg) + _parent_problems(reg) + _one_report_two_ways(reg)
            + _one_item_two_ways(reg)
            + _items_without_actions(reg, counts)
            + _closed_with_open_actions(reg, counts) + _done_without_date(reg)
            + _early_dates(reg))


def _unknown_links(reg: Register) -> list[Problem]:
    """Every item's inspection and every action's item must exist."""
    out = []
    for tbl, ref, target_tbl, target_key, code in (
            (reg.items, "item_inspection_id", reg.inspections, "inspection_id",
             "UNKNOWN_INSPECTION"),
            (reg.actions, "action_item_id", reg.items, "item_id", "UNKNOWN_ITEM")):
        f = tbl.frame
        known = set(target_tbl.frame[target_key].dropna())
        bad = f[ref].notna() & ~f[ref].isin(known)
        folded = {ref_key(k): k for k in known} if bad.any() else {}
        for row, value in f.loc[bad, ref].items():
            near = folded.get(ref_key(value))      # ('peel-afi1' for 'PEEL-AFI1')
            out.append(make_problem(code, *tbl.where(ref, row), value,
                                    target=" and ".join(target_tbl.sheets),
                                    near=f" (there is '{near}', written otherwise)"
                                    if near else ""))
    return out


def _one_report_two_ways(reg: Register) -> list[Problem]:
    """Two inspections whose ids (or titles) differ only in their punctuation, spaces or
    capitals ('PEEL 2021/22', 'PEEL 2021-22'), published the same day: one report typed two
    ways is read as two; said on the second."""
    import re

    f = reg.inspections.frame
    seen: dict = {}
    out = []
    for row, iid, title, published in zip(f.index, f["inspection_id"], f["title"],
                                          f["published"]):
        shown = as_text(iid) or as_text(title)
        key = (re.sub(r"[\W_]+", "", shown).casefold(), published)
        if not key[0]:
            continue
        first = seen.setdefault(key, shown)
        if first != shown:
            out.append(make_problem("ONE_REPORT_TWO_WAYS", *reg.inspections.where(
                "inspection_id" if as_text(iid) else "title", row), shown, first=first))
    return out


def _one_item_two_ways(reg: Register) -> list[Problem]:
    """Two items of one inspection whose ids differ only in capitals, spaces or
    punctuation ('INS-1-R1', 'ins-1-r1', 'INS 1 R1'): read as two items, silently, and
    an action naming one is not the other's; said on the second."""
    f = reg.items.frame
    ids = [as_text(i) for i in f["item_id"]]
    folded = [ref_key(i) for i in ids]
    if len(set(zip(f["item_inspection_id"], folded))) == len(set(zip(f["item_inspection_id"],
                                                                     ids))):
        return []
    seen: dict = {}
    out = []
    for row, ins, shown, key in zip(f.index, f["item_inspection_id"], ids, folded):
        first = seen.setdefault((ins, key), shown)
        if key and first != shown:
            out.append(make_problem("ONE_ITEM_TWO_WAYS", *reg.items.where("item_id", row),
                                    shown, first=first))
    return out


def _parent_problems(reg: Register) -> list[Problem]:
    """An item's 'Under' must name another item of the register, and no item may be under
    itself, directly or round a loop (its actions would be counted twice, or for ever)."""
    f = reg.items.frame
    if "parent_item" not in f or not f["parent_item"].notna().any():
        return []
    parent_of = {as_text(i): as_text(p) for i, p in zip(f["item_id"], f["parent_item"])
                 if as_text(i) and as_text(p)}
    known = set(as_text(i) for i in f["item_id"] if as_text(i))
    out = []
    for row, iid, parent in zip(f.index, f["item_id"], f["parent_item"]):
        iid, parent = as_text(iid), as_text(parent)
        if not parent:
            continue
        if parent not in known:
            out.append(make_problem("UNKNOWN_PARENT", *reg.items.where("parent_item", row),
                                    parent, target=" and ".join(reg.items.sheets)))
            continue
        chain, at = [iid], parent
        while at and at not in chain and len(chain) <= len(parent_of):
            chain.append(at)
            at = parent_of.get(at)
        if at == iid:
            out.append(make_problem("UNDER_ITSELF", *reg.items.where("parent_item", row),
                                    parent, loop=" under ".join(chain + [iid])))
    return out


def _action_counts(reg: Register) -> tuple:
    """(actions, open actions) per item, in the items' order; a cause of concern counts
    its recommendations' actions ('Under') as its own."""
    import pandas as pd

    fa, fit = reg.actions.frame, reg.items.frame
    done = fa["action_status"].isin(ACTION_DONE)
    open_action = fa["action_status"].notna() & ~done
    keys, opened = fa["action_item_id"], open_action
    if fit["parent_item"].notna().any():
        owner = keys.map(dict(zip(fit["item_id"], fit["parent_item"]))).dropna()
        keys = pd.concat([keys, owner])
        opened = pd.concat([open_action, open_action[owner.index]])
    per_item_all = keys.groupby(keys).size()
    per_item_open = keys[opened.to_numpy()].value_counts()
    return (fit["item_id"].map(per_item_all).fillna(0),
            fit["item_id"].map(per_item_open).fillna(0))


def _items_without_actions(reg: Register, counts: tuple) -> list[Problem]:
    """The items for the force with nothing said of them: an open item needs actions or a
    reason; and the PCC's response must say, for every item, what is being done or why
    nothing (s55(5B)), so a closed one still to be answered needs its response."""
    out = []
    items, fit, fi = reg.items, reg.items.frame, reg.inspections.frame
    n_actions, _ = counts
    closed_item = fit["hmicfrs_status"].isin(HMICFRS_CLOSED)
    no_actions = ((fit["applies"] == "Yes") & ~closed_item & (n_actions == 0)
                  & fit["no_action_reason"].isna())
    for row in fit.index[no_actions]:
        key = "no_action_reason" if items.has("no_action_reason", row) else "item_id"
        out.append(make_problem("NO_ACTIONS", *items.where(key, row), fit.at[row, key]))
    pending_ids = set(fi.loc[responses_pending(fi), "inspection_id"].dropna())
    silent = ((fit["applies"] == "Yes") & closed_item & (n_actions == 0)
              & fit["no_action_reason"].isna() & fit["item_response"].isna()
              & fit["item_inspection_id"].isin(pending_ids))
    for row in fit.index[silent]:
        key = "item_response" if items.has("item_response", row) else "item_id"
        out.append(make_problem("NO_RESPONSE", *items.where(key, row), fit.at[row, key]))
    return out


def _closed_with_open_actions(reg: Register, counts: tuple) -> list[Problem]:
    """Items HMICFRS has closed while our actions are still open."""
    fit = reg.items.frame
    _, n_open = counts
    closed_item = fit["hmicfrs_status"].isin(HMICFRS_CLOSED)
    return [make_problem("CLOSED_WITH_OPEN_ACTIONS", *reg.items.where("hmicfrs_status", row),
                         fit.at[row, "hmicfrs_status"],
                         open=_open_actions(int(n_open[row])))
            for row in fit.index[closed_item & (n_open > 0)]]


def _done_without_date(reg: Register) -> list[Problem]:
    """Finished actions need the date they finished (said in each sheet's own words)."""
    import numpy as np

    out = []
    acts, fa = reg.actions, reg.actions.frame
    done = fa["action_status"].isin(ACTION_DONE)
    part_of = fa.index.to_numpy() // PART_SPAN
    # a date its status's note gave ('Closed by HMICFRS 12/03/2021') is its date too
    dated = np.zeros(len(fa), dtype=bool)
    completed = fa["completed"].to_numpy()
    for i in done.to_numpy().nonzero()[0]:
        dated[i] = isinstance(completed[i], dt.date)
    for n, part in enumerate(acts.parts):
        # (a date of update worked out from its column's period is no column of dates)
        date_key = next((k for k in ("completed", "last_updated")
                         if k in part.headers and part.headers[k][0]), None)
        lacking = done & (part_of == n) & ~dated
        if date_key == "last_updated":
            lacking &= ~fa[date_key].map(lambda v: isinstance(v, dt.date))
        if not lacking.any():
            continue
        header = part.headers[date_key][1] if date_key else ""
        missing = (f"has no date in {header}; add the date it was completed"
                   if date_key == "completed" else
                   f"the sheet has no column for the date it was completed (add one headed "
                   f"'{schema.BY_KEY['completed'].header}')"
                   + (f"; {header} is empty too" if date_key else ""))
        for row, status in fa.loc[lacking, "action_status"].items():
            out.append(make_problem("COMPLETE_NO_DATE", *acts.where("action_status", row),
                                    status, missing=missing))
    return out


def _early_dates(reg: Register) -> list[Problem]:
    """Dates before the report was published, and revised dates that move earlier."""
    import pandas as pd

    out = []
    acts, items = reg.actions, reg.items
    fi, fit, fa = reg.inspections.frame, items.frame, acts.frame
    published = dict(zip(fi["inspection_id"], as_datetime64(fi["published"])))
    # (pd.to_datetime keeps the dtype when a map over an empty table gives floats)
    item_pub = pd.to_datetime(fit["item_inspection_id"].map(published))
    item_pub_by_id = dict(zip(fit["item_id"], item_pub))
    act_pub = pd.to_datetime(fa["action_item_id"].map(item_pub_by_id))
    # An accelerated cause of concern is raised before the report is published.
    accelerated = fit["kind"] == "Accelerated cause of concern"
    early_ok = set(fit.loc[accelerated, "item_id"])
    due = as_datetime64(fa["due"])
    ok_due = fa["action_item_id"].isin(early_ok)
    for tbl, frame, key, pub, ok in ((acts, fa, "due", act_pub, ok_due),
                                     (items, fit, "deadline", item_pub, accelerated)):
        d = due if key == "due" else as_datetime64(frame[key])
        early = d.notna() & pub.notna() & (d < pub) & ~ok
        for row in frame.index[early]:
            src_key = key if tbl.has(key, row) or key != "deadline" else "deadline_text"
            out.append(make_problem("DUE_BEFORE_PUBLISHED", *tbl.where(src_key, row),
                                    display(d[row].date()), published=display(pub[row].date())))
    revised = as_datetime64(fa["revised_due"])
    earlier = revised.notna() & due.notna() & (revised < due)
    for row in fa.index[earlier]:
        out.append(make_problem("REVISED_BEFORE_DUE", *acts.where("revised_due", row),
                                display(revised[row].date()), due=display(due[row].date())))
    return out


def _excused(reg: Register, name: str, problems: list) -> tuple:
    """(cells, rows, {key: rows}) of a table whose required values may be missing: a status cell
    already said to hold only a fill colour, an item's HMICFRS status when it is not
    for the force, and every cell of an action of an item not for the force (no owner,
    due date or status is needed)."""
    table = reg.table(name)
    out = set()
    coloured = {(p.sheet, p.cell) for p in problems if p.code == "STATUS_ONLY_COLOUR"}
    for part_no, part in enumerate(table.parts if coloured else ()):
        keys = {letter: key for key, (letter, _) in part.headers.items() if letter}
        for sheet, cell in coloured:
            letter = cell.rstrip("0123456789")
            if sheet == part.sheet and letter in keys:
                out.add((keys[letter], part_no * PART_SPAN + int(cell[len(letter):])))
    rows, by_key = set(), {}         # every cell of these rows; these keys of these rows
    if name == schema.ACTIONS and len(table.frame):
        items = reg.items.frame
        others = set(items.loc[items["applies"] == "No", "item_id"])
        if others:
            fa = table.frame
            rows = set(fa.index[fa["action_item_id"].isin(others).to_numpy()].tolist())
    if name == schema.ITEMS and len(table.frame):
        fi = table.frame             # an item not for the force needs no HMICFRS status
        by_key["hmicfrs_status"] = set(fi.index[(fi["applies"] == "No").to_numpy()].tolist())
    return frozenset(out), frozenset(rows), by_key


def _responses_not_recorded(reg: Register) -> list[Problem]:
    """Once: the reports whose responses the pack shows as 'Not recorded' (the register
    keeps no response dates, or was adopted from one that kept none), and how to record
    them. (Which reports, the roll-up says: their day 56 is past, by the as-of date or
    the adoption.)"""
    ins = reg.inspections
    fi = ins.frame
    if not len(fi):
        return []
    cols = {k: schema.BY_KEY[k].header for k in ("response_sent", "response_published",
                                                  "response_required")}
    adopted = reg.settings.adopted_on
    if not {"response_sent", "response_published"} & set(ins.headers):
        what = ("The register has no column for the dates the PCC's responses were sent "
                "and published")
        them = "a report whose day 56 has passed with no date"
    elif adopted is not None:
        from gain_workbook.core.dates import s55_last_day

        before = [p for p, pending in zip(fi["published"], responses_pending(fi))
                  if pending and isinstance(p, dt.date) and s55_last_day(p) < adopted]
        if not before:
            return []
        whose = "1 report's" if len(before) == 1 else f"{len(before)} reports'"
        what = (f"The register was adopted on {display(adopted)} from one that kept no "
                f"response dates, and {whose} day 56 had passed by then with none recorded")
        them = "it" if len(before) == 1 else "them"
    else:
        return []
    where = reg.plan.settings_sheet if adopted is not None and reg.plan else ins.sheet
    return [make_problem("RESPONSES_NOT_RECORDED", where or ins.sheet, "", "", "",
                         what=what, them=them, sent=cols["response_sent"],
                         published=cols["response_published"],
                         required=cols["response_required"])]


def responses_pending(fi):
    """Inspections whose s55 response is still to be sent (and is needed): neither sent
    nor published, and not marked Response required: No. The roll-up's response states
    start from this (rollup.PENDING_RESPONSE are its states for these). ``fi``: the
    register's inspections (dates as read) or the roll-up's (datetime64 columns)."""
    import pandas as pd

    def missing(col):
        col = col if pd.api.types.is_datetime64_any_dtype(col) else as_datetime64(col)
        return col.isna()

    return (missing(fi["response_sent"]) & missing(fi["response_published"])
            & (fi["response_required"] != "No"))


def validate(register: Register) -> ValidationReport:
    """Every problem in a register that has been read: schemas, then across tables."""
    problems = list(register.problems)
    for name in schema.TABLES + schema.OPTIONAL_TABLES:
        if register.table(name) is not None:
            problems.extend(_schema_problems(register.table(name),
                                             _excused(register, name, problems)))
    problems.extend(_cross_problems(register))
    problems.extend(_responses_not_recorded(register))
    problems.extend(_owner_problems(register))
    problems.extend(_check_problems(register))
    return ValidationReport(str(register.path.name), name_subjects(register, problems),
                            register.counts)


def _item_subjects(items, written: dict) -> dict:
    """{item id: 'PEEL-2026 AFI 2'}; where two items of a report share a label (each cause
    of concern's 'Rec 1'), each names its cause of concern too: 'PEEL-2026 CoC 2 Rec 1'."""
    from gain_workbook.model.refs import item_label

    own, parent_of = {}, {}
    for index, iid, ins, kind, number, parent in zip(
            items.index, items["item_id"], items["item_inspection_id"], items["kind"],
            items["number"], items["parent_item"]):
        if as_text(iid):
            label = written.get(("number", index)) or item_label(kind, number)
            own.setdefault(as_text(iid), (as_text(ins), label))
            parent_of.setdefault(as_text(iid), as_text(parent))
    shared = Counter(own.values())
    out = {}
    for iid, (ins, label) in own.items():
        above = own.get(parent_of[iid]) if shared[(ins, label)] > 1 else None
        out[iid] = " ".join(t for t in (ins, above[1] if above else "", label) if t)
    return out


def name_subjects(register: Register, problems: list[Problem]) -> list[Problem]:
    """Each problem with what its row is, in the board's words: 'PEEL-2026 AFI 2',
    'PEEL-2026 AFI 2, action A3', 'PEEL-2026' (the cell reference says where)."""
    import dataclasses

    from gain_workbook.model.refs import item_label

    if not any(p.row is not None and not p.subject for p in problems):
        return list(problems)                  # nothing to name (a clean register)
    items = register.items.frame
    written = register.items.raw
    item_of = _item_subjects(items, written)

    def subject(table: Table, r: dict) -> str:
        if table.name == schema.INSPECTIONS:
            return as_text(r["inspection_id"]) or as_text(r["title"])[:40]
        if table.name == schema.ITEMS:
            return item_of.get(as_text(r["item_id"])) or " ".join(
                t for t in (as_text(r["item_inspection_id"]), item_label(r["kind"], r["number"]))
                if t)
        item = item_of.get(as_text(r["action_item_id"]), as_text(r["action_item_id"]))
        action = as_text(r["action_id"])
        for prefix in (item, as_text(r["action_item_id"])):   # 'PEEL 2025 AFI 1 A2' -> 'A2'
            if prefix and action.lower().startswith(prefix.lower()) and len(action) > len(prefix):
                action = action[len(prefix):].lstrip(" -_/.")
                break
        return ", ".join(t for t in (item, f"action {action}" if action else "") if t)

    # the most specific table first: a flat sheet holds all three on each row
    tables = [register.table(n) for n in (schema.ACTIONS, schema.ITEMS, schema.INSPECTIONS)]
    wanted: dict[int, tuple] = {}                 # problem number -> (table, index)
    for n, p in enumerate(problems):
        if p.row is None or p.subject:
            continue
        for table in tables:
            hit = next((i * PART_SPAN + p.row for i, part in enumerate(table.parts)
                        if part.sheet == p.sheet and i * PART_SPAN + p.row in table.frame.index),
                       None)
            if hit is not None:
                wanted[n] = (table, hit)
                break
    names: dict[tuple, str] = {}
    for table in tables:                          # one lookup per table, not per problem
        rows = sorted({i for t, i in wanted.values() if t is table})
        if rows:
            for index, r in zip(rows, table.frame.loc[rows].to_dict("records")):
                names[(table.name, index)] = subject(table, r)
    out = list(problems)
    for n, (table, index) in wanted.items():
        out[n] = dataclasses.replace(out[n], subject=names[(table.name, index)])
    return out


def check(path, settings=None) -> tuple[Register, ValidationReport]:
    """Read and validate a register file. Raises RegisterError if it cannot be read."""
    from gain_workbook.register.forces import select

    register = select(read_register(path, settings, meanwhile=_load_pandera))
    return register, validate(register)


def _load_pandera() -> None:
    """Import pandera and its pandas backends (about half a second), while the register
    is being parsed on other threads, rather than after it."""
    import pandera.backends.pandas.register  # noqa: F401
    import pandera.pandas  # noqa: F401


def _open_actions(n: int) -> str:
    """'1 of its actions is', '3 of its actions are' (CLOSED_WITH_OPEN_ACTIONS)."""
    return f"{n} of its actions {'is' if n == 1 else 'are'}"
