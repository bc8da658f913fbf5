"""Unit-level monthly reports (issue #15 item 1): a university's monthly report (hiring summary, its tambons'
activities rolled up, its management spending) reviewed by its network, and a network's management report
reviewed by NSI, with the tambons' deadline, on the dashboards' completeness widget."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pbm.models import ReviewStatus
from pbm.periods import BANGKOK
from reporting.deadlines import selectors, services
from reporting.deadlines.models import UnitMonthlyReport

from .helpers import enter_sample


def url(owner, pk, month=1, action=""):
    name = "unit_report_review" if action else "unit_report"
    return reverse(name, args=[owner, pk, 2021, month])


def test_university_files_its_month_and_the_network_accepts(world, client_for):
    enter_sample(world.tambon_a, world.alice, months=(1,))
    alice = client_for(world.alice)
    page = alice.get(url("university", world.university_a.pk)).content.decode()
    assert 'id="hiring-summary"' in page and not UnitMonthlyReport.objects.exists()  # a GET writes nothing
    response = alice.post(url("university", world.university_a.pk),
                          {"version": 0, "narrative": "จ้างงานครบ 20 คน", "management_actual": "43000", "submit": "1"})  # fmt: skip
    assert response.status_code == 302
    report = UnitMonthlyReport.objects.get(university=world.university_a)
    assert report.status == ReviewStatus.SUBMITTED and report.management_actual == D(43000)
    figures = report.figures
    assert figures["tambons"] == 3  # tambon_a, tambon_a2 and tambon_cross are university A's
    assert D(figures["actual"]["activity"]) == D(60000)  # the sample's January activity actuals of tambon_a
    assert {row["type"] for row in figures["hiring"]} and sum(row["hired"] for row in figures["hiring"]) == 20
    assert client_for(world.dave).post(url("university", world.university_a.pk, action="review"),
                                       {"action": "accept", "version": report.version}).status_code == 403  # fmt: skip
    response = client_for(world.carol).post(url("university", world.university_a.pk, action="review"),
                                            {"action": "accept", "version": report.version})  # fmt: skip
    report.refresh_from_db()
    assert response.status_code == 302 and report.status == ReviewStatus.ACCEPTED


def test_network_files_its_management_report_and_nsi_reviews(world, client_for):
    carol = client_for(world.carol)
    network = world.tambon_a.network
    carol.post(url("network", network.pk, 2), {"version": 0, "narrative": "ติดตามมหาวิทยาลัยในเครือข่าย",
                                               "management_actual": "120000", "submit": "1"})  # fmt: skip
    report = UnitMonthlyReport.objects.get(network=network)
    assert report.status == ReviewStatus.SUBMITTED
    own = carol.post(url("network", network.pk, 2, action="review"), {"action": "accept", "version": report.version})
    report.refresh_from_db()
    assert own.status_code == 403 and report.status == ReviewStatus.SUBMITTED  # not her own report
    client_for(world.nora).post(url("network", network.pk, 2, action="review"),
                                {"action": "return", "reason": "แนบรายละเอียดค่าใช้จ่าย", "version": report.version})  # fmt: skip
    report.refresh_from_db()
    assert report.status == ReviewStatus.RETURNED


def test_late_and_refusals(world):
    report = services.unit_report_for(programme=world.programme, year=2021, month=1, university=world.university_a)
    with pytest.raises(ValidationError):
        services.unit_report_save(report=report, user=world.alice, narrative="", management_actual=None, submit=True)
    with pytest.raises(ValidationError):
        services.unit_report_save(report=report, user=world.alice, narrative="x", management_actual=D(-1))
    with pytest.raises(PermissionDenied):
        services.unit_report_save(report=report, user=world.bob, narrative="x", management_actual=None)
    report.refresh_from_db()  # nothing was written by the refusals; the page reloads it the same way
    deadline = services.unit_report_deadline(world.programme, 2021, 1)
    assert deadline.date() == dt.date(2021, 2, 2)  # the programme's due day, as for the tambons
    services.unit_report_save(report=report, user=world.alice, narrative="x", management_actual=None, submit=True,
                              at=dt.datetime(2021, 2, 3, 9, tzinfo=BANGKOK))  # fmt: skip
    report.refresh_from_db()
    assert report.is_late
    with pytest.raises(ValidationError):
        services.unit_report_for(programme=world.programme, year=2022, month=5, university=world.university_a)


def test_out_of_scope_is_404(world, client_for):
    assert client_for(world.bob).get(url("university", world.university_a.pk)).status_code == 404
    assert client_for(world.alice).get(url("network", world.tambon_b.network_id)).status_code == 404


def test_dashboard_completeness_lists_the_unit_reports(world, client_for):
    report = services.unit_report_for(programme=world.programme, year=2021, month=3, university=world.university_a)
    services.unit_report_save(report=report, user=world.alice, narrative="March", management_actual=None, submit=True,
                              at=dt.datetime(2021, 4, 1, 9, tzinfo=BANGKOK))  # fmt: skip
    widget = selectors.unit_report_completeness(programme=world.programme, tambons=world.tambon_a.__class__.objects
                                                .filter(network=world.tambon_a.network), year=2021, month=3)  # fmt: skip
    assert (widget.on_time, widget.late, widget.not_filed) == (1, 0, 1)  # university A on time; network 1 not filed
    board = client_for(world.carol).get(
        reverse("dashboard_network", args=[world.tambon_a.network_id]) + "?month=2021-03"
    )
    body = board.content.decode()
    assert 'id="unit-reports"' in body and url("university", world.university_a.pk, 3) in body
    listing = client_for(world.carol).get(reverse("unit_report_list") + "?month=2021-3").content.decode()
    assert world.university_a.name_th in listing


def test_the_navigation_offers_the_unit_monthly_reports_in_u2t_only(world, client_for, client):
    """They are the universities' and networks' reports: a Smart Team district officer is not offered the page."""
    from io import StringIO

    from django.core.management import call_command

    from tambon.models import User

    link = f'href="{reverse("unit_report_list")}"'
    assert link in client_for(world.alice).get("/", follow=True).content.decode()
    call_command("seed_demo", "--programme", "tambon-smart-team-2565", stdout=StringIO())
    client.force_login(User.objects.get(username="tambon-smart-team-d1101"))
    home = client.get("/", follow=True)
    assert home.status_code == 200 and 'href="/dashboard/' in home.content.decode()
    assert link not in home.content.decode()
