"""How a workbook will be read, decided before any row is: the sheets' roles, header
rows and columns, as a plain description (the idea of frictionless' Dialect/Detector).

For each sheet: its role (inspections, items, actions, flat = one row per action,
report = one report's table with its title above, settings, or not read and why),
its header row, and for every non-empty column the header as written, the column it
was given and how it was matched: exact (our header), alias (``schema`` aliases),
setting (an ``Alias:`` row), words (``schema.WORD_RULES``) or content (the header said
nothing we know, and the column's cells decided: ``register/content.py``). Headers are
read as words (an export's 'DueDate', a bilingual 'Statws / Status' by either half), the
header row is the best-scoring of the top rows, and a row of group headers above it
('HMICFRS recommendation', 'Force response') qualifies the headers under it. A sheet laid
out as cards (per item a 'Ref No.' row and an 'Area for improvement:' row, then its own
table of actions) is found by ``register/cards.py``. ``gain-pack describe`` prints this;
the reader follows it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from gain_workbook.model import schema
from gain_workbook.core.dates import UNREADABLE, is_no_date, month_or_quarter, parse_date
from gain_workbook.model.history import history_kind
from gain_workbook.model.refs import parse_ref, ref_key
from gain_workbook.model.schema import ACTIONS, BY_KEY, INSPECTIONS, ITEMS, header_key, norm_key
from gain_workbook.register import cards as card_layout
from gain_workbook.register import content, periods
from gain_workbook.core.sniff import col_letter
from gain_workbook.core.text import json_text, plural, shorten

HEADER_SCAN_ROWS = 30
MIN_HEADER_MATCHES = 3
CONTENT_SAMPLE = 200
SETTINGS_SHEETS = {"settings", "setting", "config", "configuration"}
SKIP_SHEETS = {"guide", "lists", "list", "lookups", "lookup", "problems", "readme", "help",
               "read from", "dropdowns", "data validation"}
SUMMARY_WORDS = {"summary", "dashboard", "overview", "contents", "cover", "index", "chart",
                 "charts", "key", "instructions", "notes", "front", "stats", "statistics"}
ARCHIVE_WORDS = {"archive", "archived", "completed", "complete", "closed", "old", "historic",
                 "history", "done", "discharged"}
NAME_HINTS = {
    INSPECTIONS: ("inspection", "report"),
    ITEMS: ("item", "recommendation", "afi"),
    ACTIONS: ("action",),
}
ROLE_TEXT = {INSPECTIONS: "inspections", ITEMS: "items", ACTIONS: "actions",
             "flat": "one row per action", "report": "one report, its title above the table",
             "cards": "cards, one per item: its ref and words, then its own table of actions",
             "settings": "settings", "not read": "not read",
             "owners": "action owners and their email addresses",
             "history": "the history gain-pack keeps of merged updates"}
LAYOUT_TEXT = {"template": "Inspections, Items and Actions sheets",
               "flat": "one row per action",
               "per report": "one sheet per report",
               "cards": "cards, one per item with its own table of actions"}
REFERENCE_REASON = "a reference sheet, by its name"
EMPTY_REASON = "it is empty"
# Labels of the cells above a report's table that carry the report's details.
META_LABELS = {
    "title": ("report", "report title", "title", "inspection", "inspection title",
              "name of report", "report name", "inspection name"),
    "published": ("published", "date published", "publication date", "report date",
                  "date of report", "date", "report published", "published on"),
    "inspection_type": ("type", "report type", "inspection type", "type of inspection"),
    "inspection_id": ("ref", "report ref", "inspection id", "inspection ref", "id",
                      "reference"),
}
_META_BY_LABEL = {norm_key(label): key for key, labels in META_LABELS.items()
                  for label in labels}


@dataclass
class ColumnPlan:
    """One non-empty column of a sheet and what it was read as."""

    index: int
    header: str           # as written ('' for a column of values with no header)
    key: str | None       # our column, or None when it is not used
    how: str              # exact | alias | setting | words | content | '' (not used)
    note: str = ""
    convert: str = ""     # 'percent': progress figures read as the action's status
    earlier: tuple = ()   # columns of earlier periods, latest first, read where it is blank

    @property
    def letter(self) -> str:
        return col_letter(self.index)

    def to_dict(self) -> dict:
        return {"column": self.letter, "header": self.header,
                "reads_as": BY_KEY[self.key].header if self.key else None,
                "table": BY_KEY[self.key].table if self.key else None,
                "matched_by": self.how or None, "note": self.note or None}


@dataclass
class SheetPlan:
    """How one sheet will be read."""

    name: str
    role: str                         # see ROLE_TEXT
    reason: str = ""                  # why it has that role (always said for 'not read')
    header_row: int | None = None     # 0-based
    columns: list[ColumnPlan] = field(default_factory=list)
    archive: bool = False
    hidden: str = ""                  # '' | 'hidden' | 'very hidden'
    meta: dict = field(default_factory=dict)   # key -> (value, 'B2') for a report sheet
    plain_meta: set = field(default_factory=set)   # meta keys read from unlabelled cells
    labels: set = field(default_factory=set)       # cells of the labels ('Report:') of meta
    looks_like: str = ""              # the role a sheet not read would have had
    score: float = 0.0
    dupes: list = field(default_factory=list)  # (index, header, key it repeats)
    missing: list = field(default_factory=list)  # required keys it lacks
    read: bool = False                # chosen by the layout
    skipped: list = field(default_factory=list)   # (cell, why) of rows not read
    extras: dict = field(default_factory=dict)    # header -> {index: value}, columns not used
    titles: list = field(default_factory=list)    # (cell, text) above the headers, not read
    dated_headings: bool = False      # section headings below say when reports were published
    items_as_actions: bool = False    # one row per item, no actions: each item its own action
    read_rows: list | None = None     # 0-based rows read (filled by the reader)
    group_row: int | None = None      # 0-based row of group headers above the headers
    cards: list = field(default_factory=list)     # cards.Card of a sheet laid out as cards
    card_problem: str = ""            # why its cards cannot be read, naming the row

    @property
    def rows_read(self) -> int | None:
        """How many rows the reader read (None until it has read the sheet)."""
        return None if self.read_rows is None else len(self.read_rows)

    @property
    def mapping(self) -> dict[str, tuple[int, str]]:
        """{key: (column index, header)} of the columns read."""
        return {c.key: (c.index, c.header) for c in self.columns if c.key}

    @property
    def headers(self) -> list[tuple[int, str]]:
        return [(c.index, c.header) for c in self.columns if c.header]

    def to_dict(self) -> dict:
        return {"sheet": self.name, "role": self.role, "role_text": ROLE_TEXT[self.role],
                "reason": self.reason or None,
                "header_row": None if self.header_row is None else self.header_row + 1,
                "archive": self.archive, "hidden": self.hidden or None,
                "report": {k: {"value": _plain(v), "cell": c} for k, (v, c) in self.meta.items()}
                or None,
                "columns": [c.to_dict() for c in self.columns],
                "group_header_row": None if self.group_row is None else self.group_row + 1,
                "cards": [c.to_dict() for c in self.cards] or None,
                "rows_read": self.rows_read,
                "titles": [{"cell": c, "text": _plain(v)} for c, v in self.titles],
                "rows_skipped": [{"cell": c, "why": w} for c, w in self.skipped]}


@dataclass
class Plan:
    """How a whole workbook will be read."""

    path: str
    layout: str | None                 # template | flat | per report | None (cannot)
    sheets: list[SheetPlan]
    settings_sheet: str | None = None
    problem: str = ""                  # why it cannot be read, when it cannot
    suggested: list = field(default_factory=list)   # ('Alias: Due', header) Settings rows

    def chosen(self, role: str | None = None) -> list[SheetPlan]:
        """The sheets read, in workbook order (of one role, if given)."""
        read = ("inspections", "items", "actions", "flat", "report", "cards")
        return [s for s in self.sheets if s.role in read and (role is None or s.role == role)]

    def content_warnings(self) -> list[str]:
        """One line per column read from its values alone, for every command to say:
        "read G 'Current Position' as Status, from its values"."""
        several = len(self.chosen()) > 1
        out = []
        for s in self.chosen():
            for c in s.columns:
                if c.key and c.how == "content":
                    where = f"'{s.name}'!{c.letter}" if several else c.letter
                    shown = f"'{' '.join(c.header.split())}'" if c.header else "(no header)"
                    out.append(f"read {where} {shown} as {BY_KEY[c.key].header}, from its "
                               "values" + (" (per cent complete)" if c.convert else ""))
        return out

    def layout_line(self) -> str:
        """One line for validate, rollup and build: the layout and the sheets it used."""
        parts = []
        for s in self.chosen():
            extra = ", archive" if s.archive else ""
            role = {"report": "report", "cards": "cards"}.get(s.role, ROLE_TEXT[s.role])
            parts.append(f"'{s.name}' ({role}{extra}, headers on row {s.header_row + 1})")
        unread = [s for s in self.sheets if s.role == "not read"
                  and s.reason not in (REFERENCE_REASON, EMPTY_REASON)]
        tail = (f"; {plural(len(unread), 'sheet')} not read (gain-pack describe says why)"
                if unread else "")
        return f"read as {LAYOUT_TEXT[self.layout]}: {', '.join(parts)}{tail}."

    def suggestion_text(self) -> str:
        """The Settings rows to paste (describe --suggest), or why there are none."""
        if not self.suggested:
            return ("No Settings rows to suggest: every column was read by its header, or "
                    "none of the columns missing could be told from its cells.\n")
        return ("Settings rows to paste into the register's Settings sheet (the setting in "
                "column A, the value in column B: copy the lines below and paste them into "
                "column A of its first empty row):\n"
                + "".join(f"{setting}\t{value}\n" for setting, value in self.suggested))

    def to_text(self, suggest: bool = False) -> str:
        out = [f"{self.path}: " + (f"read as {LAYOUT_TEXT[self.layout]}" if self.layout
                                   else "cannot be read as a register")]
        for s in self.sheets:
            out.append("")
            head = f"Sheet '{s.name}': {ROLE_TEXT[s.role]}"
            if s.archive:
                head += (" (archive: read with the open rows)" if s.read else
                         " (an archive, by its name)")
            if s.hidden:
                head += f" [{s.hidden}]"
            out.append(head)
            if s.reason:
                out.append(f"  {s.reason}")
            if s.header_row is not None and s.role != "settings":
                out.append(f"  headers on row {s.header_row + 1}" + (
                    f", under the group headers of row {s.group_row + 1}"
                    if s.group_row is not None else ""))
                if s.cards:
                    out.append("  " + card_layout.describe_cards(s.cards))
                if s.titles:
                    shown = "; ".join(f"{c} '{shorten(_plain(v), 40)}'" for c, v in s.titles[:4])
                    more = f" and {len(s.titles) - 4} more" if len(s.titles) > 4 else ""
                    out.append(f"  above the headers, not read (titles): {shown}{more}")
            for key, (value, cell) in s.meta.items():
                out.append(f"  {BY_KEY[key].header:<18} {_plain(value)}  (from {cell})")
            for c in s.columns:
                shown = " ".join(c.header.split()) if c.header else "(no header)"
                if c.key:
                    col = BY_KEY[c.key]
                    target = col.header if c.key != "item_inspection_id" else "Inspection ID"
                    where = f"{schema.SHEET_NAMES[col.table]}: {target}" \
                        if s.role in ("flat", "report", "cards") else target
                    line = f"  {c.letter:<3} {shown[:40]:<40} -> {where} [{c.how}]"
                else:
                    line = f"  {c.letter:<3} {shown[:40]:<40} -> not used"
                if c.note:
                    line += f"; {c.note}"
                out.append(line)
            if s.rows_read is not None:
                out.append(f"  {plural(s.rows_read, 'row')} read")
            for cell, why in s.skipped:
                out.append(f"  {cell:<5} not read: {why}")
        if self.problem:
            out += ["", f"Cannot read it: {self.problem}"]
        text = "\n".join(out) + "\n"
        if suggest or (self.problem and self.suggested):
            text += "\n" + self.suggestion_text()
        return text

    def to_json(self) -> str:
        return json_text(json.dumps({"path": self.path, "layout": self.layout,
                                     "layout_text": LAYOUT_TEXT.get(self.layout),
                                     "readable": not self.problem,
                                     "problem": self.problem or None,
                                     "suggested_settings": [{"setting": k, "value": v}
                                                            for k, v in self.suggested],
                                     "sheets": [s.to_dict() for s in self.sheets]},
                                    indent=2, ensure_ascii=False)) + "\n"


def _plain(v):
    from gain_workbook.model.problems import display

    return display(v)


# ---------------------------------------------------------------- header matching

@dataclass(frozen=True)
class HeaderIndex:
    """Every header spelling a sheet of one role understands: norm -> ((key, how), ...)."""

    role: str
    spellings: dict
    keys: frozenset


def header_index(role: str, aliases: dict | None = None) -> HeaderIndex:
    """The spellings for a role (``schema.header_map``), each with how it matches."""
    hmap = schema.header_map(role, aliases)
    ours = {(header_key(c.header), c.key) for c in schema.COLUMNS}
    set_by = {(header_key(a), k) for k, spellings in (aliases or {}).items() for a in spellings}
    out = {}
    for norm, keys in hmap.items():
        out[norm] = tuple((k, "setting" if (norm, k) in set_by else
                           "exact" if (norm, k) in ours else "alias") for k in keys)
    keys = frozenset(c.key for c in schema.COLUMNS if c.table in schema.ROLE_TABLES[role]
                     and not (role == "flat" and c.key in schema.FLAT_SKIP))
    return HeaderIndex(role, out, keys)


@lru_cache(maxsize=4096)
def _words(text: str, keys: frozenset) -> str | None:
    return schema.match_words(text, keys)


def match_header(text: str, index: HeaderIndex) -> tuple:
    """The columns a header can be on a sheet of ``index.role``, best first, each with how
    it matched: ((key, 'exact' | 'alias' | 'setting' | 'words'), ...); () when none.

    The one header matcher: our headers and the aliases (``schema.COLUMNS``, the
    Settings sheet's ``Alias:`` rows) by their folded spelling (``schema.header_key``:
    an export's 'DueDate' and 'Due_x0020_Date' are 'due date', Welsh is read as its
    English; or with its abbreviations spelt out, 'Rpt Type'), and so each half of a header
    of two ('Statws / Status', 'Cam gweithredu | Action'); then a header's words
    (``schema.WORD_RULES``), the whole header's before each half's. A column's content
    breaks a tie (``map_columns``).
    """
    found = index.spellings.get(header_key(text)) or \
        index.spellings.get(schema.header_spelt_out(text))
    if found:
        return found
    halves = schema.header_halves(text)
    for half in halves:
        found = index.spellings.get(header_key(half)) or \
            index.spellings.get(schema.header_spelt_out(half))
        if found:
            return found
    key = _words(text, index.keys)
    if key:
        return ((key, "words"),)
    for half in halves:
        key = _words(half, index.keys)
        if key:
            return ((key, "words"),)
    return ()


def group_table(group: str) -> tuple[str, str] | None:
    """(table, its word) a group header names ('HMICFRS recommendation' -> items), or None."""
    words = schema.header_words(group)
    return next(((t, w) for t, ws, w in schema.GROUP_WORDS if ws & words), None)


def match_grouped(sub: str, group: str, index: HeaderIndex) -> tuple:
    """The columns a header under a group header can be: the group qualifies it, so under
    'HMICFRS recommendation' a 'Ref' is the recommendation's ref and a 'Detail' its words,
    and under 'Force response' they are the action's."""
    named = group_table(group)
    if named is None:
        return match_header(f"{group} {sub}", index) or match_header(sub, index)
    table, word = named
    if {header_key(x) for x in [sub, *schema.header_halves(sub)]} & schema.GROUP_REF_WORDS:
        key = _ref_key(table, index.role)
        if key in index.keys:
            return ((key, "words"),)
    def said(found):       # read by its words, the header under the group must say some
        return tuple(c for c in found if c[1] != "words" or schema.words_share(sub, c[0]) > 0)

    mine = [c for c in said(match_header(f"{word} {sub}", index)) if BY_KEY[c[0]].table == table]
    if not mine:
        mine = [c for c in match_header(sub, index) if BY_KEY[c[0]].table == table]
    return tuple(mine) or said(match_header(f"{word} {sub}", index))


