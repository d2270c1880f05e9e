"""The register's shape, once: tables, columns, vocabularies, header aliases and rules.

Everything else is generated from this module: the template workbook and its
Guide sheet (``register/template.py``), the pandera schemas (``check/validate.py``), the docs'
tables (``scripts/gen_docs.py``). Nothing here imports pandas, so the CLI stays fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

# ---------------------------------------------------------------- vocabularies

INSPECTION_TYPES = (
    "Force-specific",
    "National",
    "Thematic",
    "Follow-up",
    "Partner/joint",
    "PEEL",
    "Commissioned",
)
ITEM_KINDS = (
    "Cause of concern",
    "Accelerated cause of concern",
    "Recommendation",
    "Area for improvement",
)
HMICFRS_STATUSES = (
    "Open",
    "Being progressed",
    "Proposed for closure",
    "Closed – complete",
    "Closed – superseded",
    "Closed – no further action",
)
HMICFRS_CLOSED = frozenset(s for s in HMICFRS_STATUSES if s.startswith("Closed"))
ACTION_STATUSES = (
    "Not started",
    "In progress",
    "On hold",
    "Complete",
    "Ready for closure",
    "Closed",
)
ACTION_DONE = frozenset({"Complete", "Ready for closure", "Closed"})
YES_NO = ("Yes", "No")

_PEEL_TITLE = re.compile(r"\bPEEL\b")


def title_says_peel(title) -> bool:
    """Does a report's title name it a PEEL report ('PEEL 2023-25: ...')? Its Type is
    then PEEL (add-report, and adopt where the register has no Type column)."""
    return isinstance(title, str) and _PEEL_TITLE.search(title) is not None


def norm_key(text: str) -> str:
    """Fold a header or status word for matching: case, dashes, punctuation, spaces."""
    s = str(text).strip().lower()
    s = s.replace("&", " and ").replace("’", "'").replace("'", "")
    s = re.sub(r"[\u2010-\u2015\-_/\\.,:;()\[\]?!#*]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


# Synonyms typed in real trackers -> our word. Keys are norm_key()ed on use.
SYNONYMS: dict[str, dict[str, str]] = {
    "inspection_type": {
        "force specific": "Force-specific", "force": "Force-specific", "local": "Force-specific",
        "force only": "Force-specific", "national": "National", "thematic": "Thematic",
        "follow up": "Follow-up", "followup": "Follow-up", "revisit": "Follow-up",
        "partner": "Partner/joint", "joint": "Partner/joint", "partner joint": "Partner/joint",
        "partner inspection": "Partner/joint", "joint inspection": "Partner/joint",
        "peel": "PEEL", "commissioned": "Commissioned",
    },
    "kind": {
        "recommendation": "Recommendation", "rec": "Recommendation", "r": "Recommendation",
        "area for improvement": "Area for improvement", "afi": "Area for improvement",
        "areas for improvement": "Area for improvement",
        "cause of concern": "Cause of concern", "coc": "Cause of concern",
        "accelerated cause of concern": "Accelerated cause of concern",
        "accelerated coc": "Accelerated cause of concern", "acoc": "Accelerated cause of concern",
        "cause for concern": "Cause of concern", "cfc": "Cause of concern",
        "causes of concern": "Cause of concern", "recommendations": "Recommendation",
        # Welsh, as bilingual registers write them ('Argymhelliad / Recommendation')
        "argymhelliad": "Recommendation", "argymhellion": "Recommendation",
        "maes i'w wella": "Area for improvement", "maes i wella": "Area for improvement",
        "achos pryder": "Cause of concern",
    },
    "hmicfrs_status": {
        "open": "Open", "awaiting review": "Open", "not started": "Open",
        "being progressed": "Being progressed", "in progress": "Being progressed",
        "ongoing": "Being progressed", "wip": "Being progressed",
        "proposed for closure": "Proposed for closure", "ready for closure": "Proposed for closure",
        "closed complete": "Closed – complete", "complete": "Closed – complete",
        "completed": "Closed – complete", "closed": "Closed – complete",
        "closed superseded": "Closed – superseded", "superseded": "Closed – superseded",
        "closed no further action": "Closed – no further action",
        "no further action": "Closed – no further action",
        "no further action needed": "Closed – no further action",
        "nfa": "Closed – no further action", "closed nfa": "Closed – no further action",
        "discharged": "Closed – complete", "closed by hmicfrs": "Closed – complete",
        # Welsh
        "agored": "Open", "ar agor": "Open", "ar y gweill": "Being progressed",
        "yn mynd rhagddo": "Being progressed", "ar waith": "Being progressed",
        "wedi cau": "Closed – complete", "ar gau": "Closed – complete",
        "wedi'i gau": "Closed – complete", "cwblhawyd": "Closed – complete",
        "wedi'i gwblhau": "Closed – complete", "wedi'i ddisodli": "Closed – superseded",
    },
    "action_status": {
        "not started": "Not started", "awaiting allocation": "Not started", "new": "Not started",
        "to do": "Not started", "todo": "Not started", "open": "Not started",
        "in progress": "In progress", "wip": "In progress", "ongoing": "In progress",
        "started": "In progress", "underway": "In progress", "under way": "In progress",
        "in hand": "In progress", "progressing": "In progress",
        "on hold": "On hold", "paused": "On hold", "deferred": "On hold", "hold": "On hold",
        "complete": "Complete", "completed": "Complete", "done": "Complete",
        "finished": "Complete", "achieved": "Complete",
        "ready for closure": "Ready for closure", "pending sign off": "Ready for closure",
        "awaiting sign off": "Ready for closure", "pending closure": "Ready for closure",
        "proposed for closure": "Ready for closure",
        "closed": "Closed", "closed complete": "Closed", "superseded": "Closed",
        "closed superseded": "Closed",
        # words force trackers use for an open action (whether it is late is worked out
        # from its dates, not from the word)
        "on track": "In progress", "off track": "In progress", "not yet started": "Not started",
        "behind schedule": "In progress", "at risk": "In progress", "delayed": "In progress",
        "blocked": "On hold", "awaiting evidence": "In progress", "overdue": "In progress",
        "late": "In progress", "slipped": "In progress", "slipping": "In progress",
        "partially complete": "In progress",
        "partially completed": "In progress",
        # Welsh, as bilingual registers write them ('Wedi'i gwblhau / Complete')
        "heb ddechrau": "Not started", "heb ei ddechrau": "Not started",
        "heb gychwyn": "Not started", "ar y gweill": "In progress",
        "yn mynd rhagddo": "In progress", "ar waith": "In progress", "ar stop": "On hold",
        "wedi'i ohirio": "On hold", "cwblhawyd": "Complete", "wedi'i gwblhau": "Complete",
        "wedi'i gyflawni": "Complete", "yn barod i'w gau": "Ready for closure",
        "ar gau": "Closed", "wedi cau": "Closed", "wedi'i gau": "Closed",
    },
    "yes_no": {
        "yes": "Yes", "y": "Yes", "true": "Yes", "x": "Yes", "✓": "Yes", "✔": "Yes", "1": "Yes",
        "☒": "Yes", "no": "No", "n": "No", "false": "No", "0": "No", "☐": "No", "-": "No",
        "n a": "No", "na": "No", "not applicable": "No", "not relevant": "No",
        # Welsh
        "ie": "Yes", "ydy": "Yes", "oes": "Yes", "nac ydy": "No",
        "nac oes": "No", "naddo": "No",
    },
}


# ---------------------------------------------------------------- columns

@dataclass(frozen=True)
class Column:
    """One column of the register: how it is called, typed, checked and explained."""

    key: str                  # canonical name, unique across the register
    table: str                # "inspections" | "items" | "actions"
    header: str               # the header our template writes
    kind: str                 # id | ref | text | date | deadline | vocab | multi | yesno
    description: str          # one sentence for the Guide sheet and docs/register.md
    required: bool = False    # every row needs a value
    required_column: bool = False  # a register without this column cannot be read
    vocab: tuple[str, ...] = ()
    synonyms: str = ""        # key into SYNONYMS
    aliases: tuple[str, ...] = ()         # header spellings understood on any sheet
    role_aliases: dict = field(default_factory=dict)  # {sheet role: (aliases ...)}
    width: int = 14
    absent_default: str | None = None   # assumed when a register has no such column
    in_template: bool = True  # False: a new register gets the column only when it has values


INSPECTIONS = "inspections"
ITEMS = "items"
ACTIONS = "actions"
TABLES = (INSPECTIONS, ITEMS, ACTIONS)
# An optional table beside the register's three: who the owners are and how to reach them
# (read from a sheet found by its name, never placed by its headers as the three are).
OWNERS = "owners"
OPTIONAL_TABLES = (OWNERS,)
SHEET_NAMES = {INSPECTIONS: "Inspections", ITEMS: "Items", ACTIONS: "Actions", OWNERS: "Owners"}
ROW_NOUN = {INSPECTIONS: "inspection", ITEMS: "item", ACTIONS: "action", OWNERS: "owner"}
# The names an Owners sheet goes by (folded as norm_key folds them).
OWNERS_SHEETS = frozenset({"owners", "action owners", "owner list", "owners list",
                           "owner contacts", "owners contacts", "contacts"})

# A register that holds several forces (an alliance, a collaboration, a region) says whose
# each row is in a Force column, on any of the three sheets.
FORCE_TEXT = ("In a register that holds several forces (an alliance, a collaboration, a "
              "region): the force the {what}; 'Both' or 'All' (or blank) for every force. "
              "The 'Rows for force' setting says whose rows a run is for.")
FORCE_ALIASES = ("forces", "which force", "police force", "force area", "force concerned",
                 "lead force")
# A Force column's words for every force of the register.
ALL_FORCES = frozenset({"both", "all", "both forces", "all forces", "joint", "alliance",
                        "collaboration", "collaborative", "regional", "region", "shared",
                        "all three", "all three forces", "all four forces", "every force",
                        "each force", "both force", "all force"})

_C = Column
COLUMNS: tuple[Column, ...] = (
    # ---- Inspections
    _C("inspection_id", INSPECTIONS, "Inspection ID", "id",
       "Your short reference for the report, used on the Items sheet.", required=True,
       required_column=True, width=14,
       aliases=("inspection ref", "inspection reference", "report id", "report ref",
                "report reference", "inspection no", "inspection number", "hmicfrs ref"),
       role_aliases={INSPECTIONS: ("id", "ref", "reference")}),
    _C("title", INSPECTIONS, "Title", "text", "The report's title as HMICFRS published it.",
       required=True, required_column=True, width=40,
       aliases=("inspection title", "report title", "title of inspection", "inspection name",
                "report name", "inspection report", "hmicfrs report", "hmicfrs inspection",
                "inspection report title", "hmicfrs inspection report"),
       role_aliases={INSPECTIONS: ("inspection", "report", "name"),
                     "flat": ("inspection", "report")}),
    _C("published", INSPECTIONS, "Published", "date",
       "The date HMICFRS published the report (day 1 of the 56-day response period).",
       required=True, required_column=True, width=12,
       aliases=("date published", "publication date", "published date", "date of publication",
                "date inspection published", "report published", "report date")),
    _C("inspection_type", INSPECTIONS, "Type", "multi",
       "One or more of the types, separated by commas: " + ", ".join(INSPECTION_TYPES) + ".",
       required=True, vocab=INSPECTION_TYPES, synonyms="inspection_type", width=20,
       aliases=("inspection type", "type of inspection", "types", "report type"),
       role_aliases={INSPECTIONS: ("type",), "flat": ()}),
    _C("force_quoted", INSPECTIONS, "Force quoted", "yesno",
       "Yes if the report names or quotes the force.", vocab=YES_NO, synonyms="yes_no",
       width=9, aliases=("force named", "quoted", "force quoted in report", "is force quoted",
                         "force mentioned")),
    _C("inspection_force", INSPECTIONS, "Force", "text", FORCE_TEXT.format(what="report is about"),
       width=14, aliases=FORCE_ALIASES, in_template=False),
    _C("executive_lead", INSPECTIONS, "Executive lead", "text",
       "The chief officer named by the GAIN Board to drive the response.", width=18,
       aliases=("exec lead", "chief officer lead", "strategic lead", "executive owner",
                "senior lead")),
    _C("executive_summary", INSPECTIONS, "Executive summary", "text",
       "A short summary of the report, as it will appear on the PCC response.", width=50,
       aliases=("summary", "report summary")),
    _C("gain_board_told", INSPECTIONS, "GAIN Board told", "date",
       "The date the GAIN Board was told the report was published.", width=12,
       aliases=("gain board", "reported to gain", "gain board date", "reported to gain board",
                "date reported to gain board")),
    _C("plenary_date", INSPECTIONS, "Plenary session", "date",
       "The date of the plenary session that agreed the actions.", width=12,
       aliases=("plenary", "plenary date", "plenary session date")),
    _C("plan_accepted", INSPECTIONS, "Plan accepted (board)", "date",
       "The date the GAIN Board accepted the plan the plenary session agreed (gain-pack "
       "decisions fills it in when the board agrees).", width=12,
       aliases=("plan accepted", "plan accepted by board", "plan agreed", "plan approved",
                "action plan accepted", "date plan accepted", "plan accepted date")),
    _C("response_required", INSPECTIONS, "Response required", "yesno",
       "No for a publication that needs no section 55 response (a super-complaint, or a "
       "joint inspection whose recommendations are all national); it is then not counted "
       "as a response not yet sent.", vocab=YES_NO, synonyms="yes_no", width=10,
       absent_default="Yes",
       aliases=("s55 response required", "pcc response required", "response needed",
                "s55 required", "section 55 response required")),
    _C("force_response", INSPECTIONS, "Force response", "text",
       "The force's account of its response to the report, in paragraphs, for the "
       "published response's 'Force response to recommendations'.", width=50,
       aliases=("force response to recommendations", "force narrative",
                "forces response", "response of the force")),
    _C("cc_comments_received", INSPECTIONS, "Chief constable's comments received", "date",
       "The date the chief constable's comments reached the PCC.", width=14,
       # a bare 'CC comments' column has held this date in the registers we have read;
       # one holding the comments themselves is then refused cell by cell (BAD_DATE),
       # not printed as a date on the published response
       aliases=("chief constables comments received", "cc comments received",
                "chief constable comments", "cc comments", "cc comments date",
                "date cc comments received")),
    _C("cc_comments", INSPECTIONS, "Chief constable's comments", "text",
       "The chief constable's comments on the report, as the PCC publishes them "
       "(section 55(5)); leave blank if the PCC does not publish them.", width=40,
       aliases=("comments of the chief constable", "chief constables comments text",
                "cc comments text", "text of the chief constables comments")),
    _C("pcc_comment", INSPECTIONS, "PCC comment", "text",
       "The PCC's comment on the report, for the published response.", width=40,
       aliases=("pcc comments", "comment by the pcc", "pcc response")),
    _C("pcc_response_to_cc", INSPECTIONS, "PCC response to the chief constable", "text",
       "The PCC's response to the chief constable's comments (section 55(5)), for the "
       "published response.", width=40,
       aliases=("pcc response to chief constable", "pcc response to cc",
                "pcc response to the chief constables comments",
                "pcc response to cc comments")),
    _C("pcc_monitoring", INSPECTIONS, "PCC monitoring", "text",
       "How the PCC will monitor progress (for the published response).", width=30,
       aliases=("how progress will be monitored", "monitoring", "pcc monitoring arrangements")),
    _C("response_sent", INSPECTIONS, "Response sent to Home Office and HMICFRS", "date",
       "The date the PCC's response went to the Home Office and HMICFRS.", width=14,
       aliases=("response sent", "sent to home office", "response forwarded",
                "forwarded to home office", "response sent to home office",
                "response sent to the home office and hmicfrs")),
    _C("response_published", INSPECTIONS, "Response published", "date",
       "The date the response went on the PCC's website.", width=12,
       aliases=("published on pcc website", "response published date",
                "date response published")),
    # ---- Items
    _C("item_id", ITEMS, "Item ID", "id",
       "Your reference for the item, used on the Actions sheet.", required=True,
       required_column=True, width=16,
       aliases=("item ref", "item reference", "rec id", "recommendation id",
                "recommendation ref", "recommendation reference", "rec ref", "afi ref"),
       role_aliases={ITEMS: ("id", "ref", "reference"),
                     ACTIONS: ("item", "recommendation", "rec", "afi")}),
    _C("item_inspection_id", ITEMS, "Inspection ID", "ref",
       "The Inspection ID of the report the item comes from.", required=True,
       required_column=True, width=14,
       role_aliases={ITEMS: ("inspection id", "inspection ref", "inspection reference",
                             "inspection", "report", "report id", "report ref")}),
    _C("kind", ITEMS, "Kind", "vocab",
       "What HMICFRS called it: " + ", ".join(ITEM_KINDS) + ".", required=True,
       vocab=ITEM_KINDS, synonyms="kind", width=14, absent_default="Recommendation",
       aliases=("item type", "category", "rec or afi", "recommendation or afi", "rec afi",
                "item kind"),
       role_aliases={ITEMS: ("type",), "flat": ("type",)}),
    _C("number", ITEMS, "Number", "text",
       "The item's number in the report (1, 2 ... for each kind).", width=8,
       aliases=("no", "rec no", "recommendation no", "recommendation number", "rec number",
                "item no", "item number", "afi no", "ref no", "number")),
    _C("item_text", ITEMS, "Text", "text",
       "The item's words as the report gives them.", required=True, required_column=True,
       width=60,
       aliases=("recommendation text", "item text", "recommendation afi",
                "recommendation or afi text", "finding", "recommendation afi text"),
       role_aliases={ITEMS: ("text", "recommendation", "item", "description", "afi",
                             "area for improvement"),
                     "flat": ("recommendation", "item", "afi", "area for improvement")}),
    _C("addressee", ITEMS, "Addressee", "text",
       "Who HMICFRS addressed it to (all chief constables, the Home Office ...).", width=22,
       aliases=("addressed to", "recipient", "directed to", "for whom", "recommendation for",
                "recommendation to", "lead agency", "owner agency", "responsible agency",
                "responsible body", "responsible organisation", "agency", "organisation")),
    _C("applies", ITEMS, "Applies to force", "yesno",
       "Yes if the item is for the force and needs actions; No if it is for someone else.",
       required=True, vocab=YES_NO, synonyms="yes_no", width=10, absent_default="Yes",
       aliases=("applies", "applicable", "relevant to force", "applies to us",
                "applicable to force", "force applicable", "for force")),
    _C("deadline_text", ITEMS, "Deadline (as written)", "deadline",
       "The deadline in the report's words: 'By 31 December 2024', 'Within six months', "
       "'With immediate effect'; leave blank if none.", width=22,
       aliases=("deadline as written", "hmicfrs deadline", "timescale", "deadline text",
                "recommendation deadline"),
       role_aliases={ITEMS: ("deadline",), "flat": ("deadline",)}),
    _C("deadline", ITEMS, "Deadline date", "date",
       "The deadline as a date; worked out from the words when left blank.", width=12,
       aliases=("deadline as date", "hmicfrs deadline date", "deadline as a date")),
    _C("agreed_deadline", ITEMS, "Revised deadline (board agreed)", "date",
       "A later deadline the GAIN Board agreed for the item (an HMICFRS deadline 'with "
       "immediate effect' is the publication day); the RAG uses it when set.", width=14,
       aliases=("board agreed deadline", "agreed deadline", "revised deadline board agreed",
                "revised item deadline", "board revised deadline")),
    _C("item_force", ITEMS, "Force", "text", FORCE_TEXT.format(what="item is for"),
       width=14, aliases=FORCE_ALIASES, in_template=False),
    _C("item_lead", ITEMS, "Lead", "text", "The officer who leads the force's work on the item.",
       width=18, aliases=("item lead", "recommendation lead"),
       role_aliases={ITEMS: ("lead", "lead officer", "owner")}),
    _C("hmicfrs_status", ITEMS, "HMICFRS status", "vocab",
       "Where HMICFRS has the item: " + ", ".join(HMICFRS_STATUSES) + ".", required=True,
       vocab=HMICFRS_STATUSES, synonyms="hmicfrs_status", width=18, absent_default="Open",
       aliases=("inspectorate status", "hmicfrs position", "hmicfrs view",
                "status with hmicfrs", "hmic status")),
    # (its header ends in a long word: written as an export's field name, 'HMICFRSClosedOn'
    # reads back as its words, where 'ClosedByHMICFRSOn' cannot be told from an acronym)
    _C("hmicfrs_closed", ITEMS, "HMICFRS closed on", "date",
       "The date HMICFRS closed the item; read from its HMICFRS status when that gives one "
       "('Closed by HMICFRS 12/03/2021') and this is blank.", width=12,
       aliases=("hmicfrs closure date", "date closed by hmicfrs", "closed by hmicfrs on",
                "date hmicfrs closed", "hmicfrs closed", "closed by hmicfrs date"),
       in_template=False),
    _C("force_status", ITEMS, "Force's status", "text",
       "The office's own word for where the item stands (kept as written; HMICFRS status "
       "is the inspectorate's).", width=14,
       aliases=("item status", "recommendation status", "overall status", "afi status",
                "force status", "overall position"),
       role_aliases={ITEMS: ("status",)}),
    _C("item_rag", ITEMS, "RAG (yours)", "text",
       "The office's own RAG or BRAG for the item, if it keeps one: compared with ours.",
       width=10, aliases=("item rag", "recommendation rag", "overall rag", "afi rag"),
       role_aliases={ITEMS: ("rag", "brag", "rag status", "rag rating")}),
    _C("parent_item", ITEMS, "Under", "ref",
       "For a recommendation made under a cause of concern: the cause of concern's Item ID "
       "(worked out from refs like 'CoC1-R2' when left blank).", width=14,
       aliases=("parent", "parent item", "under cause of concern", "cause of concern ref",
                "parent ref")),
    _C("board_ready_date", ITEMS, "Ready for closure (board signed)", "date",
       "The date the GAIN Board signed the item off as ready for closure.", width=14,
       aliases=("ready for closure", "board signed off", "gain signed off",
                "ready for closure date", "date signed off", "signed off by board",
                "board sign off")),
    _C("item_response", ITEMS, "Response", "text",
       "What the force has done or will do about the item, or why nothing, in words for "
       "the published response (section 55(5B)); when blank the response lists the "
       "item's actions.", width=40,
       aliases=("force response to item", "response to recommendation", "item response",
                "action taken or proposed", "s55 response")),
    _C("no_action_reason", ITEMS, "No action because", "text",
       "For an item that applies but will get no actions: why (section 55(5B)).", width=30,
       aliases=("reason for no action", "no action reason", "why no action",
                "rationale for no action")),
    _C("item_check", ITEMS, "To check", "text",
       "What gain-pack add-report was not sure of when it read the item from the report "
       "(who it is for, a deadline, a paragraph it could not place); check the item against "
       "the report, then clear the cell.", width=30,
       # not a bare 'Check': offices use one for their own ticks
       aliases=("to check", "needs checking", "clerk to check", "check note")),
    # ---- Actions
    _C("action_id", ACTIONS, "Action ID", "id", "Your reference for the action.", required=True,
       required_column=True, width=18,
       aliases=("action ref", "action no", "action number", "action reference"),
       role_aliases={ACTIONS: ("id", "ref", "reference")}),
    _C("action_item_id", ACTIONS, "Item ID", "ref", "The Item ID the action answers.",
       required=True, required_column=True, width=16,
       role_aliases={ACTIONS: ("item id", "item ref", "item reference", "item",
                               "recommendation", "rec", "rec id", "recommendation ref",
                               "recommendation id", "rec ref", "afi")}),
    _C("action_text", ACTIONS, "Action", "text", "What the force will do.", required=True,
       required_column=True, width=50,
       aliases=("action text", "actions", "action description", "action required",
                "agreed action", "action to be taken", "activity", "action"),),
    _C("force", ACTIONS, "Force", "text", FORCE_TEXT.format(what="action is for"),
       width=14, aliases=FORCE_ALIASES, in_template=False),
    _C("owner", ACTIONS, "Owner", "text", "The person responsible for the action.",
       required=True, width=18,
       aliases=("action owner", "responsible officer", "responsible", "assigned to",
                "lead officer"),
       role_aliases={ACTIONS: ("lead",), "flat": ("lead",)}),
    _C("due", ACTIONS, "Due", "date", "The date the action was agreed to be done by.",
       required=True, required_column=True, width=12,
       aliases=("due date", "target date", "target", "date due", "target completion date",
                "original due date", "completion target"),
       role_aliases={ACTIONS: ("deadline",), "flat": ("deadline",)}),
    _C("revised_due", ACTIONS, "Revised due", "date",
       "A new due date agreed by the board, if the first was moved.", width=12,
       aliases=("revised due date", "revised date", "new due date", "revised target date",
                "revised deadline", "revised target", "extended to")),
    _C("action_status", ACTIONS, "Status", "vocab",
       "Where the action stands: " + ", ".join(ACTION_STATUSES) + ".", required=True,
       required_column=True, vocab=ACTION_STATUSES, synonyms="action_status", width=16,
       aliases=("action status", "progress status"),
       role_aliases={ACTIONS: ("status",), "flat": ("status",)}),
    _C("completed", ACTIONS, "Completed on", "date",
       "The date the action was completed.", width=12,
       aliases=("date completed", "completion date", "actual completion date", "completed",
                "date closed")),
    _C("last_updated", ACTIONS, "Last updated", "date",
       "The date of the latest update.", width=12,
       aliases=("updated", "date updated", "last update date", "update date",
                "date of update", "date of last update")),
    _C("latest_update", ACTIONS, "Latest update", "text", "The latest progress update.",
       width=45,
       aliases=("update", "progress update", "progress", "commentary", "update notes",
                "comments", "progress notes", "latest position")),
    _C("evidence", ACTIONS, "Evidence", "text",
       "Where the evidence of completion is (document name or reference).", width=25,
       aliases=("evidence of completion", "evidence link", "supporting evidence")),
    _C("action_rag", ACTIONS, "RAG (yours)", "text",
       "The office's own RAG or BRAG for the action, if it keeps one: compared with ours.",
       width=10, aliases=("action rag", "rag", "brag", "rag status", "rag rating",
                          "b rag", "rag rating (yours)")),
    # ---- Owners (optional sheet)
    _C("owner_name", OWNERS, "Name", "id",
       "The owner's name exactly as the Owner and Lead columns write it.", required=True,
       required_column=True, width=22,
       aliases=("owner", "owner name", "action owner", "name of owner", "officer", "lead"),
       role_aliases={OWNERS: ("name", "full name")}),
    _C("owner_email", OWNERS, "Email", "email",
       "Their email address, for the monthly update request.", width=32,
       aliases=("email address", "e mail", "e mail address", "address", "owner email",
                "email")),
    _C("owner_copy", OWNERS, "Copy when overdue", "email",
       "Who to copy (an address, or a name on this sheet: a line manager or the executive "
       "lead) when one of their actions is overdue by more than 'Escalate after (days)'.",
       width=32,
       aliases=("escalate to", "escalation", "escalation contact", "line manager",
                "manager email", "line manager email", "copy to", "cc when overdue")),
)

BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}


def columns_of(table: str) -> tuple[Column, ...]:
    """The columns of one table, in template order."""
    return tuple(c for c in COLUMNS if c.table == table)


def template_columns(table: str) -> tuple[Column, ...]:
    """The columns a new, blank register has (those only some offices need, such as Force,
    come when they have values: ``in_template``)."""
    return tuple(c for c in columns_of(table) if c.in_template)


def id_column(table: str) -> str:
    """The key of a table's own id column."""
    return {INSPECTIONS: "inspection_id", ITEMS: "item_id", ACTIONS: "action_id",
            OWNERS: "owner_name"}[table]


