"""How the pack's sheets are laid out: the page (A4, header and footer, title rows) and
its tables, written column by column, with row heights, a grid and RAG colours.

Every sheet writer of the pack takes a ``Ctx`` (the workbook, its formats, the
roll-up) and writes its tables through ``write_table``. Register text is only ever
stored as a string (write_string, or FastWorksheet's column writer, which puts it
in the same shared-string table), never through write().
"""

from __future__ import annotations

import datetime as dt

from gain_workbook.excel import styles
from gain_workbook.excel.fastsheet import write_column
from gain_workbook.excel.packfile import Col
from gain_workbook.excel.styles import CHARS_PER_WIDTH, LINE_HEIGHT
from gain_workbook.excel.styles import wrapped_lines as _lines
from gain_workbook.excel.writer import Part, header_footer

EXCEL_EPOCH = dt.datetime(1899, 12, 30)


class Ctx:
    """What every sheet writer needs: the workbook, formats, titles for headers."""

    def __init__(self, wb, rollup, meeting, received=None):
        self.received = received
        self.wb = wb
        self.fmt = styles.formats(wb)
        self.cf = styles.rag_cf(wb)
        self.grid = styles.grid_cf(wb)
        self.rollup = rollup
        self.settings = rollup.settings
        self.as_of = rollup.as_of
        self.meeting = meeting
        self.raw: dict = {}       # (key, index) -> the register's word for a missing date
        self.trend = None         # status.trend.Trend: the months behind, for the Summary
        self.line_counts: dict = {}   # (text, width) -> lines it wraps to (_heights)

    def page(self, ws, title: str, landscape: bool = True, repeat: int | None = None) -> None:
        """A4, one page wide, marking/board/as-of/page numbers in header and footer."""
        s = self.settings
        ws.set_paper(9)
        ws.set_landscape() if landscape else ws.set_portrait()
        ws.set_margins(left=0.4, right=0.4, top=0.8, bottom=0.7)
        ws.set_header(self.header(title), {"margin": 0.3})
        ws.set_footer(header_footer(left=[Part(s.protective_marking, bold=True)],
                                    center=[Part("Page &P of &N", code=True)],
                                    right=[Part(f"{s.board_name} pack", shorten=1)],
                                    what="page footer"), {"margin": 0.3})
        if repeat is not None:
            self.column_titles(ws, repeat)
        ws.fit_to_pages(1, 0)
        ws.hide_gridlines(2)

    def column_titles(self, ws, row: int) -> None:
        """The table's header row (0-based ``row``) printed at the top of every page, and
        named 'ColumnTitle' on its sheet, the name by which screen readers (JAWS, NVDA)
        say a cell's column heading as a board member moves through the table."""
        ws.repeat_rows(row)
        sheet = ws.name.replace("'", "''")
        self.wb.define_name(f"'{sheet}'!ColumnTitle", f"='{sheet}'!$A${row + 1}")

    def header(self, title: str) -> str:
        """Marking | board: sheet title | as-of date; the sheet title gives way first."""
        s = self.settings
        return header_footer(left=[Part(s.protective_marking, bold=True)],
                             center=[Part(f"{s.board_name}: ", bold=True, shorten=2),
                                     Part(title, bold=True, shorten=3)],
                             right=[Part(f"As at {self.as_of:%d/%m/%Y}", shorten=1)])

    def title(self, ws, text: str, sub: str = "") -> int:
        """Sheet title (and subtitle) in the top rows; returns the next free row."""
        ws.set_row(0, 24)
        ws.write_string(0, 0, text, self.fmt["title"])
        if sub:
            ws.write_string(1, 0, sub, self.fmt["subtitle"])
        return 3


def _serials(series) -> list:
    """Dates as Excel serial numbers (None when missing): fast to write as numbers."""
    import pandas as pd

    series = pd.Series(series)
    if series.dtype.kind != "M":
        series = pd.to_datetime(series)
    days = (series - EXCEL_EPOCH).dt.days
    return [None if v != v else int(v) for v in days.to_numpy(dtype=float).tolist()]


