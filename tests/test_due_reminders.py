"""The daily reminder job also covers the 6/12-month MOU reports and the quarterly assessments coming due."""

import datetime as dt

import pytest
from django.utils import translation

from assessment.models import NetworkAssessment, TambonAssessment, UniversityAssessment
from assessment.quarters import programme_quarters
from assessment.reminders import quarter_due
from pbm.formats import month_label
from pbm.models import Notification, SentMessage
from reporting.deadlines import services
from reporting.deadlines.models import DeadlineSettings, MouReport

pytestmark = pytest.mark.django_db


def told(prefix: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for name in SentMessage.objects.filter(key__startswith=prefix).values_list("recipient__username", flat=True):
        out[name] = out.get(name, 0) + 1
    return out


def test_mou_reports_due_remind_who_has_not_submitted(world):
    settings = DeadlineSettings.for_programme(world.programme)
    settings.save()
    due = settings.mou_6_month_due
    MouReport.objects.create(programme=world.programme, period="6m", university=world.university_b,
                             first_submitted_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC), status="submitted")  # fmt: skip
    counts = services.reminders_send(on_date=due - dt.timedelta(days=3))
    # university A's staff and both networks' RSI; university B has submitted
    assert told("mou-due:6m") == {"alice": 1, "mona": 1, "carol": 1, "dave": 1}
    assert counts.mou_reminders == 4
    assert services.reminders_send(on_date=due - dt.timedelta(days=3)).mou_reminders == 0  # once
    assert services.reminders_send(on_date=due - dt.timedelta(days=2)).mou_reminders == 0  # not a reminder day
    alice = Notification.objects.get(user=world.alice, sentmessage__key__startswith="mou-due")
    assert alice.url == f"/mou/6m/university/{world.university_a.pk}/"


def test_quarterly_assessments_due_remind_universities_and_networks(world):
    settings = DeadlineSettings.for_programme(world.programme)
    settings.save()
    quarter = programme_quarters(world.programme)[0]
    due = quarter_due(world.programme, quarter, settings.assessment_due_days)
    submitted = {"first_submitted_at": dt.datetime(2021, 1, 1, tzinfo=dt.UTC), "status": "submitted"}
    for tambon in (world.tambon_b,):
        TambonAssessment.objects.create(programme=world.programme, tambon=tambon, quarter=str(quarter), **submitted)
    UniversityAssessment.objects.create(programme=world.programme, university=world.university_b,
                                        quarter=str(quarter), **submitted)  # fmt: skip
    NetworkAssessment.objects.create(programme=world.programme, network=world.tambon_b.network, quarter=str(quarter),
                                     **submitted)  # fmt: skip
    counts = services.reminders_send(on_date=due)
    assert told(f"assessment-due:{quarter}") == {"alice": 1, "mona": 1, "carol": 1}  # B and network 2 are done
    assert counts.assessment_reminders == 3
    body = Notification.objects.get(user=world.alice).body
    assert "ห้วยแห้ง" in body and "พระสิงห์" in body and "ศรีภูมิ" not in body
    assert services.reminders_send(on_date=due).assessment_reminders == 0


def test_unit_monthly_reports_due_remind_universities_and_networks_not_yet_submitted(world):
    """A university's and a network's own monthly report is due with the tambons' (issue #15 item 1): before and on
    the due day, the staff of each university (each network's RSI) that has not submitted it are told, once."""
    from reporting.deadlines.models import UnitMonthlyReport
    from reporting.selectors import month_due_dates

    settings = DeadlineSettings.for_programme(world.programme)
    settings.save()
    (year, month), due = month_due_dates(world.programme)[0]
    submitted = {"first_submitted_at": dt.datetime(2021, 1, 1, tzinfo=dt.UTC), "status": "submitted"}
    UnitMonthlyReport.objects.create(programme=world.programme, year=year, month=month,
                                     university=world.university_b, **submitted)  # fmt: skip
    UnitMonthlyReport.objects.create(programme=world.programme, year=year, month=month,
                                     network=world.tambon_b.network)  # a draft is not submitted  # fmt: skip
    on = due - dt.timedelta(days=settings.days_before[0])
    counts = services.reminders_send(on_date=on)
    assert told(f"unit-report-due:{year}-{month:02d}") == {"alice": 1, "mona": 1, "carol": 1, "dave": 1}
    assert counts.unit_report_reminders == 4
    alice = Notification.objects.get(user=world.alice, sentmessage__key__startswith="unit-report-due")
    assert alice.url == f"/unit-reports/university/{world.university_a.pk}/{year}/{month}/"
    assert "ของหน่วยงาน" in alice.subject and "your unit's monthly report" in alice.subject_en  # Thai first
    assert services.reminders_send(on_date=on).unit_report_reminders == 0  # once
    UnitMonthlyReport.objects.filter(university__isnull=True).delete()
    UnitMonthlyReport.objects.create(programme=world.programme, year=year, month=month,
                                     university=world.university_a, **submitted)  # fmt: skip
    later = services.reminders_send(on_date=due)  # the due day: only the networks are still due
    assert later.unit_report_reminders == (2 if 0 in settings.days_before else 0)


