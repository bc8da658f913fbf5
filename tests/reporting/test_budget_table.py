"""The PBM table (DOMAIN.md §4) computed from the sample sheet's figures, row for row."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting import selectors, services
from reporting.models import BudgetCategory, MonthlyAmount

from .helpers import enter_sample, lines_by_code

# row code: total, remaining, Jan plan, Jan actual, Feb actual, cumulative plan, cumulative actual, %
EXPECTED = {
    "": (3483000, 2976500, 284000, 280000, 226500, 568000, 506500, "89.17"),
    "1": (2640000, 2215000, 220000, 220000, 205000, 440000, 425000, "96.59"),
    "1.1": (540000, 450000, 45000, 45000, 45000, 90000, 90000, "100.00"),
    "1.2": (1800000, 1515000, 150000, 150000, 135000, 300000, 285000, "95.00"),
    "1.3": (300000, 250000, 25000, 25000, 25000, 50000, 50000, "100.00"),
    "2": (800000, 718500, 64000, 60000, 21500, 128000, 81500, "63.67"),
    "2.1": (320000, 284500, 32000, 30000, 5500, 64000, 35500, "55.47"),
    "2.2": (176000, 150000, 16000, 12000, 14000, 32000, 26000, "81.25"),
    "2.3": (160000, 140000, 16000, 18000, 2000, 32000, 20000, "62.50"),
}


def _rows(table):
    return {row.code: row for row in table.rows if row.level <= 2}


def test_sample_sheet_figures_row_for_row(world):
    enter_sample(world.tambon_a, world.alice)
    rows = _rows(selectors.budget_table(tambon=world.tambon_a))
    for code, (total, remaining, jan_plan, jan, feb, cum_plan, cum_actual, pct) in EXPECTED.items():
        row = rows[code]
        got = (row.total, row.remaining, row.plans[0], row.actuals[0], row.actuals[1], row.cumulative_plan,
               row.cumulative_actual, row.percent)  # fmt: skip
        assert got == (D(total), D(remaining), D(jan_plan), D(jan), D(feb), D(cum_plan), D(cum_actual), D(pct)), code
    # 2.4 and 2.5: planned in September only, nothing spent yet: no cumulative figures, no %.
    for code, total in (("2.4", 80000), ("2.5", 64000)):
        row = rows[code]
        assert (row.total, row.remaining, row.plans[8], row.has_cumulative, row.percent) == (
            D(total), D(total), D(total), False, None)  # fmt: skip
    row3 = rows["3"]
    assert (row3.total, row3.remaining, row3.plans[11], row3.has_cumulative) == (D(43000), D(43000), D(43000), False)
    assert rows[""].plans[:2] == [D(284000), D(284000)]
    assert selectors.budget_table(tambon=world.tambon_a).plan_gaps == []


def test_sample_sheet_page_shows_the_numbers(world, client_for):
    enter_sample(world.tambon_a, world.alice)
    html = client_for(world.carol).get(f"/tambons/{world.tambon_a.pk}/budget/").content.decode()
    for text in ("3,483,000", "2,976,500", "284,000", "226,500", "568,000", "506,500", "89.17", "96.59", "55.47",
                 "284,500", "35,500", "63.67", "81.25", "62.50", "718,500", "ม.ค.", "ธ.ค.", "2564"):  # fmt: skip
        assert text in html, text


def test_plan_gap_names_the_line_and_amount(world):
    enter_sample(world.tambon_a, world.alice)
    line = lines_by_code(world.tambon_a)["2.4"]
    services.line_plan_save(line=line, user=world.alice, plans={(2021, 9): D(60000)})
    gaps = selectors.budget_table(tambon=world.tambon_a).plan_gaps
    assert [(g.code, g.plan_gap) for g in gaps] == [("2.4", D(20000))]


def _add_activities(tambon, user, count: int) -> None:
    category = BudgetCategory.objects.get(programme=tambon.programme, code="2.1")
    for index in range(count):
        activity = services.activity_save(
            tambon=tambon, user=user, category=category, name=f"Activity {index}", budget=D(1000),
            start_date=tambon.programme.start_date,
        )  # fmt: skip
        services.line_plan_save(line=activity.line, user=user, plans={(2021, 3): D(1000)})


@pytest.mark.parametrize("count", [1, 12])
def test_budget_page_query_count_does_not_grow_with_activities(world, client_for, count):
    enter_sample(world.tambon_a, world.alice)
    _add_activities(world.tambon_a, world.alice, 1)
    client = client_for(world.alice)
    client.get(f"/tambons/{world.tambon_a.pk}/budget/")
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/tambons/{world.tambon_a.pk}/budget/").status_code == 200
    _add_activities(world.tambon_a, world.alice, count)
    with CaptureQueriesContext(connection) as large:
        response = client.get(f"/tambons/{world.tambon_a.pk}/budget/")
    assert response.status_code == 200
    assert response.content.decode().count("Activity ") >= count + 1
    assert len(large) == len(small)


def _file(client, tambon, step: str, amount: str = "1"):
    """Post the month's form as the page offers it, every actual `amount`, with `step` (save or submit)."""
    url = f"/tambons/{tambon.pk}/reports/2021/3/"
    form = client.get(url).context["form"]
    data = {name: amount for name in form.fields if name.startswith("actual_")}
    data |= {"version": form.initial["version"], "narrative": "progress", step: "1"}
    return client.post(url, data)


@pytest.mark.parametrize("count", [1, 12])
def test_saving_and_submitting_a_month_take_as_many_queries_whatever_the_activities(world, client_for, count):
    enter_sample(world.tambon_a, world.alice)
    _add_activities(world.tambon_a, world.alice, 1)
    client = client_for(world.alice)
    assert _file(client, world.tambon_a, "save").status_code == 302  # the report and its amounts exist from now on
    with CaptureQueriesContext(connection) as small:  # every actual changes: one update for all of them
        assert _file(client, world.tambon_a, "save", "2").status_code == 302
    _add_activities(world.tambon_a, world.alice, count)
    with CaptureQueriesContext(connection) as large:
        assert _file(client, world.tambon_a, "save", "3").status_code == 302
    assert len(large) == len(small)
    # the activities planned March beyond 2.1's total: the one-step submit reads the plan gap from the table its
    # over-budget check read, says what a fresh table says, and writes nothing
    expected = services._plan_gaps_message(world.tambon_a)
    assert expected
    response = _file(client, world.tambon_a, "submit", "4")
    assert response.status_code == 200
    assert [str(m) for m in response.context["form"].non_field_errors()] == expected
    report = world.tambon_a.monthly_reports.get(year=2021, month=3)
    assert report.status == "draft"
    assert not MonthlyAmount.objects.filter(line__tambon=world.tambon_a, year=2021, month=3, actual=4).exists()
