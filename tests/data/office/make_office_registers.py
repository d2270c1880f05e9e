"""Make the registers of tests/data/office/ that only LibreOffice can make.

    .venv/bin/python tests/data/office/make_office_registers.py

writes the small register of tests/conftest.py (openpyxl), then has LibreOffice Calc
(headless, driven through its UNO bridge by the system's python3, which needs the
Debian package python3-uno) open it and save:

* 'saved by libreoffice.xlsx': the register as Calc saves it, with a note (Calc's
  comment) on a cell of each table;
* 'pivot table.xlsx': the same, with a 'Pivot' sheet holding a pivot table (Calc's
  DataPilot) that counts the actions by owner, and its cache.

tests/office_registers.py hands them to the tests; the files are committed so that the
tests need neither python3-uno nor this script.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    if sys.argv[1:2] == ["--uno"]:
        return uno_main(Path(sys.argv[2]), Path(sys.argv[3]))
    sys.path.insert(0, str(HERE.parents[1]))
    from conftest import base_data, write_register

    with tempfile.TemporaryDirectory() as work:
        base = write_register(Path(work) / "base.xlsx", base_data())
        subprocess.run(["/usr/bin/python3", __file__, "--uno", str(base), str(HERE)],
                       check=True, timeout=300)
    return 0


def uno_main(base: Path, out: Path) -> int:
    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.sheet.DataPilotFieldOrientation import DATA, ROW
    from com.sun.star.sheet.GeneralFunction import COUNT
    from com.sun.star.table import CellAddress, CellRangeAddress

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    with tempfile.TemporaryDirectory() as profile:
        pipe = f"gain-office-{os.getpid()}"
        soffice = subprocess.Popen(
            ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
             f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", local)
            for _ in range(200):
                try:
                    ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                    break
                except Exception:
                    time.sleep(0.2)
            desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                                   ctx)

            def load():
                return desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(base)), "_blank",
                                                    0, (prop("Hidden", True),))

            def save(doc, name):
                doc.storeToURL(uno.systemPathToFileUrl(str(out / name)),
                               (prop("FilterName", "Calc MS Excel 2007 XML"),))
                doc.close(True)

            doc = load()
            for sheet in ("Inspections", "Items", "Actions"):
                at = CellAddress()
                at.Sheet = list(doc.Sheets.ElementNames).index(sheet)
                doc.Sheets.getByName(sheet).getAnnotations().insertNew(
                    at, f"Checked by the GAIN team ({sheet}).")
            save(doc, "saved by libreoffice.xlsx")

            doc = load()
            sheets = doc.Sheets
            sheets.insertNewByName("Pivot", sheets.Count)
            names = list(sheets.ElementNames)
            actions = sheets.getByName("Actions")
            used = actions.createCursor()
            used.gotoEndOfUsedArea(False)
            source = CellRangeAddress()
            source.Sheet = names.index("Actions")
            source.StartColumn, source.StartRow = 0, 0
            source.EndColumn, source.EndRow = used.RangeAddress.EndColumn, used.RangeAddress.EndRow
            tables = sheets.getByName("Pivot").getDataPilotTables()
            desc = tables.createDataPilotDescriptor()
            desc.setSourceRange(source)
            fields = desc.getDataPilotFields()
            fields.getByName("Owner").Orientation = ROW
            count = fields.getByName("Action ID")
            count.Orientation, count.Function = DATA, COUNT
            dest = CellAddress()
            dest.Sheet = names.index("Pivot")
            tables.insertNewByName("ActionsByOwner", dest, desc)
            save(doc, "pivot table.xlsx")
            try:
                desktop.terminate()
            except Exception:           # the bridge closes as soffice ends
                pass
            soffice.wait(timeout=60)
        finally:
            if soffice.poll() is None:
                soffice.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
