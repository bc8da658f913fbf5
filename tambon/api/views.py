from django.db.models import Count, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from pbm.api import InScope
from tambon import access
from tambon.models import Network, Programme, Tambon

from .serializers import NetworkSerializer, TambonSerializer, UniversitySerializer


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
        params = self.request.query_params
        if code := params.get("programme"):
            qs = qs.filter(programme__code=code)
        elif self.action == "list" and (programme := Programme.current()):
            qs = qs.filter(programme=programme)
        if network := params.get("network"):
            qs = qs.filter(network__number=network) if network.isdigit() else qs.none()
        if university := params.get("university"):
            qs = qs.filter(university__code=university)
        if province := params.get("province"):
            qs = qs.filter(subdistrict__district__province_id=province)
        return qs.order_by("id")


class NetworkViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Network.objects.all()  # the model, for the schema; requests go through get_queryset
    serializer_class = NetworkSerializer
    permission_classes = [InScope]

    def get_queryset(self):
        programme = Programme.current()
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
