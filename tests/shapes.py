"""Registers in the shapes offices really keep, built in code, each with what it must read as.

Written from what police and crime panels, PCC offices, fire authorities and police
committees publish as appendices (not from our template):

* a PCC panel's HMICFRS tracker: title rows, one row per action, refs 'AFI 1' / 'R1',
  BRAG, 'Dec-25' and 'TBC' dates (the trackers PCC offices attach to panel papers);
* open actions on one sheet, closed ones on an archive sheet (the shape that was once
  read silently wrong: only one sheet read, 0 overdue where there were 5);
* one sheet per report with 'Report:' / 'Published:' above each table and a Summary
  dashboard (force improvement plans per PEEL report);
* a fire service's action plan: the report's title and date in plain cells, pillar refs
  'E1' / 'P1' / 'EF1', a cause for concern with its recommendations 'CfC1-R1'
  (as fire authorities publish them: Buckinghamshire's 2019 plan had 11 areas for
  improvement and one cause for concern with two recommendations), quarters as dates;
* an Inspections / Recommendations / Actions workbook with a "Completed actions" sheet
  and the force's own 'Overall Status' beside the inspectorate's;
* a tracker grouped under section headings, with a totals row and a key below;
* a national thematic tracker with a 'GAIN Board date' on each action row, types written
  'National / Thematic', an accelerated cause of concern raised before publication;
* a tracker whose text column cannot be placed ('Area of focus'): refused, then read
  once the Settings line is added;
* two trackers on two sheets (force reports, national thematics) and a hidden old copy;
* Items and Actions whose action refs restart in each item ('1', '2'), one repeated;
* a tracker whose report and item cells are left blank under an item's first row.

Each shape is a function writing the workbook and returning what it must read as.
Several carry real mistakes, which must be reported at the right cell.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

from gain_workbook.core.sniff import col_letter

D = dt.date
AS_OF = D(2026, 11, 30)


@dataclass
class Expect:
    """What a shape must read as (at AS_OF)."""

    layout: str
    counts: dict                         # rows per table
    items: list                          # (item_id, kind, number, label)
    actions: dict                        # action_id -> item_id
    overdue: set                         # open overdue action ids at AS_OF
    warnings: set                        # (code, 'Sheet!A1' or 'Sheet')
    errors: set = field(default_factory=set)
    sheets: dict = field(default_factory=dict)   # sheet -> role in describe
    refused: str = ""                    # a RegisterError message part, when it must refuse
    suggested: list = field(default_factory=list)  # the Settings rows the refusal ends with
    parents: dict = field(default_factory=dict)  # item_id -> the cause of concern above it


def write(path, sheets: dict, merges: dict | None = None, hidden=(), widths=True):
    """Write {sheet: [rows]} with openpyxl (dates as date cells), merges {sheet: [ranges]}."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append([dt.datetime(v.year, v.month, v.day) if type(v) is dt.date else v
                       for v in row])
        for r in range(1, ws.max_row + 1):
            for c in range(1, ws.max_column + 1):
                if isinstance(ws.cell(r, c).value, dt.datetime):
                    ws.cell(r, c).number_format = "dd/mm/yyyy"
        for rng in (merges or {}).get(name, ()):
            ws.merge_cells(rng)
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


# ---------------------------------------------------------------- 1

PEEL = "PEEL 2025: An inspection of Example Police"
PEEL_ID = "PEEL 2025"      # a register with no Inspection ID: the title's part before ':'
CUSTODY = "An inspection of the police custody estate"


def pcc_panel_flat_tracker(path) -> Expect:
    head = ["Report", "Date of Report", "Ref", "Recommendation / AFI text", "Applicable?",
            "Action", "Responsible Officer", "Target Completion Date", "Revised Target",
            "Current Position", "Status", "BRAG"]
    pub1, pub2 = D(2025, 3, 14), D(2026, 2, 10)
    rows = [
        ["Office of the Police and Crime Commissioner"],
        ["HMICFRS recommendations tracker - as at 30 November 2026"],
        [],
        head,
        [PEEL, pub1, "AFI 1", "The force should improve how it records crime.", "Yes",
         "Audit crime recording monthly", "DCI Reed", D(2025, 9, 30), D(2026, 12, 31),
         "Audits running", "On track", "Green"],
        [PEEL, pub1, "AFI 1", "The force should improve how it records crime.", "Yes",
         "Train staff on recording", "Ms Khan", "Dec-25", None, "Training booked", "Overdue",
         "Amber"],
        [PEEL, "14/03/2025", "AFI 2", "The force should make sure victims get updates.", "Yes",
         "Introduce victim update checks", "Supt Lowe", "TBC", None, "Not yet started",
         "Not started", "Red"],
        [PEEL, pub1, "AFI 3", "The force should review its vetting backlog.", "Yes",
         "Clear the vetting backlog", "Ms Patel", D(2026, 6, 30), None, "Backlog cleared",
         "Compelte", "Blue"],
        [CUSTODY, pub2, "R1", "By 31 December 2026, all chief constables should review "
         "custody healthcare.", "Yes (all forces)", "Review the custody healthcare contract",
         "Ch Insp Moss", "31/13/2026", None, "Scoping", "In progress", "Green"],
        [CUSTODY, pub2, "R2", "The Home Office should publish detention data.",
         "N/A – for the Home Office"],
        [],
        ["Key: B = complete, G = on track, A = at risk, R = off track"],
    ]
    write(path, {"Tracker": rows})
    i1, i2, i3 = f"{PEEL_ID} AFI 1", f"{PEEL_ID} AFI 2", f"{PEEL_ID} AFI 3"
    r1, r2 = f"{CUSTODY} R1", f"{CUSTODY} R2"
    return Expect(
        layout="flat",
        counts={"inspections": 2, "items": 5, "actions": 5},
        items=[(i1, "Area for improvement", "1", "AFI 1"),
               (i2, "Area for improvement", "2", "AFI 2"),
               (i3, "Area for improvement", "3", "AFI 3"),
               (r1, "Recommendation", "1", "R1"), (r2, "Recommendation", "2", "R2")],
        actions={f"{i1} A1": i1, f"{i1} A2": i1, f"{i2} A1": i2, f"{i3} A1": i3,
                 f"{r1} A1": r1},
        overdue={f"{i1} A2"},
        warnings={("NORMALISED", "Tracker!K5"), ("DATE_READ_AS", "Tracker!H6"),
                  ("OVERDUE_WORD", "Tracker!K6"),
                  ("DATE_NOT_GIVEN", "Tracker!H7"), ("WORD_READ_AS", "Tracker!K8"),
                  ("COMPLETE_NO_DATE", "Tracker!K8"), ("NORMALISED", "Tracker!E9"),
                  ("NORMALISED", "Tracker!E10"), ("NOTE_BELOW_TABLE", "Tracker!A12"),
                  ("MISSING_COLUMN", "Tracker")},
        errors={("BAD_DATE", "Tracker!H9")},
        sheets={"Tracker": "flat"})


# ---------------------------------------------------------------- 2

def open_and_archive_sheets(path) -> Expect:
    head = ["Inspection", "Published", "Rec No.", "Recommendation", "Action", "Action Lead",
            "Target date", "Status", "Date completed", "Update"]
    pub1, pub2 = D(2024, 5, 2), D(2025, 1, 20)
    stalk, vaw = "Stalking and harassment", "Violence against women and girls"
    open_rows = [head,
                 [stalk, pub1, 1, "Forces should appoint stalking leads.", "Appoint a lead",
                  "DI Hart", D(2025, 3, 31), "In progress", None, "Interviews held"],
                 [stalk, pub1, 2, "Forces should use stalking protection orders.",
                  "Write SPO guidance", "DS Cole", D(2025, 6, 30), "In progress", None, ""],
                 [stalk, pub1, 3, "Forces should train call handlers.", "Train call handlers",
                  "Ms Gray", D(2025, 9, 30), "Not started", None, ""],
                 [vaw, pub2, 1, "Forces should have a VAWG plan.", "Publish the VAWG plan",
                  "ACC Bell", D(2025, 12, 31), "On hold", None, "Awaiting PCC"],
                 [vaw, pub2, 2, "Forces should survey victims.", "Run a victim survey",
                  "Ms Shaw", D(2026, 10, 31), "In progress", None, "Survey live"],
                 [vaw, pub2, 2, "Forces should survey victims.", "Report survey results",
                  "Ms Shaw", D(2027, 3, 31), "Not started", None, ""]]
    archive_rows = [head,
                    [stalk, pub1, 1, "Forces should appoint stalking leads.",
                     "Agree the lead's role", "DI Hart", D(2024, 9, 30), "Complete",
                     D(2024, 9, 12), "Done"],
                    [stalk, pub1, 2, "Forces should use stalking protection orders.",
                     "Audit SPO use", "DS Cole", D(2024, 12, 31), "Completed", D(2024, 12, 2),
                     "Audit filed"],
                    [vaw, pub2, 1, "Forces should have a VAWG plan.", "Draft the VAWG plan",
                     "ACC Bell", D(2025, 6, 30), "Complete", D(2025, 6, 1), "Draft agreed"],
                    [vaw, pub2, 1, "Forces should have a VAWG plan.", "Consult partners",
                     "ACC Bell", D(2025, 8, 31), "Closed", D(2025, 8, 20), ""]]
    write(path, {"Open actions": open_rows, "Archive": archive_rows})
    s1, s2, s3 = (f"{stalk} R{n}" for n in (1, 2, 3))
    v1, v2 = f"{vaw} R1", f"{vaw} R2"
    return Expect(
        layout="flat",
        counts={"inspections": 2, "items": 5, "actions": 10},
        items=[(s1, "Recommendation", "1", "Rec 1"), (s2, "Recommendation", "2", "Rec 2"),
               (s3, "Recommendation", "3", "Rec 3"), (v1, "Recommendation", "1", "Rec 1"),
               (v2, "Recommendation", "2", "Rec 2")],
        actions={f"{s1} A1": s1, f"{s2} A1": s2, f"{s3} A1": s3, f"{v1} A1": v1,
                 f"{v2} A1": v2, f"{v2} A2": v2, f"{s1} A2": s1, f"{s2} A2": s2,
                 f"{v1} A2": v1, f"{v1} A3": v1},
        overdue={f"{s1} A1", f"{s2} A1", f"{s3} A1", f"{v1} A1", f"{v2} A1"},
        warnings={("MISSING_COLUMN", "Open actions"), ("NORMALISED", "Archive!H3")},
        sheets={"Open actions": "flat", "Archive": "flat"})


