"""Sending through Microsoft 365 after Basic auth: OAuth 2.0 over SMTP (XOAUTH2) and over
Microsoft Graph, tokens from Entra ID through MSAL, and secrets from the keychain.

Everything runs for real on 127.0.0.1: aiosmtpd with an XOAUTH2 authenticator written
here, MSAL against a local HTTPS token endpoint that answers as Entra ID documents
(tests/m365.py quotes the sources), Graph's sendMail on the same local HTTPS server,
and keyring with its file-based backend (keyrings.alt's EncryptedKeyring) in a
temporary folder. The real services cannot be reached from here.
"""

from __future__ import annotations

import base64
import email
import os
import ssl
import subprocess
import sys
import urllib.parse
from email import policy

import pytest

import m365
from conftest import PASSWORD, Inbox, base_data, free_port, write_register
from gain_workbook.cli import cli
from m365 import CLIENT_ID, CLIENT_SECRET, MAILBOX, TENANT, Microsoft365, error_for


@pytest.fixture
def microsoft(certs):
    server = Microsoft365(*certs)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def pack(tmp_path_factory, example_register):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("m365") / "GAIN board pack 2026-11.xlsx"
    r = CliRunner().invoke(cli, ["build", str(example_register), "-o", str(out), "--as-of",
                                 "2026-11-28", "--meeting", "2026-12-03"])
    assert r.exit_code == 0, r.stderr
    return out


@pytest.fixture
def keychain(tmp_path):
    """keyring's file-based backend, encrypted, in a folder of this test's own."""
    import keyring
    from keyring.backends import fail
    from keyrings.alt.file import EncryptedKeyring

    ring = EncryptedKeyring()
    ring.file_path = str(tmp_path / "keyring" / "crypted_pass.cfg")
    ring.keyring_key = "the keyring file's own passphrase"
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(fail.Keyring())


def long_auth_controller():
    """aiosmtpd's Controller with room for a token: RFC 4954 (section 4) has servers take
    an AUTH command line of 12288 octets, where aiosmtpd's default is 512 bytes."""
    import collections

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    class LongLines(SMTP):
        line_length_limit = 12288 + 2

    class LongAuth(Controller):
        def factory(self):
            smtpd = LongLines(self.handler, **self.SMTP_kwargs)
            smtpd.command_size_limits = collections.defaultdict(lambda: 512, AUTH=12288)
            return smtpd

    return LongAuth


@pytest.fixture
def xoauth2_smtp(certs, microsoft):
    """Start aiosmtpd servers that take XOAUTH2 after STARTTLS (as smtp.office365.com:587
    does); ``only_oauth`` offers no other mechanism, ``refuse`` refuses every token."""
    Controller = long_auth_controller()
    started = []

    def start(only_oauth=True, refuse=False, handler=None):
        inbox = (handler or m365.xoauth2_handler(Inbox, microsoft, refuse=refuse))()
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(str(certs[0]), str(certs[1]))
        port = free_port()
        c = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=ctx,
                       require_starttls=True, auth_require_tls=True,
                       auth_exclude_mechanism=["LOGIN", "PLAIN"] if only_oauth else [],
                       authenticator=lambda *a: __import__("aiosmtpd.smtp").smtp.AuthResult(
                           success=False))
        c.start()
        started.append(c)
        return port, inbox
    yield start
    for c in started:
        c.stop()


def register(tmp_path, microsoft, send_by="smtp oauth", port=None, **more):
    settings = {"Force name": "Example Police", "Email to": "dcc@force.example",
                "Send by": send_by, "Microsoft 365 tenant": TENANT,
                "Microsoft 365 client id": CLIENT_ID, "Microsoft 365 mailbox": MAILBOX,
                "Microsoft 365 sign-in URL": microsoft.url,
                "Microsoft Graph URL": microsoft.url, "SMTP host": "127.0.0.1",
                "SMTP port": port or 587, **more}
    data = base_data()
    data["settings"].update(settings)
    return write_register(tmp_path / "Inspection register.xlsx", data)


