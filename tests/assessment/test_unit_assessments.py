import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from assessment.models import (
    ActivityAssessment,
    Goal,
    Indicator,
    NetworkAssessment,
    UniversityAssessment,
)
from assessment.selectors import activity_goal_targets
from pbm.models import ReviewStatus
from tests.assessment.helpers import make_activity


def _indicators(programme, level: str) -> dict:
    return {"version": 0} | {
        f"indicator_{i.pk}": f"{level} {i.number}" for i in Indicator.objects.filter(programme=programme, level=level)
    }


def test_university_files_usi_assessment_and_its_rsi_accepts(world, client_for):
    url = reverse("university_assessment", args=[world.university_a.pk, "2021-Q1"])
    response = client_for(world.mona).post(url, {**_indicators(world.programme, "usi"), "submit": "1"})
    assert response.status_code == 302
    assessment = UniversityAssessment.objects.get(university=world.university_a)
    assert assessment.status == ReviewStatus.SUBMITTED and assessment.indicator_results.count() == 14
    review = reverse("assessment_review", args=["university", assessment.pk])
    # dave's network area holds a tambon of university A, so he sees it, but only its home RSI reviews it
    assert client_for(world.dave).post(review, {"action": "accept"}).status_code == 403
    assert client_for(world.bob).post(review, {"action": "accept"}).status_code == 404
    client_for(world.carol).post(review, {"action": "accept"})
    assessment.refresh_from_db()
    assert assessment.status == ReviewStatus.ACCEPTED


@pytest.mark.parametrize(
    "username, status", [("alice", 200), ("carol", 200), ("bob", 404), ("nobody", 404), (None, 302)]
)
def test_university_assessment_page_access(world, client_for, username, status):
    user = getattr(world, username) if username else None
    url = reverse("university_assessment", args=[world.university_a.pk, "2021-Q1"])
    assert client_for(user).get(url).status_code == status


def test_rsi_files_network_assessment_and_nsi_accepts(world, client_for):
    network = world.tambon_a.network
    url = reverse("network_assessment", args=[network.pk, "2021-Q3"])
    client_for(world.carol).post(url, {**_indicators(world.programme, "rsi"), "submit": "1"})
    assessment = NetworkAssessment.objects.get(network=network)
    assert assessment.status == ReviewStatus.SUBMITTED and assessment.indicator_results.count() == 4
    review = reverse("assessment_review", args=["network", assessment.pk])
    client_for(world.carol).post(review, {"action": "accept"})
    assessment.refresh_from_db()
    assert assessment.status == ReviewStatus.SUBMITTED  # an RSI does not review its own network's report
    client_for(world.nora).post(review, {"action": "accept"})
    assessment.refresh_from_db()
    assert assessment.status == ReviewStatus.ACCEPTED


@pytest.mark.parametrize(
    "username, status", [("carol", 200), ("nora", 200), ("dave", 404), ("alice", 404), (None, 302)]
)
def test_network_assessment_page_access(world, client_for, username, status):
    user = getattr(world, username) if username else None
    url = reverse("network_assessment", args=[world.tambon_a.network_id, "2021-Q1"])
    assert client_for(user).get(url).status_code == status


def _grid(world, name="ตลาดชุมชน"):
    goals = {g.number: g.pk for g in Goal.objects.filter(programme=world.programme)}
    tsi = {i.number: i.pk for i in Indicator.objects.filter(programme=world.programme, level="tsi")}
    return {
        "version": "new", "col-0-kind": "activity", "col-0-name": name, f"col-0-goal-{goals[4]}": "expected",
        f"col-0-goal-{goals[7]}": "has", f"col-0-ind-{tsi[8]}": "ผลิตภัณฑ์เด่น",
        "col-1-kind": "activity", "col-1-name": "",  # the empty "add an activity" column
        "col-2-kind": "covid", f"col-2-ind-{tsi[10]}": "weekly survey",
        "col-3-kind": "community_data",
    }  # fmt: skip


