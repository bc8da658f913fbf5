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

    @property
    def code_stem(self) -> str:
        """The code without its year: `u2t`, `tambon-smart-team`, `cdd-bpm` (demo accounts, certificate numbers)."""
        head, _sep, year = self.code.rpartition("-")
        return head if head and year.isdigit() else self.code


# --- the unit tree (issue #14) ----------------------------------------------------------------------------
# Every place, office and partner of a programme is a unit at a level of the programme's tree. A unit stores its
# ancestors by depth (`ancestor_0` = the root … `ancestor_5`, itself at its own depth), as DHIS2's org-unit
# structure table does: "this unit and everything under it" is one indexed integer equality
# (`ancestor_<depth> = id`) and a roll-up to the children of a page is a GROUP BY on one integer column, the same
# on SQLite and PostgreSQL. No programme in the seeds is deeper than MAX_UNIT_DEPTH levels.

MAX_UNIT_DEPTH = 6
ANCESTOR_FIELDS = tuple(f"ancestor_{depth}" for depth in range(MAX_UNIT_DEPTH))


class UnitLevel(BilingualName):
    """A named depth of a programme's tree (U2T: NSI, RSI, USI, TSI; Smart Team: department, province, district,
    tambon), as the definition file lists them."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="unit_levels")
    code = models.SlugField(_("code"), max_length=30)
    depth = models.PositiveSmallIntegerField(_("depth"))

    class Meta:
        ordering = ["programme", "depth"]
        verbose_name = _("unit level")
        verbose_name_plural = _("unit levels")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="unit_level_code_unique"),
            models.UniqueConstraint(fields=["programme", "depth"], name="unit_level_depth_unique"),
        ]


class Unit(BilingualName):
    """A place or office in one programme's tree. Optional links name the official geography it stands for and,
    in U2T, the network or university record it is."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="units")
    level = models.ForeignKey(UnitLevel, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False)
    code = models.CharField(_("code"), max_length=40)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subdistrict = models.ForeignKey(SubDistrict, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    network = models.ForeignKey("Network", on_delete=models.PROTECT, null=True, blank=True, related_name="units")
    university = models.ForeignKey("University", on_delete=models.PROTECT, null=True, blank=True, related_name="units")
    ancestor_0 = models.ForeignKey("self", on_delete=models.CASCADE, null=True, editable=False, related_name="+")
    ancestor_1 = models.ForeignKey("self", on_delete=models.CASCADE, null=True, editable=False, related_name="+")
    ancestor_2 = models.ForeignKey("self", on_delete=models.CASCADE, null=True, editable=False, related_name="+")
    ancestor_3 = models.ForeignKey("self", on_delete=models.CASCADE, null=True, editable=False, related_name="+")
    ancestor_4 = models.ForeignKey("self", on_delete=models.CASCADE, null=True, editable=False, related_name="+")
    ancestor_5 = models.ForeignKey("self", on_delete=models.CASCADE, null=True, editable=False, related_name="+")

    class Meta:
        ordering = ["programme", "depth", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["programme", "level", "code"], name="unit_code_unique_per_level"),
        ]

    def ancestor_ids(self) -> list[int]:
        """The ids from the root down to this unit."""
        return [getattr(self, f"{name}_id") for name in ANCESTOR_FIELDS[: self.depth + 1]]

    def set_ancestors(self) -> None:
        """Copy the parent's ancestors and put this unit at its own depth (the pk must exist)."""
        parent = self.parent
        self.depth = 0 if parent is None else parent.depth + 1
        for depth, name in enumerate(ANCESTOR_FIELDS):
            value = getattr(parent, f"{name}_id") if parent is not None and depth < self.depth else None
            setattr(self, f"{name}_id", self.pk if depth == self.depth else value)

    def save(self, *args, **kwargs) -> None:
        self.depth = 0 if self.parent_id is None else self.parent.depth + 1
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs = {k: v for k, v in kwargs.items() if k != "force_insert"}
        self.set_ancestors()
        super().save(*args, **kwargs)

    @property
    def titled(self) -> str:
        """The unit named with its level's name from the programme's data, as a sentence names it
        (อำเภอเมืองสมุทรปราการ, สำนักงานพัฒนาชุมชนจังหวัดสมุทรปราการ)."""
        from django.utils.translation import gettext

        return gettext("%(level)s %(name)s") % {"level": self.level.name, "name": self.name}

    def is_within(self, other: Unit) -> bool:
        """This unit is `other` or under it."""
        return other.depth <= self.depth and getattr(self, f"ancestor_{other.depth}_id") == other.pk


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
        return self.select_related(
            "subdistrict__district__province",
            "university",
            "network",
            "programme",
            "unit__level",
            "unit__parent__level",
            "unit__parent__parent__level",
        )

    def active(self) -> TambonQuerySet:
        return self.filter(is_active=True)

    def under(self, unit: Unit) -> TambonQuerySet:
        """The tambons in `unit`'s subtree (itself, when it is a tambon's unit): one indexed equality."""
        return self.filter(**{f"unit__ancestor_{unit.depth}_id": unit.pk})


