"""Every export writes text as text (issue 11, item 3): hostile names, explanations and activity names planted in
the data come out of every .xlsx / .csv view escaped (OWASP's CSV-injection rule), never as a live formula.

The export views are collected from the URL configuration (every route ending in .xlsx or .csv), so a new
export without a case here fails this test instead of going unchecked."""

import csv
import datetime as dt
import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from pbm.exports import FORMULA_STARTS, needs_escape, safe_cell, unescape
from reporting.dashboard.exports import WIDGETS
from reporting.models import Activity, BudgetCategory, BudgetLine
from tambon.roster.models import Contract, Person
from tests.conftest import fetch
from tests.reporting.helpers import enter_sample
from tests.tambon.roster.conftest import person_row, xlsx_bytes

HOSTILE = {
    "first_name": ' =HYPERLINK("http://evil.example","คลิก")',  # the finding: a leading space passed the check
    "last_name": "\t=1+1",
    "phone": "@SUM(1+1)*cmd|' /C calc'!A0",
    "explanation": "-2+3+cmd|' /C calc'!A0",
    "activity": "+อบรม()",
    "university": "=จุฬา()",
}


def export_routes() -> set[str]:
    names: set[str] = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and str(pattern.pattern).rstrip("$").endswith((".xlsx", ".csv")):
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names


RANGE, KINDS = "?start=01/01/2564&end=31/12/2564", ("labour", "follow-up")  # the hiring chain's files (issue #15)


def export_urls(world, job_pk: int) -> dict[str, list[str]]:
    net, uni, tambon = world.tambon_a.network_id, world.university_a.pk, world.tambon_a.pk
    return {
        "roster_team_export": [reverse("roster_team_export", args=[tambon])],
        "roster_template": [reverse("roster_template", args=[uni])],
        "roster_unit_template": [reverse("roster_unit_template", args=[world.tambon_a.unit.parent_id])],
        "roster_university_export": [reverse("roster_university_export", args=[uni])],
        "roster_national_export": [reverse("roster_national_export")],
        "roster_import_errors": [reverse("roster_import_errors", args=[job_pk])],
        "roster_changes_export": [reverse("roster_changes_export", args=[uni, kind]) + RANGE for kind in KINDS],
        "roster_national_changes_export": [reverse("roster_national_changes_export", args=[k]) + RANGE for k in KINDS],
        "roster_monthly_summary": [reverse("roster_monthly_summary", args=[uni, 2021, 1]) + "?format=xlsx"],
        "budget_export_tambon": [reverse("budget_export_tambon", args=[tambon])],
        "budget_export_university": [reverse("budget_export_university", args=[uni])],
        "dashboard_export": [reverse("dashboard_export", args=[w]) for w in WIDGETS],
        "dashboard_network_export": [reverse("dashboard_network_export", args=[net, w]) for w in WIDGETS],
        "dashboard_university_export": [reverse("dashboard_university_export", args=[net, uni, w]) for w in WIDGETS],
        "dashboard_tambon_export": [reverse("dashboard_tambon_export", args=[net, tambon, w]) for w in WIDGETS],
        "dashboard_unit_export": [
            reverse("dashboard_unit_export", args=[world.tambon_a.unit.parent_id, w]) for w in WIDGETS
        ],  # the university's unit in network 1: its tambons by name
    }


def plant(world) -> None:
    """Hostile text stored as if an earlier version, the admin or another door let it in."""
    enter_sample(world.tambon_a, world.alice)
    person = Person.objects.filter(contracts__tambon=world.tambon_a).first()
    Person.objects.filter(pk=person.pk).update(
        first_name=HOSTILE["first_name"], last_name=HOSTILE["last_name"], phone=HOSTILE["phone"]
    )
    line = BudgetLine.objects.filter(tambon=world.tambon_a, activity__isnull=True).first()
    BudgetLine.objects.filter(pk=line.pk).update(explanation=HOSTILE["explanation"])
    category = BudgetCategory.objects.get(code="2.1")
    activity = Activity.objects.create(tambon=world.tambon_a, category=category, name=HOSTILE["activity"],
                                       start_date=dt.date(2021, 3, 1))  # fmt: skip
    BudgetLine.objects.create(tambon=world.tambon_a, category=category, activity=activity, explanation="=1")
    world.university_a.name_th = HOSTILE["university"]
    world.university_a.save()


def failed_import(client, world, capture) -> int:
    data = io.BytesIO(xlsx_bytes([person_row(1, world.tambon_a, first_name=HOSTILE["first_name"],
                                             last_name="=SUM(A1:A9)")]))  # fmt: skip
    data.name = "roster.xlsx"
    with capture(execute=True):
        client.post(f"/universities/{world.university_a.pk}/roster/", {"file": data})
    from tambon.roster.models import RosterImport

    job = RosterImport.objects.latest("created_at")
    assert job.errors, job.message
    return job.pk


def cells(content: bytes, name: str):
    if name.endswith(".csv"):
        for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
            for value in row:
                yield "s", value
        return
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield cell.data_type, cell.value


def test_every_export_writes_hostile_text_as_text(world, client_for, django_capture_on_commit_callbacks):
    plant(world)
    world.nina.is_superuser = True  # sees and manages everything, full national IDs
    world.nina.save()
    client = client_for(world.nina)
    job = failed_import(client_for(world.mona), world, django_capture_on_commit_callbacks)
    urls = export_urls(world, job)
    assert export_routes() <= set(urls), f"an export without a case here: {export_routes() - set(urls)}"
    seen: set[str] = set()
    for name in sorted(export_routes()):
        for url in urls[name]:
            response = fetch(client, url)
            if response.status_code != 200:
                response = fetch(client_for(world.mona), url)
            assert response.status_code == 200, url
            for data_type, value in cells(response.content, url):
                assert data_type != "f", (url, value)
                if isinstance(value, str):
                    assert not needs_escape(value), (url, value)
                    seen.add(unescape(value).strip())  # the budget indents activity names
    planted = {text.strip() for text in HOSTILE.values()} | {"=SUM(A1:A9)"}
    assert planted <= seen, planted - seen  # each hostile text did come out, escaped


@pytest.mark.parametrize("text", [*(f"{mark}1+1" for mark in FORMULA_STARTS), " =1+1", "  @x", "\u00a0=1"])
def test_safe_cell_escapes_what_a_spreadsheet_would_run(text):
    assert safe_cell(text) == "'" + text and unescape(safe_cell(text)) == text


@pytest.mark.parametrize("value", ["สมชาย", "08-1234-5678", "a=b", 12, -5, None, "'quoted"])
def test_safe_cell_leaves_plain_values_alone(value):
    assert safe_cell(value) == value


@pytest.mark.django_db
def test_an_exported_phone_with_a_plus_imports_back_unchanged(world, client_for):
    from tambon.roster.services import roster_import

    assert roster_import(file=io.BytesIO(xlsx_bytes([person_row(1, world.tambon_a, phone="+66812345678")])),
                         name="r.xlsx").written  # fmt: skip
    data = client_for(world.nina).get(reverse("roster_team_export", args=[world.tambon_a.pk])).content
    assert "'+66812345678" in [c for _t, c in cells(data, "x.xlsx")]
    result = roster_import(file=io.BytesIO(data), name="export.xlsx")
    assert (result.unchanged, result.errors) == (1, [])
    assert Contract.objects.get().person.phone == "+66812345678"
