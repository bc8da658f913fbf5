import socket

from celery import shared_task
from django.utils import timezone

from .files import files_sweep
from .followups import followups_catch_up
from .models import Heartbeat


@shared_task
def heartbeat() -> str:
    """Proves a worker can reach the database; safe to run any number of times."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name="celery", defaults={"beat_at": now, "worker": socket.gethostname()})
    return now.isoformat()


@shared_task
def sweep_files() -> int:
    """The weekly clean-up of stored files no row refers to (`manage.py sweep_files`)."""
    return files_sweep().removed


@shared_task
def catch_up_followups() -> int:
    """Queue the follow-ups writes could not queue while the broker was down (`manage.py catch_up_tasks`)."""
    return followups_catch_up().queued


@shared_task
def deliver(delivery_id: int) -> bool:
    """Send one claimed email or LINE message now (queued after the claim commits); safe to run twice."""
    from .notifications import delivery_attempt

    return delivery_attempt(delivery_id=delivery_id)


@shared_task
def notify_review_event(event_id: int) -> int:
    """Tell the people concerned about one review step or comment; a re-run tells nobody twice."""
    from .notifications import review_event_notify

    return review_event_notify(event_id=event_id)


@shared_task
def retry_deliveries() -> int:
    """Failed deliveries whose wait is over, and the daily digests that are due (`manage.py retry_deliveries`)."""
    from .notifications import notifications_retry

    counts = notifications_retry()
    return counts.sent + counts.digests


@shared_task
def export_build(job_id: int) -> str:
    """Build one export's file (pbm/jobs.py); safe to run twice: a job is claimed once."""
    from .jobs import export_build as build

    job = build(job_id=job_id)
    return job.status if job else "not queued"


@shared_task
def reap_jobs() -> int:
    """Background jobs whose worker died mid-way, marked failed so their people can start them again."""
    from .jobs import jobs_reap

    return jobs_reap()
