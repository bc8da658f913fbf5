"""The hired person's month (seed: การตรวจรับงาน): each person's monthly work report — tasks, days worked,
evidence — entered by the university on their behalf; work acceptance links it and the training passed by then
(acceptance.work_accept); the university's monthly summary to NSI is read from them (selectors.monthly_summary)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pbm.formats import month_label
from tambon.models import Tambon, User

from ..models import Contract, ContractStatus, WorkAcceptance, WorkReport
from .acceptance import days_under_contract
from .rules import TEXT_MAX, check_lengths


@dataclass
class ReportEntry:
    tasks: str
    days_worked: int
    evidence: str = ""


@transaction.atomic
def work_reports_save(*, tambon: Tambon, year: int, month: int, entries: dict[int, ReportEntry],
                      user: User | None, by_person: bool = False) -> int:  # fmt: skip
    """Save the month's work reports of these people (by contract id); how many were written. All or nothing:
    one refused entry (not this tambon's person, not under contract that month, more days than the month's days
    under contract, or work already accepted) leaves every report as it was. `by_person`: written by the person
    through their personal link (personal.py), not by the university."""
    if not tambon.programme.contains_month(year, month):
        raise ValidationError(_("%(month)s is outside the programme.") % {"month": month_label(year, month)})
    contracts = Contract.objects.filter(tambon=tambon, pk__in=list(entries)).exclude(status=ContractStatus.RESERVE)
    contracts = {c.pk: c for c in contracts.select_related("person")}
    accepted = set(WorkAcceptance.objects.filter(contract_id__in=list(contracts), year=year, month=month)
                   .values_list("contract_id", flat=True))  # fmt: skip
    existing = {r.contract_id: r for r in WorkReport.objects.filter(contract_id__in=list(contracts), year=year,
                                                                    month=month)}  # fmt: skip
    problems, written = [], 0
    for contract_id, entry in entries.items():
        contract = contracts.get(contract_id)
        if contract is None:
            problems.append(_("A person of another tambon (or a reserve) cannot be reported here."))
            continue
        check_lengths({"tasks": (entry.tasks, TEXT_MAX), "evidence": (entry.evidence, TEXT_MAX)})
        days, _in_month = days_under_contract(contract, year, month)
        old = existing.get(contract_id)
        same = old and (old.tasks, old.days_worked, old.evidence) == (entry.tasks, entry.days_worked, entry.evidence)
        if same:
            continue
        if contract_id in accepted:
            problems.append(_("%(name)s: the work of %(month)s is accepted already; withdraw the acceptance to "
                              "change the report.") % {"name": contract.person, "month": month_label(year, month)})  # fmt: skip
        elif days == 0:
            problems.append(_("%(name)s was not under contract in %(month)s.")
                            % {"name": contract.person, "month": month_label(year, month)})  # fmt: skip
        elif not entry.tasks.strip():
            problems.append(_("%(name)s: write the tasks done.") % {"name": contract.person})
        elif entry.days_worked > days:
            problems.append(_("%(name)s: %(n)s days worked, but only %(days)s days of %(month)s are under contract.")
                            % {"name": contract.person, "n": entry.days_worked, "days": days,
                               "month": month_label(year, month)})  # fmt: skip
        else:
            WorkReport.objects.update_or_create(contract=contract, year=year, month=month, defaults={
                "tasks": entry.tasks.strip(), "days_worked": entry.days_worked, "evidence": entry.evidence.strip(),
                "entered_by": user, "by_person": by_person})  # fmt: skip
            written += 1
    if problems:
        raise ValidationError(problems)
    return written
