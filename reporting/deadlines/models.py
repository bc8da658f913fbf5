"""Deadlines beyond the monthly report: 7-day activity completion reports, 6- and 12-month MOU reports,
and the settings that drive reminders and instalments (DOMAIN.md §1, §3, §9)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, validate_comma_separated_integer_list
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pbm.models import Reviewable
from tambon.models import Network, Programme, Tambon, Unit, University

from ..models import AttachedFile  # defined before reporting.models imports this module


class DeadlineSettings(models.Model):
    """When people are reminded, and the rules of reports and instalments, per programme (admin-editable)."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="deadline_settings")
    reminder_days_before = models.CharField(
        _("remind this many days before the monthly due day"), max_length=50, default="3,0",
        validators=[validate_comma_separated_integer_list], help_text=_("Comma-separated; 0 is the due day itself."),
    )  # fmt: skip
    escalation_days_after = models.PositiveSmallIntegerField(_("escalate to the RSI this many days after"), default=1)
    completion_report_days = models.PositiveSmallIntegerField(
        _("days to file an activity completion report"), default=7
    )
    completion_reminder_days = models.PositiveSmallIntegerField(
        _("remind this many days after an activity is completed"), default=5
    )
    mou_6_month_due = models.DateField(_("6-month report due"))
    mou_12_month_due = models.DateField(_("12-month report due"))
    assessment_due_days = models.PositiveSmallIntegerField(
        _("quarterly assessments due this many days after the quarter ends"), default=15
    )
    instalment_share = models.DecimalField(
        _("share of the activity budget per instalment (%)"), max_digits=5, decimal_places=2, default=Decimal("50"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip
    instalment_2_month = models.PositiveSmallIntegerField(_("programme month of the 2nd instalment"), default=7)

    class Meta:
        verbose_name = _("deadline settings")
        verbose_name_plural = _("deadline settings")

    def __str__(self) -> str:
        return str(self.programme)

    @property
    def days_before(self) -> list[int]:
        return sorted({int(d) for d in self.reminder_days_before.split(",") if d.strip()}, reverse=True)

    @classmethod
    def for_programme(cls, programme: Programme) -> DeadlineSettings:
        found = cls.objects.filter(programme=programme).first()
        if found:
            return found
        # A programme set up without its own row gets the U2T defaults, six and twelve months in.
        start = programme.start_date
        return cls(
            programme=programme,
            mou_6_month_due=dt.date(start.year + (start.month + 5) // 12, (start.month + 5) % 12 + 1, 15),
            mou_12_month_due=dt.date(start.year + (start.month + 11) // 12, (start.month + 11) % 12 + 1, 15),
        )


PARTICIPANT_UNITS = [
    ("persons", _("persons")),
    ("households", _("households")),
    ("villages", _("villages")),
    ("groups", _("groups")),
    ("times", _("times")),
]


class CompletionReport(Reviewable):
    """The report due 7 days after an activity is completed (the BPM rule): results, participants, photos."""

    review_units = {"tambon": "activity__tambon"}

    activity = models.OneToOneField("reporting.Activity", on_delete=models.CASCADE, related_name="completion_report")
    due_on = models.DateField(_("due on"))
    results = models.TextField(_("results"), blank=True)
    participants = models.JSONField(
        _("participants"), default=dict, blank=True, help_text='{"persons": 120, "households": 40, …}'
    )
    is_late = models.BooleanField(_("late"), default=False)

    class Meta:
        verbose_name = _("activity completion report")
        verbose_name_plural = _("activity completion reports")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.activity} ({self.due_on})"

    def review_scope(self) -> Tambon:
        return self.activity.tambon

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("completion_report", args=[self.activity_id])

    def notification_label(self) -> str:
        return f"{self.activity.name} · {self.activity.tambon.place}"

    def is_overdue(self, today: dt.date) -> bool:
        """Overdue from the day after the due day until it is first submitted."""
        return self.first_submitted_at is None and today > self.due_on

    def participant_rows(self) -> list[tuple[str, int]]:
        labels = dict(PARTICIPANT_UNITS)
        return [(labels[unit], count) for unit, count in self.participants.items() if unit in labels and count]


def completion_file_path(instance: CompletionFile, filename: str) -> str:
    return f"completion/{instance.report.activity.tambon_id}/{instance.report.activity_id}/{filename}"


class CompletionFile(AttachedFile):
    """A photo or data file of a completion report."""

    report = models.ForeignKey(CompletionReport, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=completion_file_path, max_length=300)


class MouPeriod(models.TextChoices):
    SIX_MONTH = "6m", _("6-month report")
    TWELVE_MONTH = "12m", _("12-month report")


def owner_name(owner: University | Network | Unit) -> str:
    """How a sentence names a report's owner: the university's name, the network, a unit with its level's name."""
    return owner.titled if isinstance(owner, Unit) else owner.name if isinstance(owner, University) else str(owner)


class MouReport(Reviewable):
    """The half-year and year-end reports of the MOU: U2T's one per university (its tambons) and one per network;
    a programme of the unit tree's one per unit of the level that files its reports (the tambons under it).

    The narrative is written; the figures are computed from the monthly data and frozen into `figures` when the
    report is submitted, so what the reviewer accepted stays what it was."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("report"), max_length=5, choices=MouPeriod.choices)
    university = models.ForeignKey(University, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    summary = models.TextField(_("summary of the period"), blank=True)
    results = models.TextField(_("results and impact"), blank=True)
    problems = models.TextField(_("problems and how they were solved"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    next_steps = models.TextField(_("plans for the next period"), blank=True)
    figures = models.JSONField(default=dict, blank=True)

    SECTIONS = ("summary", "results", "problems", "lessons", "next_steps")
    OWNERS = ("university", "network", "unit")  # exactly one is set
    review_units = {"university": "university", "network": "network", "unit": "unit"}

    class Meta:
        verbose_name = _("MOU report")
        verbose_name_plural = _("MOU reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(university__isnull=False, network__isnull=True, unit__isnull=True)
                | Q(university__isnull=True, network__isnull=False, unit__isnull=True)
                | Q(university__isnull=True, network__isnull=True, unit__isnull=False),
                name="mou_report_one_owner",
            ),
            models.UniqueConstraint(
                fields=["programme", "period", "university"], condition=Q(university__isnull=False),
                name="one_mou_report_per_university",
            ),
            models.UniqueConstraint(
                fields=["programme", "period", "network"], condition=Q(network__isnull=False),
                name="one_mou_report_per_network",
            ),
            models.UniqueConstraint(
                fields=["programme", "period", "unit"], condition=Q(unit__isnull=False),
                name="one_mou_report_per_unit",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_period_display()} · {self.owner}"

    @property
    def owner_name(self) -> str:
        return owner_name(self.owner)

    @property
    def owner(self) -> University | Network | Unit:
        return self.university or self.network or self.unit

    @property
    def owner_kind(self) -> str:
        return next(kind for kind in self.OWNERS if getattr(self, f"{kind}_id"))

    def review_scope(self) -> University | Network | Unit:
        return self.owner

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("mou_report", args=[self.period, self.owner_kind, self.owner.pk])

    def notification_label(self) -> str:
        return f"{self.get_period_display()} · {owner_name(self.owner)}"

    def due_date(self, settings: DeadlineSettings) -> dt.date:
        return settings.mou_6_month_due if self.period == MouPeriod.SIX_MONTH else settings.mou_12_month_due

    def period_months(self) -> list[tuple[int, int]]:
        months = self.programme.months()
        return months[:6] if self.period == MouPeriod.SIX_MONTH else months


class UnitMonthlyReport(Reviewable):
    """A university's monthly report (its hiring summary, its tambons' activities rolled up, its management
    spending) or a network's management report (issue #15 item 1, DOMAIN.md §3), due like the tambons' monthly
    reports; reviewed by the network (a university's) or by NSI (a network's) through pbm/review.py.

    The roll-up is computed from the tambons' figures (reporting.selectors) and frozen into `figures` when the
    report is submitted; the unit types its own management spending and narrative."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)])
    university = models.ForeignKey(University, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    narrative = models.TextField(_("work and management this month"), blank=True)
    management_actual = models.DecimalField(
        _("the unit's own management spending this month"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    is_late = models.BooleanField(_("late"), default=False, help_text=_("First submitted after the deadline."))
    figures = models.JSONField(default=dict, blank=True)

    OWNERS = ("university", "network")  # exactly one is set
    review_units = {"university": "university", "network": "network"}

    class Meta:
        ordering = ["programme", "year", "month"]
        verbose_name = _("unit monthly report")
        verbose_name_plural = _("unit monthly reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(university__isnull=False, network__isnull=True)
                | Q(university__isnull=True, network__isnull=False),
                name="unit_report_one_owner",
            ),
            models.UniqueConstraint(
                fields=["programme", "year", "month", "university"], condition=Q(university__isnull=False),
                name="one_unit_report_per_university_month",
            ),
            models.UniqueConstraint(
                fields=["programme", "year", "month", "network"], condition=Q(network__isnull=False),
                name="one_unit_report_per_network_month",
            ),
            models.CheckConstraint(
                condition=Q(management_actual__isnull=True) | Q(management_actual__gte=0),
                name="unit_management_not_negative",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.owner} · {self.year}-{self.month:02d}"

    @property
    def owner(self) -> University | Network:
        return self.university or self.network

    @property
    def owner_kind(self) -> str:
        return "university" if self.university_id else "network"

    def review_scope(self) -> University | Network:
        return self.owner

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("unit_report", args=[self.owner_kind, self.university_id or self.network_id, self.year,
                                            self.month])  # fmt: skip

    def notification_label(self) -> str:
        from pbm.formats import month_label

        return f"{self.university.name if self.university_id else self.network} · {month_label(self.year, self.month)}"
