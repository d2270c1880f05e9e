"""Who is asked about what: the month's update requests, one per owner with open actions.

Each request lists the owner's open actions as the roll-up sees them (worst first:
overdue, then due soon, then the rest by due date) and carries what merge needs to
trust the reply: the register it came from, the as-of date, the owner, and each
action's row as it stood (``FINGERPRINT_KEYS``), so a change made in the register
since the request shows as a conflict rather than being overwritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass

from gain_workbook.model.schema import ACTION_DONE
from gain_workbook.core.text import as_text, plural

# The action's own columns, as they were when the request was made.
FINGERPRINT_KEYS = ("action_id", "action_item_id", "action_text", "owner", "due", "revised_due",
                    "action_status", "completed", "last_updated", "latest_update", "evidence")
REQUEST_FORMAT = 1          # bump when what a request carries changes


@dataclass
class AskedAction:
    """One open action on a request, as the owner sees it and as merge checks it."""

    action_id: str
    inspection: str
    item: str                  # 'Rec 4'
    item_text: str
    action_text: str
    due: dt.date | None
    revised_due: dt.date | None
    days: int | None           # days overdue (positive) or until due (negative), None: no date
    status: str
    last_updated: dt.date | None
    latest_update: str
    overdue: bool
    due_soon: bool
    values: dict               # FINGERPRINT_KEYS -> value as JSON (dates as YYYY-MM-DD)
    title: str = ""            # the report's title (the email names the report by it)

    @property
    def when(self) -> str:
        """'12 days overdue', 'due in 20 days', 'due today', '' (no due date)."""
        if self.days is None:
            return ""
        if self.days > 0:
            return f"{plural(self.days, 'day')} overdue"
        if self.days == 0:
            return "due today"
        return f"due in {plural(-self.days, 'day')}"


@dataclass
class OwnerRequest:
    """The request to one owner."""

    owner: str
    actions: list[AskedAction]
    email: str = ""                 # '' when the Owners sheet gives no usable address
    no_email: str = ""              # why not, when there is none
    copy: tuple = ()                # addresses copied (escalation), when escalated
    escalated: bool = False
    request_id: str = ""
    file_stem: str = ""

    @property
    def overdue(self) -> list[AskedAction]:
        return [a for a in self.actions if a.overdue]

    @property
    def due_soon(self) -> list[AskedAction]:
        return [a for a in self.actions if a.due_soon]


def value_json(v):
    """A canonical value as JSON: dates as YYYY-MM-DD, blanks as None, the rest as text."""
    if v is None or v != v:                    # None, NaN, NaT
        return None
    if isinstance(v, dt.datetime):             # (a pandas Timestamp is one too)
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    text = as_text(v)
    return text or None


def fingerprint(values: dict) -> str:
    """A short digest of an action's row (the JSON of FINGERPRINT_KEYS, sorted)."""
    blob = json.dumps(values, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def request_id(register_name: str, as_of: dt.date, owner: str) -> str:
    """The request's identity: the same register, date and owner give the same id."""
    return hashlib.sha256(f"{register_name}|{as_of.isoformat()}|{owner}".encode()).hexdigest()[:12]


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
             *(f"lpt{i}" for i in range(1, 10))}


def safe_stem(text: str, limit: int = 60) -> str:
    """A name Windows and every other system accept for a file (no \\ / : * ? " < > |,
    no trailing dot or space, not CON or NUL), kept readable."""
    s = _UNSAFE.sub(" ", str(text))
    s = re.sub(r"\s+", " ", s).strip(" .")[:limit].strip(" .")
    if not s or s.split(".")[0].lower() in _RESERVED:
        s = f"owner {s}".strip()
    return s


def request_stem(as_of: dt.date, owner: str) -> str:
    """'Update request 2026-12 - Supt J Smith': the owner's file, by month and name."""
    return f"Update request {as_of:%Y-%m} - {safe_stem(owner)}"


def _day(v):
    return None if v is None or v != v else (v.date() if hasattr(v, "date") else v)


