"""Tokens for systems (issue #17, item 2): scoped client keys made on their page, rotated, revoked, last use
shown, and a rate limit per key."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from api_clients.models import ApiClient, ClientScope
from api_clients.services import api_client_create, api_client_revoke, api_client_rotate
from pbm.models import ReviewStatus
from reporting.models import MonthlyReport
from tambon.models import Role
from tests.conftest import _member
from tests.reporting.helpers import enter_sample_plan


def keyed(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def month_url(tambon, action="file"):
    return f"/api/v1/tambons/{tambon.pk}/reports/{tambon.programme.start_date.year}/1/{action}/"


@pytest.fixture
def world(world):
    world.mike = _member("mike", Role.UNIVERSITY_MANAGER, university=world.university_b)
    return world


@pytest.fixture(autouse=True)
def fresh_throttles(settings):
    """A cache of the tests' own (never a shared Redis database), so each key's rate limit starts unused."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "keys"}}
    cache.clear()
    yield
    cache.clear()


def test_a_manager_makes_a_key_on_the_page_and_it_is_shown_once(world, client_for):
    page = client_for(world.mona)
    response = page.post("/api-clients/", {"name": "Finance system", "unit": f"u{world.university_a.pk}",
                                           "scope": "file", "tambons": [world.tambon_a.pk], "rate": "30/minute"})  # fmt: skip
    assert response.status_code == 200
    key = response.context["new_key"]
    client = ApiClient.objects.get()
    assert key.startswith("pbmc_") and client.key_digest == ApiClient.digest(key) and key not in client.key_digest
    assert client.key_prefix in response.content.decode()
    listed = page.get("/api-clients/").content.decode()
    assert "Finance system" in listed and key not in listed  # never shown again
    # a reporter, or someone of another university, cannot make or see it
    assert client_for(world.alice).get("/api-clients/").status_code == 403
    assert client_for(world.mike).post(f"/api-clients/{client.pk}/revoke/").status_code == 404  # not theirs


def test_a_filing_key_files_for_its_tambons_only_with_the_pages_rules(world):
    enter_sample_plan(world.tambon_a, world.alice)
    enter_sample_plan(world.tambon_a2, world.alice)
    client, key = api_client_create(user=world.mona, name="Field app", university=world.university_a,
                                    scope=ClientScope.FILE, tambons=[world.tambon_a])  # fmt: skip
    app = keyed(key)
    saved = app.post(month_url(world.tambon_a), {"version": 0, "narrative": "From the field", "submit": True},
                     format="json", HTTP_IDEMPOTENCY_KEY="f1")  # fmt: skip
    assert saved.status_code == 200, saved.json()
    report = MonthlyReport.objects.get(tambon=world.tambon_a, month=1)
    assert report.status == ReviewStatus.SUBMITTED and report.submitted_by == world.mona  # acts for its maker
    other = app.post(month_url(world.tambon_a2), {"version": 0, "narrative": "x"}, format="json")
    assert other.status_code == 403 and other.json()["errors"][0]["rule"] == "client_scope"
    assert not MonthlyReport.objects.filter(tambon=world.tambon_a2).exists()
    # reading is allowed within the maker's scope; reviewing is not a filing key's business
    assert app.get(f"/api/v1/tambons/{world.tambon_a.pk}/budget/").status_code == 200
    review = app.post(month_url(world.tambon_a, "review"), {"version": report.version, "action": "accept"},
                      format="json")  # fmt: skip
    assert review.status_code == 403
    client.refresh_from_db()
    assert client.last_used_at is not None


def test_a_read_only_key_reads_and_never_writes(world):
    _client, key = api_client_create(user=world.mona, name="Dashboard mirror", university=world.university_a)
    app = keyed(key)
    assert app.get(f"/api/v1/tambons/{world.tambon_a.pk}/").status_code == 200
    refused = app.post(month_url(world.tambon_a), {"version": 0, "narrative": "x"}, format="json")
    assert refused.status_code == 403
    assert not MonthlyReport.objects.exists()


