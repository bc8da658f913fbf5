"""Writes for deadlines: completing activities and their 7-day reports, MOU reports, and the reminder job."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pbm import review
from pbm.formats import date_be, month_label
from pbm.notifications import Message, notify
from pbm.periods import end_of_day, month_due_date
from tambon import access, units
from tambon.models import Network, Programme, Tambon, Unit, University, User

from ..evidence import evidence_check
from ..models import Activity, ProgrammeSettings
from . import selectors
from .models import PARTICIPANT_UNITS, CompletionFile, CompletionReport, DeadlineSettings, MouReport, UnitMonthlyReport

log = logging.getLogger(__name__)


# --- the 7-day completion report -----------------------------------------------------------------------


@transaction.atomic
def activity_complete(
    *, activity: Activity, user: User, completed_on: dt.date, today: dt.date | None = None
) -> CompletionReport:
    """Mark an activity completed on `completed_on`; its completion report is then due N days later (BPM: 7)."""
    if not access.can_edit_tambon(user, activity.tambon):
        raise PermissionDenied(_("Only the tambon's university staff can mark its activities complete."))
    today = today or timezone.localdate()
    if completed_on > today:
        raise ValidationError(_("The completion date %(date)s is in the future; enter the day the activity ended.")
                              % {"date": date_be(completed_on)})  # fmt: skip
    if completed_on < activity.start_date:
        raise ValidationError(_("The completion date %(date)s is before the activity started (%(start)s).")
                              % {"date": date_be(completed_on), "start": date_be(activity.start_date)})  # fmt: skip
    report = CompletionReport.objects.filter(activity=activity).first()
    if report is not None and report.first_submitted_at is not None:
        raise ValidationError(
            _("The completion report was already submitted; the completion date can no longer change.")
        )
    settings = DeadlineSettings.for_programme(activity.tambon.programme)
    activity.completed_on = completed_on
    activity.save(update_fields=["completed_on"])
    due_on = completed_on + dt.timedelta(days=settings.completion_report_days)
    if report is None:
        return CompletionReport.objects.create(activity=activity, due_on=due_on)
    report.due_on = due_on
    report.save(update_fields=["due_on"])
    return report


def _clean_participants(raw: dict[str, object]) -> dict[str, int]:
    units = dict(PARTICIPANT_UNITS)
    cleaned = {}
    for unit, value in raw.items():
        if unit not in units or value in (None, ""):
            continue
        try:
            count = int(value)
        except (TypeError, ValueError):
            raise ValidationError(_("Participants (%(unit)s): write a whole number.") % {"unit": units[unit]}) from None
        if count < 0:
            raise ValidationError(_("Participants (%(unit)s) cannot be negative.") % {"unit": units[unit]})
        if count:
            cleaned[unit] = count
    return cleaned


@transaction.atomic
def completion_report_save(
    *, report: CompletionReport, user: User, results: str, participants: dict[str, object],
    files: list[UploadedFile] = (), seen_version: int | None = None, submit: bool = False,
    at: dt.datetime | None = None,
) -> CompletionReport:  # fmt: skip
    """Save the results, participants and new files, and with `submit` submit, in one step: a refused submit
    writes nothing (the form keeps what was typed and its version)."""
    review.edit_check(report, user, seen_version,
                      refused=_("Only the tambon's university staff can write its completion reports."),
                      closed=_("This completion report is %(status)s and can no longer be changed."))  # fmt: skip
    cleaned = _clean_participants(participants)
    max_mb = ProgrammeSettings.for_programme(report.activity.tambon.programme_id).evidence_max_mb
    checked = [(upload, evidence_check(upload, max_mb=max_mb)) for upload in files]  # all checked before any is kept
    changes = [
        review.Change(field, old, new)
        for field, old, new in (
            ("results", report.results, results.strip()),
            ("participants", report.participants, cleaned),
        )
        if old != new
    ]
    report.results, report.participants = results.strip(), cleaned
    review.save_versioned(report, ["results", "participants"])
    review.review_record_changes(obj=report, user=user, changes=changes)
    for upload, content_type in checked:
        CompletionFile.objects.create(
            report=report, file=upload, name=upload.name[:200], content_type=content_type, size=upload.size,
            uploaded_by=user,
        )  # fmt: skip
        review.review_record_changes(obj=report, user=user, changes=[review.Change("files", "", upload.name)])
    if submit:
        completion_report_submit(report=report, user=user, at=at)
    return report


@transaction.atomic
def completion_report_submit(
    *, report: CompletionReport, user: User, at: dt.datetime | None = None
) -> CompletionReport:
    if review.can_file(user, report) and report.is_open_for_editing:
        errors = []
        if not report.results.strip():
            errors.append(
                ValidationError(_("Write the activity's results before submitting."), code="results_required")
            )
        if not report.participants:
            errors.append(ValidationError(
                _("Enter the number of participants in at least one unit (persons, households …)."),
                code="participants_required"))  # fmt: skip
        if not report.files.exists():
            errors.append(ValidationError(_("Attach at least one photo or data file of the activity."),
                                          code="files_required"))  # fmt: skip
        if errors:
            raise ValidationError(errors)
    review.review_submit(obj=report, user=user, at=at)
    report.is_late = report.first_submitted_at > end_of_day(report.due_on)
    CompletionReport.objects.filter(pk=report.pk).update(is_late=report.is_late)
    return report


# --- 6- and 12-month MOU reports -----------------------------------------------------------------------


def mou_report_for(
    *, programme: Programme, period: str, university: University | None = None, network: Network | None = None,
    unit: Unit | None = None,
) -> MouReport:  # fmt: skip
    """The owner's report of the period (a draft when new): a university's or a network's (U2T), or in a programme
    of the unit tree a unit's of the level that files its reports (access.filing_level)."""
    if unit is not None:
        level = access.filing_level(programme)
        if unit.programme_id != programme.pk or level is None or unit.level_id != level.pk:
            raise ValidationError(
                _(
                    "%(unit)s does not file this programme's reports: open the report of the %(level)s above the "
                    "tambons."
                )
                % {"unit": unit.name, "level": level.name if level else "—"},
                code="not_a_filing_unit",
            )
    report, _created = MouReport.objects.get_or_create(
        programme=programme, period=period, university=university, network=network, unit=unit
    )
    return report


