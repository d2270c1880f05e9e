"""What a column holds, read from its cells when its header does not say: status words,
refs, dates, percentages (progress), people's names, long text.

``detect`` uses it to place a column whose header it cannot read ("Current Position"
full of "On track"), and to guess, for a register it cannot read, which of its columns
is the one missing. Each test looks at a sample of the column's cells (``detect._sample``)
and is strict: a column is given a meaning only when most of its cells have it.
"""

from __future__ import annotations

import datetime as dt
import re

from gain_workbook.core.dates import UNREADABLE, is_no_date, month_or_quarter, parse_date
from gain_workbook.model import schema
from gain_workbook.model.refs import parse_ref, ref_at_end
from gain_workbook.model.schema import BY_KEY, norm_key

# Most of a column's cells must have a meaning for the column to have it.
MOST = 0.7
_PERCENT = re.compile(r"^\s*(\d{1,3}(?:\.\d+)?)\s*%\s*$")
_STATUS_WORDS: dict | None = None


def status_words() -> dict:
    """norm_key(word) -> the action status it is, for every allowed word and synonym."""
    global _STATUS_WORDS
    if _STATUS_WORDS is None:
        col = BY_KEY["action_status"]
        _STATUS_WORDS = {**{norm_key(k): v for k, v in schema.SYNONYMS[col.synonyms].items()},
                         **{norm_key(v): v for v in col.vocab}}
    return _STATUS_WORDS


def _share(values: list, test) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def is_status_word(v) -> bool:
    """A cell that is a status word ('On track', 'Complete', 'in progress')."""
    return isinstance(v, str) and norm_key(v) in status_words()


def is_status_column(values: list) -> bool:
    """Status words in most cells, and more than one of them (a column that says 'Open'
    on every row is as likely a kind or a flag)."""
    words = {norm_key(v) for v in values if is_status_word(v)}
    return len(values) >= 2 and len(words) >= 2 and _share(values, is_status_word) >= MOST


def percent(v) -> float | None:
    """A progress figure as a fraction: 0.6 (a cell formatted as a percentage), '60%'."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v) if 0 <= v <= 1 else None
    if isinstance(v, str) and (m := _PERCENT.match(v)):
        x = float(m.group(1)) / 100
        return x if 0 <= x <= 1 else None
    return None


def is_percent_column(values: list) -> bool:
    """Percentages in most cells: '60%', or fractions of one with some between 0 and 1
    (a column of only 0 and 1 is a flag, not progress)."""
    if len(values) < 2 or _share(values, lambda v: percent(v) is not None) < MOST:
        return False
    return any(isinstance(v, str) for v in values) or \
        any(0 < (percent(v) or 0) < 1 for v in values)


def status_of_percent(v) -> str | None:
    """The action status a progress figure says: 100% Complete, 0% Not started, else
    In progress; None for a cell that is not a figure."""
    x = percent(v)
    if x is None:
        return None
    return "Complete" if x >= 1 else "Not started" if x <= 0 else "In progress"


def is_date(v) -> bool:
    if isinstance(v, (dt.date, dt.datetime)):
        return True
    if isinstance(v, str):
        return parse_date(v) not in (UNREADABLE, None) or month_or_quarter(v) is not None
    return False


def is_date_column(values: list) -> bool:
    """Dates in most cells (date cells or dates as text; 'TBC' and the like are allowed)."""
    dates = [v for v in values if not (isinstance(v, str) and is_no_date(v))]
    return len(dates) >= 2 and _share(dates, is_date) >= 0.8


_PILLAR_REF = re.compile(r"^\s*[A-Za-z]{1,2}\d{1,2}\s*$")


def _ref(v):
    """A cell's ref: 'R1', 'AFI 2', 'CoC1-R2', '3', or a fire pillar's 'E1' or 'EF12' (a
    code such as 'CC101' is not one)."""
    r = parse_ref(v)
    if r is not None and r.kind is None and r.number is None and not _PILLAR_REF.match(str(v)):
        return None
    return r


def is_ref_column(values: list) -> bool:
    """Mostly refs ('R1', 'AFI 2', 'E1', '3'), some with letters: an item's ref column."""
    if len(values) < 2:
        return False
    refs = [_ref(v) for v in values]
    lettered = sum(1 for r in refs if r is not None and (r.kind or r.number is None))
    return lettered > 0 and sum(1 for r in refs if r is not None) >= 0.6 * len(values)


