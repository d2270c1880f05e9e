"""Why a workbook cannot be read as a register, said sheet by sheet, and the Settings rows
that would let it be read, guessed from the columns' cells.

``refuse`` raises the refusal (``reader`` calls it before reading a row): what each sheet
was found to hold, the headers taken for another sheet's columns ("'Ref' was read as the
Inspection ID, so no item ref was found"), the columns missing, and, to end it, a block of
``Alias:`` rows ready to paste into the Settings sheet, one per missing column whose
cells say which it is. ``settings_rows`` is that block for ``gain-pack describe
--suggest``, with a row for each column read from its values alone (pasting it makes the
reading the office's own).
"""

from __future__ import annotations

from gain_workbook.core.errors import RegisterError
from gain_workbook.core.text import shorten
from gain_workbook.model import schema
from gain_workbook.model.schema import BY_KEY, INSPECTIONS, ITEMS, TABLES
from gain_workbook.register import content, detect
from gain_workbook.register.detect import ROLE_TEXT, Plan, SheetPlan

DESCRIBE_HINT = " (gain-pack describe shows how every column was read)"
PASTE = ("To read it, paste these rows into its Settings sheet (a sheet named Settings: the "
         "setting in column A, the value in column B) and run again:")


def block(rows: list) -> str:
    """The Settings rows as lines to paste into Excel: setting, a tab, value."""
    return "\n".join(f"{setting}\t{value}" for setting, value in rows)


def _pasteable(header: str) -> str | None:
    """A header as an Alias row's value: on one line (a header written on two lines in its
    cell is matched the same on one); None for one a Settings row cannot hold (a ';'
    separates an alias's spellings)."""
    if ";" in header:
        return None
    return " ".join(header.split())


def refuse(path_name: str, plan: Plan, grids: dict) -> None:
    """Raise the RegisterError that says why ``plan`` cannot be read, if it cannot;
    ``plan.suggested`` gets the Settings rows the refusal ends with."""
    sentence, rows = _why(path_name, plan, grids)
    if not sentence:
        plan.suggested = content_rows(plan)
        return
    plan.suggested = rows
    raise RegisterError(sentence + (f"\n{PASTE}\n{block(rows)}" if rows else ""))


def _why(path_name: str, plan: Plan, grids: dict) -> tuple[str, list]:
    head = f"Cannot read '{path_name}': "
    for s in plan.chosen():
        if s.card_problem:
            labels = card_labels(s)
            return (head + f"the {s.name} sheet is laid out as cards (per item {labels}, then "
                    f"its own table of actions), but {s.card_problem}.", [])
    if plan.layout is not None:
        lines, rows = [], []
        for s in plan.chosen():
            grid = grids[s.name][0]
            for key in s.missing:
                lines.append(detect.fix_line(s, key, grid))
            rows += guesses(s, s.missing, grid, used={v for _, v in rows})
        if not lines:
            return "", []
        return head + _tables_unused(plan) + "; ".join(lines) + DESCRIBE_HINT + ".", rows
    return _no_layout(head, plan, grids)


def _tables_unused(plan: Plan) -> str:
    """Where one row per action was read but sheets of inspections and of items stand
    beside it, unused: say so first (an action sheet that names its item by report and
    ref, not by an Item ID, makes the three sheets one row per action each)."""
    if plan.layout not in ("flat", "per report"):
        return ""
    unused = {role: [s.name for s in plan.sheets if s.role == "not read" and not s.hidden
                     and s.looks_like == role] for role in (INSPECTIONS, ITEMS)}
    if not all(unused.values()):
        return ""
    return (f"its sheets '{unused[INSPECTIONS][0]}' and '{unused[ITEMS][0]}' look like "
            "inspections and items, but no sheet looks like actions that name their item by "
            "an Item ID (as the items sheet gives it), so each sheet of actions was read as "
            "one row per action, which must give its report and item in full; either add "
            "an Item ID column to the actions, or the columns below: ")


