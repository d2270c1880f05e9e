"""--apply (merge, add-report): the register changed in place, never losing the old one.

Both commands rewrite the register through one path (register.edit.write), and each
test here runs for both. The promises: the backup of the register before the change
never replaces anything (not an older backup, not a file that happens to carry its
name); a register marked read-only is refused with nothing changed; and killed with
kill -9 at any step, the register is the old one or the new one, and the new one only
with the old one's backup whole beside it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, base_data, write_register
from gain_workbook import api
from gain_workbook.model import history
from gain_workbook.cli import cli
from test_hostile import one_sentence, our_temp_files

NOW = dt.datetime(2026, 12, 10, 10, 15, 0)
REPORTS = ROOT / "tests" / "data" / "reports"
NEWS = ("Reviewed with the custody team.", "Welfare audit booked for January.")


@dataclass
class Applying:
    """A register and two inputs, each a change the command writes into it."""

    command: str
    register: Path
    sources: list = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return self.register.parent

    def api(self, n: int = 0, now: dt.datetime = NOW):
        if self.command == "merge":
            return api.merge(self.register, [self.sources[n]], apply=True, now=now)
        return api.add_report(self.register, self.sources[n], apply=True, now=now)

    def call(self, n: int = 0) -> str:
        """The same, as Python for a child process run in the register's folder."""
        reg, src = self.register.name, self.sources[n].name
        if self.command == "merge":
            return f"api.merge({reg!r}, [{src!r}], apply=True)"
        return f"api.add_report({reg!r}, {src!r}, apply=True)"

    def argv(self, n: int = 0) -> list[str]:
        return [self.command, str(self.register), str(self.sources[n]), "--apply"]

    def holds(self, n: int = 0, register: Path | None = None) -> bool:
        """Does the register hold input ``n``'s change?"""
        reg = api.validate(register or self.register).register
        if self.command == "merge":
            return NEWS[n] in reg.actions.frame["latest_update"].tolist()
        title = json.loads((REPORTS / "expected" / f"{Path(SOURCES[n]).stem}.json")
                           .read_text(encoding="utf-8"))["title"]
        return title in reg.inspections.frame["title"].tolist()


SOURCES = ("cse-2023 pcc response pasted.txt", "peel-2021-22 warwickshire pcc response page.txt")


def _merge_case(folder: Path) -> Applying:
    """The small register, and replies from two owners (A1's and A3's)."""
    reg = write_register(folder / "Inspection register.xlsx", base_data())
    res = api.requests(reg, as_of=dt.date.today(), output=folder / "requests")
    replies = []
    for owner, news in zip(("Ch Insp Custody", "Custody QA"), NEWS):
        book = next(b for r, b in zip(res.requests, res.workbooks) if r.owner == owner)
        wb = openpyxl.load_workbook(book)
        wb["Update request"]["K8"] = news
        replies.append(folder / f"reply {len(replies) + 1}.xlsx")
        wb.save(replies[-1])
    return Applying("merge", reg, replies)


def _add_report_case(folder: Path) -> Applying:
    """A register made by init, and two published reports' text."""
    from gain_workbook.register.template import write_register_template

    reg = write_register_template(folder / "Inspection register.xlsx",
                                  force_name="Warwickshire Police")
    sources = []
    for name in SOURCES:
        sources.append(folder / name)
        sources[-1].write_bytes((REPORTS / name).read_bytes())
    return Applying("add-report", reg, sources)


CASES = {"merge": _merge_case, "add-report": _add_report_case}


@pytest.fixture(params=list(CASES))
def applying(request, tmp_path) -> Applying:
    folder = tmp_path / "office"
    folder.mkdir()
    return CASES[request.param](folder)


def backups(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if history.is_backup(p.name)}


def listing(folder: Path) -> dict[str, tuple]:
    """Every entry of a folder: its kind, bytes and mode (to see that nothing changed)."""
    out = {}
    for p in sorted(folder.iterdir()):
        st_ = os.lstat(p)
        out[p.name] = (stat.S_IFMT(st_.st_mode), stat.S_IMODE(st_.st_mode),
                       p.read_bytes() if stat.S_ISREG(st_.st_mode) else None)
    return out


# ---------------------------------------------------------------- the one copy of the old register

