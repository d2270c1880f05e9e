"""Messages never tell a user to pass an option their command does not have.

Every `--flag` a message names is either an option of the command that printed it,
or sits in a quoted command line that names its own command (`gain-pack validate
--format csv`). The walk runs each command into the faults that name options; the
static check catches a flag that no command has at all (a typo, a removed option).
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import ROOT, base_data, write_register
from gain_workbook.cli import cli

D = dt.date
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]+")
QUOTED = re.compile(r"`gain-pack ([a-z-]+)[^`]*`")
NOT_OURS = {"--headless", "--convert-to", "--outdir", "--norestore"}   # LibreOffice's own


def options(name: str | None) -> set[str]:
    command = cli.commands[name] if name else cli
    return {o for p in command.params for o in getattr(p, "opts", ())} | {"--help"}


def flags_named(text: str, command: str) -> list[tuple[str, str]]:
    """(flag, the command it must belong to) for every flag in a message."""
    out = []
    for quoted in QUOTED.finditer(text):
        out += [(f, quoted.group(1)) for f in FLAG.findall(quoted.group(0))]
    rest = QUOTED.sub("", text)
    out += [(f, command) for f in FLAG.findall(rest)]
    return out


def test_every_flag_in_the_source_is_an_option_of_some_command():
    every = set().union(*(options(n) for n in cli.commands), options(None))
    for path in sorted((ROOT / "gain_workbook").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for flag in set(FLAG.findall(node.value)) - NOT_OURS:
                    assert flag in every, f"{path.name}: {flag} is no command's option"


def _invalid(tmp_path) -> Path:
    data = base_data()
    for a in data["actions"]:
        a["Status"] = "Parked"                     # an error in every row
    return write_register(tmp_path / "invalid.xlsx", data)


def _valid_without_mail(tmp_path) -> Path:
    data = base_data()
    data["inspections"][0].update({"Plenary session": D(2024, 2, 1)})
    return write_register(tmp_path / "valid.xlsx", data)


def scenarios(tmp_path):
    bad, good = _invalid(tmp_path), _valid_without_mail(tmp_path)
    pack = tmp_path / "pack.xlsx"
    existing = tmp_path / "exists.xlsx"
    existing.write_bytes(b"")
    out = ["--as-of", "2024-02-20"]
    return [
        ("validate", [str(bad)]),
        ("rollup", [str(bad), *out]),
        ("build", [str(bad), "-o", str(pack), *out]),
        ("response", [str(bad), "--all", "-o", str(tmp_path / "r.xlsx"), *out]),
        ("response", [str(good), "-o", str(tmp_path / "r.xlsx")]),           # which one?
        ("monthly", [str(bad), "--no-email", *out]),
        ("build", [str(good), "-o", str(pack), *out]),                      # (for email)
        ("email", [str(pack), "--register", str(good)]),                   # no recipients
        ("email", [str(pack), "--to", "a@example.org", "--send"]),         # no SMTP host
        ("monthly", [str(good), "--out-dir", str(tmp_path), *out]),        # no recipients
        ("monthly", [str(good), "--out-dir", str(tmp_path), "--to", "a@example.org",
                     "--send", *out]),                                    # no SMTP host
        ("init", [str(existing)]),
        ("adopt", [str(good), "-o", str(existing)]),
    ]


@pytest.mark.slow
def test_no_message_names_an_option_its_command_lacks(tmp_path, runner):
    named = 0
    for command, args in scenarios(tmp_path):
        result = runner.invoke(cli, [command, *args])
        text = result.stdout + result.stderr
        for flag, owner in flags_named(text, command):
            named += 1
            assert flag in options(owner), f"`gain-pack {command}` said {flag}:\n{text}"
    assert named >= 8        # the faults above do name options where the command has them


@pytest.mark.parametrize("command, has", [("build", True), ("rollup", False),
                                          ("monthly", False)])
def test_the_way_out_is_offered_only_where_it_exists(tmp_path, runner, command, has):
    args = [command, str(_invalid(tmp_path)), "--as-of", "2024-02-20"]
    if command == "build":
        args += ["-o", str(tmp_path / "p.xlsx")]
    if command == "monthly":
        args += ["--no-email"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "The register has 3 errors; fix them (`gain-pack validate` lists them)" in result.stderr
    assert ("or pass --allow-errors to go on regardless" in result.stderr) is has


def test_counts_read_as_english_through_one_helper():
    """'1 overdue action', '2 warnings': text.plural, not a hand-made 's' in each message."""
    from gain_workbook.core.text import plural

    assert plural(1, "overdue action") == "1 overdue action"
    assert plural(0, "warning") == "0 warnings" and plural(2, "error") == "2 errors"
    assert plural(3, "inspection") == "3 inspections"
    hand_made = re.compile(r"""\{['"]s['"] \*|['"]s['"] if [^'"]* != 1""")
    for path in sorted((ROOT / "gain_workbook").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert not hand_made.search(line), f"{path.name}:{n} makes its own plural: {line}"


def test_one_error_is_it_and_one_warning_is_a_warning(tmp_path, runner):
    data = base_data()
    data["actions"][0]["Status"] = "Parked"
    reg = write_register(tmp_path / "one.xlsx", data)
    result = runner.invoke(cli, ["build", str(reg), "-o", str(tmp_path / "p.xlsx")])
    assert "NOT valid - 1 error, 0 warnings" in result.stderr
    assert "The register has 1 error; fix it (`gain-pack validate` lists it)" in result.stderr


# Text that documents a Setting on the Settings sheet may say which option it stands
# in for ('for --send'): it is the Guide for the person filling the sheet in, not a
# message. Everything else outside cli.py says what is wrong in the library's terms.
DOCUMENTATION = {("settings.py", "Setting")}


def _library_strings():
    """(file, line, text) for every string in gain_workbook outside cli.py that is not a
    docstring, not a Setting's description, and not an argument to a program we run."""
    for path in sorted((ROOT / "gain_workbook").rglob("*.py")):
        if path.name in ("cli.py", "__main__.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body \
                    and isinstance(node.body[0], ast.Expr) \
                    and isinstance(node.body[0].value, ast.Constant):
                skip.add(id(node.body[0].value))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    (path.name, node.func.id) in DOCUMENTATION:
                skip.update(id(n) for n in ast.walk(node))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    id(node) not in skip:
                yield path.name, node.lineno, node.value


@pytest.mark.slow
def test_no_library_message_names_a_command_line_option():
    found = [(name, line, text) for name, line, text in _library_strings()
             if set(FLAG.findall(text)) - NOT_OURS]
    assert not found, found
    # the test sees the strings it must: f-string parts and hint clauses alike
    texts = [t for _, _, t in _library_strings()]
    assert any("pass {option} to go on regardless" in t for t in texts)
    assert any("is not an email address" in t for t in texts)


def test_a_hint_names_the_option_of_the_command_that_has_one():
    from gain_workbook.core.errors import GainError, Hint

    exc = GainError("No recipients: fill in 'Email to'.",
                    hints=[Hint("register", " (and pass {option})"),
                           Hint("to", ", or give {option}")])
    assert exc.text_for({"to": "--to"}.get) == "No recipients: fill in 'Email to', or give --to."
    assert exc.text_for({}.get) == "No recipients: fill in 'Email to'."
    assert exc.text_for({"register": "--register", "to": "--to"}.get) == \
        "No recipients: fill in 'Email to' (and pass --register), or give --to."


def test_the_sender_hint_is_the_from_option(tmp_path, runner):
    """The argument is 'sender'; its option is --from: the CLI looks the name up."""
    good = _valid_without_mail(tmp_path)
    pack = tmp_path / "pack.xlsx"
    assert runner.invoke(cli, ["build", str(good), "-o", str(pack)]).exit_code == 0
    r = runner.invoke(cli, ["email", str(pack), "--to", "a@example.org", "--send",
                            "--smtp-host", "127.0.0.1"])
    assert r.exit_code == 2
    assert "No sender address: fill in 'Email from' on the Settings sheet, or give --from." \
        in r.stderr


def test_a_bug_is_said_to_be_one_with_its_own_exit_code(tmp_path, runner, monkeypatch):
    """Not 2 (misuse or an unreadable input): the user did nothing wrong."""
    from gain_workbook.status import views
    from gain_workbook.cli import EXIT_BUG

    good = _valid_without_mail(tmp_path)

    def broken(*args, **kwargs):
        raise TypeError("unsupported operand type(s)")

    monkeypatch.setattr(views, "records", broken)
    r = runner.invoke(cli, ["rollup", str(good)])
    assert r.exit_code == EXIT_BUG == 70
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gain-pack: this is a bug in gain-pack")
    assert "--debug" in lines[0] and "TypeError: unsupported operand" in lines[0]
    assert "Traceback" not in r.stderr
    r = runner.invoke(cli, ["rollup", str(good), "--debug"])
    assert isinstance(r.exception, TypeError)
