"""A sheet's table read into normalised columns: which rows are data, each mapped column's
values made canonical (``values.normalise``), the columns not used kept beside, and
the useful columns that are missing reported.

Both readers use it: the template's (one table per role, ``reader``) and the flat
layouts' (one row per action, ``flat``).
"""

from __future__ import annotations

import re

from gain_workbook.model import schema
from gain_workbook.model.problems import make_problem
from gain_workbook.model.schema import ACTIONS, BY_KEY, norm_key
from gain_workbook.model.tables import PART_SPAN
from gain_workbook.core.sniff import col_letter
from gain_workbook.core.text import plural, shorten
from gain_workbook.register.content import status_of_percent, totals_label
from gain_workbook.register import periods
from gain_workbook.register.detect import SheetPlan
from gain_workbook.register.values import Context, month_first_in, normalise


def fill_merged(grid, merged, header_row: int) -> None:
    """Copy each merged block's top-left value into the block (data rows only)."""
    for (r0, c0), (r1, c1) in merged:
        if r1 <= header_row:
            continue
        r0 = max(r0, header_row + 1)
        if r0 >= len(grid):
            continue
        value = grid[r0][c0] if c0 < len(grid[r0]) else ""
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                row[c] = value


def data_rows(sheet: str, grid, header_row: int, cols: list[int], problems,
              headings: dict | None = None, not_heading: frozenset = frozenset(),
              skip: frozenset | set = frozenset()) -> list[int]:
    """0-based indexes of the rows below the header that hold data.

    Rows that are not data are reported, never dropped in silence: a note below the
    table, a totals row, a section heading (a lone text in a column that is not an
    action's or an item's words; kept in ``headings`` {row: text} when given, for the
    reader to use as the title of the rows below). ``skip``: rows the plan reads
    otherwise (a card's labels and its table's repeated headers).
    """
    rows = []
    seen_blank = False
    again = _headers_again(grid[header_row] if header_row < len(grid) else [], cols)
    for r in range(header_row + 1, len(grid)):
        if r in skip:
            seen_blank = False
            continue
        row = grid[r]
        lone = _lone_cell(row)
        if lone == _BLANK:
            seen_blank = True
            continue
        skipped = None
        if lone is not None:
            # (after a blank row, a lone text with rows of data under it heads them: a
            # section heading, not a note below the table)
            below = seen_blank and not _rows_follow(grid, r)
            skipped = _lone_problem(sheet, row, r, lone, below,
                                    len(cols) >= 3 and lone not in not_heading, headings)
        if skipped is None:
            skipped = _not_data_problem(sheet, row, r, seen_blank, cols)
        if skipped is None and not again[0].isdisjoint(row) and again[1](row):
            first = next(v for v in row if v not in ("", None))
            skipped = make_problem("ROW_SKIPPED", sheet, f"{col_letter(row.index(first))}{r + 1}",
                                   "", first, reason="it repeats the headers")
        if skipped is not None:
            problems.append(skipped)
            continue
        rows.append(r)
    return rows


_BLANK = -1


def _headers_again(head, cols: list[int]):
    """(the header row's texts, a test): does a row repeat the headers (a block of rows
    pasted with its header row, for a second report)? Most of the mapped columns that
    have a value, and at least two, hold their own header."""
    heads = {i: norm_key(head[i]) for i in cols
             if i < len(head) and isinstance(head[i], str) and head[i].strip()}

    def repeats(row) -> bool:
        filled = same = 0
        for i in cols:
            v = row[i] if i < len(row) else None
            if v in ("", None):
                continue
            filled += 1
            same += isinstance(v, str) and i in heads and norm_key(v) == heads[i]
        return same >= 2 and same * 2 > filled

    # (the first look is on the texts as typed: the headers again in other capitals too)
    typed = [head[i] for i in heads]
    return frozenset(typed + [f(t) for t in typed for f in (str.upper, str.lower,
                                                             str.title)]), repeats


