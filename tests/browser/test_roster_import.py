"""A university manager downloads the hiring template, uploads a sheet with 3 bad rows, downloads the error
rows, uploads the fixed sheet, confirms, and sees the tambon's team and fill rate."""

import io
from pathlib import Path

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from tambon.roster.models import Contract, RosterImport, WorkAcceptance
from tests.tambon.roster.conftest import person_row, xlsx_bytes


def upload_sheet(page, path: Path) -> tuple[str, str]:
    """Upload a hiring sheet on the roster page shown and wait for its preview: its (new, errors) counts."""
    page.set_input_files("#upload input[type=file]", str(path))
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#count-errors")
    return page.inner_text("#count-new"), page.inner_text("#count-errors")


@pytest.mark.django_db(transaction=True)
def test_manager_imports_a_roster_after_fixing_three_bad_rows(world, page, login, screenshot, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    good = [person_row(n, world.tambon_a) for n in range(1, 5)] + [
        person_row(n, world.tambon_a, hiring_type="บัณฑิตจบใหม่", graduated_on="01/04/2563") for n in range(5, 9)
    ]
    bad = [
        person_row(9, world.tambon_a, national_id="1234567890123"),
        person_row(10, world.tambon_a, hiring_type="อาสาสมัคร"),
        person_row(11, world.tambon_a, hiring_type="บัณฑิตจบใหม่", graduated_on="01/04/2555"),
    ]
    first = tmp_path / "roster.xlsx"
    first.write_bytes(xlsx_bytes(good + bad))

    login("mona")
    page.click("#university-roster a")
    with page.expect_download() as template:
        page.click("#template-link")
    template_sheet = load_workbook(io.BytesIO(Path(template.value.path()).read_bytes())).active
    assert template_sheet["A2"].value == "เลขประจำตัวประชาชน *"

    assert upload_sheet(page, first) == ("8", "3")
    # The preview lists the people, each row's errors beside it, and filters to the rows with errors.
    assert page.locator("#people tbody tr").count() == 11
    page.click("#show-errors")
    assert page.locator("#people tbody tr").count() == 3
    bad_id = page.locator("#people tbody tr", has=page.locator("td.national-id", has_text="1234567890123"))
    assert "เลขประจำตัวประชาชน" in bad_id.locator(".row-errors").inner_text()  # the manager sees whole IDs
    assert page.locator("#people tbody tr.outcome-error .row-errors li").count() >= 3
    assert page.locator("#confirm").count() == 0
    screenshot("preview-with-errors")
    with page.expect_download() as errors:
        page.click("#error-rows")
    error_rows = list(load_workbook(io.BytesIO(Path(errors.value.path()).read_bytes())).active.values)[3:]
    assert len(error_rows) == 3
    assert Contract.objects.count() == 0

    fixed = tmp_path / "roster-fixed.xlsx"
    fixed.write_bytes(xlsx_bytes(good + [
        person_row(9, world.tambon_a), person_row(10, world.tambon_a, hiring_type="นักศึกษา"),
        person_row(11, world.tambon_a, hiring_type="บัณฑิตจบใหม่", graduated_on="01/04/2562"),
    ]))  # fmt: skip
    page.goto(f"/universities/{world.university_a.pk}/roster/")
    assert upload_sheet(page, fixed) == ("11", "0")
    page.click("#confirm")
    page.wait_for_selector("#import-status")
    assert Contract.objects.filter(status="active").count() == 11

    page.goto(f"/tambons/{world.tambon_a.pk}/")
    page.click("#section-roster a")
    page.wait_for_selector("#fill")
    assert page.inner_text("#fill-total") == "55.0%"  # 11 of 20
    assert page.locator("#members tbody tr").count() == 11
    screenshot("team")

    page.check("#check-all")  # select everyone, then accept January's work
    assert page.locator("input[name=contracts]:checked").count() == 11
    page.click("#accept-work button[type=submit]")
    page.wait_for_selector(".messages")
    assert WorkAcceptance.objects.filter(year=2021, month=1).count() == 11
    assert page.input_value("#id_month") == "2021-2"  # the next month is offered


@pytest.mark.django_db(transaction=True)
def test_progress_bar_says_what_the_write_is_doing_and_the_page_reloads_when_it_ends(world, page, login, screenshot):
    job = RosterImport.objects.create(
        university=world.university_a, original_name="roster.xlsx", created_by=world.mona, status="writing"
    )
    # What the job publishes while its write transaction hides the row (which still says 0 %).
    cache.set(job.progress_key, {"status": "writing", "progress": 84, "phase": "people", "done": 20000, "total": 60000})
    login("mona")
    page.goto(f"/roster/imports/{job.pk}/")
    assert page.inner_text("#import-progress .progress-phase") == "กำลังบันทึกข้อมูลบุคคล: 20,000 จาก 60,000 คน…"
    cache.set(
        job.progress_key, {"status": "writing", "progress": 93, "phase": "contracts", "done": 30000, "total": 60000}
    )
    # a selector, not wait_for_function: the page's CSP (script-src 'self') refuses the eval that one polls with
    page.wait_for_selector("#import-progress .progress-label:text-is('93%')")
    assert page.get_attribute("#import-progress progress", "value") == "93"
    assert page.inner_text("#import-progress .progress-phase") == "กำลังบันทึกสัญญาจ้าง: 30,000 จาก 60,000 ฉบับ…"
    assert page.inner_text("#import-progress .progress-label") == "93%"
    screenshot("writing-contracts")
    RosterImport.objects.filter(pk=job.pk).update(status="done", progress=100)
    cache.delete(job.progress_key)
    page.wait_for_selector("#import-status")
    assert page.inner_text("#import-status") == "นำเข้าแล้ว"
