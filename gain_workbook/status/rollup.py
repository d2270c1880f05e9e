"""Status roll-up: from the canonical tables and an as-of date to what the board sees.

Pure functions, no I/O and no clock: the as-of date is a parameter. One roll-up is
used by the board pack, the `rollup` command and the PCC response, so they always
agree on every item's status.

The rules (also in docs/board-pack.md, generated from RAG_RULES):

* an **action** is overdue when it is not finished and its effective due date
  (revised due, else due) is before the as-of date; due soon when it falls within
  the due-soon threshold; stale when it has had no update for longer than the stale
  threshold (or never). Action RAG: overdue Red; due soon, stale or on hold Amber;
  other open actions Green; finished actions Grey.
* an **item**'s RAG is the worse of its own state and its worst action's RAG, so it
  is never better than its worst action.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from gain_workbook.model import schema
from gain_workbook.core.dates import (DATE_WORDS, S55_DAYS_AFTER_PUBLICATION, as_datetime64, closed_day, given,
                                 uk_date, working_day_before)
from gain_workbook.model.refs import item_label, sort_key
from gain_workbook.core.text import all_of, plural
from gain_workbook.model.settings import Settings

RAG_ORDER = {"Grey": 0, "Blue": 1, "Green": 2, "Amber": 3, "Red": 4}
RAG_BY_RANK = {v: k for k, v in RAG_ORDER.items()}

# Item states, the RAG each one gives on its own, and when it applies (first match wins).
ITEM_STATES = (
    ("Closed", "Grey", "HMICFRS has closed the item (complete, superseded or no further action)."),
    ("Not for the force", "Grey", "The item is addressed to someone else (Applies to force = No)."),
    ("No action (reason given)", "Grey",
     "It applies, has no actions, and 'No action because' says why."),
    ("Ready for closure", "Blue",
     "Every action is finished and the board has signed the item off as ready for closure."),
    ("Awaiting sign-off", "Green",
     "Every action is finished but the board has not yet signed the item off."),
    ("Awaiting plenary", "Grey",
     "It applies and has no actions yet, and its report's plenary session, which agrees the "
     "actions, is still to come: its date is after the as-of date, or it has no date and the "
     "report came out in the last three months."),
    ("No actions", "Red", "It applies and is open but has no actions and no reason."),
    ("Not started", "Green", "No action has started yet."),
    ("In progress", "Green", "Otherwise."),
)
# A report with no plenary date is taken to be awaiting its plenary for this long after
# publication; after that its items with no actions are 'No actions' (Red) again.
NEW_REPORT_MONTHS = 3
# An action never updated is stale counted from the first of these its inspection has.
STALE_FROM = ("plenary_date", "gain_board_told", "published")
RAG_RULES = (
    ("Red", "any action is overdue; or the item's own deadline (the board-agreed revised "
            "deadline when there is one, else HMICFRS's) has passed while it is open; "
            "or it applies and is open with no actions and no reason"),
    ("Amber", "any open action is due soon, stale or on hold; stale is no update for more "
              "than 'Stale after (days)', and an action never updated counts from its "
              "inspection's plenary session, else the day the GAIN Board was told, else "
              "publication (so a new action is not stale on its first pack)"),
    ("Green", "otherwise, for an open item (and for one awaiting board sign-off)"),
    ("Blue", "ready for closure: all actions finished and signed off by the board"),
    ("Grey", "closed by HMICFRS, not for the force, no action with a reason given, or "
             "awaiting its report's plenary session (a neutral grey, not a RAG)"),
)


@dataclass
class RollUp:
    """The register rolled up as at one date: three DataFrames and the figures for the pack."""

    as_of: dt.date
    settings: Settings
    inspections: object      # pandas.DataFrame, one row per inspection
    items: object            # one row per item
    actions: object          # one row per action
    forces: str = ""         # whose rows, in a register of several forces (the pack's cover)
    force_column: bool = False   # several forces' rows read together: each row says whose

    def headline(self) -> dict:
        """The headline figures the Summary sheet shows."""
        it, ac, ins = self.items, self.actions, self.inspections
        return {
            "open_items": int(((it["applies"] == "Yes") & it["status"].isin(OPEN_STATES)).sum()),
            "overdue_actions": int(ac["overdue"].sum()),
            # what the board is asked to close: the For decision sheet's first two parts
            "ready_for_closure": int(for_sign_off(it).sum() + for_closure(ac, it).sum()),
            "new_inspections": int((ins["published"] > _ts(self.as_of - dt.timedelta(days=31))).sum()),
            "responses_due": int(ins["response_state"].isin(PENDING_RESPONSE).sum()),
            "responses_overdue": int((ins["response_state"] == "Overdue").sum()),
        }


# The item states of an open item for the force (the Summary's 'Open items').
OPEN_STATES = ("Awaiting plenary", "No actions", "Not started", "In progress",
               "Awaiting sign-off")


def for_sign_off(items):
    """The items the board is asked to sign off as ready for closure: every action
    finished, not yet signed off (a mask over the roll-up's items)."""
    return items["status"] == "Awaiting sign-off"


def for_closure(actions, items):
    """The actions proposed for closure (status Ready for closure) whose item is still
    open and is not itself asked to be signed off: the board closes them (a mask over
    the roll-up's actions)."""
    open_items = items.loc[items["status"].isin(["Not started", "In progress"]), "item_id"]
    return (actions["action_status"] == "Ready for closure") & \
        actions["action_item_id"].isin(set(open_items))


# The order a report lists its findings in, the gravest first (pack and response alike).
KIND_ORDER = ("Accelerated cause of concern", "Cause of concern", "Recommendation",
              "Area for improvement")


def _labels(frame, written: dict | None = None) -> list[str]:
    """Each item's label: its ref as the office wrote it ('R1', 'CoC1-R2'; ``written`` is
    the items' raw values, by (key, row)), else its kind and number ('Rec 2')."""
    if written:
        return [written.get(("number", row)) or item_label(k, n)
                for row, k, n in zip(frame["row"], frame["kind"], frame["number"])]
    return [item_label(k, n) for k, n in zip(frame["kind"], frame["number"])]


def report_order(items, first: tuple = (), ascending: tuple = ()):
    """Items (or anything with kind and number) sorted by ``first``, then as a report
    lists them: kind, gravest first, then number (2 before 10)."""
    rank = {k: i for i, k in enumerate(KIND_ORDER)}
    keyed = items.assign(
        _k=items["kind"].map(rank).fillna(len(rank)),
        _n=items["number"].map(sort_key))
    keyed = keyed.sort_values([*first, "_k", "_n", "number"],
                              ascending=[*ascending, True, True, True], kind="stable")
    return keyed.drop(columns=["_k", "_n"])


def _ts(day):
    import pandas as pd

    return pd.Timestamp(day)




def _vocab(series, vocab):
    return series.where(series.isin(vocab))




def roll_up(register, as_of: dt.date, settings: Settings | None = None) -> RollUp:
    """Roll a register up as at ``as_of`` (thresholds from ``settings`` or the register's)."""
    settings = settings or register.settings
    inspections = typed(register.inspections.frame, schema.INSPECTIONS)
    items = typed(register.items.frame, schema.ITEMS)
    actions = typed(register.actions.frame, schema.ACTIONS)
    items["label"] = _labels(items, register.items.raw)
    items["status_note"] = _notes(register.items, "hmicfrs_status", items["row"])
    actions["status_note"] = _notes(register.actions, "action_status", actions["row"])
    actions = roll_up_actions(actions, items, as_of, settings, inspections)
    items = roll_up_items(items, actions, inspections, as_of)
    inspections = roll_up_inspections(inspections, items, as_of, settings,
                                      unrecorded_before=_unrecorded_before(register, as_of))
    forces = getattr(register, "forces", None)
    together = forces is not None and forces.several and forces.chosen in (None, "all")
    if together:
        items["force_shown"], actions["force_shown"] = _whose(forces.lookup, items, actions)
    return RollUp(as_of, settings, inspections, items, actions,
                  forces=getattr(forces, "cover", "") or "", force_column=together)


EVERY_FORCE = "Every force"


def _whose(names, items, actions) -> tuple[list, list]:
    """Whose each item and action is, in a register of several forces read together:
    the forces its own Force cell names (as the register names them best; 'Both', 'All'
    or blank on an action: its item's, else every force), an item without one its
    actions' ({forces.of})."""
    def shown(value):
        got = names.of(value) if value is not None and value == value else None
        return ", ".join(got) if got else None

    own_items = [shown(v) for v in items["item_force"]]
    of_item = dict(zip(items["item_id"], own_items))
    acts = [shown(v) or of_item.get(i) or EVERY_FORCE
            for v, i in zip(actions["force"], actions["action_item_id"])]
    by_item: dict = {}
    for i, f in zip(actions["action_item_id"], acts):
        for one in f.split(", "):
            if one not in by_item.setdefault(i, []):
                by_item[i].append(one)
    its = [f or ", ".join(sorted(by_item.get(i, []), key=lambda x: x == EVERY_FORCE)) or None
           for f, i in zip(own_items, items["item_id"])]
    return its, acts


def _notes(table, key: str, rows) -> list[str]:
    """The note each row's status carried after its word ('awaiting HMICFRS closure'),
    '' where none (read again from the value as written, which the register keeps)."""
    written = {index: text for (k, index), text in table.raw.items() if k == key}
    if not written:
        return [""] * len(rows)
    from gain_workbook.register.values import note_of

    from gain_workbook.register.values import vocab_words

    col = schema.BY_KEY[key]
    words = vocab_words(col)
    return [note_of(col, written[r], words) if r in written else "" for r in rows]


def _unrecorded_before(register, as_of: dt.date):
    """The day before which a response still to be sent is 'Not recorded', not overdue:
    the day the register was adopted from one that kept no response dates, or, for a
    register that has no column for them, the as-of date; None when it records them."""
    if register.settings.adopted_on is not None:
        return register.settings.adopted_on
    if not {"response_sent", "response_published"} & set(register.inspections.headers):
        return as_of
    return None


def typed(frame, table: str):
    """A canonical frame with real types: dates as datetime64, unknown words as missing."""
    out = frame.copy()
    for col in schema.columns_of(table):
        if col.kind == "date":
            out[col.key] = as_datetime64(out[col.key])
        elif col.kind in ("vocab", "yesno"):
            out[col.key] = _vocab(out[col.key], col.vocab)
    out["row"] = out.index
    return out.reset_index(drop=True)


def roll_up_actions(actions, items, as_of: dt.date, settings: Settings, inspections=None):
    """Per action: effective due, overdue, due soon, stale, RAG, and its item's details.

    Stale counts from the last update; an action never updated counts from when the
    force took it on (STALE_FROM: the plenary, else the day the GAIN Board was told,
    else publication), so a new action is not stale on its first pack.
    """
    import numpy as np
    import pandas as pd

    a = actions
    today = _ts(as_of)
    cols = ["item_id", "item_inspection_id", "kind", "number", "item_text"]
    info = items[cols + (["label"] if "label" in items else [])].drop_duplicates("item_id")
    a = a.merge(info.rename(columns={"item_id": "action_item_id",
                                     "item_inspection_id": "inspection_id"}),
                on="action_item_id", how="left")      # (a left merge keeps the rows' order)
    a["effective_due"] = a["revised_due"].fillna(a["due"])
    a["done"] = a["action_status"].isin(schema.ACTION_DONE)
    open_ = ~a["done"]
    a["days_to_due"] = (a["effective_due"] - today).dt.days
    a["overdue"] = open_ & (a["days_to_due"] < 0)
    a["days_overdue"] = np.where(a["overdue"], -a["days_to_due"], 0).astype(int)
    a["due_soon"] = open_ & a["days_to_due"].between(0, settings.due_soon_days)
    a["quiet_since"] = a["last_updated"]
    if inspections is not None:
        ins = inspections.drop_duplicates("inspection_id").set_index("inspection_id")
        for key in STALE_FROM:
            start = pd.to_datetime(ins[key].reindex(a["inspection_id"].to_numpy()).to_numpy())
            a["quiet_since"] = a["quiet_since"].fillna(pd.Series(start, index=a.index))
    a["days_quiet"] = (today - a["quiet_since"]).dt.days
    a["stale"] = open_ & (a["quiet_since"].isna() | (a["days_quiet"] > settings.stale_days))
    a["on_hold"] = a["action_status"] == "On hold"
    a["due_moved_days"] = (a["revised_due"] - a["due"]).dt.days
    rag = np.select([a["overdue"], open_ & (a["due_soon"] | a["stale"] | a["on_hold"]), open_],
                    ["Red", "Amber", "Green"], "Grey")
    a["rag"] = rag
    if "label" not in a:
        a["label"] = _labels(a)  # 'Rec 2': its item as the pack and response name it
    a["label"] = a["label"].fillna("Item")
    return a


def _crosstab(keys, values, categories):
    """Counts of each category per key, with a column for every category."""
    table = values.groupby([keys, values]).size().unstack(fill_value=0)
    return table.reindex(columns=list(categories), fill_value=0)


def _aligned(per_key, keys, fill=0):
    """Values looked up by key for each of ``keys`` (numpy; ``fill`` where a key has none).

    ``per_key`` is a Series or DataFrame indexed by unique keys (a groupby result);
    reindexing looks every key up at once, where Series.map(dict) goes one by one.
    """
    out = per_key.reindex(keys.to_numpy())
    return out.fillna(fill) if fill is not None else out


def roll_up_items(items, actions, inspections, as_of: dt.date):
    """Per item: action counts, next due, derived status, RAG and the reason in words."""
    it = items
    today = _ts(as_of)
    _count_actions(it, actions)
    _item_status(it, _before_plenary(it, inspections, as_of))
    _deadlines(it, today)
    _item_rag(it)
    it["reason"] = _item_reasons(it)
    if "label" not in it:
        it["label"] = _labels(it)
    it = it.merge(inspections[["inspection_id", "title", "published"]].drop_duplicates(
        "inspection_id").rename(columns={"inspection_id": "item_inspection_id"}),
        on="item_inspection_id", how="left")
    return it


def _count_actions(it, actions) -> None:
    """Each item's actions counted (all, done, overdue, ... and by status), its worst
    action's RAG and its next due dates, as columns of ``it``.

    A cause of concern takes its status from the recommendations made under it: the
    n_ counts (and the status, RAG, reason and next due worked out from them) are its
    progress, its own actions and theirs. Each action is counted once in the totals:
    own_actions, own_done and own_overdue are the item's own actions only, so that
    they add up to the actions on the register; n_under is how many of the n_ counts
    are its recommendations' actions."""
    import pandas as pd

    up = actions["action_item_id"].map(dict(zip(it["item_id"], it["parent_item"])))
    # (an item under itself, which validate calls an error, is not counted twice)
    under = up.notna() & (up != actions["action_item_id"])
    own = _action_counts(it, actions)
    if under.any():
        actions = pd.concat([actions, actions[under].assign(action_item_id=up[under])],
                            ignore_index=True)
        progress = _action_counts(it, actions)
    else:
        progress = own
    for name in progress:
        it[name] = progress[name].to_numpy()
    for name in ("actions", "done", "overdue"):
        it["own_" + name] = own["n_" + name].to_numpy()
    it["n_under"] = it["n_actions"] - it["own_actions"]
    open_actions = actions[~actions["done"]]
    next_due = open_actions.groupby("action_item_id")["effective_due"].min()
    it["next_due"] = pd.to_datetime(_aligned(next_due, it["item_id"], None).to_numpy())
    soon = actions[actions["due_soon"]].groupby("action_item_id")["effective_due"].min()
    it["next_due_soon"] = pd.to_datetime(_aligned(soon, it["item_id"], None).to_numpy())
    it["n_open"] = it["n_actions"] - it["n_done"]


def progress_text(it, sep: str = " of ", none: str = "0 of 0") -> list[str]:
    """'Actions done' for each item: '1 of 2'; for a cause of concern, its own and its
    recommendations' ('1 of 2 under it', or '1 of 1; 1 of 2 under it'), so that no
    action is counted twice in a column that adds up."""
    out = []
    for d, n, od, on, u in zip(it["n_done"], it["n_actions"], it["own_done"],
                               it["own_actions"], it["n_under"]):
        if not u:
            out.append(f"{d}{sep}{n}" if n else none)
        elif not on:
            out.append(f"{d}{sep}{n} under it")
        else:
            out.append(f"{od}{sep}{on}; {d - od}{sep}{u} under it")
    return out


def _action_counts(it, actions):
    """Per item (in ``it``'s order): its actions' counts, as a DataFrame of ints."""
    import pandas as pd

    g = actions.groupby("action_item_id")
    counts = {
        "n_actions": g.size(),
        "n_done": g["done"].sum(),
        "n_overdue": g["overdue"].sum(),
        "n_due_soon": g["due_soon"].sum(),
        "n_stale": g["stale"].sum(),
        "n_on_hold": g["on_hold"].sum(),
        "max_days_overdue": g["days_overdue"].max(),
        "worst_action_rag": actions["rag"].map(RAG_ORDER).groupby(actions["action_item_id"]).max(),
    }
    by_status = _crosstab(actions["action_item_id"], actions["action_status"],
                          schema.ACTION_STATUSES)
    for status in schema.ACTION_STATUSES:
        counts["n_" + status.lower().replace(" ", "_")] = by_status[status]
    return _aligned(pd.DataFrame(counts), it["item_id"]).astype(int)


def _before_plenary(it, inspections, as_of: dt.date):
    """Per item: is its report still before its plenary session (a plenary date after
    ``as_of``, or none and published in the last NEW_REPORT_MONTHS)?"""
    import pandas as pd

    from gain_workbook.core.dates import add_months

    ins = inspections.drop_duplicates("inspection_id").set_index("inspection_id")
    ids = it["item_inspection_id"].to_numpy()
    plenary = pd.to_datetime(ins["plenary_date"].reindex(ids).to_numpy())
    published = pd.to_datetime(ins["published"].reindex(ids).to_numpy())
    recent = published > _ts(add_months(as_of, -NEW_REPORT_MONTHS))
    to_come = (plenary > _ts(as_of)) | (pd.isna(plenary) & recent)
    return pd.Series(to_come, index=it.index)


def _item_status(it, before_plenary=False) -> None:
    """Each item's status: the first of ITEM_STATES that applies to it."""
    import numpy as np

    closed = it["hmicfrs_status"].isin(schema.HMICFRS_CLOSED)
    applies = it["applies"] == "Yes"
    reason = it["no_action_reason"].notna()
    board = it["board_ready_date"].notna()
    all_done = (it["n_actions"] > 0) & (it["n_open"] == 0)
    states = [
        closed,
        ~applies,
        (it["n_actions"] == 0) & reason,
        all_done & board,
        all_done,
        (it["n_actions"] == 0) & before_plenary,
        it["n_actions"] == 0,
        it["n_not_started"] == it["n_actions"],
    ]
    names = [s[0] for s in ITEM_STATES]
    it["status"] = np.select(states, names[:-1], names[-1])


def _deadlines(it, today) -> None:
    """Whether an open item's deadline has passed, and by how many days: the board's
    agreed deadline where there is one, and HMICFRS's own."""
    # The board may agree a later deadline than HMICFRS's ('with immediate effect' is the
    # day of publication); the RAG goes by the agreed one when there is one.
    it["effective_deadline"] = it["agreed_deadline"].fillna(it["deadline"])
    still_open = it["status"].isin(["No actions", "Not started", "In progress"])
    it["deadline_passed"] = (it["effective_deadline"] < today) & still_open
    it["days_past_deadline"] = ((today - it["effective_deadline"]).dt.days
                                .where(it["deadline_passed"], 0).fillna(0).astype(int))
    it["hmicfrs_deadline_passed"] = (it["deadline"] < today) & still_open
    it["days_past_hmicfrs"] = ((today - it["deadline"]).dt.days
                               .where(it["hmicfrs_deadline_passed"], 0).fillna(0).astype(int))


def _item_rag(it) -> None:
    """Each item's RAG: the worse of its own state's (Red when its deadline has passed)
    and its worst action's."""
    import numpy as np

    own_rag = dict((s[0], s[1]) for s in ITEM_STATES)
    own = it["status"].map(own_rag).map(RAG_ORDER)
    own = np.where(it["deadline_passed"], RAG_ORDER["Red"], own)
    rank = np.maximum(own, it["worst_action_rag"])
    it["rag"] = np.array([RAG_BY_RANK[r] for r in range(len(RAG_BY_RANK))])[rank.astype(int)]


def _item_reasons(it):
    """Each item's RAG reason in words ('2 of 3 actions overdue; oldest 41 days'), worked
    out a column at a time: each clause for the items it applies to, joined with '; ';
    an item with no clause is described by its status (_status_reasons)."""
    import numpy as np

    def has(key):
        return it[key].to_numpy() != 0

    n_under, own = has("n_under"), has("own_actions")
    under = np.where(n_under & own, " (with its recommendations')",
                     np.where(n_under, " under it", "")).astype(object)
    agreed = it["agreed_deadline"].notna().to_numpy()
    passed = it["deadline_passed"].to_numpy(dtype=bool)
    out = np.full(len(it), "", dtype=object)
    for applies, words in [
        (has("n_overdue"), lambda c, rows: _each(c("n_overdue"), str) + " of "
         + _plurals(c("n_actions"), "action") + under[rows] + " overdue; oldest "
         + _plurals(c("max_days_overdue"), "day")),
        (it["status"].to_numpy() == "No actions",
         lambda c, rows: "applies to the force but has no actions and no reason given"),
        (passed, lambda c, rows: np.where(agreed[rows], "board-agreed deadline ", "deadline ")
         .astype(object) + _uk_dates(c("effective_deadline")) + " passed "
         + _plurals(c("days_past_deadline"), "day") + " ago"),
        (agreed & it["hmicfrs_deadline_passed"].to_numpy(dtype=bool),
         lambda c, rows: "HMICFRS deadline " + _uk_dates(c("deadline")) + " passed "
         + _plurals(c("days_past_hmicfrs"), "day") + " ago"
         + np.where(passed[rows], "", "; the board agreed " + _uk_dates(c("agreed_deadline")))),
        (has("n_due_soon"), lambda c, rows: _plurals(c("n_due_soon"), "action")
         + " due soon (next " + _uk_dates(c("next_due_soon")) + ")"),
        (has("n_stale"), lambda c, rows: _plurals(c("n_stale"), "action")
         + " not updated recently"),
        (has("n_on_hold"), lambda c, rows: _plurals(c("n_on_hold"), "action") + " on hold"),
    ]:
        rows = np.flatnonzero(applies)
        if len(rows):
            text = words(lambda key: it[key].iloc[rows], rows)
            had = out[rows]
            out[rows] = np.where(had != "", had + "; " + text, text)
    none = out == ""
    if none.any():
        out[none] = _status_reasons(it[none], under[none])
    return list(out)


def _status_reasons(it, under):
    """The reason of each item (``it``) whose RAG no clause explains: its status in words
    (each status's sentence made for its items only)."""
    import numpy as np

    def closed(c, rows):
        on = c("hmicfrs_closed").notna().to_numpy()
        notes = np.where(on, _each(c("status_note"), _without_date), _each(c("status_note"), str))
        notes = np.where(notes != "", ": " + notes.astype(object), "")
        return ("closed by HMICFRS" + np.where(on, " on " + _uk_dates(c("hmicfrs_closed")), "")
                + " (" + _each(c("hmicfrs_status"), str) + notes + ")")

    status = it["status"].to_numpy()
    out = np.full(len(it), None, dtype=object)
    for name, words in [
        ("Closed", closed),
        ("Not for the force", lambda c, rows: "for " + _each(
            c("addressee"), lambda v: str(v or "others")) + "; no action needed by the force"),
        ("No action (reason given)",
         lambda c, rows: "no action: " + _each(c("no_action_reason"), str)),
        ("Ready for closure", lambda c, rows: "all actions finished; signed off by the board "
         "on " + _uk_dates(c("board_ready_date"))),
        ("Awaiting sign-off", lambda c, rows: _each(c("n_actions"), all_of)
         + under[rows] + " finished; awaiting board sign-off"),
        ("Awaiting plenary", lambda c, rows: "awaiting the report's plenary session, which "
         "agrees the actions"),
        (None, lambda c, rows: "on track" + np.where(c("next_due").notna().to_numpy(),
                                                     "; next due " + _uk_dates(c("next_due")), "")),
    ]:
        rows = np.flatnonzero(status == name if name else out == None)  # noqa: E711
        if len(rows):
            out[rows] = words(lambda key: it[key].iloc[rows], rows)
    return out


def _plurals(counts, word: str):
    """core.text.plural of a column of counts ('1 action', '2 actions'), each count once."""
    return _each(counts, lambda n: plural(n, word))


def _uk_dates(days):
    """core.dates.uk_date of a column ('03/12/2026', '' for none), each distinct date once."""
    return _each(days, uk_date)


def _each(series, fn):
    """``fn`` of each value of ``series`` (numpy, of objects), worked out once per distinct
    value; blanks (None, NaN, NaT: not told apart by factorize) once per type."""
    import numpy as np
    import pandas as pd

    typed_ = series.dtype != object       # dates as datetime64: factorized unboxed
    codes, uniques = pd.factorize(series if typed_ else series.to_numpy())
    out = np.array([fn(v) for v in uniques] + [None], dtype=object)[codes]
    blank = np.flatnonzero(codes == -1)
    if len(blank):
        values = series.iloc[blank[:1]] if typed_ else series.to_numpy()[blank]
        by_type: dict = {}
        out[blank] = [by_type[type(v)] if type(v) in by_type else
                      by_type.setdefault(type(v), fn(v)) for v in values] * \
            (len(blank) if typed_ else 1)
    return out


_DATE_IN_NOTE = re.compile(DATE_WORDS, re.I)


def _without_date(note: str) -> str:
    """A closing note less the date it gave ('by HMICFRS 12/03/2021' -> ''), which the
    reason already says."""
    rest = _DATE_IN_NOTE.sub("", note or "").strip(" ,;:-–—()")
    return "" if set(rest.lower().split()) <= {"on", "by", "hmicfrs", "the", "closed"} else rest


def roll_up_inspections(inspections, items, as_of: dt.date, settings: Settings,
                        unrecorded_before: dt.date | None = None):
    """Per inspection: items by kind and status, overall RAG, and the s55 response position.

    A response still to be sent whose day 56 was before ``unrecorded_before`` (the day
    the register was adopted from one that kept no response dates, or the as-of date
    for a register with no column for them) is 'Not recorded': it may well have been
    published; the register does not say."""
    import numpy as np
    import pandas as pd

    ins = inspections
    today = _ts(as_of)
    def per_inspection(series):
        return _aligned(series, ins["inspection_id"]).astype(int).to_numpy()

    g = items.groupby("item_inspection_id")
    ins["n_items"] = per_inspection(g.size())
    kinds = _crosstab(items["item_inspection_id"], items["kind"], schema.ITEM_KINDS)
    for kind in schema.ITEM_KINDS:
        ins["n_" + kind.lower().replace(" ", "_")] = per_inspection(kinds[kind])
    app = items[items["applies"] == "Yes"]
    ins["n_for_force"] = per_inspection(app.groupby("item_inspection_id").size())
    states = [s[0] for s in ITEM_STATES]
    by_state = _crosstab(items["item_inspection_id"], items["status"], states)
    for state in states:
        col = "items_" + state.lower().replace(" ", "_").replace("(", "").replace(")", "").replace("-", "_")
        ins[col] = per_inspection(by_state[state])
    worst = items["rag"].map(RAG_ORDER).groupby(items["item_inspection_id"]).max()
    ins["rag"] = _aligned(worst, ins["inspection_id"], RAG_ORDER["Grey"]).astype(int).map(
        RAG_BY_RANK).to_numpy()

    ins["s55_last_day"] = ins["published"] + pd.Timedelta(days=S55_DAYS_AFTER_PUBLICATION)
    days_left = (ins["s55_last_day"] - today).dt.days
    ins["s55_days_left"] = days_left
    # still to be sent: the one predicate validate uses too; then the clock says how soon
    from gain_workbook.check.validate import responses_pending

    pending = responses_pending(ins)
    done = np.select([ins["response_published"].notna(), ins["response_sent"].notna()],
                     ["Published", "Sent"], "Not required")
    clock = np.select([days_left < 0, days_left <= settings.due_soon_days, days_left.notna()],
                      ["Overdue", "Due", "Not due"], "")
    ins["response_state"] = np.where(pending, clock, done)
    if unrecorded_before is not None:
        before = pending & (ins["s55_last_day"] < _ts(unrecorded_before)).to_numpy()
        ins["response_state"] = np.where(before, NOT_RECORDED, ins["response_state"])
    # Day 56 on a weekend or bank holiday, while it is still to come: why, and the
    # working day before it (the law does not move the day)
    upcoming = ins["response_state"].isin(PENDING_RESPONSE) & (days_left >= 0)
    ins["s55_closed_day"] = [(closed_day(d) or "") if u else ""
                             for d, u in zip(ins["s55_last_day"], upcoming)]
    ins["s55_publish_by"] = pd.to_datetime(
        [working_day_before(d) if why else None
         for d, why in zip(ins["s55_last_day"], ins["s55_closed_day"])])
    target = settings.response_target_days
    ins["response_target_day"] = (ins["published"] + pd.Timedelta(days=target - 1)
                                  if target else pd.NaT)
    ins["response_text"] = [_response_text(r) for r in ins.itertuples(index=False)]
    return ins


# The response states that still need the PCC's response sent.
PENDING_RESPONSE = ("Due", "Overdue", "Not due")
# Day 56 passed before the register kept response dates: it does not say (Grey).
NOT_RECORDED = "Not recorded"


def _response_text(r) -> str:
    if r.response_state == "":
        return "no publication date: cannot work out the s55 deadline"
    if r.response_state == NOT_RECORDED:
        return (f"day 56 was {uk_date(r.s55_last_day)}; no date of the response is recorded "
                "(it was due before the register kept them)")
    if r.response_state == "Not required":
        return "no section 55 response needed (Response required: No)"
    last = r.s55_last_day
    if r.response_state == "Published":
        late = (r.response_published - last).days
        extra = f", {plural(late, 'day')} late" if late > 0 else ""
        return f"published {uk_date(r.response_published)}{extra}"
    if r.response_state == "Sent":
        return f"sent {uk_date(r.response_sent)}; not yet published (day 56: {uk_date(last)})"
    days = int(r.s55_days_left)
    if r.response_state == "Overdue":
        return f"overdue by {plural(-days, 'day')} (day 56 was {uk_date(last)})"
    closed = (f"; day 56 is {r.s55_closed_day}, so publish by {uk_date(r.s55_publish_by)}"
              if r.s55_closed_day else "")
    target = ""
    if given(r.response_target_day):
        target = f"; local target {uk_date(r.response_target_day)}" + (
            " (passed)" if (last - r.response_target_day).days > days else "")
    if days == 0:
        return f"due today (day 56: {uk_date(last)}){closed}{target}"
    return f"due in {plural(days, 'day')} (day 56: {uk_date(last)}){closed}{target}"



# ---------------------------------------------------------------- the office's own RAG

_RAG_WORDS = {"r": "Red", "red": "Red", "a": "Amber", "amber": "Amber", "g": "Green",
              "green": "Green", "b": "Blue", "blue": "Blue", "complete": "Blue",
              "completed": "Blue", "grey": "Grey", "gray": "Grey", "closed": "Grey"}


def _their_rag(word):
    if word is None or word != word:
        return None
    return _RAG_WORDS.get(str(word).strip().lower())


def _rag_problems(register, result: RollUp) -> list:
    from gain_workbook.model.problems import make_problem

    out = []
    for table, frame, key, reason in (
            (register.items, result.items, "item_rag", lambda r: r.reason),
            (register.actions, result.actions, "action_rag", _action_reason)):
        if key not in table.headers:
            continue
        # their RAG against ours a column at a time; only the rows where it is better are read
        theirs = _each(frame[key], lambda v: RAG_ORDER.get(_their_rag(v), len(RAG_ORDER)))
        better = theirs.astype(int) < frame["rag"].map(RAG_ORDER).to_numpy()
        for r in frame[better].itertuples(index=False):
            out.append(make_problem("RAG_BETTER_THAN_OURS", *table.where(key, r.row),
                                    getattr(r, key), ours=r.rag, reason=reason(r)))
    return out


def rollup_problems(register, result: RollUp) -> list:
    """The warnings only a roll-up can give: the office's RAG better than ours, and a
    response whose day 56 (still to come) falls on a weekend or bank holiday."""
    from gain_workbook.model.problems import make_problem
    from gain_workbook.check.validate import name_subjects

    out = _rag_problems(register, result)
    table = register.inspections
    ins = result.inspections
    for r in ins[(ins["s55_closed_day"] != "").to_numpy()].itertuples(index=False):
        if r.s55_closed_day:
            out.append(make_problem("S55_LAST_DAY_CLOSED", *table.where("published", r.row),
                                    uk_date(r.s55_last_day), why=r.s55_closed_day,
                                    working=uk_date(r.s55_publish_by)))
    return name_subjects(register, out)


def _action_reason(r) -> str:
    if r.overdue:
        return f"overdue by {plural(r.days_overdue, 'day')} (due {uk_date(r.effective_due)})"
    if r.due_soon:
        return f"due in {plural(int(r.days_to_due), 'day')}"
    if r.on_hold:
        return "on hold"
    if r.stale:
        return "no update recorded" if r.last_updated != r.last_updated or r.last_updated is None \
            else f"not updated for {plural(int(r.days_quiet), 'day')}"
    return "open"
