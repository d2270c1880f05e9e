"""The items of a published report, read from its paragraphs.

``find_items(blocks, force_name)`` goes through the report's paragraphs in order
(``report_source.Block``) and returns what it found: the title and publication
date where the text gives them, and every recommendation, area for improvement,
cause of concern and accelerated cause of concern. What one paragraph says (a label,
a heading, words that read like an item, who and when) is read by ``newreport.grammar``;
what the items come to (numbered, kept once, who each is for) is settled by
``newreport.finish``. Here it is decided **where items stand**:

- **after a label**: 'Recommendation 2', 'Area for improvement', 'Cause of concern'. An
  item's text is whole: the label's paragraph and the paragraphs that carry it on ('This
  should include ...'; its own list after a lead-in's colon: bullets, '(a)', '(b)' ...,
  or '1.', '2.' ...; a quotation it introduces), as the report gives it. Where a report
  labels its items, a paragraph without a label is not one.
- **in a list of items without labels**, under a heading that says what they are
  ('Recommendations', 'Areas for improvement (8)', 'Summary of recommendations',
  'Recommendations to the Home Office'), under a cause of concern, under the report's
  own title (an older report, or the inspectorate's register, lists its recommendations
  as plain paragraphs under it), or after a lead-in ('HMIC recommends that:', 'the
  identified areas for improvement are:'). There a paragraph is an item when its grammar
  makes it one (``grammar.reads_like_item``); the report gives it no number, so it is
  numbered in order and marked for the clerk, unless the text says how many there are
  and that is how many were found.
- **in a numbered list** ('1.', '2.' ...) in such a place: each entry is an item, with
  the report's number, whatever its grammar; the list goes on over the headings between
  its entries ('Complaints', then '10.') as long as its numbers follow on. A web page's
  or Word's list, whose numbers the browser or Word draws and the text does not hold,
  is read the same way, its entries counted in order.
- **in a lead-in's list**: after 'West Mercia Police should, within three months:' or
  'HMIC recommends that:' each entry is one item, carrying the lead-in's words (and so
  its addressee and deadline), as trackers record them; an unnumbered 'Recommendation:'
  whose words are such a lead-in is a list of recommendations, not one.

Recommendations after a cause of concern (up to the next heading) are made under it;
a 'Cause for concern' heading over a list of like items ('The Service should make sure
...' each) heads its recommendations, and the cause, whose words the text does not
give, is kept with no text and marked for the clerk.

A heading ends a list of items unless the first paragraph after it (past a tracker's
lines: a lone number, 'Completed') is an item or the list's next entry; a real heading
(a web page's or Word's, or markdown's '##') ends an unnumbered list outright. Contents
lines ('Recommendation 3 ...... 12') are not items.

An item whose text held control characters (removed as the report was read: see
``report_source``) is marked for the clerk, and so is the title; a deadline or
publication date no register can hold is kept as written and marked, never worked out.

An item the text gives twice (a summary and a chapter, or a response that lists
the force's items again) is kept once. A paragraph that reads like an item ('... the
force should ...') in no place where items stand (the report's narrative) is *not
placed*: it is returned in ``unplaced``, and the item before it is marked for the
clerk, so nothing that looks like an item is lost without a word.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from gain_workbook.core.dates import DATE_WORDS, parse_date, word_number
from gain_workbook.core.text import has_xml_illegal, xml_safe
from gain_workbook.newreport.finish import CONTROL_CHECK, finish
from gain_workbook.newreport.source import SALUTATION
from gain_workbook.newreport.grammar import (ACOC, AFI, COC, CONTINUES, ENDS,
                                             MODAL, NUMBERED, QUOTES, REC, RECOMMENDS,
                                             RECOMMENDS_LEAD, SUB_ITEM, TERMINATED, fold,
                                             head, heading_like, kind_of, label_of,
                                             reads_like_item, section_heading, subject_of)

__all__ = ["ACOC", "AFI", "COC", "CONTROL_CHECK", "REC", "Found", "FoundItem", "find_items",
           "fold", "kind_of", "reads_like_item"]

# Where the title and date were read, as the clerk's table says it; a 'Title' or
# 'Published' line is what the report says of itself, so nothing found later replaces it.
FROM_TITLE_LINE, FROM_PUBLISHED_LINE = "its 'Title' line", "its 'Published' line"
_TITLE = re.compile(r"^(?:title\s+of\s+(?:the\s+)?(?:inspection|report)|(?:inspection|report)\s+"
                    r"title|title)\b\s*[:\-–]?\s*(?P<rest>.*)$", re.I)
_PUBLISHED = re.compile(r"^(?:date\s+(?:inspection\s+|report\s+)?published|date\s+of\s+"
                        r"publication|publication\s+date|published(?:\s+on)?|report\s+published"
                        r"|date\s+published)\b\s*[:\-–]?\s*(?P<rest>.*)$", re.I)
# the day a cause of concern and its recommendations were issued, before a revisit
# letter was published: 'On 16 August 2023, we issued ...', '... issued on 13 September
# 2023': a deadline 'within 28 days' counted from it, not from the letter
_ISSUED_ON = re.compile(rf"\b(?:on\s+(?P<day>{DATE_WORDS}),?\s+we\s+(?:issued|raised|wrote)|"
                        rf"(?:issued|raised)\s+(?:[a-z]+\s+){{0,6}}on\s+"
                        rf"(?P<day2>{DATE_WORDS}))", re.I)
_PUBLISHED_IN = re.compile(rf"\bpublished\s+on\s+(?:the\s+)?({DATE_WORDS})", re.I)
_STATED = re.compile(r"\b(?:made|makes?|identified|identif(?:y|ies)|raised|raises?|set\s+out|"
                     r"contained|contains|found|finds?|there\s+(?:are|were|is|was))\s+"
                     r"(?P<n1>\d+|[a-z]+)\s+(?P<k1>recommendations?|areas?\s+for\s+improvement|"
                     r"causes?\s+of\s+concern)(?:(?:\s*+,)?\s+and\s+(?:(?:also\s+)?(?:made|make|"
                     r"identified|identify|raised|raise|found|find)\s+)?(?P<n2>\d+|[a-z]+)\s+(?P<k2>recommendations?|"
                     r"areas?\s+for\s+improvement|causes?\s+of\s+concern))?", re.I)
# a tracker's heading with its count: 'Areas for Improvement (8)', 'Recommendations (14)'
_COUNTED = re.compile(r"^(recommendations|areas\s+for\s+improvement|causes\s+(?:of|for)\s+"
                      r"concern)\s*\((\d{1,4})\)$", re.I)
_INNER_LABEL = re.compile(r"(?<=[.;:])\s+(?=(?:accelerated\s+)?(?:cause\s+of\s+concern|"
                          r"recommendation|area\s+for\s+improvement)\s*(?:\d{1,4}\s*)?:)", re.I)
# 'the identified areas for improvement are: -': a list of items of that kind follows
_INTRO = re.compile(r"\b(recommendations|areas\s+for\s+improvement|causes\s+of\s+concern)\b"
                    r"[^.]{0,40}:\s*+[-–—]?\s*+$", re.I)
# a PCC's letter: 'in respect of the HMICFRS report <title>, which was published on ...'
# (the title starts and ends with a word, so the spaces either side have one way to match)
_TITLE_IN = re.compile(r"\breport\s+(?:entitled\s+|titled\s+)?[‘'\"“]?"
                       r"(?P<title>[^‘'\"“\s].{7,249}?\S)"
                       r"[’'\"”]?,?\s+(?:that|which)\s+was\s+published\s+on\b", re.I)
_BOILERPLATE = re.compile(r"^(?:source\b|skip to (?:main )?content|text size\b|open menu|menu|search|"
                          r"youtube|home|cookies?\b|accept|print this (?:document|page)|"
                          r"contents|have your say\b|quickly exit\b)", re.I)
_NOT_TITLE = re.compile(r"^(?:(?:outstanding|good|adequate|requires?\s+improvement|"
                        r"inadequate)\s*$|(?:from|to|sent|dear|applies\s+to)\b)", re.I)
_REPORTISH = re.compile(r"\b(?:inspections?|reports?|peel|assessment|review|hmicfrs|"
                        r"super-complaint|response|thematic|revisit)\b", re.I)
_SITE_SUFFIX = re.compile(r"(?<!\s)\s+[-–|]\s+(?:(?:his|her)\s+majesty['’]s\s+inspectorate|"
                          r"hmicfrs|justice\s+inspectorates).*$", re.I)
_LONE_NUMBER = re.compile(r"\d{1,4}")
# a paragraph's number within its section, before its words: '7.2 The force should ...'
_PARAGRAPH_NUMBER = re.compile(r"(?P<num>\d{1,2}\.\d{1,3})\s(?=[A-Z])")
LOOK_AHEAD = 40                 # paragraphs looked through for what follows a heading
_HERE = object()                # an item's cause of concern: the one it stands under


@dataclass
class FoundItem:
    """One item as the report gives it."""

    kind: str
    number: str
    paragraphs: list = field(default_factory=list)
    parent: int | None = None           # index in Found.items of its cause of concern
    lead: str = ""                      # a list's lead-in ('the force should:'), if from one
    entry: str = ""                     # ... and the entry's own words
    listing: str = ""                   # its text ends in a list ('should: - a; - b'): of
                                        # 'bullets', or of 'lines' ('should: a; b')
    after: list = field(default_factory=list)    # paragraphs after it that were not placed
    addressee: str = ""
    deadline_text: str = ""
    deadline: dt.date | None = None
    applies: bool = False
    checks: list = field(default_factory=list)   # what the clerk should check, in words
    untold: bool = False                # a cause of concern the text names but does not word
    cleaned: bool = False               # control characters were removed from its text
    found_by: str = "label"             # label | list | numbered | grammar: what made it one
    counted: bool = False               # its number was counted in order, not the report's
    ordinal: str = ""                   # that number, where the Number is left empty
    sub_next: int = 0                   # the next number of its own numbered list ('1.' ...)
    group_for: str = ""                 # whom its group's heading names ('For the Home Office')
    when: str = ""                      # the deadline a heading over it gives ('Immediately')
    level: int = 0                      # a web page's list entry: its list's depth, and
    entry: int = 0                      # which entry (<li>) it is

    _folded: tuple = field(default=(), repr=False, compare=False)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    def folded(self) -> tuple[str, str, str]:
        """Its text folded for comparing (whole, first paragraph, the rest), kept until a
        paragraph is added: every later paragraph of the report is compared with it."""
        key = (id(self.paragraphs), len(self.paragraphs))
        if not self._folded or self._folded[0] != key:
            paras = self.paragraphs
            self._folded = (key, (fold(self.text), fold(paras[0]) if paras else "",
                                  fold(" ".join(paras[1:]))))
        return self._folded[1]

    def to_dict(self, items) -> dict:
        parent = items[self.parent] if self.parent is not None else None
        return {"kind": self.kind, "number": self.number, "text": self.text or None,
                "addressee": self.addressee or None, "deadline_text": self.deadline_text or None,
                "deadline": self.deadline.isoformat() if self.deadline else None,
                "applies_to_force": self.applies,
                "under": f"{parent.kind} {parent.number}".strip() if parent else None,
                "check": "; ".join(self.checks) or None}


@dataclass
class Found:
    """What ``find_items`` read from a report."""

    title: str = ""
    title_from: str = ""             # where the title was read ('Title of Inspection', ...)
    accelerated: bool = False        # a letter headed 'Accelerated cause of concern'
    published: dt.date | None = None
    issued: dt.date | None = None          # 'On 16 August 2023, we issued ...' (a letter's)
    published_from: str = ""
    items: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)    # paragraphs that read like items
    repeats: int = 0                                # items the text gives again, kept once
    stated: dict = field(default_factory=dict)      # kind -> count the report says it has
    types: list = field(default_factory=list)       # inspection types the text ticks
    cleaned: int = 0                # paragraphs control characters were removed from
    title_cleaned: bool = False     # ... and from the title

    def counts(self) -> dict:
        out: dict = {}
        for it in self.items:
            out[it.kind] = out.get(it.kind, 0) + 1
        return out


def find_items(blocks, force_name: str = "", published: dt.date | None = None,
               title: str | None = None) -> Found:
    """Every item of the report, in order; see the module's docstring. ``published`` and
    ``title``, when given, stand for what the text says (deadlines count from that date)."""
    found = Found(cleaned=sum(1 for b in blocks if b.cleaned))
    blocks = _split_labels(blocks)
    _Reader(blocks, found).read()
    if found.accelerated and not any(it.kind == ACOC for it in found.items):
        for it in found.items:          # ('Cause of concern' in a letter so headed)
            if it.kind == COC:
                it.kind = ACOC
    if title:
        found.title, found.title_from = xml_safe(title), "the title given"
        found.title_cleaned = has_xml_illegal(title)
    else:
        if not found.title:
            _title_from_first(found, blocks)
        # read from a paragraph the characters were removed from
        found.title_cleaned = bool(found.title) and any(b.cleaned and found.title in b.text
                                                        for b in blocks)
    if published:
        found.published, found.published_from = published, "the date given"
    if found.title:
        found.title = _SITE_SUFFIX.sub("", found.title).strip()
    finish(found, force_name)
    return found


@dataclass
class _List:
    """A list of items being read, numbered ('1.' ...) or bulleted (a web page's <li>, a
    Word list, whose numbers the text does not hold): its next entry's number, and what
    its entries are (their kind, cause of concern and lead-in)."""

    next: int
    kind: str
    parent: int | None
    lead: str = ""
    lead_cleaned: bool = False
    bullets: bool = False


class _Reader:
    """Goes through a report's paragraphs in order, keeping where it is (see the module's
    docstring): the item taking paragraphs, the cause of concern recommendations go under,
    the kind a heading set, a lead-in whose list makes items, a numbered list under way."""

    def __init__(self, blocks, found: Found):
        self.blocks, self.found, self.items = blocks, found, found.items
        self.current: FoundItem | None = None   # the item taking paragraphs
        self.parent: int | None = None          # the cause of concern recommendations go under
        self.section: str | None = None        # the kind a heading set
        self.lead: str | None = None            # a lead-in whose list makes items
        self.lead_kind = REC                    # ... of this kind
        self.lead_cleaned = False               # ... which held control characters
        self.listed = False                     # the lead-in's list has begun
        self.number: str | None = None          # a number on its own line, for the next item
        self.labelled: set = set()              # kinds the report labels here ('Recommendation 2')
        self.numbered: _List | None = None      # a numbered list of items under way
        self.group_for = ""                     # whom a group's heading names
        self.when = ""                          # the deadline a heading gives the items below
        guess = Found()
        _title_from_first(guess, blocks)
        first = next((b.text for b in blocks[:5] if b.text and not _BOILERPLATE.match(b.text)),
                     "")
        self.title_guesses = (fold(guess.title), fold(first) if len(first) <= 300 else "")
        self._like: dict = {}

    def like(self, i: int) -> bool:
        """Does paragraph ``i`` read like an item (asked often, so kept)? Under a heading
        of causes of concern, a paragraph saying the concern ('HMIC is concerned that the
        force ...', as 2016's PEEL reports put them) does, though it has no 'should'."""
        if i not in self._like:
            text = self.blocks[i].text
            self._like[i] = reads_like_item(text) or (
                self.section in (COC, ACOC) and _STATES_CONCERN.search(text) is not None)
        return self._like[i]

    def read(self) -> None:
        skip_to = -1
        for i, block in enumerate(self.blocks):
            if i > skip_to:
                _meta(self.found, i, block.text)
                skip_to = self._step(i, block)

    def _step(self, i: int, block) -> int:
        """Read one paragraph; the index of the last paragraph it took, or -1."""
        block = self._paragraph_number(i, block)
        if not block.bullet and self.current is None:
            at = self._report_line(i, block.text)
            if at >= 0:
                return at
        if (label := label_of(block.text)) and self._letters_heading(i, block, label):
            pass
        elif label:
            self._label(label, block)
        elif self._numbered_entry(i, block):
            pass
        elif block.heading:
            self._heading(i, block)
        elif self.current is None or not self._carry(i, block):
            self._paragraph(i, block)
        if (block.heading or heading_like(block.text)) and \
                (when := _WHEN_HEADING.fullmatch(block.text.strip())):
            self.when = when.group(1)    # 'Within three months' over the items below it
        return -1

    # ------------------------------------------------------------ what the report says of itself

    def _report_line(self, i: int, text: str) -> int:
        """A 'Title' or 'Published' line: the index of the paragraph its value was in, or -1."""
        found = self.found
        if (m := _TITLE.match(text)) and found.title_from != FROM_TITLE_LINE:
            value, at = _meta_value(self.blocks, i, m.group("rest"))
            if value:
                found.title, found.title_from = value, FROM_TITLE_LINE
                return at
        if (m := _PUBLISHED.match(text)) and found.published_from != FROM_PUBLISHED_LINE:
            value, at = _meta_value(self.blocks, i, m.group("rest"))
            # (a month alone, 'November 2022', gives no day: the s55 day and every 'within
            # six months' hung on the month's last day, assumed in silence (a trial))
            if (day := _date_in(value)) and _DAY_GIVEN.search(value):
                found.published, found.published_from = day, FROM_PUBLISHED_LINE
                return at
        return -1

    # ------------------------------------------------------------ where items stand

    def _place_kind(self) -> str | None:
        """The kind of item a paragraph here would be, or None where items do not stand."""
        if self.section:
            return self.section
        if self.parent is not None:
            return REC
        return self.lead_kind if self.lead is not None else None

    def _open(self, kind: str) -> None:
        """A list of items of ``kind`` starts (a heading or label says so)."""
        self.current, self.section, self.labelled = None, kind, set()
        self.lead, self.listed = None, False
        if kind != REC:
            self.parent = None

    def _close(self, keep_parent: bool = False) -> None:
        """The list of items has ended: what follows is the report's own text."""
        self.current, self.section, self.lead, self.listed, self.numbered = \
            None, None, None, False, None
        self.when = ""
        if not keep_parent:
            self.parent, self.labelled = None, set()

    def _goes_on(self, i: int, entries_only: bool = False) -> bool:
        """After the heading at ``i``, does the list of items go on: is the first paragraph
        past the headings and a tracker's lines (a lone number, 'Completed') a label, the
        list's next entry (numbered, or bulleted), or (unless ``entries_only``) an item?"""
        for j in range(i + 1, min(len(self.blocks), i + LOOK_AHEAD)):
            b = self.blocks[j]
            if b.heading or heading_like(b.text) or _LONE_NUMBER.fullmatch(b.text):
                continue
            if label_of(b.text) or (self.like(j) and not entries_only):
                return True
            last = self.items[-1].number if self.items else ""
            if (m := _PARAGRAPH_NUMBER.match(b.text)) and "." in last and \
                    m.group("num").split(".")[0] == last.split(".")[0] and \
                    MODAL.search(head(b.text[m.end():])):
                return True     # the section's next numbered paragraph ('5.11 Health services
                #                 should ...' under 'Detainee healthcare'), whoever it names
            return self._next_entry(b.text) or (
                b.bullet and (self.numbered is None or self.numbered.bullets))
        return False

    def _next_entry(self, text: str) -> bool:
        """Is ``text`` the numbered list's next entry, or one that would start a list?"""
        m = NUMBERED.match(text)
        if not m:
            return False
        n = int(m.group("num"))
        if self.numbered is not None and not self.numbered.bullets:
            return n == self.numbered.next
        return n == 1 or bool(MODAL.search(m.group("rest")))

    def _title_list(self, i: int, text: str) -> bool:
        """Is ``text`` the report's title over a list of its recommendations (an older
        report's plain paragraphs, the inspectorate's register)? Then it opens one."""
        if len(text) > 300 or ENDS.search(text) or \
                not _is_title(text, fold(self.found.title), *self.title_guesses):
            return False
        following = next((j for j in range(i + 1, min(len(self.blocks), i + 3))
                          if self.blocks[j].text), None)
        if following is None or not self.like(following):
            return False
        self.parent = None
        self._open(REC)
        return True

    # ------------------------------------------------------------ each kind of paragraph

    def _letters_heading(self, i: int, block, label) -> bool:
        """A letter's title ('Accelerated cause of concern: Cleveland Police', its first
        line) or its subject line (the line after 'Dear Chief Constable,'), which name
        the kind of what the letter gives, not an item: they made two items of a
        force's name and the letter's own prose (a trial). The title is the report's;
        a letter so headed 'Accelerated cause of concern' gives accelerated ones."""
        kind, num, rest, plural = label
        first = next((n for n, b in enumerate(self.blocks[:5]) if b.text and
                      not _BOILERPLATE.match(b.text)), None)
        after_dear = i > 0 and SALUTATION.match(self.blocks[i - 1].text) is not None
        if plural or num or self.items or not rest or ENDS.search(rest) or \
                len(rest.split()) > 12 or not (i == first or after_dear):
            return False
        if i == first and not self.found.title:
            self.found.title, self.found.title_from = block.text, "its first line"
        self.found.accelerated = self.found.accelerated or kind == ACOC
        return True

    def _paragraph_number(self, i: int, block):
        """A paragraph numbered by its section ('7.2 The force should ...', a custody
        report's, whose items are known by those numbers): the number is the next item's,
        the words read without it ('7.1 Cause of concern: ...' is a label; it was read as
        narrative, and '7.2' the start of the addressee). In a list of items, such a
        paragraph that says someone should do something is an item, whoever it names
        ('7.9 Health services should ...' was lost)."""
        m = _PARAGRAPH_NUMBER.match(block.text)
        if m is None or block.bullet:
            return block
        self.number = m.group("num")
        block = self.blocks[i] = replace(block, text=block.text[m.end():])
        self._like.pop(i, None)
        if self.section is not None and MODAL.search(head(block.text)):
            self._like[i] = True
        return block

    def _label(self, label, block) -> None:
        """'Recommendation 2', 'Cause of concern', 'Areas for improvement' ..."""
        kind, num, rest, plural = label
        num = num or (self.number if not plural else None)
        self.current, self.lead, self.listed, self.number, self.numbered = \
            None, None, False, None, None
        if plural:
            self._open(kind)
            if rest.endswith(":"):           # 'Recommendations: the force should:'
                self.lead, self.lead_kind, self.lead_cleaned = rest, kind, block.cleaned
            return
        if kind != REC:
            self.parent = None
        self.labelled.add(kind)
        self.current = self._add(kind, num or "", [rest] if rest else [], block.cleaned, "label")
        if kind in (COC, ACOC):
            self.parent = len(self.items) - 1

    def _add(self, kind: str, number: str, paragraphs: list, cleaned: bool, found_by: str,
             lead: str = "", entry: str = "", parent=_HERE) -> FoundItem:
        if parent is _HERE:
            parent = self.parent
        item = FoundItem(kind, number, paragraphs, parent=parent if kind == REC else None,
                         lead=lead, entry=entry, cleaned=cleaned, found_by=found_by,
                         group_for=self.group_for, when=self.when)
        self.items.append(item)
        return item

    def _numbered_entry(self, i: int, block) -> bool:
        """A numbered paragraph ('12. The Board should ...') that is an entry of a list: the
        current item's own (after its lead-in's colon), or a list of items."""
        m = NUMBERED.match(block.text)
        if not m or block.heading:
            return False
        n, rest = int(m.group("num")), m.group("rest")
        cur = self.current
        if cur is not None and self._split(cur, block):
            cur = None
        if cur is not None and cur.paragraphs and (
                n == cur.sub_next or (n == 1 and cur.paragraphs[-1].rstrip().endswith(":"))):
            cur.sub_next = n + 1              # its own list: '3. The panel:' '1. ...' '2. ...'
            cur.paragraphs.append(block.text)
            cur.cleaned = cur.cleaned or block.cleaned
            return True
        entries = self.numbered
        if entries is None or entries.bullets or n != entries.next:
            kind = self._place_kind()
            like = self.like(i)
            if kind is None or kind in self.labelled or (heading_like(rest) and not like) \
                    or (n != 1 and not like and not MODAL.search(rest)):
                return False                  # a paragraph's own number, or a heading's
            entries = self.numbered = _List(n, kind, self.parent if kind == REC else None,
                                            self.lead or "", self.lead_cleaned)
        entries.next = n + 1
        # (an entry that names who should do it is in its own words, not the lead-in's:
        # '4. By 31 March 2022, the Home Office should ...' after 'chief constables should:')
        lead = entries.lead if entries.lead and not _says_who(rest) else ""
        text = f"{lead} {rest}" if lead else rest
        self.current = self._add(entries.kind, str(n), [text], block.cleaned or
                                 entries.lead_cleaned, "numbered", lead,
                                 rest if lead else "", entries.parent)
        return True

    def _heading(self, i: int, block) -> None:
        """A real heading (a web page's, Word's, markdown's): it opens a list of items when
        it says so ('Recommendations to forces', or the report's title over its list), and
        ends one otherwise, unless a label or the list's next entry (numbered or bulleted)
        follows it: a heading between entries, not after them."""
        self.current = None
        if kind := section_heading(block.text):
            self._open(kind)
            self._for_whom(block.text)
            return
        if self._title_list(i, block.text):
            return
        entries, section, parent, labelled = \
            self.numbered, self.section, self.parent, self.labelled
        going_on = (entries is not None or section is not None) and \
            not block.text.endswith("?") and self._goes_on(i, entries_only=True)
        self._close()
        if going_on and entries is not None:
            self.numbered, self.parent, self.section = entries, entries.parent, entries.kind
        elif going_on:
            self.section, self.parent = section, parent
        if going_on:
            self.labelled = labelled
            text = block.text
            if text.endswith(":") and len(text) <= 300 and self.like(i):
                # a heading that is the next entries' lead-in ('Police forces should:',
                # a joint inspection's recommendations grouped by whom they are for)
                if self.numbered is not None:
                    self.numbered.lead, self.numbered.lead_cleaned = text, block.cleaned
                self.lead, self.lead_kind, self.listed, self.lead_cleaned = \
                    text, self.section or REC, False, block.cleaned
            elif _FOR_WHOM.match(text):
                self._new_group(text)

    def _carry(self, i: int, block) -> bool:
        """Does the paragraph go on with the current item? If not, the item is done."""
        cur, text = self.current, block.text
        if not cur.paragraphs and len(text.split()) < 4 and not ENDS.search(text):
            # a label with no words of its own: a table's column header ('Recommendation',
            # then 'Directed at'), not an item
            self.items.pop()
            if self.parent == len(self.items):
                self.parent = None
            self.current = None
            return False
        if not cur.paragraphs and cur.kind in (COC, ACOC) and _recommendations_follow(
                self.blocks, i):
            # 'Cause for concern', then 'The service should ...' and more like it: its
            # recommendations, the cause's own words not given (a service's tracker)
            cur.untold, self.current = True, None
            return False
        if self._split(cur, block):
            return False
        if not cur.paragraphs and not cur.number and self.number:
            cur.number, self.number = self.number, None    # ('Recommendation', '7.4 ...')
        if not cur.paragraphs or _carries_on(cur, text, block, self.like(i)):
            cur.paragraphs.append(text)
            cur.cleaned = cur.cleaned or block.cleaned
            return True
        self.current = None
        return False

    def _split(self, cur: FoundItem, block) -> bool:
        """'Recommendation:', then 'West Mercia Police should, within three months:' and a
        list: an unnumbered label whose words are a lead-in is a list of recommendations,
        one for each entry (a numbered 'Recommendation 3' keeps its list as its own).
        Turns the label's words into the lead-in; True if it did."""
        if cur.kind != REC or cur.number or cur.found_by != "label" or \
                len(cur.paragraphs) != 1 or not cur.paragraphs[0].rstrip().endswith(":") or \
                self.items[-1] is not cur or not _entry(block.text, block):
            return False
        self.items.pop()
        self.current = None
        self.lead, self.lead_kind, self.listed, self.lead_cleaned = \
            cur.paragraphs[0], REC, False, cur.cleaned
        return True

    def _paragraph(self, i: int, block) -> None:
        """A paragraph no item is taking: a heading, the start of a list, an item of one,
        the report's narrative."""
        text = block.text
        if _LONE_NUMBER.fullmatch(text):
            self.number = text        # a tracker's listing: the number on its own line
            return
        if RECOMMENDS_LEAD.search(text) and len(text) <= 300:
            # 'To address this cause of concern, HMIC recommends that:'
            self.lead, self.lead_kind, self.listed, self.lead_cleaned = \
                text, REC, False, block.cleaned
            return
        like = self.like(i)
        if not like and self._heading_line(i, text):
            return
        if _repeats(self.items, text):
            self.found.repeats += 1
            return
        if (m := _INTRO.search(text)) and not like:
            self.section, self.lead, self.listed = kind_of(m.group(1)), None, False
            return
        if self.lead is not None and self._lead_entry(i, block):
            return
        kind = self.section or (REC if self.parent is not None else None)
        if block.bullet and kind is not None and kind not in self.labelled:
            # a list's entry where items stand, with no lead-in: a web page's <li>, or a
            # Word list's, whose number Word draws and the text does not hold (an entry
            # ending in a colon keeps the list that follows it, as a numbered one does)
            entries = self.numbered
            if entries is None or not entries.bullets or entries.kind != kind:
                self.numbered = _List(1, kind, self.parent if kind == REC else None,
                                      bullets=True)
            number, self.number = self.number or "", None
            self.current = self._add(kind, number, [text], block.cleaned, "list",
                                     parent=self.numbered.parent)
            self.current.level, self.current.entry = block.level, block.entry
            return
        if like:
            self._unlabelled(block)

    def _heading_line(self, i: int, text: str) -> bool:
        """A line of plain text that reads as a heading: one over a list of items opens it;
        any other ends the list unless an item follows it. True if it was one."""
        if kind := section_heading(text):
            self._open(kind)
            self._for_whom(text)
            return True
        if self._title_list(i, text):
            return True
        if not heading_like(text):
            return False
        if (self.section or self.lead is not None or self.numbered) and (
                text.endswith("?") or not self._goes_on(i)):
            # (a PEEL report's question opens a chapter of narrative: what reads like an
            # item after it, 'The force should continue to ...', is its text, not the list's)
            self._close(keep_parent=True)
        elif _FOR_WHOM.match(text):
            self._new_group(text)
        return True

    def _for_whom(self, heading: str) -> None:
        """A heading over a list that names whom it is for ('Recommendations for the Home
        Office') starts a group (_new_group); any other, a list for no one named."""
        if _FOR_WHOM.match(heading):
            self._new_group(heading)
        else:
            self.group_for = ""

    def _new_group(self, heading: str) -> None:
        """A heading that names whom the entries under it are for ('For the Home Office',
        'Recommendations for chief constables'): the lead-in above was another group's,
        and its words and addressee are not theirs (they took them, in silence); the
        entries that name no one are for whom the heading names."""
        self.lead, self.listed = None, False
        if self.numbered is not None:
            self.numbered.lead = ""
        who = _FOR_WHOM.match(heading)
        self.group_for = heading[who.end() - 1:].strip(" :") if who else ""

    def _lead_entry(self, i: int, block) -> bool:
        """An entry of the lead-in's list: an item of its own, carrying the lead-in's words;
        after 'HMIC recommends that:', a paragraph that reads like an item is one too, in
        its own words. A paragraph that is neither ends the list."""
        text = block.text
        if _entry(text, block):
            self.listed = True
            self._add(self.lead_kind, "", [f"{self.lead} {text}"],
                      block.cleaned or self.lead_cleaned, "list", self.lead, text)
            return True
        if _STATES_CONCERN.search(text) and self.section in (COC, ACOC):
            self.lead, self.listed = None, False   # the next cause of concern: its list ends
            return False
        if RECOMMENDS_LEAD.search(self.lead) and self.like(i):
            self.listed = True
            self._add(self.lead_kind, "", [text], block.cleaned, "grammar")
            return True
        if self.listed and text.endswith(":") and len(text) <= 300 and self.like(i):
            # the next lead-in of the same kind, its own list after it ('HMIC recommends
            # that within six months the force should:' after the 'immediately' list)
            self.lead, self.listed, self.lead_cleaned = text, False, block.cleaned
            return True
        if self.listed:     # the list has ended: what follows is the report's own text
            self.lead, self.listed, self.section, self.parent, self.numbered = \
                None, False, None, None, None
        return False

    def _unlabelled(self, block) -> None:
        """A paragraph that reads like an item, with no label: an item where items stand
        and the report does not label them; else not placed."""
        text = block.text
        kind = self.section or (REC if self.parent is not None else None)
        if kind in (COC, ACOC) and self.parent is not None and not _STATES_CONCERN.search(text):
            kind = REC     # under a cause of concern, what reads like an item is its recommendation
        entries = self.numbered
        if entries is not None and not entries.bullets and text.endswith(":") and \
                len(text) <= 300:
            # the list's entries go on under a new lead-in ('Police forces should:' after
            # the Home Office's '1.' and '2.'): theirs are its words, and its addressee;
            # so are a bulleted list's after it ('Within six months, the force should:' and
            # a bullet took the 'Within three months' lead-in above, in silence)
            entries.lead, entries.lead_cleaned = text, block.cleaned
            self.lead, self.lead_kind, self.listed, self.lead_cleaned = \
                text, entries.kind, False, block.cleaned
            self.current = None
            return
        if entries is not None and not entries.bullets and entries.kind == kind:
            kind = None               # where the report numbers its items, one without is not
        if kind is not None and kind not in self.labelled:
            if text.endswith(":"):        # 'Within six months, the force should:' and a list
                self.lead, self.lead_kind, self.listed, self.lead_cleaned = \
                    text, kind, False, block.cleaned
                return
            number, self.number = self.number or "", None
            self.current = self._add(kind, number, [text], block.cleaned, "grammar")
            if kind in (COC, ACOC):       # what follows it ('To address this cause of
                self.parent = len(self.items) - 1     # concern, HMIC recommends that:') is its
            return
        self.found.unplaced.append(text)
        if self.items:
            self.items[-1].after.append(text)


