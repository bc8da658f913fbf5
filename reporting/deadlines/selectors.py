"""Reads for deadlines: who still has to file what, what is late or overdue, instalments, MOU figures.

Each function is a handful of set-based queries whatever the number of tambons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from pbm.formats import date_be, month_label
from pbm.models import ReviewStatus
from pbm.periods import add_months, end_of_day, month_due_date
from tambon import access
from tambon.models import HiringType, Network, Programme, Tambon, Unit, University, User
from tambon.roster.models import Contract, ContractStatus
from tambon.roster.selectors import wages_due_by_month

from ..models import Activity, CategoryKind, MonthlyReport, ProgrammeSettings
from ..selectors import kind_month_sums, month_due_dates
from .models import CompletionReport, DeadlineSettings, MouPeriod, MouReport, owner_name

ZERO = Decimal(0)
DONE = (ReviewStatus.SUBMITTED, ReviewStatus.ACCEPTED)


# --- monthly reports -----------------------------------------------------------------------------------


def months_due_on(*, programme: Programme, on_date: dt.date, days_before: list[int]) -> list[tuple[int, int, int]]:
    """(year, month, days before due) for each programme month whose reminder day is `on_date`."""
    return [
        (year, month, days)
        for (year, month), due in month_due_dates(programme)
        for days in days_before
        if due - dt.timedelta(days=days) == on_date
    ]


def month_escalated_on(*, programme: Programme, on_date: dt.date, days_after: int) -> list[tuple[int, int]]:
    return [m for m, due in month_due_dates(programme) if due + dt.timedelta(days=days_after) == on_date]


def tambons_still_to_file(*, programme: Programme, year: int, month: int) -> QuerySet[Tambon]:
    """Active tambons whose report for the month is not submitted or accepted (none, draft or returned)."""
    done = MonthlyReport.objects.filter(year=year, month=month, status__in=DONE).values("tambon_id")
    return Tambon.objects.with_place().filter(programme=programme, is_active=True).exclude(pk__in=done)


def tambons_late(*, programme: Programme, year: int, month: int) -> QuerySet[Tambon]:
    """Active tambons that did not submit the month by its deadline (not yet, or only after it)."""
    deadline = end_of_day(month_due_date(year, month, ProgrammeSettings.for_programme(programme).due_day))
    on_time = MonthlyReport.objects.filter(year=year, month=month, first_submitted_at__lte=deadline).values("tambon_id")
    return Tambon.objects.with_place().filter(programme=programme, is_active=True).exclude(pk__in=on_time)


# --- a university's work to do ------------------------------------------------------------------------


@dataclass
class WorkItem:
    """One report a university's staff still has to file (or fix), with its deadline."""

    tambon: Tambon
    kind: str  # "month" (a monthly report) | "completion" (a 7-day activity completion report)
    title: str
    due: dt.date
    returned: bool  # sent back by the reviewer: fix and submit again
    url: str

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days


def work_to_do(*, tambons: list[Tambon], programme: Programme, today: dt.date, ahead: int = 7) -> list[WorkItem]:
    """What the staff of these tambons still have to file: monthly reports due within `ahead` days or already
    past due and not submitted, returned ones, and 7-day completion reports not yet submitted. Oldest deadline
    first. Two queries, whatever the number of tambons and months."""
    months = [(m, due) for m, due in month_due_dates(programme) if due <= today + dt.timedelta(days=ahead)]
    active = [t for t in tambons if t.is_active]
    status = {
        (tambon_id, year, month): state
        for tambon_id, year, month, state in MonthlyReport.objects.filter(tambon__in=active).values_list(
            "tambon_id", "year", "month", "status"
        )
    }
    items = []
    for tambon in active:
        for (year, month), due in months:
            state = status.get((tambon.pk, year, month))
            if state in DONE:
                continue
            items.append(WorkItem(
                tambon, "month", _("Monthly report %(month)s") % {"month": month_label(year, month)}, due,
                state == ReviewStatus.RETURNED, reverse("report_detail", args=[tambon.pk, year, month]),
            ))  # fmt: skip
    by_pk = {t.pk: t for t in active}
    for report in CompletionReport.objects.filter(
        activity__tambon__in=active, status__in=[ReviewStatus.DRAFT, ReviewStatus.RETURNED]
    ).select_related("activity"):
        items.append(WorkItem(
            by_pk[report.activity.tambon_id], "completion",
            _("Completion report: %(activity)s") % {"activity": report.activity.name}, report.due_on,
            report.status == ReviewStatus.RETURNED, reverse("completion_report", args=[report.activity_id]),
        ))  # fmt: skip
    return sorted(items, key=lambda i: (i.due, i.tambon.subdistrict_id, i.kind))


