#!/usr/bin/env python3
"""Regenerate the parts of README.md that come from the code, so the docs cannot drift.

    python scripts/gen_docs.py          # rewrite README.md in place
    python scripts/gen_docs.py --check  # exit 1 if README.md is out of date (used by the tests)

Each generated part sits between ``<!-- BEGIN name -->`` and ``<!-- END name -->``.
"""

from __future__ import annotations

import argparse
import re
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
    from gain_workbook import schema

    rows = ["| Sheet | Column | Required | What to put in it |", "|---|---|---|---|"]
    for c in schema.COLUMNS:
        req = "yes" if c.required else ""
        if c.required_column:
            req = "yes (column must exist)"
        rows.append(f"| {schema.SHEET_NAMES[c.table]} | {_cell(c.header)} | {req} | "
                    f"{_cell(c.description)} |")
    return "\n".join(rows)


def aliases_table() -> str:
    from gain_workbook import schema

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
    from gain_workbook import schema

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
    from gain_workbook.schema import RULES

    rows = ["| Code | Severity | Problem | Message (template) |", "|---|---|---|---|"]
    for r in RULES.values():
        rows.append(f"| `{r.code}` | {r.severity} | {_cell(r.title)} | {_cell(r.message)} |")
    return "\n".join(rows)


def settings_table() -> str:
    from gain_workbook.settings import SETTINGS

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

    from gain_workbook.template import write_template

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "Inspection register.xlsx"
        write_template(path)
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


def rag_table() -> str:
    from gain_workbook.rollup import ITEM_STATES, RAG_RULES

    rows = ["| RAG | When |", "|---|---|"]
    rows += [f"| {rag} | {_cell(when)} |" for rag, when in RAG_RULES]
    rows += ["", "| Item status | RAG on its own | When (first that applies) |", "|---|---|---|"]
    rows += [f"| {name} | {rag} | {_cell(when)} |" for name, rag, when in ITEM_STATES]
    return "\n".join(rows)


PARTS = {
    "rag": rag_table,
    "columns": columns_table,
    "aliases": aliases_table,
    "vocab": vocab_table,
    "rules": rules_table,
    "settings": settings_table,
    "validate-example": lambda: "```text\n" + validate_example() + "\n```",
}


def render(text: str) -> str:
    """README text with every generated part brought up to date."""
    for name, fn in PARTS.items():
        pattern = re.compile(rf"(<!-- BEGIN {name} -->\n)(?:.*?\n)?(<!-- END {name} -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no <!-- BEGIN {name} --> ... END block")
        body = fn()
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)
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
