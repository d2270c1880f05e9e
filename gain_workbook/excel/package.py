"""Edit an .xlsx/.xlsm package in place: change cells and add rows, and copy every part
not changed byte for byte.

openpyxl loads a whole workbook and writes it again, dropping what it does not model
(charts, pivot tables, images, shapes, form controls, slicers, VBA in an .xlsx...).
This module never does: a ``Package`` reads the zip, the caller says which cells to
set and which rows to add (``Sheet.set``, ``Sheet.append``, ``Sheet.add_column``,
``Package.add_sheet``), and ``Package.save`` writes a new zip in which

* every part not changed is copied as it was, its compressed bytes included;
* an edited worksheet is streamed twice, in chunks, never as a tree: once to survey it
  (where the table's last row is, its merged cells, its ranges), once to write it,
  copying every row not touched as it came and rewriting only the rows that change;
* the parts that must follow are changed as little as they can be: the shared strings
  (new text appended, ``count`` and ``uniqueCount`` kept true) or, in a workbook that
  has none, inline strings; ``styles.xml`` only when a date needs a date format or a
  new sheet a bold header; an Excel table (ListObject), an autofilter, data validations
  and conditional formats that cover a table grow with its new rows; a new sheet gets
  its part, relationship, content type and workbook entry; a formula overwritten
  drops ``calcChain.xml`` (Excel rebuilds it) and a workbook with formulas is marked to
  recalculate when opened (its cached results are stale once a value changes).

Every XML part read is checked by ``core.sniff.declares_entities`` before lxml sees it,
and lxml runs with entity expansion, DTDs and the network off. Every element this module
adds goes where the SpreadsheetML schema's sequence puts it (``SEQUENCES``), since
Excel rejects what LibreOffice forgives; ``order_problems`` checks a part against it.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from gain_workbook.core.errors import OutputError
from gain_workbook.core.sniff import declares_entities, markup_declarations, zip_bomb
from gain_workbook.core.text import CELL_LIMIT, fit_cell, xml_safe

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
X14_MAIN = "http://schemas.microsoft.com/office/excel/2009/9/main"
WORKSHEET_TYPE = REL + "/worksheet"
STYLES_TYPE = REL + "/styles"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
CHUNK = 4 * 1024 * 1024
RECENT = 64       # the sheet's last rows kept from the survey, back to the last with a value
# zlib's level for a part written: 6 (as Excel's files compress) for a part of ordinary
# size; 1 for a very big sheet (over BIG_PART bytes, about 20,000 rows), three times as
# fast to compress, for a part about a quarter bigger (Excel packs it again when it saves)
LEVEL, BIG_LEVEL, BIG_PART = 6, 1, 16 * 1024 * 1024
DATE_CODE = "DD/MM/YYYY"          # the date format given to a date written where none is
DEFAULT_WIDTH = 8.43              # Excel's column width when a sheet sets none

# The order of the children of each element this module writes into, from the
# SpreadsheetML schema (ECMA-376 Part 1, Annex A, sml.xsd: CT_Worksheet, CT_Workbook,
# CT_Stylesheet, CT_Sst, CT_Table, CT_Row, CT_Cell, ...). Elements of other namespaces
# (mc:AlternateContent, x14 extensions) may stand between them and are not ordered here.
SEQUENCES = {
    "worksheet": ("sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData",
                  "sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios",
                  "autoFilter", "sortState", "dataConsolidate", "customSheetViews",
                  "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations",
                  "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
                  "rowBreaks", "colBreaks", "customProperties", "cellWatches",
                  "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
                  "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                  "webPublishItems", "tableParts", "extLst"),
    "workbook": ("fileVersion", "fileSharing", "workbookPr", "workbookProtection",
                 "bookViews", "sheets", "functionGroups", "externalReferences",
                 "definedNames", "calcPr", "oleSize", "customWorkbookViews", "pivotCaches",
                 "smartTagPr", "smartTagTypes", "webPublishing", "fileRecoveryPr",
                 "webPublishObjects", "extLst"),
    "styleSheet": ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs",
                   "cellStyles", "dxfs", "tableStyles", "colors", "extLst"),
    "sst": ("si", "extLst"),
    "si": ("t", "r", "rPh", "phoneticPr"),
    "is": ("t", "r", "rPh", "phoneticPr"),
    "table": ("autoFilter", "sortState", "tableColumns", "tableStyleInfo", "extLst"),
    "tableColumn": ("calculatedColumnFormula", "totalsRowFormula", "xmlColumnPr", "extLst"),
    "autoFilter": ("filterColumn", "sortState", "extLst"),
    "sheetData": ("row",),
    "row": ("c", "extLst"),
    "c": ("f", "v", "is", "extLst"),
    "sheetViews": ("sheetView", "extLst"),
    "sheetView": ("pane", "selection", "pivotSelection", "extLst"),
    "cols": ("col",),
    "xf": ("alignment", "protection", "extLst"),
    "cellXfs": ("xf",),
    "fonts": ("font",),
    "numFmts": ("numFmt",),
    "sheets": ("sheet",),
    "definedNames": ("definedName",),
    "mergeCells": ("mergeCell",),
    "dataValidations": ("dataValidation",),
    "dataValidation": ("formula1", "formula2"),
    "conditionalFormatting": ("cfRule", "extLst"),
    "tableColumns": ("tableColumn",),
    "tableParts": ("tablePart",),
}


def _q(local: str, ns: str = MAIN) -> str:
    return f"{{{ns}}}{local}"


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def order_problems(root) -> list[str]:
    """Where an element's children (of the SpreadsheetML main namespace) break the order
    the schema's sequence for it requires, or are not in it: one line each ([] when
    the part is in order). ``root`` is a parsed part (lxml)."""
    out = []
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.tag.startswith("{" + MAIN + "}"):
            continue
        seq = SEQUENCES.get(_local(el.tag))
        if seq is None:
            continue
        at = -1
        for child in el:
            if not isinstance(child.tag, str) or not child.tag.startswith("{" + MAIN + "}"):
                continue
            name = _local(child.tag)
            if name not in seq:
                out.append(f"<{_local(el.tag)}> holds <{name}>, which its schema does not allow")
            elif seq.index(name) < at:
                out.append(f"<{_local(el.tag)}>: <{name}> comes after <{seq[at]}>")
            else:
                at = seq.index(name)
    return out


# ---------------------------------------------------------------- safe XML

def _parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_blank_text=False)


def parse_xml(data: bytes, part: str = "a part"):
    """A small part as an lxml tree, after the entity check every part gets."""
    from lxml import etree

    if declares_entities(data):
        raise OutputError(f"The workbook's part '{part}' declares XML entities, which Excel "
                          "never writes; it was not changed.")
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise OutputError(f"The workbook's part '{part}' is damaged ({exc}); open it in "
                          "Excel, save it and try again. Nothing was changed.") from None


def _serialise(root, declaration: bytes = DECLARATION) -> bytes:
    from lxml import etree

    return declaration + etree.tostring(root, encoding="UTF-8", xml_declaration=False)


def _declaration(data: bytes) -> bytes:
    """The part's own XML declaration (with what followed it), to write it back as it was."""
    m = re.match(rb"\A\s*+<\?xml[^<>]*+\?>\s*+", data)
    return m.group(0) if m else b""


def _insert_in_order(parent, child, sequence: tuple) -> None:
    """Put ``child`` among ``parent``'s children where the schema's sequence says."""
    rank = sequence.index(_local(child.tag))
    for i, el in enumerate(parent):
        name = _local(el.tag)
        if el.tag.startswith("{" + MAIN + "}") and name in sequence and \
                sequence.index(name) > rank:
            parent.insert(i, child)
            return
    ext = parent.find(_q("extLst"))
    if ext is not None and _local(child.tag) != "extLst":
        ext.addprevious(child)
    else:
        parent.append(child)


# ---------------------------------------------------------------- cell references

