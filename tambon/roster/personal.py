"""The hired person's limited account (issue #15 item 3): a personal link through which the person enters their
own monthly work report, without a user account or a password.

The link carries a signed token (Django's signing with SECRET_KEY): the contract and the moment it was last
changed. It expires after ROSTER_PERSONAL_LINK_DAYS (default 45: the university hands out a fresh one each
month), and any change to the contract — a resignation, a termination, a move to the Digitizing track — voids
every link given before. Through it the person may write only their own report, only for a month under
contract whose work is not accepted yet, under the same rules as the university's page (services/month.py).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import Contract, ContractStatus, WorkAcceptance
from .services.acceptance import days_under_contract

SALT = "tambon.roster.personal-work-report"


def link_days() -> int:
    return int(getattr(settings, "ROSTER_PERSONAL_LINK_DAYS", 45))


def personal_token(contract: Contract) -> str:
    return signing.dumps({"c": contract.pk, "v": contract.updated_at.isoformat()}, salt=SALT, compress=True)


def contract_for_token(token: str) -> Contract | None:
    """The hired person's contract the token was given for; None when it is forged, expired or voided."""
    try:
        data = signing.loads(token, salt=SALT, max_age=dt.timedelta(days=link_days()))
    except signing.BadSignature:
        return None
    contract = (Contract.objects.filter(pk=data.get("c"), status=ContractStatus.ACTIVE)
                .select_related("person", "hiring_type", "tambon__programme", "tambon__subdistrict").first())  # fmt: skip
    if contract is None or contract.updated_at.isoformat() != data.get("v"):
        return None
    return contract


def open_months(contract: Contract) -> list[tuple[int, int]]:
    """The months the person may still report: under contract, not after this month, work not accepted yet."""
    today = timezone.localdate()
    accepted = set(WorkAcceptance.objects.filter(contract=contract).values_list("year", "month"))
    return [(y, m) for y, m in contract.tambon.programme.months()
            if (y, m) <= (today.year, today.month) and (y, m) not in accepted
            and days_under_contract(contract, y, m)[0] > 0]  # fmt: skip
