"""A new report's rows for the register: its inspection and its items, with their ids.

``plan_add`` turns what ``report_items.find_items`` read into the rows the register
needs, in its own columns: the inspection (id, title, published, type) and one row
per item (id, inspection, kind, number, text, addressee, applies, deadline as
written, HMICFRS status Open, the cause of concern it is under, and 'To check' where
the clerk should look). Ids are made the way the register already makes them:

- an inspection id like its others ('INS-2023-07' -> 'INS-2026-01', the year the
  report was published and the next number in that year; 'HMI012' -> 'HMI013'); on a
  register whose ids are names ('PEEL 2025', adopt's 'VMM-2022'), one made from the
  title and year as adopt makes them; 'INS-<year>-<nn>' on a register with none;
- item ids as its items are ('<inspection>-R1', '-AFI1', '-CoC1', and '-CoC1-R2'
  for a recommendation under a cause of concern), or in that style on a register
  with none.

``write_add`` puts the rows at the bottom of the Inspections and Items sheets, each
cell styled as the row above it, through ``register_edit`` (a backup, then an
atomic replace, as merge does).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from gain_workbook.core.dates import s55_last_day
from gain_workbook.core.errors import InputError
from gain_workbook.newreport.items import ACOC, AFI, COC, REC, fold
from gain_workbook.model.schema import INSPECTION_TYPES, SYNONYMS, norm_key, title_says_peel

_TOKENS = {REC: "R", AFI: "AFI", COC: "CoC", ACOC: "ACoC"}
_YEAR_ID = re.compile(r"^(?P<pre>.*?)(?P<year>(?:19|20|21)\d{2})(?P<sep>[-_/. ]?)(?P<n>\d{1,4})$")
_NUM_ID = re.compile(r"^(?P<pre>.*?\D)?(?P<n>\d+)$")
# leading zeros dropped, each only where a digit follows (one way to read a run of zeros)
_SUFFIX = re.compile(r"^(?P<sep>[-_/. ]?)(?P<token>[A-Za-z]+)(?P<gap>\s*)(?:0(?=\d))*+(?P<n>\d+)$")
_A_YEAR = re.compile(r"(?:19|20|21)\d{2}")


@dataclass
class AddPlan:
    """The rows add-report would write, and what it says about them."""

    inspection_id: str
    inspection: dict                    # key -> value
    items: list = field(default_factory=list)     # [key -> value], in the report's order
    s55_last_day: dt.date | None = None
    types_from: str = ""                # how the type was decided, in words
    same_as: str = ""                   # the id of this report already on the register
    same_why: str = ""                  # how it is known: the same title and date, or items


def _spans(existing: list[str]) -> set[str]:
    """The ids whose 'year, then a number' is a span of years ('PEEL 2023-25', 'PEEL
    2021/22'): a report's name, not the register's numbering of its reports. (Two ids
    with the same start and year, 'HMI-2025-26' and 'HMI-2025-27', are numbering.)"""
    years = Counter((m.group("pre"), m.group("year")) for e in existing
                    if (m := _YEAR_ID.match(e)))
    out = set()
    for e in existing:
        if (m := _YEAR_ID.match(e)) and m.group("sep") in ("-", "/") and \
                len(m.group("n")) == 2 and years[(m.group("pre"), m.group("year"))] == 1 \
                and 1 <= (int(m.group("n")) - int(m.group("year")) % 100) % 100 <= 3:
            out.add(e)
    return out


def next_inspection_id(existing: list[str], year: int, title: str = "",
                       published: dt.date | None = None) -> str:
    """The next id in the register's own style (see the module's docstring). A register
    whose ids are names, not numbered ('PEEL 2025', 'VMM-2022' as adopt makes them, a
    whole title), gets a name made as adopt makes them, from ``title`` and the year."""
    taken = {norm_key(e) for e in existing}
    styles = Counter()
    spans = _spans(existing)                     # (once: a register has thousands)
    numbered = [e for e in existing if e not in spans]
    for e in numbered:
        if m := _YEAR_ID.match(e):
            styles[("year", m.group("pre"), m.group("sep"), len(m.group("n")))] += 1
        elif (m := _NUM_ID.match(e)) and not _A_YEAR.fullmatch(m.group("n")):
            # ('PEEL 2025' is a name with a year in it, not the 2025th report)
            styles[("num", m.group("pre") or "", "", len(m.group("n")))] += 1
    if not styles and existing and title:
        from gain_workbook.register.derive import short_inspection_id

        return short_inspection_id(title, published or dt.date(year, 1, 1), existing)
    style = styles.most_common(1)[0][0] if styles else ("year", "INS-", "-", 2)
    how, pre, sep, width = style
    if how == "year":
        used = [int(m.group("n")) for e in numbered if (m := _YEAR_ID.match(e))
                and m.group("pre") == pre and int(m.group("year")) == year]
        n = max(used, default=0) + 1
        make = lambda k: f"{pre}{year}{sep}{k:0{width}d}"      # noqa: E731
    else:
        used = [int(m.group("n")) for e in numbered if (m := _NUM_ID.match(e))
                and (m.group("pre") or "") == pre]
        n = max(used, default=0) + 1
        make = lambda k: f"{pre}{k:0{width}d}"                  # noqa: E731
    while norm_key(make(n)) in taken:
        n += 1
    return make(n)


def item_style(items_frame) -> tuple[str, dict]:
    """(separator, {kind: token}) of the register's item ids: ('-', {'Recommendation': 'R'})
    for 'INS-2023-07-R1', (' ', {'Area for improvement': 'AFI '}) for 'PEEL 2025 AFI 1'."""
    seps, tokens = Counter(), {}
    for iid, ins, kind, number in zip(items_frame["item_id"], items_frame["item_inspection_id"],
                                      items_frame["kind"], items_frame["number"]):
        if not (isinstance(iid, str) and isinstance(ins, str) and iid.startswith(ins)):
            continue
        m = _SUFFIX.match(iid[len(ins):])
        digits = re.sub(r"\D", "", str(number or ""))
        if m and kind in _TOKENS and digits.lstrip("0") == m.group("n").lstrip("0"):
            seps[m.group("sep")] += 1
            tokens.setdefault(kind, Counter())[m.group("token") + m.group("gap")] += 1
    sep = seps.most_common(1)[0][0] if seps else "-"
    out = dict(_TOKENS)
    for kind, c in tokens.items():
        out[kind] = c.most_common(1)[0][0]
    return sep, out


def _types(found, title: str) -> tuple[str, str]:
    """The inspection's Type, and how it was decided (in words)."""
    ticked = []
    for t in found.types:
        word = SYNONYMS["inspection_type"].get(norm_key(t))
        if word is None and norm_key(t).endswith("specific"):
            word = "Force-specific"
        if word in INSPECTION_TYPES and word not in ticked:
            ticked.append(word)
    if ticked:
        return ", ".join(ticked), "ticked in the text"
    if title_says_peel(title):
        return "PEEL", "the title says PEEL"
    if not found.items:
        return "", "not found: fill it in on the register"
    national = any(it.applies and re.search(r"chief\s+constables|forces\b", it.addressee or "",
                                            re.I) for it in found.items)
    if m := (ONE_BODY_INSPECTED.search(title or "") or ONE_BODY_FIRST.match(title or "")):
        return "Force-specific", f"the title names one: {m.group('who')}"
    if national or any(not it.applies for it in found.items):
        said = sorted({_TITLE_TYPES[w.lower()] for w in _TITLE_TYPE.findall(title or "")},
                      key=INSPECTION_TYPES.index)
        return ", ".join(["National", *said]), "its items are for all forces or national " \
            "bodies" + (f"; the title says {' and '.join(t.lower() for t in said)}"
                        if said else "")
    return "Force-specific", "its items are for the force"


