#!/usr/bin/env python3
"""Benchmark `gain-pack build` against the pipeline a user would write and the floor.

    python scripts/bench.py [--sizes 1000,10000,100000] [--repeat 3] [--keep DIR] [--write-readme]

For each size it generates a register (scripts/make_register.py), then times, each
as a separate process (median wall seconds, peak resident memory from wait4):

  build  gain-pack build REGISTER -o PACK --as-of 2026-11-28
  naive  pandas.read_excel(engine="openpyxl") of every sheet + the same pandera
         validation + DataFrame.to_excel(engine="openpyxl") of the items and actions
  floor  the stock floor: python-calamine reads the register; stock xlsxwriter writes
         its cells once, no formats
  raw    the raw floor (issue 32): python-calamine reads the register; every non-empty
         cell of every sheet is written once as sheet XML (numbers as <v>, text as
         inline strings, one f-string per cell) into a zip with deflate level 6; no
         styles or workbook parts: about the least any Python writer can spend

It prints build's ratios to both floors (time and peak memory) at each size, and
issue 32's goals beside what was measured (100,000 actions: build <= 2.0x the raw
floor's time and <= 1.5x its peak memory; 5,000 actions: <= 3x its time). It also
times the whole command at 5,000 actions and `gain-pack --help`, and prints
a Markdown table; with --write-readme it also writes it into docs/performance.md, between
<!-- BEGIN bench --> and <!-- END bench --> (so the docs' numbers are a run of this
script, never pasted).

    python scripts/bench.py --against REF [--sizes 5000,100000] [--repeat 3]

times the main commands (build, validate, requests, merge --apply, add-report --apply,
response --docx, describe) of this tree against the same commands of git commit REF
(unpacked into a temporary folder with `git archive`; or REF is a folder holding that
tree, made with `git archive REF | tar -x -C DIR`), taking turns, in the same run,
names both commits and flags every command slower than REF's (issue 32: none may be).

    python scripts/bench.py --validate-against REF [--sizes 100000] [--repeat 5]

times `gain-pack validate` alone the same way: reading must stay within 10 % of what
it was (issue 10's target).
Targets (2-core machine): build <= 1.5x floor and >= 2.5x faster than naive at
100,000 actions, peak < 1 GB; 5,000 actions < 2 s; --help < 0.3 s; response --open
--docx at 5,000 actions < 5 s; `requests` at 5,000 actions and 200 owners < 3 s;
`merge --apply` of 200 replies into that register < 5 s.

    python scripts/bench.py --chase-only

times just the chase (requests and merge), in the same way.

    python scripts/bench.py --apply-only [--write-readme]

times, at 100,000 actions and taking turns, `gain-pack validate`, `merge --apply` of
two owners' replies (250 changes) and `add-report --apply` of a report (10 items),
each --apply on a fresh copy of the register: each --apply must take at most 1.5x
validate's time and peak under 600 MB (issue 28). With --write-readme its lines go
into the bench-apply block of docs/performance.md (the whole run writes both blocks).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "docs" / "performance.md"   # the page that holds the bench block
AS_OF = "2026-11-28"

NAIVE = r'''
import sys, warnings
import pandas as pd
from gain_workbook.model import schema
from gain_workbook.check.validate import table_schema
src, out = sys.argv[1], sys.argv[2]
frames = {}
for table in schema.TABLES:
    df = pd.read_excel(src, sheet_name=schema.SHEET_NAMES[table], engine="openpyxl",
                       dtype=str, keep_default_na=False, na_values=[""])
    rename = {c.header: c.key for c in schema.columns_of(table)}
    df = df.rename(columns=rename)
    df = df[[c.key for c in schema.columns_of(table) if c.key in df.columns]]
    df = df.astype(object).where(df.notna(), None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            table_schema(table, set(df.columns)).validate(df, lazy=True)
        except Exception:
            pass
    frames[table] = df
with pd.ExcelWriter(out, engine="openpyxl") as xw:
    frames["items"].to_excel(xw, sheet_name="Items", index=False)
    frames["actions"].to_excel(xw, sheet_name="Actions", index=False)
'''

FLOOR = r'''
import sys
import python_calamine as pc
import xlsxwriter
src, out = sys.argv[1], sys.argv[2]
wb = pc.CalamineWorkbook.from_path(src)
w = xlsxwriter.Workbook(out)
for name in wb.sheet_names:
    rows = wb.get_sheet_by_name(name).to_python()
    ws = w.add_worksheet(name)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v != "":
                ws.write(r, c, v)
w.close()
'''

RAW = r'''
import datetime as dt, sys, zipfile
import python_calamine as pc
from xlsxwriter.utility import xl_col_to_name
src, out = sys.argv[1], sys.argv[2]
wb = pc.CalamineWorkbook.from_path(src)
epoch = dt.datetime(1899, 12, 30)
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
    for n, name in enumerate(wb.sheet_names, 1):
        rows = wb.get_sheet_by_name(name).to_python()
        letters = [xl_col_to_name(c) for c in range(max(map(len, rows), default=0))]
        with z.open(f"xl/worksheets/sheet{n}.xml", "w") as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
                    b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    b'<sheetData>')
            for r, row in enumerate(rows, 1):
                cells = []
                for c, v in enumerate(row):
                    if v == "":
                        continue
                    t = type(v)
                    if t is str:
                        v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                        cells.append(f'<c r="{letters[c]}{r}" t="inlineStr"><is><t>{v}</t></is>'
                                     '</c>')
                    else:
                        if t is dt.date:
                            v = (v - epoch.date()).days
                        elif t is dt.datetime:
                            v = (v - epoch).total_seconds() / 86400
                        elif t is dt.time or t is dt.timedelta:
                            v = 0
                        cells.append(f'<c r="{letters[c]}{r}"><v>{v}</v></c>')
                if cells:
                    f.write(f'<row r="{r}">{"".join(cells)}</row>'.encode())
            f.write(b"</sheetData></worksheet>")
'''


def run(cmd: list[str], ok: tuple = (0,)) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, CPU seconds) of one process (its exit code one of
    ``ok``)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode not in ok:
        shown = cmd[cmd.index("-c") + 2:] if "-c" in cmd else cmd   # (not a script's text)
        raise SystemExit(f"{' '.join(shown[:6])} ... failed ({proc.returncode}):\n{err[-2000:]}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def measure(cmds: list, repeat: int, ok: tuple = (0,)) -> list[tuple[float, float, float]]:
    """(median wall seconds, peak MB, median CPU seconds) of each command, ``repeat`` runs
    each.

    The commands take turns (a, b, c, a, b, c, ...): a shared machine speeds up and
    slows down over minutes, and taking turns spreads that over all of them alike.
    """
    runs = [[] for _ in cmds]
    for _ in range(repeat):
        for i, cmd in enumerate(cmds):
            runs[i].append(run(cmd, ok))
    return [(statistics.median(r[0] for r in rs), max(r[1] for r in rs),
             statistics.median(r[2] for r in rs)) for rs in runs]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default=None,
                   help="actions in each register (default 1000,5000,10000,100000; "
                        "with --against 5000,100000)")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--keep", default=None, help="keep generated files in this folder")
    p.add_argument("--write-readme", action="store_true",
                   help="also write the table into docs/performance.md's bench block")
    p.add_argument("--no-naive", action="store_true",
                   help="leave out the pandas/openpyxl pipeline (slow at 100,000 actions)")
    p.add_argument("--against", default=None, metavar="REF",
                   help="time the main commands of this tree against git commit REF")
    p.add_argument("--validate-against", default=None, metavar="REF",
                   help="time validate of this tree against git commit REF instead")
    p.add_argument("--chase-only", action="store_true",
                   help="time only requests and merge (200 owners, 5,000 actions)")
    p.add_argument("--apply-only", action="store_true",
                   help="time only validate, merge --apply and add-report --apply at "
                        "100,000 actions")
    p.add_argument("--small-only", action="store_true",
                   help="time only validate of a 50-row register against the import floor")
    args = p.parse_args(argv)
    py = sys.executable
    work = Path(args.keep or tempfile.mkdtemp(prefix="gain-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.against:
        return compare_trees(args, py, work)
    if args.validate_against:
        return compare_validate(args, py, work)
    if args.small_only:
        return small_register(py, work, max(args.repeat, 5))
    if args.chase_only:
        print(chase_line(*chase(py, work, args.repeat)))
        return 0
    if args.apply_only:
        lines = apply_lines(*applies(py, work, args.repeat))
        print(lines)
        if args.write_readme:
            write_readme(lines, block="bench-apply")
            print(f"wrote the bench-apply block of {README}", file=sys.stderr)
        return 0
    report = floors_report(args, py, work)
    applied = apply_lines(*applies(py, work, args.repeat))
    print(report + "\n\n" + applied)
    if args.write_readme:
        write_readme(report)
        write_readme(applied, block="bench-apply")
        print(f"wrote the bench and bench-apply blocks of {README}", file=sys.stderr)
    return 0


def sizes(args, default: str) -> list[int]:
    return [int(s) for s in (args.sizes or default).split(",")]


def measure_sizes(args, py, work: Path) -> list:
    """[(actions, {pipeline: (median s, peak MB)})]: build, both floors and (unless
    --no-naive) the naive pipeline, taking turns at each size."""
    gain = [py, "-m", "gain_workbook"]
    rows = []
    for n in sizes(args, "1000,5000,10000,100000"):
        reg = str(_register(py, work, n))
        out = str(work / f"out-{n}.xlsx")
        print(f"{n:,} actions ...", file=sys.stderr, flush=True)
        cmds = {"build": gain + ["build", reg, "-o", out, "--as-of", AS_OF],
                "raw": [py, "-c", RAW, reg, str(work / f"raw-{n}.zip")],
                "floor": [py, "-c", FLOOR, reg, out]}
        if not args.no_naive:
            cmds["naive"] = [py, "-c", NAIVE, reg, out]
        rows.append((n, dict(zip(cmds, measure(list(cmds.values()), args.repeat)))))
    return rows


def floors_report(args, py, work: Path) -> str:
    """The Markdown block: the table, the goals, the 5,000-action command, --help, the chase."""
    gain = [py, "-m", "gain_workbook"]
    rows = measure_sizes(args, py, work)
    reg5 = str(_register(py, work, 5000))
    (resp,) = measure([gain + ["response", reg5, "--open", "--docx", "--allow-errors",
                               "-o", str(work / "responses-5000.xlsx"), "--as-of", AS_OF]],
                      max(args.repeat, 3))
    (helps,) = measure([[str(Path(py).with_name("gain-pack")), "--help"]
                        if Path(py).with_name("gain-pack").exists() else gain + ["--help"]], 5)
    chased = chase(py, work, args.repeat)
    lines = table_lines(rows) + ["", *goal_lines(rows), "",
                                 f"`gain-pack response --open --docx` at 5,000 actions (every "
                                 f"response still to be sent, workbook and Word): {resp[0]:.2f} "
                                 f"s; `gain-pack --help`: {helps[0]:.2f} s (medians of "
                                 f"{args.repeat}, {max(args.repeat, 3)} and 5 runs; "
                                 f"{machine()}; {dt.date.today():%d %B %Y}).", "",
                                 chase_line(*chased)]
    return "\n".join(lines)


def table_lines(rows) -> list[str]:
    """Seconds, peak memory and build's ratios to the raw and the stock floor."""
    naive = any("naive" in m for _, m in rows)
    head = ("| actions | build s | raw floor s | stock floor s | "
            + ("naive s | " if naive else "")
            + "build / raw | build / stock | peak MB build / raw / stock"
            + (" / naive" if naive else "") + " | peak build / raw |")
    lines = [head, "|" + "---:|" * (head.count("|") - 1)]
    for n, m in rows:
        b, r, f = m["build"], m["raw"], m["floor"]
        nv = m.get("naive")
        lines.append(f"| {n:,} | {b[0]:.2f} | {r[0]:.2f} | {f[0]:.2f} | "
                     + (f"{nv[0]:.1f} | " if nv else "")
                     + f"{b[0] / r[0]:.2f}x | {b[0] / f[0]:.2f}x | {b[1]:.0f} / {r[1]:.0f} / "
                       f"{f[1]:.0f}" + (f" / {nv[1]:.0f}" if nv else "")
                     + f" | {b[1] / r[1]:.2f}x |")
    return lines


