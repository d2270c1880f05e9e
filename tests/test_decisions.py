"""The board decides, and the register remembers: the pack's For decision sheet, the
decisions typed into it recorded back with `gain-pack decisions`, and three months of
it as a new user would run them."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, base_data, sha256, write_register
from gain_workbook import api
from gain_workbook.chase.decisions import WORDS, decision_word, read_decision
from gain_workbook.cli import cli
from gain_workbook.excel.packfile import DecisionRow, TypedDecision
from gain_workbook.model import history

D = dt.date
AS_OF = D(2026, 11, 28)
MEETING = D(2026, 12, 3)


# ---------------------------------------------------------------- a register with every kind

def board_register(path: Path, extension: bool = True) -> Path:
    """The small register, with one item of each kind of question for the board: Rec 1
    awaiting sign-off (both actions finished), an action proposed for closure on AFI 1,
    a new date asked for A4, a new report INS-2 whose plenary has been held and whose
    response is due before the next meeting, and INS-3 before its plenary."""
    data = base_data()
    data["inspections"][0].update({"Plenary session": D(2024, 2, 1),
                                   "Response published": D(2024, 2, 20)})
    data["inspections"] += [
        {"Inspection ID": "INS-2", "Title": "An inspection of vetting", "Published":
         D(2026, 11, 1), "Type": "Force-specific", "Executive lead": "DCC",
         "Plenary session": D(2026, 11, 20), "Chief constable's comments received":
         D(2026, 11, 25)},
        {"Inspection ID": "INS-3", "Title": "An inspection of stalking", "Published":
         D(2026, 11, 14), "Type": "National"},
    ]
    data["items"] += [
        {"Item ID": "INS-2-AFI1", "Inspection ID": "INS-2", "Kind": "Area for improvement",
         "Number": "1", "Text": "The force should vet faster.", "Applies to force": "Yes",
         "HMICFRS status": "Open", "Lead": "Head of PSD"},
        {"Item ID": "INS-3-R1", "Inspection ID": "INS-3", "Kind": "Recommendation",
         "Number": "1", "Text": "With immediate effect, forces should respond to stalking.",
         "Applies to force": "Yes", "HMICFRS status": "Open",
         "Deadline (as written)": "With immediate effect"},
    ]
    acts = data["actions"]
    acts[0].update({"Status": "Complete", "Completed on": D(2026, 10, 1),
                    "Evidence": "Custody policy v2"})                 # A1: Rec 1 all done
    acts[2].update({"Status": "Ready for closure", "Completed on": D(2026, 11, 1),
                    "Evidence": "Audit report"})                      # A3: AFI 1
    acts += [
        {"Action ID": "A4", "Item ID": "INS-1-AFI1", "Action": "Retrain detention officers.",
         "Owner": "Custody QA", "Due": D(2026, 12, 31), "Status": "In progress"},
        {"Action ID": "A5", "Item ID": "INS-2-AFI1", "Action": "Clear the vetting backlog.",
         "Owner": "Head of PSD", "Due": D(2027, 3, 31), "Status": "Not started"},
    ]

    def post(wb):
        if extension:
            ws = wb.create_sheet(history.EXTENSIONS_SHEET)
            ws.append(list(history.EXTENSION_HEADERS))
            ws.append([D(2026, 11, 10), "A4", D(2026, 12, 31), D(2027, 3, 31),
                       "Waiting for the trainer", "Custody QA", "reply.xlsx", "req-1", None])

    return write_register(path, data, post=post)


def build(reg, out, as_of=AS_OF, meeting=MEETING, previous=None):
    return api.build(reg, output=out, as_of=as_of, meeting=meeting, previous=previous)


def sheet_rows(path, name):
    ws = openpyxl.load_workbook(path)[name]
    return [[c.value for c in row] for row in ws.iter_rows()]


def for_decision(path) -> dict:
    """{key: {header: value}} of a pack's For decision rows."""
    rows = sheet_rows(path, "For decision")
    header = rows[3]
    return {r[-1]: dict(zip(header, r)) for r in rows[4:] if r[-1]}


def type_decisions(pack: Path, typed: dict, where: str = "Decision") -> None:
    """Type into the pack as a clerk would in Excel: {key: decision or (decision, note)};
    ``where`` the column the decision goes in."""
    wb = openpyxl.load_workbook(pack)
    ws = wb["For decision"]
    header = [c.value for c in ws[4]]
    col = {h: i + 1 for i, h in enumerate(header)}
    rows = {ws.cell(r, col["Key"]).value: r for r in range(5, ws.max_row + 1)}
    for key, value in typed.items():
        decision, note = value if isinstance(value, tuple) else (value, None)
        r = rows[key]
        ws.cell(r, col[where]).value = decision
        if note is not None:
            ws.cell(r, col["Note"]).value = note
    wb.save(pack)


def decide(runner, reg, pack, *more):
    return runner.invoke(cli, ["decisions", str(reg), str(pack), *map(str, more)])


# ---------------------------------------------------------------- the For decision sheet

def test_the_for_decision_sheet_lists_what_the_board_decides(tmp_path):
    reg = board_register(tmp_path / "register.xlsx")
    res = build(reg, tmp_path / "pack.xlsx")
    rows = for_decision(res.path)
    assert list(rows) == ["sign-off INS-1-R1", "closure A3",
                          "extension A4 2027-03-31 req-1", "plan INS-2", "response INS-2"]
    sign = rows["sign-off INS-1-R1"]
    assert sign["Item or action"] == "Rec 1" and sign["By"] == "Ch Insp Custody"
    # an action is named with its item, so two of one item are told apart (a trial)
    assert rows["closure A3"]["Item or action"] == "AFI 1 A3"
    assert rows["extension A4 2027-03-31 req-1"]["Item or action"] == "AFI 1 A4"
    assert sign["Asked of the board"].startswith("Sign the item off as ready for closure")
    assert sign["Since"] == dt.datetime(2026, 10, 1)        # its last action finished
    assert "Custody policy v2" in sign["Evidence"]
    assert rows["extension A4 2027-03-31 req-1"]["Asked of the board"] == \
        "Agree the new due date: 31/03/2027"
    assert "Waiting for the trainer" in rows["extension A4 2027-03-31 req-1"]["Evidence"]
    assert rows["plan INS-2"]["By"] == "DCC"
    assert "day 56: 26/12/2026" in rows["response INS-2"]["Asked of the board"]
    # each part titled and counted, an empty part says so
    titles = [r[0] for r in sheet_rows(res.path, "For decision") if r[0] and
              re.match(r".+ \(\d+\)$", str(r[0]))]
    assert titles == ["Items to sign off as ready for closure: every action finished (1)",
                      "Actions proposed for closure (1)", "New target dates asked for (1)",
                      "New reports: the plan agreed at the plenary session, for acceptance (1)",
                      "PCC responses due before the next meeting (1)"]
    # the Summary's headline counts the sign-off and closure rows
    assert res.rollup.headline()["ready_for_closure"] == 2
    summary = sheet_rows(res.path, "Summary")
    assert summary[3][4] == 2 and summary[4][4].startswith("Items and actions to close (for decision)")
    # beside each headline last month's figure, here rebuilt from the register's dates
    assert summary[5][0].startswith("Last month: worked out from the register's own dates "
                                    "as at 28/10/2026.")
    # (A3 was open and late on 28/10/2026; it was finished on 01/11/2026)
    assert summary[4][2] == "Overdue actions\nwas 1 last month (down 1)"
    # and the trend, with one line on how it is worked out
    from gain_workbook.status.trend import HOW

    assert HOW in [c for r in summary for c in r]


