"""Reads of the hierarchy, scoped and aggregated in the database."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from . import access
from .models import Network, Programme, Tambon, University, User


def network_list(*, user: User, programme: Programme) -> QuerySet[Network]:
    """Networks the user may open, each with its tambon and university counts for the programme."""
    in_programme = Q(tambons__programme=programme)
    return (
        access.visible_networks(user)
        .select_related("host_university")
        .annotate(
            tambon_count=Count("tambons", filter=in_programme, distinct=True),
            university_count=Count("tambons__university", filter=in_programme, distinct=True),
        )
        .order_by("number")
    )


def university_list(*, user: User, programme: Programme, network: Network | None = None) -> QuerySet[University]:
    """Universities the user may see; within a network, those working tambons in its area or based in it.

    The tambon count is of the tambons the user may see (an RSI counts those in its area)."""
    qs = access.visible_universities(user).select_related("network")
    tambons = access.visible_tambons(user, Tambon.objects.filter(programme=programme))
    if network is not None:
        tambons = tambons.filter(network=network)
        qs = qs.filter(Q(network=network) | Q(tambons__network=network, tambons__programme=programme)).distinct()
    return qs.annotate(
        tambon_count=Count("tambons", filter=Q(tambons__in=tambons.values("pk")), distinct=True)
    ).order_by("network__number", "code")


def tambon_list(
    *,
    user: User,
    programme: Programme,
    network: Network | int | None = None,
    university: University | int | None = None,
    province: str | None = None,
) -> QuerySet[Tambon]:
    qs = access.visible_tambons(user, Tambon.objects.with_place().filter(programme=programme))
    if network is not None:
        qs = qs.filter(network=network)
    if university is not None:
        qs = qs.filter(university=university)
    if province:
        qs = qs.filter(subdistrict__district__province_id=province)
    return qs.order_by("subdistrict__district__province_id", "subdistrict_id")
