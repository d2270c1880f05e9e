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

from gain_workbook.errors import RegisterError
from gain_workbook.problems import display

PACK_MARKER = "gain-pack board pack"
PACK_INFO_SHEET = "PackInfo"
# Headers of the pack's own sheets that a snapshot is read from.
# (an action's inspection and item are read as the pack shows them, so the Actions
# sheet needs no hidden Item ID column: a cell per action costs real time at 100,000)
ACTION_COLUMNS = {"action_id": "Action ID", "inspection_id": "Inspection ID", "label": "Item",
                  "action_text": "Action", "owner": "Owner", "action_status": "Status",
                  "due": "Due", "effective_due": "Effective due", "days_overdue": "Days overdue"}
ITEM_COLUMNS = {"item_id": "Item ID", "item_inspection_id": "Inspection ID", "label": "Item",
                "item_text": "Text", "hmicfrs_status": "HMICFRS status", "status": "Status",
                "rag": "RAG"}
MOVEMENT_KINDS = ("New items", "New actions", "Closed or ready for closure", "Status changes",
                  "Due dates moved", "Newly overdue", "No longer on the register")


@dataclass
class Snapshot:
    """One month of the register, as far as movement needs it."""

    as_of: dt.date
    source: str
    items: object      # DataFrame: item_id, item_inspection_id, label, item_text,
    #                    hmicfrs_status, status, rag
    actions: object    # DataFrame: action_id, inspection_id, label, action_text, owner,
    #                    action_status, due, effective_due, overdue


def snapshot_of(rollup, source: str = "") -> Snapshot:
    """The snapshot of a roll-up."""
    actions = rollup.actions[[*ACTION_COLUMNS, "overdue"]].copy()
    return Snapshot(rollup.as_of, source, rollup.items[list(ITEM_COLUMNS)].copy(), actions)


def read_previous(path, as_of: dt.date) -> Snapshot:
    """Last month's snapshot from a board pack, or from a register rolled up a month earlier."""
    path = Path(path)
    from gain_workbook.sniff import check_workbook

    check_workbook(path, role="last month's pack or register")
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
        names = wb.sheet_names
        if PACK_INFO_SHEET in names:
            return _from_pack(path, wb)
    except RegisterError:
        raise
    except Exception as exc:
        raise RegisterError(f"Cannot read the previous file '{path.name}': "
                            f"{type(exc).__name__}.") from None
    from gain_workbook.register import read_register
    from gain_workbook.rollup import roll_up

    prev_as_of = _month_before(as_of)
    return snapshot_of(roll_up(read_register(path), prev_as_of), str(path.name))


def _month_before(day: dt.date) -> dt.date:
    from gain_workbook.dates import add_months

    return add_months(day, -1)


def _from_pack(path: Path, wb) -> Snapshot:
    import pandas as pd

    from gain_workbook.dates import parse_date

    from gain_workbook.dates import UNREADABLE

    info = {str(r[0]): r[1] for r in wb.get_sheet_by_name(PACK_INFO_SHEET).to_python()
            if r and len(r) > 1}
    if info.get("Marker") != PACK_MARKER:
        raise RegisterError(f"'{path.name}' has a {PACK_INFO_SHEET} sheet but is not a board pack "
                            "written by gain-pack.")
    as_of = parse_date(info.get("As at"))
    if as_of is None or as_of is UNREADABLE:
        raise RegisterError(f"The previous pack '{path.name}' does not say which date it was "
                            "built for (its PackInfo sheet has been changed); use last month's "
                            "register instead.")
    frames = {}
    for sheet, columns in (("Items", ITEM_COLUMNS), ("Actions", ACTION_COLUMNS)):
        if sheet not in wb.sheet_names:
            raise RegisterError(f"The previous pack '{path.name}' has no {sheet} sheet; it may "
                                "have been edited. Use last month's register instead.")
        rows = wb.get_sheet_by_name(sheet).to_python()
        header_at = next((i for i, r in enumerate(rows[:30]) if columns[next(iter(columns))] in r),
                         None)
        if header_at is None:
            raise RegisterError(f"The previous pack '{path.name}' has no {sheet} table.")
        header = [str(h) for h in rows[header_at]]
        missing = [h for h in columns.values() if h not in header]
        if missing:
            raise RegisterError(f"The previous pack '{path.name}' is missing the {sheet} columns "
                                f"{', '.join(missing)}.")
        idx = {k: header.index(h) for k, h in columns.items()}
        body = [r for r in rows[header_at + 1:] if r and r[idx[next(iter(columns))]] not in ("", None)]
        data = {k: [r[i] if i < len(r) else None for r in body] for k, i in idx.items()}
        frames[sheet] = pd.DataFrame(data)
    acts = frames["Actions"]

    def a_date(v):
        d = parse_date(v) if v not in ("", None) else None
        return None if d is UNREADABLE else d

    for col in ("due", "effective_due"):
        acts[col] = pd.to_datetime(acts[col].map(a_date), errors="coerce")
    acts["overdue"] = acts["days_overdue"].map(lambda v: v not in ("", None))
    # every other value as text, as the pack showed it (an edited pack may hold anything)
    for frame in frames.values():
        for col in frame.columns:
            if col not in ("due", "effective_due", "overdue"):
                frame[col] = frame[col].map(_as_text).astype(object)
    return Snapshot(as_of, path.name, frames["Items"], acts)


def _as_text(v):
    if v is None or v == "":
        return None
    return v if isinstance(v, str) else display(v)


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
