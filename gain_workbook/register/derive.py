"""Values worked out from others once the tables are read: kinds and causes of concern
from refs, action ids that restart in each item, deadlines from their words."""

from __future__ import annotations

import datetime as dt
import re

from gain_workbook.model import schema
from gain_workbook.core.dates import UNREADABLE, parse_deadline
from gain_workbook.model.refs import parse_ref
from gain_workbook.model.problems import make_problem
from gain_workbook.model.schema import BY_KEY, INSPECTIONS, ITEMS
from gain_workbook.model.tables import PART_SPAN, Table

def derive_refs(tables, problems) -> None:
    """Kinds from refs ('AFI 7', 'CoC1-R2') where the register has no Kind, and each
    recommendation made under a cause of concern linked to it ('Under')."""
    items = tables[ITEMS]
    frame = items.frame
    if not len(frame):
        return
    kind_col = frame["kind"]
    no_kind = kind_col.isna().to_numpy()
    if not no_kind.any() and not kind_col.isin(_CONCERNS).any():
        return               # kinds all given, no cause of concern to link to: the usual case
    kinds, parents = kind_col.tolist(), frame["parent_item"].tolist()
    numbers, ids = frame["number"].tolist(), frame["item_id"].tolist()
    refs: dict = {}          # parsed only where needed

    def ref_of(n):
        if n not in refs:
            refs[n] = parse_ref(numbers[n]) or parse_ref(_last_word(ids[n]))
        return refs[n]

    defaulted = []
    index = frame.index.tolist()
    for n in no_kind.nonzero()[0]:
        ref = ref_of(n)
        if ref is not None and ref.kind:
            kinds[n] = ref.kind
        else:
            kinds[n] = kind_named(items.header("item_text", index[n])) \
                or BY_KEY["kind"].absent_default
            defaulted.append(index[n])
    if defaulted and not any(items.has("kind", r) for r in defaulted):
        problems.append(make_problem(
            "MISSING_COLUMN", items.sheet_of(defaulted[0]), "", BY_KEY["kind"].header, "",
            noun="item", assumed=f", and {len(defaulted)} of the items' refs do not say their "
                                 f"kind, so they were taken as '{BY_KEY['kind'].absent_default}'"))
    search = _MAY_BE_UNDER.search
    under = [n for n, (p, num, iid) in enumerate(zip(parents, numbers, ids))
             if p is None and search(num if num is not None else str(iid))] \
        if any(k in _CONCERNS for k in kinds) else []
    if under:
        inspections = frame["item_inspection_id"].tolist()
        by_number = {}
        for n, kind in enumerate(kinds):
            ref = ref_of(n) if kind in _CONCERNS else None
            if ref is not None and ref.number and ref.parent is None:
                by_number.setdefault((inspections[n], ref.number), ids[n])
        for n in under:
            ref = ref_of(n)
            if ref is not None and ref.parent is not None:
                parents[n] = by_number.get((inspections[n], ref.parent[1]))
    import pandas as pd

    if no_kind.any():
        frame["kind"] = pd.Series(kinds, index=frame.index, dtype=object)
    if under:
        frame["parent_item"] = pd.Series(parents, index=frame.index, dtype=object)


def kind_named(header: str) -> str | None:
    """The one kind a text column's header names ('Area for Improvement' -> AFI), if any."""
    words = schema.header_words(header)
    named = {k for w, k in (("afi", "Area for improvement"), ("recommendation", "Recommendation"),
                            ("coc", "Cause of concern")) if w in words}
    return named.pop() if len(named) == 1 else None


_CONCERNS = ("Cause of concern", "Accelerated cause of concern")
# 'CoC1-R2': a kind word and number, a separator, another kind word (a cheap first look).
# The separator is one of -–./ or a space within the spaces: said so that a run of spaces
# has one way to match, not one per split (tests/test_patterns.py).
_MAY_BE_UNDER = re.compile(r"[a-z]\s*+\d++(?:\s*+[-–./]|[^\S ]*+ )\s*+[a-z]", re.I)


def _last_word(text):
    return str(text).split(" ")[-1] if text else None


def qualify_action_ids(actions: Table) -> None:
    """Action refs that restart in each item ('1', '2'; '1.1') name an action within its
    item: where the same ref is used under different items, the action's id becomes
    'item ref', so only a repeat within one item is a duplicate."""
    f = actions.frame
    if not len(f) or f["action_id"].is_unique:
        return
    owners = f.dropna(subset=["action_id"]).groupby("action_id")["action_item_id"].nunique()
    shared = set(owners.index[owners > 1])
    if not shared:
        return
    # every action of a sheet where refs restart, so that its ids read alike
    restarting = {row // PART_SPAN for row, aid in zip(f.index, f["action_id"]) if aid in shared}
    new = []
    for row, aid, iid in zip(f.index, f["action_id"], f["action_item_id"]):
        if aid is not None and row // PART_SPAN in restarting:
            actions.raw.setdefault(("action_id", row), aid)
            new.append(f"{iid} {aid}")
        else:
            new.append(aid)
    import pandas as pd

    f["action_id"] = pd.Series(new, index=f.index, dtype=object)


def derive_deadlines(tables, date1904, problems) -> None:
    """Work out 'Deadline date' from the deadline's words where it was left blank."""
    items, inspections = tables[ITEMS], tables[INSPECTIONS]
    if not len(items.frame):
        return
    published = {}
    for iid, pub in zip(inspections.frame["inspection_id"], inspections.frame["published"]):
        if isinstance(pub, dt.date) and iid is not None:
            published.setdefault(iid, pub)
    frame = items.frame
    new = []
    # An inspection's items mostly share one deadline phrase: work each out once.
    known = {}
    for row, text, date, ins in zip(frame.index, frame["deadline_text"], frame["deadline"],
                                    frame["item_inspection_id"]):
        if date is not None or text is None:
            new.append(date)
            continue
        key = (text, published.get(ins))
        d = known.get(key)
        if d is None:
            d = known[key] = parse_deadline(text, key[1], date1904)
        if d is UNREADABLE:
            problems.append(make_problem("BAD_DEADLINE", *items.where("deadline_text", row),
                                         text))
            d = None
        new.append(d)
    frame["deadline"] = new
