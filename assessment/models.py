"""Goals, indicators, quarterly assessments, tambon classes and the TPMAP household picture (DOMAIN.md §6–§8, §10).

Goals, indicators and class bands are reference data per programme (loaded by migration): a later programme
may have other lists and thresholds, so nothing here counts to 16 or 14.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pbm.models import Reviewable
from pbm.periods import Quarter
from tambon.models import BilingualName, Network, Programme, Tambon, University, User

QUARTER_FIELD_HELP = _("Programme quarter, e.g. 2021-Q2")


def quarter_label(quarter: str) -> str:
    """'2021-Q2' → 'ไตรมาส 2/2564' (years in BE, as users read them)."""
    period = Quarter.parse(quarter)
    return _("Q%(number)s/%(year)s") % {"number": period.number, "year": period.year + 543}


def quarter_field() -> models.CharField:
    # "2021-Q2": sorts as text in time order, reads the same in the database, URLs and the API.
    return models.CharField(_("quarter"), max_length=7, db_index=True, help_text=QUARTER_FIELD_HELP)


# --- reference data ------------------------------------------------------------------------------------


class Goal(BilingualName):
    """One of the programme's tambon goals (U2T: เป้าหมายตำบล ๑๖ ประการ)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField(_("number"))
    detail_th = models.TextField(_("detail (Thai)"), blank=True)

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="goal_number_unique")]


class IndicatorLevel(models.TextChoices):
    TAMBON = "tsi", _("Tambon (TSI)")
    UNIVERSITY = "usi", _("University (USI)")
    NETWORK = "rsi", _("Network (RSI)")


class Indicator(BilingualName):
    """An indicator of one level (TSI, USI, RSI) of the programme."""

    name_th = models.CharField(_("name (Thai)"), max_length=400)  # the RSI indicators are long sentences
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    level = models.CharField(_("level"), max_length=3, choices=IndicatorLevel.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    hint_th = models.TextField(_("what counts (Thai)"), blank=True)

    class Meta:
        ordering = ["programme", "level", "number"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["programme", "level", "number"], name="indicator_number_unique")]


class ClassBand(BilingualName):
    """A tambon class of the programme: the goals-met range that gives it and its target share (DOMAIN.md §8).

    A count of goals met outside every band is "not yet classified"."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="class_bands")
    code = models.SlugField(_("code"), max_length=20)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("Higher is better; movement compares ranks."))
    min_goals = models.PositiveSmallIntegerField(_("fewest goals met"))
    max_goals = models.PositiveSmallIntegerField(_("most goals met"))
    target_share = models.DecimalField(_("target share (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["programme", "-rank"]
        verbose_name = _("tambon class")
        verbose_name_plural = _("tambon classes")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="class_band_code_unique"),
            models.UniqueConstraint(fields=["programme", "rank"], name="class_band_rank_unique"),
            models.CheckConstraint(condition=Q(max_goals__gte=models.F("min_goals")), name="class_band_ordered"),
        ]

    def contains(self, goals_met: int) -> bool:
        return self.min_goals <= goals_met <= self.max_goals


# --- quarterly assessments -----------------------------------------------------------------------------


class QuarterlyAssessment(Reviewable):
    """Abstract: one assessment per unit per programme quarter, through the shared review flow."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    quarter = quarter_field()
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    indicator_level: str = ""

    class Meta:
        abstract = True

    @property
    def period(self) -> Quarter:
        return Quarter.parse(self.quarter)

    @property
    def quarter_label(self) -> str:
        return quarter_label(self.quarter)


class TambonAssessment(QuarterlyAssessment):
    """The university's quarterly assessment of one tambon: each goal met or not, and the TSI indicators."""

    review_units = {"tambon": "tambon"}

    tambon = models.ForeignKey(Tambon, on_delete=models.PROTECT, related_name="assessments")
    # inputs of the class rule besides the goals (issue #15 item 7; class_bands[].requires in the programme)
    model_tambon = models.BooleanField(
        _("model tambon"), default=False, help_text=_("The tambon is self-reliant and serves as a model for others.")
    )
    income_change_percent = models.DecimalField(
        _("income change (%)"), max_digits=7, decimal_places=2, null=True, blank=True,
        help_text=_("Change of the tambon's household income against the baseline, in per cent; empty: not measured."),
    )  # fmt: skip

    indicator_level = IndicatorLevel.TAMBON

    class Meta:
        ordering = ["tambon", "quarter"]
        verbose_name = _("tambon assessment")
        verbose_name_plural = _("tambon assessments")
        constraints = [models.UniqueConstraint(fields=["tambon", "quarter"], name="tambon_assessment_once")]
        indexes = [models.Index(fields=["programme", "quarter", "status"])]

    def __str__(self) -> str:
        return f"{self.tambon} · {self.quarter}"

    def review_scope(self) -> Tambon:
        return self.tambon

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("tambon_assessment", kwargs={"pk": self.tambon_id, "quarter": self.quarter})

    def notification_label(self) -> str:
        return f"{self.tambon.place} · {self.quarter_label}"


