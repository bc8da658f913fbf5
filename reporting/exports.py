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
from tambon.models import Tambon

from .selectors import BudgetTable, budget_tables

MONEY_FORMAT = MONEY_XLSX_FORMAT  # formats' one rule: satang always shown, as on the page
PERCENT_FORMAT = "0.00"
BOLD = Font(bold=True)
GROUP_FILL = PatternFill("solid", fgColor="ECE6F3")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def budget_workbook(tambons: list[Tambon]) -> Workbook:
    """One sheet per tambon, all tables computed in the same few queries (tambons of one programme)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    if not tambons:
        return workbook
    tables = budget_tables(tambons=tambons, programme=tambons[0].programme)
    used: set[str] = set()
    for tambon in tambons:
        _write_sheet(workbook.create_sheet(_sheet_title(tambon, used)), tables[tambon.pk])
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


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    """Every workbook a page offers goes out through here: text stays text (pbm.exports)."""
    safe_workbook(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