# --- completion reports --------------------------------------------------------------------------------


def completion_reports(*, user: User) -> QuerySet[CompletionReport]:
    return access.filter_by_tambon(
        user,
        CompletionReport.objects.select_related(
            "activity__tambon__subdistrict__district__province",
            "activity__tambon__university",
            "activity__category",
            "activity__tambon__unit__level",
            "activity__tambon__unit__parent__level",
        ),
        "activity__tambon",
    )


def completion_reports_overdue(*, today: dt.date, user: User | None = None) -> QuerySet[CompletionReport]:
    """Not yet submitted, and past the due day: overdue from D+8 of an activity completed on day D."""
    qs = completion_reports(user=user) if user is not None else CompletionReport.objects.all()
    return qs.filter(first_submitted_at__isnull=True, due_on__lt=today, activity__tambon__is_active=True)


def completion_reports_to_review(*, user: User) -> QuerySet[CompletionReport]:
    return access.reviewable(user, completion_reports(user=user).filter(status=ReviewStatus.SUBMITTED))


def completion_reminders_due(*, on_date: dt.date, settings: DeadlineSettings) -> QuerySet[CompletionReport]:
    completed_on = on_date - dt.timedelta(days=settings.completion_reminder_days)
    return CompletionReport.objects.select_related("activity__tambon__subdistrict__district__province").filter(
        activity__completed_on=completed_on,
        first_submitted_at__isnull=True,
        activity__tambon__is_active=True,
        activity__tambon__programme=settings.programme,
    )


# --- MOU reports and instalments -----------------------------------------------------------------------


def mou_reports(*, user: User, programme: Programme) -> QuerySet[MouReport]:
    scope = access.scope_of(user)
    qs = MouReport.objects.filter(programme=programme).select_related("university__network", "network", "unit__level")
    if scope.national:
        return qs
    return qs.filter(
        Q(university_id__in=scope.university_ids)
        | Q(university__network_id__in=scope.network_ids)
        | Q(network_id__in=scope.network_ids)
        | Q(unit_id__in=access.visible_units(user, programme).values("pk"))
    )


def mou_reports_to_review(*, user: User) -> QuerySet[MouReport]:
    """Submitted half-year and year-end reports this user may accept or return (access.reviewable): a
    university's by its network's RSI (and the NSI), a network's own by the NSI, a unit's of the tree by the
    reviewing roles above it."""
    qs = MouReport.objects.filter(status=ReviewStatus.SUBMITTED).select_related(
        "university", "network", "unit__level", "submitted_by"
    )
    return access.reviewable(user, qs).order_by("submitted_at", "id")


def report_owners(*, programme: Programme) -> list[tuple[str, int]]:
    """("university" | "network" | "unit", id) of each unit that owns reports of its own over the programme's
    active tambons: U2T's universities working them and the networks of their areas; in a programme of the unit
    tree, the units of its filing level (access.filing_level) above them."""
    tambons = Tambon.objects.filter(programme=programme, is_active=True).order_by()
    level = access.filing_level(programme)
    if level is not None:
        return [("unit", pk) for pk in sorted(set(tambons.values_list(f"unit__ancestor_{level.depth}_id",
                                                                      flat=True)) - {None})]  # fmt: skip
    universities = sorted(set(tambons.values_list("university_id", flat=True)) - {None})
    networks = sorted(set(tambons.values_list("network_id", flat=True)) - {None})
    return [("university", u) for u in universities] + [("network", n) for n in networks]


def unit_mou_reports(*, unit: Unit | None) -> list[tuple[str, str, MouReport | None]]:
    """(period, label, report or None) of a filing unit's half-year and year-end reports, for the links on its
    dashboard; none for any other unit. One query (the programme's filing level is read once per programme)."""
    if unit is None or (level := access.filing_level(unit.programme)) is None or unit.level_id != level.pk:
        return []
    found = {r.period: r for r in MouReport.objects.filter(programme=unit.programme, unit=unit)}
    return [(period, label, found.get(period)) for period, label in MouPeriod.choices]


