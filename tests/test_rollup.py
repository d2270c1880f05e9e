"""The roll-up: overdue, due soon, stale, item status and RAG with reasons, s55 position."""

from __future__ import annotations

import pytest
import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import base_data, make_register, write_register
from gain_workbook.cli import cli
from gain_workbook.register.reader import build_register
from gain_workbook.status.rollup import RAG_ORDER, roll_up
from gain_workbook.check.validate import check

D = dt.date


def rolled(tmp_path, data, as_of=D(2024, 8, 1), name="r.xlsx"):
    reg, report = check(write_register(tmp_path / name, data))
    return roll_up(reg, as_of), report


def item(r, item_id):
    return r.items.set_index("item_id").loc[item_id]


def test_action_flags_use_revised_due_and_thresholds(tmp_path):
    data = base_data()
    data["actions"][0].update({"Due": D(2024, 7, 1), "Revised due": D(2024, 8, 20)})   # due soon
    r, _ = rolled(tmp_path, data)
    a = r.actions.set_index("action_id")
    assert a.at["A1", "effective_due"].date() == D(2024, 8, 20)
    assert not a.at["A1", "overdue"] and a.at["A1", "due_soon"] and a.at["A1", "rag"] == "Amber"
    assert a.at["A1", "days_to_due"] == 19
    assert not a.at["A2", "overdue"] and a.at["A2", "rag"] == "Grey"      # complete
    assert a.at["A3", "stale"] and not a.at["A3", "overdue"]               # never updated


def test_item_red_with_reason_in_words(tmp_path):
    data = base_data()
    data["actions"][1].update({"Status": "In progress", "Completed on": None,
                               "Revised due": None, "Due": D(2024, 6, 21)})
    r, _ = rolled(tmp_path, data)
    i = item(r, "INS-1-R1")
    assert (i["status"], i["rag"]) == ("In progress", "Red")
    assert i["reason"].startswith("2 of 2 actions overdue; oldest 41 days")
    assert (i["n_actions"], i["n_done"], i["n_overdue"]) == (2, 0, 2)


def test_item_states(tmp_path):
    data = base_data()
    data["items"][0]["Ready for closure (board signed)"] = D(2024, 7, 1)
    data["actions"][0].update({"Status": "Complete", "Completed on": D(2024, 6, 1)})
    data["items"].append({"Item ID": "INS-1-R3", "Inspection ID": "INS-1", "Kind": "Recommendation",
                          "Number": "3", "Text": "x", "Applies to force": "Yes",
                          "HMICFRS status": "Open", "No action because": "Already done in 2023."})
    data["items"].append({"Item ID": "INS-1-R4", "Inspection ID": "INS-1", "Kind": "Recommendation",
                          "Number": "4", "Text": "y", "Applies to force": "Yes",
                          "HMICFRS status": "Open"})
    data["items"].append({"Item ID": "INS-1-R5", "Inspection ID": "INS-1", "Kind": "Recommendation",
                          "Number": "5", "Text": "z", "Applies to force": "Yes",
                          "HMICFRS status": "Closed – superseded"})
    r, _ = rolled(tmp_path, data)
    got = {i: (item(r, i)["status"], item(r, i)["rag"]) for i in
           ("INS-1-R1", "INS-1-R2", "INS-1-R3", "INS-1-R4", "INS-1-R5", "INS-1-AFI1")}
    assert got == {
        "INS-1-R1": ("Ready for closure", "Blue"),
        "INS-1-R2": ("Not for the force", "Grey"),
        "INS-1-R3": ("No action (reason given)", "Grey"),
        "INS-1-R4": ("No actions", "Red"),
        "INS-1-R5": ("Closed", "Grey"),
        "INS-1-AFI1": ("Not started", "Amber"),     # its one action has never been updated
    }
    assert "signed off by the board on 01/07/2024" in item(r, "INS-1-R1")["reason"]
    assert item(r, "INS-1-R4")["reason"] == "applies to the force but has no actions and no reason given"


def test_deadline_passed_makes_an_open_item_red(tmp_path):
    data = base_data()
    data["actions"][0].update({"Due": D(2025, 6, 30), "Last updated": D(2024, 7, 30)})
    r, _ = rolled(tmp_path, data, as_of=D(2025, 1, 15))
    i = item(r, "INS-1-R1")
    assert i["rag"] == "Red" and "deadline 31/12/2024 passed 15 days ago" in i["reason"]


