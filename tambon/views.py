from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import access, selectors, units
from .forms import TambonFilterForm
from .models import Programme


def current_programme(request: HttpRequest | None = None) -> Programme:
    """The request's programme (tambon/programmes.py), or for code without a request the current one."""
    programme = request.programme if request is not None else Programme.current()
    if programme is None:
        raise Http404("No programme has been set up yet")
    return programme


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Land each person on their own scope: the nation, their network, or their university; in a programme of the
    unit tree, the dashboard of their highest unit (from which every unit below and its tambons are a click away)."""
    scope = access.scope_of(request.user)
    if not units.u2t_shaped(request.programme):
        return redirect("dashboard")
    if scope.national:
        return redirect("network_list")
    if len(scope.network_ids) == 1 and not scope.university_ids:
        return redirect("network_detail", pk=next(iter(scope.network_ids)))
    if len(scope.university_ids) == 1 and not scope.network_ids:
        return redirect("university_detail", pk=next(iter(scope.university_ids)))
    programme = current_programme(request)
    return render(
        request,
        "tambon/home.html",
        {
            "networks": selectors.network_list(user=request.user, programme=programme),
            "universities": access.visible_universities(request.user).filter(id__in=scope.university_ids),
        },
    )


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    if not access.is_national(request.user):
        raise Http404("National overview")
    programme = current_programme(request)
    networks = list(selectors.network_list(user=request.user, programme=programme))
    return render(
        request,
        "tambon/network_list.html",
        {
            "programme": programme,
            "networks": networks,
            "tambon_total": sum(n.tambon_count for n in networks),
            "university_total": selectors.university_list(user=request.user, programme=programme).count(),
        },
    )


@login_required
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = access.get_network_or_404(request.user, pk)
    programme = current_programme(request)
    universities = selectors.university_list(user=request.user, programme=programme, network=network)
    tambons = selectors.tambon_list(user=request.user, programme=programme, network=network)
    return render(
        request,
        "tambon/network_detail.html",
        {
            "programme": programme,
            "network": network,
            "universities": universities,
            "page": Paginator(tambons, 100).get_page(request.GET.get("page")),
        },
    )


@login_required
def university_detail(request: HttpRequest, pk: int) -> HttpResponse:
    university = access.get_university_or_404(request.user, pk)
    programme = current_programme(request)
    tambons = selectors.tambon_list(user=request.user, programme=programme, university=university)
    return render(
        request,
        "tambon/university_detail.html",
        {
            "programme": programme,
            "university": university,
            "tambons": tambons,
            "can_manage": access.can_manage_university(request.user, university),
        },
    )


@login_required
def tambon_list(request: HttpRequest) -> HttpResponse:
    programme = current_programme(request)
    form = TambonFilterForm(request.GET or None)
    tambons = selectors.tambon_list(user=request.user, programme=programme)
    if form.is_valid():
        if form.cleaned_data["province"]:
            tambons = tambons.filter(subdistrict__district__province=form.cleaned_data["province"])
        if q := form.cleaned_data["q"].strip():
            tambons = tambons.filter(
                Q(subdistrict__name_th__icontains=q)
                | Q(subdistrict__name_en__icontains=q)
                | Q(subdistrict__district__name_th__icontains=q)
                | Q(subdistrict__district__province__name_th__icontains=q)
                | Q(university__name_th__icontains=q)
                | Q(university__short_name__iexact=q)
            )
    return render(
        request,
        "tambon/tambon_list.html",
        {"programme": programme, "form": form, "page": Paginator(tambons, 100).get_page(request.GET.get("page"))},
    )


@login_required
def tambon_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tambon = access.get_tambon_or_404(request.user, pk)
    return render(
        request,
        "tambon/tambon_detail.html",
        {
            "tambon": tambon,
            "can_edit": access.can_edit_tambon(request.user, tambon),
            "can_review": access.can_review_tambon(request.user, tambon),
        },
    )
