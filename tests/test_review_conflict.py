"""No review of one's own unit or one's own work (issue #11, item 5), for every kind of report.

The finding: a person who files for a university (reporter or manager) and also reviews its network accepted a
month of their own university that a colleague had submitted; only "submitted by me" was checked. The rule now
lives in tambon/access.py (`review_conflict`, `can_review`, `reviewable`) and every review list uses it."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from assessment.models import NetworkAssessment, TambonAssessment, UniversityAssessment
from assessment.selectors import review_queue
from pbm import review
from pbm.models import ReviewStatus
from reporting.deadlines.models import CompletionReport, MouReport
from reporting.deadlines.selectors import completion_reports_to_review
from reporting.models import MonthlyReport
from reporting.selectors import reports_to_review
from tambon import access
from tambon.models import Role
from tests.assessment.helpers import make_activity
from tests.conftest import _member
from tests.factories import MembershipFactory


@dataclass
class Kind:
    name: str
    make: Callable  # world → a draft report of university A (or network 1)
    url: Callable  # report → its page
    review_url: Callable  # report → where the review form posts
    listed: Callable  # (user, report) → is it offered in this kind's review list
    network_unit: bool = False  # the report is a network's own (filed by its RSI, reviewed by the NSI)


def _queue(user, report) -> bool:
    return report in review_queue(user=user, programme=report.programme)


KINDS = [
    Kind("monthly report",
         lambda w: MonthlyReport.objects.create(tambon=w.tambon_a, year=2021, month=1),
         lambda r: reverse("report_detail", args=[r.tambon_id, r.year, r.month]),
         lambda r: reverse("report_review", args=[r.tambon_id, r.year, r.month]),
         lambda user, r: reports_to_review(user=user).filter(pk=r.pk).exists()),
    Kind("completion report",
         lambda w: CompletionReport.objects.create(activity=make_activity(w.tambon_a, "Market"), due_on=dt.date(2021, 3, 8)),
         lambda r: reverse("completion_report", args=[r.activity_id]),
         lambda r: reverse("completion_review", args=[r.activity_id]),
         lambda user, r: completion_reports_to_review(user=user).filter(pk=r.pk).exists()),
    Kind("university's 6-month report",
         lambda w: MouReport.objects.create(programme=w.programme, period="6m", university=w.university_a),
         lambda r: reverse("mou_report", args=["6m", "university", r.university_id]),
         lambda r: reverse("mou_review", args=["6m", "university", r.university_id]),
         lambda user, r: access.reviewable(user, MouReport.objects.filter(status="submitted")).filter(pk=r.pk).exists()),
    Kind("network's 6-month report",
         lambda w: MouReport.objects.create(programme=w.programme, period="6m", network=w.university_a.network),
         lambda r: reverse("mou_report", args=["6m", "network", r.network_id]),
         lambda r: reverse("mou_review", args=["6m", "network", r.network_id]),
         lambda user, r: access.reviewable(user, MouReport.objects.filter(status="submitted")).filter(pk=r.pk).exists(),
         network_unit=True),
    Kind("tambon assessment",
         lambda w: TambonAssessment.objects.create(tambon=w.tambon_a, programme=w.programme, quarter="2021-Q1"),
         lambda r: reverse("tambon_assessment", args=[r.tambon_id, r.quarter]),
         lambda r: reverse("assessment_review", args=["tambon", r.pk]), _queue),
    Kind("university assessment",
         lambda w: UniversityAssessment.objects.create(university=w.university_a, programme=w.programme,
                                                       quarter="2021-Q1"),
         lambda r: reverse("university_assessment", args=[r.university_id, r.quarter]),
         lambda r: reverse("assessment_review", args=["university", r.pk]), _queue),
    Kind("network assessment",
         lambda w: NetworkAssessment.objects.create(network=w.university_a.network, programme=w.programme,
                                                    quarter="2021-Q1"),
         lambda r: reverse("network_assessment", args=[r.network_id, r.quarter]),
         lambda r: reverse("assessment_review", args=["network", r.pk]), _queue, network_unit=True),
]  # fmt: skip


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def people(world):
    """Reviewers with a conflict, and a clean reviewer, for the reports of university A / network 1."""
    net1 = world.university_a.network
    rita = _member("rita", Role.RSI_REVIEWER, network=net1)  # reviews network 1 and manages university A
    MembershipFactory(user=rita, role=Role.UNIVERSITY_MANAGER, university=world.university_a)
    rex = _member("rex", Role.RSI_REVIEWER, network=net1)  # reviews network 1 and reports for university A
    MembershipFactory(user=rex, role=Role.UNIVERSITY_REPORTER, university=world.university_a)
    nils = _member("nils", Role.NSI_REVIEWER)  # reviews the nation and is an RSI of network 1 (files its reports)
    MembershipFactory(user=nils, role=Role.RSI_REVIEWER, network=net1)
    return {"rita": rita, "rex": rex, "nils": nils}


def _submit(kind: Kind, world, report, submitter=None):
    submitter = submitter or (world.carol if kind.network_unit else world.alice)
    review.review_submit(obj=report, user=submitter)
    report.refresh_from_db()
    return report


def _refused(kind: Kind, world, client_for, user, report) -> list[str]:
    """Every way `user` could accept `report`, and what went wrong (empty: all refused as they should be)."""
    problems = []
    if access.can_review(user, report) or review.can_review(user, report):
        problems.append("can_review is true")
    if kind.listed(user, report):
        problems.append("offered in the review list")
    try:
        with translation.override("en"):  # a page request before this one left Thai active in this thread
            review.review_accept(obj=report, user=user)
        problems.append("review_accept went through")
    except ValidationError as error:
        if "someone else must review" not in " ".join(error.messages):
            problems.append(f"refused with the wrong reason: {error.messages}")
    page = client_for(user).get(kind.url(report))
    body = page.content.decode()
    if page.status_code != 200 or 'id="review-form"' in body or 'id="review-conflict"' not in body:
        problems.append(f"page {page.status_code} offers the review form or does not say why not")
    client_for(user).post(kind.review_url(report), {"action": "accept", "version": report.version})
    report.refresh_from_db()
    if report.status != ReviewStatus.SUBMITTED:
        problems.append(f"POST made it {report.status}")
    return problems


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_filer_of_the_unit_who_also_reviews_may_not_review(kind, world, people, client_for):
    """The finding: someone with a filing role for the unit (reporter/manager of A; RSI of network 1 for the
    network's own reports) reviews a report a colleague submitted."""
    report = _submit(kind, world, kind.make(world))
    conflicted = [people["nils"]] if kind.network_unit else [people["rita"], people["rex"]]
    failures = {u.username: p for u in conflicted if (p := _refused(kind, world, client_for, u, report))}
    assert not failures, failures


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_submitter_may_not_review(kind, world, client_for):
    report = _submit(kind, world, kind.make(world), submitter=world.nina)  # the NSI admin files for anyone
    assert not _refused(kind, world, client_for, world.nina, report)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_editor_after_submission_may_not_review(kind, world, client_for):
    """The NSI admin changed the report after it was first submitted (a CHANGED event), a filer submitted it."""
    report = _submit(kind, world, kind.make(world))
    review.review_record_changes(obj=report, user=world.nina, changes=[review.Change("notes", "", "fixed")])
    assert not _refused(kind, world, client_for, world.nina, report)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_clean_reviewer_is_offered_and_accepts(kind, world, people, client_for):
    report = _submit(kind, world, kind.make(world))
    reviewers = [world.nora] if kind.network_unit else [world.carol, world.nora]
    for reviewer in reviewers:
        assert access.can_review(reviewer, report) and kind.listed(reviewer, report), reviewer
        page = client_for(reviewer).get(kind.url(report)).content.decode()
        assert 'id="review-form"' in page and 'id="review-conflict"' not in page
    client_for(reviewers[0]).post(kind.review_url(report), {"action": "accept", "version": report.version})
    report.refresh_from_db()
    assert report.status == ReviewStatus.ACCEPTED and report.reviewed_by == reviewers[0]


def test_network_page_waiting_counts_leave_out_own_university(world, people, client_for):
    for kind in KINDS:
        _submit(kind, world, kind.make(world))
    network = world.university_a.network
    url = reverse("network_detail", args=[network.pk])

    def counts(user) -> str:
        body = client_for(user).get(url).content.decode()
        return body[body.index('id="waiting-for-review"') :].split("</section>")[0]

    assert 'class="badge warn">1<' in counts(world.carol)  # carol reviews network 1 and files for nobody
    assert 'class="badge warn"' not in counts(people["rita"])  # rita manages university A: nothing to offer