def _rows_follow(grid, r: int) -> bool:
    """Is the next row after ``r`` that holds anything a row of several values?"""
    for row in grid[r + 1:]:
        lone = _lone_cell(row)
        if lone != _BLANK:
            return lone is None
    return False


def _lone_cell(row) -> int | None:
    """_BLANK for a row with nothing in it; the index of its one filled cell (or of a
    heading merged across the row); None for a row of several values."""
    empty = row.count("") + row.count(None)      # counted in C: most rows are full
    if empty >= len(row) - 1:
        filled = [i for i, v in enumerate(row) if v not in ("", None)
                  and not (isinstance(v, str) and not v.strip())]
        return filled[0] if filled else _BLANK
    if row[-1] == (v0 := row[0]) and v0 not in ("", None) \
            and row.count(v0) + empty == len(row):
        return 0                                   # a heading merged across the row
    return None


def _lone_problem(sheet: str, row, r: int, lone: int, seen_blank: bool, may_head: bool,
                  headings: dict | None):
    """A row of one value: a note below the table (after a blank row), or a section
    heading (text, where a heading may stand); None when it is neither."""
    v = row[lone]
    if seen_blank:
        return make_problem("NOTE_BELOW_TABLE", sheet, f"{col_letter(lone)}{r + 1}", "", v)
    if isinstance(v, str) and may_head:
        if headings is not None:
            headings[r] = v.strip()
        return make_problem("ROW_SKIPPED", sheet, f"{col_letter(lone)}{r + 1}", "", v,
                            reason=f"'{shorten(v, 50)}' is a section heading, not a row")
    return None


def _not_data_problem(sheet: str, row, r: int, seen_blank: bool, cols: list[int]):
    """A totals row, a key below the table, or a row with nothing in the mapped columns
    (a note): the problem that says so; None for a row of data."""
    if (total := totals_label(row)) is not None:
        return make_problem("ROW_SKIPPED", sheet, f"{col_letter(row.index(total))}{r + 1}", "",
                            total, reason="it is a totals row")
    first = row[0]
    if first == "" or first is None:
        first = next((v for v in row if v not in ("", None)), None)
    if seen_blank and isinstance(first, str) and norm_key(first).split(" ")[0] in _KEY_WORDS:
        return make_problem("ROW_SKIPPED", sheet, f"{col_letter(row.index(first))}{r + 1}", "",
                            first, reason="it is a key or note below the table")
    if not any(i < len(row) and row[i] not in ("", None) and
               not (isinstance(row[i], str) and not row[i].strip()) for i in cols):
        i = next(i for i, v in enumerate(row) if v not in ("", None))
        return make_problem("NOTE_BELOW_TABLE", sheet, f"{col_letter(i)}{r + 1}", "", row[i])
    return None


_KEY_WORDS = frozenset({"key", "keys", "note", "notes", "source", "sources", "legend", "nb"})


