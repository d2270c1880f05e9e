"""An owner's update request as a workbook: what the register says, and yellow cells to fill.

One sheet an owner can follow without reading anything else: a heading (what this
is, reply by when, to whom), then one row per open action. The register's side is
locked; only the yellow cells are open, with a dropdown for the status and date
checks for the dates. The sheet is protected without a password: against accidents,
not as security. A very hidden sheet carries what merge needs to trust the reply
(``REQUEST_SHEET``): the register, the as-of date, the owner, and each action's row
as it was (``chase.FINGERPRINT_KEYS``) and the locked cells as they were written.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from gain_workbook.excel import styles
from gain_workbook.chase.requests import REQUEST_FORMAT, OwnerRequest, fingerprint
from gain_workbook.core.dates import long_date, uk_date
from gain_workbook.model.schema import ACTION_STATUSES
from gain_workbook.core.text import fit_cell, plural
from gain_workbook.excel.writer import Part, header_footer, workbook_at

REQUEST_MARKER = "gain-pack update request"
REQUEST_SHEET = "gain-pack request"          # very hidden
SHEET = "Update request"
FIRST_ROW = 7                                # 0-based: the first action's row
FILL = "#FFF2CC"                             # the yellow of the cells to fill in
MAX_CELL = 32_000                            # below Excel's 32,767 characters a cell


@dataclass(frozen=True)
class ReqCol:
    header: str
    key: str
    width: float
    kind: str = "text"        # text | date
    fill: bool = False        # the owner fills it in


COLUMNS = (
    ReqCol("Item", "item", 11),
    ReqCol("What the item says", "item_text", 24),
    ReqCol("Action ID", "action_id", 12),
    ReqCol("Action", "action_text", 25),
    ReqCol("Due", "due", 10, "date"),
    ReqCol("Revised due", "revised_due", 10, "date"),
    ReqCol("Overdue or due in", "when", 10),
    ReqCol("Status now", "status", 11),
    ReqCol("Last update", "last", 25),
    ReqCol("New status", "new_status", 12, fill=True),
    ReqCol("What has happened since the last update", "update", 30, fill=True),
    ReqCol("Evidence (document or reference)", "evidence", 15, fill=True),
    ReqCol("Completed on", "completed", 11, "date", fill=True),
    ReqCol("New due date you ask for", "asked_due", 11, "date", fill=True),
    ReqCol("Why you need a new date", "reason", 17, fill=True),
)
LOCKED = tuple(c for c in COLUMNS if not c.fill)
FILLED = tuple(c for c in COLUMNS if c.fill)
# the meta sheet's fields, in order (row 1 is the marker)
META = ("Format", "Register", "Force", "As of", "Reply by", "Owner", "Request", "Replies to")
META_TABLE_ROW = 12          # 0-based: the header of the per-action table on the meta sheet
# The statuses an owner may set: closing is the board's decision (Ready for closure and
# Closed are set only by gain-pack decisions, or by the office in the register).
OWNER_STATUSES = tuple(s for s in ACTION_STATUSES if s not in ("Ready for closure", "Closed"))
BOARD_STATUSES = tuple(s for s in ACTION_STATUSES if s not in OWNER_STATUSES)


def shown_values(asked) -> list:
    """The locked cells of an action's row as written (dates as YYYY-MM-DD): what merge
    compares a reply's locked cells with."""
    out = []
    for col in LOCKED:
        v = _value(asked, col.key)
        text = fit_cell(str(v), MAX_CELL).strip() if v and not isinstance(v, dt.date) else ""
        out.append(v.isoformat() if isinstance(v, dt.date) else (text or None))
    return out


def _value(asked, key: str):
    if key == "when":
        return asked.when
    if key == "last":
        if asked.last_updated and asked.latest_update:
            return f"{uk_date(asked.last_updated)}: {asked.latest_update}"
        return asked.latest_update or (f"updated {uk_date(asked.last_updated)}"
                                       if asked.last_updated else "No update recorded.")
    if key == "item":
        return f"{asked.inspection} {asked.item}".strip()
    return getattr(asked, key)