def _ref_key(table: str, role: str) -> str:
    """The column a ref under a group header of ``table`` is, on a sheet of ``role``."""
    if role == "flat":
        return schema.GROUP_REF_KEY[table]
    if table == role:
        return schema.id_column(table)
    return {(ITEMS, ACTIONS): "action_item_id",
            (INSPECTIONS, ITEMS): "item_inspection_id"}.get((table, role), "")


def _fits(key: str, values: list) -> bool:
    """Do a column's cells look like what ``key`` holds (dates for a date column ...)?"""
    col = BY_KEY[key]
    if not values:
        return True
    if col.kind == "date":
        ok = sum(1 for v in values if parse_date(v) is not UNREADABLE or is_no_date(v)
                 or month_or_quarter(v) is not None)
        return ok >= 0.6 * len(values)
    if col.kind == "deadline":
        return sum(1 for v in values if isinstance(v, str)) >= 0.6 * len(values)
    return True


def _sample(grid, header_row: int, idx: int) -> list:
    """Up to CONTENT_SAMPLE values of a column, from rows with more than one value
    (a section heading or a note is not the column's content)."""
    out = []
    for row in grid[header_row + 1:]:
        if idx < len(row) and row[idx] not in ("", None) and \
                len(row) - row.count("") - row.count(None) > 1:
            out.append(row[idx])
            if len(out) >= CONTENT_SAMPLE:
                break
    return out


