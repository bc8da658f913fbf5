"""Read API: a tambon's budget table for its programme year, and one month's report with its status."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.request import Request
from rest_framework.response import Response

from pbm.api import InScope
from pbm.review import review_history
from tambon import access

from . import selectors

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}


class MonthFigureSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    plan = serializers.DecimalField(allow_null=True, **MONEY)
    actual = serializers.DecimalField(allow_null=True, **MONEY)


class RowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField(help_text="0 tambon total, 1 group, 2 category line, 3 activity")
    activity_id = serializers.IntegerField(allow_null=True)
    total = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)
    months = MonthFigureSerializer(many=True)
    cumulative_plan = serializers.DecimalField(**MONEY)
    cumulative_actual = serializers.DecimalField(**MONEY)
    percent = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True, coerce_to_string=True)
    explanation = serializers.CharField()


class MonthStateSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    status = serializers.CharField(allow_blank=True, help_text="empty: not yet filed")
    is_late = serializers.BooleanField()


class BudgetTableSerializer(serializers.Serializer):
    tambon = serializers.IntegerField()
    heading = serializers.CharField()
    reported_months = serializers.IntegerField()
    months = MonthStateSerializer(many=True)
    rows = RowSerializer(many=True)


class ReportLineSerializer(serializers.Serializer):
    line_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    plan = serializers.DecimalField(allow_null=True, **MONEY)
    actual = serializers.DecimalField(allow_null=True, **MONEY)


class HistorySerializer(serializers.Serializer):
    action = serializers.CharField()
    actor = serializers.CharField(source="actor.username")
    at = serializers.DateTimeField()
    reason = serializers.CharField()
    changes = serializers.JSONField()


class MonthlyReportSerializer(serializers.Serializer):
    tambon = serializers.IntegerField()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    status = serializers.CharField(help_text="not_filed, draft, submitted, returned or accepted")
    is_late = serializers.BooleanField()
    is_over_budget = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    return_reason = serializers.CharField()
    narrative = serializers.CharField()
    over_budget_explanation = serializers.CharField()
    version = serializers.IntegerField()
    lines = ReportLineSerializer(many=True)
    history = HistorySerializer(many=True)


def _table_data(table: selectors.BudgetTable) -> dict:
    return {
        "tambon": table.tambon.pk, "heading": table.tambon.heading, "reported_months": table.reported,
        "months": [{"year": s.year, "month": s.month, "status": s.status, "is_late": s.is_late} for s in table.month_states],
        "rows": [
            {"code": r.code, "name": r.name, "level": r.level, "activity_id": r.activity.pk if r.activity else None,
             "total": r.total, "remaining": r.remaining, "cumulative_plan": r.cumulative_plan,
             "cumulative_actual": r.cumulative_actual, "percent": r.percent, "explanation": r.explanation,
             "months": [{"year": y, "month": m, "plan": p, "actual": a}
                        for (y, m), (p, a) in zip(table.months, r.cells, strict=True)]}
            for r in table.rows
        ],
    }  # fmt: skip


@extend_schema(responses=BudgetTableSerializer, summary="A tambon's budget table (PBM layout) for its programme year")
@api_view(["GET"])
@permission_classes([InScope])
def budget_table(request: Request, tambon_id: int) -> Response:
    tambon = access.get_tambon_or_404(request.user, tambon_id)
    return Response(BudgetTableSerializer(_table_data(selectors.budget_table(tambon=tambon))).data)


@extend_schema(responses=MonthlyReportSerializer, summary="One month's report of a tambon, with its status")
@api_view(["GET"])
@permission_classes([InScope])
def monthly_report(request: Request, tambon_id: int, year: int, month: int) -> Response:
    tambon = access.get_tambon_or_404(request.user, tambon_id)
    if (year, month) not in tambon.programme.months():
        raise Http404("Month outside the project year")
    report = selectors.monthly_report_find(tambon=tambon, year=year, month=month)
    lines = selectors.month_lines(tambon=tambon, year=year, month=month)
    return Response(MonthlyReportSerializer(monthly_report_data(tambon, year, month, report, lines)).data)


def monthly_report_data(tambon, year: int, month: int, report, lines) -> dict:
    """The monthly-report API's payload (also read by `check_figures`, so the API is compared as it answers)."""
    return {
        "tambon": tambon.pk, "year": year, "month": month,
        "status": report.status if report else "not_filed",
        "is_late": bool(report and report.is_late), "is_over_budget": bool(report and report.is_over_budget),
        "submitted_at": report.submitted_at if report else None, "reviewed_at": report.reviewed_at if report else None,
        "return_reason": report.return_reason if report else "", "narrative": report.narrative if report else "",
        "over_budget_explanation": report.over_budget_explanation if report else "",
        "version": report.version if report else 0,
        "lines": [{"line_id": line.pk, "code": line.category.code, "name": line.label,
                   "plan": figure.plan, "actual": figure.actual}
                  for line, figure in lines],
        "history": list(review_history(report)) if report else [],
    }  # fmt: skip
