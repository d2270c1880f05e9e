"""The PCC's response to an inspection (Police Act 1996, s55), one sheet per inspection.

Laid out like shared/reference/pcc-response-example.md: inspection details with
type check boxes, executive summary, every recommendation and area for improvement,
the force's response (the GAIN process text from templates/response_process.txt,
the items for forces, and what is being done about each), the PCC's comment, the
statutory position and the office-use boxes. Item statuses come from the same
roll-up as the board pack, so the two always agree.
"""

from __future__ import annotations

import re
from pathlib import Path

from gain_workbook import styles
from gain_workbook.dates import long_date, uk_date
from gain_workbook.styles import wrapped_lines as _lines
from gain_workbook.errors import TemplateError, UsageError
from gain_workbook.rollup import KIND_ORDER, report_order
from gain_workbook.files import atomic_path
from gain_workbook.text import as_text as _t
from gain_workbook.text import plural, truncate_utf16
from gain_workbook.xlsx import Part, header_footer, workbook_at

PROCESS_TEMPLATE = "response_process.txt"
TICK, BOX = "☒", "☐"
WIDTHS = (26, 34, 34)          # columns A-C: about one A4 portrait page wide
LINE = styles.LINE_HEIGHT
TYPE_BOXES = (("Force-specific", "{force} specific"), ("National", "National"),
              ("Follow-up", "Follow up"), ("Thematic", "Thematic"),
              ("Partner/joint", "Partner inspection"))
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                "seventeen", "eighteen", "nineteen", "twenty")
KIND_NAMES = {"Recommendation": ("recommendation", "recommendations"),
              "Area for improvement": ("area for improvement", "areas for improvement"),
              "Cause of concern": ("cause of concern", "causes of concern"),
              "Accelerated cause of concern": ("accelerated cause of concern",
                                               "accelerated causes of concern")}


def load_process_template(path=None) -> str:
    """The GAIN process text: an edited copy if given, else the one in templates/."""
    if path is not None:
        from gain_workbook.files import protect
        from gain_workbook.text import read_text_file

        protect(path, "the response template")
        return read_text_file(path, "the response template")
    from gain_workbook.template import templates_dir

    return templates_dir().joinpath(PROCESS_TEMPLATE).read_text(encoding="utf-8")


def fill_template(text: str, values: dict, inspection_id: str) -> str:
    """Fill {placeholders}; a placeholder with no value is an error that names it."""
    def sub(m):
        key = m.group(1)
        if key not in values:
            raise TemplateError(f"The response template uses {{{key}}}, which gain-pack does not "
                                f"know; use one of: {', '.join('{%s}' % k for k in values)}.")
        if values[key] in (None, ""):
            raise TemplateError(f"The response text for {inspection_id} needs {{{key}}} "
                                f"({PLACEHOLDER_SOURCE.get(key, key)}), which is empty; fill it "
                                "in on the register or take it out of the template.")
        return str(values[key])
    return re.sub(r"\{([a-z_]+)\}", sub, text)


PLACEHOLDER_SOURCE = {
    "board": "Board name on the Settings sheet",
    "chair": "Board chair on the Settings sheet",
    "force": "Force name on the Settings sheet",
    "pcc": "PCC name on the Settings sheet",
    "executive_lead": "the inspection's Executive lead",
    "plenary_date": "the inspection's Plenary session date",
    "title": "the inspection's Title",
    "published": "the inspection's Published date",
}


def _words(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)


def _kinds_sentence(counts: dict, numeric: bool = False) -> str:
    parts = []
    for kind in KIND_ORDER:
        n = counts.get(kind, 0)
        if n:
            one, many = KIND_NAMES[kind]
            parts.append(f"{n if numeric else _words(n)} {one if n == 1 else many}")
    if not parts:
        return "no recommendations or areas for improvement"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


SHEET_NAME_LIMIT = 31       # Excel counts UTF-16 units
RESERVED_SHEET_NAMES = {"history"}
FILE_ID_LIMIT = 60          # of an inspection id in a file name: Excel opens paths up to 218


def _sheet_name(inspection_id: str, used: set) -> str:
    """A sheet name Excel accepts: no []:*?/\\ or quotes, at most 31 UTF-16 units, unique."""
    base = re.sub(r"[\[\]:*?/\\']", "-", str(inspection_id)).strip() or "Inspection"
    if base.lower() in RESERVED_SHEET_NAMES:
        base = f"{base} (inspection)"
    base = truncate_utf16(base, SHEET_NAME_LIMIT - 3).strip() or "Inspection"
    name, n = base, 2
    while name.lower() in used:
        name = f"{truncate_utf16(base, SHEET_NAME_LIMIT - 3 - len(str(n)))} ({n})"
        n += 1
    used.add(name.lower())
    return name