def read_columns(plan: SheetPlan, grid, table_keys, ctx: Context, part_no: int, raw: dict,
             headings: dict | None = None, skip: frozenset | set = frozenset()):
    """Extract and normalise the mapped columns of a sheet: (rows, {key: values}, srcs, extra).

    A column read as progress figures (``ColumnPlan.convert`` 'percent': '60%', 0.6)
    gives the action's status (100% Complete, 0% Not started, else In progress); its
    figures are kept beside, as the office's own column."""
    sheet, header_row = plan.name, plan.header_row
    for idx, text, key in plan.dupes:
        other = plan.mapping[key][1]
        ctx.problems.append(make_problem("DUPLICATE_COLUMN", sheet,
                                         f"{col_letter(idx)}{header_row + 1}", text, text,
                                         other=other))
    mapping = {k: v for k, v in plan.mapping.items() if k in table_keys}
    # (an owner named with no address yet is a row, not a section heading)
    not_heading = frozenset(i for k, (i, _) in mapping.items()
                            if BY_KEY[k].table == ACTIONS or k in ("item_text", "owner_name"))
    before = len(ctx.problems)
    rows = data_rows(sheet, grid, header_row, [i for i, _ in mapping.values()], ctx.problems,
                     headings, not_heading, skip)
    plan.read_rows = rows
    plan.skipped = [(p.cell, f"a note below the table ('{shorten(p.value, 50)}')"
                     if p.code == "NOTE_BELOW_TABLE" else p.message.split(": ", 1)[-1].rstrip("."))
                    for p in ctx.problems[before:]]
    data = {}
    srcs = {}
    width = max((len(grid[r]) for r in rows), default=0)
    # one transpose (in C) instead of indexing every cell column by column
    columns = list(zip(*[grid[r] if len(grid[r]) == width else
                         list(grid[r]) + [""] * (width - len(grid[r])) for r in rows])) \
        if rows else []
    base = part_no * PART_SPAN + 1

    def index_of(r):
        return base + r

    converted = {c.index for c in plan.columns if c.convert == "percent"}
    # (a sheet that writes one date month first may write any so: each date column is told)
    ctx.month_first = month_first_in(*(columns[idx] for key, (idx, _) in mapping.items()
                                       if BY_KEY[key].kind == "date" and idx < len(columns)))
    for key, (idx, text) in mapping.items():
        values = _cells(plan, columns, idx, len(rows))
        if idx in converted:
            values = [status_of_percent(v) or v for v in values]
        data[key] = normalise(BY_KEY[key], values, rows, sheet, col_letter(idx), text, ctx,
                               raw, index_of)
        srcs[key] = (col_letter(idx), text)
    ctx.month_first = None
    _updates_dated_by_period(plan, columns, mapping, data, srcs, table_keys)
    used = {i for i, _ in mapping.values()}
    extra = [c.header for c in plan.columns if c.header and (c.index not in used
                                                             or c.index in converted)]
    plan.extras = _own_columns(plan, columns, rows, used - converted, index_of)
    _actions_across_the_row(plan, mapping, ctx)
    return rows, data, srcs, extra


def _own_columns(plan: SheetPlan, columns: list, rows: list, used: set, index_of) -> dict:
    """The office's own columns, not read as ours: {header: {index: value}}. Values in a
    column with no header are the office's too, headed by their column ('Column M (no
    header)'): adopt said 'every value kept' and left them behind (a trial)."""
    extras = {}
    for c in plan.columns:
        if c.index not in used and c.index < len(columns):
            cells = {index_of(r): v for r, v in zip(rows, columns[c.index])
                     if v not in ("", None)}
            if c.header or cells:
                extras[c.header or f"Column {c.letter} (no header)"] = cells
    return extras


_HEADER_NUMBER = re.compile(r"(?<!\d)\d{1,2}$")        # 'Action 2': its number


_ORDINAL_HEADER = re.compile(r"(?:second|third|fourth|fifth|further|additional|another|"
                             r"2nd|3rd|4th|5th)\s", re.I)


def _numbered(header: str) -> str | None:
    """The words of a numbered header ('Action 2', 'Action no. 2', 'Action #2', 'Action
    (2)', 'Second action', 'Further action' -> 'action'), or None when it has none."""
    h = header.strip()
    if m := _ORDINAL_HEADER.match(h):
        return norm_key(h[m.end():])
    h = h.rstrip(")").rstrip()
    m = _HEADER_NUMBER.search(h)
    if m is None:
        return None
    words = re.sub(r"\s(?:no|number)$", "", h[:m.start()].rstrip(" #.("), flags=re.I)
    return norm_key(words)