def test_a_reviewing_key_reviews_within_its_makers_area(world):
    enter_sample_plan(world.tambon_a, world.alice)
    keyed_alice = APIClient()
    keyed_alice.force_authenticate(world.alice)
    submitted = keyed_alice.post(month_url(world.tambon_a), {"version": 0, "narrative": "n", "submit": True},
                                 format="json").json()  # fmt: skip
    _client, key = api_client_create(user=world.carol, name="Network desk", network=world.tambon_a.network,
                                     scope=ClientScope.REVIEW)  # fmt: skip
    accepted = keyed(key).post(month_url(world.tambon_a, "review"), {"version": submitted["version"],
                               "action": "accept"}, format="json")  # fmt: skip
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    # another network's key does not even see the tambon
    _other, other_key = api_client_create(user=world.dave, name="Other desk", network=world.tambon_b.network,
                                          scope=ClientScope.REVIEW)  # fmt: skip
    assert keyed(other_key).post(month_url(world.tambon_a, "review"), {"version": 1, "action": "accept"},
                                 format="json").status_code == 404  # fmt: skip


def test_rotate_and_revoke_stop_the_old_key_at_once(world):
    client, key = api_client_create(user=world.mona, name="Finance", university=world.university_a)
    url = f"/api/v1/tambons/{world.tambon_a.pk}/"
    assert keyed(key).get(url).status_code == 200
    new_key = api_client_rotate(client=client, user=world.mona)
    assert keyed(key).get(url).status_code == 403  # DRF: 403 when the first authenticator (session) sends no challenge
    assert keyed(new_key).get(url).status_code == 200
    with pytest.raises(PermissionDenied):
        api_client_revoke(client=client, user=world.mike)  # another university's manager
    api_client_revoke(client=client, user=world.mona)
    refused = keyed(new_key).get(url)
    assert refused.status_code == 403 and "revoked" in refused.json()["detail"]


def test_scopes_must_fit_the_unit_and_the_rate_the_programmes_limit(world):
    with pytest.raises(ValidationError) as error:
        api_client_create(user=world.mona, name="x", university=world.university_a, scope=ClientScope.FILE)
    assert "tambons" in str(error.value)
    with pytest.raises(ValidationError):
        api_client_create(user=world.mona, name="x", university=world.university_a, scope=ClientScope.FILE,
                          tambons=[world.tambon_b])  # fmt: skip
    with pytest.raises(ValidationError):
        api_client_create(user=world.mona, name="x", university=world.university_a, rate="100000/second")
    with pytest.raises(PermissionDenied):
        api_client_create(user=world.alice, name="x", university=world.university_a)  # a reporter, not a manager


def test_each_key_has_its_own_rate_limit(world):
    _client, key = api_client_create(user=world.mona, name="Busy", university=world.university_a, rate="3/minute")
    _other, other_key = api_client_create(user=world.mona, name="Calm", university=world.university_a)
    url = f"/api/v1/tambons/{world.tambon_a.pk}/"
    assert [keyed(key).get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = keyed(key).get(url)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert keyed(other_key).get(url).status_code == 200  # another key is not slowed down


def test_the_roster_page_links_to_the_api_clients_only_for_who_may_make_them(world, client_for):
    """A university's manager sees the link and its page opens; an NSI admin opens the same roster page (they
    manage every university's roster) but makes no clients, so the link is not offered (it answered 403)."""
    roster = f"/universities/{world.university_a.pk}/roster/"
    page = client_for(world.mona)
    assert 'href="/api-clients/"' in page.get(roster).content.decode()
    assert page.get("/api-clients/").status_code == 200
    nsi = client_for(world.nina)
    assert nsi.get(roster).status_code == 200
    assert 'href="/api-clients/"' not in nsi.get(roster).content.decode()
    assert nsi.get("/api-clients/").status_code == 403
