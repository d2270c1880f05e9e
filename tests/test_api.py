"""gain_workbook.api: every command from Python, the same files as the command writes."""

from __future__ import annotations

import datetime as dt
import email
import subprocess
import sys

import openpyxl
import pytest

from conftest import PASSWORD, ROOT, sha256
from gain_workbook import api
from gain_workbook.cli import cli
from gain_workbook.core.errors import InvalidRegisterError, RegisterError

AS_OF = dt.date(2026, 11, 28)


def test_init_adopt_describe_validate(tmp_path, example_register):
    blank = api.init(tmp_path / "blank register.xlsx")
    assert blank.path.is_file() and "Force name is blank" in blank.notes[0]
    assert api.init(tmp_path / "named.xlsx", force_name="Cleveland Police").notes == []

    adopted = api.adopt(example_register, tmp_path / "adopted.xlsx")
    assert adopted.path.is_file() and adopted.report.valid
    assert adopted.register.counts["items"] == 10      # 9 recommendations and 1 AFI

    described = api.describe(example_register)
    assert described.readable and "Inspections" in described.plan.to_text()
    assert described.layout.startswith("read as")

    checked = api.validate(example_register, annotate=tmp_path / "checked.xlsx")
    assert checked.report.valid and checked.annotated == tmp_path / "checked.xlsx"
    assert checked.annotated.is_file()


def test_a_register_with_errors_raises_with_the_report(tmp_path, example_register):
    wb = openpyxl.load_workbook(example_register)
    wb["Actions"]["G2"] = "Parked"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    assert not api.validate(bad).report.valid          # validate reports, never raises
    with pytest.raises(InvalidRegisterError) as caught:
        api.rollup(bad, as_of=AS_OF)
    assert caught.value.exit_code == 1 and caught.value.register is not None
    assert any(p.value == "Parked" for p in caught.value.report.errors)
    built = api.build(bad, output=tmp_path / "pack.xlsx", as_of=AS_OF, allow_errors=True)
    assert "Data quality" in openpyxl.load_workbook(built.path).sheetnames
    with pytest.raises(RegisterError):
        api.validate(tmp_path / "not there.xlsx")


def test_rollup_gives_the_table_the_command_prints(example_register):
    res = api.rollup(example_register, by="inspection", as_of=AS_OF)
    assert res.headers[0] == "Inspection ID" and len(res.rows) == 1
    assert res.rollup.as_of == AS_OF


@pytest.mark.slow
def test_build_writes_the_bytes_the_command_writes(runner, tmp_path, example_register):
    last = api.build(example_register, output=tmp_path / "last.xlsx",
                     as_of=dt.date(2026, 10, 28))
    res = api.build(example_register, output=tmp_path / "api.xlsx", as_of=AS_OF,
                    meeting=dt.date(2026, 12, 3), previous=last.path)
    r = runner.invoke(cli, ["build", str(example_register), "-o", str(tmp_path / "cli.xlsx"),
                            "--as-of", "2026-11-28", "--meeting", "2026-12-03",
                            "--previous", str(last.path)])
    assert r.exit_code == 0, r.stderr
    assert sha256(res.path) == sha256(tmp_path / "cli.xlsx")
    assert res.summary() in r.stdout and "(as at 28/11/2026)" in res.summary()
    assert "Movement" in openpyxl.load_workbook(res.path).sheetnames


def test_build_reports_progress_when_asked(tmp_path, example_register):
    seen = []

    def progress(total):
        seen.append(total)
        return lambda n: seen.append(n)

    api.build(example_register, output=tmp_path / "p.xlsx", as_of=AS_OF, progress=progress)
    total, *steps = seen
    assert total > 0 and sum(steps) == total


