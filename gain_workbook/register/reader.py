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

from dataclasses import dataclass, field
from pathlib import Path

from gain_workbook.core import stop
from gain_workbook.core.errors import RegisterError
from gain_workbook.core.sniff import (check_workbook, col_letter, uncalculated_cells,
                                      uncalculated_in)
from gain_workbook.core.text import CELL_LIMIT, fit_cell, has_xml_illegal, plural, xml_safe
from gain_workbook.model import history, schema
from gain_workbook.model.problems import Problem, make_problem
from gain_workbook.model.schema import ACTIONS, INSPECTIONS, ITEMS, norm_key
from gain_workbook.model.settings import Settings, parse_settings
from gain_workbook.model.tables import PART_SPAN, Part, Table
from gain_workbook.register import detect, explain, sheets
from gain_workbook.register.derive import (derive_deadlines, derive_refs, derive_values,
                                           qualify_action_ids)
from gain_workbook.register.fills import colour_only_statuses
from gain_workbook.register.shown_months import months_shown
from gain_workbook.register.struck import struck_actions
from gain_workbook.register.forces import read_forces
from gain_workbook.register.detect import ROLE_TEXT, SETTINGS_SHEETS, Plan, SheetPlan
from gain_workbook.register.flat import read_flat
from gain_workbook.register.values import Context

__all__ = ["PART_SPAN", "Part", "Register", "Table", "build_register", "describe_workbook",
           "read_register"]


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
    forces: object = None          # forces.Forces: the forces a Force column names, whose rows
    stamp: tuple | None = None     # (size, mtime) as read: register.edit refuses a file since changed
    # (column key, table index) -> a word as written that was read as another of its list's
    # words ('On track' as In progress): adopt keeps them (values.Context.written)
    written: dict = field(default_factory=dict)

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
        plan.problem = str(exc).split("\n")[0].split(": ", 1)[-1]
        return plan, None
    return reg.plan, reg


def read_register(path, settings: Settings | None = None, meanwhile=None) -> Register:
    """Read a register workbook. Raises RegisterError when it cannot be read at all.

    ``settings`` (e.g. from the command line) override the register's Settings sheet.
    ``meanwhile`` is called while the sheets are being parsed (see _load_grids).
    """
    import os

    try:
        st = os.stat(path)
        stamp = (st.st_size, st.st_mtime_ns)
    except OSError:
        stamp = None                             # check_workbook says why
    info = check_workbook(path)
    hidden: dict[str, str] = {}
    grids = _load_grids(info, meanwhile, hidden)
    reg = build_register(info.path, grids, info.date1904, settings, hidden,
                         clean=info.may_hold_controls, uncalculated=info.uncalculated,
                         strike=info.may_strike)
    reg.open_in_excel = info.lock_file is not None
    reg.stamp = stamp
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

    from gain_workbook.core.sniff import calamine_source

    path = info.path
    source = calamine_source(info)
    first = _open_book(path, source)
    try:
        meta = [m for m in first.sheets_metadata if str(m.typ).endswith("WorkSheet")]
        sheets = [m.name for m in meta]
        if hidden is not None:
            for m in meta:
                state = str(m.visible).rsplit(".", 1)[-1]
                if state != "Visible":
                    hidden[m.name] = "very hidden" if state == "VeryHidden" else "hidden"
        if _PACK_INFO in sheets:        # a board pack given as the register: said before
            _refuse_a_pack(path, {_PACK_INFO: (        # its big sheets are parsed
                first.get_sheet_by_name(_PACK_INFO).to_python(skip_empty_area=False), [])})
    except RegisterError:
        first.close()
        raise
    except Exception as exc:
        first.close()
        raise _damaged(path, exc) from None
    grids = {}
    # A stop signal waits for the two threads to finish (held): raised into the main
    # thread in a lock's own Python code (a future's condition, as it waits for a
    # result) or while it imports, it could leave a lock taken, and a thread that needs
    # it then never ends, nor does the process, which waits for it (CI once saw a build
    # hang after a SIGTERM). Parsing takes a second or two.
    with stop.held(), ThreadPoolExecutor(max_workers=2) as pool:
        lanes = [pool.submit(_parse_sheets, path, source, first, sheets[0::2])]
        if sheets[1::2]:
            lanes.append(pool.submit(_parse_sheets, path, source, None, sheets[1::2]))
        import pandas  # noqa: F401  (build_register needs it next)

        if meanwhile is not None:
            meanwhile()
        for lane in lanes:
            grids.update(lane.result())
    return {name: grids[name] for name in sheets}


