"""The admin by scope: an RSI reviewer with staff rights sees only the users and memberships of their network,
and nobody, the NSI admin included, ever sees an API token again after it was created."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from tambon.models import Membership, Role


@pytest.fixture
def staff_carol(world):
    """carol reviews network 1 and was given staff rights over users, memberships and tokens."""
    world.carol.is_staff = True
    world.carol.save()
    world.carol.user_permissions.set(Permission.objects.filter(
        content_type__app_label__in=["tambon", "knox"], content_type__model__in=["user", "membership", "authtoken"]
    ))  # fmt: skip
    return world.carol


def _token(username: str) -> str:
    answer = APIClient().post(reverse("api_token"), {"username": username, "password": "pbm-test"}, format="json")
    assert answer.status_code == 200, answer.content
    return answer.json()["token"]


def _names(html: str, usernames) -> set[str]:
    return {name for name in usernames if f">{name}<" in html}


EVERYONE = ["alice", "mona", "bob", "carol", "dave", "nina", "nora", "nobody"]


def test_rsi_staff_sees_only_their_networks_users(world, client_for, staff_carol):
    html = client_for(staff_carol).get(reverse("admin:tambon_user_changelist")).content.decode()
    assert _names(html, EVERYONE) == {"alice", "mona", "carol"}


def test_rsi_staff_sees_only_their_networks_memberships(world, client_for, staff_carol):
    response = client_for(staff_carol).get(reverse("admin:tambon_membership_changelist"))
    shown = {m.user.username for m in response.context["cl"].result_list}
    assert shown == {"alice", "mona", "carol"}


def test_rsi_staff_cannot_open_a_user_outside_their_scope(world, client_for, staff_carol):
    for other in (world.bob, world.nina):
        url = reverse("admin:tambon_user_change", args=[other.pk])
        assert client_for(staff_carol).get(url).status_code == 302  # "doesn't exist" back to the admin index


def test_rsi_staff_cannot_grant_a_national_role_or_another_network(world, client_for, staff_carol):
    client = client_for(staff_carol)
    add = reverse("admin:tambon_membership_add")
    nsi = client.post(add, {"user": world.alice.pk, "role": Role.NSI_ADMIN})
    assert nsi.status_code == 200 and "role" in nsi.context["adminform"].form.errors
    other = world.dave.memberships.get().network
    foreign = client.post(add, {"user": world.alice.pk, "role": Role.RSI_REVIEWER, "network": other.pk})
    assert foreign.status_code == 200 and "network" in foreign.context["adminform"].form.errors
    assert not Membership.objects.filter(user=world.alice).exclude(role=Role.UNIVERSITY_REPORTER).exists()


def test_staff_cannot_make_themselves_superuser(world, client_for, staff_carol):
    html = client_for(staff_carol).get(reverse("admin:tambon_user_change", args=[staff_carol.pk])).content.decode()
    assert 'name="is_superuser"' not in html and 'name="user_permissions"' not in html
    assert 'name="first_name"' in html


def test_token_is_stored_as_a_digest_and_shown_only_once(world):
    token = _token("alice")
    row = AuthToken.objects.get(user=world.alice)
    assert token not in (row.digest, row.token_key) and len(row.digest) == 128
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/tambons/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {token[:-1]}x")
    assert client.get("/api/v1/tambons/").status_code in (401, 403)


def test_admin_never_shows_a_token_and_scopes_the_list(world, client_for, staff_carol):
    world.nina.is_staff = world.nina.is_superuser = True
    world.nina.save()
    alice_token, bob_token = _token("alice"), _token("bob")
    digests = set(AuthToken.objects.values_list("digest", flat=True))
    for viewer, owners in ((world.nina, {"alice", "bob"}), (staff_carol, {"alice"})):
        client = client_for(viewer)
        listing = client.get(reverse("admin:knox_authtoken_changelist"))
        assert listing.status_code == 200, (viewer, listing)
        assert {t.user.username for t in listing.context["cl"].result_list} == owners
        pages = [listing] + [client.get(reverse("admin:knox_authtoken_change", args=[d])) for d in digests]
        for page in pages:
            html = page.content.decode()
            assert alice_token not in html and bob_token not in html
            # the digest may appear (it is the row's key in the admin's URLs): it cannot be turned back into a token
            assert not any(t[:15] in html for t in (alice_token, bob_token))
    assert client_for(world.nina).get(reverse("admin:knox_authtoken_add")).status_code == 403


def test_old_plain_tokens_are_erased_by_the_migration(db):
    from importlib import import_module
    from types import SimpleNamespace

    from django.db import connection

    migration = import_module("tambon.migrations.0004_erase_plain_api_tokens")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer)")
        cursor.execute("INSERT INTO authtoken_token VALUES ('0123456789abcdef0123456789abcdef01234567', 1)")
    migration.erase_plain_tokens(None, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
