"""Real registers are not our template: shapes, headers, dates and words all normalise."""

from __future__ import annotations

import calendar
import copy
import datetime as dt

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import base_data, make_register, write_register
from gain_workbook.register.reader import read_register
from gain_workbook.model.schema import TABLES, id_column
from gain_workbook.check.validate import check

D = dt.date

FLAT_RENAME = {
    "Inspection ID": "Report Ref", "Title": "Inspection", "Published": "Date Published",
    "Type": "Type of inspection", "Item ID": "Recommendation Ref", "Kind": "Rec or AFI",
    "Number": "Rec No.", "Text": "Recommendation", "Addressee": "Addressed to",
    "Applies to force": "Applicable?", "Deadline (as written)": "Timescale",
    "Lead": "Recommendation lead", "HMICFRS status": "HMICFRS Status",
    "No action because": "Reason for no action", "Action ID": "Action Ref",
    "Action": "Action", "Owner": "Action Owner", "Due": "Target Date",
    "Revised due": "Revised Target Date", "Status": "Status", "Completed on": "Date Completed",
    "Last updated": "Date Updated", "Latest update": "Progress Update",
}
ALIAS_RENAME = {"Due": "When by", "Owner": "Who", "Status": "Where we are",
                "Latest update": "Update (latest)", "Text": "Wording"}
ALIAS_SETTINGS = [("Alias: Due", "When by"), ("Alias: Owner", "Who"),
                  ("Alias: Status", "Where we are; Position"),
                  ("Alias: Latest update", "Update (latest)"), ("Alias: Text", "Wording")]


def _as_text_dates(data):
    """Dates typed the ways offices type them: text, serial numbers, long form."""
    data = copy.deepcopy(data)
    for a in data["actions"]:
        if a["Due"]:
            a["Due"] = a["Due"].strftime("%d/%m/%Y")
        if a["Last updated"]:
            a["Last updated"] = f"{a['Last updated'].day} {a['Last updated']:%B %Y}"
    for i in data["inspections"]:
        i["Published"] = (i["Published"] - D(1899, 12, 30)).days    # an Excel serial, General
    return data


@pytest.fixture(scope="module")
def three_shapes(tmp_path_factory):
    d = tmp_path_factory.mktemp("shapes")
    data = make_register.generate(60, seed=3)
    a = d / "template.xlsx"
    make_register.write_template(data, a)
    b = d / "flat tracker.xlsx"
    make_register.write_flat(data, b, rename=FLAT_RENAME, merge=True, title_rows=True)
    c = d / "renamed with aliases.xlsx"
    make_register.write_template(_as_text_dates(data), c, rename=ALIAS_RENAME, title_rows=2,
                                 settings_rows=ALIAS_SETTINGS)
    return data, [read_register(p) for p in (a, b, c)]


def _canonical(reg, table, columns):
    f = reg.table(table).frame[columns]
    return f.sort_values(id_column(table)).reset_index(drop=True)


def test_three_shapes_normalise_to_the_same_tables(three_shapes):
    data, regs = three_shapes
    template, flat, aliased = regs
    assert [r.layout for r in regs] == ["template", "flat", "template"]
    for table in TABLES:
        # the columns the flat tracker carries (it has no GAIN dates, for example)
        cols = [k for k in template.table(table).headers if k in flat.table(table).headers]
        assert len(cols) >= 3
        want = _canonical(template, table, cols)
        assert len(want) == len(data[table])
        for other in (flat, aliased):
            got = _canonical(other, table, cols)
            assert got.equals(want), (table, other.path.name,
                                      got.compare(want) if got.shape == want.shape else got.shape)


def test_the_three_shapes_are_valid_and_say_where_values_came_from(three_shapes):
    from gain_workbook.check.validate import validate

    _, (template, flat, aliased) = three_shapes
    for reg in (template, flat, aliased):
        report = validate(reg)
        assert report.valid, report.to_text()
    # provenance: the flat tracker's due dates come from its 'Target Date' column (row 5 on)
    assert flat.actions.header("due") == "Target Date"
    assert flat.actions.sheet == "Tracker"
    assert min(flat.items.frame.index) == 5        # title, date, blank, header rows above
    assert aliased.actions.header("due") == "When by"
    assert aliased.actions.cell("due", 4) == "E4"     # two title rows, header on row 3


def test_merged_item_cells_fill_every_action_row(three_shapes):
    _, (_, flat, _) = three_shapes
    f = flat.actions.frame
    per_item = f.groupby("action_item_id").size()
    multi = per_item[per_item > 1].index[0]
    assert f.loc[f["action_item_id"] == multi, "action_item_id"].nunique() == 1
    item = flat.items.frame.set_index("item_id").loc[multi]
    assert item["item_text"] and item["kind"]


def test_flat_sheet_without_ids_gets_stable_ids(tmp_path):
    data = make_register.generate(20, seed=5)
    rename = {h: None for h in ("Inspection ID", "Item ID", "Action ID")}
    p = tmp_path / "no ids.xlsx"
    headers = [h for h in make_register.FLAT_HEADERS if h not in rename]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    insp = {i["Inspection ID"]: i for i in data["inspections"]}
    by_item = {}
    for a in data["actions"]:
        by_item.setdefault(a["Item ID"], []).append(a)
    for item in data["items"]:
        for a in by_item.get(item["Item ID"], [{}]):
            row = {**insp[item["Inspection ID"]], **item, **a}
            ws.append([row.get(h) for h in headers])
    wb.save(p)
    reg, report = check(p)
    assert report.valid, report.to_text()
    assert len(reg.actions) == len(data["actions"])
    assert len(reg.items) == len(data["items"])
    first = data["items"][0]
    title = insp[first["Inspection ID"]]["Title"]
    abbr = {"Recommendation": "R", "Area for improvement": "AFI", "Cause of concern": "CoC"}
    want = f"{title} {abbr[first['Kind']]}{first['Number']}"
    assert want in set(reg.items.frame["item_id"])
    again = read_register(p)
    assert list(again.actions.frame["action_id"]) == list(reg.actions.frame["action_id"])


def test_headers_in_any_case_spacing_and_punctuation(tmp_path):
    rename = {"Action ID": "action ref.", "Owner": "  ACTION   owner ", "Due": "Due Date:",
              "Number": "Rec No.", "Item ID": "Recommendation Ref", "Status": "STATUS",
              "Latest update": "Progress update", "Last updated": "Date updated"}
    p = write_register(tmp_path / "r.xlsx", base_data(), headers=rename)
    reg, report = check(p)
    assert report.valid, report.to_text()
    assert reg.actions.header("owner") == "  ACTION   owner ".strip()
    assert list(reg.actions.frame["owner"]) == [a["Owner"] for a in base_data()["actions"]]
    assert reg.items.header("number") == "Rec No."


def test_columns_we_do_not_know_are_kept_and_ignored(tmp_path):
    p = write_register(tmp_path / "r.xlsx", base_data(),
                       extra={"actions": {"RAG (manual)": ["Red", "Green", "Amber"],
                                          "Notes": ["x", "", "y"], "Cost code": ["1", "", "2"]}})
    reg, report = check(p)
    assert report.valid and not report.problems, report.to_text()
    # the office's RAG is read by its words (to be compared with ours); the rest is kept
    assert list(reg.actions.frame["action_rag"]) == ["Red", "Green", "Amber"]
    assert reg.actions.header("action_rag") == "RAG (manual)"
    assert reg.actions.extra_headers == ["Notes", "Cost code"]
    assert "Cost code" not in reg.actions.frame.columns
    # describe names every column not used, and why where it can
    (actions,) = reg.plan.chosen("actions")
    unused = [c for c in actions.columns if c.key is None]
    assert [(c.letter, c.header) for c in unused] == [("M", "Notes"), ("N", "Cost code")]
    assert "Latest update, which column J is" in unused[0].note


def test_blank_rows_are_skipped(tmp_path):
    p = write_register(tmp_path / "r.xlsx", base_data())
    wb = openpyxl.load_workbook(p)
    wb["Actions"].insert_rows(3, 2)
    wb.save(p)
    reg, report = check(p)
    assert report.valid and not report.problems, report.to_text()
    assert list(reg.actions.frame.index) == [2, 5, 6]
    assert list(reg.actions.frame["action_id"]) == ["A1", "A2", "A3"]


@pytest.mark.parametrize("typed, expected", [
    (D(2024, 12, 31), D(2024, 12, 31)),
    (45657, D(2024, 12, 31)),
    ("45657", D(2024, 12, 31)),
    ("31/12/2024", D(2024, 12, 31)),
    ("31/12/24", D(2024, 12, 31)),
    ("31 December 2024", D(2024, 12, 31)),
    ("31st Dec 2024", D(2024, 12, 31)),
    ("2024-12-31", D(2024, 12, 31)),
    ("01/02/2025", D(2025, 2, 1)),        # UK order, never US
    ("15 Ionawr 2025", D(2025, 1, 15)),   # a Welsh month, as bilingual registers write them
    ("31 Mai 2025", D(2025, 5, 31)),
])
def test_due_dates_typed_every_way(tmp_path, typed, expected):
    data = base_data()
    data["actions"][0]["Due"] = typed
    reg, report = check(write_register(tmp_path / "r.xlsx", data))
    assert report.valid, report.to_text()
    assert reg.actions.frame.at[2, "due"] == expected


@pytest.mark.parametrize("words, expected", [
    ("By 31 December 2024", D(2024, 12, 31)),
    ("Not later than 31 March 2025", D(2025, 3, 31)),
    ("No later than 30/06/2024", D(2024, 6, 30)),
    ("Within six months", D(2024, 7, 10)),          # published 10 January 2024
    ("Within 3 months", D(2024, 4, 10)),
    ("With immediate effect", D(2024, 1, 10)),
    ("immediately", D(2024, 1, 10)),
    ("By March 2025", D(2025, 3, 31)),
])
def test_deadline_phrases_become_dates_and_keep_their_words(tmp_path, words, expected):
    data = base_data()
    data["items"][0]["Deadline (as written)"] = words
    reg, report = check(write_register(tmp_path / "r.xlsx", data))
    assert report.valid, report.to_text()
    assert reg.items.frame.at[2, "deadline"] == expected
    assert reg.items.frame.at[2, "deadline_text"] == words


@pytest.mark.parametrize("typed, canonical", [
    ("Completed", "Complete"), ("WIP", "In progress"), ("Ongoing", "In progress"),
    ("in progress", "In progress"), (" On Hold ", "On hold"), ("Pending sign off", "Ready for closure"),
    ("Awaiting allocation", "Not started"), ("Closed - complete", "Closed"),
    ("IN PROGRESS", "In progress"),
])
def test_action_status_synonyms_are_normalised_with_a_warning(tmp_path, typed, canonical):
    """A synonym is read with a warning; the word itself in other capitals (or with
    spaces round it) is the word, and nothing is said."""
    data = base_data()
    data["actions"][0]["Status"] = typed
    data["actions"][0]["Completed on"] = D(2024, 6, 1)
    reg, report = check(write_register(tmp_path / "r.xlsx", data))
    assert reg.actions.frame.at[2, "action_status"] == canonical
    said = [p for p in report.problems if p.code == "NORMALISED"]
    if typed.strip().casefold() == canonical.casefold():
        assert said == []
    else:
        (p,) = said
        assert p.where == "Actions!G2" and p.severity == "warning" and canonical in p.message
    assert report.valid


@pytest.mark.parametrize("typed, canonical", [
    ("Closed - complete", "Closed – complete"), ("closed – superseded", "Closed – superseded"),
    ("NFA", "Closed – no further action"), ("Awaiting review", "Open"),
])
def test_hmicfrs_status_synonyms(tmp_path, typed, canonical):
    data = base_data()
    data["items"][1]["HMICFRS status"] = typed
    reg, _ = check(write_register(tmp_path / "r.xlsx", data))
    assert reg.items.frame.at[3, "hmicfrs_status"] == canonical


def test_yes_no_as_ticks_and_booleans(tmp_path):
    data = base_data()
    data["items"][0]["Applies to force"] = True
    data["items"][1]["Applies to force"] = "n"
    data["inspections"][0]["Force quoted"] = "Y"
    reg, report = check(write_register(tmp_path / "r.xlsx", data))
    assert list(reg.items.frame["applies"]) == ["Yes", "No", "Yes"]
    assert reg.inspections.frame.at[2, "force_quoted"] == "Yes"
    assert {p.where for p in report.problems} == {"Items!G3", "Inspections!E2"}


