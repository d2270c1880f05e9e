"""`gain-pack build`: the board pack, read back cell by cell and opened in LibreOffice."""

from __future__ import annotations

import datetime as dt
import subprocess

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import base_data, make_register, run_tool, sha256, write_register
from gain_workbook.cli import cli
from gain_workbook.status.rollup import roll_up
from gain_workbook.check.validate import check

D = dt.date
AS_OF = "2026-11-28"


def build(runner, register, out, *extra):
    result = runner.invoke(cli, ["build", str(register), "-o", str(out), "--as-of", AS_OF, *extra])
    assert result.exit_code == 0, result.output + result.stderr
    return openpyxl.load_workbook(out)


def column(ws, header, header_row=4):
    """Values of a column below its header."""
    headers = [c.value for c in ws[header_row]]
    i = headers.index(header) + 1
    return [ws.cell(r, i).value for r in range(header_row + 1, ws.max_row + 1)]


@pytest.fixture(scope="module")
def example_pack(tmp_path_factory, example_register):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("pack") / "GAIN board pack.xlsx"
    wb = build(CliRunner(), example_register, out, "--meeting", "2026-12-03")
    return out, wb


def test_sheets_in_the_order_a_board_reads_them(example_pack):
    _, wb = example_pack
    assert wb.sheetnames == ["Cover", "For decision", "Summary", "Items", "Exceptions",
                             "Actions", "Responses", "PackInfo", "DecisionFacts"]
    assert wb["PackInfo"].sheet_state == "hidden"
    assert wb["DecisionFacts"].sheet_state == "hidden"


def test_cover_carries_board_force_dates_marking_and_contents(example_pack):
    _, wb = example_pack
    ws = wb["Cover"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert values.count("OFFICIAL-SENSITIVE") >= 2 and "GAIN Board" in values
    assert "Cleveland Police" in values
    assert dt.datetime(2026, 12, 3) in values and dt.datetime(2026, 11, 28) in values
    links = {c.value: c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink}
    assert links == {"For decision": "'For decision'!A1",
                     "Summary": "'Summary'!A1", "Items": "'Items'!A1",
                     "Exceptions": "'Exceptions'!A1", "Actions": "'Actions'!A1",
                     "Responses": "'Responses'!A1"}


def test_summary_headline_figures_and_native_charts(example_pack, example_register):
    out, wb = example_pack
    ws = wb["Summary"]
    reg, _ = check(example_register)
    head = roll_up(reg, D(2026, 11, 28)).headline()
    tiles = {ws.cell(5, c).value.split("\n")[0]: ws.cell(4, c).value for c in range(1, 13, 2)}
    assert tiles["Open items for the force"] == head["open_items"] == 3
    assert tiles["Overdue actions"] == head["overdue_actions"] == 2
    # what the board is asked to close: here nothing (Rec 2 is already signed off)
    assert tiles["Items and actions to close (for decision)"] == head["ready_for_closure"] == 0
    assert tiles["Closed or ready since last pack (no previous pack given)"] == "n/a"
    assert len(ws._charts) == 3                   # RAG, by inspection, the last 12 months
    import zipfile

    z = zipfile.ZipFile(out)
    charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3
    # the new chart has a title of its own
    assert any(b"Open and overdue actions at each month&apos;s end, and items closed in the "
               b"month" in z.read(n) or b"Open and overdue actions at each month's end" in
               z.read(n) for n in charts)


def test_items_sheet_one_row_per_item_with_rag_and_reason(example_pack):
    _, wb = example_pack
    ws = wb["Items"]
    # the force's own items first, in report order; then those addressed to others
    labels, status = column(ws, "Item"), column(ws, "Status")
    others = [lbl for lbl, st in zip(labels, status) if st == "Not for the force"]
    assert others and labels[-len(others):] == others
    assert sorted(labels) == sorted(["Rec %d" % n for n in range(1, 10)] + ["AFI 1"])
    own = labels[:-len(others)]
    assert own == sorted(own, key=lambda x: (x.startswith("AFI"), int(x.split()[1])))
    rag = dict(zip(column(ws, "Item"), column(ws, "RAG")))
    assert rag == {"Rec 1": "Grey", "Rec 2": "Blue", "Rec 3": "Grey", "Rec 4": "Red",
                   "Rec 5": "Grey", "Rec 6": "Grey", "Rec 7": "Grey", "Rec 8": "Grey",
                   "Rec 9": "Red", "AFI 1": "Amber"}
    reason = dict(zip(column(ws, "Item"), column(ws, "Reason")))
    assert reason["Rec 4"].startswith("1 of 2 actions overdue; oldest 516 days")
    assert ws.conditional_formatting, "RAG colours come from conditional formatting"
    assert ws.freeze_panes == "D5"


def test_exceptions_list_overdue_stale_and_due_soon_with_owner_and_days(example_pack):
    _, wb = example_pack
    ws = wb["Exceptions"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5)]
    sections = [r[0] for r in rows if r[0] and r[1] is None and "(" in str(r[0])]
    assert sections == ["Overdue actions (2)", "Items open past their deadline (2)",
                        "Items for the force with no actions and no reason (0)",
                        "Not updated for more than 60 days (2)", "Due in the next 28 days (0)"]
    overdue = [r for r in rows if r[0] == "Overdue"]
    assert [(r[4], r[6]) for r in overdue] == [("Public Protection QA Lead", 607),
                                              ("Head of Information Systems", 516)]


