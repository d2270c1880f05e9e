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
    info = None if response else pack_info(file)
    if not response and info is None:
        from gain_workbook.core.errors import InputError

        raise InputError(f"'{Path(file).name}' is neither a board pack nor a PCC response "
                         "written by gain-pack, so it is not emailed (the email would call it "
                         "the board pack); email the pack gain-pack build wrote, or a "
                         "response.")
    return Letter(Path(file), data, response, info)


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


SECRET_ARGUMENTS = ("smtp_password", "attachment_password", "client_secret", "ask")


def run_secrets(smtp_password=None, attachment_password=None, client_secret=None,
                ask=None):
    """The secrets of one run (``secrets.Secrets``): each given as a string, or a function
    called with what is needed, or (None) looked up in the keychain, then the environment,
    then ``ask(what, confirm)``."""
    from gain_workbook.mail.secrets import Secrets

    given = {"smtp-password": smtp_password, "attachment-password": attachment_password,
             "client-secret": client_secret}
    return Secrets(given={k: v for k, v in given.items() if v}, ask=ask)


def email(sent: Letter, settings, *, subject=None, body_template=None, output=None,
          encrypt=False, dry_run=False, notes=(), secrets=None, sending) -> EmailResult:
    """Compose, then draft or send (``sending``: the options that say how, as for
    :func:`transport`, with ``to`` and ``cc``, and the passwords as :func:`run_secrets`
    takes them, unless ``secrets`` is given)."""
    from gain_workbook.core.errors import GainError
    from gain_workbook.mail.attachment import encrypt_xlsx
    from gain_workbook.mail.compose import build_message, compose, compose_response

    sending = dict(sending)
    if secrets is None:
        secrets = run_secrets(*(sending.pop(k, None) for k in SECRET_ARGUMENTS))
    to, cc = sending.pop("to", ()), sending.pop("cc", ())
    data = sent.data
    if encrypt:
        if sent.path.suffix.lower() == ".pdf":
            from gain_workbook.core.errors import InputError

            raise InputError("A PDF cannot be encrypted this way; only .xlsx and .docx files "
                             "can be password-protected.")
        data = encrypt_xlsx(data, secrets.get("attachment-password",
                                              "A password for the attachment", confirm=True))
    body = None
    if body_template:
        from gain_workbook.core.files import protect
        from gain_workbook.core.wording import read_wording_file

        protect(body_template, "the email template")
        body = read_wording_file(body_template, "the email template")
    draft = not sending.get("send")
    gaps = _response_gaps(sent, draft)
    if sent.response:
        mail = compose_response(sent.path, settings, to=to, cc=cc, subject=subject,
                                body_template=body, attachment=data, draft=draft)
    else:
        mail = compose(sent.path, settings, to=to, cc=cc, subject=subject, body_template=body,
                       attachment=data, info=sent.info, encrypted=encrypt, notes=notes,
                       draft=draft)
    draft_path = Path(output) if output else sent.path.with_suffix(".eml")
    way, via = transport(settings, draft_path, secrets, dry_run, **sending)
    msg = build_message(mail, draft=way.draft, sender=way.sender)
    res = EmailResult(message=msg, mail=mail, via=via, draft=way.draft, dry_run=dry_run,
                      encrypted=encrypt, warnings=gaps + list(mail.warnings))
    try:
        if not dry_run:
            res.outcome = way.send(msg)
    except GainError as exc:
        exc.notes += secrets.notes            # where a secret came from, before the error
        raise
    res.notes += mail.notes + secrets.notes
    return res


def _response_gaps(sent: Letter, draft: bool) -> list[str]:
    """A response still marked '[To be added: ...]' is not sent to the Home Office and
    HMICFRS (an InputError); as a draft, a warning says what it lacks."""
    from gain_workbook.mail.attachment import gaps_in

    n = gaps_in(sent.path, sent.data) if sent.response else 0
    if n == 0:
        return []
    if n is None:
        what = (f"'{sent.path.name}' cannot be read to check that nothing in it is still to "
                "be added (it may be damaged)")
        fix = "write it again with gain-pack response"
    else:
        them = "them" if n > 1 else "it"
        what = (f"'{sent.path.name}' still has {n} part{'s' if n > 1 else ''} marked "
                "'[To be added: ...]'")
        fix = (f"fill {them} in (in the register, then gain-pack response again; or in the "
               "file itself)")
    if not draft:
        from gain_workbook.core.errors import InputError

        raise InputError(f"{what}, so it is not sent: {fix}, and send it then.")
    return [f"{what}: this draft is not ready to send; {fix} first."]


SEND_BY = ("smtp", "smtp oauth", "graph")


