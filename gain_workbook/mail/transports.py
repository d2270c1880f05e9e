"""How a message goes: a ``DraftTransport`` writes an .eml that Outlook opens as an
unsent message (the sender reviews it and sends it from their own mailbox); an
``SMTPTransport`` sends through the force's server, logging in with a password
(Basic authentication, for a server that still takes one) or with an OAuth 2.0 token
(SASL XOAUTH2, for Microsoft 365: ``mail/oauth.py`` gets the token). Passwords come
from the system keychain, an environment variable or a hidden prompt (``mail/secrets.py``)
and are never printed or logged; nor is a token. Microsoft 365's refusals (5.7.30
Basic authentication no longer taken, 5.7.3 a token refused, 5.7.139 SMTP AUTH off for
the mailbox, SendAsDenied) each become one sentence saying what its administrator must
do.

Errors are typed: ``MailSettingsError`` (exit 2: host, port, TLS, certificate or
credentials need changing) and ``DeliveryError`` (exit 1: the server was reached
but the message did not get through, or only partly).
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import make_msgid
from pathlib import Path

from gain_workbook.core.errors import DeliveryError, Hint, MailSettingsError
from gain_workbook.core.text import one_line
from gain_workbook.mail.compose import addresses, header_value

class DraftTransport:
    """Writes the message as an .eml draft (CRLF line ends) for Outlook to open."""

    draft = True
    sender = ""

    def __init__(self, path):
        self.path = Path(path)

    def send(self, msg: EmailMessage) -> str:
        from gain_workbook.core.files import write_bytes

        write_bytes(self.path, msg.as_bytes(policy=SMTP_POLICY))
        return f"Wrote the draft {self.path}; open it in Outlook, check it and send it."



@dataclass
class SMTPSettings:
    """How to reach the force's mail server."""

    host: str
    port: int = 587
    security: str = "starttls"        # starttls | ssl | none
    user: str = ""
    password: str = ""
    sender: str = ""
    cafile: str | None = None         # extra CA certificates to trust (PEM)
    timeout: float = 30.0
    tokens: object = None             # oauth.TokenSource: log in with XOAUTH2 as ``user``



def smtp_settings(settings, host=None, port=None, security=None, user=None, sender=None,
                  cafile=None, timeout: float = 30.0) -> SMTPSettings:
    """How to reach the server: options where given, else the register's Settings.

    The password is left empty: it comes from the environment or a prompt, never from here.
    """
    host = host or settings.smtp_host
    if not host:
        raise MailSettingsError("No SMTP server: fill in 'SMTP host' on the Settings sheet.",
                                hints=[Hint("register", " (and pass {option})"),
                                       Hint("smtp_host", ", or give {option}")])
    security = security or settings.smtp_security
    if security not in ("starttls", "ssl", "none"):
        raise MailSettingsError(f"SMTP security '{security}' is not starttls, ssl or none.")
    user = user if user is not None else settings.smtp_user
    sender = sender or settings.email_from or (user or "")
    if not sender:
        raise MailSettingsError("No sender address: fill in 'Email from' on the Settings sheet.",
                                hints=[Hint("sender", ", or give {option}")])
    header_value(sender, "The sender address ('Email from')")
    header_value(host, "The SMTP host")
    return SMTPSettings(host=host, port=port or settings.smtp_port, security=security,
                        user=user or "", sender=sender, cafile=cafile, timeout=timeout)



