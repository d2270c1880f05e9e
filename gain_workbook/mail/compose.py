"""The message: recipients, subject and body for a board pack, a PCC response or an
owner's update request, from options or the register's Settings and the bundled (or
an office's edited) wording; and the MIME message built from it, once, for any
transport."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from pathlib import Path

from gain_workbook.core.errors import Hint, MailSettingsError, Note, SettingsError
from gain_workbook.core.text import TERMINAL_UNSAFE, one_line
from gain_workbook.excel.packfile import HEADLINE, PackInfo
from gain_workbook.mail.attachment import (MIME_TYPES, XLSX_TYPE, size_warnings,
                                           check_attachment, pack_info, response_facts)

BODY_TEMPLATE = "email_body.txt"

RESPONSE_BODY_TEMPLATE = "response_email.txt"



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
    notes: list = field(default_factory=list)     # a draft with no recipient says so


# where a mail's recipients come from: what to fill in when there are none
EMAIL_TO = "fill in 'Email to' on the register's Settings sheet"
RESPONSE_TO = ("fill in 'Response to' on the register's Settings sheet with the Home Office "
               "and HMICFRS addresses")



def compose_response(path, settings, to=(), cc=(), subject=None,
                     body_template: str | None = None, attachment: bytes | None = None,
                     draft: bool = False) -> Mail:
    """The email that sends the PCC's response to the Home Office and HMICFRS ('Response
    to' and 'Response cc' on the Settings sheet); marked only with 'Response marking'.
    A ``draft`` may have no recipient (see :func:`recipients`)."""
    path = Path(path)
    data = attachment if attachment is not None else check_attachment(path)
    to, cc, said = recipients(to or settings.response_to, cc or settings.response_cc,
                              RESPONSE_TO, draft, "the response")
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
    listed = "\n".join(f"- {t} (published {d})" if d else f"- {t}" for t, d in reports) \
        or f"- {path.name}"
    body = _body(body_template, RESPONSE_BODY_TEMPLATE, path.name, {
        "pcc": _the(settings.pcc_name), "force": settings.force_name, "file": path.name,
        "reports": listed, "marking": marking, "signature": signature(settings)})
    return Mail(to, cc, subject, body, data, path.name, size_warnings(data),
                MIME_TYPES[path.suffix.lower()], said)



def _body(edited: str | None, name: str, file: str, values: dict) -> str:
    """An email body: the office's edited template if given, else ours, filled in."""
    from gain_workbook.core.bundled import bundled_text
    from gain_workbook.core.wording import fill

    return fill(edited if edited is not None else bundled_text(name), values, file)



OFFICE_WORDS = ("police", "pcc", "pfcc", "commissioner", "mayor", "deputy mayor", "office")



def _the(name: str) -> str:
    """'the Police and Crime Commissioner for Cleveland', never 'the the ...', and a
    person's name as it is ('Steve Turner', not 'the Steve Turner')."""
    name = str(name).strip()
    if name.lower().startswith("the ") or not name.lower().startswith(OFFICE_WORDS):
        return name
    return f"the {name}"



def addresses(values, what: str) -> tuple:
    """Split and check addresses ('a@x.org; b@y.org' or several options)."""
    from gain_workbook.model.addresses import address_problem, split_addresses

    out = []
    for v in values:
        for a in split_addresses(v):
            why = address_problem(a)
            if why:
                raise SettingsError(f"'{one_line(a)}' in {what} is not an email address: "
                                    f"{why}.")
            out.append(a)
    return tuple(dict.fromkeys(out))



NO_TO_HINTS = (Hint("register", " (and pass {option})"), Hint("to", ", or give {option}"))