def owners_of(reports: QuerySet) -> set[tuple[str, int]]:
    """(kind, id) of the owner of each of `reports` (MOU or unit monthly reports)."""
    kinds = reports.model.OWNERS
    return {(kind, row[i]) for row in reports.values_list(*[f"{k}_id" for k in kinds])
            for i, kind in enumerate(kinds) if row[i]}  # fmt: skip


@dataclass
class MouFigures:
    """Figures of a 6/12-month report, computed from the monthly data of its tambons."""

    months: list[str]
    tambons: int
    plan: dict[str, Decimal] = field(default_factory=dict)  # by category kind
    actual: dict[str, Decimal] = field(default_factory=dict)
    activities: int = 0
    activities_completed: int = 0
    reports_accepted: int = 0
    reports_expected: int = 0
    hired: int = 0  # people under contract now (the roster)
    hiring_quota: int = 0

    def as_json(self) -> dict:
        return {
            "months": self.months, "tambons": self.tambons,
            "plan": {k: str(v) for k, v in self.plan.items()}, "actual": {k: str(v) for k, v in self.actual.items()},
            "activities": self.activities, "activities_completed": self.activities_completed,
            "reports_accepted": self.reports_accepted, "reports_expected": self.reports_expected,
            "hired": self.hired, "hiring_quota": self.hiring_quota,
        }  # fmt: skip


def mou_tambons(*, report: MouReport) -> QuerySet[Tambon]:
    """The tambons a half-year or year-end report covers: the university's, those of the network's area, or those
    under the unit of the tree (its own, when the unit is itself the reporting unit)."""
    tambons = Tambon.objects.filter(programme=report.programme, is_active=True)
    if report.university_id:
        return tambons.filter(university_id=report.university_id)
    if report.unit_id:
        return tambons.under(report.unit)
    return tambons.filter(network_id=report.network_id)


def mou_figures(*, report: MouReport, user: User | None = None) -> MouFigures:
    """The report's figures over its tambons; with `user`, over those of them the user may see (a page shows
    a viewer no aggregate of tambons outside their scope)."""
    months = report.period_months()
    tambons = mou_tambons(report=report)
    if user is not None:
        tambons = access.visible_tambons(user, tambons)
    tambon_ids = list(tambons.values_list("pk", flat=True))
    month_q = Q()
    for year, month in months:
        month_q |= Q(year=year, month=month)
    figures = MouFigures(months=[month_label(*months[0]), month_label(*months[-1])], tambons=len(tambon_ids))
    for kind, _label in CategoryKind.choices:
        figures.plan[kind] = figures.actual[kind] = ZERO
    # The PBM table's group rows, from the one source of figures (hiring actuals are the roster's wages due).
    for (_child, _y, _m, kind), (plan, actual) in kind_month_sums(
        tambon_child=dict.fromkeys(tambon_ids, 0), months=months
    ).items():
        figures.plan[kind] += plan
        figures.actual[kind] += actual
    activity = Activity.objects.filter(tambon_id__in=tambon_ids).aggregate(
        n=Count("id"), done=Count("id", filter=Q(completed_on__isnull=False))
    )
    figures.activities, figures.activities_completed = activity["n"], activity["done"]
    figures.reports_accepted = MonthlyReport.objects.filter(
        month_q, tambon_id__in=tambon_ids, status=ReviewStatus.ACCEPTED
    ).count()
    figures.reports_expected = len(tambon_ids) * len(months)
    figures.hired = Contract.objects.filter(tambon_id__in=tambon_ids, status=ContractStatus.ACTIVE).count()
    quota = HiringType.objects.filter(programme=report.programme).aggregate(n=Sum("quota_per_tambon"))["n"] or 0
    figures.hiring_quota = quota * len(tambon_ids)
    return figures


@dataclass
class Instalment:
    number: int
    month: str
    amount: Decimal
    eligible: bool
    reason: str
    report_url: str = ""  # the report that unlocks it