def send(runner, pack, reg, certs, *extra, env=None):
    return runner.invoke(cli, ["email", str(pack), "--register", str(reg), "--send",
                               "--cafile", str(certs[0]), "--timeout", "10", *extra],
                         env=env if env is not None else {"GAIN_CLIENT_SECRET": CLIENT_SECRET})


def one_sentence(r) -> str:
    """The error line, checked to be one line with no traceback."""
    lines = [line for line in r.stderr.splitlines() if line.startswith("gain-pack: ")
             and "note:" not in line]
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    return lines[0]


# ---------------------------------------------------------------- SMTP with XOAUTH2

def test_xoauth2_sends_as_the_mailbox_with_the_apps_token(runner, pack, tmp_path, certs,
                                                          microsoft, xoauth2_smtp):
    """A server that offers only XOAUTH2, after STARTTLS: the client-credentials token
    goes in 'user=MAILBOX^Aauth=Bearer TOKEN^A^A', and the message is sent as the mailbox."""
    port, inbox = xoauth2_smtp(only_oauth=True)
    reg = register(tmp_path, microsoft, port=port)
    r = send(runner, pack, reg, certs)
    assert r.exit_code == 0, r.stderr
    assert f"Sent to dcc@force.example through 127.0.0.1:{port}." in r.stdout
    (asked,) = microsoft.token_requests()
    assert asked["grant_type"] == "client_credentials" and asked["client_id"] == CLIENT_ID
    assert asked["scope"] == "https://outlook.office365.com/.default"
    assert asked["client_secret"] == CLIENT_SECRET
    assert inbox.logins == [(MAILBOX, microsoft.issued[0])]
    (sender, rcpts, raw), = inbox.messages
    assert sender == MAILBOX and rcpts == ["dcc@force.example"]
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert msg["From"] == MAILBOX and msg["Message-ID"].endswith("@force.example>")


def test_a_refused_token_says_what_the_administrator_must_do(runner, pack, tmp_path, certs,
                                                             microsoft, xoauth2_smtp):
    port, inbox = xoauth2_smtp(refuse=True)
    r = send(runner, pack, register(tmp_path, microsoft, port=port), certs)
    assert r.exit_code == 2
    line = one_sentence(r)
    assert "refused the OAuth token for gain@force.example (535 5.7.3 Authentication " \
           "unsuccessful" in line
    assert "Microsoft 365 administrator must let the app send as that mailbox" in line
    assert "Add-MailboxPermission" in line and "nothing was sent" in line
    assert inbox.messages == []


def test_a_token_without_the_permission_names_the_permission(runner, pack, tmp_path, certs,
                                                             microsoft, xoauth2_smtp):
    """Entra gave a token with no SMTP.SendAsApp role (the permission never added): the
    refusal is explained by the token's own roles."""
    microsoft.roles = []
    port, inbox = xoauth2_smtp(refuse=True)
    r = send(runner, pack, register(tmp_path, microsoft, port=port), certs)
    assert r.exit_code == 2
    assert f"The app registration {CLIENT_ID} does not have the SMTP.SendAsApp permission: " \
           "the force's Microsoft 365 administrator must add it (Office 365 Exchange Online, " \
           "application permission) and grant admin consent" in one_sentence(r)


def test_a_server_that_offers_no_xoauth2(runner, pack, tmp_path, certs, microsoft,
                                         smtp_server):
    port, inbox = smtp_server(tls=True, auth=True)        # LOGIN and PLAIN only
    r = send(runner, pack, register(tmp_path, microsoft, port=port), certs)
    assert r.exit_code == 2
    assert "does not offer OAuth sign-in (XOAUTH2; it offers LOGIN PLAIN)" in one_sentence(r)
    assert inbox.messages == []


def test_a_token_is_never_sent_unencrypted(runner, pack, tmp_path, certs, microsoft):
    reg = register(tmp_path, microsoft, **{"SMTP security": "none"})
    r = send(runner, pack, reg, certs)
    assert r.exit_code == 2 and "never sent over a connection that is not encrypted" in r.stderr
    assert microsoft.requests == []                       # not even a token was asked for


