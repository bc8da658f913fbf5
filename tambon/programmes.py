"""Which programme a request is for (issue #14: several programmes live at once).

A person may hold roles in several programmes; every page, export and API call is for one. The choice is, in
order: `?programme=<code>` on the URL (links and bookmarks name it), the one chosen with the navigation's switch
(kept in the session), else the person's first programme (the current one first). A programme the person holds no
role in is never chosen: the scope rules would show them nothing of it anyway.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import access
from .models import Programme

SESSION_KEY = "pbm_programme"


def request_programme(request: HttpRequest) -> Programme | None:
    """The programme this request is for (see the module's docstring); None when the database holds none."""
    cached = getattr(request, "_pbm_programme", None)
    if cached is not None:
        return cached
    mine = access.programme_list(getattr(request, "user", None))
    wanted = request.GET.get("programme") or (request.session.get(SESSION_KEY) if hasattr(request, "session") else None)
    programme = next((p for p in mine if p.code == wanted), None) if wanted else None
    if programme is None:
        programme = mine[0] if mine else Programme.current()
    request._pbm_programme = programme
    return programme


def programme_or_404(request: HttpRequest) -> Programme:
    programme = request_programme(request)
    if programme is None:
        raise Http404("No programme has been set up yet")
    return programme


class ProgrammeMiddleware:
    """Sets `request.programme` (lazily: only the pages that ask pay its query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.programme = SimpleLazyObject(lambda: request_programme(request))
        return self.get_response(request)


def programme_switch_context(request: HttpRequest) -> dict:
    """The navigation's switch: shown to a person with roles in more than one programme."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    return {"programme_choices": SimpleLazyObject(lambda: access.programme_list(user)),
            "programme_chosen": request.programme}  # fmt: skip


@login_required
@require_POST
def programme_switch(request: HttpRequest) -> HttpResponse:
    """Choose the programme of the following pages; back to the home page (or a safe `next`)."""
    programme = access.programmes_of(request.user).filter(code=request.POST.get("programme", "")).first()
    if programme is None:
        raise Http404("No such programme")
    request.session[SESSION_KEY] = programme.code
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    return redirect(target or "home")
