"""Writes through the API: the same services and rules as the pages, versions, Idempotency-Key, structured errors
in the caller's language (issue #17, item 1)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from knox.models import AuthToken
from rest_framework.test import APIClient

from pbm.models import ReviewEvent, ReviewStatus
from reporting.models import Activity, Evidence, MonthlyReport
from tambon.models import Role
from tests.conftest import _member
from tests.reporting.helpers import enter_sample_plan

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")  # fmt: skip


def token_client(user, language: str | None = None) -> APIClient:
    _instance, token = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}", **({"HTTP_ACCEPT_LANGUAGE": language} if language else {}))
    return client


def file_url(tambon, month=1):
    return f"/api/v1/tambons/{tambon.pk}/reports/{tambon.programme.start_date.year}/{month}/file/"


def review_url(tambon, month=1):
    return f"/api/v1/tambons/{tambon.pk}/reports/{tambon.programme.start_date.year}/{month}/review/"


@pytest.fixture
def planned(world):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    return world, lines


def test_a_month_filed_submitted_returned_resubmitted_and_accepted(planned):
    world, lines = planned
    alice, carol = token_client(world.alice, "en"), token_client(world.carol, "en")
    line = lines["2.1"]

    # save with an evidence file (multipart: actuals as a JSON string), then submit
    saved = alice.post(file_url(world.tambon_a), {
        "version": 0, "actuals": f'{{"{line.pk}": "30000.00"}}', "narrative": "Market days held",
        "evidence": [SimpleUploadedFile("photo.png", PNG, content_type="image/png")],
    }, format="multipart", HTTP_IDEMPOTENCY_KEY="save-1")  # fmt: skip
    assert saved.status_code == 200, saved.json()
    assert saved.json()["status"] == "draft"
    assert Evidence.objects.filter(report__tambon=world.tambon_a).count() == 1
    version = saved.json()["version"]

    # the same request again (a retry after a lost answer) does nothing and answers the same
    again = alice.post(file_url(world.tambon_a), {
        "version": 0, "actuals": f'{{"{line.pk}": "30000.00"}}', "narrative": "Market days held",
        "evidence": [SimpleUploadedFile("photo.png", PNG, content_type="image/png")],
    }, format="multipart", HTTP_IDEMPOTENCY_KEY="save-1")  # fmt: skip
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == saved.json()
    assert Evidence.objects.filter(report__tambon=world.tambon_a).count() == 1

    submitted = alice.post(file_url(world.tambon_a), {"version": version, "actuals": {str(line.pk): "30000.00"},
                           "narrative": "Market days held", "submit": True}, format="json",
                           HTTP_IDEMPOTENCY_KEY="submit-1")  # fmt: skip
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"

    # a locked month is refused as on the page, naming the rule
    locked = alice.post(file_url(world.tambon_a), {"version": submitted.json()["version"], "narrative": "x"},
                        format="json")  # fmt: skip
    assert locked.status_code == 400
    assert locked.json()["errors"][0]["rule"] == "month_locked"

    # the reviewer returns it: a reason is required, a stale version is a 409
    no_reason = carol.post(review_url(world.tambon_a), {"version": submitted.json()["version"], "action": "return"},
                           format="json")  # fmt: skip
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"] == [{"field": "reason", "rule": "reason_required", "message": (
        "Say why the report is returned, so the reporter knows what to fix.")}]  # fmt: skip
    stale = carol.post(review_url(world.tambon_a), {"version": 0, "action": "accept"}, format="json")
    assert stale.status_code == 409 and stale.json()["errors"][0]["field"] == "version"
    returned = carol.post(review_url(world.tambon_a), {"version": submitted.json()["version"], "action": "return",
                          "reason": "Attach the receipts"}, format="json", HTTP_IDEMPOTENCY_KEY="r1")  # fmt: skip
    assert returned.status_code == 200, returned.json()
    assert returned.json()["status"] == "returned"
    replay = carol.post(review_url(world.tambon_a), {"version": submitted.json()["version"], "action": "return",
                        "reason": "Attach the receipts"}, format="json", HTTP_IDEMPOTENCY_KEY="r1")  # fmt: skip
    assert replay.json() == returned.json()
    assert ReviewEvent.objects.filter(action="returned").count() == 1

    # the reporter corrects and resubmits; the reviewer accepts
    resubmitted = alice.post(file_url(world.tambon_a), {"version": returned.json()["version"],
                             "narrative": "Market days held; receipts attached", "submit": True}, format="json")  # fmt: skip
    assert resubmitted.json()["status"] == "submitted", resubmitted.json()
    accepted = carol.post(review_url(world.tambon_a), {"version": resubmitted.json()["version"], "action": "accept"},
                          format="json")  # fmt: skip
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert MonthlyReport.objects.get(tambon=world.tambon_a, month=1).status == ReviewStatus.ACCEPTED


def test_an_idempotency_key_reused_for_another_request_is_refused(planned):
    world, _lines = planned
    alice = token_client(world.alice, "en")
    first = alice.post(file_url(world.tambon_a), {"version": 0, "narrative": "a"}, format="json",
                       HTTP_IDEMPOTENCY_KEY="k")  # fmt: skip
    assert first.status_code == 200
    other = alice.post(file_url(world.tambon_a, 2), {"version": 0, "narrative": "b"}, format="json",
                       HTTP_IDEMPOTENCY_KEY="k")  # fmt: skip
    assert other.status_code == 409
    assert other.json()["errors"][0] == {"field": "Idempotency-Key", "rule": "idempotency_key_reused",
                                         "message": other.json()["errors"][0]["message"]}  # fmt: skip
    assert not MonthlyReport.objects.filter(tambon=world.tambon_a, month=2).exists()


def test_a_refused_submit_writes_nothing_and_errors_are_thai_by_default(planned):
    world, _lines = planned
    thai = token_client(world.alice)
    refused = thai.post(file_url(world.tambon_a), {"version": 0, "submit": True}, format="json",
                        HTTP_IDEMPOTENCY_KEY="s")  # fmt: skip
    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert {k: errors[0][k] for k in ("field", "rule")} == {"field": "narrative", "rule": "narrative_required"}
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in errors[0]["message"])  # Thai script
    assert not MonthlyReport.objects.filter(tambon=world.tambon_a, status=ReviewStatus.SUBMITTED).exists()
    # the corrected retry with the same key is done (a refusal is not stored)
    fixed = thai.post(file_url(world.tambon_a), {"version": 0, "submit": True, "narrative": "ok"}, format="json",
                      HTTP_IDEMPOTENCY_KEY="s")  # fmt: skip
    assert fixed.status_code == 200 and fixed.json()["status"] == "submitted"


def test_the_api_refuses_what_the_pages_refuse_scope_and_conflict_of_interest(planned):
    world, _lines = planned
    # another university's reporter: the tambon is not found
    assert token_client(world.bob).post(file_url(world.tambon_a), {"version": 0}, format="json").status_code == 404
    # a reviewer cannot file
    assert token_client(world.carol).post(file_url(world.tambon_a), {"version": 0}, format="json").status_code == 403
    submitted = token_client(world.alice).post(file_url(world.tambon_a), {"version": 0, "narrative": "n",
                                               "submit": True}, format="json").json()  # fmt: skip
    # the reviewer of another network does not see it
    assert token_client(world.dave).post(review_url(world.tambon_a), {"version": submitted["version"],
                                         "action": "accept"}, format="json").status_code == 404  # fmt: skip
    # the reporter cannot review their own month
    assert token_client(world.alice).post(review_url(world.tambon_a), {"version": submitted["version"],
                                          "action": "accept"}, format="json").status_code == 403  # fmt: skip
    # an RSI reviewer who also files for the university: conflict of interest, as on the page
    both = _member("rsi-and-reporter", Role.RSI_REVIEWER, network=world.tambon_a.network)
    from tests.factories import MembershipFactory

    MembershipFactory(user=both, role=Role.UNIVERSITY_REPORTER, university=world.university_a)
    conflict = token_client(both, "en").post(review_url(world.tambon_a), {"version": submitted["version"],
                                             "action": "accept"}, format="json")  # fmt: skip
    assert conflict.status_code == 400
    assert conflict.json()["errors"][0]["rule"] == "conflict_of_interest"
    assert MonthlyReport.objects.get(tambon=world.tambon_a).status == "submitted"


def test_plan_and_activity_through_the_api_keep_the_pages_rules(planned):
    world, lines = planned
    alice = token_client(world.alice, "en")
    year = world.programme.start_date.year
    line = lines["2.4"]
    read = alice.get(f"/api/v1/tambons/{world.tambon_a.pk}/lines/{line.pk}/plan/").json()
    assert read["version"] == line.version and read["code"] == "2.4"
    assert {"year": year, "month": 9, "plan": "80000.00"} in read["plans"]
    plan = alice.post(
        f"/api/v1/tambons/{world.tambon_a.pk}/lines/{line.pk}/plan/",
        {"version": line.version, "plans": [{"year": year, "month": 9, "plan": "-1.00"}]},
        format="json",
    )
    assert plan.status_code == 400 and "negative" in plan.json()["detail"]
    plan = alice.post(f"/api/v1/tambons/{world.tambon_a.pk}/lines/{line.pk}/plan/",
                      {"version": line.version, "plans": [{"year": year, "month": 8, "plan": "40000.00"},
                                                          {"year": year, "month": 9, "plan": "40000.00"}]},
                      format="json")  # fmt: skip
    assert plan.status_code == 200, plan.json()
    assert plan.json()["version"] == line.version + 1
    created = alice.post(f"/api/v1/tambons/{world.tambon_a.pk}/activities/", {
        "category": "2.4", "name": "Weaving class", "budget": "20000.00", "start_date": f"{year}-03-01"},
        format="json", HTTP_IDEMPOTENCY_KEY="act-1")  # fmt: skip
    assert created.status_code == 201, created.json()
    again = alice.post(f"/api/v1/tambons/{world.tambon_a.pk}/activities/", {
        "category": "2.4", "name": "Weaving class", "budget": "20000.00", "start_date": f"{year}-03-01"},
        format="json", HTTP_IDEMPOTENCY_KEY="act-1")  # fmt: skip
    assert again.status_code == 201 and Activity.objects.filter(name="Weaving class").count() == 1
    read = alice.get(f"/api/v1/tambons/{world.tambon_a.pk}/activities/{created.json()['id']}/")
    assert read.json() == created.json()
    too_much = alice.post(f"/api/v1/tambons/{world.tambon_a.pk}/activities/{created.json()['id']}/", {
        "version": created.json()["version"], "category": "2.4", "name": "Weaving class", "budget": "90000.00",
        "start_date": f"{year}-03-01"}, format="json")  # fmt: skip
    assert too_much.status_code == 400 and "above the category's budget" in too_much.json()["detail"]
    no_version = alice.post(
        f"/api/v1/tambons/{world.tambon_a.pk}/activities/{created.json()['id']}/",
        {"category": "2.4", "name": "Weaving", "budget": "1.00", "start_date": f"{year}-03-01"},
        format="json",
    )
    assert no_version.status_code == 400 and no_version.json()["errors"][0]["field"] == "version"


def test_stored_answers_are_forgotten_after_a_week(planned):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from api_clients.models import IdempotentWrite

    world, _lines = planned
    alice = token_client(world.alice)
    alice.post(file_url(world.tambon_a), {"version": 0, "narrative": "a"}, format="json", HTTP_IDEMPOTENCY_KEY="old")
    alice.post(file_url(world.tambon_a, 2), {"version": 0, "narrative": "b"}, format="json", HTTP_IDEMPOTENCY_KEY="new")
    IdempotentWrite.objects.filter(key="old").update(created_at=timezone.now() - dt.timedelta(days=8))
    call_command("sweep_idempotency")
    assert list(IdempotentWrite.objects.values_list("key", flat=True)) == ["new"]


def test_a_refused_evidence_file_names_its_field_and_rule(planned):
    world, _lines = planned
    refused = token_client(world.alice, "en").post(
        file_url(world.tambon_a),
        {"version": 0, "narrative": "n", "evidence": [SimpleUploadedFile("receipt.pdf", PNG)]},
        format="multipart",
    )
    assert refused.status_code == 400
    assert [(e["field"], e["rule"]) for e in refused.json()["errors"]] == [("evidence", "file_content")]
    assert not MonthlyReport.objects.filter(tambon=world.tambon_a).exclude(narrative="").exists()
