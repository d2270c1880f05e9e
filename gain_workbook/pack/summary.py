"""The pack's Summary sheet: the headline figures beside last month's, what came back from
owners, the items by RAG and by inspection as charts, whether it is getting better (twelve
months of open and overdue actions and items closed, the on-time rate, how long the late
actions are late), and the most recent inspections."""

from __future__ import annotations

from gain_workbook.core.dates import long_date, uk_date
from gain_workbook.core.text import as_text as _text
from gain_workbook.core.text import plural
from gain_workbook.excel import styles
from gain_workbook.excel.styles import LINE_HEIGHT
from gain_workbook.excel.styles import wrapped_lines as _lines
from gain_workbook.pack.layout import EXCEL_EPOCH

CHART_TOP_N = 12
TREND_ROW = 23            # 'Is it getting better?' starts the second page
TREND_DATA_COL = 20       # the trend chart's figures, beside the print area
CHART_HEIGHT = 300        # pixels
SUMMARY_INSPECTIONS = 40  # the Summary lists the most recent; Responses lists them all
RAG_NAMES = ["Red", "Amber", "Green", "Blue", "Grey"]
BAR_RAGS = ["Red", "Amber", "Green", "Blue"]


def summary(ctx, ws, movement) -> None:
    """The Summary sheet: the headline and charts on one landscape page, the trend and
    the inspections from the second."""
    ctx.page(ws, "Summary", landscape=True)
    for c in range(12):
        ws.set_column(c, c, 11.5)
    meeting = f"; meeting {long_date(ctx.meeting)}" if ctx.meeting else ""
    ctx.title(ws, "Summary", f"{ctx.settings.force_name}: position as at "
              f"{long_date(ctx.as_of)}{meeting}")
    _tiles(ctx, ws, movement)
    line = " ".join(x for x in (_compared_line(ctx.trend),
                                _received_line(ctx.received) if ctx.received else "") if x)
    if line:                               # across the page, wrapped, with a little air
        ws.set_row(5, LINE_HEIGHT * _lines(line, 12 * 11.5) + 6)
        ws.merge_range(5, 0, 5, 11, line, ctx.fmt["label_wrap"])
    items = ctx.rollup.items
    app = items[items["applies"] == "Yes"]
    _rag_chart(ctx, ws, app)
    ins = _inspections_by_rag(ctx.rollup.inspections, app)
    _inspection_chart(ctx, ws, ins)
    start = TREND_ROW
    if ctx.trend is not None:
        ws.set_h_pagebreaks([TREND_ROW])
        start = _getting_better(ctx, ws, ctx.trend, TREND_ROW)
    _inspections_table(ctx, ws, ins, start)


def _tiles(ctx, ws, movement) -> None:
    """The headline figures, each a big number over its label."""
    f = ctx.fmt
    head = ctx.rollup.headline()
    closed = movement.count("Closed or ready for closure") if movement is not None else None
    tiles = [("Open items for the force", "open_items"),
             ("Overdue actions", "overdue_actions"),
             ("Items and actions to close (for decision)", "ready_for_closure"),
             ("Closed or ready since last pack", None),
             ("New inspections (last 31 days)", "new_inspections"),
             ("Responses not yet sent", "responses_due")]
    was = ctx.trend.last_month if ctx.trend is not None else {}
    ws.set_row(3, 36)
    ws.set_row(4, 40)
    for i, (label, key) in enumerate(tiles):
        c = i * 2
        value = head[key] if key else closed
        if value is None:
            ws.merge_range(3, c, 3, c + 1, "n/a", f["big_number"])
            label += " (no previous pack given)"
        else:
            ws.merge_range(3, c, 3, c + 1, "", f["big_number"])
            ws.write_number(3, c, value, f["big_number"])
            if key:
                label += "\n" + was_line(value, was.get(key), key in was)
        ws.merge_range(4, c, 4, c + 1, label, f["big_label"])


def was_line(now: int, then, asked: bool) -> str:
    """'was 11 last month (down 3)', 'same as last month', 'last month not known'."""
    if not asked:
        return ""
    if then is None:
        return "last month: not known"
    change = now - int(then)
    if not change:
        return f"was {then} last month (no change)"
    return f"was {then} last month ({'up' if change > 0 else 'down'} {abs(change)})"


