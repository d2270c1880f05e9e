"""Look at a file before any parser does: is it an .xlsx we can safely open?

Each refusal is a RegisterError with one plain sentence. The checks run on the zip
directory and then on one streamed pass over every XML part, so a hostile file (a zip
bomb, XML entity expansion, a cell so far out that the grid would exhaust memory) is
refused before any parser sees it.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from gain_workbook.core.errors import RegisterError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# A real register, even at 100,000 actions, unpacks to a few hundred MB at most.
MAX_UNPACKED = 2 * 1024**3
MAX_PART = 1024**3
MAX_RATIO = 200          # sheet XML compresses about 10-30:1; zeros compress 1000:1
RATIO_FLOOR = 20 * 1024**2   # small parts may compress as well as they like
# A sheet is read as a grid from A1 to its last cell: a value typed far out (at
# XFD1048576, say) makes a grid of 17 billion cells, which python-calamine tries to
# allocate and the process aborts. A 100,000-action register is about 2 million cells.
MAX_CELLS = 20_000_000
CHUNK = 4 * 1024 * 1024
OVERLAP = 64          # longer than anything searched for (' r="XFD1048576"' is 16 bytes)


@dataclass(frozen=True)
class WorkbookInfo:
    """What the sniff learnt that the reader needs."""

    path: Path
    date1904: bool
    lock_file: Path | None   # Excel's ~$ owner file beside it: the register is open in Excel
    # False when no part can hold a control character (Excel's _x0007_ escape, or a raw
    # one a lenient parser would pass on) or a text longer than a cell holds (written by
    # a program, not Excel): the reader then need not look for them
    may_hold_controls: bool = True
    # the worksheet parts holding a number no date or time can be (see FAR_NUMBER)
    far_numbers: tuple = ()
    # {sheet name: (how many, the cells that can be named, in order)} of cells holding a
    # formula with no value saved beside it (a file written by a program that does not
    # calculate): python-calamine reads them as empty (see UNCALCULATED, and
    # uncalculated_in for those within a range the reader reads)
    uncalculated: dict = field(default_factory=dict)
    # False when no part says 'strike' (no text struck through anywhere): the reader then
    # need not look for actions struck through
    may_strike: bool = True


def _refuse(path: Path, why: str) -> RegisterError:
    from gain_workbook.core.files import shown_name

    return RegisterError(f"Cannot read '{shown_name(path)}': {why}")


def check_workbook(path: str | os.PathLike, role: str = "the register",
                   sheets=None) -> WorkbookInfo:
    """Refuse anything that is not a safe, readable .xlsx; return what the reader needs.

    The file is remembered as an input (files.protect): no output may replace it.
    ``sheets``, when given, names the only sheets that will be read: the XML of every
    other sheet is then not scanned (no parser will see it), every other part is. A
    board pack's decisions are read from three small sheets of a file whose Items and
    Actions are nine tenths of it (at 100,000 actions, a second saved).
    """
    from gain_workbook.core.files import protect

    path = Path(path)
    protect(path, role)
    _refuse_non_files(path)
    _refuse_other_formats(path, *_head_and_size(path))
    with _open_zip(path) as zf:
        infos = zf.infolist()
        _refuse_other_documents(path, {i.filename for i in infos})
        _check_sizes(path, infos)
        controls, far, blank, strike = _scan_parts(path, zf, infos if sheets is None else
                                                   _without_other_sheets(zf, infos, sheets))
        date1904 = _date1904(path, zf)
        named = {p.casefold(): n for n, p in (_sheet_targets(zf, strict=False) or [])} \
            if blank else {}            # (the workbook's parts read once for all of them)
        uncalculated = {named.get(part.casefold(), part): got for part, got in blank.items()}
    lock = path.with_name("~$" + path.name)
    return WorkbookInfo(path, date1904, lock if lock.exists() else None, controls, far,
                        uncalculated, strike)


def _refuse_non_files(path: Path) -> None:
    """Refuse a path that is no ordinary file: Excel's lock file, a folder, nothing, or
    a device, pipe or socket."""
    if path.name.startswith("~$"):
        real = path.with_name(path.name[2:])
        raise _refuse(path, "it is an Excel lock file (Excel makes it while a workbook is open), "
                      f"not a register; read '{real.name}' instead.")
    if path.is_dir():
        raise _refuse(path, "it is a folder, not a file.")
    if not path.exists():
        raise RegisterError(f"There is no file '{path}'.")
    if not path.is_file():          # opening a FIFO would wait for ever for a writer
        raise _refuse(path, "it is not an ordinary file (a device, pipe or socket).")


def _head_and_size(path: Path) -> tuple[bytes, int]:
    """The file's first 8 bytes and its size, or a refusal saying why it cannot be read."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
            size = os.fstat(fh.fileno()).st_size
    except PermissionError:
        raise _refuse(path, "permission denied; it may be open and locked in another program "
                      "(close it, or save a copy and read that).") from None
    except OSError as exc:
        raise _refuse(path, f"{exc.strerror or exc}.") from None
    return head, size


