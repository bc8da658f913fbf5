"""In-app notifications and email, each sent exactly once per (recipient, key, day).

A send first claims its `SentMessage` row (unique on recipient, key and date) together with the in-app
notification, in one transaction; the email goes out after commit and is marked as emailed. Running a job
twice, or again after a worker died, claims nothing new, so nobody is told twice. An email that failed (the
SMTP server was down) stays unmarked and `notifications_resend_email` retries it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from pbm.models import Notification, SentMessage
from tambon.models import User

log = logging.getLogger(__name__)


@dataclass
class Message:
    key: str  # what the message is, stable across re-runs: "monthly-due:2021-01:before"
    subject_th: str
    subject_en: str
    body_th: str
    body_en: str
    url: str = ""  # site-relative link to the thing it is about


def notify(*, user: User, message: Message, on_date: dt.date) -> bool:
    """Send `message` to `user` for `on_date` unless it was sent already. True when it was sent now."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, subject=message.subject_th, body=f"{message.body_th}\n\n{message.body_en}", url=message.url
            )
            sent = SentMessage.objects.create(
                recipient=user, key=message.key, on_date=on_date, notification=notification
            )
    except IntegrityError:
        return False  # claimed before: by an earlier run, or by a run that died after claiming
    if user.email:
        transaction.on_commit(lambda: _email(sent.pk, user.email, message))
    return True


def _email(sent_id: int, address: str, message: Message) -> None:
    link = f"{settings.SITE_URL.rstrip('/')}{message.url}" if message.url else ""
    text = (
        f"{message.body_th}\n{link}\n\n"
        f"-- English --\n{message.subject_en}\n\n{message.body_en}\n{link}\n"
    )  # fmt: skip
    mail = EmailMultiAlternatives(subject=f"{message.subject_th} / {message.subject_en}", body=text, to=[address])
    try:
        mail.send()
    except Exception:  # noqa: BLE001 - SMTP trouble must not undo the claim; the resend job retries
        log.exception("email for sent message %s failed; it will be retried", sent_id)
        return
    SentMessage.objects.filter(pk=sent_id).update(emailed_at=timezone.now())


def notifications_resend_email(*, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Retry emails whose send failed (claimed, not marked emailed)."""
    count = 0
    pending = SentMessage.objects.filter(
        emailed_at__isnull=True, created_at__lt=timezone.now() - older_than, notification__isnull=False
    ).select_related("recipient", "notification")
    for sent in pending.exclude(recipient__email=""):
        n = sent.notification
        _email(sent.pk, sent.recipient.email, Message(sent.key, n.subject, n.subject, n.body, "", n.url))
        count += 1
    return count


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, every) unread notification of `user` read."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
