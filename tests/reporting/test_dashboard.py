"""Reviewers' dashboards: figures agree with the tambon-level pages, constant query count, scope 404s, exports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from assessment.models import ClassBand, GoalResult, TambonClassification
from pbm.formats import number
from pbm.models import ReviewStatus
from pbm.periods import end_of_day, month_due_date
from reporting.dashboard import selectors
from reporting.deadlines.models import MouPeriod, MouReport
from reporting.deadlines.selectors import instalments_for, tambons_late
from reporting.models import CategoryKind, DisbursementTarget, MonthlyReport
from reporting.selectors import budget_tables
from tambon.models import Tambon
from tambon.roster.models import Contract, ContractStatus
from tambon.roster.selectors import certificate_candidates, certificate_months
from tests.factories import SubDistrictFactory, TambonFactory
from tests.reporting.helpers import MARCH, seed


def add_tambons(world, count: int) -> list[Tambon]:
    """More tambons of university A in network 1, and of B in network 2."""
    out = []
    for i in range(count):
        university = world.university_a if i % 2 == 0 else world.university_b
        district = world.tambon_a.subdistrict.district if i % 2 == 0 else world.tambon_b.subdistrict.district
        sub = SubDistrictFactory(district=district, code=f"{district.code}{50 + i:02d}")
        out.append(TambonFactory(subdistrict=sub, university=university, network=university.network))
    return out


def network_level(world, user, network=None):
    network = network or world.tambon_a.network
    tambons = Tambon.objects.filter(programme=world.programme, is_active=True, network=network)
    return selectors.Level("network", world.programme, tambons, "university_id", network=network)


# --- the same figure everywhere -----------------------------------------------------------------------------


def test_spending_equals_the_sum_of_the_tambon_budget_tables(seeded):
    world = seeded
    level = network_level(world, world.carol)
    period = selectors.period_for(world.programme, month=(2021, 10))
    kids = selectors.children(level)
    widget = selectors.spending(level, period, kids)
    tambons = list(level.tambons.with_place())
    tables = budget_tables(tambons=tambons, programme=world.programme)
    groups = {"1": CategoryKind.HIRING, "2": CategoryKind.ACTIVITY, "3": CategoryKind.MANAGEMENT}
    for kind in groups.values():
        plan = actual = total = Decimal(0)
        for table in tables.values():
            row = next(r for r in table.rows if r.level == 1 and groups[r.code] == kind)
            plan += sum((p or 0 for p in row.plans[:10]), Decimal(0))
            actual += sum((a or 0 for a in row.actuals[:10]), Decimal(0))
            total += row.total
        assert widget.total.kinds[kind].plan == plan
        assert widget.total.kinds[kind].actual == actual
        assert widget.total.kinds[kind].total == total
    assert widget.total.kinds[CategoryKind.HIRING].actual > 0  # wages from accepted work are counted
    # the cumulative series at October is the same figure
    october = next(p for p in widget.series if p.month == (2021, 10))
    assert october.actual[CategoryKind.ACTIVITY] == widget.total.kinds[CategoryKind.ACTIVITY].actual


def test_completeness_counts_equal_the_monthly_report_rows(seeded):
    world = seeded
    MonthlyReport.objects.filter(tambon=world.tambon_a2, year=2021, month=3).delete()
    level = network_level(world, world.carol)
    period = selectors.period_for(world.programme, month=(2021, 3))
    rows, total = selectors.completeness(level, period, selectors.children(level))
    reports = MonthlyReport.objects.filter(tambon__network=world.tambon_a.network, year=2021, month=3)
    deadline = end_of_day(month_due_date(2021, 3, 2))
    assert total.expected == level.tambons.count()
    assert total.submitted == reports.filter(first_submitted_at__isnull=False).count()
    assert total.on_time == reports.filter(first_submitted_at__lte=deadline).count()
    assert total.late == reports.filter(is_late=True).count()
    assert total.accepted == reports.filter(status=ReviewStatus.ACCEPTED).count()
    assert total.returned == reports.filter(status=ReviewStatus.RETURNED).count()
    assert total.not_filed >= 1
    # "late" in the deadlines module counts tambons without an on-time submission: late + not filed
    late = tambons_late(programme=world.programme, year=2021, month=3).filter(network=world.tambon_a.network)
    assert total.late + total.not_filed == late.count()
    assert sum(r.expected for r in rows) == total.expected


def test_hiring_and_certificates_equal_the_roster(seeded):
    world = seeded
    level = network_level(world, world.carol)
    period = selectors.period_for(world.programme, month=(2021, 6))
    widget = selectors.hiring(level, period, selectors.children(level))
    contracts = Contract.objects.filter(tambon__in=level.tambons)
    assert widget.total.hired_total == contracts.filter(status=ContractStatus.ACTIVE).count()
    assert widget.total.reserve == contracts.filter(status=ContractStatus.RESERVE).count()
    assert widget.total.quota_total == 20 * level.tambons.count()
    eligible = [
        c for c, run in certificate_candidates(tambons=level.tambons) if run >= certificate_months(world.programme)
    ]
    assert widget.total.certificates_eligible == len(eligible) > 0


def test_resignations_count_people_who_left_in_the_month(seeded):
    world = seeded
    contract = Contract.objects.filter(tambon=world.tambon_a, status=ContractStatus.ACTIVE).first()
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.RESIGNED, left_on=dt.date(2021, 6, 30))
    level = network_level(world, world.carol)
    june = selectors.hiring(level, selectors.period_for(world.programme, month=(2021, 6)), selectors.children(level))
    july = selectors.hiring(level, selectors.period_for(world.programme, month=(2021, 7)), selectors.children(level))
    assert (june.total.resigned, july.total.resigned) == (1, 0)


def test_instalment_eligibility_equals_instalments_for(seeded):
    world = seeded
    MouReport.objects.update_or_create(
        programme=world.programme, period=MouPeriod.SIX_MONTH, university=world.university_a,
        defaults={"status": ReviewStatus.ACCEPTED},
    )  # fmt: skip
    level = network_level(world, world.carol)
    widget = selectors.spending(level, selectors.period_for(world.programme), selectors.children(level))
    tambons = list(level.tambons)
    expected = sum(
        1 for rows in instalments_for(tambons=tambons, programme=world.programme).values() if rows[1].eligible
    )
    assert widget.total.instalment_eligible == expected == 2


def test_classification_equals_classifications_and_goal_results(seeded):
    world = seeded
    quarter = TambonClassification.objects.order_by("-quarter").values_list("quarter", flat=True).first()
    level = network_level(world, world.carol)
    period = selectors.period_for(world.programme, quarter=__import__("pbm.periods").periods.Quarter.parse(quarter))
    widget = selectors.classification(level, period, selectors.children(level))
    rows = TambonClassification.objects.filter(quarter=quarter, tambon__network=world.tambon_a.network)
    assert widget.total.classified == rows.count()
    for band in widget.bands:
        assert widget.total.bands.get(band.pk, 0) == rows.filter(band=band).count()
    met = GoalResult.objects.filter(
        met=True, assessment__quarter=quarter, assessment__status=ReviewStatus.ACCEPTED,
        assessment__tambon__network=world.tambon_a.network,
    )  # fmt: skip
    for goal in widget.goals:
        assert widget.total.goals.get(goal.pk, 0) == met.filter(goal=goal).count()
    # movement: each tambon's class rank against its class of the quarter before (no class counts as rank 0)
    rank = {row.tambon_id: row.band.rank if row.band else 0 for row in rows.select_related("band")}
    before = {row.tambon_id: row.band.rank if row.band else 0
              for row in TambonClassification.objects.filter(quarter=str(widget.previous), tambon_id__in=rank)
              .select_related("band")}  # fmt: skip
    assert widget.total.up == sum(1 for t, r in rank.items() if t in before and r > before[t])
    assert widget.total.down == sum(1 for t, r in rank.items() if t in before and r < before[t])
    assert widget.total.up + widget.total.down > 0


def test_classification_rows_count_each_childs_bands_moves_and_goals(world):
    """Per child at every level: tambons per class (none: not yet classified), moves against the quarter before
    (only tambons classified in both; no class is rank 0) and tambons meeting each goal, as the rows say."""
    from assessment.services import tambon_classify
    from tests.assessment.helpers import make_assessment

    extra = add_tambons(world, 4)
    tambons = [world.tambon_a, world.tambon_a2, world.tambon_b, world.tambon_cross, *extra]
    for i, tambon in enumerate(tambons):
        if i != 1:  # tambon_a2 has no class in Q1: it cannot have moved
            make_assessment(tambon, "2021-Q1", (5 * i + 3) % 17)
        make_assessment(tambon, "2021-Q2", (11 * i + 7) % 17)
    tambon_classify(programme=world.programme, quarter=selectors.Quarter(2021, 1))
    tambon_classify(programme=world.programme, quarter=selectors.Quarter(2021, 2))
    # the classes as the committee set them: every band and "not yet classified" (rank 0) on both sides of a move
    bands = [*ClassBand.objects.filter(programme=world.programme), None]
    for n, row in enumerate(TambonClassification.objects.order_by("quarter", "tambon_id")):
        row.band = bands[(3 * n) % len(bands)]
        row.save(update_fields=["band"])
    rows = {
        (c.tambon_id, c.quarter): c
        for c in TambonClassification.objects.select_related("band", "tambon").filter(
            quarter__in=["2021-Q1", "2021-Q2"]
        )
    }
    assert len({c.band_id for (_t, q), c in rows.items() if q == "2021-Q2"}) >= 3  # several classes and none
    period = selectors.period_for(world.programme, quarter=selectors.Quarter(2021, 2))
    active = Tambon.objects.filter(programme=world.programme, is_active=True)
    network = world.tambon_a.network
    levels = [
        selectors.Level("national", world.programme, active, "network_id"),
        selectors.Level("network", world.programme, active.filter(network=network), "university_id", network=network),
        selectors.Level(
            "university",
            world.programme,
            active.filter(network=network, university=world.university_a),
            "id",
            network=network,
            university=world.university_a,
        ),  # fmt: skip
    ]
    moved = 0
    for level in levels:
        scope = set(level.tambons.values_list("pk", flat=True))
        widget = selectors.classification(level, period, selectors.children(level))
        assert str(widget.previous) == "2021-Q1"
        assert widget.rows
        for item in widget.rows:
            mine = [
                c
                for (t, q), c in rows.items()
                if q == "2021-Q2" and t in scope and getattr(c.tambon, level.key) == item.child.pk
            ]
            rank = {c.tambon_id: c.band.rank if c.band else 0 for c in mine}
            before = {t: c.band.rank if c.band else 0 for (t, q), c in rows.items() if q == "2021-Q1" and t in rank}
            bands = {}
            for c in mine:
                bands[c.band_id] = bands.get(c.band_id, 0) + 1
            assert item.bands == bands
            assert item.assessed == len(mine)
            assert item.up == sum(1 for t, r in rank.items() if t in before and r > before[t])
            assert item.down == sum(1 for t, r in rank.items() if t in before and r < before[t])
            assert item.goals == {
                g.pk: sum(1 for c in mine if c.goals_met_mask & TambonClassification.goal_bit(g.number))
                for g in widget.goals
            }
            moved += item.up + item.down
        assert widget.total.assessed == sum(i.assessed for i in widget.rows)
    assert moved > 0


def test_disbursement_targets_are_reference_data(db):
    assert list(DisbursementTarget.objects.values_list("quarter", "cumulative_share")) == [
        (1, Decimal("32.00")), (2, Decimal("54.00")), (3, Decimal("77.00")), (4, Decimal("100.00"))
    ]  # fmt: skip


def test_network_page_shows_the_figures_of_the_widgets(seeded, client_for):
    world = seeded
    response = client_for(world.carol).get(f"/dashboard/networks/{world.tambon_a.network_id}/?month={MARCH}")
    assert response.status_code == 200
    board = response.context["board"]
    rows, total = board.completeness
    html = response.content.decode()
    assert world.university_a.name in html
    assert (
        f'href="/dashboard/networks/{world.tambon_a.network_id}/universities/{world.university_a.pk}/?month={MARCH}"'
        in html
    )
    assert f'data-sort="{total.expected}"' in html
    assert board.period.through == (2021, 3)


# --- aggregates, not loops -----------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_data(world, client_for):
    seed(world.programme, list(Tambon.objects.with_place().order_by("pk")))
    client = client_for(world.nora)
    urls = ["/dashboard/", f"/dashboard/networks/{world.tambon_a.network_id}/",
            f"/dashboard/networks/{world.tambon_a.network_id}/universities/{world.university_a.pk}/",
            f"/dashboard/networks/{world.tambon_a.network_id}/tambons/{world.tambon_a.pk}/"]  # fmt: skip
    urls += [f"/api/v1{url}" for url in urls]  # the same levels as JSON
    small = [_queries(client, url) for url in urls]
    # the same first tambons in the same order keep their people (seeding is idempotent); 8 more come in
    seed(world.programme, list(Tambon.objects.with_place().order_by("pk")) + add_tambons(world, 8))
    assert Tambon.objects.count() == 12
    large = [_queries(client, url) for url in urls]
    assert small == large


# --- scope ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"), [("nora", 200), ("nina", 200), ("carol", 302), ("alice", 302), ("nobody", 404)]
)
def test_national_dashboard_scope(world, client_for, username, status):
    response = client_for(getattr(world, username)).get("/dashboard/")
    assert response.status_code == status  # the RSI starts at its network, university staff at their university
    if status == 302:
        own = {"carol": "", "alice": f"universities/{world.university_a.pk}/"}[username]
        assert response.url == f"/dashboard/networks/{world.tambon_a.network_id}/{own}"


def test_anonymous_is_sent_to_login(world, client_for):
    response = client_for(None).get("/dashboard/")
    assert response.status_code == 302 and "/login/" in response.url


def test_rsi_reaches_its_own_levels_and_not_another_networks(world, client_for):
    carol = client_for(world.carol)
    net1, net2 = world.tambon_a.network_id, world.tambon_b.network_id
    assert carol.get(f"/dashboard/networks/{net1}/").status_code == 200
    assert carol.get(f"/dashboard/networks/{net1}/universities/{world.university_a.pk}/").status_code == 200
    assert carol.get(f"/dashboard/networks/{net1}/tambons/{world.tambon_a.pk}/").status_code == 200
    for url in (
        f"/dashboard/networks/{net2}/",
        f"/dashboard/networks/{net2}/universities/{world.university_b.pk}/",
        f"/dashboard/networks/{net2}/tambons/{world.tambon_b.pk}/",
        f"/dashboard/networks/{net1}/tambons/{world.tambon_b.pk}/",  # another network's tambon under her own
        f"/dashboard/networks/{net1}/tambons/{world.tambon_cross.pk}/",  # her university's tambon in network 2
        f"/dashboard/networks/{net1}/universities/{world.university_b.pk}/",
        f"/dashboard/networks/{net2}/export/completeness.xlsx",
        f"/dashboard/networks/{net2}/universities/{world.university_b.pk}/export/spending.xlsx",
        f"/dashboard/networks/{net2}/tambons/{world.tambon_b.pk}/export/hiring.xlsx",
        "/dashboard/export/completeness.xlsx",
    ):
        assert carol.get(url).status_code == 404, url


def test_university_staff_see_their_own_universitys_dashboard_and_nothing_above(world, client_for):
    alice = client_for(world.alice)
    net1, net2 = world.tambon_a.network_id, world.tambon_b.network_id
    own = f"/dashboard/networks/{net1}/universities/{world.university_a.pk}/"
    response = alice.get("/dashboard/")
    assert response.status_code == 302 and response.url == own  # where most of its tambons are
    page = alice.get(own).content.decode()
    assert world.university_a.name in page and "ห้วยแห้ง" in page and "ทับกวาง" in page
    assert f'href="/dashboard/networks/{net1}/"' not in page  # no link to a level she cannot open
    assert 'href="/dashboard/"' in page  # the navigation offers her dashboard
    for url in (
        f"/dashboard/networks/{net1}/tambons/{world.tambon_a.pk}/",
        f"/dashboard/networks/{net2}/universities/{world.university_a.pk}/",  # her tambon in network 2's area
        f"/dashboard/networks/{net2}/tambons/{world.tambon_cross.pk}/",
        f"{own}export/spending.xlsx",
        f"{own}export/completeness.xlsx",
    ):
        assert alice.get(url).status_code == 200, url
    for url in (
        f"/dashboard/networks/{net1}/",
        f"/dashboard/networks/{net1}/export/hiring.xlsx",
        f"/dashboard/networks/{net2}/universities/{world.university_b.pk}/",
        f"/dashboard/networks/{net2}/tambons/{world.tambon_b.pk}/",
        f"/dashboard/networks/{net1}/tambons/{world.tambon_cross.pk}/",  # her tambon, under the wrong network
        f"/dashboard/networks/{net1}/universities/{world.university_b.pk}/",
        "/dashboard/export/completeness.xlsx",
        f"/api/v1/dashboard/networks/{net2}/universities/{world.university_b.pk}/",
    ):
        assert alice.get(url).status_code == 404, url
    assert client_for(world.mona).get(own).status_code == 200
    api = alice.get(f"/api/v1{own}")  # the same figures as JSON
    assert api.status_code == 200 and api.json()["level"] == "university"
    assert client_for(world.nobody).get("/dashboard/").status_code == 404


# --- exports -------------------------------------------------------------------------------------------------


def _sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def test_completeness_export_has_the_numbers_shown(seeded, client_for):
    world = seeded
    client = client_for(world.carol)
    url = f"/dashboard/networks/{world.tambon_a.network_id}/"
    page = client.get(url, {"month": MARCH})
    rows, total = page.context["board"].completeness
    sheet = _sheet(client.get(f"{url}export/completeness.xlsx", {"month": MARCH}))
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=6)]
    assert [v[0] for v in values[:-1]] == [r.child.name for r in rows]
    assert values[-1][1:9] == [total.expected, total.submitted, total.on_time, total.late, total.awaiting_review,
                               total.returned, total.accepted, total.not_filed]  # fmt: skip
    # only network 1's universities: nothing of network 2 leaks into the export
    assert world.university_b.name not in [v[0] for v in values]


@pytest.mark.parametrize("widget", ["spending", "hiring", "classification"])
def test_every_widget_exports(seeded, client_for, widget):
    world = seeded
    url = f"/dashboard/networks/{world.tambon_a.network_id}/universities/{world.university_a.pk}/export/{widget}.xlsx"
    sheet = _sheet(client_for(world.nora).get(url))
    names = [r[0].value for r in sheet.iter_rows(min_row=6)]
    assert world.tambon_a.place in names and world.tambon_cross.place not in names


def test_unknown_widget_is_404(world, client_for):
    assert client_for(world.nora).get("/dashboard/export/nothing.xlsx").status_code == 404


def test_bad_month_filter_says_what_to_write(world, client_for):
    response = client_for(world.nora).get("/dashboard/", {"month": "March"})
    assert response.status_code == 200
    assert "2021-03" in " ".join(response.context["errors"])  # the example of what to write


def test_quarter_filter_counts_three_months(seeded, client_for):
    world = seeded
    response = client_for(world.nora).get("/dashboard/", {"quarter": "2564-Q1"})
    _rows, total = response.context["board"].completeness
    assert response.context["board"].period.months == [(2021, 1), (2021, 2), (2021, 3)]
    assert total.expected == 3 * Tambon.objects.filter(is_active=True).count()


# --- the summary tables ------------------------------------------------------------------------------------


def test_summary_equals_the_live_aggregates(seeded):
    world = seeded
    level = network_level(world, world.carol)
    live = {k: v for k, v in selectors.live_monthly_sums(level.tambons, "university_id").items() if any(v)}
    summary = {k: v for k, v in selectors.monthly_sums(level).items() if any(v)}
    assert summary == live
    live_certificates = selectors.live_certificates_eligible(level.tambons, "university_id")
    widget = selectors.hiring(level, selectors.period_for(world.programme), selectors.children(level))
    assert {r.child.pk: r.certificates_eligible for r in widget.rows if r.certificates_eligible} == live_certificates


def test_accepting_work_refreshes_the_tambon_figures(seeded, django_capture_on_commit_callbacks):
    from reporting.models import TambonMonthFigures
    from tambon.roster.services.acceptance import work_accept

    world = seeded
    contracts = list(Contract.objects.filter(tambon=world.tambon_a, status=ContractStatus.ACTIVE))
    before = TambonMonthFigures.objects.filter(tambon=world.tambon_a, year=2021, month=11).first()
    assert before is None or before.actual_hiring == 0
    with django_capture_on_commit_callbacks(execute=True):
        work_accept(contracts=contracts, year=2021, month=11, user=world.mona)
    after = TambonMonthFigures.objects.get(tambon=world.tambon_a, year=2021, month=11)
    table = budget_tables(tambons=[world.tambon_a], programme=world.programme)[world.tambon_a.pk]
    hiring_row = next(r for r in table.rows if r.level == 1 and r.code == "1")
    assert after.actual_hiring == hiring_row.actuals[10] > 0


def test_refresh_command_fills_every_tambon(world):
    from django.core.management import call_command

    from reporting.models import TambonFigures

    call_command("refresh_dashboards", stdout=io.StringIO())
    assert TambonFigures.objects.count() == Tambon.objects.count() == 4


def test_roster_import_refreshes_the_summary_on_commit(world, django_capture_on_commit_callbacks, tmp_path):
    """An imported sheet reaches the dashboards' hiring figures as soon as it is committed, like every other write."""
    from reporting.models import TambonHiringFigures
    from tambon.roster.services import roster_import, university_owner
    from tests.tambon.roster.conftest import person_row, xlsx_bytes

    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes([person_row(1, world.tambon_a), person_row(2, world.tambon_a)]))
    with django_capture_on_commit_callbacks(execute=True):
        result = roster_import(
            file=str(path), name="roster.xlsx", owner=university_owner(world.university_a, world.programme)
        )
    assert result.written
    hired = sum(TambonHiringFigures.objects.filter(tambon=world.tambon_a).values_list("hired", flat=True))
    assert hired == 2