def register_columns() -> tuple[Column, ...]:
    """The columns of the three register tables (an optional table's are not among them)."""
    return tuple(c for c in COLUMNS if c.table in TABLES)


# Which table a reference column points at, and through which id.
REFERENCES = {"item_inspection_id": INSPECTIONS, "action_item_id": ITEMS}

# Sheet roles: the three tables, or "flat" (one row per action carrying its item
# and inspection). A role sees the aliases of its own table's columns; flat sees all.
ROLES = (INSPECTIONS, ITEMS, ACTIONS, "flat")
ROLE_TABLES = {INSPECTIONS: (INSPECTIONS,), ITEMS: (ITEMS,), ACTIONS: (ACTIONS,),
               "flat": (INSPECTIONS, ITEMS, ACTIONS), OWNERS: (OWNERS,)}
# On a flat sheet the item and inspection a row belongs to are read from these;
# references between tables are made by us, not typed.
FLAT_SKIP = frozenset({"item_inspection_id", "action_item_id"})


# Yes or no written in words: a cell that starts with one of these ('N/A – for the Home
# Office', 'Yes (all forces)'), folded as norm_key folds it, and how the docs show it.
YES_NO_LEADS = (("yes", "Yes", "Yes ..."), ("y", "Yes", "Y ..."), ("no", "No", "No ..."),
                ("n", "No", "N ..."),
                ("n a", "No", "N/A ..."), ("na", "No", "NA ..."),
                ("not applicable", "No", "Not applicable ..."),
                ("not relevant", "No", "Not relevant ..."), ("not for", "No", "Not for ..."))
