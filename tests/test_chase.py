"""The month's chase: update requests to owners, their replies merged back, with a history.

The whole month runs in code: requests from the example register, replies filled in
with openpyxl as owners fill them (with their mistakes), a dry run, --apply, the
pack, and the requests sent to a real SMTP server on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, run_tool, sha256, write_register, base_data

from gain_workbook import api
from gain_workbook.cli import cli
from gain_workbook.excel.styles import wrapped_lines

D = dt.date
AS_OF = D(2026, 12, 2)
REPLIED = D(2026, 12, 9)
HIS = "Head of Information Systems"
SS = "Superintendent Safeguarding"
FCR = "Force Crime Registrar"
PPQA = "Public Protection QA Lead"


# ---------------------------------------------------------------- helpers

def month_register(folder: Path) -> Path:
    """The example register with two more open actions, so owners have two rows."""
    from gain_workbook.register.template import load_example, write_register_template

    data = load_example()
    data["actions"] += [
        {"Action ID": "INS-2023-07-R4-A3", "Item ID": "INS-2023-07-R4",
         "Action": "Report flag use to the Vulnerability Board.", "Owner": HIS,
         "Due": "31/01/2027", "Status": "Not started"},
        {"Action ID": "INS-2023-07-R9-A3", "Item ID": "INS-2023-07-R9",
         "Action": "Share the audit findings with partners.", "Owner": PPQA,
         "Due": "28/02/2027", "Status": "In progress", "Last updated": "01/11/2026",
         "Latest update": "Draft letter written."},
    ]
    folder.mkdir(parents=True, exist_ok=True)
    return write_register_template(folder / "Inspection register.xlsx", data=data,
                                   created=AS_OF)


def set_saved(path: Path, day: dt.date) -> None:
    """Date a workbook's properties as Excel does when the owner saves it."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" +
                              f"{day.isoformat()}T10:00:00Z".encode(), data)
            zout.writestr(info, data)
    tmp.replace(path)


COL = {"new_status": "J", "update": "K", "evidence": "L", "completed": "M", "asked_due": "N",
       "reason": "O", "action": "D", "action_id": "C"}


def fill(request: Path, out: Path, answers: dict, saved: dt.date = REPLIED, post=None) -> Path:
    """Fill a request as its owner would: {action id: {field: value}}; text typed that
    begins with '=' stays text (as Excel keeps a cell typed with a leading quote)."""
    wb = openpyxl.load_workbook(request)
    ws = wb["Update request"]
    rows = {ws[f"C{r}"].value: r for r in range(8, ws.max_row + 1) if ws[f"C{r}"].value}
    for action, fields in answers.items():
        r = rows[action]
        for key, value in fields.items():
            cell = ws[f"{COL[key]}{r}"]
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    if post:
        post(ws)
    wb.save(out)
    set_saved(out, saved)
    return out


def request_of(res, owner: str) -> Path:
    return next(b for r, b in zip(res.requests, res.workbooks) if r.owner == owner)


# ---------------------------------------------------------------- the whole month

@pytest.fixture
def month(tmp_path):
    """Requests made from the register on 02/12/2026, and the owners' replies."""
    office = tmp_path / "GAIN office"
    reg = month_register(office)
    before = sha256(reg)
    res = api.requests(reg, as_of=AS_OF)
    assert sha256(reg) == before                       # requests only reads the register
    # last month's request to one owner, answered late
    old = api.requests(reg, as_of=D(2026, 11, 2), owner=[SS], output=tmp_path / "November")
    assert sha256(reg) == before
    replies = tmp_path / "replies"
    replies.mkdir()
    r = {}
    r["his"] = fill(request_of(res, HIS), replies / "his.xlsx", {
        "INS-2023-07-R4-A1": {"new_status": "Complete", "update": "Flag live in the RMS.",
                              "evidence": "CR-1234", "completed": dt.datetime(2026, 12, 1)},
        "INS-2023-07-R4-A3": {"update": "Board report drafted."}},
        post=lambda ws: ws.__setitem__("D9", "Report flag use to the board (edited)"))
    r["his_again"] = replies / "his (copy).xlsx"
    shutil.copy(r["his"], r["his_again"])
    r["ss"] = fill(request_of(res, SS), replies / "ss.xlsx", {
        "INS-2023-07-AFI1-A1": {"update": "=HYPERLINK(\"http://evil.example\") partners met",
                                "asked_due": dt.datetime(2027, 6, 30),
                                "reason": "Waiting for the national guidance."}},
        post=lambda ws: [ws.__setitem__("C9", "INS-2023-07-R4-A2"),
                         ws.__setitem__("J9", "Complete")])
    r["fcr"] = fill(request_of(res, FCR), replies / "fcr.xlsx", {
        "INS-2023-07-R4-A2": {"new_status": "Nearly done", "completed": "last Tuesday"}})
    r["ppqa"] = fill(request_of(res, PPQA), replies / "ppqa.xlsx", {
        "INS-2023-07-R9-A2": {"new_status": "In progress", "update": "Q3 audit done."},
        "INS-2023-07-R9-A3": {"update": "Letter sent to partners."}})
    r["ss_old"] = fill(request_of(old, SS), replies / "ss november.xlsx", {
        "INS-2023-07-AFI1-A1": {"update": "November's news."}}, saved=D(2026, 11, 30))
    # the office changes the register after the requests went out
    wb = openpyxl.load_workbook(reg)
    ws = wb["Actions"]
    for row in range(2, ws.max_row + 1):
        if ws[f"A{row}"].value == "INS-2023-07-R9-A2":
            ws[f"J{row}"] = "Office note: audit moved to January."
        if ws[f"A{row}"].value == "INS-2023-07-R9-A3":
            ws.delete_rows(row)
            break
    wb.save(reg)
    return reg, res, r


ORDER = ("his", "his_again", "ss", "fcr", "ppqa", "ss_old")

EXPECTED_DRY_RUN = """\
his.xlsx: Head of Information Systems, request of 02/12/2026, reply dated 09/12/2026
  INS-2023-07-R4-A1
    Status: 'In progress' -> 'Complete'
    Latest update: 'Supplier change request raised; national RMS user group agreed the ...' -> 'Flag live in the RMS.'
    Evidence: (blank) -> 'CR-1234'
    Completed on: (blank) -> 01/12/2026
    Last updated: 02/10/2026 -> 09/12/2026
  INS-2023-07-R4-A3
    PROBLEM LOCKED_EDITED: the register's side of row 9 was changed (Action: 'Report flag use to the Vulnerability Board.' -> 'Report flag use to the board (edited)'); a reply changes only the yellow cells, so nothing was taken from this row (if the owner is right, change the action on the register itself)
his (copy).xlsx: Head of Information Systems, request of 02/12/2026, reply dated 09/12/2026
  (the whole reply)
    PROBLEM SAME_REPLY_TWICE: it answers the same request as 'his.xlsx' (same owner and date), which is merged instead; merge one reply per request
ss.xlsx: Superintendent Safeguarding, request of 02/12/2026, reply dated 09/12/2026
  INS-2023-07-AFI1-A1
    Latest update: 'On hold until the national CSE Taskforce guidance is issued.' -> '=HYPERLINK("http://evil.example") partners met'
    Last updated: 01/09/2026 -> 09/12/2026
    new due date asked for: 31/01/2027 -> 30/06/2027 (Waiting for the national guidance.); for the board, not applied
  INS-2023-07-R4-A2
    PROBLEM NOT_ASKED: row 9 is not an action this request asked Superintendent Safeguarding about (it is Force Crime Registrar's); each owner updates their own actions
fcr.xlsx: Force Crime Registrar, request of 02/12/2026, reply dated 09/12/2026
  INS-2023-07-R4-A2
    PROBLEM NOT_IN_LIST: 'Nearly done' is not a status; choose one of: Not started, In progress, On hold, Complete
    PROBLEM BAD_DATE: 'last Tuesday' in Completed on is not a date; type it like 31/12/2026
ppqa.xlsx: Public Protection QA Lead, request of 02/12/2026, reply dated 09/12/2026
  INS-2023-07-R9-A2
    PROBLEM CONFLICT: the register was changed since the request (Latest update: was 'Q1 2026 audit found 3 files with victim-blaming language; feedback given.' at the request, is 'Office note: audit moved to January.' in the register now, reply says 'Q3 audit done.'); nothing was applied for this action, so neither change is lost: settle it by hand
  INS-2023-07-R9-A3
    PROBLEM ACTION_GONE: this action is no longer on the register (deleted or renamed since the request was made), so its update has nowhere to go
ss november.xlsx: Superintendent Safeguarding, request of 02/11/2026, reply dated 30/11/2026
  (the whole reply)
    PROBLEM OLD_REPLY: it answers the request of 02/11/2026, but a reply from Superintendent Safeguarding dated 09/12/2026 has been merged since, so its updates are older than the register's; nothing was taken from it

Dry run (nothing changed): 6 replies: 7 changes to 2 actions, 1 extension request for the board; 8 problems (nothing is taken from the actions or replies they are on).
"""


