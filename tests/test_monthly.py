"""`gain-pack monthly` and scripts/monthly.sh: the month in one go, stopping at the first failure."""

from __future__ import annotations

import pytest
import datetime as dt
import email
import shutil
import subprocess
from email import policy

import openpyxl

from conftest import ROOT, base_data, free_port, write_register
from gain_workbook.cli import cli

D = dt.date


def _register(tmp_path, changes: dict | None = None, email_to="board@force.example"):
    data = base_data()
    if email_to:
        data["settings"]["Email to"] = email_to
    data["inspections"][0].update({"Plenary session": D(2024, 2, 1), "Executive lead": "ACC"})
    for k, v in (changes or {}).items():
        data[k[0]][k[1]].update(v)
    return write_register(tmp_path / "Inspection register.xlsx", data)


def test_month_builds_pack_responses_and_draft_and_logs(tmp_path, runner):
    reg = _register(tmp_path)
    r = runner.invoke(cli, ["monthly", str(reg), "--as-of", "2024-02-20", "--meeting",
                            "2024-02-27"])
    assert r.exit_code == 0, r.output + r.stderr
    assert (tmp_path / "GAIN board pack 2024-02.xlsx").exists()
    wb = openpyxl.load_workbook(tmp_path / "PCC responses 2024-02.xlsx")
    assert wb.sheetnames == ["Response"]               # its s55 deadline (5 March) is open
    msg = email.message_from_bytes((tmp_path / "GAIN board pack 2024-02.eml").read_bytes(),
                                   policy=policy.default)
    assert msg["X-Unsent"] == "1" and msg["To"] == "board@force.example"
    assert "for the meeting on 27 February 2024" in msg.get_body(("plain",)).get_content()
    log = (tmp_path / "gain-pack.log").read_text().splitlines()
    assert len(log) == 1 and "Inspection register.xlsx: OK | validate: valid" in log[0]
    assert "build: GAIN board pack 2024-02.xlsx (no previous pack found)" in log[0]
    assert "responses: 1 in PCC responses 2024-02.xlsx" in log[0]

    # next month: last month's pack is found and used for Movement
    r = runner.invoke(cli, ["monthly", str(reg), "--as-of", "2024-03-20"])
    assert r.exit_code == 0, r.stderr
    assert "previous GAIN board pack 2024-02.xlsx" in r.stdout
    wb = openpyxl.load_workbook(tmp_path / "GAIN board pack 2024-03.xlsx")
    assert "Movement" in wb.sheetnames
    assert len((tmp_path / "gain-pack.log").read_text().splitlines()) == 2


def test_out_dir_is_made_when_only_it_is_missing(tmp_path, runner):
    """Found running the month: '--out-dir "Month out"' refused, the folder not there;
    requests makes its folder, so monthly makes its own too (but not a mistyped path)."""
    reg = _register(tmp_path)
    out = tmp_path / "Month out"
    r = runner.invoke(cli, ["monthly", str(reg), "--as-of", "2024-02-20", "--no-email",
                            "--out-dir", str(out)])
    assert r.exit_code == 0, r.output + r.stderr
    assert (out / "GAIN board pack 2024-02.xlsx").exists() and (out / "gain-pack.log").exists()
    before = sorted(p.name for p in tmp_path.iterdir())
    r = runner.invoke(cli, ["monthly", str(reg), "--as-of", "2024-02-20", "--no-email",
                            "--out-dir", str(tmp_path / "No such" / "Month out")])
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines()[-1] == (
        f"gain-pack: Cannot write the month's pack and responses into "
        f"'{tmp_path / 'No such' / 'Month out'}': the folder '{tmp_path / 'No such'}' does "
        "not exist.")
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_invalid_register_stops_before_the_pack_and_never_emails(tmp_path, runner, smtp_server):
    port, inbox = smtp_server()
    reg = _register(tmp_path, {("actions", 0): {"Status": "Parked"}})
    r = runner.invoke(cli, ["monthly", str(reg), "--send", "--smtp-host", "127.0.0.1",
                            "--smtp-port", str(port), "--smtp-security", "none", "--from",
                            "g@force.example"])
    assert r.exit_code == 1
    assert "NOT_IN_LIST" in r.stderr and "validate: 1 error" in r.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Inspection register.xlsx",
                                                          "gain-pack.log"]
    assert inbox.messages == []
    line = (tmp_path / "gain-pack.log").read_text()
    assert "FAILED (InvalidRegisterError: The register has 1 error" in line


