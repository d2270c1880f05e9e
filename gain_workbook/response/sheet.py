"""The PCC's response as a workbook: one A4 portrait sheet per inspection.

Lays out the blocks of ``response.document``. The published copy's sheets are named
for the report's publication date (no internal ids), its header is empty unless the
'Response marking' Setting gives one, and its footer only numbers the pages; the
working copy carries the board pack's marking and the as-of date.
"""

from __future__ import annotations

import re
from pathlib import Path

from gain_workbook.excel import styles
from gain_workbook.core.dates import given, uk_date
from gain_workbook.excel.styles import wrapped_lines as _lines
from gain_workbook.core.text import truncate_utf16
from gain_workbook.excel.writer import Part, header_footer, workbook_at

from gain_workbook.excel.packfile import RESPONSE_TITLE as TITLE

# columns A-D, about one A4 portrait page wide: A holds a bullet, so that a bullet's
# wrapped lines and its further paragraphs hang aligned with its first (B-D); a label
# spans A-B, a value C-D
WIDTHS = (2.5, 23.5, 34, 34)
LAST = len(WIDTHS) - 1
GAP_ROW = 6                    # points between paragraphs (an empty row of its own)
LINE = styles.LINE_HEIGHT
SHEET_NAME_LIMIT = 31          # Excel counts UTF-16 units
RESERVED_SHEET_NAMES = {"history"}


def sheet_name(base: str, used: set) -> str:
    """A sheet name Excel accepts: no []:*?/\\ or quotes, at most 31 UTF-16 units, unique."""
    base = re.sub(r"[\[\]:*?/\\']", "-", str(base)).strip() or "Response"
    if base.lower() in RESERVED_SHEET_NAMES:
        base = f"{base} (inspection)"
    base = truncate_utf16(base, SHEET_NAME_LIMIT - 3).strip() or "Response"
    name, n = base, 2
    while name.lower() in used:
        name = f"{truncate_utf16(base, SHEET_NAME_LIMIT - 3 - len(str(n)))} ({n})"
        n += 1
    used.add(name.lower())
    return name


def _public_name(resp, count: int) -> str:
    if count == 1:
        return "Response"
    day = resp.published
    return f"Response {day.day} {day:%b %Y}" if given(day) else "Response"


def _formats(wb) -> dict:
    base = dict(styles.BASE)
    base["font_size"] = 10.5
    spec = {
        "title": {"bold": True, "font_size": 14, "font_color": styles.NAVY, "text_wrap": True,
                  "valign": "vcenter"},
        "banner": {"bold": True, "text_wrap": True, "font_color": "#9C0006",
                   "bg_color": "#FFC7CE", "border": 1, "border_color": "#9C0006"},
        "heading": {"bold": True, "font_size": 11.5, "font_color": styles.NAVY, "bottom": 2,
                    "bottom_color": styles.NAVY, "valign": "bottom"},
        "sub": {"bold": True, "text_wrap": True},
        "para": {"text_wrap": True},
        "bullet": {"text_wrap": True},
        "bullet_mark": {"align": "right"},
        "label": {"bold": True, "text_wrap": True},
        "value": {"text_wrap": True},
        "value_bold": {"bold": True, "text_wrap": True},
        "box": {"text_wrap": True},
        "small": {"text_wrap": True, "font_size": 9, "font_color": "#404040"},
        "gap": {"text_wrap": True, "italic": True},
        "gap_working": {"text_wrap": True, "bold": True, "font_color": "#9C0006",
                        "bg_color": "#FFC7CE", "border": 1, "border_color": "#9C0006"},
        "status": {"text_wrap": True, "italic": True, "font_color": "#404040", "indent": 1},
        "marking": {"bold": True, "font_color": "#C00000", "align": "center"},
    }
    return {k: wb.add_format({**base, **v}) for k, v in spec.items()}