def test_dashboard_figures_equal_what_the_api_says(seeded):
    """Through the API, as the RSI reviewer: each tambon's budget table and month states add up to the widgets."""
    from rest_framework.test import APIClient

    world = seeded
    client = APIClient()
    client.force_authenticate(world.carol)
    level = network_level(world, world.carol)
    month = (
        MonthlyReport.objects.filter(tambon__network=world.tambon_a.network, status="accepted")
        .values_list("year", "month")
        .order_by("-year", "-month")
        .first()
    )
    period = selectors.period_for(world.programme, month=month)
    kids = selectors.children(level)
    spending = selectors.spending(level, period, kids)
    _rows, completeness = selectors.completeness(level, period, kids)
    groups = {"1": CategoryKind.HIRING, "2": CategoryKind.ACTIVITY, "3": CategoryKind.MANAGEMENT}
    actual = {kind: Decimal(0) for kind in groups.values()}
    accepted = 0
    for tambon in level.tambons:
        body = client.get(f"/api/v1/tambons/{tambon.pk}/budget/").json()
        for row in body["rows"]:
            if row["level"] == 1:
                months = [m for m in row["months"] if (m["year"], m["month"]) <= month]
                actual[groups[row["code"]]] += sum((Decimal(m["actual"] or 0) for m in months), Decimal(0))
        accepted += sum(1 for m in body["months"] if (m["year"], m["month"]) == month and m["status"] == "accepted")
    for kind, value in actual.items():
        assert spending.total.kinds[kind].actual == value
    assert completeness.accepted == accepted > 0