def _compared_line(trend) -> str:
    """Where last month's figures come from, in a sentence."""
    if trend is None or trend.last_as_of is None:
        return ""
    if trend.last_source:
        return (f"Last month: the figures of {trend.last_source} (as at "
                f"{uk_date(trend.last_as_of)}).")
    return (f"Last month: worked out from the register's own dates as at "
            f"{uk_date(trend.last_as_of)}.")


def _received_line(got) -> str:
    """One line on what came back from owners this month."""
    line = (f"Actions updated this month: {got.updated} of {got.of} (since "
            f"{uk_date(got.since)}).")
    if got.asked:
        line += (f" Update requests: {plural(got.asked, 'owner')} asked on "
                 f"{uk_date(got.asked_on)}, {got.asked - len(got.silent)} replied.")
    if got.waiting:
        line += (f" {plural(len(got.waiting), 'new due date')} asked for "
                 f"wait{'s' if len(got.waiting) == 1 else ''} for the board (For decision).")
    return line


def _rag_chart(ctx, ws, app) -> None:
    """The force's items by RAG, as a doughnut; its data beside the print area
    (columns N onwards)."""
    f = ctx.fmt
    ws.write_string(6, 13, "RAG", f["label"])
    ws.write_string(6, 14, "Items", f["label"])
    for i, rag in enumerate(RAG_NAMES):
        ws.write_string(7 + i, 13, rag)
        ws.write_number(7 + i, 14, int((app["rag"] == rag).sum()))
    ws.set_column(13, 18, 9)
    ws.write_string(6, 0, "Items for the force by RAG", f["heading"])
    ws.write_string(6, 4, "Items for the force by inspection and RAG", f["heading"])
    pie = ctx.wb.add_chart({"type": "doughnut"})
    pie.add_series({"name": "Items by RAG", "categories": ["Summary", 7, 13, 11, 13],
                    "values": ["Summary", 7, 14, 11, 14],
                    "points": [{"fill": {"color": styles.RAG_COLOURS[r][0]},
                                "border": {"color": "#FFFFFF"}} for r in RAG_NAMES],
                    "data_labels": {"value": True}})
    pie.set_title({"none": True})
    pie.set_legend({"position": "right"})
    pie.set_hole_size(45)
    pie.set_size({"width": 4 * 86 - 10, "height": 290})
    counts = {rag: int((app["rag"] == rag).sum()) for rag in RAG_NAMES}
    ws.insert_chart(7, 0, pie, {"x_offset": 2, "y_offset": 6, "object_position": 3,
                                "description": rag_chart_text(counts)})


def _counted(counts: dict, rags=RAG_NAMES) -> str:
    """'2 Red, 0 Amber, 3 Green, 1 Blue': red, amber and green always, the others when
    there are some."""
    return ", ".join(f"{counts.get(r, 0)} {r}" for r in rags
                     if counts.get(r) or r in ("Red", "Amber", "Green"))


def rag_chart_text(counts: dict) -> str:
    """The RAG chart's alternative text, its figures in words: 'Items for the force by
    RAG: 11 Red, 5 Amber, 10 Green' (a screen reader cannot see the doughnut)."""
    return f"Items for the force by RAG: {_counted(counts)}"


def inspection_chart_text(rows: list[tuple[str, dict]], more: int) -> str:
    """The bar chart's alternative text: each inspection shown with its items by RAG, in
    the chart's order from the top ('INS-2023-07: 2 Red, 1 Amber; ...')."""
    from gain_workbook.core.text import one_line, xml_safe

    head = "Items for the force by inspection and RAG"
    if more:
        head += f", the {len(rows)} inspections with most red and amber items of {len(rows) + more}"
    listed = "; ".join(f"{one_line(xml_safe(str(name)))}: {_counted(c, BAR_RAGS)}"
                       for name, c in rows)
    return f"{head}: {listed or 'no inspections'}"


def _inspections_by_rag(inspections, app):
    """The inspections with their force items counted by RAG (c_Red ... c_open), the
    reddest first."""
    ins = inspections.copy()
    for rag in RAG_NAMES:
        ins["c_" + rag] = ins["inspection_id"].map(
            app[app["rag"] == rag].groupby("item_inspection_id").size()).fillna(0).astype(int)
    ins["c_open"] = ins["c_Red"] + ins["c_Amber"] + ins["c_Green"]
    return ins.sort_values(["c_Red", "c_Amber", "c_open", "published"],
                           ascending=[False, False, False, False], kind="stable")


