"""The pack's Summary sheet: the headline figures, what came back from owners, the
items by RAG and by inspection as charts, and the most recent inspections."""

from __future__ import annotations

from gain_workbook.core.dates import long_date, uk_date
from gain_workbook.core.text import as_text as _text
from gain_workbook.core.text import plural
from gain_workbook.excel import styles
from gain_workbook.excel.styles import LINE_HEIGHT
from gain_workbook.excel.styles import wrapped_lines as _lines
from gain_workbook.pack.layout import EXCEL_EPOCH

CHART_TOP_N = 12
SUMMARY_INSPECTIONS = 40  # the Summary lists the most recent; Responses lists them all
RAG_NAMES = ["Red", "Amber", "Green", "Blue", "Grey"]
BAR_RAGS = ["Red", "Amber", "Green", "Blue"]


def summary(ctx, ws, movement) -> None:
    """The Summary sheet, on one landscape page."""
    ctx.page(ws, "Summary", landscape=True)
    for c in range(12):
        ws.set_column(c, c, 11.5)
    meeting = f"; meeting {long_date(ctx.meeting)}" if ctx.meeting else ""
    ctx.title(ws, "Summary", f"{ctx.settings.force_name}: position as at "
              f"{long_date(ctx.as_of)}{meeting}")
    _tiles(ctx, ws, movement)
    if ctx.received is not None:
        ws.set_row(5, 21)                  # a little air between the tiles and the charts
        ws.write_string(5, 0, _received_line(ctx.received), ctx.fmt["label"])
    items = ctx.rollup.items
    app = items[items["applies"] == "Yes"]
    _rag_chart(ctx, ws, app)
    ins = _inspections_by_rag(ctx.rollup.inspections, app)
    _inspection_chart(ctx, ws, ins)
    _inspections_table(ctx, ws, ins)


def _tiles(ctx, ws, movement) -> None:
    """The headline figures, each a big number over its label."""
    f = ctx.fmt
    head = ctx.rollup.headline()
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


def _received_line(got) -> str:
    """One line on what came back from owners this month."""
    line = (f"Actions updated this month: {got.updated} of {got.of} (since "
            f"{uk_date(got.since)}).")
    if got.asked:
        line += (f" Update requests: {got.asked} owners asked on {uk_date(got.asked_on)}, "
                 f"{got.asked - len(got.silent)} replied.")
    if got.waiting:
        line += (f" {plural(len(got.waiting), 'new due date')} asked for "
                 f"wait{'s' if len(got.waiting) == 1 else ''} for the board (Exceptions).")
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
    """The inspections with most red and amber items, as stacked bars by RAG."""
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


def _inspections_table(ctx, ws, ins) -> None:
    """The most recent inspections, with their items' RAG counts and response."""
    import pandas as pd

    f = ctx.fmt
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
