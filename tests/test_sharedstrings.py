"""Our shared strings part is xlsxwriter's, byte for byte, except that no register text
is ever taken for a rich string's XML.

The texts are generated: control characters, xlsxwriter's _xHHHH_ escape and its
look-alikes, white space of every kind at either end, markup, and NUL (which our
writer joins texts with), in runs long and short (the run size is made small so that
runs with and without such a text meet).
"""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gain_workbook.excel import sharedstrings
from gain_workbook.excel import writer as xlsx

PIECES = st.sampled_from(["a", "Open", " ", "\t", "\n", "\r", "\xa0", "\u2028", "\x00", "\x07",
                          "\x1f", "\x0b", "_x0041_", "_x00", "_X004A_", "_xZZZZ_", "&", "<",
                          ">", "\"", "'", "<r>", "</r>", "£", "é", "😀", "_", "x"])
TEXTS = st.lists(PIECES, max_size=6).map("".join)


def part(cls, texts) -> str:
    """The <si> elements ``cls`` writes for these texts."""
    from xlsxwriter.sharedstrings import SharedStringTable

    table = SharedStringTable()
    table.string_array = list(texts)
    table.count = table.unique_count = len(texts)
    sst = cls()
    sst.string_table = table
    sst.fh = io.StringIO()
    sst._write_sst_strings()
    return sst.fh.getvalue()


def rich_looking(text: str) -> bool:
    return text.startswith("<r>") and text.endswith("</r>")


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(TEXTS, max_size=40, unique=True), run=st.integers(1, 7))
def test_the_part_is_xlsxwriters_for_any_texts(texts, run):
    from xlsxwriter.sharedstrings import SharedStrings as Stock

    texts = [t for t in texts if not rich_looking(t)]
    with pytest.MonkeyPatch.context() as m:
        m.setattr(sharedstrings, "RUN", run)
        assert part(sharedstrings._class(), texts) == part(Stock, texts)


def test_a_text_that_looks_like_a_rich_string_is_written_as_text(tmp_path):
    """xlsxwriter alone writes '<r>...</r>' into the part as XML: this one broke the file."""
    import python_calamine

    hostile = ["<r>boom</t></si></r>", "<r><t>looks rich</t></r>", " <r>spaced</r> "]
    out = tmp_path / "rich.xlsx"
    with xlsx.workbook_at(out) as wb:
        ws = wb.add_worksheet()
        for r, text in enumerate(hostile):
            ws.write_string(r, 0, text)
    rows = python_calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert [r[0] for r in rows] == hostile


def test_the_packager_gets_its_own_class_back_afterwards():
    from xlsxwriter import packager
    from xlsxwriter.sharedstrings import SharedStrings as Stock

    with sharedstrings.writing_shared_strings():
        assert packager.SharedStrings is sharedstrings._class()
    assert packager.SharedStrings is Stock
    with pytest.raises(RuntimeError):
        with sharedstrings.writing_shared_strings():
            raise RuntimeError
    assert packager.SharedStrings is Stock


def test_the_environment_and_a_difference_turn_the_run_writer_off_not_the_text_fix(
        monkeypatch, tmp_path):
    """GAIN_STOCK_XLSXWRITER=1 asks for xlsxwriter's own writer, as it does of
    fastsheet; a run writer that writes the sample otherwise than xlsxwriter is not
    used either. In both, a rich-string look-alike is still written as text."""
    import python_calamine

    from gain_workbook.excel import fastsheet

    def rich_survives() -> bool:
        out = tmp_path / "rich.xlsx"
        with xlsx.workbook_at(out) as wb:
            wb.add_worksheet().write_string(0, 0, "<r>boom</t></si></r>")
        rows = python_calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0)
        return rows.to_python()[0][0] == "<r>boom</t></si></r>"

    try:
        sharedstrings._class.cache_clear()
        assert sharedstrings._class().__dict__.get("_write_sst_strings") is not None
        monkeypatch.setenv(fastsheet.STOCK_ENV, "1")
        sharedstrings._class.cache_clear()
        assert "_write_sst_strings" not in vars(sharedstrings._class())
        assert rich_survives()
        monkeypatch.delenv(fastsheet.STOCK_ENV)
        monkeypatch.setattr(sharedstrings, "_elements", lambda joined: "<si><t>x</t></si>")
        sharedstrings._class.cache_clear()
        assert "_write_sst_strings" not in vars(sharedstrings._class())
        assert rich_survives()
    finally:
        sharedstrings._class.cache_clear()
        fastsheet.worksheet_class.cache_clear()