def test_s55_response_positions(tmp_path):
    data = base_data()
    ins = data["inspections"][0]
    ins["Published"] = D(2023, 12, 8)
    base = dict(data["inspections"][0])
    more = []
    for n, (pub, sent, published) in enumerate([
            (D(2024, 7, 20), None, None),                 # not due (last day 13/09/2024)
            (D(2024, 6, 20), None, None),                 # due in 13 days (last day 14/08/2024)
            (D(2024, 5, 1), None, None),                  # overdue
            (D(2024, 5, 1), D(2024, 6, 20), None),        # sent
            (D(2024, 5, 1), D(2024, 6, 20), D(2024, 6, 30))]):   # published, 5 days late
        more.append({**base, "Inspection ID": f"INS-X{n}", "Published": pub,
                     "Response sent to Home Office and HMICFRS": sent, "Response published": published})
    data["inspections"] += more
    r, _ = rolled(tmp_path, data)
    i = r.inspections.set_index("inspection_id")
    assert i.at["INS-1", "s55_last_day"].date() == D(2024, 2, 1)      # DOMAIN: 8 Dec -> 1 Feb
    got = {k: (i.at[k, "response_state"], i.at[k, "response_text"]) for k in i.index[1:]}
    assert got == {
        "INS-X0": ("Not due", "due in 43 days (day 56: 13/09/2024)"),
        "INS-X1": ("Due", "due in 13 days (day 56: 14/08/2024)"),
        "INS-X2": ("Overdue", "overdue by 37 days (day 56 was 25/06/2024)"),
        "INS-X3": ("Sent", "sent 20/06/2024; not yet published (day 56: 25/06/2024)"),
        "INS-X4": ("Published", "published 30/06/2024, 5 days late"),
    }


def test_a_report_that_needs_no_response_is_not_waiting_for_one(tmp_path):
    data = base_data()
    data["inspections"].append({**data["inspections"][0], "Inspection ID": "SC-1",
                                "Title": "A super-complaint", "Published": D(2024, 7, 20)})
    extra = {"inspections": {"Response required": ["Yes", "No"]}}
    reg = write_register(tmp_path / "r.xlsx", data, extra=extra)
    r = roll_up(check(reg)[0], D(2024, 8, 1))
    i = r.inspections.set_index("inspection_id")
    assert i.at["SC-1", "response_state"] == "Not required"
    assert i.at["SC-1", "response_text"] == "no section 55 response needed (Response required: No)"
    assert i.at["INS-1", "response_state"] == "Overdue"
    assert r.headline()["responses_due"] == 1       # INS-1 only


def test_day_56_on_christmas_day_is_said_with_the_working_day_before(tmp_path):
    """DOMAIN: published 31 October 2023, the last day is 25 December 2023."""
    data = base_data()
    data["inspections"][0]["Published"] = D(2023, 10, 31)
    data["settings"]["Response target (days)"] = 30
    reg = write_register(tmp_path / "r.xlsx", data)
    result = roll_up(check(reg)[0], D(2023, 11, 20))
    ins = result.inspections.iloc[0]
    assert ins["s55_last_day"].date() == D(2023, 12, 25)
    assert ins["s55_closed_day"] == "Christmas Day"
    assert ins["response_target_day"].date() == D(2023, 11, 29)        # day 30
    assert ins["response_text"] == ("due in 35 days (day 56: 25/12/2023); day 56 is Christmas "
                                    "Day, so publish by 22/12/2023; local target 29/11/2023")
    later = roll_up(check(reg)[0], D(2023, 11, 30)).inspections.iloc[0]["response_text"]
    assert later.endswith("local target 29/11/2023 (passed)")
    from gain_workbook.status.rollup import rollup_problems

    (p,) = [p for p in rollup_problems(check(reg)[0], result) if p.code == "S55_LAST_DAY_CLOSED"]
    assert (p.where, p.subject) == ("Inspections!C2", "INS-1")
    assert p.message == ("Day 56 of the response period, 25/12/2023, is Christmas Day; the "
                         "response must still be published by then, so plan to publish by "
                         "22/12/2023.")
    # a Saturday; and once day 56 has passed there is nothing left to plan
    data["inspections"][0]["Published"] = D(2026, 10, 18)          # day 56: Sat 12/12/2026
    reg = write_register(tmp_path / "r2.xlsx", data)
    assert roll_up(check(reg)[0], D(2026, 12, 1)).inspections.iloc[0]["s55_closed_day"] \
        == "a Saturday"
    late = roll_up(check(reg)[0], D(2026, 12, 20))
    assert not [p for p in rollup_problems(check(reg)[0], late) if p.code == "S55_LAST_DAY_CLOSED"]


def test_inspection_counts_by_kind(tmp_path):
    r, _ = rolled(tmp_path, base_data())
    i = r.inspections.iloc[0]
    assert (i["n_items"], i["n_recommendation"], i["n_area_for_improvement"], i["n_for_force"]) \
        == (3, 2, 1, 2)