# what a national report's title says it also is: 'a joint thematic inspection'
_TITLE_TYPE = re.compile(r"\b(thematic|joint)\b", re.I)
_TITLE_TYPES = {"thematic": "Thematic", "joint": "Partner/joint"}


# A title naming the one force or service inspected: 'An inspection of Shropshire Fire and
# Rescue Service', 'PEEL 2023–25: An inspection of Cleveland Police'.
ONE_BODY_INSPECTED = re.compile(
    r"\binspection\s+of\s+(?:the\s+)?(?P<who>(?:[A-Z][\w'’&-]*\s+){1,5}(?:Police(?:\s+Service)?|"
    r"Constabulary|Fire\s+(?:and|&)\s+Rescue\s+(?:Service|Authority)|Fire\s+Brigade))\b")
# ... or at its start, before a colon: 'Cleveland Police: an inspection of custody arrangements'
ONE_BODY_FIRST = re.compile(
    r"^(?P<who>(?:[A-Z][\w'’&-]*\s+){1,5}(?:Police(?:\s+Service)?|Constabulary|"
    r"Fire\s+(?:and|&)\s+Rescue\s+(?:Service|Authority)|Fire\s+Brigade))\s*[:–—-]\s")


SAME_TITLE = "same title and publication date"


def same_report(register, found) -> tuple[str, str]:
    """(id, how it is known) of the register's inspection that is this report, or ('', ''):
    the same title and publication date, or every item's words already under one
    inspection (the report added before under another title or date: a page's own title,
    a letter's date, corrected since)."""
    ins, items = register.inspections.frame, register.items.frame
    key = fold(found.title)
    for iid, t, p in zip(ins["inspection_id"], ins["title"], ins["published"]):
        if found.published and isinstance(t, str) and fold(t) == key and \
                isinstance(p, dt.date) and p == found.published:
            return str(iid), SAME_TITLE
    texts = {fold(it.text) for it in found.items if len(fold(it.text)) >= 30}
    if texts:
        held: dict = {}
        for iid, text in zip(items["item_inspection_id"], items["item_text"]):
            if isinstance(text, str):
                held.setdefault(str(iid), set()).add(fold(text))
        for iid, there in held.items():
            if texts <= there:
                title = next((t for i, t in zip(ins["inspection_id"], ins["title"])
                              if str(i) == iid), "")
                return iid, (f"its items are already there, under '{title}'; if that "
                             "title or date is wrong, correct it on the register")
    return "", ""


