"""Indicators as numbers (issue #15 item 8): a baseline, a target and a value per quarter, charted on the
tambon profile and the dashboards."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment import selectors, services
from assessment.models import Indicator, TambonIndicatorResult, UniversityAssessment, UniversityIndicatorResult
from pbm.models import ReviewStatus
from tests.assessment.helpers import make_assessment
from tests.assessment.test_views import _form_data


def _tsi(programme, number):
    return Indicator.objects.get(programme=programme, level="tsi", number=number)


def _numbers(tambon, quarter, indicator, value, target=Decimal(100), baseline=Decimal(40), status="accepted"):
    assessment = make_assessment(tambon, quarter, 9, status=status)
    TambonIndicatorResult.objects.update_or_create(
        assessment=assessment, indicator=indicator,
        defaults={"unit": "ครัวเรือน", "baseline": baseline, "target": target, "value": value},
    )  # fmt: skip


def test_reporter_files_numbers_and_evidence_only_keeps_them(world, client_for):
    indicator = _tsi(world.programme, 2)
    data = _form_data(world.programme, 9) | {
        f"indicator_{indicator.pk}_unit": "ครัวเรือน", f"indicator_{indicator.pk}_baseline": "40",
        f"indicator_{indicator.pk}_target": "120", f"indicator_{indicator.pk}_value": "75.5",
    }  # fmt: skip
    url = reverse("tambon_assessment", args=[world.tambon_a.pk, "2021-Q1"])
    assert client_for(world.alice).post(url, data).status_code == 302
    row = TambonIndicatorResult.objects.get(assessment__tambon=world.tambon_a, indicator=indicator)
    assert (row.unit, row.baseline, row.target, row.value) == ("ครัวเรือน", 40, 120, Decimal("75.50"))
    # a door that files evidence only (a text) leaves the numbers as they are
    services.tambon_assessment_save(tambon=world.tambon_a, quarter=row.assessment.period, user=world.alice, goals={},
                                    indicators={indicator.pk: "new evidence"})  # fmt: skip
    row.refresh_from_db()
    assert (row.evidence, row.value) == ("new evidence", Decimal("75.50"))
    bad = client_for(world.alice).post(url, _form_data(world.programme, 9, version=row.assessment.version + 1)
                                       | {f"indicator_{indicator.pk}_value": "ten"})  # fmt: skip
    assert bad.status_code == 200
    row.refresh_from_db()
    assert row.value == Decimal("75.50")


def test_series_per_quarter_against_target_accepted_only(world):
    indicator = _tsi(world.programme, 2)
    _numbers(world.tambon_a, "2021-Q1", indicator, Decimal(50))
    _numbers(world.tambon_a, "2021-Q2", indicator, Decimal(100))
    _numbers(world.tambon_a, "2021-Q3", indicator, Decimal(900), status=ReviewStatus.SUBMITTED)
    [series] = selectors.tambon_indicator_series(world.tambon_a)
    assert [(str(p.quarter), p.value) for p in series.points] == [("2021-Q1", 50), ("2021-Q2", 100)]
    assert (series.target, series.baseline, series.unit, series.meets) == (100, 40, "ครัวเรือน", True)
    assert [p.width for p in series.points] == [50.0, 100.0] and series.target_at == 100.0


def test_dashboard_sums_the_tambons_in_scope_and_adds_the_universitys_own(world):
    indicator = _tsi(world.programme, 2)
    _numbers(world.tambon_a, "2021-Q1", indicator, Decimal(50))
    _numbers(world.tambon_a2, "2021-Q1", indicator, Decimal(30), target=Decimal(60))
    _numbers(world.tambon_b, "2021-Q1", indicator, Decimal(999))  # another university's
    usi = Indicator.objects.get(programme=world.programme, level="usi", number=13)
    own = UniversityAssessment.objects.create(university=world.university_a, programme=world.programme,
                                              quarter="2021-Q1", status=ReviewStatus.ACCEPTED)  # fmt: skip
    UniversityIndicatorResult.objects.create(assessment=own, indicator=usi, value=4, target=6)
    tambons = world.tambon_a.__class__.objects.filter(university=world.university_a, network=world.tambon_a.network)
    series = selectors.scope_indicator_series(programme=world.programme, tambons=tambons,
                                              university=world.university_a)  # fmt: skip
    assert [(s.indicator.level, s.indicator.number, s.latest, s.target) for s in series] == [
        ("usi", 13, 4, 6), ("tsi", 2, 80, 160)]  # fmt: skip
    assert series[1].points[0].units == 2


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_profile_and_dashboard_chart_them(world, client_for, who):
    _numbers(world.tambon_a, "2021-Q1", _tsi(world.programme, 2), Decimal(50))
    client = client_for(getattr(world, who))
    profile = client.get(reverse("tambon_profile", args=[world.tambon_a.pk])).content.decode()
    assert 'id="indicator-tsi-2"' in profile and 'style="width: 50.0%"' in profile
    board = client.get(reverse("dashboard_university", args=[world.tambon_a.network_id, world.university_a.pk]))
    assert 'id="indicator-tsi-2"' in board.content.decode()


def test_other_university_does_not_see_the_chart(world, client_for):
    _numbers(world.tambon_a, "2021-Q1", _tsi(world.programme, 2), Decimal(50))
    assert client_for(world.bob).get(reverse("tambon_profile", args=[world.tambon_a.pk])).status_code == 404
