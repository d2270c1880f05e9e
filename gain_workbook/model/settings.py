"""Settings: the defaults, the register's optional Settings sheet, and command-line overrides.

The Settings sheet is two columns, setting and value. Unknown settings are reported,
not fatal. ``Alias: <column header>`` rows add header spellings, e.g.
``Alias: Due`` = ``Completion target; Date to finish``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from gain_workbook.model.schema import COLUMNS, norm_key
from gain_workbook.core.libreoffice import DEFAULT_SECONDS, TIME_LIMIT_SETTING


@dataclass(frozen=True)
class Setting:
    """One key of the Settings sheet."""

    attr: str
    label: str
    default: object
    kind: str        # text | int | date | list | "a|b" (one of the words)
    description: str
    # the whole numbers an int setting may take: a count of days far past any real one
    # (a date 99999999999 days on) is a mistake to report on its cell, never a crash
    least: int = 0
    most: int = 36_500


SETTINGS: tuple[Setting, ...] = (
    Setting("force_name", "Force name", "the force", "text",
            "The force's name as it appears on the response, e.g. Cleveland Police."),
    Setting("pcc_name", "PCC name", "the Police and Crime Commissioner", "text",
            "The Commissioner's title or name, for the response."),
    Setting("board_name", "Board name", "GAIN Board", "text",
            "The board the pack goes to."),
    Setting("board_chair", "Board chair", "the Deputy Chief Constable", "text",
            "Who chairs the board (used in the response's process text)."),
    Setting("protective_marking", "Protective marking", "OFFICIAL-SENSITIVE", "text",
            "The marking printed in every header and footer and in email subjects."),
    Setting("response_marking", "Response marking", "", "text",
            "A marking for the PCC's published response, if it must carry one (usually "
            "blank: the response is public, and the board pack's marking never goes on it)."),
    Setting("response_target_days", "Response target (days)", 0, "int",
            "A local target for sending the PCC's response, as a day of the response "
            "period (e.g. 30; publication day is day 1, as for the statutory day 56), "
            "shown beside day 56; 0 or blank for none."),
    Setting("response_template", "Response template", "", "text",
            "An edited copy of the response's process text, by file name beside the "
            "register (used by response and monthly unless --template names another)."),
    Setting("response_to", "Response to", (), "list",
            "Who gets the PCC's response by email (the Home Office and HMICFRS addresses); "
            "several separated by ; or ,."),
    Setting("response_cc", "Response cc", (), "list", "Copied on the response email."),
    Setting("rows_for_force", "Rows for force", "", "text",
            "In a register that holds several forces (a Force column: an alliance, a "
            "collaboration, a region): whose rows every command reads, a force as the Force "
            "column names it ('Northshire' for 'Northshire Police'; rows for 'Both' or 'All' "
            "count for each force), or 'all' for every force's rows together. Blank: every "
            "row is read, and each command says the register holds several forces."),
    Setting("adopted_on", "Adopted on", "", "date",
            "The day gain-pack adopt wrote this register from one with no response dates: a "
            "report whose day 56 had passed by then with no response date recorded shows as "
            "'Not recorded', not overdue. gain-pack adopt fills it in."),
    Setting("show_not_for_force", "Show items not for the force", "yes", "yes|no",
            "yes: the pack's Items sheet lists items addressed to others (after the force's "
            "own items of each inspection); no: it leaves them off."),
    Setting("due_soon_days", "Due soon (days)", 28, "int",
            "An action due within this many days is 'due soon' (Amber)."),
    Setting("stale_days", "Stale after (days)", 60, "int",
            "An open action with no update for this many days is 'stale' (Amber)."),
    Setting("reply_days", "Reply within (days)", 10, "int",
            "How long owners get to return their update request (the reply-by date is the "
            "request's date plus this)."),
    Setting("escalate_days", "Escalate after (days)", 30, "int",
            "An owner with an action overdue by more than this many days has their 'Copy when "
            "overdue' contact (Owners sheet) copied on their update request."),
    Setting("replies_to", "Replies to", "", "text",
            "The address owners send their update requests back to (default: 'Email from')."),
    Setting("quarters", "Quarters", "financial", "financial|calendar",
            "How 'Q1 2026' in a date column is read: financial (Q1 = April to June, as UK "
            "public bodies count) or calendar (Q1 = January to March)."),
    Setting("email_to", "Email to", (), "list",
            "Who gets the board pack; several addresses separated by ; or ,."),
    Setting("email_cc", "Email cc", (), "list", "Copied on the board pack email."),
    Setting("email_signature", "Email signature", "", "text",
            "The sign-off under every email (name, role, office); several lines may be "
            "separated by ' | ' or written with Alt+Enter."),
    Setting("smtp_host", "SMTP host", "", "text", "The force's mail server, for --send."),
    Setting("smtp_port", "SMTP port", 587, "int", "Its port (587 for STARTTLS, 465 for SSL).",
            least=1, most=65_535),
    Setting("smtp_security", "SMTP security", "starttls", "text",
            "starttls, ssl or none."),
    Setting("smtp_user", "SMTP user", "", "text", "The user name to log in with, if any."),
    Setting("email_from", "Email from", "", "text", "The sender address used with --send."),
    Setting("libreoffice_seconds", TIME_LIMIT_SETTING, DEFAULT_SECONDS, "int",
            "How long LibreOffice may take to make a PDF (response --pdf) before it is "
            "stopped and the run ends saying so, so that a scheduled job never waits for "
            "ever on it.", least=1, most=86_400),
    Setting("send_by", "Send by", "smtp", "smtp|smtp oauth|graph",
            "How --send sends: smtp (the SMTP host, with a password if 'SMTP user' is set, or "
            "none for an office relay); smtp oauth (Microsoft 365 SMTP with an OAuth token: "
            "smtp.office365.com unless 'SMTP host' says otherwise); graph (Microsoft Graph, "
            "for a tenant with SMTP AUTH off). No password or secret ever goes on this sheet."),
    Setting("m365_tenant", "Microsoft 365 tenant", "", "text",
            "For smtp oauth and graph: the force's tenant id or domain (Directory (tenant) "
            "ID in the app registration)."),
    Setting("m365_client_id", "Microsoft 365 client id", "", "text",
            "The Application (client) ID of the app registration gain-pack signs in as."),
    Setting("m365_mailbox", "Microsoft 365 mailbox", "", "text",
            "The mailbox the app sends as (default: 'Email from')."),
    Setting("m365_sign_in", "Microsoft 365 sign-in", "app", "app|device code",
            "app: the app signs in with its client secret (from the keychain) or certificate, "
            "for a scheduled run; device code: a person signs in once at a terminal and the "
            "sign-in is kept encrypted for the next runs."),
    Setting("m365_certificate", "Microsoft 365 certificate", "", "text",
            "The full path of the app registration's certificate with its private key "
            "(.pem or .pfx), used instead of a client secret; its password, if any, from the "
            "keychain."),
    Setting("m365_login_url", "Microsoft 365 sign-in URL", "https://login.microsoftonline.com",
            "text", "Entra ID's address; change it only for a national cloud."),
    Setting("m365_graph_url", "Microsoft Graph URL", "https://graph.microsoft.com", "text",
            "Microsoft Graph's address; change it only for a national cloud."),
)
BY_LABEL = {norm_key(s.label): s for s in SETTINGS}
SETTING_OF = {s.attr: s for s in SETTINGS}
ALIAS_PREFIX = "alias"


@dataclass(frozen=True)
class Settings:
    """The settings in force for one run."""

    force_name: str = "the force"
    pcc_name: str = "the Police and Crime Commissioner"
    board_name: str = "GAIN Board"
    board_chair: str = "the Deputy Chief Constable"
    protective_marking: str = "OFFICIAL-SENSITIVE"
    response_marking: str = ""
    response_target_days: int = 0
    response_template: str = ""
    response_to: tuple = ()
    response_cc: tuple = ()
    rows_for_force: str = ""
    adopted_on: object = None          # a datetime.date, or None
    show_not_for_force: str = "yes"
    due_soon_days: int = 28
    stale_days: int = 60
    reply_days: int = 10
    escalate_days: int = 30
    replies_to: str = ""
    quarters: str = "financial"
    email_to: tuple = ()
    email_cc: tuple = ()
    email_signature: str = ""
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_user: str = ""
    email_from: str = ""
    libreoffice_seconds: int = DEFAULT_SECONDS
    send_by: str = "smtp"
    m365_tenant: str = ""
    m365_client_id: str = ""
    m365_mailbox: str = ""
    m365_sign_in: str = "app"
    m365_certificate: str = ""
    m365_login_url: str = "https://login.microsoftonline.com"
    m365_graph_url: str = "https://graph.microsoft.com"
    aliases: dict = field(default_factory=dict)   # column key -> (header spellings ...)

    @property
    def named_force(self) -> str:
        """The force's name as the Settings sheet gives it; '' when it gives none."""
        return "" if self.force_name == Settings.force_name else self.force_name

    def replace(self, **changes) -> "Settings":
        """A copy with some values changed (None values are ignored)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


# A Government Security Classification, with an optional descriptor after it
# ('OFFICIAL-SENSITIVE: PERSONAL', 'OFFICIAL-SENSITIVE [COMMERCIAL]').
GSC_MARKINGS = ("OFFICIAL-SENSITIVE", "OFFICIAL", "TOP SECRET", "SECRET")   # longest first
GSC_DESCRIPTORS = ("COMMERCIAL", "LOCSEN", "PERSONAL", "UK EYES ONLY")


def _words(texts) -> str:
    """An alternation of phrases, a hyphen or space between words as people type them."""
    return "|".join(re.escape(t).replace(r"\-", r"(?:\s*+-\s*+|\s++)").replace(r"\ ", r"\s++")
                    for t in texts)


# Possessive spaces (\s*+: what one run of spaces matched is never tried again by the next)
# keep this linear on a long run of spaces; the lookbehind starts a search only at a run's
# start (tests/test_patterns.py).
_GSC = re.compile(rf"(?<!\s)\s*+(?:{_words(GSC_MARKINGS)})(?:\s*+(?::|-|\u2013)?\s*+"
                  rf"(?:\[\s*+(?:{_words(GSC_DESCRIPTORS)})\s*+\]|(?:{_words(GSC_DESCRIPTORS)})))?"
                  r"\s*+", re.I)


def is_gsc_marking(text: str) -> bool:
    """True for OFFICIAL, OFFICIAL-SENSITIVE, SECRET or TOP SECRET, with or without one
    of the descriptors ('OFFICIAL-SENSITIVE: PERSONAL'); a typo ('OFFICAL') is not."""
    return bool(_GSC.fullmatch(str(text)))


def _column_for_alias(target: str):
    key = norm_key(target)
    for col in COLUMNS:
        if key in (norm_key(col.header), norm_key(col.key)):
            return col
    for col in COLUMNS:
        if key in {norm_key(a) for a in col.aliases}:
            return col
    return None


def _whole_number(value) -> int | None:
    """A cell as a whole number (12, 12.0, '12'), or None (True, 1.5, 'ten', inf, nan)."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return int(number) if number.is_integer() else None


