"""The flat layouts: one row per action, the item's and the inspection's columns repeated
on each row or merged across the item's rows, on one sheet or several (open and
archive), and the per-report layout (one sheet per report, its title and date above
its table). The rows are grouped into the three canonical tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gain_workbook.core.dates import parse_date
from gain_workbook.core.text import plural, shorten
from gain_workbook.model import schema
from gain_workbook.model.problems import display, make_problem
from gain_workbook.model.refs import (kind_word, label_at_start, leading_kind, parse_ref,
                                      ref_at_end, ref_key)
from gain_workbook.model.schema import ACTIONS, BY_KEY, INSPECTIONS, ITEMS, norm_key
from gain_workbook.model.tables import PART_SPAN, Part, Table
from gain_workbook.register import cards, sheets
from gain_workbook.register.derive import kind_named
from gain_workbook.register.detect import SheetPlan, heading_published, unreadable_heading_date
from gain_workbook.register.values import Context, normalise

ITEM_ABBR = {"Recommendation": "R", "Area for improvement": "AFI", "Cause of concern": "CoC",
             "Accelerated cause of concern": "ACoC"}

# Inspection columns a report's rows must share; any other inspection-level column
# that differs between one report's rows is the action's, not the report's.
_INSPECTION_CORE = frozenset({"inspection_id", "title", "published", "inspection_type"})


@dataclass
class _Sheet:
    """One sheet's rows, read and ready to group."""

    part_no: int
    plan: SheetPlan
    rows: list
    get: dict                   # {key: values, one per row}
    srcs: dict                  # {key: (column letter, header)}
    extra: list
    base: int                   # the index of the sheet's first row
    kinds: list = field(default_factory=list)   # the kind a heading above each row names


@dataclass
class _Groups:
    """The inspections, items and actions the rows are grouped into, as they grow."""

    inspections: dict = field(default_factory=dict)   # key -> {"row", "values"}
    items: dict = field(default_factory=dict)
    actions: list = field(default_factory=list)         # (index, values)
    item_counter: dict = field(default_factory=dict)
    action_counter: dict = field(default_factory=dict)
    parts: dict = field(default_factory=lambda: {INSPECTIONS: [], ITEMS: [], ACTIONS: []})
    kind_warned: bool = False


def read_flat(plans: list[SheetPlan], grids: dict, ctx: Context) -> dict:
    """The three tables from one or more sheets of one row per action.

    Sheets are read in order and share their groups: an item whose actions are split
    over an open and an archive sheet is one item. A report sheet (title above its
    table) gives every row that report.
    """
    keys = {c.key for c in schema.register_columns() if c.key not in schema.FLAT_SKIP}
    raw: dict = {}
    prepared = [_prepare(part_no, plan, grids, keys, ctx, raw)
                for part_no, plan in enumerate(plans)]
    short = _short_ids(prepared)
    groups = _Groups()
    for sheet in prepared:
        _group_sheet(sheet, groups, short, ctx.problems)
    return _tables(groups, plans, raw, ctx.problems)


# Section headings that are the parts of one inspection, not reports: the pillars of
# HMICFRS's fire and rescue and PEEL inspections.
PILLARS = frozenset({"effectiveness", "efficiency", "people", "legitimacy",
                     "effectiveness pillar", "efficiency pillar", "people pillar"})


