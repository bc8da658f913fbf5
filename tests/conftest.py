"""Shared fixtures: a small two-network world with one person of each kind.

alice reports for university A (network 1), bob reports for university B (network 2), carol reviews
network 1, dave reviews network 2, nina is NSI admin, nora NSI reviewer, mona manages university A.
"""

from dataclasses import dataclass

import pytest
from django.test import Client

from tambon.models import Programme, Role, Tambon, University, User
from tests.factories import (
    DistrictFactory,
    MembershipFactory,
    NetworkFactory,
    ProvinceFactory,
    SubDistrictFactory,
    TambonFactory,
    UniversityFactory,
    UserFactory,
)  # fmt: skip


@dataclass
class World:
    programme: Programme
    university_a: University
    university_b: University
    tambon_a: Tambon  # worked by A, in network 1
    tambon_a2: Tambon  # worked by A, in network 1
    tambon_b: Tambon  # worked by B, in network 2
    tambon_cross: Tambon  # worked by A, but in network 2's area
    alice: User  # reporter, university A
    mona: User  # manager, university A
    bob: User  # reporter, university B
    carol: User  # RSI reviewer, network 1
    dave: User  # RSI reviewer, network 2
    nina: User  # NSI admin
    nora: User  # NSI reviewer
    nobody: User  # logged in, no membership


def _member(username: str, role: str, **scope) -> User:
    user = UserFactory(username=username)
    MembershipFactory(user=user, role=role, **scope)
    return user


def pytest_collection_modifyitems(config, items):
    """Transactional tests (browser, real workers) flush the database when they end; restore the reference data
    the migrations loaded (programme, hiring types, goals …) for the tests after them."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and "serialized_rollback" not in marker.kwargs:
            item.add_marker(pytest.mark.django_db(**marker.kwargs, serialized_rollback=True), append=False)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_token_throttle():
    """The API token endpoint's rate limit counts per address in the cache; each test starts with none used."""
    from django.core.cache import cache

    cache.delete("throttle_api_token_127.0.0.1")


@pytest.fixture(autouse=True)
def celery_eager():
    """Tasks run in-process in tests, even when REDIS_URL is set; tests of the real worker opt out."""
    from celery._state import _set_task_join_will_block, task_join_will_block

    from pbm.celery import app

    previous, blocked = app.conf.task_always_eager, task_join_will_block()
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous
    # Celery keeps a process-wide "this process is a worker" flag; a test that ran worker code in this process must
    # not leave it set, or a later test waiting on a real worker's result is refused ("never call get() in a task")
    _set_task_join_will_block(blocked)


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """The world's rows, for fixtures of any scope (tests/test_url_matrix.py builds it once per module)."""
    programme = Programme.current()
    net1, net2 = NetworkFactory(number=1), NetworkFactory(number=2)
    prov1 = ProvinceFactory(code="19", name_th="สระบุรี", name_en="Saraburi")
    prov2 = ProvinceFactory(code="50", name_th="เชียงใหม่", name_en="Chiang Mai")
    net1.provinces.add(prov1)
    net2.provinces.add(prov2)
    d1 = DistrictFactory(province=prov1, code="1902", name_th="แก่งคอย", name_en="Kaeng Khoi")
    d2 = DistrictFactory(province=prov2, code="5001", name_th="เมืองเชียงใหม่", name_en="Mueang Chiang Mai")
    uni_a = UniversityFactory(code="CU", short_name="CU", name_th="จุฬาลงกรณ์มหาวิทยาลัย",
                              name_en="Chulalongkorn University", network=net1)  # fmt: skip
    uni_b = UniversityFactory(code="CMU", short_name="CMU", name_th="มหาวิทยาลัยเชียงใหม่",
                              name_en="Chiang Mai University", network=net2)  # fmt: skip
    sub = lambda district, code, th, en: SubDistrictFactory(district=district, code=code, name_th=th, name_en=en)  # noqa: E731
    tambon_a = TambonFactory(subdistrict=sub(d1, "190202", "ห้วยแห้ง", "Huai Haeng"), university=uni_a, network=net1)
    tambon_a2 = TambonFactory(subdistrict=sub(d1, "190203", "ทับกวาง", "Thap Kwang"), university=uni_a, network=net1)
    tambon_b = TambonFactory(subdistrict=sub(d2, "500101", "ศรีภูมิ", "Si Phum"), university=uni_b, network=net2)
    tambon_cross = TambonFactory(subdistrict=sub(d2, "500102", "พระสิงห์", "Phra Sing"), university=uni_a, network=net2)
    return World(
        programme=programme, university_a=uni_a, university_b=uni_b,
        tambon_a=tambon_a, tambon_a2=tambon_a2, tambon_b=tambon_b, tambon_cross=tambon_cross,
        alice=_member("alice", Role.UNIVERSITY_REPORTER, university=uni_a),
        mona=_member("mona", Role.UNIVERSITY_MANAGER, university=uni_a),
        bob=_member("bob", Role.UNIVERSITY_REPORTER, university=uni_b),
        carol=_member("carol", Role.RSI_REVIEWER, network=net1),
        dave=_member("dave", Role.RSI_REVIEWER, network=net2),
        nina=_member("nina", Role.NSI_ADMIN),
        nora=_member("nora", Role.NSI_REVIEWER),
        nobody=UserFactory(username="nobody"),
    )  # fmt: skip


@pytest.fixture
def client_for():
    """client_for(user) → a Django test client logged in as that user (None: anonymous)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
            pass_two_factor(client, user)
        return client

    return make


def pass_two_factor(client: Client, user: User) -> None:
    """An NSI admin's session as after typing a right two-factor code (tests of the code itself use the pages)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pbm.security import twofactor

    if not twofactor.required_for(user):
        return
    device = twofactor.confirmed_device(user) or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def fetch(client: Client, url: str, method: str = "get", data: dict | None = None):
    """An export's URL as a person uses it: the request starts a background job (run at once here: tasks are
    eager, and its on-commit queueing is executed), its page offers the file, the file is downloaded. Anything
    else than a redirect to a job's page (a 404, a form shown again) is returned as it came."""
    from django.http import HttpResponse
    from django.test import TestCase
    from django.urls import resolve, reverse

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = getattr(client, method)(url, data or {})
    if response.status_code != 302 or resolve(response.url.split("?")[0]).url_name != "export_detail":
        return response
    page = client.get(response.url)
    pk = resolve(response.url).kwargs["pk"]
    download = reverse("export_download", args=[pk])
    assert download in page.content.decode(), page.content.decode()[-2000:]
    file = client.get(download)
    assert file.status_code == 200, file.status_code
    out = HttpResponse(b"".join(file.streaming_content), content_type=file["Content-Type"])
    out["Content-Disposition"] = file["Content-Disposition"]
    return out
