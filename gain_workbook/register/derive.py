"""Values worked out from others once the tables are read: kinds, numbers and causes of
concern from refs, action ids that restart in each item, deadlines from their words (or
from the item's own words when the register has no deadline column), closing dates from
a status's note, rows that say an item is not for the force, and short inspection ids."""

from __future__ import annotations

import datetime as dt
import re

from gain_workbook.model import schema
from gain_workbook.core.dates import UNREADABLE, deadline_phrase, parse_deadline
from gain_workbook.model.refs import kind_word, parse_ref, ref_at_end, leading_kind
from gain_workbook.model.problems import make_problem
from gain_workbook.core.text import plural
from gain_workbook.model.schema import ACTIONS, BY_KEY, INSPECTIONS, ITEMS, norm_key
from gain_workbook.model.tables import PART_SPAN, Table


def derive_refs(tables, problems) -> None:
    """Kinds from refs ('AFI 7', 'CoC1-R2') where the register has no Kind, each
    recommendation made under a cause of concern linked to it ('Under'), and each
    item's number read from its ref ('AFI 7' -> 7; the ref is kept as written)."""
    _kinds_and_parents(tables, problems)
    _no_such_concern(tables[ITEMS], problems)
    split_numbers(tables[ITEMS])


def _no_such_concern(items: Table, problems) -> None:
    """A recommendation whose ref says it was made under a cause of concern ('CoC1-R2')
    that the register does not have: it stands alone, said once for each such cause of
    concern of a report (its recommendations were not counted with it, in silence)."""
    frame = items.frame
    if not len(frame) or "parent_item" not in frame:
        return
    search = _MAY_BE_UNDER.search
    said: dict = {}
    for index, parent, num, iid, ins in zip(frame.index, frame["parent_item"],
                                            frame["number"], frame["item_id"],
                                            frame["item_inspection_id"]):
        shown = num if num is not None else iid
        if parent is not None or shown is None or not search(str(shown)):
            continue
        ref = parse_ref(num) if num is not None else None
        ref = ref if ref is not None and ref.parent else ref_at_end(iid)
        if ref is not None and ref.parent is not None:
            said.setdefault((ins, ref.parent), []).append((index, shown))
    for (ins, (kind, number)), rows in said.items():
        (index, shown), more = rows[0], len(rows) - 1
        problems.append(make_problem(
            "NO_SUCH_CONCERN", *items.where("number" if items.has("number", index)
                                            else "item_id", index), shown,
            concern=f"{kind.lower()} {number}", report=ins,
            also=f" (as {'does' if more == 1 else 'do'} {plural(more, 'other')})"
            if more else ""))


def split_numbers(items: Table) -> None:
    """An item's number from a ref that carries its kind ('R1', 'Rec 3', 'AFI 7', 'CoC 1',
    'CoC1-R2' -> 1, 3, 7, 1, 2), where that kind is the item's: the number is what the
    response prints ('Recommendation 1'), the ref as written (``raw``) what the pack and
    the update requests show. A pillar ref ('E1') or one whose kind the Kind column
    contradicts is kept as written."""
    frame = items.frame
    numbers = frame["number"].tolist()
    if all(n is None or type(n) is not str or n.isdecimal() for n in numbers):
        return                                      # the usual case: plain numbers
    new = list(numbers)
    for n, (num, kind, index) in enumerate(zip(numbers, frame["kind"], frame.index)):
        if type(num) is not str or num.isdecimal():
            continue
        ref = parse_ref(num)
        if ref is None and kind_word(num) == kind:
            items.raw.setdefault(("number", index), num)    # 'AFI': a report's only one
            new[n] = None
            continue
        if ref is None or ref.kind is None or ref.number is None or ref.kind != kind:
            continue
        items.raw.setdefault(("number", index), num)
        new[n] = ref.number
    frame["number"] = _objects(new, frame.index)


def _objects(values: list, index):
    """A column of canonical values (object dtype: pandas would make text a string dtype)."""
    import pandas as pd

    return pd.Series(values, index=index, dtype=object)


