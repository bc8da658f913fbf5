"""Celery: the health task in-process, and a real worker against Redis when REDIS_URL is set."""

import pytest
from django.conf import settings
from django.db import connection

from pbm.models import Heartbeat
from pbm.tasks import heartbeat
from tests.workers import start_worker, worker_env


def test_heartbeat_runs_and_is_idempotent(db):
    heartbeat.delay()
    heartbeat.delay()
    assert Heartbeat.objects.filter(name="celery").count() == 1


def test_health_endpoint_reports_ok(db, client):
    body = client.get("/health/").json()
    assert body["status"] == "ok" and body["checks"]["database"] == "ok"


def test_beat_schedule_names_real_tasks():
    from pbm.celery import app

    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


@pytest.mark.redis
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (run by .ci/run with Redis)")
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_health_task(celery_eager):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("an in-memory SQLite test database cannot be shared with a worker process")
    celery_eager.conf.task_always_eager = False
    worker = start_worker(worker_env())
    try:
        result = heartbeat.apply_async()
        result.get(timeout=60)
        assert Heartbeat.objects.filter(name="celery").exists()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
