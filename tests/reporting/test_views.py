"""Pages, exports, evidence and API: allowed user, read-only user, other unit (404), anonymous."""

import io
import threading
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections, connection
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from reporting import services
from reporting.evidence import sniff
from reporting.models import Evidence, MonthlyAmount, MonthlyReport
from tests.conftest import fetch

from .helpers import enter_sample, enter_sample_plan

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _urls(world):
    t = world.tambon_a.pk
    return [f"/tambons/{t}/budget/", f"/tambons/{t}/reports/2021/1/", f"/tambons/{t}/budget.xlsx",
            f"/universities/{world.university_a.pk}/budget.xlsx", f"/api/v1/tambons/{t}/budget/",
            f"/api/v1/tambons/{t}/reports/2021/1/"]  # fmt: skip


@pytest.mark.parametrize("who, status", [("alice", 200), ("carol", 200), ("nora", 200), ("bob", 404), ("dave", 404)])
def test_pages_exports_and_api_are_scoped(world, client_for, who, status):
    enter_sample(world.tambon_a, world.alice)
    client = client_for(getattr(world, who))
    for url in _urls(world):
        if url.startswith("/universities/") and who == "dave":
            continue  # dave sees university A through tambon_cross; tested below
        assert fetch(client, url).status_code == status, url


def test_anonymous_is_sent_to_login(world, client_for):
    for url in _urls(world):
        response = client_for(None).get(url)
        assert response.status_code in (302, 401, 403), url
        if response.status_code == 302:
            assert "/login/" in response["Location"]


def test_university_workbook_holds_only_tambons_in_scope(world, client_for):
    enter_sample(world.tambon_a, world.alice)
    url = f"/universities/{world.university_a.pk}/budget.xlsx"
    alice = load_workbook(io.BytesIO(fetch(client_for(world.alice), url).content))
    dave = load_workbook(io.BytesIO(fetch(client_for(world.dave), url).content))
    assert len(alice.sheetnames) == 3
    assert dave.sheetnames == ["500102 พระสิงห์"]


def test_tambon_workbook_has_the_table_layout_and_figures(world, client_for):
    enter_sample(world.tambon_a, world.alice)
    content = client_for(world.carol).get(f"/tambons/{world.tambon_a.pk}/budget.xlsx").content
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value.startswith("ตำบลห้วยแห้ง อำเภอแก่งคอย จังหวัดสระบุรี")
    assert [sheet.cell(4, c).value for c in (6, 17)] == ["ม.ค. 2564", "ธ.ค. 2564"]
    rows = {sheet.cell(r, 1).value: r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value}
    r21 = rows["2.1"]
    assert [sheet.cell(r21, c).value for c in (3, 4, 6)] == [320000, 284500, 32000]
    assert [sheet.cell(r21 + 1, c).value for c in (6, 7, 18, 19)] == [30000, 5500, 35500, 55.47]
    assert sheet.cell(5, 3).value == 3483000 and sheet.cell(6, 19).value == 89.17


def test_read_only_user_cannot_edit(world, client_for):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    carol = client_for(world.carol)
    t = world.tambon_a.pk
    assert carol.get(f"/tambons/{t}/budget/lines/{lines['2.1'].pk}/").status_code == 403
    response = carol.post(f"/tambons/{t}/reports/2021/1/", {"version": 0, f"actual_{lines['2.1'].pk}": "5"})
    assert response.status_code == 403
    assert not MonthlyReport.objects.exists()
    assert client_for(world.bob).get(f"/tambons/{t}/budget/lines/{lines['2.1'].pk}/").status_code == 404


def test_reporter_saves_and_submits_month_through_the_page(world, client_for):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    url = f"/tambons/{world.tambon_a.pk}/reports/2021/1/"
    data = {"version": 0, "narrative": "Market opened", f"actual_{lines['2.1'].pk}": "45000",
            "evidence": [SimpleUploadedFile("receipt.pdf", PDF)], "submit": "1"}  # fmt: skip
    response = client_for(world.alice).post(url, data)
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert report.status == "submitted" and report.narrative == "Market opened"
    assert Evidence.objects.get().content_type == "application/pdf"
    page = client_for(world.alice).get(url).content.decode()
    assert "Submitted, awaiting review." in page or "ส่งแล้ว" in page


