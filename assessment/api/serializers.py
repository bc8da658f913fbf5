from rest_framework import serializers

from assessment.models import (
    ClassBand,
    GoalResult,
    NetworkAssessment,
    TambonAssessment,
    TambonClassification,
    UniversityAssessment,
)


class BandSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClassBand
        fields = ["code", "name_th", "name_en", "rank", "min_goals", "max_goals", "target_share"]


class GoalResultSerializer(serializers.ModelSerializer):
    goal = serializers.IntegerField(source="goal.number")

    class Meta:
        model = GoalResult
        fields = ["goal", "met", "evidence"]


class IndicatorResultSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator.number")
    evidence = serializers.CharField()


class AssessmentFieldsMixin(serializers.Serializer):
    indicators = IndicatorResultSerializer(source="indicator_results", many=True)

    review_fields = ["id", "quarter", "status", "submitted_at", "reviewed_at", "return_reason", "version", "notes"]


class TambonAssessmentSerializer(AssessmentFieldsMixin, serializers.ModelSerializer):
    goals = GoalResultSerializer(source="goal_results", many=True)
    goals_met = serializers.IntegerField()

    class Meta:
        model = TambonAssessment
        fields = [*AssessmentFieldsMixin.review_fields, "tambon", "goals_met", "goals", "indicators"]


class UniversityAssessmentSerializer(AssessmentFieldsMixin, serializers.ModelSerializer):
    university = serializers.CharField(source="university.code")

    class Meta:
        model = UniversityAssessment
        fields = [*AssessmentFieldsMixin.review_fields, "university", "indicators"]


class NetworkAssessmentSerializer(AssessmentFieldsMixin, serializers.ModelSerializer):
    network = serializers.IntegerField(source="network.number")

    class Meta:
        model = NetworkAssessment
        fields = [*AssessmentFieldsMixin.review_fields, "network", "indicators"]


class ClassificationSerializer(serializers.ModelSerializer):
    band = serializers.CharField(source="band.code", allow_null=True, default=None)
    network = serializers.IntegerField(source="tambon.network.number")
    subdistrict_code = serializers.CharField(source="tambon.subdistrict_id")

    class Meta:
        model = TambonClassification
        fields = ["tambon", "subdistrict_code", "network", "quarter", "goals_met", "band", "classified_at"]


class DistributionRowSerializer(serializers.Serializer):
    band = serializers.CharField(source="band.code", allow_null=True, default=None)
    name_th = serializers.CharField(source="band.name_th", allow_null=True, default=None)
    name_en = serializers.CharField(source="band.name_en", allow_null=True, default=None)
    tambons = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    target_share = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    target_tambons = serializers.IntegerField(allow_null=True)


class MovementSerializer(serializers.Serializer):
    tambon = serializers.IntegerField(source="tambon_id")
    subdistrict_code = serializers.CharField(source="tambon.subdistrict_id")
    goals_met = serializers.IntegerField()
    band = serializers.CharField(source="band.code", allow_null=True, default=None)
    previous_goals_met = serializers.IntegerField(source="previous_goals")
    previous_band = serializers.CharField(source="previous_band_obj.code", allow_null=True, default=None)


class DistributionSerializer(serializers.Serializer):
    quarter = serializers.CharField()
    network = serializers.IntegerField(allow_null=True)
    tambons = serializers.IntegerField()
    assessed = serializers.IntegerField()
    rows = DistributionRowSerializer(many=True)
    moved_up = MovementSerializer(many=True)
    moved_down = MovementSerializer(many=True)
