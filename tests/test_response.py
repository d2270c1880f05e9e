"""`gain-pack response`: the PCC's s55 response as it is published, checked against the
reference (shared/reference/pcc-response-example.md) sentence by sentence, and the
office's working copy."""

from __future__ import annotations

import datetime as dt
import re
import signal
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import SHARED, base_data, run_tool, sha256, write_register
from gain_workbook.cli import cli
from gain_workbook.status.rollup import roll_up
from gain_workbook.check.validate import check

AS_OF = "2026-11-28"
D = dt.date
REFERENCE = SHARED / "reference" / "pcc-response-example.md"


# ---------------------------------------------------------------- reading what we wrote

def sheet_rows(path, sheet=None):
    ws = openpyxl.load_workbook(path)[sheet] if sheet else openpyxl.load_workbook(path).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    return [r for r in rows if any(v is not None for v in r)]


def line(row) -> str:
    """A sheet row's texts as one line: a bullet in column A and its text beside it read
    '•  text'."""
    return "  ".join(str(v) for v in row if v not in (None, ""))


def flat(texts) -> str:
    """Texts in reading order, bullets and spacing folded, as one string."""
    return " ".join(" ".join(str(t).replace("•", " ").split()) for t in texts if t)


def xlsx_text(path) -> str:
    return flat(v for r in sheet_rows(path) for v in r)


def docx_text(path) -> str:
    """Every paragraph and table cell of the body, in document order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = docx.Document(str(path))
    out = []
    for el in doc.element.body.iterchildren():
        if el.tag.endswith("}p"):
            out.append(Paragraph(el, doc).text)
        elif el.tag.endswith("}tbl"):
            for row in Table(el, doc).rows:
                seen = []
                for cell in row.cells:          # a merged cell comes back once per column
                    if cell._tc not in seen:
                        seen.append(cell._tc)
                        out.append(cell.text)
    return flat(out)


def every_part(path) -> str:
    """All the XML of a zip package (sheets, headers, document properties), as text."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                         if n.endswith((".xml", ".rels")))


def squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def in_order(text: str, expected: list[str]) -> list[str]:
    """The expected strings that are not found in ``text`` after the one before."""
    missing, pos = [], 0
    for want in expected:
        at = text.find(want, pos)
        if at < 0:
            missing.append(want)
        else:
            pos = at + len(want)
    return missing


# ---------------------------------------------------------------- the reference, read

def _clean(md: str) -> str:
    md = re.sub(r"\[([^\]]+)\]\(#\)", r"\1", md)        # links the web page had
    return " ".join(md.replace("**", "").split())


def reference_sentences() -> list[str]:
    """Everything in the reference response that comes from the register, in its order
    (the GAIN process paragraphs, which come from our template, are left out)."""
    text = REFERENCE.read_text(encoding="utf-8")
    out = []
    title = re.search(r"\*\*Title of Inspection\*\*\s+\*\*(.+?)\*\*", text).group(1)
    out += [_clean(title), "8 December 2023", "☒ National", "☒ Thematic", "☐ Yes ☒ No"]
    summary = text.split("### EXECUTIVE SUMMARY OF REPORT")[1].split("### Recommendations")[0]
    out += [_clean(p.lstrip("- ")) for p in summary.split("\n") if p.strip()]
    recs = text.split("### Recommendations")[1].split("## FORCE RESPONSE")[0]
    first, *blocks = re.split(r"### \*\*(.+?)\*\*", recs)
    out.append(_clean(first).split(". ")[0] + ".")      # the report's own second sentence is not ours
    for heading, body in zip(blocks[::2], blocks[1::2]):
        out.append(heading)
        out += [_clean(p) for p in body.split("\n\n") if p.strip()]
    force = text.split("## FORCE RESPONSE TO RECOMMENDATIONS")[1].split("## **PCC RESPONSE")[0]
    paras = [p for p in force.strip().split("\n\n") if p.strip()][3:]     # after the process text
    joined = []
    for p in paras:                     # the web page broke one paragraph across a page
        if joined and not joined[-1].rstrip().endswith((".", ":")) and p[:1].islower():
            joined[-1] += " " + p
        else:
            joined.append(p)
    for p in joined:
        if p.startswith("- "):
            out += [_clean(b.lstrip("- ")) for b in p.split("\n- ")]
        else:
            out.append(_clean(p))
    pcc = text.split("## **PCC RESPONSE TO INSPECTION**")[1].split("---")[0]
    out += [_clean(p) for p in pcc.split("\n\n") if p.strip()]
    out += ["☒ Response forwarded to Home Office", "☒ Response published on PCC website"]
    return out


def internal_words(register) -> list[str]:
    """What the published response must not carry: the marking, owners' and leads' names,
    internal ids and the office's working words."""
    reg, _ = check(register)
    owners = set(reg.actions.frame["owner"].dropna()) | set(reg.items.frame["item_lead"].dropna())
    owners |= set(reg.inspections.frame["executive_lead"].dropna())
    ids = set(reg.inspections.frame["inspection_id"]) | set(reg.items.frame["item_id"])
    return sorted(owners | ids | {"OFFICIAL", "As at", "days late", "days left", "overdue",
                                  "owner:", "Status:", "GAP"})


RAG_WORD = re.compile(r"\b(Red|Amber|Green|Blue|Grey)\b")