def parse_settings(rows) -> tuple[Settings, list[tuple[str, int, str, object, str]]]:
    """Settings from (row number, key, value) triples; also the problems found.

    Each problem is (code, row, key, value, expected-or-known) for the reader to place.
    """
    values: dict[str, object] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    problems = []
    for row, key, value in rows:
        nk = norm_key(key)
        if not nk or nk in ("setting", "settings", "key", "name"):
            continue
        if nk.startswith(ALIAS_PREFIX + " ") or nk == ALIAS_PREFIX:
            col, spellings = _alias_row(key, value)
            if col is None:
                problems.append(("BAD_SETTING", row, key, value, "an alias for a column we know "
                                 "(write 'Alias: Due', naming one of the Guide's columns)"))
            elif spellings:
                aliases[col.key] = aliases.get(col.key, ()) + spellings
            continue
        setting = BY_LABEL.get(nk)
        if setting is None:
            known = ", ".join(s.label for s in SETTINGS) + ", Alias: <column>"
            problems.append(("UNKNOWN_SETTING", row, key, value, known))
            continue
        if value is None or str(value).strip() == "":
            continue
        read, problem = _read_value(setting, value)
        if read is not _UNREAD:
            values[setting.attr] = read
        if problem is not None:
            code, expected = problem
            problems.append((code, row, key, value, expected))
    return Settings(**values, aliases=aliases), problems