def _width(grid) -> int:
    """The widest row's length (calamine's rows are all one length: checked in C)."""
    return max(map(len, grid), default=0)


def map_columns(grid, header_row: int, index: HeaderIndex, filled: set[int] | None = None,
                width: int | None = None, heads: dict | None = None
                ) -> tuple[list[ColumnPlan], list]:
    """Each non-empty column of the header row given a key (or none): returns
    (columns, dupes). Unambiguous headers first; a header that could be two columns
    goes to the first one free whose kind its cells fit; then a column whose header said
    nothing we know is read from its cells (``_read_content``). ``filled``: the columns
    with no header that have values below it (_filled_quickly), listed so nothing goes
    unsaid. ``heads``: {column: (header as shown, group header or None)} for two rows of
    headers (``header_cells``); the header row's own cells without it."""
    width = _width(grid) if width is None else width
    if filled is None:
        filled = _filled_quickly(grid, header_row, width)
    if heads is None:
        heads = header_cells(grid, header_row, None, width)
    cols, singles, pending = _header_candidates(heads, filled, width, index)
    taken: dict[str, int] = {}
    dupes = _take_single(singles, taken)
    dupes += _take_ambiguous(grid, header_row, pending, taken)
    _latest_period(cols, taken, dupes, index)
    _refs_are_not_the_text(grid, header_row, cols, taken, dupes, index)
    _dupe_ids_that_are_refs(grid, header_row, cols, taken, dupes, index)
    _kinds_that_are_refs(grid, header_row, cols, taken, index)
    _words_not_numbers(grid, header_row, cols, taken)
    _status_in_an_update_column(grid, header_row, cols, taken, dupes, index)
    _ref_of_the_items(grid, header_row, cols, taken, index)
    _read_content(grid, header_row, cols, taken, index)
    _actions_labelled(grid, header_row, cols, taken, index)
    _the_items_words(grid, header_row, cols, taken, index)
    if "number" not in taken:           # (the items' words found from their cells: a bare
        _ref_of_the_items(grid, header_row, cols, taken, index)   # 'Ref' beside them)
    _actions_by_half_a_header(cols, taken, index)
    return cols, dupes


def _latest_period(cols: list, taken: dict, dupes: list, index: HeaderIndex) -> None:
    """Columns kept one per period ('Q1 status', 'Q2 status', 'Q3 status'): the same
    words less the period, every one naming one. The latest period's column is read
    (the first taken was the earliest), and where its cell is blank the latest earlier
    one that is not (an action complete in Q2 has no Q3 status). Said in describe."""
    groups: dict = {}
    duplicate = {d[0]: d[2] for d in dupes}      # (a header under a group: its key)
    for c in cols:
        found = periods.period_of(c.header) if c.header else None
        if found is None:
            continue
        if c.key is not None:
            key = c.key
        elif c.note.startswith(("its words suggest", "means the same")):
            key = duplicate.get(c.index) or next(iter(match_header(c.header, index)),
                                                 (None,))[0]
        else:
            continue
        groups.setdefault((key, found[0]), []).append((c, found[1]))
    for (key, _), members in groups.items():
        holder = next((c for c, _ in members if c.key == key), None)
        if len(members) < 2 or holder is None or taken.get(key) != holder.index:
            continue
        by_index = {c.index: c for c, _ in members}
        order = periods.latest_first([(c.index, p) for c, p in members])
        latest = by_index[order[0]]
        latest.key, latest.how = key, holder.how
        latest.earlier = tuple(order[1:])
        letters = ", ".join(col_letter(i) for i in order[1:])
        latest.note = (f"the latest of {len(order)} period columns; where its cell is blank, "
                       f"the latest of {letters} that is not")
        for i in order[1:]:
            by_index[i].key, by_index[i].how = None, ""
            by_index[i].note = (f"an earlier period's {BY_KEY[key].header}: read where column "
                                f"{col_letter(latest.index)} is blank")
        taken[key] = latest.index
        dupes[:] = [d for d in dupes if d[0] not in by_index]


# A header that says only 'the words' ('Detail', 'Description', 'HMICFRS wording', 'What
# HMICFRS said'): on a sheet whose actions' words have a column, the items' words.
_WORDS_OF = frozenset({"detail", "details", "description", "wording", "text", "said",
                       "says", "finding", "findings", "narrative"})
_WORDS_ALSO = frozenset({"what", "hmicfrs", "hmic", "inspectorate", "report", "reports",
                         "the", "full", "of", "s", "summary", "issue", "in"})


def _the_items_words(grid, header_row: int, cols: list, taken: dict,
                     index: HeaderIndex) -> None:
    """A sheet of rows of actions with no column for the items' words, but one headed
    only 'Detail' (or 'Description', 'HMICFRS wording') holding sentences: those are the
    items' words (read as nothing before, every item's words were lost in silence)."""
    if "item_text" in taken or "action_text" not in taken or "item_text" not in index.keys:
        return
    found = [c for c in _words_columns(grid, header_row, cols, _WORDS_OF, _WORDS_ALSO, 5)
             if _same_for_each_item(grid, header_row, c.index, taken)]
    if len(found) == 1:
        c = found[0]
        c.key, c.how = "item_text", "content"
        c.note = "from its values (sentences beside the actions'): the items' words"
        taken["item_text"] = c.index


# An action's label, not its words: 'Action 1', 'Action 2.1', 'A3', 'Act. 4', '1.2', '#5'
# (spaces made single and the case folded first).
_ACTION_LABEL = re.compile(r"(?:[a-z]{1,6}\.? ?(?:no\.? ?)?)?#?\d{1,3}(?:[.\-/]\d{1,3})*[a-z]?")
# A header of the actions' words in an office's own terms ('What we will do', 'Task
# description', 'Planned activity'), beside a column of labels.
_ACTIONS_WORDS = frozenset({"do", "task", "tasks", "step", "steps", "activity", "activities",
                            "measures", "planned", "plan"})
_ACTIONS_ALSO = frozenset({"action", "actions", "we", "will", "be", "to", "taken", "are",
                           "going"})


def _actions_labelled(grid, header_row: int, cols: list, taken: dict,
                      index: HeaderIndex) -> None:
    """An Action column of labels ('Action 1', 'Action 2') beside one headed only
    'Description' (or 'Detail') holding sentences that differ between one item's rows:
    the labels are the actions' refs and the sentences their words (the words were lost
    in silence, every action 'Action 1'). Not when the sentences are one for each item
    (those are the items' words: _the_items_words)."""
    if "action_text" not in taken or "action_id" in taken or "action_id" not in index.keys:
        return
    labels = _sample(grid, header_row, taken["action_text"])
    if not labels or not all(_ACTION_LABEL.fullmatch(" ".join(str(v).split()).lower())
                             for v in labels):
        return
    found = [c for c in _words_columns(grid, header_row, cols, _WORDS_OF | _ACTIONS_WORDS,
                                       _WORDS_ALSO | _ACTIONS_ALSO, 2)
             if "item_text" in taken or not _same_for_each_item(grid, header_row, c.index,
                                                                 taken)]
    if len(found) != 1:
        return
    label = next(c for c in cols if c.index == taken["action_text"])
    label.key, label.how = "action_id", "content"
    label.note = f"from its values (labels), not the words of {BY_KEY['action_text'].header}"
    words = found[0]
    words.key, words.how = "action_text", "content"
    words.note = (f"from its values (sentences beside the labels in {label.header!r}): "
                  "the actions' words")
    taken["action_id"], taken["action_text"] = label.index, words.index


def _actions_by_half_a_header(cols: list, taken: dict, index: HeaderIndex) -> None:
    """'Force response / action': a header of two halves, the first taken for a report's
    column (its force response), the second naming the actions' words, on a sheet with
    no other column of them: it is the actions' words (one for each row, as the
    report's narrative would not be)."""
    if "action_text" in taken or "action_text" not in index.keys:
        return
    for c in cols:
        if c.key is None or BY_KEY[c.key].table != INSPECTIONS or BY_KEY[c.key].kind != "text":
            continue
        halves = schema.header_halves(c.header)
        if len(halves) == 2 and any(next(iter(match_header(h, index)), (None,))[0]
                                    == "action_text" for h in halves):
            del taken[c.key]
            c.note = f"its halves name {BY_KEY[c.key].header} and the actions: read as the actions'"
            c.key, c.how = "action_text", "words"
            taken["action_text"] = c.index
            return


