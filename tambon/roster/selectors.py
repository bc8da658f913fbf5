"""Reads of the roster: a tambon's team and fill rate, the reserve list, wages due, certificate eligibility,
and the rows of an export. Each is a handful of queries whatever the number of people."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Sum

from tambon.models import HiringType, Programme, Tambon

from .models import Contract, ContractStatus, ImportPhase, RosterImport, WorkAcceptance
from .sheet import STATUS_LABELS, format_date

log = logging.getLogger(__name__)

CERTIFICATE_MONTHS = 6


def wages_due_by_month(
    *, tambon_ids: Iterable[int], months: Iterable[tuple[int, int]]
) -> dict[tuple[int, int, int, int], Decimal]:
    """Wages due from accepted work: {(tambon id, hiring type id, year, month): baht}, one query for all months.

    THE source of the monthly report's hiring lines 1.1–1.3 (reporting.selectors.hiring_actuals)."""
    wanted = set(months)
    rows = (
        WorkAcceptance.objects.filter(
            contract__tambon_id__in=list(tambon_ids),
            year__in={y for y, _m in wanted},
            month__in={m for _y, m in wanted},
        )
        .values_list("contract__tambon_id", "contract__hiring_type_id", "year", "month")
        .annotate(total=Sum("amount"))
    )
    return {(t, h, y, m): total for t, h, y, m, total in rows if (y, m) in wanted}


def wages_due(*, tambon_ids: Iterable[int], year: int, month: int) -> dict[tuple[int, str], Decimal]:
    """Wages due for one month, keyed by (tambon id, hiring type code); types with nothing accepted are absent."""
    codes = dict(HiringType.objects.values_list("pk", "code"))
    return {
        (tambon_id, codes[type_id]): total
        for (tambon_id, type_id, _y, _m), total in wages_due_by_month(
            tambon_ids=tambon_ids, months=[(year, month)]
        ).items()
    }


@dataclass
class TypeFill:
    hiring_type: HiringType
    hired: int
    reserve: int

    @property
    def quota(self) -> int:
        return self.hiring_type.quota_per_tambon

    @property
    def fill_rate(self) -> Decimal:
        return (Decimal(self.hired) * 100 / self.quota).quantize(Decimal("0.1")) if self.quota else Decimal(0)


def team_fill(*, tambon: Tambon) -> tuple[list[TypeFill], TypeFill]:
    """Hired and reserve counts against the quota for each type, and the total line."""
    counts = {
        r["hiring_type_id"]: r
        for r in Contract.objects.filter(tambon=tambon)
        .values("hiring_type_id")
        .annotate(hired=Count("id", filter=Q(status="active")), reserve=Count("id", filter=Q(status="reserve")))
    }
    lines = [
        TypeFill(t, counts.get(t.pk, {}).get("hired", 0), counts.get(t.pk, {}).get("reserve", 0))
        for t in HiringType.objects.filter(programme_id=tambon.programme_id)
    ]
    total_type = HiringType(quota_per_tambon=sum(line.quota for line in lines), monthly_rate=Decimal(0))
    return lines, TypeFill(total_type, sum(x.hired for x in lines), sum(x.reserve for x in lines))


def team_members(*, tambon: Tambon) -> QuerySet[Contract]:
    """Hired people first by type, then those who left; the reserve list is `reserve_list`."""
    return (
        Contract.objects.filter(tambon=tambon)
        .exclude(status=ContractStatus.RESERVE)
        .select_related("person", "hiring_type", "replaces__person")
        .annotate(accepted_months=Count("acceptances"))
        .order_by("status", "hiring_type__position", "person__first_name")
    )


def reserve_list(*, tambon: Tambon) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(tambon=tambon, status=ContractStatus.RESERVE)
        .select_related("person", "hiring_type")
        .order_by("hiring_type__position", "reserve_rank", "id")
    )


def next_month_to_accept(*, tambon: Tambon) -> tuple[int, int]:
    """The month the team's work is accepted next: the one after the latest accepted (the first month when none
    is), kept within the programme."""
    months = tambon.programme.months()
    latest = (
        WorkAcceptance.objects.filter(contract__tambon=tambon)
        .values_list("year", "month")
        .order_by("-year", "-month")
        .first()
    )
    if latest is None or latest not in months:
        return months[0]
    return months[min(months.index(latest) + 1, len(months) - 1)]


def accepted_months(*, contract_ids: Iterable[int], year: int, month: int) -> set[int]:
    return set(
        WorkAcceptance.objects.filter(contract_id__in=list(contract_ids), year=year, month=month).values_list(
            "contract_id", flat=True
        )
    )


def longest_passed_run(months: list[tuple[int, int, bool]]) -> int:
    """Longest run of consecutive calendar months whose work was accepted with a passed evaluation."""
    best = run = 0
    previous = None
    for year, month, passed in sorted(months):
        index = year * 12 + month
        if not passed:
            run, previous = 0, None
            continue
        run = run + 1 if previous is not None and index == previous + 1 else 1
        previous, best = index, max(best, run)
    return best


