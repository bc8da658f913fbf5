"""API writes of a tambon's plan, activities, monthly reports and completion reports, and their review: the same
services as the pages (reporting/services.py, reporting/deadlines/services.py, pbm/review.py), so every rule is
the page's rule. Each write carries the version it read and may carry an `Idempotency-Key`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from api_clients.writes import ERRORS, IDEMPOTENCY_KEY, TEXT_MAX, WriteView, idempotent, responses
from pbm.models import Reviewable
from tambon import access

from . import selectors, services
from .api import MONEY, MonthlyReportSerializer, monthly_report_data
from .deadlines import selectors as deadline_selectors
from .deadlines import services as deadline_services
from .deadlines.models import PARTICIPANT_UNITS, CompletionReport
from .models import Activity, BudgetCategory, BudgetLine, ExpenseType

PARSERS = [JSONParser, MultiPartParser, FormParser]
VERSION = serializers.IntegerField(help_text="The version the caller last read (0 for a month never filed)")


class JSONOrText(serializers.JSONField):
    """An object given as JSON, or as a JSON string in a multipart form (next to uploaded files)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            self.binary = True
        try:
            return super().to_internal_value(data)
        finally:
            self.binary = False


def _money_map(raw, field: str) -> dict[int, object]:
    if not isinstance(raw, dict):
        raise serializers.ValidationError({field: [_("Give an object of line id → amount.")]})
    amounts, errors = {}, {}
    money = serializers.DecimalField(allow_null=True, **MONEY)
    for key, value in raw.items():
        try:
            amounts[int(key)] = money.run_validation(value)
        except (ValueError, TypeError):
            errors[str(key)] = [_("A line id is a whole number.")]
        except serializers.ValidationError as error:
            errors[str(key)] = error.detail
    if errors:
        raise serializers.ValidationError({field: errors})
    return amounts


# --- the plan and activities -----------------------------------------------------------------------------


class MonthPlanSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    plan = serializers.DecimalField(allow_null=True, **MONEY)


class LinePlanInput(serializers.Serializer):
    version = VERSION
    plans = MonthPlanSerializer(many=True, help_text="The months to plan; a month left out keeps its plan")
    total = serializers.DecimalField(required=False, allow_null=True, help_text="A category line's total", **MONEY)
    explanation = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class LineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField(source="category.code")
    name = serializers.CharField(source="label")
    total = serializers.DecimalField(**MONEY)
    explanation = serializers.CharField()
    version = serializers.IntegerField()
    plans = serializers.SerializerMethodField()

    def get_plans(self, line: BudgetLine) -> list[dict]:
        amounts = selectors.line_amounts(line=line)
        return [
            {"year": y, "month": m, "plan": MONEY_FIELD.to_representation(a.plan) if a.plan is not None else None}
            for (y, m), a in sorted(amounts.items())
        ]

    get_plans = extend_schema_field(MonthPlanSerializer(many=True))(get_plans)


MONEY_FIELD = serializers.DecimalField(**MONEY)


def _readable(request: Request, tambon_id: int, child, **lookup):
    """For a GET of what a write changes: the tambon in the caller's scope, and its row (404 otherwise)."""
    tambon = access.get_tambon_or_404(request.user, tambon_id)
    return get_object_or_404(child, tambon=tambon, **lookup)


class LinePlanView(WriteView):
    @extend_schema(responses=responses(LineSerializer), summary="A budget line's months, total and version")
    def get(self, request: Request, tambon_id: int, line_id: int) -> Response:
        line = _readable(request, tambon_id, BudgetLine.objects.select_related("category", "activity"), pk=line_id)
        return Response(LineSerializer(line).data)

    @extend_schema(request=LinePlanInput, responses=responses(LineSerializer), parameters=[IDEMPOTENCY_KEY],
                   summary="Plan a budget line's months (and a category line's total)")  # fmt: skip
    def post(self, request: Request, tambon_id: int, line_id: int) -> Response:
        tambon, line = self.filing_tambon(
            request, tambon_id, BudgetLine.objects.select_related("category", "activity"), pk=line_id
        )
        data = LinePlanInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data

        def work() -> Response:
            saved = services.line_plan_save(
                line=line, user=request.user, seen_version=values["version"],
                plans={(p["year"], p["month"]): p["plan"] for p in values["plans"]},
                total=values.get("total"), explanation=values.get("explanation"),
            )  # fmt: skip
            return Response(LineSerializer(saved).data)

        return idempotent(request, work)


