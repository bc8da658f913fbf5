"""The hiring rules (issue 11, item 1): the programme's quota per hiring type per tambon and wage per type, and
a maximum length for every text, at every door that makes a contract: import, replacement, admin."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.urls import reverse

from tambon.models import HiringType
from tambon.roster.models import Contract, ImportStatus, Person, RosterImport
from tambon.roster.services import contract_replace, contract_resign, roster_import
from tambon.roster.services import importer as importer_module

from . import hostile
from .conftest import person_row, xlsx_bytes

STUDENT, CITIZEN = "นักศึกษา", "ประชาชน"


def run(rows, **kwargs):
    return roster_import(file=io.BytesIO(xlsx_bytes(rows)), name="roster.xlsx", **kwargs)


def hiring_type(world, code: str) -> HiringType:
    return HiringType.objects.get(programme=world.programme, code=code)


def full_team(world, tambon, first: int = 1) -> list[dict]:
    """The programme's quota of every type in one tambon (5 + 10 + 5 in U2T 2564), read from the data."""
    rows, n = [], first
    for t in HiringType.objects.filter(programme=world.programme):
        for _ in range(t.quota_per_tambon):
            rows.append(person_row(n, tambon, hiring_type=t.name_th,
                                   graduated_on="31/03/2563" if t.code == "graduate" else ""))  # fmt: skip
            n += 1
    return rows


@pytest.mark.django_db
def test_twelve_students_against_a_quota_of_five_are_refused_by_row(world):
    quota = hiring_type(world, "student").quota_per_tambon
    result = run([person_row(n, world.tambon_a, hiring_type=STUDENT) for n in range(1, 13)])
    assert len(result.errors) == 12 - quota
    assert {e.row for e in result.errors} == set(range(3 + quota, 15))  # the rows past the quota, in sheet order
    message = str(result.errors[0])
    assert "ประเภทการจ้าง" in message and STUDENT in message and f"allows {quota}" in message
    assert f"make {quota + 1} hired on 01/01/2564" in message
    assert not result.written and Contract.objects.count() == 0


@pytest.mark.django_db
def test_twenty_five_more_in_a_tambon_that_has_its_twenty_are_refused(world):
    team = full_team(world, world.tambon_a)
    assert run(team).written and len(team) == 20
    more = [person_row(100 + n, world.tambon_a, hiring_type=(CITIZEN, STUDENT)[n % 2]) for n in range(25)]
    result = run(more)
    assert len(result.errors) == 25 and not result.written
    assert Contract.objects.filter(tambon=world.tambon_a, status="active").count() == 20
    # The same 25 as reserves are welcome: reserves hold no place.
    assert run([{**row, "status": "สำรอง"} for row in more]).written


@pytest.mark.django_db
def test_reexporting_a_full_team_imports_back_unchanged(world, client_for):
    assert run(full_team(world, world.tambon_a)).written
    data = client_for(world.nina).get(reverse("roster_team_export", args=[world.tambon_a.pk])).content
    result = roster_import(file=io.BytesIO(data), name="export.xlsx")
    assert (result.unchanged, result.errors) == (20, [])


@pytest.mark.django_db
def test_a_resigned_persons_place_is_free_from_the_day_after_the_last_working_day(world):
    assert run([person_row(n, world.tambon_a) for n in range(1, 6)]).written
    contract_resign(contract=Contract.objects.get(person__national_id=person_row(1, world.tambon_a)["national_id"]),
                    notice_date=dt.date(2021, 2, 1), last_day=dt.date(2021, 3, 31))  # fmt: skip
    on_last_day = run([person_row(6, world.tambon_a, start_date="31/03/2564")])
    assert len(on_last_day.errors) == 1 and "hired on 31/03/2564" in str(on_last_day.errors[0])
    assert run([person_row(6, world.tambon_a, start_date="01/04/2564")]).written


@pytest.mark.django_db
def test_a_contract_ended_before_the_start_leaves_its_place_free(world):
    rows = [person_row(n, world.tambon_a, end_date="31/03/2564") for n in range(1, 6)]
    assert run(rows).written
    assert run([person_row(n, world.tambon_a, start_date="01/04/2564") for n in range(6, 11)]).written
    late = run([person_row(11, world.tambon_a, start_date="01/03/2564")])
    assert len(late.errors) == 1


