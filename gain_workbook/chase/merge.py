"""What owners' replies would change in the register, and every problem with them.

``plan_merge`` compares each reply (``replies.Reply``) with the register as it is
now and with the row each action had when the request was made. It changes
nothing: ``register.edit`` applies a plan. A reply's action is applied whole or not
at all: one problem on it (a conflict, a bad date, a status not in the list, a
locked cell edited, another owner's action) holds back the whole action, and the
rest of the reply still applies.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field

from gain_workbook.model import history
from gain_workbook.chase.requests import FINGERPRINT_KEYS, value_json
from gain_workbook.core.dates import UNREADABLE, parse_date, uk_date
from gain_workbook.core.results import plan_head
from gain_workbook.model.schema import ACTION_DONE, ACTIONS, BY_KEY, norm_key
from gain_workbook.core.text import as_text, json_text, one_line, plural, shorten
from gain_workbook.check.validate import owner_key
from gain_workbook.chase.request_sheet import BOARD_STATUSES, LOCKED, OWNER_STATUSES

PROPOSED = BOARD_STATUSES[0]          # 'Ready for closure': for the board to close

# What a reply's cells set in the register.
FIELD_OF = {"new_status": "action_status", "update": "latest_update", "evidence": "evidence",
            "completed": "completed"}


@dataclass
class Change:
    action_id: str
    key: str                     # the register column (schema key)
    old: object
    new: object
    index: object = None         # the action's row in register.actions (where it goes)

    @property
    def header(self) -> str:
        return BY_KEY[self.key].header


@dataclass
class Extension:
    action_id: str
    current: dt.date | None
    requested: dt.date
    reason: str


@dataclass
class MergeProblem:
    code: str                    # CONFLICT, BAD_DATE, NOT_IN_LIST, LOCKED_EDITED, ...
    action_id: str               # '' for the whole reply
    message: str


@dataclass
class ReplyPlan:
    """One reply, weighed against the register."""

    reply: object                # replies.Reply
    replied_on: dt.date
    changes: list[Change] = field(default_factory=list)
    extensions: list[Extension] = field(default_factory=list)
    problems: list[MergeProblem] = field(default_factory=list)
    already: list[str] = field(default_factory=list)     # actions merged before: no change
    asked_before: list = field(default_factory=list)     # (action, day): new dates on
    #                                                      Extension requests already
    notes: list[str] = field(default_factory=list)
    answered: int = 0            # actions the owner filled something in for

    @property
    def record_reply(self) -> bool:
        """A clean reply that changes nothing still goes on Updates, once: the owner replied."""
        return not self.problems and not self.changes and not self.extensions


@dataclass
class MergePlan:
    register: str
    replies: list[ReplyPlan]
    updates_known: set = field(default_factory=set)   # request ids already on Updates or
    #                                                   Extension requests: replies recorded

    @property
    def receipts(self) -> list[ReplyPlan]:
        """Clean replies that change nothing and are not yet on the register: each is
        recorded once on Updates ('received'), so the pack knows the owner replied. A
        reply already recorded gets nothing more: merging it again rewrites nothing."""
        return [r for r in self.replies if r.record_reply and r.answered
                and r.reply.request not in self.updates_known]

    @property
    def problems(self) -> list[tuple[ReplyPlan, MergeProblem]]:
        return [(r, p) for r in self.replies for p in r.problems]

    @property
    def changes(self) -> list[tuple[ReplyPlan, Change]]:
        return [(r, c) for r in self.replies for c in r.changes]

    @property
    def clean(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        acts = {c.action_id for _, c in self.changes}
        ext = sum(len(r.extensions) for r in self.replies)
        probs, got = self.problems, len(self.receipts)
        return (f"{plural(len(self.replies), 'reply', 'replies')}: "
                f"{plural(len(self.changes), 'change')} to {plural(len(acts), 'action')}, "
                f"{plural(ext, 'extension request')} for the board"
                + (f", {plural(got, 'reply', 'replies')} recorded as received with nothing "
                   "to change" if got else "") + "; "
                + (f"{plural(len(probs), 'problem')} (nothing is taken from the actions or "
                   "replies they are on)." if probs else "no problems."))

    def to_text(self, applied: bool = False, asked: bool = False) -> str:
        """``applied``: written to the register; ``asked``: --apply was given (with
        nothing to apply, the register is not rewritten: not a 'dry run')."""
        out = []
        for r in self.replies:
            rep = r.reply
            out.append(f"{rep.path.name}: {rep.owner or '(no owner)'}, request of "
                       f"{uk_date(rep.as_of) or '?'}, reply dated {uk_date(r.replied_on)}")
            by_action: dict[str, list[str]] = {}
            for c in r.changes:
                by_action.setdefault(c.action_id, []).append(
                    f"{c.header}: {_show(c.old)} -> {_show(c.new)}")
            for e in r.extensions:
                by_action.setdefault(e.action_id, []).append(
                    f"new due date asked for: {uk_date(e.current) or '(none)'} -> "
                    f"{uk_date(e.requested)}" + (f" ({shorten(e.reason, 60)})" if e.reason
                                                 else "") + "; for the board, not applied")
            for p in r.problems:
                by_action.setdefault(p.action_id, []).append(f"PROBLEM {p.code}: {p.message}")
            for a in r.already:
                by_action.setdefault(a, []).append("nothing to change: the register already "
                                                   "says this")
            for a, day in r.asked_before:
                by_action.setdefault(a, []).append(
                    f"new due date of {uk_date(day)} already asked for (on Extension "
                    "requests): nothing to add")
            for action, lines in by_action.items():
                out.append(f"  {action or '(the whole reply)'}")
                out.extend(f"    {line}" for line in lines)
            if not by_action:
                out.append("  nothing filled in")
            out.extend(f"  note: {n}" for n in r.notes)
        out.append("")
        out.append(f"{plan_head(applied, asked)}: {self.summary()}")
        return "\n".join(out) + "\n"

    def records(self) -> list[dict]:
        rows = []
        for r in self.replies:
            base = {"file": r.reply.path.name, "owner": r.reply.owner,
                    "request": r.reply.request, "replied_on": r.replied_on.isoformat()}
            for c in r.changes:
                rows.append({**base, "action_id": c.action_id, "kind": "change",
                             "field": c.header, "old": value_json(c.old),
                             "new": value_json(c.new), "message": None})
            for e in r.extensions:
                rows.append({**base, "action_id": e.action_id, "kind": "extension request",
                             "field": "Due", "old": value_json(e.current),
                             "new": value_json(e.requested), "message": e.reason or None})
            for p in r.problems:
                rows.append({**base, "action_id": p.action_id or None, "kind": "problem",
                             "field": p.code, "old": None, "new": None, "message": p.message})
            for a in r.already:
                rows.append({**base, "action_id": a, "kind": "already merged", "field": None,
                             "old": None, "new": None, "message": None})
            for a, day in r.asked_before:
                rows.append({**base, "action_id": a, "kind": "already asked", "field": "Due",
                             "old": None, "new": value_json(day), "message": None})
        return rows

    def to_json(self) -> str:
        return json_text(json.dumps({"register": self.register, "clean": self.clean,
                                     "summary": self.summary(), "rows": self.records()},
                                    indent=2, ensure_ascii=False)) + "\n"

    def to_csv(self) -> str:
        from gain_workbook.core.text import csv_cell

        buf = io.StringIO()
        keys = ["file", "owner", "request", "replied_on", "action_id", "kind", "field", "old",
                "new", "message"]
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(keys)
        for row in self.records():
            w.writerow([csv_cell("" if row[k] is None else row[k]) for k in keys])
        return buf.getvalue()


def _show(v) -> str:
    if v is None or v == "":
        return "(blank)"
    if isinstance(v, dt.date):
        return uk_date(v)
    return f"'{shorten(one_line(str(v)), 70)}'"


def _status(text):
    """A status typed or picked: one of ours (case ignored, synonyms read), else None."""
    from gain_workbook.register.values import vocab_words

    return vocab_words(BY_KEY["action_status"]).get(norm_key(text))


def plan_merge(register, replies, today: dt.date) -> MergePlan:
    """Weigh every reply against the register (``register.Register``); changes nothing."""
    frame = register.actions.frame
    rows_of = register.actions.first_index("action_id")
    merged = {}                      # request id -> Updates rows already there
    newest = {}                      # owner -> latest reply date merged, with its request
    for u in register.updates:
        req, owner = as_text(u.get("Request")), owner_key(as_text(u.get("From")))
        merged.setdefault(req, []).append(u)
        day = parse_date(u.get("Date"))
        if isinstance(day, dt.date) and (owner not in newest or day > newest[owner][0]):
            newest[owner] = (day, req)
    asked_before = {(as_text(e.get("Request")), as_text(e.get("Action ID")),
                     value_json(parse_date(e.get("Requested due")))) for e in register.extensions}
    published = _published(register)
    plan = MergePlan(register.path.name, [], set(merged) | {
        as_text(e.get("Request")) for e in register.extensions})
    seen: dict[str, str] = {}
    # the newest request first: an older one from the same owner is then seen to be older;
    # of two files answering one request, the one filled in (not the request as sent)
    order = sorted(range(len(replies)), key=lambda i: (replies[i].as_of or dt.date.min,
                                                       replies[i].filled), reverse=True)
    plans = {}
    for i in order:
        reply = replies[i]
        rp = plans[i] = ReplyPlan(reply, reply.replied_on(today))
        here = _actions_here(reply, frame, rows_of)
        whole = _whole_reply_problem(reply, register, seen, newest, merged, here)
        name = reply.meta.get("Register", "")
        if whole is None and name and name != register.path.name:
            rp.notes.append(f"it was made from the register '{name}'; every action it asks "
                            f"about is on '{register.path.name}' as it was asked (the "
                            "register renamed or saved under another name), so it is merged")
        if whole:
            rp.problems.append(MergeProblem(whole[0], "", whole[1]))
            continue
        seen[reply.request] = reply.path.name
        for row in reply.rows:
            _weigh(rp, row, reply, frame, rows_of, asked_before, published)
        mine = newest.get(owner_key(reply.owner))
        if rp.answered and (mine is None or rp.replied_on > mine[0]):
            newest[owner_key(reply.owner)] = (rp.replied_on, reply.request)
    plan.replies = [plans[i] for i in range(len(replies))]      # in the order given
    return plan


def _actions_here(reply, frame, rows_of) -> str:
    """Are the actions a reply asks about this register's: 'all' (each on it, with the
    words it was asked with), 'none' (not one of them on it), else 'some'."""
    asked = [r for r in reply.rows if r.asked and r.action_id]
    if not asked:
        return "some"
    words_at = next((n for n, c in enumerate(LOCKED) if c.key == "action_text"), None)
    found = same = 0
    for row in asked:
        index = rows_of.get(row.action_id)
        if index is None:
            continue
        found += 1
        now = as_text(frame.at[index, "action_text"])
        shown = as_text(row.shown[words_at]) if words_at is not None and \
            words_at < len(row.shown) else now
        same += one_line(now) == one_line(shown)
    return "none" if not found else "all" if same == len(asked) else "some"


_FORCE_WORDS = frozenset({"police", "constabulary", "service", "the", "of", "and", "force"})


def _other_force(reply, register) -> str:
    """The force a reply's request was made for, where it is not this register's (by
    their names' words: 'Northshire' and 'Northshire Police' are one); else ''. A reply
    from another force's register of the same name and actions merged cleanly (a trial)."""
    theirs = reply.meta.get("Force", "") or ""
    ours = getattr(register.settings, "force_name", "") or ""
    words = [set(norm_key(n).split()) - _FORCE_WORDS for n in (theirs, ours)]
    return theirs if all(words) and not words[0] & words[1] else ""


def _whole_reply_problem(reply, register, seen, newest, merged, here: str):
    if force := _other_force(reply, register):
        return ("OTHER_REGISTER", f"it was made for {force}, not "
                f"{register.settings.force_name} (this register's Force name); merge it "
                f"into {force}'s register")
    name = reply.meta.get("Register", "")
    if name and name != register.path.name and here != "all":
        return ("OTHER_REGISTER", f"it was made from the register '{name}', not "
                f"'{register.path.name}'; merge it into that register")
    if here == "none":
        return ("OTHER_REGISTER", f"none of the actions it asks about is on "
                f"'{register.path.name}': it was made from another register of that name; "
                "merge it into that register")
    if reply.request in seen:
        return ("SAME_REPLY_TWICE", f"it answers the same request as '{seen[reply.request]}' "
                "(same owner and date), which is merged instead; merge one reply per request")
    mine = newest.get(owner_key(reply.owner))
    if (mine and reply.as_of and mine[1] != reply.request and reply.request not in merged
            and mine[0] > reply.as_of):
        return ("OLD_REPLY", f"it answers the request of {uk_date(reply.as_of)}, but a reply "
                f"from {reply.owner} dated {uk_date(mine[0])} has been merged since, so its "
                "updates are older than the register's; nothing was taken from it")
    return None


def _published(register) -> dict:
    """{action id: the day its report was published}, for the actions whose dates cannot
    come before it (an accelerated cause of concern is raised before publication)."""
    day = {i: d for i, d in zip(register.inspections.frame["inspection_id"],
                                register.inspections.frame["published"])
           if isinstance(d, dt.date)}
    items = register.items.frame
    of_item = {i: day.get(ins) for i, ins, kind in zip(
        items["item_id"], items["item_inspection_id"], items["kind"])
        if kind != "Accelerated cause of concern"}
    acts = register.actions.frame
    return {a: of_item[i] for a, i in zip(acts["action_id"], acts["action_item_id"])
            if of_item.get(i) is not None}


def _weigh(rp: ReplyPlan, row, reply, frame, rows_of, asked_before, published) -> None:
    """One row of a reply: its changes, its extension request, or why it is held back."""
    if not row.touched:
        return
    aid = row.action_id or f"row {row.excel_row}"
    if row.answered:
        rp.answered += 1
    held = _held_back(row, reply, frame, rows_of)
    if held is not None:
        rp.problems.append(MergeProblem(held[0], aid, held[1]))
        return
    index = rows_of[row.action_id]
    now = {k: value_json(frame.at[index, k]) for k in FINGERPRINT_KEYS}
    wanted, bad = _wanted(row, rp.replied_on)
    asked = row.filled.get("asked_due")
    key = (reply.request, aid, value_json(parse_date(asked))) if asked not in (None, "") \
        else None
    bad += _unlikely_dates(row.filled, wanted, frame.loc[index], published.get(row.action_id),
                           rp.replied_on, key in asked_before)
    rp.problems += [MergeProblem(code, aid, message) for code, message in bad]
    if bad:
        return
    if wanted.get("action_status") in BOARD_STATUSES:
        # the owner says it is done and may be closed; closing is the board's: proposed
        # for closure, so it goes to the board (the status left as it was, with the rest
        # of the row applied, gave 'Not started' with a completion date, and the board
        # never saw it)
        said = wanted["action_status"]
        wanted["action_status"] = PROPOSED
        if said != PROPOSED:
            rp.notes.append(f"{aid}: the reply says '{said}', but closure is the board's "
                            f"decision: recorded as {PROPOSED}, for the board to close at "
                            "its meeting")
    if _changed_since(rp, row, aid, now, wanted):
        return
    changes = [Change(aid, key, frame.at[index, key], new, index)
               for key, new in wanted.items() if value_json(new) != now[key]]
    if changes and now["last_updated"] != rp.replied_on.isoformat():
        changes.append(Change(aid, "last_updated", frame.at[index, "last_updated"],
                              rp.replied_on, index))
    rp.changes += changes
    status = wanted.get("action_status", frame.at[index, "action_status"])
    if status in ACTION_DONE and not (wanted.get("completed") or frame.at[index, "completed"]):
        rp.notes.append(f"{aid} is '{status}' but no completion date was given; the register "
                        "will ask for one")
    if key is not None:
        day = parse_date(asked)
        current = frame.at[index, "revised_due"] or frame.at[index, "due"]
        if key not in asked_before:
            rp.extensions.append(Extension(aid, current if isinstance(current, dt.date) else None,
                                           day, as_text(row.filled.get("reason"))))
        elif not changes:
            rp.asked_before.append((aid, day))
    elif not changes and not rp.extensions and wanted:
        rp.already.append(aid)


def _as_written(value) -> str:
    """A locked cell's value for a message: a date as the register shows it (the request
    keeps it as 2026-12-29), other text shortened."""
    text = str(value or "")
    if len(text) == 10 and text[4] == text[7] == "-":
        try:
            return uk_date(dt.date.fromisoformat(text))
        except ValueError:
            pass
    return shorten(text, 60)


def _held_back(row, reply, frame, rows_of) -> tuple[str, str] | None:
    """(code, why) when nothing may be taken from a row: not an action this request asked
    about, the register's side edited, the action gone, or now another owner's."""
    if not row.asked:
        index = rows_of.get(row.action_id)
        whose = frame.at[index, "owner"] if index is not None else None
        return ("NOT_ASKED", f"row {row.excel_row} is not an action this request asked "
                f"{reply.owner} about" + (f" (it is {whose}'s)" if whose and
                                          owner_key(whose) != owner_key(reply.owner) else "")
                + "; each owner updates their own actions")
    if row.edited():
        what = "; ".join(f"{h}: '{_as_written(a)}' -> '{_as_written(b)}'"
                         for h, a, b in row.edited()[:3])
        return ("LOCKED_EDITED", f"the register's side of row {row.excel_row} was changed "
                f"({what}); a reply changes only the yellow cells, so nothing was taken from "
                "this row (if the owner is right, change the action on the register itself)")
    index = rows_of.get(row.action_id)
    if index is None:
        return ("ACTION_GONE", "this action is no longer on the register (deleted or renamed "
                "since the request was made), so its update has nowhere to go")
    owner = value_json(frame.at[index, "owner"])
    if owner_key(owner or "") != owner_key(reply.owner):
        return ("OTHER_OWNER", f"the action is now {owner or 'nobody'}'s on the register, "
                f"not {reply.owner}'s; ask its owner for the update")
    return None


def _changed_since(rp: ReplyPlan, row, aid: str, now: dict, wanted: dict) -> bool:
    """Has the register's row changed since the request? Then either this very reply was
    merged before (noted as already merged), or it is a conflict (a problem): nothing is
    applied for the action either way."""
    changed = [k for k in FINGERPRINT_KEYS if now[k] != row.values.get(k)]
    if not changed:
        return False
    merged = {**wanted, "last_updated": rp.replied_on} if wanted else {}
    asked = parse_date(row.filled.get("asked_due")) if row.filled.get("asked_due") \
        not in (None, "") else None
    if isinstance(asked, dt.date) and "revised_due" in changed:
        merged["revised_due"] = asked      # the new date it asked for, agreed by the board
    if merged.get("action_status") in ACTION_DONE and now["action_status"] == "Closed":
        merged["action_status"] = "Closed"   # finished, and closed by the board since
    if all(k in merged and now[k] == value_json(merged[k]) for k in changed):
        if all(now.get(k) == value_json(v) for k, v in merged.items()):
            rp.already.append(aid)   # this reply, merged before: all of it is there
            return True
        # the register was changed since to say what the reply says (a status typed in by
        # hand): no conflict, and the rest of the reply (its update, evidence) still applies
        return False
    what = "; ".join(f"{BY_KEY[k].header}: was '{shorten(row.values.get(k) or '', 80)}' at "
                     f"the request, is '{shorten(now[k] or '', 80)}' in the register now"
                     + (f", reply says '{shorten(value_json(wanted[k]) or '', 80)}'"
                        if k in wanted else "") for k in changed[:3])
    rp.problems.append(MergeProblem(
        "CONFLICT", aid, f"the register was changed since the request ({what}); nothing "
        "was applied for this action, so neither change is lost: settle it by hand"))
    return True


def _wanted(row, replied_on: dt.date) -> tuple[dict, list]:
    """What the yellow cells ask for, by register column, and what is wrong with them."""
    out, bad = {}, []
    f = row.filled
    if f.get("new_status") not in (None, ""):
        status = _status(f["new_status"])
        if status is None:
            bad.append(("NOT_IN_LIST", f"'{shorten(str(f['new_status']), 40)}' is not a status; "
                        f"choose one of: {', '.join(OWNER_STATUSES)}"))
        else:
            out["action_status"] = status
    for key in ("update", "evidence"):
        if f.get(key) not in (None, ""):
            out[FIELD_OF[key]] = as_text(f[key])
    for key, label in (("completed", "Completed on"), ("asked_due", "New due date")):
        v = f.get(key)
        if v in (None, ""):
            continue
        day = parse_date(v)
        if day is UNREADABLE or day is None:
            bad.append(("BAD_DATE", f"'{shorten(str(v), 40)}' in {label} is not a date; type it "
                        "like 31/12/2026"))
        elif key == "completed" and day > replied_on:
            bad.append(("BAD_DATE", f"{label} {uk_date(day)} is after the reply was saved "
                        f"({uk_date(replied_on)})"))
        elif key == "completed":
            out["completed"] = day
    if f.get("asked_due") in (None, "") and f.get("reason") not in (None, ""):
        bad.append(("BAD_DATE", "a reason for a new due date was given but no date; fill in "
                    "New due date you ask for"))
    return out, bad


def _unlikely_dates(filled: dict, wanted: dict, now, published, replied_on,
                    asked_already: bool = False) -> list:
    """Dates that read as dates but cannot be meant: a completion before the report was
    published, or on an action the reply leaves not finished; a new due date that is not
    in the future or not later than the date the action is due by now (unless that
    reply asked for it before, ``asked_already``: the board has agreed it since)."""
    bad = []
    done = wanted.get("completed")
    status = wanted.get("action_status", now["action_status"])
    if done and published and done < published:
        bad.append(("BAD_DATE", f"Completed on {uk_date(done)} is before the report was "
                    f"published ({uk_date(published)}); check the year"))
    elif done and status not in ACTION_DONE:
        bad.append(("BAD_DATE", f"Completed on {uk_date(done)} was given, but the status "
                    f"stays '{status}'; set New status to Complete, or leave Completed on "
                    "blank"))
    asked = parse_date(filled.get("asked_due")) if filled.get("asked_due") not in (None, "") \
        else None
    if not isinstance(asked, dt.date):
        return bad
    due = next((d for d in (now["revised_due"], now["due"]) if isinstance(d, dt.date)), None)
    which = "revised due date" if isinstance(now["revised_due"], dt.date) else "due date"
    if asked <= replied_on:
        bad.append(("BAD_DATE", f"New due date {uk_date(asked)} is not in the future (the "
                    f"reply was saved on {uk_date(replied_on)}); ask for a later date"))
    elif due is not None and asked <= due and not (asked == due and asked_already):
        # (asked already, and agreed since: the reply merged again adds nothing)
        bad.append(("BAD_DATE", f"New due date {uk_date(asked)} is not later than the "
                    f"action's {which} ({uk_date(due)}); a new date moves it later"))
    return bad


def updates_rows(plan: MergePlan) -> list[tuple]:
    """The rows merge appends to the Updates sheet (history.UPDATES_HEADERS order)."""
    rows, receipts = [], {id(r) for r in plan.receipts}
    for r in plan.replies:
        rep = r.reply
        for c in r.changes:
            rows.append((r.replied_on, c.action_id, c.header, _cell(c.old), _cell(c.new),
                         rep.owner, rep.path.name, rep.request))
        if id(r) in receipts:
            rows.append((r.replied_on, "", history.REPLY_FIELD, "", "received; nothing to change",
                         rep.owner, rep.path.name, rep.request))
    return rows


def extension_rows(plan: MergePlan) -> list[tuple]:
    """The rows merge appends to the Extension requests sheet."""
    return [(r.replied_on, e.action_id, e.current, e.requested, e.reason, r.reply.owner,
             r.reply.path.name, r.reply.request, "")
            for r in plan.replies for e in r.extensions]


def _cell(v):
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return v if isinstance(v, dt.date) else as_text(v)


def changes_of(plan: MergePlan, rows_updates: list, rows_extensions: list):
    """The plan as changes to the register: each change's cell, and the rows of the
    Updates and Extension requests sheets."""
    from gain_workbook.register.edit import CellChange, Changes

    return Changes(cells=[CellChange(ACTIONS, c.index, c.key, c.new) for _, c in plan.changes],
                   history={history.UPDATES_SHEET: rows_updates,
                            history.EXTENSIONS_SHEET: rows_extensions})
