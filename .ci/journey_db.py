"""The database side of .ci/journey.py, run with the production environment's Python (Django, no test tools).

journey_db.py pick REPORTER
    prints "TAMBON YEAR MONTH NEXT_MONTH REVIEWER": a tambon of the reporter's university with a budget plan and
    two programme months nobody has filed yet, and the RSI reviewer of the tambon's network.
journey_db.py verify TAMBON YEAR MONTH --since ISO --status accepted [--history a,b,c]
    the report's status and review history are as the journey left them, and the worker refreshed the tambon's
    dashboard figures after the journey began: the stored month equals the records and shows the filed actuals.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pbm.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402

from pbm.models import PendingTask, ReviewEvent  # noqa: E402
from reporting.dashboard import selectors  # noqa: E402
from reporting.dashboard.models import TambonFigures, TambonMonthFigures  # noqa: E402
from reporting.models import BudgetLine, MonthlyReport  # noqa: E402
from tambon.models import Membership, Role, Tambon, User  # noqa: E402


def pick(reporter: str) -> None:
    user = User.objects.get(username=reporter)
    university_ids = Membership.objects.filter(user=user, role=Role.UNIVERSITY_REPORTER).values("university_id")
    for tambon in Tambon.objects.filter(university_id__in=university_ids).order_by("pk"):
        if not BudgetLine.objects.filter(tambon=tambon, category__hiring_type__isnull=True).exists():
            continue
        filed = set(MonthlyReport.objects.filter(tambon=tambon).values_list("year", "month"))
        free = [ym for ym in tambon.programme.months() if ym not in filed]
        reviewer = User.objects.filter(memberships__role=Role.RSI_REVIEWER, memberships__network=tambon.network_id)
        if len(free) >= 2 and reviewer.exists():
            (year, month), (next_year, next_month) = free[0], free[1]
            print(tambon.pk, year, month, f"{next_year}-{next_month}", reviewer.order_by("pk")[0].username)
            return
    sys.exit(f"no tambon of {reporter}'s university has two unfiled months and a budget plan")


def verify(tambon_id: int, year: int, month: int, since: dt.datetime, status: str, history: list[str]) -> None:
    problems = []
    report = MonthlyReport.objects.get(tambon_id=tambon_id, year=year, month=month)
    if report.status != status:
        problems.append(f"report status is {report.status!r}, expected {status!r}")
    if history:
        actions = list(
            ReviewEvent.objects.filter(
                content_type=ContentType.objects.get_for_model(MonthlyReport), object_id=report.pk
            )
            .exclude(action="changed")
            .values_list("action", flat=True)
        )
        if actions != history:
            problems.append(f"review history is {actions}, expected {history}")
    tambons = Tambon.objects.filter(pk=tambon_id)
    live = {
        (y, m, kind): actual for (_t, y, m, kind), (_plan, actual) in selectors.live_monthly_sums(tambons, "id").items()
    }
    stored_row = TambonMonthFigures.objects.filter(tambon_id=tambon_id, year=year, month=month).first()
    figures = TambonFigures.objects.filter(tambon_id=tambon_id).first()
    live_actual = sum((v for (y, m, _k), v in live.items() if (y, m) == (year, month)), Decimal(0))
    if live_actual <= 0:
        problems.append("the records show no actual for the month: the journey's save did not reach the database")
    if figures is None or figures.refreshed_at < since:
        problems.append(f"the dashboard figures were not refreshed since {since:%H:%M:%S} (the worker did not run "
                        f"the follow-up): refreshed at {figures.refreshed_at if figures else None}")  # fmt: skip
    elif stored_row is None:
        problems.append("the refreshed dashboard figures have no row for the month")
    else:
        stored = {kind: getattr(stored_row, f"actual_{kind}") for kind in selectors.KINDS}
        expected = {kind: live.get((year, month, kind), Decimal(0)) for kind in selectors.KINDS}
        if stored != expected:
            problems.append(f"stored dashboard actuals {stored} differ from the records {expected}")
    waiting = PendingTask.objects.count()
    if waiting:
        problems.append(f"{waiting} follow-up task(s) still wait for the broker")
    if problems:
        sys.exit("DATABASE CHECK FAILED: " + "; ".join(problems))
    print(f"  database: report {tambon_id} {year}-{month:02d} is {report.status}; the worker refreshed the "
          f"dashboard at {figures.refreshed_at:%H:%M:%S} (month's actuals {live_actual:,.2f}); no follow-up waits")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    sub = commands.add_parser("pick")
    sub.add_argument("reporter")
    sub = commands.add_parser("verify")
    sub.add_argument("tambon", type=int)
    sub.add_argument("year", type=int)
    sub.add_argument("month", type=int)
    sub.add_argument("--since", type=dt.datetime.fromisoformat, required=True)
    sub.add_argument("--status", required=True)
    sub.add_argument("--history", default="")
    args = parser.parse_args()
    if args.command == "pick":
        pick(args.reporter)
    else:
        history = [a for a in args.history.split(",") if a]
        verify(args.tambon, args.year, args.month, args.since, args.status, history)


if __name__ == "__main__":
    main()