def _texts(values) -> list:
    """Cell texts, None where the cell stays empty."""
    import pandas as pd

    out = pd.Series(values, dtype=object).tolist()
    for i, v in enumerate(out):
        if type(v) is str:
            if not v:
                out[i] = None
        elif v is None or v != v or v is pd.NaT:
            out[i] = None
        else:
            out[i] = str(v)
    return out


def _heights(columns: list, cols: list[Col], known: dict | None = None) -> list:
    """Row height for each row from its wrapped cells (None: one line, Excel's default).

    styles.wrapped_lines once per distinct text and width (``known`` keeps them across
    tables: owners, statuses and updates repeat down a column and from sheet to sheet);
    the rows take each column's counts by value.
    """
    import numpy as np

    known = {} if known is None else known
    n = len(columns[0]) if columns else 0
    tall = np.ones(n, dtype=np.int64)
    for values, col in zip(columns, cols):
        if col.kind not in ("wrap", "input_wrap"):
            continue
        cap = max(1, int(col.width * CHARS_PER_WIDTH))
        w = col.width
        count = {None: 1}
        for t in set(values):
            if t is not None:
                count[t] = 1 if len(t) <= cap and "\n" not in t else \
                    known.get((t, w)) or known.setdefault((t, w), _lines(t, w))
        np.maximum(tall, np.fromiter(map(count.__getitem__, values), dtype=np.int64,
                                     count=n), out=tall)
    return [LINE_HEIGHT * t + 3 if t > 1 else None for t in tall.tolist()]


def write_table(ctx, ws, row: int, cols: list[Col], frame, header: bool = True,
                progress=None, highlight: dict | None = None) -> int:
    """Write a frame as a table at ``row``; returns the next free row.

    Only cells with a value are written (a cell costs xlsxwriter the same whether it
    holds text or is blank); the grid comes from one conditional format over the
    table. Wrapped columns get row heights from their longest text; dates are serial
    numbers with a date format; register text is stored as strings only (_write_column).
    ``highlight`` colours cells by value: {column key: {value: format}} (RAG columns
    get the RAG colours without asking).
    """
    first = row
    if header:
        for c, col in enumerate(cols):
            ws.write_string(row, c, col.header, ctx.fmt["header"])
        # bold headers break on words: count them conservatively
        ws.set_row(row, max(15, LINE_HEIGHT * max(_lines(col.header, col.width, 0.85)
                                                  for col in cols) + 3))
        row += 1
    writes, words = _cell_values(ctx, cols, frame)
    _write_cells(ctx, ws, row, cols, writes, words, progress)
    row += len(frame)
    _colours(ctx, ws, cols, first, row, len(frame), highlight)
    return row


def _cell_values(ctx, cols: list[Col], frame):
    """([(numbers?, values, format)] a column each, {column: [(row, word)]}): a date
    column's words ('TBC') are written apart, as text."""
    f = ctx.fmt
    fmt_of = {"text": f["cell"], "wrap": f["cell_wrap"], "date": f["cell_date"],
              "int": f["cell_center"], "center": f["cell_center"], "rag": f["cell_center"],
              "input": f["input"], "input_wrap": f["input_wrap"]}
    writes = []
    words = {}
    for c, col in enumerate(cols):
        values = frame[col.key] if col.key in frame else [None] * len(frame)
        if col.kind == "date" and getattr(values, "dtype", None) is not None \
                and values.dtype.kind == "M":
            # a datetime64 column holds no words: straight to serials, never through
            # one Timestamp a cell
            writes.append((True, _serials(values), fmt_of["date"]))
            continue
        if col.kind == "date":
            values = list(values)
            said = [(i, v) for i, v in enumerate(values) if type(v) is str]
            if said:
                words[c] = said
                for i, _ in said:
                    values[i] = None
        if col.kind in ("date", "int"):
            values = _serials(values) if col.kind == "date" else \
                [None if v is None or v != v else int(v) for v in list(values)]
            writes.append((True, values, fmt_of[col.kind]))
        else:
            writes.append((False, _texts(values), fmt_of[col.kind]))
    return writes, words


