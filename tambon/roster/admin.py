"""Admin for rosters: skill areas (reference data) and contracts, scoped like every page."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from tambon.admin import ScopedAdminMixin

from .models import Contract, SkillArea
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