def _damaged(path: Path, exc) -> RegisterError:
    return RegisterError(f"Cannot read '{path.name}': the workbook is damaged "
                         f"({type(exc).__name__}: {str(exc)[:120]}).")


def _open_book(path: Path, source):
    """python-calamine's workbook of ``source`` (sniff.calamine_source: the file, or a
    copy it can read safely); a file it cannot open is one sentence."""
    from gain_workbook.core.sniff import open_calamine

    try:
        return open_calamine(source)
    except PermissionError:
        raise RegisterError(f"Cannot read '{path.name}': permission denied; it may be "
                            "locked by another program.") from None
    except Exception as exc:  # calamine raises its own error types for damaged parts
        raise _damaged(path, exc) from None


def _parse_sheets(path: Path, source, book, names: list[str]) -> dict:
    """{name: (rows, merged ranges)} for the sheets ``names``, through ``book`` (opened
    here when None, since one book cannot serve two threads), which is closed after."""
    out = {}
    try:
        book = book or _open_book(path, source)
        for name in names:
            sh = book.get_sheet_by_name(name)
            out[name] = (sh.to_python(skip_empty_area=False), sh.merged_cell_ranges or [])
    except RegisterError:
        raise
    except Exception as exc:
        raise _damaged(path, exc) from None
    finally:
        if book is not None:
            book.close()
    return out


def build_register(path: Path, grids: dict, date1904: bool = False,
                   overrides: Settings | None = None, hidden: dict | None = None,
                   clean: bool = True, uncalculated: dict | None = None,
                   strike: bool = True) -> Register:
    """Canonical tables from sheet grids ({name: (rows, merged ranges)}).

    ``hidden`` names the sheets the user cannot see ({name: "hidden"/"very hidden"}):
    a visible sheet always wins; a hidden one is read only when no visible sheet
    has the register, and each hidden sheet that looks like a register is reported.
    ``clean`` False skips looking for control characters and texts too long for a cell
    (the sniff found none possible); ``strike`` False, for actions struck through.
    ``uncalculated``: the sniff's {sheet: (count, first cells)} of formulas with no
    value saved, said of each sheet that is read (WorkbookInfo.uncalculated).
    """
    problems: list[Problem] = []
    hidden = hidden or {}
    _refuse_a_pack(path, grids)
    if clean:
        for name, (grid, _) in grids.items():
            _clean_grid(name, grid, problems)
    if not grids or all(not any(v not in ("", None) for row in g for v in row)
                        for g, _ in grids.values()):
        raise RegisterError(f"Cannot read '{path.name}': the workbook is empty.")

    settings_sheet = next((n for n in sorted(grids, key=lambda n: n in hidden)   # visible first
                           if norm_key(n) in SETTINGS_SHEETS), None)
    settings = _settings(settings_sheet, grids, overrides, problems)
    plan = detect.plan_workbook(path.name, grids, settings.aliases, hidden, settings_sheet)
    try:
        _refuse_unreadable(path, plan, grids)
    except RegisterError as exc:
        exc.plan = plan                          # describe prints what could not be placed
        raise
    problems += _hidden_problems(plan)
    problems += _unread_problems(plan, grids)
    problems += _uncalculated_problems(plan, settings_sheet, uncalculated or {})
    ctx = Context(date1904, settings, problems)
    if plan.layout == "template":
        tables = {role: _read_role(role, plan.chosen(role), grids, ctx) for role in schema.TABLES}
    else:
        tables = read_flat(plan.chosen(), grids, ctx)
    if plan.layout == "per report" and not plan.chosen("report"):
        plan.layout = "flat"
    months_shown(path, tables, problems)
    derive_refs(tables, problems)
    qualify_action_ids(tables[ACTIONS])
    derive_deadlines(tables, date1904, problems)
    derive_values(tables, ctx, plan)
    colour_only_statuses(path, tables, problems)
    if strike:                          # (the sniff saw 'strike' in some part)
        struck_actions(path, tables, problems)
    reg = Register(path, plan.layout, tables[INSPECTIONS], tables[ITEMS], tables[ACTIONS],
                   settings, problems, list(grids), plan=plan, written=ctx.written)
    _read_beside(reg, plan, grids, ctx)
    reg.forces = read_forces(reg)
    return reg


