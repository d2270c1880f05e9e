"""The file an email carries: checked before it goes (an .xlsx, .docx or .pdf we can
open), told apart (a board pack, or a PCC response: its title and facts read back from
it), the register beside it, and a workbook encrypted with a password when asked."""

from __future__ import annotations

import re
from pathlib import Path

from gain_workbook.core.errors import InputError, UsageError
from gain_workbook.excel.packfile import RESPONSE_FIELDS
from gain_workbook.excel.packfile import RESPONSE_TITLE as TITLE
from gain_workbook.excel.packfile import PACK_INFO_SHEET, PackInfo, is_pack, open_workbook, read_info

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")

MIME_TYPES = {".xlsx": XLSX_TYPE,
              ".docx": ("application",
                        "vnd.openxmlformats-officedocument.wordprocessingml.document"),
              ".pdf": ("application", "pdf"),
              ".html": ("text", "html")}

LARGE_ATTACHMENT = 10 * 1024 * 1024



def check_attachment(path) -> bytes:
    """The bytes of an .xlsx, .docx or .pdf we can open; anything else is refused with
    one sentence."""
    from gain_workbook.core.sniff import check_workbook

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in MIME_TYPES:
        raise InputError(f"Only .xlsx workbooks, and responses as .docx, .pdf or .html, are "
                         f"attached; '{path.name}' is none of them.")
    if suffix != ".xlsx":
        return _document_bytes(path)
    # missing, damaged, encrypted, a lock file, a zip bomb ...
    check_workbook(path, role="the workbook to attach")
    import python_calamine as pc

    try:
        pc.CalamineWorkbook.from_path(str(path)).close()
    except Exception:
        raise InputError(f"'{path.name}' cannot be opened as a workbook, so it is not "
                         "attached.") from None
    return path.read_bytes()



def _document_bytes(path: Path) -> bytes:
    """A response as .docx, .pdf or .html: there, a file, and what its name says it is."""
    import io
    import zipfile

    from gain_workbook.core.files import protect

    protect(path, "the file to attach")
    if not path.is_file():
        raise InputError(f"There is no file '{path}'." if not path.exists() else
                         f"'{path.name}' is not an ordinary file, so it is not attached.")
    data = path.read_bytes()
    if path.suffix.lower() == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise InputError(f"'{path.name}' is not a PDF (it does not start like one), so it "
                             "is not attached.")
        return data
    if path.suffix.lower() == ".html":
        if not _html_text(data).lstrip().lower().startswith(("<!doctype html", "<html")):
            raise InputError(f"'{path.name}' is not a web page (it does not start like one), so "
                             "it is not attached.")
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            ok = "word/document.xml" in zf.namelist()
            why = _unsafe_parts(zf) if ok else ""
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        ok, why = False, ""
    if not ok:
        raise InputError(f"'{path.name}' cannot be opened as a Word document, so it is not "
                         "attached.")
    if why:
        raise InputError(f"'{path.name}' {why}, so it is not attached.")
    return data


# A response's Word parts are small: a part that unpacks to more is no response of ours
# (a zip bomb, or a run of text made to exhaust the parser).
DOCX_PART_LIMIT = 64 * 1024 * 1024


def _unsafe_parts(zf) -> str:
    """Why a .docx's parts are not safe to read ('' when they are): one unpacking past
    DOCX_PART_LIMIT, or XML declaring entities (Word never writes them)."""
    from gain_workbook.core.sniff import declares_entities

    for info in zf.infolist():
        if info.file_size > DOCX_PART_LIMIT:
            return (f"has a part ('{info.filename}') that unpacks to "
                    f"{info.file_size // (1024 * 1024):,} MB, more than any response")
    for info in zf.infolist():
        if info.filename.endswith((".xml", ".rels")):
            with zf.open(info) as part:
                if declares_entities(part.read(DOCX_PART_LIMIT)):
                    return (f"declares XML entities in its part '{info.filename}', which "
                            "Word never writes; it was refused as unsafe")
    return ""



def _html_text(data: bytes) -> str:
    return data.decode("utf-8", "replace").lstrip("\ufeff")


VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "col", "source"}


