"""The pack's Exceptions sheet: every Red item with its cause, then what is stale or due
soon, and (where the office chases owners) the owners whose reply is not merged and the
updates received, in sentences; the worst first in each part. Each item is listed once
for its own cause: one with no actions is not listed again as past its deadline. (The new
due dates asked for are the board's to decide: they are on the For decision sheet.)"""

from __future__ import annotations

import datetime as dt

from gain_workbook.core.dates import uk_date
from gain_workbook.core.text import as_text as _text
from gain_workbook.core.text import plural, shorten
from gain_workbook.excel.packfile import Col
from gain_workbook.pack.layout import sectioned

EXCEPTION_LIMIT = 500     # rows per Exceptions section; the Actions sheet has them all


EXC_COLS = [
    Col("Exception", "exception", "wrap", 13),
    Col("Inspection ID", "inspection_id", "wrap", 12),
    Col("Item", "label", "wrap", 9),
    Col("Action (or item)", "what", "wrap", 45),
    Col("Owner", "owner", "wrap", 16),
    Col("Date", "date", "date", 11),
    Col("Days", "days", "int", 7),
    Col("Detail", "detail", "wrap", 38),
]


def exceptions(ctx, ws) -> None:
    import pandas as pd

    ru = ctx.rollup
    a = ru.actions
    s = ctx.settings
    ctx.page(ws, "Exceptions", repeat=3)
    ctx.title(ws, "Exceptions", "Every Red item with its cause, then what is stale or due soon"
              + ("; then owners whose reply is not merged and the updates received"
                 if ctx.received is not None and _chasing(ctx.received) else "")
              + "; the worst first in each part")
    groups = []
    od = a[a["overdue"]].sort_values("days_overdue", ascending=False, kind="stable")
    groups.append(("Overdue actions", pd.DataFrame({
        "exception": "Overdue", "inspection_id": od["inspection_id"],
        "label": _with_parent(ru.items, od),
        "what": od["action_text"], "owner": od["owner"], "date": od["effective_due"],
        "days": od["days_overdue"], "detail": od["action_status"].fillna("") + ". " +
        od["latest_update"].fillna("No update recorded.")})))
    it = ru.items
    # an item with no actions is listed once, under 'no actions' (its reason says the
    # deadline has passed too)
    late = it[it["deadline_passed"] & (it["status"] != "No actions")].sort_values(
        "days_past_deadline", ascending=False, kind="stable")
    groups.append(("Items open past their deadline", pd.DataFrame({
        "exception": "Past deadline", "inspection_id": late["item_inspection_id"],
        "label": late["label"], "what": late["item_text"], "owner": late["item_lead"],
        "date": late["effective_deadline"], "days": late["days_past_deadline"],
        "detail": late["reason"]})))
    gap = it[it["status"] == "No actions"].sort_values("published", kind="stable")
    groups.append(("Items for the force with no actions and no reason", pd.DataFrame({
        "exception": "No actions", "inspection_id": gap["item_inspection_id"],
        "label": gap["label"],
        "what": gap["item_text"], "owner": gap["item_lead"], "date": gap["published"],
        "days": (pd.Timestamp(ctx.as_of) - gap["published"]).dt.days,
        "detail": "Published on the date shown; add actions or a reason for none."})))
    st = a[a["stale"]].sort_values("days_quiet", ascending=False, na_position="first",
                                   kind="stable")
    groups.append((f"Not updated for more than {s.stale_days} days", pd.DataFrame({
        "exception": "Stale", "inspection_id": st["inspection_id"], "label": st["label"],
        "what": st["action_text"], "owner": st["owner"], "date": st["quiet_since"],
        "days": st["days_quiet"],
        "detail": [_quiet_detail(t, u, d) for t, u, d in
                   zip(st["latest_update"], st["last_updated"], st["quiet_since"])]})))
    ds = a[a["due_soon"]].sort_values("days_to_due", kind="stable")
    groups.append((f"Due in the next {s.due_soon_days} days", pd.DataFrame({
        "exception": "Due soon", "inspection_id": ds["inspection_id"], "label": ds["label"],
        "what": ds["action_text"], "owner": ds["owner"], "date": ds["effective_due"],
        "days": ds["days_to_due"], "detail": ds["action_status"]})))
    if ctx.received is not None and _chasing(ctx.received):
        groups += _received_groups(ctx, a)
    sectioned(ctx, ws, EXC_COLS, groups, limit=EXCEPTION_LIMIT)


