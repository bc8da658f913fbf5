"""Journeys of issue #12: a reviewer accepts ten months in one action; a reporter reads the return in the app and
follows its link; a university officer opens their university's dashboard."""

import pytest

from pbm import review
from pbm.models import Notification, ReviewStatus
from reporting.models import MonthlyReport


@pytest.mark.django_db(transaction=True)
def test_reviewer_accepts_ten_months_in_one_action(world, page, login, screenshot):
    months = world.programme.months()[:5]
    reports = [
        MonthlyReport.objects.create(
            tambon=tambon, year=y, month=m, narrative="ok", status=ReviewStatus.SUBMITTED, submitted_by=world.alice
        )  # fmt: skip
        for tambon in (world.tambon_a, world.tambon_a2)
        for y, m in months
    ]
    login("carol")
    page.goto("/reviews/")
    assert page.locator("#reviews input[name=selected]").count() == 10
    page.check("#check-all")  # static/js/check_all.js ticks every row
    assert page.locator("#reviews input[name=selected]:checked").count() == 10
    screenshot("1-ticked")
    page.click("#accept-selected")
    page.wait_for_load_state()
    assert "10" in page.inner_text(".messages")
    screenshot("2-accepted")
    assert set(MonthlyReport.objects.filter(pk__in=[r.pk for r in reports]).values_list("status", flat=True)) == {
        ReviewStatus.ACCEPTED
    }
    assert Notification.objects.filter(user=world.alice).count() == 10  # one per accepted month


@pytest.mark.django_db(transaction=True)
def test_reporter_reads_the_return_and_follows_its_link(world, page, login, screenshot):
    report = MonthlyReport.objects.create(tambon=world.tambon_a, year=2021, month=1, narrative="ok",
                                          status=ReviewStatus.SUBMITTED, submitted_by=world.alice)  # fmt: skip
    review.review_return(obj=report, user=world.carol, reason="ใบสำคัญรับเงินค่าจ้างไม่ครบ")
    login("alice")
    assert page.inner_text("#unread-count") == "1"
    page.click("a.bell")
    item = page.locator("#notifications li").first
    assert "ส่งคืนให้แก้ไข" in item.inner_text() and "ใบสำคัญรับเงินค่าจ้างไม่ครบ" in item.inner_text()
    assert "returned for correction" not in page.inner_text("#notifications")  # Thai reader, Thai only
    screenshot("1-notifications")
    item.locator("a.subject").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/tambons/{world.tambon_a.pk}/reports/2021/1/")
    assert "ใบสำคัญรับเงินค่าจ้างไม่ครบ" in page.inner_text("main")
    assert page.locator("#unread-count").count() == 0  # read now
    screenshot("2-report")


@pytest.mark.django_db(transaction=True)
def test_university_officer_opens_their_universitys_dashboard(world, page, login, screenshot):
    login("mona")
    page.click(".mainnav a:has-text('แดชบอร์ด')")
    page.wait_for_load_state()
    assert page.get_attribute("#dashboard-title", "data-level") == "university"
    assert world.university_a.name in page.inner_text("#dashboard-title")
    table = page.inner_text("#table-completeness")
    assert world.tambon_a.place in table and world.tambon_b.place not in table
    screenshot("1-university-dashboard")
