"""`gain-pack validate --annotate OUT.xlsx`: a copy of the register with its problems marked.

This is the one place we write with openpyxl rather than xlsxwriter: the copy must
keep the user's own sheets, formats and formulas, which only a library that reads
and re-saves the workbook can do. The user's file is only ever opened for reading;
the copy is written to a temporary file and moved into place.
"""

from __future__ import annotations

import io
from pathlib import Path

from gain_workbook.excel import styles
from gain_workbook.core.files import atomic_path
from gain_workbook.model.problems import ValidationReport
from gain_workbook.excel.writer import FIXED_CREATED

PROBLEMS_SHEET = "Problems"


def _text(cell, value: str) -> None:
    """Put text in a cell as text: openpyxl would make '=...' a formula."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def annotate(register_path, report: ValidationReport, out_path) -> Path:
    """Write a copy of the register with every problem cell highlighted and commented."""
    import warnings

    import openpyxl
    from openpyxl.styles import PatternFill

    out_path = Path(out_path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")       # openpyxl warns about extensions it drops
            wb = openpyxl.load_workbook(register_path, rich_text=False)
    except Exception:      # (openpyxl's own errors: a style it cannot find, say)
        from gain_workbook.core.errors import OutputError

        raise OutputError(f"Cannot write the marked copy of '{Path(register_path).name}': "
                          "a part of the workbook the copy must keep is damaged (open it in "
                          "Excel and save it again); the problems are listed above.") from None
    fills = {sev: PatternFill("solid", fgColor=colour.lstrip("#"))
             for sev, colour in styles.PROBLEM_FILL.items()}
    _mark_cells(wb, report, fills)
    _problems_sheet(wb, report, fills)
    wb.active = 0
    # saved in memory, then written in one go: openpyxl leaves its zip open when a write
    # fails (a full disk), and the zip's destructor then prints a traceback on the way out
    buf = io.BytesIO()
    wb.save(buf)
    data = _repeatable(buf.getvalue())
    with atomic_path(out_path) as tmp:
        tmp.write_bytes(data)
    return out_path


def _mark_cells(wb, report: ValidationReport, fills: dict) -> None:
    """Each problem's cell filled by its worst severity, with the problems as a comment."""
    from openpyxl.comments import Comment

    by_cell: dict[tuple[str, str], list] = {}
    for p in report.problems:
        if p.cell and p.sheet in wb.sheetnames:
            by_cell.setdefault((p.sheet, p.cell), []).append(p)
    for (sheet, ref), probs in by_cell.items():
        cell = _owner(wb[sheet], ref)
        sev = "error" if any(p.severity == "error" for p in probs) else "warning"
        cell.fill = fills[sev]
        text = "\n".join(f"{p.severity.upper()} {p.code}: {p.message}" for p in probs)
        cell.comment = Comment(text[:30000], "gain-pack", width=320,
                               height=min(60 + 40 * len(probs), 400))


def _owner(ws, ref: str):
    """The cell that holds ``ref``'s value: itself, or the first cell of the merged range
    it is in (a merged cell below or right of it can hold no fill or comment)."""
    cell = ws[ref]
    if type(cell).__name__ != "MergedCell":
        return cell
    for rng in ws.merged_cells.ranges:
        if cell.coordinate in rng:
            return ws.cell(rng.min_row, rng.min_col)
    return cell


def _problems_sheet(wb, report: ValidationReport, fills: dict) -> None:
    """A Problems sheet in front: one row per problem, linked to its cell, printable."""
    from openpyxl.styles import Alignment, Font, PatternFill

    if PROBLEMS_SHEET in wb.sheetnames:
        del wb[PROBLEMS_SHEET]
    ws = wb.create_sheet(PROBLEMS_SHEET, 0)
    headers = ("Where", "Severity", "Rule", "Column", "Value", "What to do")
    widths = (16, 10, 24, 18, 26, 70)
    # name the font: openpyxl's Font() has none, and LibreOffice then falls back to a serif
    plain = Font(name=styles.FONT, size=10)
    bold = Font(name=styles.FONT, size=10, bold=True)
    link_font = Font(name=styles.FONT, size=10, color="0563C1", underline="single")
    wrap = Alignment(wrap_text=True, vertical="top")
    for c, h in enumerate(headers, start=1):
        cell = ws.cell(1, c, h)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor=styles.HEADER_FILL.lstrip("#"))
    for r, p in enumerate(report.problems, start=2):
        where = ws.cell(r, 1)
        _text(where, p.where)
        if p.cell and p.sheet in wb.sheetnames:
            quoted = p.sheet.replace("'", "''")
            where.hyperlink = f"#'{quoted}'!{p.cell}"
            where.font = link_font
        _text(ws.cell(r, 2), p.severity)
        ws.cell(r, 2).fill = fills[p.severity]
        for c, value in ((3, p.code), (4, p.header), (5, p.value), (6, p.message)):
            _text(ws.cell(r, c), value)
        for c in range(1, 7):
            cell = ws.cell(r, c)
            cell.alignment = wrap
            if c != 1 or not cell.hyperlink:
                cell.font = plain
        lines = max(styles.wrapped_lines(v or "", w) for v, w in
                    zip((p.where, p.severity, p.code, p.header, p.value, p.message), widths))
        ws.row_dimensions[r].height = styles.LINE_HEIGHT * lines + 3
    for letter, width in zip("ABCDEF", widths):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    # printable like our other sheets: A4 landscape, one page wide, header row repeated
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _repeatable(saved: bytes) -> bytes:
    """Same register, same problems -> same bytes: fixed zip times and 'modified' date.

    openpyxl stamps the time of saving on every zip entry and in docProps/core.xml.
    """
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(saved)) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    stamp = FIXED_CREATED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^<>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            z.writestr(entry, data)
    return out.getvalue()