def test_actions_sheet_is_a_native_table_with_derived_columns(example_pack):
    _, wb = example_pack
    ws = wb["Actions"]
    assert list(ws.tables) == ["Actions"]
    assert ws.tables["Actions"].ref == "A4:N11"
    assert column(ws, "Days overdue") == [None, None, 516, None, None, 607, None]
    assert column(ws, "Effective due")[2] == dt.datetime(2025, 6, 30)


def test_responses_sheet_has_the_s55_deadline(example_pack):
    _, wb = example_pack
    ws = wb["Responses"]
    assert column(ws, "Day 56 (last day)") == [dt.datetime(2024, 2, 1)]
    assert column(ws, "Position") == ["Published"]


def test_responses_sheet_has_the_local_target_and_reports_needing_none(tmp_path, runner):
    data = base_data()
    data["settings"]["Response target (days)"] = 30
    data["inspections"][0]["Published"] = dt.date(2026, 11, 18)
    data["inspections"].append({"Inspection ID": "SC-1", "Title": "A super-complaint",
                                "Published": dt.date(2026, 11, 1), "Type": "National"})
    reg = write_register(tmp_path / "r.xlsx", data,
                         extra={"inspections": {"Response required": ["Yes", "No"]}})
    wb = build(runner, reg, tmp_path / "p.xlsx")
    ws = wb["Responses"]
    assert column(ws, "Day 56 (last day)") == [dt.datetime(2027, 1, 12), dt.datetime(2026, 12, 26)]
    assert column(ws, "Local target (day 30)") == [dt.datetime(2026, 12, 17),
                                                   dt.datetime(2026, 11, 30)]
    assert column(ws, "Position") == ["Not due", "Not required"]
    assert ws["A2"].value.endswith("the office's own target is day 30")
    assert "1 response not yet sent" in runner.invoke(cli, ["build", str(reg), "-o",
                                                            str(tmp_path / "q.xlsx"),
                                                            "--as-of", AS_OF]).stdout


def test_print_setup_a4_one_page_wide_marking_in_header_and_footer(example_pack):
    _, wb = example_pack
    for name in ("Cover", "Summary", "Items", "Exceptions", "Actions", "Responses"):
        ws = wb[name]
        assert ws.page_setup.paperSize == 9, name
        # fitToWidth absent means the OOXML default, 1
        assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0, name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert "OFFICIAL-SENSITIVE" in ws.oddHeader.left.text, name
        assert "OFFICIAL-SENSITIVE" in ws.oddFooter.left.text, name
        assert "Page &P of &N" in ws.oddFooter.center.text, name
        assert "GAIN Board" in ws.oddHeader.center.text and "28/11/2026" in ws.oddHeader.right.text
    assert wb["Cover"].page_setup.orientation == "portrait"
    for name in ("Items", "Exceptions", "Actions", "Responses"):
        assert wb[name].page_setup.orientation == "landscape"
        assert wb[name].print_title_rows == "$4:$4", name


@pytest.mark.slow
def test_pack_opens_clean_in_libreoffice_and_has_no_hashes(example_pack, tmp_path):
    out, _ = example_pack
    proc = run_tool("xlsx-recalc-check", out, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run_tool("xlsx-render", out, tmp_path / "render")
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "render" / (out.stem + ".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True).stdout
    assert "Rec 9" in text and "OFFICIAL-SENSITIVE" in text
    assert "###" not in text, "a column is too narrow for its value"


INJECTIONS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)",
              "http://evil.example/phish", "=1/0"]


def test_register_text_never_becomes_a_formula_or_link(tmp_path, runner):
    data = base_data()
    data["actions"][0].update({"Action": INJECTIONS[0], "Owner": INJECTIONS[1],
                               "Latest update": INJECTIONS[4]})
    data["actions"][2].update({"Action": INJECTIONS[2], "Owner": INJECTIONS[3],
                               "Latest update": INJECTIONS[5]})
    data["items"][0]["Text"] = INJECTIONS[0]
    data["items"][0]["Lead"] = INJECTIONS[4]
    data["inspections"][0]["Title"] = INJECTIONS[5]
    data["inspections"][0]["Inspection ID"] = "=INS"
    for i in data["items"]:
        i["Inspection ID"] = "=INS"
    data["actions"][1]["Status"] = "wip"          # a warning, so Data quality is written too
    reg = write_register(tmp_path / "r.xlsx", data)
    out = tmp_path / "pack.xlsx"
    result = runner.invoke(cli, ["build", str(reg), "-o", str(out), "--as-of", "2024-08-01",
                                 "--previous", str(reg)])
    assert result.exit_code == 0, result.output + result.stderr
    wb = openpyxl.load_workbook(out)
    assert "Data quality" in wb.sheetnames and "Movement" in wb.sheetnames
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and any(s in c.value for s in INJECTIONS + ["=INS"]):
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    assert c.hyperlink is None, (ws.title, c.coordinate)
                    seen.add(c.value)
    assert set(INJECTIONS) | {"=INS"} <= seen
    import zipfile

    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in s and "HYPERLINK" in s for s in sheets)