def kinds_named(values: list) -> int:
    """How many cells are refs that say their kind ('AFI 2', 'CoC1-R1', 'PEEL23 AFI 1';
    not 'E1' or '3')."""
    return sum(1 for v in values if (r := parse_ref(v) or ref_at_end(v, parts=False)) is not None
               and r.kind)


def looks_like_name(v) -> bool:
    """A person or a post as owners are written: 'DCI Reed', 'Supt J Lowe', 'Head of
    Learning', 'Jane Smith' (short, no digits, not a sentence, not a status word)."""
    if not isinstance(v, str):
        return False
    s = v.strip()
    words = s.replace(".", " ").split()
    if not 1 <= len(words) <= 5 or len(s) > 40 or any(ch.isdigit() for ch in s) \
            or s.endswith((".", "?", "!")) or is_status_word(s):
        return False
    if norm_key(words[0]) in schema.NAME_TITLES:
        return True
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words if len(w) > 2)


def is_name_column(values: list) -> bool:
    """People's names or posts in most cells, the same few again and again."""
    return len(values) >= 2 and _share(values, looks_like_name) >= MOST and \
        len({str(v).strip() for v in values}) <= max(3, 0.8 * len(values))


def text_length(values: list) -> float:
    """The mean length of the cells that are text (0 for none)."""
    texts = [v for v in values if isinstance(v, str)]
    return sum(len(v) for v in texts) / len(texts) if texts else 0.0


def is_long_text_column(values: list) -> bool:
    """Words in most cells, two or more each, that are not people's names or status words
    (an item's or an action's words: 'Review vetting', 'The force should ...')."""
    return len(values) >= 1 and _share(values, lambda v: isinstance(v, str) and
                                       len(v.split()) >= 2) >= MOST \
        and not is_name_column(values) and _share(values, is_status_word) < 0.5 \
        and kinds_named(values) * 2 < len(values)      # ('AFI 1', 'Rec 2' are refs)


# Words in a date column's header that name some other date than a report's publication
# ('Last reviewed', 'Date updated', 'Target date'): such a column is never guessed to be it.
_OTHER_DATES = frozenset({"review", "reviewed", "update", "updated", "due", "target",
                          "completed", "complete", "closed", "closure", "agreed", "sent",
                          "received", "meeting", "board", "revised", "deadline", "by",
                          "modified", "changed", "last"})


def names_another_date(header: str) -> bool:
    """Does a header name a date other than the report's publication ('Last reviewed')?"""
    return bool(set(norm_key(header).split()) & _OTHER_DATES)


def says_should(values: list) -> bool:
    """Most cells say what someone 'should' do: HMICFRS's words, an item's text."""
    return _share(values, lambda v: isinstance(v, str) and " should " in f" {v.lower()} ") \
        >= 0.5


# What each test finds, in the order a column is tried: the first that holds decides.
# (key it gives, test, what describe says the values are)
KINDS = (
    ("action_status", is_status_column, "status words"),
    ("action_status", is_percent_column, "percentages (progress)"),
    ("number", is_ref_column, "refs"),
    ("due", is_date_column, "dates"),
    ("owner", is_name_column, "names"),
)


def totals_label(row):
    """The first text of a totals row below a table ('Total', 'Totals: 7'), or None."""
    first = row[0] if row else None
    if first == "" or first is None:
        first = next((v for v in row if v not in ("", None)), None)
    if type(first) is str and first[:1] in "TtCcSsGgNn" and \
            _TOTAL_WORDS.match(norm_key(first)) is not None:
        return first
    return None


# 'Total', 'Totals: 7', 'Subtotal', 'Grand total', 'Count of recommendations', 'Number of
# actions', 'Sum'
_TOTAL_WORDS = re.compile(r"(?:totals?|sub ?totals?|grand totals?|sum|count of|number of)"
                          r"(?: |$)")
