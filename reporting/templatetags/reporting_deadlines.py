"""Deadline sections of other apps' pages: the tambon's instalments and completion reports (three queries), and
a university's work to do."""

from django import template
from django.utils import timezone

from reporting.deadlines.models import CompletionReport
from reporting.deadlines.selectors import instalments_for, work_to_do
from reporting.models import Activity
from tambon import access

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


WORK_ROWS = 40  # the oldest deadlines first; the rest are counted


@register.simple_tag(takes_context=True)
def university_work(context, university, tambons) -> dict:
    """The university page's "work to do", for those who file its reports (its staff, the NSI admin)."""
    user = context["request"].user
    tambons = [t for t in tambons if access.can_edit_tambon(user, t)]
    if not tambons:
        return {"show": False}
    today = timezone.localdate()
    items = work_to_do(tambons=tambons, programme=tambons[0].programme, today=today)
    rows = [{"item": item, "days": item.days_left(today), "overdue": -item.days_left(today)} for item in items]
    return {"show": True, "rows": rows[:WORK_ROWS], "more": max(len(rows) - WORK_ROWS, 0)}
