"""Hostile roster workbooks, written part by part (openpyxl would refuse or truncate them): a zip bomb, a
100,000-character name, 20,000 columns, 50 sheets, a million rows, lying zip headers, XML entities.

Used by tests/tambon/roster/test_workbook_limits.py and bench/hostile_workbooks.py. Each builder streams its
sheet into the zip, so building a 200 MB sheet costs little memory."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from tambon.roster.sheet import COLUMNS

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
HEADERS = [c.header for c in COLUMNS]


def _content_types(sheets: int) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, sheets + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>"
    )


def _workbook(sheets: int, doctype: str = "") -> str:
    entries = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, sheets + 1))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<workbook {NS} {RELNS}><sheets>{entries}</sheets></workbook>'
    )


def _workbook_rels(sheets: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, sheets + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
    )


ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def column_letters(number: int) -> str:
    """1 → A, 27 → AA; past Excel's XFD too (a hostile file is not bound by Excel's limits)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def row_xml(number: int, values: Iterable[object]) -> str:
    cells = []
    for index, value in enumerate(values):
        if value is None or value == "":
            continue
        ref = f"{column_letters(index + 1)}{number}"
        cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def sheet_rows(rows: Iterable[list[object]], *, dimension: str | None = None) -> Iterator[str]:
    """The sheet XML in pieces: a title row, the header row, then the rows (lists in COLUMNS order)."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    yield row_xml(1, ["แบบติดตามการจ้างงาน"])
    yield row_xml(2, HEADERS)
    for number, values in enumerate(rows, start=3):
        yield row_xml(number, values)
    yield "</sheetData></worksheet>"


def workbook(
    pieces: Iterable[str], *, sheets: int = 1, workbook_doctype: str = "", extra: dict[str, bytes] | None = None
) -> bytes:
    """An .xlsx whose first sheet is the streamed pieces; further sheets are empty."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _content_types(sheets))
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook(sheets, workbook_doctype))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(sheets))
        with archive.open("xl/worksheets/sheet1.xml", "w") as stream:
            pending: list[bytes] = []
            size = 0
            for piece in pieces:
                data = piece.encode()
                pending.append(data)
                size += len(data)
                if size > 1 << 20:
                    stream.write(b"".join(pending))
                    pending, size = [], 0
            stream.write(b"".join(pending))
        for i in range(2, sheets + 1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", "".join(sheet_rows([])))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def person(n: int, code: str = "190202", **changes) -> list[object]:
    from tambon.roster.demo import national_id

    values = {"national_id": national_id(n), "first_name": f"ชื่อ{n}", "last_name": f"สกุล{n}",
              "hiring_type": "ประชาชน", "tambon_code": code, "start_date": "01/01/2564", **changes}  # fmt: skip
    return [values.get(c.key, "") for c in COLUMNS]


# --- the hostile files ------------------------------------------------------------------------------------------


def zip_bomb(megabytes: int = 200) -> bytes:
    """A small file whose sheet unzips to `megabytes` MB of repeated cells (valid rows, one unknown column)."""
    filler = "ก" * 30_000  # Excel's own maximum is 32,767 characters per cell
    one = row_xml(3, [*person(1), filler])
    rows = max(1, megabytes * 1_000_000 // len(one.encode()))
    return workbook(sheet_rows(person(1 + n % 3) + [filler] for n in range(rows)))


def long_name(length: int = 100_000) -> bytes:
    return workbook(sheet_rows([person(1, first_name="ก" * length)]))


def many_columns(columns: int = 20_000, rows: int = 10) -> bytes:
    return workbook(sheet_rows([*person(n), *(["x"] * (columns - len(COLUMNS)))] for n in range(1, rows + 1)))


def many_sheets(sheets: int = 50) -> bytes:
    return workbook(sheet_rows([person(1)]), sheets=sheets)


def many_rows(rows: int = 1_000_000) -> bytes:
    """The same person on every row (cells without references, as the format allows): cheap to build, small."""
    cells = row_xml(0, person(1)).split(">", 1)[1].rsplit("</row>", 1)[0]
    cells = cells.replace(' r="', ' x="')  # the cells' own references dropped (x= is ignored by readers)
    head = list(sheet_rows([]))
    return workbook([*head[:-1], *(f'<row r="{n}">{cells}</row>' for n in range(3, rows + 3)), head[-1]])


def tiny_rows(rows: int = 1_000_000) -> bytes:
    """A million rows of one number each: small even unpacked, so only the streaming row count stops it."""
    head = list(sheet_rows([]))
    return workbook([*head[:-1], *(f'<row r="{n}"><c><v>1</v></c></row>' for n in range(3, rows + 3)), head[-1]])


def lying_dimension() -> bytes:
    """A sheet that declares a million rows in its <dimension>."""
    return workbook(sheet_rows([person(1)], dimension="A1:M1048576"))


def entity_expansion() -> bytes:
    """The billion laughs in workbook.xml."""
    lol = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    return workbook(sheet_rows([person(1)]), workbook_doctype=lol)


def lying_sizes(data: bytes, declared: int = 1000) -> bytes:
    """The same workbook with the sheet's uncompressed size in the central directory (what readers trust)
    rewritten to `declared` bytes."""
    out = bytearray(data)
    name = b"xl/worksheets/sheet1.xml"
    position = 0
    while (position := out.find(b"PK\x01\x02", position)) >= 0:
        if out[position + 46 : position + 46 + len(name)] == name:
            struct.pack_into("<I", out, position + 24, declared)
            return bytes(out)
        position += 4
    raise ValueError("no sheet entry")