def _refuse_other_formats(path: Path, head: bytes, size: int) -> None:
    """Refuse a file that is not a zip by its first bytes and name: empty, an old or
    password-protected Excel file, a text file, another spreadsheet's format."""
    suffix = path.suffix.lower()
    if size == 0:
        raise _refuse(path, "the file is empty (0 bytes).")
    if head.startswith(OLE_MAGIC):
        with open(path, "rb") as fh:
            blob = fh.read(4 * 1024**2)
        if "EncryptedPackage".encode("utf-16-le") in blob:
            raise _refuse(path, "it is password-protected; open it in Excel, remove the password "
                          "(File > Info > Protect Workbook), save it and try again.")
        raise _refuse(path, "it is an old-style Excel 97-2003 (.xls) workbook; open it in Excel "
                      "and save it as an Excel Workbook (.xlsx).")
    if suffix in (".csv", ".txt", ".tsv"):
        raise _refuse(path, f"it is a {suffix} text file; open it in Excel and save it as an "
                      "Excel Workbook (.xlsx).")
    if suffix == ".xls":
        raise _refuse(path, "an .xls file must be saved as an Excel Workbook (.xlsx) first.")
    if suffix in (".ods", ".numbers"):
        raise _refuse(path, f"{suffix} files are not supported; save it as .xlsx.")
    if not head.startswith(ZIP_MAGIC):
        if _looks_like_text(path):
            raise _refuse(path, "it is a text file, not an .xlsx workbook.")
        raise _refuse(path, "it is not an Excel workbook (perhaps damaged, or another kind of "
                      f"file renamed {suffix or '.xlsx'}).")


def _open_zip(path: Path) -> zipfile.ZipFile:
    """The file opened as a zip, or a refusal saying it is damaged or unreadable."""
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise _refuse(path, "the file is damaged or incomplete (perhaps cut short while "
                      "copying or downloading); open it in Excel to repair it, or use a backup.") from None
    except OSError as exc:
        raise _refuse(path, f"{exc.strerror or exc}.") from None


def _refuse_other_documents(path: Path, names: set) -> None:
    """Refuse a zip without a workbook part, naming what it is (Word, PowerPoint, zip)."""
    if "xl/workbook.xml" not in names:
        kind = ("a Word document" if "word/document.xml" in names else
                "a PowerPoint file" if "ppt/presentation.xml" in names else
                "a zip archive")
        raise _refuse(path, f"it is {kind}, not an Excel workbook.")


def _looks_like_text(path: Path) -> bool:
    with open(path, "rb") as fh:
        chunk = fh.read(2048)
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in chunk


def _check_sizes(path: Path, infos) -> None:
    """Refuse zip bombs from the sizes the zip directory declares, before unpacking."""
    if why := zip_bomb(infos):
        raise _refuse(path, why)


