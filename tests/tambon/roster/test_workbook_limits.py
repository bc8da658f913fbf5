"""Hostile workbooks cost little (issue 11, item 2): refused before or while parsing, with the limit in the message.

The files come from tests/tambon/roster/hostile.py; the large ones are built at full size where that is cheap
(zip bomb, 20,000 columns, 50 sheets) and otherwise against a lowered limit (rows)."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError

from tambon.roster import xlsx
from tambon.roster.services import roster_import, roster_read

from . import hostile


def read(data: bytes):
    return roster_read(file=io.BytesIO(data), name="hostile.xlsx")


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        read(data)
    return " ".join(refused.value.messages)


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    return hostile.zip_bomb(200)


def test_a_zip_bomb_is_refused_from_its_directory_quickly_and_cheaply(zip_bomb):
    assert len(zip_bomb) < 1_000_000  # a small upload …
    tracemalloc.start()
    started = time.perf_counter()
    message = refusal(zip_bomb)  # … that unpacks to 200 MB
    elapsed = time.perf_counter() - started
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "100 MB" in message and "unpacks" in message
    assert elapsed < 1 and peak < 20_000_000


def test_a_part_that_inflates_past_its_declared_size_is_stopped(zip_bomb):
    """The central directory says 1,000 bytes; the reader stops instead of trusting it."""
    with pytest.raises(xlsx.BadWorkbook):
        list(xlsx.read_rows(io.BytesIO(hostile.lying_sizes(zip_bomb))))
    assert "damaged" in refusal(hostile.lying_sizes(zip_bomb))


def test_the_bytes_actually_inflated_are_counted_against_the_limit():
    data = hostile.workbook(hostile.sheet_rows(hostile.person(n) for n in range(1, 3000)))
    limits = xlsx.Limits(uncompressed=10**9)
    assert len(list(xlsx.read_rows(io.BytesIO(data), limits))) == 3000 + 1
    budget = xlsx._Budget(100_000)  # what a lying directory would leave to the stream count
    archive = zipfile.ZipFile(io.BytesIO(data))
    stream = budget.open(archive, "xl/worksheets/sheet1.xml")
    with pytest.raises(xlsx.TooLarge):
        while stream.read(1 << 16):
            pass


def test_fifty_sheets_are_refused_with_the_limit():
    message = refusal(hostile.many_sheets(50))
    assert "more than 20 sheets" in message


def test_twenty_thousand_columns_are_refused_at_the_first_row():
    message = refusal(hostile.many_columns(20_000))
    assert "more than 100 columns" in message


def test_a_sheet_that_declares_a_million_rows_is_refused_before_reading_them():
    assert "more than 80,000 rows" in refusal(hostile.lying_dimension())


def test_rows_past_the_limit_stop_the_read(settings):
    settings.ROSTER_WORKBOOK_LIMITS = {"rows": 500}
    data = hostile.workbook(hostile.sheet_rows(hostile.person(1) for _ in range(2000)))
    assert "more than 500 rows" in refusal(data)


def test_too_many_shared_strings_are_refused(settings):
    settings.ROSTER_WORKBOOK_LIMITS = {"shared_strings": 50}
    strings = "".join(f"<si><t>{n}</t></si>" for n in range(60))
    part = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>'.encode()
    data = hostile.workbook(hostile.sheet_rows([hostile.person(1)]), extra={"xl/sharedStrings.xml": part})
    assert "more than 50 different texts" in refusal(data)


def test_a_giant_row_is_refused(settings):
    settings.ROSTER_WORKBOOK_LIMITS = {"row_bytes": 1 << 20}
    data = hostile.workbook(hostile.sheet_rows([[*hostile.person(1), *(["ก" * 30_000] * 40)]]))
    assert "larger than 1 MB" in refusal(data)


def test_entities_in_the_workbook_part_are_refused_as_damage():
    assert "damaged" in refusal(hostile.entity_expansion())


@pytest.mark.django_db
def test_the_limits_leave_a_normal_workbook_alone(world):
    data = hostile.workbook(hostile.sheet_rows([hostile.person(1), hostile.person(2)], dimension="A1:M4"))
    result = roster_import(file=io.BytesIO(data), name="ok.xlsx")
    assert result.written and result.new == 2


def test_the_message_is_in_thai_for_the_uploader(zip_bomb):
    from django.utils import translation

    with translation.override("th"):
        message = refusal(zip_bomb)
    assert "100" in message and "MB" in message and "ไฟล์" in message


@pytest.mark.django_db
def test_a_zip_bomb_uploaded_through_the_page_fails_its_job_with_the_limit(
    world, client_for, zip_bomb, django_capture_on_commit_callbacks
):
    from tambon.roster.models import ImportStatus, RosterImport

    upload = io.BytesIO(zip_bomb)
    upload.name = "bomb.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.mona).post(f"/universities/{world.university_a.pk}/roster/", {"file": upload})
    job = RosterImport.objects.get()
    assert job.status == ImportStatus.FAILED and "100 MB" in job.message and not job.is_running
