"""A faster xlsxwriter Worksheet for big tables: same file, fewer Python calls per cell.

At 100,000 actions the pack holds about two million cells, and xlsxwriter spends
most of the build on per-cell paths: storing a cell (a dimension check and a tuple),
working out each block of 16 rows' spans, and writing each cell at close (an
attribute list, every attribute escaped). An Excel table maps every cell it covers
(1.4 million at 100,000 actions) to check for overlaps. This subclass, plugged in
through xlsxwriter's own ``worksheet_class`` hook, writes a big table's columns the
way the least any writer can spend does:

* :meth:`FastWorksheet.write_column_values` keeps a whole column as it is given
  (no cell tuples): text gets its shared-string index once per distinct value;
* at close its own ``_write_rows`` writes the stored columns straight to sheet XML,
  each distinct value's cell XML made once (with its style number) and one f-string
  a cell, merged in column order with the cells xlsxwriter holds itself; the spans
  come from the columns' blocks of 16 rows, and formats are numbered in the order
  xlsxwriter would first meet them;
* ``add_table`` of a plain table (a header row, no data, formulas or totals) checks
  overlaps against the ranges themselves, not a map of every cell;
* ``_write_cell`` writes plain string and number cells that carry a format with one
  f-string, and hands everything else (blanks, formulas, rich strings, URLs,
  unformatted cells, constant_memory mode) to xlsxwriter unchanged.

The output is byte for byte what xlsxwriter itself writes (a test builds the same
pack both ways and compares the files). Because this relies on xlsxwriter's
private parts, which upstream may rework in any release, it is fenced three ways:

* setup.cfg allows only the xlsxwriter minor versions that test has passed on;
* once per process, before the first workbook, :func:`worksheet_class` writes a
  small workbook both ways and compares the bytes; when they differ, or the parts
  it needs are missing, it warns in one line and the stock Worksheet is used;
* ``GAIN_STOCK_XLSXWRITER=1`` in the environment uses the stock Worksheet outright.
"""

from __future__ import annotations

import functools
import os

STOCK_ENV = "GAIN_STOCK_XLSXWRITER"
MISMATCH = ("this xlsxwriter ({version}) does not write what gain-pack's faster cell "
            "writer expects, so xlsxwriter's own is used: the files are the same, only "
            "slower to write at 100,000 actions.")


@functools.cache
def worksheet_class():
    """FastWorksheet when it writes xlsxwriter's own bytes here, else None (the stock
    Worksheet): the environment asks for it, the parts it relies on are missing, or
    the self-check finds a difference (with a warning)."""
    if os.environ.get(STOCK_ENV, "").strip() not in ("", "0"):
        return None
    return checked(_fast_class())


def checked(cls):
    """``cls`` if a workbook written with it is byte-identical to the stock one, else
    None with a one-line warning."""
    import warnings

    import xlsxwriter

    if cls is not None and _sample(cls) == _sample(None):
        return cls
    warnings.warn(MISMATCH.format(version=xlsxwriter.__version__), stacklevel=2)
    return None


def _sample(cls) -> bytes:
    """A small workbook with each kind of cell the fast paths write or pass on: strings
    (repeated, long, through the column writer), numbers, dates, blanks, a formula,
    cells with and without a format, formats first used in a column, rows with
    heights, blocks of 16 rows, a stored cell written over, and an Excel table."""
    import datetime as dt
    import io

    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    if cls is not None:
        wb.worksheet_class = cls
    ws = wb.add_worksheet()
    bold, date = wb.add_format({"bold": True}), wb.add_format({"num_format": "dd/mm/yyyy"})
    later = wb.add_format({"italic": True})
    texts = ["Open", None, "Closed – complete", "Open", "<&>\"'", " lead", "trail\n",
             "_x0041_ and bell \x07", "two\nlines"] * 4
    texts[4] = "x" * 20000      # (a text long enough for xlsxwriter to check itself)
    numbers = [1, None, 2.5, 45000, -3, None, None]
    write_column(ws, 1, 0, texts, bold)
    write_column(ws, 1, 1, numbers, bold, numbers=True)
    write_column(ws, 18, 3, [None] * 3 + ["late", "Open"], later)
    write_column(ws, 40, 0, ["unformatted", None, "Open"], None)
    ws.write_string(0, 0, "Header", bold)
    ws.write_string(0, 1, "plain")
    ws.write_number(0, 2, 7)
    ws.write_datetime(2, 2, dt.datetime(2026, 11, 28), date)
    ws.write_blank(3, 2, None, bold)
    ws.write_formula(4, 2, "=B2+1", bold, 2)
    ws.write_string(6, 0, "written over", date)
    ws.write_string(20, 30, "far", date)
    _heights(ws, 1, [30, None, 30, 0, None, 12.75] * 6)
    ws.set_row(50, 20)
    table = wb.add_worksheet("Table")
    write_column(table, 1, 0, ["a", "b", None, "a"] * 5, bold)
    write_column(table, 1, 1, list(range(20)), date, numbers=True)
    table.add_table(0, 0, 20, 1, {"name": "T", "columns": [{"header": "Text"},
                                                           {"header": "Number"}]})
    wb.close()      # (the shared strings part has its own check: sharedstrings._class)
    return out.getvalue()


