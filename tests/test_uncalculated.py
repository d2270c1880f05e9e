"""A formula saved without its value is said, never read as empty without a word.

Excel and LibreOffice save each formula's value beside it; a program that does not
calculate (openpyxl, as here, and many exports) saves none, and python-calamine reads
such a cell as empty. The sniff finds them as it scans each sheet; the reader warns on
each sheet it reads (UNCALCULATED_FORMULA), and merge refuses such a reply
(tests/test_chase.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import base_data, write_register
from gain_workbook.check.validate import check as check_file
from gain_workbook.core import sniff
from gain_workbook.register.reader import read_register


def _formulas(ws, cells: dict) -> None:
    for ref, formula in cells.items():
        ws[ref] = formula           # (openpyxl saves a formula with no value)


def test_a_registers_formulas_without_values_are_a_warning_on_their_sheet(tmp_path):
    """In the columns the register is read from, below the headers: a warning naming
    them. An office's own calculated column (Z), or a formula in a header, is not the
    register's and says nothing (gain-pack's own in-place edit leaves a table's
    calculated column to Excel to fill in: found by review)."""
    reg = write_register(tmp_path / "r.xlsx", base_data(), post=lambda wb: [
        _formulas(wb["Actions"], {"F2": "=E2+30", "J3": '=CONCAT("a","b")', "Z2": "=1+1",
                                  "Z3": "=2+2"}),
        _formulas(wb["Inspections"], {"G2": '=CONCAT("Mostly ","safe.")', "Z40": "=1+1",
                                      "Z1": '=CONCAT("My ","column")'})])
    _, report = check_file(reg)
    got = [(p.code, p.sheet, p.cell, p.message) for p in report.problems
           if p.code == "UNCALCULATED_FORMULA"]
    assert got == [("UNCALCULATED_FORMULA", "Actions", "F2",
                    "2 cells (F2, J3) hold formulas saved without their values (the file was "
                    "written by a program that does not calculate), so they were read as "
                    "empty; open the workbook in Excel, save it, and read it again."),
                   ("UNCALCULATED_FORMULA", "Inspections", "G2",
                    "Cell G2 holds a formula saved without its value (the file was written "
                    "by a program that does not calculate), so it was read as empty; open "
                    "the workbook in Excel, save it, and read it again.")]


def test_a_sheet_that_is_not_read_is_not_warned_about(tmp_path):
    def post(wb):
        ws = wb.create_sheet("Dashboard")
        ws["A1"], ws["B1"] = "Open actions", "=COUNTIF(Actions!G:G,\"Open\")"

    _, report = check_file(write_register(tmp_path / "r.xlsx", base_data(), post=post))
    assert not [p for p in report.problems if p.code == "UNCALCULATED_FORMULA"]


def test_formulas_saved_with_their_values_say_nothing(tmp_path):
    """xlsxwriter, like Excel, saves the value beside each formula (given one: a formula
    xlsxwriter is told gives "" is saved with an empty value and no type, which is read
    as not calculated; Excel writes t="str" there)."""
    import xlsxwriter

    out = tmp_path / "calculated.xlsx"
    wb = xlsxwriter.Workbook(str(out))
    ws = wb.add_worksheet()
    ws.write_formula("A1", "=1+1", None, 2)
    ws.write_formula("A2", '="a"', None, "a")
    ws.write_array_formula("B1:B2", "{=A1:A2*2}", None, 4)
    wb.close()
    assert sniff.check_workbook(out).uncalculated == {}


@pytest.mark.parametrize("tail", [b'<f>A1+1</f></c>', b'<f t="shared" si="0"/></c>',
                                  b'<f>LEN(A1)</f><v></v></c>', b'<f>A1</f><v/></c>',
                                  b'<f>A1</f>\n  </c>', b'<x:f>A1</x:f></x:c>'])
def test_each_way_a_formula_is_written_without_a_value_is_found(tail):
    prefix = b"x:" if tail.startswith(b"<x:") else b""
    body = b'<row r="7"><' + prefix + b'c r="C7"><' + prefix + b'v>1</' + prefix + b'v></' + \
        prefix + b'c><' + prefix + b'c r="D7">' + tail + b"</row>"
    assert [ref for _, ref in sniff._uncalculated(body)] == ["D7"]


def test_a_formula_with_a_value_or_an_empty_one_is_not_uncalculated():
    for cell in (b'<c r="A1"><f>1+1</f><v>2</v></c>', b'<c r="A1" t="str"><f>""</f><v></v></c>',
                 b'<c r="A1" t="inlineStr"><is><t>&lt;f&gt;x&lt;/f&gt;</t></is></c>'):
        assert sniff._uncalculated(cell) == []


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(st.booleans(), st.integers(1, 60)), min_size=1, max_size=40),
       chunk=st.sampled_from([97, 256, 1000, sniff.CHUNK]))
def test_the_count_holds_wherever_the_chunks_are_cut(tmp_path_factory, rows, chunk):
    """Chunks of any size (each starting OVERLAP bytes back): every such cell is counted
    once, wherever the cuts fall (review found cells lost at cuts), and named where a
    chunk holds its start."""
    import openpyxl

    path = tmp_path_factory.mktemp("cut") / "cut.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    want = []
    for r, (formula, width) in enumerate(rows, start=1):
        ws.cell(r, 1, "x" * width)
        if formula:
            ws.cell(r, 2, f"=LEN(A{r})+{'0' * width}")
            want.append(f"B{r}")
    wb.save(path)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(sniff, "CHUNK", chunk)
        got = sniff.check_workbook(path).uncalculated
    if not want:
        assert got == {}
        return
    (count, named), = got.values()
    assert count == len(want)
    assert set(named) <= set(want) and list(named) == sorted(named, key=want.index)
    if chunk == sniff.CHUNK:
        assert named == tuple(want)


def test_a_date_column_of_formulas_reads_as_no_date_with_the_reason_beside(tmp_path):
    """The action's Revised due is a formula with no value: it is read as no date, and
    the warning on its sheet says why."""
    data = base_data()
    reg = write_register(tmp_path / "r.xlsx", data, post=lambda wb: _formulas(
        wb["Actions"], {"F2": "=E2+30"}))
    register = read_register(reg)
    first = register.actions.frame.iloc[0]
    assert first["revised_due"] is None or first["revised_due"] != first["revised_due"]
    assert any(p.code == "UNCALCULATED_FORMULA" and p.cell == "F2" for p in register.problems)
    assert isinstance(data["actions"][0].get("Due"), (dt.date, type(None)))
