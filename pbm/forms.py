from django import forms
from django.utils.translation import gettext_lazy as _


class ReviewForm(forms.Form):
    """Accept, return or reopen a reviewable; `version` is what the reviewer saw (a stale page is refused)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    action = forms.ChoiceField(choices=[("accept", "accept"), ("return", "return"), ("reopen", "reopen")])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
