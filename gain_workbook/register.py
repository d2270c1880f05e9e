"""Read a register workbook (our template, or a register an office already keeps) into
canonical tables, remembering where every value came from.

How the workbook is read (each sheet's role, header row and columns) is decided
first, by ``detect.plan_workbook``; this module follows that plan. The layouts:

* **template**: Inspections, Items and Actions sheets, one row per thing (a role may
  have several sheets, e.g. open and archived actions: they are read together);
* **flat**: one row per action, the item and inspection columns repeated on each row
  or merged across the item's rows, on one sheet or several (open and archive);
* **per report**: one sheet per report, the report's title and date above its table.

Values are normalised (dates, status words, yes/no, refs); what cannot be normalised
is left as the user wrote it, for the validator to report with its cell. Beside the
tables, an Owners sheet (found by its name) is read through the schema too, and the
Updates and Extension requests sheets that merge keeps are read as rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gain_workbook import detect, history, schema
from gain_workbook.derive import derive_deadlines, derive_refs, kind_named, qualify_action_ids
from gain_workbook.detect import ROLE_TEXT, SETTINGS_SHEETS, Plan, SheetPlan
from gain_workbook.errors import RegisterError
from gain_workbook.refs import parse_ref
from gain_workbook.problems import Problem, display, make_problem
from gain_workbook.schema import ACTIONS, BY_KEY, INSPECTIONS, ITEMS, norm_key
from gain_workbook.settings import Settings, parse_settings
from gain_workbook.sniff import check_workbook, col_letter
from gain_workbook.tables import PART_SPAN, Part, Table
from gain_workbook.text import has_xml_illegal, plural, shorten, xml_safe
from gain_workbook.values import Context, normalise

__all__ = ["PART_SPAN", "Part", "Register", "Table", "build_register", "describe_workbook",
           "read_register"]

ITEM_ABBR = {"Recommendation": "R", "Area for improvement": "AFI", "Cause of concern": "CoC",
             "Accelerated cause of concern": "ACoC"}


@dataclass
class Register:
    """A register read into canonical tables, with the problems found on the way."""

    path: Path
    layout: str                    # "template" | "flat" | "per report"
    inspections: Table
    items: Table
    actions: Table
    settings: Settings
    problems: list[Problem]
    sheet_names: list[str]
    open_in_excel: bool = False
    plan: Plan | None = None
    owners: Table | None = None    # the Owners sheet, when the register has one
    updates: list = field(default_factory=list)      # rows of merge's Updates sheet
    extensions: list = field(default_factory=list)   # rows of its Extension requests sheet

    def table(self, name: str) -> Table:
        """The table called inspections, items, actions (or owners, None without a sheet)."""
        return {INSPECTIONS: self.inspections, ITEMS: self.items, ACTIONS: self.actions,
                schema.OWNERS: self.owners}[name]

    @property
    def counts(self) -> dict[str, int]:
        """Rows read per table."""
        return {t: len(self.table(t)) for t in schema.TABLES}


# ---------------------------------------------------------------- entry point

def describe_workbook(path) -> tuple[Plan, Register | None]:
    """How a workbook is read, and the register when it can be: for `gain-pack describe`.

    Unlike read_register this does not stop at a register it cannot read: the plan
    says what could not be placed (``plan.problem``)."""
    try:
        reg = read_register(path)
    except RegisterError as exc:
        plan = getattr(exc, "plan", None)       # set when the workbook opened but was not read
        if plan is None:
            raise
        plan.problem = str(exc).split(": ", 1)[-1]
        return plan, None
    return reg.plan, reg


def read_register(path, settings: Settings | None = None, meanwhile=None) -> Register:
    """Read a register workbook. Raises RegisterError when it cannot be read at all.

    ``settings`` (e.g. from the command line) override the register's Settings sheet.
    ``meanwhile`` is called while the sheets are being parsed (see _load_grids).
    """
    info = check_workbook(path)
    hidden: dict[str, str] = {}
    grids = _load_grids(info, meanwhile, hidden)
    reg = build_register(info.path, grids, info.date1904, settings, hidden,
                         clean=info.may_hold_controls)
    reg.open_in_excel = info.lock_file is not None
    return reg


def _load_grids(info, meanwhile=None, hidden: dict | None = None) -> dict:
    """Every worksheet's cells and merged ranges: {name: (rows, merged ranges)}, of the
    workbook check_workbook said ``info`` of.

    ``hidden`` (if given) is filled with the sheets the user cannot see:
    {name: "hidden" | "very hidden"}.

    python-calamine parses a sheet without holding the GIL, so two threads parse two
    sheets at once (each with its own workbook object: one cannot serve two threads),
    and the main thread imports pandas, and runs ``meanwhile``, in the time that frees.
    """
    from concurrent.futures import ThreadPoolExecutor

    from gain_workbook.sniff import calamine_source, open_calamine

    path = info.path
    source = calamine_source(info)

    def damaged(exc) -> RegisterError:
        return RegisterError(f"Cannot read '{path.name}': the workbook is damaged "
                             f"({type(exc).__name__}: {str(exc)[:120]}).")

    def open_book():
        try:
            return open_calamine(source)
        except PermissionError:
            raise RegisterError(f"Cannot read '{path.name}': permission denied; it may be "
                                "locked by another program.") from None
        except Exception as exc:  # calamine raises its own error types for damaged parts
            raise damaged(exc) from None

    def parse(book, names):
        out = {}
        try:
            book = book or open_book()
            for name in names:
                sh = book.get_sheet_by_name(name)
                out[name] = (sh.to_python(skip_empty_area=False), sh.merged_cell_ranges or [])
        except RegisterError:
            raise
        except Exception as exc:
            raise damaged(exc) from None
        finally:
            if book is not None:
                book.close()
        return out

    first = open_book()
    try:
        meta = [m for m in first.sheets_metadata if str(m.typ).endswith("WorkSheet")]
        sheets = [m.name for m in meta]
        if hidden is not None:
            for m in meta:
                state = str(m.visible).rsplit(".", 1)[-1]
                if state != "Visible":
                    hidden[m.name] = "very hidden" if state == "VeryHidden" else "hidden"
    except Exception as exc:
        first.close()
        raise damaged(exc) from None
    grids = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        lanes = [pool.submit(parse, first, sheets[0::2])]
        if sheets[1::2]:
            lanes.append(pool.submit(parse, None, sheets[1::2]))
        import pandas  # noqa: F401  (build_register needs it next)

        if meanwhile is not None:
            meanwhile()
        for lane in lanes:
            grids.update(lane.result())
    return {name: grids[name] for name in sheets}


def build_register(path: Path, grids: dict, date1904: bool = False,
                   overrides: Settings | None = None, hidden: dict | None = None,
                   clean: bool = True) -> Register:
    """Canonical tables from sheet grids ({name: (rows, merged ranges)}).

    ``hidden`` names the sheets the user cannot see ({name: "hidden"/"very hidden"}):
    a visible sheet always wins; a hidden one is read only when no visible sheet
    has the register, and each hidden sheet that looks like a register is reported.
    ``clean`` False skips looking for control characters (the sniff found none possible).
    """
    problems: list[Problem] = []
    hidden = hidden or {}
    if clean:
        for name, (grid, _) in grids.items():
            _clean_grid(name, grid, problems)
    if not grids or all(not any(v not in ("", None) for row in g for v in row)
                        for g, _ in grids.values()):
        raise RegisterError(f"Cannot read '{path.name}': the workbook is empty.")

    settings_sheet = next((n for n in sorted(grids, key=lambda n: n in hidden)   # visible first
                           if norm_key(n) in SETTINGS_SHEETS), None)
    settings = Settings()
    if settings_sheet:
        settings, found = _read_settings(settings_sheet, grids[settings_sheet][0])
        problems += found
    if overrides is not None:
        changed = {k: v for k, v in vars(overrides).items()
                   if k != "aliases" and v != getattr(Settings(), k)}
        settings = settings.replace(**changed)
    if not settings.named_force:
        where = _setting_row(grids[settings_sheet][0], "Force name") if settings_sheet else None
        problems.append(make_problem("NO_FORCE_NAME", settings_sheet or "Settings",
                                     f"B{where}" if where else "", "Force name", ""))

    plan = detect.plan_workbook(path.name, grids, settings.aliases, hidden, settings_sheet)
    try:
        _refuse_unreadable(path, plan, grids)
    except RegisterError as exc:
        exc.plan = plan                          # describe prints what could not be placed
        raise
    for s in plan.sheets:
        if s.hidden and (s.looks_like or s.read):
            role = s.looks_like or s.role
            problems.append(make_problem(
                "HIDDEN_SHEET", s.name, "", "", s.name, state=s.hidden, role=ROLE_TEXT[role],
                outcome=("it was read, because no visible sheet holds the register; unhide it "
                         "in Excel (right-click a sheet tab, Unhide) to check it" if s.read else
                         "it was not read, because a visible sheet was; unhide it in Excel if it "
                         "is the one to read")))
    ctx = Context(date1904, settings, problems)
    if plan.layout == "template":
        tables = {role: _read_role(role, plan.chosen(role), grids, ctx) for role in schema.TABLES}
    else:
        tables = _read_flat(plan.chosen(), grids, ctx)
    if plan.layout == "per report" and not plan.chosen("report"):
        plan.layout = "flat"
    derive_refs(tables, problems)
    qualify_action_ids(tables[ACTIONS])
    derive_deadlines(tables, date1904, problems)
    reg = Register(path, plan.layout, tables[INSPECTIONS], tables[ITEMS], tables[ACTIONS],
                   settings, problems, list(grids), plan=plan)
    _read_beside(reg, plan, grids, ctx)
    return reg


def _read_beside(reg: Register, plan: Plan, grids: dict, ctx: Context) -> None:
    """The sheets beside the register's tables: Owners (through the schema, as a table)
    and the history merge keeps (Updates, Extension requests: rows as written)."""
    for s in plan.sheets:
        if s.role == schema.OWNERS and reg.owners is None:
            reg.owners = _read_role(schema.OWNERS, [s], grids, ctx)
        elif s.role == "history":
            kind = history.history_kind(s.name, grids[s.name][0])
            rows = history.read_history(grids[s.name][0], history.SHEETS[kind])
            if kind == history.UPDATES_SHEET:
                reg.updates = rows
            else:
                reg.extensions = rows


def _refuse_unreadable(path: Path, plan: Plan, grids: dict) -> None:
    """Refuse a workbook the plan cannot read, naming every sheet's missing columns."""
    if plan.layout is None:
        found = "; ".join(f"'{s.name}' ({s.reason or 'looks like ' + ROLE_TEXT[s.role]})"
                          for s in plan.sheets)
        have = {s.looks_like or s.role for s in plan.sheets} & set(schema.TABLES)
        if have:
            missing = [schema.SHEET_NAMES[r] for r in schema.TABLES if r not in have]
            raise RegisterError(
                f"Cannot read '{path.name}': it has "
                f"{_and([schema.SHEET_NAMES[r] for r in schema.TABLES if r in have])} but no "
                f"sheet of {_and(missing)} (found: {found}).")
        raise RegisterError(f"Cannot read '{path.name}': no sheet looks like a register of "
                            f"inspections, items and actions (found: {found}).")
    lines = [detect.fix_line(s, key, grids[s.name][0]) for s in plan.chosen() for key in s.missing]
    if lines:
        raise RegisterError(f"Cannot read '{path.name}': " + "; ".join(lines)
                            + " (gain-pack describe shows how every column was read).")


