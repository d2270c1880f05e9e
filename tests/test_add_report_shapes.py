"""add-report on the shapes reports give their items in without a label on each (issue 31).

Each shape is generated (hypothesis), so the reader is held to the family and not to the
one real text of each kind in tests/data/reports:

- a **numbered list** ('1.' ... 'n.') under a heading that says recommendations, with
  headings between its entries, lettered sub-items, lines that carry an entry's list on,
  a quotation running on inside an entry, and narrative after it;
- **lead-ins with bullets** under causes of concern ('<force> should, within three
  months:', 'Recommendation:' over one, 'To address this cause of concern, HMIC
  recommends that:'): each bullet an item, carrying the lead-in's addressee and deadline;
- **unlabelled paragraphs among narrative**: recommendations as plain paragraphs under a
  heading, under the report's title or after 'HMIC recommends that:', numbered in order
  and marked To check unless the text states a count that matches, and 'Forces should
  ...' in the narrative chapters listed as not placed, never an item.

The long real text (the Leveson Inquiry's 92 recommendations) is read end to end, by
the command, dry run and --apply, in well under 5 seconds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import subprocess
import sys
import time

import openpyxl
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from gain_workbook.newreport.items import find_items
from gain_workbook.newreport.source import lines_to_blocks

REPORTS = ROOT / "tests" / "data" / "reports"
LEVESON = REPORTS / "leveson-2012 part l numbered recommendations.txt"

VERBS = ("review", "improve", "publish", "audit", "evaluate", "strengthen", "set out",
         "monitor")
# what items are about, and (apart, so no item's words start a narrative sentence's) what
# the narrative says forces should do
ITEM_OBJECTS = ("how it records crime", "its vetting backlog", "the use of stop and search",
                "call handling in its control room", "the supervision of investigations",
                "its custody policy", "the training of call handlers",
                "how victims are kept updated", "its use of force data",
                "the quality of risk assessments", "its plan for domestic abuse",
                "the way it grades calls")
NARRATIVE_OBJECTS = ("the lessons of this chapter", "what other services have found",
                     "the views of their partners", "the cost of their systems")
BODIES = ("all chief constables", "chief constables", "forces", "all forces",
          "the College of Policing", "the Home Office", "the National Police Chiefs' Council")
OTHER_SUBJECTS = ("Funding for the system", "The appointment panel", "The standards code",
                  "Decisions on complaints", "A new regulatory body", "The recognition body")
NARRATIVE = ("We visited {n} forces during the inspection.",
             "The force told us that demand had risen by {n} percent since 2019.",
             "In our survey, {n} victims said they were satisfied with the service.",
             "Officers we spoke to described a heavy workload in {n} teams.",
             "This chapter sets out what we found in the {n} files we reviewed.")
HEADINGS = ("Preventive policing", "Police attendance", "Complaints",
            "Powers, remedies and sanctions", "Independence: funding",
            "Freeing up police time", "Leadership and culture")
SECTIONS = ("Recommendations", "Summary of recommendations",
            "PART K SUMMARY OF RECOMMENDATIONS", "Recommendations to forces",
            "List of recommendations", "Our recommendations",
            # one body's only one, under its own heading (a trial lost two items so)
            "Recommendation to the Home Office")
CHAPTERS = ("Findings", "What we found", "Chapter 3: Our findings", "About this inspection")
FORCES = ("Kent Police", "West Mercia Police", "Devon and Cornwall Police", "Cumbria Constabulary")
PUBLISHED = dt.date(2026, 3, 12)


def predicates(pool=ITEM_OBJECTS):
    """Distinct things to do ('review its custody policy')."""
    return st.tuples(st.sampled_from(VERBS), st.sampled_from(pool)).map(" ".join)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def add_months(day: dt.date, n: int) -> dt.date:
    """The register's rule for 'within n months', worked out here by hand."""
    month = day.month - 1 + n
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def narrative(draw, at_least: int = 1) -> list[str]:
    """Paragraphs of a report's narrative (none of them reads like an item)."""
    return [draw(st.sampled_from(NARRATIVE)).format(n=draw(st.integers(2, 90)))
            for _ in range(draw(st.integers(at_least, 3)))]


def read(text: str, force: str = "", published: dt.date | None = PUBLISHED):
    return find_items(lines_to_blocks(text.splitlines()), force, published=published)


# ---------------------------------------------------------------- a numbered list

@st.composite
def numbered_lists(draw):
    """(text, [(number, first line, [its other lines])], [narrative that reads like an item])."""
    count = draw(st.integers(1, 30))
    things = draw(st.lists(predicates(), min_size=count, max_size=count, unique=True))
    lines = ["An inquiry into the culture of policing 2026", ""] + \
        [p for para in narrative(draw) for p in (para, "")] + [draw(st.sampled_from(SECTIONS)), ""]
    expected = []
    mark = draw(st.sampled_from(("{}.", "{})")))
    for n, thing in enumerate(things, 1):
        if n > 1 and draw(st.integers(0, 3)) == 0:      # a heading between entries
            lines += [draw(st.sampled_from(HEADINGS)), ""]
        subject = draw(st.sampled_from(BODIES + OTHER_SUBJECTS))
        modal = draw(st.sampled_from(("should", "must")))
        shape = draw(st.sampled_from(("plain", "lettered", "lines", "quotation")))
        rest: list[str] = []
        if shape == "plain":
            first = f"{capital(subject)} {modal} {thing}."
        elif shape == "quotation":
            first = f"{capital(subject)} {modal} {thing} as good practice. This is"
            rest = ["“Officers should ask whether there is a policing purpose for doing so.”"]
        else:
            first = f"{capital(subject)} {modal} {thing} so that:"
            k = draw(st.integers(1, 5))
            words = [f"the {w} part of the work is done in the open" for w in
                     ("first", "second", "third", "fourth", "fifth")[:k]]
            ends = [";"] * (k - 1) + ["."]
            if shape == "lettered":
                letters = draw(st.sampled_from(("({})", "{})")))
                rest = [f"{letters.format('abcde'[j])} {w}{e}" for j, (w, e) in
                        enumerate(zip(words, ends))]
            else:
                rest = [f"{w}{e}" for w, e in zip(words, ends)]
        indent = draw(st.sampled_from(("", "    ")))
        lines += [f"{mark.format(n)} {first}", ""] + \
            [f"{indent}{r}" for r in rest] + ([""] if rest else [])
        expected.append((str(n), first, rest))
    unplaced = []
    for _ in range(draw(st.integers(1, 2))):         # the report's narrative after its list
        chapter = draw(st.sampled_from(CHAPTERS))
        lines += [draw(st.sampled_from(("", "## "))) + chapter, ""]
        lines += [p for para in narrative(draw) for p in (para, "")]
        if draw(st.booleans()):
            said = f"Forces should {draw(predicates(NARRATIVE_OBJECTS))} as well."
            if said not in unplaced:
                unplaced.append(said)
                lines += [said, ""] + [p for para in narrative(draw) for p in (para, "")]
    return "\n".join(lines), expected, unplaced


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(case=numbered_lists())
def test_a_numbered_list_with_headings_and_sub_items(case):
    """Every entry '1.' to 'n.' is an item with the report's number, whatever its grammar;
    the headings between entries are not items and not in any item's text; lettered
    sub-items, the lines that carry an entry's list on and a quotation it introduces stay
    inside it; 'Forces should ...' in the narrative after the list is not an item."""
    text, expected, unplaced = case
    found = read(text)
    got = [(it.number, it.paragraphs[0], it.paragraphs[1:]) for it in found.items]
    assert got == expected
    assert {it.kind for it in found.items} == {"Recommendation"}
    assert found.unplaced == unplaced
    for it in found.items:            # numbered by the report: nothing to check about that
        assert not any("gives it no number" in c for c in it.checks)
        assert not any(h in it.text for h in HEADINGS + CHAPTERS)


