"""Uploads: refused from the declared length before the body is read, stopped as soon as a streamed file passes
its limit, and never stored unless accepted. Stored names keep their Thai vowel and tone marks."""

import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, encode_multipart

from reporting import services
from reporting.models import Evidence, ProgrammeSettings
from tambon.roster.forms import ImportUploadForm
from tambon.roster.models import RosterImport
from tests.reporting.helpers import enter_sample_plan

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MB = 1024 * 1024
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"  # a copy: the test client would re-encode its own constant


class CountingStream:
    """A request body that records how much of it the server read."""

    def __init__(self, data: bytes) -> None:
        self.stream = io.BytesIO(data)
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, size: int = -1) -> bytes:
        chunk = self.stream.readline(size)
        self.read_bytes += len(chunk)
        return chunk


def raw_post(client, url, body, length, content_type=MULTIPART):
    """POST `body` (a stream) declaring `length` bytes, as a client that sends its own Content-Length."""
    return client.generic("POST", url, CONTENT_TYPE=content_type, CONTENT_LENGTH=str(length), **{"wsgi.input": body})


class NeverRead:
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list[str]:
    return [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()]


def roster_url(world) -> str:
    return f"/universities/{world.university_a.pk}/roster/"


def test_hundred_mb_roster_is_refused_from_its_length_unread_and_unstored(world, client_for, media):
    response = raw_post(client_for(world.mona), roster_url(world), NeverRead(), 100 * MB)
    assert response.status_code == 413
    assert "100.0 MB" in response.content.decode() and "ยังไม่ได้บันทึกสิ่งใด" in response.content.decode()
    assert not RosterImport.objects.exists() and stored_files(media) == []


def test_a_streamed_file_past_the_limit_is_stopped_early(world, client_for, media, settings):
    settings.ROSTER_IMPORT_MAX_BYTES = 200 * 1024
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"x" * (900 * 1024))})
    stream = CountingStream(body)
    response = raw_post(client_for(world.mona), roster_url(world), stream, len(body))
    assert response.status_code == 413 and "big.xlsx" in response.content.decode()
    assert stream.read_bytes < 400 * 1024  # stopped near the limit, not after 900 KB
    assert not RosterImport.objects.exists() and stored_files(media) == []


def test_roster_form_refuses_an_oversized_or_non_workbook_file(settings):
    settings.ROSTER_IMPORT_MAX_BYTES = 1024
    big = ImportUploadForm(files={"file": SimpleUploadedFile("r.xlsx", b"PK\x03\x04" + b"x" * 2048)})
    assert not big.is_valid() and "1024" not in str(big.errors) and "MB" in str(big.errors)
    text = ImportUploadForm(files={"file": SimpleUploadedFile("r.xlsx", b"name,surname\n")})
    assert not text.is_valid() and ".xlsx" in str(text.errors)


def test_a_non_workbook_roster_is_not_stored(world, client_for, media):
    response = client_for(world.mona).post(roster_url(world), {"file": SimpleUploadedFile("r.xlsx", b"hello")})
    assert response.status_code == 200 and "Excel" in response.content.decode()
    assert not RosterImport.objects.exists() and stored_files(media) == []


def report_url(world) -> str:
    return f"/tambons/{world.tambon_a.pk}/reports/2021/1/"


@pytest.fixture
def one_mb_evidence(world):
    ProgrammeSettings.objects.update_or_create(programme=world.programme, defaults={"evidence_max_mb": 1})


def test_evidence_over_the_limit_is_stopped_while_streaming(world, client_for, media, one_mb_evidence):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    body = encode_multipart(BOUNDARY, {
        "version": "0", f"actual_{lines['2.1'].pk}": "5",
        "evidence": [SimpleUploadedFile("small.pdf", PDF), SimpleUploadedFile("scan.pdf", PDF + b"0" * (3 * MB))],
    })  # fmt: skip
    stream = CountingStream(body)
    response = raw_post(client_for(world.alice), report_url(world), stream, len(body))
    assert response.status_code == 413 and "scan.pdf" in response.content.decode()
    assert stream.read_bytes < 2 * MB
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_evidence_request_over_files_times_limit_is_refused_unread(world, client_for, media, one_mb_evidence):
    response = raw_post(client_for(world.alice), report_url(world), NeverRead(), 12 * MB)
    assert response.status_code == 413 and "11.0 MB" in response.content.decode()  # 10 files × 1 MB + the fields


def test_too_many_evidence_files_are_refused(world, client_for, media, settings):
    settings.EVIDENCE_MAX_FILES = 3
    lines = enter_sample_plan(world.tambon_a, world.alice)
    files = [SimpleUploadedFile(f"p{i}.pdf", PDF) for i in range(4)]
    response = client_for(world.alice).post(report_url(world), {"version": 0, f"actual_{lines['2.1'].pk}": "5",
                                                              "evidence": files})  # fmt: skip
    assert response.status_code == 413
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_evidence_within_the_limits_is_accepted(world, client_for, media, one_mb_evidence):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    response = client_for(world.alice).post(report_url(world), {"version": 0, f"actual_{lines['2.1'].pk}": "5",
                                                              "evidence": [SimpleUploadedFile("a.pdf", PDF)]})  # fmt: skip
    assert response.status_code == 302 and Evidence.objects.count() == 1


def test_a_page_without_files_refuses_a_large_body_unread(world, client):
    response = raw_post(client, "/login/", NeverRead(), 3 * MB, "application/x-www-form-urlencoded")
    assert response.status_code == 413


def test_api_gets_the_refusal_as_json(world, client_for):
    response = raw_post(client_for(world.alice), "/api/v1/tambons/", NeverRead(), 3 * MB, "application/json")
    assert response.status_code == 413 and "MB" in response.json()["detail"]


def test_stored_evidence_keeps_thai_vowel_marks(world, media):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    services.monthly_report_save(
        tambon=world.tambon_a, year=2021, month=1, user=world.alice, seen_version=None,
        actuals={lines["2.1"].pk: Decimal(1)}, files=[SimpleUploadedFile("ภาพกิจกรรม ที่ 1.pdf", PDF)],
    )  # fmt: skip
    stored = Evidence.objects.get().file.name
    assert stored.endswith("/ภาพกิจกรรม_ที่_1.pdf"), stored
    assert default_storage.open(stored).read() == PDF


@pytest.mark.parametrize("name, expected", [
    ("ใบเสร็จค่าอาหาร.pdf", "ใบเสร็จค่าอาหาร.pdf"),
    ("../../etc/passwd", "etcpasswd"),
    ('a"b<c>;d.pdf', "abcd.pdf"),
    ("...hidden.pdf", "hidden.pdf"),
])  # fmt: skip
def test_storage_names_are_safe_and_keep_thai(name, expected):
    assert default_storage.get_valid_name(name) == expected


def test_every_upload_rule_names_a_real_url():
    from django.urls import get_resolver

    from pbm.security.uploads import UPLOAD_RULES

    names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
    missing = set(UPLOAD_RULES) - names
    assert not missing, f"UPLOAD_RULES names no URL: {missing}"