def test_thresholds_come_from_settings(tmp_path):
    data = base_data()
    data["actions"][0].update({"Due": D(2024, 8, 20), "Last updated": D(2024, 7, 25)})
    data["settings"]["Due soon (days)"] = 10
    r, _ = rolled(tmp_path, data)
    assert not r.actions.set_index("action_id").at["A1", "due_soon"]
    data["settings"]["Due soon (days)"] = 30
    r, _ = rolled(tmp_path, data, name="r2.xlsx")
    assert r.actions.set_index("action_id").at["A1", "due_soon"]


# ---------------------------------------------------------------- the command

def test_rollup_command_formats(runner, base_register):
    out = runner.invoke(cli, ["rollup", str(base_register), "--as-of", "2024-08-01"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0].split()[:3] == ["Inspection", "ID", "Item"]
    row = next(line for line in lines if "INS-1-R1" in line)
    assert "Red" in row and "1 of 2 actions overdue; oldest 32 days" in row
    js = json.loads(runner.invoke(cli, ["rollup", str(base_register), "--by", "inspection",
                                        "--format", "json", "--as-of", "2024-08-01"]).stdout)
    assert js["as_of"] == "2024-08-01"
    assert js["rows"][0]["s55 last day"] == "2024-03-05" and js["rows"][0]["RAG"] == "Red"
    csv_out = runner.invoke(cli, ["rollup", str(base_register), "--by", "action", "--format",
                                  "csv", "--as-of", "2024-08-01"]).stdout
    assert csv_out.startswith("\ufeffAction ID,Item ID,Owner,Effective due")   # BOM for Excel
    assert len(csv_out.splitlines()) == 4


def test_rollup_of_invalid_register_prints_errors_and_exits_1(runner, tmp_path):
    data = base_data()
    data["actions"][0]["Status"] = "Parked"
    result = runner.invoke(cli, ["rollup", str(write_register(tmp_path / "bad.xlsx", data))])
    assert result.exit_code == 1
    assert "NOT_IN_LIST" in result.stderr and "(`gain-pack validate` lists it)" in result.stderr
    assert result.stdout == ""


def test_bad_as_of_is_exit_2(runner, base_register):
    for bad in ("12/31/2024", "31/12/24", "next Tuesday"):        # US order, short year
        result = runner.invoke(cli, ["rollup", str(base_register), "--as-of", bad])
        assert result.exit_code == 2 and "--as-of" in result.stderr
        assert "day/month/year, e.g. 28/11/2026" in result.stderr


def test_date_options_are_typed_the_uk_way_or_iso(runner, base_register):
    """--as-of 28/11/2026 and 2026-11-28 are the same day, and --help says so; so are the
    ways a person writes a whole day ('1 Aug 2024', '01-08-2024'). What is refused says
    why: no such day ('31/02/2026'; '12/31/2024' month first), or no date gain-pack reads
    ('yesterday') (each was 'not a date on the calendar', a trial)."""
    outs = [runner.invoke(cli, ["rollup", str(base_register), "--as-of", day, "--format", "json"])
            for day in ("01/08/2024", "2024-08-01", "1/8/2024", "1 Aug 2024", "01-08-2024",
                        "1 August 2024")]
    assert all(r.exit_code == 0 for r in outs), outs[0].stderr
    assert len({r.stdout for r in outs}) == 1
    for bad, said in (("31/02/2026", "is not a day on the calendar;"),
                      ("12/31/2024", "is not a day on the calendar read day first (it is "
                                     "month first)"),
                      ("yesterday", "is not a date gain-pack reads;")):
        r = runner.invoke(cli, ["rollup", str(base_register), "--as-of", bad])
        assert r.exit_code == 2 and f"'{bad}' {said}" in r.stderr, r.stderr
    for command in ("rollup", "build", "response", "monthly"):
        text = " ".join(runner.invoke(cli, [command, "--help"]).stdout.split())
        assert "DD/MM/YYYY" in text and "28/11/2026 or 2026-11-28" in text
        assert "%Y" not in text and "YYYY-MM-DD" not in text


# ---------------------------------------------------------------- properties

STATUSES = ["Not started", "In progress", "On hold", "Complete", "Ready for closure", "Closed"]


@st.composite
def registers(draw):
    """Random small registers as grids, straight into build_register (no file needed)."""
    n_items = draw(st.integers(1, 6))
    headers = make_register.HEADERS
    inspections = [["Inspection ID", "Title", "Published"], ["I1", "T", D(2024, 1, 1)]]
    items = [headers["items"]]
    actions = [headers["actions"]]
    for i in range(n_items):
        row = {"Item ID": f"R{i}", "Inspection ID": "I1", "Kind": "Recommendation",
               "Number": str(i), "Text": "t", "Applies to force": draw(st.sampled_from(["Yes", "No"])),
               "HMICFRS status": draw(st.sampled_from(["Open", "Being progressed", "Closed – complete"])),
               "Deadline date": draw(st.one_of(st.none(), st.dates(D(2024, 1, 1), D(2026, 1, 1))))}
        items.append([row.get(h, "") if row.get(h) is not None else "" for h in headers["items"]])
        for a in range(draw(st.integers(0, 4))):
            due = draw(st.dates(D(2024, 1, 1), D(2026, 1, 1)))
            revised = draw(st.one_of(st.none(), st.dates(due, D(2026, 6, 1))))
            upd = draw(st.one_of(st.none(), st.dates(D(2024, 1, 1), D(2025, 6, 1))))
            status = draw(st.sampled_from(STATUSES))
            arow = {"Action ID": f"R{i}A{a}", "Item ID": f"R{i}", "Action": "a", "Owner": "o",
                    "Due": due, "Revised due": revised, "Status": status, "Last updated": upd,
                    "Completed on": upd or due}
            actions.append([arow.get(h) if arow.get(h) is not None else "" for h in headers["actions"]])
    grids = {"Inspections": (inspections, []), "Items": (items, []), "Actions": (actions, [])}
    from pathlib import Path

    return build_register(Path("generated.xlsx"), grids)


AS_OF = st.dates(D(2024, 1, 1), D(2026, 6, 1))


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers(), AS_OF)
def test_counts_add_up(reg, as_of):
    r = roll_up(reg, as_of)
    assert r.items["n_actions"].sum() == len(r.actions)
    assert (r.items["n_done"] + r.items["n_open"] == r.items["n_actions"]).all()
    by_status = sum(r.items["n_" + s.lower().replace(" ", "_")] for s in STATUSES)
    assert (by_status == r.items["n_actions"]).all()
    assert r.inspections["n_items"].sum() == len(r.items)
    assert r.items["n_overdue"].sum() == r.actions["overdue"].sum()
    assert r.headline()["overdue_actions"] == int(r.actions["overdue"].sum())


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers(), AS_OF)
def test_item_rag_never_better_than_its_worst_action(reg, as_of):
    r = roll_up(reg, as_of)
    worst = r.actions.groupby("action_item_id")["rag"].agg(lambda s: max(RAG_ORDER[x] for x in s))
    for item_id, rank in worst.items():
        assert RAG_ORDER[item(r, item_id)["rag"]] >= rank


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers(), AS_OF, st.integers(0, 400))
def test_later_as_of_never_turns_overdue_back_to_on_time(reg, as_of, later):
    a = roll_up(reg, as_of).actions.set_index("action_id")["overdue"]
    b = roll_up(reg, as_of + dt.timedelta(days=later)).actions.set_index("action_id")["overdue"]
    assert not (a & ~b).any()


