"""Amounts typed as printed are saved; a wrong one is refused naming the line, in the page's language, and shown
again as typed; the budget page, the .xlsx and the API all keep the satang."""

import io
from decimal import Decimal as D

import pytest
from django.conf import settings
from openpyxl import load_workbook

from reporting.models import Activity, MonthlyAmount, MonthlyReport

from .helpers import enter_sample_plan

pytestmark = pytest.mark.django_db


def _report_url(world) -> str:
    return f"/tambons/{world.tambon_a.pk}/reports/2021/1/"


def _post_actual(client, world, line, typed: str):
    return client.post(_report_url(world), {"version": 0, f"actual_{line.pk}": typed, "save": "1"})


@pytest.mark.parametrize("typed, saved", [
    ("80,000", D("80000")), ("80000.50", D("80000.50")), ("80,000.50", D("80000.50")), ("๘๐,๐๐๐", D("80000")),
    (" 80000 ", D("80000")),
])  # fmt: skip
def test_reporter_saves_an_actual_typed_as_printed(world, client_for, typed, saved):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    response = _post_actual(client_for(world.alice), world, lines["2.1"], typed)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert MonthlyAmount.objects.get(line=lines["2.1"], year=2021, month=1).actual == saved


def test_letters_are_refused_in_thai_naming_the_line_and_kept_in_the_input(world, client_for):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    response = _post_actual(client_for(world.alice), world, lines["2.1"], "80k")
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{lines['2.1'].label}: “80k” ไม่ใช่จำนวนเงิน เขียนจำนวนบาทเป็นตัวเลข เช่น 80,000 หรือ 80,000.50" in page
    assert f'name="actual_{lines["2.1"].pk}" value="80k" inputmode="decimal"' in page
    assert 'type="number"' not in page
    assert not MonthlyReport.objects.exists()
    # the summary at the top links to the box, so an error below the fold is not missed
    assert "ต้องแก้ไข 1 ช่อง ยังไม่ได้บันทึกข้อมูลใด:" in page
    assert f'<li><a href="#id_actual_{lines["2.1"].pk}">{lines["2.1"].label}: “80k” ไม่ใช่จำนวนเงิน' in page


def test_seventeen_digits_get_a_thai_message_with_the_largest_amount(world, client_for):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    page = _post_actual(client_for(world.alice), world, lines["2.1"], "99999999999999999").content.decode()
    assert "“99999999999999999” มากเกินไป เขียนได้ไม่เกิน 999,999,999,999.99" in page
    assert "Ensure that there are no more than" not in page and "ตรวจสอบให้แน่ใจ" not in page
    assert 'value="99999999999999999"' in page


def test_english_page_gets_english_messages(world, client_for):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    client = client_for(world.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = _post_actual(client, world, lines["2.1"], "-500").content.decode()
    assert "an amount cannot be negative (“-500”). Write 0 or more, e.g. 80,000." in page
    assert "ติดลบ" not in page


def test_line_plan_saves_amounts_typed_with_separators(world, client_for):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    line = lines["2.4"]
    url = f"/tambons/{world.tambon_a.pk}/budget/lines/{line.pk}/"
    data = {
        "version": str(line.version),
        "total": "80,000",
        "explanation": "",
        "plan_2021_1": "40,000",
        "plan_2021_2": "๔๐,๐๐๐.๐๐",
    }
    response = client_for(world.alice).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    line.refresh_from_db()
    assert line.total == D("80000")
    assert MonthlyAmount.objects.get(line=line, year=2021, month=2).plan == D("40000")


def test_line_plan_refuses_a_month_naming_it_and_keeps_what_was_typed(world, client_for):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    line = lines["2.4"]
    url = f"/tambons/{world.tambon_a.pk}/budget/lines/{line.pk}/"
    page = client_for(world.alice).post(url, {"total": "80,000", "plan_2021_3": "4o,000"}).content.decode()
    assert "มี.ค. 2564: “4o,000” ไม่ใช่จำนวนเงิน" in page and 'value="4o,000"' in page
    assert 'value="80,000"' in page  # the valid total stays as typed too


def test_activity_budget_and_dates_are_read_as_written(world, client_for):
    enter_sample_plan(world.tambon_a, world.alice)
    from reporting.models import BudgetCategory

    category = BudgetCategory.objects.get(programme=world.programme, code="2.4")
    url = f"/tambons/{world.tambon_a.pk}/budget/activities/new/"
    data = {"category": category.pk, "name": "ปุ๋ยหมัก", "budget": "50,000", "start_date": "31/02/2564"}
    page = client_for(world.alice).post(url, data).content.decode()
    assert "“31/02/2564” ไม่ใช่วันที่ เขียน วัน/เดือน/ปี พ.ศ. เช่น 25/10/2564" in page
    assert 'value="50,000"' in page and 'value="31/02/2564"' in page and not Activity.objects.exists()
    page = client_for(world.alice).post(url, {**data, "name": "", "start_date": "01/03/2564"}).content.decode()
    assert '<a href="#id_name">ชื่อกิจกรรม: ต้องกรอกช่องนี้</a>' in page  # Django's own message, named in the summary
    assert 'value="01/03/2564"' in page  # the date as written, BE
    response = client_for(world.alice).post(url, {**data, "start_date": "01/03/2564", "target_quantity": "1,200"})
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get()
    assert activity.budget == D("50000") and activity.target_quantity == 1200


def test_satang_show_on_the_page_in_the_xlsx_and_the_api(world, client_for):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    client = client_for(world.alice)
    assert _post_actual(client, world, lines["2.1"], "40,935.48").status_code == 302
    t = world.tambon_a.pk
    page = client.get(f"/tambons/{t}/budget/").content.decode()
    assert "40,935.48" in page and ">40,935<" not in page
    sheet = load_workbook(io.BytesIO(client.get(f"/tambons/{t}/budget.xlsx").content)).active
    rows = {sheet.cell(r, 1).value: r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value}
    cell = sheet.cell(rows["2.1"] + 1, 6)
    assert cell.value == pytest.approx(40935.48) and cell.number_format == "#,##0.00"
    api = client.get(f"/api/v1/tambons/{t}/reports/2021/1/").json()
    assert {line["code"]: line["actual"] for line in api["lines"]}["2.1"] == "40935.48"


def test_api_messages_follow_the_language_thai_by_default(world):
    from rest_framework.test import APIClient

    client = APIClient()
    url = f"/api/v1/tambons/{world.tambon_a.pk}/budget/"
    # DRF's own message, missing from DRF's Thai catalogue before (the project's catalogue supplies it).
    client.credentials(HTTP_AUTHORIZATION="Token two words")
    detail = client.get(url).json()["detail"]
    assert detail == "token header ไม่ถูกต้อง โทเค็นต้องไม่มีช่องว่าง"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(url).json()["detail"] == "Invalid token header. Token string should not contain spaces."


@pytest.mark.parametrize("value", [None, "", "80k", '"<b>&', D("80000.5"), D(0)])
def test_report_form_amount_box_is_the_html_django_writes(value):
    """The monthly form's boxes skip the template engine (60 of them on a page); the HTML is Django's own."""
    from pbm.forms import MoneyField, MoneyInput
    from reporting.forms import AmountInput

    templated, direct = MoneyField(widget=MoneyInput).widget, MoneyField(widget=AmountInput).widget
    attrs = {"id": "id_actual_7", "required": True, "disabled": False}
    assert direct.render("actual_7", value, attrs) == templated.render("actual_7", value, attrs)
