import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pbm.settings")

app = Celery("pbm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def every(variable: str, default):
    """A schedule from code; an environment variable of seconds replaces it (CI watches beat within a minute)."""
    return float(os.environ[variable]) if os.environ.get(variable) else default


# Periodic jobs live here, in code, so every deployment runs the same schedule (times are Asia/Bangkok).
app.conf.beat_schedule = {
    "health-heartbeat": {"task": "pbm.tasks.heartbeat", "schedule": every("PBM_HEARTBEAT_SECONDS", 300.0)},
    # Follow-ups that writes could not queue while the broker was down (pbm/followups.py), once it is back.
    "followups-catch-up": {"task": "pbm.tasks.catch_up_followups", "schedule": every("PBM_CATCH_UP_SECONDS", 60.0)},
    # Background jobs (exports, roster imports) whose worker died mid-way: marked failed, so they can be restarted.
    "reap-jobs": {"task": "pbm.tasks.reap_jobs", "schedule": every("PBM_REAP_JOBS_SECONDS", 60.0)},
    # Email and LINE deliveries that failed (retried with doubling waits) and the daily digests that are due.
    "retry-deliveries": {
        "task": "pbm.tasks.retry_deliveries",
        "schedule": every("PBM_RETRY_DELIVERIES_SECONDS", 300.0),
    },
    # Reminders and escalations, every morning in Bangkok.
    "send-reminders": {
        "task": "reporting.tasks.send_reminders",
        "schedule": every("PBM_REMINDER_SECONDS", crontab(hour=8, minute=0)),
    },
    # The dashboards' summary tables (same service as `manage.py refresh_dashboards`); writes also refresh their
    # tambons right after they commit, so this only catches what those missed.
    "dashboard-refresh": {
        "task": "reporting.dashboard.tasks.dashboard_refresh_all",
        "schedule": every("PBM_DASHBOARD_REFRESH_SECONDS", 600.0),
    },
    # Same service as `manage.py classify_tambons`; acceptance also triggers it for one quarter.
    "assessment-classify-nightly": {"task": "assessment.tasks.classify_all", "schedule": crontab(hour=1, minute=30)},
    # Same service as `manage.py sweep_idempotency`: API write answers kept for Idempotency-Key retries, after a week.
    "sweep-idempotency-daily": {
        "task": "api_clients.tasks.sweep_idempotent_writes",
        "schedule": crontab(hour=2, minute=0),
    },
    # Same service as `manage.py sweep_files`: stored uploads no row refers to any more.
    "sweep-files-weekly": {
        "task": "pbm.tasks.sweep_files",
        "schedule": crontab(day_of_week="sunday", hour=3, minute=0),
    },
}