def test_1904_date_system(tmp_path):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    p = write_register(tmp_path / "r.xlsx", base_data())
    wb = openpyxl.load_workbook(p)
    wb.epoch = CALENDAR_MAC_1904
    ws = wb["Actions"]
    ws["E2"] = (D(2024, 6, 30) - D(1904, 1, 1)).days      # a bare serial, General format
    ws["E2"].number_format = "General"
    wb.save(p)
    reg, report = check(p)
    assert reg.actions.frame.at[2, "due"] == D(2024, 6, 30)
    assert reg.actions.frame.at[3, "due"] == D(2024, 9, 30)   # a date cell, as saved
    assert report.valid, report.to_text()


def test_settings_sheet_and_defaults(tmp_path):
    data = base_data()
    data["settings"] = {"Force name": "Example Police", "Due soon (days)": 14,
                        "Email to": "a@example.org; b@example.org"}
    reg, _ = check(write_register(tmp_path / "r.xlsx", data))
    s = reg.settings
    assert (s.force_name, s.due_soon_days, s.stale_days) == ("Example Police", 14, 60)
    assert s.email_to == ("a@example.org", "b@example.org")
    data["settings"] = None
    reg, _ = check(write_register(tmp_path / "r2.xlsx", data))
    assert (reg.settings.board_name, reg.settings.protective_marking) == \
        ("GAIN Board", "OFFICIAL-SENSITIVE")


def test_flat_rows_that_disagree_are_reported(tmp_path):
    data = make_register.generate(30, seed=2)
    p = tmp_path / "flat.xlsx"
    make_register.write_flat(data, p, merge=False, title_rows=False)
    wb = openpyxl.load_workbook(p)
    ws = wb.active
    # find two rows of the same item and change the item text on the second
    col_item = make_register.FLAT_HEADERS.index("Item ID") + 1
    col_text = make_register.FLAT_HEADERS.index("Text") + 1
    seen = {}
    for r in range(2, ws.max_row + 1):
        iid = ws.cell(r, col_item).value
        if iid in seen:
            ws.cell(r, col_text).value = "Something else entirely"
            target = r
            break
        seen[iid] = r
    wb.save(p)
    reg, report = check(p)
    from gain_workbook.register.reader import col_letter

    (conflict,) = [x for x in report.problems if x.code == "FLAT_CONFLICT"]
    assert conflict.where == f"Tracker!{col_letter(col_text - 1)}{target}"
    assert f"row {seen[iid]}" in conflict.message
    assert report.valid


def test_kind_refs_and_an_items_own_status_that_says_hmicfrs_closed_it(tmp_path):
    """A flat tracker whose 'Rec/AFI' column holds refs ('AFI 1', 'Rec 4'), not bare
    kinds, and whose 'Overall Status' (the item's own) says HMICFRS closed or superseded
    an item, with no HMICFRS status column: the refs give kind and number; the words
    give the HMICFRS status (and the day, where they say it); a plain 'Closed' is the
    force's word and leaves it Open."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Inspection", "Published", "Rec/AFI", "Description", "Overall Status",
               "Action", "Owner", "Due", "Status"])
    rows = [("AFI 1", "Closed by HMICFRS 12/03/2024", "Complete"),
            ("AFI 2", "Superseded by the 2025 inspection", "Complete"),
            ("Rec 4", "Closed", "Complete"), ("Rec 5", "Open", "In progress")]
    for ref, overall, status in rows:
        ws.append(["PEEL 2021/22", dt.datetime(2022, 9, 22), ref,
                   f"The force should improve {ref}.", overall, f"Do {ref}", "DCI Reed",
                   dt.datetime(2023, 3, 31), status])
    p = tmp_path / "flat.xlsx"
    wb.save(p)
    reg, report = check(p)
    items = reg.items.frame.set_index("number")
    assert list(items["kind"]) == ["Area for improvement"] * 2 + ["Recommendation"] * 2
    assert list(items["hmicfrs_status"]) == ["Closed – complete", "Closed – superseded",
                                             "Open", "Open"]
    assert items["hmicfrs_closed"].iloc[0] == dt.date(2024, 3, 12)
    said = [p.message for p in report.problems if p.code == "MISSING_COLUMN"
            and "HMICFRS status" in p.message]
    assert said and "except 2 items whose own status says HMICFRS closed them" in said[0]


def test_a_fire_plans_pillar_headings_are_parts_of_its_one_report(tmp_path):
    """A fire and rescue service's plan under its title and 'Published:' rows, its table
    split by the inspection's pillars ('Effectiveness', 'People'): one report, its title
    and date from above the table; a pillar is no report's name."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Westshire Fire and Rescue Service – HMICFRS Round 3 improvement plan"])
    ws.append(["Published:", dt.datetime(2023, 10, 17)])
    ws.append([])
    ws.append(["Type", "Ref", "Detail", "Action", "Lead", "Due", "Status"])
    ws.append(["Effectiveness"])
    ws.append(["Area for improvement", "E1", "The service should improve prevention.",
               "Prevention review", "GM Prevention", dt.datetime(2024, 3, 31), "Complete"])
    ws.append(["People"])
    ws.append(["Area for improvement", "P1", "The service should improve its culture.",
               "Culture review", "CFO", dt.datetime(2027, 3, 31), "In progress"])
    p = tmp_path / "fire plan.xlsx"
    wb.save(p)
    reg, _ = check(p)
    ins = reg.inspections.frame
    assert len(ins) == 1 and ins["title"].iloc[0].startswith("Westshire Fire and Rescue")
    assert ins["published"].iloc[0] == dt.date(2023, 10, 17)
    assert sorted(reg.items.frame["number"].astype(str)) == ["E1", "P1"]


def test_actions_that_name_their_item_by_report_and_ref_are_refused_saying_so(tmp_path):
    """Reports, Recs and an Action Plan that names each action's item by 'Report ID' and
    'Ref' (no Item ID): refused, naming the sheets of inspections and items it could not
    use, and never guessing a 'Last reviewed' date to be the publication date or a
    column of refs ('AFI 1') to be the item's words."""
    from gain_workbook.core.errors import RegisterError

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Reports"
    ws.append(["Report ID", "Report title", "Publication date", "Report type"])
    ws.append(["PEEL25", "PEEL 2025: Example Police", dt.datetime(2025, 6, 12), "PEEL"])
    recs = wb.create_sheet("Recs & AFIs")
    recs.append(["Report ID", "Ref", "Type", "Recommendation / AFI", "HMICFRS Status"])
    recs.append(["PEEL25", "AFI 1", "AFI", "The force should improve crime recording.", "Open"])
    plan = wb.create_sheet("Action Plan")
    plan.append(["Action No", "Report ID", "Ref", "Action(s)", "Action owner",
                 "Original target", "Status", "Last reviewed"])
    for n in (1, 2):
        plan.append([n, "PEEL25", "AFI 1", f"Audit crime records, part {n}", "DCI Reed",
                     dt.datetime(2026, 3, 31), "In progress", dt.datetime(2026, 10, 15)])
    p = tmp_path / "three sheets.xlsx"
    wb.save(p)
    with pytest.raises(RegisterError) as exc:
        read_register(p)
    said = str(exc.value)
    assert "its sheets 'Reports' and 'Recs & AFIs' look like inspections and items" in said
    assert "Published = Last reviewed" not in said and "Text = Ref" not in said


def test_a_report_sheets_kind_headings_set_the_kind_of_the_refs_under_them(tmp_path):
    """A sheet per report: 'Report:', 'Type:' and 'Executive lead:' rows above the table
    (a report's details, not a card's labels), then 'Cause of concern' and, after a blank
    row, 'Areas for improvement' headings over items numbered 1, 2 ... each: the heading
    gives the kind, so cause of concern 1 and area for improvement 1 are two items, never
    pooled; a heading after a blank row with rows under it is a heading, not a note. The
    other sheet gives its date in words, with no colon ('Published 3 April 2024')."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "PEEL 2025"
    for row in (["Report:", "PEEL 2025: Example Police"], ["Published:", "12th June 2025"],
                ["Type:", "PEEL"], ["Executive lead:", "DCC H Morgan"], [],
                ["Ref", "Area for Improvement", "Action Ref", "Action", "Owner", "Due",
                 "Status"],
                ["Cause of concern"],
                [1, "The force is not managing offenders well.", "1.1", "Clear backlog",
                 "DI Webb", dt.datetime(2025, 12, 31), "Complete"],
                [None, None, "1.2", "Recruit", "DI Webb", dt.datetime(2025, 12, 31),
                 "In progress"],
                [], ["Areas for improvement"],
                [1, "The force should answer calls sooner.", "1.1", "Call-back", "Supt Dunn",
                 dt.datetime(2027, 3, 1), "In progress"],
                [2, "The force should improve files.", "2.1", "Training", "DCI Shaw",
                 dt.datetime(2027, 3, 1), "Not started"]):
        ws.append(row)
    other = wb.create_sheet("Custody 2024")
    for row in (["Report on an inspection visit to police custody"],
                ["Published 3 April 2024"], [],
                ["No.", "Recommendation / AFI", "Action", "Lead", "Target date", "Status"],
                ["Rec 1", "The force should improve detainee checks.", "Refurbish",
                 "Ch Insp Ford", dt.datetime(2024, 10, 31), "Complete"]):
        other.append(row)
    p = tmp_path / "per report.xlsx"
    wb.save(p)
    reg, report = check(p)
    assert reg.layout == "per report"
    items = reg.items.frame
    assert sorted(zip(items["item_id"], items["kind"])) == [
        ("Custody 2024 Rec 1", "Recommendation"),
        ("PEEL 2025 AFI1", "Area for improvement"), ("PEEL 2025 AFI2", "Area for improvement"),
        ("PEEL 2025 CoC1", "Cause of concern")]
    assert len(reg.actions.frame) == 5
    published = dict(zip(reg.inspections.frame["title"], reg.inspections.frame["published"]))
    assert published["Report on an inspection visit to police custody"] == dt.date(2024, 4, 3)
    codes = {(p.code, p.where) for p in report.problems}
    assert ("ROW_SKIPPED", "PEEL 2025!A11") in codes
    assert not any(c == "NOTE_BELOW_TABLE" for c, _ in codes)
    assert not [p for p in report.problems if p.code == "MISSING_COLUMN" and "Kind" in p.message]


@pytest.mark.parametrize("typed, expected, code", [
    ("Mawrth 2026", D(2026, 3, 31), None),              # a Welsh month and year: its last day
    ("Q4 23/24", D(2024, 3, 31), "DATE_READ_AS"),       # a financial year in two digits each
    ("TBC / I'w gadarnhau", None, "DATE_NOT_GIVEN"),    # both halves of a bilingual word
    ("With immediate effect", None, "DATE_NOT_GIVEN"),  # an action: no day to be due by
    # (a trial: each was BAD_DATE, the register refused)
    ("31-Mar-25", D(2025, 3, 31), None), ("31 Mar 26", D(2026, 3, 31), None),
    ("End of Q3 2025/26", D(2025, 12, 31), "DATE_READ_AS"),
    ("By end of March 2026", D(2026, 3, 31), "DATE_READ_AS"),
    ("FY 2025/26", D(2026, 3, 31), "DATE_READ_AS"), ("H1 2026/27", D(2026, 9, 30), "DATE_READ_AS"),
    ("w/c 3 March 2026", D(2026, 3, 9), "DATE_READ_AS"),
    ("31/03/2026 (revised)", D(2026, 3, 31), "DATE_READ_AS"),
    ("Extension agreed to 30/09/2026", D(2026, 9, 30), "DATE_READ_AS"),
    ("FY 26/27", D(2027, 3, 31), "DATE_READ_AS"), ("Dec 2026 (TBC)", D(2026, 12, 31), "DATE_READ_AS"),
])
def test_due_dates_in_welsh_quarters_and_words(tmp_path, typed, expected, code):
    data = base_data()
    data["actions"][0]["Due"] = typed
    reg, report = check(write_register(tmp_path / "r.xlsx", data))
    assert not report.errors, report.to_text()
    assert reg.actions.frame.at[2, "due"] == expected
    if code:
        assert any(p.code == code and p.where == "Actions!E2" for p in report.problems)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(dt.date(1990, 1, 1), dt.date(2150, 12, 31)),
       style=st.sampled_from(["%d-%b-%y", "%d-%b-%Y", "%d %b %y", "%-d %B %Y", "%d/%m/%Y"]),
       words=st.sampled_from(["{}", "{} (revised)", "Extension agreed to {}", "Revised: {}",
                              "{} - agreed at GAIN"]))
def test_a_day_written_any_way_and_among_words_reads_as_that_day(day, style, words):
    """Excel's '31-Mar-25' typed as text, and a date among words ('31/03/2026 (revised)')
    in a date column: the day, never another (they were BAD_DATE)."""
    from gain_workbook.core.dates import UNREADABLE, date_among_words, parse_date

    if "%y" in style:                   # (a year in two digits is this century's)
        day = day.replace(year=2000 + day.year % 100)
    text = words.format(day.strftime(style))
    got = parse_date(text)
    if got is UNREADABLE:
        found = date_among_words(text)
        got = found[0] if found else None
    assert got == day


@settings(max_examples=100, deadline=None)
@given(year=st.integers(1990, 2150), q=st.integers(1, 4), short=st.booleans(),
       lead=st.sampled_from(["", "End ", "End of ", "By end of ", "by the end of "]))
def test_a_quarter_or_financial_year_after_end_of_is_its_last_day(year, q, short, lead):
    from gain_workbook.core.dates import month_or_quarter

    fy = f"{year}/{str(year + 1)[2:] if short else year + 1}"
    end_q = dt.date(year + (q == 4), 3 * q + 3 if q < 4 else 3, 1)
    end_q = dt.date(end_q.year, end_q.month, calendar.monthrange(end_q.year, end_q.month)[1])
    assert month_or_quarter(f"{lead}Q{q} {fy}")[0] == end_q
    assert month_or_quarter(f"{lead}FY {fy}")[0] == dt.date(year + 1, 3, 31)
    assert month_or_quarter(f"H1 {fy}")[0] == dt.date(year, 9, 30)


@pytest.mark.parametrize("label", ["Count of recommendations", "Number of actions",
                                   "Subtotal", "Grand total"])
def test_a_count_row_under_a_block_is_not_an_item(tmp_path, label):
    """'Count of recommendations | 3' under a report's rows was read as an item with no
    words (REQUIRED_MISSING errors); 'Total' was already skipped (a second trial)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", "Recommendation", "Action", "Owner", "Due",
               "Status"])
    ws.append(["PEEL 2023-25", dt.datetime(2024, 3, 14), "R1", "The force should do it.",
               "Act", "DI Green", dt.datetime(2026, 6, 30), "In progress"])
    ws.append([label, None, 1])
    wb.save(tmp_path / "count.xlsx")
    reg, report = check(tmp_path / "count.xlsx")
    assert not report.errors, report.to_text()
    assert len(reg.items.frame) == 1
    assert any(p.code == "ROW_SKIPPED" and "totals row" in p.message for p in report.problems)


