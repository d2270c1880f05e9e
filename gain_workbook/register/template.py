"""`gain-pack init`: a new register workbook, generated from the schema.

Dropdowns (data validation) on every controlled column, frozen headers, widths,
and a Guide sheet describing every column, all from ``schema.COLUMNS`` so the
template cannot drift from what the reader and validator expect. Blank unless asked
for the worked example in ``templates/example_register.json``. Each column is wide
enough for its header's longest word and its dropdown's longest choice; text wraps,
with row heights set; the sheets print A4 landscape, one page wide, headers repeated.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from gain_workbook.model import schema
from gain_workbook.excel import styles
from gain_workbook.core.bundled import bundled_text
from gain_workbook.core.dates import parse_date
from gain_workbook.model.settings import SETTINGS
from gain_workbook.excel.writer import workbook_at

TEMPLATE_ROWS = 2000          # rows that get dropdowns and formats
EXAMPLE = "example_register.json"


def load_example() -> dict:
    """The worked example register (settings, inspections, items, actions) as dicts."""
    return json.loads(bundled_text(EXAMPLE))


def write_register_template(path, example: bool = False, force: bool = False,
                            data: dict | None = None, extra_headers: dict | None = None,
                            read_from: list | None = None, force_name: str = "",
                            created: dt.date | None = None, history: dict | None = None,
                            others: list | None = None) -> Path:
    """Write a new register to ``path``; refuses to replace a file unless ``force``.

    A blank register (headers, dropdowns, Guide, Settings) unless ``example`` asks for
    the worked example (another force's name and inspection). ``data`` (settings,
    inspections, items, actions as dicts keyed by our headers) fills it instead.
    ``force_name`` goes on the Settings sheet. ``extra_headers`` {table: [header ...]}
    are the office's own columns, written at the right of ours (`adopt`); ``read_from``
    rows (sheet, row, original sheet, original row) become a "Read from" sheet.
    ``created`` is the file's created date (default: today). ``history`` {sheet: rows}
    are merge's and decisions' history sheets (Updates, Extension requests) carried over
    as they were written (`adopt`), each row {header: value}. ``others`` [(name, rows,
    hidden)] are the office's sheets that are not the register's (a key, a glossary),
    copied after ours as their values were (`adopt`).
    """
    path = Path(path)
    if data is None:
        data = {"settings": {}, "inspections": [], "items": [], "actions": []}
        if example:
            data = load_example()
    if force_name:
        data = {**data, "settings": {**data["settings"], "Force name": force_name}}
    with workbook_at(path, title="HMICFRS inspection register",
                     subject="Register of HMICFRS inspections, items and actions",
                     overwrite=force, created=created or dt.date.today()) as wb:
        fmt = styles.formats(wb)
        _guide(wb, fmt)
        lists = _lists_sheet(wb, fmt)
        for table in schema.TABLES + schema.OPTIONAL_TABLES:
            _table_sheet(wb, fmt, table, data.get(table, []), lists,
                         (extra_headers or {}).get(table, ()))
        _settings_sheet(wb, fmt, data["settings"])
        if read_from is not None:
            _read_from_sheet(wb, fmt, read_from)
        for sheet, rows in (history or {}).items():
            if rows:
                _history_sheet(wb, fmt, sheet, rows)
        for name, rows, hidden in others or ():
            _copied_sheet(wb, fmt, name, rows, hidden)
        lists.hide()
    return path


def _copied_sheet(wb, fmt, name: str, rows: list, hidden: bool) -> None:
    """One of the office's own sheets, its values as they were: text always as text (never
    a formula or a link), numbers as numbers, dates as dates; hidden if it was."""
    ws = wb.add_worksheet(name)
    widths: dict = {}
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v in ("", None):
                continue
            if isinstance(v, (dt.date, dt.datetime)):
                ws.write_datetime(r, c, v if isinstance(v, dt.datetime) else
                                  dt.datetime(v.year, v.month, v.day), fmt["date"])
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, str(v))
            widths[c] = max(widths.get(c, 8), min(60, len(str(v)) + 2))
    for c, w in widths.items():
        ws.set_column(c, c, w)
    if hidden:
        ws.hide()


def _lists_sheet(wb, fmt):
    ws = wb.add_worksheet("Lists")
    vocabularies = {"Kind": schema.ITEM_KINDS, "HMICFRS status": schema.HMICFRS_STATUSES,
                    "Action status": schema.ACTION_STATUSES, "Yes/No": schema.YES_NO,
                    "Type": schema.INSPECTION_TYPES}
    ws.ranges = {}
    for c, (name, words) in enumerate(vocabularies.items()):
        ws.write_string(0, c, name, fmt["header"])
        for r, word in enumerate(words, start=1):
            ws.write_string(r, c, word)
        letter = chr(65 + c)
        ws.ranges[words] = f"=Lists!${letter}$2:${letter}${len(words) + 1}"
    return ws


MAX_LINES = 30               # a row taller than this (Excel's limit is 409 pt) is cut
SHORT_TEXT = 30              # a short text column grows to fit its values up to this width


def column_width(col, values=()) -> float:
    """A template column's width: the schema's, widened to the longest word of its
    (bold) header, the longest choice of its dropdown (and the arrow beside it), and
    for a short text column the longest value, up to SHORT_TEXT."""
    width = float(col.width)
    words = col.header.replace("(", " ").replace(")", " ").split()
    width = max(width, max(len(w) for w in words) * 1.15 + 2)
    if col.kind in ("vocab", "yesno"):
        width = max(width, max(len(v) for v in col.vocab) * 1.05 + 3)
    if col.kind in ("text", "id", "ref") and col.width < SHORT_TEXT:
        longest = max((len(str(v)) for v in values if v not in (None, "")), default=0)
        width = max(width, min(longest * 1.05 + 2, SHORT_TEXT))
    return round(width, 1)


def _table_sheet(wb, fmt, table: str, rows: list[dict], lists, extra=()) -> None:
    """One of the register's table sheets: headers with their descriptions, a dropdown
    or a check on every column that has one, the rows, a filter; printable."""
    ws = wb.add_worksheet(schema.SHEET_NAMES[table])
    # a column a new register needs only for some offices (Force) when it has values
    cols = [c for c in schema.columns_of(table) if c in schema.template_columns(table)
            or any(r.get(c.header) not in (None, "") for r in rows)]
    widths = [column_width(col, [r.get(col.header) for r in rows]) for col in cols]
    ws.freeze_panes(1, 1)
    header_lines = max(styles.wrapped_lines(col.header, w, 1.1) for col, w in zip(cols, widths))
    ws.set_row(0, max(2, header_lines) * styles.LINE_HEIGHT + 4)
    last = TEMPLATE_ROWS
    for c, (col, width) in enumerate(zip(cols, widths)):
        cell_fmt = {"date": fmt["date"], "text": fmt["wrap"]}
        ws.set_column(c, c, width, cell_fmt.get(col.kind, fmt["text"]))
        ws.write_string(0, c, col.header, fmt["header"])
        ws.write_comment(0, c, col.description, {"x_scale": 2, "y_scale": 1.2})
        check = _validation(col, lists, last)
        if check is not None:
            ws.data_validation(1, c, last, c, check)
    for c, header in enumerate(extra, start=len(cols)):
        ws.set_column(c, c, 16, fmt["text"])
        ws.write_string(0, c, header, fmt["header"])
    _table_rows(ws, fmt, cols, widths, rows, extra)
    ws.autofilter(0, 0, max(len(rows), 1), len(cols) + len(extra) - 1)
    _printable(ws, repeat=0)


def _validation(col, lists, last: int) -> dict | None:
    """The dropdown or check a column's cells get (xlsxwriter's options), if any."""
    if col.kind in ("vocab", "yesno"):
        return {"validate": "list", "source": lists.ranges[col.vocab],
                "error_title": col.header[:32], "error_type": "warning",
                "error_message": f"Choose one of: {', '.join(col.vocab)}"[:255]}
    if col.kind == "date":
        return {"validate": "date", "criteria": "between",
                "minimum": _d("01/01/2000"), "maximum": _d("31/12/2100"),
                "error_title": col.header[:32], "error_type": "warning",
                "error_message": "Type a date such as 31/12/2024."}
    if col.kind == "multi":
        return {"validate": "any", "input_title": col.header,
                "input_message": ("One or more, separated by commas: "
                                  + ", ".join(col.vocab))[:255]}
    if col.key == "owner":
        # a name from the Owners sheet, or any other (said, not refused)
        return {"validate": "list", "error_type": "information", "ignore_blank": True,
                "source": f"={schema.SHEET_NAMES[schema.OWNERS]}!$A$2:$A${last + 1}",
                "error_title": col.header[:32],
                "error_message": "This name is not on the Owners sheet, so no update request "
                                 "can be emailed to them; add them there."}
    if col.key in schema.REFERENCES:
        target = schema.REFERENCES[col.key]
        letter = "A"     # the id is the first column of every table
        return {"validate": "list", "error_type": "warning",
                "source": f"={schema.SHEET_NAMES[target]}!${letter}$2:${letter}${last + 1}",
                "error_title": col.header[:32],
                "error_message": f"Use an id from the {schema.SHEET_NAMES[target]} sheet."}
    return None


def _table_rows(ws, fmt, cols, widths, rows: list[dict], extra) -> None:
    """The rows under the headers, each as tall as its longest text needs."""
    for r, row in enumerate(rows, start=1):
        tall = 15
        for c, col in enumerate(cols):
            value = row.get(col.header)
            if value in (None, ""):
                continue
            day = _as_date(value) if col.kind == "date" else None
            if day is not None:
                ws.write_datetime(r, c, day, fmt["date"])
            else:
                text = str(value)          # a date column's 'TBC' is kept as written
                ws.write_string(r, c, text)
                if col.kind == "text":
                    lines = min(styles.wrapped_lines(text, widths[c]), MAX_LINES)
                    tall = max(tall, lines * styles.LINE_HEIGHT + 2)
        for c, header in enumerate(extra, start=len(cols)):
            _write_kept(ws, r, c, row.get(header), fmt)
        ws.set_row(r, tall)


def _as_date(value):
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    d = parse_date(value) if isinstance(value, str) and value.strip() else None
    return dt.datetime(d.year, d.month, d.day) if isinstance(d, dt.date) else None


def _write_kept(ws, r, c, value, fmt) -> None:
    """A cell of the office's own column, with the type it had (text stays text)."""
    import datetime as dt

    if value in (None, ""):
        return
    if isinstance(value, bool):
        ws.write_boolean(r, c, value)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, _as_date(value), fmt["date"])
    else:
        ws.write_string(r, c, str(value))


