"""The database side of .ci/scale-out, run with the production environment's Python.

scale_out_db.py reminder-day
    prints a day on which the small demo has monthly reminders to send (some tambon has not filed the month).
scale_out_db.py once DAY --since ISO
    every reminder of DAY was sent once per recipient (and has its notification), and no reminder notification
    made since ISO was made twice for the same person; prints the counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pbm.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from pbm.models import Notification, NotificationKind, SentMessage  # noqa: E402
from reporting.deadlines import selectors  # noqa: E402
from reporting.deadlines.models import DeadlineSettings  # noqa: E402
from tambon.models import Programme  # noqa: E402


def reminder_day() -> None:
    programme = Programme.current()
    days_before = DeadlineSettings.for_programme(programme).days_before
    for (year, month), due in selectors.month_due_dates(programme):
        for days in days_before:
            if selectors.tambons_still_to_file(programme=programme, year=year, month=month).exists():
                print((due - dt.timedelta(days=days)).isoformat())
                return
    sys.exit("no month of the demo programme has a tambon still to file")


def once(day: str, since: str) -> None:
    sent = SentMessage.objects.filter(on_date=dt.date.fromisoformat(day))
    twice = sent.values("recipient", "key").annotate(n=Count("id")).filter(n__gt=1).count()
    without = sent.filter(notification__isnull=True).count()
    repeated = (
        Notification.objects.filter(created_at__gte=dt.datetime.fromisoformat(since), kind=NotificationKind.REMINDER)
        .values("user", "subject", "url")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    print(f"  database: {sent.count()} reminders of {day} to {sent.values('recipient').distinct().count()} people; "
          f"{twice} sent twice, {without} without a notification, {repeated.count()} reminder notifications made twice")  # fmt: skip
    if not sent.exists() or twice or without or repeated.exists():
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("reminder-day")
    sub = commands.add_parser("once")
    sub.add_argument("day")
    sub.add_argument("--since", required=True)
    args = parser.parse_args()
    if args.command == "reminder-day":
        reminder_day()
    else:
        once(args.day, args.since)


if __name__ == "__main__":
    main()