# ---------------------------------------------------------------- lead-ins with bullets

LEADS = (("{force} should, within three months:", "{force}", "Within three months", 3),
         ("Within six months, the force should:", "The force", "Within six months", 6),
         ("The force should, by 30 September 2026:", "The force", "By 30 September 2026", None),
         ("{force} should:", "{force}", None, None))


@st.composite
def lead_in_lists(draw):
    """(text, force, [expected item as a dict]) of a report with causes of concern whose
    recommendations are a lead-in's bullets."""
    force = draw(st.sampled_from(FORCES))
    causes = draw(st.integers(1, 3))
    numbered = draw(st.booleans())
    sizes = [draw(st.integers(1, 4)) for _ in range(causes)]
    things = draw(st.lists(predicates(), min_size=sum(sizes) + causes,
                           max_size=sum(sizes) + causes, unique=True))
    lines = [f"Title: PEEL 2025–27 An inspection of {force}",
             f"Published: {PUBLISHED:%d %B %Y}", ""]
    expected = []
    total_recs = sum(sizes)
    for k, size in enumerate(sizes, 1):
        number = str(k) if numbered else ("" if causes == 1 else str(k))
        lines += [f"Cause of concern {k}" if numbered else "Cause of concern", "",
                  f"The force isn't doing enough to {things.pop()}.", ""]
        expected.append({"kind": "Cause of concern", "number": number, "under": None})
        how = draw(st.sampled_from(("Recommendations", "Recommendation:", "recommends")))
        bullet = draw(st.sampled_from(("•", "-", "*")))
        if how == "recommends":
            lines += ["To address this cause of concern, HMIC recommends that:", ""]
            lead, who, when, months = "To address this cause of concern, HMIC recommends " \
                "that:", "The force", "Within three months", 3
        else:
            lead, who, when, months = draw(st.sampled_from(LEADS))
            lead, who = lead.format(force=force), who.format(force=force)
            lines += [how, "", lead, ""]
        for j in range(size):
            thing = things.pop()
            end = "." if j == size - 1 else draw(st.sampled_from((";", "; and")))
            entry = f"the force should, within three months, {thing}{end}" \
                if how == "recommends" else f"{thing}{end}"
            lines.append(f"{bullet} {entry}")
            day = add_months(PUBLISHED, months) if months else \
                (dt.date(2026, 9, 30) if when else None)
            expected.append({"kind": "Recommendation",
                             "number": "" if total_recs == 1 else str(j + 1),
                             "text": f"{lead} {entry}", "addressee": who,
                             "deadline_text": when, "deadline": day,
                             "under": f"Cause of concern {number}".strip()})
        lines += [""] + [p for para in narrative(draw) for p in (para, "")]
    return "\n".join(lines), force, expected


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(case=lead_in_lists())
def test_each_bullet_after_a_lead_in_is_an_item_with_its_addressee_and_deadline(case):
    """'<force> should, within three months:' and bullets: each bullet is a recommendation
    under its cause of concern, for the force, due when the lead-in says; so after an
    unnumbered 'Recommendation:' and after 'HMIC recommends that:' (each bullet then saying
    who and when itself). A report's lone cause of concern, and its lone recommendation,
    keep an empty Number, and their ids stay unique."""
    text, force, expected = case
    found = read(text, force)
    got = []
    for it in found.items:
        d = it.to_dict(found.items)
        keep = {"kind": d["kind"], "number": d["number"], "under": d["under"]}
        if it.kind == "Recommendation":
            keep.update(text=d["text"], addressee=d["addressee"],
                        deadline_text=d["deadline_text"], deadline=it.deadline)
            assert it.applies and not it.checks, it.checks
        got.append(keep)
    assert got == expected
    assert found.unplaced == []


# ---------------------------------------------------------------- unlabelled paragraphs

DEADLINES = ("By 31 March 2027, ", "Within six months, ", "With immediate effect, ",
             "Not later than 30 September 2026, ", "By the end of December 2026, ", "")


@st.composite
def unlabelled_reports(draw):
    """(text, [expected item text], stated count or None, [narrative that reads like an
    item]) of an older report that lists its recommendations as plain paragraphs."""
    count = draw(st.integers(1, 12))
    things = draw(st.lists(predicates(), min_size=count, max_size=count, unique=True))
    place = draw(st.sampled_from(("heading", "title", "lead-in")))
    title = "Crime recording: making the victim count 2014"
    lines = [title, ""]
    stated = draw(st.sampled_from((None, count, count + 1)))
    unplaced = []
    if place != "title":
        lines += [p for para in narrative(draw) for p in (para, "")]
        if stated is not None:
            lines += [f"HMIC made {stated} recommendations in this report.", ""]
        if draw(st.booleans()):          # 'Forces should ...' before the list, in narrative
            said = f"Forces should {draw(predicates(NARRATIVE_OBJECTS))} as well."
            unplaced.append(said)
            lines += [said, ""] + [p for para in narrative(draw) for p in (para, "")]
        lines += [{"heading": draw(st.sampled_from(("", "## "))) + draw(st.sampled_from(
            SECTIONS)), "lead-in": "HMIC recommends that:"}[place], ""]
    expected = []
    for n, thing in enumerate(things):
        if n and place == "heading" and draw(st.integers(0, 3)) == 0:
            lines += [draw(st.sampled_from(HEADINGS)), ""]       # a sub-heading in the list
        deadline = draw(st.sampled_from(DEADLINES))
        subject = draw(st.sampled_from(BODIES))
        sentence = f"{deadline}{subject if deadline else capital(subject)} should {thing}."
        lines += [sentence, ""]
        expected.append(sentence)
    for _ in range(draw(st.integers(1, 2))):         # the narrative chapters
        lines += [draw(st.sampled_from(("", "## "))) + draw(st.sampled_from(CHAPTERS)), ""]
        lines += [p for para in narrative(draw) for p in (para, "")]
        if draw(st.booleans()):
            said = f"Forces should {draw(predicates(NARRATIVE_OBJECTS))} as well."
            if said not in unplaced:
                unplaced.append(said)
                lines += [said, ""] + [p for para in narrative(draw) for p in (para, "")]
    if place == "title" and stated is not None:
        lines += [f"HMIC made {stated} recommendations in this report.", ""]
    return "\n".join(lines), expected, stated, unplaced


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(case=unlabelled_reports())
def test_unlabelled_recommendations_among_narrative(case):
    """Plain paragraphs whose grammar makes them recommendations, under a heading that says
    so, under the report's title or after 'HMIC recommends that:', are its
    recommendations, numbered in order (a lone one left unnumbered) and marked To check,
    unless the text says how many it made and that is how many were found; 'Forces should
    ...' in the narrative is listed as not placed, never an item."""
    text, expected, stated, unplaced = case
    found = read(text)
    assert [it.text for it in found.items] == expected
    assert {it.kind for it in found.items} <= {"Recommendation"}
    lone = len(expected) == 1
    assert [it.number for it in found.items] == \
        ([""] if lone else [str(n) for n in range(1, len(expected) + 1)])
    for it in found.items:
        said = [c for c in it.checks if "gives it no number" in c]
        assert bool(said) == (stated != len(expected)), it.checks
    assert found.unplaced == unplaced