class ActivityInput(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="Required when editing an activity")
    category = serializers.SlugRelatedField(slug_field="code", queryset=BudgetCategory.objects.all(),
                                            help_text="An activity category code, 2.1–2.5")  # fmt: skip
    name = serializers.CharField(max_length=200)
    budget = serializers.DecimalField(**MONEY)
    start_date = serializers.DateField(help_text="ISO date (CE)")
    end_date = serializers.DateField(required=False, allow_null=True)
    expense_type = serializers.PrimaryKeyRelatedField(queryset=ExpenseType.objects.all(), required=False,
                                                      allow_null=True)  # fmt: skip
    target_group = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    target_quantity = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    target_unit = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)

    def __init__(self, *args, programme=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if programme is not None:  # the schema builds it without one
            self.fields["category"].queryset = BudgetCategory.objects.filter(programme=programme)
            self.fields["expense_type"].queryset = ExpenseType.objects.filter(programme=programme)


class ActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    category = serializers.CharField(source="category.code")
    name = serializers.CharField()
    budget = serializers.DecimalField(**MONEY)
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    line_id = serializers.IntegerField(source="line.pk")
    version = serializers.IntegerField()


class ActivityView(WriteView):
    @extend_schema(request=ActivityInput, responses={201: ActivitySerializer, **ERRORS}, parameters=[IDEMPOTENCY_KEY],
                   operation_id="activity_create", summary="Add an activity under a category 2.1–2.5")  # fmt: skip
    def post(self, request: Request, tambon_id: int, activity_id: int | None = None) -> Response:
        tambon, activity = self.filing_tambon(request, tambon_id, Activity if activity_id else None, pk=activity_id)
        data = ActivityInput(data=request.data, programme=tambon.programme)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version", None)
        if activity is not None and version is None:
            raise serializers.ValidationError({"version": [serializers.ErrorDetail(
                _("Give the version of the activity you read."), code="version_required")]})  # fmt: skip

        def work() -> Response:
            saved = services.activity_save(tambon=tambon, user=request.user, activity=activity,
                                           seen_version=version, **values)  # fmt: skip
            return Response(ActivitySerializer(saved).data, status=200 if activity else 201)

        return idempotent(request, work)


class ActivityEditView(ActivityView):
    @extend_schema(responses=responses(ActivitySerializer), summary="An activity, with its version")
    def get(self, request: Request, tambon_id: int, activity_id: int) -> Response:
        return Response(ActivitySerializer(_readable(request, tambon_id, Activity, pk=activity_id)).data)

    @extend_schema(request=ActivityInput, responses=responses(ActivitySerializer), parameters=[IDEMPOTENCY_KEY],
                   operation_id="activity_edit", summary="Edit an activity (with the version read)")  # fmt: skip
    def post(self, request: Request, tambon_id: int, activity_id: int | None = None) -> Response:
        return super().post(request, tambon_id, activity_id)


# --- monthly reports -------------------------------------------------------------------------------------


class MonthlyReportInput(serializers.Serializer):
    version = VERSION
    actuals = JSONOrText(required=False, default=dict,
                         help_text='Line id → actual for the month, e.g. {"12": "30000.00"}; null clears it. In a '
                                   "multipart request, the same object as a JSON string")  # fmt: skip
    narrative = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)
    over_budget_explanation = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)
    evidence = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                     help_text="Evidence files (multipart/form-data), checked as on the page")  # fmt: skip
    submit = serializers.BooleanField(required=False, default=False,
                                      help_text="Save and submit in one step; a refused submit writes nothing")  # fmt: skip


class MonthlyReportFileView(WriteView):
    parser_classes = PARSERS
    rule_fields = {"file_too_large": "evidence", "file_type": "evidence", "file_content": "evidence"}

    @extend_schema(request={"application/json": MonthlyReportInput, "multipart/form-data": MonthlyReportInput},
                   responses=responses(MonthlyReportSerializer), parameters=[IDEMPOTENCY_KEY],
                   summary="Save a month's actuals, progress and evidence, and with submit=true submit it")  # fmt: skip
    def post(self, request: Request, tambon_id: int, year: int, month: int) -> Response:
        tambon, _none = self.filing_tambon(request, tambon_id)
        if (year, month) not in tambon.programme.months():
            raise Http404("Month outside the project year")
        data = MonthlyReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        actuals = _money_map(values["actuals"], "actuals")

        def work() -> Response:
            services.monthly_report_save(
                tambon=tambon, year=year, month=month, user=request.user, seen_version=values["version"],
                actuals=actuals, narrative=values["narrative"],
                over_budget_explanation=values["over_budget_explanation"], files=values["evidence"],
                submit=values["submit"],
            )  # fmt: skip
            return Response(_month_payload(tambon, year, month))

        return idempotent(request, work)


def _month_payload(tambon, year: int, month: int) -> dict:
    report = selectors.monthly_report_find(tambon=tambon, year=year, month=month)
    lines = selectors.month_lines(tambon=tambon, year=year, month=month)
    return MonthlyReportSerializer(monthly_report_data(tambon, year, month, report, lines)).data


# --- review (every reviewable kind goes through one view shape) --------------------------------------------


class ReviewInput(serializers.Serializer):
    version = VERSION
    action = serializers.ChoiceField(choices=["accept", "return"])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX,
                                   help_text="Required to return: what the reporter must fix")  # fmt: skip


ReviewResult = inline_serializer(
    "ReviewResult", {"status": serializers.CharField(), "version": serializers.IntegerField(),
                     "return_reason": serializers.CharField()},
)  # fmt: skip


