"""API writes of a tambon's quarterly assessment and the review of any assessment: assessment/services.py, as the
pages call it (the complete-before-submit rule, the reclassification on acceptance)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api_clients.writes import IDEMPOTENCY_KEY, TEXT_MAX, WriteView, idempotent, responses
from assessment import services
from assessment.models import Goal, Indicator, TambonAssessment
from assessment.quarters import parse_quarter
from assessment.views import KINDS
from reporting.api_write import ReviewView

from .serializers import TambonAssessmentSerializer


class GoalInputSerializer(serializers.Serializer):
    goal = serializers.IntegerField(help_text="The goal's number (1–16), as the assessments API shows it")
    met = serializers.BooleanField()
    evidence = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)


class IndicatorInputSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(help_text="The tambon indicator's number, as the assessments API shows it")
    evidence = serializers.CharField(allow_blank=True, max_length=TEXT_MAX)


class TambonAssessmentInput(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version the caller last read (0 for a new assessment)")
    goals = GoalInputSerializer(many=True, required=False, default=list)
    indicators = IndicatorInputSerializer(many=True, required=False, default=list)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)
    submit = serializers.BooleanField(required=False, default=False)


class TambonAssessmentFileView(WriteView):
    @extend_schema(request=TambonAssessmentInput, responses=responses(TambonAssessmentSerializer),
                   parameters=[IDEMPOTENCY_KEY],
                   summary="Save a tambon's quarterly assessment, and with submit=true submit it")  # fmt: skip
    def post(self, request: Request, tambon_id: int, quarter: str) -> Response:
        tambon, _none = self.filing_tambon(request, tambon_id)
        data = TambonAssessmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data

        goals = _by_number(Goal.objects.filter(programme=tambon.programme), values["goals"], "goal")
        indicators = _by_number(
            Indicator.objects.filter(programme=tambon.programme, level=TambonAssessment.indicator_level),
            values["indicators"], "indicator",
        )  # fmt: skip

        def work() -> Response:
            saved = services.tambon_assessment_save(
                tambon=tambon, quarter=parse_quarter(tambon.programme, quarter), user=request.user,
                goals={pk: services.GoalInput(met=g["met"], evidence=g["evidence"]) for pk, g in goals.items()},
                indicators={pk: i["evidence"] for pk, i in indicators.items()},
                notes=values["notes"], seen_version=values["version"], submit=values["submit"],
            )  # fmt: skip
            shown = (
                TambonAssessment.objects.annotate(goals_met=Count("goal_results", filter=Q(goal_results__met=True)))
                .prefetch_related("goal_results__goal", "indicator_results__indicator")
                .get(pk=saved.pk)
            )
            return Response(TambonAssessmentSerializer(shown).data)

        return idempotent(request, work)


def _by_number(queryset, items: list[dict], field: str) -> dict[int, dict]:
    """The items keyed by their row's id, from the numbers people see; an unknown number is refused by name."""
    ids = dict(queryset.values_list("number", "pk"))
    unknown = [i for i, item in enumerate(items) if item[field] not in ids]
    if unknown:
        raise serializers.ValidationError({f"{field}s": {str(i): [_("No %(what)s number %(number)s in this programme.")
                                          % {"what": field, "number": items[i][field]}] for i in unknown}})  # fmt: skip
    return {ids[item[field]]: item for item in items}


class AssessmentReviewView(ReviewView):
    def report(self, request: Request, kind: str, pk: int):
        if kind not in KINDS:
            raise Http404(_("No such assessment kind"))
        spec = KINDS[kind]
        assessment = spec.model.objects.filter(pk=pk).first()
        if assessment is None:
            raise Http404(_("No such assessment"))
        spec.get_unit(request.user, getattr(assessment, f"{spec.unit_field}_id"))  # 404 outside scope
        return assessment

    def accept(self, report, user):
        return services.assessment_accept(assessment=report, user=user)

    def return_(self, report, user, reason: str):
        return services.assessment_return(assessment=report, user=user, reason=reason)
