"""The PCC's response as a Word document, for the office to edit the final words in Word.

Lays out the blocks of ``response.document`` with python-docx (the well-kept library
for .docx; Word's format is too large to write by hand safely): headings, the
inspection details as a borderless table with ☒ / ☐ boxes, recommendations, the
force's response, the PCC's response and the office-use boxes; one inspection per
page run, A4 portrait.

Register text only ever goes into runs as text (python-docx escapes it), so it never
becomes a field, a hyperlink or markup. The only fields are our own page numbers.
The file is repeatable: fixed core properties (dated the as-of day) and fixed zip
entry times, written atomically.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from gain_workbook.core.files import atomic_path
from gain_workbook.response.document import document_title, grouped, heading_level

NAVY, RED, GREY = (0x1F, 0x38, 0x64), (0x9C, 0x00, 0x06), (0x40, 0x40, 0x40)
BLACK = (0x0B, 0x0C, 0x0C)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
LABEL_CM, VALUE_CM = 5.2, 5.9


def _field(paragraph, code: str) -> None:
    """One of our own simple fields (PAGE, NUMPAGES) in a paragraph."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _page_size(doc):
    """A4 portrait with our margins (tables are laid out to the width between them)."""
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.0)
    sec.top_margin, sec.bottom_margin = Cm(2.0), Cm(1.8)
    return sec


LANGUAGE = "en-GB"
# Word's own heading styles, so that Word's navigation pane, a screen reader and the
# tagged PDF (H1 to H4) see the outline: (size, capitals, space before, after)
HEADINGS = {1: (14, True, 0, 8), 2: (12, True, 14, 6), 3: (10.5, False, 10, 3),
            4: (10.5, False, 8, 3)}


def _plain_font(style, size: float, color=None, bold=None, caps=None, italic=False) -> None:
    """Arial at ``size`` for a style, the template's theme fonts and colours taken off
    (a theme font would win over the name in Word; its heading blue is 3.9:1 on white,
    under the 4.5:1 that WCAG asks)."""
    font = style.font
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for attr in list(fonts.attrib):
            if attr.endswith("Theme") or attr.endswith("theme"):
                del fonts.attrib[attr]
    color_el = rpr.find(qn("w:color"))
    if color_el is not None:
        rpr.remove(color_el)
    font.name = "Arial"
    font.size = Pt(size)
    if color is not None:
        font.color.rgb = RGBColor(*color)
    if bold is not None:
        font.bold = bold
    if caps is not None:
        font.all_caps = caps
    font.italic = italic


