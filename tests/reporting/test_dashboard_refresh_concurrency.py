"""Dashboard summaries never go stale: refreshes that overlap each other or a save are safe (PostgreSQL)."""

import threading
from decimal import Decimal as D

import pytest
from django.db import close_old_connections, connection

from reporting import services
from reporting.dashboard import selectors
from reporting.dashboard.models import TambonMonthFigures
from reporting.dashboard.services import dashboard_refresh
from tambon.models import Tambon

from .helpers import enter_sample


def _summary(ids):
    return {
        (f.tambon_id, f.year, f.month, kind): (getattr(f, f"plan_{kind}"), getattr(f, f"actual_{kind}"))
        for f in TambonMonthFigures.objects.filter(tambon_id__in=ids)
        for kind in selectors.KINDS
        if getattr(f, f"plan_{kind}") or getattr(f, f"actual_{kind}")
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_overlapping_refreshes_and_a_save_leave_the_summary_equal_to_the_live_sums(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    lines, _reports = enter_sample(world.tambon_a, world.alice)
    ids = list(Tambon.objects.values_list("pk", flat=True))
    barrier, errors = threading.Barrier(5), []

    def run(work):
        try:
            barrier.wait()
            for _ in range(3):
                work()
        except Exception as error:  # noqa: BLE001 - any failure of a refresh is what this test looks for
            errors.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    amounts = iter(D(a) for a in range(1000, 4000, 100))

    def save():
        services.monthly_report_save(tambon=world.tambon_a, year=2021, month=3, user=world.alice, seen_version=None,
                                     actuals={lines["2.1"].pk: next(amounts)}, narrative="March")  # fmt: skip
        dashboard_refresh(tambon_ids=[world.tambon_a.pk])  # as the save's follow-up does once it has committed

    workers = [lambda: dashboard_refresh(tambon_ids=ids), lambda: dashboard_refresh(tambon_ids=None),
               lambda: dashboard_refresh(tambon_ids=[world.tambon_a.pk]), lambda: dashboard_refresh(tambon_ids=ids),
               save]  # fmt: skip
    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []  # no IntegrityError on tambon_month_figures_once, no deadlock
    live = {k: v for k, v in selectors.live_monthly_sums(Tambon.objects.filter(pk__in=ids), "id").items() if any(v)}
    assert _summary(ids) == live


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_saves_on_two_tambons_racing_full_refreshes_leave_every_summary_equal_to_the_live_sums(world):
    """No refresh after the saves by hand: each save's own follow-up (queued once it commits; in-process here) is
    what must bring the summary level, while whole-programme refreshes run over the same rows in other threads."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from reporting.dashboard.models import TambonFigures

    lines_a, _ = enter_sample(world.tambon_a, world.alice)
    lines_b, _ = enter_sample(world.tambon_b, world.bob)
    ids = list(Tambon.objects.values_list("pk", flat=True))
    barrier, errors = threading.Barrier(5), []

    def run(work):
        try:
            barrier.wait()
            for step in range(4):
                work(step)
        except Exception as error:  # noqa: BLE001 - any failure is what this test looks for
            errors.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    def saver(tambon, user, line):
        def save(step):
            for month in (3, 4):
                services.monthly_report_save(tambon=tambon, year=2021, month=month, user=user, seen_version=None,
                                             actuals={line.pk: D(500 + 10 * step + month)}, narrative=f"step {step}")  # fmt: skip

        return save

    workers = [saver(world.tambon_a, world.alice, lines_a["2.1"]), saver(world.tambon_b, world.bob, lines_b["2.1"]),
               lambda _step: dashboard_refresh(), lambda _step: dashboard_refresh(tambon_ids=ids[::-1]),
               lambda _step: dashboard_refresh(tambon_ids=[world.tambon_b.pk, world.tambon_a.pk])]  # fmt: skip
    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    tambons = Tambon.objects.filter(pk__in=ids)
    live = {k: v for k, v in selectors.live_monthly_sums(tambons, "id").items() if any(v)}
    assert _summary(ids) == live
    april_a = sum(
        actual for (t, y, m, _k), (_plan, actual) in live.items() if (t, y, m) == (world.tambon_a.pk, 2021, 4)
    )
    assert april_a >= D(500 + 30 + 4)  # the last save's amount is in the records, so in the summary too
    totals = {(f.tambon_id, kind): getattr(f, f"total_{kind}") for f in TambonFigures.objects.filter(tambon_id__in=ids)
              for kind in selectors.KINDS}  # fmt: skip
    assert {k: v for k, v in totals.items() if v} == {
        k: v for k, v in selectors.live_totals(tambons, "id").items() if v
    }
