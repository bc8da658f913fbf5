"""A streaming reader of the first worksheet of an .xlsx file: (row number, {column index: value}) per row.

The sheet and shared-string XML are read in blocks of about a megabyte of whole <row> (or <si>) elements, dropped
once read, so memory stays flat and there is no cell object per value (openpyxl's read-only mode spends most of
an import building them) nor a Python-level parser event per element: a plain sheet block is checked by expat
and scanned with one regular expression, anything else is parsed by xml.etree's C parser (see SCAN below). It yields the values openpyxl gives with
`read_only=True, data_only=False`:
- shared strings (read once), inline strings (rich text runs joined), `t="str"` text;
- numbers as int or float; cells with a date style (styles.xml numFmts/cellXfs) as datetimes, using the
  workbook's date system (1900 or 1904);
- booleans; errors as their text (#N/A); ISO dates (`t="d"`);
- formulas as "=" + the formula text (also shared and array formulas), so the import can refuse them.
Empty cells are left out of the dict. A damaged file raises `BadWorkbook`; the caller turns it into a message.

Uploaded files are untrusted, so a hostile file must cost little (`Limits`, raised as `TooLarge` before or while
parsing): the zip's central directory is checked first (number of parts, their declared uncompressed sizes), and
the bytes actually inflated are counted against the declared sizes and the limit, since headers can lie; the
number of sheets is checked in workbook.xml, the sheet's <dimension> before its rows, and then every row and
column while streaming, stopping at the first one past a limit; the shared strings are counted, and no row (or
shared string) may be larger than `Limits.row_bytes`. The small parts (workbook, relationships, styles) go through defusedxml, and
the row blocks are parsed as fragments wrapped in the part's own root tag, where no DTD (so no entity) can
be declared: a DOCTYPE or an entity reference there is a parse error, i.e. a damaged file.
"""

from __future__ import annotations

import functools
import html
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.etree.ElementTree import ParseError, fromstring
from xml.parsers.expat import ExpatError, ParserCreate

from defusedxml.ElementTree import iterparse
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
ROW, CELL, VALUE, FORMULA, INLINE = (f"{MAIN}{t}" for t in ("row", "c", "v", "f", "is"))
TEXT, RUN = f"{MAIN}t", f"{MAIN}r"
DIGITS = "0123456789"
BLOCK = 1 << 20
START_TAG = re.compile(rb"<[A-Za-z_][^>]*>")  # the first element's start tag (not <?xml …?> or <!-- … -->)

Row = tuple[int, dict[int, Any]]
MB = 1 << 20
DIMENSION = re.compile(rb'<(?:[\w.\-]+:)?dimension\s[^>]*ref="[A-Z]*\d*:?([A-Z]+)(\d+)"')


@dataclass(frozen=True)
class Limits:
    """What a roster workbook may hold. A national sheet of 60,000 people (3,000 tambons × 20) written by the
    template is 3 MB, one sheet of 42 MB unpacked, 13 columns; Excel's own files add a few small parts."""

    uncompressed: int = 100 * MB  # all parts together, unpacked
    parts: int = 100  # files inside the zip
    sheets: int = 20
    rows: int = 80_000  # row elements in the sheet, blank ones included
    columns: int = 100
    shared_strings: int = 500_000
    row_bytes: int = 4 * MB  # one row (or one shared string) of XML


class BadWorkbook(Exception):
    """The file is not a readable .xlsx workbook (not a zip, a part missing, broken XML)."""


class TooLarge(BadWorkbook):
    """The workbook is past one of its Limits: `what` is the Limits field, `limit` its value, `found` what was
    seen (when known: the reader stops at the first thing past the limit)."""

    def __init__(self, what: str, limit: int, found: int | None = None) -> None:
        super().__init__(f"{what}: {found} > {limit}")
        self.what, self.limit, self.found = what, limit, found


class _Budget:
    """Bytes inflated so far from all parts; more than the limit, or a part yielding more than it declared,
    stops the read."""

    def __init__(self, limit: int) -> None:
        self.limit, self.used = limit, 0

    def open(self, archive: zipfile.ZipFile, name: str) -> IO[bytes]:
        return _Counted(archive.open(name), archive.getinfo(name).file_size, self)


