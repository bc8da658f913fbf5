"""GET /api/v1/roster/contracts/?tambon=ID: the people of the tambons the caller may see.

National IDs are full only for those who handle payments (access.handles_payments), else the last 4 digits;
filters never take a national ID, so IDs stay out of URLs and access logs."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from pbm.api import InScope, QueryFilters
from tambon import access

from .models import Contract, ContractStatus
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
