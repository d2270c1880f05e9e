"""Writing .xlsx files safely: one way to open a workbook, one way to put it in place.

* Register text never becomes a formula or a link (xlsxwriter converts both by default).
* Fixed document properties, so the same inputs give a byte-identical file.
* Sheets are fastsheet.FastWorksheet: the same file, written in less time.
* Written to a temporary file beside the target and moved into place with os.replace:
  a failure leaves no partial file and keeps an older file of the same name intact.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from pathlib import Path

from gain_workbook.errors import OutputError
from gain_workbook.fastsheet import worksheet_class

# Excel stores document times in UTC; a fixed one keeps builds byte-identical.
FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=None)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, overwrite: bool = True):
    """Yield a temporary path beside ``target``; move it into place if the block succeeds."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"Cannot write '{target}': the folder '{folder}' does not exist.")
    if target.is_dir():
        raise OutputError(f"Cannot write '{target}': it is a folder.")
    if not overwrite and target.exists():
        raise OutputError(f"'{target}' already exists; pass --force to replace it.")
    fd, tmp = tempfile.mkstemp(prefix=".~gain-", suffix=target.suffix, dir=folder)
    os.close(fd)
    try:
        yield Path(tmp)
        try:
            os.replace(tmp, target)
        except PermissionError:
            raise OutputError(f"Cannot write '{target}': it is open in another program "
                              "(Excel?) or read-only; close it and try again.") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def new_workbook(path: str | os.PathLike, title: str = "", subject: str = "", **options):
    """An xlsxwriter Workbook with our safety options and fixed document properties."""
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
    wb.set_properties({"title": title, "subject": subject, "author": "gain-workbook",
                       "company": "", "created": FIXED_CREATED, "comments": ""})
    wb.set_calc_mode("auto")
    return wb


def close_workbook(wb, target) -> None:
    """Close (write) a workbook, turning xlsxwriter's file errors into OutputError."""
    import xlsxwriter.exceptions as xe

    try:
        wb.close()
    except (xe.FileCreateError, OSError) as exc:
        raise OutputError(f"Cannot write '{target}': {exc}.") from None