# Action statuses that say the action is late: read as still open (overdue is worked
# out from the dates), with their own warning.
OVERDUE_WORDS = frozenset({"overdue", "late", "behind schedule", "off track", "delayed",
                           "slipped", "slipping"})


# ---------------------------------------------------------------- headers by their words

# Phrases read as one word before a header's words are matched.
HEADER_PHRASES = (
    ("progress to date", "progress"), ("to date", ""), ("areas for improvement", "afi"),
    ("area for improvement", "afi"), ("causes of concern", "coc"), ("cause of concern", "coc"),
    ("causes for concern", "coc"), ("cause for concern", "coc"), ("applies to us", "applies"), ("applies to the force", "applies"), ("by when", "due"),
    ("b rag", "brag"), ("rag rating", "rag"), ("current position", "position"),
    ("latest position", "position"), ("position statement", "position"),
)


@dataclass(frozen=True)
class WordRule:
    """A header means ``key`` when it has a word of every group and none of ``never``."""

    key: str
    groups: tuple[frozenset, ...]
    never: frozenset = frozenset()
    example: str = ""          # the families docs/register.md lists


def _w(*words: str) -> frozenset:
    return frozenset(words)


_DATEISH = _w("date", "target", "due", "deadline", "completion", "timescale", "timeline")
_LEAD = _w("lead", "owner", "officer", "responsible", "accountable", "assigned", "manager")
_ITEM = _w("recommendation", "rec", "afi", "coc", "item", "finding")
# First match wins: the more particular meaning of a word comes first.
WORD_RULES: tuple[WordRule, ...] = (
    WordRule("revised_due", (_w("revised", "new", "extended", "amended", "rescheduled", "moved",
                                "reset"), _DATEISH), _w("status"),
             "Revised Target Completion; Revised Target; New target date"),
    WordRule("completed", (_w("completed", "completion", "closed", "actual"),
                           _w("date", "on", "actual")),
             _w("target", "due", "planned", "expected", "forecast", "proposed", "evidence"),
             "Date completed; Actual completion date"),
    WordRule("due", (_w("target", "due", "deadline", "timescale", "timeline"),),
             _w("status", "rag", "hmicfrs", "met", "report", "published"),
             "Target Completion; Target Completion Date; Target date (original)"),
    WordRule("response_published", (_w("response"), _w("published", "website")), _w(),
             "Response published on website"),
    WordRule("published", (_w("published", "publication"),), _w("response", "website", "pcc"),
             "Date Published; Publication date"),
    WordRule("published", (_w("report", "inspection"), _w("date")), _w("response", "gain"),
             "Date of Report; Report Date"),
    WordRule("last_updated", (_w("updated"),), _w(), "Last updated; Date updated"),
    WordRule("last_updated", (_w("update", "position", "progress"), _w("date")), _w(),
             "Date of last update"),
    WordRule("latest_update", (_w("update", "position", "progress", "commentary", "comments",
                                  "comment", "narrative", "notes"),),
             _w("status", "rag", "brag", "pcc"),
             "Current Position; Progress to date; Update"),
    WordRule("executive_lead", (_w("executive", "exec", "chief", "strategic", "senior", "gold",
                                   "portfolio"), _LEAD), _w(),
             "Executive lead; Chief officer lead"),
    WordRule("item_lead", (_ITEM, _LEAD), _w("action"), "Recommendation lead; AFI owner"),
    WordRule("owner", (_LEAD,), _w(), "Responsible Officer; Action Lead; Owner (Name)"),
    WordRule("hmicfrs_status", (_w("hmicfrs", "inspectorate", "hmic", "hmicfrss"),
                                _w("status", "position", "view")), _w(),
             "HMICFRS status; Inspectorate status"),
    WordRule("item_rag", (_w("rag", "brag"), _ITEM | _w("overall")), _w(),
             "Recommendation RAG; Overall RAG"),
    WordRule("action_rag", (_w("rag", "brag"),), _w(), "BRAG; RAG; RAG Status"),
    WordRule("force_status", (_w("status"), _ITEM | _w("overall", "force")), _w("action"),
             "Overall Status; Recommendation status"),
    WordRule("action_status", (_w("status"),), _w(), "Action status; Progress status"),
    WordRule("applies", (_w("applies", "applicable", "relevant", "applicability", "apply"),),
             _w(), "Applicable?; Applies to us?"),
    WordRule("item_text", (_ITEM, _ITEM | _w("text", "description", "wording", "detail",
                                             "details", "narrative")),
             _w("ref", "id", "no", "number", "lead", "owner", "date", "type", "kind",
                "deadline", "category"),
             "Area for Improvement / Recommendation; Recommendation / AFI text"),
    WordRule("action_id", (_w("action", "actions"), _w("code", "ref", "id", "no", "number",
                                                      "reference")), _w("date", "owner", "lead"),
             "Action code; ActionID; Action ref no"),
    # a performance system's export names an action's item its parent
    WordRule("item_text", (_w("parent"), _w("title", "description", "name", "text", "detail")),
             _w("ref", "id", "code", "no", "number"), "Parent_Title; ParentDescription"),
    WordRule("action_text", (_w("action", "actions"), _w("text", "description", "detail",
                                                         "details", "planned", "agreed",
                                                         "required", "proposed", "taken",
                                                         "title", "name")),
             _w("owner", "date", "ref", "id", "no", "lead", "due", "code"),
             "Action(s) agreed; Action description; ActionTitle"),
    WordRule("addressee", (_w("addressed", "addressee", "recipient", "directed"),), _w(),
             "Addressed to"),
    WordRule("kind", (_w("type", "kind", "category"), _ITEM), _w(),
             "Recommendation type; Type of finding"),
    WordRule("evidence", (_w("evidence"),), _w("date"), "Evidence; Evidence of completion"),
    WordRule("title", (_w("report", "inspection"), _w("title", "name")), _w(),
             "Report title; Name of inspection"),
    # last: a header whose only word we know is 'action' ('ECFRS action', 'Force action')
    WordRule("action_text", (_w("action", "actions"),),
             _w("owner", "date", "ref", "id", "no", "number", "lead", "due", "code", "status",
                "rag", "brag", "update", "progress", "by", "when", "who", "complete",
                "completed", "evidence", "type", "kind", "plan", "target", "deadline"),
             "ECFRS action; Force action"),
)