class Tambon(models.Model):
    """A programme's reporting unit: the leaf of its tree that holds a budget, reports, activities and a roster.
    In U2T and Tambon Smart Team one real sub-district (U2T: worked by one university, monitored by one network);
    a programme whose leaf is another level (CDD's provinces) names no sub-district. `unit` is its place in the
    programme's unit tree, which scopes who sees it (tambon/access.py)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="tambons")
    subdistrict = models.ForeignKey(SubDistrict, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    university = models.ForeignKey(University, on_delete=models.PROTECT, null=True, blank=True, related_name="tambons")
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, null=True, blank=True, related_name="tambons",
        help_text=_("The network whose area holds the sub-district; it monitors the tambon."),
    )  # fmt: skip
    unit = models.OneToOneField(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="tambon",
        help_text=_("Its unit in the programme's tree (set by the service that places it)."),
    )  # fmt: skip
    is_active = models.BooleanField(_("active"), default=True)
    activity_budget = models.DecimalField(
        _("activity budget (allocation register)"), max_digits=14, decimal_places=2, null=True, blank=True,
        help_text=_("This unit's line of the allocation register; empty: the programme's budget per unit."),
    )  # fmt: skip

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

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        if self.unit_id is None and self.university_id is not None:
            from .units import place_tambons  # the U2T tree: network → university → tambon

            place_tambons([self])

    @property
    def above_name(self) -> str:
        """Whom the tambon answers to, as a table's column names it: U2T's university, else its parent unit."""
        if self.university_id:
            return self.university.short_name or self.university.name_th
        return self.unit.parent.name if self.unit_id and self.unit.parent_id else ""

    @property
    def above_label(self) -> str:
        """The heading of `above_name`'s column: "University", or the parent unit's level ("District")."""
        if self.university_id or not self.unit_id or not self.unit.parent_id:
            return str(_("University"))
        return self.unit.parent.level.name

    @property
    def place(self) -> str:
        """'ตำบลห้วยแห้ง อำเภอแก่งคอย จังหวัดสระบุรี', as PBM heads a tambon (Bangkok says แขวง/เขต); a reporting
        unit that is not a sub-district is named by its unit ('จังหวัดเชียงใหม่')."""
        if self.subdistrict_id is None:
            return f"{self.unit.level.name}{self.unit.name}" if self.unit_id else str(self.pk)
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
    def code(self) -> str:
        """Its official code: the sub-district's, or its unit's (a provincial office: the province code)."""
        return self.subdistrict_id or (self.unit.code if self.unit_id else str(self.pk))

    @property
    def short_name(self) -> str:
        """The sub-district's name (or its unit's), without the district and province."""
        return self.subdistrict.name_th if self.subdistrict_id else (self.unit.name_th if self.unit_id else "")

    @property
    def heading(self) -> str:
        """The place and who files for it: U2T's university, otherwise the unit above it."""
        if self.university_id is not None:
            return f"{self.place} — {self.university.name}"
        parent = self.unit.parent if self.unit_id else None
        return f"{self.place} — {parent.level.name}{parent.name}" if parent else self.place


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
    """A role a user holds over a unit and everything under it (`unit`), the role one of its programme's roles
    (the definition's `roles`). U2T's memberships name their scope by record instead: the nation (no scope), a
    network, or a university, which `access.scope_of` reads as the units those records are."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=40)
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships", verbose_name=_("unit")
    )
    network = models.ForeignKey(Network, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    university = models.ForeignKey(University, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(unit__isnull=False, network__isnull=True, university__isnull=True)
                    | Q(role__in=NATIONAL_ROLES, network__isnull=True, university__isnull=True)
                    | Q(role=Role.RSI_REVIEWER, unit__isnull=True, network__isnull=False, university__isnull=True)
                    | Q(role__in=UNIVERSITY_ROLES, unit__isnull=True, network__isnull=True, university__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.university or self.network or self.unit or _("national")
        return f"{self.user} · {self.role_name} · {scope}"

    @property
    def role_name(self) -> str:
        """The role's name: U2T's five by their labels, a programme's own from its definition."""
        if self.role in Role.values:
            return str(Role(self.role).label)
        programme = self.unit.programme if self.unit_id else None
        for row in (programme.definition.get("roles") or []) if programme else []:
            if row["code"] == self.role:
                name = row["name"]
                return name.get("en") or name["th"] if (get_language() or "th").startswith("en") else name["th"]
        return self.role

    def get_role_display(self) -> str:
        return self.role_name


from .roster.models import (  # noqa: E402,F401 - Django finds the roster's models through the app's models module
    Certificate,
    Contract,
    Person,
    RosterImport,
    SkillArea,
    Training,
    WorkAcceptance,
)