@transaction.atomic
def mou_report_save(
    *,
    report: MouReport,
    user: User,
    sections: dict[str, str],
    seen_version: int | None = None,
    submit: bool = False,
    at: dt.datetime | None = None,
) -> MouReport:
    review.edit_check(report, user, seen_version)
    changes = []
    for name in MouReport.SECTIONS:
        new = (sections.get(name) or "").strip()
        if getattr(report, name) != new:
            changes.append(review.Change(name, getattr(report, name), new))
            setattr(report, name, new)
    review.save_versioned(report, list(MouReport.SECTIONS))
    review.review_record_changes(obj=report, user=user, changes=changes)
    if submit:  # one step: a refused submit writes nothing
        mou_report_submit(report=report, user=user, at=at)
    return report


@transaction.atomic
def mou_report_submit(*, report: MouReport, user: User, at: dt.datetime | None = None) -> MouReport:
    """Submit; the figures are computed from the monthly data now and frozen with the report."""
    if review.can_file(user, report) and report.is_open_for_editing:
        missing = [
            str(MouReport._meta.get_field(n).verbose_name) for n in ("summary", "results") if not getattr(report, n)
        ]
        if missing:
            raise ValidationError(
                _("Write these sections before submitting: %(sections)s.") % {"sections": ", ".join(missing)}
            )
    report.figures = selectors.mou_figures(report=report).as_json()
    review.review_submit(obj=report, user=user, at=at)
    MouReport.objects.filter(pk=report.pk).update(figures=report.figures)
    return report


# --- unit monthly reports (issue #15 item 1) -----------------------------------------------------------------


def unit_report_deadline(programme: Programme, year: int, month: int) -> dt.datetime:
    """The end (Bangkok) of the programme's due day after the month: the tambons' deadline, one rule."""
    return end_of_day(month_due_date(year, month, ProgrammeSettings.for_programme(programme).due_day))


def unit_report_for(*, programme: Programme, year: int, month: int, university: University | None = None,
                    network: Network | None = None) -> UnitMonthlyReport:  # fmt: skip
    if (year, month) not in programme.months():
        raise ValidationError(_("%(month)s is not a month of the programme.") % {"month": month_label(year, month)})
    report, _created = UnitMonthlyReport.objects.get_or_create(
        programme=programme, year=year, month=month, university=university, network=network
    )
    return report