class _Writer:
    """Writes one response sheet row by row."""

    def __init__(self, wb, ws, fmt):
        self.wb, self.ws, self.f = wb, ws, fmt
        self.row = 0

    def para(self, text: str, fmt="para", height=None, gap=False) -> None:
        ws, r = self.ws, self.row
        ws.merge_range(r, 0, r, 2, "", self.f[fmt])
        ws.write_string(r, 0, text, self.f[fmt])
        ws.set_row(r, height or LINE * _lines(text, sum(WIDTHS) - 2) + 4)
        self.row += 2 if gap else 1

    def heading(self, text: str) -> None:
        self.row += 1
        ws, r = self.ws, self.row
        ws.merge_range(r, 0, r, 2, text, self.f["r_heading"])
        ws.set_row(r, 20)
        self.row += 1

    def label_value(self, label: str, value: str, vfmt="r_value") -> None:
        ws, r = self.ws, self.row
        ws.write_string(r, 0, label, self.f["r_label"])
        ws.merge_range(r, 1, r, 2, "", self.f[vfmt])
        ws.write_string(r, 1, value, self.f[vfmt])
        ws.set_row(r, max(LINE * _lines(value, WIDTHS[1] + WIDTHS[2]) + 4,
                          LINE * _lines(label, WIDTHS[0]) + 4))
        self.row += 1


def _formats(wb) -> dict:
    base = dict(styles.BASE)
    base["font_size"] = 10.5
    spec = {
        "r_title": {"bold": True, "font_size": 14, "font_color": styles.NAVY, "text_wrap": True,
                    "valign": "vcenter"},
        "r_heading": {"bold": True, "font_size": 11.5, "font_color": styles.NAVY, "bottom": 2,
                      "bottom_color": styles.NAVY, "valign": "bottom"},
        "r_sub": {"bold": True, "text_wrap": True},
        "para": {"text_wrap": True},
        "bullet": {"text_wrap": True, "indent": 1},
        "r_label": {"bold": True, "text_wrap": True},
        "r_value": {"text_wrap": True},
        "r_value_bold": {"bold": True, "text_wrap": True},
        "r_box": {"text_wrap": True},
        "r_small": {"text_wrap": True, "font_size": 9, "font_color": "#404040"},
        "r_gap": {"text_wrap": True, "bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE",
                  "border": 1, "border_color": "#9C0006"},
        "r_status": {"text_wrap": True, "italic": True, "font_color": "#404040", "indent": 1},
        "r_marking": {"bold": True, "font_color": "#C00000", "align": "center"},
    }
    return {k: wb.add_format({**base, **v}) for k, v in spec.items()}


