"""The owners' chase as commands: `requests` (a workbook and a draft or email to every
owner with open actions), `merge` (their replies weighed against the register and,
with --apply, written into it) and `decisions` (the board's decisions typed into the
pack, weighed and, with --apply, recorded in the register)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gain_workbook.core.errors import GainError
from gain_workbook.core.results import PlanResult, ReadResult
from gain_workbook.core.text import first_few, plural


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
    from gain_workbook.chase.manifest import (REQUESTS_MANIFEST, kept_requests, manifest_text,
                                              requests_folder)
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
    _refuse_another_registers(folder, checked.path.name)
    asked, notes = owner_requests(roll_up(reg, day), reg, day, only=owner)
    res = RequestsResult(register=reg, folder=folder, reply_by=reply_by, notes=notes,
                         sent=send)
    replies_to = settings.replies_to or settings.email_from
    kept = kept_requests(folder / REQUESTS_MANIFEST, checked.path.name, day, asked,
                         res.notes) if owner else []
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
            res.requests, res.workbooks, checked.path.name, day, reply_by, send,
            kept).encode())
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


def _refuse_another_registers(folder: Path, register_name: str) -> None:
    """Refuse to write the month's requests into a folder whose requests.json another
    register's requests wrote (two registers in one folder share the month's folder
    name): that register's pack would lose whose reply is not merged."""
    from gain_workbook.chase.manifest import REQUESTS_MANIFEST, read_manifest
    from gain_workbook.core.errors import Hint, OutputError

    manifest, _ = read_manifest(folder / REQUESTS_MANIFEST)
    other = (manifest or {}).get("register")
    if other and other != register_name:
        raise OutputError(f"Nothing was written: '{folder.name}' holds the update requests "
                          f"of the register '{other}', which these of '{register_name}' would "
                          "replace.",
                          hints=[Hint("output", "; give them another folder with {option}")])


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
class MergeResult(PlanResult):
    """What `gain-pack merge` did: ``plan`` is a merge.MergePlan; ``unread``, the replies
    in a folder that could not be read and were left out (not clean: a scheduled run must
    notice them)."""

    unread: int = 0

    @property
    def clean(self) -> bool:
        return self.plan.clean and not self.unread


def _read_replies(paths) -> tuple[list, list[str]]:
    """The replies given, a folder standing for the workbooks in it (the requests folder
    the owners' replies were saved into, say): there, a workbook that is no request at
    all is passed over, and a request with nothing filled in (as it was sent: not
    answered yet, or answered in another file beside it) is left out, each said.
    (replies, notes saying what was done, how many replies could not be read)."""
    from gain_workbook.chase.replies import NotAReply, read_reply, reply_files
    from gain_workbook.core.errors import InputError, RegisterError

    got, notes, left_out = [], [], 0
    for path in map(Path, paths):
        if not path.is_dir():
            got.append(read_reply(path))
            continue
        found, others, unread = [], [], []
        for file in reply_files(path):
            try:
                found.append(read_reply(file))
            except NotAReply:
                others.append(file.name)
            except (RegisterError, InputError) as exc:   # damaged, or its columns changed:
                unread.append(exc)                       # the others are still merged
        if unread and not found:
            raise unread[0]
        if unread:
            notes.append(_left_unread(unread))
            left_out += len(unread)
        if not found:
            raise InputError(f"The folder '{path.name}' has no update requests in it to "
                             "merge; give the folder the owners' replies were saved in, or "
                             "the replies themselves.")
        filled = [r for r in found if r.filled]
        answered = {r.request for r in filled}
        said = f"read {plural(len(filled), 'reply', 'replies')} from the folder '{path.name}'"
        blank = [r for r in found if not r.filled]
        beside = [r.path.name for r in blank if r.request in answered]
        waiting = [r.path.name for r in blank if r.request not in answered]
        if beside:
            said += (f"; left out {plural(len(beside), 'request')} as sent, nothing filled "
                     + ("in, whose reply is beside it" if len(beside) == 1 else
                        "in, whose replies are beside them") + f" ({first_few(beside)})")
        if waiting:
            said += (f"; {plural(len(waiting), 'request')} with nothing filled in yet, "
                     f"not answered ({first_few(waiting)})")
        if others:
            said += (f"; passed over {plural(len(others), 'workbook')} that "
                     f"{'is' if len(others) == 1 else 'are'} not an update request "
                     f"({first_few(others)})")
        notes.append(said + ".")
        got += filled
    return got, notes, left_out


