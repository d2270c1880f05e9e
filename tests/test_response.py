"""`gain-pack response`: the PCC's s55 response, checked cell by cell against the reference."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from conftest import base_data, run_tool, sha256, write_register
from gain_workbook.cli import cli
from gain_workbook.rollup import roll_up
from gain_workbook.validate import check

AS_OF = "2026-11-28"


@pytest.fixture(scope="module")
def response_sheet(tmp_path_factory, example_register):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("resp") / "PCC response.xlsx"
    result = CliRunner().invoke(cli, ["response", str(example_register), "--inspection",
                                      "INS-2023-07", "-o", str(out), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output + result.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["INS-2023-07"]
    ws = wb["INS-2023-07"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    return out, ws, [r for r in rows if any(v is not None for v in r)]


def find(rows, text):
    """Index of the first row whose first cell starts with text."""
    return next(i for i, r in enumerate(rows) if str(r[0] or "").startswith(text))


def test_heading_and_inspection_details(response_sheet):
    _, _, rows = response_sheet
    assert rows[0][0] == "RESPONSE BY THE PCC TO HMICFRS INSPECTIONS OF CLEVELAND POLICE"
    assert rows[1][0] == "Inspection details"
    title = rows[find(rows, "Title of inspection")]
    assert title[1].startswith("An inspection of the effectiveness of the police and law "
                               "enforcement bodies' response to group-based child sexual")
    assert rows[find(rows, "Date inspection published")][1] == "8 December 2023"
    i = find(rows, "Type of inspection")
    boxes = rows[i][1:3] + rows[i + 1][1:3] + rows[i + 2][1:3]
    assert boxes == ["☐ Cleveland Police specific", "☒ National", "☐ Follow up", "☒ Thematic",
                     "☐ Partner inspection", None]
    assert rows[find(rows, "Is Cleveland Police quoted in the report?")][1] == "☐ Yes    ☒ No"


def test_executive_summary(response_sheet):
    _, _, rows = response_sheet
    i = find(rows, "Executive summary of report")
    assert rows[i + 1][0].startswith("The purpose of the inspection was to establish how well")
    assert any(str(r[0]).startswith("- Forces weren't always doing enough") for r in rows[i:])


def test_every_item_in_order_with_addressee_and_deadline(response_sheet):
    _, _, rows = response_sheet
    i = find(rows, "Recommendations")
    assert rows[i + 1][0] == "HMICFRS made nine recommendations and one area for improvement."
    end = find(rows, "Force response to recommendations")
    headings = [r[0] for r in rows[i:end] if str(r[0]).startswith(("Recommendation ", "Area for"))]
    assert headings == [f"Recommendation {n}" for n in range(1, 10)] + ["Area for improvement 1"]
    r9 = find(rows, "Recommendation 9")
    assert rows[r9 + 1][0].startswith("With immediate effect, all chief constables should")
    assert rows[r9 + 2][0] == ("Addressed to: All chief constables; Deadline: With immediate "
                               "effect; For this force")
    r5 = find(rows, "Recommendation 5")
    assert rows[r5 + 2][0] == ("Addressed to: Home Office; Deadline: By 31 March 2025; "
                               "Not for this force")


def test_force_response_process_text_and_the_items_for_forces(response_sheet):
    _, _, rows = response_sheet
    i = find(rows, "Force response to recommendations")
    assert rows[i + 1][0].startswith("All new reports into the Force follow a specific process "
                                     "which involves informing the GAIN Board, chaired by the "
                                     "Deputy Chief Constable")
    assert "Executive Lead (ACC Crime and Vulnerability)" in rows[i + 1][0]
    assert "was held on 12 March 2024" in rows[i + 2][0]
    j = find(rows, "The report included")
    assert rows[j][0] == "The report included 3 recommendations and 1 area for improvement for forces:"
    bullets = [r[0] for r in rows[j + 1:j + 5]]
    starts = ("•  By 31 December 2024, all chief constables should make sure",
              "•  By 31 December 2024, all chief constables and the relevant",
              "•  With immediate effect, all chief constables should",
              "•  All chief constables should work with their statutory")
    assert all(b.startswith(w) for b, w in zip(bullets, starts)), bullets
    assert "problem profiles" in bullets[0] and "record management systems" in bullets[1]


def test_actions_for_each_item_with_the_same_status_as_the_pack(response_sheet, example_register):
    _, _, rows = response_sheet
    i = find(rows, "Rec 4: action taken or proposed")
    assert rows[i + 1][0] == ("•  Add a group-based CSE flag to the records management system. "
                              "(owner: Head of Information Systems; due 30/06/2025; in progress)")
    reg, _ = check(example_register)
    items = roll_up(reg, dt.date(2026, 11, 28)).items.set_index("item_id")
    for label, item_id in (("Rec 2", "INS-2023-07-R2"), ("Rec 4", "INS-2023-07-R4"),
                           ("Rec 9", "INS-2023-07-R9"), ("AFI 1", "INS-2023-07-AFI1")):
        k = find(rows, f"{label}: action taken or proposed")
        status = next(r[0] for r in rows[k:] if str(r[0]).startswith("Status: "))
        assert status.startswith(f"Status: {items.at[item_id, 'status']} "
                                 f"({items.at[item_id, 'rag']})"), status


def test_pcc_response_statutory_position_and_office_use(response_sheet):
    _, _, rows = response_sheet
    i = find(rows, "PCC response to inspection")
    assert rows[i + 2][0] == ("The PCC welcomes the report and agrees with the recommendations "
                              "that have been made.")
    assert rows[i + 3][0].startswith("Progress on the recommendations will be monitored")
    assert rows[find(rows, "Last day to publish (56 days)")][1] == "1 February 2024"
    assert rows[find(rows, "Days left or late")][1] == "published 31/01/2024"
    assert rows[find(rows, "Chief constable's comments received")][1] == "15 January 2024"
    assert rows[find(rows, "☒ Response forwarded to Home Office and HMICFRS")][1] == "30 January 2024"
    assert rows[find(rows, "☒ Response published on PCC website")][1] == "31 January 2024"
    assert rows[-1][0] == "OFFICIAL-SENSITIVE"


def test_print_setup(response_sheet):
    _, ws, _ = response_sheet
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert "OFFICIAL-SENSITIVE" in ws.oddHeader.left.text
    # a digit straight after a font-size code would be read as part of it (&1028 ...)
    assert ws.oddHeader.right.text == "As at 28/11/2026"
    assert "OFFICIAL-SENSITIVE" in ws.oddFooter.left.text and "Page &P of &N" in ws.oddFooter.center.text


def test_rendered_response_shows_all_text(response_sheet, tmp_path):
    out, _, _ = response_sheet
    proc = run_tool("xlsx-render", out, tmp_path)
    assert proc.returncode == 0, proc.stderr
    import subprocess

    text = subprocess.run(["pdftotext", str(tmp_path / (out.stem + ".pdf")), "-"],
                          capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    for phrase in ("group-based child sexual exploitation disruption and prevention initiatives",
                   "Operation Makesafe", "Scrutiny, Standards and Accountability Programme",
                   "Response published on PCC website"):
        assert phrase in flat, phrase
    assert "###" not in text


def _unanswered(tmp_path):
    data = base_data()
    ins = data["inspections"][0]
    ins.update({"Plenary session": dt.date(2024, 2, 1), "PCC comment": "Welcome."})
    del data["actions"][2]          # AFI 1 applies and now has no action and no reason
    return write_register(tmp_path / "r.xlsx", data)


def test_gap_is_marked_and_warned(tmp_path, runner):
    reg = _unanswered(tmp_path)
    _, report = check(reg)
    assert [(p.code, p.where) for p in report.problems] == [("NO_ACTIONS", "Items!M4")]
    out = tmp_path / "resp.xlsx"
    result = runner.invoke(cli, ["response", str(reg), "--inspection", "INS-1", "-o", str(out),
                                 "--as-of", "2024-02-20"])
    assert result.exit_code == 0, result.stderr
    ws = openpyxl.load_workbook(out).active
    gap = [c for row in ws.iter_rows() for c in row if str(c.value).startswith("GAP:")]
    assert len(gap) == 1 and gap[0].fill.fgColor.rgb.endswith("FFC7CE")
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert [r[1] for r in rows if r[0] == "Days left or late"] == ["14 days left"]   # last day 5 Mar 2024 (leap year)
    assert [r[1] for r in rows if str(r[0]).startswith("☐ Response forwarded")] == ["not yet"]


def test_missing_placeholder_value_is_a_clear_error(tmp_path, runner):
    reg = _unanswered(tmp_path)
    import openpyxl as ox

    wb = ox.load_workbook(reg)
    wb["Inspections"]["I2"] = None          # no plenary date
    wb.save(reg)
    out = tmp_path / "resp.xlsx"
    result = runner.invoke(cli, ["response", str(reg), "--inspection", "INS-1", "-o", str(out)])
    assert result.exit_code == 2
    assert ("needs {plenary_date} (the inspection's Plenary session date), which is empty"
            in result.stderr)
    assert not out.exists()


def test_edited_template_and_unknown_placeholder(tmp_path, runner):
    reg = _unanswered(tmp_path)
    tpl = tmp_path / "process.txt"
    tpl.write_text("Our {board} met. {unknown_thing}", encoding="utf-8")
    result = runner.invoke(cli, ["response", str(reg), "--inspection", "INS-1", "--template",
                                 str(tpl), "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "{unknown_thing}, which gain-pack does not know" in result.stderr
    tpl.write_text("Our {board}, chaired by {chair}, met about {title}.", encoding="utf-8")
    out = tmp_path / "y.xlsx"
    result = runner.invoke(cli, ["response", str(reg), "--inspection", "INS-1", "--template",
                                 str(tpl), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    values = [c.value for r in openpyxl.load_workbook(out).active.iter_rows() for c in r]
    assert ("Our GAIN Board, chaired by the Deputy Chief Constable, met about An inspection of "
            "custody.") in values


def test_all_and_open(tmp_path, runner):
    data = base_data()
    data["inspections"][0].update({"Plenary session": dt.date(2024, 2, 1),
                                   "Response published": dt.date(2024, 3, 1)})
    data["inspections"].append({"Inspection ID": "INS/2", "Title": "PEEL 2025",
                                "Published": dt.date(2025, 3, 1), "Type": "PEEL", "Executive lead": "DCC",
                                "Plenary session": dt.date(2025, 4, 1)})
    reg = write_register(tmp_path / "r.xlsx", data)
    result = runner.invoke(cli, ["response", str(reg), "--all", "--as-of", "2025-03-10"])
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(tmp_path / "PCC responses.xlsx")
    assert wb.sheetnames == ["INS-2", "INS-1"]
    result = runner.invoke(cli, ["response", str(reg), "--open", "-o", str(tmp_path / "o.xlsx")])
    assert result.exit_code == 0
    assert openpyxl.load_workbook(tmp_path / "o.xlsx").sheetnames == ["INS-2"]
    result = runner.invoke(cli, ["response", str(reg), "--inspection", "INS-9"])
    assert result.exit_code == 2 and "There is no inspection 'INS-9'" in result.stderr
    result = runner.invoke(cli, ["response", str(reg)])
    assert result.exit_code == 2 and "--inspection ID, --all or --open" in result.stderr


def test_response_is_safe_repeatable_and_leaves_the_register_alone(tmp_path, runner):
    data = base_data()
    data["inspections"][0].update({"Plenary session": dt.date(2024, 2, 1),
                                   "PCC comment": '=HYPERLINK("http://x","y")',
                                   "Executive summary": "+1+1 and http://evil.example"})
    data["items"][0]["Text"] = "@SUM(A1)"
    reg = write_register(tmp_path / "r.xlsx", data)
    before = sha256(reg)
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for out in (a, b):
        result = runner.invoke(cli, ["response", str(reg), "--inspection", "INS-1", "-o", str(out),
                                     "--as-of", AS_OF])
        assert result.exit_code == 0, result.stderr
    assert sha256(a) == sha256(b) and sha256(reg) == before
    ws = openpyxl.load_workbook(a).active
    texts = [c for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    hits = [c for c in texts if c.value.startswith(("=HYPERLINK", "+1+1", "@SUM"))]
    assert len(hits) == 3 and all(c.data_type == "s" and c.hyperlink is None for c in hits)


def test_pdf_for_the_website(tmp_path, runner):
    reg = _unanswered(tmp_path)
    out = tmp_path / "resp.xlsx"
    result = runner.invoke(cli, ["response", str(reg), "--inspection", "INS-1", "-o", str(out),
                                 "--pdf"])
    assert result.exit_code == 0, result.stderr
    pdf = out.with_suffix(".pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_pdf_without_libreoffice_says_how_to_install(tmp_path, runner, monkeypatch):
    """PATH without LibreOffice: a real lookup that finds nothing, not a mock."""
    reg = _unanswered(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = runner.invoke(cli, ["response", str(reg), "--inspection", "INS-1", "--pdf",
                                 "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert "--pdf needs LibreOffice, which is not installed" in result.stderr
    assert "apt-get install libreoffice-calc-nogui" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()