def test_the_decision_cell_is_a_dropdown_and_only_decision_and_note_are_open(tmp_path):
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    ws = openpyxl.load_workbook(pack)["For decision"]
    assert ws.protection.sheet and not ws.protection.password
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"Agreed,Not agreed,Deferred"'
    assert str(dv.sqref).startswith("H5:H")
    header = [c.value for c in ws[4]]
    for r in range(5, ws.max_row + 1):
        if not ws.cell(r, header.index("Key") + 1).value:
            continue
        open_ = {header[c - 1] for c in range(1, len(header) + 1)
                 if ws.cell(r, c).protection.locked is False}
        assert open_ == {"Decision", "Note"}
    assert ws.column_dimensions["J"].hidden                   # the Key
    # printed like the rest: A4, landscape, one page wide, headers repeated
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$4:$4"


def test_the_pack_records_the_facts_the_board_saw(tmp_path):
    from gain_workbook.excel.packfile import open_workbook, read_decision_facts

    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    facts = read_decision_facts(open_workbook(pack), pack.name)
    assert set(facts) == set(for_decision(pack))
    assert facts["closure A3"].facts == {
        "Item ID": "INS-1-AFI1", "Status": "Ready for closure", "Due": "2025-01-31",
        "Revised due": None, "Completed on": "2026-11-01"}
    assert facts["sign-off INS-1-R1"].facts["A1: Status"] == "Complete"
    ext = facts["extension A4 2027-03-31 req-1"]
    assert (ext.kind, ext.subject) == ("extension", "A4")
    assert ext.facts["Requested date"] == "2027-03-31" and ext.facts["Board decision"] is None


def test_a_report_before_its_plenary_is_awaiting_plenary_not_red(tmp_path):
    reg = board_register(tmp_path / "register.xlsx")
    res = build(reg, tmp_path / "pack.xlsx")
    it = res.rollup.items.set_index("item_id")
    assert (it.at["INS-3-R1", "status"], it.at["INS-3-R1", "rag"]) == ("Awaiting plenary",
                                                                        "Grey")
    assert not it.at["INS-3-R1", "deadline_passed"]
    # not an exception, and not 'no actions' on Data quality either
    cells = [c for r in sheet_rows(res.path, "Exceptions") for c in r]
    assert "INS-3" not in cells and "With immediate effect, forces should respond to " \
        "stalking." not in cells
    assert "Data quality" not in openpyxl.load_workbook(res.path).sheetnames or \
        "INS-3" not in str(sheet_rows(res.path, "Data quality"))
    # once the plenary date is set it is a plan for acceptance, not two exceptions
    wb = openpyxl.load_workbook(reg)
    ws = wb["Inspections"]
    head = [c.value for c in ws[1]]
    ws.cell(4, head.index("Plenary session") + 1).value = dt.datetime(2026, 11, 26)
    wb.save(reg)
    res = build(reg, tmp_path / "pack2.xlsx")
    assert "plan INS-3" in for_decision(res.path)
    exceptions = [r for r in sheet_rows(res.path, "Exceptions") if r[1] == "INS-3"]
    assert [r[0] for r in exceptions] == ["No actions"]      # once, for its own cause


# ---------------------------------------------------------------- decisions

def test_decisions_dry_run_changes_nothing_then_apply_records_each(tmp_path, runner):
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    type_decisions(pack, {"sign-off INS-1-R1": "Agreed",
                          "closure A3": ("Not agreed", "The audit is not enough."),
                          "extension A4 2027-03-31 req-1": "Agreed",
                          "plan INS-2": ("Deferred", "Bring back with costings."),
                          "response INS-2": "Agreed"})
    before = sha256(reg)
    dry = decide(runner, reg, pack)
    assert dry.exit_code == 0, dry.output
    assert sha256(reg) == before and len(list(tmp_path.iterdir())) == 2
    assert "Dry run (nothing changed): 5 decisions to record (5 changes to the register)" \
        in dry.stdout
    assert "INS-1-R1 Ready for closure (board signed): (blank) -> 03/12/2026" in dry.stdout
    assert "A1 Status: 'Complete' -> 'Closed'" in dry.stdout
    assert "A3 Status: 'Ready for closure' -> 'In progress'" in dry.stdout
    assert "A4 Revised due: (blank) -> 31/03/2027" in dry.stdout
    # the extension as asked, not its key ('extension A4 2027-03-31 req-1')
    assert "  extension A4 (Agree the new due date: 31/03/2027): Agreed" in dry.stdout
    assert "req-1" not in dry.stdout
    done = decide(runner, reg, pack, "--apply")
    assert done.exit_code == 0, done.output
    backup = next(tmp_path.glob("register (before decisions *).xlsx"))
    assert sha256(backup) == before
    got = api.rollup(reg, as_of=D(2026, 12, 10))
    items = dict(zip(got.rollup.items["item_id"], got.rollup.items["status"]))
    assert items["INS-1-R1"] == "Ready for closure"
    acts = got.rollup.actions.set_index("action_id")
    assert acts.at["A1", "action_status"] == acts.at["A2", "action_status"] == "Closed"
    assert acts.at["A3", "action_status"] == "In progress"
    assert acts.at["A4", "revised_due"] == dt.datetime(2027, 3, 31)
    wb = openpyxl.load_workbook(reg)
    updates = [r for r in wb["Updates"].iter_rows(min_row=2, values_only=True)]
    decided = [r for r in updates if r[2] == "Board decision"]
    assert [(r[1], r[4]) for r in decided] == [
        ("INS-1-R1", "Agreed"), ("A3", "Not agreed: The audit is not enough."),
        ("A4", "Agreed"), ("INS-2", "Deferred: Bring back with costings."), ("INS-2", "Agreed")]
    assert {r[0] for r in updates} == {dt.datetime(2026, 12, 3)}     # the meeting's date
    assert {r[5] for r in updates} == {"GAIN Board"} and {r[6] for r in updates} == {"pack.xlsx"}
    ext = list(wb["Extension requests"].iter_rows(min_row=2, values_only=True))
    assert len(ext) == 2 and ext[1][1] == "A4" and ext[1][-1] == "Agreed at the meeting of 03/12/2026"
    # the next pack asks nothing already decided but what was deferred
    again = for_decision(build(reg, tmp_path / "next.xlsx", as_of=D(2026, 12, 28),
                               meeting=D(2027, 1, 7)).path)
    assert "plan INS-2" in again and "extension A4 2027-03-31 req-1" not in again
    # (the force's comments agreed: the response is the PCC's to send, not asked again;
    # it was, every month until sent, in a new user's trial)
    assert "response INS-2" not in again
    assert "Deferred: Bring back with costings." in again["plan INS-2"]["Evidence"]
    assert ".." not in again["plan INS-2"]["Evidence"]
    # the same pack again records nothing twice
    twice = decide(runner, reg, pack, "--apply")
    assert twice.exit_code == 0 and "5 recorded before" in twice.stdout
    assert "Nothing to apply (the register was not rewritten)" in twice.stdout


