"""--apply keeps the office's register whole: every part it does not mean to change is
the same, byte for byte.

Each register of tests/office_registers.py (a chart sheet, charts on data sheets, a
pivot table and its cache, a picture, notes and a threaded comment, data validations, conditional formats,
Excel tables, defined names and filters, hidden sheets, an .xlsm with a VBA project,
one LibreOffice saved, one with inline strings only) goes through `merge --apply`,
`add-report --apply` and `decisions --apply`. After each: every zip part but the ones the command writes
is byte-identical and none is lost; openpyxl and python-calamine read the new values;
each part written keeps the SpreadsheetML schema's element order; and LibreOffice opens
the result and recalculates it without an error.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from lxml import etree

import office_registers
from conftest import ROOT, run_tool
from gain_workbook import api
from gain_workbook.excel.package import order_problems

REPORT = ROOT / "tests" / "data" / "reports" / "cse-2023 pcc response pasted.txt"
# openpyxl, reading the registers back here, says it would drop the data bars (an Excel
# 2010 extension) that xlsxwriter's register holds; the tests read, they do not save
pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")
NEWS = "Reviewed with the custody team; the policy is signed off."
NOW = dt.datetime(2026, 12, 10, 10, 15, 0)
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# The parts a command may write besides the sheets it writes into.
BOOK_PARTS = {"xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml",
              "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/calcChain.xml"}


def resolve(source: str, target: str) -> str:
    """A relationship's target as a part name (absolute, or relative to its source)."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def sheet_parts(path: Path) -> dict[str, str]:
    """{sheet name: its part}, read here with the standard library (not the editor)."""
    with zipfile.ZipFile(path) as zf:
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): resolve("xl/workbook.xml", r.get("Target")) for r in rels}
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return {s.get("name"): target[s.get(rid)] for s in book.iter(MAIN + "sheet")}


def tables_of(path: Path, part: str) -> set[str]:
    """The Excel table parts a sheet part refers to."""
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    with zipfile.ZipFile(path) as zf:
        if rels not in zf.namelist():
            return set()
        root = ElementTree.fromstring(zf.read(rels))
    return {resolve(part, r.get("Target")) for r in root if r.get("Type", "").endswith("/table")}


def check_kept(before: dict, path: Path, sheets: list[str]) -> list[str]:
    """Every part but the sheets written (and the book's parts that follow them) is as
    it was, and none is lost: the parts that changed."""
    after = parts(path)
    where = sheet_parts(path)
    allowed = set(BOOK_PARTS)
    for sheet in sheets:
        allowed |= {where[sheet]} | tables_of(path, where[sheet])
    allowed |= {p for p in after if p not in before}            # a new sheet's part
    lost = set(before) - set(after) - {"xl/calcChain.xml"}
    assert not lost, f"parts lost: {lost}"
    changed = sorted(n for n in before if n in after and after[n] != before[n])
    assert set(changed) <= allowed, f"changed what it should not: {set(changed) - allowed}"
    for name in changed + sorted(set(after) - set(before)):
        if name.endswith((".xml", ".rels")):
            root = etree.fromstring(after[name])
            assert order_problems(root) == [], (name, order_problems(root))
    return changed


def string_counts(path: Path):
    """How far the shared strings' count and uniqueCount are from the cells that refer to
    a shared string and from the strings there are (None without shared strings). Both
    should be 0; xlsxwriter counts an Excel table's header strings twice, so a command
    should leave them as it found them."""
    got = parts(path)
    if "xl/sharedStrings.xml" not in got:
        assert not any(b't="s"' in v for n, v in got.items() if n.startswith("xl/worksheets/"))
        return None
    sst = etree.fromstring(got["xl/sharedStrings.xml"])
    cells = sum(len(etree.fromstring(v).findall(f".//{MAIN}c[@t='s']"))
                for n, v in got.items() if n.startswith("xl/worksheets/sheet"))
    strings = len(sst.findall(MAIN + "si"))
    return int(sst.get("count", cells)) - cells, int(sst.get("uniqueCount", strings)) - strings


def check_macros_kept(reg: Path, folder: Path) -> None:
    """The .xlsm's VBA modules stay linked to the workbook and its sheets (codeName), it
    stays macro-enabled, and LibreOffice still reads the macro from its VBA project."""
    import shutil
    import subprocess

    for part in ("xl/workbook.xml", sheet_parts(reg)["Items"]):
        assert b'codeName="' in parts(reg)[part], part
    assert b"macroEnabled" in parts(reg)["[Content_Types].xml"]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([soffice, "--headless", "--norestore", "--nologo",
                    f"-env:UserInstallation=file://{folder / 'lo-profile'}", "--convert-to",
                    "ods", "--outdir", str(folder / "ods"), str(reg)],
                   check=True, capture_output=True, timeout=300)
    with zipfile.ZipFile(folder / "ods" / (reg.stem + ".ods")) as zf:
        module = zf.read("Basic/VBAProject/Module1.xml").decode("utf-8")
        assert "Sub ShowOpenActions()" in module
        assert {"Basic/VBAProject/ThisWorkbook.xml", "Basic/VBAProject/Sheet3.xml"} <= \
            set(zf.namelist())