@pytest.mark.django_db
def test_swapping_a_hired_person_and_a_reserve_at_the_quota_is_allowed(world):
    rows = [person_row(n, world.tambon_a) for n in range(1, 6)] + [person_row(6, world.tambon_a, status="สำรอง")]
    assert run(rows).written
    rows[0]["status"], rows[5]["status"] = "สำรอง", "จ้างงาน"
    result = run(rows)
    assert result.errors == [] and result.updated == 2


@pytest.mark.django_db
def test_a_wage_that_contradicts_the_hiring_type_is_a_row_error(world):
    rate = hiring_type(world, "student").monthly_rate
    result = run([person_row(1, world.tambon_a, hiring_type=STUDENT, monthly_wage=15000),
                  person_row(2, world.tambon_a, hiring_type=STUDENT, monthly_wage=f"{rate:,.0f} บาท")])  # fmt: skip
    assert len(result.errors) == 1 and result.errors[0].row == 3
    message = str(result.errors[0])
    assert "ค่าจ้างต่อเดือน" in message and "15,000" in message and f"({rate:,.0f} baht a month)" in message
    assert Contract.objects.count() == 0


@pytest.mark.django_db
def test_a_wage_column_under_the_universities_own_header_is_read(world):
    headers = [*importer_module.COLUMN_BY_KEY]
    from tambon.roster.sheet import COLUMNS

    names = [c.header for c in COLUMNS][:-1] + ["ค่าจ้าง"]
    row = person_row(1, world.tambon_a, monthly_wage="9,999")
    result = roster_import(file=io.BytesIO(xlsx_bytes([[row.get(k, "") for k in headers]], headers=names)),
                           name="r.xlsx")  # fmt: skip
    assert len(result.errors) == 1 and "9,999" in str(result.errors[0]) and result.unknown_columns == []


@pytest.mark.django_db
def test_a_100000_character_name_is_a_row_error(world):
    data = hostile.workbook(hostile.sheet_rows([hostile.person(1, first_name="ก" * 100_000), hostile.person(2)]))
    result = roster_import(file=io.BytesIO(data), name="long.xlsx")
    assert len(result.errors) == 1
    message = str(result.errors[0])
    assert "Row 3" in message and "ชื่อ" in message and "100,000 characters" in message and "at most 100" in message
    assert Person.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("name", ['=HYPERLINK("http://x","y")', " =1+1", "\t=1+1", "+1+1", "@SUM(A1)", "-1+1"])
def test_a_name_that_a_spreadsheet_would_read_as_a_formula_is_refused(world, name):
    result = run([person_row(1, world.tambon_a, last_name=name)])
    assert len(result.errors) == 1 and "นามสกุล" in str(result.errors[0])
    assert Person.objects.count() == 0