def _prepare(part_no: int, plan: SheetPlan, grids: dict, keys: set, ctx: Context,
             raw: dict) -> _Sheet:
    """A sheet's rows read, with its report's title and date filled in on each."""
    grid, merged = grids[plan.name]
    sheets.fill_merged(grid, merged, plan.header_row)
    headings: dict = {}
    skip = cards.skip_rows(plan.cards) if plan.role == "cards" else frozenset()
    rows, data, srcs, extra = sheets.read_columns(plan, grid, keys, ctx, part_no, raw, headings,
                                                  skip)
    get = {k: data.get(k, [None] * len(rows)) for k in keys}
    _refs_in_the_words(plan, get, srcs)
    if plan.items_as_actions:            # each item its own action: its words the action's
        get["action_text"] = list(get["item_text"])
        srcs["action_text"] = srcs["item_text"]
        _status_as_the_items(plan, grid, rows, get, srcs)
        ctx.problems.append(make_problem("ITEMS_AS_ACTIONS", plan.name, "", "", ""))
    if plan.role == "cards":
        rows = cards.fill_cards(plan, grid, rows, get, srcs, ctx)
    nearest = _nearest_text_above(grid, plan.header_row if plan.group_row is None
                                  else plan.group_row) if headings else None
    sheets.drop_grid(grids, plan.name)
    del grid
    n = len(rows)
    # (a plain text above that is the tracker's own title, or none at all and headings
    # that name reports: the headings name them)
    naming = any(not heading_kind(h) and norm_key(str(h)) not in PILLARS
                 for h in headings.values())
    if headings and plan.role == "report" and (
            ("title" in plan.plain_meta and not all(norm_key(str(h)) in PILLARS
                                                    for h in headings.values()))
            or ("title" not in plan.meta and naming)):
        # section headings name the reports; the text above is the tracker's own title,
        # or, where rows come before the first heading, the first report's heading
        plan.role, plan.reason = "flat", "its section headings name the reports"
        value, cell = plan.meta.pop("title", (None, ""))
        first = rows and rows[0] < min(headings) and nearest is not None
        if first:              # rows before the first heading: the text nearest above
            headings[-1] = nearest[1]               # them is their report's heading
            if plan.meta.get("published", (None, None))[1] == nearest[0]:
                del plan.meta["published"]          # (its own date: read with it)
        if value is not None and (not first or cell != nearest[0]):
            plan.titles.insert(0, (cell, value))
    _fill_report(plan, get, srcs, n, ctx)
    kinds = _kinds_from_headings(rows, headings)
    if kinds:
        _refs_in_the_words(plan, get, srcs, _number_at_start, "the numbers its words begin "
                           "with ('{first}.') are the items', their kind the heading's")
    _titles_from_headings(plan, rows, headings, get, srcs, ctx.problems)
    base = part_no * PART_SPAN + 1
    _keep_with_actions(plan, get, srcs, rows, base)
    return _Sheet(part_no, plan, rows, get, srcs, extra, base, kinds)


def _status_as_the_items(plan: SheetPlan, grid, rows: list, get: dict, srcs: dict) -> None:
    """Each item its own action: the status is the item's own too, as written (its
    Force's status), so a status that says HMICFRS closed it ('Superseded by PEEL AFI 4')
    is its HMICFRS status; it was only the action's 'Closed', the item left Open and
    'awaiting sign-off' (a trial)."""
    if "force_status" in srcs or "action_status" not in srcs:
        return
    idx = plan.mapping["action_status"][0]
    get["force_status"] = [" ".join(str(grid[r][idx]).split()) or None
                           if idx < len(grid[r]) and grid[r][idx] not in ("", None) else None
                           for r in rows]
    srcs["force_status"] = srcs["action_status"]


def _refs_in_the_words(plan: SheetPlan, get: dict, srcs: dict, read=label_at_start,
                       said: str = "the refs its words begin with ('{first}') are the items' "
                                   "refs") -> None:
    """Items' words that begin with their refs ('AFI 1 – The force should ...',
    'Recommendation 1 (CoC 1): Within three months, ...') on a sheet with no column of
    refs: each ref is the item's, its words what follow. Every item was a
    recommendation numbered by its row (a cause of concern among them, and the
    response counted them all as recommendations), in silence. Only where most of the
    items' words begin so; said in describe (``said``). ``read``: a text's (ref, rest),
    or None (_number_at_start for numbers under headings that say the kind)."""
    if "item_text" not in srcs or "number" in srcs or "item_id" in srcs:
        return
    texts = get["item_text"]
    found = [read(t) for t in texts]
    given = sum(1 for t in texts if t not in (None, ""))
    hits = sum(1 for f in found if f is not None)
    if not hits or hits * 2 < given:
        return
    for i, f in enumerate(found):
        if f is not None:
            get["number"][i], texts[i] = f
    srcs["number"] = srcs["item_text"]
    col = next((c for c in plan.columns if c.key == "item_text"), None)
    if col is not None:
        first = shorten(next(f for f in found if f)[0], 30)
        col.note = (col.note + "; " if col.note else "") + said.format(first=first)


# an item's number before its words, under a heading that says its kind: '1. The force ...'
_NUMBER_AT_START = re.compile(r"(\d{1,3})[.)] +(?=\S)")


def _number_at_start(text) -> tuple[str, str] | None:
    """(the number, the words after it) of items' words numbered '1. ...', '2. ...' under
    headings that say their kind ('Recommendations'): they were 'item 1' ... 'item 5'."""
    m = _NUMBER_AT_START.match(text) if type(text) is str else None
    return (m.group(1), text[m.end():]) if m else None


