"""A published report's text, as the office has it, read into paragraphs.

``add-report`` takes what is in hand: text pasted from the report or its web page
(.txt, .md), the web page saved from the browser (.html), the report's PDF, or a
Word copy (.docx). Each becomes the same thing: a list of :class:`Block` (one
paragraph or heading, its text on one line, with whether it was a heading or a
list item), which ``report_items`` reads for the items.

- Pasted text and PDF text come as lines. A line that ends without a full stop
  (or colon, or semicolon) and is about as long as the text's usual line is taken
  as wrapped, and joined to the next; a short line is a heading or label, kept
  alone. A blank line always ends a paragraph. Markdown marks (``###``, ``**``,
  ``[text](link)``) are dropped, so a page copied as markdown reads as its text.
  Text is UTF-8, Windows-1252, or UTF-16 or UTF-32 with a byte-order mark.
- A word broken at a line's end is joined by a rule that needs no dictionary (see
  :func:`glue`): a soft hyphen (U+00AD, which typesetters put at a break) always
  joins; a plain hyphen before a lower-case continuation joins ('re-' 'cord' is
  'record') unless the text shows it is a real one ('cross-border').
- A saved page is read with the standard library's HTML parser: each block element
  (p, li, h1-h6, td, div ...) a paragraph; scripts, styles, navigation and forms are
  passed over, and so is what a reader never sees: an element with the ``hidden``
  attribute, ``display: none`` in its style or ``aria-hidden="true"``, and a
  ``<template>``.
- PDF text comes from ``pypdf`` (pure Python, maintained), page by page; page
  numbers alone on a line are dropped (in pasted text a lone number is kept: trackers
  put an item's number on its own line).
- Word paragraphs come from ``python-docx`` (already used to write the response), in
  document order, tables included; 'Heading' and 'Title' styles are headings. Content
  Word keeps as an embedded chunk (``altChunk``: HTML or text pasted into the document,
  or another Word document) is read where it stands, with the reader of its kind; a
  chunk of a kind add-report cannot read (RTF) is refused by name, never passed over.
- Characters no workbook can store (control characters: NUL, ESC, BEL ...) are removed
  as a register's are when it is read, and each paragraph that held one is marked
  (``Block.cleaned``), so the item it becomes can say so.

Nothing here decides what is an item; each reader only keeps what the text says.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from gain_workbook.core.dates import MODAL
from gain_workbook.core.errors import InputError
from gain_workbook.core.text import decode_text, has_xml_illegal, xml_safe

MAX_SOURCE = 64 * 1024**2         # a report's PDF is a few MB; its text far less
SOFT_HYPHEN = "\u00ad"
KINDS = {".txt": "text", ".md": "text", ".text": "text", ".html": "html", ".htm": "html",
         ".pdf": "pdf", ".docx": "docx"}


@dataclass(frozen=True)
class Block:
    """One paragraph of the source: its text on one line."""

    text: str
    heading: bool = False
    bullet: bool = False
    cleaned: bool = False       # control characters were removed from its text
    level: int = 0              # a web page's list entry: how deep its list is (1 the outer)
    entry: int = 0              # ... and which entry (<li>) of the page it is in


def _block(text: str, heading: bool = False, bullet: bool = False,
           cleaned: bool = False, level: int = 0, entry: int = 0) -> Block:
    """A paragraph, its soft hyphens (invisible but for a break) and what no workbook can
    store removed; ``cleaned`` says the latter was there (or was before: a line's)."""
    clean = _FOOTNOTE_MARK.sub("", xml_safe(text).replace(SOFT_HYPHEN, ""))
    return Block(clean, heading, bullet, cleaned or has_xml_illegal(text), level, entry)


# A footnote's number after a paragraph's last word and stop, as a PDF's text gives it
# ('... long-term interventions.1'): not the paragraph's words.
_FOOTNOTE_MARK = re.compile(r"(?<=[^\W\d_][.;)])\d{1,2}$")


def read_source(path) -> tuple[list[Block], str]:
    """The source's paragraphs and its kind ('text', 'html', 'pdf', 'docx')."""
    from gain_workbook.core.files import shown_name

    path = Path(path)
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"'{shown_name(path)}' is not a report add-report can read: give "
                         "the text pasted into a .txt file, the web page saved as .html, the "
                         ".pdf or a .docx.")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"'{path}' does not exist.") from None
    except OSError as exc:
        raise InputError(f"Cannot read '{path.name}' ({exc.strerror or exc}).") from None
    if path.is_dir():
        raise InputError(f"'{shown_name(path)}' is a folder, not a report.")
    if size > MAX_SOURCE:
        raise InputError(f"'{path.name}' is {size // 1024**2} MB, more than a report's text "
                         f"can be ({MAX_SOURCE // 1024**2} MB); give the report itself.")
    data = path.read_bytes()
    reader = {"text": _text_blocks, "html": _html_blocks, "pdf": _pdf_blocks,
              "docx": _docx_blocks}[kind]
    blocks = reader(data, path.name)
    if not any(b.text for b in blocks):
        raise InputError(f"'{path.name}' has no text to read"
                         + (" (a scanned PDF holds pictures of pages, not text)"
                            if kind == "pdf" else "") + ".")
    return blocks, kind


