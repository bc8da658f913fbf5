"""The 12-month summary and impact report (issue #15 item 2): per tambon (the university files, the network
reviews) and the network's overall one (the RSI files, NSI reviews); figures frozen on submit; a Thai PDF and
an .xlsx of the same figures."""

import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from assessment import impact
from assessment.models import ImpactReport, TambonClassification
from pbm.models import ReviewStatus
from tests.assessment.helpers import make_assessment
from tests.reporting.helpers import enter_sample


def url(owner, pk, name="impact_report", **extra):
    return reverse(name, args=[owner, pk, *extra.values()])


def _fill(client, owner, pk, submit=True, **extra):
    data = {"version": 0, "summary": "ดำเนินกิจกรรมครบ 12 เดือน", "impact": "รายได้ครัวเรือนเพิ่มขึ้น",
            "evidence": "ภาพถ่ายและรายงาน", **extra}  # fmt: skip
    if submit:
        data["submit"] = "1"
    return client.post(url(owner, pk), data)


def test_tambon_report_figures_households_and_review(world, client_for):
    enter_sample(world.tambon_a, world.alice, months=(1, 2))
    make_assessment(world.tambon_a, "2021-Q1", 12)
    from assessment.services import tambon_classify
    from pbm.periods import Quarter

    tambon_classify(programme=world.programme, quarter=Quarter(2021, 1))
    alice = client_for(world.alice)
    assert alice.get(url("tambon", world.tambon_a.pk)).status_code == 200 and not ImpactReport.objects.exists()
    response = _fill(alice, "tambon", world.tambon_a.pk, households_surveyed=400, households_in_need_before=120,
                     households_in_need_after=80)  # fmt: skip
    assert response.status_code == 302
    report = ImpactReport.objects.get(tambon=world.tambon_a)
    assert report.status == ReviewStatus.SUBMITTED and report.household_change == -40
    figures = report.figures
    assert D(figures["actual"]["activity"]) == D(60000 + 21500)  # the sample's January and February
    [row] = figures["tambon_rows"]
    assert (row["goals_met"], row["class"], row["in_need_before"], row["in_need_after"]) == (
        12, TambonClassification.objects.get().band.name_th, 120, 80)  # fmt: skip
    assert sum(h["contracts"] for h in figures["hiring"]) == 20
    bad = client_for(world.dave).post(url("tambon", world.tambon_a.pk, "impact_review"), {"action": "accept"})
    assert bad.status_code == 404  # network 2's RSI does not see tambon_a
    client_for(world.carol).post(url("tambon", world.tambon_a.pk, "impact_review"),
                                 {"action": "accept", "version": report.version})  # fmt: skip
    report.refresh_from_db()
    assert report.status == ReviewStatus.ACCEPTED


def test_refusals_name_what_is_missing(world):
    report = impact.impact_report_for(programme=world.programme, tambon=world.tambon_a)
    with pytest.raises(ValidationError):
        impact.impact_report_save(report=report, user=world.alice, sections={"summary": "x"}, submit=True,
                                  households={"households_surveyed": 10, "households_in_need_before": 5,
                                              "households_in_need_after": 3})  # fmt: skip
    report.refresh_from_db()
    with pytest.raises(ValidationError):
        impact.impact_report_save(report=report, user=world.alice, sections={"summary": "x", "impact": "y"},
                                  households={"households_surveyed": 10, "households_in_need_before": 50,
                                              "households_in_need_after": 3})  # fmt: skip
    report.refresh_from_db()
    assert report.status == ReviewStatus.DRAFT and report.households_in_need_before is None


def test_network_overall_report_sums_its_tambons_and_nsi_reviews(world, client_for):
    for tambon, before, after in ((world.tambon_a, 100, 70), (world.tambon_a2, 50, 45)):
        report = impact.impact_report_for(programme=world.programme, tambon=tambon)
        impact.impact_report_save(report=report, user=world.alice, sections={"summary": "s", "impact": "i"},
                                  households={"households_surveyed": 300, "households_in_need_before": before,
                                              "households_in_need_after": after})  # fmt: skip
    network = world.tambon_a.network
    carol = client_for(world.carol)
    page = carol.get(url("network", network.pk)).content.decode()
    assert 'id="households_surveyed"' not in page and "150" in page and "115" in page
    assert _fill(carol, "network", network.pk).status_code == 302
    report = ImpactReport.objects.get(network=network)
    assert report.figures["households"] == {"before": 150, "after": 115, "tambons": 2}
    assert report.figures["tambons"] == 2  # tambon_a and tambon_a2 are in network 1's area
    own = carol.post(url("network", network.pk, "impact_review"), {"action": "accept", "version": report.version})
    assert own.status_code == 403
    client_for(world.nora).post(url("network", network.pk, "impact_review"),
                                {"action": "accept", "version": report.version})  # fmt: skip
    report.refresh_from_db()
    assert report.status == ReviewStatus.ACCEPTED


def test_pdf_and_xlsx_in_thai(world, client_for):
    alice = client_for(world.alice)
    _fill(alice, "tambon", world.tambon_a.pk, submit=False, households_in_need_before=12)
    pdf = alice.get(url("tambon", world.tambon_a.pk, "impact_export", fmt="pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = alice.get(url("tambon", world.tambon_a.pk, "impact_export", fmt="xlsx"))
    book = load_workbook(io.BytesIO(xlsx.content))
    summary = book["สรุป"]
    assert summary["A1"].value.startswith("รายงานผลการดำเนินงานและผลกระทบ รอบ 12 เดือน")
    assert summary["B5"].value == "ดำเนินกิจกรรมครบ 12 เดือน"
    assert any(ws.title.endswith("การจ้างงาน") for ws in book.worksheets)
    assert alice.get(url("tambon", world.tambon_a.pk, "impact_export", fmt="doc")).status_code == 404
    network_pdf = client_for(world.carol).get(url("network", world.tambon_a.network_id, "impact_export", fmt="pdf"))
    assert network_pdf.status_code == 200 and network_pdf.content.startswith(b"%PDF")
    assert client_for(world.bob).get(url("tambon", world.tambon_a.pk, "impact_export", fmt="pdf")).status_code == 404


def test_list_shows_the_scope(world, client_for):
    body = client_for(world.carol).get(reverse("impact_list")).content.decode()
    assert url("tambon", world.tambon_a.pk) in body and url("tambon", world.tambon_b.pk) not in body
    assert url("network", world.tambon_a.network_id) in body