def test_month_sends_through_smtp(tmp_path, runner, smtp_server):
    port, inbox = smtp_server()
    reg = _register(tmp_path)
    r = runner.invoke(cli, ["monthly", str(reg), "--as-of", "2024-02-20", "--send",
                            "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                            "--smtp-security", "none", "--from", "gain@force.example"])
    assert r.exit_code == 0, r.stderr
    (_, rcpts, raw), = inbox.messages
    assert rcpts == ["board@force.example"]
    part = next(email.message_from_bytes(raw, policy=policy.default).iter_attachments())
    assert part.get_content() == (tmp_path / "GAIN board pack 2024-02.xlsx").read_bytes()
    assert "email: Sent to board@force.example" in (tmp_path / "gain-pack.log").read_text()


def test_a_register_with_no_email_to_gets_an_unaddressed_draft(tmp_path, runner,
                                                               smtp_server):
    """Found by a new user: monthly on the example register (no 'Email to') failed at
    the email step; the draft is written for the clerk to address in Outlook, and says
    so. Sending with no one to send to still stops (exit 2), after the pack is built."""
    reg = _register(tmp_path, email_to=None)
    r = runner.invoke(cli, ["monthly", str(reg), "--as-of", "2024-02-20"])
    assert r.exit_code == 0, r.output + r.stderr
    assert ("note: the draft has no recipient, so Outlook opens it for you to address; to "
            "have it addressed, fill in 'Email to' on the register's Settings sheet, or give "
            "--to.") in r.stderr
    msg = email.message_from_bytes((tmp_path / "GAIN board pack 2024-02.eml").read_bytes(),
                                   policy=policy.default)
    assert not msg.defects and msg["X-Unsent"] == "1" and "To" not in msg
    assert "email: Wrote the draft" in (tmp_path / "gain-pack.log").read_text()

    port, inbox = smtp_server()
    r = runner.invoke(cli, ["monthly", str(reg), "--as-of", "2024-03-20", "--send",
                            "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                            "--smtp-security", "none", "--from", "gain@force.example"])
    assert r.exit_code == 2 and "No recipients: fill in 'Email to'" in r.stderr
    assert (tmp_path / "GAIN board pack 2024-03.xlsx").exists() and inbox.messages == []


def test_delivery_failure_is_logged_with_its_exit_code(tmp_path, runner):
    reg = _register(tmp_path)
    r = runner.invoke(cli, ["monthly", str(reg), "--as-of", "2024-02-20", "--send",
                            "--smtp-host", "127.0.0.1", "--smtp-port", str(free_port()),
                            "--smtp-security", "none", "--from", "gain@force.example"])
    assert r.exit_code == 2 and "connection refused" in r.stderr
    log = (tmp_path / "gain-pack.log").read_text()
    assert "FAILED (MailSettingsError" in log and "build: GAIN board pack 2024-02.xlsx" in log


@pytest.mark.slow
def test_shell_wrapper_runs_the_month_and_passes_the_exit_code(tmp_path):
    assert shutil.which("gain-pack"), "gain-pack is not installed on PATH"
    reg = _register(tmp_path)
    proc = subprocess.run(["sh", str(ROOT / "scripts" / "monthly.sh"), str(reg), "--as-of",
                           "2024-02-20", "--no-email"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "GAIN board pack 2024-02.xlsx").exists()
    bad = _register(tmp_path, {("actions", 0): {"Due": "soon"}})
    proc = subprocess.run(["sh", str(ROOT / "scripts" / "monthly.sh"), str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "BAD_DATE" in proc.stderr


def test_windows_wrapper_has_crlf_and_passes_arguments_and_exit_code():
    text = (ROOT / "scripts" / "monthly.bat").read_bytes()
    assert b"\r\n" in text and b"\n" not in text.replace(b"\r\n", b"")
    assert b'monthly %*' in text and b"exit /b %ERRORLEVEL%" in text


def test_a_month_with_a_new_report_not_yet_planned_still_runs_and_says_so(tmp_path, runner,
                                                                          smtp_server):
    """A report 10 days old: no plenary, no chief constable's comments, no PCC comment."""
    port, inbox = smtp_server()
    data = base_data()
    data["settings"]["Email to"] = "board@force.example"
    data["inspections"][0].update({"Plenary session": D(2024, 2, 1), "PCC comment": "Welcome.",
                                   "Response sent to Home Office and HMICFRS": D(2024, 2, 20),
                                   "Response published": D(2024, 2, 21)})
    data["inspections"].append({"Inspection ID": "VAWG-2026", "Title": "Violence against "
                                "women and girls", "Published": D(2026, 11, 18),
                                "Type": "National", "Force quoted": "No"})
    data["items"].append({"Item ID": "VAWG-R1", "Inspection ID": "VAWG-2026",
                          "Kind": "Recommendation", "Number": "1", "Applies to force": "Yes",
                          "Text": "By 31 May 2027, chief constables should review VAWG plans.",
                          "HMICFRS status": "Open"})
    reg = write_register(tmp_path / "Inspection register.xlsx", data)
    r = runner.invoke(cli, ["monthly", str(reg), "--as-of", "2026-11-28", "--send",
                            "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                            "--smtp-security", "none", "--from", "gain@force.example"])
    assert r.exit_code == 0, r.output + r.stderr
    assert "responses: 1 in PCC responses 2026-11.xlsx" in r.stdout
    wb = openpyxl.load_workbook(tmp_path / "PCC responses 2026-11.xlsx")
    texts = [c.value for row in wb.active.iter_rows() for c in row if c.value]
    assert "Violence against women and girls" in texts
    assert any("will be held to discuss the actions" in str(t) for t in texts)
    (_, _, raw), = inbox.messages
    body = email.message_from_bytes(raw, policy=policy.default).get_body(("plain",)).get_content()
    body = body.replace("\r\n", "\n")
    assert ("1 PCC response still to be sent (section 55):\n- Violence against women and girls: "
            "due in 45 days (day 56: 12/01/2027)") in body
    assert body.index("still to be sent") < body.index("Kind regards")


def test_a_response_that_cannot_be_written_is_told_and_the_pack_still_goes(tmp_path, runner):
    data = base_data()
    data["settings"].update({"Email to": "board@force.example",
                             "Response template": "missing process.txt"})
    reg = write_register(tmp_path / "Inspection register.xlsx", data)
    r = runner.invoke(cli, ["monthly", str(reg), "--as-of", "2024-02-20"])
    assert r.exit_code == 2
    assert "names the response template 'missing process.txt', which is not there" in r.stderr
    assert "responses: FAILED" in r.stdout
    assert (tmp_path / "GAIN board pack 2024-02.xlsx").exists()
    assert not (tmp_path / "PCC responses 2024-02.xlsx").exists()
    msg = email.message_from_bytes((tmp_path / "GAIN board pack 2024-02.eml").read_bytes(),
                                   policy=policy.default)
    body = msg.get_body(("plain",)).get_content()
    assert "The PCC responses could not be written this month: The Settings sheet names" in body
    log = (tmp_path / "gain-pack.log").read_text()
    assert "FAILED (SettingsError" in log and "email: Wrote the draft" in log
    # the same template named with --template is used
    (tmp_path / "process.txt").write_text("Our words.", encoding="utf-8")
    r = runner.invoke(cli, ["monthly", str(reg), "--as-of", "2024-02-20", "--template",
                            str(tmp_path / "process.txt"), "--no-email"])
    assert r.exit_code == 0, r.stderr
    wb = openpyxl.load_workbook(tmp_path / "PCC responses 2024-02.xlsx")
    assert "Our words." in [c.value for row in wb.active.iter_rows() for c in row]


def test_a_template_that_cannot_be_read_is_told_in_a_month_with_no_response_due(tmp_path,
                                                                              runner):
    reg = _register(tmp_path, {("inspections", 0): {
        "Response sent to Home Office and HMICFRS": D(2024, 2, 1)}})
    png = tmp_path / "process.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    r = runner.invoke(cli, ["monthly", str(reg), "--as-of", "2024-02-20", "--template",
                            str(png), "--no-email"])
    assert r.exit_code == 2
    assert "Cannot read the response template 'process.png'" in r.stderr
    assert "responses: FAILED" in r.stdout
    assert (tmp_path / "GAIN board pack 2024-02.xlsx").exists()


def test_the_log_joins_steps_without_a_stop_before_each_semicolon():
    """'...row 1).; build: ...' (a new user's trial): each step's own full stop goes."""
    from gain_workbook.core.runlog import log_line

    line = log_line("register.xlsx", [("validate", "valid; read as one sheet (row 1)."),
                                      ("build", "pack.xlsx")], None,
                    dt.datetime(2026, 12, 7, 9, 0))
    assert line.endswith("| validate: valid; read as one sheet (row 1); build: pack.xlsx")


def test_a_response_not_ready_to_publish_is_said_in_the_output_the_log_and_the_email(
        tmp_path, runner):
    """A trial's month said only 'responses: 1 in PCC responses 2027-01.xlsx', the log
    'OK' and the pack's email 'due in 10 days', with five parts of it missing."""
    reg = _register(tmp_path, {("inspections", 0): {"PCC comment": None,
                                                     "Executive summary": None}})
    r = runner.invoke(cli, ["monthly", str(reg), "--as-of", "2024-02-20"])
    assert r.exit_code == 0, r.output + r.stderr
    assert "is not ready to publish" in r.stderr
    log = (tmp_path / "gain-pack.log").read_text()
    assert "responses: 1 in PCC responses 2024-02.xlsx; 1 not ready to publish" in log
    msg = email.message_from_bytes((tmp_path / "GAIN board pack 2024-02.eml").read_bytes(),
                                   policy=policy.default)
    body = msg.get_body(("plain",)).get_content()
    assert "is not ready to publish" in body
    # no meeting given: 'for the next meeting', not 'for the meeting on the next meeting'
    assert "(GAIN board pack 2024-02.xlsx), for the next meeting." in body
