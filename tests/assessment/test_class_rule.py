"""Classification as the programme defines it (issue #15 item 7): the model-tambon flag and the income change
are inputs, "sustainable" requires them (class_bands[].requires in programmes/u2t-2564.yaml), the committee
confirms or sets classes with a reason, and the report compares the result with the target shares."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessment import services, tasks
from assessment.models import ClassBand, ClassConfirmation, TambonAssessment, TambonClassification
from pbm.models import FigureChange
from pbm.periods import Quarter
from pbm.programmes.definition import parse_file
from pbm.programmes.loader import as_json
from tests.assessment.helpers import make_assessment

Q1 = Quarter(2021, 1)


@pytest.fixture
def defined(world):
    """The programme as `programme_load programmes/u2t-2564.yaml` leaves it: its definition holds the bands'
    requirements."""
    world.programme.definition = as_json(parse_file("programmes/u2t-2564.yaml"))
    world.programme.save(update_fields=["definition"])
    return world


def _classify(tambon, goals_met, *, model_tambon=False, income=None):
    assessment = make_assessment(tambon, "2021-Q1", goals_met)
    TambonAssessment.objects.filter(pk=assessment.pk).update(model_tambon=model_tambon, income_change_percent=income)
    tambon.programme.refresh_from_db()  # the definition as the fixture saved it
    services.tambon_classify(programme=tambon.programme, quarter=Q1)
    row = TambonClassification.objects.select_related("band").get(tambon=tambon, quarter="2021-Q1")
    return row.band.code if row.band else None


@pytest.mark.parametrize(
    "goals_met, model_tambon, income, band",
    [(15, True, Decimal("5"), "sustainable"), (16, True, Decimal("12.5"), "sustainable"),
     (15, False, Decimal("9"), "sufficiency"), (14, True, Decimal("4.99"), "sufficiency"),
     (15, True, None, "sufficiency"), (12, True, Decimal("20"), "sufficiency"), (9, True, Decimal("20"), "survive"),
     (7, True, Decimal("20"), None)],
)  # fmt: skip
def test_sustainable_needs_a_model_tambon_with_income_up_five_percent(defined, goals_met, model_tambon, income, band):
    assert _classify(defined.tambon_a, goals_met, model_tambon=model_tambon, income=income) == band


def test_the_requirement_comes_from_the_definition(defined):
    definition = defined.programme.definition
    for row in definition["class_bands"]:
        if row["code"] == "sustainable":
            row["requires"] = {"model_tambon": False, "min_income_change_percent": "2"}
    defined.programme.save(update_fields=["definition"])
    assert _classify(defined.tambon_a, 15, income=Decimal("2")) == "sustainable"


def test_a_programme_without_requirements_classifies_by_goals(world):
    world.programme.refresh_from_db()
    assert not any(band.get("requires") for band in world.programme.definition["class_bands"])  # conftest
    assert _classify(world.tambon_a, 15) == "sustainable"


def test_the_celery_job_uses_the_same_rule(defined):
    make_assessment(defined.tambon_a, "2021-Q1", 15)
    make_assessment(defined.tambon_b, "2021-Q1", 15)
    TambonAssessment.objects.filter(tambon=defined.tambon_b).update(model_tambon=True, income_change_percent=6)
    assert tasks.classify_quarter.delay(defined.programme.pk, "2021-Q1").get() == {"sufficiency": 1, "sustainable": 1}


def test_validator_refuses_a_bad_requirement():
    from pbm.programmes.definition import DefinitionInvalid, parse

    text = Path("programmes/u2t-2564.yaml").read_text(encoding="utf-8")
    bad = text.replace("requires: {model_tambon: true, min_income_change_percent: 5}",
                       "requires: {model_tambon: true, min_income_change: 5}")  # fmt: skip
    assert bad != text
    with pytest.raises(DefinitionInvalid, match="min_income_change"):
        parse(bad)


# --- the committee --------------------------------------------------------------------------------------------


def test_committee_sets_a_class_with_a_reason_and_the_job_keeps_it(defined):
    _classify(defined.tambon_a, 15, model_tambon=False)
    row = TambonClassification.objects.get(tambon=defined.tambon_a)
    sustainable = ClassBand.objects.get(programme=defined.programme, code="sustainable")
    with pytest.raises(ValidationError, match="เหตุผล"):
        services.class_override(classification=row, user=defined.nora, band=sustainable, reason=" ")
    with pytest.raises(PermissionDenied):
        services.class_override(classification=row, user=defined.carol, band=sustainable, reason="site visit")
    services.class_override(classification=row, user=defined.nora, band=sustainable, reason="มติคณะกรรมการ ธ.ค. 64")
    services.tambon_classify(programme=defined.programme, quarter=Q1)
    row.refresh_from_db()
    assert (row.band.code, row.computed_band.code, row.override_reason) == (
        "sustainable",
        "sufficiency",
        "มติคณะกรรมการ ธ.ค. 64",
    )
    assert FigureChange.objects.filter(tambon=defined.tambon_a, field="tambon_class").count() == 1
    services.class_override_clear(classification=row, user=defined.nora)
    row.refresh_from_db()
    assert (row.band.code, row.is_overridden) == ("sufficiency", False)


def test_committee_confirms_the_quarter_with_its_distribution(defined):
    with pytest.raises(ValidationError, match="ไม่มีสิ่งที่จะรับรอง"):
        services.class_confirm(programme=defined.programme, quarter=Q1, user=defined.nora)
    _classify(defined.tambon_a, 15, model_tambon=True, income=Decimal(8))
    make_assessment(defined.tambon_b, "2021-Q1", 3)
    services.tambon_classify(programme=defined.programme, quarter=Q1)
    done = services.class_confirm(programme=defined.programme, quarter=Q1, user=defined.nora, note="ครั้งที่ 1/2565")
    assert done.distribution == {"sustainable": 1, "": 1}
    with pytest.raises(PermissionDenied):
        services.class_confirm(programme=defined.programme, quarter=Q1, user=defined.alice)


def test_committee_page_overrides_and_the_report_compares_with_targets(defined, client_for):
    _classify(defined.tambon_a, 15, model_tambon=False, income=Decimal(7))
    row = TambonClassification.objects.get(tambon=defined.tambon_a)
    nora = client_for(defined.nora)
    page = reverse("class_committee") + "?quarter=2021-Q1"
    body = nora.get(page).content.decode()
    assert defined.tambon_a.subdistrict.name_th in body and "ตำบลมุ่งสู่ความพอเพียง" in body
    response = nora.post(page, {"action": "override", "classification": row.pk, "band": "sustainable",
                                "reason": "ผลสำรวจรายได้ใหม่"})  # fmt: skip
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.band.code == "sustainable" and row.overridden_by == defined.nora
    response = nora.post(page, {"action": "confirm", "note": "มติที่ประชุม"})
    assert ClassConfirmation.objects.get(quarter="2021-Q1").distribution == {"sustainable": 1}
    report = nora.get(reverse("class_overview") + "?quarter=2021-Q1").content.decode()
    assert "มติที่ประชุม" in report
    # the sustainable row: 1 tambon against a target of 25 % of the 4 tambons (1): difference 0; by the rule 0
    assert '<tr data-band="sustainable">' in report


def test_committee_page_is_not_for_universities_or_networks(defined, client_for):
    for user in (defined.alice, defined.carol):
        assert client_for(user).get(reverse("class_committee")).status_code == 404


def test_assessment_form_records_the_class_inputs(defined, client_for):
    from tests.assessment.test_views import _form_data

    data = _form_data(defined.programme, 15) | {"model_tambon": "on", "income_change_percent": "6.5"}
    response = client_for(defined.alice).post(reverse("tambon_assessment", args=[defined.tambon_a.pk, "2021-Q2"]),
                                              data)  # fmt: skip
    assert response.status_code == 302
    saved = TambonAssessment.objects.get(tambon=defined.tambon_a, quarter="2021-Q2")
    assert (saved.model_tambon, saved.income_change_percent) == (True, Decimal("6.50"))
    bad = client_for(defined.alice).post(reverse("tambon_assessment", args=[defined.tambon_a.pk, "2021-Q2"]),
                                         _form_data(defined.programme, 15, version=saved.version)
                                         | {"income_change_percent": "-300"})  # fmt: skip
    assert bad.status_code == 200
    saved.refresh_from_db()
    assert saved.income_change_percent == Decimal("6.50")
