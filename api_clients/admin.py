from django.contrib import admin

from .models import ApiClient


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Read-only: clients are made on their page; the key itself is never stored, so never shown."""

    list_display = ["name", "key_prefix", "university", "network", "scope", "created_by", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    readonly_fields = [f.name for f in ApiClient._meta.fields] + ["tambons"]
    exclude = ["key_digest"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