class BasicRefused(Inbox):
    """Exchange Online after Basic auth is retired: AUTH PLAIN/LOGIN answered with the
    reply the Exchange team published ('550 5.7.30 Basic authentication is not supported
    for Client Submission.', techcommunity.microsoft.com, quoted in OpenCTI issue 12069)."""

    reply = "550 5.7.30 Basic authentication is not supported for Client Submission."

    async def auth_PLAIN(self, server, args):
        from aiosmtpd.smtp import AuthResult

        return AuthResult(success=False, handled=False, message=self.reply)

    auth_LOGIN = auth_PLAIN


class SmtpAuthOff(BasicRefused):
    """SMTP AUTH off for the mailbox (Exchange Online's 'Enable or disable SMTP AUTH')."""

    reply = ("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled "
             "for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.")


class SendAsDenied(Inbox):
    """The mailbox may log in but not send as the From address (the NDR Exchange Online
    gives: 554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException)."""

    async def handle_DATA(self, server, session, envelope):
        return ("554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiException"
                "SendAsDenied; Failed to process message due to a permanent exception with "
                "message Cannot submit message.")


@pytest.mark.parametrize("handler, words", [
    (BasicRefused, "Microsoft 365 no longer takes a password at 127.0.0.1:{port} (550 5.7.30 "
                   "Basic authentication is not supported for Client Submission.): set 'Send "
                   "by' on the Settings sheet to smtp oauth (or graph), for which the force's "
                   "Microsoft 365 administrator must register the app"),
    (SmtpAuthOff, "SMTP AUTH is turned off for clerk (535 5.7.139 Authentication "
                  "unsuccessful, SmtpClientAuthentication is disabled for the Mailbox."),
])
def test_microsoft_365_refusing_basic_auth_is_one_sentence(runner, pack, certs, handler,
                                                           words):
    from aiosmtpd.controller import Controller

    port = free_port()
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(str(certs[0]), str(certs[1]))
    c = Controller(handler(), hostname="127.0.0.1", port=port, tls_context=ctx,
                   auth_require_tls=True)
    c.start()
    try:
        r = runner.invoke(cli, ["email", str(pack), "--to", "dcc@force.example", "--send",
                                "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                                "--smtp-user", "clerk", "--from", "clerk@force.example",
                                "--cafile", str(certs[0])], env={"GAIN_SMTP_PASSWORD": PASSWORD})
    finally:
        c.stop()
    assert r.exit_code == 2
    assert words.format(port=port) in one_sentence(r)


def test_a_mailbox_that_may_not_send_as_the_sender(runner, pack, tmp_path, certs, microsoft,
                                                   xoauth2_smtp):
    port, inbox = xoauth2_smtp(handler=m365.xoauth2_handler(SendAsDenied, microsoft))
    r = send(runner, pack, register(tmp_path, microsoft, port=port), certs)
    assert r.exit_code == 2
    assert "Microsoft 365 would not let gain@force.example send as the From address (554 " \
           "5.2.0" in one_sentence(r) and "give gain@force.example Send As on it" in r.stderr


# ---------------------------------------------------------------- Entra's refusals

@pytest.mark.parametrize("code, words", [
    (7000215, "Microsoft Entra ID refused the sign-in (AADSTS7000215): the client secret is "
              "not the app registration's"),
    (7000222, "(AADSTS7000222): the client secret of the app registration "
              f"{CLIENT_ID} has expired: the force's Microsoft 365 administrator must make a "
              "new one (Certificates & secrets), and you store it with `gain-pack secret set "
              "client-secret`"),
    (65001, f"(AADSTS65001): the app registration {CLIENT_ID} has not been given consent for "
            "SMTP.SendAsApp: the force's Microsoft 365 administrator must grant admin consent"),
    (700016, f"(AADSTS700016): there is no app registration {CLIENT_ID} in the tenant "
             f"{TENANT}"),
    (50173, "(AADSTS50173): the saved Microsoft 365 sign-in of gain@force.example was revoked"),
    (9999999, "(AADSTS9999999): AADSTS9999999: A new code Microsoft has added since this was "
              "written.; the force's Microsoft 365 administrator must look the code up"),
])
def test_entras_refusals_say_what_to_do(runner, pack, tmp_path, certs, microsoft, code,
                                        words, xoauth2_smtp):
    port, inbox = xoauth2_smtp()
    microsoft.answers["client_credentials"] = [error_for(code)]
    r = send(runner, pack, register(tmp_path, microsoft, port=port), certs)
    assert r.exit_code == 2
    line = one_sentence(r)
    assert words in line and line.endswith("nothing was sent.")
    assert "Trace ID" not in line and inbox.logins == []


