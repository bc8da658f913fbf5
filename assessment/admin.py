"""Admin for the assessment reference data (goals, indicators, class bands) and scoped assessment rows."""

from django.contrib import admin

from tambon.admin import ScopedAdminMixin

from .models import ClassBand, Goal, Indicator, TambonAssessment, TambonClassification


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["number", "name_th", "name_en", "programme"]
    list_filter = ["programme"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["level", "number", "name_th", "name_en", "programme"]
    list_filter = ["programme", "level"]


@admin.register(ClassBand)
class ClassBandAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "min_goals", "max_goals", "target_share", "rank", "programme"]
    list_filter = ["programme"]


@admin.register(TambonAssessment)
class TambonAssessmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "tambon"
    list_display = ["tambon", "quarter", "status", "submitted_at"]
    list_filter = ["status", "quarter"]
    list_select_related = ["tambon__subdistrict__district__province"]
    raw_id_fields = ["tambon"]
    readonly_fields = ["status", "submitted_at", "submitted_by", "reviewed_at", "reviewed_by", "first_submitted_at",
                       "version"]  # fmt: skip


@admin.register(TambonClassification)
class TambonClassificationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "tambon"
    list_display = ["tambon", "quarter", "band", "goals_met"]
    list_filter = ["quarter", "band"]
    list_select_related = ["tambon__subdistrict__district__province", "band"]

    def has_add_permission(self, request) -> bool:
        return False  # written only by the classification job

    def has_change_permission(self, request, obj=None) -> bool:
        return False
