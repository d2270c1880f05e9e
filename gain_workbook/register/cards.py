"""A sheet laid out as cards: per item, rows that label its ref and its words ('Ref No.'
| 'E1', 'Area for improvement:' | 'The service should ...', or 'Recommendation 9:' with
the words on the row below), then that item's own small table of actions, its headers
repeated on each card. Fire and rescue services' action plans are often laid out so.

``find_cards`` (for ``detect``) says whether a sheet is laid out so, which rows are each
card's labels and table, and, where a card cannot be read, why, naming its row.
``fill_cards`` (for ``flat``) gives each row of a card's table the card's item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gain_workbook.core.sniff import col_letter
from gain_workbook.core.text import plural, shorten
from gain_workbook.model import schema
from gain_workbook.model.refs import parse_ref
from gain_workbook.model.schema import header_key, norm_key

MAX_LABEL_CELLS = 4          # a row of more cells is a table's row, not a card's labels
MAX_LABEL = 50               # a label is short ('Area for improvement', 'Ref No.')
_REF_LABELS = frozenset(schema.CARD_LABELS["number"])
_TEXT_LABELS = frozenset(schema.CARD_LABELS["item_text"])
# the other columns of an item a card may label ('Lead:', 'Deadline:'); never the report
_OTHER_LABELS = frozenset(c.key for c in schema.columns_of(schema.ITEMS)) - {
    "item_id", "item_inspection_id", "number", "item_text"}


@dataclass
class Card:
    """One item's card: its labels (rows above its table) and its table's rows."""

    first_row: int                                  # 0-based: its first label row
    label_rows: list = field(default_factory=list)  # 0-based rows of its labels
    values: dict = field(default_factory=dict)      # key -> (value, cell) from its labels
    names: dict = field(default_factory=dict)       # key -> the label as written
    cells: set = field(default_factory=set)         # cells of its labels and their values
    unknown: list = field(default_factory=list)     # (cell, label) of labels we do not hold
    rows: list = field(default_factory=list)        # 0-based rows under it (its table)
    header_rows: list = field(default_factory=list)  # its table's own header row(s)

    def to_dict(self) -> dict:
        return {"row": self.first_row + 1,
                "ref": _text(self.values.get("number", (None,))[0]),
                "text": _text(self.values.get("item_text", (None,))[0]),
                "labels": {schema.BY_KEY[k].header: v for k, v in self.names.items()},
                "table_rows": len(self.rows)}


def _text(v):
    return None if v is None else str(v)


def describe_cards(cards: list) -> str:
    """One line for describe: how many cards, where, and what labels them."""
    names = {}
    for c in cards:
        for k in ("number", "item_text"):
            if k in c.names:
                names.setdefault(k, f"'{c.names[k]}'")
    rows = ", ".join(str(c.first_row + 1) for c in cards[:8]) + (" ..." if len(cards) > 8
                                                                   else "")
    if len(names) == 2 and len(set(names.values())) == 1:   # 'Recommendation 9:', words below
        labelled = f"each {names['number'][:-1]} <n>:' row with its words"
    else:
        labelled = f"each labelled {' and '.join(names.values())}"
    return f"{plural(len(cards), 'card')} (rows {rows}), {labelled} above its own table of actions"


def _kind_of(label: str) -> str | None:
    """The kind an item's label names ('Area for improvement' -> Area for improvement)."""
    words = schema.SYNONYMS["kind"]
    folded = header_key(label)
    return next((v for k, v in words.items() if norm_key(k) == folded), None) or \
        next((v for v in schema.ITEM_KINDS if norm_key(v) == folded), None)