def _nearest_text_above(grid, top: int):
    """(cell, text) of the lone text nearest above a sheet's headers, or None."""
    for r in range(top - 1, -1, -1):
        filled = [(c, v) for c, v in enumerate(grid[r]) if v not in ("", None)]
        if filled:
            c, v = filled[0]
            if isinstance(v, str) and all(x == v for _, x in filled):
                return f"{sheets.col_letter(c)}{r + 1}", v.strip()
            return None
    return None


def heading_kind(text) -> str | None:
    """The kind a section heading names ('Areas for improvement', 'Causes of concern',
    'Recommendations (3)'), or None."""
    text = str(text)
    if len(text) > 120:
        return None
    words = norm_key(re.sub(r"\([^()]*\)", " ", text)).split()
    if not 1 <= len(words) <= 5:
        return None
    return kind_word(" ".join(words)) or kind_word(" ".join(
        w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words))


def _kinds_from_headings(rows: list[int], headings: dict) -> list:
    """For each row, the kind the section heading above it names (None where none does):
    under 'Cause of concern' and 'Areas for improvement' headings, a plain ref '1' is
    the cause of concern's or the area for improvement's, never pooled with the other."""
    marks = sorted((r, k) for r, text in headings.items() if (k := heading_kind(text)))
    if not marks:
        return []
    out, current, j = [], None, 0
    for r in rows:
        while j < len(marks) and marks[j][0] < r:
            current = marks[j][1]
            j += 1
        out.append(current)
    return out


def _group_sheet(sheet: _Sheet, groups: _Groups, short: dict, problems: list) -> None:
    """Each row of a sheet into its inspection, its item and (when it has one) its action."""
    get, srcs = sheet.get, sheet.srcs
    insp_cols = [c.key for c in schema.columns_of(INSPECTIONS)]
    item_cols = [c.key for c in schema.columns_of(ITEMS) if c.key != "item_inspection_id"]
    action_cols = [c.key for c in schema.columns_of(ACTIONS) if c.key != "action_item_id"]
    default_kind = kind_named(srcs.get("item_text", ("", ""))[1]) \
        or BY_KEY["kind"].absent_default
    defaulted: list = []
    continued: list = []
    own: list = []                      # (row, item id): an item's own row, not an action
    last_item = last_ins = None
    for i, r in enumerate(sheet.rows):
        excel = sheet.base + r
        # blank report cells (not merged, just left blank): the report above continues
        ins_key = get["inspection_id"][i] or get["title"][i] or last_ins or "(no inspection)"
        last_ins = ins_key
        ins = groups.inspections.get(ins_key)
        if ins is None:
            ins = groups.inspections[ins_key] = {"row": excel, "values": {}}
            ins["values"]["inspection_id"] = get["inspection_id"][i] or \
                short.get(get["title"][i], get["title"][i])
        _merge_group(ins, insp_cols, get, i, excel, sheet.plan.name, srcs, problems,
                     "inspection")
        _text_goes_on(groups, sheet, i, last_item, ins_key, continued)
        item, last_item = _item_of(groups, sheet, i, ins_key, ins["values"]["inspection_id"],
                                   last_item, default_kind, defaulted)
        _merge_group(item, item_cols, get, i, excel, sheet.plan.name, srcs, problems, "item")
        if item["row"] == excel and _items_own_row(sheet, i):
            own.append((excel, _as_the_items(item, get, i)))
        elif any(get[k][i] not in (None, "") for k in ("action_text", "action_id", "due",
                                                        "action_status", "owner")):
            item_id = item["values"]["item_id"]
            groups.action_counter[item_id] = groups.action_counter.get(item_id, 0) + 1
            values = {k: get[k][i] for k in action_cols}
            values["action_id"] = values["action_id"] or \
                f"{item_id} A{groups.action_counter[item_id]}"
            values["action_item_id"] = item_id
            groups.actions.append((excel, values))
        elif get["force"][i] not in (None, ""):
            item["values"].setdefault("item_force", get["force"][i])   # a row of its own
    _kind_warning(sheet, groups, default_kind, defaulted, problems)
    _continued_warning(sheet, groups, continued, problems)
    _own_row_warning(sheet, own, problems)
    _sheet_parts(sheet, groups, insp_cols, item_cols, action_cols)


# An item's own row: its lead, date and status beside its words, its actions below.
_ITEM_REFS = ("number", "item_id", "item_text")


