"""Reads: reference lists, a tambon's profile, class distribution and movement, the review queue. Scoped."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce

from pbm.models import ReviewStatus
from pbm.periods import Quarter
from reporting.models import Activity
from tambon import access
from tambon.models import Network, Programme, Tambon, User

from .models import (
    TPMAP_COLOURS,
    TPMAP_DIMENSIONS,
    ActivityAssessment,
    ActivityStage,
    ClassBand,
    ClassConfirmation,
    ColumnKind,
    Goal,
    GoalMark,
    Household,
    HouseholdImport,
    Indicator,
    NetworkAssessment,
    NetworkIndicatorResult,
    TambonAssessment,
    TambonClassification,
    TambonIndicatorResult,
    UniversityAssessment,
    UniversityIndicatorResult,
)
from .quarters import previous_quarter, programme_quarters


def goals(programme: Programme) -> QuerySet[Goal]:
    return Goal.objects.filter(programme=programme).order_by("number")


def indicators(programme: Programme, level: str) -> QuerySet[Indicator]:
    return Indicator.objects.filter(programme=programme, level=level).order_by("number")


def class_bands(programme: Programme) -> list[ClassBand]:
    return list(ClassBand.objects.filter(programme=programme).order_by("-rank"))


# --- one assessment ---------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of an assessment form: a goal or indicator and what was filed for it (if anything)."""

    item: Goal | Indicator
    met: bool = False
    evidence: str = ""
    result: object = None  # the saved indicator result (its numbers), if any


def assessment_rows(assessment, programme: Programme) -> tuple[list[Row], list[Row]]:
    """(goal rows, indicator rows) of an assessment, in reference order; unsaved assessments give blank rows."""
    level = type(assessment).indicator_level
    saved_indicators = {r.indicator_id: r for r in assessment.indicator_results.all()} if assessment.pk else {}
    indicator_rows = [
        Row(i, evidence=getattr(saved_indicators.get(i.pk), "evidence", ""), result=saved_indicators.get(i.pk))
        for i in indicators(programme, level)
    ]
    if not isinstance(assessment, TambonAssessment):
        return [], indicator_rows
    saved_goals = {r.goal_id: r for r in assessment.goal_results.all()} if assessment.pk else {}
    goal_rows = [
        Row(
            g, met=getattr(saved_goals.get(g.pk), "met", False), evidence=getattr(saved_goals.get(g.pk), "evidence", "")
        )
        for g in goals(programme)
    ]
    return goal_rows, indicator_rows


# --- a tambon's profile -----------------------------------------------------------------------------------


def tambon_classifications(tambon: Tambon) -> QuerySet[TambonClassification]:
    return TambonClassification.objects.filter(tambon=tambon).select_related("band").order_by("quarter")


def tambon_assessments(tambon: Tambon) -> QuerySet[TambonAssessment]:
    return (
        TambonAssessment.objects.filter(tambon=tambon)
        .annotate(goals_met=Count("goal_results", filter=Q(goal_results__met=True)))
        .order_by("-quarter")
    )


def tambon_assessments_by_quarter(tambon: Tambon) -> list[tuple[Quarter, TambonAssessment | None]]:
    """Every quarter of the tambon's programme with its assessment (None: not started), in order."""
    by_quarter = {a.quarter: a for a in tambon_assessments(tambon)}
    return [(q, by_quarter.get(str(q))) for q in programme_quarters(tambon.programme)]


def latest_accepted_assessment(tambon: Tambon) -> TambonAssessment | None:
    return (
        TambonAssessment.objects.filter(tambon=tambon, status=ReviewStatus.ACCEPTED)
        .prefetch_related(Prefetch("goal_results", to_attr="results"))
        .order_by("-quarter")
        .first()
    )


@dataclass
class HouseholdPicture:
    total: int
    passes_all: int
    colours: list[tuple[str, int]]  # (colour code, households) in TPMAP's order: green, yellow, red
    by_dimension: list[tuple[str, int]]  # (dimension label, households failing it)
    last_import: HouseholdImport | None


def household_picture(tambon: Tambon) -> HouseholdPicture:
    """TPMAP colours from failed dimensions: green fails 1, yellow 2–3, red 4–5; 0 fails is "passes all"."""
    fails = sum((Cast(f"fails_{name}", IntegerField()) for name, _label in TPMAP_DIMENSIONS), Value(0))
    qs = Household.objects.filter(tambon=tambon).annotate(fails=fails)
    aggregates = {"total": Count("pk"), "passes_all": Count("pk", filter=Q(fails=0))}
    for code, low, high in TPMAP_COLOURS:
        aggregates[code] = Count("pk", filter=Q(fails__gte=low, fails__lte=high))
    for name, _label in TPMAP_DIMENSIONS:
        aggregates[f"dim_{name}"] = Count("pk", filter=Q(**{f"fails_{name}": True}))
    counts = qs.aggregate(**aggregates)
    return HouseholdPicture(
        total=counts["total"],
        passes_all=counts["passes_all"],
        colours=[(code, counts[code]) for code, _low, _high in TPMAP_COLOURS],
        by_dimension=[(label, counts[f"dim_{name}"]) for name, label in TPMAP_DIMENSIONS],
        last_import=HouseholdImport.objects.filter(tambon=tambon).select_related("imported_by").first(),
    )


