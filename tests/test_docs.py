"""The docs (README.md for the clerk, ARCHITECTURE.md, the reference in docs/) match the
code: their generated blocks are up to date, every link leads somewhere, every file they
name exists, the README's commands work as written, and the README stays short."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from conftest import ROOT

README_MOST_LINES = 320       # the README stays about 300 lines: new features go in docs/


def doc_files() -> list[Path]:
    """Every page a reader may open: the README, ARCHITECTURE.md and docs/*.md."""
    return [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.slow
def test_the_generated_blocks_are_up_to_date():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_the_readme_stays_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= README_MOST_LINES, (
        f"README.md has {lines} lines (at most {README_MOST_LINES}): move the detail into a "
        "page of docs/ and leave the README a line and a link")


def test_the_readme_links_to_every_page_of_the_docs():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = {urllib.parse.unquote(t.split("#")[0]) for t in links_in(text)}
    pages = {p.relative_to(ROOT).as_posix() for p in doc_files()[1:]}
    assert pages <= linked, f"not linked from the README: {sorted(pages - linked)}"


# ---------------------------------------------------------------- links, as GitHub reads them

def without_code_blocks(text: str) -> str:
    """The Markdown with each fenced code block's lines blanked (their count kept)."""
    out, fence = [], None
    for line in text.split("\n"):
        mark = re.match(r"\s*(```+|~~~+)", line)
        if fence is None and mark:
            fence = mark.group(1)
            out.append("")
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            out.append("")
        else:
            out.append(line)
    return "\n".join(out)


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: its text as shown, lower-cased, punctuation dropped
    (all but hyphens and spaces), each space a hyphen."""
    shown = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)     # a link shows its text
    shown = shown.replace("`", "").replace("*", "")
    return re.sub(r"[^\w\- ]", "", shown.strip().lower()).replace(" ", "-")


def anchors_of(text: str) -> set[str]:
    """Every heading's anchor in a page, a repeated one numbered as GitHub numbers it."""
    seen: dict[str, int] = {}
    out = set()
    for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$", without_code_blocks(text), re.M):
        slug = anchor(m.group(1))
        out.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return out


def links_in(text: str) -> list[str]:
    """The targets of the inline links and images in a page, outside code."""
    prose = re.sub(r"`[^`]*`", "code", without_code_blocks(text))
    return re.findall(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", prose)


def broken_links(page: Path) -> list[str]:
    """Each relative link of ``page`` that leads to no file, or to no heading of it."""
    wrong = []
    for target in links_in(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I):      # https:, mailto: ...
            continue
        path, _, frag = target.partition("#")
        dest = (page.parent / urllib.parse.unquote(path)).resolve() if path else page
        if not dest.exists():
            wrong.append(f"{target}: there is no {path}")
        elif frag and dest.suffix == ".md" and \
                frag not in anchors_of(dest.read_text(encoding="utf-8")):
            wrong.append(f"{target}: {dest.name} has no heading #{frag}")
    return wrong


@pytest.mark.parametrize("heading, expected", [
    # as GitHub makes them (checked against pages rendered there)
    ("A new report: `add-report`", "a-new-report-add-report"),
    ("The month, step by step", "the-month-step-by-step"),
    ("Owners' text stays text", "owners-text-stays-text"),
    ("Applying the replies: `merge --apply`", "applying-the-replies-merge---apply"),
    ("3. Merge", "3-merge"),
    ("gain-pack add-report", "gain-pack-add-report"),
    ("What `validate` says", "what-validate-says"),
    ("The PCC's response", "the-pccs-response"),
    ("A full disk, a read-only folder or a file open in Excel is one sentence",
     "a-full-disk-a-read-only-folder-or-a-file-open-in-excel-is-one-sentence"),
    ("[Linked](x.md) and *stressed*", "linked-and-stressed"),
    ("request_sheet and `__main__`", "request_sheet-and-__main__"),
])
def test_an_anchor_is_made_as_github_makes_it(heading, expected):
    assert anchor(heading) == expected


def test_a_repeated_heading_gets_a_numbered_anchor_and_code_is_not_a_heading():
    text = "# Notes\n\n## Notes\n\n```sh\n# not a heading\n```\n\n## Notes\n"
    assert anchors_of(text) == {"notes", "notes-1", "notes-2"}


def test_every_relative_link_in_the_docs_leads_somewhere():
    wrong = {p.relative_to(ROOT).as_posix(): broken_links(p) for p in doc_files()}
    assert not {k: v for k, v in wrong.items() if v}, wrong


def test_a_broken_link_or_anchor_is_found(tmp_path):
    """The check above can fail: a missing file, a missing heading, in prose or a table."""
    (tmp_path / "there.md").write_text("# Here it is\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("# Page\n\nSee [it](there.md#here-it-is), [gone](gone.md), "
                    "[`code [x]`](there.md#nowhere) and [up](#page).\n\n"
                    "| a | [b](#no-such) |\n\n```text\n[not a link](nowhere.md)\n```\n"
                    "`[nor this](nowhere.md)` ![img](there.md) [web](https://example.org/x)\n",
                    encoding="utf-8")
    assert broken_links(page) == ["gone.md: there is no gone.md",
                                  "there.md#nowhere: there.md has no heading #nowhere",
                                  "#no-such: page.md has no heading #no-such"]


# ---------------------------------------------------------------- files the docs name

def named_paths(text: str) -> list[str]:
    """The repository files and modules a page names: a code span holding a path under a
    top folder of the repository, a package's module ('status/rollup.py', anywhere, code
    blocks included), or a dotted module ('gain_workbook.core.errors')."""
    from test_layering import ORDER

    packages = "|".join(ORDER)
    found = re.findall(rf"(?<![\w/.-])((?:gain_workbook/)?(?:{packages})/(?:\w+\.py)?)(?![\w/])",
                       text)
    tops = ("gain_workbook/", "scripts/", "tests/", "templates/", "docs/", "examples/", ".ci/")
    for span in re.findall(r"`([^`\n]+)`", without_code_blocks(text)):
        if span.startswith(tops):
            found.append(span)
        elif re.fullmatch(r"gain_workbook(\.\w+)+", span):
            found.append(span)
    return found


# Files the docs name that a command writes, not the repository holds.
WRITTEN_BY_COMMANDS = {"examples/GAIN board pack 2026-11.xlsx"}     # the quickstart's build


def exists(name: str) -> bool:
    if name in WRITTEN_BY_COMMANDS:
        return True
    if re.fullmatch(r"gain_workbook(\.\w+)+", name):
        stem = ROOT / name.replace(".", "/")
        return stem.with_suffix(".py").exists() or (stem / "__init__.py").exists()
    if not name.startswith(("gain_workbook/", "scripts/", "tests/", "templates/", "docs/",
                            "examples/", ".ci/")):
        name = "gain_workbook/" + name
    # 'scripts/make_register.py OUT.xlsx --actions N': the file is the first word
    return (ROOT / name).exists() or (ROOT / name.split()[0]).exists()


def test_every_file_and_module_the_docs_name_exists():
    missing = {p.relative_to(ROOT).as_posix(): sorted({n for n in named_paths(
        p.read_text(encoding="utf-8")) if not exists(n)}) for p in doc_files()}
    assert not {k: v for k, v in missing.items() if v}, missing


def test_a_stale_module_name_is_found():
    text = ("Read by `gain_workbook/detect.py` and `register/reader.py`, then\n"
            "```text\n status/rollup.py  pack/gone.py\n```\n`gain_workbook.core.nothing`, "
            "`gain_workbook.api`, `scripts/bench.py --write-readme`, `replies/*.xlsx`.\n")
    names = named_paths(text)
    assert sorted(n for n in names if not exists(n)) == [
        "gain_workbook.core.nothing", "gain_workbook/detect.py", "pack/gone.py"]
    assert {"register/reader.py", "status/rollup.py", "gain_workbook.api",
            "scripts/bench.py --write-readme"} <= set(names)


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


def test_every_command_is_in_the_docs_with_the_help_it_prints(runner):
    """docs/commands.md has each command's --help, word for word as it prints, and the
    README's Commands table links each command to it."""
    from gain_workbook.cli import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    page = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    assert len(cli.commands) >= 9
    for name in cli.commands:
        printed = runner.invoke(cli, [name, "--help"], prog_name="gain-pack",
                                terminal_width=100).output.rstrip("\n")
        assert printed == _gen_docs().command_help(name)
        assert f"### gain-pack {name}\n\n```text\n{printed}\n```" in page, \
            f"gain-pack {name}: its --help is not in docs/commands.md as it prints"
        assert f"](docs/commands.md#gain-pack-{name}) |" in readme, \
            f"gain-pack {name} is not in the README's Commands table"


@pytest.mark.slow
def test_the_python_example_runs(tmp_path, monkeypatch, capsys):
    """docs/python.md's code, run as it stands in a new folder."""
    text = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "docs/python.md", "exec"), {"__name__": "readme"})
    out = capsys.readouterr().out
    assert "GAIN board pack" in out and "open items" in out
    stem = ("PCC response – An inspection of the effectiveness of the police and law "
            "enforcement bodies' response to group-based – 8 December 2023")
    assert repr([f"{stem}.xlsx", f"{stem}.docx"]) in out
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


def test_the_bench_writes_into_the_page_that_holds_the_bench_block():
    """Wherever the bench block lives, scripts/bench.py --write-readme names that file."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    holders = [p for p in doc_files() if "\n<!-- BEGIN bench -->\n" in
               p.read_text(encoding="utf-8")]
    assert holders == [bench.README]


# ---------------------------------------------------------------- gen_docs' own checks

def test_gen_docs_refuses_a_block_it_does_not_know_or_one_left_open():
    gen = _gen_docs()
    assert gen.blocks_in("a\n<!-- BEGIN rules -->\nold\n<!-- END rules -->\n"
                         "`<!-- BEGIN not-a-marker -->` in prose\n") == ["rules"]
    for text, said in [("<!-- BEGIN rulez -->\n<!-- END rulez -->\n", "no part called rulez"),
                       ("<!-- BEGIN rules -->\ntext\n", "never ended"),
                       ("<!-- BEGIN rules -->\n<!-- END vocab -->\n", "END rules"),
                       ("<!-- END rules -->\n", "no block is open")]:
        with pytest.raises(SystemExit, match=said):
            gen.blocks_in(text, "page.md")


def test_gen_docs_writes_each_block_where_it_is_and_misses_none(tmp_path, monkeypatch):
    """A block may sit in any page (the commands table's links follow it); a part that no
    page holds is an error, not a block quietly left out."""
    gen = _gen_docs()
    (tmp_path / "docs").mkdir()
    readme, page = tmp_path / "README.md", tmp_path / "docs" / "commands.md"
    readme.write_text("# R\n<!-- BEGIN commands -->\n<!-- END commands -->\n", encoding="utf-8")
    page.write_text("# C\n<!-- BEGIN commands -->\nOLD TABLE\n<!-- END commands -->\n",
                    encoding="utf-8")
    monkeypatch.setattr(gen, "doc_files", lambda: [readme, page])
    monkeypatch.setattr(gen, "COMMANDS_PAGE", page)
    every = dict(gen.PARTS)
    monkeypatch.setattr(gen, "PARTS", {"commands": every["commands"]})
    monkeypatch.setattr(gen, "WRITTEN_BY", {})
    assert gen.main([]) == 0
    assert "](docs/commands.md#gain-pack-build) |" in readme.read_text(encoding="utf-8")
    assert "](#gain-pack-build) |" in page.read_text(encoding="utf-8")
    assert "OLD TABLE" not in page.read_text(encoding="utf-8")
    assert gen.main(["--check"]) == 0
    page.write_text("# C\n", encoding="utf-8")
    monkeypatch.setattr(gen, "PARTS", {"commands": every["commands"], "rules": every["rules"]})
    with pytest.raises(SystemExit, match="no documentation file holds the block.* rules"):
        gen.main(["--check"])