def test_bulk_work_refreshes_each_touched_tambon_once_at_the_end(world, django_capture_on_commit_callbacks,
                                                                 monkeypatch):  # fmt: skip
    from reporting.dashboard import services

    refreshed = []
    monkeypatch.setattr(services, "dashboard_refresh", lambda *, tambon_ids: refreshed.append(tambon_ids))
    a, b = world.tambon_a.pk, world.tambon_b.pk
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with services.dashboard_refresh_deferred(already_refreshed=lambda: {a}):
            for _ in range(3):
                services.dashboard_refresh_on_commit(tambon_ids=[a, b])
        assert refreshed == [[b]]  # a: the work refreshed it itself
    assert callbacks == []  # no refresh per write
    with django_capture_on_commit_callbacks() as callbacks:
        services.dashboard_refresh_on_commit(tambon_ids=[a])
    assert len(callbacks) == 1  # outside bulk work: after each write again


def test_quarters_are_labelled_with_their_be_year(world, client_for):
    html = client_for(world.nora).get("/dashboard/", {"quarter": "2021-Q2"}).content.decode()
    assert "2/2564</small>" in html  # the classification widget's heading
    assert '<option value="2021-Q2" selected>2/2564</option>' in html


def test_the_default_month_is_the_latest_due_month_someone_reported(world):
    after_the_end = dt.date(2026, 11, 22)
    assert selectors.default_month(world.programme, after_the_end) == (2021, 12)  # nothing reported yet
    assert selectors.default_month(world.programme, dt.date(2021, 4, 2)) == (2021, 3)  # due today
    assert selectors.default_month(world.programme, dt.date(2021, 4, 1)) == (2021, 2)
    for month, submitted in ((2, True), (3, True), (4, False)):  # April only a draft
        MonthlyReport.objects.create(
            tambon=world.tambon_a,
            year=2021,
            month=month,
            first_submitted_at=end_of_day(dt.date(2021, month, 1)) if submitted else None,
        )
    assert selectors.default_month(world.programme, after_the_end) == (2021, 3)
    assert selectors.default_month(world.programme, dt.date(2021, 3, 2)) == (2021, 2)  # never a month not yet due