def test_a_row_changed_since_the_pack_or_gone_is_a_problem_and_the_rest_applies(tmp_path,
                                                                               runner):
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    type_decisions(pack, {"sign-off INS-1-R1": "Agreed", "closure A3": "Agreed",
                          "extension A4 2027-03-31 req-1": "Agreed"})
    # after the pack: A2 reopened by a late reply, A3 deleted from the register
    wb = openpyxl.load_workbook(reg)
    ws = wb["Actions"]
    head = [c.value for c in ws[1]]
    ws.cell(3, head.index("Status") + 1).value = "In progress"
    ws.delete_rows(4)
    wb.save(reg)
    out = decide(runner, reg, pack, "--apply")
    assert out.exit_code == 1
    assert "PROBLEM CHANGED (row 6, sign-off INS-1-R1): INS-1-R1 has changed since the pack " \
        "was built (A2: Status: 'Complete' in the pack, 'In progress' now)" in out.stdout
    assert "PROBLEM GONE (row 8, closure A3): the register no longer has A3" in out.stdout
    acts = api.rollup(reg, as_of=AS_OF).rollup.actions.set_index("action_id")
    assert acts.at["A4", "revised_due"] == dt.datetime(2027, 3, 31)    # the clean one applied
    assert acts.at["A2", "action_status"] == "In progress"
    items = api.rollup(reg, as_of=AS_OF).rollup.items.set_index("item_id")
    assert pd.isna(items.at["INS-1-R1", "board_ready_date"])        # not signed off


@pytest.mark.parametrize("copy", ["Not agreed", "Agreed"])
def test_a_row_copied_and_decided_two_ways_records_neither(tmp_path, runner, copy):
    """The clerk copied a For decision row and typed 'Agreed' on one, 'Not agreed' on the
    copy: the first was recorded (the item signed off) and only the copy flagged (a
    trial). Decided two ways, the board's decision is not known: neither is recorded. The
    same decision typed twice keeps the first, the copy flagged, as before."""
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    type_decisions(pack, {"sign-off INS-1-R1": "Agreed", "extension A4 2027-03-31 req-1":
                          "Agreed"})
    wb = openpyxl.load_workbook(pack)
    ws = wb["For decision"]
    header = [c.value for c in ws[4]]
    first = next(r for r in range(5, ws.max_row + 1)
                 if ws.cell(r, header.index("Key") + 1).value == "sign-off INS-1-R1")
    last = ws.max_row + 2
    for c in range(1, len(header) + 1):
        ws.cell(last, c).value = ws.cell(first, c).value
    ws.cell(last, header.index("Decision") + 1).value = copy
    wb.save(pack)
    out = decide(runner, reg, pack, "--apply")
    assert out.exit_code == 1
    items = api.rollup(reg, as_of=AS_OF).rollup.items.set_index("item_id")
    acts = api.rollup(reg, as_of=AS_OF).rollup.actions.set_index("action_id")
    assert acts.at["A4", "revised_due"] == dt.datetime(2027, 3, 31)    # the other applied
    if copy == "Agreed":
        assert f"PROBLEM TWICE (row {last}, sign-off INS-1-R1)" in out.stdout
        assert not pd.isna(items.at["INS-1-R1", "board_ready_date"])
    else:
        assert f"rows {first} and {last} ('Agreed' and 'Not agreed'" in out.stdout
        assert pd.isna(items.at["INS-1-R1", "board_ready_date"])       # neither recorded


def test_a_decision_in_the_wrong_cell_or_form_is_read_or_a_problem_never_guessed(tmp_path,
                                                                                runner):
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    type_decisions(pack, {"sign-off INS-1-R1": "yes", "closure A3": "maybe",
                          "extension A4 2027-03-31 req-1": dt.datetime(2027, 3, 31),
                          "response INS-2": dt.datetime(2026, 12, 20)})
    type_decisions(pack, {"plan INS-2": "Agreed"}, where="Note")
    out = decide(runner, reg, pack)
    assert out.exit_code == 1
    assert "sign-off INS-1-R1: Agreed\n    read as Agreed: 'yes'" in out.stdout
    assert "read as Agreed: the date asked for (31/03/2027) typed in Decision" in out.stdout
    assert "read as Agreed: 'Agreed' in the Note, with Decision blank" in out.stdout
    assert "PROBLEM NOT_A_DECISION (row 8, closure A3): 'maybe' is not a decision" in out.stdout
    assert "PROBLEM NOT_A_DECISION (row 14, response INS-2): a date (20/12/2026) is not a " \
        "decision" in out.stdout


def test_a_decision_typed_beside_the_note_is_read_and_said():
    got = read_decision(TypedDecision(7, "k", None, None, ("OK",)), _row())
    assert got == ("Agreed", "'OK' in the cell beside the Note, with Decision blank", None)
    got = read_decision(TypedDecision(7, "k", None, "Waiting for the audit", ()), _row())
    assert got[0] is None and got[2].startswith("there is a note but no decision")
    assert read_decision(TypedDecision(7, "k", None, None, ()), _row()) == (None, "", None)


