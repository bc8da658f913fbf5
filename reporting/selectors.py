"""Reads of budget plans and monthly reports: the PBM table (DOMAIN.md §4), computed in a fixed number of queries.

Figures follow the sample sheet: remaining = total − cumulative actual; % = cumulative actual ÷ cumulative plan
of the months reported (the months up to the latest month that has a report). Group rows and the tambon total
are sums of the lines under them, never typed in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import QuerySet

from pbm.models import ReviewStatus
from pbm.periods import month_due_date
from tambon import access
from tambon.models import Programme, Tambon, User
from tambon.roster.selectors import wages_due_by_month

from .models import (
    Activity,
    BudgetCategory,
    BudgetLine,
    CategoryKind,
    ExpenseSplit,
    ExpenseType,
    MonthlyAmount,
    MonthlyReport,
    ProgrammeSettings,
)

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

Month = tuple[int, int]


def month_due_dates(programme: Programme) -> list[tuple[Month, dt.date]]:
    """Each month of the programme with the day its report is due (the programme's due day of the next month);
    a report is on time up to the end of that day in Bangkok."""
    due_day = ProgrammeSettings.for_programme(programme).due_day
    return [(m, month_due_date(*m, due_day)) for m in programme.months()]


def hiring_actuals(*, tambon_ids: list[int], months: list[Month]) -> dict[tuple[int, int, int, int], Decimal]:
    """Wages due from the roster's accepted work (ตรวจรับงาน): {(tambon_id, hiring_type_id, year, month): baht}.
    One query whatever the number of tambons and months; `line_figures` puts them on the hiring lines."""
    return wages_due_by_month(tambon_ids=tambon_ids, months=months)


@dataclass(frozen=True)
class LineRef:
    """What `line_figures` needs to know of a budget line: whose it is, and whether its actuals are wages."""

    line_id: int
    tambon_id: int
    wage_type_id: int | None  # the hiring type whose wages are the line's actuals (hiring category lines 1.x)


def line_ref(line: BudgetLine, category: BudgetCategory) -> LineRef:
    wage_type = category.hiring_type_id if category.kind == CategoryKind.HIRING and not line.activity_id else None
    return LineRef(line.pk, line.tambon_id, wage_type)


@dataclass
class LineFigures:
    """The plan and actual of budget lines by month: {line_id: {month: baht}}. Months without a figure are absent."""

    plans: dict[int, dict[Month, Decimal]]
    actuals: dict[int, dict[Month, Decimal]]

    def plan(self, line_id: int, month: Month) -> Decimal | None:
        return self.plans.get(line_id, {}).get(month)

    def actual(self, line_id: int, month: Month) -> Decimal | None:
        return self.actuals.get(line_id, {}).get(month)


def line_figures(*, lines: list[LineRef], months: list[Month]) -> LineFigures:
    """THE plan and actual of every budget line and month: every figure the tracker shows starts here (the budget
    table, its .xlsx and API, the report form and the over-budget check, the monthly-report API, the dashboards'
    summaries, the 6/12-month reports, `check_figures`).

    Plans are what was planned. Actuals of a hiring line (1.1–1.3) are the wages due from the roster's accepted
    work for its hiring type, never an amount typed on the line; every other line's actual is what was filed.
    Two queries whatever the number of lines and months."""
    wanted = set(months)
    ids = [ref.line_id for ref in lines]
    wage_line = {(ref.tambon_id, ref.wage_type_id): ref.line_id for ref in lines if ref.wage_type_id}
    typed_ok = {ref.line_id for ref in lines if not ref.wage_type_id}
    plans: dict[int, dict[Month, Decimal]] = defaultdict(dict)
    actuals: dict[int, dict[Month, Decimal]] = defaultdict(dict)
    for line_id, year, month, plan, actual in MonthlyAmount.objects.filter(line_id__in=ids).values_list(
        "line_id", "year", "month", "plan", "actual"
    ):
        if (year, month) not in wanted:
            continue
        if plan:
            plans[line_id][(year, month)] = plan
        if actual is not None and line_id in typed_ok:
            actuals[line_id][(year, month)] = actual
    if wage_line:
        tambon_ids = sorted({t for t, _h in wage_line})
        for (tambon_id, type_id, year, month), amount in hiring_actuals(tambon_ids=tambon_ids, months=months).items():
            if line_id := wage_line.get((tambon_id, type_id)):
                actuals[line_id][(year, month)] = amount
    return LineFigures(dict(plans), dict(actuals))


def line_refs(*, tambon_ids: list[int]) -> dict[int, tuple[LineRef, str]]:
    """{line_id: (its LineRef, its category kind)} of these tambons' lines, one query."""
    return {
        pk: (LineRef(pk, tambon_id, type_id if kind == CategoryKind.HIRING and not activity_id else None), kind)
        for pk, tambon_id, kind, type_id, activity_id in BudgetLine.objects.filter(
            tambon_id__in=tambon_ids
        ).values_list("pk", "tambon_id", "category__kind", "category__hiring_type_id", "activity_id")
    }


def kind_month_sums(
    *, tambon_child: dict[int, int], months: list[Month]
) -> dict[tuple[int, int, int, str], tuple[Decimal, Decimal]]:
    """{(child, year, month, kind): (plan, actual)}: the PBM table's group rows (hiring, activity, management)
    summed over the tambons of each child (`tambon_child` maps a tambon to its child: itself, its university…),
    from `line_figures`. Three queries."""
    refs = line_refs(tambon_ids=list(tambon_child))
    figures = line_figures(lines=[ref for ref, _kind in refs.values()], months=months)
    out: dict[tuple[int, int, int, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for line_id, (ref, kind) in refs.items():
        child = tambon_child[ref.tambon_id]
        for (year, month), plan in figures.plans.get(line_id, {}).items():
            out[(child, year, month, kind)][0] += plan
        for (year, month), actual in figures.actuals.get(line_id, {}).items():
            out[(child, year, month, kind)][1] += actual
    return {k: (v[0], v[1]) for k, v in out.items()}


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


@dataclass
class Row:
    """One row of the PBM table: its plan (แผน) and actual (ผล) lines, and the computed columns."""

    code: str
    name: str
    level: int  # 0 tambon total, 1 group (1, 2, 3), 2 category line, 3 activity
    total: Decimal
    plans: list[Decimal | None]
    actuals: list[Decimal | None]
    reported: int  # how many of the months are reported (a prefix of the programme's months)
    explanation: str = ""
    line: BudgetLine | None = None
    activity: Activity | None = None
    category: BudgetCategory | None = None

    @cached_property  # a row is built once and read many times (remaining, %, over budget, the page)
    def cumulative_plan(self) -> Decimal:
        return sum((p or ZERO for p in self.plans[: self.reported]), ZERO)

    @cached_property
    def cumulative_actual(self) -> Decimal:
        return sum((a or ZERO for a in self.actuals[: self.reported]), ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.total - self.cumulative_actual

    @property
    def percent(self) -> Decimal | None:
        if not self.cumulative_plan:
            return None
        return (self.cumulative_actual * HUNDRED / self.cumulative_plan).quantize(CENT)

    @property
    def has_cumulative(self) -> bool:
        return bool(self.cumulative_plan or self.cumulative_actual)

    @property
    def planned_total(self) -> Decimal:
        return sum((p or ZERO for p in self.plans), ZERO)

    @property
    def plan_gap(self) -> Decimal:
        """How far the planned months fall short of the total (negative: planned beyond it)."""
        return self.total - self.planned_total

    @property
    def plan_gap_abs(self) -> Decimal:
        return abs(self.plan_gap)

    @property
    def is_over_budget(self) -> bool:
        return self.cumulative_actual > self.total

    @property
    def cells(self) -> list[tuple[Decimal | None, Decimal | None]]:
        return list(zip(self.plans, self.actuals, strict=True))


@dataclass
class MonthState:
    year: int
    month: int
    report_id: int | None = None
    status: str = ""
    is_late: bool = False

    @property
    def status_label(self) -> str:
        return ReviewStatus(self.status).label if self.status else ""


@dataclass
class BudgetTable:
    tambon: Tambon
    months: list[Month]
    rows: list[Row]
    month_states: list[MonthState]
    reported: int
    has_lines: bool
    plan_gaps: list[Row] = field(default_factory=list)

    @property
    def reported_through(self) -> Month | None:
        return self.months[self.reported - 1] if self.reported else None

    @property
    def by_line(self) -> list[tuple[Row, list[tuple[MonthState, Decimal | None, Decimal | None]]]]:
        """Each row with its months (state, plan, actual): the budget table one line at a time, as a phone shows it."""
        return [(row, list(zip(self.month_states, row.plans, row.actuals, strict=True))) for row in self.rows]

    @property
    def filing(self) -> MonthState | None:
        """The month being filed: the first one not yet submitted or accepted (the table opens scrolled to it)."""
        return next((s for s in self.month_states if s.status not in ("submitted", "accepted")), None)


def budget_tables(
    *,
    tambons: list[Tambon],
    programme: Programme,
    overrides: dict[tuple[int, Month], Decimal | None] | None = None,
    reported_at_least: Month | None = None,
) -> dict[int, BudgetTable]:
    """The PBM table of each tambon, in 5 queries whatever the number of tambons, lines and activities.

    `overrides` ({(line id, month): actual}) and `reported_at_least` show the table as it would be once a month's
    figures are saved: the over-budget check reads that, so it never disagrees with the table."""
    months = programme.months()
    index = {m: i for i, m in enumerate(months)}
    ids = [t.pk for t in tambons]
    categories = list(BudgetCategory.objects.filter(programme=programme).order_by("position"))
    lines = list(
        BudgetLine.objects.filter(tambon_id__in=ids)
        .select_related("activity__expense_type")
        .order_by("activity__start_date", "activity_id")
    )
    category_by_id = {c.pk: c for c in categories}
    figures = line_figures(lines=[line_ref(line, category_by_id[line.category_id]) for line in lines], months=months)
    if overrides:
        for (line_id, ym), amount in overrides.items():
            if amount is None:
                figures.actuals.get(line_id, {}).pop(ym, None)
            else:
                figures.actuals.setdefault(line_id, {})[ym] = amount
    plans = {pk: [by_month.get(m) for m in months] for pk, by_month in figures.plans.items()}
    actuals = {pk: [by_month.get(m) for m in months] for pk, by_month in figures.actuals.items()}
    states: dict[int, list[MonthState]] = {t: [MonthState(y, m) for y, m in months] for t in ids}
    for report_id, tambon_id, year, month, status, is_late in MonthlyReport.objects.filter(
        tambon_id__in=ids
    ).values_list("id", "tambon_id", "year", "month", "status", "is_late"):
        if (year, month) in index:
            states[tambon_id][index[(year, month)]] = MonthState(year, month, report_id, status, is_late)

    by_tambon: dict[int, list[BudgetLine]] = defaultdict(list)
    for line in lines:
        by_tambon[line.tambon_id].append(line)
    floor = index[reported_at_least] + 1 if reported_at_least in index else 0
    return {
        tambon.pk: _table(tambon, months, categories, category_by_id, by_tambon[tambon.pk], plans, actuals,
                          states[tambon.pk], floor)
        for tambon in tambons
    }  # fmt: skip


def _table(tambon, months, categories, category_by_id, lines, plans, actuals, states, floor=0) -> BudgetTable:
    reported = max(floor, max((i + 1 for i, s in enumerate(states) if s.report_id), default=0))
    size = len(months)
    nothing = [None] * size

    def line_row(line: BudgetLine, level: int) -> Row:
        category = category_by_id[line.category_id]
        return Row(
            code="" if line.activity_id else category.code,
            name=line.activity.name if line.activity_id else category.name,
            level=level, total=line.total, plans=plans.get(line.pk, nothing), actuals=actuals.get(line.pk, nothing),
            reported=reported,
            explanation=line.explanation, line=line, activity=line.activity, category=category,
        )  # fmt: skip

    def sum_row(code, name, level, children: list[Row], total: Decimal, **extra) -> Row:
        return Row(
            code=code, name=name, level=level, total=total, reported=reported,
            plans=[_sum([c.plans[i] for c in children]) for i in range(size)],
            actuals=[_sum([c.actuals[i] for c in children]) for i in range(size)],
            **extra,
        )  # fmt: skip

    own = {line.category_id: line for line in lines if not line.activity_id}
    activities = defaultdict(list)
    for line in lines:
        if line.activity_id:
            activities[line.category_id].append(line)

    rows: list[Row] = []
    groups: list[Row] = []
    for group in (c for c in categories if c.parent_id is None):
        leaves: list[Row] = []
        block: list[Row] = []
        for category in (c for c in categories if c.parent_id == group.pk):
            line = own.get(category.pk)
            base = line_row(line, 2) if line else Row(category.code, category.name, 2, ZERO, [None] * size,
                                                      [None] * size, reported, category=category)  # fmt: skip
            children = [line_row(a, 3) for a in activities[category.pk]]
            if children:  # the category row adds its activities to what is planned on the category itself
                leaf = sum_row(category.code, category.name, 2, [base, *children], base.total,
                               explanation=base.explanation, line=base.line, category=category)  # fmt: skip
            else:
                leaf = base
            leaves.append(leaf)
            block += [leaf, *children]
        group_row = sum_row(group.code, group.name, 1, leaves, sum((r.total for r in leaves), ZERO), category=group)
        groups.append(group_row)
        rows += [group_row, *block]
    total_row = sum_row("", "", 0, groups, sum((g.total for g in groups), ZERO))
    rows.insert(0, total_row)
    gaps = [r for r in rows if r.level >= 2 and r.plan_gap]
    return BudgetTable(tambon, months, rows, states, reported, bool(lines), gaps)


def budget_table(*, tambon: Tambon) -> BudgetTable:
    return budget_tables(tambons=[tambon], programme=tambon.programme)[tambon.pk]


# --- activities, lines, reports -------------------------------------------------------------------------


def activity_list(*, user: User, tambon: Tambon | None = None) -> QuerySet[Activity]:
    """Activities the user may see (scoped by tambon/access.py), with their category and expense type."""
    qs = access.filter_by_tambon(user, Activity.objects.with_category())
    return qs.filter(tambon=tambon) if tambon is not None else qs


def line_amounts(*, line: BudgetLine) -> dict[Month, MonthlyAmount]:
    return {(a.year, a.month): a for a in line.amounts.all()}


def monthly_report_find(*, tambon: Tambon, year: int, month: int) -> MonthlyReport | None:
    report = (
        MonthlyReport.objects.filter(tambon=tambon, year=year, month=month)
        .select_related("submitted_by", "reviewed_by")
        .first()
    )
    if report is not None:
        report.tambon = tambon  # the caller's, with its place and programme: not read again
    return report


@dataclass
class MonthFigure:
    """A line's plan and actual in one month, from `line_figures` (a hiring line's actual is its wages due)."""

    plan: Decimal | None
    actual: Decimal | None
    is_wages: bool


def month_lines(*, tambon: Tambon, year: int, month: int, figures: bool = True) -> list[tuple[BudgetLine, MonthFigure]]:
    """The tambon's lines in table order, each with its figures for the month (without `figures`, only whether its
    actual is wages: what a posted form needs to know its boxes, in one query)."""
    return months_lines(tambon=tambon, months=[(year, month)], figures=figures)[(year, month)]


def months_lines(
    *, tambon: Tambon, months: list[Month], figures: bool = True
) -> dict[Month, list[tuple[BudgetLine, MonthFigure]]]:
    """`month_lines` for several months at once, in three queries."""
    lines = list(
        BudgetLine.objects.filter(tambon=tambon)
        .select_related("category", "activity")
        .order_by("category__position", "activity__start_date", "activity_id")
    )
    refs = [line_ref(line, line.category) for line in lines]
    figures = line_figures(lines=refs, months=months) if figures else LineFigures({}, {})
    return {
        ym: [(line, MonthFigure(figures.plan(line.pk, ym), figures.actual(line.pk, ym), bool(ref.wage_type_id)))
             for line, ref in zip(lines, refs, strict=True)]
        for ym in months
    }  # fmt: skip


REVIEW_FLAGS = ("late", "over_budget")


def review_list_filter(
    qs: QuerySet, *, kind: str, university_id: int | None = None, month: tuple[int, int] | None = None,
    flags: tuple[str, ...] = (),
) -> QuerySet:  # fmt: skip
    """Narrow a review list: a university, a month (the report's month; a completion report's completion month),
    flags (late; over budget, for monthly reports)."""
    if kind == "mou":  # a university's (or network's) own report: no month, no flags
        return qs.filter(university_id=university_id) if university_id else qs
    tambon = "tambon" if kind == "monthly" else "activity__tambon"
    if university_id:
        qs = qs.filter(**{f"{tambon}__university_id": university_id})
    if month:
        if kind == "monthly":
            qs = qs.filter(year=month[0], month=month[1])
        else:
            qs = qs.filter(activity__completed_on__year=month[0], activity__completed_on__month=month[1])
    if "late" in flags:
        qs = qs.filter(is_late=True)
    if "over_budget" in flags and kind == "monthly":
        qs = qs.filter(is_over_budget=True)
    return qs


def reports_to_review(*, user: User, status: str = ReviewStatus.SUBMITTED) -> QuerySet[MonthlyReport]:
    """Monthly reports the user may review (access.reviewable): the RSI's network area, or everything for the NSI,
    less those of a university they file for and those they submitted or changed."""
    qs = access.reviewable(
        user,
        MonthlyReport.objects.select_related(
            "tambon__subdistrict__district__province", "tambon__university", "tambon__network", "submitted_by"
        ),
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("year", "month", "submitted_at", "id")


# --- spending by expense type (issue #15 item 9) -----------------------------------------------------------------


def expense_splits(*, tambon: Tambon, year: int, month: int) -> dict[int, dict[int, Decimal]]:
    """{line: {expense type: amount}} of the tambon's month, as filed (one query)."""
    out: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for line_id, type_id, amount in ExpenseSplit.objects.filter(
        amount_row__line__tambon=tambon, amount_row__year=year, amount_row__month=month
    ).values_list("amount_row__line_id", "expense_type_id", "amount"):
        out[line_id][type_id] = amount
    return dict(out)


def funded_expense_types(programme_id: int) -> QuerySet[ExpenseType]:
    return ExpenseType.objects.filter(programme_id=programme_id, funded=True).order_by("position")


def spending_by_expense_type(
    *, tambons: QuerySet[Tambon], months: list[tuple[int, int]] | None = None
) -> list[tuple[ExpenseType, Decimal]]:
    """The split actuals of `tambons` summed per expense type (for `months`, or all), largest first."""
    from django.db.models import Q, Sum

    rows = ExpenseSplit.objects.filter(amount_row__line__tambon__in=tambons)
    if months:
        either = Q()
        for year, month in months:
            either |= Q(amount_row__year=year, amount_row__month=month)
        rows = rows.filter(either)
    totals = dict(
        rows.values_list("expense_type_id").annotate(total=Sum("amount")).values_list("expense_type_id", "total")
    )
    kinds = ExpenseType.objects.in_bulk(list(totals))
    return sorted(((kinds[pk], total) for pk, total in totals.items()), key=lambda row: -row[1])
