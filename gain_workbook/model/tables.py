"""The canonical tables a register is read into, and where each value came from.

A table may be read from several sheets (open and archived actions): each is a
``Part`` with its own columns, and the table's index says which part a row came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gain_workbook.model.schema import BY_KEY

# A table read from several sheets indexes each sheet's rows from part * PART_SPAN + the
# Excel row (more than any sheet's rows), so the first sheet's index is its Excel rows.
PART_SPAN = 10_000_000


@dataclass
class Part:
    """One sheet a table was read from, and where each of its columns is on it."""

    sheet: str
    headers: dict = field(default_factory=dict)    # key -> (letter, header)
    extra_headers: list = field(default_factory=list)


@dataclass
class Table:
    """One canonical table and where it came from.

    ``frame`` has one column per schema key of the table (object dtype) and is
    indexed by where each row was read: the Excel row on the table's first sheet,
    ``part * PART_SPAN`` + the Excel row on the others (see ``parts``).
    ``raw`` keeps a cell's value as written where the canonical value does not
    carry it ('TBC' read as no date, 'Q1 2026' read as 30/06/2026).
    """

    name: str
    parts: list[Part]
    frame: object                                   # pandas.DataFrame
    raw: dict = field(default_factory=dict)         # (key, index) -> value as written
    extras: dict = field(default_factory=dict)      # header -> {index: value} of columns not used

    @property
    def sheet(self) -> str:
        """The (first) sheet the table was read from."""
        return self.parts[0].sheet

    @property
    def sheets(self) -> list[str]:
        return list(dict.fromkeys(p.sheet for p in self.parts))

    @property
    def headers(self) -> dict[str, tuple[str, str]]:
        """key -> (letter, header) of every column the table's sheets have (first wins)."""
        out: dict = {}
        for p in self.parts:
            for k, v in p.headers.items():
                out.setdefault(k, v)
        return out

    @property
    def extra_headers(self) -> list[str]:
        return list(dict.fromkeys(h for p in self.parts for h in p.extra_headers))

    def part(self, row) -> Part:
        return self.parts[min(int(row) // PART_SPAN, len(self.parts) - 1)]

    def sheet_of(self, row) -> str:
        return self.part(row).sheet

    def cell(self, key: str, row) -> str:
        """'F12' for a key and a row, or '' when the column is not on the row's sheet."""
        src = self.part(row).headers.get(key)
        return f"{src[0]}{int(row) % PART_SPAN}" if src and src[0] else ""

    def header(self, key: str, row=None) -> str:
        """The header as the user wrote it, or our own header if the column is missing."""
        src = (self.part(row).headers if row is not None else self.headers).get(key)
        return src[1] if src else BY_KEY[key].header

    def where(self, key: str, row) -> tuple[str, str, str]:
        """(sheet, cell, header) of a key's value in a row, for a Problem."""
        return self.sheet_of(row), self.cell(key, row), self.header(key, row)

    def first_index(self, key: str) -> dict:
        """{value as text: index of the first row holding it} for a column (an id's rows)."""
        out: dict = {}
        for index, value in zip(self.frame.index, self.frame[key]):
            if value is not None:
                out.setdefault(str(value), index)
        return out

    def has(self, key: str, row) -> bool:
        """Is the key's column on the sheet this row was read from?"""
        return key in self.part(row).headers

    def __len__(self) -> int:
        return len(self.frame)