class _Writer:
    """Writes one response sheet row by row."""

    def __init__(self, ws, fmt):
        self.ws, self.f = ws, fmt
        self.row = 0

    def gap(self) -> None:
        self.ws.set_row(self.row, GAP_ROW)
        self.row += 1

    def para(self, text: str, fmt="para", height=None, gap=True, first=0) -> None:
        ws, r = self.ws, self.row
        ws.merge_range(r, first, r, LAST, "", self.f[fmt])
        ws.write_string(r, first, text, self.f[fmt])
        ws.set_row(r, height or LINE * _lines(text, sum(WIDTHS[first:]) - 2) + 4)
        self.row += 1
        if gap:
            self.gap()

    def bullet(self, text: str, gap=True) -> None:
        """A bullet in column A, its paragraphs each a row of their own beside it."""
        for n, part in enumerate(text.split("\n")):
            if n == 0:
                self.ws.write_string(self.row, 0, "•", self.f["bullet_mark"])
            self.para(part, "bullet", gap=False, first=1)
        if gap:
            self.gap()

    def heading(self, text: str) -> None:
        self.row += 1
        ws, r = self.ws, self.row
        ws.merge_range(r, 0, r, LAST, text, self.f["heading"])
        ws.set_row(r, 20)
        self.row += 1
        self.gap()

    def field(self, label: str, value: str, vfmt="value") -> None:
        ws, r = self.ws, self.row
        ws.merge_range(r, 0, r, 1, "", self.f["label"])
        ws.write_string(r, 0, label, self.f["label"])
        ws.merge_range(r, 2, r, LAST, "", self.f[vfmt])
        ws.write_string(r, 2, value, self.f[vfmt])
        ws.set_row(r, max(LINE * _lines(value, sum(WIDTHS[2:])) + 4,
                          LINE * _lines(label, sum(WIDTHS[:2])) + 4))
        self.row += 1

    def boxes(self, label: str, values) -> None:
        ws, r = self.ws, self.row
        ws.merge_range(r, 0, r, 1, "", self.f["label"])
        ws.write_string(r, 0, label, self.f["label"])
        for i, box in enumerate(values):
            ws.write_string(r + i // 2, 2 + i % 2, box, self.f["box"])
        self.row += (len(values) + 1) // 2


def _write_one(ws, fmt, resp, settings, as_of, working: bool) -> None:
    w = _Writer(ws, fmt)
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width)
    ws.set_paper(9)
    ws.set_portrait()
    ws.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.7)
    if working:
        marking = settings.protective_marking
        ws.set_header(header_footer(left=[Part(marking, bold=True)],
                                    right=[Part(f"Working copy, as at {uk_date(as_of)}",
                                                shorten=1)]), {"margin": 0.3})
        ws.set_footer(header_footer(left=[Part(marking, bold=True)],
                                    center=[Part("Page &P of &N", code=True)],
                                    right=[Part(f"Working copy: {resp.inspection_id}", shorten=1)],
                                    what="page footer"), {"margin": 0.3})
    else:
        marking = settings.response_marking
        if marking:
            ws.set_header(header_footer(center=[Part(marking, bold=True)]), {"margin": 0.3})
        ws.set_footer(header_footer(left=[Part(marking, bold=True)] if marking else (),
                                    center=[Part("Page &P of &N", code=True)],
                                    what="page footer"), {"margin": 0.3})
    ws.fit_to_pages(1, 0)
    ws.hide_gridlines(2)

    blocks = resp.blocks
    for i, blk in enumerate(blocks):
        nxt = blocks[i + 1].kind if i + 1 < len(blocks) else ""
        k = blk.kind
        if k == "title":
            w.para(blk.text.upper(), "title", height=40, gap=False)
        elif k == "banner":
            w.para(blk.text, "banner")
        elif k == "heading":
            w.heading(blk.text)
        elif k == "field":
            w.field(blk.text, blk.value, "value_bold" if blk.bold else "value")
            if nxt not in ("field", "boxes"):
                w.gap()
        elif k == "boxes":
            w.boxes(blk.text, blk.values)
        elif k == "sub":
            w.para(blk.text, "sub", height=17, gap=False)
        elif k == "bullet":
            w.bullet(blk.text, gap=nxt != "bullet")
        elif k == "small":
            w.para(blk.text, "small")
        elif k == "status":
            w.para(blk.text, "status")
        elif k == "gap":
            w.para(blk.text, "gap_working" if working else "gap")
        elif k == "marking":
            w.para(blk.text, "marking", height=18)
        else:
            w.para(blk.text, "para", gap=nxt not in ("small",))
    ws.print_area(0, 0, max(w.row - 1, 0), LAST)


def write_responses(responses: list, settings, as_of, out_path, working: bool = False) -> Path:
    """Write one sheet per response to ``out_path`` (atomically)."""
    out_path = Path(out_path)
    marking = settings.protective_marking if working else settings.response_marking
    title = TITLE + (" (working copy)" if working else "")
    with workbook_at(out_path, title=title, subject=marking, created=as_of) as wb:
        fmt = _formats(wb)
        used: set = set()
        for resp in responses:
            base = resp.inspection_id if working else _public_name(resp, len(responses))
            ws = wb.add_worksheet(sheet_name(base, used))
            _write_one(ws, fmt, resp, settings, as_of, working)
    return out_path
