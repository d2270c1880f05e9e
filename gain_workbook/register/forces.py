"""A register that holds several forces (an alliance, a collaboration, a region): which
forces its Force columns name, whose rows a run is for, and the one line that says so.

The Force column may be on the Inspections, Items or Actions sheet (or a flat sheet's
rows): an action is for the force its own Force cell names, else its item's, else its
inspection's. 'Both', 'All' (``schema.ALL_FORCES``) or a blank cell mean every force;
'Norfolk & Suffolk' means each of them. Names match with the tolerance other values
have: 'Northshire' is 'Northshire Police', capitals, punctuation and one typo aside.

The 'Rows for force' setting chooses: one force (its rows, and those for every force),
or 'all' (every row, said). Blank, with several forces named, every row is read and
every command says, in one line, that the register holds several forces and how to
choose. ``read_forces`` works this out when the register is read (``adopt`` keeps every
row); ``select`` gives the chosen force's rows, for the commands that report.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from gain_workbook.core.text import plural
from gain_workbook.model.problems import make_problem
from gain_workbook.model.schema import ACTIONS, ALL_FORCES, INSPECTIONS, ITEMS, norm_key
from gain_workbook.model.tables import PART_SPAN

SETTING = "Rows for force"
ALL = "all"
# Words of a force's name that tell no force from another.
_GENERIC = frozenset({"police", "constabulary", "force", "the", "of", "fire", "rescue",
                      "service", "frs", "and", "authority", "area", "pcc", "opcc", "office",
                      "commissioner", "police service"})
# (the names are stripped after the split: spaces in the pattern would be quadratic)
_SEVERAL = re.compile(r"/|&|\+|,|;|\band\b", re.I)


@dataclass
class Forces:
    """The forces a register names and whose rows a run reads."""

    names: list = field(default_factory=list)    # each force, as first written
    chosen: str | None = None     # one of names, ALL, or None (nothing chosen)
    line: str = ""                # what every command says ('' when nothing needs saying)
    warn: bool = False            # the line is a warning (several forces, none chosen)
    cover: str = ""               # the pack's line on its cover ('' for one force)
    every: int = 0                # actions for every force ('Both', 'All' or blank)
    lookup: object = field(default=None, repr=False)   # the _Names that read the cells

    @property
    def several(self) -> bool:
        return len(self.names) > 1


def _key(name: str) -> str:
    words = [w for w in norm_key(name).split() if w not in _GENERIC]
    return " ".join(words) or norm_key(name)


def _same(a: str, b: str) -> bool:
    """Do two force keys name the same force ('northshire' and 'northshire')? One typo,
    or one name's words all in the other's ('devon cornwall', 'cornwall'), is allowed."""
    if a == b:
        return True
    wa, wb = set(a.split()), set(b.split())
    if wa and wb and (wa <= wb or wb <= wa):
        return True
    from gain_workbook.register.values import _one_edit

    return min(len(a), len(b)) >= 5 and abs(len(a) - len(b)) <= 1 and _one_edit(a, b)


class _Names:
    """The forces met so far; each value read as the forces it names."""

    def __init__(self):
        self.names: list[str] = []
        self.keys: list[str] = []
        self.cache: dict = {}

    def find(self, text: str) -> str | None:
        key = _key(text)
        return next((n for n, k in zip(self.names, self.keys) if _same(k, key)), None)

    def add(self, text: str) -> None:
        text = " ".join(text.split())
        known = self.find(text)
        if known is None:
            self.names.append(text)
            self.keys.append(_key(text))
        elif len(text) > len(known):       # 'Northshire Police' names it better
            self.names[self.names.index(known)] = text

    def of(self, value):
        """None (every force: blank, 'Both', 'All') or the tuple of forces a cell names."""
        if value is None:
            return None
        if value in self.cache:
            return self.cache[value]
        text = str(value).strip()
        if not text or norm_key(text) in ALL_FORCES:
            out = None
        elif (one := self.find(text)) is not None:
            out = (one,)
        else:
            parts = [self.find(p.strip()) for p in _SEVERAL.split(text) if p.strip()]
            out = tuple(dict.fromkeys(parts)) if parts and all(parts) else (text,)
        self.cache[value] = out
        return out


def _cells(reg) -> tuple[list, list, list]:
    """The Force values of the inspections, items and actions (None where none)."""
    out = []
    for table, key in ((reg.inspections, "inspection_force"), (reg.items, "item_force"),
                       (reg.actions, "force")):
        out.append(table.frame[key].tolist() if key in table.frame else [None] * len(table))
    return tuple(out)


def read_forces(reg) -> Forces:
    """Which forces the register's Force columns name, and whose rows the 'Rows for
    force' setting chooses; BAD_SETTING (in ``reg.problems``) when it names none of them."""
    ins_f, item_f, act_f = _cells(reg)
    values = [v for v in (*ins_f, *item_f, *act_f) if v is not None]
    setting = (reg.settings.rows_for_force or "").strip()
    if not values and not setting:
        return Forces()                          # the usual case: one force, no column
    names = _Names()
    many = []
    for v in dict.fromkeys(values):
        text = str(v).strip()
        if not text or norm_key(text) in ALL_FORCES:
            continue
        if _SEVERAL.search(text):
            many.append(text)
        else:
            names.add(text)
    for text in many:               # 'Norfolk & Suffolk': each, when both are known
        parts = [p.strip() for p in _SEVERAL.split(text) if p.strip()]
        if names.find(text) is None and not all(names.find(p) for p in parts):
            names.add(text)
    forces = Forces(names=list(names.names), lookup=names)
    forces.every = sum(1 for a in _action_forces(reg, names) if a is None)
    chosen = None
    if setting:
        if norm_key(setting) in (ALL, *ALL_FORCES):
            chosen = ALL
        else:
            chosen = names.find(setting)
            if chosen is None:
                known = ", ".join(forces.names) or "none: the register has no Force column"
                reg.problems.append(make_problem(
                    "BAD_SETTING", reg.plan.settings_sheet or "Settings", "", "Setting",
                    setting, key=SETTING,
                    expected=f"one of the forces in the Force column ({known}), or 'all'"))
    forces.chosen = chosen
    _say(forces, reg, names)
    return forces


