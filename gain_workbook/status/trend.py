"""Is it getting better? The register's last twelve months, rebuilt from its own dates.

Pure: a roll-up (its typed tables), the register's Updates history and the as-of date
in, a ``Trend`` out; no clock, and no stored history needed. How the figures are
worked out (``HOW``, printed under the Summary's chart):

* an action is counted from its report's plenary session (else the day the GAIN Board
  was told, else publication) until it was finished: its Completed on date, or the
  day the Updates history shows its status became a finished one;
* at a month's end it is **open** when counted and not finished, and **overdue** when
  open and its due date then had passed: the revised due date from the day the
  history shows it was set (one the history says nothing of is taken as agreed before
  the first due date passed), else the due date;
* the Updates history gives a value's earlier state: before each change, its old value;
* a month whose count hangs on a date the register does not give (a finished action
  with no completion date, and no history of when it was finished) is left blank,
  never guessed;
* **items closed** in a month are the items the board signed off as ready for closure
  in it (their "Ready for closure (board signed)" date); an item HMICFRS closed with
  no sign-off date is not counted.

The same rebuilding gives last month's headline figures when no previous pack is
given (``last_month``): open items, overdue actions, new inspections and responses not
yet sent (the items to close at last month's meeting cannot be rebuilt, and stay
unknown).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gain_workbook.core.dates import add_months
from gain_workbook.model import schema

MONTHS = 12
AGEING = (("0–90 days", 0, 90), ("91–180 days", 91, 180), ("181–365 days", 181, 365),
          ("over 365 days", 366, None))
HOW = ("How these are worked out: from the register's own dates and its Updates history. An "
       "action counts from its report's plenary session until it was completed; overdue is "
       "against the due date in force at each month's end (a revised date from when the "
       "history shows it was agreed); items closed are those the board signed off that "
       "month. A month the dates cannot support is left blank.")
# the register's columns whose history the rebuilding reads, by their headers on Updates
_TRACKED = ("action_status", "due", "revised_due", "completed")


@dataclass
class Month:
    """One month of the chart: its last day (the as-of date for this month) and figures;
    None where the register's dates cannot support the figure."""

    end: dt.date
    label: str                 # 'Nov 2026'
    open: int | None
    overdue: int | None
    closed: int                # items signed off as ready for closure in the month


@dataclass
class Trend:
    """The months behind the as-of date, the on-time rate and the ageing of what is late."""

    as_of: dt.date
    months: list[Month]
    on_time: int = 0           # actions completed in the last 12 months by their agreed date
    completed: int = 0         # ... of the actions completed in them (with an agreed date)
    undated: int = 0           # finished actions with no completion date (not counted)
    ageing: list = field(default_factory=list)      # (label, open actions past due)
    last_month: dict = field(default_factory=dict)  # headline key -> figure or None
    last_as_of: dt.date | None = None
    last_source: str = ""      # the previous pack or register, '' when rebuilt from dates
    blank: int = 0             # months left blank

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.completed if self.completed else None


def month_ends(as_of: dt.date, months: int = MONTHS) -> list[dt.date]:
    """The last day of each of the ``months - 1`` months before as-of's, then as-of."""
    first = as_of.replace(day=1)
    ends = [add_months(first, 1 - k) - dt.timedelta(days=1) for k in range(months - 1, 0, -1)]
    return ends + [as_of]


def trend(rolled, updates=(), months: int = MONTHS) -> Trend:
    """The register's last ``months`` months as at the roll-up's as-of date."""
    import numpy as np
    import pandas as pd

    as_of = rolled.as_of
    pos = _Positions(rolled, updates)
    out = Trend(as_of, [])
    signed = rolled.items["board_ready_date"]
    previous = None
    for end in month_ends(as_of, months):
        lo, hi = pos.at(end)
        start = pd.Timestamp(previous) if previous else pd.Timestamp(end.replace(day=1)) - \
            pd.Timedelta(days=1)
        closed = int(((signed > start) & (signed <= pd.Timestamp(end))).sum())
        open_, overdue = (lo[0] if lo[0] == hi[0] else None), (lo[1] if lo[1] == hi[1] else None)
        out.months.append(Month(end, f"{end:%b %Y}", open_, overdue, closed))
        previous = end
    out.blank = sum(m.open is None or m.overdue is None for m in out.months)
    a = rolled.actions
    today = pd.Timestamp(as_of)
    year_ago = pd.Timestamp(as_of - dt.timedelta(days=365))
    done = a["done"]
    agreed = a["effective_due"]
    recent = done & (a["completed"] > year_ago) & (a["completed"] <= today) & agreed.notna()
    out.completed = int(recent.sum())
    out.on_time = int((recent & (a["completed"] <= agreed)).sum())
    out.undated = int((done & a["completed"].isna()).sum())
    late = a.loc[a["overdue"], "days_overdue"].to_numpy()
    for label, low, high in AGEING:
        n = (late >= low) & (late <= high) if high is not None else late >= low
        out.ageing.append((label, int(np.count_nonzero(n))))
    out.last_as_of = add_months(as_of, -1)
    out.last_month = last_month(rolled, pos, out.last_as_of)
    return out