@pytest.mark.slow
def test_same_register_same_options_byte_identical(runner, tmp_path, example_register):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    build(runner, example_register, a, "--meeting", "2026-12-03")
    build(runner, example_register, b, "--meeting", "2026-12-03")
    assert sha256(a) == sha256(b)
    c = tmp_path / "c.xlsx"
    build(runner, example_register, c, "--meeting", "2026-12-04")
    assert sha256(a) != sha256(c)


@pytest.mark.slow
def test_failed_build_leaves_no_partial_file_and_keeps_the_old_pack(tmp_path, example_register):
    from gain_workbook.pack.board import build_pack

    reg, report = check(example_register)
    result = roll_up(reg, D(2026, 11, 28))
    out = tmp_path / "pack.xlsx"
    build_pack(result, report, out)
    before = sha256(out)

    def explode(n):
        raise RuntimeError("disk full")

    many = make_register.generate(6000, seed=4)
    big = tmp_path / "big.xlsx"
    make_register.write_template(many, big)
    reg2, report2 = check(big)
    with pytest.raises(RuntimeError, match="disk full"):
        build_pack(roll_up(reg2, D(2026, 11, 28)), report2, out, progress=explode)
    assert sha256(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.xlsx", "pack.xlsx"]


def test_invalid_register_is_refused_unless_allow_errors(runner, tmp_path):
    data = base_data()
    data["actions"][0]["Status"] = "Parked"
    reg = write_register(tmp_path / "bad.xlsx", data)
    out = tmp_path / "pack.xlsx"
    result = runner.invoke(cli, ["build", str(reg), "-o", str(out)])
    assert result.exit_code == 1
    assert "NOT_IN_LIST" in result.stderr and "--allow-errors" in result.stderr
    assert not out.exists()
    wb = build(runner, reg, out, "--allow-errors")
    ws = wb["Data quality"]
    assert column(ws, "Where") == ["Actions!G2"]
    assert column(ws, "Severity") == ["Error"]


def test_action_of_an_unknown_item_is_listed_without_nan(runner, tmp_path):
    data = base_data()
    data["actions"][2]["Item ID"] = "INS-1-R9"
    reg = write_register(tmp_path / "bad.xlsx", data)
    wb = build(runner, reg, tmp_path / "pack.xlsx", "--allow-errors")
    ws = wb["Actions"]
    row = column(ws, "Action").index("Audit welfare checks.")
    assert column(ws, "Item")[row] == "Item"
    assert column(ws, "Inspection ID")[row] is None
    texts = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert not [t for t in texts if "nan" in t.split()]


def test_mistyped_years_are_errors_and_still_build_with_allow_errors(runner, tmp_path):
    data = base_data()
    data["actions"][0]["Due"] = dt.datetime(9999, 12, 31)   # a date cell
    data["actions"][1]["Revised due"] = "31/12/9999"
    data["inspections"][0]["Published"] = "14/10/1066"
    reg = write_register(tmp_path / "far.xlsx", data)
    wb = build(runner, reg, tmp_path / "pack.xlsx", "--allow-errors")
    ws = wb["Data quality"]
    assert sorted(column(ws, "Where")) == ["Actions!E2", "Actions!F3", "Inspections!C2"]
    assert set(column(ws, "What is wrong")) == {"A date cannot be read"}
    assert set(column(ws, "Value")) == {"31/12/9999", "14/10/1066"}


def test_default_name_beside_the_register(runner, tmp_path):
    reg = write_register(tmp_path / "My register.xlsx", base_data())
    result = runner.invoke(cli, ["build", str(reg), "--as-of", "2026-11-28"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "GAIN board pack 2026-11.xlsx").exists()
    assert "Wrote " in result.stdout and "overdue actions" in result.stdout


def test_build_refuses_to_overwrite_the_register(runner, base_register):
    before = sha256(base_register)
    result = runner.invoke(cli, ["build", str(base_register), "-o", str(base_register)])
    assert result.exit_code == 2 and "must not replace the register" in result.stderr
    assert sha256(base_register) == before


def test_movement_from_last_months_pack(runner, tmp_path):
    data = base_data()
    reg = write_register(tmp_path / "register.xlsx", data)
    last = tmp_path / "GAIN board pack 2024-07.xlsx"
    result = runner.invoke(cli, ["build", str(reg), "-o", str(last), "--as-of", "2024-07-01"])
    assert result.exit_code == 0, result.stderr
    # a month of work: A1 finished, A3 moved, a new action, and A1's due date passes for A3
    data["actions"][0].update({"Status": "Complete", "Completed on": D(2024, 7, 20)})
    data["actions"][2]["Revised due"] = D(2025, 3, 31)
    data["actions"].append({"Action ID": "A4", "Item ID": "INS-1-AFI1", "Action": "Brief staff.",
                            "Owner": "Custody QA", "Due": D(2024, 7, 15), "Status": "In progress"})
    data["items"][0]["Ready for closure (board signed)"] = D(2024, 7, 25)
    write_register(reg, data)
    out = tmp_path / "GAIN board pack 2024-08.xlsx"
    wb = build(runner, reg, out, "--previous", str(last))
    ws = wb["Movement"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5)]
    changes = [(r[0], r[3], r[5], r[6], r[7]) for r in rows if r[1] is not None]
    assert ("New actions", "Brief staff.", None, "In progress", None) in changes
    assert ("Closed or ready for closure", None, "In progress", "Ready for closure", None) in changes
    assert ("Status changes", "Review the custody policy.", "In progress", "Complete", None) in changes
    assert ("Due dates moved", "Audit welfare checks.", "31/01/2025", "31/03/2025", 59) in changes
    days = (dt.date.fromisoformat(AS_OF) - D(2024, 7, 15)).days
    assert ("Newly overdue", "Brief staff.", None, "15/07/2024", days) in changes
    tiles = {wb["Summary"].cell(5, c).value: wb["Summary"].cell(4, c).value for c in range(1, 13, 2)}
    assert tiles["Closed or ready since last pack"] == 1


def test_movement_from_last_months_register(runner, tmp_path):
    data = base_data()
    prev = write_register(tmp_path / "last month.xlsx", data)
    data["actions"][2].update({"Status": "In progress"})
    reg = write_register(tmp_path / "register.xlsx", data)
    wb = build(runner, reg, tmp_path / "p.xlsx", "--previous", str(prev))
    rows = [[c.value for c in r] for r in wb["Movement"].iter_rows(min_row=5)]
    assert ["Status changes", "INS-1", "AFI 1", "Audit welfare checks.", "Custody QA",
            "Not started", "In progress", None] in rows


def test_previous_that_is_unreadable_is_exit_2(runner, tmp_path, base_register):
    bad = tmp_path / "last.xlsx"
    bad.write_text("not a workbook")
    result = runner.invoke(cli, ["build", str(base_register), "-o", str(tmp_path / "p.xlsx"),
                                 "--previous", str(bad)])
    assert result.exit_code == 2 and "Cannot read 'last.xlsx'" in result.stderr
    assert not (tmp_path / "p.xlsx").exists()


@pytest.mark.slow
def test_generated_register_with_previous_is_clean_in_libreoffice(runner, tmp_path):
    data = make_register.generate(300, seed=11)
    reg = tmp_path / "register.xlsx"
    make_register.write_template(data, reg)
    out = tmp_path / "pack.xlsx"
    build(runner, reg, out, "--previous", str(reg), "--meeting", "2026-12-03")
    proc = run_tool("xlsx-recalc-check", out, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_summary_lists_the_recent_inspections_and_points_to_the_rest(runner, tmp_path):
    from gain_workbook.pack.summary import SUMMARY_INSPECTIONS

    data = make_register.generate(900, seed=8)
    reg = tmp_path / "register.xlsx"
    make_register.write_template(data, reg)
    wb = build(runner, reg, tmp_path / "p.xlsx")
    ws = wb["Summary"]
    ids = [ws.cell(r, 1).value for r in range(26, ws.max_row + 1)]
    n = len(data["inspections"])
    assert n > SUMMARY_INSPECTIONS
    listed = [i for i in ids if i and str(i).startswith("INS-")]
    assert len(listed) == SUMMARY_INSPECTIONS
    newest = sorted(data["inspections"], key=lambda i: i["Published"], reverse=True)
    assert listed[0] == newest[0]["Inspection ID"]
    assert ids[-1] == f"... and {n - SUMMARY_INSPECTIONS:,} older inspections: the Responses " \
                      "sheet lists every inspection."
    assert len(column(wb["Responses"], "Inspection ID")) == n


@pytest.mark.slow
@pytest.mark.serial
def test_long_build_shows_progress_on_a_terminal_and_not_in_a_pipe(tmp_path):
    """stderr on a real pseudo-terminal gets a progress bar; a pipe gets none."""
    import os
    import pty
    import shutil
    import sys

    data = make_register.generate(13000, seed=12)       # items + actions just over 20,000
    reg = tmp_path / "big.xlsx"
    make_register.write_template(data, reg)
    exe = shutil.which("gain-pack") or sys.executable
    cmd = ([exe] if exe.endswith("gain-pack") else [exe, "-m", "gain_workbook"]) + \
        ["build", str(reg), "-o", str(tmp_path / "p.xlsx"), "--as-of", "2026-11-28"]
    leader, follower = pty.openpty()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=300)
    os.close(leader)
    assert proc.returncode == 0, seen.decode(errors="replace")
    assert b"Writing the pack" in seen
    piped = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0 and "Writing the pack" not in piped.stderr


def test_wrapped_lines_breaks_at_words_as_excel_does():
    from gain_workbook.excel.styles import CHARS_PER_WIDTH, wrapped_lines

    width = 14                                     # a line holds int(14 * 1.25) = 17 characters
    assert int(width * CHARS_PER_WIDTH) == 17
    assert wrapped_lines("Head of Analysis", width) == 1
    # 27 characters would fit in two lines of 17, but the words break it into three
    assert wrapped_lines("Head of Information Systems", width) == 3
    assert wrapped_lines("x" * 40, width) == 3                 # a long word is split
    assert wrapped_lines("one two   three four five six seven  ", width) == 3
    assert wrapped_lines("a\n\nb", width) == 3


def _lines_word_by_word(text: str, cap: int) -> int:
    """The rule wrapped_lines keeps, a word at a time: a word joins the line when it
    fits after one space, else starts the next; a word longer than a line is cut."""
    lines = 0
    for part in text.split("\n"):
        if len(part) <= cap:
            lines += 1
            continue
        n, used = 1, 0
        for word in part.split(" "):
            w = len(word)
            if not w:
                continue
            if used and used + 1 + w <= cap:
                used += 1 + w
                continue
            if used:
                n += 1
            n += (w - 1) // cap
            used = (w - 1) % cap + 1
        lines += n
    return lines


@settings(max_examples=600, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab xyz\n\t-"), max_size=200),
       width=st.floats(min_value=0.5, max_value=60))
def test_wrapped_lines_a_line_at_a_time_counts_as_word_by_word(text, width):
    from gain_workbook.excel.styles import CHARS_PER_WIDTH, wrapped_lines

    cap = max(1, int(width * CHARS_PER_WIDTH))
    assert wrapped_lines(text, width) == _lines_word_by_word(text, cap)


def test_a_short_text_of_several_lines_gets_a_row_that_shows_them_all():
    """A cell of two short lines ('Done.' / 'Evidence filed.') is shorter than a line
    of its column, yet needs two lines: its row may not stay one line high."""
    from gain_workbook.excel.styles import LINE_HEIGHT
    from gain_workbook.excel.packfile import Col
    from gain_workbook.pack.layout import _heights

    col = Col("Latest update", "latest_update", "wrap", 30)
    texts = ["Done.\nEvidence filed.", "Done.", None, "a\nb\nc"]
    heights = _heights([texts], [col])
    assert heights == [LINE_HEIGHT * 2 + 3, None, None, LINE_HEIGHT * 3 + 3]


def test_items_are_in_report_order_like_the_response(runner, tmp_path):
    """Gravest kind first, then by number (2 before 10): the pack and the response agree."""
    data = base_data()
    data["inspections"][0].update({"Plenary session": D(2024, 2, 1), "PCC comment": "Welcome."})
    extra = [("Recommendation", "10"), ("Cause of concern", "1"),
             ("Accelerated cause of concern", "1")]
    for kind, number in extra:
        data["items"].append({"Item ID": f"INS-1-{kind[:3]}{number}", "Inspection ID": "INS-1",
                              "Kind": kind, "Number": number, "Text": f"{kind} {number}.",
                              "Addressee": "All chief constables", "Applies to force": "Yes",
                              "No action because": "Done in 2023.", "HMICFRS status": "Open"})
    reg = write_register(tmp_path / "r.xlsx", data)
    wb = build(runner, reg, tmp_path / "p.xlsx")
    # Rec 2 is for the Home Office: after the force's own items
    expected = ["Accelerated CoC 1", "CoC 1", "Rec 1", "Rec 10", "AFI 1", "Rec 2"]
    assert column(wb["Items"], "Item") == expected
    result = runner.invoke(cli, ["response", str(reg), "--inspection", "INS-1",
                                 "-o", str(tmp_path / "resp.xlsx")])
    assert result.exit_code == 0, result.stderr
    ws = openpyxl.load_workbook(tmp_path / "resp.xlsx").active
    # column A: the items under Recommendations (the bullets of those for forces are in B)
    texts = [r[0].value for r in ws.iter_rows() if isinstance(r[0].value, str)]
    order = [t.split(".")[0] for t in texts if t in {f"{k} {n}." for k, n in extra}
             or t.startswith(("By 31 December 2024", "The Home Office", "Forces should"))]
    assert order == ["Accelerated cause of concern 1", "Cause of concern 1",
                     "By 31 December 2024, all chief constables should review custody",
                     "The Home Office should publish data", "Recommendation 10",
                     "Forces should improve detainee welfare checks"]


def _red_register(tmp_path):
    """Every cause of Red: overdue actions, a deadline passed, no actions, a CoC Red
    through its recommendation's action; and a board-agreed deadline that is not Red."""
    data = base_data()
    item = {"Inspection ID": "INS-1", "Applies to force": "Yes", "HMICFRS status": "Open",
            "Addressee": "All chief constables"}
    data["items"] += [
        {**item, "Item ID": "INS-1-R4", "Kind": "Recommendation", "Number": "4",
         "Text": "Review detention times."},
        {**item, "Item ID": "INS-1-CoC1", "Kind": "Cause of concern", "Number": "1",
         "Text": "Detainees are not always safe."},
        {**item, "Item ID": "INS-1-CoC1-R1", "Kind": "Recommendation", "Number": "5",
         "Text": "Check cells hourly.", "Under": "INS-1-CoC1"},
        {**item, "Item ID": "INS-1-R6", "Kind": "Recommendation", "Number": "6",
         "Text": "By 31 March 2025, audit.", "Deadline (as written)": "By 31 March 2025"},
        {**item, "Item ID": "INS-1-R7", "Kind": "Recommendation", "Number": "7",
         "Text": "With immediate effect, stop strip searches of children.",
         "Deadline (as written)": "With immediate effect",
         "Revised deadline (board agreed)": D(2027, 3, 31)},
    ]
    later = {"Due": D(2027, 6, 30), "Status": "In progress", "Owner": "Ch Insp Custody",
             "Last updated": D(2026, 11, 20), "Latest update": "On track."}
    data["actions"] += [
        {"Action ID": "A5", "Item ID": "INS-1-CoC1-R1", "Action": "Hourly checks.",
         "Owner": "Custody QA", "Due": D(2025, 3, 1), "Status": "In progress"},
        {**later, "Action ID": "A6", "Item ID": "INS-1-R6", "Action": "Audit."},
        {**later, "Action ID": "A7", "Item ID": "INS-1-R7", "Action": "New policy."},
    ]
    extra = {key: [i.pop(key, None) for i in data["items"]]
             for key in ("Under", "Revised deadline (board agreed)")}
    return write_register(tmp_path / "red.xlsx", data, extra={"items": extra})


def test_every_red_item_on_items_is_explained_on_exceptions(runner, tmp_path):
    wb = build(runner, _red_register(tmp_path), tmp_path / "p.xlsx")
    items = wb["Items"]
    red = {(i, lbl) for i, lbl, rag in zip(column(items, "Inspection ID"), column(items, "Item"),
                                           column(items, "RAG")) if rag == "Red"}
    assert len(red) == 6              # R1, AFI 1, R4, CoC 1, Rec 5 under it, R6
    rows = [[c.value for c in r] for r in wb["Exceptions"].iter_rows(min_row=5)]
    explained = set()
    for r in rows:
        if r[0] in ("Overdue", "Past deadline", "No actions"):
            for label in str(r[2]).replace(")", "").split(" ("):   # 'Rec 5 (CoC 1)'
                explained.add((r[1], label))
    assert explained == red
    causes = {(r[0], r[2]) for r in rows if r[0] in ("Past deadline", "No actions")}
    assert causes == {("Past deadline", "Rec 1"), ("Past deadline", "Rec 6"),
                      ("No actions", "Rec 4")}


def test_a_board_agreed_deadline_is_what_the_rag_goes_by(runner, tmp_path):
    wb = build(runner, _red_register(tmp_path), tmp_path / "p.xlsx")
    ws = wb["Items"]
    row = dict(zip(column(ws, "Item"), zip(column(ws, "Deadline"), column(ws, "Agreed deadline"),
                                           column(ws, "RAG"), column(ws, "Reason"))))
    deadline, agreed, rag, reason = row["Rec 7"]
    assert (deadline, agreed) == (dt.datetime(2024, 1, 10), dt.datetime(2027, 3, 31))
    assert rag == "Green"
    days = (dt.date.fromisoformat(AS_OF) - D(2024, 1, 10)).days
    assert reason == (f"HMICFRS deadline 10/01/2024 passed {days} days ago; the board agreed "
                      "31/03/2027")


def test_items_not_for_the_force_can_be_left_off_the_items_sheet(runner, tmp_path):
    data = base_data()                           # Rec 2 is for the Home Office
    data["settings"]["Show items not for the force"] = "no"
    wb = build(runner, write_register(tmp_path / "r.xlsx", data), tmp_path / "p.xlsx")
    ws = wb["Items"]
    assert column(ws, "Item") == ["Rec 1", "AFI 1"]
    assert "(1 item not for the force left off, as Settings ask)" in ws["A2"].value
    data["settings"]["Show items not for the force"] = "perhaps"
    _, report = check(write_register(tmp_path / "bad.xlsx", data))
    assert [p.code for p in report.errors] == ["BAD_SETTING"]
    assert "which is not yes or no" in report.errors[0].message


def test_stale_detail_says_when_an_update_has_no_date(runner, tmp_path):
    """A tracker's 'Current Position' with no date beside it is not 'Never updated'."""
    data = base_data()
    data["actions"][2]["Latest update"] = "Scoping."          # A3: text, but no date
    wb = build(runner, write_register(tmp_path / "r.xlsx", data), tmp_path / "p.xlsx")
    stale = {r[3]: r[7] for r in wb["Exceptions"].iter_rows(values_only=True) if r[0] == "Stale"}
    assert stale["Audit welfare checks."] == \
        "Scoping. (the update has no date; counted from 10/01/2024)"
    assert stale["Review the custody policy."] == "Draft written."


def test_data_quality_speaks_in_sentences_without_rule_codes():
    from gain_workbook.pack.board import DQ_COLS

    assert "code" not in [c.key for c in DQ_COLS]
    assert [c.header for c in DQ_COLS][:3] == ["Severity", "About", "What to do"]
    assert "What is wrong" in [c.header for c in DQ_COLS]      # the rule's title, in words
    assert DQ_COLS[-1].header == "Where"


def test_data_quality_is_for_the_board_errors_first_each_naming_its_item(runner, tmp_path):
    data = base_data()
    data["actions"][0]["Latest update"] = None
    data["actions"][0]["Status"] = "wip"            # a warning on A1 (row 2) ...
    data["actions"][2]["Status"] = "Parked"         # ... and an error on A3 (row 4)
    wb = build(runner, write_register(tmp_path / "r.xlsx", data), tmp_path / "p.xlsx",
               "--allow-errors")
    ws = wb["Data quality"]
    rows = list(zip(column(ws, "Severity"), column(ws, "About"), column(ws, "Where")))
    assert rows[0] == ("Error", "INS-1 AFI 1, action A3", "Actions!G4")
    assert ("Warning", "INS-1 Rec 1, action A1", "Actions!G2") in rows[1:]
    assert [c.value for c in ws[4]][-1] == "Where"


def test_a_contents_line_that_wraps_has_the_room_for_it(example_pack):
    """'Exceptions' is described in two lines of its column; a one-line row cut it off."""
    from gain_workbook.pack.board import SHEET_PURPOSE
    from gain_workbook.excel.styles import LINE_HEIGHT, wrapped_lines

    out, _ = example_pack
    ws = openpyxl.load_workbook(out)["Cover"]
    rows = {ws.cell(r, 2).value: r for r in range(1, ws.max_row + 1)}
    assert wrapped_lines(SHEET_PURPOSE["Exceptions"], 62) == 2
    assert ws.row_dimensions[rows["Exceptions"]].height >= 2 * LINE_HEIGHT
    assert ws.row_dimensions[rows["Items"]].height == 18


def test_a_meeting_before_the_packs_date_is_said(runner, tmp_path):
    """--meeting 3 November with --as-of 28 November: the board would be shown figures
    from after it met. The pack is written (a clerk may rebuild an old one on purpose),
    with one warning naming both dates; a meeting on or after the date says nothing."""
    reg = write_register(tmp_path / "r.xlsx", base_data())
    r = runner.invoke(cli, ["build", str(reg), "-o", str(tmp_path / "early.xlsx"), "--as-of",
                            AS_OF, "--meeting", "2026-11-03"])
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "early.xlsx").exists()
    said = [line for line in r.stderr.splitlines() if "before the date the pack" in line]
    assert said == ["gain-pack: warning: the meeting (03/11/2026) is before the date "
                    "the pack is built for (28/11/2026), so the board would see figures "
                    "from after it met; check the two dates"], r.stderr
    for meeting in ("2026-11-28", "2026-12-03"):
        r = runner.invoke(cli, ["build", str(reg), "-o", str(tmp_path / f"{meeting}.xlsx"),
                                "--as-of", AS_OF, "--meeting", meeting])
        assert r.exit_code == 0 and "before the date the pack" not in r.stderr, r.stderr