def test_an_items_own_status_saying_not_for_the_force(tmp_path):
    """'N/A - NPCC' in an item's own status, on a tracker with no Applies column: the item
    is not the force's (no Red 'No actions' for it), its addressee from the words."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Inspection", "Published", "Ref", "Description", "Overall Status", "Action",
               "Owner", "Due", "Status"])
    ws.append(["Digital forensics", dt.datetime(2022, 12, 1), "Rec 4", "By 30 June 2023, "
               "chief constables should seek accreditation.", "Open", "Accreditation",
               "Head of DFU", dt.datetime(2023, 6, 30), "In progress"])
    ws.append(["Digital forensics", dt.datetime(2022, 12, 1), "Rec 5", "The NPCC lead "
               "should publish guidance.", "N/A - NPCC", None, None, None, None])
    p = tmp_path / "flat.xlsx"
    wb.save(p)
    reg, report = check(p)
    items = reg.items.frame
    assert list(items["applies"]) == ["Yes", "No"]
    assert list(items["addressee"]) == [None, "NPCC"], list(items["addressee"])
    assert any(p.code == "NOT_FOR_FORCE_ROW" and p.where == "Sheet!E3" for p in report.problems)
    assert not any(p.code == "NO_ACTIONS" for p in report.problems)


def test_two_causes_of_concerns_rec_1_are_told_apart_in_messages(tmp_path):
    """Each cause of concern's recommendations are numbered from 1: a message about one
    names its cause of concern too ('INS-1 CoC 2 Rec 1'), so the two are told apart."""
    data = base_data()
    for n in (1, 2):
        data["items"].append({"Item ID": f"INS-1-CoC{n}", "Inspection ID": "INS-1",
                              "Kind": "Cause of concern", "Number": str(n),
                              "Text": f"Concern {n}.", "Applies to force": "Yes",
                              "HMICFRS status": "Open"})
        data["items"].append({"Item ID": f"INS-1-CoC{n}-R1", "Inspection ID": "INS-1",
                              "Kind": "Recommendation", "Number": "1",
                              "Text": f"The force should act on concern {n}.",
                              "Applies to force": "Yes", "HMICFRS status": "Open"})
    under = [None] * 3 + [None, "INS-1-CoC1", None, "INS-1-CoC2"]
    _, report = check(write_register(tmp_path / "r.xlsx", data,
                                     extra={"items": {"Under": under}}))
    named = {p.subject for p in report.problems if p.code == "NO_ACTIONS"}
    assert {"INS-1 CoC 1 Rec 1", "INS-1 CoC 2 Rec 1"} <= named, named


def test_an_items_words_typed_down_the_rows_below_it_are_its_own(tmp_path):
    """A flat tracker where a long recommendation's words go on down the rows under it
    (the Ref, Report and Action cells blank; one such row with an action of its own):
    the words join the item above, the row's action is that item's, and it is said; an
    unnumbered item's own words in capitals are a new item, not more words of the one
    above."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Date of Report", "Ref", "Recommendation", "Action", "Officer",
               "Target date", "Status"])
    pub = dt.datetime(2024, 9, 5)
    for row in (["Activism 2024", pub, "R1", "By 31 March 2025, chief constables should review",
                 "Review policy", "ACC Grant", dt.datetime(2025, 3, 31), "Complete"],
                [None, None, None, "policies on staff networks.", None, None, None, None],
                ["Activism 2024", pub, "R2", "By 30 June 2025, chief constables should make sure",
                 "Publish guidance", "Head of Comms", dt.datetime(2025, 6, 30), "In progress"],
                [None, None, None, "staff understand the guidance on", "Brief supervisors",
                 "Supt Cole", dt.datetime(2025, 9, 30), "Not started"],
                [None, None, None, "impartiality.", None, None, None, None],
                ["Activism 2024", pub, None, "Forces should publish their data.", "Publish",
                 "Head of Data", dt.datetime(2025, 9, 30), "Not started"]):
        ws.append(row)
    p = tmp_path / "wrapped.xlsx"
    wb.save(p)
    reg, report = check(p)
    texts = list(reg.items.frame["item_text"])
    assert texts == ["By 31 March 2025, chief constables should review policies on staff "
                     "networks.",
                     "By 30 June 2025, chief constables should make sure staff understand the "
                     "guidance on impartiality.", "Forces should publish their data."]
    acts = reg.actions.frame
    assert list(acts["action_item_id"].value_counts().sort_index()) == [1, 2, 1]
    said = [(p.code, p.where) for p in report.problems if p.code == "TEXT_CONTINUED"]
    assert said == [("TEXT_CONTINUED", "Sheet!D3"), ("TEXT_CONTINUED", "Sheet!D5")]


@pytest.mark.parametrize("merged", [False, True])
def test_a_title_on_the_row_just_above_the_headers_is_no_group_header(tmp_path, merged):
    """'HMICFRS Recommendations Tracker' on the row right above the headers, alone (or
    merged across the whole table): a title, not a group header over every column (the
    tracker was refused, and the fix offered was to take the title for the Action)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["HMICFRS Recommendations Tracker"])
    ws.append(["Report", "Date of Report", "Ref", "Recommendation", "Action",
               "Responsible Officer", "Target Completion Date", "Status"])
    ws.append(["Activism 2024", dt.datetime(2024, 9, 5), "R1", "Chief constables should "
               "review policy.", "Review policy", "ACC Grant", dt.datetime(2025, 3, 31),
               "Complete"])
    if merged:
        ws.merge_cells("A1:H1")
    p = tmp_path / "tracker.xlsx"
    wb.save(p)
    reg, _ = check(p)
    assert reg.layout == "flat" and len(reg.actions) == 1
    assert reg.actions.frame["action_text"].iloc[0] == "Review policy"


def test_a_column_of_counts_named_like_actions_is_not_the_actions_words(tmp_path):
    """'Sub actions' holding 2, 3 (how many there are) is not the actions' words: read so,
    every action was called '2' or '3'. With no other column of them, one row per item,
    each item is its own action (said), its words the action's, not a number."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", "Recommendation", "Sub actions", "Owner", "Due",
               "Status"])
    for n, count in ((1, 2), (2, 3)):
        ws.append(["Values and culture 2023", dt.datetime(2023, 3, 30), f"R{n}",
                   f"The service should act on culture {n}.", count, "AM Smith",
                   dt.datetime(2027, 3, 31), "In progress"])
    p = tmp_path / "counts.xlsx"
    wb.save(p)
    reg, report = check(p)
    assert list(reg.actions.frame["action_text"]) == [
        "The service should act on culture 1.", "The service should act on culture 2."]
    assert any(p.code == "ITEMS_AS_ACTIONS" for p in report.problems)


def test_one_month_first_slip_in_a_day_first_register_leaves_its_dates_alone(tmp_path):
    """A register that writes its dates day first ('25/03/2025', '30/06/2025') with one
    slip month first ('03/15/2027'): the slip is a BAD_DATE; its other dates that could
    be either way ('04/05/2027') are read day first, not all made unsure."""
    data = base_data()
    for action, due in zip(data["actions"], ("25/03/2025", "03/15/2027", "04/05/2027")):
        action["Due"] = due
    data["actions"][1]["Revised due"] = "30/06/2025"
    reg, report = check(write_register(tmp_path / "r.xlsx", data))
    assert not any(p.code == "DATE_ORDER_UNSURE" for p in report.problems)
    assert any(p.code == "BAD_DATE" and p.where == "Actions!E3" for p in report.problems)
    assert reg.actions.frame.at[4, "due"] == dt.date(2027, 5, 4)


def test_an_items_words_again_on_its_next_row_without_its_ref_are_the_same_item(tmp_path):
    """One row per action, the item's words on every row but its ref only on the first:
    the second row's action is the same item's (it was made an item of its own, 'item
    2', with the same words)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", "Recommendation", "Action", "Owner", "Due",
               "Status"])
    pub = dt.datetime(2024, 4, 3)
    for ref, text, action in (("R1", "The force should improve detainee checks", "Review"),
                              (None, "The force should improve detainee checks", "Train"),
                              ("R2", "Publish data", "Publish")):
        ws.append(["Custody 2024", pub, ref, text, action, "Insp A", dt.datetime(2027, 6, 30),
                   "In progress"])
    p = tmp_path / "repeated.xlsx"
    wb.save(p)
    reg, _ = check(p)
    assert len(reg.items) == 2
    assert list(reg.actions.frame["action_item_id"]) == ["Custody 2024 R1"] * 2 + \
        ["Custody 2024 R2"]


def test_a_kind_heading_names_no_report_where_headings_name_reports(tmp_path):
    """A tracker's own title above its table, reports named by section headings ('Custody
    2024'), and within a report its kinds by headings ('Areas for improvement'): the
    kind heading is no report of its own (it was read as one)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["Force HMICFRS tracker"], [],
                ["Published", "Ref", "Recommendation", "Action", "Owner", "Due", "Status"],
                ["Custody 2024"],
                [dt.datetime(2024, 4, 3), "1", "The force should improve checks.", "Review",
                 "Insp A", dt.datetime(2027, 6, 30), "In progress"],
                ["Areas for improvement"],
                [dt.datetime(2024, 4, 3), "1", "The force should improve files.", "Train",
                 "Insp B", dt.datetime(2027, 6, 30), "In progress"]):
        ws.append(row)
    p = tmp_path / "headings.xlsx"
    wb.save(p)
    reg, _ = check(p)
    assert list(reg.inspections.frame["title"]) == ["Custody 2024"]
    assert sorted(reg.items.frame["kind"]) == ["Area for improvement", "Recommendation"]


