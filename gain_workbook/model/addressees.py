"""Who an item is addressed to, in words HMICFRS writes: the force ('chief constables',
'forces', 'the service'), some forces only ('Welsh forces', 'forces that ...'), another
force by its name, a national body ('the Home Office', 'the College of Policing'), or no
one we know. add-report reads a new report's items by it; the register's reading reads
an Addressee column by it where no column says whether an item applies to the force.
"""

from __future__ import annotations

import re

from gain_workbook.model.schema import norm_key

FORCE = re.compile(r"\b(?:chief\s+constables?|chief\s+officers?|(?:all|each|every|the|"
                   r"police|other|those|these|their|individual)\s+forces?|forces|the\s+"
                   r"constabulary|"
                   # a fire and rescue service's report says 'the service should'
                   r"(?:all|each|every|the|individual)\s+(?:fire\s+(?:and|&)\s+rescue\s+)?"
                   r"services?|fire\s+(?:and|&)\s+rescue\s+services|frss?|chief\s+fire\s+"
                   r"officers?|(?:all|each|every|the)\s+(?:fire\s+)?brigades?)\b", re.I)
# a force's name is a few capitalised words ('Devon and Cornwall'): bounded, so a page of
# capitalised words is not tried from each of them to its end
OTHER_FORCE = re.compile(r"\b(?P<name>[A-Z][a-z]+(?:\s+(?:(?:and|&|of)\s*)?[A-Z][a-z]+){0,5})\s+"
                         r"(?:Police|Constabulary|Fire\s+(?:and|&)\s+Rescue\s+Service|"
                         r"Fire\s+Brigade)\b")
# 'The police service should ...' is every force (the Police Service of Northern Ireland
# is one by its name); only as the whole addressee ('an enhanced system ... for the
# Police Service' is no force)
_POLICE_SERVICE = re.compile(r"(?:the\s+)?police(?:\s+service)?(?:\s+in\s+(?:england(?:\s+and"
                             r"\s+wales)?|wales))?$", re.I)
# (a police and crime commissioner is one body, not the police and another)
_PCC = re.compile(r"police\s+(?:and|&)\s+crime", re.I)
# the bodies an addressee joins: 'The police and CPS', 'The CPS, the police and NHS England'
_JOINED = re.compile(r", ?(?:and )?| and | & | ?/ ?", re.I)        # (spaces made single first)
# 'those forces using ...', 'chief constables of forces that are yet to ...', 'forces in the
# North East region': some forces only
# (and the forces of one nation: 'chief constables of forces in Wales', 'Welsh forces',
# 'forces in England', but not 'in England and Wales', which is every force)
_SOME_FORCES = re.compile(r"\bthose\s+forces\b|\b(?:welsh|english)\s+(?:police\s+)?"
                          r"(?:forces|chief\s+constables)\b|\b(?:chief\s+constables?|forces?)\b"
                          r"(?:\s+of\s+(?:the\s+)?(?:\w+\s+)?forces?)?\s+in\s+(?:england|wales)\b"
                          r"(?!\s+(?:and|&)\s+(?:wales|england))|"
                          r"\b(?:chief\s+constables?|forces?)\b(?:\s+of\s+"
                          r"(?:the\s+)?(?:\w+\s+)?forces?)?\s+(?:that|which|where|whose|who|"
                          r"yet\s+to|not\s+yet|without|(?:in|across)\s+(?:the\s+)?(?:\w+\s+){0,3}"
                          r"(?:region|regions|area|areas)\b)\b", re.I)
# 'the chief constables of Durham, Northumbria and Cleveland': named forces' chiefs only
_CHIEFS_OF_NAMES = re.compile(r"(?i:\bchief\s+constables\s+of\s+)(?P<names>[A-Z][a-z]+"
                              r"(?:(?:,\s*|\s+and\s+|\s+&\s+)[A-Z][a-z]+){1,8})\b")
_CAPITALISED = re.compile(r"[A-Z][a-z]+")
# 'the chief constable of the Metropolitan Police Service', 'the Chief Constable of
# Northumbria Police': one force's chief, by its name (not every force's)
_CHIEF_OF = re.compile(r"\bchief\s+constables?\s+of\s+(?:the\s+)?(?P<name>[A-Z][a-z]+"
                       r"(?:\s+(?:(?:and|&)\s+)?[A-Z][a-z]+){0,4})\s+(?:Police|Constabulary)\b",
                       re.I)
# National bodies HMICFRS addresses: an item for these alone is not the force's.
BODIES = re.compile(r"\b(?:home\s+office|(?:home\s+)?secretary(?:\s+of\s+state)?|"
                    r"department\s+for\s+\w+|department\s+of\s+\w+|ministry\s+of\s+\w+|"
                    r"welsh\s+government|government|national\s+crime\s+agency|nca|"
                    r"national\s+police\s+chiefs['’]?\s+council|npcc|"
                    r"college\s+of\s+policing|hmicfrs|independent\s+office\s+for\s+police\s+"
                    r"conduct|iopc|crown\s+prosecution\s+service|cps|association\s+of\s+"
                    r"police\s+and\s+crime\s+commissioners|apcc|police\s+and\s+crime\s+"
                    r"commissioners?|pccs?|local\s+policing\s+bod(?:y|ies)|police\s+digital"
                    r"\s+service|nhs(?:\s+england)?|local\s+authorit(?:y|ies)|business\s+"
                    r"user\s+groups?|his\s+majesty['’]s\s+\w+(?:\s+\w+)?|hm\s+\w+(?:\s+\w+)?|"
                    r"crown\s+\w+|city\s+of\s+london\s+police|national\s+\w+(?:\s+\w+)?|"
                    r"college|council|agency|service|office|commission(?:er)?s?|"
                    r"inspectorate|board|partnership|programme)\b", re.I)


def who(addressee: str, force_name: str) -> str:
    """'force', 'some forces', 'other force', 'other' or 'unknown' for an addressee."""
    if _SOME_FORCES.search(addressee):
        return "some forces"
    if force_name and norm_key(force_name) in norm_key(addressee):
        return "force"
    if (chief := _CHIEF_OF.search(addressee)) and chief.group("name")[:1].isupper():
        return "named force" if not force_name else "other force"
    if chiefs := _CHIEFS_OF_NAMES.search(addressee):
        names = _CAPITALISED.findall(chiefs.group("names"))
        ours = set(norm_key(force_name).split()) if force_name else set()
        if not ours:
            return "some forces"
        return "force" if any(norm_key(n) in ours for n in names) else "other force"
    parts = _JOINED.split(_PCC.sub("PCC", " ".join(addressee.split())))
    if FORCE.search(addressee) or any(_POLICE_SERVICE.match(p.strip(" ,")) for p in parts):
        return "force"      # ('The police and the CPS': the police among others)
    if named := OTHER_FORCE.search(addressee):
        # 'City of London Police' is a national body; in 'X Fire and Rescue Service' only
        # the name can say so ('service' alone is one of the bodies)
        whole = named.group(0)
        if not BODIES.search(named.group("name") if whole.endswith("Service") else whole):
            return "named force" if not force_name else "other force"
    if BODIES.search(addressee):
        return "other"
    return "unknown"