def _words_columns(grid, header_row: int, cols: list, named: frozenset, also: frozenset,
                   least: int) -> list:
    """The columns not read yet whose header says only 'the words' (one of ``named``, the
    rest of ``also``: 'Detail', 'What HMICFRS said', 'What we will do') and most of whose
    cells are sentences of ``least`` words or more."""
    out = []
    for c in cols:
        words = set(header_key(c.header).split()) if c.key is None and c.header else set()
        if words & named and words <= named | also:
            values = _sample(grid, header_row, c.index)
            if values and sum(isinstance(v, str) and len(v.split()) >= least
                              for v in values) * 2 > len(values):
                out.append(c)
    return out


def _same_for_each_item(grid, header_row: int, idx: int, taken: dict) -> bool:
    """Does a column hold one value for each item (by its ref, a blank ref the item
    above's)? A column of the actions' words differs between one item's rows."""
    ref = taken.get("number", taken.get("item_id"))
    if ref is None:
        return True                              # (no refs to tell by)
    seen: dict = {}
    current = None
    for row in grid[header_row + 1:]:
        key = row[ref] if ref < len(row) else None
        current = key if key not in ("", None) else current
        v = row[idx] if idx < len(row) else None
        if current is not None and v not in ("", None) and \
                seen.setdefault(current, v) != v:
            return False
    return True


def _status_in_an_update_column(grid, header_row: int, cols: list, taken: dict,
                                dupes: list, index: HeaderIndex) -> None:
    """'Progress' read as the latest update by its header, its cells status words
    ('Complete', 'In progress'), and no Status column: it is the status; a column that
    repeated the update ('Comments') is then the update."""
    if "action_status" in taken or "latest_update" not in taken or \
            "action_status" not in index.keys:
        return
    col = next(c for c in cols if c.index == taken["latest_update"])
    if not content.is_status_column(_sample(grid, header_row, col.index)):
        return
    col.key, col.how = "action_status", "content"
    col.note = f"from its values (status words), not its words ({BY_KEY['latest_update'].header})"
    taken["action_status"] = col.index
    del taken["latest_update"]
    other = next((d for d in dupes if d[2] == "latest_update"), None)
    if other is not None:
        was = next(c for c in cols if c.index == other[0])
        was.key, was.how, was.note = "latest_update", "alias", ""
        taken["latest_update"] = was.index
        dupes.remove(other)


def _words_not_numbers(grid, header_row: int, cols: list, taken: dict) -> None:
    """A header that names an item's or an action's words ('Sub actions') over cells that
    are all numbers (2, 3, 4: a count of them) is not those words: not read as them, and
    said in describe."""
    for key in ("action_text", "item_text"):
        if key not in taken:
            continue
        values = _sample(grid, header_row, taken[key])
        if len(values) >= 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                    or (isinstance(v, str) and v.strip().isdecimal())
                                    for v in values):
            col = next(c for c in cols if c.index == taken[key])
            col.key, col.how = None, ""
            col.note = f"its cells are numbers, not {BY_KEY[key].header}'s words"
            del taken[key]


def _kinds_that_are_refs(grid, header_row: int, cols: list, taken: dict,
                         index: HeaderIndex) -> None:
    """A header that names the item's kind ('Rec/AFI', 'Type') over refs that say their
    kind and number ('AFI 1', 'Rec 4'), with no number column: it is the item's ref, which
    gives both (its number is not a note after the kind)."""
    if "kind" not in taken or "number" in taken or "number" not in index.keys:
        return
    col = next(c for c in cols if c.index == taken["kind"])
    values = _sample(grid, header_row, col.index)
    # (most say their kind: an office's odd one, 'AFI 3 & 4' or 'Rec 2(b)', among them)
    if not values or content.kinds_named(values) * 4 < len(values) * 3 or \
            not all(any(ch.isdigit() for ch in str(v)) for v in values):
        return
    col.key, col.how = "number", "content"
    col.note = f"from its values (refs), not its words ({BY_KEY['kind'].header})"
    del taken["kind"]
    taken["number"] = col.index


def _ref_of_the_items(grid, header_row: int, cols: list, taken: dict,
                      index: HeaderIndex) -> None:
    """A bare 'Ref' (or 'No.', 'ID') on a sheet of one row per action, its item's words
    beside, is read from its cells: the item's number when they stand only on rows that
    give an item's words, one ref to each item's words ('1' on the item's first row, the
    rows of its further actions blank); each action's ref when an item's words have
    several, or a row of a further action has one ('1.1', '1.2')."""
    if not {"item_text", "action_text"} <= taken.keys() or "number" not in index.keys:
        return
    bare = [c for c in cols if c.key is None and c.header
            and header_key(c.header) in schema.GROUP_REF_WORDS]
    if len(bare) != 1:
        return
    ref, text = bare[0].index, taken["item_text"]
    seen: dict = {}
    per_item = True
    last = None                            # the ref of the item whose rows these are
    for row in grid[header_row + 1:]:
        value = row[ref] if ref < len(row) else None
        if value in ("", None) or len(row) - row.count("") - row.count(None) < 2 or \
                content.totals_label(row):
            continue                       # (a heading, a note, a totals row: not the column's)
        words = row[text] if text < len(row) else None
        if words in ("", None) and ref_key(value) == last:
            continue                       # a further action's row, its item's ref repeated
        # (the same ref in other capitals, 'AFI 1' and 'afi 1', is the same ref)
        if words in ("", None) or seen.setdefault(words, ref_key(value)) != ref_key(value):
            per_item = False
            break
        last = ref_key(value)
    if not seen:
        return
    key = "number" if per_item else "action_id"
    if key in taken or (per_item and "item_id" in taken):
        return
    bare[0].key, bare[0].how = key, "content"
    bare[0].note = ("from its values: the item's ref, given with its words" if per_item
                    else "from its values: each action's own ref")
    taken[key] = ref


def _refs_are_not_the_text(grid, header_row: int, cols: list, taken: dict, dupes: list,
                           index: HeaderIndex) -> None:
    """'AFI / Rec number' before 'Recommendation / AFI': both headers name the item's
    text, and the first was taken, though its cells are refs ('AFI 1', 'Rec 2') and the
    second's are the text. Then the first is the item's number, the second its text."""
    if "item_text" not in taken or "number" in taken or "number" not in index.keys:
        return
    first = next(c for c in cols if c.index == taken["item_text"])
    values = _sample(grid, header_row, first.index)
    if not values or content.kinds_named(values) < len(values):
        return
    later = next((c for c in cols if c.key is None and any(
        d[0] == c.index and d[2] == "item_text" for d in dupes)), None)
    if later is None:
        return
    text = _sample(grid, header_row, later.index)
    if not text or content.kinds_named(text):
        return
    first.key, first.how = "number", "content"
    first.note = f"from its values (refs), not its words ({BY_KEY['item_text'].header})"
    later.key, later.how, later.note = "item_text", "alias", ""
    taken["number"], taken["item_text"] = first.index, later.index
    dupes[:] = [d for d in dupes if d[0] != later.index]


def _header_candidates(heads: dict, filled: set[int], width: int, index: HeaderIndex):
    """A ColumnPlan for each column with a header or with values (no key yet), and the
    keys each header could be: (columns, singles, pending), singles the (plan, candidates)
    with one candidate, pending those with none or several."""
    cols: list[ColumnPlan] = []
    singles, pending = [], []
    for idx in range(width):
        text, group, sub = heads.get(idx, ("", None, ""))
        if not text:
            if idx in filled:
                cols.append(ColumnPlan(idx, "", None, "", "values with no header"))
            continue
        plan = ColumnPlan(idx, text, None, "")
        cols.append(plan)
        cands = (index.spellings.get(header_key(text)) or match_grouped(sub, group, index)) \
            if group else match_header(text, index)
        if not cands and group and periods.is_period(sub):
            cands = match_header(group, index)    # 'Progress update' over 'Sept 25', 'Oct 25'
        (singles if len(cands) == 1 else pending).append((plan, cands))
    return cols, singles, pending


def _take_single(singles: list, taken: dict[str, int]) -> list:
    """Gives each header with one candidate its key, unless a column has it already
    (``taken``: key -> column, grown here); returns the dupes, (column, header, key)."""
    dupes = []
    # headers we know by name first, then those read by their words (the header its words
    # explain most first: 'Update' before 'Notes for the PA')
    singles.sort(key=lambda pc: (pc[1][0][1] == "words",
                                 -schema.words_share(pc[0].header, pc[1][0][0])
                                 if pc[1][0][1] == "words" else 0))
    for plan, cands in singles:
        key, how = cands[0]
        if key in taken and how == "words":
            plan.note = (f"its words suggest {BY_KEY[key].header}, which column "
                         f"{col_letter(taken[key])} is")
        elif key in taken:
            dupes.append((plan.index, plan.header, key))
            plan.note = f"means the same as column {col_letter(taken[key])}; only that was read"
        else:
            plan.key, plan.how = key, how
            taken[key] = plan.index
    return dupes


