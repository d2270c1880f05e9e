"""What the board is asked to decide at its meeting: the rows of the pack's For decision sheet.

Five parts, in the order the sheet puts them:

* items whose actions are all finished, to **sign off** as ready for closure;
* actions **proposed for closure** (status Ready for closure) on items still open;
* **new target dates** asked for (the Extension requests sheet, not yet decided): an
  action's new due date, or an item's new deadline (a request naming an Item ID);
* new reports whose plenary session has been held, their **plan** for acceptance;
* PCC **responses** due before the next meeting (a month after this one).

Each ``Question`` carries the facts the board sees (``facts_of``): the subject's
status and dates, and the request. The pack records them, and ``decisions`` works
them out again from the register as it is then: a decision whose row has changed
since is not applied. The facts are the register's own values (not the roll-up's),
so they do not depend on the day they are worked out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from gain_workbook.chase.requests import value_json
from gain_workbook.core.dates import add_months, uk_date
from gain_workbook.core.text import all_of, as_text, plural, shorten
from gain_workbook.model import history
from gain_workbook.model.schema import BY_KEY

SIGN_OFF, CLOSURE, EXTENSION, DEADLINE, PLAN, RESPONSE = (
    "sign-off", "closure", "extension", "deadline", "plan", "response")
# The sheet's parts: (kinds, heading); a new date for an item's deadline sits with the
# new dates for actions.
PARTS = (
    ((SIGN_OFF,), "Items to sign off as ready for closure: every action finished"),
    ((CLOSURE,), "Actions proposed for closure"),
    ((EXTENSION, DEADLINE), "New target dates asked for"),
    ((PLAN,), "New reports: the plan agreed at the plenary session, for acceptance"),
    ((RESPONSE,), "PCC responses due before the next meeting"),
)
ASKED = {
    SIGN_OFF: "Sign the item off as ready for closure (its actions are then closed)",
    CLOSURE: "Close the action",
    EXTENSION: "Agree the new due date",
    DEADLINE: "Agree the new deadline for the item",
    PLAN: "Accept the plan agreed at the plenary session",
    RESPONSE: "Agree the force's comments for the PCC's response",
}
EVIDENCE_LIMIT = 400        # characters of evidence a row shows


@dataclass(frozen=True)
class Question:
    """One row of the For decision sheet."""

    kind: str
    key: str                  # which row, for ever: 'sign-off INS-1-R2'
    subject: str              # the item, action or inspection id the decision is about
    inspection_id: str
    label: str                # the item, as the pack names it: 'Rec 2' ('' for a report)
    what: str                 # the item's or action's text, or the report's title
    asked: str
    by: str
    since: dt.date | None
    evidence: str
    facts: dict = field(default_factory=dict)


def agenda(register, rolled, meeting: dt.date | None = None) -> list[Question]:
    """Everything the board is asked to decide, part by part (PARTS), worst first in each."""
    from gain_workbook.status.rollup import for_closure, for_sign_off, report_order

    it, a = rolled.items, rolled.actions
    ctx = Rows(register)
    out: list[Question] = []
    signing = report_order(it[for_sign_off(it)], ("published", "item_inspection_id"),
                           (True, True))
    for r in signing.itertuples(index=False):
        out.append(_sign_off(ctx, r))
    closing = a[for_closure(a, it)].sort_values(["inspection_id", "action_id"], kind="stable")
    for r in closing.itertuples(index=False):
        out.append(_closure(ctx, r))
    out += _new_dates(ctx, a, it)
    out += _plans(ctx, rolled)
    out += _responses(ctx, rolled, meeting)
    return [q if not ctx.last_decided(q) else
            _with(q, evidence=_join(q.evidence, ctx.last_decided(q))) for q in out]


def next_meeting(meeting: dt.date | None, as_of: dt.date) -> dt.date:
    """The meeting after this one: a month on (boards meet monthly)."""
    return add_months(meeting or as_of, 1)


# ---------------------------------------------------------------- the facts

class Rows:
    """The register's rows by id, for the facts (its values as read, not rolled up)."""

    def __init__(self, register):
        self.register = register
        self._columns: dict = {}
        self.items = register.items.frame
        self.actions = register.actions.frame
        self.inspections = register.inspections.frame
        self.decided: dict[str, str] = {}
        self.agreed: set[str] = set()       # the questions whose last decision was Agreed
        for u in register.updates:
            if u.get("Field") == history.DECISION_FIELD:
                ref = as_text(u.get("Request"))
                key = ref.split(": ", 1)[1] if ": " in ref else ""
                said = as_text(u.get("New value")).rstrip()
                if said.split(":", 1)[0].strip() == history.DECISION_WORDS[0]:
                    self.agreed.add(key)
                else:
                    self.agreed.discard(key)
                self.decided[key] = (f"At the meeting of {_day_text(u.get('Date'))} the board "
                                     f"decided: {said}" + ("" if said.endswith((".", "!", "?"))
                                                            else "."))

    # (each worked out once, when first asked: a build of 100,000 actions asks thousands)
    @cached_property
    def item_row(self) -> dict:
        return self.register.items.first_index("item_id")

    @cached_property
    def action_row(self) -> dict:
        return self.register.actions.first_index("action_id")

    @cached_property
    def inspection_row(self) -> dict:
        return self.register.inspections.first_index("inspection_id")

    @cached_property
    def children(self) -> dict[str, list[str]]:
        """A cause of concern's id -> the ids of the recommendations made under it."""
        out: dict[str, list[str]] = {}
        for item, parent in zip(self.items["item_id"], self.items["parent_item"]):
            if parent is not None and parent == parent:
                out.setdefault(str(parent), []).append(str(item))
        return out

    @cached_property
    def own(self) -> dict[str, list]:
        """An item's id -> its own actions' rows (their index in the actions table)."""
        out: dict[str, list] = {}
        for i, item in zip(self.actions.index, self.actions["action_item_id"]):
            out.setdefault(str(item), []).append(i)
        return out

    @cached_property
    def for_force(self) -> dict[str, int]:
        """An inspection's id -> how many of its items are for the force."""
        app = self.items[self.items["applies"] == "Yes"]
        return app["item_inspection_id"].map(as_text).value_counts().to_dict()

    @cached_property
    def planned(self) -> dict[str, int]:
        """An inspection's id -> how many actions its items have."""
        of = dict(zip(self.items["item_id"].map(as_text),
                      self.items["item_inspection_id"].map(as_text)))
        return self.actions["action_item_id"].map(as_text).map(of).value_counts().to_dict()

    def get(self, frame, row, key: str):
        """One value of a table's row (a dict per column, made once: a build asks
        thousands)."""
        cache = self._columns.setdefault(id(frame), {})
        column = cache.get(key)
        if column is None:
            column = cache[key] = dict(zip(frame.index, frame[key]))
        return column[row]

    def last_decided(self, q: Question) -> str:
        return self.decided.get(q.key, "")

    def actions_of(self, item_id: str) -> list:
        """The item's actions' rows, and for a cause of concern its recommendations'."""
        rows = list(self.own.get(item_id, []))
        for child in self.children.get(item_id, []):
            rows += self.own.get(child, [])
        return sorted(rows)


