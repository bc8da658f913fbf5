import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from pbm.forms import CountField, DateField, MoneyField, VersionField

from ..forms import MultipleFileField, MultipleFileInput
from .models import PARTICIPANT_UNITS, MouReport


class ActivityCompleteForm(forms.Form):
    completed_on = DateField(label=_("Completed on"), initial=dt.date.today)


class CompletionReportForm(forms.Form):
    version = VersionField()
    results = forms.CharField(label=_("Results"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    files = MultipleFileField(label=_("Photos and files"), required=False, widget=MultipleFileInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for unit, label in PARTICIPANT_UNITS:
            self.fields[f"participants_{unit}"] = CountField(label=label, required=False)

    def participants(self) -> dict[str, int | None]:
        return {unit: self.cleaned_data.get(f"participants_{unit}") for unit, _label in PARTICIPANT_UNITS}

    def participant_fields(self):
        return [self[f"participants_{unit}"] for unit, _label in PARTICIPANT_UNITS]


class MouReportForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = MouReport
        fields = list(MouReport.SECTIONS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in MouReport.SECTIONS}


class UnitReportForm(forms.Form):
    version = VersionField()
    narrative = forms.CharField(label=_("Work and management this month"), widget=forms.Textarea(attrs={"rows": 5}),
                                required=False)  # fmt: skip
    management_actual = MoneyField(label=_("The unit's own management spending this month"), required=False)
