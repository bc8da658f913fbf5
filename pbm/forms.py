"""Shared form fields: every amount of baht, count and date a person types goes through one of these.

A refused value is shown again as typed (the inputs are type=text, so a browser never drops "80,000" or
"80k" on the way), and each message names the field and says what to write, in the page's language."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import formats


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


def _field_name(field: forms.Field) -> str:
    return str(capfirst(field.label)) if field.label else str(_("This field"))


def _echo(raw: str) -> str:
    """What was typed, quoted back in a message; a pasted page of digits is cut short."""
    return raw if len(raw) <= 40 else raw[:40] + "…"


def _places(number: Decimal) -> int:
    """Digits after the point that matter: 1.500 has 1, 1.505 has 3 (exact, with no rounding context)."""
    _sign, digits, exponent = number.as_tuple()
    while exponent < 0 and digits and digits[-1] == 0:
        digits, exponent = digits[:-1], exponent + 1
    return max(-exponent, 0)


class MoneyInput(forms.TextInput):
    """type=text with inputmode=decimal: phones still show the digit keyboard, and what was typed comes back."""

    inputmode = "decimal"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"inputmode": self.inputmode, "autocomplete": "off", "class": "amount", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return self.show(value)
        return super().format_value(value)

    @staticmethod
    def show(value) -> str:
        return formats.baht(value)


class CountInput(MoneyInput):
    inputmode = "numeric"

    @staticmethod
    def show(value) -> str:
        return formats.number(value)


class MoneyField(forms.Field):
    """An amount of baht as people write it: '80,000', '80000.50', '๘๐,๐๐๐'; at most 2 decimals, never negative,
    at most formats.MONEY_MAX (the models' 14 digits). Blank is None unless required."""

    widget = MoneyInput
    places = formats.MONEY_PLACES
    default_error_messages = {
        "required": _("%(field)s: this is required. Write an amount in baht, e.g. 80,000 (0 when there is none)."),
        "invalid": _("%(field)s: “%(value)s” is not an amount. Write the baht in digits, e.g. 80,000 or 80,000.50."),
        "grouping": _("%(field)s: in “%(value)s” a comma must separate thousands (80,000); write satang after a point, e.g. 80,000.50."),
        "decimal_places": _("%(field)s: “%(value)s” has more than 2 digits after the point. Write at most 2 (satang), e.g. 80,000.50."),
        "negative": _("%(field)s: an amount cannot be negative (“%(value)s”). Write 0 or more, e.g. 80,000."),
        "min_value": _("%(field)s: “%(value)s” is too small. Write at least %(limit)s."),
        "max_value": _("%(field)s: “%(value)s” is too large. Write at most %(limit)s."),
    }  # fmt: skip

    def __init__(self, *, min_value: Decimal | int | None = 0, max_value: Decimal | int | None = None,
                 max_digits: int | None = None, decimal_places: int | None = None, **kwargs) -> None:  # fmt: skip
        # max_digits and decimal_places come from a model's DecimalField (ModelForm); the limits follow them.
        if decimal_places is not None:
            self.places = decimal_places
        if max_value is None:
            digits = max_digits if max_digits is not None else formats.MONEY_MAX_DIGITS
            max_value = Decimal(10) ** (digits - self.places) - Decimal(10) ** -self.places
        self.min_value, self.max_value = min_value, Decimal(max_value)
        for key in ("localize", "step_size"):
            kwargs.pop(key, None)
        super().__init__(**kwargs)

    def show(self, value: Decimal) -> str:
        return formats.baht(value)

    def _error(self, code: str, raw: str = "", **params) -> ValidationError:
        params = {"field": _field_name(self), "value": _echo(raw), **params}
        return ValidationError(self.error_messages[code], code=code, params=params)

    def to_python(self, value) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return Decimal(value)
        raw = str(value).strip()
        try:
            return formats.parse_number(raw)
        except formats.NumberSyntaxError as error:
            raise self._error(error.code, raw) from None

    def clean(self, value) -> Decimal | None:
        raw = "" if value is None else str(value).strip()
        number = self.to_python(value)
        if number is None:
            if self.required:
                raise self._error("required")
            return None
        if number < 0 and self.min_value is not None and self.min_value >= 0:
            raise self._error("negative", raw)
        if self.min_value is not None and number < self.min_value:
            raise self._error("min_value", raw, limit=self.show(Decimal(self.min_value)))
        if number > self.max_value:  # before any arithmetic: 40 typed digits must not overflow the context
            raise self._error("max_value", raw, limit=self.show(self.max_value))
        if _places(number) > self.places:
            raise self._error("decimal_places", raw)
        self.run_validators(number)
        return number.quantize(Decimal(1).scaleb(-self.places)) if self.places else number


# A ModelAdmin whose decimal fields are all baht reads them the same way: formfield_overrides = MONEY_ADMIN.
MONEY_ADMIN = {models.DecimalField: {"form_class": MoneyField}}


class CountField(MoneyField):
    """A whole number people write: '1,200', '๑๒'. Returns an int."""

    widget = CountInput
    places = 0
    default_error_messages = {
        "required": _("%(field)s: this is required. Write a whole number, e.g. 12 (0 when there is none)."),
        "invalid": _("%(field)s: “%(value)s” is not a number. Write a whole number in digits, e.g. 1,200."),
        "grouping": _("%(field)s: in “%(value)s” a comma must separate thousands, e.g. 1,200."),
        "decimal_places": _("%(field)s: “%(value)s” is not a whole number. Write it without a point, e.g. 12."),
        "negative": _("%(field)s: cannot be negative (“%(value)s”). Write 0 or more."),
    }  # fmt: skip

    def __init__(self, *, max_value: int | None = None, **kwargs) -> None:
        kwargs.pop("max_digits", None)
        kwargs.pop("decimal_places", None)
        super().__init__(max_value=max_value if max_value is not None else 2_147_483_647, **kwargs)

    def show(self, value: Decimal) -> str:
        return formats.number(value)

    def clean(self, value) -> int | None:
        number = super().clean(value)
        return None if number is None else int(number)


class DateInput(forms.TextInput):
    """A text box showing the date as people here write it, day/month/Buddhist Era year (25/10/2564), with a small
    BE calendar beside it (static/js/date_be.js). A refused value is shown again as typed."""

    def __init__(self, attrs: dict | None = None) -> None:
        defaults = {"inputmode": "numeric", "autocomplete": "off", "data-date-be": "", "class": "date-be",
                    "placeholder": _("dd/mm/yyyy (BE), e.g. 25/10/2564")}  # fmt: skip
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value) -> str | None:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return formats.date_be_numeric(value)
        return super().format_value(value)


