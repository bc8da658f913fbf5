from django import forms
from django.utils.translation import gettext_lazy as _

from tambon.models import Tambon

from .models import ClientScope


class ApiClientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("The system that will use it"))
    unit = forms.ChoiceField(label=_("Belongs to"))
    scope = forms.ChoiceField(label=_("Allowed to"), choices=ClientScope.choices)
    tambons = forms.ModelMultipleChoiceField(
        label=_("Tambons it may file for"), queryset=Tambon.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    rate = forms.CharField(label=_("Rate limit"), required=False, max_length=20,
                           help_text=_("e.g. 60/minute; blank: the programme's limit"))  # fmt: skip

    def __init__(self, *args, universities, networks, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(f"u{u.pk}", u.name) for u in universities] + [
            (f"n{n.pk}", n.name) for n in networks
        ]
        self.units = {f"u{u.pk}": ("university", u) for u in universities} | {
            f"n{n.pk}": ("network", n) for n in networks
        }
        self.fields["tambons"].queryset = Tambon.objects.with_place().filter(university__in=universities)

    def service_kwargs(self) -> dict:
        kind, unit = self.units[self.cleaned_data["unit"]]
        return {"name": self.cleaned_data["name"], kind: unit, "scope": self.cleaned_data["scope"],
                "tambons": list(self.cleaned_data["tambons"]), "rate": self.cleaned_data["rate"]}  # fmt: skip