def _language(doc) -> None:
    """English (UK) for the whole document: the defaults every style inherits, so the
    spelling checker, a screen reader's voice and the PDF's /Lang all say en-GB."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _plain_font(normal, 10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for level, (size, caps, before, after) in HEADINGS.items():
        style = doc.styles[f"Heading {level}"]
        _plain_font(style, size, NAVY if level < 3 else BLACK, bold=True, caps=caps)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.keep_with_next = True
    _language(doc)


def _page_setup(doc, marking: str, working: bool, as_of) -> None:
    sec = _page_size(doc)
    _styles(doc)
    if marking or working:
        head = sec.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = head.add_run(marking)
        run.bold = True
        if working:
            head.add_run(f"    Working copy, as at {as_of:%d/%m/%Y}")
    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if marking:
        foot.add_run(marking + "    ").bold = True
    foot.add_run("Page ")
    _field(foot, "PAGE")
    foot.add_run(" of ")
    _field(foot, "NUMPAGES")


def _borderless(table) -> None:
    props = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    props.append(borders)


DETAIL_HEADERS = ("Detail", "Value")


def _header_row(row) -> None:
    """Mark a table's row as its header row, repeated at the top of each page it runs to
    (and tagged as header cells in the PDF)."""
    props = row._tr.get_or_add_trPr()
    head = OxmlElement("w:tblHeader")
    props.append(head)
    cant = OxmlElement("w:cantSplit")
    props.append(cant)


def _details(doc, blocks) -> None:
    """Consecutive field and boxes blocks as one borderless three-column table, under a
    header row (Detail, Value) that repeats on each page."""
    rows = [(DETAIL_HEADERS[0], DETAIL_HEADERS[1], None, True)]
    for blk in blocks:
        if blk.kind == "field":
            rows.append((blk.text, blk.value, None, blk.bold))
        else:
            vals = list(blk.values)
            for i in range(0, len(vals), 2):
                pair = vals[i:i + 2] + [""] * (2 - len(vals[i:i + 2]))
                rows.append((blk.text if i == 0 else "", pair[0], pair[1], False))
    table = doc.add_table(rows=len(rows), cols=3)
    _borderless(table)
    _header_row(table.rows[0])
    for r, (label, a, b, bold) in enumerate(rows):
        cells = table.rows[r].cells
        if b is None:
            cells[1].merge(cells[2])
        for cell, width in zip(table.rows[r].cells, (LABEL_CM, VALUE_CM, VALUE_CM)):
            cell.width = Cm(width)
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].add_run(a).bold = bold
        if b is not None:
            cells[2].paragraphs[0].add_run(b)
        for cell in (cells[0], cells[1]):
            cell.paragraphs[0].paragraph_format.space_after = Pt(3)
        if r == 0:
            for cell in (cells[0], cells[1]):
                cell.paragraphs[0].runs[0].font.color.rgb = RGBColor(*NAVY)
                _bottom_border(cell)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _bottom_border(cell) -> None:
    borders = OxmlElement("w:tcBorders")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "8"), ("space", "0"), ("color", "1F3864")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    cell._tc.get_or_add_tcPr().append(borders)


def _lines(paragraph, text: str, **run_props) -> None:
    for i, line in enumerate(text.split("\n")):
        if i:
            paragraph.add_run().add_break()
        run = paragraph.add_run(line)
        for k, v in run_props.items():
            if k == "color":
                run.font.color.rgb = RGBColor(*v)
            elif k == "size":
                run.font.size = Pt(v)
            else:
                setattr(run, k, v)


def _write_blocks(doc, resp, working: bool) -> None:
    # the style id is set on the paragraph directly: python-docx would scan every style
    # for each paragraph given a style by name or object
    bullet = doc.styles["List Bullet"].style_id
    more = doc.styles["List Continue"].style_id
    heading = {n: doc.styles[f"Heading {n}"].style_id for n in HEADINGS}
    for name, group in grouped(resp.blocks):
        if name == "details":
            _details(doc, group)
            continue
        blk = group[0]
        k = blk.kind
        level = heading_level(blk)
        if level:
            p = doc.add_paragraph()
            p._p.style = heading[min(level, max(HEADINGS))]
            _lines(p, blk.text)
        elif k == "bullet":
            # an item of several paragraphs: the first bulleted, the rest as paragraphs of
            # their own aligned with its text (List Continue), not line breaks
            first, *rest = blk.text.split("\n")
            p = doc.add_paragraph()
            p._p.style = bullet
            _lines(p, first)
            for part in rest:
                p = doc.add_paragraph()
                p._p.style = more
                _lines(p, part)
        elif k == "banner":
            p = doc.add_paragraph()
            _lines(p, blk.text, bold=True, color=RED)
        elif k == "gap":
            p = doc.add_paragraph()
            _lines(p, blk.text, italic=True, **({"bold": True, "color": RED} if working else {}))
        elif k in ("small", "status"):
            p = doc.add_paragraph()
            _lines(p, blk.text, italic=k == "status", size=9, color=GREY)
        elif k == "marking":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _lines(p, blk.text, bold=True, color=RED)
        else:
            p = doc.add_paragraph()
            _lines(p, blk.text)


def _repeatable(data: bytes) -> bytes:
    """The same package with every zip entry dated 1980-01-01, so the bytes repeat."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def write_docx(responses: list, settings, as_of: dt.date, out_path, working: bool = False) -> Path:
    """Write the responses as one Word document (a page break between them), atomically."""
    out_path = Path(out_path)
    marking = settings.protective_marking if working else settings.response_marking
    doc = docx.Document()
    _page_setup(doc, marking, working, as_of)
    body = doc.element.body
    end = body.find(qn("w:sectPr"))
    for n, resp in enumerate(responses):
        # python-docx finds the end of the body afresh for every paragraph it adds, so a
        # long document costs the square of its length: each response is written into
        # a document of its own (the same template, so the same styles and numbering)
        # and its body moved across
        part = docx.Document()
        _page_size(part)
        if n:
            part.add_page_break()
        _write_blocks(part, resp, working)
        for el in list(part.element.body):
            if el.tag != qn("w:sectPr"):
                end.addprevious(el)
    props = doc.core_properties
    day = dt.datetime(as_of.year, as_of.month, as_of.day)
    title = document_title(responses, working)
    # (Word's core properties hold 255 characters: a long report's title is cut there;
    # the document's own heading keeps it whole)
    props.title = title if len(title) <= 255 else title[:254].rstrip() + "…"
    props.language = LANGUAGE
    props.subject = marking
    props.author = "gain-workbook"
    props.last_modified_by = ""
    props.keywords = props.comments = props.category = ""
    props.created = props.modified = props.last_printed = day
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    with atomic_path(out_path) as tmp:
        Path(tmp).write_bytes(_repeatable(buf.getvalue()))
    return out_path
