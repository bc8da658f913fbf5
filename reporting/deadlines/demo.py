"""Demo deadlines: completion reports for the activities the reporting demo completed (some overdue), and the
6-month reports: usi1's university accepted (its tambons' 2nd instalment is eligible), a few others under way."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.test.utils import override_settings

from pbm import review
from pbm.models import Notification, ReviewStatus
from pbm.periods import BANGKOK, end_of_day
from reporting.models import Activity
from tambon.models import Membership, Role, University

from . import services
from .models import CompletionReport, DeadlineSettings, MouPeriod, MouReport

# share of completed activities in each state, in this order
STATES = [(ReviewStatus.ACCEPTED, 50), ("late", 15), (ReviewStatus.SUBMITTED, 10), ("overdue", 25)]


# The days around the demo's last monthly deadline (October's report, due 2 Nov 2564): the reminders 3 days
# before and on the day, and the reviewers' escalation digest the day after.
REMINDER_DAYS = (dt.date(2021, 10, 30), dt.date(2021, 11, 2), dt.date(2021, 11, 3))


def seed(*, context, stdout=None) -> None:
    _seed_reports(context=context, stdout=stdout)
    _seed_unit_reports(context.programme, stdout)
    _past_reminders(context.programme, stdout)


UNIT_REPORT_MONTHS = 3  # the last three reported months (reporting.demo.REPORTED_MONTHS)


@transaction.atomic
def _seed_unit_reports(programme, stdout=None) -> None:
    """Every university's monthly report and every network's management report for the last reported months:
    the earlier months accepted, the last one submitted (a few late) or still a draft; figures frozen as the
    submit service does. Existing reports are kept."""
    from pbm.models import ReviewStatus
    from reporting.demo import REPORTED_MONTHS
    from tambon.models import Membership, Network, Role, University

    from .models import UnitMonthlyReport
    from .selectors import unit_month_figures

    months = programme.months()[REPORTED_MONTHS - UNIT_REPORT_MONTHS : REPORTED_MONTHS]
    have = set(UnitMonthlyReport.objects.filter(programme=programme).values_list("year", "month", "university_id",
                                                                                "network_id"))  # fmt: skip
    filers = {
        ("university", m.university_id): m.user_id for m in Membership.objects.filter(role=Role.UNIVERSITY_MANAGER)
    }
    filers |= {("network", m.network_id): m.user_id for m in Membership.objects.filter(role=Role.RSI_REVIEWER)}
    nsi = Membership.objects.filter(role=Role.NSI_REVIEWER).values_list("user_id", flat=True).first()
    units = [("university", u) for u in University.objects.filter(tambons__programme=programme).distinct()]
    units += [("network", n) for n in Network.objects.filter(tambons__programme=programme).distinct()]
    rng, made = random.Random(2564_1), []
    for year, month in months:
        due = services.unit_report_deadline(programme, year, month)
        last = (year, month) == months[-1]
        for kind, unit in units:
            owner = {
                "university": unit if kind == "university" else None,
                "network": unit if kind == "network" else None,
            }
            key = (year, month, getattr(owner["university"], "pk", None), getattr(owner["network"], "pk", None))
            filer = filers.get((kind, unit.pk))
            if key in have or filer is None:
                continue
            draft = last and rng.random() < 0.15
            late = rng.random() < 0.1
            submitted = (
                due + dt.timedelta(days=rng.randint(1, 4)) if late else due - dt.timedelta(days=rng.randint(0, 3))
            )
            reviewer = nsi if kind == "network" else filers.get(("network", unit.network_id))
            status = ReviewStatus.DRAFT if draft else (ReviewStatus.SUBMITTED if last else ReviewStatus.ACCEPTED)
            made.append(UnitMonthlyReport(
                programme=programme, year=year, month=month, **owner, status=status,
                narrative=("สรุปการจ้างงาน กิจกรรมของตำบล และการบริหารจัดการของมหาวิทยาลัยประจำเดือน" if kind == "university"
                           else "การบริหารจัดการเครือข่าย การติดตามและให้คำปรึกษามหาวิทยาลัยในเครือข่าย"),
                management_actual=Decimal(rng.randint(20, 90) * 1000),
                figures={} if draft else unit_month_figures(programme=programme, year=year, month=month, **owner),
                submitted_by_id=None if draft else filer, submitted_at=None if draft else submitted,
                first_submitted_at=None if draft else submitted, is_late=late and not draft,
                reviewed_by_id=reviewer if status == ReviewStatus.ACCEPTED else None,
                reviewed_at=submitted + dt.timedelta(days=2) if status == ReviewStatus.ACCEPTED else None,
            ))  # fmt: skip
    UnitMonthlyReport.objects.bulk_create(made, batch_size=2000)
    if stdout:
        stdout.write(f"unit monthly reports: {len(made)} added")


def _past_reminders(programme, stdout=None) -> None:
    """What the daily reminder job sent on those days, through the same service, so the demo's people have
    notifications to read. The emails of these past days are discarded; re-running sends nothing twice."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        counts = [services.reminders_send(on_date=day, programme=programme) for day in REMINDER_DAYS]
    for day in REMINDER_DAYS:  # dated the morning they were sent, not the day the demo was loaded
        morning = dt.datetime.combine(day, dt.time(8), tzinfo=BANGKOK)
        Notification.objects.filter(sentmessage__on_date=day, created_at__gt=morning).update(created_at=morning)
    if stdout:
        stdout.write("reminders: " + "; ".join(f"{day}: {c}" for day, c in zip(REMINDER_DAYS, counts, strict=True)))