# ---------------------------------------------------------------- 3

VETTING = "An inspection of vetting, misconduct and misogyny in the police service"


def one_sheet_per_report(path) -> Expect:
    head = ["Ref", "Area for improvement", "Action ref", "Action", "Owner (Name)", "Due date",
            "Progress to date", "RAG Status", "Status"]
    peel = [["Report:", PEEL], ["Published:", D(2025, 3, 14)], ["Type:", "PEEL"], [],
            head,
            ["AFI 1", "The force should improve how it records crime.", "1",
             "Audit crime recording", "DCI Reed", D(2025, 9, 30), "Monthly audits", "Green",
             "Complete"],
            ["AFI 1", "The force should improve how it records crime.", "2",
             "Train all call handlers", "Ms Khan", D(2026, 12, 15), "Half trained", "Amber",
             "In progress"],
            ["AFI 2", "The force should make sure victims get updates.", "1",
             "Victim update audit", "Supt Lowe", D(2026, 3, 31), "Delayed by system change",
             "Green", "Delayed"]]
    vet = [["Report:", VETTING], ["Published:", "2 November 2022"],
           ["Type:", "National / Thematic"], [], head,
           ["R1", "By 31 May 2023, chief constables should make sure vetting decisions are "
            "recorded.", "1", "Vetting decision log", "Ms Patel", D(2023, 5, 31),
            "Log in use", "Blue", "Closed"],
           ["R2", "By 31 October 2023, forces should re-vet officers with concerns.", "1",
            "Re-vetting programme", "Ms Patel", D(2023, 10, 31), "", "Green", "In progress"]]
    summary = [["Report", "Actions", "Open", "RAG"], [PEEL, 3, 2, "Amber"],
               [VETTING, 2, 1, "Red"]]
    write(path, {"Summary": summary, "PEEL 2025": peel, "Vetting 2022": vet})
    a1, a2 = f"{PEEL_ID} AFI 1", f"{PEEL_ID} AFI 2"
    r1, r2 = "Vetting 2022 R1", "Vetting 2022 R2"     # no ':' in the title: the sheet's name
    return Expect(
        layout="per report",
        counts={"inspections": 2, "items": 4, "actions": 5},
        items=[(a1, "Area for improvement", "1", "AFI 1"),
               (a2, "Area for improvement", "2", "AFI 2"),
               (r1, "Recommendation", "1", "R1"), (r2, "Recommendation", "2", "R2")],
        actions={f"{a1} 1": a1, f"{a1} 2": a1, f"{a2} 1": a2, f"{r1} 1": r1, f"{r2} 1": r2},
        overdue={f"{a2} 1", f"{r2} 1"},
        warnings={("MISSING_COLUMN", "PEEL 2025"),
                  ("OVERDUE_WORD", "PEEL 2025!I8"), ("COMPLETE_NO_DATE", "PEEL 2025!I6"),
                  ("COMPLETE_NO_DATE", "Vetting 2022!I6")},
        sheets={"Summary": "not read", "PEEL 2025": "report", "Vetting 2022": "report"})


# ---------------------------------------------------------------- 4

FIRE = "Fire and rescue service inspection 2025: Example Fire and Rescue Service"


def fire_action_plan(path) -> Expect:
    head = ["Ref", "Area for Improvement", "Pillar", "Action", "Responsible Officer",
            "Target Completion", "Revised Target Completion", "Update", "Status"]
    rows = [["", FIRE], ["", D(2025, 8, 6)], [], head,
            ["E1", "The service should make sure crews have up-to-date risk information.",
             "Effectiveness", "Review risk information on appliances", "GM Ward", "Q4 2025/26",
             None, "Review done", "Complete"],
            ["E2", "The service should evaluate its prevention work.", "Effectiveness",
             "Commission an evaluation", "AM Frost", "Q1 2026", "Q3 2026", "Out to tender",
             "On track"],
            ["EF1", "The service should use its resources to manage risk.", "Efficiency",
             "Align crewing with risk", "AM Frost", D(2026, 3, 31), None, "", "Behind schedule"],
            ["P1", "The service should improve staff wellbeing.", "People",
             "Wellbeing survey", "HR Lead", D(2026, 12, 31), None, "", "Not started"],
            ["CfC 1", "The service has not done enough to tackle misconduct.", "People"],
            ["CfC1-R1", "By 31 March 2026 the service should publish a misconduct policy.",
             "People", "Publish the policy", "DCFO", D(2026, 3, 31), None, "Published",
             "Completed"],
            ["CfC1-R2", "By 30 June 2026 the service should train managers.", "People",
             "Manager training", "DCFO", D(2026, 6, 30), None, "", "In progress"]]
    write(path, {"Action plan": rows})
    # the title's part before ':' is too long for an id: the report sheet's name is used
    ids = {r: f"Action plan {r}" for r in ("E1", "E2", "EF1", "P1", "CfC 1", "CfC1-R1",
                                           "CfC1-R2")}
    return Expect(
        layout="per report",
        counts={"inspections": 1, "items": 7, "actions": 6},
        items=[(ids["E1"], "Area for improvement", "E1", "E1"),
               (ids["E2"], "Area for improvement", "E2", "E2"),
               (ids["EF1"], "Area for improvement", "EF1", "EF1"),
               (ids["P1"], "Area for improvement", "P1", "P1"),
               (ids["CfC 1"], "Cause of concern", "1", "CfC 1"),
               (ids["CfC1-R1"], "Recommendation", "1", "CfC1-R1"),
               (ids["CfC1-R2"], "Recommendation", "2", "CfC1-R2")],
        actions={f"{ids[r]} A1": ids[r] for r in ("E1", "E2", "EF1", "P1", "CfC1-R1",
                                                  "CfC1-R2")},
        overdue={f"{ids['EF1']} A1", f"{ids['CfC1-R2']} A1"},
        warnings={("DATE_READ_AS", "Action plan!F5"), ("DATE_READ_AS", "Action plan!F6"),
                  ("DATE_READ_AS", "Action plan!G6"), ("NORMALISED", "Action plan!I6"),
                  ("OVERDUE_WORD", "Action plan!I7"), ("NORMALISED", "Action plan!I10"),
                  ("COMPLETE_NO_DATE", "Action plan!I5"), ("COMPLETE_NO_DATE", "Action plan!I10"),
                  ("MISSING_COLUMN", "Action plan")},
        parents={ids["CfC1-R1"]: ids["CfC 1"], ids["CfC1-R2"]: ids["CfC 1"]},
        sheets={"Action plan": "report"})


# ---------------------------------------------------------------- 5

