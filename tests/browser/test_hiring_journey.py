"""Journey of issue #15 item 4: a hired person resigns with notice, the first reserve replaces them, the Ministry of
Labour export holds the change, and NSI and the network were told."""

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tambon.models import HiringType
from tambon.roster.demo import national_id
from tambon.roster.models import Contract, Person


def _contract(world, n: int, **fields) -> Contract:
    person = Person.objects.create(national_id=national_id(9000 + n), first_name=f"ผู้ทดสอบ{n}", last_name="ใจดี")
    citizen = HiringType.objects.get(programme=world.programme, code="citizen")
    return Contract.objects.create(person=person, tambon=world.tambon_a, hiring_type=citizen,
                                   start_date=dt.date(2021, 1, 1), **fields)  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_resignation_with_notice_replacement_from_reserve_labour_export_and_copies(world, page, login, screenshot):
    leaving = _contract(world, 1)
    second = _contract(world, 2, status="reserve", reserve_rank=2)
    first = _contract(world, 3, status="reserve", reserve_rank=1)
    login("mona")
    page.goto(f"/tambons/{world.tambon_a.pk}/team/")
    page.click(f"a[href='/roster/contracts/{leaving.pk}/resign/']")
    page.fill("#id_notice_date", "15/03/2564")
    page.fill("#id_last_day", "30/04/2564")
    page.fill("#id_reason", "ได้งานประจำ")
    screenshot("1-resignation")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert "ลาออก" in page.inner_text("#members")
    page.click(f"a[href='/roster/contracts/{leaving.pk}/replace/']")
    assert page.inner_text("h1") == "จ้างแทนจากลำดับสำรอง"  # Thai first, whatever language the server started in
    # the reserve list is offered in rank order, the first preselected
    options = page.locator("#id_reserve option").all_inner_texts()
    assert options[1:] == ["1. ผู้ทดสอบ3 ใจดี", "2. ผู้ทดสอบ2 ใจดี"]
    assert page.input_value("#id_reserve") == str(first.pk)
    page.fill("#id_start_date", "01/05/2564")
    page.select_option("#id_residency", "tambon")
    page.check("#id_unemployed")
    page.check("#id_no_other_state_wage")
    screenshot("2-replacement")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert "ผู้ทดสอบ3" in page.inner_text("#members")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.replaces_id, second.status) == ("active", leaving.pk, "reserve")
    # the changes of the range, and the export for the Ministry of Labour
    page.goto(f"/universities/{world.university_a.pk}/roster/changes/")
    page.fill("#id_start", "01/03/2564")
    page.fill("#id_end", "31/05/2564")
    page.click("#range button[type=submit]")
    page.wait_for_load_state()
    rows = page.inner_text("#changes")
    assert "ผู้ทดสอบ1" in rows and "ผู้ทดสอบ3" in rows
    screenshot("3-changes")
    with page.expect_download() as download:
        page.click("#labour-export")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    cells = [list(r) for r in book.active.iter_rows(min_row=4, values_only=True)]
    kinds = {(r[1], r[5]) for r in cells}
    assert ("ลาออก", leaving.person.national_id) in kinds and ("จ้างทดแทน", first.person.national_id) in kinds
    # the copies: the network's RSI (carol) sees both changes in the app
    login("carol")
    page.click("a.bell")
    page.wait_for_load_state()
    told = page.inner_text("#notifications")
    assert "ผู้ทดสอบ1 ใจดี ลาออก" in told and "ผู้ทดสอบ3 ใจดี จ้างทดแทน" in told
    screenshot("4-network-told")
    page.locator("#notifications li a.subject").first.click()  # the copy links to the tambon's team
    page.wait_for_load_state()
    assert page.url.endswith(f"/tambons/{world.tambon_a.pk}/team/") and "ผู้ทดสอบ3" in page.inner_text("#members")