def test_a_report_sheets_progress_of_status_words_headings_and_wrapped_words(tmp_path):
    """A sheet per report ('Inspection:' and 'Date published:' above), 'No.' beside
    'Recommendation / AFI', 'Progress' holding status words with no Status column (it is
    the status; 'Comments' the update), kind headings over numbers from 1, and a
    recommendation's words going on to the row below: read whole (it was refused, the fix
    offered being to take 'Comments' for the status)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Vetting 2022"
    for row in (["Inspection:", "An inspection of vetting, misconduct and misogyny"],
                ["Date published:", dt.datetime(2022, 11, 2)], [],
                ["No.", "Recommendation / AFI", "Action(s) taken", "Lead officer", "Target",
                 "Progress", "Comments"],
                ["Areas for improvement"],
                [1, "Forces should improve vetting records", "Audit vetting files",
                 "Head of PSD", dt.datetime(2023, 5, 31), "Complete", "Done"],
                [None, None, "Re-vet 100 officers", "Head of PSD", dt.datetime(2027, 5, 31),
                 "In progress", "60 done"],
                ["Recommendations"],
                [1, "By 31 May 2023, chief constables should make sure vetting decisions are",
                 "Policy change", "ACC Ops", dt.datetime(2023, 5, 31), "Complete", ""],
                [None, "recorded in full.", None, None, None, None, None]):
        ws.append(row)
    p = tmp_path / "vetting.xlsx"
    wb.save(p)
    reg, report = check(p)
    items = reg.items.frame
    assert list(zip(items["kind"], items["number"])) == [
        ("Area for improvement", "1"), ("Recommendation", "1")]
    assert items["item_text"].iloc[1].endswith("decisions are recorded in full.")
    acts = reg.actions.frame
    assert list(acts["action_status"]) == ["Complete", "In progress", "Complete"]
    assert list(acts["latest_update"])[:2] == ["Done", "60 done"]


_PERIOD_FAMILIES = {
    # (the periods in time order, whether their headers say when)
    "bare quarters": (["Q1", "Q2", "Q3", "Q4"], False),
    "bare quarters into a new year": (["Q3", "Q4", "Q1", "Q2"], False),
    "financial quarters": (["Q4 2024/25", "Q1 2025/26", "Q2 2025/26", "Q3 2025/26"], True),
    "months": (["Sept 25", "Oct 25", "Nov-25", "December 2025"], True),
    "dates": (["30/06/2025", "30/09/2025", "31/12/2025", "31/03/2026"], True),
    "months without a year": (["October", "November", "December", "January"], False),
}


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(family=st.sampled_from(sorted(_PERIOD_FAMILIES)), n=st.integers(2, 4),
       shuffle=st.randoms(use_true_random=False), placed=st.sampled_from(["before", "after"]),
       blanks=st.lists(st.booleans(), min_size=3, max_size=3))
def test_a_column_kept_per_period_is_read_from_the_latest(tmp_path, family, n, shuffle,
                                                          placed, blanks):
    """'Q1 status', 'Q2 status', 'Q3 status' (a tracker that gains a column a quarter):
    each row's latest period that has a value is its status and update, whatever order
    the columns stand in when their headers say when (else the rightmost is the latest);
    the first one found was read before, in silence."""
    periods, dated = _PERIOD_FAMILIES[family]
    periods = periods[:n]
    order = list(range(n))
    if dated:
        shuffle.shuffle(order)
    statuses = ["Not started", "In progress", "Complete", "On hold"]
    head = ["Report", "Published", "Ref", "Recommendation", "Action", "Owner", "Due"]
    cols = []
    for i in order:
        pair = [f"{periods[i]} status", f"Update {periods[i]}"] if placed == "after" else \
            [f"Status {periods[i]}", f"{periods[i]} update"]
        cols.append((i, pair))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(head + [h for _, pair in cols for h in pair])
    want = []
    for r, blank in enumerate(blanks):
        row = ["PEEL 2025", dt.datetime(2025, 3, 1), f"Rec {r + 1}", f"The force should {r}.",
               f"Act {r}", "DCI Jones", dt.datetime(2027, 3, 31)]
        cells = {}
        for i in range(n):
            latest_blank = blank and i == n - 1
            cells[i] = (None, None) if latest_blank else \
                (statuses[(i + r) % 4], f"update {r} in {periods[i]}")
        given_ = [i for i in range(n) if cells[i][0]]
        want.append(cells[max(given_)])
        for i, _ in cols:
            row += list(cells[i])
        ws.append(row)
    p = tmp_path / f"periods {family} {n}.xlsx"
    wb.save(p)
    reg = read_register(p)
    got = list(zip(reg.actions.frame["action_status"], reg.actions.frame["latest_update"]))
    assert got == want
    notes = " ".join(c.note for s in reg.plan.sheets for c in s.columns)
    assert notes.count(f"the latest of {n} period columns") == 2     # status and update


def _refs_tracker(path, words_header):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Inspection", "Published", "Rec/AFI", "No."] +
              ([words_header] if words_header else []) +
              ["Action", "Lead officer", "Target date", "Status"])
    for n, words in ((1, "The force should improve how it records crime against children."),
                     (2, "By 30 April 2025, the force should review its vetting decisions.")):
        ws.append(["PEEL 2023-25", dt.datetime(2024, 3, 14), "AFI", n] +
                  ([words] if words_header else []) +
                  [f"Action {n}", "DCI Reed", dt.datetime(2027, 3, 31), "In progress"])
    wb.save(path)
    return path


@pytest.mark.parametrize("header", ["Detail", "Details", "Description", "HMICFRS wording",
                                    "What HMICFRS said", "Full text"])
def test_a_column_headed_only_the_words_beside_the_actions_is_the_items_words(tmp_path,
                                                                              header):
    """'Detail' beside 'Action' on a sheet of one row per action: the items' words. It
    was 'not used', every item's words lost, and validate said nothing."""
    reg = read_register(_refs_tracker(tmp_path / "t.xlsx", header))
    assert list(reg.items.frame["item_text"]) == [
        "The force should improve how it records crime against children.",
        "By 30 April 2025, the force should review its vetting decisions."]


@pytest.mark.parametrize("label", ["Action {n}", "A{n}", "{i}.{n}", "Act. {n}", "#{n}",
                                   "ACTION NO. {n}", "AP{i}.{n}", "Step {n}"])
@pytest.mark.parametrize("header", ["Description", "Detail", "Details of action",
                                    "What we will do", "Task description"])
@pytest.mark.parametrize("items_words", [True, False])
def test_an_action_column_of_labels_beside_the_words_reads_the_words(tmp_path, label,
                                                                     header, items_words):
    """'Action' holding 'Action 1', 'Action 2' beside 'Description' holding what the
    force will do: the labels are the actions' refs, the sentences their words. The
    Description was 'not used' and every action's words were 'Action 1' in the pack."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref"] + (["Recommendation"] if items_words else []) +
              ["Action", header, "Owner", "Due date", "Status"])
    want = []
    for i, ref in enumerate(("AFI 1", "AFI 2"), start=1):
        for n in (1, 2):
            words = f"Do the {n} thing for {ref} within the month"
            want.append(words)
            ws.append(["PEEL 2023-25", dt.datetime(2024, 3, 14), ref] +
                      ([f"The force should improve {ref}."] if items_words else []) +
                      [label.format(i=i, n=n), words, "DCI Smith",
                       dt.datetime(2026, 3, 31), "In progress"])
    wb.save(tmp_path / "labels.xlsx")
    reg = read_register(tmp_path / "labels.xlsx")
    assert list(reg.actions.frame["action_text"]) == want
    labels = [label.format(i=i, n=n) for i in (1, 2) for n in (1, 2)]
    assert [a[-len(lab):] for a, lab in zip(reg.actions.frame["action_id"], labels)] == labels


_LABELLED = [("AFI {n}", "Area for improvement", None),
             ("Area for improvement {n}", "Area for improvement", None),
             ("Cause of concern {n}", "Cause of concern", None),
             ("Recommendation {n} (CoC 1)", "Recommendation", "Cause of concern 1"),
             ("Rec {n}", "Recommendation", None), ("R{n}", "Recommendation", None)]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(len(_LABELLED))),
       sep=st.sampled_from([" – ", " - ", ": ", ". ", " —", "- "]))
def test_items_words_that_begin_with_their_refs_give_kind_and_number(tmp_path, order, sep):
    """'AFI 1 – The force should ...' in the items' words, no column of refs: every item
    was a recommendation numbered by its row, a cause of concern among them with its
    recommendations not under it, and the response counted 'five recommendations'."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Date published", "Recommendation / AFI", "Action", "Owner", "Due",
               "Status"])
    ws.append(["PEEL 2023-25", dt.datetime(2024, 3, 14), "Cause of concern 1: The force is slow.",
               "Act", "DI Green", dt.datetime(2026, 6, 30), "In progress"])
    want = [("Cause of concern", "The force is slow.")]
    for n, k in enumerate(order, start=2):
        label, kind, _ = _LABELLED[k]
        ref = label.format(n=n)
        words = f"The force should do thing {n} well."
        ws.append(["PEEL 2023-25", dt.datetime(2024, 3, 14), f"{ref}{sep}{words}",
                   f"Act on {n}", "DI Green", dt.datetime(2026, 6, 30), "In progress"])
        want.append((kind, words))
    wb.save(tmp_path / "labelled.xlsx")
    reg = read_register(tmp_path / "labelled.xlsx")
    items = reg.items.frame
    assert list(zip(items["kind"], items["item_text"])) == want
    concern = items.loc[items["item_text"] == "The force is slow.", "item_id"].iloc[0]
    under = [p for p, (label, *_) in zip(items["parent_item"][1:],
                                         [_LABELLED[k] for k in order]) if "(CoC 1)" in label]
    assert under == [concern]


