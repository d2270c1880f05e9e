"""gain-pack from Python: one function per command, named like it.

Each function takes plain arguments (paths, dates, strings, flags), does what the
command does, and returns a small result (what was written, the counts the command
prints, the problems found). It raises the typed errors of ``errors`` for what
stops a job; their ``exit_code`` is the command's. Nothing here prints, prompts or
exits: ``cli`` parses the options, calls one of these and renders its result.

    >>> from gain_workbook import api
    >>> result = api.build("Inspection register.xlsx", as_of=datetime.date(2026, 11, 28))
    >>> result.path
    PosixPath('GAIN board pack 2026-11.xlsx')

Each result has ``notes`` and ``warnings``: sentences the command prints on stderr
after 'gain-pack: note:' and 'gain-pack: warning:'. Arguments are named as the
command's options are, so an error's hint (``errors.Hint``) names both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gain_workbook.errors import GainError, Hint, InvalidRegisterError, MailSettingsError, Note
from gain_workbook.text import plural

__all__ = ["init", "adopt", "add_report", "describe", "validate", "rollup", "requests", "merge", "build",
           "response", "email", "monthly"]


@dataclass(kw_only=True)
class Result:
    """What every command's result carries besides its own fields."""

    notes: list = field(default_factory=list)       # sentences (or errors.Note) for
    #                                                 'gain-pack: note:'
    warnings: list = field(default_factory=list)    # sentences for 'gain-pack: warning:'


@dataclass(kw_only=True)
class ReadResult(Result):
    """A result about a register that was read (``register``: the Register)."""

    register: object = None

    def __post_init__(self):
        reg = self.register
        if reg is not None and getattr(reg, "open_in_excel", False):
            self.notes.insert(0, f"'{reg.path.name}' is open in Excel; reading the version "
                              "last saved.")

    @property
    def layout(self) -> str:
        """The layout the register was read in, and from which sheets ('' if unknown)."""
        plan = getattr(self.register, "plan", None)
        return plan.layout_line() if plan is not None else ""


def _day(as_of) -> dt.date:
    return as_of or dt.date.today()


@dataclass
class _Checked:
    """A register read and validated once, for the steps that follow."""

    path: Path
    reg: object
    report: object


def _check(register, allow_errors: bool = False) -> _Checked:
    """Read and validate; InvalidRegisterError unless the errors are allowed."""
    from gain_workbook.validate import check

    reg, report = check(register)
    if not report.valid and not allow_errors:
        raise InvalidRegisterError(report, register=reg)
    return _Checked(Path(register), reg, report)


# ---------------------------------------------------------------- init, adopt

@dataclass(kw_only=True)
class InitResult(Result):
    path: Path


def init(path, *, force_name: str = "", example: bool = False,
         force: bool = False) -> InitResult:
    """Write a new register (blank, or the worked example) to ``path``."""
    from gain_workbook.register_template import write_register_template

    out = write_register_template(path, example=example, force=force, force_name=force_name)
    res = InitResult(path=out)
    if not force_name and not example:
        res.notes.append("Force name is blank on the Settings sheet; fill it in before the "
                         "first pack (the pack, the response and emails print it).")
    return res


@dataclass(kw_only=True)
class AdoptResult(ReadResult):
    path: Path                  # the new register
    report: object              # its validation

    def empty_columns(self) -> str:
        """'Type is empty in 3 rows of Inspections; 1 other': the errors of the new
        register, by the columns our template asks for that the old one had no values in."""
        empty: dict = {}
        for p in self.report.errors:
            if p.code == "REQUIRED_MISSING":
                empty[(p.sheet, p.header)] = empty.get((p.sheet, p.header), 0) + 1
        said = "; ".join(f"{h} is empty in {plural(k, 'row')} of {sheet}"
                         for (sheet, h), k in empty.items())
        others = len(self.report.errors) - sum(empty.values())
        if said and others:
            said += f"; {plural(others, 'other')}"
        return said


def adopt(register, output, *, force: bool = False) -> AdoptResult:
    """Write ``register`` (any layout describe reads) into our template at ``output``."""
    from gain_workbook.adopt import adopt as adopt_register
    from gain_workbook.validate import check

    path, reg = adopt_register(register, output, force=force)
    _, report = check(path)
    return AdoptResult(path=path, register=reg, report=report)


