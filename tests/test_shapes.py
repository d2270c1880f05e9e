"""Registers in the shapes offices keep (tests/shapes.py): read right the first time, or
refused with exactly what could not be placed and the line that fixes it."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gain_workbook.cli import cli
from gain_workbook.core.errors import RegisterError
from gain_workbook.register.forces import POLICE_FORCES as FORCES
from gain_workbook.register.reader import read_register
from gain_workbook.status.rollup import roll_up, rollup_problems
from gain_workbook.model.schema import TABLES
from gain_workbook.check.validate import check
from conftest import adopted_frame
from shapes import AS_OF, PEEL, SHAPES, pcc_panel_flat_tracker, text_column_not_placed


@pytest.fixture
def runner():
    return CliRunner()


def _read(tmp_path, name):
    path = tmp_path / f"{name}.xlsx"
    exp = SHAPES[name](path)
    if exp.refused:
        path = tmp_path / f"{name} with alias.xlsx"
        SHAPES[name](path, with_alias=True)
    return path, exp


@pytest.mark.parametrize("name", list(SHAPES))
def test_each_shape_reads_as_it_should(tmp_path, name):
    path, exp = _read(tmp_path, name)
    reg, report = check(path)
    assert reg.layout == exp.layout
    assert reg.counts == exp.counts, report.to_text()
    it = reg.items.frame
    rolled = roll_up(reg, AS_OF)
    # the number as a number; the label (pack, requests) the ref as the office wrote it
    label = dict(zip(rolled.items["item_id"], rolled.items["label"]))
    got_items = [(i, k, n, label[i]) for i, k, n in
                 zip(it["item_id"], it["kind"], it["number"])]
    assert sorted(got_items, key=str) == sorted(exp.items, key=str)
    acts = reg.actions.frame
    assert sorted(set(zip(acts["action_id"], acts["action_item_id"]))) == \
        sorted(exp.actions.items())
    overdue = set(rolled.actions.loc[rolled.actions["overdue"], "action_id"])
    assert overdue == exp.overdue
    # none of the offices' own registers names the force on a Settings sheet, nor keeps
    # the dates of the PCC's responses (said once, on the sheet of its reports)
    reports = next(s for s, role in exp.sheets.items()
                   if role in ("flat", "report", "inspections", "cards"))
    assert {(p.code, p.where) for p in report.warnings} == \
        exp.warnings | {("NO_FORCE_NAME", "Settings"),
                        ("RESPONSES_NOT_RECORDED", reports)}, report.to_text()
    assert {(p.code, p.where) for p in report.errors} == exp.errors, report.to_text()
    roles = {s.name: s.role for s in reg.plan.sheets}
    assert {k: roles[k] for k in exp.sheets} == exp.sheets
    if exp.parents:
        assert dict(zip(it["item_id"], it["parent_item"])) == \
            {i: exp.parents.get(i) for i in it["item_id"]}


@pytest.mark.parametrize("name", list(SHAPES))
def test_the_first_run_reads_it_or_says_how_to_fix_it(tmp_path, runner, name):
    path = tmp_path / f"{name}.xlsx"
    exp = SHAPES[name](path)
    r = runner.invoke(cli, ["validate", str(path)])
    if exp.refused:
        assert r.exit_code == 2
        # one sentence, then the Settings rows that read it, ready to paste
        sentence, paste, *rows = r.stderr.splitlines()
        assert exp.refused in sentence and paste.startswith("To read it, paste these rows")
        assert rows == exp.suggested, r.stderr
        d = runner.invoke(cli, ["describe", str(path)])
        assert d.exit_code == 1 and "not used" in d.stdout
        assert all(row.split("\t")[1] in d.stdout for row in exp.suggested)
        assert exp.refused in d.stdout
        assert d.stdout.endswith("".join(f"{row}\n" for row in exp.suggested))
        return
    assert r.exit_code == (1 if exp.errors else 0), r.stdout + r.stderr
    layout = [ln for ln in r.stderr.splitlines() if ln.startswith("gain-pack: read as ")]
    assert len(layout) == 1
    for sheet, role in exp.sheets.items():
        assert (f"'{sheet}'" in layout[0]) == (role not in ("not read", "settings")), layout


def test_the_silent_archive_mistake_is_gone(tmp_path):
    """Open and closed actions on two sheets: both read, and the 5 overdue are there."""
    path, exp = _read(tmp_path, "open_and_archive_sheets")
    reg = read_register(path)
    assert reg.actions.sheets == ["Open actions", "Archive"]
    rolled = roll_up(reg, AS_OF)
    assert int(rolled.actions["overdue"].sum()) == 5
    # an item whose actions are split over the sheets is one item, with all its actions
    item = rolled.items.set_index("item_id").loc["Violence against women and girls R1"]
    assert (item["n_actions"], item["n_done"]) == (3, 2)
    # and a problem on the archive sheet names the archive sheet and its own row
    (p,) = [p for p in check(path)[1].problems if p.code == "NORMALISED"]
    assert p.where == "Archive!H3"


def test_describe_names_every_sheet_column_and_row(tmp_path, runner):
    path = tmp_path / "tracker.xlsx"
    pcc_panel_flat_tracker(path)
    r = runner.invoke(cli, ["describe", str(path)])
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "read as one row per action" in out
    assert "headers on row 4" in out
    for line in ("Ref", "Date of Report", "Current Position", "BRAG", "Responsible Officer"):
        assert line in out
    assert "Date of Report                           -> Inspections: Published [words]" in out
    assert "Ref                                      -> Items: Number [content]" in out
    assert "A12   not read: a note below the table ('Key: B = complete" in out
    data = json.loads(runner.invoke(cli, ["describe", str(path), "--format", "json"]).stdout)
    (sheet,) = data["sheets"]
    assert sheet["header_row"] == 4 and sheet["rows_read"] == 6
    cols = {c["header"]: (c["reads_as"], c["matched_by"]) for c in sheet["columns"]}
    assert cols["Current Position"] == ("Latest update", "words")
    assert cols["Applicable?"] == ("Applies to force", "alias")


def test_a_summary_sheet_is_named_as_not_read(tmp_path):
    path, _ = _read(tmp_path, "one_sheet_per_report")
    plan = read_register(path).plan
    (summary,) = [s for s in plan.sheets if s.name == "Summary"]
    assert summary.role == "not read" and "summary sheet" in summary.reason
    # each report's title and date come from the cells above its table
    peel = next(s for s in plan.sheets if s.name == "PEEL 2025")
    assert peel.meta["title"][1] == "B1" and peel.meta["published"][1] == "B2"


def test_the_office_rag_is_compared_with_ours(tmp_path):
    path, _ = _read(tmp_path, "pcc_panel_flat_tracker")
    reg = read_register(path)
    found = {p.where: p.message for p in rollup_problems(reg, roll_up(reg, AS_OF))
             if p.code == "RAG_BETTER_THAN_OURS"}
    # Amber where the action is 334 days overdue; Green on one not updated (stale)
    assert found["Tracker!L6"] == ("You have Amber; gain-pack makes it Red: overdue by "
                                   "334 days (due 31/12/2025).")
    assert found["Tracker!L5"] == "You have Green; gain-pack makes it Amber: no update recorded."
    assert "Tracker!L7" not in found        # their Red is worse than ours: nothing to say


def test_a_cause_of_concern_takes_its_status_from_its_recommendations(tmp_path):
    path, exp = _read(tmp_path, "fire_action_plan")
    reg, report = check(path)
    assert not [p for p in report.problems if p.code == "NO_ACTIONS"]
    rolled = roll_up(reg, AS_OF).items.set_index("item_id")
    coc = rolled.loc[next(i for i in exp.parents.values())]
    assert (coc["n_actions"], coc["n_overdue"], coc["rag"]) == (2, 1, "Red")


def test_the_settings_line_in_the_refusal_fixes_it(tmp_path):
    bad = tmp_path / "bad.xlsx"
    exp = text_column_not_placed(bad)
    with pytest.raises(RegisterError) as e:
        read_register(bad)
    assert exp.refused in str(e.value)
    good = tmp_path / "good.xlsx"
    text_column_not_placed(good, with_alias=True)
    reg = read_register(good)
    assert reg.items.header("item_text") == "Area of focus"
    (tracker,) = reg.plan.chosen()
    assert [c.how for c in tracker.columns if c.header == "Area of focus"] == ["setting"]


@pytest.mark.parametrize("name", list(SHAPES))
def test_adopt_keeps_every_value_and_reads_back_the_same(tmp_path, runner, name):
    path, _ = _read(tmp_path, name)
    before = path.read_bytes()
    new = tmp_path / f"{name} adopted.xlsx"
    r = runner.invoke(cli, ["adopt", str(path), "-o", str(new)])
    assert r.exit_code == 0, r.output + r.stderr
    assert path.read_bytes() == before                        # the original is only read
    again = runner.invoke(cli, ["adopt", str(path), "-o", str(new)])
    assert again.exit_code == 2 and "--force" in again.stderr  # never overwritten by default
    twice = tmp_path / f"{name} adopted again.xlsx"
    assert runner.invoke(cli, ["adopt", str(path), "-o", str(twice)]).exit_code == 0
    assert twice.read_bytes() == new.read_bytes()              # same register, same bytes
    old, adopted = read_register(path), read_register(new)
    assert adopted.layout == "template"
    # the same tables, but for the short ids adopt gives reports known by whole titles
    from gain_workbook.register.adopt import short_ids

    short = short_ids(old)
    assert all(len(s) <= 20 for s in short.values())
    assert len(set(short.values()) | set(old.inspections.frame["inspection_id"])) == \
        len(old.inspections) + len(short)         # unique, and none an id already used
    for table in TABLES:
        a = adopted_frame(old, table, short)
        b = adopted.table(table).frame.reset_index(drop=True)
        assert a.equals(b), (table, a.compare(b) if a.shape == b.shape else (a.shape, b.shape))
    # the office's own columns are kept at the right, and each row says where it came from
    import openpyxl

    wb = openpyxl.load_workbook(new, read_only=True)
    read_from = list(wb["Read from"].iter_rows(min_row=2, values_only=True))
    assert len(read_from) == sum(old.counts.values())
    for table in TABLES:
        t = old.table(table)
        for header, cells in t.extras.items():
            ws = wb[{"inspections": "Inspections", "items": "Items", "actions": "Actions"}[table]]
            heads = [c.value for c in next(ws.iter_rows(max_row=1))]
            assert any(h in (header, f"{header} (yours)") for h in heads), (header, heads)
            assert len(cells) > 0
    # a word read as another of the list's words ('On track' as In progress, 'N/A - for
    # the Home Office' as No) is kept as written too, in its row
    texts = {str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
             for v in row if v is not None}
    changed = [p.value for p in old.problems
               if p.code in ("NORMALISED", "WORD_READ_AS", "OVERDUE_WORD")]
    # (as written, or as the start of our word: 'Y' of Yes, 'Closed - complete' of
    # 'Closed – complete' say no more than it)
    from gain_workbook.model.schema import norm_key

    folded = {norm_key(t) for t in texts}
    lost = {v for v in changed if v not in texts
            and not any(f.startswith(norm_key(v)) for f in folded)}
    assert not lost, lost
    assert set(old.written.values()) <= texts
    # a sheet that is not the register's (a key, a summary, a hidden old copy) is copied
    # after ours, every value of it, hidden if it was
    for s in old.plan.sheets:
        if s.role != "not read" or s.reason == "it is empty" or s.name.casefold() in (
                "guide", "lists", "read from"):
            continue
        copy = wb[s.name]
        orig = openpyxl.load_workbook(path, read_only=True)[s.name]
        want = {_cell_text(v) for row in orig.iter_rows(values_only=True) for v in row
                if v not in (None, "")}
        have = {_cell_text(v) for row in copy.iter_rows(values_only=True) for v in row
                if v not in (None, "")}
        assert want <= have, (s.name, want - have)
        assert (copy.sheet_state == "hidden") == bool(s.hidden)


def _cell_text(v) -> str:
    import datetime as dt

    if isinstance(v, dt.datetime) and v.time() == dt.time():
        return v.date().isoformat()
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


@pytest.mark.parametrize("name", list(SHAPES))
def test_nothing_in_a_shape_is_dropped_without_a_word(tmp_path, name):
    from shapes import unaccounted

    path, _ = _read(tmp_path, name)
    assert unaccounted(path, read_register(path)) == []


def test_adopt_keeps_values_typed_in_a_column_with_no_header(tmp_path, runner,
                                                              example_register):
    """Notes typed beside the Actions table in a column with no header ('Chased by phone
    3/12'): adopt said 'every value kept' and left them behind (a trial). They go with
    the office's own columns, headed by their column."""
    import openpyxl

    wb = openpyxl.load_workbook(example_register)
    ws = wb["Actions"]
    free = ws.max_column + 1
    ws.cell(2, free, "Chased by phone 3/12")
    ws.cell(5, free, "Escalated to ACC")
    ws.cell(1, free + 1, "Office notes")
    ws.cell(2, free + 1, "kept?")
    wb.save(tmp_path / "old.xlsx")
    new = tmp_path / "new.xlsx"
    r = runner.invoke(cli, ["adopt", str(tmp_path / "old.xlsx"), "-o", str(new)])
    assert r.exit_code == 0 and "every value kept" in r.stdout, r.stderr
    rows = list(openpyxl.load_workbook(new, read_only=True)["Actions"].iter_rows(
        values_only=True))
    letter = openpyxl.utils.get_column_letter(free)
    col = rows[0].index(f"Column {letter} (no header)")
    assert [row[col] for row in rows[1:] if row[col]] == ["Chased by phone 3/12",
                                                          "Escalated to ACC"]
    assert [row[rows[0].index("Office notes")] for row in rows[1:2]] == ["kept?"]


def test_adopt_says_what_the_template_still_needs(tmp_path, runner):
    """A register with no Type column adopts (every value kept), and the clerk is told
    which required values the template still needs, before the first build."""
    path, _ = _read(tmp_path, "open_and_archive_sheets")
    new = tmp_path / "Inspection register.xlsx"
    r = runner.invoke(cli, ["adopt", str(path), "-o", str(new)])
    assert r.exit_code == 0, r.output
    assert "Wrote" in r.stdout and "2 inspections, 5 items and 10 actions" in r.stdout
    assert "Type is empty in 2 rows of Inspections" in r.stdout
    v = runner.invoke(cli, ["validate", str(new), "--format", "json"])
    assert v.exit_code == 1
    found = {(p["code"], p["where"]) for p in json.loads(v.stdout)["problems"]}
    assert found == {("REQUIRED_MISSING", "Inspections!D2"), ("REQUIRED_MISSING", "Inspections!D3"),
                     ("NO_FORCE_NAME", "Settings!B2"), ("RESPONSES_NOT_RECORDED", "Settings")}


def test_the_forces_own_status_is_not_the_inspectorates(tmp_path):
    """'Overall Status' (and a plain item 'Status') is the force's word, kept as written;
    its 'Complete' never becomes HMICFRS 'Closed – complete'."""
    path, _ = _read(tmp_path, "inspections_recommendations_completed_actions")
    it = read_register(path).items.frame.set_index("item_id")
    assert (it.at["CUST24-2", "force_status"], it.at["CUST24-2", "hmicfrs_status"]) == \
        ("Complete", "Open")
    from shapes import write

    plain = tmp_path / "plain status.xlsx"
    write(plain, {
        "Inspections": [["Inspection ID", "Title", "Published", "Type"],
                        ["C1", "Custody", shapes_date(), "PEEL"]],
        "Items": [["Item ID", "Inspection ID", "Text", "Status"],
                  ["C1-R1", "C1", "Improve custody checks.", "Complete"]],
        "Actions": [["Action ID", "Item ID", "Action", "Owner", "Due", "Status"],
                    ["A1", "C1-R1", "Check cells", "Insp Moss", shapes_date(), "Complete"]]})
    reg, report = check(plain)
    row = reg.items.frame.iloc[0]
    assert (row["force_status"], row["hmicfrs_status"]) == ("Complete", "Open")
    assert reg.items.header("force_status") == "Status"
    assert any(p.code == "MISSING_COLUMN" and p.header == "HMICFRS status" for p in report.problems)


def shapes_date():
    import datetime as dt

    return dt.date(2025, 1, 31)


@pytest.mark.parametrize("command", ["rollup", "build"])
def test_rollup_and_build_say_which_layout_they_read(tmp_path, runner, command):
    path, _ = _read(tmp_path, "open_and_archive_sheets")
    args = [command, str(path), "--as-of", AS_OF.isoformat()]
    if command == "build":
        args += ["-o", str(tmp_path / "pack.xlsx")]
    r = runner.invoke(cli, args)
    assert r.exit_code == 0, r.output + r.stderr
    assert ("gain-pack: read as one row per action: 'Open actions' (one row per action, "
            "headers on row 1), 'Archive' (one row per action, archive, headers on row 1).") \
        in r.stderr.splitlines()


def test_a_report_sheet_with_no_title_takes_the_sheets_name_and_says_so(tmp_path):
    from shapes import write

    path = tmp_path / "per report.xlsx"
    write(path, {"PEEL 2023": [
        ["Published", "Ref", "Area for improvement", "Action", "Owner", "Due", "Status"],
        [shapes_date(), "AFI 1", "Improve crime recording.", "Audit", "DCI Reed",
         shapes_date(), "In progress"]]})
    reg, report = check(path)
    assert reg.layout == "per report"
    assert list(reg.inspections.frame["title"]) == ["PEEL 2023"]
    (p,) = [p for p in report.problems if p.code == "TITLE_FROM_SHEET_NAME"]
    assert p.where == "PEEL 2023" and "'PEEL 2023' was used" in p.message


def test_short_inspection_ids_never_merge_two_reports(tmp_path):
    """With no Inspection ID column, 'PEEL 2025: ...' is known as 'PEEL 2025'; two titles
    that would share that short id keep their whole titles, so two reports stay two."""
    from shapes import write

    head = ["Report", "Published", "Rec No.", "Recommendation", "Action", "Owner", "Due",
            "Status"]
    d = shapes_date()
    path = tmp_path / "two peel.xlsx"
    write(path, {"Tracker": [head,
                             ["PEEL 2025: effectiveness", d, 1, "A.", "Do A", "X", d, "Open"],
                             ["PEEL 2025: legitimacy", d, 1, "B.", "Do B", "Y", d, "Open"],
                             ["Custody 2024: a review", d, 1, "C.", "Do C", "Z", d, "Open"]]})
    reg = read_register(path)
    assert sorted(reg.inspections.frame["inspection_id"]) == [
        "Custody 2024", "PEEL 2025: effectiveness", "PEEL 2025: legitimacy"]
    assert sorted(reg.items.frame["item_id"]) == [
        "Custody 2024 R1", "PEEL 2025: effectiveness R1", "PEEL 2025: legitimacy R1"]


# ---------------------------------------------------------------- issue 26: structure

def _where_it_stands(path, settings=None):
    """A flat tracker whose status and owner columns have headers we do not know."""
    from shapes import write

    d = shapes_date()
    head = ["Report", "Published", "Ref", "Recommendation", "Action", "Who", "Due",
            "Where it stands"]
    rows = [head,
            [PEEL, d, "AFI 1", "Improve crime recording.", "Audit recording", "DCI Reed", d,
             "On track"],
            [PEEL, d, "AFI 2", "Update victims.", "Victim letters", "Supt Lowe", d, "Off track"],
            [PEEL, d, "AFI 3", "Review vetting.", "Clear the backlog", "Ms Patel", d,
             "Complete"]]
    sheets = {"Tracker": rows}
    if settings:
        sheets["Settings"] = settings
    write(path, sheets)
    return path


@pytest.mark.parametrize("command", ["validate", "rollup", "build", "describe"])
def test_a_column_read_from_its_values_is_said_by_every_command(tmp_path, runner, command):
    path = _where_it_stands(tmp_path / "tracker.xlsx")
    args = [command, str(path)] + (["-o", str(tmp_path / "pack.xlsx")] if command == "build"
                                   else [])
    r = runner.invoke(cli, args)
    assert r.exit_code == 0, r.output + r.stderr
    said = [ln for ln in r.stderr.splitlines() if "from its values" in ln]
    assert said == ["gain-pack: warning: read C 'Ref' as Number, from its values",
                    "gain-pack: warning: read F 'Who' as Owner, from its values",
                    "gain-pack: warning: read H 'Where it stands' as Status, from its values"]


def test_describe_suggest_gives_the_rows_that_make_a_reading_the_offices_own(tmp_path, runner):
    path = _where_it_stands(tmp_path / "tracker.xlsx")
    d = runner.invoke(cli, ["describe", str(path), "--suggest"])
    assert "H   Where it stands                          -> Actions: Status [content]" in d.stdout
    block = d.stdout.split("paste them into column A of its first empty row):\n")[1]
    rows = [line.split("\t") for line in block.splitlines()]
    assert rows == [["Alias: Number", "Ref"], ["Alias: Owner", "Who"],
                    ["Alias: Status", "Where it stands"]]
    pasted = _where_it_stands(tmp_path / "pasted.xlsx", settings=rows)
    again = runner.invoke(cli, ["describe", str(pasted)])
    assert again.exit_code == 0 and "from its values" not in again.stderr
    assert "Where it stands                          -> Actions: Status [setting]" in again.stdout


def test_a_flat_tracker_with_headers_not_matched_is_told_what_it_lacks(tmp_path, runner):
    """Not 'has Items but no sheet of Inspections and Actions', the wrong cause it was once
    given (the rest is checked for every shape by the tests above)."""
    from shapes import tracker_headers_not_matched

    tracker_headers_not_matched(tmp_path / "tracker.xlsx")
    r = runner.invoke(cli, ["validate", str(tmp_path / "tracker.xlsx")])
    assert r.exit_code == 2 and "but no sheet of" not in r.stderr
    assert r.stderr.startswith("gain-pack: Cannot read 'tracker.xlsx': no sheet holds a "
                               "register (one row per action, or Inspections, Items and "
                               "Actions sheets). Sheet 'Tracker'")


def test_the_header_row_is_the_best_scoring_not_the_first_with_enough_headers(tmp_path):
    """A summary row above the table names three columns too, with figures beside them: the
    figures count against it, and the table's own header row is found."""
    from shapes import write

    d = shapes_date()
    write(tmp_path / "r.xlsx", {"Tracker": [
        ["Status", 4, "Due", 2, "Owner", 3],
        [],
        ["Report", "Published", "Rec No.", "Recommendation", "Action", "Owner", "Due", "Status"],
        [PEEL, d, 1, "Improve crime recording.", "Audit", "DCI Reed", d, "In progress"]]})
    reg = read_register(tmp_path / "r.xlsx")
    assert reg.plan.chosen()[0].header_row == 2
    assert reg.counts == {"inspections": 1, "items": 1, "actions": 1}


def test_two_header_rows_read_with_the_group_qualifying_each_header(tmp_path, runner):
    path, _ = _read(tmp_path, "two_row_banded_header")
    out = runner.invoke(cli, ["describe", str(path)]).stdout
    assert "headers on row 4, under the group headers of row 3" in out
    for line in ("C   HMICFRS recommendation: Ref              -> Items: Number",
                 "D   HMICFRS recommendation: Detail           -> Items: Text",
                 "E   Force response: Ref                      -> Actions: Action ID",
                 "F   Force response: Detail                   -> Actions: Action",
                 "A   Report                                   -> Inspections: Title"):
        assert line in out, out


def test_progress_figures_give_the_status_and_are_kept(tmp_path):
    """A performance system's per cent complete, with no status column: 100% Complete, 60%
    In progress, 0% Not started; the figures are kept as the office's own column."""
    path, _ = _read(tmp_path, "performance_system_export")
    reg = read_register(path)
    assert list(reg.actions.frame["action_status"]) == ["Complete", "In progress",
                                                        "Not started"]
    assert sorted(reg.actions.extras["PercentComplete"].values()) == [0, 0.6, 1]
    (col,) = [c for c in reg.plan.chosen()[0].columns if c.header == "PercentComplete"]
    assert (col.key, col.how, col.convert) == ("action_status", "content", "percent")


def test_a_welsh_trackers_bilingual_headers_read_by_either_half(tmp_path):
    path, _ = _read(tmp_path, "welsh_bilingual_tracker")
    cols = {c.header: c.key for c in read_register(path).plan.chosen()[0].columns}
    assert cols == {"Adroddiad / Report": "title", "Dyddiad cyhoeddi / Date published":
                    "published", "Cyfeirnod / Ref": "number",
                    "Maes i'w wella / Area for improvement": "item_text",
                    "Cam gweithredu / Action": "action_text", "Perchennog / Owner": "owner",
                    "Dyddiad targed / Target date": "due", "Statws / Status": "action_status",
                    "Diweddariad / Update": "latest_update"}


def test_a_fire_plan_laid_out_as_cards_is_read_as_items_with_their_actions(tmp_path, runner):
    path, _ = _read(tmp_path, "fire_plan_as_cards")
    reg = read_register(path)
    (sheet,) = reg.plan.chosen()
    assert [c.first_row + 1 for c in sheet.cards] == [4, 9, 15]
    texts = dict(zip(reg.items.frame["number"], reg.items.frame["item_text"]))
    assert sorted(texts) == ["11", "4", "9"]
    assert texts["9"].startswith("By 1 June 2023, chief fire officers should have plans")
    out = runner.invoke(cli, ["describe", str(path)]).stdout
    assert "3 cards (rows 4, 9, 15), each 'Recommendation <n>:' row with its words" in out


def test_a_header_taken_for_another_tables_column_is_named(tmp_path):
    """A tracker taken for a sheet of Inspections, its 'Ref' read as the report's id: the
    refusal says so, and that no item ref was found, rather than only what is missing."""
    from shapes import write

    d = shapes_date()
    write(tmp_path / "r.xlsx", {"Tracker": [
        ["Ref", "Report", "Published", "Recommendation", "What we will do", "Who", "When",
         "Where it stands"],
        ["PEEL25-1", PEEL, d, "Improve crime recording.", "Audit recording", "DCI Reed", d,
         "On track"],
        ["PEEL25-2", PEEL, d, "Update victims.", "Victim letters", "Supt Lowe", d,
         "Off track"]]})
    with pytest.raises(RegisterError) as refusal:
        read_register(tmp_path / "r.xlsx")
    sentence = str(refusal.value).split("\n")[0]
    assert "was taken for a sheet of Inspections ('Ref' as Inspection ID" in sentence
    assert "'Ref' was read as the Inspection ID, so no item ref was found" in sentence


def test_adopt_keeps_a_status_word_read_as_another_beside_ours(tmp_path, runner):
    """'Overdue' and 'On track' are read as In progress, 'Compelte' as Complete: the new
    register holds our words (its dropdowns') and, in the row, the word as written."""
    path, _ = _read(tmp_path, "pcc_panel_flat_tracker")
    new = tmp_path / "Inspection register.xlsx"
    r = runner.invoke(cli, ["adopt", str(path), "-o", str(new)])
    assert r.exit_code == 0, r.output
    assert "'Status (as written)'" in r.stderr and "every value kept" in r.stdout
    import openpyxl

    ws = openpyxl.load_workbook(new, read_only=True)["Actions"]
    rows = list(ws.iter_rows(values_only=True))
    status, written = rows[0].index("Status"), rows[0].index("Status (as written)")
    pairs = {(row[status], row[written]) for row in rows[1:] if row[0]}
    assert {("In progress", "On track"), ("In progress", "Overdue"),
            ("Complete", "Compelte")} <= pairs
    assert ("In progress", None) in pairs        # 'In progress' itself needs no copy


@pytest.mark.parametrize("title,force", [
    ("Heddlu Dyfed-Powys Police: argymhellion AHEM / HMICFRS recommendations",
     "Dyfed-Powys Police"),
    ("HMICFRS tracker - Avon & Somerset Police", "Avon and Somerset Constabulary"),
    ("The Metropolitan Police: inspection recommendations", "Metropolitan Police Service"),
    ("Shropshire Fire and Rescue Service: HMICFRS action plan",
     "Shropshire Fire and Rescue Service"),
    ("Office of the Police and Crime Commissioner", None),       # no force by name
    ("Office of the PCC for Cleveland - tracker", None),           # a place is not a force
    ("West Mercia Police and Warwickshire Police alliance tracker", None),   # two
    ("PEEL 2025: An inspection of Example Police", None),          # not a force of ours
])
def test_the_force_a_trackers_title_names(title, force):
    from gain_workbook.register.forces import force_in_titles

    assert force_in_titles([title]) == force


@given(st.sampled_from(FORCES), st.sampled_from(FORCES), st.text(max_size=30),
       st.sampled_from(["Police", "Constabulary"]))
@settings(max_examples=150, deadline=None)
def test_any_force_named_in_a_title_is_found_and_two_are_not_guessed(one, other, words,
                                                                      suffix):
    """Each force by its place and 'Police' or 'Constabulary', with any words around it,
    in capitals or not; a second force named beside it makes it no one's guess."""
    from gain_workbook.register.forces import force_in_titles

    place = re.sub(r"\s+(Police( Service)?|Constabulary)$", "", one)
    text = f"{words} {place} {suffix} — HMICFRS recommendations"
    got = force_in_titles([text.upper() if len(words) % 2 else text])
    assert got == one or force_in_titles([words]) not in (None, one)
    if other != one:
        place2 = re.sub(r"\s+(Police( Service)?|Constabulary)$", "", other)
        assert force_in_titles([text, f"and {place2} Police"]) is None


def test_adopt_takes_the_force_name_from_the_trackers_title(tmp_path, runner):
    from shapes import welsh_bilingual_tracker

    path = tmp_path / "tracker.xlsx"
    welsh_bilingual_tracker(path)
    new = tmp_path / "Inspection register.xlsx"
    r = runner.invoke(cli, ["adopt", str(path), "-o", str(new)])
    assert r.exit_code == 0, r.output
    assert "its title names Dyfed-Powys Police" in r.stderr
    assert read_register(new).settings.named_force == "Dyfed-Powys Police"
    v = runner.invoke(cli, ["validate", str(new), "--format", "json"])
    assert "NO_FORCE_NAME" not in {p["code"] for p in json.loads(v.stdout)["problems"]}


def _two_report_tracker(path, report_header: str, ref_header: str):
    """A force's tracker (the trial's shape): a two-line title, then one row per action
    of two reports, the report named in its own column, refs that say their kind."""
    import datetime as dt

    from shapes import write

    peel, custody = "PEEL 2023-25: Northshire Police", "Custody services in Northshire"
    d1, d2 = dt.date(2025, 2, 20), dt.date(2025, 6, 10)
    head = [report_header, "Publication Date", ref_header, "Recommendation / AFI",
            "Action(s) Agreed", "Lead Officer", "Target Date", "Status"]
    rows = [["Northshire Police - Office of the Police, Fire and Crime Commissioner"],
            ["HMICFRS Inspection Recommendations & Areas for Improvement"], [], head,
            [peel, d1, "AFI 1", "The force should improve crime recording.", "Audit",
             "DCI Reed", dt.date(2026, 3, 31), "On Track"],
            [peel, d1, "AFI 2", "The force should update victims.", "Checks", "Ms Khan",
             dt.date(2026, 6, 30), "Slipped"],
            [custody, d2, "Rec 1", "Forces should review custody healthcare.", "Review",
             "Insp Moss", dt.date(2026, 9, 30), "Not started"],
            [custody, d2, "AFI 1", "The force should improve provision of healthcare.",
             "Contract", "Insp Moss", dt.date(2026, 12, 31), "In progress"]]
    return write(path, {"HMICFRS Tracker": rows})


@pytest.mark.parametrize("report_header", ["Inspection Report", "HMICFRS Report", "Report",
                                           "Name of Report", "Inspection / Report"])
@pytest.mark.parametrize("ref_header", ["Rec / AFI Ref", "Ref", "Rec ref", "AFI / Rec number",
                                        "Rec/AFI No."])
def test_a_trackers_report_column_and_refs_that_say_their_kind(tmp_path, report_header,
                                                                ref_header):
    """The trial's tracker: 'Inspection Report' is the report's title (it was not read, so
    two reports were pooled under the title above); 'Rec / AFI Ref' holding 'AFI 1',
    'Rec 1' is each item's number and kind in its report (it was read as the item id, so
    both AFI 1s were one item and every item a recommendation). 'AFI / Rec number' was
    read as the item's text, and the text column dropped as meaning the same."""
    path = _two_report_tracker(tmp_path / "tracker.xlsx", report_header, ref_header)
    reg = read_register(path)
    assert len(reg.inspections) == 2 and len(reg.items) == 4 and len(reg.actions) == 4
    # 'Slipped', as 'Delayed', is an open action that says it is late
    assert sorted(reg.actions.frame["action_status"]) == \
        ["In progress", "In progress", "In progress", "Not started"]
    assert "OVERDUE_WORD" in {p.code for p in reg.problems}
    items = reg.items.frame
    assert sorted(items["kind"]) == ["Area for improvement"] * 3 + ["Recommendation"]
    by_report: dict = {}
    for report, kind, number in zip(items["item_inspection_id"], items["kind"],
                                    items["number"]):
        by_report.setdefault(report, []).append((kind[:3], str(number)))
    assert sorted(sorted(v) for v in by_report.values()) == \
        [[("Are", "1"), ("Are", "2")], [("Are", "1"), ("Rec", "1")]]


def test_a_sheet_of_several_reports_whose_report_column_is_not_known_is_refused(tmp_path):
    """Its report column called something we do not know, the title above the table would
    be taken as the only report's: the rows' two publication dates say otherwise, so it is
    refused, saying how to name the column, not pooled."""
    path = _two_report_tracker(tmp_path / "tracker.xlsx", "Source document", "Ref")
    with pytest.raises(RegisterError) as e:
        read_register(path)
    said = str(e.value)
    assert "several reports" in said and "'Alias: Title'" in said and "'Source document'" in said


def test_adopt_keeps_the_words_of_a_row_not_for_the_force(tmp_path, runner):
    """A row whose Status says 'Not Applicable', its Applies? 'N – national' and a note in
    the office's own column (a new user's trial): the item is not the force's, and the new
    register keeps 'N – national' (not the status's words: as written beside our No) and
    the note, on the item."""
    import datetime as dt

    from shapes import write

    head = ["Report", "Published", "Ref", "Recommendation", "Applies?", "Action", "Owner",
            "Target Date", "Progress Update", "Status", "Scrutiny Notes"]
    rep, day = "Custody services in Northshire", dt.date(2025, 6, 10)
    path = write(tmp_path / "tracker.xlsx", {"Tracker": [head, [
        rep, day, "Rec 1", "The force should review risk assessments.", "Y",
        "Amend the checklist", "Insp Pryce", dt.date(2026, 9, 1), "Live", "On Track", None], [
        rep, day, "Rec 2", "The Home Office should review detention data.", "N – national",
        "Not Applicable", None, None, None, "Not Applicable",
        "National rec – for Home Office"]]})
    reg = read_register(path)
    assert list(reg.items.frame["applies"]) == ["Yes", "No"] and len(reg.actions) == 1
    new = tmp_path / "adopted.xlsx"
    assert runner.invoke(cli, ["adopt", str(path), "-o", str(new)]).exit_code == 0
    import openpyxl

    ws = openpyxl.load_workbook(new)["Items"]
    rows = list(ws.iter_rows(values_only=True))
    rec2 = dict(zip(rows[0], next(r for r in rows if r[0] and r[0].endswith("Rec 2"))))
    assert (rec2["Applies to force"], rec2["Applies to force (as written)"]) == \
        ("No", "N – national")
    assert rec2["Scrutiny Notes"] == "National rec – for Home Office"
    assert "Y" not in {v for r in rows[1:] for v in r}         # 'Y' says no more than Yes
    assert list(read_register(new).items.frame["applies"]) == ["Yes", "No"]


def test_adopt_writes_our_no_for_a_status_of_na_and_keeps_who_and_the_words(tmp_path,
                                                                            runner):
    """Status 'N/A', Action 'N/A - for the Home Office' (a new user's month): adopt wrote
    'N/A' into the new register's Applies to force (three NORMALISED warnings in a
    register just made) and left the Addressee blank. Now our No, the addressee from the
    action's words, and those words as why the item has no action."""
    import datetime as dt

    import openpyxl

    from shapes import write

    head = ["Report", "Published", "Ref", "Recommendation", "Action", "Owner", "Target Date",
            "Status"]
    rep, day = "Vetting, misconduct and misogyny", dt.date(2022, 11, 2)
    path = write(tmp_path / "tracker.xlsx", {"Tracker": [head, [
        rep, day, "R1", "Chief constables should re-vet officers.", "Re-vet all officers",
        "DCI Reed", dt.date(2027, 3, 31), "In progress"], [
        rep, day, "R2", "The Home Office should amend the regulations.",
        "N/A - for the Home Office", None, None, "N/A"]]})
    new = tmp_path / "adopted.xlsx"
    r = runner.invoke(cli, ["adopt", str(path), "-o", str(new)])
    assert r.exit_code == 0, r.stderr
    rows = list(openpyxl.load_workbook(new)["Items"].iter_rows(values_only=True))
    rec2 = dict(zip(rows[0], next(r for r in rows if r[0] and r[0].endswith("R2"))))
    assert rec2["Applies to force"] == "No"
    assert rec2["Addressee"] == "the Home Office"
    assert rec2["No action because"] == "N/A - for the Home Office"
    _, report = check(new)
    assert not [p for p in report.problems if p.code == "NORMALISED"], report.to_text()
