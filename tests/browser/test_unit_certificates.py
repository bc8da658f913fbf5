"""A Tambon Smart Team district officer, on a phone, prints a work certificate: from their district's page to the
certificate page, ticks the eligible contractor, issues, and downloads the Thai PDF the background job builds."""

from io import StringIO

import pytest
from django.core.management import call_command

from reporting.models import MonthlyReport
from tambon.models import Programme
from tambon.roster.models import Certificate
from tambon.roster.selectors import certificate_months
from tests.tambon.roster.test_unit_certificates import SMART, hire_and_work, tambon_under


@pytest.mark.django_db(transaction=True)
def test_a_district_officer_issues_a_certificate_on_a_phone(page, login, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--programme", SMART, stdout=StringIO())
    smart = Programme.objects.get(code=SMART)
    MonthlyReport.objects.filter(tambon__programme=smart).delete()  # the year's work is accepted before filing
    ready = hire_and_work(tambon_under("1101"), 1, certificate_months(smart))
    short = hire_and_work(tambon_under("1101"), 2, certificate_months(smart) - 1)

    page.set_viewport_size({"width": 390, "height": 844})
    login("tambon-smart-team-d1101", "pbm-demo")
    page.goto("/")
    page.wait_for_selector("#certificates-link")
    page.click("#certificates-link")
    page.wait_for_selector("table#eligible")
    assert "/roster/certificates/" in page.url
    assert smart.name_th in page.inner_text("#certificate-programme")
    assert page.locator(f"#contract-{ready.pk}").is_checked() and not page.locator(f"#contract-{short.pk}").count()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    screenshot("1-eligible")

    page.click("form button[type=submit].primary")
    page.wait_for_selector("#download")
    with page.expect_download() as download_info:
        page.click("#download")
    download = download_info.value
    assert download.suggested_filename == "certificates-1101.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    cert = Certificate.objects.get()
    assert cert.contract_id == ready.pk and cert.number == f"TST-1101-{ready.pk:06d}"
    screenshot("2-printed")