def _read_from_sheet(wb, fmt, rows: list) -> None:
    ws = wb.add_worksheet("Read from")
    widths = (14, 8, 30, 10)
    for c, (h, w) in enumerate(zip(("Sheet", "Row", "Read from sheet", "Read from row"), widths)):
        ws.set_column(c, c, w)
        ws.write_string(0, c, h, fmt["header"])
    ws.freeze_panes(1, 0)
    for r, (sheet, row, source, source_row) in enumerate(rows, start=1):
        ws.write_string(r, 0, sheet)
        ws.write_number(r, 1, row)
        ws.write_string(r, 2, source)
        ws.write_number(r, 3, source_row)
    _printable(ws, repeat=0)


def _history_sheet(wb, fmt, sheet: str, rows: list) -> None:
    """A history sheet as merge writes it (model/history.SHEETS gives its headers): dates
    as dates, everything else as text, never a formula."""
    from gain_workbook.model.history import SHEETS

    headers = SHEETS[sheet]
    ws = wb.add_worksheet(sheet)
    for c, h in enumerate(headers):
        ws.set_column(c, c, 16 if c else 12)
        ws.write_string(0, c, h, fmt["header"])
    ws.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for c, h in enumerate(headers):
            value = row.get(h)
            if isinstance(value, dt.datetime):
                ws.write_datetime(r, c, value, fmt["date"])
            elif isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day),
                                  fmt["date"])
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                ws.write_number(r, c, value)
            elif value not in (None, ""):
                ws.write_string(r, c, str(value))
    _printable(ws, repeat=0)