def _items_own_row(sheet: _Sheet, i: int) -> bool:
    """Is row i, which starts an item, the item's own (a lead, a date, a status, but no
    action's words), its actions on the rows below (their words, no item cells)? Read
    as an action, it was an action with no words (an error whose fix was wrong)."""
    get = sheet.get
    if "action_text" not in sheet.srcs or get["action_text"][i] not in (None, "") or \
            get["action_id"][i] not in (None, "") or i + 1 >= len(sheet.rows):
        return False
    if get["action_text"][i + 1] in (None, "") or \
            any(get[k][i + 1] not in (None, "") for k in _ITEM_REFS):
        return False
    return any(get[k][i] not in (None, "") for k in ("owner", "due", "action_status"))


def _as_the_items(item: dict, get: dict, i: int) -> str:
    """The row's lead, date and status as its item's (where the item has none), the row
    no action; returns the item's id."""
    values = item["values"]
    for mine, theirs in (("owner", "item_lead"), ("due", "deadline"),
                         ("action_status", "force_status")):
        if get[mine][i] not in (None, "") and values.get(theirs) in (None, ""):
            values[theirs] = get[mine][i]
    return values["item_id"]


def _own_row_warning(sheet: _Sheet, own: list, problems) -> None:
    """ITEM_OWN_ROW once for a sheet: the rows read as their items' own."""
    if not own:
        return
    (row, item_id), more = own[0], len(own) - 1
    col = sheet.srcs.get("owner", sheet.srcs.get("due", ("", "")))[0]
    problems.append(make_problem(
        "ITEM_OWN_ROW", sheet.plan.name, f"{col}{row - sheet.base + 1}" if col else "",
        "", item_id, item=item_id,
        also=f" (and so {'was' if more == 1 else 'were'} {plural(more, 'other item')}'s)"
        if more else ""))


def _text_goes_on(groups: _Groups, sheet: _Sheet, i: int, last_item, ins_key,
                  continued: list) -> None:
    """A row whose only item cell is words that carry on the item above's (no ref, no
    report of its own; they start in lower case, or the words above stopped mid-sentence):
    its text wrapped over rows, as a long recommendation typed down the sheet is. The
    words join the item above's; the row is the item above's (an action on it is its)."""
    get = sheet.get
    text = get["item_text"][i]
    # (a report's title above a sheet per report is on every row: only a column's counts)
    own = ("number", "item_id", *(k for k in ("inspection_id", "title")
                                  if k in sheet.plan.mapping))
    if last_item is None or last_item[0] != ins_key or type(text) is not str or \
            any(get[k][i] for k in own):
        return
    item = groups.items.get(last_item)
    above = item["values"].get("item_text") if item else None
    refs = "number" in sheet.srcs or "item_id" in sheet.srcs    # (items have refs here)
    if type(above) is not str or above.strip() == text.strip() or not (
            text[:1].islower() or (refs and not above.rstrip().endswith(
                (".", ";", ":", "!", "?")))):
        return          # (the same words again are the item above's: _item_of's)
    item["values"]["item_text"] = f"{above.rstrip()} {text.strip()}"
    get["item_text"][i] = None
    continued.append((sheet.base + sheet.rows[i], text, item["values"]["item_id"]))


def _continued_warning(sheet: _Sheet, groups: _Groups, continued: list, problems) -> None:
    """TEXT_CONTINUED once for each item whose words went on over rows below it."""
    by_item: dict = {}
    for row, text, item_id in continued:
        by_item.setdefault(item_id, []).append((row, text))
    col = sheet.srcs.get("item_text", ("", ""))[0]
    for item_id, rows in by_item.items():
        (row, text), more = rows[0], len(rows) - 1
        problems.append(make_problem(
            "TEXT_CONTINUED", sheet.plan.name, f"{col}{row - sheet.base + 1}" if col else "",
            sheet.srcs.get("item_text", ("", ""))[1], text, item=item_id,
            also=(f", as are the words on the {plural(more, 'row')} under it" if more > 1
                  else ", as are the words on the row under it" if more else "")))


