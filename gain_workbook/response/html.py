"""The PCC's response as a web page: one self-contained HTML file, for the PCC's website.

GOV.UK asks public bodies to publish HTML wherever they can, and the Public Sector
Bodies (Websites and Mobile Applications) Accessibility Regulations 2018 ask for WCAG
2.1 AA. So the page lays out the blocks of ``response.document`` as a screen reader
needs them: ``lang="en-GB"``, a title, one ``h1`` with ``h2`` to ``h4`` below it in
order, the inspection details as a table with a caption and header cells
(``th scope``), the check boxes said in words (the ☒ / ☐ glyphs are shown, but hidden
from assistive technology), a line length that reads well and text of at least 4.5:1
contrast. No fonts, scripts or images are fetched: the styles are in the page.

Register text is only ever escaped text in it, never markup. The same blocks give the
same bytes: the page carries no date of its own.
"""

from __future__ import annotations

import html
from pathlib import Path

from gain_workbook.core.files import write_bytes
from gain_workbook.response.document import (BOX, DETAILS, TICK, box_parts, document_title,
                                             grouped, heading_level)

# GOV.UK's palette: text #0b0c0c on white is 19.9:1; the secondary grey #505a5f is 7:1
STYLE = """
html { background: #ffffff; }
body { margin: 0; color: #0b0c0c; background: #ffffff;
       font-family: Arial, "Liberation Sans", Helvetica, sans-serif;
       font-size: 1.1875rem; line-height: 1.4; }
main { max-width: 38em; margin: 0 auto; padding: 1.5em 1.25em 3em; }
h1, h2, h3, h4, h5 { color: #1f3864; line-height: 1.25; margin: 1.6em 0 0.5em; }
h1 { font-size: 1.9em; margin-top: 0.6em; }
h2 { font-size: 1.4em; padding-bottom: 0.2em; border-bottom: 2px solid #1f3864; }
h3 { font-size: 1.15em; }
h4, h5 { font-size: 1em; }
p, li { margin: 0 0 0.75em; }
ul { padding-left: 1.4em; margin: 0 0 1em; }
li > p:last-child { margin-bottom: 0; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1.5em; }
th, td { text-align: left; vertical-align: top; padding: 0.5em 0.75em 0.5em 0;
         border-bottom: 1px solid #b1b4b6; }
thead th { border-bottom: 2px solid #0b0c0c; }
tbody th { width: 34%; }
ul.boxes { list-style: none; padding: 0; margin: 0; display: grid;
           grid-template-columns: 1fr 1fr; column-gap: 1em; }
ul.boxes li { margin: 0 0 0.25em; }
.box { font-family: "DejaVu Sans", "Segoe UI Symbol", Arial, sans-serif; }
.marking { font-weight: bold; color: #b10e1e; text-align: center; }
.banner { font-weight: bold; border-left: 0.3em solid #b10e1e; padding: 0.5em 0 0.5em 0.8em; }
.gap { font-style: italic; }
.gap.working { font-style: normal; font-weight: bold; background: #ffdde0; padding: 0.2em; }
.small, .status { font-size: 0.85em; color: #505a5f; }
.status { font-style: italic; }
.visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important;
                   margin: 0 !important; padding: 0 !important; overflow: hidden !important;
                   clip: rect(0 0 0 0) !important; clip-path: inset(50%) !important;
                   border: 0 !important; white-space: nowrap !important; }
th, td, p, li { overflow-wrap: anywhere; }
@media (max-width: 30em) { main { padding: 1em 0.75em 2em; } ul.boxes { grid-template-columns: 1fr; } }
@media print { body { font-size: 11pt; } main { max-width: none; padding: 0; } }
""".strip()

DETAIL_HEADERS = ("Detail", "Value")
NONE_TICKED = "none recorded"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _glyph(ticked: bool) -> str:
    return f'<span class="box" aria-hidden="true">{TICK if ticked else BOX} </span>'


