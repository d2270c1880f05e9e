"""Values as offices type them, made canonical: dates ('31/12/2024', 'TBC', 'Dec-25',
'Q1 2026'), status words and their typos, yes or no in words, several types in a cell,
a word with a note after it ('Complete - awaiting HMICFRS closure'), both halves of a
bilingual value ('Wedi'i gwblhau / Complete').

What cannot be read is kept as written, for the validator to report with its cell;
every change is a warning naming the cell and the value used (a note's, once for each
distinct phrase; a difference of capitals only, none).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from gain_workbook.model import schema
from gain_workbook.core.dates import (DATE_WORDS, EARLIEST, LATEST, UNREADABLE, is_no_date,
                                      date_among_words, month_or_quarter, parse_date,
                                      parse_text_date)
from gain_workbook.model.problems import display, make_problem
from gain_workbook.model.schema import SYNONYMS, norm_key
from gain_workbook.model.settings import Settings


@dataclass
class Context:
    """What normalising a value needs besides the value."""

    date1904: bool
    settings: Settings
    problems: list
    # (column key, folded phrase) -> [problem's place in problems, cells]: a value read
    # with a note is said once for each distinct phrase, naming how many cells have it
    phrases: dict = field(default_factory=dict)
    # (column key, table index) -> the date a note gives ('Closed by HMICFRS 12/03/2021')
    note_dates: dict = field(default_factory=dict)
    # (column key, table index) -> a word as written where it was read as another of the
    # list's words ('On track' as In progress, 'N/A - for the Home Office' as No): adopt
    # keeps them beside our column (keys are unique across the tables)
    written: dict = field(default_factory=dict)
    # a date the sheet being read writes month first ('03/15/2027'), if it writes one
    month_first: str | None = None


def month_first_in(*columns) -> str | None:
    """The first text date among the columns' values that can only be month first
    ('03/15/2027'), where more of them can only be so than can only be day first
    ('25/03/2027'): one slip in a register that writes day first does not make its
    every date unsure."""
    first, month_first, day_first = None, 0, 0
    for values in columns:
        for v in [v for v in values if type(v) is str]:   # (most are date cells: skipped)
            if m := _DAY_MONTH.match(v):
                a, b = int(m.group(1)), int(m.group(2))
                if a <= 12 < b <= 31:
                    month_first += 1
                    first = first or v.strip()
                elif b <= 12 < a <= 31:
                    day_first += 1
    return first if month_first > day_first else None


def cell_text(v):
    """A cell as text, as the user reads it (3.0 as '3', a date as 31/12/2024); None if blank."""
    if v is None or v == "":
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.date, dt.datetime, float, int, bool)):
        return display(v)
    s = str(v).strip()
    return s or None


def _near(word: str, choices: dict) -> str | None:
    """The canonical word one edit away (a typo: 'Compelte'), when there is exactly one."""
    if len(word) < 5:
        return None
    found = {canon for key, canon in choices.items()
             if abs(len(key) - len(word)) <= 1 and _one_edit(word, key)}
    return found.pop() if len(found) == 1 else None


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by one insertion, deletion, change or swap of neighbours."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def normalise(col: schema.Column, values: list, rows: list[int], sheet: str, letter: str,
               header: str, ctx: Context, raw: dict, index_of) -> list:
    """Canonical values for one column; what cannot be read is kept as written.

    ``raw`` gets (key, index) -> the value as written where the canonical value loses it;
    ``index_of`` turns a 0-based grid row into the table's index.
    """
    kind = col.kind
    if kind in ("id", "ref", "text", "deadline", "email"):
        # most cells are plain text: keep that path short
        out = [(v.strip() or None) if type(v) is str else cell_text(v) for v in values]
        return _shared(out)
    where = (sheet, letter, header, ctx, raw, index_of)
    if kind == "date":
        return _dates(col, values, rows, where)
    return _words(col, values, rows, where)


def _shared(values: list) -> list:
    """The column with each distinct text held once. python-calamine gives every cell its
    own copy (an owner's name 100,000 times: at 100,000 actions the tables held 100 MB of
    values, 33 MB of them distinct), and the tables are kept until the pack is written.
    Only for a column of texts and blanks: equal values of other types (1, 1.0, True)
    are not the same value. Dates and words are held once as they are read. A column
    whose first rows are mostly distinct (ids, prose) is left alone: hashing every
    text would cost time for no room."""
    seen: dict = {}
    head = values[:_SAMPLE]
    list(map(seen.setdefault, head, head))
    if len(seen) > len(head) * 0.9:    # mostly distinct (its own ids, prose): no gain
        return values
    return list(map(seen.setdefault, values, values))


_SAMPLE = 1000   # the rows _shared looks at first, to see whether a column repeats


# An action due 'with immediate effect' has no day of its own to be due by: no date yet,
# said. (An item's deadline so worded is its report's publication date: derive.py.)
_DUE_KEYS = frozenset({"due", "revised_due"})
_IMMEDIATE = re.compile(r"(?:with\s+)?immediate(?:ly)?(?:\s+effect)?", re.I)


_DAY_MONTH = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](?:\d{2}|\d{4})\s*$")


def _dates(col: schema.Column, values: list, rows: list[int], where) -> list:
    """A date column: dates, None for 'TBC' and the like (said), a month or quarter read
    as its last day (said), and what is not a date kept as text for BAD_DATE."""
    sheet, letter, header, ctx, raw, index_of = where
    problems = ctx.problems
    out = []
    days: dict = {}                    # date cell -> its day (in range)
    held: dict = {}                    # each day as one object (see _shared)
    # a column that writes some dates month first ('03/15/2027', which no day-first date
    # can be) may write them all so: there, '04/05/2027' is not surely 4 May
    us = ctx.month_first or month_first_in(values)
    for v, r in zip(values, rows):
        if us is not None and type(v) is str and (m := _DAY_MONTH.match(v)) and \
                int(m.group(1)) <= 12 and int(m.group(2)) <= 12 and m.group(1) != m.group(2):
            problems.append(make_problem("DATE_ORDER_UNSURE", sheet, f"{letter}{r + 1}",
                                         header, v.strip(), us=us))
            raw[(col.key, index_of(r))] = v.strip()
            out.append(None)
            continue
        if type(v) is dt.date or type(v) is dt.datetime:
            d = days.get(v)
            if d is None and EARLIEST <= (d := v if type(v) is dt.date else v.date()) <= LATEST:
                d = days[v] = held.setdefault(d, d)
            if d is days.get(v):
                out.append(d)          # the usual case: a date cell
                continue
        if v == "" or v is None:
            out.append(None)           # and the next most usual: an empty one
            continue
        if type(v) is str and v.strip():
            if is_no_date(v) or (col.key in _DUE_KEYS and _IMMEDIATE.fullmatch(v.strip())):
                problems.append(make_problem("DATE_NOT_GIVEN", sheet, f"{letter}{r + 1}",
                                             header, v.strip()))
                raw[(col.key, index_of(r))] = v.strip()
                out.append(None)
                continue
            loose = month_or_quarter(v, ctx.settings.quarters) or \
                (date_among_words(v) if parse_date(v, ctx.date1904) is UNREADABLE else None)
            if loose is not None:
                problems.append(make_problem("DATE_READ_AS", sheet, f"{letter}{r + 1}",
                                             header, v.strip(), date=display(loose[0]),
                                             why=loose[1]))
                raw[(col.key, index_of(r))] = v.strip()
                out.append(held.setdefault(loose[0], loose[0]))
                continue
        d = parse_date(v, ctx.date1904)
        # kept as written (as text, so that a date cell out of range fails BAD_DATE)
        out.append(cell_text(v) if d is UNREADABLE else d if d is None else held.setdefault(d, d))
    return out


def _word_of(raw_text: str, kind: str, words: dict, vocab_keys: dict, synonyms: dict):
    """What a cell's text means in a list, by the first rule that reads it: the word or
    a synonym; for several types, each part; one half of a bilingual pair; a leading
    yes or no; the word with a note after it; a near miss. (text as it is reported,
    the word or None, the note beside it, the problem's code: 'PLAIN' when it was
    written plainly as the word, so nothing is said.)"""
    folded = norm_key(raw_text)
    code, note = "NORMALISED", ""
    canon = vocab_keys.get(folded) or synonyms.get(folded)
    if canon is None and kind == "multi":
        parts = split_multi(raw_text)
        mapped = [vocab_keys.get(norm_key(p)) or synonyms.get(norm_key(p)) for p in parts]
        canon = ", ".join(dict.fromkeys(mapped)) if parts and all(mapped) else None
        if canon is not None and [p.strip() for p in parts] == mapped:
            raw_text = canon           # only the separators differ: nothing to report
    if canon is None and kind in ("vocab", "yesno"):
        canon, note, plain = either_half(raw_text, words, kind == "vocab")
        if canon is not None and plain and not note:
            return raw_text, canon, "", "PLAIN"
    if canon is None and kind == "yesno":
        canon = next((word for lead, word, _ in schema.YES_NO_LEADS
                      if folded == lead or folded.startswith(lead + " ")), None)
    if canon is None and kind == "vocab":
        canon, note = split_lead(raw_text, words) or (None, "")
    if canon is None and kind == "vocab":
        canon = _near(folded, words)
        code = "WORD_READ_AS"
    return raw_text, canon, note, code


def _words(col: schema.Column, values: list, rows: list[int], where) -> list:
    """A column of words from a list (status, kind, yes/no, types): each read as its
    word where it is one, a synonym, a near miss or (for types) several; said when
    it was not written as the word; kept as written when it is none."""
    sheet, letter, header, ctx, raw, index_of = where
    kind = col.kind
    synonyms = {norm_key(k): v for k, v in SYNONYMS[col.synonyms].items()}
    vocab_keys = {norm_key(v): v for v in col.vocab}
    words = {**synonyms, **vocab_keys}
    exact = {w: w for w in col.vocab}  # (the list's own word, one object for every cell)
    out = []
    for v, r in zip(values, rows):
        if (word := exact.get(v)) is not None:   # the usual case: picked from the dropdown
            out.append(word)
            continue
        if v is None or v == "" or (isinstance(v, str) and not v.strip()):
            out.append(None)
            continue
        if isinstance(v, bool) and kind == "yesno":
            out.append("Yes" if v else "No")
            continue
        raw_text, canon, note, code = _word_of(cell_text(v), kind, words, vocab_keys, synonyms)
        if code == "PLAIN":
            out.append(canon)          # 'Wedi'i gwblhau / Complete': written as the word
            ctx.written[(col.key, index_of(r))] = raw_text     # (adopt keeps both halves)
            continue
        if canon is None:
            out.append(raw_text)       # left for NOT_IN_LIST
            continue
        if note:
            raw[(col.key, index_of(r))] = raw_text      # adopt keeps the note
            _said_with_note(col, canon, note, raw_text, f"{letter}{r + 1}", where,
                            index_of(r))
            out.append(canon)
            continue
        if col.key == "action_status" and norm_key(raw_text) in schema.OVERDUE_WORDS:
            code = "OVERDUE_WORD"
        if canon != raw_text and canon.casefold() != " ".join(raw_text.split()).casefold():
            ctx.problems.append(make_problem(code, sheet, f"{letter}{r + 1}", header, raw_text,
                                             normalised=canon))
            if not norm_key(canon).startswith(norm_key(raw_text)):   # ('Y' says no more
                ctx.written[(col.key, index_of(r))] = raw_text        # than Yes)
        out.append(canon)
    return out


# A word of a value as norm_key reads it: the text between spaces and punctuation.
_TOKEN = re.compile(r"[^\s\u2010-\u2015\-_/\\.,:;()\[\]?!#*&+]+")
_NOTE_EDGES = " \t\n-\u2010\u2011\u2012\u2013\u2014\u2015:;,.|"
MAX_LEAD_WORDS = 6


def split_lead(text: str, words: dict) -> tuple[str, str] | None:
    """(the word, the note) of a value that starts with a known word and goes on
    ('Complete - awaiting HMICFRS closure' -> ('Complete', 'awaiting HMICFRS closure');
    'Closed by HMICFRS 12/03/2021' -> the longest known start); None when it does not
    start with one, or nothing follows it. ``words``: norm_key(word) -> canonical."""
    toks = list(_TOKEN.finditer(text))
    for i in range(min(len(toks) - 1, MAX_LEAD_WORDS), 0, -1):
        canon = words.get(" ".join(norm_key(t.group()) for t in toks[:i]))
        if canon is not None:
            note = clean_note(text[toks[i - 1].end():])
            return (canon, note) if note else None
    return None


def clean_note(text: str) -> str:
    """What follows a word, without the dash, colon or brackets that set it off."""
    note = text.strip(_NOTE_EDGES)
    while len(note) > 1 and note[0] in "([" and note[-1] in ")]":
        note = note[1:-1].strip(_NOTE_EDGES)
    return note


# A bilingual value's halves: split at a slash between words (not in a date: 12/03/2021),
# a bar, or a line break.
# (the spaces round a slash are stripped with the halves, not matched: a pattern of spaces
# before the slash would be quadratic on a cell of them)
_HALVES = re.compile(r"(?<![\d/])/(?![\d/])|(?<!\s)\s+\|\s+|\n+")


def either_half(text: str, words: dict, notes: bool) -> tuple[str | None, str, bool]:
    """A bilingual value ('Wedi'i gwblhau / Complete', 'Ar agor | Open'): the word
    its halves agree on (either half alone will do), the note one of them carries, and
    whether the value is plainly the word (one half is the word itself, the others say
    the same). (None, '', False) when the halves name no word, or different ones."""
    halves = [h.strip() for h in _HALVES.split(text) if h.strip()]
    if len(halves) < 2 or any(len(h.strip()) < 2 for h in halves):
        return None, "", False         # 'N/A' is not two halves
    found, notes_, plain, other = set(), [], False, []
    for half in halves:
        canon = words.get(norm_key(half))
        if canon is not None:
            plain = plain or half.strip().casefold() == canon.casefold()
        elif notes and (lead := split_lead(half, words)) is not None:
            canon = lead[0]
            notes_.append(lead[1])
        else:
            other.append(half.strip())
        if canon is not None:
            found.add(canon)
    if len(found) != 1:
        return None, "", False
    # a half that names no word is kept as the note, so nothing written is lost
    return found.pop(), " / ".join(notes_ + other), plain


def note_of(col: schema.Column, text, words: dict | None = None) -> str:
    """The note a value of a word column carries after its word, as ``normalise`` read it
    ('Complete - awaiting HMICFRS closure' -> 'awaiting HMICFRS closure'); '' if none."""
    if col.kind != "vocab" or type(text) is not str:
        return ""
    words = words if words is not None else vocab_words(col)
    canon, note, _ = either_half(text, words, True)
    if canon is None:
        lead = split_lead(text, words)
        note = lead[1] if lead else ""
    return note


def _said_with_note(col, canon: str, note: str, raw_text: str, cell: str, where,
                    index) -> None:
    """The READ_WITH_NOTE warning, once for each distinct phrase of a column (its first
    cell; how many others say the same is added when the reading is done), and the date
    a closing note gives ('Closed by HMICFRS 12/03/2021'), kept for the derive step."""
    sheet, _, header, ctx, _, _ = where
    day = note_date(note)
    if day is not None:
        ctx.note_dates[(col.key, index)] = day
    key = (col.key, norm_key(raw_text))
    seen = ctx.phrases.get(key)
    if seen is not None:
        seen[1].append((sheet, cell))
        return
    ctx.phrases[key] = [len(ctx.problems), [(sheet, cell)], canon, note, day]
    ctx.problems.append(make_problem("READ_WITH_NOTE", sheet, cell, header, raw_text,
                                     normalised=canon, date="", also=""))


def note_date(note: str):
    """The date a note gives ('by HMICFRS 12/03/2021', 'on 3 March 2021'), or None."""
    m = _NOTE_DATE.search(note)
    if m is None:
        return None
    return parse_text_date(m.group(0))


_NOTE_DATE = re.compile(DATE_WORDS, re.I)


def finish_notes(ctx: Context, closing: dict) -> None:
    """Each READ_WITH_NOTE warning completed: how many other cells say the same, and
    the date its note gives where that date was used (``closing``: column key -> what
    the date was read as, for the words that finish the work)."""
    import dataclasses

    for (key, _), (at, cells, canon, note, day) in ctx.phrases.items():
        p = ctx.problems[at]
        also = ""
        if len(cells) > 1:
            shown = ", ".join(c if s == cells[0][0] else f"{s}!{c}" for s, c in cells[1:4]) \
                + (" ..." if len(cells) > 4 else "")
            also = f" (as in {len(cells) - 1} other cell{'s' if len(cells) > 2 else ''}: {shown})"
        date = ""
        if day is not None and canon in closing.get(key, ("", ()))[1]:
            date = f", and its date {display(day)} as {closing[key][0]}"
        fmt = {"normalised": canon, "date": date, "also": also}
        ctx.problems[at] = dataclasses.replace(
            p, message=schema.RULES["READ_WITH_NOTE"].message.format(
                value=p.value if len(p.value) <= 60 else p.value[:57] + "...", **fmt))


def vocab_words(col: schema.Column) -> dict:
    """norm_key(word) -> the allowed word, for a vocabulary column: its words and their
    synonyms (what normalise reads without a warning of a misspelling)."""
    return {**{norm_key(k): v for k, v in SYNONYMS[col.synonyms].items()},
            **{norm_key(v): v for v in col.vocab}}


def split_multi(text: str) -> list[str]:
    """The words of a cell holding several ('National / Thematic', 'National & Thematic')."""
    return [p.strip() for p in re.split(r"[,;+/&\n]|\band\b", text) if p.strip()]


def describe_notes(plan, ctx: Context) -> None:
    """Each column whose cells carry notes says so in ``describe`` (its plan's note):
    how many, and one of them as written."""
    found: dict = {}                  # (sheet, letter) -> [cells, an example]
    for (_, _), (at, cells, *_rest) in ctx.phrases.items():
        for sheet, cell in cells:
            got = found.setdefault((sheet, cell.rstrip("0123456789")),
                                   [0, ctx.problems[at].value])
            got[0] += 1
    if not found:
        return
    for sheet in plan.sheets:
        for c in sheet.columns:
            hit = found.get((sheet.name, c.letter))
            if hit and c.key:
                said = (f"{hit[0]} cell{'s carry' if hit[0] > 1 else ' carries'} a note after the "
                        f"word ('{hit[1][:50]}'): read as the word, the note kept beside it")
                c.note = f"{c.note}; {said}" if c.note else said
