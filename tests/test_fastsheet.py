"""FastWorksheet writes the same bytes as xlsxwriter's own Worksheet, only sooner.

Every workbook we write is built twice, once with FastWorksheet and once with the
stock Worksheet (gain_workbook.excel.writer.worksheet_class switched off), and the files
must be identical. An xlsxwriter release that changes how cells are stored or
written fails here.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import base_data, make_register, sha256, write_register
from gain_workbook.excel import fastsheet
from gain_workbook.excel import writer as xlsx
from gain_workbook.cli import cli
from gain_workbook.excel.fastsheet import worksheet_class


@pytest.fixture
def both_ways(monkeypatch, tmp_path):
    """Run ``make(path)`` with FastWorksheet and with the stock Worksheet (as the
    environment variable asks for it); two paths."""
    def run(make, name="out.xlsx"):
        fast, stock = tmp_path / f"fast-{name}", tmp_path / f"stock-{name}"
        assert fastsheet.worksheet_class() is not None
        make(fast)
        with monkeypatch.context() as m:
            m.setenv(fastsheet.STOCK_ENV, "1")
            fastsheet.worksheet_class.cache_clear()
            assert fastsheet.worksheet_class() is None
            make(stock)
        fastsheet.worksheet_class.cache_clear()
        return fast, stock
    return run


def invoke(runner, *args):
    result = runner.invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output + result.stderr
    return result


def test_fast_worksheet_is_available():
    cls = worksheet_class()
    assert cls is not None and hasattr(cls, "write_column_values")


@pytest.mark.slow
def test_pack_is_byte_identical(runner, tmp_path, both_ways):
    data = make_register.generate(400, seed=5)
    reg = tmp_path / "register.xlsx"
    make_register.write_template(data, reg)
    last = tmp_path / "last.xlsx"
    invoke(runner, "build", reg, "-o", last, "--as-of", "2026-10-28")
    fast, stock = both_ways(lambda out: invoke(
        runner, "build", reg, "-o", out, "--as-of", "2026-11-28", "--meeting", "2026-12-03",
        "--previous", last))
    assert sha256(fast) == sha256(stock)


def test_pack_with_errors_is_byte_identical(runner, tmp_path, both_ways):
    data = base_data()
    data["actions"][0]["Status"] = "Parked"
    data["actions"][1]["Action"] = "=HYPERLINK(\"http://x\",\"y\")"
    reg = write_register(tmp_path / "bad.xlsx", data)
    fast, stock = both_ways(lambda out: invoke(runner, "build", reg, "-o", out, "--allow-errors"))
    assert sha256(fast) == sha256(stock)


def test_response_and_template_are_byte_identical(runner, example_register, both_ways):
    fast, stock = both_ways(lambda out: invoke(runner, "response", example_register, "--all",
                                               "-o", out))
    assert sha256(fast) == sha256(stock)
    fast, stock = both_ways(lambda out: invoke(runner, "init", out), "init.xlsx")
    assert sha256(fast) == sha256(stock)


@pytest.mark.slow
def test_write_column_values_matches_write_string_and_write_number(tmp_path):
    """Gaps, repeats, a text too long for Excel, NaN and infinity, rows off the sheet."""
    long_text = "x" * 40000                       # xlsxwriter cuts it to 32,767
    texts = ["a", None, "b", "a", long_text, None, "a"]
    numbers = [1, None, 2.5, math.nan, math.inf, 45000, 1]
    off_sheet = ["beyond the last row", "also"]

    def make(path, fast: bool):
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
        wb.set_properties({"created": xlsx.FIXED_CREATED})
        if fast:
            wb.worksheet_class = worksheet_class()
        ws = wb.add_worksheet()
        fmt = wb.add_format({"bold": True})
        if fast:
            ws.write_column_values(2, 1, texts, fmt)
            ws.write_column_values(2, 3, numbers, fmt, numbers=True)
            ws.write_column_values(1_048_575, 0, off_sheet, fmt)
        else:
            for i, v in enumerate(texts):
                if v is not None:
                    ws.write_string(2 + i, 1, v, fmt)
            for i, v in enumerate(numbers):
                if v is not None:
                    ws.write_number(2 + i, 3, v, fmt)
            for i, v in enumerate(off_sheet):
                ws.write_string(1_048_575 + i, 0, v, fmt)
        wb.close()

    make(tmp_path / "fast.xlsx", True)
    make(tmp_path / "stock.xlsx", False)
    assert sha256(tmp_path / "fast.xlsx") == sha256(tmp_path / "stock.xlsx")

    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "fast.xlsx").active
    assert [ws.cell(r, 2).value for r in range(3, 10)] == \
        ["a", None, "b", "a", "x" * 32767, None, "a"]
    assert ws.cell(3, 4).value == 1 and ws.cell(5, 4).value == 2.5
    assert ws.cell(1_048_576, 1).value == "beyond the last row"


_FAST_CLASS = fastsheet._fast_class


def _broken():
    """A FastWorksheet that writes a string cell's attributes in another order: what
    an xlsxwriter release that changed its cell writer would look like to us."""
    fast = _FAST_CLASS()

    class Broken(fast):
        def _write_cell(self, row, col, cell):
            from xlsxwriter.utility import xl_rowcol_to_cell
            from xlsxwriter.worksheet import CellStringTuple

            if type(cell) is CellStringTuple and cell.format is not None:
                xf = cell.format._get_xf_index()
                self.fh.write(f'<c r="{xl_rowcol_to_cell(row, col)}" t="s" s="{xf}">'
                              f'<v>{cell.string}</v></c>')
                return
            super()._write_cell(row, col, cell)
    return Broken


def test_the_self_check_keeps_a_writer_that_matches_and_drops_one_that_does_not():
    fast = fastsheet._fast_class()
    assert fastsheet.checked(fast) is fast
    with pytest.warns(UserWarning, match="xlsxwriter's own is used: the files are the same"):
        assert fastsheet.checked(_broken()) is None


@pytest.mark.slow
def test_a_build_falls_back_to_the_stock_writer_with_one_warning(runner, tmp_path, monkeypatch,
                                                                 example_register):
    stock = tmp_path / "stock.xlsx"
    with monkeypatch.context() as m:
        m.setenv(fastsheet.STOCK_ENV, "1")
        fastsheet.worksheet_class.cache_clear()
        invoke(runner, "build", example_register, "-o", stock, "--as-of", "2026-11-28")
    monkeypatch.setattr(fastsheet, "_fast_class", _broken)
    fastsheet.worksheet_class.cache_clear()
    try:
        out = tmp_path / "fallback.xlsx"
        r = invoke(runner, "build", example_register, "-o", out, "--as-of", "2026-11-28")
        warned = [line for line in r.stderr.splitlines() if "xlsxwriter's own is used" in line]
        assert len(warned) == 1 and warned[0].startswith("gain-pack: warning: this xlsxwriter")
        assert sha256(out) == sha256(stock)
        r = invoke(runner, "build", example_register, "-o", out, "--as-of", "2026-11-28")
        assert "xlsxwriter's own" not in r.stderr          # once per process
    finally:
        fastsheet.worksheet_class.cache_clear()


def test_the_environment_can_ask_for_the_stock_writer(monkeypatch, recwarn):
    for value, stock in (("1", True), ("yes", True), ("0", False), ("", False)):
        monkeypatch.setenv(fastsheet.STOCK_ENV, value)
        fastsheet.worksheet_class.cache_clear()
        assert (fastsheet.worksheet_class() is None) is stock, value
    fastsheet.worksheet_class.cache_clear()
    assert not [w for w in recwarn if "xlsxwriter" in str(w.message)]


PROBE = ("import gc, sys\n"
         "from gain_workbook import cli\n"
         "lean = cli.lean_process()\n"
         "print(lean, gc.isenabled(), 'hypothesis' in sys.modules and "
         "sys.modules['hypothesis'] is None)\n")


@pytest.mark.parametrize("value, lean", [(None, True), ("1", False), ("0", True)])
def test_one_switch_turns_the_interpreter_tweaks_off(value, lean):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = {k: v for k, v in os.environ.items() if k != "GAIN_PLAIN_PYTHON"}
    if value is not None:
        env["GAIN_PLAIN_PYTHON"] = value
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         env=env, cwd=ROOT)
    assert out.stdout.split() == [str(lean), str(not lean), str(lean)], out.stderr
    # and the command runs and exits with its code either way
    done = subprocess.run([sys.executable, "-m", "gain_workbook", "describe", "nothing.xlsx"],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 2 and done.stderr.startswith("gain-pack: ")


_TEXTS = st.one_of(st.none(), st.sampled_from(["Open", "Closed", "a & b", "<x>", " pad "]),
                   st.text(max_size=12))
_NUMBERS = st.one_of(st.none(), st.integers(-10**6, 10**6))


@settings(max_examples=60, deadline=None)
@given(columns=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6), st.booleans(),
                                  st.integers(0, 2), st.data()), min_size=1, max_size=6),
       singles=st.lists(st.tuples(st.integers(0, 70), st.integers(0, 8), st.text(max_size=5)),
                        max_size=6),
       heights=st.lists(st.tuples(st.integers(0, 70), st.sampled_from([None, 12.75, 30])),
                        max_size=6),
       batch=st.tuples(st.integers(0, 60), st.lists(st.sampled_from([None, 0, 12.75, 30, 45.5]),
                                                    max_size=30)),
       table=st.booleans(), block=st.sampled_from([1, 3, 16, 4096]))
def test_stored_columns_write_what_xlsxwriter_writes(columns, singles, heights, batch, table,
                                                     block):
    """Columns of any length, gaps and repeats, at any row, beside, under and over cells
    written one by one, rows with heights (one by one and a table's at once), three
    formats met in any order, and an Excel table over a block of them, the rows made
    in blocks of any size: the stored columns' file is xlsxwriter's."""
    import io

    import xlsxwriter

    made = [(first, col, numbers, f, data.draw(st.lists(_NUMBERS if numbers else _TEXTS,
                                                           max_size=40)))
            for first, col, numbers, f, data in columns]

    def make(cls) -> bytes:
        out = io.BytesIO()
        wb = xlsxwriter.Workbook(out, {"in_memory": True})
        wb.set_properties({"created": xlsx.FIXED_CREATED})
        if cls is not None:
            wb.worksheet_class = cls
        ws = wb.add_worksheet()
        fmts = [wb.add_format({"bold": True}), wb.add_format({"italic": True}), None]
        for first, col, numbers, f, values in made:
            fastsheet.write_column(ws, first, col, values, fmts[f], numbers)
        for r, c, text in singles:
            ws.write_string(r, c, text, fmts[0])
        for r, h in heights:
            ws.set_row(r, h)
        fastsheet._heights(ws, *batch)
        if table:
            ws.add_table(100, 0, 130, 2, {"name": "T"})
            fastsheet.write_column(ws, 101, 1, ["x", None] * 15, fmts[1])
        wb.close()
        return out.getvalue()

    with pytest.MonkeyPatch.context() as m:
        m.setattr(fastsheet, "BAND_ROWS", block)
        assert make(fastsheet._fast_class()) == make(None)      # (not the self-checked one)


def test_a_table_added_here_still_refuses_an_overlap():
    """The table keeps no map of its cells, yet a later table or merge over any of
    its rows is refused as xlsxwriter refuses it."""
    import io

    import xlsxwriter
    from xlsxwriter.exceptions import OverlappingRange

    wb = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    wb.worksheet_class = fastsheet._fast_class()
    ws = wb.add_worksheet()
    ws.add_table(2, 0, 500, 3, {"name": "Big"})
    with pytest.raises(OverlappingRange, match="overlaps previous table range 'A3:D501'"):
        ws.merge_range(400, 2, 400, 5, "over", None)
    with pytest.raises(OverlappingRange, match="overlaps previous table range 'A3:D501'"):
        ws.add_table(450, 3, 600, 4, {"name": "Other"})
    assert ws.add_table(501, 0, 600, 3, {"name": "Below"}) == 0
    ws.merge_range(700, 0, 700, 3, "below", None)
