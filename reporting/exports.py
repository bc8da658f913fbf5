"""The PBM table as .xlsx, in the page's layout: one sheet per tambon (a university's tambons in one workbook)."""

from __future__ import annotations

import io
import re

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pbm.exports import safe_workbook
from pbm.formats import MONEY_XLSX_FORMAT, month_label
from pbm.jobs import XLSX as XLSX_TYPE
from pbm.jobs import ExportKind, export_kind
from tambon import access
from tambon.models import Tambon, University, User

from .selectors import BudgetTable, budget_tables

MONEY_FORMAT = MONEY_XLSX_FORMAT  # formats' one rule: satang always shown, as on the page
PERCENT_FORMAT = "0.00"
BOLD = Font(bold=True)
GROUP_FILL = PatternFill("solid", fgColor="ECE6F3")
XLSX = XLSX_TYPE


def budget_workbook(tambons: list[Tambon]) -> Workbook:
    """One sheet per tambon, all tables computed in the same few queries (tambons of one programme)."""
    return _tables_workbook(_tables(tambons))


def _tables(tambons: list[Tambon]) -> list[BudgetTable]:
    if not tambons:
        return []
    tables = budget_tables(tambons=tambons, programme=tambons[0].programme)
    return [tables[tambon.pk] for tambon in tambons]


def _tables_workbook(tables: list[BudgetTable]) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        _write_sheet(workbook.create_sheet(_sheet_title(table.tambon, used)), table)
    return workbook


def _sheet_title(tambon: Tambon, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", f"{tambon.code} {tambon.short_name}")[:31]
    title, n = base, 2
    while title in used:
        title = f"{base[:28]}-{n}"
        n += 1
    used.add(title)
    return title


def _write_sheet(sheet, table: BudgetTable) -> None:
    tambon = table.tambon
    sheet["A1"] = tambon.heading
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = tambon.programme.name
    months = [month_label(y, m) for y, m in table.months]
    header = [_("Code"), _("Line"), _("Total budget"), _("Remaining"), "", *months, _("Cumulative"), "%",
              _("Explanation")]  # fmt: skip
    sheet.append([])
    sheet.append(header)
    for cell in sheet[4]:
        cell.font = BOLD
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    first_month_col = 6
    for row in table.rows:
        name = row.name if row.level else _("Tambon total")
        label = ("    " * max(row.level - 1, 0)) + name
        plan = [row.code, label, row.total, row.remaining, _("Plan"), *row.plans,
                row.cumulative_plan if row.has_cumulative else None, None, row.explanation]  # fmt: skip
        actual = [None, None, None, None, _("Actual"), *row.actuals,
                  row.cumulative_actual if row.has_cumulative else None, row.percent, None]  # fmt: skip
        sheet.append(plan)
        sheet.append(actual)
        top, bottom = sheet.max_row - 1, sheet.max_row
        for col in (1, 2, 3, 4, len(header)):
            sheet.merge_cells(start_row=top, start_column=col, end_row=bottom, end_column=col)
        for r in (top, bottom):
            for col in range(3, len(header) - 1):
                sheet.cell(r, col).number_format = MONEY_FORMAT
            sheet.cell(r, len(header) - 1).number_format = PERCENT_FORMAT
            if row.level <= 1:
                for col in range(1, len(header) + 1):
                    sheet.cell(r, col).font = BOLD
                    sheet.cell(r, col).fill = GROUP_FILL
        sheet.cell(top, 2).alignment = Alignment(vertical="top", wrap_text=True)
    widths = {1: 6, 2: 42, 3: 14, 4: 14, 5: 6, len(header): 30}
    for col in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = widths.get(col, 12)
    sheet.freeze_panes = sheet.cell(5, first_month_col)


def workbook_bytes(workbook: Workbook) -> bytes:
    """Every workbook the project offers is saved through here: text stays text (pbm.exports)."""
    safe_workbook(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    response = HttpResponse(workbook_bytes(workbook), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- a university's budget tables, built in the background (pbm/jobs.py: 3.4 s inside a request) ------------


def _university_tambons(params: dict) -> list[Tambon]:
    return list(Tambon.objects.with_place().filter(pk__in=params["tambons"]).order_by("subdistrict_id"))


def _university_tables(params: dict) -> list[tuple[str, str, BudgetTable]]:
    """The tables with the headings the sheets print, so a renamed tambon or programme is a new version too."""
    return [(t.tambon.heading, t.tambon.programme.name, t) for t in _tables(_university_tambons(params))]


def _university_code(params: dict) -> str:
    return University.objects.filter(pk=params["university"]).values_list("code", flat=True).first() or ""


def _university_allowed(user: User, params: dict) -> bool:
    ids = params["tambons"]
    return access.visible_tambons(user, Tambon.objects.filter(pk__in=ids)).count() == len(ids)


def university_budget_params(*, user: User, university: University) -> dict | None:
    """The university's active tambons this user sees (None: none), in the order of the sheets."""
    tambons = access.visible_tambons(user, university.tambons.filter(is_active=True)).order_by("subdistrict_id")
    ids = list(tambons.values_list("pk", flat=True))
    return {"university": university.pk, "tambons": ids} if ids else None


UNIVERSITY_BUDGET = export_kind(ExportKind(
    name="budget_university", title=lambda p: _("Budget tables of %(code)s (.xlsx)") % {"code": _university_code(p)},
    allowed=_university_allowed, inputs=_university_tables,
    write=lambda data, p: workbook_bytes(_tables_workbook([table for _h, _n, table in data])),
    filename=lambda p: f"budget-{_university_code(p)}.xlsx", content_type=XLSX,
))  # fmt: skip