def test_a_reply_to_the_register_renamed_merges_and_one_from_another_is_refused(
        tmp_path, runner):
    """Merge told registers apart by file name alone: the register saved under a new name
    refused every reply (OTHER_REGISTER), and another register of the same name took
    them, each action 'no longer on the register' (a trial)."""
    office = tmp_path / "office"
    reg = month_register(office)
    res = api.requests(reg, as_of=AS_OF)
    reply = fill(request_of(res, HIS), tmp_path / "his.xlsx", {
        "INS-2023-07-R4-A1": {"update": "Flag live in the RMS."}})
    renamed = office / "Register 2026 (saved again).xlsx"
    shutil.copy(reg, renamed)
    out = runner.invoke(cli, ["merge", str(renamed), str(reply), "--as-of", "10/12/2026"])
    assert out.exit_code == 0, out.output
    assert f"it was made from the register '{reg.name}'; every action it asks about is on " \
        f"'{renamed.name}'" in out.stdout
    assert "Latest update:" in out.stdout
    other = tmp_path / "elsewhere" / reg.name
    other.parent.mkdir()
    write_register(other, base_data())            # another office's, of the same name
    out = runner.invoke(cli, ["merge", str(other), str(reply), "--as-of", "10/12/2026"])
    assert out.exit_code == 1, out.output
    # (another office's register names another force, which says so first)
    assert "PROBLEM OTHER_REGISTER: " in out.stdout
    assert "ACTION_GONE" not in out.stdout


def test_a_reply_whose_sheet_was_renamed_says_so(tmp_path, runner):
    """An owner renamed the sheet 'Update request' to 'My update': merge said the file was
    'not an update request made by gain-pack requests', though its request details were
    there (a trial). It says the sheet was renamed, and how to put it right."""
    office = tmp_path / "office"
    reg = month_register(office)
    res = api.requests(reg, as_of=AS_OF)
    reply = fill(request_of(res, HIS), tmp_path / "his.xlsx", {
        "INS-2023-07-R4-A3": {"update": "Board report drafted."}})
    wb = openpyxl.load_workbook(reply)
    wb["Update request"].title = "My update"
    wb.save(reply)
    out = runner.invoke(cli, ["merge", str(reg), str(reply), "--as-of", "10/12/2026"])
    assert out.exit_code == 2
    assert "is an update request whose sheet 'Update request' was renamed or deleted (its " \
        "sheets: 'My update'); rename the sheet back" in out.stderr


@pytest.mark.parametrize("theirs, refused", [("Durham Constabulary", True),
                                             ("Northshire", False), ("", False)])
def test_a_reply_made_for_another_force_is_refused(tmp_path, runner, theirs, refused):
    """Two forces' registers of the same name, made from one template (the same action
    ids and national words): Durham's reply merged cleanly into Cleveland's register (a
    trial). A request records the force it was made for; another force's is refused.
    The same force's name written another way ('Northshire' for 'Northshire Police') is
    not another force."""
    office = tmp_path / "office"
    reg = month_register(office)
    wb = openpyxl.load_workbook(reg)
    ws = wb["Settings"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Force name")
    ws.cell(row, 2).value = "Northshire Police"
    wb.save(reg)
    res = api.requests(reg, as_of=AS_OF)
    reply = fill(request_of(res, HIS), tmp_path / "his.xlsx", {
        "INS-2023-07-R4-A3": {"update": "Board report drafted."}})
    wb = openpyxl.load_workbook(reply)
    meta = wb["gain-pack request"]
    row = next(r for r in range(1, meta.max_row + 1) if meta.cell(r, 1).value == "Force")
    assert meta.cell(row, 2).value == "Northshire Police"
    meta.cell(row, 2).value = theirs
    wb.save(reply)
    out = runner.invoke(cli, ["merge", str(reg), str(reply), "--as-of", "10/12/2026"])
    assert out.exit_code == (1 if refused else 0), out.output
    assert ("PROBLEM OTHER_REGISTER: it was made for Durham Constabulary, not Northshire "
            "Police" in out.stdout) == refused


def test_requests_write_a_workbook_and_a_draft_per_owner(month):
    reg, res, _ = month
    owners = sorted(r.owner for r in res.requests)
    assert owners == sorted([HIS, SS, FCR, PPQA])
    folder = reg.parent / "Update requests 2026-12"
    assert res.folder == folder
    for req, book, outcome in zip(res.requests, res.workbooks, res.outcomes):
        assert book == folder / f"Update request 2026-12 - {req.owner}.xlsx" and book.is_file()
        msg = email.message_from_bytes(Path(outcome).read_bytes(), policy=email.policy.default)
        assert msg["X-Unsent"] == "1" and msg["To"] == req.email
        assert msg["Subject"] == ("OFFICIAL-SENSITIVE: Update request: your HMICFRS actions, "
                                  "reply by 12 December 2026")
        body = msg.get_body(("plain",)).get_content()
        assert f"Dear {req.owner}," in body and "by 12 December 2026" in body
        for a in req.actions:
            if a.overdue:
                assert f"action {a.action_id}:" in body and "days overdue" in body
        att, = [p for p in msg.iter_attachments()]
        assert att.get_filename() == book.name and att.get_content() == book.read_bytes()
    # HIS's action is 520+ days overdue: the ACC (their 'Copy when overdue') is copied
    his = next(r for r in res.requests if r.owner == HIS)
    assert his.escalated and his.copy == ("acc.crime.and.vulnerability@cleveland.police.example",)
    fcr = next(r for r in res.requests if r.owner == FCR)     # due soon, not overdue
    assert not fcr.escalated and fcr.copy == ()
    manifest = json.loads((folder / "requests.json").read_text())
    assert manifest["register"] == reg.name and manifest["reply_by"] == "2026-12-12"
    assert {m["owner"]: m["actions"] for m in manifest["requests"]}[HIS] == [
        "INS-2023-07-R4-A1", "INS-2023-07-R4-A3"]


def test_the_dry_run_reports_every_change_and_every_mistake(month, runner):
    reg, _, r = month
    before = sha256(reg)
    out = runner.invoke(cli, ["merge", str(reg), *[str(r[k]) for k in ORDER], "--as-of",
                              "10/12/2026"])
    assert out.exit_code == 1, out.stderr
    assert out.stdout.replace("\r\n", "\n") == EXPECTED_DRY_RUN
    assert sha256(reg) == before                  # a dry run changes nothing
    assert not list(reg.parent.glob("*before merge*"))


def test_apply_writes_the_clean_changes_with_a_backup_and_a_history(month, runner):
    reg, _, r = month
    old = reg.read_bytes()
    dry = json.loads(runner.invoke(cli, ["merge", str(reg), *[str(r[k]) for k in ORDER],
                                         "--format", "json", "--as-of", "10/12/2026"]).stdout)
    out = runner.invoke(cli, ["merge", str(reg), *[str(r[k]) for k in ORDER], "--apply",
                              "--as-of", "10/12/2026"])
    assert out.exit_code == 1, out.stderr          # some replies had problems
    assert "Applied: 6 replies: 7 changes to 2 actions" in out.stdout
    backup, = reg.parent.glob("Inspection register (before merge *).xlsx")
    assert re.fullmatch(r"Inspection register \(before merge \d{4}-\d\d-\d\d \d{6}\)\.xlsx",
                        backup.name)
    assert backup.read_bytes() == old              # the register as it was, byte for byte
    assert f"(the register before the merge: {backup.name})" in out.stderr
    # the register re-validates, and holds the changes
    v = api.validate(reg)
    assert v.report.valid, v.report.to_text()
    acts = {a["action_id"]: a for a in v.register.actions.frame.to_dict("records")}
    a1 = acts["INS-2023-07-R4-A1"]
    assert (a1["action_status"], a1["evidence"], a1["completed"], a1["last_updated"]) == (
        "Complete", "CR-1234", D(2026, 12, 1), REPLIED)
    afi = acts["INS-2023-07-AFI1-A1"]
    assert afi["latest_update"] == '=HYPERLINK("http://evil.example") partners met'
    assert afi["revised_due"] == D(2027, 1, 31)    # the new date asked for is not applied
    wb = openpyxl.load_workbook(reg)
    formula_cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formula_cells == []                     # the owner's '=' text stays text
    # Updates rows are the changes the dry run listed, one for one
    changes = [row for row in dry["rows"] if row["kind"] == "change"]
    ups = list(wb["Updates"].iter_rows(values_only=True))
    assert ups[0] == ("Date", "Action ID", "Field", "Old value", "New value", "From", "File",
                      "Request")

    def plain(v):
        return v.date().isoformat() if isinstance(v, dt.datetime) else v
    got = [(plain(u[0]), u[1], u[2], plain(u[3]), plain(u[4]), u[5], u[6]) for u in ups[1:]]
    want = [("2026-12-09", c["action_id"], c["field"], c["old"], c["new"], c["owner"], c["file"])
            for c in changes]
    assert got == want
    ext = list(wb["Extension requests"].iter_rows(values_only=True))
    assert ext[1][:6] == (dt.datetime(2026, 12, 9), "INS-2023-07-AFI1-A1", dt.datetime(2027, 1, 31),
                          dt.datetime(2027, 6, 30), "Waiting for the national guidance.", SS)
    assert ext[1][8] is None                      # the board's decision, to come
    # merging the same replies again changes nothing
    after = sha256(reg)
    again = runner.invoke(cli, ["merge", str(reg), str(r["his"]), str(r["ss"]), "--apply",
                                "--as-of", "10/12/2026"])
    assert again.exit_code == 1                    # (the locked-cell row is still a problem)
    assert "0 changes to 0 actions, 0 extension requests" in again.stdout
    assert "nothing to change: the register already says this" in again.stdout
    # --apply was given: not called a dry run, and it says why nothing was written
    assert "Nothing to apply (the register was not rewritten): " in again.stdout
    assert "Dry run" not in again.stdout
    assert sha256(reg) == after
    assert len(list(reg.parent.glob("*before merge*"))) == 1


SHAPES = {
    "a change": {"update": "Taskforce guidance now due in the spring."},
    "only a new due date": {"asked_due": dt.datetime(2027, 6, 30), "reason": "Guidance late."},
    "a change and a new due date": {"update": "Guidance late.",
                                    "asked_due": dt.datetime(2027, 6, 30)},
    "what the register already says": {"update": "On hold until the national CSE Taskforce "
                                                 "guidance is issued."},
}


@pytest.mark.parametrize("shape", SHAPES)
def test_merging_a_reply_again_rewrites_nothing(shape, tmp_path, runner):
    """Whatever a clean reply holds, its second --apply finds it on the register (by its
    request, on Updates or Extension requests) and neither rewrites nor backs up."""
    reg = month_register(tmp_path / "office")
    res = api.requests(reg, as_of=AS_OF)
    reply = fill(request_of(res, SS), tmp_path / "ss.xlsx", {"INS-2023-07-AFI1-A1": SHAPES[shape]})
    args = ["merge", str(reg), str(reply), "--apply", "--as-of", "10/12/2026"]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.stdout + first.stderr
    assert "Applied: " in first.stdout
    assert len(list(reg.parent.glob("*before merge*"))) == 1
    after = reg.read_bytes()
    again = runner.invoke(cli, args)
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "Nothing to apply (the register was not rewritten): " in again.stdout
    # and it says why for each action, never 'nothing filled in'
    assert "nothing filled in" not in again.stdout
    if "asked_due" in SHAPES[shape] and "update" not in SHAPES[shape]:
        assert ("new due date of 30/06/2027 already asked for (on Extension requests): "
                "nothing to add") in again.stdout, again.stdout
    assert reg.read_bytes() == after
    assert len(list(reg.parent.glob("*before merge*"))) == 1
    # the owner replied: the pack does not list them among the owners not heard from
    from gain_workbook.chase.received import received
    from gain_workbook.register.reader import read_register
    from gain_workbook.status.rollup import roll_up

    manifest = json.loads((res.folder / "requests.json").read_text())
    got = read_register(reg)
    silent = received(got, roll_up(got, D(2026, 12, 28)), D(2026, 12, 1), manifest).silent
    assert SS not in [s["owner"] for s in silent]


# Superintendent Safeguarding's action INS-2023-07-AFI1-A1: On hold, due 31/10/2024 revised
# to 31/01/2027, of a report published 08/12/2023; the reply is saved on 09/12/2026.
def test_a_reply_merged_again_after_the_board_agreed_its_new_date_adds_nothing(tmp_path,
                                                                              runner):
    """A trial merged the replies folder again after the meeting (late replies come in):
    the reply whose new date the board had agreed since was a PROBLEM, 'New due date
    30/06/2027 is not later than the action's revised due date (30/06/2027)', exit 1."""
    reg = month_register(tmp_path / "office")
    res = api.requests(reg, as_of=AS_OF)
    reply = fill(request_of(res, SS), tmp_path / "ss.xlsx",
                 {"INS-2023-07-AFI1-A1": SHAPES["only a new due date"]})
    args = ["merge", str(reg), str(reply), "--apply", "--as-of", "10/12/2026"]
    assert runner.invoke(cli, args).exit_code == 0
    wb = openpyxl.load_workbook(reg)               # the board agreed it: the revised date
    ws = wb["Actions"]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "INS-2023-07-AFI1-A1")
    row[head.index("Revised due")].value = dt.datetime(2027, 6, 30)
    wb.save(reg)
    again = runner.invoke(cli, args[:-3] + ["--as-of", "10/12/2026"])
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "PROBLEM" not in again.stdout
    assert "nothing to change: the register already says this" in again.stdout


