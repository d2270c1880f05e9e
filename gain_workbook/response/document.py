"""What the PCC's response to an inspection says (Police Act 1996, s55), as blocks.

Laid out like shared/reference/pcc-response-example.md: inspection details with
type check boxes, executive summary, every recommendation and area for
improvement, the force's response (the GAIN process text from
templates/response_process.txt, the items for forces, the force's own account and
what is being done about each item), the PCC's comments and the office-use boxes.

The **published** response carries that and nothing of the office's working state:
no protective marking unless the 'Response marking' Setting asks for one, no
owners, due dates, RAG, days late, internal ids or as-at dates. The **working
copy** (``working=True``) adds them, under a banner saying it is not for
publication. The writers (``response.sheet``, ``response.word``) lay the same
blocks out as a sheet or a Word document, so the formats never disagree.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from gain_workbook.core.dates import NUMBER_WORDS as _NUMBERS
from gain_workbook.core.dates import given, long_date, uk_date
from gain_workbook.core.errors import SettingsError, UsageError
from gain_workbook.excel.packfile import RESPONSE_FIELDS, RESPONSE_TITLE
from gain_workbook.status.rollup import KIND_ORDER, PENDING_RESPONSE, report_order
from gain_workbook.model.schema import ACTION_DONE
from gain_workbook.core.text import as_text as _t
from gain_workbook.core.text import one_line, plural
from gain_workbook.core.wording import fill_paragraphs

PROCESS_TEXT = "response_process.txt"
TICK, BOX = "☒", "☐"
TYPE_BOXES = (("Force-specific", "{force} specific"), ("National", "National"),
              ("Follow-up", "Follow up"), ("Thematic", "Thematic"),
              ("Partner/joint", "Partner inspection"))
NUMBER_WORDS = ("no",) + _NUMBERS[1:]     # 'HMICFRS made no recommendations'
KIND_NAMES = {"Recommendation": ("recommendation", "recommendations"),
              "Area for improvement": ("area for improvement", "areas for improvement"),
              "Cause of concern": ("cause of concern", "causes of concern"),
              "Accelerated cause of concern": ("accelerated cause of concern",
                                               "accelerated causes of concern")}
# HMICFRS 'makes' recommendations and 'identifies' causes of concern and areas for improvement
KIND_VERBS = {"Recommendation": "made", "Area for improvement": "identified",
              "Cause of concern": "identified", "Accelerated cause of concern": "identified"}
WORKING_BANNER = ("WORKING COPY FOR THE OFFICE: NOT FOR PUBLICATION. It adds owners, due "
                  "dates, RAG and the statutory position to the response as it will be "
                  "published; publish the copy without this banner, never this one.")


@dataclass(frozen=True)
class Block:
    """One piece of a response: ``kind`` says how a writer lays it out.

    title, banner, heading, sub (a bold line), para, bullet, small (working detail),
    status (working status line), gap (something the response still needs),
    field (``text`` is the label, ``value`` the value), boxes (``text`` the label,
    ``values`` the check boxes, two a row), marking. ``level`` is a heading's place in
    the outline (``heading_level``): a sub under another sub is 4.
    """

    kind: str
    text: str = ""
    value: str = ""
    values: tuple = ()
    bold: bool = False
    level: int = 0


def heading_level(block: Block) -> int:
    """The outline level of a heading block (title 1, heading 2, sub 3 or its own);
    0 for a block that is not a heading."""
    return {"title": 1, "heading": 2}.get(block.kind) or \
        ((block.level or 3) if block.kind == "sub" else 0)


def box_parts(text: str) -> list[tuple[bool, str]]:
    """A text of check boxes read back: '☐ Yes    ☒ No' -> [(False, 'Yes'), (True, 'No')]
    ([] when it holds none), for a writer that says the boxes in words."""
    return [(m.group(1) == TICK, m.group(2).strip())
            for m in re.finditer(rf"([{TICK}{BOX}])\s*([^{TICK}{BOX}]*)", text)]


@dataclass
class Response:
    """The blocks of one inspection's response, and what it still lacks (for warnings)."""

    inspection_id: str
    published: object
    blocks: list
    missing: list          # plain sentences: 'no PCC comment', 'nothing for Recommendation 4'
    title: str = ""        # the report's title, for the document's properties
    notes: list = field(default_factory=list)   # other warnings: the plenary said two ways


