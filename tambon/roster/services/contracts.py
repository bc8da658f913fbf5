"""What happens to hired people: resignation, termination, replacement from the reserve list, the
Digitizing Government Data track, and training."""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pbm import locks
from pbm.formats import date_be, month_label
from pbm.history import FigureEdit, figures_record
from pbm.periods import add_months
from tambon.models import User

from ..models import Contract, ContractStatus, SkillArea, Track, Training, WorkAcceptance
from .acceptance import figures_changed
from .eligibility import eligibility_record, require_eligible
from .rules import TEXT_MAX, check_lengths, contract_rules_check, max_length


def _one_month_after(day: dt.date) -> dt.date:
    year, month = add_months(day.year, day.month, 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contract_version(contract: Contract) -> str:
    """A contract's version for a form: when it was last changed."""
    return contract.updated_at.isoformat()


def contract_version_check(contract: Contract, seen: str | None) -> None:
    """Refuse a change based on a page rendered before the contract last changed (another tab, a colleague)."""
    current = Contract.objects.filter(pk=contract.pk).values_list("updated_at", flat=True).first()
    if current is None or seen != current.isoformat():
        raise ValidationError(
            _(
                "Someone else changed this person's contract while you were working on it. Reload the page and try again."
            )
        )


def _require_active(contract: Contract) -> None:
    if contract.status != ContractStatus.ACTIVE:
        raise ValidationError(_("Only a hired person's contract can end; this one is “%(status)s”.")
                              % {"status": contract.get_status_display()})  # fmt: skip


def _check_last_day(contract: Contract, last_day: dt.date) -> None:
    """A contract that ends changes the wages of the month of its last day: refused if that month is locked, and
    while work of later months is still accepted (withdraw it first, where its month is open)."""
    locks.require_open(tambon_id=contract.tambon_id, months=[(last_day.year, last_day.month)],
                       what=_("%(name)s's last working day %(date)s was not recorded")
                       % {"name": contract.person, "date": date_be(last_day)})  # fmt: skip
    later = sorted(
        (y, m) for y, m in WorkAcceptance.objects.filter(contract=contract).values_list("year", "month")
        if (y, m) > (last_day.year, last_day.month)
    )  # fmt: skip
    if later:
        raise ValidationError({"last_day": _(
            "%(name)s's work is already accepted for %(months)s, after the last working day. Withdraw those "
            "acceptances first, or give a later last day."
        ) % {"name": contract.person, "months": ", ".join(month_label(*m) for m in later)}})  # fmt: skip


def _record_end(contract: Contract, user: User | None) -> None:
    day = contract.left_on
    figures_record(tambon_id=contract.tambon_id, user=user,
                   edits=[FigureEdit(str(contract.person), "left_on", "", day, (day.year, day.month))])  # fmt: skip
    _copy_change(contract, contract.status)


def _copy_change(contract: Contract, change: str) -> None:
    """The seed's rule: a change of a hired person's data is copied to NSI and the network."""
    from django.urls import reverse
    from django.utils import timezone

    from pbm.notifications import roster_change_notify

    # the link: the tambon's team, which NSI and the RSI of the tambon's area both see
    roster_change_notify(contract=contract, change=change, on_date=timezone.localdate(),
                         url=reverse("roster_team", args=[contract.tambon_id]))  # fmt: skip


@transaction.atomic
def contract_resign(
    *, contract: Contract, notice_date: dt.date, last_day: dt.date, reason: str = "", user: User | None = None
) -> Contract:
    """Resignation; notice of less than 1 month (DOMAIN.md §5) is recorded and flagged, not refused."""
    _require_active(contract)
    check_lengths({"reason": (reason, TEXT_MAX)})
    if last_day < contract.start_date:
        raise ValidationError({"last_day": _("The last working day is before the contract started.")})
    if last_day < notice_date:
        raise ValidationError({"last_day": _("The last working day is before the notice was given.")})
    _check_last_day(contract, last_day)
    contract.status = ContractStatus.RESIGNED
    contract.notice_date, contract.left_on, contract.leave_reason = notice_date, last_day, reason
    contract.short_notice = last_day < _one_month_after(notice_date)
    contract.save(update_fields=["status", "notice_date", "left_on", "leave_reason", "short_notice", "updated_at"])
    _record_end(contract, user)
    figures_changed([contract.tambon_id])
    return contract


@transaction.atomic
def contract_terminate(*, contract: Contract, last_day: dt.date, reason: str, user: User | None = None) -> Contract:
    _require_active(contract)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the termination.")})
    check_lengths({"reason": (reason, TEXT_MAX)})
    if last_day < contract.start_date:
        raise ValidationError({"last_day": _("The last working day is before the contract started.")})
    _check_last_day(contract, last_day)
    contract.status, contract.left_on, contract.leave_reason = ContractStatus.TERMINATED, last_day, reason
    contract.save(update_fields=["status", "left_on", "leave_reason", "updated_at"])
    _record_end(contract, user)
    figures_changed([contract.tambon_id])
    return contract


@transaction.atomic
def contract_replace(*, ended: Contract, reserve: Contract, start_date: dt.date, user: User | None = None,
                     eligibility: dict | None = None, passed_over_reason: str = "") -> Contract:  # fmt: skip
    """Hire `reserve` (from the tambon's reserve list) in the place of `ended`, keeping the link. The list is
    offered in rank order: passing over a reserve ranked higher for the same type needs `passed_over_reason`
    (kept in the tambon's history). `eligibility` (the answers eligibility_record takes) is recorded first; a
    reserve whose recorded eligibility has problems is refused."""
    if ended.status not in (ContractStatus.RESIGNED, ContractStatus.TERMINATED):
        raise ValidationError(_("Only a person who resigned or was terminated can be replaced."))
    if Contract.objects.filter(replaces=ended).exists():
        raise ValidationError(_("This person has already been replaced."))
    if reserve.status != ContractStatus.RESERVE or reserve.tambon_id != ended.tambon_id:
        raise ValidationError({"reserve": _("Choose a person from this tambon's reserve list.")})
    if reserve.hiring_type_id != ended.hiring_type_id:
        raise ValidationError({"reserve": _("The place is for a %(need)s; this reserve is a %(has)s.")
                               % {"need": ended.hiring_type.name, "has": reserve.hiring_type.name}})  # fmt: skip
    if ended.left_on and start_date <= ended.left_on:
        raise ValidationError(
            {"start_date": _("The replacement must start after the last working day of the person replaced.")}
        )
    passed_over = _ranked_before(reserve)
    check_lengths({"passed_over_reason": (passed_over_reason, TEXT_MAX)})
    if passed_over and not passed_over_reason.strip():
        raise ValidationError({"passed_over_reason": _(
            "The reserve list is offered in rank order: %(names)s ranks before %(name)s. Hire them first, or give "
            "the reason they are passed over (declined, not eligible, not reachable)."
        ) % {"names": ", ".join(str(c.person) for c in passed_over), "name": reserve.person}})  # fmt: skip
    locks.require_open(tambon_id=ended.tambon_id, months=[(start_date.year, start_date.month)],
                       what=_("%(name)s was not hired from %(date)s") % {"name": reserve.person,
                                                                           "date": date_be(start_date)})  # fmt: skip
    reserve.start_date = start_date  # the rules (graduation years) count from the day the replacement starts
    if eligibility is not None:
        eligibility_record(contract=reserve, user=user, **eligibility)
    require_eligible(reserve, missing_ok=eligibility is None)
    reserve.status, reserve.replaces, reserve.start_date, reserve.reserve_rank = (
        ContractStatus.ACTIVE,
        ended,
        start_date,
        None,
    )
    contract_rules_check(contract=reserve)  # the quota, counted on the day the replacement starts
    try:
        with transaction.atomic():
            reserve.save(update_fields=["status", "replaces", "start_date", "reserve_rank", "updated_at"])
    except IntegrityError:
        raise ValidationError(
            {"reserve": _("This reserve is already hired in another tambon; choose the next one.")}
        ) from None
    edits = [FigureEdit(str(reserve.person), "replacement", "", start_date, (start_date.year, start_date.month))]
    if passed_over:
        edits.append(FigureEdit(", ".join(str(c.person) for c in passed_over), "passed_over", "",
                                passed_over_reason.strip(), (start_date.year, start_date.month)))  # fmt: skip
    figures_record(tambon_id=reserve.tambon_id, user=user, edits=edits)
    _copy_change(reserve, "replaced")
    figures_changed([reserve.tambon_id])
    return reserve


def _ranked_before(reserve: Contract) -> list[Contract]:
    """The tambon's reserves of the same type ranked before this one (unranked ones come last)."""
    if reserve.reserve_rank is None:
        before = Contract.objects.filter(reserve_rank__isnull=False)
    else:
        before = Contract.objects.filter(reserve_rank__lt=reserve.reserve_rank)
    return list(before.filter(tambon_id=reserve.tambon_id, hiring_type_id=reserve.hiring_type_id,
                              status=ContractStatus.RESERVE).exclude(pk=reserve.pk)
                .select_related("person").order_by("reserve_rank"))  # fmt: skip


@transaction.atomic
def contract_move_to_digitizing(*, contract: Contract, user_agency: str, nda_required: bool = False) -> Contract:
    """Place a hired person in the Digitizing Government Data track with the agency that sets their job."""
    _require_active(contract)
    if not user_agency.strip():
        raise ValidationError({"user_agency": _("Name the user agency (หน่วยงานผู้ใช้) the person is placed with.")})
    check_lengths({"user_agency": (user_agency.strip(), max_length(Contract, "user_agency"))})
    contract.track, contract.user_agency, contract.nda_required = Track.DIGITIZING, user_agency.strip(), nda_required
    contract.save(update_fields=["track", "user_agency", "nda_required", "updated_at"])
    return contract


@transaction.atomic
def training_record(
    *, contract: Contract, skill_area: SkillArea, completed_on: dt.date, passed: bool, hours: int = 0
) -> Training:
    if completed_on < contract.start_date:
        raise ValidationError({"completed_on": _("The training was completed before the contract started.")})
    training, _created = Training.objects.update_or_create(
        contract=contract,
        skill_area=skill_area,
        defaults={"completed_on": completed_on, "passed": passed, "hours": hours},
    )
    return training
