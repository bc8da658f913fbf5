"""The import's progress bar: during the all-or-nothing write the page reads progress from the cache, because the
job's row cannot show anything until the write's transaction commits."""

import io
import threading

import pytest
from django.core.cache import cache
from django.db import connection

from tambon.models import HiringType
from tambon.roster.models import Contract, ImportStatus, Person, RosterImport
from tambon.roster.services import importer, roster_import
from tambon.roster.services.jobs import roster_import_run

from .conftest import person_row, xlsx_bytes


@pytest.fixture
def small_batches(monkeypatch):
    """A dozen rows written three at a time, so the write reports several steps."""
    monkeypatch.setattr(importer, "WRITE_BATCH", 3)
    monkeypatch.setattr(importer, "COPY_BATCH", 3)


@pytest.fixture
def during_write(monkeypatch):
    """during_write(hook): hook(phase) runs inside the write after each batch is reported (and at each phase's start)."""

    def install(hook):
        original = importer._WriteProgress.__call__

        def reported(self, phase, rows=0):
            original(self, phase, rows)
            hook(phase)

        monkeypatch.setattr(importer._WriteProgress, "__call__", reported)

    return install


def rows_with_updates(world) -> list[dict]:
    """Twelve rows: 1–4 already hired (their phone changes), 5–12 new in two tambons (within the quotas)."""
    roster_import(file=io.BytesIO(xlsx_bytes([person_row(n, world.tambon_a) for n in range(1, 5)])), name="r.xlsx")
    return [person_row(n, world.tambon_a, phone=f"08{n:08d}") for n in range(1, 5)] + [
        person_row(n, world.tambon_a, hiring_type="นักศึกษา") if n % 2 else person_row(n, world.tambon_a2)
        for n in range(5, 13)
    ]


def preview(client, world, rows, capture) -> RosterImport:
    data = io.BytesIO(xlsx_bytes(rows))
    data.name = "roster.xlsx"
    with capture(execute=True):
        client.post(f"/universities/{world.university_a.pk}/roster/", {"file": data})
    job = RosterImport.objects.latest("created_at")
    assert job.status == ImportStatus.PREVIEW, job.message
    return job


def confirm(client, job, capture) -> None:
    with capture(execute=True):  # the job runs when the confirmation commits, as it would in production
        client.post(f"/roster/imports/{job.pk}/confirm/")


@pytest.mark.django_db
def test_write_progress_reaches_the_page_while_the_row_still_says_zero(
    world, client_for, django_capture_on_commit_callbacks, small_batches, during_write
):
    manager, watcher = client_for(world.mona), client_for(world.mona)  # the watcher is the page polling
    job = preview(manager, world, rows_with_updates(world), django_capture_on_commit_callbacks)
    url = f"/roster/imports/{job.pk}/progress/"
    seen = []

    def poll(phase):
        row = RosterImport.objects.values("status", "progress").get(pk=job.pk)
        seen.append((row, watcher.get(url).json()))

    during_write(poll)
    confirm(manager, job, django_capture_on_commit_callbacks)

    assert len(seen) >= 8
    assert all(row == {"status": "writing", "progress": 0} for row, _page in seen)  # the row waits for the commit
    pages = [page for _row, page in seen]
    percents = [page["progress"] for page in pages]
    assert percents == sorted(percents) and percents[0] == 80 and percents[-1] == 99 and len(set(percents)) >= 6
    assert all(page["status"] == "writing" and page["running"] for page in pages)
    labels = [page["label"] for page in pages]
    assert labels[0] == "กำลังบันทึกข้อมูลบุคคล: 0 จาก 12 คน"
    assert "กำลังบันทึกข้อมูลบุคคล: 6 จาก 12 คน" in labels
    assert labels[-1] == "กำลังบันทึกสัญญาจ้าง: 12 จาก 12 ฉบับ" and pages[-1]["phase"] == "contracts"

    job.refresh_from_db()
    assert (job.status, job.progress, Contract.objects.filter(status="active").count()) == ("done", 100, 12)
    assert Person.objects.get(national_id=person_row(1, world.tambon_a)["national_id"]).phone == "0800000001"
    assert cache.get(job.progress_key) is None
    assert watcher.get(url).json() == {
        "status": "done", "progress": 100, "phase": "", "label": "นำเข้าแล้ว", "running": False,
    }  # fmt: skip