def _heights(ws, first_row, heights) -> None:
    """Row heights through set_row_heights where the sheet has it, else set_row."""
    if hasattr(ws, "set_row_heights"):
        ws.set_row_heights(first_row, heights)
        return
    for i, h in enumerate(heights):
        if h is not None:
            ws.set_row(first_row + i, h)


def write_column(ws, first_row, col, values, cell_format, numbers=False) -> None:
    """Values down a column (None: no cell): through FastWorksheet's column writer when the
    sheet is one, else cell by cell."""
    if hasattr(ws, "write_column_values"):
        ws.write_column_values(first_row, col, values, cell_format, numbers)
        return
    write = ws.write_number if numbers else ws.write_string
    for i, v in enumerate(values):
        if v is not None:
            write(first_row + i, col, v, cell_format)


def _fast_class():
    """FastWorksheet, or None when this xlsxwriter does not have the parts it relies on."""
    parts = _parts()
    if parts is None:
        return None         # pragma: no cover - a future xlsxwriter
    worksheet, tuples = parts
    global _BASE, _STRING_T, _NUMBER_T, _DATETIME_T, _ROW_INFO, _SIMPLE, _col_name
    _BASE = worksheet
    _STRING_T, _NUMBER_T, _DATETIME_T, _ROW_INFO = tuples
    _SIMPLE = (_STRING_T, _NUMBER_T, _DATETIME_T)
    from xlsxwriter.utility import xl_col_to_name

    _col_name = functools.lru_cache(maxsize=None)(xl_col_to_name)
    methods = {"__doc__": "A Worksheet with a column store, its own row writer and a "
                          "table that keeps no map of its cells.",
               "write_column_values": write_column_values, "_write_cell": _write_cell,
               "set_row_heights": set_row_heights,
               "_write_rows": _write_rows, "add_table": add_table,
               "merge_range": merge_range, "_get_range_data": _get_range_data,
               "autofit": autofit}
    return type("FastWorksheet", (worksheet,), methods)


def _parts():
    """(Worksheet, (string, number, datetime cell tuples)), or None when this xlsxwriter
    lacks a part the fast paths rely on."""
    try:
        from xlsxwriter.sharedstrings import SharedStringTable
        from xlsxwriter.worksheet import (CellDatetimeTuple, CellNumberTuple, CellStringTuple,
                                          RowInfo, Worksheet)
    except ImportError:     # pragma: no cover - a future xlsxwriter
        return None
    probe = Worksheet()
    needed = ("_write_cell", "_check_dimensions", "_write_string", "_write_number", "str_table",
              "table", "fh", "xls_strmax", "row_info", "comments", "col_info", "tables",
              "table_cells", "merged_cells", "_write_row", "_write_empty_row",
              "default_row_height", "original_row_height", "excel_version", "row_sizes")
    if not all(hasattr(probe, n) for n in needed) or \
            not hasattr(SharedStringTable(), "count"):
        return None         # pragma: no cover
    if not set(vars(RowInfo())) >= {"height", "row_format", "hidden", "level", "collapsed"}:
        return None         # pragma: no cover
    return Worksheet, (CellStringTuple, CellNumberTuple, CellDatetimeTuple, RowInfo)


_BASE = _STRING_T = _NUMBER_T = _DATETIME_T = _ROW_INFO = None
_SIMPLE: tuple = ()
_col_name = None


