"""The dashboards as JSON: the page's figures, the page's scope, drill-down by URL, filters that say what to fix."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reporting.models import CategoryKind
from tests.reporting.helpers import MARCH


def _get(client, url: str, **params):
    response = client.get(url, params)
    return response, (response.json() if response["Content-Type"].startswith("application/json") else None)


def test_network_figures_equal_the_page(seeded, client_for):
    world = seeded
    client = client_for(world.carol)
    url = f"/dashboard/networks/{world.tambon_a.network_id}/"
    board = client.get(url, {"month": MARCH}).context["board"]
    response, body = _get(client, f"/api/v1{url}", month=MARCH)
    assert response.status_code == 200
    assert body["level"] == "network" and body["network"] == world.tambon_a.network_id
    assert body["period"] == {"kind": "month", "months": [MARCH], "quarter": str(board.period.quarter)}

    rows, total = board.completeness
    assert [r["unit"]["id"] for r in body["completeness"]] == [r.child.pk for r in rows]
    for name in ("expected", "submitted", "on_time", "late", "awaiting_review", "returned", "accepted", "not_filed"):
        assert body["completeness_total"][name] == getattr(total, name), name
    assert body["completeness_total"]["unit"] is None
    assert body["completeness_total"]["expected"] > 0

    spending = board.spending.total
    for kind in CategoryKind.values:
        figures = body["spending"]["total"]["kinds"][kind]
        assert Decimal(figures["actual"]) == spending.kinds[kind].actual
        assert Decimal(figures["plan"]) == spending.kinds[kind].plan
        assert Decimal(figures["budget"]) == spending.kinds[kind].total
    assert Decimal(body["spending"]["total"]["actual"]) == spending.actual > 0
    assert body["spending"]["total"]["instalment_eligible"] == spending.instalment_eligible
    targets = {1: "32.0", 2: "54.0", 3: "77.0", 4: "100.0"}  # DOMAIN.md §9, cumulative by fiscal quarter
    assert [(q["quarter"], q["target_percent"]) for q in body["spending"]["quarters"]] == [
        (q.quarter, targets[q.quarter]) for q in board.spending.quarters
    ]

    hiring = board.hiring.total
    assert body["hiring"]["total"]["hired"] == hiring.hired_total > 0
    assert body["hiring"]["total"]["vacancies"] == hiring.vacancies
    assert {t["type"]: t["hired"] for t in body["hiring"]["total"]["by_type"]} == hiring.hired

    classes = board.classification
    assert body["classification"]["quarter"] == str(classes.quarter)
    counted = {c["band"]: c["tambons"] for c in body["classification"]["total"]["classes"]}
    assert counted == {key: classes.total.bands.get(key, 0) for key in [*(b.pk for b in classes.bands), None]}
    assert sum(counted.values()) == classes.total.assessed > 0
    assert [g["goal"] for g in body["classification"]["total"]["goals"]] == list(range(1, 17))


def test_drill_down_follows_the_unit_urls(seeded, client_for):
    world = seeded
    client = client_for(world.nora)
    levels = []
    response, body = _get(client, "/api/v1/dashboard/", month=MARCH)
    while response.status_code == 200 and "level" in body:
        levels.append(body["level"])
        first = next(r for r in body["completeness"] if r["unit"]["id"] == _wanted(world, body["level"]))
        response, body = _get(client, first["unit"]["url"], month=MARCH)
    assert levels == ["national", "network", "university", "tambon"]
    assert response.status_code == 200 and body["tambon"] == world.tambon_a.pk  # the tambon's budget table API


def _wanted(world, level: str) -> int:
    return {"national": world.tambon_a.network_id, "network": world.university_a.pk,
            "university": world.tambon_a.pk, "tambon": world.tambon_a.pk}[level]  # fmt: skip


def test_tambon_level_rows_link_to_the_budget_table(seeded, client_for):
    world = seeded
    url = f"/api/v1/dashboard/networks/{world.tambon_a.network_id}/tambons/{world.tambon_a.pk}/"
    response, body = _get(client_for(world.carol), url)
    assert response.status_code == 200 and body["level"] == "tambon"
    assert [r["unit"]["url"] for r in body["completeness"]] == [f"/api/v1/tambons/{world.tambon_a.pk}/budget/"]


@pytest.mark.parametrize(("username", "status"), [("nora", 200), ("nina", 200), ("carol", 404), ("alice", 404),
                                                  ("nobody", 403), (None, 403)])  # fmt: skip
def test_national_figures_are_for_the_national_office(world, client_for, username, status):
    user = getattr(world, username) if username else None
    assert client_for(user).get("/api/v1/dashboard/").status_code == status


def test_another_networks_figures_are_404(world, client_for):
    carol = client_for(world.carol)
    net1, net2 = world.tambon_a.network_id, world.tambon_b.network_id
    assert carol.get(f"/api/v1/dashboard/networks/{net1}/").status_code == 200
    for url in (
        f"/api/v1/dashboard/networks/{net2}/",
        f"/api/v1/dashboard/networks/{net2}/universities/{world.university_b.pk}/",
        f"/api/v1/dashboard/networks/{net1}/tambons/{world.tambon_b.pk}/",
        f"/api/v1/dashboard/networks/{net1}/tambons/{world.tambon_cross.pk}/",
    ):
        assert carol.get(url).status_code == 404, url
    alice = client_for(world.alice)
    assert alice.get(f"/api/v1/dashboard/networks/{net1}/").status_code == 404


@pytest.mark.parametrize(("params", "says"), [({"month": "March"}, "2021-03"), ({"quarter": "Q2"}, "2021-Q2")])
def test_a_bad_filter_is_400_and_says_what_to_write(world, client_for, params, says):
    response = client_for(world.nora).get("/api/v1/dashboard/", params)
    assert response.status_code == 400
    assert says in " ".join(response.json()["filters"])


def test_the_month_may_be_written_in_be(seeded, client_for):
    response, body = _get(client_for(seeded.nora), "/api/v1/dashboard/", month="2564-03")
    assert response.status_code == 200 and body["period"]["months"] == [MARCH]