# ---------------------------------------------------------------- the process text

def load_process_text(path=None) -> str:
    """The GAIN process text: an edited copy if given, else the one in templates/."""
    if path is not None:
        from gain_workbook.core.files import protect
        from gain_workbook.core.wording import read_wording_file

        protect(path, "the response template")
        return read_wording_file(path, "the response template")
    from gain_workbook.core.bundled import bundled_text

    return bundled_text(PROCESS_TEXT)


def process_text_path(register, settings, option):
    """The process text file: --template, else the 'Response template' Setting (a file
    beside the register), else None for the built-in text."""
    if option is not None or not settings.response_template:
        return option
    path = Path(settings.response_template)
    path = path if path.is_absolute() else Path(register).parent / path
    if not path.is_file():
        raise SettingsError(f"The Settings sheet names the response template "
                            f"'{settings.response_template}', which is not there "
                            f"(looked for {path}); put the file beside the register or "
                            "clear the setting.")
    return path


PLACEHOLDER_SOURCE = {
    "board": "Board name on the Settings sheet",
    "chair": "Board chair on the Settings sheet",
    "force": "Force name on the Settings sheet",
    "pcc": "PCC name on the Settings sheet",
    "executive_lead": "the inspection's Executive lead",
    "plenary_date": "the inspection's Plenary session date, if it was held by the day of the "
                    "response",
    "title": "the inspection's Title",
    "published": "the inspection's Published date",
    "cc_comments_received": "the inspection's Chief constable's comments received date",
}


def response_day(ins, as_of: dt.date) -> dt.date:
    """The day the response speaks from: the day it was sent, else the as-of date."""
    sent = ins["response_sent"]
    return sent.date() if given(sent) else as_of


def process_values(settings, ins, as_of: dt.date) -> dict:
    """The placeholders' values for one inspection. A plenary after the day of the
    response had not happened when the response was written, so it counts as none."""
    day = response_day(ins, as_of)
    plenary = ins["plenary_date"]
    held = given(plenary) and plenary.date() <= day
    return {"board": settings.board_name, "chair": settings.board_chair,
            "force": settings.force_name, "pcc": settings.pcc_name,
            "executive_lead": _t(ins["executive_lead"]),
            "plenary_date": long_date(plenary) if held else "",
            "title": _t(ins["title"]), "published": long_date(ins["published"]),
            "cc_comments_received": long_date(ins["cc_comments_received"])}


# ---------------------------------------------------------------- the plenary, said twice

PLENARY = re.compile(r"\bplenar(?:y|ies)\b", re.I)
_VERB = r"(?:planned|held|arranged|scheduled|convened|organi[sz]ed|booked|taken\s+place|happened)"
# a sentence about the plenary that says it has not happened yet ...
PLENARY_NOT_HELD = re.compile(
    rf"\b(?:(?:not|never)\s+(?:yet\s+)?(?:been\s+)?{_VERB}|no\s+plenar(?:y|ies)|"
    rf"yet\s+to\s+(?:be\s+)?(?:{_VERB}|take\s+place)|"
    rf"(?:will|shall|is\s+to|are\s+to)\s+(?:be\s+)?(?:{_VERB}|take\s+place)|"
    rf"to\s+be\s+{_VERB}|(?:is|are)\s+being\s+{_VERB}|is\s+(?:pending|awaited))\b", re.I)
# ... or that it has
PLENARY_HELD = re.compile(
    r"\b(?:(?:was|were|has\s+been|have\s+been|had\s+been)\s+(?:held|convened|conducted|"
    r"completed)|(?:took|has\s+taken|had\s+taken)\s+place|(?<!be\s)held\s+on)\b", re.I)


