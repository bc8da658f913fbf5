"""What a locked-out person is told (django-axes calls these; settings AXES_*)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from pbm.formats import date_be


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the connection's, or behind TRUSTED_PROXY_COUNT proxies the address the first of
    them saw (X-Forwarded-For is only trusted as far as our own proxies wrote it)."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def retry_at():
    """When a locked pair may try again: the cool-off counts from this (the latest) refused try."""
    return timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)


def lockout_message() -> str:
    return _(
        "Too many wrong passwords for this username from this address. Try again after %(time)s "
        "(in %(minutes)d minutes); each further try before then restarts the wait. If you forgot your password, "
        "ask your university's manager or the NSI admin to reset it."
    ) % {"time": date_be(retry_at(), with_time=True), "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=status)
    return render(request, "registration/locked_out.html", {"message": lockout_message()}, status=status)