def test_a_pack_built_as_at_a_day_before_the_registers_updates_says_so(runner, tmp_path):
    """Replies merged on 7 December, the pack built as at 1 December: it showed the new
    statuses and updates but 'Actions updated this month: 0' and no update received, in
    silence (a trial). One warning names both days; built as at the latest, none."""
    data = base_data()
    data["actions"][0]["Last updated"] = dt.datetime(2026, 12, 7)
    reg = write_register(tmp_path / "r.xlsx", data)
    r = runner.invoke(cli, ["build", str(reg), "-o", str(tmp_path / "early.xlsx"), "--as-of",
                            "2026-12-01"])
    assert r.exit_code == 0, r.stderr
    said = [line for line in r.stderr.splitlines() if "updated after" in line]
    assert said == ["gain-pack: warning: the register holds 1 action updated after 01/12/2026, "
                    "the day the pack is built for (the latest on 07/12/2026): the pack shows "
                    "the register as it is now but counts none of those updates as received; "
                    "build it as at 07/12/2026 or later for one day's figures"], r.stderr
    r = runner.invoke(cli, ["build", str(reg), "-o", str(tmp_path / "late.xlsx"), "--as-of",
                            "2026-12-07"])
    assert r.exit_code == 0 and "updated after" not in r.stderr, r.stderr