class SMTPTransport:
    """Sends through an SMTP server, turning each failure into one plain sentence."""

    draft = False

    def __init__(self, cfg: SMTPSettings):
        self.cfg = cfg
        self.sender = cfg.sender or cfg.user

    def _context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context()
        if self.cfg.cafile:
            ctx.load_verify_locations(cafile=self.cfg.cafile)
        return ctx

    def send(self, msg: EmailMessage) -> str:
        """Send ``msg`` (From, Date and Message-ID set here): what happened, or a typed error."""
        c = self.cfg
        where = f"{c.host}:{c.port}"
        recipients = [a for h in ("To", "Cc") for a in addresses([msg.get(h, "")], h)]
        if c.tokens is not None:
            c.tokens.token()          # before connecting: a sign-in may take minutes
        server = self._connect(where)
        try:
            with _closing(server):
                self._secure_and_login(server, where)
                del msg["From"]
                msg["From"] = c.sender or c.user
                msg["Date"] = _now()
                del msg["Message-ID"]
                msg["Message-ID"] = make_msgid(domain=_domain(c.sender or c.user))
                refused = server.send_message(msg, from_addr=c.sender or c.user,
                                              to_addrs=recipients)
        except smtplib.SMTPException as exc:
            raise _delivery_error(exc, where, c.user or c.sender) from None
        except (socket.timeout, TimeoutError):
            raise DeliveryError(f"The mail server {where} stopped answering; the message may "
                                "not have been sent. Check with the recipients before sending "
                                "again.") from None
        if refused:
            names = ", ".join(refused)
            sent = ", ".join(r for r in recipients if r not in refused)
            raise DeliveryError(f"The mail server refused {names}; the message was sent to "
                                f"{sent} only.")
        return f"Sent to {', '.join(recipients)} through {where}."

    def _connect(self, where: str):
        """The connection to the server (TLS from the start for ssl), or why not."""
        c = self.cfg
        try:
            if c.security == "ssl":
                return smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout,
                                        context=self._context())
            return smtplib.SMTP(c.host, c.port, timeout=c.timeout)
        except ConnectionRefusedError:
            raise MailSettingsError(f"Could not connect to the mail server {where}: connection "
                                    "refused. Check the SMTP host and port; nothing was "
                                    "sent.") from None
        except (socket.timeout, TimeoutError):
            raise DeliveryError(f"The mail server {where} did not answer within "
                                f"{c.timeout:.0f} s; nothing was sent. Try again later.") from None
        except smtplib.SMTPServerDisconnected as exc:
            # smtplib reports a silent server as "Connection unexpectedly closed: timed out"
            if "timed out" in str(exc):
                raise DeliveryError(f"The mail server {where} did not answer within "
                                    f"{c.timeout:.0f} s; nothing was sent. Try again "
                                    "later.") from None
            raise DeliveryError(f"The mail server {where} closed the connection before it said "
                                "hello; nothing was sent. Try again later.") from None
        except ssl.SSLCertVerificationError as exc:
            raise _cert_message(where, exc) from None
        except ssl.SSLError as exc:
            raise MailSettingsError(f"TLS failed with {where} ({exc.reason or exc}); check SMTP "
                                    "security (ssl or starttls) and the port; nothing was "
                                    "sent.") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailSettingsError(f"Could not connect to the mail server {where}: "
                                    f"{_text(getattr(exc, 'strerror', None) or exc)}; nothing "
                                    "was sent.") from None

    def _secure_and_login(self, server, where: str) -> None:
        """STARTTLS when asked for, then the login when there is a user."""
        c = self.cfg
        if c.security == "starttls":
            try:
                server.starttls(context=self._context())
            except ssl.SSLCertVerificationError as exc:
                raise _cert_message(where, exc) from None
            except smtplib.SMTPNotSupportedError:
                raise MailSettingsError(f"The mail server {where} does not offer STARTTLS; "
                                        "set SMTP security to ssl or none; nothing was "
                                        "sent.") from None
            except ssl.SSLError as exc:
                raise MailSettingsError(f"TLS failed with {where} ({exc.reason or exc}); "
                                        "nothing was sent.") from None
        if c.tokens is not None:
            self._xoauth2(server, where)
        elif c.user:
            try:
                server.login(c.user, c.password)
            except smtplib.SMTPAuthenticationError as exc:
                raise _microsoft_365(exc.smtp_code, exc.smtp_error, where, c.user) or \
                    MailSettingsError(f"The mail server {where} refused the login for "
                                      f"'{c.user}' (wrong user name or password); "
                                      "nothing was sent.") from None
            except smtplib.SMTPServerDisconnected:
                # some servers hang up after failed attempts instead of answering 535
                raise MailSettingsError(f"The mail server {where} refused the login for "
                                        f"'{c.user}' (wrong user name or password); "
                                        "nothing was sent.") from None
            except smtplib.SMTPNotSupportedError:
                raise MailSettingsError(f"The mail server {where} does not accept logins "
                                        "here (it may need STARTTLS first); nothing was "
                                        "sent.") from None


    def _xoauth2(self, server, where: str) -> None:
        """SASL XOAUTH2 (RFC 7628's predecessor, as Google and Microsoft define it): the
        initial response is base64 of 'user=MAILBOX^Aauth=Bearer TOKEN^A^A'. A server that
        refuses the token may first send a 334 challenge holding a JSON error, answered
        with an empty line; then 535 follows."""
        c = self.cfg
        server.ehlo_or_helo_if_needed()
        offered = server.esmtp_features.get("auth", "").upper().split()
        if "XOAUTH2" not in offered:
            raise MailSettingsError(f"The mail server {where} does not offer OAuth sign-in "
                                    f"(XOAUTH2; it offers {' '.join(offered) or 'no sign-in'}"
                                    "); check the SMTP host, or set 'Send by' to smtp; "
                                    "nothing was sent.")
        token = c.tokens.token()
        said = []

        def answer(challenge=None):
            if challenge is None:
                return f"user={c.user}\x01auth=Bearer {token}\x01\x01"
            said.append(challenge)
            return ""

        try:
            server.auth("XOAUTH2", answer, initial_response_ok=True)
        except smtplib.SMTPAuthenticationError as exc:
            from gain_workbook.mail.oauth import lacks_permission, permission_error

            if lacks_permission(token, c.tokens.permission):
                raise permission_error(c.tokens.cfg, c.tokens.permission) from None
            raise _microsoft_365(exc.smtp_code, exc.smtp_error, where, c.user, oauth=True) \
                or MailSettingsError(f"The mail server {where} refused the OAuth token for "
                                     f"{c.user} ({exc.smtp_code} {_text(exc.smtp_error)}); "
                                     "nothing was sent.") from None
        except smtplib.SMTPServerDisconnected:
            raise MailSettingsError(f"The mail server {where} hung up on the OAuth sign-in "
                                    f"for {c.user}; nothing was sent.") from None


