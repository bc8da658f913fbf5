"""The streaming .xlsx reader gives the values openpyxl's read-only mode gives, and refuses damaged files."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from tambon.roster import xlsx


@pytest.fixture(params=["scanned", "element tree"])
def path(request, monkeypatch):
    """Run the test on both paths: the regular-expression scan of plain XML and the element tree."""
    monkeypatch.setattr(xlsx, "SCAN", request.param == "scanned")
    return request.param


MIXED = [
    ["title"],
    [],
    ["text", 42, 1.5, True, False, None, "  spaced  ", "ไทย ๑๒๓"],
    [dt.datetime(2564, 1, 15), dt.datetime(2021, 1, 15, 12, 30), dt.date(2020, 2, 29), 1e20, -3],
    ['=CONCAT("a","b")', "=A3", 1234567890123, "0812345678"],
    ["a & b < c > d \"q\" 'x'", "tab\there", "line\nbreak", "   "],
]


def workbook_bytes(rows, *, write_only=False, epoch_1904=False) -> bytes:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("s") if write_only else wb.active
    if epoch_1904:
        wb.epoch = dt.datetime(1904, 1, 1)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def openpyxl_rows(data: bytes) -> list[tuple[int, dict]]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    rows = []
    for number, values in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
        cells = {i: v for i, v in enumerate(values) if v is not None}
        if cells:
            rows.append((number, cells))
    return rows


@pytest.mark.parametrize("write_only", [False, True], ids=["workbook", "write-only workbook"])
@pytest.mark.parametrize("epoch_1904", [False, True], ids=["1900 dates", "1904 dates"])
def test_reader_gives_the_values_openpyxl_gives(write_only, epoch_1904, path):
    data = workbook_bytes(MIXED, write_only=write_only, epoch_1904=epoch_1904)
    assert list(xlsx.read_rows(io.BytesIO(data))) == openpyxl_rows(data)


def test_dates_come_back_as_dates_and_numbers_as_numbers(path):
    rows = dict(xlsx.read_rows(io.BytesIO(workbook_bytes(MIXED))))
    assert rows[4][0] == dt.datetime(2564, 1, 15) and rows[4][2] == dt.datetime(2020, 2, 29)
    assert rows[5] == {0: '=CONCAT("a","b")', 1: "=A3", 2: 1234567890123, 3: "0812345678"}
    assert rows[3][1] == 42 and rows[3][3] is True and rows[3][6] == "  spaced  "


SHARED = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    "xl/workbook.xml": '<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr date1904="1"/>'
    '<x:sheets><x:sheet name="a" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>',
    "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId7" Target="/xl/worksheets/other.xml" Type="x"/></Relationships>',
    "xl/sharedStrings.xml": '<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<x:si><x:t>ชื่อ</x:t></x:si><x:si><x:r><x:t>สม</x:t></x:r><x:r><x:rPr/><x:t>ชาย</x:t></x:r>"
    "<x:rPh><x:t>hint</x:t></x:rPh></x:si><x:si><x:t/></x:si></x:sst>",
    "xl/styles.xml": '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts><numFmt numFmtId="170" formatCode="dd/mm/yyyy"/></numFmts>'
    '<cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs><xf numFmtId="0"/><xf numFmtId="170"/>'
    '<xf numFmtId="14"/></cellXfs></styleSheet>',
    "xl/worksheets/other.xml": '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<x:sheetData><x:row r="3"><x:c r="B3" t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c>'
    '<x:c t="s"><x:v>2</x:v></x:c></x:row><x:row r="5"/><x:row><x:c r="A6" s="1"><x:v>1</x:v></x:c>'
    '<x:c r="B6" s="2"><x:v>43845</x:v></x:c><x:c r="C6" t="b"><x:v>1</x:v></x:c><x:c r="D6" t="e"><x:v>#N/A</x:v>'
    '</x:c><x:c r="AA6"><x:f t="shared" si="0"/><x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>',
}


def test_shared_strings_prefixes_1904_dates_and_cells_without_references(path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in SHARED.items():
            archive.writestr(name, text)
    rows = list(xlsx.read_rows(io.BytesIO(buffer.getvalue())))
    assert rows == [
        (3, {1: "ชื่อ", 2: "สมชาย", 3: ""}),
        (6, {0: dt.datetime(1904, 1, 2), 1: dt.datetime(2024, 1, 16), 2: True, 3: "#N/A", 26: "="}),
    ]


def test_rich_text_runs_are_joined(path):
    wb = Workbook()
    wb.active["B2"] = CellRichText("สม", TextBlock(InlineFont(b=True), "ชาย"))
    buffer = io.BytesIO()
    wb.save(buffer)
    assert list(xlsx.read_rows(io.BytesIO(buffer.getvalue()))) == [(2, {1: "สมชาย"})]


def test_many_rows_across_blocks_keep_their_numbers(monkeypatch, path):
    monkeypatch.setattr(xlsx, "BLOCK", 512)  # many small blocks: rows are cut at block edges
    rows = [[f"r{n}", n] for n in range(1, 400)]
    assert list(xlsx.read_rows(io.BytesIO(workbook_bytes(rows)))) == [(n, {0: f"r{n}", 1: n}) for n in range(1, 400)]


def rewrite(data: bytes, part: str, change) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, change(content) if info.filename == part else content)
    return out.getvalue()


def test_an_entity_in_the_sheet_is_refused_as_damaged(path):
    data = workbook_bytes([["a"]])
    bomb = rewrite(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY e "boom">]><worksheet', 1).replace(
            b"<t>a", b"<t>&e;a", 1
        ),
    )
    with pytest.raises(xlsx.BadWorkbook):
        list(xlsx.read_rows(io.BytesIO(bomb)))


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
def test_a_missing_part_is_a_damaged_workbook(part, path):
    data = workbook_bytes([["a"]])
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info))
    with pytest.raises(xlsx.BadWorkbook):
        list(xlsx.read_rows(io.BytesIO(out.getvalue())))


def test_plain_sheets_take_the_scan_and_unusual_ones_the_element_tree(monkeypatch):
    calls = []
    original = xlsx._tree_rows
    monkeypatch.setattr(xlsx, "_tree_rows", lambda block: calls.append(1) or original(block))
    plain = workbook_bytes([["a", 1]], write_only=True)
    assert list(xlsx.read_rows(io.BytesIO(plain))) == [(1, {0: "a", 1: 1})] and calls == []
    unusual = rewrite(
        plain, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<t>a</t>", b"<t>&#65;<!-- c --></t>")
    )
    assert list(xlsx.read_rows(io.BytesIO(unusual))) == [(1, {0: "A", 1: 1})] and calls == [1]