def test_a_tenant_that_does_not_exist(runner, pack, tmp_path, certs, microsoft):
    reg = register(tmp_path, microsoft, **{"Microsoft 365 tenant": "nowhere.example"})
    r = send(runner, pack, reg, certs)
    assert r.exit_code == 2
    assert "The Microsoft 365 tenant 'nowhere.example' was not found" in one_sentence(r)


def test_an_untrusted_sign_in_certificate_is_one_sentence(runner, pack, tmp_path, certs,
                                                          microsoft):
    r = runner.invoke(cli, ["email", str(pack), "--register",
                            str(register(tmp_path, microsoft)), "--send"],
                      env={"GAIN_CLIENT_SECRET": CLIENT_SECRET})
    assert r.exit_code == 2
    assert "presented a certificate that is not trusted" in one_sentence(r)
    assert "--cafile" in r.stderr


def test_missing_tenant_or_client_id_is_a_setting_to_fill_in(runner, pack, tmp_path, certs,
                                                             microsoft):
    reg = register(tmp_path, microsoft, **{"Microsoft 365 tenant": "",
                                           "Microsoft 365 client id": ""})
    r = send(runner, pack, reg, certs)
    assert r.exit_code == 2
    assert "needs Microsoft 365 tenant and Microsoft 365 client id on the Settings sheet" in r.stderr


# ---------------------------------------------------------------- a person's sign-in

@pytest.mark.slow
def test_device_code_once_then_the_saved_sign_in(tmp_path, pack, certs, microsoft,
                                                  xoauth2_smtp, monkeypatch):
    """The first run shows the device code and waits for the sign-in (Entra says
    authorization_pending once); the sign-in is kept in a file encrypted with
    GAIN_TOKEN_CACHE_KEY (no Secret Service here), and the next run, with nobody to
    show a code to, signs in silently from it."""
    from gain_workbook import api

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")   # no libsecret
    monkeypatch.setenv("GAIN_TOKEN_CACHE_KEY", "a long random key for the token cache")
    port, inbox = xoauth2_smtp()
    reg = register(tmp_path, microsoft, port=port, **{"Microsoft 365 sign-in": "device code"})
    # v2-oauth2-device-code: "authorization_pending: The user hasn't finished authenticating"
    microsoft.answers["urn:ietf:params:oauth:grant-type:device_code"] = [m365.entra_error(
        "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is "
        "pending. Continue polling.")]
    shown = []
    res = api.email(pack, register=reg, send=True, cafile=certs[0], timeout=10,
                    sign_in=shown.append)
    assert shown and "enter the code GAINPACK1" in shown[0] and MAILBOX in shown[0]
    assert "through 127.0.0.1" in res.outcome and len(inbox.messages) == 1
    asked = microsoft.token_requests()
    assert [a["grant_type"] for a in asked] == ["urn:ietf:params:oauth:grant-type:device_code"] * 2
    (code_request,) = [q for q in microsoft.requests if q["path"].endswith("/devicecode")]
    scopes = dict(urllib.parse.parse_qsl(code_request["body"].decode()))["scope"].split()
    assert "https://outlook.office.com/SMTP.Send" in scopes and "offline_access" in scopes
    cache = tmp_path / "cache" / "gain-pack" / "msal-token-cache.enc"
    data = cache.read_bytes()
    assert data.startswith(b"gain-pack token cache 1\n")
    assert microsoft.refresh_tokens[0].encode() not in data and b"access_token" not in data
    assert oct(cache.stat().st_mode & 0o777) == "0o600"

    res = api.email(pack, register=reg, send=True, cafile=certs[0], timeout=10, sign_in=None)
    assert "through 127.0.0.1" in res.outcome and len(inbox.messages) == 2
    assert len(microsoft.token_requests()) == 2          # the cached token; Entra not asked

    # a sign-in that expired unused, with nobody at the terminal: one sentence
    (cache.parent / "msal-token-cache.enc").unlink()
    res = None
    monkeypatch.setenv("GAIN_TOKEN_CACHE_KEY", "another key")
    from gain_workbook.core.errors import MailSettingsError

    with pytest.raises(MailSettingsError, match="needs gain@force.example to sign in once, at "
                                                "a terminal"):
        api.email(pack, register=reg, send=True, cafile=certs[0], timeout=10)


