"""Completion reports with photos and quarterly assessments through the API, and their review (issue #17)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from assessment.models import Goal, TambonAssessment
from pbm.models import ReviewStatus
from reporting.deadlines.models import CompletionReport
from tests.api.test_writes import PNG
from tests.assessment.helpers import make_activity


def api_as(user, language="en") -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    return client


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_completion_report_with_photos_filed_and_accepted(world):
    activity = make_activity(world.tambon_a, "Market day")
    alice, carol = api_as(world.alice), api_as(world.carol)
    url = f"/api/v1/activities/{activity.pk}/completion/"
    future = alice.post(url, {"version": 0, "completed_on": "2099-01-01"}, format="json")
    assert future.status_code == 400 and "future" in future.json()["detail"]
    no_photo = alice.post(url, {"version": 0, "completed_on": "2021-03-05", "results": "Sold out",
                                "participants": {"persons": 120}, "submit": True}, format="json")  # fmt: skip
    assert no_photo.status_code == 400
    assert {e["rule"] for e in no_photo.json()["errors"]} == {"files_required"}
    assert not CompletionReport.objects.exists()  # the refused submit wrote nothing, not even the completion
    filed = alice.post(url, {"version": "0", "completed_on": "2021-03-05", "results": "Sold out",
                             "participants": '{"persons": 120}', "submit": "true",
                             "files": [SimpleUploadedFile("market.png", PNG, content_type="image/png")]},
                       format="multipart", HTTP_IDEMPOTENCY_KEY="c1")  # fmt: skip
    assert filed.status_code == 200, filed.json()
    assert filed.json()["status"] == "submitted" and filed.json()["files"] == 1
    assert filed.json()["due_on"] == str(dt.date(2021, 3, 5) + dt.timedelta(days=7))
    review = f"/api/v1/activities/{activity.pk}/completion/review/"
    assert api_as(world.dave).post(review, {"version": filed.json()["version"], "action": "accept"},
                                   format="json").status_code == 404  # fmt: skip
    accepted = carol.post(review, {"version": filed.json()["version"], "action": "accept"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"


def test_a_tambon_assessment_saved_submitted_returned_and_accepted(world):
    quarter = "2021-Q1"
    alice, carol = api_as(world.alice), api_as(world.carol)
    url = f"/api/v1/tambons/{world.tambon_a.pk}/assessments/{quarter}/file/"
    goals = list(Goal.objects.filter(programme=world.programme).order_by("number"))
    unknown = alice.post(url, {"version": 0, "goals": [{"goal": 99, "met": True}]}, format="json")
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "goals.0"
    missing_evidence = alice.post(url, {"version": 0, "goals": [{"goal": goals[0].number, "met": True}],
                                        "submit": True}, format="json")  # fmt: skip
    assert missing_evidence.status_code == 400 and "no evidence" in missing_evidence.json()["detail"]
    assert not TambonAssessment.objects.filter(status=ReviewStatus.SUBMITTED).exists()
    saved = alice.post(url, {"version": 0, "goals": [{"goal": g.number, "met": g.number <= 3,
                                                      "evidence": "photos" if g.number <= 3 else ""} for g in goals],
                             "notes": "Q1", "submit": True}, format="json", HTTP_IDEMPOTENCY_KEY="a1")  # fmt: skip
    assert saved.status_code == 200, saved.json()
    body = saved.json()
    assert body["status"] == "submitted" and body["goals_met"] == 3
    review = f"/api/v1/assessments/tambon/{body['id']}/review/"
    returned = carol.post(review, {"version": body["version"], "action": "return", "reason": "Goal 2: which photos?"},
                          format="json")  # fmt: skip
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    stale = alice.post(url, {"version": body["version"], "notes": "again", "submit": True}, format="json")
    assert stale.status_code == 409 and stale.json()["errors"][0]["rule"] == "stale_version"
    resubmitted = alice.post(url, {"version": returned.json()["version"], "notes": "Q1, photos listed",
                                   "submit": True}, format="json")  # fmt: skip
    assert resubmitted.status_code == 200 and resubmitted.json()["status"] == "submitted"
    accepted = carol.post(review, {"version": resubmitted.json()["version"], "action": "accept"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
