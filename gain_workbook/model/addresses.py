"""Email addresses: checked by email-validator (the syntax of RFC 5321/5322 and the
special-use domains, as mail servers apply them), never a pattern of our own.

No DNS lookup is made: the force's network may not resolve outside names, and an
address is checked where it is typed (the Owners and Settings sheets, an option).
"""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=4096)
def address_problem(text: str) -> str | None:
    """Why ``text`` is not an address mail can be sent to (a sentence, lower case first,
    no full stop), or None when it is one."""
    import email_validator as ev

    try:
        ev.validate_email(str(text).strip(), check_deliverability=False)
    except ev.EmailNotValidError as exc:
        why = str(exc).strip().rstrip(".")
        return why[:1].lower() + why[1:]
    return None


def is_address(text) -> bool:
    return address_problem(str(text)) is None


def split_addresses(value) -> list[str]:
    """'a@x.org; b@y.org' (or commas) as a list, blanks dropped."""
    return [a.strip() for a in re.split(r"[;,]", str(value or "")) if a.strip()]
