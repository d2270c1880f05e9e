"""`gain-pack email`: drafts, and sending through a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import email
import io
import re
import socket
import threading
from email import policy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PASSWORD, base_data, free_port, write_register
from gain_workbook.cli import cli

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def pack(tmp_path_factory, example_register):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("mail") / "GAIN board pack 2026-11.xlsx"
    r = CliRunner().invoke(cli, ["build", str(example_register), "-o", str(out), "--as-of",
                                 "2026-11-28", "--meeting", "2026-12-03"])
    assert r.exit_code == 0, r.stderr
    return out


def send(runner, pack, port, *extra, env=None):
    return runner.invoke(cli, ["email", str(pack), "--to", "dcc@force.example", "--send",
                               "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                               "--from", "gain@force.example", "--timeout", "5", *extra],
                         env=env or {})


def parsed(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


def attachment_of(msg):
    (part,) = [p for p in msg.iter_attachments()]
    return part


# ---------------------------------------------------------------- drafts

def test_draft_is_an_unsent_outlook_message(runner, pack, tmp_path):
    out = tmp_path / "draft.eml"
    r = runner.invoke(cli, ["email", str(pack), "--to", "dcc@force.example", "--cc",
                            "pcc@force.example", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    raw = out.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")     # CRLF only
    msg = parsed(raw)
    assert msg["X-Unsent"] == "1"
    assert msg["From"] is None and msg["Date"] is None and msg["Message-ID"] is None
    assert msg["To"] == "dcc@force.example" and msg["Cc"] == "pcc@force.example"
    assert msg["Subject"] == "OFFICIAL-SENSITIVE: GAIN Board pack November 2026"
    body = msg.get_body(("plain",)).get_content()
    assert "for the meeting on 3 December 2026" in body
    assert "- Overdue actions: 2" in body and "- Open items for the force: 3" in body
    part = attachment_of(msg)
    assert part.get_content_type() == XLSX
    assert part.get_filename() == pack.name
    assert part.get_content() == pack.read_bytes()


def test_recipients_and_marking_from_the_register_settings(runner, pack, tmp_path):
    data = base_data()
    data["settings"].update({"Email to": "chair@force.example; dcc@force.example",
                             "Protective marking": "OFFICIAL", "Board name": "Audit Board",
                             "Email signature": "Jo Bloggs | Governance Officer | OPCC"})
    reg = write_register(tmp_path / "r.xlsx", data)
    out = tmp_path / "d.eml"
    r = runner.invoke(cli, ["email", str(pack), "--register", str(reg), "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    msg = parsed(out.read_bytes())
    assert msg["To"] == "chair@force.example, dcc@force.example"
    assert msg["Subject"] == "OFFICIAL: Audit Board pack November 2026"
    assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n").rstrip().endswith(
        "Kind regards,\nJo Bloggs\nGovernance Officer\nOPCC")


def test_a_draft_with_no_recipients_is_written_unaddressed(runner, pack, tmp_path,
                                                           example_register):
    """Found by a new user: the README's step on the example register (no 'Email to')
    stopped with 'No recipients', though a draft is addressed in Outlook anyway."""
    out = tmp_path / "d.eml"
    r = runner.invoke(cli, ["email", str(pack), "--register", str(example_register), "-o",
                            str(out)])
    assert r.exit_code == 0, r.stderr
    notes = [line for line in r.stderr.splitlines() if "no recipient" in line]
    assert notes == ["gain-pack: note: the draft has no recipient, so Outlook opens it for "
                     "you to address; to have it addressed, fill in 'Email to' on the "
                     "register's Settings sheet (and pass --register), or give --to."]
    raw = out.read_bytes()
    msg = parsed(raw)
    assert not msg.defects and msg["X-Unsent"] == "1"
    assert "To" not in msg and b"\r\nTo:" not in raw and not raw.startswith(b"To:")
    assert msg["Subject"] == "OFFICIAL-SENSITIVE: GAIN Board pack November 2026"
    assert attachment_of(msg).get_content() == pack.read_bytes()


def test_sending_with_no_recipients_is_a_settings_error(runner, pack, tmp_path):
    r = runner.invoke(cli, ["email", str(pack), "--send", "--smtp-host", "127.0.0.1",
                            "--smtp-port", str(free_port()), "-o", str(tmp_path / "d.eml")])
    assert r.exit_code == 2 and "No recipients: fill in 'Email to'" in r.stderr
    assert "(and pass --register), or give --to." in r.stderr
    assert not (tmp_path / "d.eml").exists()


@pytest.mark.parametrize("make, words", [
    (lambda d: d / "problems.csv", "Only .xlsx workbooks, and responses as .docx, .pdf or .html, are attached"),
    (lambda d: d / "broken.xlsx", "damaged or incomplete"),
])
def test_refuses_what_it_cannot_open(runner, tmp_path, pack, make, words):
    bad = make(tmp_path)
    bad.write_bytes(pack.read_bytes()[:2000] if bad.suffix == ".xlsx" else b"a,b\n")
    r = runner.invoke(cli, ["email", str(bad), "--to", "x@force.example"])
    assert r.exit_code == 2 and words in r.stderr
    assert not bad.with_suffix(".eml").exists()


def test_the_register_is_not_emailed_as_if_it_were_the_pack(runner, tmp_path,
                                                             example_register):
    """Found by a new user's trial: the register given to email went as 'the GAIN Board
    pack ...' with every figure '-', the whole register attached."""
    r = runner.invoke(cli, ["email", str(example_register), "--to", "x@force.example", "-o",
                            str(tmp_path / "d.eml")])
    assert r.exit_code == 2, r.output
    assert r.stderr.strip() == (
        f"gain-pack: '{example_register.name}' is neither a board pack nor a PCC response "
        "written by gain-pack, so it is not emailed (the email would call it the board "
        "pack); email the pack gain-pack build wrote, or a response."), r.stderr
    assert not (tmp_path / "d.eml").exists()