@pytest.mark.parametrize("said", ["Complete", "Ready for closure"])
def test_a_reply_merged_again_after_the_board_closed_its_action_adds_nothing(tmp_path,
                                                                            runner, said):
    """Merged again after the meeting, a reply whose action the owner finished (or asked
    to close) and the board has since closed was a CONFLICT ('is Closed in the register
    now, reply says Ready for closure'), exit 1 (running the office's month)."""
    reg = month_register(tmp_path / "office")
    res = api.requests(reg, as_of=AS_OF)
    reply = fill(request_of(res, SS), tmp_path / "ss.xlsx", {"INS-2023-07-AFI1-A1": {
        "new_status": said, "update": "Done.", "completed": dt.datetime(2026, 12, 1)}})
    args = ["merge", str(reg), str(reply), "--apply", "--as-of", "10/12/2026"]
    assert runner.invoke(cli, args).exit_code == 0
    wb = openpyxl.load_workbook(reg)               # the board closed it at its meeting
    ws = wb["Actions"]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "INS-2023-07-AFI1-A1")
    row[head.index("Status")].value = "Closed"
    wb.save(reg)
    again = runner.invoke(cli, args[:-3] + ["--as-of", "10/12/2026"])
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "PROBLEM" not in again.stdout
    assert "nothing to change: the register already says this" in again.stdout


UNLIKELY = {
    "completed in 1900": ({"new_status": "Complete", "completed": dt.datetime(1900, 1, 1)},
                          "Completed on 01/01/1900 is before the report was published "
                          "(08/12/2023)"),
    "completed the day before publication": (
        {"new_status": "Complete", "completed": dt.datetime(2023, 12, 7)},
        "Completed on 07/12/2023 is before the report was published (08/12/2023)"),
    "completed, status left as it is": ({"completed": dt.datetime(2026, 12, 1)},
                                        "the status stays 'On hold'"),
    "completed, status still in progress": (
        {"new_status": "In progress", "completed": dt.datetime(2026, 12, 1)},
        "the status stays 'In progress'"),
    "new date long past": ({"asked_due": dt.datetime(2025, 1, 1)},
                           "New due date 01/01/2025 is not in the future (the reply was "
                           "saved on 09/12/2026)"),
    "new date the reply's own day": ({"asked_due": dt.datetime(2026, 12, 9)},
                                     "New due date 09/12/2026 is not in the future"),
    "new date the same as now": ({"asked_due": dt.datetime(2027, 1, 31)},
                                 "New due date 31/01/2027 is not later than the action's "
                                 "revised due date (31/01/2027)"),
    "new date earlier than now": ({"asked_due": dt.datetime(2027, 1, 15)},
                                  "is not later than the action's revised due date"),
}


@pytest.mark.parametrize("case", UNLIKELY)
def test_dates_that_cannot_be_meant_are_problems_not_applied(case, tmp_path):
    reg = month_register(tmp_path / "office")
    res = api.requests(reg, as_of=AS_OF)
    answer, said = UNLIKELY[case]
    reply = fill(request_of(res, SS), tmp_path / "ss.xlsx",
                 {"INS-2023-07-AFI1-A1": {"update": "Moving on.", **answer}})
    plan = api.merge(reg, [reply], as_of=D(2026, 12, 10)).plan
    (_, problem), = plan.problems
    assert (problem.code, problem.action_id) == ("BAD_DATE", "INS-2023-07-AFI1-A1")
    assert said in problem.message
    assert not plan.changes and not plan.replies[0].extensions     # held back whole


