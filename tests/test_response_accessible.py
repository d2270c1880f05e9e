"""The published response as the 2018 accessibility regulations ask (WCAG 2.1 AA, through
EN 301 549): the web page checked by axe-core in a real Chromium, the PDF's tags read
back with pikepdf, the Word copy's styles, language and header row, the pack's charts
and sheets; and the details a person saw wrong (file names, office-use boxes, a
plenary said two ways, a second paragraph out of line)."""

from __future__ import annotations

import datetime as dt
import html
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from browser import axe_violations, browser
from conftest import base_data, write_register
from gain_workbook.cli import cli

AS_OF = "2026-11-28"
D = dt.date
TITLE = ("An inspection of the effectiveness of the police and law enforcement bodies' "
         "response to group-based child sexual exploitation in England and Wales")
EXAMPLE_STEM = ("PCC response – An inspection of the effectiveness of the police and law "
                "enforcement bodies' response to group-based – 8 December 2023")
STANDARD_TAGS = {"Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC",
                 "TOCI", "Index", "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4",
                 "H5", "H6", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead",
                 "TBody", "TFoot", "Span", "Quote", "Note", "Reference", "BibEntry", "Code",
                 "Link", "Annot", "Ruby", "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure",
                 "Formula", "Form"}


def _run(runner, *args):
    r = runner.invoke(cli, [str(a) for a in args])
    assert r.exit_code == 0, r.stdout + r.stderr
    return r


@pytest.fixture(scope="module")
def example(tmp_path_factory, example_register):
    """The example's response as published, in all four forms, with their default names."""
    import shutil
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("published")
    reg = folder / "Example register.xlsx"
    shutil.copyfile(example_register, reg)
    r = _run(CliRunner(), "response", reg, "--inspection", "INS-2023-07", "--as-of", AS_OF,
             "--docx", "--pdf", "--html")
    return {p.suffix: p for p in folder.iterdir() if p.name.startswith("PCC response")}, r


def full_register(folder: Path) -> Path:
    """A register whose response uses every optional part: each kind of inspection, the
    force quoted, the force's own words with bullets, an item's answer in words, an
    item with no action and why, one with nothing yet (a 'To be added'), the chief
    constable's comments and the PCC's reply, a marking, a second inspection."""
    data = base_data()
    data["inspections"][0].update({
        "Type": "Force-specific, National, Thematic, Follow-up, Partner/joint, PEEL",
        "Force quoted": "Yes", "Plenary session": D(2024, 1, 20),
        "PCC comment": "The PCC welcomes the report.\nProgress will be reported quarterly.",
        "PCC monitoring": "Through the Scrutiny Programme."})
    data["items"].append({"Item ID": "INS-1-R3", "Inspection ID": "INS-1",
                          "Kind": "Recommendation", "Number": "3",
                          "Text": "Chief constables should publish custody data.\n"
                                  "They should do so each quarter.",
                          "Addressee": "All chief constables", "Applies to force": "Yes",
                          "HMICFRS status": "Open"})
    data["items"].append({"Item ID": "INS-1-R4", "Inspection ID": "INS-1",
                          "Kind": "Recommendation", "Number": "4",
                          "Text": "Chief constables should audit cells.",
                          "Addressee": "All chief constables", "Applies to force": "Yes",
                          "HMICFRS status": "Open"})
    data["inspections"].append({"Inspection ID": "INS-2", "Title": "PEEL 2025: Example Police",
                                "Published": D(2025, 3, 1), "Type": "PEEL",
                                "Force quoted": "Yes", "Executive lead": "DCC",
                                "Executive summary": "Good overall.\n- Adequate at custody"})
    extra = {"inspections": {
                 "Force response": ["The force has set up a custody board.\n- It meets monthly"
                                    "\n- It reports to the GAIN Board", ""],
                 "Chief constable's comments": ["I accept the findings.", ""],
                 "PCC response to the chief constable": ["I welcome the reply.", ""]},
             "items": {"Response": ["A custody review is under way.", "", "", "", ""],
                       "No action reason": ["", "", "", "The force already audits cells.", ""]}}
    data["settings"].update({"Response marking": "OFFICIAL"})
    return write_register(folder / "register.xlsx", data, extra=extra)


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("full")
    reg = full_register(folder)
    runner = CliRunner()
    out = {}
    for working in (False, True):
        path = folder / ("working.xlsx" if working else "published.xlsx")
        _run(runner, "response", reg, "--all", "-o", path, "--as-of", "2025-03-10", "--html",
             "--docx", *(["--working"] if working else []))
        out[working] = path
    return out