class _Counted(io.RawIOBase):
    def __init__(self, stream: IO[bytes], declared: int, budget: _Budget) -> None:
        self.stream, self.declared, self.budget, self.read_bytes = stream, declared, budget, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.read_bytes += len(data)
        self.budget.used += len(data)
        if self.read_bytes > self.declared:
            raise BadWorkbook("a part holds more than its header declares")
        if self.budget.used > self.budget.limit:
            raise TooLarge("uncompressed", self.budget.limit, self.budget.used)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.stream.close()
        super().close()


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    """The central directory, before anything is inflated: how many parts, and how large they say they are."""
    parts = archive.infolist()
    if len(parts) > limits.parts:
        raise TooLarge("parts", limits.parts, len(parts))
    total = sum(part.file_size for part in parts)
    if total > limits.uncompressed:
        raise TooLarge("uncompressed", limits.uncompressed, total)


def read_rows(file: IO[bytes] | str, limits: Limits | None = None) -> Iterator[Row]:
    """Yield (row number as Excel shows it, {0-based column: value}) for every row with at least one cell."""
    limits = limits or Limits()
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadWorkbook(str(exc)) from None
    with archive:
        try:
            check_archive(archive, limits)
            budget = _Budget(limits.uncompressed)
            sheet_path, epoch = _first_sheet(archive, budget, limits)
            strings = _shared_strings(archive, budget, limits)
            dates, durations = _date_styles(archive, budget)
            with budget.open(archive, sheet_path) as stream:
                yield from _rows(stream, strings, dates, durations, epoch, limits)
        except (
            KeyError,
            IndexError,
            ValueError,
            ParseError,
            ExpatError,
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
        ) as exc:
            raise BadWorkbook(str(exc)) from None


def _first_sheet(archive: zipfile.ZipFile, budget: _Budget, limits: Limits) -> tuple[str, Any]:
    target, epoch, sheets = None, CALENDAR_WINDOWS_1900, 0
    with budget.open(archive, "xl/workbook.xml") as stream:
        for _event, element in iterparse(stream):
            if element.tag == f"{MAIN}workbookPr" and element.get("date1904") in ("1", "true"):
                epoch = CALENDAR_MAC_1904
            elif element.tag == f"{MAIN}sheet":
                sheets += 1
                if sheets > limits.sheets:
                    raise TooLarge("sheets", limits.sheets)
                target = target or element.get(f"{REL}id")
    if target is None:
        raise KeyError("the workbook has no worksheet")
    with budget.open(archive, "xl/_rels/workbook.xml.rels") as stream:
        for _event, element in iterparse(stream):
            if element.tag == f"{PKG_REL}Relationship" and element.get("Id") == target:
                path = element.get("Target", "")
                path = path.lstrip("/") if path.startswith("/") else posixpath.normpath(f"xl/{path}")
                return path, epoch
    raise KeyError("the worksheet part is missing")


def _text(element) -> str:
    """The text of a <si> or <is>: the plain <t>, or its rich-text runs joined; phonetic hints left out."""
    plain = element.find(TEXT)
    if plain is not None:
        return plain.text or ""
    return "".join(run.findtext(TEXT) or "" for run in element.iterfind(RUN))


def _shared_strings(archive: zipfile.ZipFile, budget: _Budget, limits: Limits) -> list[str]:
    try:
        stream = budget.open(archive, "xl/sharedStrings.xml")
    except KeyError:
        return []
    strings: list[str] = []
    with stream:
        for block in _blocks(stream, b"sst", b"si", limits):
            strings.extend(_text(element) for element in block)
            if len(strings) > limits.shared_strings:
                raise TooLarge("shared_strings", limits.shared_strings)
    return strings


def _blocks(stream: IO[bytes], container: bytes, item: bytes, limits: Limits) -> Iterator[Any]:
    """The <item> children of <container>, as parsed elements each holding the items of about BLOCK bytes."""
    for opening, body, closing, _prefix in _fragments(stream, container, item, limits):
        yield fromstring(opening + body + closing)  # noqa: S314 (a fragment: no DTD, see above)


