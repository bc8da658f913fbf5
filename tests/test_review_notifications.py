"""Every review step tells the people who must act next, once per event and person, in their channels."""

import datetime as dt

import pytest
from django.core import mail

from pbm import review
from pbm.models import Channel, Delivery, DeliveryMode, Notification, NotificationPreference, NotificationProfile
from pbm.notifications import review_event_notify
from reporting.models import MonthlyReport
from tests.test_line import LINE_USER, stand_in  # noqa: F401 - the LINE stand-in fixture

pytestmark = pytest.mark.django_db


def _inbox() -> dict[str, list[str]]:
    by_person: dict[str, list[str]] = {}
    for message in mail.outbox:
        by_person.setdefault(message.to[0].split("@")[0], []).append(message.subject)
    return by_person


def test_submit_return_resubmit_accept_tells_each_side_once(world, stand_in, django_capture_on_commit_callbacks):  # noqa: F811
    for person in (world.alice, world.mona, world.carol, world.dave, world.bob):
        person.email = f"{person.username}@example.org"
        person.save()
    NotificationProfile.objects.create(user=world.carol, language="en", line_user_id=LINE_USER)  # email and LINE
    # mona wants review steps only in the app, not by email
    NotificationPreference.objects.create(user=world.mona, kind="review", channel=Channel.EMAIL, mode=DeliveryMode.OFF)
    report = MonthlyReport.objects.create(tambon=world.tambon_a, year=2021, month=1, narrative="done")

    with django_capture_on_commit_callbacks(execute=True):
        review.review_submit(obj=report, user=world.alice)
    assert _inbox() == {
        "carol": ["PBM: monthly report: Huai Haeng, Kaeng Khoi, Saraburi · Jan 2564 submitted for review"]
    }
    assert "ส่ง" not in mail.outbox[0].body  # carol reads English only
    assert f"/tambons/{world.tambon_a.pk}/reports/2021/1/" in mail.outbox[0].body  # a full link to the report
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        review.review_return(obj=report, user=world.carol, reason="รายจ่ายค่าจ้างไม่ตรงกับสัญญา")
    assert list(_inbox()) == ["alice"]  # mona: email off for review steps
    assert "รายจ่ายค่าจ้างไม่ตรงกับสัญญา" in mail.outbox[0].body and "ส่งคืน" in mail.outbox[0].subject
    returned = Notification.objects.get(user=world.mona)
    assert "รายจ่ายค่าจ้างไม่ตรงกับสัญญา" in returned.body and returned.url == report.get_absolute_url()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        review.review_submit(obj=report, user=world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        review.review_accept(obj=report, user=world.carol)
    assert sorted(_inbox()) == ["alice", "carol"]
    assert len(_inbox()["carol"]) == 1 and len(_inbox()["alice"]) == 1

    in_app = {u.username: Notification.objects.filter(user=u).count() for u in (world.alice, world.mona, world.carol)}
    assert in_app == {"alice": 2, "mona": 2, "carol": 2}  # return + accept; submit + resubmit
    # nobody else: not the other network's reviewer, not the other university, not the NSI
    assert not Notification.objects.exclude(user__in=[world.alice, world.mona, world.carol]).exists()

    # a re-run of a step's notification (a task run twice) tells nobody again
    mail.outbox.clear()
    for event in review.review_history(report):
        review_event_notify(event_id=event.pk)
    assert mail.outbox == [] and Notification.objects.count() == 6
    # carol also had LINE: the submission and the resubmission, once each, in English
    assert [p["to"] for p in stand_in.pushes] == [LINE_USER, LINE_USER]
    assert all("submitted for review" in p["messages"][0]["text"] for p in stand_in.pushes)
    channels = Delivery.objects.filter(status="sent").values_list("sent__recipient__username", "channel")
    assert sorted(channels) == [("alice", "email"), ("alice", "email"), ("carol", "email"), ("carol", "email"),
                                ("carol", "line"), ("carol", "line")]  # fmt: skip


@pytest.mark.parametrize("kind", ["completion", "university_assessment", "mou", "network_assessment"])
def test_every_report_kind_is_notified(world, kind, django_capture_on_commit_callbacks):
    from assessment.models import NetworkAssessment, UniversityAssessment
    from reporting.deadlines.models import CompletionReport, MouReport
    from tests.reporting.test_deadlines import make_activity

    if kind == "completion":
        activity = make_activity(world.tambon_a)
        obj, filer, reviewer = (
            CompletionReport.objects.create(activity=activity, due_on=dt.date(2021, 2, 1)),
            world.alice,
            world.carol,
        )
    elif kind == "university_assessment":
        obj = UniversityAssessment.objects.create(
            programme=world.programme, university=world.university_a, quarter="2021Q1"
        )
        filer, reviewer = world.alice, world.carol
    elif kind == "mou":
        obj, filer, reviewer = (
            MouReport.objects.create(programme=world.programme, period="6", university=world.university_a),
            world.mona,
            world.carol,
        )
    else:
        obj = NetworkAssessment.objects.create(
            programme=world.programme, network=world.tambon_a.network, quarter="2021Q1"
        )
        filer, reviewer = world.carol, world.nora
    with django_capture_on_commit_callbacks(execute=True):
        review.review_submit(obj=obj, user=filer)
    told = Notification.objects.get(user=reviewer)
    assert told.url == obj.get_absolute_url() and told.kind == "review"
    with django_capture_on_commit_callbacks(execute=True):
        review.review_return(obj=obj, user=reviewer, reason="แก้ไข")
    assert Notification.objects.filter(user=filer, body__contains="แก้ไข").exists()


def test_lock_exception_tells_the_reporters_and_the_network_with_its_reason(world, django_capture_on_commit_callbacks):
    report = MonthlyReport.objects.create(tambon=world.tambon_a, year=2021, month=1, status="accepted")
    with django_capture_on_commit_callbacks(execute=True):
        review.review_reopen(obj=report, user=world.nina, reason="ตัวเลขค่าจ้างเดือนนี้ผิด ต้องแก้")
    told = Notification.objects.filter(body__contains="ตัวเลขค่าจ้างเดือนนี้ผิด")
    assert set(told.values_list("user__username", flat=True)) == {"alice", "mona", "carol"}
    assert {n.url for n in told} == {report.get_absolute_url()}
