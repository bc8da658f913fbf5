"""Two-factor for NSI admins (django-otp, TOTP): after the password, a 6-digit code from an authenticator app.

An NSI admin (or superuser) whose session is not verified is sent to the verify page, or to the enrol page when
they have no confirmed device yet, before any other page; the API answers 403 for such a session, and the token
endpoint asks them for a code too. Lost phone: another NSI admin deletes the device in the admin (TOTP devices),
and the next login enrols a new one."""

from __future__ import annotations

import base64
from urllib.parse import quote

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tambon import access

# pages an unverified NSI admin may still open: the two-factor pages themselves, logging out, the language switch
EXEMPT_URL_NAMES = frozenset({
    "two_factor_verify", "two_factor_enrol", "login", "logout", "set_language", "health",
    "admin:login", "admin:logout",
})  # fmt: skip


def required_for(user) -> bool:
    return bool(user is not None and user.is_authenticated and access.is_national_admin(user))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def verify_code(user, code: str) -> bool:
    device = confirmed_device(user)
    return device is not None and device.verify_token(_clean(code))


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "")


def _exempt(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in EXEMPT_URL_NAMES


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if required_for(user) and not user.is_verified() and not _exempt(request):
            if request.path_info.startswith("/api/"):
                message = _("NSI admins confirm a two-factor code on the website before using the API in the browser.")
                return JsonResponse({"detail": message}, status=403)
            target = "two_factor_verify" if confirmed_device(user) else "two_factor_enrol"
            return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("6-digit code"), max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )  # fmt: skip


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    device = confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('two_factor_enrol')}?next={quote(_next_url(request))}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(_clean(form.cleaned_data["code"])):
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", _("Wrong or expired code: type the code your authenticator app shows now."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    if not required_for(request.user):
        return redirect("home")
    if confirmed_device(request.user):
        return redirect(f"{reverse('two_factor_verify')}?next={quote(_next_url(request))}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("Authenticator app"), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(_clean(form.cleaned_data["code"])):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "code", _("Wrong code: check that the app was set up with this key and the phone's clock is right.")
        )
    context = {
        "form": form, "next": _next_url(request), "secret": base64.b32encode(device.bin_key).decode(),
        "otpauth_url": device.config_url, "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4),
    }  # fmt: skip
    return render(request, "registration/two_factor_enrol.html", context)
