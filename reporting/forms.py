from decimal import Decimal

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from pbm.formats import month_label
from pbm.forms import CountField, DateField, MoneyField, MoneyInput, VersionField

from .evidence import CONTENT_TYPES
from .models import Activity, BudgetCategory, CategoryKind, ExpenseType


class LinePlanForm(forms.Form):
    """A line's monthly plan, one field per programme month (the PBM "🔍" dialog), plus total and explanation."""

    version = VersionField()
    total = MoneyField(label=_("Total budget"), required=False)
    explanation = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, months, with_total: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_total:
            del self.fields["total"]
        self.months = months
        for year, month in months:
            self.fields[f"plan_{year}_{month}"] = MoneyField(label=month_label(year, month), required=False)

    def plans(self) -> dict[tuple[int, int], Decimal | None]:
        return {(y, m): self.cleaned_data.get(f"plan_{y}_{m}") for y, m in self.months}

    def month_fields(self):
        return [self[f"plan_{y}_{m}"] for y, m in self.months]


class ActivityForm(forms.ModelForm):
    version = VersionField(required=False)  # required when editing an existing activity (see __init__)

    class Meta:
        model = Activity
        fields = ["category", "name", "expense_type", "budget", "start_date", "end_date", "target_group",
                  "target_quantity", "target_unit"]  # fmt: skip
        field_classes = {"budget": MoneyField, "start_date": DateField, "end_date": DateField,
                         "target_quantity": CountField}  # fmt: skip

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = BudgetCategory.objects.filter(
            programme=programme, kind="activity", parent__isnull=False
        )
        if self.instance.pk:
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version
        # Not-funded types stay in the list so that choosing one is refused with the rule quoted.
        self.fields["expense_type"].queryset = ExpenseType.objects.filter(programme=programme)


class MultipleFileInput(forms.ClearableFileInput):
    """Several files at once; on a phone the picker offers the camera too (images first, then the documents the
    evidence check accepts)."""

    allow_multiple_selected = True

    def __init__(self, attrs: dict | None = None) -> None:
        accept = ",".join(["image/*", *(f".{extension}" for extension in CONTENT_TYPES)])
        super().__init__({"accept": accept, **(attrs or {})})


class MultipleFileField(forms.FileField):
    """Several evidence files at once; each is checked by the service (type by content, size)."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class AmountInput(MoneyInput):
    """MoneyInput written without the template engine, the same HTML as Django's input.html: a month's form holds
    an actual per line and, per activity line, an amount per expense type (~60 boxes), and a template per box was
    most of the page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = format_html('<input type="{}" name="{}"', widget["type"], widget["name"])
        if widget["value"] is not None:
            html += format_html(' value="{}"', widget["value"])
        for key, given in widget["attrs"].items():
            if given is True:
                html += format_html(" {}", key)
            elif given is not False:
                html += format_html(' {}="{}"', key, given)
        return mark_safe(html + ">")  # noqa: S308 - every part above went through format_html


class MonthlyReportForm(forms.Form):
    version = VersionField()
    narrative = forms.CharField(
        label=_("Progress this month"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    over_budget_explanation = forms.CharField(
        label=_("Over-budget explanation"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text=_("Needed only when a line's cumulative actual goes above its total; reviewers see it flagged."),
    )  # fmt: skip
    evidence = MultipleFileField(label=_("Evidence files"), required=False, widget=MultipleFileInput())

    def __init__(self, *args, lines, expense_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.line_ids, self.split_ids, self.expense_types = [], [], list(expense_types)
        for line, figure in lines:
            if figure.is_wages:
                continue  # hiring actuals come from the roster's accepted work
            self.fields[f"actual_{line.pk}"] = MoneyField(label=line.label, required=False, widget=AmountInput)
            self.line_ids.append(line.pk)
            if line.category.kind == CategoryKind.ACTIVITY and self.expense_types:
                self.split_ids.append(line.pk)
                for kind in self.expense_types:  # the funded ones; the service refuses any other
                    self.fields[f"split_{line.pk}_{kind.pk}"] = MoneyField(label=f"{line.label} · {kind.name}",
                                                                           required=False, widget=AmountInput)  # fmt: skip

    def actuals(self) -> dict[int, Decimal | None]:
        return {pk: self.cleaned_data.get(f"actual_{pk}") for pk in self.line_ids}

    def splits(self) -> dict[int, dict[int, Decimal | None]]:
        return {pk: {k.pk: self.cleaned_data.get(f"split_{pk}_{k.pk}") for k in self.expense_types}
                for pk in self.split_ids}  # fmt: skip

    def split_fields(self, line_id: int) -> list:
        """(expense type, its box) for the line, when it is split."""
        return [(k, self[f"split_{line_id}_{k.pk}"]) for k in self.expense_types] if line_id in self.split_ids else []
