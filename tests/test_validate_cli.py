"""`gain-pack validate`: formats, exit codes, --annotate, and the CLI's basic promises."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import openpyxl
import pytest

from conftest import ROOT, base_data, sha256, write_register
from gain_workbook.cli import cli
from gain_workbook.check.validate import check


@pytest.fixture
def bad_register(tmp_path):
    data = base_data()
    data["actions"][0]["Status"] = "Parked"          # error
    data["actions"][1]["Due"] = "soon"               # error
    data["actions"][2]["Status"] = "WIP"             # warning
    data["actions"][0]["Latest update"] = '=HYPERLINK("http://x","y")'
    return write_register(tmp_path / "Bad register.xlsx", data)


def test_exit_codes_0_valid_1_errors(runner, base_register, bad_register):
    assert runner.invoke(cli, ["validate", str(base_register)]).exit_code == 0
    result = runner.invoke(cli, ["validate", str(bad_register)])
    assert result.exit_code == 1
    assert "NOT valid - 2 errors, 1 warning" in result.stdout


def test_text_groups_problems_by_sheet(runner, bad_register):
    out = runner.invoke(cli, ["validate", str(bad_register)]).stdout
    assert "Actions (2 errors, 1 warning)" in out
    lines = [line for line in out.splitlines() if line.startswith("  ")]
    assert lines[0].split()[:3] == ["G2", "error", "NOT_IN_LIST"]     # errors first, by row
    assert lines[1].split()[:3] == ["E3", "error", "BAD_DATE"]
    assert lines[2].split()[:3] == ["G4", "warning", "NORMALISED"]


def test_json_and_csv_carry_every_field(runner, bad_register):
    js = json.loads(runner.invoke(cli, ["validate", str(bad_register), "--format", "json"]).stdout)
    assert js["valid"] is False and js["errors"] == 2 and js["warnings"] == 1
    p = next(p for p in js["problems"] if p["code"] == "NOT_IN_LIST")
    assert p == {"code": "NOT_IN_LIST", "severity": "error", "sheet": "Actions", "cell": "G2",
                 "header": "Status", "value": "Parked", "where": "Actions!G2",
                 "subject": "INS-1 Rec 1, action A1", "message": p["message"]}
    assert "'Parked' is not an allowed Status; choose one of: Not started" in p["message"]
    rows = list(csv.DictReader(io.StringIO(
        runner.invoke(cli, ["validate", str(bad_register), "--format", "csv"]).stdout
        .lstrip("\ufeff"))))
    assert [(r["where"], r["code"]) for r in rows] == [
        ("Actions!G2", "NOT_IN_LIST"), ("Actions!E3", "BAD_DATE"), ("Actions!G4", "NORMALISED")]


def test_python_api_returns_the_report_the_cli_renders(runner, bad_register):
    _, report = check(bad_register)
    out = runner.invoke(cli, ["validate", str(bad_register), "--format", "json"]).stdout
    assert json.loads(out) == json.loads(report.to_json())


def test_annotate_marks_every_problem_and_never_touches_the_input(runner, bad_register, tmp_path):
    before = sha256(bad_register)
    out = tmp_path / "checked copy.xlsx"
    result = runner.invoke(cli, ["validate", str(bad_register), "--annotate", str(out)])
    assert result.exit_code == 1
    assert sha256(bad_register) == before
    wb = openpyxl.load_workbook(out)
    ws = wb["Actions"]
    for ref, code in (("G2", "NOT_IN_LIST"), ("E3", "BAD_DATE"), ("G4", "NORMALISED")):
        assert code in ws[ref].comment.text
        assert ws[ref].fill.fgColor.rgb.endswith(("FFC7CE", "FFEB9C"))
    assert ws["G2"].fill.fgColor.rgb.endswith("FFC7CE")      # error red
    assert ws["G4"].fill.fgColor.rgb.endswith("FFEB9C")      # warning amber
    assert ws["A2"].comment is None
    probs = wb["Problems"]
    assert wb.sheetnames[0] == "Problems"
    assert probs["A2"].value == "Actions!G2"
    assert probs["A2"].hyperlink.location == "'Actions'!G2" or \
        probs["A2"].hyperlink.target.endswith("'Actions'!G2")
    # the Problems sheet prints one page wide on A4, in the body font
    assert probs.page_setup.paperSize == 9 and probs.page_setup.fitToHeight == 0
    assert probs.sheet_properties.pageSetUpPr.fitToPage
    assert probs["F2"].alignment.wrap_text and probs["A1"].font.name == "Calibri"
    # register text that looks like a formula stays text in the copy
    assert ws["J2"].data_type == "s" and ws["J2"].value.startswith("=HYPERLINK")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~gain")] == []


def test_annotate_refuses_to_overwrite_the_register(runner, bad_register):
    before = sha256(bad_register)
    result = runner.invoke(cli, ["validate", str(bad_register), "--annotate", str(bad_register)])
    assert result.exit_code == 2
    assert "must not replace the register" in result.stderr
    assert sha256(bad_register) == before


def test_help_on_every_command_has_an_example(runner):
    for name, cmd in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.stdout and "gain-pack " + name in result.stdout, name


def test_version_and_python_m(runner):
    from gain_workbook import __version__

    assert runner.invoke(cli, ["--version"]).stdout.strip() == f"gain-pack, version {__version__}"
    proc = subprocess.run([sys.executable, "-m", "gain_workbook", "--version"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and __version__ in proc.stdout


def test_help_does_not_import_pandas_or_pandera():
    code = ("import sys; from gain_workbook.cli import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'pandera', 'openpyxl', 'xlsxwriter') "
            "if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout + proc.stderr


@pytest.mark.slow
@pytest.mark.serial
def test_process_ends_with_all_output_and_the_right_exit_code(runner, tmp_path, bad_register):
    """main() ends the process with os._exit: nothing may be lost on the way out."""
    from conftest import make_register

    reg = tmp_path / "big.xlsx"
    make_register.write_template(make_register.generate(3000, seed=4), reg)
    args = ["rollup", str(reg), "--by", "action", "--format", "csv"]
    proc = subprocess.run([sys.executable, "-m", "gain_workbook", *args], capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == runner.invoke(cli, args).stdout       # every row, through a pipe
    assert len(proc.stdout.splitlines()) == 1 + len(check(reg)[0].actions) > 3000
    for argv, code, words in ((["validate", str(bad_register)], 1, "NOT valid"),
                              (["validate", str(tmp_path / "none.xlsx")], 2, "There is no file"),
                              (["build", str(bad_register), "-o", str(tmp_path / "p.xlsx")], 1,
                               "--allow-errors")):
        proc = subprocess.run([sys.executable, "-m", "gain_workbook", *argv],
                              capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == code and words in proc.stdout + proc.stderr, argv
    head = subprocess.run(f'"{sys.executable}" -m gain_workbook {" ".join(args[:1])} '
                          f'"{reg}" --by action --format csv | head -1', shell=True,
                          capture_output=True, text=True, cwd=ROOT)
    assert head.stdout.startswith("\ufeffAction ID,") and "Traceback" not in head.stderr


@pytest.mark.slow
def test_command_does_not_import_hypothesis(base_register):
    """pandera would import hypothesis (installed here for the tests) at ~0.15 s a run."""
    pytest.importorskip("hypothesis")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "gain_workbook", "validate",
                           str(base_register)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()
                if line.startswith("import time:")]
    assert "pandera" in imported
    # (pandera's attempt at hypothesis.strategies is listed, and fails at once)
    assert "hypothesis" not in imported and "hypothesis.core" not in imported


def test_console_script_is_installed():
    import shutil

    exe = shutil.which("gain-pack")
    assert exe, "gain-pack is not on PATH: is the package installed?"
    proc = subprocess.run([exe, "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "validate" in proc.stdout


def test_validate_register_with_only_warnings_exits_0(runner, tmp_path):
    data = base_data()
    data["actions"][0]["Status"] = "wip"
    result = runner.invoke(cli, ["validate", str(write_register(tmp_path / "w.xlsx", data))])
    assert result.exit_code == 0
    assert "valid - 0 errors, 1 warning" in result.stdout


def test_annotate_marks_a_problem_in_merged_cells_on_the_first_of_them(runner, tmp_path):
    """Two items' Item ID cells merged (A2:A3): the second reads the first's id, a
    DUPLICATE_ID on A3, a merged cell, which openpyxl cannot comment (it was a crash,
    exit 70): its mark goes on the merged range's first cell."""
    reg = write_register(tmp_path / "merged.xlsx", base_data(),
                         post=lambda wb: wb["Items"].merge_cells("A2:A3"))
    out = tmp_path / "marked.xlsx"
    result = runner.invoke(cli, ["validate", str(reg), "--annotate", str(out)])
    assert result.exit_code == 1, result.output + result.stderr
    assert "DUPLICATE_ID" in openpyxl.load_workbook(out)["Items"]["A2"].comment.text


def test_annotate_of_a_workbook_openpyxl_cannot_open_is_one_sentence(runner, tmp_path):
    """A cell whose style number is past the workbook's styles (python-calamine reads it;
    openpyxl cannot): the problems are listed, the marked copy refused in one sentence,
    exit 2, no traceback, nothing written."""
    import re
    import zipfile

    good = write_register(tmp_path / "good.xlsx", base_data())
    bad = tmp_path / "bad style.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet3.xml":
                data = re.sub(rb'<c r="A2"( s="\d+")?', b'<c r="A2" s="999"', data, count=1)
            dst.writestr(info, data)
    out = tmp_path / "marked.xlsx"
    result = runner.invoke(cli, ["validate", str(bad), "--annotate", str(out)])
    assert result.exit_code == 2, result.output + result.stderr
    assert "Cannot write the marked copy" in result.stderr and "Traceback" not in result.output
    assert not out.exists()
