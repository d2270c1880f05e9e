"""A VBA project (the vbaProject.bin of an .xlsm), written from its specifications: an
OLE compound file ([MS-CFB], version 3) holding the streams of [MS-OVBA] (the PROJECT
stream, VBA/_VBA_PROJECT, VBA/dir, and one stream per module, their source compressed
as [MS-OVBA] 2.4.1 says).

No tool here writes one (LibreOffice 7.4 saves its Basic, not VBA, and xlsxwriter takes
a project extracted from a workbook Excel saved), so the test register's macros are
made here: a standard module with one macro, and the document modules Excel keeps for
the workbook and each sheet (their names the codeName attributes xlsxwriter writes).
_VBA_PROJECT's version 0xFFFF tells Office to compile the source again (no cache).
LibreOffice reads it into its Basic (tests/test_inplace.py checks it does).
"""

from __future__ import annotations

import struct

ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR, MINI = 512, 64
CODEPAGE = 1252
WORKBOOK_GUID = "{00020819-0000-0000-C000-000000000046}"
SHEET_GUID = "{00020820-0000-0000-C000-000000000046}"


def compress(data: bytes) -> bytes:
    """[MS-OVBA] 2.4.1 CompressedContainer, every token a literal (a valid, if plain,
    compression): chunks of up to 4096 bytes, each a flag byte of 0 per 8 literals."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), 4096):
        chunk = data[start:start + 4096]
        body = bytearray()
        for i in range(0, len(chunk), 8):
            body += b"\x00" + chunk[i:i + 8]
        size = len(body) + 2
        out += struct.pack("<H", 0x8000 | 0x3000 | (size - 3)) + body
    return bytes(out)


def _record(rid: int, data: bytes) -> bytes:
    return struct.pack("<HI", rid, len(data)) + data


def _text_record(rid: int, text: str, unicode_id: int | None) -> bytes:
    out = _record(rid, text.encode("cp1252"))
    if unicode_id is not None:
        out += _record(unicode_id, text.encode("utf-16-le"))
    return out


def dir_stream(modules: list[tuple[str, bool]]) -> bytes:
    """[MS-OVBA] 2.3.4.2: the project's information and its modules ((name, document?))."""
    out = bytearray()
    out += _record(0x0001, struct.pack("<I", 1))                    # SYSKIND: 32-bit Windows
    out += _record(0x0002, struct.pack("<I", 0x0809))               # LCID: English (UK)
    out += _record(0x0014, struct.pack("<I", 0x0809))               # LCIDINVOKE
    out += _record(0x0003, struct.pack("<H", CODEPAGE))             # CODEPAGE
    out += _record(0x0004, b"VBAProject")                           # NAME
    out += _text_record(0x0005, "", 0x0040)                         # DOCSTRING
    out += _text_record(0x0006, "", 0x003D)                         # HELPFILEPATH
    out += _record(0x0007, struct.pack("<I", 0))                    # HELPCONTEXT
    out += _record(0x0008, struct.pack("<I", 0))                    # LIBFLAGS
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)                    # VERSION 1.0
    out += _text_record(0x000C, "", 0x003C)                         # CONSTANTS
    out += _record(0x000F, struct.pack("<H", len(modules)))         # MODULES
    out += _record(0x0013, struct.pack("<H", 0xFFFF))               # PROJECTCOOKIE
    for name, document in modules:
        out += _record(0x0019, name.encode("cp1252"))               # MODULENAME
        out += _record(0x0047, name.encode("utf-16-le"))            # MODULENAMEUNICODE
        out += _text_record(0x001A, name, 0x0032)                   # MODULESTREAMNAME
        out += _text_record(0x001C, "", 0x0048)                     # MODULEDOCSTRING
        out += _record(0x0031, struct.pack("<I", 0))                # MODULEOFFSET: no cache
        out += _record(0x001E, struct.pack("<I", 0))                # MODULEHELPCONTEXT
        out += _record(0x002C, struct.pack("<H", 0xFFFF))           # MODULECOOKIE
        out += struct.pack("<HI", 0x0022 if document else 0x0021, 0)  # MODULETYPE
        out += struct.pack("<HI", 0x002B, 0)                        # module terminator
    out += struct.pack("<HI", 0x0010, 0)                            # dir terminator
    return compress(bytes(out))


def _document_source(name: str, guid: str) -> str:
    return (f'Attribute VB_Name = "{name}"\r\nAttribute VB_Base = "0{guid}"\r\n'
            "Attribute VB_GlobalNameSpace = False\r\nAttribute VB_Creatable = False\r\n"
            "Attribute VB_PredeclaredId = True\r\nAttribute VB_Exposed = True\r\n"
            "Attribute VB_TemplateDerived = False\r\nAttribute VB_Customizable = True\r\n")


