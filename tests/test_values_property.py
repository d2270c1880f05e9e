"""Properties of how a register's values are read (issue 26, part B), over generated
registers: statuses with notes, in other capitals, in two languages; rows saying an item
is not for the force; refs in every form, with and without a Kind column; several forces
with 'Both'; dates as date cells, as text and as serials. Each generated tracker reads
back to the tables it was made from. And for any register with causes of concern, the
roll-up's totals add up to the actions on the register; for any ref style, the
published response names each item as the reference response does.

GAIN_EXAMPLES=500 runs more examples than CI's default.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gain_workbook.model.refs import item_label
from gain_workbook.model.schema import ACTION_DONE, ACTION_STATUSES, norm_key
from shapes import write

D = dt.date
EXAMPLES = int(os.environ.get("GAIN_EXAMPLES", "25"))
SETTINGS = dict(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

REC, AFI, COC = "Recommendation", "Area for improvement", "Cause of concern"
# How trackers write a ref of each kind ('{n}' the number); a plain number needs a Kind column.
REF_FORMS = {REC: ["R{n}", "R {n}", "Rec {n}", "Rec{n}", "Recommendation {n}", "Rec. {n}"],
             AFI: ["AFI {n}", "AFI{n}", "Area for improvement {n}", "AFI No. {n}"],
             COC: ["CoC {n}", "CoC{n}", "Cause of concern {n}", "CfC {n}"]}
KIND_CELL = {REC: ["Recommendation", "Rec", "R"], AFI: ["Area for improvement", "AFI"],
             COC: ["Cause of concern", "CoC"]}
WELSH = {"Not started": "Heb ddechrau", "In progress": "Ar y gweill", "On hold": "Ar stop",
         "Complete": "Wedi'i gwblhau", "Ready for closure": "Yn barod i'w gau",
         "Closed": "Ar gau"}
NOTES = ["awaiting HMICFRS closure", "see PEEL 2021/22 AFI 4", "evidence with the board",
         "HMICFRS to review at next PEEL", "lead changed in May"]
SEPARATORS = [" - ", " – ", ": ", " — "]
NOT_FOR_FORCE = ["N/A – for the Home Office", "N/A", "Not applicable",
                 "N/A - for the College of Policing", "Not for force"]
FORCES = ["Northshire Police", "Southshire Police"]
FORCE_CELLS = {"Northshire Police": ["Northshire Police", "Northshire", "NORTHSHIRE POLICE"],
               "Southshire Police": ["Southshire Police", "Southshire"],
               None: ["Both", "All", "both forces"]}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


@dataclass
class Made:
    """A generated tracker and the tables it was made from."""

    rows: list
    items: dict = field(default_factory=dict)     # (title, ref as written) -> expected
    actions: dict = field(default_factory=dict)   # action text -> expected
    note_phrases: set = field(default_factory=set)
    na_phrases: set = field(default_factory=set)
    forces: bool = False


def _status_cell(draw, status: str, note_phrases: set) -> tuple[str, object]:
    """A status as a tracker writes it, and the completion date its note gives (or None)."""
    style = draw(st.sampled_from(["plain", "capitals", "note", "welsh"]))
    if style == "capitals":
        cell = draw(st.sampled_from([status.upper(), status.lower(), status.title()]))
        return cell, None
    if style == "welsh":
        pair = [WELSH[status], status]
        return (" / ".join(pair) if draw(st.booleans()) else " / ".join(pair[::-1])), None
    if style == "note":
        day = None
        if status in ACTION_DONE and draw(st.booleans()):
            day = D(2024, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
            note = f"closed by HMICFRS {day:%d/%m/%Y}"
        else:
            note = draw(st.sampled_from(NOTES))
        sep = draw(st.sampled_from(SEPARATORS + ["("]))
        cell = f"{status} ({note})" if sep == "(" else f"{status}{sep}{note}"
        note_phrases.add(norm_key(cell))        # a phrase up to capitals and dashes
        return cell, day
    return status, None


def _date_cell(draw, day: dt.date):
    """A due date as a date cell, as text (two ways) or as an Excel serial in a General cell."""
    style = draw(st.sampled_from(["date", "slashes", "words", "serial"]))
    if style == "slashes":
        return f"{day:%d/%m/%Y}"
    if style == "words":
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    if style == "serial":
        return (day - D(1899, 12, 30)).days
    return day


@st.composite
def trackers(draw, forces: bool = False):
    """A flat tracker: 1 to 3 reports, each with items of any kind and ref style, some not
    for the force (said in an Applicable column, an Action cell or a Status cell), the
    rest with actions whose statuses and dates are written in every style."""
    has_kind = draw(st.booleans())
    head = ["Report", "Published"] + (["Kind"] if has_kind else []) + \
        ["Ref No.", "Recommendation text", "Applicable?", "Action", "Owner", "Due", "Status"] + \
        (["Force"] if forces else [])
    made = Made([head], forces=forces)
    n_action = 0
    for r in range(draw(st.integers(1, 3))):
        title = f"Report {r + 1}: an inspection of {draw(st.sampled_from(['custody', 'vetting', 'fraud', 'stalking']))}"
        pub = D(2023, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
        counts = {REC: draw(st.integers(0, 3)), AFI: draw(st.integers(0, 3)),
                  COC: draw(st.integers(0, 1))}
        assume(sum(counts.values()))
        for kind, count in counts.items():
            for n in range(1, count + 1):
                forms = list(REF_FORMS[kind]) + (["{n}"] if has_kind else [])
                if kind == AFI and count == 1:
                    forms.append("AFI")              # a report's only one, unnumbered
                ref = draw(st.sampled_from(forms)).format(n=n)
                alone = ref == "AFI"
                kind_cells = [draw(st.sampled_from(KIND_CELL[kind]))] if has_kind else []
                text = f"The force should improve {kind.lower()} {n} of {title}."
                label = ref if ref != str(n) else item_label(kind, str(n))
                expected = {"kind": kind, "number": None if alone else str(n), "label": label,
                            "applies": "Yes", "published": pub, "count": count}
                made.items[(title, kind, ref)] = expected
                base = [title, pub, *kind_cells, ref, text]
                item_force = draw(st.sampled_from(FORCES + [None])) if forces else None
                if kind == REC and draw(st.integers(0, 4)) == 0:        # not for the force
                    expected["applies"] = "No"
                    where = draw(st.sampled_from(["applicable", "action", "status"]))
                    phrase = draw(st.sampled_from(NOT_FOR_FORCE))
                    if where == "applicable":
                        row = base + [draw(st.sampled_from(["N", "No", "n"])), None, None,
                                      None, None]
                    elif where == "action":
                        row = base + [None, phrase, None, None, None]
                        made.na_phrases.add(("action", norm_key(phrase)))
                    else:
                        row = base + [None, "Notify the lead", None, None, phrase]
                        made.na_phrases.add(("status", norm_key(phrase)))
                    if forces:
                        row.append(draw(st.sampled_from(FORCE_CELLS[item_force])))
                    made.rows.append(row)
                    expected["force"] = item_force
                    continue
                for _ in range(draw(st.integers(1, 3))):
                    n_action += 1
                    status = draw(st.sampled_from(ACTION_STATUSES))
                    cell, closed = _status_cell(draw, status, made.note_phrases)
                    due = D(2024, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
                    force = draw(st.sampled_from(FORCES + [None])) if forces else None
                    action = f"Do thing {n_action}"
                    row = base + ["Y", action, f"Owner {n_action % 4}", _date_cell(draw, due),
                                  cell]
                    if forces:
                        row.append(draw(st.sampled_from(FORCE_CELLS[force])))
                    made.rows.append(row)
                    made.actions[action] = {"item": (title, kind, ref), "status": status,
                                            "due": due,
                                            "completed": closed, "force": force}
    return made


def _read(tmp_path, made: Made, setting: str | None = None):
    from gain_workbook.check.validate import check

    sheets = {"Tracker": made.rows}
    if setting is not None:
        sheets["Settings"] = [["Setting", "Value"], ["Rows for force", setting]]
    path = write(tmp_path / "tracker.xlsx", sheets)
    return path, check(path)


@pytest.mark.slow
@settings(**SETTINGS)
@given(made=trackers())
def test_values_in_every_style_read_back_to_the_tables_they_were_made_from(tmp_path_factory,
                                                                            made):
    from gain_workbook.status.rollup import roll_up

    path, (reg, report) = _read(tmp_path_factory.mktemp("values"), made)
    items = roll_up(reg, D(2026, 1, 1)).items
    written = reg.items.raw
    got, item_of = {}, {}
    for row, iid, title, number, kind, applies, label in zip(
            items["row"], items["item_id"], items["title"], items["number"], items["kind"],
            items["applies"], items["label"]):
        key = (title, kind, written.get(("number", row), number))
        got[key] = {"kind": kind, "number": number, "label": label, "applies": applies}
        item_of[iid] = key
    want = {k: {f: v[f] for f in ("kind", "number", "label", "applies")}
            for k, v in made.items.items()}
    assert got == want, report.to_text()
    acts = reg.actions.frame
    got_actions = {text: {"item": item_of[item], "status": status, "due": due,
                          "completed": completed}
                   for text, item, status, due, completed in zip(
                       acts["action_text"], acts["action_item_id"], acts["action_status"],
                       acts["due"], acts["completed"])}
    assert got_actions == {a: {k: v for k, v in e.items() if k != "force"}
                           for a, e in made.actions.items()}, report.to_text()
    codes = [p.code for p in report.problems]
    # a difference of capitals, or a bilingual pair, is no warning ('Y' for Yes, 'Rec' for
    # Recommendation are synonyms: said); a note is said once a phrase
    assert not [p for p in report.problems if p.header == "Status"
                and p.code in ("NORMALISED", "WORD_READ_AS")], report.to_text()
    assert codes.count("READ_WITH_NOTE") == len(made.note_phrases), report.to_text()
    assert codes.count("NOT_FOR_FORCE_ROW") == len(made.na_phrases), report.to_text()
    # no owner, due or status is asked of an item that is not the force's
    assert not [p for p in report.errors if p.code == "REQUIRED_MISSING"], report.to_text()


@pytest.mark.slow
@settings(**SETTINGS)
@given(made=trackers(forces=True), setting=st.sampled_from([None, "Northshire",
                                                             "southshire police", "all"]))
def test_several_forces_each_read_their_own_rows_and_both(tmp_path_factory, made, setting):
    _, (reg, report) = _read(tmp_path_factory.mktemp("forces"), made, setting)
    kept = set(reg.actions.frame["action_text"])
    named = ({e["force"] for e in made.actions.values()}
             | {e.get("force") for e in made.items.values()}) - {None}
    chosen = {"Northshire": "Northshire Police", "southshire police": "Southshire Police"} \
        .get(setting)
    unknown = chosen is not None and chosen not in named
    want = {a for a, e in made.actions.items()
            if chosen is None or unknown or e["force"] in (None, chosen)}
    assert kept == want                     # 'Both' and blank count for each force
    bad = [p for p in report.errors if p.code == "BAD_SETTING"]
    assert bool(bad) == unknown             # a force the register does not name: said
    line, warn = reg.forces.line, reg.forces.warn
    if setting is None or unknown:
        assert bool(line) == (len(named) > 1) and warn == (len(named) > 1)
    else:
        assert line and not warn            # whose rows, said as a note


# ---------------------------------------------------------------- totals with causes of concern

@st.composite
def registers_with_causes_of_concern(draw):
    """A template register: causes of concern with recommendations under them (Under),
    some actions on the causes themselves, others on the recommendations and on items
    on their own; due dates either side of the as-of date, every status."""
    data = {"settings": {"Force name": "Example Police"}, "inspections": [], "items": [],
            "actions": []}
    n_action = 0
    for i in range(draw(st.integers(1, 2))):
        iid = f"INS-{i + 1}"
        data["inspections"].append({"Inspection ID": iid, "Title": f"Inspection {i + 1}",
                                    "Published": D(2024, 1, 10), "Type": "PEEL"})
        for c in range(draw(st.integers(1, 3))):
            coc = f"{iid}-CoC{c + 1}"
            data["items"].append({"Item ID": coc, "Inspection ID": iid,
                                  "Kind": "Cause of concern", "Number": str(c + 1),
                                  "Text": "A cause of concern.", "Applies to force": "Yes",
                                  "HMICFRS status": "Open"})
            under = [f"{coc}-R{r + 1}" for r in range(draw(st.integers(0, 3)))]
            for r, rec in enumerate(under):
                data["items"].append({"Item ID": rec, "Inspection ID": iid,
                                      "Kind": "Recommendation", "Number": str(r + 1),
                                      "Text": "A recommendation.", "Applies to force": "Yes",
                                      "HMICFRS status": "Open", "Under": coc})
            for item in [coc] * draw(st.integers(0, 1)) + under * draw(st.integers(0, 2)):
                n_action += 1
                status = draw(st.sampled_from(ACTION_STATUSES))
                data["actions"].append({
                    "Action ID": f"A{n_action}", "Item ID": item, "Action": "Do it.",
                    "Owner": "Owner", "Due": D(2024, draw(st.integers(1, 12)), 15),
                    "Status": status,
                    "Completed on": D(2024, 6, 1) if status in ACTION_DONE else None})
    assume(data["actions"])
    return data


@pytest.mark.slow
@settings(**SETTINGS)
@given(data=registers_with_causes_of_concern(), month=st.integers(1, 12))
def test_rollup_totals_add_up_to_the_actions_on_the_register(tmp_path_factory, data, month):
    from conftest import write_register
    from gain_workbook.register.reader import read_register
    from gain_workbook.status import views
    from gain_workbook.status.rollup import roll_up

    path = write_register(tmp_path_factory.mktemp("coc") / "r.xlsx", data,
                          extra={"items": {"Under": [i.get("Under") for i in data["items"]]}})
    reg = read_register(path)
    rolled = roll_up(reg, D(2024, month, 20))
    it, ac = rolled.items, rolled.actions
    assert int(it["own_actions"].sum()) == len(ac) == len(data["actions"])
    assert int(it["own_overdue"].sum()) == int(ac["overdue"].sum())
    assert int(it["own_done"].sum()) == int(ac["done"].sum())
    headers, rows = views.records(rolled, "item")
    overdue = headers.index("Overdue")
    assert sum(r[overdue] for r in rows) == int(ac["overdue"].sum())
    # a cause of concern still shows its recommendations' progress
    parent = dict(zip(it["item_id"], it["parent_item"]))
    for r in it.itertuples(index=False):
        if r.kind != "Cause of concern":
            continue
        mine = [a for a in data["actions"] if a["Item ID"] == r.item_id
                or parent.get(a["Item ID"]) == r.item_id]
        assert r.n_actions == len(mine)
        assert r.n_under == len(mine) - r.own_actions
        done = headers.index("Actions done")
        shown = next(row[done] for row in rows if row[headers.index("Item ID")] == r.item_id)
        assert ("under it" in shown) == bool(r.n_under)


# ---------------------------------------------------------------- the response's labels

@pytest.mark.slow
@settings(**SETTINGS)
@given(made=trackers())
def test_the_response_names_every_item_as_the_reference_response_does(tmp_path_factory, made):
    """'Recommendation 1', 'Area for improvement 2'; a report's only area for improvement
    (numbered 1, or not at all) unnumbered: whatever the ref as the office wrote it."""
    from gain_workbook.response.document import documents
    from gain_workbook.status.rollup import roll_up

    _, (reg, _) = _read(tmp_path_factory.mktemp("labels"), made)
    rolled = roll_up(reg, D(2026, 1, 1))
    chosen = [r for _, r in rolled.inspections.iterrows()]
    names = {REC: "Recommendation", AFI: "Area for improvement", COC: "Cause of concern"}
    for resp, ins in zip(documents(rolled, chosen), chosen):
        subs = [b.text for b in resp.blocks if b.kind == "sub"]
        for (title, _, ref), e in made.items.items():
            if title != ins["title"]:
                continue
            n = e["number"]
            heading = names[e["kind"]] if n is None or (e["count"] == 1 and n == "1") \
                else f"{names[e['kind']]} {n}"
            assert heading in subs, (ref, subs)
        assert not [s for s in subs if any(ch.isdigit() for ch in s.split(" ")[0])]
