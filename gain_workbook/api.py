"""gain-pack from Python: one function per command, named like it.

Each function takes plain arguments (paths, dates, strings, flags), does what the
command does, and returns a small result (what was written, the counts the command
prints, the problems found). It raises the typed errors of ``core.errors`` for what
stops a job; their ``exit_code`` is the command's. Nothing here prints, prompts or
exits: ``cli`` parses the options, calls one of these and renders its result.

    >>> from gain_workbook import api
    >>> result = api.build("Inspection register.xlsx", as_of=datetime.date(2026, 11, 28))
    >>> result.path
    PosixPath('GAIN board pack 2026-11.xlsx')

Each result has ``notes`` and ``warnings``: sentences the command prints on stderr
after 'gain-pack: note:' and 'gain-pack: warning:'. Arguments are named as the
command's options are, so an error's hint (``core.errors.Hint``) names both.

This module is wiring only: each function is a short sequence of calls into the
package whose feature it is (its ``commands`` module holds the command's policy and
its result). The clock is read here and nowhere below: today for ``as_of``, now for a
backup's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gain_workbook.core.errors import GainError, InvalidRegisterError
from gain_workbook.core.results import Result
from gain_workbook.core.text import plural

__all__ = ["init", "adopt", "add_report", "describe", "validate", "rollup", "requests", "merge",
           "build", "decisions", "response", "email", "secret_set", "secret_delete",
           "secret_list", "monthly"]


def _day(as_of) -> dt.date:
    return as_of or dt.date.today()


def _now(now) -> dt.datetime:
    return now or dt.datetime.now()


# ---------------------------------------------------------------- the register

def init(path, *, force_name: str = "", example: bool = False, force: bool = False):
    """Write a new register (blank, or the worked example) to ``path``."""
    from gain_workbook.register import commands

    return commands.init(path, force_name=force_name, example=example, force=force)


def adopt(register, output, *, force: bool = False):
    """Write ``register`` (any layout describe reads) into our template at ``output``,
    and check the new register."""
    from gain_workbook.check.validate import check
    from gain_workbook.register import commands

    from gain_workbook.core.errors import OutputError, RegisterError

    res = commands.adopt(register, output, force=force, today=_day(None))
    try:
        _, res.report = check(res.path)
    except RegisterError as exc:
        # never so, if adopt is right: a register it cannot read back is not left about
        res.path.unlink(missing_ok=True)
        raise OutputError(f"adopt wrote a register it could not read back ({exc}); it was "
                          "removed. This is a bug in gain-pack: please report it, with "
                          "the register.") from None
    return res


def add_report(register, source, *, published: dt.date | None = None,
               title: str | None = None, inspection_id: str | None = None,
               apply: bool = False, now: dt.datetime | None = None):
    """A published report's items read from its text (``source``: .txt, .html, .pdf or
    .docx); with ``apply``, its inspection and items written into the register
    (atomically, after a backup beside it). Without, nothing changes (a dry run).
    ``published`` and ``title`` stand for what the text says; ``inspection_id`` for the
    id the register would make. ``now``: the time in the backup's name."""
    from gain_workbook.newreport import commands

    return commands.add_report(register, source, published=published, title=title,
                               inspection_id=inspection_id, apply=apply, now=_now(now))


def describe(register):
    """How ``register`` is read: sheets, header rows, columns and how each was matched."""
    from gain_workbook.register import commands

    return commands.describe(register)


def validate(register, *, annotate=None):
    """Every problem in ``register``, with its cell; ``annotate``: also write a marked copy."""
    from gain_workbook.check import commands

    return commands.validate(register, annotate=annotate)


# ---------------------------------------------------------------- the roll-up and the pack

def rollup(register, *, by: str = "item", as_of: dt.date | None = None):
    """The status roll-up (``by`` item, inspection or action) as at ``as_of``."""
    from gain_workbook.check.commands import checked
    from gain_workbook.status import commands

    return commands.rollup(checked(register), by, _day(as_of))