@transaction.atomic
def unit_report_save(*, report: UnitMonthlyReport, user: User, narrative: str, management_actual: Decimal | None,
                     seen_version: int | None = None, submit: bool = False,
                     at: dt.datetime | None = None) -> UnitMonthlyReport:  # fmt: skip
    """Save the unit's narrative and own management spending; with `submit`, submit in the same step."""
    review.edit_check(report, user, seen_version)
    if management_actual is not None and management_actual < 0:
        raise ValidationError(_("The management spending cannot be negative."))
    changes = []
    for name, new in (("narrative", (narrative or "").strip()), ("management_actual", management_actual)):
        if getattr(report, name) != new:
            changes.append(review.Change("narrative" if name == "narrative" else "actual", getattr(report, name), new))
            setattr(report, name, new)
    review.save_versioned(report, ["narrative", "management_actual"])
    review.review_record_changes(obj=report, user=user, changes=changes)
    if submit:
        unit_report_submit(report=report, user=user, at=at)
    return report


@transaction.atomic
def unit_report_submit(*, report: UnitMonthlyReport, user: User, at: dt.datetime | None = None) -> UnitMonthlyReport:
    """Submit: the roll-up is computed now and frozen with the report; late after the month's deadline."""
    if review.can_file(user, report) and report.is_open_for_editing and not report.narrative.strip():
        raise ValidationError(_("Write this month's work and management before submitting."))
    report.figures = selectors.unit_month_figures(programme=report.programme, year=report.year, month=report.month,
                                                  university=report.university, network=report.network)  # fmt: skip
    review.review_submit(obj=report, user=user, at=at)
    report.is_late = report.first_submitted_at > unit_report_deadline(report.programme, report.year, report.month)
    UnitMonthlyReport.objects.filter(pk=report.pk).update(figures=report.figures, is_late=report.is_late)
    return report


# --- reminders -------------------------------------------------------------------------------------------


@dataclass
class ReminderCounts:
    reminders: int = 0
    escalations: int = 0
    completion_reminders: int = 0
    late_notices: int = 0
    mou_reminders: int = 0
    unit_report_reminders: int = 0
    assessment_reminders: int = 0

    def __str__(self) -> str:
        return (f"{self.reminders} reminders, {self.escalations} escalations, {self.late_notices} late notices, "
                f"{self.completion_reminders} completion-report reminders, {self.mou_reminders} MOU-report "
                f"reminders, {self.unit_report_reminders} unit-report reminders, {self.assessment_reminders} "
                f"assessment reminders")  # fmt: skip


# Reminders of higher apps (the quarterly assessments) join the daily job through a hook registered in their
# AppConfig.ready: f(on_date=, programme=, settings=, days_before=) → how many were sent.
REMINDER_HOOKS: list = []


def reminders_register(hook) -> None:
    if hook not in REMINDER_HOOKS:
        REMINDER_HOOKS.append(hook)


def _owners_to_remind(*, programme: Programme, filed: QuerySet) -> list[tuple[str, int]]:
    """The programme's report owners (`selectors.report_owners`: U2T's universities and networks, a unit-tree
    programme's filing units) that have no report among `filed`."""
    done = selectors.owners_of(filed)
    return [owner for owner in selectors.report_owners(programme=programme) if owner not in done]


def _remind_owners(*, owners: list[tuple[str, int]], message_for, on_date: dt.date, programme: Programme) -> int:
    """Send each owner's message (`message_for(kind, owner_id)`) to who files for it: a university's staff, a
    network's RSI, the filing roles over a unit of the tree."""
    people = {"university": access.university_staff([i for kind, i in owners if kind == "university"]),
              "network": access.network_reviewers([i for kind, i in owners if kind == "network"]),
              "unit": defaultdict(list)}  # fmt: skip
    level = access.filing_level(programme)
    tree = Unit.objects.filter(pk__in=[i for kind, i in owners if kind == "unit"])
    for user, units_filed in access.people_for_units(tree, "file", level=level.code if level else None).values():
        for unit in units_filed:
            people["unit"][unit.pk].append(user)
    sent = 0
    for kind, owner_id in owners:
        message = message_for(kind, owner_id)
        for user in people[kind].get(owner_id, []):
            sent += notify(user=user, message=message, on_date=on_date)
    return sent


