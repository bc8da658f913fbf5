"""usi1 files January and submits; rsi1 returns it; usi1 fixes and resubmits; rsi1 accepts; the .xlsx holds it."""

import io

import pytest
from openpyxl import load_workbook

from reporting.models import MonthlyReport
from tests.reporting.helpers import enter_hiring, enter_sample_plan


@pytest.mark.django_db(transaction=True)
def test_month_goes_through_return_and_acceptance_then_exports(world, page, login, screenshot):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    enter_hiring(world.tambon_a, world.alice, months=(1,))  # hiring actuals come from the roster's accepted work
    report_url = f"/tambons/{world.tambon_a.pk}/reports/2021/1/"

    login("alice")
    page.goto(f"/tambons/{world.tambon_a.pk}/")
    page.click("#budget-section a[href$='/budget/']")
    page.click("#budget-table thead a[href$='/reports/2021/1/']")
    page.fill(f"[name=actual_{lines['2.1'].pk}]", "3000")
    page.fill("[name=narrative]", "เปิดตลาดชุมชน")
    page.click("button[name=submit]")
    assert MonthlyReport.objects.get().status == "submitted"
    assert page.locator("#read-only-reason").is_visible()  # submitted, awaiting review: read-only to the reporter
    screenshot("1-submitted")

    login("carol")
    page.goto(report_url)
    page.fill("#review-form [name=reason]", "2.1: แนบใบเสร็จ")
    page.click("#review-form button[value=return]")
    assert MonthlyReport.objects.get().status == "returned"

    login("alice")
    page.goto(report_url)
    assert "2.1: แนบใบเสร็จ" in page.inner_text("#return-reason")
    page.fill(f"[name=actual_{lines['2.1'].pk}]", "30000")
    page.click("button[name=submit]")
    screenshot("3-resubmitted")

    login("carol")
    page.goto(report_url)
    page.click("#review-form button[value=accept]")
    assert MonthlyReport.objects.get().status == "accepted"
    history = page.inner_text("#history")
    assert page.locator("#history tbody tr").count() >= 5 and "30,000" in history and "3,000" in history
    screenshot("4-accepted")

    page.goto(f"/tambons/{world.tambon_a.pk}/budget/")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    with open(download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = {sheet.cell(r, 1).value: r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 1).value}
    assert sheet.cell(rows["2.1"] + 1, 6).value == 30000
    assert sheet.cell(rows["1.1"] + 1, 6).value == 45000
    assert sheet.cell(rows["2.1"] + 1, 19).value == pytest.approx(93.75)  # 30,000 of the 32,000 planned


@pytest.mark.django_db(transaction=True)
def test_a_refused_submit_is_fixed_on_the_same_page_and_submitted(world, page, login, screenshot):
    """The way back from a mistake: submitting without the month's progress is refused, the page keeps what was
    typed, and writing the progress and pressing submit again submits (it used to say "someone else changed")."""
    lines = enter_sample_plan(world.tambon_a, world.alice)
    login("alice")
    page.goto(f"/tambons/{world.tambon_a.pk}/reports/2021/1/")
    page.fill(f"[name=actual_{lines['2.1'].pk}]", "30000")
    page.click("button[name=submit]")
    assert page.locator("#report-form .errorlist").count() >= 1
    assert page.input_value(f"[name=actual_{lines['2.1'].pk}]").replace(",", "") in ("30000", "30000.00")
    assert not MonthlyReport.objects.exists()  # nothing was written
    screenshot("1-refused")
    page.fill("[name=narrative]", "จัดอบรมแปรรูปกล้วย 30 คน")
    page.click("button[name=submit]")
    report = MonthlyReport.objects.get()
    assert report.status == "submitted" and report.narrative == "จัดอบรมแปรรูปกล้วย 30 คน"
    assert page.locator("#read-only-reason").is_visible()
    screenshot("2-submitted")