def _day_text(v) -> str:
    from gain_workbook.core.dates import parse_date

    d = parse_date(v)
    return uk_date(d) if isinstance(d, dt.date) else as_text(v)


def _fields(ctx, frame, row, keys) -> dict:
    return {BY_KEY[k].header: value_json(ctx.get(frame, row, k)) for k in keys}


def facts_of(kind: str, subject: str, key: str, register, ctx: Rows | None = None):
    """The facts of a question about ``subject`` in the register as it is: {label: value
    as text or None}; None when the register no longer has its subject (or request)."""
    ctx = ctx or Rows(register)
    if kind == SIGN_OFF:
        row = ctx.item_row.get(subject)
        if row is None:
            return None
        out = _fields(ctx, ctx.items, row, ("applies", "hmicfrs_status", "board_ready_date"))
        for i in ctx.actions_of(subject):
            aid = as_text(ctx.get(ctx.actions, i, "action_id"))
            out[f"{aid}: Status"] = value_json(ctx.get(ctx.actions, i, "action_status"))
        return out
    if kind == CLOSURE:
        row = ctx.action_row.get(subject)
        if row is None:
            return None
        return _fields(ctx, ctx.actions, row, ("action_item_id", "action_status", "due",
                                          "revised_due", "completed"))
    if kind in (EXTENSION, DEADLINE):
        return _request_facts(ctx, kind, subject, key)
    row = ctx.inspection_row.get(subject)
    if row is None:
        return None
    if kind == PLAN:
        out = _fields(ctx, ctx.inspections, row, ("plenary_date", "plan_accepted"))
        out["Items for the force"] = str(ctx.for_force.get(subject, 0))
        out["Actions"] = str(ctx.planned.get(subject, 0))
        return out
    return _fields(ctx, ctx.inspections, row, ("published", "response_required",
                                          "cc_comments_received", "response_sent",
                                          "response_published"))