def test_dates_just_inside_the_limits_are_taken(tmp_path):
    reg = month_register(tmp_path / "office")
    res = api.requests(reg, as_of=AS_OF)
    reply = fill(request_of(res, SS), tmp_path / "ss.xlsx", {"INS-2023-07-AFI1-A1": {
        "new_status": "Complete", "completed": dt.datetime(2023, 12, 8),
        "asked_due": dt.datetime(2027, 2, 1)}})
    plan = api.merge(reg, [reply], as_of=D(2026, 12, 10)).plan
    assert plan.clean, plan.to_text()
    assert D(2023, 12, 8) in [c.new for _, c in plan.changes]
    (ext,) = plan.replies[0].extensions
    assert ext.requested == D(2027, 2, 1)


def test_the_pack_shows_updates_requests_not_answered_and_new_dates_asked(month, tmp_path):
    reg, _, r = month
    api.merge(reg, [r[k] for k in ORDER], apply=True, as_of=D(2026, 12, 10))
    built = api.build(reg, as_of=D(2026, 12, 28))
    wb = openpyxl.load_workbook(built.path)
    ex = [[c for c in row] for row in wb["Exceptions"].iter_rows(values_only=True)]
    sections = [row[0] for row in ex if row[0] and re.match(r".+\(\d+\)$", str(row[0]))]
    assert "Owners asked for an update whose reply is not merged (2)" in sections
    assert "Updates received since 01/12/2026 (2)" in sections
    # a new date asked for is the board's to decide: on For decision, not among exceptions
    assert not any("New due date" in s for s in sections)
    rows = {(row[0], row[4]): row for row in ex if row[0] in ("Updated", "No reply")}
    assert set(rows) == {("Updated", HIS), ("Updated", SS), ("No reply", FCR),
                         ("No reply", PPQA)}
    # the updates received read as sentences, not 'field: (blank) -> value'
    said = rows[("Updated", HIS)][7]
    assert "Status changed from In progress to Complete." in said
    assert "Evidence added: CR-1234." in said and "Update: Flag live in the RMS." in said
    assert ".." not in said
    assert "->" not in said and "(blank)" not in said
    fd = [list(row) for row in wb["For decision"].iter_rows(values_only=True)]
    asked = [row for row in fd if row[-1] and str(row[-1]).startswith("extension ")]
    assert len(asked) == 1 and asked[0][4] == SS
    assert asked[0][3] == "Agree the new due date: 30/06/2027"
    assert "New target dates asked for (1)" in [row[0] for row in fd]
    summary = [c for row in wb["Summary"].iter_rows(values_only=True) for c in row
               if isinstance(c, str) and "Actions updated this month" in c]
    assert len(summary) == 1 and summary[0].endswith(
        "Actions updated this month: 2 of 5 (since 01/12/2026). Update requests: "
        "4 owners asked on 02/12/2026, 2 replied. 1 new due date asked for waits "
        "for the board (For decision).")
    # the line runs across the page's twelve columns, wrapped, its row tall enough to show
    # it whole (it was cut at the page's edge in print)
    ws = wb["Summary"]
    assert "A6:L6" in [str(r) for r in ws.merged_cells.ranges]
    assert ws["A6"].alignment.wrap_text
    assert ws.row_dimensions[6].height >= 12.75 * wrapped_lines(summary[0], 12 * 11.5)


