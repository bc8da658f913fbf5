"""The reviewers' dashboards: national (NSI) → network (RSI) → university → tambon, scoped by tambon/access.py.

Each level is one page with the same widgets and a .xlsx export of each widget; a unit outside the user's scope
is 404 for the page and its exports alike."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.quarters import parse_quarter, programme_quarters
from pbm import replica
from pbm.formats import date_be
from reporting.exports import xlsx_response
from tambon import access, units
from tambon.models import Network, Programme, Tambon, Unit

from ..deadlines import selectors as deadline_selectors
from . import charts, exports, selectors
from .selectors import Child, Level

DEFAULT_WIDGET_PAGES = {"completeness": "tambon_detail", "spending": "budget_table", "hiring": "roster_team",
                        "classification": "tambon_profile"}  # fmt: skip


def _programme(request: HttpRequest) -> Programme:
    code = request.GET.get("programme", "")
    programme = Programme.objects.filter(code=code).first() if code else request.programme
    if programme is None:
        raise Http404("No programme")
    return programme


def _period(request: HttpRequest, programme: Programme) -> tuple[selectors.Period, list[str]]:
    """The month or quarter chosen in the filters; a malformed value falls back to the default with a message."""
    errors = []
    if request.GET.get("quarter"):
        try:
            return selectors.period_for(programme, quarter=parse_quarter(programme, request.GET["quarter"])), errors
        except ValidationError as error:
            errors += error.messages
    text = request.GET.get("month", "")
    if text:
        try:
            year, month = (int(part) for part in text.split("-"))
            year = year - 543 if year > 2400 else year
            if (year, month) in programme.months():
                return selectors.period_for(programme, month=(year, month)), errors
        except ValueError:
            pass
        errors.append(_("Write the month as YYYY-MM within the programme, for example 2021-03."))
    return selectors.period_for(programme), errors


def _tambons(request: HttpRequest, programme: Programme, **filters):
    return access.visible_tambons(request.user, Tambon.objects.filter(programme=programme, is_active=True, **filters))


def _network_or_404(request: HttpRequest, programme: Programme, network_id: int, *, university_id=None, tambon_id=None):
    """The network in the URL: one the user may see (RSI, NSI), or, below the network level, the network of the
    university's or tambon's pages the user may see (university staff reach their own university and tambons)."""
    if access.sees_network(request.user, network_id):
        return access.get_network_or_404(request.user, network_id)
    if (university_id is None and tambon_id is None) or not Network.objects.filter(pk=network_id).exists():
        raise Http404("No such network")
    tambons = _tambons(request, programme, network_id=network_id)
    if not tambons.filter(
        **({"pk": tambon_id} if tambon_id is not None else {"university_id": university_id})
    ).exists():
        raise Http404("No such network")
    return Network.objects.get(pk=network_id)


def own_university_dashboard(user, programme: Programme) -> str | None:
    """Where a university's staff start: their university's dashboard, in the network that holds most of the
    tambons it works (a university can work tambons of two networks' areas)."""
    scope = access.scope_of(user)
    if not scope.university_ids:
        return None
    row = (
        access.visible_tambons(user, Tambon.objects.filter(programme=programme, is_active=True,
                                                           university_id__in=scope.university_ids))
        .values("university_id", "network_id").annotate(n=Count("id")).order_by("-n", "university_id", "network_id")
        .first()
    )  # fmt: skip
    if row is None:
        return None
    return reverse("dashboard_university", args=[row["network_id"], row["university_id"]])


def _unit_level(request: HttpRequest, unit_id: int) -> Level:
    """A page of any programme's unit tree: the unit's tambons the user may see, grouped by the units one level
    below (the tambons themselves one level above the leaves); a leaf is its tambon's page."""
    unit = get_object_or_404(access.visible_units_all(request.user).select_related("programme", "level"), pk=unit_id)
    programme = unit.programme
    tambons = _tambons(request, programme, **{f"unit__ancestor_{unit.depth}_id": unit.pk})
    if not tambons.exists():
        raise Http404("No tambon under this unit")
    if tambon := Tambon.objects.filter(unit=unit).with_place().first():
        return Level("tambon", programme, tambons, "id", tambon=tambon, unit=unit)
    leaf_depth = programme.unit_levels.aggregate(depth=Max("depth"))["depth"]
    below = unit.depth + 1
    return Level("unit", programme, tambons, "id" if below >= leaf_depth else f"unit__ancestor_{below}_id", unit=unit)


def top_unit(user, programme: Programme):
    """Where a person starts in a programme's tree: its root for national roles, else their highest unit."""
    scope = access.scope_of(user)
    if scope.everything or programme.pk in scope.national_programme_ids:
        return units.root_of(programme)
    grants = sorted((g for g in scope.grants if g.programme_id == programme.pk), key=lambda g: (g.depth, g.unit_id))
    return Unit.objects.filter(pk=grants[0].unit_id).first() if grants else None


def _level(request: HttpRequest, programme: Programme, network_id=None, university_id=None, tambon_id=None,
           unit_id=None) -> Level:  # fmt: skip
    """The page's level from the URL, each unit looked up through tambon/access.py (404 when out of scope)."""
    if unit_id is not None:
        return _unit_level(request, unit_id)
    if network_id is None:
        if not access.is_national(request.user):
            raise Http404("Not a national reviewer")
        return Level("national", programme, _tambons(request, programme), "network_id")
    network = _network_or_404(request, programme, network_id, university_id=university_id, tambon_id=tambon_id)
    if tambon_id is not None:
        # what the page shows of it: its place and university (not `with_place`'s programme with its definition)
        tambon = access.get_tambon_or_404(request.user, tambon_id, Tambon.objects.select_related(
            "subdistrict__district__province", "university", "unit__level"))  # fmt: skip
        if tambon.network_id != network.pk or tambon.programme_id != programme.pk:
            raise Http404("Tambon not in this network")
        return Level("tambon", programme, _tambons(request, programme, pk=tambon.pk), "id", network=network,
                     university=tambon.university, tambon=tambon)  # fmt: skip
    if university_id is not None:
        university = access.get_university_or_404(request.user, university_id)
        level = Level("university", programme, _tambons(request, programme, network=network, university=university),
                      "id", network=network, university=university)  # fmt: skip
        if not level.tambons_per_child:  # the widgets' own count of tambons per child: no query of its own
            raise Http404("University works no tambon in this network")
        return level
    return Level("network", programme, _tambons(request, programme, network=network), "university_id", network=network)


def child_url(level: Level, child: Child, prefix: str = "") -> str | None:
    """The dashboard one level below the page for this child (`prefix` "api_": its JSON); None at the tambon level."""
    if child.level == "unit":
        return reverse(f"{prefix}dashboard_unit", args=[child.pk])
    if level.unit is not None:
        return None
    if level.kind == "national":
        return reverse(f"{prefix}dashboard_network", args=[child.pk])
    if level.kind == "network":
        return reverse(f"{prefix}dashboard_university", args=[level.network.pk, child.pk])
    if level.kind == "university":
        return reverse(f"{prefix}dashboard_tambon", args=[level.network.pk, child.pk])
    return None


def _linker(level: Level, query: str):
    """Where a child's numbers lead: one level down, or at the tambon level, to the tambon's own pages."""

    below: dict[int, str | None] = {}  # a child's link is the same in every widget: reversed once per page

    def link(child: Child, widget: str) -> str:
        if child.pk not in below:
            below[child.pk] = child_url(level, child)
        url = below[child.pk]
        if url is None:
            return reverse(DEFAULT_WIDGET_PAGES[widget], args=[child.pk])
        return f"{url}?{query}" if query else url

    return link


def _scope_label(level: Level, path: list[Unit] | None = None) -> str:
    """The page's title: its place in the tree (`path`: the unit's, when the page has read it already)."""
    if level.unit is not None:
        return " › ".join(u.name for u in (path if path is not None else units.unit_path(level.unit)))
    if level.kind == "national":
        return _("All networks")
    parts = [str(level.network)]
    if level.university:
        parts.append(level.university.name)
    if level.tambon:
        parts.append(level.tambon.place)
    return " › ".join(parts)


def board_for(request: HttpRequest, **ids) -> tuple[selectors.Dashboard, list[str]]:
    """The dashboard of the level in the URL (404 out of scope) for the filters in the query string, and what
    was wrong with those filters (the page falls back to the default period; the API refuses)."""
    programme = _programme(request)
    period, errors = _period(request, programme)
    return selectors.dashboard(_level(request, programme, **ids), period), errors


def _board(request: HttpRequest, **ids):
    board, errors = board_for(request, **ids)
    query = request.GET.urlencode()
    return board, exports.widget_tables(board, _linker(board.level, query)), errors, query


def _charts(board) -> dict:
    return {"completeness": charts.completeness_bars(board), "spending": charts.spending_series(board),
            "disbursement": charts.disbursement_bars(board), "hiring": charts.hiring_bars(board),
            "classes": charts.class_bars(board)}  # fmt: skip


def _export_base(level: Level) -> str:
    """The URL of the level's exports, up to the widget name."""
    if level.unit is not None:
        url = reverse("dashboard_unit_export", args=[level.unit.pk, "w"])
    elif level.kind == "national":
        url = reverse("dashboard_export", args=["w"])
    elif level.kind == "network":
        url = reverse("dashboard_network_export", args=[level.network.pk, "w"])
    elif level.kind == "university":
        url = reverse("dashboard_university_export", args=[level.network.pk, level.university.pk, "w"])
    else:
        url = reverse("dashboard_tambon_export", args=[level.network.pk, level.tambon.pk, "w"])
    return url.removesuffix("w.xlsx")


@login_required
@replica.reading()
def dashboard(request: HttpRequest, network_id=None, university_id=None, tambon_id=None, unit_id=None) -> HttpResponse:
    scope = access.scope_of(request.user)
    programme = _programme(request) if network_id is None and unit_id is None else None
    if programme is not None and not units.u2t_shaped(programme):
        start = top_unit(request.user, programme)  # a programme of the unit tree starts at the person's unit
        if start is None:
            raise Http404("No dashboard for this account")
        url = reverse("dashboard_unit", args=[start.pk])
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    if (
        unit_id is None and network_id is None and not scope.national and scope.network_ids
    ):  # an RSI starts at its network
        return redirect("dashboard_network", network_id=min(scope.network_ids))
    if unit_id is None and network_id is None and not scope.national:  # university staff start at their university
        own = own_university_dashboard(request.user, programme)
        if own is None:
            raise Http404("No dashboard for this account")
        return redirect(f"{own}?{request.GET.urlencode()}" if request.GET else own)
    board, tables, errors, query = _board(request, network_id=network_id, university_id=university_id,
                                          tambon_id=tambon_id, unit_id=unit_id)  # fmt: skip
    programme = board.level.programme
    crumbs = access.units_on_path(request.user, board.level.unit) if board.level.unit else []
    return render(request, "reporting/dashboard/dashboard.html", {
        "board": board, "tables": tables, "errors": errors, "query": query,
        "scope_label": _scope_label(board.level, crumbs or None),
        "period_text": exports.period_text(board), "programmes": access.programme_list(request.user), "programme": programme,
        "months": programme.months(), "quarters": programme_quarters(programme),
        "chosen_month": request.GET.get("month", ""), "charts": _charts(board),
        "export_base": _export_base(board.level),
        "network_visible": board.level.network is not None and access.sees_network(request.user, board.level.network.pk),
        "national": scope.national, "indicator_series": _indicator_series(board.level),
        "unit_crumbs": crumbs, "unit_mou": deadline_selectors.unit_mou_reports(unit=board.level.unit),
        "roster_unit": _roster_unit(request.user, board.level),
        "unit_reports": None if board.level.tambon or board.level.unit else deadline_selectors.unit_report_completeness(
            programme=programme, tambons=board.level.tambons, year=board.period.through[0],
            month=board.period.through[1], networks=board.level.university is None),
    })  # fmt: skip


def _roster_unit(user, level: Level):
    """The unit whose roster doors (import, certificates) the dashboard offers: for whoever manages the roster of
    a tambon under it, in a programme that hires."""
    if level.unit is None or not level.programme.hiring_types.exists():
        return None
    return level.unit if access.unit_roster_tambons(user, level.unit).exists() else None


def _indicator_series(level: Level) -> list:
    from assessment.selectors import scope_indicator_series  # dashboards sit above assessment

    if level.tambon is not None:
        return scope_indicator_series(programme=level.programme, tambons=level.tambons)
    return scope_indicator_series(programme=level.programme, tambons=level.tambons, university=level.university,
                                  network=level.network if level.kind == "network" else None)  # fmt: skip


@login_required
@replica.reading()
def dashboard_export(request: HttpRequest, widget: str, network_id=None, university_id=None, tambon_id=None,
                     unit_id=None):  # fmt: skip
    if widget not in exports.WIDGETS:
        raise Http404("No such widget")
    board, tables, _errors, _query = _board(request, network_id=network_id, university_id=university_id,
                                            tambon_id=tambon_id, unit_id=unit_id)  # fmt: skip
    workbook = exports.widget_workbook(
        tables[widget], scope=_scope_label(board.level), period=exports.period_text(board),
        computed=date_be(timezone.localtime(board.computed_at), with_time=True),
    )  # fmt: skip
    level = board.level
    unit = f"unit-{unit_id}" if unit_id is not None else {
        "national": "national", "network": f"network-{network_id}", "university": f"university-{university_id}",
        "tambon": f"tambon-{tambon_id}"}[level.kind]  # fmt: skip
    return xlsx_response(workbook, f"dashboard-{unit}-{widget}.xlsx")
