"""The one-way flow: each module imports only modules below it, and the CLI stays thin.

LAYERS is the order, bottom first (the README's developer notes print it, from here).
A module may import (at the top or inside a function) only modules of the layers
before it, or modules before it in its own layer. A new module must be placed.
"""

from __future__ import annotations

import ast
import statistics

from conftest import ROOT

LAYERS = [
    ("foundations", ["text", "errors", "dates", "refs", "schema", "history", "settings",
                     "tables", "problems", "styles", "fastsheet", "stop", "files", "bundled", "wording",
                     "xlsx", "libreoffice", "addresses"]),
    ("sniff: is the file safe to open", ["sniff"]),
    ("packfile: the pack read back as input", ["packfile"]),
    ("register: how a workbook is read, and reading it", ["detect", "values", "derive",
                                                          "register"]),
    ("the register template: init and adopt", ["register_template", "adopt"]),
    ("validate", ["validate", "annotate"]),
    ("rollup", ["rollup", "views"]),
    ("the owners' chase: requests, replies, merge", ["chase", "request_sheet", "replies", "merge",
                                                     "register_edit", "received"]),
    ("pack and response", ["movement", "pack", "response", "response_sheet",
                           "response_docx"]),
    ("a new report: its text read into the register", ["report_source", "report_items",
                                                        "report_add"]),
    ("mailer", ["mailer"]),
    ("the month's helpers", ["monthly"]),
    ("api", ["api"]),
    ("cli", ["cli", "__main__"]),
]
ORDER = [m for _, mods in LAYERS for m in mods]
PACKAGE = ROOT / "gain_workbook"


def imports_of(path) -> set[str]:
    """The gain_workbook modules a file imports, wherever in it."""
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and \
                node.module.split(".")[0] == "gain_workbook":
            parts = node.module.split(".")
            if len(parts) > 1:
                found.add(parts[1])
            else:
                found.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names
                         if a.name.startswith("gain_workbook."))
    return found


def test_every_module_has_its_place():
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert sorted(ORDER) == sorted(modules), set(ORDER) ^ modules
    assert len(ORDER) == len(set(ORDER))


def test_each_module_imports_only_what_is_below_it():
    wrong = []
    for name in ORDER:
        at = ORDER.index(name)
        for dep in imports_of(PACKAGE / f"{name}.py"):
            if dep != name and dep in ORDER and ORDER.index(dep) > at:
                wrong.append(f"{name} imports {dep}, which is above it")
    assert not wrong, wrong


def test_the_mailer_does_not_pull_in_the_register_reader():
    """Through anything it imports, at the top or inside a function."""
    seen, todo = set(), ["mailer"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += [d for d in imports_of(PACKAGE / f"{name}.py") if d in ORDER]
    assert not seen & {"register", "validate", "rollup", "movement", "response"}, seen


def test_click_is_imported_only_by_the_cli():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
                 for a in n.names}
        names |= {n.module.split(".")[0] for n in ast.walk(tree)
                  if isinstance(n, ast.ImportFrom) and n.module}
        assert "click" not in names or path.name == "cli.py", path.name


def command_bodies() -> dict[str, int]:
    """Lines of each command's body in cli.py: after its docstring, without blank lines
    and comments."""
    source = (PACKAGE / "cli.py").read_text(encoding="utf-8")
    lines = source.splitlines()
    out = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        if not any("command" in ast.unparse(d) for d in node.decorator_list):
            continue
        body = node.body[1:] if isinstance(node.body[0], ast.Expr) and \
            isinstance(node.body[0].value, ast.Constant) else node.body
        text = lines[body[0].lineno - 1:node.end_lineno]
        out[node.name] = sum(1 for t in text if t.strip() and not t.strip().startswith("#"))
    return out


def test_commands_are_thin():
    bodies = command_bodies()
    assert len(bodies) >= 9, bodies
    assert statistics.median(bodies.values()) <= 12, bodies
    assert max(bodies.values()) <= 20, bodies       # nothing has grown a second job
