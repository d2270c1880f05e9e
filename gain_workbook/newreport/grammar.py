"""What one paragraph of a report says: its kind and number, whether it reads like an
item, whether it is a heading or an entry of a list, who it is for and by when.

``newreport.items`` walks a report's paragraphs and decides where items stand; the
words of each paragraph are read here, whatever stands around it:

- a **label** ('Recommendation 3', 'Area for improvement', 'Causes of concern') and the
  number it gives (:func:`label_of`);
- a **heading that says recommendations** in more words ('Summary of recommendations',
  'Recommendations to the Home Office', 'PART L SUMMARY OF RECOMMENDATIONS':
  :func:`section_heading`), and a line that reads as a heading at all
  (:func:`heading_like`: a few words, no full stop);
- whether a paragraph **reads like an item** (:func:`reads_like_item`): a deadline phrase
  or none, then a subject that names who (forces, chief constables, the College, a force
  by its name ...), then 'should', 'must' or 'needs to'; or 'HMIC recommends that ...';
- a **lead-in** to a list of recommendations ('HMIC recommends that:', 'To address this
  cause of concern, we recommend that:': :data:`RECOMMENDS_LEAD`), and the marks of a
  list's entries: '1.' (:data:`NUMBERED`) and '(a)' (:data:`SUB_ITEM`);
- **who** an item is for and **by when** (:func:`who_and_when`, :func:`who`).
"""

from __future__ import annotations

import re

from gain_workbook.core.dates import (DEADLINE_PHRASE, MODAL, NUMBER_WORDS, deadline_in,
                                      first_clause, parse_deadline, word_number)
from gain_workbook.model.schema import norm_key
from gain_workbook.model.addressees import BODIES as _BODIES
from gain_workbook.model.addressees import FORCE as _FORCE
from gain_workbook.model.addressees import OTHER_FORCE as _OTHER_FORCE
from gain_workbook.model.addressees import who

REC, AFI, COC, ACOC = ("Recommendation", "Area for improvement", "Cause of concern",
                       "Accelerated cause of concern")
_KIND = (r"(?P<kind>accelerated\s+causes?\s+(?:of|for)\s+concern|causes?\s+(?:of|for)\s+concern|"
         r"areas?\s+for\s+improvement|recommendations?|acoc|coc|afi|rec|r(?=\s?\d))")
# (a letter's heading may begin with 'The', 'Our' or 'This': 'The cause of concern')
_LABEL = re.compile(
    # (its short form may follow in brackets: 'Area for improvement (AFI) 2:')
    rf"^(?:(?:the|our|this)\s+)?{_KIND}(?:\b|(?=\d))(?:\s{{0,3}}\((?:acoc|coc|afi|rec)\))?\.?\s*(?:no\.?\s*)?(?P<num>\d{{1,4}}[a-z]?\b|(?:{'|'.join(NUMBER_WORDS)})\b)?"
    r"\s*(?P<sep>[:.)\-–—]\s*)?(?P<rest>.*)$", re.I)
ENDS = re.compile(r"[.:;!?]\s*$")
# a paragraph ended as a sentence or a list's entry ends ('... and (5)', '"... ?"')
TERMINATED = re.compile(r"[.:;!?)\]\"'’”]\s*$")
NUMBERED = re.compile(r"^\(?(?P<num>\d{1,4})[.)]\s+(?P<rest>\S.*)$")
# a lettered or roman sub-item: '(a) ...', 'b) ...', '(iv) ...'
SUB_ITEM = re.compile(r"^\(?(?:[a-z]|[ivx]{2,5})\)\s+\S")
QUOTES = "“\"‘'"
# ('his majesty's inspectorate ...' word by word: a run of spaces has one way to match)
RECOMMENDS = re.compile(r"^(?:(?:hmic|hmicfrs|his majesty's inspectorate[^,\s]*(?:\s+[^,\s]+)*?|"
                        r"we|the inspectorate)\s+(?:therefore\s+|also\s+)?recommends?\s+"
                        r"that,?\s*)", re.I)
