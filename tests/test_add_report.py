"""add-report: a published report's text read into items, and written onto the register.

The fixtures in tests/data/reports are real published text (see its README), each
named for its shape; expected/<name>.json is what a clerk reading that text would
write down, item by item, checked by hand against the text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, run_tool, sha256
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gain_workbook.cli import cli

REPORTS = ROOT / "tests" / "data" / "reports"
EXPECTED = REPORTS / "expected"
REFERENCE_TXT = REPORTS / "cse-2023 pcc response pasted.txt"
REFERENCE_HTML = REPORTS / "cse-2023 pcc response saved page.html"
FIELDS = ("kind", "number", "text", "addressee", "deadline_text", "deadline",
          "applies_to_force", "under")


def run(runner, *args):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def found_json(runner, register, source, *extra) -> dict:
    res = run(runner, "add-report", register, source, "--format", "json", *extra)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def compare(got: dict, expected: dict) -> None:
    """Field by field, so a failure names the item and the field. An expected item may
    give only some fields (a long report's: its number, the first 60 characters of its
    text as 'starts', its lettered 'sub_items'); the report's 'count', what is 'unplaced'
    and the count it 'stated' are compared where the expectation gives them."""
    assert got["inspection"]["title"] == expected["title"]
    assert got["inspection"]["published"] == expected["published"]
    if "count" in expected:
        assert len(got["items"]) == expected["count"] == len(expected["items"])
    assert len(got["items"]) == len(expected["items"]), \
        [(i["kind"], i["number"]) for i in got["items"]]
    for n, (g, e) in enumerate(zip(got["items"], expected["items"])):
        for field in FIELDS:
            if field in e:
                assert g[field] == e[field], f"item {n + 1} ({e['kind']} {e['number']}): {field}"
        lines = (g["text"] or "").split("\n")
        if "starts" in e:
            assert lines[0][:60] == e["starts"], f"item {n + 1} ({e['number']}): its text"
        if "sub_items" in e:
            assert lines[1:] == e["sub_items"], f"item {n + 1} ({e['number']}): its sub-items"
        if "to_check" in e:
            assert bool(g["check"]) == e["to_check"], f"item {n + 1}: check is {g['check']!r}"
    if "unplaced" in expected:
        assert got["unplaced"] == expected["unplaced"]
    if "stated" in expected:
        assert got["stated"] == expected["stated"]


@pytest.fixture
def blank_register(tmp_path):
    from gain_workbook.register.template import write_register_template

    return write_register_template(tmp_path / "Inspection register.xlsx",
                                   force_name="Cleveland Police")


@pytest.fixture(scope="module")
def reference_pdf(tmp_path_factory):
    """The saved page printed to PDF by LibreOffice, as an office would keep it."""
    from gain_workbook.core.libreoffice import to_pdf

    return to_pdf(REFERENCE_HTML, tmp_path_factory.mktemp("pdf") / "CSE report.pdf")


@pytest.fixture(scope="module")
def reference_docx(tmp_path_factory):
    """The pasted text as a Word document: headings, lists and paragraphs styled as Word
    styles them."""
    import docx

    from gain_workbook.newreport.source import read_source

    blocks, _ = read_source(REFERENCE_TXT)
    doc = docx.Document()
    for b in blocks:
        if b.heading:
            doc.add_heading(b.text, level=2)
        elif b.bullet:
            doc.add_paragraph(b.text, style="List Bullet")
        else:
            doc.add_paragraph(b.text)
    path = tmp_path_factory.mktemp("docx") / "CSE report.docx"
    doc.save(path)
    return path


# ---------------------------------------------------------------- the reference response

@pytest.mark.slow
@pytest.mark.parametrize("kind", ["txt", "html", "pdf", "docx"])
def test_the_reference_inspection_from_each_kind_of_source(kind, runner, example_register,
                                                           reference_pdf, reference_docx):
    source = {"txt": REFERENCE_TXT, "html": REFERENCE_HTML, "pdf": reference_pdf,
              "docx": reference_docx}[kind]
    got = found_json(runner, example_register, source)
    compare(got, json.loads((EXPECTED / "cse-2023 pcc response pasted.json").read_text()))
    items = got["items"]
    kinds = [i["kind"] for i in items]
    assert kinds.count("Recommendation") == 9 and kinds.count("Area for improvement") == 1
    rec9 = items[8]
    assert (rec9["number"], rec9["deadline_text"], rec9["deadline"]) == \
        ("9", "With immediate effect", "2023-12-08")
    assert [(i["kind"], i["number"]) for i in items if i["applies_to_force"]] == [
        ("Recommendation", "2"), ("Recommendation", "4"), ("Recommendation", "9"),
        ("Area for improvement", "")]       # the report's only one: unnumbered, as it prints it
    # the AFI runs over two paragraphs; the response lists the force's four items again
    assert items[9]["text"].count("\n") == 1 and items[9]["text"].endswith("type of approach.")
    assert got["repeats"] == 5
    # the ticked boxes: in a PDF they are drawn, not text, so the type is worked out instead
    assert got["inspection"]["type"] == ("National" if kind == "pdf" else "National, Thematic")
    assert got["stated"] == {"Recommendation": 9, "Area for improvement": 1}
    assert got["unplaced"] == []


def test_the_clerks_table_says_what_was_found_and_writes_nothing(runner, example_register):
    before = sha256(example_register)
    res = run(runner, "add-report", example_register, REFERENCE_TXT)
    assert res.exit_code == 0
    out = res.stdout
    assert "Published:  08/12/2023  [from its 'Published' line]; the PCC's response must be " \
        "published by 01/02/2024 (s55, day 56)" in out
    assert "Items:      9 recommendations and 1 area for improvement (the report says 9 " \
        "recommendations and 1 area for improvement); 4 for the force" in out
    assert "INS-2023-08-R9  Recommendation 9\n    For the force: Yes    Deadline: With " \
        "immediate effect = 08/12/2023\n" in out
    assert "    TO CHECK: it is for some forces only (see its Addressee); say Yes if the force " \
        "is one of them\n" in out
    assert "Dry run: nothing was written." in out
    # the example register already holds this report
    assert "already on the register as INS-2023-07" in res.stderr
    assert sha256(example_register) == before
    assert sorted(p.name for p in example_register.parent.iterdir()) == \
        [example_register.name]


# ---------------------------------------------------------------- other real reports

CASES = sorted(p.stem for p in EXPECTED.glob("*.json")
               if not p.stem.startswith("cse-2023"))


@pytest.mark.parametrize("name", CASES)
def test_real_reports_field_by_field(name, runner, example_register, tmp_path):
    expected = json.loads((EXPECTED / f"{name}.json").read_text())
    extra = ("--published", expected["published_option"]) if expected["published_option"] \
        else ()
    if expected.get("title_option"):        # a page that does not name its report
        extra += ("--title", expected["title_option"])
    register = example_register
    if expected.get("force"):               # read by the force it names, as its office would
        from gain_workbook.register.template import write_register_template

        register = write_register_template(tmp_path / "Inspection register.xlsx",
                                           force_name=expected["force"])
    got = found_json(runner, register, REPORTS / expected["source"], *extra)
    compare(got, expected)


def test_a_cause_of_concern_keeps_its_recommendations_and_is_kept_once(runner,
                                                                       blank_register):
    res = run(runner, "add-report", blank_register,
              REPORTS / "peel-2018-19 west mercia causes of concern table.txt",
              "--published", "27/09/2019", "--apply")
    assert res.exit_code == 0, res.output
    ws = openpyxl.load_workbook(blank_register)["Items"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, (c.value for c in r))) for r in ws.iter_rows(min_row=2)
            if r[0].value]
    assert [(r["Item ID"], r["Under"]) for r in rows] == [
        ("INS-2019-01-CoC1", None), ("INS-2019-01-CoC1-R1", "INS-2019-01-CoC1"),
        ("INS-2019-01-CoC2", None), ("INS-2019-01-CoC2-R1", "INS-2019-01-CoC2"),
        ("INS-2019-01-CoC2-R2", "INS-2019-01-CoC2")]
    # the tracker gave the second cause of concern on two rows
    assert "(1 item the text gives again, kept once)" in res.stdout


SHROPSHIRE = REPORTS / "frs-2023-25 shropshire service tracker page.txt"


def test_a_cause_of_concern_given_only_by_its_recommendations(runner, tmp_path):
    """A service's tracker page heads its list 'Cause for Concern' and gives only the
    recommendations under it: the cause's own words are left for the clerk, not taken
    from its first recommendation, and its tracker lines ('Action Taken') are no item's."""
    from gain_workbook.register.template import write_register_template

    register = write_register_template(tmp_path / "Fire register.xlsx",
                                       force_name="Shropshire Fire and Rescue Service")
    res = run(runner, "add-report", register, SHROPSHIRE)
    assert res.exit_code == 0, res.output
    # the page says the report has 30 areas for improvement; its stored copy gives none
    assert "BUT THE REPORT SAYS 30 AREAS FOR IMPROVEMENT" in res.stdout
    assert "Text: (not in the text)" in res.stdout
    assert "Action Taken" not in res.stdout and "In Progress" not in res.stdout
    # the page names no report: its grades ('Outstanding') are not taken for a title, so
    # --apply asks for one
    assert "Report:     (no title found: give it with --title)" in res.stdout
    res = run(runner, "add-report", register, SHROPSHIRE, "--published", "29/11/2024",
              "--apply")
    assert res.exit_code == 2 and "--title" in res.stderr
    res = run(runner, "add-report", register, SHROPSHIRE, "--title",
              "Shropshire Fire and Rescue Service 2023–2025", "--published", "29/11/2024",
              "--apply")
    assert res.exit_code == 0, res.output
    ws = openpyxl.load_workbook(register)["Items"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, (c.value for c in r))) for r in ws.iter_rows(min_row=2)
            if r[0].value]
    assert [(r["Item ID"], r["Under"], r["Applies to force"]) for r in rows] == [
        ("INS-2024-01-CoC1", None, "Yes")] + [
        (f"INS-2024-01-CoC1-R{n}", "INS-2024-01-CoC1", "Yes") for n in range(1, 5)]
    assert rows[0]["Text"] is None and "own words" in rows[0]["To check"]
    assert rows[1]["Text"].startswith("The Service Should make sure there are appropriate")
    # validate sends the clerk to the empty cell
    res = run(runner, "validate", register)
    assert res.exit_code == 1
    assert re.search(r"E2 +error +REQUIRED_MISSING +INS-2024-01 CoC: Text is empty",
                     res.output), res.output


