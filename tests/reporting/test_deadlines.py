"""Deadlines: the 7-day completion report, MOU reports and instalment 2, and the reminder job (pinned dates)."""

import base64
import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pbm import review
from pbm.models import Notification, ReviewStatus, SentMessage
from pbm.periods import BANGKOK, bangkok_date
from reporting.deadlines import selectors, services
from reporting.deadlines.models import CompletionReport, MouPeriod, MouReport
from reporting.models import Activity, BudgetCategory, MonthlyReport
from tambon.models import Membership

pytestmark = pytest.mark.django_db

# a real 1×1 PNG, so the browser can show it
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


def photo(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def make_activity(tambon, name: str = "ฝึกอบรมการแปรรูปกล้วย", start=dt.date(2021, 3, 1)) -> Activity:
    category = BudgetCategory.objects.get(programme=tambon.programme, code="2.1")
    return Activity.objects.create(
        tambon=tambon, category=category, name=name, budget=Decimal(50000), start_date=start,
        target_group="เกษตรกร", target_quantity=30, target_unit="persons",
    )  # fmt: skip


def submitted(
    tambon, year=2021, month=1, at=dt.datetime(2021, 2, 1, 10, 0, tzinfo=BANGKOK), status=ReviewStatus.SUBMITTED
):
    return MonthlyReport.objects.create(
        tambon=tambon, year=year, month=month, status=status, first_submitted_at=at, submitted_at=at
    )


# --- the 7-day completion report -----------------------------------------------------------------------


def test_marking_complete_sets_the_report_due_seven_days_later(world):
    activity = make_activity(world.tambon_a)
    report = services.activity_complete(activity=activity, user=world.alice, completed_on=dt.date(2021, 3, 10))
    assert report.due_on == dt.date(2021, 3, 17)
    assert Activity.objects.get(pk=activity.pk).completed_on == dt.date(2021, 3, 10)


@pytest.mark.parametrize("day, message", [(dt.date(2021, 2, 27), "before the activity started"),
                                          (dt.date(2099, 1, 1), "in the future")])  # fmt: skip
def test_completion_date_must_be_real(world, day, message):
    activity = make_activity(world.tambon_a)
    with pytest.raises(ValidationError, match=message):
        services.activity_complete(activity=activity, user=world.alice, completed_on=day)
    assert not CompletionReport.objects.exists()
    assert Activity.objects.get(pk=activity.pk).completed_on is None


def test_other_university_cannot_complete(world):
    activity = make_activity(world.tambon_a)
    with pytest.raises(Exception, match="university staff"):
        services.activity_complete(activity=activity, user=world.bob, completed_on=dt.date(2021, 3, 10))


def test_completion_report_needs_results_participants_and_a_photo(world):
    activity = make_activity(world.tambon_a)
    report = services.activity_complete(activity=activity, user=world.alice, completed_on=dt.date(2021, 3, 10))
    with pytest.raises(ValidationError) as error:
        services.completion_report_submit(report=report, user=world.alice)
    assert len(error.value.messages) == 3
    assert CompletionReport.objects.get().status == ReviewStatus.DRAFT

    services.completion_report_save(report=report, user=world.alice, results="ผู้เข้าร่วม 32 คน ผลิตภัณฑ์ 3 ชนิด",
                                    participants={"persons": "32", "households": 20}, files=[photo()])  # fmt: skip
    services.completion_report_submit(
        report=report, user=world.alice, at=dt.datetime(2021, 3, 17, 23, 0, tzinfo=BANGKOK)
    )
    report.refresh_from_db()
    assert report.status == ReviewStatus.SUBMITTED and not report.is_late
    assert report.participants == {"persons": 32, "households": 20}
    assert report.files.get().content_type == "image/png"


def test_completion_report_submitted_after_day_seven_is_late(world):
    report = services.activity_complete(activity=make_activity(world.tambon_a), user=world.alice,
                                        completed_on=dt.date(2021, 3, 10))  # fmt: skip
    services.completion_report_save(
        report=report, user=world.alice, results="ok", participants={"persons": 5}, files=[photo()]
    )
    services.completion_report_submit(
        report=report, user=world.alice, at=dt.datetime(2021, 3, 18, 0, 1, tzinfo=BANGKOK)
    )
    assert CompletionReport.objects.get().is_late


def test_bad_participants_and_fake_photo_store_nothing(world):
    report = services.activity_complete(activity=make_activity(world.tambon_a), user=world.alice,
                                        completed_on=dt.date(2021, 3, 10))  # fmt: skip
    with pytest.raises(ValidationError, match="cannot be negative"):
        services.completion_report_save(report=report, user=world.alice, results="x", participants={"persons": -1})
    fake = SimpleUploadedFile("photo.jpg", b"MZ this is a program", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="does not contain what its name says"):
        services.completion_report_save(report=report, user=world.alice, results="x", participants={"persons": 1},
                                        files=[photo("ok.png"), fake])  # fmt: skip
    report.refresh_from_db()
    assert report.results == "" and not report.files.exists()


def test_overdue_from_the_eighth_day(world):
    report = services.activity_complete(activity=make_activity(world.tambon_a), user=world.alice,
                                        completed_on=dt.date(2021, 3, 10))  # fmt: skip
    assert not report.is_overdue(dt.date(2021, 3, 17))
    assert report.is_overdue(dt.date(2021, 3, 18))
    assert list(selectors.completion_reports_overdue(today=dt.date(2021, 3, 18), user=world.carol)) == [report]
    assert list(selectors.completion_reports_overdue(today=dt.date(2021, 3, 18), user=world.dave)) == []


def test_reviewer_accepts_completion_report(world, client_for):
    report = services.activity_complete(activity=make_activity(world.tambon_a), user=world.alice,
                                        completed_on=dt.date(2021, 3, 10))  # fmt: skip
    services.completion_report_save(
        report=report, user=world.alice, results="ok", participants={"persons": 5}, files=[photo()]
    )
    services.completion_report_submit(report=report, user=world.alice)
    body = client_for(world.carol).get(reverse("completion_list")).content.decode()
    assert "ฝึกอบรมการแปรรูปกล้วย" in body
    assert "ฝึกอบรมการแปรรูปกล้วย" not in client_for(world.dave).get(reverse("completion_list")).content.decode()
    response = client_for(world.carol).post(reverse("completion_review", args=[report.activity_id]),
                                            {"action": "accept", "version": report.version})  # fmt: skip
    assert response.status_code == 302
    assert CompletionReport.objects.get().status == ReviewStatus.ACCEPTED


@pytest.mark.parametrize("username, status", [("alice", 200), ("mona", 200), ("carol", 200), ("nina", 200),
                                              ("bob", 404), ("dave", 404), (None, 302)])  # fmt: skip
def test_completion_page_scope(world, client_for, username, status):
    activity = make_activity(world.tambon_a)
    services.activity_complete(activity=activity, user=world.alice, completed_on=dt.date(2021, 3, 10))
    user = getattr(world, username) if username else None
    assert client_for(user).get(reverse("completion_report", args=[activity.pk])).status_code == status


def test_completion_file_is_served_only_in_scope(world, client_for):
    report = services.activity_complete(activity=make_activity(world.tambon_a), user=world.alice,
                                        completed_on=dt.date(2021, 3, 10))  # fmt: skip
    services.completion_report_save(
        report=report, user=world.alice, results="ok", participants={"persons": 5}, files=[photo()]
    )
    url = reverse("completion_file", args=[report.files.get().pk])
    assert client_for(world.carol).get(url).status_code == 200
    assert client_for(world.bob).get(url).status_code == 404


# --- MOU reports and instalments -----------------------------------------------------------------------


def test_six_month_report_gates_instalment_two(world):
    tambons = [world.tambon_a, world.tambon_b]
    before = selectors.instalments_for(tambons=tambons, programme=world.programme)
    assert before[world.tambon_a.pk][0].eligible and before[world.tambon_a.pk][0].amount == Decimal("400000.00")
    assert not before[world.tambon_a.pk][1].eligible
    assert "not started" in before[world.tambon_a.pk][1].reason

    report = services.mou_report_for(
        programme=world.programme, period=MouPeriod.SIX_MONTH, university=world.university_a
    )
    with pytest.raises(ValidationError, match="Write these sections"):
        services.mou_report_submit(report=report, user=world.alice)
    services.mou_report_save(report=report, user=world.alice, sections={"summary": "สรุป", "results": "ผล"})
    services.mou_report_submit(report=report, user=world.alice)
    assert (
        "awaiting review"
        in selectors.instalments_for(tambons=tambons, programme=world.programme)[world.tambon_a.pk][1].reason
    )
    review.review_accept(obj=report, user=world.carol)

    after = selectors.instalments_for(tambons=tambons, programme=world.programme)
    assert after[world.tambon_a.pk][1].eligible and "accepted" in after[world.tambon_a.pk][1].reason
    assert not after[world.tambon_b.pk][1].eligible


def test_mou_figures_come_from_monthly_data_and_freeze_on_submit(world):
    from reporting.services import budget_plan_init
    from tests.reporting.helpers import enter_hiring

    budget_plan_init(tambon=world.tambon_a)  # wages are the actuals of the tambon's hiring lines
    enter_hiring(world.tambon_a, world.alice, months=(1,))
    submitted(world.tambon_a, status=ReviewStatus.ACCEPTED)
    activity = make_activity(world.tambon_a)
    services.activity_complete(activity=activity, user=world.alice, completed_on=dt.date(2021, 3, 10))
    report = services.mou_report_for(
        programme=world.programme, period=MouPeriod.SIX_MONTH, university=world.university_a
    )
    services.mou_report_save(report=report, user=world.alice, sections={"summary": "s", "results": "r"})
    services.mou_report_submit(report=report, user=world.alice)
    figures = MouReport.objects.get().figures
    assert figures["tambons"] == 3 and figures["reports_expected"] == 18 and figures["reports_accepted"] == 1
    assert figures["activities"] == 1 and figures["activities_completed"] == 1
    assert figures["hired"] == 20 and figures["hiring_quota"] == 60  # 3 tambons × 20
    assert Decimal(figures["actual"]["hiring"]) == Decimal(220000)  # January's accepted work
    make_activity(world.tambon_a, name="later")
    assert MouReport.objects.get().figures["activities"] == 1  # frozen


def test_network_report_is_reviewed_by_the_nsi_only(world):
    report = services.mou_report_for(programme=world.programme, period=MouPeriod.SIX_MONTH,
                                     network=world.tambon_a.network)  # fmt: skip
    services.mou_report_save(report=report, user=world.carol, sections={"summary": "s", "results": "r"})
    services.mou_report_submit(report=report, user=world.carol)
    assert not review.can_review(world.dave, report) and not review.can_review(world.carol, report)
    review.review_accept(obj=report, user=world.nora)
    assert MouReport.objects.get().status == ReviewStatus.ACCEPTED


@pytest.mark.parametrize("username, status", [("nina", 200), ("carol", 200), ("alice", 404), (None, 302)])
def test_instalment_list_scope(world, client_for, username, status):
    user = getattr(world, username) if username else None
    response = client_for(user).get(reverse("instalment_list"))
    assert response.status_code == status
    if status == 200:
        expected = 4 if username == "nina" else 2
        assert response.context["summary"].blocked == expected


def test_mou_report_page_scope(world, client_for):
    url = reverse("mou_report", args=["6m", "university", world.university_a.pk])
    assert client_for(world.alice).get(url).status_code == 200
    assert client_for(world.bob).get(url).status_code == 404
    assert client_for(world.dave).get(url).status_code == 200  # A works a tambon in network 2's area
    network_url = reverse("mou_report", args=["6m", "network", world.tambon_b.network_id])
    assert client_for(world.carol).get(network_url).status_code == 404
    assert client_for(world.dave).get(network_url).status_code == 200


def test_tambon_page_shows_instalments(world, client_for):
    body = client_for(world.alice).get(reverse("tambon_detail", args=[world.tambon_a.pk])).content.decode()
    assert 'id="instalment-section"' in body and "400,000" in body


# --- reminders -----------------------------------------------------------------------------------------


def sends(key_prefix: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for username in SentMessage.objects.filter(key__startswith=key_prefix).values_list(
        "recipient__username", flat=True
    ):
        out[username] = out.get(username, 0) + 1
    return out


def test_reminders_three_days_before_go_to_staff_with_unfiled_tambons(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    # University B filed January; A filed one of its three tambons.
    submitted(world.tambon_b)
    submitted(world.tambon_a)
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.reminders_send(on_date=dt.date(2021, 1, 30))
    assert counts.reminders == 2 and counts.escalations == 0
    assert sends("monthly-due:2021-01:d-3") == {"alice": 1, "mona": 1}
    body = Notification.objects.get(user=world.alice, sentmessage__key__startswith="monthly-due").body
    assert "ทับกวาง" in body and "พระสิงห์" in body and "ห้วยแห้ง" not in body
    english = Notification.objects.get(user=world.alice, sentmessage__key__startswith="monthly-due").body_en
    assert "Huai Haeng" not in english and "Thap Kwang" in english and "ทับกวาง" not in english
    # and the universities' and networks' own monthly reports, due the same day (told apart by their key)
    assert counts.unit_report_reminders == SentMessage.objects.filter(key__startswith="unit-report-due").count() > 0
    assert len(mailoutbox) == SentMessage.objects.count() and "2 ก.พ. 2564" in mailoutbox[0].body


def test_running_twice_sends_nothing_new(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.reminders_send(on_date=dt.date(2021, 1, 30))
        second = services.reminders_send(on_date=dt.date(2021, 1, 30))
    assert first.reminders == 3 and second.reminders == 0 and second.unit_report_reminders == 0
    assert SentMessage.objects.filter(key__startswith="monthly").count() == 3
    assert len(mailoutbox) == SentMessage.objects.count() == first.reminders + first.unit_report_reminders


def test_nobody_is_chased_for_done_work_inactive_tambons_or_lost_roles(world):
    submitted(world.tambon_b)
    world.tambon_a.is_active = world.tambon_a2.is_active = world.tambon_cross.is_active = False
    for t in (world.tambon_a, world.tambon_a2, world.tambon_cross):
        t.save()
    assert services.reminders_send(on_date=dt.date(2021, 1, 30)).reminders == 0
    for t in (world.tambon_a, world.tambon_a2, world.tambon_cross):
        t.is_active = True
        t.save()
    Membership.objects.filter(user=world.mona).delete()
    services.reminders_send(on_date=dt.date(2021, 2, 2))
    assert sends("monthly-due:2021-01:d-0") == {"alice": 1}


def test_no_reminder_on_other_days(world):
    assert services.reminders_send(on_date=dt.date(2021, 1, 31)).reminders == 0


def test_escalation_digest_the_day_after_the_deadline(world):
    from reporting.deadlines.models import UnitMonthlyReport

    for owner in ({"university": world.university_a}, {"university": world.university_b},
                  {"network": world.tambon_a.network}, {"network": world.tambon_b.network}):  # fmt: skip
        # the universities and networks filed their own reports on time: only the tambons' rule speaks here
        UnitMonthlyReport.objects.create(programme=world.programme, year=2021, month=1, status="submitted",
                                         first_submitted_at=dt.datetime(2021, 2, 1, tzinfo=BANGKOK), **owner)  # fmt: skip
    submitted(world.tambon_a)  # on time
    submitted(world.tambon_b, at=dt.datetime(2021, 2, 3, 0, 1, tzinfo=BANGKOK))  # one minute late
    counts = services.reminders_send(on_date=dt.date(2021, 2, 3))
    assert counts.escalations == 2 and counts.reminders == 0
    assert sends("monthly-late:2021-01") == {"carol": 1, "dave": 1}
    carol = Notification.objects.get(user=world.carol).body
    assert "ทับกวาง" in carol and "ห้วยแห้ง" not in carol
    dave = Notification.objects.get(user=world.dave).body
    assert "ศรีภูมิ" in dave and "พระสิงห์" in dave
    # the late universities are told too, each about its own tambons
    assert counts.late_notices == 3 and sends("monthly-late-university:2021-01") == {"alice": 1, "mona": 1, "bob": 1}
    alice = Notification.objects.get(user=world.alice).body
    assert "ทับกวาง" in alice and "พระสิงห์" in alice and "ศรีภูมิ" not in alice and "ห้วยแห้ง" not in alice
    again = services.reminders_send(on_date=dt.date(2021, 2, 3))
    assert again.escalations == 0 and again.late_notices == 0


def test_month_boundary_in_bangkok_time(world):
    """1 Feb 23:59 and 2 Feb 00:01 in Bangkok are both 1 Feb in UTC; only the second is the due day."""
    before = dt.datetime(2021, 2, 1, 23, 59, tzinfo=BANGKOK)
    after = dt.datetime(2021, 2, 2, 0, 1, tzinfo=BANGKOK)
    assert before.astimezone(dt.UTC).date() == after.astimezone(dt.UTC).date() == dt.date(2021, 2, 1)
    assert services.reminders_send(on_date=bangkok_date(before)).reminders == 0
    assert services.reminders_send(on_date=bangkok_date(after)).reminders == 3
    # and lateness: submitted at 23:59 on the due day is on time, at 00:01 the next day it is late
    submitted(world.tambon_a, at=dt.datetime(2021, 2, 2, 23, 59, tzinfo=BANGKOK))
    submitted(world.tambon_b, at=dt.datetime(2021, 2, 3, 0, 1, tzinfo=BANGKOK))
    late = set(selectors.tambons_late(programme=world.programme, year=2021, month=1).values_list("pk", flat=True))
    assert world.tambon_a.pk not in late and world.tambon_b.pk in late


def test_a_run_that_dies_half_way_then_runs_again_sends_once_each(world):
    calls = {"n": 0}
    real = services.notify

    def dies_after_one(**kwargs):
        if calls["n"] == 1:
            raise RuntimeError("worker lost")
        calls["n"] += 1
        return real(**kwargs)

    with mock.patch.object(services, "notify", dies_after_one), pytest.raises(RuntimeError):
        services.reminders_send(on_date=dt.date(2021, 1, 30))
    assert SentMessage.objects.count() == 1
    services.reminders_send(on_date=dt.date(2021, 1, 30))
    assert sends("monthly-due") == {"alice": 1, "mona": 1, "bob": 1}


def test_completion_reminder_on_day_five(world):
    activity = make_activity(world.tambon_a)
    services.activity_complete(activity=activity, user=world.alice, completed_on=dt.date(2021, 3, 10))
    assert services.reminders_send(on_date=dt.date(2021, 3, 14)).completion_reminders == 0
    assert services.reminders_send(on_date=dt.date(2021, 3, 15)).completion_reminders == 2
    assert sends("completion-due") == {"alice": 1, "mona": 1}


def test_commands_print_counts(world, capsys):
    call_command("send_reminders", "--date", "2021-01-30")
    assert "3 reminders, 0 escalations" in capsys.readouterr().out
    call_command("check_deadlines", "--date", "2021-02-03")
    out = capsys.readouterr().out
    assert "monthly report late" in out and "4 tambons" in out


def test_demo_seed_makes_overdue_reports_and_an_accepted_six_month_report(world):
    import random

    from reporting.deadlines import demo
    from tambon.demo import DemoContext

    for i in range(12):
        activity = make_activity(world.tambon_a if i % 2 else world.tambon_b, name=f"กิจกรรม {i}")
        activity.completed_on = dt.date(2021, 6, 1 + i)
        activity.save()
    context = DemoContext(scale="small", programme=world.programme, rng=random.Random(1), tambons=[])
    demo.seed(context=context)
    demo.seed(context=context)  # idempotent
    assert CompletionReport.objects.count() == 12
    assert selectors.completion_reports_overdue(today=dt.date(2021, 11, 15)).exists()
    assert CompletionReport.objects.filter(status=ReviewStatus.ACCEPTED).exists()
    assert MouReport.objects.get(university=world.university_a).status == ReviewStatus.ACCEPTED
    assert MouReport.objects.get(university=world.university_b).status == ReviewStatus.SUBMITTED
    eligible = selectors.instalments_for(tambons=[world.tambon_a], programme=world.programme)[world.tambon_a.pk][1]
    assert eligible.eligible
    # the reminders of the days around the last deadline: October is filed by nobody here
    reminded = Notification.objects.filter(user=world.alice, sentmessage__key__startswith="monthly")
    reminded = reminded.order_by("created_at")
    assert reminded.count() == 3  # 3 days before, on the day and late, each once although the seed ran twice
    assert [timezone.localtime(n.created_at).date() for n in reminded] == [
        dt.date(2021, 10, 30),
        dt.date(2021, 11, 2),
        dt.date(2021, 11, 3),
    ]
    digests = Notification.objects.filter(user=world.carol, sentmessage__key__startswith="monthly")
    assert digests.count() == 1  # the escalation digest of 3 Nov


def test_completion_lists_are_counted_and_paginated(world, client_for):
    for i in range(3):
        services.activity_complete(activity=make_activity(world.tambon_a, name=f"กิจกรรมค้าง {i}"), user=world.alice,
                                   completed_on=dt.date(2021, 3, 10))  # fmt: skip
    response = client_for(world.carol).get(reverse("completion_list"))
    assert response.context["counts"] == {"to_review": 0, "overdue": 3, "due": 0}
    assert response.context["show"] == "overdue" and len(response.context["page"]) == 3
    response = client_for(world.dave).get(reverse("completion_list") + "?show=overdue")
    assert response.context["counts"]["overdue"] == 0


def test_commands_refuse_a_badly_written_date(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "30/01/2564")
    assert not SentMessage.objects.exists()


def test_nsi_reopens_an_accepted_completion_report(world, client_for):
    report = services.activity_complete(activity=make_activity(world.tambon_a), user=world.alice,
                                        completed_on=dt.date(2021, 3, 10))  # fmt: skip
    services.completion_report_save(
        report=report, user=world.alice, results="ok", participants={"persons": 5}, files=[photo()]
    )
    services.completion_report_submit(report=report, user=world.alice)
    review.review_accept(obj=report, user=world.carol)
    page_url = reverse("completion_report", args=[report.activity_id])
    assert 'value="reopen"' in client_for(world.nora).get(page_url).content.decode()
    assert 'value="reopen"' not in client_for(world.carol).get(page_url).content.decode()
    client_for(world.nora).post(reverse("completion_review", args=[report.activity_id]),
                                {"action": "reopen", "reason": "Photos are of another activity"})  # fmt: skip
    assert CompletionReport.objects.get().status == ReviewStatus.RETURNED


# --- a university's work to do ---------------------------------------------------------------------------


def test_work_to_do_lists_what_is_due_late_or_returned_oldest_first(world):
    today = dt.date(2021, 3, 30)  # January and February are past due, March is due on 2 April
    MonthlyReport.objects.create(tambon=world.tambon_a, year=2021, month=1, status=ReviewStatus.ACCEPTED)
    MonthlyReport.objects.create(tambon=world.tambon_a, year=2021, month=2, status=ReviewStatus.RETURNED)
    for month in (1, 2, 3):
        MonthlyReport.objects.create(tambon=world.tambon_a2, year=2021, month=month, status=ReviewStatus.SUBMITTED)
    report = services.activity_complete(activity=make_activity(world.tambon_a2), user=world.alice,
                                        completed_on=dt.date(2021, 3, 26))  # fmt: skip
    items = selectors.work_to_do(tambons=[world.tambon_a, world.tambon_a2], programme=world.programme, today=today)
    assert [(i.tambon, i.kind, i.due, i.returned) for i in items] == [
        (world.tambon_a, "month", dt.date(2021, 3, 2), True),  # February, returned
        (world.tambon_a, "month", dt.date(2021, 4, 2), False),  # March, 3 days left
        (world.tambon_a2, "completion", report.due_on, False),
    ]
    assert [i.days_left(today) for i in items] == [-28, 3, (report.due_on - today).days]
    assert items[0].url == reverse("report_detail", args=[world.tambon_a.pk, 2021, 2])
    world.tambon_a.is_active = False
    assert [i.tambon for i in selectors.work_to_do(tambons=[world.tambon_a], programme=world.programme,
                                                   today=today)] == []  # fmt: skip


def test_the_university_page_shows_its_staff_their_work_to_do(world, client_for):
    url = reverse("university_detail", args=[world.university_a.pk])
    html = client_for(world.alice).get(url).content.decode()
    assert 'id="work-to-do"' in html and reverse("report_detail", args=[world.tambon_a.pk, 2021, 12]) in html
    assert reverse("report_detail", args=[world.tambon_b.pk, 2021, 12]) not in html  # another university's tambon
    as_reviewer = client_for(world.carol).get(url)
    assert as_reviewer.status_code == 200 and world.tambon_a.place in as_reviewer.content.decode()
    assert 'id="work-to-do"' not in as_reviewer.content.decode()  # a reviewer files nothing


def test_the_network_page_shows_its_reviewers_what_waits_for_review(world, client_for):
    from assessment.models import TambonAssessment

    MonthlyReport.objects.create(tambon=world.tambon_a, year=2021, month=1, status=ReviewStatus.SUBMITTED)
    MonthlyReport.objects.create(tambon=world.tambon_a2, year=2021, month=1, status=ReviewStatus.SUBMITTED)
    MonthlyReport.objects.create(tambon=world.tambon_b, year=2021, month=1, status=ReviewStatus.SUBMITTED)  # net 2
    TambonAssessment.objects.create(tambon=world.tambon_a, programme=world.programme, quarter="2021-Q1",
                                    status=ReviewStatus.SUBMITTED)  # fmt: skip
    url = reverse("network_detail", args=[world.tambon_a.network_id])
    html = client_for(world.carol).get(url).content.decode()
    assert 'id="waiting-for-review"' in html
    assert f'<a href="{reverse("review_list")}">รายงานประจำเดือน</a> <span class="badge warn">2</span>' in html
    assert f'<a href="{reverse("class_overview")}">การประเมินรายไตรมาส</a> <span class="badge warn">1</span>' in html
    # the NSI sees the same counts for this network: network 2's report is not among them
    assert f'<a href="{reverse("review_list")}">รายงานประจำเดือน</a> <span class="badge warn">2</span>' in (
        client_for(world.nora).get(url).content.decode()
    )
    assert client_for(world.dave).get(url).status_code == 404  # another network's reviewer
