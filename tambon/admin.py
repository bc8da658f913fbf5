"""Admin for the hierarchy, with import/export. Lists are scoped through tambon/access.py like every page."""

import yaml
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.admin import ImportExportModelAdmin
from import_export.widgets import ForeignKeyWidget

from pbm.forms import MONEY_ADMIN

from . import access
from .models import (
    NATIONAL_ROLES,
    District,
    HiringType,
    Membership,
    Network,
    Programme,
    Province,
    Role,
    SubDistrict,
    Tambon,
    Unit,
    UnitLevel,
    University,
    User,
)  # fmt: skip


class ScopedAdminMixin:
    """Staff who are not NSI see only rows of their scope; `scope_path` leads from the row to its tambon."""

    scope_path: str | None = None

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.scope_path is None:
            return qs
        if self.scope_path == "":
            return access.visible_tambons(request.user, qs)
        return access.filter_by_tambon(request.user, qs, self.scope_path)


def role_choices(user) -> list[tuple[str, str]]:
    """U2T's five roles and every loaded programme's own (by their Thai names); a programme's national ones only for
    who administers that programme (U2T's for its NSI admin: a Smart Team admin cannot make anyone U2T's NSI)."""
    scope = access.scope_of(user)
    choices = [(v, label) for v, label in Role.choices if scope.u2t_admin or v not in NATIONAL_ROLES]
    seen = {v for v, _label in choices} | set(Role.values)
    for programme in Programme.objects.exclude(definition={}).order_by("code"):
        national = scope.everything or programme.pk in scope.admin_programme_ids
        for code, rule in access.role_rules(programme).items():
            top = rule["level"] == (programme.definition.get("unit_levels") or [{}])[0].get("code")
            if code in seen or (top and not national):
                continue
            seen.add(code)
            row = next(r for r in programme.definition["roles"] if r["code"] == code)
            choices.append((code, f"{row['name']['th']} ({programme.code})"))
    return choices


class MembershipForm(forms.ModelForm):
    """A role over a unit must be one of its programme's roles, held at that role's level."""

    class Meta:
        model = Membership
        fields = ["user", "role", "unit", "network", "university"]

    def clean(self):
        data = super().clean()
        role, unit = data.get("role"), data.get("unit")
        if unit is not None and role:
            rules = access.role_rules(unit.programme)
            if role not in rules:
                self.add_error("role", _("This role is not one of the programme %(code)s roles.")
                               % {"code": unit.programme.code})  # fmt: skip
            elif rules[role]["level"] != unit.level.code:
                self.add_error("unit", _("This role is held over a unit of level %(level)s.")
                               % {"level": rules[role]["level"]})  # fmt: skip
            if data.get("network") or data.get("university"):
                self.add_error("unit", _("Name either a unit or a network or university, not both."))
        return data


