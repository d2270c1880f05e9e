"""Columns kept one per period: 'Q1 status', 'Q2 status', 'Q3 status'; 'Update Sept 25',
'Update Oct 25'. A tracker reported to a committee each quarter or month often gains a
column each time rather than overwriting one. The header less its period says what the
column is; the period says which is the latest.

``period_of`` splits a header into (what it is, when); ``latest_first`` orders a group
of such columns, the latest first.
"""

from __future__ import annotations

import re

from gain_workbook.core.dates import MONTH_WORDS, month_or_quarter, parse_text_date

_YEAR = r"(?:(?:19|20)\d{2}(?: ?[/-] ?\d{2}(?:\d{2})?)?|\d{2} ?/ ?\d{2})"
# one period in a header (its spaces made single): a quarter (with its year or not), a
# month (with its year or not), a date, a year or financial year
_PERIOD = re.compile(
    r"(?<![a-z0-9])(?:"
    rf"{_YEAR} q[1-4]"                      # '2025/26 Q2': the year first
    rf"|q[1-4](?: ?[-'] ?| )?(?:{_YEAR})?"
    rf"|quarter ?[1-4](?: ?{_YEAR})?"
    rf"|{MONTH_WORDS}(?: ?[-'’] ?| )?(?:(?:19|20)\d{{2}}|\d{{2}})?"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
    rf"|{_YEAR}"
    r")(?![a-z0-9])", re.IGNORECASE)
_JOINS = str.maketrans({"-": " ", "'": " ", "’": " "})


def period_of(header: str) -> tuple[str, str] | None:
    """('Q2 status') -> ('status', 'Q2'): the header's words without its one period
    (folded: lower case, no punctuation) and the period as written; None when the
    header names no period, or more than one, or is nothing but a period."""
    if not isinstance(header, str):
        return None
    header = " ".join(header.split())
    found = list(_PERIOD.finditer(header))
    if len(found) != 1:
        return None
    m = found[0]
    rest = header[:m.start()] + " " + header[m.end():]
    words = " ".join(re.sub(r"[^\w]+", " ", rest.lower()).split())
    if not words or words.isdigit():
        return None
    return words, m.group(0).strip()


def is_period(text) -> bool:
    """Is the text a period and nothing else ('Q1 2025/26', 'October 2025'): a group
    header over a period's columns?"""
    if not isinstance(text, str) or len(text) > 40:
        return False
    return _PERIOD.fullmatch(" ".join(text.split()).strip(" :-")) is not None


def period_day(header):
    """The last day of the period a header names ('Q3 25/26 update': 31/12/2025,
    'Update Nov 25': 30/11/2025), or None when it names none, or none with its year."""
    found = period_of(header)
    when = _when(found[1]) if found else None
    return when[1] if when else None


def _when(period: str):
    """A period's place in time: ('date', day) when it says a day, a month or a quarter
    with its year; None otherwise (a bare 'Q3' may be this year's or last: 'Q3', 'Q4',
    'Q1' run into a new year)."""
    s = " ".join(period.translate(_JOINS).split())
    found = month_or_quarter(s) or month_or_quarter(period)
    if found:
        return "date", found[0]
    day = parse_text_date(period)
    return ("date", day) if day else None


def latest_first(columns: list[tuple[int, str]]) -> list[int]:
    """The columns (index, period) of one group, the latest period first: by the dates
    their periods say when every one says one, else by their places on the sheet, the
    rightmost being the latest, as a tracker grows."""
    whens = [_when(p) for _, p in columns]
    if None not in whens:
        order = sorted(zip(whens, columns), key=lambda wc: (wc[0][1], wc[1][0]))
        return [c[0] for _, c in reversed(order)]
    return [i for i, _ in sorted(columns, reverse=True)]
