"""What the items read from a report come to: kept once, numbered, and placed (who each
is for, by when, and what the clerk should check).

``newreport.items`` finds the items where the report gives them; ``finish`` then

- drops a label with no words (it is listed as not placed), and keeps once an item the
  text gives again with no number of its own (a tracker repeats a cause of concern on
  each of its recommendations' rows);
- numbers in order what the report did not number, within each kind and each cause of
  concern, and keeps once the same item given twice (a summary and a chapter);
- leaves the Number empty for a report's only item of a kind that the report did not
  number (its only area for improvement, a lone cause of concern), as the report and the
  response print it; its id still counts it (``ordinal``), so ids stay unique;
- marks for the clerk an item found by its grammar alone (no label, no list) that the
  report gave no number, unless the text says how many of its kind there are and that
  is how many were found;
- works out each item's addressee, deadline and whether it applies to the force.
"""

from __future__ import annotations

import re
from collections import Counter

from gain_workbook.core.dates import UNREADABLE, parse_deadline, uk_date
from gain_workbook.core.text import shorten
from gain_workbook.newreport.grammar import (ACOC, AFI, COC, MODAL, RECOMMENDS, SUB_ITEM, fold,
                                             head, names_forces, names_the_force, who_and_when)
from gain_workbook.newreport.grammar import who as who_is         # (who: a local name here)

# what an item whose text held control characters says to the clerk (validate's code for a cell)
CONTROL_CHECK = ("CONTROL_CHARACTER: its text held control characters, which no workbook can "
                 "store; they were removed, so check the text against the report")


def finish(found, force_name: str) -> None:
    """Numbers, repeats, addressees, deadlines and who each item is for (see the module's
    docstring); ``found.items`` is replaced by what is kept."""
    items = _drop_wordless(found, found.items)
    items = _merge_unnumbered_repeats(found, items)
    _number_in_order(items)
    items = _keep_once(found, items)
    found.items = items
    _leave_lone_unnumbered(items)
    counts = Counter(it.kind for it in items)
    for it in items:
        place(it, items, found.published, force_name)
        _issued_before(it, found)
        if it.found_by == "grammar" and (it.counted or it.ordinal) and \
                found.stated.get(it.kind) != counts[it.kind]:
            it.checks.append(_numbered_in_order(it))
        if it.cleaned:
            it.checks.append(CONTROL_CHECK)
    for n, it in enumerate(items):
        if it.untold:           # for the force when its recommendations are
            it.applies = any(r.applies for r in items if r.parent == n)
        elif it.kind in (COC, ACOC) and not it.applies and UNADDRESSED in it.checks and \
                any(r.applies for r in items if r.parent == n):
            # its words say no one, its recommendations are the force's: so is it
            it.applies = True
            it.checks.remove(UNADDRESSED)


def _kept(items: list, survivors: list, where: dict) -> list:
    """``items[n]`` for each n in ``survivors``, each parent re-pointed through ``where``
    (an old index -> its item's new index; one dropped has none)."""
    out = [items[n] for n in survivors]
    for it in out:
        it.parent = where.get(it.parent) if it.parent is not None else None
    return out


def _drop_wordless(found, items: list) -> list:
    """An item with no words (a label at the end) is not an item."""
    survivors, where = [], {}
    for n, it in enumerate(items):
        if not it.paragraphs and not it.untold:
            found.unplaced.append(f"{it.kind} {it.number}".strip() + " (a label with no text)")
            continue
        where[n] = len(survivors)
        survivors.append(n)
    return _kept(items, survivors, where)


def _merge_unnumbered_repeats(found, items: list) -> list:
    """An item the report gives again with no number of its own (a tracker repeats a cause
    of concern on each of its recommendations' rows): one item, its recommendations under
    it."""
    firsts: dict = {}
    merged: dict = {}
    for n, it in enumerate(items):
        if it.number:
            continue
        key = (it.kind, fold(it.text), it.parent)
        if key in firsts:
            merged[n] = firsts[key]
        else:
            firsts[key] = n
    if not merged:
        return items
    found.repeats += len(merged)
    survivors = [n for n in range(len(items)) if n not in merged]
    where = {n: k for k, n in enumerate(survivors)}
    for n, first in merged.items():
        where[n] = where[first]
    return _kept(items, survivors, where)


