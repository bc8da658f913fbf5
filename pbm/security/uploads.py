"""Uploads are refused before they are read, or as soon as they pass their limit, and never stored when refused.

Each URL that takes files has a limit per file and a number of files (UPLOAD_RULES); every other URL takes at
most UPLOAD_DEFAULT_MAX_BYTES. The middleware answers 413 from the declared Content-Length before reading a byte;
when the length is within bounds it parses the body itself through LimitedUploadHandler, which stops reading as
soon as one file passes its limit (a client can lie about a part's size, never about the bytes it sends)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.translation import gettext as _

MB = 1024 * 1024
FORM_FIELDS_BYTES = MB  # room for the text fields and multipart headers beside the files


@dataclass(frozen=True)
class Limit:
    file_bytes: int
    files: int

    @property
    def request_bytes(self) -> int:
        return self.file_bytes * self.files + FORM_FIELDS_BYTES


def _roster(match: ResolverMatch) -> Limit:
    return Limit(file_bytes=roster_max_bytes(), files=1)


def roster_max_bytes() -> int:
    from tambon.roster.services.importer import MAX_BYTES

    return getattr(settings, "ROSTER_IMPORT_MAX_BYTES", MAX_BYTES)


def _evidence_mb(programme_id: int | None) -> int:
    from reporting.models import ProgrammeSettings
    from tambon.models import Programme

    if programme_id is None:
        programme = Programme.current()
        programme_id = programme.pk if programme else None
    return ProgrammeSettings.for_programme(programme_id).evidence_max_mb if programme_id else 10


def _report_evidence(match: ResolverMatch) -> Limit:
    from tambon.models import Tambon

    programme_id = (
        Tambon.objects.filter(pk=match.kwargs.get("tambon_id")).values_list("programme_id", flat=True).first()
    )
    return Limit(file_bytes=_evidence_mb(programme_id) * MB, files=settings.EVIDENCE_MAX_FILES)


def _completion_files(match: ResolverMatch) -> Limit:
    from reporting.models import Activity

    programme_id = (
        Activity.objects.filter(pk=match.kwargs.get("activity_id"))
        .values_list("tambon__programme_id", flat=True)
        .first()
    )
    return Limit(file_bytes=_evidence_mb(programme_id) * MB, files=settings.EVIDENCE_MAX_FILES)


def _sheet_import(match: ResolverMatch) -> Limit:
    return Limit(file_bytes=25 * MB, files=1)


# URL name → its limit; the admin's import pages (django-import-export) take one sheet like the roster.
UPLOAD_RULES: dict[str, Callable[[ResolverMatch], Limit]] = {
    "roster_university": _roster,
    "report_detail": _report_evidence,
    "completion_report": _completion_files,
    "households_import": _sheet_import,
}


def limit_for(request: HttpRequest) -> Limit | None:
    """The limit of the URL's files, or None for a URL that takes no files."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    rule = UPLOAD_RULES.get(match.url_name or "")
    if rule is None and match.namespace == "admin" and (match.url_name or "").endswith("_import"):
        rule = _sheet_import
    return rule(match) if rule else None


class UploadRefused(Exception):
    pass


class LimitedUploadHandler(FileUploadHandler):
    """First of the request's upload handlers: counts each file's bytes and stops the upload past the limit."""

    def __init__(self, request: HttpRequest, limit: Limit) -> None:
        super().__init__(request)
        self.limit = limit
        self.count = 0
        self.received = 0

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.count += 1
        self.received = 0
        if self.count > self.limit.files:
            self._refuse(
                _("At most %(count)d files can be sent at once; send the others in another save.")
                % {"count": self.limit.files}
            )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit.file_bytes:
            self._refuse(_too_big_file(self.file_name, self.limit.file_bytes))
        return raw_data

    def file_complete(self, file_size: int):
        return None  # the next handler (memory or temporary file) builds the file

    def _refuse(self, message: str) -> None:
        self.request._upload_refused = message
        raise StopUpload(connection_reset=True)


def _too_big_file(name: str | None, limit: int) -> str:
    return _("%(name)s is larger than %(limit)s MB, the most this page accepts per file; nothing was saved.") % {
        "name": name or _("The file"), "limit": round(limit / MB, 1),
    }  # fmt: skip


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    return render(request, "upload_refused.html", {"message": message}, status=413)


class UploadLimitMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("POST", "PUT", "PATCH"):
            refused = self._check(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = limit_for(request)
        allowed = limit.request_bytes if limit else settings.UPLOAD_DEFAULT_MAX_BYTES
        if length > allowed:
            if limit is None:
                message = _("This request is %(size)s MB; this page accepts at most %(limit)s MB and takes no files.")
            else:
                message = _(
                    "The upload is %(size)s MB; this page accepts at most %(limit)s MB at once. Nothing was saved: "
                    "send smaller or fewer files."
                )
            return _refused(request, message % {"size": round(length / MB, 1), "limit": round(allowed / MB, 1)})
        # Django parses multipart bodies of POST only; every form that takes files posts
        if limit is None or request.method != "POST" or not request.content_type.startswith("multipart/"):
            return None
        request.upload_handlers.insert(0, LimitedUploadHandler(request, limit))
        request.POST  # noqa: B018 - parse now, through the limited handler, before any view sees a file
        message = getattr(request, "_upload_refused", None)
        if message is None:
            return None
        for handler in request.upload_handlers:
            getattr(handler, "upload_interrupted", lambda: None)()
        for _field, uploads in request.FILES.lists():
            for upload in uploads:
                upload.close()
        return _refused(request, message)