def _row(kind="closure", requested=None):
    facts = {"Requested date": requested} if requested else {}
    return DecisionRow("k", kind, "A1", "Close the action", facts)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(WORDS)), st.sampled_from([str.lower, str.upper, str.title,
                                                       lambda s: f"  {s} "]))
def test_every_word_for_a_decision_is_read_as_it_and_said(word, case):
    got, how, problem = read_decision(TypedDecision(5, "k", case(word), None), _row())
    assert (got, problem) == (WORDS[word], None)
    assert how == "" if case(word).strip() in history.DECISION_WORDS else how


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=20).filter(lambda t: decision_word(t) is None
                                                and t.strip()))
def test_anything_else_is_a_problem_not_a_guess(text):
    got, _, problem = read_decision(TypedDecision(5, "k", text, None), _row())
    assert got is None and problem


def test_a_pack_with_no_meeting_date_asks_for_one_and_other_packs_are_refused(tmp_path,
                                                                             runner):
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx", meeting=None).path
    out = decide(runner, reg, pack)
    assert out.exit_code == 2
    assert out.stderr.strip().endswith("so the decisions cannot be dated; give the meeting's "
                                       "date with --meeting.")
    assert decide(runner, reg, pack, "--meeting", "03/12/2026").exit_code == 0
    other = board_register(tmp_path / "other.xlsx")
    out = decide(runner, other, pack, "--meeting", "03/12/2026")
    assert out.exit_code == 2 and "was built from the register 'register.xlsx', not " \
        "'other.xlsx'" in out.stderr
    out = decide(runner, reg, reg)
    assert out.exit_code == 2 and "is not a board pack" in out.stderr
    assert "Traceback" not in out.output + out.stderr


@pytest.mark.parametrize("change, said", [
    ("rename", "has had its 'For decision' sheet renamed or deleted (rename it back"),
    ("delete", "has had its 'For decision' sheet renamed or deleted"),
    ("facts", "has had its hidden record of the For decision rows deleted")])
def test_a_pack_whose_for_decision_sheet_was_renamed_says_so(tmp_path, runner, change, said):
    """A pack of today's whose For decision sheet was renamed (or deleted, or its hidden
    record deleted) was said to be 'built by an older gain-pack' (a trial)."""
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    wb = openpyxl.load_workbook(pack)
    if change == "rename":
        wb["For decision"].title = "Decisions"
    elif change == "delete":
        del wb["For decision"]
    else:
        from gain_workbook.excel.packfile import DECISION_FACTS_SHEET

        del wb[DECISION_FACTS_SHEET]
    wb.save(pack)
    out = decide(runner, reg, pack)
    assert out.exit_code == 2 and said in out.stderr, out.stderr


# ---------------------------------------------------------------- owners cannot close

def test_owners_cannot_close_their_own_actions(tmp_path, runner):
    from gain_workbook.chase.request_sheet import OWNER_STATUSES

    assert OWNER_STATUSES == ("Not started", "In progress", "On hold", "Complete")
    (tmp_path / "office").mkdir()
    reg = board_register(tmp_path / "office" / "register.xlsx", extension=False)
    res = api.requests(reg, as_of=D(2026, 12, 2))
    book = next(b for r, b in zip(res.requests, res.workbooks) if r.owner == "Custody QA")
    ws = openpyxl.load_workbook(book)["Update request"]
    (dv,) = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert dv.formula1 == '"Not started,In progress,On hold,Complete"'
    rows = {ws[f"C{r}"].value: r for r in range(8, ws.max_row + 1) if ws[f"C{r}"].value}
    ws[f"J{rows['A4']}"] = "Closed"
    ws[f"K{rows['A4']}"] = "Trainer booked for January."
    ws[f"M{rows['A4']}"] = dt.datetime(2026, 12, 1)           # Completed on
    reply = tmp_path / "reply.xlsx"
    ws.parent.save(reply)
    out = runner.invoke(cli, ["merge", str(reg), str(reply), "--apply", "--as-of", "10/12/2026"])
    assert out.exit_code == 0, out.output
    assert "A4: the reply says 'Closed', but closure is the board's decision: recorded as " \
        "Ready for closure, for the board to close at its meeting" in out.stdout
    acts = api.rollup(reg, as_of=D(2026, 12, 10)).rollup.actions.set_index("action_id")
    # proposed for closure, with the rest of the row: the status was left 'In progress'
    # beside a completion date (a trial), and the board never saw it
    assert acts.at["A4", "action_status"] == "Ready for closure"
    assert acts.at["A4", "latest_update"] == "Trainer booked for January."
    assert pd.Timestamp(acts.at["A4", "completed"]).date() == D(2026, 12, 1)
    # and it reaches the board: its item (A4 its last open action) is to be signed off
    pack = api.build(reg, as_of=D(2026, 12, 10), output=tmp_path / "pack.xlsx").path
    rows = [r for r in openpyxl.load_workbook(pack)["For decision"].iter_rows(values_only=True)
            if r[1] == "AFI 1"]
    assert len(rows) == 1 and rows[0][3].startswith("Sign the item off") and \
        "Both actions finished, the last on 01/12/2026" in rows[0][6]


@pytest.mark.parametrize("said", ["Ready for closure", "Closed"])
def test_an_owners_closure_reaches_the_board_as_proposed(tmp_path, said):
    """An owner who writes 'Ready for closure' (or 'Closed') over the list: the action is
    proposed for closure (the board closes it: For decision), not left as it was."""
    (tmp_path / "office").mkdir()
    reg = board_register(tmp_path / "office" / "register.xlsx", extension=False)
    res = api.requests(reg, as_of=D(2026, 12, 2))
    book = next(b for r, b in zip(res.requests, res.workbooks) if r.owner == "Custody QA")
    ws = openpyxl.load_workbook(book)["Update request"]
    rows = {ws[f"C{r}"].value: r for r in range(8, ws.max_row + 1) if ws[f"C{r}"].value}
    ws[f"J{rows['A4']}"] = said
    ws.parent.save(tmp_path / "reply.xlsx")
    api.merge(reg, [tmp_path / "reply.xlsx"], apply=True, as_of=D(2026, 12, 10))
    acts = api.rollup(reg, as_of=D(2026, 12, 10)).rollup.actions.set_index("action_id")
    assert acts.at["A4", "action_status"] == "Ready for closure"
    pack = api.build(reg, as_of=D(2026, 12, 10), output=tmp_path / "pack.xlsx").path
    assert "sign-off INS-1-AFI1" in for_decision(pack)      # (A4 its last open action)