def _mou_reminders(*, on_date: dt.date, programme: Programme, settings: DeadlineSettings) -> int:
    """Before and on the half-year and year-end reports' due days: who files for each owner (a university's staff,
    a network's RSI, a filing unit's officers) whose report is not submitted yet."""
    from .models import MouPeriod

    sent = 0
    for period, due in (
        (MouPeriod.SIX_MONTH, settings.mou_6_month_due),
        (MouPeriod.TWELVE_MONTH, settings.mou_12_month_due),
    ):
        days = (due - on_date).days
        if days not in settings.days_before:
            continue

        def build(period=period, due=due):
            return (
                _("PBM: %(report)s due %(due)s") % {"report": MouPeriod(period).label, "due": date_be(due)},
                _("Your %(report)s is due %(due)s and is not submitted yet.")
                % {"report": MouPeriod(period).label, "due": date_be(due)},
            )

        def message_for(kind, owner_id, period=period, days=days, build=build):
            return Message(f"mou-due:{period}:{kind}-{owner_id}:d-{days}", *_order(_bilingual(build)),
                           reverse("mou_report", args=[period, kind, owner_id]))  # fmt: skip

        filed = MouReport.objects.filter(programme=programme, period=period, first_submitted_at__isnull=False)
        sent += _remind_owners(owners=_owners_to_remind(programme=programme, filed=filed), message_for=message_for,
                               on_date=on_date, programme=programme)  # fmt: skip
    return sent


def _unit_report_reminders(*, on_date: dt.date, programme: Programme, settings: DeadlineSettings) -> int:
    """Before and on the monthly due day: the staff of each university (the RSI of each network) whose own monthly
    report for the month is not submitted yet. The unit reports are due with the tambons' (unit_report_deadline)."""
    sent = 0
    for year, month, days in selectors.months_due_on(programme=programme, on_date=on_date,
                                                     days_before=settings.days_before):  # fmt: skip
        due = on_date + dt.timedelta(days=days)

        def build(year=year, month=month, due=due):
            return (
                _("PBM: your unit's monthly report for %(month)s due %(due)s")
                % {"month": month_label(year, month), "due": date_be(due)},
                _("Your own monthly report for %(month)s (hiring, the tambons' work rolled up, your management "
                  "spending) is due %(due)s and is not submitted yet.")
                % {"month": month_label(year, month), "due": date_be(due)},
            )  # fmt: skip

        def message_for(kind, owner_id, year=year, month=month, days=days, build=build):
            return Message(f"unit-report-due:{year}-{month:02d}:{kind}-{owner_id}:d-{days}",
                           *_order(_bilingual(build)),
                           reverse("unit_report", args=[kind, owner_id, year, month]))  # fmt: skip

        filed = UnitMonthlyReport.objects.filter(programme=programme, year=year, month=month,
                                                 first_submitted_at__isnull=False)  # fmt: skip
        sent += _remind_owners(owners=_owners_to_remind(programme=programme, filed=filed), message_for=message_for,
                               on_date=on_date, programme=programme)  # fmt: skip
    return sent


