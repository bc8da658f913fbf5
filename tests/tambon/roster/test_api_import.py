"""A roster import through the API (issue #17): upload, progress and preview, confirm — the upload page's job."""

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from api_clients.services import api_client_create
from tambon.roster.models import Contract, ImportStatus, RosterImport
from tests.tambon.roster.conftest import person_row, xlsx_bytes


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_upload_preview_and_confirm_through_the_api(world, django_capture_on_commit_callbacks):
    api = api_as(world.mona)
    sheet = xlsx_bytes([person_row(n, world.tambon_a) for n in range(1, 4)] + [person_row(9, world.tambon_b)])
    upload = SimpleUploadedFile("roster.xlsx", sheet)
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(f"/api/v1/universities/{world.university_a.pk}/roster/imports/", {"file": upload},
                          format="multipart", HTTP_IDEMPOTENCY_KEY="u1")  # fmt: skip
    assert answer.status_code == 202, answer.json()
    job = RosterImport.objects.get()
    shown = api.get(f"/api/v1/roster/imports/{job.pk}/").json()
    assert shown["status"] == ImportStatus.FAILED  # a row of another university's tambon: preview says which
    assert shown["error_count"] == 1 and any(p["errors"] for p in shown["preview"])
    assert api.get(f"/api/v1/roster/imports/{job.pk}/?show=errors").json()["preview"]
    assert api.get(f"/api/v1/roster/imports/{job.pk}/?show=x").status_code == 400
    refused = api.post(f"/api/v1/roster/imports/{job.pk}/confirm/")
    assert refused.status_code == 400 and refused.json()["errors"][0]["rule"] == "wrong_status"

    good = SimpleUploadedFile("roster.xlsx", xlsx_bytes([person_row(n, world.tambon_a) for n in range(1, 4)]))
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(f"/api/v1/universities/{world.university_a.pk}/roster/imports/", {"file": good},
                          format="multipart")  # fmt: skip
    job = RosterImport.objects.get(pk=answer.json()["id"])
    assert api.get(f"/api/v1/roster/imports/{job.pk}/").json()["status"] == ImportStatus.PREVIEW
    assert not Contract.objects.exists()  # nothing is written before the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api.post(f"/api/v1/roster/imports/{job.pk}/confirm/", HTTP_IDEMPOTENCY_KEY="c1")
    assert confirmed.status_code == 202
    with django_capture_on_commit_callbacks(execute=True):
        again = api.post(f"/api/v1/roster/imports/{job.pk}/confirm/", HTTP_IDEMPOTENCY_KEY="c1")
    assert again.json() == confirmed.json()  # the retry is answered from the first, not refused as "done"
    assert api.get(f"/api/v1/roster/imports/{job.pk}/").json()["status"] == ImportStatus.DONE
    assert Contract.objects.filter(tambon=world.tambon_a).count() == 3


def test_the_api_refuses_what_the_upload_page_refuses(world):
    not_a_workbook = SimpleUploadedFile("roster.xlsx", b"name,id\n")
    refused = api_as(world.mona).post(f"/api/v1/universities/{world.university_a.pk}/roster/imports/",
                                      {"file": not_a_workbook}, format="multipart")  # fmt: skip
    assert refused.status_code == 400
    assert [(e["field"], e["rule"]) for e in refused.json()["errors"]] == [("file", "not_a_workbook")]
    reporter = api_as(world.alice).post(f"/api/v1/universities/{world.university_a.pk}/roster/imports/",
                                        {"file": not_a_workbook}, format="multipart")  # fmt: skip
    assert reporter.status_code == 403
    _client, key = api_client_create(user=world.mona, name="Payroll", university=world.university_a)
    keyed = APIClient()
    keyed.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert keyed.post(f"/api/v1/universities/{world.university_a.pk}/roster/imports/", {"file": not_a_workbook},
                      format="multipart").status_code == 403  # fmt: skip
    assert not RosterImport.objects.exists()