def inspections_recommendations_completed_actions(path) -> Expect:
    insp = [["Report ID", "Report title", "Date published", "Report type", "Executive lead"],
            ["CUST24", "Custody services in Example Police", D(2024, 4, 9), "Force-specific",
             "ACC Crime"],
            ["FRAUD25", "An inspection of how well the police tackle fraud", D(2025, 7, 1),
             "National; Thematic", "ACC Crime"]]
    recs = [["Rec ID", "Report ID", "Type", "No", "Recommendation", "Overall Status",
             "Inspectorate status", "RAG"],
            ["CUST24-1", "CUST24", "Cause of concern", 1, "Detainees are not always safe.",
             "Complete", "Closed - complete", "Blue"],
            ["CUST24-2", "CUST24", "Recommendation", 1, "The force should improve "
             "detainee checks.", "Complete", "Open", "Green"],
            ["FRAUD25-1", "FRAUD25", "Recommendation", 1, "By 31 March 2026 chief constables "
             "should adopt the fraud standards.", "In progress", "Open", "Green"],
            ["FRAUD25-2", "FRAUD25", "AFI", 1, "Forces should train fraud investigators.",
             "Not started", "", "Amber"]]
    head = ["Action ID", "Rec ID", "Action", "Action owner", "Due date", "Status",
            "Completion date", "Last updated", "Latest update"]
    acts = [head,
            ["A3", "FRAUD25-1", "Adopt the standards", "DCI Fox", D(2026, 3, 31),
             "In progress", None, D(2026, 9, 1), "Standards drafted"],
            ["A4", "FRAUD25-2", "Train investigators", "DCI Fox", D(2027, 1, 31), "Not started",
             None, None, ""]]
    done = [head,
            ["A1", "CUST24-1", "Fix cell checks", "Ch Insp Moss", D(2024, 6, 30), "Complete",
             D(2024, 6, 20), D(2024, 6, 20), "Done"],
            ["A2", "CUST24-2", "Improve detainee checks", "Ch Insp Moss", D(2024, 10, 31),
             "Complete", D(2024, 10, 2), D(2024, 10, 2), "Done"]]
    write(path, {"Inspections": insp, "Recommendations": recs, "Actions": acts,
                 "Completed actions": done})
    return Expect(
        layout="template",
        counts={"inspections": 2, "items": 4, "actions": 4},
        items=[("CUST24-1", "Cause of concern", "1", "CoC 1"),
               ("CUST24-2", "Recommendation", "1", "Rec 1"),
               ("FRAUD25-1", "Recommendation", "1", "Rec 1"),
               ("FRAUD25-2", "Area for improvement", "1", "AFI 1")],
        actions={"A1": "CUST24-1", "A2": "CUST24-2", "A3": "FRAUD25-1", "A4": "FRAUD25-2"},
        overdue={"A3"},
        warnings={("NORMALISED", "Recommendations!G2"),
                  ("NORMALISED", "Recommendations!C5"), ("MISSING_COLUMN", "Recommendations")},
        errors={("REQUIRED_MISSING", "Recommendations!G5")},
        sheets={"Inspections": "inspections", "Recommendations": "items",
                "Actions": "actions", "Completed actions": "actions"})


# ---------------------------------------------------------------- 6

def section_headings_totals_and_key(path) -> Expect:
    head = ["Rec", "Recommendation", "Date published", "Action", "Lead", "Deadline", "Status",
            "Comments"]
    rows = [["HMICFRS inspection action tracker"], [], head,
            ["Stalking and harassment"],
            ["R1", "Forces should appoint stalking leads.", D(2024, 5, 2), "Appoint a lead",
             "DI Hart", D(2025, 3, 31), "In progress", ""],
            ["R2", "Forces should use stalking protection orders.", D(2024, 5, 2),
             "Write SPO guidance", "DS Cole", "ongoing", "In progress", ""],
            ["Police response to violence against women and girls"],
            ["R1", "Forces should have a VAWG plan.", D(2025, 1, 20), "Publish the plan",
             "ACC Bell", D(2025, 12, 31), "Complete", "Published Dec 2025"],
            ["Total", "", "", 3],
            [],
            ["Key:", "R = recommendation"]]
    write(path, {"Tracker": rows})
    s1, s2 = "Stalking and harassment R1", "Stalking and harassment R2"
    v1 = "Police response to violence against women and girls R1"
    return Expect(
        layout="flat",
        counts={"inspections": 2, "items": 3, "actions": 3},
        items=[(s1, "Recommendation", "1", "R1"), (s2, "Recommendation", "2", "R2"),
               (v1, "Recommendation", "1", "R1")],
        actions={f"{s1} A1": s1, f"{s2} A1": s2, f"{v1} A1": v1},
        overdue={f"{s1} A1"},
        warnings={("ROW_SKIPPED", "Tracker!A4"), ("ROW_SKIPPED", "Tracker!A7"),
                  ("ROW_SKIPPED", "Tracker!A9"), ("ROW_SKIPPED", "Tracker!A11"),
                  ("DATE_NOT_GIVEN", "Tracker!F6"), ("COMPLETE_NO_DATE", "Tracker!G8"),
                  ("MISSING_COLUMN", "Tracker")},
        sheets={"Tracker": "flat"})


# ---------------------------------------------------------------- 7

THEMATIC = "An inspection into activism and impartiality in policing"


def thematic_with_gain_dates_per_action(path) -> Expect:
    head = ["Inspection", "Published", "Type", "Kind", "No", "Text", "Applies to us?",
            "Action", "Owner", "Due", "Status", "GAIN Board date"]
    pub = D(2026, 4, 14)
    rows = [head,
            [THEMATIC, pub, "National / Thematic", "Accelerated cause of concern", 1,
             "Forces should review their social media policy now.", "Yes",
             "Review the social media policy", "Supt Vale", D(2026, 3, 31), "Complete",
             D(2026, 3, 2)],
            [THEMATIC, pub, "National / Thematic", "Recommendation", 1,
             "By 31 October 2026, chief constables should brief all staff.", "Yes",
             "Brief all staff", "Ms Ruiz", D(2026, 10, 31), "In progress", D(2026, 5, 6)],
            [THEMATIC, pub, "National & Thematic", "Recommendation", 2,
             "The College of Policing should update guidance.",
             "Not applicable", None, None, None, None, None]]
    write(path, {"Thematic tracker": rows})
    a, r1, r2 = f"{THEMATIC} ACoC1", f"{THEMATIC} R1", f"{THEMATIC} R2"
    return Expect(
        layout="flat",
        counts={"inspections": 1, "items": 3, "actions": 2},
        items=[(a, "Accelerated cause of concern", "1", "Accelerated CoC 1"),
               (r1, "Recommendation", "1", "Rec 1"), (r2, "Recommendation", "2", "Rec 2")],
        actions={f"{a} A1": a, f"{r1} A1": r1},
        overdue={f"{r1} A1"},
        warnings={("NORMALISED", "Thematic tracker!G4"),
                  ("COMPLETE_NO_DATE", "Thematic tracker!K2"),
                  ("MISSING_COLUMN", "Thematic tracker")},
        sheets={"Thematic tracker": "flat"})


# ---------------------------------------------------------------- 8

def text_column_not_placed(path, with_alias: bool = False) -> Expect:
    head = ["Report", "Published", "Area of focus", "Action", "Owner", "Target date", "Status"]
    rows = [head,
            [PEEL, D(2025, 3, 14), "How the force records crime", "Audit crime recording",
             "DCI Reed", D(2025, 9, 30), "In progress"],
            [PEEL, D(2025, 3, 14), "How the force updates victims", "Victim update audit",
             "Supt Lowe", D(2026, 12, 31), "Not started"]]
    sheets = {"Tracker": rows}
    if with_alias:
        sheets["Settings"] = [["Setting", "Value"], ["Alias: Text", "Area of focus"]]
    write(path, sheets)
    i1, i2 = f"{PEEL_ID} item 1", f"{PEEL_ID} item 2"
    return Expect(
        layout="flat",
        counts={"inspections": 1, "items": 2, "actions": 2},
        items=[(i1, "Recommendation", None, "Rec"), (i2, "Recommendation", None, "Rec")],
        actions={f"{i1} A1": i1, f"{i2} A1": i2},
        overdue={f"{i1} A1"},
        warnings={("MISSING_COLUMN", "Tracker")},
        refused=("the Tracker sheet has no column for Text (the item's words as the report "
                 "gives them); headers not placed: 'Area of focus'; if 'Area of focus' is it, "
                 "add a row to the Settings sheet: Alias: Text = Area of focus"),
        suggested=["Alias: Text\tArea of focus"],
        sheets={"Tracker": "flat", "Settings": "settings"})


# ---------------------------------------------------------------- 9

