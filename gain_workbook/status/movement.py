"""Movement since last month: what changed between two snapshots of the register.

A snapshot is what the comparison needs of one month: each action's item, status,
due dates and whether it was overdue, and each item's statuses. It comes from a
roll-up, or from last month's board pack, which carries the same columns on its
Items and Actions sheets (and its as-of date on a hidden PackInfo sheet), so last
month's pack can stand in for last month's register.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from gain_workbook.core.errors import RegisterError

# What a snapshot holds, by the keys of the roll-up, which the pack's Items and
# Actions tables carry under the same keys (packfile.ITEM_COLS, ACTION_COLS).
ITEM_KEYS = ("item_id", "item_inspection_id", "label", "item_text", "hmicfrs_status", "status",
             "rag")
ACTION_KEYS = ("action_id", "inspection_id", "label", "action_text", "owner", "action_status",
               "due", "effective_due", "days_overdue")
MOVEMENT_KINDS = ("Board decisions", "New items", "New actions", "Closed or ready for closure",
                  "Status changes", "Due dates moved", "Newly overdue",
                  "No longer on the register")


@dataclass
class Snapshot:
    """One month of the register, as far as movement needs it."""

    as_of: dt.date
    source: str
    items: object      # DataFrame: item_id, item_inspection_id, label, item_text,
    #                    hmicfrs_status, status, rag
    actions: object    # DataFrame: action_id, inspection_id, label, action_text, owner,
    #                    action_status, due, effective_due, overdue
    headline: dict = None   # the Summary's headline figures, as far as they are known


def snapshot_of(rollup, source: str = "") -> Snapshot:
    """The snapshot of a roll-up."""
    actions = rollup.actions[[*ACTION_KEYS, "overdue"]].copy()
    return Snapshot(rollup.as_of, source, rollup.items[list(ITEM_KEYS)].copy(), actions,
                    rollup.headline())


def read_previous(path, as_of: dt.date) -> Snapshot:
    """Last month's snapshot from a board pack, or from a register rolled up a month earlier."""
    path = Path(path)
    from gain_workbook.core.sniff import check_workbook

    checked = check_workbook(path, role="last month's pack or register")
    from gain_workbook.excel import packfile

    try:
        wb = packfile.open_workbook(checked)
        if packfile.is_pack(wb.sheet_names):
            return _from_pack(path, wb)
    except RegisterError:
        raise
    except Exception as exc:
        raise RegisterError(f"Cannot read the previous file '{path.name}': "
                            f"{type(exc).__name__}.") from None
    from gain_workbook.core.dates import add_months
    from gain_workbook.register.forces import select
    from gain_workbook.register.reader import read_register
    from gain_workbook.status.rollup import roll_up

    # (the same force's rows as this month's, when the register holds several)
    return snapshot_of(roll_up(select(read_register(path)), add_months(as_of, -1)),
                       str(path.name))


def _from_pack(path: Path, wb) -> Snapshot:
    from gain_workbook.excel import packfile

    info = packfile.read_info(wb, path.name)
    if info.as_of is None:
        raise RegisterError(f"The previous pack '{path.name}' does not say which date it was "
                            "built for (its PackInfo sheet has been changed); use last month's "
                            "register instead.")
    items = packfile.read_table(wb, packfile.ITEMS_SHEET, ITEM_KEYS, path.name)
    # the pack shows days overdue only for an overdue action
    keys = [k if k != "days_overdue" else "days_overdue_n" for k in ACTION_KEYS]
    acts = packfile.read_table(wb, packfile.ACTIONS_SHEET, keys, path.name)
    acts = acts.rename(columns={"days_overdue_n": "days_overdue"})
    acts["overdue"] = acts["days_overdue"].notna()
    return Snapshot(info.as_of, path.name, items, acts, dict(info.headline))


@dataclass
class Movement:
    """Changes between last month and this month, one DataFrame of rows per kind."""

    previous_as_of: dt.date
    source: str
    rows: object   # DataFrame: kind, inspection_id, item, action, owner, was, now, days

    def count(self, kind: str) -> int:
        """How many rows of one kind."""
        return int((self.rows["kind"] == kind).sum())