def last_month(rolled, pos, day: dt.date) -> dict:
    """The Summary's headline figures as at ``day``, rebuilt; None where they cannot be."""
    import pandas as pd

    lo, hi = pos.at(day)
    d = pd.Timestamp(day)
    it, ins = rolled.items, rolled.inspections
    published = it["published"]
    exists = published <= d
    unknown_start = published.isna()
    applies = it["applies"] == "Yes"
    gone = it["no_action_reason"].notna() & (it["n_actions"] == 0)
    signed = it["board_ready_date"] <= d
    closed_now = it["hmicfrs_status"].isin(schema.HMICFRS_CLOSED)
    sure_open = exists & applies & ~gone & ~signed & ~closed_now
    maybe_open = (exists | unknown_start) & applies & ~gone & ~signed
    open_items = int(sure_open.sum()) if int(sure_open.sum()) == int(maybe_open.sum()) else None
    new = int(((ins["published"] > d - pd.Timedelta(days=31)) & (ins["published"] <= d)).sum())
    answered = pd.concat([ins["response_sent"], ins["response_published"]], axis=1).min(axis=1)
    pending = (ins["published"] <= d) & (ins["response_required"] != "No") & \
        ~(answered <= d)
    # a response the roll-up calls 'Not recorded' (its day 56 passed before the register
    # kept response dates) was already past day 56 then too: not counted as still to be
    # sent, as the Summary does not count it now (a new user saw 'was 1 last month')
    from gain_workbook.status.rollup import NOT_RECORDED

    pending &= ~((ins["response_state"] == NOT_RECORDED) & (ins["s55_last_day"] < d))
    return {"open_items": open_items,
            "overdue_actions": lo[1] if lo[1] == hi[1] else None,
            "ready_for_closure": None,
            "new_inspections": new,
            "responses_due": int(pending.sum())}


