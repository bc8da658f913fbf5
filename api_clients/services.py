"""Making, rotating and revoking API client keys. Who may: a university's managers for the university (filing
or reading clients), a network's RSI for the network (reading or reviewing clients); never more than they may do
themselves, since a key acts for the person who made it."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.throttling import SimpleRateThrottle

from tambon import access
from tambon.models import Network, Tambon, University, User

from .models import ApiClient, ClientScope

RATE = re.compile(r"^[1-9][0-9]{0,5}/(second|minute|hour|day)$")


def managed_units(user: User) -> tuple[QuerySet[University], QuerySet[Network]]:
    """The universities a person manages and the networks they review: the units they may make clients for."""
    scope = access.scope_of(user)
    return (
        University.objects.filter(pk__in=scope.manager_university_ids).order_by("code"),
        Network.objects.filter(pk__in=scope.network_ids).order_by("number"),
    )


def makes_clients(user: User) -> bool:
    """Whether the person may make API clients at all (`managed_units` holds a unit): the API clients page opens
    for them, and the pages that link to it show the link only then."""
    scope = access.scope_of(user)
    return bool(scope.manager_university_ids or scope.network_ids)


def may_manage(user: User, client: ApiClient) -> bool:
    scope = access.scope_of(user)
    return client.university_id in scope.manager_university_ids or client.network_id in scope.network_ids


def clients_visible(user: User) -> QuerySet[ApiClient]:
    scope = access.scope_of(user)
    return (
        ApiClient.objects.filter(Q(university__in=scope.manager_university_ids) | Q(network__in=scope.network_ids))
        .select_related("created_by", "university", "network")
        .prefetch_related("tambons__subdistrict")
    )


def _per_second(rate: str) -> float:
    num, duration = SimpleRateThrottle.parse_rate(None, rate)
    return num / duration


def _new_key() -> str:
    return ApiClient.PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def api_client_create(
    *, user: User, name: str, university: University | None = None, network: Network | None = None,
    scope: str = ClientScope.READ, tambons: list[Tambon] | tuple = (), rate: str = "",
) -> tuple[ApiClient, str]:  # fmt: skip
    """A new client and its key (shown this once; only its digest is kept)."""
    universities, networks = managed_units(user)
    if (university is None) == (network is None):
        raise ValidationError(_("Choose the one university or network the client belongs to."), code="unit")
    if university is not None and not universities.filter(pk=university.pk).exists():
        raise PermissionDenied(_("Only the university's managers can make API clients for it."))
    if network is not None and not networks.filter(pk=network.pk).exists():
        raise PermissionDenied(_("Only the network's reviewers can make API clients for it."))
    errors = []
    if not (name or "").strip():
        errors.append(ValidationError(_("Give the client a name (the system that uses it)."), code="name"))
    if scope not in ClientScope.values:
        errors.append(ValidationError(_("Choose what the client may do."), code="scope"))
    if scope == ClientScope.FILE and university is None:
        errors.append(ValidationError(_("Only a university's client may file reports."), code="scope"))
    if scope == ClientScope.REVIEW and network is None:
        errors.append(ValidationError(_("Only a network's client may review reports."), code="scope"))
    if scope == ClientScope.FILE and not tambons:
        errors.append(ValidationError(_("Choose the tambons the client may file for."), code="tambons"))
    if university is not None and any(t.university_id != university.pk for t in tambons):
        errors.append(ValidationError(_("A client may file only for its university's own tambons."), code="tambons"))
    rate = (rate or "").strip()
    default = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api_client"]
    if rate and not RATE.match(rate):
        errors.append(ValidationError(_("Write the rate limit as a number of requests per second, minute, hour or "
                                        "day, e.g. 60/minute."), code="rate"))  # fmt: skip
    elif rate and _per_second(rate) > _per_second(default):
        errors.append(ValidationError(_("The rate limit may be at most the programme's %(default)s.")
                                      % {"default": default}, code="rate"))  # fmt: skip
    if errors:
        raise ValidationError(errors)
    key = _new_key()
    client = ApiClient.objects.create(
        name=name.strip()[:100], created_by=user, university=university, network=network, scope=scope, rate=rate,
        key_prefix=key[:12], key_digest=ApiClient.digest(key),
    )  # fmt: skip
    client.tambons.set(tambons if scope == ClientScope.FILE else [])
    return client, key


def _check(user: User, client: ApiClient) -> None:
    if not may_manage(user, client):
        raise PermissionDenied(_("Only the managers of the client's university or network can change it."))
    if not client.is_active:
        raise ValidationError(_("This client was revoked; make a new one."), code="revoked")


@transaction.atomic
def api_client_rotate(*, client: ApiClient, user: User) -> str:
    """A new key for the client; the old one stops working at once."""
    _check(user, client)
    key = _new_key()
    ApiClient.objects.filter(pk=client.pk).update(key_prefix=key[:12], key_digest=ApiClient.digest(key),
                                                  rotated_at=timezone.now())  # fmt: skip
    return key


@transaction.atomic
def api_client_revoke(*, client: ApiClient, user: User) -> None:
    _check(user, client)
    ApiClient.objects.filter(pk=client.pk).update(revoked_at=timezone.now())


IDEMPOTENCY_DAYS = 7  # how long a write's answer is kept for retries with the same Idempotency-Key


def idempotent_writes_sweep(*, days: int = IDEMPOTENCY_DAYS) -> int:
    """Forget the answers of writes older than `days` (a retry after that is a new write). Returns how many."""
    from .models import IdempotentWrite

    deleted, _per_model = IdempotentWrite.objects.filter(
        created_at__lt=timezone.now() - dt.timedelta(days=days)
    ).delete()
    return deleted
