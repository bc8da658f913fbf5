"""The quarters of a programme, on top of pbm.periods (the one quarter helper shared with reporting)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pbm.periods import Quarter, programme_quarter
from tambon.models import Programme


def programme_quarters(programme: Programme) -> list[Quarter]:
    """Every quarter of the programme, in order (U2T 2564: 2021-Q1 … 2021-Q4)."""
    last = programme_quarter(programme.start_date, programme.end_date)
    return [Quarter(last.year, number) for number in range(1, last.number + 1)]


def current_quarter(programme: Programme, today: dt.date | None = None) -> Quarter:
    """The quarter `today` falls in, clamped to the programme (after its end: its last quarter)."""
    quarters = programme_quarters(programme)
    day = today or timezone.localdate()
    if day < programme.start_date:
        return quarters[0]
    if day > programme.end_date:
        return quarters[-1]
    return programme_quarter(programme.start_date, day)


def parse_quarter(programme: Programme, text: str) -> Quarter:
    """A quarter of this programme from '2021-Q2' / '2564-Q2', or a ValidationError that says which exist."""
    quarter = Quarter.parse(text)
    quarters = programme_quarters(programme)
    if quarter not in quarters:
        raise ValidationError(
            _("%(quarter)s is not a quarter of %(programme)s; use one of %(quarters)s.")
            % {"quarter": quarter, "programme": programme.name, "quarters": ", ".join(str(q) for q in quarters)}
        )
    return quarter


def previous_quarter(programme: Programme, quarter: Quarter) -> Quarter | None:
    quarters = programme_quarters(programme)
    index = quarters.index(quarter)
    return quarters[index - 1] if index > 0 else None
