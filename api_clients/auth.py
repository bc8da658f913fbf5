"""How a system authenticates (`Authorization: Bearer pbmc_…`), what its key lets it do, and its rate limit."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import SimpleRateThrottle

from pbm.security import twofactor

from .models import ApiClient, ClientScope

LAST_USED_EVERY = dt.timedelta(minutes=1)  # `last_used_at` is written at most once a minute per client


def client_of(request) -> ApiClient | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiClient) else None


class ApiClientAuthentication(BaseAuthentication):
    """A client's key: the request acts for the client's creator (their scope is read on each request, so a person
    who loses their role takes their clients' rights with them); a revoked key or an inactive creator is refused."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the key as: Authorization: Bearer <key>."))
        key = parts[1].decode("ascii", errors="replace")
        client = (
            ApiClient.objects.active().select_related("created_by").filter(key_digest=ApiClient.digest(key)).first()
        )
        if client is None or not client.created_by.is_active:
            raise AuthenticationFailed(_("This API client key is unknown or has been revoked."))
        if twofactor.required_for(client.created_by):  # a key must not step around an NSI admin's second factor
            raise AuthenticationFailed(
                _("Keys of NSI admins are not accepted; NSI admins use a token with their code.")
            )
        now = timezone.now()
        if client.last_used_at is None or client.last_used_at < now - LAST_USED_EVERY:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
            client.last_used_at = now
        return client.created_by, client

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ApiClientScheme(OpenApiAuthenticationExtension):
    target_class = ApiClientAuthentication
    name = "apiClientKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An API client's key (pbmc_…), from /api-clients/."}


class ClientMay(BasePermission):
    """A client's key reads, or does the kind of write its scope names (file, review); a person's session or
    token is not narrowed here."""

    message = _("This API client's key does not allow this.")

    def has_permission(self, request, view) -> bool:
        client = client_of(request)
        if client is None or request.method in SAFE_METHODS:
            return True
        return client.scope == getattr(view, "client_action", ClientScope.FILE)


def client_may_file(request, tambon) -> bool:
    """A filing client may file for the tambons it lists only."""
    client = client_of(request)
    return client is None or client.tambons.filter(pk=tambon.pk).exists()


class ApiClientThrottle(SimpleRateThrottle):
    """Requests per client key (`ApiClient.rate`, else `API_CLIENT_RATE`), counted in the cache; people's sessions
    and tokens are not limited by it."""

    scope = "api_client"

    def allow_request(self, request, view) -> bool:
        client = client_of(request)
        if client is None:
            return True
        if client.rate:
            self.rate = client.rate
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str | None:
        client = client_of(request)
        return f"throttle_api_client_{client.pk}" if client else None
