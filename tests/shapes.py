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
from dataclasses import dataclass, field

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


SHAPES = {f.__name__: f for f in (
    pcc_panel_flat_tracker, open_and_archive_sheets, one_sheet_per_report, fire_action_plan,
    inspections_recommendations_completed_actions, section_headings_totals_and_key,
    thematic_with_gain_dates_per_action, text_column_not_placed,
    two_trackers_and_a_hidden_old_copy, action_refs_restart_in_each_item,
    blank_cells_continue_the_item_above)}


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
                if r0 < s.header_row:
                    ok = cell in above
                elif r0 == s.header_row:
                    ok = c0 in listed
                else:
                    ok = (r0 in read and c0 in listed) or r0 + 1 in skipped
                if not ok:
                    lost.append(f"{ws.title}!{cell} ({v!r})")
    return lost