def _kinds_and_parents(tables, problems) -> None:
    """Kinds from refs where the register has no Kind; recommendations linked to the cause
    of concern they were made under."""
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
            refs[n] = parse_ref(numbers[n]) or ref_at_end(ids[n])
        return refs[n]

    defaulted = []
    index = frame.index.tolist()
    for n in no_kind.nonzero()[0]:
        ref = ref_of(n)
        if ref is not None and ref.kind:
            kinds[n] = ref.kind
        elif leading_kind(numbers[n]):
            kinds[n] = leading_kind(numbers[n])   # 'AFI' alone, 'AFI 3 & 4'
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
    under += _numbered_under(kinds, parents, numbers, ids, frame["item_inspection_id"].tolist())
    import pandas as pd

    if no_kind.any() or under:      # (a cause of concern numbered as a part: a recommendation)
        frame["kind"] = pd.Series(kinds, index=frame.index, dtype=object)
    if under:
        frame["parent_item"] = pd.Series(parents, index=frame.index, dtype=object)


_PART_OF = re.compile(r"(\d{1,3})(?:\.\d{1,3}|[a-z]|\s?\((?:[a-z]|[ivx]{1,4})\))")   # '1.1'; '1a'; '1(a)'


def _own_number(num) -> str | None:
    """An item's number as its ref gives it: '1.1' of 'Recommendation 1.1', '1' of 'CoC 1'
    and of '1'; None when there is none."""
    if num is None or num != num:
        return None
    ref = parse_ref(num)
    return ref.number if ref is not None and ref.number else str(num).strip() or None


def _numbered_under(kinds: list, parents: list, numbers: list, ids: list,
                    inspections: list) -> list:
    """Recommendations numbered as parts of a cause of concern's number ('1.1', '1.2'
    after cause of concern 1, a Kind column saying which is which): linked to it, as
    'CoC1-R1' is. They stood alone, the cause of concern Red with 'no actions' (a
    trial). Only where the report has that cause of concern and no recommendation
    numbered as the whole ('1'). A cause of concern numbered as a part of another's
    ('CoC 1(a)', 'CoC 1a', 'CoC 1.1' beside 'CoC 1') is its recommendation too: it was a
    cause of concern of its own, and the published response listed three causes and no
    recommendations (a trial). Returns the rows linked."""
    concerns, whole = {}, set()
    keys = [_own_number(num) for num in numbers]
    for kind, key, iid, ins in zip(kinds, keys, ids, inspections):
        if kind in _CONCERNS and key:
            concerns.setdefault((ins, key), iid)
        elif kind == "Recommendation" and key:
            whole.add((ins, key))
    if not concerns:
        return []
    linked = []
    for n, (kind, key, parent, ins) in enumerate(zip(kinds, keys, parents, inspections)):
        part = kind == "Recommendation" or kind in _CONCERNS
        m = _PART_OF.fullmatch(key) if part and parent is None and key else None
        if m and (ins, m.group(1)) in concerns and (ins, m.group(1)) not in whole:
            kinds[n] = "Recommendation"
            parents[n] = concerns[(ins, m.group(1))]
            linked.append(n)
    return linked


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
# (or the cause of concern in brackets after: 'Recommendation 1 (CoC 1)')
_MAY_BE_UNDER = re.compile(r"[a-z]\s*+\d++(?:\s*+[-–./]|[^\S ]*+ )\s*+\(?[a-z]", re.I)


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
    _deadlines_from_text(items)
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


def _deadlines_from_text(items: Table) -> None:
    """On a sheet with no deadline column, an item's deadline is the one its words give
    ('By 31 October 2023, chief constables should ...'), read by add-report's rule
    (``dates.deadline_phrase``) and kept as written in 'Deadline (as written)'."""
    without = {n for n, part in enumerate(items.parts)
               if "deadline_text" not in part.headers and "deadline" not in part.headers}
    if not without:
        return                                      # the usual case: a deadline column
    frame = items.frame
    texts = frame["deadline_text"].tolist()
    changed = False
    for n, (index, text) in enumerate(zip(frame.index, frame["item_text"])):
        if (index // PART_SPAN in without and text is not None and texts[n] is None
                and frame["deadline"].iat[n] is None):
            phrase = deadline_phrase(text)
            if phrase and parse_deadline(phrase, None) is not UNREADABLE:
                texts[n] = phrase
                changed = True
    if changed:
        frame["deadline_text"] = _objects(texts, frame.index)


# ---------------------------------------------------------------- after the values