# ---------------------------------------------------------------- describe, validate

@dataclass(kw_only=True)
class AddReportResult(ReadResult):
    found: object                 # report_items.Found: what the report's text gives
    plan: object                  # report_add.AddPlan: the rows for the register
    source_kind: str = ""         # text | html | pdf | docx
    applied: bool = False
    backup: Path | None = None

    def to_text(self, option_of=None) -> str:
        """The clerk's table; ``option_of(param)`` names the command's options in it."""
        from gain_workbook.report_add import to_text

        return to_text(self.found, self.plan, self.applied, option_of)

    def to_json(self) -> str:
        from gain_workbook.report_add import to_json

        return to_json(self.found, self.plan)


def add_report(register, source, *, published: dt.date | None = None,
               title: str | None = None, inspection_id: str | None = None,
               apply: bool = False, now: dt.datetime | None = None) -> AddReportResult:
    """A published report's items read from its text (``source``: .txt, .html, .pdf or
    .docx); with ``apply``, its inspection and items written into the register
    (atomically, after a backup beside it). Without, nothing changes (a dry run).
    ``published`` and ``title`` stand for what the text says; ``inspection_id`` for the
    id the register would make. ``now``: the time in the backup's name."""
    from gain_workbook.errors import InputError
    from gain_workbook.files import protect
    from gain_workbook.register import read_register
    from gain_workbook.report_add import SAME_TITLE, plan_add, write_add
    from gain_workbook.report_items import find_items
    from gain_workbook.report_source import read_source
    from gain_workbook.text import has_xml_illegal

    protect(register, "the register")
    protect(source, "the report")
    if inspection_id and has_xml_illegal(inspection_id):
        raise InputError("The inspection id given holds control characters, which no workbook "
                         "can store; type it again.", [Hint("inspection_id", " ({option})")])
    blocks, kind = read_source(source)      # before the register: a bad report is quick to say
    reg = read_register(register)
    if apply:
        from gain_workbook.register_edit import check_rewritable

        check_rewritable(reg, "add-report")
        _check_separate_sheets(reg)
    found = find_items(blocks, reg.settings.named_force, published=published, title=title)
    plan = plan_add(reg, found, inspection_id.strip() if inspection_id else None)
    res = AddReportResult(register=reg, found=found, plan=plan, source_kind=kind)
    if plan.same_as:
        res.warnings.append(f"this report is already on the register as {plan.same_as} "
                            f"({plan.same_why}), so it would not be added again")
    if not found.items:
        res.warnings.append(f"no recommendations, areas for improvement or causes of concern "
                            f"were found in '{Path(source).name}'")
    if apply:
        for what, param, ok in (("title", "title", found.title),
                                ("publication date", "published", found.published)):
            if not ok:
                raise InputError(f"add-report could not find the report's {what} in "
                                 f"'{Path(source).name}', so nothing was written",
                                 [Hint(param, "; give it with {option}")])
        if plan.same_as:
            raise InputError(f"'{found.title}' published {found.published:%d/%m/%Y} is already "
                             f"on the register as {plan.same_as}"
                             + ("" if plan.same_why == SAME_TITLE else f" ({plan.same_why})")
                             + "; nothing was written.")
        if not found.items:
            raise InputError(f"No items were found in '{Path(source).name}', so nothing was "
                             "written; is it the report's text?")
        res.backup, notes = write_add(reg, plan, now or dt.datetime.now())
        res.notes += notes
        res.applied = True
    return res


def _check_separate_sheets(reg) -> None:
    from gain_workbook.errors import InputError

    if reg.inspections.sheet == reg.items.sheet or getattr(reg.plan, "layout", "") != \
            "template":
        raise InputError(f"'{reg.path.name}' keeps its reports and items on one sheet (or one "
                         "sheet per report), so add-report cannot add rows to it; run "
                         "'gain-pack adopt' to move it onto the register template, and add "
                         "the report to that. Nothing was changed.")


@dataclass(kw_only=True)
class DescribeResult(ReadResult):
    plan: object                # register.Plan: to_text(), to_json()

    @property
    def readable(self) -> bool:
        return self.register is not None


