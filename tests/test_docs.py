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