# a lead-in whose list is recommendations: '... HMIC recommends that:', 'we recommend that'
RECOMMENDS_LEAD = re.compile(r"\brecommends?\s+that\s*+:?\s*+[-–—]?\s*+$", re.I)
# the dates and deadlines as reports write them, and 'should', are core.dates' (the
# register reads a deadline in an item's words by the same rule)
_DEADLINE = DEADLINE_PHRASE
_PRONOUN = re.compile(r"^(?:this|these|it|they|that|there|those|such|which|who|we|you|he|she|"
                      r"our|its|their|any|some|each of these|in|as|if|when|where|while|"
                      r"although|but|and|or)\b", re.I)
CONTINUES = re.compile(r"^(?:this|these|it|they|or|and|in doing so|to do (?:this|so)|"
                       r"to achieve this|as part of this|such|in particular|specifically|"
                       r"that|including|for example|e\.g\.)\b", re.I)
# (who an addressee is: model.addressees, which the register's reading shares)
# a heading over a list of items: 'Summary of recommendations', 'PART L SUMMARY OF
# RECOMMENDATIONS', 'Recommendations to the Ministry of Justice', 'Our areas for improvement'
_SECTION = re.compile(
    r"^(?:(?:part|chapter|section|annex|appendix)\s+[a-z0-9]{1,4}\b[\s:.\-–—]*+)?"
    r"(?:(?:a\s+)?summary\s+of\s+|list\s+of\s+|our\s+|the\s+|full\s+|key\s+)?(?:the\s+)?"
    r"(?P<kind>recommendations|recommendation(?=\s+(?:to|for)\s)|areas\s+for\s+improvement"
    r"|causes\s+(?:of|for)\s+concern)"
    r"(?:\s+(?:to|for|on|from|of|in|by|made\s+(?:to|by|for))\s+[^.;:!?…\d]*+)?$", re.I)


def kind_of(word: str) -> str:
    w = norm_key(word)
    if w.startswith("accelerated") or w == "acoc":
        return ACOC
    if w.startswith("cause") or w == "coc":
        return COC
    if w.startswith("area") or w == "afi":
        return AFI
    return REC


def fold(text: str) -> str:
    """Text folded for comparing: letters and digits only, in lower case."""
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def _number(num: str | None) -> str | None:
    """A label's number as digits ('nine' -> '9'); '7a' as written."""
    if not num:
        return None
    n = word_number(num)
    return num if n is None else str(n)


def label_of(text: str):
    """(kind, number, rest, plural) of a label paragraph, or None."""
    m = _LABEL.match(text)
    if not m:
        return None
    word, rest, sep = m.group("kind"), m.group("rest").strip(), m.group("sep")
    if re.fullmatch(r"(?<![.\s…·_-])[.\s…·_-]*\d{1,4}", rest) and \
            (sep or "").strip() in (".", "", "…"):
        return None                   # a contents line: 'Recommendation 3 ........ 12'
    if m.group("num") and norm_key(word).startswith(("recommendations", "areas", "causes")):
        return None                   # 'Recommendations 5': a contents line, or a count
    if re.fullmatch(r"\(\d{1,4}\)", rest):
        rest = ""                     # 'Areas for improvement (8)': a count, as trackers write
    short = norm_key(word) in ("afi", "coc", "acoc", "rec", "r")
    num = _number(m.group("num"))
    if short and not num:
        return None
    if rest and not sep:
        return None                   # 'Recommendations made in 2019 ...': a sentence
    if not num and norm_key(word).startswith(("recommendations", "areas", "causes",
                                              "accelerated causes")):
        return kind_of(word), None, rest, True
    return kind_of(word), num, rest, False