def _clean_grid(sheet: str, grid, problems: list) -> None:
    """Remove what XML 1.0 cannot hold from every text cell, with a warning on its cell.

    Such a character (a control character pasted from another system, a lone
    surrogate) would make any workbook we write from the value unreadable.
    """
    texts = [v for row in grid for v in row if type(v) is str]
    if not texts or not has_xml_illegal("\n".join(texts)):
        return
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if type(v) is str and has_xml_illegal(v):
                row[c] = clean = xml_safe(v)
                problems.append(make_problem("CONTROL_CHARACTER", sheet,
                                             f"{col_letter(c)}{r + 1}", "", clean))


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _setting_row(grid, label: str) -> int | None:
    """The Excel row of a setting on the Settings sheet, if it has one."""
    for r, row in enumerate(grid, start=1):
        if row and norm_key(row[0]) == norm_key(label):
            return r
    return None


def _read_settings(sheet: str, grid) -> tuple[Settings, list[Problem]]:
    triples = []
    for r, row in enumerate(grid, start=1):
        key = row[0] if row else ""
        if key in ("", None):
            continue
        value = row[1] if len(row) > 1 else None
        triples.append((r, key, value if value != "" else None))
    settings, raw = parse_settings(triples)
    problems = []
    for code, r, key, value, expected in raw:
        fmt = {"key": key, "expected": expected, "known": expected}
        on_value = code != "UNKNOWN_SETTING"
        problems.append(make_problem(code, sheet, f"B{r}" if on_value else f"A{r}",
                                     "Setting", value if on_value else key, **fmt))
    return settings, problems