@pytest.mark.django_db
def test_failure_in_the_middle_of_the_write_leaves_nothing_and_the_page_says_failed(
    world, client_for, django_capture_on_commit_callbacks, small_batches, during_write
):
    client = client_for(world.mona)
    rows = [person_row(n, world.tambon_a if n <= 5 else world.tambon_a2) for n in range(1, 11)]
    job = preview(client, world, rows, django_capture_on_commit_callbacks)
    url = f"/roster/imports/{job.pk}/progress/"
    seen = []

    def hire_one_elsewhere_meanwhile(phase):
        seen.append(client.get(url).json())
        if phase == "contracts" and not Contract.objects.exists():
            # The people are written; someone hires person 10 in another tambon before the contracts go in.
            Contract.objects.create(
                person=Person.objects.get(national_id=rows[-1]["national_id"]), tambon=world.tambon_b,
                hiring_type=HiringType.objects.get(programme=world.programme, code="citizen"),
                status="active", start_date="2021-01-01",
            )  # fmt: skip

    during_write(hire_one_elsewhere_meanwhile)
    confirm(client, job, django_capture_on_commit_callbacks)

    assert [page["progress"] for page in seen][-1] > 80  # the write was under way when it failed
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "โปรดอัปโหลดไฟล์อีกครั้ง" in job.message  # the uploader's Thai
    assert Person.objects.count() == 0 and Contract.objects.count() == 0  # the people written first are gone too
    assert cache.get(job.progress_key) is None
    assert client.get(url).json() == {
        "status": "failed", "progress": 100, "phase": "", "label": "มีข้อผิดพลาด", "running": False,
    }  # fmt: skip


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_another_connection_sees_the_write_progress_but_none_of_the_rows(
    world, client_for, small_batches, during_write
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    rows = [person_row(n, world.tambon_a, hiring_type="ประชาชน" if n <= 5 else "นักศึกษา") for n in range(1, 11)]
    job = RosterImport.objects.create(
        university=world.university_a, original_name="roster.xlsx", created_by=world.mona, status="writing"
    )
    job.file.save("roster.xlsx", io.BytesIO(xlsx_bytes(rows)))
    watcher = client_for(world.mona)
    url = f"/roster/imports/{job.pk}/progress/"
    seen = []

    def look_from_another_connection():
        try:
            page = watcher.get(url).json()
            row = RosterImport.objects.values_list("progress", flat=True).get(pk=job.pk)
            seen.append((page["progress"], page["label"], row, Person.objects.count() + Contract.objects.count()))
        finally:
            connection.close()

    def watch(phase):
        thread = threading.Thread(target=look_from_another_connection)
        thread.start()
        thread.join(30)

    during_write(watch)
    roster_import_run(roster_import=job, confirm=True)

    assert len(seen) >= 6
    percents = [percent for percent, _label, _row, _visible in seen]
    assert percents == sorted(percents) and percents[0] == 80 and percents[-1] == 99
    assert seen[-1][1] == "กำลังบันทึกสัญญาจ้าง: 10 จาก 10 ฉบับ"
    assert all(row == 0 and visible == 0 for _percent, _label, row, visible in seen)
    job.refresh_from_db()
    assert (job.status, Contract.objects.count()) == (ImportStatus.DONE, 10)


@pytest.mark.django_db
def test_progress_left_from_an_earlier_run_is_not_shown(world, client_for):
    job = RosterImport.objects.create(
        university=world.university_a, original_name="r.xlsx", created_by=world.mona, status="writing"
    )
    client = client_for(world.mona)
    url = f"/roster/imports/{job.pk}/progress/"
    cache.set(job.progress_key, {"status": "checking", "progress": 70, "phase": "comparing", "done": 0, "total": 0})
    assert client.get(url).json() == {
        "status": "writing", "progress": 0, "phase": "", "label": "กำลังบันทึก", "running": True,
    }  # fmt: skip
    cache.set(
        job.progress_key, {"status": "writing", "progress": 40, "phase": "checking", "done": 2000, "total": 60000}
    )
    assert client.get(url).json()["label"] == "กำลังตรวจสอบแถว: 2,000 จาก 60,000 แถว"
    assert "กำลังตรวจสอบแถว: 2,000 จาก 60,000 แถว…" in client.get(f"/roster/imports/{job.pk}/").content.decode()
    cache.delete(job.progress_key)


@pytest.mark.django_db
def test_a_cache_outage_does_not_stop_the_import(world, client_for, django_capture_on_commit_callbacks, monkeypatch):
    client = client_for(world.mona)
    job = preview(client, world, [person_row(1, world.tambon_a)], django_capture_on_commit_callbacks)

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", down)
    confirm(client, job, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, Contract.objects.count()) == (ImportStatus.DONE, 1)


@pytest.mark.django_db
def test_progress_endpoint_follows_the_import_access(world, client_for):
    job = RosterImport.objects.create(university=world.university_a, original_name="r.xlsx", created_by=world.mona)
    url = f"/roster/imports/{job.pk}/progress/"
    assert client_for(world.mona).get(url).json()["running"] is True
    assert client_for(world.nina).get(url).status_code == 200
    assert client_for(world.alice).get(url).status_code == 403  # reporter: read-only for imports
    assert client_for(world.bob).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
