"""A faster xlsxwriter Worksheet for big tables: same file, fewer Python calls per cell.

At 100,000 actions the pack holds about two million cells, and xlsxwriter spends
most of the build on two per-cell paths: storing a cell (``write_string`` checks
the dimensions and builds a tuple, one call each) and writing it out at close
(``_write_cell`` builds an attribute list and escapes every attribute, even the
cell reference and style number, which never need it). This subclass, plugged in
through xlsxwriter's own ``worksheet_class`` hook, shortens both:

* :meth:`FastWorksheet.write_column_values` stores a whole column of strings or numbers
  with one dimension check, and
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
    cells with and without a format."""
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
    texts = ["Open", None, "Closed – complete", "Open", "x" * 40000, "<&>\"'"]
    numbers = [1, None, 2.5, 45000, -3]
    if cls is not None:
        ws.write_column_values(1, 0, texts, bold)
        ws.write_column_values(1, 1, numbers, bold, numbers=True)
    else:
        for i, v in enumerate(texts):
            if v is not None:
                ws.write_string(1 + i, 0, v, bold)
        for i, v in enumerate(numbers):
            if v is not None:
                ws.write_number(1 + i, 1, v, bold)
    ws.write_string(0, 0, "Header", bold)
    ws.write_string(0, 1, "plain")
    ws.write_number(0, 2, 7)
    ws.write_datetime(2, 2, dt.datetime(2026, 11, 28), date)
    ws.write_blank(3, 2, None, bold)
    ws.write_formula(4, 2, "=B2+1", bold, 2)
    ws.write_string(20, 30, "far", date)
    wb.close()
    return out.getvalue()


def _fast_class():
    """FastWorksheet, or None when this xlsxwriter does not have the parts it relies on."""
    try:
        from xlsxwriter.utility import xl_col_to_name
        from xlsxwriter.worksheet import (CellDatetimeTuple, CellNumberTuple, CellStringTuple,
                                          Worksheet)
    except ImportError:     # pragma: no cover - a future xlsxwriter
        return None
    probe = Worksheet()
    needed = ("_write_cell", "_check_dimensions", "_write_string", "_write_number", "str_table",
              "table", "fh", "xls_strmax")
    if not all(hasattr(probe, n) for n in needed):
        return None         # pragma: no cover

    string_t, number_t, datetime_t = CellStringTuple, CellNumberTuple, CellDatetimeTuple
    letters: dict[int, str] = {}

    class FastWorksheet(Worksheet):
        """A Worksheet with a batch column writer and a shorter cell writer."""

        def write_column_values(self, first_row: int, col: int, values: list, cell_format,
                                numbers: bool = False) -> None:
            """Store ``values`` down a column from ``first_row``; None leaves a cell empty.

            Strings go into the shared string table exactly as write_string puts them;
            ``numbers`` stores ints and floats as write_number does.
            """
            filled = [i for i, v in enumerate(values) if v is not None]
            if not filled:
                return
            if self.constant_memory or \
                    self._check_dimensions(first_row + filled[0], col) or \
                    self._check_dimensions(first_row + filled[-1], col):
                write = self._write_number if numbers else self._write_string
                for i in filled:
                    write(first_row + i, col, values[i], cell_format)
                return
            table = self.table
            # Cells are immutable tuples, so equal cells share one (statuses, owners, dates
            # and labels repeat down a column): about 100 MB less at 100,000 actions.
            shared: dict = {}
            if numbers:
                for i in filled:
                    v = values[i]
                    if type(v) is int:
                        cell = shared.get(v)
                        if cell is None:
                            cell = shared[v] = number_t(v, cell_format)
                        table[first_row + i][col] = cell
                    else:       # floats: let xlsxwriter handle NaN and infinity
                        self._write_number(first_row + i, col, v, cell_format)
                return
            index = self.str_table._get_shared_string_index
            long = self.xls_strmax // 2   # longer: xlsxwriter's own check and truncation
            for i in filled:
                v = values[i]
                if len(v) > long:
                    self._write_string(first_row + i, col, v, cell_format)
                    continue
                k = index(v)
                cell = shared.get(k)
                if cell is None:
                    cell = shared[k] = string_t(k, cell_format)
                table[first_row + i][col] = cell

        def _write_cell(self, row: int, col: int, cell) -> None:
            kind = type(cell)
            fmt = cell.format
            if fmt is None or self.constant_memory or \
                    (kind is not string_t and kind is not number_t and kind is not datetime_t):
                return super()._write_cell(row, col, cell)
            name = letters.get(col)
            if name is None:
                name = letters[col] = xl_col_to_name(col)
            xf = fmt.xf_index       # set on every format in use by the time cells are written
            if xf is None:
                xf = fmt._get_xf_index()
            if kind is string_t:
                self.fh.write(f'<c r="{name}{row + 1}" s="{xf}" t="s"><v>{cell.string}</v></c>')
            else:
                self.fh.write(f'<c r="{name}{row + 1}" s="{xf}"><v>{cell.number:.16G}</v></c>')

    return FastWorksheet
