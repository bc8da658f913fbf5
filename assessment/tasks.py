"""Thin tasks: ids in, a service call, safe to run twice (the classification is idempotent)."""

from celery import shared_task

from pbm.periods import Quarter
from tambon.models import Programme

from . import services


@shared_task
def classify_quarter(programme_id: int, quarter: str) -> dict[str, int]:
    """Run after an assessment is accepted (or reopened): reclassify that quarter."""
    programme = Programme.objects.get(pk=programme_id)
    result = services.tambon_classify(programme=programme, quarter=Quarter.parse(quarter))
    return result.distribution


@shared_task
def classify_all() -> int:
    """Nightly: every quarter of every programme that has classes; returns how many tambon-quarters are classified."""
    return sum(
        sum(r.distribution.values())
        for programme in Programme.objects.filter(class_bands__isnull=False).distinct()
        for r in services.tambon_classify_programme(programme=programme)
    )