ADMIN = "the force's Microsoft 365 administrator must"
GUIDE = " (docs/microsoft-365.md)"


def _microsoft_365(code, text, where: str, who: str, oauth: bool = False):
    """Exchange Online's refusals that have a fix, as one sentence each (exit 2), or None.
    The enhanced status codes are Microsoft's (Exchange Online's NDR and SMTP AUTH
    documentation): 5.7.30, 5.7.3, 5.7.139, 5.7.57, and SendAsDenied at 5.2.0/5.7.60."""
    said = f"{code} {_text(text)}"
    upper = said.upper()
    if "5.7.30" in said or "BASIC AUTHENTICATION IS NOT SUPPORTED" in upper:
        return MailSettingsError(f"Microsoft 365 no longer takes a password at {where} ({said}): "
                                 "set 'Send by' on the Settings sheet to smtp oauth (or graph), "
                                 f"for which {ADMIN} register the app{GUIDE}; nothing was sent.")
    if "5.7.139" in said or "SMTPCLIENTAUTHENTICATION IS DISABLED" in upper:
        return MailSettingsError(f"SMTP AUTH is turned off for {who} ({said}): {ADMIN} turn it "
                                 f"on for that one mailbox (Set-CASMailbox -Identity {who} "
                                 "-SmtpClientAuthenticationDisabled $false), or set 'Send by' "
                                 f"to graph{GUIDE}; nothing was sent.")
    if oauth:
        return MailSettingsError(f"Microsoft 365 refused the OAuth token for {who} ({said}): "
                                 f"{ADMIN} let the app send as that mailbox (for an app "
                                 "sign-in: New-ServicePrincipal, then Add-MailboxPermission "
                                 f"{who} FullAccess; and SMTP AUTH on for it){GUIDE}; nothing "
                                 "was sent.")
    if "SENDASDENIED" in upper or "5.7.60" in said:
        return MailSettingsError(f"Microsoft 365 would not let {who} send as the From address "
                                 f"({said}): {ADMIN} give {who} Send As on it, or set 'Email "
                                 f"from' to {who}; nothing was sent.")
    if "5.7.57" in said:
        return MailSettingsError(f"Microsoft 365 at {where} takes mail only after a sign-in "
                                 f"({said}): set 'Send by' to smtp oauth{GUIDE}; nothing was "
                                 "sent.")
    return None