def describe(register) -> DescribeResult:
    """How ``register`` is read: sheets, header rows, columns and how each was matched."""
    from gain_workbook.register import describe_workbook

    plan, reg = describe_workbook(register)
    return DescribeResult(plan=plan, register=reg)


@dataclass(kw_only=True)
class ValidateResult(ReadResult):
    report: object              # problems.ValidationReport: valid, errors, to_text() ...
    annotated: Path | None = None


def validate(register, *, annotate=None) -> ValidateResult:
    """Every problem in ``register``, with its cell; ``annotate``: also write a marked copy."""
    from gain_workbook.validate import check

    reg, report = check(register)
    res = ValidateResult(register=reg, report=report)
    if annotate:
        from gain_workbook.annotate import annotate as write_annotated

        res.annotated = write_annotated(register, report, annotate)
    return res


# ---------------------------------------------------------------- rollup, build

@dataclass(kw_only=True)
class RollupResult(ReadResult):
    rollup: object              # rollup.Rollup
    headers: list               # the table for --by, as views renders it
    rows: list


def rollup(register, *, by: str = "item", as_of: dt.date | None = None) -> RollupResult:
    """The status roll-up (``by`` item, inspection or action) as at ``as_of``."""
    from gain_workbook import views
    from gain_workbook.rollup import roll_up, rollup_problems

    checked = _check(register)
    result = roll_up(checked.reg, _day(as_of))
    headers, rows = views.records(result, by)
    return RollupResult(register=checked.reg, rollup=result, headers=headers, rows=rows,
                        warnings=[f"{p.where}: {p.message}"
                                  for p in rollup_problems(checked.reg, result)])


@dataclass(kw_only=True)
class BuildResult(ReadResult):
    path: Path
    rollup: object
    report: object              # the register's problems (on Data quality)

    def summary(self) -> str:
        """The headline in a sentence, as the command prints it."""
        head = self.rollup.headline()
        return (f"{plural(head['open_items'], 'open item')}, "
                f"{plural(head['overdue_actions'], 'overdue action')}, "
                f"{head['ready_for_closure']} ready for closure, "
                f"{plural(head['responses_due'], 'response')} not yet sent "
                f"(as at {self.rollup.as_of:%d/%m/%Y}).")


def build(register, *, output=None, as_of: dt.date | None = None,
          meeting: dt.date | None = None, previous=None, allow_errors: bool = False,
          requests=None, progress=None) -> BuildResult:
    """Write the month's board pack (default 'GAIN board pack YYYY-MM.xlsx' beside the
    register). ``previous``: last month's pack or register, for Movement. ``requests``:
    the folder of the month's update requests (default requests_folder, when it is
    there), for the owners who have not replied. ``progress``: called with the number
    of rows to write, it may return a function that is called with each step's count."""
    from gain_workbook.pack import default_pack_name

    day = _day(as_of)
    out = output or default_pack_name(register, day)
    return _build(_check(register, allow_errors), out, day, meeting, previous, progress,
                  requests)


def _build(checked: _Checked, out, day, meeting, previous, progress=None,
           requests=None) -> BuildResult:
    from gain_workbook.pack import build_pack
    from gain_workbook.rollup import roll_up, rollup_problems

    result = roll_up(checked.reg, day)
    report = checked.report.adding(rollup_problems(checked.reg, result))
    movement = None
    if previous is not None:
        from gain_workbook.movement import compare, read_previous, snapshot_of

        movement = compare(read_previous(previous, day), snapshot_of(result))
    notes: list = []
    got = _received(checked, result, day, movement, requests, notes)
    update = progress(len(result.items) + len(result.actions)) if progress else None
    path = build_pack(result, report, out, meeting=meeting, movement=movement,
                      register_name=checked.reg.path.name, progress=update, received=got)
    return BuildResult(path=Path(path), register=checked.reg, rollup=result, report=report,
                       warnings=notes)


# ---------------------------------------------------------------- response

@dataclass(kw_only=True)
class ResponseResult(ReadResult):
    written: list               # the workbook, then any PDF and Word document
    inspections: int
    working: bool = False