def zip_bomb(infos, what: str = "register", most: int = MAX_UNPACKED) -> str | None:
    """Why a zip (an .xlsx, a .docx) would be a bomb to unpack, from the sizes its
    directory declares (``zipfile.ZipFile.infolist()``), or None. ``what`` is what a
    real one is ('register', 'report'); ``most`` what all its parts may unpack to."""
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            return (f"its part '{info.filename}' would unpack to "
                    f"{info.file_size / 1024**2:,.0f} MB ({ratio:,.0f} times its packed "
                    f"size), which no real {what} does; it may be a zip bomb.")
    if total > most:
        return (f"it would unpack to {total / 1024**3:,.1f} GB, more than any real {what}; it "
                "may be a zip bomb.")
    return None


CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32)])
# a text that may be longer than a cell holds (32,767 UTF-16 units need 32,768 bytes or
# more; cut anywhere between chunks, one side keeps half of them)
_LONG_TEXT = re.compile(rb">[^<]{16384}")
NOT_CONTROL = bytes(b for b in range(256) if b not in CONTROL_BYTES)


def _scan_parts(path: Path, zf: zipfile.ZipFile, infos) -> tuple[bool, tuple, dict, bool]:
    """Read every XML part once, in chunks, before any parser does.

    Returns whether any part may hold a control character, the worksheet parts that
    hold a number no date can be, {worksheet part: (count, first cells)} of its
    formulas with no value saved, and whether any part says 'strike' (see WorkbookInfo).

    * Excel never writes a DTD: a DOCTYPE or ENTITY anywhere in a part (not only in
      its first bytes) is an entity-expansion attack or worse, and is refused.
    * A worksheet whose cells reach so far that its grid would exceed MAX_CELLS is
      refused, naming how far it reaches (see MAX_CELLS and _Extent).
    """
    controls = strike = False
    far: list[str] = []
    blank: dict = {}
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        extent = _Extent() if info.filename.startswith("xl/worksheets/") else None
        far_number = formulas = False
        unvalued: dict = {}             # where each formula with no value ends -> its cell
        base = 0                        # where the chunk starts in the part
        try:
            for body in _bodies(zf, info):
                if declares_entities(body):
                    raise _refuse(path, f"its part '{info.filename}' declares XML "
                                  "entities, which Excel never writes; the file was "
                                  "refused as unsafe.")
                if not controls:
                    controls = b"_x00" in body or bool(body.translate(None, NOT_CONTROL)) \
                        or _LONG_TEXT.search(body) is not None
                strike = strike or b"strike" in body
                if extent is not None:
                    extent.add(body)
                    far_number = far_number or FAR_NUMBER.search(body) is not None
                    # (most sheets have no formula: one look for the end of one; a
                    # shared formula's cells, '<f t="shared" si="0"/>', come after the
                    # first, which has an end, so once one is seen every chunk is looked at)
                    formulas = formulas or b"</f" in body or extent.unusual
                    if formulas:
                        for end, ref in _uncalculated(body, extent.unusual):
                            if ref or base + end not in unvalued:   # (seen twice: named)
                                unvalued[base + end] = ref
                base += len(body) - min(OVERLAP, len(body))
        except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError, ValueError) as exc:
            raise _refuse(path, f"the file is damaged (part '{info.filename}': {exc}).") from None
        if far_number:
            far.append(info.filename)
        if unvalued:
            cells = sorted({ref for ref in unvalued.values() if ref},
                           key=lambda ref: _split_ref(ref.encode()))
            blank[info.filename] = (len(unvalued), tuple(cells))
        if extent is not None and extent.cells(zf, info) > MAX_CELLS:
            rows, cols = extent.rows, extent.cols
            raise _refuse(path, f"its sheet '{_sheet_name_of(zf, info.filename)}' reaches row "
                          f"{rows:,} and column {col_letter(cols - 1)} (cell "
                          f"{col_letter(cols - 1)}{rows}), a grid of {rows * cols:,} cells, more than the "
                          f"{MAX_CELLS:,} gain-pack reads; in Excel press Ctrl+End on that "
                          "sheet, delete the stray cells beyond the table, save and try again.")
    return controls, tuple(far), blank, strike


