"""The wage chain (seed: การจ่ายค่าจ้าง): NSI transfers wage money to each university, the university pays each
person monthly, and NSI pays the management budgets to networks and universities in instalments. The
reconciliation of due, transferred and paid is read by selectors.wage_reconciliation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pbm.formats import month_label
from tambon.models import Network, Programme, University, User

from ..models import Contract, ManagementInstalment, WagePayment, WageTransfer, WorkAcceptance
from .eligibility import definition_of


def _check_month(programme: Programme, year: int, month: int) -> None:
    if not programme.contains_month(year, month):
        raise ValidationError(_("%(month)s is outside the programme.") % {"month": month_label(year, month)})


def _check_reference(reference: str) -> str:
    reference = reference.strip()
    if not reference:
        raise ValidationError({"reference": _("Give the transfer's reference (the bank or GFMS document number).")})
    if len(reference) > 60:
        raise ValidationError({"reference": _("The reference is at most 60 characters.")})
    return reference


@transaction.atomic
def wage_transfer_record(*, university: University, programme: Programme, year: int, month: int, amount: Decimal,
                         transferred_on: dt.date, reference: str, user: User | None) -> WageTransfer:  # fmt: skip
    """NSI's transfer of one month's wage money to a university; a reference is recorded once per university."""
    _check_month(programme, year, month)
    reference = _check_reference(reference)
    if amount <= 0:
        raise ValidationError({"amount": _("A transfer is more than 0 baht.")})
    if WageTransfer.objects.filter(university=university, reference=reference).exists():
        raise ValidationError({"reference": _("A transfer with this reference is already recorded for %(u)s.")
                               % {"u": university.name}})  # fmt: skip
    return WageTransfer.objects.create(university=university, year=year, month=month, amount=amount,
                                       transferred_on=transferred_on, reference=reference, created_by=user)  # fmt: skip


@transaction.atomic
def wage_payments_record(*, contracts: list[Contract], year: int, month: int, paid_on: dt.date, reference: str = "",
                         amounts: dict[int, Decimal] | None = None, user: User | None) -> list[WagePayment]:  # fmt: skip
    """The university paid these people for the month: by default the wage due their work acceptance fixed;
    `amounts` (by contract id) records what was actually paid where it differs. A payment already recorded for
    the month is replaced (a correction), never doubled. Refused for a person whose month's work is not
    accepted: the university pays accepted work only (seed: ตรวจรับงาน then จ่ายค่าจ้าง)."""
    amounts = amounts or {}
    if len(reference) > 60:
        raise ValidationError({"reference": _("The reference is at most 60 characters.")})
    due = dict(WorkAcceptance.objects.filter(contract__in=contracts, year=year, month=month)
               .values_list("contract_id", "amount"))  # fmt: skip
    missing = [c for c in contracts if c.pk not in due]
    if missing:
        raise ValidationError(_("The work of %(names)s for %(month)s is not accepted yet: accept it before paying.")
                              % {"names": ", ".join(str(c.person) for c in missing[:5]),
                                 "month": month_label(year, month)})  # fmt: skip
    if paid_on < dt.date(year, month, 1):
        raise ValidationError({"paid_on": _("A month's wage cannot be paid before the month begins.")})
    WagePayment.objects.filter(contract__in=contracts, year=year, month=month).delete()
    rows = [WagePayment(contract=c, year=year, month=month, amount=amounts.get(c.pk, due[c.pk]), paid_on=paid_on,
                        reference=reference.strip(), created_by=user) for c in contracts]  # fmt: skip
    return WagePayment.objects.bulk_create(rows, batch_size=2000)


@transaction.atomic
def instalment_record(*, programme: Programme, recipient: Network | University, number: int, amount: Decimal,
                      paid_on: dt.date, reference: str, user: User | None) -> ManagementInstalment:  # fmt: skip
    """One instalment of a network's or a university's management budget; each number is paid once."""
    reference = _check_reference(reference)
    if amount <= 0:
        raise ValidationError({"amount": _("An instalment is more than 0 baht.")})
    numbers = [i["number"] for i in definition_of(programme).get("instalments", [])]
    if numbers and number not in numbers:
        raise ValidationError({"number": _("The programme pays instalments %(numbers)s.")
                               % {"numbers": ", ".join(map(str, numbers))}})  # fmt: skip
    field = "network" if isinstance(recipient, Network) else "university"
    if ManagementInstalment.objects.filter(programme=programme, number=number, **{field: recipient}).exists():
        raise ValidationError({"number": _("Instalment %(n)s of %(who)s is already recorded.")
                               % {"n": number, "who": recipient}})  # fmt: skip
    return ManagementInstalment.objects.create(programme=programme, number=number, amount=amount, paid_on=paid_on,
                                               reference=reference, created_by=user, **{field: recipient})  # fmt: skip
