"""Demo data of a programme other than U2T, from its definition file alone: `seed_demo --programme SLUG`.

The tree below the root follows the official geography in the order the definition lists its levels (the first
level under the root stands on provinces, the next on districts, the next on sub-districts); the leaf level holds
the reporting units. Small scale: 3 provinces (Bangkok excepted), 2 districts each; national: every province,
district and sub-district outside Bangkok (the Interior Ministry's 7,255 tambons in 878 districts of 76 provinces).

Accounts (password `pbm-demo`): `<prefix>-admin` (two-factor, the demo key; the prefix is the code without its year), `<prefix>-review`, one per unit of each
level that holds a role (`<prefix>-p<province code>`, `<prefix>-d<district code>`). Months: the first two months are
filed through the services by each filer, the first accepted by a reviewer above, so the review lists, the
dashboards and the history have something to show; the last filing unit has submitted its half-year report.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import District, Membership, Programme, Province, SubDistrict, Tambon, User
from .units import UnitRow, levels_sync, units_place

GEOGRAPHY = (Province, District, SubDistrict)
LINKS = ("province_id", "district_id", "subdistrict_id")
SMALL_PROVINCES, SMALL_DISTRICTS = 3, 2
BANGKOK = "10"


def programme_for(slug: str, stdout=None) -> Programme:
    """The programme with this code, loaded from programmes/<slug>.yaml when the database does not hold it yet."""
    programme = Programme.objects.filter(code=slug).first()
    if programme is None:
        path = Path(settings.BASE_DIR) / "programmes" / f"{slug}.yaml"
        if not path.exists():
            raise ValueError(f"No programme {slug} and no file {path}")
        call_command("programme_load", str(path), stdout=stdout)
        programme = Programme.objects.get(code=slug)
    return programme


def _geography(scale: str, depth: int) -> list[list]:
    """The places of each geography level the tree uses, in code order, limited at small scale."""
    provinces = list(Province.objects.exclude(code=BANGKOK).order_by("code"))
    if scale == "small":
        provinces = provinces[:SMALL_PROVINCES]
    out = [provinces]
    if depth >= 2:
        districts = list(District.objects.filter(province__in=provinces).order_by("code"))
        if scale == "small":
            keep = {}
            for d in districts:
                keep.setdefault(d.province_id, [])
                if len(keep[d.province_id]) < SMALL_DISTRICTS:
                    keep[d.province_id].append(d)
            districts = [d for group in keep.values() for d in group]
        out.append(districts)
    if depth >= 3:
        out.append(list(SubDistrict.objects.filter(district__in=out[1]).order_by("code")))
    return out


@transaction.atomic
def seed(*, slug: str, scale: str = "small", stdout=None) -> Programme:
    programme = programme_for(slug, stdout)
    services.geography_load()
    levels = sorted(levels_sync(programme).values(), key=lambda lv: lv.depth)
    root, below = levels[0], levels[1:]
    if len(below) > len(GEOGRAPHY):
        raise ValueError(f"{slug}: the demo maps at most {len(GEOGRAPHY)} levels under the root onto geography")
    places = _geography(scale, len(below))
    rows = [UnitRow(root.code, programme.code, root.name_th, root.name_en)]
    parent_of = {Province: lambda p: (root.code, programme.code)}
    if len(below) >= 2:
        parent_of[District] = lambda d: (below[0].code, d.province_id)
    if len(below) >= 3:
        parent_of[SubDistrict] = lambda s: (below[1].code, s.district_id)
    for level, model, link, group in zip(below, GEOGRAPHY, LINKS, places, strict=False):
        for place in group:
            rows.append(UnitRow(level.code, place.code, place.name_th, place.name_en, parent_of[model](place),
                                ((link, place.code),)))  # fmt: skip
    units = units_place(programme, rows)
    leaf = below[-1]
    leaves = [u for (code, _c), u in units.items() if code == leaf.code]
    have = set(Tambon.objects.filter(programme=programme).values_list("unit_id", flat=True))
    rng = random.Random(programme.code)
    ceiling = programme.reporting_settings.activity_budget if hasattr(programme, "reporting_settings") else 0
    new = [
        Tambon(programme=programme, unit=u, subdistrict_id=u.subdistrict_id,
               activity_budget=(Decimal(rng.randrange(40, 101)) * ceiling / 100).quantize(Decimal(1000))
               if ceiling else None)
        for u in leaves if u.pk not in have
    ]  # fmt: skip
    Tambon.objects.bulk_create(new, batch_size=1000)
    tambons = list(Tambon.objects.filter(programme=programme).select_related("unit", "programme"))
    _accounts(programme, levels, units, stdout)
    _plans(programme, tambons, rng)
    if scale == "small":
        _months(programme, tambons)
        _period_report(programme)
    if stdout:
        counts = ", ".join(f"{sum(1 for (c, _x) in units if c == lv.code)} {lv.name_th}" for lv in levels)
        stdout.write(f"{programme.code}: {counts}; {len(tambons)} reporting units")
    return programme


def _accounts(programme: Programme, levels, units, stdout) -> None:
    from django.utils.text import slugify

    from .demo import DEMO_PASSWORD, DEMO_TOTP_KEY_BASE32

    prefix = slugify(programme.code_stem)
    password = make_password(DEMO_PASSWORD)
    rules = {row["code"]: row for row in programme.definition.get("roles") or []}
    by_level = {lv.code: lv for lv in levels}
    root = next(u for (code, _c), u in units.items() if code == levels[0].code)

    def grant(username: str, role: str, unit, first: str, last: str) -> User:
        user, created = User.objects.get_or_create(
            username=username, defaults={"password": password, "email": f"{username}@example.org",
                                         "first_name": first, "last_name": last},
        )  # fmt: skip
        Membership.objects.get_or_create(user=user, role=role, unit=unit)
        return user

    for code, rule in rules.items():
        level = by_level[rule["level"]]
        if level.depth == 0:
            kind = "admin" if "administer" in rule["may"] else "review"
            user = grant(f"{prefix}-{kind}", code, root, "ผู้ดูแล" if kind == "admin" else "ผู้ตรวจ", level.name_th)
            if kind == "admin":
                TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={
                    "key": base64.b32decode(DEMO_TOTP_KEY_BASE32).hex(), "confirmed": True})  # fmt: skip
            continue
        letter = level.code[0]
        for (lv, unit_code), unit in units.items():
            if lv == level.code and level.depth < len(levels) - 1 or (lv == level.code and len(levels) == 2):
                grant(f"{prefix}-{letter}{unit_code}", code, unit, "เจ้าหน้าที่", f"{level.name_th}{unit.name_th}")


def _plans(programme: Programme, tambons: list[Tambon], rng: random.Random) -> None:
    """Every unit's default lines (wages of its quota each month), and its activity lines planned from its
    allocation: the allocation split over the sub-activities, half of each planned evenly over the year and half
    given to one activity of the plan (target group, quantity and unit; half a year long), planned over its months."""
    from reporting.models import Activity, BudgetLine, CategoryKind, MonthlyAmount
    from reporting.services import budget_plan_init_many

    have = set(BudgetLine.objects.filter(tambon__in=tambons).values_list("tambon_id", flat=True))
    todo = [t for t in tambons if t.pk not in have]
    budget_plan_init_many(tambons=todo)
    months = programme.months()
    lines = list(BudgetLine.objects.filter(tambon__in=todo, category__kind=CategoryKind.ACTIVITY,
                                           activity__isnull=True).select_related("tambon", "category")
                 .order_by("tambon_id", "category__position"))  # fmt: skip
    by_tambon: dict[int, list] = {}
    for line in lines:
        by_tambon.setdefault(line.tambon_id, []).append(line)
    amounts, activities = [], []
    targets = [("ครัวเรือนเป้าหมาย", "ครัวเรือน"), ("ผู้นำชุมชน", "คน"), ("หมู่บ้านเป้าหมาย", "หมู่บ้าน")]
    for group in by_tambon.values():
        budget = group[0].tambon.activity_budget or Decimal(0)
        share = (budget / len(group)).quantize(Decimal(1000), rounding="ROUND_DOWN")
        for index, line in enumerate(group):
            line.total = share
            # half of each sub-activity's budget is one activity of the plan, with its target group
            first, last = months[index % 3], months[min(index % 3 + 5, len(months) - 1)]
            group_name, unit = targets[index % len(targets)]
            activities.append(Activity(
                tambon=line.tambon, category=line.category, name=line.category.name_th, budget=share / 2,
                start_date=dt.date(*first, 1), end_date=dt.date(*last, 28), target_group=group_name,
                target_quantity=rng.choice([20, 35, 50, 120]), target_unit=unit,
            ))  # fmt: skip
            monthly = (share / 2 / len(months)).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
            plans = [monthly] * (len(months) - 1) + [share / 2 - monthly * (len(months) - 1)]
            amounts += [
                MonthlyAmount(line=line, year=y, month=m, plan=p) for (y, m), p in zip(months, plans, strict=True)
            ]
    BudgetLine.objects.bulk_update(lines, ["total"], batch_size=2000)
    Activity.objects.bulk_create(activities, batch_size=2000)
    activity_lines = [BudgetLine(tambon=a.tambon, category=a.category, activity=a, total=a.budget) for a in activities]
    BudgetLine.objects.bulk_create(activity_lines, batch_size=2000)
    for line in activity_lines:
        active = [(y, m) for y, m in months if line.activity.start_date <= dt.date(y, m, 1) <= line.activity.end_date]
        monthly = (line.total / len(active)).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
        plans = [monthly] * (len(active) - 1) + [line.total - monthly * (len(active) - 1)]
        amounts += [MonthlyAmount(line=line, year=y, month=m, plan=p) for (y, m), p in zip(active, plans, strict=True)]
    MonthlyAmount.objects.bulk_create(amounts, batch_size=5000)


def _months(programme: Programme, tambons: list[Tambon]) -> None:
    """The first two months filed by each unit's filer through the services; the first accepted by a reviewer."""
    from pbm.models import ReviewStatus
    from reporting.models import MonthlyReport
    from reporting.selectors import month_lines
    from reporting.services import monthly_report_accept, monthly_report_save

    from . import access

    if MonthlyReport.objects.filter(tambon__in=tambons).exists():
        return
    users = list(User.objects.filter(memberships__unit__programme=programme).distinct())
    months = programme.months()[:2]
    for tambon in tambons:
        filer = next((u for u in users if access.can_edit_tambon(u, tambon) and not access.scope_of(u).national),
                     None)  # fmt: skip
        reviewers = sorted((u for u in users if u != filer and access.can_review_tambon(u, tambon)
                            and not access.scope_of(u).national_admin),
                           key=lambda u: access.scope_of(u).national)  # the nearest level first  # fmt: skip
        reviewer = reviewers[0] if reviewers else None
        if filer is None:
            continue
        for index, (year, month) in enumerate(months):
            actuals = {line.pk: figure.plan for line, figure in month_lines(tambon=tambon, year=year, month=month)
                       if not figure.is_wages}  # fmt: skip
            at = dt.datetime(year, month, 28, 10, tzinfo=dt.UTC)
            report = monthly_report_save(tambon=tambon, year=year, month=month, user=filer, seen_version=None,
                                         actuals=actuals, narrative="ดำเนินงานตามแผน", submit=True, at=at)  # fmt: skip
            if index == 0 and reviewer is not None and report.status == ReviewStatus.SUBMITTED:
                monthly_report_accept(report=report, user=reviewer)