def test_generated_register_rolls_up(tmp_path):
    data = make_register.generate(400, seed=9)
    p = tmp_path / "g.xlsx"
    make_register.write_template(data, p)
    reg, report = check(p)
    assert report.valid
    r = roll_up(reg, D(2026, 11, 28))
    assert len(r.actions) == len(data["actions"])
    assert set(r.items["rag"]) <= set(RAG_ORDER)
    assert r.actions["overdue"].any() and (~r.actions["overdue"]).any()



def test_a_new_action_is_not_stale_on_its_first_pack(tmp_path):
    """Never updated: stale counts from the plenary (else GAIN Board told, else
    publication), not from the beginning of time."""
    data = base_data()                      # A3 never updated; published 10/01/2024
    data["inspections"][0]["Plenary session"] = D(2024, 7, 15)
    r, _ = rolled(tmp_path, data, as_of=D(2024, 8, 1))
    a = r.actions.set_index("action_id")
    assert not a.at["A3", "stale"] and a.at["A3", "days_quiet"] == 17
    r, _ = rolled(tmp_path, data, as_of=D(2024, 9, 14), name="later.xlsx")   # 61 days on
    assert r.actions.set_index("action_id").at["A3", "stale"]
    del data["inspections"][0]["Plenary session"]
    data["inspections"][0]["GAIN Board told"] = D(2024, 7, 1)
    r, _ = rolled(tmp_path, data, as_of=D(2024, 8, 1), name="told.xlsx")
    assert r.actions.set_index("action_id").at["A3", "days_quiet"] == 31