def build(register, *, output=None, as_of: dt.date | None = None,
          meeting: dt.date | None = None, previous=None, allow_errors: bool = False,
          requests=None, progress=None):
    """Write the month's board pack (default 'GAIN board pack YYYY-MM.xlsx' beside the
    register). ``previous``: last month's pack or register, for Movement. ``requests``:
    the folder of the month's update requests (default the month's folder, when it is
    there), for the owners who have not replied. ``progress``: called with the number
    of rows to write, it may return a function that is called with each step's count."""
    from gain_workbook.check.commands import checked
    from gain_workbook.pack import commands
    from gain_workbook.pack.board import default_pack_name

    day = _day(as_of)
    out, note = output, None
    if out is None:
        out = default_pack_name(register, day)
        if previous is not None and meeting is not None and meeting.month != day.month and \
                Path(previous).resolve() == out.resolve():
            # built late in the month for next month's meeting, last month's pack given
            # as --previous: named by the meeting's month, not over last month's
            out = default_pack_name(register, meeting)
            note = (f"'{Path(previous).name}' is last month's pack, so this one is named for "
                    f"the meeting's month: '{out.name}'")
    res = commands.build(checked(register, allow_errors), out, day, meeting=meeting,
                         previous=previous, progress=progress, requests=requests)
    if note:
        res.notes.append(note)
    return res


def decisions(register, pack, *, meeting: dt.date | None = None, apply: bool = False,
              now: dt.datetime | None = None):
    """The board's decisions typed into ``pack`` (its For decision sheet) weighed against
    the register; with ``apply``, recorded in it (atomically, after a backup beside it),
    each on its Updates history dated the meeting (``meeting``, default the pack's).
    Without, nothing changes (a dry run). ``now``: the time in the backup's name."""
    from gain_workbook.chase import commands

    return commands.decisions(register, pack, meeting=meeting, apply=apply, now=_now(now))


def response(register, *, inspection_id: str | None = None, all_: bool = False,
             open_: bool = False, output=None, template=None, working: bool = False,
             pdf: bool = False, docx: bool = False, html: bool = False,
             as_of: dt.date | None = None, allow_errors: bool = False,
             now: dt.datetime | None = None):
    """The PCC's response for one inspection (``inspection_id``), ``all_`` of them, or
    the ``open_`` ones, as published (or the office's ``working`` copy); also as a
    ``docx``, a tagged ``pdf`` (LibreOffice) and an ``html`` page. ``template``: an
    edited process text. An earlier file these replace with other bytes is kept beside
    it first (``now``: the time in that backup's name)."""
    from gain_workbook.check.commands import checked
    from gain_workbook.response import commands

    commands.check_tools(pdf)             # said before any work
    return commands.response(checked(register, allow_errors), _day(as_of),
                             inspection_id=inspection_id, all_=all_, open_=open_,
                             output=output, template=template, working=working, pdf=pdf,
                             docx=docx, html=html, now=_now(now))


# ---------------------------------------------------------------- the owners' chase

def requests(register, *, output=None, as_of: dt.date | None = None,
             respond_by: dt.date | None = None, owner=(), send: bool = False,
             **sending):
    """An update request workbook and an Outlook draft (or, with ``send``, an email
    through SMTP: ``sending`` as for :func:`email`) for every owner with open actions,
    in ``output`` (default 'Update requests YYYY-MM' beside the register). The register
    is only read."""
    from gain_workbook.chase import commands
    from gain_workbook.check.commands import checked

    return commands.requests(checked(register), _day(as_of), output=output,
                             respond_by=respond_by, owner=owner, send=send, **sending)


