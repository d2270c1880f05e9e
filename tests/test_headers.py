"""Headers in the words clerks use: one matcher (detect.match_header), a test per family."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gain_workbook.model import schema
from gain_workbook.register.detect import header_index, match_grouped, match_header

# (role of the sheet, header as written, the column it is)
FAMILIES = {
    "due date": [("flat", "Target Completion", "due"), ("flat", "Target Completion Date", "due"),
                 ("flat", "Target date (original)", "due"), ("actions", "Due", "due")],
    "revised due date": [("flat", "Revised Target Completion", "revised_due"),
                         ("flat", "Revised Target", "revised_due"),
                         ("flat", "New target date", "revised_due"),
                         ("actions", "Extended deadline", "revised_due"),
                         ("flat", "Amended completion date", "revised_due")],
    "date published": [("flat", "Date of Report", "published"),
                       ("flat", "Report Date", "published"),
                       ("flat", "Date Published", "published"),
                       ("inspections", "Publication date", "published")],
    "latest update": [("flat", "Current Position", "latest_update"),
                      ("flat", "Progress to date", "latest_update"),
                      ("flat", "Update", "latest_update"),
                      ("actions", "Progress commentary", "latest_update")],
    "owner": [("flat", "Responsible Officer", "owner"), ("flat", "Action Lead", "owner"),
              ("flat", "Owner (Name)", "owner"), ("actions", "Accountable manager", "owner")],
    "item lead": [("items", "Responsible Officer", "item_lead"),
                  ("flat", "Recommendation lead", "item_lead")],
    "executive lead": [("inspections", "Chief officer lead", "executive_lead"),
                       ("flat", "Portfolio lead", "executive_lead")],
    "item status (the force's)": [("items", "Overall Status", "force_status"),
                                  ("items", "Status", "force_status"),
                                  ("flat", "Recommendation status", "force_status")],
    "item status (HMICFRS)": [("items", "Inspectorate status", "hmicfrs_status"),
                              ("flat", "HMICFRS status", "hmicfrs_status"),
                              ("items", "HMICFRS position", "hmicfrs_status")],
    "item text": [("flat", "Area for Improvement / Recommendation", "item_text"),
                  ("flat", "Recommendation / AFI text", "item_text"),
                  ("items", "Cause of concern / recommendation wording", "item_text")],
    "applies": [("flat", "Applicable?", "applies"), ("flat", "Applies to us?", "applies"),
                ("items", "Relevant to the force", "applies")],
    "the office's RAG": [("flat", "BRAG", "action_rag"), ("flat", "RAG", "action_rag"),
                         ("flat", "RAG Status", "action_rag"), ("items", "RAG", "item_rag"),
                         ("flat", "Overall RAG", "item_rag")],
    "completed": [("flat", "Date completed", "completed"),
                  ("flat", "Actual completion date", "completed")],
    "last updated": [("flat", "Last updated", "last_updated"),
                     ("flat", "Date of last update", "last_updated")],
}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_header_family(family):
    for role, header, key in FAMILIES[family]:
        found = match_header(header, header_index(role))
        assert found and found[0][0] == key, (role, header, found)


@pytest.mark.parametrize("role, header", [
    ("flat", "Pillar"), ("flat", "Cost code"), ("flat", "Notes for the PA"), ("items", "Date"),
    ("flat", "Comments received from the PCC"), ("actions", "Target met?")])
def test_headers_that_say_nothing_we_hold_are_not_placed(role, header):
    found = match_header(header, header_index(role))
    assert not found or found[0][0] not in ("due", "owner", "item_text"), found


def test_how_each_header_matched():
    idx = header_index("flat", {"due": ("When by",)})
    assert match_header("Due", idx)[0] == ("due", "exact")
    assert match_header("Target date", idx)[0] == ("due", "alias")
    assert match_header("when by", idx)[0] == ("due", "setting")
    assert match_header("Target Completion", idx)[0] == ("due", "words")


def test_the_word_rules_only_name_columns_we_have():
    assert {r.key for r in schema.WORD_RULES} <= set(schema.BY_KEY)
    assert all(r.example for r in schema.WORD_RULES)      # docs/register.md lists each family


@pytest.mark.parametrize("rule", schema.WORD_RULES, ids=lambda r: f"{r.key}: {r.example}")
def test_every_example_the_readme_gives_is_read_so(rule):
    role = "flat" if rule.key not in schema.FLAT_SKIP else schema.BY_KEY[rule.key].table
    for header in rule.example.split("; "):
        idx = header_index(role)
        found = match_header(header, idx)
        assert found and found[0][0] == rule.key, (header, found)


# ---------------------------------------------------------------- headers as words (issue 26)

MORE_FAMILIES = {
    "bilingual, either half": [
        ("flat", "Statws / Status", "action_status"),
        ("flat", "Cam gweithredu / Action", "action_text"),
        ("flat", "Dyddiad targed / Target date", "due"),
        ("flat", "Perchennog / Owner", "owner"),
        ("flat", "Maes i'w wella / Area for improvement", "item_text"),
        ("flat", "Dyddiad cyhoeddi / Date published", "published"),
        ("flat", "Statws AHEM / HMICFRS status", "hmicfrs_status"),
        ("actions", "Diweddariad / Update", "latest_update")],
    "Welsh alone": [("flat", "Statws", "action_status"), ("flat", "Cam gweithredu", "action_text"),
                    ("flat", "Dyddiad targed", "due"), ("flat", "Perchennog", "owner"),
                    ("flat", "Dyddiad targed diwygiedig", "revised_due"),
                    ("items", "Argymhelliad", "item_text")],
    "exports' field names": [
        ("flat", "DueDate", "due"), ("flat", "Owner_Name", "owner"),
        ("flat", "Due_x0020_Date", "due"), ("flat", "AssignedTo", "owner"),
        ("flat", "HMICFRSStatus", "hmicfrs_status"), ("flat", "ActionTitle", "action_text"),
        ("flat", "ActionID", "action_id"), ("flat", "RevisedDueDate", "revised_due"),
        ("flat", "Parent_Title", "item_text"), ("flat", "PublishedDate", "published"),
        ("flat", "Target date (original)", "due")],
    "abbreviations": [("flat", "Tgt Dt", "due"), ("flat", "Rev. Tgt Dt", "revised_due"),
                      ("flat", "Resp. Officer", "owner"), ("flat", "Rpt Type", "inspection_type"),
                      ("flat", "Pub. Dt", "published"), ("flat", "Compl. Dt", "completed"),
                      ("flat", "Actn", "action_text"), ("flat", "Sts", "action_status")],
    "an action's words, whoever's": [("flat", "ECFRS action", "action_text"),
                                     ("flat", "Force action", "action_text")],
}


@pytest.mark.parametrize("family", list(MORE_FAMILIES))
def test_more_header_families(family):
    for role, header, key in MORE_FAMILIES[family]:
        found = match_header(header, header_index(role))
        assert found and found[0][0] == key, (role, header, found)


def _camel(header: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", header.replace("'", ""))
    return "".join(w if w.isupper() else w[:1].upper() + w[1:] for w in words)


def _variants(header: str) -> list[str]:
    """The header as performance systems and bilingual registers write it."""
    words = re.findall(r"[A-Za-z0-9]+", header.replace("'", ""))
    return [_camel(header), "_".join(words), "_x0020_".join(words),
            f"Cymraeg / {header}", f"{header} | Saesneg", f"{header}\nCymraeg"]


@given(column=st.sampled_from([c for c in schema.COLUMNS if c.table in schema.TABLES]),
       variant=st.integers(0, 5))
@settings(max_examples=300, deadline=None)
def test_every_header_reads_the_same_as_an_export_or_a_bilingual_header(column, variant):
    """Our headers read as words: written as an export's field name (CamelCase, joined by
    underscores, SharePoint's _x0020_) or beside another language's half, each is still
    the same column."""
    role = "flat" if column.key not in schema.FLAT_SKIP else column.table
    index = header_index(role)
    want = match_header(column.header, index)
    header = _variants(column.header)[variant]
    assert [k for k, _ in match_header(header, index)][:1] == [k for k, _ in want][:1], \
        (column.header, header)


@pytest.mark.parametrize("group, sub, role, key", [
    ("HMICFRS recommendation", "Ref", "flat", "number"),
    ("HMICFRS recommendation", "Detail", "flat", "item_text"),
    ("Force response", "Ref", "flat", "action_id"),
    ("Force response", "Detail", "flat", "action_text"),
    ("Force response", "Lead", "flat", "owner"),
    ("Progress", "Status", "flat", "action_status"),
    ("Progress", "Update", "flat", "latest_update"),
    ("Report", "Date", "flat", "published"),
    ("Recommendation", "Ref", "actions", "action_item_id"),
    ("Argymhelliad / Recommendation", "Cyfeirnod / Ref", "flat", "number")])
def test_a_group_header_qualifies_the_header_under_it(group, sub, role, key):
    found = match_grouped(sub, group, header_index(role))
    assert found and found[0][0] == key, found
