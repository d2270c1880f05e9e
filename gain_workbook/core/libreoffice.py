"""LibreOffice, found where it is installed and run headless to turn a file into PDF.

LibreOffice can hang (a stale profile lock, a dialog nobody will see, a damaged
install), and ``response --pdf`` runs from cron and Task Scheduler: a run must end. It
is started in a process group of its own (a new session on Linux and macOS, a new
process group on Windows), given the time limit of the Settings sheet, and then the
whole group is ended, children included, whatever happened: finished, timed out,
Ctrl+C or SIGTERM. Its output goes to a file, not a pipe, so a child that escaped the
group and still held the pipe could not keep us waiting either.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from gain_workbook.core.errors import ToolError

# The Settings sheet's time limit (model.settings names it from these): core cannot
# read Settings, so the command passes the register's value to to_pdf.
TIME_LIMIT_SETTING = "LibreOffice time limit (seconds)"
DEFAULT_SECONDS = 120

LIBREOFFICE_MISSING = (
    "A PDF needs LibreOffice, which is not installed: on Windows install it from "
    "libreoffice.org (then run again), on Debian or Ubuntu run "
    "'apt-get install libreoffice-calc-nogui libreoffice-writer-nogui'; or save the Word copy as PDF from Word.")


def find_soffice() -> str | None:
    """LibreOffice's soffice: on PATH, or where the Windows and macOS installers put it."""
    import os
    import shutil

    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    for base in (os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)")):
        if base and Path(base, "LibreOffice", "program", "soffice.exe").exists():
            return str(Path(base, "LibreOffice", "program", "soffice.exe"))
    mac = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    return str(mac) if mac.exists() else None


# The PDF export filter of each LibreOffice program, by the source's ending
PDF_FILTERS = {".docx": "writer_pdf_Export", ".odt": "writer_pdf_Export",
               ".xlsx": "calc_pdf_Export", ".ods": "calc_pdf_Export"}


# What differs between two PDFs LibreOffice makes of the same file: the time it made
# each (the Info dictionary's dates, the XMP metadata's), the /ID it draws for each
# and the checksum of the whole (dates included)
_PDF_STAMPS = re.compile(rb"(/(?:CreationDate|ModDate)\(D:)[^)]*"
                         rb"|(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)[^<]*"
                         rb"|(xmpMM:(?:DocumentID|InstanceID)>)[^<]*"
                         rb"|(/ID ?\[)[^\]]*|(/DocChecksum ?/)[0-9A-Fa-f]*")


def same_pdf(a: bytes, b: bytes) -> bool:
    """Are two PDFs LibreOffice made the same, but for when it made them?"""
    def masked(pdf: bytes) -> bytes:
        return _PDF_STAMPS.sub(lambda m: b"".join(g for g in m.groups() if g), pdf)

    return masked(a) == masked(b)


def convert_to(source, options: dict | None = None) -> str:
    """The --convert-to argument: plain 'pdf', or the export filter with ``options``
    ({'UseTaggedPDF': True, ...}), in the JSON form LibreOffice 7.4 and later read."""
    if not options:
        return "pdf"
    import json

    typed = {k: {"type": "boolean", "value": "true" if v else "false"} if isinstance(v, bool)
             else {"type": "long", "value": str(v)} if isinstance(v, int)
             else {"type": "string", "value": str(v)} for k, v in options.items()}
    return f"pdf:{PDF_FILTERS[Path(source).suffix.lower()]}:{json.dumps(typed, sort_keys=True)}"


def to_pdf(source, pdf_path, seconds: int | None = None, options: dict | None = None) -> Path:
    """Convert a written workbook (or document) to PDF with LibreOffice, atomically.

    ``seconds``: how long LibreOffice may take (default: the Settings default); past
    it, LibreOffice and every process it started are ended and a ToolError says so.
    ``options``: the PDF export filter's options (tagging, PDF/UA ...).
    """
    import shutil
    import tempfile

    from gain_workbook.core.files import atomic_path

    if seconds is None:
        seconds = DEFAULT_SECONDS
    exe = find_soffice()
    if exe is None:
        raise ToolError(LIBREOFFICE_MISSING)
    pdf_path = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="gain-pdf-") as d:
        profile = Path(d, "profile").as_uri()
        src = Path(d, "response" + Path(source).suffix)
        shutil.copyfile(source, src)
        log = Path(d, "soffice.log")
        finished = run_group([exe, f"-env:UserInstallation={profile}", "--headless",
                              "--norestore", "--convert-to", convert_to(src, options), "--outdir", d,
                              str(src)],
                             log, seconds,
                             env={"HOME": d, "PATH": "/usr/bin:/bin"}
                             if Path("/usr/bin").exists() else None)
        if finished is None:
            raise ToolError(f"LibreOffice did not finish the PDF within {seconds:,} "
                            f"{'second' if seconds == 1 else 'seconds'} (the "
                            f"'{TIME_LIMIT_SETTING}' "
                            "setting), so it was stopped; nothing was written.")
        made = Path(d, "response.pdf")
        if finished != 0 or not made.exists():
            said = log.read_text(encoding="utf-8", errors="replace").strip()
            raise ToolError("LibreOffice could not make the PDF "
                            f"({' '.join(said.split())[:200] or 'no output'}).")
        with atomic_path(pdf_path) as tmp:
            shutil.copyfile(made, tmp)
    return pdf_path


def run_group(args: list, log: Path, seconds: float, env=None) -> int | None:
    """Run ``args`` in a process group of its own, its output to ``log``: its exit code,
    or None when it was still running after ``seconds``. Every process of the group
    has ended when this returns, or raises."""
    import subprocess

    if sys.platform == "win32":
        group = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    else:
        group = {"start_new_session": True}
    from gain_workbook.core.stop import held

    proc = None
    with open(log, "wb") as out:
        try:
            # a stop signal landing while the child starts would leave it running, its
            # pid not yet ours to end: held to the moment the start returns
            with held():
                proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out,
                                        stderr=subprocess.STDOUT, env=env, **group)
            return proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return None
        finally:
            if proc is not None:
                _end_group(proc)


def _end_group(proc) -> None:
    """End ``proc`` and every process in its group (those it started and did not move
    out of it), and reap ``proc``."""
    import contextlib
    import subprocess

    if sys.platform == "win32":
        # taskkill /T ends the tree the process started, children included
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=30)
        with contextlib.suppress(OSError):
            proc.kill()
    else:
        import os
        import signal

        # the group's id is the leader's pid: on a time-out the leader is not yet reaped,
        # and after a normal end the system hands the number to no new process while
        # the group it left running still holds it
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