# ---------------------------------------------------------------- the web page

def headings(page: str) -> list[tuple[int, str]]:
    return [(int(m.group(1)), html.unescape(re.sub("<[^>]+>", "", m.group(2))))
            for m in re.finditer(r"<h([1-6])>(.*?)</h\1>", page, re.S)]


def test_the_web_page_is_one_self_contained_gov_uk_style_page(example):
    page = example[0][".html"].read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert f"<title>PCC response to HMICFRS inspection: {html.escape(TITLE)}</title>" in page
    levels = headings(page)
    assert [lv for lv, _ in levels].count(1) == 1 and levels[0] == (
        1, "Response by the PCC to HMICFRS inspections of Cleveland Police")
    # in order: never a level skipped on the way down
    assert all(b <= a + 1 for (a, _), (b, _) in zip(levels, levels[1:])), levels
    assert [t for lv, t in levels if lv == 2] == [
        "Inspection details", "Executive summary of report", "Recommendations",
        "Force response to recommendations", "PCC response to inspection",
        "For office use only"]
    assert (3, "Recommendation 9") in levels and (4, "Recommendation 4") in levels
    # nothing fetched: no scripts, links, images, imports or fonts from elsewhere
    assert not re.search(r"<script|<link|<img|<iframe|src=|href=|@import|url\(", page)
    # the details: a caption, header cells with their scope, the boxes said in words
    table = page.split("<table>", 1)[1].split("</table>", 1)[0]
    assert '<caption class="visually-hidden">Inspection details</caption>' in table
    assert '<th scope="col">Detail</th>' in table
    assert '<th scope="row">Title of inspection</th>' in table
    assert ('<th scope="row">Type of inspection</th><td><span class="visually-hidden">'
            'National, Thematic</span><ul class="boxes" aria-hidden="true">') in table
    assert '<span class="visually-hidden">No</span>' in table
    # every ☒ / ☐ on the page is inside something hidden from a screen reader
    shown = re.sub(r'<(span|ul) [^>]*aria-hidden="true">.*?</\1>', "", page, flags=re.S)
    assert "☒" in page and "☐" in page and not set(shown) & {"☒", "☐"}
    assert '☒ </span>Response published on PCC website<span class="visually-hidden"> ' \
           '(done)</span>' in page


def test_the_web_page_says_what_the_published_word_copy_says(example):
    """The same content in every form: the page's text, read as a screen reader would
    (what is hidden from it left out), holds the Word copy's paragraphs in order."""
    import docx

    page = example[0][".html"].read_text(encoding="utf-8")
    said = re.sub(r'<(span|ul) [^>]*aria-hidden="true">.*?</\1>', " ", page, flags=re.S)
    said = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", said.split("<main>")[1])).split())
    word = [p.text for p in docx.Document(str(example[0][".docx"])).paragraphs if p.text]
    pos = 0
    for text in word:
        text = " ".join(text.replace("☒", "").replace("☐", "").split())
        at = said.find(text, pos)
        assert at >= 0, text
        pos = at + len(text)


WCAG_CASES = ["example published", "full published", "full working copy"]