@pytest.mark.parametrize("whole", [False, True])
def test_recommendations_numbered_as_parts_of_a_cause_of_concern_go_under_it(tmp_path, whole):
    """Kind 'Cause of concern' numbered 1, then Kind 'Recommendation' numbered 1.1 and
    1.2: the recommendations were not under it, the cause of concern Red with 'no
    actions' (a trial). Not where the report has a recommendation numbered 1 too."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", "Type", "Detail", "Action", "Lead", "Target date",
               "Status"])
    rows = [("1", "Cause of concern", "The force does not answer 999 calls promptly.", None),
            ("1.1", "Recommendation", "Within three months, recruit call handlers.", "Recruit"),
            ("1.2", "Recommendation", "Within six months, review THRIVE.", "Review"),
            ("2", "Area for improvement", "The force should improve files.", "Train")]
    if whole:
        rows.append(("1", "Recommendation", "The force should do one more thing.", "Do it"))
    for ref, kind, words, action in rows:
        ws.append(["PEEL 2023", dt.datetime(2024, 3, 14), ref, kind, words, action,
                   "Supt Contact" if action else None,
                   dt.datetime(2026, 6, 30) if action else None,
                   "In progress" if action else None])
    wb.save(tmp_path / "parts.xlsx")
    items = read_register(tmp_path / "parts.xlsx").items.frame.set_index("number")
    concern = items.loc[items["kind"] == "Cause of concern", "item_id"].iloc[0]
    under = list(items.loc[["1.1", "1.2"], "parent_item"])
    assert under == ([None, None] if whole else [concern, concern])


def test_a_sheet_per_report_one_without_a_type_line_and_refs_repeated_down_an_items_rows(
        tmp_path):
    """Two report sheets, 'Type:' above one table only; a bare 'Ref' repeated on the row
    of an item's second action (its words blank there); a totals row. It was refused:
    DUPLICATE_ID (the refs read as the actions'), and 'Type is empty', an error,
    though a register with no Type at all is only warned (a trial)."""
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "Custody 2024"
    for row in (["Report:", "Report on an inspection visit to police custody"],
                ["Published:", dt.datetime(2024, 4, 3)], ["Type:", "Force-specific"], [],
                ["Ref", "Recommendation", "Action", "Owner", "Target date", "Status"],
                ["R1", "The force should improve governance.", "Monthly review", "Ch Insp",
                 dt.datetime(2025, 1, 31), "Complete"],
                ["R1", None, "Publish data quarterly", "Ch Insp", dt.datetime(2025, 4, 30),
                 "In progress"],
                ["R2", "The force should ensure rights are given.", "Training", "Sgt Lead",
                 dt.datetime(2025, 7, 31), "Not started"],
                [], ["Total", None, 3]):
        first.append(row)
    second = wb.create_sheet("Firearms 2025")
    for row in (["Report:", "An inspection of firearms licensing"],
                ["Published:", "3 April 2025"], [],
                ["Ref", "Recommendation", "Action", "Owner", "Target date", "Status"],
                ["R1", "Chief constables should train staff.", "Accredited training",
                 "Licensing Manager", dt.datetime(2026, 3, 31), "In progress"]):
        second.append(row)
    p = tmp_path / "per report.xlsx"
    wb.save(p)
    reg, report = check(p)
    assert not report.errors, report.to_text()
    items = reg.items.frame
    assert sorted(items["number"].astype(str)) == ["1", "1", "2"]
    assert len(reg.actions.frame) == 4
    said = [p for p in report.problems if p.code == "MISSING_COLUMN" and "Type" in p.message]
    assert [p.sheet for p in said] == ["Firearms 2025"]


@pytest.mark.parametrize("name", ["Inspections", "Items", "Actions"])
def test_a_tracker_on_a_sheet_named_as_one_of_our_tables_is_read(tmp_path, name):
    """A whole tracker kept on a sheet named 'Inspections' (or 'Items', 'Actions') was
    taken for that one table of our layout and the workbook refused (a trial)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = name
    ws.append(["Report", "Published", "Ref", "Recommendation", "Action", "Owner", "Due date",
               "Status"])
    for ref, action in (("AFI 1", "Audit monthly"), ("AFI 2", "Review deployment")):
        ws.append(["PEEL 2023-25", dt.datetime(2024, 3, 14), ref, f"The force should {ref}.",
                   action, "DCI Smith", dt.datetime(2026, 3, 31), "In progress"])
    wb.save(tmp_path / "named.xlsx")
    reg, report = check(tmp_path / "named.xlsx")
    assert reg.layout == "flat" and not report.errors
    assert list(reg.actions.frame["action_text"]) == ["Audit monthly", "Review deployment"]
    assert "named as our" in reg.plan.sheets[0].reason


def test_a_tracker_on_a_sheet_named_actions_beside_its_archive_reads_both(tmp_path):
    """The open rows on a sheet named 'Actions', the closed ones on 'Closed actions': the
    archive alone was read as the register (a layout was found, so the sheet named as ours
    was never read by its columns), two open actions gone in silence (a trial)."""
    wb = openpyxl.Workbook()
    head = ["Report", "Published", "Ref", "Recommendation", "Action", "Owner", "Due",
            "Status"]
    rows = {"Actions": [("AFI 1", "Introduce call-back", "In progress"),
                        ("AFI 2", "Supervision training", "Not started")],
            "Closed actions": [("AFI 1", "Recruit call handlers", "Complete"),
                               ("AFI 3", "Wellbeing strategy", "Complete")]}
    for n, (name, lines) in enumerate(rows.items()):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = name
        ws.append(head)
        for ref, action, status in lines:
            ws.append(["PEEL 2023-25", dt.datetime(2024, 3, 14), ref,
                       f"The force should improve {ref}.", action, "DCI Smith",
                       dt.datetime(2026, 3, 31), status])
    wb.save(tmp_path / "open and closed.xlsx")
    reg, report = check(tmp_path / "open and closed.xlsx")
    assert reg.layout == "flat" and not report.errors, report.to_text()
    assert sorted(reg.actions.frame["action_text"]) == sorted(
        a for lines in rows.values() for _, a, _ in lines)
    assert sorted(reg.items.frame["number"].astype(str)) == ["1", "2", "3"]
    assert [s.read for s in reg.plan.sheets] == [True, True]


@pytest.mark.parametrize("header", ["HMICFRS Ref", "Report ref", "Inspection no"])
@pytest.mark.parametrize("own_ref", [None, "Force Ref", "Inspection ID"])
@pytest.mark.parametrize("bare", [False, True])
def test_a_report_id_header_over_the_items_refs_is_their_number(tmp_path, header, own_ref,
                                                               bare):
    """'HMICFRS Ref' (an alias of the report's id) over 'Rec 2', 'AFI 1': each item was a
    report of its own, every area for improvement a recommendation, in silence (a trial);
    and so with a bare number among them ('2'), or beside an Inspection ID, which set it
    aside as the same column twice (a second trial)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(([own_ref] if own_ref else []) + [
        "Report Title", "Report Date", header, "Recommendation / AFI", "Action",
        "Lead Officer", "Deadline", "Status"])
    youth = ("Serious youth violence", dt.datetime(2023, 6, 27))
    peel = ("PEEL 2023-25: Northshire Police", dt.datetime(2024, 4, 18))
    two = "2" if bare else "Rec 2"
    for n, (report, ref, action) in enumerate(((youth, two, "Data sharing"),
                                               (youth, two, "Monthly return"),
                                               (youth, "Rec 5", "Evaluation"),
                                               (peel, "AFI 1", "Shifts"),
                                               (peel, "AFI 3", "Audit"))):
        own = {"Force Ref": f"NS-{40 + n}",
               "Inspection ID": "SYV-23" if report is youth else "PEEL-24"}.get(own_ref)
        ws.append(([own] if own_ref else []) + [
            *report, ref, f"The force should do {ref}.", action, "Supt Quinn",
            dt.datetime(2026, 12, 31), "In progress"])
    wb.save(tmp_path / "refs.xlsx")
    reg, report = check(tmp_path / "refs.xlsx")
    assert not report.errors, report.to_text()
    assert len(reg.inspections.frame) == 2
    items = reg.items.frame
    assert sorted(zip(items["kind"], items["number"].astype(str))) == [
        ("Area for improvement", "1"), ("Area for improvement", "3"), ("Recommendation", "2"),
        ("Recommendation", "5")]


def test_one_ref_typed_two_ways_does_not_make_the_refs_the_actions(tmp_path):
    """'AFI_06' on an item's first row, 'AFI 6' on its second: the whole Ref column was
    read as the actions' refs, every item numberless and a recommendation (a trial)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", "Recommendation", "Action", "Owner", "Due",
               "Status"])
    for ref, words, action in (("CC1", "The force does not answer calls promptly.", "Plan"),
                               ("CC1 R1", "Within three months, recruit.", "Recruit"),
                               ("AFI 05", "The force should improve files.", "Train"),
                               ("AFI_06", "The force should improve data.", "Audit"),
                               ("AFI 6", None, "Dashboard")):
        ws.append(["PEEL 2023-25", dt.datetime(2024, 3, 14), ref, words, action, "DI Green",
                   dt.datetime(2026, 6, 30), "In progress"])
    wb.save(tmp_path / "slip.xlsx")
    reg, report = check(tmp_path / "slip.xlsx")
    items = reg.items.frame
    assert list(items["kind"]) == ["Cause of concern", "Recommendation",
                                   "Area for improvement", "Area for improvement"]
    assert items["parent_item"].iloc[1] == items["item_id"].iloc[0]
    assert len(reg.actions.frame) == 5
    assert any(p.code == "FLAT_CONFLICT" and "'AFI 6'" in p.message for p in report.problems)


def test_a_ref_that_starts_with_its_reports_id_is_not_given_it_twice(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Item Ref", "Recommendation / AFI", "Action", "Owner",
               "Due", "Status"])
    ws.append(["PEEL 2023", dt.datetime(2024, 3, 14), "PEEL 2023 AFI7", "The force should.",
               "Act", "DI Green", dt.datetime(2026, 6, 30), "In progress"])
    wb.save(tmp_path / "ids.xlsx")
    assert list(read_register(tmp_path / "ids.xlsx").items.frame["item_id"]) == ["PEEL 2023 AFI7"]


@pytest.mark.parametrize("typed, kind, number", [
    ("[AFI 4] The force should do it.", "Area for improvement", "4"),
    ("(AFI 1) The force should do it.", "Area for improvement", "1"),
    ("AFI#1 The force should do it.", "Area for improvement", "1"),
    ("AFI #2 The force should do it.", "Area for improvement", "2"),
    ("AFI1 The force should do it.", "Area for improvement", "1"),
    ("AFI3  The force should do it.", "Area for improvement", "3"),
    ("Recommendation One: The force should do it.", "Recommendation", "1"),
    ("CoC 2. The force does not do it.", "Cause of concern", "2"),
    ("Rec 3 (CoC 2) By 30 September 2025, the force should do it.", "Recommendation", "3")])
def test_refs_at_the_start_of_the_words_as_offices_type_them(tmp_path, typed, kind, number):
    """The next office's ways of typing a ref before an item's words (brackets, '#', a
    number in words, no stop before the words): each item was a numberless
    recommendation (a second trial). Beside two plainly typed ones, as a sheet would."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "HMICFRS finding", "Action", "Owner", "Due", "Status"])
    for words in (typed, "AFI 7: The force should improve files.",
                  "Recommendation 9 - The force should train staff."):
        ws.append(["PEEL 2023-25", dt.datetime(2024, 3, 14), words, "Act", "DI Green",
                   dt.datetime(2026, 6, 30), "In progress"])
    wb.save(tmp_path / "typed.xlsx")
    items = read_register(tmp_path / "typed.xlsx").items.frame
    assert (items["kind"].iloc[0], str(items["number"].iloc[0])) == (kind, number)
    assert not items["item_text"].iloc[0].startswith(("[", "(", "AFI", "Rec", "CoC"))


def test_recommendations_lettered_or_numbered_under_a_concern_and_two_kinds_one_number(
        tmp_path):
    """'1a', '1b' under cause of concern '1'; '2.1' under 'CoC 2'; a recommendation 2.1 and
    an area for improvement 2.1 (a Kind column tells them apart): the recommendations
    stood alone, and the two 2.1s were one id, DUPLICATE_ID (a second trial)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", "Type", "Detail", "Action", "Lead", "Due",
               "Status"])
    for ref, kind in (("1", "Cause of concern"), ("1a", "Recommendation"),
                      ("1b", "Recommendation"), ("CoC 2", "Cause of concern"),
                      ("2.1", "Recommendation"), ("2.1", "Area for improvement")):
        ws.append(["PEEL 2023", dt.datetime(2024, 3, 14), ref, kind,
                   f"The words of {kind} {ref} here.", f"Act on {ref}", "Supt A",
                   dt.datetime(2026, 6, 30), "In progress"])
    wb.save(tmp_path / "parts2.xlsx")
    reg, report = check(tmp_path / "parts2.xlsx")
    assert not report.errors, report.to_text()
    items = reg.items.frame
    ids = list(items["item_id"])
    assert list(items["parent_item"]) == [None, ids[0], ids[0], None, ids[3], None]
    assert len(set(ids)) == 6


@pytest.mark.parametrize("part, second", [("(a)", "(b)"), (" (a)", " (b)"), ("a", "b"),
                                          (".1", ".2"), ("(i)", "(ii)")])
def test_a_concerns_ref_with_a_part_of_its_number_is_its_recommendation(tmp_path, part,
                                                                         second):
    """'CoC 1', then 'CoC 1(a)', 'CoC 1(b)' (no Kind column): each was a cause of concern
    of its own, CoC 1 Red with 'no actions' and the response listing three causes and no
    recommendations (a trial). They are its recommendations."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", "Detail", "Action", "Owner", "Due", "Status"])
    for ref, action in (("CoC 1", None), (f"CoC 1{part}", "Screening review"),
                        (f"CoC 1{second}", "Supervision audit"), ("CoC 2", "Plan"),
                        ("AFI 1", "Demand review")):
        ws.append(["PEEL 2025", dt.datetime(2025, 3, 20), ref, f"The words of {ref}.", action,
                   "DCI Ash" if action else None, dt.datetime(2026, 6, 30) if action else None,
                   "In progress" if action else None])
    wb.save(tmp_path / "lettered.xlsx")
    reg, report = check(tmp_path / "lettered.xlsx")
    assert not report.errors, report.to_text()
    items = reg.items.frame
    ids = list(items["item_id"])
    assert list(items["kind"]) == ["Cause of concern", "Recommendation", "Recommendation",
                                   "Cause of concern", "Area for improvement"]
    assert list(items["parent_item"]) == [None, ids[0], ids[0], None, None]
    assert not [p for p in report.problems if p.code == "NO_ACTIONS"]


def test_two_items_given_one_ref_are_refused_and_a_slip_is_a_warning(tmp_path):
    """AFIs numbered again in each part of a PEEL report ('Investigating crime' AFI 1,
    'Protecting vulnerable people' AFI 1): read as one item, the second's words lost under
    a warning of a slip (a trial). Another item's words under the same ref are an error;
    the same item's words typed again with a slip stay a warning."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "PEEL area", "AFI No.", "Area for improvement", "Action",
               "Owner", "Due", "Status"])
    rows = (("Investigating crime", 1, "The force should improve supervision of investigations."),
            ("Investigating crime", 2, "The force should reduce its digital backlog."),
            ("Protecting vulnerable people", 1, "The force should improve its use of DVPOs."),
            ("Protecting vulnerable people", 2, "The force should reduce its digital backlogs"),
            ("Protecting vulnerable people", 1, "The force should improve supervison of "
                                                "investigations."))
    for area, n, words in rows:
        ws.append(["PEEL 2021/22", dt.datetime(2022, 5, 5), area, n, words, f"Act {area} {n}",
                   "DI Four", dt.datetime(2026, 12, 31), "In progress"])
    wb.save(tmp_path / "restart.xlsx")
    _, report = check(tmp_path / "restart.xlsx")
    assert [(p.code, p.cell) for p in report.errors] == [("ONE_REF_TWO_ITEMS", "E4")]
    assert [(p.code, p.cell) for p in report.problems if p.code == "FLAT_CONFLICT"] == [
        ("FLAT_CONFLICT", "E5"), ("FLAT_CONFLICT", "E6")]        # (a typo is a slip)


