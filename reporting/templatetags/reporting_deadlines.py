"""Deadline sections of other apps' pages: the tambon's instalments and completion reports (three queries), and
a university's work to do, a network's reports waiting for review."""

from django import template
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import NetworkAssessment, TambonAssessment, UniversityAssessment
from pbm.models import ReviewStatus
from reporting.deadlines.models import CompletionReport
from reporting.deadlines.selectors import completion_reports_to_review, instalments_for, mou_reports, work_to_do
from reporting.models import Activity
from reporting.selectors import reports_to_review
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


@register.simple_tag(takes_context=True)
def network_reviews(context, network) -> dict:
    """The network page's "waiting for review", for its reviewers (the RSI, the NSI): how many of each kind of
    report of the network's area are submitted and wait, each linked to its review list. Four to five counts."""
    user = context["request"].user
    if not access.can_review_network(user, network):
        return {"show": False}
    programme = context["request"].programme
    waiting = ReviewStatus.SUBMITTED
    # only what this user may accept or return (access.reviewable): not their own university's, nor their own work
    assessments = (
        access.reviewable(user, TambonAssessment.objects.filter(programme=programme, status=waiting,
                                                                tambon__network=network)).count()
        + access.reviewable(user, UniversityAssessment.objects.filter(programme=programme, status=waiting,
                                                                      university__network=network)).count()
        + access.reviewable(user, NetworkAssessment.objects.filter(programme=programme, status=waiting,
                                                                   network=network)).count()
    )  # fmt: skip
    rows = [
        (_("Monthly reports"), reports_to_review(user=user).filter(tambon__network=network).count(),
         reverse("review_list")),
        (_("Completion reports"), completion_reports_to_review(user=user).filter(activity__tambon__network=network)
         .count(), reverse("completion_list") + "?show=to_review"),
        (_("Quarterly assessments"), assessments, reverse("class_overview")),
        (_("6- and 12-month reports"), access.reviewable(user, mou_reports(user=user, programme=programme))
         .filter(status=waiting).filter(Q(university__network=network) | Q(network=network)).count(),
         reverse("mou_list")),
    ]  # fmt: skip
    return {"show": True, "rows": rows, "any": any(n for _label, n, _url in rows)}