def plan_add(register, found, inspection_id: str | None = None) -> AddPlan:
    """The rows for the register (see the module's docstring)."""
    items = register.items.frame
    published = found.published
    year = (published or dt.date.today()).year
    existing = list(register.inspections.first_index("inspection_id"))
    if inspection_id and norm_key(inspection_id) in {norm_key(e) for e in existing}:
        raise InputError(f"The register already has an inspection '{inspection_id}'; give "
                         "another id, or leave it to add-report.")
    iid = inspection_id or next_inspection_id(existing, year, found.title, published)
    types, how = _types(found, found.title)
    inspection = {"inspection_id": iid, "title": found.title, "published": published,
                  "inspection_type": types}
    same_as, same_why = same_report(register, found)
    plan = AddPlan(iid, inspection, types_from=how,
                   s55_last_day=s55_last_day(published) if published else None,
                   same_as=same_as, same_why=same_why)
    sep, tokens = item_style(items)
    taken = {norm_key(t) for t in register.items.first_index("item_id")}
    ids: list[str] = []
    for it in found.items:
        base = ids[it.parent] if it.parent is not None else iid
        # a lone item's Number is empty, as the report prints it; its id still counts it
        number = it.number or it.ordinal
        item_id = f"{base}{sep}{tokens[it.kind]}{number}"
        n = 2
        while norm_key(item_id) in taken:
            item_id = f"{base}{sep}{tokens[it.kind]}{number}.{n}"
            n += 1
        taken.add(norm_key(item_id))
        ids.append(item_id)
        plan.items.append({
            "item_id": item_id, "item_inspection_id": iid, "kind": it.kind,
            "number": it.number, "item_text": it.text, "addressee": it.addressee,
            "applies": "Yes" if it.applies else "No", "deadline_text": it.deadline_text,
            "hmicfrs_status": "Open",
            "parent_item": ids[it.parent] if it.parent is not None else "",
            "item_check": "; ".join(it.checks)})
    return plan


def write_add(register, plan: AddPlan, now: dt.datetime):
    """Append the plan's rows to the register file: (backup path, notes)."""
    from gain_workbook.model.schema import INSPECTIONS, ITEMS
    from gain_workbook.register.edit import Changes, write

    return write(register, Changes(rows={INSPECTIONS: [plan.inspection], ITEMS: plan.items}),
                 now, "add-report")


# ---------------------------------------------------------------- what it found, printed

_SHORT = {REC: "Rec", AFI: "AFI", COC: "CoC", ACOC: "ACoC"}


def _cleaned_sentence(found) -> str:
    """What was removed from the report's text and title (CONTROL_CHARACTER), or ''."""
    from gain_workbook.core.text import plural

    where = ([f"{plural(found.cleaned, 'paragraph')} of the text"] if found.cleaned else []) \
        + (["the title"] if found.title_cleaned else [])
    if not where:
        return ""
    marked = sum(1 for it in found.items if it.cleaned)
    return ("CONTROL_CHARACTER: control characters, which no workbook can store, were removed "
            f"from {' and '.join(where)}"
            + (f"; {plural(marked, 'item')} that held them {'is' if marked == 1 else 'are'} "
               "marked To check" if marked else "") + ".")


def _wrap(label: str, text: str, width: int = 100) -> list[str]:
    import textwrap

    out = []
    pad = " " * (4 + len(label) + 2)
    for n, para in enumerate(text.split("\n")):
        first = f"    {label}: " if n == 0 else pad
        out += textwrap.wrap(para, width, initial_indent=first, subsequent_indent=pad,
                             break_on_hyphens=False) or [first.rstrip()]
    return out


def _give(option_of, param: str) -> str:
    opt = option_of(param) if option_of else None
    return f": give it with {opt}" if opt else ""


def _bullet(text: str, width: int = 100) -> list[str]:
    import textwrap

    return textwrap.wrap(" ".join(text.split()), width, initial_indent="    - ",
                         subsequent_indent="      ", break_on_hyphens=False)


