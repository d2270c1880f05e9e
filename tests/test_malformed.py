"""Malformed registers, each named for its defect: the exact rule code and cell are reported.

Every case starts from the small valid register in conftest.BASE and breaks one
thing. Errors make the register invalid; a register with only warnings is valid.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import base_data, write_register
from gain_workbook.model.schema import RULES
from gain_workbook.check.validate import check

D = dt.date


def setv(table, index, header, value):
    def mutate(data, opts):
        data[table][index][header] = value
    return mutate


def strike(sheet, cell):
    """Strike a cell's text through, as an office marks an action withdrawn."""
    def post(wb):
        from openpyxl.styles import Font
        wb[sheet][cell].font = Font(strike=True)
    return post


def strike_words(sheet, cell):
    """Strike a cell's old words through in Excel's edit mode (rich text runs), the new
    words after them."""
    def post(wb):
        from openpyxl.cell.rich_text import CellRichText, TextBlock
        from openpyxl.cell.text import InlineFont
        wb[sheet][cell].value = CellRichText(TextBlock(InlineFont(strike=True), "Old plan"),
                                             " New plan")
    return post


def remove(table, index):
    def mutate(data, opts):
        del data[table][index]
    return mutate


def add_row(table, row):
    def mutate(data, opts):
        data[table].append(row)
    return mutate


def option(**kw):
    def mutate(data, opts):
        opts.update(kw)
    return mutate


def setting(key, value):
    def mutate(data, opts):
        data["settings"][key] = value
    return mutate


def flat_tracker_beside(name):
    """Last year's tracker (one row per action) pasted in beside the register's sheets,
    as offices do: its rows are in no table the register is read from."""
    def post(wb):
        ws = wb.create_sheet(name)
        ws.append(["Report", "Published", "Recommendation", "Action", "Owner", "Due",
                   "Status"])
        ws.append(["Custody 2024", "03/04/2024", "Improve detainee checks.", "Review checks",
                   "Insp A", "30/06/2024", "In progress"])
    return post


def owners_sheet(*rows):
    """An Owners sheet (name, email) beside the register, as an office adds one."""
    def post(wb):
        ws = wb.create_sheet("Owners")
        ws.append(["Name", "Email"])
        for row in rows:
            ws.append(list(row))
    return post


def fill(sheet, cell, colour):
    """A cell coloured in (a solid fill), as offices colour a status in."""
    def post(wb):
        from openpyxl.styles import PatternFill

        wb[sheet][cell].fill = PatternFill("solid", fgColor=colour)
    return post


def second_action_across(sheet, words, header="Action 2"):
    """A second action typed across the row, under 'Action 2' at the table's right, as
    trackers of one row per item lay their actions out."""
    def post(wb):
        ws = wb[sheet]
        col = ws.max_column + 1
        ws.cell(1, col, header)
        ws.cell(3, col, words)
    return post


def both(*mutations):
    def mutate(data, opts):
        for m in mutations:
            m(data, opts)
    return mutate


def hidden_copy(sheet):
    """A hidden copy of a sheet beside it, as offices keep last year's table."""
    def post(wb):
        copy = wb.copy_worksheet(wb[sheet])
        copy.title = f"{sheet} (old)"
        copy.sheet_state = "hidden"
    return post


def second_inspection(inspection_id):
    """The register's one report entered again under an id written another way."""
    def mutate(data, opts):
        data["inspections"].append({**data["inspections"][0], "Inspection ID": inspection_id})
    return mutate


def second_item(item_id):
    """The register's last item entered again under an id written another way."""
    def mutate(data, opts):
        data["items"].append({**data["items"][-1], "Item ID": item_id})
    return mutate


