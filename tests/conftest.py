"""Shared fixtures: registers built in code, the generator script, a CLI runner."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import importlib.util
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
# No test reads or writes the real keychain of the machine it runs on, in this process
# or a child: keyring sees no keychain unless a test gives it one (tests/test_oauth.py).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
def _shared() -> Path:
    """The project's shared/ folder (LibreOffice tools): GAIN_SHARED when set, else beside
    this checkout (as CI lays it out), else beside the repository this one was cloned
    from (a clone to /tmp/fresh of a checkout that has shared/ beside it)."""
    if os.environ.get("GAIN_SHARED"):
        return Path(os.environ["GAIN_SHARED"])
    here = ROOT.parent / "shared"
    if here.is_dir():
        return here
    import subprocess

    origin = subprocess.run(["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
                            capture_output=True, text=True).stdout.strip()
    if origin and Path(origin).is_dir():
        there = Path(origin).resolve().parent / "shared"
        if there.is_dir():
            return there
    return here


SHARED = _shared()
TOOLS = SHARED / "tools"


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


make_register = _load_script("make_register")
HEADERS = make_register.HEADERS
D = dt.date

# A small valid register: one inspection, three items, three actions.
BASE = {
    "settings": {"Force name": "Example Police", "Protective marking": "OFFICIAL-SENSITIVE"},
    "inspections": [{
        "Inspection ID": "INS-1", "Title": "An inspection of custody", "Published": D(2024, 1, 10),
        "Type": "National, Thematic", "Force quoted": "No", "Executive lead": "ACC Ops",
        "Executive summary": "Custody is mostly safe.",
    }],
    "items": [
        {"Item ID": "INS-1-R1", "Inspection ID": "INS-1", "Kind": "Recommendation", "Number": "1",
         "Text": "By 31 December 2024, all chief constables should review custody.",
         "Addressee": "All chief constables", "Applies to force": "Yes",
         "Deadline (as written)": "By 31 December 2024", "Lead": "Ch Insp Custody",
         "HMICFRS status": "Being progressed"},
        {"Item ID": "INS-1-R2", "Inspection ID": "INS-1", "Kind": "Recommendation", "Number": "2",
         "Text": "The Home Office should publish data.", "Addressee": "Home Office",
         "Applies to force": "No", "HMICFRS status": "Open"},
        {"Item ID": "INS-1-AFI1", "Inspection ID": "INS-1", "Kind": "Area for improvement",
         "Number": "1", "Text": "Forces should improve detainee welfare checks.",
         "Addressee": "All chief constables", "Applies to force": "Yes", "HMICFRS status": "Open"},
    ],
    "actions": [
        {"Action ID": "A1", "Item ID": "INS-1-R1", "Action": "Review the custody policy.",
         "Owner": "Ch Insp Custody", "Due": D(2024, 6, 30), "Status": "In progress",
         "Last updated": D(2024, 5, 1), "Latest update": "Draft written."},
        {"Action ID": "A2", "Item ID": "INS-1-R1", "Action": "Train custody sergeants.",
         "Owner": "Head of L&D", "Due": D(2024, 9, 30), "Revised due": D(2024, 12, 31),
         "Status": "Complete", "Completed on": D(2024, 12, 1), "Last updated": D(2024, 12, 1)},
        {"Action ID": "A3", "Item ID": "INS-1-AFI1", "Action": "Audit welfare checks.",
         "Owner": "Custody QA", "Due": D(2025, 1, 31), "Status": "Not started"},
    ],
}
SHEETS = {"inspections": "Inspections", "items": "Items", "actions": "Actions"}


def base_data() -> dict:
    """A fresh deep copy of the small valid register."""
    return copy.deepcopy(BASE)


def write_register(path, data: dict, headers: dict | None = None, title_rows: int = 0,
                   extra: dict | None = None, notes: dict | None = None, post=None,
                   xml_replace: dict | None = None) -> Path:
    """Write a template-layout register with openpyxl, as an office's own file would be.

    ``headers`` renames or (value None) drops columns; ``extra`` adds columns
    {table: {header: [values]}}; ``notes`` adds {table: text} two rows below the table;
    ``post(wb)`` changes the openpyxl workbook before it is saved (a hidden sheet, say);
    ``xml_replace`` {text: raw XML} edits the saved file's XML parts, for what openpyxl
    refuses to write (Excel's _x001B_ escape for a control character, say).
    """
    import openpyxl

    headers = headers or {}
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table, sheet in SHEETS.items():
        ws = wb.create_sheet(sheet)
        for t in range(title_rows):
            ws.cell(t + 1, 1, f"{sheet} - title row {t + 1}")
        cols = [h for h in HEADERS[table] if headers.get(h, h) is not None]
        extra_cols = list((extra or {}).get(table, {}))
        for c, h in enumerate(cols + extra_cols, start=1):
            ws.cell(title_rows + 1, c, headers.get(h, h))
        for r, row in enumerate(data[table], start=title_rows + 2):
            for c, h in enumerate(cols, start=1):
                v = row.get(h)
                if v is not None:
                    ws.cell(r, c, v)
                    if isinstance(v, str) and v.startswith("="):
                        ws.cell(r, c).data_type = "s"     # text that only looks like a formula
                    if isinstance(v, dt.date):
                        ws.cell(r, c).number_format = "dd/mm/yyyy"
            for c, h in enumerate(extra_cols, start=len(cols) + 1):
                values = extra[table][h]
                if r - title_rows - 2 < len(values):
                    ws.cell(r, c, values[r - title_rows - 2])
        if notes and table in notes:
            ws.cell(ws.max_row + 2, 1, notes[table])
    if data.get("settings") is not None:
        ws = wb.create_sheet("Settings")
        ws.append(["Setting", "Value"])
        for k, v in data["settings"].items():
            ws.append([k, v])
    if post is not None:
        post(wb)
    wb.save(path)
    if xml_replace:
        replace_in_parts(path, xml_replace)
    return Path(path)


def replace_in_parts(path, replace: dict) -> None:
    """Replace text in every XML part of a saved workbook (bytes in, bytes out)."""
    import zipfile

    tmp = Path(str(path) + ".part")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.endswith(".xml"):
                for old, new in replace.items():
                    data = data.replace(old.encode(), new.encode())
            zout.writestr(info.filename, data)
    os.replace(tmp, path)


def sha256(path) -> str:
    """Hash of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def base_register(tmp_path):
    """A valid register on disk (path with a space, as on a Windows desktop)."""
    return write_register(tmp_path / "My register.xlsx", base_data())


@pytest.fixture(scope="session")
def example_register(tmp_path_factory):
    """The template with the worked example, as `gain-pack init` writes it."""
    from gain_workbook.register.template import write_register_template

    return write_register_template(
        tmp_path_factory.mktemp("example") / "Example register.xlsx", example=True)


# ---------------------------------------------------------------- a real SMTP server

PASSWORD = "s3cret-Pa55"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses nobody@."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def _authenticator(server, session, envelope, mechanism, auth_data):
    from aiosmtpd.smtp import AuthResult

    ok = auth_data.login == b"clerk" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok)


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 that only the tests trust."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    d = tmp_path_factory.mktemp("certs")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "gain-test-smtp")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    (d / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (d / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                  serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    return d / "cert.pem", d / "key.pem"