def test_a_letters_date_line_is_not_its_title(runner, example_register):
    got = found_json(runner, example_register,
                     REPORTS / "stalking-2024 apcc summary response page.txt")
    # the page's own first line, not 'Published 8 January 2025' (it has a year)
    assert got["inspection"]["title"] == "APCC summary response super-complaint stalking"
    assert got["inspection"]["published"] == "2025-01-08"      # the letter's: --published


REVISIT = """Cleveland Police: revisit of the cause of concern about investigating crime

Published on: 14 November 2026

Dear Chief Constable

Revisit of Cleveland Police's progress against the cause of concern

In our 2024 PEEL inspection of Cleveland Police, we identified a cause of concern about how \
the force investigates crime. We revisited the force in October 2026 to assess its progress.

Cause of concern
The force isn't investigating crime effectively enough. Victims don't always receive a good \
service.

Recommendations
By 31 March 2027, the force should make sure that:
- investigations are allocated to officers with the right skills;
- supervisors review investigations regularly and record their review; and
- victims are updated in line with the Code of Practice for Victims of Crime.

We will continue to monitor the force's progress.

Yours sincerely
"""


def test_a_revisit_letters_first_line_is_its_title_and_it_is_the_forces(runner,
                                                                           example_register,
                                                                           tmp_path):
    """A one-force revisit letter (the shape HMICFRS sends after a PEEL cause of concern):
    its title is its first line, not the first sentence of its prose, which names the
    PEEL inspection and a year (and so made it 'PEEL'); its items are the force's, so
    it is Force-specific, not National."""
    source = tmp_path / "revisit letter.txt"
    source.write_text(REVISIT, encoding="utf-8")
    got = found_json(runner, example_register, source)
    ins = got["inspection"]
    assert ins["title"] == ("Cleveland Police: revisit of the cause of concern about "
                            "investigating crime")
    assert (ins["published"], ins["type"]) == ("2026-11-14", "Force-specific")
    kinds = [(i["kind"], i["applies_to_force"], i["deadline"], i["under_id"])
             for i in got["items"]]
    assert kinds == [("Cause of concern", True, None, None)] + \
        [("Recommendation", True, "2027-03-31", got["items"][0]["id"])] * 3


def test_a_letters_the_cause_of_concern_heading_is_read(runner, example_register, tmp_path):
    """Another letter of the revisit family: its heading is 'The cause of concern', with
    'The' (found trying the family: the cause of concern was dropped)."""
    text = REVISIT.replace("\nCause of concern\n", "\nThe cause of concern\n") \
        .replace("\nRecommendations\n", "\nOur recommendations\n")
    assert "The cause of concern" in text and "Our recommendations" in text
    source = tmp_path / "letter.txt"
    source.write_text(text, encoding="utf-8")
    got = found_json(runner, example_register, source)
    assert [i["kind"] for i in got["items"]] == ["Cause of concern"] + ["Recommendation"] * 3


def test_a_report_added_under_a_wrong_title_is_not_added_again(runner, blank_register):
    """Found running the month: the APCC letter applied without --title went on as the
    page's own title and the letter's date; applied again with the right ones, it went on
    a second time. Its items are already there, so it is refused, and the clerk told
    where to correct it."""
    letter = REPORTS / "stalking-2024 apcc summary response page.txt"
    res = run(runner, "add-report", blank_register, letter, "--apply")
    assert res.exit_code == 0, res.output
    before = sha256(blank_register)
    res = run(runner, "add-report", blank_register, letter, "--title",
              "Report on the Suzy Lamplugh Trust’s super-complaint: The police response to "
              "stalking", "--published", "27/09/2024", "--apply")
    assert res.exit_code == 2
    assert ("is already on the register as INS-2025-01 (its items are already there, under "
            "'APCC summary response super-complaint stalking'; if that title or date is "
            "wrong, correct it on the register); nothing was written.") in res.stderr
    assert sha256(blank_register) == before
    got = found_json(runner, blank_register, letter)
    assert got["inspection"]["already_on_register"] == "INS-2025-01"


def test_a_fire_and_rescue_services_items_are_the_services(runner, tmp_path):
    from gain_workbook.register.template import write_register_template

    register = write_register_template(tmp_path / "Fire register.xlsx",
                                       force_name="Shropshire Fire and Rescue Service")
    source = tmp_path / "report.txt"
    source.write_text("Title: Example Fire and Rescue Service 2023-25\nPublished: 1 May 2024\n\n"
                      "Cause of concern\nThe service should make sure it has enough staff.\n"
                      "Recommendations\nBy 1 November 2024, the service should review its "
                      "rotas.\nBy 1 November 2024, the service should train its managers.\n\n"
                      "Area for improvement 1\nDevon and Somerset Fire and Rescue Service "
                      "should share its data.\n\nRecommendation 1\nBy 31 March 2025, fire "
                      "and rescue services should review their prevention work.\n\n"
                      "Recommendation 2\nThe Home Office should publish guidance.\n",
                      encoding="utf-8")
    got = found_json(runner, register, source)
    assert [(i["kind"], i["number"], i["under"], i["applies_to_force"], bool(i["check"]))
            for i in got["items"]] == [
        ("Cause of concern", "", None, True, False),         # the only one: unnumbered
        # found by their grammar, numbered in order, so marked for the clerk
        ("Recommendation", "1", "Cause of concern", True, True),
        ("Recommendation", "2", "Cause of concern", True, True),
        ("Area for improvement", "1", None, False, True),      # another service, by name
        ("Recommendation", "1", None, True, False),
        ("Recommendation", "2", None, False, False)]
    # a cause of concern with words of its own keeps them, however like its recommendations
    assert got["items"][0]["text"] == "The service should make sure it has enough staff."
    assert "Devon and Somerset Fire and Rescue Service" in got["items"][3]["check"]


# ---------------------------------------------------------------- --apply