# --- activity assessment form -----------------------------------------------------------------------------


def activity_columns(tambon: Tambon, stage: str) -> list[ActivityAssessment]:
    """The saved columns of the form at `stage`, each with `marks` {goal id: mark} and `notes` {indicator id: text}."""
    columns = list(
        ActivityAssessment.objects.filter(tambon=tambon, stage=stage)
        .select_related("activity")
        .prefetch_related("goal_marks", "indicator_notes")
    )
    for column in columns:
        column.marks = {m.goal_id: m.mark for m in column.goal_marks.all()}
        column.notes = {n.indicator_id: n.evidence for n in column.indicator_notes.all()}
    return columns


def tambon_activities(tambon: Tambon) -> list[Activity]:
    return list(Activity.objects.filter(tambon=tambon).select_related("category"))


@dataclass
class GridColumn:
    index: int
    kind: str
    label: str
    activity_id: int | None
    name: str  # free-text activity name ("" for a reporting activity or a fixed column)
    marks: dict[int, str]
    notes: dict[int, str]


def activity_grid(tambon: Tambon, stage: str) -> list[GridColumn]:
    """Columns of the form at `stage`: the tambon's activities (reporting), activities named by free text on
    either stage, one empty column to name another, and the two fixed columns (COVID surveillance, Community
    Data) last."""
    saved = activity_columns(tambon, stage)
    by_key = {(c.kind, c.activity_id, c.activity_name): c for c in saved}
    free_names = list(dict.fromkeys(
        ActivityAssessment.objects.filter(tambon=tambon, kind=ColumnKind.ACTIVITY, activity__isnull=True)
        .order_by("stage", "position").values_list("activity_name", flat=True)
    ))  # fmt: skip
    keys = [(ColumnKind.ACTIVITY, a.pk, "", a.name) for a in tambon_activities(tambon)]
    keys += [(ColumnKind.ACTIVITY, None, n, n) for n in [*free_names, ""]]
    keys += [(kind, None, "", str(ColumnKind(kind).label)) for kind in (ColumnKind.COVID, ColumnKind.COMMUNITY_DATA)]
    grid = []
    for index, (kind, activity_id, name, label) in enumerate(keys):
        column = by_key.get((kind, activity_id, name))
        grid.append(GridColumn(index, kind, label, activity_id, name, getattr(column, "marks", {}),
                               getattr(column, "notes", {})))  # fmt: skip
    return grid


@dataclass
class ActivityTargets:
    name: str
    activity: Activity | None
    stage: str  # "" when the activity has not been assessed yet
    expected: list[int]  # goal numbers
    already_has: list[int]


def activity_goal_targets(tambon: Tambon) -> list[ActivityTargets]:
    """The tambon's activities and the goals each targets, from its latest assessed stage (end, else start);
    activities named only on the form are listed after the recorded ones."""
    targets: dict[tuple, ActivityTargets] = {
        (a.pk, ""): ActivityTargets(a.name, a, "", [], []) for a in tambon_activities(tambon)
    }
    rows = (
        ActivityAssessment.objects.filter(tambon=tambon, kind=ColumnKind.ACTIVITY)
        .select_related("activity")
        .prefetch_related("goal_marks__goal")
        .order_by("position")
    )
    for column in rows:
        key = (column.activity_id, column.activity_name)
        current = targets.get(key)
        if current and current.stage == ActivityStage.END and column.stage != ActivityStage.END:
            continue
        marks = list(column.goal_marks.all())
        targets[key] = ActivityTargets(
            column.label, column.activity, column.stage,
            sorted(m.goal.number for m in marks if m.mark == GoalMark.EXPECTED),
            sorted(m.goal.number for m in marks if m.mark == GoalMark.ALREADY_HAS),
        )  # fmt: skip
    return list(targets.values())


# --- distribution and movement for a scope ------------------------------------------------------------------


def scoped_tambons(*, user: User, programme: Programme, network: Network | None = None) -> QuerySet[Tambon]:
    qs = access.visible_tambons(user, Tambon.objects.filter(programme=programme, is_active=True))
    return qs.filter(network=network) if network is not None else qs