@pytest.mark.slow
def test_the_web_page_has_no_wcag_aa_violation_in_a_real_browser(example, full):
    """axe-core in headless Chromium, every WCAG 2.0 and 2.1 A and AA rule: zero
    violations on the example's response and on responses with every optional part
    (two inspections on one page, the working copy too)."""
    pages = dict(zip(WCAG_CASES, [example[0][".html"], full[False].with_suffix(".html"),
                                  full[True].with_suffix(".html")]))
    with browser() as driver:
        for name, page in pages.items():
            assert axe_violations(driver, page) == [], name
            # a line that reads well: the text column at most about 80 characters wide
            width, size = driver.execute_script(
                "const p = document.querySelector('main p');"
                "return [p.getBoundingClientRect().width, "
                "parseFloat(getComputedStyle(p).fontSize)];")
            assert width / size <= 40, (name, width, size)        # 40 em: ~75 characters
            # reflow (WCAG 1.4.10): at 320 CSS pixels wide, nothing scrolls sideways
            # (a headless window is never narrower than 500, so the screen is emulated)
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": False})
            driver.get(page.resolve().as_uri())
            wide = driver.execute_script("return [document.documentElement.scrollWidth, "
                                         "document.documentElement.clientWidth]")
            assert wide == [320, 320], (name, wide)
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.slow
def test_axe_in_the_browser_finds_what_a_page_gets_wrong(example, tmp_path):
    """The check can fail: the page without its language, with grey text that is too
    faint, with a heading level skipped, is caught for each."""
    page = example[0][".html"].read_text(encoding="utf-8")
    broken = (page.replace('<html lang="en-GB">', "<html>")
              .replace("color: #0b0c0c;", "color: #b0b0b0;", 1))
    bad = tmp_path / "bad.html"
    bad.write_text(broken, encoding="utf-8")
    with browser() as driver:
        found = {v["id"] for v in axe_violations(driver, bad)}
    assert {"html-has-lang", "color-contrast"} <= found, found


def test_several_responses_make_one_page_with_one_h1(full):
    page = full[False].with_suffix(".html").read_text(encoding="utf-8")
    levels = headings(page)
    assert [lv for lv, _ in levels].count(1) == 1
    assert [t for lv, t in levels if lv == 2] == ["PEEL 2025: Example Police",
                                                 "An inspection of custody"]
    assert all(b <= a + 1 for (a, _), (b, _) in zip(levels, levels[1:])), levels
    assert page.count('<p class="marking">OFFICIAL</p>') >= 2
    assert "<title>PCC response to HMICFRS inspections</title>" in page
    # the type row: every kind ticked is said, the extra one (PEEL) too
    assert ('<span class="visually-hidden">Example Police specific, National, Follow up, '
            'Thematic, Partner inspection, PEEL</span>') in page