def test_csv_is_for_excel(runner, tmp_path):
    """UTF-8 with a BOM; '1 of 2', not '1/2' (Excel's 1 February); Yes/No, not
    True/False; dates one way, as the reasons write them."""
    import csv
    import io

    data = base_data()
    data["items"][0]["HMICFRS status"] = "Closed – complete"
    reg = write_register(tmp_path / "r.xlsx", data)
    raw = runner.invoke(cli, ["rollup", str(reg), "--format", "csv", "--as-of", "2024-08-01"]
                        ).stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    items = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    r1 = next(r for r in items if r["Item ID"] == "INS-1-R1")
    assert r1["Actions done"] == "1 of 2" and r1["Status"] == "Closed"
    afi = next(r for r in items if r["Item ID"] == "INS-1-AFI1")
    assert afi["Next due"] == "31/01/2025"
    raw = runner.invoke(cli, ["rollup", str(reg), "--by", "action", "--format", "csv",
                              "--as-of", "2024-08-01"]).stdout_bytes
    acts = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["Stale"] for r in acts} == {"Yes", "No"} and {r["Due soon"] for r in acts} == {"No"}
    assert acts[0]["Effective due"] == "30/06/2024"
    ins = list(csv.DictReader(io.StringIO(runner.invoke(
        cli, ["rollup", str(reg), "--by", "inspection", "--format", "csv",
              "--as-of", "2024-08-01"]).stdout_bytes.decode("utf-8-sig"))))
    assert "Closed – complete" not in ins[0]["Detail"]          # (decoded right, or absent)
    v = runner.invoke(cli, ["validate", str(reg), "--format", "csv"]).stdout_bytes
    assert v.startswith(b"\xef\xbb\xbf")


def test_terminal_table_cuts_long_columns_only_when_it_must(runner, tmp_path):
    from gain_workbook.status import views

    headers = ["Item", "Owner", "Reason"]
    rows = [["Rec 1", "Detective Chief Superintendent Head of Crime", "x" * 90]]
    wide = views.as_table(headers, rows, width=200)
    assert "x" * 90 in wide and "Head of Crime" in wide
    narrow = views.as_table(headers, rows, width=100).splitlines()
    assert max(len(line) for line in narrow) <= 100 and narrow[2].endswith("...")
    assert "Detective Chief Superintendent Head of Crime" in narrow[2]   # Reason gave way first


def test_due_soon_names_the_date_of_the_action_due_soon_not_an_overdue_one(tmp_path):
    data = base_data()
    data["actions"][1].update({"Status": "In progress", "Completed on": None,
                               "Revised due": None, "Due": D(2024, 8, 20)})   # A1 is overdue
    r, _ = rolled(tmp_path, data)
    reason = item(r, "INS-1-R1")["reason"]
    assert "1 action due soon (next 20/08/2024)" in reason, reason


@pytest.mark.slow
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.integers(0, 200), st.one_of(st.none(), st.integers(-60, 60)), st.booleans())
def test_an_item_waits_for_its_reports_plenary_in_grey_not_red(tmp_path, age, plenary, late):
    """AFI 1 with no actions: 'Awaiting plenary' (Grey, never past its deadline) while its
    report's plenary session is to come, or has no date and the report is under three
    months old; 'No actions' (Red) otherwise, as before."""
    as_of = D(2024, 8, 1)
    data = base_data()
    data["actions"] = data["actions"][:2]
    published = as_of - dt.timedelta(days=age)
    data["inspections"][0]["Published"] = published
    if plenary is not None:
        data["inspections"][0]["Plenary session"] = as_of + dt.timedelta(days=plenary)
    if late:
        data["items"][2]["Deadline (as written)"] = "With immediate effect"
    r, _ = rolled(tmp_path, data, as_of)
    afi = item(r, "INS-1-AFI1")
    waiting = (plenary is not None and plenary > 0) or \
        (plenary is None and published > D(2024, 5, 1))
    if waiting:
        assert (afi["status"], afi["rag"]) == ("Awaiting plenary", "Grey")
        assert not afi["deadline_passed"]
        assert r.headline()["open_items"] == 2          # still open for the force
    else:
        assert (afi["status"], afi["rag"]) == ("No actions", "Red")


@pytest.mark.parametrize("n, said", [(1, "its one action"), (2, "both actions"),
                                     (3, "all 3 actions")])
def test_a_count_of_actions_reads_as_a_board_member_says_it(n, said):
    """'All 2 actions finished' in the pack's For decision evidence and the roll-up's
    reasons (a trial): 'both actions'."""
    from gain_workbook.core.text import all_of

    assert all_of(n) == said