def owner_requests(rolled, register, as_of: dt.date, only=()) -> tuple[list[OwnerRequest], list]:
    """The requests, one per owner with open actions (``only``: just these owners, by
    name as the register writes it, case ignored): (requests, notes).

    Open actions with no owner are counted in a note, never dropped in silence.
    """
    from gain_workbook.check.validate import owner_key

    a = rolled.actions
    open_ = a[~a["action_status"].isin(ACTION_DONE) & a["action_status"].notna()]
    frame = register.actions.frame
    notes = []
    unowned = open_[open_["owner"].isna()]
    if len(unowned):
        ids = ", ".join(as_text(x) for x in unowned["action_id"].head(5))
        more = " ..." if len(unowned) > 5 else ""
        notes.append(f"{plural(len(unowned), 'open action')} with no owner: no one is asked "
                     f"about {'them' if len(unowned) > 1 else 'it'} ({ids}{more}); fill in "
                     "Owner on the register.")
    open_ = open_[open_["owner"].notna()]
    stem_of = _file_stems(open_["owner"], as_of)     # among all owners, asked or not
    wanted = {owner_key(o) for o in only}
    if wanted:
        found = {owner_key(o) for o in open_["owner"]}
        for o in only:
            if owner_key(o) not in found:
                notes.append(f"'{o}' has no open actions on the register, so no request was "
                             "made for them.")
        open_ = open_[open_["owner"].map(owner_key).isin(wanted)]
    contacts = _contacts(register)
    out = []
    days_od = rolled.settings.escalate_days
    order = open_.assign(_od=-open_["days_overdue"], _soon=~open_["due_soon"],
                         _due=open_["effective_due"])
    order = order.sort_values(["_od", "_soon", "_due"], kind="stable", na_position="last")
    # every row's values at once (a lookup per row would cost more than the rest)
    records = order[["action_id", "inspection_id", "label", "item_text", "action_text", "due",
                     "revised_due", "days_to_due", "action_status", "last_updated",
                     "latest_update", "overdue", "due_soon"]].to_dict("records")
    values = frame.loc[order["row"].to_numpy(), list(FINGERPRINT_KEYS)].to_dict("records")
    groups: dict[str, list] = {}
    for owner, r, v in zip(order["owner"], records, values):
        groups.setdefault(" ".join(str(owner).split()), []).append((r, v))
    titles = dict(zip(rolled.inspections["inspection_id"].map(as_text),
                      rolled.inspections["title"].map(as_text)))
    for owner in sorted(groups):
        asked = [_asked(r, v, titles) for r, v in groups[owner]]
        email, why, copy = contacts.get(owner_key(owner), ("", _why_none(register), ()))
        worst = max((x.days or 0 for x in asked if x.overdue), default=0)
        escalated = bool(copy) and worst > days_od
        out.append(OwnerRequest(owner, asked, email, why, copy if escalated else (), escalated,
                                request_id(register.path.name, as_of, owner), stem_of[owner]))
    return out, notes


def _file_stems(owners, as_of: dt.date) -> dict[str, str]:
    """{owner, spaces tidied: their request's file name without .xlsx}. Two names that make
    the same file name get ' (2)', ' (3)' in the owners' order; worked out among every
    owner with open actions, so an owner's file has the same name whether requests asks
    everyone or only some (--owner) that month."""
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for owner in sorted({" ".join(str(o).split()) for o in owners}):
        stem = request_stem(as_of, owner)
        n = seen.get(stem.casefold(), 0)
        seen[stem.casefold()] = n + 1
        out[owner] = f"{stem} ({n + 1})" if n else stem
    return out


def _why_none(register) -> str:
    if register.owners is None:
        return "the register has no Owners sheet"
    return "they are not on the Owners sheet" if len(register.owners) else \
        "the Owners sheet has no one on it yet"


def _asked(r: dict, row: dict, titles: dict) -> AskedAction:
    values = {k: value_json(row[k]) for k in FINGERPRINT_KEYS}
    days = r["days_to_due"]
    return AskedAction(
        action_id=as_text(r["action_id"]), inspection=as_text(r["inspection_id"]),
        item=as_text(r["label"]), item_text=as_text(r["item_text"]),
        action_text=as_text(r["action_text"]), due=_day(r["due"]),
        revised_due=_day(r["revised_due"]),
        days=None if days != days else -int(days), status=as_text(r["action_status"]),
        last_updated=_day(r["last_updated"]), latest_update=as_text(r["latest_update"]),
        overdue=bool(r["overdue"]), due_soon=bool(r["due_soon"]), values=values,
        title=titles.get(as_text(r["inspection_id"]), ""))


def _contacts(register) -> dict:
    """owner_key(name) -> (email, why there is none, escalation addresses)."""
    from gain_workbook.model.addresses import address_problem, is_address, split_addresses
    from gain_workbook.check.validate import owner_key

    owners = register.owners
    if owners is None:
        return {}
    f = owners.frame
    email_of = {}
    for name, email in zip(f["owner_name"], f["owner_email"]):
        if name is not None:
            email_of.setdefault(owner_key(name), as_text(email))
    out = {}
    for name, email, copy in zip(f["owner_name"], f["owner_email"], f["owner_copy"]):
        key = owner_key(name) if name is not None else None
        if key is None or key in out:
            continue
        email = as_text(email)
        why = ("the Owners sheet gives no email address" if not email else
               f"their address '{email}' cannot be used ({address_problem(email)})"
               if not is_address(email) else "")
        copies = []
        for part in split_addresses(copy):
            addr = part if "@" in part else email_of.get(owner_key(part), "")
            if addr and is_address(addr) and addr != email:
                copies.append(addr)
        out[key] = ("" if why else email, why, tuple(dict.fromkeys(copies)))
    return out