@pytest.mark.slow
def test_an_expired_saved_sign_in_is_one_sentence(tmp_path, pack, certs, microsoft,
                                                  xoauth2_smtp, monkeypatch):
    from gain_workbook import api
    from gain_workbook.core.errors import MailSettingsError
    from gain_workbook.mail.oauth import token_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
    monkeypatch.setenv("GAIN_TOKEN_CACHE_KEY", "k" * 40)
    port, inbox = xoauth2_smtp()
    reg = register(tmp_path, microsoft, port=port, **{"Microsoft 365 sign-in": "device code"})
    api.email(pack, register=reg, send=True, cafile=certs[0], timeout=10, sign_in=[].append)
    cache, _ = token_cache()
    for at in list(cache.search(cache.CredentialType.ACCESS_TOKEN)):   # make the access token old
        cache.remove_at(at)
    microsoft.answers["refresh_token"] = [error_for(700082)]
    with pytest.raises(MailSettingsError) as err:
        api.email(pack, register=reg, send=True, cafile=certs[0], timeout=10)
    assert "(AADSTS700082): the saved Microsoft 365 sign-in of gain@force.example expired " \
           "unused: sign in again at a terminal; nothing was sent." in str(err.value)


def test_without_a_keychain_or_a_key_the_sign_in_is_kept_in_memory(tmp_path, monkeypatch):
    from gain_workbook.mail.oauth import token_cache

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
    monkeypatch.delenv("GAIN_TOKEN_CACHE_KEY", raising=False)
    cache, note = token_cache(tmp_path)
    assert "kept only for this run; set GAIN_TOKEN_CACHE_KEY" in note
    assert list(tmp_path.iterdir()) == []                 # no file, plain or otherwise


# ---------------------------------------------------------------- Microsoft Graph

def test_graph_sendmail_posts_the_mime_base64(runner, pack, tmp_path, certs, microsoft):
    reg = register(tmp_path, microsoft, send_by="graph")
    r = send(runner, pack, reg, certs)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == f"Sent to dcc@force.example through Microsoft Graph as {MAILBOX}."
    token_req, = microsoft.token_requests()
    assert token_req["scope"] == "https://graph.microsoft.com/.default"
    (post,) = [q for q in microsoft.requests if q["path"].startswith("/v1.0/")]
    assert post["method"] == "POST" and post["path"] == f"/v1.0/users/{MAILBOX}/sendMail"
    assert post["headers"]["Authorization"] == f"Bearer {microsoft.issued[0]}"
    assert post["headers"]["Content-Type"] == "text/plain"
    msg = email.message_from_bytes(base64.b64decode(post["body"], validate=True),
                                   policy=policy.default)
    assert msg["From"] == MAILBOX and msg["To"] == "dcc@force.example"
    assert msg["Subject"] == "OFFICIAL-SENSITIVE: GAIN Board pack November 2026"
    assert msg["X-Unsent"] is None and msg["Message-ID"]
    (part,) = msg.iter_attachments()
    assert part.get_content() == pack.read_bytes()


