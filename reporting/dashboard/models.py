"""Reference data of the dashboards: the government's cumulative disbursement targets per fiscal quarter."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DisbursementTarget(models.Model):
    """Share of a fiscal year's budget the government expects disbursed by the end of each fiscal quarter,
    cumulative, per programme (its definition's `disbursement_targets`); programme_load writes them; editable in
    the admin."""

    programme = models.ForeignKey(
        "tambon.Programme", on_delete=models.CASCADE, related_name="disbursement_targets", verbose_name=_("programme")
    )
    quarter = models.PositiveSmallIntegerField(
        _("fiscal quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    cumulative_share = models.DecimalField(
        _("cumulative share disbursed (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip

    class Meta:
        ordering = ["programme", "quarter"]
        constraints = [models.UniqueConstraint(fields=["programme", "quarter"], name="disbursement_target_once")]
        verbose_name = _("disbursement target")
        verbose_name_plural = _("disbursement targets")

    def __str__(self) -> str:
        return f"Q{self.quarter}: {self.cumulative_share}%"


# --- summary tables: the expensive sums per tambon, refreshed by `dashboard_refresh` (Celery and a command) ---
# A national page then sums 3,000 rows instead of ~400,000 budget amounts and ~700,000 accepted work months.

MONEY = {"max_digits": 16, "decimal_places": 2, "default": 0}


class TambonFigures(models.Model):
    """Per tambon: the PBM table's group totals and the people eligible for a certificate."""

    tambon = models.OneToOneField("tambon.Tambon", on_delete=models.CASCADE, related_name="dashboard_figures")
    total_hiring = models.DecimalField(**MONEY)
    total_activity = models.DecimalField(**MONEY)
    total_management = models.DecimalField(**MONEY)
    certificates_eligible = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.tambon_id} @ {self.refreshed_at}"


class TambonMonthFigures(models.Model):
    """Per tambon and month: the PBM table's group rows (plan and actual of hiring, activities, management)."""

    tambon = models.ForeignKey("tambon.Tambon", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    plan_hiring = models.DecimalField(**MONEY)
    actual_hiring = models.DecimalField(**MONEY)
    plan_activity = models.DecimalField(**MONEY)
    actual_activity = models.DecimalField(**MONEY)
    plan_management = models.DecimalField(**MONEY)
    actual_management = models.DecimalField(**MONEY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tambon", "year", "month"], name="tambon_month_figures_once")]

    def __str__(self) -> str:
        return f"{self.tambon_id} {self.year}-{self.month:02d}"


class TambonHiringFigures(models.Model):
    """Per tambon and hiring type: people hired (active contracts) and on the reserve list."""

    tambon = models.ForeignKey("tambon.Tambon", on_delete=models.CASCADE, related_name="+")
    hiring_type = models.ForeignKey("tambon.HiringType", on_delete=models.CASCADE, related_name="+")
    hired = models.PositiveIntegerField(default=0)
    reserve = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tambon", "hiring_type"], name="tambon_hiring_figures_once")]

    def __str__(self) -> str:
        return f"{self.tambon_id} {self.hiring_type_id}"