def _item_of(groups: _Groups, sheet: _Sheet, i: int, ins_key, ins_id: str, last_item,
             default_kind: str, defaulted: list):
    """(the item row i belongs to, made when it is new; its key): by its id, its kind and
    number, its words, or (all blank) the item above."""
    get, srcs = sheet.get, sheet.srcs
    number = get["number"][i]
    # (with no number, an id's refs say the kind: 'PEEL23 AFI 1')
    ref = (parse_ref(number) or ref_at_end(number)) if number else ref_at_end(get["item_id"][i])
    if "kind" in srcs and get["kind"][i]:
        kind = get["kind"][i]
    else:
        kind = ref.kind if ref is not None and ref.kind else leading_kind(number) or \
            (sheet.kinds[i] if sheet.kinds else None) or default_kind
    if get["item_id"][i]:
        item_key = (ins_key, "id", get["item_id"][i])
    elif number:
        item_key = (ins_key, kind, ref_key(number))     # ('AFI 1' and 'afi 1': one item)
    elif last_item is not None and last_item[0] == ins_key and _same_words(
            groups.items.get(last_item), get["item_text"][i]):
        item_key = last_item           # its words again, its ref only on its first row
    elif get["item_text"][i]:
        item_key = (ins_key, "text", get["item_text"][i])
    elif last_item is not None and last_item[0] == ins_key:
        item_key = last_item           # blank item cells: the item above continues
    else:
        item_key = (ins_key, "text", None)
    item = groups.items.get(item_key)
    if item is None:
        groups.item_counter[ins_key] = groups.item_counter.get(ins_key, 0) + 1
        if get["item_id"][i]:
            item_id = get["item_id"][i]
        elif number and any(ch.isalpha() for ch in str(number)):
            # a ref as the office wrote it (one that starts with its report's id already,
            # 'PEEL 2023 AFI7' of 'PEEL 2023', is not given it twice)
            item_id = str(number) if ref_key(number).startswith(ref_key(ins_id)) else \
                f"{ins_id} {number}"
        elif number:                    # ('1', '2.1': its kind's letters, so a
            # recommendation 2.1 and an area for improvement 2.1 are two ids)
            item_id = f"{ins_id} {ITEM_ABBR.get(kind, 'R')}{number}"
        else:
            item_id = f"{ins_id} item {groups.item_counter[ins_key]}"
        item = groups.items[item_key] = {"row": sheet.base + sheet.rows[i], "values": {
            "item_id": item_id, "item_inspection_id": ins_id}}
        if "kind" not in srcs or not get["kind"][i]:
            item["values"]["kind"] = kind
            if (ref is None or not ref.kind) and not leading_kind(number) and \
                    not (sheet.kinds and sheet.kinds[i]):
                defaulted.append(kind)
    return item, item_key


def _same_words(item, text) -> bool:
    """Are ``text`` the words the item already has (given again on a later row)?"""
    words = item["values"].get("item_text") if item else None
    return type(words) is str and type(text) is str and words.strip() == text.strip()


def _kind_warning(sheet: _Sheet, groups: _Groups, default_kind: str, defaulted: list,
                  problems: list) -> None:
    """Once for the register: items whose kind was assumed, since nothing said it."""
    srcs = sheet.srcs
    if not defaulted or "kind" in srcs or groups.kind_warned:
        return
    groups.kind_warned = True
    why = ("the kind its text column's header names" if default_kind != BY_KEY["kind"]
           .absent_default or kind_named(srcs.get("item_text", ("", ""))[1]) else
           "the usual kind")
    problems.append(make_problem(
        "MISSING_COLUMN", sheet.plan.name, "", BY_KEY["kind"].header, "", noun="item",
        assumed=f", and the refs of {plural(len(defaulted), 'item')} "
                f"do not say their kind, so they were taken as '{default_kind}' ({why})"))


def _sheet_parts(sheet: _Sheet, groups: _Groups, insp_cols, item_cols, action_cols) -> None:
    """Where each canonical column of a derived table was read from on this sheet."""
    srcs = sheet.srcs

    def src_of(*cands):
        return next((srcs[k] for k in cands if k in srcs), None)

    hdr_ins = {k: srcs[k] for k in insp_cols if k in srcs}
    hdr_ins.setdefault("inspection_id", src_of("title"))
    hdr_item = {k: srcs[k] for k in item_cols if k in srcs}
    hdr_item.setdefault("item_id", src_of("number", "item_text"))
    hdr_item["item_inspection_id"] = src_of("inspection_id", "title")
    hdr_act = {k: srcs[k] for k in action_cols if k in srcs}
    hdr_act.setdefault("action_id", src_of("action_text"))
    hdr_act["action_item_id"] = src_of("item_id", "number", "item_text")
    for name, hdrs in ((INSPECTIONS, hdr_ins), (ITEMS, hdr_item), (ACTIONS, hdr_act)):
        groups.parts[name].append(Part(sheet.plan.name, {k: v for k, v in hdrs.items() if v},
                                       sheet.extra))


