"""Dates as registers hold them: date cells, Excel serials, UK text dates, deadline phrases.

Every parser returns a ``datetime.date`` or None (blank); a value that is there but
cannot be read comes back as :data:`UNREADABLE` so the caller can report it with the
original text. Nothing here guesses US order: 01/02/2024 is 1 February.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

UNREADABLE = object()

EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)   # dates a register can hold
_EXCEL_1900 = dt.date(1899, 12, 30)   # serial 1 = 1900-01-01, with Excel's 1900 leap bug
_EXCEL_1904 = dt.date(1904, 1, 1)
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
# Welsh months, as Welsh forces' bilingual registers write them ('15 Ionawr 2025')
_MONTHS.update({"ionawr": 1, "chwefror": 2, "mawrth": 3, "ebrill": 4, "mai": 5,
                "mehefin": 6, "gorffennaf": 7, "awst": 8, "medi": 9, "hydref": 10,
                "tachwedd": 11, "rhagfyr": 12})
# Numbers as reports write them ('within six months', 'made nine recommendations').
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                "seventeen", "eighteen", "nineteen", "twenty")
_OTHER_NUMBERS = {"a": 1, "an": 1, "twenty four": 24, "thirty": 30, "thirty six": 36}
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_WORDY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_US_WORDY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^(?:end of\s+)?([a-z]+)\.?\s+(\d{4})$")
_DAY_MON_YEAR = re.compile(r"^(\d{1,2})[\-/.]([a-z]{3,9})\.?[\-/.](\d{4})$")
# '31-Mar-25', '31-Mar-2025', '31 Mar 26', '31.Mar.25' (Excel's d-mmm-yy typed as text)
_DAY_MON_YY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]([a-z]{3,9})\.?[\s\-/.,]+(\d{2})$")
_PREFIX = re.compile(
    r"^(?:by(?: the end of)?|not later than|no later than|on or before|before|deadline:?|"
    r"due(?: by)?|until)\s+", re.I)
# the quantity: digits, or words joined by one hyphen or space ('twenty-four'); never a
# run of spaces the \s+ around it could also take (which backtracked for minutes)
_WITHIN = re.compile(r"^within\s+((?:[a-z]+[- ])*?[a-z]+|\d+)\s+(day|week|month|year)s?\b",
                     re.I)
_IMMEDIATE = re.compile(r"\b(with immediate effect|immediately|immediate)\b", re.I)
# A date as a report or a note writes it in a sentence ('31 October 2023', 'March 2021',
# '12/03/2021'), and a deadline in an item's words ('By 31 October 2023, chief constables
# should ...', 'within six months', 'immediately'): what add-report reads in a report,
# and the register in an item's text when it has no deadline column.
MONTH_WORDS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
               r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
DATE_WORDS = (rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH_WORDS}\s+\d{{4}}|{MONTH_WORDS}\s+"
              rf"\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})")
DEADLINE_PHRASE = re.compile(
    rf"\b(?:(?:by|before|not later than|no later than|on or before)\s+(?:the\s+end\s+of\s+)?"
    rf"{DATE_WORDS}|within\s+(?:the\s+next\s+)?(?:\d+|[a-z]+(?:[- ][a-z]+)?)\s+"
    r"(?:days?|weeks?|months?|years?)(?:\s+of\s+(?:the\s+)?(?:publication|date)"
    r"(?:\s+of\s+this\s+report)?)?|with\s+immediate\s+effect|immediately)\b", re.I)
MODAL = re.compile(r"\b(?:should|must|needs?\s+to)\b", re.I)
# a whole date in words ('31 March 2026', '31/03/2026', '2026-03-31'), as one token
_WHOLE_DATE = re.compile(rf"(?<![\w/.\-])(?:\d{{1,2}}(?:st|nd|rd|th)?[ \-./]{MONTH_WORDS}\.?"
                         r"(?: |[\-./]|, )(?:\d{4}|\d{2})|"
                         r"\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})(?![\w/\-])", re.I)


def word_number(text) -> int | None:
    """'6', 'six', 'a', 'twenty-four' as a number; None when it is not one (or has more
    digits than any count or deadline a report gives: int() refuses past 4,300)."""
    word = re.sub(r"[\s-]+", " ", str(text).strip().lower())
    if word.isdecimal():
        return int(word) if len(word) <= 9 else None
    if word in NUMBER_WORDS:
        return NUMBER_WORDS.index(word)
    return _OTHER_NUMBERS.get(word)


def from_serial(serial: float, date1904: bool = False) -> dt.date | None:
    """An Excel serial day number as a date (None when out of Excel's range)."""
    if not 0 < serial < 2958466:
        return None
    base = _EXCEL_1904 if date1904 else _EXCEL_1900
    return base + dt.timedelta(days=int(serial))


def parse_text_date(text: str) -> dt.date | None:
    """A UK text date ('31/12/2024', '31 December 2024', '2024-12-31') or None."""
    s = re.sub(r"\s+", " ", text.strip().lower())
    try:
        if m := _NUMERIC.match(s):
            d, mo, y = (int(g) for g in m.groups())
            if y < 100:
                y += 2000
            return dt.date(y, mo, d)
        if m := _ISO.match(s):
            y, mo, d = (int(g) for g in m.groups())
            return dt.date(y, mo, d)
        if (m := _WORDY.match(s)) and m.group(2) in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
        if (m := _DAY_MON_YY.match(s) or _DAY_MON_YEAR.match(s)) and m.group(2) in _MONTHS:
            y = int(m.group(3))
            return dt.date(y + 2000 if y < 100 else y, _MONTHS[m.group(2)], int(m.group(1)))
        if (m := _US_WORDY.match(s)) and m.group(1) in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)))
        if (m := _MONTH_YEAR.match(s)) and m.group(1) in _MONTHS:
            y, mo = int(m.group(2)), _MONTHS[m.group(1)]
            return dt.date(y, mo, calendar.monthrange(y, mo)[1])   # "March 2025" = its last day
    except ValueError:            # 31/02/2024 and friends
        return None
    return None


