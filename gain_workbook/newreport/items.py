"""The items of a published report, read from its paragraphs.

``find_items(blocks, force_name)`` goes through the report's paragraphs in order
(``report_source.Block``) and returns what it found: the title and publication
date where the text gives them, and every recommendation, area for improvement,
cause of concern and accelerated cause of concern, with

- its **number** (as written; counted in order when the report gives none, as
  a lone 'Area for improvement' is);
- its **text**, whole: the label's paragraph and the paragraphs that carry it on
  ('This should include ...'), or a lead-in's list ('the force should: - a; - b');
- its **addressee**, the words before 'should' ('all chief constables', 'the Home
  Office, ... and the College of Policing'), and whether it **applies to the force**:
  yes when that names chief constables, forces, the force or the force by name (or,
  in a fire and rescue service's report, the service); no
  when it names only other bodies; no, *marked for the clerk*, when it names some
  forces only ('chief constables of forces that are yet to ...') or no body we know;
- its **deadline** as written ('By 31 December 2024', 'Within six months', 'With
  immediate effect', 'immediately') and as a date, by the register's own rules
  (``dates.parse_deadline``; relative ones count from the publication date).

Recommendations after a cause of concern (up to the next heading) are made under it;
a 'Cause for concern' heading over a list of like items ('The Service should make sure
...' each) heads its recommendations, and the cause, whose words the text does not
give, is kept with no text and marked for the clerk;
in a 'Recommendations' section, a lead-in ending in a colon makes one recommendation
of each item of the list that follows ('HMIC recommends that within six months the
force should: - ensure ...; - improve ...'), as trackers record them.

Where a report labels its items ('Recommendation 2'), items are taken from labels;
where it lists them without ('Areas for improvement' then a paragraph or bullet
each, as trackers and PCCs' pages do), each paragraph of the list that reads like an
item is one. Contents lines ('Recommendation 3 ...... 12') are not items.

An item the text gives twice (a summary and a chapter, or a response that lists
the force's items again) is kept once. A paragraph that reads like an item ('... the
force should ...') but has no label and is in no list of items is *not placed*: it
is returned in ``unplaced``, and the item before it is marked for the clerk, so
nothing that looks like an item is lost without a word.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from gain_workbook.core.dates import (DATE_WORDS, NUMBER_WORDS, UNREADABLE, deadline_in,
                                      first_clause, parse_deadline, parse_text_date, word_number)
from gain_workbook.core.dates import DEADLINE_PHRASE as _DEADLINE
from gain_workbook.core.dates import MODAL as _MODAL
from gain_workbook.model.schema import norm_key
from gain_workbook.core.text import shorten

# Where the title and date were read, as the clerk's table says it; a 'Title' or
# 'Published' line is what the report says of itself, so nothing found later replaces it.
FROM_TITLE_LINE, FROM_PUBLISHED_LINE = "its 'Title' line", "its 'Published' line"
REC, AFI, COC, ACOC = ("Recommendation", "Area for improvement", "Cause of concern",
                       "Accelerated cause of concern")
_KIND = (r"(?P<kind>accelerated\s+causes?\s+(?:of|for)\s+concern|causes?\s+(?:of|for)\s+concern|"
         r"areas?\s+for\s+improvement|recommendations?|acoc|coc|afi)")
_LABEL = re.compile(
    rf"^{_KIND}\b\.?\s*(?:no\.?\s*)?(?P<num>\d{{1,3}}[a-z]?\b|(?:{'|'.join(NUMBER_WORDS)})\b)?"
    r"\s*(?P<sep>[:.)\-–—]\s*)?(?P<rest>.*)$", re.I)
_ENDS = re.compile(r"[.:;!?]\s*$")
_NUMBERED = re.compile(r"^\(?(?P<num>\d{1,3})[.)]\s+(?P<rest>\S.*)$")
_RECOMMENDS = re.compile(r"^(?:(?:hmic|hmicfrs|his majesty's inspectorate[^,]*?|we|the "
                         r"inspectorate)\s+(?:therefore\s+|also\s+)?recommends?\s+that,?\s*)",
                         re.I)
_PRONOUN = re.compile(r"^(?:this|these|it|they|that|there|those|such|which|who|we|you|he|she|"
                      r"our|its|their|any|some|each of these|in|as|if|when|where|while|"
                      r"although|but|and|or)\b", re.I)
_CONTINUES = re.compile(r"^(?:this|these|it|they|or|and|in doing so|to do (?:this|so)|"
                        r"to achieve this|as part of this|such|in particular|specifically|"
                        r"that|including|for example|e\.g\.)\b", re.I)
_FORCE = re.compile(r"\b(?:chief\s+constables?|chief\s+officers?|(?:all|each|every|the|"
                    r"police|other|those|these|their|individual)\s+forces?|forces|the\s+"
                    r"constabulary|"
                    # a fire and rescue service's report says 'the service should'
                    r"(?:all|each|every|the|individual)\s+(?:fire\s+(?:and|&)\s+rescue\s+)?"
                    r"services?|fire\s+(?:and|&)\s+rescue\s+services|frss?|chief\s+fire\s+"
                    r"officers?)\b", re.I)
_OTHER_FORCE = re.compile(r"\b(?P<name>[A-Z][a-z]+(?:\s+(?:and|&|of)?\s*[A-Z][a-z]+)*)\s+"
                          r"(?:Police|Constabulary|Fire\s+(?:and|&)\s+Rescue\s+Service)\b")
_SOME_FORCES = re.compile(r"\b(?:chief\s+constables?|forces?)\b(?:\s+of\s+(?:the\s+)?"
                          r"(?:\w+\s+)?forces?)?\s+(?:that|which|where|whose|who|yet\s+to|"
                          r"not\s+yet|without)\b", re.I)
# National bodies HMICFRS addresses: an item for these alone is not the force's.
_BODIES = re.compile(r"\b(?:home\s+office|home\s+secretary|department\s+for\s+\w+|department\s+"
                     r"of\s+\w+|ministry\s+of\s+\w+|welsh\s+government|government|national\s+"
                     r"crime\s+agency|nca|national\s+police\s+chiefs['’]?\s+council|npcc|"
                     r"college\s+of\s+policing|hmicfrs|independent\s+office\s+for\s+police\s+"
                     r"conduct|iopc|crown\s+prosecution\s+service|cps|association\s+of\s+"
                     r"police\s+and\s+crime\s+commissioners|apcc|police\s+and\s+crime\s+"
                     r"commissioners?|pccs?|local\s+policing\s+bod(?:y|ies)|police\s+digital"
                     r"\s+service|nhs(?:\s+england)?|local\s+authorit(?:y|ies)|business\s+"
                     r"user\s+groups?|his\s+majesty['’]s\s+\w+(?:\s+\w+)?|hm\s+\w+(?:\s+\w+)?|"
                     r"crown\s+\w+|city\s+of\s+london\s+police|national\s+\w+(?:\s+\w+)?|"
                     r"college|council|agency|service|office|commission(?:er)?s?|"
                     r"inspectorate|board|partnership|programme)\b", re.I)
_TITLE = re.compile(r"^(?:title\s+of\s+(?:the\s+)?(?:inspection|report)|(?:inspection|report)\s+"
                    r"title|title)\b\s*[:\-–]?\s*(?P<rest>.*)$", re.I)
_PUBLISHED = re.compile(r"^(?:date\s+(?:inspection\s+|report\s+)?published|date\s+of\s+"
                        r"publication|publication\s+date|published(?:\s+on)?|report\s+published"
                        r"|date\s+published)\b\s*[:\-–]?\s*(?P<rest>.*)$", re.I)
_PUBLISHED_IN = re.compile(rf"\bpublished\s+on\s+(?:the\s+)?({DATE_WORDS})", re.I)
_STATED = re.compile(r"\b(?:made|makes|identified|identifies|raised|raises|set\s+out|"
                     r"contained|contains)\s+"
                     r"(?P<n1>\d+|[a-z]+)\s+(?P<k1>recommendations?|areas?\s+for\s+improvement|"
                     r"causes?\s+of\s+concern)(?:\s*,?\s+and\s+(?:(?:also\s+)?(?:made|"
                     r"identified|raised)\s+)?(?P<n2>\d+|[a-z]+)\s+(?P<k2>recommendations?|"
                     r"areas?\s+for\s+improvement|causes?\s+of\s+concern))?", re.I)
_INNER_LABEL = re.compile(r"(?<=[.;:])\s+(?=(?:accelerated\s+)?(?:cause\s+of\s+concern|"
                          r"recommendation|area\s+for\s+improvement)\s*(?:\d{1,3}\s*)?:)", re.I)
# 'the identified areas for improvement are: -': a list of items of that kind follows
_INTRO = re.compile(r"\b(recommendations|areas\s+for\s+improvement|causes\s+of\s+concern)\b"
                    r"[^.]{0,40}:\s*[-–—]?\s*$", re.I)
# a PCC's letter: 'in respect of the HMICFRS report <title>, which was published on ...'
_TITLE_IN = re.compile(r"\breport\s+(?:entitled\s+|titled\s+)?[‘'\"“]?(?P<title>[^‘'\"“].{8,250}?)"
                       r"[’'\"”]?,?\s+(?:that|which)\s+was\s+published\s+on\b", re.I)
_BOILERPLATE = re.compile(r"^(?:source\b|skip to (?:main )?content|text size\b|open menu|menu|search|"
                          r"youtube|home|cookies?\b|accept|print this (?:document|page)|"
                          r"contents|have your say\b|quickly exit\b)", re.I)
_NOT_TITLE = re.compile(r"^(?:(?:outstanding|good|adequate|requires?\s+improvement|"
                        r"inadequate)\s*$|(?:from|to|sent|dear|applies\s+to)\b)", re.I)
_REPORTISH = re.compile(r"\b(?:inspections?|reports?|peel|assessment|review|hmicfrs|"
                        r"super-complaint|response|thematic|revisit)\b", re.I)
_SITE_SUFFIX = re.compile(r"\s+[-–|]\s+(?:his|her)\s+majesty['’]s\s+inspectorate.*$|\s+[-–|]\s+"
                          r"hmicfrs.*$|\s+[-–|]\s+justice\s+inspectorates.*$", re.I)


def kind_of(word: str) -> str:
    w = norm_key(word)
    if w.startswith("accelerated") or w == "acoc":
        return ACOC
    if w.startswith("cause") or w == "coc":
        return COC
    if w.startswith("area") or w == "afi":
        return AFI
    return REC


@dataclass
class FoundItem:
    """One item as the report gives it."""

    kind: str
    number: str
    paragraphs: list = field(default_factory=list)
    parent: int | None = None           # index in Found.items of its cause of concern
    lead: str = ""                      # a list's lead-in ('the force should:'), if from one
    listing: bool = False               # its text ends in a list ('should: - a; - b')
    after: list = field(default_factory=list)    # paragraphs after it that were not placed
    addressee: str = ""
    deadline_text: str = ""
    deadline: dt.date | None = None
    applies: bool = False
    checks: list = field(default_factory=list)   # what the clerk should check, in words
    untold: bool = False                # a cause of concern the text names but does not word

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
                "under": f"{parent.kind} {parent.number}" if parent else None,
                "check": "; ".join(self.checks) or None}


@dataclass
class Found:
    """What ``find_items`` read from a report."""

    title: str = ""
    title_from: str = ""             # where the title was read ('Title of Inspection', ...)
    published: dt.date | None = None
    published_from: str = ""
    items: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)    # paragraphs that read like items
    repeats: int = 0                                # items the text gives again, kept once
    stated: dict = field(default_factory=dict)      # kind -> count the report says it has
    types: list = field(default_factory=list)       # inspection types the text ticks

    def counts(self) -> dict:
        out: dict = {}
        for it in self.items:
            out[it.kind] = out.get(it.kind, 0) + 1
        return out


def fold(text: str) -> str:
    """Text folded for comparing: letters and digits only, in lower case."""
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def _number(num: str | None) -> str | None:
    """A label's number as digits ('nine' -> '9'); '7a' as written."""
    if not num:
        return None
    n = word_number(num)
    return num if n is None else str(n)