@pytest.mark.slow
def test_apply_writes_the_inspection_and_items_with_a_backup(runner, blank_register, tmp_path):
    before = blank_register.read_bytes()
    now_files = set(tmp_path.iterdir())
    res = run(runner, "add-report", blank_register, REFERENCE_TXT, "--apply")
    assert res.exit_code == 0, res.output
    backups = set(tmp_path.iterdir()) - now_files
    assert len(backups) == 1
    backup = backups.pop()
    assert backup.name.startswith("Inspection register (before add-report ")
    assert backup.read_bytes() == before
    assert "Wrote INS-2023-01 and 10 items to" in res.stderr
    assert "the PCC's response is due by 01/02/2024" in res.stderr

    wb = openpyxl.load_workbook(blank_register)
    ins = wb["Inspections"]
    head = [c.value for c in ins[1]]
    row = dict(zip(head, (c.value for c in ins[2])))
    assert row["Inspection ID"] == "INS-2023-01"
    assert row["Title"].startswith("An inspection of the effectiveness of the police")
    assert row["Published"] == dt.datetime(2023, 12, 8)
    assert row["Type"] == "National, Thematic"
    items = wb["Items"]
    head = [c.value for c in items[1]]
    rows = [dict(zip(head, (c.value for c in r))) for r in items.iter_rows(min_row=2)
            if r[0].value]
    assert [r["Item ID"] for r in rows] == [f"INS-2023-01-R{n}" for n in range(1, 10)] + \
        ["INS-2023-01-AFI1"]
    assert {r["Applies to force"] for r in rows if r["Item ID"][-2:] in ("R2", "R4", "R9")} \
        == {"Yes"}
    assert rows[8]["Deadline (as written)"] == "With immediate effect"
    assert rows[0]["Addressee"].startswith("The Home Office, the Department for Education")
    assert [r["Item ID"] for r in rows if r["To check"]] == ["INS-2023-01-R8"]
    assert all(r["HMICFRS status"] == "Open" for r in rows)
    assert not any(c.data_type == "f" for r in items.iter_rows() for c in r)

    # validate: the item marked for the clerk is a warning on its cell
    res = run(runner, "validate", blank_register)
    assert res.exit_code == 0, res.output
    line = next(ln for ln in res.stdout.splitlines() if "TO_CHECK" in ln)
    check_col = openpyxl.utils.get_column_letter(head.index("To check") + 1)
    assert line.split()[0] == f"{check_col}9"
    assert "for some forces only" in line
    # the rewritten register opens and recalculates in LibreOffice
    assert run_tool("xlsx-recalc-check", blank_register).returncode == 0

    # the same report again is refused, and nothing changes
    after = blank_register.read_bytes()
    res = run(runner, "add-report", blank_register, REFERENCE_HTML, "--apply")
    assert res.exit_code == 2
    assert "is already on the register as INS-2023-01; nothing was written." in res.stderr
    assert blank_register.read_bytes() == after


