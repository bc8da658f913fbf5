"""What a lock freezes — the rule the README states in the same words:

A month whose monthly report is submitted (awaiting review) or accepted is frozen. It freezes that month's own
figures: the actual and the plan of every line in that month, and the roster events that change that month's
wages (work accepted or withdrawn for the month, a resignation, termination or replacement dated in it). It does
not freeze other months: a returned month, a draft and every later month stay open. An activity's budget or a
line's total is the budget every month's "remaining" is measured against, so it freezes as soon as one of that
line's months is frozen. Only the NSI's lock exception (reopening an accepted month, with its reason in the
history) opens a frozen month again, and it opens exactly that tambon's month.

Every door asks here, through `pbm.locks`: the pages, the API, the admin, commands and the roster's services."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pbm import locks
from pbm.formats import date_be, month_label
from pbm.models import ReviewStatus

from .models import MonthlyReport

FROZEN = (ReviewStatus.SUBMITTED, ReviewStatus.ACCEPTED)
Month = locks.Month


def frozen_months(tambon_ids: list[int], months: list[Month]) -> dict[tuple[int, Month], str]:
    """{(tambon id, month): why} of the tambons' frozen months among `months`. One query."""
    wanted = set(months)
    out = {}
    for tambon_id, year, month, status, reviewed_at in MonthlyReport.objects.filter(
        tambon_id__in=tambon_ids, status__in=FROZEN, year__in={y for y, _m in wanted}
    ).values_list("tambon_id", "year", "month", "status", "reviewed_at"):
        if (year, month) not in wanted:
            continue
        if status == ReviewStatus.ACCEPTED:
            reason = _("%(month)s was accepted on %(date)s and is locked; only the NSI can reopen it.") % {
                "month": month_label(year, month), "date": date_be(reviewed_at)}  # fmt: skip
        else:
            reason = _("%(month)s is submitted and awaiting review; its figures cannot change until the reviewer "
                       "returns it.") % {"month": month_label(year, month)}  # fmt: skip
        out[(tambon_id, (year, month))] = reason
    return out