# How a report states a cause of concern in words, not as a recommendation: 'HMIC is
# concerned that', 'we are concerned about', '... is a cause of concern'.
# a heading naming whom a group of items is for: 'For the Home Office', 'Recommendations
# for chief constables', 'Recommendation to the College of Policing'
_FOR_WHOM = re.compile(r"(?:(?:recommendations?|areas? for improvement)(?:\(s\))?\s+(?:for|to)|"
                       r"for)\s+(?:the\s+)?[A-Za-z]", re.I)


def _says_who(text: str) -> bool:
    """Does an entry name who should do it, before its 'should' ('By 31 March 2022, the
    Home Office should ...'), not only what to do ('make sure that ...')?"""
    subject = subject_of(head(text))
    return bool(subject) and (subject[:1].isupper() or subject.lower().startswith("the "))


# a box before its word ('☒ National ☐ Thematic'), or after it ('National ☒ Thematic ☐')
_BOX_BEFORE = re.compile(r"☒\s*([A-Za-z][A-Za-z /-]{2,30}?)(?=\s*(?:☐|☒|$))")
_BOX_AFTER = re.compile(r"([A-Za-z][A-Za-z /-]{1,30}?)\s*([☒☐])")


def _ticked(text: str) -> list[str]:
    """The words a line's ticked boxes stand beside: before each box's word, or (where the
    line, after its label, starts with a word and ends with a box) after it."""
    if "☒" not in text:
        return []
    body = text.split(":", 1)[1] if ":" in text[:40] else text
    body = body.strip()
    if body[:1] not in "☒☐" and body[-1:] in "☒☐":
        return [m.group(1).strip() for m in _BOX_AFTER.finditer(body) if m.group(2) == "☒"]
    return [m.group(1).strip() for m in _BOX_BEFORE.finditer(text)]


