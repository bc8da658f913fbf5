"""Admin for the hierarchy, with import/export. Lists are scoped through tambon/access.py like every page."""

import yaml
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


class MembershipScopeMixin:
    """Staff outside the NSI see and grant only roles over their own networks and universities."""

    def get_queryset(self, request):
        return access.visible_memberships(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "network":
            kwargs["queryset"] = access.visible_networks(request.user)
        elif db_field.name == "university":
            kwargs["queryset"] = access.visible_universities(request.user)
        elif db_field.name == "user":
            kwargs["queryset"] = access.visible_users(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not access.is_national_admin(request.user):
            kwargs["choices"] = [(v, label) for v, label in Role.choices if v not in NATIONAL_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class MembershipInline(MembershipScopeMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["network", "university"]


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


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """The programme and its hiring types; the settings, categories, goals … have their own admin pages. The
    definition file as last loaded is shown read-only: the parts today's models have no field for (unit levels,
    reports, roles, eligibility, instalment unlocks, periodic reports) change through `programme_load`."""

    list_display = ["code", "name_th", "start_date", "end_date", "is_current"]
    readonly_fields = ["definition_file"]
    inlines = [HiringTypeInline]

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
    list_display = ["user", "role", "network", "university"]
    list_filter = ["role", "network"]
    search_fields = ["user__username", "university__code"]
    autocomplete_fields = ["user", "network", "university"]


from . import admin_security  # noqa: E402, F401 - API tokens, two-factor devices, login attempts
from .roster import admin as roster_admin  # noqa: E402, F401 - registers the roster models