def plenary_said(text) -> bool | None:
    """What a text the office wrote says of the plenary session: True (it has been held),
    False (it has not, or not yet), None (it says neither, or both: no guess is made).
    Each sentence that names the plenary is read on its own."""
    said = set()
    for sentence in re.split(r"(?<=[.!?;])\s+|\n+", _t(text)):
        if not PLENARY.search(sentence):
            continue
        held, not_held = PLENARY_HELD.search(sentence), PLENARY_NOT_HELD.search(sentence)
        if re.search(r"\bno\s+plenar", sentence, re.I):
            held = None                 # 'no plenary has taken place': the verb is denied
        if held and not_held:
            return None
        if held or not_held:
            said.add(bool(held))
    return said.pop() if len(said) == 1 else None


def plenary_clash(force_text, plenary, held_on: str) -> str:
    """A sentence when the force's response says the plenary has (or has not) been held
    and the register says otherwise ('' when they agree, or the text says neither).
    ``held_on``: the plenary's date as the response says it ('' when it was not held by
    the day of the response)."""
    said = plenary_said(force_text)
    if said is False and held_on:
        return (f"the force's response says no plenary session has been held, but the "
                f"register records one on {held_on}; the process text's paragraph on the "
                "plenary is left out, so that the response does not say both: correct the "
                "Force response or the Plenary session date.")
    if said is True and not held_on:
        recorded = (f"records it on {long_date(plenary)}, after the day of the response"
                    if given(plenary) else "records no plenary session date")
        return (f"the force's response says a plenary session has been held, but the "
                f"register {recorded}; the process text's paragraph on the plenary is left "
                "out, so that the response does not say both: correct the Force response or "
                "the Plenary session date.")
    return ""


# ---------------------------------------------------------------- wording

def _words(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)


def _kind_parts(counts: dict, numeric: bool) -> list[tuple[str, str]]:
    parts = []
    for kind in KIND_ORDER:
        n = counts.get(kind, 0)
        if n:
            one, many = KIND_NAMES[kind]
            parts.append((KIND_VERBS[kind], f"{n if numeric else _words(n)} "
                                            f"{one if n == 1 else many}"))
    return parts


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def made_sentence(counts: dict) -> str:
    """'HMICFRS made nine recommendations and identified one area for improvement.'"""
    parts = _kind_parts(counts, numeric=False)
    if not parts:
        return "HMICFRS made no recommendations and identified no areas for improvement."
    said, last = [], None
    for verb, what in parts:
        said.append(what if verb == last else f"{verb} {what}")
        last = verb
    return f"HMICFRS {_and(said)}."


def kinds_sentence(counts: dict) -> str:
    """'3 recommendations and 1 area for improvement' (figures, as the reference writes)."""
    parts = _kind_parts(counts, numeric=True)
    return _and([w for _, w in parts]) if parts else "no recommendations or areas for improvement"


def item_heading(kind: str, number, alone: bool) -> str:
    """'Recommendation 9'; 'Area for improvement' when it is the report's only one (the
    only one on the register, numbered 1 or not at all: a lone 'Recommendation 15' is
    one of more that the register does not hold, and keeps its number)."""
    one = KIND_NAMES.get(kind, ("item",))[0]
    name = one[0].upper() + one[1:]
    number = _t(number)
    return name if not number or (alone and number == "1") else f"{name} {number}"


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted numbers as runs of consecutive ones: [1, 2, 3, 5] -> [(1, 3), (5, 5)]."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _ranges(runs: list[tuple[int, int]]) -> str:
    """[(1, 3), (5, 5)] -> '1 to 3 and 5' (a run of two is said as two numbers)."""
    parts: list[str] = []
    for first, last in runs:
        parts += ([f"{first} to {last}"] if last - first > 1 else
                  [str(n) for n in range(first, last + 1)])
    return _and(parts)


