"""FastWorksheet writes the same bytes as xlsxwriter's own Worksheet, only sooner.

Every workbook we write is built twice, once with FastWorksheet and once with the
stock Worksheet (gain_workbook.xlsx.worksheet_class switched off), and the files
must be identical. An xlsxwriter release that changes how cells are stored or
written fails here.
"""

from __future__ import annotations

import math

import pytest

from conftest import base_data, make_register, sha256, write_register
from gain_workbook import xlsx
from gain_workbook.cli import cli
from gain_workbook.fastsheet import worksheet_class


@pytest.fixture
def both_ways(monkeypatch, tmp_path):
    """Run ``make(path)`` with FastWorksheet and with the stock Worksheet; two paths."""
    def run(make, name="out.xlsx"):
        fast, stock = tmp_path / f"fast-{name}", tmp_path / f"stock-{name}"
        make(fast)
        with monkeypatch.context() as m:
            m.setattr(xlsx, "worksheet_class", lambda: None)
            make(stock)
        return fast, stock
    return run


def invoke(runner, *args):
    result = runner.invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output + result.stderr
    return result


def test_fast_worksheet_is_available():
    cls = worksheet_class()
    assert cls is not None and hasattr(cls, "write_column_values")


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
