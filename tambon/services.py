"""Writes to the hierarchy: geography loading, tambons and memberships."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import District, Membership, Network, Programme, Province, Role, SubDistrict, Tambon, University, User

DATA_DIR = Path(__file__).resolve().parent / "data"
GEOGRAPHY_FILE = DATA_DIR / "geography.csv"
NETWORKS_FILE = DATA_DIR / "networks.csv"
UNIVERSITIES_FILE = DATA_DIR / "universities.csv"

# Thai names of the 9 networks (DOMAIN.md §2), in the programme's order.
NETWORK_NAMES = [
    ("ภาคเหนือตอนบน", "Upper North"),
    ("ภาคเหนือตอนล่าง", "Lower North"),
    ("ภาคตะวันออกเฉียงเหนือตอนบน", "Upper North-East"),
    ("ภาคตะวันออกเฉียงเหนือตอนล่าง", "Lower North-East"),
    ("ภาคกลางตอนบน", "Upper Central"),
    ("ภาคกลางตอนล่าง", "Lower Central"),
    ("ภาคตะวันออก", "East"),
    ("ภาคใต้ตอนบน", "Upper South"),
    ("ภาคใต้ตอนล่าง", "Lower South"),
]


@dataclass
class GeographyCounts:
    provinces: int
    districts: int
    subdistricts: int


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@transaction.atomic
def geography_load(*, path: Path = GEOGRAPHY_FILE) -> GeographyCounts:
    """Load or refresh provinces, districts and sub-districts from the committed CSV. Idempotent."""
    rows = _read_csv(path)
    provinces: dict[str, Province] = {}
    districts: dict[str, District] = {}
    subdistricts: list[SubDistrict] = []
    for row in rows:
        provinces.setdefault(
            row["province_code"],
            Province(code=row["province_code"], name_th=row["province_name_th"], name_en=row["province_name_en"]),
        )
        districts.setdefault(
            row["district_code"],
            District(
                code=row["district_code"], province_id=row["province_code"],
                name_th=row["district_name_th"], name_en=row["district_name_en"],
            ),
        )  # fmt: skip
        subdistricts.append(
            SubDistrict(
                code=row["subdistrict_code"], district_id=row["district_code"], name_th=row["subdistrict_name_th"],
                name_en=row["subdistrict_name_en"], postcode=row["postcode"],
            )
        )  # fmt: skip
    for model, objs, fields in (
        (Province, provinces.values(), ["name_th", "name_en"]),
        (District, districts.values(), ["province", "name_th", "name_en"]),
        (SubDistrict, subdistricts, ["district", "name_th", "name_en", "postcode"]),
    ):
        model.objects.bulk_create(
            list(objs), update_conflicts=True, unique_fields=["code"], update_fields=fields, batch_size=2000
        )
    return GeographyCounts(len(provinces), len(districts), len(subdistricts))


@transaction.atomic
def networks_load(*, path: Path = NETWORKS_FILE) -> list[Network]:
    """The 9 networks and the provinces of their areas. Idempotent."""
    networks = []
    for number, (name_th, name_en) in enumerate(NETWORK_NAMES, start=1):
        network, _created = Network.objects.update_or_create(
            number=number, defaults={"name_th": f"เครือข่ายอุดมศึกษา{name_th}", "name_en": name_en}
        )
        networks.append(network)
    by_number = {n.number: n for n in networks}
    areas: dict[int, list[str]] = {}
    for row in _read_csv(path):
        areas.setdefault(int(row["network_number"]), []).append(row["province_code"])
    for number, codes in areas.items():
        by_number[number].provinces.set(codes)
    return networks


@transaction.atomic
def universities_load(*, path: Path = UNIVERSITIES_FILE) -> list[University]:
    networks = {n.number: n for n in Network.objects.all()}
    universities = []
    for row in _read_csv(path):
        university, _created = University.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_th": row["name_th"], "name_en": row["name_en"], "short_name": row["short_name"],
                "network": networks[int(row["network_number"])], "province_id": row["province_code"] or None,
            },
        )  # fmt: skip
        universities.append(university)
    return universities


def network_for_subdistrict(subdistrict: SubDistrict) -> Network:
    network = Network.objects.filter(provinces=subdistrict.district.province_id).first()
    if network is None:
        raise ValidationError(
            _("Province %(province)s is in no network's area; add it to a network first.")
            % {"province": subdistrict.district.province}
        )
    return network


@transaction.atomic
def tambon_create(
    *, programme: Programme, subdistrict: SubDistrict, university: University, is_active: bool = True
) -> Tambon:
    """Add a sub-district to a programme, worked by `university`, monitored by the network of its area."""
    if Tambon.objects.filter(programme=programme, subdistrict=subdistrict).exists():
        raise ValidationError(
            _("Sub-district %(code)s is already a tambon of %(programme)s.")
            % {"code": subdistrict.code, "programme": programme}
        )
    tambon = Tambon(
        programme=programme, subdistrict=subdistrict, university=university,
        network=network_for_subdistrict(subdistrict), is_active=is_active,
    )  # fmt: skip
    tambon.full_clean()
    tambon.save()
    return tambon


def membership_grant(
    *, user: User, role: Role | str, network: Network | None = None, university: University | None = None
) -> Membership:
    """Give `user` a role over a scope; granting the same role twice changes nothing."""
    membership, _created = Membership.objects.get_or_create(
        user=user, role=role, network=network, university=university
    )
    return membership