# ---------------------------------------------------------------- headers as written by machines,
# in Welsh, abbreviated, in two rows, and on cards

# The Welsh of the headers Welsh forces' bilingual registers and reports use (Heddlu
# Dyfed-Powys, Heddlu Gwent, Heddlu Gogledd Cymru, Heddlu De Cymru; HMICFRS is AHEM in
# Welsh), each read as the English it stands for; a bilingual header ('Statws / Status')
# matches by either half. Phrases are folded as norm_key folds them; the longest first.
WELSH_HEADER_WORDS = (
    ("perchennog y cam gweithredu", "action owner"),
    ("dyddiad targed diwygiedig", "revised target date"),
    ("dyddiad targed gwreiddiol", "original target date"),
    ("dyddiad targed newydd", "new target date"),
    ("dyddiad cwblhau gwirioneddol", "actual completion date"),
    ("dyddiad y diweddariad diwethaf", "date of last update"),
    ("diweddariad diweddaraf", "latest update"),
    ("diweddariad diwethaf", "latest update"),
    ("statws y cam gweithredu", "action status"),
    ("statws yr argymhelliad", "recommendation status"),
    ("statws ahem", "hmicfrs status"),
    ("teitl yr adroddiad", "report title"),
    ("teitl yr arolygiad", "inspection title"),
    ("dyddiad yr adroddiad", "report date"),
    ("dyddiad cyhoeddi", "date published"),
    ("dyddiad cyhoeddwyd", "date published"),
    ("dyddiad targed", "target date"),
    ("dyddiad dyledus", "due date"),
    ("dyddiad cwblhau", "completion date"),
    ("dyddiad diweddaru", "date updated"),
    ("camau gweithredu", "actions"),
    ("cam gweithredu", "action"),
    ("camau i'w cymryd", "action to be taken"),
    ("meysydd i'w gwella", "areas for improvement"),
    ("maes i'w wella", "area for improvement"),
    ("achosion pryder", "causes of concern"),
    ("achos pryder", "cause of concern"),
    ("argymhellion", "recommendations"),
    ("argymhelliad", "recommendation"),
    ("swyddog arweiniol", "lead officer"),
    ("swyddog cyfrifol", "responsible officer"),
    ("perthnasol i'r llu", "applies to force"),
    ("yn berthnasol", "applicable"),
    ("arweinydd", "lead"),
    ("perchennog", "owner"),
    ("cyfrifoldeb", "responsible"),
    ("statws", "status"),
    ("cyfeirnod", "ref"),
    ("rhif", "no"),
    ("math", "type"),
    ("teitl", "title"),
    ("adroddiad", "report"),
    ("arolygiad", "inspection"),
    ("diweddariad", "update"),
    ("cynnydd", "progress"),
    ("sylwadau", "comments"),
    ("tystiolaeth", "evidence"),
    ("cyhoeddwyd", "published"),
    ("dyddiad", "date"),
    ("targed", "target"),
    ("ahem", "hmicfrs"),
)
# Words exports and narrow columns cut short, each read as the word it stands for.
HEADER_ABBREVIATIONS = {
    "tgt": "target", "trgt": "target", "resp": "responsible", "dt": "date", "desc": "description",
    "descr": "description", "pub": "published", "publ": "published", "orig": "original",
    "rev": "revised", "revd": "revised", "compl": "completion", "upd": "update",
    "updt": "update", "insp": "inspection", "rpt": "report", "recs": "recommendation",
    "actn": "action", "stat": "status", "sts": "status", "ownr": "owner", "mgr": "manager",
    "cmnt": "comments", "cmnts": "comments", "pct": "percent", "perc": "percent",
    "comp": "completion", "exp": "expected", "req": "required", "reqd": "required",
    "txt": "text", "appl": "applicable", "applic": "applicable", "ld": "lead",
    "rcmd": "recommendation", "recom": "recommendation", "achd": "achieved",
}
_WELSH = tuple(sorted(((norm_key(w), e) for w, e in WELSH_HEADER_WORDS),
                      key=lambda p: -len(p[0])))