_DMY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class DateField(forms.DateField):
    """A date typed day/month/year with a Buddhist Era year (25/10/2564), in Thai and in English (the app shows
    BE everywhere). A Christian Era year (25/10/2021) is read too: the two ranges (2000–2100 and 2543–2643) never
    overlap, so there is no doubt which was meant. ISO dates (2021-10-25, what scripts and the API send) are CE."""

    widget = DateInput
    min_year, max_year = 2000, 2100
    default_error_messages = {
        "required": _("%(field)s: this is required. Write the day as day/month/year (BE), e.g. 25/10/2564, or pick it in the calendar."),
        "invalid": _("%(field)s: “%(value)s” is not a date. Write day/month/year with a Buddhist Era year, e.g. 25/10/2564, or pick the day in the calendar."),
        "year_range": _("%(field)s: the year %(year)s is out of range. Write a date between %(min)s and %(max)s (Buddhist Era)."),
    }  # fmt: skip

    def _error(self, code: str, **params) -> ValidationError:
        params = {"field": _field_name(self), **params}
        return ValidationError(self.error_messages[code], code=code, params=params)

    def to_python(self, value) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        raw = str(value).translate(formats.THAI_DIGITS).strip()
        if match := _DMY.match(raw):
            day, month, year = (int(part) for part in match.groups())
        elif match := _ISO.match(raw):
            year, month, day = (int(part) for part in match.groups())
        else:
            raise self._error("invalid", value=_echo(str(value)))
        if formats.be_year(self.min_year) <= year <= formats.be_year(self.max_year):
            year = formats.ce_year(year)
        elif not self.min_year <= year <= self.max_year:
            raise self._error("year_range", year=year, min=formats.be_year(self.min_year),
                              max=formats.be_year(self.max_year))  # fmt: skip
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise self._error("invalid", value=_echo(str(value))) from None

    def validate(self, value) -> None:
        if value in self.empty_values and self.required:
            raise self._error("required")


class NotificationSettingsForm(forms.Form):
    """Per kind and channel: at once, daily digest or off; the language of messages sent outside the app; when the
    digest goes out."""

    language = forms.ChoiceField(
        label=_("Language of email and LINE messages"), choices=[("th", "ไทย"), ("en", "English")]
    )
    digest_time = forms.TimeField(label=_("Daily digest at (Bangkok time, HH:MM)"), input_formats=["%H:%M"])

    def __init__(self, *args, modes: dict[tuple[str, str], str], **kwargs):
        from .models import Channel, DeliveryMode, NotificationKind

        super().__init__(*args, **kwargs)
        self.grid = []
        for kind, kind_label in NotificationKind.choices:
            row = []
            for channel, channel_label in Channel.choices:
                name = f"mode_{kind}_{channel}"
                self.fields[name] = forms.ChoiceField(
                    label=f"{kind_label} · {channel_label}",
                    choices=DeliveryMode.choices,
                    initial=modes[(kind, channel)],
                )
                row.append(name)
            self.grid.append((kind_label, [self[name] for name in row]))

    def modes(self) -> dict[tuple[str, str], str]:
        return {
            tuple(name.removeprefix("mode_").rsplit("_", 1)): value
            for name, value in self.cleaned_data.items()
            if name.startswith("mode_")
        }


class CommentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