# A cell's number that no date can be: negative, 9 or more digits before the point (a
# hundred million days on; 31/12/9999 is 2,958,465), an exponent of 8 or more, or
# INF/NaN. python-calamine turns a number under a date or time format into a date,
# time or duration: such a number comes back as a time of day (-5 as 00:00:00, which
# the clerk never typed), or it panics (below about -1.07e11: a Rust panic, which is
# not even an Exception) or overflows (a duration of 1e9 days). Where a sheet holds
# one, the reader opens a copy in memory in which those cells have no style, so they
# are read as the plain numbers they are, and reported on their cells as written.
# (It starts at 'v>', the end of <v> and of a prefixed <x:v>: a literal start keeps the
# search to a tenth of a second in a 100,000-action register.)
FAR_NUMBER = re.compile(rb"v>\s*(?:-|\+?(?:\d{9}|[\d.]*[eE]\+?0*(?:[89]|[1-9]\d)|[iInN]))")
_CELL_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
# A formula with no value saved: '<f>A1+1</f></c>', a shared one's '<f t="shared"
# si="0"/></c>', or an empty value, '<f>A1+1</f><v></v></c>', as openpyxl writes every
# formula. Excel and LibreOffice always save the value they calculated; an empty one
# only for text (t="str", a formula giving ""). python-calamine reads such a cell as
# empty; the reader says so, never reads it as empty without a word.
UNCALCULATED = re.compile(rb"(?:</f>|<f\s(?:[^<>/]|/(?!>))*+/>)\s*+"
                          rb"(?:(<v\s*+/>|<v>\s*+</v>)\s*+)?</c>")
# the same with the tags' namespace prefix ('<x:f>'), looked for only where one is used
UNCALCULATED_PREFIXED = re.compile(
    rb"(?:</[A-Za-z_][\w.-]*+:f>|<[A-Za-z_][\w.-]*+:f\s(?:[^<>/]|/(?!>))*+/>)\s*+"
    rb"(?:(<[A-Za-z_][\w.-]*+:v\s*+/>|<[A-Za-z_][\w.-]*+:v>\s*+</[A-Za-z_][\w.-]*+:v>)\s*+)?"
    rb"</[A-Za-z_][\w.-]*+:c>")
_TEXT_TYPE = re.compile(rb"""\st\s*=\s*["']str["']""")
_REF_IN_TAG = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]{1,3}\d{1,7})["']""")
UNCALCULATED_SHOWN = 5       # cells named in the message; the rest are counted


def uncalculated_in(found: tuple, columns=None, first_row: int = 1) -> tuple[int, tuple]:
    """(count, cells) of ``found`` (a WorkbookInfo.uncalculated value) within ``columns``
    (0-based indexes; None: any) from ``first_row`` (1-based) down. A cell that could not
    be named (no reference, or cut where the scan read the part in chunks) is counted
    wherever it may be."""
    count, cells = found
    if columns is None and first_row <= 1:
        return count, cells
    inside = []
    for c in cells:
        row, col = _split_ref(c.encode())
        if row >= first_row and (columns is None or col - 1 in columns):
            inside.append(c)
    return len(inside) + count - len(cells), tuple(inside)


def uncalculated_cells(count: int, cells: tuple) -> str:
    """'Cell E5 holds a formula saved without its value', or for several '3 cells (E5, E6,
    E7) hold formulas saved without their values' (naming the first few)."""
    cells = cells[:UNCALCULATED_SHOWN]
    if count == 1:
        return f"Cell {cells[0]} holds a formula saved without its value" if cells else \
            "A cell holds a formula saved without its value"
    more = count - len(cells)
    named = ", ".join(cells) + (f" and {more} more" if more > 0 else "")
    return f"{count} cells ({named}) hold formulas saved without their values" if cells else \
        f"{count} cells hold formulas saved without their values"


