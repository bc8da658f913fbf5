"""Long work off the request: files built by a Celery worker, and how any background job proves it is alive.

An export (a national or university roster, a university's budget workbook, certificates) is started by the page
that used to build it inside the request: `export_start` records an `ExportJob` and queues `pbm.tasks.export_build`;
the person lands on the job's page, which polls its progress and then offers the file, to them alone and only while
the export is still in their scope (each kind's `allowed`, built on tambon/access.py).

An unchanged export is not built again: each kind reads its data (`inputs`), the hash of that data is the job's
`version`, and a finished job with the same key and version lends its file. Reading is the cheap half; writing the
workbook or PDF is what takes seconds.

A worker that dies mid-job (killed, out of memory, the machine gone) cannot say so. While a job runs, a thread of
its worker refreshes the row's `heartbeat_at` every JOB_HEARTBEAT_SECONDS on its own database connection (so a
job's open transaction does not hide it); a running job whose heartbeat is older than JOB_STALE_SECONDS is marked
failed with a message the person can read (`job_stale`, asked by the job's page and by beat's `reap_jobs`). The
work itself runs in one transaction, so a dead job has written nothing, and it can be started again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, models
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from . import replica
from .followups import enqueue_on_commit
from .models import ExportJob, JobStatus, User

log = logging.getLogger(__name__)


# --- any background job: heartbeat and staleness ------------------------------------------------------------


def heartbeat_seconds() -> float:
    return float(getattr(settings, "JOB_HEARTBEAT_SECONDS", 10))


def stale_seconds() -> float:
    return float(getattr(settings, "JOB_STALE_SECONDS", 60))


def stale_before(now: dt.datetime | None = None) -> dt.datetime:
    """A running job whose heartbeat is older than this has lost its worker (the one rule, for every job kind)."""
    return (now or timezone.now()) - dt.timedelta(seconds=stale_seconds())


@contextmanager
def heartbeat(rows: models.QuerySet, field: str = "heartbeat_at") -> Iterator[None]:
    """While the block runs, set `field` of `rows` to now every heartbeat_seconds(), from a thread with its own
    database connection: outside the job's transaction, so others see it; gone with the process that runs it."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(heartbeat_seconds()):
                try:
                    rows.update(**{field: timezone.now()})
                except DatabaseError:  # a locked SQLite file, a database restart: the next beat tries again
                    log.warning("job heartbeat not recorded", exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    rows.update(**{field: timezone.now()})
    thread = threading.Thread(target=beat, name="job-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def lost_worker_message() -> str:
    """Stored in the site's language (Thai): the reaper does not know who will read it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "The worker doing this job stopped before it finished (it was restarted or ran out of memory), so "
            "nothing was written. Start it again; if it stops again, tell the programme's support team the time."
        )


def reap(rows: models.QuerySet, *, running: list[str], failed: str, now: dt.datetime | None = None) -> int:
    """Mark the jobs among `rows` that are `running` but whose heartbeat is stale as `failed`, with words."""
    now = now or timezone.now()
    return rows.filter(status__in=running, heartbeat_at__lt=stale_before(now)).update(
        status=failed, message=lost_worker_message(), finished_at=now
    )


# --- exports ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportKind:
    """One kind of file built in the background. `inputs` reads the data (its hash is the version); `write` turns
    it into the file's bytes; `allowed` says whether a user may still have it (tambon/access.py)."""

    name: str
    title: Callable[[dict], str]
    allowed: Callable[[User, dict], bool]
    inputs: Callable[[dict], Any]
    write: Callable[[Any, dict], bytes]
    filename: Callable[[dict], str]
    content_type: str


KINDS: dict[str, ExportKind] = {}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_kind(kind: ExportKind) -> ExportKind:
    KINDS[kind.name] = kind
    return kind


def _kind(name: str) -> ExportKind:
    if name not in KINDS:
        autodiscover_modules("tasks")  # the apps' tasks modules register their kinds
    return KINDS[name]


def export_key(kind: str, params: dict) -> str:
    return hashlib.sha256(json.dumps([kind, params], sort_keys=True, default=str).encode()).hexdigest()


def data_version(data: Any) -> str:
    """A hash of the data a file is built from: equal data, equal file."""
    return hashlib.sha256(repr(data).encode()).hexdigest()


def export_start(*, user: User, kind: str, params: dict, language: str | None = None) -> ExportJob:
    """The person's export: a job of theirs already waiting or running for the same content, or a new one queued."""
    key = export_key(kind, params)
    running = (
        ExportJob.objects.filter(requested_by=user, key=key, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        .filter(models.Q(heartbeat_at__gte=stale_before()) | models.Q(heartbeat_at__isnull=True))
        .first()
    )
    if running is not None:
        return running
    from .tasks import export_build

    job = ExportJob.objects.create(kind=kind, params=params, key=key, requested_by=user,
                                   language=language or translation.get_language() or settings.LANGUAGE_CODE)  # fmt: skip
    enqueue_on_commit(export_build, job.pk)
    return job


def export_restart(*, job: ExportJob) -> ExportJob:
    """A failed (or finished) export asked for again: a new job with the same content."""
    return export_start(user=job.requested_by, kind=job.kind, params=job.params, language=job.language)


def export_allowed(*, user: User, job: ExportJob) -> bool:
    """The requester alone, and only while the export is still in their scope."""
    return job.requested_by_id == user.pk and job.kind in KINDS and KINDS[job.kind].allowed(user, job.params)


def notice_lost(job: models.Model, *, running: list[str], failed: str) -> models.Model:
    """Any job row as it stands, marked failed first if its worker is gone (asked by its page as it polls)."""
    if job.status in running and job.heartbeat_at and job.heartbeat_at < stale_before():
        reap(type(job).objects.filter(pk=job.pk), running=running, failed=failed)
        job.refresh_from_db()
    return job


def job_stale(job: ExportJob) -> ExportJob:
    return notice_lost(job, running=[JobStatus.RUNNING], failed=JobStatus.FAILED)


def exports_reap() -> int:
    return reap(ExportJob.objects.all(), running=[JobStatus.RUNNING], failed=JobStatus.FAILED)


REAPERS: list[Callable[[], int]] = [exports_reap]  # the apps add theirs (the roster import's) when loaded


def jobs_reap() -> int:
    """Every job kind's lost jobs marked failed (beat, every minute); how many."""
    autodiscover_modules("tasks")  # the apps' tasks modules register their reapers
    return sum(reaper() for reaper in REAPERS)


def export_build(*, job_id: int) -> ExportJob | None:
    """Build (or reuse) the file of one queued job. Safe to run twice: only a queued job is claimed."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, progress=5
    )
    if not claimed:
        return None
    job = ExportJob.objects.get(pk=job_id)
    rows = ExportJob.objects.filter(pk=job.pk)
    try:
        with translation.override(job.language), heartbeat(rows):
            kind = _kind(job.kind)
            with replica.reading():  # the figures, from the replica if there is one (pbm/replica.py)
                data = kind.inputs(job.params)
            version = data_version(data)
            rows.update(progress=40, version=version)
            built = (
                ExportJob.objects.filter(key=job.key, version=version, status=JobStatus.DONE)
                .exclude(file="")
                .order_by("-finished_at")
                .first()
            )
            if built is not None and built.file.storage.exists(built.file.name):  # a lost file is built again
                name, reused = built.file.name, True
            else:
                name = ExportJob.file.field.generate_filename(job, kind.filename(job.params))
                name, reused = job.file.storage.save(name, ContentFile(kind.write(data, job.params))), False
            rows.update(status=JobStatus.DONE, progress=100, file=name, reused=reused, filename=kind.filename(job.params),
                        content_type=kind.content_type, finished_at=timezone.now())  # fmt: skip
    except Exception:  # noqa: BLE001 - whatever breaks, the person sees "failed" with words, never a spinner
        log.exception("export %s (%s) failed", job.pk, job.kind)
        with translation.override(job.language):
            message = _("The file could not be built because of an unexpected error. Start it again; if it fails "
                        "again, tell the programme's support team the time.")  # fmt: skip
        rows.update(status=JobStatus.FAILED, message=message, finished_at=timezone.now())
    else:
        # The requester's older jobs for the same content are superseded (their files stay while a job lends them).
        ExportJob.objects.filter(requested_by=job.requested_by_id, key=job.key, pk__lt=job.pk).exclude(
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        ).delete()
    return ExportJob.objects.get(pk=job.pk)


def export_file_lost(*, job: ExportJob) -> ExportJob:
    """A finished job whose file the storage no longer holds (a media folder lost or restored without it): failed,
    with words, so its page offers to build it again instead of a broken link."""
    with translation.override(job.language):
        message = _("The file built for this export is no longer stored. Start it again to build it anew.")
    ExportJob.objects.filter(pk=job.pk, status=JobStatus.DONE).update(status=JobStatus.FAILED, message=message)
    job.refresh_from_db()
    return job


def export_progress(*, job: ExportJob) -> dict:
    return {"status": job.status, "progress": job.progress, "label": job.get_status_display(),
            "running": job.is_running, "message": job.message, "reused": job.reused}  # fmt: skip
