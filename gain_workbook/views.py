"""Tabular views of a roll-up for `gain-pack rollup`: the same rows as a terminal table,
JSON or CSV. The rows are what the board pack shows for each level."""

from __future__ import annotations

import csv
import io
import json

from gain_workbook.text import csv_cell, json_text, one_line

VIEWS = {
    "item": [("Inspection ID", "item_inspection_id"), ("Item ID", "item_id"), ("Item", "label"),
             ("Status", "status"), ("RAG", "rag"), ("Actions done", "done_of"),
             ("Overdue", "n_overdue"), ("Next due", "next_due"), ("Reason", "reason")],
    "inspection": [("Inspection ID", "inspection_id"), ("Published", "published"),
                   ("Items", "n_items"), ("For force", "n_for_force"), ("RAG", "rag"),
                   ("s55 last day", "s55_last_day"), ("Response", "response_state"),
                   ("Detail", "response_text")],
    "action": [("Action ID", "action_id"), ("Item ID", "action_item_id"), ("Owner", "owner"),
               ("Effective due", "effective_due"), ("Status", "action_status"),
               ("Days overdue", "days_overdue"), ("Due soon", "due_soon"), ("Stale", "stale"),
               ("RAG", "rag")],
}
TRUNCATE = {"Reason": 70, "Detail": 60, "Owner": 24}


def records(rollup, by: str) -> tuple[list[str], list[list]]:
    """(headers, rows) for one level of the roll-up; dates as YYYY-MM-DD, missing as ''."""
    import pandas as pd

    frame = {"item": rollup.items, "inspection": rollup.inspections,
             "action": rollup.actions}[by].copy()
    if by == "item":
        frame["done_of"] = [f"{d}/{n}" for d, n in zip(frame["n_done"], frame["n_actions"])]
    cols = VIEWS[by]
    rows = []
    for rec in frame[[k for _, k in cols]].itertuples(index=False):
        row = []
        for v in rec:
            if isinstance(v, pd.Timestamp):
                v = v.date().isoformat()
            elif v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
                v = ""
            elif hasattr(v, "item"):          # numpy scalars
                v = v.item()
            row.append(v)
        rows.append(row)
    return [h for h, _ in cols], rows


def as_table(headers, rows) -> str:
    """A plain fixed-width table for a terminal (often pasted into Excel: no formulas)."""
    text_rows = []
    for row in rows:
        cells = []
        for h, v in zip(headers, row):
            s = "yes" if v is True else "" if v is False else csv_cell(one_line(str(v)))
            limit = TRUNCATE.get(h)
            if limit and len(s) > limit:
                s = s[: limit - 3] + "..."
            cells.append(s)
        text_rows.append(cells)
    widths = [max([len(h)] + [len(r[i]) for r in text_rows]) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(headers), line(["-" * w for w in widths])] + [line(r) for r in text_rows]
    return "\n".join(out) + "\n"


def as_json(headers, rows, as_of) -> str:
    """The rows as a JSON list of objects."""
    return json_text(json.dumps({"as_of": as_of.isoformat(),
                                 "rows": [dict(zip(headers, r)) for r in rows]},
                                indent=2, ensure_ascii=False)) + "\n"


def as_csv(headers, rows) -> str:
    """The rows as CSV, with any text Excel would run as a formula made inert (OWASP)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(headers)
    w.writerows([csv_cell(v) for v in row] for row in rows)
    return buf.getvalue()