_CODE_POINT = re.compile(r"_x([0-9a-fA-F]{4})_")
# words run together in an export's field name: 'DueDate', 'AssignedTo', 'HMICFRSStatus'
# (a ref's kind written in mixed case, 'CoC', 'CfC', 'ACoC', is one word; so is 'AFIs')
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z]{2})(?=[A-Z][a-z]{2})")
_MIXED_CASE_WORDS = re.compile(r"A?C[oO][cC]|C[fF][cC]")


@lru_cache(maxsize=8192)
def header_key(text) -> str:
    """A header folded for matching (norm_key), as machines and Welsh registers write it
    too: SharePoint's '_x0020_' for a space, CamelCase field names ('DueDate' is 'due
    date'), and the Welsh of WELSH_HEADER_WORDS read as its English ('Statws' is 'status')."""
    s = str(text)
    if "_x" in s:
        s = _CODE_POINT.sub(lambda m: chr(int(m.group(1), 16)), s)
    s = _MIXED_CASE_WORDS.sub(lambda m: m.group().lower(), s)
    s = " " + norm_key(_CAMEL.sub(" ", s)) + " "
    for welsh, english in _WELSH:
        if " " + welsh + " " in s:
            s = s.replace(" " + welsh + " ", " " + english + " ")
    return s.strip()