def test_a_pack_built_late_in_the_month_for_next_months_meeting_takes_its_name(runner,
                                                                                  tmp_path):
    """Built on 28 December for the meeting of 7 January, with December's pack as
    --previous: the default name was December's, and the build was refused ('it is last
    month's pack') (a new user's trial). It is named for the meeting's month, said."""
    reg = write_register(tmp_path / "r.xlsx", base_data())
    r = runner.invoke(cli, ["build", str(reg), "--as-of", "2026-12-02", "--meeting",
                            "2026-12-10"])
    assert r.exit_code == 0, r.stderr
    december = tmp_path / "GAIN board pack 2026-12.xlsx"
    before = december.read_bytes()
    r = runner.invoke(cli, ["build", str(reg), "--as-of", "2026-12-28", "--meeting",
                            "2027-01-07", "--previous", str(december)])
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "GAIN board pack 2027-01.xlsx").is_file()
    assert december.read_bytes() == before
    assert "so this one is named for the meeting's month: 'GAIN board pack 2027-01.xlsx'" \
        in r.stderr


def test_an_inspection_with_nothing_but_grey_items_is_no_empty_bar(runner, tmp_path):
    """A new report awaiting its plenary has only Grey items: on the bar chart it was an
    inspection with no bar (seen running the office's month). It is left out of that
    chart, its data and its alternative text; the RAG chart still counts its items."""
    import html
    import re
    import zipfile

    data = base_data()
    data["inspections"].append({"Inspection ID": "INS-2", "Title": "A new report",
                                "Published": D(2026, 11, 14), "Type": "Force-specific"})
    data["items"].append({"Item ID": "INS-2-R1", "Inspection ID": "INS-2",
                          "Kind": "Recommendation", "Number": "1",
                          "Text": "The force should act.", "Applies to force": "Yes",
                          "HMICFRS status": "Open"})
    reg = write_register(tmp_path / "r.xlsx", data)
    wb = build(runner, reg, tmp_path / "p.xlsx")
    ws = wb["Summary"]
    assert [ws.cell(r, 14).value for r in range(15, 17)] == ["INS-1", None]
    pie = {ws.cell(r, 14).value: ws.cell(r, 15).value for r in range(8, 13)}
    assert pie["Grey"] >= 1
    z = zipfile.ZipFile(tmp_path / "p.xlsx")
    descr = [html.unescape(d) for n in z.namelist() if n.startswith("xl/drawings/drawing")
             for d in re.findall(r'descr="([^"]*)"', z.read(n).decode())]
    (bars,) = [d for d in descr if d.startswith("Items for the force by inspection and RAG")]
    assert "INS-1: " in bars and "INS-2" not in bars


