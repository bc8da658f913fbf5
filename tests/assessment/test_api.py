import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessment.services import tambon_classify_programme
from pbm.models import ReviewStatus
from tests.assessment.helpers import make_assessment


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def data(world):
    make_assessment(world.tambon_a, "2021-Q1", 9)
    make_assessment(world.tambon_a, "2021-Q2", 12)
    make_assessment(world.tambon_b, "2021-Q2", 15)
    make_assessment(world.tambon_cross, "2021-Q2", 3, status=ReviewStatus.SUBMITTED)
    tambon_classify_programme(programme=world.programme)
    return world


@pytest.mark.parametrize("username, count", [("nora", 4), ("carol", 2), ("dave", 2), ("alice", 3), ("bob", 1)])
def test_tambon_assessments_are_scoped(data, username, count):
    assert api(getattr(data, username)).get("/api/v1/assessments/tambons/").json()["count"] == count


def test_tambon_assessment_detail_and_404_outside_scope(data):
    pk = data.tambon_a.assessments.get(quarter="2021-Q2").pk
    body = api(data.alice).get(f"/api/v1/assessments/tambons/{pk}/").json()
    assert body["goals_met"] == 12 and len(body["goals"]) == 16 and body["status"] == "accepted"
    assert api(data.bob).get(f"/api/v1/assessments/tambons/{pk}/").status_code == 404
    assert api(data.dave).get(f"/api/v1/assessments/tambons/{pk}/").status_code == 404


def test_classifications_filter_and_scope(data):
    body = api(data.nora).get("/api/v1/classifications/?quarter=2564-Q2").json()
    assert sorted((r["subdistrict_code"], r["band"]) for r in body["results"]) == [
        ("190202", "sufficiency"), ("500101", "sustainable"),
    ]  # fmt: skip
    assert api(data.carol).get("/api/v1/classifications/").json()["count"] == 2
    assert api(data.bob).get("/api/v1/classifications/").json()["count"] == 1
    bad = api(data.nora).get("/api/v1/classifications/?quarter=bad")
    assert bad.status_code == 400 and "quarter" in bad.json()  # a malformed filter says what to write


def test_distribution_endpoint(data):
    body = api(data.carol).get(reverse("class_distribution_api") + "?quarter=2021-Q2").json()
    rows = {r["band"]: r["tambons"] for r in body["rows"]}
    assert rows == {"sustainable": 0, "sufficiency": 1, "survive": 0, None: 0}
    assert [m["subdistrict_code"] for m in body["moved_up"]] == ["190202"] and body["moved_down"] == []
    assert api(data.carol).get(reverse("class_distribution_api") + "?network=2").status_code == 404
    assert api(data.nora).get(reverse("class_distribution_api") + "?network=2&quarter=2021-Q2").json()["assessed"] == 1


def test_anonymous_and_roleless_are_refused(data):
    assert api().get("/api/v1/classifications/").status_code in (401, 403)
    assert api(data.nobody).get(reverse("class_distribution_api")).status_code == 403


def test_endpoints_are_in_the_schema(data):
    schema = api(data.alice).get(reverse("api_schema")).content.decode()
    for path in ("/api/v1/assessments/tambons/", "/api/v1/assessments/universities/", "/api/v1/assessments/networks/",
                 "/api/v1/classifications/", "/api/v1/classifications/distribution/"):  # fmt: skip
        assert path in schema