GOALS = {100_000: (2.0, 1.5), 5_000: (3.0, None)}     # issue 32: x raw floor time, memory


def goal_lines(rows) -> list[str]:
    """Issue 32's goals, each beside the ratio measured in this run."""
    by = dict(rows)
    out = []
    for n, (t_goal, m_goal) in GOALS.items():
        if n not in by:
            out.append(f"- {n:,} actions: not measured in this run (add it to --sizes).")
            continue
        b, r = by[n]["build"], by[n]["raw"]
        said = [f"build {b[0] / r[0]:.2f}x the raw floor's time (goal <= {t_goal:g}x: "
                f"{'met' if b[0] / r[0] <= t_goal else 'not met'})"]
        if m_goal is not None:
            said.append(f"{b[1] / r[1]:.2f}x its peak memory (goal <= {m_goal:g}x: "
                        f"{'met' if b[1] / r[1] <= m_goal else 'not met'})")
        out.append(f"- {n:,} actions: " + "; ".join(said) + ".")
    return ["Issue 32's goals, as measured in this run:", *out]


def machine() -> str:
    """The machine the run was on: processor model and cores."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return (f"{model or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}")


CHASE_OWNERS = 200
CHASE_ACTIONS = 5000


def chase(py, work: Path, repeat: int):
    """(requests, merge dry run, merge --apply) timings at 5,000 actions and 200 owners,
    each owner's first action answered in a reply (the replies are made beforehand)."""
    import shutil

    sys.path.insert(0, str(ROOT))
    reg = work / "chase-register.xlsx"
    requests_dir = work / "chase-requests"
    replies = work / "chase-replies"
    if not reg.exists():
        import importlib.util

        from gain_workbook.register.template import write_register_template

        spec = importlib.util.spec_from_file_location("make_register",
                                                      ROOT / "scripts" / "make_register.py")
        gen = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(gen)
        data = gen.generate(CHASE_ACTIONS, seed=14, as_of=dt.date(2026, 11, 28))
        names = [f"Officer {i:03d}" for i in range(1, CHASE_OWNERS + 1)]
        for i, a in enumerate(data["actions"]):
            a["Owner"] = names[i % CHASE_OWNERS]
            if a["Status"] in ("Complete", "Closed", "Ready for closure") and i < CHASE_OWNERS:
                a["Status"] = "In progress"      # every owner has an open action to answer
        data["owners"] = [{"Name": n, "Email": f"officer.{n[-3:]}@force.example"} for n in names]
        data["settings"] = {**data.get("settings", {}), "Force name": "Bench Police"}
        write_register_template(reg, data=data, force=True)
    shutil.rmtree(requests_dir, ignore_errors=True)
    gain = [py, "-m", "gain_workbook"]
    (req,) = measure([gain + ["requests", str(reg), "-o", str(requests_dir), "--as-of", AS_OF]],
                     repeat)
    if not replies.exists():
        import openpyxl

        replies.mkdir()
        for book in sorted(requests_dir.glob("*.xlsx")):
            wb = openpyxl.load_workbook(book)
            wb["Update request"]["K8"] = "Progress made this month."
            wb.save(replies / book.name)
    files = [str(p) for p in sorted(replies.glob("*.xlsx"))]
    (work / "chase-merged").mkdir(exist_ok=True)
    target = work / "chase-merged" / reg.name       # a reply names the register it came from
    apply = [py, "-c", "import shutil, sys; shutil.copy(sys.argv[1], sys.argv[2]); "
             "from gain_workbook.cli import main; sys.argv = ['gain-pack', 'merge', "
             "sys.argv[2], *sys.argv[3:], '--apply', '--as-of', '2026-12-09']; main()",
             str(reg), str(target), *files]
    dry, applied = measure([gain + ["merge", str(reg), *files, "--as-of", "2026-12-09"],
                            apply], repeat)
    return req, dry, applied, len(files)