@pytest.fixture(scope="module")
def published(tmp_path_factory, example_register):
    """The example's response as published: xlsx, PDF and Word."""
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("resp") / "PCC response.xlsx"
    result = CliRunner().invoke(cli, ["response", str(example_register), "--inspection",
                                      "INS-2023-07", "-o", str(out), "--as-of", AS_OF,
                                      "--pdf", "--docx"])
    assert result.exit_code == 0, result.output + result.stderr
    return out


@pytest.mark.slow
def test_the_published_response_says_what_the_reference_says_in_its_order(published):
    expected = reference_sentences()
    assert len(expected) > 35           # the parse found the reference's parts
    assert in_order(xlsx_text(published), expected) == []
    assert in_order(docx_text(published.with_suffix(".docx")), expected) == []
    pdf = subprocess.run(["pdftotext", str(published.with_suffix(".pdf")), "-"],
                         capture_output=True, text=True).stdout
    # pdftotext joins a word hyphenated at a line end and reads a label beside its value,
    # so the PDF is compared on letters and digits alone
    # (and its check boxes, laid out in columns, may come in another order)
    assert in_order(squash(pdf), [squash(e) for e in expected if not set(e) & {"☒", "☐"}]) == []


def test_the_published_response_carries_nothing_internal(published, example_register):
    banned = internal_words(example_register)
    assert "DCI Intelligence" in banned and "INS-2023-07-R2" in banned
    docx = published.with_suffix(".docx")
    for name, text in (("xlsx", every_part(published)), ("docx", every_part(docx))):
        found = [w for w in banned if w in text]
        assert found == [], (name, found)
        assert not RAG_WORD.search(xlsx_text(published)), name
    assert openpyxl.load_workbook(published).sheetnames == ["Response"]
    info = subprocess.run(["pdfinfo", str(published.with_suffix(".pdf"))], capture_output=True,
                          text=True).stdout
    pdf = subprocess.run(["pdftotext", str(published.with_suffix(".pdf")), "-"],
                         capture_output=True, text=True).stdout
    assert [w for w in banned if w in info + pdf] == []


def test_the_published_layout(published):
    rows = sheet_rows(published)
    assert rows[0][0] == "RESPONSE BY THE PCC TO HMICFRS INSPECTIONS OF CLEVELAND POLICE"
    i = next(n for n, r in enumerate(rows) if r[0] == "Type of inspection")
    assert rows[i][2:4] + rows[i + 1][2:4] + rows[i + 2][2:4] == [
        "☐ Cleveland Police specific", "☒ National", "☐ Follow up", "☒ Thematic",
        "☐ Partner inspection", None]
    headings = [r[0] for r in rows if str(r[0]).startswith(("Recommendation ", "Area for"))]
    # the report's only area for improvement has no number, as the reference prints it
    assert headings[:10] == [f"Recommendation {n}" for n in range(1, 10)] + ["Area for improvement"]
    assert rows[-1][0] == "☒ Response published on PCC website"     # no marking below it
    ws = openpyxl.load_workbook(published).active
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert (ws.oddHeader.left.text, ws.oddHeader.center.text, ws.oddHeader.right.text) == \
        (None, None, None)
    assert ws.oddFooter.center.text == "Page &P of &N" and ws.oddFooter.left.text is None


def test_actions_stand_for_an_items_response_in_plain_words(published):
    rows = [line(r) for r in sheet_rows(published)]
    i = rows.index("Recommendation 4", rows.index("Action taken or proposed"))
    assert rows[i + 1:i + 3] == ["•  Add a group-based CSE flag to the records management system.",
                                 "•  Train crime recorders to apply the group-based CSE flag."]
    assert "•  Refresh the CSE problem profile with partner data, including an assessment of " \
           "group-based CSE. (completed)" in rows


