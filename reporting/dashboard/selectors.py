"""Figures of the reviewers' dashboards, one widget at a time, for any set of tambons grouped by child unit.

Every widget is a fixed handful of aggregate queries `GROUP BY` the child unit (network, university or tambon):
the query count does not grow with the number of tambons, people or months. The sums over the largest tables
(monthly amounts, accepted work, contracts, certificate runs) are read from per-tambon summary tables that
`services.dashboard_refresh` fills with the `live_*` functions below; the page says when they were refreshed. The definitions are those of the
pages the figures link to, so the numbers agree:
- completeness: `MonthlyReport` rows of active tambons; on time = submitted and not `is_late` (set at the first
  submission against `MonthlyReport.deadline`, the end of the due day in Bangkok, as `tambons_late` counts);
- spending: the PBM table's rows (`reporting.selectors.budget_tables`): plans from `MonthlyAmount`, actuals of
  hiring lines from accepted work (`wages_due_by_month`), of the other lines from `MonthlyAmount.actual`;
- instalment 2: eligible when the report that unlocks it (the university's, or the filing unit's above the
  tambon) is accepted (`instalment_2_unlocking`, as `instalments_for` reads it);
- hiring: contract statuses and quotas (`team_fill`), certificate eligibility = a run of at least
  the programme's consecutive passed months (`certificate_candidates`, `certificate_months`);
- classification: `TambonClassification` rows (`class_distribution`, `class_movements`) and the goal results
  of accepted assessments of the quarter.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db import connection, connections, router
from django.db.models import (
    Count,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from assessment.models import ClassBand, Goal, TambonClassification
from assessment.quarters import previous_quarter, programme_quarters
from pbm.models import ReviewStatus
from pbm.periods import Quarter, fiscal_quarter, programme_quarter, quarter_months
from tambon.models import HiringType, Network, Programme, Tambon, Unit, University
from tambon.roster.models import Contract, ContractStatus, WorkAcceptance
from tambon.roster.selectors import certificate_months

from ..deadlines.models import CompletionReport
from ..deadlines.selectors import instalment_2_unlocking
from ..models import BudgetLine, CategoryKind, MonthlyReport
from ..selectors import kind_month_sums, month_due_dates
from .models import DisbursementTarget, TambonFigures, TambonHiringFigures, TambonMonthFigures

ZERO = Decimal(0)
HUNDRED = Decimal(100)
Month = tuple[int, int]


# --- where and when ---------------------------------------------------------------------------------------


@dataclass
class Child:
    """A row of a widget: one network, university or tambon one level below the page."""

    pk: int
    name: str
    level: str  # "network" | "university" | "tambon" | "unit" (a unit of a programme's tree)


@dataclass
class Level:
    """A dashboard page: its tambons (already scoped by tambon/access.py) and how they group into children."""

    kind: str  # "national" | "network" | "university" | "tambon"
    programme: Programme
    tambons: QuerySet[Tambon]  # active tambons of the programme in this page's scope
    key: str  # the Tambon field the children group by: network_id, university_id or id
    network: Network | None = None
    university: University | None = None
    tambon: Tambon | None = None
    unit: Unit | None = None  # the page's unit when it is a page of the unit tree (any programme)

    @cached_property
    def tambon_counts(self) -> dict[int, tuple[int, int]]:
        """Per child: active tambons, and those eligible for instalment 2 (`instalment_2_unlocking`, the
        instalments page's rule). One query, shared by the widgets that each counted them."""
        unlocked = instalment_2_unlocking(self.programme).eligible()
        return {
            key: (n, eligible)
            for key, n, eligible in self.tambons.order_by()  # no ORDER BY: the default one joins to sort
            .values_list(self.key)
            .annotate(n=Count("pk"), eligible=Count("pk", filter=unlocked))
            .values_list(self.key, "n", "eligible")
        }

    @cached_property
    def tambons_per_child(self) -> dict[int, int]:
        """Active tambons per child."""
        return {key: n for key, (n, _eligible) in self.tambon_counts.items()}

    @cached_property
    def summary(self) -> dict[int | None, dict]:
        """The per-tambon summary rows (`TambonFigures`) summed per child: one query shared by spending (budgets),
        hiring (certificates eligible) and the page's freshness note (oldest refresh), which each read the table."""
        group = self.path("tambon__")
        sums = {f"total_{kind}": Sum(f"total_{kind}") for kind in KINDS}
        return {
            row[group]: row
            for row in TambonFigures.objects.filter(tambon__in=self.tambons)
            .values(group)
            .annotate(**sums, certificates_eligible=Sum("certificates_eligible"), refreshed_at=Min("refreshed_at"))
            .order_by()
        }

    @property
    def child_level(self) -> str:
        if self.key.startswith("unit__ancestor_"):
            return "unit"
        return {"network_id": "network", "university_id": "university", "id": "tambon"}[self.key]

    def path(self, prefix: str) -> str:
        """The child key seen from a model that reaches the tambon through `prefix` (e.g. "tambon__")."""
        return f"{prefix}{self.key}" if self.key != "id" else f"{prefix.rstrip('_').rstrip('_')}_id"


def children(level: Level) -> list[Child]:
    """The child units that have active tambons in the page's scope, in the hierarchy's order (one query; none
    on a tambon's page, whose tambon the view has read)."""
    if level.kind == "tambon" and level.tambon is not None:
        tambon = level.tambon
        return [Child(tambon.pk, tambon.place, "tambon")] if level.tambons_per_child.get(tambon.pk) else []
    ids = level.tambons.values(level.key)
    if level.key == "network_id":
        rows = Network.objects.filter(pk__in=ids).order_by("number")
        return [Child(n.pk, str(n), "network") for n in rows]
    if level.key == "university_id":
        rows = University.objects.filter(pk__in=ids).order_by("code")
        return [Child(u.pk, u.name, "university") for u in rows]
    if level.key.startswith("unit__ancestor_"):
        return [Child(u.pk, u.name, "unit") for u in Unit.objects.filter(pk__in=ids).order_by("code")]
    # only what `Tambon.place` reads (not `with_place`'s university, network and programme with its definition)
    rows = level.tambons.select_related("subdistrict__district__province", "unit__level").order_by("subdistrict_id")
    return [Child(t.pk, t.place, "tambon") for t in rows]


@dataclass
class Period:
    """What the filters chose: a month, or a whole programme quarter (its three months)."""

    programme: Programme
    months: list[Month]  # the months the completeness and resignation figures count
    quarter: Quarter  # the assessment quarter (classification)
    kind: str  # "month" | "quarter"

    @property
    def through(self) -> Month:
        """Spending is cumulative up to the end of this month."""
        return self.months[-1]


def due_dates(programme: Programme) -> list[tuple[Month, dt.date]]:
    """`month_due_dates`, read once per programme object (one object per request): the default month and the
    action list both need it."""
    cached = getattr(programme, "_pbm_due_dates", None)
    if cached is None:
        cached = programme._pbm_due_dates = month_due_dates(programme)
    return cached


def default_month(programme: Programme, today: dt.date | None = None) -> Month:
    """The latest programme month that is already due and that someone has reported; with no reports yet, the
    latest month due (else the first month). After the programme's end this stays on its last reported month,
    not on months nobody filed (those show in the action list)."""
    today = today or timezone.localdate()
    due = [m for m, due_on in due_dates(programme) if due_on <= today]
    if not due:
        return programme.months()[0]
    last = (
        MonthlyReport.objects.filter(tambon__programme=programme, first_submitted_at__isnull=False)
        .order_by("-year", "-month")  # backwards along the (year, month) index, stopping at the first
        .values_list("year", "month")
        .first()
    )
    reported = [m for m in due if last and m <= last]
    return reported[-1] if reported else due[-1]


def period_for(programme: Programme, *, month: Month | None = None, quarter: Quarter | None = None) -> Period:
    if quarter is not None:
        return Period(programme, quarter_months(programme.start_date, quarter), quarter, "quarter")
    month = month or default_month(programme)
    return Period(programme, [month], classified_quarter(programme, dt.date(*month, 1)), "month")


def classified_quarter(programme: Programme, day: dt.date) -> Quarter:
    """For a month's page: the latest quarter up to the month's own that has classified tambons (else the month's
    own), so the classes show as they last stood rather than an empty quarter whose assessments are under way."""
    own = programme_quarter(programme.start_date, day)
    last = TambonClassification.objects.filter(programme=programme, quarter__lte=str(own)).aggregate(
        last=Max("quarter")
    )["last"]
    return Quarter.parse(last) if last else own


# --- completeness and timeliness ------------------------------------------------------------------------------


@dataclass
class Completeness:
    child: Child
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    awaiting_review: int = 0
    returned: int = 0
    accepted: int = 0

    @property
    def not_filed(self) -> int:
        return self.expected - self.submitted

    @property
    def share_on_time(self) -> Decimal | None:
        return (Decimal(self.on_time) * HUNDRED / self.expected).quantize(Decimal("0.1")) if self.expected else None


COUNTS = ("submitted", "on_time", "awaiting_review", "returned", "accepted")


@dataclass
class ReportFigures:
    """The monthly reports in the page's scope, counted once per child and month (one query): what completeness,
    the action list, the disbursement chart and the freshness note read."""

    by_month: dict[tuple[int, int, int], dict[str, int]]  # (child, year, month) → the COUNTS
    last_month: int | None  # year × 100 + month of the latest month with a report
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None

    def per_child(self, months: list[Month]) -> dict[int, dict[str, int]]:
        """The COUNTS of these months, summed per child in one pass."""
        wanted, out = set(months), defaultdict(lambda: dict.fromkeys(COUNTS, 0))
        for (key, year, month), counts in self.by_month.items():
            if (year, month) in wanted:
                for name in COUNTS:
                    out[key][name] += counts[name]
        return out

    def per_month(self, name: str) -> dict[Month, int]:
        """One of the COUNTS for the whole scope, month by month."""
        out: dict[Month, int] = defaultdict(int)
        for (_key, year, month), counts in self.by_month.items():
            out[(year, month)] += counts[name]
        return out

    def scope_total(self, name: str) -> int:
        return sum(counts[name] for counts in self.by_month.values())


def report_figures(level: Level) -> ReportFigures:
    group = level.path("tambon__")
    by_month, last, submitted_at, reviewed_at = {}, None, [], []
    for key, year, month, *counts, last_submitted, last_reviewed in (
        MonthlyReport.objects.filter(tambon__in=level.tambons)
        .values_list(group, "year", "month")
        .annotate(  # after the group: the COUNTS in their order, then the latest submission and review
            submitted=Count("pk", filter=Q(first_submitted_at__isnull=False)),
            on_time=Count("pk", filter=Q(first_submitted_at__isnull=False, is_late=False)),
            awaiting_review=Count("pk", filter=Q(status=ReviewStatus.SUBMITTED)),
            returned=Count("pk", filter=Q(status=ReviewStatus.RETURNED)),
            accepted=Count("pk", filter=Q(status=ReviewStatus.ACCEPTED)),
            last_submitted=Max("submitted_at"),
            last_reviewed=Max("reviewed_at"),
        )
        .order_by()
    ):
        by_month[(key, year, month)] = dict(zip(COUNTS, counts, strict=True))
        last = max(last or 0, year * 100 + month)
        submitted_at += [last_submitted] if last_submitted else []
        reviewed_at += [last_reviewed] if last_reviewed else []
    return ReportFigures(by_month, last, max(submitted_at, default=None), max(reviewed_at, default=None))


def completeness(
    level: Level, period: Period, kids: list[Child], reports: ReportFigures | None = None
) -> tuple[list[Completeness], Completeness]:
    """Per child: expected reports (active tambons × months) and how they stand."""
    reports = reports or report_figures(level)
    rows = {c.pk: Completeness(c) for c in kids}
    for key, n in level.tambons_per_child.items():
        if key in rows:
            rows[key].expected = n * len(period.months)
    counted = reports.per_child(period.months)
    for key, item in rows.items():
        for name in COUNTS:
            setattr(item, name, counted.get(key, {}).get(name, 0))
        item.late = item.submitted - item.on_time
    items = list(rows.values())
    total = Completeness(Child(0, "", ""))
    for name in ("expected", "submitted", "on_time", "late", "awaiting_review", "returned", "accepted"):
        setattr(total, name, sum(getattr(i, name) for i in items))
    return items, total


@dataclass
class ActionList:
    """What needs action today in the page's scope."""

    late_months: list[tuple[Month, int]]  # months past their deadline, and tambons that did not file on time
    returned: int  # monthly reports returned and not yet re-submitted
    completion_overdue: int  # 7-day completion reports not filed and past due
    reports_to_review: int  # monthly reports submitted and waiting for a reviewer of this scope
    completion_to_review: int


def action_list(level: Level, today: dt.date, reports: ReportFigures) -> ActionList:
    """Two queries besides the report figures, whatever the number of tambons and months."""
    past = [m for m, due_on in due_dates(level.programme) if due_on < today]
    tambon_count = sum(level.tambons_per_child.values())
    on_time = reports.per_month("on_time")
    late = [(m, tambon_count - on_time.get(m, 0)) for m in past]
    completion = CompletionReport.objects.filter(activity__tambon__in=level.tambons).aggregate(
        overdue=Count("pk", filter=Q(first_submitted_at__isnull=True, due_on__lt=today)),
        waiting=Count("pk", filter=Q(status=ReviewStatus.SUBMITTED)),
    )
    return ActionList(
        late_months=[(m, n) for m, n in late if n], returned=reports.scope_total("returned"),
        completion_overdue=completion["overdue"], reports_to_review=reports.scope_total("awaiting_review"),
        completion_to_review=completion["waiting"],
    )  # fmt: skip


# --- spending -----------------------------------------------------------------------------------------------


KINDS = [k for k, _label in CategoryKind.choices]


@dataclass
class KindFigures:
    total: Decimal = ZERO  # the budget (category lines' totals, as the PBM table's group rows)
    plan: Decimal = ZERO  # cumulative to the period's last month
    actual: Decimal = ZERO

    @property
    def percent(self) -> Decimal | None:
        return (self.actual * HUNDRED / self.plan).quantize(Decimal("0.1")) if self.plan else None


@dataclass
class Spending:
    child: Child
    kinds: dict[str, KindFigures] = field(default_factory=lambda: {k: KindFigures() for k in KINDS})
    disbursed: Decimal | None = None  # % of the fiscal year's plan, through the period's fiscal quarter
    instalment_eligible: int = 0
    tambons: int = 0

    @property
    def plan(self) -> Decimal:
        return sum((k.plan for k in self.kinds.values()), ZERO)

    @property
    def actual(self) -> Decimal:
        return sum((k.actual for k in self.kinds.values()), ZERO)

    @property
    def total(self) -> Decimal:
        return sum((k.total for k in self.kinds.values()), ZERO)

    @property
    def percent(self) -> Decimal | None:
        return (self.actual * HUNDRED / self.plan).quantize(Decimal("0.1")) if self.plan else None


@dataclass
class MonthPoint:
    month: Month
    plan: dict[str, Decimal]  # cumulative, by kind
    actual: dict[str, Decimal]


@dataclass
class QuarterPoint:
    fiscal_year: int
    quarter: int
    target: Decimal
    disbursed: Decimal | None  # % of the fiscal year's plan
    reached: bool  # the programme has reported through this quarter's end

    @property
    def meets(self) -> bool:
        return self.disbursed is not None and self.disbursed >= self.target


@dataclass
class SpendingWidget:
    rows: list[Spending]
    total: Spending
    series: list[MonthPoint]  # the page's scope, every programme month
    quarters: list[QuarterPoint]
    fiscal: tuple[int, int]  # (fiscal year, quarter) of the period's last month


def _path(key: str, prefix: str) -> str:
    return f"{prefix}{key}" if key != "id" else f"{prefix.rstrip('_')}_id"


def live_monthly_sums(tambons: QuerySet[Tambon], key: str) -> dict[tuple[int, int, int, str], tuple[Decimal, Decimal]]:
    """{(child, year, month, kind): (plan, actual)} straight from the records: the PBM table's group rows summed
    over the tambons of each child, from the one source of figures (`reporting.selectors.line_figures`).
    Four queries; what `dashboard_refresh` stores per tambon."""
    tambon_child = dict(tambons.values_list("id", key))
    months = sorted(
        {m for p in Programme.objects.filter(tambons__in=list(tambon_child)).distinct() for m in p.months()}
    )
    return kind_month_sums(tambon_child=tambon_child, months=months)


def live_totals(tambons: QuerySet[Tambon], key: str) -> dict[tuple[int, str], Decimal]:
    """{(child, kind): budget}: the category lines' totals, as the PBM table's group rows."""
    return {
        (child, kind): total or ZERO
        for child, kind, total in BudgetLine.objects.filter(tambon__in=tambons, activity__isnull=True)
        .values_list(_path(key, "tambon__"), "category__kind")
        .annotate(total=Sum("total"))
    }


def monthly_sums(level: Level) -> dict[tuple[int, int, int, str], tuple[Decimal, Decimal]]:
    """The same as `live_monthly_sums`, from the summary table: one query over tambons × months."""
    columns = {f"{w}_{k}": Sum(f"{w}_{k}") for k in KINDS for w in ("plan", "actual")}
    months = set(level.programme.months())
    out = {}
    for key, year, month, *sums in (
        TambonMonthFigures.objects.filter(tambon__in=level.tambons)
        .values_list(level.path("tambon__"), "year", "month")
        .annotate(**columns)  # after the group: plan and actual of each kind, in `columns`' order
    ):
        if (year, month) not in months:
            continue
        for i, kind in enumerate(KINDS):
            out[(key, year, month, kind)] = (sums[2 * i] or ZERO, sums[2 * i + 1] or ZERO)
    return out


def spending(level: Level, period: Period, kids: list[Child], reports: ReportFigures | None = None) -> SpendingWidget:
    """Plan against actual by kind, disbursement against the fiscal-quarter targets, instalment 2. Two queries
    besides the level's tambon counts and summary rows (`Level.tambon_counts`, `Level.summary`, shared)."""
    months = level.programme.months()
    position = {m: i for i, m in enumerate(months)}
    through = position[period.through]
    sums = monthly_sums(level)
    rows = {c.pk: Spending(c) for c in kids}
    for key, row in level.summary.items():
        item = rows.get(key)
        for kind in KINDS if item is not None else ():
            item.kinds[kind].total += row[f"total_{kind}"] or ZERO
    fiscal_of = {m: fiscal_quarter(dt.date(*m, 1)) for m in months}
    fiscal = fiscal_of[period.through]
    fy_plan: dict[int, Decimal] = defaultdict(lambda: ZERO)
    fy_actual: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (key, year, month, kind), (plan, actual) in sums.items():
        item = rows.get(key)
        if item is None:
            continue
        if position[(year, month)] <= through:
            item.kinds[kind].plan += plan
            item.kinds[kind].actual += actual
        fy, q = fiscal_of[(year, month)]
        if fy == fiscal[0]:
            fy_plan[key] += plan
            if q <= fiscal[1]:
                fy_actual[key] += actual
    for key, item in rows.items():
        item.disbursed = _percent(fy_actual[key], fy_plan[key])
    for key, (tambons, eligible) in level.tambon_counts.items():
        if key in rows:
            rows[key].tambons, rows[key].instalment_eligible = tambons, eligible
    items = list(rows.values())
    total = Spending(Child(0, "", ""))
    for item in items:
        for kind in KINDS:
            for name in ("total", "plan", "actual"):
                setattr(total.kinds[kind], name, getattr(total.kinds[kind], name) + getattr(item.kinds[kind], name))
        total.tambons += item.tambons
        total.instalment_eligible += item.instalment_eligible
    series, quarters = _scope_series(
        sums, months, fiscal_of, (reports or report_figures(level)).last_month, level.programme
    )
    total.disbursed = next((q.disbursed for q in quarters if (q.fiscal_year, q.quarter) == fiscal), None)
    return SpendingWidget(items, total, series, quarters, fiscal)


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part * HUNDRED / whole).quantize(Decimal("0.1")) if whole else None