@pytest.mark.parametrize("answer, words", [
    # Graph's error body (learn.microsoft.com/graph/errors) when an application access
    # policy leaves the mailbox out
    ((403, {"error": {"code": "ErrorAccessDenied", "message": "Access to OData is disabled: "
                      "[RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings."}}),
     "Microsoft Graph would not let the app send as gain@force.example (403 ErrorAccessDenied"),
    ((404, {"error": {"code": "ErrorInvalidUser", "message": "The requested user "
                      "'gain@force.example' is invalid."}}),
     "Microsoft Graph has no mailbox gain@force.example to send from"),
    ((401, {"error": {"code": "InvalidAuthenticationToken", "message": "Access token "
                      "validation failure. Invalid audience."}}),
     "Microsoft Graph refused the token (401 InvalidAuthenticationToken"),
])
def test_graphs_refusals_are_one_sentence(runner, pack, tmp_path, certs, microsoft, answer,
                                          words):
    microsoft.graph_answer = answer
    r = send(runner, pack, register(tmp_path, microsoft, send_by="graph"), certs)
    assert r.exit_code == 2 and words in one_sentence(r)


def test_graph_without_mail_send_names_the_permission(runner, pack, tmp_path, certs,
                                                      microsoft):
    microsoft.roles = ["User.Read.All"]
    microsoft.graph_answer = (403, {"error": {"code": "ErrorAccessDenied",
                                              "message": "Access is denied. Check credentials "
                                                         "and try again."}})
    r = send(runner, pack, register(tmp_path, microsoft, send_by="graph"), certs)
    assert r.exit_code == 2
    assert "does not have the Mail.Send permission" in one_sentence(r)
    assert "(Microsoft Graph, application permission)" in r.stderr


def test_over_graphs_4_mb_nothing_is_sent(microsoft, certs):
    """Refused before anything goes out: not even a token is asked for."""
    from email.message import EmailMessage

    from gain_workbook.core.errors import MailSettingsError
    from gain_workbook.mail.graph import GraphTransport
    from gain_workbook.mail.oauth import OAuthSettings, TokenSource
    from gain_workbook.mail.secrets import Secrets

    cfg = OAuthSettings(tenant=TENANT, client_id=CLIENT_ID, mailbox=MAILBOX,
                        login_url=microsoft.url, graph_url=microsoft.url, cafile=str(certs[0]))
    way = GraphTransport(cfg, TokenSource(cfg, "graph", Secrets(given={
        "client-secret": CLIENT_SECRET})))
    for size, sent in ((2_150_000, True), (2_400_000, False)):   # base64 twice: x1.82
        msg = EmailMessage()
        msg["To"], msg["Subject"] = "dcc@force.example", "big"
        msg.set_content("See attached.")
        msg.add_attachment(os.urandom(size), maintype="application", subtype="octet-stream",
                           filename="big.bin")
        if sent:
            assert "Sent to dcc@force.example" in way.send(msg)
        else:
            before = len(microsoft.requests)
            with pytest.raises(MailSettingsError, match=r"over Graph's 4 MB for one request; "
                                                        "nothing was sent"):
                way.send(msg)
            assert len(microsoft.requests) == before


@pytest.mark.slow
def test_monthly_sends_by_the_settings_sheet(tmp_path, certs, microsoft, xoauth2_smtp):
    """`monthly --send` goes as 'Send by' says: graph, then smtp oauth."""
    port, inbox = xoauth2_smtp()
    for way, check in (("graph", lambda: len(microsoft.received) == 1),
                       ("smtp oauth", lambda: len(inbox.messages) == 1)):
        folder = tmp_path / way
        folder.mkdir()
        reg = register(folder, microsoft, send_by=way, port=port)
        out = subprocess.run([sys.executable, "-m", "gain_workbook", "monthly", str(reg),
                              "--as-of", "2024-02-20", "--send", "--cafile", str(certs[0])],
                             capture_output=True, text=True, cwd=folder,
                             env={**os.environ, "GAIN_CLIENT_SECRET": CLIENT_SECRET})
        assert out.returncode == 0, out.stderr
        assert check(), way
        assert CLIENT_SECRET not in out.stdout + out.stderr + (folder / "gain-pack.log").read_text()