def _split_list(text: str) -> tuple[str, ...]:
    """The entries of a list typed in one cell ('a@x.uk; b@x.uk, c@x.uk'), blanks dropped."""
    return tuple(s.strip() for s in text.replace(",", ";").split(";") if s.strip())


def _alias_row(key, value):
    """What an 'Alias: <column>' row says: the column it names (None when it names none
    we know) and the header spellings it adds to that column."""
    target = str(key).split(":", 1)[1] if ":" in str(key) else str(key)[len("alias"):]
    return _column_for_alias(target), _split_list(str(value or ""))


_UNREAD = object()   # a setting's cell that gave no value to keep


def _read_value(setting: Setting, value) -> tuple[object, tuple[str, str] | None]:
    """One setting's (non-blank) cell read as its kind says: the value to keep (_UNREAD when
    it cannot be read) and the problem found, as (code, what was expected), or None."""
    if setting.kind == "int":
        number = _whole_number(value)
        if number is not None and setting.least <= number <= setting.most:
            return number, None
        unit = next((f" of {u}" for u in ("days", "seconds") if setting.attr.endswith("_" + u)),
                    "")
        return _UNREAD, ("BAD_SETTING",
                         f"a whole number{unit} from {setting.least:,} to {setting.most:,}")
    if setting.kind == "date":
        from gain_workbook.core.dates import UNREADABLE, parse_date

        day = parse_date(value)
        if day is None or day is UNREADABLE:
            return _UNREAD, ("BAD_SETTING", "a date such as 31/12/2026")
        return day, None
    if setting.kind == "list":
        return _split_list(str(value)), None
    if "|" in setting.kind:
        choices = setting.kind.split("|")
        if norm_key(value) in choices:
            return norm_key(value), None
        return _UNREAD, ("BAD_SETTING", " or ".join(choices))
    if setting.attr in ("protective_marking", "response_marking") and not is_gsc_marking(value):
        return str(value).strip(), ("MARKING_NOT_GSC", "")
    return str(value).strip(), None