# ---------------------------------------------------------------- reading rows

def _fill_merged(grid, merged, header_row: int) -> None:
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


def _data_rows(sheet: str, grid, header_row: int, cols: list[int], problems,
               headings: dict | None = None, not_heading: frozenset = frozenset()) -> list[int]:
    """0-based indexes of the rows below the header that hold data.

    Rows that are not data are reported, never dropped in silence: a note below the
    table, a totals row, a section heading (a lone text in a column that is not an
    action's or an item's words; kept in ``headings`` {row: text} when given, for the
    reader to use as the title of the rows below).
    """
    rows = []
    seen_blank = False
    for r in range(header_row + 1, len(grid)):
        row = grid[r]
        empty = row.count("") + row.count(None)      # counted in C: most rows are full
        lone = None
        if empty >= len(row) - 1:
            filled = [i for i, v in enumerate(row) if v not in ("", None)
                      and not (isinstance(v, str) and not v.strip())]
            if not filled:
                seen_blank = True
                continue
            if len(filled) == 1:
                lone = filled[0]
        elif row[-1] == (v0 := row[0]) and v0 not in ("", None) \
                and row.count(v0) + empty == len(row):
            lone = 0                                   # a heading merged across the row
        if lone is not None:
            v = row[lone]
            if seen_blank:
                problems.append(make_problem("NOTE_BELOW_TABLE", sheet,
                                             f"{col_letter(lone)}{r + 1}", "", v))
                continue
            if isinstance(v, str) and lone not in not_heading and len(cols) >= 3:
                if headings is not None:
                    headings[r] = v.strip()
                problems.append(make_problem(
                    "ROW_SKIPPED", sheet, f"{col_letter(lone)}{r + 1}", "", v,
                    reason=f"'{shorten(v, 50)}' is a section heading, not a row"))
                continue
        first = row[0]
        if first == "" or first is None:
            first = next((v for v in row if v not in ("", None)), None)
        if type(first) is str and first[:1] in "Tt" and first[:5].lower() == "total" and \
                norm_key(first).split(" ")[0] in ("total", "totals"):
            i = row.index(first)
            problems.append(make_problem("ROW_SKIPPED", sheet, f"{col_letter(i)}{r + 1}", "",
                                         first, reason="it is a totals row"))
            continue
        if seen_blank and isinstance(first, str) and \
                norm_key(first).split(" ")[0] in _KEY_WORDS:
            i = row.index(first)
            problems.append(make_problem("ROW_SKIPPED", sheet, f"{col_letter(i)}{r + 1}", "",
                                         first, reason="it is a key or note below the table"))
            continue
        if not any(i < len(row) and row[i] not in ("", None) and
                   not (isinstance(row[i], str) and not row[i].strip()) for i in cols):
            i = next(i for i, v in enumerate(row) if v not in ("", None))
            problems.append(make_problem("NOTE_BELOW_TABLE", sheet, f"{col_letter(i)}{r + 1}",
                                         "", row[i]))
            continue
        rows.append(r)
    return rows


