"""Item references as offices write them: 'R1', 'Rec 3', 'AFI7', 'CoC 1', 'CoC1-R2', 'E1'.

A reference carries the item's kind and number when the register has no Kind or
Number column of its own ('CfC 1': fire services write cause *for* concern). 'CoC1-R2' is recommendation 2 made under cause of
concern 1. Fire services' pillar references ('E1', 'P1', 'EF1') are kept as written:
HMICFRS does not number those, so they carry no kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Longest first: 'ACoC' before 'CoC', 'Recommendation' before 'Rec' before 'R'.
KIND_WORDS = (
    ("accelerated cause of concern", "Accelerated cause of concern"),
    ("accelerated coc", "Accelerated cause of concern"),
    ("acoc", "Accelerated cause of concern"),
    ("cause of concern", "Cause of concern"),
    ("cause for concern", "Cause of concern"),
    ("coc", "Cause of concern"),
    ("cfc", "Cause of concern"),
    ("cc", "Cause of concern"),
    ("area for improvement", "Area for improvement"),
    ("afi", "Area for improvement"),
    ("recommendation", "Recommendation"),
    ("rec", "Recommendation"),
    ("r", "Recommendation"),
)
# How the docs write each kind word.
KIND_SPELLING = {"acoc": "ACoC", "accelerated coc": "Accelerated CoC", "coc": "CoC",
                 "cfc": "CfC", "cc": "CC", "afi": "AFI", "rec": "Rec", "r": "R"}
_KIND = "|".join(re.escape(w) for w, _ in KIND_WORDS)
# (a dash may stand between the kind and its number, 'AFI-5'; a number may have a part,
# 'AFI2.4'), or a letter, in brackets or not ('CoC 1a', 'CoC 1(a)')
_ONE = rf"(?P<word>{_KIND})\.?[\s\-–_]*(?:no\.?\s*)?(?P<num>\d+(?:\.\d+)?(?:[a-z]|\s?\((?:[a-z]|[ivx]{{1,4}})\))?)"
_REF = re.compile(rf"^{_ONE}$", re.I)
# the cause of concern it was made under, in brackets after: 'Recommendation 1 (CoC 1)'
_UNDER_AFTER = re.compile(rf"^{_ONE}\s*\(\s*(?P<pword>{_KIND})\.?[\s\-–]*(?P<pnum>\d+)\s*\)$",
                          re.I)
# the separator: one of -–./, or a space within the spaces (one way to match a run of them)
_UNDER = re.compile(rf"^(?P<pword>{_KIND})\.?\s*(?P<pnum>\d+)(?:\s*+[\-–./]|[^\S ]*+ )\s*+"
                    rf"{_ONE}$", re.I)
_PILLAR = re.compile(r"^[a-z]{1,3}\d+$", re.I)
_WORD_KIND = {w: k for w, k in KIND_WORDS}


@dataclass(frozen=True)
class Ref:
    """What a reference says: its kind and number, and the item it sits under."""

    kind: str | None
    number: str | None          # the item's own number within its kind ('2' in 'CoC1-R2')
    parent: tuple[str, str] | None = None   # (kind, number) of the cause of concern above it


def parse_ref(text) -> Ref | None:
    """The kind and number in a reference, or None when it is not one we can read.

    A bare number ('3') is a number with no kind; a pillar reference ('E1') is kept
    as written, with neither.
    """
    if text is None:
        return None
    s = re.sub(r"\s+", " ", str(text).strip())
    if not s:
        return None
    if s.isdecimal():
        return Ref(None, s)
    if m := _UNDER.match(s):
        parent = (_WORD_KIND[m.group("pword").lower()], m.group("pnum"))
        return Ref(_WORD_KIND[m.group("word").lower()], m.group("num"), parent)
    if m := _REF.match(s):
        return Ref(_WORD_KIND[m.group("word").lower()], m.group("num"))
    if m := _UNDER_AFTER.match(s):
        parent = (_WORD_KIND[m.group("pword").lower()], m.group("pnum"))
        return Ref(_WORD_KIND[m.group("word").lower()], m.group("num"), parent)
    if _PILLAR.match(s):
        return Ref(None, None)
    # a report's code before it, with a slash: '2023/04/R3', 'PEEL23/AFI2'
    head, sep, tail = s.rpartition("/")
    if sep and len(s) <= 40 and _CODE.match(head) and (m := _REF.match(tail.strip())):
        return Ref(_WORD_KIND[m.group("word").lower()], m.group("num"))
    return None


_CODE = re.compile(r"^[A-Za-z0-9][\w.\-/]*$")


_KIND_ONLY = re.compile(rf"^(?P<word>{_KIND})\.?$", re.I)


def kind_word(text) -> str | None:
    """The kind a ref that is a kind word alone names ('AFI', 'Recommendation': a report's
    only area for improvement, which HMICFRS does not number), or None. (Not a ref of
    parse_ref's: a column of such words is a Kind column, not a column of refs.)"""
    if text is None:
        return None
    m = _KIND_ONLY.match(str(text).strip())
    return _WORD_KIND[m.group("word").lower()] if m else None


def sort_key(text) -> str:
    """A reference as a key that orders as a person would: '2' before '10', 'AFI 2'
    before 'AFI 10', fire pillars E1, E2, EF1, P1 (numbers zero-padded); none last."""
    if text is None or text != text or str(text).strip() == "":
        return "\uffff"
    return re.sub(r"\d+", lambda m: m.group().zfill(9), str(text).strip().lower())


_SHORT_KIND = {"Recommendation": "Rec", "Area for improvement": "AFI", "Cause of concern": "CoC",
               "Accelerated cause of concern": "Accelerated CoC"}


def item_label(kind, number) -> str:
    """'Rec 2', 'AFI 1', 'CoC 1' ... (missing parts, None or NaN, are left out); a ref
    the office wrote with its letters ('AFI 7', 'CoC1-R2', 'E1') is shown as written."""
    kind = kind if kind == kind else None
    number = number if number == number else None
    if number and not str(number).isdecimal():
        return str(number)
    short = _SHORT_KIND.get(kind, kind or "Item")
    return f"{short} {number}" if number else short


def ref_at_end(text, parts: bool = True):
    """The ref an item's id ends with: 'PEEL23 AFI 1' is AFI 1, 'PEEL23 CoC1-R1' and
    'PEEL23/CoC1-R1' CoC 1's recommendation 1, 'PEEL-AFI3' AFI 3, 'PCC 2024 12' plain
    12 (its last words, or parts after a '/' or '-', that read as a ref with a kind, the
    fewest first; else its last word's). ``parts`` False: its last words only (an id
    such as 'INS-2024-001-R1' is then no ref: it names its report too)."""
    if not text:
        return None
    text = str(text)
    for sep in (None, "/", "-") if parts else (None,):
        parts = text.split(sep)
        for k in range(1, min(len(parts), 3) + 1):
            ref = parse_ref((" " if sep is None else sep).join(parts[-k:]))
            if ref is not None and ref.kind:
                return ref
    words = text.split()
    return parse_ref(words[-1]) if words else None


# what a ref may differ by and still be the same ref typed again: capitals, spaces and
# the punctuation between its parts ('AFI 1', 'afi 1', 'AFI-1'; 'PEEL-AFI3', 'peel afi3')
_REF_NOISE = str.maketrans("", "", " -_./")


_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")


def ref_key(text) -> str:
    """A ref folded for comparing two typings of it ('AFI 1', 'afi-1' and 'AFI_01' are
    'afi1')."""
    if text is None:
        return ""
    key = str(text).casefold().translate(_REF_NOISE)
    return _LEADING_ZEROS.sub("", key) if "0" in key else key


def leading_kind(text) -> str | None:
    """The kind a ref's words name, alone ('AFI') or first ('AFI 3 & 4', 'Rec 2(b)', an
    office's ref for two items or a part of one, which no ref pattern reads)."""
    if text is None:
        return None
    found = kind_word(text)
    words = str(text).split()
    return found or (kind_word(words[0].strip(".:,;-–")) if len(words) > 1 else None)


# An item's words that begin with its ref: 'AFI 1 – The force should ...', 'Recommendation
# 7 - By 30 April 2023, ...', 'Recommendation 1 (CoC 1): Within three months, ...', and as
# offices also type them: in brackets ('[AFI 4] ...'), with a '#' ('AFI #2'), its number in
# words ('Recommendation One: ...'), or with no stop before the words ('AFI1 The force').
_NUMBER_WORD = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                "fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty")
_LABEL_AT_START = re.compile(
    rf"(?P<open>[\[(])?(?P<word>(?i:{_KIND}))\.?[ \-–_]?(?i:no\.? ?|# ?)?"
    rf"(?P<num>\d{{1,3}}(?:\.\d{{1,3}})?[a-z]?|(?i:{_NUMBER_WORD})\b)"
    rf"(?: ?\((?P<under>(?i:{_KIND})\.?[ \-–]?\d{{1,3}})\))?(?(open)[\])]) ?"
    r"(?:[-–—:.] ?|(?<=[\])]) ?| +(?=[A-Z\[(\d]))(?=\S)")


def label_at_start(text) -> tuple[str, str] | None:
    """(the ref, the words after it) of an item's words that begin with its ref, or None."""
    if type(text) is not str:
        return None
    m = _LABEL_AT_START.match(text)
    if m is None:
        return None
    num = m.group("num")
    ref = " ".join(text[m.start("word"):m.end("under") + 1 if m.group("under")
                        else m.end("num")].split())        # the ref as written
    if not num[0].isdigit() or "#" in ref:                  # ('Recommendation One', 'AFI#1')
        if not num[0].isdigit():
            num = str(_NUMBER_WORD.split("|").index(num.lower()) + 1)
        ref = f"{m.group('word')} {num}" + (f" ({' '.join(m.group('under').split())})"
                                             if m.group("under") else "")
    if parse_ref(ref) is None:
        return None
    return ref, text[m.end():]
