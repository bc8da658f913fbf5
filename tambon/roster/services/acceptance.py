"""ตรวจรับงาน: accepting a month's work fixes the wage due: rate × the share of the month under contract."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pbm import locks
from pbm.formats import month_label
from pbm.history import FigureEdit, figures_record_many
from tambon.models import User

from ..models import Contract, ContractStatus, WorkAcceptance


def figures_changed(tambon_ids: list[int]) -> None:
    """The dashboards' summary of these tambons is refreshed after the write commits."""
    from reporting.dashboard.services import dashboard_refresh_on_commit  # reporting depends on the roster

    dashboard_refresh_on_commit(tambon_ids=tambon_ids)


CENT = Decimal("0.01")


def days_under_contract(contract: Contract, year: int, month: int) -> tuple[int, int]:
    """(days of the month the contract covers, days in the month)."""
    days_in_month = calendar.monthrange(year, month)[1]
    first, last = dt.date(year, month, 1), dt.date(year, month, days_in_month)
    ends = [d for d in (contract.end_date, contract.left_on) if d]
    start, end = max(first, contract.start_date), min([last, *ends])
    return max((end - start).days + 1, 0), days_in_month


def wage_for(contract: Contract, year: int, month: int) -> tuple[int, int, Decimal]:
    days, days_in_month = days_under_contract(contract, year, month)
    rate = contract.hiring_type.monthly_rate
    amount = rate if days == days_in_month else (rate * days / days_in_month).quantize(CENT, ROUND_HALF_UP)
    return days, days_in_month, amount


@transaction.atomic
def work_accept(
    *, contracts: list[Contract], year: int, month: int, user: User | None, evaluation_passed: bool = True
) -> list[WorkAcceptance]:
    """Accept the month's work of these people; already accepted months are left as they are."""
    programme = contracts[0].tambon.programme if contracts else None
    if programme and not programme.contains_month(year, month):
        raise ValidationError(_("%(month)s is outside the programme.") % {"month": month_label(year, month)})
    done = set(
        WorkAcceptance.objects.filter(contract__in=contracts, year=year, month=month).values_list(
            "contract_id", flat=True
        )
    )
    reports, trained = _reports_and_training([c.pk for c in contracts if c.pk not in done], year, month)
    rows = []
    for contract in contracts:
        if contract.pk in done:
            continue
        if contract.status == ContractStatus.RESERVE:
            raise ValidationError(_("%(name)s is on the reserve list, not hired.") % {"name": contract.person})
        days, days_in_month, amount = wage_for(contract, year, month)
        if days == 0:
            raise ValidationError(_("%(name)s was not under contract in %(month)s.")
                                  % {"name": contract.person, "month": month_label(year, month)})  # fmt: skip
        rows.append(WorkAcceptance(
            contract=contract, year=year, month=month, days_worked=days, days_in_month=days_in_month,
            amount=amount, evaluation_passed=evaluation_passed, accepted_by=user,
            work_report_id=reports.get(contract.pk), trainings_passed=trained.get(contract.pk, 0),
        ))  # fmt: skip
    locks.require_open(tambon_id={row.contract.tambon_id for row in rows}, months=[(year, month)],  # where wages change
                       what=_("Work of %(month)s was not accepted") % {"month": month_label(year, month)})  # fmt: skip
    figures_changed([c.tambon_id for c in contracts])
    created = WorkAcceptance.objects.bulk_create(rows, batch_size=2000)
    _record(created, year, month, user, "work_accepted")
    return created


def _reports_and_training(contract_ids: list[int], year: int, month: int) -> tuple[dict, dict]:
    """What acceptance reads (seed: นำผลการเข้ารับการอบรมมาประกอบการตรวจรับงาน): each person's work report of the
    month, and how many trainings they passed by the month's end. Two queries."""
    from django.db.models import Count

    from ..models import Training, WorkReport

    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    reports = dict(WorkReport.objects.filter(contract_id__in=contract_ids, year=year, month=month)
                   .values_list("contract_id", "pk"))  # fmt: skip
    trained = dict(Training.objects.filter(contract_id__in=contract_ids, passed=True, completed_on__lte=end)
                   .values_list("contract_id").annotate(n=Count("id")))  # fmt: skip
    return reports, trained


def _record(acceptances: list[WorkAcceptance], year: int, month: int, user: User | None, field: str) -> None:
    """One history line per tambon: who, how many people, the wages due they add (or take away)."""
    by_tambon: dict[int, list[WorkAcceptance]] = {}
    for row in acceptances:
        by_tambon.setdefault(row.contract.tambon_id, []).append(row)
    people = {  # the names shown, read in one query (the contracts may come without their person)
        c.pk: str(c.person)
        for c in Contract.objects.filter(pk__in=[r.contract_id for rows in by_tambon.values() for r in rows[:3]])
        .select_related("person")
    }  # fmt: skip
    edits = []
    for tambon_id, rows in by_tambon.items():
        names = ", ".join(people[r.contract_id] for r in rows[:3]) + (" …" if len(rows) > 3 else "")
        total = sum((r.amount for r in rows), Decimal(0))
        old, new = ("", total) if field == "work_accepted" else (total, "")
        subject = _("%(n)s people (%(names)s)") % {"n": len(rows), "names": names}
        edits.append((tambon_id, FigureEdit(subject, field, old, new, (year, month))))
    figures_record_many(user=user, edits=edits)


@transaction.atomic
def work_unaccept(*, contract: Contract, year: int, month: int, user: User | None = None) -> None:
    """Withdraw an acceptance made by mistake (before wages are paid); refused in a locked month."""
    locks.require_open(tambon_id=contract.tambon_id, months=[(year, month)],
                       what=_("The work acceptance of %(month)s was not withdrawn") % {"month": month_label(year, month)})  # fmt: skip
    withdrawn = list(
        WorkAcceptance.objects.filter(contract=contract, year=year, month=month).select_related("contract")
    )
    WorkAcceptance.objects.filter(pk__in=[w.pk for w in withdrawn]).delete()
    _record(withdrawn, year, month, user, "work_withdrawn")
    figures_changed([contract.tambon_id])
