"""Follow-up work queued after a write: a dashboard refresh, a reclassification, a roster import step.

The write has committed by the time its follow-up is queued, so a broker that is down or hung (or a transport
that fails to load) must not turn the person's success into an error page. `enqueue` gives up within seconds
(settings: publish retry policy and socket timeouts), logs, and records the work as a `PendingTask`;
`followups_catch_up` (Celery beat every minute, and `manage.py catch_up_tasks`) queues what was recorded once the
broker answers again. Every follow-up task is safe to run twice, so a catch-up racing a late publish does no harm.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from functools import partial

import redis.exceptions
from celery import Task
from django.db import DatabaseError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import PendingTask

log = logging.getLogger(__name__)

# What a publish raises when the broker cannot be reached: kombu wraps most connection errors in OperationalError;
# the rest reach us as redis-py's or the socket's own.
BROKER_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError,
)  # fmt: skip


def _publish(task: Task, args: list, kwargs: dict) -> None:
    # Nobody reads a follow-up's result; not subscribing to it also keeps the result store off the request's path.
    task.apply_async(args, kwargs, ignore_result=True)


def enqueue(task: Task, *args, **kwargs) -> bool:
    """Queue `task`; True when it was queued. When it cannot be queued, log, record it for the catch-up job and
    return False instead of raising: the caller's write stands either way."""
    if task.app.conf.task_always_eager:
        _publish(task, list(args), kwargs)  # in-process: the task's own errors are the caller's to see
        return True
    try:
        _publish(task, list(args), kwargs)
    except BROKER_ERRORS as exc:
        log.warning("could not queue %s%s (%s: %s); recorded for the catch-up job", task.name, args,
                    exc.__class__.__name__, exc)  # fmt: skip
        _record(task.name, list(args), kwargs, exc)
        return False
    except Exception as exc:  # noqa: BLE001 - a broken install (a transport's missing import), not an outage
        log.exception("could not queue %s%s; recorded for the catch-up job", task.name, args)
        _record(task.name, list(args), kwargs, exc)
        return False
    return True


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """`enqueue` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(enqueue, task, *args, **kwargs))


def _key(name: str, args: list, kwargs: dict) -> str:
    return hashlib.sha256(json.dumps([name, args, kwargs], sort_keys=True, default=str).encode()).hexdigest()


def _record(name: str, args: list, kwargs: dict, exc: BaseException) -> None:
    error = f"{exc.__class__.__name__}: {exc}"[:2000]
    now = timezone.now()
    try:
        pending, created = PendingTask.objects.get_or_create(
            key=_key(name, args, kwargs),
            defaults={"task": name, "args": args, "kwargs": kwargs, "last_error": error, "missed_at": now},
        )
        if not created:
            PendingTask.objects.filter(pk=pending.pk).update(missed_at=now, attempts=pending.attempts + 1,
                                                             last_error=error)  # fmt: skip
    except (DatabaseError, TypeError, ValueError):
        # Broker and database both down (or arguments no JSON column takes): nothing can be recorded; the periodic jobs (dashboard refresh every ten
        # minutes, nightly classification) redo most of this work when they run again.
        log.exception("could not record the missed task %s%s either", name, tuple(args))


@dataclass
class CatchUp:
    queued: int
    left: int
    error: str = ""


def _task(name: str) -> Task | None:
    from .celery import app

    if name not in app.tasks:
        app.loader.import_default_modules()  # a command process has not discovered the apps' tasks yet
    return app.tasks.get(name)


def followups_catch_up(*, limit: int = 1000) -> CatchUp:
    """Queue the recorded follow-ups, oldest first; stop at the first broker error (it is still down)."""
    queued = 0
    error = ""
    for pending in PendingTask.objects.all()[:limit]:
        task = _task(pending.task)
        if task is None:
            log.error("pending task %s names no known task; left for an operator", pending.task)
            PendingTask.objects.filter(pk=pending.pk).update(last_error="no such task")
            continue
        try:
            _publish(task, pending.args, pending.kwargs)
        except Exception as exc:  # noqa: BLE001 - the broker is still down (or the install still broken): next run
            error = f"{exc.__class__.__name__}: {exc}"[:2000]
            PendingTask.objects.filter(pk=pending.pk).update(attempts=pending.attempts + 1, last_error=error)
            break
        # A write that missed the same work again while we published is left for the next run.
        PendingTask.objects.filter(pk=pending.pk, missed_at=pending.missed_at).delete()
        queued += 1
    if queued:
        log.info("caught up %s follow-up task(s)", queued)
    return CatchUp(queued=queued, left=PendingTask.objects.count(), error=error)


def broker_check(*, timeout: float = 2.0) -> str:
    """'ok' when the Celery broker accepts a connection within about `timeout` seconds, else the error's name."""
    from .celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
            channel = connection.default_channel  # the Redis transport pings the server when it opens a channel
            del channel
    except Exception as exc:  # noqa: BLE001 - any failure means the broker is not usable
        return f"error: {exc.__class__.__name__}"
    return "ok"