def test_a_backup_never_replaces_a_file_that_has_its_name(applying, runner):
    """The backup's name, and the next ones, are taken already (an older backup, a
    folder, a link to nowhere): each is left as it was and the backup takes the first
    free name, numbered where history.is_backup still knows it for a backup."""
    reg = applying.register
    old = reg.read_bytes()
    name = f"Inspection register (before {applying.command} 2026-12-10 101500)"
    names = [applying.folder / f"{name}{n}.xlsx" for n in ("", " (2)", " (3)", " (4)")]
    names[0].write_bytes(b"an older backup, made in the same second")
    names[1].mkdir()
    names[2].symlink_to(applying.folder / "nowhere.xlsx")
    before = listing(applying.folder)
    res = applying.api(now=NOW)
    assert res.backup == names[3] and names[3].read_bytes() == old
    assert history.is_backup(names[3].name)
    after = listing(applying.folder)
    assert {k: after[k] for k in before if k != reg.name} == \
        {k: v for k, v in before.items() if k != reg.name}
    assert not (applying.folder / "nowhere.xlsx").exists()
    assert applying.holds(0)


def test_two_applies_in_the_same_second_keep_both_old_registers(applying):
    first = applying.register.read_bytes()
    one = applying.api(0, now=NOW)
    second = applying.register.read_bytes()
    two = applying.api(1, now=NOW)
    assert one.backup != two.backup
    assert one.backup.read_bytes() == first and two.backup.read_bytes() == second
    assert two.backup.name.endswith(" (2).xlsx")
    assert applying.holds(0) and applying.holds(1)
    assert len(backups(applying.folder)) == 2


STEMS = st.text(st.characters(blacklist_categories=("Cs", "Cc"),
                              blacklist_characters="/\\\0"), min_size=1, max_size=30)
TIMES = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2999, 12, 31))


@pytest.mark.slow
@given(stem=STEMS, now=TIMES, command=st.sampled_from(["merge", "add-report"]),
       number=st.integers(1, history.MAX_BACKUPS), suffix=st.sampled_from([".xlsx", ".xlsm"]))
def test_every_backup_name_is_known_for_a_backup_and_a_register_name_is_not(
        stem, now, command, number, suffix):
    register = Path(f"{stem}{suffix}")
    name = history.backup_name(register, now, command, number)
    assert history.is_backup(name)
    assert Path(name).suffix == suffix                  # still opens in Excel as the register
    assert name == list(history.backup_paths(register, now, command))[number - 1].name
    assert not history.is_backup(register.name) or history.is_backup(stem)


@settings(max_examples=60, deadline=None)
@given(taken=st.lists(st.tuples(st.integers(1, 8), st.sampled_from(["file", "folder",
                                                                      "dangling link"])),
                      unique_by=lambda t: t[0], max_size=6),
       data=st.binary(max_size=2000))
def test_write_new_takes_the_first_free_name_and_replaces_nothing(tmp_path_factory, taken,
                                                                  data):
    from gain_workbook.core.files import write_new

    folder = tmp_path_factory.mktemp("names")
    names = [folder / f"name ({n}).xlsx" for n in range(1, 10)]
    for n, kind in taken:
        p = names[n - 1]
        if kind == "file":
            p.write_bytes(b"someone's file %d" % n)
        elif kind == "folder":
            p.mkdir()
        else:
            p.symlink_to(folder / f"nowhere {n}")
    before = listing(folder)
    got = write_new(names, data)
    free = min(set(range(1, 10)) - {n for n, _ in taken})
    assert got == names[free - 1] and got.read_bytes() == data
    after = listing(folder)
    assert {k: v for k, v in after.items() if k != got.name} == before
    assert our_temp_files(folder) == []


def test_a_numbered_backup_beside_the_register_is_not_taken_for_a_register(applying):
    from gain_workbook.mail.attachment import register_beside

    applying.api(0, now=NOW)
    applying.api(1, now=NOW)
    assert [n[-9:] for n in backups(applying.folder)] == ["101500) (2).xlsx"[-9:],
                                                          "101500).xlsx"[-9:]]
    assert register_beside(applying.folder / "GAIN board pack 2026-12.xlsx") == \
        [applying.register]


# ---------------------------------------------------------------- a register marked read-only

