from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Province


class TambonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.all(), required=False, empty_label=_("All provinces")
    )