def _label(text: str):
    """(kind, number, rest, plural) of a label paragraph, or None."""
    m = _LABEL.match(text)
    if not m:
        return None
    word, rest, sep = m.group("kind"), m.group("rest").strip(), m.group("sep")
    if re.fullmatch(r"[.\s…·_-]*\d{1,4}", rest) and (sep or "").strip() in (".", "", "…"):
        return None                   # a contents line: 'Recommendation 3 ........ 12'
    if m.group("num") and norm_key(word).startswith(("recommendations", "areas", "causes")):
        return None                   # 'Recommendations 5': a contents line, or a count
    if re.fullmatch(r"\(\d{1,3}\)", rest):
        rest = ""                     # 'Areas for improvement (8)': a count, as trackers write
    short = norm_key(word) in ("afi", "coc", "acoc")
    num = _number(m.group("num"))
    if short and not num:
        return None
    if rest and not sep:
        return None                   # 'Recommendations made in 2019 ...': a sentence
    if not num and norm_key(word).startswith(("recommendations", "areas", "causes",
                                              "accelerated causes")):
        return kind_of(word), None, rest, True
    return kind_of(word), num, rest, False


def _head(text: str) -> str:
    """The clause that says who and when: up to a lead-in's colon, or the first sentence."""
    return first_clause(_NUMBERED.sub(r"\g<rest>", text))


