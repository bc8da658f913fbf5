"""The done-when figures of the foundation: national demo data seen through the API by each demo account."""

import pytest
from django.db.models import Count, F
from rest_framework.test import APIClient

from tambon.models import Network, Tambon, University, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def national():
    """The national hierarchy (what these tests read); the other apps' demo data is tested in their suites."""
    from tambon import demo

    demo.seed(scale="national")


def count_for(username: str, query: str = "") -> int:
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client.get(f"/api/v1/tambons/{query}").json()["count"]


def test_network_tambon_counts_match_domain(national):
    counts = dict(Network.objects.values_list("number").annotate(n=Count("tambons")))
    assert counts == {1: 429, 2: 165, 3: 395, 4: 348, 5: 483, 6: 591, 7: 149, 8: 153, 9: 287}
    assert Tambon.objects.count() == 3000
    assert University.objects.count() == 76
    assert not University.objects.filter(tambons__isnull=True).exists()
    # the PBM sample sheet's tambon, worked across network lines by Chulalongkorn (home network 6)
    tambon = Tambon.objects.with_place().get(subdistrict__name_th="ห้วยแห้ง", subdistrict__district__name_th="แก่งคอย")
    assert tambon.heading == "ตำบลห้วยแห้ง อำเภอแก่งคอย จังหวัดสระบุรี — จุฬาลงกรณ์มหาวิทยาลัย"


def test_each_level_sees_its_scope(national):
    assert not Tambon.objects.exclude(network__provinces=F("subdistrict__district__province")).exists()
    assert count_for("nsi") == 3000
    assert count_for("nsi-review") == 3000
    assert count_for("rsi1") == 429
    assert count_for("rsi7") == 149


def test_usi1_sees_only_its_university(national):
    usi1 = User.objects.get(username="usi1")
    university = usi1.memberships.get().university
    own = Tambon.objects.filter(university=university).count()
    assert own > 0
    assert count_for("usi1") == own
    other = Tambon.objects.exclude(university=university).first()
    client = APIClient()
    client.force_authenticate(usi1)
    assert client.get(f"/api/v1/tambons/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/tambons/{Tambon.objects.filter(university=university).first().pk}/").status_code == 200


def test_seed_is_idempotent(national):
    from tambon import demo

    before = (Tambon.objects.count(), User.objects.count(), University.objects.count())
    demo.seed(scale="national")
    assert (Tambon.objects.count(), User.objects.count(), University.objects.count()) == before
