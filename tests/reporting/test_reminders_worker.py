"""A real Celery worker and beat against Redis run the scheduled reminder job; killing the worker and running
again still gives exactly one reminder per recipient. Runs in CI's PostgreSQL + Redis suite."""

import datetime as dt
import signal
import time

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from pbm.models import SentMessage
from pbm.periods import add_months, bangkok_date
from reporting.deadlines.models import DeadlineSettings
from reporting.tasks import send_reminders
from tambon.models import Programme, Role
from tests.factories import MembershipFactory, TambonFactory, UniversityFactory, UserFactory
from tests.workers import start_beat, start_worker, wait_for, worker_env

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (run by .ci/run with Redis)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def programme_due_today():
    """A programme whose current month has a reminder today, whatever today is."""
    today = bangkok_date(timezone.now())
    Programme.objects.update(is_current=False)
    next_year, next_month = add_months(today.year, today.month, 1)
    programme = Programme.objects.create(
        code="worker-test", name_th="ทดสอบ", start_date=today.replace(day=1),
        end_date=dt.date(next_year, next_month, 28), is_current=True,
    )  # fmt: skip
    due = dt.date(next_year, next_month, 2)
    DeadlineSettings.objects.create(
        programme=programme, reminder_days_before=str((due - today).days),
        mou_6_month_due=due, mou_12_month_due=due,
    )  # fmt: skip
    university = UniversityFactory()
    for _ in range(3):
        TambonFactory(programme=programme, university=university)
    staff = [UserFactory(username=f"staff{i}") for i in range(3)]
    for user in staff:
        MembershipFactory(user=user, role=Role.UNIVERSITY_REPORTER, university=university)
    return staff


def per_recipient() -> dict[str, int]:
    """Monthly reminders by recipient (the fixture's MOU reports fall due the same day and are reminded too)."""
    counts: dict[str, int] = {}
    for username in SentMessage.objects.filter(key__startswith="monthly-due").values_list(
        "recipient__username", flat=True
    ):
        counts[username] = counts.get(username, 0) + 1
    return counts


def test_beat_schedules_reminders_and_a_killed_worker_sends_nothing_twice(programme_due_today, celery_eager):
    if connection.vendor != "postgresql":
        pytest.skip("the worker processes share the test database: PostgreSQL only")
    env = worker_env() | {"PBM_REMINDER_SECONDS": "2"}
    expected = {u.username: 1 for u in programme_due_today}
    beat = start_beat(env)
    worker = start_worker(env)
    try:
        assert wait_for(lambda: per_recipient() == expected), per_recipient()
        # The worker dies hard in the middle of its work; a new one takes over while beat keeps scheduling.
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        worker = start_worker(env)
        celery_eager.conf.task_always_eager = False
        send_reminders.apply_async().get(timeout=60)
        time.sleep(5)  # a few more beat ticks
        assert per_recipient() == expected
    finally:
        for process in (beat, worker):
            process.terminate()
            process.wait(timeout=30)
        celery_eager.control.purge()