def _actions_across_the_row(plan: SheetPlan, mapping: dict, ctx: Context) -> None:
    """A row's further actions laid across it ('Action 1', 'Owner 1', 'Due 1' ...,
    'Action 2', 'Owner 2' ...): only the first group is read, the others were lost in
    silence (and the item looked finished with an overdue action beside it). Each unread
    column named as the action's column is, with another number, that holds a value is an
    error at its first value, so the register is refused until each action has its row."""
    if "action_text" not in mapping:
        return
    idx, read_as = mapping["action_text"]
    base = _numbered(read_as) or norm_key(read_as)
    for c in plan.columns:
        values = plan.extras.get(c.header) if c.index != idx and c.header else None
        if values and _numbered(c.header) == base:
            row, value = min(values.items())
            cell = f"{col_letter(c.index)}{(row - 1) % PART_SPAN + 1}"
            ctx.problems.append(make_problem("ACTIONS_ACROSS_COLUMNS", plan.name, cell,
                                             c.header, value, other=f"'{read_as}'"))


def _updates_dated_by_period(plan: SheetPlan, columns: list, mapping: dict, data: dict,
                             srcs: dict, table_keys) -> None:
    """A sheet with no date of update whose updates' column names a period ('Q3 25/26
    update', 'Update Nov 25'; and an earlier period's where the latest is blank): each
    update is dated by its period's last day, not left undated (an undated update was
    counted as stale from the report's publication, years)."""
    if "latest_update" not in mapping or "last_updated" in mapping or \
            "last_updated" not in table_keys:
        return
    idx = mapping["latest_update"][0]
    col = next(c for c in plan.columns if c.index == idx)
    heads = {c.index: c.header for c in plan.columns}
    order = [(i, periods.period_day(heads.get(i, ""))) for i in (idx, *col.earlier)]
    if not any(day for _, day in order) or idx >= len(columns):
        return
    out = []
    for r in range(len(columns[idx])):
        got = next(((i, day) for i, day in order if i < len(columns)
                    and columns[i][r] not in ("", None)), (None, None))
        out.append(got[1])
    data["last_updated"] = out
    srcs["last_updated"] = ("", f"the period of '{col.header}'")
    col.note = (col.note + "; " if col.note else "") + \
        "each update dated by its period's last day (the sheet has no date of update)"


def _cells(plan: SheetPlan, columns: list, idx: int, n: int):
    """A mapped column's cells (read, not changed); a column kept one per period with
    the earlier periods' (``ColumnPlan.earlier``) where its own are blank."""
    values = columns[idx] if idx < len(columns) else ("",) * n
    before = next((c.earlier for c in plan.columns if c.index == idx), ())
    if before:
        values = latest_given(values, [columns[i] for i in before if i < len(columns)])
    return values


def latest_given(values, before: list) -> list:
    """A column kept one per period, read with the earlier periods' (``before``, latest
    first): each row's latest cell that is not blank."""
    out = list(values)
    for i, v in enumerate(out):
        if v in ("", None) or (isinstance(v, str) and not v.strip()):
            out[i] = next((col[i] for col in before if col[i] not in ("", None)
                           and not (isinstance(col[i], str) and not col[i].strip())), v)
    return out


def drop_grid(grids: dict, name: str) -> None:
    """Let a sheet's cells go once its columns are read (the frames keep what they need):
    at 100,000 actions the grids are the largest thing read, and the roll-up and the
    pack that follow need the room. The sheet's name stays, with no cells."""
    grids[name] = ([], [])


def frame(table: str, index: list[int], data: dict):
    import pandas as pd

    keys = [c.key for c in schema.columns_of(table)]
    n = len(index)
    cols = {k: data.get(k, [None] * n) for k in keys}
    return pd.DataFrame(cols, index=pd.Index(index, name="row"), dtype=object)


# Columns a sheet may be read without, and what their absence costs: items known by
# their refs alone; reports named by section headings that do not say when.
_SAID_WHEN_ABSENT = {
    "item_text": " (the items' words), so the pack and the PCC's response show each item "
                 "by its ref alone, with no words",
    "published": " (the day each report was published), so no report has a day 56 for "
                 "the PCC's response (a heading naming a report may say it: '... (published "
                 "14 March 2024)')"}