class UniversityAssessment(QuarterlyAssessment):
    """The university's own quarterly assessment on the USI indicators."""

    review_units = {"university": "university"}

    university = models.ForeignKey(University, on_delete=models.PROTECT, related_name="assessments")

    indicator_level = IndicatorLevel.UNIVERSITY

    class Meta:
        ordering = ["university", "quarter"]
        verbose_name = _("university assessment")
        verbose_name_plural = _("university assessments")
        constraints = [
            models.UniqueConstraint(fields=["programme", "university", "quarter"], name="university_assessment_once")
        ]

    def __str__(self) -> str:
        return f"{self.university} · {self.quarter}"

    def review_scope(self) -> University:
        return self.university

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("university_assessment", kwargs={"pk": self.university_id, "quarter": self.quarter})

    def notification_label(self) -> str:
        return f"{self.university.name} · {self.quarter_label}"


class NetworkAssessment(QuarterlyAssessment):
    """The RSI's quarterly assessment on the network indicators."""

    review_units = {"network": "network"}

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="assessments")

    indicator_level = IndicatorLevel.NETWORK

    class Meta:
        ordering = ["network", "quarter"]
        verbose_name = _("network assessment")
        verbose_name_plural = _("network assessments")
        constraints = [
            models.UniqueConstraint(fields=["programme", "network", "quarter"], name="network_assessment_once")
        ]

    def __str__(self) -> str:
        return f"{self.network} · {self.quarter}"

    def review_scope(self) -> Network:
        return self.network

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("network_assessment", kwargs={"pk": self.network_id, "quarter": self.quarter})

    def notification_label(self) -> str:
        return f"{self.network} · {self.quarter_label}"