@pytest.mark.slow
def test_a_new_user_adds_a_report_to_the_example_and_runs_the_month(runner, tmp_path):
    """init --example, add a report, validate, build (the new inspection and its s55 day
    are in the pack), then the response for it."""
    reg = tmp_path / "Our register.xlsx"
    assert run(runner, "init", reg, "--example").exit_code == 0
    source = REPORTS / "peel-2021-22 warwickshire pcc response page.txt"
    res = run(runner, "add-report", reg, source, "--apply")
    assert res.exit_code == 0, res.output
    assert "Wrote INS-2022-01 and 2 items" in res.stderr
    assert "the PCC's response is due by 08/12/2022" in res.stderr
    res = run(runner, "validate", reg)
    assert res.exit_code == 0, res.output
    assert "INS-2022-01 AFI 1" in res.stdout       # no actions yet: a warning, not an error
    pack = tmp_path / "pack.xlsx"
    res = run(runner, "build", reg, "--as-of", "2022-11-01", "-o", pack)
    assert res.exit_code == 0, res.output
    ws = openpyxl.load_workbook(pack)["Responses"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = next(r for r in rows if r[0] == "Inspection ID")
    row = dict(zip(head, next(r for r in rows if r[0] == "INS-2022-01")))
    assert row["Title"].startswith("Warwickshire Police PEEL 2021/22")
    assert row["Day 56 (last day)"] == dt.datetime(2022, 12, 8)
    res = run(runner, "response", reg, "--inspection", "INS-2022-01", "-o",
              tmp_path / "response.xlsx")
    assert res.exit_code == 0, res.output
    text = " ".join(str(c.value) for ws in openpyxl.load_workbook(tmp_path / "response.xlsx")
                    for r in ws.iter_rows() for c in r if c.value)
    assert "The force needs to improve how it identifies victims" in text


def test_ids_follow_the_registers_own_style():
    from gain_workbook.newreport.add import next_inspection_id

    assert next_inspection_id(["INS-2023-07"], 2026) == "INS-2026-01"
    assert next_inspection_id(["INS-2026-01", "INS-2026-02", "INS-2025-09"], 2026) == \
        "INS-2026-03"
    assert next_inspection_id(["HMI012", "HMI013"], 2026) == "HMI014"
    assert next_inspection_id(["2023/01", "2023/02"], 2023) == "2023/03"
    assert next_inspection_id([], 2026) == "INS-2026-01"
    # ids that are names (an adopted tracker's: the report's title, or 'PEEL 2025') have no
    # numbering to follow
    assert next_inspection_id(["PEEL 2025", "An inspection of the custody estate"], 2022) \
        == "INS-2022-01"                 # (no title given: the template's style)
    # ... so a report gets a name made as adopt makes them, from its title and year
    assert next_inspection_id(["PEEL 2025", "VMM-2022"], 2022,
                              "An inspection of vetting, misconduct and misogyny in the "
                              "police service") == "VMM-2022-2"
    assert next_inspection_id(["CE-2026"], 2026, "Custody services in a cost-of-living "
                              "crisis", dt.date(2026, 5, 1)) == "CCLC-2026"
    # a span of years is a report's name ('PEEL 2023-25' is no 25th report of 2023) ...
    assert next_inspection_id(["PEEL 2023-25", "CNU-2025"], 2023, "State of Policing 2022",
                              dt.date(2023, 7, 13)) == "STATE-2023"
    assert next_inspection_id(["PEEL 2021/22"], 2023, "Vetting") == "VETTING-2023"
    # ... but two of one start and year are numbering
    assert next_inspection_id(["HMI-2025-26", "HMI-2025-27"], 2025) == "HMI-2025-28"
    # a name is new as ids are matched: 'VMM 2022' is 'VMM-2022'
    assert next_inspection_id(["VMM 2022"], 2022, "An inspection of vetting, misconduct "
                              "and misogyny in the police service") == "VMM-2022-2"


def test_item_ids_follow_an_adopted_trackers_style(runner, tmp_path):
    """A PCC panel's flat tracker, adopted: item ids are '<inspection> AFI 1'."""
    import shapes

    tracker = tmp_path / "Panel tracker.xlsx"
    shapes.pcc_panel_flat_tracker(tracker)
    reg = tmp_path / "Inspection register.xlsx"
    assert run(runner, "adopt", tracker, "-o", reg).exit_code == 0
    got = found_json(runner, reg, REPORTS / "peel-2021-22 warwickshire pcc response page.txt")
    # its reports known by short names adopt made ('CE-2026'): the new one's made alike
    iid = got["inspection"]["id"]
    from gain_workbook.register.derive import short_inspection_id

    assert iid == short_inspection_id(got["inspection"]["title"], dt.date(2022, 1, 1))
    assert not iid.startswith("INS-") and len(iid) <= 20
    assert [i["id"] for i in got["items"]] == [f"{iid} AFI 1", f"{iid} AFI 2"]


def test_text_that_looks_like_a_formula_is_written_as_text(runner, blank_register, tmp_path):
    source = tmp_path / "report.txt"
    source.write_text("Title: A test of what a cell holds\nPublished: 1 June 2026\n\n"
                      "Recommendation 1\n=HYPERLINK(\"http://x.example\",\"y\") all chief "
                      "constables should make sure that this stays text.\n", encoding="utf-8")
    res = run(runner, "add-report", blank_register, source, "--apply")
    assert res.exit_code == 0, res.output
    ws = openpyxl.load_workbook(blank_register)["Items"]
    text_col = [c.value for c in ws[1]].index("Text")
    cell = ws.cell(row=2, column=text_col + 1)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_a_paragraph_it_cannot_place_is_listed_and_the_item_before_it_marked(runner,
                                                                            example_register,
                                                                            tmp_path):
    source = tmp_path / "report.txt"
    source.write_text("Title: An inspection of something\nPublished: 3 March 2026\n\n"
                      "Contents\nRecommendations 4\nRecommendation 1 ........ 4\n\n"
                      "Recommendation 1\nBy 30 September 2026, all chief constables should "
                      "review their vetting backlogs.\n\nWhat we found\n"
                      "We looked at 40 files in each force.\n"
                      "The force should also make sure its vetting unit has enough staff.\n",
                      encoding="utf-8")
    got = found_json(runner, example_register, source)
    assert got["unplaced"] == ["The force should also make sure its vetting unit has "
                               "enough staff."]
    assert len(got["items"]) == 1
    assert "reads like an item but has no kind or number" in got["items"][0]["check"]
    res = run(runner, "add-report", example_register, source)
    assert "Not placed (1)" in res.stdout


def test_a_lead_in_makes_one_recommendation_of_each_entry_of_its_list(runner,
                                                                    example_register, tmp_path):
    """As PEEL 2021/22 reports set out a cause of concern's recommendations."""
    source = tmp_path / "report.txt"
    source.write_text("Title: PEEL 2021/22 - An inspection of Example Police\n"
                      "Published: 1 March 2022\n\nCause of concern\n"
                      "The force isn't responding to calls for service quickly enough.\n"
                      "Recommendations\nWithin three months, the force should:\n"
                      "• make sure it answers emergency calls on time;\n"
                      "• review how it grades calls.\n\nArea for improvement 1\n"
                      "The force should improve how it records crime.\n"
                      "We found that 1 in 10 crimes were not recorded.\n", encoding="utf-8")
    got = found_json(runner, example_register, source)
    assert got["inspection"]["title"] == "PEEL 2021/22 - An inspection of Example Police"
    assert got["inspection"]["published"] == "2022-03-01"
    assert got["inspection"]["type"] == "PEEL"
    assert [(i["kind"], i["number"], i["under"], i["deadline"]) for i in got["items"]] == [
        ("Cause of concern", "", None, None),       # the report's only one: unnumbered
        ("Recommendation", "1", "Cause of concern", "2022-06-01"),
        ("Recommendation", "2", "Cause of concern", "2022-06-01"),
        ("Area for improvement", "1", None, None)]
    assert got["items"][2]["text"] == "Within three months, the force should: review how it " \
        "grades calls."
    assert got["items"][3]["text"] == "The force should improve how it records crime."
    assert [i["id"] for i in got["items"]] == ["INS-2022-01-CoC1", "INS-2022-01-CoC1-R1",
                                               "INS-2022-01-CoC1-R2", "INS-2022-01-AFI1"]


def test_lead_ins_one_after_another_each_make_their_list_word_bullets_too(
        runner, example_register, tmp_path):
    """As HMIC's 2016 PEEL reports set them out: a narrative cause of concern under
    'Causes of concern', then 'HMIC recommends that the force should immediately:' with
    its list, and 'HMIC recommends that within six months the force should:' with its
    own; the bullets as a PDF made in Word gives them (U+F0B7, Symbol's bullet)."""
    source = tmp_path / "report.txt"
    source.write_text(
        "PEEL: Police effectiveness 2016 - An inspection of Example Police\n"
        "Published: 3 November 2016\n\nCauses of concern\n\n"
        "HMIC is concerned that the force does not understand the demand it will face.\n\n"
        "Recommendations\n\nHMIC recommends that the force should immediately:\n"
        "\uf0b7 review officers' workloads; and\n"
        "\uf0b7\treview its approach to vulnerability.\n\n"
        "HMIC recommends that within six months the force should:\n"
        "\uf0b7 supervise investigations; and\n"
        "\uf0a7 improve how it allocates crimes.\n", encoding="utf-8")
    got = found_json(runner, example_register, source)
    assert [(i["kind"], i["deadline"]) for i in got["items"]] == [
        ("Cause of concern", None),
        *[("Recommendation", "2016-11-03")] * 2, *[("Recommendation", "2017-05-03")] * 2]
    assert got["items"][0]["text"].startswith("HMIC is concerned that the force")
    assert [i["text"].rsplit(": ", 1)[1] for i in got["items"][1:]] == [
        "review officers' workloads; and", "review its approach to vulnerability.",
        "supervise investigations; and", "improve how it allocates crimes."]
    assert got["unplaced"] == []


JOINT_GROUPS = (("The Ministry of Justice and the Home Office should:",
                 ["Within 12 months, develop a shared definition of mental health needs.",
                  "By 31 December 2022, agree a protocol for sharing information."]),
                ("Police forces should:",
                 ["Make sure that officers are trained in responding to mental health needs.",
                  "Within six months, review their use of section 136 of the Mental Health "
                  "Act 1983."]),
                ("HM Prison and Probation Service should:",
                 ["Improve the quality of pre-sentence reports."]))


@pytest.mark.parametrize("source_kind", ["numbered text", "word headings and lists"])
def test_a_joint_reports_recommendations_grouped_by_whom_they_are_for(
        runner, example_register, tmp_path, source_kind):
    """A joint inspection groups its numbered recommendations under lead-ins naming whom
    they are for ('Police forces should:'): each takes its own group's words, so its
    addressee, and only the forces' are for the force; as plain text ('3. ...' under a
    lead-in paragraph) and as Word writes it (the lead-ins headings, the entries Word's
    own numbered list)."""
    title = "A joint thematic inspection of the criminal justice journey"
    if source_kind == "numbered text":
        lines, n = [title, "Published: 15 November 2021", "", "Recommendations", ""], 0
        for lead, entries in JOINT_GROUPS:
            lines.append(lead)
            for entry in entries:
                n += 1
                lines.append(f"{n}. {entry}")
            lines.append("")
        source = tmp_path / "report.txt"
        source.write_text("\n".join(lines), encoding="utf-8")
    else:
        import docx

        d = docx.Document()
        d.add_paragraph(title, style="Title")
        d.add_paragraph("Published: 15 November 2021")
        d.add_heading("Recommendations", level=1)
        for lead, entries in JOINT_GROUPS:
            d.add_heading(lead, level=2)
            for entry in entries:
                d.add_paragraph(entry, style="List Number")
        source = tmp_path / "report.docx"
        d.save(source)
    got = found_json(runner, example_register, source)
    whom = [lead.removesuffix(" should:") for lead, entries in JOINT_GROUPS for _ in entries]
    assert [i["addressee"] for i in got["items"]] == whom
    assert [i["applies_to_force"] for i in got["items"]] == [False, False, True, True, False]
    assert [i["deadline"] for i in got["items"]] == ["2022-11-15", "2022-12-31", None,
                                                     "2022-05-15", None]


def test_lines_wrapped_short_as_a_pdf_pastes_them_are_joined(runner, example_register,
                                                              tmp_path):
    """Text copied from a PDF breaks lines where the page did: after a deadline's comma
    ('By 30 September 2024, Cleveland' / 'Police should ...') or a word no paragraph ends
    with ('... the College of' / 'Policing should ...'), however short the line. Each is
    one item, whole, with its addressee; and the short line is not the report's title."""
    source = tmp_path / "report.txt"
    source.write_text(
        "Cleveland Police: an inspection of custody arrangements\nPublished: 5 June 2024\n\n"
        "Recommendations\n\nRecommendation 1\nBy 30 September 2024, Cleveland\n"
        "Police should make sure that detainees' risk assessments are reviewed at\n"
        "every change of shift.\n\nRecommendation 2\n"
        "Within six months, the National Police Chiefs' Council and the College of\n"
        "Policing should update custody training so that it covers neurodiversity.\n",
        encoding="utf-8")
    got = found_json(runner, example_register, source)
    assert got["inspection"]["title"] == "Cleveland Police: an inspection of custody arrangements"
    assert [i["addressee"] for i in got["items"]] == [
        "Cleveland Police", "The National Police Chiefs' Council and the College of Policing"]
    assert got["items"][0]["text"].endswith("reviewed at every change of shift.")
    assert got["items"][1]["text"].endswith("so that it covers neurodiversity.")
    assert [i["applies_to_force"] for i in got["items"]] == [True, False]


def test_a_fire_services_own_report_is_its_own_and_so_is_its_cause_of_concern(
        runner, example_register, tmp_path):
    """HMICFRS's report on one fire and rescue service: its title over 'An inspection of
    Shropshire Fire and Rescue Service' (one title), Force-specific by that line; the
    cause of concern in the service's words ('The service hasn't made enough progress
    ...', no 'should') is the service's, as its recommendations are."""
    source = tmp_path / "report.txt"
    source.write_text(
        "Fire and Rescue Service Effectiveness, efficiency and people 2021/22\n"
        "An inspection of Shropshire Fire and Rescue Service\nPublished on: 27 July 2022\n\n"
        "Cause of concern\n\nThe service hasn't made enough progress to improve its "
        "protection function since our last inspection.\n\nRecommendations\n\n"
        "By 31 January 2023, the service should:\n"
        "• develop a plan to make sure it has enough qualified protection staff; and\n"
        "• make sure its risk-based inspection programme is properly resourced.\n",
        encoding="utf-8")
    got = found_json(runner, example_register, source)
    assert got["inspection"]["title"] == ("Fire and Rescue Service Effectiveness, efficiency "
                                          "and people 2021/22: An inspection of Shropshire "
                                          "Fire and Rescue Service")
    assert got["inspection"]["type"] == "Force-specific"
    assert [(i["kind"], i["applies_to_force"]) for i in got["items"]] == [
        ("Cause of concern", True), ("Recommendation", True), ("Recommendation", True)]
    assert not any("does not say who it is for" in (i["check"] or "") for i in got["items"])


def test_a_long_national_report_is_numbered_and_counted(runner, example_register, tmp_path):
    """The shape of a long national report (made up here, not a real report's words): its
    summary says how many items it made; every recommendation is given twice, in the
    summary list and again in its chapter; the count is checked, and a missing one said."""
    recs = [f"Recommendation {n}\nBy 31 March 2027, chief constables should make sure that "
            f"vetting check number {n} is done before an offer of employment is made."
            for n in range(1, 44)]
    afis = [f"Area for improvement {n}\nForces should review how they record reason {n} for "
            "a vetting decision." for n in range(1, 6)]
    summary = ("Title: An inspection of vetting in the police service\nPublished: 2 November "
               "2022\n\nWe made 43 recommendations and identified 5 areas for improvement.\n\n")
    chapters = "\n\nChapter 2: Pre-employment checks\n\n" + "\n\n".join(recs)
    source = tmp_path / "report.txt"
    source.write_text(summary + "\n\n".join(recs + afis) + chapters, encoding="utf-8")
    got = found_json(runner, example_register, source)
    assert [(i["kind"], i["number"]) for i in got["items"]] == \
        [("Recommendation", str(n)) for n in range(1, 44)] + \
        [("Area for improvement", str(n)) for n in range(1, 6)]
    assert got["repeats"] == 43
    assert all(i["applies_to_force"] and i["deadline"] == "2027-03-31"
               for i in got["items"][:43])
    res = run(runner, "add-report", example_register, source)
    assert "(the report says 43 recommendations and 5 areas for improvement)" in res.stdout
    # one recommendation lost from the text: said, loudly
    source.write_text(summary + "\n\n".join(recs[:42] + afis), encoding="utf-8")
    res = run(runner, "add-report", example_register, source)
    assert "42 recommendations and 5 areas for improvement -- BUT THE REPORT SAYS 43 " \
        "RECOMMENDATIONS AND 5 AREAS FOR IMPROVEMENT: check what is missing" in res.stdout


def test_a_listings_own_numbers_are_kept_and_a_pdfs_page_numbers_dropped(runner,
                                                                        example_register,
                                                                        tmp_path):
    """In pasted text a lone number is a tracker's item number; in a PDF, a page's."""
    source = tmp_path / "listing.txt"
    source.write_text("Title: Tracker listing 2026\nPublished: 1 May 2026\n\nRecommendations\n"
                      "3\nOpen\nThe force should review its call grading.\n7\nOpen\n"
                      "The force should train its call handlers.\n", encoding="utf-8")
    got = found_json(runner, example_register, source)
    assert [i["number"] for i in got["items"]] == ["3", "7"]
    from gain_workbook.newreport.source import lines_to_blocks

    lines = ["By 31 March 2027, chief constables should make sure that the", "12",
             "vetting unit has enough staff."]
    assert [b.text for b in lines_to_blocks(lines, pages=True)] == [
        "By 31 March 2027, chief constables should make sure that the vetting unit has "
        "enough staff."]
    # pasted, a lone number that breaks a sentence is a page's too (the rest of the item
    # was lost); one after '... in paragraph' stays
    assert [b.text for b in lines_to_blocks(lines)] == [
        "By 31 March 2027, chief constables should make sure that the vetting unit has "
        "enough staff."]
    assert [b.text for b in lines_to_blocks(["as set out in paragraph", "12",
                                             "of the code."])][1] == "12"


# ---------------------------------------------------------------- refusals

def test_refused_while_the_register_is_open_in_excel(runner, blank_register):
    lock = blank_register.with_name("~$" + blank_register.name)
    lock.write_bytes(b"\x00" * 165)
    before = blank_register.read_bytes()
    res = run(runner, "add-report", blank_register, REFERENCE_TXT, "--apply")
    assert res.exit_code == 2
    assert "is open in Excel" in res.stderr and "run add-report again" in res.stderr
    assert blank_register.read_bytes() == before


def test_a_flat_tracker_is_refused_with_the_way_out(runner, tmp_path):
    import shapes

    reg = tmp_path / "Panel tracker.xlsx"
    shapes.pcc_panel_flat_tracker(reg)
    before = reg.read_bytes()
    res = run(runner, "add-report", reg, REFERENCE_TXT, "--apply")
    assert res.exit_code == 2
    assert "run 'gain-pack adopt'" in res.stderr
    assert "Traceback" not in res.output
    assert reg.read_bytes() == before
    # the dry run still reads the report
    assert run(runner, "add-report", reg, REFERENCE_TXT).exit_code == 0


def test_no_publication_date_refuses_apply_and_names_the_option(runner, blank_register):
    before = blank_register.read_bytes()
    res = run(runner, "add-report", blank_register,
              REPORTS / "peel-2023-25 cleveland afi listing.txt", "--apply")
    assert res.exit_code == 2
    assert "could not find the report's publication date" in res.stderr
    assert "--published" in res.stderr
    assert blank_register.read_bytes() == before


def _damaged(tmp_path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name,data,says", [
    ("report.doc", b"\xd0\xcf\x11\xe0 old Word", "is not a report add-report can read"),
    ("report.txt", b"PK\x03\x04 a zip called .txt", "is not text"),
    ("report.pdf", b"%PDF-1.7\n broken", "is not a PDF add-report can read"),
    ("report.docx", b"PK\x03\x04 not really", "is not a Word document add-report can read"),
    ("report.html", b"", "has no text to read"),
    ("report.txt", b"   \n\n", "has no text to read"),
])
def test_a_source_it_cannot_read_is_one_sentence(runner, example_register, tmp_path, name,
                                                 data, says):
    source = _damaged(tmp_path, name, data)
    before = sha256(example_register)
    res = run(runner, "add-report", example_register, source, "--apply")
    assert res.exit_code == 2
    assert says in res.stderr
    assert "Traceback" not in res.output
    assert len(res.stderr.strip().splitlines()) == 1
    assert not re.search(r"\(\w+(Error|File)\)", res.stderr)     # no library's error names
    assert sha256(example_register) == before


