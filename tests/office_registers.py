"""Registers as offices keep them: the small valid register (conftest.BASE) with the
features a real register file carries, built with the tools an office uses.

Each builder writes one register and returns its path. openpyxl and xlsxwriter write
what they can (charts, a chart sheet, pictures, notes, data validations, conditional
formats, Excel tables, defined names, hidden sheets, a macro-enabled workbook whose VBA
project tests/vba_project.py writes, inline strings); LibreOffice made the rest (a pivot table and its cache, a register it saved
itself), committed in tests/data/office/ beside the script that made them
(``make_office_registers.py``, which says how to run it again).
"""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import zlib
from pathlib import Path

from conftest import HEADERS, ROOT, SHEETS, base_data, write_register

OFFICE = ROOT / "tests" / "data" / "office"


def _status_counts(wb) -> None:
    """A dashboard sheet of formulas counting the Actions sheet (stale once merge writes)."""
    ws = wb.create_sheet("Dashboard")
    ws.append(["Status", "Actions"])
    for n, status in enumerate(("Not started", "In progress", "Complete"), start=2):
        ws.append([status, f'=COUNTIF(Actions!G:G,A{n})'])


def chart_sheet(path: Path) -> Path:
    """A chart sheet (its own tab, no cells) over a dashboard of formulas."""
    from openpyxl.chart import BarChart, Reference

    def post(wb):
        _status_counts(wb)
        chart = BarChart()
        chart.title = "Actions by status"
        chart.add_data(Reference(wb["Dashboard"], min_col=2, min_row=1, max_row=4),
                       titles_from_data=True)
        chart.set_categories(Reference(wb["Dashboard"], min_col=1, min_row=2, max_row=4))
        wb.create_chartsheet("Chart").add_chart(chart)
    return write_register(path, base_data(), post=post)


def chart_on_data_sheets(path: Path) -> Path:
    """Charts drawn on the Items and Actions sheets themselves (beside the tables)."""
    from openpyxl.chart import BarChart, PieChart, Reference

    def post(wb):
        bar = BarChart()
        bar.add_data(Reference(wb["Items"], min_col=4, min_row=1, max_row=4),
                     titles_from_data=True)
        wb["Items"].add_chart(bar, "P2")
        pie = PieChart()
        pie.add_data(Reference(wb["Actions"], min_col=5, min_row=1, max_row=4),
                     titles_from_data=True)
        wb["Actions"].add_chart(pie, "P2")
    return write_register(path, base_data(), post=post)


THREADED = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
PERSON_ID, COMMENT_ID = "{6B1D3C55-0E5A-4D7F-9C21-3A8E2F1B7D40}", \
    "{0F4B2A77-5C3E-4E19-8B6D-1D2C3E4F5A6B}"


def notes(path: Path) -> Path:
    """Notes (Excel's comments before threaded ones) on cells of every table, by
    openpyxl; and a threaded comment (Excel 365's Comments) on the Actions sheet, its
    parts written as Excel writes them (no tool here writes one): the comment, its
    author in the workbook's person list, their relationships and content types, over
    the note Excel keeps beside it for older versions."""
    from openpyxl.comments import Comment

    def post(wb):
        for sheet in SHEETS.values():
            wb[sheet]["A2"].comment = Comment(f"Checked by the GAIN team ({sheet}).", "Clerk")
        wb["Actions"]["G3"].comment = Comment("[Threaded comment] Signed off at the "
                                              "November board.", "DCC")
    write_register(path, base_data(), post=post)
    add_parts(path, {
        "xl/threadedComments/threadedComment1.xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<ThreadedComments '
            f'xmlns="{THREADED}" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/'
            f'main"><threadedComment ref="G3" dT="2026-11-20T10:00:00.00" personId="{PERSON_ID}"'
            f' id="{COMMENT_ID}"><text>Signed off at the November board.</text>'
            "</threadedComment></ThreadedComments>",
        "xl/persons/person.xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<personList '
            f'xmlns="{THREADED}" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/'
            f'main"><person displayName="DCC" id="{PERSON_ID}" userId="DCC" providerId="None"/>'
            "</personList>"}, {
        "/xl/threadedComments/threadedComment1.xml": "application/vnd.ms-excel.threadedcomments+xml",
        "/xl/persons/person.xml": "application/vnd.ms-excel.person+xml"}, {
        "xl/worksheets/_rels/sheet3.xml.rels": (
            "threaded", "http://schemas.microsoft.com/office/2017/10/relationships/"
            "threadedComment", "/xl/threadedComments/threadedComment1.xml"),
        "xl/_rels/workbook.xml.rels": (
            "rIdPersons", "http://schemas.microsoft.com/office/2017/10/relationships/person",
            "persons/person.xml")})
    return path


