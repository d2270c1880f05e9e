"""Property: a register written in any layout offices use, with headers reworded from the
families clerks use, reads back to the same tables as our template; and nothing
non-empty is lost without a report."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_register
from gain_workbook.register.reader import read_register
from gain_workbook.model.schema import TABLES, id_column
from shapes import unaccounted

FLAT = make_register.FLAT_HEADERS
INSPECTION_COLS = ("Inspection ID", "Title", "Published", "Type")
# Each of our headers, and ways offices write it (the first is ours).
REWORDINGS = {
    "Title": ["Title", "Report", "Report title", "Inspection"],
    "Published": ["Published", "Date of Report", "Report Date", "Date Published"],
    "Text": ["Text", "Area for Improvement / Recommendation", "Recommendation / AFI text"],
    "Applies to force": ["Applies to force", "Applicable?", "Applies to us?"],
    "HMICFRS status": ["HMICFRS status", "Inspectorate status"],
    "Owner": ["Owner", "Responsible Officer", "Action Lead", "Owner (Name)"],
    "Due": ["Due", "Target Completion Date", "Target Completion", "Target date (original)"],
    "Revised due": ["Revised due", "Revised Target", "New target date",
                    "Revised Target Completion"],
    "Latest update": ["Latest update", "Current Position", "Progress to date", "Update"],
    "Completed on": ["Completed on", "Date completed", "Actual completion date"],
    "Last updated": ["Last updated", "Date of last update"],
}
LAYOUTS = ("template", "flat", "flat split open/archive", "one sheet per report",
           "template with archived actions")


def _cell(v):
    return dt.datetime(v.year, v.month, v.day) if type(v) is dt.date else v


def _flat_rows(data, headers, names, skip=()):
    insp = {i["Inspection ID"]: i for i in data["inspections"]}
    by_item = {}
    for a in data["actions"]:
        by_item.setdefault(a["Item ID"], []).append(a)
    rows = []
    for item in data["items"]:
        for a in by_item.get(item["Item ID"]) or [{}]:
            row = {**insp[item["Inspection ID"]], **item, **a}
            rows.append((row, [_cell(row.get(h)) for h in headers if h not in skip]))
    return [names[h] for h in headers if h not in skip], rows


def write_layout(data, path, layout, names):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if layout.startswith("template"):
        for table in TABLES:
            heads = make_register.HEADERS[table]
            rows = data[table]
            sheets = [(table.capitalize(), rows)]
            if layout.endswith("archived actions") and table == "actions":
                done = [r for r in rows if r["Status"] in ("Complete", "Closed")]
                sheets = [("Actions", [r for r in rows if r not in done]),
                          ("Completed actions", done)]
            for name, part in sheets:
                ws = wb.create_sheet(name)
                ws.append([names.get(h, h) if table == "actions" else h for h in heads])
                for r in part:
                    ws.append([_cell(r.get(h)) for h in heads])
    elif layout.startswith("flat"):
        heads, rows = _flat_rows(data, FLAT, names)
        parts = [("Tracker", rows)]
        if "archive" in layout:
            done = [r for r in rows if r[0].get("Status") in ("Complete", "Closed")]
            parts = [("Open", [r for r in rows if r not in done]), ("Archive", done)]
        for name, part in parts:
            ws = wb.create_sheet(name)
            ws.append(["HMICFRS recommendations tracker"])
            ws.append([])
            ws.append(heads)
            for _, values in part:
                ws.append(values)
    else:
        heads, rows = _flat_rows(data, FLAT, names, skip=INSPECTION_COLS)
        for n, ins in enumerate(data["inspections"], start=1):
            ws = wb.create_sheet(f"Report {n}")
            ws.append(["Report:", ins["Title"]])
            ws.append(["Published:", _cell(ins["Published"])])
            ws.append(["Type:", ins["Type"]])
            ws.append(["Inspection ID:", ins["Inspection ID"]])
            ws.append([])
            ws.append(heads)
            for row, values in rows:
                if row["Inspection ID"] == ins["Inspection ID"]:
                    ws.append(values)
    wb.save(path)


def _tables(reg, cols):
    out = {}
    for t in TABLES:
        keys = [k for k in cols[t] if k in reg.table(t).headers]
        f = reg.table(t).frame[keys]
        out[t] = f.sort_values(id_column(t)).reset_index(drop=True)
    return out


@pytest.mark.slow
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), n=st.integers(3, 25), layout=st.sampled_from(LAYOUTS),
       picks=st.fixed_dictionaries({h: st.sampled_from(v) for h, v in REWORDINGS.items()}))
def test_any_layout_reads_back_to_the_same_tables(tmp_path_factory, seed, n, layout, picks):
    d = tmp_path_factory.mktemp("layout")
    data = make_register.generate(n, seed=seed)
    base = d / "template.xlsx"
    make_register.write_template(data, base)
    want_reg = read_register(base)
    names = {h: picks.get(h, h) for h in FLAT}
    path = d / "theirs.xlsx"
    write_layout(data, path, layout, names)
    reg = read_register(path)
    assert reg.counts == want_reg.counts, (layout, names)
    # the columns this layout carries, compared with the template's
    cols = {t: [k for k in want_reg.table(t).headers if k in reg.table(t).headers]
            for t in TABLES}
    assert all(len(c) >= 3 for c in cols.values()), cols
    want, got = _tables(want_reg, cols), _tables(reg, cols)
    for t in TABLES:
        assert got[t].equals(want[t]), (layout, t, names,
                                        got[t].compare(want[t]) if got[t].shape == want[t].shape
                                        else (got[t].shape, want[t].shape))
    assert unaccounted(path, reg) == [], (layout, names)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_is_read_as_itself(tmp_path, layout):
    data = make_register.generate(12, seed=4)
    path = tmp_path / "r.xlsx"
    names = {h: REWORDINGS.get(h, [h])[-1] for h in FLAT}
    write_layout(data, path, layout, names)
    reg = read_register(path)
    expected = {"template": "template", "flat": "flat", "flat split open/archive": "flat",
                "one sheet per report": "per report",
                "template with archived actions": "template"}[layout]
    assert reg.layout == expected
    assert len(reg.plan.chosen()) == {"template": 3, "flat": 1, "flat split open/archive": 2,
                                      "one sheet per report": len(data["inspections"]),
                                      "template with archived actions": 4}[layout]