def _take_ambiguous(grid, header_row: int, pending: list, taken: dict[str, int]) -> list:
    """Gives each header that could be several columns the first one still free whose
    kind its cells fit (else the first free), after the unambiguous ones (``taken``, grown
    here); returns the dupes, (column, header, key), where none is free."""
    dupes = []
    for plan, cands in pending:
        if not cands:
            continue
        free = [(k, h) for k, h in cands if k not in taken]
        if not free:
            dupes.append((plan.index, plan.header, cands[0][0]))
            plan.note = f"means the same as column {col_letter(taken[cands[0][0]])}; " \
                        "only that was read"
            continue
        values = _sample(grid, header_row, plan.index)
        fit = next(((k, h) for k, h in free if _fits(k, values)), free[0])
        plan.key, plan.how = fit
        if fit != free[0]:
            plan.note = f"its values are {BY_KEY[fit[0]].kind}s, not a {BY_KEY[free[0][0]].header}"
        taken[fit[0]] = plan.index
    return dupes


# The columns a column's cells may decide, on a sheet of each role, in the order tried
# (register/content.py's KINDS); and the key a kind gives on that role.
CONTENT_KEYS = {"flat": {"action_status", "number", "due", "owner"},
                ACTIONS: {"action_status", "due", "owner"}, ITEMS: {"number"}}


def _read_content(grid, header_row: int, cols: list, taken: dict, index: HeaderIndex) -> None:
    """Columns whose header said nothing we know, placed by what their cells hold: status
    words (or percentages) are the Status, refs the item's number, dates the Due date,
    names the Owner; only where the sheet has no such column yet and exactly one column
    holds them (two columns of dates could be either). A column matched only by its
    words whose cells are all status words ('Current Position': 'On track', 'Off track')
    is the Status when the sheet has none."""
    allowed = CONTENT_KEYS.get(index.role, set()) & index.keys
    if not allowed:
        return
    samples: dict = {}

    def sample(plan):
        if plan.index not in samples:
            samples[plan.index] = _sample(grid, header_row, plan.index)
        return samples[plan.index]

    open_ = [c for c in cols if c.key is None and not c.note.startswith("means the same")]
    for key, test, what in content.KINDS:
        if key not in allowed or key in taken:
            continue
        found = [c for c in open_ if c.key is None and test(sample(c))]
        if len(found) > 1 and key == "number":
            # refs that say their kind ('AFI 2', 'CoC1-R1') before codes ('A1')
            found.sort(key=lambda c: -content.kinds_named(sample(c)))
        elif len(found) > 1:
            continue                       # two columns could be it: a guess, not a reading
        if found:
            plan = found[0]
            plan.key, plan.how, plan.note = key, "content", f"from its values ({what})"
            plan.convert = "percent" if test is content.is_percent_column else ""
            taken[key] = plan.index
    if "action_status" in allowed and "action_status" not in taken:
        found = [c for c in cols if c.how == "words" and c.key and BY_KEY[c.key].kind == "text"
                 and content.is_status_column(sample(c))
                 and content._share(sample(c), content.is_status_word) >= 0.9]
        if len(found) == 1:
            plan = found[0]
            del taken[plan.key]
            plan.note = f"from its values (status words), not its words ({BY_KEY[plan.key].header})"
            plan.key, plan.how = "action_status", "content"
            taken["action_status"] = plan.index
    if "number" in allowed:
        _ids_that_are_refs(cols, taken, sample, index.role)
    for c in cols:
        if c.key is None and c.header and not c.note and content.is_percent_column(sample(c)):
            c.note = "per cent complete (progress): kept as your column, the status is read " \
                     f"from column {col_letter(taken['action_status'])}" \
                if "action_status" in taken else "per cent complete (progress)"


def _ids_that_are_refs(cols: list, taken: dict, sample, role: str) -> None:
    """A column taken for an id whose cells all name their kind ('AFI 1', 'Rec 2') is the
    item's number: 'Rec / AFI Ref' on a sheet of several reports (each has an AFI 1), or
    'HMICFRS Ref', which names the report's id (each item was a report of its own, every
    area for improvement a recommendation; so too with a bare number or two among them,
    '2', 'AFI 1', as a report's id never is)."""
    for key, roles in (("item_id", ("flat",)), ("inspection_id", ("flat", ITEMS))):
        if role not in roles or key not in taken or "number" in taken:
            continue
        plan = next(c for c in cols if c.key == key)
        if _refs_in(sample(plan), mixed=key == "inspection_id"):
            del taken[key]
            plan.note = f"from its values (refs), not its words ({BY_KEY[key].header})"
            plan.key, plan.how = "number", "content"
            taken["number"] = plan.index


def _refs_in(values: list, mixed: bool) -> bool:
    """Are the cells items' refs: all naming their kind ('AFI 1'), or (``mixed``) half of
    them at least, the rest bare numbers ('2')?"""
    if not values:
        return False
    named = content.kinds_named(values)
    if named == len(values) or not mixed:
        return named == len(values)
    distinct = {int(v) if isinstance(v, float) and v.is_integer() else v for v in values}
    return content.kinds_named(list(distinct)) * 2 >= len(distinct) and all(
        parse_ref(v) is not None for v in distinct)


def _dupe_ids_that_are_refs(grid, header_row: int, cols: list, taken: dict, dupes: list,
                            index: HeaderIndex) -> None:
    """'HMICFRS Ref' beside an 'Inspection ID': both headers name the report's id, and the
    second was set aside as the same column twice, its refs ('Rec 2', 'AFI 1') lost and
    every area for improvement a recommendation (a second trial). It is the item's number."""
    if "number" in taken or "number" not in index.keys:
        return
    for n, (idx, _, key) in enumerate(dupes):
        if key in ("inspection_id", "item_id") and \
                _refs_in(_sample(grid, header_row, idx), mixed=key == "inspection_id"):
            col = next(c for c in cols if c.index == idx)
            col.key, col.how = "number", "content"
            col.note = f"from its values (refs), not its words ({BY_KEY[key].header})"
            taken["number"] = idx
            del dupes[n]
            return


# ---------------------------------------------------------------- classifying sheets

def _cell_text(v) -> str:
    return v.strip() if isinstance(v, str) else ""


def _role_ok(role: str, keys) -> bool:
    if role == "flat":
        return "action_text" in keys and bool({"item_text", "number", "kind", "title",
                                               "inspection_id", "published"} & keys)
    need = {INSPECTIONS: {"title", "published"}, ITEMS: {"item_text"}, ACTIONS: {"action_text"}}
    return bool(need[role] & keys)


class _Known:
    """How surely a cell's text is a header (1 our header or an alias, 0.8 by its words,
    0 none), on a sheet of any role; remembered per text."""

    def __init__(self, indexes: dict):
        self.indexes = list(indexes.values())
        self.seen: dict = {}

    def __call__(self, text: str) -> float:
        q = self.seen.get(text)
        if q is None:
            q = 0.0
            if len(text) <= 60:
                for index in self.indexes:
                    found = match_header(text, index)
                    if found:
                        q = max(q, 0.8 if found[0][1] == "words" else 1.0)
                        if q == 1.0:
                            break
            self.seen[text] = q
        return q


def _row_score(row, known: _Known) -> tuple[float, int]:
    """(score, headers) of a row as the header row: each header counts (a header known by
    name more than one read by its words); a cell that is a value (a number, a date, a
    sentence) counts against it, since a header row holds none."""
    score, hits = 0.0, 0
    for v in row:
        if v in ("", None):
            continue
        if not isinstance(v, str):
            score -= 0.5
            continue
        t = v.strip()
        if not t:
            continue
        q = known(t) if len(t) <= 60 else 0.0
        if q:
            hits += 1
            score += q
        elif len(t) > 60:
            score -= 0.5
    return score, hits


def find_header_row(grid, indexes: dict, merged=(), known: _Known | None = None
                    ) -> tuple[int, int | None] | None:
    """(header row, group header row or None), 0-based, of a sheet's table: the best
    scoring of the first rows (``_row_score``) with at least MIN_HEADER_MATCHES headers;
    with the row of group headers above it when there are two rows of headers
    (``group_row_ok``). None when no row has enough headers."""
    known = known or _Known(indexes)
    best = None
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        score, hits = _row_score(row, known)
        if hits >= MIN_HEADER_MATCHES and (best is None or score > best[1]):
            best = (r, score)
    if best is None:
        return None
    r = best[0]
    width = _width(grid)
    if r + 1 < len(grid) and group_row_ok(grid, r, r + 1, width, merged, known):
        return r + 1, r             # the row found holds the groups; the headers are below
    if r > 0 and group_row_ok(grid, r - 1, r, width, merged, known):
        return r, r - 1
    return r, None