def test_warns_when_the_attachment_is_over_10_mb(runner, tmp_path, pack):
    import zipfile

    big = tmp_path / "big.xlsx"
    with zipfile.ZipFile(pack) as zin, zipfile.ZipFile(big, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        import os

        zout.writestr("xl/media/extra.bin", os.urandom(11 * 1024 * 1024))
    r = runner.invoke(cli, ["email", str(big), "--to", "x@force.example", "-o",
                            str(tmp_path / "d.eml")])
    assert r.exit_code == 0, r.stderr
    assert "warning: the attachment is 11.0 MB" in r.stderr


def test_dry_run_shows_what_would_be_sent_and_sends_nothing(runner, pack, smtp_server, tmp_path):
    port, inbox = smtp_server()
    r = send(runner, pack, port, "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert f"would send through 127.0.0.1:{port} (starttls)" in r.stdout
    assert "Subject: OFFICIAL-SENSITIVE: GAIN Board pack November 2026" in r.stdout
    assert "From: gain@force.example" in r.stdout and "Attachment: " + pack.name in r.stdout
    assert inbox.messages == []


# ---------------------------------------------------------------- sending

def test_plain_delivery(runner, pack, smtp_server):
    port, inbox = smtp_server()
    r = send(runner, pack, port, "--smtp-security", "none", "--cc", "pcc@force.example")
    assert r.exit_code == 0, r.stderr
    assert f"Sent to dcc@force.example, pcc@force.example through 127.0.0.1:{port}." in r.stdout
    (sender, rcpts, raw), = inbox.messages
    assert sender == "gain@force.example"
    assert rcpts == ["dcc@force.example", "pcc@force.example"]
    msg = parsed(raw)
    assert msg["From"] == "gain@force.example" and msg["Date"] and msg["X-Unsent"] is None
    assert re.fullmatch(r"<[^@<>\s]+@force\.example>", msg["Message-ID"])    # sent: an id
    assert msg["Subject"].startswith("OFFICIAL-SENSITIVE: ")
    body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Headline figures:" in body
    assert body.rstrip().endswith("Kind regards,\nGAIN Board secretariat")     # no Setting
    assert "password" not in body
    assert attachment_of(msg).get_content() == pack.read_bytes()


def test_starttls_with_a_certificate_the_test_trusts(runner, pack, smtp_server, certs):
    port, inbox = smtp_server(tls=True)
    r = send(runner, pack, port, "--smtp-security", "starttls", "--cafile", str(certs[0]))
    assert r.exit_code == 0, r.stderr
    assert len(inbox.messages) == 1


def test_certificate_not_trusted_is_a_settings_error(runner, pack, smtp_server):
    port, inbox = smtp_server(tls=True)
    r = send(runner, pack, port, "--smtp-security", "starttls")
    assert r.exit_code == 2
    assert "presented a certificate that is not trusted" in r.stderr and "--cafile" in r.stderr
    assert "nothing was sent" in r.stderr and inbox.messages == []


def test_tls_failure_against_a_plain_server(runner, pack, smtp_server):
    port, inbox = smtp_server()
    r = send(runner, pack, port, "--smtp-security", "ssl")
    assert r.exit_code == 2 and "TLS failed" in r.stderr and inbox.messages == []


def test_login_succeeds_with_the_password_from_the_environment(runner, pack, smtp_server):
    port, inbox = smtp_server(auth=True)
    r = send(runner, pack, port, "--smtp-security", "none", "--smtp-user", "clerk",
             env={"GAIN_SMTP_PASSWORD": PASSWORD})
    assert r.exit_code == 0, r.stderr
    assert len(inbox.messages) == 1
    assert PASSWORD not in r.stdout + r.stderr


@pytest.mark.slow
def test_login_refused(runner, pack, smtp_server):
    port, inbox = smtp_server(auth=True)
    r = send(runner, pack, port, "--smtp-security", "none", "--smtp-user", "clerk",
             env={"GAIN_SMTP_PASSWORD": "wrong"})
    assert r.exit_code == 2
    assert "refused the login for 'clerk' (wrong user name or password); nothing was sent" in r.stderr
    assert "wrong" not in r.stdout and inbox.messages == []


def test_password_is_never_an_option(runner, pack):
    r = runner.invoke(cli, ["email", str(pack), "--to", "a@b.example", "--password", "x"])
    assert r.exit_code == 2 and "No such option '--password'" in r.stderr


def test_no_password_and_no_terminal_is_a_clear_error(runner, pack, smtp_server):
    port, _ = smtp_server(auth=True)
    r = send(runner, pack, port, "--smtp-security", "none", "--smtp-user", "clerk")
    assert r.exit_code == 2 and "set the environment variable GAIN_SMTP_PASSWORD" in r.stderr


def test_one_recipient_rejected_is_named(runner, pack, smtp_server):
    port, inbox = smtp_server()
    r = send(runner, pack, port, "--smtp-security", "none", "--cc", "nobody@force.example")
    assert r.exit_code == 1
    assert ("refused nobody@force.example; the message was sent to dcc@force.example only"
            in r.stderr)
    (_, rcpts, _), = inbox.messages
    assert rcpts == ["dcc@force.example"]


def test_every_recipient_rejected(runner, pack, smtp_server):
    port, inbox = smtp_server()
    r = runner.invoke(cli, ["email", str(pack), "--to", "nobody@force.example", "--send",
                            "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--from",
                            "gain@force.example", "--smtp-security", "none"])
    assert r.exit_code == 1
    assert "refused every recipient (nobody@force.example); nothing was sent" in r.stderr
    assert inbox.messages == []


def test_server_down(runner, pack):
    r = send(runner, pack, free_port(), "--smtp-security", "none")
    assert r.exit_code == 2
    assert "connection refused. Check the SMTP host and port; nothing was sent." in r.stderr


@pytest.mark.slow
def test_server_that_never_answers_times_out(runner, pack):
    """A real listener that accepts the connection and says nothing."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    conns = []
    t = threading.Thread(target=lambda: conns.append(srv.accept()), daemon=True)
    t.start()
    try:
        r = runner.invoke(cli, ["email", str(pack), "--to", "dcc@force.example", "--send",
                                "--smtp-host", "127.0.0.1", "--smtp-port",
                                str(srv.getsockname()[1]), "--from", "g@force.example",
                                "--smtp-security", "none", "--timeout", "1"])
    finally:
        for c, _ in conns:
            c.close()
        srv.close()
    assert r.exit_code == 1
    assert "did not answer within 1 s; nothing was sent" in r.stderr


def test_encrypted_attachment_decrypts_to_the_original(runner, pack, smtp_server):
    import msoffcrypto

    port, inbox = smtp_server()
    r = send(runner, pack, port, "--smtp-security", "none", "--encrypt",
             env={"GAIN_ATTACHMENT_PASSWORD": PASSWORD})
    assert r.exit_code == 0, r.stderr
    (_, _, raw), = inbox.messages
    msg = parsed(raw)
    body = msg.get_body(("plain",)).get_content()
    assert "protected with a password, which will reach you separately" in body
    assert body.index("password") < body.index("Kind regards,")
    data = attachment_of(msg).get_content()
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"          # an encrypted Office file
    assert PASSWORD.encode() not in raw
    office = msoffcrypto.OfficeFile(io.BytesIO(data))
    office.load_key(password=PASSWORD)
    out = io.BytesIO()
    office.decrypt(out)
    assert out.getvalue() == pack.read_bytes()



def test_settings_come_from_the_register_beside_the_pack(runner, tmp_path):
    data = base_data()
    data["settings"].update({"Email to": "board@force.example", "Protective marking": "OFFICIAL"})
    reg = write_register(tmp_path / "Inspection register.xlsx", data)
    pack = tmp_path / "GAIN board pack 2024-08.xlsx"
    assert runner.invoke(cli, ["build", str(reg), "-o", str(pack), "--as-of",
                               "2024-08-01"]).exit_code == 0
    r = runner.invoke(cli, ["email", str(pack)])
    assert r.exit_code == 0, r.stderr
    assert "using the Settings of Inspection register.xlsx" in r.stderr
    msg = parsed(pack.with_suffix(".eml").read_bytes())
    assert msg["To"] == "board@force.example"
    assert msg["Subject"] == "OFFICIAL: GAIN Board pack August 2024"


def _xml_text(text: str) -> str:
    """Text for a <t> element as Excel escapes it: XML's five, and a control character
    as _xHHHH_ (which readers turn back into the character)."""
    from xml.sax.saxutils import escape

    return "".join(f"_x{ord(ch):04X}_" if ord(ch) < 32 else ch
                   for ch in escape(text, {'"': "&quot;"}))


@pytest.fixture(scope="module")
def forged_packs(tmp_path_factory):
    """A folder with a register (which names recipients) and a pack built from it; the
    second value makes a copy of the pack that records another register name."""
    from click.testing import CliRunner

    from conftest import replace_in_parts

    folder = tmp_path_factory.mktemp("forged")
    data = base_data()
    data["settings"]["Email to"] = "board@force.example"
    reg = write_register(folder / "Reg.xlsx", data)
    pack = folder / "GAIN board pack 2024-08.xlsx"
    assert CliRunner().invoke(cli, ["build", str(reg), "-o", str(pack), "--as-of",
                                    "2024-08-01"]).exit_code == 0
    made = iter(range(10**6))

    def forge(name: str):
        copy = folder / f"pack {next(made)}.xlsx"
        copy.write_bytes(pack.read_bytes())
        replace_in_parts(copy, {"<t>Reg.xlsx</t>":
                                f'<t xml:space="preserve">{_xml_text(name)}</t>'})
        return copy
    return folder, forge


PATH_PARTS = st.one_of(st.sampled_from(["Reg.xlsx", "..", ".", "", "sub", "C:", "\\\\server",
                                        "Reg.xlsx\x00", "\x00", "x" * 300, "~$Reg.xlsx",
                                        "GAIN board pack 2024-08.xlsx", " Reg.xlsx"]),
                       st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)),
                               max_size=12))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(PATH_PARTS, min_size=1, max_size=4),
       seps=st.lists(st.sampled_from(["/", "\\", "\\\\", ":"]), min_size=3, max_size=3),
       absolute=st.sampled_from(["", "/", "\\", "C:\\", "\\\\?\\C:\\"]))
def test_a_register_name_recorded_in_a_pack_is_data(runner, forged_packs, parts, seps,
                                                    absolute):
    """Whatever register name a pack records (a path, '..\\..\\x.xlsx', an absolute path,
    a NUL, 300 characters), email drafts the pack: only the name's last part is looked
    for beside the pack, and a name that cannot be a file name is said and ignored."""
    import re

    folder, forge = forged_packs
    recorded = absolute + "".join(p + sep for p, sep in zip(parts, seps))[:-1] \
        if len(parts) > 1 else absolute + parts[0]
    pack = forge(recorded)
    out = pack.with_suffix(".eml")
    r = runner.invoke(cli, ["email", str(pack), "--to", "dcc@force.example", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    assert out.is_file()
    last = re.split(r"[/\\:]", recorded)[-1]
    assert ("using the Settings of Reg.xlsx" in r.stderr) == (last == "Reg.xlsx"), r.stderr
    if recorded and (last in ("", ".", "..") or "\x00" in last or len(last) > 255):
        assert "which is not a file name, so no register's Settings were used" in r.stderr
    elif last == "GAIN board pack 2024-08.xlsx" or last == pack.name:
        assert "which is a board pack, so no register's Settings were used" in r.stderr
    out.unlink()
    pack.unlink()


@pytest.mark.parametrize("recorded, used", [
    ("sub/dir/Reg.xlsx", True), ("..\\..\\Reg.xlsx", True), ("/etc/Reg.xlsx", True),
    ("C:\\Users\\clerk\\Reg.xlsx", True), ("sub/dir/", False), ("Reg.xlsx\x00.txt", False),
    ("../GAIN board pack 2024-08.xlsx", False)])
def test_a_pack_that_records_a_path_for_its_register(runner, forged_packs, recorded, used):
    folder, forge = forged_packs
    pack = forge(recorded)
    r = runner.invoke(cli, ["email", str(pack), "-o", str(pack.with_suffix(".eml"))])
    if used:
        assert r.exit_code == 0, r.stderr
        assert "using the Settings of Reg.xlsx" in r.stderr
        assert parsed(pack.with_suffix(".eml").read_bytes())["To"] == "board@force.example"
    else:           # no register, so no recipients: said as such, not a crash
        assert r.exit_code == 0, r.stderr
        assert "so no register's Settings were used" in r.stderr
        assert "the draft has no recipient" in r.stderr
        assert "To" not in parsed(pack.with_suffix(".eml").read_bytes())
        assert "bug in gain-pack" not in r.stderr


# ---------------------------------------------------------------- the PCC's response

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _response_folder(tmp_path, runner, *formats, ready=True):
    data = base_data()
    data["settings"].update({"Response to": "s55@homeoffice.example; hmicfrs@hmicfrs.example",
                             "Response cc": "office@pcc.example",
                             "Email to": "board@force.example"})
    data["inspections"][0]["PCC comment"] = "Welcome." if ready else None
    reg = write_register(tmp_path / "Inspection register.xlsx", data)
    out = tmp_path / "PCC response INS-1.xlsx"
    r = runner.invoke(cli, ["response", str(reg), "--inspection", "INS-1", "-o", str(out),
                            "--as-of", "2024-02-20", *formats])
    assert r.exit_code == 0, r.stderr
    return reg, out


@pytest.mark.slow
@pytest.mark.parametrize("suffix, mime", [(".docx", DOCX), (".pdf", "application/pdf"),
                                          (".xlsx", XLSX), (".html", "text/html")])
def test_a_response_goes_to_the_home_office_and_hmicfrs(runner, tmp_path, suffix, mime):
    """Every form of the response, the PDF and the web page too, is sent with the
    report's title in the subject and its title and date in the body."""
    _, out = _response_folder(tmp_path, runner, "--docx", "--pdf", "--html")
    file = out.with_suffix(suffix)
    r = runner.invoke(cli, ["email", str(file)])
    assert r.exit_code == 0, r.stderr
    assert "using the Settings of Inspection register.xlsx" in r.stderr   # found beside it
    msg = parsed(file.with_suffix(".eml").read_bytes())
    assert msg["To"] == "s55@homeoffice.example, hmicfrs@hmicfrs.example"
    assert msg["Cc"] == "office@pcc.example"
    # no board-pack marking on a public document, and a subject about the response
    assert msg["Subject"] == ("Response of the Police and Crime Commissioner to HMICFRS: An "
                              "inspection of custody")
    body = msg.get_body(("plain",)).get_content()
    assert "under section 55 of the Police Act 1996" in body and "OFFICIAL" not in body
    assert "- An inspection of custody (published 10 January 2024)" in body
    part = attachment_of(msg)
    assert part.get_content_type() == mime
    assert part.get_payload(decode=True) == file.read_bytes()
    if suffix == ".html":
        assert part.get_content_charset() == "utf-8" and "☒" in part.get_content()


def test_two_registers_beside_a_response_are_not_guessed_between(runner, tmp_path):
    _, out = _response_folder(tmp_path, runner, "--docx")
    import shutil

    shutil.copyfile(tmp_path / "Inspection register.xlsx", tmp_path / "Old register.xlsx")
    r = runner.invoke(cli, ["email", str(out.with_suffix(".docx"))])
    assert r.exit_code == 0, r.stderr      # a draft, unaddressed: neither is guessed
    assert ("several registers are beside PCC response INS-1.docx (Inspection register.xlsx, "
            "Old register.xlsx); pass --register") in r.stderr
    assert "the draft of the response has no recipient" in r.stderr
    assert "To" not in parsed(out.with_suffix(".eml").read_bytes())
    r = runner.invoke(cli, ["email", str(out.with_suffix(".docx")), "--register",
                            str(tmp_path / "Old register.xlsx")])
    assert r.exit_code == 0, r.stderr
    assert parsed(out.with_suffix(".eml").read_bytes())["To"]


def test_a_response_email_without_recipients_says_which_setting(runner, tmp_path):
    reg, out = _response_folder(tmp_path, runner, "--docx")
    import openpyxl

    wb = openpyxl.load_workbook(reg)
    ws = wb["Settings"]
    for row in ws.iter_rows():
        if row[0].value in ("Response to", "Response cc"):
            row[1].value = None
    wb.save(reg)
    draft = out.with_suffix(".eml")
    r = runner.invoke(cli, ["email", str(out.with_suffix(".docx")), "--send", "--smtp-host",
                            "127.0.0.1", "--smtp-port", str(free_port())])
    assert r.exit_code == 2
    assert ("No recipients for the response: fill in 'Response to' on the register's "
            "Settings sheet") in r.stderr
    assert not draft.exists()
    # a draft is written unaddressed, saying which Setting would address it
    r = runner.invoke(cli, ["email", str(out.with_suffix(".docx"))])
    assert r.exit_code == 0, r.stderr
    assert ("note: the draft of the response has no recipient, so Outlook opens it for you "
            "to address; to have it addressed, fill in 'Response to'") in r.stderr
    msg = parsed(draft.read_bytes())
    assert "To" not in msg and "Cc" not in msg and msg["X-Unsent"] == "1"
    assert attachment_of(msg).get_filename() == out.with_suffix(".docx").name


def test_a_response_with_a_marking_carries_it_in_the_subject(runner, tmp_path):
    data = base_data()
    data["settings"].update({"Response to": "s55@homeoffice.example",
                             "Response marking": "OFFICIAL"})
    reg = write_register(tmp_path / "Inspection register.xlsx", data)
    out = tmp_path / "PCC response INS-1.xlsx"
    r = runner.invoke(cli, ["response", str(reg), "--inspection", "INS-1", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    r = runner.invoke(cli, ["email", str(out), "--register", str(reg), "--dry-run"])
    assert r.exit_code == 0, r.stderr
    assert "Subject: OFFICIAL: Response of the Police and Crime Commissioner to HMICFRS: An " \
           "inspection of custody" in r.stdout


def test_a_damaged_word_or_pdf_file_is_refused(runner, tmp_path):
    for name, data in (("r.docx", b"PK\x03\x04 not really"), ("r.pdf", b"<html>"),
                       ("r.html", b"%PDF-1.4")):
        (tmp_path / name).write_bytes(data)
        r = runner.invoke(cli, ["email", str(tmp_path / name), "--to", "a@x.example"])
        assert r.exit_code == 2 and "is not attached" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr


@pytest.mark.slow
def test_a_working_copy_is_never_sent_as_the_response(runner, tmp_path):
    reg, _ = _response_folder(tmp_path, runner)
    out = tmp_path / "PCC response INS-1 (working copy).xlsx"
    r = runner.invoke(cli, ["response", str(reg), "--inspection", "INS-1", "--working",
                            "--docx", "--pdf", "--html", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    for suffix in (".xlsx", ".docx", ".pdf", ".html"):
        r = runner.invoke(cli, ["email", str(out.with_suffix(suffix)), "--to", "a@x.example"])
        assert r.exit_code == 2, (suffix, r.stderr)
        assert "is the office's working copy of the response" in r.stderr
    assert not list(tmp_path.glob("*.eml"))


def test_the_pcc_is_named_by_office_with_the_and_as_a_person_without():
    from gain_workbook.mail.compose import _the

    assert _the("Police and Crime Commissioner for Cleveland") == \
        "the Police and Crime Commissioner for Cleveland"
    assert _the("the Police and Crime Commissioner") == "the Police and Crime Commissioner"
    assert _the("Mayor of London") == "the Mayor of London"
    assert _the("Steve Turner") == "Steve Turner"
    assert _the("Dr Jane Smith, Police and Crime Commissioner") == \
        "Dr Jane Smith, Police and Crime Commissioner"


def test_a_pdf_is_refused_for_encryption_before_any_password_is_asked(runner, tmp_path,
                                                                      monkeypatch):
    monkeypatch.delenv("GAIN_ATTACHMENT_PASSWORD", raising=False)
    pdf = tmp_path / "PCC response INS-1.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Title (PCC response to HMICFRS inspection) >>\n")
    r = runner.invoke(cli, ["email", str(pdf), "--encrypt", "--to", "ho@example.gov.uk"])
    assert r.exit_code == 2
    assert "A PDF cannot be encrypted this way" in r.stderr
    assert "is needed" not in r.stderr             # no password was asked for
    assert not (tmp_path / "PCC response INS-1.eml").exists()


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".xlsx", ".html"])
def test_a_response_still_marked_to_be_added_is_not_sent(runner, tmp_path, suffix):
    """A trial sent a response with no summary and four items unanswered ('[To be added:
    ...]') to the Home Office and HMICFRS, exit 0, though `response` had just said it was
    not ready. --send now refuses it, saying why; a draft says it is not ready; a gap
    filled in by hand in the file itself is not counted."""
    _, out = _response_folder(tmp_path, runner, "--docx", "--pdf", "--html", ready=False)
    file = out.with_suffix(suffix)
    r = runner.invoke(cli, ["email", str(file), "--send", "--smtp-host", "127.0.0.1",
                            "--smtp-port", "9", "--from", "pcc@pcc.example"])
    assert r.exit_code == 2, r.stderr
    assert "marked '[To be added: ...]', so it is not sent" in r.stderr
    assert "Traceback" not in r.stderr
    d = runner.invoke(cli, ["email", str(file)])
    assert d.exit_code == 0 and "this draft is not ready to send" in d.stderr, d.stderr
    if suffix == ".html":
        text = file.read_text(encoding="utf-8").replace("[To be added", "[Now written")
        file.write_text(text, encoding="utf-8")
        again = runner.invoke(cli, ["email", str(file)])
        assert "not ready" not in again.stderr, again.stderr


def test_a_response_that_cannot_be_read_to_check_it_is_not_sent(runner, tmp_path):
    """Hostile inputs (helper): a truncated or forged PDF passed the gaps check (which
    could not read it, so counted none) and would have gone; Word's split runs hid a
    gap; a .docx whose text node unpacks to 600 MB crashed python-docx (exit 70)."""
    import zipfile

    _, out = _response_folder(tmp_path, runner, "--docx", "--pdf", ready=False)
    send = ["--send", "--smtp-host", "127.0.0.1", "--smtp-port", "9", "--from",
            "pcc@pcc.example"]
    pdf = out.with_suffix(".pdf")
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(pdf.read_bytes()[: len(pdf.read_bytes()) * 9 // 10])
    r = runner.invoke(cli, ["email", str(cut), *send])
    assert r.exit_code == 2 and "cannot be read to check" in r.stderr, r.stderr
    # a gap split over two runs, as Word leaves it after an edit
    docx = out.with_suffix(".docx")
    split, big = tmp_path / "split.docx", tmp_path / "big.docx"
    with zipfile.ZipFile(docx) as z, zipfile.ZipFile(split, "w") as s, \
            zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as b:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "word/document.xml":
                s.writestr(info.filename, data.replace(b"[To be added", b"[To be</w:t></w:r>"
                                              b"<w:proofErr w:type=\"spellStart\"/><w:r>"
                                              b"<w:t xml:space=\"preserve\"> added"))
                b.writestr(info.filename, data.replace(b"</w:body>", b"<w:p><w:r><w:t>"
                                                       + b"x" * (65 * 1024 * 1024)
                                                       + b"</w:t></w:r></w:p></w:body>"))
            else:                # (one ZipInfo cannot serve two archives)
                s.writestr(info.filename, data)
                b.writestr(info.filename, data)
    r = runner.invoke(cli, ["email", str(split), *send])
    assert r.exit_code == 2 and "marked '[To be added: ...]'" in r.stderr, r.stderr
    for args in (["email", str(big)], ["email", str(big), *send]):
        r = runner.invoke(cli, args)
        assert r.exit_code == 2 and "unpacks to 65 MB" in r.stderr, r.stderr