class _Labels:
    """Reads label cells: which of our columns a label names."""

    def __init__(self, label_key):
        self.label_key = label_key          # text -> key (an item's column) or None

    def word(self, text: str) -> str | None:
        if len(text) > MAX_LABEL or len(text.split()) > 6:
            return None                # a sentence is a value, never a label
        hk = header_key(text)
        if hk in _REF_LABELS:
            return "number"
        if hk in _TEXT_LABELS:
            return "item_text"
        key = self.label_key(text)
        return key if key in _OTHER_LABELS else None

    def cell(self, text: str):
        """(key, label, value, kind) a cell holds: 'Ref No. E1' -> ('number', 'Ref No.',
        'E1', None); 'Recommendation 9:' -> ('number', 'Recommendation', '9',
        'Recommendation'); 'Area for improvement:' -> ('item_text', ..., '', AFI); None."""
        t = text.strip()
        head, colon, rest = t.partition(":")
        if colon:
            key = self.word(head)
            if key:
                return key, head.strip(), rest.strip(), _kind_of(head)
            numbered = self._numbered(head.strip())
            if numbered:
                return numbered if not rest.strip() else None
            return None
        return self._numbered(t) or ((k, t, "", _kind_of(t)) if (k := self.word(t)) else None)

    def _numbered(self, t: str):
        words = t.split()
        for i in range(min(4, len(words) - 1), 0, -1):
            prefix, rest = " ".join(words[:i]), " ".join(words[i:])
            key = self.word(prefix)
            if key in ("number", "item_text") and len(rest) <= 30 and \
                    parse_ref(rest.strip(" .#")) is not None:
                kind = _kind_of(prefix) if key == "item_text" else None
                return "number", prefix.strip(), rest.strip(" .#"), kind
        return None


def _filled(row) -> list:
    return [(c, v) for c, v in enumerate(row) if v not in ("", None)
            and not (isinstance(v, str) and not v.strip())]


def _label_row(labels: _Labels, row, r: int):
    """The labels a row holds, as [(key or None, label, value, kind, label cell, value
    cell)], or None when it is not a row of labels (its first cell names no column of an
    item's, or it has as many cells as a table's row)."""
    cells = _filled(row)
    if not cells or len(cells) > MAX_LABEL_CELLS or not isinstance(cells[0][1], str):
        return None
    out = []
    i = 0
    while i < len(cells):
        c, v = cells[i]
        parsed = labels.cell(v) if isinstance(v, str) and (i == 0 or ":" in v) else None
        if parsed is None:
            return None            # every cell of a row of labels is a label or its value
        key, label, value, kind = parsed
        cell, vcell = f"{col_letter(c)}{r + 1}", f"{col_letter(c)}{r + 1}" if value else ""
        if value == "" and i + 1 < len(cells) and not (isinstance(cells[i + 1][1], str)
                                                       and cells[i + 1][1].strip().endswith(":")
                                                       and labels.cell(cells[i + 1][1])):
            c2, value = cells[i + 1]
            vcell = f"{col_letter(c2)}{r + 1}"
            i += 1
        out.append((key, label, value, kind, cell, vcell))
        i += 1
    return out if out[0][0] in ("number", "item_text") or len(out) == 1 and out[0][0] else None


def find_cards(grid, header_row: int, signature: tuple, label_key, is_header):
    """The cards of a sheet whose table's headers are on ``header_row``, or None when it
    is not laid out as cards: (cards, problem), ``problem`` naming the row of a card that
    cannot be read ('' when all can).

    ``signature``: the header row's (column, header_key) pairs, which a card's own table
    repeats; ``label_key(text)``: the item's column a label names, or None;
    ``is_header(row, first)``: whether a row looks like a row of headers (``first``: it
    stands where a card's table's headers would, so words we do not know count)."""
    found = _label_rows(_Labels(label_key), grid, header_row)
    # the first card's labels sit above the first table, blank rows allowed between
    # (an item's label among them: 'Type: PEEL' and 'Executive lead:' above a report's
    # table are the report's details, and headings under its table name no card)
    first = [r for r in found if r < header_row]
    if not first or not any(_item_labels(found[r]) for r in first):
        return None
    top = _above_first_card(grid, found, header_row)
    if not any(x > top for x in first):
        return None
    groups = _card_groups(grid, found, header_row, top)
    if not groups:
        return None                    # labels, but of no item: not a layout of cards
    cards = []
    for i, group in enumerate(groups):
        start = header_row + 1 if i == 0 else group[-1] + 1
        end = groups[i + 1][0] if i + 1 < len(groups) else len(grid)
        cards.append(_card(grid, found, group, list(range(start, end)), signature))
    return cards, _problem(cards, grid, header_row, signature, is_header)


def _label_rows(labels: _Labels, grid, header_row: int) -> dict:
    """{0-based row: its labels (as _label_row gives them)} for every row of labels in the
    sheet but the table's header row."""
    found = {}
    for r in range(len(grid)):
        if r == header_row:
            continue
        parsed = _label_row(labels, grid[r], r)
        if parsed is not None:
            found[r] = parsed
    return found


