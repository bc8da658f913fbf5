"""The NSI reviewer drills down the dashboards, national → network → university → tambon, and downloads the
network's completeness table."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tambon.models import Role, Tambon
from tests.factories import MembershipFactory, UserFactory
from tests.reporting.helpers import seed


@pytest.mark.django_db(transaction=True)
def test_nsi_drills_down_and_downloads_the_network_completeness(world, page, login, screenshot):
    seed(world.programme, list(Tambon.objects.with_place().order_by("pk")))
    MembershipFactory(user=UserFactory(username="nsi"), role=Role.NSI_REVIEWER)
    network = world.tambon_a.network

    login("nsi")
    page.goto("/dashboard/?month=2021-03")
    assert page.get_attribute("#dashboard-title", "data-level") == "national"
    assert page.locator("#table-completeness tbody tr").count() == 2  # both networks
    screenshot("1-national")

    page.click(f"#table-completeness tbody th a:has-text('{network.name}')")
    assert page.get_attribute("#dashboard-title", "data-level") == "network"
    assert world.university_a.name in page.inner_text("#table-completeness")
    screenshot("2-network")

    page.click(f"#table-completeness tbody th a:has-text('{world.university_a.name}')")
    assert page.get_attribute("#dashboard-title", "data-level") == "university"
    assert world.tambon_a.place in page.inner_text("#table-hiring")
    assert world.tambon_cross.place not in page.inner_text("#table-hiring")  # in network 2's area
    screenshot("3-university")

    page.click(f"#table-hiring tbody th a:has-text('{world.tambon_a.place}')")
    assert page.get_attribute("#dashboard-title", "data-level") == "tambon"
    assert "2021-03" in page.url  # the filter follows the drill-down
    screenshot("4-tambon")

    page.click(f"#breadcrumbs a:has-text('{network.name}')")
    with page.expect_download() as download_info:
        page.click("#export-completeness")
    download = download_info.value
    assert download.suggested_filename == f"dashboard-network-{network.pk}-completeness.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    names = [row[0].value for row in sheet.iter_rows(min_row=6)]
    assert world.university_a.name in names and world.university_b.name not in names
    assert sheet.cell(sheet.max_row, 2).value == Tambon.objects.filter(network=network).count()  # expected