def numbering_gaps(items) -> list[str]:
    """Where the register's items of a kind skip numbers ('Recommendation 15', but not 1
    to 14): it holds only some of the report's, so how many HMICFRS made is not known
    from it. All of a kind's numbers count together, so that neither a report numbered
    throughout nor one numbered afresh under each cause of concern shows a gap."""
    held: dict = {}
    for it in items.itertuples(index=False):
        number = _t(it.number)
        if number.isdecimal():
            held.setdefault(it.kind, set()).add(int(number))
    gaps = []
    for kind in KIND_ORDER:
        numbers = sorted(held.get(kind, ()))
        # the gaps between the numbers held, as runs: never the numbers one by one, which
        # an item numbered 99999999999 would make a list of a hundred billion
        missing = [(a + 1, b - 1) for a, b in zip([0] + numbers, numbers) if b > a + 1]
        if missing:
            one, many = KIND_NAMES[kind]
            what = f"{one if len(numbers) == 1 else many} {_ranges(_runs(numbers))}"
            alone = len(missing) == 1 and missing[0][0] == missing[0][1]
            gaps.append(f"{what[0].upper()}{what[1:]} but not "
                        f"{one if alone else many} {_ranges(missing)}")
    return gaps


def _paragraphs(text) -> list[str]:
    return [p.strip() for p in str(text).split("\n") if p.strip()]


def _prose(value) -> list["Block"]:
    """A text the office wrote, line by line: lines starting '-' or '•' are bullets."""
    out = []
    for part in _paragraphs(_t(value)):
        bullet = part.startswith(("-", "•"))
        out.append(Block("bullet" if bullet else "para",
                         part.lstrip("-• ").strip() if bullet else part))
    return out


def _to_add(missing: list, what: str, wanted: str) -> "Block":
    """A visible placeholder for something the response still needs, noted for the warning."""
    missing.append(what)
    return Block("gap", f"[To be added: {wanted}.]")


# ---------------------------------------------------------------- the blocks

class _Lookup:
    """A roll-up's items per inspection and actions per item, grouped once: a register
    of thousands of inspections must not scan every item for each one."""

    # the columns a response reads (itertuples over a roll-up's sixty is the slow part)
    ITEM_FIELDS = ("item_id", "item_inspection_id", "kind", "number", "item_text", "addressee",
                   "deadline_text", "applies", "item_response", "no_action_reason", "status",
                   "rag", "reason")
    ACTION_FIELDS = ("action_item_id", "action_text", "owner", "effective_due", "action_status")

    def __init__(self, rollup):
        self._items = rollup.items[list(self.ITEM_FIELDS)]
        self._actions = rollup.actions[list(self.ACTION_FIELDS)]
        # row positions per key (cheap); a frame is cut only for the keys asked for
        self.item_rows = self._items.groupby("item_inspection_id", sort=False).indices
        self.action_rows = self._actions.groupby("action_item_id", sort=False).indices

    def items_of(self, inspection_id):
        return self._items.iloc[self.item_rows.get(inspection_id, [])]

    def actions_of(self, item_id):
        return self._actions.iloc[self.action_rows.get(item_id, [])]


def document(rollup, ins, process_text: str, working: bool = False,
             lookup: _Lookup | None = None) -> Response:
    """The response for one inspection (a row of rollup.inspections)."""
    lookup = lookup or _Lookup(rollup)
    s = rollup.settings
    iid = str(ins["inspection_id"])
    b: list[Block] = []
    missing: list[str] = []

    # in capitals on the sheet, as the reference prints it; a screen reader spells out
    # capitals, so the words are kept as words and each layout chooses
    b.append(Block("title", f"Response by the PCC to HMICFRS inspections of {s.force_name}"))
    if working:
        b.append(Block("banner", WORKING_BANNER))
    _details(b, missing, ins, s.force_name, working)
    _executive_summary(b, missing, ins)
    items = report_order(lookup.items_of(ins["inspection_id"]))
    counts = items["kind"].value_counts().to_dict()
    _recommendations(b, missing, items, counts, working)
    clash = _force_response(b, missing, lookup, ins, items, counts, working,
                            process_values(s, ins, rollup.as_of), process_text)
    _pcc_response(b, missing, ins)
    if working:
        _statutory(b, ins, s)
    _office_use(b, ins, s, working)
    notes = [f"the response for {iid}: {clash}"] if clash else []
    return Response(iid, ins["published"], b, missing, _t(ins["title"]), notes)


