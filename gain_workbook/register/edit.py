"""Write into the office's own register (a merge plan, a new report's rows), keeping the
workbook as they made it.

The one place gain-pack changes a register. A command says what it changes as data, a
``Changes``: cells of the register's tables (by table, row index and column key, as
the reader gave them), rows to add below a table, and rows to add to the history
sheets; ``write`` puts them into the file. How it does so is this module's business
alone, and it is the register's policy: where rows go (below a table's last filled
row, each cell in the format of the one above it, a row made tall enough for wrapped
text), which cells (the reader's), a column the sheet lacks added at its right, the
Updates and Extension requests sheets made when missing, and the backup. The package
itself is changed by ``excel/package.py``, which rewrites only the parts it must (the
edited sheets, the shared strings, and what a new sheet or a grown table needs) and
copies every other part byte for byte: charts, pivot tables, drawings, pictures,
comments, VBA projects, slicers, custom XML, defined names, styles and themes are
kept as they were. The file is then replaced atomically, after a byte-for-byte backup
beside it:

1. the new workbook is written to a temporary file beside the register;
2. the backup ('<name> (before merge 2026-12-09 101500).xlsx') is written, itself
   atomically and as a new file: it never replaces anything (an older backup, a file
   that happens to have the name); a taken name gives way to the next, '... (2).xlsx';
3. the temporary file is moved over the register (os.replace).

Killed at any point, the register is the old one or the new one, never a mixture,
the new one only once its backup is whole beside it, and a later run removes the
temporary file (``files.sweep_stale``).

Refused before anything is written: a register open in Excel (its ~$ lock file beside
it), one marked read-only, one that is not an .xlsx or .xlsm, and one that changed
since it was read (or while it was being written).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gain_workbook.model import history
from gain_workbook.core.errors import OutputError
from gain_workbook.model.schema import BY_KEY
from gain_workbook.model.tables import PART_SPAN


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
    from gain_workbook.core.files import rewriting

    with rewriting(register.path, command):
        return _write(register, changes, now, command, meanwhile)


def _write(register, changes: Changes, now: dt.datetime, command: str,
           meanwhile=None) -> tuple[Path, list[str]]:
    from gain_workbook.core.files import atomic_path, write_new
    from gain_workbook.excel.package import Package

    path = Path(register.path)
    check_rewritable(register, command)
    before = path.read_bytes()
    if getattr(register, "stamp", None) is not None and _stamp(path) != register.stamp:
        raise OutputError(f"'{path.name}' changed after {command} read it (saved in Excel, "
                          "or written by another gain-pack command?); nothing was changed: "
                          f"{_again(command)}.")
    pkg = Package(before, path.name)
    notes: list[str] = []
    _put_cells(pkg, register, changes.cells, notes, command)
    for table, rows in changes.rows.items():
        if rows:
            _append_rows(pkg, register, register.table(table), rows, notes, command)
    for name, rows in changes.history.items():
        if rows:
            _append(pkg, name, history.SHEETS[name], rows, command)
    with atomic_path(path, rewrite=True) as tmp:
        with open(tmp, "wb") as fh:
            pkg.save(fh)
        notes += pkg.notes
        if meanwhile is not None:
            meanwhile()
        if path.read_bytes() != before:
            raise OutputError(f"'{path.name}' changed while {command} was writing it (saved "
                              f"in Excel?); nothing was changed: {_again(command)}.")
        _refuse_read_only(path, command)     # (marked while it was being written)
        backup = write_new(history.backup_paths(path, now, command), before)
    return backup, notes


def _stamp(path: Path):
    """What says a file is still the one that was read: its size and modification time."""
    import os

    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _put_cells(pkg, register, cells: list, notes: list, command: str) -> None:
    """Each changed cell written where the reader found it; a column the sheet lacks is
    added at its right (once)."""
    from gain_workbook.excel.package import col_number

    headers_at = {s.name: s.header_row + 1 for s in register.plan.sheets
                  if s.header_row is not None}
    added: dict[tuple[str, str], int] = {}
    for change in cells:                     # the sheets that lack a column, opened to widen
        table = register.table(change.table)
        if not table.cell(change.key, change.index):
            pkg.sheet(table.sheet_of(change.index), widen=True)
    for change in cells:
        table = register.table(change.table)
        index = change.index
        sheet = table.sheet_of(index)
        ws = pkg.sheet(sheet)
        letter = table.cell(change.key, index).rstrip("0123456789")
        if letter:
            col = col_number(letter)
        else:
            col = added.get((sheet, change.key))
            if col is None:
                col = ws.add_column(headers_at.get(sheet, 1), BY_KEY[change.key].header)
                added[(sheet, change.key)] = col
                notes.append(f"added a column '{BY_KEY[change.key].header}' to the sheet "
                             f"'{sheet}', which had none")
        row = int(index) % PART_SPAN
        _check_not_merged(ws, row, col, command)
        ws.set(row, col, change.value)


def _check_not_merged(ws, row: int, col: int, command: str) -> None:
    from gain_workbook.excel.package import col_letters

    if ws.merged_at(row, col):
        raise OutputError(f"Cannot write {col_letters(col)}{row} on '{ws.name}': it is part "
                          f"of merged cells ({ws.merged_at(row, col)}); unmerge them in Excel "
                          f"and {_again(command)}. Nothing was changed.")


def _append_rows(pkg, register, table, rows: list[dict], notes: list, command: str) -> None:
    """Rows (key -> value) added below a table's last row on its first sheet, each cell
    styled as the one above it; a column the sheet lacks is added at its right."""
    from gain_workbook.excel.package import col_number
    from gain_workbook.excel.styles import LINE_HEIGHT, wrapped_lines

    part = table.parts[0]
    header_row = next((s.header_row + 1 for s in register.plan.sheets
                       if s.name == part.sheet and s.header_row is not None), 1)
    cols = {k: col_number(letter) for k, (letter, _) in part.headers.items() if letter}
    lacking = [k for k in dict.fromkeys(k for r in rows for k, v in r.items()
                                        if v not in (None, "")) if k not in cols]
    ws = pkg.sheet(part.sheet, widen=bool(lacking))
    for key in lacking:
        if key not in cols:
            cols[key] = ws.add_column(header_row, BY_KEY[key].header)
            notes.append(f"added a column '{BY_KEY[key].header}' to the sheet '{part.sheet}', "
                         "which had none")
    first, last = ws.append([{col: row.get(key) for key, col in cols.items()} for row in rows],
                            cols.values(), header_row)
    for n in range(first, last + 1):         # (merged cells below the table, a notes block)
        for col in cols.values():
            _check_not_merged(ws, n, col, command)
    styles = ws.styles_of_row(first)
    wraps = {col: pkg.styles.wraps(styles.get(col)) for col in cols.values()}
    for n, row in enumerate(rows, start=first):
        lines = max([wrapped_lines(row.get(key), ws.width(col)) for key, col in cols.items()
                     if isinstance(row.get(key), str) and wraps[col]] or [1])
        if lines > 1:             # Excel does not grow a row for wrapped text it did not type
            ws.set_height(n, LINE_HEIGHT * lines + 3)


def _append(pkg, name: str, headers: tuple, rows: list, command: str) -> None:
    """Rows added below a history sheet's last row; the sheet made (bold headers, the
    header row frozen) when the register has none."""
    if name in pkg.sheet_names():
        ws = pkg.sheet(name)
    else:
        ws = pkg.add_sheet(name, widths=(12, 20, 16, 30, 30, 22, 34, 14, 16), freeze_row=1)
        bold = pkg.styles.derive(0, bold=True)
        for c, h in enumerate(headers, start=1):
            ws.set(1, c, h, bold)
    columns = range(1, len(headers) + 1)
    first, last = ws.append([dict(zip(columns, values)) for values in rows], columns, 1)
    for n in range(first, last + 1):
        for col in columns:
            _check_not_merged(ws, n, col, command)