def instalments_for(*, tambons: list[Tambon], programme: Programme) -> dict[int, list[Instalment]]:
    """Both instalments of each tambon's activity budget: the 1st in month 1, the 2nd once the report that unlocks
    it (`instalment_2_unlocking`) is accepted; each reason names that report's owner. Four queries whatever the
    number of tambons."""
    settings = DeadlineSettings.for_programme(programme)
    programme_settings = ProgrammeSettings.for_programme(programme)
    first = month_label(*programme.months()[0])
    second = month_label(*add_months(programme.start_date.year, programme.start_date.month,
                                     settings.instalment_2_month - 1))  # fmt: skip
    unlocking = instalment_2_unlocking(programme)
    owner_of = dict(Tambon.objects.filter(pk__in=[t.pk for t in tambons]).values_list("pk", unlocking.tambon_owner))
    owners = unlocking.owners(set(owner_of.values()) - {None})
    reports = {getattr(r, f"{unlocking.kind}_id"): r
               for r in unlocking.reports().filter(**{f"{unlocking.kind}__in": list(owners)})}  # fmt: skip
    out = {}
    for tambon in tambons:
        owner = owners.get(owner_of.get(tambon.pk))
        eligible, reason = _second_instalment(reports.get(owner.pk) if owner else None, owner, unlocking.period)
        budget = programme_settings.activity_budget_of(tambon)
        amount = (budget * settings.instalment_share / 100).quantize(Decimal("0.01"))
        url = reverse("mou_report", args=[unlocking.period, unlocking.kind, owner.pk]) if owner else ""
        out[tambon.pk] = [
            Instalment(1, first, amount, True, _("released with the start of the programme")),
            Instalment(2, second, amount, eligible, reason, url),
        ]
    return out


@dataclass(frozen=True)
class Unlocking:
    """Whose report releases a programme's tambons' 2nd instalment, and which: U2T's university's, or in a programme
    of the unit tree the report of the unit above the tambon at the filing level (access.filing_level). The one
    rule both the instalments page (`instalments_for`) and the dashboards' counts (`eligible`) read."""

    programme: Programme
    period: str  # the MouPeriod the definition's 2nd instalment is `unlocked_by`
    kind: str  # the report's owner: "university" | "unit"
    tambon_owner: str  # the Tambon field holding that owner's id

    def reports(self) -> QuerySet[MouReport]:
        """The owners' reports of the period, whatever their status."""
        return MouReport.objects.filter(programme=self.programme, period=self.period, **{f"{self.kind}__isnull": False})

    def eligible(self, prefix: str = "") -> Q:
        """Tambons (through `prefix`) whose owner's report is accepted: eligible for the 2nd instalment."""
        accepted = self.reports().filter(status=ReviewStatus.ACCEPTED).values(f"{self.kind}_id")
        return Q(**{f"{prefix}{self.tambon_owner}__in": accepted})

    def owners(self, ids) -> dict[int, University | Unit]:
        if self.kind == "unit":
            return Unit.objects.select_related("level").in_bulk(list(ids))
        return University.objects.in_bulk(list(ids))


UNLOCKED_BY = {"mou_6_month": MouPeriod.SIX_MONTH, "mou_12_month": MouPeriod.TWELVE_MONTH}  # definition → period


def instalment_2_unlocking(programme: Programme) -> Unlocking:
    """The report that releases the programme's 2nd instalment (`Unlocking`): the definition's `unlocked_by` of
    its 2nd instalment, owned by the university (U2T) or by the unit of the filing level above each tambon."""
    rows = {row.get("number"): row for row in (programme.definition or {}).get("instalments") or []}
    period = UNLOCKED_BY.get((rows.get(2) or {}).get("unlocked_by"), MouPeriod.SIX_MONTH)
    level = access.filing_level(programme)
    if level is None:
        return Unlocking(programme, period, "university", "university_id")
    return Unlocking(programme, period, "unit", f"unit__ancestor_{level.depth}_id")


def _second_instalment(report: MouReport | None, owner: University | Unit | None, period: str) -> tuple[bool, str]:
    words = {"report": MouPeriod(period).label, "owner": owner_name(owner) if owner else "—"}
    if report is None:
        return False, _("blocked: %(owner)s has not started its %(report)s") % words
    if report.status == ReviewStatus.ACCEPTED:
        return True, _("eligible: the %(report)s of %(owner)s was accepted on %(date)s") % {
            **words, "date": date_be(report.reviewed_at)}  # fmt: skip
    if report.status == ReviewStatus.SUBMITTED:
        return False, _("blocked: the %(report)s of %(owner)s is awaiting review") % words
    if report.status == ReviewStatus.RETURNED:
        return False, _("blocked: the %(report)s of %(owner)s was returned for correction") % words
    return False, _("blocked: the %(report)s of %(owner)s is still a draft") % words