def _left_unread(errors: list) -> str:
    """The note for replies in a folder that could not be read: each one's sentence."""
    said = "; ".join(str(e).rstrip(".") for e in errors[:3])
    more = f"; and {plural(len(errors) - 3, 'more')}" if len(errors) > 3 else ""
    return (f"NOT MERGED: {plural(len(errors), 'reply', 'replies')} in the folder could not "
            f"be read, and {'was' if len(errors) == 1 else 'were'} left out (the others are "
            f"weighed below; ask for {'it' if len(errors) == 1 else 'them'} again): "
            f"{said}{more}.")


def merge(register, replies, day: dt.date, apply: bool = False,
          now: dt.datetime | None = None) -> MergeResult:
    """Owners' replies weighed against the register as at ``day``; with ``apply``, written
    into it (atomically, after a backup beside it, ``now`` in its name). Without,
    nothing changes (a dry run)."""
    from gain_workbook.chase.merge import extension_rows, plan_merge, updates_rows
    from gain_workbook.core.files import protect
    from gain_workbook.register.reader import read_register

    protect(register, "the register")
    got, notes, unread = _read_replies(replies)
    reg = read_register(register)
    if apply:
        from gain_workbook.register.edit import check_rewritable

        check_rewritable(reg)
    plan = plan_merge(reg, got, day)
    res = MergeResult(register=reg, plan=plan, unread=unread)
    res.notes += notes
    ups, exts = updates_rows(plan), extension_rows(plan)
    if apply and (ups or exts):
        from gain_workbook.chase.merge import changes_of
        from gain_workbook.register.edit import write

        res.backup, notes = write(reg, changes_of(plan, ups, exts), now or dt.datetime.now(),
                                  "merge")
        res.notes += notes
        res.applied = True
        _check_written(res, [("actions", c.index, c.key, c.new) for _, c in plan.changes])
    elif apply:
        res.notes.append("nothing to apply, so the register was not rewritten")
    return res


class DecisionsResult(PlanResult):
    """What `gain-pack decisions` did: ``plan`` is a decisions.DecisionPlan."""


def decisions(register, pack, meeting: dt.date | None = None, apply: bool = False,
              now: dt.datetime | None = None) -> DecisionsResult:
    """The board's decisions typed into ``pack`` (its For decision sheet) weighed against
    the register; with ``apply``, written into it (atomically, after a backup beside it,
    ``now`` in its name), each on its Updates history dated the meeting (``meeting``,
    else the one the pack was built for). Without, nothing changes (a dry run)."""
    from gain_workbook.chase.decisions import changes_of, plan_decisions
    from gain_workbook.core.files import protect
    from gain_workbook.register.reader import read_register

    protect(register, "the register")
    protect(pack, "the board pack")
    info, facts, typed = _read_pack(pack)
    reg = read_register(register)
    if info.register and info.register != reg.path.name:
        from gain_workbook.core.errors import InputError

        raise InputError(f"'{Path(pack).name}' was built from the register '{info.register}', "
                         f"not '{reg.path.name}'; record its decisions in that register.")
    day, notes = _meeting(info, meeting, Path(pack).name)
    today = (now or dt.datetime.now()).date()
    if day > today:
        notes.append(f"the meeting of {day:%d/%m/%Y} is still to come (today is "
                     f"{today:%d/%m/%Y}): its decisions are recorded as taken that day")
    if apply:
        from gain_workbook.register.edit import check_rewritable

        check_rewritable(reg, "decisions")
    plan = plan_decisions(reg, Path(pack).name, facts, typed, day, reg.settings.board_name)
    res = DecisionsResult(register=reg, plan=plan, notes=notes)
    if apply and plan.decisions:
        from gain_workbook.register.edit import write

        res.backup, written = write(reg, changes_of(plan), now or dt.datetime.now(),
                                    "decisions")
        res.notes += written
        res.applied = True
        _check_written(res, [(c.table, c.index, c.key, c.new) for c in plan.changes])
    elif apply:
        res.notes.append("nothing to apply, so the register was not rewritten")
    return res