def _received(checked, result, day, movement, requests, notes: list):
    """What came back from owners, for the pack (the period: since the previous pack,
    else the as-of date's month); ``notes`` gets why the month's requests were not used."""
    from gain_workbook.received import read_manifest, received

    since = (movement.previous_as_of + dt.timedelta(days=1)
             if movement is not None and movement.previous_as_of else day.replace(day=1))
    folder = Path(requests) if requests else requests_folder(checked.path, day)
    manifest, why = read_manifest(folder / REQUESTS_MANIFEST)
    if requests and manifest is None:
        from gain_workbook.errors import InputError

        raise InputError(f"Cannot use the update requests in '{folder}': its "
                         f"{REQUESTS_MANIFEST} " + (why or "is not there (requests writes it)")
                         + ".")
    if why:
        notes.append(f"the pack does not list whose reply is not merged: {REQUESTS_MANIFEST} "
                     f"in '{folder}' {why}")
    if manifest is not None and manifest.get("register") != checked.path.name:
        manifest = None
    return received(checked.reg, result, since, manifest)


def response(register, *, inspection_id: str | None = None, all_: bool = False,
             open_: bool = False, output=None, template=None, working: bool = False,
             pdf: bool = False, docx: bool = False, as_of: dt.date | None = None,
             allow_errors: bool = False) -> ResponseResult:
    """The PCC's response for one inspection (``inspection_id``), ``all_`` of them, or
    the ``open_`` ones, as published (or the office's ``working`` copy); also as a
    ``pdf`` (LibreOffice) and a ``docx``. ``template``: an edited process text."""
    from gain_workbook.libreoffice import LIBREOFFICE_MISSING, find_soffice
    from gain_workbook.response import select_inspections
    from gain_workbook.rollup import roll_up

    if pdf and find_soffice() is None:      # say so before doing any work
        from gain_workbook.errors import ToolError

        raise ToolError(LIBREOFFICE_MISSING)
    checked = _check(register, allow_errors)
    text = _process_text(checked, template)
    day = _day(as_of)
    rolled = roll_up(checked.reg, day)
    chosen = select_inspections(rolled, inspection_id, all_, open_)
    return _respond(checked, rolled, chosen, text, day, output, working, pdf, docx)


def _process_text(checked: _Checked, template) -> str:
    from gain_workbook.response import load_process_text, process_text_path

    return load_process_text(process_text_path(checked.path, checked.reg.settings, template))


def _respond(checked, rolled, chosen, text, day, output, working=False, pdf=False,
             docx=False) -> ResponseResult:
    from gain_workbook.files import all_or_nothing, check_output
    from gain_workbook.response import default_response_name, documents, response_warnings
    from gain_workbook.response_sheet import write_responses

    responses = documents(rolled, chosen, text, working=working)
    out = Path(output or default_response_name(checked.path, chosen, working))
    extra = [out.with_suffix(s) for s, on in ((".pdf", pdf), (".docx", docx)) if on]
    for path in extra:
        check_output(path)                  # refused before anything is written
    # the workbook, its PDF and its Word copy, or none of them: a PDF that LibreOffice
    # could not make in time leaves no workbook that says otherwise
    with all_or_nothing():
        written = [write_responses(responses, rolled.settings, day, out, working)]
        for path in extra:
            if path.suffix == ".pdf":
                from gain_workbook.libreoffice import to_pdf

                written.append(to_pdf(out, path, rolled.settings.libreoffice_seconds))
            else:
                from gain_workbook.response_docx import write_docx

                written.append(write_docx(responses, rolled.settings, day, path, working))
    return ResponseResult(register=checked.reg, written=written, inspections=len(chosen),
                          working=working, warnings=response_warnings(responses, chosen))


# ---------------------------------------------------------------- requests, merge

REQUESTS_MANIFEST = "requests.json"


def requests_folder(register, as_of: dt.date) -> Path:
    """'Update requests 2026-12' beside the register: where requests writes by default,
    and where build looks for the month's requests."""
    return Path(register).parent / f"Update requests {as_of:%Y-%m}"


@dataclass(kw_only=True)
class RequestsResult(ReadResult):
    folder: Path
    requests: list = field(default_factory=list)   # chase.OwnerRequest, each written
    workbooks: list = field(default_factory=list)  # their paths, in the same order
    outcomes: list = field(default_factory=list)   # per request: the draft's path, 'sent ...'
    #                                                or '' (no address)
    manifest: Path | None = None
    reply_by: dt.date | None = None
    sent: bool = False

    @property
    def no_address(self) -> list:
        return [r for r in self.requests if not r.email]