def header_halves(text) -> list[str]:
    """The halves of a bilingual or doubled header ('Statws / Status', 'Cam gweithredu |
    Action', one above the other in a cell): each half, when there are two or more."""
    # (one character at a time: the parts are stripped, so the spaces round a separator
    # need no pattern, and a pattern of spaces would be quadratic on a cell of them)
    parts = [p.strip() for p in re.split(r"[|\n/]", str(text)) if p.strip()]
    return parts if len(parts) > 1 else []


def header_spelt_out(text) -> str:
    """A header folded (header_key) with its abbreviations spelt out: 'Rpt Type' is
    'report type', 'Tgt Dt' 'target date'."""
    return " ".join(HEADER_ABBREVIATIONS.get(w, w) for w in header_key(text).split())


def header_words(text: str) -> frozenset:
    """The words of a header as a person reads them: folded (header_key: exports' field
    names split, Welsh read as English), abbreviations spelt out, phrases joined, plurals
    off."""
    s = " " + header_spelt_out(text) + " "
    for phrase, word in HEADER_PHRASES:
        s = s.replace(" " + phrase + " ", " " + word + " ")
    words = set()
    for w in s.split():
        words.add(w)
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            words.add(w[:-1])
    return frozenset(words)


# Two rows of headers: the words of a group header (merged over the columns below it)
# that say which table its columns belong to, and the word a column's own header is read
# with ('HMICFRS recommendation' over 'Ref' is the recommendation's ref, 'Force response'
# over 'Ref' the action's). The first table whose word the group header has wins.
GROUP_WORDS = (
    (ITEMS, frozenset({"recommendation", "rec", "afi", "coc", "finding", "item", "acoc"}),
     "recommendation"),
    (ACTIONS, frozenset({"action", "response", "plan", "progress", "update", "delivery",
                         "activity", "monitoring", "implementation", "force"}), "action"),
    (INSPECTIONS, frozenset({"report", "inspection", "publication"}), "report"),
)
# Under a group header, a column of refs is that table's ref.
GROUP_REF_WORDS = frozenset({"ref", "ref no", "reference", "no", "number", "id", "ref number",
                             "reference number", "code"})
GROUP_REF_KEY = {ITEMS: "number", ACTIONS: "action_id", INSPECTIONS: "inspection_id"}

# A layout of cards: per item, rows labelled with its ref and its words (label and value in
# one cell, 'Ref No. E1', or in two), then the item's own small table of actions. The
# labels, folded as header_key folds them (so the Welsh ones too).
CARD_LABELS = {
    "number": ("ref", "ref no", "reference", "reference no", "ref number", "reference number",
               "item no", "item ref", "recommendation no", "recommendation ref", "afi no",
               "afi ref", "no", "number"),
    "item_text": ("area for improvement", "areas for improvement", "recommendation",
                  "cause of concern", "cause for concern", "accelerated cause of concern",
                  "afi", "finding", "coc", "item"),
}

# Who owns an action, by how names are written: a rank, role or title first ('DCI Reed',
# 'Supt Lowe', 'Head of Learning'), or two or three capitalised words ('Jane Smith').
NAME_TITLES = frozenset({
    "pc", "ps", "dc", "ds", "di", "dci", "dsi", "dsupt", "supt", "ch", "chief", "insp",
    "inspector", "sgt", "sergeant", "superintendent", "acc", "dcc", "cc", "aco", "ac", "dac",
    "commander", "cmdr", "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "head", "director",
    "manager", "lead", "officer", "gm", "sm", "wm", "cm", "am", "cfo", "dcfo", "acfo",
    "acting", "t/supt", "t/ch", "det", "detective",
})


# On a sheet of items, words that mean an action's column mean the item's.
WORD_STAND_INS = {"owner": "item_lead", "action_rag": "item_rag", "action_status": "force_status"}


def match_words(text: str, keys) -> str | None:
    """The column ``text`` names by its words, among ``keys`` (those a sheet can hold)."""
    words = header_words(text)
    if not words:
        return None
    for rule in WORD_RULES:
        key = rule.key if rule.key in keys else WORD_STAND_INS.get(rule.key)
        if key in keys and all(g & words for g in rule.groups) and not rule.never & words:
            return key
    return None