def _details(b, missing, ins, force: str, working: bool) -> None:
    """The inspection's details: title, date, the type check boxes, whether the force is
    quoted, or a gap to fill where the register does not say (and, in the working copy,
    the register's id)."""
    b.append(Block("heading", "Inspection details"))
    b.append(Block("field", RESPONSE_FIELDS[0], _t(ins["title"]), bold=True))
    b.append(Block("field", RESPONSE_FIELDS[1], long_date(ins["published"])))
    types = set(_t(ins["inspection_type"]).split(", "))
    boxes = [f"{TICK if key in types else BOX} {label.format(force=force)}"
             for key, label in TYPE_BOXES]
    boxes += [f"{TICK} {t}" for t in sorted(types - {k for k, _ in TYPE_BOXES} - {""})]
    b.append(Block("boxes", "Type of inspection", values=tuple(boxes)))
    quoted = ins["force_quoted"]
    asked = f"Is {force} quoted in the report?"
    if quoted not in ("Yes", "No"):       # (neither box ticked read as an answer)
        gap = _to_add(missing, "not said whether the force is quoted",
                      "Yes or No (Force quoted on the register)")
        b.append(Block("field", asked, gap.text))
    else:
        b.append(Block("field", asked, f"{TICK if quoted == 'Yes' else BOX} Yes    "
                                       f"{TICK if quoted == 'No' else BOX} No"))
    if working:
        b.append(Block("field", "Inspection ID (not published)", str(ins["inspection_id"])))


def _executive_summary(b, missing, ins) -> None:
    """The report's executive summary as the office wrote it, or a gap to fill."""
    b.append(Block("heading", "Executive summary of report"))
    summary = _prose(ins["executive_summary"])
    if not summary:
        b.append(_to_add(missing, "no executive summary",
                         "a summary of the report (Executive summary on the register)"))
    b.extend(summary)


def _recommendations(b, missing, items, counts: dict, working: bool) -> None:
    """How many items HMICFRS made (or a gap, when the register holds only some of them),
    then every item in the report's order, with who it is for in the working copy."""
    b.append(Block("heading", "Recommendations"))
    if gaps := numbering_gaps(items):
        held = "; ".join(gaps)
        b.append(_to_add(missing, f"the register holds {held}, so how many HMICFRS made is "
                                  "not known",
                         f"how many recommendations and areas for improvement HMICFRS made "
                         f"(the register holds {held})"))
    else:
        b.append(Block("para", made_sentence(counts)))
    for it in items.itertuples(index=False):
        b.append(Block("sub", item_heading(it.kind, it.number, counts.get(it.kind) == 1)))
        for part in _paragraphs(_t(it.item_text)):
            b.append(Block("para", part))
        if working:
            meta = [f"Addressed to: {_t(it.addressee)}" if _t(it.addressee) else "",
                    f"Deadline: {_t(it.deadline_text)}" if _t(it.deadline_text) else "",
                    "For this force" if it.applies == "Yes" else "Not for this force"]
            b.append(Block("small", "; ".join(m for m in meta if m)))


