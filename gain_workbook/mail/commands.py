"""`gain-pack email`: a board pack or a PCC response emailed, as an Outlook draft or
through the force's server; and how a message is sent (a draft, or SMTP with its
password asked for only when a login will be made), which requests and monthly share.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gain_workbook.core.errors import Hint, MailSettingsError, Note
from gain_workbook.core.results import Result


@dataclass(kw_only=True)
class EmailResult(Result):
    message: object             # the email.message.EmailMessage, as sent or drafted
    mail: object                # compose.Mail: recipients, subject, body, attachment
    via: str                    # 'the draft PATH' or 'HOST:PORT (starttls, as USER)'
    outcome: str = ""           # what happened ('' for a dry run)
    draft: bool = True          # an Outlook draft, not sent
    dry_run: bool = False
    encrypted: bool = False


@dataclass
class Letter:
    """A file to email, read once: its bytes, whether it is a PCC response, and (for a
    pack) what its PackInfo sheet says."""

    path: Path
    data: bytes
    response: bool
    info: object = None


def letter(file) -> Letter:
    """The file to email, checked (an attachment that can go) and told apart."""
    from gain_workbook.mail.attachment import check_attachment, is_response, pack_info

    data = check_attachment(file)
    response = is_response(file, data)
    return Letter(Path(file), data, response, None if response else pack_info(file))


def settings_register(sent: Letter, register=None) -> tuple[Path | None, list]:
    """(the register whose Settings the email uses, notes): ``register`` when given; else
    the one a pack names, or the one register beside a response (a response must carry
    nothing internal, so it names none); None when there is none."""
    from gain_workbook.mail.attachment import register_beside

    if register is not None:
        return Path(register), []
    notes: list = []
    if sent.response:
        found = register_beside(sent.path)
        beside = found[0] if len(found) == 1 else None
        if len(found) > 1:
            notes.append(Note(f"several registers are beside {sent.path.name} "
                              f"({', '.join(f.name for f in found[:4])}).",
                              [Hint("register", "; pass {option} to say which one's "
                                                "Settings to use")]))
    else:
        beside = _recorded_register(sent.path, sent.info, notes)
    if beside is not None and _is_file(beside):
        notes.append(f"using the Settings of {beside.name}")
        return beside, notes
    return None, notes


def _recorded_register(pack: Path, info, notes: list) -> Path | None:
    """The register a pack names, beside it (None if it names none); what it names is
    data, so only a file name is taken from it, and one that is not a file name, or
    names a board pack, is said in ``notes`` and not used."""
    from gain_workbook.core.text import one_line, shorten
    from gain_workbook.excel.packfile import is_pack
    from gain_workbook.mail.attachment import sheet_names

    if info is None or not info.register:
        return None
    name = info.register_file
    why = "is not a file name"
    if name is not None:
        beside = pack.with_name(name)
        if not _is_file(beside) or not is_pack(sheet_names(beside)):
            return beside
        why = "is a board pack"
    notes.append(f"the pack names its register '{one_line(shorten(info.register))}', which "
                 f"{why}, so no register's Settings were used")
    return None


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False for a name the system refuses (too long ...)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def secret(value, what: str) -> str:
    """A password given as a string, or by a function called with ``what`` (which
    password) now that it is needed."""
    value = value(what) if callable(value) else value
    if not value:
        raise MailSettingsError(f"{what} is needed and none was given.")
    return value


def email(sent: Letter, settings, *, subject=None, body_template=None, output=None,
          encrypt=False, attachment_password=None, dry_run=False, notes=(),
          sending) -> EmailResult:
    """Compose, then draft or send (``sending``: the options that say how, as for
    :func:`transport`, with ``to``, ``cc`` and ``smtp_password``)."""
    from gain_workbook.mail.attachment import encrypt_xlsx
    from gain_workbook.mail.compose import build_message, compose, compose_response

    sending = dict(sending)
    password = sending.pop("smtp_password", None)
    to, cc = sending.pop("to", ()), sending.pop("cc", ())
    data = sent.data
    if encrypt:
        if sent.path.suffix.lower() == ".pdf":
            from gain_workbook.core.errors import InputError

            raise InputError("A PDF cannot be encrypted this way; only .xlsx and .docx files "
                             "can be password-protected.")
        data = encrypt_xlsx(data, secret(attachment_password, "A password for the attachment"))
    body = None
    if body_template:
        from gain_workbook.core.files import protect
        from gain_workbook.core.wording import read_wording_file

        protect(body_template, "the email template")
        body = read_wording_file(body_template, "the email template")
    if sent.response:
        mail = compose_response(sent.path, settings, to=to, cc=cc, subject=subject,
                                body_template=body, attachment=data)
    else:
        mail = compose(sent.path, settings, to=to, cc=cc, subject=subject, body_template=body,
                       attachment=data, info=sent.info, encrypted=encrypt, notes=notes)
    draft_path = Path(output) if output else sent.path.with_suffix(".eml")
    way, via = transport(settings, draft_path, password, dry_run, **sending)
    msg = build_message(mail, draft=way.draft, sender=way.sender)
    res = EmailResult(message=msg, mail=mail, via=via, draft=way.draft, dry_run=dry_run,
                      encrypted=encrypt, warnings=list(mail.warnings))
    if not dry_run:
        res.outcome = way.send(msg)
    return res


def transport(settings, draft_path, password, dry_run, send=False, smtp_host=None,
              smtp_port=None, smtp_security=None, smtp_user=None, sender=None, cafile=None,
              timeout=30.0):
    """(transport, how it goes): a draft, or SMTP (its password asked for only when a
    login will be made)."""
    from gain_workbook.mail.transports import DraftTransport, SMTPTransport, smtp_settings

    if not send:
        return DraftTransport(draft_path), f"the draft {draft_path}"
    cfg = smtp_settings(settings, host=smtp_host, port=smtp_port, security=smtp_security,
                        user=smtp_user, sender=sender, cafile=cafile, timeout=timeout)
    if cfg.user and not dry_run:
        cfg.password = secret(password, f"The password for {cfg.user} on {cfg.host}")
    via = (f"{cfg.host}:{cfg.port} ({cfg.security}"
           f"{', as ' + cfg.user if cfg.user else ''})")
    return SMTPTransport(cfg), via