@pytest.fixture
def smtp_server(certs):
    """Start real aiosmtpd servers on 127.0.0.1: plain (with AUTH) or STARTTLS."""
    from aiosmtpd.controller import Controller

    started = []

    def start(tls: bool = False, auth: bool = False):
        inbox = Inbox()
        kw = {}
        if tls:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(str(certs[0]), str(certs[1]))
            kw.update(tls_context=ctx, require_starttls=False)
        if auth:
            kw.update(authenticator=_authenticator, auth_require_tls=False)
        port = free_port()
        c = Controller(inbox, hostname="127.0.0.1", port=port, **kw)
        c.start()
        started.append(c)
        return port, inbox
    yield start
    for c in started:
        c.stop()


def libreoffice_tool(name: str) -> Path:
    """Path to a shared LibreOffice tool; fails (not skips) if LibreOffice is missing."""
    tool = TOOLS / name
    assert tool.exists(), f"{tool} is missing: shared/ must sit beside the project"
    assert shutil.which("soffice") or shutil.which("libreoffice"), \
        "LibreOffice is not installed; .ci/run installs it"
    return tool


def run_tool(name: str, *args, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run a shared LibreOffice tool and return the finished process."""
    return subprocess.run(["bash", str(libreoffice_tool(name)), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def adopted_frame(old, table: str, short: dict):
    """The table ``old`` (a register as read) should read as once adopted: the same, but
    for the short ids adopt gives reports known by whole titles and, on a register with
    no Type column, Type PEEL for a report whose title says PEEL."""
    from gain_workbook.register.adopt import _ID_KEYS, _renamed

    longest = sorted(short, key=len, reverse=True)
    a = old.table(table).frame.reset_index(drop=True)
    for key in set(_ID_KEYS) & set(a.columns):
        a[key] = a[key].map(lambda v: _renamed(v, short, longest)).astype(object)
    if table == "inspections":
        t = old.inspections
        a["inspection_type"] = pd_objects(
            "PEEL" if not t.has("inspection_type", i) and v is None
            and re.search(r"\bPEEL\b", str(title)) else v
            for i, v, title in zip(t.frame.index, t.frame["inspection_type"], t.frame["title"]))
    return a


def pd_objects(values):
    import pandas as pd

    return pd.Series(list(values), dtype=object)
