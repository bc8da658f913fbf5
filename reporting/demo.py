"""Demo budget plans and monthly reports for every demo tambon, as of mid-November 2564 (2021).

Every tambon gets the default lines, the sample split of the activity budget (DOMAIN.md §4) and two or three
activities; months January–October carry a realistic spread of states: mostly accepted, some returned,
submitted or still draft, some late, and a few tambons that have not filed their last months. Bulk writes only;
deterministic (the context's seeded rng) and idempotent (tambons that already have lines are left alone).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from pbm.models import ReviewStatus
from pbm.periods import BANGKOK, month_due_date
from tambon.models import User

from .models import Activity, BudgetCategory, BudgetLine, CategoryKind, MonthlyAmount, MonthlyReport
from .services import budget_plan_init_many

SPLIT = {"2.1": Decimal(320000), "2.2": Decimal(176000), "2.3": Decimal(160000), "2.4": Decimal(80000),
         "2.5": Decimal(64000)}  # fmt: skip
ACTIVITY_NAMES = {
    "2.1": ("พัฒนาผลิตภัณฑ์ OTOP และบรรจุภัณฑ์", "OTOP product and packaging development"),
    "2.2": ("ยกระดับเส้นทางท่องเที่ยวชุมชน", "Community tourism route"),
    "2.3": ("คลินิกสุขภาพและเทคโนโลยีชุมชน", "Community health and technology clinic"),
}
REPORTED_MONTHS = 10  # January–October are due by 2 November; November is still open
TODAY = dt.datetime(2021, 11, 15, 10, tzinfo=BANGKOK)


@transaction.atomic
def seed(*, context, stdout=None) -> None:
    programme, rng = context.programme, context.rng
    tambons = [t for t in context.tambons if t.programme_id == programme.pk]
    have = set(BudgetLine.objects.filter(tambon__in=tambons).values_list("tambon_id", flat=True).distinct())
    tambons = [t for t in tambons if t.pk not in have]
    if not tambons:
        if stdout:
            stdout.write("reporting: demo plans already there")
        return
    months = programme.months()
    budget_plan_init_many(tambons=tambons)
    categories = {c.code: c for c in BudgetCategory.objects.filter(programme=programme)}
    lines = list(BudgetLine.objects.filter(tambon__in=tambons).select_related("category"))
    by_key = {(line.tambon_id, line.category.code): line for line in lines}

    # The university splits the activity budget: category totals, then an activity per category 2.1–2.3.
    for line in lines:
        if line.category.code in SPLIT:
            line.total = SPLIT[line.category.code]
    BudgetLine.objects.bulk_update([line for line in lines if line.category.code in SPLIT], ["total"], batch_size=5000)
    activities = []
    for tambon in tambons:
        for code, (name_th, _name_en) in ACTIVITY_NAMES.items():
            start = rng.randint(1, 4)
            activities.append(Activity(
                tambon=tambon, category=categories[code], name=name_th, budget=SPLIT[code] / 2,
                start_date=dt.date(2021, start, 1), end_date=dt.date(2021, start + 6, 28),
                target_group="ครัวเรือนเป้าหมาย", target_quantity=rng.choice([20, 35, 50]), target_unit="ครัวเรือน",
                completed_on=dt.date(2021, start + 6, 20) if start <= 3 else None,
            ))  # fmt: skip
    Activity.objects.bulk_create(activities, batch_size=5000)
    activity_lines = [BudgetLine(tambon=a.tambon, category=a.category, activity=a, total=a.budget) for a in activities]
    BudgetLine.objects.bulk_create(activity_lines, batch_size=5000)

    amounts = []
    # Category lines 2.1–2.3 plan the half not given to their activity over Jan–Oct; 2.4/2.5 in September.
    for tambon in tambons:
        for code, total in SPLIT.items():
            line = by_key[(tambon.pk, code)]
            if code in ACTIVITY_NAMES:
                share = total / 2 / 10
                amounts += [MonthlyAmount(line=line, year=y, month=m, plan=share) for y, m in months[:10]]
            else:
                amounts.append(MonthlyAmount(line=line, year=2021, month=9, plan=total))
    for line in activity_lines:
        start = line.activity.start_date.month
        active = [(y, m) for y, m in months if start <= m < start + 6]
        share = (line.total / len(active)).quantize(Decimal("1"))
        plans = [share] * (len(active) - 1) + [line.total - share * (len(active) - 1)]
        amounts += [MonthlyAmount(line=line, year=y, month=m, plan=p) for (y, m), p in zip(active, plans, strict=True)]
    MonthlyAmount.objects.bulk_create(amounts, batch_size=10000)

    # Actuals: each filed month spends 80–100% of the line's plan, so no line goes above its total (an over-budget
    # month needs an explanation for the reviewer, which the demo does not write).
    filed = {}
    for tambon in tambons:
        missing = rng.random() < 0.08  # a few tambons have not filed their last one or two months
        filed[tambon.pk] = REPORTED_MONTHS - (rng.randint(1, 2) if missing else 0)
    line_tambon = {line.pk: line.tambon_id for line in lines + activity_lines}
    # Only what a person could have typed: hiring lines' actuals are the roster's wages due (tambon/roster/demo.py
    # accepts the work), never amounts on the line.
    wage_lines = {line.pk for line in lines if line.category.kind == CategoryKind.HIRING}
    to_update = []
    for amount in MonthlyAmount.objects.filter(line__tambon__in=tambons).only("id", "line_id", "month", "plan"):
        if amount.line_id in wage_lines:
            continue
        if amount.month <= filed[line_tambon[amount.line_id]] and amount.plan:
            amount.actual = (amount.plan * Decimal(rng.randint(80, 100)) / 100).quantize(Decimal("1"))
            to_update.append(amount)
    MonthlyAmount.objects.bulk_update(to_update, ["actual"], batch_size=10000)
    _seed_splits(programme, [a for a in to_update if a.line_id in {line.pk for line in activity_lines}])

    reporters = dict(User.objects.filter(memberships__role="university_reporter").values_list(
        "memberships__university_id", "pk"))  # fmt: skip
    reviewers = dict(User.objects.filter(memberships__role="rsi_reviewer").values_list("memberships__network_id", "pk"))
    reports = []
    for tambon in tambons:
        for year, month in months[: filed[tambon.pk]]:
            reports.append(_report(tambon, year, month, rng, reporters.get(tambon.university_id),
                                   reviewers.get(tambon.network_id)))  # fmt: skip
    MonthlyReport.objects.bulk_create(reports, batch_size=5000)
    if stdout:
        counts = {s: sum(1 for r in reports if r.status == s) for s in ReviewStatus.values}
        stdout.write(f"reporting: {len(tambons)} tambon plans, {len(activities)} activities, {len(reports)} monthly "
                     f"reports {counts}, {sum(r.is_late for r in reports)} late")  # fmt: skip


def _seed_splits(programme, amounts: list[MonthlyAmount]) -> None:
    """Each activity line's actual spread over one to three funded expense types (issue #15 item 9), adding up
    to the actual exactly; drawn from its own generator so the rest of the demo stays as it was."""
    from .models import ExpenseSplit, ExpenseType

    kinds = list(ExpenseType.objects.filter(programme=programme, funded=True).order_by("position"))
    if not kinds:
        return
    rng, splits = random.Random(2564_9), []
    for amount in amounts:
        chosen = rng.sample(kinds, min(len(kinds), rng.randint(1, 3)))
        left = amount.actual
        for n, kind in enumerate(chosen):
            part = left if n == len(chosen) - 1 else (left * Decimal(rng.randint(30, 70)) / 100).quantize(Decimal("1"))
            left -= part
            if part > 0:
                splits.append(ExpenseSplit(amount_row=amount, expense_type=kind, amount=part))
    ExpenseSplit.objects.bulk_create(splits, batch_size=10000)


def _report(tambon, year, month, rng, reporter_id, reviewer_id) -> MonthlyReport:
    due = dt.datetime.combine(month_due_date(year, month, 2), dt.time(16), tzinfo=BANGKOK)
    late = rng.random() < 0.12
    submitted = due + dt.timedelta(days=rng.randint(1, 9) if late else -rng.randint(0, 3))
    if month <= 8:
        status = ReviewStatus.RETURNED if rng.random() < 0.02 else ReviewStatus.ACCEPTED
    elif month == 9:
        status = rng.choices([ReviewStatus.ACCEPTED, ReviewStatus.SUBMITTED, ReviewStatus.RETURNED], [70, 20, 10])[0]
    else:
        status = rng.choices([ReviewStatus.SUBMITTED, ReviewStatus.DRAFT, ReviewStatus.RETURNED], [65, 25, 10])[0]
    if submitted > TODAY:
        submitted, late = TODAY - dt.timedelta(hours=rng.randint(1, 48)), True
    filed = status != ReviewStatus.DRAFT and reporter_id
    reviewed = status in (ReviewStatus.ACCEPTED, ReviewStatus.RETURNED) and filed
    return MonthlyReport(
        tambon=tambon, year=year, month=month, status=status if filed else ReviewStatus.DRAFT,
        narrative="ดำเนินกิจกรรมตามแผน ผู้รับจ้างรายงานผลครบ" if filed else "",
        first_submitted_at=submitted if filed else None, submitted_at=submitted if filed else None,
        submitted_by_id=reporter_id if filed else None, is_late=bool(filed and late),
        reviewed_at=min(submitted + dt.timedelta(days=rng.randint(1, 5)), TODAY) if reviewed else None,
        reviewed_by_id=reviewer_id if reviewed else None,
        return_reason="แนบหลักฐานการจ่ายเงินให้ครบ" if reviewed and status == ReviewStatus.RETURNED else "",
    )  # fmt: skip
