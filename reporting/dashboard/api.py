"""The dashboards as JSON: the same levels, scope, filters and figures as the pages (one `selectors.dashboard`).

National → network → university → tambon, each child row carrying the API URL one level down. A unit outside
the caller's scope is 404, as on the pages; a malformed month or quarter is 400 with what to write."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from pbm import replica
from pbm.api import InScope
from tambon.models import Programme

from . import selectors
from .views import board_for, child_url

MONEY = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": True}
PERCENT = {"max_digits": 8, "decimal_places": 1, "coerce_to_string": True, "allow_null": True}


def _month(month: selectors.Month) -> str:
    return f"{month[0]}-{month[1]:02d}"


# --- the response, for the schema and its types ---------------------------------------------------------------


class BoardUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.CharField(help_text="network, university or tambon")
    url = serializers.CharField(help_text="this unit one level down: its dashboard, or the tambon's budget table")


class BoardCompletenessSerializer(serializers.Serializer):
    unit = BoardUnitSerializer(allow_null=True, help_text="null on the total row")
    expected = serializers.IntegerField(help_text="active tambons × months of the period")
    submitted = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    awaiting_review = serializers.IntegerField()
    returned = serializers.IntegerField()
    accepted = serializers.IntegerField()
    not_filed = serializers.IntegerField()
    on_time_percent = serializers.DecimalField(**PERCENT)


class BoardLateMonthSerializer(serializers.Serializer):
    month = serializers.CharField()
    tambons = serializers.IntegerField(help_text="tambons that did not file this month on time")


class BoardActionsSerializer(serializers.Serializer):
    late_months = BoardLateMonthSerializer(many=True)
    returned = serializers.IntegerField()
    completion_overdue = serializers.IntegerField()
    reports_to_review = serializers.IntegerField()
    completion_to_review = serializers.IntegerField()


class BoardKindSerializer(serializers.Serializer):
    budget = serializers.DecimalField(**MONEY)
    plan = serializers.DecimalField(**MONEY, help_text="cumulative to the period's last month")
    actual = serializers.DecimalField(**MONEY)
    percent = serializers.DecimalField(**PERCENT)


class BoardKindsSerializer(serializers.Serializer):
    hiring = BoardKindSerializer()
    activity = BoardKindSerializer(help_text="community development")
    management = BoardKindSerializer()


class BoardSpendingSerializer(serializers.Serializer):
    unit = BoardUnitSerializer(allow_null=True)
    kinds = BoardKindsSerializer()
    plan = serializers.DecimalField(**MONEY)
    actual = serializers.DecimalField(**MONEY)
    percent = serializers.DecimalField(**PERCENT)
    disbursed_percent = serializers.DecimalField(**PERCENT, help_text="of the fiscal year's plan, to the period")
    tambons = serializers.IntegerField()
    instalment_eligible = serializers.IntegerField()


class BoardSeriesPointSerializer(serializers.Serializer):
    month = serializers.CharField()
    plan = serializers.DictField(child=serializers.DecimalField(**MONEY), help_text="cumulative, by kind")
    actual = serializers.DictField(child=serializers.DecimalField(**MONEY))


class BoardQuarterPointSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    target_percent = serializers.DecimalField(**PERCENT)
    disbursed_percent = serializers.DecimalField(**PERCENT)
    reached = serializers.BooleanField(help_text="reports are in up to this quarter's end")
    meets = serializers.BooleanField()


class BoardSpendingWidgetSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    fiscal_quarter = serializers.IntegerField()
    rows = BoardSpendingSerializer(many=True)
    total = BoardSpendingSerializer()
    series = BoardSeriesPointSerializer(many=True)
    quarters = BoardQuarterPointSerializer(many=True)


class BoardTypeCountSerializer(serializers.Serializer):
    type = serializers.IntegerField()
    hired = serializers.IntegerField()
    quota = serializers.IntegerField()


class BoardHiringSerializer(serializers.Serializer):
    unit = BoardUnitSerializer(allow_null=True)
    by_type = BoardTypeCountSerializer(many=True)
    hired = serializers.IntegerField()
    quota = serializers.IntegerField()
    filled_percent = serializers.DecimalField(**PERCENT)
    vacancies = serializers.IntegerField()
    reserve = serializers.IntegerField()
    resigned = serializers.IntegerField(help_text="contracts that ended by resignation in the period's months")
    certificates_eligible = serializers.IntegerField()


class BoardNamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class BoardHiringWidgetSerializer(serializers.Serializer):
    types = BoardNamedSerializer(many=True)
    rows = BoardHiringSerializer(many=True)
    total = BoardHiringSerializer()


class BoardBandSerializer(BoardNamedSerializer):
    code = serializers.CharField()
    target_percent = serializers.DecimalField(**PERCENT)


class BoardGoalSerializer(BoardNamedSerializer):
    number = serializers.IntegerField()


class BoardBandCountSerializer(serializers.Serializer):
    band = serializers.IntegerField(allow_null=True, help_text="null: not yet classified")
    tambons = serializers.IntegerField()


class BoardGoalCountSerializer(serializers.Serializer):
    goal = serializers.IntegerField(help_text="goal number")
    tambons = serializers.IntegerField(help_text="tambons meeting it in accepted assessments")


class BoardClassificationSerializer(serializers.Serializer):
    unit = BoardUnitSerializer(allow_null=True)
    tambons = serializers.IntegerField()
    assessed = serializers.IntegerField()
    classes = BoardBandCountSerializer(many=True)
    moved_up = serializers.IntegerField()
    moved_down = serializers.IntegerField()
    goals = BoardGoalCountSerializer(many=True)


class BoardClassificationWidgetSerializer(serializers.Serializer):
    quarter = serializers.CharField()
    previous_quarter = serializers.CharField(allow_null=True)
    bands = BoardBandSerializer(many=True)
    goals = BoardGoalSerializer(many=True)
    rows = BoardClassificationSerializer(many=True)
    total = BoardClassificationSerializer()


class BoardPeriodSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="month or quarter")
    months = serializers.ListField(child=serializers.CharField())
    quarter = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="national, network, university, tambon or unit")
    programme = serializers.CharField()
    network = serializers.IntegerField(allow_null=True)
    university = serializers.IntegerField(allow_null=True)
    tambon = serializers.IntegerField(allow_null=True)
    period = BoardPeriodSerializer()
    computed_at = serializers.DateTimeField()
    refreshed_at = serializers.DateTimeField(allow_null=True, help_text="oldest refresh of the summary figures")
    latest_change = serializers.DateTimeField(allow_null=True)
    completeness = BoardCompletenessSerializer(many=True)
    completeness_total = BoardCompletenessSerializer()
    actions = BoardActionsSerializer()
    spending = BoardSpendingWidgetSerializer()
    hiring = BoardHiringWidgetSerializer()
    classification = BoardClassificationWidgetSerializer()


# --- from the selectors' figures ------------------------------------------------------------------------------


def _unit_url(level: selectors.Level, child: selectors.Child) -> str:
    return child_url(level, child, "api_") or reverse("api_budget_table", args=[child.pk])


def _data(board: selectors.Dashboard) -> dict:
    level = board.level

    def unit(child: selectors.Child) -> dict | None:
        if not child.pk:  # the total row
            return None
        return {"id": child.pk, "name": child.name, "level": child.level, "url": _unit_url(level, child)}

    def completeness(item: selectors.Completeness) -> dict:
        names = ("expected", "submitted", "on_time", "late", "awaiting_review", "returned", "accepted", "not_filed")
        return {"unit": unit(item.child), **{n: getattr(item, n) for n in names}, "on_time_percent": item.share_on_time}

    def spending(item: selectors.Spending) -> dict:
        kinds = {k: {"budget": f.total, "plan": f.plan, "actual": f.actual, "percent": f.percent}
                 for k, f in item.kinds.items()}  # fmt: skip
        return {"unit": unit(item.child), "kinds": kinds, "plan": item.plan, "actual": item.actual,
                "percent": item.percent, "disbursed_percent": item.disbursed, "tambons": item.tambons,
                "instalment_eligible": item.instalment_eligible}  # fmt: skip

    def hiring(item: selectors.Hiring) -> dict:
        return {"unit": unit(item.child), "hired": item.hired_total, "quota": item.quota_total,
                "by_type": [{"type": t.pk, "hired": item.hired.get(t.pk, 0), "quota": item.quota.get(t.pk, 0)}
                            for t in board.hiring.types],
                "filled_percent": item.fill_rate, "vacancies": item.vacancies, "reserve": item.reserve,
                "resigned": item.resigned, "certificates_eligible": item.certificates_eligible}  # fmt: skip

    classes = board.classification

    def classification(item: selectors.Classification) -> dict:
        return {"unit": unit(item.child), "tambons": item.tambons, "assessed": item.assessed,
                "classes": [{"band": b.pk, "tambons": item.bands.get(b.pk, 0)} for b in classes.bands]
                + [{"band": None, "tambons": item.bands.get(None, 0)}],
                "moved_up": item.up, "moved_down": item.down,
                "goals": [{"goal": g.number, "tambons": item.goals.get(g.pk, 0)} for g in classes.goals]}  # fmt: skip

    rows, total = board.completeness
    money = board.spending
    return {
        "level": level.kind, "programme": level.programme.code,
        "network": level.network.pk if level.network else None,
        "university": level.university.pk if level.university else None,
        "tambon": level.tambon.pk if level.tambon else None,
        "period": {"kind": board.period.kind, "months": [_month(m) for m in board.period.months],
                   "quarter": str(board.period.quarter)},
        "computed_at": board.computed_at, "refreshed_at": board.refreshed_at, "latest_change": board.latest_change,
        "completeness": [completeness(r) for r in rows], "completeness_total": completeness(total),
        "actions": {"late_months": [{"month": _month(m), "tambons": n} for m, n in board.actions.late_months],
                    "returned": board.actions.returned, "completion_overdue": board.actions.completion_overdue,
                    "reports_to_review": board.actions.reports_to_review,
                    "completion_to_review": board.actions.completion_to_review},
        "spending": {
            "fiscal_year": money.fiscal[0], "fiscal_quarter": money.fiscal[1],
            "rows": [spending(r) for r in money.rows], "total": spending(money.total),
            "series": [{"month": _month(p.month), "plan": p.plan, "actual": p.actual} for p in money.series],
            "quarters": [{"fiscal_year": q.fiscal_year, "quarter": q.quarter, "target_percent": q.target,
                          "disbursed_percent": q.disbursed, "reached": q.reached, "meets": q.meets}
                         for q in money.quarters],
        },
        "hiring": {"types": [{"id": t.pk, "name": t.name} for t in board.hiring.types],
                   "rows": [hiring(r) for r in board.hiring.rows], "total": hiring(board.hiring.total)},
        "classification": {
            "quarter": str(classes.quarter), "previous_quarter": str(classes.previous) if classes.previous else None,
            "bands": [{"id": b.pk, "name": b.name, "code": b.code, "target_percent": b.target_share}
                      for b in classes.bands],
            "goals": [{"id": g.pk, "number": g.number, "name": g.name} for g in classes.goals],
            "rows": [classification(r) for r in classes.rows], "total": classification(classes.total),
        },
    }  # fmt: skip


FILTERS = [
    OpenApiParameter("programme", OpenApiTypes.STR, description="Programme code (default: current)"),
    OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM in CE or BE (default: latest month due)"),
    OpenApiParameter("quarter", OpenApiTypes.STR, description="Programme quarter, e.g. 2021-Q2 (instead of month)"),
]


@extend_schema(responses=DashboardSerializer, parameters=FILTERS, summary="A dashboard level's figures")
@api_view(["GET"])
@permission_classes([InScope])
@replica.reading()
def dashboard(request: Request, network_id: int | None = None, university_id: int | None = None,
              tambon_id: int | None = None, unit_id: int | None = None) -> Response:  # fmt: skip
    """National (NSI only), a network, a university's tambons in a network, one tambon, or a unit of a programme's
    unit tree (its children one level down): the dashboard's widgets with the figures the page shows."""
    if (code := request.query_params.get("programme")) and not Programme.objects.filter(code=code).exists():
        raise ValidationError({"programme": [_("No programme has the code %(code)s.") % {"code": code}]})
    board, errors = board_for(request, network_id=network_id, university_id=university_id, tambon_id=tambon_id,
                              unit_id=unit_id)  # fmt: skip
    if errors:
        raise ValidationError({"filters": errors})
    return Response(DashboardSerializer(_data(board)).data)
