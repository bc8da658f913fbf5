import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def send_reminders(on_date: str | None = None) -> str:
    """The daily reminder job, for every programme; exactly-once per recipient and day, so a re-delivered task sends nothing new."""
    from reporting.deadlines.services import reminders_send_all

    day = dt.date.fromisoformat(on_date) if on_date else timezone.localdate()
    return "; ".join(f"{code}: {counts}" for code, counts in reminders_send_all(on_date=day).items())


from . import exports  # noqa: E402, F401 - registers the budget export kind in the worker
from .dashboard.tasks import dashboard_refresh_all, dashboard_refresh_tambons  # noqa: E402, F401 - found by Celery
