"""Reminders of quarterly assessments coming due, part of the daily reminder job (reporting.deadlines) through the
hook registered in AssessmentConfig.ready. A quarter's assessments are due `assessment_due_days` after it ends;
reminders go out on the same days before as the monthly ones, to whoever has not submitted yet."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from pbm.formats import date_be
from pbm.notifications import Message, notify
from pbm.periods import quarter_months
from tambon import access
from tambon.models import Programme, Tambon

from .models import NetworkAssessment, TambonAssessment, UniversityAssessment, quarter_label
from .quarters import programme_quarters


def quarter_due(programme: Programme, quarter, due_days: int) -> dt.date:
    year, month = quarter_months(programme.start_date, quarter)[-1]
    return dt.date(year, month, calendar.monthrange(year, month)[1]) + dt.timedelta(days=due_days)


def assessment_reminders_send(*, on_date: dt.date, programme: Programme, settings) -> int:
    from reporting.deadlines.services import _bilingual

    sent = 0
    for quarter in programme_quarters(programme):
        due = quarter_due(programme, quarter, settings.assessment_due_days)
        days = (due - on_date).days
        if days not in settings.days_before:
            continue
        label = str(quarter)
        tambons = list(Tambon.objects.with_place().filter(programme=programme, is_active=True))
        done_tambons = set(TambonAssessment.objects.filter(quarter=label, first_submitted_at__isnull=False)
                           .values_list("tambon_id", flat=True))  # fmt: skip
        done_universities = set(UniversityAssessment.objects.filter(programme=programme, quarter=label,
                                first_submitted_at__isnull=False).values_list("university_id", flat=True))  # fmt: skip
        done_networks = set(NetworkAssessment.objects.filter(programme=programme, quarter=label,
                            first_submitted_at__isnull=False).values_list("network_id", flat=True))  # fmt: skip
        missing: dict[int, list[str]] = defaultdict(list)
        for tambon in tambons:
            if tambon.pk not in done_tambons:
                missing[tambon.university_id].append(tambon.place)
        for university_id in {t.university_id for t in tambons} - done_universities:
            missing[university_id].append(None)  # the university's own assessment
        networks = {t.network_id for t in tambons} - done_networks

        def build(items, label=label, due=due):
            lines = "\n".join(f"- {item}" if item else f"- {_('the university’s own assessment')}" for item in items)
            return (
                _("PBM: quarterly assessments for %(quarter)s due %(due)s")
                % {"quarter": quarter_label(label), "due": date_be(due)},
                _("These assessments for %(quarter)s are not submitted yet (due %(due)s):")
                % {"quarter": quarter_label(label), "due": date_be(due)} + "\n" + lines,
            )  # fmt: skip

        staff = access.university_staff(missing)
        for university_id, items in missing.items():
            subject_th, body_th, subject_en, body_en = _bilingual(lambda items=items: build(items))
            url = reverse("university_assessment", kwargs={"pk": university_id, "quarter": label})
            message = Message(f"assessment-due:{label}:u-{university_id}:d-{days}", subject_th, subject_en, body_th,
                              body_en, url)  # fmt: skip
            sent += sum(notify(user=user, message=message, on_date=on_date) for user in staff.get(university_id, []))
        reviewers = access.network_reviewers(networks)

        def build_network(label=label, due=due):
            values = {"quarter": quarter_label(label), "due": date_be(due)}
            return (
                _("PBM: quarterly assessments for %(quarter)s due %(due)s") % values,
                _("Your network's assessment for %(quarter)s is not submitted yet (due %(due)s).") % values,
            )

        subject_th, body_th, subject_en, body_en = _bilingual(build_network)
        for network_id in networks:
            url = reverse("network_assessment", kwargs={"pk": network_id, "quarter": label})
            message = Message(f"assessment-due:{label}:n-{network_id}:d-{days}", subject_th, subject_en, body_th,
                              body_en, url)  # fmt: skip
            sent += sum(notify(user=user, message=message, on_date=on_date) for user in reviewers.get(network_id, []))
    return sent
