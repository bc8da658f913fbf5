"""The LINE channel end to end against a local stand-in of the Messaging API, through the production client."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from pbm import line, review
from pbm.models import Delivery, DeliveryStatus, NotificationProfile
from pbm.notifications import notifications_retry
from reporting.models import MonthlyReport
from tests.line_standin import LineStandIn

pytestmark = pytest.mark.django_db

TOKEN, SECRET = "test-access-token", "test-channel-secret"
LINE_USER = "U" + "4af4980629" * 3 + "ab"


@pytest.fixture
def stand_in(settings):
    with LineStandIn(TOKEN) as server:
        settings.LINE_API_BASE = server.base
        settings.LINE_CHANNEL_ACCESS_TOKEN = TOKEN
        settings.LINE_CHANNEL_SECRET = SECRET
        settings.LINE_OFFICIAL_ACCOUNT = "@pbm-u2t"
        yield server


def _webhook(client, events: list[dict], signature: str | None = None):
    body = json.dumps({"destination": "Uxxxxxxxx", "events": events}).encode()
    return client.post(reverse("line_webhook"), body, content_type="application/json",
                       headers={"X-Line-Signature": signature or line.signature(body, SECRET)})  # fmt: skip


def _text(text: str, user: str = LINE_USER) -> dict:
    return {"type": "message", "replyToken": "r" * 32, "source": {"type": "user", "userId": user},
            "message": {"type": "text", "id": "1", "text": text}}  # fmt: skip


def test_link_then_a_return_is_pushed_to_line_once(world, client_for, stand_in, django_capture_on_commit_callbacks):
    world.alice.email = ""  # LINE only
    world.alice.save()
    alice = client_for(world.alice)
    alice.post(reverse("line_link"))
    page = alice.get(reverse("notification_settings")).content.decode()
    code = NotificationProfile.objects.get(user=world.alice).line_code
    assert code and code in page and "@pbm-u2t" in page

    # a request without LINE's signature links nobody
    assert _webhook(alice, [_text(code)], signature="bad" + line.signature(b"x", SECRET)).status_code == 403
    assert NotificationProfile.objects.get(user=world.alice).line_user_id == ""
    # the signed message with the code links alice's account to her LINE user, and LINE answers her
    response = _webhook(client_for(None), [_text(code)])
    assert response.status_code == 200
    assert NotificationProfile.objects.get(user=world.alice).line_user_id == LINE_USER
    assert len(stand_in.replies) == 1 and "เชื่อมต่อแล้ว" in stand_in.replies[0]["messages"][0]["text"]
    assert _webhook(client_for(None), [_text(code, user="U" + "0" * 32)]).status_code == 200  # the code is used up
    assert NotificationProfile.objects.get(user=world.alice).line_user_id == LINE_USER

    report = MonthlyReport.objects.create(tambon=world.tambon_a, year=2021, month=1, narrative="x")
    with django_capture_on_commit_callbacks(execute=True):
        review.review_submit(obj=report, user=world.mona)
        review.review_return(obj=report, user=world.carol, reason="ขาดหลักฐานการจ่ายค่าจ้าง")
    assert stand_in.refused == []
    assert len(stand_in.pushes) == 1 and stand_in.pushes[0]["to"] == LINE_USER
    text = stand_in.pushes[0]["messages"][0]["text"]
    assert "ขาดหลักฐานการจ่ายค่าจ้าง" in text and f"/tambons/{world.tambon_a.pk}/reports/2021/1/" in text
    assert Delivery.objects.get(channel="line").status == DeliveryStatus.SENT


def test_line_down_is_retried_with_backoff_then_sent(world, stand_in, django_capture_on_commit_callbacks):
    NotificationProfile.objects.create(user=world.alice, line_user_id=LINE_USER, line_linked_at=timezone.now())
    report = MonthlyReport.objects.create(tambon=world.tambon_a, year=2021, month=1, narrative="x",
                                          status="submitted", submitted_by=world.mona)  # fmt: skip
    stand_in.fail_next = 2
    with django_capture_on_commit_callbacks(execute=True):
        review.review_return(obj=report, user=world.carol, reason="แก้ตัวเลข")
    delivery = Delivery.objects.get(channel="line")
    assert (delivery.status, delivery.attempts, stand_in.pushes) == ("pending", 1, [])
    assert "500" in delivery.last_error
    first_wait = delivery.next_attempt_at
    assert notifications_retry(now=first_wait - dt.timedelta(seconds=1)).sent == 0  # not before its time
    notifications_retry(now=first_wait)
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at - first_wait >= dt.timedelta(seconds=600)  # doubled
    assert notifications_retry(now=delivery.next_attempt_at).sent == 1
    assert len(stand_in.pushes) == 1 and Delivery.objects.get(channel="line").status == "sent"


def test_gives_up_visibly(world, stand_in, settings, client_for, django_capture_on_commit_callbacks):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    NotificationProfile.objects.create(user=world.alice, line_user_id=LINE_USER)
    report = MonthlyReport.objects.create(tambon=world.tambon_a, year=2021, month=1, status="submitted",
                                          submitted_by=world.mona)  # fmt: skip
    stand_in.fail_next = 5
    with django_capture_on_commit_callbacks(execute=True):
        review.review_return(obj=report, user=world.carol, reason="x")
    notifications_retry(now=timezone.now() + dt.timedelta(days=1))
    delivery = Delivery.objects.get(channel="line")
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 2
    health = client_for(None).get(reverse("health")).json()
    assert health["stuck_deliveries"] == 1
    world.nina.is_staff = True
    world.nina.save()
    admin_page = client_for(world.nina).get(reverse("admin:pbm_delivery_changelist") + "?status__exact=failed")
    assert admin_page.status_code == 200 and "500" in admin_page.content.decode()
    world.carol.is_staff = True  # an RSI with admin access still does not see who was told what
    world.carol.save()
    assert client_for(world.carol).get(reverse("admin:pbm_delivery_changelist")).status_code == 403


def test_webhook_is_off_without_configuration(world, client_for, settings):
    settings.LINE_CHANNEL_SECRET = ""
    assert _webhook(client_for(None), [_text("PBM-000000")]).status_code == 404