def test_a_pack_given_as_the_register_is_one_sentence(runner, tmp_path, monkeypatch):
    """Found by a new user's trial: a board pack given to build (or validate) as the
    register got a page of advice on aliases for its sheets. It is one sentence naming
    the register the pack was built from; the pack is not changed."""
    reg = write_register(tmp_path / "Inspection register.xlsx", base_data())
    build(runner, reg, tmp_path / "pack.xlsx")
    before = sha256(tmp_path / "pack.xlsx")
    for args in (["build", tmp_path / "pack.xlsx", "-o", tmp_path / "again.xlsx"],
                 ["validate", tmp_path / "pack.xlsx"], ["requests", tmp_path / "pack.xlsx"]):
        out = runner.invoke(cli, [str(a) for a in args])
        assert out.exit_code == 2, out.output
        assert out.stderr.strip() == ("gain-pack: 'pack.xlsx' is a board pack written by "
                                      "gain-pack, not a register; give the register it was "
                                      "built from, 'Inspection register.xlsx'."), out.stderr
    assert sha256(tmp_path / "pack.xlsx") == before and not (tmp_path / "again.xlsx").exists()
    # said from its PackInfo sheet alone, before the pack's big sheets are parsed (review)
    from gain_workbook.core.errors import RegisterError
    from gain_workbook.register import reader

    def parsed(*args):
        raise AssertionError("a sheet of the pack was parsed")

    monkeypatch.setattr(reader, "_parse_sheets", parsed)
    with pytest.raises(RegisterError, match="is a board pack written by gain-pack"):
        reader.read_register(tmp_path / "pack.xlsx")