def chase_line(req, dry, applied, n) -> str:
    return (f"The chase at {CHASE_ACTIONS:,} actions and {CHASE_OWNERS} owners: `gain-pack "
            f"requests` (a workbook and a draft each) {req[0]:.2f} s, peak {req[1]:.0f} MB; "
            f"`gain-pack merge` of {n} replies {dry[0]:.2f} s as a dry run, {applied[0]:.2f} s "
            f"with `--apply` (peak {applied[1]:.0f} MB).")


APPLY_ACTIONS = 100_000
APPLY_OWNERS = ("Head of Information Systems", "Head of Public Protection")
APPLY_REPORT = ROOT / "tests" / "data" / "reports" / "cse-2023 pcc response pasted.txt"
# Runs a command of the CLI on a fresh copy of a register (kept under its own name: a
# reply names the register it came from): sys.argv[1] the register, [2] the copy.
ON_A_COPY = ("import shutil, sys; shutil.copy(sys.argv[1], sys.argv[2]); "
             "from gain_workbook.cli import main; sys.argv = ['gain-pack', *sys.argv[3:]]; "
             "main()")


def applies(py, work: Path, repeat: int, n: int = APPLY_ACTIONS):
    """(validate, merge --apply, add-report --apply, changes merged) at ``n`` actions: two
    owners' replies, each updating 100 actions and closing 25 of them (a date too)."""
    reg = _register(py, work, n)
    replies = work / f"apply-replies-{n}"
    if not replies.exists():
        import openpyxl

        asked = work / f"apply-requests-{n}"
        subprocess.run([py, "-m", "gain_workbook", "requests", str(reg), "-o", str(asked),
                        "--as-of", AS_OF, *[a for o in APPLY_OWNERS for a in ("--owner", o)]],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        replies.mkdir()
        for book in sorted(asked.glob("*.xlsx")):
            wb = openpyxl.load_workbook(book)
            ws = wb["Update request"]
            for r in range(8, 108):
                ws[f"K{r}"] = f"Progress made this month ({r})."
                if r < 33:
                    ws[f"J{r}"] = "Complete"
                    ws[f"M{r}"] = dt.datetime(2026, 11, 27)
            wb.save(replies / book.name)
    files = [str(p) for p in sorted(replies.glob("*.xlsx"))]
    copies = work / f"apply-copies-{n}"
    copies.mkdir(exist_ok=True)
    target = str(copies / reg.name)
    gain = [py, "-m", "gain_workbook"]
    validate, merged, added = measure([
        gain + ["validate", str(reg)],
        [py, "-c", ON_A_COPY, str(reg), target, "merge", target, *files, "--apply",
         "--as-of", "2026-12-09"],
        [py, "-c", ON_A_COPY, str(reg), target, "add-report", target, str(APPLY_REPORT),
         "--apply"]], repeat, ok=(0, 1))
    return validate, merged, added, 2 * 125


def apply_lines(validate, merged, added, changes) -> str:
    """The table of --apply against validate: wall and CPU seconds, their ratios, peaks."""
    rows = [("`gain-pack validate`", validate),
            (f"`merge --apply` of 2 replies ({changes} changes)", merged),
            ("`add-report --apply` (an inspection, 10 items and the column 'To check')", added)]
    lines = ["| at 100,000 actions | s | / validate | CPU s | / validate | peak MB |",
             "|---|---:|---:|---:|---:|---:|"]
    for label, t in rows:
        lines.append(f"| {label} | {t[0]:.2f} | {t[0] / validate[0]:.2f}x | {t[2]:.2f} | "
                     f"{t[2] / validate[2]:.2f}x | {t[1]:.0f} |")
    return "\n".join(lines) + (
        f"\n\nTargets: each --apply at most 1.5x validate's time, peak under 600 MB. "
        f"Medians, the three taking turns; {os.cpu_count()} cores; load average "
        f"{os.getloadavg()[0]:.1f} at the end; {dt.date.today():%d %B %Y}.")


def write_readme(report: str, readme: Path | None = None, block: str = "bench") -> None:
    """Put ``report`` into the bench block (or ``block``) of docs/performance.md (gen_docs'
    block writer)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    gen_docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_docs)
    path = readme or README
    path.write_text(gen_docs.replace_block(path.read_text(encoding="utf-8"), block, report),
                    encoding="utf-8")


def _register(py, work: Path, n: int) -> Path:
    reg = work / f"register-{n}.xlsx"
    if not reg.exists():
        subprocess.run([py, str(ROOT / "scripts" / "make_register.py"), str(reg),
                        "--actions", str(n)], check=True, stderr=subprocess.DEVNULL)
    return reg


@contextlib.contextmanager
def ref_tree(ref: str):
    """(folder holding REF's tree, REF's name): a folder as it is, or commit REF
    unpacked with `git archive` into a temporary folder, removed afterwards."""
    given = Path(ref)
    if given.is_dir():
        yield given, f"{given.name} (a folder)"
        return
    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", ref], check=True,
                         capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="gain-ref-") as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        yield Path(tmp), sha


def this_commit() -> str:
    """This tree's commit, and whether files differ from it."""
    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True).stdout.strip() or "?"
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--",
                            "gain_workbook"], capture_output=True, text=True).stdout.strip()
    return f"{sha}+changes" if dirty else sha


