"""A write whose follow-up task cannot be queued (the broker is down) still succeeds for the person; the task is
recorded and the catch-up job queues it once the broker is back; /health/ reports the broker.

The SQLite tests point Celery at a port where nothing listens (a real kombu publish that fails); the test marked
`redis` starts its own redis-server, stops it mid-run and starts it again, with a real worker (CI's PostgreSQL +
Redis suite)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from pbm.celery import app
from pbm.followups import enqueue, followups_catch_up
from pbm.models import PendingTask
from reporting.dashboard.models import TambonFigures, TambonMonthFigures
from reporting.dashboard.tasks import dashboard_refresh_tambons
from reporting.models import MonthlyReport
from tests.reporting.helpers import enter_sample_plan
from tests.workers import start_worker, worker_env

REFRESH = "reporting.dashboard.tasks.dashboard_refresh_tambons"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _reset_pools() -> None:
    from kombu import pools

    pools.reset()  # closes kombu's shared connection pools and forgets them, so the next publish opens new ones
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str):
    """Celery publishes to `url` (not in-process) for the duration."""
    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = url, False
    _reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        _reset_pools()


def month_actual(tambon) -> Decimal:
    """January's activity actual on the dashboards (the summary the refresh task writes)."""
    return TambonMonthFigures.objects.get(tambon=tambon, year=2021, month=1).actual_activity


def unreachable() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there: connection refused


# --- the helper on its own (SQLite) ---------------------------------------------------------------------------


def test_enqueue_records_the_task_when_the_broker_is_down(db):
    with broker_at(unreachable()):
        started = time.monotonic()
        assert enqueue(dashboard_refresh_tambons, [3, 5]) is False
        assert enqueue(dashboard_refresh_tambons, [3, 5]) is False  # the same work missed again: one row
        assert time.monotonic() - started < 10
    pending = PendingTask.objects.get()
    assert (pending.task, pending.args, pending.kwargs, pending.attempts) == (REFRESH, [[3, 5]], {}, 2)
    assert "OperationalError" in pending.last_error


