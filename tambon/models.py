"""The NSI → RSI → USI → TSI tree, on top of Thailand's official geography.

Networks, universities and geography are stable across programme years; a programme `Tambon` is one real
sub-district worked in one programme by one university, so a second programme year is just more rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    """Thai name first (what users read), English beside it for the English UI."""

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        if (get_language() or "th").startswith("en") and self.name_en:
            return self.name_en
        return self.name_th

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Django's user; what a person may see comes from their memberships (tambon/access.py)."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


# --- geography -----------------------------------------------------------------------------------------


class Province(BilingualName):
    code = models.CharField(_("code"), max_length=2, primary_key=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class District(BilingualName):
    code = models.CharField(_("code"), max_length=4, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class SubDistrict(BilingualName):
    code = models.CharField(_("code"), max_length=6, primary_key=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="subdistricts")
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sub-district")
        verbose_name_plural = _("sub-districts")


# --- programme and hierarchy ---------------------------------------------------------------------------


class Programme(BilingualName):
    """One programme year (U2T 2564). Its dates bound every month that can be planned or reported."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    is_current = models.BooleanField(_("current"), default=False)
    definition = models.JSONField(
        _("definition"), default=dict, blank=True, editable=False,
        help_text=_("The programme definition file as last loaded by programme_load (validated)."),
    )  # fmt: skip

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_programme"),
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="programme_dates_ordered"),
        ]

    @classmethod
    def current(cls) -> Programme | None:
        return cls.objects.filter(is_current=True).first() or cls.objects.first()

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of each month of the programme, in order."""
        out, year, month = [], self.start_date.year, self.start_date.month
        while dt.date(year, month, 1) <= self.end_date:
            out.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def contains_month(self, year: int, month: int) -> bool:
        return (year, month) in self.months()


class HiringType(BilingualName):
    """Reference data per programme: the three kinds of hired people, their rate and quota per tambon."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="hiring_types")
    code = models.SlugField(_("code"), max_length=20)
    position = models.PositiveSmallIntegerField(_("position"))
    monthly_rate = models.DecimalField(_("monthly rate (baht)"), max_digits=10, decimal_places=2)
    quota_per_tambon = models.PositiveSmallIntegerField(_("people per tambon"))

    class Meta:
        ordering = ["programme", "position"]
        verbose_name = _("hiring type")
        verbose_name_plural = _("hiring types")
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="hiring_type_code_unique")]

    @property
    def monthly_budget(self) -> Decimal:
        return self.monthly_rate * self.quota_per_tambon


class Network(BilingualName):
    """A regional higher-education network (RSI); its area is a set of provinces."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    provinces = models.ManyToManyField(Province, related_name="networks", blank=True, verbose_name=_("provinces"))
    host_university = models.ForeignKey(
        "University", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("host university"),
    )  # fmt: skip

    class Meta:
        ordering = ["number"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class University(BilingualName):
    code = models.CharField(_("code"), max_length=20, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="universities", verbose_name=_("home network")
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["network__number", "code"]
        verbose_name = _("university")
        verbose_name_plural = _("universities")


class TambonQuerySet(models.QuerySet):
    def with_place(self) -> TambonQuerySet:
        return self.select_related("subdistrict__district__province", "university", "network", "programme")

    def active(self) -> TambonQuerySet:
        return self.filter(is_active=True)


class Tambon(models.Model):
    """A programme tambon (TSI): one real sub-district, worked by one university, monitored by one network."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="tambons")
    subdistrict = models.ForeignKey(SubDistrict, on_delete=models.PROTECT, related_name="+")
    university = models.ForeignKey(University, on_delete=models.PROTECT, related_name="tambons")
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="tambons",
        help_text=_("The network whose area holds the sub-district; it monitors the tambon."),
    )  # fmt: skip
    is_active = models.BooleanField(_("active"), default=True)

    objects = TambonQuerySet.as_manager()

    class Meta:
        ordering = ["network__number", "university__code", "subdistrict_id"]
        verbose_name = _("tambon")
        verbose_name_plural = _("tambons")
        constraints = [
            models.UniqueConstraint(fields=["programme", "subdistrict"], name="tambon_once_per_programme"),
        ]
        indexes = [models.Index(fields=["programme", "network"]), models.Index(fields=["programme", "university"])]

    def __str__(self) -> str:
        return self.place

    @property
    def place(self) -> str:
        """'ตำบลห้วยแห้ง อำเภอแก่งคอย จังหวัดสระบุรี', as PBM heads a tambon (Bangkok says แขวง/เขต)."""
        sub, district = self.subdistrict, self.subdistrict.district
        province = district.province
        english = (get_language() or "th").startswith("en") and sub.name_en
        if english:
            return f"{sub.name_en}, {district.name_en}, {province.name_en}"
        if province.code == "10":
            district_name = district.name_th if district.name_th.startswith("เขต") else f"เขต{district.name_th}"
            return f"แขวง{sub.name_th} {district_name} {province.name_th}"
        return f"ตำบล{sub.name_th} อำเภอ{district.name_th} จังหวัด{province.name_th}"

    @property
    def heading(self) -> str:
        return f"{self.place} — {self.university.name}"


# --- people --------------------------------------------------------------------------------------------


class Role(models.TextChoices):
    NSI_ADMIN = "nsi_admin", _("NSI admin")
    NSI_REVIEWER = "nsi_reviewer", _("NSI reviewer")
    RSI_REVIEWER = "rsi_reviewer", _("RSI reviewer")
    UNIVERSITY_MANAGER = "university_manager", _("University manager")
    UNIVERSITY_REPORTER = "university_reporter", _("University reporter")


NATIONAL_ROLES = (Role.NSI_ADMIN, Role.NSI_REVIEWER)
UNIVERSITY_ROLES = (Role.UNIVERSITY_MANAGER, Role.UNIVERSITY_REPORTER)


class Membership(models.Model):
    """A role a user holds over one scope: the nation, a network, or a university."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    university = models.ForeignKey(University, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role__in=NATIONAL_ROLES, network__isnull=True, university__isnull=True)
                    | Q(role=Role.RSI_REVIEWER, network__isnull=False, university__isnull=True)
                    | Q(role__in=UNIVERSITY_ROLES, network__isnull=True, university__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.university or self.network or _("national")
        return f"{self.user} · {self.get_role_display()} · {scope}"


from .roster.models import (  # noqa: E402,F401 - Django finds the roster's models through the app's models module
    Certificate,
    Contract,
    Person,
    RosterImport,
    SkillArea,
    Training,
    WorkAcceptance,
)