def reads_like_item(text: str) -> bool:
    """Does a paragraph read like an item: a deadline, 'recommends that', or a body we know
    followed by 'should'?"""
    if _RECOMMENDS.match(text.strip()):
        return True
    head = _head(text.strip())
    modal = _MODAL.search(head)
    if not modal:
        return False
    subject = head[:modal.start()].strip(" ,")
    if _DEADLINE.match(subject):
        return True
    if not subject or _PRONOUN.match(subject) or len(subject) > 250:
        return False
    return bool(_FORCE.search(subject) or _BODIES.search(subject)
                or _OTHER_FORCE.search(subject))


def _who_and_when(text: str, published, force_name: str) -> tuple[str, str, object, str]:
    """(addressee, deadline as written, deadline date or UNREADABLE/None, who-class)."""
    s = _RECOMMENDS.sub("", text.strip())
    head = _head(s)
    deadline_text, deadline = "", None
    modal = _MODAL.search(head)
    m = deadline_in(head)
    if m:
        deadline_text = m.group(0)
        deadline_text = re.sub(r"\s+", " ", deadline_text[0].upper() + deadline_text[1:])
        deadline = parse_deadline(deadline_text, published)
    addressee = ""
    if modal:
        subject = head[:modal.start()]
        if m and m.start() < modal.start():
            subject = subject[:m.start()] + subject[m.end():]
        addressee = re.sub(r"\s+", " ", subject).strip(" ,;:–-")
        addressee = re.sub(r"^(?:that|and)\s+", "", addressee, flags=re.I).strip(" ,")
        if addressee:
            addressee = addressee[0].upper() + addressee[1:]
    who = _who(addressee or "", force_name) if addressee else ""
    return addressee, deadline_text, deadline, who


