"""Demo hierarchy: networks, universities, 3,000 (or ~150) tambons on real sub-districts, demo accounts.

Deterministic and idempotent: the same call always picks the same sub-districts and universities, the small
scale is the first slice of the national one, and re-running adds nothing that is already there.
"""

from __future__ import annotations

import base64
import math
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import Network, Programme, Role, SubDistrict, Tambon, University, User
from .units import place_tambons

DEMO_PASSWORD = "pbm-demo"  # noqa: S105 - documented in README as local-demo only
# The demo NSI admin's two-factor key (README): add it to an authenticator app to log in as `nsi`. Only ever seeded
# on a development install or an explicit staging demo (seed_demo refuses production).
DEMO_TOTP_KEY_BASE32 = "PBMDEMO2PBMDEMO2PBMDEMO2PBMDEMO2"

# DOMAIN.md §2: programme tambons per network, in the networks' order.
NATIONAL_TAMBONS = {1: 429, 2: 165, 3: 395, 4: 348, 5: 483, 6: 591, 7: 149, 8: 153, 9: 287}
SCALE_DIVISOR = {"national": 1, "small": 20}

# The tambon of the PBM sample sheet (DOMAIN.md §4): ห้วยแห้ง, แก่งคอย, สระบุรี — worked by Chulalongkorn.
SAMPLE_TAMBON = {"subdistrict": ("ห้วยแห้ง", "แก่งคอย", "สระบุรี"), "university": "CU"}


@dataclass
class DemoContext:
    """What later apps' demo seeders receive."""

    scale: str
    programme: Programme
    rng: random.Random
    tambons: list[Tambon]


def _find_sample_subdistrict() -> SubDistrict | None:
    sub, district, province = SAMPLE_TAMBON["subdistrict"]
    return SubDistrict.objects.filter(
        name_th=sub, district__name_th=district, district__province__name_th=province
    ).first()


def _plan_tambons(scale: str) -> list[tuple[str, int, int]]:
    """(subdistrict code, university id, network id) for every demo tambon of the scale."""
    rng = random.Random(2564)
    networks = list(Network.objects.order_by("number").prefetch_related("provinces"))
    universities = list(University.objects.order_by("network__number", "code"))
    sample = _find_sample_subdistrict()
    sample_university = next((u for u in universities if u.code == SAMPLE_TAMBON["university"]), None)
    plan = []
    for network in networks:
        target = NATIONAL_TAMBONS[network.number]
        home = [u for u in universities if u.network_id == network.pk]
        count = target if scale == "national" else max(math.ceil(target / SCALE_DIVISOR[scale]), len(home) + 1)
        candidates = list(
            SubDistrict.objects.filter(district__province__in=network.provinces.all())
            .order_by("code")
            .values_list("code", flat=True)
        )
        picked = rng.sample(candidates, min(target, len(candidates)))
        if sample and sample_university and sample.code in candidates:
            picked.remove(sample.code) if sample.code in picked else picked.pop()
            picked.insert(0, sample.code)
        for index, code in enumerate(picked[:count]):
            if sample and code == sample.code and sample_university:
                university = sample_university
            elif home and index % 25 != 24:
                university = home[index % len(home)]
            else:
                # Every 25th tambon is worked by a university from another network, as happens in U2T.
                university = universities[(index * 7 + network.number) % len(universities)]
            plan.append((code, university.pk, network.pk))
    return plan


FIRST_NAMES = ("สมชาย", "สุภาพร", "วิชัย", "กนกวรรณ", "ธนพล", "ศิริพร", "อนุชา", "พิมพ์ชนก", "ประเสริฐ", "รัตนา", "กิตติ")
LAST_NAMES = ("ใจดี", "ทองดี", "ศรีสุข", "แก้วมณี", "บุญมา", "สายทอง", "พรหมมา", "จันทร์เพ็ญ", "วงศ์ไทย")


def _account(username: str, password_hash: str, n: int, email: str = "") -> User:
    """A demo person with a Thai full name (the history shows who did what by name and role)."""
    first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n * 7 + n // len(FIRST_NAMES)) % len(LAST_NAMES)]
    user, created = User.objects.get_or_create(
        username=username, defaults={"password": password_hash, "first_name": first, "last_name": last, "email": email}
    )
    if not created and not user.last_name:  # demo databases seeded before people had names
        User.objects.filter(pk=user.pk).update(first_name=first, last_name=last)
    return user


@transaction.atomic
def seed(*, scale: str = "small", stdout=None) -> DemoContext:
    programme = Programme.current()
    services.geography_load()
    services.networks_load()
    universities = services.universities_load()
    for network in Network.objects.filter(host_university__isnull=True):
        network.host_university = next((u for u in universities if u.network_id == network.pk), None)
        network.save(update_fields=["host_university"])

    existing = set(Tambon.objects.filter(programme=programme).values_list("subdistrict_id", flat=True))
    Tambon.objects.bulk_create(
        [
            Tambon(programme=programme, subdistrict_id=code, university_id=university_id, network_id=network_id)
            for code, university_id, network_id in _plan_tambons(scale)
            if code not in existing
        ],
        batch_size=1000,
    )
    place_tambons(list(Tambon.objects.filter(programme=programme, unit__isnull=True)))

    password_hash = make_password(DEMO_PASSWORD)  # hashed once: hundreds of accounts, one demo password
    admin = _account("nsi", password_hash, 0, "nsi@example.org")
    if not admin.is_staff:
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
    services.membership_grant(user=admin, role=Role.NSI_ADMIN)
    TOTPDevice.objects.get_or_create(
        user=admin, name="demo", defaults={"key": base64.b32decode(DEMO_TOTP_KEY_BASE32).hex(), "confirmed": True}
    )
    services.membership_grant(
        user=_account("nsi-review", password_hash, 1, "nsi-review@example.org"), role=Role.NSI_REVIEWER
    )
    for network in Network.objects.order_by("number"):
        user = _account(f"rsi{network.number}", password_hash, 1 + network.number, f"rsi{network.number}@example.org")
        services.membership_grant(user=user, role=Role.RSI_REVIEWER, network=network)
    for index, university in enumerate(universities, start=1):
        reporter = _account(f"usi{index}", password_hash, 10 + 2 * index, f"usi{index}@example.org")
        services.membership_grant(user=reporter, role=Role.UNIVERSITY_REPORTER, university=university)
        manager = _account(f"usi{index}-manager", password_hash, 11 + 2 * index, f"usi{index}-manager@example.org")
        services.membership_grant(user=manager, role=Role.UNIVERSITY_MANAGER, university=university)
    tambons = list(Tambon.objects.filter(programme=programme).with_place().order_by("id"))
    if stdout:
        stdout.write(
            f"hierarchy: {Network.objects.count()} networks, {len(universities)} universities, {len(tambons)} tambons"
        )
        stdout.write(f"demo NSI admin `nsi`: two-factor key {DEMO_TOTP_KEY_BASE32} (add it to an authenticator app)")
    return DemoContext(scale=scale, programme=programme, rng=random.Random(2564), tambons=tambons)