def parse_date(value, date1904: bool = False):
    """A cell value as a date: None when blank, UNREADABLE when it is not a date.

    A date outside EARLIEST..LATEST (a mistyped year: 31/12/9999, 01/01/1024) is
    UNREADABLE too: no register date is that far away, and pandas cannot hold it.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, bool):
        return UNREADABLE
    elif isinstance(value, (int, float)):
        if value != value:  # NaN
            return None
        day = from_serial(value, date1904)
    else:
        text = str(value).strip()
        if not text:
            return None
        if re.fullmatch(r"\d{5}(\.0+)?", text):           # a serial that arrived as text
            day = from_serial(float(text), date1904)
        else:
            day = parse_text_date(text)
    return day if day is not None and EARLIEST <= day <= LATEST else UNREADABLE


# Words offices type in a date column for "no date yet".
NO_DATE_WORDS = frozenset({
    "tbc", "tba", "tbd", "to be confirmed", "to be agreed", "to be decided", "ongoing",
    "on going", "on-going", "n/a", "na", "n.a.", "-", "–", "—", "none", "not applicable",
    "various", "unknown", "not known", "no date", "not set", "?", "pending",
    # Welsh: to be confirmed, ongoing
    "i'w gadarnhau", "i’w gadarnhau", "i'w gytuno", "parhaus"})
_MON_YY = re.compile(r"^(?:end of\s+)?([a-z]{3,9})\.?[\-\s'/]+'?(\d{2}|\d{4})$")
# ('Q4 23/24': a financial year may be written with two digits each side)
_QUARTER = re.compile(r"^q([1-4])\s*[\-/ ]?\s*(?:fy\s*)?(\d{4}|\d{2}(?=\s*[/\-]\s*\d{2}$))"
                      r"(?:\s*[/\-]\s*(\d{2}|\d{4}))?$")
_QUARTER_AFTER = re.compile(r"^(?:fy\s*)?(\d{4})\s*[/\-]\s*(\d{2}|\d{4})\s*q([1-4])$")
# 'By end of', 'End of the', 'by the end of' before a month or quarter: the same last day
_END_OF = re.compile(r"^(?:by )?(?:the )?end(?: of)?(?: the)? (?=\S)")
# a financial year ('FY 2025/26', '2025/26', '2025-2026') or its half ('H1 2026/27')
_FINANCIAL_YEAR = re.compile(r"^(?:h([12]) ?)?(?:fy ?)?(\d{4}|(?<=fy)\d{2}|(?<=fy )\d{2}) ?[/\-] ?"
                             r"(\d{2}|\d{4})$")
# a note in brackets after a month or quarter: 'Dec 2026 (TBC)', 'Q3 2025/26 (revised)'
_NOTE_AFTER = re.compile(r" ?\([^()]{1,40}\)$")
# the week commencing a day ('w/c 3 March 2026', 'W/C 03/03/2026', 'week commencing ...')
_WEEK_OF = re.compile(r"^(?:w/c|wc|w\.c\.|week commencing|week beginning) (?=\S)")


def is_no_date(text) -> bool:
    """True for 'TBC', 'ongoing', 'N/A', '-' and the like: a date column with no date yet;
    and for both halves of a bilingual one ('TBC / I'w gadarnhau')."""
    if not isinstance(text, str):
        return False
    s = re.sub(r"\s+", " ", text.strip().lower())
    if s in NO_DATE_WORDS:
        return True
    halves = [h.strip() for h in s.split(" / ")]
    return len(halves) == 2 and all(h in NO_DATE_WORDS for h in halves)


def month_or_quarter(text, quarters: str = "financial"):
    """('Dec-25' | 'December 2025' | 'Q1 2026') -> (last day, how it was read), or None.

    A month means its last day. A quarter means the last day of its last month:
    financial quarters (``quarters='financial'``, as UK public bodies count: Q1 2026 is
    April to June 2026, in 2026/27) or calendar ones (Q1 = January to March).
    """
    if not isinstance(text, str):
        return None
    s = re.sub(r"\s+", " ", text.strip().lower())
    s = _NOTE_AFTER.sub("", _END_OF.sub("", s, count=1), count=1)
    if m := _WEEK_OF.match(s):
        first = parse_text_date(s[m.end():])
        if first is None or first > LATEST - dt.timedelta(days=6):
            return None
        return first + dt.timedelta(days=6), f"the last day of the week commencing {long_date(first)}"
    if m := _FINANCIAL_YEAR.match(s):
        return _financial_year(m)
    if (m := _MON_YY.match(s)) and m.group(1) in _MONTHS:
        y = int(m.group(2))
        y = y + 2000 if y < 100 else y
        mo = _MONTHS[m.group(1)]
        if not 1900 <= y <= 2199:
            return None
        day = dt.date(y, mo, calendar.monthrange(y, mo)[1])
        return day, "the last day of the month"
    q = year = None
    if m := _QUARTER.match(s):
        q, year, second = int(m.group(1)), int(m.group(2)), m.group(3)
        year = year + 2000 if year < 100 else year
        fy = second is not None
    elif m := _QUARTER_AFTER.match(s):
        year, q, fy = int(m.group(1)), int(m.group(3)), True
    if q is None or not 1900 <= year <= 2198:
        return None
    if fy or quarters == "financial":
        months = ("April to June", "July to September", "October to December",
                  "January to March")[q - 1]
        end_y, end_m = (year, 3 + 3 * q) if q < 4 else (year + 1, 3)
        why = (f"the end of financial quarter {q} of {year}/{str(year + 1)[2:]}, {months}; "
               "the Quarters setting can say calendar")
    else:
        end_y, end_m = year, 3 * q
        why = (f"the end of calendar quarter {q} of {year}; the Quarters setting can say "
               "financial")
    return dt.date(end_y, end_m, calendar.monthrange(end_y, end_m)[1]), why


def _financial_year(m):
    """The last day of a financial year ('2025/26': 31 March 2026) or of its half ('H1
    2026/27': 30 September 2026), or None when the two years do not follow on."""
    half, first, second = m.group(1), int(m.group(2)), int(m.group(3))
    first = first + 2000 if first < 100 else first           # ('FY 26/27')
    if not 1900 <= first <= 2198 or second not in (first + 1, (first + 1) % 100):
        return None
    name = f"{first}/{str(first + 1)[2:]}"
    if half == "1":
        return dt.date(first, 9, 30), f"the end of the first half of financial year {name}"
    what = "the second half of financial year" if half else "financial year"
    return dt.date(first + 1, 3, 31), f"the end of {what} {name}"


def date_among_words(text) -> tuple[dt.date, str] | None:
    """(the date, how it was read) of words that give one whole date and no other
    ('31/03/2026 (revised)', 'Extension agreed to 30/09/2026'), or None."""
    if not isinstance(text, str) or len(text) > 200:
        return None
    found = _WHOLE_DATE.findall(text)
    if len(found) != 1:
        return None
    day = parse_text_date(found[0])
    if day is None or not EARLIEST <= day <= LATEST:
        return None
    return day, "the one date its words give"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Aug + 6 = 28/29 Feb)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_deadline(value, published: dt.date | None, date1904: bool = False):
    """A deadline as written ('By 31 December 2024', 'Within six months') as a date.

    Relative phrases count from the publication date; None when there is no deadline
    or no publication date to count from, UNREADABLE when the words make no date, or a
    date outside EARLIEST..LATEST ('within 99999999999 months'), which no register holds.
    """
    if value is None or value == "":
        return None
    direct = parse_date(value, date1904)
    if direct is not UNREADABLE:
        return direct
    text = re.sub(r"\s+", " ", str(value).strip())
    if _IMMEDIATE.search(text):
        return published
    if m := _WITHIN.match(text):
        qty = m.group(1).strip().lower()
        n = word_number(qty)
        if n is None:
            return UNREADABLE
        if published is None:
            return None
        unit = m.group(2).lower()
        try:
            if unit == "day":
                day = published + dt.timedelta(days=n)
            elif unit == "week":
                day = published + dt.timedelta(weeks=n)
            else:
                day = add_months(published, n * (12 if unit == "year" else 1))
        except (OverflowError, ValueError):       # past the year 9999
            return UNREADABLE
        return day if EARLIEST <= day <= LATEST else UNREADABLE
    rest = _PREFIX.sub("", text)
    # "By 31 December 2024, all chief constables should ..." -> the date before the comma
    rest = rest.split(",")[0] if not _US_WORDY.match(rest.lower()) else rest
    day = parse_text_date(rest)
    return day if day is not None and EARLIEST <= day <= LATEST else UNREADABLE


