"""The pack's For decision sheet, straight after the cover: what the board is asked to
decide (``chase.agenda``), one titled part each, with a Decision cell (a dropdown: Agreed,
Not agreed, Deferred) and a Note cell for the chair or the clerk to fill in.

The sheet is protected without a password (against accidents, not as security): only
the yellow Decision and Note cells are open. What the board saw on each row is
recorded on the hidden DecisionFacts sheet (``excel.packfile``), from which
``gain-pack decisions`` later knows whether a row has changed since.
"""

from __future__ import annotations

from gain_workbook.chase.agenda import PARTS
from gain_workbook.core.dates import long_date
from gain_workbook.excel.packfile import DECISION_COLS, DecisionRow
from gain_workbook.model.history import DECISION_WORDS
from gain_workbook.pack.layout import sectioned


def for_decision(ctx, ws, questions) -> list[DecisionRow]:
    """Write the sheet; returns what each row asked and the facts it showed."""
    import pandas as pd

    ctx.page(ws, "For decision", repeat=3)
    meeting = f" at the meeting of {long_date(ctx.meeting)}" if ctx.meeting else ""
    ctx.title(ws, "For decision", f"What the board is asked to decide{meeting}: pick Agreed, "
              "Not agreed or Deferred in each yellow Decision cell, with any note; "
              "gain-pack decisions then records them in the register")
    keys = [c.key for c in DECISION_COLS]
    groups = []
    for kinds, heading in PARTS:
        rows = [q for q in questions if q.kind in kinds]
        groups.append((heading, pd.DataFrame(
            [{**{k: getattr(q, k, None) for k in keys}, "decision": None, "note": None}
             for q in rows], columns=keys)))
    last = sectioned(ctx, ws, DECISION_COLS, groups)
    at = {c.key: i for i, c in enumerate(DECISION_COLS)}
    if last > 4:
        ws.data_validation(4, at["decision"], last - 1, at["decision"], {
            "validate": "list", "source": list(DECISION_WORDS), "error_type": "stop",
            "input_title": "Decision", "input_message": "The board's decision: Agreed, Not "
            "agreed or Deferred (a note, in the next cell).", "error_title": "Decision",
            "error_message": "Choose Agreed, Not agreed or Deferred; put anything else "
            "in the Note."})
    ws.protect("", {"format_rows": True, "format_columns": True, "autofilter": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})
    return [DecisionRow(q.key, q.kind, q.subject, q.asked, q.facts) for q in questions]
