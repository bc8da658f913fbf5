"""Demo assessments: three quarters of tambon assessments with a national picture near (not at) the 25/50/25
target and tambons moving between classes, USI and RSI assessments, TPMAP households and activity forms for a
few tambons; then the classification job. Deterministic, idempotent (existing rows are kept), bulk writes.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from pbm.models import ReviewStatus
from pbm.periods import BANGKOK, add_months, quarter_months
from tambon.models import Membership, Role

from . import services
from .models import (
    TPMAP_DIMENSIONS,
    ActivityAssessment,
    ActivityGoalMark,
    ActivityIndicatorNote,
    ActivityStage,
    ClassBand,
    ColumnKind,
    Goal,
    GoalMark,
    GoalResult,
    Household,
    Indicator,
    IndicatorLevel,
    NetworkAssessment,
    NetworkIndicatorResult,
    TambonAssessment,
    TambonIndicatorResult,
    UniversityAssessment,
    UniversityIndicatorResult,
)
from .quarters import programme_quarters

DEMO_QUARTERS = 3  # Q1–Q3 filed; the last one still partly under review
LAST_QUARTER_ACCEPTED = 0.9
UNCLASSIFIED_SHARE = 0.05  # tambons still below the lowest band in the last quarter
HOUSEHOLD_TAMBONS, HOUSEHOLDS_EACH = 30, 60
ACTIVITY_TAMBONS = 10


def _filed_at(programme, quarter, days_after: int) -> dt.datetime:
    year, month = add_months(*quarter_months(programme.start_date, quarter)[-1], 1)
    return dt.datetime(year, month, 1, 10, 0, tzinfo=BANGKOK) + dt.timedelta(days=days_after)


def _goal_paths(rng: random.Random, bands: list[ClassBand], goal_count: int, quarters: int) -> list[int]:
    """Goals met per quarter for one tambon: the last quarter drawn to the target shares (slightly off them),
    earlier quarters mostly lower (tambons improve), some higher (they slip)."""
    weights = [float(b.target_share) * (1 - UNCLASSIFIED_SHARE) / 100 for b in bands]
    choice = rng.choices([*bands, None], weights=[*weights, UNCLASSIFIED_SHARE])[0]
    last = (
        rng.randint(choice.min_goals, choice.max_goals)
        if choice
        else rng.randint(0, min(b.min_goals for b in bands) - 1)
    )
    path = [last]
    for _ in range(quarters - 1):
        step = rng.choices([0, 1, 2, 3, -1, -2], weights=[30, 30, 15, 5, 12, 8])[0]
        path.insert(0, max(0, min(goal_count, path[0] - step)))
    return path


def _definition_loaded(programme, stdout=None) -> None:
    """The class rule reads the bands' requirements from the programme's definition: load the programme's file
    as `programme_load` does when the database was built from migrations only (an operator's first step)."""
    from django.conf import settings

    from pbm.programmes.definition import parse_file
    from pbm.programmes.loader import LoadRefused, load

    path = settings.BASE_DIR / "programmes" / f"{programme.code}.yaml"
    if programme.definition or not path.exists():
        return
    try:
        load(parse_file(path))
    except LoadRefused as refused:
        if stdout:
            stdout.write(f"assessment: {path.name} not loaded: {refused}")
    programme.refresh_from_db()


# Demo inputs of the class rule besides the goals: most tambons with the most goals are model tambons
MODEL_TAMBON_SHARE, INCOME_MEAN, INCOME_SPREAD, INCOME_UNMEASURED = 0.85, 6.5, 3.0, 0.08


def _class_inputs(rng: random.Random, goals_met: int, top_min_goals: int) -> dict:
    """Drawn from its own generator (per tambon and quarter), so the goal paths stay what they were."""
    top = goals_met >= top_min_goals
    income = None
    if rng.random() > INCOME_UNMEASURED:
        income = round(rng.gauss(INCOME_MEAN if top else INCOME_MEAN / 2, INCOME_SPREAD), 2)
    return {"model_tambon": top and rng.random() < MODEL_TAMBON_SHARE, "income_change_percent": income}


@transaction.atomic
def seed(*, context, stdout=None) -> None:
    programme, rng = context.programme, random.Random(25640)
    _definition_loaded(programme, stdout)
    quarters = programme_quarters(programme)[:DEMO_QUARTERS]
    goals = list(Goal.objects.filter(programme=programme).order_by("number"))
    bands = list(ClassBand.objects.filter(programme=programme).order_by("-rank"))
    tsi = list(Indicator.objects.filter(programme=programme, level=IndicatorLevel.TAMBON).order_by("number"))
    reporters = dict(
        Membership.objects.filter(role=Role.UNIVERSITY_REPORTER)
        .order_by("user_id")
        .values_list("university_id", "user_id")
    )
    reviewers = dict(
        Membership.objects.filter(role=Role.RSI_REVIEWER).order_by("user_id").values_list("network_id", "user_id")
    )
    existing = set(TambonAssessment.objects.filter(programme=programme).values_list("tambon_id", "quarter"))

    plans, new = {}, []
    for tambon in context.tambons:  # every tambon draws, so the picture does not depend on what exists already
        path = _goal_paths(rng, bands, len(goals), len(quarters))
        for index, quarter in enumerate(quarters):
            last = index == len(quarters) - 1
            status = ReviewStatus.ACCEPTED
            if last and rng.random() > LAST_QUARTER_ACCEPTED:
                status = rng.choice([ReviewStatus.SUBMITTED, ReviewStatus.DRAFT])
            if (tambon.pk, str(quarter)) in existing:
                continue
            submitted = status != ReviewStatus.DRAFT
            filed = _filed_at(programme, quarter, rng.randint(0, 10))
            new.append(TambonAssessment(
                tambon=tambon, programme=programme, quarter=str(quarter), status=status,
                **_class_inputs(random.Random(tambon.pk * 10 + index), path[index], bands[0].min_goals),
                submitted_by_id=reporters.get(tambon.university_id) if submitted else None,
                submitted_at=filed if submitted else None, first_submitted_at=filed if submitted else None,
                reviewed_by_id=reviewers.get(tambon.network_id) if status == ReviewStatus.ACCEPTED else None,
                reviewed_at=filed + dt.timedelta(days=3) if status == ReviewStatus.ACCEPTED else None,
                updated_by_id=reporters.get(tambon.university_id),
            ))  # fmt: skip
            plans[(tambon.pk, str(quarter))] = path[index]
    TambonAssessment.objects.bulk_create(new, batch_size=2000)
    results, evidence = [], []
    quarter_index = {str(q): n for n, q in enumerate(quarters)}
    for assessment in new:  # PostgreSQL and SQLite ≥ 3.35 return the new ids from bulk_create
        met = plans[(assessment.tambon_id, assessment.quarter)]
        met_goals = set(rng.sample(range(len(goals)), met))
        results += [
            GoalResult(assessment=assessment, goal=goal, met=i in met_goals,
                       evidence=f"หลักฐานเป้าหมายที่ {goal.number}" if i in met_goals else "")
            for i, goal in enumerate(goals)
        ]  # fmt: skip
        last_quarter = assessment.quarter == str(quarters[-1])
        for i in tsi:
            numbers = _indicator_numbers(assessment.tambon_id, i.number, quarter_index[assessment.quarter])
            if last_quarter or numbers:
                evidence.append(TambonIndicatorResult(assessment=assessment, indicator=i,
                                                      evidence=f"ผลตัวชี้วัด {i.number}" if last_quarter else "",
                                                      **(numbers or {})))  # fmt: skip
    GoalResult.objects.bulk_create(results, batch_size=5000)
    TambonIndicatorResult.objects.bulk_create(evidence, batch_size=5000)

    _seed_unit_assessments(programme, quarters[:-1], reporters, reviewers)
    _seed_households(context.tambons[:HOUSEHOLD_TAMBONS], rng)
    _seed_activity_forms(context.tambons[:ACTIVITY_TAMBONS], goals, tsi, reporters)
    outcome = services.tambon_classify_programme(programme=programme)
    _seed_committee(programme, quarters, bands)
    _seed_impact_reports(programme, context.tambons[:IMPACT_TAMBONS], reporters, reviewers)
    if stdout:
        last = next((r for r in reversed(outcome) if r.distribution), None)
        summary = (
            ", ".join(f"{code or 'unclassified'} {n}" for code, n in sorted(last.distribution.items())) if last else "-"
        )
        stdout.write(
            f"assessment: {len(new)} tambon assessments added; {last.quarter if last else ''} classes: {summary}"
        )


# TSI indicators the demo gives numbers (issue #15 item 8): number → (unit, baseline range, target growth).
NUMERIC_INDICATORS = {2: ("ครัวเรือน", (40, 160), 1.5), 6: ("คน", (20, 80), 2.0), 11: ("กิจการ", (0, 2), None)}


def _indicator_numbers(tambon_id: int, number: int, quarter: int) -> dict | None:
    """Baseline, target and a value growing quarter by quarter (a tambon's own draw, the same every quarter)."""
    if number not in NUMERIC_INDICATORS:
        return None
    unit, (low, high), growth = NUMERIC_INDICATORS[number]
    own = random.Random(tambon_id * 100 + number)
    baseline = own.randint(low, high)
    target = round(baseline * growth) if growth else own.randint(2, 5)
    share = min(1.15, (quarter + 1) / 3 * own.uniform(0.7, 1.1))
    value = round(baseline + (target - baseline) * share)
    return {"unit": unit, "baseline": baseline, "target": target, "value": value}


IMPACT_TAMBONS = 12  # tambons with a 12-month impact report (issue #15 item 2); the first network has its own


def _seed_impact_reports(programme, tambons, reporters, reviewers) -> None:
    """12-month reports for a few tambons (households in need from their TPMAP picture, before and after) and
    for the first network: most submitted with their figures frozen as the submit service does, one accepted,
    one a draft. Existing reports are kept."""
    from tambon.models import Network

    from .impact import impact_figures
    from .models import ImpactReport

    have = set(ImpactReport.objects.filter(programme=programme).values_list("tambon_id", "network_id"))
    rng, made = random.Random(2564_12), []
    filed = _filed_at(programme, programme_quarters(programme)[-1], 10)
    for n, tambon in enumerate(tambons):
        filer = reporters.get(tambon.university_id)
        if (tambon.pk, None) in have or filer is None:
            continue
        surveyed = Household.objects.filter(tambon=tambon).count() or rng.randint(300, 900)
        before = rng.randint(surveyed // 5, surveyed // 2)
        status = ReviewStatus.DRAFT if n == 1 else (ReviewStatus.ACCEPTED if n == 0 else ReviewStatus.SUBMITTED)
        made.append(ImpactReport(
            programme=programme, tambon=tambon, status=status,
            summary="ดำเนินกิจกรรมพัฒนาอาชีพ ยกระดับสินค้าชุมชน และจ้างงานครบตามแผนตลอด 12 เดือน",
            impact="ครัวเรือนเป้าหมายมีรายได้เพิ่มขึ้น เกิดกลุ่มอาชีพใหม่และช่องทางจำหน่ายออนไลน์",
            evidence="ภาพถ่ายกิจกรรม รายงานประจำเดือน และแบบสำรวจ TPMAP ก่อนและหลังดำเนินโครงการ",
            households_surveyed=surveyed, households_in_need_before=before,
            households_in_need_after=max(0, before - rng.randint(before // 10, before // 3)),
            figures={} if status == ReviewStatus.DRAFT else impact_figures(programme=programme, tambon=tambon),
            submitted_by_id=None if status == ReviewStatus.DRAFT else filer,
            submitted_at=None if status == ReviewStatus.DRAFT else filed,
            first_submitted_at=None if status == ReviewStatus.DRAFT else filed,
            reviewed_by_id=reviewers.get(tambon.network_id) if status == ReviewStatus.ACCEPTED else None,
            reviewed_at=filed + dt.timedelta(days=5) if status == ReviewStatus.ACCEPTED else None,
        ))  # fmt: skip
    ImpactReport.objects.bulk_create(made)
    network = Network.objects.filter(tambons__in=[t.pk for t in tambons]).order_by("number").first()
    if network is not None and (None, network.pk) not in have and reviewers.get(network.pk):
        ImpactReport.objects.create(
            programme=programme, network=network, status=ReviewStatus.SUBMITTED,
            summary="มหาวิทยาลัยในเครือข่ายดำเนินโครงการครบทุกตำบล", impact="ตำบลในเครือข่ายยกระดับตามเป้าหมาย",
            evidence="รายงานของมหาวิทยาลัยและตำบลในเครือข่าย",
            figures=impact_figures(programme=programme, network=network), submitted_by_id=reviewers[network.pk],
            submitted_at=filed + dt.timedelta(days=7), first_submitted_at=filed + dt.timedelta(days=7),
        )  # fmt: skip


def _seed_committee(programme, quarters, bands) -> None:
    """The committee confirmed the first quarter and set one tambon's class in the second (with its reason)."""
    from .models import ClassConfirmation, TambonClassification

    nsi = Membership.objects.filter(role=Role.NSI_REVIEWER).select_related("user").first()
    if nsi is None or len(quarters) < 2:
        return
    held_back = (
        TambonClassification.objects.filter(
            programme=programme, quarter=str(quarters[1]), goals_met__gte=bands[0].min_goals
        )
        .exclude(band=bands[0])
        .order_by("tambon_id")
        .first()
    )
    if (
        held_back is not None
        and not TambonClassification.objects.filter(programme=programme, overridden_at__isnull=False).exists()
    ):
        services.class_override(classification=held_back, user=nsi.user, band=bands[0],
                                reason="คณะกรรมการพิจารณาผลสำรวจรายได้รอบใหม่ ครัวเรือนมีรายได้เพิ่มขึ้นเกินร้อยละ 5")  # fmt: skip
    if not ClassConfirmation.objects.filter(programme=programme, quarter=str(quarters[0])).exists():
        services.class_confirm(programme=programme, quarter=quarters[0], user=nsi.user,
                               note="มติคณะกรรมการบริหารโครงการ ครั้งที่ 1/2564")  # fmt: skip


def _seed_unit_assessments(programme, quarters, reporters, reviewers) -> None:
    from tambon.models import Network, University

    nsi = Membership.objects.filter(role=Role.NSI_REVIEWER).values_list("user_id", flat=True).first()
    usi = list(Indicator.objects.filter(programme=programme, level=IndicatorLevel.UNIVERSITY))
    rsi = list(Indicator.objects.filter(programme=programme, level=IndicatorLevel.NETWORK))
    for quarter in quarters:
        filed = _filed_at(programme, quarter, 5)
        done = set(
            UniversityAssessment.objects.filter(programme=programme, quarter=str(quarter)).values_list(
                "university_id", flat=True
            )
        )
        unis = [u for u in University.objects.filter(tambons__programme=programme).distinct() if u.pk not in done]
        made = UniversityAssessment.objects.bulk_create(
            UniversityAssessment(university=u, programme=programme, quarter=str(quarter), status=ReviewStatus.ACCEPTED,
                                 submitted_by_id=reporters.get(u.pk), submitted_at=filed, first_submitted_at=filed,
                                 reviewed_by_id=reviewers.get(u.network_id), reviewed_at=filed + dt.timedelta(days=4))
            for u in unis
        )  # fmt: skip
        UniversityIndicatorResult.objects.bulk_create(
            UniversityIndicatorResult(assessment=a, indicator=i, evidence=f"ผลตัวชี้วัด USI {i.number}")
            for a in made if a.pk for i in usi
        )  # fmt: skip
        done = set(
            NetworkAssessment.objects.filter(programme=programme, quarter=str(quarter)).values_list(
                "network_id", flat=True
            )
        )
        made = NetworkAssessment.objects.bulk_create(
            NetworkAssessment(network=n, programme=programme, quarter=str(quarter), status=ReviewStatus.ACCEPTED,
                              submitted_by_id=reviewers.get(n.pk), submitted_at=filed, first_submitted_at=filed,
                              reviewed_by_id=nsi, reviewed_at=filed + dt.timedelta(days=6))
            for n in Network.objects.exclude(pk__in=done)
        )  # fmt: skip
        NetworkIndicatorResult.objects.bulk_create(
            NetworkIndicatorResult(assessment=a, indicator=i, evidence=f"ผลตัวชี้วัด RSI {i.number}")
            for a in made if a.pk for i in rsi
        )  # fmt: skip


def _seed_households(tambons, rng: random.Random) -> None:
    have = set(Household.objects.filter(tambon__in=tambons).values_list("tambon_id", flat=True).distinct())
    rows = []
    for tambon in tambons:
        for n in range(1, HOUSEHOLDS_EACH + 1):
            # Most households pass most dimensions; income is the one most often failed (as in TPMAP).
            fails = {
                f"fails_{name}": rng.random() < (0.45 if name == "income" else 0.18) for name, _l in TPMAP_DIMENSIONS
            }
            if tambon.pk not in have:
                rows.append(Household(tambon=tambon, code=f"{tambon.subdistrict_id}-{n:04d}", **fails))
    Household.objects.bulk_create(rows, batch_size=5000)


# Which goals each activity category tends to target (expected, already has): demo only.
CATEGORY_GOALS = [([4, 7], [1]), ([7, 15], [2, 9]), ([12, 13], [11]), ([5, 9], [6]), ([1, 16], [10])]


def _seed_activity_forms(tambons, goals, tsi, reporters) -> None:
    """Start and end forms for a few tambons, one column per recorded (reporting) activity plus the two fixed."""
    from reporting.models import Activity

    by_number = {g.number: g for g in goals}
    done = set(ActivityAssessment.objects.filter(tambon__in=tambons).values_list("tambon_id", flat=True))
    activities: dict[int, list] = {}
    for activity in Activity.objects.filter(tambon__in=tambons).select_related("category").order_by("id"):
        activities.setdefault(activity.tambon_id, []).append(activity)
    columns, marks, notes = [], [], []
    for tambon in tambons:
        if tambon.pk in done or tambon.university_id not in reporters:
            continue
        for stage in ActivityStage.values:
            keys = [(ColumnKind.ACTIVITY, a) for a in activities.get(tambon.pk, [])[:4]]
            keys += [(ColumnKind.COVID, None), (ColumnKind.COMMUNITY_DATA, None)]
            for position, (kind, activity) in enumerate(keys):
                column = ActivityAssessment(tambon=tambon, stage=stage, kind=kind, activity=activity, position=position,
                                            updated_by_id=reporters[tambon.university_id])  # fmt: skip
                columns.append(column)
                if activity is not None:
                    expected, has = CATEGORY_GOALS[(activity.category.position or 1) % len(CATEGORY_GOALS)]
                    target = GoalMark.EXPECTED if stage == ActivityStage.START else GoalMark.ALREADY_HAS
                    marks += [(column, by_number[n], target) for n in expected if n in by_number]
                    marks += [(column, by_number[n], GoalMark.ALREADY_HAS) for n in has if n in by_number]
                    notes += [(column, i, f"{activity.name[:40]}: {i.name_th[:30]}") for i in tsi[:3]]
                elif kind == ColumnKind.COVID:
                    notes += [(column, i, "สำรวจและเฝ้าระวังรายสัปดาห์") for i in tsi if i.number == 10]
    ActivityAssessment.objects.bulk_create(columns)
    ActivityGoalMark.objects.bulk_create(ActivityGoalMark(column=c, goal=g, mark=m) for c, g, m in marks if c.pk)
    ActivityIndicatorNote.objects.bulk_create(
        ActivityIndicatorNote(column=c, indicator=i, evidence=e) for c, i, e in notes if c.pk
    )
