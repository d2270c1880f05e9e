"""Every cell format and colour we write, in one place."""

from __future__ import annotations

FONT = "Calibri"
NAVY = "#1F3864"
HEADER_FILL = "#D9E1F2"
BORDER_GREY = "#A6A6A6"
RAG_COLOURS = {           # fill, font
    "Red": ("#F4B6B6", "#7F0000"),
    "Amber": ("#FFE29A", "#6B4E00"),
    "Green": ("#C6E7C6", "#1E5E1E"),
    "Blue": ("#BDD7EE", "#1F3864"),
    "Grey": ("#D9D9D9", "#404040"),
}
PROBLEM_FILL = {"error": "#FFC7CE", "warning": "#FFEB9C"}
INPUT_FILL = "#FFF2CC"    # the yellow of a cell for someone to fill in (as on a request)
DATE_FORMAT = "dd/mm/yyyy"

BASE = {"font_name": FONT, "font_size": 10, "valign": "top"}
SPECS = {
    "title": {"bold": True, "font_size": 16, "font_color": NAVY},
    "subtitle": {"font_size": 11, "font_color": "#404040"},
    "heading": {"bold": True, "font_size": 12, "font_color": NAVY, "bottom": 2,
                "bottom_color": NAVY},
    "header": {"bold": True, "bg_color": HEADER_FILL, "border": 1, "border_color": BORDER_GREY,
               "text_wrap": True, "valign": "vcenter"},
    "text": {"border": 1, "border_color": BORDER_GREY},
    "wrap": {"border": 1, "border_color": BORDER_GREY, "text_wrap": True},
    "date": {"border": 1, "border_color": BORDER_GREY, "num_format": DATE_FORMAT,
             "align": "left"},
    "date_center": {"border": 1, "border_color": BORDER_GREY, "num_format": DATE_FORMAT,
                    "align": "center"},
    "int": {"border": 1, "border_color": BORDER_GREY, "num_format": "0", "align": "center"},
    "center": {"border": 1, "border_color": BORDER_GREY, "align": "center"},
    # table body cells: no border of their own (the grid is one conditional format)
    "cell": {},
    "cell_wrap": {"text_wrap": True},
    "cell_date": {"num_format": DATE_FORMAT, "align": "center"},
    "cell_center": {"align": "center"},
    # a cell for the reader to fill in: yellow, and open on a protected sheet
    "input": {"bg_color": INPUT_FILL, "locked": False, "align": "center", "border": 1,
              "border_color": BORDER_GREY},
    "input_wrap": {"bg_color": INPUT_FILL, "locked": False, "text_wrap": True, "border": 1,
                   "border_color": BORDER_GREY},
    "plain": {},
    "plain_wrap": {"text_wrap": True},
    "label": {"bold": True},
    "label_wrap": {"bold": True, "text_wrap": True},
    "note": {"italic": True, "font_color": "#595959", "text_wrap": True},
    "link": {"font_color": "#0563C1", "underline": 1},
    "big_number": {"bold": True, "font_size": 20, "font_color": NAVY, "align": "center",
                   "valign": "vcenter", "border": 1, "border_color": BORDER_GREY},
    "section": {"bold": True, "font_size": 11, "font_color": NAVY, "bg_color": "#EDEDED",
                "border": 1, "border_color": BORDER_GREY},
    "marking": {"bold": True, "font_size": 12, "font_color": "#C00000", "align": "center"},
    "cover_title": {"bold": True, "font_size": 26, "font_color": NAVY},
    "cover_sub": {"font_size": 14, "font_color": "#404040"},
    "cover_label": {"bold": True, "font_size": 11, "font_color": "#404040"},
    "cover_value": {"font_size": 11},
    "cover_date": {"font_size": 11, "num_format": "d mmmm yyyy", "align": "left"},
    "big_label": {"font_size": 9, "align": "center", "text_wrap": True, "border": 1,
                  "border_color": BORDER_GREY, "bg_color": "#F2F2F2"},
}


LINE_HEIGHT = 12.75     # Excel's line height for 10 pt Calibri (LibreOffice sets lines tighter)
CHARS_PER_WIDTH = 1.25  # Calibri 10 fits about 1.3 characters of prose per column-width unit


def wrapped_lines(text: str, width: float, per_width: float = CHARS_PER_WIDTH) -> int:
    """Lines a wrapped cell needs at a column width (LibreOffice does not grow rows itself).

    Breaks at spaces as Excel and LibreOffice do ("Head of Information Systems" in a
    15-character column is three lines, not two), and splits a word longer than a line.
    Repeated and trailing spaces take no room of their own.

    A line at a time, not a word at a time (a pack asks this of some 160,000 texts): the
    line from ``s`` ends at the last space that fits, or where a word longer than a line
    is cut.
    """
    cap = max(1, int(width * per_width))
    lines = 0
    for part in str(text).split("\n"):
        if len(part) > cap:
            part = " ".join(filter(None, part.split(" ")))
        s, n, end = 0, 1, len(part)
        while end - s > cap:
            space = part.rfind(" ", s + 1, s + cap + 1)
            s = space + 1 if space != -1 else s + cap
            n += 1
        lines += n
    return lines


def formats(wb) -> dict:
    """Add every named format to a workbook; return them by name (plus rag_<colour>)."""
    out = {name: wb.add_format({**BASE, **spec}) for name, spec in SPECS.items()}
    for rag, (fill, font) in RAG_COLOURS.items():
        out[f"rag_{rag}"] = wb.add_format({**BASE, "bg_color": fill, "font_color": font,
                                           "bold": True, "border": 1,
                                           "border_color": BORDER_GREY, "align": "center"})
    return out


def grid_cf(wb):
    """The thin grey grid drawn over a whole table by one conditional format."""
    return wb.add_format({"border": 1, "border_color": BORDER_GREY})


def rag_cf(wb) -> dict:
    """Conditional formats for RAG words: fill, font and the table grid's border."""
    return {rag: wb.add_format({"bg_color": fill, "font_color": font, "bold": True,
                                "border": 1, "border_color": BORDER_GREY})
            for rag, (fill, font) in RAG_COLOURS.items()}
