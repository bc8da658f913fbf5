"""Text in a spreadsheet stays text: OWASP's CSV-injection rule, for every .xlsx and .csv the project writes.

A cell whose text begins with =, +, -, @, a tab or a carriage return (also after leading spaces, as in
" =HYPERLINK(…)") is read as a formula by Excel, LibreOffice and Google Sheets, either at once or when someone
edits the cell. Such text is written with a leading apostrophe, which every spreadsheet shows as text; in
openpyxl the cell is also typed as a string, never a formula. The roster import takes the apostrophe off
again (`unescape`), so an exported sheet imports back unchanged.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def needs_escape(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or text.lstrip(" \t\r\n\u00a0").startswith(FORMULA_STARTS[:4])


def safe_cell(value: Any) -> Any:
    """The value to write in a cell: text that a spreadsheet would run is prefixed with an apostrophe."""
    if isinstance(value, str) and needs_escape(value):
        return ESCAPE + value
    return value


def unescape(value: Any) -> Any:
    """What safe_cell wrote, read back: the apostrophe before a formula character comes off."""
    if isinstance(value, str) and value.startswith(ESCAPE) and needs_escape(value[1:]):
        return value[1:]
    return value


def safe_workbook(workbook) -> None:
    """Escape every text cell of an openpyxl workbook (normal mode) in place, and type it as a string."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "f" or (isinstance(value, str) and needs_escape(value)):
                    cell.value = safe_cell(str(value))
                    cell.data_type = "s"