_STATES_CONCERN = re.compile(r"\b(?:(?:is|are|was|were|remains?)\s+(?:also\s+|still\s+)?"
                             r"concerned\s+(?:that|about|by)|(?:an?|our|the)\s+(?:accelerated\s+)?"
                             r"causes?\s+(?:of|for)\s+concern\b)", re.I)


def _is_title(text: str, *titles: str) -> bool:
    """Is the line the report's title (the one found so far, the one its first lines give,
    its first line; of four words or more), folded: the title within the line ('National
    Report – <title>'), or the same last six words or more?"""
    line = fold(text)
    if len(line) < 10:
        return False
    for t in titles:
        if len(t) < 10 or len(t.split()) < 4:
            continue
        if t in line:
            return True
        a, b = line.split(), t.split()
        same = 0
        while same < min(len(a), len(b)) and a[-1 - same] == b[-1 - same]:
            same += 1
        if same >= 6:
            return True
    return False


# a heading that is a deadline alone, over the items it is for ('Immediately', 'Within
# three months:'), as older inspection reports group their recommendations
_WHEN_HEADING = re.compile(r"((?:within\s+(?:the\s+next\s+)?[a-z0-9]+(?:[- ][a-z]+)?\s+"
                           r"(?:days?|weeks?|months?|years?)|immediately|with\s+immediate\s+"
                           r"effect))\s{0,3}:?", re.I)


