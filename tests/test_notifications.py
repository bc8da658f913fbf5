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


def test_list_is_in_the_readers_language_with_a_link_that_marks_read(world, client_for):
    notify(user=world.alice, message=message(), on_date=DAY)
    client = client_for(world.alice)
    thai = client.get(reverse("notification_list")).content.decode()
    assert "ใกล้ครบกำหนดส่งรายงาน" in thai and "Report due soon" not in thai and "Please file" not in thai
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("notification_list")).content.decode()
    assert "Report due soon" in english and "ใกล้ครบกำหนด" not in english
    own = Notification.objects.get(user=world.alice)
    assert f'href="{reverse("notification_open", args=[own.pk])}"' in english
    assert client.get(reverse("notification_list") + "?unread=1").content.decode().count('data-id="') == 1
    response = client.get(reverse("notification_open", args=[own.pk]))
    assert response.status_code == 302 and response.url == "/tambons/"
    assert Notification.objects.get(pk=own.pk).is_read
    assert client.get(reverse("notification_list") + "?unread=1").content.decode().count('data-id="') == 0
    other = notify(user=world.bob, message=message(), on_date=DAY) and Notification.objects.get(user=world.bob)
    assert client.get(reverse("notification_open", args=[other.pk])).status_code == 404


def test_preferences_per_kind_and_channel(world, client_for, django_capture_on_commit_callbacks):
    from pbm.models import Delivery, NotificationPreference, NotificationProfile

    client = client_for(world.alice)
    page = client.get(reverse("notification_settings")).content.decode()
    assert 'name="mode_reminder_email"' in page and 'name="mode_review_line"' in page
    data = {f"mode_{k}_{c}": "immediate" for k in ("review", "comment", "reminder") for c in ("email", "line")}
    data |= {"mode_reminder_email": "digest", "mode_comment_email": "off", "language": "en", "digest_time": "17:30"}
    assert client.post(reverse("notification_settings"), data).status_code == 302
    assert NotificationPreference.objects.get(user=world.alice, kind="reminder", channel="email").mode == "digest"
    profile = NotificationProfile.objects.get(user=world.alice)
    assert (profile.language, profile.digest_time) == ("en", dt.time(17, 30))
    # a reminder now waits for the digest at 17:30 Bangkok; nothing is emailed at once
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=world.alice, message=message(), on_date=DAY)
    delivery = Delivery.objects.get()
    assert delivery.digest and len(mail.outbox) == 0
    from django.utils import timezone

    assert timezone.localtime(delivery.next_attempt_at).time() == dt.time(17, 30)
    # a refused time says what to write
    bad = client.post(reverse("notification_settings"), data | {"digest_time": "late"})
    assert bad.status_code == 200 and Notification.objects.count() == 1


def test_daily_digest_is_one_message_in_the_readers_language(world, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from pbm.models import Delivery, NotificationPreference, NotificationProfile
    from pbm.notifications import notifications_retry

    NotificationProfile.objects.create(user=world.alice, language="en", digest_time=dt.time(7, 0))
    NotificationPreference.objects.create(user=world.alice, kind="reminder", channel="email", mode="digest")
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=world.alice, message=message("a"), on_date=DAY)
        notify(user=world.alice, message=message("b"), on_date=DAY)
    due = Delivery.objects.first().next_attempt_at
    assert notifications_retry(now=due - dt.timedelta(minutes=1)).digests == 0 and mail.outbox == []
    assert notifications_retry(now=due).digests == 1
    assert notifications_retry(now=due + dt.timedelta(hours=1)).digests == 0  # not twice
    assert len(mail.outbox) == 1 and "2 messages" in mail.outbox[0].subject
    assert mail.outbox[0].body.count("Report due soon") == 2 and "ใกล้" not in mail.outbox[0].body
    assert timezone.localtime(due).time() == dt.time(7, 0)


def test_old_two_language_notifications_are_split(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("pbm.migrations.0007_split_bilingual_notifications")
    old = Notification.objects.create(
        user=world.alice, subject="ใกล้ครบกำหนด", body="กรุณาส่ง\n- ตำบลก\n\nPlease file\n- A"
    )
    assert migration.split_bodies(apps, None) == 1
    old.refresh_from_db()
    assert (old.body, old.body_en) == ("กรุณาส่ง\n- ตำบลก", "Please file\n- A")
    assert migration.split_bodies(apps, None) == 0  # already split
