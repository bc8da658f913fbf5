"""A university manager makes a filing key for one tambon on the API clients page, then revokes it; a visitor
with no login reads the open data and downloads a table. Both pages fit a phone and a laptop screen, and pass
axe-core's WCAG 2.1 AA checks where axe is installed."""

import pytest

from api_clients.models import ApiClient
from tambon.models import Tambon
from tests.browser.screens import AXE, WIDTHS, axe_violations, overflow
from tests.reporting.helpers import seed


@pytest.mark.axe
@pytest.mark.django_db(transaction=True)
def test_a_manager_makes_and_revokes_a_key_and_a_visitor_reads_the_open_data(world, page, login, screenshot):
    seed(world.programme, list(Tambon.objects.with_place().order_by("pk")))
    login("mona")
    page.goto(f"/universities/{world.university_a.pk}/roster/")
    page.click("a:has-text('ไคลเอนต์ API')")
    page.fill("#id_name", "ระบบการเงิน")
    page.select_option("#id_scope", "file")
    page.check(f"input[name=tambons][value='{world.tambon_a.pk}']")
    page.click("#make-client button[type=submit]")
    key = page.inner_text("#new-key code").strip()
    assert key.startswith("pbmc_")
    client = ApiClient.objects.get()
    assert client.key_digest == ApiClient.digest(key) and list(client.tambons.all()) == [world.tambon_a]
    for name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        assert not overflow(page), (name, overflow(page))
    screenshot("1-key-made")
    assert not AXE.exists() or not axe_violations(page)  # CI installs axe-core (npm ci); locally it may be absent
    page.click("#clients button:has-text('เพิกถอน')")
    assert "เพิกถอนแล้ว" in page.inner_text("#clients")
    assert ApiClient.objects.get().revoked_at is not None

    page.context.clear_cookies()
    page.goto(f"/open/{world.programme.code}/?by=university")
    assert world.university_a.name_th in page.inner_text("#open-tambons")
    for name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        assert not overflow(page), (name, overflow(page))
    screenshot("2-open-data")
    assert not AXE.exists() or not axe_violations(page)  # CI installs axe-core (npm ci); locally it may be absent
    with page.expect_download() as download_info:
        page.click("#downloads a[href$='hiring.csv']")
    assert download_info.value.suggested_filename == f"{world.programme.code}-hiring.csv"
