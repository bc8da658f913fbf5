import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from pbm.models import Notification, SentMessage
from pbm.notifications import Message, notify

pytestmark = pytest.mark.django_db

DAY = dt.date(2021, 1, 30)


def message(key: str = "monthly-due:2021-01:before") -> Message:
    return Message(key, "ใกล้ครบกำหนดส่งรายงาน", "Report due soon", "กรุณาส่งรายงาน", "Please file", "/tambons/")


def test_notify_sends_once_per_recipient_key_and_day(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(user=world.alice, message=message(), on_date=DAY) is True
        assert notify(user=world.alice, message=message(), on_date=DAY) is False
    assert Notification.objects.filter(user=world.alice).count() == 1
    assert len(mail.outbox) == 1
    # in the reader's language only (Thai unless they chose English), with a full link
    assert mail.outbox[0].subject == "ใกล้ครบกำหนดส่งรายงาน" and "Please file" not in mail.outbox[0].body
    assert "http://127.0.0.1:8000/tambons/" in mail.outbox[0].body
    assert SentMessage.objects.get().emailed_at is not None
    # another day or another key is another message
    assert notify(user=world.alice, message=message(), on_date=DAY + dt.timedelta(days=1)) is True
    assert notify(user=world.alice, message=message("other"), on_date=DAY) is True


def test_notification_list_and_read(world, client_for):
    notify(user=world.alice, message=message(), on_date=DAY)
    notify(user=world.bob, message=message(), on_date=DAY)
    client = client_for(world.alice)
    page = client.get(reverse("notification_list")).content.decode()
    assert "ใกล้ครบกำหนดส่งรายงาน" in page and 'id="unread-count">1<' in page
    own = Notification.objects.get(user=world.alice)
    response = client.post(reverse("notification_read", args=[own.pk]))
    assert response.status_code == 302 and response.url == "/tambons/"
    own.refresh_from_db()
    assert own.is_read
    # someone else's notification is 404
    other = Notification.objects.get(user=world.bob)
    assert client.post(reverse("notification_read", args=[other.pk])).status_code == 404
    assert not Notification.objects.get(pk=other.pk).is_read


def test_notifications_need_login(client):
    assert client.get(reverse("notification_list")).status_code == 302
