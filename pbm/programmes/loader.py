"""Write a validated programme definition (definition.py) to the database: the Programme and every reference
row that hangs off it, in one transaction, idempotently.

Rows are matched by their natural key (hiring type and category codes, goal numbers, indicator level and number,
class codes, the Thai name of an expense type). A row the file no longer lists is deleted only when no filed data
refers to it; otherwise the whole load is refused, naming what holds the row. Shrinking the programme's months
is refused the same way when reports, planned or actual amounts or accepted work fall in the months removed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils.translation import gettext as _


class LoadRefused(Exception):
    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("\n".join(reasons))


@dataclass
class LoadResult:
    created: bool = False
    changes: list[str] = field(default_factory=list)


def load(data: dict[str, Any], *, dry_run: bool = False) -> LoadResult:
    """Create or update the programme of `data`; with dry_run, report the changes and write nothing."""
    with transaction.atomic():
        result = _Loader(data).run()
        if dry_run:
            transaction.set_rollback(True)
    return result


def as_json(data: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _holders(obj: models.Model) -> list[str]:
    """“3 budget lines” for every kind of row that refers to obj."""
    found = []
    for rel in obj._meta.get_fields(include_hidden=True):  # related_name="+" relations are hidden
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        n = rel.related_model._base_manager.filter(**{rel.field.name: obj}).count()
        if n:
            found.append(f"{n} {rel.related_model._meta.verbose_name_plural}")
    return found


class _Loader:
    def __init__(self, data: dict[str, Any]):
        self.d = data
        self.result = LoadResult()
        self.refusals: list[str] = []

    def note(self, text: str) -> None:
        self.result.changes.append(text)

    def run(self) -> LoadResult:
        from tambon.models import Programme

        d = self.d
        defaults = {
            "name_th": d["name"]["th"], "name_en": d["name"]["en"] or "", "start_date": d["months"]["start"],
            "end_date": d["months"]["end"], "is_current": bool(d["current"]), "definition": as_json(d),
        }  # fmt: skip
        programme = Programme.objects.select_for_update().filter(code=d["code"]).first()
        if programme is None:
            self.result.created = True
        else:
            self._check_months(programme)
        if defaults["is_current"]:
            for other in Programme.objects.filter(is_current=True).exclude(code=d["code"]):
                Programme.objects.filter(pk=other.pk).update(is_current=False)
                self.note(_("programme %(code)s is no longer the current one") % {"code": other.code})
        programme = self.upsert(Programme, {"code": d["code"]}, defaults, _("programme %(code)s") % {"code": d["code"]})
        self.p = programme
        self.unit_levels()
        self.settings()
        hiring = self.hiring_types()
        self.categories(hiring)
        self.expense_types()
        self.assessment()
        self.targets()
        if self.refusals:
            raise LoadRefused(self.refusals)
        return self.result

    # --- generic upsert / remove ------------------------------------------------------------------------------

    def upsert(self, model: type[models.Model], key: dict, values: dict, label: str, was: dict | None = None):
        obj = model._base_manager.filter(**key).first()
        if obj is None:
            obj = model._base_manager.create(**key, **values)
            self.note(_("added %(what)s") % {"what": label})
            return obj
        changed = []
        for name, value in values.items():
            attname = model._meta.get_field(name).attname
            if isinstance(value, models.Model):
                value = value.pk
            old = getattr(obj, attname)
            if old == value:
                continue
            if isinstance(value, dict):
                keys = sorted(k for k in {*old, *value} if old.get(k) != value.get(k))
                changed.append(_("%(field)s sections %(keys)s") % {"field": name, "keys": ", ".join(keys)})
            else:
                changed.append(f"{name}: {_show((was or {}).get(name, old))} → {_show(value)}")
            setattr(obj, attname, value)
        if changed:
            obj.save(update_fields=list(values))
            self.note(_("changed %(what)s: %(fields)s") % {"what": label, "fields": "; ".join(changed)})
        return obj

    def remove_unlisted(self, queryset: models.QuerySet, keep: set, key, label) -> None:
        for obj in queryset:
            if key(obj) in keep:
                continue
            holders = _holders(obj)
            if holders:
                self.refusals.append(_("%(what)s is no longer in the file but is held by %(holders)s; keep it in the "
                                       "file, or move that data first.")
                                     % {"what": label(obj), "holders": ", ".join(holders)})  # fmt: skip
            else:
                obj.delete()
                self.note(_("removed %(what)s") % {"what": label(obj)})

    # --- sections -----------------------------------------------------------------------------------------------

    def _check_months(self, programme) -> None:
        from reporting.models import MonthlyAmount, MonthlyReport
        from tambon.roster.models import WorkAcceptance

        start, end = self.d["months"]["start"], self.d["months"]["end"]
        outside = ~(models.Q(year__gt=start.year) | models.Q(year=start.year, month__gte=start.month)) | ~(
            models.Q(year__lt=end.year) | models.Q(year=end.year, month__lte=end.month)
        )
        held = [
            (MonthlyReport, MonthlyReport.objects.filter(tambon__programme=programme)),
            (MonthlyAmount, MonthlyAmount.objects.filter(line__tambon__programme=programme)),
            (WorkAcceptance, WorkAcceptance.objects.filter(contract__tambon__programme=programme)),
        ]
        found = [f"{n} {model._meta.verbose_name_plural}" for model, qs in held if (n := qs.filter(outside).count())]
        if found:
            self.refusals.append(_("the months %(start)s – %(end)s leave out months that hold %(holders)s; keep "
                                   "those months in the programme.")
                                 % {"start": start, "end": end, "holders": ", ".join(found)})  # fmt: skip

    def settings(self) -> None:
        from reporting.deadlines.models import DeadlineSettings
        from reporting.models import ProgrammeSettings

        d, p = self.d, self.p
        monthly = d["reporting"]["monthly"]
        self.upsert(ProgrammeSettings, {"programme": p}, {
            "due_day": monthly["due_day"], "activity_budget": d["budget_per_unit"]["activity"],
            "management_budget": d["budget_per_unit"]["management"], "evidence_max_mb": d["evidence_max_mb"],
            "not_funded_rule": d["not_funded_rule"],
        }, _("reporting settings"))  # fmt: skip
        fixed = {row["report"]: row["due"] for row in d["reporting"]["fixed_dates"]}
        instalments = {row["number"]: row for row in d["instalments"]}
        days = sorted(set(monthly["remind_days_before"]), reverse=True)
        current = DeadlineSettings.objects.filter(programme=p).first()
        reminder = ",".join(map(str, days))
        if current is not None and current.days_before == days:
            reminder = current.reminder_days_before  # same days, written differently: no change
        self.upsert(DeadlineSettings, {"programme": p}, {
            "reminder_days_before": reminder, "escalation_days_after": monthly["escalate_days_after"],
            "completion_report_days": d["reporting"]["after_activity"]["due_days"],
            "completion_reminder_days": d["reporting"]["after_activity"]["remind_days_after"],
            "mou_6_month_due": fixed["mou_6_month"], "mou_12_month_due": fixed["mou_12_month"],
            "instalment_share": instalments[1]["share"], "instalment_2_month": instalments[2]["month"],
        }, _("deadline settings"))  # fmt: skip

    def unit_levels(self) -> None:
        """The tree's levels by code; a level that units stand on keeps its code (move the units first)."""
        from tambon.models import UnitLevel
        from tambon.units import levels_sync

        wanted = {row["code"] for row in self.d["unit_levels"]}
        before = {lv.code: (lv.depth, lv.name_th) for lv in UnitLevel.objects.filter(programme=self.p)}
        self.remove_unlisted(UnitLevel.objects.filter(programme=self.p), wanted, lambda o: o.code,
                             lambda o: _("unit level %(code)s") % {"code": o.code})  # fmt: skip
        depth = {row["code"]: row["depth"] for row in self.d["unit_levels"]}
        for level in UnitLevel.objects.filter(programme=self.p, code__in=wanted).exclude(units=None):
            if level.depth != depth[level.code]:
                self.refusals.append(_("unit level %(code)s holds units at depth %(was)s; it cannot move to depth "
                                       "%(depth)s.") % {"code": level.code, "was": level.depth,
                                                        "depth": depth[level.code]})  # fmt: skip
        if self.refusals:
            return
        # depths are unique per programme: park the changing ones before writing the new depths
        UnitLevel.objects.filter(programme=self.p, code__in=wanted).update(depth=models.F("depth") + 100)
        for code, level in levels_sync(self.p).items():
            if before.get(code) != (level.depth, level.name_th):
                self.note(_("unit level %(code)s at depth %(depth)s") % {"code": code, "depth": level.depth})

    def hiring_types(self) -> dict:
        from tambon.models import HiringType

        out = {}
        for position, row in enumerate(self.d["hiring_types"], start=1):
            out[row["code"]] = self.upsert(HiringType, {"programme": self.p, "code": row["code"]}, {
                "position": position, "name_th": row["name"]["th"], "name_en": row["name"]["en"] or "",
                "monthly_rate": row["monthly_wage"], "quota_per_tambon": row["quota_per_unit"],
            }, _("hiring type %(code)s") % {"code": row["code"]})  # fmt: skip
        self._remove_hiring = lambda: self.remove_unlisted(
            HiringType.objects.filter(programme=self.p), set(out), lambda o: o.code,
            lambda o: _("hiring type %(code)s") % {"code": o.code},
        )  # fmt: skip
        return out

    def categories(self, hiring: dict) -> None:
        from reporting.models import BudgetCategory

        seen: dict[str, Any] = {}
        for row in self.d["budget_categories"]:
            seen[row["code"]] = self.upsert(BudgetCategory, {"programme": self.p, "code": row["code"]}, {
                "parent": seen.get(row["parent"]), "position": row["position"], "kind": row["kind"],
                "letter": row["letter"] or "", "hiring_type": hiring.get(row["hiring_type"]),
                "name_th": row["name"]["th"], "name_en": row["name"]["en"] or "",
            }, _("budget category %(code)s") % {"code": row["code"]})  # fmt: skip
        # leaves before their groups, then the hiring types the removed categories pointed to
        self.remove_unlisted(
            BudgetCategory.objects.filter(programme=self.p).order_by(models.F("parent").asc(nulls_last=True)),
            set(seen), lambda o: o.code, lambda o: _("budget category %(code)s") % {"code": o.code},
        )  # fmt: skip
        self._remove_hiring()

    def expense_types(self) -> None:
        from reporting.models import ExpenseType

        names, positions = set(), {True: 0, False: 0}
        for row in self.d["expense_types"]:
            positions[row["funded"]] += 1
            names.add(row["name"]["th"])
            self.upsert(ExpenseType, {"programme": self.p, "name_th": row["name"]["th"]}, {
                "name_en": row["name"]["en"] or "", "position": positions[row["funded"]], "funded": row["funded"],
            }, _("expense type %(name)s") % {"name": row["name"]["th"]})  # fmt: skip
        self.remove_unlisted(ExpenseType.objects.filter(programme=self.p), names, lambda o: o.name_th,
                             lambda o: _("expense type %(name)s") % {"name": o.name_th})  # fmt: skip

    def assessment(self) -> None:
        from assessment.models import ClassBand, Goal, Indicator

        p = self.p
        for row in self.d["goals"]:
            self.upsert(Goal, {"programme": p, "number": row["number"]}, {
                "name_th": row["name"]["th"], "name_en": row["name"]["en"] or "", "detail_th": row["detail_th"] or "",
            }, _("goal %(n)s") % {"n": row["number"]})  # fmt: skip
        self.remove_unlisted(Goal.objects.filter(programme=p), {r["number"] for r in self.d["goals"]},
                             lambda o: o.number, lambda o: _("goal %(n)s") % {"n": o.number})  # fmt: skip
        for row in self.d["indicators"]:
            self.upsert(Indicator, {"programme": p, "level": row["level"], "number": row["number"]}, {
                "name_th": row["name"]["th"], "name_en": row["name"]["en"] or "", "hint_th": row["hint_th"] or "",
            }, _("indicator %(level)s %(n)s") % {"level": row["level"].upper(), "n": row["number"]})  # fmt: skip
        self.remove_unlisted(
            Indicator.objects.filter(programme=p), {(r["level"], r["number"]) for r in self.d["indicators"]},
            lambda o: (o.level, o.number),
            lambda o: _("indicator %(level)s %(n)s") % {"level": o.level.upper(), "n": o.number},
        )  # fmt: skip
        codes = {r["code"] for r in self.d["class_bands"]}
        self.remove_unlisted(ClassBand.objects.filter(programme=p), codes, lambda o: o.code,
                             lambda o: _("tambon class %(code)s") % {"code": o.code})  # fmt: skip
        # ranks are unique per programme: park the changing ones out of the way before writing the new ranks
        wanted = {r["code"]: r["rank"] for r in self.d["class_bands"]}
        moving = ClassBand.objects.filter(programme=p, code__in=codes).exclude(
            pk__in=[b.pk for b in ClassBand.objects.filter(programme=p) if wanted.get(b.code) == b.rank]
        )
        was = {}
        for offset, band in enumerate(moving):
            was[band.code] = {"rank": band.rank}
            ClassBand.objects.filter(pk=band.pk).update(rank=1000 + offset)
        for row in self.d["class_bands"]:
            self.upsert(ClassBand, {"programme": p, "code": row["code"]}, {
                "rank": row["rank"], "name_th": row["name"]["th"], "name_en": row["name"]["en"] or "",
                "min_goals": row["min_goals"], "max_goals": row["max_goals"], "target_share": row["target_share"],
            }, _("tambon class %(code)s") % {"code": row["code"]}, was.get(row["code"]))  # fmt: skip

    def targets(self) -> None:
        """Today's DisbursementTarget is one set of four quarters for every fiscal year (the schema checks the
        file's fiscal years agree)."""
        from reporting.dashboard.models import DisbursementTarget

        shares = self.d["disbursement_targets"][0]["cumulative_percent"]
        for quarter, share in enumerate(shares, start=1):
            self.upsert(DisbursementTarget, {"programme": self.p, "quarter": quarter}, {"cumulative_share": share},
                        _("disbursement target Q%(q)s") % {"q": quarter})  # fmt: skip


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, str) and len(value) > 60:
        return value[:57] + "…"
    return str(value)