def _entry(text: str, block) -> bool:
    """An entry of a lead-in's list: a bullet, '(a) ...', '1. ...', or a line that carries
    the lead-in on ('ensure ...;')."""
    return block.bullet or text[:1].islower() or bool(SUB_ITEM.match(text)) or \
        bool(NUMBERED.match(text))


def _carries_on(item: FoundItem, text: str, block, like: bool) -> bool:
    """Is this paragraph more of the item before it?"""
    last = item.paragraphs[-1].rstrip()
    if RECOMMENDS_LEAD.search(text) or _INTRO.search(text):
        return False                      # 'HMIC recommends that:': a list of items follows
    if SUB_ITEM.match(text):
        return True                       # '(a) ...': a part of the item, never one
    if block.entry and block.entry == item.entry:
        return True                       # a web page's entry's next paragraph
    if block.bullet:                      # a bullet is more of it only as its own list
        if 0 < block.level <= item.level:
            return False                  # (the next entry of the list it is an entry of)
        if 0 < item.level < block.level:
            item.listing = "bullets"      # a list nested in its entry, after a stop or not
            return True
        if last.endswith(":") or item.listing == "bullets":
            item.listing = "bullets"
            return True
        return False
    if text[:1].islower() and (last.endswith(":") or item.listing):
        item.listing = item.listing or "lines"
        return True
    if text[:1] in QUOTES and (last.endswith(":") or not TERMINATED.search(last)):
        return True                       # a quotation it introduces ('... This is' '"...')
    if text.lstrip("([“‘\"'")[:1].islower() and not TERMINATED.search(last):
        return True                       # a sentence running on over a break ('(e.g. ...')
    if item.kind in (COC, ACOC):
        return not like and not heading_like(text)
    if like:
        # 'Recommendation 15: By 27 March 2025, review whether ...', then 'PCCs ... should
        # provide ...': words that name no one, carried on by the words that say who
        return len(item.paragraphs) == 1 and not item.lead and \
            not MODAL.search(head(RECOMMENDS.sub("", last)))
    return bool(CONTINUES.match(text))


