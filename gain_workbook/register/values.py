"""Values as offices type them, made canonical: dates ('31/12/2024', 'TBC', 'Dec-25',
'Q1 2026'), status words and their typos, yes or no in words, several types in a cell.

What cannot be read is kept as written, for the validator to report with its cell;
every change is a warning naming the cell and the value used.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from gain_workbook.model import schema
from gain_workbook.core.dates import (EARLIEST, LATEST, UNREADABLE, is_no_date, month_or_quarter,
                                 parse_date)
from gain_workbook.model.problems import display, make_problem
from gain_workbook.model.schema import SYNONYMS, norm_key
from gain_workbook.model.settings import Settings


@dataclass
class Context:
    """What normalising a value needs besides the value."""

    date1904: bool
    settings: Settings
    problems: list


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
        return [(v.strip() or None) if type(v) is str else cell_text(v) for v in values]
    where = (sheet, letter, header, ctx, raw, index_of)
    if kind == "date":
        return _dates(col, values, rows, where)
    return _words(col, values, rows, where)


def _dates(col: schema.Column, values: list, rows: list[int], where) -> list:
    """A date column: dates, None for 'TBC' and the like (said), a month or quarter read
    as its last day (said), and what is not a date kept as text for BAD_DATE."""
    sheet, letter, header, ctx, raw, index_of = where
    problems = ctx.problems
    out = []
    for v, r in zip(values, rows):
        if type(v) is dt.datetime and EARLIEST <= (d := v.date()) <= LATEST:
            out.append(d)              # the usual case: a date cell
            continue
        if v == "" or v is None:
            out.append(None)           # and the next most usual: an empty one
            continue
        if type(v) is str and v.strip():
            if is_no_date(v):
                problems.append(make_problem("DATE_NOT_GIVEN", sheet, f"{letter}{r + 1}",
                                             header, v.strip()))
                raw[(col.key, index_of(r))] = v.strip()
                out.append(None)
                continue
            loose = month_or_quarter(v, ctx.settings.quarters)
            if loose is not None:
                problems.append(make_problem("DATE_READ_AS", sheet, f"{letter}{r + 1}",
                                             header, v.strip(), date=display(loose[0]),
                                             why=loose[1]))
                raw[(col.key, index_of(r))] = v.strip()
                out.append(loose[0])
                continue
        d = parse_date(v, ctx.date1904)
        # kept as written (as text, so that a date cell out of range fails BAD_DATE)
        out.append(cell_text(v) if d is UNREADABLE else d)
    return out


def _words(col: schema.Column, values: list, rows: list[int], where) -> list:
    """A column of words from a list (status, kind, yes/no, types): each read as its
    word where it is one, a synonym, a near miss or (for types) several; said when
    it was not written as the word; kept as written when it is none."""
    sheet, letter, header, ctx, _, _ = where
    kind = col.kind
    synonyms = {norm_key(k): v for k, v in SYNONYMS[col.synonyms].items()}
    vocab_keys = {norm_key(v): v for v in col.vocab}
    exact = frozenset(col.vocab)
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
        raw_text = cell_text(v)
        folded = norm_key(raw_text)
        code = "NORMALISED"
        canon = vocab_keys.get(folded) or synonyms.get(folded)
        if canon is None and kind == "multi":
            parts = split_multi(raw_text)
            mapped = [vocab_keys.get(norm_key(p)) or synonyms.get(norm_key(p)) for p in parts]
            canon = ", ".join(dict.fromkeys(mapped)) if parts and all(mapped) else None
            if canon is not None and [p.strip() for p in parts] == mapped:
                raw_text = canon       # only the separators differ: nothing to report
        if canon is None and kind == "yesno":
            canon = next((word for lead, word, _ in schema.YES_NO_LEADS
                          if folded == lead or folded.startswith(lead + " ")), None)
        if canon is None and kind == "vocab":
            canon = _near(folded, vocab_words(col))
            code = "WORD_READ_AS"
        if canon is None:
            out.append(raw_text)       # left for NOT_IN_LIST
            continue
        if col.key == "action_status" and folded in schema.OVERDUE_WORDS:
            code = "OVERDUE_WORD"
        if canon != raw_text:
            ctx.problems.append(make_problem(code, sheet, f"{letter}{r + 1}", header, raw_text,
                                             normalised=canon))
        out.append(canon)
    return out


def vocab_words(col: schema.Column) -> dict:
    """norm_key(word) -> the allowed word, for a vocabulary column: its words and their
    synonyms (what normalise reads without a warning of a misspelling)."""
    return {**{norm_key(k): v for k, v in SYNONYMS[col.synonyms].items()},
            **{norm_key(v): v for v in col.vocab}}


def split_multi(text: str) -> list[str]:
    """The words of a cell holding several ('National / Thematic', 'National & Thematic')."""
    return [p.strip() for p in re.split(r"[,;+/&\n]|\band\b", text) if p.strip()]