def first_clause(text: str) -> str:
    """The clause of an item's words that says who and when: up to a lead-in's colon
    (within its first 300 characters), or the first sentence."""
    colon = text.find(":")
    if 0 <= colon < 300:
        return text[:colon]
    end = re.search(r"[.;](?:\s|$)", text)
    return text[:end.start()] if end else text


def deadline_in(head: str):
    """The deadline an item's first clause gives ('By 31 October 2023, chief constables
    should ...' -> a match of 'By 31 October 2023'), or None: before its 'should' (and
    just after it: 'should, within six months, ...'), else anywhere in the clause; after
    its 'should', one that ends the clause ('... is risk assessed by 31 March 2025.') or
    follows 'in any event' ('as soon as possible and in any event by 30 June 2025'), not
    a date the words speak of ('data from before 31 March 2020 ...')."""
    modal = MODAL.search(head)
    if modal is None:
        return DEADLINE_PHRASE.search(head)
    near = DEADLINE_PHRASE.search(head[:modal.end() + 30])
    if near is not None:
        return near
    for m in DEADLINE_PHRASE.finditer(head, modal.end()):
        if not head[m.end():].strip(" \t\r\n.;:,)]") or \
                head[max(0, m.start() - 16):m.start()].rstrip().lower().endswith("any event"):
            return m
    return None



