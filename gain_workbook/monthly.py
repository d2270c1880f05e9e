"""The month in one go: validate -> build the pack -> open s55 responses -> email.

``run_month`` stops at the first failure of validate or build (raising the step's
typed error, so the exit code says what went wrong) and never emails a pack built
from an invalid register. A response that cannot be written does not stop the
pack going out: the email says so in a line of its own, and the run still ends
with that step's error. ``log_line`` is the one line per run appended to the log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gain_workbook.errors import InvalidRegisterError
from gain_workbook.text import plural


@dataclass
class MonthResult:
    """What a monthly run produced, step by step."""

    steps: list = field(default_factory=list)     # (step, outcome) pairs, in order
    pack: Path | None = None
    previous: Path | None = None
    responses: Path | None = None
    email: str = ""
    failed: list = field(default_factory=list)    # (step, error) for steps that failed


def previous_pack(folder: Path, as_of: dt.date) -> Path | None:
    """Last month's pack in ``folder`` (by its default name), if it is there."""
    from gain_workbook.dates import add_months
    from gain_workbook.pack import pack_file_name

    candidate = folder / pack_file_name(add_months(as_of, -1))
    return candidate if candidate.exists() else None


def run_month(register, as_of: dt.date, out_dir=None, meeting: dt.date | None = None,
              transport_for=None, compose_kwargs: dict | None = None,
              result: MonthResult | None = None, template=None) -> MonthResult:
    """Run the month's steps; ``transport_for(settings, pack_path)`` gives the email transport.
    ``template`` is the response's process text file (None: the built-in text)."""
    from gain_workbook.errors import GainError
    from gain_workbook.mailer import build_message, compose
    from gain_workbook.movement import compare, read_previous, snapshot_of
    from gain_workbook.pack import build_pack, pack_file_name
    from gain_workbook.response import documents, load_process_text, process_text_path
    from gain_workbook.response_sheet import write_responses
    from gain_workbook.rollup import PENDING_RESPONSE, rollup_problems, roll_up
    from gain_workbook.validate import check

    res = result if result is not None else MonthResult()
    register = Path(register)
    folder = Path(out_dir) if out_dir else register.parent

    reg, report = check(register)
    if not report.valid:
        res.steps.append(("validate", plural(len(report.errors), "error")))
        raise InvalidRegisterError(report)
    res.steps.append(("validate", f"valid, {plural(len(report.warnings), 'warning')}; "
                      f"{reg.plan.layout_line()}"))

    rolled = roll_up(reg, as_of)
    report = report.adding(rollup_problems(reg, rolled))
    pack = folder / pack_file_name(as_of)
    res.previous = previous_pack(folder, as_of)
    movement = None
    if res.previous is not None:
        movement = compare(read_previous(res.previous, as_of), snapshot_of(rolled))
    build_pack(rolled, report, pack, meeting=meeting, movement=movement,
               register_name=register.name)
    res.pack = pack
    res.steps.append(("build", pack.name + (f" (previous {res.previous.name})"
                                            if res.previous else " (no previous pack found)")))

    ins = rolled.inspections
    due = ins[ins["response_state"].isin(PENDING_RESPONSE)]
    chosen = [row for _, row in due.sort_values("published", ascending=False,
                                                kind="stable").iterrows()]
    notes = [pending_note(chosen)] if chosen else []
    try:
        # the template is read in a month with no response to write too, so a wrong
        # one is found the month it is named, not the month a report comes out
        text = load_process_text(process_text_path(register, reg.settings, template))
        if chosen:
            target = folder / f"PCC responses {as_of:%Y-%m}.xlsx"
            responses = documents(rolled, chosen, text)
            res.responses = write_responses(responses, rolled.settings, as_of, target)
            res.steps.append(("responses", f"{len(chosen)} in {res.responses.name}"))
        else:
            res.steps.append(("responses", "none open"))
    except GainError as exc:
        res.failed.append(("responses", exc))
        res.steps.append(("responses", f"FAILED: {exc}"))
        notes.append(f"The PCC responses could not be written this month: {exc}")

    if transport_for is not None:
        mail = compose(pack, reg.settings, notes=notes, **(compose_kwargs or {}))
        transport = transport_for(reg.settings, pack)
        res.email = transport.send(build_message(mail, draft=transport.draft,
                                                 sender=getattr(transport, "sender", "")))
        res.steps.append(("email", res.email))
    if res.failed:
        raise res.failed[0][1]
    return res


def pending_note(chosen: list) -> str:
    """The email's line on the responses still to be sent, each with its day 56."""
    from gain_workbook.text import one_line

    lines = [f"- {one_line(str(r['title']))}: {r['response_text']}" for r in chosen]
    return (f"{plural(len(chosen), 'PCC response')} still to be sent (section 55):\n"
            + "\n".join(lines))


def log_line(register, result: MonthResult, error: Exception | None, now: dt.datetime) -> str:
    """One line for the log: when, which register, each step, and how it ended."""
    from gain_workbook.text import one_line

    steps = "; ".join(f"{k}: {v}" for k, v in result.steps)
    status = "OK" if error is None else f"FAILED ({type(error).__name__}: {error})"
    # register text (a file name, a value in an error) can never start a line of its own
    return one_line(f"{now:%Y-%m-%d %H:%M:%S} {Path(register).name}: {status}"
                    + (f" | {steps}" if steps else ""))
