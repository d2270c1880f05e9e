"""`gain-pack init`: the register the office keeps, with dropdowns, a Guide and the example."""

from __future__ import annotations

import pytest
import datetime as dt

import openpyxl

from conftest import run_tool, sha256
from gain_workbook.model import schema
from gain_workbook.cli import cli
from gain_workbook.model.settings import SETTINGS
from gain_workbook.check.validate import check


def test_init_writes_a_valid_register_with_the_worked_example(tmp_path, runner):
    out = tmp_path / "Inspection register.xlsx"
    result = runner.invoke(cli, ["init", str(out), "--example"])
    assert result.exit_code == 0, result.output
    reg, report = check(out)
    assert report.valid and not report.problems, report.to_text()
    assert reg.counts == {"inspections": 1, "items": 10, "actions": 7}
    ins = reg.inspections.frame.iloc[0]
    assert ins["published"] == dt.date(2023, 12, 8)
    assert ins["title"].startswith("An inspection of the effectiveness of the police")
    assert ins["inspection_type"] == "National, Thematic" and ins["force_quoted"] == "No"
    items = reg.items.frame
    recs = items[items["kind"] == "Recommendation"]
    assert list(recs["number"]) == [str(n) for n in range(1, 10)]
    assert list(items[items["kind"] == "Area for improvement"]["number"]) == ["1"]
    applies = items[items["applies"] == "Yes"]
    assert sorted(applies["item_id"]) == sorted(["INS-2023-07-R2", "INS-2023-07-R4",
                                                  "INS-2023-07-R9", "INS-2023-07-AFI1"])
    # every applicable item has actions
    assert set(applies["item_id"]) <= set(reg.actions.frame["action_item_id"])
    assert reg.settings.force_name == "Cleveland Police"


def test_init_has_dropdowns_frozen_headers_and_widths(tmp_path):
    from gain_workbook.register.template import write_register_template

    out = write_register_template(tmp_path / "r.xlsx", example=True)
    wb = openpyxl.load_workbook(out)
    for table in schema.TABLES:
        ws = wb[schema.SHEET_NAMES[table]]
        assert ws.freeze_panes == "B2"
        cols = schema.template_columns(table)
        assert [c.value for c in ws[1]] == [c.header for c in cols]
        ranges = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
        dims = list(ws.column_dimensions.values())
        for i, col in enumerate(cols):
            letter = openpyxl.utils.get_column_letter(i + 1)
            (dim,) = [d for d in dims if d.min <= i + 1 <= d.max]    # xlsxwriter groups columns
            assert dim.width >= col.width
            if col.kind in ("vocab", "yesno"):
                dv = ranges[f"{letter}2:{letter}2001"]
                assert dv.type == "list" and dv.formula1.startswith("Lists!")
                # the list on the Lists sheet holds exactly the vocabulary
                col_letter = dv.formula1.split("$")[1]
                words = [c.value for c in wb["Lists"][col_letter][1:] if c.value]
                assert tuple(words) == col.vocab
    assert wb["Lists"].sheet_state == "hidden"


def test_guide_describes_every_column_and_setting(tmp_path):
    from gain_workbook.register.template import write_register_template

    wb = openpyxl.load_workbook(write_register_template(tmp_path / "r.xlsx"))
    ws = wb["Guide"]
    rows = {(r[0], r[1]): r[3] for r in ws.iter_rows(values_only=True) if r[1]}
    for col in schema.COLUMNS:
        assert rows[(schema.SHEET_NAMES[col.table], col.header)] == col.description
    for s in SETTINGS:
        assert rows[("Settings", s.label)] == s.description
    assert wb.sheetnames[0] == "Guide"


def test_guide_and_settings_print_one_page_wide_with_their_header_row(tmp_path):
    from gain_workbook.register.template import write_register_template

    wb = openpyxl.load_workbook(write_register_template(tmp_path / "r.xlsx"))
    for name, header_row in (("Guide", "$9:$9"), ("Settings", "$1:$1")):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9, name
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
        assert ws.page_setup.fitToWidth in (None, 1)      # 1 is the default, left out
        assert ws.print_title_rows == header_row, name
    assert wb["Guide"].cell(9, 1).value == "Sheet"


def test_plain_init_is_an_empty_register_with_no_other_forces_name(tmp_path, runner):
    out = tmp_path / "blank.xlsx"
    result = runner.invoke(cli, ["init", str(out)])
    assert result.exit_code == 0
    assert "Force name is blank on the Settings sheet" in result.stderr
    reg, report = check(out)
    assert reg.counts == {"inspections": 0, "items": 0, "actions": 0}
    assert report.valid and [p.code for p in report.problems] == ["NO_FORCE_NAME"]
    settings = {r[0]: r[1] for r in openpyxl.load_workbook(out)["Settings"].iter_rows(
        values_only=True)}
    assert settings["Force name"] is None and settings["Protective marking"] is None
    named = tmp_path / "named.xlsx"
    result = runner.invoke(cli, ["init", str(named), "--force-name", "Durham Constabulary"])
    assert result.exit_code == 0 and result.stderr == ""
    reg, report = check(named)
    assert reg.settings.force_name == "Durham Constabulary" and report.problems == []
    assert runner.invoke(cli, ["init", str(tmp_path / "old.xlsx"), "--blank"]).exit_code == 0
    help_text = " ".join(runner.invoke(cli, ["init", "--help"]).stdout.split())
    assert "--example" in help_text and "--force-name NAME" in help_text


