"""Look at a file before any parser does: is it an .xlsx we can safely open?

Each refusal is a RegisterError with one plain sentence. The checks are cheap and
run on the zip directory and the first bytes of each part, so a hostile file
(zip bomb, XML entity expansion) is refused before it costs memory.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from gain_workbook.errors import RegisterError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# A real register, even at 100,000 actions, unpacks to a few hundred MB at most.
MAX_UNPACKED = 2 * 1024**3
MAX_PART = 1024**3
MAX_RATIO = 200          # sheet XML compresses about 10-30:1; zeros compress 1000:1
RATIO_FLOOR = 20 * 1024**2   # small parts may compress as well as they like


@dataclass(frozen=True)
class WorkbookInfo:
    """What the sniff learnt that the reader needs."""

    path: Path
    date1904: bool
    lock_file: Path | None   # Excel's ~$ owner file beside it: the register is open in Excel


def _refuse(path: Path, why: str) -> RegisterError:
    return RegisterError(f"Cannot read '{path.name}': {why}")


def check_workbook(path: str | os.PathLike) -> WorkbookInfo:
    """Refuse anything that is not a safe, readable .xlsx; return what the reader needs."""
    path = Path(path)
    if path.name.startswith("~$"):
        real = path.with_name(path.name[2:])
        raise _refuse(path, "it is an Excel lock file (Excel makes it while a workbook is open), "
                      f"not a register; read '{real.name}' instead.")
    if path.is_dir():
        raise _refuse(path, "it is a folder, not a file.")
    if not path.exists():
        raise RegisterError(f"There is no file '{path}'.")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
            size = os.fstat(fh.fileno()).st_size
    except PermissionError:
        raise _refuse(path, "permission denied; it may be open and locked in another program "
                      "(close it, or save a copy and read that).") from None
    except OSError as exc:
        raise _refuse(path, f"{exc.strerror or exc}.") from None
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
        what = "a text file" if _looks_like_text(path) else "not an Excel workbook"
        raise _refuse(path, f"it is {what}, not an .xlsx workbook.")
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise _refuse(path, "the file is damaged or incomplete (perhaps cut short while "
                      "copying or downloading); open it in Excel to repair it, or use a backup.") from None
    except OSError as exc:
        raise _refuse(path, f"{exc.strerror or exc}.") from None
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names:
            kind = ("a Word document" if "word/document.xml" in names else
                    "a PowerPoint file" if "ppt/presentation.xml" in names else
                    "a zip archive")
            raise _refuse(path, f"it is {kind}, not an Excel workbook.")
        _check_sizes(path, infos)
        _check_xml_heads(path, zf, infos)
        date1904 = _date1904(path, zf)
    lock = path.with_name("~$" + path.name)
    return WorkbookInfo(path, date1904, lock if lock.exists() else None)


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
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise _refuse(path, f"its part '{info.filename}' would unpack to "
                          f"{info.file_size / 1024**2:,.0f} MB ({ratio:,.0f} times its packed "
                          "size), which no real register does; it may be a zip bomb.")
    if total > MAX_UNPACKED:
        raise _refuse(path, f"it would unpack to {total / 1024**3:,.1f} GB, more than any real "
                      "register; it may be a zip bomb.")


def _check_xml_heads(path: Path, zf: zipfile.ZipFile, infos) -> None:
    """Excel never writes a DTD; one in any part is an entity-expansion attack or worse."""
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with zf.open(info) as fh:
                head = fh.read(4096)
        except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as exc:
            raise _refuse(path, f"the file is damaged (part '{info.filename}': {exc}).") from None
        if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
            raise _refuse(path, f"its part '{info.filename}' declares XML entities, which Excel "
                          "never writes; the file was refused as unsafe.")


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