_KEY_WORDS = frozenset({"key", "keys", "note", "notes", "source", "sources", "legend", "nb"})


def _columns(plan: SheetPlan, grid, table_keys, ctx: Context, part_no: int, raw: dict,
             headings: dict | None = None):
    """Extract and normalise the mapped columns of a sheet: (rows, {key: values}, srcs, extra)."""
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
    rows = _data_rows(sheet, grid, header_row, [i for i, _ in mapping.values()], ctx.problems,
                      headings, not_heading)
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

    for key, (idx, text) in mapping.items():
        values = list(columns[idx]) if idx < len(columns) else [""] * len(rows)
        data[key] = normalise(BY_KEY[key], values, rows, sheet, col_letter(idx), text, ctx,
                               raw, index_of)
        srcs[key] = (col_letter(idx), text)
    used = {i for i, _ in mapping.values()}
    extra = [c.header for c in plan.columns if c.header and c.index not in used]
    extras = {}
    for c in plan.columns:
        if c.header and c.index not in used and c.index < len(columns):
            extras[c.header] = {index_of(r): v for r, v in zip(rows, columns[c.index])
                                if v not in ("", None)}
    plan.extras = extras
    return rows, data, srcs, extra


def _frame(table: str, index: list[int], data: dict):
    import pandas as pd

    keys = [c.key for c in schema.columns_of(table)]
    n = len(index)
    cols = {k: data.get(k, [None] * n) for k in keys}
    return pd.DataFrame(cols, index=pd.Index(index, name="row"), dtype=object)