@dataclass
class InstalmentSummary:
    eligible: int
    blocked: int
    rows: list[tuple[Tambon, Instalment]]


def instalment_list(*, user: User, programme: Programme, only: str = "") -> InstalmentSummary:
    tambons = list(
        access.visible_tambons(user, Tambon.objects.with_place().filter(programme=programme, is_active=True))
    )
    second = {pk: rows[1] for pk, rows in instalments_for(tambons=tambons, programme=programme).items()}
    rows = [(t, second[t.pk]) for t in tambons]
    eligible = sum(1 for _t, i in rows if i.eligible)
    if only == "eligible":
        rows = [r for r in rows if r[1].eligible]
    elif only == "blocked":
        rows = [r for r in rows if not r[1].eligible]
    return InstalmentSummary(eligible=eligible, blocked=len(tambons) - eligible, rows=rows)


# --- the operator's view -------------------------------------------------------------------------------


@dataclass
class DeadlineCheck:
    on_date: dt.date
    reminders: list[tuple[str, int]] = field(default_factory=list)  # (what, tambons still to file)
    late: list[tuple[str, int]] = field(default_factory=list)
    completion_due: int = 0
    completion_overdue: int = 0
    mou_due: list[tuple[str, str, int]] = field(default_factory=list)  # (report, due date, not yet submitted)
    mou_overdue: list[tuple[str, int]] = field(default_factory=list)


def deadlines_check(*, programme: Programme, on_date: dt.date) -> DeadlineCheck:
    """What is due, late or overdue on `on_date`, without sending anything."""
    settings = DeadlineSettings.for_programme(programme)
    check = DeadlineCheck(on_date=on_date)
    for year, month, days in months_due_on(programme=programme, on_date=on_date, days_before=settings.days_before):
        still = tambons_still_to_file(programme=programme, year=year, month=month).count()
        check.reminders.append((f"{month_label(year, month)} (-{days})", still))
    for (year, month), due in month_due_dates(programme):
        if due < on_date:
            late = tambons_late(programme=programme, year=year, month=month).count()
            if late:
                check.late.append((month_label(year, month), late))
    check.completion_due = CompletionReport.objects.filter(
        first_submitted_at__isnull=True, due_on__gte=on_date, activity__tambon__programme=programme
    ).count()
    check.completion_overdue = (
        completion_reports_overdue(today=on_date).filter(activity__tambon__programme=programme).count()
    )
    owners = report_owners(programme=programme)
    for period, due in (
        (MouPeriod.SIX_MONTH, settings.mou_6_month_due),
        (MouPeriod.TWELVE_MONTH, settings.mou_12_month_due),
    ):
        filed = owners_of(
            MouReport.objects.filter(programme=programme, period=period, first_submitted_at__isnull=False)
        )
        missing = len([owner for owner in owners if owner not in filed])
        label = str(MouPeriod(period).label)
        if on_date > due:
            check.mou_overdue.append((label, missing))
        else:
            check.mou_due.append((label, date_be(due), missing))
    return check


# --- unit monthly reports (issue #15 item 1) ---------------------------------------------------------------------


def unit_tambons(*, programme: Programme, university: University | None = None,
                 network: Network | None = None) -> QuerySet[Tambon]:  # fmt: skip
    """The tambons a unit's monthly report rolls up: the university's, or those of the network's area."""
    tambons = Tambon.objects.filter(programme=programme, is_active=True)
    return tambons.filter(university=university) if university is not None else tambons.filter(network=network)