# ---------------------------------------------------------------- single items

@pytest.mark.slow
def test_a_reports_only_item_of_a_kind_is_unnumbered_and_its_id_unique(runner, tmp_path):
    """The report's only area for improvement and its lone cause of concern are printed
    without a number: the Number is left empty. A numbered one ('Area for improvement 1')
    keeps its number; each id is still unique, and counts the item."""
    from gain_workbook.cli import cli
    from gain_workbook.register.template import write_register_template

    register = write_register_template(tmp_path / "Inspection register.xlsx",
                                       force_name="Kent Police")
    source = tmp_path / "report.txt"
    source.write_text("Title: PEEL 2025–27 An inspection of Kent Police\n"
                      "Published: 12 March 2026\n\nCause of concern\n"
                      "The force isn't answering emergency calls quickly enough.\n\n"
                      "Recommendations\n\nWithin three months, the force should:\n"
                      "• review its call handling;\n• train its call handlers.\n\n"
                      "Area for improvement\nThe force should improve how it records crime.\n",
                      encoding="utf-8")
    res = runner.invoke(cli, ["add-report", str(register), str(source), "--apply"])
    assert res.exit_code == 0, res.output
    assert "INS-2026-01-CoC1  Cause of concern\n" in res.stdout
    assert "INS-2026-01-AFI1  Area for improvement\n" in res.stdout
    assert "INS-2026-01-CoC1-R2  Recommendation 2 (under INS-2026-01-CoC1)" in res.stdout
    ws = openpyxl.load_workbook(register)["Items"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, (c.value for c in r))) for r in ws.iter_rows(min_row=2)
            if r[0].value]
    assert [(r["Item ID"], r["Kind"], r["Number"]) for r in rows] == [
        ("INS-2026-01-CoC1", "Cause of concern", None),
        ("INS-2026-01-CoC1-R1", "Recommendation", "1"),
        ("INS-2026-01-CoC1-R2", "Recommendation", "2"),
        ("INS-2026-01-AFI1", "Area for improvement", None)]
    assert not any(r["To check"] for r in rows)
    # labelled with its number, a lone item keeps it
    source.write_text("Title: Another inspection 2026\nPublished: 12 March 2026\n\n"
                      "Area for improvement 1\nThe force should improve how it records crime.\n",
                      encoding="utf-8")
    found = read(source.read_text(encoding="utf-8"))
    assert [(it.kind, it.number) for it in found.items] == [("Area for improvement", "1")]


# ---------------------------------------------------------------- a long report

def _leveson(tmp_path, *extra):
    from gain_workbook.register.template import write_register_template

    register = tmp_path / "Inspection register.xlsx"
    if not register.exists():
        write_register_template(register, force_name="Kent Police")
    expected = json.loads((REPORTS / "expected" / f"{LEVESON.stem}.json").read_text())
    args = [sys.executable, "-m", "gain_workbook", "add-report", str(register), str(LEVESON),
            "--title", expected["title_option"], "--published", expected["published_option"],
            *extra]
    start = time.perf_counter()
    res = subprocess.run(args, capture_output=True, text=True, timeout=120)
    return res, time.perf_counter() - start, register


@pytest.mark.slow
def test_the_long_report_is_read_whole_in_well_under_five_seconds(tmp_path):
    """The Leveson Inquiry's 92 recommendations, by the command as a clerk runs it (a new
    process: Python, the register read, the report read), dry run then --apply: each
    under 5 s on this project's 2-core machine (about 1.5 s and 2 s measured, idle)."""
    res, took, register = _leveson(tmp_path, "--format", "json")
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)
    assert [i["number"] for i in got["items"]] == [str(n) for n in range(1, 93)]
    assert took < 5, f"the dry run took {took:.1f} s"
    before = register.read_bytes()
    res, took, register = _leveson(tmp_path, "--apply")
    assert res.returncode == 0, res.stderr
    assert "Wrote INS-2012-01 and 92 items" in res.stdout + res.stderr
    assert took < 5, f"--apply took {took:.1f} s"
    assert register.read_bytes() != before
    ws = openpyxl.load_workbook(register)["Items"]
    numbers = [r[0].value for r in ws.iter_rows(min_row=2) if r[0].value]
    assert len(numbers) == 92 and numbers[-1] == "INS-2012-01-R92"


def as_web_page(text: str) -> str:
    """The generated text as a saved web page would give it: the numbered entries as an
    <ol>'s <li> (the numbers the browser draws, not in the text), headings as <h2>/<h3>,
    the rest as <p>."""
    import html
    import re

    out, listed = ["<html><body>"], False
    for line in text.splitlines():
        t = line.strip()
        if not t:
            continue
        entry = re.match(r"^\d+[.)] (.*)$", t)
        if entry and not listed:
            out.append("<ol>")
            listed = True
        heading = t.startswith("## ") or t in HEADINGS + SECTIONS + CHAPTERS or \
            t == "An inquiry into the culture of policing 2026"
        if heading and listed:
            out.append("</ol>")
            listed = False
        if entry:
            out.append(f"<li>{html.escape(entry.group(1))}</li>")
        elif heading:
            out.append(f"<h3>{html.escape(t.removeprefix('## '))}</h3>")
        else:
            out.append(f"<p>{html.escape(t)}</p>")
    return "\n".join(out + (["</ol>"] if listed else []) + ["</body></html>"])


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(case=numbered_lists())
def test_a_numbered_list_on_a_web_page_where_the_browser_draws_the_numbers(case):
    """The same lists saved from a web page, where '1.' ... is the <ol>'s and not in the
    text: each <li> under the heading is an item, counted in order over the headings
    between them, with its sub-items, lines and quotation; the narrative after is not."""
    from gain_workbook.newreport.source import _page_blocks

    text, expected, unplaced = case
    found = find_items(_page_blocks(as_web_page(text), "page.html"), published=PUBLISHED)
    got = [(it.number or it.ordinal, it.paragraphs[0], it.paragraphs[1:])
           for it in found.items]
    assert got == expected
    assert found.unplaced == unplaced