class _Column:
    """A column stored by write_column_values: its values from ``first`` down (None: no
    cell), and what each distinct value's cell says: {text: shared-string index} for
    text; numbers are their own."""

    __slots__ = ("first", "col", "values", "fmt", "codes")

    def __init__(self, first, col, values, fmt, codes):
        self.first, self.col, self.values, self.fmt, self.codes = \
            first, col, values, fmt, codes

    @property
    def last(self) -> int:
        return self.first + len(self.values) - 1

    def tails(self, xf) -> dict:
        """{value: the cell's XML after its row number}, once per distinct value."""
        s = "" if xf is None else f' s="{xf}"'
        if self.codes is not None:
            return {v: f'"{s} t="s"><v>{k}</v></c>' for v, k in self.codes.items()}
        return {v: f'"{s}><v>{v:.16G}</v></c>' for v in set(self.values) if v is not None}


def _columns(ws) -> list:
    cols = ws.__dict__.get("_gain_columns")
    if cols is None:
        cols = ws._gain_columns = []
    return cols


def write_column_values(self, first_row: int, col: int, values: list, cell_format,
                        numbers: bool = False) -> None:
    """Store ``values`` down a column from ``first_row``; None leaves a cell empty.

    Text goes into the shared string table exactly as write_string puts it (in the
    same order), once per distinct text; ``numbers`` stores ints as write_number
    does. Cells xlsxwriter must judge itself (floats, over-long text) go through it."""
    values = list(values)
    n = len(values)
    if values.count(None) == n:
        return
    first = next(i for i, v in enumerate(values) if v is not None)
    last = n - 1 - next(i for i, v in enumerate(reversed(values)) if v is not None)
    if self.constant_memory or \
            self._check_dimensions(first_row + first, col) or \
            self._check_dimensions(first_row + last, col) or \
            _taken(self, first_row, first_row + n - 1, col):
        write = self._write_number if numbers else self._write_string
        for i, v in enumerate(values):
            if v is not None:
                write(first_row + i, col, v, cell_format)
        return
    codes = None
    if numbers:
        if not set(map(type, values)) <= {int, type(None)}:
            for i, v in enumerate(values):  # floats: xlsxwriter handles NaN and infinity
                if v is not None and type(v) is not int:
                    self._write_number(first_row + i, col, v, cell_format)
                    values[i] = None
    else:
        codes = _store_texts(self, first_row, col, values, cell_format)
    _columns(self).append(_Column(first_row, col, values, cell_format, codes))


def set_row_heights(self, first_row: int, heights: list) -> None:
    """set_row(first_row + i, height) for each height that is not None, as set_row
    stores it, with one row record shared by the rows of each distinct height."""
    rows = [i for i, h in enumerate(heights) if h is not None]
    if not rows:
        return
    min_col = self.dim_colmin if self.dim_colmin is not None else 0
    if self._check_dimensions(first_row + rows[0], min_col) or \
            self._check_dimensions(first_row + rows[-1], min_col):
        for i in rows:
            self.set_row(first_row + i, heights[i])
        return
    made: dict = {}
    info, sizes = self.row_info, self.row_sizes
    for i in rows:
        h = heights[i]
        got = made.get(h)
        if got is None:
            pixels = int(h * 4.0 / 3.0 + 0.5)
            hidden = pixels == 0        # (set_row's rule: height 0 hides the row)
            pixels = self.default_row_height if hidden else pixels
            got = made[h] = (_ROW_INFO(height=pixels, row_format=None, hidden=hidden,
                                       level=0, collapsed=False), [pixels, hidden])
        info[first_row + i], sizes[first_row + i] = got


def _store_texts(ws, first_row, col, values, cell_format) -> dict:
    """{text: shared-string index}, each distinct text indexed once in first-seen order,
    the table's count raised as write_string raises it for every cell."""
    table = ws.str_table
    index = table._get_shared_string_index
    long = ws.xls_strmax // 2   # longer: xlsxwriter's own check and truncation
    distinct = dict.fromkeys(values)
    distinct.pop(None, None)
    if any(len(v) > long for v in distinct):
        return _store_long_texts(ws, first_row, col, values, cell_format, long)
    codes = {v: index(v) for v in distinct}
    table.count += len(values) - values.count(None) - len(codes)
    return codes