def transport(settings, draft_path, secrets, dry_run, send=False, send_by=None,
              smtp_host=None, smtp_port=None, smtp_security=None, smtp_user=None,
              sender=None, cafile=None, timeout=30.0, sign_in=None):
    """(transport, how it goes): a draft; SMTP with a password (asked for only when a
    login will be made) or none; SMTP with an OAuth token (Microsoft 365); or Microsoft
    Graph. ``send_by`` (else the 'Send by' Setting) chooses; ``secrets`` gives the
    passwords (``secrets.Secrets``); ``sign_in(message)`` shows a person the
    device-code sign-in, where one is needed."""
    from gain_workbook.mail.transports import DraftTransport, SMTPTransport, smtp_settings

    if not send:
        return DraftTransport(draft_path), f"the draft {draft_path}"
    way = (send_by or settings.send_by or "smtp").replace("-", " ").lower()
    if way not in SEND_BY:
        raise MailSettingsError(f"'Send by' must be {', '.join(SEND_BY[:-1])} or "
                                f"{SEND_BY[-1]} (it is '{way}').")
    if way == "smtp":
        cfg = smtp_settings(settings, host=smtp_host, port=smtp_port, security=smtp_security,
                            user=smtp_user, sender=sender, cafile=cafile, timeout=timeout)
        if cfg.user and not dry_run:
            cfg.password = secrets.get("smtp-password",
                                       f"The password for {cfg.user} on {cfg.host}")
        via = (f"{cfg.host}:{cfg.port} ({cfg.security}"
               f"{', as ' + cfg.user if cfg.user else ''})")
        return SMTPTransport(cfg), via
    from gain_workbook.mail.oauth import SMTP_HOST, TokenSource, oauth_settings

    oauth = oauth_settings(settings, sender=sender, cafile=cafile, timeout=timeout)
    service = "graph" if way == "graph" else "smtp"
    tokens = TokenSource(oauth, service, secrets, sign_in=sign_in)
    tokens.notes = secrets.notes
    how = f"{oauth.sign_in} sign-in, tenant {oauth.tenant}"
    if service == "graph":
        from gain_workbook.mail.graph import GraphTransport

        return GraphTransport(oauth, tokens), f"Microsoft Graph as {oauth.mailbox} ({how})"
    cfg = smtp_settings(settings.replace(smtp_host=settings.smtp_host or SMTP_HOST),
                        host=smtp_host, port=smtp_port, security=smtp_security,
                        user=oauth.mailbox, sender=sender or settings.email_from or oauth.mailbox,
                        cafile=cafile, timeout=timeout)
    if cfg.security == "none":
        raise MailSettingsError("An OAuth token is never sent over a connection that is not "
                                "encrypted: set 'SMTP security' to starttls or ssl.")
    cfg.tokens = tokens
    return SMTPTransport(cfg), (f"{cfg.host}:{cfg.port} ({cfg.security}, OAuth as "
                                f"{oauth.mailbox}, {how})")


# ---------------------------------------------------------------- gain-pack secret

@dataclass(kw_only=True)
class SecretResult(Result):
    name: str = ""
    outcome: str = ""
    rows: list = None             # for list: (name, where it would come from, env)


def secret_set(name: str, value: str) -> SecretResult:
    """Store the secret ``name`` in the system keychain (never anywhere else)."""
    from gain_workbook.mail.secrets import keychain, secret_kind

    kind = secret_kind(name)
    if not value:
        raise MailSettingsError(f"No value was given for {kind.what}; nothing was stored.")
    chain = keychain()
    chain.set(name, value)
    return SecretResult(name=name, outcome=f"Stored {kind.what} in the system keychain "
                                           f"({chain.name}) as '{name}'.")


def secret_delete(name: str) -> SecretResult:
    """Remove the secret ``name`` from the system keychain."""
    from gain_workbook.mail.secrets import keychain, secret_kind

    kind = secret_kind(name)
    chain = keychain()
    gone = chain.delete(name)
    return SecretResult(name=name, outcome=(f"Removed {kind.what} from the system keychain."
                                            if gone else f"The system keychain holds no "
                                            f"'{name}'; nothing to remove."))


def secret_list(environ=None) -> SecretResult:
    """Where each secret would come from now, in order (never its value)."""
    import os

    from gain_workbook.mail.secrets import SECRETS, keychain

    environ = os.environ if environ is None else environ
    chain = keychain()
    rows = []
    for name, kind in SECRETS.items():
        if chain.backend is not None and chain.get(name):
            where = f"the system keychain ({chain.name})"
        elif environ.get(kind.env):
            where = f"the environment variable {kind.env}"
        else:
            where = "a hidden prompt (nothing stored)"
        rows.append((name, where, kind.env, kind.what))
    res = SecretResult(rows=rows)
    if chain.missing:
        res.notes.append(f"there is no system keychain here: {chain.missing}.")
    return res
