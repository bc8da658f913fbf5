"""Admin for rosters: skill areas (reference data) and contracts, scoped like every page."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q

from tambon import access
from tambon.admin import ScopedAdminMixin

from .models import Contract, Eligibility, ManagementInstalment, SkillArea, WagePayment, WageTransfer, WorkReport
from .services.rules import contract_rules_check


class ContractAdminForm(forms.ModelForm):
    """The admin is one more door: the same hiring rules as the import and the replacement. (The admin builds
    the form's Meta from ContractAdmin.)"""

    def _post_clean(self) -> None:
        super()._post_clean()  # builds self.instance from the form
        if self.errors:
            return
        try:
            contract_rules_check(contract=self.instance)
        except ValidationError as exc:
            self._update_errors(exc)


@admin.register(SkillArea)
class SkillAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "position"]


@admin.register(Contract)
class ContractAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = ContractAdminForm
    scope_path = "tambon"
    list_display = ["person", "tambon", "hiring_type", "status", "start_date", "end_date", "track"]
    list_filter = ["status", "hiring_type__code", "track"]
    list_select_related = ["person", "tambon__subdistrict__district__province", "hiring_type"]
    search_fields = ["person__last_name", "person__first_name"]
    raw_id_fields = ["person", "tambon", "replaces"]

    def get_readonly_fields(self, request, obj=None):
        """What decides a month's wages changes on the team page, where the month locks and the history apply."""
        wage_fields = ["tambon", "hiring_type", "status", "start_date", "end_date", "left_on", "replaces"]
        return wage_fields if obj is not None else []


# --- the hiring chain (issue #15): read and corrected by the NSI admin, scoped like every page ------------------


@admin.register(WageTransfer)
class WageTransferAdmin(admin.ModelAdmin):
    list_display = ["university", "year", "month", "amount", "transferred_on", "reference"]
    list_filter = ["year", "month"]
    list_select_related = ["university"]
    search_fields = ["reference", "university__code"]
    raw_id_fields = ["university", "created_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(university__in=access.visible_universities(request.user))


@admin.register(WagePayment)
class WagePaymentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "contract__tambon"
    list_display = ["contract", "year", "month", "amount", "paid_on", "reference"]
    list_filter = ["year", "month"]
    list_select_related = ["contract__person"]
    raw_id_fields = ["contract", "created_by"]


@admin.register(ManagementInstalment)
class ManagementInstalmentAdmin(admin.ModelAdmin):
    list_display = ["programme", "network", "university", "number", "amount", "paid_on", "reference"]
    list_select_related = ["programme", "network", "university"]
    raw_id_fields = ["network", "university", "created_by"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(
                Q(university__in=access.visible_universities(request.user))
                | Q(network__in=access.visible_networks(request.user))
            )
        )


@admin.register(WorkReport)
class WorkReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "contract__tambon"
    list_display = ["contract", "year", "month", "days_worked"]
    list_filter = ["year", "month"]
    list_select_related = ["contract__person"]
    raw_id_fields = ["contract", "entered_by"]


@admin.register(Eligibility)
class EligibilityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "contract__tambon"
    list_display = ["contract", "residency", "unemployed", "no_other_state_wage", "enrolment_verified", "checked_at"]
    list_select_related = ["contract__person"]
    raw_id_fields = ["contract", "checked_by"]
    readonly_fields = ["problems"]
