from django import forms
from django.utils.translation import gettext_lazy as _


class VersionField(forms.IntegerField):
    """The version of the object the page was rendered with; a missing one is refused like a stale one, and
    nothing is written (the services compare it with the stored version)."""

    widget = forms.HiddenInput
    default_error_messages = {
        "required": _("This page is out of date (its version is missing). Reload the page and try again."),
        "invalid": _("This page is out of date (its version is missing). Reload the page and try again."),
    }


class ReviewForm(forms.Form):
    """Accept, return or reopen a reviewable; `version` is what the reviewer saw (a stale page is refused). A step
    without it is still guarded by the status it expects (only a submitted report is accepted or returned)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    action = forms.ChoiceField(choices=[("accept", "accept"), ("return", "return"), ("reopen", "reopen")])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
