"""A real Celery worker and beat retry an email whose first send failed (the SMTP server was down), and send it
once the server is back. Runs in CI's PostgreSQL + Redis suite."""

import socket

import pytest
from django.conf import settings
from django.db import connection

from pbm.models import Delivery, DeliveryStatus
from pbm.notifications import Message, notify
from tests.smtp_standin import SmtpStandIn
from tests.workers import start_beat, start_worker, wait_for, worker_env

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (run by .ci/run with Redis)"),
    pytest.mark.django_db(transaction=True),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_beat_retries_a_failed_email_until_it_is_sent(world, celery_eager, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the worker processes share the test database: PostgreSQL only")
    port = _free_port()  # nothing listens here yet: the SMTP server is "down"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.NOTIFY_RETRY_SECONDS = 1
    message = Message("worker-test", "รายงานถูกส่งคืน", "Report returned", "แก้ไขตัวเลข", "Fix the figures", "/")
    assert notify(user=world.alice, message=message, on_date=world.programme.start_date)
    delivery = Delivery.objects.get(channel="email")
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1 and delivery.last_error

    env = worker_env() | {
        "PBM_RETRY_DELIVERIES_SECONDS": "2", "NOTIFY_RETRY_SECONDS": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
    }  # fmt: skip
    beat = start_beat(env)
    worker = start_worker(env)
    try:
        # still down: the job tries again with doubling waits, and the delivery stays pending
        assert wait_for(lambda: Delivery.objects.get(pk=delivery.pk).attempts >= 2, timeout=60)
        with SmtpStandIn(port) as smtp:  # the server is back
            assert wait_for(lambda: Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT, timeout=90)
            assert len(smtp.messages) == 1 and "alice@example.org" in smtp.messages[0]
    finally:
        for process in (beat, worker):
            process.terminate()
            process.wait(timeout=30)
        celery_eager.control.purge()
