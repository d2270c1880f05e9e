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
- A saved page is read with the standard library's HTML parser: each block element
  (p, li, h1-h6, td, div ...) a paragraph; scripts, styles, navigation and forms are
  passed over.
- PDF text comes from ``pypdf`` (pure Python, maintained), page by page; page
  numbers alone on a line are dropped (in pasted text a lone number is kept: trackers
  put an item's number on its own line).
- Word paragraphs come from ``python-docx`` (already used to write the response), in
  document order, tables included; 'Heading' and 'Title' styles are headings.

Nothing here decides what is an item; each reader only keeps what the text says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from gain_workbook.errors import InputError
from gain_workbook.text import decode_text

MAX_SOURCE = 64 * 1024**2         # a report's PDF is a few MB; its text far less
KINDS = {".txt": "text", ".md": "text", ".text": "text", ".html": "html", ".htm": "html",
         ".pdf": "pdf", ".docx": "docx"}


@dataclass(frozen=True)
class Block:
    """One paragraph of the source: its text on one line."""

    text: str
    heading: bool = False
    bullet: bool = False


def read_source(path) -> tuple[list[Block], str]:
    """The source's paragraphs and its kind ('text', 'html', 'pdf', 'docx')."""
    path = Path(path)
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"'{path.name}' is not a report add-report can read: give the text "
                         "pasted into a .txt file, the web page saved as .html, the .pdf or "
                         "a .docx.")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"'{path}' does not exist.") from None
    except OSError as exc:
        raise InputError(f"Cannot read '{path.name}' ({exc.strerror or exc}).") from None
    if path.is_dir():
        raise InputError(f"'{path.name}' is a folder, not a report.")
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

def _decode(data: bytes, name: str) -> str:
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))      # Notepad's 'Unicode'
    if data.startswith((b"PK\x03\x04", b"%PDF")) or (b"\x00" in data[:4096] and not utf16):
        raise InputError(f"'{name}' is not text (it looks like a binary file); give the "
                         "report's text, or the file with its own extension (.pdf, .docx).")
    text = decode_text(data)
    if text is None:
        raise InputError(f"'{name}' is not text in UTF-8 or Windows-1252; open it in Notepad "
                         "and save it with the encoding UTF-8.")
    return text


# A link's text and address hold no '[': each '[' starts a scan that stops at the next one,
# so a line of '[' is read once, not once from each (tests/test_patterns.py).
_MD_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()\[]|\([^()\[]*\))*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_TAG = re.compile(r"<[^>]{0,200}>")
_CHECKED = re.compile(r"<input\b[^<>]*\bchecked\b[^<>]*>", re.I)     # a ticked box, as ☒
_UNCHECKED = re.compile(r"<input\b[^<>]*type=.?checkbox[^<>]*>", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•▪◦·‣–]|\u2022)\s+")
_RULE = re.compile(r"^\s*+(?:[-=_*]{3,}|\|?(?:\s*+:?-{2,}:?\s*+\|)+\s*+:?-*:?\s*+)$")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?\s*$", re.I)
_ENDS_SENTENCE = re.compile(r"(?:[.:;!?)\]\"'’”]|;\s*(?:and|or))\s*$")   # '...; and' ends a list's entry


def _clean_line(line: str) -> tuple[str, bool, bool]:
    """(text, heading, bullet) of one line, markdown marks dropped."""
    heading = bool(_MD_HEADING.match(line))
    s = _MD_HEADING.sub("", line)
    bullet = bool(_BULLET.match(s))
    s = _BULLET.sub("", s)
    s = _MD_LINK.sub(r"\1", s)
    s = _CHECKED.sub("☒ ", s)
    s = _UNCHECKED.sub("☐ ", s)
    s = _TAG.sub(" ", s)
    s = s.replace("**", "").replace("__", "")
    s = re.sub(r"\s+", " ", s).strip()
    return s, heading, bullet


def lines_to_blocks(lines: list[str], pages: bool = False) -> list[Block]:
    """Lines (pasted text, or a PDF's) as paragraphs: wrapped lines joined. ``pages``: the
    lines are a PDF's, whose lone numbers are page numbers (in pasted text, a tracker's
    item numbers), dropped so a paragraph carries on over the page."""
    cleaned: list = []          # (text, heading, bullet) per line; None where a paragraph ends
    for raw in lines:
        if pages and _PAGE_NUMBER.match(raw):
            continue
        if not raw.strip() or _RULE.match(raw):
            cleaned.append(None)
        elif raw.count("|") >= 2:
            # a table's row, as a page's table pastes: each cell its own paragraph
            cleaned.append(None)
            for cell in raw.strip().strip("|").split("|"):
                if cell.strip():
                    cleaned += [_clean_line(cell), None]
        else:
            cleaned.append(_clean_line(raw))
    lengths = sorted(len(c[0]) for c in cleaned if isinstance(c, tuple) and c[0])
    usual = lengths[int(len(lengths) * 0.9)] if lengths else 0
    blocks: list[Block] = []
    current: list[str] = []
    flags = (False, False)

    def flush():
        nonlocal current
        if current:
            text = current[0]
            for line in current[1:]:
                # 'victim-' + 'blaming' is one word broken at the line's end
                text += line if re.search(r"[a-z]-$", text) and line[:1].islower() else \
                    " " + line
            blocks.append(Block(text, *flags))
        current = []

    for c in cleaned:
        if c is None:
            flush()
            continue
        text, heading, bullet = c
        if not text:
            continue
        if current and not heading and not bullet and not flags[0] and _continues(current[-1],
                                                                                   text, usual):
            current.append(text)
            continue
        flush()
        current, flags = [text], (heading, bullet)
    flush()
    return blocks