def _unit_report_late(*, on_date: dt.date, programme: Programme, settings: DeadlineSettings,
                      counts: ReminderCounts) -> None:  # fmt: skip
    """`escalation_days_after` past the monthly deadline, as for the tambons: each university (network) that did
    not submit its own monthly report by the deadline is told it is late, and who reviews it hears of it once: a
    network's RSI of its late universities, NSI of the late networks."""
    for year, month in selectors.month_escalated_on(programme=programme, on_date=on_date,
                                                    days_after=settings.escalation_days_after):  # fmt: skip
        deadline = unit_report_deadline(programme, year, month)
        on_time = UnitMonthlyReport.objects.filter(programme=programme, year=year, month=month,
                                                   first_submitted_at__lte=deadline)  # fmt: skip
        late = _owners_to_remind(programme=programme, filed=on_time)
        if not late:
            continue

        def own(year=year, month=month):
            label = {"month": month_label(year, month)}  # in the language being built
            return (
                _("PBM: your unit's monthly report for %(month)s is late") % label,
                _("The deadline for your own monthly report for %(month)s has passed and it is not submitted yet. "
                  "Submit it as soon as you can; your reviewer has been told.") % label,
            )  # fmt: skip

        def message_for(kind, owner_id, year=year, month=month, own=own):
            return Message(f"unit-report-late:{year}-{month:02d}:{kind}-{owner_id}", *_order(_bilingual(own)),
                           reverse("unit_report", args=[kind, owner_id, year, month]))  # fmt: skip

        counts.late_notices += _remind_owners(owners=late, message_for=message_for, on_date=on_date,
                                              programme=programme)  # fmt: skip

        late_universities = {i for kind, i in late if kind == "university"}
        late_networks = [i for kind, i in late if kind == "network"]
        by_network: dict[int, list[University]] = defaultdict(list)
        names = University.objects.in_bulk(late_universities)
        pairs = Tambon.objects.filter(programme=programme, is_active=True, university_id__in=late_universities)
        for university_id, network_id in pairs.values_list("university_id", "network_id").distinct().order_by():
            by_network[network_id].append(names[university_id])
        reviewers = access.network_reviewers(by_network)
        # the month's unit reports in the reviewer's scope, filed or not: where the late ones show as late
        url = f"{reverse('unit_report_list')}?month={year}-{month}"
        digests = [(f"network-{n}", sorted(us, key=lambda u: u.name_th), reviewers.get(n, []))
                   for n, us in sorted(by_network.items())]  # fmt: skip
        if late_networks:
            networks = sorted(Network.objects.filter(pk__in=late_networks), key=lambda n: n.number)
            digests.append(("national", networks, access.national_reviewers()))
        for scope, units_late, people in digests:

            def digest(units_late=units_late, year=year, month=month):
                label = {"month": month_label(year, month)}
                return (
                    _("PBM: %(count)d units late with their own monthly report for %(month)s")
                    % {"count": len(units_late), **label},
                    _("The deadline for %(month)s has passed. These units have not submitted their own monthly "
                      "report yet:") % label + "\n" + "\n".join(f"- {unit}" for unit in units_late),
                )  # fmt: skip

            message = Message(f"unit-report-late-digest:{year}-{month:02d}:{scope}", *_order(_bilingual(digest)), url)
            for user in people:
                counts.escalations += notify(user=user, message=message, on_date=on_date)


def _tambon_lines(tambons: list[Tambon]) -> str:
    """One line a tambon: its place, who files it (U2T's university) and its link."""

    def who(t: Tambon) -> str:
        return f" ({t.university.short_name or t.university.code})" if t.university_id else ""

    return "\n".join(f"- {t.place}{who(t)} {_link(t)}" for t in tambons)


def _link(tambon: Tambon) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL.rstrip('/')}{reverse('tambon_detail', args=[tambon.pk])}"


def _unit_tree_reminders(*, programme: Programme, on_date: dt.date, settings, counts: ReminderCounts) -> None:
    """The monthly reminders and escalations of a programme of the unit tree, in the same words as U2T's: each
    filer (the definition's filing level) for the tambons under them not yet filed, before and on the due day;
    the day after, each reviewer (the reviewing level) for the late tambons under them, and the filers again."""
    code = programme.code
    for year, month, days in selectors.months_due_on(programme=programme, on_date=on_date,
                                                     days_before=settings.days_before):  # fmt: skip
        pending = list(selectors.tambons_still_to_file(programme=programme, year=year, month=month))
        due = on_date + dt.timedelta(days=days)
        for user, tambons in access.people_for(
            pending, "file", level=access.report_level(programme, "filed_by")
        ).values():

            def build(tambons=tambons, due=due, year=year, month=month):
                return (
                    _("PBM: monthly report for %(month)s due %(due)s") % {"month": month_label(year, month), "due": date_be(due)},
                    _("These tambons have not yet submitted their monthly report for %(month)s, due %(due)s:")
                    % {"month": month_label(year, month), "due": date_be(due)} + "\n" + _tambon_lines(tambons),
                )  # fmt: skip

            url = reverse("report_detail", args=[tambons[0].pk, year, month]) if len(tambons) == 1 else reverse(
                "dashboard")  # fmt: skip
            message = Message(f"{code}:monthly-due:{year}-{month:02d}:d-{days}", *_order(_bilingual(build)), url)
            counts.reminders += notify(user=user, message=message, on_date=on_date)
    for year, month in selectors.month_escalated_on(programme=programme, on_date=on_date,
                                                    days_after=settings.escalation_days_after):  # fmt: skip
        late = list(selectors.tambons_late(programme=programme, year=year, month=month))
        for kind, may, level in (("late", "review", access.report_level(programme, "reviewed_by")),
                                 ("late-filer", "file", access.report_level(programme, "filed_by"))):  # fmt: skip
            for user, tambons in access.people_for(late, may, level=level).values():

                def build(tambons=tambons, year=year, month=month):
                    return (
                        _("PBM: the monthly report for %(month)s is late") % {"month": month_label(year, month)},
                        _("The deadline for %(month)s has passed and these tambons have not submitted it yet.")
                        % {"month": month_label(year, month)} + "\n" + _tambon_lines(tambons),
                    )  # fmt: skip

                message = Message(f"{code}:monthly-{kind}:{year}-{month:02d}", *_order(_bilingual(build)),
                                  reverse("dashboard"))  # fmt: skip
                sent = notify(user=user, message=message, on_date=on_date)
                if kind == "late":
                    counts.escalations += sent
                else:
                    counts.late_notices += sent
    # results within N days of an activity's completion (CDD's BPM rule): its filers, on day N - reminder days
    due_reports = list(selectors.completion_reminders_due(on_date=on_date, settings=settings))
    by_tambon = {r.activity.tambon_id: r.activity.tambon for r in due_reports}
    filers = access.people_for(by_tambon.values(), "file", level=access.report_level(programme, "filed_by"))
    for report in due_reports:
        activity = report.activity

        def build(activity=activity, report=report):
            return _completion_due_texts(activity, report)

        message = Message(f"{code}:completion-due:{activity.pk}", *_order(_bilingual(build)),
                          reverse("completion_report", args=[activity.pk]))  # fmt: skip
        for user, tambons in filers.values():
            if any(t.pk == activity.tambon_id for t in tambons):
                counts.completion_reminders += notify(user=user, message=message, on_date=on_date)