def _write_one(wb, ws, fmt, rollup, ins, template_text: str) -> None:
    s = rollup.settings
    w = _Writer(wb, ws, fmt)
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width)
    ws.set_paper(9)
    ws.set_portrait()
    ws.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.7)
    ws.set_header(header_footer(left=[Part(s.protective_marking, bold=True)],
                                right=[Part(f"As at {uk_date(rollup.as_of)}", shorten=1)]),
                  {"margin": 0.3})
    ws.set_footer(header_footer(left=[Part(s.protective_marking, bold=True)],
                                center=[Part("Page &P of &N", code=True)],
                                right=[Part(f"PCC response: {ins['inspection_id']}", shorten=1)],
                                what="page footer"), {"margin": 0.3})
    ws.fit_to_pages(1, 0)
    ws.hide_gridlines(2)

    force = s.force_name
    w.para(f"Response by the PCC to HMICFRS inspections of {force}".upper(), "r_title",
           height=40)

    # ---- Inspection details
    w.heading("Inspection details")
    w.label_value("Title of inspection", ins["title"] or "", "r_value_bold")
    w.label_value("Date inspection published", long_date(ins["published"]))
    types = set(str(ins["inspection_type"] or "").split(", "))
    r = w.row
    ws.write_string(r, 0, "Type of inspection", fmt["r_label"])
    boxes = [f"{TICK if key in types else BOX} {label.format(force=force)}"
             for key, label in TYPE_BOXES]
    for i, box in enumerate(boxes):
        ws.write_string(r + i // 2, 1 + i % 2, box, fmt["r_box"])
    others = sorted(types - {k for k, _ in TYPE_BOXES} - {""})
    rows_used = (len(boxes) + 1) // 2
    if others:
        ws.write_string(r + rows_used - 1, 2, f"{TICK} {', '.join(others)}", fmt["r_box"])
    w.row += rows_used
    quoted = ins["force_quoted"]
    w.label_value(f"Is {force} quoted in the report?",
                  f"{TICK if quoted == 'Yes' else BOX} Yes    {TICK if quoted == 'No' else BOX} No")

    # ---- Executive summary
    w.heading("Executive summary of report")
    for part in str(ins["executive_summary"] or "No summary recorded on the register.").split("\n"):
        w.para(part, "bullet" if part.lstrip().startswith(("-", "•")) else "para")

    # ---- Recommendations (every item, causes of concern first, then recs, then AFIs)
    items = report_order(rollup.items[rollup.items["item_inspection_id"] == ins["inspection_id"]])
    counts = items["kind"].value_counts().to_dict()
    w.heading("Recommendations")
    w.para(f"HMICFRS made {_kinds_sentence(counts)}.", gap=True)
    for it in items.itertuples(index=False):
        one = KIND_NAMES.get(it.kind, ("item",))[0]
        w.para(f"{one[0].upper() + one[1:]} {_t(it.number)}".strip(), "r_sub", height=17)
        w.para(_t(it.item_text))
        meta = [f"Addressed to: {_t(it.addressee)}" if _t(it.addressee) else "",
                f"Deadline: {_t(it.deadline_text)}" if _t(it.deadline_text) else "",
                "For this force" if it.applies == "Yes" else "Not for this force"]
        w.para("; ".join(m for m in meta if m), "r_small", gap=True)

    # ---- Force response
    w.heading("Force response to recommendations")
    values = {"board": s.board_name, "chair": s.board_chair, "force": force, "pcc": s.pcc_name,
              "executive_lead": ins["executive_lead"], "plenary_date": long_date(ins["plenary_date"]),
              "title": ins["title"], "published": long_date(ins["published"])}
    text = fill_template(template_text, values, str(ins["inspection_id"]))
    for para in [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]:
        w.para(" ".join(para.split()), gap=True)
    mine = items[items["applies"] == "Yes"]
    mine_counts = mine["kind"].value_counts().to_dict()
    w.para(f"The report included {_kinds_sentence(mine_counts, numeric=True)} for forces:")
    for it in mine.itertuples(index=False):
        w.para(f"•  {_t(it.item_text)}", "bullet")
    w.row += 1
    actions = rollup.actions
    for it in mine.itertuples(index=False):
        w.para(f"{it.label}: action taken or proposed", "r_sub", height=17)
        acts = actions[actions["action_item_id"] == it.item_id]
        if len(acts):
            for a in acts.itertuples(index=False):
                due = uk_date(a.effective_due)
                w.para(f"•  {_t(a.action_text)} (owner: {_t(a.owner, 'not set')}; due "
                       f"{due or 'not set'}; {_t(a.action_status, 'no status').lower()})",
                       "bullet")
        elif _t(it.no_action_reason):
            w.para(f"No action will be taken: {_t(it.no_action_reason)}", "bullet")
        else:
            w.para("GAP: no action and no reason recorded on the register. Section 55(5B) "
                   "requires the response to say what action has been or will be taken, or why "
                   "none will be.", "r_gap")
        w.para(f"Status: {it.status} ({it.rag}): {it.reason}", "r_status", gap=True)

    # ---- PCC response
    w.heading("PCC response to inspection")
    w.para("Comment by the PCC:", "r_sub", height=17)
    w.para(ins["pcc_comment"] or "No comment recorded on the register yet.", gap=True)
    if ins["pcc_monitoring"]:
        w.para(ins["pcc_monitoring"], gap=True)

    # ---- Statutory position
    w.heading("Statutory position (Police Act 1996, section 55)")
    w.label_value("Date published", long_date(ins["published"]))
    w.label_value("Last day to publish (56 days)", long_date(ins["s55_last_day"]))
    left = ins["s55_days_left"]
    if ins["response_state"] in ("Published", "Sent"):
        position = ins["response_text"]
    elif left != left:
        position = "no publication date recorded"
    elif left >= 0:
        position = f"{plural(int(left), 'day')} left"
    else:
        position = f"{plural(int(-left), 'day')} late"
    w.label_value("Days left or late", position)
    w.label_value("Chief constable's comments received",
                  long_date(ins["cc_comments_received"]) or "not yet")

    # ---- Office use
    w.heading("For office use only")
    sent, pub = ins["response_sent"], ins["response_published"]
    w.label_value(f"{TICK if sent == sent and sent is not None else BOX} Response forwarded to "
                  "Home Office and HMICFRS", long_date(sent) or "not yet")
    w.label_value(f"{TICK if pub == pub and pub is not None else BOX} Response published on "
                  "PCC website", long_date(pub) or "not yet")
    w.row += 1
    w.para(s.protective_marking, "r_marking", height=18)
    ws.print_area(0, 0, w.row - 1, 2)


def select_inspections(rollup, inspection: str | None, all_: bool, open_: bool) -> list:
    """The inspections to write, as rows of rollup.inspections."""
    ins = rollup.inspections
    if sum(bool(x) for x in (inspection, all_, open_)) != 1:
        raise UsageError("Say which response to write: --inspection ID, --all or --open.")
    if inspection:
        chosen = ins[ins["inspection_id"] == inspection]
        if chosen.empty:
            known = ", ".join(str(i) for i in ins["inspection_id"].head(10))
            raise UsageError(f"There is no inspection '{inspection}' on the register "
                             f"(it has: {known}{' ...' if len(ins) > 10 else ''}).")
    elif open_:
        chosen = ins[ins["response_published"].isna()]
        if chosen.empty:
            raise UsageError("Every inspection's response has been published; nothing to write.")
    else:
        chosen = ins
    return [row for _, row in chosen.sort_values("published", ascending=False,
                                                  kind="stable").iterrows()]


def build_responses(rollup, inspections: list, out_path, template_text: str | None = None) -> Path:
    """Write one response sheet per inspection to ``out_path`` (atomically)."""
    template_text = template_text if template_text is not None else load_process_template()
    out_path = Path(out_path)
    with workbook_at(out_path, title="PCC response to HMICFRS inspection",
                     subject=rollup.settings.protective_marking, created=rollup.as_of) as wb:
        fmt = _formats(wb)
        used: set = set()
        for ins in inspections:
            ws = wb.add_worksheet(_sheet_name(ins["inspection_id"], used))
            _write_one(wb, ws, fmt, rollup, ins, template_text)
    return out_path


def default_response_name(register_path, inspections: list) -> Path:
    """'PCC response INS-2023-07.xlsx' (or 'PCC responses.xlsx') beside the register."""
    if len(inspections) == 1:
        safe = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "-", str(inspections[0]["inspection_id"]))
        safe = truncate_utf16(safe, FILE_ID_LIMIT).strip(" .") or "inspection"
        return Path(register_path).with_name(f"PCC response {safe}.xlsx")
    return Path(register_path).with_name("PCC responses.xlsx")


