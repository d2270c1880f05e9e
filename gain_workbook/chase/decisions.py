"""The board's decisions, read back from the pack's For decision sheet and weighed
against the register as it is now.

``plan_decisions`` changes nothing: it reads each decision typed into the pack (Agreed,
Not agreed or Deferred; a word that plainly means one of them, said as read; anything
else a problem, never guessed), checks that the row's facts (recorded in the pack's
hidden DecisionFacts sheet) are still the register's, and lists what each decision
changes. ``register.edit`` applies the plan. What a decision changes:

=============  ==========================================  ===============================
row            Agreed                                      Not agreed
=============  ==========================================  ===============================
sign-off       the item's Ready for closure (board         nothing
               signed) is the meeting's date; its own
               actions are Closed
closure        the action is Closed                        the action is In progress again
                                                           (its owner is asked next month)
new due date   the action's Revised due is the date        the request is marked not
               asked for; the request marked agreed        agreed
new deadline   the item's Revised deadline (board agreed)  the request is marked not
               is the date asked for; the request marked   agreed
               agreed
plan           the inspection's Plan accepted (board) is   nothing
               the meeting's date
response       nothing                                     nothing
=============  ==========================================  ===============================

Deferred changes nothing. Every decision, with its note, goes on the Updates history
dated the meeting, and every change beside it; a request decided goes again at the
bottom of Extension requests with its Board decision. A decision whose row has
changed in the register since the pack was built, or whose subject is gone, is a
problem naming what changed, and is not applied; the others are. A decision recorded
before for the same meeting and row is "recorded before" only when the pack still says
what the Updates history says (the decision and its note); a pack typed otherwise since
is a problem, never recorded again over the first.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field

from gain_workbook.chase import agenda
from gain_workbook.core.dates import UNREADABLE, parse_date, uk_date
from gain_workbook.core.results import plan_head
from gain_workbook.core.text import as_text, json_text, one_line, plural, shorten
from gain_workbook.model import history
from gain_workbook.model.schema import ACTIONS, BY_KEY, INSPECTIONS, ITEMS, norm_key

AGREED, NOT_AGREED, DEFERRED = history.DECISION_WORDS
# Words a chair or clerk may type for a decision, folded (norm_key), and what each means.
WORDS = {
    **dict.fromkeys(("agreed", "agree", "yes", "y", "approved", "approve", "accepted",
                     "accept", "ok", "okay", "signed off", "sign off", "✓", "✔"), AGREED),
    **dict.fromkeys(("not agreed", "no", "n", "refused", "refuse", "rejected", "reject",
                     "declined", "decline", "not approved", "disagreed", "not accepted",
                     "✗", "✘"), NOT_AGREED),
    **dict.fromkeys(("deferred", "defer", "postponed", "postpone", "next meeting",
                     "held over", "carried forward", "adjourned"), DEFERRED),
}


@dataclass
class Change:
    """One cell a decision changes."""

    table: str
    index: object              # the row's index in its table (as read)
    key: str
    subject: str               # the id of the row changed
    old: object
    new: object

    @property
    def header(self) -> str:
        return BY_KEY[self.key].header


@dataclass
class Decision:
    """One decision typed into the pack, as it is read."""

    row: int                   # the pack's Excel row
    key: str
    kind: str
    subject: str
    asked: str
    decision: str              # AGREED, NOT_AGREED or DEFERRED
    note: str = ""
    read_as: str = ""          # how it was read when not typed as one of the three words
    changes: list[Change] = field(default_factory=list)
    extension: tuple | None = None      # the Extension requests row written, when decided

    @property
    def shown(self) -> str:
        """The decision as the clerk knows it: 'sign-off VMM-2022 R1', and where its key
        carries more (a new date and the request's own mark), what was asked, not them."""
        plain = f"{self.kind} {self.subject}"
        return plain if self.key == plain else f"{plain} ({shorten(self.asked, 60)})"


@dataclass
class DecisionProblem:
    row: int
    key: str
    code: str                  # CHANGED, GONE, NOT_A_DECISION, NOT_OURS, TWICE, NO_DECISION,
                               # RECORDED_OTHERWISE
    message: str


@dataclass
class DecisionPlan:
    """What the decisions typed into a pack would do to the register."""

    register: str
    pack: str
    meeting: dt.date
    board: str
    decisions: list[Decision] = field(default_factory=list)      # to record
    already: list[Decision] = field(default_factory=list)        # recorded before
    problems: list[DecisionProblem] = field(default_factory=list)
    undecided: int = 0                                            # rows left blank

    @property
    def clean(self) -> bool:
        return not self.problems

    @property
    def changes(self) -> list[Change]:
        return [c for d in self.decisions for c in d.changes]

    def summary(self) -> str:
        n = len(self.decisions)
        return (f"{plural(n, 'decision')} to record ({plural(len(self.changes), 'change')} to "
                f"the register), {len(self.already)} recorded before, "
                f"{plural(self.undecided, 'row')} with no decision; "
                + (f"{plural(len(self.problems), 'problem')} (those rows are not recorded)."
                   if self.problems else "no problems."))

    def to_text(self, applied: bool = False, asked: bool = False) -> str:
        out = [f"{self.pack}: decisions of the meeting of {uk_date(self.meeting)}"]
        for d in self.decisions:
            out.append(f"  {d.shown}: {d.decision}" + (f" ({shorten(d.note, 70)})" if d.note
                                                    else ""))
            if d.read_as:
                out.append(f"    read as {d.decision}: {d.read_as}")
            for c in d.changes:
                out.append(f"    {c.subject} {c.header}: {_show(c.old)} -> {_show(c.new)}")
            if d.extension is not None:
                out.append(f"    Extension requests: the request marked '{d.extension[-1]}'")
            if not d.changes and d.extension is None:
                out.append("    nothing changes; the decision and its note go on Updates")
        for d in self.already:
            out.append(f"  {d.shown}: {d.decision}: recorded before; nothing to do")
        for p in self.problems:
            out.append(f"  PROBLEM {p.code} (row {p.row}{', ' + p.key if p.key else ''}): "
                       f"{p.message}")
        out.append("")
        out.append(f"{plan_head(applied, asked)}: {self.summary()}")
        return "\n".join(out) + "\n"

    def records(self) -> list[dict]:
        from gain_workbook.chase.requests import value_json

        rows = []
        for d in self.decisions + self.already:
            base = {"row": d.row, "key": d.key, "subject": d.subject,
                    "decision": d.decision, "note": d.note or None,
                    "recorded_before": d in self.already}
            rows.append({**base, "kind": "decision", "field": None, "old": None,
                         "new": None, "message": d.read_as or None})
            for c in d.changes:
                rows.append({**base, "kind": "change", "subject": c.subject,
                             "field": c.header, "old": value_json(c.old),
                             "new": value_json(c.new), "message": None})
        for p in self.problems:
            rows.append({"row": p.row, "key": p.key or None, "subject": None,
                         "decision": None, "note": None, "recorded_before": False,
                         "kind": "problem", "field": p.code, "old": None, "new": None,
                         "message": p.message})
        return rows

    def to_json(self) -> str:
        return json_text(json.dumps({"register": self.register, "pack": self.pack,
                                     "meeting": self.meeting.isoformat(),
                                     "clean": self.clean, "summary": self.summary(),
                                     "rows": self.records()},
                                    indent=2, ensure_ascii=False)) + "\n"

    def to_csv(self) -> str:
        from gain_workbook.core.text import csv_cell

        keys = ["row", "key", "subject", "decision", "note", "recorded_before", "kind",
                "field", "old", "new", "message"]
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(keys)
        for r in self.records():
            w.writerow([csv_cell("" if r[k] is None else r[k]) for k in keys])
        return buf.getvalue()


def _show(v) -> str:
    if v is None or v == "" or (isinstance(v, float) and v != v):
        return "(blank)"
    if isinstance(v, dt.date):
        return uk_date(v)
    return f"'{shorten(one_line(str(v)), 70)}'"


# ---------------------------------------------------------------- reading a decision

def decision_word(value) -> str | None:
    """Agreed, Not agreed or Deferred for a word that plainly means one, else None."""
    if not isinstance(value, str):
        return None
    return WORDS.get(norm_key(value)) or WORDS.get(value.strip().lower())


def read_decision(typed, row) -> tuple[str | None, str, str | None]:
    """(decision or None, how it was read when not typed as ours, problem or None) for
    one typed row (``packfile.TypedDecision``) of a recorded row (``DecisionRow``)."""
    value = typed.decision
    if value is None:
        for where, v in (("Note", typed.note), *(("cell beside the Note", b)
                                                  for b in typed.beside)):
            word = decision_word(v)
            if word:
                return word, f"'{shorten(str(v), 30)}' in the {where}, with Decision blank", None
        if typed.note is not None or typed.beside:
            return None, "", ("there is a note but no decision; pick Agreed, Not agreed or "
                              "Deferred in Decision, or clear the note")
        return None, "", None
    if isinstance(value, str) and value.strip() in history.DECISION_WORDS:
        return value.strip(), "", None
    word = decision_word(value)
    if word:
        return word, f"'{shorten(value, 30)}'", None
    day = parse_date(value) if isinstance(value, (str, dt.date)) else None
    if isinstance(day, dt.date) and day is not UNREADABLE:
        asked = parse_date(row.facts.get("Requested date")) if row.kind in (
            agenda.EXTENSION, agenda.DEADLINE) else None
        if asked == day:
            return AGREED, f"the date asked for ({uk_date(day)}) typed in Decision", None
        return None, "", (f"a date ({uk_date(day)}) is not a decision; pick Agreed, Not "
                          "agreed or Deferred" + (f" (the date asked for is {uk_date(asked)}; "
                                                  "a different date the board agrees is a "
                                                  "new request)" if asked else ""))
    return None, "", (f"'{shorten(as_text(value), 40)}' is not a decision; pick Agreed, Not "
                      "agreed or Deferred (anything more goes in the Note)")


def note_of(value) -> str:
    """The note typed beside a decision, as it is recorded: '' when the note is itself
    the decision (typed in the Note, with Decision blank)."""
    return as_text(value) if decision_word(value) is None else ""


def said(word: str, note: str) -> str:
    """A decision as the Updates history says it: 'Not agreed: Need evidence'."""
    return word + (f": {note}" if note else "")


def recorded_decisions(updates) -> dict[str, str]:
    """{decision reference: the decision as recorded (the Updates row's New value)} of
    the Updates history's Board decision rows; the first, were one recorded twice."""
    out: dict[str, str] = {}
    for u in updates:
        if u.get("Field") == history.DECISION_FIELD:
            out.setdefault(as_text(u.get("Request")), as_text(u.get("New value")))
    return out


def same_decision(recorded: str, typed: str) -> bool:
    """Does the pack say what was recorded? (Spacing and line breaks aside.)"""
    return recorded.split() == typed.split()


def _recorded_otherwise(d: Decision, before: str, meeting: dt.date) -> DecisionProblem:
    return DecisionProblem(d.row, d.key, "RECORDED_OTHERWISE", (
        f"recorded at the meeting of {uk_date(meeting)} as '{shorten(one_line(before), 70)}', "
        f"and the pack now says '{shorten(one_line(said(d.decision, d.note)), 70)}'; a "
        "decision once recorded is not changed from the pack: type it back as recorded, "
        "or, if it was recorded wrongly, correct the register's Updates row (and any "
        "change it made) by hand"))


# ---------------------------------------------------------------- the plan

def _twice(t, split: dict, seen: dict):
    """The problem of a row decided again (a copied row): decided two ways, neither is
    recorded; the same way, the first is. None for a row decided once."""
    if t.key in split:
        rows, words = split[t.key]
        return DecisionProblem(t.row, t.key, "TWICE", (
            f"the same row is decided two ways, on rows {' and '.join(map(str, rows))} "
            f"({' and '.join(repr(w) for w in words)}: a copied row?), so the board's "
            "decision is not known and neither was recorded; keep the one it made"))
    if t.key in seen:
        return DecisionProblem(t.row, t.key, "TWICE", (
            f"the same row is decided again on row {seen[t.key]} (a copied row?); keep one"))
    return None


def _decided_two_ways(typed: list, facts: dict) -> dict:
    """{key: (rows, decisions)} of the pack's rows decided more than once, differently
    ('Agreed' on the row, 'Not agreed' on a copy of it): the first was recorded, the item
    signed off, and only the copy flagged (a trial)."""
    words: dict = {}
    for t in typed:
        row = facts.get(t.key)
        if row is None:
            continue
        word, _, problem = read_decision(t, row)
        if word is not None and not problem:
            words.setdefault(t.key, []).append((t.row, word))
    return {key: ([r for r, _ in got], list(dict.fromkeys(w for _, w in got)))
            for key, got in words.items() if len({w for _, w in got}) > 1}


def plan_decisions(register, pack_name: str, facts: dict, typed: list, meeting: dt.date,
                   board: str) -> DecisionPlan:
    """Weigh every decision typed into the pack against the register; changes nothing.
    ``facts``: {key: DecisionRow} as the pack recorded them; ``typed``: TypedDecision."""
    plan = DecisionPlan(register.path.name, pack_name, meeting, board)
    ctx = agenda.Rows(register)
    recorded = recorded_decisions(register.updates)
    seen: dict[str, int] = {}
    split = _decided_two_ways(typed, facts)
    for t in typed:
        row = facts.get(t.key)
        if row is None:
            if t.decision is not None or t.note is not None:
                plan.problems.append(DecisionProblem(t.row, t.key, "NOT_OURS", (
                    "this row was not written by gain-pack (its hidden Key is missing or "
                    "changed), so its decision cannot be told apart; type it on the row "
                    "gain-pack wrote")))
            continue
        word, how, problem = read_decision(t, row)
        if problem:
            plan.problems.append(DecisionProblem(t.row, t.key, "NOT_A_DECISION", problem))
            continue
        if word is None:
            plan.undecided += 1
            continue
        if (twice := _twice(t, split, seen)) is not None:
            plan.problems.append(twice)
            continue
        seen[t.key] = t.row
        d = Decision(t.row, t.key, row.kind, row.subject, row.asked, word, note_of(t.note),
                     how)
        before = recorded.get(history.decision_ref(meeting, t.key))
        if before is not None:
            if same_decision(before, said(word, d.note)):
                plan.already.append(d)
            else:
                plan.problems.append(_recorded_otherwise(d, before, meeting))
            continue
        now = agenda.facts_of(row.kind, row.subject, row.key, register, ctx)
        if now is None:
            plan.problems.append(DecisionProblem(t.row, t.key, "GONE", (
                f"the register no longer has {row.subject}"
                + (" or its request for a new date" if row.kind in (agenda.EXTENSION,
                                                                    agenda.DEADLINE) else "")
                + "; nothing was recorded for this row")))
            continue
        changed = _changed(row.facts, now)
        if changed:
            plan.problems.append(DecisionProblem(t.row, t.key, "CHANGED", (
                f"{row.subject} has changed since the pack was built ({changed}); the "
                "board decided on what it saw, so nothing was recorded for this row: put "
                "it to the board again")))
            continue
        _consequences(d, ctx, row, meeting)
        plan.decisions.append(d)
    return plan


def _changed(then: dict, now: dict) -> str:
    """What differs between the facts the board saw and the register's now, in words."""
    parts = []
    for label in list(dict.fromkeys([*then, *now])):
        a, b = then.get(label), now.get(label)
        if a != b:
            parts.append(f"{label}: '{_fact(a)}' in the pack, '{_fact(b)}' now")
    return "; ".join(parts[:4]) + (f"; and {len(parts) - 4} more" if len(parts) > 4 else "")


def _fact(v) -> str:
    if v is None:
        return "blank"
    day = parse_date(v) if isinstance(v, str) and len(v) == 10 and v[4] == "-" else None
    return uk_date(day) if isinstance(day, dt.date) else shorten(str(v), 50)


def _was(ctx, table: str, index, key: str):
    """A cell's value as the register holds it, as written where that says more than
    the value read ('Complete - awaiting sign off', 'TBC'): what the history records
    as the old value."""
    t = ctx.register.table(table)
    return t.raw.get((key, index), t.frame.at[index, key])


def _consequences(d: Decision, ctx, row, meeting: dt.date) -> None:
    """The cells a decision changes, and the request it marks (Decision.changes,
    Decision.extension)."""
    if d.decision == DEFERRED:
        return
    agreed = d.decision == AGREED
    if d.kind == agenda.SIGN_OFF and agreed:
        i = ctx.item_row[d.subject]
        d.changes.append(Change(ITEMS, i, "board_ready_date", d.subject,
                                _was(ctx, ITEMS, i, "board_ready_date"), meeting))
        for a in ctx.actions.index[ctx.actions["action_item_id"].map(as_text) == d.subject]:
            if ctx.actions.at[a, "action_status"] != "Closed":
                d.changes.append(Change(ACTIONS, a, "action_status",
                                        as_text(ctx.actions.at[a, "action_id"]),
                                        _was(ctx, ACTIONS, a, "action_status"), "Closed"))
    elif d.kind == agenda.CLOSURE:
        a = ctx.action_row[d.subject]
        d.changes.append(Change(ACTIONS, a, "action_status", d.subject,
                                _was(ctx, ACTIONS, a, "action_status"),
                                "Closed" if agreed else "In progress"))
    elif d.kind in (agenda.EXTENSION, agenda.DEADLINE):
        requests = [e for e in ctx.register.extensions
                    if agenda.request_key(d.kind, e) == d.key]
        request = requests[0]
        if agreed:
            asked = parse_date(request.get("Requested due"))
            if d.kind == agenda.EXTENSION:
                a = ctx.action_row[d.subject]
                d.changes.append(Change(ACTIONS, a, "revised_due", d.subject,
                                        _was(ctx, ACTIONS, a, "revised_due"), asked))
            else:
                i = ctx.item_row[d.subject]
                d.changes.append(Change(ITEMS, i, "agreed_deadline", d.subject,
                                        _was(ctx, ITEMS, i, "agreed_deadline"), asked))
        said = f"{d.decision} at the meeting of {uk_date(meeting)}" + (
            f": {d.note}" if d.note else "")
        d.extension = tuple(request.get(h) for h in history.EXTENSION_HEADERS[:-1]) + (said,)
    elif d.kind == agenda.PLAN and agreed:
        i = ctx.inspection_row[d.subject]
        d.changes.append(Change(INSPECTIONS, i, "plan_accepted", d.subject,
                                _was(ctx, INSPECTIONS, i, "plan_accepted"), meeting))


# ---------------------------------------------------------------- what is written

def updates_rows(plan: DecisionPlan) -> list[tuple]:
    """The Updates rows: each decision (Field 'Board decision'), then each change it
    makes, dated the meeting, from the board, with the decision's reference."""
    rows = []
    for d in plan.decisions:
        ref = history.decision_ref(plan.meeting, d.key)
        rows.append((plan.meeting, d.subject, history.DECISION_FIELD, d.asked,
                     said(d.decision, d.note),
                     plan.board, plan.pack, ref))
        for c in d.changes:
            rows.append((plan.meeting, c.subject, c.header, _cell(c.old), _cell(c.new),
                         plan.board, plan.pack, ref))
    return rows


def extension_rows(plan: DecisionPlan) -> list[tuple]:
    """The Extension requests rows: each request decided, again, with its decision."""
    return [tuple(_cell(v) for v in d.extension) for d in plan.decisions
            if d.extension is not None]


def _cell(v):
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, dt.datetime):
        return v.date()
    return v if isinstance(v, dt.date) else as_text(v)


def changes_of(plan: DecisionPlan):
    """The plan as changes to the register (register.edit.Changes)."""
    from gain_workbook.register.edit import CellChange, Changes

    return Changes(cells=[CellChange(c.table, c.index, c.key, c.new) for c in plan.changes],
                   history={history.UPDATES_SHEET: updates_rows(plan),
                            history.EXTENSIONS_SHEET: extension_rows(plan)})