def merge(register, replies, *, apply: bool = False, as_of: dt.date | None = None,
          now: dt.datetime | None = None):
    """Owners' replies weighed against the register; with ``apply``, written into it
    (atomically, after a backup beside it). Without, nothing changes (a dry run).
    ``as_of``: the day of the merge (default today); no reply is dated later. ``now``:
    the time in the backup's name (default now)."""
    from gain_workbook.chase import commands

    return commands.merge(register, replies, _day(as_of), apply=apply, now=_now(now))


# ---------------------------------------------------------------- email

def email(file, *, register=None, subject: str | None = None, body_template=None,
          output=None, encrypt: bool = False, attachment_password=None,
          dry_run: bool = False, to=(), cc=(), send: bool = False, send_by=None,
          smtp_host=None, smtp_port=None, smtp_security=None, smtp_user=None, sender=None,
          cafile=None, timeout: float = 30.0, smtp_password=None, client_secret=None,
          ask=None, sign_in=None):
    """Email ``file`` (a board pack, or a PCC response as .xlsx, .docx, .pdf or .html): an
    Outlook draft (``output``, default beside it) or, with ``send``, sent as ``send_by``
    says (else the 'Send by' Setting): smtp, smtp oauth or graph.

    ``register`` gives the Settings (recipients, marking, server); by default the one
    a pack names, or the one register beside a response. ``smtp_password``,
    ``client_secret`` and ``attachment_password`` are strings, or functions called only
    when one is needed; left out, each comes from the system keychain, then its
    environment variable, then ``ask(what, confirm)`` (none: no prompt).
    ``sign_in(message)`` shows a person Microsoft's device-code sign-in.
    """
    from gain_workbook.mail import commands
    from gain_workbook.register.commands import mail_settings

    sent = commands.letter(file)
    register, notes = commands.settings_register(sent, register)
    try:
        res = commands.email(sent, mail_settings(register), subject=subject,
                             body_template=body_template, output=output, encrypt=encrypt,
                             dry_run=dry_run,
                             secrets=commands.run_secrets(smtp_password, attachment_password,
                                                          client_secret, ask),
                             sending=dict(to=to, cc=cc, send=send, send_by=send_by,
                                          smtp_host=smtp_host, smtp_port=smtp_port,
                                          smtp_security=smtp_security, smtp_user=smtp_user,
                                          sender=sender, cafile=cafile, timeout=timeout,
                                          sign_in=sign_in))
    except GainError as exc:
        exc.notes[:0] = notes        # what was said about the register, before the error
        raise
    res.notes[:0] = notes
    return res


# ---------------------------------------------------------------- secrets

def secret_set(name: str, value: str):
    """Store the secret ``name`` ('smtp-password', 'client-secret',
    'certificate-password', 'attachment-password') in the system keychain; never in a
    file. No keychain here is a MailSettingsError."""
    from gain_workbook.mail import commands

    return commands.secret_set(name, value)


def secret_delete(name: str):
    """Remove the secret ``name`` from the system keychain."""
    from gain_workbook.mail import commands

    return commands.secret_delete(name)


def secret_list():
    """Where each secret would come from now (keychain, environment, prompt), never its
    value; ``rows``: (name, where, environment variable, what it is)."""
    from gain_workbook.mail import commands

    return commands.secret_list()


# ---------------------------------------------------------------- the month

@dataclass(kw_only=True)
class MonthlyResult(Result):
    steps: list = field(default_factory=list)     # (step, outcome) pairs, in order
    pack: Path | None = None
    previous: Path | None = None
    responses: Path | None = None
    email: object = None                          # the pack's mail.commands.EmailResult
    log: Path | None = None
    error: Exception | None = None                # what stopped the run, if anything