def _text_of(v) -> str:
    """A header cell's text; a date as the day it is ('01/09/2025': a period's column)."""
    if isinstance(v, str):
        return v.strip()
    if hasattr(v, "strftime") and hasattr(v, "day"):
        return v.strftime("%d/%m/%Y")
    return "" if v in ("", None) else str(v)


def _cell(row, c):
    return row[c] if c < len(row) else ""


def group_spans(grid, group_row: int, header_row: int, width: int, merged=()) -> tuple[dict, dict]:
    """({column: group header} for the columns under each group header, {column: header}
    of the headers written once over both rows). A group header covers the columns it is
    merged over, or (not merged) its own and those to its right up to the next group
    header; a header with nothing under it is a column's own header, written over both
    rows (merged down, or not)."""
    grow, hrow = grid[group_row], grid[header_row]
    spans = {}
    for (r0, c0), (r1, c1) in merged:
        if r0 <= group_row <= r1 and c1 > c0 and r1 < header_row:
            text = _text_of(_cell(grid[r0], c0))
            if text:
                for c in range(c0, c1 + 1):
                    spans[c] = text
    groups, vertical = {}, {}
    current = None
    for c in range(width):
        g, h = _text_of(_cell(grow, c)), _text_of(_cell(hrow, c))
        if c in spans:
            current = None
            if h:
                groups[c] = spans[c]
            continue
        if g and not h:
            vertical[c] = g
            current = None
        elif g:
            current = g
            groups[c] = g
        elif h and current:
            groups[c] = current
        elif not h:
            current = None
    return groups, vertical


def group_row_ok(grid, group_row: int, header_row: int, width: int, merged=(),
                 known: _Known | None = None) -> bool:
    """Is ``group_row`` a row of group headers over ``header_row``? Its cells are short
    texts, at least one group covers two or more headers, every group names a table
    (schema.GROUP_WORDS) or is merged over its columns, and the headers below are a row
    of headers that needs them: a header repeats ('Ref' under two groups), a group is
    merged, or the row below names more columns than the row above."""
    grow, hrow = grid[group_row], grid[header_row]
    gcells = [(c, v) for c, v in enumerate(grow) if v not in ("", None)
              and not (isinstance(v, str) and not v.strip())]
    if not gcells or any(not isinstance(v, str) or len(v.strip()) > 60 for _, v in gcells):
        return False
    hcells = [(c, v) for c, v in enumerate(hrow) if v not in ("", None)
              and not (isinstance(v, str) and not v.strip())]
    # (a date may head a column under its group: 'Progress update' over 30/09/2025, ...)
    if len(hcells) < 2 or any(not isinstance(v, str) and not hasattr(v, "strftime")
                              for _, v in hcells):
        return False
    groups, _ = group_spans(grid, group_row, header_row, width, merged)
    by_group: dict = {}
    for c, g in groups.items():
        by_group.setdefault(g, []).append(c)
    if not by_group or max(len(cs) for cs in by_group.values()) < 2:
        return False
    is_merged = any(r0 <= group_row <= r1 < header_row and c1 > c0
                    for (r0, c0), (r1, c1) in merged)
    if len(gcells) == 1 and (not is_merged or all(c in groups for c, _ in hcells)):
        return False    # one text, not merged, or merged over the whole table: a title
    if not all(group_table(g) for g in by_group) and not is_merged:
        return False
    # (a quarter's or month's columns under its period, merged: 'Q1 2025/26' over
    # 'Status' and 'Update')
    if not any(group_table(g) or (is_merged and periods.is_period(g)) for g in by_group):
        return False
    keys = [header_key(v) for _, v in hcells]
    if is_merged or len(set(keys)) < len(keys):
        return True
    if known is None:
        return False
    above = sum(1 for _, v in gcells if known(v.strip()))
    below = sum(1 for _, v in hcells if known(v.strip()))
    return below >= 2 and below > above


def header_cells(grid, header_row: int, group_row: int | None, width: int,
                 merged=()) -> dict:
    """{column: (header as shown, group header or None, its own header)}: a header under
    a group header is shown qualified by it ('HMICFRS recommendation: Ref')."""
    row = grid[header_row]
    groups, vertical = group_spans(grid, group_row, header_row, width, merged) \
        if group_row is not None else ({}, {})
    out = {}
    for idx in range(width):
        text = _text_of(_cell(row, idx))
        if not text:
            if idx in vertical:
                out[idx] = (vertical[idx], None, vertical[idx])
            continue
        group = groups.get(idx)
        out[idx] = (f"{group}: {text}" if group else text, group, text)
    return out


# What an item's row gives when it is its own action (one row per item, no actions).
_AS_AN_ACTION = frozenset({"owner", "due", "action_status", "latest_update"})


def _item_is_its_action(grid, header_row: int, cols: list, keys: set) -> bool:
    """Can a sheet with no actions' words be read as one row per item, each item its own
    action: it has the items' words, at least two of an action's owner, due date,
    status and update, and each item on one row of its own?"""
    return "action_text" not in keys and "item_text" in keys and \
        len(_AS_AN_ACTION & keys) >= 2 and _one_row_each(grid, header_row, cols)


def _one_row_each(grid, header_row: int, cols: list) -> bool:
    """Does each item stand on one row of its own (its words, and its ref where there is
    one, on every row, none twice)? Rows of actions repeat their item, or leave it blank."""
    keys = {c.key: c.index for c in cols if c.key}
    idx = [keys[k] for k in ("item_id", "number", "item_text") if k in keys]
    seen = set()
    for row in grid[header_row + 1:]:
        if len(row) - row.count("") - row.count(None) < 2 or content.totals_label(row):
            continue                   # (a heading, a note, a totals row: not an item's row)
        values = tuple(row[i] if i < len(row) else None for i in idx)
        if any(v in ("", None) for v in values[-1:]) or values in seen:
            return False
        seen.add(values)
    return bool(seen)


def _name_says(name: str, ignore_name: bool) -> tuple:
    """(the name folded, the role its words hint at, the table it names exactly)."""
    folded = norm_key(name)
    hint = next((role for role, words in NAME_HINTS.items() if any(w in folded for w in words)),
                None)
    named = next((t for t in schema.TABLES if folded == norm_key(schema.SHEET_NAMES[t])
                  and not ignore_name), None)
    return folded, hint, named


def classify(name: str, grid, indexes: dict, merged=(),
             items_as_actions: bool = False, ignore_name: bool = False) -> SheetPlan | None:
    """The role a sheet's table has, with its header row and columns; None if no table.
    ``items_as_actions``: only as one row per item, each its own action; ``ignore_name``:
    by its columns alone, though it is named as one of our tables."""
    known = _Known(indexes)
    found = find_header_row(grid, indexes, merged, known)
    if found is None:
        return None
    r, g = found
    folded, hint, named = _name_says(name, ignore_name)
    options = []
    width = _width(grid)
    filled = _filled_quickly(grid, r, width)
    heads = header_cells(grid, r, g, width, merged)
    for role in ("flat",) if items_as_actions else schema.ROLES:
        cols, dupes = map_columns(grid, r, indexes[role], filled, width, heads)
        keys = {c.key for c in cols if c.key}
        if items_as_actions:
            if not _item_is_its_action(grid, r, cols, keys):
                return None
            options.append((len(keys), role, cols, dupes))
            continue
        # a sheet named as ours is that table even when a column it needs is missing:
        # the missing column is then named, with its fix
        if _role_ok(role, keys) or role == named:
            bonus = 0.5 if role == hint else 0
            if role == "flat" and {"item_text", "number"} & keys and "action_text" in keys:
                bonus += 1         # an item's words beside its actions: one row per action
            options.append((len(keys) + bonus, role, cols, dupes))
    if not options:
        return None
    # a sheet named as ours ('Actions') is that table (but see _named_as_ours)
    ours = [o for o in options if o[1] == named]
    score, role, cols, dupes = ours[0] if ours else max(options, key=lambda o: o[0])
    plan = SheetPlan(name, role, header_row=r, columns=cols, score=score, dupes=dupes,
                     group_row=g, items_as_actions=items_as_actions)
    top = r if g is None else g
    if role in (ACTIONS, "flat") and not named and not items_as_actions:
        _as_cards(plan, grid, heads, indexes, known, filled, width)
    if plan.role == "cards":
        top = plan.cards[0].first_row
        plan.meta, plan.plain_meta, plan.labels = report_meta(grid, top)
        plan.labels |= {cell for card in plan.cards for cell in card.cells}
    elif plan.role == "flat" and not {"title", "inspection_id"} & set(plan.mapping):
        plan.role = "report"
        plan.meta, plan.plain_meta, plan.labels = report_meta(grid, top)
        if "published" not in plan.meta and "published" not in plan.mapping:
            plan.dated_headings = dated_headings(grid, r)
    if g is not None:
        plan.labels |= {f"{col_letter(c)}{g + 1}" for c, v in enumerate(grid[g])
                        if v not in ("", None)}
    plan.archive = bool(set(folded.split()) & ARCHIVE_WORDS)
    used = {cell for _, cell in plan.meta.values()} | plan.labels
    plan.titles = [(f"{col_letter(c)}{i + 1}", v) for i, row in enumerate(grid[:top])
                   for c, v in enumerate(row) if v not in ("", None)
                   and f"{col_letter(c)}{i + 1}" not in used]
    return plan