_FILLER = frozenset({"the", "of", "for", "to", "a", "an", "and", "by", "on", "in", "if", "as",
                     "at", "yr", "y", "i", "o"})
_RULE_WORDS: dict = {}


def words_share(text: str, key: str) -> float:
    """How much of a header its words for ``key`` explain (0 to 1): 'Progress to date' all of
    it, 'Notes for the PA' a third; the header that says most surely what it holds wins
    when two are read as the same column by their words."""
    if not _RULE_WORDS:
        for rule in WORD_RULES:
            _RULE_WORDS.setdefault(rule.key, set()).update(*rule.groups)
        for stand_in, key_ in WORD_STAND_INS.items():
            _RULE_WORDS.setdefault(key_, set()).update(_RULE_WORDS.get(stand_in, ()))
    words = {w for w in header_words(text) if w not in _FILLER}
    words = {w for w in words if not (w.endswith("s") and w[:-1] in words)}   # one per plural
    if not words:
        return 0.0
    known = _RULE_WORDS.get(key, set())
    return sum(1 for w in words if w in known or (w + "s") in known) / len(words)


def header_map(role: str, extra: dict[str, tuple[str, ...]] | None = None) -> dict[str, tuple[str, ...]]:
    """norm_key(header) -> candidate column keys for a sheet of this role.

    Role-specific aliases come first; on a flat sheet an ambiguous word such as
    'Deadline' names more than one candidate and the reader gives it to the first
    one no other header has claimed. ``extra`` are the Settings sheet's aliases.
    """
    tables = ROLE_TABLES[role]
    out: dict[str, list[str]] = {}

    def add(alias: str, key: str, first: bool = False) -> None:
        lst = out.setdefault(header_key(alias), [])
        if key in lst:
            return
        lst.insert(0, key) if first else lst.append(key)

    for col in COLUMNS:
        if col.table not in tables or (role == "flat" and col.key in FLAT_SKIP):
            continue
        for alias in col.role_aliases.get(role, ()):
            add(alias, col.key)
    for col in COLUMNS:
        if col.table not in tables or (role == "flat" and col.key in FLAT_SKIP):
            continue
        add(col.header, col.key)
        for alias in col.aliases:
            add(alias, col.key)
    for key, aliases in (extra or {}).items():
        col = BY_KEY[key]
        if col.table in tables and not (role == "flat" and key in FLAT_SKIP):
            for alias in aliases:
                add(alias, key, first=True)
    if role == "flat":
        # One row per action: a bare 'Deadline' is the action's due date unless
        # another header already gave the due date.
        rank = {ACTIONS: 0, ITEMS: 1, INSPECTIONS: 2}
        for lst in out.values():
            lst.sort(key=lambda k: rank[BY_KEY[k].table])
    return {k: tuple(v) for k, v in out.items()}


# ---------------------------------------------------------------- rules

@dataclass(frozen=True)
class Rule:
    """A kind of problem a register can have: its code, severity and plain-English message."""

    code: str
    severity: str   # "error" | "warning"
    title: str
    message: str    # str.format template: value, header, noun, allowed, normalised, ...