def test_a_text_with_no_items_is_said_and_not_added(runner, blank_register, tmp_path):
    """The opening of a PCC's letter (warwickshire-pcc.gov.uk, vetting report): the title
    and date are there, the items are not."""
    source = tmp_path / "letter.txt"
    source.write_text("Dear Minister / H.M.Inspector,\n\nAs the Police and Crime Commissioner "
                      "for Warwickshire (Local Policing Body) I am providing the following "
                      "response in respect of the HMICFRS report An inspection of vetting, "
                      "misconduct, and misogyny in the police service, which was published on "
                      "the 2 November 2022.\n", encoding="utf-8")
    res = run(runner, "add-report", blank_register, source)
    assert res.exit_code == 0
    assert "Report:     An inspection of vetting, misconduct, and misogyny in the police " \
        "service" in res.stdout
    # day 56 is a bank holiday: the working day before is given
    assert "published by 27/12/2022 (s55, day 56, Christmas Day (observed): publish by " \
        "23/12/2022)" in res.stdout
    assert "Items:      no recommendations or areas for improvement" in res.stdout and "--apply" not in res.stdout
    assert "no recommendations, areas for improvement or causes of concern" in res.stderr
    before = blank_register.read_bytes()
    res = run(runner, "add-report", blank_register, source, "--apply")
    assert res.exit_code == 2 and "nothing was written" in res.stderr
    assert blank_register.read_bytes() == before


@pytest.mark.slow
def test_a_zip_bomb_called_docx_is_refused_before_it_unpacks(runner, example_register,
                                                              tmp_path):
    import zipfile

    bomb = tmp_path / "report.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):                       # 300 MB of zeros, a few hundred KB packed
                f.write(chunk)
    assert bomb.stat().st_size < 2 * 1024**2
    res = run(runner, "add-report", example_register, bomb)
    assert res.exit_code == 2
    assert "may be a zip bomb" in res.stderr and "Traceback" not in res.output


