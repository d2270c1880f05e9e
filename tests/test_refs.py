"""References as offices write them (refs.py)."""

from __future__ import annotations

import pytest

from gain_workbook.model.refs import Ref, parse_ref, sort_key
from gain_workbook.status.rollup import item_label

R, AFI, COC, ACOC = ("Recommendation", "Area for improvement", "Cause of concern",
                     "Accelerated cause of concern")


@pytest.mark.parametrize("text, ref", [
    ("R1", Ref(R, "1")), ("Rec 3", Ref(R, "3")), ("Recommendation 3", Ref(R, "3")),
    ("Rec. 4", Ref(R, "4")), ("AFI 2", Ref(AFI, "2")), ("AFI7", Ref(AFI, "7")),
    ("Area for improvement 5", Ref(AFI, "5")), ("CoC 1", Ref(COC, "1")),
    ("CfC 1", Ref(COC, "1")), ("ACoC 1", Ref(ACOC, "1")),
    ("CoC1-R2", Ref(R, "2", (COC, "1"))), ("CoC 2 - Rec 1", Ref(R, "1", (COC, "2"))),
    ("CfC1-R1", Ref(R, "1", (COC, "1"))),
    ("E1", Ref(None, None)), ("P1", Ref(None, None)), ("EF1", Ref(None, None)),
    ("3", Ref(None, "3")),
    # a dash between the kind and its number, a number with a part (a trial: these were
    # recommendations, in silence)
    ("AFI-5", Ref(AFI, "5")), ("AFI2.4", Ref(AFI, "2.4")), ("AFI 2.3", Ref(AFI, "2.3")),
    ("Recommendation 1 (CoC 1)", Ref(R, "1", (COC, "1"))),
    ("Rec 2 (CoC2)", Ref(R, "2", (COC, "2"))),
    ("AFI_06", Ref(AFI, "06")), ("CC1", Ref(COC, "1")), ("CC1 R2", Ref(R, "2", (COC, "1"))),
])
def test_refs_as_offices_write_them(text, ref):
    assert parse_ref(text) == ref


@pytest.mark.parametrize("text", ["", None, "See the report", "Recommendations 1 and 2"])
def test_what_is_not_a_ref(text):
    assert parse_ref(text) is None


def test_the_label_is_what_the_office_wrote():
    assert item_label(AFI, "AFI 7") == "AFI 7"
    assert item_label(R, "CoC1-R2") == "CoC1-R2"
    assert item_label(AFI, "E1") == "E1"
    assert item_label(AFI, "2") == "AFI 2"        # a bare number gets its kind's short name


def test_refs_sort_as_a_person_reads_them():
    refs = ["E2", "P1", "AFI 10", "EF1", "AFI 2", "E1", None, "10", "2"]
    ordered = sorted(refs, key=sort_key)
    assert ordered.index("2") < ordered.index("10")
    assert ordered.index("AFI 2") < ordered.index("AFI 10")
    assert [r for r in ordered if r and r[0] in "EP"] == ["E1", "E2", "EF1", "P1"]
    assert ordered[-1] is None


def test_a_ref_with_its_reports_code_before_a_slash_gives_kind_and_number():
    """'2023/04/R3' (a report's code, then the recommendation), 'PEEL23/AFI2': the kind and
    number are the last part's; words before it are not a code ('see R1' is no ref)."""
    from gain_workbook.model.refs import parse_ref

    assert (parse_ref("2023/04/R3").kind, parse_ref("2023/04/R3").number) == \
        ("Recommendation", "3")
    assert (parse_ref("PEEL23/AFI2").kind, parse_ref("PEEL23/AFI2").number) == \
        ("Area for improvement", "2")
    assert parse_ref("some text/R1") is None and parse_ref("see R1") is None


@pytest.mark.parametrize("text, kind, number, parent", [
    ("PEEL23 AFI 1", "Area for improvement", "1", None),
    ("PEEL23 CoC 1", "Cause of concern", "1", None),
    ("PEEL23 CoC1-R1", "Recommendation", "1", ("Cause of concern", "1")),
    ("PEEL23/CoC1-R1", "Recommendation", "1", ("Cause of concern", "1")),
    ("PEEL-AFI3", "Area for improvement", "3", None),
    ("peel-afi3", "Area for improvement", "3", None),
    ("INS-1-R2", "Recommendation", "2", None),
    ("PEEL 2023 Rec 2", "Recommendation", "2", None),
    ("12", None, "12", None)])
def test_the_ref_an_items_id_ends_with(text, kind, number, parent):
    from gain_workbook.model.refs import ref_at_end

    ref = ref_at_end(text)
    assert (ref.kind, ref.number, ref.parent) == (kind, number, parent)


@pytest.mark.parametrize("a, b", [("AFI 6", "AFI_06"), ("afi-6", "AFI 06"), ("R1", "r01"),
                                  ("CoC1-R2", "coc 01 r 02")])
def test_a_ref_typed_again_with_a_leading_zero_or_underscore_is_the_same_ref(a, b):
    from gain_workbook.model.refs import ref_key

    assert ref_key(a) == ref_key(b)
    assert ref_key("AFI 10") != ref_key("AFI 1") and ref_key("R 20") != ref_key("R 2")