def _fragments(
    stream: IO[bytes], container: bytes, item: bytes, limits: Limits,
    preamble: Callable[[bytes], None] | None = None,
) -> Iterator[tuple[bytes, bytes, bytes, bytes]]:  # fmt: skip
    """(opening tag, complete <item> elements of about BLOCK bytes, closing tag, namespace prefix) blocks.

    preamble(bytes before the container) is called once the container is found (the sheet's <dimension>)."""
    data = b""
    while (root := START_TAG.search(data)) is None or (found := _start(data, container)) is None:
        if len(data) > limits.row_bytes + BLOCK:
            raise TooLarge("row_bytes", limits.row_bytes)
        chunk = stream.read(BLOCK)
        if not chunk:
            raise ValueError(f"no <{container.decode()}> element")
        data += chunk
    if preamble:
        preamble(data[: found.start()])
    if found.group(0).endswith(b"/>"):
        return  # an empty container
    prefix = found.group(1) or b""
    opening = root.group(0) if root.start() != found.start() else found.group(0)
    name = re.match(rb"<([^\s/>]+)", opening).group(1)
    closing, item_end, end = b"</" + name + b">", b"</" + prefix + item + b">", b"</" + prefix + container + b">"
    data = data[found.end() :]
    while True:
        stop = data.find(end)
        if stop >= 0:
            yield opening, data[:stop], closing, prefix
            return
        cut = data.rfind(item_end)
        if cut >= 0:
            cut += len(item_end)
            yield opening, data[:cut], closing, prefix
            data = data[cut:]
        elif len(data) > limits.row_bytes:
            raise TooLarge("row_bytes", limits.row_bytes)
        chunk = stream.read(BLOCK)
        if not chunk:
            raise ValueError(f"<{container.decode()}> is not closed")
        data += chunk


def _start(data: bytes, local: bytes) -> re.Match | None:
    return re.search(rb"<([A-Za-z_][\w.\-]*:)?" + local + rb"(?:\s[^>]*)?/?>", data)


def _date_styles(archive: zipfile.ZipFile, budget: _Budget) -> tuple[set[int], set[int]]:
    """Indexes of cellXfs whose number format is a date (and a duration), as openpyxl decides it."""
    try:
        stream = budget.open(archive, "xl/styles.xml")
    except KeyError:
        return set(), set()
    custom: dict[int, str] = {}
    formats: list[int] = []
    with stream:
        for event, element in iterparse(stream, events=("start", "end")):
            if event == "end" and element.tag == f"{MAIN}numFmt":
                custom[int(element.get("numFmtId"))] = element.get("formatCode", "")
            elif event == "start" and element.tag == f"{MAIN}cellXfs":
                formats = []
            elif event == "end" and element.tag == f"{MAIN}xf":
                formats.append(int(element.get("numFmtId", 0)))
            elif event == "end" and element.tag == f"{MAIN}cellXfs":
                break
    dates, durations = set(), set()
    for index, number_format in enumerate(formats):
        code = custom.get(number_format) or BUILTIN_FORMATS.get(number_format) or "General"
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return dates, durations


Cell = tuple[str | None, str, str | None, str | None, str | None, str | None]  # r, t, s, formula, inline, v


def _letters_to_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _check_dimension(preamble: bytes, limits: Limits) -> None:
    """The sheet's declared used range (<dimension ref="A1:M60002"/>), refused before any row is read."""
    if match := DIMENSION.search(preamble):
        columns, rows = _letters_to_index(match.group(1).decode()) + 1, int(match.group(2))
        if rows > limits.rows:
            raise TooLarge("rows", limits.rows, rows)
        if columns > limits.columns:
            raise TooLarge("columns", limits.columns, columns)