def _number_in_order(items: list) -> None:
    """Number in order what the report did not number, per kind (and per cause of
    concern), after the numbers it gave."""
    counters: dict = {}
    for it in items:
        key = (it.kind, it.parent)
        if it.number:
            if digits := _leading_digits(it.number):
                counters[key] = max(counters.get(key, 0), int(digits))
        else:
            counters[key] = counters.get(key, 0) + 1
            it.number, it.counted = str(counters[key]), True


def _leading_digits(number: str) -> str:
    n = 0
    while n < len(number) and number[n].isdigit():
        n += 1
    return number[:n]


def _keep_once(found, items: list) -> list:
    """The same item twice (kind, number and cause of concern): kept once, the longer
    words kept; if the words differ, the clerk is told."""
    survivors, where, seen = [], {}, {}
    for n, it in enumerate(items):
        parent = items[it.parent] if it.parent is not None else None
        key = (it.kind, it.number, (parent.kind, parent.number) if parent else None)
        if key not in seen:
            seen[key] = where[n] = len(survivors)
            survivors.append(n)
            continue
        first = items[survivors[seen[key]]]
        a, b = fold(first.text), fold(it.text)
        if a != b and not a.startswith(b) and not b.startswith(a):
            first.checks.append(f"the text gives {it.kind} {it.number} again in other "
                                f"words ('{shorten(it.text)}')")
        elif len(it.text) > len(first.text):
            first.paragraphs, first.cleaned = it.paragraphs, it.cleaned
        found.repeats += 1
        where[n] = seen[key]
    return _kept(items, survivors, where)


def _leave_lone_unnumbered(items: list) -> None:
    """A report's only item of a kind, which it does not number ('Area for improvement',
    a lone 'Cause of concern'): its Number is left empty, as the report prints it."""
    per_kind = Counter(it.kind for it in items)
    for it in items:
        if it.counted and per_kind[it.kind] == 1:
            it.ordinal, it.number, it.counted = it.number, "", False


def _numbered_in_order(it) -> str:
    """Why an item found by its grammar alone is marked: the number is not the report's."""
    if it.ordinal:
        return ("the report gives it no number, and it is the only one of its kind the text "
                "gives, so its Number is left empty; check the report has no other")
    return (f"the report gives it no number: it is number {it.number} in the order the text "
            "gives them, so check the number against the report")


# ---------------------------------------------------------------- who each is for, by when

def _issued_before(it, found) -> None:
    """A deadline 'within 28 days' counts from the publication date; a letter that says
    its causes of concern were issued earlier ('On 16 August 2023, we issued ...') means
    from then: said, to check (the date is the clerk's to judge)."""
    issued, published = getattr(found, "issued", None), found.published
    if issued is None or published is None or issued >= published or \
            not it.deadline_text or not it.deadline_text.lower().startswith("within"):
        return
    it.checks.append(f"'{it.deadline_text}' was counted from the publication date "
                     f"({uk_date(published)}), but the text says it was issued on "
                     f"{uk_date(issued)}: check the deadline")


def place(it, items, published, force_name: str) -> None:
    """An item's addressee, deadline and whether it applies to the force, each with what
    the clerk should check."""
    if it.untold:
        it.checks.append("the text gives its recommendations but not the cause of concern's "
                         "own words; copy them in from the report")
        return
    if it.after:
        n = len(it.after)
        some = "a paragraph that reads" if n == 1 else f"{n} paragraphs that read"
        it.checks.append(f"after it the text has {some} like an item but "
                         f"{'has' if n == 1 else 'have'} no kind or number "
                         f"({'' if n == 1 else 'the first: '}'{shorten(it.after[0])}')")
    addressee, deadline_text, deadline, who = _who_and_when_of(it, published, force_name)
    it.addressee, it.deadline_text = addressee, deadline_text
    if deadline is UNREADABLE:
        it.checks.append(f"no date can be worked out from the deadline '{deadline_text}'")
        deadline = None
    elif deadline is None and deadline_text and published is None:
        it.checks.append(f"'{deadline_text}' counts from the publication date, which is not "
                         "known")
    it.deadline = deadline
    if addressee:
        _applies_to(it, addressee, who, force_name)
    else:
        _applies_unaddressed(it, items, force_name)