@pytest.mark.parametrize("header", ["Addressed to", "Lead agency", "Recommendation for"])
@pytest.mark.parametrize("force_name", [None, "Westshire Police"])
def test_items_addressed_only_to_other_bodies_do_not_apply_to_the_force(tmp_path, header,
                                                                        force_name):
    """A joint inspection's plan with an 'Addressed to' column and no Applies column: the
    CPS's, NHS England's and the Home Office's recommendations counted as the force's, each
    Red with 'no actions' (a trial). Addressed only to another body, with no action of the
    force's, an item does not apply; addressed to the police (among others: 'Police / CPS'),
    or to the force by its name (with no Force name set, not told from another's), it
    does; so under other headers (a second trial)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", header, "Recommendation", "Action",
               "Owner", "Due", "Status"])
    if force_name:
        wb.create_sheet("Settings").append(["Force name", force_name])
    for ref, who, action in (("Rec 1", "Police", "Custody review"), ("Rec 2", "CPS", None),
                             ("Rec 3", "Police / CPS", None),
                             ("Rec 4", "NHS England", None), ("Rec 5", "Home Office", None),
                             ("Rec 6", "CPS", "Liaison officer"),
                             ("Rec 7", "Westshire Police", None)):
        ws.append(["Joint inspection of case files", dt.datetime(2025, 2, 1), ref, who,
                   f"{who} should act on {ref}.", action, "DI Lee" if action else None,
                   dt.datetime(2026, 6, 30) if action else None,
                   "In progress" if action else None])
    wb.save(tmp_path / "joint.xlsx")
    reg, report = check(tmp_path / "joint.xlsx")
    items = reg.items.frame
    assert dict(zip(items["number"].astype(str), items["applies"])) == {
        "1": "Yes", "2": "No", "3": "Yes", "4": "No", "5": "No", "6": "Yes", "7": "Yes"}
    said = [p.cell for p in report.problems if p.code == "NOT_FOR_FORCE_ROW"]
    assert said == ["D3", "D5", "D6"]


@pytest.mark.parametrize("mark", [". ", ") ", ".  "])
def test_items_numbered_in_their_words_under_kind_headings_keep_their_numbers(tmp_path, mark):
    """'Recommendations' then '1. Within three months, ...', '2. ...'; 'Areas for
    improvement' then '1. ...': the kinds were right but the items 'item 1' to 'item 5'
    (Recommendation 1 shown as 'item 2') (a second trial)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Inspection", "Date published", "HMICFRS finding", "Action", "Lead", "Due",
               "Status"])
    for heading, words in (("Recommendations", ["The force should do one.",
                                                 "The force should do two."]),
                           ("Areas for improvement", ["The force should improve three."])):
        ws.append([heading])
        for n, w in enumerate(words, start=1):
            ws.append(["PEEL 2023-25", dt.datetime(2024, 3, 14), f"{n}{mark}{w}", "Act",
                       "Supt Lee", dt.datetime(2026, 6, 30), "In progress"])
    wb.save(tmp_path / "numbered.xlsx")
    items = read_register(tmp_path / "numbered.xlsx").items.frame
    assert [(k, str(n)) for k, n in zip(items["kind"], items["number"])] == [
        ("Recommendation", "1"), ("Recommendation", "2"), ("Area for improvement", "1")]
    assert list(items["item_text"]) == ["The force should do one.", "The force should do two.",
                                        "The force should improve three."]


def test_items_known_by_their_refs_alone_are_said_to_have_no_words(tmp_path):
    reg, report = check(_refs_tracker(tmp_path / "t.xlsx", None))
    said = [p for p in report.problems if p.code == "MISSING_COLUMN" and "Text" in p.message]
    assert len(said) == 1 and "no words" in said[0].message


def _blocks_tracker(path, dated: bool, repeat_headers: bool, layout: str = "title"):
    """A PCC's tracker of report blocks pasted one under another: a merged heading per
    report, each block with the header row again (City of London Police's appendix).
    ``layout``: 'title' (the tracker's title, then the headers, then the first heading),
    'first above' (the first block's heading above the headers, as every block has it),
    'title and first above' (the tracker's title, then that)."""
    head = ["Rec/AFI Ref", "Recommendation / AFI", "Action(s) being taken", "Lead",
            "Target Date", "Status", "Update"]
    wb = openpyxl.Workbook()
    ws = wb.active
    if layout != "first above":
        ws.append(["HMICFRS recommendations tracker (as at 30 November 2025)"])
        ws.append([])
    if layout == "title":
        ws.append(head)
    blocks = (("PEEL 2023-25: An inspection of Northshire Police", "14 March 2024",
               [("AFI 1", "The force should improve how it answers 999 calls.")]),
              ("Stalking and harassment: joint thematic", "5 September 2024",
               [("Rec 3", "Chief constables should consider protection orders."),
                ("Rec 4", "Chief constables should train call handlers in stalking.")]))
    for n, (title, day, items) in enumerate(blocks):
        if n:
            ws.append([])
        ws.append([f"{title} (published: {day})" if dated and n else
                   f"{title} (published {day})" if dated else title])
        ws.merge_cells(f"A{ws.max_row}:G{ws.max_row}")
        if (n and repeat_headers) or (not n and layout != "title"):
            ws.append(head)
        for ref, words in items:
            ws.append([ref, words, f"Act on {ref}", "DI Jones", dt.datetime(2026, 3, 31),
                       "In progress", "Started."])
    p = path
    wb.save(p)
    return p


@pytest.mark.parametrize("form", ["dated headings", "numbered part", "date column",
                                  "date column, a report's name", "straight under the title"])
def test_a_topic_heading_inside_a_reports_block_is_not_a_report(tmp_path, form):
    """'Vetting and counter-corruption' (or 'Section 2: Vetting') between a report's rows:
    it was a report of its own, the report's later items and actions its (a trial). A
    heading that names a report ('Custody inspection 2024') is one, even so."""
    column = form != "dated headings"
    topic = {"dated headings": "Vetting and counter-corruption",
             "numbered part": "Section 2: Vetting",
             "date column": "Vetting and counter-corruption",
             "date column, a report's name": "Custody inspection 2024",
             "straight under the title": "Vetting and counter-corruption"}[form]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ref", "Area for Improvement / Recommendation"] +
              (["Report date"] if column else []) + ["Action", "Owner", "Due Date", "Status"])
    peel, vawg = dt.datetime(2024, 3, 14), dt.datetime(2021, 9, 16)

    def row(ref, words, day):
        ws.append([ref, words] + ([day] if column else []) +
                  [f"Act on {ref}", "DI Green", dt.datetime(2026, 6, 30), "In progress"])
    ws.append(["PEEL 2023-25 (published 14 March 2024)" if form == "dated headings"
               else "PEEL 2023-25"])
    if form == "straight under the title":       # (its first part before any of its rows:
        ws.append(["Leadership"])                 # the report was named 'Leadership')
    row("AFI 1", "The force should improve supervision.", peel)
    ws.append([topic])
    row("AFI 2", "The force should clear its vetting backlog.", peel)
    row("AFI 3", "The force should identify repeat victims.", peel)
    ws.append(["Police response to violence against women and girls (published 16 "
               "September 2021)" if form == "dated headings" else
               "Police response to violence against women and girls"])
    row("AFI 1", "Forces should keep victims updated.", vawg)
    p = tmp_path / "topics.xlsx"
    wb.save(p)
    reg, report = check(p)
    items = reg.items.frame
    of = dict(zip(items["item_text"], items["item_inspection_id"]))
    peel_id = of["The force should improve supervision."]
    want = 3 if form == "date column, a report's name" else 2
    assert len(reg.inspections.frame) == want
    if want == 2:
        assert set(reg.inspections.frame["title"]) == {
            "PEEL 2023-25", "Police response to violence against women and girls"}
        assert of["The force should clear its vetting backlog."] == peel_id
        assert of["The force should identify repeat victims."] == peel_id
    else:
        assert of["The force should clear its vetting backlog."] != peel_id


def test_a_header_row_pasted_again_for_a_second_report_is_not_an_item(tmp_path):
    """It was read as item 'Rec/AFI Ref' with an action 'Action(s) being taken' owned by
    'Lead', and validate blamed 'Status' for not being a status."""
    p = _blocks_tracker(tmp_path / "blocks.xlsx", dated=True, repeat_headers=True)
    reg, report = check(p)
    assert sorted(zip(reg.items.frame["item_id"], reg.items.frame["kind"])) == [
        ("AFI 1", "Area for improvement"), ("Rec 3", "Recommendation"),
        ("Rec 4", "Recommendation")]
    assert "Lead" not in set(reg.actions.frame["owner"])
    assert any(p.code == "ROW_SKIPPED" and "repeats the headers" in p.message
               for p in report.problems)


@pytest.mark.parametrize("layout, repeat", [("title", False), ("first above", True),
                                            ("title and first above", True)])
def test_section_headings_that_say_when_each_report_was_published_date_them(tmp_path,
                                                                             layout, repeat):
    """'PEEL 2023-25 ... (published 14 March 2024)' heading each block: the report's
    title and date. The tracker was refused for want of a Published column (or, with a
    'Published:' row above, read with no dates: no s55 day 56, said nowhere). The first
    block's heading above the headers (every block with its heading and header row) left
    its rows with no report."""
    reg = read_register(_blocks_tracker(tmp_path / "b.xlsx", dated=True, repeat_headers=repeat,
                                        layout=layout))
    got = dict(zip(reg.inspections.frame["title"], reg.inspections.frame["published"]))
    assert got == {"PEEL 2023-25: An inspection of Northshire Police": dt.date(2024, 3, 14),
                   "Stalking and harassment: joint thematic": dt.date(2024, 9, 5)}



def test_reports_named_by_headings_with_no_dates_are_said_to_have_none(tmp_path):
    """A 'Published:' row above a tracker whose headings name two reports says nothing
    of which: the reports were read with no dates, and nothing said so (no day 56)."""
    p = _blocks_tracker(tmp_path / "b.xlsx", dated=False, repeat_headers=False)
    wb = openpyxl.load_workbook(p)
    wb.active["A2"], wb.active["B2"] = "Published:", dt.datetime(2024, 3, 14)
    wb.save(p)
    reg, report = check(p)
    assert list(reg.inspections.frame["published"]) == [None, None]
    assert any(p.code == "MISSING_COLUMN" and "day 56" in p.message for p in report.problems)


@settings(max_examples=60, deadline=None)
@given(title=st.text(st.characters(whitelist_categories=("L", "N", "Zs"),
                                   whitelist_characters=":-,&'"), min_size=3, max_size=60)
       .filter(lambda t: "published" not in t.lower() and t.strip(" -–:;,")),
       day=st.dates(dt.date(2014, 1, 1), dt.date(2029, 12, 31)),
       form=st.sampled_from(["({} published {})", "({} report published {})",
                             "{} - published {}", "{} published on {}"]),
       written=st.sampled_from(["%d %B %Y", "%d/%m/%Y", "%-d %b %Y"]))
@example(title="DATE", day=dt.date(2014, 1, 1), form="{} published on {}",
         written="%d %B %Y")         # (a title 'Date' was taken for 'date published')
@example(title="'DATE", day=dt.date(2014, 1, 1), form="{} published on {}",
         written="%d %B %Y")
@example(title="0-DATE", day=dt.date(2014, 1, 1), form="{} published on {}",
         written="%d %B %Y")
def test_a_headings_publication_date_and_the_title_it_leaves(title, day, form, written):
    from gain_workbook.core.dates import parse_date
    from gain_workbook.register.detect import heading_published

    text = form.format(title, day.strftime(written)) if form.startswith("{") else \
        f"{title} " + form.format("", day.strftime(written)).replace("( ", "(")
    found = heading_published(text)
    assert found is not None and parse_date(found[0]) == day
    assert found[1] == " ".join(title.split()).strip(" -–:;,")