class GoalResult(models.Model):
    assessment = models.ForeignKey(TambonAssessment, on_delete=models.CASCADE, related_name="goal_results")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField(_("met"), default=False)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["goal__number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "goal"], name="goal_result_once")]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.met}"


class IndicatorResultBase(models.Model):
    """An indicator in one quarter's assessment: the evidence, and (issue #15 item 8) optionally its numbers:
    the baseline, the target and the quarter's value, in the unit written beside them."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField(_("evidence"), blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("e.g. households, persons, products"))
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(_("value this quarter"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["indicator__number"]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.evidence[:40]}"


class TambonIndicatorResult(IndicatorResultBase):
    assessment = models.ForeignKey(TambonAssessment, on_delete=models.CASCADE, related_name="indicator_results")

    class Meta(IndicatorResultBase.Meta):
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="tambon_indicator_once")]


class UniversityIndicatorResult(IndicatorResultBase):
    assessment = models.ForeignKey(UniversityAssessment, on_delete=models.CASCADE, related_name="indicator_results")

    class Meta(IndicatorResultBase.Meta):
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="university_indicator_once")]


class NetworkIndicatorResult(IndicatorResultBase):
    assessment = models.ForeignKey(NetworkAssessment, on_delete=models.CASCADE, related_name="indicator_results")

    class Meta(IndicatorResultBase.Meta):
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="network_indicator_once")]


# --- classification ------------------------------------------------------------------------------------


class TambonClassification(models.Model):
    """A tambon's class in one quarter, from its accepted assessment (written only by `tambon_classify`)."""

    tambon = models.ForeignKey(Tambon, on_delete=models.CASCADE, related_name="classifications")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    quarter = quarter_field()
    goals_met = models.PositiveSmallIntegerField(_("goals met"))
    goals_met_mask = models.BigIntegerField(
        _("which goals are met"), default=0, help_text=_("Bit n − 1 is set when goal n is met.")
    )
    band = models.ForeignKey(
        ClassBand, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("class"), help_text=_("Empty: not yet classified."),
    )  # fmt: skip
    assessment = models.ForeignKey(TambonAssessment, on_delete=models.CASCADE, related_name="+")
    classified_at = models.DateTimeField(_("classified at"))
    # the rule's inputs besides the goals, as the assessment gave them, and the rule's own result
    model_tambon = models.BooleanField(_("model tambon"), default=False)
    income_change_percent = models.DecimalField(
        _("income change (%)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    computed_band = models.ForeignKey(
        ClassBand, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("class by the rule"),
    )  # fmt: skip
    # the committee's override: `band` is then `override_band` (None: not yet classified) whatever the rule says
    overridden_at = models.DateTimeField(_("overridden at"), null=True, blank=True)
    overridden_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    override_band = models.ForeignKey(
        ClassBand, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("class set by the committee"),
    )  # fmt: skip
    override_reason = models.TextField(_("reason for the committee's class"), blank=True)

    class Meta:
        ordering = ["tambon", "quarter"]
        verbose_name = _("tambon classification")
        verbose_name_plural = _("tambon classifications")
        constraints = [models.UniqueConstraint(fields=["tambon", "quarter"], name="classification_once")]
        indexes = [models.Index(fields=["programme", "quarter", "band"])]

    def __str__(self) -> str:
        return f"{self.tambon_id} · {self.quarter} · {self.goals_met}"

    @staticmethod
    def goal_bit(number: int) -> int:
        """The bit of goal `number` in `goals_met_mask` (the dashboards' goal heatmap sums these); a signed
        64-bit field holds goals 1–63."""
        if not 1 <= number <= 63:
            raise ValueError(f"goal number {number} does not fit the goals-met mask (1–63)")
        return 1 << (number - 1)

    @property
    def quarter_label(self) -> str:
        return quarter_label(self.quarter)

    @property
    def is_overridden(self) -> bool:
        return self.overridden_at is not None


class ClassConfirmation(models.Model):
    """The committee's confirmation of one quarter's classes (DOMAIN.md §8: the final call is the committee's),
    with the distribution it confirmed; classes changed after it show as changed since confirmation."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    quarter = quarter_field()
    confirmed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"))
    note = models.TextField(_("note"), blank=True)
    distribution = models.JSONField(_("confirmed distribution"), default=dict)  # band code ("" = none) → tambons

    class Meta:
        ordering = ["programme", "quarter"]
        verbose_name = _("class confirmation")
        verbose_name_plural = _("class confirmations")
        constraints = [models.UniqueConstraint(fields=["programme", "quarter"], name="class_confirmation_once")]

    def __str__(self) -> str:
        return f"{self.programme_id} · {self.quarter}"

    @property
    def quarter_label(self) -> str:
        return quarter_label(self.quarter)


# --- TPMAP households ----------------------------------------------------------------------------------

# TPMAP's five dimensions (DOMAIN.md §10), in TPMAP's order: (field suffix, English label).
TPMAP_DIMENSIONS = (
    ("health", _("health")),
    ("education", _("education")),
    ("income", _("income")),
    ("living", _("living")),
    ("access", _("access to public services")),
)

# TPMAP's household colours by the number of dimensions failed (DOMAIN.md §10, seed 004): (code, fewest, most).
# A household failing none has no colour; pages show it as "passes all".
TPMAP_COLOURS = (("green", 1, 1), ("yellow", 2, 3), ("red", 4, 5))


class Household(models.Model):
    """One surveyed household of a tambon and whether it fails each TPMAP dimension (latest import wins)."""

    tambon = models.ForeignKey(Tambon, on_delete=models.CASCADE, related_name="households")
    code = models.CharField(_("household code"), max_length=40)
    fails_health = models.BooleanField(default=False)
    fails_education = models.BooleanField(default=False)
    fails_income = models.BooleanField(default=False)
    fails_living = models.BooleanField(default=False)
    fails_access = models.BooleanField(default=False)

    class Meta:
        ordering = ["tambon", "code"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [models.UniqueConstraint(fields=["tambon", "code"], name="household_code_once")]

    def __str__(self) -> str:
        return f"{self.tambon_id} · {self.code}"

    @property
    def fails(self) -> int:
        return sum(getattr(self, f"fails_{name}") for name, _label in TPMAP_DIMENSIONS)


class HouseholdImport(models.Model):
    """Who imported a tambon's TPMAP file and when; the households of the latest import are the picture."""

    tambon = models.ForeignKey(Tambon, on_delete=models.CASCADE, related_name="household_imports")
    filename = models.CharField(max_length=200, blank=True)
    households = models.PositiveIntegerField()
    imported_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.tambon_id} · {self.households} households"


# --- activity assessment form (แบบการประเมินภาพรวมตำบล) -----------------------------------------------


class ActivityStage(models.TextChoices):
    START = "start", _("start of activity")
    END = "end", _("end of activity")


class ColumnKind(models.TextChoices):
    ACTIVITY = "activity", _("activity")
    COVID = "covid", _("COVID surveillance")
    COMMUNITY_DATA = "community_data", _("Community Data")


class GoalMark(models.TextChoices):
    ALREADY_HAS = "has", _("already has")
    EXPECTED = "expected", _("expected from this activity")


class ActivityAssessment(models.Model):
    """One column of a tambon's activity assessment form at one stage: an activity, or a fixed column.

    An activity column refers to the reporting app's Activity; a free-text name covers an activity not (yet)
    recorded there."""

    tambon = models.ForeignKey(Tambon, on_delete=models.CASCADE, related_name="activity_assessments")
    stage = models.CharField(_("stage"), max_length=10, choices=ActivityStage.choices)
    kind = models.CharField(_("column"), max_length=20, choices=ColumnKind.choices)
    activity = models.ForeignKey(
        "reporting.Activity", on_delete=models.CASCADE, null=True, blank=True, related_name="assessment_columns",
        verbose_name=_("activity"),
    )  # fmt: skip
    activity_name = models.CharField(_("activity"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["tambon", "stage", "position"]
        verbose_name = _("activity assessment")
        verbose_name_plural = _("activity assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["tambon", "stage", "activity"], condition=Q(activity__isnull=False), name="activity_column_once"
            ),
            models.UniqueConstraint(
                fields=["tambon", "stage", "kind", "activity_name"],
                condition=Q(activity__isnull=True),
                name="named_column_once",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(kind="activity", activity__isnull=False, activity_name="")
                | Q(kind="activity", activity__isnull=True, activity_name__gt="")
                | (~Q(kind="activity") & Q(activity__isnull=True, activity_name="")),
                name="activity_column_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tambon_id} · {self.stage} · {self.label}"

    @property
    def label(self) -> str:
        if self.kind != ColumnKind.ACTIVITY:
            return str(self.get_kind_display())
        return self.activity.name if self.activity_id else self.activity_name


class ActivityGoalMark(models.Model):
    column = models.ForeignKey(ActivityAssessment, on_delete=models.CASCADE, related_name="goal_marks")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+")
    mark = models.CharField(_("mark"), max_length=10, choices=GoalMark.choices)

    class Meta:
        ordering = ["goal__number"]
        constraints = [models.UniqueConstraint(fields=["column", "goal"], name="activity_goal_once")]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.mark}"


class ActivityIndicatorNote(models.Model):
    column = models.ForeignKey(ActivityAssessment, on_delete=models.CASCADE, related_name="indicator_notes")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField(_("evidence"))

    class Meta:
        ordering = ["indicator__number"]
        constraints = [models.UniqueConstraint(fields=["column", "indicator"], name="activity_indicator_once")]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.evidence[:40]}"


# --- the 12-month summary and impact report (issue #15 item 2) ----------------------------------------------------


class ImpactReport(Reviewable):
    """The project's 12-month summary and impact report (รายงานผลการดำเนินงาน รอบ 12 เดือน): one per tambon,
    filed by its university and reviewed by the network, and the network's overall one, filed by the RSI and
    reviewed by NSI (DOMAIN.md §3). The narrative, the evidence and the household change (TPMAP: households in
    need before and after) are written; the figures (outputs against plan, spending, hiring, goals, indicators)
    are computed from the programme's data and frozen into `figures` when the report is submitted."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    tambon = models.ForeignKey(Tambon, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    summary = models.TextField(_("summary of the twelve months"), blank=True)
    impact = models.TextField(_("impact on the tambon and its people"), blank=True)
    evidence = models.TextField(_("evidence (documents, photos, links)"), blank=True)
    households_surveyed = models.PositiveIntegerField(_("households surveyed (TPMAP)"), null=True, blank=True)
    households_in_need_before = models.PositiveIntegerField(_("households in need before"), null=True, blank=True)
    households_in_need_after = models.PositiveIntegerField(_("households in need after"), null=True, blank=True)
    figures = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    SECTIONS = ("summary", "impact", "evidence")
    HOUSEHOLDS = ("households_surveyed", "households_in_need_before", "households_in_need_after")
    review_units = {"tambon": "tambon", "network": "network"}

    class Meta:
        verbose_name = _("12-month impact report")
        verbose_name_plural = _("12-month impact reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(tambon__isnull=False, network__isnull=True) | Q(tambon__isnull=True, network__isnull=False),
                name="impact_report_one_owner",
            ),
            models.UniqueConstraint(fields=["programme", "tambon"], condition=Q(tambon__isnull=False),
                                    name="one_impact_report_per_tambon"),
            models.UniqueConstraint(fields=["programme", "network"], condition=Q(network__isnull=False),
                                    name="one_impact_report_per_network"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.owner} · 12"

    @property
    def owner(self) -> Tambon | Network:
        return self.tambon or self.network

    @property
    def owner_kind(self) -> str:
        return "tambon" if self.tambon_id else "network"

    def review_scope(self) -> Tambon | Network:
        return self.owner

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("impact_report", args=[self.owner_kind, self.tambon_id or self.network_id])

    def notification_label(self) -> str:
        return f"{_('12-month impact report')} · {self.tambon.place if self.tambon_id else self.network}"

    @property
    def household_change(self) -> int | None:
        if self.households_in_need_before is None or self.households_in_need_after is None:
            return None
        return self.households_in_need_after - self.households_in_need_before
