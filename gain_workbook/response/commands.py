"""`gain-pack response`: the PCC's response to one inspection, all of them or the open
ones, as published or as the office's working copy; as a workbook, a Word document, a
tagged PDF and a web page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gain_workbook.core.results import ReadResult


@dataclass(kw_only=True)
class ResponseResult(ReadResult):
    written: list               # the workbook, then any Word, PDF and web page copy
    inspections: int
    working: bool = False
    kept: list = field(default_factory=list)   # (output, backup of the different file it replaced)


def check_tools(pdf: bool) -> None:
    """Refuse a PDF before any work when LibreOffice, which makes it, is not installed."""
    from gain_workbook.core.libreoffice import LIBREOFFICE_MISSING, find_soffice

    if pdf and find_soffice() is None:
        from gain_workbook.core.errors import ToolError

        raise ToolError(LIBREOFFICE_MISSING)


def response(checked, day: dt.date, inspection_id: str | None = None, all_: bool = False,
             open_: bool = False, output=None, template=None, working: bool = False,
             pdf: bool = False, docx: bool = False, html: bool = False,
             now: dt.datetime | None = None) -> ResponseResult:
    """The responses of a checked register: for ``inspection_id``, ``all_`` inspections or
    the ``open_`` ones. ``template``: an edited process text. ``now``: the time in the
    name of the backup kept of an earlier output these replace."""
    from gain_workbook.response.document import select_inspections
    from gain_workbook.status.rollup import roll_up

    text = process_text(checked, template)
    rolled = roll_up(checked.reg, day)
    chosen = select_inspections(rolled, inspection_id, all_, open_)
    if not chosen:              # --open in a month with no response waiting: not an error
        return ResponseResult(register=checked.reg, written=[], inspections=0,
                              working=working, notes=[NONE_WAITING])
    return respond(checked, rolled, chosen, text, day, output, working, pdf, docx, html, now)


NONE_WAITING = ("no inspection is waiting for its response (every one has been sent or "
                "published, or needs none), so nothing was written.")


def process_text(checked, template) -> str:
    """The force's process text for the response: ``template``, else the register's
    'Response template' Setting, else the bundled one."""
    from gain_workbook.response.document import load_process_text, process_text_path

    return load_process_text(process_text_path(checked.path, checked.reg.settings, template))


def same_output(path, old: bytes, new: bytes) -> bool:
    """Is a response file the same as the one it would replace? Byte for byte, but a
    PDF, which LibreOffice stamps with the time it made it, but for those stamps."""
    from gain_workbook.core.libreoffice import same_pdf

    return same_pdf(old, new) if Path(path).suffix.lower() == ".pdf" else old == new


def respond(checked, rolled, chosen, text, day, output=None, working=False, pdf=False,
            docx=False, html=False, now=None) -> ResponseResult:
    """Write the responses of the ``chosen`` inspections: the workbook (``output``, by
    default named from them), then the Word, PDF and web page copies beside it when
    asked for. The PDF is made from the Word copy (its headings and tables tag it).
    An earlier output these replace with other bytes (a Word copy finished in Word) is
    kept beside it first, ``now`` in its name."""
    from gain_workbook.core.files import all_or_nothing, check_output, keeping_previous
    from gain_workbook.model.history import backup_paths
    from gain_workbook.response.document import (default_response_name, documents,
                                                 response_warnings)
    from gain_workbook.response.sheet import write_responses

    responses = documents(rolled, chosen, text, working=working)
    out = Path(output or default_response_name(checked.path, chosen, working))
    extra = {s: out.with_suffix(s) for s, on in ((".docx", docx), (".pdf", pdf),
                                                 (".html", html)) if on}
    for path in extra.values():
        check_output(path)                  # refused before anything is written
    settings = rolled.settings
    # the workbook and its copies, or none of them: a PDF that LibreOffice could not make
    # in time leaves no workbook that says otherwise
    with all_or_nothing(), keeping_previous(
            lambda path: backup_paths(path, now or dt.datetime.now(), "response"),
            same_output) as kept:
        written = [write_responses(responses, settings, day, out, working)]
        if ".docx" in extra:
            from gain_workbook.response.word import write_docx

            written.append(write_docx(responses, settings, day, extra[".docx"], working))
        if ".pdf" in extra:
            from gain_workbook.response.pdf import write_pdf

            written.append(write_pdf(responses, settings, day, extra[".pdf"], working,
                                     settings.libreoffice_seconds, extra.get(".docx")))
        if ".html" in extra:
            from gain_workbook.response.html import write_html

            written.append(write_html(responses, settings, extra[".html"], working))
    return ResponseResult(register=checked.reg, written=written, inspections=len(chosen),
                          working=working, warnings=response_warnings(responses, chosen),
                          kept=kept)
