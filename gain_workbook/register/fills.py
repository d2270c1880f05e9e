"""Status cells with no text but a fill colour: said, never read as a status.

Some offices colour a status cell green or red and type nothing in it. python-calamine
reads values only, so such a cell reads as empty; the validator would then say only
that the status is empty. This module looks at the fill of the empty status cells,
and only those, straight from the workbook's XML (each cell's style index in the
sheet, the style's fill in styles.xml), so reading stays fast: a register whose
statuses are all typed costs nothing. The colour is never turned into a status: the
clerk is told the cell has only a colour, and to type the status.

The file has been sniffed (``core.sniff``) before this reads it; styles.xml is parsed
with defusedxml.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

from gain_workbook.model.problems import make_problem
from gain_workbook.model.schema import ACTIONS, ITEMS
from gain_workbook.model.tables import PART_SPAN

# The status columns a row must have, whose empty cells are looked at.
STATUS_KEYS = ((ACTIONS, "action_status"), (ITEMS, "hmicfrs_status"))
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def colour_only_statuses(path, tables: dict, problems: list) -> None:
    """STATUS_ONLY_COLOUR for each empty status cell that has a fill colour."""
    wanted: dict[str, dict[str, list[int]]] = {}      # sheet -> letter -> Excel rows
    for table_name, key in STATUS_KEYS:
        table = tables[table_name]
        frame = table.frame
        if not len(frame) or key not in table.headers:
            continue
        empty = frame.index[frame[key].isna().to_numpy()]
        for index in empty:
            part = table.part(index)
            src = part.headers.get(key)
            if src and src[0]:
                wanted.setdefault(part.sheet, {}).setdefault(src[0], []).append(
                    int(index) % PART_SPAN)
    if not wanted or not Path(path).is_file():
        return
    try:
        filled = _filled_cells(Path(path), wanted)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError):
        return                     # not an xlsx we can look into: say only what is empty
    for sheet, cells in filled.items():
        header = _header_of(tables, sheet)
        for cell in cells:
            letter = cell.rstrip("0123456789")
            problems.append(make_problem("STATUS_ONLY_COLOUR", sheet, cell,
                                         header.get(letter, ""), "", at=cell))


def _header_of(tables, sheet: str) -> dict:
    """{letter: header} of the status columns on a sheet."""
    out = {}
    for table_name, key in STATUS_KEYS:
        for part in tables[table_name].parts:
            if part.sheet == sheet and key in part.headers:
                letter, header = part.headers[key]
                out[letter] = header
    return out


def _filled_cells(path: Path, wanted: dict) -> dict[str, list[str]]:
    """{sheet: ['H3', ...]} of the wanted cells whose style has a fill."""
    with zipfile.ZipFile(path) as z:
        fills = _filled_styles(z)
        if not fills:
            return {}
        out: dict[str, list[str]] = {}
        for sheet, columns, xml in sheets_wanted(z, wanted):
            rows = {letter.encode(): set(r) for letter, r in columns.items()}
            for m in CELL_TAG.finditer(xml):       # one pass over the sheet, every column
                letter, row = m.group(1), int(m.group(2))
                if row not in rows.get(letter, ()):
                    continue
                style = STYLE.search(m.group(0))
                if style and int(style.group(1)) in fills:
                    out.setdefault(sheet, []).append(f"{letter.decode()}{row}")
        return out


# A cell's tag and its reference; its style. (A tag's attributes stop at the next '<'
# or '>', so a search is linear on any sheet, as tests/test_patterns.py checks.)
CELL_TAG = re.compile(rb'<c\b[^<>]*?\br="([A-Z]{1,3})(\d{1,7})"[^<>]*>')
STYLE = re.compile(rb'\bs="(\d+)"')


def styles_root(z: zipfile.ZipFile):
    """The parsed styles.xml (defusedxml), or None when the workbook has none."""
    from defusedxml import ElementTree as ET

    name = "xl/styles.xml"
    return ET.fromstring(z.read(name)) if name in z.namelist() else None


def _filled_styles(z: zipfile.ZipFile) -> set[int]:
    """The cell styles (cellXfs positions) whose fill is a colour."""
    root = styles_root(z)
    if root is None:
        return set()
    ns = {"m": SHEET_NS}
    coloured = set()
    for n, fill in enumerate(root.findall("m:fills/m:fill", ns)):
        pattern = fill.find("m:patternFill", ns)
        gradient = fill.find("m:gradientFill", ns)
        if gradient is not None or (pattern is not None and pattern.get("patternType")
                                    not in (None, "none", "gray125")):
            coloured.add(n)
    return {n for n, xf in enumerate(root.findall("m:cellXfs/m:xf", ns))
            if int(xf.get("fillId", "0")) in coloured}


def sheets_wanted(z: zipfile.ZipFile, wanted: dict):
    """(sheet, what is wanted of it, its XML) of each sheet named in ``wanted`` that the
    workbook has: the one pass over a sheet that fills, shown_months and struck make."""
    parts = sheet_parts(z) if wanted else {}
    names = set(z.namelist())
    for sheet, columns in wanted.items():
        part = parts.get(sheet)
        if part is not None and part in names:
            yield sheet, columns, z.read(part)


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """{sheet name: its part in the zip ('xl/worksheets/sheet1.xml')}."""
    from defusedxml import ElementTree as ET

    book = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.findall(f"{{{_PKG_REL_NS}}}Relationship")}
    out = {}
    for sheet in book.iter(f"{{{SHEET_NS}}}sheet"):
        t = target.get(sheet.get(f"{{{_REL_NS}}}id"))
        if t:
            out[sheet.get("name")] = (t.lstrip("/") if t.startswith("/")
                                      else posixpath.normpath(posixpath.join("xl", t)))
    return out