def _rows(
    stream, strings: list[str], dates: set[int], durations: set[int], epoch, limits: Limits | None = None
) -> Iterator[Row]:
    limits = limits or Limits()
    columns: dict[str, int] = {}  # "AB" → 27, cached

    def column_of(reference: str) -> int:
        letters = reference.rstrip(DIGITS)
        index = columns.get(letters)
        if index is None:
            index = columns[letters] = _letters_to_index(letters)
            if index >= limits.columns:
                raise TooLarge("columns", limits.columns, index + 1)
        return index

    number = seen = 0
    blocks = _fragments(stream, b"sheetData", b"row", limits, functools.partial(_check_dimension, limits=limits))
    for opening, body, closing, prefix in blocks:
        document = opening + body + closing
        if SCAN:
            ParserCreate().Parse(document, True)  # well-formed (and no entity can be declared), or ExpatError
            rows = _scan_rows(body, prefix)
        else:
            rows = None
        if rows is None:
            rows = list(_tree_rows(fromstring(document)))  # noqa: S314 (a fragment: no DTD, see above)
        seen += len(rows)
        if seen > limits.rows:
            raise TooLarge("rows", limits.rows)
        for reference, cells in rows:
            number = int(reference or number + 1)
            values: dict[int, Any] = {}
            column = -1
            if len(cells) > limits.columns:
                raise TooLarge("columns", limits.columns, len(cells))
            for cell_reference, kind, style, formula, inline, raw in cells:
                column = column_of(cell_reference) if cell_reference else column + 1
                if column >= limits.columns:
                    raise TooLarge("columns", limits.columns, column + 1)
                if formula is not None:
                    values[column] = "=" + formula  # cells sharing a formula have no text of their own
                elif kind == "inlineStr":
                    if inline is not None:
                        values[column] = inline
                elif not raw:
                    continue
                elif kind == "s":
                    values[column] = strings[int(raw)]
                elif kind == "n":
                    value = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
                    if style and int(style) in dates:
                        try:
                            value = from_excel(value, epoch, timedelta=int(style) in durations)
                        except (OverflowError, ValueError):
                            value = "#VALUE!"
                    values[column] = value
                elif kind == "b":
                    values[column] = bool(int(raw))
                elif kind == "d":
                    values[column] = from_ISO8601(raw)
                else:  # "str" (a formula's text result without the formula), "e" (an error such as #N/A)
                    values[column] = raw
            if values:
                yield number, values


def _tree_rows(block) -> Iterator[tuple[str | None, list[Cell]]]:
    for row in block:
        if row.tag != ROW:
            continue
        cells = []
        for cell in row:
            if cell.tag != CELL:
                continue
            formula = inline = raw = None
            for child in cell:
                if child.tag == VALUE:
                    raw = child.text
                elif child.tag == INLINE:
                    inline = _text(child)
                elif child.tag == FORMULA:
                    formula = child.text or ""
            cells.append((cell.get("r"), cell.get("t", "n"), cell.get("s"), formula, inline, raw))
        yield row.get("r"), cells


# The fast path: plain sheet XML (what Excel and our template writer produce) scanned with one regular expression
# once expat has checked that the block is well-formed. A block with anything the expression does not model goes
# through the element tree instead: comments, CDATA, processing instructions, character references, carriage
# returns (XML normalises them), single-quoted attributes, extensions, phonetic hints, and any cell that is not
# a plain value, a plain inline string or empty (formulas, rich text, …), found by counting the cells matched
# against the cells in the block. Both paths give the same values (tests/tambon/roster/test_xlsx.py).
SCAN = True
DISQUALIFIERS = ("<!", "<?", "&#", "\r", "='", "extLst", "rPh")


@functools.lru_cache(maxsize=8)
def _token_pattern(prefix: str) -> re.Pattern:
    p, other = re.escape(prefix), r'\s+[\w:.\-]+="[^"]*"'
    return re.compile(
        rf'<{p}(row)(?:\s+r="([^"]*)"|{other})*\s*/?>'  # a row starts (a self-closed one has no cells)
        rf'|<{p}c(?:\s+r="([^"]*)"|\s+s="([^"]*)"|\s+t="([^"]*)"|{other})*\s*'
        rf"(?:/>|>(?:<{p}v>([^<]*)</{p}v>|<{p}is><{p}t(?:\s[^>]*)?>([^<]*)</{p}t></{p}is>)?</{p}c>)"
    )


def _scan_rows(body: bytes, prefix: bytes) -> list[tuple[str | None, list[Cell]]] | None:
    """The rows of a plain block, or None when some cell is not plain (the caller then uses the element tree)."""
    text, tag = body.decode(), prefix.decode()
    if any(mark in text for mark in DISQUALIFIERS):
        return None
    rows: list[tuple[str | None, list[Cell]]] = []
    cells: list[Cell] = []
    matched = 0
    for is_row, row_reference, reference, style, kind, raw, inline in _token_pattern(tag).findall(text):
        if is_row:
            cells = []
            rows.append((row_reference or None, cells))
            continue
        matched += 1
        if "&" in raw:
            raw = html.unescape(raw)  # only the five XML entities can be left (no &#, no DTD)
        if "&" in inline:
            inline = html.unescape(inline)
        kind = kind or "n"
        cells.append(
            (reference or None, kind, style or None, None, inline if kind == "inlineStr" else None, raw or None)
        )
    if matched != text.count(f"<{tag}c ") + text.count(f"<{tag}c>") + text.count(f"<{tag}c/"):
        return None
    return rows
