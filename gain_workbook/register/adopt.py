"""`gain-pack adopt`: an office's own register written into our template.

Every value is kept: our columns hold what was read (a date column's 'TBC' or
'Q1 2026' as it was typed, a misspelt status as the word it was read as), the
office's other columns follow at the right, and a "Read from" sheet gives each row's
original sheet and row. Reading the new workbook gives the same canonical tables as
reading the original. The original is only read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gain_workbook.model import schema
from gain_workbook.register.reader import PART_SPAN, Register, read_register
from gain_workbook.model.settings import SETTINGS, Settings
from gain_workbook.register.template import write_register_template


def adopt(register, output, force: bool = False) -> tuple[Path, Register]:
    """Write ``register`` into a new template workbook at ``output``: (path, what was read)."""
    reg = read_register(register)
    data, extra_headers, read_from = template_data(reg)
    path = write_register_template(output, force=force, data=data,
                                   extra_headers=extra_headers, read_from=read_from)
    return path, reg


def template_data(reg: Register) -> tuple[dict, dict, list]:
    """(rows per table keyed by our headers, the office's extra headers, Read from rows)."""
    data = {"settings": _settings(reg.settings)}
    extra_headers: dict = {}
    read_from = []
    for table in schema.TABLES + schema.OPTIONAL_TABLES:
        t = reg.table(table)
        if t is None:
            continue
        cols = schema.columns_of(table)
        extras = t.extras
        ours = {c.header.casefold() for c in cols}
        # an extra header that is one of ours gets a suffix, so it cannot be read as ours
        named = {h: (h if h.casefold() not in ours else f"{h} (yours)") for h in extras}
        extra_headers[table] = list(named.values())
        rows = []
        for n, (index, values) in enumerate(zip(t.frame.index, t.frame.itertuples(index=False)),
                                            start=2):
            row = {}
            for col, value in zip(cols, values):
                value = t.raw.get((col.key, index), value) if col.key != "action_id" else value
                if value is None or value != value:
                    continue
                row[col.header] = value if isinstance(value, dt.date) else str(value)
            for header, cells in extras.items():
                if index in cells:
                    row[named[header]] = cells[index]     # never one of our headers
            rows.append(row)
            read_from.append((schema.SHEET_NAMES[table], n, t.sheet_of(index),
                              int(index) % PART_SPAN))
        data[table] = rows
    if reg.owners is None:
        # every owner named once on Owners, for the office to give their addresses
        names = {" ".join(str(o).split()) for o in reg.actions.frame["owner"].dropna()}
        data[schema.OWNERS] = [{"Name": n} for n in sorted(names, key=str.casefold)]
    return data, extra_headers, read_from


def _settings(settings: Settings) -> dict:
    """The Settings sheet's values by label (defaults left blank, aliases not needed)."""
    out = {}
    default = Settings()
    for s in SETTINGS:
        value = getattr(settings, s.attr)
        if value != getattr(default, s.attr) or s.kind == "int":
            out[s.label] = value
    return out
