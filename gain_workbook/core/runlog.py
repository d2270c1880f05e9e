"""The log a scheduled run keeps: one line per run, appended, that no value can forge."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gain_workbook.core.text import one_line


def log_line(register, steps: list, error: Exception | None, now: dt.datetime) -> str:
    """One line for the log: when, which register, each (step, outcome), and how it ended."""
    said = "; ".join(f"{k}: {str(v).rstrip('.')}" for k, v in steps)   # (no '.;')
    status = "OK" if error is None else f"FAILED ({type(error).__name__}: {error})"
    # register text (a file name, a value in an error) can never start a line of its own
    return one_line(f"{now:%Y-%m-%d %H:%M:%S} {Path(register).name}: {status}"
                    + (f" | {said}" if said else ""))