def test_register_text_is_only_ever_text_on_the_page(tmp_path, runner):
    data = base_data()
    data["inspections"][0].update({"Title": "<script>alert(1)</script> & \"quotes\"",
                                   "PCC comment": "<img src=x onerror=alert(1)>"})
    reg = write_register(tmp_path / "r.xlsx", data)
    _run(runner, "response", reg, "--inspection", "INS-1", "-o", tmp_path / "o.xlsx", "--html")
    page = (tmp_path / "o.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in page
    again = tmp_path / "again.xlsx"
    _run(runner, "response", reg, "--inspection", "INS-1", "-o", again, "--html")
    assert again.with_suffix(".html").read_bytes() == (tmp_path / "o.html").read_bytes()


# ---------------------------------------------------------------- the tagged PDF

def _structure(pdf) -> tuple[list[str], dict]:
    """The structure tree's element types in reading order, and its role map."""
    import pikepdf

    root = pdf.Root.StructTreeRoot
    role = {str(k)[1:]: str(v)[1:] for k, v in root.get("/RoleMap", {}).items()}
    tags: list[str] = []

    def walk(node):
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                tags.append(str(node.S)[1:])
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                if isinstance(kid, pikepdf.Dictionary):
                    walk(kid)

    walk(root)
    return tags, role


@pytest.mark.slow
def test_the_pdf_is_tagged_for_a_screen_reader(example):
    import pikepdf

    with pikepdf.open(example[0][".pdf"]) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        title = f"PCC response to HMICFRS inspection: {TITLE}"
        assert str(pdf.docinfo["/Title"]) == title
        meta = pdf.open_metadata()
        # LibreOffice 7.4 escapes the XMP title's apostrophe twice (&apos; as text)
        assert html.unescape(meta["dc:title"]) == title
        assert meta["pdfuaid:part"] == "1"
        tags, role = _structure(pdf)
    standard = [role.get(t, t) for t in tags]
    assert set(standard) <= STANDARD_TAGS, set(standard) - STANDARD_TAGS
    assert standard.count("H1") == 1 and standard.count("H2") == 6
    assert standard.count("H3") >= 10 and "H4" in standard
    heads = [t for t in standard if re.fullmatch(r"H\d", t)]
    assert all(int(b[1]) <= int(a[1]) + 1 for a, b in zip(heads, heads[1:])), heads
    # the details table: a table, with header cells
    assert "Table" in standard and standard.count("TH") >= 2 and "TD" in standard
    assert standard.index("Table") < standard.index("TH") < standard.index("TD")


@pytest.mark.slow
def test_the_pdf_lays_out_without_near_empty_pages_and_aligns_a_second_paragraph(example):
    pdf = example[0][".pdf"]
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True).stdout).group(1))
    lines = []
    for n in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
                              capture_output=True, text=True).stdout
        lines.append(len([ln for ln in text.splitlines() if ln.strip()]))
    assert all(n >= 35 for n in lines[:-1]), lines       # every page but the last is full
    assert lines[-1] >= 5, lines
    # the area for improvement's second paragraph starts where its first one's text does:
    # under Recommendations both at the margin, in the list for forces both at the bullet's
    # text, never the second at the bullet itself
    layout = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                            text=True).stdout
    starts: dict = {}
    for m in re.finditer(r'<line xMin="([\d.]+)"[^>]*>(.*?)</line>', layout, re.S):
        text = " ".join(re.findall(r">([^<]+)</word>", m.group(2)))
        for first in ("All chief constables should work", "This should include consideration"):
            if text.startswith(first):
                starts.setdefault(first, []).append(round(float(m.group(1)), 1))
    first, second = starts.values()
    assert len(first) == 2 and first == second, starts
    assert first[1] > first[0] + 10          # the bullet's text sits in from the margin


# ---------------------------------------------------------------- the Word copy

def test_the_word_copy_has_real_headings_uk_english_and_a_header_row(example):
    import docx

    path = example[0][".docx"]
    doc = docx.Document(str(path))
    styled = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert styled[0] == ("Heading 1", "Response by the PCC to HMICFRS inspections of Cleveland Police")
    assert ("Heading 2", "Inspection details") in styled
    assert ("Heading 3", "Recommendation 1") in styled and ("Heading 4", "Recommendation 9") in styled
    assert [n for n, _ in styled].count("Heading 1") == 1
    levels = [int(n.split()[1]) for n, _ in styled]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    # no heading faked with bold: a bold paragraph of its own is a heading in a style
    fake = [p.text for p in doc.paragraphs if p.text and not p.style.name.startswith("Heading")
            and all(r.bold for r in p.runs)]
    assert fake == [], fake
    # heading colours a reader can see: at least 4.5:1 on white
    for level in (1, 2, 3, 4):
        rgb = doc.styles[f"Heading {level}"].font.color.rgb
        assert contrast(str(rgb), "FFFFFF") >= 4.5, (level, rgb)
    styles = zipfile.ZipFile(path).read("word/styles.xml").decode()
    assert re.search(r'<w:rPrDefault><w:rPr>.*<w:lang w:val="en-GB"', styles)
    assert "en-US" not in styles
    props = doc.core_properties
    assert props.title == f"PCC response to HMICFRS inspection: {TITLE}"
    assert props.language == "en-GB"
    # the details table: its first row is a header row that repeats on each page
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][:2] == ["Detail", "Value"]
    assert table.rows[0]._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
    body = zipfile.ZipFile(path).read("word/document.xml").decode()
    # no text boxes or floating shapes: nothing outside the reading order
    for shape in ("<wp:anchor", "<w:txbxContent", "<v:shape", "<w:pict", "<mc:AlternateContent",
                  "<w:drawing"):
        assert shape not in body, shape


