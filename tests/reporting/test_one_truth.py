"""One truth for every figure, and a monthly loop that never traps a reporter (issue #10).

Each test names what a person met: a phantom over-budget, a refused submit that trapped the form, a reviewer's
request that could not be carried out, locked months that still moved, an API that told a third story."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from pbm.models import FigureChange, ReviewStatus
from reporting import services
from reporting.deadlines.models import MouPeriod, MouReport
from reporting.models import Activity, BudgetCategory, MonthlyAmount, MonthlyReport
from reporting.selectors import budget_table
from tambon.roster import services as roster
from tambon.roster.demo import national_id
from tambon.roster.models import Contract, ContractStatus, Person, WorkAcceptance

from .helpers import enter_sample, enter_sample_plan

pytestmark = pytest.mark.django_db


def _report_url(tambon, month, year=2021):
    return reverse("report_detail", args=[tambon.pk, year, month])


def _form_data(response) -> dict:
    """What the browser would send back: every field of the rendered form, as rendered."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        if name == "evidence":
            continue
        value = form[name].value()
        data[name] = "" if value is None else str(value)
    return data


def _accept(tambon, month, world):
    report = MonthlyReport.objects.get(tambon=tambon, year=2021, month=month)
    if report.status != ReviewStatus.SUBMITTED:
        services.monthly_report_submit(report=report, user=world.alice)
    return services.monthly_report_accept(report=MonthlyReport.objects.get(pk=report.pk), user=world.carol)


# --- one source per figure ------------------------------------------------------------------------------------


def test_typed_amounts_on_hiring_lines_never_count(world, client_for):
    """The demo once wrote actuals on hiring lines; the over-budget check added them to the wages and refused an
    unchanged save. The table, the check and the API now read the one source: wages only."""
    lines, _reports = enter_sample(world.tambon_a, world.alice)
    MonthlyAmount.objects.filter(line=lines["1.1"], year=2021, month=1).update(actual=D(500000))  # a stray amount
    table = budget_table(tambon=world.tambon_a)
    row = next(r for r in table.rows if r.code == "1.1")
    assert row.cumulative_actual == D(90000) and not row.is_over_budget
    client = client_for(world.alice)
    page = client.get(_report_url(world.tambon_a, 3))
    assert client.post(_report_url(world.tambon_a, 3), _form_data(page)).status_code == 302  # saved unchanged
    api = APIClient()
    api.force_authenticate(world.alice)
    january = api.get(f"/api/v1/tambons/{world.tambon_a.pk}/reports/2021/1/").json()
    hiring = {line["code"]: line["actual"] for line in january["lines"] if line["code"].startswith("1.")}
    assert hiring == {"1.1": "45000.00", "1.2": "150000.00", "1.3": "25000.00"}  # the wages, as the table shows


def test_over_budget_check_agrees_with_the_table(world):
    lines, _reports = enter_sample(world.tambon_a, world.alice)
    with pytest.raises(ValidationError, match="2.4"):
        services.monthly_report_save(tambon=world.tambon_a, year=2021, month=3, user=world.alice, seen_version=None,
                                     actuals={lines["2.4"].pk: D(80001)}, narrative="x")  # fmt: skip
    report = services.monthly_report_save(
        tambon=world.tambon_a, year=2021, month=3, user=world.alice, seen_version=None,
        actuals={lines["2.4"].pk: D(80001)}, narrative="x", over_budget_explanation="ราคาวัสดุขึ้น",
    )  # fmt: skip
    table = budget_table(tambon=world.tambon_a)
    assert report.is_over_budget and [r.code for r in table.rows if r.level >= 2 and r.is_over_budget] == ["2.4"]


# --- save and submit are one step -------------------------------------------------------------------------


