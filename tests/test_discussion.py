"""The discussion on a report: comments on its page, kept in its history, each telling the other side."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from pbm.models import Notification, ReviewEvent
from reporting.models import MonthlyReport

pytestmark = pytest.mark.django_db


def _url(report) -> str:
    return reverse("report_comment", args=[ContentType.objects.get_for_model(report).pk, report.pk])


def test_reporter_and_reviewer_discuss_a_month(world, client_for, django_capture_on_commit_callbacks):
    report = MonthlyReport.objects.create(tambon=world.tambon_a, year=2021, month=1, narrative="x", status="submitted")
    alice, carol = client_for(world.alice), client_for(world.carol)
    with django_capture_on_commit_callbacks(execute=True):
        response = carol.post(_url(report), {"text": "ใบเสร็จค่าวัสดุหายไปหนึ่งใบ"})
    assert response.status_code == 302 and response.url.endswith(f"{report.get_absolute_url()}#discussion")
    # the reporter side is told (reporter and manager), not the reviewer who wrote
    told = set(Notification.objects.filter(body__contains="ใบเสร็จค่าวัสดุ").values_list("user__username", flat=True))
    assert told == {"alice", "mona"}
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(_url(report), {"text": "แนบเพิ่มแล้วค่ะ"})
    assert set(Notification.objects.filter(body__contains="แนบเพิ่มแล้ว").values_list("user__username", flat=True)) == {
        "carol"
    }
    page = alice.get(report.get_absolute_url()).content.decode()
    assert 'id="discussion"' in page and "ใบเสร็จค่าวัสดุหายไปหนึ่งใบ" in page and "แนบเพิ่มแล้วค่ะ" in page
    assert ReviewEvent.objects.filter(action="commented").count() == 2  # in the report's history
    assert "แสดงความเห็น" in page  # the history names the step in Thai


def test_outsiders_cannot_comment(world, client_for):
    report = MonthlyReport.objects.create(tambon=world.tambon_a, year=2021, month=1)
    for person in (world.bob, world.dave, world.nobody):
        assert client_for(person).post(_url(report), {"text": "x"}).status_code == 404
    assert client_for(None).post(_url(report), {"text": "x"}).status_code == 302  # to the login page
    assert not ReviewEvent.objects.exists()
    # an empty comment is refused with a message, nothing is kept
    response = client_for(world.alice).post(_url(report), {"text": "  "}, follow=True)
    assert "4,000" in response.content.decode() or "ความเห็น" in response.content.decode()
    assert not ReviewEvent.objects.exists()