# ---------------------------------------------------------------- plain text

_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
         (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))       # UTF-32's first: it starts alike


def _wide(data: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when bytes without a byte-order mark read as English text in
    it (most characters ASCII, none NUL); else None."""
    sample = data[:4096]
    for enc, size in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        try:
            text = sample[:len(sample) - len(sample) % size].decode(enc)
        except UnicodeDecodeError:
            continue
        if text and "\x00" not in text and sum(ch < "\x80" for ch in text) >= 0.9 * len(text):
            return enc[:6].upper()
    return None


def _decode(data: bytes, name: str) -> str:
    # Notepad's 'Unicode' is UTF-16 with a byte-order mark; other editors can save UTF-32
    bom = next((enc for mark, enc in _BOMS if data.startswith(mark)), None)
    if data.startswith((b"PK\x03\x04", b"%PDF")) or (b"\x00" in data[:4096] and not bom):
        if not data.startswith((b"PK\x03\x04", b"%PDF")) and (wide := _wide(data)):
            raise InputError(f"'{name}' looks like text saved as {wide} without a byte-order "
                             "mark, which add-report cannot be sure of; open it in Notepad and "
                             "save it with the encoding UTF-8.")
        raise InputError(f"'{name}' is not text (it looks like a binary file); give the "
                         "report's text, or the file with its own extension (.pdf, .docx).")
    text = decode_text(data)
    if text is None:
        raise InputError(f"'{name}' is not text in {bom or 'UTF-8 or Windows-1252'}; open it "
                         "in Notepad and save it with the encoding UTF-8.")
    return text


# A link's text and address hold no '[': each '[' starts a scan that stops at the next one,
# so a line of '[' is read once, not once from each (tests/test_patterns.py).
_MD_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()\[]|\([^()\[]*\))*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_TAG = re.compile(r"<[^>]{0,200}>")
_CHECKED = re.compile(r"<input\b[^<>]*\bchecked\b[^<>]*>", re.I)     # a ticked box, as ☒
# a page's header or footer that is only its protective marking (a PDF's copied text
# puts it among an item's lines: '... review investigations regularly OFFICIAL')
_MARKING_LINE = re.compile(r"(?:OFFICIAL(?:[ \-–—]+SENSITIVE)?|NOT PROTECTIVELY MARKED|"
                           r"UNCLASSIFIED)(?:[ \-–—]+[A-Z]+)?", re.I)
# a box ticked or left empty in plain text: '[X] National  [ ] Force-specific', '☑', '[✓]'
_TICKED_IN_TEXT = re.compile(r"\[ {0,3}[xX✓✔] {0,3}\]|[☑✅]")
_EMPTY_IN_TEXT = re.compile(r"\[ {0,3}\]")
_UNCHECKED = re.compile(r"<input\b[^<>]*type=.?checkbox[^<>]*>", re.I)
# A list's mark: the usual ones, and the private-use characters Word's Symbol and
# Wingdings bullets become in a PDF's text or a paste from one (U+F0B7 '', U+F0A7 '',
# U+F076, U+F0D8, U+F0FC, U+F0E0 ...).
_BULLET = re.compile(r"^\s*+(?:[-*•▪◦·‣–⁃●■○◆►▸➢➤✓✔]\s+|[\uf020-\uf0ff]\s*)")
_RULE = re.compile(r"^\s*+(?:[-=_*]{3,}|\|?(?:\s*+:?-{2,}:?\s*+\|)+\s*+:?-*:?\s*+)$")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?\s*$", re.I)
# A line that ends a sentence: its stop, perhaps inside a bracket or quote ('...lead.)',
# '... child.”'), or '...; and' (a list's entry). A bracket or quote alone does not end
# one: a PDF's line breaks anywhere ('the National Police Chiefs’' / 'Council and ...',
# '... Council (NPCC)' / 'to review ...'), and nor does an abbreviation's stop ('(e.g.').
_ENDS_SENTENCE = re.compile(r"(?:[.:;!?][)\]\"'’”]{0,3}|;\s*(?:and|or))\s*$")
_ABBREVIATION_AT_END = re.compile(r"(?:^|[\s(])(?:e\.g|i\.e|cf|viz|vs|para|paras|pp|no|nos)\.$",
                                  re.I)


def _clean_line(line: str) -> tuple[str, bool, bool]:
    """(text, heading, bullet) of one line, markdown marks dropped."""
    heading = bool(_MD_HEADING.match(line))
    s = _MD_HEADING.sub("", line)
    bullet = bool(_BULLET.match(s))
    s = _BULLET.sub("", s)
    s = _MD_LINK.sub(r"\1", s)
    s = _CHECKED.sub("☒ ", s)
    s = _UNCHECKED.sub("☐ ", s)
    s = _TICKED_IN_TEXT.sub("☒ ", s)
    s = _EMPTY_IN_TEXT.sub("☐ ", s)
    s = _TAG.sub(" ", s)
    s = s.replace("**", "").replace("__", "")
    s = re.sub(r"\s+", " ", s).strip()
    return s, heading, bullet


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")     # a word, or words joined by hyphens


def _words_of(lines: list[str]) -> set[str]:
    """The text's words (and hyphenated words, and their parts), in lower case: the
    evidence :func:`glue` weighs. The pieces either side of a hyphen at a line's end are
    left out, so a broken word is not its own evidence."""
    words: set[str] = set()
    broken = False                      # the line before ended in a broken word
    for line in lines:
        found = _WORD.findall(line.casefold())
        if broken and found and line[:1].isalpha():
            found = found[1:]               # ... whose second piece this starts with
        end = line.rstrip()
        broken = end.endswith(("-", SOFT_HYPHEN)) and end[-2:-1].isalpha()
        if broken and found:
            found = found[:-1]
        for w in found:
            words.add(w)
            if "-" in w:
                words.update(w.split("-"))
    return words


def _edge_letters(text: str, end: bool) -> str:
    """The letters at the end (or start) of ``text``."""
    n = 0
    step = range(len(text) - 1, -1, -1) if end else range(len(text))
    for i in step:
        if not text[i].isalpha():
            break
        n += 1
    return text[len(text) - n:] if end else text[:n]


def glue(previous: str, line: str, words: set[str], soft: bool) -> tuple[str, str]:
    """How ``line`` carries on the paragraph whose last line is ``previous``: (``previous``
    as it stays, what goes between them). A word broken at the line's end is joined
    (the hyphen dropped, nothing between), a real hyphen kept, else a space between.

    The rule needs no dictionary: a soft hyphen (U+00AD) always joins ('re', a soft
    hyphen, then 'cord' is 'record'). A plain hyphen after a letter, before a lower-case
    letter, is a break that joins ('re-' 'cord' is 'record') unless it is a real one: when
    the text marks its breaks with soft hyphens (``soft``), or when the joined word is
    not one the text uses but the hyphenated word is, or its first part is (a word of
    three letters or more: 'cross' in 'cross-' 'border', 'victim' in 'victim-' 'blaming').
    ``words`` are the text's own (:func:`_words_of`).
    """
    if previous.endswith(SOFT_HYPHEN):
        return previous[:-1], ""
    if not (previous.endswith("-") and previous[-2:-1].isalpha() and line[:1].islower()):
        return previous, " "
    first, second = _edge_letters(previous[:-1], True).casefold(), \
        _edge_letters(line, False).casefold()
    real = soft or (first + second not in words and (
        f"{first}-{second}" in words or (len(first) >= 3 and first in words)))
    return (previous, "") if real else (previous[:-1], "")


def lines_to_blocks(lines: list[str], pages: bool = False) -> list[Block]:
    """Lines (pasted text, or a PDF's) as paragraphs, wrapped lines joined; a PDF's lone
    numbers (``pages``) dropped as page numbers (pasted text's where one breaks a sentence:
    :func:`without_page_furniture`). Control characters removed, the paragraph marked."""
    if not pages:
        lines = without_page_furniture(lines)
    cleaned: list = []     # (text, heading, bullet, cleaned) per line; None ends a paragraph
    kept: list[str] = []
    for raw in lines:
        dirty = has_xml_illegal(raw)
        if dirty:
            raw = xml_safe(raw)
        if (pages and _PAGE_NUMBER.match(raw)) or _MARKING_LINE.fullmatch(raw.strip()):
            continue        # (a page's number, or its protective marking: 'OFFICIAL')
        kept.append(raw)
        if not raw.strip() or _RULE.match(raw):
            cleaned.append(None)
        elif raw.count("|") >= 2:
            # a table's row, as a page's table pastes: each cell its own paragraph
            cleaned.append(None)
            for cell in raw.strip().strip("|").split("|"):
                if cell.strip():
                    cleaned += [(*_clean_line(cell), dirty), None]
        else:
            cleaned.append((*_clean_line(raw), dirty))
    words = _words_of(kept)
    soft = any(line.rstrip().endswith(SOFT_HYPHEN) for line in kept)
    lengths = sorted(len(c[0]) for c in cleaned if isinstance(c, tuple) and c[0])
    usual = lengths[int(len(lengths) * 0.9)] if lengths else 0
    blocks: list[Block] = []
    current: list[str] = []
    flags = (False, False)
    dirty = False

    def flush():
        nonlocal current
        if current:
            pieces = [current[0]]
            for line in current[1:]:
                pieces[-1], between = glue(pieces[-1], line, words, soft)
                pieces += [between, line]
            blocks.append(_block("".join(pieces), *flags, cleaned=dirty))
        current = []

    for c in cleaned:
        if c is None:
            flush()
            continue
        text, heading, bullet, was = c
        if not text:
            continue
        if current and not heading and not bullet and not flags[0] and _continues(
                current[-1], text, usual) and not _subject_line(blocks, current):
            current.append(text)
            dirty = dirty or was
            continue
        flush()
        current, flags, dirty = [text], (heading, bullet), was
    flush()
    return blocks


# a line that starts something of its own: 'Published: ...', 'Recommendation 2', 'Area for ...',
# a number on its own (a tracker's item number), or a lettered sub-item ('(b) ...', 'iv) ...')
_STARTS = re.compile(r"^(?:[A-Z][A-Za-z’' ]{1,40}:\s|(?:Recommendations?|Areas? for improvement|"
                     r"(?:Accelerated )?[Cc]auses? (?:of|for) concern)\b|\d{1,4}$|"
                     r"\(?(?:[a-z]|[ivx]{2,5})\)\s)")


_OPENERS = "([“‘\"'"
# A line that starts a numbered entry ('3. By 31 March 2024, the Home Office ...', a
# custody report's '7.7 The force should ...'), and the
# words that point at a number on the next line ('... set out in paragraph' / '3. ...').
_NUMBERED_LINE = re.compile(r"(?:\(?\d{1,4}[.)]|\d{1,2}\.\d{1,3}) [A-Z]")
_POINTS_TO = frozenset({"paragraph", "paragraphs", "recommendation", "recommendations",
                        "section", "sections", "page", "pages", "chapter", "figure", "annex",
                        "appendix", "table", "item", "number", "no.", "para", "see"})
# Words no paragraph ends with: a line that ends with one was wrapped ('... the College of'
# / 'Policing should ...'), however short it is.
_NEVER_LAST = frozenset({"a", "an", "the", "of", "and", "or", "to", "for", "in", "on", "with",
                         "by", "at", "from", "that", "which", "its", "their", "is", "are",
                         "be", "as", "into", "than", "all", "any", "each", "every"})
# An item's first words up to its deadline's comma ('By 30 September 2024, Cleveland'):
# the rest, with its 'should', is on the next line.
_DEADLINE_LEAD = re.compile(r"^(?:by|before|within|not later than|no later than)\s[^,]{1,40},"
                            r"\s", re.I)


# a label that starts an item ('Recommendation 2', 'AFI 3:'), and a line that speaks of
# another report's item ('Recommendation 3 of our 2017 report ...'), which starts none
_LABEL_LINE = re.compile(r"(?:recommendations?|areas?\s+for\s+improvement|(?:accelerated\s+)?"
                         r"causes?\s+(?:of|for)\s+concern|afi|rec|coc)\s?\d{1,3}[a-z]?"
                         r"\s{0,3}(?:[:.)\-–—]|$)", re.I)
_REFERENCE = re.compile(r"(?:recommendation|area\s+for\s+improvement|cause\s+of\s+concern)"
                        r"\s\d{1,3}[a-z]?\s(?:of|in|from)\s(?:our|the|its|this|that|his|her)\b",
                        re.I)
_DEADLINE_START = re.compile(r"(?:by|before|within|not later than|no later than)\s", re.I)
_YEAR_AFTER_MONTH = re.compile(r"(?:19|20)\d\d\b")
_MONTH_WORDS = frozenset(m.casefold() for m in (*calendar.month_name[1:],
                                                *calendar.month_abbr[1:], "Sept"))


def _subject_line(blocks: list, current: list) -> bool:
    """Is the paragraph under way a letter's subject line (the one line after 'Dear Chief
    Constable,', no stop at its end), which the letter's prose does not go on from?"""
    return len(current) == 1 and bool(blocks) and SALUTATION.match(blocks[-1].text) is not None \
        and not _ENDS_SENTENCE.search(current[0])


# a letter's salutation: 'Dear Chief Constable,' (its next line is the letter's subject)
SALUTATION = re.compile(r"dear\s+\S.{0,60},?$", re.I)


def _continues(previous: str, line: str, usual: int) -> bool:
    """Is ``line`` the rest of a paragraph that ``previous`` wrapped?"""
    if _ENDS_SENTENCE.search(previous) and not _ABBREVIATION_AT_END.search(previous.rstrip()):
        return False
    last = previous.rsplit(None, 1)[-1].casefold() if previous.strip() else ""
    if _YEAR_AFTER_MONTH.match(line) and last.rstrip(".") in _MONTH_WORDS:
        return True         # a date broken over the lines: '... by 31 March' / '2025. This ...'
    if (last in _NEVER_LAST and previous.strip() != last and not _PART.match(line)
            and not _LABEL_LINE.match(line)) or _REFERENCE.match(line):
        return True         # '... set out in' / 'Recommendation 3 of our 2017 report ...'
    if _STARTS.match(line) or previous.isdecimal():
        return False
    if previous.endswith(("-", ",", SOFT_HYPHEN)) or line.lstrip(_OPENERS)[:1].islower():
        return True         # (a wrapped line may open a bracket or quote: '(e.g. stop ...')
    if _NUMBERED_LINE.match(line) and last not in _NEVER_LAST and last not in _POINTS_TO:
        return False    # the list's next entry, after one ending in a footnote's mark ('strategy.3')
    if last in _NEVER_LAST or (_DEADLINE_LEAD.match(previous) and not MODAL.search(previous)
                               and MODAL.search(line)):
        return True
    return usual >= 40 and len(previous) >= 0.6 * usual


def _text_blocks(data: bytes, name: str) -> list[Block]:
    return lines_to_blocks(_decode(data, name).splitlines())


# A stop that ends a sentence, perhaps inside a bracket or quote; a short label that starts
# an item ('AFI 2', 'Rec 3', 'R4:'), which is never a page's furniture, however often seen.
_FULL_STOP = re.compile(r"[.!?][)\]\"'’”]{0,3}\s*$")
_SHORT_LABEL = re.compile(r"^(?:afi|rec|r|coc|acoc|aac)\s?\d", re.I)
# a line that starts an item or its part, which no running line does ('Recommendations',
# 'Area for improvement 2', '(b) ...'; a running line may have a colon: 'Stalking: an
# inspection   Page 14 of 40')
_KIND_START = re.compile(r"(?:recommendations?|areas?\s+for\s+improvement|(?:accelerated\s+)?"
                         r"causes?\s+(?:of|for)\s+concern)\b|\(?(?:[a-z]|[ivx]{2,5})\)\s", re.I)
_PAGE_OF = re.compile(r"\bpage\s{1,3}\d{1,4}(?:\s{1,3}of\s{1,3}\d{1,4})?\b", re.I)
_PART = re.compile(r"\(?[a-z]{1,4}\)\s")          # a list's part: '(b) ...', 'iv) ...'
# an item's own start: a few words of who, then 'should' ('the force should improve ...')
_ITEM_START = re.compile(r"^[\w'’]{1,30}(?: [\w'’]{1,30}){0,5} (?:should|must)\b", re.I)


def without_page_furniture(lines: list[str]) -> list[str]:
    """Pasted text without the page furniture a PDF's copy carries into it: a lone page
    number ('2', 'Page 2') or a running header or footer ('Stalking inspection', 'Digital
    forensics inspection   Page 4') where one breaks a sentence (see :func:`_breaks`). A
    running line is one seen three times or more (twice, its number changing), never a
    label nor a sentence; all of its times go, but for the text's first line (its title).
    The blank lines around what goes go too, so the sentence joins again. A lone number
    that breaks nothing stays (a tracker's item number, or '... in paragraph' / '12')."""
    text = [i for i, x in enumerate(lines) if x.strip()]
    if not text:
        return lines
    # (a page's protective marking, 'OFFICIAL-SENSITIVE', is dropped by lines_to_blocks;
    # it stands with the rest of the page's furniture)
    furniture = {i for i in text if _MARKING_LINE.fullmatch(lines[i].strip())}
    groups: dict[str, list[int]] = {}
    for i in text:
        line = re.sub(r"\s+", " ", lines[i].strip())
        if len(line) <= 100 and not _KIND_START.match(line) and not _SHORT_LABEL.match(line) \
                and not _ENDS_SENTENCE.search(line) and not _FULL_STOP.search(line) \
                and not _NUMBERED_LINE.match(line) and not _PAGE_NUMBER.match(line) \
                and not MODAL.search(line) and not _DEADLINE_START.match(line) \
                and not line.endswith(",") and \
                line.rsplit(None, 1)[-1].casefold() not in _NEVER_LAST:
            key = re.sub(r"\d+", "#", _PAGE_OF.sub("page #", line)).casefold()
            groups.setdefault(key, []).append(i)
    before, after = _around(lines, text, furniture)
    for key, where in groups.items():
        # (a page's number changes at the line's start or end: 'Page 4', '4 Stalking ...')
        varies = key.strip("#").count("#") == 0 and "#" in key and \
            len({lines[i].strip() for i in where}) > 1
        if (len(where) >= 3 or (len(where) == 2 and varies)) and \
                any(_breaks(before[i], after[i], lone=False) for i in where):
            furniture.update(i for i in where if i != text[0])
    before, after = _around(lines, text, furniture)
    for i in text:
        if _PAGE_NUMBER.match(lines[i]) and _breaks(before[i], after[i], lone=True) and \
                before[i].rsplit(None, 1)[-1].casefold() not in _POINTS_TO:
            furniture.add(i)
    if not furniture:
        return lines
    gaps, last, passed = set(), None, False     # (the blank lines where a sentence joins)
    for i in text:
        if i in furniture:
            passed = True
            continue
        if passed and last is not None:
            gaps.update(range(last + 1, i))
        last, passed = i, False
    return [x for i, x in enumerate(lines) if i not in furniture and i not in gaps]


def _around(lines: list[str], text: list[int], furniture: set) -> tuple[dict, dict]:
    """Each text line's nearest line of words before and after it (lone numbers and what
    is furniture already passed over)."""
    words = [i for i in text if i not in furniture and not _PAGE_NUMBER.match(lines[i])]
    before, after, n = {}, {}, 0
    for i in text:
        while n < len(words) and words[n] < i:
            n += 1
        before[i] = lines[words[n - 1]].strip() if n else ""
        later = n + 1 if n < len(words) and words[n] == i else n
        after[i] = lines[words[later]].strip() if later < len(words) else ""
    return before, after


def _breaks(before: str, after: str, lone: bool) -> bool:
    """Does what stands between ``before`` and ``after`` break a sentence: ``before`` ends
    with no stop and ``after`` goes on in lower case, or with a list's part '(b)', or
    ``before`` ends on a word no sentence ends on ('the', 'of'), and ``after`` is no item
    of its own ('the force should ...'). For a running line (not ``lone``, a lone number),
    a lone word after goes on a sentence only to its stop ('advocate.': a tracker's
    'Action Taken' over 'xxx' is no furniture), and after '...; and' only a part '(b)'."""
    if not before or not after or _FULL_STOP.search(before):
        return False
    part = bool(_PART.match(after))
    lower = after.lstrip(_OPENERS)[:1].islower() and (
        " " in after or lone or _FULL_STOP.search(after) is not None)
    if re.search(r";\s*(?:and|or)$", before):
        return part or (lower and lone)           # a list's next part
    if before.rsplit(None, 1)[-1].casefold() in _NEVER_LAST:
        return True                       # ('... the' / '176' / 'law must ...')
    # (an item of its own after one with no stop: 'the force should ...', a tracker's)
    return not _ITEM_START.match(after) and (lower or part or before.endswith(","))

# ---------------------------------------------------------------- a saved web page

_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr",
               "section", "article", "blockquote", "dt", "dd", "br", "ul", "ol", "table",
               "caption", "figcaption", "summary", "details", "aside", "main", "title",
               "pre", "hr"}
# (a page's furniture too: its <nav>, the <aside> of related pages, the <footer>)
_SKIP_TAGS = {"script", "style", "nav", "noscript", "form", "button", "select", "svg",
              "template", "iframe", "object", "head", "aside", "footer"}
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
              "param", "source", "track", "wbr"}
_HEAD_TAGS = {"title", "meta", "link", "style", "script", "base", "noscript", "template"}
# start tags that close an open <p>, as HTML's parser does (a <p hidden> is often not closed)
_CLOSES_P = {"address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset",
             "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
             "header", "hr", "main", "nav", "ol", "p", "pre", "section", "table", "ul"}
_CLOSES_SAME = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr", "td", "th"},
                "td": {"td", "th"}, "th": {"td", "th"}, "option": {"option"}}
_DISPLAY_NONE = re.compile(r"(?<![\w-])display\s*:\s*none\b", re.I)


def _hidden(attrs) -> bool:
    """Is an element with these attributes hidden from readers: ``hidden`` (not
    'until-found', which a search reveals), ``aria-hidden="true"``, ``display: none``?"""
    for name, value in attrs:
        value = (value or "").strip().lower()
        if (name == "hidden" and value != "until-found") or \
                (name == "aria-hidden" and value == "true") or \
                (name == "style" and _DISPLAY_NONE.search(value)):
            return True
    return False


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.title = ""
        self._text: list[str] = []
        self._over: list[str] = []    # the open elements of what is passed over, outermost first
        self._heading = 0
        self._bullet = 0
        self._lists = 0              # the lists (<ul>, <ol>) open; the entries (<li>) open,
        self._entries: list[tuple[int, int]] = []     # each (its depth, its place)
        self._count = 0
        self._in_title = False
        self._flags = (False, False)

    def _flush(self):
        text = re.sub(r"\s+", " ", "".join(self._text)).strip()
        if text:
            level, entry = self._entries[-1] if self._entries else (0, 0)
            self.blocks.append(_block(text, *self._flags, level=level, entry=entry))
        self._text = []

    def _closed_by(self, tag) -> None:
        """End what a start tag ends without its end tag, in what is passed over: an open
        <p> (or <li>, <td> ...), or the <head> when the body's content starts."""
        over = self._over
        if over[0] == "head" and tag not in _HEAD_TAGS:
            over.clear()
        elif over[-1] == "p" and tag in _CLOSES_P:
            over.pop()
        elif over[-1] in _CLOSES_SAME.get(tag, ()):
            over.pop()

    def handle_starttag(self, tag, attrs):
        if self._over:
            self._closed_by(tag)
        if tag == "title" and all(t == "head" for t in self._over):
            self._in_title = True
            return
        if self._over:                  # inside what is passed over: only its depth counts
            if tag not in _VOID_TAGS:
                self._over.append(tag)
            return
        if tag in _SKIP_TAGS or _hidden(attrs):
            if tag not in _VOID_TAGS:
                self._over.append(tag)
            return
        if tag == "input":
            names = {k.lower() for k, _ in attrs}
            if dict(attrs).get("type", "").lower() == "checkbox":
                self._text.append("☒ " if "checked" in names else "☐ ")
            return
        if tag in _BLOCK_TAGS:
            self._flush()
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self._heading += 1
            if tag == "li":
                self._bullet += 1
                self._count += 1
                self._entries.append((max(1, self._lists), self._count))
            elif tag in ("ul", "ol"):
                self._lists += 1
            self._flags = (self._heading > 0, self._bullet > 0)

    def handle_startendtag(self, tag, attrs):
        if self._over or tag not in ("br", "hr", "input"):
            return
        if tag == "input":
            self.handle_starttag(tag, attrs)
        elif not _hidden(attrs):
            self._flush()

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
            return
        if self._over:
            if tag in self._over:         # its end ends what it holds that was left open
                del self._over[len(self._over) - 1 - self._over[::-1].index(tag):]
            return
        if tag in _BLOCK_TAGS:
            self._flush()
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self._heading = max(0, self._heading - 1)
            if tag == "li":
                self._bullet = max(0, self._bullet - 1)
                self._entries = self._entries[:-1]
            elif tag in ("ul", "ol"):
                self._lists = max(0, self._lists - 1)
            self._flags = (self._heading > 0, self._bullet > 0)

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._over:
            self._text.append(data)


def _page_blocks(text: str, name: str) -> list[Block]:
    """A web page's paragraphs, its title first (as a heading)."""
    page = _Page()
    try:
        page.feed(text)
        page.close()
    except Exception:                 # the parser is forgiving; this is a broken file
        raise InputError(f"'{name}' is not a web page add-report can read.") from None
    page._flush()
    blocks = page.blocks
    title = re.sub(r"\s+", " ", page.title).strip()
    if title:
        blocks.insert(0, _block(title, heading=True))
    return blocks


def _html_blocks(data: bytes, name: str) -> list[Block]:
    return _page_blocks(_decode(data, name), name)


# ---------------------------------------------------------------- PDF and Word

def _pdf_blocks(data: bytes, name: str) -> list[Block]:
    import io
    import logging

    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)     # its warnings are not ours
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise InputError(f"'{name}' is protected by a password; save an "
                                     "unprotected copy (or paste its text into a .txt file).")
            except InputError:
                raise
            except Exception:
                raise InputError(f"'{name}' is encrypted in a way add-report cannot open; "
                                 "paste its text into a .txt file instead.") from None
        pages = [page.extract_text().splitlines() for page in reader.pages]
    except InputError:
        raise
    except Exception:
        raise InputError(f"'{name}' is not a PDF add-report can read: it may be damaged, "
                         "or not a PDF; save it again as a PDF, or paste its text into a "
                         ".txt file.") from None
    # a paragraph may run on over a page's end (the lines decide, as within a page),
    # without the page's running header and footer in the middle of it
    return lines_to_blocks([line for page in without_running_lines(pages) for line in page],
                           pages=True)


