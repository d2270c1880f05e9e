"""Every regular expression in the package runs in linear time on hostile text.

Report text and register text are anyone's: a 200,000-character line of '[' once made
the markdown-link pattern backtrack for minutes. The test finds the patterns itself,
so a new one cannot slip in untested: every compiled pattern a module of the package
defines, and every pattern given as a literal (or an f-string of the module's
constants) to ``re.compile``, ``re.search``, ``re.sub`` ... anywhere in its code.

Each pattern is searched through (``finditer``, every start position) and matched
whole (``fullmatch``) on pathological lines made from its own characters: one
character repeated (each literal character of the pattern, and ``[ ( < space a A 0 . -``
...), two of them alternating, its literal words repeated, and each literal word
followed by a long run of one filler and a character that ends nothing. All the lines
are first tried at 4 KB; the slowest of them are then run at 1 MB, each bounded.
A pattern that backtracks is quadratic (or worse): at 1 MB that is hours, so it cannot
pass the bound, while a linear one takes milliseconds to a second.

The work runs in a child process, so a pattern that never returns is ended (and named)
instead of hanging the suite.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
import subprocess
import sys

import pytest

from conftest import ROOT

PACKAGE = ROOT / "gain_workbook"
CALLS = {"compile": 1, "match": 2, "search": 2, "fullmatch": 2, "findall": 2,
         "finditer": 2, "sub": 4, "subn": 4, "split": 3}    # re function -> flags' position
SMALL, BIG = 4096, 1 << 20
SLOWEST = 3                 # lines of the 4 KB round run again at 1 MB
LIMIT = 5.0                 # CPU seconds for one 1 MB line (linear ones take well under 1)
HUNG = 60.0                 # wall seconds before a line is called hung (a busy machine)
BASE = " [](<>a A0.-:\"'\n\t,;|#*_/\\"


def _evaluate(node, namespace, where):
    return eval(compile(ast.Expression(node), where, "eval"), namespace)   # noqa: S307


def find_patterns() -> tuple[dict, list[str]]:
    """({(pattern, flags): where}, [re calls whose pattern could not be worked out])."""
    found: dict = {}
    unknown: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.stem == "__main__":
            continue
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        module = importlib.import_module(".".join(("gain_workbook",) + parts))
        name = ".".join(parts) or "gain_workbook"
        namespace = vars(module)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:      # the module's own compiled patterns, by name
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, ast.AnnAssign) else []
            for t in targets:
                if isinstance(t, ast.Name) and isinstance(namespace.get(t.id), re.Pattern):
                    p = namespace[t.id]
                    found.setdefault((p.pattern, p.flags), f"{name}.{t.id}")
        for node in ast.walk(tree):  # patterns given to re.* anywhere, functions included
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in CALLS and node.args):
                continue
            where = f"{name}:{node.lineno}"
            at = CALLS[node.func.attr]
            flags_node = node.args[at] if len(node.args) > at else next(
                (k.value for k in node.keywords if k.arg == "flags"), None)
            try:
                pattern = _evaluate(node.args[0], namespace, where)
                flags = _evaluate(flags_node, namespace, where) if flags_node else 0
            except Exception:       # a local variable: not a pattern this test can know
                unknown.append(where)
                continue
            if isinstance(pattern, re.Pattern):
                continue            # a compiled one, found by its name
            p = re.compile(pattern, flags)
            found.setdefault((p.pattern, p.flags), where)
    return found, unknown


def hostile_lines(pattern, flags) -> list[tuple[str, str, str]]:
    """(unit, before, after) for each pathological line: ``before + unit * n + after``.

    The units: each character the pattern names, and some of ours, alone and in pairs;
    its literal words with a space. The befores: each literal word, and each start of an
    example the pattern matches (so 'recommendations:' then a run of spaces reaches the
    part of the pattern after the colon); the after, a NUL, ends nothing.
    """
    import re._constants as c
    import re._parser as parser

    reps = {c.CATEGORY_DIGIT: "0", c.CATEGORY_SPACE: " ", c.CATEGORY_WORD: "a",
            c.CATEGORY_NOT_DIGIT: "a", c.CATEGORY_NOT_SPACE: "a", c.CATEGORY_NOT_WORD: " "}
    tests = {c.CATEGORY_DIGIT: str.isdigit, c.CATEGORY_SPACE: str.isspace,
             c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_"}
    chars, words = set(), set()
    example, starts = [], set()     # one string the pattern matches, and each start of it

    def in_set(ch, items) -> bool:
        hit, negate = False, False
        for o, a in items:
            if o is c.NEGATE:
                negate = True
            elif o is c.LITERAL:
                hit |= ch == chr(a)
            elif o is c.RANGE:
                hit |= a[0] <= ord(ch) <= a[1]
            elif o is c.CATEGORY:
                name = str(a).replace("NOT_", "")
                test = next((f for k, f in tests.items() if str(k) == name), None)
                if test is not None:
                    hit |= test(ch) != ("NOT_" in str(a))
        return hit != negate

    def emit(ch):
        example.append(ch)
        starts.add("".join(example))

    def walk(seq, write=True):
        run = ""
        for op, av in seq:
            if op is c.LITERAL:
                chars.add(chr(av))
                run += chr(av)
                if write:
                    emit(chr(av))
                continue
            if len(run) >= 2:
                words.add(run)
            run = ""
            if op is c.NOT_LITERAL:
                chars.add(chr(av))
                if write:
                    emit(next(ch for ch in " a0x" if ord(ch) != av))
            elif op is c.IN:
                for o, a in av:
                    if o is c.LITERAL:
                        chars.add(chr(a))
                    elif o is c.RANGE:
                        chars.update((chr(a[0]), chr(a[1])))
                    elif o is c.CATEGORY and a in reps:
                        chars.add(reps[a])
                if write:
                    pick = next((ch for ch in " aA0.:-x!\u00e9" if in_set(ch, av)), None)
                    if pick is not None:
                        emit(pick)
            elif op is c.CATEGORY and av in reps:
                chars.add(reps[av])
                if write:
                    emit(reps[av])
            elif op is c.ANY and write:
                emit("a")
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                for _ in range(max(1, min(av[0], 3))):
                    walk(av[2], write)
            elif op is c.SUBPATTERN:
                walk(av[3], write)
            elif op is c.ATOMIC_GROUP:
                walk(av, write)
            elif op is c.BRANCH:
                for n, branch in enumerate(av[1]):
                    walk(branch, write and n == 0)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                walk(av[1], False)
            elif op is c.GROUPREF_EXISTS:
                walk(av[1], write)
                if av[2]:
                    walk(av[2], False)
        if len(run) >= 2:
            words.add(run)

    text = pattern.decode("latin-1") if isinstance(pattern, bytes) else pattern
    walk(parser.parse(text, flags))
    chars = sorted(chars | set(BASE))
    pairs = sorted(set("aA0 [(.-\n") | {ch for ch in chars if not ch.isalnum()})[:16]
    units = chars + [x + y for x in pairs for y in pairs if x != y] + \
        ["Aa ", "aa ", "a a", "A A", "0 0", "a, ", "Aa\n"] + [w + " " for w in sorted(words)]
    lines = [(u, "", "") for u in units]
    lines += [(f, before, "\x00") for before in sorted(words | starts)
              for f in (" ", "a", "0", ".", "\n")]
    return lines


WORKER = r"""
import json, re, sys, time