def recipients(to, cc, fix: str, draft: bool, what: str = "") -> tuple[tuple, tuple, list]:
    """(the checked To and Cc addresses, notes). ``fix`` says where the To comes from.
    With no To, a message to send is an error; a ``draft`` is written unaddressed (Outlook
    opens it for the clerk to address) and the note says how to have it addressed."""
    to = addresses(to, "the recipients")
    cc = addresses(cc, "the copy list")
    if to:
        return to, cc, []
    if not draft:
        raise MailSettingsError(f"No recipients{' for ' + what if what else ''}: {fix}.",
                                hints=NO_TO_HINTS)
    return to, cc, [Note(f"the draft{' of ' + what if what else ''} has no recipient, so "
                         f"Outlook opens it for you to address; to have it addressed, {fix}.",
                         NO_TO_HINTS)]



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
            info: PackInfo | None = None, encrypted: bool = False, notes=(),
            draft: bool = False) -> Mail:
    """The mail for a workbook: recipients, subject and body from options or Settings;
    a ``draft`` may have no recipient (see :func:`recipients`).

    ``attachment`` and ``info`` (pack_info) may be passed when the caller already has them.
    An ``encrypted`` attachment gets a paragraph saying its password comes separately,
    before the sign-off (the body's last paragraph).
    """
    path = Path(path)
    data = attachment if attachment is not None else check_attachment(path)
    to, cc, said = recipients(to or settings.email_to, cc or settings.email_cc, EMAIL_TO,
                              draft)
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
              # (with no meeting date, 'for the meeting on the next meeting' read wrong)
              "for_meeting": f"for the meeting on {info.meeting}"
              if info is not None and info.meeting else "for the next meeting",
              **{key: head.get(key, "-") for _, key in HEADLINE},
              "signature": signature(settings)}
    body = _body(body_template, BODY_TEMPLATE, path.name, {k: _num(v) for k, v in values.items()})
    extra = [*notes] + ([PASSWORD_NOTE] if encrypted else [])
    if extra:
        paragraphs = body.rstrip().split("\n\n")
        at = max(len(paragraphs) - 1, 1)      # before the sign-off
        paragraphs[at:at] = extra
        body = "\n\n".join(paragraphs) + "\n"
    return Mail(to, cc, subject, body, data, filename or path.name, size_warnings(data),
                notes=said)



def _named(a) -> str:
    """An asked action as its owner knows it: the report (its title beside a short id),
    the item, the action's own ref ('PEEL 2025 (PEEL 2025: An inspection of Northshire
    Police), CoC1-R1, action A2'), not the action's id repeating the item's."""
    from gain_workbook.core.text import shorten

    prefix = f"{a.inspection} {a.item}".strip()
    own = a.action_id[len(prefix):].strip() if a.action_id.startswith(prefix + " ") \
        else a.action_id
    title = one_line(a.title or "")
    report = a.inspection + (f" ({shorten(title, 70)})" if title and title != a.inspection
                             else "")
    return f"{report}, {a.item}, action {own}"


def compose_request(req, settings, *, attachment: bytes, filename: str, reply_by,
                    replies_to: str) -> Mail:
    """The mail that goes with an owner's update request (``chase.OwnerRequest``): to the
    owner, their escalation contact copied when escalated, the actions named in words."""
    from gain_workbook.core.dates import long_date, uk_date
    from gain_workbook.core.text import plural

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
        lines = [f"- {_named(a)}: {one_line(a.action_text)[:150]} (due "
                 f"{uk_date(a.revised_due or a.due) or 'date not set'}, {a.when})"
                 for a in actions]
        return title + "\n" + "\n".join(lines)

    if req.overdue:
        paras.append(listed("Overdue:", req.overdue))
    if req.due_soon:
        paras.append(listed(f"Due in the next {settings.due_soon_days} days:", req.due_soon))
    # counted as the actions not listed above, and said as 'also ... other' only when
    # some are: a draft listing none said 'also lists 3 other' of an owner's 3 actions
    others = sum(1 for a in req.actions if not (a.overdue or a.due_soon))
    if others == n:
        paras.append(f"{'It is not' if n == 1 else 'None of them is'} overdue or due in "
                     f"the next {settings.due_soon_days} days.")
    elif others:
        paras.append(f"The workbook also lists {plural(others, 'other open action')}.")
    if req.escalated:
        paras.append(f"{', '.join(cc)} {'is' if len(cc) == 1 else 'are'} copied because an "
                     f"action is more than {settings.escalate_days} days overdue.")
    paras.append(signature(settings))
    return Mail(to, cc, subject, "\n\n".join(paras) + "\n", attachment, filename,
                size_warnings(attachment))



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
    if mail.to:       # a draft may have none: Outlook opens it for the clerk to address
        msg["To"] = ", ".join(header_value(a, "A recipient") for a in mail.to)
    if mail.cc:
        msg["Cc"] = ", ".join(header_value(a, "A copy address") for a in mail.cc)
    msg["Subject"] = header_value(mail.subject, "The subject (protective marking and board "
                                                "name)")
    msg.set_content(mail.body)
    # a web page goes as its bytes, saying they are UTF-8 (text/* is ASCII unless told)
    charset = {"charset": "utf-8"} if mail.mime[0] == "text" else None
    msg.add_attachment(mail.attachment, maintype=mail.mime[0], subtype=mail.mime[1],
                       filename=mail.filename, params=charset)
    # the boundary from the content, not at random: the same mail gives the same draft
    import hashlib

    digest = hashlib.sha256(mail.body.encode() + mail.attachment).hexdigest()[:24]
    msg.set_boundary(f"=_gain-pack_{digest}")
    return msg
