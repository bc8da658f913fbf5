"""Budget plans and monthly progress reports of a tambon (DOMAIN.md §3, §4).

A tambon's budget is a set of lines: one per leaf budget category (1.1–1.3 hiring, 2.1–2.5 activity categories,
3.1 management) and one per activity (โครงการย่อย) under a category 2.x. Each line has a total and, per month,
a plan (แผน) and an actual (ผล). Group rows (1, 2, 3) and the tambon total are sums, computed in selectors.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pbm.models import Reviewable
from pbm.periods import end_of_day, month_due_date
from tambon.models import BilingualName, HiringType, Programme, Tambon, User

MONEY = {"max_digits": 14, "decimal_places": 2}


class ProgrammeSettings(models.Model):
    """Per-programme amounts and rules the reporting app reads; editable in the admin."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="reporting_settings")
    due_day = models.PositiveSmallIntegerField(
        _("report due day of the following month"), default=2, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    activity_budget = models.DecimalField(_("activity budget per tambon"), default=Decimal("800000"), **MONEY)
    management_budget = models.DecimalField(_("management budget per tambon"), default=Decimal("43000"), **MONEY)
    evidence_max_mb = models.PositiveSmallIntegerField(_("largest evidence file (MB)"), default=10)
    not_funded_rule = models.TextField(
        _("not-funded rule"), help_text=_("Quoted word for word when an expense type that is not funded is refused.")
    )

    class Meta:
        verbose_name = _("reporting settings")
        verbose_name_plural = _("reporting settings")

    def __str__(self) -> str:
        return str(self.programme)

    @classmethod
    def for_programme(cls, programme: Programme | int) -> ProgrammeSettings:
        programme_id = programme if isinstance(programme, int) else programme.pk
        found = cls.objects.filter(programme_id=programme_id).first()
        return found or cls(programme_id=programme_id, not_funded_rule="")

    def activity_budget_of(self, tambon: Tambon) -> Decimal:
        """The activity budget of one unit: its line of the allocation register, or the programme's per unit."""
        return tambon.activity_budget if tambon.activity_budget is not None else self.activity_budget


class CategoryKind(models.TextChoices):
    HIRING = "hiring", _("hiring")
    ACTIVITY = "activity", _("community development")
    MANAGEMENT = "management", _("management")


class BudgetCategory(BilingualName):
    """A row of the PBM table: a group (1, 2, 3) or a leaf under it (1.1 … 3.1). Reference data per programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_categories")
    code = models.CharField(_("code"), max_length=10)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=CategoryKind.choices)
    letter = models.CharField(_("activity category letter"), max_length=5, blank=True, help_text="ก.–จ.")
    hiring_type = models.ForeignKey(
        HiringType, on_delete=models.PROTECT, null=True, blank=True, related_name="budget_categories",
        help_text=_("Hiring lines plan rate × quota of this hiring type each month by default."),
    )  # fmt: skip

    class Meta:
        ordering = ["programme", "position"]
        verbose_name = _("budget category")
        verbose_name_plural = _("budget categories")
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="budget_category_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_group(self) -> bool:
        return self.parent_id is None


class ExpenseType(BilingualName):
    """What an activity spends on. Types with funded=False are the not-funded list of DOMAIN.md §4."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="expense_types")
    position = models.PositiveSmallIntegerField(_("position"))
    funded = models.BooleanField(_("funded by the activity budget"), default=True)

    class Meta:
        ordering = ["programme", "-funded", "position"]
        verbose_name = _("expense type")
        verbose_name_plural = _("expense types")


class ActivityQuerySet(models.QuerySet):
    def with_category(self) -> ActivityQuerySet:
        return self.select_related("category", "expense_type", "tambon")


class Activity(models.Model):
    """An activity (โครงการย่อย) of a tambon under one activity category 2.1–2.5 (DOMAIN.md §9)."""

    tambon = models.ForeignKey(Tambon, on_delete=models.CASCADE, related_name="activities")
    category = models.ForeignKey(BudgetCategory, on_delete=models.PROTECT, related_name="activities")
    name = models.CharField(_("activity name"), max_length=300)
    expense_type = models.ForeignKey(
        ExpenseType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("main expense")
    )
    budget = models.DecimalField(_("budget"), default=Decimal(0), **MONEY)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    target_group = models.CharField(_("target group"), max_length=200, blank=True)
    target_quantity = models.PositiveIntegerField(_("target quantity"), null=True, blank=True)
    target_unit = models.CharField(_("target unit"), max_length=50, blank=True, help_text=_("persons, households…"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0, help_text="Bumped on every save; guards against lost updates.")

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["category__position", "start_date", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="activity_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="activity_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """A line with a total and monthly plan/actual figures: a leaf category of a tambon, or an activity."""

    tambon = models.ForeignKey(Tambon, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.ForeignKey(BudgetCategory, on_delete=models.PROTECT, related_name="lines")
    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="line")
    total = models.DecimalField(_("total budget"), default=Decimal(0), **MONEY)
    explanation = models.TextField(_("explanation"), blank=True)
    version = models.PositiveIntegerField(
        default=0, help_text="Bumped on every save of the plan; guards against lost updates."
    )

    class Meta:
        ordering = ["category__position", "activity_id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["tambon", "category"], condition=Q(activity__isnull=True), name="one_line_per_category"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="line_total_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.category.code} {self.activity or self.category.name}"

    @property
    def label(self) -> str:
        return self.activity.name if self.activity_id else f"{self.category.code} {self.category.name}"


class MonthlyAmount(models.Model):
    """Plan and actual of one line in one month. `actual` is None until the month is reported."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)])
    plan = models.DecimalField(_("plan"), default=Decimal(0), **MONEY)
    actual = models.DecimalField(_("actual"), null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["line", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["line", "year", "month"], name="one_amount_per_line_month"),
            models.CheckConstraint(condition=Q(plan__gte=0), name="plan_not_negative"),
            models.CheckConstraint(condition=Q(actual__isnull=True) | Q(actual__gte=0), name="actual_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} {self.year}-{self.month:02d}"


class ExpenseSplit(models.Model):
    """Part of one line's actual in one month spent on one expense type (issue #15 item 9). The line's actual
    stays the one figure (MonthlyAmount.actual, read by selectors.line_figures); a split, when filed, sums to it,
    and only funded expense types may hold money (the programme's not-funded rule)."""

    amount_row = models.ForeignKey(MonthlyAmount, on_delete=models.CASCADE, related_name="splits")
    expense_type = models.ForeignKey(ExpenseType, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["amount_row", "expense_type__position"]
        verbose_name = _("spending by expense type")
        verbose_name_plural = _("spending by expense type")
        constraints = [
            models.UniqueConstraint(fields=["amount_row", "expense_type"], name="one_split_per_expense_type"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="split_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount_row_id} · {self.expense_type_id}: {self.amount}"


class MonthlyReport(Reviewable):
    """A tambon's progress and spending for one month, filed by its university and reviewed by the RSI."""

    review_units = {"tambon": "tambon"}

    tambon = models.ForeignKey(Tambon, on_delete=models.CASCADE, related_name="monthly_reports")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)])
    narrative = models.TextField(_("progress this month"), blank=True)
    over_budget_explanation = models.TextField(_("over-budget explanation"), blank=True)
    is_over_budget = models.BooleanField(_("over budget"), default=False)
    is_late = models.BooleanField(_("late"), default=False, help_text=_("First submitted after the deadline."))

    class Meta:
        ordering = ["tambon", "year", "month"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [models.UniqueConstraint(fields=["tambon", "year", "month"], name="one_report_per_month")]
        indexes = [models.Index(fields=["status", "year", "month"]), models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.tambon_id} {self.year}-{self.month:02d}"

    def review_scope(self) -> Tambon:
        return self.tambon

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("report_detail", args=[self.tambon_id, self.year, self.month])

    def notification_label(self) -> str:
        from pbm.formats import month_label

        return f"{self.tambon.place} · {month_label(self.year, self.month)}"

    def deadline(self, due_day: int) -> dt.datetime:
        """The last instant (Bangkok) the month may be submitted on time."""
        return end_of_day(month_due_date(self.year, self.month, due_day))


class AttachedFile(models.Model):
    """Abstract: a file checked by its content (reporting/evidence.py), stored through Django storage and served
    only through a view that checks access — evidence of a month, photos of a completed activity."""

    file = models.FileField(max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def response(self, *, inline_images: bool = False):
        """The file as a download (images may show inline); the stored, sniffed type, never guessed again."""
        from django.http import FileResponse

        response = FileResponse(self.file.open("rb"), content_type=self.content_type,
                                as_attachment=not (inline_images and self.is_image), filename=self.name)  # fmt: skip
        response["X-Content-Type-Options"] = "nosniff"
        return response


def evidence_path(instance: Evidence, filename: str) -> str:
    report = instance.report
    return f"evidence/{report.tambon_id}/{report.year}-{report.month:02d}/{filename}"


class Evidence(AttachedFile):
    """A file attached to a monthly report."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)

    class Meta(AttachedFile.Meta):
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")


from .dashboard.models import (  # noqa: E402, F401 - the dashboards' reference data and summary tables
    DisbursementTarget,
    TambonFigures,
    TambonHiringFigures,
    TambonMonthFigures,
)
from .deadlines.models import (  # noqa: E402, F401 - the deadline models, importable from reporting.models
    CompletionFile,
    CompletionReport,
    DeadlineSettings,
    MouPeriod,
    MouReport,
    UnitMonthlyReport,
)