def _completion_due_texts(activity, report) -> tuple[str, str]:
    return (
        _("PBM: completion report for “%(activity)s” due %(due)s") % {"activity": activity.name, "due": date_be(report.due_on)},
        _("The activity “%(activity)s” of %(tambon)s was completed on %(done)s. File its completion report "
          "(results, participants, photos) by %(due)s.")
        % {"activity": activity.name, "tambon": activity.tambon.place, "done": date_be(activity.completed_on),
           "due": date_be(report.due_on)},
    )  # fmt: skip


def _order(texts: tuple[str, str, str, str]) -> tuple[str, str, str, str]:
    """(subject_th, body_th, subject_en, body_en) in Message's order: subjects, then bodies."""
    subject_th, body_th, subject_en, body_en = texts
    return subject_th, subject_en, body_th, body_en


def _bilingual(build) -> tuple[str, str, str, str]:
    """Render a message in Thai and in English with the same builder: (subject_th, body_th, subject_en, body_en)."""
    with translation.override("th"):
        subject_th, body_th = build()
    with translation.override("en"):
        subject_en, body_en = build()
    return subject_th, body_th, subject_en, body_en


def reminders_send_all(*, on_date: dt.date) -> dict[str, ReminderCounts]:
    """The day's reminders of every programme (the daily job): each programme's own deadlines and people."""
    return {p.code: reminders_send(on_date=on_date, programme=p) for p in Programme.objects.order_by("pk")}