def heading_like(text: str) -> bool:
    """Does the line read as a heading: a few words, starting with a capital, with no full
    stop (or other end) and no list mark ('1.', '(a)'), and a colon only in a short one
    ('Powers and sanctions', 'Independence: funding', 'Background')? A PEEL report's
    question is one too ('How effective is the force at preventing crime?'): no item
    is a question, and the narrative after it is not the list before it."""
    words = text.split()
    most_words, most_chars = (20, 180) if text.endswith("?") else (12, 120)
    if text.endswith("?"):
        text = text[:-1]
    return 0 < len(words) <= most_words and len(text) <= most_chars and \
        not text[:1].islower() and not ENDS.search(text) and not text.endswith(",") and \
        (": " not in text or len(words) <= 6) and ". " not in text and \
        not SUB_ITEM.match(text) and not NUMBERED.match(text)


def section_heading(text: str) -> str | None:
    """The kind a heading over a list of items names ('Summary of recommendations' ->
    'Recommendation'; 'Recommendation to the Home Office', one body's only one), or None;
    a contents line ('Recommendations ...... 21') is none."""
    if len(text) > 120 or len(text.split()) > 12:
        return None
    m = _SECTION.match(text.strip())
    return kind_of(m.group("kind")) if m else None


def head(text: str) -> str:
    """The clause that says who and when: up to a lead-in's colon, or the first sentence."""
    return first_clause(NUMBERED.sub(r"\g<rest>", text))


def reads_like_item(text: str) -> bool:
    """Does a paragraph read like an item: a deadline, 'recommends that', or a body we know
    followed by 'should'?"""
    if RECOMMENDS.match(text.strip()):
        return True
    clause = head(text.strip())
    modal = MODAL.search(clause)
    if not modal:
        return False
    subject = clause[:modal.start()].strip(" ,")
    if _DEADLINE.match(subject):
        return True
    if not subject or _PRONOUN.match(subject) or len(subject) > 250:
        return False
    return bool(_FORCE.search(subject) or _BODIES.search(subject)
                or _OTHER_FORCE.search(subject))


def who_and_when(text: str, published, force_name: str) -> tuple[str, str, object, str]:
    """(addressee, deadline as written, deadline date or UNREADABLE/None, who-class)."""
    s = RECOMMENDS.sub("", text.strip())
    clause = head(s)
    deadline_text, deadline = "", None
    modal = MODAL.search(clause)
    m = deadline_in(clause)
    if m:
        deadline_text = m.group(0)
        deadline_text = re.sub(r"\s+", " ", deadline_text[0].upper() + deadline_text[1:])
        deadline = parse_deadline(deadline_text, published)
    addressee = subject_of(clause, modal, m)
    if addressee:
        addressee = re.sub(r"^(?:that|and)\s+", "", addressee, flags=re.I).strip(" ,")
        said = max(addressee.lower().rfind(w) for w in (" recommend that ", " recommends that "))
        if said >= 0:       # 'To address this cause of concern, we recommend that the force'
            addressee = addressee[addressee.index(" that ", said) + 6:].strip(" ,")
        if addressee:
            addressee = addressee[0].upper() + addressee[1:]
    return addressee, deadline_text, deadline, who(addressee, force_name) if addressee else ""


def subject_of(clause: str, modal=None, deadline=None) -> str:
    """The words before a clause's 'should', without its deadline ('By 31 March 2022, the
    Home Office should ...' -> 'the Home Office'); '' when it has no 'should'. ``modal``,
    ``deadline``: their matches, when already found."""
    modal = modal or MODAL.search(clause)
    if modal is None:
        return ""
    subject = clause[:modal.start()]
    deadline = deadline or deadline_in(subject)
    if deadline and deadline.start() < modal.start():
        subject = subject[:deadline.start()] + subject[deadline.end():]
    return re.sub(r"\s+", " ", subject).strip(" ,;:–-")


def names_the_force(text: str, force_name: str) -> bool:
    """Does an item's text, which names no addressee, name the force ('the force ...', or
    the force by its name)?"""
    return bool((force_name and norm_key(force_name) in norm_key(text))
                or re.search(r"\b(?:the|this)\s+(?:force|constabulary)\b", text, re.I))


def names_forces(text: str) -> bool:
    """Does the text speak of forces ('forces', 'each force')?"""
    return bool(re.search(r"\bforces?\b", text, re.I))