def col_number(letters) -> int:
    """'A' -> 1, 'AB' -> 28 (bytes or str)."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def col_letters(n: int) -> str:
    """1 -> 'A', 28 -> 'AB'."""
    s = ""
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(65 + rem) + s
    return s


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_COL = re.compile(r"^\$?([A-Za-z]{1,3})$")
_ROWREF = re.compile(r"^\$?(\d+)$")


@dataclass
class Box:
    """A range: rows and columns, 1-based and inclusive (None: the whole column/row)."""

    top: int | None
    left: int | None
    bottom: int | None
    right: int | None

    @classmethod
    def parse(cls, text: str) -> "Box | None":
        a, _, b = text.partition(":")
        b = b or a
        ma, mb = _REF.match(a), _REF.match(b)
        if ma and mb:
            r1, r2 = int(ma.group(2)), int(mb.group(2))
            c1, c2 = col_number(ma.group(1)), col_number(mb.group(1))
            return cls(min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))
        ca, cb = _COL.match(a), _COL.match(b)
        if ca and cb:                               # 'G:G': the whole column
            return cls(None, col_number(ca.group(1)), None, col_number(cb.group(1)))
        ra, rb = _ROWREF.match(a), _ROWREF.match(b)
        if ra and rb:                               # '3:5': whole rows
            return cls(int(ra.group(1)), None, int(rb.group(1)), None)
        return None

    def text(self, dollars: bool = False) -> str:
        d = "$" if dollars else ""
        a = f"{d}{col_letters(self.left)}{d}{self.top}"
        b = f"{d}{col_letters(self.right)}{d}{self.bottom}"
        return a if a == b and not dollars else f"{a}:{b}"

    def holds(self, row: int, col: int) -> bool:
        return (self.top is None or self.top <= row <= self.bottom) and \
            (self.left is None or self.left <= col <= self.right)


@dataclass
class Growth:
    """Rows added below a block of a sheet: its header row, its columns, the last row it
    had and the last row it has now. Ranges that covered the block grow with it."""

    header_row: int
    columns: tuple
    last: int
    new_last: int

    def grows(self, box: Box | None, top_at_most: int) -> bool:
        """Does this range cover the block down to its last row, so that it should
        reach the new last row too?"""
        if box is None or box.top is None or box.left is None:
            return False                            # whole columns grow by themselves
        if not any(box.left <= c <= box.right for c in self.columns):
            return False
        return box.top <= top_at_most and box.bottom >= max(self.last, top_at_most) and \
            box.bottom < self.new_last


# ---------------------------------------------------------------- values as cells

_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def cell_text(value: str) -> str:
    """Text as a cell stores it: what XML cannot hold removed, and a literal '_x0041_'
    escaped (Excel would read it as the character it names)."""
    return _OOXML_ESCAPE.sub(r"_x005F_\1", xml_safe(value))


def _text_xml(text: str, p: bytes) -> bytes:
    from xml.sax.saxutils import escape

    body = escape(cell_text(text)).encode("utf-8")
    space = b' xml:space="preserve"' if text != text.strip() or "\n" in text else b""
    return b"<" + p + b"t" + space + b">" + body + b"</" + p + b"t>"


def date_serial(day: dt.date, date1904: bool = False) -> int:
    """A date as Excel's serial number (days since 1899-12-30, or 1904-01-01)."""
    epoch = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
    if isinstance(day, dt.datetime):
        day = day.date()
    return (day - epoch).days


_FMT_NOISE = re.compile(r'"[^"]*+"|\\.|_.|\*.|\[[^\[\]]*+\]')
BUILTIN_DATES = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | \
    set(range(50, 59))


def is_date_code(code: str) -> bool:
    """Does a number format show a date (days, months or years)?"""
    if not code or code.strip().lower() == "general":
        return False
    return bool(re.search(r"[dDyY]", _FMT_NOISE.sub("", code.split(";")[0])))


# ---------------------------------------------------------------- the zip, in and out

