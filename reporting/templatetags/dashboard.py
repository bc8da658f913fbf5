"""A dashboard table's rows in one call: tables have thousands of cells, and a template tag (or worse, an
{% include %}) per cell cost more than the page's SQL (issue 16). The HTML is built here with `escape` on every
value, then marked safe once."""

from decimal import Decimal
from html import escape as _escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from pbm.formats import baht, number

register = template.Library()


def escape(value) -> str:
    """Django's `escape` without its lazy-string wrapper (called tens of thousands of times per page)."""
    return _escape(str(value))


def _text(cell) -> str:
    if cell.value is None:
        return "—"
    if cell.fmt == "money":
        return baht(cell.value)
    if cell.fmt == "pct":
        return str(cell.value)
    return number(cell.value)


def _cell(cell) -> str:
    if cell.fmt == "text":
        if cell.href:
            return f'<th scope="row"><a href="{escape(cell.href)}">{escape(cell.value)}</a></th>'
        return f'<th scope="row">{escape(cell.value)}</th>'
    # a number (and its formatted text: digits, separators, a sign) holds nothing to escape; anything else is escaped
    numeric = isinstance(cell.value, (int, Decimal))
    sort = "" if cell.value is None else (str(cell.value) if numeric else escape(cell.value))
    # One of 11 shades, each with its text colour in the stylesheet (contrast 4.5:1 or more); a class, not a style.
    classes = f"num heat heat-{min(10, max(0, cell.heat) // 10)}" if cell.heat is not None else "num"
    text = _text(cell) if numeric or cell.value is None else escape(_text(cell))
    inner = f'<a href="{escape(cell.href)}">{text}</a>' if cell.href and cell.value is not None else text
    return f'<td class="{classes}" data-sort="{sort}">{inner}</td>'


@register.simple_tag
def dashboard_cell(cell) -> SafeString:
    return mark_safe(_cell(cell))  # noqa: S308 - every value escaped in _cell


@register.simple_tag
def dashboard_rows(rows) -> SafeString:
    """`<tr>…</tr>` for each row of cells, one line per row."""
    return mark_safe("\n  ".join(f"<tr>{''.join(map(_cell, row))}</tr>" for row in rows))  # noqa: S308 - as above