def merge_reply(reg: Path, folder: Path) -> Path:
    res = api.requests(reg, as_of=dt.date(2026, 12, 2), output=folder / "requests")
    book = next(b for r, b in zip(res.requests, res.workbooks) if r.owner == "Ch Insp Custody")
    wb = openpyxl.load_workbook(book)
    wb["Update request"]["K8"] = NEWS
    wb.save(folder / "reply.xlsx")
    return folder / "reply.xlsx"


def decide_first(reg: Path, folder: Path) -> str:
    """The board agrees the first thing the pack puts to it, recorded with decisions
    --apply: the decision as the Updates sheet records it."""
    pack = api.build(reg, output=folder / "pack.xlsx", as_of=dt.date(2026, 12, 10),
                     meeting=dt.date(2026, 12, 14)).path
    wb = openpyxl.load_workbook(pack)
    ws = wb["For decision"]
    col = {c.value: c.column for c in ws[4]}
    row = next((r for r in range(5, ws.max_row + 1) if ws.cell(r, col["Key"]).value), None)
    assert row, "the pack puts nothing to the board"
    ws.cell(row, col["Decision"]).value = "Agreed"
    wb.save(pack)
    res = api.decisions(reg, pack, apply=True, now=NOW + dt.timedelta(minutes=2))
    assert res.applied, res
    return "Agreed"


def calamine_rows(path: Path, sheet: str) -> list[list]:
    import python_calamine as pc

    book = pc.CalamineWorkbook.from_path(str(path))
    try:
        return book.get_sheet_by_name(sheet).to_python()
    finally:
        book.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", list(office_registers.BUILDERS))
def test_an_office_register_goes_through_merge_and_add_report_whole(name, tmp_path):
    reg = office_registers.build(name, tmp_path)
    reply = merge_reply(reg, tmp_path)
    before = parts(reg)
    counted = string_counts(reg)
    res = api.merge(reg, [reply], apply=True, now=NOW)
    assert string_counts(reg) == counted
    assert res.applied and res.backup.read_bytes() == reg.with_name(res.backup.name).read_bytes()
    changed = check_kept(before, reg, ["Actions"])
    assert sheet_parts(reg)["Actions"] in changed
    # xlsxwriter's registers have a bold font and a date format already: no new format
    kept_formats = name in ("picture, table and data bars", "macro-enabled",
                            "inline strings only")
    assert not kept_formats or "xl/styles.xml" not in changed
    wb = openpyxl.load_workbook(reg)
    ws = wb["Actions"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "A1")
    assert ws.cell(row, 10).value == NEWS
    assert wb["Updates"].max_row >= 2 and NEWS in [c.value for c in wb["Updates"][2]]
    assert NEWS in calamine_rows(reg, "Actions")[row - 1]

    before = parts(reg)
    res = api.add_report(reg, REPORT, apply=True, now=NOW + dt.timedelta(minutes=1))
    assert res.applied
    assert string_counts(reg) == counted
    changed = check_kept(before, reg, ["Inspections", "Items"])
    assert not kept_formats or "xl/styles.xml" not in changed
    wb = openpyxl.load_workbook(reg)
    ids = [c.value for c in wb["Items"]["A"]]
    assert ids[:4] == ["Item ID", "INS-1-R1", "INS-1-R2", "INS-1-AFI1"]
    assert ids[4:] == [i["item_id"] for i in res.plan.items] and len(ids) == 14
    published = wb["Inspections"]["C3"]
    assert published.value == dt.datetime(2023, 12, 8) and published.is_date
    assert [r[0] for r in calamine_rows(reg, "Items")[4:]] == ids[4:]
    again = api.validate(reg)
    assert again.register.items.frame["item_id"].tolist()[3:] == ids[4:]
    assert NEWS in again.register.actions.frame["latest_update"].tolist()

    before = parts(reg)
    decided = decide_first(reg, tmp_path)
    written = [s for s in ("Items", "Actions", "Updates", "Extension requests")
               if s in sheet_parts(reg)]                # a history sheet may be new
    changed = check_kept(before, reg, written)
    assert changed and decided in [r[4] for r in openpyxl.load_workbook(reg)["Updates"]
                                   .iter_rows(min_row=2, values_only=True)]

    if name == "macro-enabled":
        check_macros_kept(reg, tmp_path)
    if name == "notes":                     # the threaded comment's links, from sheet and book
        got = parts(reg)
        assert b"threadedComment1.xml" in got["xl/worksheets/_rels/sheet3.xml.rels"]
        assert b"persons/person.xml" in got["xl/_rels/workbook.xml.rels"]
        assert b"threadedcomments+xml" in got["[Content_Types].xml"]
    check = run_tool("xlsx-recalc-check", reg)
    assert check.returncode == 0, check.stdout + check.stderr