def _tables(groups: _Groups, plans: list[SheetPlan], raw: dict, problems: list) -> dict:
    """The grouped rows as the three canonical tables."""
    parts = groups.parts
    out = {}
    for name, found in ((INSPECTIONS, list(groups.inspections.values())),
                        (ITEMS, list(groups.items.values()))):
        index = [g["row"] for g in found]
        tdata = {k: [g["values"].get(k) for g in found]
                 for k in [c.key for c in schema.columns_of(name)]}
        _absent_flat(name, parts[name], tdata, len(found), problems)
        out[name] = Table(name, parts[name], sheets.frame(name, index, tdata), raw)
    actions = groups.actions
    index = [a[0] for a in actions]
    a_data = {k: [a[1].get(k) for a in actions] for k in [c.key for c in schema.columns_of(ACTIONS)]}
    _absent_flat(ACTIONS, parts[ACTIONS], a_data, len(actions), problems)
    out[ACTIONS] = Table(ACTIONS, parts[ACTIONS], sheets.frame(ACTIONS, index, a_data), raw,
                         sheets.extras(plans, set(index)))
    # the columns not used of a row that is an item's only (it has no action)
    out[ITEMS].extras = sheets.extras(plans, set(out[ITEMS].frame.index) - set(index))
    return out


def _short_ids(prepared) -> dict:
    """title -> the Inspection ID a register with no such column gets: the part of the
    title before a colon ('PEEL 2025: An inspection of ...' -> 'PEEL 2025'), else a
    report sheet's own name, when short; the whole title where that would not be unique.

    Ids are what the pack's narrow columns show and what items' ids are made from, so a
    short one reads better; it is made from the title alone, so it stays the same from
    month to month."""
    given, wanted = set(), {}
    for sheet in prepared:
        plan, get = sheet.plan, sheet.get
        for ins_id, title in zip(get["inspection_id"], get["title"]):
            if ins_id:
                given.add(ins_id)
            elif title and title not in wanted:
                # (a lookbehind: a search starts only at a run of spaces' start)
                head = re.split(r"(?<!\s)\s*[:–—]\s+|(?<!\s)\s+-\s+", title,
                                maxsplit=1)[0].strip()
                if head == title or not 3 <= len(head) <= SHORT_ID:
                    head = plan.name if plan.role in ("report", "cards") and \
                        len(plan.name) <= SHORT_ID else title
                wanted[title] = head
    count: dict = {}
    for title, head in wanted.items():
        count[head] = count.get(head, 0) + 1
    titles = set(wanted)
    return {title: head if count[head] == 1 and head not in given and
            (head == title or head not in titles) else title
            for title, head in wanted.items()}


SHORT_ID = 30


def _absent_flat(name: str, parts: list[Part], tdata: dict, n: int, problems) -> None:
    """MISSING_COLUMN for a derived table: said once, for the columns no sheet had."""
    have = set().union(*(p.headers for p in parts)) if parts else set()
    present = {k: v for k, v in tdata.items() if k in have}
    if name == ITEMS:
        present["kind"] = tdata["kind"]          # from the Kind column or the refs
    sheets.report_absent(name, parts[0].sheet if parts else "", have, present, n, problems,
            later=frozenset({"kind"}) if name == ITEMS else frozenset())
    tdata.update(present)


def _fill_report(plan: SheetPlan, get: dict, srcs: dict, n: int, ctx: Context) -> None:
    """A report sheet's title, date, type and ref (above its table) on every row."""
    if plan.role not in ("report", "cards"):
        return
    meta = dict(plan.meta)
    _one_report_or_refuse(plan, get, srcs, meta)
    if "title" not in meta:
        meta["title"] = (plan.name, "")
        ctx.problems.append(make_problem("TITLE_FROM_SHEET_NAME", plan.name, "", "", plan.name))
    for key, (value, cell) in meta.items():
        if key in srcs:
            continue
        if cell:
            letter = "".join(ch for ch in cell if ch.isalpha())
            row0 = int("".join(ch for ch in cell if ch.isdigit())) - 1
            (value,) = normalise(BY_KEY[key], [value], [row0], plan.name, letter,
                                  BY_KEY[key].header, ctx, {}, lambda r: r)
        get[key] = [value] * n
        srcs[key] = ("", BY_KEY[key].header)     # one cell above the table, not a column