def _d(text):
    return parse_date(text)


def _settings_sheet(wb, fmt, values: dict) -> None:
    ws = wb.add_worksheet("Settings")
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 40)
    ws.set_column(2, 2, 70, fmt["plain_wrap"])
    for c, h in enumerate(("Setting", "Value", "What it means")):
        ws.write_string(0, c, h, fmt["header"])
    ws.freeze_panes(1, 0)
    r = 1
    for s in SETTINGS:
        ws.write_string(r, 0, s.label, fmt["label"])
        value = values.get(s.label, s.default if s.kind == "int" else "")
        if isinstance(value, (tuple, list)):
            value = "; ".join(value)
        if isinstance(value, dt.date):
            ws.write_datetime(r, 1, _as_date(value), fmt["date"])
        elif isinstance(value, int):
            ws.write_number(r, 1, value)
        elif value:
            ws.write_string(r, 1, str(value))
        ws.write_string(r, 2, s.description)
        r += 1
    _printable(ws, repeat=0)
    ws.write_string(r + 1, 0, "Alias: Due", fmt["label"])
    ws.write_string(r + 1, 2, "Example of an alias row: if your sheets call a column something "
                    "else, name our column after 'Alias:' and put your headers in Value, "
                    "separated by ;. This row has no value, so it does nothing.")