# A process running gain-pack from the tree given first; before the command,
# "--fresh PATH" removes PATH and "--copy SRC DST" copies a register (an --apply run
# changes its register, so each run starts from the same one).
LAUNCH = r'''
import shutil, sys
from pathlib import Path
tree, args = sys.argv[1], sys.argv[2:]
while args[0] in ("--fresh", "--copy"):
    if args[0] == "--fresh":
        shutil.rmtree(args[1], ignore_errors=True)
        args = args[2:]
    else:
        Path(args[2]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(args[1], args[2])
        args = args[3:]
sys.path.insert(0, tree)
sys.argv = ["gain-pack", *args]
import gain_workbook
assert Path(gain_workbook.__file__).resolve().is_relative_to(Path(tree).resolve()), \
    f"gain_workbook came from {gain_workbook.__file__}, not {tree}"
from gain_workbook.cli import main
main()
'''


def launcher(py, tree: Path) -> list[str]:
    return [py, "-c", LAUNCH, str(tree)]


def compare_validate(args, py, work: Path) -> int:
    """validate of this tree vs. validate of git commit REF, taking turns. REF may be a
    folder holding an earlier tree (`git archive REF | tar -x -C DIR`), used as it is."""
    with ref_tree(args.validate_against) as (old, name):
        here, then = launcher(py, ROOT) + ["validate"], launcher(py, old) + ["validate"]
        print(f"| actions | validate s (this tree, {this_commit()}) | validate s ({name}) | "
              "ratio |\n|---:|---:|---:|---:|")
        worst = 0.0
        for n in sizes(args, "1000,10000,100000"):
            reg = str(_register(py, work, n))
            (a, b) = measure([[*here, reg], [*then, reg]], args.repeat)
            worst = max(worst, a[0] / b[0])
            print(f"| {n:,} | {a[0]:.2f} | {b[0]:.2f} | {a[0] / b[0]:.2f}x |", flush=True)
        print(f"\nworst ratio {worst:.2f}x (target at most 1.10x); median of {args.repeat} "
              f"runs each, taking turns; {machine()}.")
        return 0 if worst <= 1.10 else 1