def test_a_pack_or_requests_of_another_register_are_not_replaced(runner, tmp_path):
    """A second new user's trial: two registers in one folder share the month's pack
    name and requests folder, and the second wrote over the first's without a word. Each
    is refused in one sentence with the way round it; the first register's are kept."""
    from gain_workbook import api

    a = write_register(tmp_path / "A register.xlsx", base_data())
    b = write_register(tmp_path / "B register.xlsx", base_data())
    built = runner.invoke(cli, ["build", str(a), "--as-of", AS_OF])
    assert built.exit_code == 0, built.output
    pack = tmp_path / "GAIN board pack 2026-11.xlsx"
    before = sha256(pack)
    out = runner.invoke(cli, ["build", str(b), "--as-of", AS_OF])
    assert out.exit_code == 2 and out.stderr.strip() == (
        f"gain-pack: Nothing was written: '{pack.name}' is the board pack of the register "
        "'A register.xlsx', which this pack of 'B register.xlsx' would replace; give this "
        "pack another name with --output."), out.stderr
    assert sha256(pack) == before
    api.requests(a, as_of=D(2026, 11, 28))
    manifest = tmp_path / "Update requests 2026-11" / "requests.json"
    kept = manifest.read_bytes()
    out = runner.invoke(cli, ["requests", str(b), "--as-of", AS_OF])
    assert out.exit_code == 2 and "holds the update requests of the register 'A register.xlsx'" \
        in out.stderr and "give them another folder with --output." in out.stderr, out.stderr
    assert manifest.read_bytes() == kept
    again = runner.invoke(cli, ["build", str(a), "--as-of", AS_OF])     # its own: rebuilt
    assert again.exit_code == 0, again.output