def _who(addressee: str, force_name: str) -> str:
    """'force', 'some forces', 'other force', 'other' or 'unknown' for an addressee."""
    if _SOME_FORCES.search(addressee):
        return "some forces"
    if force_name and norm_key(force_name) in norm_key(addressee):
        return "force"
    if _FORCE.search(addressee):
        return "force"
    if named := _OTHER_FORCE.search(addressee):
        # 'City of London Police' is a national body; in 'X Fire and Rescue Service' only
        # the name can say so ('service' alone is one of the bodies)
        whole = named.group(0)
        if not _BODIES.search(named.group("name") if whole.endswith("Service") else whole):
            return "named force" if not force_name else "other force"
    if _BODIES.search(addressee):
        return "other"
    return "unknown"


def _meta_value(blocks, i: int, rest: str) -> tuple[str, int]:
    """A label's value: the rest of its paragraph, else the next paragraph."""
    rest = rest.strip(" -–:")
    if rest:
        return rest, i
    if i + 1 < len(blocks):
        return blocks[i + 1].text.strip(" -–:"), i + 1
    return "", i


def _date_in(text: str):
    text = re.sub(r"^(?:on\s+)?(?:the\s+)?", "", text.strip(" -–:"), flags=re.I)
    m = re.match(rf"{DATE_WORDS}", text, re.I)
    return parse_text_date(m.group(0)) if m else None


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
            out += [Block(p.strip(), b.heading, b.bullet) for p in parts if p.strip()]
    return out


