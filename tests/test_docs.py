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
    from gain_workbook.register import read_register

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