def test_requests_are_sent_through_a_real_smtp_server(tmp_path, smtp_server, runner):
    port, inbox = smtp_server()
    reg = month_register(tmp_path / "office")
    out = runner.invoke(cli, ["requests", str(reg), "--as-of", "02/12/2026", "--send",
                              "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                              "--smtp-security", "none", "--from", "gain@force.example"])
    assert out.exit_code == 0, out.stderr
    assert len(inbox.messages) == 4
    to = {tuple(rcpts) for _, rcpts, _ in inbox.messages}
    assert ("head.of.information.systems@cleveland.police.example",
            "acc.crime.and.vulnerability@cleveland.police.example") in to
    for sender, rcpts, raw in inbox.messages:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert sender == "gain@force.example" and msg["From"] == "gain@force.example"
        assert msg["X-Unsent"] is None
    assert not list((reg.parent / "Update requests 2026-12").glob("*.eml"))   # sent, not drafted
    assert "Wrote 4 update requests" in out.stdout


# ---------------------------------------------------------------- the request workbook

def test_the_request_workbook_is_protected_with_only_the_yellow_cells_open(month):
    _, res, _ = month
    book = request_of(res, HIS)
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Update request", "gain-pack request"]
    assert wb["gain-pack request"].sheet_state == "veryHidden"
    ws = wb["Update request"]
    assert ws.protection.sheet and not ws.protection.password
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert ws.page_setup.fitToHeight == 0
    unlocked = {c.column_letter for row in ws.iter_rows(min_row=8, max_row=9) for c in row
                if not c.protection.locked}
    assert unlocked == set("JKLMNO")
    assert [ws[f"C{r}"].value for r in (8, 9)] == ["INS-2023-07-R4-A1", "INS-2023-07-R4-A3"]
    kinds = {str(dv.sqref): dv.type for dv in ws.data_validations.dataValidation}
    assert kinds == {"J8:J9": "list", "M8:M9": "date", "N8:N9": "date"}
    assert "12 December 2026" in ws["A3"].value and "yellow cells" in ws["A3"].value


def test_the_same_register_and_date_give_the_same_request_bytes(tmp_path):
    reg = month_register(tmp_path / "a")
    one = api.requests(reg, as_of=AS_OF, output=tmp_path / "one")
    two = api.requests(reg, as_of=AS_OF, output=tmp_path / "two")
    for a, b in zip(one.workbooks + [one.manifest], two.workbooks + [two.manifest]):
        assert a.read_bytes() == b.read_bytes(), a.name
    for a, b in zip(one.outcomes, two.outcomes):
        assert Path(a).read_bytes() == Path(b).read_bytes()


@pytest.mark.slow
def test_libreoffice_opens_a_request_without_errors(month):
    _, res, _ = month
    proc = run_tool("xlsx-recalc-check", request_of(res, HIS))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_register_text_is_written_into_a_request_as_text(tmp_path):
    data = base_data()
    data["actions"][0]["Action"] = "=HYPERLINK(\"http://evil.example\",\"click\")"
    data["actions"][0]["Status"] = "In progress"
    reg = write_register(tmp_path / "r.xlsx", data)
    res = api.requests(reg, as_of=AS_OF)
    ws = openpyxl.load_workbook(res.workbooks[0])["Update request"]
    cells = [c for row in ws.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)


def test_owners_without_an_address_are_listed_and_still_get_a_workbook(tmp_path, runner):
    reg = write_register(tmp_path / "r.xlsx", base_data())     # no Owners sheet
    out = runner.invoke(cli, ["requests", str(reg), "--as-of", "02/12/2026"])
    assert out.exit_code == 0, out.stderr
    assert ("Ch Insp Custody: 1 open action -> Update request 2026-12 - Ch Insp Custody.xlsx "
            "(NO EMAIL: the register has no Owners sheet)") in out.stdout
    assert "2 with no draft addressed, for want of an email address that can be used" \
        in out.stdout
    folder = tmp_path / "Update requests 2026-12"
    assert sorted(p.name for p in folder.iterdir()) == [
        "Update request 2026-12 - Ch Insp Custody.xlsx",
        "Update request 2026-12 - Custody QA.xlsx", "requests.json"]


def test_owner_option_and_a_name_that_makes_no_safe_file_name(tmp_path):
    data = base_data()
    data["actions"][2]["Owner"] = 'DI "Bob" / CON'
    reg = write_register(tmp_path / "r.xlsx", data)
    res = api.requests(reg, as_of=AS_OF, owner=['di "bob" / con', "Nobody"])
    assert [b.name for b in res.workbooks] == ["Update request 2026-12 - DI Bob CON.xlsx"]
    assert any("'Nobody' has no open actions" in n for n in res.notes)


# ---------------------------------------------------------------- merge refuses, and keeps

def test_merge_refuses_a_file_that_is_not_a_reply_and_an_unreadable_one(month, runner, tmp_path):
    reg, _, r = month
    out = runner.invoke(cli, ["merge", str(reg), str(reg)])
    assert out.exit_code == 2
    assert "is not an update request made by gain-pack requests" in out.stderr
    assert "Traceback" not in out.stderr
    bad = tmp_path / "reply.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    out = runner.invoke(cli, ["merge", str(reg), str(r["his"]), str(bad), "--apply"])
    assert out.exit_code == 2 and "Traceback" not in out.stderr
    assert not list(reg.parent.glob("*before merge*"))      # nothing applied at all


@pytest.mark.slow
def test_merge_apply_is_refused_while_the_register_is_open_in_excel(month, runner):
    reg, _, r = month
    (reg.parent / f"~${reg.name}").write_bytes(b"\x00" * 165)
    before = sha256(reg)
    out = runner.invoke(cli, ["merge", str(reg), str(r["his"]), "--apply"])
    assert out.exit_code == 2
    assert "is open in Excel" in out.stderr and "close it in Excel and merge again" in out.stderr
    assert sha256(reg) == before and not list(reg.parent.glob("*before merge*"))


def test_merge_apply_keeps_a_register_with_a_chart(tmp_path, runner):
    """A dashboard chart (which openpyxl would drop on saving) is kept, byte for byte;
    tests/test_inplace.py goes through every feature an office's register may hold."""
    import zipfile

    from openpyxl.chart import BarChart, Reference

    def chart(wb):
        ws = wb.create_sheet("Dashboard")
        ws.append(["RAG", "n"])
        ws.append(["Red", 3])
        c = BarChart()
        c.add_data(Reference(ws, min_col=2, min_row=1, max_row=2), titles_from_data=True)
        ws.add_chart(c, "D2")
    reg = write_register(tmp_path / "r.xlsx", base_data(), post=chart)
    res = api.requests(reg, as_of=AS_OF)
    reply = fill(res.workbooks[0], tmp_path / "reply.xlsx",
                 {"A1": {"update": "Policy signed off."}})
    with zipfile.ZipFile(reg) as zf:
        before = {n: zf.read(n) for n in zf.namelist() if "chart" in n or "drawing" in n}
    out = runner.invoke(cli, ["merge", str(reg), str(reply), "--apply"])
    assert out.exit_code == 0, out.stderr
    with zipfile.ZipFile(reg) as zf:
        assert before and {n: zf.read(n) for n in before} == before
    got = api.validate(reg).register.actions.frame
    assert "Policy signed off." in got["latest_update"].tolist()


def test_merge_keeps_the_office_workbook_as_they_made_it(tmp_path):
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    def dress(wb):
        ws = wb["Actions"]
        ws.column_dimensions["C"].width = 55
        ws["A1"].font = Font(bold=True, color="FF0000")
        dv = DataValidation(type="list", formula1='"Not started,In progress,Complete"')
        dv.add("G2:G50")
        ws.add_data_validation(dv)
        ws.conditional_formatting.add("G2:G50", CellIsRule(operator="equal", formula=['"Complete"'],
                                      fill=PatternFill("solid", bgColor="C6E7C6")))
        notes = wb.create_sheet("Notes", 0)
        notes["A1"] = "Our own notes sheet"
    extra = {"actions": {"Directorate": ["Crime", "People", "Crime"]}}
    reg = write_register(tmp_path / "Our register.xlsx", base_data(), extra=extra, post=dress)
    res = api.requests(reg, as_of=AS_OF)
    reply = fill(request_of(res, "Ch Insp Custody"), tmp_path / "reply.xlsx",
                 {"A1": {"new_status": "Complete", "completed": dt.datetime(2026, 12, 3),
                         "update": "Policy signed off."}})
    got = api.merge(reg, [reply], apply=True, as_of=D(2026, 12, 10))
    assert got.applied and got.clean
    wb = openpyxl.load_workbook(reg)
    assert wb.sheetnames == ["Notes", "Inspections", "Items", "Actions", "Settings", "Updates"]
    ws = wb["Actions"]
    assert [c.value for c in ws[1]][:3] == ["Action ID", "Item ID", "Action"]
    assert ws["L1"].value == "Directorate" and [ws[f"L{r}"].value for r in (2, 3, 4)] == [
        "Crime", "People", "Crime"]
    assert ws.column_dimensions["C"].width == 55
    assert ws["A1"].font.bold and ws["A1"].font.color.rgb == "00FF0000"
    assert [str(d.sqref) for d in ws.data_validations.dataValidation] == ["G2:G50"]
    assert [str(r.sqref) for r in ws.conditional_formatting] == ["G2:G50"]
    assert wb["Notes"]["A1"].value == "Our own notes sheet"
    assert ws["G2"].value == "Complete" and ws["H2"].value == dt.datetime(2026, 12, 3)
    assert ws["J2"].value == "Policy signed off."


@pytest.mark.slow
@pytest.mark.serial
def test_killed_while_applying_the_register_is_old_or_new_never_a_mixture(tmp_path):
    """SIGKILL merge --apply timed from what it writes, as the build signal tests are: as
    soon as (and a little after) the new register's temporary file appears, so mid-write,
    and as soon as the backup appears, at the replace. The register is always a whole
    workbook, the old bytes or one holding the change, the new one only with the old one's
    backup whole beside it; the next run removes what a kill left. (Every step of the
    write, the replace itself included, is killed in turn by test_apply's kill -9 test.)"""
    import os
    import signal
    import subprocess
    import sys
    import time

    from conftest import make_register
    from gain_workbook.model.history import is_backup

    data = make_register.generate(3000, seed=5, as_of=dt.date(2026, 11, 28))
    for a in data["actions"]:
        if a["Status"] not in ("Complete", "Closed", "Ready for closure"):
            a["Owner"] = "Supt Busy"
    reg = tmp_path / "Big register.xlsx"
    make_register.write_template(data, reg)       # big enough that saving it takes a while
    res = api.requests(reg, as_of=AS_OF, output=tmp_path / "requests")
    wb = openpyxl.load_workbook(request_of(res, "Supt Busy"))
    first = wb["Update request"]["C8"].value
    wb["Update request"]["K8"] = "Updated while the test kills merge."
    wb.save(tmp_path / "reply.xlsx")
    old = reg.read_bytes()
    code = ("import sys; from gain_workbook import api; "
            "api.merge(sys.argv[1], [sys.argv[2]], apply=True)")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    argv = [sys.executable, "-c", code, str(reg), str(tmp_path / "reply.xlsx")]

    def temporary():
        return [p for p in tmp_path.iterdir() if p.name.startswith(".~gain-")]

    def backups():
        return [p for p in tmp_path.iterdir() if is_backup(p.name)]

    outcomes = []
    for appears, after in ((temporary, 0.0), (temporary, 0.1), (backups, 0.0)):
        for left in temporary():          # an earlier round's (counted already): not this one's
            left.unlink()
        p = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not appears() and p.poll() is None:
            time.sleep(0.002)
        time.sleep(after)
        p.send_signal(signal.SIGKILL)
        assert p.wait() == -signal.SIGKILL, "the run ended before the kill"
        kept = [b.read_bytes() for b in backups()]
        assert all(b == old for b in kept), "a partial backup"
        if reg.read_bytes() == old:
            outcomes.append(("old", bool(temporary())))
        else:
            got = api.validate(reg).register.actions.frame
            assert got.loc[got["action_id"] == first, "latest_update"].tolist() == [
                "Updated while the test kills merge."]
            assert kept, "the new register without its backup"
            outcomes.append(("new", bool(temporary())))
            reg.write_bytes(old)              # start the next round from the old register
        for b in backups():
            b.unlink()
    assert ("old", True) in outcomes[:2], f"no kill landed mid-write: {outcomes}"
    done = api.merge(reg, [tmp_path / "reply.xlsx"], apply=True)   # the next run tidies
    assert done.applied and temporary() == []


def test_merge_into_a_flat_tracker_adds_the_columns_it_lacks_and_says_so(tmp_path):
    """A PCC panel's one-row-per-action tracker, with no Completed on or Last updated."""
    import shapes

    path = tmp_path / "Panel tracker.xlsx"
    shapes.pcc_panel_flat_tracker(path)
    wb = openpyxl.load_workbook(path)
    wb["Tracker"]["H9"] = dt.datetime(2026, 12, 31)       # the one error, mended
    wb.save(path)
    res = api.requests(path, as_of=AS_OF)
    lowe = request_of(res, "Supt Lowe")
    action = openpyxl.load_workbook(lowe)["Update request"]["C8"].value
    reply = fill(lowe, tmp_path / "Lowe.xlsx", {action: {
        "new_status": "Complete", "update": "Checks live.", "completed": dt.datetime(2026, 11, 30)}},
        saved=D(2026, 12, 5))
    got = api.merge(path, [reply], apply=True, as_of=D(2026, 12, 6))
    assert got.applied and got.clean
    assert got.notes == ["added a column 'Completed on' to the sheet 'Tracker', which had none",
                         "added a column 'Last updated' to the sheet 'Tracker', which had none"]
    ws = openpyxl.load_workbook(path)["Tracker"]
    assert [c.value for c in ws[4]][12:] == ["Completed on", "Last updated"]
    row = [c.value for c in ws[7]]
    assert row[6] == "Supt Lowe" and row[9:11] == ["Checks live.", "Complete"]
    assert row[12:] == [dt.datetime(2026, 11, 30), dt.datetime(2026, 12, 5)]
    again = api.validate(path)
    frame = again.register.actions.frame
    assert frame.loc[frame["owner"] == "Supt Lowe", "completed"].tolist() == [D(2026, 11, 30)]


def test_a_backup_beside_the_register_is_not_taken_for_a_register(month):
    from gain_workbook.mail.attachment import register_beside

    reg, _, r = month
    api.merge(reg, [r["his"]], apply=True, as_of=D(2026, 12, 10))
    assert len(list(reg.parent.glob("*before merge*"))) == 1
    assert register_beside(reg.parent / "PCC responses.pdf") == [reg]


def _send_requests(tmp_path, smtp_server, runner, custody_address: str):
    """requests --send of the small register through a real SMTP server on 127.0.0.1, Ch
    Insp Custody's address ``custody_address``: (register, result, the server's inbox)."""
    def owners(wb):
        ws = wb.create_sheet("Owners")
        ws.append(["Name", "Email"])
        ws.append(["Ch Insp Custody", custody_address])
        ws.append(["Custody QA", "qa@force.example"])
    reg = write_register(tmp_path / "r.xlsx", base_data(), post=owners)
    port, inbox = smtp_server()
    out = runner.invoke(cli, ["requests", str(reg), "--as-of", "02/12/2026", "--send",
                              "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                              "--smtp-security", "none", "--from", "gain@force.example"])
    return reg, out, inbox


def test_a_request_the_server_refuses_is_said_and_the_others_still_go(tmp_path, smtp_server,
                                                                        runner):
    # (the server refuses nobody@)
    reg, out, inbox = _send_requests(tmp_path, smtp_server, runner, "nobody@force.example")
    assert out.exit_code == 1, out.stderr
    assert "1 request of 2 could not be sent (Ch Insp Custody: " in out.stderr
    assert [rcpts for _, rcpts, _ in inbox.messages] == [["qa@force.example"]]
    folder = tmp_path / "Update requests 2026-12"
    assert sorted(p.name for p in folder.glob("*.xlsx")) == [
        "Update request 2026-12 - Ch Insp Custody.xlsx", "Update request 2026-12 - Custody QA.xlsx"]


def test_sending_when_an_owner_cannot_be_emailed_ends_1_and_the_pack_says_so(
        tmp_path, smtp_server, runner):
    """'a@b' on the Owners sheet: requests --send ended 0 ('3 without an email address')
    and the pack's Exceptions said the owner was 'Asked' (a trial): a scheduled run
    looked clean and the board was told an owner was chased who never was."""
    reg, out, inbox = _send_requests(tmp_path, smtp_server, runner, "a@b")
    assert out.exit_code == 1, out.output
    assert "1 was not emailed, for want of an email address that can be used" in out.stdout
    assert [rcpts for _, rcpts, _ in inbox.messages] == [["qa@force.example"]]
    pack = api.build(reg, as_of=D(2026, 12, 10), output=tmp_path / "pack.xlsx").path
    details = {r[4]: r[-1] for r in openpyxl.load_workbook(pack)["Exceptions"].iter_rows(
        values_only=True) if r and r[0] == "No reply"}
    assert details["Ch Insp Custody"].startswith("Request written 02/12/2026 but not emailed")
    assert details["Custody QA"].startswith("Asked 02/12/2026")


def test_a_damaged_requests_manifest_is_said_not_passed_over(month, runner):
    reg, _, _ = month
    (reg.parent / "Update requests 2026-12" / "requests.json").write_text("{oops")
    out = runner.invoke(cli, ["build", str(reg), "--as-of", "28/12/2026"])
    assert out.exit_code == 0, out.stderr
    assert ("gain-pack: warning: the pack does not list whose reply is not merged: "
            "requests.json in ") in out.stderr and "cannot be read" in out.stderr
    pack = reg.parent / "GAIN board pack 2026-12.xlsx"
    before = pack.read_bytes()
    out = runner.invoke(cli, ["build", str(reg), "--as-of", "28/12/2026", "--requests",
                              str(reg.parent / "Update requests 2026-12")])
    assert out.exit_code == 2
    assert "its requests.json cannot be read (damaged, or edited by hand)." in out.stderr
    assert pack.read_bytes() == before              # the earlier pack is untouched


def test_requests_to_some_owners_keep_the_months_other_requests(month):
    """Re-sending one owner's request later in the month rewrote requests.json with that
    owner alone: the pack then forgot who else owed a reply and who had replied."""
    reg, res, r = month
    manifest = reg.parent / "Update requests 2026-12" / "requests.json"
    before = json.loads(manifest.read_text())
    again = api.requests(reg, as_of=D(2026, 12, 7), owner=[FCR.upper()])
    assert [q.owner for q in again.requests] == [FCR]
    after = json.loads(manifest.read_text())
    assert after["as_of"] == "2026-12-07"
    old = {e["owner"]: e for e in before["requests"]}
    new = {e["owner"]: e for e in after["requests"]}
    assert set(new) == set(old) and len(new) > 1
    assert [e["owner"] for e in after["requests"]] == sorted(new)
    assert new[FCR]["request"] == again.requests[0].request_id != old[FCR]["request"]
    for owner in set(old) - {FCR}:          # the others as they were, with their own dates
        assert new[owner] == {**old[owner], "as_of": "2026-12-02",
                              "reply_by": before["reply_by"]}
    # re-sending again keeps them (dates and all), and the pack still counts everyone
    api.requests(reg, as_of=D(2026, 12, 8), owner=[FCR])
    third = {e["owner"]: e for e in json.loads(manifest.read_text())["requests"]}
    assert {o: e for o, e in third.items() if o != FCR} == \
        {o: e for o, e in new.items() if o != FCR}
    assert "as_of" not in third[FCR]        # its date is the manifest's own
    api.merge(reg, [r[k] for k in ORDER], apply=True, as_of=D(2026, 12, 10))
    built = api.build(reg, as_of=D(2026, 12, 28))
    wb = openpyxl.load_workbook(built.path)
    summary = [c for row in wb["Summary"].iter_rows(values_only=True) for c in row
               if isinstance(c, str) and "Update requests:" in c]
    assert f"Update requests: {len(old)} owners asked on 02/12/2026, 2 replied." \
        in summary[0]
    ex = [row for row in wb["Exceptions"].iter_rows(values_only=True) if row[0] == "No reply"]
    assert {row[4] for row in ex} == {FCR, PPQA}


def test_requests_for_some_owners_do_not_keep_another_months_manifest(month, tmp_path):
    reg, _, _ = month
    nov = tmp_path / "November"                  # the fixture asked one owner there in Nov
    api.requests(reg, as_of=AS_OF, owner=[FCR], output=nov)
    got = json.loads((nov / "requests.json").read_text())
    assert [e["owner"] for e in got["requests"]] == [FCR]


@pytest.mark.parametrize("owners", [[FCR], [FCR, PPQA]])
def test_the_pack_counts_owners_asked_in_words(tmp_path, owners):
    reg = month_register(tmp_path / "office")
    api.requests(reg, as_of=AS_OF, owner=owners)
    built = api.build(reg, as_of=D(2026, 12, 28))
    wb = openpyxl.load_workbook(built.path)
    summary = [c for row in wb["Summary"].iter_rows(values_only=True) for c in row
               if isinstance(c, str) and "Update requests:" in c]
    said = "1 owner asked" if len(owners) == 1 else f"{len(owners)} owners asked"
    assert f"Update requests: {said} on 02/12/2026, 0 replied." in summary[0]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.dates(D(2024, 1, 1), D(2028, 12, 31)))
def test_a_request_draft_counts_each_action_once(example_register, day):
    """A draft for an owner whose actions were none overdue or due soon said 'The
    workbook also lists 3 other open actions' of their 3: each action is listed or
    counted among the others, once, and 'other' only beside a list."""
    from gain_workbook.chase.requests import owner_requests
    from gain_workbook.mail.compose import compose_request
    from gain_workbook.status.rollup import roll_up

    reg = example_register
    asked, _ = owner_requests(roll_up(reg, day), reg, day)
    for req in asked:
        req.email = req.email or "owner@force.example"
        body = compose_request(req, reg.settings, attachment=b"", filename="r.xlsx",
                               reply_by=day, replies_to="").body
        listed = re.findall(r"^- (.*, action \S+):", body, re.M)
        assert len(listed) == len(set(listed))
        # each names its report by its title, and the action by its own ref, not the
        # item's again ('INS-1 R1, action INS-1-R1-A2')
        for a, line in zip([x for x in req.actions if x.overdue or x.due_soon], listed):
            assert a.title[:30] in line or a.title == a.inspection, line
            assert line.count(a.item) == 1 or a.item in a.inspection, line
        other = re.search(r"also lists (\d+) other open action", body)
        assert len(listed) + (int(other[1]) if other else 0) == len(req.actions) \
            or (not listed and "overdue or due in the next" in body)
        assert bool(other) == (0 < len(listed) < len(req.actions))
        assert f"update your {len(req.actions)} open HMICFRS action" in body \
            or len(req.actions) == 1


@pytest.fixture(scope="module")
def example_register():
    from gain_workbook.register.reader import read_register

    return read_register(Path(__file__).parent.parent / "examples" / "Example register.xlsx")


def test_a_reply_whose_formulas_have_no_values_is_refused_not_read_as_blank(month, runner):
    """An owner's tool that does not calculate (openpyxl, many exports) saves a formula
    with no value: python-calamine reads the cell as empty, so the update would be lost
    without a word. The reply is refused in one sentence naming the cells; the others
    are still read, and nothing is applied."""
    reg, res, r = month
    bad = fill(request_of(res, PPQA), r["ppqa"].with_name("ppqa formula.xlsx"), {
        "INS-2023-07-R9-A2": {"update": '=CONCAT("Q3 audit ", "done.")'},
        "INS-2023-07-R9-A3": {"update": "Letter sent to partners."}},
        post=lambda ws: ws.__setitem__("K9", '=CONCAT("Q3 audit ", "done.")'))
    before = sha256(reg)
    out = runner.invoke(cli, ["merge", str(reg), str(bad), "--apply"])
    assert out.exit_code == 2, out.stderr
    assert "'ppqa formula.xlsx' cannot be merged: on its Update request sheet cell" in out.stderr
    assert "holds a formula saved without its value" in out.stderr
    assert "open it in Excel, save it and send it again" in out.stderr
    assert sha256(reg) == before


def test_an_owners_file_has_the_same_name_whoever_else_is_asked(tmp_path):
    """'DI Bob/Con' and 'DI Bob:Con' make the same file name, so the second is '(2)'.
    Asked alone later in the month (--owner), each keeps the name it had: the second
    owner's request never replaces the first's workbook in the month's folder."""
    from gain_workbook.register.template import load_example, write_register_template

    data = load_example()
    for n, owner in enumerate(["DI Bob/Con", "DI Bob:Con"], start=1):
        data["actions"].append({"Action ID": f"INS-2023-07-R4-B{n}", "Item ID": "INS-2023-07-R4",
                                "Action": f"Part {n} of the flag work.", "Owner": owner,
                                "Due": "31/01/2027", "Status": "In progress"})
    folder = tmp_path / "office"
    folder.mkdir()
    reg = write_register_template(folder / "Inspection register.xlsx", data=data,
                                  created=AS_OF)
    everyone = api.requests(reg, as_of=AS_OF)
    names = {r.owner: b.name for r, b in zip(everyone.requests, everyone.workbooks)}
    assert names["DI Bob/Con"] == "Update request 2026-12 - DI Bob Con.xlsx"
    assert names["DI Bob:Con"] == "Update request 2026-12 - DI Bob Con (2).xlsx"
    first = sha256(everyone.folder / names["DI Bob/Con"])
    alone = api.requests(reg, as_of=AS_OF, owner=["DI Bob:Con"])
    assert [b.name for b in alone.workbooks] == ["Update request 2026-12 - DI Bob Con (2).xlsx"]
    assert sha256(everyone.folder / names["DI Bob/Con"]) == first


def test_a_formula_outside_the_replys_table_does_not_stop_it(month, runner):
    """Only the rows and columns merge reads count: an owner's own sum beside the table
    (saved by a program that does not calculate) is not part of the reply."""
    reg, res, r = month
    ok = fill(request_of(res, PPQA), r["ppqa"].with_name("ppqa with a sum.xlsx"), {
        "INS-2023-07-R9-A2": {"update": "Q3 audit done."}},
        post=lambda ws: [ws.__setitem__("Z9", "=1+1"), ws.__setitem__("A2", "=1+1")])
    out = runner.invoke(cli, ["merge", str(reg), str(ok)])
    assert out.exit_code in (0, 1), out.stdout + out.stderr      # (1: the month's conflict)
    assert "cannot be merged" not in out.stderr
    assert out.stdout.startswith("ppqa with a sum.xlsx: Public Protection QA Lead")


def test_a_locked_date_edited_is_shown_as_the_register_shows_dates(month, runner):
    """A new user's trial: the message showed the request's own '2026-12-29' where every
    other date reads 29/12/2026."""
    reg, res, r = month
    edited = fill(request_of(res, PPQA), r["ppqa"].with_name("ppqa due.xlsx"), {
        "INS-2023-07-R9-A2": {"update": "Q3 audit done."}},
        post=lambda ws: ws.__setitem__("E8", dt.datetime(2027, 6, 1)))
    out = runner.invoke(cli, ["merge", str(reg), str(edited)])
    assert "PROBLEM LOCKED_EDITED" in out.stdout, out.stdout
    assert "-> '01/06/2027'" in out.stdout and "2027-06-01" not in out.stdout, out.stdout


def test_merge_takes_a_folder_of_replies_saved_beside_the_requests(month, runner, tmp_path):
    """The requests folder the owners' replies were saved into, given as the folder:
    each reply is merged, a request as sent whose reply is beside it is left out (not
    merged instead of it), a workbook that is no request is passed over, an Excel lock
    file is not read, and each is said."""
    reg, res, r = month
    folder = tmp_path / "Update requests 2026-12"
    shutil.copytree(res.workbooks[0].parent, folder)
    sent = folder / request_of(res, PPQA).name
    assert sent.exists()
    shutil.copy(r["ppqa"], folder / "PPQA reply.xlsx")
    (folder / "~$PPQA reply.xlsx").write_bytes(b"\x00" * 165)      # the reply open in Excel
    shutil.copy(reg, folder / "a copy of the register.xlsx")
    out = runner.invoke(cli, ["merge", str(reg), str(folder), "--as-of", "10/12/2026"])
    assert out.exit_code == 1, out.stderr       # the reply's own problems (a conflict)
    blocks = re.split(r"\n(?=\S)", out.stdout.strip())
    heads = [b.split(":")[0] for b in blocks if ", request of " in b.splitlines()[0]]
    assert heads == ["PPQA reply.xlsx"]         # the others: nothing filled in yet
    n = len(res.workbooks) - 1
    assert f"{n} requests with nothing filled in yet, not answered" in out.stderr
    assert "Dry run (nothing changed): 1 reply:" in out.stdout
    assert "left out 1 request as sent, nothing filled in, whose reply is beside it" in \
        out.stderr and f"'{sent.name}'" in out.stderr
    assert "passed over 1 workbook that is not an update request" in out.stderr
    assert "'a copy of the register.xlsx'" in out.stderr and "~$" not in out.stderr
    # the same reply named on its own gives the same plan for it
    alone = runner.invoke(cli, ["merge", str(reg), str(folder / "PPQA reply.xlsx"),
                                "--as-of", "10/12/2026"])
    mine = [b for b in blocks if b.startswith("PPQA reply.xlsx:")]
    assert mine and mine[0].strip() == \
        re.split(r"\n(?=\S)", alone.stdout.strip())[0].strip()
    empty = tmp_path / "empty"
    empty.mkdir()
    none = runner.invoke(cli, ["merge", str(reg), str(empty)])
    assert none.exit_code == 2 and "has no update requests in it" in none.stderr
    assert none.stderr.count("\n") == 1 and "Traceback" not in none.stderr


def test_a_damaged_reply_in_the_folder_is_named_and_the_rest_are_merged(month, runner,
                                                                         tmp_path):
    """One owner's reply damaged (saved half-way, a truncated file) among good ones: the
    whole merge stopped, every other owner's reply waiting on that one. Now the good
    replies are merged and the damaged one named, to be asked for again."""
    reg, res, r = month
    folder = tmp_path / "Update requests 2026-12"
    folder.mkdir()
    shutil.copy(r["ppqa"], folder / "PPQA reply.xlsx")
    data = r["ppqa"].read_bytes()
    (folder / "Custody reply.xlsx").write_bytes(data[:len(data) // 2])
    out = runner.invoke(cli, ["merge", str(reg), str(folder), "--as-of", "10/12/2026"])
    assert out.exit_code in (0, 1), out.stderr
    # a reply left out is a problem: with only a clean reply beside it, a scheduled run
    # ended 0, 'no problems' (a trial)
    clean = tmp_path / "clean"
    clean.mkdir()
    fill(request_of(res, HIS), clean / "HIS reply.xlsx",
         {"INS-2023-07-R4-A3": {"update": "Board report drafted."}})
    alone_clean = runner.invoke(cli, ["merge", str(reg), str(clean), "--as-of", "10/12/2026"])
    shutil.copy(folder / "Custody reply.xlsx", clean / "Custody reply.xlsx")
    with_damaged = runner.invoke(cli, ["merge", str(reg), str(clean), "--as-of", "10/12/2026"])
    assert (alone_clean.exit_code, with_damaged.exit_code) == (0, 1), with_damaged.stderr
    assert "NOT MERGED: 1 reply in the folder could not be read" in out.stderr
    assert "'Custody reply.xlsx'" in out.stderr and "Traceback" not in out.stderr
    assert "Dry run (nothing changed): 1 reply:" in out.stdout
    (folder / "PPQA reply.xlsx").unlink()
    alone = runner.invoke(cli, ["merge", str(reg), str(folder)])
    assert alone.exit_code == 2 and "'Custody reply.xlsx'" in alone.stderr


@given(st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)),
       st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)),
       st.one_of(st.none(), st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31))))
