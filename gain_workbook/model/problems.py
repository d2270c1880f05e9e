"""Problems found in a register, and the report that collects them.

A Problem is data: where it is (sheet, cell), what the user wrote there (header,
value), which rule it breaks, and one sentence a clerk can act on. The report never
raises for bad data; ``report.valid`` is False only when there are errors.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from gain_workbook.model.schema import RULES
from gain_workbook.core.text import csv_cell, json_text, plural


@dataclass(frozen=True)
class Problem:
    """One problem in one place of the register."""

    code: str
    severity: str
    sheet: str
    cell: str          # "F12", or "" when the problem is about a whole sheet or setting
    header: str        # the column header as the user wrote it
    value: str         # the value as the user wrote it (text)
    message: str
    subject: str = ""  # what the row is, for the board: 'PEEL-2026 AFI 2', '... action A3'

    @property
    def row(self) -> int | None:
        """The Excel row number of the cell, if it has one."""
        digits = "".join(ch for ch in self.cell if "0" <= ch <= "9")
        return int(digits) if digits else None

    @property
    def where(self) -> str:
        """'Actions!F12', or just the sheet name."""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def to_dict(self) -> dict:
        """Plain dict for JSON/CSV, with the 'where' reference added."""
        return {**asdict(self), "where": self.where}


def make_problem(code: str, sheet: str, cell: str, header: str, value, **fmt) -> Problem:
    """Build a Problem from a rule code, filling the rule's message template."""
    rule = RULES[code]
    text = display(value)
    short = " ".join(text.split()) if "\n" in text or "\r" in text else text   # (one line)
    short = short if len(short) <= 60 else short[:57] + "..."
    header = " ".join(header.split()) if header else header    # ('Statws\nStatus': one line)
    message = rule.message.format(value=short, header=header or "the column", **fmt)
    return Problem(code, rule.severity, sheet, cell, header or "", text, message)


def display(value) -> str:
    """A cell value as the user would read it (dates as 31/12/2024, 3.0 as 3)."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _sort_key(p: Problem):
    return (p.sheet, p.row or 0, len(p.cell), p.cell, p.code)


def board_order(problems) -> list[Problem]:
    """Errors before warnings, each in the register's order (the Data quality sheet)."""
    return sorted(problems, key=lambda p: (p.severity != "error",) + _sort_key(p))


@dataclass
class ValidationReport:
    """Every problem found in a register; valid when none of them is an error."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    counts: dict = field(default_factory=dict)   # rows read per table

    def __post_init__(self):
        self.problems = sorted(set(self.problems), key=_sort_key)

    def adding(self, problems: list[Problem]) -> "ValidationReport":
        """The report with more problems (found after validation, e.g. by the roll-up)."""
        if not problems:
            return self
        return ValidationReport(self.path, self.problems + list(problems), dict(self.counts))

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity 'error'."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems of severity 'warning'."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def valid(self) -> bool:
        """True when the register has no errors (warnings are allowed)."""
        return not self.errors

    def summary(self) -> str:
        """One line: valid or not, how many errors and warnings."""
        e, w = len(self.errors), len(self.warnings)
        verdict = "valid" if self.valid else "NOT valid"
        return f"{self.path}: {verdict} - {plural(e, 'error')}, {plural(w, 'warning')}"

    # ---- renderings (the CLI prints these; the API returns the report itself)

    def to_text(self, limit_per_rule: int = 20) -> str:
        """Problems grouped by sheet, errors first, for a terminal."""
        out = [self.summary()]
        if self.counts:
            out.append("Read " + ", ".join(plural(n, t[:-1]) for t, n in self.counts.items())
                       + ".")
        by_sheet: dict[str, list[Problem]] = defaultdict(list)
        for p in self.problems:
            by_sheet[p.sheet].append(p)
        for sheet, probs in by_sheet.items():
            out.append("")
            ne = sum(p.severity == "error" for p in probs)
            out.append(f"{sheet} ({plural(ne, 'error')}, {plural(len(probs) - ne, 'warning')})")
            shown: dict[str, int] = defaultdict(int)
            hidden: dict[str, int] = defaultdict(int)
            for p in board_order(probs):
                shown[p.code] += 1
                if shown[p.code] > limit_per_rule:
                    hidden[p.code] += 1
                    continue
                where = p.cell or "-"
                about = f"{p.subject}: " if p.subject else ""
                out.append(f"  {where:<7} {p.severity:<7} {p.code:<22} {about}{p.message}")
            for code, n in hidden.items():
                out.append(f"  ... and {n} more {code} (the CSV and JSON output list "
                           "every one)")
        return "\n".join(out) + "\n"

    def to_json(self) -> str:
        """The whole report as JSON."""
        return json_text(json.dumps({
            "path": self.path,
            "valid": self.valid,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "counts": self.counts,
            "problems": [p.to_dict() for p in self.problems],
        }, indent=2, ensure_ascii=False)) + "\n"

    def to_csv(self) -> str:
        """One row per problem, for Excel (text that would run as a formula made inert)."""
        buf = io.StringIO()
        cols = ["severity", "code", "subject", "sheet", "cell", "where", "header", "value",
                "message"]
        w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for p in self.problems:
            w.writerow({k: csv_cell(v) for k, v in p.to_dict().items()})
        return buf.getvalue()