def test_an_items_second_paragraph_is_a_paragraph_aligned_with_its_first(example):
    import docx

    doc = docx.Document(str(example[0][".docx"]))
    paras = doc.paragraphs
    i = next(n for n, p in enumerate(paras) if p.text.startswith("All chief constables should "
                                                                 "work") and
             p.style.name == "List Bullet")
    assert paras[i + 1].style.name == "List Continue"
    assert paras[i + 1].text.startswith("This should include consideration")
    # List Continue's indent is the bullet's text indent: List Bullet's numbering, level 0
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    num_id = doc.styles["List Bullet"].element.pPr.numPr.numId.val
    numbering = doc.part.numbering_part.element
    num = next(n for n in numbering.iter(f"{w}num") if n.get(f"{w}numId") == str(num_id))
    abstract = num.find(f"{w}abstractNumId").get(f"{w}val")
    level = next(a for a in numbering.iter(f"{w}abstractNum")
                 if a.get(f"{w}abstractNumId") == abstract).find(f"{w}lvl")
    bullet_left = int(level.find(f"{w}pPr").find(f"{w}ind").get(f"{w}left"))
    cont = doc.styles["List Continue"].paragraph_format.left_indent
    assert cont is not None and abs(cont.twips - bullet_left) <= 1, (cont.twips, bullet_left)