def test_a_reply_is_dated_between_its_request_and_the_merge(asked, today, saved):
    """The day a reply was saved, but never before the request it answers (a request
    made with --as-of later than today, or a PC clock behind) nor after the merge's
    day, unless the request itself is later."""
    from gain_workbook.chase.replies import Reply

    reply = Reply(Path("r.xlsx"), {"As of": asked.isoformat()}, [], saved, "")
    day = reply.replied_on(today)
    assert day >= asked
    assert day <= max(today, asked)
    if saved is not None and asked <= saved <= today:
        assert day == saved


def test_a_request_as_sent_named_beside_its_reply_never_displaces_it(month, runner, tmp_path):
    """replies/*.xlsx naming the request as sent before its filled-in reply (as names
    sort): the reply is merged, the empty request is the one set aside."""
    reg, res, r = month
    sent = tmp_path / "a request as sent.xlsx"         # sorts before 'ppqa.xlsx'
    shutil.copy(request_of(res, PPQA), sent)
    for files in ([sent, r["ppqa"]], [r["ppqa"], sent]):
        out = runner.invoke(cli, ["merge", str(reg), *map(str, files), "--as-of",
                                  "10/12/2026"])
        blocks = {b.split(":")[0]: b for b in re.split(r"\n(?=\S)", out.stdout.strip())}
        assert "SAME_REPLY_TWICE" in blocks[sent.name]
        assert "SAME_REPLY_TWICE" not in blocks["ppqa.xlsx"]
        assert "Q3 audit done." in out.stdout or "CONFLICT" in blocks["ppqa.xlsx"]