def find_items(blocks, force_name: str = "", published: dt.date | None = None,
               title: str | None = None) -> Found:
    """Every item of the report, in order; see the module's docstring. ``published`` and
    ``title``, when given, stand for what the text says (deadlines count from that date)."""
    blocks = _split_labels(blocks)
    found = Found()
    items = found.items
    current: FoundItem | None = None     # the item taking paragraphs
    parent: int | None = None            # the cause of concern recommendations go under
    section: str | None = None           # the kind a 'Recommendations' heading sets
    lead: str | None = None              # a lead-in whose list makes items
    listed = False                       # the lead-in's list has begun
    number = None                        # a number on its own line, for the next item
    labelled: set = set()                # kinds the report labels here ('Recommendation 2')
    skip_to = -1
    for i, block in enumerate(blocks):
        if i <= skip_to:
            continue
        text = block.text
        _meta(found, i, text)
        if not block.bullet and current is None:
            if (m := _TITLE.match(text)) and found.title_from != FROM_TITLE_LINE:
                value, at = _meta_value(blocks, i, m.group("rest"))
                if value:
                    found.title, found.title_from, skip_to = value, FROM_TITLE_LINE, at
                    continue
            if (m := _PUBLISHED.match(text)) and found.published_from != FROM_PUBLISHED_LINE:
                value, at = _meta_value(blocks, i, m.group("rest"))
                if day := _date_in(value):
                    found.published, found.published_from = day, FROM_PUBLISHED_LINE
                    skip_to = at
                    continue
        if label := _label(text):
            kind, num, rest, plural = label
            current, lead, listed, number = None, None, False, None
            if plural:
                section, labelled = kind, set()
                if kind != REC:
                    parent = None
                if rest.endswith(":"):           # 'Recommendations: the force should:'
                    lead = rest
                continue
            if kind != REC:
                parent = None
            labelled.add(kind)
            item = FoundItem(kind, num or "", parent=parent if kind == REC else None)
            if rest:
                item.paragraphs.append(rest)
            items.append(item)
            if kind in (COC, ACOC):
                parent = len(items) - 1
            current = item
            continue
        if block.heading:
            current, lead, listed, section, parent = None, None, False, None, None
            labelled = set()
            continue
        if current is not None:
            if not current.paragraphs and len(text.split()) < 4 and not _ENDS.search(text):
                # a label with no words of its own: a table's column header ('Recommendation',
                # then 'Directed at'), not an item
                items.pop()
                if parent == len(items):
                    parent = None
                current = None
            elif not current.paragraphs and current.kind in (COC, ACOC) and \
                    _recommendations_follow(blocks, i):
                # 'Cause for concern', then 'The service should ...' and more like it: its
                # recommendations, the cause's own words not given (a service's tracker)
                current.untold, current = True, None
            elif not current.paragraphs or _carries_on(current, text, block):
                current.paragraphs.append(text)
                continue
            else:
                current = None
        if _repeats(items, text):
            found.repeats += 1
            continue
        if re.fullmatch(r"\d{1,3}", text):
            number = text             # a tracker's listing: the number on its own line
            continue
        kind = section or (REC if parent is not None else None)
        if (m := _INTRO.search(text)) and not reads_like_item(text):
            section, lead, listed = kind_of(m.group(1)), None, False
            continue
        if lead is not None:
            if _list_entry(text, block):
                listed = True
                items.append(FoundItem(kind or REC, "", [f"{lead} {text}"], lead=lead,
                                       parent=parent if (kind or REC) == REC else None))
                continue
            if listed:        # the list has ended: what follows is the report's own text
                lead, listed, section, parent, kind = None, False, None, None, None
        if not reads_like_item(text):
            continue
        if kind is not None and kind not in labelled:  # where the report labels its items,
            if text.endswith(":"):                     # a paragraph without a label is not one
                lead, listed = text, False
                continue
            num, number = number, None
            if m := _NUMBERED.match(text):
                num, text = m.group("num"), m.group("rest")
            item = FoundItem(kind, num or "", [text],
                             parent=parent if kind == REC else None)
            items.append(item)
            current = item
            continue
        found.unplaced.append(text)
        if items:
            items[-1].after.append(text)
    if title:
        found.title, found.title_from = title, "the title given"
    elif not found.title:
        _title_from_first(found, blocks)
    if published:
        found.published, found.published_from = published, "the date given"
    _finish(found, force_name)
    return found


def _recommendations_follow(blocks, i: int) -> bool:
    """Is ``blocks[i]``, the first words after a cause of concern's label, the first of
    like items ('The Service should make sure ...' each) before the next label or heading?
    Then they are its recommendations, not its own words."""
    text = blocks[i].text
    if not reads_like_item(text):
        return False
    opening = fold(text).split()[:3]
    for b in blocks[i + 1:i + 40]:
        if b.heading or _label(b.text):
            return False
        if reads_like_item(b.text) and fold(b.text).split()[:3] == opening:
            return True
    return False


def _list_entry(text: str, block) -> bool:
    """A list's entry: a bullet, or a line that carries on a lead-in ('ensure ...;')."""
    return block.bullet or text[:1].islower()