def _recommendations_follow(blocks, i: int) -> bool:
    """Is ``blocks[i]``, the first words after a cause of concern's label, the first of
    like items ('The Service should make sure ...' each) before the next label or heading?
    Then they are its recommendations, not its own words."""
    text = blocks[i].text
    if not reads_like_item(text):
        return False
    opening = fold(text).split()[:3]
    for b in blocks[i + 1:i + LOOK_AHEAD]:
        if b.heading or label_of(b.text):
            return False
        if reads_like_item(b.text) and fold(b.text).split()[:3] == opening:
            return True
    return False


def _repeats(items, text: str) -> bool:
    """Does the paragraph give again (all or the start of) an item already found?"""
    n = fold(RECOMMENDS.sub("", text))
    if len(n) < 30:
        return False
    for it in items:
        whole, first, rest = it.folded()
        if n in (whole, first, rest) or (len(n) >= 60 and (whole.startswith(n)
                                                           or n.startswith(first or "\0"))):
            return True
    return False


# ---------------------------------------------------------------- the report's title and date

def _title_from_first(found: Found, blocks) -> None:
    """No 'Title' line: the page's title, else its first heading, else its first line."""
    first = next((n for n, b in enumerate(blocks[:30]) if b.heading), None)
    for b in blocks[:30]:
        # (a section's heading, 'Overall summary', is no title: the lines above it may be)
        if b.heading and 10 <= len(b.text) <= 300 and not label_of(b.text) and \
                not (_SECTION_HEADING.match(b.text) and _titled(blocks[:first])):
            found.title, found.title_from = b.text, "its first heading"
            return
    _title_from_lines(found, blocks)


