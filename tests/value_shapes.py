"""Registers whose *values* are written as published trackers write them, built in code,
each with what it must read as, worked out by hand (issue 26, part B).

Where each came from, and what in it is the office's own (the actions, owners and dates
a clerk would have typed), is in tests/data/value-shapes/README.md:

* a national report's tracker with N/A rows (the force's response to the group-based
  child sexual exploitation report: nine recommendations, one area for improvement,
  three recommendations and the AFI for forces), refs 'R1' ... 'R9' and a lone 'AFI',
  deadlines only in the items' words, statuses with notes;
* a two-force alliance tracker (West Mercia and Warwickshire, PEEL 2018/19), a Force
  column with 'Both', refs 'Rec 1' and 'CoC 1';
* a tracker that writes closure in free text (Devon and Cornwall, PEEL 2023–2025):
  'Closed by HMICFRS 26/09/2024', a cause of concern with its recommendation 'CoC1-R1',
  a deadline 'Within three months' in the recommendation's words;
* one sheet per report with refs 'AFI 1', 'AFI 2' (Warwickshire, PEEL 2021/22),
  statuses differing from ours in capitals only, due dates typed as text and as serials.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from shapes import write

D = dt.date


@dataclass
class ValueExpect:
    """What a register must read as, by hand."""

    layout: str
    as_of: dt.date
    counts: dict
    items: dict          # item_id -> {kind, number, label, applies, deadline, ...} (those given)
    actions: dict        # action_id -> {item, status, completed, due} (those given)
    warnings: set        # (code, where)
    errors: set = field(default_factory=set)
    overdue: set = field(default_factory=set)
    headings: list = field(default_factory=list)   # the published response's item headings
    made: str = ""       # its 'HMICFRS made ...' sentence
    for_forces: str = ""   # its 'The report included ... for forces' sentence
    settings: dict = field(default_factory=dict)   # Settings rows to write
    choices: dict = field(default_factory=dict)    # 'Rows for force' -> (counts, action ids)


# ---------------------------------------------------------------- 1

CSE = ("An inspection of the effectiveness of the police and law enforcement bodies' response "
       "to group-based child sexual exploitation in England and Wales")
CSE_TEXT = {
    "R1": "By 31 December 2024, the Home Office, the Department for Education, the Welsh "
          "Government, the National Crime Agency, the National Police Chiefs' Council and the "
          "College of Policing should adopt the Independent Inquiry into Child Sexual Abuse's "
          "definition of an 'organised network' as a definition of group-based child sexual "
          "exploitation.",
    "R2": "By 31 December 2024, all chief constables should make sure that their forces have "
          "problem profiles for child sexual exploitation, each of which should include an "
          "assessment of the nature and extent of group-based child sexual exploitation.",
    "R3": "By 30 May 2025, the National Crime Agency should produce an assessment of "
          "group-based child sexual exploitation as part of its annual strategic assessment "
          "of serious and organised crime.",
    "R4": "By 31 December 2024, all chief constables and the relevant business user groups "
          "for police record management systems should make sure there are sufficient "
          "measures in place to identify group-based child sexual exploitation.",
    "R5": "By 31 March 2025, the Home Office should stop collecting group-based child sexual "
          "exploitation data through its annual data requirement on custody, known as ADR149.",
    "R6": "By 31 March 2026, the Home Office should introduce a new and specific annual data "
          "requirement on group-based child sexual exploitation.",
    "R7": "By 31 December 2024, the College of Policing should update its authorised "
          "professional practice on child sexual exploitation to include group-based child "
          "sexual exploitation.",
    "R8": "By 30 June 2024, all chief constables of forces that are yet to receive the Hydrant "
          "Programme's continuing professional development offer should arrange it.",
    "R9": "With immediate effect, all chief constables should take effective steps to "
          "eradicate victim-blaming language in their forces.",
    "AFI": "All chief constables should work with their statutory safeguarding partners to "
           "review, promote and make sure that relevant group-based child sexual exploitation "
           "disruption and prevention initiatives are implemented effectively in their forces.",
}
WAITING = "Not started – plenary awaits the NPCC CSE Taskforce letter"


def national_tracker_with_na_rows(path) -> ValueExpect:
    pub = D(2023, 12, 8)
    head = ["Report", "Published", "Ref", "Recommendation / AFI", "Action", "Owner",
            "Target date", "Status"]
    na = {"R1": "N/A – for the Home Office, DfE, Welsh Government, NCA, NPCC and College of "
                "Policing",
          "R3": "N/A – for the National Crime Agency", "R5": "N/A – for the Home Office",
          "R6": "N/A – for the Home Office", "R7": "N/A – for the College of Policing",
          "R8": "N/A – Hydrant CPD offer already received"}
    actions = {"R2": ("Produce a CSE problem profile including group-based CSE",
                      "D/Supt Public Protection", D(2024, 12, 31), WAITING),
               "R4": ("Check Niche flags identify group-based CSE", "Head of Crime Recording",
                      D(2024, 12, 31), WAITING),
               "R9": ("Brief all staff on victim-blaming language", "Ch Supt Safeguarding",
                      D(2024, 3, 31), "In Progress"),
               "AFI": ("Review disruption initiatives with safeguarding partners",
                       "D/Supt Public Protection", D(2024, 9, 30),
                       "Complete - awaiting HMICFRS closure")}
    rows = [["HMICFRS recommendations tracker: national reports"], [], head]
    for ref, text in CSE_TEXT.items():
        if ref in na:
            rows.append([CSE, pub, ref, text, na[ref]])
        else:
            rows.append([CSE, pub, ref, text, *actions[ref]])
    write(path, {"Tracker": rows})
    i = {ref: f"{CSE} {ref}" for ref in CSE_TEXT}
    deadline = {"R1": D(2024, 12, 31), "R2": D(2024, 12, 31), "R3": D(2025, 5, 30),
                "R4": D(2024, 12, 31), "R5": D(2025, 3, 31), "R6": D(2026, 3, 31),
                "R7": D(2024, 12, 31), "R8": D(2024, 6, 30), "R9": pub, "AFI": None}
    who = {"R1": "the Home Office, DfE, Welsh Government, NCA, NPCC and College of Policing",
           "R3": "the National Crime Agency", "R5": "the Home Office", "R6": "the Home Office",
           "R7": "the College of Policing", "R8": None}
    items = {}
    for ref in CSE_TEXT:
        kind = "Area for improvement" if ref == "AFI" else "Recommendation"
        items[i[ref]] = {"kind": kind, "number": None if ref == "AFI" else ref[1:],
                         "label": ref, "applies": "No" if ref in na else "Yes",
                         "deadline": deadline[ref], "addressee": who.get(ref)}
    return ValueExpect(
        layout="flat", as_of=D(2024, 6, 30),
        counts={"inspections": 1, "items": 10, "actions": 4},
        items=items,
        actions={f"{i['R2']} A1": {"item": i["R2"], "status": "Not started"},
                 f"{i['R4']} A1": {"item": i["R4"], "status": "Not started"},
                 f"{i['R9']} A1": {"item": i["R9"], "status": "In progress"},
                 f"{i['AFI']} A1": {"item": i["AFI"], "status": "Complete"}},
        warnings={("NOT_FOR_FORCE_ROW", "Tracker!E4"), ("NOT_FOR_FORCE_ROW", "Tracker!E6"),
                  ("NOT_FOR_FORCE_ROW", "Tracker!E8"), ("NOT_FOR_FORCE_ROW", "Tracker!E10"),
                  ("NOT_FOR_FORCE_ROW", "Tracker!E11"), ("READ_WITH_NOTE", "Tracker!H5"),
                  ("READ_WITH_NOTE", "Tracker!H13"), ("COMPLETE_NO_DATE", "Tracker!H13"),
                  ("MISSING_COLUMN", "Tracker"), ("RESPONSES_NOT_RECORDED", "Tracker"),
                  ("NO_FORCE_NAME", "Settings")},
        overdue={f"{i['R9']} A1"},
        headings=[f"Recommendation {n}" for n in range(1, 10)] + ["Area for improvement"],
        made="HMICFRS made nine recommendations and identified one area for improvement.",
        for_forces="The report included 3 recommendations and 1 area for improvement for "
                   "forces:")


# ---------------------------------------------------------------- 2

WMP = "PEEL: Police effectiveness, efficiency and legitimacy 2018/19 – West Mercia Police"
WARKS = "PEEL: Police effectiveness, efficiency and legitimacy 2018/19 – Warwickshire Police"
WMP_RECS = {
    "Rec 1": "HMIC recommends that the force should immediately: conduct a review of officers’ "
             "capabilities and capacity to manage their investigative workload, to better "
             "understand investigative demand and the pressures placed upon them; and",
    "Rec 2": "HMIC recommends that the force should immediately: conduct a review, involving "
             "its partners, of the approach to vulnerability to better safeguard vulnerable "
             "people.",
    "Rec 3": "HMIC recommends that the force should immediately: expand the skills project work "
             "to include an assessment of all skills, not only operational, including potential "
             "future skills requirements. This assessment should inform workforce plans;",
    "Rec 4": "HMIC recommends that the force should immediately:agree arrangements with "
             "Warwickshire Police to secure a smooth transition to its future operating model, "
             "ensuring no disruption to public services; and",
}
WARKS_COC = ("The force needs to improve the quality of its investigations. It needs to have "
             "the right structures, staffing and skills in place to investigate crimes "
             "effectively.")


def two_force_alliance_tracker(path, rows_for_force: str | None = None) -> ValueExpect:
    pub = D(2019, 9, 27)
    head = ["Force", "Report", "Published", "Ref", "Recommendation", "Action", "Lead", "Due",
            "Status"]
    rows = [head,
            ["West Mercia Police", WMP, pub, "Rec 1", WMP_RECS["Rec 1"],
             "Workload review of investigators", "Det Supt Crime (WMP)", D(2019, 12, 31),
             "Completed"],
            ["West Mercia Police", WMP, pub, "Rec 2", WMP_RECS["Rec 2"],
             "Vulnerability review with partners", "Det Supt PVP (WMP)", D(2020, 3, 31),
             "Completed"],
            ["West Mercia Police", WMP, pub, "Rec 3", WMP_RECS["Rec 3"],
             "Skills assessment for every role", "HR Director (WMP)", D(2020, 3, 31),
             "Superseded"],
            ["Both", WMP, pub, "Rec 4", WMP_RECS["Rec 4"], "Alliance exit agreement",
             "Alliance Programme Director", D(2019, 10, 8), "In progress"],
            ["Warwickshire Police", WARKS, pub, "CoC 1", WARKS_COC,
             "Investigation quality plan", "Det Supt Crime (Warks)", D(2020, 3, 31),
             "On track"],
            ["Warwickshire", WARKS, pub, "CoC 1", WARKS_COC, "Recruit investigators",
             "HR Director (Warks)", D(2020, 6, 30), "Not started"]]
    sheets = {"Alliance tracker": rows}
    settings = {}
    if rows_for_force is not None:
        settings = {"Rows for force": rows_for_force}
        sheets["Settings"] = [["Setting", "Value"], ["Force name", "Warwickshire Police"],
                              ["Rows for force", rows_for_force]]
    write(path, sheets)
    w = {r: f"{WMP} {r}" for r in WMP_RECS}
    c = f"{WARKS} CoC 1"
    acts = {f"{w['Rec 1']} A1": {"item": w["Rec 1"], "status": "Complete"},
            f"{w['Rec 2']} A1": {"item": w["Rec 2"], "status": "Complete"},
            f"{w['Rec 3']} A1": {"item": w["Rec 3"], "status": "Closed"},
            f"{w['Rec 4']} A1": {"item": w["Rec 4"], "status": "In progress"},
            f"{c} A1": {"item": c, "status": "In progress"},
            f"{c} A2": {"item": c, "status": "Not started"}}
    items = {w[r]: {"kind": "Recommendation", "number": r[-1], "label": r,
                    "deadline": pub} for r in WMP_RECS}
    items[c] = {"kind": "Cause of concern", "number": "1", "label": "CoC 1", "deadline": None}
    both = {f"{w['Rec 4']} A1"}
    warks = both | {f"{c} A1", f"{c} A2"}
    return ValueExpect(
        layout="flat", as_of=D(2020, 1, 31),
        counts={"inspections": 2, "items": 5, "actions": 6},
        items=items, actions=acts,
        warnings={("NORMALISED", "Alliance tracker!I2"), ("NORMALISED", "Alliance tracker!I3"),
                  ("NORMALISED", "Alliance tracker!I4"), ("NORMALISED", "Alliance tracker!I6"),
                  ("COMPLETE_NO_DATE", "Alliance tracker!I2"),
                  ("COMPLETE_NO_DATE", "Alliance tracker!I3"),
                  ("COMPLETE_NO_DATE", "Alliance tracker!I4"),
                  ("MISSING_COLUMN", "Alliance tracker"),
                  ("RESPONSES_NOT_RECORDED", "Alliance tracker"),
                  ("NO_FORCE_NAME", "Settings")},
        overdue={f"{w['Rec 4']} A1"},
        settings=settings,
        choices={"Warwickshire": ({"inspections": 2, "items": 2, "actions": 3}, warks),
                 "west mercia": ({"inspections": 1, "items": 4, "actions": 4},
                                 {a for a in acts if a.startswith(WMP)}),
                 "all": ({"inspections": 2, "items": 5, "actions": 6}, set(acts))})


# ---------------------------------------------------------------- 3

DC = "PEEL 2023–2025: An inspection of Devon and Cornwall Police"
DC_ID = "PEEL 2023–2025"


def closure_written_in_free_text(path) -> ValueExpect:
    pub = D(2024, 7, 31)
    head = ["Report", "Published", "Ref", "Cause of concern / recommendation",
            "HMICFRS status", "Action", "Action owner", "Due", "Status"]
    closed = "Closed by HMICFRS 26/09/2024"
    rows = [head,
            [DC, pub, "CoC 1", "Responding to the public: the force needs to improve the time "
             "it takes to answer non-emergency calls.", closed],
            [DC, pub, "CoC1-R1", "Within three months, Devon and Cornwall Police should: "
             "improve its processes for answering non-emergency calls", closed,
             "Non-emergency call handling review", "Supt Contact Centre", D(2024, 10, 31),
             "Complete – closed by HMICFRS 26/09/2024"],
            [DC, pub, "CoC 2", "Crime data integrity: crime data integrity remains a cause of "
             "concern.", "Open – remains a cause of concern after the February 2024 fieldwork",
             "Crime recording audit programme", "Force Crime Registrar", D(2025, 3, 31),
             "In progress"],
            [DC, pub, "CoC 3", "Investigations: the standards of the force's investigations "
             "have deteriorated, with many investigations lacking a detailed plan or effective "
             "supervision.", "Open – HMICFRS to review at next PEEL",
             "Investigation standards plan", "Det Ch Supt Crime", D(2024, 12, 31), "On track"]]
    write(path, {"Tracker": rows})
    i = {r: f"{DC_ID} {r}" for r in ("CoC 1", "CoC1-R1", "CoC 2", "CoC 3")}
    closed_on = D(2024, 9, 26)
    return ValueExpect(
        layout="flat", as_of=D(2024, 11, 30),
        counts={"inspections": 1, "items": 4, "actions": 3},
        items={i["CoC 1"]: {"kind": "Cause of concern", "number": "1", "label": "CoC 1",
                            "hmicfrs_status": "Closed – complete",
                            "hmicfrs_closed": closed_on, "deadline": None},
               i["CoC1-R1"]: {"kind": "Recommendation", "number": "1", "label": "CoC1-R1",
                              "parent_item": i["CoC 1"], "hmicfrs_status": "Closed – complete",
                              "hmicfrs_closed": closed_on, "deadline": D(2024, 10, 31)},
               i["CoC 2"]: {"kind": "Cause of concern", "number": "2", "label": "CoC 2",
                            "hmicfrs_status": "Open", "hmicfrs_closed": None},
               i["CoC 3"]: {"kind": "Cause of concern", "number": "3", "label": "CoC 3",
                            "hmicfrs_status": "Open"}},
        actions={f"{i['CoC1-R1']} A1": {"item": i["CoC1-R1"], "status": "Complete",
                                        "completed": closed_on},
                 f"{i['CoC 2']} A1": {"item": i["CoC 2"], "status": "In progress",
                                      "completed": None},
                 f"{i['CoC 3']} A1": {"item": i["CoC 3"], "status": "In progress"}},
        warnings={("READ_WITH_NOTE", "Tracker!E2"), ("READ_WITH_NOTE", "Tracker!E4"),
                  ("READ_WITH_NOTE", "Tracker!E5"), ("READ_WITH_NOTE", "Tracker!I3"),
                  ("NORMALISED", "Tracker!I5"), ("MISSING_COLUMN", "Tracker"),
                  ("RESPONSES_NOT_RECORDED", "Tracker"), ("NO_FORCE_NAME", "Settings")})


# ---------------------------------------------------------------- 4

WARKS_22 = "PEEL 2021/22 – An inspection of Warwickshire Police"


def afi_refs_capitals_and_serial_dates(path) -> ValueExpect:
    head = ["AFI No.", "Area for improvement", "Action", "Owner", "Target date", "Status",
            "Date completed"]
    afi1 = ("The force needs to improve how it identifies victims’ vulnerability at first "
            "point of contact.")
    afi2 = ("The force needs to make sure that it carries out effective investigations, "
            "giving victims the support they need.")
    rows = [["Report:", WARKS_22], ["Published:", D(2022, 10, 14)], [], head,
            ["AFI 1", afi1, "THRIVE+ refresher for call handlers", "Head of Contact",
             "31 March 2023", "In Progress", None],
            ["AFI 1", afi1, "Repeat caller flag on the command and control system",
             "Head of Contact", 45291, "COMPLETE", D(2023, 11, 20)],
            ["AFI 2", afi2, "Investigation supervision audit", "Det Supt Crime",
             D(2023, 6, 30), "in progress", None]]
    write(path, {"PEEL 2021-22": rows})
    a1, a2 = "PEEL 2021/22 AFI 1", "PEEL 2021/22 AFI 2"
    return ValueExpect(
        layout="per report", as_of=D(2023, 12, 31),
        counts={"inspections": 1, "items": 2, "actions": 3},
        items={a1: {"kind": "Area for improvement", "number": "1", "label": "AFI 1"},
               a2: {"kind": "Area for improvement", "number": "2", "label": "AFI 2"}},
        actions={f"{a1} A1": {"item": a1, "status": "In progress", "due": D(2023, 3, 31)},
                 f"{a1} A2": {"item": a1, "status": "Complete", "due": D(2023, 12, 31),
                              "completed": D(2023, 11, 20)},
                 f"{a2} A1": {"item": a2, "status": "In progress", "due": D(2023, 6, 30)}},
        warnings={("MISSING_COLUMN", "PEEL 2021-22"), ("RESPONSES_NOT_RECORDED", "PEEL 2021-22"),
                  ("NO_FORCE_NAME", "Settings")},
        overdue={f"{a1} A1", f"{a2} A1"},
        headings=["Area for improvement 1", "Area for improvement 2"],
        made="HMICFRS identified two areas for improvement.")


VALUE_SHAPES = {f.__name__: f for f in (
    national_tracker_with_na_rows, two_force_alliance_tracker, closure_written_in_free_text,
    afi_refs_capitals_and_serial_dates)}
