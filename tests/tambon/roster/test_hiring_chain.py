"""The hiring chain (issue #15 items 3-6): changes copied to NSI and the network and exported for the Ministry of
Labour; the wage chain and its reconciliation; the person's monthly work report; eligibility at hiring."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook

from pbm.models import Notification
from tambon.models import Tambon
from tambon.roster import labour
from tambon.roster.models import Contract, Eligibility, WagePayment, WorkAcceptance
from tambon.roster.selectors import monthly_summary, wage_reconciliation, wages_due
from tambon.roster.services import contract_replace, contract_resign, eligibility_record, roster_import, work_accept
from tambon.roster.services.month import ReportEntry, work_reports_save
from tambon.roster.services.wages import instalment_record, wage_payments_record, wage_transfer_record

from .conftest import person_row, xlsx_bytes


def hire(rows):
    result = roster_import(file=io.BytesIO(xlsx_bytes(rows)), name="r.xlsx")
    assert result.errors == [], [str(e) for e in result.errors]
    return list(Contract.objects.select_related("hiring_type", "tambon__programme", "person").order_by("id"))


ELIGIBLE_CITIZEN = {"residency": "district", "unemployed": True, "no_other_state_wage": True}


# --- item 4 ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_resignation_and_replacement_are_copied_to_nsi_and_the_network_and_listed_for_labour(world):
    left, reserve, second = hire([person_row(1, world.tambon_a),
                                  person_row(2, world.tambon_a, status="สำรอง", reserve_rank=1),
                                  person_row(3, world.tambon_a, status="สำรอง", reserve_rank=2)])  # fmt: skip
    contract_resign(contract=left, notice_date=dt.date(2021, 3, 20), last_day=dt.date(2021, 4, 10), reason="ย้ายบ้าน")
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"nina", "nora", "carol"}  # NSI and network 1's RSI; not dave (network 2) nor the university
    contract_replace(ended=left, reserve=reserve, start_date=dt.date(2021, 4, 11), eligibility=ELIGIBLE_CITIZEN)
    assert Notification.objects.filter(user__username="carol").count() == 2
    tambons = Tambon.objects.filter(university=world.university_a)
    changes = labour.hiring_changes(tambons=tambons, start=dt.date(2021, 3, 1), end=dt.date(2021, 4, 30))
    assert [(c.kind, c.contract.person.national_id) for c in changes] == [
        ("resigned", left.person.national_id), ("replaced", reserve.person.national_id)]  # fmt: skip
    # the export for the Ministry of Labour: its documented columns, the two changes, the notice and the link
    book = load_workbook(io.BytesIO(labour.changes_xlsx(tambons=tambons, start=dt.date(2021, 3, 1),
                                                        end=dt.date(2021, 4, 30), who="A")))  # fmt: skip
    rows = list(book.active.iter_rows(min_row=3, values_only=True))
    assert list(rows[0]) == [c.header for c in labour.CHANGE_COLUMNS]
    header = {h: i for i, h in enumerate(rows[0])}
    assert rows[1][header["การเปลี่ยนแปลง"]] == "ลาออก" and rows[1][header["วันที่แจ้งลาออก"]] == "20/03/2564"
    assert rows[1][header["แจ้งล่วงหน้าไม่ถึง 1 เดือน"]] == "ใช่"
    assert rows[2][header["แทนผู้ถูกจ้าง (เลขประจำตัวประชาชน)"]] == left.person.national_id
    # another range: nothing; the follow-up workbook lists everyone under contract in the range
    assert labour.hiring_changes(tambons=tambons, start=dt.date(2021, 6, 1), end=dt.date(2021, 6, 30)) == []
    follow = list(labour.follow_up_rows(tambons=tambons, start=dt.date(2021, 4, 1), end=dt.date(2021, 4, 30)))
    assert {(r["national_id"], r["status"]) for r in follow} == {
        (left.person.national_id, "ลาออก"), (reserve.person.national_id, "ปฏิบัติงาน")}  # fmt: skip
    assert second.status == "reserve"
    with pytest.raises(labour.RangeError):
        labour.hiring_changes(tambons=tambons, start=dt.date(2021, 5, 1), end=dt.date(2021, 4, 1))


@pytest.mark.django_db
def test_labour_pages_and_exports_follow_scope(world, client_for):
    hire([person_row(1, world.tambon_a)])
    mona, bob, alice = client_for(world.mona), client_for(world.bob), client_for(world.alice)
    url = f"/universities/{world.university_a.pk}/roster/changes/"
    assert mona.get(url + "?start=01/01/2564&end=31/01/2564").status_code == 200
    assert "จ้างงานใหม่" in mona.get(url + "?start=01/01/2564&end=31/01/2564").content.decode()
    response = mona.get(url + "labour.xlsx?start=01/01/2564&end=31/01/2564")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert mona.get(url + "labour.xlsx?start=31/01/2564&end=01/01/2564").status_code == 400
    assert bob.get(url).status_code == 404  # another university's
    assert alice.get(url).status_code == 403  # a reporter does not handle the payroll


# --- item 5 ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_due_transferred_and_paid_agree_and_a_planted_difference_is_listed(world):
    people = hire([person_row(1, world.tambon_a), person_row(2, world.tambon_a, hiring_type="student")])
    programme = world.programme
    for month in (1, 2):
        work_accept(contracts=people, year=2021, month=month, user=None)
        due = sum(wages_due(tambon_ids=[world.tambon_a.pk], year=2021, month=month).values())
        wage_transfer_record(university=world.university_a, programme=programme, year=2021, month=month, amount=due,
                             transferred_on=dt.date(2021, month, 25), reference=f"T-{month}", user=None)  # fmt: skip
        wage_payments_record(contracts=people, year=2021, month=month, paid_on=dt.date(2021, month, 28), user=None)
    rec = wage_reconciliation(universities=[world.university_a], programme=programme)
    assert rec.differences == [] and all(m.agrees for m in rec.months)
    assert rec.total("due") == rec.total("transferred") == rec.total("paid") == Decimal("28000.00")
    # planted: the student paid 4,500 in February instead of 5,000
    wage_payments_record(contracts=[people[1]], year=2021, month=2, paid_on=dt.date(2021, 2, 28),
                         amounts={people[1].pk: Decimal("4500")}, user=None)  # fmt: skip
    rec = wage_reconciliation(universities=[world.university_a], programme=programme)
    assert [(d.what, d.month, d.expected, d.found) for d in rec.differences] == [
        ("payment", 2, Decimal("14000.00"), Decimal("13500.00")),
        ("person", 2, Decimal("5000.00"), Decimal("4500.00")),
    ]
    assert rec.differences[1].contract == people[1] and rec.differences[1].delta == Decimal("-500.00")
    assert WagePayment.objects.count() == 4  # the correction replaced the payment, never doubled it


@pytest.mark.django_db
def test_payments_need_accepted_work_and_instalments_are_numbered_by_the_programme(world):
    (person,) = hire([person_row(1, world.tambon_a)])
    with pytest.raises(ValidationError, match="not accepted"):
        wage_payments_record(contracts=[person], year=2021, month=3, paid_on=dt.date(2021, 3, 30), user=None)
    instalment_record(programme=world.programme, recipient=world.university_a, number=1, amount=Decimal("21500"),
                      paid_on=dt.date(2021, 1, 15), reference="GFMS-1", user=None)  # fmt: skip
    with pytest.raises(ValidationError, match="already recorded"):
        instalment_record(programme=world.programme, recipient=world.university_a, number=1, amount=Decimal("1"),
                          paid_on=dt.date(2021, 1, 15), reference="GFMS-2", user=None)  # fmt: skip
    with pytest.raises(ValidationError, match="instalments 1, 2"):
        instalment_record(programme=world.programme, recipient=world.university_a, number=3, amount=Decimal("1"),
                          paid_on=dt.date(2021, 1, 15), reference="GFMS-3", user=None)  # fmt: skip


@pytest.mark.django_db
def test_wage_pages_scope_and_payment_through_the_form(world, client_for):
    people = hire([person_row(1, world.tambon_a)])
    work_accept(contracts=people, year=2021, month=1, user=None)
    mona = client_for(world.mona)
    url = f"/universities/{world.university_a.pk}/wages/"
    response = mona.post(url, {"action": "pay", "pay-month": "2021-1", "pay-paid_on": "28/01/2564",
                               "pay-reference": "PAY-1"})  # fmt: skip
    assert response.status_code == 302 and WagePayment.objects.get().amount == Decimal("9000.00")
    assert mona.post(url, {"action": "transfer", "transfer-month": "2021-1", "transfer-amount": "9,000",
                           "transfer-transferred_on": "25/01/2564", "transfer-reference": "X"}).status_code == 403  # fmt: skip
    nina = client_for(world.nina)
    nina.post(url, {"action": "transfer", "transfer-month": "2021-1", "transfer-amount": "9,000",
                    "transfer-transferred_on": "25/01/2564", "transfer-reference": "T-1"})  # fmt: skip
    page = nina.get(url).content.decode()
    assert "T-1" in page and "differences" in page
    assert nina.get("/wages/").status_code == 200
    assert client_for(world.carol).get("/wages/").status_code == 404


# --- item 3 ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_work_reports_are_read_by_acceptance_and_the_monthly_summary(world, client_for):
    a, b = hire([person_row(1, world.tambon_a), person_row(2, world.tambon_a, start_date="15/01/2564")])
    mona = client_for(world.mona)
    url = f"/tambons/{world.tambon_a.pk}/team/reports/2021/1/"
    response = mona.post(url, {f"p{a.pk}-tasks": "สำรวจข้อมูลครัวเรือน", f"p{a.pk}-days_worked": "20",
                               f"p{b.pk}-tasks": "ประชุมชุมชน", f"p{b.pk}-days_worked": "25"})  # fmt: skip
    assert response.status_code == 200  # shown again with the reason
    assert a.work_reports.count() == 0  # b: 25 days, but 17 under contract: all or nothing, nothing saved
    translation.activate("en")  # the page answered in Thai; the service's messages are asserted in English
    with pytest.raises(ValidationError, match="only 17 days"):
        work_reports_save(tambon=world.tambon_a, year=2021, month=1, user=None,
                          entries={b.pk: ReportEntry("ประชุม", 25)})  # fmt: skip
    work_reports_save(tambon=world.tambon_a, year=2021, month=1, user=None,
                      entries={a.pk: ReportEntry("สำรวจข้อมูลครัวเรือน", 20, "https://example.org/photo")})  # fmt: skip
    work_accept(contracts=[a, b], year=2021, month=1, user=None)
    accepted = {w.contract_id: w for w in WorkAcceptance.objects.all()}
    assert accepted[a.pk].work_report is not None and accepted[b.pk].work_report is None
    (line,) = [x for x in monthly_summary(university=world.university_a, programme=world.programme, year=2021,
                                          month=1) if x.tambon == world.tambon_a]  # fmt: skip
    assert (line.people, line.reported, line.days_worked, line.accepted, line.accepted_without_report) == (
        2,
        1,
        20,
        2,
        1,
    )
    assert line.wages_due == sum(wages_due(tambon_ids=[world.tambon_a.pk], year=2021, month=1).values())
    with pytest.raises(ValidationError, match="accepted already"):
        work_reports_save(tambon=world.tambon_a, year=2021, month=1, user=None,
                          entries={a.pk: ReportEntry("แก้ไข", 19)})  # fmt: skip
    page = mona.get(f"/universities/{world.university_a.pk}/roster/summary/2021/1/").content.decode()
    assert "20" in page
    assert client_for(world.bob).get(url).status_code == 404


# --- item 6 ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_eligibility_rules_come_from_the_programme_and_block_an_ineligible_replacement(world):
    left, reserve, student = hire([
        person_row(1, world.tambon_a), person_row(2, world.tambon_a, status="สำรอง", reserve_rank=1),
        person_row(3, world.tambon_a, hiring_type="student"),
    ])  # fmt: skip
    record = eligibility_record(contract=reserve, user=None, residency="other", unemployed=True)
    assert len(record.problems) == 2  # lives elsewhere, and gets another state wage (not ticked)
    assert eligibility_record(contract=student, user=None, enrolled_institution="มหาวิทยาลัย A").problems
    assert eligibility_record(contract=student, user=None, enrolled_institution="มหาวิทยาลัย A",
                              enrolment_verified=True).eligible  # fmt: skip
    contract_resign(contract=left, notice_date=dt.date(2021, 3, 1), last_day=dt.date(2021, 4, 30))
    with pytest.raises(ValidationError, match="not eligible"):
        contract_replace(ended=left, reserve=reserve, start_date=dt.date(2021, 5, 1))
    with pytest.raises(ValidationError, match="tambon or its district"):
        contract_replace(ended=left, reserve=reserve, start_date=dt.date(2021, 5, 1),
                         eligibility={"residency": "other", "unemployed": True, "no_other_state_wage": True})  # fmt: skip
    contract_replace(ended=left, reserve=reserve, start_date=dt.date(2021, 5, 1), eligibility=ELIGIBLE_CITIZEN)
    assert Eligibility.objects.get(contract=reserve).eligible


@pytest.mark.django_db
def test_graduation_years_are_read_from_the_programme_definition(world):
    (graduate,) = hire([person_row(1, world.tambon_a, hiring_type="บัณฑิตจบใหม่", graduated_on="2020-03-01")])
    from tambon.roster.services.eligibility import graduation_years

    assert graduation_years(world.programme) == {"graduate": 3}
    assert not eligibility_record(contract=graduate, user=None, graduated_on=dt.date(2020, 3, 1)).problems
    assert eligibility_record(contract=graduate, user=None, graduated_on=dt.date(2017, 12, 31)).problems
    assert eligibility_record(contract=graduate, user=None, graduated_on=None).problems


# --- the demo: every page has something, and the reconciliation of a demo university --------------------------


@pytest.mark.django_db
def test_demo_university_wages_agree_but_for_the_unpaid_last_month_and_the_planted_shortfall(world):
    import random

    from tambon import demo as tambon_demo
    from tambon.roster import demo
    from tambon.roster.models import ManagementInstalment, WorkReport

    tambons = [world.tambon_a, world.tambon_b]
    context = tambon_demo.DemoContext(scale="small", programme=world.programme, rng=random.Random(7), tambons=tambons)
    demo.seed(context=context)
    rec = wage_reconciliation(universities=[world.university_a], programme=world.programme)
    months = world.programme.months()[: demo.ACCEPTED_MONTHS]
    assert [(m.year, m.month) for m in rec.months] == months
    assert all(m.due == m.transferred for m in rec.months)
    agreeing = [m for m in rec.months if m.agrees]
    assert [(m.year, m.month) for m in agreeing] == [ym for ym in months[:-1] if ym != (2021, 3)]
    kinds = {(d.what, d.month) for d in rec.differences}
    assert ("payment", 3) in kinds and ("person", 3) in kinds and ("payment", months[-1][1]) in kinds
    (short,) = [d for d in rec.differences if d.what == "person" and d.month == 3]
    assert short.delta == Decimal("-500.00")
    # the resignation and its replacement, on the Labour export
    changes = labour.hiring_changes(tambons=Tambon.objects.filter(pk=world.tambon_a.pk),
                                    start=dt.date(2021, 10, 1), end=dt.date(2021, 11, 30))  # fmt: skip
    assert [c.kind for c in changes] == ["resigned", "replaced"] and changes[0].contract.short_notice
    assert WorkReport.objects.exists() and Eligibility.objects.filter(problems=[]).exists()
    assert ManagementInstalment.objects.filter(university=world.university_a).exists()
    demo.seed(context=context)  # re-run: nothing doubled
    assert wage_reconciliation(universities=[world.university_a], programme=world.programme).total("paid") == rec.total(
        "paid"
    )


@pytest.mark.django_db
def test_the_reserve_list_is_offered_in_rank_order_and_passing_over_is_explained(world):
    from pbm.models import FigureChange

    left, second, first = hire([person_row(1, world.tambon_a),
                                person_row(2, world.tambon_a, status="สำรอง", reserve_rank=2),
                                person_row(3, world.tambon_a, status="สำรอง", reserve_rank=1)])  # fmt: skip
    contract_resign(contract=left, notice_date=dt.date(2021, 3, 1), last_day=dt.date(2021, 4, 30))
    with pytest.raises(ValidationError, match="rank order"):
        contract_replace(ended=left, reserve=second, start_date=dt.date(2021, 5, 1), eligibility=ELIGIBLE_CITIZEN)
    contract_replace(ended=left, reserve=second, start_date=dt.date(2021, 5, 1), eligibility=ELIGIBLE_CITIZEN,
                     passed_over_reason="ลำดับ 1 สละสิทธิ์")  # fmt: skip
    assert FigureChange.objects.filter(field="passed_over", new="ลำดับ 1 สละสิทธิ์").exists()
    first.refresh_from_db()
    assert first.status == "reserve"


@pytest.mark.django_db
def test_pages_eligibility_instalments_national_files_and_the_summary_workbook(world, client_for):
    from tambon.roster.models import ManagementInstalment

    (person,) = hire([person_row(1, world.tambon_a)])
    mona, nina = client_for(world.mona), client_for(world.nina)
    url = f"/roster/contracts/{person.pk}/eligibility/"
    page = mona.get(url).content.decode()
    assert "มีภูมิลำเนาในตำบลหรืออำเภอที่ปฏิบัติงาน" in page  # the programme's rules for a citizen, in Thai
    version = Contract.objects.get(pk=person.pk).updated_at.isoformat()
    mona.post(url, {"residency": "other", "unemployed": "on", "version": version})
    assert Eligibility.objects.get(contract=person).problems  # lives elsewhere, another state wage not excluded
    assert "ขาดคุณสมบัติ" in mona.get(f"/tambons/{world.tambon_a.pk}/team/").content.decode()
    # the NSI admin records an instalment; the national files carry everyone
    response = nina.post("/wages/", {"recipient": f"u{world.university_a.pk}", "number": "1", "amount": "43,000",
                                     "paid_on": "15/01/2564", "reference": "GFMS-A-1"})  # fmt: skip
    assert response.status_code == 302 and ManagementInstalment.objects.get().amount == Decimal("43000")
    assert "GFMS-A-1" in nina.get("/wages/").content.decode()
    assert client_for(world.nora).post("/wages/", {"recipient": f"u{world.university_a.pk}"}).status_code == 403
    follow = nina.get("/roster/changes/follow-up.xlsx?start=01/01/2564&end=31/12/2564")
    rows = list(load_workbook(io.BytesIO(follow.content)).active.iter_rows(min_row=4, values_only=True))
    assert [r[4] for r in rows] == [person.person.national_id]
    summary = mona.get(f"/universities/{world.university_a.pk}/roster/summary/2021/1/?format=xlsx")
    header = next(load_workbook(io.BytesIO(summary.content)).active.iter_rows(min_row=3, values_only=True))
    assert header[0] == "รหัสตำบล" and "ค่าจ้างที่ต้องจ่าย (บาท)" in header
    assert mona.get(f"/universities/{world.university_a.pk}/roster/summary/2030/1/").status_code == 404


@pytest.mark.django_db
def test_the_persons_own_report_through_their_personal_link(world, client, client_for, settings):
    from tambon.roster.models import WorkReport
    from tambon.roster.personal import personal_token

    person, other = hire([person_row(1, world.tambon_a), person_row(2, world.tambon_a)])
    links = client_for(world.mona).get(f"/tambons/{world.tambon_a.pk}/team/reports/2021/2/").content.decode()
    token = personal_token(person)
    assert f"/me/report/{token}/" in links  # the university hands the link out from its work reports page
    url = f"/me/report/{token}/"
    page = client.get(url).content.decode()  # nobody logged in
    assert person.person.full_name in page and other.person.full_name not in page
    response = client.post(url, {"month": "2021-2", "tasks": "ลงพื้นที่สำรวจ", "days_worked": "19", "evidence": ""})
    assert response.status_code == 302
    report = WorkReport.objects.get(contract=person)
    assert (report.year, report.month, report.days_worked, report.by_person, report.entered_by) == (
        2021,
        2,
        19,
        True,
        None,
    )
    refused = client.post(url, {"month": "2021-2", "tasks": "x", "days_worked": "40"})  # more than the month has
    assert refused.status_code == 200 and WorkReport.objects.get(contract=person).days_worked == 19
    work_accept(contracts=[person], year=2021, month=2, user=None)
    assert '"2021-2"' not in client.get(url).content.decode()  # an accepted month is closed to the person
    assert client.get(f"/me/report/{token[:-2]}xx/").status_code == 404  # forged
    settings.ROSTER_PERSONAL_LINK_DAYS = 0
    assert client.get(url).status_code == 404  # expired
    settings.ROSTER_PERSONAL_LINK_DAYS = 45
    contract_resign(contract=Contract.objects.get(pk=person.pk), notice_date=dt.date(2021, 3, 1),
                    last_day=dt.date(2021, 4, 30))  # fmt: skip
    assert client.get(url).status_code == 404  # a changed contract voids the links given before