def _one_report_or_refuse(plan: SheetPlan, get: dict, srcs: dict, meta: dict) -> None:
    """A sheet read as one report (its title above the table) whose rows give several
    publication dates holds several reports, in a column not known by its header
    ('Source document'): read as one, they would be pooled under the title above. So it
    is refused, saying how to name that column."""
    import datetime as dt

    if plan.role != "report" or "title" in srcs or "published" not in srcs:
        return
    dates = {d for d in get.get("published", ()) if isinstance(d, dt.date)}
    if len(dates) < 2:
        return
    from gain_workbook.core.errors import RegisterError

    above = meta.get("title", ("", ""))[0]
    unread = [h for h in getattr(plan, "extras", {}) if h][:3]
    named = ", ".join(f"'{h}'" for h in unread)
    raise RegisterError(
        f"Cannot read the sheet '{plan.name}' as one report"
        + (f" ('{str(above).strip()[:60]}', the title above its table)" if above else "")
        + f": its {srcs['published'][1]} column gives {len(dates)} different dates, so its "
        f"rows are from several reports, and no column says which; name the column that "
        f"does with a row 'Alias: Title' and its header on the Settings sheet"
        + (f" (not read now: {named})" if named else "") + ".")


def _titles_from_headings(plan: SheetPlan, rows: list[int], headings: dict, get: dict,
                          srcs: dict, problems: list) -> None:
    """On a sheet with no report column, the section heading above a row names its report.

    (Where the sheet has a report column or a report's title above its table, a heading
    is a part of the report, such as a pillar, and names nothing.)"""
    # (a heading that names a kind, 'Areas for improvement', or a pillar names no report)
    headings = {r: h for r, h in headings.items()
                if not heading_kind(h) and norm_key(str(h)) not in PILLARS}
    if not headings or "inspection_id" in srcs or "title" in srcs:
        return
    plan.reason = "its section headings name the reports"
    read = {r: _heading_and_date(h) for r, h in headings.items()}
    _unreadable_heading_dates(plan.name, headings, problems)
    # one title with two dates is two reports (a revisit): each keeps its whole heading
    dates: dict = {}
    for title, day in read.values():
        dates.setdefault(title, set()).add(day)
    read = {r: (headings[r].strip() if len(dates[t]) > 1 else t, d)
            for r, (t, d) in read.items()}
    for r in _topics(read, headings, rows, get, srcs):
        del read[r]                     # a part of the report above: its rows stay its
    current = when = None
    marks = sorted(read)
    j = 0
    dated = False
    for i, r in enumerate(rows):
        while j < len(marks) and marks[j] < r:
            current, when = read[marks[j]]
            j += 1
        if not get["title"][i] and current:
            get["title"][i] = current
        if when is not None and "published" not in srcs and get["published"][i] in (None, ""):
            get["published"][i] = when
            dated = True
    srcs.setdefault("title", ("", "The report's section heading"))
    if dated:
        srcs["published"] = ("", "The publication date in its report's section heading")


# a heading that numbers a part of something: 'Section 2: Vetting', 'Part 3', 'Theme 1 -'
_PART_HEADING = re.compile(r"(?:section|part|chapter|theme|area|pillar)\s?\d{1,2}\b", re.I)
# words (or a year) only a report's name has: such a heading is never taken for a part
_NAMES_A_REPORT = re.compile(r"\b(?:inspection|report|review|peel|thematic|joint|letter|"
                             r"revisit|spotlight|super-complaint|(?:19|20)\d\d)", re.I)


def _topics(read: dict, headings: dict, rows: list[int], get: dict, srcs: dict) -> list:
    """The headings that are a part of the report above, not a report ('Vetting and
    counter-corruption' inside the PEEL block): they made a report of their own, the
    items under them taken from theirs (a trial). A heading is a part when it numbers
    one ('Section 2: Vetting'); when the sheet's headings give reports' dates and it
    gives none; when it names no report and stands straight under one that does,
    before any of its rows; or when its rows have the report above's publication date
    and none of their refs is one of that report's (a new report's refs start again)."""
    marks = sorted(read)
    dated = any(d is not None for _, d in read.values())
    under: dict = {r: [] for r in marks}
    j = -1
    for i, r in enumerate(rows):
        while j + 1 < len(marks) and marks[j + 1] < r:
            j += 1
        if j >= 0:
            under[marks[j]].append(i)
    out, report = [], None              # the heading of the report the rows are under
    for r in marks:
        if report is not None and (
                _PART_HEADING.match(str(headings[r]).strip())
                or (dated and read[r][1] is None)
                # (straight under a heading that names a report, before any of its rows,
                # 'Leadership': its first part; the report was named 'Leadership')
                or (not under[report] and _NAMES_A_REPORT.search(str(headings[report]))
                    and not _NAMES_A_REPORT.search(str(headings[r])))
                or ("published" in srcs and not _NAMES_A_REPORT.search(str(headings[r]))
                    and _same_report(under[report], under[r], get))):
            out.append(r)
            under[report] = under[report] + under[r]
            continue
        report = r
    return out


