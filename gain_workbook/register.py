"""Read a register workbook (our template, or a register an office already keeps) into
canonical tables, remembering where every value came from.

Two layouts are understood:

* **template**: Inspections, Items and Actions sheets, one row per thing;
* **flat**: one sheet, one row per action, the item and inspection columns repeated
  on each row or merged across the item's rows.

Headers may sit below title rows and may be spelt many ways (``schema.header_map``).
Values are normalised (dates, status words, yes/no); what cannot be normalised is
left as the user wrote it, for the validator to report with its cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gain_workbook import schema
from gain_workbook.dates import EARLIEST, LATEST, UNREADABLE, parse_date, parse_deadline
from gain_workbook.errors import RegisterError
from gain_workbook.report import Problem, display, make_problem
from gain_workbook.schema import ACTIONS, BY_KEY, INSPECTIONS, ITEMS, SYNONYMS, norm_key
from gain_workbook.settings import Settings, parse_settings
from gain_workbook.sniff import check_workbook, col_letter
from gain_workbook.text import has_xml_illegal, xml_safe

HEADER_SCAN_ROWS = 30
MIN_HEADER_MATCHES = 3
SETTINGS_SHEETS = {"settings", "setting", "config", "configuration"}
SKIP_SHEETS = {"guide", "lists", "list", "lookups", "lookup", "problems", "readme", "help"}
NAME_HINTS = {
    INSPECTIONS: ("inspection", "report"),
    ITEMS: ("item", "recommendation", "afi"),
    ACTIONS: ("action",),
}
ROLE_TEXT = {INSPECTIONS: "inspections", ITEMS: "items", ACTIONS: "actions",
             "flat": "one row per action"}
ITEM_ABBR = {"Recommendation": "R", "Area for improvement": "AFI", "Cause of concern": "CoC",
             "Accelerated cause of concern": "ACoC"}


@dataclass
class Table:
    """One canonical table and where it came from.

    ``frame`` has one column per schema key of the table (object dtype) and is
    indexed by the Excel row the value was read from.
    """

    name: str
    sheet: str
    frame: object                                   # pandas.DataFrame
    headers: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (letter, header)
    extra_headers: list[str] = field(default_factory=list)

    def cell(self, key: str, row) -> str:
        """'F12' for a key and an Excel row, or '' when the column is not on the sheet."""
        src = self.headers.get(key)
        return f"{src[0]}{int(row)}" if src else ""

    def header(self, key: str) -> str:
        """The header as the user wrote it, or our own header if the column is missing."""
        src = self.headers.get(key)
        return src[1] if src else BY_KEY[key].header

    def __len__(self) -> int:
        return len(self.frame)


@dataclass
class Register:
    """A register read into canonical tables, with the problems found on the way."""

    path: Path
    layout: str                    # "template" | "flat"
    inspections: Table
    items: Table
    actions: Table
    settings: Settings
    problems: list[Problem]
    sheet_names: list[str]
    open_in_excel: bool = False

    def table(self, name: str) -> Table:
        """The table called inspections, items or actions."""
        return {INSPECTIONS: self.inspections, ITEMS: self.items, ACTIONS: self.actions}[name]

    @property
    def counts(self) -> dict[str, int]:
        """Rows read per table."""
        return {t: len(self.table(t)) for t in schema.TABLES}


# ---------------------------------------------------------------- entry point

def read_register(path, settings: Settings | None = None, meanwhile=None) -> Register:
    """Read a register workbook. Raises RegisterError when it cannot be read at all.

    ``settings`` (e.g. from the command line) override the register's Settings sheet.
    ``meanwhile`` is called while the sheets are being parsed (see _load_grids).
    """
    info = check_workbook(path)
    hidden: dict[str, str] = {}
    grids = _load_grids(info.path, meanwhile, hidden)
    reg = build_register(info.path, grids, info.date1904, settings, hidden,
                         clean=info.may_hold_controls)
    reg.open_in_excel = info.lock_file is not None
    return reg


def _load_grids(path: Path, meanwhile=None, hidden: dict | None = None) -> dict:
    """Every worksheet's cells and merged ranges: {name: (rows, merged ranges)}.

    ``hidden`` (if given) is filled with the sheets the user cannot see:
    {name: "hidden" | "very hidden"}.

    python-calamine parses a sheet without holding the GIL, so two threads parse two
    sheets at once (each with its own workbook object: one cannot serve two threads),
    and the main thread imports pandas, and runs ``meanwhile``, in the time that frees.
    """
    import python_calamine as pc
    from concurrent.futures import ThreadPoolExecutor

    def damaged(exc) -> RegisterError:
        return RegisterError(f"Cannot read '{path.name}': the workbook is damaged "
                             f"({type(exc).__name__}: {str(exc)[:120]}).")

    def open_book():
        try:
            return pc.CalamineWorkbook.from_path(str(path))
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

    candidates = []      # (name, grid, merged, role, header row, score, mapping)
    described = []
    maps = {role: schema.header_map(role, settings.aliases) for role in schema.ROLES}
    for name, (grid, merged) in grids.items():
        if name == settings_sheet or norm_key(name) in SKIP_SHEETS:
            continue
        found = _classify(name, grid, maps)
        described.append(_describe(name, grid, found))
        if found:
            candidates.append((name, grid, merged) + found)

    found_txt = "; ".join(described) or "no sheets"
    visible = [c for c in candidates if c[0] not in hidden]
    chosen = _choose_layout(visible) or _choose_layout(candidates)
    for cand in candidates:
        name = cand[0]
        if name in hidden:
            used = chosen is not None and any(c[0] == name for c in chosen[1].values())
            problems.append(make_problem(
                "HIDDEN_SHEET", name, "", "", name, state=hidden[name], role=ROLE_TEXT[cand[3]],
                outcome=("it was read, because no visible sheet holds the register; unhide it "
                         "in Excel (right-click a sheet tab, Unhide) to check it" if used else
                         "it was not read, because a visible sheet was; unhide it in Excel if it "
                         "is the one to read")))
    if chosen is not None:
        layout, picked = chosen
        if layout == "template":
            tables = {}
            for role in schema.TABLES:
                name, grid, merged, _, hrow, _, mapping = picked[role]
                tables[role] = _read_table(role, name, grid, merged, hrow, mapping, date1904,
                                           problems)
        else:
            name, grid, merged, _, hrow, _, mapping = picked["flat"]
            tables = _read_flat(name, grid, merged, hrow, mapping, date1904, problems)
    else:
        by_role = {c[3] for c in candidates}
        have = [r for r in schema.TABLES if r in by_role]
        if have:
            missing = [schema.SHEET_NAMES[r] for r in schema.TABLES if r not in by_role]
            raise RegisterError(
                f"Cannot read '{path.name}': it has {_and([schema.SHEET_NAMES[r] for r in have])} "
                f"but no sheet of {_and(missing)} (found: {found_txt}).")
        raise RegisterError(f"Cannot read '{path.name}': no sheet looks like a register of "
                            f"inspections, items and actions (found: {found_txt}).")

    _derive_deadlines(tables, date1904, problems)
    return Register(path, layout, tables[INSPECTIONS], tables[ITEMS], tables[ACTIONS],
                    settings, problems, list(grids))


def _choose_layout(candidates) -> tuple[str, dict] | None:
    """('template', {role: candidate}) or ('flat', {'flat': candidate}), best scores first."""
    by_role: dict[str, list] = {}
    for cand in sorted(candidates, key=lambda c: -c[5]):
        by_role.setdefault(cand[3], []).append(cand)
    if all(r in by_role for r in schema.TABLES):
        return "template", {r: by_role[r][0] for r in schema.TABLES}
    if "flat" in by_role:
        return "flat", {"flat": by_role["flat"][0]}
    return None


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
        problems.append(make_problem(code, sheet, f"B{r}" if code == "BAD_SETTING" else f"A{r}",
                                     "Setting", value if code == "BAD_SETTING" else key, **fmt))
    return settings, problems


# ---------------------------------------------------------------- classifying sheets

def _cell_text(v) -> str:
    return v.strip() if isinstance(v, str) else ""


def _resolve(headers: list[tuple[int, str]], hmap) -> tuple[dict, list]:
    """Give each header cell a column key: unambiguous headers first, then the rest.

    Returns ({key: (col index, header)}, [(col index, header, key it repeats)]).
    """
    mapping: dict[str, tuple[int, str]] = {}
    dupes = []
    pending = []
    for idx, text in headers:
        cands = hmap.get(norm_key(text))
        if not cands:
            continue
        if len(cands) == 1:
            if cands[0] in mapping:
                dupes.append((idx, text, cands[0]))
            else:
                mapping[cands[0]] = (idx, text)
        else:
            pending.append((idx, text, cands))
    for idx, text, cands in pending:
        free = [k for k in cands if k not in mapping]
        if free:
            mapping[free[0]] = (idx, text)
        else:
            dupes.append((idx, text, cands[0]))
    return mapping, dupes


def _role_ok(role: str, keys) -> bool:
    if role == "flat":
        return "action_text" in keys and bool({"item_text", "number", "kind"} & keys)
    need = {INSPECTIONS: {"title", "published"}, ITEMS: {"item_text"}, ACTIONS: {"action_text"}}
    return bool(need[role] & keys)


def _classify(name: str, grid, maps: dict):
    """(role, header row index, score, mapping) for a sheet that looks like a table, or None.

    ``maps`` are the header maps of every role (schema.header_map), built once per register.
    """
    every = set().union(*maps.values())
    best = None
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        hits = sum(1 for v in row if _cell_text(v) and norm_key(v) in every)
        if hits >= MIN_HEADER_MATCHES and (best is None or hits > best[1]):
            best = (r, hits)
    if best is None:
        return None
    r = best[0]
    headers = [(i, _cell_text(v)) for i, v in enumerate(grid[r]) if _cell_text(v)]
    hint = next((role for role, words in NAME_HINTS.items()
                 if any(w in norm_key(name) for w in words)), None)
    options = []
    for role in schema.ROLES:
        mapping, dupes = _resolve(headers, maps[role])
        keys = set(mapping)
        if _role_ok(role, keys):
            bonus = 0.5 if role == hint else 0
            options.append((len(keys) + bonus, role, mapping, dupes))
    if not options:
        return None
    score, role, mapping, dupes = max(options, key=lambda o: o[0])
    return role, r, score, (mapping, dupes, headers)


def _describe(name: str, grid, found) -> str:
    if found:
        return f"'{name}' (looks like {found[0]})"
    texts = []
    for row in grid[:HEADER_SCAN_ROWS]:
        texts = [_cell_text(v) for v in row if _cell_text(v)]
        if len(texts) >= 2:
            break
    if not texts:
        return f"'{name}' (empty)" if not any(v not in ("", None) for row in grid for v in row) \
            else f"'{name}' (no header row)"
    shown = ", ".join(texts[:8]) + (" ..." if len(texts) > 8 else "")
    return f"'{name}' (headers: {shown})"


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


def _data_rows(sheet: str, grid, header_row: int, cols: list[int], problems) -> list[int]:
    """0-based indexes of the rows below the header that hold data; notes are reported."""
    rows = []
    seen_blank = False
    for r in range(header_row + 1, len(grid)):
        row = grid[r]
        empty = row.count("") + row.count(None)      # counted in C: most rows are full
        if empty >= len(row) - 1:
            filled = [i for i, v in enumerate(row) if v not in ("", None)
                      and not (isinstance(v, str) and not v.strip())]
            if not filled:
                seen_blank = True
                continue
            if seen_blank and len(filled) == 1:
                i = filled[0]
                problems.append(make_problem("NOTE_BELOW_TABLE", sheet,
                                             f"{col_letter(i)}{r + 1}", "", row[i]))
                continue
        if not any(i < len(row) and row[i] not in ("", None) and
                   not (isinstance(row[i], str) and not row[i].strip()) for i in cols):
            i = next(i for i, v in enumerate(row) if v not in ("", None))
            problems.append(make_problem("NOTE_BELOW_TABLE", sheet, f"{col_letter(i)}{r + 1}",
                                         "", row[i]))
            continue
        rows.append(r)
    return rows


def _text(v):
    if v is None or v == "":
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.date, dt.datetime, float, int, bool)):
        return display(v)
    s = str(v).strip()
    return s or None


def _normalise(col: schema.Column, values: list, rows: list[int], sheet: str, letter: str,
               header: str, date1904: bool, problems: list[Problem]) -> list:
    """Canonical values for one column; what cannot be read is kept as written."""
    kind = col.kind
    if kind in ("id", "ref", "text", "deadline"):
        # most cells are plain text: keep that path short
        return [(v.strip() or None) if type(v) is str else _text(v) for v in values]
    if kind == "date":
        out = []
        for v in values:
            if type(v) is dt.datetime and EARLIEST <= (d := v.date()) <= LATEST:
                out.append(d)              # the usual case: a date cell
                continue
            d = parse_date(v, date1904)
            # kept as written (as text, so that a date cell out of range fails BAD_DATE)
            out.append(_text(v) if d is UNREADABLE else d)
        return out
    synonyms = {norm_key(k): v for k, v in SYNONYMS[col.synonyms].items()}
    vocab_keys = {norm_key(v): v for v in col.vocab}
    exact = frozenset(col.vocab) if kind != "multi" else frozenset()
    out = []
    for v, r in zip(values, rows):
        if v in exact:                 # the usual case: picked from the dropdown
            out.append(v)
            continue
        if v is None or v == "" or (isinstance(v, str) and not v.strip()):
            out.append(None)
            continue
        if isinstance(v, bool) and kind == "yesno":
            out.append("Yes" if v else "No")
            continue
        raw = _text(v)
        if kind == "multi":
            parts = [p for p in _split_multi(raw)]
            mapped = [vocab_keys.get(norm_key(p)) or synonyms.get(norm_key(p)) for p in parts]
            canon = ", ".join(dict.fromkeys(mapped)) if parts and all(mapped) else None
            if canon is not None and [p.strip() for p in parts] == mapped:
                raw = canon            # only the separators differ: nothing to report
        else:
            canon = vocab_keys.get(norm_key(raw)) or synonyms.get(norm_key(raw))
        if canon is None:
            out.append(raw)       # left for NOT_IN_LIST
            continue
        if canon != raw:
            problems.append(make_problem("NORMALISED", sheet, f"{letter}{r + 1}", header, raw,
                                         normalised=canon))
        out.append(canon)
    return out


def _split_multi(text: str) -> list[str]:
    import re

    return [p.strip() for p in re.split(r"[,;+\n]|\band\b", text) if p.strip()]


def _columns(sheet, grid, header_row, mapping_info, table_keys, date1904, problems):
    """Extract and normalise the mapped columns of a sheet: (rows, {key: values}, headers)."""
    mapping, dupes, headers = mapping_info
    for idx, text, key in dupes:
        other = mapping[key][1]
        problems.append(make_problem("DUPLICATE_COLUMN", sheet, f"{col_letter(idx)}{header_row + 1}",
                                     text, text, other=other))
    mapping = {k: v for k, v in mapping.items() if k in table_keys}
    rows = _data_rows(sheet, grid, header_row, [i for i, _ in mapping.values()], problems)
    data = {}
    srcs = {}
    width = max((len(grid[r]) for r in rows), default=0)
    # one transpose (in C) instead of indexing every cell column by column
    columns = list(zip(*[grid[r] if len(grid[r]) == width else
                         list(grid[r]) + [""] * (width - len(grid[r])) for r in rows])) \
        if rows else []
    for key, (idx, text) in mapping.items():
        values = list(columns[idx]) if idx < len(columns) else [""] * len(rows)
        data[key] = _normalise(BY_KEY[key], values, rows, sheet, col_letter(idx), text,
                               date1904, problems)
        srcs[key] = (col_letter(idx), text)
    used = {i for i, _ in mapping.values()}
    extra = [text for i, text in headers if i not in used]
    return rows, data, srcs, extra


def _frame(table: str, excel_rows: list[int], data: dict):
    import pandas as pd

    keys = [c.key for c in schema.columns_of(table)]
    n = len(excel_rows)
    cols = {k: data.get(k, [None] * n) for k in keys}
    frame = pd.DataFrame(cols, index=pd.Index(excel_rows, name="row"), dtype=object)
    return frame


def _absent(table: str, sheet: str, srcs: dict, data: dict, n: int, problems) -> None:
    """Report useful columns that are missing, filling the assumed value where we have one."""
    for col in schema.columns_of(table):
        if col.key in srcs or col.key in data:
            continue
        if col.absent_default is not None:
            data[col.key] = [col.absent_default] * n
            problems.append(make_problem("MISSING_COLUMN", sheet, "", col.header, "",
                                         noun=schema.ROW_NOUN[table],
                                         assumed=f", so every {schema.ROW_NOUN[table]} was taken "
                                                 f"as '{col.absent_default}'"))
        elif col.required and not col.required_column:
            problems.append(make_problem("MISSING_COLUMN", sheet, "", col.header, "",
                                         noun=schema.ROW_NOUN[table], assumed=""))


def _check_required_columns(sheet: str, keys, required: list[str], headers) -> None:
    missing = [BY_KEY[k].header for k in required if k not in keys]
    if missing:
        found = ", ".join(t for _, t in headers) or "none"
        raise RegisterError(
            f"The {sheet} sheet is missing the required column{'s' * (len(missing) > 1)} "
            f"{_and(missing)}; its headers are: {found}.")


def _read_table(role, sheet, grid, merged, header_row, mapping_info, date1904, problems) -> Table:
    keys = {c.key for c in schema.columns_of(role)}
    required = [c.key for c in schema.columns_of(role) if c.required_column]
    _check_required_columns(sheet, mapping_info[0], required, mapping_info[2])
    _fill_merged(grid, merged, header_row)
    rows, data, srcs, extra = _columns(sheet, grid, header_row, mapping_info, keys, date1904,
                                       problems)
    _absent(role, sheet, srcs, data, len(rows), problems)
    excel_rows = [r + 1 for r in rows]
    return Table(role, sheet, _frame(role, excel_rows, data), srcs, extra)


# ---------------------------------------------------------------- the flat layout

FLAT_REQUIRED = ["title", "published", "item_text", "action_text", "due", "action_status"]


def _read_flat(sheet, grid, merged, header_row, mapping_info, date1904, problems):
    mapping = mapping_info[0]
    present = set(mapping)
    if "inspection_id" in present:
        need = [k for k in FLAT_REQUIRED if k != "title"]
    else:
        need = FLAT_REQUIRED
    if "number" in present or "item_id" in present:
        need = [k for k in need if k != "item_text"]
    _check_required_columns(sheet, present, need, mapping_info[2])
    _fill_merged(grid, merged, header_row)
    keys = {c.key for c in schema.COLUMNS if c.key not in schema.FLAT_SKIP}
    rows, data, srcs, extra = _columns(sheet, grid, header_row, mapping_info, keys, date1904,
                                       problems)
    n = len(rows)
    get = {k: data.get(k, [None] * n) for k in keys}

    def src_of(*cands):
        return next((srcs[k] for k in cands if k in srcs), None)

    insp_cols = [c.key for c in schema.columns_of(INSPECTIONS)]
    item_cols = [c.key for c in schema.columns_of(ITEMS) if c.key != "item_inspection_id"]
    action_cols = [c.key for c in schema.columns_of(ACTIONS) if c.key != "action_item_id"]

    inspections: dict = {}   # key -> {"row": excel row, "values": {...}}
    items: dict = {}
    actions = []
    item_counter: dict = {}
    action_counter: dict = {}
    for i, r in enumerate(rows):
        excel = r + 1
        ins_key = get["inspection_id"][i] or get["title"][i] or "(no inspection)"
        ins = inspections.get(ins_key)
        if ins is None:
            ins = inspections[ins_key] = {"row": excel, "values": {}}
            ins["values"]["inspection_id"] = get["inspection_id"][i] or get["title"][i]
        _merge_group(ins, insp_cols, get, i, excel, sheet, srcs, problems, "inspection")
        ins_id = ins["values"]["inspection_id"]

        kind = get["kind"][i] if "kind" in srcs else BY_KEY["kind"].absent_default
        number = get["number"][i]
        if get["item_id"][i]:
            item_key = (ins_key, "id", get["item_id"][i])
        elif number:
            item_key = (ins_key, kind, number)
        else:
            item_key = (ins_key, "text", get["item_text"][i])
        item = items.get(item_key)
        if item is None:
            item_counter[ins_key] = item_counter.get(ins_key, 0) + 1
            if get["item_id"][i]:
                item_id = get["item_id"][i]
            elif number:
                item_id = f"{ins_id} {ITEM_ABBR.get(kind, 'R')}{number}"
            else:
                item_id = f"{ins_id} item {item_counter[ins_key]}"
            item = items[item_key] = {"row": excel, "values": {"item_id": item_id,
                                                              "item_inspection_id": ins_id}}
        _merge_group(item, item_cols, get, i, excel, sheet, srcs, problems, "item")

        if any(get[k][i] not in (None, "") for k in ("action_text", "action_id", "due",
                                                      "action_status", "owner")):
            item_id = item["values"]["item_id"]
            action_counter[item_id] = action_counter.get(item_id, 0) + 1
            values = {k: get[k][i] for k in action_cols}
            values["action_id"] = values["action_id"] or f"{item_id} A{action_counter[item_id]}"
            values["action_item_id"] = item_id
            actions.append((excel, values))

    def table(name, groups):
        excel_rows = [g["row"] for g in groups]
        data = {k: [g["values"].get(k) for g in groups] for k in
                [c.key for c in schema.columns_of(name)]}
        return excel_rows, data

    # Where each canonical column of a derived table was read from on the flat sheet.
    hdr_ins = {k: srcs[k] for k in insp_cols if k in srcs}
    hdr_ins.setdefault("inspection_id", src_of("title"))
    hdr_item = {k: srcs[k] for k in item_cols if k in srcs}
    hdr_item.setdefault("item_id", src_of("number", "item_text"))
    hdr_item["item_inspection_id"] = src_of("inspection_id", "title")
    hdr_act = {k: srcs[k] for k in action_cols if k in srcs}
    hdr_act.setdefault("action_id", src_of("action_text"))
    hdr_act["action_item_id"] = src_of("item_id", "number", "item_text")

    out = {}
    for name, groups, hdrs in ((INSPECTIONS, list(inspections.values()), hdr_ins),
                               (ITEMS, list(items.values()), hdr_item)):
        excel_rows, tdata = table(name, groups)
        hdrs = {k: v for k, v in hdrs.items() if v}
        present_data = {k: v for k, v in tdata.items() if k in hdrs}
        _absent(name, sheet, hdrs, present_data, len(groups), problems)
        tdata.update({k: v for k, v in present_data.items()})
        out[name] = Table(name, sheet, _frame(name, excel_rows, tdata), hdrs, extra)
    a_rows = [a[0] for a in actions]
    a_data = {k: [a[1].get(k) for a in actions] for k in [c.key for c in schema.columns_of(ACTIONS)]}
    hdr_act = {k: v for k, v in hdr_act.items() if v}
    _absent(ACTIONS, sheet, hdr_act, {k: v for k, v in a_data.items() if k in hdr_act},
            len(actions), problems)
    out[ACTIONS] = Table(ACTIONS, sheet, _frame(ACTIONS, a_rows, a_data), hdr_act, extra)
    return out


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
        elif old != v and k in srcs and excel != group["row"]:
            problems.append(make_problem("FLAT_CONFLICT", sheet, f"{srcs[k][0]}{excel}",
                                         srcs[k][1], v, first=display(old), noun=noun,
                                         first_row=first_rows.get(k, group["row"])))


# ---------------------------------------------------------------- derived values

def _derive_deadlines(tables, date1904, problems) -> None:
    """Work out 'Deadline date' from the deadline's words where it was left blank."""
    items, inspections = tables[ITEMS], tables[INSPECTIONS]
    if not len(items.frame):
        return
    published = {}
    for iid, pub in zip(inspections.frame["inspection_id"], inspections.frame["published"]):
        if isinstance(pub, dt.date) and iid is not None:
            published.setdefault(iid, pub)
    frame = items.frame
    new = []
    # An inspection's items mostly share one deadline phrase: work each out once.
    known = {}
    for row, text, date, ins in zip(frame.index, frame["deadline_text"], frame["deadline"],
                                    frame["item_inspection_id"]):
        if date is not None or text is None:
            new.append(date)
            continue
        key = (text, published.get(ins))
        d = known.get(key)
        if d is None:
            d = known[key] = parse_deadline(text, key[1], date1904)
        if d is UNREADABLE:
            problems.append(make_problem("BAD_DEADLINE", items.sheet,
                                         items.cell("deadline_text", row),
                                         items.header("deadline_text"), text))
            d = None
        new.append(d)
    frame["deadline"] = new
