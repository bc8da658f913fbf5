"""Dashboards and export jobs read their figures from the replica DATABASE_REPLICA_URL names (pbm/replica.py),
tested against a second database.

The `replica` alias exists for this module only: a copy of the default test database (SQLite: an in-memory copy;
PostgreSQL: CREATE DATABASE … TEMPLATE, a database of its own), and the router is installed while the module runs,
so the rest of the suite never sees either. Each test copies the default's new rows to the replica (`replicate`,
what streaming replication does), then makes a figure differ between the two, and asks which one a page read."""

from __future__ import annotations

import io
import sqlite3
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connections
from django.test.utils import CaptureQueriesContext, override_settings
from openpyxl import load_workbook

from pbm import replica
from pbm.models import ExportJob, Notification
from reporting.dashboard.models import TambonFigures
from reporting.dashboard.services import dashboard_refresh
from reporting.models import CategoryKind
from tambon.models import Membership, SubDistrict, Tambon, User
from tests.conftest import fetch

REPLICA = replica.REPLICA
pytestmark = pytest.mark.django_db(databases=["default", REPLICA])


@pytest.fixture(scope="module", autouse=True)
def replica_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """The second database, a copy of the default test database, as the `replica` alias; the router on."""
    default = connections["default"]
    before = dict(default.settings_dict)
    in_memory = default.vendor == "sqlite" and default.creation.is_in_memory_db(default.settings_dict["NAME"])
    # a copy: for an in-memory SQLite database (fork) Django hands back the default's own settings dict, and
    # renaming it would point every later test's default connection at the replica's file
    copy = dict(default.creation.get_test_db_clone_settings(REPLICA))
    with django_db_blocker.unblock():
        if in_memory:  # a file of its own (SQLite's backup into another in-memory database waits forever)
            copy["NAME"] = str(tmp_path_factory.mktemp("replica") / "replica.sqlite3")
            default.ensure_connection()
            target = sqlite3.connect(copy["NAME"])
            default.connection.backup(target)
            target.close()
        else:
            default.creation.clone_test_db(suffix=REPLICA, verbosity=0, keepdb=False)
        copy["TEST"] = {**copy["TEST"], "NAME": copy["NAME"]}
        for databases in {
            id(settings.DATABASES): settings.DATABASES,
            id(connections.settings): connections.settings,
        }.values():
            databases[REPLICA] = copy
    routers = override_settings(DATABASE_ROUTERS=["pbm.replica.ReplicaRouter"])
    routers.enable()
    yield
    routers.disable()
    with django_db_blocker.unblock():
        connections[REPLICA].close()
        del connections[REPLICA]
        for databases in (settings.DATABASES, connections.settings):
            databases.pop(REPLICA, None)
        if not in_memory:
            default.creation.destroy_test_db(verbosity=0, keepdb=False, suffix=REPLICA)
    assert connections["default"].settings_dict == before, "the replica's set-up changed the default database"


def replicate() -> None:
    """The default's rows the replica lacks, copied to it (within the test's transactions, rolled back after)."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        manager = model._base_manager
        have = set(manager.using(REPLICA).values_list("pk", flat=True))
        rows = [row for row in manager.using("default").all() if row.pk not in have]
        if rows:
            manager.using(REPLICA).bulk_create(rows)


@pytest.fixture
def lagging(world):
    """The world's figures in both databases; then tambon A's activity budget and name differ: 111 and its own
    name in default, 777 and "Replica" in the replica (a replica behind, or a copy told apart)."""
    dashboard_refresh()
    replicate()
    TambonFigures.objects.using("default").filter(tambon=world.tambon_a).update(total_activity=111)
    TambonFigures.objects.using(REPLICA).filter(tambon=world.tambon_a).update(total_activity=777)
    SubDistrict.objects.using(REPLICA).filter(pk=world.tambon_a.subdistrict_id).update(
        name_th="Replica", name_en="Replica"
    )
    return world


def _cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]


def test_only_the_figures_inside_reading_go_to_the_replica():
    router = replica.ReplicaRouter()
    assert router.db_for_read(TambonFigures) == "default"
    with replica.reading():
        assert [router.db_for_read(m) for m in (TambonFigures, Tambon, SubDistrict)] == [REPLICA] * 3
        # who someone is and what they may see, and the request's own rows: always fresh
        assert {router.db_for_read(m) for m in (User, Membership, Session, ExportJob, Notification)} == {"default"}
        assert {router.db_for_write(m) for m in (TambonFigures, User, ExportJob)} == {"default"}
    assert router.db_for_read(Tambon) == "default"
    assert (router.allow_migrate("default", "tambon"), router.allow_migrate(REPLICA, "tambon")) == (True, False)


def test_the_dashboard_its_export_and_its_api_read_the_replica_other_pages_default(lagging, client_for):
    world = lagging
    client = client_for(world.carol)
    url = f"/dashboard/networks/{world.tambon_a.network_id}/tambons/{world.tambon_a.pk}/"
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        page = client.get(url)
    assert page.status_code == 200
    assert page.context["board"].spending.total.kinds[CategoryKind.ACTIVITY].total == 777
    assert "Replica" in page.content.decode()
    assert on_replica.captured_queries
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in on_replica.captured_queries)

    university = Tambon.objects.get(pk=world.tambon_a.pk).unit.parent  # the same figures in the unit tree
    unit_page = client.get(f"/dashboard/units/{university.pk}/")
    assert unit_page.context["board"].spending.total.kinds[CategoryKind.ACTIVITY].total == 777

    body = client.get(f"/api/v1{url}").json()
    assert Decimal(body["spending"]["total"]["kinds"][CategoryKind.ACTIVITY]["budget"]) == 777
    assert 777 in _cells(client.get(f"{url}export/spending.xlsx").content)

    other = client.get(f"/tambons/{world.tambon_a.pk}/").content.decode()  # not a dashboard: the default
    assert world.tambon_a.subdistrict.name_th in other and "Replica" not in other
    assert TambonFigures.objects.get(tambon=world.tambon_a).total_activity == 111  # outside reading(): default


def test_writes_inside_reading_land_in_default(lagging):
    world = lagging
    with replica.reading():
        figures = TambonFigures.objects.get(tambon=world.tambon_a)
        assert (figures._state.db, figures.total_activity) == (REPLICA, 777)
        figures.total_activity = 5
        figures.save()
        Notification.objects.create(user=world.carol, subject="x", body="x")
        assert User.objects.get(pk=world.carol.pk)._state.db == "default"
    assert TambonFigures.objects.using("default").get(tambon=world.tambon_a).total_activity == 5
    assert TambonFigures.objects.using(REPLICA).get(tambon=world.tambon_a).total_activity == 777
    assert (Notification.objects.using("default").count(), Notification.objects.using(REPLICA).count()) == (1, 0)


def test_an_export_job_is_built_from_the_replica_and_recorded_in_default(lagging, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = lagging
    response = fetch(client_for(world.mona), f"/universities/{world.university_a.pk}/budget.xlsx")
    assert response.status_code == 200
    assert any("Replica" in str(cell) for cell in _cells(response.content))
    assert ExportJob.objects.using("default").count() == 1
    assert not ExportJob.objects.using(REPLICA).exists()
