"""The hiring sheet of a programme of the unit tree (Tambon Smart Team): its district officers upload it on their
district's roster page, see the preview, confirm, and the contracts are written by the same job as U2T's; a row of
a tambon outside their district is refused, naming it, and nothing is written. The U2T path is the same code
(tests/tambon/roster/test_import.py, test_views.py keep its behaviour)."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tambon.models import HiringType, Programme, Tambon, Unit, User
from tambon.roster.models import Contract, RosterImport
from tambon.roster.services import roster_import, unit_owner
from tambon.roster.services.jobs import roster_import_run
from tests.tambon.roster.conftest import person_row, xlsx_bytes

pytestmark = pytest.mark.django_db

SMART = "tambon-smart-team-2565"


@pytest.fixture
def smart(db) -> Programme:
    call_command("seed_demo", "--programme", SMART, stdout=StringIO())
    return Programme.objects.get(code=SMART)


def district(code: str) -> Unit:
    return Unit.objects.select_related("programme", "level").get(programme__code=SMART, depth=2, code=code)


def tambon_under(code: str) -> Tambon:
    return Tambon.objects.filter(programme__code=SMART, unit__parent__code=code).order_by("pk").first()


def reserve_row(n: int, tambon: Tambon, rank: int = 1) -> dict:
    """A reserve (holds no place, so the demo's full teams take it) with the programme's own type and dates."""
    start = tambon.programme.start_date
    return person_row(n, tambon, hiring_type=HiringType.objects.get(programme=tambon.programme).name_th,
                      start_date=f"{start.day:02d}/{start.month:02d}/{start.year + 543}", status="สำรอง",
                      reserve_rank=str(rank))  # fmt: skip


def officer() -> User:
    return User.objects.get(username="tambon-smart-team-d1101")


# --- the service ---------------------------------------------------------------------------------------------


def test_a_row_of_another_district_is_refused_naming_the_tambon_and_nothing_is_written(smart):
    mine, theirs = tambon_under("1101"), tambon_under("1102")
    before = Contract.objects.count()
    sheet = xlsx_bytes([reserve_row(901, mine), reserve_row(902, theirs)])
    with translation.override("th"):
        result = roster_import(file=io.BytesIO(sheet), name="r.xlsx", programme=smart,
                               owner=unit_owner(district("1101"), officer()))  # fmt: skip
    assert [e.row for e in result.errors] == [4] and not result.written  # the second person (title, headers first)
    message = result.errors[0].message
    assert message.startswith(f"ตำบล {theirs.subdistrict_id} (") and "ไม่อยู่ในอำเภอ" in message, message
    assert Contract.objects.count() == before


def test_the_district_officers_own_tambons_are_written(smart):
    mine = [tambon_under("1101"), Tambon.objects.filter(programme=smart, unit__parent__code="1101").last()]
    sheet = xlsx_bytes([reserve_row(901, mine[0]), reserve_row(902, mine[1], rank=2)])
    result = roster_import(file=io.BytesIO(sheet), name="r.xlsx", programme=smart,
                           owner=unit_owner(district("1101"), officer()))  # fmt: skip
    assert not result.errors and result.written and result.new == 2
    assert Contract.objects.filter(tambon__in=mine, person__first_name__in=["ชื่อ901", "ชื่อ902"]).count() == 2


# --- the pages: upload, preview, confirm, as U2T's -------------------------------------------------------------


def test_the_district_officer_uploads_previews_and_confirms(smart, client_for):
    unit, tambon = district("1101"), tambon_under("1101")
    client = client_for(officer())
    page = client.get(reverse("roster_unit", args=[unit.pk]))
    assert page.status_code == 200 and reverse("roster_unit_template", args=[unit.pk]) in page.content.decode()
    template = client.get(reverse("roster_unit_template", args=[unit.pk]))
    assert template["Content-Disposition"].endswith(f'"{SMART}-roster-template.xlsx"')
    cells = [str(c.value) for ws in load_workbook(io.BytesIO(template.content)) for row in ws.iter_rows() for c in row]
    cells += [
        str(v.formula1)
        for ws in load_workbook(io.BytesIO(template.content))
        for v in ws.data_validations.dataValidation
    ]
    assert any("Tambon Smart Team" in c for c in cells)  # the programme's hiring type, not U2T's

    upload = io.BytesIO(xlsx_bytes([reserve_row(901, tambon)]))
    upload.name = "smart.xlsx"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("roster_unit", args=[unit.pk]), {"file": upload})
    job = RosterImport.objects.get()
    assert response.url == reverse("roster_import_detail", args=[job.pk])
    assert job.unit == unit and job.university is None
    job.refresh_from_db()
    assert job.status == "preview" and job.new_count == 1, job.message
    detail = client.get(response.url).content.decode()
    assert (
        reverse("roster_unit", args=[unit.pk]) in detail and reverse("roster_import_confirm", args=[job.pk]) in detail
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("roster_import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done", job.message
    assert Contract.objects.get(person__first_name="ชื่อ901").tambon == tambon
    assert job in client.get(reverse("roster_unit", args=[unit.pk])).context["imports"]


def test_an_import_of_another_district_is_not_found_and_a_reviewer_is_refused(smart, client_for):
    unit, tambon = district("1101"), tambon_under("1101")
    job = RosterImport.objects.create(unit=unit, original_name="r.xlsx", created_by=officer())
    job.file.save("r.xlsx", io.BytesIO(xlsx_bytes([reserve_row(901, tambon)])))
    roster_import_run(roster_import=job, confirm=False)
    other = client_for(User.objects.get(username="tambon-smart-team-d1102"))
    reviewer = client_for(User.objects.get(username="tambon-smart-team-p11"))
    for name in ("roster_import_detail", "roster_import_progress"):
        url = reverse(name, args=[job.pk])
        assert other.get(url).status_code == 404 and reviewer.get(url).status_code == 403
        assert client_for(officer()).get(url).status_code == 200
    for url in (reverse("roster_unit", args=[unit.pk]), reverse("roster_unit_template", args=[unit.pk])):
        assert other.get(url).status_code == 404 and reviewer.get(url).status_code == 403
    confirm = reverse("roster_import_confirm", args=[job.pk])
    assert other.post(confirm).status_code == 404 and reviewer.post(confirm).status_code == 403
    api = reverse("api_roster_import", args=[job.pk])
    assert other.get(api).status_code == 404 and reviewer.get(api).status_code == 404
    assert client_for(officer()).get(api).json()["unit"] == unit.pk
    job.refresh_from_db()
    assert job.status == "preview"  # nobody else confirmed it


def test_the_dashboard_and_team_page_link_the_import_for_roster_managers_only(smart, client_for):
    unit, tambon = district("1101"), tambon_under("1101")
    door = reverse("roster_unit", args=[unit.pk])
    team_door = reverse("roster_unit", args=[tambon.unit_id])
    for user, shown in ((officer(), True), (User.objects.get(username="tambon-smart-team-p11"), False)):
        client = client_for(user)
        dashboard = client.get(reverse("dashboard_unit", args=[unit.pk])).content.decode()
        team = client.get(reverse("roster_team", args=[tambon.pk])).content.decode()
        assert (door in dashboard) is shown and (team_door in team) is shown
    assert client_for(officer()).get(team_door).status_code == 200


def test_the_api_uploads_a_units_sheet_for_its_officer_only(smart, client_for):
    unit, tambon = district("1101"), tambon_under("1101")
    url = reverse("api_roster_unit_import_upload", args=[unit.pk])

    def post(user: User):
        upload = io.BytesIO(xlsx_bytes([reserve_row(901, tambon)]))
        upload.name = "smart.xlsx"
        with TestCase.captureOnCommitCallbacks(execute=True):
            return client_for(user).post(url, {"file": upload})

    assert post(User.objects.get(username="tambon-smart-team-p11")).status_code == 403
    assert post(User.objects.get(username="tambon-smart-team-d1102")).status_code == 404
    response = post(officer())
    assert response.status_code == 202 and response.json()["unit"] == unit.pk
    assert RosterImport.objects.get().status == "preview"