def test_a_months_page_shows_the_classes_as_they_last_stood(world):
    from assessment.services import tambon_classify
    from tests.assessment.helpers import make_assessment

    october = dict(month=(2021, 10))
    assert str(selectors.period_for(world.programme, **october).quarter) == "2021-Q4"  # nothing classified yet
    make_assessment(world.tambon_a, "2021-Q2", 12)
    tambon_classify(programme=world.programme, quarter=selectors.Quarter(2021, 2))
    assert str(selectors.period_for(world.programme, **october).quarter) == "2021-Q2"
    assert str(selectors.period_for(world.programme, month=(2021, 2)).quarter) == "2021-Q1"  # never a later one
    quarter = selectors.period_for(world.programme, quarter=selectors.Quarter(2021, 4)).quarter
    assert str(quarter) == "2021-Q4"  # a quarter the reviewer chose is kept as chosen


def test_dashboard_rows_escape_names_and_links_and_format_numbers():
    """The table rows are built in Python (one tag per table, not per cell): names and links are still escaped."""
    from decimal import Decimal

    from reporting.dashboard.exports import Cell
    from reporting.templatetags.dashboard import dashboard_rows

    html = dashboard_rows([[
        Cell('<b>"A&B"</b>', "text", "/dashboard/networks/1/?month=2021-03&x=1"),
        Cell(Decimal("1234567.5"), "money", "/t/1/?a=1&b=2", heat=57), Cell(1500), Cell(None), Cell("<i>", "pct"),
    ]])  # fmt: skip
    assert html == (
        '<tr><th scope="row"><a href="/dashboard/networks/1/?month=2021-03&amp;x=1">&lt;b&gt;&quot;A&amp;B&quot;'
        '&lt;/b&gt;</a></th><td class="num heat heat-5" data-sort="1234567.5"><a href="/t/1/?a=1&amp;b=2">'
        '1,234,567.50</a></td><td class="num" data-sort="1500">1,500</td><td class="num" data-sort="">—</td>'
        '<td class="num" data-sort="&lt;i&gt;">&lt;i&gt;</td></tr>'
    )


def test_dashboard_count_cells_print_as_number_does():
    """A count cell's text is `number`'s, however it is built (large, negative, zero)."""
    from reporting.dashboard.exports import Cell
    from reporting.templatetags.dashboard import dashboard_rows

    for n in (0, 7, -1200, 1234567, 10**12):
        assert dashboard_rows([[Cell(n)]]) == f'<tr><td class="num" data-sort="{n}">{number(n)}</td></tr>'
    assert dashboard_rows([[Cell(Decimal("1500"), href="/a?b=1&c=2")]]) == (
        '<tr><td class="num" data-sort="1500"><a href="/a?b=1&amp;c=2">1,500</a></td></tr>'
    )