def _absent(table: str, sheet: str, srcs: dict, data: dict, n: int, problems,
            later: frozenset = frozenset()) -> None:
    """Report useful columns that are missing, filling the assumed value where we have one.

    Keys in ``later`` are worked out afterwards (a kind from the refs) and reported then.
    """
    for col in schema.columns_of(table):
        if col.key in srcs or col.key in data or col.key in later:
            continue
        if col.absent_default is not None:
            data[col.key] = [col.absent_default] * n
            if not col.required:        # an optional column's default needs no word
                continue
            problems.append(make_problem("MISSING_COLUMN", sheet, "", col.header, "",
                                         noun=schema.ROW_NOUN[table],
                                         assumed=f", so every {schema.ROW_NOUN[table]} was taken "
                                                 f"as '{col.absent_default}'"))
        elif col.required and not col.required_column:
            problems.append(make_problem("MISSING_COLUMN", sheet, "", col.header, "",
                                         noun=schema.ROW_NOUN[table], assumed=""))


def _read_role(role: str, plans: list[SheetPlan], grids: dict, ctx: Context) -> Table:
    """One table of the template layout, from every sheet of its role (open and archive)."""
    keys = {c.key for c in schema.columns_of(role)}
    parts, index, data, raw = [], [], {k: [] for k in keys}, {}
    for part_no, plan in enumerate(plans):
        grid, merged = grids[plan.name]
        _fill_merged(grid, merged, plan.header_row)
        rows, got, srcs, extra = _columns(plan, grid, keys, ctx, part_no, raw)
        later = frozenset({"kind"}) if role == ITEMS and {"number", "item_id"} & set(srcs) \
            else frozenset()
        _absent(role, plan.name, srcs, got, len(rows), ctx.problems, later)
        parts.append(Part(plan.name, srcs, extra))
        index += [part_no * PART_SPAN + r + 1 for r in rows]
        if len(plans) == 1:
            data = got                   # one sheet, the usual case: nothing to join
        else:
            for k in keys:
                data[k] += got.get(k, [None] * len(rows))
    return Table(role, parts, _frame(role, index, data), raw, _extras(plans))


def _extras(plans: list[SheetPlan], keep=None) -> dict:
    """The values of the columns not used, from every sheet (``keep``: indexes wanted)."""
    out: dict = {}
    for plan in plans:
        for header, values in getattr(plan, "extras", {}).items():
            got = out.setdefault(header, {})
            got.update(values if keep is None else
                       {i: v for i, v in values.items() if i in keep})
    return {h: v for h, v in out.items() if v}


# ---------------------------------------------------------------- the flat layouts

# Inspection columns a report's rows must share; any other inspection-level column
# that differs between one report's rows is the action's, not the report's.
_INSPECTION_CORE = frozenset({"inspection_id", "title", "published", "inspection_type"})