def test_an_item_id_column_of_refs_gives_each_item_its_kind(tmp_path):
    """A 'Rec/AFI Ref' column read as the Item ID ('PEEL23 AFI 1', 'PEEL23 CoC 1',
    'PEEL23 CoC1-R1'): its refs say each item's kind, and link the cause of concern's
    recommendation to it. All were Recommendations, with a warning that the refs did
    not say their kind."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Rec/AFI Ref", "Recommendation / AFI", "Action",
               "Lead", "Target date", "Status"])
    for ref, words in (("PEEL23 AFI 1", "The force should improve how it answers calls."),
                       ("PEEL23 CoC 1", "The force isn't managing registered sex offenders."),
                       ("PEEL23 CoC1-R1", "Within six months, the force should clear ARMS."),
                       ("PEEL23 Rec 2", "The force should review its vetting.")):
        ws.append(["PEEL 2023-25", dt.datetime(2024, 3, 14), ref, words, f"Act on {ref}",
                   "DI Jones", dt.datetime(2027, 3, 31), "In progress"])
    p = tmp_path / "refs.xlsx"
    wb.save(p)
    reg, report = check(p)
    f = reg.items.frame
    assert list(f["kind"]) == ["Area for improvement", "Cause of concern", "Recommendation",
                               "Recommendation"]
    assert list(f["parent_item"])[2] == list(f["item_id"])[1]
    assert not any(p.code == "MISSING_COLUMN" and "Kind" in p.message for p in report.problems)


@pytest.mark.parametrize("code, month", [
    ("mmm-yy", True), ("mmmm yyyy", True), ("[$-809]mmm-yy;@", True), ('mmm" "yyyy', True),
    ("mm/yyyy", True), ("dd/mm/yyyy", False), ("d-mmm-yy", False), ("dd mmmm yyyy", False),
    ("[$-F800]dddd, mmmm dd, yyyy", False), ("h:mm", False), ("General", False),
    ("0.00", False), ('"Due "mmm-yy', True), ("mmm", False), ("yyyy", False),
    ('";"mmm-yy', True)])
def test_a_format_that_shows_only_a_month(code, month):
    from gain_workbook.register.shown_months import month_only

    assert month_only(code) is month


def test_a_due_date_typed_as_a_month_in_excel_is_the_months_last_day(tmp_path):
    """'Jan-26' typed into Excel is 1 January 2026 shown as 'mmm-yy': read as the 1st,
    every such action fell due a month early (overdue in silence). Read as the month's
    last day, as the same words typed as text are; a date shown with its day is not."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", "Recommendation", "Action", "Owner",
               "Target date", "Revised target date", "Status", "Date completed"])
    rows = [("Rec 1", dt.datetime(2026, 1, 1), "mmm-yy", None, dt.datetime(2026, 1, 1)),
            ("Rec 2", dt.datetime(2026, 2, 1), "dd/mm/yyyy", dt.datetime(2026, 6, 1), None),
            ("Rec 3", dt.datetime(2026, 3, 1), "[$-809]mmmm yyyy;@", None, None)]
    for n, (ref, due, fmt, revised, done) in enumerate(rows, start=2):
        ws.append(["PEEL 2025", dt.datetime(2025, 3, 1), ref, f"The force should {ref}.",
                   f"Act {ref}", "DCI Jones", due, revised,
                   "Complete" if done else "In progress", done])
        ws.cell(n, 7).number_format = fmt
        ws.cell(n, 10).number_format = "mmm-yy"          # a completion: as read
        if revised:
            ws.cell(n, 8).number_format = "mmm-yy"
    p = tmp_path / "months.xlsx"
    wb.save(p)
    reg, report = check(p)
    f = reg.actions.frame
    assert list(f["due"]) == [dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2026, 3, 31)]
    assert list(f["revised_due"]) == [None, dt.date(2026, 6, 30), None]
    assert list(f["completed"])[0] == dt.date(2026, 1, 1)
    said = [p for p in report.problems if p.code == "DATE_SHOWN_AS_MONTH"]
    assert [(p.cell, p.value) for p in said] == [("G2", "Jan-26"), ("H3", "Jun-26")]
    assert "1 more" in said[0].message


def test_a_kind_column_of_refs_some_odd_is_the_items_ref(tmp_path):
    """'Rec/AFI' over 'PEEL23 AFI 1', 'AFI 2', 'R1a', 'AFI 3 & 4': refs, most saying
    their kind. Read as the Kind (one odd ref was enough to stop it), every number was a
    'note' and every item numberless."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Rec/AFI", "Recommendation / AFI", "Action", "Owner",
               "Due", "Status"])
    for ref in ("PEEL23 AFI 1", "AFI 2", "R1a", "AFI 3 & 4", "CoC1-R2"):
        ws.append(["PEEL 2023-25", dt.datetime(2024, 3, 14), ref, f"The force should {ref}.",
                   f"Act on {ref}", "DI Jones", dt.datetime(2027, 3, 31), "In progress"])
    p = tmp_path / "kinds.xlsx"
    wb.save(p)
    f = read_register(p).items.frame
    kinds = dict(zip(f["item_id"].str.replace("PEEL 2023-25 ", ""), f["kind"]))
    assert kinds["PEEL23 AFI 1"] == kinds["AFI 2"] == "Area for improvement"
    assert kinds["R1a"] == kinds["CoC1-R2"] == "Recommendation"


@pytest.mark.parametrize("given", [("owner", "due", "status"), ("owner",), ("status",),
                                   ("due", "status")])
def test_an_items_own_row_above_its_actions_is_the_items_not_an_action(tmp_path, given):
    """An item's row giving its lead, date or status beside its words, its actions on
    the rows below with no item cells: the item's own row. Read as an action with no
    words, it was an error whose fix ('every action needs one') was wrong."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", "Recommendation", "Action", "Owner", "Due",
               "Status"])
    own = {"owner": "Supt Contact", "due": dt.datetime(2026, 3, 31), "status": "In progress"}
    for ref, actions in (("AFI 1", ("Recruit call handlers", "Build a dashboard")),
                         ("AFI 2", ("Audit crime data",))):
        ws.append(["PEEL 2025", dt.datetime(2025, 3, 1), ref, f"The force should {ref}.",
                   None] + [own[k] if k in given else None for k in ("owner", "due", "status")])
        for words in actions:
            ws.append([None, None, None, None, words, "DI Jones", dt.datetime(2026, 6, 30),
                       "Not started"])
    p = tmp_path / "own rows.xlsx"
    wb.save(p)
    reg, report = check(p)
    assert list(reg.actions.frame["action_text"]) == ["Recruit call handlers",
                                                      "Build a dashboard", "Audit crime data"]
    items = reg.items.frame
    if "owner" in given:
        assert list(items["item_lead"]) == ["Supt Contact"] * 2
    if "due" in given:
        assert list(items["deadline"]) == [dt.date(2026, 3, 31)] * 2
    said = [p for p in report.problems if p.code == "ITEM_OWN_ROW"]
    assert len(said) == 1 and "1 other item" in said[0].message
    assert not any(p.code == "REQUIRED_MISSING" for p in report.problems)


@pytest.mark.parametrize("per_report", [False, True])
def test_a_sheet_of_one_row_per_item_with_no_actions_reads_each_item_as_its_action(
        tmp_path, per_report):
    """Ref | Recommendation | Lead | Target date | Status | Update, no Action column: many
    trackers list items only. It was refused with no advice that worked; each item is now
    its own one action (its words, the row's owner, date, status), said so."""
    wb = openpyxl.Workbook()
    ws = wb.active
    head = ["Ref", "Recommendation", "Lead", "Target date", "Status", "Update"]
    if per_report:
        ws.title = "PEEL 2025"
        ws.append(["PEEL 2025: An inspection of Northshire Police"])
        ws.append(["Published:", dt.datetime(2025, 3, 1)])
        ws.append(head)
    else:
        ws.append(["Report", "Published"] + head)
    for ref, due, status in (("AFI 1", dt.datetime(2026, 3, 31), "In progress"),
                             ("AFI 2", dt.datetime(2026, 6, 30), "Complete"),
                             ("AFI 3", dt.datetime(2025, 12, 31), "Superseded by PEEL AFI 4")):
        row = [ref, f"The force should {ref}.", "Supt Contact", due, status, "Moving."]
        ws.append(row if per_report else ["PEEL 2025", dt.datetime(2025, 3, 1)] + row)
    # a totals row under the list (the register was refused: 'no column for Action')
    ws.append(["Total", None, 3] if per_report else ["Total", None, None, None, 3])
    p = tmp_path / "items only.xlsx"
    wb.save(p)
    reg, report = check(p)
    a = reg.actions.frame
    assert list(a["action_text"]) == ["The force should AFI 1.", "The force should AFI 2.",
                                      "The force should AFI 3."]
    assert list(a["owner"]) == ["Supt Contact"] * 3
    assert list(a["due"]) == [dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2025, 12, 31)]
    assert list(a["action_status"]) == ["In progress", "Complete", "Closed"]
    assert list(reg.items.frame["kind"]) == ["Area for improvement"] * 3
    # the status is the item's own too: 'Superseded ...' says HMICFRS closed it
    assert list(reg.items.frame["hmicfrs_status"]) == ["Open", "Open", "Closed – superseded"]
    assert [p.code for p in report.problems].count("ITEMS_AS_ACTIONS") == 1


@pytest.mark.parametrize("periods", [("Q1 2025/26", "Q2 2025/26", "Q3 2025/26"),
                                     ("October 2025", "November 2025"),
                                     ("Q3", "Q4")])
def test_a_periods_columns_under_its_merged_period_header(tmp_path, periods):
    """'Q1 2025/26' merged over 'Status' and 'Update', 'Q2 2025/26' over the same: two
    rows of headers whose groups are periods. It was refused ('no column for Status')."""
    wb = openpyxl.Workbook()
    ws = wb.active
    fixed = ["Report", "Published", "Ref", "Recommendation", "Action", "Owner", "Due"]
    top = fixed + [x for p in periods for x in (p, None)]
    ws.append(top)
    ws.append([None] * len(fixed) + ["Status", "Update"] * len(periods))
    for n in range(1, len(fixed) + 1):
        ws.merge_cells(start_row=1, start_column=n, end_row=2, end_column=n)
    for k in range(len(periods)):
        c = len(fixed) + 1 + 2 * k
        ws.merge_cells(start_row=1, start_column=c, end_row=1, end_column=c + 1)
    statuses = ["Not started", "In progress", "Complete"]
    for r, blank_last in enumerate((False, True)):
        cells = []
        for k in range(len(periods)):
            last = k == len(periods) - 1
            cells += [None, None] if (last and blank_last) else \
                [statuses[min(k, 2)], f"update {r} {k}"]
        ws.append(["PEEL 2025", dt.datetime(2025, 3, 1), f"AFI {r + 1}",
                   f"The force should act {r}.", f"Act {r}", "DCI Jones",
                   dt.datetime(2026, 3, 31)] + cells)
    p = tmp_path / "merged periods.xlsx"
    wb.save(p)
    a = read_register(p).actions.frame
    n = len(periods)
    assert list(a["latest_update"]) == [f"update 0 {n - 1}", f"update 1 {n - 2}"]
    assert list(a["action_status"]) == [statuses[min(n - 1, 2)], statuses[min(n - 2, 2)]]


@pytest.mark.parametrize("subs", [("Sept 25", "Oct 25", "Nov 25"),
                                  (dt.datetime(2025, 9, 30), dt.datetime(2025, 10, 31),
                                   dt.datetime(2025, 11, 30))])
def test_an_update_column_a_month_under_its_merged_header(tmp_path, subs):
    """'Progress update' merged over 'Sept 25', 'Oct 25', 'Nov 25' (or the month-end
    dates themselves): the latest month's update is each row's. The columns were 'not
    used' and every update lost, validate silent."""
    wb = openpyxl.Workbook()
    ws = wb.active
    fixed = ["Report", "Published", "Ref", "Recommendation", "Action", "Owner", "Due",
             "Status"]
    ws.append(fixed + ["Progress update", None, None])
    ws.append([None] * len(fixed) + list(subs))
    for n in range(1, len(fixed) + 1):
        ws.merge_cells(start_row=1, start_column=n, end_row=2, end_column=n)
    ws.merge_cells(start_row=1, start_column=len(fixed) + 1, end_row=1,
                   end_column=len(fixed) + 3)
    for r, updates in enumerate((("a", "b", "c"), ("d", "e", None))):
        ws.append(["PEEL 2025", dt.datetime(2025, 3, 1), f"AFI {r + 1}",
                   f"The force should act {r}.", f"Act {r}", "DCI Jones",
                   dt.datetime(2026, 3, 31), "In progress"] + list(updates))
    p = tmp_path / "monthly updates.xlsx"
    wb.save(p)
    assert list(read_register(p).actions.frame["latest_update"]) == ["c", "e"]