def _scope_series(
    sums, months, fiscal_of, last_month: int | None, programme: Programme
) -> tuple[list[MonthPoint], list[QuarterPoint]]:
    by_month: dict[Month, dict[str, list[Decimal]]] = defaultdict(lambda: {k: [ZERO, ZERO] for k in KINDS})
    for (_key, year, month, kind), (plan, actual) in sums.items():
        by_month[(year, month)][kind][0] += plan
        by_month[(year, month)][kind][1] += actual
    series, plan, actual = [], dict.fromkeys(KINDS, ZERO), dict.fromkeys(KINDS, ZERO)
    for m in months:
        for kind in KINDS:
            plan[kind] += by_month[m][kind][0]
            actual[kind] += by_month[m][kind][1]
        series.append(MonthPoint(m, dict(plan), dict(actual)))
    targets = dict(DisbursementTarget.objects.filter(programme=programme).values_list("quarter", "cumulative_share"))
    reported = divmod(last_month, 100) if last_month else None
    quarters = []
    for fy, q in dict.fromkeys(fiscal_of[m] for m in months):
        year_months = [m for m in months if fiscal_of[m][0] == fy]
        fy_plan = sum((sum(by_month[m][k][0] for k in KINDS) for m in year_months), ZERO)
        done = [m for m in year_months if fiscal_of[m][1] <= q]
        fy_actual = sum((sum(by_month[m][k][1] for k in KINDS) for m in done), ZERO)
        quarters.append(QuarterPoint(fy, q, targets.get(q, ZERO), _percent(fy_actual, fy_plan),
                                     reported is not None and done[-1] <= reported))  # fmt: skip
    return series, quarters