def test_fake_pdf_is_refused_and_nothing_stored(world, client_for):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    url = f"/tambons/{world.tambon_a.pk}/reports/2021/1/"
    data = {"version": 0, f"actual_{lines['2.1'].pk}": "45000",
            "evidence": [SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00 not a pdf")]}  # fmt: skip
    response = client_for(world.alice).post(url, data)
    assert response.status_code == 200
    assert "receipt.pdf" in response.content.decode()
    assert not MonthlyReport.objects.exists() and not Evidence.objects.exists()


def test_oversized_evidence_is_refused(world, settings):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    big = SimpleUploadedFile("photo.png", PNG + b"\x00" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="at most 10 MB"):
        services.monthly_report_save(tambon=world.tambon_a, year=2021, month=1, user=world.alice, seen_version=None,
                                     actuals={lines["2.1"].pk: D(1)}, files=[big])  # fmt: skip


def test_sniff_recognises_formats_by_content():
    assert sniff(PDF) == {"pdf"}
    assert sniff(PNG) == {"png"}
    buffer = io.BytesIO()
    from openpyxl import Workbook

    Workbook().save(buffer)
    assert sniff(buffer.getvalue()) == {"xlsx"}
    assert sniff(b"hello") == set()


def test_evidence_is_served_only_in_scope(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lines = enter_sample_plan(world.tambon_a, world.alice)
    services.monthly_report_save(tambon=world.tambon_a, year=2021, month=1, user=world.alice, seen_version=None,
                                 actuals={lines["2.1"].pk: D(1)}, files=[SimpleUploadedFile("a.pdf", PDF)])  # fmt: skip
    url = f"/tambons/{world.tambon_a.pk}/evidence/{Evidence.objects.get().pk}/"
    response = client_for(world.carol).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert client_for(world.bob).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    assert (
        client_for(world.bob).get(f"/tambons/{world.tambon_b.pk}/evidence/{Evidence.objects.get().pk}/").status_code
        == 404
    )


@pytest.mark.parametrize("who, status", [("carol", 200), ("nora", 200), ("alice", 404), ("nobody", 404)])
def test_review_list_is_for_reviewers_in_scope(world, client_for, who, status):
    _lines, (january, _feb) = enter_sample(world.tambon_a, world.alice)
    services.monthly_report_submit(report=january, user=world.alice)
    response = client_for(getattr(world, who)).get("/reviews/")
    assert response.status_code == status
    if status == 200:
        assert "ห้วยแห้ง" in response.content.decode()
    dave = client_for(world.dave).get("/reviews/").content.decode()
    assert "ห้วยแห้ง" not in dave


def test_reviewer_returns_and_accepts_through_the_page(world, client_for):
    _lines, (january, _feb) = enter_sample(world.tambon_a, world.alice)
    services.monthly_report_submit(report=january, user=world.alice)
    url = f"/tambons/{world.tambon_a.pk}/reports/2021/1/review/"
    client_for(world.carol).post(url, {"action": "return", "reason": "Add receipts", "version": january.version})
    assert MonthlyReport.objects.get(pk=january.pk).status == "returned"
    assert (
        "Add receipts" in client_for(world.alice).get(f"/tambons/{world.tambon_a.pk}/reports/2021/1/").content.decode()
    )
    assert client_for(world.bob).post(url, {"action": "accept"}).status_code == 404


def test_api_returns_table_and_report_status(world):
    _lines, (january, _feb) = enter_sample(world.tambon_a, world.alice)
    services.monthly_report_submit(report=january, user=world.alice)
    client = APIClient()
    client.force_authenticate(world.carol)
    table = client.get(f"/api/v1/tambons/{world.tambon_a.pk}/budget/").json()
    row = next(r for r in table["rows"] if r["code"] == "2.1")
    assert (row["remaining"], row["percent"], row["months"][1]["actual"]) == ("284500.00", "55.47", "5500.00")
    report = client.get(f"/api/v1/tambons/{world.tambon_a.pk}/reports/2021/1/").json()
    assert report["status"] == "submitted" and report["history"][-1]["action"] == "submitted"
    assert client.get(f"/api/v1/tambons/{world.tambon_a.pk}/reports/2021/13/").status_code == 404
    assert client.get(f"/api/v1/tambons/{world.tambon_a.pk}/reports/2021/3/").json()["status"] == "not_filed"
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/tambons/{tambon_id}/budget/" in schema


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_second_is_told_to_reload(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    lines, (january, _feb) = enter_sample(world.tambon_a, world.alice)
    seen = MonthlyReport.objects.get(pk=january.pk).version
    barrier, results = threading.Barrier(2), {}

    def save(amount):
        translation.activate("en")  # each thread has its own language
        try:
            barrier.wait()
            services.monthly_report_save(tambon=world.tambon_a, year=2021, month=1, user=world.alice,
                                         seen_version=seen, actuals={lines["2.1"].pk: amount})  # fmt: skip
            results[amount] = "saved"
        except ValidationError as error:
            results[amount] = error.messages[0]
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=save, args=(D(a),)) for a in (1000, 2000)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcomes = list(results.values())
    assert outcomes.count("saved") == 1
    loser = next(v for v in outcomes if v != "saved")
    assert "Reload the page" in loser
    winner = next(k for k, v in results.items() if v == "saved")
    assert MonthlyAmount.objects.get(line=lines["2.1"], year=2021, month=1).actual == winner
