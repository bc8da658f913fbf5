from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pbm.forms import VersionField

from .selectors import Row
from .services import ColumnInput, GoalInput, IndicatorInput

NUMBER_FIELDS = (("baseline", _("baseline")), ("target", _("target")), ("value", _("value this quarter")))


class AssessmentForm(forms.Form):
    """One quarterly assessment: a met box and evidence per goal (tambon only), evidence per indicator."""

    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = VersionField()

    def __init__(self, *args, goal_rows: list[Row], indicator_rows: list[Row], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.goal_rows, self.indicator_rows = goal_rows, indicator_rows
        if goal_rows:  # a tambon's assessment: the class rule's other inputs
            self.fields["model_tambon"] = forms.BooleanField(
                label=_("model tambon"), required=False,
                help_text=_("The tambon is self-reliant and serves as a model for others."),
            )  # fmt: skip
            self.fields["income_change_percent"] = forms.DecimalField(
                label=_("income change (%)"), required=False, max_digits=7, decimal_places=2, min_value=-100,
                max_value=10000, help_text=_("Against the baseline; empty: not measured."),
            )  # fmt: skip
        for row in goal_rows:
            pk = row.item.pk
            self.fields[f"goal_{pk}_met"] = forms.BooleanField(required=False, initial=row.met, label=row.item.name)
            self.fields[f"goal_{pk}_evidence"] = forms.CharField(
                required=False, initial=row.evidence, max_length=2000, label=_("evidence"),
                widget=forms.Textarea(attrs={"rows": 1}),
            )  # fmt: skip
        for row in indicator_rows:
            pk = row.item.pk
            self.fields[f"indicator_{pk}"] = forms.CharField(
                required=False, initial=row.evidence, max_length=4000, label=row.item.name,
                widget=forms.Textarea(attrs={"rows": 1}),
            )  # fmt: skip
            self.fields[f"indicator_{pk}_unit"] = forms.CharField(
                required=False, max_length=40, label=_("unit"), initial=getattr(row.result, "unit", "")
            )
            for name, label in NUMBER_FIELDS:
                self.fields[f"indicator_{pk}_{name}"] = forms.DecimalField(
                    required=False, max_digits=14, decimal_places=2, label=label,
                    initial=getattr(row.result, name, None), widget=forms.NumberInput(attrs={"step": "any"}),
                )  # fmt: skip

    def goal_lines(self):
        return [(r.item, self[f"goal_{r.item.pk}_met"], self[f"goal_{r.item.pk}_evidence"]) for r in self.goal_rows]

    def indicator_lines(self):
        return [
            (r.item, self[f"indicator_{r.item.pk}"],
             [self[f"indicator_{r.item.pk}_{name}"] for name in ("unit", *(n for n, _l in NUMBER_FIELDS))])
            for r in self.indicator_rows
        ]  # fmt: skip

    def goal_inputs(self) -> dict[int, GoalInput]:
        data = self.cleaned_data
        return {
            r.item.pk: GoalInput(met=data[f"goal_{r.item.pk}_met"], evidence=data[f"goal_{r.item.pk}_evidence"])
            for r in self.goal_rows
        }

    def class_inputs(self) -> dict:
        if "model_tambon" not in self.fields:
            return {}
        data = self.cleaned_data
        return {"model_tambon": data["model_tambon"], "income_change_percent": data["income_change_percent"]}

    def indicator_inputs(self) -> dict[int, IndicatorInput]:
        data = self.cleaned_data
        return {
            r.item.pk: IndicatorInput(
                evidence=data[f"indicator_{r.item.pk}"],
                unit=data[f"indicator_{r.item.pk}_unit"],
                **{name: data[f"indicator_{r.item.pk}_{name}"] for name, _l in NUMBER_FIELDS},
            )  # fmt: skip
            for r in self.indicator_rows
        }


class HouseholdImportForm(forms.Form):
    file = forms.FileField(
        label=_("TPMAP households (CSV)"),
        help_text=_("Columns: household, health, education, income, living, access; each dimension pass or fail."),
    )


def parse_activity_grid(post, *, goal_ids: list[int], indicator_ids: list[int]) -> list[ColumnInput]:
    """The activity form posts col-<i>-kind, col-<i>-activity (a reporting activity id) or col-<i>-name (free
    text), col-<i>-goal-<goal id>, col-<i>-ind-<indicator id>.

    A blank activity column (no name, nothing filled) is dropped: it is the empty "add an activity" column."""
    columns = []
    indexes = sorted({int(k.split("-")[1]) for k in post if k.startswith("col-") and k.split("-")[1].isdigit()})
    for i in indexes:
        prefix = f"col-{i}-"
        column = ColumnInput(
            kind=post.get(prefix + "kind", ""),
            activity_name=post.get(prefix + "name", ""),
            activity_id=int(post[prefix + "activity"]) if post.get(prefix + "activity", "").isdigit() else None,
            goal_marks={g: post.get(f"{prefix}goal-{g}", "") for g in goal_ids if post.get(f"{prefix}goal-{g}")},
            indicator_notes={n: post.get(f"{prefix}ind-{n}", "") for n in indicator_ids if post.get(f"{prefix}ind-{n}", "").strip()},
        )  # fmt: skip
        blank = not (column.activity_name.strip() or column.goal_marks or column.indicator_notes)
        if column.kind == "activity" and not column.activity_id and blank:
            continue
        columns.append(column)
    return columns


class ImpactReportForm(forms.Form):
    version = VersionField()
    summary = forms.CharField(label=_("summary of the twelve months"), required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))  # fmt: skip
    impact = forms.CharField(label=_("impact on the tambon and its people"), required=False,
                             widget=forms.Textarea(attrs={"rows": 5}))  # fmt: skip
    evidence = forms.CharField(label=_("evidence (documents, photos, links)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    households_surveyed = forms.IntegerField(label=_("households surveyed (TPMAP)"), required=False, min_value=0,
                                             max_value=10_000_000)  # fmt: skip
    households_in_need_before = forms.IntegerField(label=_("households in need before"), required=False, min_value=0,
                                                   max_value=10_000_000)  # fmt: skip
    households_in_need_after = forms.IntegerField(label=_("households in need after"), required=False, min_value=0,
                                                  max_value=10_000_000)  # fmt: skip

    def __init__(self, *args, tambon_report: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not tambon_report:  # the network's household change is the sum of its tambons'
            for name in ("households_surveyed", "households_in_need_before", "households_in_need_after"):
                del self.fields[name]

    def sections(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in ("summary", "impact", "evidence")}

    def households(self) -> dict | None:
        names = ("households_surveyed", "households_in_need_before", "households_in_need_after")
        return {n: self.cleaned_data[n] for n in names} if "households_surveyed" in self.fields else None