def _printable(ws, repeat: int) -> None:
    """A4 landscape, one page wide, the header row on every page: the Guide and Settings
    are what someone prints to keep beside them."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(repeat)


def _guide(wb, fmt) -> None:
    ws = wb.add_worksheet("Guide")
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 36)
    ws.set_column(2, 2, 10)
    ws.set_column(3, 3, 80)
    ws.write_string(0, 0, "HMICFRS inspection register", fmt["title"])
    ws.write_string(1, 0, "How to keep this register", fmt["heading"])
    lines = (
        "Inspections: one row per HMICFRS report. Items: one row per recommendation, area for "
        "improvement or cause of concern in it, including those not for this force (they "
        "appear on the PCC response). Actions: one row per action the force takes on an item.",
        "Owners (optional): one row per action owner, named as the Owner column names them, "
        "with their email address and who to copy when their actions are badly overdue; "
        "gain-pack requests then emails each owner a workbook of their open actions to update.",
        "Pick controlled values from the dropdowns. Type dates as 31/12/2024. Ids link the "
        "sheets: an item names its Inspection ID, an action names its Item ID.",
        "A new report: paste its text into a .txt file (or save its page or PDF) and run "
        "gain-pack add-report \"<this file>\" \"<the report>\" to list its items, then to put "
        "them here once they are right. Check the register with: gain-pack validate \"<this file>\". "
        "Build the board pack with: gain-pack build \"<this file>\".",
    )
    r = 2
    for line in lines:
        ws.merge_range(r, 0, r, 3, line, fmt["plain_wrap"])
        ws.set_row(r, 30)
        r += 1
    r += 1
    ws.write_string(r, 0, "The columns", fmt["heading"])
    r += 1
    for c, h in enumerate(("Sheet", "Column", "Required", "What to put in it")):
        ws.write_string(r, c, h, fmt["header"])
    ws.freeze_panes(r + 1, 0)
    _printable(ws, repeat=r)
    for col in schema.COLUMNS:
        r += 1
        ws.write_string(r, 0, schema.SHEET_NAMES[col.table], fmt["text"])
        ws.write_string(r, 1, col.header, fmt["text"])
        ws.write_string(r, 2, "Yes" if col.required else "", fmt["center"])
        ws.write_string(r, 3, col.description, fmt["wrap"])
        ws.set_row(r, styles.LINE_HEIGHT * styles.wrapped_lines(col.description, 80) + 3)
    r += 2
    ws.write_string(r, 0, "Settings", fmt["heading"])
    for s in SETTINGS:
        r += 1
        ws.write_string(r, 0, "Settings", fmt["text"])
        ws.write_string(r, 1, s.label, fmt["text"])
        ws.write_string(r, 2, "", fmt["center"])
        ws.write_string(r, 3, s.description, fmt["wrap"])
        ws.set_row(r, styles.LINE_HEIGHT * styles.wrapped_lines(s.description, 80) + 3)
    ws.activate()