CASES = {
    # name: (mutation, rule code, where)
    "action_without_owner": (setv("actions", 0, "Owner", None), "REQUIRED_MISSING", "Actions!D2"),
    "action_without_due_date": (setv("actions", 0, "Due", None), "REQUIRED_MISSING", "Actions!E2"),
    "action_without_status": (setv("actions", 0, "Status", None), "REQUIRED_MISSING", "Actions!G2"),
    "action_without_text": (setv("actions", 1, "Action", None), "REQUIRED_MISSING", "Actions!C3"),
    "action_without_item": (setv("actions", 0, "Item ID", None), "REQUIRED_MISSING", "Actions!B2"),
    "action_id_used_twice": (setv("actions", 1, "Action ID", "A1"), "DUPLICATE_ID", "Actions!A3"),
    "item_id_used_twice": (setv("items", 1, "Item ID", "INS-1-R1"), "DUPLICATE_ID", "Items!A3"),
    "inspection_id_used_twice": (add_row("inspections", {
        "Inspection ID": "INS-1", "Title": "Another report", "Published": D(2024, 2, 1),
        "Type": "PEEL"}), "DUPLICATE_ID", "Inspections!A3"),
    "action_names_unknown_item": (setv("actions", 2, "Item ID", "INS-1-R9"), "UNKNOWN_ITEM",
                                  "Actions!B4"),
    "item_names_unknown_inspection": (setv("items", 1, "Inspection ID", "INS-9"),
                                      "UNKNOWN_INSPECTION", "Items!B3"),
    "action_status_not_a_status": (setv("actions", 0, "Status", "Parked"), "NOT_IN_LIST",
                                   "Actions!G2"),
    "action_status_is_a_tick_box": (setv("actions", 0, "Status", True), "NOT_IN_LIST",
                                    "Actions!G2"),
    "item_kind_not_a_kind": (setv("items", 0, "Kind", "Observation"), "NOT_IN_LIST", "Items!C2"),
    "hmicfrs_status_not_a_status": (setv("items", 1, "HMICFRS status", "Pending"), "NOT_IN_LIST",
                                    "Items!K3"),
    "applies_neither_yes_nor_no": (setv("items", 0, "Applies to force", "Maybe"), "NOT_IN_LIST",
                                   "Items!G2"),
    "inspection_type_not_a_type": (setv("inspections", 0, "Type", "Local, Regional"),
                                   "NOT_IN_LIST", "Inspections!D2"),
    "due_date_in_words": (setv("actions", 0, "Due", "next spring"), "BAD_DATE", "Actions!E2"),
    "due_date_impossible": (setv("actions", 0, "Due", "31/02/2024"), "BAD_DATE", "Actions!E2"),
    # a mistyped year: no register date is that far away (and pandas cannot hold it)
    "due_year_9999_typed": (setv("actions", 0, "Due", "31/12/9999"), "BAD_DATE", "Actions!E2"),
    "due_year_9999_date_cell": (setv("actions", 1, "Due", dt.datetime(9999, 12, 31)), "BAD_DATE",
                                "Actions!E3"),
    "published_year_1066": (setv("inspections", 0, "Published", "14/10/1066"), "BAD_DATE",
                            "Inspections!C2"),
    # 'TBC' means no date yet (issue 10): a warning, not an error
    "published_date_tbc": (setv("inspections", 0, "Published", "TBC"), "DATE_NOT_GIVEN",
                           "Inspections!C2"),
    "published_date_gibberish": (setv("inspections", 0, "Published", "soon-ish"), "BAD_DATE",
                                 "Inspections!C2"),
    # values as offices type them (issue 10): read, with a warning naming what was used
    "due_tbc": (setv("actions", 0, "Due", "TBC"), "DATE_NOT_GIVEN", "Actions!E2"),
    "due_a_quarter": (setv("actions", 0, "Due", "Q1 2026"), "DATE_READ_AS", "Actions!E2"),
    "due_a_month": (setv("actions", 2, "Due", "Dec-25"), "DATE_READ_AS", "Actions!E4"),
    "due_typed_as_a_month_in_excel": (option(post=lambda wb: setattr(
        wb["Actions"]["E3"], "number_format", "mmm-yy")), "DATE_SHOWN_AS_MONTH", "Actions!E3"),
    "status_misspelt": (setv("actions", 0, "Status", "In progres"), "WORD_READ_AS",
                        "Actions!G2"),
    "status_typed_overdue": (setv("actions", 2, "Status", "Overdue"), "OVERDUE_WORD",
                             "Actions!G4"),
    "totals_row_under_actions": (add_row("actions", {"Action ID": "Total", "Item ID": 3}),
                                 "ROW_SKIPPED", "Actions!A5"),
    "published_date_missing": (setv("inspections", 0, "Published", None), "REQUIRED_MISSING",
                               "Inspections!C2"),
    "inspection_without_title": (setv("inspections", 0, "Title", None), "REQUIRED_MISSING",
                                 "Inspections!B2"),
    "item_without_text": (setv("items", 1, "Text", None), "REQUIRED_MISSING", "Items!E3"),
    "applicable_item_without_actions": (remove("actions", 2), "NO_ACTIONS", "Items!M4"),
    "closed_item_the_response_says_nothing_about": (
        both(remove("actions", 2), setv("items", 2, "HMICFRS status", "Closed – complete")),
        "NO_RESPONSE", "Items!A4"),
    "complete_action_without_date": (setv("actions", 1, "Completed on", None),
                                     "COMPLETE_NO_DATE", "Actions!G3"),
    "action_due_before_publication": (setv("actions", 0, "Due", D(2023, 12, 1)),
                                      "DUE_BEFORE_PUBLISHED", "Actions!E2"),
    "deadline_before_publication": (setv("items", 0, "Deadline date", D(2023, 1, 1)),
                                    "DUE_BEFORE_PUBLISHED", "Items!I2"),
    "revised_due_earlier_than_due": (setv("actions", 1, "Revised due", D(2024, 8, 1)),
                                     "REVISED_BEFORE_DUE", "Actions!F3"),
    "item_closed_with_open_actions": (setv("items", 0, "HMICFRS status", "Closed – complete"),
                                      "CLOSED_WITH_OPEN_ACTIONS", "Items!K2"),
    "deadline_in_words_we_cannot_date": (setv("items", 0, "Deadline (as written)",
                                              "When resources allow"), "BAD_DEADLINE", "Items!H2"),
    "status_typed_as_wip": (setv("actions", 0, "Status", "WIP"), "NORMALISED", "Actions!G2"),
    # ('  NOT STARTED ' differs from the word by capitals only: read, with no warning)
    "status_with_a_note_after_it": (setv("actions", 2, "Status",
                                         "Not started – awaiting a lead"),
                                    "READ_WITH_NOTE", "Actions!G4"),
    "note_typed_below_the_table": (option(notes={"actions": "Figures checked by JB, 3 May"}),
                                   "NOTE_BELOW_TABLE", "Actions!A6"),
    "two_columns_for_the_due_date": (option(headers={"Revised due": "Due date"}),
                                     "DUPLICATE_COLUMN", "Actions!F1"),
    "no_owner_column": (option(headers={"Owner": None}), "MISSING_COLUMN", "Actions"),
    "threshold_setting_not_a_number": (setting("Due soon (days)", "a month"), "BAD_SETTING",
                                       "Settings!B4"),
    "marking_misspelt": (setting("Protective marking", "OFFICAL-SENSITIVE"), "MARKING_NOT_GSC",
                         "Settings!B3"),
    "force_name_left_blank": (setting("Force name", None), "NO_FORCE_NAME", "Settings!B2"),
    "setting_we_do_not_know": (setting("Colour scheme", "blue"), "UNKNOWN_SETTING",
                               "Settings!A4"),
    "escape_sequence_pasted_into_an_update": (
        both(setv("actions", 0, "Latest update", "Draft CTRL written."),
             option(xml_replace={"CTRL": "_x001B_[31m_x0007_"})), "CONTROL_CHARACTER",
        "Actions!J2"),
    "update_longer_than_a_cell_written_by_another_program": (
        # (openpyxl cuts it at 32,767: the XML is written as another program would)
        both(setv("actions", 0, "Latest update", "LONGTEXT"),
             option(xml_replace={"LONGTEXT": "Progress. " * 4000 + "END"})), "TEXT_TOO_LONG",
        "Actions!J2"),
    "withdrawn_action_struck_through_as_offices_mark_one": (
        option(post=strike("Actions", "C2")), "ACTION_STRUCK_THROUGH", "Actions!C2"),
    "action_struck_through_in_excels_edit_mode_word_by_word": (
        option(post=strike_words("Actions", "C3")), "ACTION_STRUCK_THROUGH", "Actions!C3"),
    "second_action_typed_across_the_row": (
        option(post=second_action_across("Actions", "Train supervisors")),
        "ACTIONS_ACROSS_COLUMNS", "Actions!L3"),
    "second_action_typed_across_the_row_headed_in_words": (
        option(post=second_action_across("Actions", "Train supervisors", "Further action")),
        "ACTIONS_ACROSS_COLUMNS", "Actions!L3"),
    "second_action_typed_across_the_row_numbered_in_brackets": (
        option(post=second_action_across("Actions", "Train supervisors", "Action (2)")),
        "ACTIONS_ACROSS_COLUMNS", "Actions!L3"),
    "old_copy_of_the_actions_on_a_hidden_sheet": (option(post=hidden_copy("Actions")),
                                                  "HIDDEN_SHEET", "Actions (old)"),
    "last_years_tracker_pasted_in_beside_the_register": (
        option(post=flat_tracker_beside("Tracker 2024")), "SHEET_NOT_READ", "Tracker 2024"),
    "dates_typed_month_first_on_a_sheet": (
        both(setv("actions", 0, "Due", "03/15/2027"), setv("actions", 1, "Due", "04/05/2027")),
        "DATE_ORDER_UNSURE", "Actions!E3"),
    "recommendation_under_a_cause_of_concern_not_on_the_register": (
        option(extra={"items": {"Under": ["INS-1-CoC9", None, None]}}), "UNKNOWN_PARENT",
        "Items!N2"),
    "recommendation_under_a_cause_of_concern_the_register_lacks": (
        setv("items", 0, "Number", "CoC1-R1"), "NO_SUCH_CONCERN", "Items!D2"),
    "item_under_itself": (option(extra={"items": {"Under": [None, None, "INS-1-AFI1"]}}),
                          "UNDER_ITSELF", "Items!N4"),
    "one_report_entered_twice_its_id_written_two_ways": (
        second_inspection("INS 1"), "ONE_REPORT_TWO_WAYS", "Inspections!A3"),
    "one_item_entered_twice_its_id_in_other_capitals": (
        second_item("ins-1-afi1"), "ONE_ITEM_TWO_WAYS", "Items!A5"),
    "owner_address_missing_its_domain": (option(post=owners_sheet(
        ("Ch Insp Custody", "ch.insp.custody@"), ("Custody QA", "qa@force.example"))),
        "BAD_EMAIL", "Owners!B2"),
    "owner_spelt_differently_from_the_owners_sheet": (option(post=owners_sheet(
        ("Ch Insp Custody", "cic@force.example"), ("Custody QA Lead", "qa@force.example"))),
        "UNKNOWN_OWNER", "Actions!D4"),
    "status_cell_with_only_a_colour": (both(setv("actions", 2, "Status", None),
                                            option(post=fill("Actions", "G4", "00B050"))),
                                       "STATUS_ONLY_COLOUR", "Actions!G4"),
    "action_row_says_not_for_the_force": (both(setv("items", 2, "Applies to force", None),
                                               setv("actions", 2, "Status",
                                                    "N/A – for the Home Office")),
                                          "NOT_FOR_FORCE_ROW", "Actions!G4"),
    "no_columns_for_the_response_dates": (option(headers={
        "Response sent to Home Office and HMICFRS": None, "Response published": None}),
        "RESPONSES_NOT_RECORDED", "Inspections"),
    "revised_due_a_formula_saved_without_its_value": (
        option(post=lambda wb: wb["Actions"].__setitem__("F2", "=E2+30")),
        "UNCALCULATED_FORMULA", "Actions!F2"),
    "item_add_report_was_not_sure_of": (option(extra={"items": {"To check": [
        "who 'the relevant user groups' is could not be told; say whether it applies to the "
        "force", None, None]}}), "TO_CHECK", "Items!N2"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_defect_is_reported_with_rule_and_cell(tmp_path, name):
    mutate, code, where = CASES[name]
    data, opts = base_data(), {}
    mutate(data, opts)
    path = write_register(tmp_path / f"{name}.xlsx", data, **opts)
    _, report = check(path)
    found = [p for p in report.problems if p.code == code and p.where == where]
    assert found, f"{code} at {where} not in:\n{report.to_text()}"
    p = found[0]
    assert p.severity == RULES[code].severity
    assert p.message and p.message.endswith((".", "?")) and "{" not in p.message
    assert report.valid is (RULES[code].severity == "warning"), report.to_text()


def test_base_register_is_clean(base_register):
    _, report = check(base_register)
    assert report.problems == [], report.to_text()
    assert report.valid


def test_there_are_at_least_25_malformed_registers():
    assert len(CASES) >= 25
    # and between them they exercise every rule but the ones tested elsewhere
    covered = {code for _, code, _ in CASES.values()}
    # (the layouts the template writer cannot make are tested in test_shapes.py)
    # (and the roll-up's own warnings, which need an as-of date, in test_shapes.py and
    # test_response.py)
    # (TEXT_CONTINUED, ITEM_OWN_ROW, ITEMS_AS_ACTIONS, ONE_REF_TWO_ITEMS are a flat
    # sheet's: test_reading.py)
    assert set(RULES) - covered <= {"FLAT_CONFLICT", "ONE_REF_TWO_ITEMS",
                                    "TITLE_FROM_SHEET_NAME", "TEXT_CONTINUED",
                                    "ITEM_OWN_ROW", "ITEMS_AS_ACTIONS",
                                    "RAG_BETTER_THAN_OURS", "S55_LAST_DAY_CLOSED"}


def test_problem_carries_header_as_user_wrote_it_and_value(tmp_path):
    data = base_data()
    data["actions"][0]["Due"] = "soon-ish"
    path = write_register(tmp_path / "r.xlsx", data, headers={"Due": "Target Date"})
    _, report = check(path)
    (p,) = [p for p in report.problems if p.code == "BAD_DATE"]
    assert (p.sheet, p.cell, p.header, p.value) == ("Actions", "E2", "Target Date", "soon-ish")
    assert "'soon-ish' in Target Date is not a date we can read" in p.message


@pytest.mark.parametrize("marking, ok", [
    ("OFFICIAL", True), ("OFFICIAL-SENSITIVE", True), ("official-sensitive", True),
    ("OFFICIAL SENSITIVE", True), ("OFFICIAL - SENSITIVE", True), ("TOP SECRET", True),
    ("OFFICIAL-SENSITIVE: PERSONAL", True), ("OFFICIAL-SENSITIVE [COMMERCIAL]", True),
    ("OFFICIAL-SENSITIVE - LOCSEN", True), ("SECRET UK EYES ONLY", True),
    ("OFFICAL-SENSITIVE", False), ("OFFICIAL-SENSITVE", False), ("RESTRICTED", False),
    ("NOT PROTECTIVELY MARKED", False), ("OFFICIAL-SENSITIVE: GOSSIP", False)])
def test_marking_is_a_government_security_classification(marking, ok):
    from gain_workbook.model.settings import is_gsc_marking

    assert is_gsc_marking(marking) is ok


def test_no_settings_sheet_says_to_add_one(tmp_path):
    """A new user's trial: a register with no Settings sheet was told to write the name
    'beside Force name on the Settings sheet', a sheet it does not have."""
    import openpyxl

    path = write_register(tmp_path / "r.xlsx", base_data(),
                          post=lambda wb: wb.remove(wb["Settings"]) if "Settings" in
                          wb.sheetnames else None)
    assert "Settings" not in openpyxl.load_workbook(path).sheetnames
    _, report = check(path)
    (p,) = [p for p in report.problems if p.code == "NO_FORCE_NAME"]
    assert p.message.startswith("The register has no Settings sheet to give the force's "
                                "name, so the pack")
    assert "add a sheet named Settings with 'Force name' in cell A1" in p.message


def test_an_unknown_item_written_otherwise_names_the_one_it_may_mean(tmp_path):
    """'ins-1-afi1' on an action, the item being 'INS-1-AFI1': UNKNOWN_ITEM said only
    'check the Item ID' (a trial); it now names the item written otherwise."""
    data = base_data()
    data["actions"][2]["Item ID"] = "ins-1-afi1"
    _, report = check(write_register(tmp_path / "r.xlsx", data))
    (p,) = [p for p in report.problems if p.code == "UNKNOWN_ITEM"]
    assert "(there is 'INS-1-AFI1', written otherwise)" in p.message
    data["actions"][2]["Item ID"] = "INS-1-R9"
    _, report = check(write_register(tmp_path / "s.xlsx", data))
    (p,) = [p for p in report.problems if p.code == "UNKNOWN_ITEM"]
    assert "written otherwise" not in p.message
