"""The monthly GAIN Board pack: one xlsxwriter workbook, sheets in the order a board reads them.

Cover, For decision, Summary, Items, Exceptions, Movement (with a previous month),
Actions, Responses, Data quality (when there are problems), and two hidden sheets: PackInfo,
which lets this pack serve as next month's --previous, and DecisionFacts, what the board
saw on each row of For decision (``gain-pack decisions`` reads it back).

Every sheet is print-ready on A4: one page wide, header rows repeated, header and
footer with the protective marking, board name, as-of date and "Page X of Y"; wrapped
text has its row height set (LibreOffice does not grow rows by itself). The page
and the tables are laid out by ``layout``; the For decision, Summary and Exceptions
sheets have modules of their own. The workbook refuses to turn strings into formulas or links
(excel.writer.new_workbook).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gain_workbook.core.dates import long_date
from gain_workbook.core.text import as_text as _text
from gain_workbook.core.text import plural
from gain_workbook.excel.packfile import (ACTION_COLS, DECISION_FACTS_SHEET, ITEM_COLS,
                                         PACK_INFO_SHEET, Col, PackInfo, write_decision_facts)
from gain_workbook.excel.styles import LINE_HEIGHT
from gain_workbook.excel.styles import wrapped_lines as _lines
from gain_workbook.excel.writer import workbook_at
from gain_workbook.model.problems import board_order
from gain_workbook.pack.exceptions import exceptions
from gain_workbook.pack.for_decision import for_decision
from gain_workbook.pack.layout import Ctx, sectioned, write_table
from gain_workbook.pack.summary import summary
from gain_workbook.status.movement import MOVEMENT_KINDS
from gain_workbook.status.rollup import NOT_RECORDED, progress_text, report_order

SHEET_PURPOSE = {
    "For decision": "What the board is asked to decide: items to sign off, actions to close, "
                    "new dates asked for, new plans, responses due; the decisions are typed "
                    "here",
    "Summary": "Headline figures beside last month's, RAG and status-by-inspection charts, "
               "the last 12 months (is it getting better?), the inspections",
    "Items": "Every item of every inspection with its status, RAG and the reason",
    "Exceptions": "Every Red item with its cause (overdue actions, deadlines passed, no "
                  "actions), then stale updates and actions due soon",
    "Movement": "What changed since the previous pack",
    "Actions": "Every action with its derived status (filterable table)",
    "Responses": "Each inspection's s55 deadline and where the PCC's response stands",
    "Data quality": "Problems found when checking the register",
}


# ---------------------------------------------------------------- the sheets

def _cover(ctx, ws, sheets: list[str], register_name: str) -> None:
    f, s = ctx.fmt, ctx.settings
    ctx.page(ws, "Cover", landscape=False)
    ws.set_column(0, 0, 3)
    ws.set_column(1, 1, 26)
    ws.set_column(2, 2, 62)
    ws.merge_range(0, 1, 0, 2, s.protective_marking, f["marking"])
    ws.set_row(2, 36)
    ws.write_string(2, 1, s.board_name, f["cover_title"])
    ws.set_row(3, 22)
    ws.write_string(3, 1, "Monthly pack: HMICFRS inspections, recommendations and actions",
                    f["cover_sub"])
    rows = [("Force", s.force_name, None)]
    if ctx.rollup.forces:             # a register of several forces: whose rows these are
        rows.append(("Rows", ctx.rollup.forces, "wrap"))
    rows += [("Meeting", ctx.meeting, "date"),
            ("Position as at", ctx.as_of, "date"), ("Register", register_name, None),
            ("Protective marking", s.protective_marking, None)]
    r = 5
    for label, value, kind in rows:
        ws.write_string(r, 1, label, f["cover_label"])
        if kind == "wrap":
            ws.write_string(r, 2, value, f["plain_wrap"])
            ws.set_row(r, LINE_HEIGHT * _lines(value, 60) + 4)
        elif kind == "date" and value:
            ws.write_datetime(r, 2, dt.datetime(value.year, value.month, value.day),
                              f["cover_date"])
        else:
            ws.write_string(r, 2, _text(value) or "not set", f["cover_value"])
        r += 1
    r += 1
    ws.write_string(r, 1, "Contents", f["heading"])
    ws.write_blank(r, 2, None, f["heading"])
    r += 1
    for name in sheets:
        ws.write_url(r, 1, f"internal:'{name}'!A1", f["link"], name)
        purpose = SHEET_PURPOSE.get(name, "")
        ws.write_string(r, 2, purpose, f["plain_wrap"])
        ws.set_row(r, max(18, LINE_HEIGHT * _lines(purpose, 62) + 5))   # (a long one wraps)
        r += 1
    r += 1
    ws.merge_range(r, 1, r + 1, 2, "RAG: Red - overdue, past deadline or no actions; Amber - due "
                   "soon, not updated recently or on hold; Green - on track; Blue - signed "
                   "off by the board as ready for closure; Grey - closed, not for the force, "
                   "no action needed, or awaiting the report's plenary session.", f["note"])
    ws.set_row(r, 20)
    ws.set_row(r + 1, 20)
    ws.merge_range(r + 3, 1, r + 3, 2, s.protective_marking, f["marking"])
    ws.print_area(0, 0, r + 3, 2)


def as_written(frame, keys, raw: dict):
    """Date columns with the word the register has where it has no date ('TBC'), so the
    pack prints what the office wrote rather than a blank: {key: values}. ``keys`` are
    (column shown, [register columns it comes from, first first])."""
    out = {}
    position = None
    for shown, sources in keys:
        said = {}
        for (key, row), text in raw.items():       # few: only the words, not every row
            if key in sources and (row not in said or sources.index(key) < said[row][0]):
                said[row] = (sources.index(key), str(text))
        if not said:
            continue
        if position is None:
            position = {row: i for i, row in enumerate(frame["row"])}
        values = list(frame[shown])
        for row, (_, text) in said.items():
            i = position.get(row)
            if i is not None and (values[i] is None or values[i] != values[i]):
                values[i] = text
        out[shown] = values
    return out


def _items(ctx, ws, progress) -> None:
    it = ctx.rollup.items.copy()
    from gain_workbook.core.dates import is_no_date

    # a deadline 'TBC' in the report's words, or in the date column, prints as written
    raw = dict(ctx.raw)
    for row, text in zip(it["row"], it["deadline_text"]):
        if is_no_date(text):
            raw.setdefault(("deadline", row), str(text).strip())
    for key, values in as_written(it, (("deadline", ["deadline"]),
                                       ("agreed_deadline", ["agreed_deadline"])), raw).items():
        it[key] = values
    it["done_of"] = progress_text(it, " / ", "-")
    # Within each inspection the force's own items first: most of a national report is
    # addressed to others, and the board reads what the force must do.
    it["_others"] = it["applies"] != "Yes"
    shown = "Every item of every inspection: its status, RAG and why"
    if ctx.settings.show_not_for_force == "no":
        hidden = int(it["_others"].sum())
        it = it[~it["_others"]]
        shown = ("The force's items of every inspection: status, RAG and why "
                 f"({plural(hidden, 'item')} not for the force left off, as Settings ask)")
    it = report_order(it, ("published", "item_inspection_id", "_others"), (False, True, True))
    cols = _with_force(ctx, ITEM_COLS, "force_shown")
    ctx.page(ws, "Items", repeat=3)
    ctx.title(ws, "Items", shown)
    last = write_table(ctx, ws, 3, cols, it, progress=progress)
    ws.freeze_panes(4, 3)
    ws.autofilter(3, 0, max(last - 1, 3), len(cols) - 1)


def _with_force(ctx, cols: list, key: str) -> list:
    """A table's columns, with whose row each is (Force: rollup's 'force_shown') after
    the inspection's when the register's forces were read together: pooled, the rows
    could not be told apart."""
    if not ctx.rollup.force_column:
        return list(cols)
    return [cols[0], Col("Force", key, "wrap", 12), *cols[1:]]


MOVE_COLS = [
    Col("Change", "kind", "wrap", 14),
    Col("Inspection ID", "inspection_id", "wrap", 12),
    Col("Item", "item", "text", 8),
    Col("Action (or item)", "action", "wrap", 44),
    Col("Owner", "owner", "wrap", 15),
    Col("Was", "was", "wrap", 16),
    Col("Now", "now", "wrap", 16),
    Col("Days", "days", "int", 7),
]


def _movement(ctx, ws, movement) -> None:
    import pandas as pd

    ctx.page(ws, "Movement", repeat=3)
    ctx.title(ws, "Movement", f"Changes since the previous pack (as at "
              f"{long_date(movement.previous_as_of)}, from {movement.source})")
    rows = movement.rows.copy()
    for col in ("was", "now"):
        rows[col] = [v.strftime("%d/%m/%Y") if isinstance(v, (pd.Timestamp, dt.date)) and
                     pd.notna(v) else _text(v) for v in rows[col]]
    sectioned(ctx, ws, MOVE_COLS, [(kind, rows[rows["kind"] == kind]) for kind in MOVEMENT_KINDS])


def _actions(ctx, ws, progress) -> None:
    import numpy as np

    a = ctx.rollup.actions.copy()
    a["days_overdue_n"] = a["days_overdue"].where(a["overdue"])
    for key, values in as_written(a, (("due", ["due"]), ("revised_due", ["revised_due"]),
                                      ("effective_due", ["revised_due", "due"])),
                                  ctx.raw).items():
        a[key] = values
    flags = np.where(a["due_soon"], "due soon", "")
    flags = np.where(a["stale"], np.char.add(flags, np.where(flags != "", ", stale", "stale")),
                     flags)
    flags = np.where(a["on_hold"], np.char.add(flags, np.where(flags != "", ", on hold",
                                                               "on hold")), flags)
    a["flags"] = flags
    cols = _with_force(ctx, ACTION_COLS, "force_shown")
    if a["status_note"].astype(bool).any():     # what followed a status word in its cell
        at = next(n for n, c in enumerate(cols) if c.key == "action_status") + 1
        cols.insert(at, Col("Status note", "status_note", "wrap", 18))
    ctx.page(ws, "Actions", repeat=3)
    ctx.title(ws, "Actions", "Every action, with its effective due date and derived status")
    last = write_table(ctx, ws, 3, cols, a, progress=progress)
    if len(a):
        ws.add_table(3, 0, last - 1, len(cols) - 1, {
            "name": "Actions", "style": "Table Style Light 1", "autofilter": True,
            "columns": [{"header": c.header, "header_format": ctx.fmt["header"]}
                        for c in cols]})
    ws.freeze_panes(4, 2)


RESP_COLS = [
    Col("Inspection ID", "inspection_id", "wrap", 12),
    Col("Title", "title", "wrap", 40),
    Col("Published", "published", "date", 11),
    Col("Type", "inspection_type", "wrap", 14),
    Col("Day 56 (last day)", "s55_last_day", "date", 11),
    Col("Chief constable's comments", "cc_comments_received", "date", 12),
    Col("Sent to Home Office", "response_sent", "date", 11),
    Col("Published by PCC", "response_published", "date", 11),
    Col("Position", "response_state", "center", 12),
    Col("Detail", "response_text", "wrap", 30),
]


def _responses(ctx, ws) -> None:
    ins = ctx.rollup.inspections.sort_values("published", ascending=False, kind="stable")
    ctx.page(ws, "Responses", repeat=3)
    target = ctx.rollup.settings.response_target_days
    cols = list(RESP_COLS)
    if target:      # the office's own target, beside the statutory day
        cols.insert(5, Col(f"Local target (day {target})", "response_target_day", "date", 11))
    ctx.title(ws, "PCC responses (section 55)", "The PCC must publish comments within 56 days "
              "of publication (day 56 = published + 55 days)"
              + (f"; the office's own target is day {target}" if target else ""))
    colours = {"Overdue": "Red", "Due": "Amber", "Not due": "Green", "Sent": "Blue",
               "Published": "Grey", "Not required": "Grey"}
    if (ins["response_state"] == NOT_RECORDED).any():   # day 56 before dates were kept
        colours[NOT_RECORDED] = "Grey"
    write_table(ctx, ws, 3, cols, ins, highlight={
        "response_state": {state: ctx.cf[rag] for state, rag in colours.items()}})
    ws.freeze_panes(4, 1)


DQ_COLS = [
    Col("Severity", "severity", "center", 9),
    Col("About", "about", "wrap", 20),
    Col("What to do", "message", "wrap", 52),
    Col("Column", "header", "wrap", 14),
    Col("Value", "value", "wrap", 18),
    Col("What is wrong", "title", "wrap", 24),   # the rule's title: no codes for the board
    Col("Where", "where", "wrap", 12),
]


def _data_quality(ctx, ws, report) -> None:
    import pandas as pd

    ctx.page(ws, "Data quality", repeat=3)
    e, w = len(report.errors), len(report.warnings)
    ctx.title(ws, "Data quality", f"{plural(e, 'error')} and {plural(w, 'warning')} "
              "found when checking the register")
    from gain_workbook.model.schema import RULES

    frame = pd.DataFrame([p.to_dict() for p in board_order(report.problems)])
    frame["about"] = [p or s for p, s in zip(frame["subject"], frame["sheet"])]
    frame["title"] = [RULES[c].title if c in RULES else "" for c in frame["code"]]
    frame["severity"] = frame["severity"].str.capitalize()
    write_table(ctx, ws, 3, DQ_COLS, frame, highlight={
        "severity": {"Error": ctx.cf["Red"], "Warning": ctx.cf["Amber"]}})
    ws.freeze_panes(4, 0)


def _pack_info(ctx, ws, register_name: str) -> None:
    from gain_workbook import __version__

    PackInfo(ctx.as_of, register=register_name, meeting=long_date(ctx.meeting),
             headline=ctx.rollup.headline(), version=__version__).write(ws, ctx.fmt["date"])


def build_pack(rollup, report, out_path, meeting: dt.date | None = None, movement=None,
               register_name: str = "", progress=None, received=None, questions=(),
               trend=None, raw=None) -> Path:
    """Write the board pack for a roll-up to ``out_path`` (atomically); returns the path.

    ``report`` is the register's ValidationReport (its problems go on Data quality);
    ``movement`` the comparison with last month, if any; ``questions`` what the board is
    asked to decide (chase.agenda); ``trend`` the months behind (status.trend); ``raw``
    the register's words where a date is missing ({(key, index): 'TBC'});
    ``progress(n)`` is called as rows are written.
    """
    out_path = Path(out_path)
    sheets = ["Cover", "For decision", "Summary", "Items", "Exceptions"]
    if movement is not None:
        sheets.append("Movement")
    sheets += ["Actions", "Responses"]
    if report.problems:
        sheets.append("Data quality")
    with workbook_at(out_path, title=f"{rollup.settings.board_name} pack {rollup.as_of:%B %Y}",
                     subject=rollup.settings.protective_marking, created=rollup.as_of) as wb:
        ctx = Ctx(wb, rollup, meeting, received)
        ctx.raw, ctx.trend = raw or {}, trend
        ws = {name: wb.add_worksheet(name) for name in sheets}
        info = wb.add_worksheet(PACK_INFO_SHEET)
        facts = wb.add_worksheet(DECISION_FACTS_SHEET)
        _cover(ctx, ws["Cover"], sheets[1:], register_name)
        write_decision_facts(facts, for_decision(ctx, ws["For decision"], questions))
        summary(ctx, ws["Summary"], movement)
        _items(ctx, ws["Items"], progress)
        exceptions(ctx, ws["Exceptions"])
        if movement is not None:
            _movement(ctx, ws["Movement"], movement)
        _actions(ctx, ws["Actions"], progress)
        _responses(ctx, ws["Responses"])
        if report.problems:
            _data_quality(ctx, ws["Data quality"], report)
        _pack_info(ctx, info, register_name)
        ws["Cover"].activate()
    return out_path


def pack_file_name(as_of: dt.date) -> str:
    """'GAIN board pack YYYY-MM.xlsx': the month's pack, by the month of its as-of date."""
    return f"GAIN board pack {as_of:%Y-%m}.xlsx"


def default_pack_name(register_path, as_of: dt.date) -> Path:
    """The month's pack beside the register."""
    return Path(register_path).with_name(pack_file_name(as_of))


def previous_pack(folder: Path, as_of: dt.date) -> Path | None:
    """Last month's pack in ``folder`` (by its default name), if it is there."""
    from gain_workbook.core.dates import add_months

    candidate = folder / pack_file_name(add_months(as_of, -1))
    return candidate if candidate.exists() else None