def deadline_phrase(text: str) -> str:
    """The deadline in an item's words as written, first letter capitalised ('By 31
    October 2023'); '' when they give none."""
    m = deadline_in(first_clause(str(text).strip()))
    if m is None:
        return ""
    found = m.group(0)
    return re.sub(r"\s+", " ", found[0].upper() + found[1:])


_ORDINAL_1970 = dt.date(1970, 1, 1).toordinal()
_FIRST_DAY, _LAST_DAY = (d.toordinal() - _ORDINAL_1970 for d in (EARLIEST, LATEST))
_NONE = -(1 << 40)


def as_datetime64(series):
    """A column of canonical values as datetime64; anything that is not a date becomes NaT.

    Built from day ordinals in numpy: no text parsing, so a value the reader kept as
    written (unreadable) can never be read here in some other way. Each distinct value
    is converted once (a column holds few distinct dates), then spread by its codes.
    """
    import numpy as np
    import pandas as pd

    values = series.to_numpy(dtype=object)
    try:
        codes, uniques = pd.factorize(values)     # blanks (None, NaN, NaT) get code -1
    except TypeError:                             # an unhashable value: one by one
        codes, uniques = np.arange(len(values)), values
    days = np.append(_day_numbers(uniques), _NONE)[codes]   # code -1 takes the last: _NONE
    out = days.astype("datetime64[D]").astype("datetime64[ns]")
    out[(days < _FIRST_DAY) | (days > _LAST_DAY)] = np.datetime64("NaT")   # and _NONE
    return pd.Series(out, index=series.index, name=series.name)


