"""`gain-pack add-report`: a published report's items read from its text, listed for
checking and, with --apply, written into the register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from gain_workbook.core.errors import Hint, InputError
from gain_workbook.core.results import ReadResult


@dataclass(kw_only=True)
class AddReportResult(ReadResult):
    found: object                 # items.Found: what the report's text gives
    plan: object                  # add.AddPlan: the rows for the register
    source_kind: str = ""         # text | html | pdf | docx
    applied: bool = False
    backup: Path | None = None

    def to_text(self, option_of=None) -> str:
        """The clerk's table; ``option_of(param)`` names the command's options in it."""
        from gain_workbook.newreport.add import to_text

        return to_text(self.found, self.plan, self.applied, option_of)

    def to_json(self) -> str:
        from gain_workbook.newreport.add import to_json

        return to_json(self.found, self.plan)


def add_report(register, source, published: dt.date | None = None, title: str | None = None,
               inspection_id: str | None = None, apply: bool = False,
               now: dt.datetime | None = None) -> AddReportResult:
    """A report's items read from ``source`` (.txt, .html, .pdf or .docx); with ``apply``,
    its inspection and items written into the register (atomically, after a backup
    beside it, ``now`` in its name). Without, nothing changes (a dry run)."""
    from gain_workbook.core.files import protect
    from gain_workbook.core.text import has_xml_illegal
    from gain_workbook.newreport.add import plan_add
    from gain_workbook.newreport.items import find_items
    from gain_workbook.newreport.source import read_source
    from gain_workbook.register.reader import read_register

    protect(register, "the register")
    protect(source, "the report")
    if inspection_id and has_xml_illegal(inspection_id):
        raise InputError("The inspection id given holds control characters, which no workbook "
                         "can store; type it again.", [Hint("inspection_id", " ({option})")])
    blocks, kind = read_source(source)      # before the register: a bad report is quick to say
    reg = read_register(register)
    if apply:
        from gain_workbook.register.edit import check_rewritable

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
        _check_addable(found, plan, Path(source).name)
        from gain_workbook.newreport.add import write_add

        res.backup, notes = write_add(reg, plan, now or dt.datetime.now())
        res.notes += notes
        res.applied = True
    return res


def _check_separate_sheets(reg) -> None:
    if reg.inspections.sheet == reg.items.sheet or getattr(reg.plan, "layout", "") != \
            "template":
        raise InputError(f"'{reg.path.name}' keeps its reports and items on one sheet (or one "
                         "sheet per report), so add-report cannot add rows to it; run "
                         "'gain-pack adopt' to move it onto the register template, and add "
                         "the report to that. Nothing was changed.")


def _check_addable(found, plan, source_name: str) -> None:
    """Refuse to write a report without its title or date, one already on the register,
    or one with no items."""
    from gain_workbook.newreport.add import SAME_TITLE

    for what, param, ok in (("title", "title", found.title),
                            ("publication date", "published", found.published)):
        if not ok:
            raise InputError(f"add-report could not find the report's {what} in "
                             f"'{source_name}', so nothing was written",
                             [Hint(param, "; give it with {option}")])
    if plan.same_as:
        raise InputError(f"'{found.title}' published {found.published:%d/%m/%Y} is already "
                         f"on the register as {plan.same_as}"
                         + ("" if plan.same_why == SAME_TITLE else f" ({plan.same_why})")
                         + "; nothing was written.")
    if not found.items:
        raise InputError(f"No items were found in '{source_name}', so nothing was "
                         "written; is it the report's text?")