def test_init_never_overwrites_without_force(tmp_path, runner):
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"precious")
    result = runner.invoke(cli, ["init", str(out)])
    assert result.exit_code == 2
    assert "already exists; choose another name, or pass --force to replace it" in result.stderr
    assert out.read_bytes() == b"precious"
    lock = tmp_path / "~$r.xlsx"                 # open in Excel: refused, nothing written
    lock.write_bytes(b"x")
    result = runner.invoke(cli, ["init", "--force", str(out)])
    assert result.exit_code == 2 and "is open in Excel" in result.stderr
    assert out.read_bytes() == b"precious"
    lock.unlink()
    result = runner.invoke(cli, ["init", "--force", str(out)])
    assert result.exit_code == 0
    assert out.read_bytes()[:2] == b"PK"
    # what it replaced (a full register, retyped by a tired clerk) is kept beside it
    (kept,) = [p for p in tmp_path.iterdir() if p.name != "r.xlsx"]   # no temp file left
    assert kept.name.startswith("r (before init ") and kept.read_bytes() == b"precious"
    assert f"kept the workbook it replaced as '{kept.name}'" in result.stderr


def test_adopt_force_keeps_the_register_it_replaces(tmp_path, runner, example_register):
    out = tmp_path / "Inspection register.xlsx"
    out.write_bytes(example_register.read_bytes())
    result = runner.invoke(cli, ["adopt", str(example_register), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.stderr
    (kept,) = [p for p in tmp_path.iterdir() if "(before adopt " in p.name]
    assert kept.read_bytes() == example_register.read_bytes()


def test_init_is_byte_identical(tmp_path):
    from gain_workbook.register.template import write_register_template

    a = write_register_template(tmp_path / "a.xlsx", example=True)
    b = write_register_template(tmp_path / "b.xlsx", example=True)
    assert sha256(a) == sha256(b)


def test_init_into_missing_folder_is_one_sentence(tmp_path, runner):
    result = runner.invoke(cli, ["init", str(tmp_path / "nope" / "r.xlsx")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_template_opens_cleanly_in_libreoffice(example_register, tmp_path):
    proc = run_tool("xlsx-recalc-check", example_register, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK" in proc.stdout


def test_data_sheets_fit_their_words_and_print_a4_landscape_one_page_wide(tmp_path):
    """Each column is as wide as its header's longest word and its dropdown's longest
    choice ('Accelerated cause of concern'); short text fits its values ('ACC Crime and
    Vulnerability'); the header row is tall enough for its wrapped headers."""
    from gain_workbook.excel import styles
    from gain_workbook.register.template import write_register_template

    wb = openpyxl.load_workbook(write_register_template(tmp_path / "r.xlsx", example=True))
    for table in schema.TABLES:
        ws = wb[schema.SHEET_NAMES[table]]
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$1:$1"
        dims = list(ws.column_dimensions.values())
        lines = 1
        for i, col in enumerate(schema.template_columns(table)):
            (dim,) = [d for d in dims if d.min <= i + 1 <= d.max]
            longest_word = max(len(w) for w in col.header.replace("(", " ").split())
            assert dim.width >= longest_word, (table, col.header)
            if col.vocab:
                assert dim.width >= max(len(v) for v in col.vocab) + 2, (table, col.header)
            lines = max(lines, styles.wrapped_lines(col.header, dim.width, 1.1))
        assert ws.row_dimensions[1].height >= lines * styles.LINE_HEIGHT, table
    ins = wb["Inspections"]
    lead = [c.value for c in ins[1]].index("Executive lead") + 1
    width = next(d.width for d in ins.column_dimensions.values() if d.min <= lead <= d.max)
    assert width >= len("ACC Crime and Vulnerability")


@pytest.mark.slow
def test_created_date_is_the_date_the_file_is_for(tmp_path, runner, example_register):
    """Not 1 January 2000: the pack's as-of date; still the same bytes run to run."""
    out = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for path in out:
        r = runner.invoke(cli, ["build", str(example_register), "-o", str(path),
                                "--as-of", "28/11/2026"])
        assert r.exit_code == 0, r.stderr
    assert openpyxl.load_workbook(out[0]).properties.created == dt.datetime(2026, 11, 28)
    assert sha256(out[0]) == sha256(out[1])
    r = runner.invoke(cli, ["response", str(example_register), "--all", "--as-of", "2026-11-28",
                            "-o", str(tmp_path / "resp.xlsx")])
    assert r.exit_code == 0, r.stderr
    assert openpyxl.load_workbook(tmp_path / "resp.xlsx").properties.created == \
        dt.datetime(2026, 11, 28)
    reg = tmp_path / "new.xlsx"
    assert runner.invoke(cli, ["init", str(reg)]).exit_code == 0
    assert openpyxl.load_workbook(reg).properties.created.date() == dt.date.today()
