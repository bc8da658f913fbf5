"""GET /api/v1/roster/contracts/?tambon=ID: the people of the tambons the caller may see.

National IDs are full only for those who handle payments (access.handles_payments), else the last 4 digits;
filters never take a national ID, so IDs stay out of URLs and access logs."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from api_clients.auth import client_of
from api_clients.writes import IDEMPOTENCY_KEY, WriteView, idempotent, responses
from pbm.api import InScope, QueryFilters
from tambon import access

from .models import Contract, ContractStatus, RosterImport
from .services.jobs import roster_import_confirm, roster_import_start
from .sheet import mask_national_id


class ContractOutputSerializer(serializers.ModelSerializer):
    national_id = serializers.SerializerMethodField()
    first_name = serializers.CharField(source="person.first_name")
    last_name = serializers.CharField(source="person.last_name")
    hiring_type = serializers.CharField(source="hiring_type.code")

    class Meta:
        model = Contract
        fields = ["id", "tambon", "national_id", "first_name", "last_name", "hiring_type", "status", "reserve_rank",
                  "start_date", "end_date", "left_on", "short_notice", "track", "user_agency", "replaces"]  # fmt: skip

    def get_national_id(self, contract: Contract) -> str:
        full = access.handles_payments(self.context["request"].user, contract.tambon.university_id)
        return contract.person.national_id if full else mask_national_id(contract.person.national_id)


class ContractFilters(QueryFilters):
    tambon = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    status = serializers.ChoiceField(choices=ContractStatus.choices, required=False)


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("tambon", OpenApiTypes.INT), OpenApiParameter("status", OpenApiTypes.STR)]
    )
)
class ContractViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ContractOutputSerializer
    permission_classes = [InScope]

    def get_queryset(self):
        qs = access.filter_by_tambon(
            self.request.user, Contract.objects.select_related("person", "hiring_type", "tambon")
        )
        params = ContractFilters.read(self.request)
        if "tambon" in params:
            qs = qs.filter(tambon_id=params["tambon"])
        if "status" in params:
            qs = qs.filter(status=params["status"])
        return qs.order_by("tambon_id", "id")


# --- the import, through the API: upload, preview with progress, confirm (the upload page's services) ---------


class RosterImportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    university = serializers.IntegerField(allow_null=True)
    unit = serializers.IntegerField(allow_null=True, help_text="The unit of the programme's tree that owns it")
    original_name = serializers.CharField()
    status = serializers.CharField(help_text="queued, checking, preview, writing, done or failed")
    progress = serializers.DictField(help_text="status, progress (0–100), phase, label, running")
    rows_total = serializers.IntegerField()
    new_count = serializers.IntegerField()
    updated_count = serializers.IntegerField()
    unchanged_count = serializers.IntegerField()
    error_count = serializers.IntegerField()
    message = serializers.CharField()
    preview = serializers.ListField(child=serializers.DictField(), help_text="The page's people, 50 a page (?page=), "
                                    "each with its row's errors; national IDs as the caller may see them")  # fmt: skip


def _import_data(request, job: RosterImport) -> dict:
    from .selectors import import_preview, import_progress

    full_ids = access.handles_payments(request.user, job.university_id)
    page = import_preview(roster_import=job, only_errors=request.query_params.get("show") == "errors",
                          page=request.query_params.get("page"))  # fmt: skip
    people = [p if full_ids else {**p, "national_id": mask_national_id(str(p.get("national_id", "")))}
              for p in page.page.object_list]  # fmt: skip
    return {
        "id": job.pk, "university": job.university_id, "unit": job.unit_id, "original_name": job.original_name, "status": job.status,
        "progress": import_progress(roster_import=job), "rows_total": job.rows_total, "new_count": job.new_count,
        "updated_count": job.updated_count, "unchanged_count": job.unchanged_count, "error_count": job.error_count,
        "message": job.message, "preview": people,
    }  # fmt: skip


def _managed_import(request, pk: int) -> RosterImport:
    job = get_object_or_404(RosterImport.objects.select_related("university", "unit"), pk=pk)
    if job.university_id is None and job.unit_id is None or not access.may_manage_import(request.user, job):
        raise Http404("No such import")
    return job


class RosterUploadInput(serializers.Serializer):
    file = serializers.FileField(help_text="The hiring sheet (.xlsx), as the upload page takes it")


class RosterImportUploadView(WriteView):
    parser_classes = [MultiPartParser]
    rule_fields = {"file_too_large": "file", "not_a_workbook": "file"}

    @extend_schema(request={"multipart/form-data": RosterUploadInput}, responses=responses(RosterImportSerializer),
                   parameters=[IDEMPOTENCY_KEY],
                   summary="Upload a university's hiring sheet; it is checked in the background (poll the import)")  # fmt: skip
    def post(self, request: Request, university_id: int) -> Response:
        university = access.get_university_or_404(request.user, university_id)
        if not access.can_manage_university(request.user, university):
            raise PermissionDenied(_("Only the university's managers can import its roster."))
        return _upload(request, university=university)


class UnitRosterImportUploadView(WriteView):
    parser_classes = [MultiPartParser]
    rule_fields = RosterImportUploadView.rule_fields

    @extend_schema(request={"multipart/form-data": RosterUploadInput}, responses=responses(RosterImportSerializer),
                   parameters=[IDEMPOTENCY_KEY],
                   summary="Upload a unit's hiring sheet (a programme's tree); it is checked in the background")  # fmt: skip
    def post(self, request: Request, unit_id: int) -> Response:
        unit = get_object_or_404(access.visible_units_all(request.user), pk=unit_id)
        if not access.unit_roster_tambons(request.user, unit).exists():
            raise PermissionDenied(_("Only those who manage a roster under this unit can import its sheet."))
        return _upload(request, unit=unit)


def _upload(request: Request, **owner) -> Response:
    """Both owners' upload: by a person (a key files for listed tambons; a sheet may hold any of the owner's)."""
    if client_of(request) is not None:
        raise PermissionDenied(_("Roster imports are made by a person, not an API client."))
    data = RosterUploadInput(data=request.data)
    data.is_valid(raise_exception=True)

    def work() -> Response:
        job = roster_import_start(upload=data.validated_data["file"], user=request.user, language=get_language(),
                                  **owner)  # fmt: skip
        return Response(RosterImportSerializer(_import_data(request, job)).data, status=202)

    return idempotent(request, work)


class ImportFilters(QueryFilters):
    show = serializers.ChoiceField(choices=["errors"], required=False, help_text="errors: only the rows with one")


class RosterImportView(WriteView):
    @extend_schema(responses=responses(RosterImportSerializer), summary="An import's progress and preview",
                   parameters=[OpenApiParameter("page", OpenApiTypes.INT),
                               OpenApiParameter("show", OpenApiTypes.STR, description="errors: only rows with one")])  # fmt: skip
    def get(self, request: Request, pk: int) -> Response:
        ImportFilters.read(request)
        return Response(RosterImportSerializer(_import_data(request, _managed_import(request, pk))).data)


class RosterImportConfirmView(WriteView):
    @extend_schema(request=None, responses=responses(RosterImportSerializer), parameters=[IDEMPOTENCY_KEY],
                   summary="Confirm a previewed import: it is written, all or nothing, in the background")  # fmt: skip
    def post(self, request: Request, pk: int) -> Response:
        job = _managed_import(request, pk)
        if client_of(request) is not None:
            raise PermissionDenied(_("Roster imports are made by a person, not an API client."))

        def work() -> Response:
            if not roster_import_confirm(roster_import=job, language=get_language()):
                job.refresh_from_db()
                raise ValidationError(
                    _("Only a checked import waiting for confirmation can be confirmed; this one is %(status)s.")
                    % {"status": job.get_status_display()}, code="wrong_status",
                )  # fmt: skip
            job.refresh_from_db()
            return Response(RosterImportSerializer(_import_data(request, job)).data, status=202)

        return idempotent(request, work)
