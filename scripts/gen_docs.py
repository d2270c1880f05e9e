#!/usr/bin/env python3
"""Regenerate the parts of README.md that come from the code, so the docs cannot drift.

    python scripts/gen_docs.py          # rewrite README.md in place
    python scripts/gen_docs.py --check  # exit 1 if README.md is out of date (used by the tests)

Each generated part sits between ``<!-- BEGIN name -->`` and ``<!-- END name -->``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
sys.path.insert(0, str(ROOT))


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
        proc = subprocess.run([sys.executable, "-m", "gain_workbook", "validate", path.name],
                              capture_output=True, text=True, cwd=d)
    return f"$ gain-pack validate \"Inspection register.xlsx\"\n{proc.stdout}(exit code {proc.returncode})"


def describe_example() -> str:
    """Real output of `gain-pack describe` on a PCC panel's tracker (tests/shapes.py)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from shapes import pcc_panel_flat_tracker

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "HMICFRS tracker.xlsx"
        pcc_panel_flat_tracker(path)
        proc = subprocess.run([sys.executable, "-m", "gain_workbook", "describe", path.name],
                              capture_output=True, text=True, cwd=d)
    return f"$ gain-pack describe \"HMICFRS tracker.xlsx\"\n{proc.stdout}(exit code {proc.returncode})"


def add_report_example() -> str:
    """Real output of `gain-pack add-report` (a dry run) on the reference response's text,
    into a new register."""
    from gain_workbook.register.template import write_register_template

    source = ROOT / "tests" / "data" / "reports" / "cse-2023 pcc response pasted.txt"
    with tempfile.TemporaryDirectory() as d:
        write_register_template(Path(d) / "Inspection register.xlsx",
                                force_name="Cleveland Police")
        shutil.copyfile(source, Path(d) / "CSE report.txt")
        proc = subprocess.run([sys.executable, "-m", "gain_workbook", "add-report",
                               "Inspection register.xlsx", "CSE report.txt"],
                              capture_output=True, text=True, cwd=d)
    return (f"$ gain-pack add-report \"Inspection register.xlsx\" \"CSE report.txt\"\n"
            f"{proc.stdout}(exit code {proc.returncode})")


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
    return "\n".join([
        f"- **No date yet** in a date column ({no_date}): read as no date, a warning "
        "(`DATE_NOT_GIVEN`), not an error, even in a required column; the text is kept "
        "(`adopt` writes it back as it was).",
        "- **A month or a quarter**: 'Dec-25', 'Dec 2025', 'December 2025' mean the last day "
        "of that month; 'Q1 2026' the last day of that quarter, financial quarters by "
        "default (Q1 = April to June, as UK public bodies count; the `Quarters` setting "
        "says `calendar` for Q1 = January to March); 'Q4 2025/26' is always financial. Each "
        "such reading is a warning (`DATE_READ_AS`) that shows the date used.",
        "- **Status words** beyond the list (table above) and **typos one letter away** "
        "('Compelte', `WORD_READ_AS`). A typed "
        f"{overdue} means the action is still open (`OVERDUE_WORD`): overdue is worked out "
        "from the dates.",
        "- **Several types in one cell**: 'National / Thematic', 'National & Thematic', "
        "'National; Thematic' (only the separators differ from our list, so no warning).",
        f"- **Yes or no in words**: {yes_no} ('N/A – for the Home Office', 'Yes (all "
        "forces)'), with a warning.",
        f"- **Refs** in one column ('Ref', 'Rec No.'): the kind words {kinds} followed by a "
        "number give the item's kind and number when there is no Kind column ('R1', 'Rec 3', "
        "'AFI7', 'CoC 1', 'ACoC 1', 'CfC 1'); 'CoC1-R2' is recommendation 2 under cause of "
        "concern 1, linked to it (the cause of concern takes its status from those "
        "recommendations, and needs no actions of its own). Fire services' pillar refs "
        "('E1', 'P1', 'EF1') are kept as written; their kind comes from the text column's "
        "header when it names one ('Area for Improvement'). The pack shows the ref as you "
        "wrote it.",
        "- **Action refs that restart** in each item ('1', '2'; '1.1'; 'R2.1'): an action is "
        "its item and its ref, shown as 'item ref'; only a repeat within one item is a "
        "`DUPLICATE_ID`.",
        "- **An item 'Status'** on an Items sheet, or 'Overall Status', is the force's own "
        "word, kept as written in *Force's status*; only a header that says HMICFRS or "
        "inspectorate is the HMICFRS status.",
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


def commands_table() -> str:
    rows = ["| Command | What it does |", "|---|---|"]
    rows += [f"| [`{_usage(n)}`](#gain-pack-{n}) | {_cell(_first_paragraph(n))} |"
             for n in _cli().commands]
    return "\n".join(rows)


def command_reference() -> str:
    parts = []
    for name in _cli().commands:
        parts.append(f"### gain-pack {name}\n\n```text\n{command_help(name)}\n```")
    return "\n\n".join(parts)


def layers() -> str:
    """The layers of the one-way flow, bottom first, as tests/test_layering.py has them."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_layering import PACKAGES, TOP

    package = ROOT / "gain_workbook"
    lines = [f"{i}. `{name}/`, {what}: "
             + ", ".join(f"`{p.stem}`" for p in sorted((package / name).glob("*.py"))
                         if p.name != "__init__.py")
             for i, (name, what) in enumerate(PACKAGES, start=1)]
    lines.append(f"{len(PACKAGES) + 1}. on top: " + ", ".join(f"`{m}`" for m in TOP))
    return "\n".join(lines)


PARTS = {
    "commands": commands_table,
    "command-reference": command_reference,
    "layers": layers,
    "rag": rag_table,
    "columns": columns_table,
    "aliases": aliases_table,
    "vocab": vocab_table,
    "rules": rules_table,
    "settings": settings_table,
    "validate-example": lambda: "```text\n" + validate_example() + "\n```",
    "describe-example": lambda: "```text\n" + describe_example() + "\n```",
    "add-report-example": lambda: "```text\n" + add_report_example() + "\n```",
    "word-rules": word_rules_table,
    "value-forms": value_forms,
}


def replace_block(text: str, name: str, body: str) -> str:
    """``text`` with the block between <!-- BEGIN name --> and <!-- END name --> set to
    ``body`` (scripts/bench.py --write-readme uses it too)."""
    pattern = re.compile(rf"(<!-- BEGIN {name} -->\n)(?:.*?\n)?(<!-- END {name} -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no <!-- BEGIN {name} --> ... END block")
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


def render(text: str) -> str:
    """README text with every generated part brought up to date."""
    for name, fn in PARTS.items():
        text = replace_block(text, name, fn())
    return text


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true")
    args = p.parse_args(argv)
    old = README.read_text(encoding="utf-8")
    new = render(old)
    if args.check:
        if new != old:
            print("README.md is out of date: run python scripts/gen_docs.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
