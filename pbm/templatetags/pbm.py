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
def baht(value: Decimal | int | None) -> str:
    """formats.baht: '2,640,000.00', satang always shown. Empty for None, so blank cells stay blank."""
    return formats.baht(value)


@register.filter
def number(value: int | Decimal | None) -> str:
    """formats.number: a count with thousands separated, '1,550'. Empty for None."""
    return formats.number(value)


@register.filter
def percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}"


@register.inclusion_tag("snippets/form_errors.html")
def form_errors(form) -> dict:
    """At the top of a long form: every field's error as a link to its box, each naming the field (the amount and
    date fields' messages already start with it; Django's own ones get the label put in front)."""
    items = []
    for field in form:
        label = str(field.label or "")
        for error in field.errors:
            text = str(error)
            items.append((field.id_for_label, text if not label or text.startswith(label) else f"{label}: {text}"))
    return {"items": items}