def reminders_send(*, on_date: dt.date, programme: Programme | None = None) -> ReminderCounts:
    """Send the day's reminders and escalations. Safe to run any number of times for the same day."""
    programme = programme or Programme.current()
    settings = DeadlineSettings.for_programme(programme)
    counts = ReminderCounts()
    if not units.u2t_shaped(programme):  # a programme of the unit tree: its filers and reviewers by unit
        _unit_tree_reminders(programme=programme, on_date=on_date, settings=settings, counts=counts)
        counts.mou_reminders = _mou_reminders(on_date=on_date, programme=programme, settings=settings)
        return counts

    # Before and on the monthly due day: university staff, for the tambons they have not filed.
    for year, month, days in selectors.months_due_on(
        programme=programme, on_date=on_date, days_before=settings.days_before
    ):
        pending: dict[int, list[Tambon]] = defaultdict(list)
        for tambon in selectors.tambons_still_to_file(programme=programme, year=year, month=month):
            pending[tambon.university_id].append(tambon)
        due = on_date + dt.timedelta(days=days)
        staff = access.university_staff(pending)
        for university_id, tambons in pending.items():

            def build(tambons=tambons, due=due, year=year, month=month):
                return (
                    _("PBM: monthly report for %(month)s due %(due)s") % {"month": month_label(year, month), "due": date_be(due)},
                    _("These tambons have not yet submitted their monthly report for %(month)s, due %(due)s:")
                    % {"month": month_label(year, month), "due": date_be(due)} + "\n" + _tambon_lines(tambons),
                )  # fmt: skip

            subject_th, body_th, subject_en, body_en = _bilingual(build)
            url = reverse("report_detail", args=[tambons[0].pk, year, month]) if len(tambons) == 1 else reverse(
                "university_detail", args=[university_id])  # fmt: skip
            message = Message(f"monthly-due:{year}-{month:02d}:d-{days}", subject_th, subject_en, body_th, body_en, url)
            for user in staff.get(university_id, []):
                counts.reminders += notify(user=user, message=message, on_date=on_date)

    # The day after the deadline: one digest per RSI reviewer of the late universities and tambons in its area.
    for year, month in selectors.month_escalated_on(
        programme=programme, on_date=on_date, days_after=settings.escalation_days_after
    ):
        late: dict[int, list[Tambon]] = defaultdict(list)
        for tambon in selectors.tambons_late(programme=programme, year=year, month=month):
            late[tambon.network_id].append(tambon)
        reviewers = access.network_reviewers(late)
        for network_id, tambons in late.items():
            universities = sorted({t.university.name_th for t in tambons})

            def build(tambons=tambons, year=year, month=month, universities=universities):
                return (
                    _("PBM: %(count)d tambons late with %(month)s") % {"count": len(tambons), "month": month_label(year, month)},
                    _("The deadline for %(month)s has passed. Late: %(u)d universities, %(t)d tambons.")
                    % {"month": month_label(year, month), "u": len(universities), "t": len(tambons)}
                    + "\n" + _tambon_lines(tambons),
                )  # fmt: skip

            subject_th, body_th, subject_en, body_en = _bilingual(build)
            message = Message(f"monthly-late:{year}-{month:02d}", subject_th, subject_en, body_th, body_en,
                              reverse("network_detail", args=[network_id]))  # fmt: skip
            for user in reviewers.get(network_id, []):
                counts.escalations += notify(user=user, message=message, on_date=on_date)

        # ... and the late universities themselves, each for its own tambons.
        by_university: dict[int, list[Tambon]] = defaultdict(list)
        for tambons in late.values():
            for tambon in tambons:
                by_university[tambon.university_id].append(tambon)
        staff = access.university_staff(by_university)
        for university_id, tambons in by_university.items():

            def build(tambons=tambons, year=year, month=month):
                return (
                    _("PBM: the monthly report for %(month)s is late") % {"month": month_label(year, month)},
                    _("The deadline for %(month)s has passed and these tambons have not submitted it yet. Submit "
                      "as soon as you can; your RSI has been told.") % {"month": month_label(year, month)}
                    + "\n" + _tambon_lines(tambons),
                )  # fmt: skip

            subject_th, body_th, subject_en, body_en = _bilingual(build)
            url = reverse("report_detail", args=[tambons[0].pk, year, month]) if len(tambons) == 1 else reverse(
                "university_detail", args=[university_id])  # fmt: skip
            message = Message(f"monthly-late-university:{year}-{month:02d}", subject_th, subject_en, body_th, body_en,
                              url)  # fmt: skip
            for user in staff.get(university_id, []):
                counts.late_notices += notify(user=user, message=message, on_date=on_date)

    # Completion reports: remind on D+5 of an activity completed on D.
    due_reports = list(selectors.completion_reminders_due(on_date=on_date, settings=settings))
    staff = access.university_staff({r.activity.tambon.university_id for r in due_reports})
    for report in due_reports:
        activity = report.activity

        def build(activity=activity, report=report):
            return _completion_due_texts(activity, report)

        subject_th, body_th, subject_en, body_en = _bilingual(build)
        message = Message(f"completion-due:{activity.pk}", subject_th, subject_en, body_th, body_en,
                          reverse("completion_report", args=[activity.pk]))  # fmt: skip
        for user in staff.get(activity.tambon.university_id, []):
            counts.completion_reminders += notify(user=user, message=message, on_date=on_date)

    counts.mou_reminders = _mou_reminders(on_date=on_date, programme=programme, settings=settings)
    counts.unit_report_reminders = _unit_report_reminders(on_date=on_date, programme=programme, settings=settings)
    _unit_report_late(on_date=on_date, programme=programme, settings=settings, counts=counts)
    for hook in REMINDER_HOOKS:
        counts.assessment_reminders += hook(on_date=on_date, programme=programme, settings=settings)
    return counts