def uncalculated_on(sheet: str, count: int, cells: tuple) -> str:
    """'on its <sheet> sheet cell E5 holds a formula saved without its value (the file was
    written by a program that does not calculate), so what it says is not known': the
    middle of the sentence refusing a reply or a pack that holds such cells."""
    what = uncalculated_cells(count, cells)
    return (f"on its {sheet} sheet {what[0].lower()}{what[1:]} (the file was written by a "
            "program that does not calculate), so what "
            f"{'it says' if count == 1 else 'they say'} is not known")


def _uncalculated(body: bytes, prefixed: bool = True) -> list[tuple[int, str]]:
    """[(where in the chunk it ends, its reference or '')] of each cell in this chunk whose
    formula has no value saved (``prefixed``: also with namespace-prefixed tags, '<x:f>').
    A cell whose start lies before the chunk, or that has no reference, is ''."""
    refs = []
    found = list(UNCALCULATED.finditer(body))
    if prefixed and b":f" in body:
        found += UNCALCULATED_PREFIXED.finditer(body)
    for m in found:
        start = body.rfind(b"<", 0, m.start())
        for _ in range(4):          # back past the formula's own tags to the cell's
            if start < 0 or _CELL_START.match(body, start):
                break
            start = body.rfind(b"<", 0, start)
        if start < 0:               # (its start is in the chunk before: counted, unnamed)
            refs.append((m.end(), ""))
            continue
        end = body.find(b">", start)
        if m.group(1) and _TEXT_TYPE.search(body, start, end):
            continue                # a formula whose text is "": calculated
        got = _REF_IN_TAG.search(body, start, end)
        refs.append((m.end(), got.group(1).decode("ascii").upper() if got else ""))
    return refs


_STYLE_ATTR = re.compile(rb"""\ss\s*=\s*(?:"[^"]*"|'[^']*')""")


def calamine_source(info: WorkbookInfo):
    """What python-calamine should open for a checked workbook: its path, or (when a
    sheet holds a number no date can be: ``info.far_numbers``) the bytes of a copy in
    which the cells holding one have no style. Open it with ``open_calamine``."""
    import io

    if not info.far_numbers:
        return str(info.path)
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(info.path) as zin, \
                zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            for entry in zin.infolist():
                data = zin.read(entry)
                if entry.filename in info.far_numbers:
                    data = _plain_numbers(data)
                zout.writestr(entry, data)
    except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError, ValueError) as exc:
        raise _refuse(info.path, f"the file is damaged ({exc}).") from None
    return out.getvalue()


def open_calamine(source):
    """A python-calamine workbook for what ``calamine_source`` gave."""
    import io

    import python_calamine as pc

    if isinstance(source, bytes):
        return pc.CalamineWorkbook.from_filelike(io.BytesIO(source))
    return pc.CalamineWorkbook.from_path(source)


def _plain_numbers(xml: bytes) -> bytes:
    """A sheet's XML with the style taken off each cell whose value is a FAR_NUMBER."""
    out, done = [], 0
    for m in FAR_NUMBER.finditer(xml):
        # back to the cell's start tag, past a formula before the value (a few tags at
        # most: the search is bounded, so a file of stray values stays linear)
        start = m.start()
        for _ in range(6):
            start = xml.rfind(b"<", done, start)
            if start < 0 or _CELL_START.match(xml, start):
                break
        else:
            continue
        end = xml.find(b">", start)
        if start < 0 or end < 0 or end > m.start():
            continue
        out += [xml[done:start], _STYLE_ATTR.sub(b"", xml[start:end])]
        done = end
    out.append(xml[done:])
    return b"".join(out)