def unit_month_figures(*, programme: Programme, year: int, month: int, university: University | None = None,
                       network: Network | None = None) -> dict:  # fmt: skip
    """The roll-up of a unit's month, as JSON (frozen on submit): plan and actual by category kind over its
    tambons (reporting.selectors, the one source of figures), the hiring summary per hiring type (people under
    contract, quota, wages due from the accepted work), and the tambons' own monthly reports."""
    tambon_ids = list(unit_tambons(programme=programme, university=university, network=network)
                      .values_list("pk", flat=True))  # fmt: skip
    plan = {kind: ZERO for kind, _label in CategoryKind.choices}
    actual = dict(plan)
    for (_child, _y, _m, kind), (p, a) in kind_month_sums(tambon_child=dict.fromkeys(tambon_ids, 0),
                                                          months=[(year, month)]).items():  # fmt: skip
        plan[kind] += p
        actual[kind] += a
    hired = dict(
        Contract.objects.filter(tambon_id__in=tambon_ids, status=ContractStatus.ACTIVE)
        .values_list("hiring_type_id")
        .annotate(n=Count("pk"))
        .values_list("hiring_type_id", "n")
    )
    wages: dict[int, Decimal] = {}
    for (_tambon, type_id, _y, _m), amount in wages_due_by_month(tambon_ids=tambon_ids, months=[(year, month)]).items():
        wages[type_id] = wages.get(type_id, ZERO) + amount
    hiring = [{"type": t.name_th, "hired": hired.get(t.pk, 0), "quota": t.quota_per_tambon * len(tambon_ids),
               "wages_due": str(wages.get(t.pk, ZERO))}
              for t in HiringType.objects.filter(programme=programme).order_by("pk")]  # fmt: skip
    reports = MonthlyReport.objects.filter(tambon_id__in=tambon_ids, year=year, month=month).aggregate(
        submitted=Count("pk", filter=Q(first_submitted_at__isnull=False)),
        accepted=Count("pk", filter=Q(status=ReviewStatus.ACCEPTED)),
        late=Count("pk", filter=Q(is_late=True)),
    )
    completed = Activity.objects.filter(tambon_id__in=tambon_ids, completed_on__year=year,
                                        completed_on__month=month).count()  # fmt: skip
    return {
        "month": month_label(year, month), "tambons": len(tambon_ids),
        "plan": {k: str(v) for k, v in plan.items()}, "actual": {k: str(v) for k, v in actual.items()},
        "hiring": hiring, "tambon_reports": {"expected": len(tambon_ids), **reports},
        "activities_completed": completed,
    }  # fmt: skip


def unit_reports_expected(
    *, user: User, programme: Programme, year: int, month: int
) -> list[tuple[str, object, object]]:
    """The unit monthly reports of one month in the user's scope: (kind, unit, report or None), universities
    working tambons of the programme first, then networks; for the completeness widget and the list page."""
    from .models import UnitMonthlyReport

    universities = access.visible_universities(user).filter(tambons__programme=programme).distinct().order_by("code")
    networks = access.visible_networks(user).order_by("number")
    found = UnitMonthlyReport.objects.filter(programme=programme, year=year, month=month)
    by_owner = {(r.university_id, r.network_id): r for r in found}
    return [("university", u, by_owner.get((u.pk, None))) for u in universities] + [
        ("network", n, by_owner.get((None, n.pk))) for n in networks
    ]


@dataclass
class UnitCompleteness:
    rows: list[tuple[str, object, object]]  # (kind, unit, report or None)
    on_time: int = 0
    late: int = 0
    not_filed: int = 0


def unit_report_completeness(*, programme: Programme, tambons: QuerySet[Tambon], year: int, month: int,
                             networks: bool = True) -> UnitCompleteness:  # fmt: skip
    """The dashboards' widget: the unit monthly reports expected for the month from the universities working
    `tambons` (already scoped) and, with `networks`, from their networks; filed on time, late, or not (yet)."""
    from .models import UnitMonthlyReport

    # each pair of units once (DISTINCT, no ORDER BY), not a row per tambon: 3,000 rows at the national level
    pairs = set(tambons.order_by().values_list("university_id", "network_id").distinct())
    university_ids = {university for university, _network in pairs}
    network_ids = {network for _university, network in pairs} if networks else set()
    found = (
        UnitMonthlyReport.objects.filter(programme=programme, year=year, month=month)
        .filter(Q(university_id__in=university_ids) | Q(network_id__in=network_ids))
        .defer("figures", "narrative")  # the widget shows the status only: no JSON decoded per report
    )
    by_owner = {(r.university_id, r.network_id): r for r in found}
    rows = [("network", n, by_owner.get((None, n.pk))) for n in Network.objects.filter(pk__in=network_ids)]
    rows += [("university", u, by_owner.get((u.pk, None)))
             for u in University.objects.filter(pk__in=university_ids).order_by("code")]  # fmt: skip
    out = UnitCompleteness(rows)
    for _kind, _unit, report in rows:
        if report is None or report.first_submitted_at is None:
            out.not_filed += 1
        elif report.is_late:
            out.late += 1
        else:
            out.on_time += 1
    return out
