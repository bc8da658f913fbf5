import datetime as dt
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from pbm import formats
from pbm.periods import BANGKOK, Quarter, fiscal_quarter, month_due_date, programme_quarter


def render(text: str, **context) -> str:
    return Template(text).render(Context(context))


def test_be_years_and_thai_months():
    with translation.override("th"):
        assert formats.month_label(2021, 2) == "ก.พ. 2564"
        assert formats.date_be(dt.date(2021, 1, 15)) == "15 ม.ค. 2564"
        assert formats.date_be(dt.datetime(2021, 2, 1, 17, 1, tzinfo=dt.UTC), with_time=True) == "2 ก.พ. 2564 00:01"
    with translation.override("en"):
        assert formats.month_label(2021, 12) == "Dec 2564"


def test_template_filters_never_put_a_separator_in_a_year():
    with translation.override("th"):
        assert render("{{ y|be_year }}", y=2021) == "2564"
        assert (
            render("{{ v|baht }} {{ p|percent }}", v=Decimal("2640000"), p=Decimal("55.4666")) == "2,640,000.00 55.47"
        )


def test_quarters_and_deadlines():
    assert Quarter.parse("2564-Q2") == Quarter.parse("2021-q2") == Quarter(2021, 2)
    assert programme_quarter(dt.date(2021, 1, 1), dt.date(2021, 7, 31)) == Quarter(2021, 3)
    assert fiscal_quarter(dt.date(2020, 10, 1)) == (2021, 1) and fiscal_quarter(dt.date(2021, 9, 30)) == (2021, 4)
    assert month_due_date(2021, 12, 2) == dt.date(2022, 1, 2)
    assert dt.datetime(2021, 2, 2, 0, 1, tzinfo=BANGKOK).astimezone(dt.UTC).day == 1
