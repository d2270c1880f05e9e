"""Actions struck through: how many offices mark an action withdrawn or replaced.

python-calamine reads values only, so a struck-through action ('Old action: buy new
system', its whole row struck) was read as live: In progress, 881 days overdue, Red,
and nothing said. This module looks, straight in the workbook's XML, at the style of
each action's words, and only when styles.xml has a font struck through; each action
so marked is said (ACTION_STRUCK_THROUGH), and read as written: whether it was
withdrawn, replaced or done is the office's to say, in its Status.

The file has been sniffed (``core.sniff``) before this reads it; styles.xml is parsed
with defusedxml.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from gain_workbook.core.text import shorten
from gain_workbook.model.problems import make_problem
from gain_workbook.model.schema import ACTIONS
from gain_workbook.model.tables import PART_SPAN
from gain_workbook.register.fills import CELL_TAG, SHEET_NS, STYLE, sheet_parts, styles_root


def struck_actions(path, tables: dict, problems: list) -> None:
    """ACTION_STRUCK_THROUGH for each action whose words' cell is struck through."""
    table = tables[ACTIONS]
    if not len(table.frame) or not Path(path).is_file():
        return
    try:
        with zipfile.ZipFile(path) as z:
            struck = _struck_styles(z)
            found = _struck_cells(z, struck, table) if struck else []
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError):
        return                      # not an xlsx we can look into: the actions stand as read
    frame = table.frame
    for index in sorted(found):
        sheet, cell, header = table.where("action_text", index)
        problems.append(make_problem(
            "ACTION_STRUCK_THROUGH", sheet, cell, header,
            shorten(str(frame.at[index, "action_text"] or ""), 60),
            status=frame.at[index, "action_status"] or "no status"))


def _struck_styles(z: zipfile.ZipFile) -> set[int]:
    """The cell styles (cellXfs positions) whose font is struck through."""
    root = styles_root(z)
    if root is None:
        return set()
    ns = {"m": SHEET_NS}
    fonts = set()
    for n, font in enumerate(root.findall("m:fonts/m:font", ns)):
        strike = font.find("m:strike", ns)
        if strike is not None and strike.get("val", "1").lower() not in ("0", "false"):
            fonts.add(n)
    if not fonts:
        return set()
    return {n for n, xf in enumerate(root.findall("m:cellXfs/m:xf", ns))
            if xf.get("fontId", "0").isdecimal() and int(xf.get("fontId", "0")) in fonts}


def _struck_cells(z: zipfile.ZipFile, struck: set[int], table) -> list:
    """The indexes of the actions whose words' cells have those styles."""
    wanted: dict = {}                   # sheet -> letter -> {Excel row: index}
    for index in table.frame.index:
        part = table.part(index)
        src = part.headers.get("action_text")
        if src and src[0]:
            wanted.setdefault(part.sheet, {}).setdefault(src[0].encode(), {})[
                int(index) % PART_SPAN] = index
    parts = sheet_parts(z) if wanted else {}
    out = []
    for sheet, columns in wanted.items():
        part = parts.get(sheet)
        if part is None or part not in z.namelist():
            continue
        for m in CELL_TAG.finditer(z.read(part)):
            index = columns.get(m.group(1), {}).get(int(m.group(2)))
            style = STYLE.search(m.group(0)) if index is not None else None
            if style and int(style.group(1)) in struck:
                out.append(index)
    return out