# ---------------------------------------------------------------- the keychain

def test_secret_set_keeps_it_in_the_keychain_and_send_uses_it(runner, pack, smtp_server,
                                                               keychain, tmp_path):
    r = runner.invoke(cli, ["secret", "set", "smtp-password"], input=PASSWORD + "\n")
    assert r.exit_code == 0, r.stderr
    assert "Stored the password of the SMTP login" in r.stdout
    stored = (tmp_path / "keyring" / "crypted_pass.cfg").read_bytes()
    assert PASSWORD.encode() not in stored and base64.b64encode(PASSWORD.encode()) not in stored
    port, inbox = smtp_server(auth=True)
    r = runner.invoke(cli, ["email", str(pack), "--to", "dcc@force.example", "--send",
                            "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                            "--smtp-security", "none", "--smtp-user", "clerk", "--from",
                            "clerk@force.example"], env={"GAIN_SMTP_PASSWORD": ""})
    assert r.exit_code == 0, r.stderr
    assert len(inbox.messages) == 1 and "note" not in r.stderr
    listed = runner.invoke(cli, ["secret", "list"]).stdout
    assert "smtp-password: the system keychain" in listed
    assert "client-secret: a hidden prompt (nothing stored)" in listed
    r = runner.invoke(cli, ["secret", "delete", "smtp-password"])
    assert r.exit_code == 0 and "Removed the password of the SMTP login" in r.stdout
    assert keychain.get_password("gain-pack", "smtp-password") is None


def test_the_keychain_comes_before_the_environment(runner, pack, tmp_path, certs, microsoft,
                                                   keychain):
    keychain.set_password("gain-pack", "client-secret", CLIENT_SECRET)
    r = send(runner, pack, register(tmp_path, microsoft, send_by="graph"), certs,
             env={"GAIN_CLIENT_SECRET": "an old secret"})
    assert r.exit_code == 0, r.stderr
    assert microsoft.token_requests()[0]["client_secret"] == CLIENT_SECRET


def test_no_keychain_is_said_plainly_and_nothing_is_stored(runner, pack, smtp_server,
                                                           tmp_path):
    r = runner.invoke(cli, ["secret", "set", "client-secret"], input="x\n")
    assert r.exit_code == 2
    assert "There is no system keychain here: no Windows Credential Manager, macOS Keychain " \
           "or Secret Service for this session" in r.stderr and "Nothing was stored" in r.stderr
    port, inbox = smtp_server(auth=True)
    r = runner.invoke(cli, ["email", str(pack), "--to", "dcc@force.example", "--send",
                            "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                            "--smtp-security", "none", "--smtp-user", "clerk", "--from",
                            "clerk@force.example"], env={"GAIN_SMTP_PASSWORD": PASSWORD})
    assert r.exit_code == 0
    assert "gain-pack: note: there is no system keychain here" in r.stderr
    assert "came from the environment variable GAIN_SMTP_PASSWORD" in r.stderr


def test_a_plain_text_keyring_is_never_used(runner, tmp_path):
    import keyring
    from keyring.backends import fail
    from keyrings.alt.file import PlaintextKeyring

    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "plain.cfg")
    keyring.set_keyring(ring)
    try:
        r = runner.invoke(cli, ["secret", "set", "smtp-password"], input="hunter2\n")
    finally:
        keyring.set_keyring(fail.Keyring())
    assert r.exit_code == 2
    assert "keeps secrets in a plain-text file, which gain-pack does not use" in r.stderr
    assert not (tmp_path / "plain.cfg").exists()


def test_an_unknown_secret_name_lists_the_names(runner, keychain):
    r = runner.invoke(cli, ["secret", "set", "password"], input="x\n")
    assert r.exit_code == 2
    assert "There is no secret called 'password'; the secrets are smtp-password, " \
           "client-secret, certificate-password, attachment-password." in r.stderr


