"""Email the board pack (or a response): an Outlook draft by default, or through SMTP.

The message is built once (``build_message``) and handed to a transport: a
``DraftTransport`` writes an .eml that Outlook opens as an unsent message (the
sender reviews it and sends it from their own mailbox); an ``SMTPTransport`` sends
through the force's server. Passwords come only from an environment variable or a
hidden prompt and are never printed or logged.

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
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import make_msgid
from pathlib import Path

from gain_workbook.errors import (DeliveryError, Hint, InputError,
                                  MailSettingsError, SettingsError, UsageError)
from gain_workbook.packfile import RESPONSE_FIELDS
from gain_workbook.packfile import RESPONSE_TITLE as TITLE
from gain_workbook.packfile import HEADLINE, PackInfo, is_pack, open_workbook, read_info
from gain_workbook.text import TERMINAL_UNSAFE, one_line

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
MIME_TYPES = {".xlsx": XLSX_TYPE,
              ".docx": ("application",
                        "vnd.openxmlformats-officedocument.wordprocessingml.document"),
              ".pdf": ("application", "pdf")}
BODY_TEMPLATE = "email_body.txt"
RESPONSE_BODY_TEMPLATE = "response_email.txt"
LARGE_ATTACHMENT = 10 * 1024 * 1024


@dataclass
class Mail:
    """What goes in the message."""

    to: tuple
    cc: tuple
    subject: str
    body: str
    attachment: bytes
    filename: str
    warnings: list = field(default_factory=list)
    mime: tuple = XLSX_TYPE


def check_attachment(path) -> bytes:
    """The bytes of an .xlsx, .docx or .pdf we can open; anything else is refused with
    one sentence."""
    from gain_workbook.sniff import check_workbook

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in MIME_TYPES:
        raise InputError(f"Only .xlsx workbooks, and responses as .docx or .pdf, are attached; "
                         f"'{path.name}' is none of them.")
    if suffix != ".xlsx":
        return _document_bytes(path)
    # missing, damaged, encrypted, a lock file, a zip bomb ...
    check_workbook(path, role="the workbook to attach")
    import python_calamine as pc

    try:
        pc.CalamineWorkbook.from_path(str(path)).close()
    except Exception:
        raise InputError(f"'{path.name}' cannot be opened as a workbook, so it is not "
                         "attached.") from None
    return path.read_bytes()


def _document_bytes(path: Path) -> bytes:
    """A response as .docx or .pdf: there, a file, and what its name says it is."""
    import io
    import zipfile

    from gain_workbook.files import protect

    protect(path, "the file to attach")
    if not path.is_file():
        raise InputError(f"There is no file '{path}'." if not path.exists() else
                         f"'{path.name}' is not an ordinary file, so it is not attached.")
    data = path.read_bytes()
    if path.suffix.lower() == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise InputError(f"'{path.name}' is not a PDF (it does not start like one), so it "
                             "is not attached.")
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            ok = "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile:
        ok = False
    if not ok:
        raise InputError(f"'{path.name}' cannot be opened as a Word document, so it is not "
                         "attached.")
    return data


def response_facts(path) -> list[tuple[str, str]]:
    """The (title, date published) of each report a response answers, read from its
    details ([] for a PDF, whose text we do not read). Call it on a file
    check_attachment has already let through."""
    path = Path(path)
    if path.suffix.lower() == ".docx":
        import docx

        doc = docx.Document(str(path))
        rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    elif path.suffix.lower() == ".xlsx":
        wb = open_workbook(path)
        rows = [r for name in wb.sheet_names for r in wb.get_sheet_by_name(name).to_python()]
        wb.close()
    else:
        return []
    pairs, title = [], None
    for r in rows:
        if len(r) > 1 and r[0] == RESPONSE_FIELDS[0]:
            title = str(r[1])
        elif len(r) > 1 and r[0] == RESPONSE_FIELDS[1] and title is not None:
            pairs.append((title, str(r[1])))
            title = None
    return pairs


def _xlsx_title(data: bytes) -> str:
    """The title in a workbook's (or Word document's) properties ('' when it has none)."""
    import io
    import zipfile

    from defusedxml import ElementTree

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if "docProps/core.xml" not in zf.namelist():
            return ""
        root = ElementTree.fromstring(zf.read("docProps/core.xml"))
    el = root.find("{http://purl.org/dc/elements/1.1/}title")
    return (el.text or "") if el is not None else ""


def document_title(path, data: bytes) -> str:
    """The title in the properties of a workbook, Word document or PDF, given its name
    and bytes ('' when it has none)."""
    try:
        if Path(path).suffix.lower() == ".pdf":
            return _pdf_title(data)
        return _xlsx_title(data)          # a .docx keeps it in the same part
    except Exception:
        return ""


def _pdf_title(data: bytes) -> str:
    """The document's /Title in a PDF written by LibreOffice from our file: a literal
    (...) or UTF-16 hex <FEFF...>. Bookmarks have a /Title too (the sheet names), so the
    one that is ours is taken."""
    for m in re.finditer(rb"/Title\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", data):
        raw = m.group(1)
        if raw.startswith(b"<"):
            blob = bytes.fromhex(re.sub(rb"\s", b"", raw[1:-1]).decode("ascii"))
            text = blob[2:].decode("utf-16-be", "replace") if blob[:2] == b"\xfe\xff" \
                else blob.decode("latin-1")
        else:
            text = re.sub(rb"\\(.)", rb"\1", raw[1:-1]).decode("latin-1")
        if text.startswith(TITLE):
            return text
    return ""


def is_response(path, data: bytes) -> bool:
    """A response written by gain-pack (``data``: the file's bytes, from check_attachment):
    every .docx or .pdf we attach is one (packs are .xlsx), and an .xlsx whose document
    title says so. A working copy is refused: it is the office's, not for the Home Office."""
    path = Path(path)
    title = document_title(path, data)
    if title.startswith(TITLE) and "working copy" in title:
        raise UsageError(f"'{path.name}' is the office's working copy of the response (owners, "
                         "RAG and the board pack's marking), not for publication, so it is not "
                         "emailed; email the published copy instead (the one 'gain-pack "
                         "response' writes by default).")
    return path.suffix.lower() in (".pdf", ".docx") or title.startswith(TITLE)


def register_beside(path) -> list[Path]:
    """The registers in the folder of ``path``: workbooks with a Settings sheet that are
    not a pack, a response, merge's backup of a register or an Excel lock file (the
    caller uses one when it is alone)."""
    from gain_workbook.history import is_backup

    path = Path(path)
    found = []
    for cand in sorted(path.parent.glob("*.xlsx")):
        if cand.name.startswith("~$") or cand == path or cand.name.startswith("PCC response") \
                or is_backup(cand.name):
            continue
        names = sheet_names(cand)
        if "Settings" in names and not is_pack(names):
            found.append(cand)
    return found


def sheet_names(path) -> list[str]:
    """The sheets of a workbook, read without reading a cell ([] if it cannot be opened)."""
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
        try:
            return list(wb.sheet_names)
        finally:
            wb.close()
    except Exception:
        return []


def compose_response(path, settings, to=(), cc=(), subject=None,
                     body_template: str | None = None, attachment: bytes | None = None) -> Mail:
    """The email that sends the PCC's response to the Home Office and HMICFRS ('Response
    to' and 'Response cc' on the Settings sheet); marked only with 'Response marking'."""
    path = Path(path)
    data = attachment if attachment is not None else check_attachment(path)
    to, cc = recipients(to or settings.response_to, cc or settings.response_cc,
                        "No recipients for the response: fill in 'Response to' on the "
                        "register's Settings sheet (the Home Office and HMICFRS addresses).")
    reports = response_facts(path)
    if subject is None:
        named = reports[0][0] if len(reports) == 1 else ""
        subject = (f"Response of {_the(settings.pcc_name)} to HMICFRS"
                   + (f": {named}" if named else " inspection reports" if len(reports) > 1
                      else ""))
        subject = one_line(subject)
        if len(subject) > 180:
            subject = subject[:177].rstrip() + "..."
    marking = settings.response_marking
    if marking and not subject.upper().startswith(marking.upper()):
        subject = f"{marking}: {subject}"
    listed = "\n".join(f"- {t} (published {d})" for t, d in reports) or f"- {path.name}"
    body = _body(body_template, RESPONSE_BODY_TEMPLATE, path.name, {
        "pcc": _the(settings.pcc_name), "force": settings.force_name, "file": path.name,
        "reports": listed, "marking": marking, "signature": signature(settings)})
    return Mail(to, cc, subject, body, data, path.name, _size_warnings(data),
                MIME_TYPES[path.suffix.lower()])


def _body(edited: str | None, name: str, file: str, values: dict) -> str:
    """An email body: the office's edited template if given, else ours, filled in."""
    from gain_workbook.bundled import bundled_text
    from gain_workbook.wording import fill

    return fill(edited if edited is not None else bundled_text(name), values, file)


# a PCC named by office takes 'the'; one named as a person ('Steve Turner') does not
OFFICE_WORDS = ("police", "pcc", "pfcc", "commissioner", "mayor", "deputy mayor", "office")


def _the(name: str) -> str:
    """'the Police and Crime Commissioner for Cleveland', never 'the the ...', and a
    person's name as it is ('Steve Turner', not 'the Steve Turner')."""
    name = str(name).strip()
    if name.lower().startswith("the ") or not name.lower().startswith(OFFICE_WORDS):
        return name
    return f"the {name}"


def _size_warnings(data: bytes) -> list[str]:
    if len(data) > LARGE_ATTACHMENT:
        return [f"the attachment is {len(data) / 1024 ** 2:.1f} MB; many mail servers "
                "refuse messages over 10 MB"]
    return []


def pack_info(path) -> PackInfo | None:
    """What a board pack says about itself (None for a workbook that is not one)."""
    try:
        return read_info(open_workbook(path), Path(path).name)
    except Exception:
        return None


def addresses(values, what: str) -> tuple:
    """Split and check addresses ('a@x.org; b@y.org' or several options)."""
    from gain_workbook.addresses import address_problem, split_addresses

    out = []
    for v in values:
        for a in split_addresses(v):
            why = address_problem(a)
            if why:
                raise SettingsError(f"'{one_line(a)}' in {what} is not an email address: "
                                    f"{why}.")
            out.append(a)
    return tuple(dict.fromkeys(out))


def recipients(to, cc, none: str) -> tuple[tuple, tuple]:
    """The checked To and Cc addresses; ``none`` is the sentence when there is no To."""
    to = addresses(to, "the recipients")
    cc = addresses(cc, "the copy list")
    if not to:
        raise MailSettingsError(none, hints=[Hint("register", " (and pass {option})"),
                                             Hint("to", ", or give {option}")])
    return to, cc


PASSWORD_NOTE = ("The attachment is protected with a password, which will reach you "
                 "separately; it is not in this email.")


def signature(settings) -> str:
    """The sign-off under the email: the 'Email signature' Setting (' | ' or line breaks
    between its lines), else the board's secretariat."""
    text = str(settings.email_signature or "").strip()
    if not text:
        return f"{settings.board_name} secretariat"
    lines = [line.strip() for part in text.splitlines() for line in part.split(" | ")]
    return "\n".join(line for line in lines if line)


def compose(path, settings, to=(), cc=(), subject=None, body_template: str | None = None,
            attachment: bytes | None = None, filename: str | None = None,
            info: PackInfo | None = None, encrypted: bool = False, notes=()) -> Mail:
    """The mail for a workbook: recipients, subject and body from options or Settings.

    ``attachment`` and ``info`` (pack_info) may be passed when the caller already has them.
    An ``encrypted`` attachment gets a paragraph saying its password comes separately,
    before the sign-off (the body's last paragraph).
    """
    path = Path(path)
    data = attachment if attachment is not None else check_attachment(path)
    to, cc = recipients(to or settings.email_to, cc or settings.email_cc,
                        "No recipients: fill in 'Email to' on the register's Settings sheet.")
    info = pack_info(path) if info is None else info
    month = info.as_of.strftime("%B %Y") if info is not None and info.as_of else ""
    head = info.headline if info is not None else {}
    marking = settings.protective_marking
    if subject is None:
        subject = (f"{settings.board_name} pack {month}".strip() if info is not None
                   else f"{path.stem}")
    if not subject.upper().startswith(marking.upper()):
        subject = f"{marking}: {subject}"
    values = {"board": settings.board_name, "force": settings.force_name, "marking": marking,
              "month": month or "this month", "file": filename or path.name,
              "meeting": (info.meeting if info is not None else "") or "the next meeting",
              **{key: head.get(key, "-") for _, key in HEADLINE},
              "signature": signature(settings)}
    body = _body(body_template, BODY_TEMPLATE, path.name, {k: _num(v) for k, v in values.items()})
    extra = [*notes] + ([PASSWORD_NOTE] if encrypted else [])
    if extra:
        paragraphs = body.rstrip().split("\n\n")
        at = max(len(paragraphs) - 1, 1)      # before the sign-off
        paragraphs[at:at] = extra
        body = "\n\n".join(paragraphs) + "\n"
    return Mail(to, cc, subject, body, data, filename or path.name, _size_warnings(data))


def compose_request(req, settings, *, attachment: bytes, filename: str, reply_by,
                    replies_to: str) -> Mail:
    """The mail that goes with an owner's update request (``chase.OwnerRequest``): to the
    owner, their escalation contact copied when escalated, the actions named in words."""
    from gain_workbook.dates import long_date, uk_date
    from gain_workbook.text import plural

    to = addresses([req.email], f"the Owners sheet's Email for {one_line(req.owner)}")
    cc = addresses(req.copy, f"the Owners sheet's 'Copy when overdue' for {one_line(req.owner)}")
    marking = settings.protective_marking
    subject = f"{marking}: Update request: your HMICFRS actions, reply by {long_date(reply_by)}"
    n = len(req.actions)
    back = f"send it back to {replies_to}" if replies_to else "send it back to me"
    paras = [f"Dear {one_line(req.owner)},",
             f"Please update your {plural(n, 'open HMICFRS action')} for the "
             f"{settings.board_name} by {long_date(reply_by)}: fill in the yellow cells of the "
             f"attached workbook, save it and {back}."]

    def listed(title, actions):
        lines = [f"- {a.inspection} {a.item}, action {a.action_id}: "
                 f"{one_line(a.action_text)[:150]} (due "
                 f"{uk_date(a.revised_due or a.due) or 'date not set'}, {a.when})"
                 for a in actions]
        return title + "\n" + "\n".join(lines)

    if req.overdue:
        paras.append(listed("Overdue:", req.overdue))
    if req.due_soon:
        paras.append(listed(f"Due in the next {settings.due_soon_days} days:", req.due_soon))
    others = n - len(req.overdue) - len(req.due_soon)
    if others:
        paras.append(f"The workbook also lists {plural(others, 'other open action')}.")
    if req.escalated:
        paras.append(f"{', '.join(cc)} {'is' if len(cc) == 1 else 'are'} copied because an "
                     f"action is more than {settings.escalate_days} days overdue.")
    paras.append(signature(settings))
    return Mail(to, cc, subject, "\n\n".join(paras) + "\n", attachment, filename,
                _size_warnings(attachment))


def _num(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def header_value(value: str, what: str) -> str:
    """A value for an email header: one line, no control characters, else one sentence.

    A line break in a Setting such as the marking would otherwise start a header of
    its own (a forged Bcc, say) or stop the message being built at all.
    """
    value = str(value)
    if "\r" in value or "\n" in value or TERMINAL_UNSAFE.search(value):
        raise MailSettingsError(f"{what} cannot go in an email because it holds a line break or "
                                f"a control character: '{one_line(value)[:120]}'; put it on one "
                                "line on the Settings sheet (or in the option) and try again.")
    return value


def build_message(mail: Mail, sender: str = "", draft: bool = True) -> EmailMessage:
    """The MIME message. A draft has X-Unsent: 1 and no From, Date or Message-ID."""
    msg = EmailMessage(policy=SMTP_POLICY)
    if draft:
        msg["X-Unsent"] = "1"
    else:
        msg["From"] = header_value(sender, "The sender address")
    msg["To"] = ", ".join(header_value(a, "A recipient") for a in mail.to)
    if mail.cc:
        msg["Cc"] = ", ".join(header_value(a, "A copy address") for a in mail.cc)
    msg["Subject"] = header_value(mail.subject, "The subject (protective marking and board "
                                                "name)")
    msg.set_content(mail.body)
    msg.add_attachment(mail.attachment, maintype=mail.mime[0], subtype=mail.mime[1],
                       filename=mail.filename)
    # the boundary from the content, not at random: the same mail gives the same draft
    import hashlib

    digest = hashlib.sha256(mail.body.encode() + mail.attachment).hexdigest()[:24]
    msg.set_boundary(f"=_gain-pack_{digest}")
    return msg


def encrypt_xlsx(data: bytes, password: str) -> bytes:
    """The workbook encrypted with Office's own (AES) encryption: Excel asks for the password."""
    import io

    import msoffcrypto.format.ooxml as ooxml

    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


class DraftTransport:
    """Writes the message as an .eml draft (CRLF line ends) for Outlook to open."""

    draft = True
    sender = ""

    def __init__(self, path):
        self.path = Path(path)

    def send(self, msg: EmailMessage) -> str:
        from gain_workbook.files import write_bytes

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
        c = self.cfg
        where = f"{c.host}:{c.port}"
        recipients = [a for h in ("To", "Cc") for a in addresses([msg.get(h, "")], h)]
        try:
            if c.security == "ssl":
                server = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=self._context())
            else:
                server = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
        except ConnectionRefusedError:
            raise MailSettingsError(f"Could not connect to the mail server {where}: connection "
                                    "refused. Check the SMTP host and port; nothing was sent.") from None
        except (socket.timeout, TimeoutError):
            raise DeliveryError(f"The mail server {where} did not answer within "
                                f"{c.timeout:.0f} s; nothing was sent. Try again later.") from None
        except smtplib.SMTPServerDisconnected as exc:
            # smtplib reports a silent server as "Connection unexpectedly closed: timed out"
            if "timed out" in str(exc):
                raise DeliveryError(f"The mail server {where} did not answer within "
                                    f"{c.timeout:.0f} s; nothing was sent. Try again later.") from None
            raise DeliveryError(f"The mail server {where} closed the connection before it said "
                                "hello; nothing was sent. Try again later.") from None
        except ssl.SSLCertVerificationError as exc:
            raise _cert_message(where, exc) from None
        except ssl.SSLError as exc:
            raise MailSettingsError(f"TLS failed with {where} ({exc.reason or exc}); check SMTP "
                                    "security (ssl or starttls) and the port; nothing was sent.") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailSettingsError(f"Could not connect to the mail server {where}: "
                                    f"{_text(getattr(exc, 'strerror', None) or exc)}; nothing "
                                    "was sent.") from None
        try:
            with _closing(server):
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
                if c.user:
                    try:
                        server.login(c.user, c.password)
                    except (smtplib.SMTPAuthenticationError, smtplib.SMTPServerDisconnected):
                        # some servers hang up after failed attempts instead of answering 535
                        raise MailSettingsError(f"The mail server {where} refused the login for "
                                                f"'{c.user}' (wrong user name or password); "
                                                "nothing was sent.") from None
                    except smtplib.SMTPNotSupportedError:
                        raise MailSettingsError(f"The mail server {where} does not accept logins "
                                                "here (it may need STARTTLS first); nothing was "
                                                "sent.") from None
                del msg["From"]
                msg["From"] = c.sender or c.user
                msg["Date"] = _now()
                del msg["Message-ID"]
                msg["Message-ID"] = make_msgid(domain=_domain(c.sender or c.user))
                refused = server.send_message(msg, from_addr=c.sender or c.user,
                                              to_addrs=recipients)
        except smtplib.SMTPRecipientsRefused as exc:
            names = ", ".join(exc.recipients)
            raise DeliveryError(f"The mail server refused every recipient ({names}); nothing "
                                "was sent.") from None
        except smtplib.SMTPSenderRefused as exc:
            raise MailSettingsError(f"The mail server refused the sender '{exc.sender}'; set "
                                    "'Email from' on the Settings sheet; nothing was sent.") from None
        except (socket.timeout, TimeoutError):
            raise DeliveryError(f"The mail server {where} stopped answering; the message may "
                                "not have been sent. Check with the recipients before sending "
                                "again.") from None
        except smtplib.SMTPServerDisconnected:
            raise DeliveryError(f"The mail server {where} closed the connection; the message "
                                "may not have been sent.") from None
        except smtplib.SMTPDataError as exc:
            raise DeliveryError(f"The mail server refused the message ({exc.smtp_code} "
                                f"{_text(exc.smtp_error)}); nothing was sent.") from None
        except smtplib.SMTPHeloError as exc:
            raise MailSettingsError(f"The mail server {where} refused to talk to this computer "
                                    f"({exc.smtp_code} {_text(exc.smtp_error)}); check the SMTP "
                                    "host and port, or ask IT to allow it; nothing was "
                                    "sent.") from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"The mail server {where} gave an answer gain-pack cannot use "
                                f"({exc.smtp_code} {_text(exc.smtp_error)}); the message was "
                                "not sent.") from None
        except smtplib.SMTPException as exc:
            raise DeliveryError(f"The mail server {where} failed ({_text(exc)}); the message "
                                "may not have been sent.") from None
        if refused:
            names = ", ".join(refused)
            sent = ", ".join(r for r in recipients if r not in refused)
            raise DeliveryError(f"The mail server refused {names}; the message was sent to "
                                f"{sent} only.")
        return f"Sent to {', '.join(recipients)} through {where}."


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