def test_refused_monthly_submit_is_fixed_on_the_same_form_and_submitted(world, client_for):
    enter_sample_plan(world.tambon_a, world.alice)
    client = client_for(world.alice)
    url = _report_url(world.tambon_a, 1)
    data = _form_data(client.get(url))
    line_21 = next(k for k in data if k.startswith("actual_"))
    data |= {line_21: "30000", "narrative": "", "submit": "1"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    assert not MonthlyReport.objects.filter(tambon=world.tambon_a, month=1).exists()  # nothing half-written
    again = _form_data(refused)
    assert again[line_21] == "30000" and again["version"] == "0"  # what was typed, and the version as rendered
    again |= {"narrative": "จัดอบรมแปรรูปกล้วย 30 คน", "submit": "1"}
    assert client.post(url, again).status_code == 302
    report = MonthlyReport.objects.get(tambon=world.tambon_a, month=1)
    assert report.status == ReviewStatus.SUBMITTED and report.version == 2  # saved, then submitted


def test_refused_completion_submit_is_fixed_and_submitted(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from tests.reporting.test_file_remove import completion_with_files

    report = completion_with_files(world, "photo.png")
    client = client_for(world.alice)
    url = reverse("completion_report", args=[report.activity_id])
    data = {"version": str(report.version), "results": "", "participants_persons": "25", "submit": "1"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    assert refused.context["form"]["participants_persons"].value() == "25"
    data["results"] = "ผู้เข้าร่วม 25 คน ได้สูตรแปรรูปกล้วยอบ"
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.status == ReviewStatus.SUBMITTED and report.participants == {"persons": 25}


def test_refused_mou_submit_is_fixed_and_submitted(world, client_for):
    url = reverse("mou_report", args=[MouPeriod.SIX_MONTH, "university", world.university_a.pk])
    client = client_for(world.alice)
    page = client.get(url)
    version = page.context["form"]["version"].value()
    refused = client.post(url, {"version": version, "summary": "สรุป 6 เดือน", "results": "", "submit": "1"})
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    assert refused.context["form"]["summary"].value() == "สรุป 6 เดือน"
    fixed = {"version": refused.context["form"]["version"].value(), "summary": "สรุป 6 เดือน",
             "results": "ผลลัพธ์ตามตัวชี้วัด", "submit": "1"}  # fmt: skip
    assert client.post(url, fixed).status_code == 302
    assert MouReport.objects.get(university=world.university_a).status == ReviewStatus.SUBMITTED


def test_report_post_without_its_version_is_refused(world, client_for):
    enter_sample_plan(world.tambon_a, world.alice)
    client = client_for(world.alice)
    data = _form_data(client.get(_report_url(world.tambon_a, 1)))
    data.pop("version")
    data["narrative"] = "overwrite"
    response = client.post(_report_url(world.tambon_a, 1), data)
    assert response.status_code == 200 and "version" in response.context["form"].errors
    assert not MonthlyReport.objects.filter(tambon=world.tambon_a, month=1).exists()


# --- what a lock freezes ----------------------------------------------------------------------------------


def test_reviewers_requested_plan_of_a_later_month_can_be_made(world, client_for):
    """Returned with "plan November for line 2.4" while September is submitted: the November plan saves through
    the page; September's own plan stays as the reviewer saw it."""
    lines = enter_sample_plan(world.tambon_a, world.alice)
    services.monthly_report_save(tambon=world.tambon_a, year=2021, month=9, user=world.alice, seen_version=None,
                                 actuals={}, narrative="September", submit=True)  # fmt: skip
    client = client_for(world.alice)
    url = reverse("line_edit", args=[world.tambon_a.pk, lines["2.3"].pk])
    data = _form_data(client.get(url))
    data |= {"plan_2021_10": "0", "plan_2021_11": "16000"}  # October's plan moves to November
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert MonthlyAmount.objects.get(line=lines["2.3"], year=2021, month=11).plan == D(16000)
    data = _form_data(client.get(url)) | {"plan_2021_9": "1"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    assert MonthlyAmount.objects.get(line=lines["2.3"], year=2021, month=9).plan == D(16000)
    assert MonthlyAmount.objects.get(line=lines["2.3"], year=2021, month=11).plan == D(16000)  # nothing half-written


def test_a_stale_plan_tab_is_refused(world, client_for):
    """Two tabs on one line: the second save, rendered before the first, used to put the plan back silently."""
    lines = enter_sample_plan(world.tambon_a, world.alice)
    client = client_for(world.alice)
    url = reverse("line_edit", args=[world.tambon_a.pk, lines["2.5"].pk])
    tab_1, tab_2 = _form_data(client.get(url)), _form_data(client.get(url))
    assert client.post(url, tab_1 | {"plan_2021_10": "1"}).status_code == 302
    stale = client.post(url, tab_2 | {"plan_2021_10": "0"})
    assert stale.status_code == 200 and "Reload" in str(stale.context["form"].non_field_errors()) or \
        "โหลด" in str(stale.context["form"].non_field_errors())  # fmt: skip
    assert MonthlyAmount.objects.get(line=lines["2.5"], year=2021, month=10).plan == D(1)


@pytest.fixture
def locked_january(world):
    """January accepted (its wages and actuals reviewed), February open."""
    lines, _reports = enter_sample(world.tambon_a, world.alice, months=(1,))
    _accept(world.tambon_a, 1, world)
    return lines


def _figures(tambon):
    table = budget_table(tambon=tambon)
    return [
        (r.code, r.line.pk if r.line else None, r.total, r.cells[0]) for r in table.rows
    ]  # January's plan and actual of every row


def test_no_roster_action_changes_a_locked_month(world, locked_january, client_for):
    before = _figures(world.tambon_a)
    person = Contract.objects.filter(tambon=world.tambon_a, status=ContractStatus.ACTIVE).select_related("person")[0]
    january_work = WorkAcceptance.objects.filter(contract__tambon=world.tambon_a, year=2021, month=1)
    newcomer = Contract.objects.create(
        person=Person.objects.create(national_id=national_id(990001), first_name="ใหม่", last_name="สำรอง"),
        tambon=world.tambon_a, hiring_type=person.hiring_type, start_date=dt.date(2021, 1, 1),
        status=ContractStatus.ACTIVE,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="locked"):
        roster.work_accept(contracts=[newcomer], year=2021, month=1, user=world.mona)
    with pytest.raises(ValidationError, match="locked"):
        roster.work_unaccept(contract=person, year=2021, month=1, user=world.mona)
    with pytest.raises(ValidationError, match="locked"):
        roster.contract_resign(contract=person, notice_date=dt.date(2021, 1, 5), last_day=dt.date(2021, 1, 20))
    with pytest.raises(ValidationError, match="locked"):
        roster.contract_terminate(contract=person, last_day=dt.date(2021, 1, 20), reason="ขาดงาน")
    client = client_for(world.mona)  # the team page's own door
    response = client.post(reverse("roster_contract_action", args=[person.pk, "resign"]),
                           {"notice_date": "2021-01-05", "last_day": "2021-01-20",
                            "version": person.updated_at.isoformat()})  # fmt: skip
    assert response.status_code == 200
    assert january_work.count() == 20 and _figures(world.tambon_a) == before
    # February is open: the same person may resign there, and their February work is then prorated.
    roster.contract_resign(contract=person, notice_date=dt.date(2021, 1, 15), last_day=dt.date(2021, 2, 14))
    assert _figures(world.tambon_a) == before


def test_replacement_starting_in_a_locked_month_is_refused(world, locked_january):
    ended = Contract.objects.filter(tambon=world.tambon_a, status=ContractStatus.ACTIVE)[0]
    roster.contract_resign(contract=ended, notice_date=dt.date(2021, 1, 2), last_day=dt.date(2021, 2, 10))
    reserve = Contract.objects.create(
        person=Person.objects.create(national_id=national_id(990002), first_name="สำรอง", last_name="หนึ่ง"),
        tambon=world.tambon_a, hiring_type=ended.hiring_type, start_date=dt.date(2021, 1, 1),
        status=ContractStatus.RESERVE, reserve_rank=1,
    )  # fmt: skip
    ended.refresh_from_db()
    with pytest.raises(ValidationError):  # starts before the last day: refused for that reason first
        roster.contract_replace(ended=ended, reserve=reserve, start_date=dt.date(2021, 1, 25))
    roster.contract_replace(ended=ended, reserve=reserve, start_date=dt.date(2021, 2, 11), user=world.mona)
    assert FigureChange.objects.filter(tambon=world.tambon_a, year=2021, month=2, field="replacement").exists()


def test_no_page_changes_a_locked_month(world, locked_january, client_for):
    before = _figures(world.tambon_a)
    client = client_for(world.alice)
    data = _form_data(client.get(_report_url(world.tambon_a, 1)))
    assert client.post(_report_url(world.tambon_a, 1), data | {"narrative": "changed"}).status_code == 200
    line = locked_january["2.1"]
    url = reverse("line_edit", args=[world.tambon_a.pk, line.pk])
    assert client.post(url, _form_data(client.get(url)) | {"plan_2021_1": "1"}).status_code == 200
    assert _figures(world.tambon_a) == before


def test_an_activity_with_spending_in_a_locked_month_keeps_its_budget(world, client_for):
    enter_sample_plan(world.tambon_a, world.alice)
    category = BudgetCategory.objects.get(programme=world.programme, code="2.1")
    activity = services.activity_save(tambon=world.tambon_a, user=world.alice, category=category, name="แปรรูปกล้วย",
                                      budget=D(50000), start_date=dt.date(2021, 1, 5))  # fmt: skip
    services.line_plan_save(line=activity.line, user=world.alice, plans={(2021, 1): D(50000)})
    services.line_plan_save(
        line=services.BudgetLine.objects.get(tambon=world.tambon_a, category=category, activity__isnull=True),
        user=world.alice,
        plans={(2021, 1): D(0), (2021, 2): D(14000)},
    )  # 50,000 to the activity
    services.monthly_report_save(tambon=world.tambon_a, year=2021, month=1, user=world.alice, seen_version=None,
                                 actuals={activity.line.pk: D(12000)}, narrative="อบรม")  # fmt: skip
    _accept(world.tambon_a, 1, world)
    client = client_for(world.alice)
    url = reverse("activity_edit", args=[world.tambon_a.pk, activity.pk])
    page = client.get(url)
    data = {k: v for k, v in _form_data(page).items()} | {"budget": "60000"}
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Activity.objects.get(pk=activity.pk).budget == D(50000)
    assert client.post(url, data | {"budget": "50000", "name": "แปรรูปกล้วยหอม"}).status_code == 302  # a name may


def test_admin_is_no_door_around_the_locks(world, locked_january):
    request = RequestFactory().get("/admin/")
    request.user = world.nina
    report = MonthlyReport.objects.get(tambon=world.tambon_a, month=1)
    assert not site._registry[MonthlyReport].has_change_permission(request, report)
    assert not site._registry[Activity].has_change_permission(request)
    readonly = site._registry[Contract].get_readonly_fields(request, Contract.objects.first())
    assert {"start_date", "end_date", "left_on", "status"} <= set(readonly)


def test_the_lock_exception_reopens_exactly_the_month_it_names(world, client_for):
    lines, _reports = enter_sample(world.tambon_a, world.alice)
    _accept(world.tambon_a, 1, world)
    _accept(world.tambon_a, 2, world)
    services.monthly_report_reopen(report=MonthlyReport.objects.get(tambon=world.tambon_a, month=1), user=world.nora,
                                   reason="ใบเสร็จเดือนมกราคมผิดรายการ")  # fmt: skip
    services.monthly_report_save(tambon=world.tambon_a, year=2021, month=1, user=world.alice, seen_version=None,
                                 actuals={lines["2.1"].pk: D(29000)}, narrative="แก้ตามที่ส่วนกลางขอ")  # fmt: skip
    with pytest.raises(ValidationError, match="locked"):
        services.monthly_report_save(tambon=world.tambon_a, year=2021, month=2, user=world.alice, seen_version=None,
                                     actuals={lines["2.1"].pk: D(1)}, narrative="x")  # fmt: skip
    page = client_for(world.alice).get(_report_url(world.tambon_a, 1))
    texts = [c for e in page.context["history"] for c in e.changes] + [e.reason for e in page.context["history"]]
    assert "ใบเสร็จเดือนมกราคมผิดรายการ" in texts


# --- history ----------------------------------------------------------------------------------------------


def test_month_history_shows_every_figure_from_the_first_save_with_names_and_thai_labels(world, client_for):
    world.alice.first_name, world.alice.last_name = "อลิสา", "ใจดี"
    world.alice.save()
    lines = enter_sample_plan(world.tambon_a, world.alice)
    services.monthly_report_save(tambon=world.tambon_a, year=2021, month=1, user=world.alice, seen_version=None,
                                 actuals={lines["2.1"].pk: D(30000)}, narrative="ครั้งแรก")  # fmt: skip
    services.line_plan_save(line=lines["2.2"], user=world.alice, plans={(2021, 1): D(17000)})
    client = client_for(world.alice)
    html = client.get(_report_url(world.tambon_a, 1), HTTP_ACCEPT_LANGUAGE="th").content.decode()
    history = html[html.index('id="history"') :]
    assert "อลิสา ใจดี" in history and "2.1" in history and "30,000" in history and "17,000" in history
    assert "narrative" not in history and "actual" not in history  # labels, in Thai


def test_no_api_call_changes_a_locked_month(world, locked_january):
    """The API reads figures; no method writes them (its writes are a later issue: they will call these services)."""
    before = _figures(world.tambon_a)
    api = APIClient()
    api.force_authenticate(world.nina)
    for url in (f"/api/v1/tambons/{world.tambon_a.pk}/reports/2021/1/", f"/api/v1/tambons/{world.tambon_a.pk}/budget/"):
        for method in (api.post, api.put, api.patch, api.delete):
            assert method(url, {"narrative": "x", "lines": []}, format="json").status_code == 405
    assert _figures(world.tambon_a) == before
