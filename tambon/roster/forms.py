from django import forms
from django.utils.translation import gettext_lazy as _

from pbm.formats import month_label
from pbm.forms import CountField, DateField

from .models import Contract, SkillArea
from .services.jobs import roster_upload_check
from .services.rules import TEXT_MAX


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Hiring sheet (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def clean_file(self):
        """Refused here, before the view stores it: a file over the limit or that is no workbook at all."""
        upload = self.cleaned_data["file"]
        roster_upload_check(upload)
        return upload


class VersionTokenField(forms.CharField):
    """When the contract was last changed, as the page saw it; a missing or stale one is refused (reload)."""

    widget = forms.HiddenInput
    default_error_messages = {
        "required": _("This page is out of date (its version is missing). Reload the page and try again."),
    }


class ResignForm(forms.Form):
    notice_date = DateField(label=_("Notice given on"))
    last_day = DateField(label=_("Last working day"))
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class TerminateForm(forms.Form):
    last_day = DateField(label=_("Last working day"))
    reason = forms.CharField(label=_("Reason"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class ReplaceForm(forms.Form):
    reserve = forms.ModelChoiceField(label=_("Reserve"), queryset=Contract.objects.none())
    start_date = DateField(label=_("Starts on"))

    def __init__(self, *args, reserves=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reserve"].queryset = reserves
        self.fields["reserve"].label_from_instance = lambda c: f"{c.reserve_rank or '–'}. {c.person.full_name}"
        if reserves is not None and reserves.exists():
            self.fields["reserve"].initial = reserves.first().pk  # the next in order


class DigitizeForm(forms.Form):
    user_agency = forms.CharField(label=_("User agency"), max_length=200)
    nda_required = forms.BooleanField(label=_("NDA required"), required=False)


class TrainingForm(forms.Form):
    skill_area = forms.ModelChoiceField(label=_("Skill area"), queryset=SkillArea.objects.all())
    completed_on = DateField(label=_("Completed on"))
    passed = forms.BooleanField(label=_("Passed"), required=False, initial=True)
    hours = CountField(label=_("Hours"), max_value=1000, initial=0)


class AcceptForm(forms.Form):
    month = forms.ChoiceField(label=_("Month"))
    contracts = forms.ModelMultipleChoiceField(
        label=_("People"), queryset=Contract.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    evaluation_passed = forms.BooleanField(label=_("Evaluation passed"), required=False, initial=True)

    def __init__(self, *args, programme=None, hired=None, month: tuple[int, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(f"{y}-{m}", month_label(y, m)) for y, m in programme.months()]
        if month is not None:
            self.fields["month"].initial = "{}-{}".format(*month)
        self.fields["contracts"].queryset = hired
        self.fields["contracts"].label_from_instance = lambda c: f"{c.person.full_name} · {c.hiring_type.name}"

    def year_month(self) -> tuple[int, int]:
        year, month = self.cleaned_data["month"].split("-")
        return int(year), int(month)