def test_a_status_the_office_typed_in_as_the_reply_says_does_not_lose_the_rest(tmp_path,
                                                                              runner):
    """After the request went out the office set the action's status by hand to what the
    owner's reply then says ('In progress'): that is no conflict, and the reply's update,
    evidence and new date asked for are taken (they were lost as 'nothing to change').
    Merged again, it is all there: nothing to change, truly."""
    reg = month_register(tmp_path / "office")
    res = api.requests(reg, as_of=AS_OF)
    reply = fill(request_of(res, FCR), tmp_path / "fcr.xlsx", {
        "INS-2023-07-R4-A2": {"new_status": "In progress", "update": "Training booked.",
                              "evidence": "CN-123", "asked_due": dt.datetime(2027, 3, 31),
                              "reason": "Supplier delay"}})
    wb = openpyxl.load_workbook(reg)
    ws = wb["Actions"]
    row = next(r for r in range(2, ws.max_row + 1) if ws[f"A{r}"].value == "INS-2023-07-R4-A2")
    status_col = next(c.column_letter for c in ws[1] if c.value == "Status")
    assert ws[f"{status_col}{row}"].value != "In progress"
    ws[f"{status_col}{row}"] = "In progress"
    wb.save(reg)
    out = runner.invoke(cli, ["merge", str(reg), str(reply), "--as-of", "2026-12-10",
                              "--apply"])
    assert out.exit_code == 0, out.output + out.stderr
    assert "Training booked." in out.stdout and "CONFLICT" not in out.stdout
    assert "new due date asked for" in out.stdout
    again = runner.invoke(cli, ["merge", str(reg), str(reply), "--as-of", "2026-12-10"])
    assert "nothing to change: the register already says this" in again.stdout


