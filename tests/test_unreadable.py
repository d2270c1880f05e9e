"""Files we cannot read: one plain sentence, exit code 2, no traceback, input untouched."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from conftest import base_data, sha256, write_register
from gain_workbook.cli import cli

ENTITY_BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
               + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                          for i in range(1, 10))
               + b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                 b'count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')


def _copy_zip(src, dst, replace: dict) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))


def make_not_a_zip(d):
    p = d / "register.xlsx"
    p.write_bytes(bytes(range(256)) * 10)
    return p


def make_text_named_xlsx(d):
    p = d / "register.xlsx"
    p.write_text("Inspection,Item,Action\nPEEL,1,Do it\n")
    return p


def make_csv(d):
    p = d / "register.csv"
    p.write_text("Inspection,Item,Action\nPEEL,1,Do it\n")
    return p


def make_xls(d):
    p = d / "register.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "Workbook".encode("utf-16-le"))
    return p


def make_xls_renamed_xlsx(d):
    p = d / "register.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "Workbook".encode("utf-16-le"))
    return p


def make_password_protected(d):
    import msoffcrypto.format.ooxml as ooxml

    plain = write_register(d / "plain.xlsx", base_data())
    p = d / "register.xlsx"
    with open(plain, "rb") as fin, open(p, "wb") as fout:
        ooxml.OOXMLFile(fin).encrypt("s3cret", fout)
    return p


def make_truncated(d):
    full = write_register(d / "full.xlsx", base_data())
    p = d / "register.xlsx"
    p.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    return p


def make_lock_file(d):
    write_register(d / "register.xlsx", base_data())
    p = d / "~$register.xlsx"
    p.write_bytes(b"\x0bSome User" + b"\x20" * 40)
    return p


def make_zip_bomb(d):
    p = d / "register.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(64):
                fh.write(chunk)
    return p


def make_entity_expansion(d):
    """A real register whose first sheet declares a billion-laughs entity and uses it."""
    src = write_register(d / "plain.xlsx", base_data())
    p = d / "register.xlsx"
    with zipfile.ZipFile(src) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    dtd = ENTITY_BOMB[ENTITY_BOMB.index(b"<!DOCTYPE"):ENTITY_BOMB.index(b"]>") + 2]
    body = sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?xml") else sheet
    body = body.replace(b"Inspection ID", b"&lol9;", 1)
    _copy_zip(src, p, {"xl/worksheets/sheet1.xml": b'<?xml version="1.0"?>\n' + dtd + body})
    return p


def make_word_document(d):
    p = d / "register.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return p


def make_no_register_sheet(d):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(["Cost centre", "Amount", "Quarter"])
    ws.append(["CC1", 100, "Q1"])
    p = d / "register.xlsx"
    wb.save(p)
    return p


def make_missing_required_columns(d):
    p = d / "register.xlsx"
    write_register(p, base_data(), headers={"Due": None, "Status": None})
    return p


def make_no_inspections_sheet(d):
    p = write_register(d / "register.xlsx", base_data())
    wb = openpyxl.load_workbook(p)
    del wb["Inspections"]
    wb.save(p)
    return p


def make_empty_workbook(d):
    p = d / "register.xlsx"
    openpyxl.Workbook().save(p)
    return p


def make_zero_bytes(d):
    p = d / "register.xlsx"
    p.write_bytes(b"")
    return p


def make_folder(d):
    p = d / "register.xlsx"
    p.mkdir()
    return p


def make_missing(d):
    return d / "no such register.xlsx"


CASES = {
    "not_a_zip": (make_not_a_zip, "it is not an Excel workbook (perhaps damaged, or another "
                                  "kind of file renamed .xlsx)."),
    "text_file_named_xlsx": (make_text_named_xlsx, "it is a text file, not an .xlsx workbook."),
    "csv_file": (make_csv, "it is a .csv text file; open it in Excel and save it as"),
    "old_xls_workbook": (make_xls, "old-style Excel 97-2003 (.xls) workbook"),
    "xls_renamed_to_xlsx": (make_xls_renamed_xlsx, "old-style Excel 97-2003 (.xls) workbook"),
    "password_protected": (make_password_protected, "it is password-protected"),
    "truncated_download": (make_truncated, "damaged or incomplete"),
    "excel_lock_file": (make_lock_file, "it is an Excel lock file"),
    "zip_bomb": (make_zip_bomb, "it may be a zip bomb"),
    "xml_entity_expansion": (make_entity_expansion, "declares XML entities"),
    "word_document": (make_word_document, "it is a Word document"),
    "no_sheet_like_a_register": (make_no_register_sheet,
                                 "no sheet looks like a register of inspections, items and actions "
                                 "(found: 'Budget' (no register table: its headers are Cost "
                                 "centre, Amount, Quarter))"),
    "missing_required_columns": (make_missing_required_columns,
                                 "the Actions sheet has no column for Due (the date the action "
                                 "was agreed to be done by); headers not placed: none; add a row "
                                 "to the Settings sheet: Alias: Due = <your header>; the Actions "
                                 "sheet has no column for Status"),
    "no_inspections_sheet": (make_no_inspections_sheet, "has Items and Actions but no sheet of "
                                                        "Inspections"),
    "empty_workbook": (make_empty_workbook, "the workbook is empty"),
    "zero_bytes": (make_zero_bytes, "the file is empty (0 bytes)"),
    "folder": (make_folder, "it is a folder"),
    "missing_file": (make_missing, "There is no file"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_unreadable_is_one_sentence_and_exit_2(tmp_path, runner, name):
    make, expected = CASES[name]
    path = make(tmp_path)
    before = sha256(path) if path.is_file() else None
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2, (result.output, result.stderr)
    assert expected in result.stderr
    assert result.stderr.startswith("gain-pack: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr + result.output
    assert result.stdout == ""
    if before:
        assert sha256(path) == before


@pytest.mark.parametrize("where", ["group", "command"])
def test_debug_shows_the_traceback(tmp_path, runner, where):
    path = make_not_a_zip(tmp_path)
    args = ["--debug", "validate", str(path)] if where == "group" else \
        ["validate", str(path), "--debug"]
    result = runner.invoke(cli, args)
    assert result.exit_code != 0
    assert result.exception is not None and "not an Excel workbook" in str(result.exception)
    assert not isinstance(result.exception, SystemExit)


def test_openpyxl_uses_defusedxml_and_refuses_entities(tmp_path):
    """Belt and braces: even past our sniff, openpyxl (with defusedxml) refuses the bomb."""
    import defusedxml

    assert openpyxl.DEFUSEDXML is True
    path = make_entity_expansion(tmp_path)
    with pytest.raises(ValueError) as info, path.open("rb") as handle:
        openpyxl.load_workbook(handle)      # openpyxl wraps the refusal
    cause = info.value.__cause__ or info.value.__context__
    assert isinstance(cause, defusedxml.EntitiesForbidden)


@pytest.mark.parametrize("command", ["validate", "describe", "adopt"])
def test_register_open_in_excel_is_read_with_a_note(tmp_path, runner, command):
    path = write_register(tmp_path / "register.xlsx", base_data())
    (tmp_path / "~$register.xlsx").write_bytes(b"\x0bSome User" + b" " * 40)
    extra = ["-o", str(tmp_path / "new.xlsx")] if command == "adopt" else []
    result = runner.invoke(cli, [command, str(path), *extra])
    assert result.exit_code == 0, result.output
    assert "is open in Excel; reading the version last saved" in result.stderr


def test_bad_option_is_exit_2(runner, base_register):
    result = runner.invoke(cli, ["validate", str(base_register), "--format", "xml"])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def test_unreadable_file_is_never_modified_or_copied(tmp_path, runner):
    path = make_truncated(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    out = tmp_path / "annotated.xlsx"
    result = runner.invoke(cli, ["validate", str(path), "--annotate", str(out)])
    assert result.exit_code == 2
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before



@pytest.mark.parametrize("name", ["truncated_download", "password_protected", "not_a_zip", "csv_file",
                                  "zip_bomb", "missing_file", "folder"])
@pytest.mark.parametrize("command", ["describe", "adopt"])
def test_describe_and_adopt_refuse_bad_files_in_one_sentence(tmp_path, runner, name, command):
    make, expected = CASES[name]
    path = make(tmp_path)
    before = sha256(path) if path.is_file() else None
    args = [command, str(path)] + (["-o", str(tmp_path / "new.xlsx")] if command == "adopt"
                                   else [])
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, (result.output, result.stderr)
    assert expected in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr + result.output
    assert not (tmp_path / "new.xlsx").exists()
    if before:
        assert sha256(path) == before


def test_describe_shows_what_it_could_not_place_and_exits_1(tmp_path, runner):
    path = make_missing_required_columns(tmp_path)
    r = runner.invoke(cli, ["describe", str(path)])
    assert r.exit_code == 1 and r.stderr == ""
    assert "Sheet 'Actions': actions" in r.stdout
    assert "Cannot read it: the Actions sheet has no column for Due" in r.stdout


def test_every_sheet_missing_a_column_is_named_in_one_message(tmp_path, runner):
    p = tmp_path / "register.xlsx"
    write_register(p, base_data(), headers={"Title": None, "Due": None, "Text": None})
    r = runner.invoke(cli, ["validate", str(p)])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.stderr
    for sheet, column in (("Inspections", "Title"), ("Items", "Text"), ("Actions", "Due")):
        assert f"the {sheet} sheet has no column for {column} " in r.stderr, r.stderr


def test_adopt_will_not_write_over_the_register(tmp_path, runner):
    p = write_register(tmp_path / "register.xlsx", base_data())
    before = sha256(p)
    r = runner.invoke(cli, ["adopt", str(p), "-o", str(p), "--force"])
    assert r.exit_code == 2 and "register" in r.stderr, r.stderr
    assert sha256(p) == before


@pytest.mark.parametrize("spelling, shown", [
    (".", "'.'"), ("./", "'.'"), ("reports/..", "'..'"), ("reports", "'reports'"),
    ("/", "'/'"),
])
def test_a_folder_is_named_as_given_never_as_nothing(tmp_path, runner, monkeypatch,
                                                     spelling, shown):
    """Found by a new user: 'validate .' said "Cannot read '': it is a folder"; a path
    with no file name of its own ('.', '/') is named as it was given. add-report's
    reader (given a folder through the api) names it the same way."""
    from gain_workbook.core.errors import InputError
    from gain_workbook.newreport.source import read_source

    (tmp_path / "reports").mkdir()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["validate", spelling])
    assert result.exit_code == 2, (result.output, result.stderr)
    assert "''" not in result.stderr and shown in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    with pytest.raises(InputError) as info:
        read_source(spelling)
    assert str(info.value).startswith(shown), str(info.value)