# What a status that finishes the work says its note's date is: column -> (the date it
# fills, its words, the statuses that finish).
CLOSING = {"action_status": ("completed", "the date it was completed", schema.ACTION_DONE),
           "hmicfrs_status": ("hmicfrs_closed", "the date HMICFRS closed it",
                              schema.HMICFRS_CLOSED)}


def derive_values(tables, ctx, plan=None) -> None:
    """What the values say beyond themselves: the date a closing note gives ('Closed by
    HMICFRS 12/03/2021') where the row has no date of its own, the notes' warnings
    completed (and ``plan``'s columns saying they carry notes, for describe), and the
    rows that say their item is not for the force."""
    from gain_workbook.register.values import describe_notes, finish_notes

    for key, (date_key, _, done) in CLOSING.items():
        dated = {index: day for (k, index), day in ctx.note_dates.items() if k == key}
        if not dated:
            continue
        table = tables[BY_KEY[key].table]
        frame = table.frame
        values = frame[date_key].tolist()
        for n, (index, status) in enumerate(zip(frame.index, frame[key])):
            if index in dated and status in done and values[n] is None:
                values[n] = dated[index]
        frame[date_key] = _objects(values, frame.index)
    finish_notes(ctx, {k: (words, done) for k, (_, words, done) in CLOSING.items()})
    if plan is not None:
        describe_notes(plan, ctx)
    not_for_force_rows(tables, ctx.problems)
    not_for_force_statuses(tables[ITEMS], tables[ACTIONS], ctx.problems)
    addressed_elsewhere(tables[ITEMS], tables[ACTIONS], ctx.problems,
                        getattr(ctx.settings, "named_force", "") or "")


def addressed_elsewhere(items: Table, actions: Table, problems, force_name: str) -> None:
    """An item whose Addressee names only another body ('CPS', 'NHS England', 'Home
    Office'), where no column says whether items apply to the force and the item has no
    actions of the force's: it does not apply (it was Red, 'applies to the force but has
    no actions', in a joint inspection's register). Said once for each distinct addressee."""
    from gain_workbook.model.addressees import who

    fi = items.frame
    if not len(fi) or "addressee" not in fi or fi["addressee"].isna().all() or \
            any("applies" in part.headers for part in items.parts):
        return
    with_actions = set(actions.frame["action_item_id"].tolist()) if len(actions.frame) else set()
    said = set()
    for item, addressee, iid in zip(fi.index, fi["addressee"], fi["item_id"]):
        if type(addressee) is not str or iid in with_actions or \
                fi.at[item, "applies"] == "No" or not items.has("addressee", item) or \
                who(addressee, force_name) not in ("other", "other force" if force_name
                                                   else "other"):
            # (with no force's name, a force named is none we can tell from ours)
            continue          # (and an addressee a row's 'N/A - for ...' gave was said)
        fi.at[item, "applies"] = "No"
        if norm_key(addressee) not in said:
            said.add(norm_key(addressee))
            problems.append(make_problem(
                "NOT_FOR_FORCE_ROW", *items.where("addressee", item), addressee,
                outcome=f"the item was read as {BY_KEY['applies'].header} 'No'", also=""))


def not_for_force(text) -> bool:
    """Does a cell say its row is not for the force ('N/A', 'N/A – for the Home Office',
    'Not applicable', 'Not for force')? The words are schema.YES_NO_LEADS' for no, but
    a plain 'No'."""
    if type(text) is not str or not text:
        return False
    folded = norm_key(text)
    return any(folded == lead or folded.startswith(lead + " ") for lead in _NOT_FOR_FORCE)


_NOT_FOR_FORCE = tuple(lead for lead, word, _ in schema.YES_NO_LEADS
                       if word == "No" and lead not in ("no", "n"))
_US = re.compile(r"\b(?:force|us|we)\b", re.I)
def _named(m):
    """The match, when what follows the dash is a body's name ('NPCC', 'Home Office',
    'College of Policing'), not a reason ('CPD offer already received')."""
    words = m.group("who").split() if m else []
    return m if 0 < len(words) <= 6 and all(
        w[:1].isupper() or w in ("of", "and", "the", "&", "for") for w in words) else None