@dataclass
class BandShare:
    band: ClassBand | None  # None: not yet classified
    tambons: int
    share: Decimal | None  # % of the classified-or-not tambons assessed this quarter
    target_share: Decimal | None
    target_tambons: int | None  # target share of all tambons in scope
    by_rule: int = 0  # tambons the rule puts in this class (before the committee's overrides)

    @property
    def difference(self) -> str:
        """Tambons above (+) or below (−) the target, as the report to NSI shows it."""
        if self.target_tambons is None:
            return ""
        n = self.tambons - self.target_tambons
        return f"+{n:,}" if n > 0 else (f"−{-n:,}" if n < 0 else "0")


@dataclass
class Distribution:
    quarter: Quarter
    tambons: int  # in scope
    assessed: int  # with an accepted assessment this quarter
    rows: list[BandShare]
    overridden: int = 0  # tambons whose class the committee set
    confirmation: ClassConfirmation | None = None


def class_distribution(
    *, user: User, programme: Programme, quarter: Quarter, network: Network | None = None
) -> Distribution:
    """Tambons per class for the user's scope in `quarter`, beside the programme's target shares."""
    tambons = scoped_tambons(user=user, programme=programme, network=network)
    total = tambons.count()
    classified = TambonClassification.objects.filter(programme=programme, quarter=str(quarter), tambon__in=tambons)
    counts, by_rule = ({key: n for key, n in classified.values_list(field).annotate(n=Count("pk")).values_list(field, "n")}
                       for field in ("band_id", "computed_band_id"))  # fmt: skip
    overridden = classified.filter(overridden_at__isnull=False).count()
    assessed = sum(counts.values())

    def share(n: int) -> Decimal | None:
        return (Decimal(100) * n / assessed).quantize(Decimal("0.01")) if assessed else None

    rows = [
        BandShare(band, counts.get(band.pk, 0), share(counts.get(band.pk, 0)), band.target_share,
                  round(total * band.target_share / 100), by_rule.get(band.pk, 0))
        for band in class_bands(programme)
    ]  # fmt: skip
    rows.append(BandShare(None, counts.get(None, 0), share(counts.get(None, 0)), None, None, by_rule.get(None, 0)))
    confirmation = (
        ClassConfirmation.objects.filter(programme=programme, quarter=str(quarter))
        .select_related("confirmed_by")
        .first()
    )
    return Distribution(quarter=quarter, tambons=total, assessed=assessed, rows=rows, overridden=overridden,
                        confirmation=confirmation)  # fmt: skip


def committee_rows(*, user: User, programme: Programme, quarter: Quarter, band: str = "") -> QuerySet:
    """The quarter's classifications in the user's scope for the committee page, the overridden first; `band`
    filters by the current class ("none": not yet classified, "overridden": set by the committee)."""
    rows = TambonClassification.objects.filter(
        programme=programme, quarter=str(quarter), tambon__in=scoped_tambons(user=user, programme=programme)
    ).select_related("band", "computed_band", "overridden_by", "tambon__subdistrict__district__province",
                     "tambon__university")  # fmt: skip
    if band == "none":
        rows = rows.filter(band__isnull=True)
    elif band == "overridden":
        rows = rows.filter(overridden_at__isnull=False)
    elif band:
        rows = rows.filter(band__code=band)
    return rows.order_by(F("overridden_at").desc(nulls_last=True), "tambon__subdistrict_id")


def class_movements(
    *, user: User, programme: Programme, quarter: Quarter, network: Network | None = None
) -> tuple[list[TambonClassification], list[TambonClassification]]:
    """(moved up, moved down) since the previous quarter, each row annotated with `previous_rank` and
    `previous_band_name`; tambons classified in only one of the two quarters are not movements."""
    previous = previous_quarter(programme, quarter)
    if previous is None:
        return [], []
    tambons = scoped_tambons(user=user, programme=programme, network=network)
    before = TambonClassification.objects.filter(tambon=OuterRef("tambon"), quarter=str(previous))
    rows = list(
        TambonClassification.objects.filter(programme=programme, quarter=str(quarter), tambon__in=tambons)
        .select_related("band", "tambon__subdistrict__district__province", "tambon__university")
        .annotate(
            rank=Coalesce("band__rank", 0),
            previous_rank=Subquery(before.annotate(r=Coalesce("band__rank", 0)).values("r")[:1]),
            previous_band=Subquery(before.values("band_id")[:1]),
            previous_goals=Subquery(before.values("goals_met")[:1]),
        )
        .exclude(previous_rank__isnull=True)
        .order_by("tambon__subdistrict_id")
    )
    bands = {b.pk: b for b in class_bands(programme)}
    for row in rows:
        row.previous_band_obj = bands.get(row.previous_band)
    return [r for r in rows if r.rank > r.previous_rank], [r for r in rows if r.rank < r.previous_rank]


# --- review queue ---------------------------------------------------------------------------------------------


