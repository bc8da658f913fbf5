"""The one place dates and numbers become text (BE years, Thai months, baht, counts) and typed numbers are read."""

import datetime as dt
import re
from decimal import Decimal

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


def date_be_numeric(value: dt.date | None) -> str:
    """'25/10/2564': how a date input shows a date (day/month/Buddhist Era year, the same in both languages)."""
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{be_year(value.year)}"


# Money and counts. One rule, on the page, in messages, in the .xlsx and in the API: an amount of baht always
# shows its satang, two decimals, so a column lines up and 40,935.48 is never rounded to 40,935:
#   page and messages  "80,000.00", "40,935.48" (thousands separated)
#   .xlsx              numeric cells formatted MONEY_XLSX_FORMAT ("#,##0.00")
#   API                strings with two decimals and no separators, "80000.00" (DRF DecimalField)
# Counts (tambons, people, hours) are whole numbers with thousands separated: "1,550".
MONEY_PLACES = 2
MONEY_MAX_DIGITS = 14  # the models' DecimalField(max_digits=14, decimal_places=2)
MONEY_MAX = Decimal("999999999999.99")
MONEY_XLSX_FORMAT = "#,##0.00"
COUNT_XLSX_FORMAT = "#,##0"

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_PLAIN = re.compile(r"^(\d+)?(?:\.(\d*))?$")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.(\d*))?$")


def baht(value: Decimal | int | float | str | None) -> str:
    """'80,000.00', '40,935.48', '-1,200.00'; empty for None, so a blank cell stays blank."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.{MONEY_PLACES}f}"


def number(value: Decimal | int | str | None) -> str:
    """A count: '1,550'; empty for None."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.0f}"


class NumberSyntaxError(ValueError):
    """`code` says what is wrong, for a message that says what to write instead."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_number(text: str) -> Decimal | None:
    """A number as people write it: '80,000', '80000.50', ' ๘๐,๐๐๐ ', '฿80,000', '80,000 บาท'. None when blank.

    Commas must separate thousands (80,000): '80,50' is refused ('grouping') rather than read as 8,050,
    since a comma there may well be a decimal comma. A leading minus is read, so the caller can refuse a
    negative amount by name."""
    text = text.translate(THAI_DIGITS).strip()
    text = text.removeprefix("฿").removesuffix("บาท").strip()
    if not text:
        return None
    negative = text[0] in "-−"
    if negative:
        text = text[1:].strip()
    if _GROUPED.match(text):
        text = text.replace(",", "")
    elif "," in text and re.fullmatch(r"[\d,]*(\.\d*)?", text):
        raise NumberSyntaxError("grouping")
    if not _PLAIN.match(text) or text in ("", "."):
        raise NumberSyntaxError("invalid")
    value = Decimal(text)
    return -value if negative else value