def test_an_excel_table_and_what_covers_it_grow_with_the_new_rows(tmp_path):
    """The Items table (a ListObject), its autofilter, and the dropdowns and conditional
    formats over its rows reach the rows add-report adds; the hidden filter name too."""
    reg = office_registers.excel_tables(tmp_path / "Inspection register.xlsx")
    api.add_report(reg, REPORT, apply=True, now=NOW)
    wb = openpyxl.load_workbook(reg)
    # add-report adds a 'To check' column, which the register lacked: the table takes it in
    assert wb["Items"].tables["ItemsTable"].ref == "A1:N14"
    assert [c.name for c in wb["Items"].tables["ItemsTable"].tableColumns][-1] == "To check"
    assert wb["Items"]["N1"].value == "To check"
    assert wb["Inspections"].tables["InspectionsTable"].ref == "A1:N3"
    assert wb["Actions"].tables["ActionsTable"].ref == "A1:K4"          # not written to

    reg = office_registers.validations_and_formats(tmp_path / "Validated register.xlsx")
    api.add_report(reg, REPORT, apply=True, now=NOW)
    ws = openpyxl.load_workbook(reg)["Items"]
    assert [str(d.sqref) for d in ws.data_validations.dataValidation] == ["G2:G14"]
    assert sorted(str(r.sqref) for r in ws.conditional_formatting) == ["A2:M14", "K2:K14"]

    reg = office_registers.defined_names_and_filters(tmp_path / "Filtered register.xlsx")
    api.add_report(reg, REPORT, apply=True, now=NOW)
    wb = openpyxl.load_workbook(reg)
    assert wb["Items"].auto_filter.ref == "A1:M14"
    assert wb.defined_names["OpenActions"].attr_text == "Actions!$A$1:$K$4"
    # Excel's hidden name for the filter's range follows it
    assert b"<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"1\" hidden=\"1\">" \
        b"'Items'!$A$1:$M$14</definedName>" in parts(reg)["xl/workbook.xml"]


def test_a_tables_calculated_column_is_filled_into_its_new_rows(tmp_path):
    """As Excel fills a calculated column's formula into a row typed into the table;
    LibreOffice computes it (a wrong reference would show #NAME? and fail the check)."""
    reg = office_registers.picture_table_and_data_bars(tmp_path / "Inspection register.xlsx")
    api.add_report(reg, REPORT, apply=True, now=NOW)
    ws = openpyxl.load_workbook(reg)["Items"]
    assert ws.tables["ItemsTable"].ref == "A1:O14"           # and 'To check' taken in, at O
    assert [ws.cell(r, 14).value for r in (4, 5, 14)] == [
        "=LEN(ItemsTable[[#This Row],[Text]])"] * 3
    assert ws["O1"].value == "To check"
    out = tmp_path / "recalculated"
    check = run_tool("xlsx-recalc-check", reg, out)
    assert check.returncode == 0, check.stdout + check.stderr
    import csv

    rows = list(csv.reader((out / "Inspection register-Items.csv").open(encoding="utf-8")))
    assert rows[4][13] == str(len(rows[4][4])) and rows[13][13] == str(len(rows[13][4]))


def test_a_date_is_written_in_its_columns_own_date_format(tmp_path):
    """The office shows dates as '3 Dec 2026': a date merge writes into a cell that had
    none takes the column's format, not one of ours; one written over keeps its own."""
    from conftest import base_data, write_register

    def post(wb):
        for row in wb["Actions"].iter_rows(min_row=2):
            for cell in row:
                if cell.is_date:
                    cell.number_format = "d mmm yyyy"
    reg = write_register(tmp_path / "Inspection register.xlsx", base_data(), post=post)
    res = api.requests(reg, as_of=dt.date(2026, 12, 2), output=tmp_path / "requests")
    book = next(b for r, b in zip(res.requests, res.workbooks) if r.owner == "Ch Insp Custody")
    wb = openpyxl.load_workbook(book)
    ws = wb["Update request"]
    ws["J8"], ws["K8"], ws["M8"] = "Complete", NEWS, dt.datetime(2026, 12, 1)
    wb.save(tmp_path / "reply.xlsx")
    got = api.merge(reg, [tmp_path / "reply.xlsx"], apply=True, now=NOW)
    assert got.applied and got.clean
    ws = openpyxl.load_workbook(reg)["Actions"]
    completed, updated = ws["H2"], ws["I2"]           # A1: none before; one before
    assert completed.value == dt.datetime(2026, 12, 1) and completed.number_format == "d mmm yyyy"
    assert updated.is_date and updated.number_format == "d mmm yyyy"