@pytest.mark.parametrize("order", [(0, 1, 2, 3), (1, 2, 3, 0), (3, 1, 0, 2)])
def test_a_word_lists_entry_holding_a_list_or_a_paragraph_is_one_item(tmp_path, order):
    """A Word numbered list ('List Number') whose entry holds its own bullets ('List
    Bullet 2'): every later entry was taken for those bullets, three recommendations read
    as one (the Home Office's among the force's); a 'List Continue' paragraph was an item
    of its own (a trial). As on a web page, each entry is one item."""
    import docx

    from gain_workbook.newreport.source import _docx_blocks

    d = docx.Document()
    d.add_paragraph("An inspection of vetting", style="Title")
    d.add_paragraph("Published on: 2 November 2022")
    d.add_heading("Recommendations", level=1)
    entries = [
        [("By 31 October 2023, chief constables should make sure that their vetting units are "
          "adequately resourced.", "List Number")],
        [("By 30 April 2023, the College of Policing should amend its guidance so that it:",
          "List Number"), ("requires forces to record the rationale for vetting decisions; "
                           "and", "List Bullet 2"),
         ("makes clear what checks must be done.", "List Bullet 2")],
        [("By 31 March 2023, the Home Office should change the law so that vetting is "
          "statutory.", "List Number")],
        [("With immediate effect, chief constables should make sure that all staff are vetted "
          "to the correct level.", "List Number"),
         ("This should include those on secondment.", "List Continue")]]
    for i in order:
        for text, style in entries[i]:
            d.add_paragraph(text, style=style)
    d.save(tmp_path / "report.docx")
    found = find_items(_docx_blocks((tmp_path / "report.docx").read_bytes(), "report.docx"),
                       published=PUBLISHED)
    assert [(it.number or it.ordinal, it.paragraphs) for it in found.items] == [
        (str(n), [t for t, _ in entries[i]]) for n, i in enumerate(order, 1)]


@pytest.mark.parametrize("label, kind", [
    ("Rec {n}:", "Recommendation"), ("Rec {n} -", "Recommendation"), ("R{n}:", "Recommendation"),
    ("R {n}.", "Recommendation"), ("AFI{n}:", "Area for improvement"),
    ("Area for improvement (AFI) {n}:", "Area for improvement"),
    ("Recommendation (Rec) {n}:", "Recommendation"), ("CoC {n}:", "Cause of concern")])
def test_an_items_short_label_is_read_as_its_kind_and_number(label, kind):
    """'Rec 1:' and 'R4:' items were lost in silence (nothing under Not placed), 'Rec 2 -'
    counted as item 1 with 'Rec 2 - , chief constables' its addressee, and 'Area for
    improvement (AFI) 2:' lost (a trial): each is the item its label names."""
    words = ["By 31 December 2025, chief constables should review Prevent referrals.",
             "With immediate effect, chief constables should share intelligence.",
             "By 30 June 2025, the Home Office should review funding."]
    text = "An inspection of counter-terrorism policing\n\nPublished on: 10 March 2025\n\n" + \
        "".join(f"{label.format(n=n)} {w}\n\n" for n, w in enumerate(words, 1))
    found = read(text)
    assert [(it.kind, it.number, it.text) for it in found.items] == [
        (kind, str(n), w) for n, w in enumerate(words, 1)]


@pytest.mark.parametrize("first, rest", [
    ("1. Chief constables should make sure that every stalking report is risk assessed by 31 "
     "March", "2025. This should include a check of previous reports."),
    ("1. Chief constables should make sure that every report is reviewed by the end of Sept",
     "2025. This should include a check of previous reports."),
    ("1. By 31 March 2025, chief constables should implement the guidance set out in",
     "Recommendation 3 of our 2017 report, Living in fear, and review every stalking report."),
    ("1. By 31 March 2025, chief constables should act on the",
     "Areas for improvement in our 2023 report on stalking and review every report.")])
def test_a_line_wrapped_before_a_year_or_a_label_goes_on_the_item(first, rest):
    """A PDF's line broken before '2025. This ...' made 'Recommendation 2025' (and the
    report's title) and cut the item; broken before 'Recommendation 3 of our 2017 report'
    it cut the item there, the rest in no item (a trial)."""
    text = (f"An inspection of the police response to stalking\nPublished on: 5 July 2024\n\n"
            f"Recommendations\n\n{first}\n{rest}\n2. The College of Policing should update "
            f"its guidance.\n")
    found = read(text)
    assert [(it.number, it.text) for it in found.items] == [
        ("1", f"{first[3:]} {rest}"), ("2", "The College of Policing should update its guidance.")]
    assert found.title == "An inspection of the police response to stalking"


_STALKING = [
    "By 31 March 2025, chief constables should make sure that every stalking report is risk "
    "assessed and that every victim is offered the support of a stalking advocate.",
    "By 31 March 2025, the College of Policing should update its guidance on stalking "
    "protection orders.",
    "By 31 December 2024, chief constables should review how stalking is recorded, and make "
    "sure that their forces: (a) flag every stalking report; and (b) audit their records.",
    "By 31 December 2024, the Home Office should review the stalking legislation."]


@settings(max_examples=40, deadline=None)
@given(width=st.integers(45, 100), page=st.integers(2, 4),
       furniture=st.sampled_from(["{n}", "Page {n}", "{n} of 14", "Stalking inspection",
                                  "Stalking inspection   Page {n}", "OFFICIAL",
                                  "Stalking: an inspection   Page {n} of 40",
                                  "OFFICIAL-SENSITIVE\nStalking inspection   {n}"]))
def test_a_page_number_or_running_line_inside_an_item_is_not_its_words(width, page, furniture):
    """Pasted from a PDF, a page's number ('2', 'Page 2') or its running header or footer
    stands between the lines of an item: the rest of the item was lost in silence (Leveson
    with a number at each page's foot lost the end of 14 of its 92 recommendations), or the
    footer read into its words and addressee (a trial). Wrapped at any width, a page break
    every few lines: each item whole, the furniture in none."""
    import textwrap

    lines = ["An inspection of the police response to stalking",
             "Published on: 5 July 2024", "", "Recommendations", ""]
    for n, words in enumerate(_STALKING, 1):
        body = words.replace(": (a)", ":\n(a)").replace("; and (b)", "; and\n(b)")
        for k, part in enumerate(body.split("\n")):
            lines += textwrap.wrap(part, width, initial_indent="" if k else f"{n}. ")
        lines.append("")
    paged, n = [], 1
    for k, line in enumerate(lines):
        paged.append(line)
        if k > 4 and k % page == 0:
            n += 1
            paged += ["", furniture.format(n=n), ""]
    found = read("\n".join(paged))
    got = [" ".join(" ".join(it.paragraphs).split()) for it in found.items]
    assert got == _STALKING, paged


