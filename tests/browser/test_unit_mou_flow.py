"""Tambon Smart Team's half-year report, as its people make it: a district officer opens it from their district's
dashboard, writes and submits it; the province reviewer finds it on the review list and accepts it; the 2nd
instalment of a tambon of that district then shows as eligible, naming the district."""

from io import StringIO

import pytest
from django.core.management import call_command

from pbm.models import ReviewStatus
from reporting.deadlines.models import MouReport
from tambon.demo import DEMO_PASSWORD
from tambon.models import Tambon, Unit


@pytest.mark.django_db(transaction=True)
def test_a_district_files_its_half_year_report_and_the_province_accepts_it(page, login, screenshot):
    call_command("seed_demo", "--programme", "tambon-smart-team-2565", stdout=StringIO())
    district = Unit.objects.get(programme__code="tambon-smart-team-2565", level__code="district", code="1101")
    tambon = Tambon.objects.filter(unit__parent=district).order_by("pk").first()

    login("tambon-smart-team-d1101", DEMO_PASSWORD)  # lands on the district's dashboard
    assert f"/dashboard/units/{district.pk}/" in page.url
    page.click("#unit-mou-links a >> nth=0")
    assert f"อำเภอ{district.name_th}" in page.inner_text("h1")
    page.fill("#id_summary", "ทีมตำบลลงพื้นที่ครบทุกหมู่บ้านในอำเภอ")
    page.fill("#id_results", "จัดเก็บข้อมูลหมู่บ้าน (Village Big Data) ครบ 5 ด้าน")
    page.click("#mou-form button[name=submit]")
    assert "ส่งแล้ว รอการตรวจ" in page.inner_text("#status")
    screenshot("district-submitted")

    login("tambon-smart-team-p11", DEMO_PASSWORD)
    page.click("nav.mainnav a[href='/reviews/']")
    page.select_option("#f-kind", "mou")
    page.click("#review-filters button[type=submit]")
    assert district.name_th in page.inner_text("#reviews")
    page.click("#reviews tbody a")
    page.click("#review-form button[value=accept]")
    assert "ตรวจรับแล้ว" in page.inner_text("#status")
    screenshot("province-accepted")
    assert MouReport.objects.get(unit=district).status == ReviewStatus.ACCEPTED

    page.goto(f"/tambons/{tambon.pk}/")
    second = page.locator("#instalment-section tbody tr").nth(1).inner_text()
    assert "เบิกได้" in second and f"อำเภอ{district.name_th}" in second and "มหาวิทยาลัย" not in second
    screenshot("instalment-eligible")