def project(sheets: int, macro: str) -> bytes:
    """vbaProject.bin: ThisWorkbook, Sheet1 .. SheetN, and Module1 holding ``macro``."""
    docs = [("ThisWorkbook", WORKBOOK_GUID)] + [(f"Sheet{n}", SHEET_GUID)
                                                 for n in range(1, sheets + 1)]
    modules = [(name, True) for name, _ in docs] + [("Module1", False)]
    sources = {name: _document_source(name, guid) for name, guid in docs}
    sources["Module1"] = 'Attribute VB_Name = "Module1"\r\n' + macro.replace("\n", "\r\n")
    text = ('ID="{5C1E4D6A-2B43-4F0E-9D1A-6F5B0A2C7E11}"\r\n'
            + "".join(f"Document={name}/&H00000000\r\n" for name, _ in docs)
            + 'Module=Module1\r\nName="VBAProject"\r\nHelpContextID="0"\r\n'
            'VersionCompatible32="393222000"\r\n\r\n[Host Extender Info]\r\n'
            "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000\r\n\r\n"
            "[Workspace]\r\n" + "".join(f"{name}=0, 0, 0, 0, C\r\n" for name, _ in modules))
    vba = {"_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00", "dir": dir_stream(modules)}
    vba.update({name: compress(source.encode("cp1252")) for name, source in sources.items()})
    return compound_file({"PROJECT": text.encode("cp1252"), "VBA": vba})


# ---------------------------------------------------------------- [MS-CFB], version 3

def _key(name: str):
    """How siblings are ordered: shorter names first, then by their upper case."""
    return len(name), name.upper()


def compound_file(tree: dict) -> bytes:
    """An OLE compound file: {name: bytes (a stream) or dict (a storage)}. Every stream
    must be under 4096 bytes (they all live in the mini stream)."""
    entries = [{"name": "Root Entry", "type": 5, "children": tree}]

    def add(children: dict) -> list[int]:
        ids = []
        for name in sorted(children, key=_key):
            entries.append({"name": name, "type": 1 if isinstance(children[name], dict) else 2,
                            "data": children[name]})
            ids.append(len(entries) - 1)
        for i in ids:
            if entries[i]["type"] == 1:
                entries[i]["kids"] = add(entries[i]["data"])
        return ids

    entries[0]["kids"] = add(tree)
    mini = bytearray()
    mini_fat: list[int] = []
    for e in entries:
        if e["type"] == 2:
            data = e["data"]
            assert len(data) < 4096, e["name"]
            first = len(mini) // MINI
            n = max(1, -(-len(data) // MINI)) if data else 0
            e["start"], e["size"] = (first if data else ENDOFCHAIN), len(data)
            mini += data + b"\x00" * (n * MINI - len(data))
            mini_fat += [first + k + 1 for k in range(n - 1)] + ([ENDOFCHAIN] if n else [])
    directory = bytearray()
    for e in entries:
        kids = e.get("kids", [])
        e["child"] = _balanced(entries, kids) if kids else NOSTREAM
    # sectors: FAT, directory, mini FAT, mini stream
    n_dir = -(-len(entries) * 128 // SECTOR)
    n_minifat = -(-len(mini_fat) * 4 // SECTOR)
    n_mini = -(-len(mini) // SECTOR)
    n_fat = 1
    assert n_fat + n_dir + n_minifat + n_mini <= SECTOR // 4
    fat = [FATSECT]
    for count in (n_dir, n_minifat, n_mini):
        start = len(fat)
        fat += [start + k + 1 for k in range(count - 1)] + [ENDOFCHAIN]
    dir_start, minifat_start, mini_start = 1, 1 + n_dir, 1 + n_dir + n_minifat
    entries[0]["start"], entries[0]["size"] = mini_start, len(mini)
    for e in entries:
        name = e["name"].encode("utf-16-le") + b"\x00\x00"
        directory += struct.pack("<64sHBBIII16sIQQIQ", name, len(name), e["type"], 1,
                                 e.get("left", NOSTREAM), e.get("right", NOSTREAM),
                                 e["child"], b"\x00" * 16, 0, 0, 0,
                                 e.get("start", ENDOFCHAIN) if e["type"] != 1 else 0,
                                 e.get("size", 0))
    directory += b"\x00" * (n_dir * SECTOR - len(directory))
    for k in range(len(entries), n_dir * SECTOR // 128):      # unused entries
        at = k * 128
        directory[at:at + 128] = b"\x00" * 64 + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM,
                                                            NOSTREAM, NOSTREAM) + \
            b"\x00" * 48
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                         b"\x00" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\x00" * 6, 0, n_fat, dir_start,
                         0, 4096, minifat_start, n_minifat, ENDOFCHAIN, 0)
    header += struct.pack("<109I", 0, *([FREESECT] * 108))
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *(fat + [FREESECT] * (SECTOR // 4 - len(fat))))
    minifat = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    minifat += struct.pack("<I", FREESECT) * ((n_minifat * SECTOR - len(minifat)) // 4)
    return header + fat_sector + bytes(directory) + minifat + \
        bytes(mini) + b"\x00" * (n_mini * SECTOR - len(mini))


def _balanced(entries: list, ids: list[int]) -> int:
    """The root of a balanced search tree of siblings (already in order): its left and
    right set on each entry. Every node is black, which readers accept."""
    if not ids:
        return NOSTREAM
    mid = len(ids) // 2
    entries[ids[mid]]["left"] = _balanced(entries, ids[:mid])
    entries[ids[mid]]["right"] = _balanced(entries, ids[mid + 1:])
    return ids[mid]
