"""Stored files that no row refers to any more, and their removal (`manage.py sweep_files`, a weekly beat job).

Removing one attached file deletes its stored file after commit (`reporting.services.attached_file_delete`), but
a tambon, report or activity deleted with its files, or a process that died between a commit and its storage
delete, leaves files behind. Files younger than a day are never touched: an upload is stored before its row
commits."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

log = logging.getLogger(__name__)

# The folders the models' FileFields store into (their upload_to); nothing else in the storage is looked at.
FOLDERS = ("evidence", "completion", "roster-imports", "exports")
GRACE = dt.timedelta(days=1)


@dataclass
class SweepResult:
    checked: int = 0
    orphans: list[str] = field(default_factory=list)
    removed: int = 0


def _referenced() -> set[str]:
    """Every stored name any row of any model refers to, one query per FileField."""
    names: set[str] = set()
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                names.update(
                    model._default_manager.exclude(**{model_field.name: ""}).values_list(model_field.name, flat=True)
                )
    return names


def _stored(folder: str) -> Iterator[str]:
    if not default_storage.exists(folder):
        return
    directories, files = default_storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _stored(f"{folder}/{directory}")


def files_sweep(*, dry_run: bool = False, now: dt.datetime | None = None) -> SweepResult:
    """Delete the stored files under FOLDERS that no row refers to and that are older than GRACE."""
    cutoff = (now or timezone.now()) - GRACE
    referenced = _referenced()
    result = SweepResult()
    for folder in FOLDERS:
        for name in _stored(folder):
            result.checked += 1
            if name in referenced or default_storage.get_modified_time(name) > cutoff:
                continue
            result.orphans.append(name)
            if not dry_run:
                default_storage.delete(name)
                result.removed += 1
    if result.removed:
        log.info("sweep_files removed %s stored files no row referred to", result.removed)
    return result


def files_missing() -> list[str]:
    """Stored names that a row refers to but the storage does not hold (after a restore: what the backup lacked)."""
    return sorted(name for name in _referenced() if not default_storage.exists(name))