def test_order_problems_finds_an_element_out_of_the_schemas_order():
    """The check the tests above rely on can fail: Excel refuses a worksheet whose
    dataValidations come before its conditional formats, which LibreOffice opens."""
    good = (f'<worksheet xmlns="{MAIN[1:-1]}"><dimension ref="A1"/><sheetData/>'
            '<conditionalFormatting sqref="A1"/><dataValidations count="0"/>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/><tableParts count="0"/></worksheet>')
    assert order_problems(etree.fromstring(good)) == []
    bad = good.replace('<conditionalFormatting sqref="A1"/><dataValidations count="0"/>',
                       '<dataValidations count="0"/><conditionalFormatting sqref="A1"/>')
    assert order_problems(etree.fromstring(bad)) == [
        "<worksheet>: <conditionalFormatting> comes after <dataValidations>"]
    assert order_problems(etree.fromstring(good.replace("<sheetData/>", "<sheetData/><foo/>"))) \
        == ["<worksheet> holds <foo>, which its schema does not allow"]


def test_a_cell_inside_merged_cells_is_refused_with_nothing_changed(tmp_path, runner):
    """Only the top-left cell of merged cells holds a value; one merge would write
    elsewhere in them is named, and nothing is written."""
    from conftest import base_data, write_register
    from gain_workbook.cli import cli

    def post(wb):
        wb["Actions"].merge_cells("I2:J2")          # Last updated and Latest update of A1
    reg = write_register(tmp_path / "Inspection register.xlsx", base_data(), post=post)
    reply = merge_reply(reg, tmp_path)
    old = reg.read_bytes()
    out = runner.invoke(cli, ["merge", str(reg), str(reply), "--apply"])
    assert out.exit_code == 2, out.stderr
    assert "Cannot write J2 on 'Actions': it is part of merged cells (I2:J2); unmerge them " \
        "in Excel and merge again. Nothing was changed." in out.stderr
    assert reg.read_bytes() == old and not list(tmp_path.glob("*before merge*"))


def test_rows_that_would_land_in_merged_cells_below_a_table_are_refused(tmp_path, runner):
    """Merged cells below the Items table (a blank block kept for notes): the new rows
    would fall into them, so nothing is written and the cell is named."""
    from conftest import base_data, write_register
    from gain_workbook.cli import cli

    def post(wb):
        wb["Items"].merge_cells("A7:D8")
    reg = write_register(tmp_path / "Inspection register.xlsx", base_data(), post=post)
    old = reg.read_bytes()
    out = runner.invoke(cli, ["add-report", str(reg), str(REPORT), "--apply"])
    assert out.exit_code == 2, out.stderr
    assert "Cannot write B7 on 'Items': it is part of merged cells (A7:D8); unmerge them in " \
        "Excel and run add-report again. Nothing was changed." in out.stderr
    assert reg.read_bytes() == old and not list(tmp_path.glob("*before add-report*"))


def test_rows_below_a_table_with_a_totals_row_are_said_to_be_outside_it(tmp_path):
    """The one thing the editor does not do: move a table's totals row down. The new rows
    go below it, outside the table, and the note says so."""
    def post(wb, sheets):
        sheets["Items"].add_table(0, 0, 4, len(office_registers.HEADERS["items"]) - 1, {
            "name": "ItemsTable", "total_row": True, "columns": [
                {"header": h} for h in office_registers.HEADERS["items"][:-1]] + [
                {"header": office_registers.HEADERS["items"][-1], "total_function": "count"}]})
    reg = office_registers.xlsxwriter_register(tmp_path / "Inspection register.xlsx", post=post)
    res = api.add_report(reg, REPORT, apply=True, now=NOW)
    assert "the table 'ItemsTable' on the sheet 'Items' has a totals row, so the new rows " \
        "are below it, outside the table" in res.notes
    # (it takes in the column add-report adds at its right; its rows stay where they were)
    assert openpyxl.load_workbook(reg)["Items"].tables["ItemsTable"].ref == "A1:N5"