def _inspection_chart(ctx, ws, ins) -> None:
    """The inspections with most red and amber items, as stacked bars by RAG. An
    inspection with no item Red, Amber, Green or Blue (every item Grey: closed, not for
    the force, or a new report awaiting its plenary) would be an empty bar: it is left
    out (the RAG chart and the table below count it)."""
    ins = ins[ins[["c_" + rag for rag in BAR_RAGS]].sum(axis=1) > 0]
    top_rev = ins.head(CHART_TOP_N).iloc[::-1]  # a bar chart draws its first category at the bottom
    for i, r in enumerate(top_rev.itertuples(index=False)):
        ws.write_string(14 + i, 13, r.inspection_id)
        for j, rag in enumerate(BAR_RAGS):
            ws.write_number(14 + i, 14 + j, int(getattr(r, "c_" + rag)))
    bar = ctx.wb.add_chart({"type": "bar", "subtype": "stacked"})
    n = len(top_rev)
    for j, rag in enumerate(BAR_RAGS):
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
    shown = [(r.inspection_id, {rag: int(getattr(r, "c_" + rag)) for rag in BAR_RAGS})
             for r in ins.head(CHART_TOP_N).itertuples(index=False)]
    ws.insert_chart(7, 4, bar, {"x_offset": 2, "y_offset": 6, "object_position": 3,
                                "description": inspection_chart_text(
                                    shown, max(len(ins) - CHART_TOP_N, 0))})


def trend_chart_text(months) -> str:
    """The trend chart's alternative text, its figures in words, month by month: 'Open
    and overdue actions at each month's end, and items closed in the month: Dec 2025 12
    open, 3 overdue, 1 closed; ...' (a month the dates cannot support: 'not known')."""
    def said(v, what):
        return f"{what} not known" if v is None else f"{v} {what}"

    return ("Open and overdue actions at each month's end, and items closed in the month: "
            + "; ".join(f"{m.label} {said(m.open, 'open')}, {said(m.overdue, 'overdue')}, "
                        f"{said(m.closed, 'closed')}" for m in months) + ".")


def _getting_better(ctx, ws, trend, row: int) -> int:
    """Twelve months of open and overdue actions and items closed (a chart), the on-time
    rate and the ageing of the late actions beside it, and one line on how they are
    worked out; returns the next free row."""
    from gain_workbook.status.trend import HOW

    f = ctx.fmt
    ws.write_string(row, 0, "Is it getting better? The last 12 months", f["heading"])
    ws.write_string(row, 8, "Completed on time", f["heading"])
    _trend_figures(ws, trend, row)
    _trend_chart(ctx, ws, trend, row)
    said_height = _on_time(ctx, ws, trend, row)
    _ageing(ctx, ws, trend, row)
    how = trend_how_line(trend, HOW)
    note = _below_trend_chart(row, {row + 2: 36, row + 3: said_height})
    ws.merge_range(note, 0, note + 1, 11, how, f["note"])
    return note + 3


def _trend_figures(ws, trend, row: int) -> None:
    """The trend chart's figures, month by month, beside the print area (from column
    TREND_DATA_COL, headers on `row`)."""
    data = TREND_DATA_COL
    names = ("Month", "Open actions", "Overdue actions", "Items closed")
    for c, name in enumerate(names):
        ws.write_string(row, data + c, name)
    for i, m in enumerate(trend.months, start=1):
        ws.write_string(row + i, data, m.label)
        for c, v in ((1, m.open), (2, m.overdue), (3, m.closed)):
            if v is not None:               # a month the dates cannot support stays blank
                ws.write_number(row + i, data + c, v)