def _day_numbers(values):
    """Days since 1970 of each value that is a date (or a datetime), _NONE for the rest."""
    import numpy as np

    return np.fromiter((v.toordinal() - _ORDINAL_1970 if isinstance(v, dt.date) else _NONE
                        for v in values), dtype=np.int64, count=len(values))


def given(day) -> bool:
    """A date is there: not None, NaN or NaT (a missing date in a frame is one of those)."""
    return day is not None and day == day


def long_date(day) -> str:
    """'3 December 2026' (no leading zero), as the cover and the response write dates;
    '' when there is none (None, NaN or NaT)."""
    return f"{day.day} {day:%B %Y}" if given(day) else ""


def uk_date(day) -> str:
    """'03/12/2026', as tables and sentences write dates; '' when there is none."""
    return day.strftime("%d/%m/%Y") if given(day) else ""


# s55 Police Act 1996: 56 days *beginning with* the publication day, so day 56 is +55.
S55_DAYS_AFTER_PUBLICATION = 55


def s55_last_day(published: dt.date) -> dt.date:
    """Last day to publish the PCC's comments: 56 days beginning with publication day."""
    return published + dt.timedelta(days=S55_DAYS_AFTER_PUBLICATION)


def closed_day(day) -> str | None:
    """Why ``day`` is not a working day in England and Wales ('a Sunday', 'Christmas Day'),
    or None when it is one. Bank holidays come from the ``holidays`` package (kept up to
    date with the proclamations, one-off holidays included), not a table of our own."""
    if not given(day):
        return None
    day = dt.date(day.year, day.month, day.day)
    name = _bank_holidays(day.year).get(day)
    if name:
        return str(name).split(";")[0].strip()
    if day.weekday() >= 5:
        return f"a {day:%A}"
    return None


def working_day_before(day) -> dt.date:
    """The last working day before ``day`` (England and Wales)."""
    day = dt.date(day.year, day.month, day.day) - dt.timedelta(days=1)
    while closed_day(day):
        day -= dt.timedelta(days=1)
    return day


@functools.lru_cache(maxsize=None)
def _bank_holidays(year: int):
    import holidays

    return holidays.country_holidays("GB", subdiv="ENG", years=year)