def _boxes(text: str) -> str:
    """Check boxes as a screen reader says them: the ticked ones in words ('National,
    Thematic'), the boxes themselves shown but hidden from it."""
    parts = box_parts(text) if isinstance(text, str) else [p for t in text for p in box_parts(t)]
    said = ", ".join(label for ticked, label in parts if ticked) or NONE_TICKED
    shown = "".join(f"<li>{_glyph(ticked)}{_e(label)}</li>" for ticked, label in parts)
    return (f'<span class="visually-hidden">{_e(said)}</span>'
            f'<ul class="boxes" aria-hidden="true">{shown}</ul>')


def _text(text: str) -> str:
    """A text that may start with one check box ('☒ Response forwarded to Home Office'):
    the box shown, and said as 'done' or 'not done'."""
    parts = box_parts(text)
    if len(parts) == 1 and text.lstrip()[:1] in (TICK, BOX):
        ticked, label = parts[0]
        state = "done" if ticked else "not done"
        return f'{_glyph(ticked)}{_e(label)}<span class="visually-hidden"> ({state})</span>'
    return _e(text)


def _details(out: list, blocks, caption: str) -> None:
    """Consecutive field and boxes blocks as one table: a header row, a label (th
    scope=row) and a value per row."""
    out.append(f'<table><caption class="visually-hidden">{_e(caption)}</caption>')
    out.append("<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in DETAIL_HEADERS)
               + "</tr></thead><tbody>")
    for blk in blocks:
        if blk.kind == "boxes":
            value = _boxes(blk.values)
        elif box_parts(blk.value):
            value = _boxes(blk.value)
        else:
            value = f"<strong>{_e(blk.value)}</strong>" if blk.bold else _e(blk.value)
        out.append(f'<tr><th scope="row">{_text(blk.text)}</th><td>{value}</td></tr>')
    out.append("</tbody></table>")


def _paragraphs(text: str) -> str:
    lines = [t for t in text.split("\n") if t.strip()]
    if len(lines) == 1:
        return _e(lines[0])
    return "".join(f"<p>{_e(t)}</p>" for t in lines)


def _blocks(out: list, resp, working: bool, shift: int) -> None:
    """One response's blocks; headings ``shift`` levels down (1 when the page holds several
    responses under one h1)."""
    caption = ""
    for name, group in grouped(resp.blocks, {**DETAILS, "bullet": "bullets"}):
        if name == "details":
            _details(out, group, caption or "Details")
            continue
        if name == "bullets":
            out += ["<ul>", *(f"<li>{_paragraphs(b.text)}</li>" for b in group), "</ul>"]
            continue
        blk = group[0]
        k = blk.kind
        level = heading_level(blk)
        if k == "title" and shift:
            # several responses on one page: each is named by its report under the page's h1
            out.append(f"<h2>{_e(resp.title or blk.text)}</h2>")
        elif level:
            n = level + shift
            out.append(f"<h{n}>{_e(blk.text)}</h{n}>")
            caption = blk.text
        elif k == "banner":
            out.append(f'<p class="banner">{_e(blk.text)}</p>')
        elif k == "gap":
            out.append(f'<p class="gap{" working" if working else ""}">{_e(blk.text)}</p>')
        elif k in ("small", "status", "marking"):
            out.append(f'<p class="{k}">{_e(blk.text)}</p>')
        else:
            out.append(f"<p>{_text(blk.text)}</p>")


def page(responses: list, settings, working: bool = False) -> str:
    """The HTML of the responses: one page, one h1."""
    marking = settings.protective_marking if working else settings.response_marking
    title = document_title(responses, working)
    out = ["<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(title)}</title>", f"<style>\n{STYLE}\n</style>", "</head>", "<body>",
           "<main>"]
    if marking:
        out.append(f'<p class="marking">{_e(marking)}</p>')
    several = len(responses) > 1
    if several:
        force = settings.force_name
        out.append(f"<h1>{_e(f'Responses by the PCC to HMICFRS inspections of {force}')}</h1>")
    for resp in responses:
        if several:
            out.append("<article>")
        _blocks(out, resp, working, shift=1 if several else 0)
        if several:
            out.append("</article>")
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


def write_html(responses: list, settings, out_path, working: bool = False) -> Path:
    """Write the responses as one self-contained HTML page (atomically)."""
    return write_bytes(Path(out_path), page(responses, settings, working).encode("utf-8"))
