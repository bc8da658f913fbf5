from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.request import Request
from rest_framework.response import Response

from assessment import selectors
from assessment.models import (
    NetworkAssessment,
    TambonAssessment,
    TambonClassification,
    UniversityAssessment,
)
from assessment.quarters import current_quarter, parse_quarter
from pbm.api import InScope, NetworkNumberField, QueryFilters
from pbm.models import ReviewStatus
from pbm.periods import Quarter
from tambon import access
from tambon.models import Programme

from .serializers import (
    ClassificationSerializer,
    DistributionSerializer,
    NetworkAssessmentSerializer,
    TambonAssessmentSerializer,
    UniversityAssessmentSerializer,
)

QUARTER = OpenApiParameter("quarter", OpenApiTypes.STR, description="Programme quarter, e.g. 2021-Q2 (or 2564-Q2)")
STATUS = OpenApiParameter("status", OpenApiTypes.STR, description="draft, submitted, returned or accepted")
NETWORK = OpenApiParameter("network", OpenApiTypes.INT, description="Network number (1–9)")


def _programme() -> Programme:
    programme = Programme.current()
    if programme is None:
        raise Http404("No programme")
    return programme


class QuarterFilters(QueryFilters):
    quarter = serializers.CharField(required=False, help_text="Programme quarter, e.g. 2021-Q2 (or 2564-Q2)")
    network = NetworkNumberField()

    def validate_quarter(self, value: str) -> str:
        try:
            return str(parse_quarter(_programme(), value))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class AssessmentFilters(QuarterFilters):
    status = serializers.ChoiceField(choices=ReviewStatus.choices, required=False)


def _filter(qs, request: Request, network_path: str, filters: type[QueryFilters] = AssessmentFilters):
    """Apply the view's query filters; a malformed value answers 400 (QueryFilters)."""
    params = filters.read(request)
    if "quarter" in params:
        qs = qs.filter(quarter=params["quarter"])
    if "status" in params:
        qs = qs.filter(status=params["status"])
    if "network" in params:
        qs = qs.filter(**{network_path: params["network"]})
    return qs


@extend_schema_view(list=extend_schema(parameters=[QUARTER, STATUS, NETWORK]))
class TambonAssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Quarterly tambon assessments (goals met + TSI indicators) of the tambons the caller may see."""

    serializer_class = TambonAssessmentSerializer
    permission_classes = [InScope]

    def get_queryset(self):
        qs = access.filter_by_tambon(self.request.user, TambonAssessment.objects.all())
        qs = _filter(qs, self.request, "tambon__network__number")
        return (
            qs.annotate(goals_met=Count("goal_results", filter=Q(goal_results__met=True)))
            .prefetch_related("goal_results__goal", "indicator_results__indicator")
            .order_by("id")
        )


@extend_schema_view(list=extend_schema(parameters=[QUARTER, STATUS, NETWORK]))
class UniversityAssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Quarterly USI assessments of the universities the caller may see."""

    serializer_class = UniversityAssessmentSerializer
    permission_classes = [InScope]

    def get_queryset(self):
        qs = UniversityAssessment.objects.filter(university__in=access.visible_universities(self.request.user))
        qs = _filter(qs, self.request, "university__network__number")
        return qs.select_related("university").prefetch_related("indicator_results__indicator").order_by("id")


@extend_schema_view(list=extend_schema(parameters=[QUARTER, STATUS, NETWORK]))
class NetworkAssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Quarterly RSI assessments of the networks the caller may see (own network; NSI: all)."""

    serializer_class = NetworkAssessmentSerializer
    permission_classes = [InScope]

    def get_queryset(self):
        qs = NetworkAssessment.objects.filter(network__in=access.visible_networks(self.request.user))
        qs = _filter(qs, self.request, "network__number")
        return qs.select_related("network").prefetch_related("indicator_results__indicator").order_by("id")


@extend_schema_view(list=extend_schema(parameters=[QUARTER, NETWORK]))
class ClassificationViewSet(viewsets.ReadOnlyModelViewSet):
    """One row per tambon per quarter: goals met and class (band null = not yet classified)."""

    serializer_class = ClassificationSerializer
    permission_classes = [InScope]

    def get_queryset(self):
        qs = access.filter_by_tambon(self.request.user, TambonClassification.objects.all())
        qs = _filter(qs, self.request, "tambon__network__number", QuarterFilters)
        return qs.select_related("band", "tambon__network").order_by("tambon_id", "quarter")


@extend_schema(parameters=[QUARTER, NETWORK], responses=DistributionSerializer)
@api_view(["GET"])
@permission_classes([InScope])
def class_distribution(request: Request) -> Response:
    """Class distribution of the caller's scope against the target shares, and movement since last quarter."""
    programme = _programme()
    params = QuarterFilters.read(request)
    quarter = Quarter.parse(params["quarter"]) if "quarter" in params else current_quarter(programme)
    network = None
    if "network" in params:
        network = access.visible_networks(request.user).filter(number=params["network"]).first()
        if network is None:
            raise Http404("No such network")
    kwargs = {"user": request.user, "programme": programme, "quarter": quarter, "network": network}
    distribution = selectors.class_distribution(**kwargs)
    moved_up, moved_down = selectors.class_movements(**kwargs)
    data = {
        "quarter": str(quarter), "network": network.number if network else None, "tambons": distribution.tambons,
        "assessed": distribution.assessed, "rows": distribution.rows, "moved_up": moved_up, "moved_down": moved_down,
    }  # fmt: skip
    return Response(DistributionSerializer(data).data)
