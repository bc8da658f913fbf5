"""The hiring rules, one home for every door that makes or changes a contract: the import (set-wise, for a whole
sheet), a replacement from the reserve list, and the admin's contract form. The numbers are the programme's data
(`HiringType.quota_per_tambon`, `HiringType.monthly_rate`); none is written here.

Quota: at no day may a tambon have more people hired (status "hired") of one hiring type than the type's
`quota_per_tambon`. A contract holds its place from its start date to its last day: the day before the
person's end of contract (`end_date`, the last day under contract) is still held, as is a resigned or terminated
person's last working day (`left_on`); the place is free from the next day. Reserves hold no place. A sheet or a
form that would put one more person on any day over the quota is refused, naming the type, the quota and the day;
people already over the quota in the database (recorded before this rule) do not block unrelated rows.

Text: every text a person types has a maximum length (the model field's, or TEXT_MAX for free text), checked
before anything reaches the database, so SQLite and PostgreSQL answer the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from tambon.models import HiringType

from ..models import Contract, ContractStatus, Person
from ..sheet import format_date

TEXT_MAX = 2000  # free text without a model limit (reasons): long enough for a paragraph, bounded
ENDED = (ContractStatus.RESIGNED, ContractStatus.TERMINATED)


def max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length or TEXT_MAX


PERSON_LIMITS = {f: max_length(Person, f) for f in ("first_name", "last_name", "phone")}


def text_too_long(text: str, limit: int) -> str | None:
    """The message for a text over its limit, or None."""
    if len(text) <= limit:
        return None
    return _("the text is %(n)s characters long; at most %(limit)s are allowed. Shorten it.") % {
        "n": f"{len(text):,}",
        "limit": f"{limit:,}",
    }


def check_lengths(values: dict[str, tuple[str, int]]) -> None:
    """{field: (text, limit)}: raise a ValidationError per field over its limit."""
    errors = {f: message for f, (text, limit) in values.items() if (message := text_too_long(text or "", limit))}
    if errors:
        raise ValidationError(errors)


# --- wage ------------------------------------------------------------------------------------------------------


def wage_mismatch(value: Any, hiring_type: HiringType) -> str | None:
    """A wage written in a sheet must be the rate the programme sets for the type; the message, or None."""
    try:
        wage = Decimal(str(value).replace(",", "").replace("บาท", "").strip())  # "9,000 บาท" is 9000
    except InvalidOperation:
        return _("“%(value)s” is not an amount; write the monthly wage in baht, for example %(rate)s.") % {
            "value": value,
            "rate": f"{hiring_type.monthly_rate:,.0f}",
        }
    if wage == hiring_type.monthly_rate:
        return None
    return _(
        "the wage %(wage)s baht does not match the programme's rate for %(type)s (%(rate)s baht a month). "
        "Correct the wage or the hiring type; the rate is set by the programme, not by the sheet."
    ) % {"wage": f"{wage:,.0f}", "type": hiring_type.name_th, "rate": f"{hiring_type.monthly_rate:,.0f}"}


# --- quota -----------------------------------------------------------------------------------------------------


@dataclass
class Place:
    """A contract's hold on one of its tambon's places of its type, from `start` to `last_day` (None: open)."""

    key: Hashable  # a sheet row number or a contract id
    tambon_id: int
    hiring_type_id: int
    start: dt.date
    last_day: dt.date | None
    proposed: bool  # being made or changed now: may be refused
    replaces: int | None = None  # the recorded contract this proposal changes (left out of the recorded places)


@dataclass
class Overflow:
    key: Hashable
    hiring_type: HiringType
    day: dt.date
    count: int

    def message(self) -> str:
        return _(
            "the programme allows %(quota)s %(type)s per tambon, and this would make %(count)s hired on %(day)s. "
            "Record the person as a reserve (สำรอง), or end a contract first; a resigned person's place is free "
            "from the day after their last working day."
        ) % {
            "quota": self.hiring_type.quota_per_tambon, "type": self.hiring_type.name_th, "count": self.count,
            "day": format_date(self.day),
        }  # fmt: skip


def place_of(
    contract: dict[str, Any] | Contract, key: Hashable, *, proposed: bool, replaces: int | None = None
) -> Place | None:
    """The place a contract holds (None: a reserve, or ended without a last day)."""
    get = contract.get if isinstance(contract, dict) else lambda name: getattr(contract, name)
    status = get("status")
    if status == ContractStatus.ACTIVE:
        last_day = get("end_date")
    elif status in ENDED and get("left_on"):
        last_day = get("left_on")
    else:
        return None
    return Place(key, get("tambon_id"), get("hiring_type_id"), get("start_date"), last_day, proposed, replaces)


def quota_overflows(proposed: list[Place], *, changed: Iterable[int] = ()) -> list[Overflow]:
    """The proposed places that would put their tambon over its quota on some day, against what is recorded.

    Recorded contracts that a proposed place changes (its `replaces`), and those in `changed` (a change that
    frees a place, such as hired → reserve), are left out. One query for the
    recorded places of the tambons concerned; then, per tambon and type, a sweep over start dates."""
    proposed = [p for p in proposed if p is not None]
    if not proposed:
        return []
    replaced = {p.replaces for p in proposed if p.replaces is not None} | set(changed)
    types = {t.pk: t for t in HiringType.objects.filter(pk__in={p.hiring_type_id for p in proposed})}
    groups: dict[tuple[int, int], list[Place]] = {}
    for p in proposed:
        groups.setdefault((p.tambon_id, p.hiring_type_id), []).append(p)
    recorded = Contract.objects.filter(
        Q(status=ContractStatus.ACTIVE) | Q(status__in=ENDED, left_on__isnull=False),
        tambon_id__in={t for t, _h in groups}, hiring_type_id__in={h for _t, h in groups},
    ).values("id", "tambon_id", "hiring_type_id", "status", "start_date", "end_date", "left_on")  # fmt: skip
    for row in recorded.iterator(chunk_size=5000):
        key = (row["tambon_id"], row["hiring_type_id"])
        if key in groups and row["id"] not in replaced:
            groups[key].append(place_of(row, ("recorded", row["id"]), proposed=False))
    overflows = []
    for (_tambon, type_id), places in groups.items():
        overflows.extend(_sweep(places, types[type_id]))
    return overflows


def _sweep(places: list[Place], hiring_type: HiringType) -> Iterable[Overflow]:
    quota = hiring_type.quota_per_tambon
    # Recorded places first on the same day, so a refusal falls on a proposed one.
    holding: list[Place] = []
    for place in sorted(places, key=lambda p: (p.start, p.proposed)):
        holding = [h for h in holding if h.last_day is None or h.last_day >= place.start]
        holding.append(place)
        if len(holding) <= quota:
            continue
        blamed = place if place.proposed else next((h for h in reversed(holding) if h.proposed), None)
        if blamed is None:
            continue  # over the quota before this change: not for this row to answer
        yield Overflow(blamed.key, hiring_type, place.start, len(holding))
        holding.remove(blamed)


def contract_rules_check(*, contract: Contract) -> None:
    """The hiring rules for one contract about to be saved (replacement, admin): raise ValidationError."""
    errors: dict[str, list[str]] = {}
    if contract.tambon_id and contract.hiring_type_id:
        if contract.hiring_type.programme_id != contract.tambon.programme_id:
            errors.setdefault("hiring_type", []).append(
                _("This hiring type belongs to another programme than the tambon's; choose one of %(names)s.")
                % {
                    "names": " / ".join(
                        HiringType.objects.filter(programme_id=contract.tambon.programme_id).values_list(
                            "name_th", flat=True
                        )
                    )
                }  # fmt: skip
            )
        elif place := place_of(contract, "this contract", proposed=True, replaces=contract.pk):
            for overflow in quota_overflows([place]):
                errors.setdefault("hiring_type", []).append(_sentence(overflow.message()))
    for name in ("user_agency", "leave_reason"):
        if message := text_too_long(getattr(contract, name) or "", max_length(Contract, name)):
            errors.setdefault(name, []).append(_sentence(message))
    if errors:
        raise ValidationError(errors)


def _sentence(message: str) -> str:
    """Row messages continue "Row 4, column …:"; on a form the same words start a sentence."""
    return message[:1].upper() + message[1:]