def test_response_and_its_documents(tmp_path, example_register):
    res = api.response(example_register, all_=True, output=tmp_path / "r.xlsx", docx=True,
                       as_of=AS_OF)
    assert [p.suffix for p in res.written] == [".xlsx", ".docx"] and res.inspections == 1
    assert all(p.is_file() for p in res.written)
    working = api.response(example_register, inspection_id="INS-2023-07", working=True,
                           output=tmp_path / "w.xlsx", as_of=AS_OF)
    assert working.working and working.written == [tmp_path / "w.xlsx"]


def test_email_dry_run_and_draft(tmp_path, example_register):
    pack = api.build(example_register, output=tmp_path / "pack.xlsx", as_of=AS_OF).path
    dry = api.email(pack, register=example_register, to=["dcc@example.police.uk"],
                    dry_run=True)
    assert dry.dry_run and dry.outcome == "" and not (tmp_path / "pack.eml").exists()
    assert dry.message["To"] == "dcc@example.police.uk" and dry.draft
    res = api.email(pack, register=example_register, to=["dcc@example.police.uk"])
    assert (tmp_path / "pack.eml").is_file() and "Wrote the draft" in res.outcome
    msg = email.message_from_bytes((tmp_path / "pack.eml").read_bytes())
    assert msg["X-Unsent"] == "1"


def test_email_asks_for_a_password_only_when_it_logs_in(tmp_path, example_register,
                                                        smtp_server):
    pack = api.build(example_register, output=tmp_path / "pack.xlsx", as_of=AS_OF).path
    port, inbox = smtp_server()
    asked = []
    send = dict(to=["dcc@example.police.uk"], send=True, smtp_host="127.0.0.1",
                smtp_security="none", sender="gain@example.police.uk",
                smtp_password=lambda what: asked.append(what) or PASSWORD)
    res = api.email(pack, register=example_register, smtp_port=port, **send)
    assert asked == [] and "dcc@example.police.uk" in res.outcome and not res.draft
    assert len(inbox.messages) == 1
    port, inbox = smtp_server(auth=True)
    api.email(pack, register=example_register, smtp_port=port, smtp_user="clerk", **send)
    assert asked == ["The password for clerk on 127.0.0.1"] and len(inbox.messages) == 1


def test_monthly_returns_its_steps_and_the_error_that_stopped_it(tmp_path, example_register):
    import shutil

    reg = tmp_path / "Inspection register.xlsx"
    shutil.copyfile(example_register, reg)
    res = api.monthly(reg, as_of=AS_OF, to=["dcc@example.police.uk"])
    assert res.error is None and [s for s, _ in res.steps] == \
        ["validate", "build", "responses", "email"]
    assert res.pack == tmp_path / "GAIN board pack 2026-11.xlsx" and res.pack.is_file()
    assert "Wrote the draft" in res.email.outcome
    assert res.log.read_text().count("\n") == 1 and " OK | " in res.log.read_text()

    wb = openpyxl.load_workbook(reg)
    wb["Actions"]["G2"] = "Parked"
    wb.save(reg)
    res = api.monthly(reg, as_of=AS_OF, no_email=True)
    assert isinstance(res.error, InvalidRegisterError) and res.steps[0][0] == "validate"
    assert res.log.read_text().count("FAILED") == 1


def test_the_package_exposes_the_api_without_importing_pandas():
    code = ("import sys, gain_workbook; assert 'pandas' not in sys.modules; "
            "api = gain_workbook.api; assert callable(api.build); "
            "assert 'pandas' not in sys.modules; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT)
    assert out.stdout.strip() == "ok", out.stderr


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["email", "--help"],
                                  ["monthly", "--help"]])
def test_help_does_not_import_pandas_or_the_api(args):
    code = ("import sys; sys.argv = ['gain-pack', *sys.argv[1:]]\n"
            "from gain_workbook.cli import cli\n"
            "try:\n    cli(prog_name='gain-pack')\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('pandas', 'pandera', 'gain_workbook.api', 'openpyxl') "
            "if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         cwd=ROOT)
    assert "HEAVY []" in out.stdout, out.stdout[-300:] + out.stderr
