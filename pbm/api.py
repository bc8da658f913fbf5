"""Shared API pieces: a permission class built on tambon/access.py, and the base of every view's query filters."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from tambon import access


class InScope(BasePermission):
    """Authenticated and holding at least one membership; objects are scoped by the view's queryset
    (built with tambon/access.py), so an out-of-scope object is simply not found: 404."""

    message = "Your account has no role in the programme yet."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and not access.scope_of(request.user).is_empty)


class QueryFilters(serializers.Serializer):
    """The query parameters an API view filters by, declared as fields: a malformed value answers 400 with a
    message per parameter saying what to write, never a 500 and never a silently empty list. A well-formed value
    that matches nothing (another network's number, an unknown code) is simply an empty list."""

    ALWAYS = ("page", "format")  # pagination and DRF's renderer choice, on every list

    @classmethod
    def read(cls, request: Request) -> dict[str, Any]:
        """The valid, non-empty filters of the request (raises DRF's ValidationError → 400). A parameter the view
        does not filter by is refused too, rather than ignored, so a typo never looks like an empty result."""
        known = cls().fields
        unknown = sorted(set(request.query_params) - set(known) - set(cls.ALWAYS))
        if unknown:
            raise serializers.ValidationError({
                name: [_("This list cannot be filtered by %(name)s; use %(known)s.")
                       % {"name": name, "known": ", ".join(known) or "-"}] for name in unknown
            })  # fmt: skip
        params = {key: value for key, value in request.query_params.items() if key in known and value != ""}
        filters = cls(data=params)
        filters.is_valid(raise_exception=True)
        return {key: value for key, value in filters.validated_data.items() if value not in (None, "")}


class NetworkNumberField(serializers.IntegerField):
    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, min_value=1, max_value=99, help_text="Network number (1–9)", **kwargs)
