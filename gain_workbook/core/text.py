"""Text from a register made safe for where it goes: XML, a terminal, a CSV, a log line.

Register text is the user's (or anyone's who could edit the file): it may hold
characters XML 1.0 cannot store, terminal escape sequences, a leading '=' that
Excel runs as a formula from a CSV, or line breaks that would forge a log line or
an email header. Each destination has one function here, used everywhere.
"""

from __future__ import annotations

import re

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except
# the surrogates and U+FFFE/U+FFFF.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What a terminal acts on: C0 controls (ESC starts colours, titles and links), DEL,
# C1 controls (0x9B is a one-byte CSI), bidi overrides that reorder what is shown,
# and lone surrogates (which cannot even be printed).
TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                             "\ud800-\udfff]")
# OWASP's CSV injection list: Excel treats a field starting with one of these as a formula.
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def decode_text(raw: bytes) -> str | None:
    """Bytes of a text file as a person saved it: UTF-32 or UTF-16 with its byte-order mark
    (UTF-32's first: FF FE 00 00 starts like UTF-16's FF FE), UTF-8 (with or without one),
    else Windows-1252 (what Notepad on a UK desktop saves unless told otherwise); None when
    it is none of them."""
    encodings = ("utf-32",) if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) else \
        ("utf-16",) if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "cp1252")
    for enc in encodings:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def has_xml_illegal(text: str) -> bool:
    """True when the text holds a character an .xlsx (XML 1.0) cannot store."""
    return XML_ILLEGAL.search(text) is not None


def xml_safe(text: str) -> str:
    """The text with every character XML 1.0 cannot hold removed."""
    return XML_ILLEGAL.sub("", text)


def _visible(m: re.Match) -> str:
    ch = m.group(0)
    if ch == "\x1b":
        return "\\e"
    if ch == "\r":
        return "\\r"
    return f"\\x{ord(ch):02x}" if ord(ch) <= 0xFF else f"\\u{ord(ch):04x}"


def terminal_safe(text: str) -> str:
    """Text for a terminal: control characters shown as escapes (\\e, \\x07), never acted on."""
    if not TERMINAL_UNSAFE.search(text):
        return text
    return TERMINAL_UNSAFE.sub(_visible, text)


def one_line(text: str) -> str:
    """Text on one line, safely shown: line breaks as \\n and \\r, controls as escapes."""
    return terminal_safe(str(text).replace("\r", "\\r").replace("\n", "\\n"))


def shorten(value, limit: int = 60) -> str:
    """Text for quoting in a message: on one line, cut to ``limit`` with '...'."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def as_text(value, missing: str = "") -> str:
    """A value as cell or sentence text; None, NaN and '' (blank, or not read) as ``missing``."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return missing
    return str(value)


def json_text(text: str) -> str:
    """JSON text whose every character is safe for a terminal: unsafe ones as \\u escapes."""
    if not TERMINAL_UNSAFE.search(text):
        return text
    return TERMINAL_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def csv_cell(value):
    """A CSV field Excel will not run: text starting with = + - @ tab or CR gets a leading '."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value


def utf16_len(text: str) -> int:
    """Length as Excel counts it (UTF-16 code units: an emoji counts two)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


CELL_LIMIT = 32767       # characters (UTF-16 code units) a cell holds in Excel


def fit_cell(text: str, limit: int = CELL_LIMIT) -> str:
    """``text`` as a cell can hold it: whole, or cut to ``limit`` (counted as Excel counts,
    a character beyond the Basic Multilingual Plane two) ending in '…'."""
    if len(text) <= limit // 2 or utf16_len(text) <= limit:
        return text
    return truncate_utf16(text, limit - 1) + "…"


def truncate_utf16(text: str, limit: int) -> str:
    """The longest start of ``text`` that is at most ``limit`` UTF-16 units."""
    if utf16_len(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        n = 2 if ord(ch) > 0xFFFF else 1
        if used + n > limit:
            break
        out.append(ch)
        used += n
    return "".join(out)


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 action', '2 actions' ('1 inspection', '3 inspections'); ``many`` for the odd word."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def all_of(n: int, word: str = "action") -> str:
    """'its one action' (not 'all 1 action'), 'both actions' (not 'all 2 actions'), 'all 3
    actions'."""
    return f"its one {word}" if n == 1 else f"both {word}s" if n == 2 else \
        f"all {plural(n, word)}"


def first_few(names, n: int = 3) -> str:
    """"'a.xlsx', 'b.xlsx', 'c.xlsx' ..." : the first ``n`` names quoted, '...' for more."""
    names = list(names)
    return ", ".join(f"'{x}'" for x in names[:n]) + (" ..." if len(names) > n else "")
