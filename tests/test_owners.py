"""The Owners sheet: found by its name, read through the schema, checked cell by cell."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

import shapes
from conftest import base_data, write_register

from gain_workbook import api
from gain_workbook.model import schema
from gain_workbook.cli import cli
from gain_workbook.core.errors import SettingsError
from gain_workbook.check.validate import check


def _owners(*rows, name="Owners", headers=("Name", "Email", "Copy when overdue")):
    def post(wb):
        ws = wb.create_sheet(name)
        ws.append(list(headers))
        for row in rows:
            ws.append(list(row))
    return post


def test_the_template_has_an_owners_sheet_with_the_schema_columns(tmp_path):
    from gain_workbook.register.template import write_register_template

    wb = openpyxl.load_workbook(write_register_template(tmp_path / "r.xlsx"))
    ws = wb["Owners"]
    assert [c.value for c in ws[1]] == [c.header for c in schema.columns_of(schema.OWNERS)]
    # the Actions sheet's Owner column offers the names on it, without refusing others
    acts = wb["Actions"]
    dv, = [d for d in acts.data_validations.dataValidation if str(d.sqref).startswith("D")]
    from gain_workbook.register.template import TEMPLATE_ROWS

    assert dv.formula1 == f"Owners!$A$2:$A${TEMPLATE_ROWS + 1}"
    assert dv.errorStyle == "information"


def test_an_action_owner_not_on_the_sheet_gets_the_closest_name(tmp_path):
    data = base_data()
    data["actions"][0]["Owner"] = "Supt Smith"
    path = write_register(tmp_path / "r.xlsx", data, post=_owners(
        ("Supt J Smith", "j.smith@force.example"), ("Custody QA", "qa@force.example"),
        ("Head of L&D", "ld@force.example")))
    _, report = check(path)
    found = [p for p in report.problems if p.code == "UNKNOWN_OWNER"]
    assert [(p.where, p.severity) for p in found] == [("Actions!D2", "warning")]
    assert found[0].message == ("'Supt Smith' is not on the Owners sheet; did you mean "
                                "'Supt J Smith'? If not, add them to Owners, so their update "
                                "request can be emailed.")
    assert report.valid


def test_a_name_nothing_like_any_owner_gets_no_guess(tmp_path):
    data = base_data()
    data["actions"][2]["Owner"] = "Zebedee"
    path = write_register(tmp_path / "r.xlsx", data, post=_owners(
        ("Ch Insp Custody", "c@force.example")))
    _, report = check(path)
    msgs = {p.value: p.message for p in report.problems if p.code == "UNKNOWN_OWNER"}
    assert msgs == {"Zebedee": "'Zebedee' is not on the Owners sheet; add them to Owners (or "
                               "correct the name), so their update request can be emailed."}


def test_addresses_are_checked_by_email_validator_with_its_reason(tmp_path):
    path = write_register(tmp_path / "r.xlsx", base_data(), post=_owners(
        ("Ch Insp Custody", "ch insp@force.example", "Nobody Here"),
        ("Custody QA", "qa@force", "ch.insp@force.example"),
        ("Head of L&D", "ld@force.example", "Custody QA")))
    _, report = check(path)
    got = {p.where: p.message for p in report.problems if p.code == "BAD_EMAIL"}
    assert got == {
        "Owners!B2": "'ch insp@force.example' in Email is not an email address we can send to: "
                     "the email address contains invalid characters before the @-sign: SPACE.",
        "Owners!B3": "'qa@force' in Email is not an email address we can send to: the part "
                     "after the @-sign is not valid. It should have a period.",
        "Owners!C2": "'Nobody Here' in Copy when overdue is not an email address we can send "
                     "to: it is neither an address nor a name on this sheet.",
    }
    assert report.valid          # a bad address stops no pack: it is a warning on its cell


def test_the_sheet_is_found_by_its_name_with_everyday_headers(tmp_path):
    """A PCC panel's flat tracker with the office's own 'Action owners' list beside it."""
    path = tmp_path / "Panel tracker.xlsx"
    shapes.pcc_panel_flat_tracker(path)
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("Action owners")
    ws.append(["Officer", "E-mail address", "Line manager email", "Extension"])
    for name in ("DCI Reed", "Ms Khan", "Supt Lowe", "Ms Patel"):
        ws.append([name, name.split()[-1].lower() + "@force.example", "dcc@force.example",
                   "4471"])
    wb.save(path)
    described = api.describe(path)
    sheet, = [s for s in described.plan.sheets if s.name == "Action owners"]
    assert sheet.role == "owners"
    assert {c.header: c.key for c in sheet.columns} == {
        "Officer": "owner_name", "E-mail address": "owner_email",
        "Line manager email": "owner_copy", "Extension": None}
    assert "Sheet 'Action owners': action owners and their email addresses" in \
        described.plan.to_text()
    reg, report = check(path)
    assert len(reg.owners) == 4
    unknown = [p.value for p in report.problems if p.code == "UNKNOWN_OWNER"]
    assert unknown == ["Ch Insp Moss"]          # the one owner the list leaves out


def test_an_owners_sheet_without_a_name_column_is_said_and_not_read(tmp_path):
    path = write_register(tmp_path / "r.xlsx", base_data(),
                          post=_owners(("a@force.example",), headers=("Email",)))
    described = api.describe(path)
    sheet, = [s for s in described.plan.sheets if s.name == "Owners"]
    assert sheet.role == "not read" and "has no Name column" in sheet.reason
    reg, report = check(path)
    assert reg.owners is None and report.valid


def test_adopt_lists_every_owner_on_owners_for_the_office_to_fill_in(tmp_path, runner):
    path = tmp_path / "Panel tracker.xlsx"
    shapes.pcc_panel_flat_tracker(path)
    new = tmp_path / "Inspection register.xlsx"
    assert runner.invoke(cli, ["adopt", str(path), "-o", str(new)]).exit_code == 0
    ws = openpyxl.load_workbook(new)["Owners"]
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == [
        "Ch Insp Moss", "DCI Reed", "Ms Khan", "Ms Patel", "Supt Lowe"]
    _, report = check(new)
    assert not [p for p in report.problems if p.code in ("UNKNOWN_OWNER", "BAD_EMAIL")]


def test_an_owner_listed_without_an_address_is_told_so(tmp_path):
    path = write_register(tmp_path / "r.xlsx", base_data(), post=_owners(
        ("Ch Insp Custody",), ("Custody QA", "qa@force.example")))
    res = api.requests(path, as_of=dt.date(2026, 12, 2))
    assert {r.owner: (r.email, r.no_email) for r in res.requests} == {
        "Ch Insp Custody": ("", "the Owners sheet gives no email address"),
        "Custody QA": ("qa@force.example", "")}


def test_an_empty_owners_sheet_says_nothing(tmp_path):
    path = write_register(tmp_path / "r.xlsx", base_data(), post=_owners())
    _, report = check(path)
    assert report.problems == [], report.to_text()


def test_an_office_sheet_called_updates_is_not_taken_for_the_merge_history(tmp_path):
    from gain_workbook.model.history import UPDATES_HEADERS

    def sheets(wb):
        ours = wb.create_sheet("Updates")
        ours.append(["Date", "What", "Who"])
        ours.append([dt.date(2026, 1, 2), "Board met", "DCC"])
    reg, _ = check(write_register(tmp_path / "a.xlsx", base_data(), post=sheets))
    assert reg.updates == []

    def history(wb):
        ws = wb.create_sheet("Updates")
        ws.append(list(UPDATES_HEADERS))
        ws.append([dt.date(2026, 12, 9), "A1", "Status", "Not started", "In progress",
                   "Ch Insp Custody", "reply.xlsx", "abc"])
    reg, report = check(write_register(tmp_path / "b.xlsx", base_data(), post=history))
    assert [u["Action ID"] for u in reg.updates] == ["A1"] and report.valid
    sheet, = [s for s in reg.plan.sheets if s.name == "Updates"]
    assert sheet.role == "history"


@pytest.mark.parametrize("bad", ["a@b", "two@at@force.example", "x@police.local"])
def test_the_mailer_refuses_an_address_with_the_libraries_reason(bad):
    from gain_workbook.mail.compose import addresses

    with pytest.raises(SettingsError) as exc:
        addresses([f"ok@force.example; {bad}"], "the recipients")
    assert str(exc.value).startswith(f"'{bad}' in the recipients is not an email address: ")