def card_labels(s: SheetPlan) -> str:
    """"a 'Ref No.' row and an 'Area for improvement:' row", as the sheet's cards write them."""
    names = {}
    for card in s.cards:
        names.update({k: v for k, v in card.names.items() if k not in names})
    ref = names.get("number", "Ref No.")
    text = names.get("item_text", "Area for improvement")
    return f"{_a(ref)} '{ref}' row and {_a(text)} '{text}:' row"


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _no_layout(head: str, plan: Plan, grids: dict) -> tuple[str, list]:
    """No sheet, nor set of sheets, holds a register: what each sheet was found to hold."""
    found = "; ".join(f"'{s.name}' ({s.reason or 'looks like ' + ROLE_TEXT[s.role]})"
                      for s in plan.sheets)
    have = {s.looks_like or s.role for s in plan.sheets} & set(TABLES)
    if len(have) >= 2:
        # sheets of the template's tables, but not all three: the missing sheets are the cause
        missing = [schema.SHEET_NAMES[r] for r in TABLES if r not in have]
        return (head + f"it has {_and([schema.SHEET_NAMES[r] for r in TABLES if r in have])} "
                f"but no sheet of {_and(missing)} (found: {found}).", [])
    said, rows = [], []
    for s in plan.sheets:
        if s.role in ("settings", "history", schema.OWNERS) or s.reason in (
                detect.REFERENCE_REASON, detect.EMPTY_REASON):
            continue
        grid, merged = grids[s.name]
        clause, found_rows = _as_flat(s, grid, {v for _, v in rows}, merged)
        if clause:
            said.append(clause)
            rows += found_rows
    if not said:
        return (head + "no sheet looks like a register of inspections, items and actions "
                f"(found: {found}).", [])
    return (head + "no sheet holds a register (one row per action, or Inspections, Items "
            "and Actions sheets). " + " ".join(said).rstrip(".")
            + "; gain-pack describe shows how every column was read.", rows)


def _header_row(s: SheetPlan, grid) -> int | None:
    """The sheet's header row; for a sheet whose headers matched too few of ours, the first
    of its top rows with the most short texts."""
    if s.header_row is not None:
        return s.header_row
    best = None
    for r, row in enumerate(grid[:detect.HEADER_SCAN_ROWS]):
        texts = sum(1 for v in row if isinstance(v, str) and 0 < len(v.strip()) <= 60)
        if texts >= 2 and (best is None or texts > best[1]):
            best = (r, texts)
    return None if best is None else best[0]


def _as_flat(s: SheetPlan, grid, used: set, merged=()) -> tuple[str, list]:
    """What a sheet lacks to be read as one row per action, and how it was taken instead:
    ('Sheet ...: ...', Settings rows)."""
    r = _header_row(s, grid)
    if r is None:
        return "", []
    width = detect._width(grid)
    flat = SheetPlan(s.name, "flat", header_row=r, group_row=s.group_row)
    heads = detect.header_cells(grid, r, s.group_row, width, merged)
    flat.columns, flat.dupes = detect.map_columns(grid, r, detect.header_index("flat"),
                                                  width=width, heads=heads)
    if not {"title", "inspection_id"} & set(flat.mapping):
        flat.role = "report"
        flat.meta, _, _ = detect.report_meta(grid, r)
    missing = detect.required_missing(flat)
    rows = guesses(flat, missing, grid, used)
    if not flat.mapping and not rows and not (s.role in TABLES or s.looks_like in TABLES):
        return "", []              # nothing on it is a register's column: not a register
    parts = [f"Sheet '{s.name}' (headers on row {r + 1})"]
    if s.role in TABLES or s.looks_like in TABLES:
        role = s.looks_like or s.role
        read = [c for c in s.columns if c.key]
        shown = ", ".join(f"'{c.header}' as {_name(c.key)}" for c in read[:6])
        parts[0] += f" was taken for a sheet of {schema.SHEET_NAMES[role]} ({shown})"
        parts += _taken(s, flat, missing)
    elif s.reason:
        parts[0] += f" was not read ({s.reason})"
    if missing:
        parts.append("as one row per action it has no column for "
                     + _and([f"{_name(k)} ({_what(k)})" for k in missing], "or"))
    unplaced = [c.header for c in flat.columns if c.key is None and c.header]
    if unplaced:
        parts.append("headers not placed: " + ", ".join(f"'{shorten(h, 40)}'"
                                                          for h in unplaced[:10]))
    return "; ".join(parts) + ".", rows


