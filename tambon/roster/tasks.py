from celery import shared_task
from django.utils import translation

from pbm.jobs import REAPERS

from . import exports  # noqa: F401 - registers the roster's export kinds in the worker
from .models import RosterImport
from .services.jobs import roster_import_run, roster_imports_reap

if roster_imports_reap not in REAPERS:
    REAPERS.append(roster_imports_reap)  # beat's reap_jobs fails imports whose worker died


@shared_task
def roster_import_check_task(import_id: int, language: str = "th") -> None:
    with translation.override(language):  # messages in the uploader's language
        roster_import_run(roster_import=RosterImport.objects.get(pk=import_id), confirm=False)


@shared_task
def roster_import_apply_task(import_id: int, language: str = "th") -> None:
    with translation.override(language):
        roster_import_run(roster_import=RosterImport.objects.get(pk=import_id), confirm=True)