class _Positions:
    """Each action's state at any day, as far as the register's dates tell: ``at(day)``
    gives the lowest and highest counts of open and overdue actions the dates allow."""

    def __init__(self, rolled, updates):
        import numpy as np
        import pandas as pd

        from gain_workbook.status.rollup import STALE_FROM

        a = rolled.actions
        ins = rolled.inspections.drop_duplicates("inspection_id").set_index("inspection_id")
        start = pd.Series(pd.NaT, index=a.index, dtype="datetime64[ns]")
        for key in STALE_FROM:
            got = pd.to_datetime(ins[key].reindex(a["inspection_id"].to_numpy()).to_numpy())
            start = start.fillna(pd.Series(got, index=a.index))
        self.start = start.to_numpy()
        self.done_now = a["done"].to_numpy()
        self.completed = a["completed"].to_numpy()
        self.due = a["due"].to_numpy(dtype="datetime64[ns]")
        self.revised = a["revised_due"].to_numpy(dtype="datetime64[ns]")
        self.n = len(a)
        self.history = _history(updates, a)
        self.np = np

    def _changes(self, key: str):
        h = self.history
        return h[h["key"] == key]

    def _value_at(self, key: str, day, now):
        """(value at the end of ``day``, whether it is known) for every action: the old
        value of the first change after the day, else the value now (known when the
        history has a change of it on or before the day, or it is blank now)."""
        import pandas as pd

        np = self.np
        h = self._changes(key)
        value = now.copy()
        known = np.zeros(self.n, dtype=bool)
        if len(h):
            after = h[h["when"] > day]
            first = after.drop_duplicates("pos")          # sorted by when, then row
            old = first["old"]
            if value.dtype.kind == "M":             # dates: the old ones as datetime64
                old = pd.to_datetime(old, errors="coerce")
            value[first["pos"].to_numpy()] = old.to_numpy()
            known[first["pos"].to_numpy()] = True
            before = h.loc[h["when"] <= day, "pos"].to_numpy()
            known[before] = True
        return value, known

    def at(self, day: dt.date):
        """((open, overdue) lowest, (open, overdue) highest) as at the end of ``day``."""
        import pandas as pd

        np = self.np
        d = np.datetime64(pd.Timestamp(day))
        start_known = ~pd.isna(self.start)
        exists_lo = start_known & (self.start <= d)
        exists_hi = exists_lo | ~start_known
        # finished by the day? its completion date; else the history's word
        comp = self.completed
        comp_known = ~pd.isna(comp)
        dated = self.done_now & comp_known
        done_lo = np.zeros(self.n, dtype=bool)
        done_lo[dated] = comp[dated] <= d
        done_hi = done_lo.copy()
        h = self._changes("action_status")
        was_done = np.zeros(self.n, dtype=bool)       # the old word of the first change after
        has_after = np.zeros(self.n, dtype=bool)
        became = np.zeros(self.n, dtype=bool)         # a change to a finished word by the day
        undone_after = np.zeros(self.n, dtype=bool)   # reopened after the day
        if len(h):
            first = h[h["when"] > d].drop_duplicates("pos")
            has_after[first["pos"].to_numpy()] = True
            was_done[first["pos"].to_numpy()] = first["old"].isin(schema.ACTION_DONE).to_numpy()
            to_done = h[(h["when"] <= d) & h["new"].isin(schema.ACTION_DONE)]
            became[to_done["pos"].to_numpy()] = True
            undone = h[(h["when"] > d) & h["old"].isin(schema.ACTION_DONE)
                       & ~h["new"].isin(schema.ACTION_DONE)]
            undone_after[undone["pos"].to_numpy()] = True
        # finished now with no date: the history says, else it may or may not have been
        undated = self.done_now & ~comp_known
        told = undated & (has_after | became)
        done_lo[told] = done_hi[told] = np.where(has_after, was_done, True)[told]
        done_hi |= undated & ~told
        # open now but finished then, by the history (reopened since): from its completion
        # date, or from a change to a finished word, else it may have been. (A completion
        # told some days after its date, then reopened: finished from its date, though the
        # history's first change after the day still says 'In progress'.)
        reopened = ~self.done_now & has_after & was_done
        by_date = ~self.done_now & comp_known & (reopened | undone_after)
        finished = np.zeros(self.n, dtype=bool)
        finished[by_date] = comp[by_date] <= d
        sure = finished | (reopened & ~comp_known & became)
        done_lo |= sure
        done_hi |= sure | (reopened & ~comp_known)
        open_lo = exists_lo & ~done_hi
        open_hi = exists_hi & ~done_lo
        # overdue: the due date in force at the day
        due, _ = self._value_at("due", d, self.due)
        # (a revised date the history says nothing of counts as agreed before the first
        # due date passed: as the register has it, with no month it could change)
        revised, _ = self._value_at("revised_due", d, self.revised)
        in_force = np.where(np.isnat(revised), due, revised)
        late_lo = late_hi = ~np.isnat(in_force) & (in_force < d)
        lo = (int(open_lo.sum()), int((open_lo & late_lo).sum()))
        hi = (int(open_hi.sum()), int((open_hi & late_hi).sum()))
        return lo, hi


def _history(updates, actions):
    """The Updates rows about the tracked columns of the register's actions, as a frame:
    pos (the action's position), when, key, old, new; in the order they happened."""
    import pandas as pd

    from gain_workbook.core.dates import parse_date
    from gain_workbook.register.values import vocab_words

    by_header = {schema.norm_key(schema.BY_KEY[k].header): k for k in _TRACKED}
    position = {}
    for i, aid in enumerate(actions["action_id"]):
        position.setdefault(str(aid), i)
    words = vocab_words(schema.BY_KEY["action_status"])
    rows = []
    for n, u in enumerate(updates):
        key = by_header.get(schema.norm_key(str(u.get("Field") or "")))
        at = position.get(str(u.get("Action ID") or "").strip())
        day = parse_date(u.get("Date"))
        if key is None or at is None or not isinstance(day, dt.date):
            continue
        old, new = u.get("Old value"), u.get("New value")
        if key == "action_status":
            old = words.get(schema.norm_key(str(old or "")))
            new = words.get(schema.norm_key(str(new or "")))
        else:
            old, new = (_date(v) for v in (old, new))
        rows.append((at, pd.Timestamp(day), key, old, new, n))
    frame = pd.DataFrame(rows, columns=["pos", "when", "key", "old", "new", "n"])
    return frame.sort_values(["when", "n"], kind="stable").reset_index(drop=True)


def _date(v):
    import pandas as pd

    from gain_workbook.core.dates import parse_date

    d = parse_date(v)
    return pd.Timestamp(d) if isinstance(d, dt.date) else pd.NaT