_R = Rule
RULES: dict[str, Rule] = {r.code: r for r in (
    _R("REQUIRED_MISSING", "error", "A required value is empty",
       "{header} is empty; every {noun} needs one."),
    _R("DUPLICATE_ID", "error", "The same id is used twice",
       "'{value}' is used for more than one {noun}; give each {noun} its own {header}."),
    _R("UNKNOWN_INSPECTION", "error", "An item names an inspection that is not on the register",
       "There is no inspection '{value}' on the {target} sheet{near}; check the {header} or "
       "add the inspection."),
    _R("UNKNOWN_ITEM", "error", "An action names an item that is not on the register",
       "There is no item '{value}' on the {target} sheet{near}; check the {header} or add "
       "the item."),
    _R("ONE_REPORT_TWO_WAYS", "warning", "One report looks typed two ways",
       "'{value}' and '{first}' differ only in their punctuation or spaces and were "
       "published the same day, but were read as two reports; write them alike if they "
       "are one."),
    _R("ONE_ITEM_TWO_WAYS", "warning", "One item looks typed two ways",
       "'{value}' and '{first}' differ only in their capitals, spaces or punctuation, but "
       "were read as two items of the report; write them alike if they are one."),
    _R("NO_SUCH_CONCERN", "warning", "A recommendation is under a cause of concern the "
       "register does not have",
       "'{value}' says it was made under {concern}{also}, but {report} has no {concern} on "
       "the register, so it stands alone; add the cause of concern (its words) if its "
       "recommendations are to be counted with it."),
    _R("UNKNOWN_PARENT", "error", "An item is under an item that is not on the register",
       "There is no item '{value}' on the {target} sheet for it to be under; check the "
       "{header} or add the cause of concern."),
    _R("UNDER_ITSELF", "error", "An item is under itself",
       "The item is under itself ({loop}), so its actions would be counted again and again; "
       "clear its {header} or name the cause of concern it is under."),
    _R("NOT_IN_LIST", "error", "A value is not one of the allowed words",
       "'{value}' is not an allowed {header}; choose one of: {allowed}."),
    _R("BAD_DATE", "error", "A date cannot be read",
       "'{value}' in {header} is not a date we can read; type it like 31/12/2024 or use a "
       "date cell (years 1900 to 2199)."),
    _R("DATE_ORDER_UNSURE", "error", "A date could be read two ways",
       "'{value}' in {header} could be day first or month first, and its sheet writes "
       "some dates month first ('{us}'), so it was not read; type it as a date cell, or "
       "with the month in words (4 May 2027)."),
    _R("NORMALISED", "warning", "A value was read as one of the allowed words",
       "'{value}' was read as '{normalised}'; pick '{normalised}' from the list to "
       "silence this."),
    _R("BAD_DEADLINE", "warning", "A deadline cannot be turned into a date",
       "We could not work out a date from the deadline '{value}'; put the date in "
       "Deadline date, or leave both blank if there is none."),
    _R("NO_ACTIONS", "warning", "An item that applies to the force has no actions",
       "This item applies to the force and is open but has no actions and no reason in "
       "'No action because'; add its actions or say why none will be taken (the PCC's "
       "response must say which, section 55(5B))."),
    _R("NO_RESPONSE", "warning", "The PCC's response would say nothing about an item",
       "This item is for the force but has no Response, no actions and no reason in 'No "
       "action because', so the PCC's response cannot say what has been or will be done "
       "about it (section 55(5B)); fill in one of them."),
    _R("BAD_EMAIL", "warning", "An email address cannot be used",
       "'{value}' in {header} is not an email address we can send to: {why}."),
    _R("UNKNOWN_OWNER", "warning", "An action's owner is not on the Owners sheet",
       "'{value}' is not on the Owners sheet; {advice}"),
    _R("TO_CHECK", "warning", "add-report was not sure of an item",
       "add-report was not sure of this item when it read the report: {why}. Check it "
       "against the report, then clear the cell."),
    _R("S55_LAST_DAY_CLOSED", "warning", "The response's last day is not a working day",
       "Day 56 of the response period, {value}, is {why}; the response must still be "
       "published by then, so plan to publish by {working}."),
    _R("COMPLETE_NO_DATE", "warning", "A finished action has no completion date",
       "The action is '{value}' but {missing}."),
    _R("DUE_BEFORE_PUBLISHED", "warning", "A date is before the report was published",
       "{header} {value} is before the report was published ({published}); check the date."),
    _R("REVISED_BEFORE_DUE", "warning", "A revised due date is earlier than the first",
       "Revised due {value} is earlier than the original due date {due}; a revised date "
       "usually moves later. Check it."),
    _R("CLOSED_WITH_OPEN_ACTIONS", "warning", "A closed item still has open actions",
       "HMICFRS status is '{value}' but {open} not finished; update the actions or the "
       "status."),
    _R("ITEMS_AS_ACTIONS", "warning", "Each item was read as its own one action",
       "The sheet has one row per item and no column for actions, so each item was read "
       "as one action of its own: the item's words as the action's, with the row's owner, "
       "due date and status; add an Action column (one row per action) to plan more."),
    _R("ITEM_OWN_ROW", "warning", "An item's own row was read as the item's, not an action",
       "The row that gives {item}'s words has a lead, a date or a status but no action's "
       "words, and its actions are on the rows below: its lead, date and status were read "
       "as the item's Lead, Deadline date and Force's status, not as an action{also}."),
    _R("NOTE_BELOW_TABLE", "warning", "Text below the table was not read as a row",
       "'{value}' below the table looks like a note, not a row, and was not read."),
    _R("DUPLICATE_COLUMN", "warning", "Two columns mean the same thing",
       "{header} means the same as an earlier column ({other}); only the first was read."),
    _R("ONE_REF_TWO_ITEMS", "error", "Two items are given one ref",
       "'{value}' is another item's words than '{first}', given for the same {noun} in row "
       "{first_row}: read as one item, the second would be lost. Give each its own ref "
       "(where a report numbers its items again in each part, put the part in the ref: "
       "'Investigating crime AFI 1'), or correct the words if both rows are one item's."),
    _R("MISSING_COLUMN", "warning", "A useful column is missing",
       "There is no {header} column{assumed}; add one so every {noun} can have a value."),
    _R("FLAT_CONFLICT", "warning", "Rows of the same item or inspection disagree",
       "'{value}' differs from '{first}' given for the same {noun} in row {first_row}; the "
       "first was used."),
    _R("CONTROL_CHARACTER", "warning", "A cell held characters a workbook cannot store",
       "The cell held control characters, which no workbook can store; they were removed "
       "and it was read as '{value}'. Retype it in Excel if that is not right."),
    _R("ACTIONS_ACROSS_COLUMNS", "error", "A second action is laid across the row",
       "{header} holds another action on the same row ('{value}'), and only {other} is read "
       "as the row's action: put each action on its own row under its item (one row per "
       "action, its owner, date and status beside it), or this one is lost."),
    _R("ACTION_STRUCK_THROUGH", "warning", "An action's words are struck through",
       "'{value}' {what}, as an office marks an action withdrawn or replaced, but it was "
       "read as written (its status: {status}); if it was withdrawn, set its Status to "
       "Closed and say why in its update (or delete the words struck, or its row)."),
    _R("TEXT_TOO_LONG", "warning", "A cell held more text than Excel allows",
       "The cell held {length} characters, more than the {limit} a cell of Excel holds (it "
       "was written by another program); it was read cut there, ending '...{value}', as the "
       "pack, the requests and the response would show it. Shorten it in the register."),
    _R("UNCALCULATED_FORMULA", "warning", "Formulas were saved without their values",
       "{what} (the file was written by a program that does not calculate), so {them} "
       "read as empty; open the workbook in Excel, save it, and read it again."),
    _R("HIDDEN_SHEET", "warning", "A hidden sheet looks like a register table",
       "The sheet is {state} and looks like a register table ({role}); {outcome}."),
    _R("SHEET_NOT_READ", "error", "A sheet that looks like the register's was not read",
       "The sheet looks like {role} and has {rows}, but the register was read as {layout}, "
       "so none of its rows are in the register. If they belong in it, give the sheet "
       "the headers the sheets read have (gain-pack describe shows how each sheet was "
       "read); if not, move the sheet to another workbook."),
    _R("DATE_NOT_GIVEN", "warning", "A date column says there is no date yet",
       "'{value}' in {header} was read as no date yet (the text is kept); type the date "
       "when it is known."),
    _R("DATE_READ_AS", "warning", "A date was read from a month, a quarter or words",
       "'{value}' in {header} was read as {date} ({why}); type the day to silence this."),
    _R("DATE_SHOWN_AS_MONTH", "warning", "A date was shown as a month",
       "'{value}' in {header} is a date shown as a month (its cell's format shows no "
       "day), so it was read as the month's last day, {date}{more}; format the cells to "
       "show the day if a day is meant."),
    _R("WORD_READ_AS", "warning", "A misspelt word was read as the nearest allowed one",
       "'{value}' is not an allowed {header}; it was read as '{normalised}', the nearest "
       "word. Pick '{normalised}' from the list to silence this."),
    _R("OVERDUE_WORD", "warning", "A status says 'Overdue'",
       "'{value}' was read as '{normalised}': an action is overdue by its dates, which "
       "gain-pack works out, so its status says where the work stands. Pick one from the "
       "list to silence this."),
    _R("TEXT_CONTINUED", "warning", "An item's words go on over the rows below it",
       "'{value}' has no ref or report of its own and carries on the words of the item "
       "above ({item}): it was read as more of that item's text{also}. Put an item's "
       "words in one cell (Alt+Enter breaks a line) to silence this."),
    _R("ROW_SKIPPED", "warning", "A row in the table was not read",
       "The row was not read: {reason}."),
    _R("RAG_BETTER_THAN_OURS", "warning", "Your RAG is better than the one worked out",
       "You have {value}; gain-pack makes it {ours}: {reason}."),
    _R("TITLE_FROM_SHEET_NAME", "warning", "No report title above a report's table",
       "No report title was found above the table, so the sheet's name '{value}' was used; "
       "put 'Report:' and the title in a row above the headers."),
    _R("BAD_SETTING", "error", "A setting cannot be used",
       "The setting '{key}' has the value '{value}', which is not {expected}."),
    _R("MARKING_NOT_GSC", "warning", "The protective marking is not a security classification",
       "The protective marking '{value}' is not a Government Security Classification "
       "(OFFICIAL, OFFICIAL-SENSITIVE, SECRET or TOP SECRET, optionally with a descriptor "
       "such as 'OFFICIAL-SENSITIVE: PERSONAL'); it prints as written on every page and in "
       "every email subject, so check its spelling."),
    _R("NO_FORCE_NAME", "warning", "The force's name is not set",
       "{where}, so the pack, the response ('RESPONSE ... OF THE FORCE') and emails say "
       "'the force'; {fix}."),
    _R("READ_WITH_NOTE", "warning", "A value was read as its first words, the rest as a note",
       "'{value}' was read as '{normalised}', the rest kept beside it as a note{date}{also}; "
       "keep the word alone in the cell and the note in another column to silence this."),
    _R("NOT_FOR_FORCE_ROW", "warning", "A row says its item is not for the force",
       "'{value}' in {header} says the item is not for the force: {outcome}{also}."),
    _R("STATUS_ONLY_COLOUR", "error", "A status cell has only a fill colour",
       "{at} has no status, only a fill colour; type the status (a colour is never read "
       "as one)."),
    _R("RESPONSES_NOT_RECORDED", "warning", "Old reports have no response dates recorded",
       "{what}, so the pack shows {them} as 'Not recorded', not overdue; type the dates the "
       "PCC's responses were sent and published in '{sent}' and '{published}' (or No in "
       "'{required}' where none was needed)."),
    _R("UNKNOWN_SETTING", "warning", "A setting is not one we know",
       "The setting '{key}' is not one gain-pack knows and was ignored; known settings: "
       "{known}."),
)}