def compare(prev: Snapshot, cur: Snapshot) -> Movement:
    """What moved between two snapshots (vectorised: merges, not loops)."""
    import pandas as pd

    items = cur.items.merge(prev.items, on="item_id", how="outer", suffixes=("", "_prev"),
                            indicator=True)
    items["inspection_id"] = items["item_inspection_id"].fillna(items["item_inspection_id_prev"])
    items["item"] = items["label"].fillna(items["label_prev"])
    acts = cur.actions.merge(prev.actions, on="action_id", how="outer", suffixes=("", "_prev"),
                             indicator=True)
    for col in ("inspection_id", "label", "action_text", "owner"):
        acts[col] = acts[col].fillna(acts[col + "_prev"])
    acts["item"] = acts["label"]

    parts = []

    def take(kind, frame, was, now, days=None, what="action_text"):
        if frame.empty:
            return
        part = pd.DataFrame({
            "kind": kind, "inspection_id": frame["inspection_id"].values,
            "item": frame["item"].values,
            "action": frame[what].values if what in frame else "",
            "owner": frame["owner"].values if "owner" in frame else "",
            "was": frame[was].values if was else "", "now": frame[now].values if now else "",
            "days": frame[days].values if days else None})
        parts.append(part)

    new_i, both_i = items["_merge"] == "left_only", items["_merge"] == "both"
    take("New items", items[new_i], None, "status", what="item_text")
    new_a, both_a = acts["_merge"] == "left_only", acts["_merge"] == "both"
    take("New actions", acts[new_a], None, "action_status")
    closed = both_i & items["status"].isin(["Closed", "Ready for closure"]) & \
        (items["status"] != items["status_prev"])
    take("Closed or ready for closure", items[closed], "status_prev", "status")
    changed = both_a & (acts["action_status"].fillna("") != acts["action_status_prev"].fillna(""))
    take("Status changes", acts[changed], "action_status_prev", "action_status")
    moved = both_a & acts["effective_due"].notna() & acts["effective_due_prev"].notna() & \
        (acts["effective_due"] != acts["effective_due_prev"])
    acts["days_moved"] = (acts["effective_due"] - acts["effective_due_prev"]).dt.days
    take("Due dates moved", acts[moved], "effective_due_prev", "effective_due", "days_moved")
    was_overdue = acts["overdue_prev"].fillna(False).astype(bool)
    newly = (acts["_merge"] != "right_only") & acts["overdue"].fillna(False).astype(bool) & \
        ~was_overdue
    take("Newly overdue", acts[newly], None, "effective_due", "days_overdue")
    gone = acts["_merge"] == "right_only"
    take("No longer on the register", acts[gone], "action_status_prev", None)
    cols = ["kind", "inspection_id", "item", "action", "owner", "was", "now", "days"]
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    return Movement(prev.as_of, prev.source, rows[cols])


def with_decisions(movement: Movement, updates, current: Snapshot) -> Movement:
    """The movement with the board's decisions recorded since the previous pack (the
    Updates history's decision rows dated after it, up to the ``current`` snapshot's
    date): each decision, with what was asked and its note."""
    import pandas as pd

    from gain_workbook.core.dates import parse_date
    from gain_workbook.core.text import as_text
    from gain_workbook.model import history

    since, as_of = movement.previous_as_of, current.as_of
    where = {}
    for ids, inspection, label in ((current.actions["action_id"], current.actions["inspection_id"],
                                    current.actions["label"]),
                                   (current.items["item_id"], current.items["item_inspection_id"],
                                    current.items["label"])):
        for i, ins, lab in zip(ids, inspection, label):
            where.setdefault(as_text(i), (as_text(ins), as_text(lab)))
    rows = []
    for u in updates:
        day = parse_date(u.get("Date"))
        if u.get("Field") != history.DECISION_FIELD or not isinstance(day, dt.date):
            continue
        if (since is not None and day <= since) or day > as_of:
            continue
        subject = as_text(u.get("Action ID"))
        inspection, label = where.get(subject, (subject, ""))
        rows.append({"kind": "Board decisions", "inspection_id": inspection, "item": label,
                     "action": as_text(u.get("Old value")), "owner": as_text(u.get("From")),
                     "was": day, "now": as_text(u.get("New value")), "days": None})
    if not rows:
        return movement
    new = pd.concat([pd.DataFrame(rows), movement.rows], ignore_index=True)
    return Movement(movement.previous_as_of, movement.source, new[movement.rows.columns])