def two_trackers_and_a_hidden_old_copy(path) -> Expect:
    head = ["Report", "Published", "Rec No.", "Recommendation", "Action", "Owner",
            "Target date", "Status", "Date completed"]
    force = [head, [PEEL, D(2025, 3, 14), 1, "Improve crime recording.", "Audit recording",
                    "DCI Reed", D(2026, 1, 31), "In progress", None]]
    national = [head, [VETTING, D(2022, 11, 2), 1, "Record vetting decisions.",
                       "Vetting decision log", "Ms Patel", D(2023, 5, 31), "Complete",
                       D(2023, 5, 1)],
                [VETTING, D(2022, 11, 2), 2, "Re-vet officers with concerns.",
                 "Re-vetting programme", "Ms Patel", D(2027, 10, 31), "In progress", None]]
    old = [head, [PEEL, D(2025, 3, 14), 1, "Improve crime recording.", "Old action",
                  "Someone", D(2020, 1, 1), "Not started", None]]
    write(path, {"Force reports": force, "National thematics": national, "Old tracker": old},
          hidden=("Old tracker",))
    p1, v1, v2 = f"{PEEL_ID} R1", f"{VETTING} R1", f"{VETTING} R2"
    return Expect(
        layout="flat",
        counts={"inspections": 2, "items": 3, "actions": 3},
        items=[(p1, "Recommendation", "1", "Rec 1"), (v1, "Recommendation", "1", "Rec 1"),
               (v2, "Recommendation", "2", "Rec 2")],
        actions={f"{p1} A1": p1, f"{v1} A1": v1, f"{v2} A1": v2},
        overdue={f"{p1} A1"},
        warnings={("HIDDEN_SHEET", "Old tracker"), ("MISSING_COLUMN", "Force reports")},
        sheets={"Force reports": "flat", "National thematics": "flat",
                "Old tracker": "not read"})


# ---------------------------------------------------------------- 10

def action_refs_restart_in_each_item(path) -> Expect:
    insp = [["Inspection ID", "Title", "Published", "Type"],
            ["PEEL25", PEEL, D(2025, 3, 14), "PEEL"]]
    items = [["Item ID", "Inspection ID", "Kind", "Number", "Text", "Applies to force",
              "HMICFRS status"],
             ["PEEL25-AFI1", "PEEL25", "Area for improvement", 1, "Improve crime recording.",
              "Yes", "Open"],
             ["PEEL25-AFI2", "PEEL25", "Area for improvement", 2, "Update victims.", "Yes",
              "Open"]]
    acts = [["Action ref", "Item ID", "Action", "Owner", "Due", "Status"],
            ["1", "PEEL25-AFI1", "Audit recording", "DCI Reed", D(2025, 9, 30), "In progress"],
            ["2", "PEEL25-AFI1", "Train call handlers", "Ms Khan", D(2026, 12, 31),
             "In progress"],
            ["1", "PEEL25-AFI2", "Victim update audit", "Supt Lowe", D(2026, 3, 31),
             "Not started"],
            ["1", "PEEL25-AFI2", "Victim letters", "Supt Lowe", D(2027, 3, 31), "Not started"]]
    write(path, {"Inspections": insp, "Items": items, "Actions": acts})
    return Expect(
        layout="template",
        counts={"inspections": 1, "items": 2, "actions": 4},
        items=[("PEEL25-AFI1", "Area for improvement", "1", "AFI 1"),
               ("PEEL25-AFI2", "Area for improvement", "2", "AFI 2")],
        actions={"PEEL25-AFI1 1": "PEEL25-AFI1", "PEEL25-AFI1 2": "PEEL25-AFI1",
                 "PEEL25-AFI2 1": "PEEL25-AFI2"},
        overdue={"PEEL25-AFI1 1", "PEEL25-AFI2 1"},
        warnings=set(),
        errors={("DUPLICATE_ID", "Actions!A5")},
        sheets={"Inspections": "inspections", "Items": "items", "Actions": "actions"})


# ---------------------------------------------------------------- 11

def blank_cells_continue_the_item_above(path) -> Expect:
    """Report and item cells left blank (not merged) under an item's first row, and a
    section heading merged across a sheet that has a report column (it names nothing)."""
    head = ["Report", "Published", "No.", "Recommendation", "Action", "Lead officer", "Due",
            "Status", "Update"]
    rows = [["HMICFRS action plan"], [], head,
            ["Custody 2025", D(2025, 3, 1), "1", "Improve detainee checks.", "Review checks",
             "Insp A", D(2025, 6, 30), "Complete", "Done"],
            ["", "", "", "", "Train staff", "Insp B", D(2026, 1, 31), "In progress", ""],
            ["", "", "", "", "Audit the checks", "Insp C", D(2027, 1, 31), "Not started", ""],
            ["Custody 2025", D(2025, 3, 1), "2", "Publish data.", "Publish", "Insp D",
             D(2025, 9, 30), "In progress", ""],
            ["Vetting 2025"] + [None] * 8,
            ["Vetting 2025", D(2025, 5, 1), "1", "Re-vet staff.", "Re-vet staff", "Ms P",
             D(2025, 12, 31), "on trak", ""]]
    write(path, {"Plan": rows}, merges={"Plan": ["A8:I8"]})
    c1, c2, v1 = "Custody 2025 R1", "Custody 2025 R2", "Vetting 2025 R1"
    return Expect(
        layout="flat",
        counts={"inspections": 2, "items": 3, "actions": 5},
        items=[(c1, "Recommendation", "1", "Rec 1"), (c2, "Recommendation", "2", "Rec 2"),
               (v1, "Recommendation", "1", "Rec 1")],
        actions={f"{c1} A1": c1, f"{c1} A2": c1, f"{c1} A3": c1, f"{c2} A1": c2,
                 f"{v1} A1": v1},
        overdue={f"{c1} A2", f"{c2} A1", f"{v1} A1"},
        warnings={("MISSING_COLUMN", "Plan"), ("COMPLETE_NO_DATE", "Plan!H4"),
                  ("ROW_SKIPPED", "Plan!A8"), ("WORD_READ_AS", "Plan!H9")},
        sheets={"Plan": "flat"})


def bare_ref_beside_the_items_words(path) -> Expect:
    """A sheet per report whose first column is a bare 'Ref' under a header naming the
    item's words ('Area for Improvement / Recommendation', which on a sheet of actions
    would name the item an action answers): on one sheet the item's number, given on
    its first row only, its further actions' rows blank; on the other each action's own
    ref ('1.1', '1.2') beside its item's words repeated. Read as reports, never dropped
    as a sheet of actions."""
    head = ["Ref", "Area for Improvement / Recommendation", "Action", "Owner",
            "Original Target Date", "Status", "Update (Nov 26)"]
    peel = [["Report:", PEEL], ["Published:", D(2025, 6, 12)], ["Type:", "PEEL"], [], head,
            [1, "The force should manage registered sex offenders better.", "Clear the "
             "backlog of assessments", "DI Webb", D(2025, 12, 31), "Complete", "Cleared"],
            [None, None, "Recruit six officers", "DI Webb", D(2025, 12, 31), "In progress",
             "4 of 6 in post"],
            [2, "The force should answer non-emergency calls sooner.", "Call-back service",
             "Supt Dunn", D(2027, 3, 1), "In progress", "Supplier chosen"]]
    vet = [["Report:", VETTING], ["Published:", D(2022, 11, 2)],
           ["Type:", "National / Thematic"], [], head,
           ["1.1", "Forces should re-vet officers with concerns.", "Re-vetting programme",
            "Ms Patel", D(2023, 10, 31), "In progress", ""],
           ["1.2", "Forces should re-vet officers with concerns.", "Re-vetting audit",
            "Ms Patel", D(2027, 10, 31), "Not started", ""]]
    write(path, {"PEEL 2025": peel, "Vetting 2022": vet})
    p1, p2, v1 = f"{PEEL_ID} R1", f"{PEEL_ID} R2", "Vetting 2022 item 1"
    return Expect(
        layout="per report",
        counts={"inspections": 2, "items": 3, "actions": 5},
        items=[(p1, "Recommendation", "1", "Rec 1"), (p2, "Recommendation", "2", "Rec 2"),
               (v1, "Recommendation", None, "Rec")],
        actions={f"{p1} A1": p1, f"{p1} A2": p1, f"{p2} A1": p2, "1.1": v1, "1.2": v1},
        overdue={f"{p1} A2", "1.1"},
        warnings={("MISSING_COLUMN", "PEEL 2025"), ("COMPLETE_NO_DATE", "PEEL 2025!F6")},
        sheets={"PEEL 2025": "report", "Vetting 2022": "report"})


# ---------------------------------------------------------------- 12 to 15: real fixtures in the
# structural shapes of issue 26, each from a published page (tests/data/registers/README.md
# says which, and which parts are the page's and which were made up for the shape)

FRAUD = "Fraud: Time to choose"
HATE = "Understanding the difference: the initial police response to hate crime"