def requests(register, *, output=None, as_of: dt.date | None = None,
             respond_by: dt.date | None = None, owner=(), send: bool = False,
             **sending) -> RequestsResult:
    """An update request workbook and an Outlook draft (or, with ``send``, an email
    through SMTP: ``sending`` as for :func:`email`) for every owner with open actions,
    in ``output`` (default requests_folder). The register is only read."""
    from gain_workbook.chase import owner_requests
    from gain_workbook.files import all_or_nothing, write_bytes
    from gain_workbook.request_sheet import write_request
    from gain_workbook.rollup import roll_up

    day = _day(as_of)
    checked = _check(register)
    reg, settings = checked.reg, checked.reg.settings
    reply_by = respond_by or day + dt.timedelta(days=settings.reply_days)
    if reply_by < day:
        from gain_workbook.errors import UsageError

        raise UsageError(f"The reply-by date {reply_by:%d/%m/%Y} is before the requests' date "
                         f"{day:%d/%m/%Y}.")
    folder = Path(output) if output else requests_folder(register, day)
    asked, notes = owner_requests(roll_up(reg, day), reg, day, only=owner)
    res = RequestsResult(register=reg, folder=folder, reply_by=reply_by, notes=notes,
                         sent=send)
    replies_to = settings.replies_to or settings.email_from
    transport = None
    if send and any(r.email for r in asked):
        transport, _ = _transport(settings, None, sending.pop("smtp_password", None), False,
                                  send=True, **sending)
    failed = []
    # the folder, every workbook, the manifest and the drafts, or none of them (a full
    # disk half way); when sending, every workbook first: a server that fails half way
    # leaves them all to send by hand
    with all_or_nothing():
        _make_folder(folder)
        for req in asked:
            res.requests.append(req)
            res.workbooks.append(write_request(folder / f"{req.file_stem}.xlsx", req,
                                               register_name=Path(register).name,
                                               settings=settings, as_of=day,
                                               reply_by=reply_by, replies_to=replies_to))
        res.manifest = write_bytes(folder / REQUESTS_MANIFEST,
                                   _manifest(res, Path(register).name, day).encode())
        if transport is None:
            res.outcomes = [_send_request(req, book, settings, reply_by, replies_to, None,
                                          folder, failed)
                            for req, book in zip(res.requests, res.workbooks)]
    if transport is not None:
        res.outcomes = [_send_request(req, book, settings, reply_by, replies_to, transport,
                                      folder, failed)
                        for req, book in zip(res.requests, res.workbooks)]
    if failed:
        from gain_workbook.errors import DeliveryError

        raise DeliveryError(f"{plural(len(failed), 'request')} of {len(asked)} could not be "
                            f"sent ({failed[0]}); the workbooks are all written in "
                            f"'{folder}', so send those by hand.")
    return res


def _make_folder(folder: Path, what: str = "the requests") -> None:
    """The folder a command writes into, made if only it is missing (not its parents: a
    mistyped path is said, not built)."""
    from gain_workbook.errors import OutputError

    if folder.exists() and not folder.is_dir():
        raise OutputError(f"Cannot write {what} into '{folder}': it is a file, not a "
                          "folder.")
    if not folder.parent.is_dir():
        raise OutputError(f"Cannot write {what} into '{folder}': the folder "
                          f"'{folder.parent}' does not exist.")
    from gain_workbook.files import make_folder

    make_folder(folder)


def _send_request(req, book: Path, settings, reply_by, replies_to, transport, folder,
                  failed: list) -> str:
    """Draft or send one owner's mail: what happened, or '' when they have no address."""
    from gain_workbook.errors import DeliveryError
    from gain_workbook.mailer import DraftTransport, build_message, compose_request

    if not req.email:
        return ""
    mail = compose_request(req, settings, attachment=book.read_bytes(), filename=book.name,
                           reply_by=reply_by, replies_to=replies_to)
    if transport is None:
        draft = DraftTransport(folder / f"{req.file_stem}.eml")
        draft.send(build_message(mail, draft=True))
        return str(draft.path)
    try:
        return transport.send(build_message(mail, sender=transport.sender, draft=False))
    except DeliveryError as exc:
        failed.append(f"{req.owner}: {exc}")
        return f"NOT SENT: {exc}"


