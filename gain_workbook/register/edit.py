"""Write into the office's own register (a merge plan, a new report's rows), keeping the
workbook as they made it.

The one place gain-pack changes a register. A command says what it changes as data, a
``Changes``: cells of the register's tables (by table, row index and column key, as
the reader gave them), rows to add below a table, and rows to add to the history
sheets; ``write`` puts them into the file. How it does so is this module's business
alone. openpyxl loads the whole workbook, so
its other sheets, column order, extra columns, formats, dropdowns and conditional
formats are kept; only the cells the plan names change, and rows are added at the
bottom of the Updates and Extension requests sheets (made when missing). The file is
then replaced atomically, after a byte-for-byte backup beside it:

1. the new workbook is saved to a temporary file beside the register;
2. the backup ('<name> (before merge 2026-12-09 101500).xlsx') is written, itself
   atomically and as a new file: it never replaces anything (an older backup, a file
   that happens to have the name); a taken name gives way to the next, '... (2).xlsx';
3. the temporary file is moved over the register (os.replace).

Killed at any point, the register is the old one or the new one, never a mixture,
the new one only once its backup is whole beside it, and a later run removes the
temporary file (``files.sweep_stale``).

A workbook openpyxl cannot carry whole is refused before anything is written: one
with charts, pictures or pivot tables (openpyxl drops them), an .xls, one open in
Excel (its ~$ lock file beside it), or one marked read-only.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from gain_workbook.model import history
from gain_workbook.core.errors import OutputError, RegisterError
from gain_workbook.model.schema import BY_KEY
from gain_workbook.model.tables import PART_SPAN

# Parts of a workbook that openpyxl does not read, so would not write back.
_DROPPED = (("xl/charts/", "charts"), ("xl/media/", "pictures"), ("xl/pivotTables/", "pivot tables"),
            ("xl/drawings/vmlDrawing", None), ("xl/chartsheets/", "chart sheets"),
            ("xl/slicers/", "slicers"), ("xl/timelines/", "timelines"))
DATE_FORMAT = "DD/MM/YYYY"


def check_rewritable(register, command: str = "merge") -> None:
    """Refuse, before anything is written, a register this module could not keep whole."""
    path = Path(register.path)
    _refuse_read_only(path, command)
    if register.open_in_excel:
        raise OutputError(f"'{path.name}' is open in Excel (its lock file '~${path.name}' is "
                          f"beside it); close it in Excel and {_again(command)}. Nothing was "
                          "changed.")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise OutputError(f"'{path.name}' is not an .xlsx workbook, so {command} cannot write "
                          "into it; save it as .xlsx in Excel (or adopt it) and "
                          f"run {command} on that.")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    lost = sorted({what for prefix, what in _DROPPED if what
                   and any(n.startswith(prefix) for n in names)})
    if lost:
        raise OutputError(f"'{path.name}' holds {', '.join(lost)}, which the library that "
                          f"rewrites it would drop; {command} will not change a workbook it "
                          "cannot keep whole. Move them to another workbook (or "
                          f"run {command} on an adopted copy of the register). Nothing was "
                          "changed.")


def _refuse_read_only(path: Path, command: str) -> None:
    """A register marked read-only is not written into (Excel would not save over it)."""
    import os

    from gain_workbook.core.files import read_only

    try:
        marked = read_only(os.stat(path))
    except OSError:
        return                       # gone or unreadable: said where it is read
    if marked:
        raise OutputError(f"'{path.name}' is marked read-only, so {command} will not write "
                          "into it (nor would Excel save over it); clear the read-only mark "
                          f"and {_again(command)}. Nothing was changed.")


def _again(command: str) -> str:
    """'merge again' (a verb), 'run add-report again'."""
    return "merge again" if command == "merge" else f"run {command} again"


@dataclass(frozen=True)
class CellChange:
    """One cell of a table to change: the row's index in the table (as read), the column's
    key, and the new value (text, a date or None to empty it)."""

    table: str                   # schema.INSPECTIONS | ITEMS | ACTIONS
    index: int
    key: str
    value: object


@dataclass
class Changes:
    """What a command changes in a register, as data."""

    cells: list = field(default_factory=list)       # CellChange, in order
    rows: dict = field(default_factory=dict)        # table -> [{key: value}], added below it
    history: dict = field(default_factory=dict)     # history sheet name -> [row tuples]

    def __bool__(self) -> bool:
        return bool(self.cells or any(self.rows.values()) or any(self.history.values()))


def write(register, changes: Changes, now: dt.datetime, command: str,
          meanwhile=None) -> tuple[Path, list[str]]:
    """Write ``changes`` into the register file, atomically after a backup of its old
    bytes (named for ``command`` and ``now``): (backup path, notes on what was added).
    ``meanwhile`` (for tests) is called once the new workbook is made, before it is put
    in place."""

    def edit(wb, notes):
        _put_cells(wb, register, changes.cells, notes)
        for table, rows in changes.rows.items():
            if rows:
                _append_rows(wb, register, register.table(table), rows, notes)
        for name, rows in changes.history.items():
            if rows:
                _append(wb, name, history.SHEETS[name], rows)
        if meanwhile is not None:
            meanwhile()

    return _rewrite(register, edit, now, command)


def _put_cells(wb, register, cells: list, notes: list) -> None:
    """Each changed cell written where the reader found it; a column the sheet lacks is
    added at its right (once)."""
    import openpyxl

    headers_at = {s.name: s.header_row + 1 for s in register.plan.sheets
                  if s.header_row is not None}
    added: dict[tuple[str, str], int] = {}
    for change in cells:
        table = register.table(change.table)
        index = change.index
        sheet = table.sheet_of(index)
        ws = wb[sheet]
        letter = table.cell(change.key, index).rstrip("0123456789")
        if letter:
            col = openpyxl.utils.column_index_from_string(letter)
        else:
            col = added.get((sheet, change.key))
            if col is None:
                col = _add_column(ws, headers_at.get(sheet, 1), BY_KEY[change.key].header)
                added[(sheet, change.key)] = col
                notes.append(f"added a column '{BY_KEY[change.key].header}' to the sheet "
                             f"'{sheet}', which had none")
        _put(ws.cell(row=int(index) % PART_SPAN, column=col), change.value)


def _rewrite(register, edit, now: dt.datetime, command: str) -> tuple[Path, list[str]]:
    """Load the register, let ``edit(workbook, notes)`` change it, and replace the file
    atomically after a backup of its old bytes: (backup path, notes)."""
    import openpyxl

    from gain_workbook.core.files import atomic_path, write_new

    path = Path(register.path)
    check_rewritable(register, command)
    before = path.read_bytes()
    try:
        wb = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm",
                                    keep_links=True, rich_text=True)
    except Exception as exc:
        raise RegisterError(f"Cannot open '{path.name}' to write into it "
                            f"({type(exc).__name__}); nothing was changed.") from None
    notes: list[str] = []
    edit(wb, notes)
    with atomic_path(path, rewrite=True) as tmp:
        # saved in memory, then written in one go: openpyxl leaves its zip open when a
        # write fails (a full disk), and the zip's destructor then prints a traceback
        buf = io.BytesIO()
        try:
            wb.save(buf)
        except Exception as exc:
            raise OutputError(f"Cannot write '{path.name}': the workbook could not be saved "
                              f"({type(exc).__name__}); nothing was changed.") from None
        tmp.write_bytes(buf.getvalue())   # a fault here: atomic_path says which file and why
        if path.read_bytes() != before:
            raise OutputError(f"'{path.name}' changed while {command} was writing it (saved "
                              f"in Excel?); nothing was changed: {_again(command)}.")
        _refuse_read_only(path, command)     # (marked while it was being written)
        backup = write_new(history.backup_paths(path, now, command), before)
    return backup, notes


def _append_rows(wb, register, table, rows: list[dict], notes: list) -> None:
    """Rows (key -> value) added below a table's last row on its first sheet, each cell
    styled as the one above it; a column the sheet lacks is added at its right."""
    import copy

    import openpyxl

    from gain_workbook.excel.styles import LINE_HEIGHT, wrapped_lines

    part = table.parts[0]
    ws = wb[part.sheet]
    header_row = next((s.header_row + 1 for s in register.plan.sheets
                       if s.name == part.sheet and s.header_row is not None), 1)
    cols = {k: openpyxl.utils.column_index_from_string(letter)
            for k, (letter, _) in part.headers.items() if letter}
    for key in dict.fromkeys(k for r in rows for k, v in r.items() if v not in (None, "")):
        if key not in cols:
            cols[key] = _add_column(ws, header_row, BY_KEY[key].header)
            notes.append(f"added a column '{BY_KEY[key].header}' to the sheet '{part.sheet}', "
                         "which had none")
    last = _last_filled(ws, cols.values(), header_row)
    letters = {col: openpyxl.utils.get_column_letter(col) for col in cols.values()}
    for n, row in enumerate(rows, start=last + 1):
        lines = 1
        for key, col in cols.items():
            cell = ws.cell(row=n, column=col)
            if last > header_row:
                above = ws.cell(row=last, column=col)
                if above.has_style:
                    cell._style = copy.copy(above._style)
            value = row.get(key)
            _put(cell, value)
            if isinstance(value, str) and cell.alignment.wrap_text:
                width = ws.column_dimensions[letters[col]].width or 8.43
                lines = max(lines, wrapped_lines(value, width))
        if lines > 1:             # Excel does not grow a row for wrapped text it did not type
            ws.row_dimensions[n].height = LINE_HEIGHT * lines + 3


def _last_filled(ws, columns, floor: int) -> int:
    """The last row below ``floor`` with a value in any of ``columns`` (else ``floor``):
    where new rows go, after a table that may have blank formatted rows below it."""
    columns = list(columns)
    return next((r for r in range(ws.max_row, floor, -1)
                 if any(ws.cell(row=r, column=c).value not in (None, "") for c in columns)),
                floor)


def _add_column(ws, header_row: int, header: str) -> int:
    col = ws.max_column + 1
    _put(ws.cell(row=header_row, column=col), header)
    return col


def _put(cell, value) -> None:
    """A value into a cell as data: text stays text (never a formula), a date a date."""
    from openpyxl.cell.cell import MergedCell

    if isinstance(cell, MergedCell):
        raise OutputError(f"Cannot write {cell.coordinate} on '{cell.parent.title}': it is part "
                          "of merged cells; unmerge them in Excel and merge again. Nothing was "
                          "changed.")
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, dt.date):
        cell.value = dt.datetime(value.year, value.month, value.day)
        if cell.number_format in ("General", ""):
            cell.number_format = DATE_FORMAT
    else:
        cell.value = str(value)
        cell.data_type = "s"         # '=...' from an owner is text, not a formula


def _append(wb, name: str, headers: tuple, rows: list) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if name in wb.sheetnames:
        ws = wb[name]
    else:
        ws = wb.create_sheet(name)
        for c, h in enumerate(headers, start=1):
            ws.cell(row=1, column=c, value=h).font = Font(bold=True)
        ws.freeze_panes = "A2"
        for c, width in enumerate((12, 20, 16, 30, 30, 22, 34, 14, 16), start=1):
            ws.column_dimensions[get_column_letter(c)].width = width
    last = _last_filled(ws, range(1, len(headers) + 1), 1)
    for n, values in enumerate(rows, start=last + 1):
        for c, v in enumerate(values, start=1):
            _put(ws.cell(row=n, column=c), v)

