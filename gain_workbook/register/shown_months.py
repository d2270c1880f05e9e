"""Due dates shown as months: a date cell whose format shows no day ('Jan-26').

An office that types 'Jan-26' into Excel gets the date 1 January 2026, shown as a month
(Excel's own 'mmm-yy' format). python-calamine reads values only, so the cell read as
1 January: the action fell due a month early, overdue in silence. The office means the
month, as the same words typed as text mean (``core.dates.month_or_quarter``): its last
day. This module looks, straight in the workbook's XML, at the format of the due dates
read, and only when styles.xml has a format that shows a month and a year with no day;
each such date is read as its month's last day, said once for each column.

The file has been sniffed (``core.sniff``) before this reads it; styles.xml is parsed
with defusedxml.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import zipfile
from pathlib import Path

from gain_workbook.model.problems import make_problem
from gain_workbook.model.schema import ACTIONS, ITEMS
from gain_workbook.model.tables import PART_SPAN
from gain_workbook.register.fills import CELL_TAG, SHEET_NS, STYLE, sheets_wanted, styles_root

# The dates a month stands for (a due date, a deadline): read as the month's last day.
DUE_KEYS = ((ACTIONS, "due"), (ACTIONS, "revised_due"), (ITEMS, "deadline"),
            (ITEMS, "agreed_deadline"))
_BUILTIN_MONTH = {17}                   # Excel's built-in 'mmm-yy'
# a format's literal text, colours and locales, escapes: none of them shows a date part
# (a bracket cannot hold another, so a search for one ends at the next: linear)
_QUOTED = re.compile(r'"[^"]*"|\[[^\][]*\]|\\.')
_TEXT_CELL = re.compile(rb'\bt="(?:s|str|inlineStr)"')


def month_only(code: str) -> bool:
    """Does a number format show a month and a year with no day (and no time)?"""
    plain = _QUOTED.sub("", code).split(";")[0].lower()    # (a ';' in quotes is text)
    return "m" in plain and "y" in plain and not any(ch in plain for ch in "dhs")


def months_shown(path, tables: dict, problems: list) -> None:
    """Each due date whose cell is shown as a month read as the month's last day; one
    DATE_SHOWN_AS_MONTH warning per column that has any."""
    if not Path(path).is_file() or not any(len(tables[t].frame) for t, _ in DUE_KEYS):
        return
    try:
        with zipfile.ZipFile(path) as z:
            styles = _month_styles(z)
            found = _shown(z, styles, tables) if styles else {}
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError):
        return                      # not an xlsx we can look into: the dates stand as read
    for (table_name, key), indexes in found.items():
        _to_month_ends(tables[table_name], key, indexes, problems)


def _month_styles(z: zipfile.ZipFile) -> set[int]:
    """The cell styles (cellXfs positions) whose number format shows only a month."""
    root = styles_root(z)
    if root is None:
        return set()
    ns = {"m": SHEET_NS}
    months = set(_BUILTIN_MONTH)
    for fmt in root.findall("m:numFmts/m:numFmt", ns):
        if month_only(fmt.get("formatCode", "")):
            months.add(_number(fmt.get("numFmtId")))
    # (a stray style with no number, or not a number, is no month's: it stops nothing)
    return {n for n, xf in enumerate(root.findall("m:cellXfs/m:xf", ns))
            if _number(xf.get("numFmtId")) in months}


def _number(text) -> int:
    """An attribute's whole number, -1 when it is not one."""
    try:
        return int(text)
    except (TypeError, ValueError):
        return -1


def _shown(z: zipfile.ZipFile, styles: set[int], tables: dict) -> dict:
    """{(table, key): [indexes]} of the due dates read whose cells have those styles."""
    wanted: dict = {}                   # sheet -> letter -> {Excel row: (table, key, index)}
    for table_name, key in DUE_KEYS:
        table = tables[table_name]
        frame = table.frame
        if key not in frame:
            continue
        for index, value in zip(frame.index, frame[key]):
            if isinstance(value, dt.date):
                src = table.part(index).headers.get(key)
                if src and src[0]:
                    wanted.setdefault(table.part(index).sheet, {}).setdefault(
                        src[0].encode(), {})[int(index) % PART_SPAN] = (table_name, key, index)
    out: dict = {}
    for _, columns, xml in sheets_wanted(z, wanted):
        for m in CELL_TAG.finditer(xml):
            got = columns.get(m.group(1), {}).get(int(m.group(2)))
            if got is None:
                continue
            tag = m.group(0)
            style = STYLE.search(tag)
            # (a cell with no value, only a format, is not where the date came from: a
            # period's column read from an earlier one where it is blank)
            empty = tag.endswith(b"/>") or xml.startswith(b"</", m.end())
            if style and int(style.group(1)) in styles and not _TEXT_CELL.search(tag) \
                    and not empty:
                out.setdefault(got[:2], []).append(got[2])
    return out


def _to_month_ends(table, key: str, indexes: list, problems: list) -> None:
    frame = table.frame
    values = frame[key].tolist()
    position = {index: n for n, index in enumerate(frame.index)}
    first = None
    for index in sorted(indexes):
        n = position[index]
        day = values[n]
        last = dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
        if first is None:
            first = (index, day, last)
        values[n] = last
    frame[key] = values
    index, day, last = first
    sheet, cell, header = table.where(key, index)
    more = len(indexes) - 1
    problems.append(make_problem(
        "DATE_SHOWN_AS_MONTH", sheet, cell, header, f"{day:%b-%y}", date=f"{last:%d/%m/%Y}",
        more=f" (and so {'was' if more == 1 else 'were'} {more} more in the column)"
        if more else ""))