def _say(forces: Forces, reg, names: _Names) -> None:
    """The one line each command says, and the pack's cover line."""
    listed = " and ".join(forces.names) if len(forces.names) < 3 else \
        ", ".join(forces.names[:-1]) + " and " + forces.names[-1]
    every = (f"; {plural(forces.every, 'action')} for every force ('Both', 'All' or no force "
             "given) count for each") if forces.every else ""
    if forces.chosen == ALL:
        forces.line = f"every force's rows were read together ({listed}), as '{SETTING}' says."
        forces.cover = f"Every force's rows together: {listed}"
    elif forces.chosen is not None:
        kept = sum(1 for a in _action_forces(reg, names) if a is None or forces.chosen in a)
        forces.line = (f"the rows for {forces.chosen} were read, as '{SETTING}' says: "
                       f"{kept} of {plural(len(reg.actions), 'action')}{every}.")
        forces.cover = f"{forces.chosen}'s rows" + (" (and those for every force)"
                                                    if forces.every else "")
    elif forces.several:
        forces.warn = True
        forces.line = (f"the register holds several forces in its Force column ({listed}"
                       f"{every}); every row was read, pooled: write one of them beside "
                       f"'{SETTING}' on the Settings sheet to read its rows, or 'all' to "
                       "read them together.")
        forces.cover = (f"Every force's rows, pooled ({listed}): the Settings sheet's "
                        f"'{SETTING}' does not say whose")


def _action_forces(reg, names: _Names) -> list:
    """Each action's forces (None: every force): its own, else its item's, else its
    inspection's. Where only the actions have Force cells (one row per action), a blank
    one carries on the rows above as the sheet's other cells do: its item's first row's
    force, else its report's first row's (another force's action was this one's)."""
    ins_f, item_f, act_f = _cells(reg)
    items, acts = reg.items.frame, reg.actions.frame
    first_item: dict = {}
    first_ins: dict = {}
    if all(v is None for v in (*ins_f, *item_f)):
        ins_of_item = dict(zip(items["item_id"], items["item_inspection_id"]))
        for item, own in zip(acts["action_item_id"], act_f):
            first_item.setdefault(item, own)
            first_ins.setdefault(ins_of_item.get(item), own)
    ins_of = {i: own if own is not None else first_ins.get(i)
              for i, own in zip(reg.inspections.frame["inspection_id"], ins_f)}
    item_of = {}
    for iid, ins, own in zip(items["item_id"], items["item_inspection_id"], item_f):
        own = own if own is not None else first_item.get(iid)
        item_of.setdefault(iid, names.of(own if own is not None else ins_of.get(ins)))
    return [names.of(own) if own is not None else item_of.get(item)
            for item, own in zip(acts["action_item_id"], act_f)]