@pytest.mark.parametrize("text, numbers", [
    # a tracker's own numbers between entries with no stop: not page numbers
    ("Recommendations\n\n1\nBy 31 March 2026, chief constables should make sure that orders "
     "are considered in every case\n2\nBy 30 June 2026, chief constables should make sure "
     "that their forces record offences correctly\n3\nBy 30 September 2026, chief constables "
     "should review their use of bail\n4\nthe force should improve how it supervises "
     "investigations.\n", ["1", "2", "3", "4"]),
    # items' first lines alike but for a number: not a running header
    ("Areas for improvement\n\nArea for improvement 1\nWithin 6 months, the force\nshould "
     "improve how it supervises investigations.\n\nArea for improvement 2\nWithin 12 "
     "months, the force\nshould make sure victims are told about orders.\n\nArea for "
     "improvement 3\nWithin 18 months, the force\nshould improve its use of bail.\n",
     ["1", "2", "3"]),
    # an entry ending on 'all' with no stop, the next label below: not run on
    ("Areas for improvement\n\nArea for improvement 1\nThe force should make sure that "
     "advice is available to all\nArea for improvement 2\nThe force should improve how it "
     "supervises investigations\nArea for improvement 3\nThe force should improve its "
     "victim contact.\n", ["1", "2", "3"])])
def test_what_is_not_page_furniture_stays(text, numbers):
    """What dropping a pasted PDF's page furniture must not take (a second trial): a
    tracker's item numbers between entries that end with no stop, items' first lines that
    differ only by a number, and a label after an entry ending on a word like 'all'."""
    found = read("An inspection of stalking\nPublished on: 8 December 2025\n\n" + text)
    assert [it.number for it in found.items] == numbers
    assert all(len(it.paragraphs) == 1 and "Area for" not in it.text for it in found.items)


def test_a_deadline_a_heading_gives_or_the_sentence_ends_with_is_read():
    """Deadlines a trial found missed: given by a heading over the items ('Immediately',
    'Within three months', as older inspections grouped them), at the end of the sentence
    ('... risk assessed by 31 March 2025.', '... within 12 months.') or after 'in any
    event'. A date the words speak of ('data from before 31 March 2020 ...') is none."""
    found = read(
        "Northshire Police – National child protection inspection\nPublished on: 14 March "
        "2019\n\nRecommendations\n\nImmediately\n1. The force should review how it records "
        "the voice of the child.\n\nWithin three months\n2. The force should develop a plan "
        "for missing children.\n3. The force should review its referrals within 12 months."
        "\n\nWithin six months:\n4. Chief constables should make sure that every report is "
        "risk assessed by 31 March 2020.\n5. Chief constables should, as soon as possible and "
        "in any event by 30 June 2020, review their policies.\n", published=dt.date(2019, 3, 14))
    assert [(it.number, it.deadline_text, it.deadline) for it in found.items] == [
        ("1", "Immediately", dt.date(2019, 3, 14)),
        ("2", "Within three months", dt.date(2019, 6, 14)),
        ("3", "Within 12 months", dt.date(2020, 3, 14)),
        ("4", "By 31 March 2020", dt.date(2020, 3, 31)),
        ("5", "By 30 June 2020", dt.date(2020, 6, 30))]
    spoken = read("Recommendations\n\n1. The force should publish data from before 31 March "
                  "2020 on its website.\n")
    assert spoken.items[0].deadline_text == ""


@pytest.mark.parametrize("line, day", [("Published: November 2022", None),
                                       ("Date of publication: November 2022", None),
                                       ("Published: 2 November 2022", dt.date(2022, 11, 2)),
                                       ("Published on: 2nd November 2022",
                                        dt.date(2022, 11, 2))])
def test_a_publication_month_without_its_day_is_no_date(line, day):
    """'Date of publication: November 2022' was read as 30/11/2022 in silence: the PCC's
    s55 day and every 'within six months' hung on a day assumed (a trial). A month alone
    is no publication date: add-report asks for --published."""
    found = read(f"An inspection of vetting\n{line}\n\nRecommendations\n\n1. The force "
                 f"should review its vetting.\n", published=None)
    assert found.published == day


_ENTRIES = [
    "<li><p>By 31 October 2023, chief constables should make sure that their vetting units "
    "are adequately resourced.</p></li>",
    "<li><p>By 30 April 2023, the College of Policing should amend its guidance so that it:"
    "</p><ul><li>requires forces to record the rationale for vetting decisions; and</li>"
    "<li>makes clear what checks must be done.</li></ul></li>",
    "<li>By 31 March 2023, the Home Office should change the law so that vetting is "
    "statutory.</li>",
    "<li><p>With immediate effect, chief constables should make sure that all staff are "
    "vetted to the correct level.</p><p>This should include those on secondment.</p></li>",
    "<li>By 30 June 2023, chief constables should tell applicants the outcome.<ul><li>in "
    "writing; and</li><li>within 48 hours.</li></ul></li>"]


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (1, 2, 3, 0), (3, 1, 0, 2), (2, 3, 0, 1),
                                   (4, 0, 1, 2), (0, 4, 3)])
@pytest.mark.parametrize("furniture", [
    "", "<aside><h3>Related publications</h3><ol><li>Police officers should be vetted: our "
    "2019 report</li></ol></aside>",
    "<footer><p>Forces should read our guidance. © Crown copyright</p></footer>"])
def test_a_web_pages_list_entry_holding_a_list_or_paragraphs_is_one_item(order, furniture):
    """An <ol> whose entry holds its own bulleted list (or a second paragraph): every entry
    after it was taken for that list's bullets, three recommendations read as one (or the
    second paragraph an item of its own); a sidebar's and the footer's words were areas for
    improvement (a trial)."""
    from gain_workbook.newreport.source import _page_blocks

    page = ("<html><body><main><h1>An inspection of vetting</h1><p>Published on: 2 November "
            "2022</p><h2>Recommendations</h2><ol>" + "".join(_ENTRIES[i] for i in order) +
            "</ol><h2>Areas for improvement</h2><ol><li>Forces should improve the quality of "
            "their vetting interviews.</li></ol>" + furniture + "</main></body></html>")
    found = find_items(_page_blocks(page, "page.html"), published=PUBLISHED)
    got = [(it.kind, it.number or it.ordinal, len(it.paragraphs)) for it in found.items]
    parts = {0: 1, 1: 3, 2: 1, 3: 2, 4: 3}
    assert got == [("Recommendation", str(n), parts[i]) for n, i in enumerate(order, 1)] + [
        ("Area for improvement", "1", 1)]
    assert all(p.startswith(("By ", "With ", "requires", "makes", "This", "Forces", "in ",
                             "within "))
               for it in found.items for p in it.paragraphs)


@pytest.mark.parametrize("said, counts", [
    ("We make 7 recommendations and identify 2 areas for improvement.",
     {"Recommendation": 7, "Area for improvement": 2}),
    ("In this report we make 3 recommendations.", {"Recommendation": 3}),
    ("We found 4 areas for improvement.", {"Area for improvement": 4})])