def add_parts(path: Path, parts: dict, types: dict, rels: dict) -> None:
    """Parts added to a saved workbook: {name: XML}, their content types {part: type},
    and one relationship each {rels part: (id, type, target)}."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        old = {n: zf.read(n) for n in zf.namelist()}
    overrides = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in types.items())
    old["[Content_Types].xml"] = old["[Content_Types].xml"].replace(
        b"</Types>", overrides.encode() + b"</Types>")
    for part, (rid, kind, target) in rels.items():
        old[part] = old[part].replace(b"</Relationships>", (
            f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'
            "</Relationships>").encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in {**old, **{k: v.encode() for k, v in parts.items()}}.items():
            zf.writestr(name, data)


def validations_and_formats(path: Path) -> Path:
    """Dropdowns and conditional formats over the tables' columns (they grow with the
    rows add-report writes)."""
    from openpyxl.formatting.rule import CellIsRule, FormulaRule
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    def post(wb):
        items, actions = wb["Items"], wb["Actions"]
        yes_no = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
        yes_no.add("G2:G4")
        items.add_data_validation(yes_no)
        status = DataValidation(type="list", formula1='"Not started,In progress,Complete"')
        status.add("G2:G4")
        actions.add_data_validation(status)
        items.conditional_formatting.add("K2:K4", CellIsRule(
            operator="equal", formula=['"Open"'], fill=PatternFill("solid", bgColor="FFEB9C")))
        items.conditional_formatting.add("A2:M4", FormulaRule(
            formula=['$G2="No"'], fill=PatternFill("solid", bgColor="D9D9D9")))
        actions.conditional_formatting.add("G2:G4", CellIsRule(
            operator="equal", formula=['"Complete"'], fill=PatternFill("solid", bgColor="C6E7C6")))
    return write_register(path, base_data(), post=post)


def excel_tables(path: Path) -> Path:
    """Each table an Excel table (a ListObject), as Insert > Table makes it."""
    from openpyxl.worksheet.table import Table, TableStyleInfo

    def post(wb):
        for sheet in SHEETS.values():
            ws = wb[sheet]
            table = Table(displayName=f"{sheet}Table", ref=ws.dimensions)
            table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
            ws.add_table(table)
    return write_register(path, base_data(), post=post)


def defined_names_and_filters(path: Path) -> Path:
    """Names for ranges (the workbook's and one sheet's own) and autofilters on the tables."""
    from openpyxl.workbook.defined_name import DefinedName

    def post(wb):
        wb.defined_names["OpenActions"] = DefinedName("OpenActions",
                                                      attr_text="Actions!$A$1:$K$4")
        wb["Items"].defined_names["ItemList"] = DefinedName("ItemList",
                                                            attr_text="Items!$A$2:$A$4")
        for sheet in SHEETS.values():
            wb[sheet].auto_filter.ref = wb[sheet].dimensions
    return write_register(path, base_data(), post=post)


def hidden_sheets(path: Path) -> Path:
    """A hidden lists sheet and a very hidden one, as offices keep dropdown sources."""
    def post(wb):
        lists = wb.create_sheet("Lists")
        for n, word in enumerate(("Not started", "In progress", "Complete"), start=1):
            lists.cell(n, 1, word)
        lists.sheet_state = "hidden"
        wb.create_sheet("Audit")["A1"] = "internal"
        wb["Audit"].sheet_state = "veryHidden"
    return write_register(path, base_data(), post=post)


# ---------------------------------------------------------------- xlsxwriter's registers

def _png(width: int = 40, height: int = 20) -> bytes:
    """A small PNG picture (a crest stands in), made without an imaging library."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes([30, 56, 100]) * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def xlsxwriter_register(path: Path, options: dict | None = None, post=None) -> Path:
    """The small register written by xlsxwriter (shared strings, or inline strings with
    ``{'constant_memory': True}``); ``post(workbook, sheets)`` adds what a test needs."""
    import xlsxwriter

    data = base_data()
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                         "strings_to_urls": False, **(options or {})})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    bold = wb.add_format({"bold": True})
    sheets = {}
    for table, name in SHEETS.items():
        ws = sheets[name] = wb.add_worksheet(name)
        ws.write_row(0, 0, HEADERS[table], bold)
        for r, row in enumerate(data[table], start=1):
            for c, h in enumerate(HEADERS[table]):
                v = row.get(h)
                if isinstance(v, dt.date):
                    ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), date)
                elif v is not None:
                    ws.write_string(r, c, str(v))
    ws = wb.add_worksheet("Settings")
    ws.write_row(0, 0, ["Setting", "Value"])
    for r, (k, v) in enumerate(data["settings"].items(), start=1):
        ws.write_row(r, 0, [k, v])
    if post is not None:
        post(wb, sheets)
    wb.close()
    return Path(path)


