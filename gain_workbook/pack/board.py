"""The monthly GAIN Board pack: one xlsxwriter workbook, sheets in the order a board reads them.

Cover, Summary, Items, Exceptions, Movement (with a previous month), Actions,
Responses, Data quality (when there are problems), and a hidden PackInfo sheet that
lets this pack serve as next month's --previous.

Every sheet is print-ready on A4: one page wide, header rows repeated, header and
footer with the protective marking, board name, as-of date and "Page X of Y"; wrapped
text has its row height set (LibreOffice does not grow rows by itself). Register
text is only ever stored as a string (write_string, or FastWorksheet's column
writer, which puts it in the same shared-string table), never through write(),
and the workbook refuses to turn strings into formulas or links anyway
(xlsx.new_workbook).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gain_workbook.excel import styles
from gain_workbook.core.dates import long_date, uk_date
from gain_workbook.excel.styles import CHARS_PER_WIDTH, LINE_HEIGHT
from gain_workbook.excel.styles import wrapped_lines as _lines
from gain_workbook.core.text import as_text as _text
from gain_workbook.core.text import plural, shorten
from gain_workbook.model.problems import board_order
from gain_workbook.status.movement import MOVEMENT_KINDS
from gain_workbook.excel.packfile import ACTION_COLS, ITEM_COLS, PACK_INFO_SHEET, Col, PackInfo
from gain_workbook.status.rollup import report_order
from gain_workbook.excel.writer import Part, header_footer, workbook_at

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
CHART_TOP_N = 12
SUMMARY_INSPECTIONS = 40  # the Summary lists the most recent; Responses lists them all
EXCEPTION_LIMIT = 500     # rows per Exceptions section; the Actions sheet has them all
SHEET_PURPOSE = {
    "Summary": "Headline figures, RAG and status-by-inspection charts, the inspections",
    "Items": "Every item of every inspection with its status, RAG and the reason",
    "Exceptions": "Every Red item with its cause (overdue actions, deadlines passed, no "
                  "actions), then stale updates and actions due soon",
    "Movement": "What changed since the previous pack",
    "Actions": "Every action with its derived status (filterable table)",
    "Responses": "Each inspection's s55 deadline and where the PCC's response stands",
    "Data quality": "Problems found when checking the register",
}


class _Ctx:
    """What every sheet writer needs: the workbook, formats, titles for headers."""

    def __init__(self, wb, rollup, meeting, received=None):
        self.received = received
        self.wb = wb
        self.fmt = styles.formats(wb)
        self.cf = styles.rag_cf(wb)
        self.grid = styles.grid_cf(wb)
        self.rollup = rollup
        self.settings = rollup.settings
        self.as_of = rollup.as_of
        self.meeting = meeting

    def page(self, ws, title: str, landscape: bool = True, repeat: int | None = None) -> None:
        """A4, one page wide, marking/board/as-of/page numbers in header and footer."""
        s = self.settings
        ws.set_paper(9)
        ws.set_landscape() if landscape else ws.set_portrait()
        ws.set_margins(left=0.4, right=0.4, top=0.8, bottom=0.7)
        ws.set_header(self.header(title), {"margin": 0.3})
        ws.set_footer(header_footer(left=[Part(s.protective_marking, bold=True)],
                                    center=[Part("Page &P of &N", code=True)],
                                    right=[Part(f"{s.board_name} pack", shorten=1)],
                                    what="page footer"), {"margin": 0.3})
        if repeat is not None:
            ws.repeat_rows(repeat)
        ws.fit_to_pages(1, 0)
        ws.hide_gridlines(2)

    def header(self, title: str) -> str:
        """Marking | board: sheet title | as-of date; the sheet title gives way first."""
        s = self.settings
        return header_footer(left=[Part(s.protective_marking, bold=True)],
                             center=[Part(f"{s.board_name}: ", bold=True, shorten=2),
                                     Part(title, bold=True, shorten=3)],
                             right=[Part(f"As at {self.as_of:%d/%m/%Y}", shorten=1)])

    def title(self, ws, text: str, sub: str = "") -> int:
        """Sheet title (and subtitle) in the top rows; returns the next free row."""
        ws.set_row(0, 24)
        ws.write_string(0, 0, text, self.fmt["title"])
        if sub:
            ws.write_string(1, 0, sub, self.fmt["subtitle"])
        return 3


def _serials(series) -> list:
    """Dates as Excel serial numbers (None when missing): fast to write as numbers."""
    import pandas as pd

    days = (pd.to_datetime(pd.Series(series)) - EXCEL_EPOCH).dt.days
    return [None if v != v else int(v) for v in days.to_numpy(dtype=float).tolist()]


def _texts(values) -> list:
    """Cell texts, None where the cell stays empty."""
    import pandas as pd

    out = pd.Series(values, dtype=object).tolist()
    for i, v in enumerate(out):
        if type(v) is str:
            if not v:
                out[i] = None
        elif v is None or v != v or v is pd.NaT:
            out[i] = None
        else:
            out[i] = str(v)
    return out


def _heights(columns: list, cols: list[Col]) -> list:
    """Row height for each row from its wrapped cells (None: one line, Excel's default).

    styles.wrapped_lines for each text longer than a line, once per distinct text.
    """
    import numpy as np

    n = len(columns[0]) if columns else 0
    tall = np.ones(n, dtype=np.int64)
    for values, col in zip(columns, cols):
        if col.kind != "wrap":
            continue
        cap = max(1, int(col.width * CHARS_PER_WIDTH))
        w = col.width
        known: dict = {}          # owners, statuses and updates repeat: count each once
        lines = [1 if t is None or len(t) <= cap else known.get(t) or
                 known.setdefault(t, _lines(t, w)) for t in values]
        np.maximum(tall, np.array(lines, dtype=np.int64), out=tall)
    return [LINE_HEIGHT * t + 3 if t > 1 else None for t in tall.tolist()]


def write_table(ctx, ws, row: int, cols: list[Col], frame, header: bool = True,
                progress=None, highlight: dict | None = None) -> int:
    """Write a frame as a table at ``row``; returns the next free row.

    Only cells with a value are written (a cell costs xlsxwriter the same whether it
    holds text or is blank); the grid comes from one conditional format over the
    table. Wrapped columns get row heights from their longest text; dates are serial
    numbers with a date format; register text is stored as strings only (_write_column).
    ``highlight`` colours cells by value: {column key: {value: format}} (RAG columns
    get the RAG colours without asking).
    """
    f = ctx.fmt
    first = row
    if header:
        for c, col in enumerate(cols):
            ws.write_string(row, c, col.header, f["header"])
        # bold headers break on words: count them conservatively
        ws.set_row(row, max(15, LINE_HEIGHT * max(_lines(col.header, col.width, 0.85)
                                                  for col in cols) + 3))
        row += 1
    fmt_of = {"text": f["cell"], "wrap": f["cell_wrap"], "date": f["cell_date"],
              "int": f["cell_center"], "center": f["cell_center"], "rag": f["cell_center"]}
    writes = []
    for col in cols:
        values = frame[col.key] if col.key in frame else [None] * len(frame)
        if col.kind in ("date", "int"):
            values = _serials(values) if col.kind == "date" else \
                [None if v is None or v != v else int(v) for v in list(values)]
            writes.append((True, values, fmt_of[col.kind]))
        else:
            writes.append((False, _texts(values), fmt_of[col.kind]))
    heights = _heights([w[1] for w in writes], cols)
    n = len(frame)
    set_row = ws.set_row
    for c, (numbers, values, cf) in enumerate(writes):
        # column by column: xlsxwriter keeps cells in a dict, so order does not matter
        _write_column(ws, row, c, values, cf, numbers)
        if progress:     # the table's n rows, spread over its columns, adding up to n
            progress(n * (c + 1) // len(cols) - n * c // len(cols))
    for i, h in enumerate(heights):
        if h is not None:
            set_row(row + i, h)
    row += n
    highlight = dict(highlight or {})
    for c, col in enumerate(cols):
        ws.set_column(c, c, col.width, None, {"hidden": True} if col.hidden else {})
        if col.kind == "rag":
            highlight.setdefault(col.key, ctx.cf)
    # LibreOffice applies only the first conditional format that matches a cell, so the
    # highlights (which carry the grid's border too) go before the grid.
    if n:
        for c, col in enumerate(cols):
            for value, hf in highlight.get(col.key, {}).items():
                ws.conditional_format(row - n, c, row - 1, c, {
                    "type": "cell", "criteria": "==", "value": f'"{value}"', "format": hf})
    if row > first:
        ws.conditional_format(first, 0, row - 1, len(cols) - 1,
                              {"type": "no_errors", "format": ctx.grid})
    return row


def _write_column(ws, first_row: int, col: int, values: list, cell_format, numbers: bool):
    """Values down a column (None: no cell), through FastWorksheet when the sheet is one."""
    if hasattr(ws, "write_column_values"):
        ws.write_column_values(first_row, col, values, cell_format, numbers)
        return
    write = ws.write_number if numbers else ws.write_string
    for i, v in enumerate(values):
        if v is not None:
            write(first_row + i, col, v, cell_format)


def section(ctx, ws, row: int, text: str, ncols: int) -> int:
    """A section heading row across the table."""
    ws.merge_range(row, 0, row, ncols - 1, text, ctx.fmt["section"])
    ws.set_row(row, 18)
    return row + 1


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
    rows = [("Force", s.force_name, None), ("Meeting", ctx.meeting, "date"),
            ("Position as at", ctx.as_of, "date"), ("Register", register_name, None),
            ("Protective marking", s.protective_marking, None)]
    r = 5
    for label, value, kind in rows:
        ws.write_string(r, 1, label, f["cover_label"])
        if kind == "date" and value:
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
                   "soon, not updated recently or on hold; Green - on track; Blue - ready for "
                   "closure; Grey - closed, not for the force or no action needed.", f["note"])
    ws.set_row(r, 20)
    ws.set_row(r + 1, 20)
    ws.merge_range(r + 3, 1, r + 3, 2, s.protective_marking, f["marking"])
    ws.print_area(0, 0, r + 3, 2)


def _summary(ctx, ws, movement) -> None:
    import pandas as pd

    f, ru = ctx.fmt, ctx.rollup
    ctx.page(ws, "Summary", landscape=True)
    for c in range(12):
        ws.set_column(c, c, 11.5)
    meeting = f"; meeting {long_date(ctx.meeting)}" if ctx.meeting else ""
    ctx.title(ws, "Summary", f"{ctx.settings.force_name}: position as at "
              f"{long_date(ctx.as_of)}{meeting}")
    head = ru.headline()
    closed = movement.count("Closed or ready for closure") if movement is not None else None
    tiles = [("Open items for the force", head["open_items"]),
             ("Overdue actions", head["overdue_actions"]),
             ("Ready for closure", head["ready_for_closure"]),
             ("Closed or ready since last pack", closed),
             ("New inspections (last 31 days)", head["new_inspections"]),
             ("Responses not yet sent", head["responses_due"])]
    ws.set_row(3, 36)
    ws.set_row(4, 28)
    for i, (label, value) in enumerate(tiles):
        c = i * 2
        if value is None:
            ws.merge_range(3, c, 3, c + 1, "n/a", f["big_number"])
            label += " (no previous pack given)"
        else:
            ws.merge_range(3, c, 3, c + 1, "", f["big_number"])
            ws.write_number(3, c, value, f["big_number"])
        ws.merge_range(4, c, 4, c + 1, label, f["big_label"])
    if ctx.received is not None:
        got = ctx.received
        line = (f"Actions updated this month: {got.updated} of {got.of} (since "
                f"{uk_date(got.since)}).")
        if got.asked:
            line += (f" Update requests: {got.asked} owners asked on {uk_date(got.asked_on)}, "
                     f"{got.asked - len(got.silent)} replied.")
        if got.waiting:
            line += (f" {plural(len(got.waiting), 'new due date')} asked for "
                     f"wait{'s' if len(got.waiting) == 1 else ''} for the board (Exceptions).")
        ws.set_row(5, 21)                  # a little air between the tiles and the charts
        ws.write_string(5, 0, line, f["label"])

    items = ru.items
    app = items[items["applies"] == "Yes"]
    # chart data lives beside the print area (columns N onwards)
    rag_names = ["Red", "Amber", "Green", "Blue", "Grey"]
    ws.write_string(6, 13, "RAG", f["label"])
    ws.write_string(6, 14, "Items", f["label"])
    for i, rag in enumerate(rag_names):
        ws.write_string(7 + i, 13, rag)
        ws.write_number(7 + i, 14, int((app["rag"] == rag).sum()))
    ws.set_column(13, 18, 9)
    ws.write_string(6, 0, "Items for the force by RAG", f["heading"])
    ws.write_string(6, 4, "Items for the force by inspection and RAG", f["heading"])
    pie = ctx.wb.add_chart({"type": "doughnut"})
    pie.add_series({"name": "Items by RAG", "categories": ["Summary", 7, 13, 11, 13],
                    "values": ["Summary", 7, 14, 11, 14],
                    "points": [{"fill": {"color": styles.RAG_COLOURS[r][0]},
                                "border": {"color": "#FFFFFF"}} for r in rag_names],
                    "data_labels": {"value": True}})
    pie.set_title({"none": True})
    pie.set_legend({"position": "right"})
    pie.set_hole_size(45)
    pie.set_size({"width": 4 * 86 - 10, "height": 290})
    ws.insert_chart(7, 0, pie, {"x_offset": 2, "y_offset": 6, "object_position": 3})

    ins = ru.inspections.copy()
    counts = {rag: ins["inspection_id"].map(app[app["rag"] == rag].groupby("item_inspection_id")
                                            .size()).fillna(0).astype(int) for rag in rag_names}
    for rag in rag_names:
        ins["c_" + rag] = counts[rag]
    ins["c_open"] = ins["c_Red"] + ins["c_Amber"] + ins["c_Green"]
    ins = ins.sort_values(["c_Red", "c_Amber", "c_open", "published"],
                          ascending=[False, False, False, False], kind="stable")
    top = ins.head(CHART_TOP_N)
    top_rev = top.iloc[::-1]    # a bar chart draws its first category at the bottom
    for i, r in enumerate(top_rev.itertuples(index=False)):
        ws.write_string(14 + i, 13, r.inspection_id)
        for j, rag in enumerate(["Red", "Amber", "Green", "Blue"]):
            ws.write_number(14 + i, 14 + j, int(getattr(r, "c_" + rag)))
    bar = ctx.wb.add_chart({"type": "bar", "subtype": "stacked"})
    n = len(top_rev)
    for j, rag in enumerate(["Red", "Amber", "Green", "Blue"]):
        bar.add_series({"name": rag, "categories": ["Summary", 14, 13, 13 + max(n, 1), 13],
                        "values": ["Summary", 14, 14 + j, 13 + max(n, 1), 14 + j],
                        "fill": {"color": styles.RAG_COLOURS[rag][0]},
                        "border": {"color": "#7F7F7F"}, "gap": 60})
    if len(ins) > CHART_TOP_N:
        bar.set_title({"name": f"The {CHART_TOP_N} inspections with most red and amber items",
                       "name_font": {"size": 10, "bold": False}})
    else:
        bar.set_title({"none": True})
    bar.set_legend({"position": "bottom"})
    bar.set_x_axis({"major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
                    "num_format": "0", "min": 0})
    bar.set_size({"width": 8 * 86 - 10, "height": 290})
    ws.insert_chart(7, 4, bar, {"x_offset": 2, "y_offset": 6, "object_position": 3})

    row = 23
    ws.write_string(row, 0, "Inspections", f["heading"])
    row += 1
    hdr = ["Inspection ID", "Title", "", "", "Published", "Items for force", "Red", "Amber",
           "Green", "Ready for closure", "RAG", "Response"]
    for c, h in enumerate(hdr):
        ws.write_string(row, c, h, f["header"])
    ws.merge_range(row, 1, row, 3, "Title", f["header"])
    ws.set_row(row, 28)
    ctx_rows = row
    row += 1
    recent = ins.sort_values("published", ascending=False, kind="stable")
    for r in recent.head(SUMMARY_INSPECTIONS).itertuples(index=False):
        ws.write_string(row, 0, r.inspection_id or "", f["text"])
        ws.merge_range(row, 1, row, 3, "", f["wrap"])
        ws.write_string(row, 1, _text(r.title), f["wrap"])
        if pd.notna(r.published):
            ws.write_number(row, 4, (r.published - EXCEL_EPOCH).days, f["date_center"])
        else:
            ws.write_blank(row, 4, None, f["date_center"])
        for c, v in ((5, r.n_for_force), (6, r.c_Red), (7, r.c_Amber), (8, r.c_Green),
                     (9, r.c_Blue)):
            ws.write_number(row, c, int(v), f["int"])
        ws.write_string(row, 10, r.rag, f["center"])
        ws.write_string(row, 11, r.response_state or "", f["center"])
        ws.set_row(row, LINE_HEIGHT * _lines(_text(r.title), 34) + 3)
        row += 1
    for rag, cf in ctx.cf.items():
        ws.conditional_format(ctx_rows + 1, 10, max(row - 1, ctx_rows + 1), 10, {
            "type": "cell", "criteria": "==", "value": f'"{rag}"', "format": cf})
    if len(recent) > SUMMARY_INSPECTIONS:
        ws.merge_range(row, 0, row, 11, f"... and {len(recent) - SUMMARY_INSPECTIONS:,} older "
                       "inspections: the Responses sheet lists every inspection.", f["note"])
        row += 1
    ws.repeat_rows(ctx_rows)
    ws.print_area(0, 0, max(row - 1, ctx_rows), 11)


def _items(ctx, ws, progress) -> None:
    it = ctx.rollup.items.copy()
    it["done_of"] = [f"{d} / {n}" if n else "-" for d, n in zip(it["n_done"], it["n_actions"])]
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
    ctx.page(ws, "Items", repeat=3)
    ctx.title(ws, "Items", shown)
    last = write_table(ctx, ws, 3, ITEM_COLS, it, progress=progress)
    ws.freeze_panes(4, 3)
    ws.autofilter(3, 0, max(last - 1, 3), len(ITEM_COLS) - 1)


EXC_COLS = [
    Col("Exception", "exception", "wrap", 13),
    Col("Inspection ID", "inspection_id", "wrap", 12),
    Col("Item", "label", "wrap", 9),
    Col("Action (or item)", "what", "wrap", 45),
    Col("Owner", "owner", "wrap", 16),
    Col("Date", "date", "date", 11),
    Col("Days", "days", "int", 7),
    Col("Detail", "detail", "wrap", 38),
]


def _exceptions(ctx, ws) -> None:
    import pandas as pd

    ru = ctx.rollup
    a = ru.actions
    s = ctx.settings
    ctx.page(ws, "Exceptions", repeat=3)
    ctx.title(ws, "Exceptions", "Every Red item with its cause, then what is stale or due soon"
              + ("; then new due dates asked for, owners whose reply is not merged and the "
                 "updates received" if ctx.received is not None and _chasing(ctx.received) else "")
              + "; the worst first in each part")
    groups = []
    od = a[a["overdue"]].sort_values("days_overdue", ascending=False, kind="stable")
    groups.append(("Overdue actions", pd.DataFrame({
        "exception": "Overdue", "inspection_id": od["inspection_id"],
        "label": _with_parent(ru.items, od),
        "what": od["action_text"], "owner": od["owner"], "date": od["effective_due"],
        "days": od["days_overdue"], "detail": od["action_status"].fillna("") + ". " +
        od["latest_update"].fillna("No update recorded.")})))
    it = ru.items
    late = it[it["deadline_passed"]].sort_values("days_past_deadline", ascending=False,
                                                 kind="stable")
    groups.append(("Items open past their deadline", pd.DataFrame({
        "exception": "Past deadline", "inspection_id": late["item_inspection_id"],
        "label": late["label"], "what": late["item_text"], "owner": late["item_lead"],
        "date": late["effective_deadline"], "days": late["days_past_deadline"],
        "detail": late["reason"]})))
    gap = it[it["status"] == "No actions"].sort_values("published", kind="stable")
    groups.append(("Items for the force with no actions and no reason", pd.DataFrame({
        "exception": "No actions", "inspection_id": gap["item_inspection_id"],
        "label": gap["label"],
        "what": gap["item_text"], "owner": gap["item_lead"], "date": gap["published"],
        "days": (pd.Timestamp(ctx.as_of) - gap["published"]).dt.days,
        "detail": "Published on the date shown; add actions or a reason for none."})))
    st = a[a["stale"]].sort_values("days_quiet", ascending=False, na_position="first",
                                   kind="stable")
    groups.append((f"Not updated for more than {s.stale_days} days", pd.DataFrame({
        "exception": "Stale", "inspection_id": st["inspection_id"], "label": st["label"],
        "what": st["action_text"], "owner": st["owner"], "date": st["quiet_since"],
        "days": st["days_quiet"],
        "detail": [_quiet_detail(t, u, d) for t, u, d in
                   zip(st["latest_update"], st["last_updated"], st["quiet_since"])]})))
    ds = a[a["due_soon"]].sort_values("days_to_due", kind="stable")
    groups.append((f"Due in the next {s.due_soon_days} days", pd.DataFrame({
        "exception": "Due soon", "inspection_id": ds["inspection_id"], "label": ds["label"],
        "what": ds["action_text"], "owner": ds["owner"], "date": ds["effective_due"],
        "days": ds["days_to_due"], "detail": ds["action_status"]})))
    if ctx.received is not None and _chasing(ctx.received):
        groups += _received_groups(ctx, a)
    _sectioned(ctx, ws, EXC_COLS, groups, limit=EXCEPTION_LIMIT)


def _chasing(got) -> bool:
    """Does the office chase owners with requests (else the pack says nothing of it)?"""
    return bool(got.asked or got.updates or got.waiting or got.kept)


def _received_groups(ctx, a) -> list:
    """The chase's sections: new due dates asked for, owners who have not replied, and
    the updates merged since the last pack (when the register keeps them)."""
    import pandas as pd

    got = ctx.received
    info = a.drop_duplicates("action_id").set_index("action_id")

    def look(ids, key):
        return [info[key].get(i, "") if i in info.index else "" for i in ids]

    groups = []
    w = got.waiting
    ids = [e["action_id"] for e in w]
    groups.append(("New due dates asked for, waiting for the board", pd.DataFrame({
        "exception": "New date asked", "inspection_id": look(ids, "inspection_id"),
        "label": look(ids, "label"), "what": look(ids, "action_text"),
        "owner": [e["owner"] for e in w], "date": pd.to_datetime([e["requested"] for e in w]),
        "days": [(e["requested"] - e["current"]).days if e["requested"] and e["current"]
                 else None for e in w],
        "detail": [f"Due {uk_date(e['current']) or '(none)'}; asks for {uk_date(e['requested'])}"
                   + (f": {e['reason']}" if e["reason"] else "")
                   + f" (asked {uk_date(e['asked'])})" for e in w]},
        columns=[c.key for c in EXC_COLS])))
    if got.asked:
        sl = got.silent
        groups.append(("Owners asked for an update whose reply is not merged", pd.DataFrame({
            "exception": "No reply", "inspection_id": "", "label": "",
            "what": [f"{plural(s['actions'], 'open action')} asked about"
                     for s in sl],
            "owner": [s["owner"] for s in sl],
            "date": pd.to_datetime([s["reply_by"] for s in sl]),
            "days": [max((ctx.as_of - s["reply_by"]).days, 0) if s["reply_by"] else None
                     for s in sl],
            "detail": [f"Asked {uk_date(s['asked'])}; reply by {uk_date(s['reply_by'])}."
                       for s in sl]}, columns=[c.key for c in EXC_COLS])))
    up = got.updates
    ids = [u["action_id"] for u in up]
    groups.append((f"Updates received since {uk_date(got.since)}", pd.DataFrame({
        "exception": "Updated", "inspection_id": look(ids, "inspection_id"),
        "label": look(ids, "label"), "what": look(ids, "action_text"),
        "owner": [u["owner"] for u in up], "date": pd.to_datetime([u["date"] for u in up]),
        "days": None,
        "detail": ["; ".join(f"{f}: {_was(old)} -> {_was(new)}" for f, old, new in u["fields"]
                             if f != "Last updated") for u in up]},
        columns=[c.key for c in EXC_COLS])))
    return groups


def _was(v) -> str:
    if v is None or v == "":
        return "(blank)"
    if isinstance(v, (dt.date, dt.datetime)):
        return uk_date(v)
    return shorten(str(v), 80)


def _quiet_detail(update, updated, since) -> str:
    """What a stale action last said, and from when its quiet is counted when the
    update has no date (a tracker's 'Current Position' column with no date beside it)."""
    text = _text(update)
    if updated == updated and updated is not None:
        return text or "Updated, with no text."
    counted = f"counted from {since:%d/%m/%Y}" if since == since and since is not None else ""
    if text:
        return f"{text} (the update has no date{'; ' + counted if counted else ''})"
    return f"Never updated ({counted})." if counted else "Never updated."


def _with_parent(items, actions) -> list[str]:
    """Each action's item label, with the cause of concern it comes under when it is
    one of a CoC's recommendations ('Rec 2 (CoC 1)'): the CoC is Red through it."""
    label = dict(zip(items["item_id"], items["label"]))
    parent = dict(zip(items["item_id"], items["parent_item"]))
    out = []
    for item_id, own in zip(actions["action_item_id"], actions["label"]):
        up = parent.get(item_id)
        up = label.get(up) if up == up and up is not None else None
        compact = str(own).replace(" ", "").lower()
        out.append(f"{own} ({up})" if up and not compact.startswith(
            up.replace(" ", "").lower()) else own)
    return out


def _sectioned(ctx, ws, cols: list[Col], groups, limit: int | None = None) -> None:
    """One header row, then a titled section per group ('None.' when it is empty)."""
    import pandas as pd

    row = write_table(ctx, ws, 3, cols, pd.DataFrame(columns=[c.key for c in cols]))
    for title, frame in groups:
        row = section(ctx, ws, row, f"{title} ({len(frame)})", len(cols))
        if frame.empty:
            ws.merge_range(row, 0, row, len(cols) - 1, "None.", ctx.fmt["note"])
            row += 1
            continue
        shown = frame if limit is None else frame.head(limit)
        row = write_table(ctx, ws, row, cols, shown, header=False)
        if len(frame) > len(shown):
            ws.merge_range(row, 0, row, len(cols) - 1,
                           f"... and {len(frame) - len(shown):,} more, not listed here: "
                           "the Actions sheet has every action (filter its columns).",
                           ctx.fmt["note"])
            row += 1
    ws.freeze_panes(4, 0)


MOVE_COLS = [
    Col("Change", "kind", "wrap", 14),
    Col("Inspection ID", "inspection_id", "wrap", 12),
    Col("Item", "item", "text", 8),
    Col("Action (or item)", "action", "wrap", 44),
    Col("Owner", "owner", "wrap", 15),
    Col("Was", "was", "text", 16),
    Col("Now", "now", "text", 16),
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
    _sectioned(ctx, ws, MOVE_COLS, [(kind, rows[rows["kind"] == kind]) for kind in MOVEMENT_KINDS])


def _actions(ctx, ws, progress) -> None:
    import numpy as np

    a = ctx.rollup.actions.copy()
    a["days_overdue_n"] = a["days_overdue"].where(a["overdue"])
    flags = np.where(a["due_soon"], "due soon", "")
    flags = np.where(a["stale"], np.char.add(flags, np.where(flags != "", ", stale", "stale")),
                     flags)
    flags = np.where(a["on_hold"], np.char.add(flags, np.where(flags != "", ", on hold",
                                                               "on hold")), flags)
    a["flags"] = flags
    ctx.page(ws, "Actions", repeat=3)
    ctx.title(ws, "Actions", "Every action, with its effective due date and derived status")
    last = write_table(ctx, ws, 3, ACTION_COLS, a, progress=progress)
    if len(a):
        ws.add_table(3, 0, last - 1, len(ACTION_COLS) - 1, {
            "name": "Actions", "style": "Table Style Light 1", "autofilter": True,
            "columns": [{"header": c.header, "header_format": ctx.fmt["header"]}
                        for c in ACTION_COLS]})
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
    write_table(ctx, ws, 3, cols, ins, highlight={
        "response_state": {state: ctx.cf[rag] for state, rag in colours.items()}})
    ws.freeze_panes(4, 1)


DQ_COLS = [
    Col("Severity", "severity", "center", 9),
    Col("About", "about", "wrap", 20),
    Col("What to do", "message", "wrap", 52),
    Col("Column", "header", "wrap", 14),
    Col("Value", "value", "wrap", 18),
    Col("Rule", "code", "text", 24),     # the longest code, CLOSED_WITH_OPEN_ACTIONS
    Col("Where", "where", "wrap", 12),
]


def _data_quality(ctx, ws, report) -> None:
    import pandas as pd

    ctx.page(ws, "Data quality", repeat=3)
    e, w = len(report.errors), len(report.warnings)
    ctx.title(ws, "Data quality", f"{plural(e, 'error')} and {plural(w, 'warning')} "
              "found when checking the register")
    frame = pd.DataFrame([p.to_dict() for p in board_order(report.problems)])
    frame["about"] = [p or s for p, s in zip(frame["subject"], frame["sheet"])]
    write_table(ctx, ws, 3, DQ_COLS, frame, highlight={
        "severity": {"error": ctx.cf["Red"], "warning": ctx.cf["Amber"]}})
    ws.freeze_panes(4, 0)


def _pack_info(ctx, ws, register_name: str) -> None:
    from gain_workbook import __version__

    PackInfo(ctx.as_of, register=register_name, meeting=long_date(ctx.meeting),
             headline=ctx.rollup.headline(), version=__version__).write(ws, ctx.fmt["date"])


def build_pack(rollup, report, out_path, meeting: dt.date | None = None, movement=None,
               register_name: str = "", progress=None, received=None) -> Path:
    """Write the board pack for a roll-up to ``out_path`` (atomically); returns the path.

    ``report`` is the register's ValidationReport (its problems go on Data quality);
    ``movement`` the comparison with last month, if any; ``progress(n)`` is called as
    rows are written.
    """
    out_path = Path(out_path)
    sheets = ["Cover", "Summary", "Items", "Exceptions"]
    if movement is not None:
        sheets.append("Movement")
    sheets += ["Actions", "Responses"]
    if report.problems:
        sheets.append("Data quality")
    with workbook_at(out_path, title=f"{rollup.settings.board_name} pack {rollup.as_of:%B %Y}",
                     subject=rollup.settings.protective_marking, created=rollup.as_of) as wb:
        ctx = _Ctx(wb, rollup, meeting, received)
        ws = {name: wb.add_worksheet(name) for name in sheets}
        info = wb.add_worksheet(PACK_INFO_SHEET)
        _cover(ctx, ws["Cover"], sheets[1:], register_name)
        _summary(ctx, ws["Summary"], movement)
        _items(ctx, ws["Items"], progress)
        _exceptions(ctx, ws["Exceptions"])
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

