"""Build assessments straight in the database (the service path has its own tests)."""

from assessment.models import Goal, GoalResult, TambonAssessment
from pbm.models import ReviewStatus
from tambon.models import Tambon


def make_assessment(tambon: Tambon, quarter: str, goals_met: int, status: str = ReviewStatus.ACCEPTED):
    """An assessment of `tambon` in `quarter` meeting the first `goals_met` goals of its programme."""
    assessment, _ = TambonAssessment.objects.update_or_create(
        tambon=tambon, quarter=quarter, defaults={"programme": tambon.programme, "status": status}
    )
    GoalResult.objects.filter(assessment=assessment).delete()
    GoalResult.objects.bulk_create(
        GoalResult(
            assessment=assessment, goal=goal, met=index < goals_met, evidence="seen" if index < goals_met else ""
        )
        for index, goal in enumerate(Goal.objects.filter(programme=tambon.programme).order_by("number"))
    )
    return assessment


def make_activity(tambon: Tambon, name: str):
    """A reporting activity of the tambon (category 2.1, the programme's first activity category)."""
    import datetime as dt

    from reporting.models import Activity, BudgetCategory

    category = BudgetCategory.objects.get(programme=tambon.programme, code="2.1")
    return Activity.objects.create(tambon=tambon, category=category, name=name, start_date=dt.date(2021, 3, 1))