def _chasing(got) -> bool:
    """Does the office chase owners with requests (else the pack says nothing of it)?"""
    return bool(got.asked or got.updates or got.waiting or got.kept)


def _received_groups(ctx, a) -> list:
    """The chase's sections: owners who have not replied, and the updates merged since
    the last pack (when the register keeps them)."""
    import pandas as pd

    got = ctx.received
    info = a.drop_duplicates("action_id").set_index("action_id")

    def look(ids, key):
        return [info[key].get(i, "") if i in info.index else "" for i in ids]

    groups = []
    if got.asked:
        sl = got.silent
        groups.append(("Owners asked for an update whose reply is not merged", pd.DataFrame({
            "exception": "No reply", "inspection_id": "", "label": "",
            "what": [f"{plural(s['actions'], 'open action')} asked about"
                     for s in sl],
            "owner": [s["owner"] for s in sl],
            "date": pd.to_datetime([s["reply_by"] for s in sl]),
            "days": [max((ctx.as_of - s["reply_by"]).days, 0) if s["reply_by"] else None
                     for s in sl],
            "detail": [(f"Asked {uk_date(s['asked'])}" if s.get("emailed", True) else
                        f"Request written {uk_date(s['asked'])} but not emailed (no email "
                        "address that can be used)") + f"; reply by {uk_date(s['reply_by'])}."
                       for s in sl]}, columns=[c.key for c in EXC_COLS])))
    up = got.updates
    ids = [u["action_id"] for u in up]
    groups.append((f"Updates received since {uk_date(got.since)}", pd.DataFrame({
        "exception": "Updated", "inspection_id": look(ids, "inspection_id"),
        "label": look(ids, "label"), "what": look(ids, "action_text"),
        "owner": [u["owner"] for u in up], "date": pd.to_datetime([u["date"] for u in up]),
        "days": None,
        "detail": [" ".join(filter(None, (update_sentence(f, old, new)
                                          for f, old, new in u["fields"]
                                          if f != "Last updated"))) for u in up]},
        columns=[c.key for c in EXC_COLS])))
    return groups


def _shown(v) -> str:
    if isinstance(v, (dt.date, dt.datetime)):
        return uk_date(v)
    return shorten(" ".join(str(v).split()), 80)


def update_sentence(field: str, old, new) -> str:
    """One change an owner's reply made, as a sentence for the board: 'Evidence added:
    Custody governance ToR v3.', 'Status changed from In progress to Complete.'"""
    blank_old, blank_new = old in (None, ""), new in (None, "")
    if field == "Latest update":
        return _stop(f"Update: {_shown(new)}") if not blank_new else "Update removed."
    if blank_old and blank_new:
        return ""
    if blank_new:
        return f"{field} removed (was {_shown(old)})."
    if blank_old:
        if isinstance(new, (dt.date, dt.datetime)):
            return f"{field} {_shown(new)}."
        return _stop(f"{field} added: {_shown(new)}")
    return _stop(f"{field} changed from {_shown(old)} to {_shown(new)}")


def _stop(text: str) -> str:
    """A sentence ends with one full stop (an update that ends with its own keeps it)."""
    return text if text.endswith((".", "!", "?", "...")) else text + "."
def _quiet_detail(update, updated, since) -> str:
    """What a stale action last said, and from when its quiet is counted when the
    update has no date (a tracker's 'Current Position' column with no date beside it)."""
    text = _text(update)
    if updated == updated and updated is not None:
        return text or "Updated, with no text."
    counted = f"counted from {since:%d/%m/%Y}" if since == since and since is not None else ""
    if text:
        return f"{text} (the update has no date{'; ' + counted if counted else ''})"
    return f"Never updated ({counted})." if counted else "Never updated."


def _with_parent(items, actions) -> list[str]:
    """Each action's item label, with the cause of concern it comes under when it is
    one of a CoC's recommendations ('Rec 2 (CoC 1)'): the CoC is Red through it."""
    label = dict(zip(items["item_id"], items["label"]))
    parent = dict(zip(items["item_id"], items["parent_item"]))
    out = []
    for item_id, own in zip(actions["action_item_id"], actions["label"]):
        up = parent.get(item_id)
        up = label.get(up) if up == up and up is not None else None
        compact = str(own).replace(" ", "").lower()
        out.append(f"{own} ({up})" if up and not compact.startswith(
            up.replace(" ", "").lower()) else own)
    return out