def _title_from_first(found: Found, blocks) -> None:
    """No 'Title' line: the page's title, else its first heading, else its first line."""
    for b in blocks[:30]:
        if b.heading and 10 <= len(b.text) <= 300 and not _label(b.text):
            found.title, found.title_from = b.text, "its first heading"
            return
    lines = [b.text for b in blocks[:12] if 10 <= len(b.text) <= 300 and not _label(b.text)
             and not reads_like_item(b.text) and not _BOILERPLATE.match(b.text)
             and not _NOT_TITLE.match(b.text) and not _PUBLISHED.match(b.text)]
    # a line with a year, else one that names a report: not a grade ('Outstanding'), a
    # letter's 'From:' or a page's date line ('Published 8 January 2025'); else no title
    # (--apply then asks for --title)
    titles = [t for t in lines if re.search(r"\b(?:19|20)\d{2}\b", t)] or \
        [t for t in lines if _REPORTISH.search(t)]
    if titles:
        found.title, found.title_from = titles[0], "its first lines"


def _meta(found: Found, i: int, text: str) -> None:
    """Things a report says about itself: the items it counts, the types it ticks, a
    'published on' in its first paragraphs."""
    for m in _STATED.finditer(text):
        for n, k in ((m.group("n1"), m.group("k1")), (m.group("n2"), m.group("k2"))):
            count = word_number(n) if n else None
            if count is not None and k:
                found.stated.setdefault(kind_of(k), count)
    for m in re.finditer(r"☒\s*([A-Za-z][A-Za-z -]{2,30}?)(?=\s*(?:☐|☒|$))", text):
        found.types.append(m.group(1).strip())
    if not found.title_from and i < 40 and (m := _TITLE_IN.search(text)):
        found.title, found.title_from = m.group("title").strip(), "'the report ... published " \
            "on' in its text"
    if found.published is None and i < 40 and (m := _PUBLISHED_IN.search(text)):
        day = parse_text_date(m.group(1))
        if day:
            found.published, found.published_from = day, "'published on' in its text"


def _carries_on(item: FoundItem, text: str, block) -> bool:
    """Is this paragraph more of the item before it?"""
    last = item.paragraphs[-1]
    if _list_entry(text, block) and (last.rstrip().endswith(":") or item.listing):
        item.listing = True
        return True
    if item.kind in (COC, ACOC):
        return not reads_like_item(text)
    if reads_like_item(text):
        # 'Recommendation 15: By 27 March 2025, review whether ...', then 'PCCs ... should
        # provide ...': words that name no one, carried on by the words that say who
        return len(item.paragraphs) == 1 and not item.lead and \
            not _MODAL.search(_head(_RECOMMENDS.sub("", last)))
    return bool(_CONTINUES.match(text))


def _repeats(items, text: str) -> bool:
    """Does the paragraph give again (all or the start of) an item already found?"""
    n = fold(_RECOMMENDS.sub("", text))
    if len(n) < 30:
        return False
    for it in items:
        whole, first, rest = it.folded()
        if n in (whole, first, rest) or (len(n) >= 60 and (whole.startswith(n)
                                                           or n.startswith(first or "\0"))):
            return True
    return False