@pytest.mark.parametrize("password,says", [
    ("secret", "is protected by a password"),
    (None, "has no text to read (a scanned PDF holds pictures of pages, not text)"),
])
def test_a_pdf_with_a_password_or_no_text(runner, example_register, tmp_path, password, says):
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    if password:
        writer.encrypt(password, algorithm="RC4-128")
    pdf = tmp_path / "report.pdf"
    writer.write(pdf)
    res = run(runner, "add-report", example_register, pdf)
    assert res.exit_code == 2 and says in res.stderr and "Traceback" not in res.output


@pytest.mark.parametrize("encoding,bom", [("utf-16", b""), ("utf-32-le", b"\xff\xfe\x00\x00"),
                                          ("utf-32-be", b"\x00\x00\xfe\xff")])
def test_text_saved_as_unicode_with_its_byte_order_mark_is_read(runner, example_register,
                                                               tmp_path, encoding, bom):
    """Notepad's 'Unicode' is UTF-16 with a byte-order mark; other editors save UTF-32 with
    one (FF FE 00 00, which starts like UTF-16's). They have NUL bytes, yet are text."""
    source = tmp_path / "report.txt"
    source.write_bytes(bom + REFERENCE_TXT.read_text(encoding="utf-8").encode(encoding))
    got = found_json(runner, example_register, source)
    compare(got, json.loads((EXPECTED / "cse-2023 pcc response pasted.json").read_text()))


@pytest.mark.parametrize("encoding,named", [("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"),
                                            ("utf-32-le", "UTF-32"), ("utf-32-be", "UTF-32")])
def test_text_in_utf16_or_utf32_without_a_byte_order_mark_is_refused_by_name(
        runner, example_register, tmp_path, encoding, named):
    source = tmp_path / "report.txt"
    source.write_bytes(REFERENCE_TXT.read_text(encoding="utf-8").encode(encoding))
    res = run(runner, "add-report", example_register, source)
    assert res.exit_code == 2
    assert f"looks like text saved as {named} without a byte-order mark" in res.stderr
    assert "no recommendations" not in res.output


# ---------------------------------------------------------------- what a report's text can hold

CONTROLS = [chr(c) for c in range(0x00, 0x09)] + [chr(c) for c in range(0x0E, 0x1C)] + \
    ["\ufffe", "\uffff"]          # removed, as a register's are: no workbook can store them


def _cells(path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [c.value for ws in wb for row in ws.iter_rows() for c in row
            if isinstance(c.value, str)]


def test_control_characters_in_the_text_and_title_are_removed_and_said(runner, blank_register,
                                                                        tmp_path):
    """NUL after the first 4 KB, an ESC sequence, BEL and a vertical tab once crashed
    --apply (exit 70, the writer's IllegalCharacterError)."""
    text = REFERENCE_TXT.read_text(encoding="utf-8")
    rec8 = "all chief constables of forces that are yet"
    assert text.count(rec8) == 1 and text.index(rec8) > 4096
    text = text.replace(rec8, "all chief \x00constables of forces\x1b[31m that are\x07 yet")
    text = text.replace("**An inspection of the effectiveness", "**An inspection\x07 of the "
                        "effectiveness", 1)
    source = tmp_path / "report.txt"
    source.write_text(text, encoding="utf-8")
    res = run(runner, "add-report", blank_register, source, "--apply")
    assert res.exit_code == 0, res.output
    assert "Cleaned: CONTROL_CHARACTER: control characters, which no workbook can store, " \
        "were removed from 2 paragraphs of the text and the title; 1 item that held them is " \
        "marked To check." in " ".join(res.stdout.split())
    block = res.stdout.split("INS-2023-01-R8  Recommendation 8")[1].split("\n\n")[0]
    assert "TO CHECK: CONTROL_CHARACTER: its text held control characters" in block
    wb = openpyxl.load_workbook(blank_register)
    items = {r[0]: r for r in wb["Items"].iter_rows(values_only=True)}
    head = list(items["Item ID"])
    rec = dict(zip(head, items["INS-2023-01-R8"]))
    assert "all chief constables of forces[31m that are yet" in rec["Text"]
    assert "CONTROL_CHARACTER: its text held control characters" in rec["To check"]
    assert not any(has for has in (re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", v)
                                   for v in _cells(blank_register)) if has)
    assert wb["Inspections"]["B2"].value.startswith("An inspection of the effectiveness")

    # a title given with control characters (a vertical tab, a BEL) is cleaned and said too
    other = tmp_path / "other.xlsx"
    shutil.copy(blank_register.with_name(next(p.name for p in tmp_path.iterdir()
                                              if "(before add-report" in p.name)), other)
    res = run(runner, "add-report", other, REFERENCE_TXT, "--title",
              "Child sexual\x0bexploitation\x07 2023", "--apply")
    assert res.exit_code == 0, res.output
    assert "Report:     Child sexualexploitation 2023  [from the title given]" in res.stdout
    assert "can store, were removed from the title." in " ".join(res.stdout.split())
    assert openpyxl.load_workbook(other)["Inspections"]["B2"].value == \
        "Child sexualexploitation 2023"
    # an id given with one is refused: an id is typed, not read
    res = run(runner, "add-report", other, REFERENCE_HTML, "--id", "INS\x1b[2J", "--apply")
    assert res.exit_code == 2
    assert "The inspection id given holds control characters" in res.stderr


def _report_items(path):
    from gain_workbook.newreport.items import find_items
    from gain_workbook.newreport.source import read_source

    blocks, _ = read_source(path)
    return find_items(blocks, "Cleveland Police")


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_control_characters_anywhere_in_the_text_never_crash_and_are_said(data):
    """Any control characters anywhere (NUL past the first 4 KB, where a NUL says 'binary'):
    the same items as without them, and the item they fell in is marked."""
    import tempfile

    text = REFERENCE_TXT.read_text(encoding="utf-8")
    clean = _report_items(REFERENCE_TXT)
    k = data.draw(st.integers(0, len(clean.items) - 1), label="item")
    start = text.index(clean.items[k].paragraphs[0][:60])     # the first: the item itself
    # into the item (NUL only past the first 4 KB: there it says 'binary')
    inserts = [(start + data.draw(st.integers(0, 59)),
                data.draw(st.sampled_from(CONTROLS[1:] if start < 4096 else CONTROLS)))]
    inserts += data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.sampled_from(CONTROLS)),
                                  max_size=6), label="elsewhere")
    inserts = [(at, ch) for at, ch in inserts if ch != "\x00" or at > 4096]
    dirty = text
    for at, ch in sorted(inserts, reverse=True):
        dirty = dirty[:at] + ch + dirty[at:]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.txt"
        source.write_text(dirty, encoding="utf-8")
        found = _report_items(source)
    assert [(i.kind, i.number, i.text) for i in found.items] == \
        [(i.kind, i.number, i.text) for i in clean.items]
    assert found.title == clean.title and found.published == clean.published
    from gain_workbook.newreport.items import CONTROL_CHECK

    assert found.items[k].cleaned and CONTROL_CHECK in found.items[k].checks
    assert found.cleaned >= 1


def test_a_deadline_or_date_that_cannot_be_a_date_is_kept_and_marked(runner, blank_register,
                                                                      tmp_path):
    """'Within 99999999999 months' once crashed --apply (OverflowError), and so did a
    register holding it, and a report 'Published: 31 December 9999' (its s55 day)."""
    source = tmp_path / "report.txt"
    source.write_text("Title: An inspection of things 2026\nPublished: 1 May 2026\n\n"
                      "Recommendation 1: Within 99999999999 months, chief constables should "
                      "review custody.\n\nRecommendation 2: Within 500 years, chief constables "
                      "should review vetting.\n\nRecommendation 3: By 31 December 9999, chief "
                      f"constables should review training.\n\nRecommendation 4: Within {'9' * 5000}"
                      " days, chief constables should review records.\n", encoding="utf-8")
    res = run(runner, "add-report", blank_register, source, "--apply")
    assert res.exit_code == 0, res.output
    for n, words in enumerate(("Within 99999999999 months", "Within 500 years",
                               "By 31 December 9999", f"Within {'9' * 5000} days"), start=1):
        block = res.stdout.split(f"Recommendation {n}\n")[1].split("\n\n")[0]
        assert f"Deadline: {words}\n" in block
        assert "TO CHECK: no date can be worked out from the deadline" in block
    # the register now holds those words: reading it warns on each, never crashes
    res = run(runner, "validate", blank_register)
    assert res.exit_code == 0, res.output
    assert res.stdout.count("BAD_DEADLINE") == 4
    # a publication date past what a register holds is not one found
    source.write_text("Title: An inspection of things 2026\nPublished: 31 December 9999\n\n"
                      "Recommendation 1: Within six months, chief constables should review "
                      "custody.\n", encoding="utf-8")
    res = run(runner, "add-report", blank_register, source)
    assert res.exit_code == 0, res.output
    assert "Published:  (no date found: give it with --published)" in res.stdout


