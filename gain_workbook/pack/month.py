"""What the month's run needs besides the commands it calls (``api.monthly``): last
month's pack, the responses still to be sent and the email's line about them, and
the one line per run appended to the log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gain_workbook.core.text import plural


def previous_pack(folder: Path, as_of: dt.date) -> Path | None:
    """Last month's pack in ``folder`` (by its default name), if it is there."""
    from gain_workbook.core.dates import add_months
    from gain_workbook.pack.board import pack_file_name

    candidate = folder / pack_file_name(add_months(as_of, -1))
    return candidate if candidate.exists() else None


def pending_note(chosen: list) -> str:
    """The email's line on the responses still to be sent, each with its day 56."""
    from gain_workbook.core.text import one_line

    lines = [f"- {one_line(str(r['title']))}: {r['response_text']}" for r in chosen]
    return (f"{plural(len(chosen), 'PCC response')} still to be sent (section 55):\n"
            + "\n".join(lines))


def log_line(register, result, error: Exception | None, now: dt.datetime) -> str:
    """One line for the log: when, which register, each step, and how it ended."""
    from gain_workbook.core.text import one_line

    steps = "; ".join(f"{k}: {v}" for k, v in result.steps)
    status = "OK" if error is None else f"FAILED ({type(error).__name__}: {error})"
    # register text (a file name, a value in an error) can never start a line of its own
    return one_line(f"{now:%Y-%m-%d %H:%M:%S} {Path(register).name}: {status}"
                    + (f" | {steps}" if steps else ""))
