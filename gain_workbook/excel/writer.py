"""Writing .xlsx files safely: one way to write a workbook, one way to build a page header.

* Register text never becomes a formula or a link (xlsxwriter converts both by default).
* Fixed document properties, so the same inputs give a byte-identical file.
* Sheets are fastsheet.FastWorksheet, and the shared strings part is written by
  sharedstrings.SharedStrings: the same file, written in less time (and no register
  text taken for xlsxwriter's rich-string XML).
* Written through files.atomic_path (the output guard, then a temporary file moved
  into place), with xlsxwriter's own scratch files in a private folder that is
  removed whatever happens (they hold register text).
* A warning from xlsxwriter means it dropped or changed something (a header it
  refused drops the protective marking from every page): it stops the write with
  one sentence instead of reaching the terminal as noise.
* Page headers and footers are built by ``header_footer``: register and Settings text
  fully escaped, within Excel's 255 characters, the marking never shortened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

from gain_workbook.core.errors import OutputError, SettingsError
from gain_workbook.excel.fastsheet import worksheet_class
from gain_workbook.core.files import atomic_path, work_dir
from gain_workbook.core.text import utf16_len, xml_safe

__all__ = ["atomic_path", "workbook_at", "new_workbook", "close_workbook", "Part",
           "header_footer", "FIXED_CREATED"]

# Excel stores document times in UTC; a fixed one keeps builds byte-identical.
FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=None)
HEADER_LIMIT = 255          # Excel's limit for a header or footer, codes included
HEADER_FONT = "Calibri"


def new_workbook(path: str | os.PathLike, title: str = "", subject: str = "",
                 created: dt.date | None = None, **options):
    """An xlsxwriter Workbook with our safety options and fixed document properties.

    ``created`` is the date the file is for (a pack's as-of date), at midnight, so the
    same inputs still give the same bytes; without one, FIXED_CREATED.
    """
    import xlsxwriter

    opts = {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "nan_inf_to_errors": True,
        "default_date_format": "dd/mm/yyyy",
    }
    opts.update(options)
    wb = xlsxwriter.Workbook(str(path), opts)
    fast = worksheet_class()
    if fast is not None:
        wb.worksheet_class = fast   # xlsxwriter's hook for a Worksheet subclass
    wb.set_properties({"title": xml_safe(title), "subject": xml_safe(subject),
                       "author": "gain-workbook", "company": "",
                       "created": FIXED_CREATED if created is None else
                       dt.datetime(created.year, created.month, created.day),
                       "comments": ""})
    wb.set_calc_mode("auto")
    return wb


_CLOSING = threading.RLock()


def close_workbook(wb, target) -> None:
    """Close (write) a workbook, turning xlsxwriter's file errors into OutputError."""
    import xlsxwriter.exceptions as xe

    from gain_workbook.core.files import fault

    from gain_workbook.excel.sharedstrings import writing_shared_strings

    from gain_workbook.excel import overlap

    packing = overlap.overlapped_packing if worksheet_class() is not None and \
        overlap.worth_it(wb) and overlap.usable() else contextlib.nullcontext
    try:
        # (both put their own classes into xlsxwriter's modules while the workbook is
        # written: one workbook at a time, whatever thread closes it)
        with _CLOSING, writing_shared_strings(), packing():
            wb.close()
    except OSError as exc:
        raise fault(target, exc) from None
    except xe.FileCreateError as exc:
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
        if inner is not None:
            raise fault(target, inner) from None
        raise OutputError(f"Cannot write '{target}': {exc}.") from None


@contextlib.contextmanager
def workbook_at(target, title: str = "", subject: str = "", overwrite: bool = True,
                created: dt.date | None = None, **options):
    """Yield a new Workbook; when the block ends, write it to ``target`` atomically.

    Nothing is left behind if the block or the write fails: not the temporary file
    beside the target, not xlsxwriter's scratch files.
    """
    in_memory = options.get("in_memory", False)
    with atomic_path(target, overwrite=overwrite) as tmp, \
            (contextlib.nullcontext(None) if in_memory else work_dir()) as scratch:
        if Path(target).suffix.lower() != ".xlsx":
            # (after the output guard's own refusals, which say more) Excel opens a file
            # by its name: a workbook called 'pack.csv' or 'response.docx' would not
            # open, and --docx/--pdf beside it would take the same name
            raise OutputError(f"'{Path(target).name}' is not a name for a workbook; give it "
                              f"the ending .xlsx ('{Path(target).with_suffix('.xlsx').name}').")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if scratch is not None:
                options["tmpdir"] = str(scratch)
            wb = new_workbook(tmp, title=title, subject=subject, created=created, **options)
            try:
                yield wb
                close_workbook(wb, target)
            finally:
                wb.fileclosed = True    # xlsxwriter 1.x-2.x would close again when collected
        # xlsxwriter says what it refused with a UserWarning; a ResourceWarning is the
        # collector closing someone else's file while xlsxwriter's code happened to run.
        ours = [w for w in caught if issubclass(w.category, UserWarning)
                and "xlsxwriter" in str(w.filename)]
        for w in caught:
            if w not in ours:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if ours:
            first = str(ours[0].message).split(":")[0].strip()
            raise OutputError(f"Cannot write '{Path(target).name}' as it should be: the "
                              f"spreadsheet library refused part of it ({first}); nothing was "
                              "written. Please report this.")


# ---------------------------------------------------------------- page headers

@dataclass(frozen=True)
class Part:
    """One piece of a header or footer section.

    ``shorten`` orders what gives way when the whole is over Excel's limit: the
    highest goes first; 0 is never shortened (the protective marking). ``code`` is
    text holding Excel's own codes (``Page &P of &N``), written as it is.
    """

    text: str
    bold: bool = False
    shorten: int = 0
    code: bool = False


def _font(bold: bool, size: int) -> str:
    # size first: a size code directly before text that starts with a digit would
    # swallow it ("&10" + "2 OFFICIAL" is size 102); the font name code ends in a quote.
    return f'&{size}&"{HEADER_FONT},{"Bold" if bold else "Regular"}"'


def _escaped(text: str, font: str) -> str:
    s = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("&", "&&")
    # xlsxwriter counts every "&G" (and "&[Picture]") as a picture placeholder, even the
    # "&G" inside an escaped "&&G": repeat the font code between them (Excel shows "&G").
    return re.sub(r"&&(?=[G\[])", lambda m: "&&" + font, s)


def _render(sections: dict, texts: dict, size: int) -> str:
    out = []
    for pos in ("L", "C", "R"):
        parts = sections.get(pos) or ()
        if not parts:
            continue
        out.append(f"&{pos}")
        current = None              # a font code only where the style changes
        for i, part in enumerate(parts):
            text = part.text if part.code else texts[(pos, i)]
            if not text:
                continue
            font = _font(part.bold, size)
            if font != current:
                out.append(font)
                current = font
            out.append(text if part.code else _escaped(text, font))
    return "".join(out)


def header_footer(left=(), center=(), right=(), size: int = 10,
                  what: str = "page header") -> str:
    """A header or footer string: text escaped, within Excel's 255 characters.

    Parts with ``shorten`` > 0 are cut (with an ellipsis) from the highest down until
    it fits; if it cannot fit without cutting a part that must not be cut (the
    marking), SettingsError says so.
    """
    sections = {"L": tuple(left), "C": tuple(center), "R": tuple(right)}
    texts = {(pos, i): xml_safe(str(p.text)) for pos, parts in sections.items()
             for i, p in enumerate(parts)}
    cuttable = sorted(((p.shorten, pos, i) for pos, parts in sections.items()
                       for i, p in enumerate(parts) if p.shorten > 0 and not p.code),
                      reverse=True)
    result = _render(sections, texts, size)
    for _, pos, i in cuttable:
        while utf16_len(result) > HEADER_LIMIT and texts[(pos, i)]:
            over = utf16_len(result) - HEADER_LIMIT
            t = texts[(pos, i)]
            keep = max(0, len(t) - over - 1)
            texts[(pos, i)] = (t[:keep].rstrip() + "…") if keep else ""
            result = _render(sections, texts, size)
    if utf16_len(result) > HEADER_LIMIT:
        fixed = [texts[(pos, i)] for pos, parts in sections.items()
                 for i, p in enumerate(parts) if p.shorten == 0 and not p.code]
        longest = max(fixed, key=len, default="")
        raise SettingsError(
            f"The protective marking '{longest[:60]}{'...' if len(longest) > 60 else ''}' is too "
            f"long for the {what}: Excel allows {HEADER_LIMIT} characters there, page codes "
            "included, and the marking must be printed whole; shorten it on the Settings sheet.")
    return result