_SECTION_HEADING = re.compile(r"^(?:overall\s+summary|summary|executive\s+summary|introduction|"
                              r"contents|foreword|background|about\s+this\s+(?:inspection|"
                              r"report)|key\s+findings|our\s+findings|conclusions?)\s*$", re.I)


def _titled(blocks) -> bool:
    """Do these lines give a title (as _title_from_lines would find one)?"""
    probe = Found()
    _title_from_lines(probe, blocks)
    return bool(probe.title)


def _title_from_lines(found: Found, blocks) -> None:
    """The first of the first lines that has a year or names a report."""
    lines = [b.text for b in blocks[:12] if 10 <= len(b.text) <= 300 and not label_of(b.text)
             and not reads_like_item(b.text) and not _BOILERPLATE.match(b.text)
             and not _NOT_TITLE.match(b.text) and not _PUBLISHED.match(b.text)
             and not _only_a_date(b.text) and not _prose(b.text)]
    # a line with a year, else one that names a report: not a grade ('Outstanding'), a
    # letter's 'From:' or date line ('Published 8 January 2025', '18 December 2023'); else
    # no title (--apply then asks for --title)
    titles = [t for t in lines if re.search(r"\b(?:19|20)\d{2}s?\b", t)] or \
        [t for t in lines if _REPORTISH.search(t)]
    if titles:
        # (two lines of a title page joined as one paragraph keep their break as a colon:
        # '... 2021/22 An inspection of ...' is '... 2021/22: An inspection of ...')
        found.title = _INSPECTION_OF_WITHIN.sub(r"\1: \2", titles[0])
        found.title_from = "its first lines"
        # and the line under it that names whom it inspected ('An inspection of Shropshire
        # Fire and Rescue Service' under 'Fire and Rescue Service ... 2021/22')
        at = next(i for i, b in enumerate(blocks) if b.text == titles[0])
        # (or the line under a subtitle: 'PEEL 2023-25', 'Police effectiveness, efficiency
        # and legitimacy', 'An inspection of Cleveland Police')
        for under in (b.text for b in blocks[at + 1:at + 3]):
            if _INSPECTION_OF.match(under) and len(under) <= 200 and under not in found.title:
                found.title = f"{found.title}: {under}"
                break
            if len(under) > 80 or not under or _PUBLISHED.match(under):
                break