def _read_flat(plans: list[SheetPlan], grids: dict, ctx: Context) -> dict:
    """The three tables from one or more sheets of one row per action.

    Sheets are read in order and share their groups: an item whose actions are split
    over an open and an archive sheet is one item. A report sheet (title above its
    table) gives every row that report.
    """
    problems = ctx.problems
    keys = {c.key for c in schema.register_columns() if c.key not in schema.FLAT_SKIP}
    insp_cols = [c.key for c in schema.columns_of(INSPECTIONS)]
    item_cols = [c.key for c in schema.columns_of(ITEMS) if c.key != "item_inspection_id"]
    action_cols = [c.key for c in schema.columns_of(ACTIONS) if c.key != "action_item_id"]

    inspections: dict = {}   # key -> {"row": index, "values": {...}}
    items: dict = {}
    actions = []
    item_counter: dict = {}
    action_counter: dict = {}
    parts = {INSPECTIONS: [], ITEMS: [], ACTIONS: []}
    raw: dict = {}
    kind_warned = False
    prepared = []                # each sheet's rows, read before any is grouped
    for part_no, plan in enumerate(plans):
        sheet = plan.name
        grid, merged = grids[sheet]
        _fill_merged(grid, merged, plan.header_row)
        headings: dict = {}
        rows, data, srcs, extra = _columns(plan, grid, keys, ctx, part_no, raw, headings)
        n = len(rows)
        get = {k: data.get(k, [None] * n) for k in keys}
        if headings and plan.role == "report" and "title" in plan.plain_meta:
            # section headings name the reports; the text above is the tracker's own title
            plan.role, plan.reason = "flat", "its section headings name the reports"
            value, cell = plan.meta.pop("title")
            plan.titles.insert(0, (cell, value))
        _fill_report(plan, get, srcs, n, ctx)
        _titles_from_headings(plan, rows, headings, get, srcs)
        base = part_no * PART_SPAN + 1
        _keep_with_actions(plan, get, srcs, rows, base)
        prepared.append((part_no, plan, rows, get, srcs, extra, base))

    short = _short_ids(prepared)
    for part_no, plan, rows, get, srcs, extra, base in prepared:
        sheet = plan.name

        def src_of(*cands):
            return next((srcs[k] for k in cands if k in srcs), None)

        default_kind = kind_named(srcs.get("item_text", ("", ""))[1]) \
            or BY_KEY["kind"].absent_default
        defaulted: list = []
        last_item = last_ins = None
        for i, r in enumerate(rows):
            excel = base + r
            # blank report cells (not merged, just left blank): the report above continues
            ins_key = get["inspection_id"][i] or get["title"][i] or last_ins or "(no inspection)"
            last_ins = ins_key
            ins = inspections.get(ins_key)
            if ins is None:
                ins = inspections[ins_key] = {"row": excel, "values": {}}
                ins["values"]["inspection_id"] = get["inspection_id"][i] or \
                    short.get(get["title"][i], get["title"][i])
            _merge_group(ins, insp_cols, get, i, excel, sheet, srcs, problems, "inspection")
            ins_id = ins["values"]["inspection_id"]

            number = get["number"][i]
            if "kind" in srcs and get["kind"][i]:
                kind = get["kind"][i]
            else:
                ref = parse_ref(number)
                kind = ref.kind if ref is not None and ref.kind else default_kind
            if get["item_id"][i]:
                item_key = (ins_key, "id", get["item_id"][i])
            elif number:
                item_key = (ins_key, kind, number)
            elif get["item_text"][i]:
                item_key = (ins_key, "text", get["item_text"][i])
            elif last_item is not None and last_item[0] == ins_key:
                item_key = last_item           # blank item cells: the item above continues
            else:
                item_key = (ins_key, "text", None)
            last_item = item_key
            item = items.get(item_key)
            if item is None:
                item_counter[ins_key] = item_counter.get(ins_key, 0) + 1
                if get["item_id"][i]:
                    item_id = get["item_id"][i]
                elif number and not str(number).isdecimal():
                    item_id = f"{ins_id} {number}"          # a ref as the office wrote it
                elif number:
                    item_id = f"{ins_id} {ITEM_ABBR.get(kind, 'R')}{number}"
                else:
                    item_id = f"{ins_id} item {item_counter[ins_key]}"
                item = items[item_key] = {"row": excel, "values": {
                    "item_id": item_id, "item_inspection_id": ins_id}}
                if "kind" not in srcs or not get["kind"][i]:
                    item["values"]["kind"] = kind
                    ref = parse_ref(number)
                    if ref is None or not ref.kind:
                        defaulted.append(kind)
            _merge_group(item, item_cols, get, i, excel, sheet, srcs, problems, "item")

            if any(get[k][i] not in (None, "") for k in ("action_text", "action_id", "due",
                                                          "action_status", "owner")):
                item_id = item["values"]["item_id"]
                action_counter[item_id] = action_counter.get(item_id, 0) + 1
                values = {k: get[k][i] for k in action_cols}
                values["action_id"] = values["action_id"] or f"{item_id} A{action_counter[item_id]}"
                values["action_item_id"] = item_id
                actions.append((excel, values))

        if defaulted and "kind" not in srcs and not kind_warned:
            kind_warned = True
            why = ("the kind its text column's header names" if default_kind != BY_KEY["kind"]
                   .absent_default or kind_named(srcs.get("item_text", ("", ""))[1]) else
                   "the usual kind")
            problems.append(make_problem(
                "MISSING_COLUMN", sheet, "", BY_KEY["kind"].header, "", noun="item",
                assumed=f", and the refs of {plural(len(defaulted), 'item')} "
                        f"do not say their kind, so they were taken as '{default_kind}' ({why})"))
        # Where each canonical column of a derived table was read from on this sheet.
        hdr_ins = {k: srcs[k] for k in insp_cols if k in srcs}
        hdr_ins.setdefault("inspection_id", src_of("title"))
        hdr_item = {k: srcs[k] for k in item_cols if k in srcs}
        hdr_item.setdefault("item_id", src_of("number", "item_text"))
        hdr_item["item_inspection_id"] = src_of("inspection_id", "title")
        hdr_act = {k: srcs[k] for k in action_cols if k in srcs}
        hdr_act.setdefault("action_id", src_of("action_text"))
        hdr_act["action_item_id"] = src_of("item_id", "number", "item_text")
        for name, hdrs in ((INSPECTIONS, hdr_ins), (ITEMS, hdr_item), (ACTIONS, hdr_act)):
            parts[name].append(Part(sheet, {k: v for k, v in hdrs.items() if v}, extra))

    out = {}
    for name, groups in ((INSPECTIONS, list(inspections.values())),
                         (ITEMS, list(items.values()))):
        index = [g["row"] for g in groups]
        tdata = {k: [g["values"].get(k) for g in groups]
                 for k in [c.key for c in schema.columns_of(name)]}
        _absent_flat(name, parts[name], tdata, len(groups), problems)
        out[name] = Table(name, parts[name], _frame(name, index, tdata), raw)
    index = [a[0] for a in actions]
    a_data = {k: [a[1].get(k) for a in actions] for k in [c.key for c in schema.columns_of(ACTIONS)]}
    _absent_flat(ACTIONS, parts[ACTIONS], a_data, len(actions), problems)
    out[ACTIONS] = Table(ACTIONS, parts[ACTIONS], _frame(ACTIONS, index, a_data), raw,
                         _extras(plans, set(index)))
    # the columns not used of a row that is an item's only (it has no action)
    out[ITEMS].extras = _extras(plans, set(out[ITEMS].frame.index) - set(index))
    return out


