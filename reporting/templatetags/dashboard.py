"""A dashboard table's rows in one call: tables have thousands of cells, and a template tag (or worse, an
{% include %}) per cell cost more than the page's SQL (issue 16). The HTML is built here with `escape` on every
value, then marked safe once."""

from decimal import Decimal
from functools import lru_cache
from html import escape as _escape

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from pbm.formats import baht, month_label, number

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


@lru_cache(maxsize=4096)
def _href(url: str) -> str:
    """An escaped link: the same few per row, for every cell of the row (a pure function of the URL)."""
    return escape(url)


def _cell(cell) -> str:
    value = cell.value
    if cell.fmt == "text":
        if cell.href:
            return f'<th scope="row"><a href="{_href(cell.href)}">{escape(value)}</a></th>'
        return f'<th scope="row">{escape(value)}</th>'
    # a number (and its formatted text: digits, separators, a sign) holds nothing to escape; anything else is escaped
    if value is None:
        sort, text = "", "—"
    elif isinstance(value, (int, Decimal)):
        sort = str(value)
        # a count is most cells: `number`'s text without its Decimal ('1,550')
        text = f"{value:,}" if type(value) is int and cell.fmt == "int" else _text(cell)
    else:
        sort, text = escape(value), escape(_text(cell))
    # One of 11 shades, each with its text colour in the stylesheet (contrast 4.5:1 or more); a class, not a style.
    classes = f"num heat heat-{min(10, max(0, cell.heat) // 10)}" if cell.heat is not None else "num"
    inner = f'<a href="{_href(cell.href)}">{text}</a>' if cell.href and value is not None else text
    return f'<td class="{classes}" data-sort="{sort}">{inner}</td>'


@register.simple_tag
def dashboard_cell(cell) -> SafeString:
    return mark_safe(_cell(cell))  # noqa: S308 - every value escaped in _cell


@register.simple_tag
def dashboard_rows(rows) -> SafeString:
    """`<tr>…</tr>` for each row of cells, one line per row."""
    return mark_safe("\n  ".join(f"<tr>{''.join(map(_cell, row))}</tr>" for row in rows))  # noqa: S308 - as above


def _value(value) -> str:
    """What `{{ value }}` prints: localized, then escaped."""
    return escape(localize(value))


def _values():
    """`_value` for one tag's call, each distinct value localized once (counts and widths repeat: 0, 100.0 …)."""
    seen: dict = {}

    def value(v) -> str:
        key = (type(v), v)  # 1 and 1.0 print differently
        if key not in seen:
            seen[key] = _value(v)
        return seen[key]

    return value


@register.simple_tag
def completeness_chart(bars) -> SafeString:
    """`charts.completeness_bars` as stacked bars: a row per child (a page has up to ~70), three segments each."""
    text = _values()
    return mark_safe(  # noqa: S308 - every value escaped
        "".join(
            f'<div class="chart-row"><span class="chart-label">{escape(name)}</span><span class="stack">'
            + "".join(
                f'<span class="seg {escape(seg)}" style="width: {text(width)}%" title="{text(n)}"></span>'
                for seg, width, n in parts
            )  # fmt: skip
            + "</span></div>"
            for name, parts in bars
        )
    )


@register.simple_tag
def spending_charts(series) -> SafeString:
    """`charts.spending_series` as columns: a figure per kind, a column per month (plan and actual)."""
    plan, actual = escape(gettext("plan")), escape(gettext("actual"))
    figures = []
    for label, points in series:
        columns = "".join(
            f'<div class="col" title="{escape(month)}: {plan} {escape(baht(p))} · {actual} {escape(baht(a))}">'
            f'<span class="plan" style="height: {_value(hp)}%"></span><span class="actual" style="height: '
            f'{_value(ha)}%"></span><small>{escape(month)}</small></div>'
            for month, hp, ha, p, a in points
        )
        figures.append(f'<figure class="columns" aria-label="{escape(label)}"><figcaption>{escape(label)}</figcaption>'
                       f'\n    <div class="cols">{columns}</div>\n  </figure>')  # fmt: skip
    return mark_safe("".join(figures))  # noqa: S308 - every value escaped


@register.simple_tag
def month_options(months, period, chosen: str) -> SafeString:
    """The month filter's options; the page's month is selected when the person chose one."""
    selected = period.through if period.kind == "month" and chosen else None
    return mark_safe("".join(  # noqa: S308 - every value escaped
        f'<option value="{_value(y)}-{m:02d}"{" selected" if (y, m) == selected else ""}>{escape(month_label(y, m))}'
        "</option>" for y, m in months
    ))  # fmt: skip


@register.simple_tag
def unit_report_rows(rows, month) -> SafeString:
    """The unit monthly reports of the page's month: a row per network or university, its report's status."""
    late, missing = escape(gettext("late")), escape(gettext("not filed"))
    out, labels = [], {}  # each status's label translated once (get_status_display hashes every lazy choice)
    for kind, unit, report in rows:
        href = reverse("unit_report", args=[kind, unit.pk, *month])
        if report and report.first_submitted_at:
            if report.status not in labels:
                labels[report.status] = escape(report.get_status_display())
            status = labels[report.status]
            status += f' · <span class="badge bad">{late}</span>' if report.is_late else ""
        else:
            status = f'<span class="badge">{missing}</span>'
        name = unit.name if kind == "university" else unit
        out.append(f'<tr data-kind="{escape(kind)}"><td><a href="{escape(href)}">{escape(name)}</a></td>\n'
                   f"    <td>{status}</td></tr>")  # fmt: skip
    return mark_safe("".join(out))  # noqa: S308 - every value escaped