def _words_below(grid, found: dict, row: int) -> bool:
    """Whether a row is only the words of the row of labels above it ('Recommendation 9:'
    with its words on the row below): one text cell, under a row of labels."""
    cells = _filled(grid[row])
    return row - 1 in found and len(cells) == 1 and isinstance(cells[0][1], str)


def _above_first_card(grid, found: dict, header_row: int) -> int:
    """The row just above the first card: up from the table's headers past its labels,
    blank rows and the words under a label (-1 when they reach the top)."""
    r = header_row - 1
    while r >= 0 and (r in found or not _filled(grid[r]) or _words_below(grid, found, r)):
        r -= 1
    return r


def _item_labels(labels: list) -> set:
    """Which of an item's labels a row holds, 'number' and/or 'item_text' (both for
    'Recommendation 9:', which names the item and heads its words)."""
    out = set()
    for k, _, _, kind, _, _ in labels:
        if k in ("number", "item_text"):
            out |= {k, "item_text"} if kind else {k}
    return out


def _card_groups(grid, found: dict, header_row: int, top: int) -> list[list[int]]:
    """The rows of labels below ``top``, card by card: a card's rows follow one another
    (blank rows and words under a label between them), never across the first table's
    headers, and a second ref or second words start the next card. Labels before the
    first item's words are the report's ('Ref:' its ref), not a card's, and are left out."""
    groups: list[list[int]] = []
    seen: set = set()                  # the item labels of the group being built
    for row in sorted(x for x in found if x > top):
        names = _item_labels(found[row])
        joined = groups and all(not _filled(grid[x]) or _words_below(grid, found, x)
                                for x in range(groups[-1][-1] + 1, row)) \
            and not (groups[-1][-1] < header_row < row)
        if joined and seen and not names & seen:
            groups[-1].append(row)
            seen |= names
        elif names:                    # a second ref or second words start the next card
            groups.append([row])
            seen = names
        # (another label before any item's ref or words, 'Type:', is the report's)
    while groups and not any("item_text" in _item_labels(found[row]) for row in groups[0]):
        groups.pop(0)
    return groups


def _card(grid, found: dict, group: list, rows: list, signature: tuple) -> Card:
    """One card: its labels from the rows of ``group``, its table from ``rows`` (up to the
    next card) less the words under its last label and its table's repeated headers."""
    card = Card(group[0], list(group))
    pending = _read_labels(card, found, group)
    below = pending[2] + 1 if pending else len(grid)
    if pending and pending[0] not in card.values and below < len(grid) \
            and _words_below(grid, found, below):
        # 'Recommendation 9:' with the item's words on the row below, alone
        (c, v), = _filled(grid[below])
        card.values[pending[0]] = (v.strip(), f"{col_letter(c)}{below + 1}")
        card.cells.add(f"{col_letter(c)}{below + 1}")
        card.label_rows = sorted(card.label_rows + [below])
        if below in rows:
            rows.remove(below)
    _stray_lines(card, grid, found, group)
    card.header_rows, card.rows = _repeated_headers(grid, rows, signature)
    return card


def _read_labels(card: Card, found: dict, group: list):
    """Fills in a card from its rows of labels: the values they give, the labels as
    written, their cells, and the labels of none of an item's columns. Returns the last
    label whose value is not beside it, (key, label, row), or None: its words may be on
    the row below."""
    pending = None
    for row in group:
        for key, label, value, kind, cell, vcell in found[row]:
            if key is None:
                card.unknown.append((cell, label))
                card.cells.add(cell)
                continue
            card.cells.update(x for x in (cell, vcell) if x)
            card.names.setdefault(key, label)
            if kind and "kind" not in card.values:
                card.values["kind"] = (kind, cell)
            if value not in ("", None):
                card.values.setdefault(key, (value, vcell))
            elif key != "number":
                pending = (key, label, row)
            if key == "number" and kind:
                # 'Recommendation 9:' names the item: its words are on the row below
                card.names.setdefault("item_text", label)
                pending = ("item_text", label, row)
    return pending


