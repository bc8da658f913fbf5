"""Admin for deliveries: what went out by email and LINE, what is waiting for a retry and what was given up.
National admins only: a delivery names a person and what they were told."""

from django.contrib import admin, messages
from django.utils import timezone

from tambon import access

from .models import Delivery, DeliveryStatus


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "channel", "digest", "status", "attempts", "next_attempt_at",
                    "last_error"]  # fmt: skip
    list_filter = ["status", "channel", "digest"]
    search_fields = ["sent__recipient__username", "sent__key", "last_error"]
    list_select_related = ["sent__recipient"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["retry_now"]

    @admin.display(description="recipient")
    def recipient(self, obj: Delivery) -> str:
        return str(obj.sent.recipient)

    def has_module_permission(self, request) -> bool:
        return access.is_national_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return access.is_national_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return access.is_national_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Retry now (the retry job sends them within minutes)")
    def retry_now(self, request, queryset) -> None:
        count = queryset.exclude(status=DeliveryStatus.SENT).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        self.message_user(request, f"{count} deliveries will be retried.", messages.SUCCESS)
