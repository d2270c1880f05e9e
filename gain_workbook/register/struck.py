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

import re
import zipfile
from pathlib import Path

from gain_workbook.core.text import shorten
from gain_workbook.model.problems import make_problem
from gain_workbook.model.schema import ACTIONS
from gain_workbook.model.tables import PART_SPAN
from gain_workbook.register.fills import CELL_TAG, SHEET_NS, STYLE, sheets_wanted, styles_root


def struck_actions(path, tables: dict, problems: list) -> None:
    """ACTION_STRUCK_THROUGH for each action whose words' cell is struck through."""
    table = tables[ACTIONS]
    if not len(table.frame) or not Path(path).is_file():
        return
    try:
        with zipfile.ZipFile(path) as z:
            struck, runs = _struck_styles(z), _struck_strings(z)
            found = _struck_cells(z, struck, runs, table)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError):
        return                      # not an xlsx we can look into: the actions stand as read
    frame = table.frame
    for index in sorted(found):
        sheet, cell, header = table.where("action_text", index)
        problems.append(make_problem(
            "ACTION_STRUCK_THROUGH", sheet, cell, header,
            shorten(str(frame.at[index, "action_text"] or ""), 60),
            what="is struck through" if found[index] == WHOLE else
            "has words struck through (read with the rest)",
            status=frame.at[index, "action_status"] or "no status"))


WHOLE, PART = "whole", "part"


def _struck_strings(z: zipfile.ZipFile) -> dict[int, str]:
    """{shared string index: WHOLE or PART} of the texts struck through word by word, as
    Excel saves a cell struck in its edit mode (runs of rich text); only where the part
    has a struck run at all."""
    from defusedxml import ElementTree as ET

    name = "xl/sharedStrings.xml"
    if name not in z.namelist():
        return {}
    data = z.read(name)
    if b"strike" not in data:
        return {}
    ns = {"m": SHEET_NS}
    out = {}
    for n, si in enumerate(ET.fromstring(data).findall("m:si", ns)):
        runs = [r for r in si.findall("m:r", ns)
                if (r.findtext("m:t", default="", namespaces=ns) or "").strip()]
        struck = [r for r in runs if _strike_on(r.find("m:rPr/m:strike", ns))]
        if struck:
            out[n] = WHOLE if len(struck) == len(runs) else PART
    return out


def _strike_on(strike) -> bool:
    return strike is not None and strike.get("val", "1").lower() not in ("0", "false")


def _struck_styles(z: zipfile.ZipFile) -> set[int]:
    """The cell styles (cellXfs positions) whose font is struck through."""
    root = styles_root(z)
    if root is None:
        return set()
    ns = {"m": SHEET_NS}
    fonts = {n for n, font in enumerate(root.findall("m:fonts/m:font", ns))
             if _strike_on(font.find("m:strike", ns))}
    if not fonts:
        return set()
    return {n for n, xf in enumerate(root.findall("m:cellXfs/m:xf", ns))
            if xf.get("fontId", "0").isdecimal() and int(xf.get("fontId", "0")) in fonts}


def _struck_cells(z: zipfile.ZipFile, struck: set[int], runs: dict, table) -> dict:
    """{action index: WHOLE or PART} of the actions whose words' cells have those styles,
    or hold shared strings struck word by word (``runs``)."""
    wanted: dict = {}                   # sheet -> letter -> {Excel row: index}
    for index in table.frame.index:
        part = table.part(index)
        src = part.headers.get("action_text")
        if src and src[0]:
            wanted.setdefault(part.sheet, {}).setdefault(src[0].encode(), {})[
                int(index) % PART_SPAN] = index
    out: dict = {}
    for _, columns, xml in sheets_wanted(z, wanted):
        if not struck and not runs and b"strike" not in xml:
            continue                    # (no text struck on this sheet: not looked through)
        for m in CELL_TAG.finditer(xml):
            index = columns.get(m.group(1), {}).get(int(m.group(2)))
            if index is None:
                continue
            style = STYLE.search(m.group(0))
            if style and int(style.group(1)) in struck:
                out[index] = WHOLE
            elif runs and b't="s"' in m.group(0) and (v := _VALUE.match(xml, m.end())):
                if int(v.group(1)) in runs:
                    out[index] = runs[int(v.group(1))]
            elif b"inlineStr" in m.group(0):
                end = xml.find(b"</c>", m.end())
                body = xml[m.end():end if end != -1 else len(xml)]
                if b"strike" in body and (got := _runs_struck(body)):
                    out[index] = got
    return out


_VALUE = re.compile(rb"\s{0,16}<v>(\d{1,9})</v>")
_RUN_START = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?r[ >]")
_RUN_TEXT = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?t(?: [^<>]{0,200})?>\s*[^<\s]")
_STRIKE_OFF = re.compile(rb'strike val="(?:0|false)"')


def _runs_struck(body: bytes) -> str | None:
    """WHOLE, PART or None: an inline rich text's runs (a cell struck in Excel's edit mode,
    or partly) that are struck through, of those with words."""
    runs = [r for r in _RUN_START.split(body)[1:] if _RUN_TEXT.search(r)]
    # (a run's properties come before its text: '<rPr><strike/></rPr><t>...</t>')
    struck = [r for r in runs if b"strike" in r.split(b"<t", 1)[0] and not _STRIKE_OFF.search(r)]
    if not struck:
        return None
    return WHOLE if len(struck) == len(runs) else PART
