"""A dashboard table cell in one call: tables have hundreds of cells, and an {% include %} per cell is slow."""

from django import template
from django.utils.html import format_html

from pbm.formats import baht, number

register = template.Library()


def _text(cell) -> str:
    if cell.value is None:
        return "—"
    if cell.fmt == "money":
        return baht(cell.value)
    if cell.fmt == "pct":
        return str(cell.value)
    return number(cell.value)


@register.simple_tag
def dashboard_cell(cell):
    if cell.fmt == "text":
        if cell.href:
            return format_html('<th scope="row"><a href="{}">{}</a></th>', cell.href, cell.value)
        return format_html('<th scope="row">{}</th>', cell.value)
    sort = "" if cell.value is None else cell.value
    # One of 11 shades, each with its text colour in the stylesheet (contrast 4.5:1 or more); a class, not a style.
    classes = f"num heat heat-{min(10, max(0, cell.heat) // 10)}" if cell.heat is not None else "num"
    inner = (
        format_html('<a href="{}">{}</a>', cell.href, _text(cell))
        if cell.href and cell.value is not None
        else _text(cell)
    )
    return format_html('<td class="{}" data-sort="{}">{}</td>', classes, sort, inner)