def to_text(found, plan: AddPlan, applied: bool = False, option_of=None) -> str:
    """What add-report found, for a clerk to check line by line against the report.
    ``option_of(param)`` gives the command's option for an argument ('--title')."""
    lines = _report_lines(found, plan, option_of) + [""] + _item_lines(found, plan)
    if found.unplaced:
        lines.append(f"Not placed ({len(found.unplaced)}): paragraphs that read like items but "
                     "have no kind or number; add them by hand if they are items:")
        for text in found.unplaced:
            lines += _bullet(text)
        lines.append("")
    checks = sum(1 for it in found.items if it.checks)
    if checks:
        from gain_workbook.core.text import plural

        lines.append(f"{plural(checks, 'item')} marked 'To check' (on the register, validate "
                     "lists them until the cells are cleared).")
    if not applied:
        opt = option_of("apply") if option_of and found.items else None
        lines.append("Dry run: nothing was written." + (
            f" Add {opt} to put this inspection and its items on the register."
            if opt else ""))
    return "\n".join(lines) + "\n"


def _report_lines(found, plan: AddPlan, option_of) -> list[str]:
    """The report's title, date (and s55 day), type and the items it has, with where each
    was read."""
    from gain_workbook.core.dates import closed_day, uk_date, working_day_before
    from gain_workbook.response.document import kinds_sentence   # the published response's words

    no_title = f"(no title found{_give(option_of, 'title')})"
    lines = [f"Report:     {found.title or no_title}"
             + (f"  [from {found.title_from}]" if found.title else "")]
    if found.published:
        s55 = plan.s55_last_day
        closed = closed_day(s55)
        lines.append(f"Published:  {uk_date(found.published)}  [from {found.published_from}]; "
                     f"the PCC's response must be published by {uk_date(s55)} (s55, day 56"
                     + (f", {closed}: publish by {uk_date(working_day_before(s55))}"
                        if closed else "") + ")")
    else:
        lines.append(f"Published:  (no date found{_give(option_of, 'published')})")
    lines.append(f"Type:       {plan.inspection['inspection_type'] or '(none)'}  "
                 f"[{plan.types_from}]")
    counts = found.counts()
    said = ""
    if found.stated:
        stated = kinds_sentence(found.stated)
        same = all(found.stated.get(k) == counts.get(k) for k in found.stated)
        said = (f" (the report says {stated})" if same else
                f" -- BUT THE REPORT SAYS {stated.upper()}: check what is missing")
    applies = sum(1 for it in found.items if it.applies)
    lines.append(f"Items:      {kinds_sentence(counts)}{said}; {applies} for the force")
    if found.repeats:
        from gain_workbook.core.text import plural

        lines.append(f"            ({plural(found.repeats, 'item')} the text gives again, "
                     "kept once)")
    if said := _cleaned_sentence(found):
        import textwrap

        lines += textwrap.wrap(said, 100, initial_indent="Cleaned:    ",
                               subsequent_indent=" " * 12, break_on_hyphens=False)
    return lines


def _item_lines(found, plan: AddPlan) -> list[str]:
    """Each item as the clerk checks it: id, kind and number (a lone one's none), for the
    force or not, deadline, addressee, text and what to check."""
    from gain_workbook.core.dates import uk_date

    lines: list[str] = []
    for it, row in zip(found.items, plan.items):
        deadline = it.deadline_text or "none given"
        if it.deadline:
            deadline += f" = {uk_date(it.deadline)}"
        under = f" (under {row['parent_item']})" if row["parent_item"] else ""
        lines.append(f"{row['item_id']}  {' '.join(filter(None, (it.kind, it.number)))}{under}")
        lines.append(f"    For the force: {'Yes' if it.applies else 'No'}    Deadline: {deadline}")
        if it.addressee:
            lines += _wrap("Addressed to", it.addressee)
        lines += _wrap("Text", it.text or "(not in the text)")
        for check in it.checks:
            lines += _wrap("TO CHECK", check)
        lines.append("")
    return lines


def to_json(found, plan: AddPlan) -> str:
    """{"inspection": {...}, "items": [...], "unplaced": [...]}, dates as YYYY-MM-DD."""
    import json

    items = []
    for it, row in zip(found.items, plan.items):
        d = it.to_dict(found.items)
        d = {"id": row["item_id"], **d, "under_id": row["parent_item"] or None}
        items.append(d)
    data = {"inspection": {
        "id": plan.inspection_id, "title": found.title or None,
        "published": found.published.isoformat() if found.published else None,
        "type": plan.inspection["inspection_type"],
        "s55_last_day": plan.s55_last_day.isoformat() if plan.s55_last_day else None,
        "already_on_register": plan.same_as or None},
        "items": items, "unplaced": list(found.unplaced), "repeats": found.repeats,
        "control_characters_removed": {"paragraphs": found.cleaned,
                                       "title": found.title_cleaned},
        "stated": {k: v for k, v in found.stated.items()}}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