RUNNING = 3          # lines at a page's top and at its foot where a running line may stand


def without_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Each page's lines without its running header and footer: a line among the first or
    last RUNNING of a page whose words (its numbers aside: 'Page 2') stand there on half
    the pages or more, two at least ('OFFICIAL', 'PEEL 2023–25 Cleveland Police   Page 2').
    Never a label that starts an item ('Recommendation'), nor a sentence."""
    def key(line: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip())).casefold()

    seen: dict[str, int] = {}
    for page in pages:
        for k in {key(x) for x in page[:RUNNING] + page[-RUNNING:] if x.strip()
                  and len(x) <= 120 and not _STARTS.match(x.strip())
                  and not x.rstrip().endswith((".", ";", ":"))}:
            seen[k] = seen.get(k, 0) + 1
    least = max(2, (len(pages) + 1) // 2)
    running = {k for k, n in seen.items() if n >= least}
    out = []
    for page in pages:
        edge = set(range(min(RUNNING, len(page)))) | set(range(max(0, len(page) - RUNNING),
                                                               len(page)))
        out.append([x for i, x in enumerate(page) if i not in edge or key(x) not in running])
    return out


def _check_zip(data: bytes, name: str) -> None:
    """A Word file is a zip: refuse one that would unpack to far more than any document
    (a zip bomb), from the sizes its directory declares, before anything unpacks it."""
    import io
    import zipfile

    from gain_workbook.core.sniff import MAX_PART, zip_bomb

    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError):
        return                        # python-docx says it is not a document
    if why := zip_bomb(infos, "report", most=MAX_PART):
        raise InputError(f"Cannot read '{name}': {why}")


_HTML_TYPES = ("text/html", "application/xhtml+xml")
_MAX_CHUNK_DEPTH = 3                  # a Word document in a chunk of one in a chunk of one


def _docx_blocks(data: bytes, name: str, depth: int = 0) -> list[Block]:
    import io

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_zip(data, name)
    from gain_workbook.core.sniff import OLE_MAGIC

    if data.startswith(OLE_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data:
        raise InputError(f"'{name}' is protected by a password; open it in Word, remove the "
                         "password (File > Info > Protect Document), save it and try again.")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:
        raise InputError(f"'{name}' is not a Word document add-report can read: it may be "
                         "damaged, or an old .doc renamed; save it again from Word as a "
                         ".docx, or paste its text into a .txt file.") from None
    blocks: list[Block] = []
    entries = [0]              # the list's entries so far: each paragraph of one is one

    def add(par: Paragraph):
        text = re.sub(r"\s+", " ", par.text).strip()
        if not text:
            return
        style = (par.style.name if par.style is not None else "") or ""
        heading = style.startswith(("Heading", "Title"))
        if style.startswith("List Continue") and entries[0]:
            # (the entry above goes on: its next paragraph, not an entry of its own)
            blocks.append(_block(text, entry=entries[0]))
            return
        ppr = par._p.pPr
        numbered = ppr is not None and ppr.numPr is not None
        bullet = (style.startswith("List") or numbered) and not heading
        entries[0] += bullet
        blocks.append(_block(text, heading, bullet,
                             level=_list_level(style, ppr.numPr if numbered else None)
                             if bullet else 0, entry=entries[0] if bullet else 0))

    def walk(element):
        for child in element.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                add(Paragraph(child, document))
            elif tag == "tbl":
                for row in Table(child, document).rows:
                    for cell in row.cells:
                        walk(cell._tc)
            elif tag == "sdt":          # a content control: its paragraphs are the text's
                for content in child.iterchildren():
                    if content.tag.rsplit("}", 1)[-1] == "sdtContent":
                        walk(content)
            elif tag == "altChunk":
                blocks.extend(_chunk_blocks(document, child, name, depth))

    walk(document.element.body)
    return blocks


def _list_level(style: str, num_pr) -> int:
    """How deep a Word list's paragraph is (1 the outer list): its numbering's level, else
    its style's number ('List Bullet 2'); a bullet list inside a numbered entry was taken
    for the entry's own, and every later entry with it (a trial)."""
    ilvl = getattr(num_pr, "ilvl", None)
    if ilvl is not None and getattr(ilvl, "val", None) is not None:
        return int(ilvl.val) + 1
    m = re.search(r"\s(\d)$", style)
    return int(m.group(1)) if m else 1