# 'N/A - NPCC', 'Not applicable: Home Office': whom, after the dash, with no 'for'
_NA_WHO = re.compile(r"^(?:n\s*/\s*a|na|not\s+applicable|not\s+relevant)\s*[-–—:;(]\s*"
                     r"(?P<who>[A-Z][\w&'’ ]{0,60}?)\)?$", re.I)
_FOR_SOMEONE = re.compile(r"^(?:(?:n\s*/\s*a|na|not\s+applicable|not\s+relevant)\b[\s\-–—:;,(]*)?"
                          r"(?:(?:it\s+is\s+|this\s+is\s+)?(?:for|to)\s+)(?P<who>.+)$",
                          re.I)


def not_for_force_rows(tables, problems) -> None:
    """An action row whose status, or whose action with no status or due date, says
    the item is not for the force ('N/A – for the Home Office') is not an action: the
    item is not the force's (unless its Applies to force says Yes), its addressee taken
    from the words where it has none. Said once for each distinct phrase."""
    actions, items = tables[ACTIONS], tables[ITEMS]
    f = actions.frame
    if not len(f):
        return
    texts = f["action_text"].tolist()
    hits = _rows_saying_not_for_force(texts, f["action_status"].tolist(), f["due"].tolist())
    if not hits:
        return
    index = f.index
    dropped = {index[n] for n, _, _ in hits}
    item_ids = f["action_item_id"].tolist()
    kept_items = {item_ids[n] for n in range(len(f)) if index[n] not in dropped}
    fi = items.frame
    first = items.first_index("item_id")
    said: dict = {}
    for n, key, value in hits:
        row = index[n]
        item = first.get(str(item_ids[n])) if item_ids[n] is not None else None
        if item is None:
            dropped.discard(row)          # an unknown item: left for UNKNOWN_ITEM
            continue
        _extras_to_item(actions, items, row, item)
        # ('N/A' in its status, 'N/A - for the Home Office' in its action: the words that
        # say who the item is for are the action's)
        words = texts[n] if key == "action_status" and texts[n] and \
            not_for_force(texts[n]) else value
        outcome = _not_for_force_item(items, fi, item, words, item_ids[n] in kept_items)
        if fi.at[item, "item_force"] is None and f["force"].iat[n] is not None:
            fi.at[item, "item_force"] = f["force"].iat[n]     # whose item it is, kept
        phrase = (key, norm_key(value))
        if phrase in said:
            said[phrase][1].append(actions.cell(key, row))
            continue
        said[phrase] = (len(problems), [actions.cell(key, row)])
        problems.append(make_problem("NOT_FOR_FORCE_ROW", *actions.where(key, row), value,
                                     outcome=outcome, also=""))
    for at, cells in said.values():
        if len(cells) > 1:
            import dataclasses

            p = problems[at]
            problems[at] = dataclasses.replace(p, message=p.message[:-1] + (
                f" (as in {len(cells) - 1} other row{'s' if len(cells) > 2 else ''})."))
    if dropped:
        actions.frame = f.drop(index=sorted(dropped))


def _rows_saying_not_for_force(texts: list, statuses: list, dues: list) -> list:
    """[(position, key, value)] of the action rows whose status, or whose action with no
    status or due date, says the item is not for the force."""
    vocab = frozenset(schema.ACTION_STATUSES)
    # (a cheap first look: a status not from the list, an action starting with N)
    maybe = sorted({n for n, status in enumerate(statuses) if status is not None
                    and status not in vocab}
                   | {n for n, text in enumerate(texts) if text and text[0] in "Nn"})
    hits = []
    for n in maybe:
        text, status, due = texts[n], statuses[n], dues[n]
        if status is not None and status not in vocab and not_for_force(status):
            hits.append((n, "action_status", status))
        elif (text and text[0] in "Nn" and due is None and not_for_force(text)
              and (status is None or (status not in vocab and not_for_force(status)))):
            hits.append((n, "action_text", text))
    return hits


