"""The workbook's shared strings part, written safely and at the speed of its bytes.

xlsxwriter writes every distinct text of a workbook into ``xl/sharedStrings.xml``
one at a time, through five calls and two regular expressions each: at 100,000
actions that is 357,000 texts and about a tenth of the build. And it writes a text
that begins ``<r>`` and ends ``</r>`` as it stands, taking it for one of its own rich
strings: register text such as ``<r>x</t></si></r>`` would go into the part as XML
and break the file (python-calamine, Excel and LibreOffice all refuse it). gain-pack
never writes rich strings, so here every text is text.

:class:`SharedStrings` keeps xlsxwriter's part otherwise byte for byte. Texts are
looked at a run of a few thousand at once, joined: a run in which none needs more
than ``&``, ``<`` and ``>`` escaped (no control character, no ``_xHHHH_`` look-alike,
no space at either end: nearly all of them) is written in one piece; in any other,
such a text goes through xlsxwriter's own escaping of control characters and its
``xml:space`` rule. :func:`writing_shared_strings` puts it in place of xlsxwriter's
while a workbook is written (xlsxwriter's packager has no hook for it). The
part is compared with xlsxwriter's for a sample of awkward texts once a process
(:func:`_class`; on any difference xlsxwriter's own text by text is used), as is the
whole fastsheet sample file, and tests/test_sharedstrings.py compares generated texts.
``GAIN_STOCK_XLSXWRITER=1`` asks for xlsxwriter's own writer here too; a rich-string
look-alike is still written as text.
"""

from __future__ import annotations

import contextlib
import functools
import re

# what xlsxwriter escapes in a text besides &, < and >: a control character (as
# _xHHHH_), and a literal look-alike of that escape (its underscore escaped)
CONTROL = re.compile(r"[\x01-\x08\x0b-\x1f]")      # (\x00 is looked for apart)
ESCAPE_LIKE = re.compile(r"_x[0-9a-fA-F]{4}_")
RUN = 4096          # texts looked at and written at once (a few hundred KB of XML)


@functools.cache
def _class():
    """The SharedStrings subclass to use: writing runs of texts, unless the environment
    asks for xlsxwriter's own writer (fastsheet.STOCK_ENV) or a sample of awkward texts
    comes out other than xlsxwriter writes it; even then no text is taken for a rich
    string. None when this xlsxwriter lacks what it uses."""
    import os

    from gain_workbook.excel.fastsheet import STOCK_ENV

    safe = _safe_class()
    if safe is None:
        return None         # pragma: no cover - a future xlsxwriter
    fast = type("SharedStrings", (safe,), {"_write_sst_strings": _write_runs,
                                           "__doc__": "Shared strings a run at a time."})
    if os.environ.get(STOCK_ENV, "").strip() not in ("", "0"):
        return safe
    return fast if _part(fast, SAMPLE) == _part(safe.__mro__[1], SAMPLE) else safe


def _safe_class():
    """xlsxwriter's SharedStrings with no text taken for a rich string, or None."""
    try:
        from xlsxwriter.sharedstrings import SharedStrings as Stock
        from xlsxwriter.utility import _preserve_whitespace
    except ImportError:     # pragma: no cover - a future xlsxwriter
        return None
    if not all(hasattr(Stock, n) for n in ("_write_sst_strings", "_escape_control_characters",
                                           "_xml_si_element")):
        return None         # pragma: no cover

    class SharedStrings(Stock):
        """xlsxwriter's shared strings part, no text taken for a rich string."""

        def _write_si(self, text) -> None:
            text = self._escape_control_characters(text)
            space = [("xml:space", "preserve")] if _preserve_whitespace(text) else []
            self._xml_si_element(text, space)     # (never _xml_rich_si_element)

    return SharedStrings


def _write_runs(self) -> None:
    """The part's texts, a run at a time (see the module's docstring)."""
    texts, write = self.string_table.string_array, self.fh.write
    for start in range(0, len(texts), RUN):
        run = texts[start:start + RUN]
        joined = "\x00".join(run)
        if _plain(run, joined):
            write(_elements(joined))
            continue
        for text in run:            # (a run with a text that needs more)
            if _plain([text], text):
                write(_elements(text))
            else:
                self._write_si(text)


# texts that take every path: plain, escaped, control characters, escape look-alikes,
# white space at either end, NUL, and enough of them for runs of several
SAMPLE = ["Open", "a & b <c> \"d\"", " lead", "trail\n", "bell \x07", "_x0041_", "nul \x00 x",
          "£ é 😀", "", "two\nlines", "\u2028para"] * 3 + [f"text {i}" for i in range(RUN + 5)]


def _part(cls, texts) -> str:
    """The <si> elements ``cls`` writes for ``texts``."""
    import io

    from xlsxwriter.sharedstrings import SharedStringTable

    table = SharedStringTable()
    table.string_array = list(dict.fromkeys(texts))
    table.count = table.unique_count = len(table.string_array)
    sst = cls()
    sst.string_table, sst.fh = table, io.StringIO()
    sst._write_sst_strings()
    return sst.fh.getvalue()


def _plain(run: list, joined: str) -> bool:
    """Do these texts (``joined`` by NUL) need only &, < and > escaped: no control
    character, no escape look-alike, no white space at either end (xlsxwriter's rule
    for xml:space, whose \\s is str.isspace)?"""
    return (joined.count("\x00") == len(run) - 1 and CONTROL.search(joined) is None
            and ("_x" not in joined or ESCAPE_LIKE.search(joined) is None)
            and not any(t[:1].isspace() or t[-1:].isspace() for t in run))


def _elements(joined: str) -> str:
    """<si> elements of plain texts joined by NUL (which none of them holds)."""
    if "&" in joined:
        joined = joined.replace("&", "&amp;")
    if "<" in joined:
        joined = joined.replace("<", "&lt;")
    if ">" in joined:
        joined = joined.replace(">", "&gt;")
    return "<si><t>" + joined.replace("\x00", "</t></si><si><t>") + "</t></si>"


@contextlib.contextmanager
def writing_shared_strings():
    """While the block runs, xlsxwriter's packager writes shared strings with ours."""
    from xlsxwriter import packager

    ours = _class()
    stock = getattr(packager, "SharedStrings", None)
    if ours is None or stock is None:
        yield               # pragma: no cover - a future xlsxwriter
        return
    packager.SharedStrings = ours
    try:
        yield
    finally:
        packager.SharedStrings = stock

