"""The owners' chase as commands: `requests` (a workbook and a draft or email to every
owner with open actions) and `merge` (their replies weighed against the register and,
with --apply, written into it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gain_workbook.core.errors import GainError
from gain_workbook.core.results import ReadResult
from gain_workbook.core.text import plural


@dataclass(kw_only=True)
class RequestsResult(ReadResult):
    folder: Path
    requests: list = field(default_factory=list)   # requests.OwnerRequest, each written
    workbooks: list = field(default_factory=list)  # their paths, in the same order
    outcomes: list = field(default_factory=list)   # per request: the draft's path, 'sent ...'
    #                                                or '' (no address)
    manifest: Path | None = None
    reply_by: dt.date | None = None
    sent: bool = False

    @property
    def no_address(self) -> list:
        return [r for r in self.requests if not r.email]


def requests(checked, day: dt.date, output=None, respond_by: dt.date | None = None,
             owner=(), send: bool = False, **sending) -> RequestsResult:
    """An update request workbook and an Outlook draft (or, with ``send``, an email:
    ``sending`` as for mail.commands.transport) for every owner with open actions, in
    ``output`` (default the month's requests folder). The register is only read."""
    from gain_workbook.chase.manifest import REQUESTS_MANIFEST, manifest_text, requests_folder
    from gain_workbook.chase.request_sheet import write_request
    from gain_workbook.chase.requests import owner_requests
    from gain_workbook.core.files import all_or_nothing, make_folder, write_bytes
    from gain_workbook.status.rollup import roll_up

    reg, settings = checked.reg, checked.reg.settings
    reply_by = respond_by or day + dt.timedelta(days=settings.reply_days)
    if reply_by < day:
        from gain_workbook.core.errors import UsageError

        raise UsageError(f"The reply-by date {reply_by:%d/%m/%Y} is before the requests' date "
                         f"{day:%d/%m/%Y}.")
    folder = Path(output or requests_folder(checked.path, day))
    asked, notes = owner_requests(roll_up(reg, day), reg, day, only=owner)
    res = RequestsResult(register=reg, folder=folder, reply_by=reply_by, notes=notes,
                         sent=send)
    replies_to = settings.replies_to or settings.email_from
    transport, said = None, []
    if send and any(r.email for r in asked):
        from gain_workbook.mail.commands import SECRET_ARGUMENTS, run_secrets
        from gain_workbook.mail.commands import transport as make_transport

        secrets = run_secrets(*(sending.pop(k, None) for k in SECRET_ARGUMENTS))
        said = secrets.notes                  # filled in as the secrets are found
        transport, _ = make_transport(settings, None, secrets, False, send=True, **sending)
    # the folder, every workbook, the manifest and the drafts, or none of them (a full
    # disk half way); when sending, every workbook first: a server that fails half way
    # leaves them all to send by hand
    with all_or_nothing():
        make_folder(folder, "the requests")
        for req in asked:
            res.requests.append(req)
            res.workbooks.append(write_request(folder / f"{req.file_stem}.xlsx", req,
                                               register_name=checked.path.name,
                                               settings=settings, as_of=day,
                                               reply_by=reply_by, replies_to=replies_to))
        res.manifest = write_bytes(folder / REQUESTS_MANIFEST, manifest_text(
            res.requests, res.workbooks, checked.path.name, day, reply_by, send).encode())
        if transport is None:
            _send_all(res, settings, replies_to, None, folder)
    if transport is not None:
        try:
            _send_all(res, settings, replies_to, transport, folder)
        except GainError as exc:
            exc.notes += said
            raise
        res.notes += said
    return res


def _send_all(res: RequestsResult, settings, replies_to, transport, folder: Path) -> None:
    """Each owner's mail drafted or sent; a server that fails is said once at the end,
    the workbooks all written."""
    failed: list = []
    res.outcomes = [_send_request(req, book, settings, res.reply_by, replies_to, transport,
                                  folder, failed)
                    for req, book in zip(res.requests, res.workbooks)]
    if failed:
        from gain_workbook.core.errors import DeliveryError

        raise DeliveryError(f"{plural(len(failed), 'request')} of {len(res.requests)} could "
                            f"not be sent ({failed[0]}); the workbooks are all written in "
                            f"'{folder}', so send those by hand.")


def _send_request(req, book: Path, settings, reply_by, replies_to, transport, folder,
                  failed: list) -> str:
    """Draft or send one owner's mail: what happened, or '' when they have no address."""
    from gain_workbook.core.errors import DeliveryError
    from gain_workbook.mail.compose import build_message, compose_request
    from gain_workbook.mail.transports import DraftTransport

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


@dataclass(kw_only=True)
class MergeResult(ReadResult):
    plan: object                  # merge.MergePlan
    applied: bool = False
    backup: Path | None = None
    report: object = None         # the register re-validated after --apply

    @property
    def clean(self) -> bool:
        return self.plan.clean


def merge(register, replies, day: dt.date, apply: bool = False,
          now: dt.datetime | None = None) -> MergeResult:
    """Owners' replies weighed against the register as at ``day``; with ``apply``, written
    into it (atomically, after a backup beside it, ``now`` in its name). Without,
    nothing changes (a dry run)."""
    from gain_workbook.chase.merge import extension_rows, plan_merge, updates_rows
    from gain_workbook.chase.replies import read_reply
    from gain_workbook.core.files import protect
    from gain_workbook.register.reader import read_register

    protect(register, "the register")
    got = [read_reply(p) for p in replies]
    reg = read_register(register)
    if apply:
        from gain_workbook.register.edit import check_rewritable

        check_rewritable(reg)
    plan = plan_merge(reg, got, day)
    res = MergeResult(register=reg, plan=plan)
    ups, exts = updates_rows(plan), extension_rows(plan)
    if apply and (ups or exts):
        from gain_workbook.chase.merge import changes_of
        from gain_workbook.check.validate import validate as validate_register
        from gain_workbook.register.edit import write

        res.backup, notes = write(reg, changes_of(plan, ups, exts), now or dt.datetime.now(),
                                  "merge")
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
