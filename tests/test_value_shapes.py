"""Registers whose values are written as published trackers write them (tests/value_shapes.py,
sources in tests/data/value-shapes/README.md): read to what a clerk reads in them, by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from gain_workbook.check.validate import check
from gain_workbook.cli import cli
from gain_workbook.register.reader import read_register
from gain_workbook.status.rollup import roll_up
from conftest import adopted_frame
from shapes import unaccounted
from value_shapes import VALUE_SHAPES, two_force_alliance_tracker


def _given(value):
    """A frame's value as the expectations write it (dates as dates, missing as None)."""
    if value is None or value != value:
        return None
    return value.date() if hasattr(value, "to_pydatetime") else value


@pytest.mark.parametrize("name", list(VALUE_SHAPES))
def test_each_value_shape_reads_as_a_clerk_reads_it(tmp_path, name):
    path = tmp_path / f"{name}.xlsx"
    exp = VALUE_SHAPES[name](path)
    reg, report = check(path)
    assert reg.layout == exp.layout
    assert reg.counts == exp.counts, report.to_text()
    rolled = roll_up(reg, exp.as_of)
    items = rolled.items.set_index("item_id")
    assert set(items.index) == set(exp.items)
    for item_id, want in exp.items.items():
        got = {k: _given(items.at[item_id, k]) for k in want}
        assert got == want, item_id
    acts = rolled.actions.set_index("action_id")
    assert set(acts.index) == set(exp.actions)
    for action_id, want in exp.actions.items():
        keys = {"item": "action_item_id", "status": "action_status"}
        got = {k: _given(acts.at[action_id, keys.get(k, k)]) for k in want}
        assert got == want, action_id
    assert set(rolled.actions.loc[rolled.actions["overdue"], "action_id"]) == exp.overdue
    assert {(p.code, p.where) for p in report.warnings} == exp.warnings, report.to_text()
    assert {(p.code, p.where) for p in report.errors} == exp.errors, report.to_text()
    assert unaccounted(path, reg) == []


@pytest.mark.parametrize("name", [n for n, f in VALUE_SHAPES.items()
                                  if n != "two_force_alliance_tracker"])
def test_the_published_response_names_items_as_the_report_does(tmp_path, name):
    from gain_workbook.response.document import documents

    path = tmp_path / f"{name}.xlsx"
    exp = VALUE_SHAPES[name](path)
    reg, _ = check(path)
    rolled = roll_up(reg, exp.as_of)
    (resp,) = documents(rolled, [r for _, r in rolled.inspections.iterrows()][:1])
    subs = [b.text for b in resp.blocks if b.kind == "sub"]
    if exp.headings:
        at = subs.index(exp.headings[0])
        assert subs[at:at + len(exp.headings)] == exp.headings
    paras = [b.text for b in resp.blocks if b.kind == "para"]
    if exp.made:
        assert exp.made in paras
    if exp.for_forces:
        assert exp.for_forces in paras
    # the ref as written never leaks into a heading ('Recommendation R1')
    assert not [s for s in subs if " R" in s or "AFI" in s]


def test_a_notes_warning_is_said_once_per_phrase_and_names_the_other_cells(tmp_path):
    path = tmp_path / "na.xlsx"
    VALUE_SHAPES["national_tracker_with_na_rows"](path)
    _, report = check(path)
    (waiting,) = [p for p in report.problems if p.code == "READ_WITH_NOTE"
                  and p.where == "Tracker!H5"]
    assert waiting.message.startswith("'Not started – plenary awaits the NPCC CSE Taskforce "
                                      "letter' was read as 'Not started', the rest kept beside "
                                      "it as a note (as in 1 other cell: H7)")
    (home,) = [p for p in report.problems if p.where == "Tracker!E8"]
    assert home.message == ("'N/A – for the Home Office' in Action says the item is not for "
                            "the force: the item was read as Applies to force 'No', and the "
                            "row not as an action (as in 1 other row).")