@settings(max_examples=200, deadline=None)
@given(n=st.one_of(st.integers(0, 10**40).map(str), st.text("0123456789", min_size=1,
                                                             max_size=6000)),
       unit=st.sampled_from(["day", "days", "week", "weeks", "month", "months", "year",
                             "years"]),
       published=st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31))),
       year=st.integers(1, 9999))
def test_any_deadline_a_report_writes_is_a_date_a_register_holds_or_none(n, unit, published,
                                                                        year):
    from gain_workbook.core.dates import EARLIEST, LATEST, UNREADABLE, parse_deadline

    for words in (f"Within {n} {unit}", f"within the next {n} {unit} of publication",
                  f"By 31 December {year}", f"Not later than 1 March {year}"):
        day = parse_deadline(words, published)
        assert day is None or day is UNREADABLE or EARLIEST <= day <= LATEST, words


def test_items_numbered_past_999_are_read(runner, example_register, tmp_path):
    """5,000 items: those past 999 were listed as not placed."""
    recs = [f"Recommendation {n}\nBy 31 March 2027, chief constables should make sure that "
            f"vetting check {n} is done." for n in range(1, 5001)]
    source = tmp_path / "report.txt"
    source.write_text("Title: An inspection of vetting 2026\nPublished: 2 November 2026\n\n"
                      + "\n\n".join(recs), encoding="utf-8")
    got = found_json(runner, example_register, source)
    assert [i["number"] for i in got["items"]] == [str(n) for n in range(1, 5001)]
    assert got["unplaced"] == []
    assert got["items"][4999]["text"].endswith("vetting check 5000 is done.")
    # a tracker's listing: the number on its own line, past 999 too
    source.write_text("Title: Tracker listing 2026\nPublished: 1 May 2026\n\nRecommendations\n"
                      "1042\nOpen\nThe force should review its call grading.\n", encoding="utf-8")
    assert [i["number"] for i in found_json(runner, example_register, source)["items"]] == \
        ["1042"]


