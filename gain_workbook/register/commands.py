"""The commands about the register itself: `init` (a new one), `adopt` (an office's own
register onto the template), `describe` (how a workbook is read); and the Settings a
register gives the mail commands."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from gain_workbook.core.errors import MailSettingsError
from gain_workbook.core.results import ReadResult, Result
from gain_workbook.core.text import one_line, plural


@dataclass(kw_only=True)
class InitResult(Result):
    path: Path


@contextmanager
def _replacing(path, force: bool, command: str, notes: list):
    """With ``force``, a workbook at ``path`` (a register, perhaps full) is kept beside it
    before it is replaced, '<name> (before init ...).xlsx', and said in ``notes``; a
    workbook open in Excel (its ~$ lock file beside it) is refused, nothing written."""
    from gain_workbook.core.errors import OutputError
    from gain_workbook.core.files import keeping_previous
    from gain_workbook.model.history import backup_paths

    if not force or path is None or not Path(path).is_file():
        yield
        return
    path = Path(path)
    if path.with_name("~$" + path.name).exists():
        raise OutputError(f"'{path.name}' is open in Excel (its lock file '~${path.name}' is "
                          f"beside it); close it in Excel and run {command} again. Nothing "
                          "was changed.")
    now = dt.datetime.now()
    with keeping_previous(lambda p: backup_paths(p, now, command)) as kept:
        yield
    notes += [f"kept the workbook it replaced as '{backup.name}'" for _, backup in kept]


def init(path, force_name: str = "", example: bool = False,
         force: bool = False) -> InitResult:
    """Write a new register (blank, or the worked example) to ``path``; with ``force``, a
    file there is replaced, a copy of it kept beside it."""
    from gain_workbook.register.template import write_register_template

    notes: list = []
    with _replacing(path, force, "init", notes):
        out = write_register_template(path, example=example, force=force,
                                      force_name=force_name)
    res = InitResult(path=out)
    res.notes += notes
    if not force_name and not example:
        res.notes.append("Force name is blank on the Settings sheet; fill it in before the "
                         "first pack (the pack, the response and emails print it).")
    return res


@dataclass(kw_only=True)
class AdoptResult(ReadResult):
    path: Path                  # the new register
    report: object = None       # its validation (the api checks it once written)
    short_ids: dict = None      # {inspection id as read: the short one adopt gave it}

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


def adopt(register, output, force: bool = False, today=None) -> AdoptResult:
    """Write ``register`` (any layout describe reads) into our template at ``output``;
    ``today``: the day it is adopted."""
    from gain_workbook.core.dates import uk_date
    from gain_workbook.register.adopt import adopt as adopt_register

    notes: list = []
    with _replacing(output, force, "adopt", notes):
        done = adopt_register(register, output, force=force, today=today)
    res = AdoptResult(path=done.path, register=done.register, short_ids=done.short_ids)
    res.notes += notes
    if done.short_ids:
        shown = "; ".join(f"'{new}' for '{old}'" for old, new in
                          list(done.short_ids.items())[:5])
        more = f" and {len(done.short_ids) - 5} more" if len(done.short_ids) > 5 else ""
        res.notes.append(f"the reports had no short ids, so each was given one, made from "
                         f"its title and year: {shown}{more}.")
    if done.as_written:
        n = sum(count for _, count, _ in done.as_written.values())
        (text, word) = next(iter(done.as_written.values()))[2]
        kept = ", ".join(f"'{column}'" for column, _, _ in done.as_written.values())
        res.notes.append(f"{plural(n, 'value')} written in other words than our lists' "
                         f"(such as '{one_line(text)[:60]}', read as {word}) "
                         f"{'is' if n == 1 else 'are'} kept as written at the right of "
                         f"{'its table' if n == 1 else 'their tables'}: {kept}.")
    if done.peel_typed:
        res.notes.append(f"the register has no Type column: {plural(done.peel_typed, 'report')} "
                         f"whose title{'s say' if done.peel_typed > 1 else ' says'} PEEL "
                         f"{'were' if done.peel_typed > 1 else 'was'} given Type PEEL.")
    if done.force_from is not None:
        name, title = done.force_from
        res.notes.append(f"the register gives no force's name; its title names "
                         f"{name} ('{one_line(title)[:60]}'), so that is the Force name on "
                         "the Settings sheet, for the pack, the responses and emails: change "
                         "it there if it is not right.")
    if done.copied:
        res.notes.append(f"{plural(len(done.copied), 'sheet')} of yours that "
                         f"{'is' if len(done.copied) == 1 else 'are'} not the register's "
                         f"{'was' if len(done.copied) == 1 else 'were'} copied after ours, as "
                         f"{'it was' if len(done.copied) == 1 else 'they were'}: "
                         + ", ".join(f"'{n}'" for n in done.copied) + ".")
    if any(s.items_as_actions for s in done.register.plan.chosen()):
        n = len(done.register.actions)
        res.notes.append(f"the register lists its items with no actions: each item became "
                         f"its own one action ({plural(n, 'action')} on the Actions sheet, "
                         "each with its item's words, owner, due date and status); add "
                         "actions under an item there as the force plans them.")
    if done.adopted_on is not None:
        res.notes.append(f"the register kept no response dates: 'Adopted on' is "
                         f"{uk_date(done.adopted_on)} on the Settings sheet, so a report "
                         "whose day 56 had passed by then shows as 'Not recorded' until its "
                         "response dates are typed in.")
    return res


@dataclass(kw_only=True)
class DescribeResult(ReadResult):
    plan: object                # detect.Plan: to_text(), to_json()

    @property
    def readable(self) -> bool:
        return self.register is not None


def describe(register) -> DescribeResult:
    """How ``register`` is read: sheets, header rows, columns and how each was matched."""
    from gain_workbook.register.reader import describe_workbook

    plan, reg = describe_workbook(register)
    return DescribeResult(plan=plan, register=reg)


def mail_settings(register):
    """The Settings of a register for the mail commands (defaults without one), refused
    when validation would flag one as an error.

    A setting that cannot be used (an SMTP port that is not a number) would
    otherwise quietly fall back to its default, and a dry run would promise to send
    through a server the register never named.
    """
    from gain_workbook.model.settings import Settings

    if register is None:
        return Settings()
    from gain_workbook.register.reader import read_register

    reg = read_register(register)
    bad = [p for p in reg.problems if p.code == "BAD_SETTING"]
    if bad:
        p = bad[0]
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise MailSettingsError(f"The Settings sheet of '{Path(register).name}' has an error at "
                                f"{p.where}{more}: {p.message} Fix it first; nothing was sent "
                                "or written.")
    return reg.settings