def upload_and_confirm(client, world, rows, capture) -> RosterImport:
    data = io.BytesIO(rows if isinstance(rows, bytes) else xlsx_bytes(rows))
    data.name = "roster.xlsx"
    with capture(execute=True):
        client.post(f"/universities/{world.university_a.pk}/roster/", {"file": data})
    job = RosterImport.objects.latest("created_at")
    with capture(execute=True):
        client.post(f"/roster/imports/{job.pk}/confirm/")
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_a_job_that_breaks_while_writing_ends_failed_with_words(world, client_for, monkeypatch,
                                                                 django_capture_on_commit_callbacks):  # fmt: skip
    def broken(checked, progress=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer_module, "_write", broken)
    job = upload_and_confirm(client_for(world.mona), world, [person_row(1, world.tambon_a)],
                             django_capture_on_commit_callbacks)  # fmt: skip
    assert job.status == ImportStatus.FAILED and "ไม่มีข้อมูลใดถูกบันทึก" in job.message  # nothing written (Thai)
    assert not job.is_running and Person.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_database_error_while_writing_ends_the_job_failed_on_postgresql(world, client_for, monkeypatch,
                                                                           django_capture_on_commit_callbacks):  # fmt: skip
    """The finding: a 100,000-character name reached PostgreSQL's varchar(100); the job stayed "writing"."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    monkeypatch.setitem(importer_module.CELL_LIMITS, "first_name", 1_000_000)  # let it reach the database
    client = client_for(world.mona)
    job = upload_and_confirm(client, world, hostile.long_name(), django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.FAILED and "ไม่มีข้อมูลใดถูกบันทึก" in job.message
    assert Person.objects.count() == 0
    assert client.get(f"/roster/imports/{job.pk}/progress/").json()["status"] == "failed"


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_100000_character_name_is_a_row_error_on_postgresql_too(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    result = roster_import(file=io.BytesIO(hostile.long_name()), name="long.xlsx")
    assert len(result.errors) == 1 and "100,000 characters" in str(result.errors[0])


@pytest.mark.django_db
def test_a_replacement_that_would_pass_the_quota_is_refused(world):
    assert run([person_row(n, world.tambon_a) for n in range(1, 6)]
               + [person_row(9, world.tambon_a, status="สำรอง", reserve_rank=1)]).written  # fmt: skip
    ended = contract_resign(contract=Contract.objects.filter(status="active").first(),
                            notice_date=dt.date(2021, 2, 1), last_day=dt.date(2021, 3, 31))  # fmt: skip
    assert run([person_row(6, world.tambon_a, start_date="01/04/2564")]).written  # the place was taken meanwhile
    reserve = Contract.objects.get(status="reserve")
    with pytest.raises(Exception) as refused:
        contract_replace(ended=ended, reserve=reserve, start_date=dt.date(2021, 4, 2))
    assert "allows 5" in " ".join(refused.value.messages)
    assert Contract.objects.get(pk=reserve.pk).status == "reserve"


@pytest.mark.django_db
def test_a_replacement_within_the_quota_is_made(world):
    assert run([person_row(n, world.tambon_a) for n in range(1, 6)]
               + [person_row(9, world.tambon_a, status="สำรอง", reserve_rank=1)]).written  # fmt: skip
    ended = contract_resign(contract=Contract.objects.filter(status="active").first(),
                            notice_date=dt.date(2021, 2, 1), last_day=dt.date(2021, 3, 31))  # fmt: skip
    hired = contract_replace(ended=ended, reserve=Contract.objects.get(status="reserve"),
                             start_date=dt.date(2021, 4, 1))  # fmt: skip
    assert hired.status == "active"


@pytest.mark.django_db
def test_a_resignation_reason_has_a_maximum_length(world):
    assert run([person_row(1, world.tambon_a)]).written
    with pytest.raises(Exception) as refused:
        contract_resign(contract=Contract.objects.get(), notice_date=dt.date(2021, 2, 1),
                        last_day=dt.date(2021, 3, 31), reason="x" * 5000)  # fmt: skip
    assert "at most 2,000" in " ".join(refused.value.messages)


@pytest.mark.django_db
def test_the_admin_refuses_a_contract_over_the_quota(world, client_for):
    assert run([person_row(n, world.tambon_a, hiring_type=STUDENT) for n in range(1, 6)]).written
    person = Person.objects.create(national_id=person_row(50, world.tambon_a)["national_id"], first_name="ก",
                                   last_name="ข")  # fmt: skip
    world.nina.is_staff = world.nina.is_superuser = True
    world.nina.save()
    form = {"person": person.pk, "tambon": world.tambon_a.pk, "hiring_type": hiring_type(world, "student").pk,
            "status": "active", "start_date": "2021-02-01", "track": "tambon"}  # fmt: skip
    response = client_for(world.nina).post(reverse("admin:tambon_contract_add"), form)
    assert response.status_code == 200 and "ได้ไม่เกิน 5 คนต่อตำบล" in response.content.decode()  # the admin is Thai
    assert not Contract.objects.filter(person=person).exists()
    form["status"] = "reserve"
    response = client_for(world.nina).post(reverse("admin:tambon_contract_add"), form)
    assert response.status_code == 302 and Contract.objects.filter(person=person, status="reserve").exists()
