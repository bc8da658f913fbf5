"""Helpers for roster tests: valid rows and .xlsx files built in memory."""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from tambon.roster.demo import national_id
from tambon.roster.sheet import COLUMNS

HEADERS = [c.header for c in COLUMNS]


def person_row(n: int, tambon, **changes) -> dict:
    row = {
        "national_id": national_id(n), "first_name": f"ชื่อ{n}", "last_name": f"สกุล{n}", "hiring_type": "ประชาชน",
        "tambon_code": tambon.subdistrict_id, "start_date": "01/01/2564", "end_date": "", "graduated_on": "",
        "status": "จ้างงาน", "reserve_rank": "", "phone": "",
    }  # fmt: skip
    row.update(changes)
    return row


def xlsx_bytes(
    rows: list[dict], *, headers: list[str] | None = None, title_rows: int = 1, extra: dict | None = None
) -> bytes:
    """A sheet like the template: title rows, a header row, then rows (dict by column key or raw lists)."""
    wb = Workbook()
    ws = wb.active
    for _ in range(title_rows):
        ws.append(["แบบติดตามการจ้างงาน"])
    keys = [c.key for c in COLUMNS]
    ws.append(headers or HEADERS)
    for row in rows:
        ws.append(row if isinstance(row, list) else [row.get(k, "") for k in keys])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are asserted in English (their msgids); pages are checked in Thai where it matters."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_xlsx():
    return xlsx_bytes
