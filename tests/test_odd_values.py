"""Odd values in a register's cells are a problem on their cell, never a crash.

Negative date serials, booleans and huge numbers in date columns (with and without a
date or time format on the cell), an item numbered 99999999999, and whole-number
settings far out of range: every command that reads the register says what it found
on the cell and goes on (or stops with exit 1 on errors), never exit 70, a Rust panic
or a MemoryError.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import base_data, write_register
from gain_workbook.model import schema
from gain_workbook.cli import cli
from gain_workbook.model.settings import SETTINGS

AS_OF = "2026-11-28"
SHEETS = {"inspections": "Inspections", "items": "Items", "actions": "Actions"}
DATE_COLUMNS = [(c.table, c.header) for c in schema.COLUMNS
                if c.kind == "date" and c.table in SHEETS]
ROWS = {"inspections": 1, "items": 3, "actions": 3}
FORMATS = [None, "dd/mm/yyyy", "d mmm yyyy", "yyyy-mm-dd hh:mm", "hh:mm", "[h]:mm:ss", "0"]

ODD_NUMBERS = st.one_of(
    st.integers(min_value=-10**20, max_value=-1),                  # negative serials
    st.integers(min_value=2_958_466, max_value=10**20),            # past 31/12/9999
    st.sampled_from([0, -0.5, 0.25, 60, 61, 2_958_465.9, 99999999999, -1.07e11, 1e8, 1e9,
                     -1e9, 1e15, 2**62, -2**62, 1e300, -1e300, 1e308]),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e308, max_value=1e308),
)
ODD_VALUES = st.one_of(ODD_NUMBERS, st.booleans(),
                       st.sampled_from(["-5", "1e300", "TBC", "31/02/2024", "Q5 2026",
                                        "99/99/9999", "0000-00-00", "-1", "True", ""]))


def _register(path, cells, settings_rows=()):
    """The small valid register, with each (table, header, row, value, number format)
    set (a column the sheet lacks is added) and the Settings rows added."""
    def post(wb):
        for table, header, row, value, number_format in cells:
            ws = wb[SHEETS[table]]
            heads = [c.value for c in ws[1]]
            col = heads.index(header) + 1 if header in heads else len(heads) + 1
            ws.cell(1, col, header)
            cell = ws.cell(1 + row, col, value)
            if number_format:
                cell.number_format = number_format
        for key, setting in settings_rows:
            wb["Settings"].append([key, setting])
    data = base_data()
    data["inspections"][0]["Plenary session"] = dt.date(2024, 2, 1)
    return write_register(path, data, post=post)


def _commands(reg, tmp_path):
    return [["validate", str(reg)],
            ["build", str(reg), "--allow-errors", "-o", str(tmp_path / "pack.xlsx"),
             "--as-of", AS_OF],
            ["response", str(reg), "--all", "--allow-errors", "--docx", "-o",
             str(tmp_path / "response.xlsx"), "--as-of", AS_OF],
            ["requests", str(reg), "-o", str(tmp_path / "requests"), "--as-of", AS_OF]]


def _exits(args) -> tuple:
    """The exit codes a command may end with on a register with errors: 0 with
    --allow-errors, else 1 (requests has no --allow-errors)."""
    return (0,) if "--allow-errors" in args else (0, 1)


INT_SETTINGS = [s.label for s in SETTINGS if s.kind == "int"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(cells=st.lists(st.tuples(st.sampled_from(DATE_COLUMNS), st.integers(1, 3), ODD_VALUES,
                                st.sampled_from(FORMATS)), min_size=1, max_size=6),
       odd_setting=st.tuples(st.sampled_from(INT_SETTINGS),
                             st.one_of(ODD_NUMBERS, st.booleans(), st.just("ten"))))
def test_odd_values_in_date_columns_are_problems_on_their_cells(runner, tmp_path, cells,
                                                                odd_setting):
    # the last value given for a cell is the one it holds
    placed = list({(table, header, min(row, ROWS[table])): (table, header, min(row, ROWS[table]),
                                                             value, fmt)
                   for (table, header), row, value, fmt in cells}.values())
    reg = _register(tmp_path / "register.xlsx", placed, [odd_setting])
    for args in _commands(reg, tmp_path):
        r = runner.invoke(cli, args)
        assert r.exception is None or isinstance(r.exception, SystemExit), (args, r.exception)
        assert r.exit_code in _exits(args), (args, r.stderr)
        assert "bug in gain-pack" not in r.stderr and "Traceback" not in r.stderr, r.stderr
    report = runner.invoke(cli, ["validate", str(reg), "--format", "csv"]).stdout
    label, value = odd_setting
    setting = next(s for s in SETTINGS if s.label == label)
    usable = (not isinstance(value, (bool, str)) and float(value).is_integer()
              and setting.least <= value <= setting.most)
    assert ("BAD_SETTING" in report) != usable, (odd_setting, report)
    for table, header, row, value, _ in placed:
        if isinstance(value, bool) or (isinstance(value, (int, float)) and
                                       (value < 1 or value >= 2_958_466)):
            # never a date: said on its own cell
            where = f"{SHEETS[table]}!{_letter(reg, table, header)}{row + 1}"
            assert f",{where}," in report, (where, value, report)


def _letter(reg, table, header):
    import openpyxl

    ws = openpyxl.load_workbook(reg, read_only=True)[SHEETS[table]]
    heads = [c.value for c in next(ws.iter_rows(max_row=1))]
    from gain_workbook.core.sniff import col_letter

    return col_letter(heads.index(header))


def _limited_memory():
    """A child's address space capped at 1.5 GB: a list of a hundred billion numbers
    ends in MemoryError at once instead of taking the machine's memory first."""
    cap = int(1.5 * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def test_the_register_from_the_issue_in_a_real_process(tmp_path):
    """Negative date serials, booleans in date columns and huge numbers (an item numbered
    99999999999, a date of 1e300, -1e20 under a date format) with response --all
    --allow-errors: a MemoryError (exit 70) and a Rust panic before."""
    cells = [("actions", "Due", 1, -5, "dd/mm/yyyy"), ("actions", "Due", 2, True, None),
             ("actions", "Due", 3, 1e300, "dd/mm/yyyy"),
             ("actions", "Last updated", 2, -1e20, "dd/mm/yyyy"),
             ("actions", "Revised due", 1, False, "dd/mm/yyyy"),
             ("inspections", "Published", 1, -1, "dd/mm/yyyy"),
             ("actions", "Completed on", 3, 99999999999, "[h]:mm:ss")]
    reg = _register(tmp_path / "register.xlsx", cells)
    from conftest import replace_in_parts

    replace_in_parts(reg, {'<c r="D2" t="inlineStr"><is><t>1</t></is></c>':
                           '<c r="D2" t="n"><v>99999999999</v></c>'})
    for args in _commands(reg, tmp_path):
        proc = subprocess.run([sys.executable, "-m", "gain_workbook", *args],
                              capture_output=True, text=True, timeout=300,
                              preexec_fn=_limited_memory, env={**os.environ, "RUST_BACKTRACE": "0"})
        assert proc.returncode in _exits(args), (args, proc.stderr)
        assert "panicked" not in proc.stderr and "bug in gain-pack" not in proc.stderr, \
            proc.stderr
    validate = subprocess.run([sys.executable, "-m", "gain_workbook", "validate", str(reg)],
                              capture_output=True, text=True, timeout=300)
    for said in ("'-5' in Due", "'True' in Due", "'False' in Revised due", "'-1' in Published",
                 "'-100000000000000000000' in Last updated",
                 "'99999999999' in Completed on"):
        assert said in validate.stdout, validate.stdout
    response = tmp_path / "response.xlsx"
    import openpyxl

    text = " ".join(str(c) for r in openpyxl.load_workbook(response).active.iter_rows(
        values_only=True) for c in r if c)
    assert "Recommendation 99999999999" in text


@pytest.mark.parametrize("number", ["99999999999", "4611686018427387904"])
def test_an_item_with_a_huge_number_is_in_the_response(tmp_path, number):
    """The response says which numbers of a kind the register lacks; it listed them one
    by one, and an item numbered 99999999999 took all the memory there was (exit 70,
    MemoryError, under the cap here)."""
    data = base_data()
    data["inspections"][0]["PCC comment"] = "Welcome."
    data["items"][0]["Number"] = number
    reg = write_register(tmp_path / "register.xlsx", data)
    out = tmp_path / "response.xlsx"
    proc = subprocess.run([sys.executable, "-m", "gain_workbook", "response", str(reg), "--all",
                           "-o", str(out), "--as-of", AS_OF, "--working"],
                          capture_output=True, text=True, timeout=300,
                          preexec_fn=_limited_memory)
    assert proc.returncode == 0, proc.stderr
    import openpyxl

    text = " ".join(str(c) for r in openpyxl.load_workbook(out).active.iter_rows(
        values_only=True) for c in r if c)
    # the register's other recommendation is numbered 2
    assert (f"Recommendations 2 and {number} but not recommendations 1 and 3 to "
            f"{int(number) - 1}") in text


@given(st.lists(st.tuples(st.sampled_from(["Recommendation", "Area for improvement",
                                           "Cause of concern"]),
                          st.integers(1, 40)), max_size=12))
def test_numbering_gaps_are_said_as_runs(numbered):
    """The gaps in a kind's numbers, said as runs ('2 to 14'), are the numbers listing
    them one by one would give (the runs are what an item numbered 99999999999 needs)."""
    import pandas as pd

    from gain_workbook.response.document import KIND_NAMES, KIND_ORDER, numbering_gaps

    items = pd.DataFrame([{"kind": k, "number": str(n)} for k, n in numbered],
                         columns=["kind", "number"])
    expected = []
    for kind in KIND_ORDER:
        held = {n for k, n in numbered if k == kind}
        missing = [n for n in range(1, max(held, default=0) + 1) if n not in held]
        if missing:
            one, many = KIND_NAMES[kind]
            expected.append((one if len(missing) == 1 else many, missing))
    got = numbering_gaps(items)
    assert len(got) == len(expected)
    for line, (noun, missing) in zip(got, expected):
        said = line.split(" but not ", 1)[1]
        assert said.startswith(noun + " ")
        listed = []
        for part in said[len(noun) + 1:].replace(" and ", ", ").split(", "):
            first, _, last = part.partition(" to ")
            listed += range(int(first), int(last or first) + 1)
        assert listed == missing


@pytest.mark.parametrize("odd", ["-1E+20", "-5", "1E+300", "INF"])
def test_odd_numbers_in_a_reply_or_a_previous_pack_are_read_not_a_crash(runner, tmp_path,
                                                                         odd):
    """The same numbers under a date format in the other workbooks gain-pack reads: an
    owner's reply (merge) and last month's pack (build --previous)."""
    import openpyxl

    from conftest import replace_in_parts

    data = base_data()
    reg = write_register(tmp_path / "register.xlsx", data)
    r = runner.invoke(cli, ["requests", str(reg), "-o", str(tmp_path / "req"), "--as-of",
                            AS_OF])
    assert r.exit_code == 0, r.stderr
    book = next((tmp_path / "req").glob("Update request * - Ch Insp Custody.xlsx"))
    wb = openpyxl.load_workbook(book)
    ws = wb["Update request"]
    row = next(n for n in range(8, ws.max_row + 1) if ws[f"C{n}"].value == "A1")
    ws[f"M{row}"] = 12345.0          # Completed on, under the sheet's date format
    ws[f"M{row}"].number_format = "dd/mm/yyyy"
    wb.save(book)
    replace_in_parts(book, {"<v>12345</v>": f"<v>{odd}</v>"})
    r = runner.invoke(cli, ["merge", str(reg), str(book), "--as-of", "2026-12-01"])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code in (0, 1) and "bug in gain-pack" not in r.stderr, r.stderr

    pack = tmp_path / "pack.xlsx"
    assert runner.invoke(cli, ["build", str(reg), "-o", str(pack), "--as-of",
                               "2026-10-28"]).exit_code == 0
    serial = (dt.date(2024, 6, 30) - dt.date(1899, 12, 30)).days      # action A1's due date
    replace_in_parts(pack, {f"<v>{serial}</v>": f"<v>{odd}</v>"})
    r = runner.invoke(cli, ["build", str(reg), "-o", str(tmp_path / "pack 2.xlsx"),
                            "--as-of", AS_OF, "--previous", str(pack)])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code in (0, 2) and "bug in gain-pack" not in r.stderr, r.stderr
