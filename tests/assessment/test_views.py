import pytest
from django.urls import reverse

from assessment.models import Goal, GoalResult, Indicator, TambonAssessment, TambonClassification
from pbm.models import ReviewStatus
from tests.assessment.helpers import make_assessment


def _form_data(programme, goals_met: int, submit: bool = False, version: int | None = 0) -> dict:
    data = {"notes": "quarter notes"}
    if version is not None:
        data["version"] = version
    for goal in Goal.objects.filter(programme=programme).order_by("number"):
        if goal.number <= goals_met:
            data[f"goal_{goal.pk}_met"] = "on"
            data[f"goal_{goal.pk}_evidence"] = f"evidence {goal.number}"
    for indicator in Indicator.objects.filter(programme=programme, level="tsi"):
        data[f"indicator_{indicator.pk}"] = f"TSI {indicator.number}"
    if submit:
        data["submit"] = "1"
    return data


def url(tambon, quarter="2021-Q2"):
    return reverse("tambon_assessment", args=[tambon.pk, quarter])


def test_reporter_fills_submits_and_rsi_accepts_then_tambon_is_classified(
    world, client_for, django_capture_on_commit_callbacks
):
    alice, carol = client_for(world.alice), client_for(world.carol)
    response = alice.post(url(world.tambon_a), _form_data(world.programme, 12, submit=True, version=0))
    assert response.status_code == 302
    assessment = TambonAssessment.objects.get(tambon=world.tambon_a, quarter="2021-Q2")
    assert assessment.status == ReviewStatus.SUBMITTED
    assert GoalResult.objects.filter(assessment=assessment, met=True).count() == 12
    assert assessment.indicator_results.count() == 14
    assert carol.get(reverse("class_overview")).content.decode().count(world.tambon_a.subdistrict.name_th) >= 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = carol.post(reverse("assessment_review", args=["tambon", assessment.pk]), {"action": "accept"})
    assert response.status_code == 302
    # one classification, and the acceptance's notification (then its deliveries) — nothing else
    queued = [c.args[0].name for c in callbacks if getattr(c, "args", None)]
    assert queued.count("pbm.tasks.notify_review_event") == 1 and "assessment" in " ".join(queued)
    row = TambonClassification.objects.get(tambon=world.tambon_a, quarter="2021-Q2")
    assert (row.goals_met, row.band.code) == (12, "sufficiency")
    page = client_for(world.alice).get(reverse("tambon_profile", args=[world.tambon_a.pk]))
    assert "ตำบลมุ่งสู่ความพอเพียง" in page.content.decode()


def test_submit_refused_when_met_goal_has_no_evidence(world, client_for):
    data = _form_data(world.programme, 3, submit=True)
    goal = Goal.objects.get(programme=world.programme, number=2)
    data[f"goal_{goal.pk}_evidence"] = ""
    client = client_for(world.alice)
    response = client.post(url(world.tambon_a), data)
    assert response.status_code == 200
    assert "2" in response.context["form"].non_field_errors()[0]
    assert not TambonAssessment.objects.filter(tambon=world.tambon_a).exists()  # a refused submit writes nothing


def test_refused_submit_is_fixed_on_the_same_form_and_submitted(world, client_for):
    """The way back from a mistake: the re-rendered form holds what was typed and its version, so fixing the
    cause and pressing submit again works (it used to say someone else had changed the report)."""
    client = client_for(world.alice)
    client.post(url(world.tambon_a), _form_data(world.programme, 1, version=0))  # a draft exists: version 1
    data = _form_data(world.programme, 3, submit=True, version=1)
    goal = Goal.objects.get(programme=world.programme, number=2)
    data[f"goal_{goal.pk}_evidence"] = ""
    refused = client.post(url(world.tambon_a), data)
    form = refused.context["form"]
    assert refused.status_code == 200 and form.non_field_errors()
    assert form["version"].value() == "1" and form[f"goal_{goal.pk}_met"].value()  # what was typed is kept
    assert TambonAssessment.objects.get(tambon=world.tambon_a).version == 1
    fixed = {**form.data.dict(), f"goal_{goal.pk}_evidence": "แปลงเกษตรผสมผสาน 12 ครัวเรือน"}
    assert client.post(url(world.tambon_a), fixed).status_code == 302
    assessment = TambonAssessment.objects.get(tambon=world.tambon_a)
    assert assessment.status == ReviewStatus.SUBMITTED and assessment.goal_results.filter(met=True).count() == 3


