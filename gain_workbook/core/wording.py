"""Text templates: files of wording with {placeholders} that gain-pack fills in.

Two are shipped in templates/ (the email bodies and the response's process text)
and an office may edit a copy of either. ``read_wording_file`` reads such a copy
as a person saved it; ``fill`` puts the values in; ``fill_paragraphs`` also keeps or
drops the paragraphs that start ``[if X]`` / ``[if no X]``.

(The other "template" in gain-pack is the register template that ``init`` writes:
see ``register.template``.)
"""

from __future__ import annotations

import re

from gain_workbook.core.errors import TemplateError
from gain_workbook.core.text import decode_text, has_xml_illegal


def read_wording_file(path, what: str) -> str:
    """A text file as a person saved it: UTF-8 (with or without BOM), UTF-16, or Windows-1252.

    Notepad on a UK desktop saves 'ANSI' (Windows-1252) unless told otherwise, so a
    file that is not UTF-8 is read as that. Raises TemplateError with one sentence
    when it is neither (or cannot be read).
    """
    from pathlib import Path

    path = Path(path)
    if path.exists() and not path.is_file():
        raise TemplateError(f"Cannot read {what} '{path.name}': it is not an ordinary file.")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"Cannot read {what} '{path}': {exc.strerror or exc}.") from None
    text = decode_text(raw)
    if text is None:
        raise TemplateError(f"Cannot read {what} '{path.name}': it is not a text file in UTF-8 "
                            "or Windows-1252; open it in Notepad and save it with the encoding "
                            "UTF-8.")
    if has_xml_illegal(text):
        raise TemplateError(f"Cannot read {what} '{path.name}': it holds control characters, "
                            "so it is not a plain text file.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def fill(text: str, values: dict, subject: str, sources: dict | None = None) -> str:
    """Fill {placeholders}; a placeholder with no value is an error that names it.

    ``subject`` is what the text is for (an inspection id, a file name) and
    ``sources`` says where each value comes from, for the message.
    """
    sources = sources or {}

    def sub(m):
        key = m.group(1)
        if key not in values:
            raise TemplateError(f"The template uses {{{key}}}, which gain-pack does not "
                                f"know; use one of: {', '.join('{%s}' % k for k in values)}.")
        if values[key] in (None, ""):
            raise TemplateError(f"The text for {subject} needs {{{key}}} "
                                f"({sources.get(key, key)}), which is empty; fill it "
                                f"in on the register, start its paragraph with [if {key}] "
                                "(and give one starting [if no " + key + "] for when it is "
                                "empty), or take it out of the template.")
        return str(values[key])
    return re.sub(r"\{([a-z_]+)\}", sub, text)


_CONDITION = re.compile(r"\[if\s+(no\s+|not\s+)?([a-z_]+)\]\s*", re.I)


def fill_paragraphs(text: str, values: dict, subject: str,
                    sources: dict | None = None) -> list[str]:
    """The text's paragraphs, filled in.

    Lines starting with # are notes for whoever edits the file. A paragraph that
    starts with ``[if plenary_date]`` is used only when there is a plenary date,
    one that starts with ``[if no plenary_date]`` only when there is none, so the
    wording for each case lives in the template.
    """
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    out = []
    for para in re.split(r"\n\s*\n", "\n".join(lines)):
        para = " ".join(para.split())
        if not para:
            continue
        m = _CONDITION.match(para)
        if m:
            key = m.group(2).lower()
            if key not in values:
                raise TemplateError(f"The response template has [if {key}], which gain-pack "
                                    f"does not know; use one of: {', '.join(values)}.")
            present = values[key] not in (None, "")
            if present == bool(m.group(1)):
                continue
            para = para[m.end():]
        out.append(fill(para, values, subject, sources))
    return out