def test_hostile_lines_are_read_in_bounded_time(example_register, tmp_path):
    """A 200,000-character line of '[' once took minutes (the markdown-link pattern
    backtracked); so did other lines of one character, and joining 250,000 broken lines.
    tests/test_patterns.py holds every pattern to this; here the whole command is run,
    on 1 MB lines, in a child process ended if it runs past a generous bound."""
    import subprocess
    import sys

    lines = ["Title: Hostile 2026", "Published: 1 May 2026", "",
             "Recommendation 1: Chief constables should review custody.", ""]
    for unit in ["[", "(", " ", "<input ", "Aa ", "| ", "#", "within ", "report ", "re-\n",
                 "Recommendation 1: ", "the force should "]:
        lines += [unit * (1_000_000 // len(unit)), ""]
    source = tmp_path / "report.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    try:
        res = subprocess.run([sys.executable, "-m", "gain_workbook", "add-report",
                              str(example_register), str(source), "--format", "json"],
                             capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("add-report did not finish within 120 s on 13 MB of hostile lines")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["items"][0]["text"] == "Chief constables should review custody."


# ---------------------------------------------------------------- words broken at a line's end

def _broken(first: str, second: str, before: list[str], soft: bool = False) -> str:
    """The paragraph read from lines breaking '<first>-<second>' (or with a soft hyphen)."""
    from gain_workbook.newreport.source import lines_to_blocks

    hyphen = "\u00ad" if soft else "-"
    lines = before + [f"The force should keep the {first}{hyphen}", f"{second} of every case."]
    return lines_to_blocks(lines)[-1].text


WORDS = st.text("bcdfghjklmnpqrstvwxz", min_size=2, max_size=8)    # never the text's own words


@settings(max_examples=150, deadline=None)
@given(first=WORDS, second=WORDS)
def test_a_word_broken_at_a_lines_end_is_joined_and_a_real_hyphen_kept(first, second):
    """The rule needs no dictionary: a soft hyphen joins; a plain one before a lower-case
    continuation joins, unless the text shows the hyphen is real (it uses the hyphenated
    word, or the first part as a word of its own), or the text marks its breaks with soft
    hyphens (then a plain one is real)."""
    assume(first + second != first and len(first) >= 3)
    joined, kept = f"keep the {first}{second} of", f"keep the {first}-{second} of"
    # no evidence: a typesetter's break ('re-' 'cord')
    assert joined in _broken(first, second, [])
    assert joined in _broken(first, second, [], soft=True)
    # the joined word used elsewhere: joined, whatever else is used
    assert joined in _broken(first, second, [f"A {first}{second} and a {first} here.", ""])
    # the hyphenated word, or its first part, used elsewhere: a real hyphen ('cross-border')
    assert kept in _broken(first, second, [f"Its {first}-{second} work.", ""])
    assert kept in _broken(first, second, [f"They {first} the road.", ""])
    # the text marks its breaks with soft hyphens: a plain hyphen at a line's end is real
    assert kept in _broken(first, second, ["A word broken by the type\u00ad", "setter.", ""])
    # a short first part is not evidence ('re', 'in' are words, but 'in-formation' is not)
    assert f"keep the {first[:2]}{second} of" in _broken(first[:2], second,
                                                          [f"They {first[:2]} it.", ""])


def test_a_word_broken_in_a_pdf_is_joined_and_a_real_hyphen_kept(runner, example_register,
                                                                  tmp_path):
    """A real PDF (LibreOffice's, from a page whose lines break where the words do)."""
    from gain_workbook.core.libreoffice import to_pdf

    page = tmp_path / "report.html"
    page.write_text(
        "<html><body><p>Title: An inspection of records 2026</p><p>Published: 1 May 2026</p>"
        "<p>Recommendation 1: By 31 March 2027, chief constables should make sure their "
        "forces keep a re-<br>cord of every cross-<br>border case, and of cases that cross "
        "force boundaries.</p></body></html>", encoding="utf-8")
    pdf = to_pdf(page, tmp_path / "report.pdf")
    got = found_json(runner, example_register, pdf)
    assert got["items"][0]["text"] == (
        "By 31 March 2027, chief constables should make sure their forces keep a record of "
        "every cross-border case, and of cases that cross force boundaries.")


# ---------------------------------------------------------------- a saved page's hidden parts

HIDDEN = [("div", " hidden"), ("p", ' hidden=""'), ("section", ' style="display:none"'),
          ("div", ' style="color: red; DISPLAY : none !important"'),
          ("span", ' aria-hidden="true"'), ("li", ' aria-hidden="TRUE"'), ("template", ""),
          ("div", ' hidden="hidden"')]


def _page(tag: str, attrs: str, closed: bool, nested: bool) -> str:
    """A page with items 1 and 3 shown and item 2 in a <tag attrs> element; its end tag
    left out when ``closed`` is false and HTML allows it (<p>, <li>: the next sibling of its
    kind ends it)."""
    hidden = "<b>Recommendation 2: Chief constables should do a hidden thing.</b>"
    if nested:          # within a <p>, only what a <p> can hold (a <div> would end it)
        hidden = f"<span><i>{hidden}</i> and more</span>" if tag == "p" else \
            f"<div><p>{hidden}<p>More words</div>"
    end = f"</{tag}>" if closed or tag not in ("p", "li") else ""
    sibling = "li" if tag == "li" else "p"
    return ("<html><body><h1>An inspection of unseen things 2026</h1><p>Published: 1 May 2026"
            f"</p><ul><{sibling}>Recommendation 1: Chief constables should do the first thing."
            f"</{sibling}><{tag}{attrs}>{hidden}{end}<{sibling}>Recommendation 3: Chief "
            f"constables should do the last thing.</{sibling}></ul></body></html>")


@settings(max_examples=60, deadline=None)
@given(how=st.sampled_from(HIDDEN), closed=st.booleans(), nested=st.booleans())
def test_html_hidden_from_readers_is_not_report_text(how, closed, nested):
    """What a reader never sees (hidden, display:none, aria-hidden, a template) makes no
    items; what follows it is read, even when the hidden element's end tag is left out
    (as HTML allows for a <p> or <li>)."""
    import tempfile

    from gain_workbook.newreport.items import find_items
    from gain_workbook.newreport.source import read_source

    def blocks(page: str):
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "page.html"
            source.write_text(page, encoding="utf-8")
            return read_source(source)[0]

    tag, attrs = how
    read = blocks(_page(tag, attrs, closed, nested))
    assert not any("hidden" in b.text for b in read)
    assert [i.number for i in find_items(read).items] == ["1", "3"]
    # 'until-found' is hidden only until a search finds it: it is the page's text
    shown = blocks(_page(tag, ' hidden="until-found"', closed, nested))
    assert any("a hidden thing" in b.text for b in shown) == (tag != "template")


# ---------------------------------------------------------------- a Word document's embedded chunk

def _docx_with_chunk(path: Path, content_type: str, blob: bytes, name: str) -> Path:
    """A Word document whose items sit in an embedded chunk (w:altChunk), as Word keeps a
    web page pasted into it."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = docx.Document()
    doc.add_paragraph("Our response to the report is below.")
    part = Part(PackURI(f"/word/{name}"), content_type, blob, doc.part.package)
    chunk = OxmlElement("w:altChunk")
    chunk.set(qn("r:id"), doc.part.relate_to(part, RT.A_F_CHUNK))
    body = doc.element.body
    body.insert(len(body) - 1, chunk)          # before the section's properties
    doc.save(path)
    return path


def _mht(html: bytes) -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["Subject"] = "Saved page"
    msg.set_content("This page is best seen in a browser.")
    msg.add_alternative(html.decode("utf-8"), subtype="html")
    return msg.as_bytes()


def _chunk(kind: str, tmp_path: Path) -> tuple[str, bytes, str]:
    html = REFERENCE_HTML.read_bytes()
    if kind == "html":
        return "text/html", html, "afchunk.htm"
    if kind == "mht":
        return "message/rfc822", _mht(html), "afchunk.mht"
    if kind == "text":
        return "text/plain", REFERENCE_TXT.read_bytes(), "afchunk.txt"
    inner = _docx_with_chunk(tmp_path / "inner.docx", "text/html", html, "afchunk.htm")
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document", \
        inner.read_bytes(), "afchunk.docx"


@pytest.mark.parametrize("kind", ["html", "mht", "text", "docx"])
def test_a_word_documents_embedded_chunk_is_read(runner, example_register, tmp_path, kind):
    """Such a document once gave 'no items found'."""
    source = _docx_with_chunk(tmp_path / "report.docx", *_chunk(kind, tmp_path))
    got = found_json(runner, example_register, source)
    compare(got, json.loads((EXPECTED / "cse-2023 pcc response pasted.json").read_text()))


def test_a_chunk_add_report_cannot_read_is_said_not_passed_over(runner, example_register,
                                                                  tmp_path):
    source = _docx_with_chunk(tmp_path / "report.docx", "application/rtf",
                              b"{\\rtf1\\ansi Recommendation 1: Chief constables should act.}",
                              "afchunk.rtf")
    res = run(runner, "add-report", example_register, source)
    assert res.exit_code == 2
    assert "'report.docx' embeds content add-report cannot read (application/rtf" in res.stderr
    assert "no recommendations" not in res.output


def test_a_missing_source(runner, example_register, tmp_path):
    res = run(runner, "add-report", example_register, tmp_path / "no such report.txt")
    assert res.exit_code == 2 and "does not exist" in res.stderr


def test_an_id_already_used_is_refused(runner, example_register):
    res = run(runner, "add-report", example_register, REPORTS /
              "peel-2021-22 warwickshire pcc response page.txt", "--id", "INS-2023-07")
    assert res.exit_code == 2 and "already has an inspection 'INS-2023-07'" in res.stderr


def test_every_report_text_has_its_expected_items():
    """Every fixture has its expected items, and every expectation its fixture (a new
    report's text and its expected/<name>.json are all a new case needs)."""
    from gain_workbook.newreport.source import KINDS

    sources = {p.name for p in REPORTS.iterdir() if p.is_file() and p.suffix in KINDS
               and p.name != "README.md"}
    expected = {json.loads(p.read_text())["source"] for p in EXPECTED.glob("*.json")}
    assert expected <= sources
    assert sources - expected == {REFERENCE_HTML.name}      # compared with the .txt's
    assert shutil.which("soffice") or shutil.which("libreoffice")


def test_a_word_document_with_a_password_is_said_to_have_one(runner, example_register):
    """A .docx saved with a password is an encrypted package in an OLE file, not a zip:
    said as a password, not as a damaged file or an old .doc."""
    source = ROOT / "tests" / "data" / "refused-reports" / "password-protected saved by libreoffice.docx"
    assert source.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    res = run(runner, "add-report", example_register, source)
    assert res.exit_code == 2 and "is protected by a password" in res.stderr
    assert "Traceback" not in res.output


def test_a_pdfs_running_lines_go_and_its_paragraphs_run_on_over_the_page():
    """A PDF's pages, as pypdf gives their lines: 'OFFICIAL' at each top and 'PEEL
    2023–25 Cleveland Police   Page N' at each foot are running lines, dropped; a
    recommendation that runs over the page is one paragraph; a 'Recommendation' label at
    a page's edge is no running line, though it stands there twice."""
    from gain_workbook.newreport.source import lines_to_blocks, without_running_lines

    footer = "PEEL 2023–25 Cleveland Police   Page {}"
    pages = [["OFFICIAL", "Cause of concern 2", "The force doesn't investigate well.",
              "Recommendation", "By 30 September 2024, Cleveland Police should make sure "
              "that investigations are allocated to ", footer.format(1)],
             ["OFFICIAL", "staff with the right skills, and that victims are updated.",
              "Area for improvement 1", "The force should improve how it answers calls.",
              "Recommendation", footer.format(2)],
             ["OFFICIAL", "By 31 March 2025, the force should review its call handling.",
              footer.format(3)]]
    kept = without_running_lines(pages)
    assert all("OFFICIAL" not in page and not any("Page" in x for x in page) for page in kept)
    assert kept[0][2] == "Recommendation" and kept[1][-1] == "Recommendation"
    texts = [b.text for b in lines_to_blocks([x for page in kept for x in page], pages=True)]
    assert ("By 30 September 2024, Cleveland Police should make sure that investigations "
            "are allocated to staff with the right skills, and that victims are updated."
            ) in texts


def test_a_count_the_report_says_it_found_is_compared(runner, example_register, tmp_path):
    """'We found three causes of concern and nine areas for improvement' is a count, as
    'made' and 'identified' are: a text that gives fewer is shouted."""
    source = tmp_path / "report.txt"
    source.write_text("PEEL 2023–25: An inspection of Example Police\nPublished: 14 March 2024"
                      "\n\nWe found two causes of concern and one area for improvement.\n\n"
                      "Cause of concern 1\nThe force doesn't answer calls quickly enough.\n\n"
                      "Area for improvement 1\nThe force should improve how it records "
                      "crime.\n", encoding="utf-8")
    got = found_json(runner, example_register, source)
    assert got["stated"] == {"Cause of concern": 2, "Area for improvement": 1}
    res = run(runner, "add-report", example_register, source)
    assert "BUT THE REPORT SAYS 2 CAUSES OF CONCERN" in res.stdout


def test_a_footnotes_number_after_a_paragraphs_last_stop_is_not_its_words():
    from gain_workbook.newreport.source import lines_to_blocks

    texts = [b.text for b in lines_to_blocks(
        ["The Home Office should fund long-term interventions.1", "",
         "Forces should adopt version 2.1", "", "See paragraph 3.12"])]
    assert texts == ["The Home Office should fund long-term interventions.",
                     "Forces should adopt version 2.1", "See paragraph 3.12"]


def test_the_next_id_looks_at_the_registers_ids_once(monkeypatch):
    """next_inspection_id weighed every id against the spans of all of them: quadratic,
    65 s for add-report --apply on a register of 7,833 reports (bench.py's 100,000
    actions). The spans are worked out once."""
    from gain_workbook.newreport import add

    calls = []
    real = add._spans
    monkeypatch.setattr(add, "_spans", lambda ids: calls.append(1) or real(ids))
    ids = [f"INS-{2000 + n // 100}-{n % 100:02d}" for n in range(2000)] + ["PEEL 2023-25"]
    assert add.next_inspection_id(ids, 2026).startswith("INS-2026-")
    assert len(calls) == 1