@transaction.atomic
def _seed_reports(*, context, stdout=None) -> None:
    programme, rng = context.programme, context.rng
    settings = DeadlineSettings.for_programme(programme)
    activities = list(
        Activity.objects.filter(tambon__programme=programme, completed_on__isnull=False, completion_report__isnull=True)
        .select_related("tambon")
        .order_by("id")
    )
    reports = []
    for activity in activities:
        due = activity.completed_on + dt.timedelta(days=settings.completion_report_days)
        state = rng.choices([s for s, _w in STATES], weights=[w for _s, w in STATES])[0]
        report = CompletionReport(
            activity=activity, due_on=due, results="ดำเนินกิจกรรมครบตามแผน ผู้เข้าร่วมพึงพอใจ",
            participants={"persons": rng.randint(20, 80), "households": rng.randint(10, 40)},
        )  # fmt: skip
        if state != "overdue":
            at = (
                end_of_day(due) - dt.timedelta(days=rng.randint(1, 5))
                if state != "late"
                else end_of_day(due) + dt.timedelta(days=3)
            )
            report.status = ReviewStatus.ACCEPTED if state == ReviewStatus.ACCEPTED else ReviewStatus.SUBMITTED
            report.first_submitted_at = report.submitted_at = at.astimezone(BANGKOK)
            report.is_late = state == "late"
        reports.append(report)
    CompletionReport.objects.bulk_create(reports, batch_size=5000)

    _six_month_reports(programme)
    if stdout:
        overdue = sum(1 for r in reports if r.first_submitted_at is None)
        stdout.write(f"deadlines: {len(reports)} completion reports ({overdue} overdue), 6-month reports under way")


def _staff(university: University, role: str):
    membership = Membership.objects.filter(university=university, role=role).select_related("user").first()
    return membership.user if membership else None


def _six_month_reports(programme) -> None:
    """usi1's university: accepted. The next three: submitted, returned, draft. Through the services."""
    universities = list(
        University.objects.filter(tambons__programme=programme).distinct().order_by("network__number", "code")[:4]
    )
    if not universities or MouReport.objects.filter(programme=programme).exists():
        return
    steps = ["accepted", "submitted", "returned", "draft"]
    for university, step in zip(universities, steps, strict=False):
        reporter = _staff(university, Role.UNIVERSITY_REPORTER)
        reviewer = (
            Membership.objects.filter(network=university.network, role=Role.RSI_REVIEWER).select_related("user").first()
        )
        if reporter is None or reviewer is None:
            continue
        report = services.mou_report_for(programme=programme, period=MouPeriod.SIX_MONTH, university=university)
        services.mou_report_save(report=report, user=reporter, sections={
            "summary": "ดำเนินงานครบทุกตำบลตามแผน จ้างงานครบตามกรอบ", "results": "ตำบลมีข้อมูลชุมชนและแผนพัฒนาอาชีพ",
            "problems": "สถานการณ์โควิด-19 ทำให้ต้องปรับกิจกรรมเป็นออนไลน์บางส่วน", "lessons": "การทำงานร่วมกับผู้นำชุมชนตั้งแต่ต้น",
            "next_steps": "ขยายผลผลิตภัณฑ์ชุมชนสู่ตลาดออนไลน์",
        })  # fmt: skip
        if step == "draft":
            continue
        services.mou_report_submit(report=report, user=reporter, at=dt.datetime(2021, 7, 12, 10, tzinfo=BANGKOK))
        if step == "accepted":
            review.review_accept(obj=report, user=reviewer.user)
        elif step == "returned":
            review.review_return(obj=report, user=reviewer.user, reason="กรุณาเพิ่มตัวเลขการเบิกจ่ายรายตำบล")