# packfile.PACK_INFO_SHEET, here so that reading a register does not load excel/
_PACK_INFO = "PackInfo"


def _refuse_a_pack(path: Path, grids: dict) -> None:
    """A board pack given where the register should be (its PackInfo sheet says so): one
    sentence naming the register it was built from, not a page on reading its tables."""
    if _PACK_INFO not in grids:       # (the usual case: excel/, which names it, not loaded)
        return
    from gain_workbook.excel.packfile import PACK_INFO_SHEET, PACK_MARKER, info_fields

    assert PACK_INFO_SHEET == _PACK_INFO
    info = info_fields(grids[_PACK_INFO][0])
    if info.get("Marker") != PACK_MARKER:
        return
    built = str(info.get("Register") or "").strip()
    raise RegisterError(f"'{path.name}' is a board pack written by gain-pack, not a register"
                        + (f"; give the register it was built from, '{built}'." if built
                           else "; give the register instead."))


def _settings(sheet: str | None, grids: dict, overrides: Settings | None,
              problems: list) -> Settings:
    """The Settings sheet's settings (defaults without one), with ``overrides`` on top."""
    settings = Settings()
    if sheet:
        settings, found = _read_settings(sheet, grids[sheet][0])
        problems += found
    if overrides is not None:
        changed = {k: v for k, v in vars(overrides).items()
                   if k != "aliases" and v != getattr(Settings(), k)}
        settings = settings.replace(**changed)
    if not settings.named_force:
        where = _setting_row(grids[sheet][0], "Force name") if sheet else None
        fix = ("write the force's name beside 'Force name' on the Settings sheet" if sheet
               else "add a sheet named Settings with 'Force name' in cell A1 and the force's "
               "name in B1 (gain-pack adopt writes a register that has one)")
        problems.append(make_problem("NO_FORCE_NAME", sheet or "Settings",
                                     f"B{where}" if where else "", "Force name", "",
                                     where="The Settings sheet gives no Force name" if sheet
                                     else "The register has no Settings sheet to give the "
                                     "force's name", fix=fix))
    return settings


def _hidden_problems(plan: Plan) -> list[Problem]:
    """A warning for each hidden sheet that looks like a register: read, or not."""
    return [make_problem(
        "HIDDEN_SHEET", s.name, "", "", s.name, state=s.hidden,
        role=ROLE_TEXT[s.looks_like or s.role],
        outcome=("it was read, because no visible sheet holds the register; unhide it "
                 "in Excel (right-click a sheet tab, Unhide) to check it" if s.read else
                 "it was not read, because a visible sheet was; unhide it in Excel if it "
                 "is the one to read"))
        for s in plan.sheets if s.hidden and (s.looks_like or s.read)]


# what a sheet not read must look like for its rows to be missed: the register's own rows
_MISSED_ROLES = (ITEMS, ACTIONS, "flat", "report", "cards")


def _unread_problems(plan: Plan, grids: dict) -> list[Problem]:
    """An error for each visible sheet that looks like the register's items or actions,
    with rows, that the layout chosen does not read (a sheet per report whose headers
    read as a sheet of actions): its rows are not in the register, and nothing may look
    complete while they are missing. (A sheet named as a summary, a hidden one, and
    the reference sheets are not: each is said otherwise.)"""
    out = []
    for s in plan.sheets:
        if s.role != "not read" or s.hidden or s.looks_like not in _MISSED_ROLES \
                or s.reason == "a summary sheet, by its name":
            continue
        grid = grids[s.name][0]
        rows = sum(1 for row in grid[s.header_row + 1:]
                   if len(row) - row.count("") - row.count(None) >= 2)
        if rows:
            out.append(make_problem(
                "SHEET_NOT_READ", s.name, "", "", s.name, role=ROLE_TEXT[s.looks_like],
                rows=plural(rows, "row"), layout=detect.LAYOUT_TEXT[plan.layout]))
    return out


