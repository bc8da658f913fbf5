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
    subdistrict_code = serializers.CharField(source="subdistrict_id")
    subdistrict = serializers.CharField(source="subdistrict.name_th")
    district = serializers.CharField(source="subdistrict.district.name_th")
    province_code = serializers.CharField(source="subdistrict.district.province_id")
    province = serializers.CharField(source="subdistrict.district.province.name_th")
    university = UniversitySerializer()
    network = serializers.IntegerField(source="network.number")
    programme = serializers.CharField(source="programme.code")
    heading = serializers.CharField()

    class Meta:
        model = Tambon
        fields = [
            "id", "programme", "subdistrict_code", "subdistrict", "district", "province_code", "province",
            "university", "network", "is_active", "heading",
        ]  # fmt: skip