def _trend_chart(ctx, ws, trend, row: int) -> None:
    """The trend chart drawn from those figures: open and overdue actions as lines,
    items closed as columns on their own axis, below the heading on `row`."""
    data = TREND_DATA_COL
    first, last = row + 1, row + len(trend.months)
    closed = ctx.wb.add_chart({"type": "column"})
    closed.add_series({"name": ["Summary", row, data + 3], "categories":
                       ["Summary", first, data, last, data],
                       "values": ["Summary", first, data + 3, last, data + 3],
                       "fill": {"color": styles.RAG_COLOURS["Blue"][0]},
                       "border": {"color": "#7F7F7F"}, "gap": 80, "y2_axis": True})
    lines = ctx.wb.add_chart({"type": "line"})
    for c, colour, dash in ((1, styles.NAVY, "solid"), (2, styles.RAG_COLOURS["Red"][1],
                                                         "dash")):
        lines.add_series({"name": ["Summary", row, data + c],
                          "categories": ["Summary", first, data, last, data],
                          "values": ["Summary", first, data + c, last, data + c],
                          "line": {"color": colour, "width": 2.25, "dash_type": dash},
                          "marker": {"type": "circle", "size": 5,
                                     "fill": {"color": colour}, "border": {"color": colour}}})
    lines.combine(closed)
    lines.show_blanks_as("gap")
    lines.set_title({"name": "Open and overdue actions at each month's end, and items "
                             "closed in the month", "name_font": {"size": 10, "bold": False}})
    lines.set_legend({"position": "bottom"})
    lines.set_y_axis({"name": "Actions", "min": 0, "num_format": "0",
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    most = max([m.closed for m in trend.months] + [4])
    closed.set_y2_axis({"name": "Items closed", "min": 0, "max": most, "num_format": "0",
                        "major_unit": max(1, -(-most // 4))})
    lines.set_size({"width": 8 * 86 - 10, "height": CHART_HEIGHT})
    ws.insert_chart(row + 1, 0, lines, {"x_offset": 2, "y_offset": 6, "object_position": 3,
                                        "description": trend_chart_text(trend.months)})


def _on_time(ctx, ws, trend, row: int) -> float:
    """The on-time rate as a big number with its sentence under it, beside the chart;
    returns the height (points) given to the sentence's row."""
    f = ctx.fmt
    rate = trend.on_time_rate
    ws.merge_range(row + 2, 8, row + 2, 11, f"{rate:.0%}" if rate is not None else "n/a",
                   f["big_number"])
    ws.set_row(row + 2, 36)
    said = on_time_line(trend)
    ws.merge_range(row + 3, 8, row + 3, 11, said + ".", f["big_label"])
    said_height = LINE_HEIGHT * _lines(said, 46, 1.35) + 4
    ws.set_row(row + 3, said_height)
    return said_height


def on_time_line(trend) -> str:
    """What the on-time rate counts, in words (without the closing full stop): 'n of the
    m actions completed in the last 12 months were completed by their agreed date ...'."""
    said = (f"{trend.on_time} of the {plural(trend.completed, 'action')} completed in the "
            "last 12 months were completed by their agreed date (the revised due date where "
            "the board agreed one)" if trend.completed else
            "No action with an agreed date was completed in the last 12 months")
    if trend.undated:
        said += (f"; {plural(trend.undated, 'finished action')} with no completion date "
                 f"{'is' if trend.undated == 1 else 'are'} not counted")
    return said


def _ageing(ctx, ws, trend, row: int) -> None:
    """The open actions past due, by how long, and their total, under the on-time rate."""
    f = ctx.fmt
    ws.write_string(row + 5, 8, "Open actions past due, by how long", f["heading"])
    for c in (9, 10, 11):
        ws.write_blank(row + 5, c, None, f["heading"])
    for i, (label, n) in enumerate(trend.ageing, start=row + 6):
        ws.merge_range(i, 8, i, 10, label, f["text"])
        ws.write_number(i, 11, n, f["int"])
    total = sum(n for _, n in trend.ageing)
    ws.merge_range(row + 10, 8, row + 10, 10, "All open actions past due", f["label"])
    ws.write_number(row + 10, 11, total, f["int"])


def _below_trend_chart(row: int, heights: dict) -> int:
    """Which row starts clear of the trend chart (with a 12-pixel gap) that hangs from
    `row` + 1: the chart's height is in pixels, a row's in points (15, i.e. 20 pixels,
    unless `heights` says otherwise)."""
    below, r = CHART_HEIGHT + 12, row + 1
    while below > 0:
        below -= heights.get(r, 15) * 4 / 3
        r += 1
    return r


def trend_how_line(trend, how: str) -> str:
    """The line under the chart: how the figures are worked out, and the months left blank."""
    if trend.blank:
        how += (f" {plural(trend.blank, 'month')} left blank: a finished action has no "
                "completion date (fill in Completed on to fill the gap).")
    return how


def _inspections_table(ctx, ws, ins, row: int = TREND_ROW) -> None:
    """The most recent inspections, with their items' RAG counts and response."""
    import pandas as pd

    f = ctx.fmt
    ws.write_string(row, 0, "Inspections", f["heading"])
    row += 1
    hdr = ["Inspection ID", "Title", "", "", "Published", "Items for force", "Red", "Amber",
           "Green", "Signed off", "RAG", "Response"]
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