def test_stale_version_is_refused(world, client_for):
    client = client_for(world.alice)
    client.post(url(world.tambon_a), _form_data(world.programme, 5, version=0))
    response = client.post(url(world.tambon_a), _form_data(world.programme, 6, version=0))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert GoalResult.objects.filter(assessment__tambon=world.tambon_a, met=True).count() == 5  # nothing overwritten


def test_reporter_cannot_accept_own_university_assessment_but_rsi_returns_with_reason(world, client_for):
    client_for(world.alice).post(url(world.tambon_a), _form_data(world.programme, 9, submit=True))
    assessment = TambonAssessment.objects.get(tambon=world.tambon_a)
    review_url = reverse("assessment_review", args=["tambon", assessment.pk])
    assert client_for(world.alice).post(review_url, {"action": "accept"}).status_code == 403
    client_for(world.carol).post(review_url, {"action": "return", "reason": ""})
    assessment.refresh_from_db()
    assert assessment.status == ReviewStatus.SUBMITTED
    client_for(world.carol).post(review_url, {"action": "return", "reason": "goal 4 evidence is thin"})
    assessment.refresh_from_db()
    assert (assessment.status, assessment.return_reason) == (ReviewStatus.RETURNED, "goal 4 evidence is thin")


@pytest.mark.parametrize(
    "username, status",
    [("alice", 200), ("carol", 200), ("nora", 200), ("bob", 404), ("dave", 404), ("nobody", 404), (None, 302)],
)
def test_tambon_assessment_page_access(world, client_for, username, status):
    user = getattr(world, username) if username else None
    assert client_for(user).get(url(world.tambon_a)).status_code == status


def test_read_only_reviewer_cannot_post_the_form(world, client_for):
    response = client_for(world.carol).post(url(world.tambon_a), _form_data(world.programme, 3))
    assert response.status_code == 403
    assert not TambonAssessment.objects.exists()


def test_quarter_outside_programme_is_404(world, client_for):
    assert client_for(world.alice).get(url(world.tambon_a, "2022-Q1")).status_code == 404
    assert client_for(world.alice).get(url(world.tambon_a, "junk")).status_code == 404


def test_review_of_out_of_scope_assessment_is_404(world, client_for):
    assessment = make_assessment(world.tambon_a, "2021-Q1", 9, status=ReviewStatus.SUBMITTED)
    review_url = reverse("assessment_review", args=["tambon", assessment.pk])
    assert client_for(world.dave).post(review_url, {"action": "accept"}).status_code == 404
    assessment.refresh_from_db()
    assert assessment.status == ReviewStatus.SUBMITTED


@pytest.mark.parametrize(
    "username, status", [("alice", 200), ("carol", 200), ("nina", 200), ("bob", 404), ("nobody", 404), (None, 302)]
)
def test_tambon_profile_access(world, client_for, username, status):
    user = getattr(world, username) if username else None
    assert client_for(user).get(reverse("tambon_profile", args=[world.tambon_a.pk])).status_code == status


def test_tambon_profile_shows_class_history(world, client_for):
    from assessment.services import tambon_classify_programme

    make_assessment(world.tambon_a, "2021-Q1", 9)
    make_assessment(world.tambon_a, "2021-Q2", 14)
    tambon_classify_programme(programme=world.programme)
    page = client_for(world.alice).get(reverse("tambon_profile", args=[world.tambon_a.pk])).content.decode()
    history = page[page.index('id="class-history"') : page.index('id="goals-met"')]
    assert history.index("ตำบลที่อยู่รอด") < history.index("ตำบลมุ่งสู่ความยั่งยืน")  # Q1 then Q2
    assert "ไตรมาส 1/2564" in history and "ไตรมาส 2/2564" in history


def test_tambon_page_links_to_profile(world, client_for):
    page = client_for(world.alice).get(reverse("tambon_detail", args=[world.tambon_a.pk])).content.decode()
    assert reverse("tambon_profile", args=[world.tambon_a.pk]) in page


def test_nsi_reopens_an_accepted_assessment_from_its_page(world, client_for):
    assessment = make_assessment(world.tambon_a, "2021-Q2", 12)
    page = client_for(world.nora).get(url(world.tambon_a)).content.decode()
    assert 'value="reopen"' in page
    assert 'value="reopen"' not in client_for(world.carol).get(url(world.tambon_a)).content.decode()
    review_url = reverse("assessment_review", args=["tambon", assessment.pk])
    client_for(world.nora).post(review_url, {"action": "reopen", "reason": "Goal 5 evidence is a draft"})
    assessment.refresh_from_db()
    assert assessment.status == ReviewStatus.RETURNED and assessment.return_reason == "Goal 5 evidence is a draft"
