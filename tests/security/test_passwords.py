"""The password policy: at least 12 characters, not common, not the programme's or country's name plus digits."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from tambon.models import User


@pytest.mark.parametrize("password", [
    "pbm-demo", "Thailand2564", "thailand-2021", "PBM-Demo-2564!", "U2T2564u2t", "Bangkok@2565", "ประเทศไทย2564",
    "password1234", "short1!", "123456789012",
])  # fmt: skip
def test_weak_passwords_are_refused(db, password):
    with pytest.raises(ValidationError):
        validate_password(password, User(username="alice"))


def test_thailand_with_a_year_is_refused_by_the_programme_list_not_only_by_length(db):
    """12 characters passes the length rule: the project list is what refuses it."""
    with pytest.raises(ValidationError) as refused:
        validate_password("Thailand2564", User(username="alice"))
    assert [e.code for e in refused.value.error_list] == ["password_programme_word"]


@pytest.mark.parametrize("password", ["rice field monsoon lantern", "Khao-Niao-Mamuang-77-river"])
def test_passphrases_are_accepted(db, password):
    validate_password(password, User(username="alice"))


def test_seed_demo_refuses_a_production_install(db, settings):
    settings.PRODUCTION_INSTALL = True
    with pytest.raises(CommandError, match="production install"):
        call_command("seed_demo", scale="small")
    assert not User.objects.filter(username="nsi").exists()


def test_seed_demo_on_a_staging_demo_needs_the_flag(db, settings, monkeypatch):
    """--staging passes the guard (the seeding itself is covered by the demo tests)."""
    from tambon import demo

    class Seeding(Exception):
        pass

    def seed(**kwargs):
        raise Seeding

    settings.PRODUCTION_INSTALL = True
    monkeypatch.setattr(demo, "seed", seed)
    with pytest.raises(Seeding):
        call_command("seed_demo", scale="small", staging=True)


def test_production_install_is_decided_by_the_environment():
    from tests.test_settings import run_manage

    show = "from django.conf import settings as s; print(s.PRODUCTION_INSTALL)"
    production = run_manage("shell", "-c", show, env={"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "pbm.example.org"},
                            fresh_database=False)  # fmt: skip
    development = run_manage("shell", "-c", show, env={}, fresh_database=False)
    assert production.stdout.split()[-1] == "True", production.stderr
    assert development.stdout.split()[-1] == "False", development.stderr


def test_a_password_hashed_before_argon2_still_logs_in_and_is_rehashed_with_argon2id(db, client, settings):
    """Hashes made with Django's former default (PBKDF2) keep working; the login re-hashes them at OWASP's cost."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher

    from pbm import settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS  # the conftest's fast hasher is not what production runs
    user = User.objects.create(username="alice", password=PBKDF2PasswordHasher().encode("rice field monsoon", "s4lt"))
    response = client.post("/login/", {"username": "alice", "password": "rice field monsoon"})
    assert response.status_code == 302 and "/login/" not in response["Location"]
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert identify_hasher(user.password).verify("rice field monsoon", user.password)
    client.logout()
    assert client.post("/login/", {"username": "alice", "password": "wrong field monsoon"}).status_code == 200
    assert client.post("/login/", {"username": "alice", "password": "rice field monsoon"}).status_code == 302