def write_request(path, req: OwnerRequest, *, register_name: str, settings, as_of: dt.date,
                  reply_by: dt.date, replies_to: str) -> Path:
    """Write one owner's request to ``path`` (atomically); same inputs, same bytes."""
    path = Path(path)
    # in memory: a month's requests are hundreds of small workbooks, and xlsxwriter's
    # temporary part files would cost more than writing them
    with workbook_at(path, title=f"Update request {as_of:%B %Y}: {req.owner}",
                     subject=settings.protective_marking, created=as_of, in_memory=True) as wb:
        fmt = {name: wb.add_format({**styles.BASE, **styles.SPECS[name]})
               for name in ("title", "subtitle", "label", "header", "wrap", "date")}
        extra = {
            "fill": wb.add_format({**styles.BASE, "bg_color": FILL, "border": 1,
                                   "border_color": styles.BORDER_GREY, "text_wrap": True,
                                   "locked": False}),
            "fill_date": wb.add_format({**styles.BASE, "bg_color": FILL, "border": 1,
                                        "border_color": styles.BORDER_GREY, "locked": False,
                                        "num_format": styles.DATE_FORMAT, "align": "left"}),
            "box": wb.add_format({**styles.BASE, "text_wrap": True, "border": 1,
                                  "border_color": styles.NAVY, "bg_color": "#F2F2F2",
                                  "font_size": 11}),
            "group": wb.add_format({**styles.BASE, "bold": True, "font_color": "#FFFFFF",
                                    "bg_color": styles.NAVY, "align": "center",
                                    "valign": "vcenter", "border": 1}),
            "group_fill": wb.add_format({**styles.BASE, "bold": True, "bg_color": "#FFD966",
                                         "align": "center", "valign": "vcenter", "border": 1}),
            "fill_header": wb.add_format({**styles.BASE, **styles.SPECS["header"],
                                          "bg_color": "#FFE699"}),
        }
        ws = wb.add_worksheet(SHEET)
        _page(ws, req, settings, as_of)
        _heading(ws, fmt, extra, req, settings, as_of, reply_by, replies_to)
        _rows(ws, fmt, extra, req, as_of)
        meta = wb.add_worksheet(REQUEST_SHEET)
        _meta(meta, req, register_name, settings, as_of, reply_by, replies_to)
        meta.very_hidden()
        meta.protect("")
        ws.activate()
    return path


def _page(ws, req, settings, as_of) -> None:
    ws.set_paper(9)
    ws.set_landscape()
    ws.set_margins(left=0.3, right=0.3, top=0.7, bottom=0.6)
    ws.set_header(header_footer(left=[Part(settings.protective_marking, bold=True)],
                                center=[Part(f"Update request: {req.owner}", bold=True,
                                             shorten=2)],
                                right=[Part(f"As at {as_of:%d/%m/%Y}", shorten=1)]),
                  {"margin": 0.3})
    ws.set_footer(header_footer(left=[Part(settings.protective_marking, bold=True)],
                                center=[Part("Page &P of &N", code=True)],
                                right=[Part(settings.board_name, shorten=1)],
                                what="page footer"), {"margin": 0.3})
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(FIRST_ROW - 2, FIRST_ROW - 1)
    ws.hide_gridlines(2)
    for c, col in enumerate(COLUMNS):
        ws.set_column(c, c, col.width)


def _heading(ws, fmt, extra, req, settings, as_of, reply_by, replies_to) -> None:
    last = len(COLUMNS) - 1
    n = len(req.actions)
    ws.set_row(0, 24)
    ws.write_string(0, 0, f"Update request: your HMICFRS actions ({settings.board_name})",
                    fmt["title"])
    figures = [plural(n, "open action")]
    if req.overdue:
        figures.append(f"{len(req.overdue)} overdue")
    if req.due_soon:
        figures.append(f"{len(req.due_soon)} due in the next {settings.due_soon_days} days")
    ws.write_string(1, 0, f"For {req.owner}: {', '.join(figures)}, as at {long_date(as_of)}.",
                    fmt["subtitle"])
    back = f"send it back to {replies_to}" if replies_to else \
        "send it back to the office that sent it"
    what = (f"What to do: for each action below, fill in the yellow cells on the right: the "
            f"status now, what has happened since the last update, where the evidence is, the "
            f"date it was completed (if it is), and a new due date only if you need one, with "
            f"the reason (the {settings.board_name} decides on new dates). Leave the other "
            f"cells as they are. Then save this workbook, keeping its name, and {back} by "
            f"{long_date(reply_by)}.")
    ws.merge_range(2, 0, 2, last, what, extra["box"])
    ws.set_row(2, 48)
    ws.write_string(3, 0, f"Reply by {long_date(reply_by)}", fmt["label"])
    ws.write_string(3, 4, f"Return to: {replies_to or 'the office that sent it'}", fmt["label"])
    split = len(LOCKED)
    ws.merge_range(FIRST_ROW - 2, 0, FIRST_ROW - 2, split - 1,
                   "What the register says now (do not change)", extra["group"])
    ws.merge_range(FIRST_ROW - 2, split, FIRST_ROW - 2, last,
                   "Your update: fill in the yellow cells", extra["group_fill"])
    lines = max(styles.wrapped_lines(c.header, c.width, 1.1) for c in COLUMNS)
    ws.set_row(FIRST_ROW - 1, max(2, lines) * styles.LINE_HEIGHT + 4)
    for c, col in enumerate(COLUMNS):
        ws.write_string(FIRST_ROW - 1, c, col.header,
                        extra["fill_header"] if col.fill else fmt["header"])
    ws.freeze_panes(FIRST_ROW, 0)


