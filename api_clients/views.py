"""The API clients page: a university's managers or a network's reviewers make, rotate and revoke client keys and
see when each was last used. A key is shown once, on the answer to the POST that made it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import ApiClientForm


def _units(request: HttpRequest):
    if not services.makes_clients(request.user):
        raise PermissionDenied(_("API clients are made by a university's managers or a network's reviewers."))
    return services.managed_units(request.user)


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    universities, networks = _units(request)
    form = ApiClientForm(request.POST or None, universities=universities, networks=networks)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            client, new_key = services.api_client_create(user=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Made the client %(name)s. Copy its key now: it is not shown again.")
                             % {"name": client.name})  # fmt: skip
            form = ApiClientForm(universities=universities, networks=networks)
    return render(request, "api_clients/client_list.html", {
        "form": form, "clients": services.clients_visible(request.user), "new_key": new_key,
    })  # fmt: skip


@login_required
@require_POST
def client_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(services.clients_visible(request.user), pk=pk)
    try:
        key = services.api_client_rotate(client=client, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("api_client_list")
    messages.success(request, _("A new key for %(name)s; the old one no longer works. Copy it now: it is not "
                                "shown again.") % {"name": client.name})  # fmt: skip
    universities, networks = _units(request)
    return render(request, "api_clients/client_list.html", {
        "form": ApiClientForm(universities=universities, networks=networks),
        "clients": services.clients_visible(request.user), "new_key": key,
    })  # fmt: skip


@login_required
@require_POST
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(services.clients_visible(request.user), pk=pk)
    try:
        services.api_client_revoke(client=client, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Revoked %(name)s: its key no longer works.") % {"name": client.name})
    return redirect("api_client_list")
