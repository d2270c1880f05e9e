"""The board pack as a format: what build writes, packfile reads back, by the same specs."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from gain_workbook.excel import packfile
from gain_workbook.core.errors import RegisterError
from gain_workbook.cli import cli
from gain_workbook.register.reader import read_register
from gain_workbook.status.rollup import roll_up

AS_OF = dt.date(2026, 11, 28)


@pytest.fixture
def built(runner, example_register, tmp_path):
    out = tmp_path / "pack.xlsx"
    result = runner.invoke(cli, ["build", str(example_register), "-o", str(out), "--as-of",
                                 "2026-11-28", "--meeting", "2026-12-03"])
    assert result.exit_code == 0, result.output + result.stderr
    return out, roll_up(read_register(example_register), AS_OF)


def test_a_pack_reads_back_through_packfile_only(built, example_register):
    out, rolled = built
    wb = packfile.open_workbook(out)
    info = packfile.read_info(wb, out.name)
    assert info.as_of == AS_OF
    assert info.register == example_register.name
    assert info.meeting == "3 December 2026"
    want = rolled.headline()
    assert info.headline == {key: want[key] for _, key in packfile.HEADLINE}

    items = packfile.read_table(wb, packfile.ITEMS_SHEET, [c.key for c in packfile.ITEM_COLS],
                                out.name)
    assert list(items.columns) == [c.key for c in packfile.ITEM_COLS]
    mine = rolled.items.set_index("item_id")
    assert sorted(items["item_id"]) == sorted(mine.index)
    for _, row in items.iterrows():
        src = mine.loc[row["item_id"]]
        assert row["status"] == src["status"] and row["rag"] == src["rag"]
        assert row["label"] == src["label"] and row["item_text"] == src["item_text"]
        for key in ("deadline", "next_due"):
            assert (pd.isna(row[key]) and pd.isna(src[key])) or row[key] == src[key], key

    acts = packfile.read_table(wb, packfile.ACTIONS_SHEET,
                               [c.key for c in packfile.ACTION_COLS], out.name)
    mine = rolled.actions.set_index("action_id")
    assert sorted(acts["action_id"]) == sorted(mine.index)
    for _, row in acts.iterrows():
        src = mine.loc[row["action_id"]]
        assert row["action_status"] == src["action_status"]
        assert row["effective_due"] == src["effective_due"]
        shown = row["days_overdue_n"]
        assert (shown is None) == (not src["overdue"])
        if src["overdue"]:
            assert shown == src["days_overdue"]


def test_the_pack_sheets_use_the_specs_headers(built):
    """The writer lays the tables out from the same Col specs (header row 4)."""
    out, _ = built
    wb = openpyxl.load_workbook(out, read_only=True)
    for sheet, cols in packfile.TABLES.items():
        header = [c.value for c in next(wb[sheet].iter_rows(min_row=4, max_row=4))]
        assert header[:len(cols)] == [c.header for c in cols]


def test_a_workbook_that_only_looks_like_a_pack_is_refused(tmp_path):
    path = tmp_path / "fake.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = packfile.PACK_INFO_SHEET
    wb.active.append(["Marker", "something else"])
    wb.save(path)
    with pytest.raises(RegisterError, match="not a board pack written by gain-pack"):
        packfile.read_info(packfile.open_workbook(path), path.name)


def test_a_pack_missing_a_column_says_which(built, tmp_path):
    out, _ = built
    wb = openpyxl.load_workbook(out)
    ws = wb[packfile.ACTIONS_SHEET]
    for cell in ws[4]:
        if cell.value == "Effective due":
            cell.value = "Due (moved)"
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    with pytest.raises(RegisterError, match="missing the Actions columns Effective due"):
        packfile.read_table(packfile.open_workbook(edited), packfile.ACTIONS_SHEET,
                            ["action_id", "effective_due"], edited.name)


def test_a_register_is_not_a_pack(example_register):
    assert packfile.read_info(packfile.open_workbook(example_register),
                              example_register.name) is None
