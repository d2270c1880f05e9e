"""`gain-pack rollup`: the roll-up the board pack will show, as a table, JSON or CSV."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gain_workbook.core.results import ReadResult


@dataclass(kw_only=True)
class RollupResult(ReadResult):
    rollup: object              # rollup.RollUp
    headers: list               # the table for --by, as views renders it
    rows: list

    def to_table(self, width: int | None = None) -> str:
        """The rows as a terminal table, ``width`` columns wide at most."""
        from gain_workbook.status import views

        return views.as_table(self.headers, self.rows, width)

    def to_json(self) -> str:
        from gain_workbook.status import views

        return views.as_json(self.headers, self.rows, self.rollup.as_of)

    def to_csv(self) -> str:
        from gain_workbook.status import views

        return views.as_csv(self.headers, self.rows)


def rollup(checked, by: str, as_of: dt.date) -> RollupResult:
    """The status roll-up of a checked register (``by`` item, inspection or action) as at
    ``as_of``."""
    from gain_workbook.status import views
    from gain_workbook.status.rollup import roll_up, rollup_problems

    result = roll_up(checked.reg, as_of)
    headers, rows = views.records(result, by)
    return RollupResult(register=checked.reg, rollup=result, headers=headers, rows=rows,
                        warnings=[f"{p.where}: {p.message}"
                                  for p in rollup_problems(checked.reg, result)])
