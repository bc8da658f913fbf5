"""Admin for the programme's reporting settings and reference data; tambon rows are scoped like every page."""

from django.contrib import admin

from pbm.forms import MONEY_ADMIN
from tambon.admin import ScopedAdminMixin

from .models import (
    Activity,
    BudgetCategory,
    DeadlineSettings,
    DisbursementTarget,
    ExpenseType,
    MonthlyReport,
    ProgrammeSettings,
)


@admin.register(ProgrammeSettings)
class ProgrammeSettingsAdmin(admin.ModelAdmin):
    list_display = ["programme", "due_day", "activity_budget", "management_budget", "evidence_max_mb"]
    formfield_overrides = MONEY_ADMIN


@admin.register(BudgetCategory)
class BudgetCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "kind", "letter", "hiring_type", "programme"]
    list_filter = ["programme", "kind"]
    ordering = ["programme", "position"]


@admin.register(ExpenseType)
class ExpenseTypeAdmin(admin.ModelAdmin):
    list_display = ["name_th", "name_en", "funded", "position", "programme"]
    list_filter = ["programme", "funded"]
    list_editable = ["funded"]


class ReadOnlyAdminMixin:
    """Shown in the admin to look up, changed only on the tambon's pages, where the locks (reporting/locks.py),
    the versions and the history apply: the admin is not a door around them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "tambon"
    list_display = ["name", "tambon", "category", "budget", "start_date", "end_date", "completed_on"]
    list_filter = ["category"]
    list_select_related = ["tambon__subdistrict__district__province", "category"]
    raw_id_fields = ["tambon"]
    formfield_overrides = MONEY_ADMIN


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "tambon"
    list_display = ["tambon", "year", "month", "status", "is_late", "is_over_budget", "submitted_at"]
    list_filter = ["status", "is_late", "is_over_budget", "year", "month"]
    list_select_related = ["tambon__subdistrict__district__province"]
    raw_id_fields = ["tambon"]


@admin.register(DeadlineSettings)
class DeadlineSettingsAdmin(admin.ModelAdmin):
    """A programme's reminder, escalation, completion-report, MOU-report and instalment rules (NSI admins)."""

    list_display = ["programme", "reminder_days_before", "escalation_days_after", "completion_report_days",
                    "mou_6_month_due", "mou_12_month_due", "instalment_share", "instalment_2_month"]  # fmt: skip


@admin.register(DisbursementTarget)
class DisbursementTargetAdmin(admin.ModelAdmin):
    """The government's cumulative disbursement targets per programme and fiscal quarter (its definition's)."""

    list_display = ["programme", "quarter", "cumulative_share"]
    list_filter = ["programme"]
    list_editable = ["cumulative_share"]