def _as_cards(plan: SheetPlan, grid, heads: dict, indexes: dict, known: _Known, filled,
              width: int) -> None:
    """A table of actions under rows that label an item ('Ref No.', 'Area for
    improvement:'), repeated per item: the sheet is laid out as cards."""
    r = plan.header_row
    signature = tuple((c, header_key(v)) for c, v in enumerate(grid[r])
                      if isinstance(v, str) and v.strip())
    items = indexes[ITEMS]

    def label_key(text):
        found = match_header(text, items)
        return found[0][0] if found else None

    def is_header(row, first: bool = False):
        exact = sum(1 for v in row if isinstance(v, str) and v.strip()
                    and known(v.strip()) == 1.0)
        if exact >= MIN_HEADER_MATCHES:          # our headers, or aliases, by name
            return True
        # where a card's table's headers stand, short texts with no status word or date
        # ('Milestone', 'Who', 'When') are headers, if not ours
        cells = [v for v in row if v not in ("", None)]
        return first and all(isinstance(v, str) and len(v) <= 40 and
                             not content.is_status_word(v) and not content.is_date(v)
                             for v in cells)

    found = card_layout.find_cards(grid, r, signature, label_key, is_header)
    if found is None:
        return
    plan.cards, plan.card_problem = found
    plan.role = "cards"
    plan.columns, plan.dupes = map_columns(grid, r, indexes["flat"], filled, width, heads)
    given = {k for card in plan.cards for k in card.values}
    for c in plan.columns:
        if c.how == "content" and c.key in given:     # the cards say it, not a column
            c.note = f"not read as {BY_KEY[c.key].header}: each card gives its own"
            c.key, c.how, c.convert = None, "", ""


def _filled_quickly(grid, header_row: int, width: int) -> set[int]:
    """The columns with no header that have a value below it."""
    head = grid[header_row]
    blank = [i for i in range(width) if i >= len(head) or head[i] in ("", None)
             or (isinstance(head[i], str) and not head[i].strip())]
    if not blank:
        return set()
    out = set()
    for row in grid[header_row + 1:]:
        out.update(i for i in blank if i < len(row) and row[i] not in ("", None))
        if len(out) == len(blank):
            break
    return out


# A publication date in a line's words, with no colon: 'Published 3 April 2024',
# '(report published on 17 October 2023)', 'Date published 12/06/2025'.
_PUBLISHED_IN_WORDS = re.compile(
    r"\b(?:date\s+)?published(?::|\s+on)?\s+(\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\s+\d{4}"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})\b", re.I)


def _said_published(text):
    """(the match of 'published <date>' in a heading, whether its date is a date)."""
    said = _PUBLISHED_IN_WORDS.search(text) if isinstance(text, str) and len(text) <= 300 \
        else None
    return said, said is not None and parse_date(said.group(1)) not in (UNREADABLE, None)


def unreadable_heading_date(text) -> str | None:
    """The date a heading says its report was published on, where that is no date
    ('published 31 February 2024'), else None."""
    said, readable = _said_published(text)
    return said.group(1) if said and not readable else None


def heading_published(text) -> tuple[str, str] | None:
    """A section heading's own publication date ('PEEL 2023-25 (published 14 March
    2024)'): (the date as written, the heading without it), or None."""
    said, readable = _said_published(text)
    if not readable:
        return None
    start, end = said.span()
    prefix = text[:start]
    if text[start:start + 4].lower() == "date" and not (
            prefix.endswith("(") or (prefix[-1:].isspace() and prefix.rstrip()[-1:] in "-–:;,(")
            and any(ch.isalnum() for ch in prefix)):
        start += 4      # 'date' is the title's last word ('Key date published on ...'), not
        #                 the phrase's first ('PEEL 2023 - date published 14 March 2024')
    before, after = text[:start].rstrip(), text[end:].lstrip()
    if before.endswith("(") and after.startswith(")"):     # '(published ...)'
        before, after = before[:-1], after[1:]
    elif before.lower().endswith(("(report", "(the report")) and after.startswith(")"):
        before, after = before[:before.rindex("(")], after[1:]
    rest = " ".join(f"{before} {after}".split()).strip(" -–:;,")
    return said.group(1), rest or text.strip()


def dated_headings(grid, header_row: int) -> bool:
    """Does a section heading below the headers (a row of one text) say when its report
    was published?"""
    for row in grid[header_row + 1:]:
        filled = [v for v in row if v not in ("", None)]
        if filled and isinstance(filled[0], str) and filled.count(filled[0]) == len(filled) \
                and heading_published(filled[0]):
            return True
    return False


def report_meta(grid, header_row: int) -> tuple[dict, set, set]:
    """A report's title, date, type and ref from the rows above its table:
    labelled ('Report:', 'Published:') or plain cells (the first long text, the first date)."""
    meta: dict = {}
    labels: set = set()
    plain_texts, plain_dates = [], []
    for r in range(header_row):
        row = grid[r]
        filled = [(c, v) for c, v in enumerate(row) if v not in ("", None)
                  and not (isinstance(v, str) and not v.strip())]
        i = 0
        while i < len(filled):
            c, v = filled[i]
            cell = f"{col_letter(c)}{r + 1}"
            if isinstance(v, str):
                label, _, rest = v.partition(":")
                key = _META_BY_LABEL.get(norm_key(label))
                if key and rest.strip():
                    meta.setdefault(key, (rest.strip(), cell))
                    i += 1
                    continue
                if key and i + 1 < len(filled):
                    labels.add(cell)
                    c2, v2 = filled[i + 1]
                    meta.setdefault(key, (v2.strip() if isinstance(v2, str) else v2,
                                          f"{col_letter(c2)}{r + 1}"))
                    i += 2
                    continue
            if parse_date(v) not in (UNREADABLE, None) and not isinstance(v, (int, float)):
                plain_dates.append((v, cell))
            elif isinstance(v, str) and len(v.strip()) >= 8:
                said = _PUBLISHED_IN_WORDS.search(v)
                if said and parse_date(said.group(1)) not in (UNREADABLE, None):
                    # 'Published 3 April 2024', a title's '(report published 17 October 2023)'
                    meta.setdefault("published", (said.group(1), cell))
                    if v.strip() == said.group(0).strip():
                        i += 1
                        continue
                plain_texts.append((v.strip(), cell))
            i += 1
    plain = set()
    if "title" not in meta and plain_texts:
        meta["title"] = plain_texts[0]
        plain.add("title")
    if "published" not in meta and plain_dates:
        meta["published"] = plain_dates[0]
        plain.add("published")
    return meta, plain, labels


# ---------------------------------------------------------------- the whole workbook

def plan_workbook(path_name: str, grids: dict, aliases: dict, hidden: dict,
                  settings_sheet: str | None) -> Plan:
    """Decide every sheet's role and the layout the register is read in."""
    indexes = {role: header_index(role, aliases) for role in schema.ROLES}
    sheets: list[SheetPlan] = []
    for name, (grid, merged) in grids.items():
        folded = norm_key(name)
        if name == settings_sheet:
            plan = SheetPlan(name, "settings", "settings for this register")
        elif history_kind(name, grid):
            plan = SheetPlan(name, "history", "kept by gain-pack merge, by its name and headers")
        elif folded in schema.OWNERS_SHEETS:
            plan = owners_plan(name, grid, aliases)
        elif folded in SKIP_SHEETS:
            plan = SheetPlan(name, "not read", REFERENCE_REASON)
        elif not any(v not in ("", None) for row in grid for v in row):
            plan = SheetPlan(name, "not read", EMPTY_REASON)
        else:
            plan = classify(name, grid, indexes, merged)
            if plan is None:
                plan = SheetPlan(name, "not read", _no_table_reason(grid))
            elif set(folded.split()) & SUMMARY_WORDS and not plan.archive:
                plan.looks_like, plan.role = plan.role, "not read"
                plan.reason = "a summary sheet, by its name"
        plan.hidden = hidden.get(name, "")
        sheets.append(plan)

    def usable(s):
        return s.role in schema.ROLES or s.role in ("report", "cards")

    layout = _choose(sheets, usable, visible_only=True) or _choose(sheets, usable, False)
    plan = Plan(path_name, layout, sheets, settings_sheet)
    if layout is None:
        # a summary-named sheet is read only when no other sheet holds the register
        summaries = [s for s in sheets if s.looks_like]
        for s in summaries:
            s.role, s.looks_like, s.reason = s.looks_like, "", ""
        layout = _choose(sheets, usable, True) or _choose(sheets, usable, False)
        plan.layout = layout
        if layout is None:
            for s in summaries:
                s.looks_like, s.role, s.reason = s.role, "not read", "a summary sheet, by its name"
    if layout is None or all(s.archive for s in plan.sheets if s.read):
        # (an archive alone is not the register: its open rows are on a sheet of ours)
        layout = plan.layout = _named_as_ours(plan, grids, indexes, usable) or layout
    if layout is None:
        layout = plan.layout = _items_as_actions(plan, grids, indexes, usable)
    if layout is not None:
        _mark_unread(plan, usable)
    for s in plan.chosen():
        s.missing = required_missing(s)
    return plan