def picture_table_and_data_bars(path: Path) -> Path:
    """A picture (the force's crest) on the Actions sheet, notes, an Excel table on
    Items with a calculated column (a formula for the whole column) and data bars (an
    Excel 2010 extension) beside it, by xlsxwriter."""
    crest = path.with_name("crest.png")
    crest.write_bytes(_png())

    def post(wb, sheets):
        sheets["Actions"].insert_image("P2", str(crest))
        sheets["Actions"].write_comment("A2", "Checked by the GAIN team.")
        items = sheets["Items"]
        items.add_table(0, 0, 3, len(HEADERS["items"]), {
            "name": "ItemsTable", "columns": [{"header": h} for h in HEADERS["items"]] + [
                {"header": "Words", "formula": "=LEN(ItemsTable[@[Text]])"}]})
        items.conditional_format("D2:D4", {"type": "data_bar", "data_bar_2010": True})
    out = xlsxwriter_register(path, post=post)
    crest.unlink()
    return out


MACRO = 'Sub ShowOpenActions()\n    MsgBox "Open actions: " & Sheet3.UsedRange.Rows.Count - 1\nEnd Sub\n'


def macro_enabled(path: Path) -> Path:
    """An .xlsm with a VBA project (tests/vba_project.py writes it: a macro in Module1,
    and the workbook's and each sheet's document modules), by xlsxwriter."""
    from vba_project import project

    assert path.suffix == ".xlsm"
    bin_path = path.with_name("vbaProject.bin")
    bin_path.write_bytes(project(4, MACRO))

    def post(wb, sheets):
        wb.set_vba_name("ThisWorkbook")
        for n, ws in enumerate(wb.worksheets(), start=1):
            ws.set_vba_name(f"Sheet{n}")
        wb.add_vba_project(str(bin_path))
    out = xlsxwriter_register(path, post=post)
    bin_path.unlink()
    return out


def inline_strings(path: Path) -> Path:
    """A register with no shared strings at all (xlsxwriter's constant-memory mode writes
    every text inline, as some other generators do)."""
    return xlsxwriter_register(path, {"constant_memory": True})


# ---------------------------------------------------------------- LibreOffice's registers

def libreoffice_saved(path: Path) -> Path:
    """The small register as LibreOffice Calc saved it (notes on it too)."""
    return Path(shutil.copyfile(OFFICE / "saved by libreoffice.xlsx", path))


def pivot_table(path: Path) -> Path:
    """A pivot table (counting actions by owner) and its cache, made by LibreOffice."""
    return Path(shutil.copyfile(OFFICE / "pivot table.xlsx", path))


BUILDERS = {
    "chart sheet": chart_sheet,
    "charts on data sheets": chart_on_data_sheets,
    "pivot table": pivot_table,
    "picture, table and data bars": picture_table_and_data_bars,
    "notes": notes,
    "validations and conditional formats": validations_and_formats,
    "excel tables": excel_tables,
    "defined names and filters": defined_names_and_filters,
    "hidden sheets": hidden_sheets,
    "macro-enabled": macro_enabled,
    "saved by libreoffice": libreoffice_saved,
    "inline strings only": inline_strings,
}


def build(name: str, folder: Path) -> Path:
    """The register ``name`` (a key of BUILDERS) in ``folder``, as 'Inspection register'."""
    suffix = ".xlsm" if name == "macro-enabled" else ".xlsx"
    return BUILDERS[name](folder / f"Inspection register{suffix}")