SLOWER = 1.05   # a command this much slower than REF's (medians, taking turns) is flagged
REPORT_SOURCE = (ROOT / "tests" / "data" / "reports"
                 / "leveson-2012 part l numbered recommendations.txt")


def ab_commands(py, work: Path, reg: Path, n: int, tree: str) -> dict:
    """{command: arguments after the launcher} at one size, for the tree called ``tree``
    (its outputs and copies kept apart from the other tree's)."""
    out = work / f"ab-{tree}-{n}"
    out.mkdir(parents=True, exist_ok=True)
    replies = ab_replies(py, work, reg, n)
    copy = out / "copy" / reg.name           # a reply names the register it came from
    return {
        "build": ["build", str(reg), "-o", str(out / "pack.xlsx"), "--as-of", AS_OF],
        "validate": ["validate", str(reg)],
        "requests": ["--fresh", str(out / "requests"), "requests", str(reg), "-o",
                     str(out / "requests"), "--as-of", AS_OF],
        "merge --apply": ["--fresh", str(out / "copy"), "--copy", str(reg), str(copy), "merge",
                          str(copy), *map(str, replies), "--apply", "--as-of", "2026-12-09"],
        "add-report --apply": ["--fresh", str(out / "copy"), "--copy", str(reg), str(copy),
                               "add-report", str(copy), str(REPORT_SOURCE), "--published",
                               "2026-11-20", "--title", "A bench report", "--apply"],
        "response --docx": ["response", str(reg), "--open", "--docx", "--allow-errors", "-o",
                            str(out / "responses.xlsx"), "--as-of", AS_OF],
        "describe": ["describe", str(reg)],
    }


