"""The upload pages' import job: check (preview), then, after confirmation, the same check and the write."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ImportPhase, ImportStatus, RosterImport
from ..sheet import ERRORS_COLUMN, write_workbook
from . import importer

log = logging.getLogger(__name__)

PROGRESS_SECONDS = 6 * 60 * 60  # the last progress of a lost worker does not linger longer


def roster_upload_check(upload) -> None:
    """Refused before the file is stored: over the size limit, or no workbook at all (the upload page and the API)."""
    from pbm.security.uploads import roster_max_bytes

    limit = roster_max_bytes()
    if upload.size > limit:
        raise ValidationError(
            _(
                "The file is %(size)s MB; a hiring sheet may be at most %(limit)s MB. Split it by university and upload each part."
            )
            % {"size": round(upload.size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)},
            code="file_too_large",
        )
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(b"PK\x03\x04") and head != importer.OLE_MAGIC:
        raise ValidationError(
            _("This is not an Excel workbook: save the sheet as .xlsx and upload that file."), code="not_a_workbook"
        )


def roster_import_start(*, university, upload, user, language: str) -> RosterImport:
    """Store a checked upload as a job and queue its check (the preview), in the uploader's language."""
    from pbm.followups import enqueue_on_commit

    from ..tasks import roster_import_check_task

    roster_upload_check(upload)
    job = RosterImport.objects.create(university=university, file=upload, original_name=upload.name[:255],
                                      created_by=user)  # fmt: skip
    enqueue_on_commit(roster_import_check_task, job.pk, language)
    return job


def roster_import_confirm(*, roster_import: RosterImport, language: str) -> bool:
    """Confirm a previewed job: it is written (all or nothing) by the worker. False if it was not in preview."""
    from pbm.followups import enqueue_on_commit

    from ..tasks import roster_import_apply_task

    updated = RosterImport.objects.filter(pk=roster_import.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.WRITING, progress=0
    )
    if updated:
        enqueue_on_commit(roster_import_apply_task, roster_import.pk, language)
    return bool(updated)


def roster_import_run(*, roster_import: RosterImport, confirm: bool) -> RosterImport:
    """Safe to run twice: a finished import is left alone, and a confirmed one re-checks before writing.

    Progress goes to the cache (roster_import.progress_key), read by selectors.import_progress: an update of the
    job's row made during the write would stay invisible to the polling page until the write's transaction commits.
    The row gets the outcome at the end."""
    if roster_import.status == ImportStatus.DONE or (confirm and roster_import.status != ImportStatus.WRITING):
        return roster_import
    job = RosterImport.objects.filter(pk=roster_import.pk)
    status = ImportStatus.WRITING if confirm else ImportStatus.CHECKING
    if not confirm:
        job.update(status=status, progress=0)
    key = roster_import.progress_key

    def progress(percent: int, phase: ImportPhase, done: int = 0, total: int = 0) -> None:
        _quietly(cache.set, key, {"status": str(status), "progress": percent, "phase": str(phase), "done": done,
                                  "total": total}, PROGRESS_SECONDS)  # fmt: skip

    try:
        with roster_import.file.open("rb") as handle:
            result = importer.roster_import(
                file=io.BytesIO(handle.read()), name=roster_import.original_name,
                university=roster_import.university, dry_run=not confirm, progress=progress,
            )  # fmt: skip
    except ValidationError as exc:
        job.update(status=ImportStatus.FAILED, progress=100, message=" ".join(exc.messages), finished_at=timezone.now())
    except Exception:
        # Whatever breaks (a database error, a lost file), the job ends "failed" with words, never stuck
        # "checking" or "writing"; the write's transaction has rolled back, so nothing was written.
        log.exception("roster import %s stopped by an unexpected error", roster_import.pk)
        job.update(status=ImportStatus.FAILED, progress=100, finished_at=timezone.now(), message=_(
            "The import stopped because of an unexpected error, and nothing was written. Upload the file again; "
            "if it stops again, send the file to the programme's support team with the time of the upload."
        ))  # fmt: skip
    else:
        job.update(
            status=ImportStatus.FAILED if result.errors else (ImportStatus.DONE if confirm else ImportStatus.PREVIEW),
            progress=100, rows_total=result.rows_total, new_count=result.new, updated_count=result.updated,
            unchanged_count=result.unchanged, error_count=len(result.errors),
            errors=[e.as_dict() for e in result.errors[:5000]], unknown_columns=result.unknown_columns,
            preview=result.people,
            message=result.summary(), finished_at=timezone.now() if confirm or result.errors else None,
        )  # fmt: skip
    finally:
        _quietly(cache.delete, key)  # after the row has the outcome, so the page never falls back to a stale row
    return RosterImport.objects.get(pk=roster_import.pk)


def _quietly(operation: Callable[..., object], *args: object) -> None:
    """The progress bar is a courtesy: a cache outage must not abort (or roll back) an import."""
    try:
        operation(*args)
    except Exception:  # noqa: BLE001
        log.warning("roster import progress: the cache is unavailable", exc_info=True)


def roster_error_rows_xlsx(*, roster_import: RosterImport, type_names: list[str]) -> bytes:
    """The rows that had errors, as uploaded, with a column saying what to fix: fix them and upload again."""
    messages: dict[int, list[str]] = {}
    for error in roster_import.errors:
        messages.setdefault(error["row"], []).append(f"{error['column']}: {error['message']}")
    with roster_import.file.open("rb") as handle:
        sheet = importer.roster_read(file=io.BytesIO(handle.read()), name=roster_import.original_name)
    rows = [
        {**row.values, ERRORS_COLUMN.key: " | ".join(messages[row.number])}
        for row in sheet.rows
        if row.number in messages
    ]
    return write_workbook(rows, type_names=type_names, with_errors=True)