def find_soffice() -> str | None:
    """LibreOffice's soffice: on PATH, or where the Windows and macOS installers put it."""
    import os
    import shutil

    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    for base in (os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)")):
        if base and Path(base, "LibreOffice", "program", "soffice.exe").exists():
            return str(Path(base, "LibreOffice", "program", "soffice.exe"))
    mac = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    return str(mac) if mac.exists() else None


def to_pdf(xlsx_path, pdf_path) -> Path:
    """Convert a written response to PDF with LibreOffice (headless), atomically."""
    import shutil
    import subprocess
    import tempfile

    exe = find_soffice()
    if exe is None:
        raise UsageError(LIBREOFFICE_MISSING)
    pdf_path = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="gain-pdf-") as d:
        profile = Path(d, "profile").as_uri()
        src = Path(d, "response.xlsx")
        shutil.copyfile(xlsx_path, src)
        proc = subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless",
                               "--norestore", "--convert-to", "pdf", "--outdir", d, str(src)],
                              capture_output=True, text=True, timeout=180,
                              env={"HOME": d, "PATH": "/usr/bin:/bin"} if Path("/usr/bin").exists()
                              else None)
        made = Path(d, "response.pdf")
        if proc.returncode != 0 or not made.exists():
            raise UsageError(f"LibreOffice could not make the PDF ({proc.stderr.strip()[:200] or 'no output'}).")
        with atomic_path(pdf_path) as tmp:
            shutil.copyfile(made, tmp)
    return pdf_path


LIBREOFFICE_MISSING = (
    "--pdf needs LibreOffice, which is not installed: on Windows install it from "
    "libreoffice.org (then run again), on Debian or Ubuntu run "
    "'apt-get install libreoffice-calc-nogui'; or print the sheet to PDF from Excel.")

