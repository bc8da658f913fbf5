from rest_framework import serializers

from tambon.models import Network, Tambon, University


class NetworkSerializer(serializers.ModelSerializer):
    tambon_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Network
        fields = ["id", "number", "name_th", "name_en", "tambon_count"]


class UniversitySerializer(serializers.ModelSerializer):
    network = serializers.IntegerField(source="network.number", read_only=True)

    class Meta:
        model = University
        fields = ["id", "code", "short_name", "name_th", "name_en", "network"]


class TambonSerializer(serializers.ModelSerializer):
    # a programme whose reporting units are not sub-districts (CDD's provincial offices) answers null for these
    subdistrict_code = serializers.CharField(source="subdistrict_id", allow_null=True)
    subdistrict = serializers.CharField(source="subdistrict.name_th", allow_null=True)
    district = serializers.CharField(source="subdistrict.district.name_th", allow_null=True)
    province_code = serializers.CharField(source="subdistrict.district.province_id", allow_null=True)
    province = serializers.CharField(source="subdistrict.district.province.name_th", allow_null=True)
    university = UniversitySerializer(allow_null=True)  # U2T's; null in programmes without universities
    network = serializers.IntegerField(source="network.number", allow_null=True)
    programme = serializers.CharField(source="programme.code")
    heading = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id", allow_null=True, read_only=True)  # its unit in the tree

    class Meta:
        model = Tambon
        fields = [
            "id", "programme", "subdistrict_code", "subdistrict", "district", "province_code", "province",
            "university", "network", "is_active", "heading", "unit",
        ]  # fmt: skip