def declares_entities(body: bytes) -> bool:
    """Does this XML (a part, or a chunk of one) hold a DOCTYPE or ENTITY declaration?
    Excel never writes one: it is an entity-expansion attack or worse. Every part
    gain-pack parses (here, and where ``excel/package.py`` edits a register) is checked
    with this first."""
    return markup_declarations(body)[0]


def markup_declarations(body: bytes) -> tuple[bool, bool]:
    """(a DOCTYPE or ENTITY declaration, a CDATA section) in this XML: one look at each
    '<!' in it. (Excel writes neither; the register editor scans sheets as bytes, which
    a CDATA section could mislead, so it refuses one.)"""
    entities = cdata = False
    at = body.find(b"<!")
    while at != -1:
        word = body[at + 2:at + 9]
        if word.upper().startswith((b"DOCTYPE", b"ENTITY")):
            entities = True
        elif word.startswith(b"[CDATA["):
            cdata = True
        at = body.find(b"<!", at + 2)
    return entities, cdata


def _bodies(zf: zipfile.ZipFile, info):
    """A part's XML in chunks, each starting with the last OVERLAP bytes of the one before:
    anything shorter than that (a declaration, a cell reference, an escape) lies whole in
    at least one chunk, wherever the chunks are cut. Seeing a thing twice is harmless."""
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(CHUNK):
            data = tail + chunk
            yield data
            tail = data[-OVERLAP:]


# A cell reference past column CZ (104) or row 99,999, as Excel writes it (space, r,
# double quote): one pass, and an honest register has none or a few. Without any (and
# without an UNUSUAL_TAG), the grid is at most 99,999 x 104 cells, under MAX_CELLS.
SUSPECT_REF = re.compile(rb' r="((?:[A-Z]{3,}|[D-Z][A-Z])\d+|[A-Z]{0,2}\d{6,})"')
PLAIN_ROWS, PLAIN_COLS = 99_999, 104
ANY_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]*)(\d+)["']""")
# A cell or row whose start tag does not begin with its reference as Excel, LibreOffice,
# openpyxl and xlsxwriter all write it (' r="A1"', ' r="1"'), and any prefixed one
# ('<x:c>'): python-calamine reads them all (a cell or row without a reference goes
# after the one before, a lower-case or single-quoted one counts as any other), so
# SUSPECT_REF's bound does not hold and the grid is measured exactly.
UNUSUAL_TAG = re.compile(rb'<(?:c(?! r="[A-Z])|row(?! r="\d))[\s/>]')
PREFIXED_TAG = re.compile(rb":(?:c|row)[\s/>]")


def _split_ref(ref: bytes) -> tuple[int, int]:
    letters = ref.rstrip(b"0123456789")
    return int(ref[len(letters):]), _col_number(letters)


class _Extent:
    """How far a worksheet's cells reach (calamine's grid is A1 to the farthest cell)."""

    def __init__(self):
        self.rows = self.cols = 0       # the largest among suspect references
        self.far = False
        self.unusual = False

    def add(self, body: bytes) -> None:
        """Take in one chunk of the sheet's XML."""
        for ref in SUSPECT_REF.findall(body):
            self.far = True
            row, col = _split_ref(ref)
            self.rows, self.cols = max(self.rows, row), max(self.cols, col)
        if not self.unusual:
            # a tag cut at the chunk's end (' <c ' then ' r="A1"' in the next chunk) is
            # not unusual: the next chunk starts OVERLAP bytes back and holds it whole
            self.unusual = PREFIXED_TAG.search(body) is not None or any(
                m.start() + 8 < len(body) for m in UNUSUAL_TAG.finditer(body))

    def cells(self, zf: zipfile.ZipFile, info) -> int:
        """The grid's size in cells: bounded cheaply, exact where the bound would refuse
        (or cannot be trusted)."""
        self.rows = self.rows if self.rows > PLAIN_ROWS else PLAIN_ROWS
        self.cols = self.cols if self.cols > PLAIN_COLS else PLAIN_COLS
        if not self.unusual and (not self.far or self.rows * self.cols <= MAX_CELLS):
            return self.rows * self.cols
        self.rows, self.cols = _grid_extent(zf, info)
        return self.rows * self.cols


