"""`gain-pack validate`, and the register read and checked once for the commands that
need a valid one (rollup, build, response, requests, monthly)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gain_workbook.core.errors import InvalidRegisterError
from gain_workbook.core.results import ReadResult


@dataclass
class Checked:
    """A register read and validated once, for the steps that follow."""

    path: Path
    reg: object
    report: object


def checked(register, allow_errors: bool = False) -> Checked:
    """Read and validate; InvalidRegisterError unless the errors are allowed."""
    from gain_workbook.check.validate import check

    reg, report = check(register)
    if not report.valid and not allow_errors:
        raise InvalidRegisterError(report, register=reg)
    return Checked(Path(register), reg, report)


@dataclass(kw_only=True)
class ValidateResult(ReadResult):
    report: object              # problems.ValidationReport: valid, errors, to_text() ...
    annotated: Path | None = None


def validate(register, annotate=None) -> ValidateResult:
    """Every problem in ``register``, with its cell; ``annotate``: also write a marked copy."""
    from gain_workbook.check.validate import check

    reg, report = check(register)
    res = ValidateResult(register=reg, report=report)
    if annotate:
        from gain_workbook.check.annotate import annotate as write_annotated

        res.annotated = write_annotated(register, report, annotate)
    return res