def test_a_ref_typed_again_in_other_capitals_is_the_same_items(tmp_path):
    """'AFI 1' on one action's row and 'afi 1' on the next (the same item's words): the
    Ref column was taken for the actions' refs, every item lost its kind. Now one item,
    the slip said (FLAT_CONFLICT); 'PEEL-AFI3' is AFI 3."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", "Recommendation / AFI", "Action", "Owner", "Due",
               "Status"])
    for ref, words, action in (("AFI 1", "The force should record vulnerability.", "Train"),
                               ("afi 1", "The force should record vulnerability.", "Audit"),
                               ("AFI 2", "The force should supervise.", "Template"),
                               ("PEEL-AFI3", "The force should improve stop search.", "Publish"),
                               ("peel-afi3", "The force should improve stop search.", "Panel")):
        ws.append(["PEEL 2023-25", dt.datetime(2024, 3, 14), ref, words, action, "Supt Jones",
                   dt.datetime(2026, 6, 30), "In progress"])
    p = tmp_path / "case.xlsx"
    wb.save(p)
    reg, report = check(p)
    f = reg.items.frame
    assert len(f) == 3 and set(f["kind"]) == {"Area for improvement"}
    assert len(reg.actions.frame) == 5
    assert sum(p.code == "FLAT_CONFLICT" for p in report.problems) == 2


def test_a_description_that_differs_between_one_items_actions_is_not_the_items_words(
        tmp_path):
    """'Description' holding each action's words (two per item): read as the items' words,
    each item took its first action's and the second's were dropped."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", "Action", "Description", "Owner", "Due",
               "Status"])
    for ref, n, words in (("AFI 1", 1, "Review the training on risk for all call handlers"),
                          ("AFI 1", 2, "Audit one hundred calls a month for risk recording"),
                          ("AFI 2", 1, "Introduce a supervision template for every crime")):
        ws.append(["PEEL 2023-25", dt.datetime(2024, 3, 14), ref, f"Action {n}", words,
                   "DCI Reed", dt.datetime(2026, 6, 30), "In progress"])
    p = tmp_path / "description.xlsx"
    wb.save(p)
    reg = read_register(p)
    assert all(t is None for t in reg.items.frame["item_text"])


def test_a_header_of_two_halves_one_naming_the_actions_is_their_words(tmp_path):
    """'Force response / action' over each row's action: its first half was taken for
    the report's force response (not used, 'differs between the rows'), the actions
    lost, the items read as their own actions."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "No.", "Finding", "Force response / action", "Lead",
               "Target date", "Status"])
    for n, action in ((1, "Commission a demand study"), (2, "Recruit ten call handlers")):
        ws.append(["PEEL 2025", dt.datetime(2025, 3, 1), n, f"The force should improve {n}.",
                   action, "Supt Contact", dt.datetime(2026, 3, 31), "In progress"])
    p = tmp_path / "halves.xlsx"
    wb.save(p)
    reg, report = check(p)
    assert list(reg.actions.frame["action_text"]) == ["Commission a demand study",
                                                      "Recruit ten call handlers"]
    assert not any(p.code == "ITEMS_AS_ACTIONS" for p in report.problems)


def test_a_refusal_for_want_of_a_status_guesses_no_column_without_status_words(tmp_path):
    """With no Status column the refusal guessed the first short column ('Proposed for
    closure?', 'Q1 24/25 update'): pasting its advice read Yes/No or updates as
    statuses. It now guesses only a column of status words, else asks for the header."""
    from gain_workbook.core.errors import RegisterError

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "No.", "Recommendation", "Action", "Lead",
               "Target date", "Q1 24/25 update", "Q2 24/25 update", "Proposed for closure?"])
    for n in (1, 2):
        ws.append(["PEEL 2025", dt.datetime(2025, 3, 1), n, f"The force should improve {n}.",
                   f"Act {n}", "Supt Contact", dt.datetime(2026, 3, 31), "Scoping", None, "No"])
    p = tmp_path / "no status.xlsx"
    wb.save(p)
    with pytest.raises(RegisterError) as refusal:
        read_register(p)
    assert "Alias: Status = <your header>" in str(refusal.value)


def test_adopt_says_each_item_became_its_own_action(tmp_path):
    from click.testing import CliRunner

    from gain_workbook.cli import cli

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", "Recommendation", "Lead", "Target date",
               "Status"])
    for n in (1, 2):
        ws.append(["PEEL 2025", dt.datetime(2025, 3, 1), f"AFI {n}",
                   f"The force should improve {n}.", "Supt Contact",
                   dt.datetime(2026, 3, 31), "In progress"])
    p = tmp_path / "items only.xlsx"
    wb.save(p)
    out = CliRunner().invoke(cli, ["adopt", str(p), "-o", str(tmp_path / "ours.xlsx")])
    assert out.exit_code == 0, out.output
    assert "each item became its own one action (2 actions" in out.stderr
    assert list(read_register(tmp_path / "ours.xlsx").actions.frame["action_text"]) == [
        "The force should improve 1.", "The force should improve 2."]


@pytest.mark.parametrize("heads, rows, want", [
    (("Q2 25/26 update", "Q3 25/26 update"), [["Q2 words", "Q3 words"], ["Q2 only", None]],
     [dt.date(2025, 12, 31), dt.date(2025, 9, 30)]),
    (("Update Nov 25",), [["Nov words"], [None]], [dt.date(2025, 11, 30), None]),
    (("Update",), [["words"], [None]], [None, None])])
def test_an_update_is_dated_by_its_columns_period_where_the_sheet_has_no_date(
        tmp_path, heads, rows, want):
    """'Q3 25/26 update' and no date of update: each update was undated, and the pack
    called it stale from the report's publication (1,496 days). Its period's last day
    now dates it (an earlier period's, where the latest is blank)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", "Recommendation", "Action", "Owner", "Due",
               "Status", *heads])
    for n, upd in enumerate(rows):
        ws.append(["PEEL 2022", dt.datetime(2022, 11, 2), f"AFI {n + 1}",
                   f"The force should {n}.", f"Act {n}", "DCI Reed", dt.datetime(2027, 3, 31),
                   "In progress", *upd])
    p = tmp_path / "dated.xlsx"
    wb.save(p)
    assert list(read_register(p).actions.frame["last_updated"]) == want


@pytest.mark.parametrize("ref, kind", [("AFI 3 & 4", "Area for improvement"),
                                       ("Rec 2(b)", "Recommendation"),
                                       ("AFI 3 and 4", "Area for improvement")])
def test_a_ref_no_pattern_reads_takes_the_kind_its_first_word_names(tmp_path, ref, kind):
    """'AFI 3 & 4' (one row for two items) was an item of the default kind, a
    Recommendation, warned only by 'the refs of 1 item do not say their kind'."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", "Recommendation / AFI", "Action", "Owner", "Due",
               "Status"])
    for r in ("AFI 1", ref):
        ws.append(["PEEL 2025", dt.datetime(2025, 3, 1), r, f"The force should act {r}.",
                   f"Act {r}", "DCI Jones", dt.datetime(2027, 3, 31), "In progress"])
    p = tmp_path / "refs.xlsx"
    wb.save(p)
    assert list(read_register(p).items.frame["kind"])[1] == kind



def test_a_blank_cell_shown_as_a_month_moves_no_date(tmp_path):
    """'Revised due Q2' blank but formatted 'mmm-yy' (a whole column formatted), the date
    read from 'Revised due Q1' (15/06/2026, shown with its day): it was moved to 30/06
    and the warning pointed at the blank cell (hostile-input pass)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Report", "Published", "Ref", "Recommendation", "Action", "Owner", "Due",
               "Revised due Q1", "Revised due Q2", "Status"])
    ws.append(["PEEL 2025", dt.datetime(2025, 3, 1), "AFI 1", "The force should act.",
               "Act", "DCI Jones", dt.datetime(2026, 3, 31), dt.datetime(2026, 6, 15), None,
               "In progress"])
    ws["H2"].number_format = "dd/mm/yyyy"
    ws["I2"].number_format = "mmm-yy"
    p = tmp_path / "blank month.xlsx"
    wb.save(p)
    reg, report = check(p)
    assert list(reg.actions.frame["revised_due"]) == [dt.date(2026, 6, 15)]
    assert not any(p.code == "DATE_SHOWN_AS_MONTH" for p in report.problems)


def _headed_blocks(path, headings):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Tracker of HMICFRS recommendations"])
    ws.append([])
    ws.append(["Ref", "Recommendation", "Action", "Owner", "Due", "Status"])
    for n, heading in enumerate(headings):
        ws.append([heading])
        ws.merge_cells(f"A{ws.max_row}:F{ws.max_row}")
        ws.append([f"AFI {n + 1}", f"The force should improve {n}.", f"Act {n}", "DCI Reed",
                   dt.datetime(2027, 3, 31), "In progress"])
    wb.save(path)
    return path


def test_one_heading_title_with_two_dates_is_two_reports(tmp_path):
    """'Custody inspection (published 2 May 2023)' and '... (published 5 June 2025)': a
    revisit. Read as one report, the second date dropped with no word (hostile pass)."""
    p = _headed_blocks(tmp_path / "revisit.xlsx", [
        "Custody inspection (published 2 May 2023)", "Custody inspection (published 5 June 2025)"])
    f = read_register(p).inspections.frame
    assert sorted(f["published"]) == [dt.date(2023, 5, 2), dt.date(2025, 6, 5)]


def test_a_headings_date_that_is_no_date_is_named(tmp_path):
    """'(published 31 February 2024)': REQUIRED_MISSING named no heading and quoted a
    made-up example; BAD_DATE now names the heading and its words."""
    p = _headed_blocks(tmp_path / "feb31.xlsx", [
        "PEEL 2023-25 (published 31 February 2024)", "Custody (published 5 June 2025)"])
    _, report = check(p)
    (bad,) = [p for p in report.problems if p.code == "BAD_DATE"]
    assert "'31 February 2024' in the heading 'PEEL 2023-25 (published 31 February 2024)'" \
        in bad.message


def test_generalised_families_one_more_each(tmp_path):
    """One more of each family taught this session, made after the fact (before-stop
    check 5): a year-first quarter ('2025/26 Q3 status'); headings naming reports under
    no title at all ('(report published on ...)', '– published 12/06/2025'); the header
    row again in capitals. Each was read wrong: the first quarter's status, one report
    named for the sheet with no date, an item 'REPORT REF'."""
    def save(name, rows):
        wb = openpyxl.Workbook()
        for r in rows:
            wb.active.append(r)
        wb.save(tmp_path / name)
        return read_register(tmp_path / name)

    head = ["Report", "Published", "Ref", "Recommendation", "Action", "Owner", "Due"]
    pub = ["PEEL 2025", dt.datetime(2025, 3, 1)]
    due = dt.datetime(2027, 3, 31)
    reg = save("q.xlsx", [head + ["2025/26 Q2 status", "2025/26 Q3 status"],
                          pub + ["AFI 1", "The force should act.", "Act", "DCI A", due,
                                 "Not started", "Complete"]])
    assert list(reg.actions.frame["action_status"]) == ["Complete"]
    reg = save("h.xlsx", [["Tracker"], [], ["Ref", "Recommendation", "Action", "Owner", "Due",
                                            "Status"],
                          ["Vetting (report published on 2 November 2022)"],
                          ["R1", "Chief constables should vet.", "Vet", "DCI A", due, "Open"],
                          [], ["Custody – published 12/06/2025"],
                          ["AFI 1", "The force should improve custody.", "Audit", "DCI B", due,
                           "Open"]])
    assert reg.inspections.frame[["title", "published"]].values.tolist() == [
        ["Vetting", dt.date(2022, 11, 2)], ["Custody", dt.date(2025, 6, 12)]]
    cols = ["Ref", "Recommendation", "Action", "Owner", "Due", "Status", "Report", "Published"]
    reg = save("r.xlsx", [cols, ["R1", "Chief constables should vet.", "Vet", "DCI A", due,
                                 "Not started", *pub], [c.upper() for c in cols],
                          ["R2", "Chief constables should audit.", "Audit", "DCI A", due,
                           "Not started", *pub]])
    assert list(reg.items.frame["item_id"]) == ["PEEL 2025 R1", "PEEL 2025 R2"]
