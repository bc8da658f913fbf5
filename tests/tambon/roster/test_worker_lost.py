"""A roster import whose Celery worker is killed (SIGKILL) in the middle of its write: the job is noticed by its
stopped heartbeat, failed with a message in Thai, has written nothing, and is started again by its person.
Runs in CI's PostgreSQL + Redis suite with a real worker."""

import io
import signal

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from tambon.roster.models import Contract, ImportStatus, Person, RosterImport
from tests.workers import start_worker, wait_for, worker_env

from .conftest import person_row, xlsx_bytes

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (run by .ci/run with Redis)"),
    pytest.mark.django_db(transaction=True),
]


def status(job) -> str:
    return RosterImport.objects.values_list("status", flat=True).get(pk=job.pk)


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_an_import_killed_mid_write_fails_in_thai_writes_nothing_and_starts_again(
    world, client_for, celery_eager, settings, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker processes share the test database: PostgreSQL only")
    settings.MEDIA_ROOT = tmp_path
    settings.JOB_STALE_SECONDS = 3
    celery_eager.conf.task_always_eager = False
    env = worker_env() | {"MEDIA_ROOT": str(tmp_path), "JOB_HEARTBEAT_SECONDS": "0.5"}
    client = client_for(world.mona)
    rows = [person_row(n, world.tambon_a if n <= 5 else world.tambon_a2) for n in range(1, 11)]
    data = io.BytesIO(xlsx_bytes(rows))
    data.name = "roster.xlsx"
    worker = start_worker(env)
    db = connection.settings_dict
    locker = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432)
    try:
        client.post(f"/universities/{world.university_a.pk}/roster/", {"file": data})
        job = RosterImport.objects.get()
        assert wait_for(lambda: status(job) == ImportStatus.PREVIEW), (status(job), RosterImport.objects.get().message)
        # Hold the contracts table: the worker writes the people, then waits at the contracts, mid-transaction.
        with locker.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Contract._meta.db_table} IN SHARE MODE")
        client.post(f"/roster/imports/{job.pk}/confirm/")
        assert wait_for(lambda: lock_waiters() > 0, timeout=60), status(job)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        locker.rollback()  # the dead worker's transaction goes on, finds its client gone and rolls back

        url = f"/roster/imports/{job.pk}/progress/"
        assert wait_for(lambda: client.get(url).json()["status"] == "failed", timeout=30)
        job.refresh_from_db()
        assert "หยุด" in job.message and "ไม่มีการบันทึกข้อมูล" in job.message, job.message
        assert wait_for(lambda: lock_waiters() == 0, timeout=30)
        assert (Person.objects.count(), Contract.objects.count()) == (0, 0)
        page = client.get(f"/roster/imports/{job.pk}/").content.decode()
        assert 'id="restart"' in page and job.message in page

        worker = start_worker(env)
        client.post(f"/roster/imports/{job.pk}/confirm/")
        assert wait_for(lambda: status(job) == ImportStatus.DONE, timeout=60), RosterImport.objects.get().message
        assert (Person.objects.count(), Contract.objects.count()) == (10, 10)
    finally:
        locker.close()
        worker.kill()
        worker.wait(timeout=30)
