"""The import reads the workbook once: the confirmation writes what the preview checked, without the file; it
compares with the database again only when the roster changed since the preview."""

import io

import pytest
from django.core.files.base import ContentFile

from tambon.roster.models import CheckedRows, Contract, ImportStatus, Person, RosterImport
from tambon.roster.services import roster_import

from .conftest import person_row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def preview(client, world, rows, django_capture_on_commit_callbacks) -> RosterImport:
    data = io.BytesIO(xlsx_bytes(rows))
    data.name = "roster.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/universities/{world.university_a.pk}/roster/", {"file": data})
    job = RosterImport.objects.get()
    assert job.status == ImportStatus.PREVIEW, job.message
    return job


def confirm(client, job, django_capture_on_commit_callbacks) -> RosterImport:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/roster/imports/{job.pk}/confirm/")
    job.refresh_from_db()
    return job


def test_confirm_writes_the_checked_rows_without_the_file(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.mona)
    job = preview(client, world, [person_row(n, world.tambon_a) for n in range(1, 4)],
                  django_capture_on_commit_callbacks)  # fmt: skip
    assert len(CheckedRows.objects.get(roster_import=job).rows) == 3
    # The stored sheet is replaced by junk: a confirmation that read it again would fail.
    job.file.storage.delete(job.file.name)
    job.file.storage.save(job.file.name, ContentFile(b"not a workbook"))
    job = confirm(client, job, django_capture_on_commit_callbacks)
    assert (job.status, job.new_count, Contract.objects.filter(tambon=world.tambon_a).count()) == ("done", 3, 3)
    assert sorted(Person.objects.values_list("first_name", flat=True)) == ["ชื่อ1", "ชื่อ2", "ชื่อ3"]
    assert not CheckedRows.objects.exists()  # written: the kept rows are gone


def test_a_person_hired_elsewhere_after_the_preview_is_a_row_error_and_nothing_is_written(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.mona)
    job = preview(client, world, [person_row(1, world.tambon_a), person_row(2, world.tambon_a)],
                  django_capture_on_commit_callbacks)  # fmt: skip
    assert roster_import(file=io.BytesIO(xlsx_bytes([person_row(2, world.tambon_b)])), name="other.xlsx").written
    job = confirm(client, job, django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.FAILED and [e["row"] for e in job.errors] == [4]  # title, header, 1, 2
    assert world.tambon_b.subdistrict.name_th in job.errors[0]["message"]  # names where the person is hired
    assert Contract.objects.filter(tambon=world.tambon_a).count() == 0


def test_an_unchanged_row_stays_unchanged_through_the_kept_rows(world, client_for, django_capture_on_commit_callbacks):
    assert roster_import(file=io.BytesIO(xlsx_bytes([person_row(1, world.tambon_a)])), name="first.xlsx").written
    client = client_for(world.mona)
    job = preview(client, world, [person_row(1, world.tambon_a), person_row(2, world.tambon_a, phone="0812345678")],
                  django_capture_on_commit_callbacks)  # fmt: skip
    job = confirm(client, job, django_capture_on_commit_callbacks)
    assert (job.status, job.new_count, job.unchanged_count) == ("done", 1, 1)
    assert Person.objects.get(national_id=person_row(2, world.tambon_a)["national_id"]).phone == "0812345678"
