"""`check_figures` finds no difference on demo data, and finds a planted one, naming the consumer, line and month."""

from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reporting.dashboard.models import TambonMonthFigures
from reporting.models import MonthlyAmount, MonthlyReport

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("check_figures", *args, stdout=out)
    return out.getvalue()


def test_every_consumer_agrees_on_the_demo(seeded):
    assert "every consumer agrees" in _run()
    assert MonthlyReport.objects.count() > 20  # the demo filed months, so the monthly-report API was compared


def test_a_stale_dashboard_summary_is_listed(seeded):
    row = TambonMonthFigures.objects.filter(tambon=seeded.tambon_a, actual_activity__gt=0).order_by("month").first()
    TambonMonthFigures.objects.filter(pk=row.pk).update(actual_activity=row.actual_activity + 1)
    out = StringIO()
    with pytest.raises(CommandError, match="1 differences"):
        call_command("check_figures", "--tambon", str(seeded.tambon_a.pk), stdout=out)
    assert "dashboard summary" in out.getvalue() and str(row.actual_activity) in out.getvalue()


def test_a_figure_read_around_the_one_source_is_listed(seeded, monkeypatch):
    """A consumer that read typed amounts again (as the monthly-report API once did) is caught."""
    from reporting import api

    original = api.monthly_report_data

    def typed(tambon, year, month, report, lines):
        data = original(tambon, year, month, report, lines)
        for line in data["lines"]:
            if line["code"] == "1.2":
                line["actual"] = D(37800)
        return data

    monkeypatch.setattr("reporting.figures_check.monthly_report_data", typed)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_figures", "--tambon", str(seeded.tambon_a.pk), stdout=out)
    assert "monthly-report API" in out.getvalue() and "1.2" in out.getvalue() and "37800" in out.getvalue()


def test_typed_hiring_amounts_make_no_difference(seeded):
    """Amounts left on hiring lines in a live database are ignored by every consumer alike."""
    MonthlyAmount.objects.filter(line__tambon=seeded.tambon_a, line__category__code="1.1").update(actual=D(999999))
    assert "every consumer agrees" in _run("--tambon", str(seeded.tambon_a.pk))


def test_unknown_tambon_is_an_error():
    with pytest.raises(CommandError, match="No tambon"):
        call_command("check_figures", "--tambon", "999999", stdout=StringIO())
