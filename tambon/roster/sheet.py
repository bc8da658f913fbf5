"""The hiring sheet: its columns, how cells become values, and how the template and exports are written.

One layout for the template, the export and the error file, so an exported roster imports back unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from pbm.exports import safe_cell, unescape

BE_OFFSET = 543
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
HINT_MARK = "คำแนะนำ"
TITLE = "แบบติดตามการจ้างงาน U2T — รายชื่อผู้ได้รับการจ้างงาน"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Thai, what the template shows
    english: str  # accepted as a header too
    required: bool
    hint: str
    width: int = 18


COLUMNS: tuple[Column, ...] = (
    Column("national_id", "เลขประจำตัวประชาชน", "national id", True, "13 หลัก เช่น 1-1037-01234-56-3", 22),
    Column("first_name", "ชื่อ", "first name", True, "ชื่อจริง ไม่ต้องมีคำนำหน้า"),
    Column("last_name", "นามสกุล", "last name", True, "นามสกุล"),
    Column("hiring_type", "ประเภทการจ้าง", "hiring type", True, "ประชาชน / บัณฑิตจบใหม่ / นักศึกษา"),
    Column("tambon_code", "รหัสตำบล", "tambon code", True, "รหัส 6 หลัก เช่น 190202"),
    Column("tambon_name", "ตำบล", "tambon", False, "ไม่บังคับ (ใช้รหัสตำบล)", 30),
    Column("start_date", "วันเริ่มจ้าง", "start date", True, "วว/ดด/ปปปป (พ.ศ. หรือ ค.ศ.)"),
    Column("end_date", "วันสิ้นสุดสัญญา", "end date", False, "ไม่บังคับ"),
    Column("graduated_on", "วันสำเร็จการศึกษา", "graduation date", False, "บังคับสำหรับบัณฑิตจบใหม่"),
    Column("status", "สถานะ", "status", False, "จ้างงาน / สำรอง (ว่าง = จ้างงาน)"),
    Column("reserve_rank", "ลำดับสำรอง", "reserve rank", False, "ลำดับ 1, 2, 3 … สำหรับผู้สำรอง"),
    Column("phone", "โทรศัพท์", "phone", False, "ไม่บังคับ"),
    Column("monthly_wage", "ค่าจ้างต่อเดือน", "monthly wage", False, "ไม่บังคับ: ถ้ากรอก ต้องตรงกับอัตราของประเภทการจ้าง"),
)
ERRORS_COLUMN = Column("errors_note", "ข้อผิดพลาด", "errors", False, "", 60)
INFORMATIONAL = {"tambon_name", "errors_note"}  # read for people, ignored by the import
STATUS_WORDS = {"จ้างงาน": "active", "active": "active", "hired": "active", "สำรอง": "reserve", "reserve": "reserve"}
STATUS_LABELS = {"active": "จ้างงาน", "reserve": "สำรอง"}


def header_key(text: Any) -> str:
    return re.sub(r"[\s*]+", " ", str(text or "")).strip().lower()


HEADER_LOOKUP: dict[str, Column] = {}
for _column in (*COLUMNS, ERRORS_COLUMN):
    HEADER_LOOKUP[header_key(_column.header)] = _column
    HEADER_LOOKUP[header_key(_column.english)] = _column
    HEADER_LOOKUP[_column.key] = _column
for _alias in ("ค่าจ้าง", "อัตราค่าจ้าง", "wage"):  # what universities' own sheets call the wage column
    HEADER_LOOKUP[header_key(_alias)] = HEADER_LOOKUP["monthly_wage"]


def normalise_national_id(value: Any) -> str:
    """Thai digits → Arabic, spaces and dashes dropped; Excel's numbers become their digits."""
    if type(value) is str and value.isascii() and value.isdigit():
        return value  # the usual cell: nothing to change
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[\s\-‐–]", "", str(value or "").translate(THAI_DIGITS))


def mask_national_id(national_id: str) -> str:
    return "•" * max(len(national_id) - 4, 0) + national_id[-4:]


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    value = unescape(value)  # what our exports escaped comes back as it was
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).translate(THAI_DIGITS).strip()


@dataclass(frozen=True)
class ReadDate:
    value: dt.date
    era: str  # "BE" or "CE"
    raw: str

    def explain(self) -> str:
        if self.era == "BE":
            return _("read %(raw)s as Buddhist Era (พ.ศ.) = %(ce)s CE") % {
                "raw": self.raw,
                "ce": self.value.isoformat(),
            }
        return _("read %(raw)s as Common Era (ค.ศ.) = %(ce)s CE") % {"raw": self.raw, "ce": self.value.isoformat()}


DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
)


def parse_date(value: Any) -> ReadDate | None:
    """BE or CE: 15/01/2564 and 2021-01-15 are the same day. Years after 2400 are Buddhist Era.

    Raises ValueError (with what was found) when the cell is not a date; returns None for an empty cell.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        raw = f"{value.day:02d}/{value.month:02d}/{value.year}"
        if value.year > 2400:
            return ReadDate(_shift_year(value, -BE_OFFSET), "BE", raw)
        return ReadDate(value, "CE", raw)
    raw = cell_text(value)
    for pattern, order in DATE_PATTERNS:
        if match := pattern.match(raw):
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            era = "BE" if parts["y"] > 2400 else "CE"
            year = parts["y"] - BE_OFFSET if era == "BE" else parts["y"]
            try:
                return ReadDate(dt.date(year, parts["m"], parts["d"]), era, raw)
            except ValueError:
                break
    raise ValueError(raw)


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 Feb of a year that has none in the other era
        return day.replace(year=day.year + years, day=28)


def format_date(day: dt.date | None) -> str:
    """Dates are written in BE, as the sheets universities already use."""
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year + BE_OFFSET}"


def write_workbook(
    rows: Iterable[dict[str, Any]], *, type_names: list[str], with_errors: bool = False, hint: bool = True
) -> bytes:
    """The template layout: title row, header row, hint row, then the people; drop-downs for types and status."""
    columns = [*COLUMNS, ERRORS_COLUMN] if with_errors else list(COLUMNS)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("รายชื่อ")
    for index, column in enumerate(columns):
        sheet.column_dimensions[_letter(index)].width = column.width
    type_col = _letter(next(i for i, c in enumerate(columns) if c.key == "hiring_type"))
    status_col = _letter(next(i for i, c in enumerate(columns) if c.key == "status"))
    types = DataValidation(type="list", formula1='"' + ",".join(type_names) + '"', allow_blank=True)
    types.add(f"{type_col}4:{type_col}70000")
    statuses = DataValidation(type="list", formula1='"จ้างงาน,สำรอง"', allow_blank=True)
    statuses.add(f"{status_col}4:{status_col}70000")
    sheet.data_validations.dataValidation.extend([types, statuses])
    sheet.append([TITLE])
    sheet.append([c.header + (" *" if c.required else "") for c in columns])
    if hint:
        sheet.append([f"{HINT_MARK}: {columns[0].hint}", *(c.hint for c in columns[1:])])
    for row in rows:
        sheet.append([_cell(row.get(c.key)) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    """An empty cell, not an empty string (smaller files, faster reads); text that a spreadsheet would run as a
    formula is escaped (pbm.exports): the template, the exports and the error file all go through here."""
    return None if value == "" else safe_cell(value)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
