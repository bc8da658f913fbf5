"""The programme's open data (issue #17, item 3): public, aggregate only, no personal data, no group under 5
people, CSV and JSON downloads, a DCAT-AP catalogue a CKAN harvester reads, and no database work per visitor."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.test import Client
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from opendata.figures import DATASETS, SMALL_GROUP, programme_data, suppress_complement
from reporting.dashboard.services import dashboard_refresh
from tambon.models import HiringType, User
from tambon.roster.demo import national_id
from tambon.roster.models import Contract, Person, WagePayment

PEOPLE_COLUMNS = {"hired"}


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """A cache of the tests' own (never a shared Redis database), empty at the start."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "open"}}
    cache.clear()
    yield
    cache.clear()


def _hire(tambon, n, start=0):
    hiring_type = HiringType.objects.filter(programme=tambon.programme).order_by("position").first()
    for i in range(n):
        person = Person.objects.create(national_id=national_id(tambon.pk * 1000 + start + i), first_name="สมหญิง",
                                       last_name=f"ลับเฉพาะ{i}")  # fmt: skip
        Contract.objects.create(person=person, tambon=tambon, hiring_type=hiring_type,
                                start_date=tambon.programme.start_date)  # fmt: skip


def _everything(client, code) -> dict[str, str]:
    """The page (each grouping) and every download, as text."""
    texts = {f"page-{by}": client.get(f"/open/{code}/?by={by}").content.decode() for by in ("province", "network",
                                                                                          "university")}  # fmt: skip
    for slug in DATASETS:
        for extension in ("csv", "json"):
            response = client.get(f"/open/{code}/{slug}.{extension}")
            assert response.status_code == 200, (slug, extension)
            texts[f"{slug}.{extension}"] = response.content.decode("utf-8-sig")
    texts["catalogue"] = client.get("/open/catalog.jsonld").content.decode()
    return texts


def test_public_figures_hold_no_personal_data_and_no_group_under_five(seeded):
    world = seeded
    # a small team in university B's only tambon: 3 people, a group under 5
    WagePayment.objects.filter(contract__tambon=world.tambon_b).delete()  # money records protect their contract
    Contract.objects.filter(tambon=world.tambon_b).delete()
    _hire(world.tambon_b, 3, start=500)
    dashboard_refresh()
    client = Client()  # anonymous
    code = world.programme.code
    texts = _everything(client, code)

    people = list(Person.objects.values_list("national_id", "first_name", "last_name"))
    users = list(User.objects.values_list("username", "first_name", "last_name", "email"))
    assert people and users
    for name, text in texts.items():
        for national, first, last in people:
            assert national not in text and national[-4:] + "," not in text, (name, "national id")
            assert last not in text and f"{first} {last}" not in text, (name, "a person's name")
        for username, first, last, email in users:
            for value in (username, first, last, email):
                assert not value or value not in text, (name, "a user's name or email")

    for slug in DATASETS:
        rows = json.loads(texts[f"{slug}.json"])["rows"]
        assert rows, slug
        for row in rows:
            for column in PEOPLE_COLUMNS & set(row):
                assert row[column] is None or row[column] >= SMALL_GROUP, (slug, row)
    hiring = json.loads(texts["hiring.json"])["rows"]
    small = next(r for r in hiring if r["grouping"] == "university" and r["group_code"] == "CMU")
    assert small["hired"] is None and small["fill_percent"] is None
    # its wages would count its people: its spending on hiring is left empty too, its activities are not
    months = [r for r in json.loads(texts["spending-by-month.json"])["rows"]
              if r["grouping"] == "university" and r["group_code"] == "CMU"]  # fmt: skip
    assert all(r["actual_hiring"] is None and r["actual_total"] is None for r in months)
    assert any(r["actual_activity"] not in (None, "0", "0.00") for r in months)
    # the CSV says the same, an empty cell for a suppressed count
    rows = list(csv.DictReader(io.StringIO(texts["hiring.csv"])))
    assert next(r for r in rows if r["grouping"] == "university" and r["group_code"] == "CMU")["hired"] == ""


def test_one_group_hidden_hides_the_next_smallest_so_a_total_cannot_give_it_away():
    rows = [{"hired": None, "_raw": 3}, {"hired": 7, "_raw": 7}, {"hired": 40, "_raw": 40}]
    suppress_complement(rows, "hired")
    assert [r["hired"] for r in rows] == [None, None, 40]