def _store_long_texts(ws, first_row, col, values, cell_format, long: int) -> dict:
    """_store_texts for a column holding a text too long for a cell: cell by cell, the
    long ones through xlsxwriter (which cuts them), in their place in the order."""
    table = ws.str_table
    index = table._get_shared_string_index
    codes: dict = {}
    for i, v in enumerate(values):
        if v is None:
            continue
        if v in codes:
            table.count += 1
        elif len(v) > long:
            ws._write_string(first_row + i, col, v, cell_format)
            values[i] = None
        else:
            codes[v] = index(v)
    return codes


def _taken(ws, first: int, last: int, col: int) -> bool:
    """Whether a cell of column ``col`` between rows first and last is written already."""
    table = ws.table
    if len(table) < last - first:
        hit = any(first <= r <= last and col in cells for r, cells in table.items())
    else:
        hit = any(col in table[r] for r in range(first, last + 1) if r in table)
    return hit or any(c.col == col and c.first <= last and first <= c.last
                      for c in _columns(ws))


def _materialise(ws) -> None:
    """Move stored columns into xlsxwriter's own cell table (for its code that reads it)."""
    for c in _columns(ws):
        for i, v in enumerate(c.values):
            if v is not None:
                cell = _STRING_T(c.codes[v], c.fmt) if c.codes is not None \
                    else _NUMBER_T(v, c.fmt)
                ws.table[c.first + i][c.col] = cell
    ws._gain_columns = []


def _get_range_data(self, *args):
    _materialise(self)      # a chart's cached values: rare and small, read the stock way
    return _BASE._get_range_data(self, *args)


def autofit(self, *args, **kwargs):
    _materialise(self)
    return _BASE.autofit(self, *args, **kwargs)


def _write_cell(self, row: int, col: int, cell) -> None:
    kind = type(cell)
    fmt = cell.format
    if fmt is None or self.constant_memory or kind not in _SIMPLE:
        return _BASE._write_cell(self, row, col, cell)
    xf = fmt.xf_index       # set on every format in use by the time cells are written
    if xf is None:
        xf = fmt._get_xf_index()
    if kind is _STRING_T:
        self.fh.write(f'<c r="{_col_name(col)}{row + 1}" s="{xf}" t="s">'
                      f'<v>{cell.string}</v></c>')
    else:
        self.fh.write(f'<c r="{_col_name(col)}{row + 1}" s="{xf}"><v>{cell.number:.16G}</v></c>')


# ---------------------------------------------------------------- writing the rows

def _write_rows(self) -> None:
    """The sheet's rows as xlsxwriter writes them, the stored columns straight from
    their values: one f-string a cell, each distinct value's XML made once."""
    if self.constant_memory or not _columns(self):
        return _BASE._write_rows(self)
    _unformatted_to_table(self)
    _number_formats(self)
    self._gain_row_tails = {}   # (by the identity of records alive while the rows are written)
    spans = _spans(self)
    bands = _bands(self)
    # (a band's rows outside the sheet's dimensions are empty: begin and end with it)
    rows = range(min(self.dim_rowmin, bands[0][0]), max(self.dim_rowmax, bands[-1][1]) + 1)
    bands = iter(bands)
    band = next(bands, None)
    table, info, comments, write = self.table, self.row_info, self.comments, self.fh.write
    for r in rows:
        stored = xml = None
        if band is not None and band[0] <= r:
            xml, tails = next(band[3])
            stored = band[2], tails
            if r == band[1]:
                band = next(bands, None)
        cells = table.get(r)
        span = spans.get(r >> 4)
        if xml or cells:
            _open_row(self, r, span, info.get(r))
            write(_mixed_xml(self, r, stored, cells) if cells else xml)
            write("</row>")
        elif r in info or r in comments:
            self._write_empty_row(r, span, info.get(r))
    self._gain_columns = []     # written: let the values go


def _unformatted_to_table(ws) -> None:
    """A column without a format takes a row's or column's: leave those to xlsxwriter."""
    if any(c.fmt is None for c in _columns(ws)) and \
            (any(i.row_format for i in ws.row_info.values()) or
             any(getattr(i, "column_format", None) for i in ws.col_info.values())):
        _materialise(ws)


