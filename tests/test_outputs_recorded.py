"""Every file gain-pack writes from the example register, recorded by its SHA-256.

A refactor must not change a byte of what a user receives. The hashes in
tests/data/recorded_outputs.json were taken from the code before the api layer and
the pack-file module were introduced; any change to an output fails here. When an
output changes on purpose, render it and look at it, then record the new hashes:

    GAIN_RECORD_OUTPUTS=1 python -m pytest tests/test_outputs_recorded.py

The files depend on the versions of the libraries that write them, so the hashes are
kept per xlsxwriter and python-docx version; on other versions the test says so and
skips (the byte-identity and repeatability tests elsewhere still run).
"""

from __future__ import annotations

import json
import os
from importlib.metadata import version

import pytest

from conftest import sha256
from gain_workbook.cli import cli

RECORD = __import__("pathlib").Path(__file__).parent / "data" / "recorded_outputs.json"
AS_OF = "2026-11-28"


def _outputs(runner, example_register, folder):
    """Run each writing command on the example register; {name: path}."""
    def run(*args):
        result = runner.invoke(cli, [str(a) for a in args])
        assert result.exit_code == 0, result.output + result.stderr

    out = {}
    out["init.xlsx"] = folder / "init.xlsx"
    run("init", out["init.xlsx"], "--force-name", "Example Police")
    out["init-example.xlsx"] = folder / "init-example.xlsx"
    run("init", out["init-example.xlsx"], "--example")
    out["pack-last.xlsx"] = folder / "pack-last.xlsx"
    run("build", example_register, "-o", out["pack-last.xlsx"], "--as-of", "2026-10-28")
    out["pack.xlsx"] = folder / "pack.xlsx"
    run("build", example_register, "-o", out["pack.xlsx"], "--as-of", AS_OF,
        "--meeting", "2026-12-03", "--previous", out["pack-last.xlsx"])
    out["response.xlsx"] = folder / "response.xlsx"
    run("response", example_register, "--all", "-o", out["response.xlsx"], "--docx",
        "--html", "--as-of", AS_OF)
    out["response.docx"] = folder / "response.docx"
    out["response.html"] = folder / "response.html"
    out["working.xlsx"] = folder / "working.xlsx"
    run("response", example_register, "--all", "--working", "-o", out["working.xlsx"],
        "--as-of", AS_OF)
    out["adopted.xlsx"] = folder / "adopted.xlsx"
    run("adopt", out["init-example.xlsx"], "-o", out["adopted.xlsx"])
    return out


# init and adopt date the file's properties today; everything else in them is recorded
DATED_TODAY = {"init.xlsx", "init-example.xlsx", "adopted.xlsx"}


def _digest(name, path) -> str:
    """The file's SHA-256; for a file dated today, of its parts but the dated one."""
    if name not in DATED_TODAY:
        return sha256(path)
    import hashlib
    import zipfile

    h = hashlib.sha256()
    with zipfile.ZipFile(path) as z:
        for part in sorted(z.namelist()):
            if part != "docProps/core.xml":
                h.update(part.encode() + b"\0" + z.read(part))
    return "parts:" + h.hexdigest()


def _key() -> str:
    return f"xlsxwriter {version('xlsxwriter')}, python-docx {version('python-docx')}"


@pytest.mark.slow
def test_outputs_are_the_recorded_bytes(runner, example_register, tmp_path):
    got = {name: _digest(name, path) for name, path in
           _outputs(runner, example_register, tmp_path).items()}
    recorded = json.loads(RECORD.read_text()) if RECORD.exists() else {}
    if os.environ.get("GAIN_RECORD_OUTPUTS"):
        recorded[_key()] = got
        RECORD.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n")
    if _key() not in recorded:
        pytest.skip(f"no outputs recorded for {_key()}")
    want = recorded[_key()]
    changed = sorted(n for n in want if got.get(n) != want[n])
    assert not changed, f"outputs changed: {changed}"
    assert set(got) == set(want)