def _force_response(b, missing, lookup, ins, items, counts: dict, working: bool,
                    values: dict, process_text: str) -> str:
    """The force's response: the GAIN process text filled in with ``values``, the items
    for forces, the force's own account and what is being done about each item.
    Returns the sentence on a plenary the force's words and the register disagree on
    ('' when they agree); the process text's paragraph on it is then left out."""
    b.append(Block("heading", "Force response to recommendations"))
    clash = plenary_clash(ins["force_response"], ins["plenary_date"], values["plenary_date"])
    iid = str(ins["inspection_id"])
    for para in fill_paragraphs(process_text, values, iid, PLACEHOLDER_SOURCE):
        if clash and PLENARY.search(para):
            continue            # the force's own words say otherwise: never publish both
        b.append(Block("para", para))
    mine = items[items["applies"] == "Yes"]
    mine_counts = mine["kind"].value_counts().to_dict()
    b.append(Block("para", f"The report included {kinds_sentence(mine_counts)} for forces"
                           + (":" if len(mine) else ".")))
    for it in mine.itertuples(index=False):
        parts = _paragraphs(_t(it.item_text))
        b.append(Block("bullet", "\n".join(parts)))
    b.extend(_prose(ins["force_response"]))
    _item_answers(b, missing, lookup, mine, counts, working)
    return clash


def _pcc_response(b, missing, ins) -> None:
    """The PCC's comment (or a gap) and monitoring, the chief constable's comments and
    the PCC's answer to them."""
    b.append(Block("heading", "PCC response to inspection"))
    b.append(Block("sub", "Comment by the PCC:"))
    comment = _paragraphs(_t(ins["pcc_comment"]))
    if not comment:
        b.append(_to_add(missing, "no PCC comment",
                         "the PCC's comment on the report (PCC comment on the register)"))
    for part in comment + _paragraphs(_t(ins["pcc_monitoring"])):
        b.append(Block("para", part))
    cc = _paragraphs(_t(ins["cc_comments"]))
    if cc:
        b.append(Block("sub", "Comments of the chief constable:"))
        b.extend(Block("para", part) for part in cc)
    reply = _paragraphs(_t(ins["pcc_response_to_cc"]))
    if reply:
        b.append(Block("sub", "The PCC's response to the chief constable's comments:"))
        b.extend(Block("para", part) for part in reply)


def _office_use(b, ins, settings, working: bool) -> None:
    """The office-use boxes (sent to the Home Office, published) and the protective
    marking, if any."""
    b.append(Block("heading", "For office use only"))
    for key, text in (("response_sent", "Response forwarded to Home Office"),
                      ("response_published", "Response published on PCC website")):
        if working:
            done = given(ins[key])
            b.append(Block("field", f"{TICK if done else BOX} {text}",
                           long_date(ins[key]) or "not yet"))
        else:
            # the published copy is the one on the PCC's website, which goes there after
            # the Home Office has it: both boxes ticked, as the reference prints them
            b.append(Block("para", f"{TICK} {text}"))
    marking = settings.protective_marking if working else settings.response_marking
    if marking:
        b.append(Block("marking", marking))


def _item_answers(b, missing, lookup, mine, counts, working: bool) -> None:
    """What has been or will be done about each item for the force (s55(5B))."""
    if not len(mine):
        return
    b.append(Block("sub", "Action taken or proposed"))
    for it in mine.itertuples(index=False):
        heading = item_heading(it.kind, it.number, counts.get(it.kind) == 1)
        b.append(Block("sub", heading, level=4))        # under 'Action taken or proposed'
        acts = lookup.actions_of(it.item_id)
        answer = _paragraphs(_t(it.item_response))
        for part in answer:
            b.append(Block("para", part))
        if not answer and len(acts):
            for a in acts.itertuples(index=False):
                if working:
                    due = uk_date(a.effective_due) or "not set"
                    b.append(Block("bullet", f"{_t(a.action_text)} (owner: {_t(a.owner, 'not set')}"
                                             f"; due {due}; {_t(a.action_status, 'no status').lower()})"))
                else:
                    done = " (completed)" if a.action_status in ACTION_DONE else ""
                    b.append(Block("bullet", f"{_t(a.action_text)}{done}"))
        elif not answer and _t(it.no_action_reason):
            b.append(Block("para", f"No action will be taken: {_t(it.no_action_reason)}"))
        elif not answer:
            b.append(_to_add(missing, f"nothing on what is being done about {heading}",
                             "what the force has done or will do about this, or why nothing "
                             "will be done (section 55(5B)); write it in Response on the Items "
                             "sheet, or add its actions"))
        if working:
            b.append(Block("status", f"Status: {it.status} ({it.rag}): {it.reason}"))