def _write_cells(ctx, ws, row: int, cols: list[Col], writes, words, progress) -> None:
    """The table's body from ``row``: its columns, a date column's words, the blank
    input cells, and the rows' heights."""
    heights = _heights([w[1] for w in writes], cols, ctx.line_counts)
    n = len(heights)
    for c, (numbers, values, cf) in enumerate(writes):
        # column by column: xlsxwriter keeps cells in a dict, so order does not matter
        write_column(ws, row, c, values, cf, numbers)
        if progress:     # the table's n rows, spread over its columns, adding up to n
            progress(n * (c + 1) // len(cols) - n * c // len(cols))
    for c, said in words.items():
        for i, text in said:
            ws.write_string(row + i, c, text, ctx.fmt["cell_center"])
    for c, col in enumerate(cols):
        if col.kind.startswith("input"):      # every cell, blank or not: yellow and open
            _, values, cf = writes[c]
            for i, v in enumerate(values):
                if v is None:
                    ws.write_blank(row + i, c, None, cf)
    if hasattr(ws, "set_row_heights"):          # (FastWorksheet: a table's rows at once)
        ws.set_row_heights(row, heights)
    else:
        for i, h in enumerate(heights):
            if h is not None:
                ws.set_row(row + i, h)


def _colours(ctx, ws, cols: list[Col], first: int, row: int, n: int, highlight) -> None:
    """Column widths, the highlights by value and the grid over rows first..row-1."""
    highlight = dict(highlight or {})
    for c, col in enumerate(cols):
        ws.set_column(c, c, col.width, None, {"hidden": True} if col.hidden else {})
        if col.kind == "rag":
            highlight.setdefault(col.key, ctx.cf)
    # LibreOffice applies only the first conditional format that matches a cell, so the
    # highlights (which carry the grid's border too) go before the grid.
    if n:
        for c, col in enumerate(cols):
            for value, hf in highlight.get(col.key, {}).items():
                ws.conditional_format(row - n, c, row - 1, c, {
                    "type": "cell", "criteria": "==", "value": f'"{value}"', "format": hf})
    if row > first:
        ws.conditional_format(first, 0, row - 1, len(cols) - 1,
                              {"type": "no_errors", "format": ctx.grid})


def section(ctx, ws, row: int, text: str, ncols: int) -> int:
    """A section heading row across the table."""
    ws.merge_range(row, 0, row, ncols - 1, text, ctx.fmt["section"])
    ws.set_row(row, 18)
    return row + 1


def sectioned(ctx, ws, cols: list[Col], groups, limit: int | None = None) -> int:
    """One header row, then a titled section per group ('None.' when it is empty);
    returns the next free row."""
    import pandas as pd

    row = write_table(ctx, ws, 3, cols, pd.DataFrame(columns=[c.key for c in cols]))
    for title, frame in groups:
        row = section(ctx, ws, row, f"{title} ({len(frame)})", len(cols))
        if frame.empty:
            ws.merge_range(row, 0, row, len(cols) - 1, "None.", ctx.fmt["note"])
            row += 1
            continue
        shown = frame if limit is None else frame.head(limit)
        row = write_table(ctx, ws, row, cols, shown, header=False)
        if len(frame) > len(shown):
            ws.merge_range(row, 0, row, len(cols) - 1,
                           f"... and {len(frame) - len(shown):,} more, not listed here: "
                           "the Actions sheet has every action (filter its columns).",
                           ctx.fmt["note"])
            row += 1
    ws.freeze_panes(4, 0)
    return row
