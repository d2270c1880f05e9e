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
                f"{head['ready_for_closure']} ready for closure, "
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

    result = roll_up(checked.reg, day)
    report = checked.report.adding(rollup_problems(checked.reg, result))
    movement = None
    if previous is not None:
        from gain_workbook.status.movement import compare, read_previous, snapshot_of

        movement = compare(read_previous(previous, day), snapshot_of(result))
    notes: list = []
    # what came back from owners: since the previous pack, else the as-of date's month
    since = (movement.previous_as_of + dt.timedelta(days=1)
             if movement is not None and movement.previous_as_of else day.replace(day=1))
    manifest = month_manifest(checked.path, day, requests, notes)
    got = received(checked.reg, result, since, manifest)
    update = progress(len(result.items) + len(result.actions)) if progress else None
    path = build_pack(result, report, out, meeting=meeting, movement=movement,
                      register_name=checked.reg.path.name, progress=update, received=got)
    return BuildResult(path=Path(path), register=checked.reg, rollup=result, report=report,
                       warnings=notes)