def test_activity_form_saves_columns_and_profile_lists_targets(world, client_for):
    url = reverse("activity_assessment", args=[world.tambon_a.pk, "start"])
    assert client_for(world.alice).post(url, _grid(world)).status_code == 302
    kinds = list(ActivityAssessment.objects.filter(tambon=world.tambon_a).values_list("kind", "activity_name"))
    assert kinds == [("activity", "ตลาดชุมชน"), ("covid", ""), ("community_data", "")]
    targets = activity_goal_targets(world.tambon_a)
    assert [(t.name, t.activity, t.expected, t.already_has) for t in targets] == [("ตลาดชุมชน", None, [4], [7])]
    end_page = client_for(world.alice).get(reverse("activity_assessment", args=[world.tambon_a.pk, "end"]))
    assert 'value="ตลาดชุมชน"' in end_page.content.decode()  # the end form lists the start's activities
    profile = client_for(world.carol).get(reverse("tambon_profile", args=[world.tambon_a.pk])).content.decode()
    assert "ตลาดชุมชน" in profile


def test_activity_form_columns_refer_to_the_tambons_reporting_activities(world, client_for):
    activity = make_activity(world.tambon_a, "ฝึกอบรมการแปรรูปกล้วย")
    other = make_activity(world.tambon_b, "กิจกรรมของตำบลอื่น")
    url = reverse("activity_assessment", args=[world.tambon_a.pk, "end"])
    page = client_for(world.alice).get(url).content.decode()
    assert f'name="col-0-activity" value="{activity.pk}"' in page and "ฝึกอบรมการแปรรูปกล้วย" in page
    goal = Goal.objects.get(programme=world.programme, number=5)
    data = {"version": "new", "col-0-kind": "activity", "col-0-activity": str(activity.pk), f"col-0-goal-{goal.pk}": "has",
            "col-1-kind": "covid", "col-2-kind": "community_data"}  # fmt: skip
    assert client_for(world.alice).post(url, data).status_code == 302
    column = ActivityAssessment.objects.get(tambon=world.tambon_a, kind="activity")
    assert (column.activity_id, column.activity_name, column.label) == (activity.pk, "", "ฝึกอบรมการแปรรูปกล้วย")
    targets = activity_goal_targets(world.tambon_a)
    assert [(t.activity, t.stage, t.already_has) for t in targets] == [(activity, "end", [5])]
    client_for(world.alice).post(url, data | {"col-0-activity": str(other.pk)})
    assert ActivityAssessment.objects.get(tambon=world.tambon_a, kind="activity").activity_id == activity.pk


def test_activity_form_refuses_a_stale_or_missing_version(world, client_for):
    url = reverse("activity_assessment", args=[world.tambon_a.pk, "start"])
    client = client_for(world.alice)
    assert client.post(url, _grid(world)).status_code == 302
    client.post(url, _grid(world, name="another tab's name"))  # rendered before the first save: "new"
    client.post(url, {k: v for k, v in _grid(world, name="no version").items() if k != "version"})
    names = list(ActivityAssessment.objects.filter(tambon=world.tambon_a).values_list("activity_name", flat=True))
    assert "ตลาดชุมชน" in names and "another tab's name" not in names and "no version" not in names


def test_activity_form_refuses_duplicate_names_and_read_only_users(world, client_for):
    url = reverse("activity_assessment", args=[world.tambon_a.pk, "start"])
    data = _grid(world) | {"col-1-name": "ตลาดชุมชน"}
    response = client_for(world.alice).post(url, data, follow=True)
    with translation.override("th"):
        expected = gettext("Column %(n)s: %(name)s appears twice.") % {"n": 2, "name": "ตลาดชุมชน"}
    assert expected in response.content.decode()
    assert not ActivityAssessment.objects.exists()
    assert client_for(world.carol).post(url, _grid(world)).status_code == 403
    assert client_for(world.bob).get(url).status_code == 404
    assert (
        client_for(world.alice).get(reverse("activity_assessment", args=[world.tambon_a.pk, "middle"])).status_code
        == 404
    )
