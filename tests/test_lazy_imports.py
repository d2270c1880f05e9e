"""A command loads only what it needs: checked by the modules a real run leaves loaded,
not by timing it, so an eager import is caught however busy the machine is.

Issue 32: `gain-pack validate` of a small register should cost little more than a
process that imports pandas and pandera and reads the rows with python-calamine (the
floor set by the libraries we must use; scripts/bench.py --small-only times it). Most of
its time is imports, so the promise kept here is about imports: validating loads no
library beyond that floor's but our own package, click, and defusedxml (the workbook's
own checks), and nothing another command needs (the pack's writer, Word, PDF, mail);
describe and --help load less still. Each command runs as
the real entry point does (`python -m gain_workbook`, lean interpreter included), and the
child process writes down its modules as the command ends the process.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT, make_register

# Runs a command through gain-pack's real entry point; as the command ends the process
# (os._exit, cli.main), the loaded modules are written to a file. Only os and sys are
# imported for this, which every Python process has loaded anyway.
GAIN_PACK = r'''
import os, sys
out, argv = sys.argv[1], sys.argv[2:]
real_exit = os._exit

def write_modules_and_exit(code):
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(sorted(n for n, m in sys.modules.items() if m is not None)))
    real_exit(code)

os._exit = write_modules_and_exit
sys.argv = ["gain-pack", *argv]
from gain_workbook.__main__ import main
main()
'''

# The floor of each command: what the libraries it must use load, and no more.
READ = ("import python_calamine as pc\n"
        "wb = pc.CalamineWorkbook.from_path(argv[0])\n"
        "grids = [wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]\n")
FLOORS = {
    "validate": "import pandas\nimport pandera.pandas\n" + READ,
    "describe": "import pandas\n" + READ,
    "--help": "",
}
FLOOR = r'''
import os, sys
out, argv = sys.argv[1], sys.argv[2:]
{body}
with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(sorted(n for n, m in sys.modules.items() if m is not None)))
'''

# What a command may load beyond its floor, besides the standard library: our package,
# the command line, and the XML parser the workbook checks use (core.sniff, register.fills).
OURS = {"gain_workbook", "click"}
ALLOWED = {"validate": OURS | {"defusedxml"}, "describe": OURS | {"defusedxml"},
           "--help": OURS}

# Named, so the failure says which: what other commands use (the pack, the response,
# mail, reading a report) and what pandera reaches for that gain-pack never uses.
NEVER = ["xlsxwriter", "openpyxl", "lxml", "docx", "pypdf", "msoffcrypto", "holidays",
         "email_validator", "msal", "msal_extensions", "keyring", "requests",
         "cryptography", "smtplib", "imaplib", "email.mime", "hypothesis", "geopandas"]
NOT_FOR_HELP = ["pandas", "pandera", "numpy", "python_calamine", "gain_workbook.api"]
# The packages a command reading and checking a register may use (tests/test_layering.py)
READING = {"core", "model", "register", "check"}


def _clean_env() -> dict:
    """This environment without the switch that turns the lean interpreter off."""
    return {k: v for k, v in os.environ.items() if k != "GAIN_PLAIN_PYTHON"}


def _modules(tmp_path, code: str, args: list[str], name: str) -> set[str]:
    out = tmp_path / f"{name}.modules"
    proc = subprocess.run([sys.executable, "-c", code, str(out), *args], capture_output=True,
                          text=True, cwd=ROOT, env=_clean_env())
    assert out.exists(), proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return set(out.read_text(encoding="utf-8").split())


def _top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.fixture(scope="module")
def small_registers(tmp_path_factory):
    """A 50-action register in each layout make_register writes."""
    folder = tmp_path_factory.mktemp("small")
    data = make_register.generate(50, seed=3)
    template, flat = folder / "template.xlsx", folder / "flat.xlsx"
    make_register.write_template(data, template)
    make_register.write_flat(data, flat)
    return {"template": template, "flat": flat}


@pytest.mark.parametrize("command, layout", [("validate", "template"), ("validate", "flat"),
                                             ("describe", "template"), ("--help", None)])
def test_a_command_loads_nothing_beyond_its_floor_but_our_own(tmp_path, small_registers,
                                                               command, layout):
    args = [str(small_registers[layout])] if layout else []
    loaded = _modules(tmp_path, GAIN_PACK, [command, *args], "gain-pack")
    floor = _modules(tmp_path, FLOOR.format(body=FLOORS[command]), args, "floor")

    beyond = _top(loaded) - _top(floor) - set(sys.stdlib_module_names)
    assert beyond <= ALLOWED[command], sorted(beyond - ALLOWED[command])
    assert [m for m in NEVER if m in loaded] == []
    packages = {m.split(".")[1] for m in loaded if m.count(".") >= 1
                and m.startswith("gain_workbook.")} - {"api", "cli", "__main__"}
    assert packages <= READING, sorted(packages - READING)
    if command == "--help":
        assert [m for m in NOT_FOR_HELP if m in loaded] == []
    elif command == "describe":
        assert "pandera" not in loaded
    else:
        assert {"pandas", "pandera", "gain_workbook.check.validate"} <= loaded   # it ran


def test_the_lean_interpreter_marks_what_pandera_would_reach_for_absent(tmp_path,
                                                                      small_registers):
    """hypothesis and geopandas: pandera tries them (geopandas ~60 times a validation,
    each failed import searching sys.path again), gain-pack never uses them."""
    code = GAIN_PACK.replace('n for n, m in sys.modules.items() if m is not None',
                             'n for n, m in sys.modules.items() if m is None')
    absent = _modules(tmp_path, code, ["validate", str(small_registers["template"])], "absent")
    assert {"hypothesis", "geopandas"} <= absent