def _dos_time(date_time) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    return (h << 11) | (mi << 5) | (s // 2), ((max(y, 1980) - 1980) << 9) | (mo << 5) | d


class _ZipOut:
    """A zip written entry by entry: copies of the original's entries (compressed bytes
    and all) and new deflated ones. No data descriptors, no zip64 (a register is far
    below 4 GB; sniff refuses one that would unpack past 2 GB)."""

    LOCAL = struct.Struct("<4sHHHHHIIIHH")
    CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
    END = struct.Struct("<4sHHHHIIH")

    def __init__(self, fh):
        self.fh = fh
        self.central: list[bytes] = []

    def add(self, name: str, raw: bytes, crc: int, size: int, method: int, like=None) -> None:
        """One entry: ``raw`` as stored (deflated or not), with its CRC and full size."""
        encoded = name.encode("utf-8")
        flags = 0x800 if not name.isascii() else 0
        date_time, made, needed, attrs = (1980, 1, 1, 0, 0, 0), 20, 20, 0
        if like is not None:
            flags |= like.flag_bits & ~(0x08 | 0x800 | 0x01)
            date_time, attrs = like.date_time, like.external_attr
            made = (like.create_system << 8) | like.create_version
            needed = max(like.extract_version, 20)
        if max(len(raw), size, self.fh.tell()) >= 0xFFFFFFFF or len(self.central) >= 0xFFFF:
            raise OutputError("The workbook is too big to be written in place (over 4 GB); "
                              "nothing was changed.")
        tm, dd = _dos_time(date_time)
        offset = self.fh.tell()
        self.fh.write(self.LOCAL.pack(b"PK\x03\x04", needed, flags, method, tm, dd, crc,
                                      len(raw), size, len(encoded), 0) + encoded)
        self.fh.write(raw)
        self.central.append(self.CENTRAL.pack(
            b"PK\x01\x02", made, needed, flags, method, tm, dd, crc, len(raw), size,
            len(encoded), 0, 0, 0, 0, attrs, offset) + encoded)

    def deflated(self, name: str, data: bytes, like=None) -> None:
        c = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        self.add(name, c.compress(data) + c.flush(), zlib.crc32(data), len(data),
                 zipfile.ZIP_DEFLATED, like)

    def close(self) -> None:
        start = self.fh.tell()
        for entry in self.central:
            self.fh.write(entry)
        size = self.fh.tell() - start
        self.fh.write(self.END.pack(b"PK\x05\x06", 0, 0, len(self.central),
                                    len(self.central), size, start, 0))


class _Deflater:
    """Compresses a part as it is written, counting its CRC and size."""

    def __init__(self, level: int = LEVEL):
        self.z = zlib.compressobj(level, zlib.DEFLATED, -15)
        self.out = io.BytesIO()
        self.crc = 0
        self.size = 0

    def write(self, data: bytes) -> None:
        if data:
            self.crc = zlib.crc32(data, self.crc)
            self.size += len(data)
            self.out.write(self.z.compress(data))

    def finish(self) -> bytes:
        self.out.write(self.z.flush())
        return self.out.getvalue()


# ---------------------------------------------------------------- a worksheet's bytes

_ATTR = re.compile(rb'(?<![\w:.-])([\w:.-]++)\s*+=\s*+("[^"]*+"|\'[^\']*+\')')


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    """A start tag's attributes, in order: {name: value as written (unquoted)}."""
    return {k: v[1:-1] for k, v in _ATTR.findall(tag)}


def _tag(name: bytes, attrs: dict, close: bool = False) -> bytes:
    body = b"".join(b" " + k + b'="' + v.replace(b'"', b"&quot;") + b'"'
                    for k, v in attrs.items())
    return b"<" + name + body + (b"/>" if close else b">")


# The worksheet's elements, whatever prefix its main namespace has (none as Excel,
# LibreOffice and openpyxl write it; 'x:' from some generators). Inside <sheetData> every
# element is in that namespace, so any prefix found there is its prefix. Each pattern
# is linear on any bytes: a start tag's attributes stop at '<' or '>', and an element's
# content stops at the next start or end tag of its own name (rows, cells and formulas
# do not nest), so no start position scans past the next one.
_NS = rb"(?:[A-Za-z_][\w.-]*+:)?"
_ATTRS = rb"((?:[^<>/]++|/(?!>))*+)"
_ROW = re.compile(rb"<" + _NS + rb"row(?=[\s/>])" + _ATTRS + rb"(?:/>|>((?:[^<]++|<(?!/?" +
                  _NS + rb"row[\s/>]))*+)</" + _NS + rb"row>)")
_CELL = re.compile(rb"<" + _NS + rb"c(?=[\s/>])" + _ATTRS + rb"(?:/>|>((?:[^<]++|<(?!/?" +
                   _NS + rb"c[\s/>]))*+)</" + _NS + rb"c>)")
_FORMULA = re.compile(rb"<" + _NS + rb"f(?=[\s/>])" + _ATTRS + rb"(?:/>|>((?:[^<]++|<(?!/?" +
                      _NS + rb"f[\s/>]))*+)</" + _NS + rb"f>)")
_VALUE = re.compile(rb"<" + _NS + rb"(?:v>[^<]|f[\s>/]|t(?:\s[^<>]*+)?>[^<])")
_SHEET_DATA = re.compile(rb"<" + _NS + rb"sheetData(?=[\s/>])(?:[^<>/]++|/(?!>))*+(/?)>")
_EMPTY_SHEET_DATA = re.compile(rb"<" + _NS + rb"sheetData\s*+(?:/>|>\s*+</" + _NS +
                               rb"sheetData>)")
_ROW_START = re.compile(rb"<" + _NS + rb'row r="(\d+)"')
# a row or cell whose first attribute is not r (or that has none)
_UNPLACED = re.compile(rb"<" + _NS + rb'(?:row|c)(?=[\s/>])(?! r=")')
_CELL_COLUMN = re.compile(rb"<" + _NS + rb'c r="([A-Z]{1,3})\d')
_SST = re.compile(rb"<" + _NS + rb"sst(?=[\s>/])" + _ATTRS + rb"(/?)>")
_DIMENSION = re.compile(rb"<" + _NS + rb'dimension\s++ref="([^"<>]*+)"')


class _Syntax:
    """The bytes one sheet's XML writes its elements with, for the prefix its main
    namespace has (b'' as Excel, LibreOffice and openpyxl write it; b'x:' from some
    generators), and the patterns that find them."""

    row = _ROW
    cell = _CELL
    value = _VALUE
    formula = _FORMULA
    sheet_data = _SHEET_DATA
    unplaced = _UNPLACED

    def __init__(self, p: bytes):
        self.p = p
        self.row_open = b"<" + p + b"row"
        self.sheet_data_end = b"</" + p + b"sheetData>"
        self.row_r = b"<" + p + b'row r="'
        self.cell_r = b"<" + p + b'c r="'
        self.row_end = b"</" + p + b"row>"


_ROWNUM = re.compile(rb'\br="(\d+)"')
_LETTERS = re.compile(rb"[A-Za-z]{1,3}")
_CELLREF = re.compile(rb'\br="([A-Za-z]{1,3})(\d+)"')


@dataclass
class _OldCell:
    col: int
    attrs: dict
    inner: bytes | None
    raw: bytes


def _cells(syntax: _Syntax, row: bytes, r: int) -> list[_OldCell]:
    out = []
    for m in syntax.cell.finditer(row):
        attrs = _attrs(m.group(1))
        ref = attrs.get(b"r", b"")
        col = col_number(ref.rstrip(b"0123456789")) if ref else (out[-1].col + 1 if out else 1)
        out.append(_OldCell(col, attrs, m.group(2), m.group(0)))
    return out


def _normalise(syntax: _Syntax, rows: bytes, last_row: int) -> tuple[bytes, int]:
    """Rows whose <row> or <c> lack their r attribute (it is optional) given one, so
    that every row and cell says where it is; (rows, the last row number)."""
    out = []
    for m in syntax.row.finditer(rows):
        attrs = _attrs(m.group(1))
        r = int(attrs[b"r"]) if b"r" in attrs else last_row + 1
        last_row = r
        attrs = {b"r": str(r).encode(), **{k: v for k, v in attrs.items() if k != b"r"}}
        inner = m.group(2)
        if inner is None:
            out.append(_tag(syntax.p + b"row", attrs, close=True))
            continue
        col = 0
        pos = 0
        parts = []
        for c in syntax.cell.finditer(inner):
            parts.append(inner[pos:c.start()])
            pos = c.end()
            ca = _attrs(c.group(1))
            ref = ca.get(b"r")
            col = col_number(ref.rstrip(b"0123456789")) if ref else col + 1
            ca = {b"r": col_letters(col).encode() + str(r).encode(),
                  **{k: v for k, v in ca.items() if k != b"r"}}
            body = c.group(2)
            parts.append(_tag(syntax.p + b"c", ca, close=body is None) +
                         (body + b"</" + syntax.p + b"c>" if body is not None else b""))
        parts.append(inner[pos:])
        out.append(_tag(syntax.p + b"row", attrs) + b"".join(parts) + b"</" + syntax.p + b"row>")
    return b"".join(out), last_row


def _in_order(syntax: _Syntax, rows: bytes) -> bool:
    """Does every row and cell in these rows carry its r attribute, first?"""
    return syntax.unplaced.search(rows) is None


def _last_row_start(syntax: _Syntax, buf: bytes, end: int | None = None) -> int:
    """Where the last <row starts in buf (before ``end``), or -1."""
    end = len(buf) if end is None else end
    while True:
        at = buf.rfind(syntax.row_open, 0, end)
        if at == -1:
            return -1
        nxt = buf[at + len(syntax.row_open):at + len(syntax.row_open) + 1]
        if nxt in (b" ", b">", b"/", b"\t", b"\n", b"\r"):
            return at
        end = at


class _SheetStream:
    """A worksheet part read in chunks: its head (to the <sheetData> start tag), its
    rows in runs of whole rows (each row and cell with its r attribute), and its tail
    (from </sheetData>)."""

    def __init__(self, chunks, syntax: _Syntax, placed: bool = False):
        self.chunks = chunks
        self.syntax = syntax
        self.placed = placed            # known already: every row and cell says where it is
        self.normalised = False         # some rows or cells did not say where they are
        self.head = b""
        self.tail = b""

    def runs(self):
        """Yield runs of whole rows; ``head`` is set before the first, ``tail`` after the
        last."""
        s = self.syntax
        buf = b""
        it = iter(self.chunks)
        for chunk in it:
            buf += chunk
            m = s.sheet_data.search(buf)
            if m:
                break
        else:
            raise OutputError("A sheet of the workbook has no cells part (<sheetData>); "
                              "nothing was changed.")
        name = s.p + b"sheetData"
        self.head = buf[:m.start()] + b"<" + name + b">"
        buf = buf[m.end():]
        if m.group(1):                          # <sheetData/>: no rows
            self.tail = b"</" + name + b">" + buf + b"".join(it)
            return
        last = 0

        def more():
            yield None                          # what is in buf already
            yield from it
            yield b""                           # the end
        for chunk in more():
            if chunk:
                buf += chunk
            # </sheetData> comes after every row: look for it only after the last row's
            # start (a search through megabytes of '<' for a tag ending in '>' is slow)
            last_row = _last_row_start(s, buf)
            end = buf.find(s.sheet_data_end, max(last_row, 0))
            if end != -1:
                rows, self.tail = buf[:end], buf[end:] + b"".join(it)
            else:
                cut = _last_row_start(s, buf)
                if cut <= 0:
                    if chunk == b"":
                        raise OutputError("A sheet of the workbook is cut short (no "
                                          "</sheetData>); nothing was changed.")
                    continue
                rows, buf = buf[:cut], buf[cut:]
            if rows.strip():
                if not self.placed and not _in_order(s, rows):
                    rows, last = _normalise(s, rows, last)
                    self.normalised = True
                else:
                    at = rows.rfind(s.row_r)
                    last = int(_ROWNUM.match(rows, at + len(s.row_r) - 3).group(1))
                yield rows
            if end != -1:
                return


def _rows_of(syntax: _Syntax, run: bytes):
    """(row number, row bytes) of each row in a run."""
    for m in syntax.row.finditer(run):
        yield int(_ROWNUM.search(m.group(1)).group(1)), m.group(0)


# ---------------------------------------------------------------- shared strings, styles

class _Strings:
    """New text for cells: shared strings when the workbook has a shared-strings part,
    else inline strings (as a workbook that uses only them, e.g. xlsxwriter's
    constant-memory ones, keeps)."""

    def __init__(self, pkg: "Package", part: str | None):
        self.pkg, self.part = pkg, part
        self.new: list[str] = []
        self.index: dict[str, int] = {}
        self.delta = 0                 # references added less references removed
        self._base: int | None = None
        self._p = b""

    @property
    def shared(self) -> bool:
        return self.part is not None

    def base(self) -> int:
        """How many strings the part holds (counted, not taken from uniqueCount)."""
        if self._base is None:
            n, tail, tags = 0, b"", None
            for chunk in self.pkg.inflate(self.part):
                if tags is None:
                    m = re.search(rb"<(\w+:)?sst[\s>/]", chunk)
                    self._p = (m.group(1) or b"") if m else b""
                    tags = (b"<" + self._p + b"si>", b"<" + self._p + b"si ")
                # a tag cut by the chunk's edge is counted in tail + chunk; one wholly in
                # the tail was counted with the chunk before, so is taken off
                data = tail + chunk
                tail = data[-8:]
                n += sum(data.count(t) - tail.count(t) for t in tags)
            self._base = n + sum(tail.count(t) for t in (tags or ()))
        return self._base

    def ref(self, text: str) -> int:
        self.delta += 1
        if text not in self.index:
            self.index[text] = self.base() + len(self.new)
            self.new.append(text)
        return self.index[text]

    def changed(self) -> bool:
        return self.shared and (bool(self.new) or self.delta != 0)

    def write(self, out: _Deflater) -> None:
        """The part again, with its counts made true and the new strings at its end."""
        self.base()
        p = self._p
        added = b"".join(b"<" + p + b"si>" + _text_xml(t, p) + b"</" + p + b"si>"
                         for t in self.new)
        buf = b""
        started = False
        end_si = b"</" + p + b"si>"
        for chunk in self.pkg.inflate(self.part):
            buf += chunk
            if not started:
                m = _SST.search(buf)
                if not m:
                    continue
                attrs = _attrs(m.group(1))
                if b"count" in attrs:
                    attrs[b"count"] = str(max(0, int(attrs[b"count"]) + self.delta)).encode()
                if b"uniqueCount" in attrs or self.new:
                    attrs[b"uniqueCount"] = str(self._base + len(self.new)).encode()
                if m.group(2):                      # <sst/>: empty
                    out.write(buf[:m.start()] + _tag(p + b"sst", attrs) + added +
                              b"</" + p + b"sst>" + buf[m.end():])
                    buf, added = b"", b""
                    started = True
                    continue
                out.write(buf[:m.start()] + _tag(p + b"sst", attrs))
                buf = buf[m.end():]
                started = True
            at = buf.rfind(end_si)
            if at != -1:
                out.write(buf[:at + len(end_si)])
                buf = buf[at + len(end_si):]
        out.write(added + buf if buf else b"")
        if not buf and added:
            raise OutputError("The workbook's shared strings are damaged; nothing was "
                              "changed.")


class _Styles:
    """The workbook's cell formats (styles.xml), parsed when first needed; new formats
    are added (a date format on a cell's own style, a bold header), never changed."""

    def __init__(self, pkg: "Package", part: str | None):
        self.pkg, self.part = pkg, part
        self._root = None
        self.dirty = False
        self._derived: dict = {}

    @property
    def root(self):
        if self._root is None:
            if self.part is None:
                self._root = parse_xml(
                    f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/>'
                    '<name val="Calibri"/></font></fonts><fills count="2"><fill>'
                    '<patternFill patternType="none"/></fill><fill><patternFill '
                    'patternType="gray125"/></fill></fills><borders count="1"><border>'
                    '<left/><right/><top/><bottom/><diagonal/></border></borders>'
                    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
                    'borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" '
                    'fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles '
                    'count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
                    '</cellStyles></styleSheet>'.encode(), "styles")
            else:
                self._root = parse_xml(self.pkg.read(self.part), self.part)
        return self._root

    def _list(self, name: str) -> list:
        el = self.root.find(_q(name))
        return [] if el is None else el.findall(_q("font" if name == "fonts" else "xf"))

    def xf(self, s: int | None):
        xfs = self._list("cellXfs")
        s = s or 0
        return xfs[s] if 0 <= s < len(xfs) else None

    def code(self, fmt_id: int) -> str:
        if fmt_id in BUILTIN_DATES:
            return "d/m/yyyy"
        el = self.root.find(_q("numFmts"))
        for nf in (el if el is not None else []):
            if nf.get("numFmtId") == str(fmt_id):
                return nf.get("formatCode", "")
        return ""

    def is_date(self, s: int | None) -> bool:
        xf = self.xf(s)
        return xf is not None and is_date_code(self.code(int(xf.get("numFmtId", "0"))))

    def wraps(self, s: int | None) -> bool:
        xf = self.xf(s)
        al = xf.find(_q("alignment")) if xf is not None else None
        return al is not None and al.get("wrapText") in ("1", "true")

    def derive(self, s: int | None, date: bool = False, bold: bool = False,
               like: int | None = None) -> int:
        """A format like ``s`` but showing a date (in the number format of format
        ``like``, else one of the workbook's date formats, else DD/MM/YYYY), or bold: its
        index. One the workbook has already is used; a new one is added only if none."""
        key = (s or 0, date, bold, like)
        if key in self._derived:
            return self._derived[key]
        base = self.xf(s)
        new = copy.deepcopy(base) if base is not None else \
            self.root.makeelement(_q("xf"), {"numFmtId": "0", "fontId": "0", "fillId": "0",
                                             "borderId": "0", "xfId": "0"})
        if bold:
            new.set("fontId", str(self._bold_font(int(new.get("fontId", "0")))))
            new.set("applyFont", "1")
        found = None
        if date:
            model = self.xf(like) if like is not None else None
            if model is not None:
                new.set("numFmtId", model.get("numFmtId", "0"))
            else:                               # a date format of the workbook's, on this look
                found = next((i for i, xf in enumerate(self._list("cellXfs"))
                              if _look(xf) == _look(new) and self.is_date(i)), None)
                if found is None:
                    new.set("numFmtId", str(self._date_format()))
            new.set("applyNumberFormat", "1")
        if found is None:
            found = next((i for i, xf in enumerate(self._list("cellXfs"))
                          if _look(xf, True) == _look(new, True)), None)
        if found is None:
            xfs_el = self.root.find(_q("cellXfs"))
            xfs_el.append(new)
            xfs_el.set("count", str(len(xfs_el.findall(_q("xf")))))
            self.dirty = True
            found = len(xfs_el.findall(_q("xf"))) - 1
        self._derived[key] = found
        return found

    def _date_format(self) -> int:
        fmts = self.root.find(_q("numFmts"))
        if fmts is None:
            fmts = self.root.makeelement(_q("numFmts"), {"count": "0"})
            _insert_in_order(self.root, fmts, SEQUENCES["styleSheet"])
        ids = [163]
        for nf in fmts.findall(_q("numFmt")):
            if nf.get("formatCode", "").upper() == DATE_CODE:
                return int(nf.get("numFmtId"))
            ids.append(int(nf.get("numFmtId", "0")))
        new_id = max(ids) + 1
        fmts.append(fmts.makeelement(_q("numFmt"), {"numFmtId": str(new_id),
                                                    "formatCode": DATE_CODE}))
        fmts.set("count", str(len(fmts.findall(_q("numFmt")))))
        self.dirty = True
        return new_id

    def _bold_font(self, font_id: int) -> int:
        """The font like ``font_id`` in bold: the workbook's own if it has it."""
        fonts_el = self.root.find(_q("fonts"))
        fonts = fonts_el.findall(_q("font"))
        new = copy.deepcopy(fonts[font_id]) if font_id < len(fonts) else \
            fonts_el.makeelement(_q("font"), {})
        if new.find(_q("b")) is None:
            new.insert(0, new.makeelement(_q("b"), {}))
        same = next((i for i, f in enumerate(fonts) if _shape(f) == _shape(new)), None)
        if same is not None:
            return same
        fonts_el.append(new)
        fonts_el.set("count", str(len(fonts) + 1))
        self.dirty = True
        return len(fonts)


def _shape(el) -> tuple:
    """An element as what it says: its attributes and its children's, in any order."""
    return (_local(el.tag), tuple(sorted(el.attrib.items())),
            tuple(sorted(_shape(c) for c in el if isinstance(c.tag, str))))


def _look(xf, with_format: bool = False) -> tuple:
    """What a cell format shows (font, fill, border, alignment...; the number format
    too if asked), not its apply flags."""
    keys = ("fontId", "fillId", "borderId", "xfId") + (("numFmtId",) if with_format else ())
    return (tuple(xf.get(k, "0") for k in keys), xf.get("quotePrefix", "0") in ("1", "true"),
            tuple(sorted(_shape(c) for c in xf if isinstance(c.tag, str))))


# ---------------------------------------------------------------- one sheet's edits

@dataclass(frozen=True)
class Formula:
    """A formula for a cell (an Excel table's calculated column, filled into its new
    rows), as the workbook stores it: no leading '='."""

    text: str


@dataclass
class _Put:
    value: object
    style: int | None = None        # the format to give it (None: keep the cell's own)


@dataclass
class _Survey:
    syntax: _Syntax
    declaration: bytes
    head: bytes
    tail: bytes
    max_row: int = 0
    trail: list = field(default_factory=list)     # (r, bytes): the last rows (see RECENT)
    formulas: bool = False
    root: object = None                             # head + tail, parsed (no rows)
    placed: bool = False                            # every row and cell has its r, first


class Sheet:
    """The edits to one worksheet: cells to set, rows added, columns added."""

    def __init__(self, pkg: "Package", name: str, part: str, template: bytes | None = None):
        self.pkg, self.name, self.part = pkg, name, part
        self.template = template                    # a new sheet's XML (no part yet)
        self.puts: dict[int, dict[int, _Put]] = {}
        self.heights: dict[int, float] = {}
        self.growths: list[Growth] = []
        self.new_columns: list[tuple[int, int, str]] = []    # (header row, column, header)
        self._survey: _Survey | None = None
        self._max_col: int | None = None
        self.widen = False            # a column may be added: find the rightmost in the survey
        self._merged: list | None = None
        self.formula_removed = False
        self.has_formulas = False

    # -- what the sheet holds
    def _stream(self) -> _SheetStream:
        """The sheet read again (after the survey: knowing whether its rows say where
        they are, and that it is safe)."""
        return _SheetStream(self._chunks(check=False), self.survey.syntax, self.survey.placed)

    def _chunks(self, check: bool = True):
        if self.template is not None:
            yield self.template
        else:
            yield from self.pkg.inflate(self.part, check)

    @property
    def survey(self) -> _Survey:
        """The first pass over the sheet: its head and tail, its last row, and the rows
        from the last one holding a value on (where rows are added)."""
        if self._survey is None:
            first = b""
            chunks = self._chunks()
            for chunk in chunks:
                first += chunk
                if re.search(rb"<(\w+:)?worksheet[\s>]", first) or len(first) > 65536:
                    break
            m = re.search(rb"<(\w+:)?worksheet[\s>]", first)
            if not m:
                raise OutputError(f"The sheet '{self.name}' is not a worksheet part; nothing "
                                  "was changed.")
            syntax = _Syntax(m.group(1) or b"")

            def again():
                yield first
                yield from chunks
            stream = _SheetStream(again(), syntax)
            survey = _Survey(syntax, _declaration(first), b"", b"")
            trail: list = []
            claim = None
            for run in stream.runs():
                if self.part in self.pkg.cdata:
                    raise OutputError(f"The sheet '{self.name}' keeps text in CDATA sections, "
                                      "which gain-pack does not write into; open the workbook "
                                      "in Excel, save it and try again. Nothing was changed.")
                if self.widen and claim is None:
                    claim = _Claim(stream.head, syntax)
                if claim is not None:
                    claim.check(run)
                survey.formulas = survey.formulas or _has_formula(run, syntax.p)
                at = run.rfind(syntax.row_r)
                survey.max_row = max(survey.max_row, int(
                    _ROWNUM.match(run, at + len(syntax.row_r) - 3).group(1)))
                # the run's last rows: RECENT of them, and back to one holding a value
                end, cut, valued, seen = len(run), len(run), False, 0
                while (start := _last_row_start(syntax, run, end)) != -1:
                    cut, seen = start, seen + 1
                    valued = valued or syntax.value.search(run, start, end) is not None
                    if valued and seen >= RECENT:
                        break
                    end = start
                trail += list(_rows_of(syntax, run[cut:]))
                last_valued = next((i for i in range(len(trail) - 1, -1, -1)
                                    if syntax.value.search(trail[i][1])), 0)
                trail = trail[max(0, min(last_valued, len(trail) - RECENT)):]
            survey.head, survey.tail, survey.trail = stream.head, stream.tail, trail
            survey.placed = not stream.normalised
            if claim is not None and claim.holds() and survey.placed:
                self._max_col = claim.right
            survey.root = parse_xml(stream.head + stream.tail, self.part or self.name)
            self.has_formulas = survey.formulas
            self._survey = survey
        return self._survey

    def merged(self) -> list[Box]:
        """The sheet's merged cells."""
        if self._merged is None:
            el = self.survey.root.find(_q("mergeCells"))
            boxes = [Box.parse(m.get("ref", "")) for m in (el if el is not None else [])]
            self._merged = [b for b in boxes if b is not None]
        return self._merged

    def merged_at(self, row: int, col: int) -> str | None:
        """The merged range a cell lies inside but does not start (it cannot be written
        there: only the top-left cell of merged cells holds a value), else None."""
        for box in self.merged():
            if box.holds(row, col) and (row, col) != (box.top, box.left):
                return box.text()
        return None

    def max_column(self) -> int:
        """The rightmost column any cell of the sheet reaches (styled or not)."""
        self.survey                                 # (which finds it, when asked to widen)
        if self._max_col is None and not self._max_col_claimed():
            syntax = self.survey.syntax
            most = 0
            start = len(syntax.cell_r)
            for run in self._stream().runs():
                # cells are in column order in a row: its last cell is its rightmost
                end = run.find(syntax.row_end)
                while end != -1:
                    at = run.rfind(syntax.cell_r, 0, end)
                    if at != -1:
                        letters = _LETTERS.match(run, at + start)
                        most = max(most, col_number(letters.group(0)) if letters else 0)
                    end = run.find(syntax.row_end, end + 1)
            self._max_col = max([most] + [c for _, c, _ in self.new_columns] +
                                [c for cols in self.puts.values() for c in cols])
        return self._max_col

    def _max_col_claimed(self) -> int:
        """The sheet's rightmost column as its <dimension> says, when a cell is in that
        column and none beyond it (two searches per run, not a look at every row); else
        0. Found in the survey when the sheet was opened to widen it."""
        if self._max_col is not None:
            return self._max_col
        if not self.survey.placed:
            return 0
        claim = _Claim(self.survey.head, self.survey.syntax)
        for run in self._stream().runs():
            claim.check(run)
        if not claim.holds():
            return 0
        self._max_col = max([claim.right] + [c for _, c, _ in self.new_columns] +
                            [c for cols in self.puts.values() for c in cols])
        return self._max_col

    def _valued_cols(self, row: bytes, r: int) -> set[int]:
        syntax = self.survey.syntax
        return {c.col for c in _cells(syntax, row, r)
                if c.inner is not None and syntax.value.search(c.raw)}

    def last_filled(self, columns, floor: int) -> int:
        """The last row below ``floor`` with a value in any of ``columns`` (else
        ``floor``): where new rows go, after a table that may have blank formatted rows
        below it. The cells already set count as they will be."""
        columns = set(columns)

        def filled(r: int, row: bytes) -> bool:
            cols = self._valued_cols(row, r)
            for c, put in self.puts.get(r, {}).items():
                (cols.discard if put.value in (None, "") else cols.add)(c)
            return bool(cols & columns)
        best = max([r for r, cols in self.puts.items() if r > floor and any(
            c in columns and p.value not in (None, "") for c, p in cols.items())] + [floor])
        trail = self.survey.trail
        for r, row in reversed(trail):
            if r <= best:
                return best
            if filled(r, row):
                return r
        if not any(self.survey.syntax.value.search(row) for _, row in trail):
            return best                             # no row holds a value at all
        # the rows after the last one with any value have none in these columns (a rare
        # shape: notes to the right, below the table; or its last row emptied): look
        # through the whole sheet
        last = best
        for run in self._stream().runs():
            for r, row in _rows_of(self.survey.syntax, run):
                if r > last and filled(r, row):
                    last = r
        return last

    def styles_of_row(self, row: int) -> dict[int, int]:
        """{column: format} of the cells of a row (one of the last rows, or one set)."""
        out = {}
        for r, data in self.survey.trail:
            if r == row:
                out = {c.col: int(c.attrs[b"s"]) for c in _cells(self.survey.syntax, data, r)
                       if b"s" in c.attrs}
        for c, put in self.puts.get(row, {}).items():
            if put.style is not None:
                out[c] = put.style
        return out

    def date_style_of(self, col: int) -> int | None:
        """The format of the column's dates: its own (<col style>) if a date format, else
        that of the nearest date among its last rows; None if it has none."""
        styles = self.pkg.styles
        for el in self.survey.root.iter(_q("col")):
            if int(el.get("min", "0")) <= col <= int(el.get("max", "0")) and \
                    el.get("style") and styles.is_date(int(el.get("style"))):
                return int(el.get("style"))
        for r, data in reversed(self.survey.trail):
            cell = next((c for c in _cells(self.survey.syntax, data, r) if c.col == col), None)
            if cell is not None and b"s" in cell.attrs and styles.is_date(int(cell.attrs[b"s"])):
                return int(cell.attrs[b"s"])
        return None

    def width(self, col: int) -> float:
        """A column's width (Excel's units)."""
        for el in self.survey.root.iter(_q("col")):
            if int(el.get("min", "0")) <= col <= int(el.get("max", "0")) and el.get("width"):
                return float(el.get("width"))
        fmt = self.survey.root.find(_q("sheetFormatPr"))
        if fmt is not None and fmt.get("defaultColWidth"):
            return float(fmt.get("defaultColWidth"))
        return DEFAULT_WIDTH

    # -- edits
    def set(self, row: int, col: int, value, style: int | None = None) -> None:
        """Set a cell: text (stored as text, never a formula), a date (a serial number
        in a date format), or None/'' to empty it (its format kept)."""
        self.puts.setdefault(row, {})[col] = _Put(value, style)

    def add_column(self, header_row: int, header: str) -> int:
        """A new column right of every cell of the sheet, its header written on
        ``header_row`` in the format of the header to its left: its number."""
        col = self.max_column() + 1
        self._max_col = col
        self.set(header_row, col, header, self._style_in_row(header_row, col - 1))
        self.new_columns.append((header_row, col, header))
        return col

    def _style_in_row(self, row: int, col: int) -> int | None:
        """The format of one cell, read from the head of the sheet (a header row)."""
        syntax = self.survey.syntax
        for run in self._stream().runs():
            for r, data in _rows_of(syntax, run):
                if r == row:
                    cell = next((c for c in _cells(syntax, data, r) if c.col == col), None)
                    return int(cell.attrs[b"s"]) if cell and b"s" in cell.attrs else None
                if r > row:
                    return None
        return None

    def append(self, rows: list[dict], columns, header_row: int) -> tuple[int, int]:
        """Rows ({column: value}) added below the block headed on ``header_row`` (after
        its last row with a value in ``columns``), each cell in the format of the
        cell above it: (first row, last row) written."""
        columns = tuple(sorted(set(columns)))
        last = self.last_filled(columns, header_row)
        above = self.styles_of_row(last) if last > header_row else {}
        for n, row in enumerate(rows, start=last + 1):
            for col in columns:
                self.set(n, col, row.get(col), above.get(col))
        new_last = last + len(rows)
        if rows:
            self.growths.append(Growth(header_row, columns, last, new_last))
        return last + 1, new_last

    def set_height(self, row: int, points: float) -> None:
        self.heights[row] = points

    # -- writing
    def write(self, out: _Deflater) -> None:
        """The sheet again, with its edits: the second pass."""
        survey = self.survey
        syntax = survey.syntax
        head, tail = self._skeleton()
        out.write(head)
        targets = sorted(set(self.puts) | set(self.heights))
        pending: dict[bytes, tuple[str, str]] = {}      # shared formulas whose first cell went
        t = 0
        for run in self._stream().runs():
            at = run.rfind(syntax.row_r)
            run_last = int(_ROWNUM.match(run, at + len(syntax.row_r) - 3).group(1))
            needs = (t < len(targets) and targets[t] <= run_last) or (
                pending and any(b'si="' + si + b'"' in run for si in pending))
            if not needs:
                out.write(run)
                continue
            pieces, pos = [], 0
            # straight to each row to change (rows are in order, each says which it is)
            while t < len(targets) and targets[t] <= run_last and not pending:
                target = targets[t]
                at = run.find(syntax.row_r + str(target).encode() + b'"', pos)
                if at == -1:                        # a new row, before the next one after it
                    at = next((m.start() for m in self._row_starts.finditer(run, pos)
                               if int(m.group(1)) > target), len(run))
                    pieces += [run[pos:at], self._new_row(target)]
                    pos = at
                else:
                    m = syntax.row.match(run, at)
                    pieces += [run[pos:at], self._edit_row(m.group(0), target, pending)]
                    pos = m.end()
                t += 1
            if pending:                             # cells sharing a formula overwritten
                for r, row in _rows_of(syntax, run[pos:]):
                    while t < len(targets) and targets[t] < r:
                        pieces.append(self._new_row(targets[t]))
                        t += 1
                    if t < len(targets) and targets[t] == r:
                        t += 1
                    pieces.append(self._edit_row(row, r, pending))
            else:
                pieces.append(run[pos:])
            out.write(b"".join(pieces))
        while t < len(targets):
            out.write(self._new_row(targets[t]))
            t += 1
        out.write(tail)

    @property
    def _row_starts(self):
        return _ROW_START

    def _skeleton(self) -> tuple[bytes, bytes]:
        """The head and tail, as they were, or with what grows changed."""
        survey = self.survey
        root = survey.root
        changed = self._grow(root)
        rows_to = max([survey.max_row, *self.puts, *self.heights])
        cols_to = max([c for cols in self.puts.values() for c in cols], default=0)
        dim = root.find(_q("dimension"))
        if dim is not None and (self.puts or self.heights):
            box = Box.parse(dim.get("ref", ""))
            if box is not None and box.top is not None and box.left is not None:
                grown = Box(box.top, box.left, max(box.bottom, rows_to), max(box.right, cols_to))
                if grown != box:
                    dim.set("ref", grown.text())
                    changed = True
        if not changed:
            return survey.head, survey.tail
        data = _serialise(root, survey.declaration or DECLARATION)
        name = b"<" + survey.syntax.p + b"sheetData"
        m = _EMPTY_SHEET_DATA.search(data)
        return data[:m.start()] + name + b">", b"</" + survey.syntax.p + b"sheetData>" + \
            data[m.end():]

    def _grow(self, root) -> bool:
        """Autofilter, data validations, conditional formats and ignored errors that
        covered a block grow with its new rows; True if any did."""
        changed = False
        for g in self.growths:
            af = root.find(_q("autoFilter"))
            if af is not None and g.grows(Box.parse(af.get("ref", "")), g.header_row):
                af.set("ref", _grown(af.get("ref"), g))
                self.pkg.filter_grown(self.name, af.get("ref"))
                changed = True
            for el in root.iter(_q("conditionalFormatting"), _q("dataValidation"),
                                _q("ignoredError"), _q("conditionalFormatting", X14_MAIN),
                                _q("dataValidation", X14_MAIN)):
                if el.get("sqref"):
                    new = _grow_sqref(el.get("sqref"), g)
                    if new != el.get("sqref"):
                        el.set("sqref", new)
                        changed = True
            for el in root.iter("{*}sqref"):
                if el.text:
                    new = _grow_sqref(el.text, g)
                    if new != el.text:
                        el.text = new
                        changed = True
        return changed

    def _cell(self, ref: bytes, put: _Put, old: _OldCell | None) -> bytes:
        """A cell's XML for its new value, keeping its own format unless given one."""
        p = self.survey.syntax.p
        s = put.style
        if s is None and old is not None and b"s" in old.attrs:
            s = int(old.attrs[b"s"])
        value = put.value
        styles = self.pkg.styles
        attrs = {b"r": ref}
        if isinstance(value, Formula):
            from xml.sax.saxutils import escape

            self.has_formulas = True
            body = b"<" + p + b"f>" + escape(value.text).encode("utf-8") + b"</" + p + b"f>"
        elif isinstance(value, dt.date):
            if not styles.is_date(s):           # the column's date format, on the cell's look
                column = self.date_style_of(col_number(ref.rstrip(b"0123456789")))
                s = column if column is not None and not s else \
                    styles.derive(s, date=True, like=column)
            body = b"<" + p + b"v>" + str(date_serial(value, self.pkg.date1904)).encode() + \
                b"</" + p + b"v>"
        elif value is None or value == "":
            body = None
        else:
            text = str(value)
            if len(text) > CELL_LIMIT // 2 and (fit := fit_cell(text)) != text:
                self.pkg.notes.append(
                    f"'{self.name}'!{ref.decode()} held {len(text):,} characters, more than "
                    f"the {CELL_LIMIT:,} a cell holds: its text was cut there (the rest is in "
                    "what it came from)")
                text = fit
            if self.pkg.strings.shared:
                attrs[b"t"] = b"s"
                body = b"<" + p + b"v>" + str(self.pkg.strings.ref(text)).encode() + \
                    b"</" + p + b"v>"
            else:
                attrs[b"t"] = b"inlineStr"
                body = b"<" + p + b"is>" + _text_xml(text, p) + b"</" + p + b"is>"
        if s:
            attrs = {b"r": ref, b"s": str(s).encode(), **{k: v for k, v in attrs.items()
                                                         if k != b"r"}}
        tag = _tag(p + b"c", attrs, close=body is None)
        return tag if body is None else tag + body + b"</" + p + b"c>"

    def _forget(self, old: _OldCell, pending: dict, row: int) -> None:
        """What a cell's old content held that others count on: its shared string, its
        formula (and the shared formula it started)."""
        if old.attrs.get(b"t") == b"s":
            self.pkg.strings.delta -= 1
        if old.inner is None:
            return
        f = self.survey.syntax.formula.search(old.inner)
        if f is None:
            return
        self.formula_removed = True
        fa = _attrs(f.group(1))
        if fa.get(b"t") == b"shared" and b"ref" in fa and f.group(2):
            from xml.sax.saxutils import unescape

            pending[fa[b"si"]] = (unescape(f.group(2).decode("utf-8")),
                                  col_letters(old.col) + str(row))

    def _unshare(self, old: _OldCell, pending: dict, row: int) -> bytes:
        """A cell that shared the formula of a cell now overwritten gets its own."""
        syntax = self.survey.syntax
        f = syntax.formula.search(old.inner or b"")
        if f is None:
            return old.raw
        fa = _attrs(f.group(1))
        if fa.get(b"t") != b"shared" or fa.get(b"si") not in pending or f.group(2):
            return old.raw
        from xml.sax.saxutils import escape

        from openpyxl.formula.translate import Translator

        formula, origin = pending[fa[b"si"]]
        here = col_letters(old.col) + str(row)
        own = Translator("=" + formula, origin=origin).translate_formula(here)[1:]
        p = syntax.p
        inner = old.inner[:f.start()] + b"<" + p + b"f>" + escape(own).encode("utf-8") + \
            b"</" + p + b"f>" + old.inner[f.end():]
        return old.raw[:old.raw.find(b">") + 1] + inner + b"</" + p + b"c>"

    def _edit_row(self, row: bytes, r: int, pending: dict) -> bytes:
        syntax = self.survey.syntax
        p = syntax.p
        puts = dict(self.puts.get(r, {}))
        start = row[:row.find(b">") + 1]
        closed = start.endswith(b"/>")
        attrs = _attrs(start)
        cells = _cells(syntax, row, r) if not closed else []
        inner_end = row.rfind(b"</" + p + b"row>") if not closed else len(row)
        last_cell_end = row.find(b">") + 1
        out = []
        for m, old in zip(syntax.cell.finditer(row), cells):
            last_cell_end = m.end()
            while puts and min(puts) < old.col:
                col = min(puts)
                out.append(self._cell(col_letters(col).encode() + str(r).encode(),
                                      puts.pop(col), None))
            if old.col in puts:
                self._forget(old, pending, r)
                out.append(self._cell(old.attrs.get(b"r"), puts.pop(old.col), old))
            elif pending:
                out.append(self._unshare(old, pending, r))
            else:
                out.append(old.raw)
        for col in sorted(puts):
            out.append(self._cell(col_letters(col).encode() + str(r).encode(), puts[col], None))
        rest = b"" if closed else row[last_cell_end:inner_end]       # e.g. the row's extLst
        if b"spans" in attrs and self.puts.get(r):
            lo, _, hi = attrs[b"spans"].partition(b":")
            cols = list(self.puts[r])
            if lo.isdigit() and hi.isdigit() and (min(cols) < int(lo) or max(cols) > int(hi)):
                del attrs[b"spans"]
        if r in self.heights:
            attrs[b"ht"] = _points(self.heights[r])
            attrs[b"customHeight"] = b"1"
        return _tag(p + b"row", attrs) + b"".join(out) + rest + b"</" + p + b"row>"

    def _new_row(self, r: int) -> bytes:
        p = self.survey.syntax.p
        attrs = {b"r": str(r).encode()}
        if r in self.heights:
            attrs[b"ht"] = _points(self.heights[r])
            attrs[b"customHeight"] = b"1"
        puts = self.puts.get(r, {})
        cells = b"".join(self._cell(col_letters(c).encode() + str(r).encode(), puts[c], None)
                         for c in sorted(puts))
        return _tag(p + b"row", attrs) + cells + b"</" + p + b"row>"


class _Claim:
    """What a sheet's <dimension> says is its rightmost column, checked run by run: it
    holds when a cell is in that column and none beyond it."""

    def __init__(self, head: bytes, syntax: _Syntax):
        m = _DIMENSION.search(head)
        box = Box.parse(m.group(1).decode("ascii", "replace")) if m else None
        self.right = box.right if box is not None and box.right is not None else None
        self.reached = self.broken = False

    def check(self, run: bytes) -> None:
        if self.right is None or self.broken:
            return
        # the distinct column letters of the run's cells: a handful, however many cells
        furthest = max((col_number(c) for c in set(_CELL_COLUMN.findall(run))), default=0)
        if furthest > self.right:
            self.broken = True
        elif furthest == self.right:
            self.reached = True

    def holds(self) -> bool:
        return self.right is not None and self.reached and not self.broken


def _has_formula(body: bytes, p: bytes) -> bool:
    """Does this sheet XML hold a formula (an <f> element)?"""
    tag = b"<" + p + b"f"
    at = body.find(tag)
    while at != -1:
        if body[at + len(tag):at + len(tag) + 1] in (b">", b" ", b"/", b"\t", b"\n", b"\r"):
            return True
        at = body.find(tag, at + 1)
    return False


def _points(height: float) -> bytes:
    return (f"{height:.2f}".rstrip("0").rstrip(".")).encode()


def _grown(ref: str, g: Growth) -> str:
    box = Box.parse(ref)
    return Box(box.top, box.left, g.new_last, box.right).text()


def _grow_sqref(sqref: str, g: Growth) -> str:
    """Each range of a space-separated list that covered the block down to its last row,
    taken down to its new last row."""
    out = []
    for part in sqref.split():
        box = Box.parse(part)
        out.append(_grown(part, g) if g.grows(box, g.header_row + 1) else part)
    return " ".join(out)


# ---------------------------------------------------------------- the package

@dataclass
class _SheetEntry:
    name: str
    rid: str
    part: str | None
    state: str = "visible"


class Package:
    """An .xlsx/.xlsm package to change: parts read as needed from its bytes."""

    def __init__(self, data: bytes, name: str = "the workbook"):
        self.data, self.name = data, name
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise OutputError(f"'{name}' is not a whole workbook (a damaged zip); nothing "
                              "was changed.") from None
        self.infos = self.zip.infolist()
        if why := zip_bomb(self.infos):
            raise OutputError(f"'{name}' cannot be written into: {why}")
        if any(i.flag_bits & 0x01 for i in self.infos):
            raise OutputError(f"'{name}' has encrypted parts; nothing was changed.")
        self.names = {i.filename for i in self.infos}
        self.replaced: dict[str, bytes | _Deflater] = {}
        self.removed: set[str] = set()
        self.added: list[str] = []
        self.notes: list[str] = []
        self.sheets: dict[str, Sheet] = {}
        self._filters: dict[str, str] = {}
        self._book_changed = False
        self.cdata: set[str] = set()        # parts seen to hold CDATA sections
        self.types = parse_xml(self.read("[Content_Types].xml"), "[Content_Types].xml")
        self.book_part = self._office_document()
        self.book = parse_xml(self.read(self.book_part), self.book_part)
        if self.book.tag == _q("workbook", STRICT):
            raise OutputError(f"'{name}' is saved as Strict Open XML, which gain-pack does not "
                              "write into; save it in Excel as an Excel Workbook (.xlsx) and "
                              "try again. Nothing was changed.")
        self.book_rels_part = _rels_of(self.book_part)
        self.book_rels = parse_xml(self.read(self.book_rels_part), self.book_rels_part) \
            if self.book_rels_part in self.names else None
        if self.book_rels is None:
            raise OutputError(f"'{name}' has no workbook relationships part; nothing was "
                              "changed.")
        self.targets = {r.get("Id"): (r.get("Type", ""), _resolve(self.book_part,
                                                                  r.get("Target", "")))
                        for r in self.book_rels if r.get("TargetMode") != "External"}
        self.entries = []
        sheets_el = self.book.find(_q("sheets"))
        for el in (sheets_el if sheets_el is not None else []):
            rid = el.get(_q("id", REL))
            kind, target = self.targets.get(rid, ("", None))
            self.entries.append(_SheetEntry(el.get("name", ""), rid,
                                            target if kind.endswith("/worksheet") else None,
                                            el.get("state", "visible")))
        pr = self.book.find(_q("workbookPr"))
        self.date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
        self.strings = _Strings(self, self._part_of("/sharedStrings"))
        self.styles = _Styles(self, self._part_of("/styles"))

    # -- reading
    def _office_document(self) -> str:
        rels = parse_xml(self.read("_rels/.rels"), "_rels/.rels")
        for r in rels:
            if r.get("Type", "").endswith("/officeDocument"):
                return _resolve("", r.get("Target", ""))
        return "xl/workbook.xml"

    def _part_of(self, suffix: str) -> str | None:
        for kind, target in self.targets.values():
            if kind.endswith(suffix) and target in self.names:
                return target
        return None

    def read(self, part: str) -> bytes:
        """A (small) part's bytes."""
        if part not in self.names:
            raise OutputError(f"'{self.name}' lacks its part '{part}'; nothing was changed.")
        data = self.zip.read(part)
        if declares_entities(data):
            raise OutputError(f"'{self.name}' has a part ('{part}') that declares XML "
                              "entities, which Excel never writes; nothing was changed.")
        return data

    def inflate(self, part: str, check: bool = True):
        """A part's bytes in chunks, each checked (with the end of the one before) for
        entity declarations before anything parses it, and for CDATA sections (noted in
        ``cdata``). ``check`` False: read again, after a pass that checked it, or only
        searched, never parsed."""
        tail = b""
        with self.zip.open(part) as fh:
            while chunk := fh.read(CHUNK):
                if check:
                    entities, cdata = markup_declarations(chunk)
                    edge = markup_declarations(tail + chunk[:64])
                    if entities or edge[0]:
                        raise OutputError(f"'{self.name}' has a part ('{part}') that declares "
                                          "XML entities, which Excel never writes; nothing was "
                                          "changed.")
                    if cdata or edge[1]:
                        self.cdata.add(part)
                    tail = chunk[-64:]
                yield chunk

    def sheet_names(self) -> list[str]:
        return [e.name for e in self.entries]

    def sheet(self, name: str, widen: bool = False) -> Sheet:
        """The worksheet called ``name``, to edit; ``widen``: a column may be added to it
        (its rightmost column is then found while it is first read)."""
        if name not in self.sheets:
            entry = next((e for e in self.entries if e.name == name), None)
            if entry is None or entry.part is None or entry.part not in self.names:
                raise OutputError(f"'{self.name}' has no worksheet '{name}' to write into; "
                                  "nothing was changed.")
            self.sheets[name] = Sheet(self, name, entry.part)
        self.sheets[name].widen |= widen
        return self.sheets[name]

    def add_sheet(self, name: str, widths=(), freeze_row: int = 0) -> Sheet:
        """A new, empty worksheet at the end, with column widths and the rows above
        ``freeze_row`` frozen: its part, relationship, content type and workbook entry."""
        number = 1 + max([int(m.group(1)) for n in self.names | set(self.added)
                          if (m := re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", n))] or [0])
        part = f"xl/worksheets/sheet{number}.xml"
        view = ""
        if freeze_row:
            cell = f"A{freeze_row + 1}"
            view = (f'<pane ySplit="{freeze_row}" topLeftCell="{cell}" activePane="bottomLeft" '
                    f'state="frozen"/><selection pane="bottomLeft" activeCell="{cell}" '
                    f'sqref="{cell}"/>')
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                       for i, w in enumerate(widths, start=1))
        template = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                    f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><dimension ref="A1"/>'
                    f'<sheetViews><sheetView workbookViewId="0">{view}</sheetView></sheetViews>'
                    f'<sheetFormatPr defaultRowHeight="15"/>'
                    + (f"<cols>{cols}</cols>" if cols else "") +
                    '<sheetData/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
                    'header="0.3" footer="0.3"/></worksheet>').encode("utf-8")
        rid = self._add_part(part, WORKSHEET_CT, WORKSHEET_TYPE)
        sheets_el = self.book.find(_q("sheets"))
        ids = [int(s.get("sheetId", "0")) for s in sheets_el]
        sheets_el.append(sheets_el.makeelement(_q("sheet"), {
            "name": name, "sheetId": str(max(ids, default=0) + 1), _q("id", REL): rid}))
        self.entries.append(_SheetEntry(name, rid, part))
        self.sheets[name] = Sheet(self, name, part, template=template)
        self._book_changed = True
        return self.sheets[name]

    def _add_part(self, part: str, content_type: str, rel_type: str) -> str:
        """A new part's content type and its relationship from the workbook: its id."""
        self.types.append(self.types.makeelement(_q("Override", TYPES), {
            "PartName": "/" + part, "ContentType": content_type}))
        self._touch("[Content_Types].xml")
        taken = {r.get("Id") for r in self.book_rels}
        n = 1
        while f"rId{n}" in taken:
            n += 1
        rid = f"rId{n}"
        target = posixpath.relpath(part, posixpath.dirname(self.book_part))
        self.book_rels.append(self.book_rels.makeelement(_q("Relationship", PKG_REL), {
            "Id": rid, "Type": rel_type, "Target": target}))
        self._touch(self.book_rels_part)
        self.added.append(part)
        return rid

    def _touch(self, part: str) -> None:
        self.replaced.setdefault(part, b"")

    def filter_grown(self, sheet: str, ref: str) -> None:
        """A sheet's autofilter grew: its hidden _FilterDatabase name follows."""
        self._filters[sheet] = ref

    # -- writing
    def save(self, fh) -> list[str]:
        """Write the changed workbook to ``fh`` (a binary file): the parts changed."""
        for sheet in self.sheets.values():
            self._tables(sheet)
        for sheet in self.sheets.values():
            if not (sheet.puts or sheet.heights or sheet.template is not None):
                continue                            # looked at, not changed: copied as it was
            big = sheet.part in self.names and self.zip.getinfo(sheet.part).file_size > BIG_PART
            out = _Deflater(BIG_LEVEL if big else LEVEL)
            sheet.write(out)
            self.replaced[sheet.part] = out
        dropped = any(s.formula_removed for s in self.sheets.values())
        if self.strings.changed():
            big = self.zip.getinfo(self.strings.part).file_size > BIG_PART
            out = _Deflater(BIG_LEVEL if big else LEVEL)
            self.strings.write(out)
            self.replaced[self.strings.part] = out
        if self.styles.dirty:
            if self.styles.part is None:
                self.styles.part = "xl/styles.xml"
                self._add_part(self.styles.part, STYLES_CT, STYLES_TYPE)
            self.replaced[self.styles.part] = _serialise(self.styles.root)
        book_changed = self._book_changed
        if dropped:
            book_changed |= self._drop_calc_chain()
        changed_values = any(s.puts for s in self.sheets.values())
        if changed_values and (any(s.has_formulas for s in self.sheets.values()) or
                               self._formulas_elsewhere()):
            book_changed |= self._recalculate_on_load()
        book_changed |= self._filter_names()
        if book_changed:
            self.replaced[self.book_part] = _serialise(self.book, _declaration(
                self.zip.read(self.book_part)) or DECLARATION)
        if "[Content_Types].xml" in self.replaced:
            self.replaced["[Content_Types].xml"] = _serialise(
                self.types, _declaration(self.zip.read("[Content_Types].xml")) or DECLARATION)
        if self.book_rels_part in self.replaced:
            self.replaced[self.book_rels_part] = _serialise(
                self.book_rels, _declaration(self.zip.read(self.book_rels_part)) or DECLARATION)
        zout = _ZipOut(fh)
        for info in self.infos:
            if info.filename in self.removed:
                continue
            new = self.replaced.get(info.filename)
            if new is None:
                zout.add(info.filename, self._raw(info), info.CRC, info.file_size,
                         info.compress_type, info)
            elif isinstance(new, _Deflater):
                zout.add(info.filename, new.finish(), new.crc, new.size, zipfile.ZIP_DEFLATED,
                         info)
            else:
                zout.deflated(info.filename, new, info)
        for part in self.added:
            new = self.replaced[part]
            if isinstance(new, _Deflater):
                zout.add(part, new.finish(), new.crc, new.size, zipfile.ZIP_DEFLATED)
            else:
                zout.deflated(part, new)
        zout.close()
        return sorted(set(self.replaced) | self.removed)

    def _raw(self, info) -> bytes:
        """An entry's stored bytes, as they are in the original zip."""
        head = self.data[info.header_offset:info.header_offset + 30]
        if head[:4] != b"PK\x03\x04":
            raise OutputError(f"'{self.name}' is a damaged zip; nothing was changed.")
        start = info.header_offset + 30 + int.from_bytes(head[26:28], "little") + \
            int.from_bytes(head[28:30], "little")
        return self.data[start:start + info.compress_size]

    def _formulas_elsewhere(self) -> bool:
        """Does any sheet not edited hold a formula (a dashboard counting the register)?"""
        if any(i.filename.endswith("calcChain.xml") for i in self.infos):
            return True
        edited = {s.part for s in self.sheets.values()}
        for entry in self.entries:
            if entry.part and entry.part not in edited and entry.part in self.names:
                p = None
                for chunk in self.inflate(entry.part, check=False):     # searched, not parsed
                    if p is None:
                        m = re.search(rb"<(\w+:)?worksheet[\s>]", chunk)
                        p = (m.group(1) or b"") if m else b""
                    if _has_formula(chunk, p):
                        return True
        return False

    def _drop_calc_chain(self) -> bool:
        """A formula was overwritten: the calculation chain would name a cell that has
        none, which Excel calls damage; without it Excel rebuilds it."""
        for rel in list(self.book_rels):
            if rel.get("Type", "").endswith("/calcChain"):
                part = _resolve(self.book_part, rel.get("Target", ""))
                self.book_rels.remove(rel)
                self._touch(self.book_rels_part)
                self.removed.add(part)
                for o in list(self.types):
                    if o.get("PartName") == "/" + part:
                        self.types.remove(o)
                        self._touch("[Content_Types].xml")
        return self._recalculate_on_load()

    def _recalculate_on_load(self) -> bool:
        calc = self.book.find(_q("calcPr"))
        if calc is None:
            calc = self.book.makeelement(_q("calcPr"), {})
            _insert_in_order(self.book, calc, SEQUENCES["workbook"])
        if calc.get("fullCalcOnLoad") in ("1", "true"):
            return False
        calc.set("fullCalcOnLoad", "1")
        return True

    def _filter_names(self) -> bool:
        changed = False
        names = self.book.find(_q("definedNames"))
        for el in (names if names is not None else []):
            if el.get("name") != "_xlnm._FilterDatabase" or el.get("localSheetId") is None:
                continue
            index = int(el.get("localSheetId"))
            if index < len(self.entries) and self.entries[index].name in self._filters:
                sheet = self.entries[index].name
                quoted = "'" + sheet.replace("'", "''") + "'"
                el.text = f"{quoted}!{Box.parse(self._filters[sheet]).text(dollars=True)}"
                changed = True
        return changed

    def _tables(self, sheet: Sheet) -> None:
        """The Excel tables on a sheet grow with the rows added below them, and take in
        a column added at their right."""
        if sheet.template is not None:
            return
        rels_part = _rels_of(sheet.part)
        parts = sheet.survey.root.find(_q("tableParts"))
        if parts is None or rels_part not in self.names:
            return
        rels = parse_xml(self.read(rels_part), rels_part)
        where = {r.get("Id"): _resolve(sheet.part, r.get("Target", "")) for r in rels}
        for tp in parts:
            part = where.get(tp.get(_q("id", REL)))
            if part not in self.names:
                continue
            root = parse_xml(self.read(part), part)
            if _grow_table(root, sheet, self.notes):
                self.replaced[part] = _serialise(root, _declaration(self.zip.read(part)) or
                                                 DECLARATION)


def _grow_table(root, sheet: Sheet, notes: list) -> bool:
    box = Box.parse(root.get("ref", ""))
    if box is None or box.top is None:
        return False
    changed = False
    name = root.get("displayName") or root.get("name") or "?"
    headed = root.get("headerRowCount", "1") != "0"
    for header_row, col, header in sheet.new_columns:
        if headed and box.top == header_row and box.right == col - 1:
            cols = root.find(_q("tableColumns"))
            taken = {c.get("name") for c in cols}
            label, n = header, 2
            while label in taken:
                label, n = f"{header} {n}", n + 1
            ids = [int(c.get("id", "0")) for c in cols]
            cols.append(cols.makeelement(_q("tableColumn"), {"id": str(max(ids, default=0) + 1),
                                                             "name": label}))
            cols.set("count", str(len(cols)))
            box.right = col
            changed = True
    for g in sheet.growths:
        if g.grows(box, g.header_row + (0 if headed else 1)):
            if int(root.get("totalsRowCount", "0") or 0):
                notes.append(f"the table '{name}' on the sheet '{sheet.name}' has a totals row, "
                             "so the new rows are below it, outside the table")
                continue
            box.bottom = max(box.bottom, g.new_last)
            changed = True
            _fill_calculated(root, box, sheet, g)
    if changed:
        root.set("ref", box.text())
        af = root.find(_q("autoFilter"))
        if af is not None:
            af.set("ref", box.text())
    return changed


def _fill_calculated(root, box: Box, sheet: Sheet, g: Growth) -> None:
    """A table's calculated columns (one formula for the whole column) given their
    formula in the rows added, as Excel fills them in a row typed into the table."""
    above = sheet.styles_of_row(g.last) if g.last > g.header_row else {}
    cols = root.find(_q("tableColumns"))
    for i, column in enumerate(cols if cols is not None else []):
        calc = column.find(_q("calculatedColumnFormula"))
        if calc is None or not (calc.text or "").strip() or calc.get("array") in ("1", "true"):
            continue
        col = box.left + i
        for r in range(g.last + 1, g.new_last + 1):
            put = sheet.puts.get(r, {}).get(col)
            if put is None or put.value in (None, ""):
                sheet.set(r, col, Formula(calc.text.strip()), above.get(col))


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(source: str, target: str) -> str:
    """A relationship's target as a part name (relative to its source part's folder)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
