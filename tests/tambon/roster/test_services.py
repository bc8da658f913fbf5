"""What happens to people, wages from accepted work, certificates, and the one-contract rule under concurrency."""

import datetime as dt
import io
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tambon.roster.models import Certificate, Contract, SkillArea
from tambon.roster.selectors import certificate_candidates, longest_passed_run, wages_due
from tambon.roster.services import (
    certificate_issue,
    certificate_pdf,
    contract_move_to_digitizing,
    contract_replace,
    contract_resign,
    contract_terminate,
    roster_import,
    training_record,
    work_accept,
)

from .conftest import person_row, xlsx_bytes


def hire(rows):
    result = roster_import(file=io.BytesIO(xlsx_bytes(rows)), name="r.xlsx")
    assert result.errors == [], [str(e) for e in result.errors]
    return list(Contract.objects.select_related("hiring_type", "tambon__programme", "person").order_by("id"))


@pytest.mark.django_db
def test_full_month_wage_is_the_rate_and_partial_month_is_pro_rata_by_days(world):
    full, partial = hire([person_row(1, world.tambon_a, hiring_type="บัณฑิตจบใหม่", graduated_on="2020-03-01"),
                          person_row(2, world.tambon_a, hiring_type="บัณฑิตจบใหม่", graduated_on="2020-03-01",
                                     start_date="15/01/2564")])  # fmt: skip
    work_accept(contracts=[full, partial], year=2021, month=1, user=world.alice)
    assert wages_due(tambon_ids=[world.tambon_a.pk], year=2021, month=1) == {
        (world.tambon_a.pk, "graduate"): Decimal("15000") + (Decimal("15000") * 17 / 31).quantize(Decimal("0.01"))
    }
    assert wages_due(tambon_ids=[world.tambon_a.pk], year=2021, month=2) == {}


@pytest.mark.django_db
def test_wages_due_is_keyed_by_tambon_and_type_and_only_counts_accepted_work(world):
    a, b, c = hire([person_row(1, world.tambon_a), person_row(2, world.tambon_a, hiring_type="student"),
                    person_row(3, world.tambon_b, hiring_type="student")])  # fmt: skip
    work_accept(contracts=[a, b, c], year=2021, month=3, user=None)
    hire([person_row(4, world.tambon_a)])  # hired, not accepted: no wage
    assert wages_due(tambon_ids=[world.tambon_a.pk, world.tambon_b.pk], year=2021, month=3) == {
        (world.tambon_a.pk, "citizen"): Decimal("9000.00"),
        (world.tambon_a.pk, "student"): Decimal("5000.00"),
        (world.tambon_b.pk, "student"): Decimal("5000.00"),
    }


@pytest.mark.django_db
def test_resignation_wage_stops_at_the_last_day(world):
    (contract,) = hire([person_row(1, world.tambon_a)])
    contract_resign(contract=contract, notice_date=dt.date(2021, 3, 1), last_day=dt.date(2021, 4, 10))
    assert not contract.short_notice
    work_accept(contracts=[contract], year=2021, month=4, user=None)
    assert wages_due(tambon_ids=[world.tambon_a.pk], year=2021, month=4)[(world.tambon_a.pk, "citizen")] == Decimal(
        "3000.00"
    )
    with pytest.raises(ValidationError, match="not under contract"):
        work_accept(contracts=[contract], year=2021, month=5, user=None)


@pytest.mark.django_db
def test_notice_of_less_than_one_month_is_flagged(world):
    (contract,) = hire([person_row(1, world.tambon_a)])
    contract_resign(contract=contract, notice_date=dt.date(2021, 3, 1), last_day=dt.date(2021, 3, 31))
    assert contract.short_notice and contract.status == "resigned"


@pytest.mark.django_db
def test_termination_needs_a_reason(world):
    (contract,) = hire([person_row(1, world.tambon_a)])
    with pytest.raises(ValidationError, match="reason"):
        contract_terminate(contract=contract, last_day=dt.date(2021, 3, 1), reason=" ")
    contract_terminate(contract=contract, last_day=dt.date(2021, 3, 1), reason="ขาดงาน")
    assert Contract.objects.get().status == "terminated"


@pytest.mark.django_db
def test_replacement_from_reserve_keeps_the_link_and_frees_the_place(world):
    left, reserve = hire([person_row(1, world.tambon_a), person_row(2, world.tambon_a, status="สำรอง", reserve_rank=1)])
    with pytest.raises(ValidationError, match="resigned or was terminated"):
        contract_replace(ended=left, reserve=reserve, start_date=dt.date(2021, 5, 1))
    contract_resign(contract=left, notice_date=dt.date(2021, 3, 1), last_day=dt.date(2021, 4, 30))
    contract_replace(ended=left, reserve=reserve, start_date=dt.date(2021, 5, 1))
    reserve.refresh_from_db()
    assert (reserve.status, reserve.replaces_id, reserve.start_date) == ("active", left.pk, dt.date(2021, 5, 1))
    assert list(left.replaced_by.all()) == [reserve]


@pytest.mark.django_db
def test_replacement_must_be_of_the_same_type(world):
    left, reserve = hire(
        [person_row(1, world.tambon_a), person_row(2, world.tambon_a, status="สำรอง", hiring_type="student")]
    )
    contract_terminate(contract=left, last_day=dt.date(2021, 4, 30), reason="x")
    with pytest.raises(ValidationError):
        contract_replace(ended=left, reserve=reserve, start_date=dt.date(2021, 5, 1))
    assert Contract.objects.get(pk=reserve.pk).status == "reserve"