class ReviewView(WriteView):
    """Accept or return one report as its reviewer: the kind's own accept/return services, the scope and the
    conflict-of-interest rule of tambon/access.py, the version the reviewer read."""

    client_action = "review"

    def report(self, request: Request, **kwargs) -> Reviewable:
        raise NotImplementedError

    def accept(self, report, user):
        from pbm import review

        return review.review_accept(obj=report, user=user)

    def return_(self, report, user, reason: str):
        from pbm import review

        return review.review_return(obj=report, user=user, reason=reason)

    @extend_schema(request=ReviewInput, responses=responses(ReviewResult), parameters=[IDEMPOTENCY_KEY],
                   summary="Accept or return a submitted report (its reviewer only)")  # fmt: skip
    def post(self, request: Request, **kwargs) -> Response:
        report = self.report(request, **kwargs)
        data = ReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data

        def work() -> Response:
            from pbm import review

            if not access.reviews_unit(request.user, report.review_scope()):
                raise PermissionDenied(_("You may not review this report."))
            review.version_check(report, values["version"])
            if values["action"] == "accept":
                self.accept(report, request.user)
            else:
                self.return_(report, request.user, values["reason"])
            return Response({"status": report.status, "version": report.version, "return_reason": report.return_reason})

        return idempotent(request, work)


class MonthlyReportReviewView(ReviewView):
    def report(self, request: Request, tambon_id: int, year: int, month: int):
        tambon = access.get_tambon_or_404(request.user, tambon_id)
        if (year, month) not in tambon.programme.months():
            raise Http404("Month outside the project year")
        report = selectors.monthly_report_find(tambon=tambon, year=year, month=month)
        if report is None:
            raise Http404("No report for this month")
        return report

    def accept(self, report, user):
        return services.monthly_report_accept(report=report, user=user)

    def return_(self, report, user, reason: str):
        return services.monthly_report_return(report=report, user=user, reason=reason)


# --- completion reports ----------------------------------------------------------------------------------


class CompletionInput(serializers.Serializer):
    version = VERSION
    completed_on = serializers.DateField(required=False, help_text="Marks the activity completed on this day "
                                                                   "(ISO, CE), which opens its completion report")  # fmt: skip
    results = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)
    participants = JSONOrText(required=False, default=dict, help_text='e.g. {"persons": 120, "households": 40}; '
                              "units: " + ", ".join(u for u, _label in PARTICIPANT_UNITS))  # fmt: skip
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                  help_text="Photos or data files (multipart/form-data)")  # fmt: skip
    submit = serializers.BooleanField(required=False, default=False)


CompletionResult = inline_serializer(
    "CompletionResult", {"activity": serializers.IntegerField(), "status": serializers.CharField(),
                         "due_on": serializers.DateField(), "version": serializers.IntegerField(),
                         "files": serializers.IntegerField()},
)  # fmt: skip


class CompletionReportFileView(WriteView):
    parser_classes = PARSERS

    @extend_schema(request={"application/json": CompletionInput, "multipart/form-data": CompletionInput},
                   responses=responses(CompletionResult), parameters=[IDEMPOTENCY_KEY],
                   summary="Mark an activity complete and file its completion report with photos")  # fmt: skip
    def post(self, request: Request, activity_id: int) -> Response:
        activity = get_object_or_404(access.filter_by_tambon(request.user, Activity.objects.all()), pk=activity_id)
        self.filing_tambon(request, activity.tambon_id)
        data = CompletionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not isinstance(values["participants"], dict):
            raise serializers.ValidationError({"participants": [_("Give an object of unit → count.")]})

        def work() -> Response:
            if "completed_on" in values:
                deadline_services.activity_complete(activity=activity, user=request.user,
                                                    completed_on=values["completed_on"])  # fmt: skip
            report = CompletionReport.objects.filter(activity=activity).first()
            if report is None:
                raise serializers.ValidationError({"completed_on": [serializers.ErrorDetail(
                    _("Mark the activity complete first (completed_on)."), code="not_completed")]})  # fmt: skip
            deadline_services.completion_report_save(
                report=report, user=request.user, results=values["results"], participants=values["participants"],
                files=values["files"], seen_version=values["version"], submit=values["submit"],
            )  # fmt: skip
            report.refresh_from_db()
            return Response({"activity": activity.pk, "status": report.status, "due_on": report.due_on,
                             "version": report.version, "files": report.files.count()})  # fmt: skip

        return idempotent(request, work)


class CompletionReviewView(ReviewView):
    def report(self, request: Request, activity_id: int):
        return get_object_or_404(deadline_selectors.completion_reports(user=request.user), activity__pk=activity_id)


class MouReviewView(ReviewView):
    """A university's or network's 6- or 12-month report of a programme (by its code)."""

    def report(self, request: Request, code: str, period: str, owner: str, owner_id: int):
        from tambon.models import Programme

        from .deadlines.models import MouReport
        from .deadlines.views import _mou_owner

        programme = get_object_or_404(Programme, code=code)
        return get_object_or_404(MouReport, programme=programme, period=period, **_mou_owner(request, owner, owner_id))