def test_unit_monthly_reports_late_are_told_and_escalated_once(world, client_for):
    """`escalation_days_after` past the monthly deadline, as for the tambons: a university (network) whose own
    monthly report was not submitted by the deadline is told it is late, its network's RSI (NSI, for a network)
    gets one digest naming it; a report submitted on time, or only a draft, counts as it should; once only."""
    from reporting.deadlines.models import UnitMonthlyReport
    from reporting.deadlines.services import unit_report_deadline
    from reporting.selectors import month_due_dates

    settings = DeadlineSettings.for_programme(world.programme)
    settings.save()
    (year, month), due = month_due_dates(world.programme)[0]
    deadline = unit_report_deadline(world.programme, year, month)
    on_time = {"first_submitted_at": deadline, "status": "submitted"}
    UnitMonthlyReport.objects.create(programme=world.programme, year=year, month=month,
                                     university=world.university_b, **on_time)  # fmt: skip
    UnitMonthlyReport.objects.create(programme=world.programme, year=year, month=month, network=world.tambon_a.network,
                                     first_submitted_at=deadline + dt.timedelta(seconds=1), status="submitted")  # fmt: skip
    UnitMonthlyReport.objects.create(programme=world.programme, year=year, month=month,
                                     network=world.tambon_b.network)  # a draft  # fmt: skip
    escalation_day = due + dt.timedelta(days=settings.escalation_days_after)
    assert services.reminders_send(on_date=escalation_day - dt.timedelta(days=1)).late_notices == 0

    counts = services.reminders_send(on_date=escalation_day)
    # late: university A (alice, mona), network 1 (submitted after the deadline: carol), network 2 (a draft: dave);
    # digests: university A works tambons in both networks (carol, dave); nora (NSI reviewer) hears of both
    # networks; nina is an admin, not a reviewer
    month_key = f"{year}-{month:02d}"
    assert told(f"unit-report-late:{month_key}:university") == {"alice": 1, "mona": 1}
    assert told(f"unit-report-late:{month_key}:network-") == {"carol": 1, "dave": 1}
    assert told(f"unit-report-late-digest:{month_key}:network-") == {"carol": 1, "dave": 1}
    assert told(f"unit-report-late-digest:{month_key}:national") == {"nora": 1}
    tambons_late = SentMessage.objects.filter(key__startswith="monthly-late-university").count()  # the tambons' rule
    tambons_escalated = SentMessage.objects.filter(key__startswith=f"monthly-late:{month_key}").count()
    assert (counts.late_notices, counts.escalations) == (tambons_late + 4, tambons_escalated + 3)
    digest = Notification.objects.get(user=world.carol, sentmessage__key__startswith="unit-report-late-digest")
    assert world.university_a.name_th in digest.body and world.university_b.name_th not in digest.body
    assert digest.url == f"/unit-reports/?month={year}-{month}"  # the month's unit reports, the late ones marked
    for reviewer in (world.carol, world.nora):  # the link opens that month's list, where the late units stand
        page = client_for(reviewer).get(digest.url)
        assert page.status_code == 200 and world.university_a.name in page.content.decode()
    national = Notification.objects.get(user=world.nora, sentmessage__key__startswith="unit-report-late-digest")
    assert all(str(n) in national.body for n in (world.tambon_a.network, world.tambon_b.network))
    assert "ล่าช้า" in national.subject and "late" in national.subject_en
    with translation.override("th"):
        assert month_label(year, month) in national.subject  # the month in the language of the text
    alice = Notification.objects.get(user=world.alice, sentmessage__key__startswith="unit-report-late")
    assert alice.url == f"/unit-reports/university/{world.university_a.pk}/{year}/{month}/"
    again = services.reminders_send(on_date=escalation_day)
    assert (again.late_notices, again.escalations) == (0, 0)  # once