# ---------------------------------------------------------------- words for the board

def test_a_due_date_tbc_prints_tbc(tmp_path):
    data = base_data()
    data["actions"][2]["Due"] = "TBC"
    reg = write_register(tmp_path / "r.xlsx", data)
    pack = api.build(reg, output=tmp_path / "p.xlsx", as_of=AS_OF).path
    rows = sheet_rows(pack, "Actions")
    header = rows[3]
    a3 = next(r for r in rows if r[header.index("Action")] == "Audit welfare checks.")
    assert a3[header.index("Due")] == "TBC" and a3[header.index("Effective due")] == "TBC"


def test_no_rule_code_in_anything_the_board_reads(tmp_path):
    from gain_workbook.model.schema import RULES

    data = base_data()
    data["actions"][0]["Status"] = "wip"
    data["items"][0]["RAG (yours)"] = "Green"
    reg = write_register(tmp_path / "r.xlsx", data)
    pack = api.build(reg, output=tmp_path / "p.xlsx", as_of=AS_OF).path
    wb = openpyxl.load_workbook(pack)
    assert "Data quality" in wb.sheetnames
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        text = " ".join(str(c.value) for r in ws.iter_rows() for c in r if c.value)
        assert not [code for code in RULES if code in text], ws.title


# ---------------------------------------------------------------- three months

def _set(reg: Path, sheet: str, key: str, changes: dict) -> None:
    """Change a row of the register by hand, as the clerk does in Excel."""
    wb = openpyxl.load_workbook(reg)
    ws = wb[sheet]
    head = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == key:
            for h, v in changes.items():
                if h not in head:
                    head.append(h)
                    ws.cell(1, len(head)).value = h
                ws.cell(r, head.index(h) + 1).value = v
    wb.save(reg)


def _add_actions(reg: Path, rows: list[dict]) -> None:
    wb = openpyxl.load_workbook(reg)
    ws = wb["Actions"]
    head = [c.value for c in ws[1]]
    for row in rows:
        ws.append([row.get(h) for h in head])
    wb.save(reg)


@pytest.mark.slow
def test_three_months_as_a_new_user_runs_them(tmp_path, runner):
    """November: a new report comes in before its plenary; the pack asks the board; the
    clerk types the decisions into it; one row changes after the pack (a late edit).
    December: the decisions are in the register, the Movement sheet and the trend; the
    new report's plenary is held; the refused row is asked again. January: the new date
    the board agreed moves the due date, the plan is accepted."""
    def run(*args, code=0):
        out = runner.invoke(cli, [str(a) for a in args])
        assert out.exit_code == code, out.output + out.stderr
        return out

    office = tmp_path / "GAIN office"
    office.mkdir()
    reg = office / "Inspection register.xlsx"
    shutil.copy(ROOT / "examples" / "Example register.xlsx", reg)     # the quickstart's
    report = ROOT / "tests" / "data" / "reports" / "peel-2023-25 cleveland afi listing.txt"
    run("add-report", reg, report, "--published", "07/11/2026", "--id", "INS-2026-NEW",
        "--title", "A new inspection", "--apply")
    # an owner asks for a new date (merge, as every month)
    res = api.requests(reg, as_of=D(2026, 11, 2), owner=["Superintendent Safeguarding"])
    wb = openpyxl.load_workbook(res.workbooks[0])
    ws = wb["Update request"]
    ws["N8"], ws["O8"] = dt.datetime(2027, 6, 30), "Waiting for the national guidance."
    wb.save(tmp_path / "reply.xlsx")
    run("merge", reg, tmp_path / "reply.xlsx", "--apply", "--as-of", "10/11/2026")
    asked = openpyxl.load_workbook(reg)["Extension requests"]["B2"].value

    # ---- November
    nov = office / "GAIN board pack 2026-11.xlsx"
    run("build", reg, "--as-of", "28/11/2026", "--meeting", "03/12/2026")
    rows = for_decision(nov)
    new = [k for k in rows if "INS-2026-NEW" in k]
    assert new == ["response INS-2026-NEW"]          # its plan is not ready: no plenary yet
    items = sheet_rows(nov, "Items")
    head = items[3]
    mine = [r for r in items if r[0] == "INS-2026-NEW" and r[head.index("Status")] !=
            "Not for the force"]
    assert mine and {r[head.index("Status")] for r in mine} == {"Awaiting plenary"}
    assert {r[head.index("RAG")] for r in mine} == {"Grey"}
    signs = [k for k in rows if k.startswith("sign-off")]
    closes = [k for k in rows if k.startswith("closure")]
    (ext,) = [k for k in rows if k.startswith("extension")]
    assert sheet_rows(nov, "Summary")[3][4] == len(signs) + len(closes) > 0
    type_decisions(nov, {signs[0]: "Agreed", signs[1]: "yes",
                         closes[0]: ("Not agreed", "More evidence needed."),
                         closes[1]: "Deferred", ext: "Agreed",
                         "plan INS-2026-001": "Agreed"})
    # after the pack, the clerk edits the action whose new date was asked: that row has
    # changed, so its decision is not applied
    _set(reg, "Actions", asked, {"Latest update": "Guidance expected in June.",
                                 "Due": dt.datetime(2027, 2, 28)})
    out = run("decisions", reg, nov, "--apply", code=1)
    assert "PROBLEM CHANGED" in out.stdout and ext in out.stdout
    updates = list(openpyxl.load_workbook(reg)["Updates"].iter_rows(min_row=2, values_only=True))
    decided = [r for r in updates if r[2] == "Board decision"]
    assert len(decided) == 5 and {r[0] for r in decided} == {dt.datetime(2026, 12, 3)}

    # ---- December: the new report's plenary is held and its actions agreed
    _set(reg, "Inspections", "INS-2026-NEW", {"Plenary session": dt.datetime(2026, 12, 15)})
    first = next(r[0] for r in mine)
    new_items = [r[head.index("Item ID")] for r in mine]
    _add_actions(reg, [{"Action ID": f"{i}-A1", "Item ID": i, "Action": "Agree the plan.",
                        "Owner": "DCI Intelligence", "Due": dt.datetime(2027, 2, 28),
                        "Status": "Not started"} for i in new_items])
    assert first == "INS-2026-NEW"
    dec = office / "GAIN board pack 2026-12.xlsx"
    run("build", reg, "--as-of", "28/12/2026", "--meeting", "07/01/2027", "--previous", nov)
    rows = for_decision(dec)
    assert "plan INS-2026-NEW" in rows and ext in rows            # asked again
    assert not set(signs[:2]) & set(rows) and "plan INS-2026-001" not in rows
    assert "the board decided: Deferred" in rows[closes[1]]["Evidence"]
    move = sheet_rows(dec, "Movement")
    # a decision's words ('Deferred: bring the evidence ...') wrap in Was and Now: they
    # ran past the table's edge and the printed page
    ws = openpyxl.load_workbook(dec)["Movement"]
    long = [c for col in ("F", "G") for c in ws[col] if isinstance(c.value, str)
            and len(c.value) > 20]
    assert long and all(c.alignment.wrap_text for c in long)
    kinds = [r[0] for r in move]
    assert kinds.count("Board decisions") == 5
    assert kinds.count("Closed or ready for closure") == 2
    assert any(r[0] == "Status changes" and r[5] == "Ready for closure" and r[6] == "In progress"
               for r in move)
    summary = sheet_rows(dec, "Summary")
    assert "Last month: the figures of GAIN board pack 2026-11.xlsx" in summary[5][0]
    assert re.search(r"was \d+ last month", summary[4][2])
    months = trend_of(dec)
    assert months["Dec 2026"][3] == 2                          # the two items signed off
    type_decisions(dec, {ext: "Agreed", "plan INS-2026-NEW": "Agreed"})
    run("decisions", reg, dec, "--apply")

    # ---- January
    jan = office / "GAIN board pack 2027-01.xlsx"
    run("build", reg, "--as-of", "28/01/2027", "--meeting", "04/02/2027", "--previous", dec)
    rows = for_decision(jan)
    assert ext not in rows and "plan INS-2026-NEW" not in rows
    move = sheet_rows(jan, "Movement")
    moved = [r for r in move if r[0] == "Due dates moved"]
    assert len(moved) == 1 and moved[0][6] == "30/06/2027"
    assert [r[0] for r in move].count("Board decisions") == 2
    acts = api.rollup(reg, as_of=D(2027, 1, 28)).rollup.actions.set_index("action_id")
    assert acts.at[asked, "revised_due"] == dt.datetime(2027, 6, 30)
    ins = api.rollup(reg, by="inspection", as_of=D(2027, 1, 28)).rollup.inspections
    accepted = dict(zip(ins["inspection_id"], ins["plan_accepted"]))
    assert accepted["INS-2026-NEW"] == dt.datetime(2027, 1, 7)
    assert accepted["INS-2026-001"] == dt.datetime(2026, 12, 3)
    months = trend_of(jan)
    assert list(months)[-3:] == ["Nov 2026", "Dec 2026", "Jan 2027"]
    assert months["Dec 2026"][3] == 2 and months["Jan 2027"][3] == 0


