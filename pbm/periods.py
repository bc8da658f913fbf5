"""Months, quarters and deadlines of a programme: one helper, shared by reporting and assessment.

Programme quarters count from the programme's first month (U2T 2564: Q1 = Jan–Mar 2021). Government fiscal
quarters (Oct–Sep, DOMAIN.md §9) are a different thing and have their own helper.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pbm.formats import month_label

BANGKOK = ZoneInfo("Asia/Bangkok")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int  # CE year of the programme's start
    number: int  # 1..4

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """'2021-Q2' (CE) or '2564-Q2' (BE)."""
        match = re.fullmatch(r"\s*(\d{4})-?[Qq]([1-4])\s*", text or "")
        if not match:
            raise ValidationError(_("Write a quarter as YYYY-Qn, for example 2021-Q2 or 2564-Q2."))
        year = int(match[1])
        return cls(year - 543 if year > 2400 else year, int(match[2]))


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def programme_quarter(start: dt.date, day: dt.date) -> Quarter:
    """The programme quarter `day` falls in, counting 3-month blocks from the programme start month."""
    months = (day.year - start.year) * 12 + day.month - start.month
    if months < 0:
        raise ValidationError(_("%(day)s is before the programme starts.") % {"day": day})
    return Quarter(start.year, months // 3 + 1)


def quarter_months(start: dt.date, quarter: Quarter) -> list[tuple[int, int]]:
    first = add_months(start.year, start.month, (quarter.number - 1) * 3)
    return [add_months(*first, i) for i in range(3)]


def fiscal_quarter(day: dt.date) -> tuple[int, int]:
    """(fiscal year CE, quarter) of the Thai government year Oct–Sep: 1 Oct 2020 is FY2021 Q1."""
    fiscal_year = day.year + 1 if day.month >= 10 else day.year
    return fiscal_year, ((day.month - 10) % 12) // 3 + 1


def month_due_date(year: int, month: int, due_day: int) -> dt.date:
    """Month M's report is due on `due_day` of month M+1 (U2T: day 2)."""
    next_year, next_month = add_months(year, month, 1)
    return dt.date(next_year, next_month, due_day)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of `day` in Bangkok: a submission up to 23:59:59 on the due day is on time."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=BANGKOK)


def bangkok_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(BANGKOK).date()


def month_name(year: int, month: int) -> str:
    return month_label(year, month)
