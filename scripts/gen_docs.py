#!/usr/bin/env python3
"""Regenerate the parts of the docs that come from the code, so the docs cannot drift.

    python scripts/gen_docs.py          # rewrite every generated block in place
    python scripts/gen_docs.py --check  # exit 1 if any is out of date (used by the tests)

Each generated part sits between ``<!-- BEGIN name -->`` and ``<!-- END name -->`` in
one of the documentation files (``doc_files()``: README.md, ARCHITECTURE.md and
docs/*.md), whichever holds it; a block may move between them without a change here.
Every part of ``PARTS`` must be in at least one file, and every block in a file must
be one of ``PARTS`` or one a script writes (``WRITTEN_BY``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
COMMANDS_PAGE = ROOT / "docs" / "commands.md"     # each command's --help, linked from the table
sys.path.insert(0, str(ROOT))

# Blocks another script fills (gen_docs leaves their contents alone): name -> the script.
WRITTEN_BY = {"bench": "scripts/bench.py --write-readme",
              "bench-apply": "scripts/bench.py --apply-only --write-readme",
              "bench-against": "scripts/bench.py --against REF --write-readme"}
BLOCK = re.compile(r"^<!-- (BEGIN|END) ([\w-]+) -->$", re.M)   # a marker is a line of its own


def doc_files() -> list[Path]:
    """The documentation that may hold generated blocks: README, ARCHITECTURE, docs/*.md."""
    return [p for p in (README, ROOT / "ARCHITECTURE.md") if p.exists()] + \
        sorted((ROOT / "docs").glob("*.md"))


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def columns_table() -> str:
    from gain_workbook.model import schema

    rows = ["| Sheet | Column | Required | What to put in it |", "|---|---|---|---|"]
    for c in schema.COLUMNS:
        req = "yes" if c.required else ""
        if c.required_column:
            req = "yes (column must exist)"
        rows.append(f"| {schema.SHEET_NAMES[c.table]} | {_cell(c.header)} | {req} | "
                    f"{_cell(c.description)} |")
    return "\n".join(rows)


def aliases_table() -> str:
    from gain_workbook.model import schema

    rows = ["| Column | Also understood as (case, spaces and punctuation ignored) |", "|---|---|"]
    for c in schema.COLUMNS:
        words = list(c.aliases)
        for role, extra in c.role_aliases.items():
            where = "on a flat sheet" if role == "flat" else f"on the {schema.SHEET_NAMES[role]} sheet"
            if extra:
                words.append(f"{', '.join(extra)} ({where})")
        rows.append(f"| {schema.SHEET_NAMES[c.table]}: {_cell(c.header)} | "
                    f"{_cell(', '.join(words)) or '-'} |")
    return "\n".join(rows)


def vocab_table() -> str:
    from gain_workbook.model import schema

    rows = ["| Column | Allowed values | Also read as (with a warning) |", "|---|---|---|"]
    for c in schema.COLUMNS:
        if not c.vocab or c.key == "force_quoted":
            continue
        syn = schema.SYNONYMS[c.synonyms]
        extra = sorted({k for k, v in syn.items() if schema.norm_key(k) != schema.norm_key(v)})
        rows.append(f"| {_cell(c.header)} | {_cell(', '.join(c.vocab))} | "
                    f"{_cell(', '.join(extra))} |")
    return "\n".join(rows)


def rules_table() -> str:
    from gain_workbook.model.schema import RULES

    rows = ["| Code | Severity | Problem | Message (template) |", "|---|---|---|---|"]
    for r in RULES.values():
        rows.append(f"| `{r.code}` | {r.severity} | {_cell(r.title)} | {_cell(r.message)} |")
    return "\n".join(rows)


def settings_table() -> str:
    from gain_workbook.model.settings import SETTINGS

    rows = ["| Setting | Default | What it means |", "|---|---|---|"]
    for s in SETTINGS:
        default = "; ".join(s.default) if isinstance(s.default, tuple) else s.default
        rows.append(f"| {s.label} | {_cell(default) or '(none)'} | {_cell(s.description)} |")
    rows.append("| Alias: *column* | | Extra header spellings for one of our columns, "
                "separated by ; (e.g. `Alias: Due` = `When by; Completion target`). |")
    return "\n".join(rows)


def _run(args: list, cwd) -> subprocess.CompletedProcess:
    """gain-pack run as a user would, for an example; a crash (exit 70, or a traceback)
    is never recorded as the command's output: the docs stop being generated instead."""
    proc = subprocess.run([sys.executable, "-m", "gain_workbook", *args],
                          capture_output=True, text=True, cwd=cwd)
    if proc.returncode not in (0, 1, 2) or "Traceback" in proc.stderr:
        raise SystemExit(f"gain-pack {args[0]} failed while making the docs' example "
                         f"(exit code {proc.returncode}): {proc.stderr.strip()[-500:]}")
    return proc


def validate_example() -> str:
    """Real output of `gain-pack validate` on the worked example with four mistakes in it."""
    import openpyxl

    from gain_workbook.register.template import write_register_template

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "Inspection register.xlsx"
        write_register_template(path, example=True)
        wb = openpyxl.load_workbook(path)
        acts = wb["Actions"]
        acts["G3"] = "Completed"                 # a synonym
        acts["E5"] = "end of March"              # not a date
        acts["B6"] = "INS-2023-07-R10"           # no such item
        wb["Items"]["G3"] = "Maybe"              # not yes/no
        wb.save(path)
        proc = _run(["validate", path.name], d)
    return f"$ gain-pack validate \"Inspection register.xlsx\"\n{proc.stdout}(exit code {proc.returncode})"


def describe_example() -> str:
    """Real output of `gain-pack describe` on a PCC panel's tracker (tests/shapes.py)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from shapes import pcc_panel_flat_tracker

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "HMICFRS tracker.xlsx"
        pcc_panel_flat_tracker(path)
        proc = _run(["describe", path.name], d)
    return f"$ gain-pack describe \"HMICFRS tracker.xlsx\"\n{proc.stdout}(exit code {proc.returncode})"


def refusal_example() -> str:
    """Real output of `gain-pack validate` on a tracker whose headers are its own words
    (tests/shapes.py): the refusal, sheet by sheet, and the Settings rows to paste."""
    sys.path.insert(0, str(ROOT / "tests"))
    from shapes import tracker_headers_not_matched

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "tracker.xlsx"
        tracker_headers_not_matched(path)
        proc = subprocess.run([sys.executable, "-m", "gain_workbook", "validate", path.name],
                              capture_output=True, text=True, cwd=d)
    return f"$ gain-pack validate tracker.xlsx\n{proc.stderr}(exit code {proc.returncode})"


def add_report_example() -> str:
    """Real output of `gain-pack add-report` (a dry run) on the reference response's text,
    into a new register."""
    from gain_workbook.register.template import write_register_template

    source = ROOT / "tests" / "data" / "reports" / "cse-2023 pcc response pasted.txt"
    with tempfile.TemporaryDirectory() as d:
        write_register_template(Path(d) / "Inspection register.xlsx",
                                force_name="Cleveland Police")
        shutil.copyfile(source, Path(d) / "CSE report.txt")
        proc = _run(["add-report", "Inspection register.xlsx", "CSE report.txt"], d)
    return (f"$ gain-pack add-report \"Inspection register.xlsx\" \"CSE report.txt\"\n"
            f"{proc.stdout}(exit code {proc.returncode})")


def add_report_forms_example(source: str, name: str, force: str, *extra: str) -> str:
    """Real output of `gain-pack add-report` (a dry run) on a real text whose items have no
    label each (tests/data/reports), into a new register naming ``force``."""
    from gain_workbook.register.template import write_register_template

    with tempfile.TemporaryDirectory() as d:
        write_register_template(Path(d) / "Inspection register.xlsx", force_name=force)
        shutil.copyfile(ROOT / "tests" / "data" / "reports" / source, Path(d) / name)
        proc = subprocess.run([sys.executable, "-m", "gain_workbook", "add-report",
                               "Inspection register.xlsx", name, *extra],
                              capture_output=True, text=True, cwd=d)
    shown = " ".join(f'"{a}"' if " " in a else a for a in extra)
    return (f"$ gain-pack add-report \"Inspection register.xlsx\" \"{name}\""
            + (f" {shown}" if shown else "") + f"\n{proc.stdout}(exit code {proc.returncode})")


def email_example() -> str:
    """A real draft of the example pack (`gain-pack email`): what it prints, then the
    message's headers and text as Outlook shows them, the attachment named."""
    import email
    import email.policy

    def run(*args):
        proc = subprocess.run([sys.executable, "-m", "gain_workbook", *args],
                              capture_output=True, text=True, cwd=d)
        if proc.returncode != 0:
            raise SystemExit(f"gain-pack {' '.join(args)} failed: {proc.stderr}")
        return proc.stdout

    pack = "GAIN board pack 2026-11.xlsx"
    with tempfile.TemporaryDirectory() as d:
        run("init", "Inspection register.xlsx", "--example")
        run("build", "Inspection register.xlsx", "--as-of", "2026-11-28", "--meeting",
            "2026-12-03")
        said = run("email", pack, "--to", "dcc@force.example", "--cc", "pcc@force.example")
        raw = (Path(d) / pack).with_suffix(".eml").read_bytes()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii").replace("\r\n", "\n")
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n").rstrip("\n")
    (att,) = list(msg.iter_attachments())
    return (f"$ gain-pack email \"{pack}\" --to dcc@force.example --cc pcc@force.example\n"
            f"{said}\n{head}\n\n{text}\n"
            f"(attachment: {att.get_filename()}, {att.get_content_type()})")


def word_rules_table() -> str:
    from gain_workbook.model import schema

    rows = ["| Read as | When the header has a word of each group | and none of | For example |",
            "|---|---|---|---|"]
    for r in schema.WORD_RULES:
        col = schema.BY_KEY[r.key]
        groups = " + ".join("(" + ", ".join(sorted(g)) + ")" for g in r.groups)
        rows.append(f"| {schema.SHEET_NAMES[col.table]}: {_cell(col.header)} | {_cell(groups)} "
                    f"| {_cell(', '.join(sorted(r.never))) or '-'} | {_cell(r.example)} |")
    phrases = ", ".join(f"'{a}' = '{b}'" if b else f"'{a}' (dropped)"
                        for a, b in schema.HEADER_PHRASES)
    rows += ["", f"Read as one word first: {_cell(phrases)}. Plurals count as the singular. "
                 "On an Items sheet, a word for an action's owner, RAG or status means the "
                 "item's lead, RAG or the force's status."]
    return "\n".join(rows)


def value_forms() -> str:
    from gain_workbook.core import dates
    from gain_workbook.model import refs
    from gain_workbook.model import schema

    kinds = ", ".join(f"'{refs.KIND_SPELLING.get(w, w.capitalize())}'"
                      for w, _ in reversed(refs.KIND_WORDS))
    no_date = ", ".join(f"'{w}'" for w in sorted(dates.NO_DATE_WORDS))
    yes_no = ", ".join(f"'{shown}' = {v}" for _, v, shown in schema.YES_NO_LEADS)
    overdue = ", ".join(f"'{w}'" for w in sorted(schema.OVERDUE_WORDS))
    welsh = "Wedi'i gwblhau / Complete"
    na = ", ".join(f"'{shown.rstrip(' .')}'" for lead, word, shown in schema.YES_NO_LEADS
                   if word == "No" and lead != "no")
    return "\n".join([
        f"- **No date yet** in a date column ({no_date}): read as no date, a warning "
        "(`DATE_NOT_GIVEN`), not an error, even in a required column; the text is kept "
        "(`adopt` writes it back as it was). Both halves of a bilingual one ('TBC / I'w "
        "gadarnhau') are too; and an action's due date 'With immediate effect', which "
        "gives no day to be due by (an item's deadline so worded is its report's "
        "publication date).",
        "- **A month or a quarter**: 'Dec-25', 'Dec 2025', 'December 2025' mean the last day "
        "of that month; 'Q1 2026' the last day of that quarter, financial quarters by "
        "default (Q1 = April to June, as UK public bodies count; the `Quarters` setting "
        "says `calendar` for Q1 = January to March); 'Q4 2025/26' and 'Q4 25/26' are always "
        "financial; 'End of', 'By end of' or 'By the end of' before either means the "
        "same. A financial year ('FY 2025/26', '2025/26') means 31 March at its end, its "
        "halves ('H1 2026/27', 'H2 2026/27') 30 September and 31 March; a week commencing "
        "('w/c 3 March 2026') its last day ('FY 26/27' too; a note in brackets after a "
        "month or quarter, 'Dec 2026 (TBC)', is left out); and a date among words, the only "
        "one they give "
        "('31/03/2026 (revised)', 'Extension agreed to 30/09/2026'), that date. Each such "
        "reading is a warning (`DATE_READ_AS`) that shows the date used, the words kept as "
        "written. Months may be written in Welsh ('15 Ionawr 2025', 'Mawrth 2026'), and a "
        "day with a short month and year as Excel shows one ('31-Mar-25', '31 Mar 26') is "
        "that day.",
        "- **Status words** beyond the list (table above) and **typos one letter away** "
        "('Compelte', `WORD_READ_AS`). A typed "
        f"{overdue} means the action is still open (`OVERDUE_WORD`): overdue is worked out "
        "from the dates. A word in other capitals ('In Progress', 'COMPLETE') is the word, "
        "with no warning.",
        "- **A word with a note after it** ('Complete - awaiting HMICFRS closure', 'Closed by "
        "HMICFRS 12/03/2021', 'Superseded – see PEEL 2021/22 AFI 4', 'Open – HMICFRS to "
        "review at next PEEL'): read as the word it starts with, the rest kept beside it as "
        "a note (the pack's Actions sheet shows it as 'Status note', a closed item's reason "
        "gives it, `describe` says which columns have notes, `adopt` keeps the cell as "
        "written). One warning for each distinct phrase, naming the other cells that say "
        "the same (`READ_WITH_NOTE`). A date in the note of a status that finishes the work "
        "is its date: 'Completed on' for an action, 'HMICFRS closed on' for an item, "
        "where those are blank.",
        f"- **Both halves of a bilingual value** ('{welsh}'; 'Ydy / Yes'): either half "
        "matches; the Welsh words are synonyms in the table above. A half that names no "
        "word is kept as a note.",
        "- **A status cell with no text but a fill colour** is said as exactly that "
        "(`STATUS_ONLY_COLOUR`: 'H3 has no status, only a fill colour; type the status'); "
        "a colour is never read as a status.",
        f"- **Rows not for the force**: an Applies column saying no ('N', 'N/A'), or an "
        f"action's Status, or its Action with no status or due date, saying {na} ('N/A – "
        "for the Home Office'): the item is not the force's (its addressee taken from "
        "'for ...' when it has none), the row is not an action, and nothing is asked of "
        "it: no owner, due date or status, and no HMICFRS status (`NOT_FOR_FORCE_ROW`, "
        "once for each phrase). An action of an item not for the force needs no owner, due "
        "date or status either. Where no column says whether an item applies, the item's "
        "own status saying so ('N/A - NPCC' in 'Overall Status') does the same for an item "
        "with no actions, its addressee taken from the words after the dash; and so does "
        "an Addressee column ('Addressed to') naming only another body ('CPS', 'NHS "
        "England', 'the Home Office', another force by its name) for an item with no "
        "actions: a joint inspection's items for its other agencies (an addressee naming "
        "the police, chief constables or forces among others applies).",
        "- **A deadline only in the item's words** ('By 31 October 2023, chief constables "
        "should ...', 'Within three months, the force should: ...', 'With immediate "
        "effect'), on a sheet with no deadline column: read by the rules `add-report` uses, "
        "kept in 'Deadline (as written)' and worked out as a date.",
        "- **Several types in one cell**: 'National / Thematic', 'National & Thematic', "
        "'National; Thematic' (only the separators differ from our list, so no warning).",
        f"- **Yes or no in words**: {yes_no} ('N/A – for the Home Office', 'Yes (all "
        "forces)'), with a warning.",
        f"- **Refs** in one column ('Ref', 'Rec No.'): the kind words {kinds} followed by a "
        "number give the item's kind and number when there is no Kind column ('R1', 'Rec 3', "
        "'AFI7', 'CoC 1', 'ACoC 1', 'CfC 1'), and its number beside one (a plain '1', or "
        "'AFI 7' beside Kind 'Area for improvement'): the number is stored as a number, "
        "the ref as you wrote it is the item's label in the pack and the update requests, "
        "and the published response prints the kind and number ('Recommendation 1'). A "
        "kind word alone ('AFI') is a report's only one of that kind, unnumbered; a report's "
        "code before a slash ('2023/04/R3', 'PEEL23/AFI2') leaves the kind and number to "
        "the last part. A dash may stand between the kind and its number, and a number "
        "may have a part ('AFI-5', 'AFI2.4'); a ref typed again with a leading zero or an "
        "underscore ('AFI_06' for 'AFI 6') is the same ref, the slip said. "
        "'CoC1-R2' (or 'Recommendation 2 (CoC 1)', or '1.2' or '1b' of Kind "
        "Recommendation beside cause of concern '1' or 'CoC 1') is recommendation 2 under "
        "cause of concern 1, and 'CoC 1(b)', 'CoC 1b' or 'CoC 1.2' beside 'CoC 1' a "
        "recommendation under it; each is linked to it (the cause of "
        "concern takes its status from those recommendations, and needs no actions of its "
        "own; its actions are counted once, under the recommendation). Fire services' "
        "pillar refs ('E1', 'P1', 'EF1') are kept as written; their kind comes from the "
        "text column's header when it names one ('Area for Improvement'). With no column "
        "of refs at all, items' words that begin with their refs ('AFI 1 – The force "
        "should ...', 'Recommendation 1 (CoC 1): Within three months, ...', '[AFI 4] ...', "
        "'AFI#1 ...', 'Recommendation One: ...', 'AFI1 The force ...'; most of them, "
        "on one sheet) give the refs, the words being what follows; `describe` says so "
        "beside the words' column; so do numbers before the words ('1. The force ...') "
        "under headings that say the items' kind ('Recommendations', 'Areas for "
        "improvement'). A column headed "
        "as a kind ('Rec/AFI', 'Type') whose cells are such refs ('AFI 1', 'Rec 4') is the "
        "item's ref, not its kind with a note. A bare 'Ref' (or 'No.', 'ID') on a sheet of "
        "one row per action is read from its cells: the item's number when its refs stand "
        "only on rows that give the item's words, one to each item ('1' on the item's first "
        "row, its further actions' rows blank or giving '1' again); each action's own ref "
        "when one item's words have several ('1.1', '1.2'), or a further action's row has "
        "another; `describe` "
        "says which.",
        "- **Action refs that restart** in each item ('1', '2'; '1.1'; 'R2.1'): an action is "
        "its item and its ref, shown as 'item ref'; only a repeat within one item is a "
        "`DUPLICATE_ID`.",
        "- **An item 'Status'** on an Items sheet, or 'Overall Status', is the force's own "
        "word, kept as written in *Force's status*; only a header that says HMICFRS or "
        "inspectorate is the HMICFRS status. Where there is no HMICFRS status column, an "
        "item whose own status says HMICFRS closed it ('Closed by HMICFRS 12/03/2024', "
        "'Discharged', 'Superseded by ...', 'No further action') takes that as its HMICFRS "
        "status, and the date the words give as 'HMICFRS closed on'; a plain 'Closed' is "
        "the force's word and leaves it Open (the `MISSING_COLUMN` warning counts them).",
        "- **Your RAG or BRAG** column is read and compared with ours by `rollup`, `build` "
        "and `monthly`: where yours is better, a warning with our reason (`RAG_BETTER_THAN_OURS`: "
        "'You have Green; gain-pack makes it Red: overdue by 41 days').",
        "- **An inspection-level date on every action row** (a 'GAIN Board date' that differs "
        "between one report's rows) stays with the actions and is not read as the "
        "report's; `describe` says so.",
        "- **An accelerated cause of concern** may have dates before publication (it is "
        "raised before the report is published): no `DUE_BEFORE_PUBLISHED`.",
    ])


def rag_table() -> str:
    from gain_workbook.status.rollup import ITEM_STATES, RAG_RULES

    rows = ["| RAG | When |", "|---|---|"]
    rows += [f"| {rag} | {_cell(when)} |" for rag, when in RAG_RULES]
    rows += ["", "| Item status | RAG on its own | When (first that applies) |", "|---|---|---|"]
    rows += [f"| {name} | {rag} | {_cell(when)} |" for name, rag, when in ITEM_STATES]
    return "\n".join(rows)


def _cli():
    from gain_workbook.cli import cli

    return cli


def _usage(name: str) -> str:
    """'gain-pack build REGISTER [OPTIONS]': the command and its arguments."""
    import click

    cmd = _cli().commands[name]
    args = [p.human_readable_name for p in cmd.params if isinstance(p, click.Argument)]
    return " ".join(["gain-pack", name, *args, "[OPTIONS]"])


def _first_paragraph(name: str) -> str:
    import inspect

    doc = inspect.cleandoc(_cli().commands[name].help or "")
    return " ".join(doc.split("\n\n")[0].split())


def command_help(name: str) -> str:
    """`gain-pack NAME --help` as it prints, at 100 columns whatever the terminal."""
    from click.testing import CliRunner

    result = CliRunner().invoke(_cli(), [name, "--help"], prog_name="gain-pack",
                                terminal_width=100)
    if result.exit_code != 0:
        raise SystemExit(f"gain-pack {name} --help failed: {result.output}")
    return result.output.rstrip("\n")


def _link(target: Path, here: Path) -> str:
    """``target`` as a link from the file ``here`` ('' when it is that file)."""
    if target == here:
        return ""
    return Path(os.path.relpath(target, here.parent)).as_posix()


def commands_table(here: Path = README) -> str:
    """One row per command, linked to its --help on the commands page."""
    page = _link(COMMANDS_PAGE, here)
    rows = ["| Command | What it does |", "|---|---|"]
    rows += [f"| [`{_usage(n)}`]({page}#gain-pack-{n}) | {_cell(_first_paragraph(n))} |"
             for n in _cli().commands]
    return "\n".join(rows)


def command_reference() -> str:
    parts = []
    for name in _cli().commands:
        parts.append(f"### gain-pack {name}\n\n```text\n{command_help(name)}\n```")
    return "\n\n".join(parts)


def _packages():
    sys.path.insert(0, str(ROOT / "tests"))
    from test_layering import PACKAGES, TOP

    return PACKAGES, TOP


def _modules(name: str) -> list[str]:
    return [p.stem for p in sorted((ROOT / "gain_workbook" / name).glob("*.py"))
            if p.name != "__init__.py"]


def layers() -> str:
    """The layers of the one-way flow, bottom first, as tests/test_layering.py has them."""
    packages, top = _packages()
    lines = [f"{i}. `{name}/`, {what}: " + ", ".join(f"`{m}`" for m in _modules(name))
             for i, (name, what) in enumerate(packages, start=1)]
    lines.append(f"{len(packages) + 1}. on top: " + ", ".join(f"`{m}`" for m in top))
    return "\n".join(lines)


def packages_table(here: Path) -> str:
    """The packages, top first (as a reader meets them), each linked to its folder."""
    packages, top = _packages()
    code = ROOT / "gain_workbook"
    rows = ["| Layer | Package | What it holds | Modules |", "|---:|---|---|---|"]
    rows.append(f"| {len(packages) + 1} | "
                + ", ".join(f"[`{m}.py`]({_link(code / (m + '.py'), here)})" for m in top)
                + " | the commands (`cli`, the only module that imports click) and one api "
                  "function per command, named like it | |")
    for i, (name, what) in reversed(list(enumerate(packages, start=1))):
        rows.append(f"| {i} | [`{name}/`]({_link(code / name, here)}/) | {_cell(what)} | "
                    + ", ".join(f"`{m}`" for m in _modules(name)) + " |")
    return "\n".join(rows)


def header_forms() -> str:
    """How a header is read besides our spellings: Welsh, abbreviations, group headers, the
    labels of cards (all from schema.py)."""
    from gain_workbook.model import schema

    welsh = ", ".join(f"'{w}' = '{e}'" for w, e in schema.WELSH_HEADER_WORDS)
    abbr = ", ".join(f"'{a}' = '{w}'" for a, w in sorted(schema.HEADER_ABBREVIATIONS.items()))
    groups = "; ".join(f"{schema.SHEET_NAMES[t]} (read with '{word}'): "
                       + ", ".join(sorted(ws)) for t, ws, word in schema.GROUP_WORDS)
    refs = ", ".join(f"'{w}'" for w in sorted(schema.GROUP_REF_WORDS))
    cards = "; ".join(f"{schema.BY_KEY[k].header}: " + ", ".join(f"'{w}'" for w in labels)
                      for k, labels in schema.CARD_LABELS.items())
    return "\n".join([
        f"- **Welsh**, read as the English it stands for (either half of a bilingual header "
        f"matches): {_cell(welsh)}.",
        f"- **Abbreviations**, spelt out: {_cell(abbr)}.",
        f"- **Group headers** (a row of merged headers above the headers): the table a group "
        f"names by its words, first that matches: {_cell(groups)}. Under a group, a ref "
        f"({_cell(refs)}) is that table's ref (an item's number, an action's id, a report's "
        f"id).",
        f"- **Card labels** (a layout of cards): {_cell(cards)}; a card's other rows may "
        f"label any column of an item ('Lead:', 'Deadline:').",
        f"- **Names** (a column of owners read from its values) start with a rank, post or "
        f"title ({_cell(', '.join(sorted(schema.NAME_TITLES)))}) or are two or three "
        f"capitalised words."])


def _fenced(fn):
    return lambda here: "```text\n" + fn() + "\n```"


def _plain(fn):
    return lambda here: fn()


# Each part: a function of the file that holds its block (for links relative to it).
PARTS = {
    "commands": commands_table,
    "command-reference": _plain(command_reference),
    "layers": _plain(layers),
    "packages": packages_table,
    "rag": _plain(rag_table),
    "columns": _plain(columns_table),
    "aliases": _plain(aliases_table),
    "vocab": _plain(vocab_table),
    "rules": _plain(rules_table),
    "settings": _plain(settings_table),
    "validate-example": _fenced(validate_example),
    "describe-example": _fenced(describe_example),
    "add-report-example": _fenced(add_report_example),
    "add-report-lead-in-example": _fenced(lambda: add_report_forms_example(
        "revisit-2023 west mercia hmicfrs letter page.txt", "Revisit letter.txt",
        "West Mercia Police")),
    "add-report-unlabelled-example": _fenced(lambda: add_report_forms_example(
        "core-business-2014 hmicfrs register page.txt", "Register page.txt", "Kent Police",
        "--title", "Core Business: an inspection into crime prevention, police attendance "
        "and the use of police time", "--published", "04/09/2014")),
    "email-example": _fenced(email_example),
    "word-rules": _plain(word_rules_table),
    "value-forms": _plain(value_forms),
    "header-forms": _plain(header_forms),
    "refusal-example": _fenced(refusal_example),
}


def replace_block(text: str, name: str, body: str) -> str:
    """``text`` with the block between <!-- BEGIN name --> and <!-- END name --> set to
    ``body`` (scripts/bench.py --write-readme uses it too)."""
    pattern = re.compile(rf"(<!-- BEGIN {name} -->\n)(?:.*?\n)?(<!-- END {name} -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"no <!-- BEGIN {name} --> ... END block to write into")
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


def blocks_in(text: str, where: str = "the text") -> list[str]:
    """The names of the blocks in ``text``, in order; SystemExit for a block not closed,
    closed twice or not one we know."""
    names, open_ = [], None
    for m in BLOCK.finditer(text):
        kind, name = m.groups()
        if kind == "BEGIN" and open_ is None:
            open_ = name
        elif kind == "END" and open_ == name:
            names.append(name)
            open_ = None
        else:
            raise SystemExit(f"{where}: <!-- {kind} {name} --> where "
                             + (f"<!-- END {open_} --> was expected" if open_ else
                                "no block is open"))
    if open_ is not None:
        raise SystemExit(f"{where}: <!-- BEGIN {open_} --> is never ended")
    unknown = [n for n in names if n not in PARTS and n not in WRITTEN_BY]
    if unknown:
        raise SystemExit(f"{where}: no part called {', '.join(unknown)} "
                         f"(known: {', '.join(sorted([*PARTS, *WRITTEN_BY]))})")
    return names


def render(text: str, here: Path = README) -> str:
    """The text of the file ``here`` with each generated block in it brought up to date."""
    for name in blocks_in(text, _shown(here)):
        if name in PARTS:
            text = replace_block(text, name, PARTS[name](here))
    return text


def _shown(path: Path) -> str:
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def render_all() -> dict[Path, tuple[str, str]]:
    """Every documentation file: {path: (its text now, its text regenerated)}; SystemExit
    when a part is in no file (it would drift unseen)."""
    out, seen = {}, set()
    for path in doc_files():
        old = path.read_text(encoding="utf-8")
        seen.update(blocks_in(old, _shown(path)))
        out[path] = (old, render(old, path))
    missing = [n for n in [*PARTS, *WRITTEN_BY] if n not in seen]
    if missing:
        raise SystemExit("no documentation file holds the block(s) " + ", ".join(missing)
                         + ": put <!-- BEGIN name --> and <!-- END name --> where each goes")
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true",
                   help="change nothing; exit 1 if a generated block is out of date")
    args = p.parse_args(argv)
    stale = []
    for path, (old, new) in render_all().items():
        if new == old:
            continue
        stale.append(_shown(path))
        if not args.check:
            path.write_text(new, encoding="utf-8")
    if args.check and stale:
        print(f"{', '.join(stale)} out of date: run python scripts/gen_docs.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