@pytest.mark.parametrize("mode", [0o444, 0o400, 0o555, 0o464], ids=oct)
def test_a_read_only_register_is_refused_with_nothing_changed(applying, runner, mode):
    """Judged by the mark (the owner may not write it), not by os.access: the tests run
    as root, who may write anything."""
    os.chmod(applying.register, mode)
    before = listing(applying.folder)
    r = runner.invoke(cli, applying.argv())
    assert r.exit_code == 2, r.stderr
    line = one_sentence(r.stderr)
    assert "'Inspection register.xlsx' is marked read-only" in line
    assert "Nothing was changed." in line
    assert listing(applying.folder) == before           # no backup, no temporary file
    dry = runner.invoke(cli, applying.argv()[:-1])       # reading it is fine
    assert dry.exit_code in (0, 1), dry.stderr


def test_a_register_marked_read_only_while_it_is_written_is_left_alone(applying):
    """Marked read-only after the check and before the new file is moved into place (as
    someone might in Explorer): still refused, and no backup is left behind."""
    from gain_workbook.register import edit as register_edit
    from gain_workbook.core.errors import OutputError
    from gain_workbook.register.reader import read_register

    reg = read_register(applying.register)
    before = listing(applying.folder)

    def meanwhile():
        os.chmod(applying.register, 0o444)

    with pytest.raises(OutputError, match="is marked read-only"):
        register_edit.write(reg, register_edit.Changes(), NOW, applying.command,
                            meanwhile=meanwhile)
    after = listing(applying.folder)
    before[applying.register.name] = (before[applying.register.name][0], 0o444,
                                      before[applying.register.name][2])
    assert after == before


def test_a_register_saved_after_it_was_read_is_left_alone(applying):
    """Saved again (in Excel, say) between the command reading it and writing it: the
    rows and cells it would write were found in the file as it was, so nothing is
    written, and no backup is made."""
    from gain_workbook.core.errors import OutputError
    from gain_workbook.register import edit as register_edit
    from gain_workbook.register.reader import read_register

    reg = read_register(applying.register)
    wb = openpyxl.load_workbook(applying.register)
    wb.save(applying.register)
    before = listing(applying.folder)
    with pytest.raises(OutputError, match=f"changed after {applying.command} read it"):
        register_edit.write(reg, register_edit.Changes(), NOW, applying.command)
    assert listing(applying.folder) == before


def test_a_register_saved_while_it_is_written_is_left_alone(applying):
    """Saved while the new register is being written: the new one is not put in place
    (it would lose what was saved), no backup is made, and no temporary file is left."""
    from gain_workbook.core.errors import OutputError
    from gain_workbook.register import edit as register_edit
    from gain_workbook.register.reader import read_register

    reg = read_register(applying.register)
    saved = {}

    def meanwhile():
        wb = openpyxl.load_workbook(applying.register)
        wb.save(applying.register)
        saved["bytes"] = applying.register.read_bytes()

    with pytest.raises(OutputError, match=f"changed while {applying.command} was writing it"):
        register_edit.write(reg, register_edit.Changes(), NOW, applying.command,
                            meanwhile=meanwhile)
    assert applying.register.read_bytes() == saved["bytes"]
    assert backups(applying.folder) == {} and our_temp_files(applying.folder) == []


def test_the_windows_read_only_attribute_marks_a_file_read_only():
    """Windows keeps the mark as an attribute (os.stat's st_file_attributes), which
    Linux has no field for: the stat result here stands in for Windows's."""
    from types import SimpleNamespace

    from gain_workbook.core.files import read_only

    attrs = stat.FILE_ATTRIBUTE_READONLY | stat.FILE_ATTRIBUTE_ARCHIVE
    assert read_only(SimpleNamespace(st_mode=0o100666, st_file_attributes=attrs))
    assert not read_only(SimpleNamespace(st_mode=0o100666,
                                         st_file_attributes=stat.FILE_ATTRIBUTE_ARCHIVE))
    assert not read_only(SimpleNamespace(st_mode=0o100644))
    assert read_only(SimpleNamespace(st_mode=0o100444))


# ---------------------------------------------------------------- kill -9 at every step

