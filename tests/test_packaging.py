"""What `pip install .` puts on an office PC holds every module of the package.

setup.cfg names each package (setuptools' find: cannot place the top-level templates/
folder as gain_workbook.templates), so a new package folder must be named there: the
first test says which one is missing; the second builds the wheel, unpacks it
alone, and imports every module and reads a bundled file from it.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT


def listed_packages() -> set[str]:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    return {p.strip() for p in cfg["options"]["packages"].replace(",", "\n").split()
            if p.strip()}


def source_packages() -> set[str]:
    pkg = ROOT / "gain_workbook"
    return {".".join(("gain_workbook",) + p.parent.relative_to(pkg).parts).rstrip(".")
            for p in pkg.rglob("__init__.py")}


def test_setup_cfg_names_every_package_folder():
    missing = source_packages() - listed_packages()
    assert not missing, f"setup.cfg [options] packages lacks {sorted(missing)}"
    assert "gain_workbook.templates" in listed_packages()


@pytest.mark.slow
def test_the_wheel_holds_every_module(tmp_path):
    # built from a copy, so the checkout gets no build/ or .egg-info folders
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis",
        ".pytest_cache", "out", "examples"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "-w", str(tmp_path / "dist"), str(source)],
                   check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("gain_workbook-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    modules = sorted(".".join(("gain_workbook",) + p.relative_to(ROOT / "gain_workbook")
                              .with_suffix("").parts)
                     for p in (ROOT / "gain_workbook").rglob("*.py")
                     if p.name not in ("__init__.py", "__main__.py"))
    code = ("import importlib, pathlib, sys\n"
            f"site = pathlib.Path({str(site)!r}).resolve()\n"
            "import gain_workbook\n"
            "assert pathlib.Path(gain_workbook.__file__).resolve().is_relative_to(site), "
            "gain_workbook.__file__\n"
            f"for name in {modules!r}:\n"
            "    mod = importlib.import_module(name)\n"
            "    assert pathlib.Path(mod.__file__).resolve().is_relative_to(site), name\n"
            "from gain_workbook.core.bundled import bundled_text\n"
            "assert bundled_text('response_process.txt').strip()\n"
            "print(len(" + repr(modules) + "))\n")
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(len(modules))