def _html_rows(text: str):
    """(the rows of a web page's tables as the texts of their cells, its <title>); what
    is hidden from a screen reader (aria-hidden) is left out, as it would be said."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.rows, self.title = [], ""
            self.cell = self.title_parts = None
            self.hidden = 0

        def handle_starttag(self, tag, attrs):
            if self.hidden or dict(attrs).get("aria-hidden") == "true":
                self.hidden += tag not in VOID
            elif tag == "tr":
                self.rows.append([])
            elif tag in ("th", "td") and self.rows:
                self.cell = []
            elif tag == "title":
                self.title_parts = []

        def handle_endtag(self, tag):
            if self.hidden:
                self.hidden -= tag not in VOID
            elif tag in ("th", "td") and self.cell is not None:
                self.rows[-1].append(" ".join("".join(self.cell).split()))
                self.cell = None
            elif tag == "title" and self.title_parts is not None:
                self.title = " ".join("".join(self.title_parts).split())
                self.title_parts = None

        def handle_data(self, data):
            for part in (self.cell, self.title_parts):
                if part is not None and not self.hidden:
                    part.append(data)

    reader = Reader()
    reader.feed(text)
    return reader.rows, reader.title


def response_facts(path) -> list[tuple[str, str]]:
    """The (title, date published) of each report a response answers, read from its
    details (a .docx's or web page's tables, a workbook's rows) or, for a PDF, from the
    title in its properties (with no date: its text is not read). Call it on a file
    check_attachment has already let through."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        import docx

        try:
            doc = docx.Document(str(path))
        except Exception:          # (lxml's and python-docx's own errors: any is damage)
            raise InputError(f"'{path.name}' cannot be opened as a Word document, so it is "
                             "not attached.") from None
        rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    elif suffix == ".xlsx":
        wb = open_workbook(path)
        rows = [r for name in wb.sheet_names for r in wb.get_sheet_by_name(name).to_python()]
        wb.close()
    elif suffix == ".html":
        rows = _html_rows(_html_text(path.read_bytes()))[0]
    else:
        return _pdf_facts(path.read_bytes())
    pairs, title = [], None
    for r in rows:
        label = str(r[0]).strip() if r else ""
        value = next((str(v) for v in r[1:] if v not in (None, "") and str(v) != label), "")
        if label == RESPONSE_FIELDS[0]:
            title = value
        elif label == RESPONSE_FIELDS[1] and title is not None:
            pairs.append((title, value))
            title = None
    return pairs


# a title of at most 1,000 characters: each label's look-ahead is bounded, so a hostile
# text of many labels costs its length, not its square
_PDF_DETAILS = re.compile(rf"{RESPONSE_FIELDS[0]}[ \n]([^\x00]{{1,1000}}?)[ \n]"
                          rf"{RESPONSE_FIELDS[1]}[ \n]{{1,3}}(\d{{1,2}} [A-Z][a-z]+ \d{{4}})")


def _pdf_facts(data: bytes) -> list[tuple[str, str]]:
    """A response PDF's reports, read from its text's details (pypdf); one report's title
    as its properties hold it, where they name one (the text breaks it across lines)."""
    import io

    try:
        import pypdf

        text = "\n".join(page.extract_text() or "" for page in
                         pypdf.PdfReader(io.BytesIO(data)).pages)
    except Exception:
        text = ""
    found = []
    for m in _PDF_DETAILS.finditer(text):
        title = re.sub(r"(?<=\w-)\n(?=\w)", "", m.group(1))   # 'group-\nbased'
        found.append((" ".join(title.split()), m.group(2)))
    named = _report_title(document_title(".pdf", data))
    if named and len(found) <= 1:
        return [(named, found[0][1] if found else "")]
    return found


def _report_title(title: str) -> str:
    """The report's title in a response's document title ('PCC response to HMICFRS
    inspection: <title>'); '' for one of several, or none."""
    head = TITLE + ": "
    title = title.removesuffix(" (working copy)")
    return title[len(head):].strip() if title.startswith(head) else ""


def _xlsx_title(data: bytes) -> str:
    """The title in a workbook's (or Word document's) properties ('' when it has none)."""
    import io
    import zipfile

    from defusedxml import ElementTree

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if "docProps/core.xml" not in zf.namelist():
            return ""
        root = ElementTree.fromstring(zf.read("docProps/core.xml"))
    el = root.find("{http://purl.org/dc/elements/1.1/}title")
    return (el.text or "") if el is not None else ""



def document_title(path, data: bytes) -> str:
    """The title in the properties of a workbook, Word document or PDF, given its name
    and bytes ('' when it has none)."""
    try:
        suffix = Path(path).suffix.lower()
        if suffix == ".pdf":
            return _pdf_title(data)
        if suffix == ".html":
            return _html_rows(_html_text(data))[1]
        return _xlsx_title(data)          # a .docx keeps it in the same part
    except Exception:
        return ""



def _pdf_title(data: bytes) -> str:
    """The document's /Title in a PDF written by LibreOffice from our file: a literal
    (...) or UTF-16 hex <FEFF...>. Bookmarks have a /Title too (the sheet names), so the
    one that is ours is taken."""
    for m in re.finditer(rb"/Title\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", data):
        raw = m.group(1)
        if raw.startswith(b"<"):
            blob = bytes.fromhex(re.sub(rb"\s", b"", raw[1:-1]).decode("ascii"))
            text = blob[2:].decode("utf-16-be", "replace") if blob[:2] == b"\xfe\xff" \
                else blob.decode("latin-1")
        else:
            text = re.sub(rb"\\(.)", rb"\1", raw[1:-1]).decode("latin-1")
        if text.startswith(TITLE):
            return text
    return ""



def is_response(path, data: bytes) -> bool:
    """A response written by gain-pack (``data``: the file's bytes, from check_attachment):
    every .docx or .pdf we attach is one (packs are .xlsx), and an .xlsx whose document
    title says so. A working copy is refused: it is the office's, not for the Home Office."""
    path = Path(path)
    title = document_title(path, data)
    if title.startswith(TITLE) and title.endswith("(working copy)"):
        raise UsageError(f"'{path.name}' is the office's working copy of the response (owners, "
                         "RAG and the board pack's marking), not for publication, so it is not "
                         "emailed; email the published copy instead (the one 'gain-pack "
                         "response' writes by default).")
    return path.suffix.lower() in (".pdf", ".docx", ".html") or title.startswith(TITLE)



GAP = "[To be added"      # how a response marks what it still needs (response.document)


# a tag, for the text between them (Word splits a phrase over runs as it is edited)
_TAG = re.compile(r"<[^<>]*>")


def gaps_in(path, data: bytes) -> int | None:
    """How many parts of a response are still marked '[To be added: ...]': read from the
    file itself (its text, not its markup: Word splits words over runs), so a gap filled
    in by hand is not counted. None when the file cannot be read to tell."""
    import io
    import zipfile

    suffix = Path(path).suffix.lower()
    try:
        if suffix == ".html":
            return _TAG.sub("", _html_text(data)).count(GAP)
        if suffix == ".pdf":
            import pypdf

            reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
            text = "".join(page.extract_text() or "" for page in reader.pages)
            return " ".join(text.split()).count(GAP)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = [n for n in z.namelist() if n in ("word/document.xml",
                                                      "xl/sharedStrings.xml")
                     or n.startswith("xl/worksheets/sheet")]
            return sum(_TAG.sub("", z.read(n).decode("utf-8", "replace")).count(GAP)
                       for n in parts)
    except Exception:           # (pypdf's and zipfile's errors: it cannot be told)
        return None


def register_beside(path) -> list[Path]:
    """The registers in the folder of ``path``: workbooks with a Settings sheet that are
    not a pack, a response, merge's backup of a register or an Excel lock file (the
    caller uses one when it is alone)."""
    from gain_workbook.model.history import is_backup

    path = Path(path)
    found = []
    for cand in sorted(path.parent.glob("*.xlsx")):
        if cand.name.startswith("~$") or cand == path or cand.name.startswith("PCC response") \
                or is_backup(cand.name):
            continue
        names = sheet_names(cand)
        if "Settings" in names and not is_pack(names):
            found.append(cand)
    return found


def sheet_names(path) -> list[str]:
    """The sheets of a workbook, read without reading a cell ([] if it cannot be opened)."""
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
        try:
            return list(wb.sheet_names)
        finally:
            wb.close()
    except Exception:
        return []



def pack_info(path) -> PackInfo | None:
    """What a board pack says about itself (None for a workbook that is not one)."""
    try:
        return read_info(open_workbook(path, sheets=(PACK_INFO_SHEET,)), Path(path).name)
    except Exception:
        return None



def size_warnings(data: bytes) -> list[str]:
    if len(data) > LARGE_ATTACHMENT:
        return [f"the attachment is {len(data) / 1024 ** 2:.1f} MB; many mail servers "
                "refuse messages over 10 MB"]
    return []



def encrypt_xlsx(data: bytes, password: str) -> bytes:
    """The workbook encrypted with Office's own (AES) encryption: Excel asks for the password."""
    import io

    import msoffcrypto.format.ooxml as ooxml

    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()
