"""Refresh of the dashboards' summary tables from the records (set-based: a fixed number of queries per call)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from pbm.followups import enqueue_on_commit
from tambon.models import Programme, Tambon

from . import selectors
from .models import TambonFigures, TambonHiringFigures, TambonMonthFigures

ZERO = Decimal(0)


@transaction.atomic
def dashboard_refresh(*, tambon_ids: list[int] | None = None) -> int:
    """Recompute the summary rows of these tambons (all tambons of every programme when None); returns how many
    tambons were refreshed. Safe to run twice: rows are replaced, never added to.

    Safe to overlap another refresh or a save by design: it first locks its tambons' rows (in id order, so two
    refreshes never deadlock), so refreshes of the same tambon run one after the other, and each reads the
    figures only once the one before it has committed. A save queues its refresh after it commits, so the last
    refresh of a tambon always reads its latest figures."""
    tambons = Tambon.objects.all() if tambon_ids is None else Tambon.objects.filter(pk__in=list(tambon_ids))
    ids = list(tambons.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    tambons = Tambon.objects.filter(pk__in=ids)
    now = timezone.now()
    months: dict[tuple[int, int, int], dict[str, Decimal]] = defaultdict(dict)
    for (tambon_id, year, month, kind), (plan, actual) in selectors.live_monthly_sums(tambons, "id").items():
        months[(tambon_id, year, month)][f"plan_{kind}"] = plan
        months[(tambon_id, year, month)][f"actual_{kind}"] = actual
    totals = selectors.live_totals(tambons, "id")
    certificates = selectors.live_certificates_eligible(tambons, "id")
    hiring = selectors.live_hiring(tambons)
    TambonMonthFigures.objects.filter(tambon_id__in=ids).delete()
    TambonHiringFigures.objects.filter(tambon_id__in=ids).delete()
    TambonFigures.objects.filter(tambon_id__in=ids).delete()
    TambonMonthFigures.objects.bulk_create(
        [TambonMonthFigures(tambon_id=t, year=y, month=m, **values) for (t, y, m), values in months.items()],
        batch_size=5000,
    )
    TambonHiringFigures.objects.bulk_create(
        [TambonHiringFigures(tambon_id=t, hiring_type_id=h, hired=n, reserve=r) for (t, h), (n, r) in hiring.items()],
        batch_size=5000,
    )
    TambonFigures.objects.bulk_create(
        [
            TambonFigures(
                tambon_id=t,
                refreshed_at=now,
                certificates_eligible=certificates.get(t, 0),
                **{f"total_{kind}": totals.get((t, kind), ZERO) for kind in selectors.KINDS},
            )  # fmt: skip
            for t in ids
        ],
        batch_size=5000,
    )
    return len(ids)


_deferred: ContextVar[set[int] | None] = ContextVar("dashboard_refresh_deferred", default=None)


def dashboard_refresh_on_commit(*, tambon_ids: list[int]) -> None:
    """After a write that changes a tambon's plan, actuals or team: refresh its figures once the write commits
    (inside `dashboard_refresh_deferred`, note the tambons for the one refresh at its end instead)."""
    from .tasks import dashboard_refresh_tambons

    if (deferred := _deferred.get()) is not None:
        deferred.update(tambon_ids)
        return
    ids = sorted(set(tambon_ids))
    enqueue_on_commit(dashboard_refresh_tambons, ids)


@contextmanager
def dashboard_refresh_deferred(*, already_refreshed: Callable[[], set[int]] = set) -> Iterator[set[int]]:
    """Bulk work (the demo seed) writes many times to the same tambons: refresh each touched tambon once, at the
    end, rather than after every write. `already_refreshed` names tambons the work refreshed itself."""
    touched: set[int] = set()
    token = _deferred.set(touched)
    try:
        yield touched
    finally:
        _deferred.reset(token)
    if left := touched - already_refreshed():
        dashboard_refresh(tambon_ids=sorted(left))


def programme_tambon_ids(programme: Programme) -> list[int]:
    return list(Tambon.objects.filter(programme=programme).values_list("pk", flat=True))
