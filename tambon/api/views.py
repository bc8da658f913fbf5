from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from pbm.api import InScope, NetworkNumberField, QueryFilters
from tambon import access
from tambon.models import Network, Programme, Tambon, University
from tambon.programmes import request_programme

from .serializers import NetworkSerializer, TambonSerializer, UniversitySerializer


class TambonFilters(QueryFilters):
    network = NetworkNumberField()
    university = serializers.SlugRelatedField(slug_field="code", queryset=University.objects.all(), required=False)
    province = serializers.RegexField(
        r"^[0-9]{2}$",
        required=False,
        error_messages={"invalid": _("Write a province code of 2 digits, for example 19.")},
    )
    programme = serializers.SlugRelatedField(slug_field="code", queryset=Programme.objects.all(), required=False)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("network", OpenApiTypes.INT, description="Network number (1–9)"),
            OpenApiParameter("university", OpenApiTypes.STR, description="University code, e.g. CU"),
            OpenApiParameter("province", OpenApiTypes.STR, description="Province code (2 digits)"),
            OpenApiParameter("programme", OpenApiTypes.STR, description="Programme code (default: current)"),
        ]
    )
)
class TambonViewSet(viewsets.ReadOnlyModelViewSet):
    """Programme tambons the caller may see. Out-of-scope tambons are 404."""

    serializer_class = TambonSerializer
    permission_classes = [InScope]

    def get_queryset(self):
        qs = access.visible_tambons(self.request.user, Tambon.objects.with_place())
        params = TambonFilters.read(self.request)
        if "programme" in params:
            qs = qs.filter(programme=params["programme"])
        elif self.action == "list" and (programme := request_programme(self.request)):
            qs = qs.filter(programme=programme)
        if "network" in params:
            qs = qs.filter(network__number=params["network"])
        if "university" in params:
            qs = qs.filter(university=params["university"])
        if "province" in params:
            qs = qs.filter(subdistrict__district__province_id=params["province"])
        return qs.order_by("id")


class ProgrammeFilter(QueryFilters):
    programme = serializers.SlugRelatedField(slug_field="code", queryset=Programme.objects.all(), required=False)


COUNTED_PROGRAMME = OpenApiParameter(
    "programme", OpenApiTypes.STR, description=_("Programme code whose tambons are counted (default: the caller's)")
)


@extend_schema_view(
    list=extend_schema(parameters=[COUNTED_PROGRAMME]), retrieve=extend_schema(parameters=[COUNTED_PROGRAMME])
)
class NetworkViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Network.objects.all()  # the model, for the schema; requests go through get_queryset
    serializer_class = NetworkSerializer
    permission_classes = [InScope]

    def get_queryset(self):
        programme = ProgrammeFilter.read(self.request).get("programme") or request_programme(self.request)
        return (
            access.visible_networks(self.request.user)
            .order_by("number")
            .annotate(tambon_count=Count("tambons", filter=Q(tambons__programme=programme)))
        )


class UniversityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UniversitySerializer
    permission_classes = [InScope]

    def get_queryset(self):
        return access.visible_universities(self.request.user).select_related("network").order_by("code")