def _number_formats(ws) -> None:
    """Number the sheet's formats in the order xlsxwriter would meet them writing its
    rows cell by cell (a format's number is given at its first use)."""
    first: dict = {}

    def see(pos, fmt):
        if fmt is not None and fmt.xf_index is None:
            had = first.get(id(fmt))
            if had is None or pos < had[0]:
                first[id(fmt)] = (pos, fmt)

    table = ws.table
    ws._gain_visible = set()
    for c in _columns(ws):      # its first cell that no later write took the place of
        i = next((i for i, v in enumerate(c.values) if v is not None and
                  c.col not in table.get(c.first + i, ())), None)
        if i is not None:
            see((c.first + i, 0, c.col), c.fmt)
            ws._gain_visible.add(id(c.fmt))
    for r, cells in table.items():
        for col, cell in cells.items():
            see((r, 0, col), getattr(cell, "format", None))
    for r, info in ws.row_info.items():
        see((r, -1, 0), info.row_format)
    for _, fmt in sorted(first.values(), key=lambda t: t[0]):
        fmt._get_xf_index()


def _bands(ws) -> list:
    """[(first row, last row, [(column, letter)], each row's cell tails)] in row order:
    stored columns whose rows overlap make one band, in column order."""
    groups: list = []
    for c in sorted(_columns(ws), key=lambda c: c.first):
        if groups and c.first <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], c.last)
            groups[-1][2].append(c)
        else:
            groups.append([c.first, c.last, [c]])
    out = []
    for first, last, members in groups:
        members.sort(key=lambda c: c.col)
        tails = [[None] * (c.first - first) + list(map(c.tails(_xf(ws, c.fmt)).get, c.values))
                 + [None] * (last - c.last) for c in members]
        where = [(c.col, _col_name(c.col)) for c in members]
        out.append((first, last, where, _band_rows(first, last, where, tails)))
    return out


BAND_ROWS = 4096        # rows whose cell XML is made at once (a few MB at most)


def _band_rows(first: int, last: int, where, tails):
    """Each row of a band in turn: (its stored cells' XML, or '' for none; its tails).

    The XML is made a column at a time over a block of rows (one f-string a cell, as
    before, without a list and a zip a row), then joined row by row in C."""
    for a in range(first, last + 1, BAND_ROWS):
        b = min(a + BAND_ROWS, last + 1)
        cut = [t[a - first:b - first] for t in tails]
        numbers = range(a + 1, b + 1)
        cells = [[f'<c r="{letter}{n}{t}' if t is not None else "" for n, t in zip(numbers, col)]
                 for (_, letter), col in zip(where, cut)]
        yield from zip(map("".join, zip(*cells)), zip(*cut))


def _xf(ws, fmt):
    """The format's number, for a format with a cell to write (numbered in order by
    _number_formats); None for a column whose every cell was written over."""
    if fmt is None or id(fmt) not in ws._gain_visible:
        return None
    return fmt._get_xf_index()


def _mixed_xml(ws, r: int, stored, cells) -> str:
    """A row with stored cells and xlsxwriter's own: in column order, the later one
    (xlsxwriter's) where both hold a cell."""
    import io

    got: dict = {}
    for (col, letter), tail in zip(*stored) if stored else ():
        if tail is not None:
            got[col] = f'<c r="{letter}{r + 1}{tail}'
    got.update(cells)
    fh, ws.fh = ws.fh, io.StringIO()
    try:
        for c in sorted(got):
            x = got[c]
            if type(x) is str:
                ws.fh.write(x)
            else:
                ws._write_cell(r, c, x)
        return ws.fh.getvalue()
    finally:
        ws.fh = fh


def _spans(ws) -> dict:
    """{row // 16: 'first:last'}: the columns each block of 16 rows uses, as
    xlsxwriter's _calculate_spans works them out."""
    lo: dict = {}
    hi: dict = {}
    used = [(c.col, _groups(c)) for c in _columns(ws)]
    for cells in (ws.table, ws.comments):
        for r, row in cells.items():
            if row:
                used += [(min(row), (r >> 4,)), (max(row), (r >> 4,))]
    for col, groups in used:
        for g in groups:
            if g in lo:
                lo[g], hi[g] = min(lo[g], col), max(hi[g], col)
            else:
                lo[g] = hi[g] = col
    return {g: f"{lo[g] + 1}:{hi[g] + 1}" for g in lo}


def _groups(c) -> list:
    """The blocks of 16 rows where column ``c`` has a cell (a slice of each, not each cell)."""
    values, first = c.values, c.first
    out = []
    i, n = 0, len(values)
    while i < n:
        g = (first + i) >> 4
        end = ((g + 1) << 4) - first
        chunk = values[i:end]
        if chunk.count(None) < len(chunk):
            out.append(g)
        i = end
    return out