# --- hiring ---------------------------------------------------------------------------------------------------


@dataclass
class Hiring:
    child: Child
    hired: dict[int, int] = field(default_factory=dict)  # hiring type id → active contracts
    quota: dict[int, int] = field(default_factory=dict)
    reserve: int = 0
    resigned: int = 0  # left in the period's months
    certificates_eligible: int = 0

    @property
    def hired_total(self) -> int:
        return sum(self.hired.values())

    @property
    def quota_total(self) -> int:
        return sum(self.quota.values())

    @property
    def vacancies(self) -> int:
        return sum(max(self.quota.get(t, 0) - self.hired.get(t, 0), 0) for t in self.quota)

    @property
    def fill_rate(self) -> Decimal | None:
        return _percent(Decimal(self.hired_total), Decimal(self.quota_total))


@dataclass
class HiringWidget:
    types: list[HiringType]
    rows: list[Hiring]
    total: Hiring


def hiring(level: Level, period: Period, kids: list[Child]) -> HiringWidget:
    """Filled against quota by type, vacancies, resignations in the period, certificates eligible. Three queries
    besides the level's summary rows (`Level.summary`, shared with spending)."""
    types = list(HiringType.objects.filter(programme=level.programme).order_by("position"))
    rows = {c.pk: Hiring(c) for c in kids}
    quotas = [(t.pk, t.quota_per_tambon) for t in types]
    for key, n in level.tambons_per_child.items():
        if key in rows:
            rows[key].quota = {type_id: quota * n for type_id, quota in quotas}
            rows[key].hired = dict.fromkeys(rows[key].quota, 0)
    group = level.path("tambon__")
    first, last = period.months[0], period.months[-1]
    left_from, left_to = dt.date(*first, 1), dt.date(*(last[0] + last[1] // 12, last[1] % 12 + 1), 1)
    for key, type_id, hired, reserve in (
        TambonHiringFigures.objects.filter(tambon__in=level.tambons)
        .values_list(group, "hiring_type_id")
        .annotate(hired=Sum("hired"), reserve=Sum("reserve"))
    ):
        item = rows.get(key)
        if item is not None:
            item.hired[type_id] = item.hired.get(type_id, 0) + hired
            item.reserve += reserve
    for key, resigned in (
        Contract.objects.filter(tambon__in=level.tambons, status=ContractStatus.RESIGNED, left_on__gte=left_from,
                                left_on__lt=left_to)
        .values_list(group)
        .annotate(n=Count("pk"))
    ):  # fmt: skip
        if key in rows:
            rows[key].resigned = resigned
    for key, row in level.summary.items():
        if key in rows:
            rows[key].certificates_eligible = row["certificates_eligible"]
    items = list(rows.values())
    total = Hiring(Child(0, "", ""))
    for t in types:
        total.quota[t.pk] = sum(i.quota.get(t.pk, 0) for i in items)
        total.hired[t.pk] = sum(i.hired.get(t.pk, 0) for i in items)
    for name in ("reserve", "resigned", "certificates_eligible"):
        setattr(total, name, sum(getattr(i, name) for i in items))
    return HiringWidget(types, items, total)


def live_hiring(tambons: QuerySet[Tambon]) -> dict[tuple[int, int], tuple[int, int]]:
    """{(tambon, hiring type): (hired, reserve)} straight from the contracts (`team_fill`'s counts)."""
    return {
        (tambon_id, type_id): (hired, reserve)
        for tambon_id, type_id, hired, reserve in Contract.objects.filter(tambon__in=tambons)
        .values_list("tambon_id", "hiring_type_id")
        .annotate(hired=Count("pk", filter=Q(status=ContractStatus.ACTIVE)),
                  reserve=Count("pk", filter=Q(status=ContractStatus.RESERVE)))
    }  # fmt: skip


def live_certificates_eligible(tambons: QuerySet[Tambon], key: str = "id") -> dict[int, int]:
    """{child: people with the consecutive passed months their programme's certificate needs} — `longest_passed_run`
    as SQL, one statement per programme among the tambons: within a contract's passed months, consecutive months
    share (month index − row number) ("gaps and islands")."""
    found: dict[int, int] = {}
    for programme in Programme.objects.filter(pk__in=tambons.values("programme_id")).only("pk", "definition"):
        for child, count in _certificates_eligible(tambons.filter(programme=programme), key,
                                                   certificate_months(programme)).items():  # fmt: skip
            found[child] = found.get(child, 0) + count
    return found


def _certificates_eligible(tambons: QuerySet[Tambon], key: str, months: int) -> dict[int, int]:
    tambon_sql, params = tambons.values("pk").query.sql_with_params()
    child = {"network_id": "t.network_id", "university_id": "t.university_id", "id": "t.id"}[key]
    contract, acceptance, tambon = Contract._meta.db_table, WorkAcceptance._meta.db_table, Tambon._meta.db_table
    sql = f"""
        WITH passed AS (
            SELECT c.id AS contract_id, c.tambon_id,
                   wa.year * 12 + wa.month - ROW_NUMBER() OVER (PARTITION BY wa.contract_id
                                                               ORDER BY wa.year, wa.month) AS island
            FROM {acceptance} wa JOIN {contract} c ON c.id = wa.contract_id
            WHERE wa.evaluation_passed AND c.status <> %s AND c.tambon_id IN ({tambon_sql})
        ), eligible AS (
            SELECT DISTINCT contract_id, tambon_id FROM passed GROUP BY contract_id, tambon_id, island
            HAVING COUNT(*) >= %s
        )
        SELECT {child}, COUNT(*) FROM eligible e JOIN {tambon} t ON t.id = e.tambon_id GROUP BY {child}
    """  # noqa: S608 - table names come from the models, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [ContractStatus.RESERVE, *params, months])
        return dict(cursor.fetchall())


# --- classification -------------------------------------------------------------------------------------------


@dataclass
class Classification:
    child: Child
    bands: dict[int | None, int] = field(default_factory=dict)  # band id (None: not yet classified) → tambons
    tambons: int = 0
    up: int = 0
    down: int = 0
    goals: dict[int, int] = field(default_factory=dict)  # goal id → tambons meeting it (accepted assessments)
    assessed: int = 0  # tambons with an accepted assessment this quarter

    @property
    def classified(self) -> int:
        return sum(self.bands.values())

    def share(self, band_id: int | None) -> Decimal | None:
        return _percent(Decimal(self.bands.get(band_id, 0)), Decimal(self.classified))


@dataclass
class ClassificationWidget:
    quarter: Quarter
    previous: Quarter | None
    bands: list[ClassBand]
    goals: list[Goal]
    rows: list[Classification]
    total: Classification


def classification(level: Level, period: Period, kids: list[Child]) -> ClassificationWidget:
    """Class distribution against the target shares, movement since last quarter, the goal × child heatmap, all
    from the quarter's classifications (the accepted assessments, as `tambon_classify` last saw them).
    Three queries: the bands, the goals and `_class_counts`."""
    programme, quarter = level.programme, period.quarter
    bands = list(ClassBand.objects.filter(programme=programme).order_by("-rank"))
    goals = list(Goal.objects.filter(programme=programme).order_by("number"))
    rows = {c.pk: Classification(c) for c in kids}
    for key, n in level.tambons_per_child.items():
        if key in rows:
            rows[key].tambons = n
    previous = previous_quarter(programme, quarter) if quarter in programme_quarters(programme) else None
    goal_ids = [g.pk for g in goals]
    for key, band_id, n, up, down, *met in _class_counts(level, quarter, previous, goals):
        item = rows.get(key)
        if item is None:
            continue
        item.bands[band_id] = n
        item.assessed += n  # a tambon is classified when its assessment of the quarter is accepted
        item.up += up
        item.down += down
        for goal_id, count in zip(goal_ids, met, strict=True):
            item.goals[goal_id] = item.goals.get(goal_id, 0) + (count or 0)
    items = list(rows.values())
    total = Classification(Child(0, "", ""))
    for item in items:
        total.tambons += item.tambons
        total.up += item.up
        total.down += item.down
        total.assessed += item.assessed
        for band_id, n in item.bands.items():
            total.bands[band_id] = total.bands.get(band_id, 0) + n
        for goal_id, n in item.goals.items():
            total.goals[goal_id] = total.goals.get(goal_id, 0) + n
    return ClassificationWidget(quarter, previous, bands, goals, items, total)


def _class_counts(level: Level, quarter: Quarter, previous: Quarter | None, goals: list[Goal]) -> list[tuple]:
    """(child, band id, tambons, moved up, moved down, tambons meeting each of `goals`) of the quarter's
    classifications of the page's tambons. Written as SQL: the ORM statement (a FilteredRelation for the quarter
    before, one Sum expression per goal) cost more to compile than to run (issue 16). A tambon's rank is its
    band's (0 when not yet classified); it moved when it also has a classification of the quarter before (left
    join: at most one, classification_once); a goal is met when its bit of `goals_met_mask` is set."""
    alias = router.db_for_read(TambonClassification)
    scope = level.tambons.order_by().values(tambon=F("pk"), child=F(level.key)).query
    scope_sql, scope_params = scope.get_compiler(using=alias).as_sql()
    classification, band = TambonClassification._meta.db_table, ClassBand._meta.db_table
    bits = "".join(f", SUM((c.goals_met_mask >> {TambonClassification.goal_bit(g.number).bit_length() - 1}) & 1)"
                   for g in goals)  # fmt: skip
    sql = f"""
        SELECT k.child, c.band_id, COUNT(*),
               SUM(CASE WHEN p.id IS NOT NULL AND COALESCE(b.rank, 0) > COALESCE(pb.rank, 0) THEN 1 ELSE 0 END),
               SUM(CASE WHEN p.id IS NOT NULL AND COALESCE(b.rank, 0) < COALESCE(pb.rank, 0) THEN 1 ELSE 0 END){bits}
        FROM {classification} c
        JOIN ({scope_sql}) k ON k.tambon = c.tambon_id
        LEFT JOIN {band} b ON b.id = c.band_id
        LEFT JOIN {classification} p ON p.tambon_id = c.tambon_id AND p.quarter = %s
        LEFT JOIN {band} pb ON pb.id = p.band_id
        WHERE c.programme_id = %s AND c.quarter = %s
        GROUP BY k.child, c.band_id
    """  # noqa: S608 - table names come from the models, goal bits are integers, values are parameters
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [*scope_params, str(previous) if previous else None, level.programme.pk, str(quarter)])
        return cursor.fetchall()


# --- the whole page -------------------------------------------------------------------------------------------


@dataclass
class Dashboard:
    level: Level
    period: Period
    children: list[Child]
    completeness: tuple[list[Completeness], Completeness]
    actions: ActionList
    spending: SpendingWidget
    hiring: HiringWidget
    classification: ClassificationWidget
    computed_at: dt.datetime
    latest_change: dt.datetime | None
    refreshed_at: dt.datetime | None  # oldest refresh of the summary rows in scope


def dashboard(level: Level, period: Period, today: dt.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    kids = children(level)
    reports = report_figures(level)
    latest = [m for m in (reports.submitted_at, reports.reviewed_at) if m is not None]
    return Dashboard(
        level=level, period=period, children=kids,
        completeness=completeness(level, period, kids, reports), actions=action_list(level, today, reports),
        spending=spending(level, period, kids, reports), hiring=hiring(level, period, kids),
        classification=classification(level, period, kids),
        computed_at=timezone.now(), latest_change=max(latest, default=None),
        refreshed_at=min((row["refreshed_at"] for row in level.summary.values()), default=None),
    )  # fmt: skip
