"""What every write through the API shares: the permission (role, then the client key's scope), the
`Idempotency-Key` replay, and errors as JSON that name the field and the rule, in the caller's language.

The write views themselves live with their domain (reporting/api_write.py, assessment/api/write.py,
tambon/roster/api.py) and call the same services as the pages; nothing here knows a domain rule."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from pbm.api import InScope
from tambon import access

from .auth import ClientMay, client_may_file
from .models import IdempotentWrite

# The rule a service names (ValidationError.code) → the request field it is about; other rules are about the
# request as a whole ("non_field_errors").
RULE_FIELDS = {
    "stale_version": "version",
    "version_required": "version",
    "month_locked": "month",
    "narrative_required": "narrative",
    "over_budget": "over_budget_explanation",
    "reason_required": "reason",
    "plan_gap": "plans",
    "results_required": "results",
    "participants_required": "participants",
    "files_required": "files",
    "file_too_large": "files",
    "file_type": "files",
    "file_content": "files",
}
TEXT_MAX = 20_000  # the longest free text a write takes (a narrative, a reason); a longer one is refused, not cut
CONFLICT_RULES = {"stale_version", "idempotency_key_reused"}


def _flatten(detail: Any, path: str = "") -> list[dict]:
    """DRF's nested error detail → [{field, rule, message}], the field as a dotted path (`actuals.12`)."""
    if isinstance(detail, dict):
        return [e for key, value in detail.items() for e in _flatten(value, f"{path}.{key}" if path else str(key))]
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [e for item in detail for e in _flatten(item, path)]
        return [e for i, item in enumerate(detail) for e in _flatten(item, f"{path}.{i}" if path else str(i))]
    return [{"field": path or "non_field_errors", "rule": getattr(detail, "code", None) or "invalid",
             "message": str(detail)}]  # fmt: skip


def service_errors(error: DjangoValidationError, fields: dict[str, str] | None = None) -> list[dict]:
    """A service's ValidationError → [{field, rule, message}]: the rule is the error's code, the field the
    request field the rule is about (RULE_FIELDS, and the view's own `rule_fields` for its field names)."""
    fields = RULE_FIELDS | (fields or {})
    found = []
    items = (
        [(field, item) for field, errors in error.error_dict.items() for item in errors]
        if hasattr(error, "error_dict")
        else [(None, item) for item in error.error_list]
    )
    for field, item in items:
        rule = item.code or "invalid"
        message = str(item.message % item.params) if item.params else str(item.message)
        found.append({"field": field or fields.get(rule, "non_field_errors"), "rule": rule, "message": message})
    return found


def _body(errors: list[dict]) -> dict:
    return {"detail": " ".join(e["message"] for e in errors), "errors": errors}


def structured_exception_handler(exc: Exception, context: dict) -> Response | None:
    """Every refusal of a write as {"detail", "errors": [{field, rule, message}]}: 400 for a broken rule, 409 for
    a stale version or a reused idempotency key, 401/403/404/429 as DRF decides for the rest."""
    if isinstance(exc, DjangoValidationError):
        errors = service_errors(exc, getattr(context.get("view"), "rule_fields", None))
        conflict = any(e["rule"] in CONFLICT_RULES for e in errors)
        return Response(_body(errors), status=status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        conflict = any(e["rule"] in CONFLICT_RULES for e in errors)
        return Response(_body(errors), status=status.HTTP_409_CONFLICT if conflict else status.HTTP_400_BAD_REQUEST)
    response = exception_handler(exc, context)
    if response is not None:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data.get("detail", "")
        rule = getattr(detail, "code", None) or ("permission_denied" if isinstance(exc, PermissionDenied) else "error")
        response.data = _body([{"field": "non_field_errors", "rule": rule, "message": str(detail)}])
    return response


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        help_text="The request field the rule is about (dotted: actuals.12), or non_field_errors"
    )
    rule = serializers.CharField(help_text="The rule that refused it, e.g. stale_version, month_locked, over_budget, "
                                           "conflict_of_interest, required")  # fmt: skip
    message = serializers.CharField(help_text="What to do, in the caller's language (Accept-Language; Thai by default)")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = ErrorItemSerializer(many=True)


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="A rule refused the write; nothing was written"),
    401: OpenApiResponse(ErrorSerializer, description="No valid session, token or client key"),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed for this role or client key"),
    404: OpenApiResponse(ErrorSerializer, description="Missing, or outside the caller's scope"),
    409: OpenApiResponse(
        ErrorSerializer,
        description="Stale version (reload and retry), or an idempotency key reused for another request",
    ),  # fmt: skip
    429: OpenApiResponse(ErrorSerializer, description="The client key's rate limit; retry after Retry-After seconds"),
}
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="Any unique string (a UUID): a retry with the same key returns the first answer and does nothing.",
)  # fmt: skip


