"""What came back from owners since the last pack, for the board: the updates merged
(the register's Updates sheet), the owners asked who have not replied (the month's
requests.json beside the requests), the new due dates asked for and not yet decided
(the Extension requests sheet; the board decides them on the pack's For decision sheet), and how many actions were updated in the period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gain_workbook.model import history
from gain_workbook.core.dates import parse_date
from gain_workbook.core.text import as_text


@dataclass
class Received:
    since: dt.date                       # the first day counted
    updates: list = field(default_factory=list)      # {action_id, date, owner, fields[...]}
    silent: list = field(default_factory=list)       # {owner, actions, asked, reply_by}
    waiting: list = field(default_factory=list)      # {action_id, owner, current, requested,
    #                                                  reason, asked}: not yet decided
    updated: int = 0                     # actions updated in the period ...
    of: int = 0                          # ... of those open in it
    asked_on: dt.date | None = None      # the requests' date, when a manifest was found
    asked: int = 0                       # owners asked
    kept: bool = False                   # the register keeps an Updates sheet


def _day(v):
    d = parse_date(v)
    return d if isinstance(d, dt.date) else None


def received(register, rolled, since: dt.date, manifest: dict | None) -> Received:
    out = Received(since, kept=bool(register.updates or register.extensions))
    a = rolled.actions
    today = rolled.as_of
    by_action: dict[str, dict] = {}
    for u in register.updates:
        day = _day(u.get("Date"))
        if day is None or not since <= day <= today or u.get("Field") == history.REPLY_FIELD \
                or history.is_decision(u):       # the board's, not an owner's update
            continue
        aid = as_text(u.get("Action ID"))
        entry = by_action.setdefault(aid, {"action_id": aid, "date": day,
                                           "owner": as_text(u.get("From")), "fields": []})
        entry["date"] = max(entry["date"], day)
        entry["fields"].append((as_text(u.get("Field")), u.get("Old value"), u.get("New value")))
    out.updates = list(by_action.values())
    if manifest is not None:
        # a reply is on the register by its request: an update, a receipt, or only a new
        # due date asked for
        replied = {as_text(u.get("Request")) for u in (*register.updates,
                                                       *register.extensions)}
        reqs = [r for r in manifest.get("requests") or [] if isinstance(r, dict)]
        # an owner asked again later in the month has its own dates (manifest.kept_requests)
        days = [_day(r.get("as_of", manifest.get("as_of"))) for r in reqs]
        out.asked_on = min((d for d in days if d), default=_day(manifest.get("as_of")))
        out.asked = len(reqs)
        for r, day in zip(reqs, days):
            if as_text(r.get("request")) not in replied:
                out.silent.append({"owner": as_text(r.get("owner")),
                                   "actions": len(r.get("actions") or []),
                                   "asked": day, "emailed": bool(r.get("email")),
                                   "reply_by": _day(r.get("reply_by", manifest.get("reply_by"))),
                                   "file": as_text(r.get("file"))})
    out.waiting = [{"action_id": as_text(e.get("Action ID")), "owner": as_text(e.get("From")),
                    "current": _day(e.get("Current due")),
                    "requested": _day(e.get("Requested due")),
                    "reason": as_text(e.get("Reason")), "asked": _day(e.get("Date asked"))}
                   for e in history.waiting_extensions(register.extensions)]
    import pandas as pd

    start = pd.Timestamp(since)
    live = ~a["done"] | (a["completed"] >= start)
    out.of = int(live.sum())
    out.updated = int((live & (a["last_updated"] >= start)
                       & (a["last_updated"] <= pd.Timestamp(today))).sum())
    return out