def test_enqueue_records_a_broken_install_loudly(db, monkeypatch, caplog):
    """What production hit: the Redis transport could not even be imported. The write still stands; the error is
    logged with its traceback and the task waits for the catch-up."""

    def broken(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'packaging'")

    monkeypatch.setattr(dashboard_refresh_tambons, "apply_async", broken)
    with broker_at(unreachable()):
        assert enqueue(dashboard_refresh_tambons, [1]) is False
    assert "ModuleNotFoundError" in PendingTask.objects.get().last_error
    assert any(r.levelname == "ERROR" and r.exc_info for r in caplog.records)


def test_enqueue_in_process_lets_the_task_errors_through(db, monkeypatch):
    """Without a broker the task runs in the request: its own error is the caller's to see, nothing is recorded."""

    def failing(*args, **kwargs):
        raise ValueError("bug in the task")

    monkeypatch.setattr(dashboard_refresh_tambons, "apply_async", failing)
    with pytest.raises(ValueError):
        enqueue(dashboard_refresh_tambons, [1])
    assert not PendingTask.objects.exists()


def test_catch_up_waits_while_the_broker_is_down_then_queues(db, monkeypatch):
    with broker_at(unreachable()):
        enqueue(dashboard_refresh_tambons, [1])
        enqueue(dashboard_refresh_tambons, [2])
        result = followups_catch_up()
    assert (result.queued, result.left) == (0, 2) and "OperationalError" in result.error
    assert PendingTask.objects.filter(attempts=2).count() == 1  # stopped at the first refusal

    sent = []
    monkeypatch.setattr(dashboard_refresh_tambons, "apply_async", lambda args, kwargs, **o: sent.append(args))
    with broker_at(unreachable()):  # "back": the publish is replaced by one that succeeds
        result = followups_catch_up()
    assert (result.queued, result.left, result.error) == (2, 0, "")
    assert sent == [[[1]], [[2]]] and not PendingTask.objects.exists()


def test_catch_up_command_says_when_the_broker_is_still_down(db):
    from django.core.management.base import CommandError

    with broker_at(unreachable()):
        enqueue(dashboard_refresh_tambons, [1])
        with pytest.raises(CommandError, match="still unreachable"):
            call_command("catch_up_tasks")
    assert PendingTask.objects.count() == 1


def test_catch_up_runs_the_task_in_process(world):
    """Without a broker (development), catching up runs the recorded work at once."""
    PendingTask.objects.create(key="k", task=REFRESH, args=[[world.tambon_a.pk]])
    assert followups_catch_up().queued == 1
    assert TambonFigures.objects.filter(tambon=world.tambon_a).exists()
    assert not PendingTask.objects.exists()


# --- the person's save (SQLite; the after-commit hook runs inside the request, as in production) -------------


@pytest.mark.django_db(transaction=True)
def test_monthly_report_save_succeeds_while_the_broker_is_down(world, client_for):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    url = f"/tambons/{world.tambon_a.pk}/reports/2021/1/"
    data = {"version": 0, "narrative": "Market opened", f"actual_{lines['2.1'].pk}": "45000", "save": "1"}
    with broker_at(unreachable()):
        response = client_for(world.alice).post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    report = MonthlyReport.objects.get(tambon=world.tambon_a, year=2021, month=1)
    assert report.narrative == "Market opened"
    pending = PendingTask.objects.get()
    assert (pending.task, pending.args) == (REFRESH, [[world.tambon_a.pk]])

    assert followups_catch_up().queued == 1  # the broker is back (in-process here): the refresh runs
    assert month_actual(world.tambon_a) == Decimal(45000)


def test_roster_upload_while_redis_is_down_shows_the_import_then_catches_up(
    world, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    """Broker and cache share one Redis: the upload is accepted, its page shows the row's state, the check runs
    once the broker is back."""
    import io

    import redis

    from tambon.roster import selectors as roster_selectors
    from tambon.roster.models import ImportStatus, RosterImport
    from tests.tambon.roster.conftest import person_row, xlsx_bytes

    def down(*args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(roster_selectors.cache, "get", down)
    client = client_for(world.mona)
    sheet = io.BytesIO(xlsx_bytes([person_row(1, world.tambon_a)]))
    sheet.name = "roster.xlsx"
    with broker_at(unreachable()), django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/universities/{world.university_a.pk}/roster/", {"file": sheet})
    job = RosterImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/roster/imports/{job.pk}/"
    assert client.get(response["Location"]).status_code == 200
    assert client.get(f"/roster/imports/{job.pk}/progress/").json()["status"] == ImportStatus.QUEUED
    assert PendingTask.objects.get().task == "tambon.roster.tasks.roster_import_check_task"

    assert followups_catch_up().queued == 1  # back (in-process here): the check runs
    job.refresh_from_db()
    assert (job.status, job.new_count) == (ImportStatus.PREVIEW, 1)


# --- /health/ --------------------------------------------------------------------------------------------------


def test_health_reports_the_broker_down_and_the_waiting_followups(db, client):
    with broker_at(unreachable()):
        enqueue(dashboard_refresh_tambons, [1])
        started = time.monotonic()
        response = client.get("/health/")
        assert time.monotonic() - started < 10
    body = response.json()
    assert response.status_code == 503 and body["status"] == "error"
    assert body["checks"]["broker"].startswith("error") and body["checks"]["database"] == "ok"
    assert body["pending_followups"] == 1


def test_health_in_process_tasks_need_no_broker(db, client):
    body = client.get("/health/").json()
    assert body["status"] == "ok" and body["celery_eager"] is True and "broker" not in body["checks"]
    assert body["pending_followups"] == 0


# --- a real broker stopped mid-run, and a real worker (PostgreSQL + Redis) -----------------------------------


class RedisServer:
    """A redis-server of this test's own, so that it can be stopped and started again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        for _ in range(50):
            try:
                redis.Redis(port=self.port).ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def queued(self) -> int:
        import redis

        return redis.Redis(port=self.port).llen("celery")


@pytest.mark.redis
@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server (run by .ci/run)")
@pytest.mark.django_db(transaction=True)
def test_broker_stopped_mid_run_save_succeeds_and_is_caught_up(world, client_for):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process shares the test database: PostgreSQL only")
    lines = enter_sample_plan(world.tambon_a, world.alice)  # in-process, before the broker is involved
    url = f"/tambons/{world.tambon_a.pk}/reports/2021/1/"
    alice = client_for(world.alice)
    server = RedisServer()
    server.start()
    worker = None
    try:
        with broker_at(server.url):
            data = {"version": 0, "narrative": "first", f"actual_{lines['2.1'].pk}": "45000", "save": "1"}
            assert alice.post(url, data).status_code == 302
            assert server.queued() == 1  # the broker is up: the refresh went to it

            server.stop()
            started = time.monotonic()
            data |= {"version": 1, "narrative": "saved while the broker is down", f"actual_{lines['2.1'].pk}": "47000"}
            response = alice.post(url, data)
            took = time.monotonic() - started
            assert response.status_code == 302 and response["Location"] == url, response.content[:500]
            assert took < 10, f"the save waited {took:.1f}s for a broker that is down"
            report = MonthlyReport.objects.get(tambon=world.tambon_a, year=2021, month=1)
            assert report.narrative == "saved while the broker is down"
            assert PendingTask.objects.filter(task=REFRESH, args=[[world.tambon_a.pk]]).count() == 1
            health = client_for(None).get("/health/").json()
            assert health["checks"]["broker"].startswith("error") and health["pending_followups"] == 1

            server.start()  # back, empty
            result = followups_catch_up()
            assert (result.queued, result.left) == (1, 0)
            assert server.queued() == 1
            assert client_for(None).get("/health/").json()["checks"]["broker"] == "ok"

            TambonFigures.objects.filter(tambon=world.tambon_a).delete()
            worker = start_worker(worker_env() | {"REDIS_URL": server.url})
            deadline = time.monotonic() + 60
            while not TambonFigures.objects.filter(tambon=world.tambon_a).exists() and time.monotonic() < deadline:
                time.sleep(0.5)
            assert TambonFigures.objects.filter(tambon=world.tambon_a).exists()  # the worker ran the caught-up refresh
            assert month_actual(world.tambon_a) == Decimal(47000)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        server.stop()
