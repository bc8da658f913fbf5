"""The widgets' tables: one structure the page renders and the .xlsx export writes, so both show the same numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from pbm.formats import COUNT_XLSX_FORMAT, MONEY_XLSX_FORMAT, be_year, month_label

from ..models import CategoryKind
from .selectors import Child, Dashboard

WIDGETS = ("completeness", "spending", "hiring", "classification")
NUMBER_FORMATS = {"int": COUNT_XLSX_FORMAT, "money": MONEY_XLSX_FORMAT, "pct": "0.0"}


@dataclass(slots=True)  # thousands per page: made and read faster without an instance dict
class Cell:
    value: int | Decimal | str | None
    fmt: str = "int"  # int | money | pct | text
    href: str = ""
    heat: int | None = None  # 0–100: shade of a heatmap cell


@dataclass
class Table:
    widget: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    total: list[Cell] = field(default_factory=list)


Link = Callable[[Child, str], str]


def _name(child: Child, link: Link, widget: str) -> Cell:
    return Cell(child.name, "text", link(child, widget))


def completeness_table(board: Dashboard, link: Link) -> Table:
    rows, total = board.completeness
    table = Table("completeness", _("Reporting completeness and timeliness"), [
        _("Unit"), _("Expected"), _("Submitted"), _("On time"), _("Late"), _("Awaiting review"), _("Returned"),
        _("Accepted"), _("Not filed"), _("On time (%)"),
    ])  # fmt: skip

    def cells(item, first: Cell, href: str) -> list[Cell]:
        numbers = [item.expected, item.submitted, item.on_time, item.late, item.awaiting_review, item.returned,
                   item.accepted, item.not_filed]  # fmt: skip
        return [first, *(Cell(n, href=href) for n in numbers), Cell(item.share_on_time, "pct")]

    table.rows = [cells(r, _name(r.child, link, "completeness"), link(r.child, "completeness")) for r in rows]
    table.total = cells(total, Cell(_("Total"), "text"), "")
    return table


def spending_table(board: Dashboard, link: Link) -> Table:
    widget = board.spending
    kinds = CategoryKind.choices
    headers = [_("Unit")]
    for _kind, label in kinds:
        headers += [f"{label}: " + _("budget"), f"{label}: " + _("plan to date"), f"{label}: " + _("actual to date")]
    headers += [_("Actual ÷ plan (%)"), _("Disbursed of the fiscal year's plan (%)"), _("Tambons"),
                _("Eligible for instalment 2")]  # fmt: skip
    table = Table("spending", _("Spending"), headers)

    def cells(item, first: Cell, href: str) -> list[Cell]:
        out = [first]
        for kind, _label in kinds:
            figures = item.kinds[kind]
            out += [
                Cell(figures.total, "money"),
                Cell(figures.plan, "money", href),
                Cell(figures.actual, "money", href),
            ]
        return [*out, Cell(item.percent, "pct"), Cell(item.disbursed, "pct"), Cell(item.tambons, href=href),
                Cell(item.instalment_eligible, href=href)]  # fmt: skip

    table.rows = [cells(r, _name(r.child, link, "spending"), link(r.child, "spending")) for r in widget.rows]
    table.total = cells(widget.total, Cell(_("Total"), "text"), "")
    return table


def hiring_table(board: Dashboard, link: Link) -> Table:
    widget = board.hiring
    headers = [_("Unit")]
    for t in widget.types:
        headers += [f"{t.name}: " + _("hired"), f"{t.name}: " + _("quota")]
    headers += [_("Hired"), _("Quota"), _("Filled (%)"), _("Vacancies"), _("Reserve list"), _("Resigned in period"),
                _("Certificates eligible")]  # fmt: skip
    table = Table("hiring", _("Hiring"), headers)
    type_ids = [t.pk for t in widget.types]  # read once, not per row and column

    def cells(item, first: Cell, href: str) -> list[Cell]:
        out = [first]
        for type_id in type_ids:
            out += [Cell(item.hired.get(type_id, 0), href=href), Cell(item.quota.get(type_id, 0))]
        return [*out, Cell(item.hired_total, href=href), Cell(item.quota_total), Cell(item.fill_rate, "pct"),
                Cell(item.vacancies, href=href), Cell(item.reserve, href=href), Cell(item.resigned, href=href),
                Cell(item.certificates_eligible, href=href)]  # fmt: skip

    table.rows = [cells(r, _name(r.child, link, "hiring"), link(r.child, "hiring")) for r in widget.rows]
    table.total = cells(widget.total, Cell(_("Total"), "text"), "")
    return table


def classification_table(board: Dashboard, link: Link) -> Table:
    widget = board.classification
    headers = [_("Unit"), _("Tambons"), _("Assessed (accepted)")]
    headers += [b.name for b in widget.bands] + [_("not yet classified")]
    headers += [_("Moved up"), _("Moved down")] + [_("Goal %(n)s") % {"n": g.number} for g in widget.goals]
    table = Table("classification", _("Classification"), headers)
    band_ids, goal_ids = [b.pk for b in widget.bands], [g.pk for g in widget.goals]  # read once, not per row

    def cells(item, first: Cell, href: str) -> list[Cell]:
        out = [first, Cell(item.tambons, href=href), Cell(item.assessed, href=href)]
        out += [Cell(item.bands.get(band_id, 0), href=href) for band_id in band_ids] + [Cell(item.bands.get(None, 0))]
        out += [Cell(item.up, href=href), Cell(item.down, href=href)]
        for goal_id in goal_ids:
            n = item.goals.get(goal_id, 0)
            out.append(Cell(n, href=href, heat=round(100 * n / item.assessed) if item.assessed else 0))
        return out

    table.rows = [cells(r, _name(r.child, link, "classification"), link(r.child, "classification"))
                  for r in widget.rows]  # fmt: skip
    table.total = cells(widget.total, Cell(_("Total"), "text"), "")
    return table


BUILDERS = {
    "completeness": completeness_table,
    "spending": spending_table,
    "hiring": hiring_table,
    "classification": classification_table,
}


def widget_tables(board: Dashboard, link: Link) -> dict[str, Table]:
    return {name: build(board, link) for name, build in BUILDERS.items()}


def period_text(board: Dashboard) -> str:
    period = board.period
    if period.kind == "quarter":
        return _("Quarter %(n)s/%(year)s") % {"n": period.quarter.number, "year": be_year(period.quarter.year)}
    return month_label(*period.through)


def widget_workbook(table: Table, *, scope: str, period: str, computed: str) -> Workbook:
    """One sheet: a heading with the scope, period and time of the figures, then the table as shown."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.widget
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([scope])
    sheet.append([_("Period: %(period)s · figures as of %(time)s") % {"period": period, "time": computed}])
    sheet.append([])
    sheet.append(table.headers)
    for cell in sheet[5]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in [*table.rows, table.total]:
        sheet.append([c.value for c in row])
        for column, cell in enumerate(row, start=1):
            if cell.fmt in NUMBER_FORMATS:
                sheet.cell(sheet.max_row, column).number_format = NUMBER_FORMATS[cell.fmt]
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 48
    for column in range(2, len(table.headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    sheet.freeze_panes = "B6"
    return workbook