def _manifest(res: RequestsResult, register_name: str, day: dt.date) -> str:
    import json

    return json.dumps({
        "format": 1, "register": register_name, "as_of": day.isoformat(),
        "reply_by": res.reply_by.isoformat(), "sent": res.sent,
        "requests": [{"owner": r.owner, "request": r.request_id, "file": b.name,
                      "email": r.email or None, "copied": list(r.copy),
                      "actions": [a.action_id for a in r.actions]}
                     for r, b in zip(res.requests, res.workbooks)]},
        indent=2, ensure_ascii=False, sort_keys=True) + "\n"


@dataclass(kw_only=True)
class MergeResult(ReadResult):
    plan: object                  # merge.MergePlan
    applied: bool = False
    backup: Path | None = None
    report: object = None         # the register re-validated after --apply

    @property
    def clean(self) -> bool:
        return self.plan.clean


def merge(register, replies, *, apply: bool = False, as_of: dt.date | None = None,
          now: dt.datetime | None = None) -> MergeResult:
    """Owners' replies weighed against the register; with ``apply``, written into it
    (atomically, after a backup beside it). Without, nothing changes (a dry run).
    ``as_of``: the day of the merge (default today); no reply is dated later. ``now``:
    the time in the backup's name (default now)."""
    from gain_workbook.files import protect
    from gain_workbook.merge import extension_rows, plan_merge, updates_rows
    from gain_workbook.register import read_register
    from gain_workbook.replies import read_reply

    protect(register, "the register")
    got = [read_reply(p) for p in replies]
    reg = read_register(register)
    if apply:
        from gain_workbook.register_edit import check_rewritable

        check_rewritable(reg)
    plan = plan_merge(reg, got, _day(as_of))
    res = MergeResult(register=reg, plan=plan)
    ups, exts = updates_rows(plan), extension_rows(plan)
    if apply and (ups or exts):
        from gain_workbook.register_edit import apply_plan
        from gain_workbook.validate import validate as validate_register

        res.backup, notes = apply_plan(reg, plan, ups, exts, now or dt.datetime.now())
        res.notes += notes
        res.applied = True
        # the register as now written, checked without reading it again: the changes
        # are the only cells that differ from what was read
        for _, change in plan.changes:
            reg.actions.frame.at[change.index, change.key] = change.new
        res.report = validate_register(reg)
        if not res.report.valid:
            res.warnings.append(f"the register now has {plural(len(res.report.errors), 'error')}"
                                " (gain-pack validate lists them)")
    elif apply:
        res.notes.append("nothing to apply, so the register was not rewritten")
    return res


# ---------------------------------------------------------------- email

@dataclass(kw_only=True)
class EmailResult(Result):
    message: object             # the email.message.EmailMessage, as sent or drafted
    mail: object                # mailer.Mail: recipients, subject, body, attachment
    via: str                    # 'the draft PATH' or 'HOST:PORT (starttls, as USER)'
    outcome: str = ""           # what happened ('' for a dry run)
    draft: bool = True          # an Outlook draft, not sent
    dry_run: bool = False
    encrypted: bool = False


