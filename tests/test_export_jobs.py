"""Exports built in the background (pbm/jobs.py): the old links start a job, its page offers the file to the
requester alone, an unchanged export is served from the file built before, and a job whose worker died is failed
with words and can be started again."""

import datetime as dt
import io

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pbm import jobs
from pbm.models import ExportJob, JobStatus
from tambon.models import Membership
from tambon.roster.demo import national_id
from tambon.roster.services import roster_import
from tests.conftest import fetch
from tests.tambon.roster.conftest import person_row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def hire(world, *numbers):
    rows = [person_row(n, world.tambon_a) for n in numbers]
    assert roster_import(file=io.BytesIO(xlsx_bytes(rows)), name="r.xlsx").written


def start(client, url) -> ExportJob:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.get(url)
    assert response.status_code == 302 and "/exports/" in response.url
    return ExportJob.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


def test_national_export_is_built_once_and_served_again_until_the_roster_changes(world, client_for):
    hire(world, 1)
    client = client_for(world.nora)
    first = start(client, "/roster/export.xlsx")
    assert (first.status, first.reused, first.filename) == (JobStatus.DONE, False, "roster-national.xlsx")
    page = client.get(reverse("export_detail", args=[first.pk])).content.decode()
    assert reverse("export_download", args=[first.pk]) in page
    second = start(client, "/roster/export.xlsx")
    assert (second.status, second.reused, second.file.name) == (JobStatus.DONE, True, first.file.name)
    assert not ExportJob.objects.filter(pk=first.pk).exists()  # superseded by the requester's newer job
    hire(world, 1, 2)
    third = start(client, "/roster/export.xlsx")
    assert (third.reused, third.file.name != first.file.name) == (False, True)
    sheet = load_workbook(io.BytesIO(fetch(client, "/roster/export.xlsx").content)).active
    ids = [sheet.cell(r, 1).value for r in range(4, sheet.max_row + 1)]
    assert len(ids) == 2 and national_id(2) not in ids  # nora does not handle payments: masked


def test_another_persons_job_is_404_even_for_the_nsi_admin(world, client_for):
    job = start(client_for(world.nora), "/roster/export.xlsx")
    for who in (world.nina, world.mona, world.alice):
        for name in ("export_detail", "export_progress", "export_download"):
            assert client_for(who).get(reverse(name, args=[job.pk])).status_code == 404, (who, name)
    assert client_for(None).get(reverse("export_download", args=[job.pk])).status_code == 302


def test_a_job_left_out_of_scope_is_404_to_its_requester(world, client_for):
    client = client_for(world.mona)
    job = start(client, f"/universities/{world.university_a.pk}/roster/export.xlsx")
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 200
    Membership.objects.filter(user=world.mona).delete()
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 404


def test_people_with_different_id_rights_never_share_a_file(world, client_for):
    hire(world, 1)
    masked = start(client_for(world.nora), "/roster/export.xlsx")
    whole = start(client_for(world.nina), "/roster/export.xlsx")
    assert masked.key != whole.key and not whole.reused and masked.file.name != whole.file.name


def test_a_job_whose_worker_died_is_failed_in_thai_and_starts_again(world, client_for, settings):
    settings.JOB_STALE_SECONDS = 30
    client = client_for(world.nora)
    job = ExportJob.objects.create(kind="roster_national", params={"programme": world.programme.pk, "mask": True},
                                   key=jobs.export_key("roster_national", {"programme": world.programme.pk, "mask": True}),
                                   requested_by=world.nora, status=JobStatus.RUNNING,
                                   heartbeat_at=timezone.now() - dt.timedelta(seconds=31))  # fmt: skip
    progress = client.get(reverse("export_progress", args=[job.pk])).json()
    assert (progress["status"], progress["running"]) == ("failed", False)
    assert "หยุด" in progress["message"] and "เริ่มใหม่" in progress["message"]
    page = client.get(reverse("export_detail", args=[job.pk])).content.decode()
    assert reverse("export_restart", args=[job.pk]) in page
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("export_restart", args=[job.pk]))
    again = ExportJob.objects.exclude(pk=job.pk).get()
    assert response.url == reverse("export_detail", args=[again.pk]) and again.status == JobStatus.DONE


def test_a_live_job_is_joined_not_started_twice(world, client_for, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # nothing runs it: the first job stays queued
    client = client_for(world.nora)
    with TestCase.captureOnCommitCallbacks(execute=False):
        first = client.get("/roster/export.xlsx")
        second = client.get("/roster/export.xlsx")
    assert first.url == second.url and ExportJob.objects.count() == 1


def test_reaper_fails_only_stale_running_jobs(world, settings):
    settings.JOB_STALE_SECONDS = 60
    now = timezone.now()
    params = {"programme": world.programme.pk, "mask": True}
    make = lambda status, age: ExportJob.objects.create(kind="roster_national", params=params, key="k",  # noqa: E731
                                                        requested_by=world.nora, status=status,
                                                        heartbeat_at=now - dt.timedelta(seconds=age))  # fmt: skip
    stale, alive, done = make(JobStatus.RUNNING, 61), make(JobStatus.RUNNING, 5), make(JobStatus.DONE, 600)
    assert jobs.jobs_reap() == 1
    assert [ExportJob.objects.get(pk=j.pk).status for j in (stale, alive, done)] == ["failed", "running", "done"]


def test_certificates_come_as_a_background_pdf(world, client_for):
    from tambon.roster.models import Contract
    from tambon.roster.services import work_accept

    hire(world, 1)
    contract = Contract.objects.select_related("hiring_type", "tambon__programme", "person").get()
    for month in range(1, 7):
        work_accept(contracts=[contract], year=2021, month=month, user=None)
    url = f"/universities/{world.university_a.pk}/roster/certificates/"
    response = fetch(client_for(world.mona), url, "post", {"contract": [contract.pk]})
    assert response.content.startswith(b"%PDF") and "certificates-" in response["Content-Disposition"]
    job = ExportJob.objects.get()
    assert client_for(world.alice).get(reverse("export_download", args=[job.pk])).status_code == 404


def test_a_file_the_storage_lost_is_built_again_and_never_a_broken_download(world, client_for):
    """A media folder lost (or restored without the exports): the next export builds the file anew instead of
    lending the lost one, and a download of a job whose file is gone leads to its page, failed in Thai, with
    "start again", which builds a file that downloads."""
    hire(world, 1)
    client = client_for(world.nora)
    first = start(client, "/roster/export.xlsx")
    first.file.storage.delete(first.file.name)
    second = start(client, "/roster/export.xlsx")
    assert (second.status, second.reused) == (JobStatus.DONE, False)
    assert second.file.storage.exists(second.file.name)
    assert client.get(reverse("export_download", args=[second.pk])).status_code == 200

    second.file.storage.delete(second.file.name)
    response = client.get(reverse("export_download", args=[second.pk]))
    assert response.status_code == 302 and response.url == reverse("export_detail", args=[second.pk])
    page = client.get(response.url).content.decode()
    assert "ไม่มีอยู่แล้ว" in page and reverse("export_restart", args=[second.pk]) in page
    assert client.get(reverse("export_progress", args=[second.pk])).json()["status"] == "failed"
    with TestCase.captureOnCommitCallbacks(execute=True):
        again = client.post(reverse("export_restart", args=[second.pk]))
    job = ExportJob.objects.get(pk=int(again.url.rstrip("/").rsplit("/", 1)[1]))
    assert (job.status, job.reused) == (JobStatus.DONE, False)
    download = client.get(reverse("export_download", args=[job.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