def _request_facts(ctx: Rows, kind: str, subject: str, key: str):
    rows = [e for e in ctx.register.extensions if request_key(kind, e) == key]
    if not rows:
        return None
    if kind == EXTENSION:
        row = ctx.action_row.get(subject)
        if row is None:
            return None
        out = _fields(ctx, ctx.actions, row, ("due", "revised_due", "action_status"))
    else:
        row = ctx.item_row.get(subject)
        if row is None:
            return None
        out = _fields(ctx, ctx.items, row, ("deadline", "agreed_deadline", "hmicfrs_status"))
    first = rows[0]
    out["Requested date"] = value_json(_date(first.get("Requested due")))
    decided = [as_text(e.get("Board decision")) for e in rows if history.decided(e)]
    out["Board decision"] = decided[-1] if decided else None
    return out


def request_key(kind: str, extension: dict) -> str:
    """The key of the question a row of Extension requests asks (its request, id and
    requested date): 'extension A3 2027-06-30 4f2a9c01b7e3'."""
    request, subject, day = history.extension_key(extension)
    return " ".join(p for p in (kind, subject, day, request) if p)


def _date(v):
    from gain_workbook.core.dates import parse_date

    d = parse_date(v)
    return d if isinstance(d, dt.date) else None


# ---------------------------------------------------------------- the five parts

def _with(q: Question, **changes) -> Question:
    from dataclasses import replace

    return replace(q, **changes)


def _join(*parts) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _evidence(text: str) -> str:
    return shorten(text, EVIDENCE_LIMIT) if text else ""


def _sign_off(ctx: Rows, r) -> Question:
    rows = ctx.actions_of(r.item_id)
    finished = [d for d in (_date(ctx.get(ctx.actions, i, "completed")) for i in rows) if d]
    last = max(finished) if finished else None
    said = [as_text(ctx.get(ctx.actions, i, "evidence")) for i in rows]
    said = [e for e in said if e]
    n = int(r.n_actions)
    evidence = (all_of(n).capitalize() + " finished"
                + (f", the last on {uk_date(last)}" if last else "")
                + "." + (f" Evidence: {'; '.join(dict.fromkeys(said))}." if said else
                         " No evidence recorded."))
    lead = as_text(r.item_lead) or _exec_lead(ctx, r.item_inspection_id)
    return Question(SIGN_OFF, f"{SIGN_OFF} {r.item_id}", r.item_id, as_text(r.item_inspection_id),
                    r.label, as_text(r.item_text), ASKED[SIGN_OFF], lead,
                    last, _evidence(evidence),
                    facts_of(SIGN_OFF, r.item_id, "", ctx.register, ctx))


def _closure(ctx: Rows, r) -> Question:
    since = r.completed if r.completed == r.completed and r.completed is not None else \
        r.last_updated
    update = as_text(r.latest_update)
    evidence = _join(f"Evidence: {as_text(r.evidence)}." if as_text(r.evidence) else
                     "No evidence recorded.",
                     f"Completed on {uk_date(r.completed)}." if _day(r.completed) else "",
                     f"Latest update: {update}" if update else "")
    return Question(CLOSURE, f"{CLOSURE} {r.action_id}", r.action_id, as_text(r.inspection_id),
                    action_label(r.label, r.action_id, r.action_item_id),
                    as_text(r.action_text), ASKED[CLOSURE],
                    as_text(r.owner), _day(since), _evidence(evidence),
                    facts_of(CLOSURE, r.action_id, "", ctx.register, ctx))


def action_label(item_label, action_id, item_id) -> str:
    """An action as the pack names it beside its item: 'AFI 4 A1' (the item's label and
    what its id adds to the item's), so that two actions of one item are told apart."""
    label, aid, iid = as_text(item_label), as_text(action_id), as_text(item_id)
    own = aid[len(iid):].lstrip(" -_./") if iid and aid.startswith(iid) else aid
    return f"{label} {own}".strip() if own and own != label else label