def contrast(fg: str, bg: str) -> float:
    """WCAG's contrast ratio of two colours given as hex."""
    def lum(hexa):
        rgb = [int(hexa[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    a, b = sorted((lum(fg), lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_every_colour_on_the_web_page_reads_at_4_5_to_1():
    from gain_workbook.response.html import STYLE

    colours = re.findall(r"(?<![-\w])color: #([0-9a-f]{6})", STYLE)
    assert len(colours) >= 4
    for c in colours:
        for bg in ("ffffff", "ffdde0"):
            assert contrast(c, bg) >= 4.5, (c, bg)


# ---------------------------------------------------------------- names, boxes, the plenary

def test_the_files_are_named_for_the_report_not_an_internal_id(example):
    files, result = example
    assert sorted(files) == [".docx", ".html", ".pdf", ".xlsx"]
    assert {p.stem for p in files.values()} == {EXAMPLE_STEM}
    assert "INS-2023-07" not in result.stdout


WINDOWS_UNSAFE = set('<>:"/\\|?*') | {chr(c) for c in range(32)}


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=200))
def test_a_title_in_a_file_name_is_safe_on_windows_and_cut_at_a_word(title):
    from gain_workbook.response.document import title_for_file

    from gain_workbook.response.document import FILE_TITLE_LIMIT, _TRAILING

    name = title_for_file(title)
    assert 0 < len(name) <= FILE_TITLE_LIMIT
    assert not set(name) & WINDOWS_UNSAFE
    assert not name.endswith((" ", ".")) and name == name.strip()
    words = " ".join(title.split())
    if name != "inspection" and len(words) > FILE_TITLE_LIMIT and \
            " " in words[:FILE_TITLE_LIMIT + 1] and not set(words) & WINDOWS_UNSAFE:
        # cut where a word ends, never inside one, and not on 'to', 'of', 'about' ...
        assert words.startswith(name) and words[len(name)] in " .,;:-–—("
        assert len(name.split()) == 1 or name.split()[-1].casefold() not in _TRAILING


def test_a_title_cut_for_a_file_name_keeps_its_subject():
    """A new user's trial: 'An inspection of how well the police respond to' lost what
    the report is about."""
    from gain_workbook.response.document import title_for_file

    title = ("An inspection of how well the police respond to victims of anti-social "
             "behaviour and crime in their neighbourhoods, and how they work with partners")
    assert title_for_file(title) == ("An inspection of how well the police respond to "
                                     "victims of anti-social behaviour and crime")
    # a PEEL title whole, its colon a dash as the name's other parts are ('... - An
    # inspection' lost whom it inspected, a second trial)
    assert title_for_file("PEEL 2025–27 Police effectiveness, efficiency and legitimacy: An "
                          "inspection of Northshire Police") == (
        "PEEL 2025–27 Police effectiveness, efficiency and legitimacy – An inspection of "
        "Northshire Police")


def test_a_file_name_is_made_for_any_title(tmp_path):
    """The whole name, written to disk: a title of any length or characters."""
    from gain_workbook.response.document import response_file_stem

    for title in ("PEEL 2023–25: Police effectiveness, efficiency and legitimacy: An "
                  "inspection of Example Police", "What? <Custody> */\\|", "", "a" * 300):
        stem = response_file_stem({"title": title, "published": dt.datetime(2024, 3, 5)})
        assert stem.startswith("PCC response – ") and stem.endswith(" – 5 March 2024")
        (tmp_path / f"{stem}.pdf").write_bytes(b"%PDF-")
    assert response_file_stem({"title": "A", "published": None}) == "PCC response – A"


def test_the_published_copy_ticks_both_office_boxes_and_the_working_copy_shows_dates(
        tmp_path, runner):
    """The copy on the website has been to the Home Office by then, as the reference shows;
    the office's copy says what the register records."""
    from test_response import line, sheet_rows

    data = base_data()
    data["inspections"][0]["PCC comment"] = "Welcome."
    reg = write_register(tmp_path / "r.xlsx", data)           # nothing sent or published yet
    _run(runner, "response", reg, "--inspection", "INS-1", "-o", tmp_path / "p.xlsx", "--html")
    rows = [line(r) for r in sheet_rows(tmp_path / "p.xlsx")]
    assert rows[-2:] == ["☒ Response forwarded to Home Office", "☒ Response published on PCC website"]
    _run(runner, "response", reg, "--inspection", "INS-1", "-o", tmp_path / "w.xlsx", "--working")
    rows = [line(r) for r in sheet_rows(tmp_path / "w.xlsx")]
    assert "☐ Response forwarded to Home Office  not yet" in rows
    assert "☐ Response published on PCC website  not yet" in rows


NOT_HELD = ["A plenary session has not yet been planned.", "No plenary has taken place.",
            "The plenary session will be held in March.", "A plenary is yet to be arranged.",
            "The plenary is being scheduled with partners.", "A plenary has not been held."]
HELD = ["A plenary session was held on 3 March.", "The plenary took place in March.",
        "A plenary has been held with the lead.", "The plenary, held on 2 May, agreed actions.",
        "Plenary sessions were held in May."]
OTHER = ["The force welcomes the report.", "Progress is monitored by the GAIN Board.",
         "Actions are reviewed monthly."]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(OTHER), max_size=3), st.sampled_from(NOT_HELD + HELD),
       st.lists(st.sampled_from(OTHER), max_size=3), st.sampled_from([" ", "\n"]))
def test_what_the_force_says_of_the_plenary_is_read_sentence_by_sentence(before, said, after,
                                                                        sep):
    from gain_workbook.response.document import plenary_said

    text = sep.join(before + [said] + after)
    assert plenary_said(text) is (said in HELD)
    assert plenary_said(sep.join(before + after)) is None
    # both at once: no guess
    assert plenary_said(f"{NOT_HELD[0]} {HELD[0]}") is None


@pytest.mark.parametrize("force_text, plenary, sent, warned", [
    ("A plenary session has not yet been planned.", D(2024, 1, 20), None, "says no plenary"),
    ("A plenary session was held on 20 January.", None, None, "records no plenary"),
    ("A plenary session was held on 20 January.", D(2024, 3, 1), D(2024, 2, 1),
     "records it on 1 March 2024, after the day of the response"),
    ("A plenary session has not yet been planned.", D(2024, 3, 1), D(2024, 2, 1), ""),
    ("A plenary session was held on 20 January.", D(2024, 1, 20), None, ""),
])
def test_a_plenary_said_two_ways_is_warned_and_not_published_twice(tmp_path, runner, force_text,
                                                                   plenary, sent, warned):
    from test_response import xlsx_text

    data = base_data()
    data["inspections"][0].update({"PCC comment": "Welcome.", "Plenary session": plenary,
                                   "Response sent to Home Office and HMICFRS": sent})
    reg = write_register(tmp_path / "r.xlsx", data,
                         extra={"inspections": {"Force response": [force_text]}})
    r = _run(runner, "response", reg, "--inspection", "INS-1", "-o", tmp_path / "o.xlsx",
             "--as-of", "2024-02-20")
    text = xlsx_text(tmp_path / "o.xlsx")
    assert force_text in text
    process = [s for s in ("A plenary session with the Executive Lead and relevant stakeholders "
                           "was held", "A plenary session with the Executive Lead and relevant "
                           "stakeholders will be held") if s in text]
    if warned:
        assert "warning: the response for INS-1: the force's response says" in r.stderr
        assert warned in r.stderr and "correct the Force response or the Plenary" in r.stderr
        assert process == []                        # the process text's plenary is left out
    else:
        assert "plenary" not in r.stderr.lower() and len(process) == 1


# ---------------------------------------------------------------- the pack

@pytest.mark.slow
def test_the_packs_charts_say_their_figures_and_its_tables_repeat_their_headers(
        example_register, tmp_path, runner):
    import openpyxl

    pack = tmp_path / "pack.xlsx"
    _run(runner, "build", example_register, "-o", pack, "--as-of", AS_OF)
    z = zipfile.ZipFile(pack)
    descr = [html.unescape(d) for name in z.namelist() if name.startswith("xl/drawings/drawing")
             for d in re.findall(r'descr="([^"]*)"', z.read(name).decode())]
    wb = openpyxl.load_workbook(pack)
    ws = wb["Summary"]
    # the doughnut's data (N8:O12) in words, red, amber and green always
    counts = {ws.cell(r, 14).value: ws.cell(r, 15).value for r in range(8, 13)}
    said = ", ".join(f"{n} {rag}" for rag, n in counts.items()
                     if n or rag in ("Red", "Amber", "Green"))
    assert f"Items for the force by RAG: {said}" in descr
    bars = [d for d in descr if d.startswith("Items for the force by inspection and RAG: ")]
    assert len(bars) == 1 and "INS-2023-07: " in bars[0]
    assert re.search(r"INS-2023-07: \d+ Red, \d+ Amber, \d+ Green", bars[0])
    workbook = z.read("xl/workbook.xml").decode()
    for sheet in wb.worksheets:
        if sheet.sheet_state != "visible":
            continue
        title = sheet["A1"].value or sheet["B3"].value             # the cover's is its B3
        assert title and sheet["A1"].font.b | sheet["B3"].font.b, sheet.title
        if sheet.title not in ("Cover", "Summary"):
            assert sheet.print_title_rows == "$4:$4", sheet.title
            assert re.search(rf'<definedName name="ColumnTitle" localSheetId="\d+">'
                             rf"'{sheet.title}'!\$A\$4<", workbook), sheet.title
    assert wb.properties.title.endswith("pack November 2026")
