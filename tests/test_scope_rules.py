"""Scope rules that hold whatever the order of lookups (issue #11, item 8): 404 for what is not there for you,
GET never writes, figures only over what the viewer may see, junk API filters answer 400."""

import pytest
from django.urls import reverse
from django.utils import translation

from reporting import services
from reporting.deadlines import services as deadline_services
from reporting.deadlines.models import MouReport
from tests.assessment.helpers import make_activity


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def test_another_tambons_line_or_activity_under_a_visible_tambon_is_404_not_403(world, client_for):
    """carol may see tambon_a but not edit it; a line or activity of tambon_b put under tambon_a's URL is not
    there (404), before anyone asks whether she may edit (which would be 403)."""
    services.budget_plan_init(tambon=world.tambon_b, user=None)
    line_b = world.tambon_b.budget_lines.first()
    activity_b = make_activity(world.tambon_b, "Market")
    urls = [
        reverse("line_edit", args=[world.tambon_a.pk, line_b.pk]),
        reverse("activity_edit", args=[world.tambon_a.pk, activity_b.pk]),
    ]
    for user in (world.carol, world.nora, world.alice):
        for url in urls:
            assert client_for(user).get(url).status_code == 404, (user, url)
            assert client_for(user).post(url, {"name": "x"}).status_code == 404, (user, url)
    # the tambon's own line, for a viewer who may not edit: forbidden, not missing
    services.budget_plan_init(tambon=world.tambon_a, user=None)
    own = reverse("line_edit", args=[world.tambon_a.pk, world.tambon_a.budget_lines.first().pk])
    assert client_for(world.carol).get(own).status_code == 403


def test_opening_a_mou_report_writes_nothing_and_the_first_save_creates_it(world, client_for):
    url = reverse("mou_report", args=["6m", "university", world.university_a.pk])
    for user in (world.alice, world.carol, world.dave, world.nora, world.nina):
        assert client_for(user).get(url).status_code == 200
    assert not MouReport.objects.exists()
    response = client_for(world.alice).post(url, {"version": 0, "summary": "Half a year", "save": "1"})
    assert response.status_code == 302
    assert MouReport.objects.get(university=world.university_a).summary == "Half a year"


def test_mou_figures_cover_only_the_viewers_tambons_or_say_so(world, client_for, settings):
    """University A works tambon_a, tambon_a2 (network 1) and tambon_cross (network 2's area)."""
    url = reverse("mou_report", args=["6m", "university", world.university_a.pk])

    def client_for(user, make=client_for):  # pages in English, so the sentences can be read here
        client = make(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    alice = client_for(world.alice).get(url)
    assert alice.context["figures"]["tambons"] == 3 and not alice.context["coverage"]
    carol = client_for(world.carol).get(url)  # RSI of network 1: sees tambon_a and tambon_a2 only
    assert carol.context["figures"]["tambons"] == 2
    assert "2 of 3 tambons" in carol.context["coverage"] and 'id="figures-coverage"' in carol.content.decode()
    # once submitted, the figures are the university's as it froze them, and the page says what they include
    report = MouReport.objects.create(programme=world.programme, period="6m", university=world.university_a,
                                      summary="Half a year", results="Markets")  # fmt: skip
    deadline_services.mou_report_submit(report=report, user=world.alice)
    carol = client_for(world.carol).get(url)
    assert carol.context["figures"]["tambons"] == 3
    assert "all 3 tambons" in carol.context["coverage"] and "1 of them outside your scope" in carol.context["coverage"]


JUNK = {
    "/api/v1/classifications/": ["status=x", "quarter=x", "network=x", "network=99999999999999999999"],
    "/api/v1/classifications/distribution/": ["quarter=2021-Q9", "network=x"],
    "/api/v1/assessments/tambons/": ["status=x", "quarter=x", "network=-1"],
    "/api/v1/assessments/universities/": ["status=bogus", "quarter=1999-Q1"],
    "/api/v1/assessments/networks/": ["status=x", "network=x"],
    "/api/v1/tambons/": ["network=x", "province=x", "programme=nope", "university=<script>", "netwrk=1"],
    "/api/v1/roster/contracts/": ["tambon=x", "status=x", "tambon=99999999999999999999"],
    "/api/v1/dashboard/": ["month=x", "quarter=x", "programme=nope"],
}


@pytest.mark.parametrize("url", JUNK)
def test_junk_api_filters_answer_400_with_a_message(world, url, client_for):
    for query in JUNK[url]:
        response = client_for(world.nora).get(f"{url}?{query}")
        assert response.status_code == 400, (query, response.status_code)
        assert response.json(), query  # says which parameter and what to write
