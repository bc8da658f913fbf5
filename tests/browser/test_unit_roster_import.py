"""A Tambon Smart Team district officer, on a phone, loads their people: from their district's page to its roster
page, uploads the hiring sheet (one row of another district's tambon), sees it refused naming the tambon, uploads
the fixed sheet, confirms, and the contract is written."""

from io import StringIO

import pytest
from django.core.management import call_command

from tambon.roster.models import Contract
from tests.browser.test_roster_import import upload_sheet
from tests.tambon.roster.conftest import xlsx_bytes
from tests.tambon.roster.test_unit_import import SMART, reserve_row, tambon_under


@pytest.mark.django_db(transaction=True)
def test_a_district_officer_imports_the_hiring_sheet_on_a_phone(page, login, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--programme", SMART, stdout=StringIO())
    mine, theirs = tambon_under("1101"), tambon_under("1102")
    wrong, fixed = tmp_path / "smart.xlsx", tmp_path / "smart-fixed.xlsx"
    wrong.write_bytes(xlsx_bytes([reserve_row(901, mine), reserve_row(902, theirs, rank=2)]))
    fixed.write_bytes(xlsx_bytes([reserve_row(901, mine)]))

    page.set_viewport_size({"width": 390, "height": 844})
    login("tambon-smart-team-d1101", "pbm-demo")
    page.goto("/")
    page.wait_for_selector("#roster-import-link")
    page.click("#roster-import-link")
    page.wait_for_selector("#upload")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    assert upload_sheet(page, wrong) == ("1", "1") and page.locator("#confirm").count() == 0
    assert f"ตำบล {theirs.subdistrict_id}" in page.inner_text("#people")
    screenshot("1-refused")

    page.go_back()
    page.wait_for_selector("#upload")
    assert upload_sheet(page, fixed) == ("1", "0")
    page.click("#confirm")
    page.wait_for_selector("#import-status")
    assert Contract.objects.get(person__first_name="ชื่อ901").tambon_id == mine.pk
    screenshot("2-imported")