def two_row_banded_header(path) -> Expect:
    """A police force's tracker as its committee saw it: merged group headers 'HMICFRS
    recommendation' / 'Force response' / 'Progress' over sub-headers in which 'Ref' and
    'Detail' repeat, the report's name and date written once over both rows."""
    group = ["Report", "Published", "HMICFRS recommendation", None, "Force response", None,
             None, None, "Progress", None, None]
    sub = [None, None, "Ref", "Detail", "Ref", "Detail", "Lead", "Target date", "Status", "RAG",
           "Update"]
    rows = [["City of London Police: HMICFRS inspection update"], [], group, sub,
            [FRAUD, D(2019, 4, 2), "R1", "Publish the timetable for implementing the revised "
             "Know Fraud system.", "1.1", "Write to all forces with the timetable",
             "Head of Strategic Planning", D(2019, 12, 31), "In progress", "Red",
             "A letter addressing this recommendation would be sent to all forces in late "
             "November/early December."],
            [FRAUD, D(2019, 4, 2), "R2", "Publish the policy for responding to and "
             "investigating allegations of fraud.", "2.1", "Sign off the draft policy",
             "Head of Strategic Planning", "TBC", "In progress", "Red",
             "A draft policy was being reviewed; external communications planned once signed "
             "off."],
            [FRAUD, D(2019, 4, 2), "R3", "Provide guidance to Action Fraud and chief constables "
             "so that victims receive adequate explanations of the role of Action Fraud.",
             "3.1", "Issue the guidance", "Commander (Operations)", D(2019, 12, 31),
             "In progress", "Red", "Ownership changed, delaying resolution from September "
             "2019 to December 2019."],
            [HATE, D(2018, 7, 19), "R1", "Apply the Home Office cyber-enabled flag for hate "
             "crime consistently.", "1.1", "Use the flag on every hate crime record",
             "Head of Strategic Planning", D(2019, 10, 31), "Ready for closure", "Red",
             "The force is now using the flag; a demonstration period before classing the "
             "recommendation Green."]]
    write(path, {"HMICFRS tracker": rows},
          merges={"HMICFRS tracker": ["A3:A4", "B3:B4", "C3:D3", "E3:H3", "I3:K3"]})
    # the reports' ids: their titles' part before ':'; the action refs restart in each item
    f1, f2, f3 = "Fraud R1", "Fraud R2", "Fraud R3"
    h1 = "Understanding the difference R1"
    return Expect(
        layout="flat",
        counts={"inspections": 2, "items": 4, "actions": 4},
        items=[(f1, "Recommendation", "1", "R1"), (f2, "Recommendation", "2", "R2"),
               (f3, "Recommendation", "3", "R3"), (h1, "Recommendation", "1", "R1")],
        actions={f"{f1} 1.1": f1, f"{f2} 2.1": f2, f"{f3} 3.1": f3, f"{h1} 1.1": h1},
        overdue={f"{f1} 1.1", f"{f3} 3.1"},
        warnings={("MISSING_COLUMN", "HMICFRS tracker"), ("DATE_NOT_GIVEN", "HMICFRS tracker!H6"),
                  ("COMPLETE_NO_DATE", "HMICFRS tracker!I8")},
        sheets={"HMICFRS tracker": "flat"})


VALUES_AND_CULTURE = "Values and culture in fire and rescue services"


def fire_plan_as_cards(path) -> Expect:
    """A fire and rescue service's response laid out as cards, as its web pages are: per
    recommendation a 'Recommendation 9:' row, its words on the row below, then its own
    small table of actions; the report's name and date above the first card."""
    head = ["ECFRS action", "Target date", "Status", "Update"]
    rows = [["Report:", VALUES_AND_CULTURE], ["Published:", D(2023, 3, 30)], [],
            ["Recommendation 4:"],
            ["By 1 October 2023, as a precursor to the development of the College of Fire and "
             "Rescue, chief fire officers and the National Fire Chiefs Council should work with "
             "the Home Office to consider how they can improve the training and support they "
             "offer to staff in management and leadership development."],
            head,
            ["Commission a full learning and development review, monitored through the annual "
             "plan", D(2023, 10, 1), "Complete", "Review presented to the Service Leadership "
             "Team (January 2024)."],
            [],
            ["Recommendation 9:"],
            ["By 1 June 2023, chief fire officers should have plans in place to ensure they meet "
             "the Fire Standards Board's leading the service standard and its leading and "
             "developing people standard."],
            head,
            ["Provide the actions for both Fire Standards to the Continuous Improvement Board",
             D(2023, 9, 1), "Complete", "Plans in place to enact both (October 2023)."],
            ["Complete the plans; focus day with key stakeholders", D(2024, 1, 19), "In progress",
             "Fire Standards at more than 90% implemented."],
            [],
            ["Recommendation 11:"],
            ["With immediate effect, chief fire officers should notify HMICFRS of any "
             "allegations that have the potential to constitute staff gross misconduct."],
            head,
            ["Notify HMICFRS of each allegation that meets the criteria", D(2023, 2, 14),
             "Complete", "Initial notification made on 14 February 2023; notifications "
             "continue as allegations arise (last update 7/3/24)."]]
    write(path, {"HMICFRS response": rows})
    # no ':' in the report's title: its id is the sheet's name
    r4, r9, r11 = "HMICFRS response R4", "HMICFRS response R9", "HMICFRS response R11"
    return Expect(
        layout="cards",
        counts={"inspections": 1, "items": 3, "actions": 4},
        items=[(r4, "Recommendation", "4", "Rec 4"), (r9, "Recommendation", "9", "Rec 9"),
               (r11, "Recommendation", "11", "Rec 11")],
        actions={f"{r4} A1": r4, f"{r9} A1": r9, f"{r9} A2": r9, f"{r11} A1": r11},
        overdue={f"{r9} A2"},
        warnings={("MISSING_COLUMN", "HMICFRS response"),
                  ("COMPLETE_NO_DATE", "HMICFRS response!C7"),
                  ("COMPLETE_NO_DATE", "HMICFRS response!C12"),
                  ("COMPLETE_NO_DATE", "HMICFRS response!C18"),
                  ("DUE_BEFORE_PUBLISHED", "HMICFRS response!B18")},
        sheets={"HMICFRS response": "cards"})


ESSEX_2022 = "Essex County Fire and Rescue Service 2021/22"


def performance_system_export(path) -> Expect:
    """Actions exported from a performance system: field names run together or joined by
    underscores, each action's item named its 'parent', progress as a fraction formatted
    as a percentage and no status column (the figure is the status), a RAG of its own."""
    head = ["ActionCode", "ActionTitle", "Parent_Code", "Parent_Title", "AssignedTo",
            "DueDate", "PercentComplete", "RAG", "LastUpdated", "Report_Title", "PublishedDate"]
    rec = ("By 30 November 2022, the service should develop and implement a clear strategy for "
           "how it will effectively meet its obligations in relation to ensuring compliance "
           "with fire safety.")
    rows = [head,
            ["ECFRS-P-01", "Publish the risk-based inspection programme 2023/24", "CoC1-R1", rec,
             "Area Manager Protection", D(2022, 11, 30), 1, "Green", D(2023, 1, 17), ESSEX_2022,
             D(2022, 7, 27)],
            ["ECFRS-P-02", "Approve the quality assurance policy for inspections", "CoC1-R1",
             rec, "Area Manager Protection", D(2023, 3, 31), 0.6, "Amber", D(2023, 1, 17),
             ESSEX_2022, D(2022, 7, 27)],
            ["ECFRS-P-03", "Train protection staff to carry out audits", "CoC1-R1", rec,
             "Group Manager Protection", D(2023, 9, 30), 0, "Red", D(2023, 1, 17), ESSEX_2022,
             D(2022, 7, 27)]]
    write(path, {"Export": rows})
    item = "Essex County Fire and Rescue Service 2021/22 CoC1-R1"
    return Expect(
        layout="flat",
        counts={"inspections": 1, "items": 1, "actions": 3},
        items=[(item, "Recommendation", "1", "CoC1-R1")],
        actions={"ECFRS-P-01": item, "ECFRS-P-02": item, "ECFRS-P-03": item},
        overdue={"ECFRS-P-02", "ECFRS-P-03"},
        # the finished action's LastUpdated date stands for its completion date; the
        # export holds CoC 1's recommendation but not CoC 1 (said: it stands alone)
        warnings={("MISSING_COLUMN", "Export"), ("NO_SUCH_CONCERN", "Export!C2")},
        parents={item: None},
        sheets={"Export": "flat"})


DYFED_POWYS = "PEEL: Police effectiveness 2018 – Dyfed-Powys Police"


