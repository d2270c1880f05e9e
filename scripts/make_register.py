#!/usr/bin/env python3
"""Generate a realistic HMICFRS inspection register of any size.

    python scripts/make_register.py OUT.xlsx --actions 10000 [--layout template|flat]
                                    [--seed 1] [--as-of 2026-11-28]

Deterministic for a seed. The template layout has Inspections, Items and Actions
sheets; the flat layout is one sheet, one row per action, with a title row, a date
row and the inspection and item columns merged down each item's rows (as many
offices keep it). Used by the tests and by scripts/bench.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys

TYPES = [("Force-specific",), ("National", "Thematic"), ("PEEL",), ("Thematic",),
         ("Partner/joint", "Thematic"), ("Follow-up", "Force-specific"), ("Commissioned",)]
TOPICS = ["child sexual exploitation", "domestic abuse", "stalking and harassment",
          "custody", "vetting and counter-corruption", "neighbourhood policing",
          "missing children", "serious organised crime", "digital forensics",
          "victim services", "fraud", "roads policing", "violence against women and girls"]
OWNERS = ["DCI Intelligence", "Head of Public Protection", "Head of Information Systems",
          "Superintendent Safeguarding", "Force Crime Registrar", "Head of Professional "
          "Standards", "Chief Inspector Custody", "Head of Learning and Development",
          "Superintendent Neighbourhoods", "Head of Analysis", "Head of Contact Management"]
VERBS = ["Review", "Refresh", "Train staff on", "Audit", "Publish guidance on",
         "Agree with partners", "Introduce a dashboard for", "Update the policy on"]
ADDRESSEES = ["All chief constables", "All chief constables", "All chief constables",
              "Home Office", "College of Policing", "National Police Chiefs' Council"]
PHRASES = ["By {d}", "Not later than {d}", "Within six months", "With immediate effect",
           "By {d}", ""]
HEADERS = {
    "inspections": ["Inspection ID", "Title", "Published", "Type", "Force quoted",
                    "Executive lead", "Executive summary", "GAIN Board told", "Plenary session",
                    "Chief constable's comments received", "PCC comment", "PCC monitoring",
                    "Response sent to Home Office and HMICFRS", "Response published"],
    "items": ["Item ID", "Inspection ID", "Kind", "Number", "Text", "Addressee",
              "Applies to force", "Deadline (as written)", "Deadline date", "Lead",
              "HMICFRS status", "Ready for closure (board signed)", "No action because"],
    "actions": ["Action ID", "Item ID", "Action", "Owner", "Due", "Revised due", "Status",
                "Completed on", "Last updated", "Latest update", "Evidence"],
}


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def generate(n_actions: int, seed: int = 1, as_of: dt.date = dt.date(2026, 11, 28)) -> dict:
    """A register as dicts keyed by our template headers, with about n_actions actions."""
    rng = random.Random(seed)
    inspections, items, actions = [], [], []
    i = 0
    while len(actions) < n_actions or not inspections:
        i += 1
        published = as_of - dt.timedelta(days=rng.randint(5, 900))
        topic = rng.choice(TOPICS)
        iid = f"INS-{published.year}-{i:03d}"
        recent = (as_of - published).days < 56
        insp = {
            "Inspection ID": iid,
            "Title": f"An inspection of how well the police respond to {topic} ({i})",
            "Published": published,
            "Type": ", ".join(rng.choice(TYPES)),
            "Force quoted": rng.choice(["Yes", "No", "No"]),
            "Executive lead": rng.choice(["ACC Crime", "ACC Operations", "DCC", "ACO Resources"]),
            "Executive summary": f"HMICFRS examined how forces deal with {topic}. It found "
                                 "good practice but uneven progress across forces.",
            "GAIN Board told": published + dt.timedelta(days=rng.randint(5, 20)),
            "Plenary session": None if recent else published + dt.timedelta(days=rng.randint(30, 80)),
            "Chief constable's comments received": None if recent else published + dt.timedelta(days=30),
            "PCC comment": "The PCC welcomes the report and will monitor the force's progress.",
            "PCC monitoring": "Through the PCC's scrutiny programme.",
            "Response sent to Home Office and HMICFRS": None if recent else published + dt.timedelta(days=rng.randint(40, 60)),
            "Response published": None if recent else published + dt.timedelta(days=rng.randint(45, 70)),
        }
        if insp["GAIN Board told"] > as_of:
            insp["GAIN Board told"] = None
        inspections.append(insp)
        n_items = rng.randint(3, 14)
        counters = {"Recommendation": 0, "Area for improvement": 0, "Cause of concern": 0}
        for _ in range(n_items):
            kind = rng.choices(list(counters), weights=[6, 3, 1])[0]
            counters[kind] += 1
            number = counters[kind]
            abbr = {"Recommendation": "R", "Area for improvement": "AFI", "Cause of concern": "C"}[kind]
            item_id = f"{iid}-{abbr}{number}"
            addressee = rng.choice(ADDRESSEES)
            applies = "Yes" if addressee == "All chief constables" or rng.random() < 0.2 else "No"
            deadline_day = published + dt.timedelta(days=rng.randint(90, 540))
            phrase = rng.choice(PHRASES) if kind != "Area for improvement" else ""
            deadline = phrase.format(d=_long(deadline_day)) if phrase else ""
            n_act = rng.choice([0, 1, 2, 2, 3, 3, 4, 5]) if applies == "Yes" else 0
            status = rng.choices(["Open", "Being progressed", "Proposed for closure",
                                  "Closed – complete"], weights=[3, 5, 1, 1])[0]
            item = {
                "Item ID": item_id, "Inspection ID": iid, "Kind": kind, "Number": str(number),
                "Text": (f"{deadline}, {addressee.lower()}" if deadline else addressee)
                        + f" should improve how they deal with {topic} (item {number}).",
                "Addressee": addressee, "Applies to force": applies,
                "Deadline (as written)": deadline or None, "Deadline date": None,
                "Lead": rng.choice(OWNERS) if applies == "Yes" else None,
                "HMICFRS status": status,
                "Ready for closure (board signed)": None,
                "No action because": ("Covered by the force's existing plan." if applies == "Yes"
                                      and n_act == 0 else None),
            }
            item_actions = []
            for a in range(1, n_act + 1):
                due = published + dt.timedelta(days=rng.randint(60, 700))
                st = rng.choices(["Not started", "In progress", "On hold", "Complete",
                                  "Ready for closure", "Closed"], weights=[2, 6, 1, 4, 1, 1])[0]
                if status.startswith("Closed"):
                    st = "Closed"
                revised = due + dt.timedelta(days=rng.randint(30, 180)) if rng.random() < 0.2 else None
                updated = min(as_of, published + dt.timedelta(days=rng.randint(20, 900)))
                done = st in ("Complete", "Ready for closure", "Closed")
                item_actions.append({
                    "Action ID": f"{item_id}-A{a}", "Item ID": item_id,
                    "Action": f"{rng.choice(VERBS)} {topic} ({item_id} action {a}).",
                    "Owner": rng.choice(OWNERS), "Due": due, "Revised due": revised,
                    "Status": st, "Completed on": updated if done else None,
                    "Last updated": updated,
                    "Latest update": rng.choice(["On track.", "Awaiting partner data.",
                                                 "Draft with the lead for approval.",
                                                 "Delayed by the national programme.", None]),
                    "Evidence": f"Evidence pack {item_id}-A{a}" if done else None,
                })
            if item_actions and all(x["Status"] in ("Ready for closure", "Closed")
                                    for x in item_actions) and not status.startswith("Closed"):
                item["Ready for closure (board signed)"] = max(
                    x["Completed on"] for x in item_actions)
            items.append(item)
            actions.extend(item_actions)
    return {"settings": {"Force name": "Example Police", "Board name": "GAIN Board",
                         "Protective marking": "OFFICIAL-SENSITIVE"},
            "inspections": inspections, "items": items, "actions": actions}


def _write_value(ws, r, c, value, date_fmt):
    if value is None or value == "":
        return
    if isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value)
    else:
        ws.write_string(r, c, str(value))


def write_template(data: dict, path, rename: dict | None = None, title_rows: int = 0,
                   settings_rows: list | None = None) -> None:
    """Inspections, Items and Actions sheets (headers renamed by ``rename``)."""
    import xlsxwriter

    rename = rename or {}
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for table, sheet in (("inspections", "Inspections"), ("items", "Items"),
                         ("actions", "Actions")):
        ws = wb.add_worksheet(sheet)
        r0 = 0
        for t in range(title_rows):
            ws.write_string(r0, 0, f"{sheet} register" if t == 0 else "As at 28/11/2026")
            r0 += 1
        headers = HEADERS[table]
        for c, h in enumerate(headers):
            ws.write_string(r0, c, rename.get(h, h))
        for r, row in enumerate(data[table], start=r0 + 1):
            for c, h in enumerate(headers):
                _write_value(ws, r, c, row.get(h), date_fmt)
    ws = wb.add_worksheet("Settings")
    rows = list(data.get("settings", {}).items()) + list(settings_rows or [])
    for r, (k, v) in enumerate(rows):
        ws.write_string(r, 0, k)
        _write_value(ws, r, 1, v, date_fmt)
    wb.close()


FLAT_HEADERS = ["Inspection ID", "Title", "Published", "Type", "Item ID", "Kind", "Number",
                "Text", "Addressee", "Applies to force", "Deadline (as written)", "Lead",
                "HMICFRS status", "No action because", "Action ID", "Action", "Owner", "Due", "Revised due",
                "Status", "Completed on", "Last updated", "Latest update", "Evidence"]


def write_flat(data: dict, path, rename: dict | None = None, merge: bool = True,
               title_rows: bool = True) -> None:
    """One sheet, one row per action; item and inspection cells merged down (``merge``)."""
    import xlsxwriter

    rename = rename or {}
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("Tracker")
    r = 0
    if title_rows:
        ws.write_string(0, 0, "HMICFRS Recommendations Tracker")
        ws.write_string(1, 0, "Updated 28/11/2026")
        r = 3
    for c, h in enumerate(FLAT_HEADERS):
        ws.write_string(r, c, rename.get(h, h))
    insp = {i["Inspection ID"]: i for i in data["inspections"]}
    by_item: dict = {}
    for a in data["actions"]:
        by_item.setdefault(a["Item ID"], []).append(a)
    item_cols = [c for c, h in enumerate(FLAT_HEADERS) if h in
                 ("Inspection ID", "Title", "Published", "Type", "Item ID", "Kind", "Number",
                  "Text", "Addressee", "Applies to force", "Deadline (as written)", "Lead",
                  "HMICFRS status", "No action because")]
    for item in data["items"]:
        acts = by_item.get(item["Item ID"]) or [{}]
        first = r + 1
        source = {**insp[item["Inspection ID"]], **item}
        for a in acts:
            r += 1
            row = {**source, **a}
            for c, h in enumerate(FLAT_HEADERS):
                if merge and c in item_cols and r != first:
                    continue
                _write_value(ws, r, c, row.get(h), date_fmt)
        if merge and len(acts) > 1:
            for c in item_cols:
                value = source.get(FLAT_HEADERS[c])
                fmt = date_fmt if isinstance(value, dt.date) else None
                if isinstance(value, dt.date):
                    value = dt.datetime(value.year, value.month, value.day)
                ws.merge_range(first, c, r, c, value if value is not None else "", fmt)
    wb.close()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out")
    p.add_argument("--actions", type=int, default=200)
    p.add_argument("--layout", choices=["template", "flat"], default="template")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 11, 28))
    args = p.parse_args(argv)
    data = generate(args.actions, args.seed, args.as_of)
    if args.layout == "template":
        write_template(data, args.out)
    else:
        write_flat(data, args.out, merge=args.actions <= 20000)
    print(f"Wrote {args.out}: {len(data['inspections'])} inspections, {len(data['items'])} "
          f"items, {len(data['actions'])} actions ({args.layout})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