def _open_row(ws, r: int, span, info) -> None:
    """<row ...>: xlsxwriter's own tag, its attributes after the span made once per
    distinct row record (rows of one height share theirs: looked up by identity first)."""
    if ws.excel_version == 2010 or ws.default_row_height != ws.original_row_height:
        return ws._write_row(r, span, info)
    cache = ws.__dict__.setdefault("_gain_row_tails", {})
    tail = cache.get(id(info))          # (the records live on in row_info meanwhile)
    if tail is None:
        key = None if info is None else tuple(    # (RowInfo is a dataclass: not hashable)
            v if v is None or type(v) in (int, float, bool, str) else id(v)
            for v in vars(info).values())
        tail = cache.get(key)
        if tail is None:
            tail = cache[key] = _row_tail(ws, info)
        cache[id(info)] = tail
    ws.fh.write(f'<row r="{r + 1}" spans="{span}"{tail}' if span else
                f'<row r="{r + 1}"{tail}')


def _row_tail(ws, info) -> str:
    import io

    fh, ws.fh = ws.fh, io.StringIO()
    try:
        ws._write_row(0, None, info)
        text = ws.fh.getvalue()
    finally:
        ws.fh = fh
    head = '<row r="1"'
    assert text.startswith(head)
    return text[len(head):]


# ---------------------------------------------------------------- tables and merges

def add_table(self, first_row, first_col, last_row=None, last_col=None, options=None):
    """An Excel table, without xlsxwriter's map of every cell it covers (1.4 million
    at 100,000 actions): the table is added over its header and first row, then
    given its whole range; overlaps are checked against the ranges themselves."""
    stock = functools.partial(_BASE.add_table, self)
    if not _plain_table(self, first_row, first_col, last_row, last_col, options):
        return stock(first_row, first_col, last_row, last_col, options)
    _check_overlap(self, "Table", first_row, first_col, last_row, last_col)
    result = stock(first_row, first_col, first_row + 1, last_col, options)
    if result != 0:
        return result
    from xlsxwriter.utility import xl_range

    table = self.tables[-1]
    table["range"] = table["a_range"] = xl_range(first_row, first_col, last_row, last_col)
    if "autofilter" in table:
        table["autofilter"] = table["a_range"]
    _big_tables(self).append((first_row, first_col, last_row, last_col, table["range"]))
    return 0


def _plain_table(ws, first_row, first_col, last_row, last_col, options) -> bool:
    """A table of ints in order, with a header row and no data, formulas or totals."""
    if not all(type(v) is int for v in (first_row, first_col, last_row, last_col)):
        return False
    options = options or {}
    columns = options.get("columns") or []
    return (not ws.constant_memory and last_row > first_row + 1 and last_col >= first_col
            and options.get("header_row", True) and not options.get("total_row")
            and "data" not in options
            and not any(c and (c.get("formula") or c.get("total_function") or
                               c.get("total_string")) for c in columns))


def _big_tables(ws) -> list:
    return ws.__dict__.setdefault("_gain_big_tables", [])


def _check_overlap(ws, what: str, first_row, first_col, last_row, last_col) -> None:
    """xlsxwriter's OverlappingRange when the range meets a table added here, or a
    merged or table cell xlsxwriter mapped."""
    from xlsxwriter.exceptions import OverlappingRange
    from xlsxwriter.utility import xl_range

    new = xl_range(first_row, first_col, last_row, last_col)
    for r0, c0, r1, c1, old in _big_tables(ws):
        if r0 <= last_row and first_row <= r1 and c0 <= last_col and first_col <= c1:
            raise OverlappingRange(f"{what} range '{new}' overlaps previous table range "
                                   f"'{old}'.")
    for kind, cells in (("merge", ws.merged_cells), ("table", ws.table_cells)):
        for (r, c), old in cells.items():
            if first_row <= r <= last_row and first_col <= c <= last_col:
                raise OverlappingRange(f"{what} range '{new}' overlaps previous {kind} "
                                       f"range '{old}'.")


def merge_range(self, first_row, first_col, last_row=None, last_col=None, *args, **kwargs):
    """xlsxwriter's merge, also refused over a table added here (it keeps no map)."""
    if _big_tables(self) and all(type(v) is int for v in (first_row, first_col, last_row,
                                                           last_col)):
        _check_overlap(self, "Merge", first_row, first_col, last_row, last_col)
    return _BASE.merge_range(self, first_row, first_col, last_row, last_col, *args, **kwargs)