def _chunk_blocks(document, element, name: str, depth: int) -> list[Block]:
    """The paragraphs of an embedded chunk (``w:altChunk``): HTML (as Word keeps what was
    pasted from a web page), a web archive (.mht), plain text or another Word document,
    each read as a file of its kind would be; any other kind is refused by name."""
    from email import message_from_bytes, policy

    rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
    try:
        part = document.part.rels[rid].target_part
    except (KeyError, AttributeError, ValueError):
        raise InputError(f"'{name}' embeds content that is missing from the file; it may be "
                         "damaged.") from None
    kind = (part.content_type or "").split(";")[0].strip().lower()
    blob = part.blob
    where = f"{name} (embedded)"
    if kind in _HTML_TYPES:
        return _page_blocks(_decode(blob, where), where)
    if kind == "text/plain":
        return lines_to_blocks(_decode(blob, where).splitlines())
    if kind == "message/rfc822":          # a web archive (.mht): its page, else its text
        message = message_from_bytes(blob, policy=policy.default)
        for wanted in _HTML_TYPES + ("text/plain",):
            for piece in message.walk():
                if piece.get_content_type() == wanted:
                    try:
                        text = str(piece.get_content())
                    except (LookupError, ValueError):      # a charset Python does not know
                        raise InputError(f"'{name}' embeds a web archive add-report cannot "
                                         "decode; it may be damaged.") from None
                    return _page_blocks(text, where) if wanted != "text/plain" else \
                        lines_to_blocks(text.splitlines())
    elif blob.startswith(b"PK\x03\x04") and depth < _MAX_CHUNK_DEPTH:
        return _docx_blocks(blob, where, depth + 1)
    what = kind or "of no stated kind"
    raise InputError(f"'{name}' embeds content add-report cannot read ({what}, kept by Word as "
                     "a separate part); open it in Word, save it as a web page (.html) or copy "
                     "its text into a .txt file, and give that.")