def test_the_count_a_report_says_in_the_present_tense_is_read(said, counts):
    """'We make 7 recommendations and identify 2 areas for improvement' was not read as a
    count, so a trial's two lost recommendations went unsaid."""
    found = read(f"An inspection of vetting\n\nSummary\n\n{said}\n")
    assert found.stated == counts


@pytest.mark.parametrize("heading", ["", "Recommendations"])
@pytest.mark.parametrize("lead", [
    "By 19 September 2023, the service should provide an action plan, and it should have an "
    "effective process in place. The service should make sure:",
    "Within 28 days, the service should make sure:"])
def test_a_cause_of_concerns_lead_in_and_bullets_are_its_recommendations(heading, lead):
    """A fire service's revisit letter: 'Cause of concern', its words, then a lead-in and
    six bullets with no 'Recommendations' heading between. The bullets were lost, the
    lead-in 'not placed' (a trial); with the heading they were read."""
    bullets = ["it has identified all premises that need a risk visit;",
               "staff are trained to carry out a risk visit;",
               "risk information is uploaded in a timely manner."]
    text = "\n\n".join(["Avon Fire and Rescue Service: Causes of concern revisit letter",
                        "We inspected the service from May 2023. During the inspection, we "
                        "identified two accelerated causes of concern. On 16 August 2023, we "
                        "issued these accelerated causes of concern and made the following "
                        "recommendations:",
                        "Cause of concern",
                        "The service still doesn't have an effective system to record risk "
                        "information.", *([heading] if heading else []), lead,
                        "\n".join(f"  • {b}" for b in bullets),
                        "Cause of concern",
                        "The service's mobilisation system isn't reliable.",
                        "Recommendations",
                        "By 19 September 2023, the service should develop an action plan to "
                        "make sure:", "  • its mobilisation system is effective."])
    found = read(text)
    kinds = [(it.kind, it.parent) for it in found.items]
    assert kinds == [("Cause of concern", None)] + [("Recommendation", 0)] * 3 + \
        [("Cause of concern", None), ("Recommendation", 4)]
    assert not found.unplaced


@pytest.mark.parametrize("addressee, expected", [
    ("The chief constable of the Metropolitan Police Service", "other force"),
    ("The Chief Constable of Northumbria Police", "other force"),
    ("The chief constables of Durham and Northumbria", "other force"),
    ("The chief constables of Durham, Northumbria and Cleveland", "force"),
    ("The chief constable of Cleveland Police", "force"),
    ("The chief constables of forces in the North East region", "some forces"),
    ("Chief constables", "force"),
    ("Chief constables and the National Police Chiefs' Council", "force"),
    ("Durham Constabulary", "other force"),
    # one nation's forces are some forces; 'the police service' is every force (a trial:
    # Welsh forces' items were the force's, 'the police service' none at all)
    ("Chief constables of forces in Wales", "some forces"),
    ("Chief constables in Wales", "some forces"), ("Welsh forces", "some forces"),
    ("The four forces in Wales", "some forces"), ("Forces in England", "some forces"),
    ("Chief constables in England and Wales", "force"), ("The police service", "force"),
    ("The Police Service of Northern Ireland", "other force")])
def test_one_named_forces_chief_is_not_every_force(addressee, expected):
    """'the chief constable of the Metropolitan Police Service should ...' was for the
    force (Cleveland's register), as 'chief constables' are (a trial)."""
    from gain_workbook.newreport.grammar import who

    assert who(addressee, "Cleveland Police") == expected


def test_concerns_stated_under_a_causes_of_concern_heading_take_their_recommendations():
    """'Causes of concern', 'HMIC is concerned that ...', 'To address this cause of
    concern, HMIC recommends that:' and bullets (a 2016 PEEL report): the
    recommendations stood alone, their Under empty (a trial); a second concern under the
    same heading is a cause of its own, not a recommendation of the first."""
    text = "\n\n".join([
        "PEEL: Police effectiveness 2016", "Causes of concern",
        "HMIC is concerned that the force is not always providing an effective response to "
        "vulnerable people.",
        "To address this cause of concern, HMIC recommends that:",
        "  • the force should immediately review how it grades calls;\n"
        "  • within three months, the force should make sure supervisors review risk.",
        "HMIC is also concerned that the force does not manage sex offenders well.",
        "To address this cause of concern, HMIC recommends that:",
        "  • within six months, the force should clear its backlog of visits.",
        "Areas for improvement",
        "The force should improve how it records information about missing children."])
    found = read(text)
    assert [(it.kind, it.parent) for it in found.items] == [
        ("Cause of concern", None), ("Recommendation", 0), ("Recommendation", 0),
        ("Cause of concern", None), ("Recommendation", 3), ("Area for improvement", None)]


@pytest.mark.parametrize("lines, title", [
    (["PEEL 2023–25", "Police effectiveness, efficiency and legitimacy",
      "An inspection of Cleveland Police"], "PEEL 2023–25: An inspection of Cleveland Police"),
    (["Fire and Rescue Service Inspection 2023–2025", "Effectiveness, efficiency and people",
      "An inspection of Gloucestershire Fire and Rescue Service"],
     "Fire and Rescue Service Inspection 2023–2025: An inspection of Gloucestershire Fire "
     "and Rescue Service"),
    (["PEEL 2023–25", "An inspection of Cleveland Police"],
     "PEEL 2023–25: An inspection of Cleveland Police")])
def test_a_title_page_with_a_subtitle_between_keeps_whom_it_inspected(lines, title):
    """The title was cut to 'PEEL 2023–25' when a subtitle line stood between it and
    'An inspection of Cleveland Police' (a trial), so the report was not the force's own."""
    text = "\n\n".join(lines) + "\n\nPublished on: 12 September 2024\n\nOverall summary\n"
    assert read(text).title == title


def test_an_item_for_others_that_asks_chief_constables_too_is_to_check():
    """'the College of Policing and the NPCC should develop ..., and chief constables
    should make sure their officers complete it': for others only, nothing to check (a
    trial); the forces' part is now said."""
    text = ("Recommendations\n\nBy 31 March 2024, the College of Policing and the National "
            "Police Chiefs' Council should develop training on digital evidence, and chief "
            "constables should make sure their officers complete it.\n\nBy 31 March 2024, the "
            "Home Office should publish guidance.\n")
    first, second = read(text).items
    assert not first.applies and any("also asks 'chief constables'" in c for c in first.checks)
    assert not any("also asks" in c for c in second.checks)


@pytest.mark.parametrize("title, types", [
    ("A joint thematic inspection of the criminal justice journey",
     "National, Thematic, Partner/joint"),
    ("An inspection of how well the police use digital forensics", "National"),
    ("A thematic inspection of stalking", "National, Thematic")])
def test_a_national_reports_title_says_it_is_thematic_or_joint(title, types):
    """'A joint thematic inspection of ...' was typed 'National' only (a trial)."""
    from gain_workbook.newreport.add import _types

    text = (f"{title}\n\nPublished on: 2 November 2022\n\nRecommendations\n\nBy 31 March "
            "2024, chief constables should review their training.\n\nBy 31 March 2024, the "
            "Home Office should publish guidance.\n")
    found = read(text)
    assert _types(found, title)[0] == types


