"""The upload pages' import job: check (preview), then, after confirmation, the same check and the write."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.utils import timezone

from ..models import ImportStatus, RosterImport
from ..sheet import ERRORS_COLUMN, write_workbook
from . import importer


def roster_import_run(*, roster_import: RosterImport, confirm: bool) -> RosterImport:
    """Safe to run twice: a finished import is left alone, and a confirmed one re-checks before writing."""
    if roster_import.status == ImportStatus.DONE or (confirm and roster_import.status != ImportStatus.WRITING):
        return roster_import
    job = RosterImport.objects.filter(pk=roster_import.pk)
    if not confirm:
        job.update(status=ImportStatus.CHECKING, progress=0)

    def progress(percent: int) -> None:
        job.update(progress=percent)

    try:
        with roster_import.file.open("rb") as handle:
            result = importer.roster_import(
                file=io.BytesIO(handle.read()), name=roster_import.original_name,
                university=roster_import.university, dry_run=not confirm, progress=progress,
            )  # fmt: skip
    except ValidationError as exc:
        job.update(status=ImportStatus.FAILED, progress=100, message=" ".join(exc.messages), finished_at=timezone.now())
        return RosterImport.objects.get(pk=roster_import.pk)
    job.update(
        status=ImportStatus.FAILED if result.errors else (ImportStatus.DONE if confirm else ImportStatus.PREVIEW),
        progress=100, rows_total=result.rows_total, new_count=result.new, updated_count=result.updated,
        unchanged_count=result.unchanged, error_count=len(result.errors),
        errors=[e.as_dict() for e in result.errors[:5000]], unknown_columns=result.unknown_columns,
        message=result.summary(), finished_at=timezone.now() if confirm or result.errors else None,
    )  # fmt: skip
    return RosterImport.objects.get(pk=roster_import.pk)


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