def line(spec, n, binary):
    unit, before, after = spec
    s = before + unit * (n // len(unit)) + after
    return s.encode("utf-8") if binary else s

def cost(p, s):
    t = time.process_time()
    for _ in p.finditer(s):
        pass
    p.fullmatch(s)
    return time.process_time() - t

for raw in sys.stdin:
    job = json.loads(raw)
    binary = job["binary"]
    p = re.compile(job["pattern"].encode("latin-1") if binary else job["pattern"], job["flags"])
    times = []
    for k, spec in enumerate(job["lines"]):
        print(json.dumps({"line": k, "size": job["small"]}), flush=True)
        times.append(cost(p, line(spec, job["small"], binary)))
    slowest = sorted(range(len(times)), key=times.__getitem__)[-job["slowest"]:]
    big = []
    for k in slowest:
        print(json.dumps({"line": k, "size": job["big"]}), flush=True)
        big.append((k, cost(p, line(job["lines"][k], job["big"], binary))))
    print(json.dumps({"done": big}), flush=True)
"""


class Worker:
    """A child Python that runs the patterns; ended and started again when one hangs."""

    def __init__(self):
        self.proc = None

    def start(self):
        import queue
        import threading

        self.proc = subprocess.Popen([sys.executable, "-c", WORKER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        self.messages = queue.Queue()
        proc, messages = self.proc, self.messages

        def read():                     # a thread, so waiting can end (on every platform)
            for line in proc.stdout:
                messages.put(json.loads(line))
            messages.put(None)

        threading.Thread(target=read, daemon=True).start()

    def stop(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc.stdin.close()
            self.proc.stdout.close()
            self.proc = None

    def run(self, pattern, flags, lines):
        """[(line, CPU seconds at 1 MB)] for the slowest lines; or (line, size) of a hang."""
        import queue

        if self.proc is None:
            self.start()
        binary = isinstance(pattern, bytes)
        job = {"pattern": pattern.decode("latin-1") if binary else pattern, "flags": flags,
               "binary": binary, "lines": lines, "small": SMALL, "big": BIG,
               "slowest": SLOWEST}
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        at = None
        while True:
            try:
                msg = self.messages.get(timeout=HUNG)
            except queue.Empty:
                self.stop()
                return at
            if msg is None:
                raise RuntimeError("the pattern worker died")
            if "done" in msg:
                return msg["done"]
            at = (msg["line"], msg["size"])


@pytest.fixture(scope="module")
def worker():
    w = Worker()
    yield w
    w.stop()


PATTERNS, UNKNOWN = find_patterns()


def test_every_pattern_in_the_package_is_found():
    """The finder sees the package's patterns, and every re.* call's pattern is one it can
    work out: a pattern built from a local variable must become a module-level constant."""
    assert not UNKNOWN, f"patterns this test cannot see (make them module constants): {UNKNOWN}"
    names = set(PATTERNS.values())
    assert {"newreport.source._MD_LINK", "core.dates._WITHIN", "core.text.XML_ILLEGAL"} <= names
    assert any(":" in n and n.startswith("newreport.items:") for n in names)  # inside functions
    assert len(PATTERNS) > 60


@pytest.mark.parametrize("key", sorted(PATTERNS, key=lambda k: PATTERNS[k]),
                         ids=lambda k: PATTERNS[k])
def test_every_pattern_is_linear_on_hostile_lines(worker, key):
    pattern, flags = key
    lines = hostile_lines(pattern, flags)
    result = worker.run(pattern, flags, lines)
    if not isinstance(result, list):
        if result is None:
            pytest.fail(f"{PATTERNS[key]} did not answer within {HUNG:.0f} s")
        k, size = result
        unit, before, after = lines[k]
        pytest.fail(f"{PATTERNS[key]} ({pattern!r}) did not finish within {HUNG:.0f} s on "
                    f"{before!r} + {unit!r} * {size // len(unit)} + {after!r}")
    slow = [(lines[k], round(t, 2)) for k, t in result if t > LIMIT]
    assert not slow, f"{PATTERNS[key]} ({pattern!r}) took more than {LIMIT} s on a 1 MB line: " \
        f"{slow}"