def certificate_candidates(*, tambons: QuerySet[Tambon]) -> list[tuple[Contract, int]]:
    """Every person of these tambons with their longest passed run; eligible when it is ≥ 6 months."""
    contracts = list(
        Contract.objects.filter(tambon__in=tambons)
        .exclude(status=ContractStatus.RESERVE)
        .select_related("person", "hiring_type", "tambon__subdistrict__district__province", "tambon__university")
        .select_related("certificate")
        .order_by("tambon_id", "person__first_name")
    )
    months: dict[int, list] = defaultdict(list)
    for contract_id, year, month, passed in WorkAcceptance.objects.filter(
        contract__in=[c.pk for c in contracts]
    ).values_list("contract_id", "year", "month", "evaluation_passed"):
        months[contract_id].append((year, month, passed))
    return [(c, longest_passed_run(months[c.pk])) for c in contracts]


def is_certificate_eligible(contract: Contract) -> tuple[bool, int]:
    rows = list(contract.acceptances.values_list("year", "month", "evaluation_passed"))
    run = longest_passed_run(rows)
    return run >= CERTIFICATE_MONTHS, run


def export_rows(*, tambons: QuerySet[Tambon], mask: bool) -> Iterator[dict]:
    """The open contracts (hired and reserve) of these tambons, in the import template's columns."""
    from .sheet import mask_national_id

    qs = (
        Contract.objects.filter(tambon__in=tambons, status__in=[ContractStatus.ACTIVE, ContractStatus.RESERVE])
        .select_related("person", "hiring_type", "tambon__subdistrict")
        .order_by("tambon_id", "status", "hiring_type__position", "reserve_rank", "id")
    )
    for c in qs.iterator(chunk_size=5000):
        yield {
            "national_id": mask_national_id(c.person.national_id) if mask else c.person.national_id,
            "first_name": c.person.first_name,
            "last_name": c.person.last_name,
            "hiring_type": c.hiring_type.name_th,
            "tambon_code": c.tambon.subdistrict_id,
            "tambon_name": c.tambon.short_name,
            "start_date": format_date(c.start_date),
            "end_date": format_date(c.end_date),
            "graduated_on": format_date(c.person.graduated_on),
            "status": STATUS_LABELS[c.status],
            "reserve_rank": c.reserve_rank or "",
            "phone": c.person.phone,
            "monthly_wage": c.hiring_type.monthly_rate,
        }


def hiring_type_names(programme: Programme) -> list[str]:
    return list(HiringType.objects.filter(programme=programme).values_list("name_th", flat=True))


def _cached_progress(key: str) -> dict | None:
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - Redis down: the page shows the row's progress rather than an error
        log.warning("progress of %s unavailable from the cache", key, exc_info=True)
        return None


def import_progress(*, roster_import: RosterImport) -> dict:
    """Where a job stands: the running job's progress from the cache (the write's transaction hides the row's
    updates until it commits), else the row. `label` says the phase in the active language."""
    live = _cached_progress(roster_import.progress_key) if roster_import.is_running else None
    if live is None or live["status"] != roster_import.status:  # not started yet, or left from an earlier run
        live = {"status": roster_import.status, "progress": roster_import.progress, "phase": "", "done": 0, "total": 0}
    if live["phase"] in ImportPhase.values:
        label = ImportPhase(live["phase"]).label % {"done": f"{live['done']:,}", "total": f"{live['total']:,}"}
    else:
        label = roster_import.get_status_display()
    return {"status": live["status"], "progress": live["progress"], "phase": live["phase"], "label": label,
            "running": roster_import.is_running}  # fmt: skip


@dataclass
class ImportPreview:
    page: Page  # of the people, each {row, national_id, name, hiring_type, tambon, outcome, errors}
    unplaced: list[dict]  # errors of no listed row (a job from before previews were kept)


PREVIEW_PAGE = 50


def import_preview(
    *, roster_import: RosterImport, only_errors: bool = False, page: str | int | None = None
) -> ImportPreview:
    """The people of an uploaded sheet, 50 a page, each with its row's errors beside it; only_errors keeps the
    rows that have one."""
    by_row: dict[int, list[dict]] = {}
    for error in roster_import.errors:
        by_row.setdefault(error["row"], []).append(error)
    people = [p for p in roster_import.preview if not only_errors or p["outcome"] == "error"]
    paged = Paginator(people, PREVIEW_PAGE).get_page(page)
    paged.object_list = [{**person, "errors": by_row.get(person["row"], [])} for person in paged.object_list]
    listed = {p["row"] for p in roster_import.preview}
    return ImportPreview(page=paged, unplaced=[e for e in roster_import.errors if e["row"] not in listed][:200])
