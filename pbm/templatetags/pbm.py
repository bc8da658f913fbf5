"""Template filters every page uses; loaded as a builtin (settings.TEMPLATES)."""

import datetime as dt
from decimal import Decimal

from django import template

from pbm import formats

register = template.Library()


@register.filter
def be_date(value: dt.date | dt.datetime | None) -> str:
    return formats.date_be(value)


@register.filter
def be_datetime(value: dt.datetime | None) -> str:
    return formats.date_be(value, with_time=True)


@register.filter
def be_year(value: int) -> str:
    """A string, so the thousands separator never turns 2564 into 2,564."""
    return str(formats.be_year(int(value)))


@register.filter
def month_abbr(value: int) -> str:
    return formats.month_abbr(int(value))


@register.simple_tag
def month_label(year: int, month: int) -> str:
    return formats.month_label(int(year), int(month))


@register.filter
def baht(value: Decimal | int | None, places: int = 0) -> str:
    """Thousands separators, no currency sign: '2,640,000'. Empty for None, so blank cells stay blank."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.{int(places)}f}"


@register.filter
def percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}"