def ab_replies(py, work: Path, reg: Path, n: int) -> list[Path]:
    """Every owner's request workbook with its first update filled in (made once)."""
    replies = work / f"ab-replies-{n}"
    if not replies.exists():
        import openpyxl

        requests = work / f"ab-requests-{n}"
        subprocess.run([py, "-m", "gain_workbook", "requests", str(reg), "-o", str(requests),
                        "--as-of", AS_OF], check=True, capture_output=True)
        replies.mkdir()
        for book in sorted(requests.glob("*.xlsx")):
            wb = openpyxl.load_workbook(book)
            wb["Update request"]["K8"] = "Progress made this month."
            wb.save(replies / book.name)
    return sorted(replies.glob("*.xlsx"))


def compare_trees(args, py, work: Path) -> int:
    """Each main command of this tree vs. the same command of REF, taking turns, at each
    size; flags the commands slower than REF's. Exit 1 when any is."""
    with ref_tree(args.against) as (old, name):
        here_name = this_commit()
        lines = []

        def say(line: str) -> None:
            print(line, flush=True)
            lines.append(line)

        say(f"| actions | command | this tree ({here_name}) s | {name} s | ratio | "
            f"peak MB this / {name} | |\n|---:|---|---:|---:|---:|---:|---|")
        slower = []
        for n in sizes(args, "5000,100000"):
            reg = _register(py, work, n)
            here = ab_commands(py, work, reg, n, "here")
            then = ab_commands(py, work, reg, n, "ref")
            for command in here:
                a, b = measure([launcher(py, ROOT) + here[command],
                                launcher(py, old) + then[command]], args.repeat)
                flag = "slower" if a[0] > b[0] * SLOWER else ""
                if flag:
                    slower.append(f"{command} at {n:,}")
                say(f"| {n:,} | {command} | {a[0]:.2f} | {b[0]:.2f} | {a[0] / b[0]:.2f}x | "
                    f"{a[1]:.0f} / {b[1]:.0f} | {flag} |")
        say(f"\nThis tree {here_name} against {name} ({args.against}): medians of "
            f"{args.repeat} runs each, taking turns; {machine()}; a command more than "
            f"{SLOWER - 1:.0%} slower is flagged. "
            + (f"Slower: {', '.join(slower)}." if slower else "None is slower."))
        if args.write_readme:
            write_readme("\n".join(lines), block="bench-against")
        return 1 if slower else 0


