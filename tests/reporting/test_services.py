"""Rules of budget plans and monthly reports: bad input refused with its line, review flow, late flag, history."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pbm.history import field_label, history
from pbm.models import ReviewAction, ReviewStatus
from pbm.periods import BANGKOK
from pbm.review import review_history
from reporting import services
from reporting.models import Activity, BudgetCategory, ExpenseType, MonthlyAmount, MonthlyReport, ProgrammeSettings

from .helpers import enter_sample, enter_sample_plan


def _save(world, lines, actuals, month=3, **extra):
    return services.monthly_report_save(
        tambon=world.tambon_a, year=2021, month=month, user=world.alice, seen_version=extra.pop("seen_version", None),
        actuals={lines[code].pk: amount for code, amount in actuals.items()}, narrative=extra.pop("narrative", "ok"),
        **extra,
    )  # fmt: skip


def test_hiring_lines_default_to_rate_times_quota(world):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    plans = {code: list(lines[code].amounts.values_list("plan", flat=True)) for code in ("1.1", "1.2", "1.3")}
    assert plans == {"1.1": [D(45000)] * 12, "1.2": [D(150000)] * 12, "1.3": [D(25000)] * 12}


def test_negative_actual_is_refused_with_its_line_and_nothing_stored(world):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    with pytest.raises(ValidationError) as error:
        _save(world, lines, {"2.1": D(-5), "2.2": D(45000)})
    assert "2.1" in error.value.messages[0] and "negative" in error.value.messages[0]
    assert not MonthlyReport.objects.exists()
    assert not MonthlyAmount.objects.filter(actual__isnull=False).exists()


def test_month_outside_the_project_year_is_refused(world):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    with pytest.raises(ValidationError, match="outside the project year"):
        services.monthly_report_save(tambon=world.tambon_a, year=2022, month=1, user=world.alice, seen_version=None,
                                     actuals={lines["2.1"].pk: D(1)})  # fmt: skip
    with pytest.raises(ValidationError, match="outside the project year"):
        services.line_plan_save(line=lines["2.1"], user=world.alice, plans={(2020, 12): D(5)})
    assert not MonthlyReport.objects.exists()


def test_cumulative_actual_above_total_needs_an_explanation_and_is_flagged(world):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    with pytest.raises(ValidationError) as error:
        _save(world, lines, {"2.4": D(90000)})
    assert "2.4" in error.value.messages[0] and "10,000" in error.value.messages[0]
    assert not MonthlyReport.objects.exists()
    report = _save(world, lines, {"2.4": D(90000)}, over_budget_explanation="Flood repairs, approved by the province")
    assert report.is_over_budget
    submitted = services.monthly_report_submit(report=report, user=world.alice)
    assert submitted.is_over_budget and submitted.status == ReviewStatus.SUBMITTED


def test_not_funded_expense_is_refused_quoting_the_rule(world):
    enter_sample_plan(world.tambon_a, world.alice)
    fuel = ExpenseType.objects.get(name_en="Fuel")
    with pytest.raises(ValidationError) as error:
        services.activity_save(
            tambon=world.tambon_a, user=world.alice, category=BudgetCategory.objects.get(code="2.1"), name="Trip",
            budget=D(1000), start_date=dt.date(2021, 3, 1), expense_type=fuel,
        )  # fmt: skip
    rule = ProgrammeSettings.objects.get().not_funded_rule
    assert "ค่าน้ำมันเชื้อเพลิง" in error.value.messages[0] and rule in error.value.messages[0]
    assert not Activity.objects.exists()


def test_activities_cannot_exceed_their_category_budget(world):
    enter_sample_plan(world.tambon_a, world.alice)
    with pytest.raises(ValidationError, match="above the category's budget of 80,000.00 by 1,000.00"):
        services.activity_save(tambon=world.tambon_a, user=world.alice, category=BudgetCategory.objects.get(code="2.4"),
                               name="Compost", budget=D(81000), start_date=dt.date(2021, 9, 1))  # fmt: skip


def test_activity_categories_cannot_exceed_the_activity_budget(world):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    with pytest.raises(ValidationError, match="above the activity budget of 800,000.00 by 1,000.00"):
        services.line_plan_save(line=lines["2.5"], user=world.alice, plans={}, total=D(65000))


def test_submit_refused_while_plans_do_not_add_up(world):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    services.line_plan_save(line=lines["2.5"], user=world.alice, plans={(2021, 9): D(60000)})
    report = _save(world, lines, {"2.1": D(45000)})
    with pytest.raises(ValidationError) as error:
        services.monthly_report_submit(report=report, user=world.alice)
    assert any("2.5" in m and "4,000" in m for m in error.value.messages)


def test_reporter_cannot_accept_own_submission(world):
    world.alice.memberships.create(role="rsi_reviewer", network=world.tambon_a.network)
    _lines, (january, _feb) = enter_sample(world.tambon_a, world.alice)
    services.monthly_report_submit(report=january, user=world.alice)
    with pytest.raises(ValidationError, match="someone else must review"):
        services.monthly_report_accept(report=january, user=world.alice)


def test_full_flow_return_fix_resubmit_accept_and_locked(world):
    lines, (january, _feb) = enter_sample(world.tambon_a, world.alice)
    services.monthly_report_submit(report=january, user=world.alice)
    with pytest.raises(ValidationError, match="awaiting review"):
        _save(world, lines, {"2.1": D(1)}, month=1)
    with pytest.raises(ValidationError, match="why"):
        services.monthly_report_return(report=january, user=world.carol, reason=" ")
    services.monthly_report_return(report=january, user=world.carol, reason="2.1 receipts missing")
    _save(world, lines, {"2.1": D(29000)}, month=1, narrative="Receipts attached")
    services.monthly_report_submit(report=MonthlyReport.objects.get(pk=january.pk), user=world.alice)
    services.monthly_report_accept(report=MonthlyReport.objects.get(pk=january.pk), user=world.carol)
    with pytest.raises(ValidationError, match="locked"):
        _save(world, lines, {"2.1": D(1)}, month=1)
    with pytest.raises(ValidationError, match="accepted"):
        services.line_plan_save(line=lines["2.1"], user=world.alice, plans={(2021, 1): D(1)})
    steps = [e for e in review_history(january) if e.action != ReviewAction.CHANGED]
    assert [e.action for e in steps] == [ReviewAction.SUBMITTED, ReviewAction.RETURNED, ReviewAction.SUBMITTED,
                                         ReviewAction.ACCEPTED]  # fmt: skip
    assert steps[1].reason == "2.1 receipts missing"
    entries = history(obj=january, tambon_id=world.tambon_a.pk, month=(2021, 1))
    changes = [(label, old, new) for e in entries for label, old, new in e.changes]
    actual_21 = f"{lines['2.1'].label} · {field_label('actual')}"
    # From the first save, before any submission: the amount typed in, then the correction after the return.
    assert changes.index((actual_21, "", "30,000.00")) < changes.index((actual_21, "30,000.00", "29,000.00"))
    assert (field_label("narrative"), "Progress of month 1", "Receipts attached") in changes
    assert all(e.who.startswith(world.alice.get_full_name() or world.alice.username) for e in entries
               if e.action == str(ReviewAction.CHANGED.label))  # fmt: skip


def test_only_nsi_reopens_an_accepted_month_with_a_reason(world):
    _lines, (january, _feb) = enter_sample(world.tambon_a, world.alice)
    services.monthly_report_submit(report=january, user=world.alice)
    services.monthly_report_accept(report=january, user=world.carol)
    with pytest.raises(PermissionDenied):
        services.monthly_report_reopen(report=january, user=world.carol, reason="x")
    with pytest.raises(ValidationError):
        services.monthly_report_reopen(report=january, user=world.nora, reason="")
    services.monthly_report_reopen(report=january, user=world.nora, reason="Wrong wage month")
    assert MonthlyReport.objects.get(pk=january.pk).status == ReviewStatus.RETURNED
    assert list(review_history(january))[-1].action == ReviewAction.REOPENED


@pytest.mark.parametrize(
    "at, late",
    [
        (dt.datetime(2021, 2, 2, 23, 59, 59, tzinfo=BANGKOK), False),  # day 2 of the next month, Bangkok time
        (dt.datetime(2021, 2, 3, 0, 0, 1, tzinfo=BANGKOK), True),
        (dt.datetime(2021, 2, 2, 17, 30, tzinfo=dt.UTC), True),  # 00:30 on 3 Feb in Bangkok
    ],
)
def test_late_flag_is_set_from_submission_time(world, at, late):
    _lines, (january, _feb) = enter_sample(world.tambon_a, world.alice)
    services.monthly_report_submit(report=january, user=world.alice, at=at)
    assert MonthlyReport.objects.get(pk=january.pk).is_late is late


def test_due_day_is_a_programme_setting(world):
    ProgrammeSettings.objects.filter(programme=world.programme).update(due_day=5)
    _lines, (january, _feb) = enter_sample(world.tambon_a, world.alice)
    services.monthly_report_submit(report=january, user=world.alice, at=dt.datetime(2021, 2, 4, 12, tzinfo=BANGKOK))
    assert MonthlyReport.objects.get(pk=january.pk).is_late is False


def test_stale_page_is_told_to_reload(world):
    lines, (january, _feb) = enter_sample(world.tambon_a, world.alice)
    seen = january.version
    _save(world, lines, {"2.1": D(1000)}, month=1, seen_version=seen)
    with pytest.raises(ValidationError, match="Reload"):
        _save(world, lines, {"2.1": D(2000)}, month=1, seen_version=seen)
    assert MonthlyAmount.objects.get(line=lines["2.1"], year=2021, month=1).actual == D(1000)


def test_other_university_cannot_file(world):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    with pytest.raises(PermissionDenied):
        services.monthly_report_save(tambon=world.tambon_a, year=2021, month=1, user=world.bob, seen_version=None,
                                     actuals={lines["2.1"].pk: D(1)})  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.monthly_report_save(tambon=world.tambon_a, year=2021, month=1, user=world.carol, seen_version=None,
                                     actuals={lines["2.1"].pk: D(1)})  # fmt: skip


def test_hiring_actuals_come_from_the_roster_and_cannot_be_typed(world):
    from reporting.selectors import budget_table
    from tests.reporting.helpers import enter_hiring, enter_sample_plan

    lines = enter_sample_plan(world.tambon_a, world.alice)
    contracts = enter_hiring(world.tambon_a, world.alice, months=(1,))
    rows = {row.code: row for row in budget_table(tambon=world.tambon_a).rows}
    assert rows["1.2"].actuals[0] == D(150000) and rows["1"].actuals[0] == D(220000)
    with pytest.raises(ValidationError, match="cannot be typed in"):
        services.monthly_report_save(tambon=world.tambon_a, year=2021, month=1, user=world.alice, seen_version=None,
                                     actuals={lines["1.1"].pk: D(1)})  # fmt: skip
    # un-accepting a person's month on the roster changes the report's figure: the two always agree
    from tambon.roster.services import work_unaccept

    work_unaccept(contract=contracts["student"][0], year=2021, month=1)
    rows = {row.code: row for row in budget_table(tambon=world.tambon_a).rows}
    assert rows["1.3"].actuals[0] == D(20000)