def _short_ids(prepared) -> dict:
    """title -> the Inspection ID a register with no such column gets: the part of the
    title before a colon ('PEEL 2025: An inspection of ...' -> 'PEEL 2025'), else a
    report sheet's own name, when short; the whole title where that would not be unique.

    Ids are what the pack's narrow columns show and what items' ids are made from, so a
    short one reads better; it is made from the title alone, so it stays the same from
    month to month."""
    given, wanted = set(), {}
    for _, plan, rows, get, _, _, _ in prepared:
        for ins_id, title in zip(get["inspection_id"], get["title"]):
            if ins_id:
                given.add(ins_id)
            elif title and title not in wanted:
                # (a lookbehind: a search starts only at a run of spaces' start)
                head = re.split(r"(?<!\s)\s*[:–—]\s+|(?<!\s)\s+-\s+", title,
                                maxsplit=1)[0].strip()
                if head == title or not 3 <= len(head) <= SHORT_ID:
                    head = plan.name if plan.role == "report" and len(plan.name) <= SHORT_ID \
                        else title
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
    _absent(name, parts[0].sheet if parts else "", have, present, n, problems,
            later=frozenset({"kind"}) if name == ITEMS else frozenset())
    tdata.update(present)


def _fill_report(plan: SheetPlan, get: dict, srcs: dict, n: int, ctx: Context) -> None:
    """A report sheet's title, date, type and ref (above its table) on every row."""
    if plan.role != "report":
        return
    meta = dict(plan.meta)
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


def _titles_from_headings(plan: SheetPlan, rows: list[int], headings: dict, get: dict,
                          srcs: dict) -> None:
    """On a sheet with no report column, the section heading above a row names its report.

    (Where the sheet has a report column or a report's title above its table, a heading
    is a part of the report, such as a pillar, and names nothing.)"""
    if not headings or "inspection_id" in srcs or "title" in srcs:
        return
    plan.reason = "its section headings name the reports"
    current = None
    marks = sorted(headings)
    j = 0
    for i, r in enumerate(rows):
        while j < len(marks) and marks[j] < r:
            current = headings[marks[j]]
            j += 1
        if not get["title"][i] and current:
            get["title"][i] = current
    srcs.setdefault("title", ("", "(section heading)"))


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
            problems.append(make_problem("FLAT_CONFLICT", sheet,
                                         f"{srcs[k][0]}{excel % PART_SPAN}", srcs[k][1], v,
                                         first=display(old), noun=noun, first_row=where))


