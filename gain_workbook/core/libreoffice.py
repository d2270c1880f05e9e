"""LibreOffice, found where it is installed and run headless to turn a file into PDF."""

from __future__ import annotations

from pathlib import Path

from gain_workbook.core.errors import ToolError

LIBREOFFICE_MISSING = (
    "A PDF needs LibreOffice, which is not installed: on Windows install it from "
    "libreoffice.org (then run again), on Debian or Ubuntu run "
    "'apt-get install libreoffice-calc-nogui'; or print the sheet to PDF from Excel.")


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


def to_pdf(source, pdf_path) -> Path:
    """Convert a written workbook (or document) to PDF with LibreOffice, atomically."""
    import shutil
    import subprocess
    import tempfile

    from gain_workbook.core.files import atomic_path

    exe = find_soffice()
    if exe is None:
        raise ToolError(LIBREOFFICE_MISSING)
    pdf_path = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="gain-pdf-") as d:
        profile = Path(d, "profile").as_uri()
        src = Path(d, "response" + Path(source).suffix)
        shutil.copyfile(source, src)
        proc = subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless",
                               "--norestore", "--convert-to", "pdf", "--outdir", d, str(src)],
                              capture_output=True, text=True, timeout=180,
                              env={"HOME": d, "PATH": "/usr/bin:/bin"} if Path("/usr/bin").exists()
                              else None)
        made = Path(d, "response.pdf")
        if proc.returncode != 0 or not made.exists():
            raise ToolError("LibreOffice could not make the PDF "
                            f"({proc.stderr.strip()[:200] or 'no output'}).")
        with atomic_path(pdf_path) as tmp:
            shutil.copyfile(made, tmp)
    return pdf_path
