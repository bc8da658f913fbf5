"""Login lockout (django-axes) on /login/, /admin/login/ and the API token endpoint, through the real forms."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.test import APIClient

LOCKED_TH = "ลองใหม่ได้หลัง"


def _wrong_then_right(client, url, *, tries=100, username="alice"):
    for _ in range(tries):
        client.post(url, {"username": username, "password": "wrong-password"})
    return client.post(url, {"username": username, "password": "pbm-test"})


def test_hundred_wrong_passwords_then_the_right_one_is_refused_on_login(world, client):
    response = _wrong_then_right(client, reverse("login"))
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    body = response.content.decode()
    assert LOCKED_TH in body and "15 นาที" in body
    assert client.get(reverse("home")).status_code == 302  # still anonymous: sent to the login page


def test_lockout_after_the_failure_limit_not_before(world, client):
    for _ in range(4):
        assert client.post(reverse("login"), {"username": "alice", "password": "nope"}).status_code == 200
    assert client.post(reverse("login"), {"username": "alice", "password": "pbm-test"}).status_code == 302


def test_lockout_ends_after_the_cool_off(world, client):
    _wrong_then_right(client, reverse("login"), tries=5)
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert client.post(reverse("login"), {"username": "alice", "password": "pbm-test"}).status_code == 302


def test_lockout_is_per_username_and_address(world, client):
    _wrong_then_right(client, reverse("login"), tries=5)
    other_address = client.post(
        reverse("login"), {"username": "alice", "password": "pbm-test"}, REMOTE_ADDR="10.1.2.3"
    )  # fmt: skip
    assert other_address.status_code == 302
    assert client.post(reverse("login"), {"username": "bob", "password": "pbm-test"}).status_code == 302


def test_admin_login_is_locked_too(world, client):
    world.nina.is_staff = True
    world.nina.save()
    response = _wrong_then_right(client, reverse("admin:login"), tries=6, username="nina")
    assert response.status_code == 429
    assert LOCKED_TH in response.content.decode()


def test_hundred_wrong_passwords_then_the_right_one_is_refused_on_the_token_endpoint(world):
    client = APIClient()
    url = reverse("api_token")
    statuses = [
        client.post(url, {"username": "bob", "password": "wrong"}, format="json").status_code for _ in range(100)
    ]
    right = client.post(url, {"username": "bob", "password": "pbm-test"}, format="json")
    assert right.status_code == 429 and "token" not in right.json()
    assert statuses[:4] == [400] * 4 and set(statuses[4:]) == {429}  # the 5th wrong password locks


def test_token_endpoint_lockout_says_when_in_thai(world):
    client = APIClient()
    url = reverse("api_token")
    for _ in range(4):
        assert client.post(url, {"username": "bob", "password": "wrong"}, format="json").status_code == 400
    assert client.post(url, {"username": "bob", "password": "wrong"}, format="json").status_code == 429
    right = client.post(url, {"username": "bob", "password": "pbm-test"}, format="json")
    assert right.status_code == 429
    assert LOCKED_TH in right.json()["detail"]


@pytest.mark.parametrize("forwarded, count, expected", [
    ("203.0.113.9", 1, "203.0.113.9"),
    ("198.51.100.1, 203.0.113.9", 1, "203.0.113.9"),  # the client may prepend anything; our proxy wrote the last
    ("203.0.113.9", 0, "127.0.0.1"),
])  # fmt: skip
def test_client_address_trusts_only_our_proxies(rf, settings, forwarded, count, expected):
    from pbm.security.lockout import client_ip

    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(rf.get("/", HTTP_X_FORWARDED_FOR=forwarded)) == expected


def test_token_endpoint_is_rate_limited_per_address_whatever_the_username(world):
    client = APIClient()
    url = reverse("api_token")
    statuses = [
        client.post(url, {"username": f"guess{i}", "password": "wrong"}, format="json").status_code for i in range(11)
    ]
    assert statuses == [400] * 10 + [429]  # 10 a minute (API_TOKEN_RATE); axes alone would never lock new names
