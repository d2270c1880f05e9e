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
    assert blocks[1] == "bash scripts/test"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test" in ci