def trend_of(pack) -> dict:
    """{month: (month, open, overdue, closed)} from the Summary's chart figures."""
    from gain_workbook.pack.summary import TREND_DATA_COL, TREND_ROW

    rows = sheet_rows(pack, "Summary")
    out = {}
    for r in rows[TREND_ROW + 1:TREND_ROW + 13]:
        out[r[TREND_DATA_COL]] = tuple(r[TREND_DATA_COL:TREND_DATA_COL + 4])
    return out


def test_the_month_in_the_docs_shows_the_decisions_step():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    month = readme.split("## Your month", 1)[1].split("\n## ", 1)[0]
    assert "gain-pack decisions" in month
    page = (ROOT / "docs" / "month.md").read_text(encoding="utf-8")
    assert re.search(r"^## \d\. The meeting: `?decisions`?", page, re.M)
    assert "gain-pack decisions" in page


def test_a_pack_with_decisions_not_yet_recorded_is_not_written_over(tmp_path, runner):
    """The pack the board typed into is the only place its decisions are until they are
    recorded: building (or running monthly) again to the same name is refused, one
    sentence, the pack as it was; once recorded, or with nothing typed, it is rebuilt."""
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    again = runner.invoke(cli, ["build", str(reg), "-o", str(pack), "--as-of", "28/11/2026"])
    assert again.exit_code == 0, again.output               # nothing typed: rebuilt
    type_decisions(pack, {"sign-off INS-1-R1": "Agreed",
                          "closure A3": ("Deferred", "Next month.")})
    typed = sha256(pack)
    for args in (["build", str(reg), "-o", str(pack), "--as-of", "28/11/2026"],
                 ["monthly", str(reg), "--out-dir", str(tmp_path), "--as-of", "28/11/2026",
                  "--meeting", "03/12/2026"]):
        if args[0] == "monthly":
            shutil.copy(pack, tmp_path / "GAIN board pack 2026-11.xlsx")
            pack = tmp_path / "GAIN board pack 2026-11.xlsx"
        out = runner.invoke(cli, args)
        assert out.exit_code == 2, out.output
        assert f"Nothing was written: '{pack.name}' holds 2 decisions typed into its For " \
            "decision sheet and not yet recorded in the register, and this pack would " \
            f"replace it; record them first with gain-pack decisions \"{reg.name}\" " \
            f"\"{pack.name}\", or " in out.stderr
        assert ("another name with --output." if args[0] == "build" else
                "another folder with --out-dir.") in out.stderr
        assert "Traceback" not in out.output and sha256(pack) == typed
    # (the pack was rebuilt without a meeting date: decided with --meeting, a later day)
    done = decide(runner, reg, pack, "--meeting", "03/12/2026", "--apply")
    assert done.exit_code == 0, done.output
    rebuilt = runner.invoke(cli, ["build", str(reg), "-o", str(pack), "--as-of", "28/11/2026"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert sha256(pack) != typed


# ---------------------------------------------------------------- a decision typed otherwise

SIGN_OFF = "sign-off INS-1-R1"


def test_a_decision_typed_otherwise_after_it_was_recorded_is_a_problem_not_recorded_before(
        tmp_path, runner):
    """Recorded as Not agreed, then the pack changed to Agreed: running decisions again says
    what was recorded and changes nothing, never 'recorded before'; typed back as
    recorded (spacing and case aside), it is recorded before."""
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    type_decisions(pack, {SIGN_OFF: ("Not agreed", "Need evidence")})
    assert decide(runner, reg, pack, "--apply").exit_code == 0
    recorded = sha256(reg)
    type_decisions(pack, {SIGN_OFF: "Agreed"})             # the note left as it was
    for more in ((), ("--apply",)):
        out = decide(runner, reg, pack, *more)
        assert out.exit_code == 1, out.output
        assert f"PROBLEM RECORDED_OTHERWISE (row 6, {SIGN_OFF}): recorded at the meeting of " \
            "03/12/2026 as 'Not agreed: Need evidence', and the pack now says 'Agreed: Need " \
            "evidence'; a decision once recorded is not changed from the pack" in out.stdout
        assert "recorded before" not in out.stdout.split("\n\n")[0]
        assert "0 decisions to record (0 changes to the register), 0 recorded before" \
            in out.stdout
        assert sha256(reg) == recorded and "Traceback" not in out.output
    type_decisions(pack, {SIGN_OFF: (" not agreed ", "Need  evidence")})   # as recorded
    same = decide(runner, reg, pack)
    assert same.exit_code == 0, same.output
    assert f"{SIGN_OFF}: Not agreed: recorded before; nothing to do" in same.stdout


def test_a_pack_typed_otherwise_since_its_decision_was_recorded_is_not_written_over(
        tmp_path, runner):
    """The pack says something the register does not (the decision changed after it was
    recorded): building to its name again is refused, as for one never recorded; typed
    back as recorded, it is rebuilt."""
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    type_decisions(pack, {SIGN_OFF: ("Not agreed", "Need evidence")})
    assert decide(runner, reg, pack, "--apply").exit_code == 0
    for typed in ("Agreed", ("Not agreed", "Need evidence first"), ("Deferred", "")):
        type_decisions(pack, {SIGN_OFF: typed})
        changed = sha256(pack)
        again = runner.invoke(cli, ["build", str(reg), "-o", str(pack), "--as-of", "28/11/2026"])
        assert again.exit_code == 2, again.output
        assert f"'{pack.name}' holds 1 decision typed into its For decision sheet and not yet " \
            "recorded in the register" in again.stderr
        assert sha256(pack) == changed
    type_decisions(pack, {SIGN_OFF: ("Not agreed", "Need evidence")})
    rebuilt = runner.invoke(cli, ["build", str(reg), "-o", str(pack), "--as-of", "28/11/2026"])
    assert rebuilt.exit_code == 0, rebuilt.output


@pytest.fixture(scope="module")
def decided(tmp_path_factory):
    """A register and the facts of its pack, for weighing decisions against its history."""
    from gain_workbook.excel import packfile
    from gain_workbook.register.reader import read_register

    tmp = tmp_path_factory.mktemp("decided")
    reg = board_register(tmp / "register.xlsx")
    pack = build(reg, tmp / "pack.xlsx").path
    facts = packfile.read_decision_facts(packfile.open_workbook(pack), pack.name)
    return read_register(reg), facts


NOTES = st.sampled_from(["", "Need evidence", "Need  evidence ", "Bring back in March",
                         "need evidence"])


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(history.DECISION_WORDS), NOTES, st.sampled_from(sorted(WORDS)),
       NOTES, st.sampled_from([MEETING, D(2026, 11, 5)]))
def test_recorded_before_only_when_the_pack_says_what_was_recorded(
        decided, was, was_note, typed, note, meeting):
    """For every decision recorded and every one typed after: recorded before when the
    word (read as one of the three) and the note are the same, spacing aside; a problem
    naming what was recorded otherwise; a decision of another meeting is no matter."""
    from gain_workbook.chase.decisions import plan_decisions

    def said(word, note):
        return word + (f": {note}" if note else "")

    reg, facts = decided
    reg.updates = [{"Date": meeting, "Action ID": "INS-1-R1",
                    "Field": history.DECISION_FIELD, "New value": said(was, was_note),
                    "Request": history.decision_ref(meeting, SIGN_OFF)}]
    plan = plan_decisions(reg, "pack.xlsx", facts, [TypedDecision(6, SIGN_OFF, typed, note)],
                          MEETING, "GAIN Board")
    same = decision_word(typed) == was and note.split() == was_note.split()
    if meeting != MEETING:
        assert [d.key for d in plan.decisions] == [SIGN_OFF] and not plan.problems
    elif same:
        assert [d.key for d in plan.already] == [SIGN_OFF] and not plan.problems
    else:
        assert not plan.already and not plan.decisions
        [p] = plan.problems
        assert p.code == "RECORDED_OTHERWISE"
        assert p.message.startswith(f"recorded at the meeting of 03/12/2026 as '{was}")
        assert "recorded before" not in plan.to_text().split("\n\n")[0]


@pytest.mark.parametrize("typed", [("Agreed – with conditions", None),   # not read yet
                                   (None, "Agreed"),                      # in the Note
                                   (None, "Bring back next month")])      # a note alone
def test_a_pack_with_anything_typed_for_the_board_is_not_written_over(tmp_path, runner,
                                                                       typed):
    """What the board typed is kept as the decisions command reads it: a decision in the
    Note, or one it cannot read yet (it says so), keeps the pack from being rebuilt over."""
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    decision, note = typed
    wb = openpyxl.load_workbook(pack)
    ws = wb["For decision"]
    col = {c.value: c.column for c in ws[4]}
    row = next(r for r in range(5, ws.max_row + 1)
               if ws.cell(r, col["Key"]).value == "closure A3")
    ws.cell(row, col["Decision"]).value = decision
    ws.cell(row, col["Note"]).value = note
    wb.save(pack)
    before = sha256(pack)
    out = runner.invoke(cli, ["build", str(reg), "-o", str(pack), "--as-of", "28/11/2026"])
    assert out.exit_code == 2, out.output
    assert "holds 1 decision typed into its For decision sheet" in out.stderr
    assert sha256(pack) == before


def test_a_decision_saved_as_a_formula_without_its_value_is_not_read_as_blank(tmp_path,
                                                                              runner):
    """A decision typed in a program that does not calculate, saved as a formula with no
    value, would read as no decision: decisions refuses the pack in one sentence, and
    build will not write over it (found by review)."""
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    type_decisions(pack, {SIGN_OFF: '=CONCAT("Agr","eed")'})
    before = sha256(pack), sha256(reg)
    out = decide(runner, reg, pack, "--meeting", "03/12/2026", "--apply")
    assert out.exit_code == 2, out.output
    assert (f"Cannot read the decisions in '{pack.name}': on its For decision sheet cell "
            in out.stderr and "holds a formula saved without its value" in out.stderr
            and "so what it says is not known; open it in Excel, save it and try again."
            in out.stderr), out.stderr
    again = runner.invoke(cli, ["build", str(reg), "-o", str(pack), "--as-of", "28/11/2026"])
    assert again.exit_code == 2 and "holds 1 decision typed into its For decision sheet" \
        in again.stderr, again.output
    assert (sha256(pack), sha256(reg)) == before


def test_adopt_carries_the_history_so_recorded_decisions_stay_recorded(tmp_path, runner):
    """Found by a new user's trial: adopt wrote no Updates or Extension requests sheet,
    so the board's recorded decisions (and every merged update) were gone, and the
    next build refused to replace the pack they were typed into, as unrecorded."""
    from gain_workbook.register.reader import read_register

    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    type_decisions(pack, {SIGN_OFF: "Agreed", "closure A3": ("Deferred", "Next month.")})
    done = decide(runner, reg, pack, "--meeting", "03/12/2026", "--apply")
    assert done.exit_code == 0, done.output
    adopted = tmp_path / "adopted.xlsx"
    out = runner.invoke(cli, ["adopt", str(reg), "-o", str(adopted)])
    assert out.exit_code == 0, out.output
    was, now = read_register(reg), read_register(adopted)

    def rows(history):
        return [{k: v for k, v in r.items() if k != "row"} for r in history]

    assert rows(now.updates) == rows(was.updates) and len(was.updates) >= 2
    assert rows(now.extensions) == rows(was.extensions)
    # the old pack is the old register's: not replaced without a word (a pack of another
    # register), but nothing in it is lost, so the new one goes under another name
    again = runner.invoke(cli, ["build", str(adopted), "-o", str(pack), "--as-of", "28/11/2026"])
    assert again.exit_code == 2 and "is the board pack of the register 'register.xlsx'" \
        in again.stderr, again.output
    beside = runner.invoke(cli, ["build", str(adopted), "-o", str(tmp_path / "new.xlsx"),
                                 "--as-of", "28/11/2026"])
    assert beside.exit_code == 0, beside.output


def test_decisions_for_a_meeting_still_to_come_say_so(tmp_path, runner):
    """A new user's trial: decisions --apply on 7 December for a meeting on 7 January
    wrote sign-offs dated 7 January without a word."""
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    type_decisions(pack, {SIGN_OFF: "Agreed"})
    future = dt.date.today() + dt.timedelta(days=31)
    out = decide(runner, reg, pack, "--meeting", f"{future:%d/%m/%Y}")
    assert out.exit_code == 0, out.output
    assert (f"note: the meeting of {future:%d/%m/%Y} is still to come (today is "
            f"{dt.date.today():%d/%m/%Y}): its decisions are recorded as taken that day"
            in out.stderr), out.stderr
    past = decide(runner, reg, pack, "--meeting", "03/12/2026")
    assert "still to come" not in past.stderr


def test_a_pack_guarded_for_a_decision_that_cannot_be_read_says_to_correct_it(tmp_path,
                                                                              runner):
    """A new user's trial: with 'maybe' typed as a decision, build said to record it
    with decisions, which refuses 'maybe'. It now says to correct it first."""
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    type_decisions(pack, {SIGN_OFF: "maybe", "closure A3": "Agreed"})
    out = runner.invoke(cli, ["build", str(reg), "-o", str(pack), "--as-of", "28/11/2026"])
    assert out.exit_code == 2, out.output
    assert ("holds 2 decisions typed into its For decision sheet and not yet recorded in "
            "the register (1 of them is not read as a decision yet: correct it to Agreed, "
            "Not agreed or Deferred), and this pack would replace it") in out.stderr, out.stderr


def test_a_formula_without_its_value_outside_the_decisions_is_not_a_decision(tmp_path,
                                                                            runner):
    """A formula saved without its value in the For decision sheet's title (the pack's
    own words, not where the board types): build writes over the pack and decisions
    reads it, as before (review: both refused, 'correct it to Agreed' with no way on);
    in the Note column it still is a decision nobody can read."""
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    type_decisions(pack, {SIGN_OFF: "Agreed"})
    wb = openpyxl.load_workbook(pack)
    wb["For decision"]["A1"] = "=TODAY()"           # openpyxl saves it with no value
    wb.save(pack)
    out = decide(runner, reg, pack, "--meeting", "03/12/2026")
    assert out.exit_code == 0, out.output
    assert "1 decision to record" in out.stdout
    type_decisions(pack, {SIGN_OFF: ("Agreed", '=CONCAT("a","b")')})
    wb = openpyxl.load_workbook(pack)
    wb["For decision"]["A1"] = "=TODAY()"
    wb.save(pack)
    out = decide(runner, reg, pack, "--meeting", "03/12/2026")
    assert out.exit_code == 2 and "holds a formula saved without its value" in out.stderr


def test_the_history_keeps_the_old_value_as_the_register_wrote_it(tmp_path, runner):
    """A sign-off closes an action whose Status read 'Complete - awaiting sign off': the
    Updates row's Old value is those words, not the 'Complete' they were read as (a new
    user's trial)."""
    reg = board_register(tmp_path / "register.xlsx")
    wb = openpyxl.load_workbook(reg)
    ws = wb["Actions"]
    head = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "A1")
    ws.cell(row, head.index("Status") + 1).value = "Complete - awaiting sign off"
    wb.save(reg)
    pack = build(reg, tmp_path / "pack.xlsx").path
    type_decisions(pack, {SIGN_OFF: "Agreed"})
    out = decide(runner, reg, pack, "--apply")
    assert out.exit_code == 0, out.output
    assert "'Complete - awaiting sign off' -> 'Closed'" in out.stdout
    updates = sheet_rows(reg, "Updates")
    head = updates[0]
    a1 = [u for u in updates[1:] if u[head.index("Action ID")] == "A1"
          and u[head.index("Field")] == "Status"]
    assert [u[head.index("Old value")] for u in a1] == ["Complete - awaiting sign off"]


def test_a_pack_the_board_decided_on_is_kept_when_built_again(tmp_path, runner):
    """monthly or build run again after the meeting replaced the pack the board had
    typed its decisions into, once recorded (a new user's trial): what the board saw
    and decided was gone. It is kept beside, once, and said."""
    reg = board_register(tmp_path / "register.xlsx")
    pack = build(reg, tmp_path / "pack.xlsx").path
    type_decisions(pack, {SIGN_OFF: "Agreed"})
    assert decide(runner, reg, pack, "--apply").exit_code == 0
    decided = pack.read_bytes()
    for _ in range(2):
        out = runner.invoke(cli, ["build", str(reg), "-o", str(pack), "--as-of", "28/11/2026"])
        assert out.exit_code == 0, out.output
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("pack (as decided")]
    assert len(kept) == 1 and kept[0].read_bytes() == decided
    assert pack.read_bytes() != decided
    first = runner.invoke(cli, ["build", str(reg), "-o", str(tmp_path / "other.xlsx"),
                                "--as-of", "28/11/2026"])
    assert "as decided" not in first.stderr            # nothing decided there: nothing kept