def _rows(ws, fmt, extra, req, as_of) -> None:
    r = FIRST_ROW
    for asked in req.actions:
        tall = 1
        for c, col in enumerate(COLUMNS):
            if col.fill:
                ws.write_blank(r, c, None, extra["fill_date" if col.kind == "date" else "fill"])
                continue
            v = _value(asked, col.key)
            if col.kind == "date" and v:
                ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), fmt["date"])
            elif v:
                ws.write_string(r, c, fit_cell(str(v), MAX_CELL), fmt["wrap"])
                tall = max(tall, styles.wrapped_lines(str(v), col.width))
            else:
                ws.write_blank(r, c, None, fmt["wrap"])
        ws.set_row(r, min(max(tall, 3), 30) * styles.LINE_HEIGHT + 3)
        r += 1
    if r == FIRST_ROW:
        return
    at = {c.key: i for i, c in enumerate(COLUMNS)}
    end = r - 1
    ws.data_validation(FIRST_ROW, at["new_status"], end, at["new_status"], {
        "validate": "list", "source": list(OWNER_STATUSES), "error_type": "stop",
        "error_title": "New status", "input_title": "New status",
        "input_message": "Pick the action's status now (leave blank if unchanged); the "
        "board decides when it is closed.",
        "error_message": "Choose one of: " + ", ".join(OWNER_STATUSES)})
    ws.data_validation(FIRST_ROW, at["completed"], end, at["completed"], {
        "validate": "date", "criteria": "between",
        "minimum": dt.date(2000, 1, 1), "maximum": as_of + dt.timedelta(days=366),
        "error_type": "stop", "error_title": "Completed on",
        "input_title": "Completed on", "input_message": "The date it was completed, e.g. "
        "28/11/2026 (only if it is complete).",
        "error_message": "Type a date such as 28/11/2026."})
    ws.data_validation(FIRST_ROW, at["asked_due"], end, at["asked_due"], {
        "validate": "date", "criteria": ">", "value": as_of,
        "error_type": "stop", "error_title": "New due date",
        "input_title": "New due date", "input_message": "Only if you need more time: the date "
        "you ask for; say why in the next column. The board decides.",
        "error_message": f"Type a date after {uk_date(as_of)}, such as 31/03/2027."})
    ws.protect("", {"format_rows": True, "format_columns": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})


def _meta(ws, req, register_name, settings, as_of, reply_by, replies_to) -> None:
    ws.write_string(0, 0, REQUEST_MARKER)
    values = (str(REQUEST_FORMAT), register_name, settings.force_name, as_of.isoformat(),
              reply_by.isoformat(), req.owner, req.request_id, replies_to)
    for r, (key, value) in enumerate(zip(META, values), start=1):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    for c, h in enumerate(("Row", "Action ID", "Fingerprint", "Row as it was (JSON)")):
        ws.write_string(META_TABLE_ROW, c, h)
    for n, asked in enumerate(req.actions, start=1):
        r = META_TABLE_ROW + n
        ws.write_number(r, 0, FIRST_ROW + n)           # the action's Excel row
        ws.write_string(r, 1, asked.action_id)
        ws.write_string(r, 2, fingerprint(asked.values))
        blob = json.dumps({"values": asked.values, "shown": shown_values(asked)},
                          ensure_ascii=False, sort_keys=True)
        # a cell holds 32,767 characters: a longer row goes on in the cells to its right
        for c, start in enumerate(range(0, len(blob), MAX_CELL), start=3):
            ws.write_string(r, c, blob[start:start + MAX_CELL])