def _finish(found: Found, force_name: str) -> None:
    """Numbers, repeats, addressees, deadlines and who each item is for."""
    items = found.items
    if found.title:
        found.title = _SITE_SUFFIX.sub("", found.title).strip()
    # an item with no words (a label at the end) is not an item
    kept: list = []
    index_of: dict = {}
    for n, it in enumerate(items):
        if not it.paragraphs and not it.untold:
            found.unplaced.append(f"{it.kind} {it.number}".strip() + " (a label with no text)")
            continue
        index_of[n] = len(kept)
        kept.append(it)
    for it in kept:
        it.parent = index_of.get(it.parent) if it.parent is not None else None
    # an item the report gives again with no number of its own (a tracker repeats a cause
    # of concern on each of its recommendations' rows): one item, its recommendations under it
    merged: dict = {}
    firsts: dict = {}
    for n, it in enumerate(kept):
        if it.number:
            continue
        key = (it.kind, fold(it.text), it.parent)
        if key in firsts:
            merged[n] = firsts[key]
        else:
            firsts[key] = n
    if merged:
        found.repeats += len(merged)
        for it in kept:
            if it.parent in merged:
                it.parent = merged[it.parent]
        survivors = [n for n in range(len(kept)) if n not in merged]
        at = {n: k for k, n in enumerate(survivors)}
        kept = [kept[n] for n in survivors]
        for it in kept:
            it.parent = at.get(it.parent) if it.parent is not None else None
    # number in order what the report did not number, per kind (and per cause of concern)
    counters: dict = {}
    for it in kept:
        key = (it.kind, it.parent)
        if it.number:
            if m := re.match(r"\d+", it.number):
                counters[key] = max(counters.get(key, 0), int(m.group(0)))
        else:
            counters[key] = counters.get(key, 0) + 1
            it.number = str(counters[key])
    # the same item twice: kept once (and if the words differ, the clerk is told)
    out: list = []
    seen: dict = {}
    remap: dict = {}
    for n, it in enumerate(kept):
        parent_key = (kept[it.parent].kind, kept[it.parent].number) if it.parent is not None \
            else None
        key = (it.kind, it.number, parent_key)
        if key in seen:
            first = out[seen[key]]
            if fold(first.text) != fold(it.text) and not fold(first.text).startswith(
                    fold(it.text)) and not fold(it.text).startswith(fold(first.text)):
                first.checks.append(f"the text gives {it.kind} {it.number} again in other "
                                    f"words ('{shorten(it.text)}')")
            elif len(it.text) > len(first.text):
                first.paragraphs = it.paragraphs
            found.repeats += 1
            remap[n] = seen[key]
            continue
        seen[key] = len(out)
        remap[n] = len(out)
        out.append(it)
    for it in out:
        if it.parent is not None:
            it.parent = remap.get(it.parent)
    found.items = out
    for it in out:
        _place(it, out, found.published, force_name)
    for n, it in enumerate(out):
        if it.untold:           # for the force when its recommendations are
            it.applies = any(r.applies for r in out if r.parent == n)


def _place(it: FoundItem, items, published, force_name: str) -> None:
    if it.untold:
        it.checks.append("the text gives its recommendations but not the cause of concern's "
                         "own words; copy them in from the report")
        return
    if it.after:
        n = len(it.after)
        it.checks.append(f"after it the text has {'a paragraph that reads' if n == 1 else f'{n} paragraphs that read'} "
                         f"like an item but {'has' if n == 1 else 'have'} no kind or number "
                         f"({'' if n == 1 else 'the first: '}'{shorten(it.after[0])}')")
    source = it.lead or it.paragraphs[0]
    addressee, deadline_text, deadline, who = _who_and_when(source, published, force_name)
    if not addressee and not it.lead and len(it.paragraphs) > 1:
        # its first words say when but not who ('By 27 March 2025, review ...'); the next say
        addressee, _, _, who = _who_and_when(it.paragraphs[1], published, force_name)
    it.addressee, it.deadline_text = addressee, deadline_text
    if deadline is UNREADABLE:
        it.checks.append(f"no date can be worked out from the deadline '{deadline_text}'")
        deadline = None
    elif deadline is None and deadline_text and published is None:
        it.checks.append(f"'{deadline_text}' counts from the publication date, which is not "
                         "known")
    it.deadline = deadline
    if not addressee:
        text = it.text
        if (force_name and norm_key(force_name) in norm_key(text)) or re.search(
                r"\b(?:the|this)\s+(?:force|constabulary)\b", text, re.I) or (
                it.parent is not None and items[it.parent].applies):
            it.applies = True
        elif it.kind in (COC, ACOC, AFI) and re.search(r"\bforces?\b", text, re.I):
            it.applies = True
        else:
            it.applies = False
            it.checks.append("the text does not say who it is for; say whether it applies "
                             "to the force")
        return
    if who == "force":
        it.applies = True
    elif who == "other":
        it.applies = False
    elif who == "other force":
        it.applies = False
        it.checks.append(f"it is addressed to '{addressee}', not to {force_name}; say Yes if it "
                         "is for the force")
    elif who == "named force":
        it.applies = True
        it.checks.append(f"it is addressed to '{addressee}' and the register's Settings do not "
                         "name the force; check it is ours")
    elif who == "some forces":
        it.applies = False
        it.checks.append("it is for some forces only (see its Addressee); say Yes if the "
                         "force is one of them")
    else:
        it.applies = False
        it.checks.append(f"who '{shorten(addressee, 60)}' is could not be told; say whether it "
                         "applies to the force")