class MembershipScopeMixin:
    """Staff outside the NSI see and grant only roles over their own networks, universities and units."""

    form = MembershipForm

    def get_queryset(self, request):
        return access.visible_memberships(request.user, super().get_queryset(request))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "role":
            return forms.ChoiceField(choices=[("", "---------"), *role_choices(request.user)], label=_("role"))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = access.visible_units_all(request.user)
        elif db_field.name == "network":
            kwargs["queryset"] = access.visible_networks(request.user)
        elif db_field.name == "university":
            kwargs["queryset"] = access.visible_universities(request.user)
        elif db_field.name == "user":
            kwargs["queryset"] = access.visible_users(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(MembershipScopeMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["network", "university"]
    raw_id_fields = ["unit"]


@admin.register(User)
class PbmUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    # only a superuser makes staff, superusers or grants Django permissions
    privileged_fields = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_queryset(self, request):
        return access.visible_users(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj == request.user or access.can_manage_user(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or access.can_manage_user(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, *self.privileged_fields]


@admin.register(Province)
class ProvinceAdmin(ImportExportModelAdmin):
    list_display = ["code", "name_th", "name_en"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(District)
class DistrictAdmin(ImportExportModelAdmin):
    list_display = ["code", "name_th", "name_en", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(SubDistrict)
class SubDistrictAdmin(ImportExportModelAdmin):
    list_display = ["code", "name_th", "name_en", "district", "postcode"]
    search_fields = ["code", "name_th", "name_en"]
    list_select_related = ["district"]


class HiringTypeInline(admin.TabularInline):
    model = HiringType
    extra = 0
    formfield_overrides = MONEY_ADMIN


class UnitLevelInline(admin.TabularInline):
    model = UnitLevel
    extra = 0
    fields = ["depth", "code", "name_th", "name_en"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """The programme and its hiring types; the settings, categories, goals … have their own admin pages. The
    definition file as last loaded is shown read-only: the parts today's models have no field for (unit levels,
    reports, roles, eligibility, instalment unlocks, periodic reports) change through `programme_load`."""

    list_display = ["code", "name_th", "start_date", "end_date", "is_current"]
    readonly_fields = ["definition_file"]
    inlines = [HiringTypeInline, UnitLevelInline]

    @admin.display(description=_("definition"))
    def definition_file(self, obj: Programme) -> str:
        if not obj.definition:
            return _("not loaded yet: run manage.py programme_load programmes/<code>.yaml")
        text = yaml.safe_dump(obj.definition, allow_unicode=True, sort_keys=False, width=110)
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', text)


@admin.register(Network)
class NetworkAdmin(ImportExportModelAdmin):
    list_display = ["number", "name_th", "name_en", "host_university"]
    search_fields = ["name_th", "name_en"]
    filter_horizontal = ["provinces"]


class UniversityResource(resources.ModelResource):
    network = fields.Field(attribute="network", column_name="network", widget=ForeignKeyWidget(Network, "number"))

    class Meta:
        model = University
        import_id_fields = ["code"]
        fields = ["code", "name_th", "name_en", "short_name", "network", "province"]


@admin.register(University)
class UniversityAdmin(ImportExportModelAdmin):
    resource_classes = [UniversityResource]
    list_display = ["code", "short_name", "name_th", "network"]
    list_filter = ["network"]
    search_fields = ["code", "short_name", "name_th", "name_en"]


class TambonResource(resources.ModelResource):
    programme = fields.Field(attribute="programme", column_name="programme", widget=ForeignKeyWidget(Programme, "code"))
    university = fields.Field(
        attribute="university", column_name="university", widget=ForeignKeyWidget(University, "code")
    )
    network = fields.Field(attribute="network", column_name="network", widget=ForeignKeyWidget(Network, "number"))
    subdistrict = fields.Field(attribute="subdistrict_id", column_name="subdistrict")

    class Meta:
        model = Tambon
        import_id_fields = ["programme", "subdistrict"]
        fields = ["programme", "subdistrict", "university", "network", "is_active"]


@admin.register(Tambon)
class TambonAdmin(ScopedAdminMixin, ImportExportModelAdmin):
    scope_path = ""
    resource_classes = [TambonResource]
    list_display = ["__str__", "university", "network", "programme", "is_active"]
    list_filter = ["programme", "network", "is_active"]
    search_fields = ["subdistrict__name_th", "subdistrict__code", "university__code"]
    list_select_related = ["subdistrict__district__province", "university", "network", "programme"]
    raw_id_fields = ["subdistrict"]
    autocomplete_fields = ["university"]


@admin.register(Membership)
class MembershipAdmin(MembershipScopeMixin, admin.ModelAdmin):
    list_display = ["user", "role", "unit", "network", "university"]
    list_filter = ["role", "network", "unit__programme"]
    search_fields = ["user__username", "university__code", "unit__code", "unit__name_th"]
    autocomplete_fields = ["user", "network", "university"]
    raw_id_fields = ["unit"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """The programmes' unit trees; levels and roles come from the definition (programme_load), units from seeds,
    imports and the services that place tambons."""

    list_display = ["__str__", "code", "level", "parent", "programme"]
    list_filter = ["programme", "level__code"]
    search_fields = ["code", "name_th", "name_en"]
    list_select_related = ["level", "parent", "programme"]
    raw_id_fields = ["parent", "province", "district", "subdistrict", "network", "university"]

    def get_queryset(self, request):
        return access.visible_units_all(request.user, super().get_queryset(request))


from . import admin_security  # noqa: E402, F401 - API tokens, two-factor devices, login attempts
from .roster import admin as roster_admin  # noqa: E402, F401 - registers the roster models