def _new_dates(ctx: Rows, actions, items) -> list[Question]:
    info = actions.drop_duplicates("action_id").set_index("action_id")
    item_info = items.drop_duplicates("item_id").set_index("item_id")
    out = []
    for e in history.waiting_extensions(ctx.register.extensions):
        subject = as_text(e.get("Action ID"))
        requested = _date(e.get("Requested due"))
        if requested is None:
            continue
        if subject in ctx.action_row and subject in info.index:
            kind, r = EXTENSION, info.loc[subject]
            label = action_label(r["label"], subject, r["action_item_id"])
            what = as_text(r["action_text"])
            inspection, current = as_text(r["inspection_id"]), _day(r["effective_due"])
            by = as_text(e.get("From")) or as_text(r["owner"])
        elif subject in ctx.item_row and subject in item_info.index:
            kind, r = DEADLINE, item_info.loc[subject]
            label, what = r["label"], as_text(r["item_text"])
            inspection, current = as_text(r["item_inspection_id"]), _day(r["effective_deadline"])
            by = as_text(e.get("From")) or as_text(r["item_lead"])
        else:
            continue                  # its action or item is no longer on the register
        key = request_key(kind, e)
        moved = f" ({(requested - current).days:+d} days)" if current else ""
        reason = as_text(e.get("Reason"))
        evidence = _join(f"{'Due' if kind == EXTENSION else 'Deadline'} "
                         f"{uk_date(current) or '(none)'}; asks for {uk_date(requested)}{moved}.",
                         f"Reason: {reason}" if reason else "No reason given.")
        out.append(Question(kind, key, subject, inspection, label, what,
                            f"{ASKED[kind]}: {uk_date(requested)}", by,
                            _date(e.get("Date asked")), _evidence(evidence),
                            facts_of(kind, subject, key, ctx.register, ctx)))
    return out


def _plans(ctx: Rows, rolled) -> list[Question]:
    from gain_workbook.status.rollup import NEW_REPORT_MONTHS

    import pandas as pd

    ins = rolled.inspections
    as_of = pd.Timestamp(rolled.as_of)
    start = pd.Timestamp(add_months(rolled.as_of, -NEW_REPORT_MONTHS))
    ready = ins[(ins["plenary_date"] <= as_of) & (ins["plenary_date"] > start)
                & ins["plan_accepted"].isna()].sort_values("plenary_date", kind="stable")
    it = rolled.items
    own = it[(it["applies"] == "Yes") & it["parent_item"].isna()]
    n_own = own.groupby("item_inspection_id").size()
    n_without = own[own["n_actions"] == 0].groupby("item_inspection_id").size()
    out = []
    for r in ready.itertuples(index=False):
        facts = facts_of(PLAN, r.inspection_id, "", ctx.register, ctx)
        without = int(n_without.get(r.inspection_id, 0))
        evidence = (f"Plenary session {uk_date(r.plenary_date)}: "
                    f"{plural(int(n_own.get(r.inspection_id, 0)), 'item')} for the force, "
                    f"{plural(int(facts['Actions']), 'action')} agreed"
                    + (f"; {plural(without, 'item')} still without actions" if without else "")
                    + ".")
        out.append(Question(PLAN, f"{PLAN} {r.inspection_id}", r.inspection_id,
                            r.inspection_id, "", as_text(r.title), ASKED[PLAN],
                            as_text(r.executive_lead), _day(r.plenary_date), evidence, facts))
    return out


def _responses(ctx: Rows, rolled, meeting) -> list[Question]:
    import pandas as pd

    from gain_workbook.status.rollup import PENDING_RESPONSE

    ins = rolled.inspections
    by = pd.Timestamp(next_meeting(meeting, rolled.as_of))
    due = ins[ins["response_state"].isin(PENDING_RESPONSE) & (ins["s55_last_day"] <= by)]
    out = []
    for r in due.sort_values("s55_last_day", kind="stable").itertuples(index=False):
        if f"{RESPONSE} {r.inspection_id}" in ctx.agreed:
            continue    # the board agreed the force's comments: the PCC's to send, not asked again
        comments = (f"Chief constable's comments received {uk_date(r.cc_comments_received)}."
                    if _day(r.cc_comments_received) else
                    "Chief constable's comments not yet received.")
        evidence = _join(f"Response {r.response_text}.", comments)
        out.append(Question(RESPONSE, f"{RESPONSE} {r.inspection_id}", r.inspection_id,
                            r.inspection_id, "", as_text(r.title),
                            f"{ASKED[RESPONSE]} (day 56: {uk_date(r.s55_last_day)})",
                            as_text(r.executive_lead), _day(r.published), evidence,
                            facts_of(RESPONSE, r.inspection_id, "", ctx.register, ctx)))
    return out


def _exec_lead(ctx: Rows, inspection_id) -> str:
    row = ctx.inspection_row.get(as_text(inspection_id))
    return as_text(ctx.get(ctx.inspections, row, "executive_lead")) if row is not None else ""


def _day(v):
    if v is None or v != v:
        return None
    return v.date() if hasattr(v, "date") else v
