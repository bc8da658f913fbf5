"""The upload pages' import job: check (preview), then, after confirmation, the write of what was checked."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pbm.jobs import heartbeat, notice_lost, reap, stale_before
from tambon.models import Programme

from ..models import CheckedRows, ImportPhase, ImportStatus, RosterImport
from ..sheet import ERRORS_COLUMN, write_workbook
from . import importer

log = logging.getLogger(__name__)

RUNNING = [ImportStatus.CHECKING, ImportStatus.WRITING]  # a worker has claimed it and beats
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


def roster_import_start(*, upload, user, language: str, university=None, unit=None) -> RosterImport:
    """Store a checked upload as a job of its owner (a university, or a unit of a programme's tree) and queue its
    check (the preview), in the uploader's language."""
    from pbm.followups import enqueue_on_commit

    from ..tasks import roster_import_check_task

    roster_upload_check(upload)
    job = RosterImport.objects.create(university=university, unit=unit, file=upload, original_name=upload.name[:255],
                                      created_by=user)  # fmt: skip
    enqueue_on_commit(roster_import_check_task, job.pk, language)
    return job


def roster_import_confirm(*, roster_import: RosterImport, language: str) -> bool:
    """Confirm a previewed job (or start again one whose worker was lost): written, all or nothing, by a worker.
    False when there is nothing to start."""
    from pbm.followups import enqueue_on_commit

    from ..tasks import roster_import_apply_task, roster_import_check_task

    updated = RosterImport.objects.filter(pk=roster_import.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.WRITING, progress=0, heartbeat_at=None
    )
    restart = None if updated else roster_import_restart(roster_import=roster_import)  # a lost worker's job
    if updated or restart == "apply":
        enqueue_on_commit(roster_import_apply_task, roster_import.pk, language)
    elif restart == "check":
        enqueue_on_commit(roster_import_check_task, roster_import.pk, language)
    return bool(updated or restart)


def roster_import_claim(*, roster_import: RosterImport, confirm: bool) -> bool:
    """Claim the run for this worker; False when there is nothing to do (finished, or another worker has it).

    A check may run again unless one is running with a live heartbeat; a write runs once per confirmation (a run
    has a heartbeat from its claim to its end), so a message delivered again after its worker died does nothing."""
    now = timezone.now()
    job = RosterImport.objects.filter(pk=roster_import.pk)
    if confirm:
        claimed = job.filter(status=ImportStatus.WRITING, heartbeat_at__isnull=True)
        return bool(claimed.update(started_at=now, heartbeat_at=now, progress=0))
    running = Q(status__in=[ImportStatus.CHECKING], heartbeat_at__gte=stale_before(now))
    claimed = job.exclude(running).exclude(status__in=[ImportStatus.WRITING, ImportStatus.DONE])
    return bool(claimed.update(status=ImportStatus.CHECKING, progress=0, started_at=now, heartbeat_at=now))


def roster_import_run(*, roster_import: RosterImport, confirm: bool) -> RosterImport:
    """Check the uploaded sheet (preview) or, once confirmed, write what the preview checked. Safe to run twice.

    The check reads the workbook once and keeps its checked rows (CheckedRows); the confirmation writes them,
    without reading or checking the file again (importer.roster_write_checked). Progress goes to the cache
    (roster_import.progress_key), read by selectors.import_progress: an update of the job's row made during the
    write would stay invisible to the polling page until the write's transaction commits. The row gets the
    outcome at the end; while the run lasts, its heartbeat shows the worker is alive (pbm/jobs.py)."""
    if not roster_import_claim(roster_import=roster_import, confirm=confirm):
        return RosterImport.objects.get(pk=roster_import.pk)
    roster_import.refresh_from_db()
    job = RosterImport.objects.filter(pk=roster_import.pk)
    status = ImportStatus.WRITING if confirm else ImportStatus.CHECKING
    key = roster_import.progress_key

    def progress(percent: int, phase: ImportPhase, done: int = 0, total: int = 0) -> None:
        _quietly(cache.set, key, {"status": str(status), "progress": percent, "phase": str(phase), "done": done,
                                  "total": total}, PROGRESS_SECONDS)  # fmt: skip

    try:
        with heartbeat(job):
            result = _write(roster_import, progress) if confirm else _check(roster_import, progress)
    except ValidationError as exc:
        job.update(
            status=ImportStatus.FAILED,
            progress=100,
            message=" ".join(exc.messages),
            finished_at=timezone.now(),
            heartbeat_at=None,
        )
    except Exception:
        # Whatever breaks (a database error, a lost file), the job ends "failed" with words, never stuck
        # "checking" or "writing"; the write's transaction has rolled back, so nothing was written.
        log.exception("roster import %s stopped by an unexpected error", roster_import.pk)
        job.update(status=ImportStatus.FAILED, progress=100, finished_at=timezone.now(), heartbeat_at=None, message=_(
            "The import stopped because of an unexpected error, and nothing was written. Upload the file again; "
            "if it stops again, send the file to the programme's support team with the time of the upload."
        ))  # fmt: skip
    else:
        outcome = {"status": ImportStatus.FAILED if result.errors else (ImportStatus.DONE if confirm else ImportStatus.PREVIEW),
                   "progress": 100, "heartbeat_at": None, "new_count": result.new, "updated_count": result.updated,
                   "unchanged_count": result.unchanged, "error_count": len(result.errors),
                   "message": result.summary(), "finished_at": timezone.now() if confirm or result.errors else None}  # fmt: skip
        if not confirm or result.errors:  # a confirmation without errors keeps the preview's list as it was
            outcome |= {"rows_total": result.rows_total, "errors": [e.as_dict() for e in result.errors[:5000]]}
        if not confirm:
            outcome |= {"unknown_columns": result.unknown_columns, "preview": result.people}
        job.update(**outcome)
        if confirm and result.written:
            CheckedRows.objects.filter(roster_import=roster_import).delete()
    finally:
        _quietly(cache.delete, key)  # after the row has the outcome, so the page never falls back to a stale row
    return RosterImport.objects.get(pk=roster_import.pk)


def roster_import_programme(roster_import: RosterImport) -> Programme:
    """The programme an import loads: its unit's, else the current one (a university's, U2T)."""
    return roster_import.unit.programme if roster_import.unit_id else Programme.current()


def roster_import_owner(roster_import: RosterImport) -> importer.Owner | None:
    """The tambons the import's sheet may hold: its university's, or those under its unit whose roster its
    uploader manages; any of the programme's for an import without owner (the command line's)."""
    if roster_import.university_id is not None:
        return importer.university_owner(roster_import.university, roster_import_programme(roster_import))
    if roster_import.unit_id is not None:
        return importer.unit_owner(roster_import.unit, roster_import.created_by)
    return None


def _check(roster_import: RosterImport, progress: importer.Progress) -> importer.ImportResult:
    """Read the workbook (once) and check it; keep the checked rows for the confirmation."""
    state = importer.roster_state()  # before the check: a change during it makes the confirmation compare again
    with roster_import.file.open("rb") as handle:
        result = importer.roster_import(
            file=io.BytesIO(handle.read()), name=roster_import.original_name, owner=roster_import_owner(roster_import),
            programme=roster_import_programme(roster_import), dry_run=True, progress=progress,
        )  # fmt: skip
    if not result.errors:
        CheckedRows.objects.update_or_create(
            roster_import=roster_import, defaults={"state": state, "rows": importer.checked_dump(result.checked)}
        )
    return result


def _write(roster_import: RosterImport, progress: importer.Progress) -> importer.ImportResult:
    """Write what the preview checked; an import previewed before checked rows were kept is read again."""
    kept = CheckedRows.objects.filter(roster_import=roster_import).first()
    if kept is None:
        with roster_import.file.open("rb") as handle:
            return importer.roster_import(
                file=io.BytesIO(handle.read()), name=roster_import.original_name,
                owner=roster_import_owner(roster_import), programme=roster_import_programme(roster_import),
                progress=progress,
            )  # fmt: skip
    return importer.roster_write_checked(rows=kept.rows, state=kept.state,
                                         programme=roster_import_programme(roster_import), progress=progress)  # fmt: skip


def roster_import_restart(*, roster_import: RosterImport) -> str | None:
    """A failed import without row errors, started again: its kept rows are written, or its sheet checked again.
    Returns which ("apply" / "check"), or None when it cannot be restarted."""
    if not roster_import.can_restart:
        return None
    job = RosterImport.objects.filter(pk=roster_import.pk, status=ImportStatus.FAILED)
    reset = {"progress": 0, "message": "", "started_at": None, "heartbeat_at": None, "finished_at": None}
    if CheckedRows.objects.filter(roster_import=roster_import).exists():
        return "apply" if job.update(status=ImportStatus.WRITING, **reset) else None
    return "check" if job.update(status=ImportStatus.QUEUED, **reset) else None


def roster_import_stale(roster_import: RosterImport) -> RosterImport:
    """The import as it stands, marked failed first if its worker is gone (asked by its page as it polls)."""
    return notice_lost(roster_import, running=RUNNING, failed=ImportStatus.FAILED)


def roster_imports_reap() -> int:
    """Imports whose worker died while checking or writing: failed, with words; nothing was written."""
    return reap(RosterImport.objects.all(), running=RUNNING, failed=ImportStatus.FAILED)


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