def responses(ok) -> dict:
    return {200: ok, **ERRORS}


def versioned(name: str, **fields: serializers.Field) -> type[serializers.Serializer]:
    return inline_serializer(name, {"version": serializers.IntegerField(
        help_text="The version of the object the caller last read; a stale one is refused with 409"), **fields})  # fmt: skip


class WriteView(APIView):
    """Base of every API write: the caller's role (InScope) and client key scope (ClientMay), structured errors."""

    permission_classes = [InScope, ClientMay]
    client_action = "file"  # or "review": what a client key's scope must be to use this view
    rule_fields: dict[str, str] = {}  # rule → this view's request field, where it differs from RULE_FIELDS

    def get_exception_handler(self) -> Callable:
        return structured_exception_handler

    def filing_tambon(self, request: Request, tambon_id: int, child=None, **lookup):
        """The tambon (404 outside the person's scope) and, if asked, its `child` row by `lookup` (404 if it is not
        the tambon's, before any permission check, as on the pages); 403 for a person who does not file for it or
        a client key that does not list it."""
        tambon = access.get_tambon_or_404(request.user, tambon_id)
        found = get_object_or_404(child, tambon=tambon, **lookup) if child is not None else None
        if not access.can_edit_tambon(request.user, tambon):
            raise exceptions.PermissionDenied(
                _("Only the tambon's university staff can change its budget and reports."), code="not_filer"
            )
        if not client_may_file(request, tambon):
            raise exceptions.PermissionDenied(
                _("This API client may file only for the tambons it lists."), code="client_scope"
            )
        return tambon, found


def _fingerprint(request: Request) -> str:
    data = request.data
    if hasattr(data, "lists"):  # a form or multipart body: values and the uploaded files' names and sizes
        items = {key: [getattr(v, "name", v) for v in values] for key, values in data.lists()}
        items["__files__"] = sorted((f.name, f.size) for files in request.FILES.lists() for f in files[1])
        data = items
    raw = json.dumps([request.method, request.path, data], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def idempotent(request: Request, work: Callable[[], Response]) -> Response:
    """Do `work` in one transaction, once per (person, Idempotency-Key): its answer is stored in the same transaction as the write, and
    a retry gets that answer back (header `Idempotent-Replayed: true`). A refused write stores nothing, so a
    corrected retry with the same key is done. Without the header, `work` simply runs."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        with transaction.atomic():  # a write of several steps (complete, then file) is all or nothing
            return work()
    if len(key) > 255:
        raise exceptions.ValidationError({"Idempotency-Key": [_("Use an Idempotency-Key of at most 255 characters.")]})
    fingerprint = _fingerprint(request)
    if stored := IdempotentWrite.objects.filter(user=request.user, key=key).first():
        return _replay(stored, fingerprint)
    try:
        with transaction.atomic():
            response = work()
            body = json.loads(JSONRenderer().render(response.data) or b"null")
            IdempotentWrite.objects.create(user=request.user, key=key, fingerprint=fingerprint,
                                           status_code=response.status_code, response=body)  # fmt: skip
    except (IntegrityError, DjangoValidationError, exceptions.APIException, PermissionDenied):
        # A twin with the same key finished meanwhile (a retry sent before the first answer came back): this copy
        # was refused by what the twin did (the key's row, a version moved on, a month now locked) and wrote
        # nothing; it gets the twin's answer. Without a twin, the refusal stands.
        stored = IdempotentWrite.objects.filter(user=request.user, key=key).first()
        if stored is None:
            raise
        return _replay(stored, fingerprint)
    return response


def _replay(stored: IdempotentWrite, fingerprint: str) -> Response:
    if stored.fingerprint != fingerprint:
        raise exceptions.ValidationError(
            {
                "Idempotency-Key": [
                    exceptions.ErrorDetail(
                        _("This Idempotency-Key was used for another request; use a new key for a new write."),
                        code="idempotency_key_reused",
                    )
                ]
            }  # fmt: skip
        )
    return Response(stored.response, status=stored.status_code, headers={"Idempotent-Replayed": "true"})