def _who_and_when_of(it, published, force_name: str) -> tuple:
    """(addressee, deadline as written, deadline, who-class): from a list's lead-in, what it
    does not say from the entry ('HMIC recommends that:', '- the force should ...'); else
    from the item's words, and if they name no one ('By 27 March 2025, review whether
    ...'), the addressee from its next paragraph ('PCCs ... should ...')."""
    first = it.lead or it.paragraphs[0]
    addressee, deadline_text, deadline, who = who_and_when(first, published, force_name)
    if it.lead and it.entry and not (addressee and deadline_text):
        a2, t2, d2, w2 = who_and_when(it.entry, published, force_name)
        if not addressee:
            addressee, who = a2, w2
        if not deadline_text:
            deadline_text, deadline = t2, d2
    elif not addressee and not it.lead and len(it.paragraphs) > 1 and \
            not SUB_ITEM.match(it.paragraphs[1]) and not it.paragraphs[1][:1].islower() and \
            not MODAL.search(head(RECOMMENDS.sub("", first))):
        addressee, _, _, who = who_and_when(it.paragraphs[1], published, force_name)
    if not deadline_text and it.when:         # ('Within three months', a heading above it)
        deadline_text = it.when[:1].upper() + it.when[1:]
        deadline = parse_deadline(deadline_text, published)
    if not addressee and it.group_for:          # ('For chief constables and PCCs', above it)
        addressee = it.group_for[:1].upper() + it.group_for[1:]
        who = who_is(addressee, force_name)
    return addressee, deadline_text, deadline, who


def _applies_unaddressed(it, items, force_name: str) -> None:
    """An item whose words say no addressee: the force's when they name it (or its cause of
    concern is the force's); a cause of concern or area for improvement about forces is."""
    text = it.text
    if names_the_force(text, force_name) or (it.parent is not None and items[it.parent].applies):
        it.applies = True
    elif it.kind in (COC, ACOC, AFI) and (names_forces(text) or _THE_INSPECTED.match(text)):
        it.applies = True
    else:
        it.applies = False
        it.checks.append(UNADDRESSED)


UNADDRESSED = "the text does not say who it is for; say whether it applies to the force"
# A cause of concern or area for improvement about the body inspected, in its own words:
# 'The service hasn't made enough progress ...' (a fire and rescue service's report)
_THE_INSPECTED = re.compile(r"^\s*(?:the|this)\s+(?:service|force|constabulary)\b", re.I)


# a later clause of an item for others that asks forces too ('..., and chief constables
# should make sure ...'); bounded, so a long text is not tried from each word to its end
_FORCES_LATER = re.compile(r"\b(?:and|while|with)\s+(?P<who>(?:all\s+|each\s+|the\s+)?"
                           r"(?:chief\s+constables?|forces|police\s+forces))\s+(?:should|must)\b",
                           re.I)


def _applies_to(it, addressee: str, who: str, force_name: str) -> None:
    """Whether an item addressed to ``addressee`` is the force's, and what to check."""
    it.applies = who in ("force", "named force")
    if who == "other force":
        it.checks.append(f"it is addressed to '{addressee}', not to {force_name}; say Yes if it "
                         "is for the force")
    elif who == "named force":
        it.checks.append(f"it is addressed to '{addressee}' and the register's Settings do not "
                         "name the force; check it is ours")
    elif who == "some forces":
        it.checks.append("it is for some forces only (see its Addressee); say Yes if the "
                         "force is one of them")
    elif who not in ("force", "other"):
        it.checks.append(f"who '{shorten(addressee, 60)}' is could not be told; say whether it "
                         "applies to the force")
    elif who == "other" and (later := _FORCES_LATER.search(it.text)):
        # '... the College should develop it, and chief constables should make sure their
        # officers complete it': the forces are asked too, after the first clause
        it.checks.append(f"it also asks '{shorten(later.group('who'), 40)}' to act; say "
                         "Yes if it is for the force")