def email(file, *, register=None, subject: str | None = None, body_template=None,
          output=None, encrypt: bool = False, attachment_password=None,
          dry_run: bool = False, to=(), cc=(), send: bool = False, smtp_host=None,
          smtp_port=None, smtp_security=None, smtp_user=None, sender=None, cafile=None,
          timeout: float = 30.0, smtp_password=None) -> EmailResult:
    """Email ``file`` (a board pack, or a PCC response as .xlsx, .docx or .pdf): an
    Outlook draft (``output``, default beside it) or, with ``send``, through SMTP.

    ``register`` gives the Settings (recipients, marking, server); by default the one
    a pack names, or the one register beside a response. ``smtp_password`` and
    ``attachment_password`` are strings, or functions called only when one is needed.
    """
    from gain_workbook.mailer import check_attachment, is_response, pack_info, register_beside

    data = check_attachment(file)
    response = is_response(file, data)
    info = None if response else pack_info(file)
    notes = []
    if register is None:
        # a pack names the register it was built from; a response (which must carry
        # nothing internal) is sent with the one register in its folder
        if response:
            found = register_beside(file)
            beside = found[0] if len(found) == 1 else None
            if len(found) > 1:
                notes.append(Note(f"several registers are beside {Path(file).name} "
                                  f"({', '.join(f.name for f in found[:4])}).",
                                  [Hint("register", "; pass {option} to say which one's "
                                                    "Settings to use")]))
        else:
            beside = _recorded_register(file, info, notes)
        if beside is not None and _is_file(beside):
            register = beside
            notes.append(f"using the Settings of {beside.name}")
    try:
        res = _email(file, data, response, info, _mail_settings(register), subject=subject,
                     body_template=body_template, output=output, encrypt=encrypt,
                     attachment_password=attachment_password, dry_run=dry_run,
                     sending=dict(to=to, cc=cc, send=send, smtp_host=smtp_host,
                                  smtp_port=smtp_port, smtp_security=smtp_security,
                                  smtp_user=smtp_user, sender=sender, cafile=cafile,
                                  timeout=timeout, smtp_password=smtp_password))
    except GainError as exc:
        exc.notes[:0] = notes        # what was said about the register, before the error
        raise
    res.notes[:0] = notes
    return res


def _recorded_register(pack, info, notes: list) -> Path | None:
    """The register a pack names, beside it (None if it names none); what it names is
    data, so only a file name is taken from it, and one that is not a file name, or
    names a board pack, is said in ``notes`` and not used."""
    from gain_workbook.mailer import sheet_names
    from gain_workbook.packfile import is_pack
    from gain_workbook.text import one_line, shorten

    if info is None or not info.register:
        return None
    name = info.register_file
    why = "is not a file name"
    if name is not None:
        beside = Path(pack).with_name(name)
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


def _mail_settings(register):
    """The Settings of a register, refused when validation would flag one as an error.

    A setting that cannot be used (an SMTP port that is not a number) would
    otherwise quietly fall back to its default, and a dry run would promise to send
    through a server the register never named.
    """
    from gain_workbook.settings import Settings

    if register is None:
        return Settings()
    from gain_workbook.register import read_register

    reg = read_register(register)
    bad = [p for p in reg.problems if p.code == "BAD_SETTING"]
    if bad:
        p = bad[0]
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise MailSettingsError(f"The Settings sheet of '{Path(register).name}' has an error at "
                                f"{p.where}{more}: {p.message} Fix it first; nothing was sent "
                                "or written.")
    return reg.settings


def _secret(value, what: str) -> str:
    """A password given as a string, or by a function called with ``what`` (which
    password) now that it is needed."""
    value = value(what) if callable(value) else value
    if not value:
        raise MailSettingsError(f"{what} is needed and none was given.")
    return value


def _email(file, data, response, info, settings, *, subject=None, body_template=None,
           output=None, encrypt=False, attachment_password=None, dry_run=False, notes=(),
           sending) -> EmailResult:
    """Compose, then draft or send: the part of email that monthly shares."""
    from gain_workbook.mailer import build_message, compose, compose_response, encrypt_xlsx

    sending = dict(sending)
    password = sending.pop("smtp_password", None)
    to, cc = sending.pop("to", ()), sending.pop("cc", ())
    if encrypt:
        if Path(file).suffix.lower() == ".pdf":
            from gain_workbook.errors import InputError

            raise InputError("A PDF cannot be encrypted this way; only .xlsx and .docx files "
                             "can be password-protected.")
        data = encrypt_xlsx(data, _secret(attachment_password, "A password for the attachment"))
    body = None
    if body_template:
        from gain_workbook.files import protect
        from gain_workbook.wording import read_wording_file

        protect(body_template, "the email template")
        body = read_wording_file(body_template, "the email template")
    if response:
        mail = compose_response(file, settings, to=to, cc=cc, subject=subject,
                                body_template=body, attachment=data)
    else:
        mail = compose(file, settings, to=to, cc=cc, subject=subject, body_template=body,
                       attachment=data, info=info, encrypted=encrypt, notes=notes)
    draft_path = Path(output) if output else Path(file).with_suffix(".eml")
    transport, via = _transport(settings, draft_path, password, dry_run, **sending)
    msg = build_message(mail, draft=transport.draft, sender=transport.sender)
    res = EmailResult(message=msg, mail=mail, via=via, draft=transport.draft, dry_run=dry_run,
                      encrypted=encrypt, warnings=list(mail.warnings))
    if not dry_run:
        res.outcome = transport.send(msg)
    return res