def report_absent(table: str, sheet: str, srcs: dict, data: dict, n: int, problems,
            later: frozenset = frozenset()) -> None:
    """Report useful columns that are missing, filling the assumed value where we have one.

    Keys in ``later`` are worked out afterwards (a kind from the refs) and reported then.
    """
    for col in schema.columns_of(table):
        if col.key in srcs or col.key in data or col.key in later:
            continue
        if col.absent_default is not None:
            data[col.key] = [col.absent_default] * n
            closed = _closed_by_their_words(data) if col.key == "hmicfrs_status" else 0
            if not col.required:        # an optional column's default needs no word
                continue
            but = (f", except {plural(closed, 'item')} whose own status says HMICFRS "
                   f"closed {'it' if closed == 1 else 'them'}, read as that" if closed else "")
            problems.append(make_problem("MISSING_COLUMN", sheet, "", col.header, "",
                                         noun=schema.ROW_NOUN[table],
                                         assumed=f", so every {schema.ROW_NOUN[table]} was taken "
                                                 f"as '{col.absent_default}'{but}"))
        elif col.required and not col.required_column:
            problems.append(make_problem("MISSING_COLUMN", sheet, "", col.header, "",
                                         noun=schema.ROW_NOUN[table], assumed=""))
        elif col.key in _SAID_WHEN_ABSENT and n:   # (a sheet read without them)
            problems.append(make_problem("MISSING_COLUMN", sheet, "", col.header, "",
                                         noun=schema.ROW_NOUN[table],
                                         assumed=_SAID_WHEN_ABSENT[col.key]))


# The words of an item's own status that say HMICFRS closed it, and how: a register with
# no HMICFRS status column says so there ('Closed by HMICFRS 12/03/2024', 'Superseded by
# the 2025 inspection', 'Discharged'). A plain 'Closed' is the force's word, not taken.
_HMICFRS_CLOSED_LEADS = (
    ("closed by hmicfrs", "Closed – complete"), ("closed by hmic", "Closed – complete"),
    ("hmicfrs closed", "Closed – complete"), ("discharged", "Closed – complete"),
    ("closed superseded", "Closed – superseded"), ("superseded", "Closed – superseded"),
    ("closed no further action", "Closed – no further action"),
    ("no further action", "Closed – no further action"),
    ("closed nfa", "Closed – no further action"), ("nfa", "Closed – no further action"))


def _closed_by_their_words(data: dict) -> int:
    """Where the sheet has no HMICFRS status column, an item whose own status says HMICFRS
    closed it takes that as its HMICFRS status, and the date the words give as the day
    it was closed (where the sheet has no column for it). How many did."""
    own = data.get("force_status")
    if not own:
        return 0
    from gain_workbook.core.dates import UNREADABLE, parse_date

    statuses, days = data["hmicfrs_status"], data.get("hmicfrs_closed")
    count = 0
    for n, text in enumerate(own):
        if type(text) is not str:
            continue
        folded = norm_key(text)
        word = next((w for lead, w in _HMICFRS_CLOSED_LEADS
                     if folded == lead or folded.startswith(lead + " ")), None)
        if word is None:
            continue
        statuses[n] = word
        count += 1
        day = _DAY_IN_WORDS.search(text)
        if days is None and "hmicfrs_closed" not in data and day:
            days = data["hmicfrs_closed"] = [None] * len(own)
        if day and days is not None and days[n] is None:
            got = parse_date(day.group(0))
            days[n] = None if got is UNREADABLE else got
    return count


_DAY_IN_WORDS = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{1,2}\s+[A-Za-z]{3,9}\s+\d{4}\b")


def extras(plans: list[SheetPlan], keep=None) -> dict:
    """The values of the columns not used, from every sheet (``keep``: indexes wanted)."""
    out: dict = {}
    for plan in plans:
        for header, values in getattr(plan, "extras", {}).items():
            got = out.setdefault(header, {})
            got.update(values if keep is None else
                       {i: v for i, v in values.items() if i in keep})
    return {h: v for h, v in out.items() if v}