def test_two_merges_at_once_never_lose_one(tmp_path):
    """Two `merge --apply` of two owners' replies started together on one register: each
    that says it applied is in the register; the other refuses, saying the register
    changed after it read it (one merge's changes were lost in silence before: both
    saw the register unchanged, the second's file replaced the first's)."""
    import sys

    cmd = [sys.executable, "-m", "gain_workbook"]
    for attempt in range(3):
        reg = month_register(tmp_path / f"office {attempt}")
        res = api.requests(reg, as_of=AS_OF)
        replies = [fill(request_of(res, FCR), tmp_path / f"fcr {attempt}.xlsx", {
                       "INS-2023-07-R4-A2": {"update": "Training booked (FCR)."}}),
                   fill(request_of(res, HIS), tmp_path / f"his {attempt}.xlsx", {
                       "INS-2023-07-R4-A3": {"update": "Board report drafted (HIS)."}})]
        procs = [subprocess.Popen(cmd + ["merge", str(reg), str(r), "--as-of", "2026-12-10",
                                         "--apply"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, cwd=ROOT)
                 for r in replies]
        outs = [p.communicate(timeout=300) for p in procs]
        texts = {str(v) for ws in openpyxl.load_workbook(reg) for row in
                 ws.iter_rows(values_only=True) for v in row if v is not None}
        codes = [p.returncode for p in procs]
        assert 0 in codes, outs
        for code, (out, err), said in zip(codes, outs, ("Training booked (FCR).",
                                                         "Board report drafted (HIS).")):
            if code == 0:
                assert said in texts, (out, err)
            else:
                assert code == 2 and "changed after merge read it" in err, (code, err)
        assert not list(reg.parent.glob(".~gain-lock-*"))


def test_a_lock_left_by_a_run_that_died_is_taken_over(tmp_path, runner):
    """A `.~gain-lock-` file left beside the register by a killed run (its process gone)
    does not stop the next merge; it is taken over and removed."""
    from gain_workbook.core.files import LOCK_PREFIX, _host

    reg = month_register(tmp_path / "office")
    res = api.requests(reg, as_of=AS_OF)
    reply = fill(request_of(res, FCR), tmp_path / "fcr.xlsx", {
        "INS-2023-07-R4-A2": {"update": "Training booked."}})
    dead = subprocess.Popen(["true"])
    dead.wait()
    lock = reg.with_name(LOCK_PREFIX + reg.name)
    lock.write_text(f"{dead.pid}@{_host()}\n")
    out = runner.invoke(cli, ["merge", str(reg), str(reply), "--as-of", "2026-12-10",
                              "--apply"])
    assert out.exit_code == 0, out.output + out.stderr
    assert not lock.exists()


def test_a_reply_longer_than_a_cell_holds_is_cut_there_and_said(tmp_path, runner):
    """An update of 20,000 emoji, 40,000 characters as Excel counts them (two each; its
    cells hold 32,767, a reply's own cell can be made to hold more): the register's cell
    is cut to what a cell holds, ending in '…', never more (Excel would 'repair' the
    register), and merge says so."""
    reg = month_register(tmp_path / "office")
    res = api.requests(reg, as_of=AS_OF)
    reply = fill(request_of(res, FCR), tmp_path / "fcr.xlsx", {
        "INS-2023-07-R4-A2": {"update": "Training booked. " + "\U0001F600" * 20000}})
    out = runner.invoke(cli, ["merge", str(reg), str(reply), "--as-of", "2026-12-10",
                              "--apply"])
    assert out.exit_code == 0, out.output + out.stderr
    assert "more than the 32,767 a cell holds" in out.output + out.stderr
    longest = max(len(str(v).encode("utf-16-le")) // 2 for ws in openpyxl.load_workbook(reg)
                  for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    assert 32700 < longest <= 32767


def test_a_reply_with_a_column_inserted_is_refused_not_read_by_place(tmp_path, runner):
    """An owner unprotects the request and inserts a column of their own notes before the
    update: read by place, their note became the Latest update and their update the
    Evidence, with no problems. The reply is refused, saying which column moved, and the
    register is untouched."""
    reg = month_register(tmp_path / "office")
    res = api.requests(reg, as_of=AS_OF)
    reply = fill(request_of(res, FCR), tmp_path / "fcr.xlsx", {
        "INS-2023-07-R4-A2": {"update": "Training booked.", "evidence": "CN-1"}},
        post=lambda ws: (ws.insert_cols(11), ws.__setitem__("K7", "My notes"),
                         ws.__setitem__("K8", "private: chase HR")))
    before = sha256(reg)
    out = runner.invoke(cli, ["merge", str(reg), str(reply), "--as-of", "2026-12-10",
                              "--apply"])
    assert out.exit_code == 2 and "its columns were changed (column K is headed 'My notes'" \
        in out.stderr, out.output + out.stderr
    assert sha256(reg) == before