def small_register(py, work: Path, repeat: int) -> int:
    """Issue 32's small-register goal: `gain-pack validate` of a 50-row register costs at
    most 1.3x a process that only imports pandas and pandera (its pandas backend) and
    reads the same rows with python-calamine, the floor set by the libraries we must use.

    Both run with a bytecode cache, as an installed package has (pip compiles it); a
    working copy run with PYTHONDONTWRITEBYTECODE=1 would otherwise compile gain-pack's
    own modules on every run while the libraries' are compiled already. The cache is
    filled by one untimed run of each. The floor is also timed with gain-pack's
    interpreter tweaks (gc off, os._exit; cli.lean_process), which leave only the
    imports and the reading to compare. Exit status 1 when the goal is missed.
    """
    floor = ("import sys\nimport pandas\nimport pandera.pandas\nimport python_calamine as pc\n"
             "wb = pc.CalamineWorkbook.from_path(sys.argv[1])\n"
             "grids = [wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]\n")
    lean = ("import gc, os, sys\ngc.disable()\n" + floor
            + "sys.stdout.flush()\nos._exit(0)\n")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)      # (children inherit both)
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "bytecode")
    reg = work / "register-50.xlsx"
    if not reg.exists():
        subprocess.run([py, str(ROOT / "scripts" / "make_register.py"), str(reg),
                        "--actions", "50"], check=True, stderr=subprocess.DEVNULL)
    gain = [py, "-m", "gain_workbook"]
    cmds = [gain + ["validate", str(reg)], [py, "-c", floor, str(reg)],
            [py, "-c", lean, str(reg)], gain + ["describe", str(reg)], gain + ["--help"]]
    measure(cmds, 1)                                     # fills the bytecode cache
    val, fl, fl_lean, desc, helps = measure(cmds, repeat)
    ratio = val[0] / fl[0]
    print(f"A 50-row register: `gain-pack validate` {val[0]:.2f} s; the floor (import "
          f"pandas and pandera, read with calamine) {fl[0]:.2f} s: {ratio:.2f}x (goal at "
          f"most 1.30x, {'met' if ratio <= 1.3 else 'NOT met'}); against the floor with "
          f"gain-pack's interpreter tweaks ({fl_lean[0]:.2f} s) {val[0] / fl_lean[0]:.2f}x. "
          f"`gain-pack describe` {desc[0]:.2f} s, `gain-pack --help` {helps[0]:.2f} s "
          f"(medians of {repeat} runs each, taking turns; {os.cpu_count()} cores).")
    return 0 if ratio <= 1.3 else 1


if __name__ == "__main__":
    sys.exit(main())