def _period_report(programme: Programme) -> None:
    """The last filing unit's half-year report, written and submitted by its filer through the services: one report
    waiting on the reviewer's list and the pages of half-year and year-end reports."""
    from reporting.deadlines.models import MouPeriod, MouReport
    from reporting.deadlines.services import mou_report_for, mou_report_save

    from . import access
    from .models import Unit

    level = access.filing_level(programme)
    unit = Unit.objects.filter(programme=programme, level=level).order_by("-code").first() if level else None
    if unit is None or MouReport.objects.filter(programme=programme, unit=unit).exists():
        return
    filer = next((u for u in User.objects.filter(memberships__unit__programme=programme).distinct().order_by("pk")
                  if access.can_file_for_unit(u, unit) and not access.scope_of(u).national), None)  # fmt: skip
    if filer is None:
        return
    report = mou_report_for(programme=programme, period=MouPeriod.SIX_MONTH, unit=unit)
    mou_report_save(report=report, user=filer, submit=True, sections={
        "summary": "ดำเนินงานครบทุกพื้นที่ตามแผน", "results": "รายงานประจำเดือนครบถ้วน",
        "problems": "ไม่มีปัญหาสำคัญ", "lessons": "การประสานงานระหว่างหน่วยช่วยให้รายงานตรงเวลา",
        "next_steps": "ติดตามผลต่อเนื่องถึงสิ้นปีงบประมาณ"})  # fmt: skip
