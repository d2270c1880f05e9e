"""Generated registers (tests/shapes.py): every layout offices keep × every vocabulary
they write headers in (everyday words, Welsh and English, a performance system's field
names, abbreviations) × the styles of values the reader knows (date cells, dates as text,
Excel serials; refs with a Kind column, 'R1', 'Rec 1', 'Recommendation 1').

For each family the reader claims, each register it reads must read back to the tables it
was made from (any difference fails at once), nothing non-empty may be left unsaid, and
at least 95% of the family's registers must be read: a refusal is a miss, never a pass,
and the rate is measured. Registers of the families it does not claim are refused with
the sentence that names why.

CI reads GAIN_SHAPE_EXAMPLES registers per family (8 unless set: 192 in all, with the
flaws and the hypothesis search about 280); set it higher (say 100) for a long run.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gain_workbook.core.errors import RegisterError
from gain_workbook.register.reader import read_register
from shapes import FLAWS, LAYOUTS, VOCABULARIES, Spec, build, canonical, unaccounted

EXAMPLES = int(os.environ.get("GAIN_SHAPE_EXAMPLES", "8"))
CLAIMED_RATE = 0.95


def read_back(spec: Spec, path) -> str:
    """'read' when the register reads back to its tables with nothing unsaid, 'refused'
    when it is refused; any other outcome fails the test, saying how."""
    want = build(spec, path)
    try:
        reg = read_register(path)
    except RegisterError as exc:
        return "refused: " + str(exc).split("\n")[0]
    got = canonical(reg)
    for table in ("inspections", "items", "actions"):
        if got[table] != want[table]:
            extra = sorted(set(map(str, got[table])) - set(map(str, want[table])))[:2]
            missing = sorted(set(map(str, want[table])) - set(map(str, got[table])))[:2]
            pytest.fail(f"{spec}: {table} read wrong (a quiet misreading)\n"
                        f"  read, not made: {extra}\n  made, not read: {missing}")
    lost = unaccounted(path, reg)
    assert lost == [], (spec, lost)
    return "read"


@pytest.mark.slow
@pytest.mark.parametrize("vocab", VOCABULARIES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_claimed_family_reads_back_to_its_tables(tmp_path, layout, vocab):
    outcomes = [read_back(Spec(layout, vocab, seed), tmp_path / f"r{seed}.xlsx")
                for seed in range(EXAMPLES)]
    refused = [o for o in outcomes if o != "read"]
    rate = 1 - len(refused) / len(outcomes)
    assert rate >= CLAIMED_RATE, (f"{layout} × {vocab}: read {rate:.0%} of "
                                  f"{len(outcomes)}", refused[:3])


@pytest.mark.slow
@pytest.mark.parametrize("flaw, layout", [
    ("no action column", "flat"), ("no action column", "open/archive"),
    ("no action column", "per report"), ("no action column", "two-row headers"),
    ("card without its words", "cards"), ("card with other headers", "cards")])
def test_families_not_claimed_are_refused_saying_why(tmp_path, flaw, layout):
    for seed in range(max(2, EXAMPLES // 4)):
        for vocab in VOCABULARIES:
            path = tmp_path / f"{vocab}{seed}.xlsx"
            build(Spec(layout, vocab, seed, flaw=flaw), path)
            with pytest.raises(RegisterError) as refusal:
                read_register(path)
            assert FLAWS[flaw] in str(refusal.value), (vocab, seed, str(refusal.value))


@pytest.mark.slow
@settings(max_examples=max(40, EXAMPLES * 5), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(layout=st.sampled_from(LAYOUTS), vocab=st.sampled_from(VOCABULARIES),
       seed=st.integers(1000, 100_000), n=st.integers(3, 30))
def test_any_generated_register_is_read_right_or_refused(tmp_path_factory, layout, vocab,
                                                         seed, n):
    """A wider search than the families' seeds, with registers of every size: whatever is
    read is read right, with nothing unsaid."""
    path = tmp_path_factory.mktemp("gen") / "r.xlsx"
    read_back(Spec(layout, vocab, seed, n), path)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_register_of_each_layout_reads_in_the_quick_run(tmp_path, layout):
    """One small register of each layout, for the quick run (-m 'not slow')."""
    assert read_back(Spec(layout, "everyday", 7, 3), tmp_path / "r.xlsx") == "read"