def _transport(settings, draft_path, password, dry_run, send=False, smtp_host=None,
               smtp_port=None, smtp_security=None, smtp_user=None, sender=None, cafile=None,
               timeout=30.0):
    """(transport, how it goes): a draft, or SMTP (its password asked for only when a
    login will be made)."""
    from gain_workbook.mailer import DraftTransport, SMTPTransport, smtp_settings

    if not send:
        return DraftTransport(draft_path), f"the draft {draft_path}"
    cfg = smtp_settings(settings, host=smtp_host, port=smtp_port, security=smtp_security,
                        user=smtp_user, sender=sender, cafile=cafile, timeout=timeout)
    if cfg.user and not dry_run:
        cfg.password = _secret(password, f"The password for {cfg.user} on {cfg.host}")
    via = (f"{cfg.host}:{cfg.port} ({cfg.security}"
           f"{', as ' + cfg.user if cfg.user else ''})")
    return SMTPTransport(cfg), via


# ---------------------------------------------------------------- monthly

@dataclass(kw_only=True)
class MonthlyResult(Result):
    steps: list = field(default_factory=list)     # (step, outcome) pairs, in order
    pack: Path | None = None
    previous: Path | None = None
    responses: Path | None = None
    email: EmailResult | None = None
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
    from gain_workbook.files import append_line, check_output, protect
    from gain_workbook.monthly import log_line

    protect(register, "the register")     # before anything, so even the log cannot replace it
    day = _day(as_of)
    folder = Path(out_dir) if out_dir else Path(register).parent
    if out_dir:
        _make_folder(folder, "the month's pack and responses")
    res = MonthlyResult(log=Path(log_file) if log_file else folder / "gain-pack.log")
    check_output(res.log)                 # a log that cannot be written stops the run first
    try:
        _month(res, Path(register), day, folder, meeting, no_email, template, sending)
    except BaseException as exc:          # logged, then a GainError is returned, the rest raised
        res.error = exc
        if not isinstance(exc, GainError):
            _log(res, log_line(register, res, exc, dt.datetime.now()), append_line)
            raise
    _log(res, log_line(register, res, res.error, dt.datetime.now()), append_line)
    return res


def _log(res: MonthlyResult, line: str, append_line) -> None:
    try:
        append_line(res.log, line)
    except GainError as exc:
        res.warnings.append(f"the log was not written: {exc}")


def _month(res: MonthlyResult, register: Path, day, folder: Path, meeting, no_email,
           template, sending) -> None:
    from gain_workbook.monthly import pending_note, previous_pack
    from gain_workbook.pack import pack_file_name
    from gain_workbook.response import pending_responses

    try:
        checked = _check(register)
    except InvalidRegisterError as exc:
        res.steps.append(("validate", plural(len(exc.report.errors), "error")))
        raise
    res.steps.append(("validate", f"valid, {plural(len(checked.report.warnings), 'warning')}; "
                      f"{checked.reg.plan.layout_line()}"))
    res.previous = previous_pack(folder, day)
    built = _build(checked, folder / pack_file_name(day), day, meeting, res.previous)
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
        text = _process_text(checked, template)
        if chosen:
            target = folder / f"PCC responses {day:%Y-%m}.xlsx"
            res.responses = _respond(checked, built.rollup, chosen, text, day, target).written[0]
            res.steps.append(("responses", f"{len(chosen)} in {res.responses.name}"))
        else:
            res.steps.append(("responses", "none open"))
    except GainError as exc:
        failed = exc
        res.steps.append(("responses", f"FAILED: {exc}"))
        notes.append(f"The PCC responses could not be written this month: {exc}")
    if not no_email:
        from gain_workbook.mailer import check_attachment

        data = check_attachment(res.pack)
        res.email = _email(res.pack, data, False, None, checked.reg.settings, notes=notes,
                           sending=sending)
        res.warnings += res.email.warnings
        res.steps.append(("email", res.email.outcome))
    if failed is not None:
        raise failed