@pytest.mark.parametrize("said, checked", [
    ("On 13 September 2023, we issued the cause of concern and made these recommendations:",
     True),
    ("We issued the cause of concern on 13 September 2023.", True),
    ("We visited the service in March 2023.", False)])
def test_a_letters_deadline_within_days_of_an_earlier_issue_is_to_check(said, checked):
    """A revisit letter published 15 March 2024 whose cause of concern was issued on 13
    September 2023: 'Within 28 days' was 12/04/2024 with nothing to check (a trial)."""
    text = "\n\n".join([
        "Warwickshire Fire and Rescue Service: Cause of concern revisit letter",
        "Published on: 15 March 2024", said, "Cause of concern",
        "The service hasn't done enough to protect the public.", "Recommendations",
        "Within 28 days, the service should provide an action plan."])
    found = read(text)
    rec = next(it for it in found.items if it.kind == "Recommendation")
    assert any("text says it was issued on 13/09/2023" in c for c in rec.checks) is checked


@pytest.mark.parametrize("question", [
    "How effective is the force at preventing crime?",
    "How good is the force at providing a service to victims of crime and tackling "
    "antisocial behaviour?",
    "To what extent does the force treat the public fairly?"])
@pytest.mark.parametrize("marked", ["plain", "markdown"])
def test_a_peel_question_ends_the_list_before_it(question, marked):
    """An older PEEL report's chapter opens with its question; the narrative after it
    ('The force should continue to develop ...') was read as one more area for
    improvement of the list above (a trial). A question is a heading, and no item."""
    heading = f"## {question}" if marked == "markdown" else question
    text = "\n\n".join([
        "PEEL: Police effectiveness 2016", "Areas for improvement",
        "The force should improve how it records information about missing children.",
        "The force should make sure it has enough trained detectives.",
        heading,
        "The force should continue to develop its neighbourhood policing model. The force "
        "has made progress since our last inspection."])
    found = read(text)
    assert [it.paragraphs[0][:40] for it in found.items] == [
        "The force should improve how it records ",
        "The force should make sure it has enough"]


_WRAPPED_ITEMS = [
    "The Home Office should work with the National Police Chiefs’ Council and the College "
    "of Policing to establish a national lead.",
    "Chief constables should work with the National Police Chiefs' Council (NPCC) to "
    "review support services for victims.",
    "Chief constables should make sure officers use powers (e.g. stop and search) fairly "
    "and record why.",
    "Chief constables should make sure that officers record the “voice of the child” when "
    "attending domestic abuse incidents.",
    "Chief constables should adopt the Home Office's 'Tackling VAWG' strategy and its "
    "action plan.",
    "By 31 March 2023, chief constables should make sure that their forces have a strategy "
    "aligned with the national strategy.3"]


@settings(max_examples=80, deadline=None)
@given(width=st.integers(45, 110), numbered=st.booleans())
def test_a_pdfs_line_break_after_a_quote_bracket_or_footnote_loses_nothing(width, numbered):
    """A PDF's lines break anywhere: after 'Chiefs’', '(NPCC)', '(e.g.', '”' or a
    footnote's mark ('strategy.3'). The line was taken as the end of the item, and the
    rest of its words were lost in silence (a trial); a footnote mark before the next
    '3. By ...' merged two recommendations into one (the Home Office's made the force's).
    Each item is wrapped as a PDF's text is, at one width for the page."""
    import textwrap

    lines = ["A thematic inspection of policing", "Published on: 17 September 2021",
             "Recommendations"]
    want = []
    for n, text in enumerate(_WRAPPED_ITEMS, start=1):
        head = f"{n}. " if numbered else f"Recommendation {n}: "
        lines += textwrap.wrap(head + text, width, break_on_hyphens=False)
        want.append(text.removesuffix(".3") + "." if text.endswith(".3") else text)
    found = read("\n".join(lines))
    got = [" ".join(it.paragraphs) for it in found.items]
    assert [g.split(": ", 1)[-1] if not numbered else g for g in got] == want


@pytest.mark.parametrize("ticked, empty", [("[X]", "[ ]"), ("[x]", "[]"), ("☒", "☐"),
                                           ("[✓]", "[ ]"), ("☑", "☐")])
def test_a_responses_boxes_ticked_in_plain_text_give_the_type(ticked, empty):
    """'Type of inspection: [X] National  [X] Thematic  [ ] Force-specific' (a PCC
    response saved as text) gave 'National' only, from its words (a trial); ☒ was read."""
    found = read("\n\n".join([
        "PCC response to: Stalking and harassment: a joint thematic inspection",
        f"Type of inspection: {ticked} National  {ticked} Thematic  {empty} Force-specific",
        "Recommendations", "1. Chief constables should train call handlers in stalking."]))
    assert found.types == ["National", "Thematic"]


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_an_accelerated_cause_of_concern_letter_gives_its_title_and_its_concern(gap):
    """Its title line 'Accelerated cause of concern: Cleveland Police' and its subject
    line after 'Dear Chief Constable,' were two items (one worded 'Cleveland Police',
    one the letter's prose), its date missed, and its 'Cause of concern' not accelerated
    (a trial)."""
    from gain_workbook.newreport.source import lines_to_blocks as blocks_of

    text = gap.join([
        "Accelerated cause of concern: Cleveland Police", "Published on: 27 September 2023",
        "From:", "Wendy Williams CBE", "Sent on:", "13 September 2023",
        "Dear Chief Constable,",
        "Accelerated cause of concern – Cleveland Police's response to the public",
        "During our PEEL 2023–25 inspection of Cleveland Police, we identified serious "
        "concerns about how the force responds to the public.",
        "Cause of concern",
        "Cleveland Police isn't answering 999 and 101 calls quickly enough.",
        "Recommendations", "Within three months, Cleveland Police should:",
        "• make sure it answers 999 calls within ten seconds; and",
        "• reduce the number of abandoned 101 calls.",
        "Yours sincerely,"])
    found = find_items(blocks_of(text.splitlines()), "Cleveland Police")
    assert found.title == "Accelerated cause of concern: Cleveland Police"
    assert found.published == dt.date(2023, 9, 27)
    assert [(it.kind, it.parent) for it in found.items] == [
        ("Accelerated cause of concern", None), ("Recommendation", 0), ("Recommendation", 0)]
    assert found.items[0].paragraphs == [
        "Cleveland Police isn't answering 999 and 101 calls quickly enough."]


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_a_custody_reports_items_numbered_by_paragraph(gap):
    """A joint custody inspection numbers its items by paragraph ('7.1 Cause of concern:
    ...', '7.2 The force should ...'). The causes of concern were lost, '7.2 The force'
    was the addressee, an area for improvement after a long sub-heading was glued to it
    or lost, and '7.9 Health services should ...' was lost (a trial)."""
    from gain_workbook.newreport.source import lines_to_blocks as blocks_of

    text = gap.join([
        "Report on an unannounced inspection visit to police custody suites in Cleveland",
        "Published: 9 July 2024",
        "Section 7. Summary of causes of concern, recommendations and areas for improvement",
        "Causes of concern and recommendations",
        "7.1 Cause of concern: The force does not have sufficient oversight of the use of",
        "force in custody.", "Recommendation",
        "7.2 The force should make sure that all use of force in custody is recorded.",
        "Areas for improvement", "Leadership",
        "7.3 The force should make sure that it has effective performance data on custody.",
        "In the custody suite: booking in, individual needs and legal rights",
        "7.4 The force should make sure that detainees' individual needs are identified and",
        "met, including for women and children.", "Detainee healthcare",
        "7.5 Health services should make sure that detainees can get their medication.",
        "7.6 The force should make sure that detainees are released safely."])
    found = find_items(blocks_of(text.splitlines()), "Cleveland Police")
    got = [(it.kind, it.number, it.parent, it.paragraphs[0][:30]) for it in found.items]
    assert got == [
        ("Cause of concern", "7.1", None, "The force does not have suffic"),
        ("Recommendation", "7.2", 0, "The force should make sure tha"),
        ("Area for improvement", "7.3", None, "The force should make sure tha"),
        ("Area for improvement", "7.4", None, "The force should make sure tha"),
        ("Area for improvement", "7.5", None, "Health services should make su"),
        ("Area for improvement", "7.6", None, "The force should make sure tha")]
    assert " ".join(found.items[3].paragraphs) == (
        "The force should make sure that detainees' individual needs are identified and met, "
        "including for women and children.")
    assert [it.applies for it in found.items] == [True, True, True, True, False, True]