def _named_as_ours(plan: Plan, grids: dict, indexes: dict, usable) -> str | None:
    """With no layout found (or only an archive), a sheet named as one of our tables
    ('Inspections', 'Actions') read by its columns alone: a whole tracker kept on a sheet
    so named was taken for that one table and the workbook refused, or its archive read
    alone (trials). The layout, or None (the sheets as they were)."""
    was = list(plan.sheets)
    changed = False
    for n, s in enumerate(plan.sheets):
        if norm_key(s.name) in _OUR_NAMES and s.role in schema.TABLES:
            grid, merged = grids[s.name]
            again = classify(s.name, grid, indexes, merged, ignore_name=True)
            if again is not None and again.role != s.role:
                again.hidden = s.hidden
                again.reason = (f"named as our {ROLE_TEXT[s.role]} sheet, but read by its "
                                "columns: the workbook has no Inspections, Items and "
                                "Actions sheets of ours")
                plan.sheets[n], changed = again, True
    layout = (_choose(plan.sheets, usable, True) or _choose(plan.sheets, usable, False)) \
        if changed else None
    if layout is None:
        plan.sheets[:] = was
    return layout


_OUR_NAMES = frozenset(norm_key(schema.SHEET_NAMES[t]) for t in schema.TABLES)


def _items_as_actions(plan: Plan, grids: dict, indexes: dict, usable) -> str | None:
    """With no sheet of actions anywhere, a sheet of one row per item that gives each
    item's owner, due date or status (and no actions' words) is read so: each item its
    own one action. The layout, or None (the sheets as they were) when there is none."""
    was = list(plan.sheets)
    for n, s in enumerate(plan.sheets):
        if s.role == ITEMS or s.looks_like == ITEMS:
            grid, merged = grids[s.name]
            again = classify(s.name, grid, indexes, merged, items_as_actions=True)
            if again is not None:
                again.hidden = s.hidden
                again.reason = ("one row per item and no column of actions: each item is "
                                "read as its own one action")
                plan.sheets[n] = again
    layout = _choose(plan.sheets, usable, True) or _choose(plan.sheets, usable, False)
    if layout is None:
        plan.sheets[:] = was
    return layout


def owners_plan(name: str, grid, aliases: dict) -> SheetPlan:
    """The plan of a sheet found by its name to be the Owners sheet: the row of its
    headers (the first of the top rows naming the most of its columns, a Name among
    them) and its columns; 'not read', saying why, when it has no Name column."""
    index = header_index(schema.OWNERS, aliases)
    best = None
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        keys = {k for v in row if _cell_text(v) for k, _ in match_header(_cell_text(v), index)}
        if "owner_name" in keys and (best is None or len(keys) > best[1]):
            best = (r, len(keys))
    if best is None:
        return SheetPlan(name, "not read", "it is named as the Owners sheet but has no Name "
                         "column (headers Name, Email, Copy when overdue)")
    cols, dupes = map_columns(grid, best[0], index)
    return SheetPlan(name, schema.OWNERS, "by its name", header_row=best[0], columns=cols,
                     dupes=dupes)


def _no_table_reason(grid) -> str:
    texts = []
    for row in grid[:HEADER_SCAN_ROWS]:
        texts = [_cell_text(v) for v in row if _cell_text(v)]
        if len(texts) >= 2:
            break
    if not texts:
        return "no register table: no row of headers in its first 30 rows"
    shown = ", ".join(texts[:8]) + (" ..." if len(texts) > 8 else "")
    return f"no register table: its headers are {shown}"


def _choose(sheets, usable, visible_only: bool) -> str | None:
    cands = [s for s in sheets if usable(s) and (not visible_only or not s.hidden)]
    roles = {s.role for s in cands}
    if all(r in roles for r in schema.TABLES):
        chosen = {id(s) for s in cands if s.role in schema.TABLES}
        layout = "template"
    elif roles & {"flat", "report", "cards"}:
        chosen = {id(s) for s in cands if s.role in ("flat", "report", "cards")}
        layout = "per report" if "report" in roles else "cards" if "cards" in roles else "flat"
    else:
        return None
    for s in sheets:
        s.read = id(s) in chosen
    return layout


def _mark_unread(plan: Plan, usable) -> None:
    """Every sheet the layout does not use gets the role 'not read' and the reason."""
    for s in plan.sheets:
        if not usable(s) or s.read:
            continue
        s.looks_like, s.role = s.role, "not read"
        if s.hidden:
            s.reason = (f"it is {s.hidden}; it looks like {ROLE_TEXT[s.looks_like]}, but a "
                        "visible sheet holds the register")
        elif plan.layout == "template":
            s.reason = (f"it looks like {ROLE_TEXT[s.looks_like]}, but the register was read "
                        "from its Inspections, Items and Actions sheets")
        else:
            s.reason = (f"it looks like {ROLE_TEXT[s.looks_like]}, but the register was read "
                        f"as {LAYOUT_TEXT[plan.layout]}")


FLAT_REQUIRED = ["title", "published", "item_text", "action_text", "due", "action_status"]


def required_missing(s: SheetPlan) -> list[str]:
    """The columns a chosen sheet must have and lacks (keys)."""
    present = set(s.mapping)
    if s.role in schema.TABLES:
        need = [c.key for c in schema.columns_of(s.role) if c.required_column]
    else:
        present |= set(s.meta) | ({"published"} if s.dated_headings else set()) | \
            ({"action_text"} if s.items_as_actions else set())
        if s.role in ("report", "cards"):
            present |= {"title"}               # the sheet's name stands in
        if s.role == "cards":
            present |= {k for card in s.cards for k in card.values}
        need = [k for k in FLAT_REQUIRED
                if not (k == "title" and "inspection_id" in present)]
        if "number" in present or "item_id" in present:
            need = [k for k in need if k != "item_text"]
    return [k for k in need if k not in present]


def fix_line(s: SheetPlan, key: str, grid) -> str:
    """One sentence: the required column a sheet lacks, its unplaced headers, the fix."""
    col = BY_KEY[key]
    unplaced = [c for c in s.columns if c.key is None and c.header]
    # (an earlier period's column is read, where the latest is blank: no column to guess)
    guess = _guess(col, [c for c in unplaced if not c.note.startswith("an earlier period")],
                   grid, s.header_row)
    names = ", ".join(f"'{c.header}'" for c in unplaced[:10]) or "none"
    fix = (f"if {guess!r} is it, add a row to the Settings sheet: Alias: {col.header} = {guess}"
           if guess else f"add a row to the Settings sheet: Alias: {col.header} = <your header>")
    if key == "published" and s.role in ("flat", "report"):
        fix += ", or put 'Published:' and the date in a row above the headers"
    what = col.description[0].lower() + col.description[1:].rstrip(".")
    return (f"the {s.name} sheet has no column for {col.header} ({what}); "
            f"headers not placed: {names}; {fix}")


def _guess(col, unplaced, grid, header_row):
    best = None
    for c in unplaced:
        values = _sample(grid, header_row, c.index)
        if not values:
            continue
        if col.kind == "date":
            if _fits(col.key, values) and not (col.key == "published" and
                                               content.names_another_date(c.header)):
                return c.header
            continue
        length = sum(len(str(v)) for v in values) / len(values)
        if col.kind == "text" and (best is None or length > best[0]) and \
                content.is_long_text_column(values):      # (not a date's digits, nor refs)
            best = (length, c.header)
        if col.kind == "vocab" and length < 25 and best is None and (
                col.key != "action_status" or content.is_status_column(values)):
            best = (length, c.header)          # (a status's guess holds status words)
    return best[1] if best else None
