"""The one place dates become text: Buddhist Era years and Thai month names (DOMAIN.md: users read BE)."""

import datetime as dt

from django.utils import timezone, translation

BE_OFFSET = 543

THAI_MONTHS_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
THAI_MONTHS_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
EN_MONTHS_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def be_year(year: int) -> int:
    return year + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


def _thai() -> bool:
    return (translation.get_language() or "th").startswith("th")


def month_abbr(month: int) -> str:
    return (THAI_MONTHS_ABBR if _thai() else EN_MONTHS_ABBR)[month - 1]


def month_label(year: int, month: int) -> str:
    """'ม.ค. 2564' in Thai, 'Jan 2564' in English: the year is BE in both."""
    return f"{month_abbr(month)} {be_year(year)}"


def date_be(value: dt.date | dt.datetime | None, with_time: bool = False) -> str:
    """'15 ม.ค. 2564' (or '15 Jan 2564'); datetimes are shown in Bangkok time."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        text = f"{value.day} {month_abbr(value.month)} {be_year(value.year)}"
        return f"{text} {value:%H:%M}" if with_time else text
    return f"{value.day} {month_abbr(value.month)} {be_year(value.year)}"