def _stray_lines(card: Card, grid, found: dict, group: list) -> None:
    """Adds to a card's unknown labels the cells of any other line among its labels, so
    that they are reported as skipped, never silently lost."""
    for row in range(group[0] + 1, group[-1]):
        if row not in found and row not in card.label_rows:
            for c, v in _filled(grid[row]):
                card.unknown.append((f"{col_letter(c)}{row + 1}", str(v)))
                card.cells.add(f"{col_letter(c)}{row + 1}")


def _repeated_headers(grid, rows: list, signature: tuple) -> tuple[list, list]:
    """A card's table rows split in two: those that repeat the first table's headers
    (``signature``), and the rest, each in order."""
    headers, rest = [], []
    for row in rows:
        sig = tuple((c, header_key(v)) for c, v in _filled(grid[row]) if isinstance(v, str))
        (headers if sig == signature else rest).append(row)
    return headers, rest


def _problem(cards: list, grid, header_row: int, signature: tuple, is_header) -> str:
    """Why a card cannot be read, naming its row; '' when every card can."""
    text_label = next((c.names["item_text"] for c in cards if "item_text" in c.names),
                      "Area for improvement")
    ref_label = next((c.names["number"] for c in cards if "number" in c.names), "Ref No.")
    for card in cards:
        if "item_text" not in card.values:
            return (f"the card at row {card.first_row + 1} has no '{text_label}:' row (the "
                    f"item's words); every card needs its '{ref_label}' and '{text_label}:' "
                    "rows above its table")
        for n, row in enumerate(card.rows):
            cells = _filled(grid[row])
            if len(cells) >= 3 and all(isinstance(v, str) for _, v in cells) \
                    and is_header(grid[row], n == 0 and not card.header_rows):
                shown = ", ".join(f"'{shorten(v, 20)}'" for _, v in cells[:4])
                return (f"the card at row {card.first_row + 1} has a table with other "
                        f"headers (row {row + 1}: {shown}) than the first card's (row "
                        f"{header_row + 1}); give every card's table the same headers")
    return ""


def card_of_rows(cards: list) -> dict:
    """{0-based row: the card it is under} for every row of every card's table."""
    return {r: card for card in cards for r in card.rows}


def skip_rows(cards: list) -> set:
    """The rows that are not rows of a table: every card's labels and repeated headers."""
    return {r for card in cards for r in card.label_rows + card.header_rows}


def fill_cards(plan, grid, rows: list, get: dict, srcs: dict, ctx) -> list:
    """The rows of a sheet of cards, each card's item on every row of its table, and on a
    row of its own (its first label's row: an item whose table is empty is still read).
    Returns the rows, with those label rows among them; ``get`` grows to match."""
    from gain_workbook.register.values import normalise

    cards = plan.cards
    by_row = card_of_rows(cards)
    own = {card.label_rows[0]: card for card in cards}
    by_row.update(own)
    all_rows = sorted(set(rows) | set(own))
    pos = {r: i for i, r in enumerate(rows)}
    for key in list(get):
        values = get[key]
        get[key] = [values[pos[r]] if r in pos else None for r in all_rows]
    keys = {k for card in cards for k in card.values}
    for key in keys:
        col = schema.BY_KEY[key]
        label = next(c.names.get(key, col.header) for c in cards if key in c.values)
        read = {}
        for card in cards:
            if key in card.values:
                value, cell = card.values[key]
                letter = "".join(ch for ch in cell if ch.isalpha())
                row0 = int("".join(ch for ch in cell if ch.isdigit())) - 1
                (read[id(card)],) = normalise(col, [value], [row0], plan.name, letter, label,
                                               ctx, {}, lambda r: r)
        column = get.setdefault(key, [None] * len(all_rows))
        for i, r in enumerate(all_rows):
            card = by_row.get(r)
            if card is not None and column[i] in (None, "") and id(card) in read:
                column[i] = read[id(card)]
        srcs.setdefault(key, ("", label))        # one cell per card, not a column
    for card in cards:
        for r in card.header_rows:
            first = next((c for c, _ in _filled(grid[r])), 0)
            plan.skipped.append((f"{col_letter(first)}{r + 1}",
                                 f"the headers of a card's table, as on row "
                                 f"{plan.header_row + 1}"))
        for cell, label in card.unknown:
            plan.skipped.append((cell, f"'{shorten(label, 30)}' among a card's labels is "
                                       "not one of an item's columns"))
    plan.read_rows = all_rows
    return all_rows

