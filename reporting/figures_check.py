"""`check_figures`: does every consumer of a tambon's figures show what the one source says?

The truth is the budget table (`selectors.budget_tables`, built on `selectors.line_figures`). Each consumer is
read the way it answers a person — the budget-table API's payload, the monthly-report API's payload for every
filed month, the .xlsx workbook's cells, the report form's figures, the over-budget check on the next open month,
the dashboards' stored summaries, the spending by expense type, the frozen figures of submitted 6/12-month reports — and every difference is
listed with the tambon, the line and the month."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum

from pbm.formats import month_label
from tambon.models import Tambon

from .api import BudgetTableSerializer, MonthlyReportSerializer, _table_data, monthly_report_data
from .dashboard.models import TambonFigures, TambonMonthFigures
from .dashboard.selectors import KINDS
from .deadlines.models import MouReport
from .deadlines.selectors import mou_figures
from .exports import budget_workbook
from .locks import FROZEN
from .models import CategoryKind, ExpenseSplit, MonthlyReport
from .selectors import BudgetTable, Row, budget_tables, months_lines

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Difference:
    tambon: str
    consumer: str
    what: str  # the line (code and name) or the group
    month: str  # a month label, or "" for the line's total, remaining, cumulative
    expected: object
    shown: object

    def __str__(self) -> str:
        where = f"{self.what} {self.month}".strip()
        return f"{self.tambon} · {self.consumer} · {where}: the table says {self.expected}, it shows {self.shown}"


def _money(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(CENT)


def _same(a, b) -> bool:
    return _money(a) == _money(b) or (_money(a) in (None, ZERO) and _money(b) in (None, ZERO))


def figures_check(*, tambons: QuerySet[Tambon], batch: int = 100) -> Iterator[Difference]:
    """Every difference between the table and its consumers, tambon by tambon (in batches of one programme)."""
    tambons = tambons.with_place().select_related("programme", "university").order_by("programme_id", "pk")
    ids = list(tambons.values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = list(tambons.filter(pk__in=ids[start : start + batch]))
        by_programme: dict[int, list[Tambon]] = defaultdict(list)
        for tambon in chunk:
            by_programme[tambon.programme_id].append(tambon)
        for group in by_programme.values():
            tables = budget_tables(tambons=group, programme=group[0].programme)
            yield from _xlsx(group, tables)
            yield from _summaries(group, tables)
            for tambon in group:
                yield from _tambon(tambon, tables[tambon.pk])
    yield from _mou(tambons)


def _label(row: Row) -> str:
    return f"{row.code} {row.name}".strip() or "รวมทั้งตำบล"


def _tambon(tambon: Tambon, table: BudgetTable) -> Iterator[Difference]:
    name = f"{tambon.pk} {tambon.place}"
    # The budget-table API, as serialized.
    api = BudgetTableSerializer(_table_data(table)).data
    for row, shown in zip(table.rows, api["rows"], strict=True):
        for key, value in (("total", row.total), ("remaining", row.remaining),
                           ("cumulative_plan", row.cumulative_plan), ("cumulative_actual", row.cumulative_actual)):  # fmt: skip
            if not _same(value, shown[key]):
                yield Difference(name, f"budget API {key}", _label(row), "", value, shown[key])
        for (y, m), (plan, actual), cell in zip(table.months, row.cells, shown["months"], strict=True):
            if not _same(plan, cell["plan"]) or not _same(actual, cell["actual"]):
                yield Difference(name, "budget API", _label(row), month_label(y, m), (plan, actual),
                                 (cell["plan"], cell["actual"]))  # fmt: skip
    # The monthly-report API and the report form, for every month that has a report.
    per_line = _line_rows(table)
    reports = {(r.year, r.month): r for r in MonthlyReport.objects.filter(tambon=tambon)}
    filed = [m for m in table.months if m in reports]
    lines = months_lines(tambon=tambon, months=filed) if filed else {}
    index = {m: i for i, m in enumerate(table.months)}
    for ym in filed:
        payload = MonthlyReportSerializer(monthly_report_data(tambon, *ym, reports[ym], lines[ym])).data
        for shown in payload["lines"]:
            expected = per_line.get(shown["line_id"])
            if expected is None:
                continue
            plan, actual = expected[index[ym]]
            if not _same(plan, shown["plan"]) or not _same(actual, shown["actual"]):
                yield Difference(name, "monthly-report API", f"{shown['code']} {shown['name']}", month_label(*ym),
                                 (plan, actual), (shown["plan"], shown["actual"]))  # fmt: skip
    yield from _splits(name, tambon, table, per_line)
    # The over-budget check on the next open month the table already covers, saved unchanged, must see exactly the
    # lines the table shows above their total (a month past the table's last reported month adds that month).
    through = table.reported_through
    open_month = next((m for m in table.months if m not in reports or reports[m].status not in FROZEN), None)
    if open_month is not None and through is not None and open_month <= through:
        from .services import over_budget_rows  # services import this module's neighbours

        figures = months_lines(tambon=tambon, months=[open_month])[open_month]
        current = {line.pk: figure.actual for line, figure in figures if not figure.is_wages}
        checked = {_label(r) for r in over_budget_rows(tambon=tambon, year=open_month[0], month=open_month[1],
                                                        actuals=current)}  # fmt: skip
        shown_over = {_label(r) for r in table.rows if r.level >= 2 and r.is_over_budget}
        if checked != shown_over:
            yield Difference(name, "over-budget check", ", ".join(sorted(checked ^ shown_over)),
                             month_label(*open_month), sorted(shown_over), sorted(checked))  # fmt: skip


def _splits(name: str, tambon: Tambon, table: BudgetTable, per_line: dict) -> Iterator[Difference]:
    """The spending by expense type: where a line's month is split, the parts add up to the table's actual."""
    index = {m: i for i, m in enumerate(table.months)}
    sums = (
        ExpenseSplit.objects.filter(amount_row__line__tambon=tambon)
        .values_list("amount_row__line_id", "amount_row__year", "amount_row__month")
        .annotate(total=Sum("amount"))
        .values_list("amount_row__line_id", "amount_row__year", "amount_row__month", "total")
    )
    for line_id, year, month, total in sums:
        expected, i = per_line.get(line_id), index.get((year, month))
        if expected is not None and i is not None and not _same(expected[i][1], total):
            yield Difference(name, "spending by expense type", f"line {line_id}", month_label(year, month),
                             expected[i][1], total)  # fmt: skip


def _line_rows(table: BudgetTable) -> dict[int, list[tuple[Decimal | None, Decimal | None]]]:
    """Per budget line, its own (plan, actual) by month, as the table holds them: a category row with activities
    sums its own line and theirs, so its own line is the row less its activities."""
    out: dict[int, list] = {}
    children: dict[int, list[Row]] = defaultdict(list)
    for row in table.rows:
        if row.level == 3 and row.line:
            out[row.line.pk] = row.cells
            children[row.category.pk].append(row)
    for row in table.rows:
        if row.level == 2 and row.line:
            kids = children.get(row.category.pk, [])
            if not kids:
                out[row.line.pk] = row.cells
                continue
            own = []
            for i, (plan, actual) in enumerate(row.cells):
                p = (plan or ZERO) - sum((k.cells[i][0] or ZERO for k in kids), ZERO)
                a = None if actual is None else actual - sum((k.cells[i][1] or ZERO for k in kids), ZERO)
                own.append((p or None, a))
            out[row.line.pk] = own
    return out


def _xlsx(tambons: list[Tambon], tables: dict[int, BudgetTable]) -> Iterator[Difference]:
    """The .xlsx as written: one sheet per tambon, a plan row and an actual row per table row."""
    workbook = budget_workbook(tambons)
    for tambon, sheet in zip(tambons, workbook.worksheets, strict=True):
        table = tables[tambon.pk]
        name = f"{tambon.pk} {tambon.place}"
        values = list(sheet.iter_rows(min_row=5, values_only=True))
        size = len(table.months)
        for i, row in enumerate(table.rows):
            plan_row, actual_row = values[2 * i], values[2 * i + 1]
            if not _same(row.total, plan_row[2]) or not _same(row.remaining, plan_row[3]):
                yield Difference(name, ".xlsx total/remaining", _label(row), "", (row.total, row.remaining),
                                 (plan_row[2], plan_row[3]))  # fmt: skip
            for j, (y, m) in enumerate(table.months):
                plan, actual = row.cells[j]
                if not _same(plan, plan_row[5 + j]) or not _same(actual, actual_row[5 + j]):
                    yield Difference(name, ".xlsx", _label(row), month_label(y, m), (plan, actual),
                                     (plan_row[5 + j], actual_row[5 + j]))  # fmt: skip
            if row.has_cumulative and not _same(row.cumulative_actual, actual_row[5 + size]):
                yield Difference(name, ".xlsx cumulative", _label(row), "", row.cumulative_actual,
                                 actual_row[5 + size])  # fmt: skip


@dataclass
class _KindGroup:
    """The group rows of one kind summed (a programme may have several groups of a kind: CDD's outputs)."""

    total: Decimal
    cells: list[tuple[Decimal | None, Decimal | None]]


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return b if a is None else a if b is None else a + b


def _kind_groups(table: BudgetTable) -> dict[str, _KindGroup]:
    out: dict[str, _KindGroup] = {}
    for row in table.rows:
        if row.level != 1 or not row.category:
            continue
        kind = row.category.kind
        if kind not in out:
            out[kind] = _KindGroup(row.total, list(row.cells))
            continue
        group = out[kind]
        group.total += row.total
        group.cells = [(_add(p1, p2), _add(a1, a2)) for (p1, a1), (p2, a2) in zip(group.cells, row.cells, strict=True)]
    return out


def _summaries(tambons: list[Tambon], tables: dict[int, BudgetTable]) -> Iterator[Difference]:
    """The dashboards' stored summary (what every dashboard, its export and API read) against the group rows."""
    ids = [t.pk for t in tambons]
    stored = {(f.tambon_id, f.year, f.month): f for f in TambonMonthFigures.objects.filter(tambon_id__in=ids)}
    totals = {f.tambon_id: f for f in TambonFigures.objects.filter(tambon_id__in=ids)}
    for tambon in tambons:
        table = tables[tambon.pk]
        name = f"{tambon.pk} {tambon.place}"
        groups = _kind_groups(table)
        summary = totals.get(tambon.pk)
        for kind in KINDS:
            group = groups.get(kind)
            label = str(CategoryKind(kind).label)
            total = group.total if group else ZERO
            if summary is None or not _same(total, getattr(summary, f"total_{kind}")):
                yield Difference(name, "dashboard summary", label, "", total,
                                 getattr(summary, f"total_{kind}", None))  # fmt: skip
            for j, (y, m) in enumerate(table.months):
                plan, actual = group.cells[j] if group else (None, None)
                row = stored.get((tambon.pk, y, m))
                shown = (getattr(row, f"plan_{kind}", None), getattr(row, f"actual_{kind}", None))
                if not _same(plan, shown[0]) or not _same(actual, shown[1]):
                    yield Difference(name, "dashboard summary", label, month_label(y, m), (plan, actual), shown)


def _mou(tambons: QuerySet[Tambon]) -> Iterator[Difference]:
    """A submitted or accepted 6/12-month report froze its figures: they must still be the months' figures."""
    universities = set(tambons.values_list("university_id", flat=True))
    for report in MouReport.objects.filter(university_id__in=universities, first_submitted_at__isnull=False,
                                           status__in=FROZEN).select_related("university"):  # fmt: skip
        live = mou_figures(report=report).as_json()
        for key in ("plan", "actual"):
            for kind, value in (report.figures.get(key) or {}).items():
                if not _same(value, live[key].get(kind)):
                    yield Difference(str(report.university), f"{report.get_period_display()} report {key}",
                                     str(CategoryKind(kind).label), "", live[key].get(kind), value)  # fmt: skip