def _taken(s: SheetPlan, flat: SheetPlan, missing: list) -> list[str]:
    """"'Ref' was read as the Inspection ID, so no item ref was found": a header the sheet's
    own reading gave to another table's column, of the kind a missing column has."""
    out = []
    said = set()
    wanted = list(missing)
    if not {"number", "item_id"} & set(flat.mapping):
        wanted.append("number")
    as_flat = {c.index: c.key for c in flat.columns}
    for key in wanted:
        for c in s.columns:
            if not c.key or c.index in said or BY_KEY[c.key].table == BY_KEY[key].table \
                    or as_flat.get(c.index) == c.key:
                continue
            if _kind(c.key) == _kind(key) in ("ref", "date") and \
                    flat.mapping.get(key, (None,))[0] != c.index:
                out.append(f"'{c.header}' was read as the {_name(c.key)}, so no "
                           f"{_noun(key)} was found")
                said.add(c.index)
                break
    return out


def _kind(key: str) -> str:
    kind = BY_KEY[key].kind
    return "ref" if kind in ("id", "ref") or key == "number" else kind


def _noun(key: str) -> str:
    return "item ref" if key in ("number", "item_id") else _name(key)


def _name(key: str) -> str:
    col = BY_KEY[key]
    return "Inspection ID" if key == "item_inspection_id" else col.header


def _what(key: str) -> str:
    """A column's description, short: 'the date the action was agreed to be done by'."""
    text = BY_KEY[key].description
    text = text.split(":")[0].split(" (")[0].rstrip(".")
    return text[0].lower() + text[1:]


def _and(words: list, last: str = "and") -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {last} " + words[-1]


# ---------------------------------------------------------------- guesses from content

def guesses(s: SheetPlan, missing: list, grid, used: set = frozenset()) -> list:
    """('Alias: <column>', header) for each missing column one of the sheet's unplaced
    columns holds, by its cells; a column is guessed for one missing column at most."""
    if s.header_row is None:
        return []
    free = [c for c in s.columns if c.key is None and c.header and c.header not in used]
    samples = {c.index: detect._sample(grid, s.header_row, c.index) for c in free}
    rows = []
    for key in sorted(missing, key=_order):
        pick = _pick(key, [c for c in free if samples[c.index] and _pasteable(c.header)],
                     samples)
        if pick is not None:
            rows.append((f"Alias: {BY_KEY[key].header}", _pasteable(pick.header)))
            free.remove(pick)
    return rows


def _order(key: str) -> int:
    """Guess the columns whose cells say most first (status words before dates before text)."""
    order = ["action_status", "number", "due", "published", "owner", "item_text", "action_text",
             "title"]
    return order.index(key) if key in order else len(order)


def _pick(key: str, cols: list, samples: dict):
    def has(test):
        return [c for c in cols if test(samples[c.index])]

    kind = BY_KEY[key].kind
    if key == "action_status":
        # a guess, said as one: a column of one status word ('On track') will do
        found = has(content.is_status_column) or has(content.is_percent_column) or \
            has(lambda vs: content._share(vs, content.is_status_word) >= content.MOST)
    elif key == "number":
        found = has(content.is_ref_column)
    elif kind == "date":
        found = [c for c in has(content.is_date_column)
                 if key != "published" or not content.names_another_date(c.header)]
        # a report's date repeats on its rows; an action's due date varies
        spread = {c.index: len({str(v) for v in samples[c.index]}) / len(samples[c.index])
                  for c in found}
        found.sort(key=lambda c: spread[c.index], reverse=key != "published")
    elif key == "owner":
        found = has(content.is_name_column)
    elif key in ("item_text", "action_text"):
        found = has(content.is_long_text_column)
        should = [c for c in found if content.says_should(samples[c.index])]
        found = should if key == "item_text" and should else \
            [c for c in found if c not in should] if key == "action_text" else found
        found.sort(key=lambda c: -content.text_length(samples[c.index]))
    elif key == "title":
        found = [c for c in cols if content.text_length(samples[c.index]) >= 8
                 and len({str(v) for v in samples[c.index]}) < len(samples[c.index])]
    else:
        found = []
    return found[0] if found else None


def content_rows(plan: Plan) -> list:
    """('Alias: <column>', header) for each column read from its values alone: pasted into
    the Settings sheet, the reading becomes the office's own and is no longer warned of."""
    rows = []
    for s in plan.chosen():
        for c in s.columns:
            if c.key and c.how == "content" and _pasteable(c.header) and not c.convert:
                row = (f"Alias: {BY_KEY[c.key].header}", _pasteable(c.header))
                if row not in rows:
                    rows.append(row)
    return rows