@pytest.mark.slow
def test_rendered_response_shows_all_text(published, tmp_path):
    proc = run_tool("xlsx-render", published, tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = subprocess.run(["pdftotext", str(tmp_path / (published.stem + ".pdf")), "-"],
                          capture_output=True, text=True).stdout
    flat_text = " ".join(text.split())
    for phrase in ("group-based child sexual exploitation disruption and prevention initiatives",
                   "Operation Makesafe", "Scrutiny, Standards and Accountability Programme",
                   "Response published on PCC website"):
        assert phrase in flat_text, phrase
    assert "###" not in text


@pytest.mark.slow
def test_the_word_document_opens_in_libreoffice_and_repeats(published, tmp_path,
                                                            example_register, runner):
    docx = published.with_suffix(".docx")
    proc = subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                           "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                           str(docx)], capture_output=True, text=True, timeout=180)
    made = tmp_path / (docx.stem + ".pdf")
    assert made.exists(), proc.stderr
    pages = subprocess.run(["pdfinfo", str(made)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595.\d* x 841.\d* pts \(A4\)", pages), pages
    text = " ".join(subprocess.run(["pdftotext", str(made), "-"], capture_output=True,
                                   text=True).stdout.split())
    assert "Page 1 of" in text and "For office use only".upper() in text
    again = tmp_path / "again.docx"
    r = runner.invoke(cli, ["response", str(example_register), "--inspection", "INS-2023-07",
                            "-o", str(again.with_suffix(".xlsx")), "--as-of", AS_OF, "--docx"])
    assert r.exit_code == 0, r.stderr
    assert sha256(again) == sha256(docx)
    import docx as python_docx

    props = python_docx.Document(str(docx)).core_properties
    assert (props.title, props.subject, props.created.replace(tzinfo=None)) == (
        "PCC response to HMICFRS inspection: An inspection of the effectiveness of the police "
        "and law enforcement bodies' response to group-based child sexual exploitation in "
        "England and Wales", "", dt.datetime(2026, 11, 28))


# ---------------------------------------------------------------- the working copy

@pytest.fixture(scope="module")
def working(tmp_path_factory, example_register):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("work") / "working.xlsx"
    result = CliRunner().invoke(cli, ["response", str(example_register), "--inspection",
                                      "INS-2023-07", "-o", str(out), "--as-of", AS_OF,
                                      "--working"])
    assert result.exit_code == 0, result.stderr
    assert "working copy: not for publication" in result.stdout
    return out


def test_working_copy_adds_owners_rag_and_the_statutory_position(working, example_register):
    rows = sheet_rows(working, "INS-2023-07")
    assert rows[1][0].startswith("WORKING COPY FOR THE OFFICE: NOT FOR PUBLICATION")
    texts = [line(r) for r in rows]
    i = texts.index("Recommendation 4", texts.index("Action taken or proposed"))
    assert texts[i + 1] == ("•  Add a group-based CSE flag to the records management system. "
                            "(owner: Head of Information Systems; due 30/06/2025; in progress)")
    items = roll_up(check(example_register)[0], D(2026, 11, 28)).items.set_index("item_id")
    statuses = [t for t in texts if str(t).startswith("Status: ")]
    assert statuses[1].startswith(f"Status: {items.at['INS-2023-07-R4', 'status']} "
                                  f"({items.at['INS-2023-07-R4', 'rag']})")
    fields = {r[0]: r[2] for r in rows if r[2] is not None}
    assert fields["Last day to publish"] == "day 56: 1 February 2024"
    assert fields["Days left or late"] == "published 31/01/2024"
    assert fields["Chief constable's comments received"] == "15 January 2024"
    assert fields["☒ Response forwarded to Home Office"] == "30 January 2024"
    assert fields["Inspection ID (not published)"] == "INS-2023-07"
    assert rows[-1][0] == "OFFICIAL-SENSITIVE"
    ws = openpyxl.load_workbook(working).active
    assert "OFFICIAL-SENSITIVE" in ws.oddHeader.left.text
    assert ws.oddHeader.right.text == "Working copy, as at 28/11/2026"
    assert ws.oddFooter.right.text == "Working copy: INS-2023-07"


# ---------------------------------------------------------------- from the register

def _register(tmp_path, inspection=None, items=None, extra=None, settings=None, drop=()):
    data = base_data()
    data["inspections"][0].update(inspection or {})
    for n, changes in (items or {}).items():
        data["items"][n].update(changes)
    for n in sorted(drop, reverse=True):
        del data["actions"][n]
    data["settings"].update(settings or {})
    return write_register(tmp_path / "register.xlsx", data, extra=extra)


def _respond(runner, reg, *args, as_of="2024-02-20"):
    out = reg.with_name("resp.xlsx")
    r = runner.invoke(cli, ["response", str(reg), "--inspection", "INS-1", "-o", str(out),
                            "--as-of", as_of, *args])
    return r, out


def test_a_new_report_without_plenary_or_comments_is_written_and_says_what_is_missing(
        tmp_path, runner):
    reg = _register(tmp_path)           # no plenary, no PCC comment, no chief constable's
    r, out = _respond(runner, reg, "--docx")
    assert r.exit_code == 0, r.stderr
    text = xlsx_text(out)
    assert "A plenary session with the Executive Lead and relevant stakeholders will be held" in text
    assert "was held on" not in text
    assert "[To be added: the PCC's comment on the report" in text
    assert "Comments of the chief constable" not in text
    assert ("warning: the response for INS-1 is not ready to publish: no PCC comment (marked "
            "'To be added' in it)") in r.stderr
    assert "[To be added: the PCC's comment" in docx_text(out.with_suffix(".docx"))


def test_whether_the_force_is_quoted_not_said_is_a_gap_not_two_empty_boxes(tmp_path,
                                                                          runner):
    """Force quoted blank printed '☐ Yes ☐ No' (in HTML read out as 'none recorded') and
    the not-ready warning did not name it: a gap to fill like any other."""
    reg = _register(tmp_path, {"Force quoted": None, "PCC comment": "Welcome."})
    r, out = _respond(runner, reg, "--docx")
    assert r.exit_code == 0, r.stderr
    assert "[To be added: Yes or No (Force quoted on the register).]" in xlsx_text(out)
    assert "[To be added: Yes or No" in docx_text(out.with_suffix(".docx"))
    assert "not ready to publish: not said whether the force is quoted" in r.stderr
    (tmp_path / "b").mkdir()
    done, _ = _respond(runner, _register(tmp_path / "b", {"Force quoted": "Yes",
                                                          "PCC comment": "Welcome."}))
    assert "not said whether" not in done.stderr


def test_a_plenary_is_said_once_held_by_the_day_of_the_response(tmp_path, runner):
    reg = _register(tmp_path, {"Plenary session": D(2024, 2, 1), "PCC comment": "Welcome."})
    r, out = _respond(runner, reg)
    assert r.exit_code == 0, r.stderr
    assert "A plenary session with the Executive Lead and relevant stakeholders was held on " \
           "1 February 2024" in xlsx_text(out)
    # a plenary after the response went out had not happened when it was written
    reg = _register(tmp_path, {"Plenary session": D(2024, 2, 1), "PCC comment": "Welcome.",
                               "Response sent to Home Office and HMICFRS": D(2024, 1, 30)})
    r, out = _respond(runner, reg)
    assert "will be held" in xlsx_text(out) and "was held on" not in xlsx_text(out)


def test_the_words_the_office_writes_go_in(tmp_path, runner):
    extra = {"inspections": {"Force response": ["The force has set up a custody board.\n"
                                                "- It meets monthly"],
                             "Chief constable's comments": ["I accept the findings."],
                             "PCC response to the chief constable": ["I welcome the chief "
                                                                     "constable's response."]},
             "items": {"Response": ["A custody review is under way.", "", ""]}}
    reg = _register(tmp_path, {"PCC comment": "Welcome.", "PCC monitoring": "Quarterly."},
                    extra=extra)
    r, out = _respond(runner, reg, "--docx")
    assert r.exit_code == 0, r.stderr
    expected = ["for forces:", "The force has set up a custody board.", "It meets monthly",
                "Action taken or proposed", "Recommendation 1", "A custody review is under way.",
                "Comment by the PCC:", "Welcome.", "Quarterly.",
                "Comments of the chief constable:", "I accept the findings.",
                "The PCC's response to the chief constable's comments:",
                "I welcome the chief constable's response."]
    for text in (xlsx_text(out), docx_text(out.with_suffix(".docx"))):
        assert in_order(text, expected) == []
        # the item's Response stands for its actions; AFI 1, with none, lists its action
        assert "Review the custody policy" not in text
        assert in_order(text, ["A custody review is under way.", "Area for improvement",
                               "Audit welfare checks.", "Comment by the PCC:"]) == []


def test_an_item_with_nothing_to_say_is_marked_and_warned(tmp_path, runner):
    reg = _register(tmp_path, {"PCC comment": "Welcome."}, drop=[2])   # AFI 1: no action
    _, report = check(reg)
    assert [(p.code, p.where) for p in report.problems] == [("NO_ACTIONS", "Items!M4")]
    r, out = _respond(runner, reg, "--working")
    assert r.exit_code == 0, r.stderr
    assert "nothing on what is being done about Area for improvement" in r.stderr
    ws = openpyxl.load_workbook(out).active
    gap = [c for row in ws.iter_rows() for c in row if str(c.value).startswith("[To be added: what")]
    assert len(gap) == 1 and gap[0].fill.fgColor.rgb.endswith("FFC7CE")
    rows = sheet_rows(out)
    assert [r[2] for r in rows if r[0] == "Days left or late"] == ["14 days left"]   # day 56: 5 Mar 2024
    assert [r[2] for r in rows if str(r[0]).startswith("☐ Response forwarded")] == ["not yet"]
    # the published copy has the same placeholder, plain
    r, out = _respond(runner, reg)
    assert "[To be added: what the force has done or will do about this" in xlsx_text(out)
    assert not any(c.fill.fgColor.rgb.endswith("FFC7CE")
                   for row in openpyxl.load_workbook(out).active.iter_rows() for c in row
                   if c.fill and c.fill.fgColor and isinstance(c.fill.fgColor.rgb, str))


def test_a_register_holding_only_some_of_a_reports_items_does_not_miscount_them(tmp_path,
                                                                              runner):
    """An office that registered AFI 7 alone (and recommendations 1 and 2): the response
    must not say 'HMICFRS ... identified one area for improvement', nor call it the
    report's only one ('Area for improvement' with no number)."""
    reg = _register(tmp_path, {"PCC comment": "Welcome."},
                    items={2: {"Number": "7"}})
    r, out = _respond(runner, reg, "--docx")
    assert r.exit_code == 0, r.stderr
    for text in (xlsx_text(out), docx_text(out.with_suffix(".docx"))):
        assert "Area for improvement 7" in text
        assert "identified one area for improvement" not in text
        assert "[To be added: how many recommendations and areas for improvement HMICFRS " \
               "made (the register holds Area for improvement 7 but not areas for " \
               "improvement 1 to 6).]" in text
    assert "the register holds Area for improvement 7 but not areas for improvement 1 to 6, " \
           "so how many HMICFRS made is not known" in r.stderr
    # numbered from 1 with none skipped: counted, and a lone one is named as the report does
    r, out = _respond(runner, _register(tmp_path, {"PCC comment": "Welcome."}))
    text = xlsx_text(out)
    assert "HMICFRS made two recommendations and identified one area for improvement." in text
    assert "Area for improvement 1" not in text and "not ready" not in r.stderr


def test_numbering_gaps_are_counted_per_kind_not_per_cause_of_concern():
    import pandas as pd

    from gain_workbook.response.document import numbering_gaps

    def gaps(rows):
        return numbering_gaps(pd.DataFrame(rows, columns=["kind", "number"]))

    R, A = "Recommendation", "Area for improvement"
    # numbered afresh under each cause of concern, or throughout: no gap either way
    assert gaps([(R, "1"), (R, "2"), (R, "1")]) == []
    assert gaps([(R, "1"), (R, "2"), (R, "3"), (A, "1")]) == []
    assert gaps([(R, "1"), (R, "2"), (R, "5"), (R, "9"), (R, "10"), (R, "11"), (A, "3")]) == [
        "Recommendations 1, 2, 5 and 9 to 11 but not recommendations 3, 4 and 6 to 8",
        "Area for improvement 3 but not areas for improvement 1 and 2"]
    assert gaps([(R, "7a"), (R, "")]) == []        # numbers it cannot count are not guessed


def test_response_marking_is_its_own_setting(tmp_path, runner):
    reg = _register(tmp_path, {"PCC comment": "Welcome."},
                    settings={"Protective marking": "OFFICIAL-SENSITIVE",
                              "Response marking": "OFFICIAL"})
    r, out = _respond(runner, reg, "--docx")
    assert r.exit_code == 0, r.stderr
    ws = openpyxl.load_workbook(out).active
    assert ws.oddHeader.center.text.endswith("OFFICIAL") and sheet_rows(out)[-1][0] == "OFFICIAL"
    for part in (every_part(out), every_part(out.with_suffix(".docx"))):
        assert "OFFICIAL-SENSITIVE" not in part and "<dc:subject>OFFICIAL</dc:subject>" in part


def test_day_56_on_a_bank_holiday_is_warned(tmp_path, runner):
    """DOMAIN: a report published on 31 October has Christmas Day as its last day."""
    reg = _register(tmp_path, {"Published": D(2023, 10, 31), "PCC comment": "Welcome."},
                    items={0: {"Deadline (as written)": None}, 1: {"Deadline (as written)": None}})
    r, out = _respond(runner, reg, "--working", as_of="2023-11-20")
    assert r.exit_code == 0, r.stderr
    assert ("warning: day 56 for INS-1 (25/12/2023) is Christmas Day; publish by 22/12/2023."
            in r.stderr)
    fields = {row[0]: row[2] for row in sheet_rows(out) if row[2] is not None}
    assert fields["Last day to publish"] == "day 56: 25 December 2023"
    assert fields["Not a working day"] == "Day 56 is Christmas Day: publish by 22 December 2023"
    # a working day 56 (Thursday 21 December) is not warned about
    reg = _register(tmp_path, {"Published": D(2023, 10, 27), "PCC comment": "Welcome."},
                    items={0: {"Deadline (as written)": None}, 1: {"Deadline (as written)": None}})
    r, out = _respond(runner, reg, "--working", as_of="2023-11-20")
    assert r.exit_code == 0 and "day 56" not in r.stderr, r.stderr
    assert "Not a working day" not in [row[0] for row in sheet_rows(out)]


def test_an_item_answered_in_words_needs_nothing_more_for_the_response(tmp_path):
    """NO_RESPONSE: an item for the force that HMICFRS has closed, with no actions."""
    extra = {"items": {"Response": ["", "", "Checks are already audited monthly."]}}
    reg = _register(tmp_path, items={2: {"HMICFRS status": "Closed – complete"}}, drop=[2],
                    extra=extra)
    assert [p.code for p in check(reg)[1].problems] == []
    reg = _register(tmp_path, items={2: {"HMICFRS status": "Closed – complete"}}, drop=[2])
    assert [p.code for p in check(reg)[1].problems] == ["NO_RESPONSE"]
    # once the response has gone, there is nothing left to warn about
    reg = _register(tmp_path, {"Response sent to Home Office and HMICFRS": D(2024, 2, 1)},
                    items={2: {"HMICFRS status": "Closed – complete"}}, drop=[2])
    assert [p.code for p in check(reg)[1].problems] == []


def test_template_conditions_and_clear_errors(tmp_path, runner):
    reg = _register(tmp_path, {"PCC comment": "Welcome."})
    tpl = tmp_path / "process.txt"
    tpl.write_text("# a note for whoever edits this\nOur {board} met about {title}.\n\n"
                   "[if executive_lead] {executive_lead} leads.\n\n"
                   "[if no plenary_date] No plenary yet.\n\n[if plenary_date] Plenary "
                   "{plenary_date}.", encoding="utf-8")
    r, out = _respond(runner, reg, "--template", str(tpl))
    assert r.exit_code == 0, r.stderr
    text = xlsx_text(out)
    assert "Our GAIN Board met about An inspection of custody. ACC Ops leads. No plenary yet." \
        in text and "a note" not in text and "Plenary " not in text
    tpl.write_text("A plenary was held on {plenary_date}.", encoding="utf-8")
    out.unlink()
    r, out = _respond(runner, reg, "--template", str(tpl))
    assert r.exit_code == 2 and not out.exists()
    assert ("needs {plenary_date} (the inspection's Plenary session date, if it was held by the "
            "day of the response), which is empty" in r.stderr)
    assert "start its paragraph with [if plenary_date]" in r.stderr
    for bad, words in (("{unknown_thing}", "{unknown_thing}, which gain-pack does not know"),
                       ("[if wibble] x", "[if wibble], which gain-pack does not know")):
        tpl.write_text(bad, encoding="utf-8")
        r, _ = _respond(runner, reg, "--template", str(tpl))
        assert r.exit_code == 2 and words in r.stderr, r.stderr


def test_the_response_template_setting_names_a_file_beside_the_register(tmp_path, runner):
    (tmp_path / "our process.txt").write_text("Our own words for {force}.", encoding="utf-8")
    reg = _register(tmp_path, {"PCC comment": "Welcome."},
                    settings={"Response template": "our process.txt"})
    r, out = _respond(runner, reg)
    assert r.exit_code == 0, r.stderr
    assert "Our own words for Example Police." in xlsx_text(out)
    (tmp_path / "our process.txt").unlink()
    r, _ = _respond(runner, reg)
    assert r.exit_code == 2
    assert "names the response template 'our process.txt', which is not there" in r.stderr


@pytest.mark.slow
def test_all_and_open(tmp_path, runner):
    data = base_data()
    data["inspections"][0].update({"Plenary session": dt.date(2024, 2, 1),
                                   "Response published": dt.date(2024, 3, 1)})
    data["inspections"].append({"Inspection ID": "INS/2", "Title": "PEEL 2025",
                                "Published": dt.date(2025, 3, 1), "Type": "PEEL", "Executive lead": "DCC",
                                "Plenary session": dt.date(2025, 4, 1)})
    data["inspections"].append({"Inspection ID": "SC-3", "Title": "A super-complaint",
                                "Published": dt.date(2025, 3, 2), "Type": "National"})
    extra = {"inspections": {"Response required": ["Yes", "Yes", "No"]}}
    reg = write_register(tmp_path / "r.xlsx", data, extra=extra)
    result = runner.invoke(cli, ["response", str(reg), "--all", "--as-of", "2025-03-10"])
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(tmp_path / "PCC responses.xlsx")
    assert wb.sheetnames == ["Response 2 Mar 2025", "Response 1 Mar 2025", "Response 10 Jan 2024"]
    # in Word: one document, each response from a new page, newest report first
    result = runner.invoke(cli, ["response", str(reg), "--all", "--as-of", "2025-03-10",
                                 "--docx", "-o", str(tmp_path / "all.xlsx")])
    assert result.exit_code == 0, result.stderr
    text = docx_text(tmp_path / "all.docx")
    assert in_order(text, ["A super-complaint", "PEEL 2025", "An inspection of custody"]) == []
    body = zipfile.ZipFile(tmp_path / "all.docx").read("word/document.xml").decode()
    assert body.count('<w:br w:type="page"/>') == 2 and body.count("<w:sectPr") == 1
    result = runner.invoke(cli, ["response", str(reg), "--open", "--working", "-o",
                                 str(tmp_path / "o.xlsx"), "--as-of", "2025-03-10"])
    assert result.exit_code == 0
    assert openpyxl.load_workbook(tmp_path / "o.xlsx").sheetnames == ["INS-2"]  # not SC-3
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
    extra = {"items": {"Response": ['{ HYPERLINK "http://evil.example" }', "", ""]}}
    reg = write_register(tmp_path / "r.xlsx", data, extra=extra)
    before = sha256(reg)
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for out in (a, b):
        result = runner.invoke(cli, ["response", str(reg), "--inspection", "INS-1", "-o", str(out),
                                     "--as-of", AS_OF, "--docx"])
        assert result.exit_code == 0, result.stderr
    assert sha256(a) == sha256(b) and sha256(reg) == before
    assert sha256(a.with_suffix(".docx")) == sha256(b.with_suffix(".docx"))
    ws = openpyxl.load_workbook(a).active
    texts = [c for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    hits = [c for c in texts if c.value.startswith(("=HYPERLINK", "+1+1", "@SUM"))]
    # the item's text twice: under Recommendations, and as a bullet of the items for forces
    assert len(hits) == 4 and all(c.data_type == "s" and c.hyperlink is None for c in hits)
    body = zipfile.ZipFile(a.with_suffix(".docx")).read("word/document.xml").decode()
    assert "=HYPERLINK(" in body and "HYPERLINK &quot;http://evil.example&quot;" not in body
    assert "<w:hyperlink" not in body and "w:instrText" not in body
    # our only fields are the page numbers in the footer
    footer = zipfile.ZipFile(a.with_suffix(".docx")).read("word/footer1.xml").decode()
    assert re.findall(r'w:instr="([^"]+)"', body + footer) == ["PAGE", "NUMPAGES"]


@pytest.mark.slow
def test_pdf_for_the_website(tmp_path, runner):
    reg = _register(tmp_path, {"PCC comment": "Welcome."})
    r, out = _respond(runner, reg, "--pdf")
    assert r.exit_code == 0, r.stderr
    assert out.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"


def test_pdf_without_libreoffice_says_how_to_install(tmp_path, runner, monkeypatch):
    """PATH without LibreOffice: a real lookup that finds nothing, not a mock."""
    reg = _register(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = runner.invoke(cli, ["response", str(reg), "--inspection", "INS-1", "--pdf",
                                 "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert "A PDF needs LibreOffice, which is not installed" in result.stderr
    assert "apt-get install libreoffice-calc-nogui" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_an_output_named_for_another_format_is_refused(tmp_path, runner):
    """-o out.docx with --docx would write the workbook there and then the document over it."""
    reg = _register(tmp_path, {"PCC comment": "Welcome."})
    for args in (["response", str(reg), "--inspection", "INS-1", "-o", str(tmp_path / "out.docx"),
                  "--docx"],
                 ["build", str(reg), "-o", str(tmp_path / "pack.csv")]):
        r = runner.invoke(cli, args)
        assert r.exit_code == 2, r.stderr
        assert "is not a name for a workbook; give it the ending .xlsx" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.xlsx"]


# ---------------------------------------------------------------- a LibreOffice that hangs

HANGING_SOFFICE = """#!/bin/sh
# a LibreOffice that never returns, and starts a child that never returns either
echo $$ >> '{pids}'
sleep 100000 &
echo $! >> '{pids}'
wait
"""


def _hanging_soffice(tmp_path):
    """A folder holding a fake soffice that hangs (and a file it writes its two pids to)."""
    import os

    bin_dir, pids = tmp_path / "bin", tmp_path / "soffice.pids"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text(HANGING_SOFFICE.format(pids=pids))
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    return env, pids


def _pids_of(pids_file, count: int = 2, wait: float = 60) -> list[int]:
    import time

    end = time.monotonic() + wait
    while time.monotonic() < end:
        if pids_file.exists() and len(pids_file.read_text().split()) >= count:
            return [int(p) for p in pids_file.read_text().split()]
        time.sleep(0.05)
    raise AssertionError(f"the fake soffice did not start: {pids_file}")


def _ended(pid: int, wait: float = 30) -> bool:
    """The process is gone, or dead and waiting to be reaped (a zombie runs nothing)."""
    import time

    end = time.monotonic() + wait
    while time.monotonic() < end:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def test_a_stop_signal_while_a_child_starts_is_acted_on_once_it_has():
    """SIGTERM landing while LibreOffice is being started (its pid not yet returned)
    once left it running, orphaned, on a busy machine: core.stop.held() keeps the
    signal until the start returns, then stops the run where the cleanup sees the child."""
    import sys

    code = (
        "import os, signal\n"
        "from gain_workbook.core import stop\n"
        "stop.catch_signals()\n"
        "with stop.running():\n"
        "    try:\n"
        "        with stop.held():\n"
        "            os.kill(os.getpid(), signal.SIGTERM)\n"
        "            print('held', flush=True)\n"
        "        print('not stopped', flush=True)\n"
        "    except KeyboardInterrupt as e:\n"
        "        print('stopped', e.signum, flush=True)\n"
        "    try:\n"
        "        os.kill(os.getpid(), signal.SIGTERM)\n"   # after it: ignored, as after any stop
        "        print('after', flush=True)\n"
        "    except KeyboardInterrupt:\n"
        "        print('stopped twice', flush=True)\n")
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert got.stdout.split("\n")[:3] == ["held", f"stopped {signal.SIGTERM.value}", "after"], \
        got.stdout + got.stderr


@pytest.mark.parametrize("how", ["time limit", "SIGTERM"])
def test_a_hanging_libreoffice_is_stopped_with_everything_it_started(tmp_path, how):
    """At the Settings sheet's time limit (or when the run itself is stopped) LibreOffice
    and its child are ended, the message is one sentence naming LibreOffice and the
    limit, and nothing is written: an older response of that name is left as it was."""
    import os
    import signal
    import sys
    import time

    env, pids_file = _hanging_soffice(tmp_path)
    limit = 2 if how == "time limit" else 3600
    reg = _register(tmp_path, {"PCC comment": "Welcome."},
                    settings={"LibreOffice time limit (seconds)": limit})
    out = tmp_path / "resp.xlsx"
    out.write_bytes(b"last month's response")
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "gain_workbook", "response", str(reg),
                             "--inspection", "INS-1", "-o", str(out), "--pdf", "--docx",
                             "--as-of", "2024-02-20"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    pids = _pids_of(pids_file)
    if how == "SIGTERM":
        proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=120)
    assert time.monotonic() - start < 100
    assert all(_ended(p) for p in pids), [Path(f"/proc/{p}/stat").read_text() for p in pids
                                          if Path(f"/proc/{p}/stat").exists()]
    lines = [ln for ln in stderr.splitlines() if ln.strip() and "read as" not in ln]
    assert "Traceback" not in stderr and len(lines) == 1, stderr
    if how == "time limit":
        assert proc.returncode == 2, stderr
        assert lines[0] == ("gain-pack: LibreOffice did not finish the PDF within 2 seconds (the "
                            "'LibreOffice time limit (seconds)' setting), so it was stopped; "
                            "nothing was written.")
    else:
        assert proc.returncode == 128 + signal.SIGTERM, stderr
    assert out.read_bytes() == b"last month's response"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bin", "register.xlsx", "resp.xlsx", "soffice.pids", "tmp"]
    assert os.listdir(tmp_path / "tmp") == []        # LibreOffice's profile and copy too


def test_the_libreoffice_time_limit_is_a_setting_with_a_default(tmp_path):
    from gain_workbook.register.reader import read_register
    from gain_workbook.model.settings import SETTING_OF

    assert SETTING_OF["libreoffice_seconds"].default == 120
    assert read_register(_register(tmp_path)).settings.libreoffice_seconds == 120
    for bad in (0, -5, 10**12, 1.5, "soon", True):
        reg = read_register(_register(tmp_path, settings={
            "LibreOffice time limit (seconds)": bad}))
        assert reg.settings.libreoffice_seconds == 120
        problem, = [p for p in reg.problems if p.code == "BAD_SETTING"]
        assert "a whole number of seconds from 1 to 86,400" in problem.message


# ---------------------------------------------------------------- written again

def _edit(path):
    """Change an output as the office would in Word, Excel or an editor."""
    if path.suffix == ".docx":
        import docx

        d = docx.Document(str(path))
        d.add_paragraph("The PCC's final words, typed in Word.")
        d.save(str(path))
    elif path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path)
        wb.active["A1"] = "Typed in Excel."
        wb.save(path)
    else:
        path.write_text(path.read_text(encoding="utf-8").replace("</body>", "<p>Typed.</p></body>"),
                        encoding="utf-8")


@pytest.mark.parametrize("edited", [(".docx",), (".xlsx",), (".html",), (".docx", ".xlsx", ".html")])
def test_an_edited_output_is_kept_beside_it_when_the_response_is_written_again(
        tmp_path, runner, edited):
    reg = _register(tmp_path, {"PCC comment": "Welcome."})
    r, out = _respond(runner, reg, "--docx", "--html")
    assert r.exit_code == 0, r.stderr
    fresh = {s: out.with_suffix(s).read_bytes() for s in (".xlsx", ".docx", ".html")}
    for suffix in edited:
        _edit(out.with_suffix(suffix))
    typed = {s: out.with_suffix(s).read_bytes() for s in edited}
    r, _ = _respond(runner, reg, "--docx", "--html")
    assert r.exit_code == 0, r.stderr
    kept = sorted(p for p in tmp_path.iterdir() if "(before response " in p.name)
    assert sorted(p.suffix for p in kept) == sorted(edited)
    for backup in kept:
        assert backup.read_bytes() == typed[backup.suffix]      # the edit survives
        assert (f"{out.with_suffix(backup.suffix).name}: kept the previous version as "
                f"{backup.name}") in r.stdout
    for suffix, data in fresh.items():                          # and the new one is written
        assert out.with_suffix(suffix).read_bytes() == data
    if ".docx" in edited:
        backup = next(p for p in kept if p.suffix == ".docx")
        assert "The PCC's final words, typed in Word." in docx_text(backup)
    # written again with nothing changed: nothing kept, nothing said
    r, _ = _respond(runner, reg, "--docx", "--html")
    assert r.exit_code == 0, r.stderr
    assert sorted(p for p in tmp_path.iterdir() if "(before response " in p.name) == kept
    assert "kept the previous version" not in r.stdout


def test_a_backup_of_a_response_never_replaces_a_file(tmp_path):
    from gain_workbook import api
    from gain_workbook.model.history import backup_name, is_backup

    reg = _register(tmp_path, {"PCC comment": "Welcome."})
    out = tmp_path / "resp.xlsx"
    now = dt.datetime(2024, 2, 20, 10, 15)
    api.response(reg, inspection_id="INS-1", output=out, docx=True, as_of=D(2024, 2, 20), now=now)
    _edit(out.with_suffix(".docx"))
    typed = out.with_suffix(".docx").read_bytes()
    taken = tmp_path / backup_name(out.with_suffix(".docx"), now, "response")
    taken.write_bytes(b"someone else's file")
    res = api.response(reg, inspection_id="INS-1", output=out, docx=True, as_of=D(2024, 2, 20),
                       now=now)
    second = tmp_path / backup_name(out.with_suffix(".docx"), now, "response", 2)
    assert res.kept == [(out.with_suffix(".docx"), second)]
    assert taken.read_bytes() == b"someone else's file"
    assert second.read_bytes() == typed and is_backup(second.name)


@pytest.mark.slow
def test_a_pdf_made_again_from_the_same_register_keeps_nothing(tmp_path, runner):
    reg = _register(tmp_path, {"PCC comment": "Welcome."})
    r, out = _respond(runner, reg, "--pdf")
    assert r.exit_code == 0, r.stderr
    first = out.with_suffix(".pdf").read_bytes()
    r, _ = _respond(runner, reg, "--pdf")       # LibreOffice stamps a new time and /ID
    assert r.exit_code == 0, r.stderr
    second = out.with_suffix(".pdf").read_bytes()
    assert second != first                      # else this test proves nothing
    assert [p.name for p in tmp_path.iterdir() if "(before response " in p.name] == []
    assert "kept the previous version" not in r.stdout
    # a changed response makes a changed PDF, and the previous one is kept
    reg = _register(tmp_path, {"PCC comment": "Welcome, with thanks."})
    r, _ = _respond(runner, reg, "--pdf")
    kept = [p for p in tmp_path.iterdir() if "(before response " in p.name]
    assert sorted(p.suffix for p in kept) == [".pdf", ".xlsx"]
    assert next(p for p in kept if p.suffix == ".pdf").read_bytes() == second


def test_open_with_no_response_waiting_is_a_note_not_an_error(runner, tmp_path,
                                                             example_register):
    """A new user's trial: the README's response step, on the example register (every
    response sent), exited 2 as if something were wrong. Nothing waiting is said in a
    note, exit 0, nothing written; --inspection and --all are unchanged."""
    out = tmp_path / "responses.xlsx"
    r = runner.invoke(cli, ["response", str(example_register), "--open", "--docx", "-o",
                            str(out), "--as-of", "2026-11-28"])
    assert r.exit_code == 0, r.output
    assert "gain-pack: note: no inspection is waiting for its response (every one has been " \
        "sent or published, or needs none), so nothing was written." in r.stderr
    assert list(tmp_path.iterdir()) == [] and "Wrote" not in r.stdout


def test_a_title_longer_than_words_core_properties_hold(runner, tmp_path):
    """A report's title of 300 characters: the Word document's title property holds 255,
    so it is cut there (it was a crash, exit 70); the document's heading keeps it whole."""
    import docx

    data = base_data()
    data["inspections"][0]["Title"] = "An inspection of custody " + "and its records " * 17
    reg = write_register(tmp_path / "long.xlsx", data)
    out = tmp_path / "response.xlsx"
    result = runner.invoke(cli, ["response", str(reg), "--all", "--as-of", "2025-03-10",
                                 "--docx", "-o", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    doc = docx.Document(str(out.with_suffix(".docx")))
    assert len(doc.core_properties.title) <= 255
    texts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows
                                                 for c in r.cells]
    assert any(data["inspections"][0]["Title"].strip() in t for t in texts)