def _delivery_error(exc: smtplib.SMTPException, where: str, who: str = "the mailbox"):
    """The sentence for a failure once connected, in the order smtplib's errors nest."""
    if isinstance(exc, smtplib.SMTPResponseException):
        known = _microsoft_365(exc.smtp_code, exc.smtp_error, where, who)
        if known is not None:
            return known
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        names = ", ".join(exc.recipients)
        return DeliveryError(f"The mail server refused every recipient ({names}); nothing "
                             "was sent.")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return MailSettingsError(f"The mail server refused the sender '{exc.sender}'; set "
                                 "'Email from' on the Settings sheet; nothing was sent.")
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return DeliveryError(f"The mail server {where} closed the connection; the message "
                             "may not have been sent.")
    if isinstance(exc, smtplib.SMTPDataError):
        return DeliveryError(f"The mail server refused the message ({exc.smtp_code} "
                             f"{_text(exc.smtp_error)}); nothing was sent.")
    if isinstance(exc, smtplib.SMTPHeloError):
        return MailSettingsError(f"The mail server {where} refused to talk to this computer "
                                 f"({exc.smtp_code} {_text(exc.smtp_error)}); check the SMTP "
                                 "host and port, or ask IT to allow it; nothing was sent.")
    if isinstance(exc, smtplib.SMTPResponseException):
        return DeliveryError(f"The mail server {where} gave an answer gain-pack cannot use "
                             f"({exc.smtp_code} {_text(exc.smtp_error)}); the message was "
                             "not sent.")
    return DeliveryError(f"The mail server {where} failed ({_text(exc)}); the message "
                         "may not have been sent.")


@contextlib.contextmanager
def _closing(server):
    """Say goodbye, quietly: a server that misbehaved may answer QUIT with an error too,
    which must not replace the error that matters (smtplib's own ``with`` raises it)."""
    try:
        yield server
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()



def _cert_message(where: str, exc) -> MailSettingsError:
    return MailSettingsError(
        f"The mail server {where} presented a certificate that is not trusted "
        f"({getattr(exc, 'verify_message', '') or exc}); nothing was sent. Ask IT for the CA "
        "certificate that signed it.", hints=[Hint("cafile", " and pass it with {option}")])



def _text(v) -> str:
    """A server's answer, shown safely on one line (it may be long, or hold anything)."""
    text = v.decode(errors="replace") if isinstance(v, bytes) else str(v)
    return one_line(text)[:200]



def _domain(address: str) -> str:
    """The sender's mail domain, for the Message-ID (not this computer's name)."""
    domain = str(address).rpartition("@")[2].strip().strip(">")
    return domain if re.fullmatch(r"[A-Za-z0-9.-]+", domain or "") else "gain-pack.invalid"



def _now() -> str:
    from email.utils import formatdate

    return formatdate(localtime=True)