# Runs an --apply (argv[2], Python calling the api) in copies of a folder (argv[1]),
# in children forked once the modules are loaded: first whole, recording each step it
# takes that changes the folder (a file created, opened to write, moved, linked,
# removed or its mode set); then once per step, killed with SIGKILL just before it.
KILL_AT_EACH_STEP = r"""
import json, os, shutil, signal, sys
from gain_workbook import api

source, call, rounds = sys.argv[1], sys.argv[2], sys.argv[3]
WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

def paths(event, args):
    if event == "open":
        return [args[0]] if isinstance(args[2], int) and args[2] & WRITES else []
    if event in ("os.rename", "os.link"):
        return list(args[:2])
    if event in ("tempfile.mkstemp", "os.remove", "os.chmod", "os.truncate"):
        return [args[0]]
    return []

def run(kill_at, folder):
    shutil.copytree(source, folder)
    pid = os.fork()
    if pid == 0:
        os.chdir(folder)
        here, steps = os.getcwd(), []
        def hook(event, args):
            ours = [os.fsdecode(p) for p in paths(event, args)
                    if isinstance(p, (str, bytes, os.PathLike))]
            if any(os.path.dirname(os.path.abspath(p)) == here for p in ours):
                if len(steps) == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
                steps.append(" ".join([event] + [os.path.basename(p) for p in ours]))
        sys.addaudithook(hook)
        eval(call)
        with open(os.path.join(rounds, "steps.json"), "w") as fh:
            json.dump(steps, fh)
        os._exit(0)
    return os.waitpid(pid, 0)[1]

assert run(-1, os.path.join(rounds, "whole")) == 0
steps = json.load(open(os.path.join(rounds, "steps.json")))
for k in range(len(steps)):
    status = run(k, os.path.join(rounds, f"killed before step {k + 1}"))
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (k, status)
"""


@pytest.mark.slow
@pytest.mark.serial
@pytest.mark.skipif(not hasattr(os, "fork"), reason="kill -9 and fork are POSIX's")
def test_kill_9_at_each_step_of_apply_leaves_the_old_register_or_the_new_with_its_backup(
        applying, tmp_path):
    """Killed just before each step that changes the folder (every moment between two
    steps, the replace itself included), the register is whole: the old bytes, or the
    new register holding the change with a whole backup of the old beside it. A backup
    is never partial, and whatever a kill left behind, the next run removes."""
    old = applying.register.read_bytes()
    rounds = tmp_path / "rounds"
    rounds.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    subprocess.run([sys.executable, "-c", KILL_AT_EACH_STEP, str(applying.folder),
                    applying.call(), str(rounds)], env=env, check=True, timeout=600)
    steps = json.loads((rounds / "steps.json").read_text())
    # the steps that matter are there, in order: the new file written, the backup
    # linked into place as a new name, then the register replaced
    linked = [i for i, s in enumerate(steps) if s.startswith("os.link ") and history.is_backup(s)]
    assert linked, f"the backup is not put in place as a new file (linked): {steps}"
    backup_step = linked[0]
    replace_step = next(i for i, s in enumerate(steps)
                        if s.startswith("os.rename .~gain-") and
                        s.endswith(applying.register.name))
    assert backup_step < replace_step, steps
    outcomes = []
    for k in range(len(steps) + 1):
        folder = rounds / (f"killed before step {k + 1}" if k < len(steps) else "whole")
        register = folder / applying.register.name
        kept = backups(folder)
        assert all(b == old for b in kept.values()), f"a partial backup, killed before step {k + 1}"
        if register.read_bytes() == old:
            outcomes.append("old, backed up" if kept else "old")
        else:
            assert applying.holds(0, register), f"killed before step {k + 1}"
            assert kept, f"the new register without its backup, killed before step {k + 1}"
            outcomes.append("new")
    assert outcomes[:backup_step + 1] == ["old"] * (backup_step + 1), (steps, outcomes)
    assert outcomes[replace_step] == "old, backed up"        # killed at the replace itself
    assert outcomes[replace_step + 1:] == ["new"] * (len(outcomes) - replace_step - 1)
    # the next run in a folder left mid-write tidies it, and applies
    left = rounds / f"killed before step {replace_step + 1}"
    assert our_temp_files(left)
    redo = Applying(applying.command, left / applying.register.name,
                    [left / p.name for p in applying.sources])
    redo.api(0, now=NOW)
    assert our_temp_files(left) == [] and redo.holds(0)