def test_recommendations_grouped_by_whom_they_are_for():
    """A super-complaint report's recommendations grouped under headings naming whom they
    are for: the Home Office's took the chief constables' lead-in (for the force: Yes,
    their deadline), and the last group's took the College's (a second trial)."""
    text = "\n".join([
        "A duty to protect: a super-complaint report", "Published: 26 April 2021",
        "Recommendations", "For chief constables",
        "By 30 September 2021, chief constables should:",
        "1. make sure that pre-charge bail is used where it is necessary;",
        "2. review their use of non-molestation orders.",
        "For the Home Office",
        "3. By 31 March 2022, the Home Office should evaluate protection orders.",
        "For the College of Policing",
        "The College of Policing should, by 31 December 2021:",
        "4. update its guidance on bail conditions.",
        "For chief constables and police and crime commissioners",
        "5. By 31 March 2022, make sure that victims are told about protective measures."])
    found = read(text, "Cleveland Police")
    got = [(it.addressee, it.applies, str(it.deadline)) for it in found.items]
    assert got == [("Chief constables", True, "2021-09-30"), ("Chief constables", True, "2021-09-30"),
                   ("The Home Office", False, "2022-03-31"),
                   ("The College of Policing", False, "2021-12-31"),
                   ("Chief constables and police and crime commissioners", True, "2022-03-31")]


@pytest.mark.parametrize("addressee, expected", [
    ("The police service in England and Wales", "force"), ("The police and CPS", "force"),
    ("The CPS and the police", "force"), ("The police and crime commissioner", "other"),
    ("The brigade", "force"), ("Each fire brigade", "force")])
def test_the_police_among_other_bodies_is_the_force(addressee, expected):
    from gain_workbook.newreport.grammar import who

    assert who(addressee, "Cleveland Police") == expected


def test_a_lead_in_that_recommends_gives_the_addressee_after_that():
    found = read("\n\n".join(["PEEL 2017: Effectiveness", "Cause of concern",
                              "The force is not protecting vulnerable people well enough.",
                              "To address this cause of concern, we recommend that the force "
                              "should immediately:", "• review its risk assessments."]),
                 "Cleveland Police")
    assert [it.addressee for it in found.items] == ["", "The force"]


@pytest.mark.parametrize("line, types", [
    ("Inspection type:  [ X ] National   [   ] Thematic   [ X ] Follow-up", ["National", "Follow-up"]),
    ("Type: National [X] Thematic [ ] Follow-up [X] Force-specific [ ]", ["National", "Follow-up"]),
    ("Type: [x] National\n[x] Partner/joint", ["National", "Partner/joint"])])
def test_ticks_typed_in_other_ways(line, types):
    """'[ X ]' with its spaces, a box after its word, 'Partner/joint': the ticks were not
    read, or read as the next word's (a second trial)."""
    found = read(f"Custody healthcare\n\nPublished: 3 October 2024\n\n{line}\n\n"
                 "Recommendations\n\n1. Chief constables should review contracts.")
    assert found.types == types


def test_a_page_headers_protective_marking_is_not_part_of_an_item():
    """'OFFICIAL' at each page's top, left among an item's lines by a PDF's copy: it was
    the last word of the item (a second trial)."""
    found = read("\n".join(["OFFICIAL", "A thematic inspection", "Published: 3 October 2024",
                            "Recommendations", "Recommendation 1: Chief constables should review",
                            "OFFICIAL", "investigations regularly.", "OFFICIAL-SENSITIVE"]))
    assert [" ".join(it.paragraphs) for it in found.items] == [
        "Chief constables should review investigations regularly."]


@pytest.mark.parametrize("second", ["Within six months, the force should:",
                                    "Within six months, Cleveland Police should:"])
def test_a_second_lead_in_after_a_numbered_list_gives_its_bullets_its_own_words(second):
    """'Within three months, Cleveland Police should:' and '1.' to '3.', then 'Within six
    months, the force should:' and a bullet: the bullet took the first lead-in, its
    deadline three months, not six (a second trial)."""
    found = read("\n".join([
        "Accelerated cause of concern: Cleveland Police", "Published: 18 July 2024",
        "Recommendations", "Within three months, Cleveland Police should:",
        "1. make sure that it has enough trained staff;", "2. complete overdue visits; and",
        "3. make sure that supervisors oversee the work.", "", second,
        "• review its use of ancillary orders."]), "Cleveland Police", published=None)
    assert [str(it.deadline) for it in found.items] == ["2024-10-18"] * 3 + ["2025-01-18"]
    assert found.items[3].lead == second


def test_a_list_heading_that_names_whom_gives_its_entries_their_addressee():
    """'Recommendations for the Home Office' is a heading over a list and says whom it is
    for: '3. By 31 March 2025, review funding.' under it is the Home Office's (one more of
    the grouped family, tried after the trial's)."""
    found = read("\n".join([
        "A thematic inspection", "Published: 9 July 2024",
        "Recommendations for chief constables",
        "1. By 31 March 2025, chief constables should review vetting.",
        "2. By 31 March 2025, review training.",
        "Recommendations for the Home Office", "3. By 31 March 2025, review funding."]),
        "Cleveland Police", published=None)
    assert [(it.number, it.applies) for it in found.items] == [("1", True), ("2", True),
                                                               ("3", False)]
    assert "Home Office" in found.items[2].addressee
