"""The DOMAIN.md §4 sample sheet (ห้วยแห้ง, แก่งคอย, สระบุรี — จุฬาฯ), entered through the services."""

from decimal import Decimal as D

from reporting import services
from reporting.models import BudgetLine

# category: (total, {month: plan}) for the activity and management lines; hiring lines take the defaults.
SAMPLE_PLANS = {
    "2.1": (D(320000), {m: D(32000) for m in range(1, 11)}),
    "2.2": (D(176000), {m: D(16000) for m in range(1, 12)}),
    "2.3": (D(160000), {m: D(16000) for m in range(1, 11)}),
    "2.4": (D(80000), {9: D(80000)}),
    "2.5": (D(64000), {9: D(64000)}),
}
SAMPLE_ACTUALS = {
    1: {"2.1": D(30000), "2.2": D(12000), "2.3": D(18000)},
    2: {"2.1": D(5500), "2.2": D(14000), "2.3": D(2000)},
}
# Hiring actuals come from the roster's accepted work: the sample's 45,000 / 150,000 / 25,000 in January and
# 45,000 / 135,000 / 25,000 in February are 20 people accepted in January, then all but one graduate.
HIRING_ABSENT = {2: {"graduate": 1}}


def enter_hiring(tambon, user, *, months=(1, 2)):
    """The tambon's 20 hired people from 1 January, and their accepted work for `months`."""
    from tambon.models import HiringType
    from tambon.roster.demo import national_id
    from tambon.roster.models import Contract, Person
    from tambon.roster.services import work_accept

    year = tambon.programme.start_date.year
    contracts: dict[str, list] = {}
    n = tambon.pk * 1000
    for hiring_type in HiringType.objects.filter(programme=tambon.programme):
        for _ in range(hiring_type.quota_per_tambon):
            n += 1
            person = Person.objects.create(national_id=national_id(n), first_name="ทดสอบ", last_name=str(n))
            contracts.setdefault(hiring_type.code, []).append(Contract.objects.create(
                person=person, tambon=tambon, hiring_type=hiring_type, start_date=tambon.programme.start_date,
            ))  # fmt: skip
    for month in months:
        absent = HIRING_ABSENT.get(month, {})
        accepted = [c for code, group in contracts.items() for c in group[absent.get(code, 0) :]]
        work_accept(contracts=accepted, year=year, month=month, user=user)
    return contracts


def lines_by_code(tambon) -> dict[str, BudgetLine]:
    return {
        line.category.code: line
        for line in BudgetLine.objects.filter(tambon=tambon, activity__isnull=True).select_related("category")
    }


def enter_sample_plan(tambon, user) -> dict[str, BudgetLine]:
    services.budget_plan_init(tambon=tambon, user=user)
    lines = lines_by_code(tambon)
    year = tambon.programme.start_date.year
    for code, (total, plans) in SAMPLE_PLANS.items():
        services.line_plan_save(
            line=lines[code], user=user, total=total, plans={(year, m): plans.get(m) for m in range(1, 13)}
        )
    return lines_by_code(tambon)


def enter_sample(tambon, user, *, months=(1, 2)):
    lines = enter_sample_plan(tambon, user)
    enter_hiring(tambon, user, months=months)
    year = tambon.programme.start_date.year
    reports = []
    for month in months:
        actuals = {lines[code].pk: amount for code, amount in SAMPLE_ACTUALS[month].items()}
        reports.append(
            services.monthly_report_save(
                tambon=tambon,
                year=year,
                month=month,
                user=user,
                seen_version=None,
                actuals=actuals,
                narrative=f"Progress of month {month}",
            )  # fmt: skip
        )
    return lines, reports


# --- the demo seeders, for the dashboards' figures -----------------------------------------------------------

SEEDERS = ("tambon.roster.demo", "reporting.demo", "reporting.deadlines.demo", "assessment.demo",
           "reporting.dashboard.demo")  # fmt: skip
MARCH = "2021-03"


def seed(programme, tambons) -> None:
    """Every demo seeder over these tambons, as seed_demo runs them (deterministic: the same figures each run)."""
    import importlib
    import random

    from tambon import demo as tambon_demo

    context = tambon_demo.DemoContext(scale="small", programme=programme, rng=random.Random(7), tambons=tambons)
    for name in SEEDERS:
        importlib.import_module(name).seed(context=context)
