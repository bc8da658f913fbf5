"""Shared API pieces: a permission class built on tambon/access.py, used by every app's views."""

from rest_framework.permissions import BasePermission

from tambon import access


class InScope(BasePermission):
    """Authenticated and holding at least one membership; objects are scoped by the view's queryset
    (built with tambon/access.py), so an out-of-scope object is simply not found: 404."""

    message = "Your account has no role in the programme yet."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and not access.scope_of(request.user).is_empty)
