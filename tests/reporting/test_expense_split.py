"""Spending by expense type on each monthly actual (issue #15 item 9): the split adds up to the line's actual
(the one figure line_figures reads), only funded types hold money, and check_figures still agrees."""

from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from reporting import selectors, services
from reporting.models import ExpenseSplit, ExpenseType, MonthlyAmount

from .helpers import enter_sample_plan


def _types(world):
    funded = list(ExpenseType.objects.filter(programme=world.programme, funded=True).order_by("position"))
    return funded, ExpenseType.objects.filter(programme=world.programme, funded=False).first()


def _save(world, lines, actuals, splits=None, month=3):
    return services.monthly_report_save(
        tambon=world.tambon_a, year=2021, month=month, user=world.alice, seen_version=None,
        actuals={lines[code].pk: amount for code, amount in actuals.items()},
        splits=None if splits is None else {lines[code].pk: parts for code, parts in splits.items()},
    )  # fmt: skip


def test_split_adds_up_and_the_line_total_is_unchanged(world):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    (materials, speakers, *_), _ = _types(world)
    _save(world, lines, {"2.1": D(30000)}, {"2.1": {materials.pk: D(18000), speakers.pk: D(12000)}})
    assert selectors.expense_splits(tambon=world.tambon_a, year=2021, month=3) == {
        lines["2.1"].pk: {materials.pk: D(18000), speakers.pk: D(12000)}}  # fmt: skip
    [(line, figure)] = [(ln, f) for ln, f in selectors.month_lines(tambon=world.tambon_a, year=2021, month=3)
                        if ln.pk == lines["2.1"].pk]  # fmt: skip
    assert figure.actual == D(30000)  # line_figures: the actual, not a second sum
    tambons = world.tambon_a.__class__.objects.filter(pk=world.tambon_a.pk)
    assert selectors.spending_by_expense_type(tambons=tambons) == [(materials, D(18000)), (speakers, D(12000))]


def test_split_that_does_not_add_up_is_refused_naming_the_line(world):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    (materials, *_), _ = _types(world)
    with pytest.raises(ValidationError, match="2.1") as refused:
        _save(world, lines, {"2.1": D(30000)}, {"2.1": {materials.pk: D(29000)}})
    assert "29,000.00" in str(refused.value) and "30,000.00" in str(refused.value)
    assert not MonthlyAmount.objects.filter(line=lines["2.1"], month=3, actual__isnull=False).exists()


def test_not_funded_expense_is_refused_with_the_programmes_rule(world):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    _, not_funded = _types(world)
    with pytest.raises(ValidationError) as refused:
        _save(world, lines, {"2.1": D(5000)}, {"2.1": {not_funded.pk: D(5000)}})
    assert not_funded.name_th in str(refused.value)
    assert not ExpenseSplit.objects.exists()


def test_only_activity_lines_are_split(world):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    (materials, *_), _ = _types(world)
    with pytest.raises(ValidationError):
        _save(world, lines, {"3.1": D(1000)}, {"3.1": {materials.pk: D(1000)}})


def test_changing_the_actual_alone_asks_for_the_split_too(world):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    (materials, speakers, *_), _ = _types(world)
    _save(world, lines, {"2.1": D(30000)}, {"2.1": {materials.pk: D(30000)}})
    with pytest.raises(ValidationError, match="2.1"):
        _save(world, lines, {"2.1": D(31000)})  # a door without splits (the API)
    _save(world, lines, {"2.1": D(31000)}, {"2.1": {materials.pk: D(30000), speakers.pk: D(1000)}})
    _save(world, lines, {"2.1": D(20000)}, {"2.1": {}})  # an empty split removes it
    assert not ExpenseSplit.objects.exists()


def test_reporter_splits_on_the_report_page(world, client_for):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    (materials, speakers, *_), _ = _types(world)
    url = reverse("report_detail", args=[world.tambon_a.pk, 2021, 3])
    alice = client_for(world.alice)
    page = alice.get(url).content.decode()
    line = lines["2.1"].pk
    assert f'name="split_{line}_{materials.pk}"' in page
    data = {"version": 0, "narrative": "ok", f"actual_{line}": "30000", f"split_{line}_{materials.pk}": "20000",
            f"split_{line}_{speakers.pk}": "10000"}  # fmt: skip
    assert alice.post(url, data).status_code == 302
    assert ExpenseSplit.objects.filter(amount_row__line_id=line).count() == 2
    data[f"split_{line}_{speakers.pk}"] = "5000"
    data["version"] = 1
    refused = alice.post(url, data)
    assert refused.status_code == 200 and "25,000.00" in refused.content.decode()
    # the RSI reads the split on the filed report
    assert speakers.name_th in client_for(world.carol).get(url).content.decode()


def test_check_figures_agrees_with_splits_and_lists_a_planted_difference(seeded):
    assert ExpenseSplit.objects.filter(amount_row__line__tambon=seeded.tambon_a).exists()  # the demo splits
    out = StringIO()
    call_command("check_figures", "--tambon", str(seeded.tambon_a.pk), stdout=out)
    assert "every consumer agrees" in out.getvalue()
    split = ExpenseSplit.objects.filter(amount_row__line__tambon=seeded.tambon_a).first()
    ExpenseSplit.objects.filter(pk=split.pk).update(amount=split.amount + 1)
    with pytest.raises(CommandError, match="1 differences"):
        call_command("check_figures", "--tambon", str(seeded.tambon_a.pk), stdout=StringIO())