def test_the_help_names_every_secret_and_where_it_comes_from(runner):
    from gain_workbook.mail.secrets import SECRETS

    text = runner.invoke(cli, ["secret", "--help"]).stdout
    assert all(name in text for name in SECRETS)
    email_help = " ".join(runner.invoke(cli, ["email", "--help"]).stdout.split())
    assert "the system keychain (`gain-pack secret set NAME`), then the environment variable" \
           in email_help


# ---------------------------------------------------------------- no secret anywhere

def test_no_secret_in_any_message_log_line_or_traceback(runner, pack, tmp_path, certs,
                                                        microsoft, xoauth2_smtp, keychain):
    """Every sentence, note, log line, draft and --debug traceback of runs that use the
    secrets (and fail after using them) is searched for them and for the tokens."""
    keychain.set_password("gain-pack", "client-secret", CLIENT_SECRET)
    keychain.set_password("gain-pack", "attachment-password", "Attach-Pa55-w0rd")
    port, inbox = xoauth2_smtp(refuse=True)
    reg = register(tmp_path, microsoft, port=port)
    said = []
    for extra in ([], ["--encrypt"], ["--dry-run"], ["--send-by", "graph"]):
        r = send(runner, pack, reg, certs, *extra, env={})
        said.append(r.stdout + r.stderr)
    microsoft.answers["client_credentials"] = [error_for(7000215)]
    r = send(runner, pack, reg, certs, env={})
    said.append(r.stdout + r.stderr)
    # the same with --debug in a process of its own: the traceback, as a user would see it
    env = {**os.environ, "GAIN_CLIENT_SECRET": CLIENT_SECRET,
           "GAIN_ATTACHMENT_PASSWORD": "Attach-Pa55-w0rd"}
    for extra in (["--debug"], ["--debug", "--encrypt"]):
        out = subprocess.run([sys.executable, "-m", "gain_workbook", "email", str(pack),
                              "--register", str(reg), "--send", "--cafile", str(certs[0]),
                              *extra], capture_output=True, text=True, env=env, cwd=tmp_path)
        assert out.returncode != 0 and "Traceback" in out.stderr
        said.append(out.stdout + out.stderr)
    out = subprocess.run([sys.executable, "-m", "gain_workbook", "monthly", str(reg), "--as-of",
                          "2024-02-20", "--send", "--cafile", str(certs[0])],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    said += [out.stdout + out.stderr, (tmp_path / "gain-pack.log").read_text()]
    written = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()
                       and "keyring" not in p.parts)
    secrets = [CLIENT_SECRET, "Attach-Pa55-w0rd", *microsoft.issued]
    assert len(microsoft.issued) >= 3 and inbox.logins
    for secret in secrets:
        for text in said:
            assert secret not in text, text
        assert secret.encode() not in written


def test_an_app_certificate_signs_in_instead_of_a_secret(runner, pack, tmp_path, certs,
                                                         microsoft, xoauth2_smtp):
    """'Microsoft 365 certificate' (a .pem with the private key and the certificate): MSAL
    sends a signed client assertion (client_assertion_type jwt-bearer), no secret."""
    import json as _json

    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    port, inbox = xoauth2_smtp()
    pem = tmp_path / "gain-pack app.pem"
    reg = register(tmp_path, microsoft, port=port, **{"Microsoft 365 certificate": str(pem)})
    pem.write_bytes(certs[1].read_bytes() + certs[0].read_bytes())      # an EC key
    r = send(runner, pack, reg, certs, env={})
    assert r.exit_code == 2 and "could not be used (InvalidKeyError" in one_sentence(r)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "gain-pack")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1).not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256()))
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())
                    + cert.public_bytes(serialization.Encoding.PEM))
    r = send(runner, pack, reg, certs, env={})
    assert r.exit_code == 0, r.stderr
    (asked,) = microsoft.token_requests()
    assert "client_secret" not in asked
    assert asked["client_assertion_type"] == \
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    header = asked["client_assertion"].split(".")[0]
    claims = _json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    assert "x5t#S256" in claims or "x5t" in claims
    assert len(inbox.messages) == 1