def test_figures_agree_with_the_dashboard_and_a_visit_costs_no_database_query(seeded, django_assert_num_queries):
    from reporting.dashboard import selectors as dash

    world = seeded
    code = world.programme.code
    client = Client()
    assert client.get(f"/open/{code}/").status_code == 200  # builds and caches
    national = dash.spending(
        dash.Level("national", world.programme, world.programme.tambons.filter(is_active=True), "network_id"),
        dash.period_for(world.programme),
        dash.children(dash.Level("national", world.programme, world.programme.tambons.filter(is_active=True),
                                 "network_id")),
    )  # fmt: skip
    rows = [r for r in programme_data(code)["datasets"]["tambons"] if r["grouping"] == "network"]
    assert sum(r["plan_cumulative"] for r in rows) == national.total.plan
    assert sum(r["tambons"] for r in rows) == national.total.tambons
    urls = (f"/open/{code}/", f"/open/{code}/?by=province", f"/open/{code}/tambons.csv",
            f"/open/{code}/hiring.json", "/open/catalog.jsonld", "/open/")  # fmt: skip
    for url in urls:  # the first visitor fills the cache (the programme list, the catalogue's)
        assert client.get(url).status_code == 200, url
    with django_assert_num_queries(0):  # every later visitor reads the cache only
        for url in urls:
            assert Client().get(url).status_code == 200, url
    assert client.get("/open/no-such-programme/").status_code == 404
    assert client.get(f"/open/{code}/?by=tambon").status_code == 400


def test_the_catalogue_is_dcat_ap_that_a_ckan_harvester_reads(seeded):
    client = Client()
    response = client.get("/open/catalog.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    graph = Graph().parse(data=response.content.decode(), format="json-ld")
    FOAF = Namespace("http://xmlns.com/foaf/0.1/")

    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    catalog = catalogs[0]
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCTERMS.license, DCAT.dataset):
        assert graph.value(catalog, prop) is not None, prop
    datasets = list(graph.objects(catalog, DCAT.dataset))
    assert len(datasets) == len(DATASETS) * seeded.programme.__class__.objects.count()
    identifiers = set()
    for dataset in datasets:
        assert (dataset, RDF.type, DCAT.Dataset) in graph
        # DCAT-AP mandatory (title, description) and what ckanext-dcat maps to CKAN fields
        for prop in (
            DCTERMS.title,
            DCTERMS.description,
            DCTERMS.publisher,
            DCTERMS.issued,
            DCTERMS.modified,
            DCTERMS.identifier,
            DCTERMS.license,
            DCAT.landingPage,
            DCAT.contactPoint,
            DCAT.keyword,
        ):
            assert graph.value(dataset, prop) is not None, (dataset, prop)
        assert {t.language for t in graph.objects(dataset, DCTERMS.title)} == {"th", "en"}
        assert graph.value(graph.value(dataset, DCTERMS.publisher), FOAF.name) is not None
        identifiers.add(str(graph.value(dataset, DCTERMS.identifier)))
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) == 2
        for distribution in distributions:
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            access, download = graph.value(distribution, DCAT.accessURL), graph.value(distribution, DCAT.downloadURL)
            assert isinstance(access, URIRef) and isinstance(download, URIRef)
            assert graph.value(distribution, DCAT.mediaType) is not None
            assert graph.value(distribution, DCTERMS["format"]) is not None
            # every download the catalogue names is served
            path = str(download).split("//", 1)[1].split("/", 1)[1]
            assert client.get("/" + path).status_code == 200, download
    assert len(identifiers) == len(datasets)  # a harvester keys datasets by dct:identifier


def test_while_one_visitor_builds_a_new_version_the_others_get_the_previous_one(seeded, django_assert_num_queries):
    from django.utils import timezone

    from reporting.dashboard.models import TambonFigures

    code = seeded.programme.code
    first = programme_data(code)
    TambonFigures.objects.update(refreshed_at=timezone.now() + timezone.timedelta(days=1))  # the data moved on
    cache.delete(f"opendata:version:{code}")  # and the version's 5 minutes are up
    cache.add(f"opendata:building:{code}", 1)  # a visitor is building it right now
    with django_assert_num_queries(2):  # the new version is read; the figures are not rebuilt
        assert programme_data(code)["datasets"] == first["datasets"]
    cache.delete(f"opendata:building:{code}")  # the build is done or gave up: the next visitor builds
    assert programme_data(code)["version"] != first["version"]
