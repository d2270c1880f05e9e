"""`gain-pack build`: the month's board pack from a checked register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from gain_workbook.core.results import ReadResult
from gain_workbook.core.text import plural


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
                f"{plural(head['ready_for_closure'], 'item or action', 'items and actions')}"
                " to close, "
                f"{plural(head['responses_due'], 'response')} not yet sent "
                f"(as at {self.rollup.as_of:%d/%m/%Y}).")


def build(checked, out, day: dt.date, meeting: dt.date | None = None, previous=None,
          progress=None, requests=None) -> BuildResult:
    """Write the board pack of a checked register to ``out``. ``previous``: last month's
    pack or register, for Movement. ``requests``: the folder of the month's update
    requests (default the month's folder beside the register, when it is there), for
    the owners who have not replied. ``progress``: called with the number of rows to
    write, it may return a function that is called with each step's count."""
    from gain_workbook.chase.manifest import month_manifest
    from gain_workbook.chase.received import received
    from gain_workbook.pack.board import build_pack
    from gain_workbook.status.rollup import roll_up, rollup_problems

    from gain_workbook.chase.agenda import agenda
    from gain_workbook.status.trend import trend

    reg = checked.reg
    kept = _keep_typed_decisions(Path(out), checked.path, reg.updates)
    result = roll_up(reg, day)
    report = _before_plenary(checked.report, reg, result).adding(rollup_problems(reg, result))
    movement = last = None
    if previous is not None:
        from gain_workbook.status.movement import (compare, read_previous, snapshot_of,
                                                   with_decisions)

        last, now = read_previous(previous, day), snapshot_of(result)
        movement = with_decisions(compare(last, now), reg.updates, now)
    months = trend(result, reg.updates)
    if last is not None:                 # last month's figures from the previous pack
        months.last_as_of = last.as_of
        months.last_month = {**{k: None for k in months.last_month}, **(last.headline or {})}
        months.last_source = last.source
    notes: list = []
    if meeting is not None and meeting < day:
        from gain_workbook.core.dates import uk_date

        notes.append(f"the meeting ({uk_date(meeting)}) is before the date the pack is "
                     f"built for ({uk_date(day)}), so the board would see figures from "
                     "after it met; check the two dates")
    notes += _updated_after(reg, day)
    # what came back from owners: since the previous pack, else the as-of date's month
    since = (movement.previous_as_of + dt.timedelta(days=1)
             if movement is not None and movement.previous_as_of else day.replace(day=1))
    manifest = month_manifest(checked.path, day, requests, notes)
    got = received(checked.reg, result, since, manifest)
    update = progress(len(result.items) + len(result.actions)) if progress else None
    path = build_pack(result, report, out, meeting=meeting, movement=movement,
                      register_name=reg.path.name, progress=update, received=got,
                      questions=agenda(reg, result, meeting), trend=months,
                      raw={**reg.items.raw, **reg.actions.raw})
    return BuildResult(path=Path(path), register=reg, rollup=result, report=report,
                       warnings=notes, notes=[kept] if kept else [])


def _updated_after(reg, day: dt.date) -> list[str]:
    """A note when the register holds updates dated after the day the pack is built for
    (replies merged on 7 December, the pack built as at 1 December): the pack shows them
    (the register as it is now), but counts them nowhere as this month's, and its
    figures mix two days (a trial). Built for a later day, it is one day's."""
    import pandas as pd

    from gain_workbook.core.dates import uk_date

    stamps = pd.to_datetime(reg.actions.frame["last_updated"], errors="coerce")
    latest = stamps.max()
    if pd.isna(latest) or latest.date() <= day:
        return []
    after = int((stamps > pd.Timestamp(day)).sum())
    return [f"the register holds {plural(after, 'action')} updated after {uk_date(day)}, the "
            f"day the pack is built for (the latest on {uk_date(latest.date())}): the pack "
            "shows the register as it is now but counts none of those updates as received; "
            f"build it as at {uk_date(latest.date())} or later for one day's figures"]


def _keep_decided_pack(out: Path, pack, decided: int) -> str:
    """A copy, beside it, of the pack the board decided on (its decisions recorded), which
    this one replaces: what the board saw and typed is kept. A note saying so."""
    from gain_workbook.core.files import write_new

    meeting = str(pack.info.meeting or "").strip()
    when = f" at the meeting of {meeting}" if meeting else ""
    stem = f"{out.stem} (as decided{when.replace('/', '-')})"
    names = [out.with_name(f"{stem}{'' if k == 1 else f' {k}'}{out.suffix}")
             for k in range(1, 100)]
    data = out.read_bytes()
    same = next((p for p in names if p.is_file() and p.read_bytes() == data), None)
    kept = same or write_new(names, data)        # (built again: kept once)
    return (f"'{out.name}' held the board's {plural(decided, 'decision')}{when}, recorded in "
            f"the register; it was kept as '{kept.name}' before this pack replaced it.")


def _keep_typed_decisions(out: Path, register: Path, updates) -> str | None:
    """Refuse to write over a board pack whose For decision sheet holds decisions typed
    in and not yet recorded in the register: until `gain-pack decisions --apply`, that
    pack is the only place they are kept (a second build, or `monthly` run again after
    the meeting, would lose them). A pack whose decisions are all recorded is copied
    beside it first (the note returned says so): the board's pack as it was decided."""
    from gain_workbook.core.errors import Hint, OutputError

    pack = _existing_pack(out)
    if pack is None:
        return                          # no pack of ours there: written over as before
    _keep_another_registers_pack(out, register, pack.info)
    n, unread, decided = _unrecorded_decisions(pack, updates)
    if not n and decided:
        return _keep_decided_pack(out, pack, decided)
    if n:
        them = "it" if n == 1 else "them"
        fix = "" if not unread else " (" + (
            "it is not read as a decision yet" if n == 1 else
            "none of them is read as a decision yet" if unread == n else
            "1 of them is not read as a decision yet" if unread == 1 else
            f"{unread} of them are not read as decisions yet") + \
            f": correct {'it' if unread == 1 else 'them'} to Agreed, Not agreed or Deferred)"
        raise OutputError(
            f"Nothing was written: '{out.name}' holds {plural(n, 'decision')} typed into its "
            f"For decision sheet and not yet recorded in the register{fix}, and this pack "
            f"would replace it; record {them} first with gain-pack decisions \"{register.name}\" "
            f"\"{out.name}\".",
            hints=[Hint("output", ", or give this pack another name with {option}"),
                   Hint("out_dir", ", or write the month into another folder with {option}")])


class _Pack:
    """A board pack found where this one is to be written: what its check said (with
    only the sheets that say what it is and what the board typed in it scanned), the
    workbook, and its PackInfo."""

    def __init__(self, checked, wb, info):
        self.checked, self.wb, self.info = checked, wb, info


def _existing_pack(out: Path):
    """The board pack gain-pack wrote at ``out``, read once for both checks; None for
    no file, an input, or any other file (which is written over as before)."""
    from gain_workbook.core import files
    from gain_workbook.core.errors import GainError
    from gain_workbook.core.sniff import check_workbook
    from gain_workbook.excel import packfile

    if not out.is_file() or files.protected(out):
        return None                     # (an input is refused as the output anyway)
    try:
        checked = check_workbook(out, role="a board pack", sheets=packfile.DECISION_SHEETS)
        wb = packfile.open_workbook(checked)
        info = packfile.read_info(wb, out.name)
    except (GainError, OSError, ValueError):
        return None                     # not a pack we can read: nothing of ours in it
    finally:
        files.release(out)              # looked at, not read: it may be written over
    return None if info is None else _Pack(checked, wb, info)


def _keep_another_registers_pack(out: Path, register: Path, info) -> None:
    """Refuse to write over a board pack built from another register (two registers in
    one folder share the month's default pack name): it would go without a word."""
    from gain_workbook.core.errors import Hint, OutputError

    if info.register and info.register != register.name:
        raise OutputError(f"Nothing was written: '{out.name}' is the board pack of the "
                          f"register '{info.register}', which this pack of '{register.name}' "
                          "would replace.",
                          hints=[Hint("output", "; give this pack another name with {option}"),
                                 Hint("out_dir", "; write the month into another folder with "
                                      "{option}")])


def _unrecorded_decisions(pack: _Pack, updates) -> tuple[int, int]:
    """(how many decisions typed into the pack the register's Updates history does not
    record, how many of them `decisions` cannot read yet: a word it does not know, a
    formula with no value)."""
    from gain_workbook.chase.decisions import (note_of, read_decision, recorded_decisions,
                                               said, same_decision)
    from gain_workbook.core.dates import parse_date
    from gain_workbook.core.errors import GainError
    from gain_workbook.excel import packfile
    from gain_workbook.model import history

    wb, info, name = pack.wb, pack.info, pack.checked.path.name
    if packfile.FOR_DECISION_SHEET not in wb.sheet_names:
        return 0, 0, 0
    try:
        typed = packfile.read_typed_decisions(wb, name)
        facts = packfile.read_decision_facts(wb, name)
    except (GainError, OSError, ValueError):
        return 0, 0, 0                  # changed past reading: nothing of ours to keep
    meeting = parse_date(info.meeting) if info.meeting else None
    refs = recorded_decisions(updates)
    # the meeting the pack was built for; else (decided with --meeting) any meeting on
    # or after the day it was built for
    days = {meeting} if isinstance(meeting, dt.date) else _days_from(info.as_of, refs)

    unread = []

    def kept(t) -> bool:
        """Is this row's decision, read as `decisions` reads it, recorded as the pack says
        it now? A row typed in a way `decisions` cannot read yet (a problem) is not."""
        if t.key not in facts:
            return t.decision is None and t.note is None
        word, _, problem = read_decision(t, facts[t.key])
        if problem:
            unread.append(t)
        if problem or word is None:
            return problem is None
        now = said(word, note_of(t.note))
        return any(same_decision(refs[ref], now) for ref in
                   (history.decision_ref(day, t.key) for day in days) if ref in refs)

    # a cell typed in a program that does not calculate, saved as a formula with no
    # value: read as empty, so it may be a decision nobody can read yet
    blank = packfile.uncalculated_decisions(pack.checked, wb, name)[0]
    n = blank + sum(1 for t in typed if not kept(t))
    return n, blank + len(unread), sum(1 for t in typed if t.decision is not None)


def _days_from(start, refs) -> set:
    """The meeting days of these decision refs on or after ``start`` (all if None)."""
    from gain_workbook.model import history

    days = {history.decision_day(r) for r in refs} - {None}
    return {d for d in days if start is None or d >= start}


def _before_plenary(report, reg, rolled):
    """The report without its 'no actions' warnings for items still awaiting their
    report's plenary session: they are not late, so the board is not told they are."""
    waiting = set(rolled.items.loc[rolled.items["status"] == "Awaiting plenary", "row"])
    if not waiting:
        return report
    from gain_workbook.model.problems import ValidationReport
    from gain_workbook.model.tables import PART_SPAN

    items = reg.items
    cells = {(items.sheet_of(r), int(r) % PART_SPAN) for r in waiting}
    keep = [p for p in report.problems
            if not (p.code == "NO_ACTIONS" and (p.sheet, p.row) in cells)]
    return ValidationReport(report.path, keep, dict(report.counts))