def _check_written(res, cells) -> None:
    """The register as --apply wrote it, checked without reading it again: ``cells``
    ((table, row index, column key, value)) are the only ones that differ from what was
    read. The report goes on ``res``, with a warning when the register now has errors."""
    from gain_workbook.check.validate import validate

    reg = res.register
    for table, index, key, value in cells:
        reg.table(table).frame.at[index, key] = value
    res.report = validate(reg)
    if not res.report.valid:
        res.warnings.append(f"the register now has {plural(len(res.report.errors), 'error')}"
                            " (gain-pack validate lists them)")


def _read_pack(pack):
    """(PackInfo, {key: DecisionRow}, [TypedDecision]) of a board pack, read safely."""
    from gain_workbook.core.errors import InputError
    from gain_workbook.core.sniff import check_workbook
    from gain_workbook.excel import packfile

    checked = check_workbook(pack, role="the board pack", sheets=packfile.DECISION_SHEETS)
    path = checked.path
    try:
        wb = packfile.open_workbook(checked)
        info = packfile.read_info(wb, path.name)
        if info is None:
            raise InputError(f"'{path.name}' is not a board pack written by gain-pack build, "
                             "so no decisions can be read from it.")
        _refuse_uncalculated(path, checked, wb)
        return info, packfile.read_decision_facts(wb, path.name), \
            packfile.read_typed_decisions(wb, path.name)
    except InputError:
        raise
    except Exception as exc:           # calamine's own errors for a damaged part
        from gain_workbook.core.errors import RegisterError

        if isinstance(exc, RegisterError):
            raise InputError(str(exc)) from None
        raise InputError(f"Cannot read the board pack '{path.name}' "
                         f"({type(exc).__name__}).") from None


def _refuse_uncalculated(path, checked, wb) -> None:
    """Refuse a pack whose For decision sheet holds a formula saved without its value
    where decisions are typed, or whose DecisionFacts sheet holds one at all (a decision
    typed in a program that does not calculate would read as empty: see
    sniff.UNCALCULATED)."""
    from gain_workbook.core.errors import InputError
    from gain_workbook.core.sniff import uncalculated_on
    from gain_workbook.excel import packfile

    for sheet in (packfile.FOR_DECISION_SHEET, packfile.DECISION_FACTS_SHEET):
        count, cells = packfile.uncalculated_decisions(checked, wb, path.name) \
            if sheet == packfile.FOR_DECISION_SHEET else checked.uncalculated.get(sheet, (0, ()))
        if count:
            raise InputError(f"Cannot read the decisions in '{path.name}': "
                             f"{uncalculated_on(sheet, count, cells)}; open it in Excel, "
                             "save it and try again.")


def _meeting(info, meeting, name: str):
    """The meeting's date: as given, else the one the pack was built for; and a note
    when the two differ."""
    from gain_workbook.core.dates import parse_date
    from gain_workbook.core.errors import Hint, UsageError

    built = parse_date(info.meeting) if info.meeting else None
    built = built if isinstance(built, dt.date) else None
    if meeting is None and built is None:
        raise UsageError(f"'{name}' was built without a meeting date, so the decisions "
                         "cannot be dated; give the meeting's date.",
                         hints=[Hint("meeting", " with {option}")])
    notes = []
    if meeting is not None and built is not None and meeting != built:
        notes.append(f"the pack was built for the meeting of {built:%d/%m/%Y}; the decisions "
                     f"are dated {meeting:%d/%m/%Y}, as given")
    day = meeting or built
    if info.as_of and day < info.as_of:
        raise UsageError(f"The meeting's date {day:%d/%m/%Y} is before the date the pack is "
                         f"as at ({info.as_of:%d/%m/%Y}); the board decides on a pack "
                         "already written.")
    return day, notes