def monthly(register, *, as_of: dt.date | None = None, out_dir=None,
            meeting: dt.date | None = None, log_file=None, no_email: bool = False,
            template=None, **sending) -> MonthlyResult:
    """The month: validate, build (last month's pack beside it as ``previous``), the
    responses still to be sent, then email the pack (``sending``: the keyword arguments
    of :func:`email` that say how). Appends a line to ``log_file`` (default
    gain-pack.log in ``out_dir``, itself default the register's folder).

    A failing validate or build stops the run before any email. If only the responses
    fail, the pack is still emailed, saying so. ``error`` is what stopped or failed
    the run (the CLI raises it after printing the steps); it is None for a clean run.
    """
    from gain_workbook.core.files import append_line, check_output, make_folder, protect
    from gain_workbook.core.runlog import log_line

    protect(register, "the register")     # before anything, so even the log cannot replace it
    day = _day(as_of)
    folder = Path(out_dir) if out_dir else Path(register).parent
    if out_dir:
        make_folder(folder, "the month's pack and responses")
    res = MonthlyResult(log=Path(log_file) if log_file else folder / "gain-pack.log")
    check_output(res.log)                 # a log that cannot be written stops the run first

    def log(error) -> None:
        try:
            append_line(res.log, log_line(register, res.steps, error, dt.datetime.now()))
        except GainError as exc:
            res.warnings.append(f"the log was not written: {exc}")

    try:
        _month(res, Path(register), day, folder, meeting, no_email, template, sending)
    except BaseException as exc:          # logged, then a GainError is returned, the rest raised
        res.error = exc
        if not isinstance(exc, GainError):
            log(exc)
            raise
    log(res.error)
    return res


def _month(res: MonthlyResult, register: Path, day, folder: Path, meeting, no_email,
           template, sending) -> None:
    """validate, build, responses, email: each step's outcome in ``res.steps``."""
    from gain_workbook.check.commands import checked
    from gain_workbook.pack import commands as pack
    from gain_workbook.pack.board import pack_file_name, previous_pack
    from gain_workbook.response import commands as response
    from gain_workbook.response.document import pending_note, pending_responses

    try:
        ok = checked(register)
    except InvalidRegisterError as exc:
        res.steps.append(("validate", plural(len(exc.report.errors), "error")))
        raise
    res.steps.append(("validate", f"valid, {plural(len(ok.report.warnings), 'warning')}; "
                      f"{ok.reg.plan.layout_line()}"))
    res.previous = previous_pack(folder, day)
    built = pack.build(ok, folder / pack_file_name(day), day, meeting, res.previous)
    res.pack = built.path
    res.warnings += built.warnings
    res.steps.append(("build", res.pack.name + (f" (previous {res.previous.name})"
                                                if res.previous else " (no previous pack found)")))
    chosen = pending_responses(built.rollup)
    notes = [pending_note(chosen)] if chosen else []
    failed = None
    try:
        # the template is read in a month with no response to write too, so a wrong
        # one is found the month it is named, not the month a report comes out
        text = response.process_text(ok, template)
        if chosen:
            target = folder / f"PCC responses {day:%Y-%m}.xlsx"
            wrote = response.respond(ok, built.rollup, chosen, text, day, target,
                                     now=dt.datetime.now())
            res.responses = wrote.written[0]
            unready = [w for w in wrote.warnings if "is not ready to publish" in w]
            res.warnings += wrote.warnings
            notes += [w[0].upper() + w[1:] for w in unready]    # (said in the pack's email)
            res.steps.append(("responses", f"{len(chosen)} in {res.responses.name}" + "".join(
                f" (kept the previous version as {backup.name})" for _, backup in wrote.kept)
                + (f"; {len(unready)} not ready to publish" if unready else "")))
        else:
            res.steps.append(("responses", "none open"))
    except GainError as exc:
        failed = exc
        res.steps.append(("responses", f"FAILED: {exc}"))
        notes.append(f"The PCC responses could not be written this month: {exc}")
    if not no_email:
        from gain_workbook.mail import commands as mail

        res.email = mail.email(mail.letter(res.pack), ok.reg.settings, notes=notes,
                               sending=sending)
        res.notes += res.email.notes      # a draft with no recipient says so
        res.warnings += res.email.warnings
        res.steps.append(("email", res.email.outcome))
    if failed is not None:
        raise failed