def not_for_force_statuses(items: Table, actions: Table, problems) -> None:
    """An item's own status saying it is not for the force ('N/A - NPCC', 'Not
    applicable – Home Office') where no column says whether it applies: it does not
    (so it has no actions to want, nor a Red 'No actions'), its addressee from the words
    where it has none. Once for each distinct phrase."""
    fi = items.frame
    if not len(fi) or "force_status" not in fi or \
            any("applies" in part.headers for part in items.parts):
        return
    with_actions = set(actions.frame["action_item_id"].tolist()) if len(actions.frame) else set()
    said: dict = {}
    for item, status, iid in zip(fi.index, fi["force_status"], fi["item_id"]):
        if type(status) is not str or not not_for_force(status) or iid in with_actions:
            continue
        outcome = _not_for_force_item(items, fi, item, status, False)
        phrase = norm_key(status)
        if phrase in said:
            continue
        said[phrase] = True
        problems.append(make_problem("NOT_FOR_FORCE_ROW", *items.where("force_status", item),
                                     status, outcome=outcome.replace(", and the row not as "
                                                                     "an action", ""),
                                     also=""))


def _extras_to_item(actions: Table, items: Table, row, item) -> None:
    """The office's own columns of a row that is not an action go with its item (adopt
    keeps them there)."""
    for header, cells in actions.extras.items():
        if row in cells:
            items.extras.setdefault(header, {}).setdefault(item, cells.pop(row))


def _not_for_force_item(items: Table, fi, item, value: str, has_actions: bool) -> str:
    """The item of a row not for the force made not the force's; what was done, in words."""
    said_yes = items.has("applies", item) and fi.at[item, "applies"] == "Yes"
    if has_actions or said_yes:
        why = ("the item has other actions" if has_actions else
               f"its {items.header('applies', item)} says Yes")
        return f"the row was not read as an action ({why})"
    if fi.at[item, "applies"] != "No":
        # adopt keeps the words: its own Applies cell's ('N – national'); the row's are
        # why the item has no action (its No action because, where that is blank)
        own = fi.at[item, "applies"] if items.has("applies", item) else None
        fi.at[item, "applies"] = "No"
        if isinstance(own, str) and own.strip():
            items.raw.setdefault(("applies", item), own)
        if "no_action_reason" in fi and fi.at[item, "no_action_reason"] is None:
            fi.at[item, "no_action_reason"] = value.strip()
    who = _FOR_SOMEONE.match(value.strip()) or _named(_NA_WHO.match(value.strip()))
    # (the trailing stops and brackets are stripped here: a lazy pattern before them
    # would be quadratic on a line of them)
    name = who.group("who").rstrip(" \t\n\r\f\v.)") if who else ""
    if name and fi.at[item, "addressee"] is None and not _US.search(name):
        fi.at[item, "addressee"] = name.strip()
    return (f"the item was read as {items.header('applies', item) if items.has('applies', item) else BY_KEY['applies'].header} "
            "'No', and the row not as an action")


# ---------------------------------------------------------------- short inspection ids

SHORT_ID_MAX = 20
# Words a short id leaves out: they are in most titles and tell one report from no other.
_ID_STOP = frozenset({
    "a", "an", "the", "of", "in", "into", "on", "and", "for", "to", "by", "with", "how",
    "well", "its", "their", "at", "from", "as", "is", "are", "be", "inspection",
    "inspections", "report", "police", "policing", "service", "services", "force",
    "forces", "england", "wales", "hmicfrs", "hmic", "his", "majestys", "inspectorate",
    "constabulary", "fire", "rescue", "an", "our", "that", "this", "what"})


def short_inspection_id(title, published=None, taken=()) -> str:
    """A short id for a report, made from its title's words and its year: 'VMM-2022' for
    the 2022 'An inspection of vetting, misconduct and misogyny in the police service';
    at most SHORT_ID_MAX characters, and none of ``taken`` (a number is added)."""
    words = re.findall(r"[A-Za-z][A-Za-z'’]*|\d+", str(title or ""))
    keep = [w for w in words if norm_key(w) not in _ID_STOP and not w.isdigit()]
    letters = "".join(w[0] for w in keep).upper()[:6]
    if len(letters) < 2:
        letters = (keep[0] if keep else (words[0] if words else "Report"))[:8].upper()
    year = published.year if isinstance(published, dt.date) else None
    base = f"{letters}-{year}" if year else letters
    # (taken as ids are matched: 'VMM 2022' is 'VMM-2022')
    taken = {norm_key(str(t)) for t in taken}
    out, n = base, 1
    while norm_key(out[:SHORT_ID_MAX]) in taken:
        n += 1
        out = f"{base}-{n}"
    return out[:SHORT_ID_MAX]