def review_queue(*, user: User, programme: Programme) -> list:
    """Submitted assessments this user may accept or return (access.reviewable), oldest first."""
    waiting = {"programme": programme, "status": ReviewStatus.SUBMITTED}
    items = [
        *access.reviewable(user, TambonAssessment.objects.filter(**waiting)).select_related(
            "tambon__subdistrict__district__province", "tambon__university", "submitted_by"
        ),
        *access.reviewable(user, UniversityAssessment.objects.filter(**waiting)).select_related(
            "university", "submitted_by"
        ),
        *access.reviewable(user, NetworkAssessment.objects.filter(**waiting)).select_related("network", "submitted_by"),
    ]
    return sorted(items, key=lambda i: i.submitted_at)


# --- indicators as numbers (issue #15 item 8) -------------------------------------------------------------------


@dataclass
class IndicatorPoint:
    quarter: Quarter
    value: Decimal | None
    width: float  # % of the chart's width
    units: int  # units (tambons…) whose value is in the sum


@dataclass
class IndicatorSeries:
    indicator: Indicator
    unit: str
    baseline: Decimal | None  # of the latest quarter that has one
    target: Decimal | None
    points: list[IndicatorPoint]
    target_at: float | None = None  # where the target mark sits (% of width)
    baseline_at: float | None = None

    @property
    def latest(self) -> Decimal | None:
        return next((p.value for p in reversed(self.points) if p.value is not None), None)

    @property
    def meets(self) -> bool:
        return self.latest is not None and self.target is not None and self.latest >= self.target


def _at(value: Decimal | None, largest: Decimal) -> float | None:
    return None if value is None else (round(float(value) * 100 / float(largest), 1) if largest > 0 else 0.0)


def indicator_series(programme: Programme, results: QuerySet) -> list[IndicatorSeries]:
    """Each indicator that has numbers in `results` (indicator results of accepted assessments of one or many
    units of one level): its value per quarter summed over the units, against the baseline and target summed
    the same way in the latest quarter that has them. One aggregate query; for one unit the sums are its own."""
    quarters = programme_quarters(programme)
    rows = (
        results.filter(assessment__status=ReviewStatus.ACCEPTED, assessment__programme=programme)
        .filter(Q(value__isnull=False) | Q(target__isnull=False) | Q(baseline__isnull=False))
        .values("indicator_id", "assessment__quarter")
        .annotate(v=Sum("value"), t=Sum("target"), b=Sum("baseline"), n=Count("value"), unit_text=Max("unit"))
    )
    by_indicator: dict[int, dict[str, dict]] = {}
    for row in rows:
        by_indicator.setdefault(row["indicator_id"], {})[row["assessment__quarter"]] = row
    if not by_indicator:
        return []
    names = {i.pk: i for i in Indicator.objects.filter(pk__in=by_indicator).order_by("level", "number")}
    out = []
    for pk, indicator in names.items():
        filed = by_indicator[pk]
        latest = [filed[str(q)] for q in quarters if str(q) in filed]
        target = next((r["t"] for r in reversed(latest) if r["t"] is not None), None)
        baseline = next((r["b"] for r in reversed(latest) if r["b"] is not None), None)
        values = [r["v"] for r in latest if r["v"] is not None]
        largest = max([*values, target or 0, baseline or 0, Decimal(0)])
        points = [
            IndicatorPoint(q, filed.get(str(q), {}).get("v"), _at(filed.get(str(q), {}).get("v"), largest) or 0.0,
                           filed.get(str(q), {}).get("n", 0))
            for q in quarters if str(q) <= latest[-1]["assessment__quarter"]
        ]  # fmt: skip
        unit = next((r["unit_text"] for r in reversed(latest) if r["unit_text"]), "")
        out.append(IndicatorSeries(indicator, unit, baseline, target, points, _at(target, largest),
                                   _at(baseline, largest)))  # fmt: skip
    return out


def tambon_indicator_series(tambon: Tambon) -> list[IndicatorSeries]:
    return indicator_series(tambon.programme, TambonIndicatorResult.objects.filter(assessment__tambon=tambon))


def scope_indicator_series(*, programme: Programme, tambons: QuerySet[Tambon], university=None,
                           network=None) -> list[IndicatorSeries]:  # fmt: skip
    """A dashboard's indicators: the unit's own (USI of a university, RSI of a network), then the TSI indicators
    summed over the tambons in scope."""
    own = []
    if university is not None:
        own = indicator_series(programme, UniversityIndicatorResult.objects.filter(assessment__university=university))
    elif network is not None:
        own = indicator_series(programme, NetworkIndicatorResult.objects.filter(assessment__network=network))
    return own + indicator_series(programme, TambonIndicatorResult.objects.filter(assessment__tambon__in=tambons))
