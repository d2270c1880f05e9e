"""excel/package.py on generated sheets: every shape of worksheet XML a writer may
produce (rows and cells with or without their r attribute, a namespace prefix, shared
or inline strings, empty rows written as <row/>, blank formatted rows below the data,
formulas) takes the cells set and the rows added, and keeps every other cell.

The workbook is written here, part by part, from a generated grid; the edited one is
read back with openpyxl and python-calamine and compared with the grid as edited.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from xml.sax.saxutils import escape

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gain_workbook.excel.package import (Package, cell_text, col_letters, date_serial,
                                         order_problems)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TEXTS = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), min_size=1,
                max_size=12) | \
    st.sampled_from(["A & B < C", " padded ", "_x0041_", "=SUM(A1)", "line\nbreak"])
DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31))
VALUES = st.none() | TEXTS | DATES | st.integers(-999, 99999)
EDIT_VALUES = st.none() | TEXTS | DATES


def sheet_xml(grid: dict, shape: dict, strings: list) -> bytes:
    """A worksheet part for {(row, col): value} in the given shape."""
    p = "x:" if shape["prefix"] else ""
    rows = sorted({r for r, _ in grid} | set(shape["blank_rows"]))
    out = []
    for r in rows:
        cells = sorted(c for rr, c in grid if rr == r)
        if shape["cell_r"]:
            cols = cells
        else:                                   # positional cells: fill the gaps
            cols = list(range(1, max(cells) + 1)) if cells else []
        xml = []
        for c in cols:
            ref = f' r="{col_letters(c)}{r}"' if shape["cell_r"] else ""
            v = grid.get((r, c))
            if r in shape["blank_rows"] and v is None:
                xml.append(f'<{p}c{ref} s="2"/>')
            elif v is None:
                xml.append(f"<{p}c{ref}/>")
            elif isinstance(v, dt.date):
                xml.append(f'<{p}c{ref} s="1"><{p}v>{date_serial(v)}</{p}v></{p}c>')
            elif isinstance(v, int):
                xml.append(f"<{p}c{ref}><{p}v>{v}</{p}v></{p}c>")
            elif v.startswith("=") and shape["formulas"]:
                xml.append(f"<{p}c{ref}><{p}f>{escape(v[1:])}</{p}f><{p}v>0</{p}v></{p}c>")
            elif shape["shared"]:
                strings.append(cell_text(v))
                xml.append(f'<{p}c{ref} t="s"><{p}v>{len(strings) - 1}</{p}v></{p}c>')
            else:
                space = ' xml:space="preserve"' if v != v.strip() or "\n" in v else ""
                xml.append(f'<{p}c{ref} t="inlineStr"><{p}is><{p}t{space}>{escape(cell_text(v))}</{p}t>'
                           f"</{p}is></{p}c>")
        rr = f' r="{r}"' if shape["row_r"] else ""
        if not xml and shape["self_closing"]:
            out.append(f"<{p}row{rr}/>")
        else:
            out.append(f"<{p}row{rr}>{''.join(xml)}</{p}row>")
    if not shape["row_r"]:                      # positional rows: none may be missing
        assert rows == list(range(1, len(rows) + 1))
    ns = f'xmlns:x="{MAIN}"' if p else f'xmlns="{MAIN}"'
    dim = f'<{p}dimension ref="A1:{col_letters(max(c for _, c in grid))}{max(rows)}"/>' \
        if shape["dimension"] else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet {ns} '
            f'xmlns:r="{REL}">{dim}<{p}sheetData>{"".join(out)}</{p}sheetData>'
            f'<{p}pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            f'footer="0.3"/></{p}worksheet>').encode("utf-8")


def package(grid: dict, shape: dict, sheet: bytes | None = None, calc_chain: bool = False) -> bytes:
    """The workbook around the sheet (``sheet``: its XML as given, else made from
    ``grid``), with a calculation chain if asked."""
    strings: list = []
    sheet = sheet or sheet_xml(grid, shape, strings)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
               'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
               if shape["shared"] else "")
            + ('<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.'
               'openxmlformats-officedocument.spreadsheetml.calcChain+xml"/>'
               if calc_chain else "") + "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            f'Type="{REL}/styles" Target="styles.xml"/>'
            + (f'<Relationship Id="rId3" Type="{REL}/sharedStrings" '
               'Target="sharedStrings.xml"/>' if shape["shared"] else "")
            + (f'<Relationship Id="rId4" Type="{REL}/calcChain" Target="calcChain.xml"/>'
               if calc_chain else "") + "</Relationships>"),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}"><numFmts '
            'count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><fonts '
            'count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count='
            '"3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType='
            '"gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFFEB9C"/>'
            '</patternFill></fill></fills><borders count="1"><border/></borders><cellStyleXfs '
            'count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat='
            '"1"/><xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/>'
            '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            '</cellStyles></styleSheet>'),
        "xl/worksheets/sheet1.xml": sheet,
        "docProps/custom.xml": '<?xml version="1.0"?><Properties/>',
    }
    if shape["shared"]:
        parts["xl/sharedStrings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">' + "".join(
                f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings) + "</sst>")
    if calc_chain:
        parts["xl/calcChain.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><calcChain '
                                     f'xmlns="{MAIN}"><c r="B2" i="1"/></calcChain>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def shown(v):
    """A value as openpyxl gives it back."""
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day)
    return v


@st.composite
def cases(draw):
    shape = {k: draw(st.booleans()) for k in ("prefix", "row_r", "cell_r", "shared",
                                              "dimension", "self_closing", "formulas")}
    n_rows, n_cols = draw(st.integers(1, 8)), draw(st.integers(1, 5))
    grid = {(r, c): draw(VALUES) for r in range(1, n_rows + 1) for c in range(1, n_cols + 1)}
    grid[(1, 1)] = grid[(1, 1)] or "Header"
    blank = draw(st.integers(0, 3))
    shape["blank_rows"] = list(range(n_rows + 1, n_rows + 1 + blank))
    for r in shape["blank_rows"]:
        for c in range(1, n_cols + 1):
            grid[(r, c)] = None
    if not shape["row_r"] or not shape["cell_r"]:
        shape["self_closing"] = shape["self_closing"] and shape["row_r"]
    sets = draw(st.lists(st.tuples(st.integers(2, n_rows + 4), st.integers(1, n_cols + 2),
                                   EDIT_VALUES), max_size=6))
    appended = draw(st.lists(st.lists(EDIT_VALUES, min_size=n_cols, max_size=n_cols),
                             max_size=3))
    return grid, shape, sets, appended, n_cols


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(case=cases())
def test_a_generated_sheet_takes_its_edits_and_keeps_every_other_cell(case):
    grid, shape, sets, appended, n_cols = case
    data = package(grid, shape)
    pkg = Package(data, "generated.xlsx")
    sheet = pkg.sheet("Data")
    expect = {k: v for k, v in grid.items() if v is not None}
    for r, c, v in sets:
        sheet.set(r, c, v)
        expect.pop((r, c), None)
        if v not in (None, ""):
            expect[(r, c)] = v
    columns = range(1, n_cols + 1)
    last = max([r for (r, c), v in expect.items() if c in columns and r > 1] + [1])
    first, _ = sheet.append([dict(zip(columns, row)) for row in appended], columns, 1)
    assert first == last + 1
    for n, row in enumerate(appended, start=first):
        for c, v in zip(columns, row):
            expect.pop((n, c), None)
            if v not in (None, ""):
                expect[(n, c)] = v
    out = io.BytesIO()
    changed = pkg.save(out)
    assert set(changed) <= {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                            "xl/styles.xml", "xl/workbook.xml"}
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out) as new:
        assert old.namelist() == new.namelist()
        for name in old.namelist():
            if name not in changed:
                assert new.read(name) == old.read(name), name
        from lxml import etree

        for name in changed:
            assert order_problems(etree.fromstring(new.read(name))) == [], name
    # openpyxl for every value and its type, but text holding Excel's _xHHHH_ escape
    # (openpyxl does not undo it in inline strings); python-calamine, which reads text as
    # Excel shows it, for every text
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    ws = wb["Data"]
    got = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row
           if c.value is not None}
    plain = {k for k, v in expect.items() if not (isinstance(v, str) and "_x" in v)}
    assert {k: v for k, v in got.items() if k in plain or k not in expect} == \
        {k: shown(v) for k, v in expect.items() if k in plain}
    for (r, c), v in expect.items():
        if isinstance(v, dt.date):
            assert ws.cell(r, c).is_date
    import python_calamine as pc

    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue()))
    rows = book.get_sheet_by_name("Data").to_python()
    texts = {(r, c): v for (r, c), v in expect.items() if isinstance(v, str) and
             not (v.startswith("=") and shape["formulas"] and grid.get((r, c)) == v)}
    assert {k: rows[k[0] - 1][k[1] - 1] for k in texts} == texts


def test_cell_text_keeps_what_excel_would_read_otherwise():
    """A literal '_x0041_' in text is escaped so Excel shows it as typed, and characters
    XML cannot hold are dropped."""
    from gain_workbook.excel.package import cell_text

    assert cell_text("code _x0041_ here") == "code _x005F_x0041_ here"
    assert cell_text("bell\x07 rings") == "bell rings"


PLAIN = {"prefix": False, "row_r": True, "cell_r": True, "shared": True, "dimension": True,
         "self_closing": False, "formulas": True, "blank_rows": []}


def saved(pkg: Package) -> tuple[list, dict]:
    out = io.BytesIO()
    changed = pkg.save(out)
    with zipfile.ZipFile(out) as zf:
        return changed, {n: zf.read(n) for n in zf.namelist()}


def test_a_formula_overwritten_drops_the_calculation_chain_and_asks_for_recalculation():
    """Excel calls a calculation chain naming a cell with no formula damage; without
    one it rebuilds it, and fullCalcOnLoad makes it recalculate what the edit left stale."""
    data = package({(1, 1): "Header", (1, 2): "Total", (2, 1): 3, (2, 2): "=A2*2"}, PLAIN,
                   calc_chain=True)
    pkg = Package(data, "chain.xlsx")
    pkg.sheet("Data").set(2, 2, "typed over")
    changed, parts = saved(pkg)
    assert "xl/calcChain.xml" not in parts and "xl/calcChain.xml" in changed
    assert b"calcChain" not in parts["[Content_Types].xml"]
    assert b"calcChain" not in parts["xl/_rels/workbook.xml.rels"]
    assert b'<calcPr fullCalcOnLoad="1"/>' in parts["xl/workbook.xml"]
    ws = openpyxl.load_workbook(io.BytesIO(_zip(parts)))["Data"]
    assert ws["B2"].value == "typed over" and ws["A2"].value == 3


def test_a_value_changed_beside_formulas_asks_for_recalculation_and_keeps_the_chain():
    data = package({(1, 1): "Header", (1, 2): "Total", (2, 1): 3, (2, 2): "=A2*2"}, PLAIN,
                   calc_chain=True)
    pkg = Package(data, "chain.xlsx")
    pkg.sheet("Data").set(2, 1, "4")
    changed, parts = saved(pkg)
    assert parts["xl/calcChain.xml"] == zipfile.ZipFile(io.BytesIO(data)).read(
        "xl/calcChain.xml")
    assert b'fullCalcOnLoad="1"' in parts["xl/workbook.xml"]
    assert openpyxl.load_workbook(io.BytesIO(_zip(parts)))["Data"]["B2"].value == "=A2*2"


def test_a_shared_formulas_first_cell_overwritten_leaves_the_others_their_formula():
    """Excel stores a formula filled down once, in its first cell; the cells below only
    point to it. Overwriting the first gives each of the others its own formula."""
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>n</t></is></c></row>'
             + "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}">'
                       + (f'<f t="shared" ref="B2:B5" si="0">A{r}*2+$A$1</f>' if r == 2 else
                          '<f t="shared" si="0"/>') + f"<v>{2 * r}</v></c></row>"
                       for r in range(2, 6)) + "</sheetData></worksheet>").encode()
    pkg = Package(package({}, {**PLAIN, "shared": False}, sheet=sheet), "shared.xlsx")
    pkg.sheet("Data").set(2, 2, "typed over")
    _, parts = saved(pkg)
    ws = openpyxl.load_workbook(io.BytesIO(_zip(parts)))["Data"]
    assert [ws[f"B{r}"].value for r in range(2, 6)] == [
        "typed over", "=A3*2+$A$1", "=A4*2+$A$1", "=A5*2+$A$1"]


def test_shared_string_counts_stay_true():
    """count is every cell that refers to a shared string, uniqueCount every string."""
    data = package({(1, 1): "Header", (2, 1): "old", (3, 1): "kept"}, PLAIN)
    pkg = Package(data, "strings.xlsx")
    sheet = pkg.sheet("Data")
    sheet.set(2, 1, "new")
    sheet.set(4, 1, "new")
    sheet.set(5, 1, dt.date(2026, 12, 9))
    _, parts = saved(pkg)
    from lxml import etree

    sst = etree.fromstring(parts["xl/sharedStrings.xml"])
    cells = parts["xl/worksheets/sheet1.xml"].count(b't="s"')
    assert (sst.get("count"), sst.get("uniqueCount")) == (str(cells), str(len(sst)))
    assert cells == 4 and len(sst) == 4              # 'old' is left, unreferenced


def _zip(parts: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                  "xl/sharedStrings.xml"])
def test_a_part_declaring_entities_is_refused_before_any_parser_sees_it(part):
    """sniff refuses such a file when the register is read; the editor checks again what
    it reads (the file may have changed since), before lxml or the sheet scanner."""
    from gain_workbook.core.errors import OutputError

    data = package({(1, 1): "Header", (2, 1): "text"}, PLAIN)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    body = parts[part]
    at = body.index(b"?>") + 2
    parts[part] = body[:at] + b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + body[at:]
    with pytest.raises(OutputError, match="declares XML entities"):
        pkg = Package(_zip(parts), "bomb.xlsx")
        pkg.sheet("Data").set(2, 1, "new")
        pkg.save(io.BytesIO())


def test_the_same_edits_give_the_same_bytes():
    """Repeatable: the zip entries keep their dates, new ones are dated 1980."""
    data = package({(1, 1): "Header", (2, 1): "text", (2, 2): dt.date(2026, 1, 5)}, PLAIN)
    outs = []
    for _ in range(2):
        pkg = Package(data, "same.xlsx")
        sheet = pkg.sheet("Data")
        sheet.set(2, 1, "new")
        sheet.append([{1: "added", 2: dt.date(2026, 12, 9)}], (1, 2), 1)
        pkg.add_sheet("Updates", widths=(12, 20), freeze_row=1).set(1, 1, "Date")
        out = io.BytesIO()
        pkg.save(out)
        outs.append(out.getvalue())
    assert outs[0] == outs[1]


def test_a_date_in_a_workbook_without_formats_adds_them():
    """Some generators write no styles part; a date needs a date format, so the part is
    added with its relationship and content type."""
    data = package({(1, 1): "Header", (2, 1): "text"}, PLAIN)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist() if n != "xl/styles.xml"}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b'<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.styles+xml"/>', b"")
    parts["xl/_rels/workbook.xml.rels"] = re.sub(
        rb'<Relationship Id="rId2"[^>]*/>', b"", parts["xl/_rels/workbook.xml.rels"])
    pkg = Package(_zip(parts), "plain.xlsx")
    pkg.sheet("Data").set(2, 2, dt.date(2026, 12, 9))
    changed, got = saved(pkg)
    assert "xl/styles.xml" in got and b"/xl/styles.xml" in got["[Content_Types].xml"]
    assert b"styles.xml" in got["xl/_rels/workbook.xml.rels"]
    ws = openpyxl.load_workbook(io.BytesIO(_zip(got)))["Data"]
    assert ws["B2"].value == dt.datetime(2026, 12, 9) and ws["B2"].is_date


def test_what_the_editor_cannot_write_into_is_one_sentence():
    """A Strict Open XML workbook (another namespace throughout), and a sheet keeping
    text in CDATA sections (the scanner reads bytes, which CDATA could mislead)."""
    from gain_workbook.core.errors import OutputError

    data = package({(1, 1): "Header", (2, 1): "text"}, {**PLAIN, "shared": False})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    strict = dict(parts)
    strict["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        MAIN.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main")
    with pytest.raises(OutputError, match="saved as Strict Open XML"):
        Package(_zip(strict), "strict.xlsx")
    cdata = dict(parts)
    cdata["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"<t>text</t>", b"<t><![CDATA[</c></row> text]]></t>")
    assert cdata["xl/worksheets/sheet1.xml"] != parts["xl/worksheets/sheet1.xml"]
    pkg = Package(_zip(cdata), "cdata.xlsx")
    with pytest.raises(OutputError, match="keeps text in CDATA sections"):
        pkg.sheet("Data").set(2, 1, "new")
        pkg.save(io.BytesIO())