@pytest.mark.django_db
def test_move_to_digitizing_track_needs_the_user_agency(world):
    (contract,) = hire([person_row(1, world.tambon_a)])
    with pytest.raises(ValidationError, match="user agency"):
        contract_move_to_digitizing(contract=contract, user_agency="")
    contract_move_to_digitizing(contract=contract, user_agency="กรมการปกครอง", nda_required=True)
    assert Contract.objects.filter(track="digitizing", user_agency="กรมการปกครอง", nda_required=True).count() == 1


@pytest.mark.django_db
def test_training_in_the_four_skill_areas(world):
    (contract,) = hire([person_row(1, world.tambon_a)])
    assert SkillArea.objects.count() == 4
    for area in SkillArea.objects.all():
        training_record(contract=contract, skill_area=area, completed_on=dt.date(2021, 2, 1), passed=True, hours=6)
    assert contract.trainings.filter(passed=True).count() == 4


def test_longest_passed_run_needs_consecutive_passed_months():
    assert longest_passed_run([(2021, m, True) for m in (1, 2, 3, 5, 6, 7, 8, 9, 10)]) == 6
    assert longest_passed_run([(2021, m, m != 4) for m in range(1, 9)]) == 4
    assert longest_passed_run([(2020, 12, True), (2021, 1, True)]) == 2


@pytest.mark.django_db
def test_certificate_needs_six_continuous_accepted_months_and_prints_a_thai_pdf(world):
    ready, short = hire([person_row(1, world.tambon_a), person_row(2, world.tambon_a)])
    for month in range(1, 7):
        work_accept(contracts=[ready] + ([short] if month != 3 else []), year=2021, month=month, user=None)
    with pytest.raises(ValidationError, match="3 continuous"):
        certificate_issue(contract=short, user=world.mona)
    cert = certificate_issue(contract=ready, user=world.mona)
    assert cert.months == 6 and cert.number == f"U2T-CU-{ready.pk:06d}"
    assert dict((c.pk, m) for c, m in certificate_candidates(tambons=world.tambon_a.__class__.objects.all())) == {
        ready.pk: 6,
        short.pk: 3,
    }
    pdf = certificate_pdf(certificates=[Certificate.objects.select_related("contract__tambon__university").get()])
    assert pdf.startswith(b"%PDF") and b"Sarabun" in pdf

    # the programme is named from its data, not by a sentence written for U2T
    from fpdf import FPDF

    written, original = [], FPDF.multi_cell

    def capture(self, w, h, text="", *args, **kwargs):
        written.append(text)
        return original(self, w, h, text, *args, **kwargs)

    world.programme.name_th = "โครงการทดสอบชื่อจากข้อมูล"
    world.programme.save(update_fields=["name_th"])
    with mock.patch.object(FPDF, "multi_cell", capture):
        certificate_pdf(certificates=[Certificate.objects.select_related("contract__tambon__programme").get()])
    assert any("โครงการทดสอบชื่อจากข้อมูล" in line for line in written)
    assert not any("(U2T)" in line for line in written)


@pytest.mark.django_db
def test_the_months_a_certificate_needs_come_from_the_programme_definition(world):
    """CDD's definition asks one passed month, U2T's six: the service, the page's list and the dashboards' count
    all read `certificate.consecutive_passed_months` (tambon.roster.selectors.certificate_months)."""
    from reporting.dashboard.selectors import live_certificates_eligible

    (contract,) = hire([person_row(1, world.tambon_a)])
    for month in (1, 2):
        work_accept(contracts=[contract], year=2021, month=month, user=None)
    tambons = world.tambon_a.__class__.objects.filter(pk=world.tambon_a.pk)
    programme = world.programme
    programme.definition = {**(programme.definition or {}), "certificate": {"consecutive_passed_months": 3}}
    programme.save(update_fields=["definition"])
    contract.tambon.programme.refresh_from_db()
    with pytest.raises(ValidationError, match="2 continuous.*needs 3"):
        certificate_issue(contract=contract, user=world.mona)
    assert live_certificates_eligible(tambons) == {}
    programme.definition["certificate"]["consecutive_passed_months"] = 2
    programme.save(update_fields=["definition"])
    contract.tambon.programme.refresh_from_db()
    assert live_certificates_eligible(tambons) == {world.tambon_a.pk: 1}
    assert certificate_issue(contract=contract, user=world.mona).months == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_imports_cannot_both_hire_the_same_person(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    # The person exists (a reserve elsewhere); two imports race to hire them in two tambons.
    hire([person_row(1, world.tambon_b, status="สำรอง")])
    barrier, outcomes = threading.Barrier(2), []
    from tambon.roster.services import importer

    original = importer._write

    def slow_write(*args):
        barrier.wait(timeout=10)  # both have checked and found the person free
        original(*args)

    importer._write = slow_write
    try:

        def run(tambon):
            try:
                result = roster_import(file=io.BytesIO(xlsx_bytes([person_row(1, tambon)])), name="r.xlsx")
                outcomes.append("written" if result.written else "errors")
            except ValidationError as exc:
                outcomes.append(exc.messages[0])
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(t,)) for t in (world.tambon_a, world.tambon_a2)]
        [t.start() for t in threads]
        [t.join(30) for t in threads]
    finally:
        importer._write = original
    assert len(outcomes) == 2 and outcomes.count("written") == 1, outcomes
    assert "errors" not in outcomes  # the loser was stopped by the database constraint, not by the check
    assert Contract.objects.filter(status="active").count() == 1
