"""A university manager's roster export whose file the storage has lost (a media volume lost, a restore without
the exports): the download leads back to the job's page, which says so in Thai and offers "start again"; starting
again builds a file that downloads. On a phone-sized screen."""

import pytest

from pbm.models import ExportJob


@pytest.mark.django_db(transaction=True)
def test_a_lost_export_file_is_said_and_built_again(world, page, login, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page.set_viewport_size({"width": 390, "height": 844})
    login("mona")
    page.goto(f"/universities/{world.university_a.pk}/roster/export.xlsx")
    page.wait_for_selector("#download")
    job = ExportJob.objects.get()
    job.file.storage.delete(job.file.name)

    page.click("#download")
    page.wait_for_selector("#job-error")
    assert f"/exports/{job.pk}/" in page.url
    assert "ไม่มีอยู่แล้ว" in page.inner_text("#job-error")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    screenshot("1-lost")

    page.click("#restart")
    page.wait_for_selector("#download")
    assert f"/exports/{job.pk}/" not in page.url  # a new job
    with page.expect_download() as download_info:
        page.click("#download")
    assert download_info.value.suggested_filename.endswith(".xlsx")
    screenshot("2-built-again")