# the control characters XML 1.0 refuses (and a lenient parser passes on), as spaces:
# only whether a value is empty matters when measuring the grid
_CONTROLS_AS_SPACES = bytes.maketrans(CONTROL_BYTES, b" " * len(CONTROL_BYTES))


def _grid_extent(zf: zipfile.ZipFile, info) -> tuple[int, int]:
    """(rows, columns) of the grid python-calamine makes of a worksheet: from A1 to the
    farthest cell that holds something, each cell placed as calamine places it (see
    _GridWalk for which cells count).

    XML that expat cannot parse falls back to counting every reference, as far as it
    reaches (never less than calamine could allocate from references)."""
    from xml.parsers import expat

    walk = _GridWalk()
    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler = walk.start, walk.end
    parser.CharacterDataHandler = walk.text
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK):
                parser.Parse(chunk.translate(_CONTROLS_AS_SPACES), False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        return _reference_extent(zf, info)
    return max(walk.rows, 1), max(walk.cols, 1)


def _reference_extent(zf: zipfile.ZipFile, info) -> tuple[int, int]:
    """(rows, columns) as far as any cell or row reference in the part reaches, for XML
    that cannot be parsed."""
    rows = cols = 1
    for body in _bodies(zf, info):
        for letters, digits in ANY_REF.findall(body):
            rows = max(rows, int(digits))
            if letters:
                cols = max(cols, _col_number(letters.upper()))
    return rows, cols


class _GridWalk:
    """expat's handlers for a worksheet, following its rows and cells as python-calamine
    places them; ``rows`` and ``cols`` are how far the cells with a value reach.

    Only a cell with a value stretches the grid: not a row element (with or without
    cells), not an empty cell, styled or not (<c r="XFD1048576" s="3"/>), not one with
    only a formula or an empty number (<v></v>); an inline string counts even when
    empty, as does an empty value of another type (t="str" ...). A row without a
    reference follows the row before; a cell without one follows the cell before in
    its row. Names are taken without their prefix, as calamine takes them."""

    def __init__(self):
        self.row = self.col = -1        # where the walk is (0-based)
        self.rows = self.cols = 0       # how far the cells with a value reach
        self.cell: dict = {}            # the cell being read, empty between cells

    def start(self, name, attrs):
        """An element starts: a row or cell moves the walk; a value or inline string
        is noted on the cell."""
        local = name.rpartition(":")[2]
        cell = self.cell
        if local == "row":
            ref = attrs.get("r", "")
            self.row = int(ref) - 1 if ref.isdigit() else self.row + 1
            self.col = -1
        elif local == "c":
            m = _CELL_REF.fullmatch(attrs.get("r", ""))
            row, col = ((int(m[2]) - 1, _col_number(m[1].upper().encode()) - 1) if m
                        else (self.row, self.col + 1))
            self.col = col
            cell.clear()
            cell.update(row=row, col=col, t=attrs.get("t", "n"), value=False, in_v=False)
        elif cell and local == "is":
            cell["value"] = True
        elif cell and local == "v":
            cell["in_v"], cell["text"] = True, False

    def text(self, data):
        """Text inside a value makes it a value."""
        if self.cell.get("in_v") and data:
            self.cell["text"] = True

    def end(self, name):
        """An element ends: a value decides whether its cell holds one; a cell that
        does stretches the grid."""
        local = name.rpartition(":")[2]
        cell = self.cell
        if cell and local == "v":
            cell["in_v"] = False
            if cell["text"] or cell["t"] not in ("", "n"):
                cell["value"] = True
        elif cell and local == "c":
            if cell["value"]:
                self.rows = max(self.rows, cell["row"] + 1)
                self.cols = max(self.cols, cell["col"] + 1)
            cell.clear()


# (bounded, and a search starts only where a run of spaces or letters starts: linear on
# any text, as tests/test_patterns.py checks; a real reference has at most 3 letters and
# 7 digits)
_CELL_REF = re.compile(r"(?<![\sA-Za-z])\s*([A-Za-z]{1,16})(\d{1,16})\s*")


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def col_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 27 -> AB)."""
    s = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        s = chr(65 + rem) + s
    return s


def _sheet_name_of(zf: zipfile.ZipFile, part: str) -> str:
    """The sheet's name as Excel shows it, for a message (the part name if unknown)."""
    return next((name for name, p in (_sheet_targets(zf, strict=False) or [])
                 if p.casefold() == part.casefold()), part)


