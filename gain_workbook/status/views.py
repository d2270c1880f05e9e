"""Tabular views of a roll-up for `gain-pack rollup`: the same rows as a terminal table,
JSON or CSV. The rows are what the board pack shows for each level."""

from __future__ import annotations

import csv
import io
import json

from gain_workbook.model.problems import display
from gain_workbook.core.text import csv_cell, json_text, one_line

VIEWS = {
    "item": [("Inspection ID", "item_inspection_id"), ("Item ID", "item_id"), ("Item", "label"),
             ("Status", "status"), ("RAG", "rag"), ("Actions done", "done_of"),
             ("Overdue", "own_overdue"), ("Next due", "next_due"), ("Reason", "reason")],
    "inspection": [("Inspection ID", "inspection_id"), ("Published", "published"),
                   ("Items", "n_items"), ("For force", "n_for_force"), ("RAG", "rag"),
                   ("s55 last day", "s55_last_day"), ("Response", "response_state"),
                   ("Detail", "response_text")],
    "action": [("Action ID", "action_id"), ("Item ID", "action_item_id"), ("Owner", "owner"),
               ("Effective due", "effective_due"), ("Status", "action_status"),
               ("Days overdue", "days_overdue"), ("Due soon", "due_soon"), ("Stale", "stale"),
               ("RAG", "rag")],
}
TRUNCATE = {"Reason": 40, "Detail": 40, "Owner": 16}   # the least each is cut to


def records(rollup, by: str) -> tuple[list[str], list[list]]:
    """(headers, rows) for one level of the roll-up; dates as datetime.date, missing as ''.

    'Actions done' is '1 of 2', never '1/2', which Excel would open as 1 February; a
    cause of concern's shows its recommendations' progress ('1 of 2 under it'), while
    its Overdue counts its own actions only, so that the column adds up to the overdue
    actions on the register.
    """
    import pandas as pd

    from gain_workbook.status.rollup import progress_text

    frame = {"item": rollup.items, "inspection": rollup.inspections,
             "action": rollup.actions}[by].copy()
    if by == "item":
        frame["done_of"] = progress_text(frame)
    cols = VIEWS[by]
    rows = []
    for rec in frame[[k for _, k in cols]].itertuples(index=False):
        row = []
        for v in rec:
            if isinstance(v, pd.Timestamp):
                v = v.date()
            elif v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
                v = ""
            elif hasattr(v, "item"):          # numpy scalars
                v = v.item()
            row.append(v)
        rows.append(row)
    return [h for h, _ in cols], rows


def _cell(v) -> str:
    """A value as the table and the CSV write it: True/False as Yes/No, the rest as the
    register's readers see it (report.display: dates as 28/11/2026, as in the reasons)."""
    if v is True or v is False:
        return "Yes" if v else "No"
    return display(v)


def as_table(headers, rows, width: int | None = None) -> str:
    """A plain fixed-width table for a terminal (often pasted into Excel: no formulas).

    Long columns (Reason, Detail, Owner) are cut only when the table would be wider
    than ``width`` (the terminal), and then no more than it needs.
    """
    text_rows = [[csv_cell(one_line(_cell(v))) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in text_rows]) for i, h in enumerate(headers)]
    if width:
        over = sum(widths) + 2 * (len(widths) - 1) - width
        for i, h in sorted(enumerate(headers), key=lambda p: -widths[p[0]]):
            if over <= 0 or h not in TRUNCATE:
                continue
            cut = min(over, widths[i] - max(TRUNCATE[h], len(h)))
            if cut > 0:
                widths[i] -= cut
                over -= cut
    for r in text_rows:
        for i, w in enumerate(widths):
            if len(r[i]) > w:
                r[i] = r[i][: w - 3] + "..."
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(headers), line(["-" * w for w in widths])] + [line(r) for r in text_rows]
    return "\n".join(out) + "\n"


def as_json(headers, rows, as_of) -> str:
    """The rows as a JSON list of objects (dates as YYYY-MM-DD, flags as true/false)."""
    import datetime as dt

    def plain(v):
        return v.isoformat() if isinstance(v, dt.date) else v

    return json_text(json.dumps({"as_of": as_of.isoformat(),
                                 "rows": [{h: plain(v) for h, v in zip(headers, r)}
                                          for r in rows]},
                                indent=2, ensure_ascii=False)) + "\n"


def as_csv(headers, rows) -> str:
    """The rows as CSV for Excel: dates as 28/11/2026, Yes/No, and any text Excel would
    run as a formula made inert (OWASP). The CLI writes it as UTF-8 with a BOM."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(headers)
    w.writerows([csv_cell(_cell(v)) for v in row] for row in rows)
    return buf.getvalue()
