"""Admin for the security records: API tokens (never their value), two-factor devices and login attempts.

Tokens are listed by owner, scoped like the users; the token itself exists only in the response that created it
(a SHA-512 digest is stored), so the admin can revoke a token but never show one. Two-factor devices and login
attempts name people and addresses across the country: only the NSI admin sees them."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from . import access

for model in (AuthToken, TOTPDevice, AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created", "expiry"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    fields = ["user", "created", "expiry"]
    readonly_fields = fields
    ordering = ["-created"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user__in=access.visible_users(request.user))

    def has_add_permission(self, request):
        return False  # tokens come from POST /api/v1/auth/token/, which shows each once

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.user == request.user or access.can_manage_user(request.user, obj.user))


class NationalAdminOnly:
    def has_module_permission(self, request):
        return access.is_national_admin(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return access.is_national_admin(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return access.is_national_admin(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return access.is_national_admin(request.user) and super().has_delete_permission(request, obj)


@admin.register(TOTPDevice)
class TwoFactorDeviceAdmin(NationalAdminOnly, TOTPDeviceAdmin):
    def get_queryset(self, request):
        """The devices of the accounts the admin administers (a programme's admin: its own people's)."""
        return super().get_queryset(request).filter(user__in=access.administered_users(request.user))


@admin.register(AccessAttempt)
class LoginAttemptAdmin(NationalAdminOnly, AccessAttemptAdmin):
    pass


@admin.register(AccessLog)
class LoginLogAdmin(NationalAdminOnly, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class LoginFailureLogAdmin(NationalAdminOnly, AccessFailureLogAdmin):
    pass