def welsh_bilingual_tracker(path) -> Expect:
    """A Welsh force's tracker with every header in Welsh and English ('Statws / Status'),
    its sheet named in both."""
    head = ["Adroddiad / Report", "Dyddiad cyhoeddi / Date published", "Cyfeirnod / Ref",
            "Maes i'w wella / Area for improvement", "Cam gweithredu / Action",
            "Perchennog / Owner", "Dyddiad targed / Target date", "Statws / Status",
            "Diweddariad / Update"]
    pub = D(2019, 5, 2)
    afis = ["The force should ensure it has a clear strategy for neighbourhood policing that "
            "is understood at all levels of the force.",
            "The force should ensure that there is sufficient capacity to carry out "
            "neighbourhood policing activities in line with its strategic approach.",
            "The force should adopt a structured and consistent problem-solving process to "
            "enable it to tackle crime and anti-social behaviour more effectively.",
            "The force should evaluate and share effective practice routinely, both internally "
            "and with other organisations, to improve its prevention of crime and anti-social "
            "behaviour."]
    rows = [["Heddlu Dyfed-Powys Police: argymhellion AHEM / HMICFRS recommendations"], [], head,
            [DYFED_POWYS, pub, "AFI 1", afis[0], "Publish the neighbourhood policing strategy",
             "Supt Neighbourhoods", D(2019, 12, 31), "Complete", ""],
            [DYFED_POWYS, pub, "AFI 2", afis[1], "Review neighbourhood team capacity",
             "Supt Neighbourhoods", D(2020, 3, 31), "Complete", ""],
            [DYFED_POWYS, pub, "AFI 3", afis[2], "Train neighbourhood teams in problem solving",
             "Ch Insp Prevention", D(2027, 3, 31), "In progress", "Two of four teams trained"],
            [DYFED_POWYS, pub, "AFI 4", afis[3], "Set up an effective practice forum",
             "Ch Insp Prevention", D(2026, 6, 30), "Not started", ""]]
    write(path, {"Traciwr - Tracker": rows})
    a = [f"PEEL {n}" for n in ("AFI 1", "AFI 2", "AFI 3", "AFI 4")]
    return Expect(
        layout="flat",
        counts={"inspections": 1, "items": 4, "actions": 4},
        items=[(x, "Area for improvement", x[-1], x[5:]) for x in a],
        actions={f"{x} A1": x for x in a},
        overdue={f"{a[3]} A1"},
        warnings={("MISSING_COLUMN", "Traciwr - Tracker"),
                  ("COMPLETE_NO_DATE", "Traciwr - Tracker!H4"),
                  ("COMPLETE_NO_DATE", "Traciwr - Tracker!H5")},
        sheets={"Traciwr - Tracker": "flat"})


def tracker_headers_not_matched(path, with_alias: bool = False) -> Expect:
    """A flat tracker in its own words ('What we will do', 'Who', 'When', 'Where it
    stands'): refused, not as 'Items but no sheet of Inspections and Actions' (the wrong
    cause it was once given) but with what it lacks as one row per action and the Settings
    rows, guessed from the cells, that read it; read once they are pasted."""
    head = ["Report", "Date", "Ref", "Recommendation", "What we will do", "Who", "When",
            "Where it stands"]
    pub = D(2025, 3, 14)
    rows = [head] + [[PEEL, pub, f"AFI {n}", f"The force should improve {topic}.",
                      f"Review {topic}", who, D(2026, n, 28), "On track"]
                     for n, topic, who in ((1, "crime recording", "DCI Reed"),
                                           (2, "victim updates", "Supt Lowe"),
                                           (3, "vetting", "Ms Patel"))]
    suggested = ["Alias: Status\tWhere it stands", "Alias: Due\tWhen",
                 "Alias: Published\tDate", "Alias: Action\tWhat we will do"]
    sheets = {"Tracker": rows}
    if with_alias:
        sheets["Settings"] = [row.split("\t") for row in suggested]
    write(path, sheets)
    ids = [f"{PEEL_ID} AFI {n}" for n in (1, 2, 3)]
    return Expect(
        layout="flat",
        counts={"inspections": 1, "items": 3, "actions": 3},
        items=[(i, "Area for improvement", i[-1], i[10:]) for i in ids],
        actions={f"{i} A1": i for i in ids},
        overdue={f"{i} A1" for i in ids},
        warnings={("MISSING_COLUMN", "Tracker"), ("NORMALISED", "Tracker!H2"),
                  ("NORMALISED", "Tracker!H3"), ("NORMALISED", "Tracker!H4")},
        refused=("Sheet 'Tracker' (headers on row 1) was taken for a sheet of Items ('Report' "
                 "as Inspection ID, 'Ref' as Item ID, 'Recommendation' as Text); as one row "
                 "per action it has no column for Published (the date HMICFRS published the "
                 "report), Action (what the force will do), Due (the date the action was "
                 "agreed to be done by) or Status (where the action stands); headers not "
                 "placed: 'Date', 'What we will do', 'When', 'Where it stands'"),
        suggested=suggested,
        sheets={"Tracker": "flat"})


SHAPES = {f.__name__: f for f in (
    pcc_panel_flat_tracker, open_and_archive_sheets, one_sheet_per_report, fire_action_plan,
    inspections_recommendations_completed_actions, section_headings_totals_and_key,
    thematic_with_gain_dates_per_action, text_column_not_placed,
    two_trackers_and_a_hidden_old_copy, action_refs_restart_in_each_item,
    blank_cells_continue_the_item_above, two_row_banded_header, fire_plan_as_cards,
    performance_system_export, welsh_bilingual_tracker, tracker_headers_not_matched,
    bare_ref_beside_the_items_words)}