def _sheet_parts(zf: zipfile.ZipFile) -> dict | None:
    """{sheet name: its part ('xl/worksheets/sheet1.xml')} from the workbook part and its
    relationships (read with defusedxml, which refuses any entity); None when they
    cannot be read, or do not name each sheet's part plainly (see _sheet_targets)."""
    targets = _sheet_targets(zf)
    if targets is None or len({n for n, _ in targets}) != len(targets):
        return None                     # (a name given twice: which one is read?)
    return dict(targets)


def _sheet_targets(zf: zipfile.ZipFile, strict: bool = True) -> list | None:
    """[(sheet name, part)] in the workbook's order; None when unreadable, or (``strict``)
    when a target is not written plainly ('worksheets/sheet1.xml' or '/xl/worksheets/...'):
    a '.', '..' or backslash in it, which a reader may resolve its own way."""
    from defusedxml import ElementTree

    try:
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        target = {el.get("Id"): el.get("Target", "") for el in rels.iter() if el.get("Id")}
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        out = []
        for el in book.iter():
            if el.tag.endswith("}sheet"):
                rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
                if rid and rid in target:
                    t = target[rid]
                    plain = t[len("/xl/"):] if t.startswith("/xl/") else t
                    if strict and ("\\" in plain or plain.startswith("/") or
                                   any(step in (".", "..", "") for step in plain.split("/"))):
                        return None
                    out.append((el.get("name", ""), "xl/" + plain))
        return out
    except Exception:  # damaged: the caller falls back to what it does without names
        return None


def _without_other_sheets(zf: zipfile.ZipFile, infos, sheets) -> list:
    """The parts to scan when only ``sheets`` will be read: all but the other sheets' own
    XML (their relationships, drawings and comments are still scanned). All of them
    unless the workbook names each sheet's part plainly, once, and each sheet read has
    exactly one part of that name, letter case aside (python-calamine finds a part
    whatever its case, and a name given twice or in two cases could make one sheet
    read another's XML: found by review)."""
    parts = _sheet_parts(zf)
    if parts is None:
        return list(infos)
    folded: dict = {}
    for info in infos:
        folded.setdefault(info.filename.casefold(), []).append(info.filename)
    wanted = {p.casefold() for name, p in parts.items() if name in set(sheets)}
    if any(len(folded.get(p, ())) != 1 for p in wanted) or \
            any(len(names) > 1 for names in folded.values()):
        return list(infos)
    skip = {p.casefold() for p in parts.values()} - wanted
    return [i for i in infos if i.filename.casefold() not in skip]


def _date1904(path: Path, zf: zipfile.ZipFile) -> bool:
    """True when the workbook counts serial dates from 1904 (old Mac Excel)."""
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    except Exception as exc:  # defusedxml and expat raise several types; all mean "damaged"
        raise _refuse(path, f"the workbook part is damaged ({type(exc).__name__}).") from None
    for el in root.iter():
        if el.tag.endswith("}workbookPr") or el.tag == "workbookPr":
            return el.get("date1904", "0").lower() in ("1", "true")
    return False