_INSPECTION_OF_WITHIN = re.compile(r"([\w)’'])\s+(An?\s+(?:joint\s+|thematic\s+|unannounced\s+)*"
                                   r"inspection\s+(?:of|into)\s)")
_INSPECTION_OF = re.compile(r"^(?:an?\s+(?:joint\s+|thematic\s+|unannounced\s+)*inspection\s+"
                            r"(?:of|into)\s+\S)", re.I)


def _prose(text: str) -> bool:
    """Is the line a sentence of the letter's prose ('In our 2024 PEEL inspection of the
    force, we identified a cause of concern ... .'), not a title? A title does not end
    with a full stop; a short line that does may still be one."""
    return (text.rstrip().endswith(".") and len(text.split()) >= 10) or \
        re.search(r"[a-z][.!?]\s+[A-Z]", text) is not None      # two sentences


def _only_a_date(text: str) -> bool:
    """Is the line a date and nothing more ('18 December 2023', '[on]4th September 2014' as
    the inspectorate's register marks it)?"""
    bare = re.sub(r"\[/?[a-z]{1,20}\]", "", text, flags=re.I).strip(" ,.")
    return bool(re.fullmatch(DATE_WORDS, bare, re.I))


def _meta(found: Found, i: int, text: str) -> None:
    """Things a report says about itself: the items it counts ('HMICFRS made nine
    recommendations', a tracker's 'Areas for improvement (8)'), the types it ticks, a
    'published on' in its first paragraphs."""
    for m in _STATED.finditer(text):
        for n, k in ((m.group("n1"), m.group("k1")), (m.group("n2"), m.group("k2"))):
            count = word_number(n) if n else None
            if count is not None and k:
                found.stated.setdefault(kind_of(k), count)
    if m := _COUNTED.match(text.strip()):
        found.stated.setdefault(kind_of(m.group(1)), int(m.group(2)))
    if found.issued is None and (m := _ISSUED_ON.search(text)):
        found.issued = _day(m.group("day") or m.group("day2"))
    found.types += _ticked(text)
    if not found.title_from and i < 40 and (m := _TITLE_IN.search(text)):
        found.title, found.title_from = m.group("title").strip(), "'the report ... published " \
            "on' in its text"
    if found.published is None and i < 40 and (m := _PUBLISHED_IN.search(text)):
        day = _day(m.group(1))
        if day:
            found.published, found.published_from = day, "'published on' in its text"


