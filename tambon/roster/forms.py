from django import forms
from django.utils.translation import gettext_lazy as _

from pbm.formats import month_label
from pbm.forms import CountField, DateField, MoneyField

from .models import Contract, Residency, SkillArea
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


class EligibilityForm(forms.Form):
    residency = forms.ChoiceField(label=_("Residency"), choices=[("", "—"), *Residency.choices], required=False)
    unemployed = forms.BooleanField(label=_("Unemployed"), required=False)
    no_other_state_wage = forms.BooleanField(label=_("No other state wage or state hiring aid"), required=False)
    enrolled_institution = forms.CharField(label=_("Enrolled at (institution)"), max_length=200, required=False)
    enrolment_verified = forms.BooleanField(label=_("Enrolment verified"), required=False)
    graduated_on = DateField(label=_("Graduation date"), required=False)

    def answers(self) -> dict:
        return {k: self.cleaned_data[k] for k in ELIGIBILITY_FIELDS}


ELIGIBILITY_FIELDS = ("residency", "unemployed", "no_other_state_wage", "enrolled_institution", "enrolment_verified",
                      "graduated_on")  # fmt: skip


class ReplaceForm(EligibilityForm):
    """The reserve hired in the place, and their eligibility checked as they are hired."""

    reserve = forms.ModelChoiceField(label=_("Reserve"), queryset=Contract.objects.none())
    start_date = DateField(label=_("Starts on"))
    passed_over_reason = forms.CharField(
        label=_("Why a reserve ranked higher is passed over (only when not hiring the next in rank)"), required=False,
        max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    field_order = ["reserve", "start_date", "passed_over_reason", *ELIGIBILITY_FIELDS]

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

    def __init__(self, *args, programme=None, hired=None, month: tuple[int, int] | None = None,
                 reports: dict[int, int] | None = None, **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(f"{y}-{m}", month_label(y, m)) for y, m in programme.months()]
        if month is not None:
            self.fields["month"].initial = "{}-{}".format(*month)
        self.fields["contracts"].queryset = hired

        shown = month_label(*month) if month is not None else ""

        def label(c: Contract) -> str:  # what acceptance reads: the person's work report of the proposed month
            if reports is None:
                return f"{c.person.full_name} · {c.hiring_type.name}"
            report = (_("work report of %(month)s: %(n)s days") % {"month": shown, "n": reports[c.pk]}
                      if c.pk in reports else _("no work report for %(month)s") % {"month": shown})  # fmt: skip
            return f"{c.person.full_name} · {c.hiring_type.name} · {report}"

        self.fields["contracts"].label_from_instance = label

    def year_month(self) -> tuple[int, int]:
        year, month = self.cleaned_data["month"].split("-")
        return int(year), int(month)


# --- the hiring chain (issue #15) ---------------------------------------------------------------------------


class DateRangeForm(forms.Form):
    start = DateField(label=_("From"))
    end = DateField(label=_("To"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end of the range is before its start."))
        return data


def _month_choices(programme) -> list[tuple[str, str]]:
    return [(f"{y}-{m}", month_label(y, m)) for y, m in programme.months()]


class MonthField(forms.ChoiceField):
    """A month of the programme, as 'year-month'; cleaned to (year, month)."""

    def __init__(self, *, programme, **kwargs):
        super().__init__(choices=_month_choices(programme), **kwargs)

    def clean(self, value):
        year, month = super().clean(value).split("-")
        return int(year), int(month)


class WageTransferForm(forms.Form):
    month = forms.ChoiceField(label=_("Wages of"))
    amount = MoneyField(label=_("Amount (baht)"))
    transferred_on = DateField(label=_("Transferred on"))
    reference = forms.CharField(label=_("Reference"), max_length=60)

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"] = MonthField(programme=programme, label=_("Wages of"))


class WagePaymentForm(forms.Form):
    """Pay the month's accepted wages to everyone whose work was accepted (the amounts work acceptance fixed)."""

    month = forms.ChoiceField(label=_("Wages of"))
    paid_on = DateField(label=_("Paid on"))
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"] = MonthField(programme=programme, label=_("Wages of"))


class WageCorrectionForm(WagePaymentForm):
    """What one person was actually paid for a month, where it differs from the wage due."""

    contract = forms.ModelChoiceField(label=_("Person"), queryset=Contract.objects.none())
    amount = MoneyField(label=_("Amount paid (baht)"), max_digits=10)

    def __init__(self, *args, contracts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts
        self.fields["contract"].label_from_instance = lambda c: f"{c.person.full_name} · {c.tambon.subdistrict.name}"


class InstalmentForm(forms.Form):
    recipient = forms.ChoiceField(label=_("Paid to"))
    number = forms.TypedChoiceField(label=_("Instalment"), coerce=int)
    amount = MoneyField(label=_("Amount (baht)"))
    paid_on = DateField(label=_("Paid on"))
    reference = forms.CharField(label=_("Reference"), max_length=60)

    def __init__(self, *args, programme=None, networks=(), universities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = [(f"n{n.pk}", str(n)) for n in networks] + [
            (f"u{u.pk}", u.name) for u in universities
        ]
        from .services.eligibility import definition_of

        numbers = [i["number"] for i in definition_of(programme).get("instalments", [])] or [1]
        self.fields["number"].choices = [(n, n) for n in numbers]


class WorkReportForm(forms.Form):
    tasks = forms.CharField(label=_("Tasks done"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    days_worked = CountField(label=_("Days worked"), max_value=31)
    evidence = forms.CharField(label=_("Evidence (links, photos, documents)"), max_length=TEXT_MAX, required=False,
                               widget=forms.Textarea(attrs={"rows": 1}))  # fmt: skip


class PersonalReportForm(WorkReportForm):
    """The person's own report through their personal link: one of their open months."""

    month = forms.ChoiceField(label=_("Month"))
    field_order = ["month", "tasks", "days_worked", "evidence"]

    def __init__(self, *args, months: list[tuple[int, int]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(f"{y}-{m}", month_label(y, m)) for y, m in months]
        if months:
            self.fields["month"].initial = "{}-{}".format(*months[-1])

    def year_month(self) -> tuple[int, int]:
        year, month = self.cleaned_data["month"].split("-")
        return int(year), int(month)