# a line that starts something of its own: 'Published: ...', 'Recommendation 2', 'Area for ...',
# or a number on its own (a tracker's item number)
_STARTS = re.compile(r"^(?:[A-Z][A-Za-z’' ]{1,40}:\s|(?:Recommendations?|Areas? for improvement|"
                     r"(?:Accelerated )?[Cc]auses? (?:of|for) concern)\b|\d{1,3}$)")


def _continues(previous: str, line: str, usual: int) -> bool:
    """Is ``line`` the rest of a paragraph that ``previous`` wrapped?"""
    if _ENDS_SENTENCE.search(previous) or _STARTS.match(line) or previous.isdecimal():
        return False
    if previous.endswith(("-", ",")) or line[:1].islower():
        return True
    return usual >= 40 and len(previous) >= 0.6 * usual


def _text_blocks(data: bytes, name: str) -> list[Block]:
    return lines_to_blocks(_decode(data, name).splitlines())


# ---------------------------------------------------------------- a saved web page

_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr",
               "section", "article", "blockquote", "dt", "dd", "br", "ul", "ol", "table",
               "caption", "figcaption", "summary", "details", "aside", "main", "title",
               "pre", "hr"}
_SKIP_TAGS = {"script", "style", "nav", "noscript", "form", "button", "select", "svg",
              "template", "iframe", "object", "head"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.title = ""
        self._text: list[str] = []
        self._skip = 0
        self._heading = 0
        self._bullet = 0
        self._in_title = False
        self._flags = (False, False)

    def _flush(self):
        text = re.sub(r"\s+", " ", "".join(self._text)).strip()
        if text:
            self.blocks.append(Block(text, *self._flags))
        self._text = []

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
            return
        if tag in _SKIP_TAGS:
            self._skip += 1
            return
        if tag == "input" and not self._skip:
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
            self._flags = (self._heading > 0, self._bullet > 0)

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr"):
            self._flush()
        elif tag == "input":
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
            return
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
            return
        if tag in _BLOCK_TAGS:
            self._flush()
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self._heading = max(0, self._heading - 1)
            if tag == "li":
                self._bullet = max(0, self._bullet - 1)
            self._flags = (self._heading > 0, self._bullet > 0)

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self._text.append(data)


def _html_blocks(data: bytes, name: str) -> list[Block]:
    text = _decode(data, name)
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
        blocks.insert(0, Block(title, heading=True))
    return blocks


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
        lines: list[str] = []
        for page in reader.pages:
            lines.extend(page.extract_text().splitlines())
            lines.append("")
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"'{name}' is not a PDF add-report can read "
                         f"({type(exc).__name__}); it may be damaged.") from None
    return lines_to_blocks(lines, pages=True)


def _check_zip(data: bytes, name: str) -> None:
    """A Word file is a zip: refuse one that would unpack to far more than any document
    (a zip bomb), from the sizes its directory declares, before anything unpacks it."""
    import io
    import zipfile

    from gain_workbook.sniff import MAX_PART, zip_bomb

    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError):
        return                        # python-docx says it is not a document
    if why := zip_bomb(infos, "report", most=MAX_PART):
        raise InputError(f"Cannot read '{name}': {why}")


def _docx_blocks(data: bytes, name: str) -> list[Block]:
    import io
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_zip(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"'{name}' is not a Word document add-report can read "
                         f"({type(exc).__name__}); it may be damaged, or a .doc renamed.") \
            from None
    except Exception as exc:
        raise InputError(f"'{name}' is not a Word document add-report can read "
                         f"({type(exc).__name__}).") from None
    blocks: list[Block] = []

    def add(par: Paragraph):
        text = re.sub(r"\s+", " ", par.text).strip()
        if not text:
            return
        style = (par.style.name if par.style is not None else "") or ""
        heading = style.startswith(("Heading", "Title"))
        ppr = par._p.pPr
        bullet = style.startswith("List") or (ppr is not None and ppr.numPr is not None)
        blocks.append(Block(text, heading, bullet and not heading))

    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            add(Paragraph(child, document))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                for cell in row.cells:
                    for par in cell.paragraphs:
                        add(par)
    return blocks