def select(reg):
    """The register with only the chosen force's rows (and those for every force), or
    the register itself when nothing is chosen or it names one force."""
    forces = getattr(reg, "forces", None)
    if forces is None or forces.chosen in (None, ALL) or not forces.names:
        return reg
    names, want = forces.lookup, forces.chosen
    ins_f, item_f, _ = _cells(reg)
    acts, items = reg.actions.frame, reg.items.frame
    keep_act = [f is None or want in f for f in _action_forces(reg, names)]
    has_kept = set(acts.loc[keep_act, "action_item_id"])
    has_any = set(acts["action_item_id"])
    ins_ids = reg.inspections.frame["inspection_id"].tolist()
    ins_force = {i: names.of(v) for i, v in zip(ins_ids, ins_f)}
    keep_item = []
    for iid, ins, own in zip(items["item_id"], items["item_inspection_id"], item_f):
        if iid in has_kept:
            keep = True                         # an action of it is the force's
        elif own is not None:
            keep = names.of(own) is None or want in names.of(own)   # the item says whose
        elif iid in has_any:
            keep = False                        # its actions are another force's
        else:
            f = ins_force.get(ins)              # no actions: its inspection's force
            keep = f is None or want in f
        keep_item.append(keep)
    kept_ins = set(items.loc[keep_item, "item_inspection_id"])
    has_items = set(items["item_inspection_id"])
    keep_ins = [i in kept_ins or (i not in has_items and (ins_force.get(i) is None
                                                           or want in ins_force[i]))
                for i in ins_ids]
    tables = {}
    for name, table, keep in ((INSPECTIONS, reg.inspections, keep_ins),
                              (ITEMS, reg.items, keep_item), (ACTIONS, reg.actions, keep_act)):
        tables[name] = dataclasses.replace(table, frame=table.frame.loc[keep].copy())
    return dataclasses.replace(reg, inspections=tables[INSPECTIONS], items=tables[ITEMS],
                               actions=tables[ACTIONS],
                               problems=_problems_kept(reg, tables))


def _rows(table) -> set:
    return {(table.sheet_of(i), int(i) % PART_SPAN) for i in table.frame.index}


def _problems_kept(reg, tables) -> list:
    """The problems read, but those on rows of other forces only."""
    before = _rows(reg.inspections) | _rows(reg.items) | _rows(reg.actions)
    after = set().union(*(_rows(t) for t in tables.values()))
    gone = before - after
    if not gone:
        return list(reg.problems)
    return [p for p in reg.problems if p.row is None or (p.sheet, p.row) not in gone]


# ---------------------------------------------------------------- the force a title names

# The police forces of England and Wales (and the national ones) by their own names;
# a title may write 'Police' or 'Constabulary' after any of them.
POLICE_FORCES = (
    "Avon and Somerset Constabulary", "Bedfordshire Police", "Cambridgeshire Constabulary",
    "Cheshire Constabulary", "City of London Police", "Cleveland Police",
    "Cumbria Constabulary", "Derbyshire Constabulary", "Devon and Cornwall Police",
    "Dorset Police", "Durham Constabulary", "Dyfed-Powys Police", "Essex Police",
    "Gloucestershire Constabulary", "Greater Manchester Police", "Gwent Police",
    "Hampshire and Isle of Wight Constabulary", "Hertfordshire Constabulary",
    "Humberside Police", "Kent Police", "Lancashire Constabulary", "Leicestershire Police",
    "Lincolnshire Police", "Merseyside Police", "Metropolitan Police Service",
    "Norfolk Constabulary", "North Wales Police", "North Yorkshire Police",
    "Northamptonshire Police", "Northumbria Police", "Nottinghamshire Police",
    "South Wales Police", "South Yorkshire Police", "Staffordshire Police",
    "Suffolk Constabulary", "Surrey Police", "Sussex Police", "Thames Valley Police",
    "Warwickshire Police", "West Mercia Police", "West Midlands Police",
    "West Yorkshire Police", "Wiltshire Police", "British Transport Police",
    "Civil Nuclear Constabulary", "Ministry of Defence Police")
# a fire and rescue service names itself: one to four capitalised words before it
_FIRE = re.compile(r"\b((?:[A-Z][\w'’-]*\s+(?:(?:and|&|of)\s+)?){1,4})"
                   r"Fire\s+(?:and|&)\s+Rescue(?:\s+Service)?\b")


def _place(name: str) -> str:
    """'dyfed powys' of 'Dyfed-Powys Police', folded as norm_key folds text."""
    folded = norm_key(name)
    for word in (" police service", " police", " constabulary"):
        if folded.endswith(word):
            return folded[:-len(word)]
    return folded


_BY_PLACE = {_place(n): n for n in POLICE_FORCES}


def force_in_titles(texts) -> str | None:
    """The one force (or fire and rescue service) the texts name, by its own name
    ('Heddlu Dyfed-Powys Police: argymhellion ...' -> 'Dyfed-Powys Police'), or None
    when they name none or more than one. A place alone ('Cleveland') is not a force."""
    found = set()
    for text in texts:
        if not isinstance(text, str):
            continue
        folded = f" {norm_key(text)} "
        for place, name in _BY_PLACE.items():
            if any(f" {place} {word} " in folded for word in
                   ("police", "constabulary", "police service")):
                found.add(name)
        for m in _FIRE.finditer(text):
            words = m.group(1).split()
            while words and norm_key(words[0]) in ("the", "heddlu", "gwasanaeth"):
                words = words[1:]
            if words:
                found.add(" ".join(words) + " Fire and Rescue Service")
    # ('West Midlands Police' holds no other name; 'Midlands Police' is not one of ours)
    return found.pop() if len(found) == 1 else None