def _meta_value(blocks, i: int, rest: str) -> tuple[str, int]:
    """A label's value: the rest of its paragraph, else the next paragraph."""
    rest = rest.strip(" -–:")
    if rest:
        return rest, i
    if i + 1 < len(blocks):
        return blocks[i + 1].text.strip(" -–:"), i + 1
    return "", i


def _day(text: str) -> dt.date | None:
    """The date ``text`` gives, if it is one a register can hold (not 31 December 9999)."""
    day = parse_date(text)
    return day if isinstance(day, dt.date) else None


_DAY_GIVEN = re.compile(r"(?<!\d)\d{1,2}(?!\d)")


def _date_in(text: str):
    text = re.sub(r"^(?:on\s+)?(?:the\s+)?", "", text.strip(" -–:"), flags=re.I)
    m = re.match(rf"{DATE_WORDS}", text, re.I)
    return _day(m.group(0)) if m else None


def _split_labels(blocks) -> list:
    """A paragraph holding two labelled parts ('Cause of concern: ... Recommendation: ...',
    as trackers' tables give them) as two paragraphs."""
    from gain_workbook.newreport.source import Block

    out = []
    for b in blocks:
        parts = _INNER_LABEL.split(b.text)
        if len(parts) == 1:
            out.append(b)
        else:
            out += [Block(p.strip(), b.heading, b.bullet, b.cleaned, b.level, b.entry)
                    for p in parts if p.strip()]
    return out
