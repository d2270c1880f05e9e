"""The README's generated tables and example output match the code."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_readme_is_up_to_date():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_readme_opens_with_the_two_command_quickstart():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("\n", 1)[1].split("```", 1)[0].strip() for b in quick.split("```sh")[1:]]
    assert len(blocks) == 2
    assert blocks[0].startswith("python3 -m venv") and "pip install ." in blocks[0]
    assert 'gain-pack build "examples/Example register.xlsx"' in blocks[0]
    assert blocks[1] == "bash scripts/test"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test" in ci


def test_bundled_example_is_what_make_example_writes(tmp_path):
    from gain_workbook.register.reader import read_register

    fresh = tmp_path / "example.xlsx"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_example.py"), str(fresh)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    a, b = read_register(ROOT / "examples" / "Example register.xlsx"), read_register(fresh)
    for t in ("inspections", "items", "actions"):
        assert a.table(t).frame.equals(b.table(t).frame), t


def test_quickstart_build_works_on_the_bundled_example(tmp_path, runner):
    import shutil

    from gain_workbook.cli import cli

    reg = tmp_path / "Example register.xlsx"
    shutil.copyfile(ROOT / "examples" / "Example register.xlsx", reg)
    result = runner.invoke(cli, ["build", str(reg), "--as-of", "2026-11-28", "--meeting",
                                 "2026-12-03"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "GAIN board pack 2026-11.xlsx").exists()


def test_windows_quickstart_is_windows_powershell_5_and_runs_the_same_build(tmp_path, runner):
    """No PowerShell here, so its form is checked: Windows PowerShell 5.1 has no && (only
    PowerShell 7 does), a relative program needs .\\, a path with a space needs quotes;
    and its gain-pack arguments, read as PowerShell reads them, build the pack."""
    import re
    import shutil

    from gain_workbook.cli import cli

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    (block,) = [b.split("\n", 1)[1].split("```", 1)[0].strip()
                for b in quick.split("```powershell")[1:]]
    assert "\n" not in block and "&&" not in block and "||" not in block
    assert block.count("{") == block.count("}") and block.count("(") == block.count(")")
    steps = [s.strip() for s in block.split(";")]
    assert steps[0] == "py -m venv .venv"
    bodies = []
    for step in steps[1:]:
        m = re.fullmatch(r"if \(\$\?\) \{ (.+) \}", step)
        assert m, step                    # each step runs only if the one before worked
        bodies.append(m.group(1))
    assert bodies[0] == r".\.venv\Scripts\python.exe -m pip install ."
    program, rest = bodies[1].split(" ", 1)
    assert program == r".\.venv\Scripts\gain-pack.exe"
    args = [a[1:-1] if a.startswith('"') else a for a in re.findall(r'"[^"]*"|\S+', rest)]
    assert args[:2] == ["build", r".\examples\Example register.xlsx"]
    reg = tmp_path / "Example register.xlsx"
    shutil.copyfile(ROOT / "examples" / "Example register.xlsx", reg)
    result = runner.invoke(cli, ["build", str(reg), *args[2:]])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "GAIN board pack 2026-11.xlsx").exists()


def _gen_docs():
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_every_command_is_in_the_readme_with_the_help_it_prints(runner):
    """The Commands table links each command to its --help, word for word as it prints."""
    from gain_workbook.cli import cli

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(cli.commands) >= 9
    for name in cli.commands:
        printed = runner.invoke(cli, [name, "--help"], prog_name="gain-pack",
                                terminal_width=100).output.rstrip("\n")
        assert printed == _gen_docs().command_help(name)
        assert f"### gain-pack {name}\n\n```text\n{printed}\n```" in text, \
            f"gain-pack {name}: its --help is not in the README as it prints"
        assert f"](#gain-pack-{name}) |" in text, f"gain-pack {name} is not in the Commands table"


def test_the_readme_python_example_runs(tmp_path, monkeypatch, capsys):
    """The 'From Python' section's code, run as it stands in a new folder."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## From Python", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md (From Python)", "exec"), {"__name__": "readme"})
    out = capsys.readouterr().out
    assert "GAIN board pack" in out and "open items" in out
    assert "['PCC response INS-2023-07.xlsx', 'PCC response INS-2023-07.docx']" in out
    assert (tmp_path / "Inspection register.xlsx").is_file()
    assert (tmp_path / "GAIN board pack 2026-11.xlsx").is_file()
    assert "Wrote the draft" in out


def test_the_bench_writes_its_block_into_the_readme(tmp_path):
    """scripts/bench.py --write-readme replaces the bench block and nothing else."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\nbefore\n<!-- BEGIN bench -->\nold table\n<!-- END bench -->\n"
                      "after\n", encoding="utf-8")
    bench.write_readme("| new | table |", readme)
    assert readme.read_text(encoding="utf-8") == (
        "# Title\n\nbefore\n<!-- BEGIN bench -->\n| new | table |\n<!-- END bench -->\nafter\n")
    (tmp_path / "other.md").write_text("no block\n", encoding="utf-8")
    import pytest

    with pytest.raises(SystemExit):
        bench.write_readme("x", tmp_path / "other.md")
