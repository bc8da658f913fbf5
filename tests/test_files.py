"""Stored files no row refers to any more are swept, never a referenced, recent or unrelated one."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from pbm.celery import app
from pbm.files import FOLDERS, files_sweep
from pbm.models import ExportJob
from tambon.roster.models import RosterImport

LATER = dt.timedelta(days=2)  # past the grace period of a day


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def stored(world):
    kept = RosterImport.objects.create(university=world.university_a, original_name="roster.xlsx", created_by=world.mona,
                                       file=SimpleUploadedFile("roster.xlsx", b"sheet"))  # fmt: skip
    orphan = default_storage.save("completion/1/2/photo.jpg", ContentFile(b"jpeg"))  # its report was deleted
    unrelated = default_storage.save("backups/keep.txt", ContentFile(b"not ours"))
    return kept.file.name, orphan, unrelated


def test_only_old_files_no_row_refers_to_are_deleted(stored):
    kept, orphan, unrelated = stored
    assert files_sweep().orphans == []  # a day's grace: an upload is stored before its row commits
    result = files_sweep(now=timezone.now() + LATER)
    assert result.orphans == [orphan] and result.removed == 1 and result.checked == 2
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept) and default_storage.exists(unrelated)


def test_a_dry_run_lists_and_deletes_nothing(stored):
    _kept, orphan, _unrelated = stored
    result = files_sweep(dry_run=True, now=timezone.now() + LATER)
    assert result.orphans == [orphan] and result.removed == 0
    assert default_storage.exists(orphan)


def test_the_command_and_the_weekly_job(stored):
    out = io.StringIO()
    call_command("sweep_files", "--dry-run", stdout=out)
    assert "2 stored files checked, 0 no longer referred to (dry run" in out.getvalue()
    assert "pbm.tasks.sweep_files" in {entry["task"] for entry in app.conf.beat_schedule.values()}


def test_every_file_field_stores_under_a_swept_folder():
    from types import SimpleNamespace as Obj

    from django.apps import apps
    from django.db import models

    from reporting.deadlines.models import completion_file_path
    from reporting.models import evidence_path

    fields = {f"{m._meta.label}.{f.name}" for m in apps.get_models() for f in m._meta.concrete_fields
              if isinstance(f, models.FileField)}  # fmt: skip
    assert fields == {"reporting.Evidence.file", "reporting.CompletionFile.file", "tambon.RosterImport.file",
                      "pbm.ExportJob.file"}  # fmt: skip
    samples = [
        evidence_path(Obj(report=Obj(tambon_id=1, year=2021, month=1)), "bill.pdf"),
        completion_file_path(Obj(report=Obj(activity=Obj(tambon_id=1), activity_id=2)), "photo.jpg"),
        RosterImport._meta.get_field("file").upload_to,
        ExportJob._meta.get_field("file").upload_to,
    ]
    assert [sample.split("/")[0] in FOLDERS for sample in samples] == [True, True, True, True]