def _statutory(b, ins, settings) -> None:
    """The working copy's statutory position: day 56, the local target and the days
    left or late."""
    b.append(Block("heading", "Statutory position (Police Act 1996, section 55)"))
    b.append(Block("field", "Date published", long_date(ins["published"])))
    last = ins["s55_last_day"]
    b.append(Block("field", "Last day to publish", f"day 56: {long_date(last)}" if given(last)
                   else "no publication date recorded"))
    if ins["s55_closed_day"]:
        b.append(Block("field", "Not a working day",
                       f"Day 56 is {ins['s55_closed_day']}: publish by "
                       f"{long_date(ins['s55_publish_by'])}"))
    if given(ins["response_target_day"]):
        b.append(Block("field", f"Local target ({settings.response_target_days} days)",
                       long_date(ins["response_target_day"])))
    left = ins["s55_days_left"]
    state = ins["response_state"]
    if state and state not in PENDING_RESPONSE:        # sent, published or not required
        position = ins["response_text"]
    elif left != left:
        position = "no publication date recorded"
    elif left >= 0:
        position = f"{plural(int(left), 'day')} left"
    else:
        position = f"{plural(int(-left), 'day')} late"
    b.append(Block("field", "Days left or late", position))
    b.append(Block("field", "Chief constable's comments received",
                   long_date(ins["cc_comments_received"]) or "not yet"))


# ---------------------------------------------------------------- which, and where

def select_inspections(rollup, inspection: str | None, all_: bool, open_: bool) -> list:
    """The inspections to write, as rows of rollup.inspections: the one with the id
    ``inspection``, all of them, or the ``open_`` ones (response still to be sent)."""
    ins = rollup.inspections
    if sum(bool(x) for x in (inspection, all_, open_)) != 1:
        raise UsageError("Say which responses to write: one inspection by its ID, all of "
                         "them, or those whose response is still to be sent.")
    if inspection:
        chosen = ins[ins["inspection_id"] == inspection]
        if chosen.empty:
            known = ", ".join(str(i) for i in ins["inspection_id"].head(10))
            raise UsageError(f"There is no inspection '{inspection}' on the register "
                             f"(it has: {known}{' ...' if len(ins) > 10 else ''}).")
    elif open_:
        return pending_responses(rollup)        # (none waiting: the caller says so)
    else:
        chosen = ins
    return _newest_first(chosen)


def pending_responses(rollup) -> list:
    """The inspections whose response is still to be sent, newest report first."""
    ins = rollup.inspections
    return _newest_first(ins[ins["response_state"].isin(PENDING_RESPONSE)])


def pending_note(chosen: list) -> str:
    """The month's email line on the responses still to be sent, each with its day 56."""
    lines = [f"- {one_line(str(r['title']))}: {r['response_text']}" for r in chosen]
    return (f"{plural(len(chosen), 'PCC response')} still to be sent (section 55):\n"
            + "\n".join(lines))


def _newest_first(frame) -> list:
    return [row for _, row in frame.sort_values("published", ascending=False,
                                                kind="stable").iterrows()]


def response_warnings(responses, chosen) -> list[str]:
    """What each response still needs before it can be published, and a day 56 that
    falls when the office is closed."""
    out = []
    for resp, ins in zip(responses, chosen):
        out += resp.notes
        if resp.missing:
            out.append(f"the response for {resp.inspection_id} is not ready to publish: "
                       f"{'; '.join(resp.missing)} (marked 'To be added' in it).")
        if ins["s55_closed_day"]:
            out.append(f"day 56 for {resp.inspection_id} ({uk_date(ins['s55_last_day'])}) is "
                       f"{ins['s55_closed_day']}; publish by {uk_date(ins['s55_publish_by'])}.")
    return out


