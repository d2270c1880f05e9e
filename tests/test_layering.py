"""The one-way flow: each package imports only the packages below it, and the CLI stays thin.

PACKAGES is the order, bottom first (ARCHITECTURE.md and the developer docs print it,
from here). A module may import (at the top or inside a function) modules of its own
package and of the packages before it; ``api`` may import any package; ``cli`` only
``api`` and ``core``. Within a package, no two modules import each other, however
indirectly. A new package must be placed here (and named in setup.cfg).
"""

from __future__ import annotations

import pytest
import ast
import statistics

from conftest import ROOT

PACKAGES = [
    ("core", "foundations: typed errors, text, dates, the one way files are written, "
             "sniffing a file, bundled files, LibreOffice"),
    ("model", "the register's model: schema, Settings, refs, problems, tables, history"),
    ("excel", "writing .xlsx safely and fast; the pack's file format"),
    ("mail", "composing and sending email (needs no register reader)"),
    ("register", "reading a workbook as a register; the template; adopt; the one edit"),
    ("check", "validate and annotate"),
    ("status", "the roll-up, its views, and the movement since last month"),
    ("chase", "the owners' chase: requests, replies, merge, what came back"),
    ("pack", "the monthly board pack"),
    ("response", "the PCC's section 55 response"),
    ("newreport", "a new report's text read into the register"),
]
TOP = ["api", "cli", "__main__"]           # above every package, in this order
ORDER = [p for p, _ in PACKAGES]
PACKAGE = ROOT / "gain_workbook"


def module_name(path) -> str:
    """'status.rollup' for gain_workbook/status/rollup.py, 'api' for gain_workbook/api.py."""
    rel = path.relative_to(PACKAGE).with_suffix("")
    return ".".join(rel.parts)


def all_modules() -> dict[str, object]:
    """Every module of the package but the __init__ files: {dotted name: path}."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))
            if p.name != "__init__.py" and "templates" not in p.parts}


def imports_of(path) -> set[str]:
    """The gain_workbook modules a file imports, wherever in it, as dotted names
    ('status.rollup'); a package imported as a whole is its name ('status')."""
    known = set(all_modules()) | set(ORDER)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and \
                node.module.split(".")[0] == "gain_workbook":
            base = node.module.split(".", 1)[1] if "." in node.module else ""
            for alias in node.names:
                sub = f"{base}.{alias.name}" if base else alias.name
                if sub in known:
                    found.add(sub)
                elif base:
                    found.add(base)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".", 1)[1] for a in node.names
                         if a.name.startswith("gain_workbook."))
    return found


def level(name: str) -> int:
    """Where a module (or package) stands: its package's place, then the top modules."""
    head = name.split(".")[0]
    return ORDER.index(head) if head in ORDER else len(ORDER) + TOP.index(head)


def test_every_package_and_module_has_its_place():
    folders = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert sorted(folders) == sorted(ORDER), folders ^ set(ORDER)
    tops = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert sorted(tops) == sorted(TOP), tops ^ set(TOP)


def test_each_module_imports_only_what_is_below_it():
    wrong = []
    for name, path in all_modules().items():
        for dep in imports_of(path):
            if level(dep) > level(name):
                wrong.append(f"{name} imports {dep}, which is above it")
    assert not wrong, wrong


def test_the_cli_uses_only_the_api_and_core():
    deps = imports_of(PACKAGE / "cli.py")
    assert {d.split(".")[0] for d in deps} <= {"api", "core"}, deps


def test_no_module_imports_itself_round_a_circle():
    """Within a package, an import cycle (even through functions) hides which module
    does the job; none is allowed."""
    graph = {name: {d for d in imports_of(path) if d in all_modules() and d != name}
             for name, path in all_modules().items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node, trail):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not cycles, cycles


def test_the_mailer_does_not_pull_in_the_register_reader():
    """Through anything it imports, at the top or inside a function."""
    modules = all_modules()
    seen, todo = set(), [m for m in modules if m.startswith("mail.")]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += [d for d in imports_of(modules[name]) if d in modules]
    heads = {s.split(".")[0] for s in seen}
    assert not heads & {"register", "check", "status", "response"}, seen


@pytest.mark.slow
def test_click_is_imported_only_by_the_cli():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
                 for a in n.names}
        names |= {n.module.split(".")[0] for n in ast.walk(tree)
                  if isinstance(n, ast.ImportFrom) and n.module}
        assert "click" not in names or path.name == "cli.py", path


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


# ---------------------------------------------------------------- functions a reader can hold

LONGEST_FUNCTION = 60      # lines, from `def` (decorators not counted) to the last line
# Issue 25: no function over 60 lines. A long one kept for a while (a branch rewriting
# its package) is named here, 'module:qualified name', and taken out when it is split:
# the test fails on a name whose function is no longer long, so the list only shrinks.
LONG_FUNCTIONS_TO_SPLIT: set[str] = set()


def function_lengths() -> dict[str, int]:
    """Lines of every function and method in the package, nested ones too, as
    {'module:qualified name': lines} ('register.cards:find_cards', 'core.sniff:_GridWalk.start')."""
    out = {}

    def visit(node, module, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                out[f"{module}:{name}"] = child.end_lineno - child.lineno + 1
                visit(child, module, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, module, prefix + child.name + ".")
            else:
                visit(child, module, prefix)

    for path in sorted(PACKAGE.rglob("*.py")):
        visit(ast.parse(path.read_text(encoding="utf-8")), module_name(path), "")
    return out


def test_no_function_runs_past_60_lines():
    lengths = function_lengths()
    assert len(lengths) > 500, len(lengths)            # the walk found the package
    long = {name: n for name, n in lengths.items() if n > LONGEST_FUNCTION}
    new = {name: n for name, n in long.items() if name not in LONG_FUNCTIONS_TO_SPLIT}
    assert not new, f"split these by what they do (at most {LONGEST_FUNCTION} lines): {new}"
    done = sorted(LONG_FUNCTIONS_TO_SPLIT - set(long))
    assert not done, f"no longer over {LONGEST_FUNCTION} lines (or gone): take them out " \
                     f"of LONG_FUNCTIONS_TO_SPLIT: {done}"
