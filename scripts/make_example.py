#!/usr/bin/env python3
"""Write the bundled example register, examples/Example register.xlsx.

It is the worked example that `gain-pack init` writes (the inspection in the
reference PCC response) plus five generated inspections, so that the board pack
built from it in the README's quickstart has something to show on every sheet.
Deterministic: run it again and the file is byte-identical.

    python scripts/make_example.py [OUT.xlsx]
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "examples" / "Example register.xlsx"
AS_OF = dt.date(2026, 11, 28)


def example_data() -> dict:
    """The worked example plus five generated inspections."""
    from gain_workbook.register.template import load_example

    spec = importlib.util.spec_from_file_location("make_register", ROOT / "scripts" / "make_register.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    data = load_example()
    extra = gen.generate(60, seed=2026, as_of=AS_OF)
    keep = {i["Inspection ID"] for i in extra["inspections"][:5]}
    data["inspections"] += [i for i in extra["inspections"] if i["Inspection ID"] in keep]
    items = [i for i in extra["items"] if i["Inspection ID"] in keep]
    data["items"] += items
    ids = {i["Item ID"] for i in items}
    data["actions"] += [a for a in extra["actions"] if a["Item ID"] in ids]
    # everyone who owns an action gets a row on Owners; one is left without an address,
    # so the requests show how an owner without one is listed
    named = {o["Name"] for o in data["owners"]}
    for owner in sorted({a["Owner"] for a in data["actions"]} - named):
        row = {"Name": owner, "Copy when overdue": "ACC Crime and Vulnerability"}
        if owner != "Head of Contact Management":
            row["Email"] = ".".join(owner.lower().split()) + "@cleveland.police.example"
        data["owners"].append(row)
    return data


def main(argv=None) -> int:
    sys.path.insert(0, str(ROOT))
    from gain_workbook.register.template import write_register_template

    out = Path((argv or sys.argv[1:] or [OUT])[0])
    write_register_template(out, force=True, data=example_data(), created=AS_OF)
    print(f"Wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