def _uncalculated_problems(plan: Plan, settings_sheet: str | None,
                          uncalculated: dict) -> list[Problem]:
    """A warning for each sheet read whose cells read hold a formula with no value saved
    (they were read as empty): on the first such cell, naming a few and counting the
    rest. In a table, only its columns read, below its headers, count (a calculated
    column of the office's own is not the register's)."""
    out = []
    for s in plan.sheets:
        found = uncalculated.get(s.name)
        if not found or not (s.read or s.role in (schema.OWNERS, "history") or
                             s.name == settings_sheet):
            continue
        whole = s.name == settings_sheet or s.role == "history" or s.cards or s.meta or \
            s.header_row is None
        columns = None if whole else {c.index for c in s.columns if c.key}
        count, cells = uncalculated_in(found, columns,
                                       1 if whole else s.header_row + 2)
        if count:
            out.append(make_problem("UNCALCULATED_FORMULA", s.name, cells[0] if cells else "",
                                    "", "", what=uncalculated_cells(count, cells),
                                    them="it was" if count == 1 else "they were"))
    return out


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
    """Refuse a workbook the plan cannot read: what each sheet holds, every missing column,
    and the Settings rows that would read it (``explain.refuse``)."""
    explain.refuse(path.name, plan, grids)


def _clean_grid(sheet: str, grid, problems: list) -> None:
    """Remove what XML 1.0 cannot hold from every text cell, with a warning on its cell.

    Such a character (a control character pasted from another system, a lone
    surrogate) would make any workbook we write from the value unreadable. A text
    longer than a cell holds (written by a program, not Excel) is cut as every
    workbook we write would cut it, ending '…', said on its cell (TEXT_TOO_LONG):
    the pack and the requests cut it in silence.
    """
    texts = [v for row in grid for v in row if type(v) is str]
    if texts and max(map(len, texts)) > CELL_LIMIT // 2:
        _cut_long_texts(sheet, grid, problems)
    if not texts or not has_xml_illegal("\n".join(texts)):
        return
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if type(v) is str and has_xml_illegal(v):
                row[c] = clean = xml_safe(v)
                problems.append(make_problem("CONTROL_CHARACTER", sheet,
                                             f"{col_letter(c)}{r + 1}", "", clean))


def _cut_long_texts(sheet: str, grid, problems: list) -> None:
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if type(v) is str and (fit := fit_cell(v)) is not v:
                row[c] = fit
                problems.append(make_problem("TEXT_TOO_LONG", sheet, f"{col_letter(c)}{r + 1}",
                                             "", fit[-40:], length=f"{len(v):,}",
                                             limit=f"{CELL_LIMIT:,}"))


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


def _read_role(role: str, plans: list[SheetPlan], grids: dict, ctx: Context) -> Table:
    """One table of the template layout, from every sheet of its role (open and archive)."""
    keys = {c.key for c in schema.columns_of(role)}
    parts, index, data, raw = [], [], {k: [] for k in keys}, {}
    for part_no, plan in enumerate(plans):
        grid, merged = grids[plan.name]
        sheets.fill_merged(grid, merged, plan.header_row)
        rows, got, srcs, extra = sheets.read_columns(plan, grid, keys, ctx, part_no, raw)
        sheets.drop_grid(grids, plan.name)
        del grid
        later = frozenset({"kind"}) if role == ITEMS and {"number", "item_id"} & set(srcs) \
            else frozenset()
        sheets.report_absent(role, plan.name, srcs, got, len(rows), ctx.problems, later)
        parts.append(Part(plan.name, srcs, extra))
        index += [part_no * PART_SPAN + r + 1 for r in rows]
        if len(plans) == 1:
            data = got                   # one sheet, the usual case: nothing to join
        else:
            for k in keys:
                data[k] += got.get(k, [None] * len(rows))
    return Table(role, parts, sheets.frame(role, index, data), raw, sheets.extras(plans))