def unaccounted(path, reg) -> list[str]:
    """Every non-empty cell of the workbook that was neither read nor named: read with
    openpyxl (not the reader under test) and checked against the plan describe prints."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    plans = {s.name: s for s in reg.plan.sheets}
    lost = []
    for ws in wb.worksheets:
        s = plans[ws.title]
        if s.role in ("not read", "settings"):
            if not s.reason:
                lost.append(f"{ws.title}: not read and no reason given")
            continue
        listed = {c.index for c in s.columns}
        above = {c for c, _ in s.titles} | {c for _, c in s.meta.values()} | s.labels
        skipped = {int("".join(ch for ch in cell if ch.isdigit())) for cell, _ in s.skipped}
        read = set(s.read_rows)
        for r0, row in enumerate(ws.iter_rows(values_only=True)):
            for c0, v in enumerate(row):
                if v in (None, "") or (isinstance(v, str) and not v.strip()):
                    continue
                from gain_workbook.core.sniff import col_letter

                cell = f"{col_letter(c0)}{r0 + 1}"
                if cell in s.labels:           # a label above a table, or a card's
                    ok = True
                elif r0 < s.header_row:
                    ok = cell in above
                elif r0 == s.header_row:
                    ok = c0 in listed
                else:
                    ok = (r0 in read and c0 in listed) or r0 + 1 in skipped
                if not ok:
                    lost.append(f"{ws.title}!{cell} ({v!r})")
    return lost


# ================================================================ generated shapes
#
# Registers generated in every layout offices keep, with the headers of every vocabulary
# they write and the values in every style the reader understands: a family is a
# (layout, vocabulary) pair; each register of it is drawn from a seed (the data, from
# scripts/make_register.py, and a style for its dates and refs). ``build`` writes one and
# returns what it must read as: the tables it was made from, as ``canonical`` rows.
# tests/test_generated_shapes.py reads hundreds of them and measures, family by family,
# how many read back to their tables (a refusal is a miss, never a pass).

LAYOUTS = ("template", "flat", "open/archive", "per report", "two-row headers", "cards")
VOCABULARIES = ("everyday", "bilingual", "export", "abbreviated")
DATE_STYLES = ("date cells", "dates as text", "date serials")
REF_STYLES = ("kind column", "R1", "Rec 1", "Recommendation 1")

# The columns a generated register carries (our template's headers), by table.
INSPECTION_COLS = ("Inspection ID", "Title", "Published", "Type")
ITEM_COLS = ("Kind", "Number", "Text", "Applies to force", "Lead", "HMICFRS status")
ACTION_COLS = ("Action", "Owner", "Due", "Revised due", "Status", "Completed on",
               "Latest update")

# Each vocabulary's ways of writing each header; a register draws one of each.
VOCAB = {
    "everyday": {
        "Inspection ID": ["Report ref", "Inspection reference"],
        "Title": ["Report", "Report title", "Inspection"],
        "Published": ["Date of Report", "Date Published", "Publication date"],
        "Type": ["Report type", "Type of inspection"],
        "Kind": ["Type of finding", "Recommendation type", "Rec or AFI"],
        "Number": ["Rec No.", "No.", "Number"],
        "Text": ["Recommendation / AFI text", "Area for Improvement / Recommendation",
                 "Recommendation"],
        "Applies to force": ["Applicable?", "Applies to us?"],
        "Lead": ["Recommendation lead", "AFI owner"],
        "HMICFRS status": ["HMICFRS status", "Inspectorate status"],
        "Action": ["Action(s) agreed", "Action description", "Action"],
        "Owner": ["Responsible Officer", "Action Lead", "Owner (Name)"],
        "Due": ["Target Completion Date", "Target date (original)", "Due date"],
        "Revised due": ["Revised Target", "New target date", "Revised Target Completion"],
        "Status": ["Action status", "Status", "Progress status"],
        "Completed on": ["Date completed", "Actual completion date"],
        "Latest update": ["Current Position", "Progress to date", "Update"],
    },
    "bilingual": {
        "Inspection ID": ["Cyfeirnod yr adroddiad / Report ref"],
        "Title": ["Adroddiad / Report", "Teitl yr adroddiad / Report title"],
        "Published": ["Dyddiad cyhoeddi / Date published"],
        "Type": ["Math yr adroddiad / Report type"],
        "Kind": ["Math / Type"],
        "Number": ["Rhif / No.", "Rhif / Number"],
        "Text": ["Argymhelliad / Recommendation", "Maes i'w wella / Area for improvement"],
        "Applies to force": ["Yn berthnasol? / Applicable?"],
        "Lead": ["Arweinydd yr argymhelliad / Recommendation lead"],
        "HMICFRS status": ["Statws AHEM / HMICFRS status"],
        "Action": ["Cam gweithredu / Action"],
        "Owner": ["Perchennog / Owner", "Swyddog cyfrifol / Responsible officer"],
        "Due": ["Dyddiad targed / Target date"],
        "Revised due": ["Dyddiad targed diwygiedig / Revised target date"],
        "Status": ["Statws / Status"],
        "Completed on": ["Dyddiad cwblhau / Date completed"],
        "Latest update": ["Diweddariad / Update", "Cynnydd / Progress"],
    },
    "export": {          # a performance system's field names (Camms, Pentana, SharePoint)
        "Inspection ID": ["ReportID", "Report_Ref"],
        "Title": ["ReportTitle", "Report_Title", "Report_x0020_Title"],
        "Published": ["PublishedDate", "Published_Date", "Date_x0020_Published"],
        "Type": ["ReportType", "Report_Type"],
        "Kind": ["FindingType", "Finding_Type"],
        "Number": ["RecNo", "Rec_No", "Rec_x0020_No"],
        "Text": ["Parent_Title", "RecText", "Recommendation_Text"],
        "Applies to force": ["Applicable", "Applies_To_Force"],
        "Lead": ["RecLead", "Rec_Owner"],
        "HMICFRS status": ["HMICFRSStatus", "HMICFRS_Status"],
        "Action": ["ActionTitle", "Action_Description"],
        "Owner": ["AssignedTo", "Owner_Name", "Assigned_x0020_To"],
        "Due": ["DueDate", "Due_Date", "Due_x0020_Date"],
        "Revised due": ["RevisedDueDate", "Revised_Due_Date"],
        "Status": ["ActionStatus", "Status"],
        "Completed on": ["CompletedDate", "Completion_Date"],
        "Latest update": ["LatestUpdate", "Progress_Notes"],
    },
    "abbreviated": {
        "Inspection ID": ["Rpt Ref", "Insp. Ref"],
        "Title": ["Rpt", "Rpt Title", "Insp."],
        "Published": ["Pub. Dt", "Dt Pub."],
        "Type": ["Rpt Type", "Insp. Type"],
        "Kind": ["Rec Type", "Type"],
        "Number": ["Rec No.", "No."],
        "Text": ["Rec Txt", "Rec / AFI Txt"],
        "Applies to force": ["Appl.?", "Applic."],
        "Lead": ["Rec Ld", "Rec Lead"],
        "HMICFRS status": ["HMICFRS Sts", "HMICFRS Stat."],
        "Action": ["Actn", "Actn Desc."],
        "Owner": ["Ownr", "Resp. Officer"],
        "Due": ["Tgt Dt", "Tgt Date"],
        "Revised due": ["Rev. Tgt Dt", "Revd Tgt"],
        "Status": ["Sts", "Actn Sts"],
        "Completed on": ["Compl. Dt", "Dt Compl."],
        "Latest update": ["Upd.", "Latest Upd."],
    },
}
# Two rows of headers: the group over each table's columns, and the short headers under it.
GROUPS = {"inspections": ["Report", "Inspection report"],
          "items": ["HMICFRS recommendation", "Recommendation / AFI"],
          "actions": ["Force response", "Action plan"], "progress": ["Progress"]}
SHORT = {"Title": ["Title"], "Published": ["Published", "Date"], "Type": ["Type"],
         "Inspection ID": ["Ref"], "Kind": ["Type", "Kind"], "Number": ["Ref", "No."],
         "Text": ["Detail", "Text", "Description"], "Applies to force": ["Applicable?"],
         "Lead": ["Lead"], "HMICFRS status": ["HMICFRS status"],
         "Action": ["Detail", "Description"], "Owner": ["Lead", "Owner"],
         "Due": ["Target date", "Due"], "Revised due": ["Revised target date"],
         "Status": ["Status"], "Completed on": ["Date completed"],
         "Latest update": ["Update", "Commentary"]}
KIND_ABBR = {"Recommendation": "R", "Area for improvement": "AFI", "Cause of concern": "CoC"}
KIND_WORD = {"R1": KIND_ABBR, "Rec 1": {"Recommendation": "Rec ", "Area for improvement": "AFI ",
                                        "Cause of concern": "CoC "},
             "Recommendation 1": {k: k + " " for k in KIND_ABBR}}
EXCEL_EPOCH = dt.date(1899, 12, 30)


# Registers of families the reader does not claim, and the words its refusal must say.
FLAWS = {
    "no action column": "as one row per action it has no column for Action",
    "card without its words": "is laid out as cards (per item",
    "card with other headers": "has a table with other headers",
}
# An office's own columns, which must be kept beside (never lost, never read as ours).
OWN_COLUMNS = {"Pillar": ["Effectiveness", "Efficiency", "People"],
               "Cost code": ["CC101", "CC204"], "Notes for the PA": ["Chase in May", None]}


@dataclass
class Spec:
    """One generated register: its family, the seed of its data and style, its size, and
    (for a family the reader does not claim) its flaw."""

    layout: str
    vocab: str
    seed: int
    n: int = 12
    flaw: str = ""

    @property
    def family(self) -> str:
        return f"{self.layout} × {self.vocab}" + (f" ({self.flaw})" if self.flaw else "")


def generated_data(seed: int, n: int) -> dict:
    """make_register's data, each item's words made its own (two items of one report never
    share their words, as in a real report)."""
    from conftest import make_register

    data = make_register.generate(n, seed=seed)
    for item in data["items"]:
        item["Text"] = item["Text"].replace(
            f"(item {item['Number']})", f"({KIND_ABBR[item['Kind']]} {item['Number']})")
    return data


def _pick(rng: random.Random, options: list):
    return options[rng.randrange(len(options))]


class _Style:
    """How one generated register writes its headers, dates and refs."""

    def __init__(self, spec: Spec):
        rng = random.Random(f"{spec.seed}/{spec.layout}/{spec.vocab}")
        self.rng = rng
        self.headers = {col: _pick(rng, words) for col, words in VOCAB[spec.vocab].items()}
        self.dates = _pick(rng, DATE_STYLES)
        self.refs = _pick(rng, REF_STYLES)
        self.ids = spec.layout == "template" or rng.random() < 0.5
        self.short = {col: _pick(rng, words) for col, words in SHORT.items()}
        self.groups = {t: _pick(rng, words) for t, words in GROUPS.items()}
        self.text_date = _pick(rng, ["%d/%m/%Y", "{d} %B %Y"])
        self.title_rows = rng.randrange(4)           # rows of titles above the headers
        self.own = _pick(rng, [None] + sorted(OWN_COLUMNS))   # an office's own column
        self.shuffle = rng.random() < 0.5            # the columns in another order
        # a card's labels: 'Ref No.' | 'E1'; 'Ref No. E1' in one cell; 'Recommendation 9:'
        self.card_labels = _pick(rng, ["two cells", "one cell", "numbered"])

    def order(self, cols: list) -> list:
        """The columns in the order this register keeps them (an own column among them)."""
        cols = list(cols) + ([self.own] if self.own else [])
        if self.shuffle:
            self.rng.shuffle(cols)
        return cols

    def titles(self) -> list:
        return [["HMICFRS recommendations tracker"], ["As at 30 November 2026"],
                ["OFFICIAL-SENSITIVE"]][:self.title_rows] + ([[]] if self.title_rows else [])

    def date(self, v):
        if not isinstance(v, dt.date):
            return v
        if self.dates == "dates as text":
            return v.strftime(self.text_date.replace("{d}", str(v.day)))
        if self.dates == "date serials":
            return (v - EXCEL_EPOCH).days
        return v

    def number(self, item) -> str:
        if self.refs == "kind column":
            return item["Number"]
        return f"{KIND_WORD[self.refs][item['Kind']]}{item['Number']}"

    def columns(self, table: str) -> list:
        cols = {"inspections": INSPECTION_COLS, "items": ITEM_COLS, "actions": ACTION_COLS}[table]
        return [c for c in cols if not (c == "Inspection ID" and not self.ids)
                and not (c == "Kind" and self.refs != "kind column")]

    def value(self, col: str, row: dict):
        if col == "Number":
            return self.number(row)
        if col in OWN_COLUMNS:
            return _pick(self.rng, OWN_COLUMNS[col])
        return self.date(row.get(col))

    def head(self, col: str) -> str:
        return col if col in OWN_COLUMNS else self.headers[col]


def _rows(data: dict) -> list:
    """(inspection, item, action or {}) for each row of one row per action."""
    insp = {i["Inspection ID"]: i for i in data["inspections"]}
    by_item: dict = {}
    for a in data["actions"]:
        by_item.setdefault(a["Item ID"], []).append(a)
    return [(insp[item["Inspection ID"]], item, a) for item in data["items"]
            for a in by_item.get(item["Item ID"]) or [{}]]


def _flat_table(style: _Style, rows: list, cols: list) -> list:
    return [[style.value(c, {**ins, **item, **act}) for c in cols] for ins, item, act in rows]


def build(spec: Spec, path) -> dict:
    """Write the register ``spec`` describes to ``path``; what it must read as
    (``canonical``)."""
    data = generated_data(spec.seed, spec.n)
    style = _Style(spec)
    head = style.head
    ins_cols, item_cols, act_cols = (style.columns(t) for t in ("inspections", "items",
                                                               "actions"))
    if spec.flaw == "no action column":
        act_cols = [c for c in act_cols if c != "Action"]
    sheets, merges = {}, {}
    layout = spec.layout
    if layout == "template":
        ours = {"Inspection ID", "Item ID"}
        for table, cols in (("inspections", style.order(ins_cols)),
                            ("items", ["Item ID", "Inspection ID"] + style.order(item_cols)),
                            ("actions", ["Action ID", "Item ID"] + style.order(act_cols))):
            heads = [h if h in ours | {"Action ID"} else head(h) for h in cols]
            sheets[table.capitalize()] = [heads] + [[style.value(c, r) for c in cols]
                                                    for r in data[table]]
    elif layout in ("flat", "open/archive"):
        cols = style.order(ins_cols + item_cols + act_cols)
        rows = _rows(data)
        table = [[head(c) for c in cols]] + _flat_table(style, rows, cols)
        if layout == "flat":
            sheets["Tracker"] = style.titles() + table
        else:
            done = [i for i, (_, _, a) in enumerate(rows) if a.get("Status") in
                    ("Complete", "Closed")]
            sheets["Open actions"] = [table[0]] + [r for i, r in enumerate(table[1:])
                                                   if i not in done]
            sheets["Archive"] = [table[0]] + [r for i, r in enumerate(table[1:]) if i in done]
    elif layout == "per report":
        cols = style.order(item_cols + act_cols)
        for k, ins in enumerate(data["inspections"], start=1):
            rows = [r for r in _rows(data) if r[0] is ins]
            sheets[f"Report {k}"] = [["Report:", ins["Title"]],
                                     ["Published:", style.date(ins["Published"])],
                                     ["Type:", ins["Type"]], [],
                                     [head(c) for c in cols]] + _flat_table(style, rows, cols)
            if style.ids:
                sheets[f"Report {k}"].insert(3, ["Ref:", ins["Inspection ID"]])
    elif layout == "two-row headers":
        bands = [("inspections", list(ins_cols)), ("items", list(item_cols)),
                 ("actions", [c for c in act_cols if c not in ("Status", "Completed on",
                                                               "Latest update")]),
                 ("progress", [c for c in act_cols if c in ("Status", "Completed on",
                                                             "Latest update")])]
        if style.shuffle:
            for _, cs in bands:
                style.rng.shuffle(cs)
        if style.own:                         # an office's column at the right, no group
            bands.append(("", [style.own]))
        cols = [c for _, cs in bands for c in cs]
        group_row, sub_row, ranges, at = [], [], [], 1
        for band, cs in bands:
            if not band:
                group_row.append(None)
                sub_row += cs
                continue
            group_row += [style.groups[band]] + [None] * (len(cs) - 1)
            sub_row += [style.short[c] if not (c == "Inspection ID") else "Ref" for c in cs]
            ranges.append(f"{col_letter(at - 1)}2:{col_letter(at + len(cs) - 2)}2")
            at += len(cs)
        sheets["Tracker"] = style.titles()[:-1] + [group_row, sub_row] + \
            _flat_table(style, _rows(data), cols)
        at_row = len(style.titles()[:-1]) + 1
        ranges = [re.sub(r"\d+", str(at_row), r) for r in ranges]     # the group row
        merges["Tracker"] = [r for r in ranges if r.split(":")[0][:-1] != r.split(":")[1][:-1]]
    elif layout == "cards":
        for k, ins in enumerate(data["inspections"], start=1):
            rows = [["Report:", ins["Title"]], ["Published:", style.date(ins["Published"])],
                    ["Type:", ins["Type"]]]
            if style.ids:
                rows.append(["Ref:", ins["Inspection ID"]])
            acts = {}
            for a in data["actions"]:
                acts.setdefault(a["Item ID"], []).append(a)
            cols = style.order(act_cols)
            for n_item, item in enumerate(i for i in data["items"]
                                          if i["Inspection ID"] == ins["Inspection ID"]):
                words = not (spec.flaw == "card without its words" and n_item == 1)
                ref, kind, text = style.number(item), item["Kind"], item["Text"]
                if style.card_labels == "numbered" and words:
                    rows += [[], [f"{kind} {ref}:"], [text]]
                elif style.card_labels == "one cell":
                    rows += [[], [f"Ref No. {ref}"]] + ([[f"{kind}: {text}"]] if words else [])
                else:
                    rows += [[], ["Ref No.", ref]] + ([[f"{kind}:", text]] if words else [])
                for col in ("Applies to force", "Lead", "HMICFRS status"):
                    if item.get(col):
                        rows.append([f"{head(col)}:", item[col]])
                heads = [head(c) for c in cols]
                if spec.flaw == "card with other headers" and n_item == 1:
                    heads = ["Milestone", "Who", "When", "Where it stands", "Notes"]
                rows.append(heads)
                rows += [[style.value(c, a) for c in cols] for a in acts.get(item["Item ID"], [])]
            sheets[f"Report {k}"] = rows
    write(path, sheets, merges)
    return canonical_data(data)


def _digits(number) -> str:
    return re.sub(r"\D", "", str(number)) if number not in (None, "") else ""


def _clean(v):
    if v is None or v == "" or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    return v


def canonical_data(data: dict) -> dict:
    """The tables a generated register was made from, as rows to compare: each row by what
    it says, linked by the words of the item and the title of the report (never by ids,
    which a register without them gets made up)."""
    insp = {i["Inspection ID"]: i for i in data["inspections"]}
    items = {i["Item ID"]: i for i in data["items"]}
    return {
        "inspections": sorted((i["Title"], i["Published"], i["Type"])
                              for i in data["inspections"]),
        "items": sorted((insp[i["Inspection ID"]]["Title"], i["Kind"], _digits(i["Number"]),
                         i["Text"], i["Applies to force"], _clean(i.get("Lead")),
                         i["HMICFRS status"]) for i in data["items"]),
        "actions": sorted(((items[a["Item ID"]]["Text"], a["Action"], a["Owner"], a["Due"],
                            _clean(a.get("Revised due")), a["Status"],
                            _clean(a.get("Completed on")), _clean(a.get("Latest update")))
                           for a in data["actions"]), key=str),
    }


def canonical(reg) -> dict:
    """What a register was read as, in the rows of ``canonical_data``."""
    ins, it, ac = reg.inspections.frame, reg.items.frame, reg.actions.frame
    title = dict(zip(ins["inspection_id"], ins["title"]))
    text = dict(zip(it["item_id"], it["item_text"]))
    return {
        "inspections": sorted((_clean(t), _clean(p), _clean(ty)) for t, p, ty in
                              zip(ins["title"], ins["published"], ins["inspection_type"])),
        "items": sorted((title.get(i), _clean(k), _digits(n), _clean(t), _clean(a),
                         _clean(ld), _clean(h)) for i, k, n, t, a, ld, h in
                        zip(it["item_inspection_id"], it["kind"], it["number"], it["item_text"],
                            it["applies"], it["item_lead"], it["hmicfrs_status"])),
        "actions": sorted(((text.get(i), _clean(t), _clean(o), _clean(d), _clean(rd),
                            _clean(s), _clean(c), _clean(u)) for i, t, o, d, rd, s, c, u in
                           zip(ac["action_item_id"], ac["action_text"], ac["owner"], ac["due"],
                               ac["revised_due"], ac["action_status"], ac["completed"],
                               ac["latest_update"])), key=str),
    }