def _same_report(above: list, rows: list, get: dict) -> bool:
    """Do the rows under a heading carry the report above's publication date, and refs
    that do not start again (none of them one of the report above's)?"""
    days = {get["published"][i] for i in above} - {None, ""}
    mine = {get["published"][i] for i in rows} - {None, ""}
    if not days or mine != days or len(days) != 1:
        return False
    refs = {ref_key(get["number"][i]) for i in above if get["number"][i] not in (None, "")}
    ours = {ref_key(get["number"][i]) for i in rows if get["number"][i] not in (None, "")}
    return bool(refs) and bool(ours) and not refs & ours


def _unreadable_heading_dates(sheet: str, headings: dict, problems: list) -> None:
    """BAD_DATE for a heading whose publication date is no date ('published 31 February
    2024'): its report has none, and REQUIRED_MISSING alone named no heading."""
    for r in sorted(headings):
        bad = unreadable_heading_date(headings[r])
        if bad:
            problems.append(make_problem("BAD_DATE", sheet, "",
                                         f"the heading '{shorten(headings[r], 70)}'", bad))


def _heading_and_date(heading: str):
    """A section heading as a report's title, and the date it says the report was
    published ('... (published 14 March 2024)'), or None."""
    found = heading_published(heading)
    if found is None:
        return heading, None
    return found[1], parse_date(found[0])


def _keep_with_actions(plan: SheetPlan, get: dict, srcs: dict, rows: list, base: int) -> None:
    """An inspection-level column whose value differs between one report's rows (a
    'GAIN Board date' on each action row) is the action's: it is not read as the
    report's, so the rows do not disagree, and describe says so."""
    ins_of = [g or t for g, t in zip(get["inspection_id"], get["title"])]
    for key in [k for k in srcs if BY_KEY[k].table == INSPECTIONS and k not in _INSPECTION_CORE]:
        seen: dict = {}
        varies = False
        for ins, v in zip(ins_of, get[key]):
            if v in (None, ""):
                continue
            if seen.setdefault(ins, v) != v:
                varies = True
                break
        if varies:
            idx = plan.mapping[key][0]
            for c in plan.columns:
                if c.index == idx:
                    c.note = (f"differs between the rows of one report, so it is kept with each "
                              f"action, not read as the report's {BY_KEY[key].header}")
                    c.key, c.how = None, ""
                    plan.extras[c.header] = {base + r: v for r, v in zip(rows, get[key])
                                             if v not in (None, "")}
            del srcs[key]
            get[key] = [None] * len(get[key])


def _merge_group(group, cols, get, i, excel, sheet, srcs, problems, noun):
    """Fill a flat group's values from one row; report a row that disagrees with the first."""
    values = group["values"]
    first_rows = group.setdefault("first_rows", {})
    for k in cols:
        v = get[k][i]
        if v is None or v == "":
            continue
        old = values.get(k)
        if old is None or old == "":
            values[k] = v
            first_rows[k] = excel
        elif old != v and k in srcs and srcs[k][0] and excel != group["row"]:
            first = first_rows.get(k, group["row"])
            where = str(first % PART_SPAN)
            if first // PART_SPAN != excel // PART_SPAN:
                where += " of another sheet"
            # (under a ref, not an Item ID the office keeps unique, another item's words
            # are two items, numbered again in each part of a report)
            code = "ONE_REF_TWO_ITEMS" if k == "item_text" and "item_id" not in srcs and \
                _other_words(old, v) else "FLAT_CONFLICT"
            problems.append(make_problem(code, sheet,
                                         f"{srcs[k][0]}{excel % PART_SPAN}", srcs[k][1], v,
                                         first=display(old), noun=noun, first_row=where))


_PLAIN_WORDS = frozenset("the a an of to and in on for its it how force forces service should "
                         "improve make sure that with by is are be".split())
_WORD = re.compile(r"[a-z0-9]+")


def _other_words(first, later) -> bool:
    """Are two texts given for one item another item's words, not a slip (a typo, a word
    added)? Less than half of their telling words shared ('supervision of
    investigations' and 'use of DVPOs': two areas for improvement numbered 1 in two parts
    of a report, the second lost in silence under a warning of a slip)."""
    import difflib

    a, b = ({w for w in _WORD.findall(str(t).casefold()) if w not in _PLAIN_WORDS}
            for t in (first, later))
    if not (a and b):
        return False
    # (a word typed with a slip, 'supervison', is the same word)
    shared = sum(1 for w in a if w in b or difflib.get_close_matches(w, b, 1, 0.8))
    return shared * 2 < len(a) + len(b) - shared
