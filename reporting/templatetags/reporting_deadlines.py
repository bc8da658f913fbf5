"""The tambon page's deadline section: instalments and activity completion reports, in three queries."""

from django import template
from django.utils import timezone

from reporting.deadlines.models import CompletionReport
from reporting.deadlines.selectors import instalments_for
from reporting.models import Activity

register = template.Library()


@register.simple_tag
def tambon_deadlines(tambon) -> dict:
    activities = list(Activity.objects.filter(tambon=tambon).select_related("category"))
    reports = {r.activity_id: r for r in CompletionReport.objects.filter(activity__tambon=tambon)}
    for activity in activities:
        activity.completion = reports.get(activity.pk)
    return {
        "instalments": instalments_for(tambons=[tambon], programme=tambon.programme)[tambon.pk],
        "activities": activities,
        "today": timezone.localdate(),
    }