def document_title(responses: list, working: bool = False) -> str:
    """The title a response's files carry in their properties (and a web page in its
    title bar): 'PCC response to HMICFRS inspection: <the report's title>', or
    'PCC response to HMICFRS inspections' for several; ' (working copy)' after it."""
    one = len(responses) == 1 and responses[0].title
    title = f"{RESPONSE_TITLE}: {one_line(responses[0].title)}" if one else \
        f"{RESPONSE_TITLE}{'s' if len(responses) > 1 else ''}"
    return title + (" (working copy)" if working else "")


def documents(rollup, inspections: list, process_text: str | None = None,
              working: bool = False) -> list[Response]:
    """The responses for the chosen inspections, newest report first."""
    text = process_text if process_text is not None else load_process_text()
    lookup = _Lookup(rollup)
    return [document(rollup, ins, text, working, lookup) for ins in inspections]


FILE_TITLE_LIMIT = 100      # characters of the report's title in a file name
# words a title cut short does not end on ('... how well the police respond to')
_TRAILING = frozenset({"a", "an", "and", "about", "at", "by", "for", "from", "how", "in",
                       "into", "of", "on", "or", "the", "to", "with", "their", "its", "our",
                       "his", "her"})
# what Windows refuses in a file name, and what it would read as something else
_UNSAFE_NAME = str.maketrans({":": " –", "/": "-", "\\": "-", "|": "-", '"': "'", "<": "(",
                              ">": ")", "?": "", "*": ""})


def title_for_file(title: str, limit: int = FILE_TITLE_LIMIT) -> str:
    """The report's title as part of a file name that is safe on Windows (no
    ``<>:"/\\|?*``, no control characters, no dot or space at the end), cut at a word
    to at most ``limit`` characters."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(title)).translate(_UNSAFE_NAME)
    text = " ".join(text.split())
    if len(text) > limit:
        cut = text[:limit + 1]
        text = cut[:cut.rfind(" ")] if " " in cut.strip() else text[:limit]
        words = text.split(" ")
        while len(words) > 1 and words[-1].strip(".,;:-–—(").casefold() in _TRAILING:
            words.pop()
        text = " ".join(words)
    return text.rstrip(" .,;:-–—(") or "inspection"


def response_file_stem(ins) -> str:
    """'PCC response – <the report's title, cut at a word> – <published date>': what a
    person sees in the PCC's website or the Home Office's inbox; no internal id."""
    day = long_date(ins["published"])
    return " – ".join(["PCC response", title_for_file(_t(ins["title"]))] + ([day] if day else []))


def default_response_name(register_path, inspections: list, working: bool = False,
                          suffix: str = ".xlsx") -> Path:
    """'PCC response – <title> – <published date>.xlsx' (or 'PCC responses.xlsx') beside
    the register; '... (working copy).xlsx' for the office's copy."""
    tail = " (working copy)" if working else ""
    if len(inspections) == 1:
        return Path(register_path).with_name(f"{response_file_stem(inspections[0])}{tail}"
                                             f"{suffix}")
    return Path(register_path).with_name(f"PCC responses{tail}{suffix}")


DETAILS = {"field": "details", "boxes": "details"}   # the details table's rows, together


def grouped(blocks, runs: dict = DETAILS):
    """The blocks in order as (name, [blocks]): each run of consecutive blocks whose kind
    ``runs`` names one group under that name (the details table's rows; a page's list
    items), every other block a group of its own under its kind."""
    from itertools import groupby

    for name, group in groupby(blocks, key=lambda b: runs.get(b.kind)):
        if name:
            yield name, list(group)
        else:
            for blk in group:
                yield blk.kind, [blk]
