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