def test_a_closing_note_gives_the_closing_date_and_the_pack_shows_the_note(tmp_path):
    path = tmp_path / "closure.xlsx"
    exp = VALUE_SHAPES["closure_written_in_free_text"](path)
    reg, report = check(path)
    rolled = roll_up(reg, exp.as_of)
    it = rolled.items.set_index("item_id")
    assert it.at["PEEL 2023–2025 CoC 1", "reason"] == \
        "closed by HMICFRS on 26/09/2024 (Closed – complete)"
    a = rolled.actions.set_index("action_id")
    assert a.at["PEEL 2023–2025 CoC1-R1 A1", "status_note"] == "closed by HMICFRS 26/09/2024"
    said = {p.where: p.message for p in report.problems if p.code == "READ_WITH_NOTE"}
    assert "its date 26/09/2024 as the date it was completed" in said["Tracker!I3"]
    assert "its date 26/09/2024 as the date HMICFRS closed it" in said["Tracker!E2"]
    out = tmp_path / "pack.xlsx"
    r = CliRunner().invoke(cli, ["build", str(path), "-o", str(out), "--as-of",
                                 exp.as_of.isoformat()])
    assert r.exit_code == 0, r.output + r.stderr
    import openpyxl

    ws = openpyxl.load_workbook(out, read_only=True)["Actions"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = rows[3]
    note = head.index("Status note")
    assert head[note - 1] == "Status"
    assert "closed by HMICFRS 26/09/2024" in [r[note] for r in rows[4:]]
    d = CliRunner().invoke(cli, ["describe", str(path)])
    assert "E   HMICFRS status" in d.stdout and "4 cells carry a note after the word" in d.stdout
    assert "I   Status" in d.stdout and "1 cell carries a note" in d.stdout


@pytest.mark.parametrize("choice", ["Warwickshire", "west mercia", "all"])
def test_the_rows_for_force_setting_chooses_whose_rows_every_command_reads(tmp_path, choice):
    path = tmp_path / "alliance.xlsx"
    exp = two_force_alliance_tracker(path, rows_for_force=choice)
    counts, action_ids = exp.choices[choice]
    reg, report = check(path)
    assert reg.counts == counts, report.to_text()
    assert set(reg.actions.frame["action_id"]) == action_ids
    r = CliRunner().invoke(cli, ["rollup", str(path), "--as-of", exp.as_of.isoformat()])
    assert r.exit_code == 0, r.stderr
    said = [ln for ln in r.stderr.splitlines() if "Rows for force" in ln]
    assert len(said) == 1 and said[0].startswith("gain-pack: note: ")
    if choice == "all":
        assert "every force's rows were read together (West Mercia Police and Warwickshire " \
               "Police)" in said[0]
    else:
        forces = {"Warwickshire": "Warwickshire Police", "west mercia": "West Mercia Police"}
        assert f"the rows for {forces[choice]} were read" in said[0]
        assert "1 action for every force" in said[0]


def test_a_register_of_two_forces_with_neither_chosen_says_so_in_every_command(tmp_path):
    path = tmp_path / "alliance.xlsx"
    exp = two_force_alliance_tracker(path)
    runner = CliRunner()
    line = ("gain-pack: warning: the register holds several forces in its Force column "
            "(West Mercia Police and Warwickshire Police; 1 action for every force ('Both', "
            "'All' or no force given) count for each); every row was read, pooled: write one "
            "of them beside 'Rows for force' on the Settings sheet to read its rows, or 'all' "
            "to read them together.")
    pack = tmp_path / "pack.xlsx"
    for args in (["validate"], ["describe"], ["rollup", "--as-of", "2020-01-31"],
                 ["build", "-o", str(pack), "--as-of", "2020-01-31"],
                 ["adopt", "-o", str(tmp_path / "adopted.xlsx")]):
        r = runner.invoke(cli, [args[0], str(path), *args[1:]])
        assert r.exit_code in (0, 1), r.output + r.stderr
        assert r.stderr.splitlines().count(line) == 1, (args, r.stderr)
    import openpyxl

    cover = openpyxl.load_workbook(pack, read_only=True)["Cover"]
    cells = [c for row in cover.iter_rows(values_only=True) for c in row if c]
    assert "Every force's rows, pooled (West Mercia Police and Warwickshire Police): the " \
           "Settings sheet's 'Rows for force' does not say whose" in cells
    assert exp.counts == read_register(path).counts          # nothing left out
    # pooled, each row of Items and Actions says whose it is (a regional pack's reader
    # could not tell West Mercia's Rec 1 from Warwickshire's)
    book = openpyxl.load_workbook(pack, read_only=True)
    for sheet in ("Items", "Actions"):
        rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
        head = rows[3]
        assert head[:2] == ["Inspection ID", "Force"], (sheet, head)
        shown = {r[1] for r in rows[4:] if r[0]}
        assert {"West Mercia Police", "Warwickshire Police"} <= shown, (sheet, shown)


@pytest.mark.parametrize("chosen", ["Eastshire", "Westshire"])
def test_a_blank_force_cell_under_an_items_first_row_carries_its_force_on(tmp_path, chosen):
    """One row per action, the Force given (like the Report and Ref) only on an item's
    first row: the blank under it was 'every force', so Westshire's overdue action went
    into Eastshire's pack (a trial). It carries on its item's first row, else its
    report's; 'Both' and a force named on an action's own row keep their meaning."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Force", "Ref", "Recommendation / AFI", "Action",
               "Owner", "Due", "Status"])
    west, east, joint = "PEEL 2025: Westshire Police", "PEEL 2025: Eastshire Police", \
        "Joint custody inspection"
    d = dt.datetime
    for row in (
            [west, d(2025, 6, 1), "Westshire", "AFI 1", "Improve call handling.", "Recruit"],
            [None, None, None, None, None, "New IVR system"],
            [east, d(2025, 7, 1), "Eastshire", "AFI 1", "Improve crime recording.", "Audit"],
            [None, None, None, "AFI 2", "Improve vetting.", "Clear backlog"],
            [joint, d(2025, 1, 15), "Both", "Rec 1", "Improve healthcare.", "Contract"],
            [None, None, "Eastshire", None, None, "Eastshire refit"],
            [None, None, "Westshire", None, None, "Westshire refit"]):
        ws.append(row + ["Supt Reed", d(2026, 3, 31), "In progress"])
    settings = wb.create_sheet("Settings")
    settings.append(["Rows for force", chosen])
    wb.save(tmp_path / "alliance.xlsx")
    reg = read_register(tmp_path / "alliance.xlsx")
    from gain_workbook.register.forces import select

    kept = set(select(reg).actions.frame["action_text"])
    own = {"Eastshire": {"Audit", "Clear backlog", "Eastshire refit"},
           "Westshire": {"Recruit", "New IVR system", "Westshire refit"}}[chosen]
    assert kept == own | {"Contract"}


def test_a_force_the_setting_names_that_is_not_in_the_register_is_an_error(tmp_path):
    path = tmp_path / "alliance.xlsx"
    two_force_alliance_tracker(path, rows_for_force="Westshire")
    _, report = check(path)
    (p,) = [p for p in report.errors if p.code == "BAD_SETTING"]
    assert "one of the forces in the Force column (West Mercia Police, Warwickshire " \
           "Police), or 'all'" in p.message


@pytest.mark.parametrize("name", list(VALUE_SHAPES))
def test_adopt_keeps_the_values_and_gives_short_ids(tmp_path, name):
    from gain_workbook.register.adopt import short_ids

    path = tmp_path / f"{name}.xlsx"
    VALUE_SHAPES[name](path)
    new = tmp_path / f"{name} adopted.xlsx"
    r = CliRunner().invoke(cli, ["adopt", str(path), "-o", str(new)])
    assert r.exit_code == 0, r.output + r.stderr
    old, adopted = read_register(path), read_register(new)
    short = short_ids(old)
    for ins_id in old.inspections.frame["inspection_id"]:
        shown = short.get(ins_id, ins_id)
        assert len(shown) <= 20, shown          # no whole title as an id
    for table in ("inspections", "items", "actions"):
        a = adopted_frame(old, table, short)
        b = adopted.table(table).frame.reset_index(drop=True)
        assert a.equals(b), (table, a.compare(b) if a.shape == b.shape else (a.shape, b.shape))
    # a register that kept no response dates is adopted with the day, said once
    assert adopted.settings.adopted_on is not None
    assert "'Adopted on' is" in r.stderr


def test_the_vetting_report_gets_the_short_id_of_its_initials_and_year(tmp_path):
    from gain_workbook.register.derive import short_inspection_id

    title = "An inspection of vetting, misconduct and misogyny in the police service"
    import datetime as dt

    assert short_inspection_id(title, dt.date(2022, 11, 2)) == "VMM-2022"
    assert short_inspection_id(title, dt.date(2022, 11, 2), {"VMM-2022"}) == "VMM-2022-2"


def test_update_requests_name_each_item_by_the_ref_the_office_wrote(tmp_path):
    from gain_workbook.chase.requests import owner_requests

    path = tmp_path / "na.xlsx"
    exp = VALUE_SHAPES["national_tracker_with_na_rows"](path)
    reg, _ = check(path)
    requests, _ = owner_requests(roll_up(reg, exp.as_of), reg, exp.as_of)
    asked = {a.action_text: a.item for r in requests for a in r.actions}
    assert asked == {"Produce a CSE problem profile including group-based CSE": "R2",
                     "Check Niche flags identify group-based CSE": "R4",
                     "Brief all staff on victim-blaming language": "R9"}


def test_every_total_in_the_pack_counts_a_cause_of_concerns_actions_once(tmp_path):
    """A cause for concern with two recommendations under it (a fire service's plan):
    its row shows their progress, and the Items sheet's Overdue column adds up to the
    overdue actions, as the Summary's tile and the Actions sheet count them."""
    import openpyxl

    from shapes import AS_OF, fire_action_plan

    path = tmp_path / "fire.xlsx"
    fire_action_plan(path)
    out = tmp_path / "pack.xlsx"
    r = CliRunner().invoke(cli, ["build", str(path), "-o", str(out), "--as-of",
                                 AS_OF.isoformat()])
    assert r.exit_code == 0, r.output + r.stderr
    wb = openpyxl.load_workbook(out, read_only=True)
    rows = [list(x) for x in wb["Items"].iter_rows(values_only=True)]
    head = rows[3]
    body = [x for x in rows[4:] if x[head.index("Item")]]
    overdue = sum(x[head.index("Overdue")] or 0 for x in body)
    actions = [list(x) for x in wb["Actions"].iter_rows(values_only=True)]
    a_head = actions[3]
    late = sum(1 for x in actions[4:] if x[a_head.index("Days overdue")])
    info = {x[0]: x[1] for x in wb["PackInfo"].iter_rows(values_only=True)}
    assert overdue == late == info["Overdue actions"] == 2
    coc = next(x for x in body if x[head.index("Item")] == "CfC 1")
    assert coc[head.index("Actions done")] == "1 / 2 under it"
    assert coc[head.index("Overdue")] == 0 and coc[head.index("RAG")] == "Red"


def test_an_adopted_register_that_kept_no_response_dates_shows_them_not_recorded(tmp_path):
    import openpyxl

    path = tmp_path / "na.xlsx"
    VALUE_SHAPES["national_tracker_with_na_rows"](path)
    new = tmp_path / "adopted.xlsx"
    runner = CliRunner()
    assert runner.invoke(cli, ["adopt", str(path), "-o", str(new)]).exit_code == 0
    v = runner.invoke(cli, ["validate", str(new), "--format", "json"])
    import json

    said = [p for p in json.loads(v.stdout)["problems"]
            if p["code"] == "RESPONSES_NOT_RECORDED"]
    assert len(said) == 1 and said[0]["where"] == "Settings"
    assert "from one that kept no response dates, and 1 report's day 56 had passed by then " \
           "with none recorded, so the pack shows it as 'Not recorded', not overdue" \
        in said[0]["message"]
    out = tmp_path / "pack.xlsx"
    r = runner.invoke(cli, ["build", str(new), "-o", str(out), "--as-of", "2026-11-30",
                            "--allow-errors"])
    assert r.exit_code == 0, r.output + r.stderr
    assert "0 responses not yet sent" in r.stdout
    ws = openpyxl.load_workbook(out, read_only=True)["Responses"]
    rows = [list(x) for x in ws.iter_rows(values_only=True)]
    head = rows[3]
    (row,) = [x for x in rows[4:] if x[0]]
    assert row[head.index("Position")] == "Not recorded"
    assert row[head.index("Detail")].startswith("day 56 was 01/02/2024; no date of the "
                                                "response is recorded")


def test_adopt_gives_the_history_the_short_ids_too():
    """A register whose reports are known by their whole titles gets short ids at adopt;
    its history's Action IDs and the ids inside a Request (a board decision's key) are
    made short the same way, so the decisions recorded still match the items."""
    from types import SimpleNamespace

    from gain_workbook.register.adopt import history_data

    title = "Vetting, misconduct and misogyny in the police service"
    reg = SimpleNamespace(
        updates=[{"Date": "x", "Action ID": f"{title} R1 A1", "Field": "Board decision",
                  "Request": f"decision 2026-12-14: sign-off {title} R1", "row": 2},
                 {"Action ID": "Other R1 A1", "Request": f"Other {title}s", "row": 3}],
        extensions=[{"Action ID": f"{title} R1 A2",
                     "Request": f"Update request 2026-12 - Ms Khan: {title} R1 A2", "row": 2}])
    got = history_data(reg, {title: "VMM-2022"})
    assert got["Updates"] == [
        {"Date": "x", "Action ID": "VMM-2022 R1 A1", "Field": "Board decision",
         "Request": "decision 2026-12-14: sign-off VMM-2022 R1"},
        {"Action ID": "Other R1 A1", "Request": f"Other {title}s"}]
    assert got["Extension requests"] == [
        {"Action ID": "VMM-2022 R1 A2",
         "Request": "Update request 2026-12 - Ms Khan: VMM-2022 R1 A2"}]
