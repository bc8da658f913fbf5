from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pbm import bulk, review
from pbm.views import review_context, review_post
from tambon import access
from tambon.models import Programme, Tambon
from tambon.views import current_programme

from . import impact, selectors, services
from .forms import AssessmentForm, HouseholdImportForm, ImpactReportForm, parse_activity_grid
from .models import (
    ActivityStage,
    GoalMark,
    ImpactReport,
    IndicatorLevel,
    NetworkAssessment,
    TambonAssessment,
    UniversityAssessment,
)
from .quarters import current_quarter, parse_quarter, programme_quarters


@dataclass(frozen=True)
class Kind:
    """What differs between the three quarterly assessments; the views are shared."""

    model: type[models.Model]
    unit_field: str
    get_unit: Callable  # (user, pk) → unit, 404 outside scope
    programme_of: Callable  # unit → programme
    url_name: str


KINDS = {
    "tambon": Kind(TambonAssessment, "tambon", access.get_tambon_or_404, lambda t: t.programme, "tambon_assessment"),
    "university": Kind(UniversityAssessment, "university", access.get_university_or_404,
                       lambda u: current_programme(), "university_assessment"),
    "network": Kind(NetworkAssessment, "network", access.get_network_or_404,
                    lambda n: current_programme(), "network_assessment"),
}  # fmt: skip
KIND_OF = {spec.model: name for name, spec in KINDS.items()}


def _quarter_or_404(programme: Programme, text: str):
    try:
        return parse_quarter(programme, text)
    except ValidationError:
        raise Http404("No such quarter") from None


def _save(kind: str, unit, form: AssessmentForm, user, programme, quarter, submit: bool):
    data = form.cleaned_data
    common = {"quarter": quarter, "user": user, "indicators": form.indicator_inputs(), "notes": data["notes"],
              "seen_version": data["version"], "submit": submit}  # fmt: skip
    if kind == "tambon":
        return services.tambon_assessment_save(tambon=unit, goals=form.goal_inputs(), **form.class_inputs(), **common)
    if kind == "university":
        return services.university_assessment_save(university=unit, programme=programme, **common)
    return services.network_assessment_save(network=unit, programme=programme, **common)


def _assessment_page(request: HttpRequest, kind_name: str, pk: int, quarter_text: str) -> HttpResponse:
    kind = KINDS[kind_name]
    unit = kind.get_unit(request.user, pk)
    programme = kind.programme_of(unit)
    quarter = _quarter_or_404(programme, quarter_text)
    lookup = {kind.unit_field: unit, "programme": programme, "quarter": str(quarter)}
    assessment = kind.model.objects.filter(**lookup).first() or kind.model(**lookup)
    can_file = review.can_file(request.user, assessment) and assessment.is_open_for_editing
    goal_rows, indicator_rows = selectors.assessment_rows(assessment, programme)
    form = AssessmentForm(request.POST if request.method == "POST" else None, goal_rows=goal_rows,
                          indicator_rows=indicator_rows,
                          initial={"notes": assessment.notes, "version": assessment.version,
                                   "model_tambon": getattr(assessment, "model_tambon", False),
                                   "income_change_percent": getattr(assessment, "income_change_percent", None)})  # fmt: skip
    if request.method == "POST" and can_file and form.is_valid():
        submit = "submit" in request.POST
        try:
            _save(kind_name, unit, form, request.user, programme, quarter, submit)
        except ValidationError as error:
            form.add_error(None, error)  # nothing was written: the form keeps what was typed and its version
        else:
            messages.success(request, _("Assessment submitted for review.") if submit else _("Draft saved."))
            return redirect(kind.url_name, pk=unit.pk, quarter=str(quarter))
    elif request.method == "POST" and not can_file:
        raise PermissionDenied(_("This assessment is not open for you to change."))
    return render(request, "assessment/assessment_form.html", {
        "kind": kind_name, "unit": unit, "programme": programme, "quarter": quarter, "assessment": assessment,
        "form": form, "can_file": can_file, "quarters": programme_quarters(programme),
        **review_context(request.user, assessment),
    })  # fmt: skip


@login_required
def tambon_assessment(request: HttpRequest, pk: int, quarter: str) -> HttpResponse:
    return _assessment_page(request, "tambon", pk, quarter)


@login_required
def university_assessment(request: HttpRequest, pk: int, quarter: str) -> HttpResponse:
    return _assessment_page(request, "university", pk, quarter)


@login_required
def network_assessment(request: HttpRequest, pk: int, quarter: str) -> HttpResponse:
    return _assessment_page(request, "network", pk, quarter)


@login_required
@require_POST
def assessment_review(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Accept, return or reopen (NSI) a submitted assessment; the flow is pbm/review.py's."""
    if kind not in KINDS:
        raise Http404("No such assessment kind")
    spec = KINDS[kind]
    assessment = spec.model.objects.filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such assessment")
    unit = spec.get_unit(request.user, getattr(assessment, f"{spec.unit_field}_id"))  # 404 outside scope
    review_post(
        request, assessment,
        accept=lambda a, user, _reason: services.assessment_accept(assessment=a, user=user),
        return_=lambda a, user, reason: services.assessment_return(assessment=a, user=user, reason=reason),
        reopen=lambda a, user, reason: services.assessment_reopen(assessment=a, user=user, reason=reason),
    )  # fmt: skip
    return redirect(spec.url_name, pk=unit.pk, quarter=assessment.quarter)


@login_required
def tambon_profile(request: HttpRequest, pk: int) -> HttpResponse:
    tambon = access.get_tambon_or_404(request.user, pk)
    classifications = list(selectors.tambon_classifications(tambon))
    return render(request, "assessment/tambon_profile.html", {
        "tambon": tambon, "classifications": classifications,
        "current": classifications[-1] if classifications else None,
        "latest": selectors.latest_accepted_assessment(tambon),
        "assessments": selectors.tambon_assessments_by_quarter(tambon),
        "activities": selectors.activity_goal_targets(tambon),
        "households": selectors.household_picture(tambon),
        "indicator_series": selectors.tambon_indicator_series(tambon),
        "quarter": current_quarter(tambon.programme),
        "can_edit": access.can_edit_tambon(request.user, tambon), "import_form": HouseholdImportForm(),
    })  # fmt: skip


@login_required
@require_POST
def households_import(request: HttpRequest, pk: int) -> HttpResponse:
    tambon = access.get_tambon_or_404(request.user, pk)
    if not access.can_edit_tambon(request.user, tambon):
        raise PermissionDenied(_("You may not import households for this tambon."))
    form = HouseholdImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            done = services.households_import(tambon=tambon, user=request.user, content=upload.read(),
                                              filename=upload.name)  # fmt: skip
            messages.success(request, _("%(n)s households imported.") % {"n": done.households})
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    else:
        messages.error(request, _("Choose a CSV file to import."))
    return redirect(reverse("tambon_profile", args=[tambon.pk]) + "#households")


@login_required
def class_overview(request: HttpRequest) -> HttpResponse:
    """Class distribution against the target shares and movement since last quarter, for the user's scope."""
    if access.scope_of(request.user).is_empty:
        raise Http404("No role in the programme")
    programme = current_programme(request)
    quarter = (_quarter_or_404(programme, request.GET["quarter"]) if request.GET.get("quarter")
               else current_quarter(programme))  # fmt: skip
    network = access.get_network_or_404(request.user, request.GET["network"]) if request.GET.get("network") else None
    moved_up, moved_down = selectors.class_movements(user=request.user, programme=programme, quarter=quarter,
                                                     network=network)  # fmt: skip
    return render(request, "assessment/class_overview.html", {
        "programme": programme, "quarter": quarter, "quarters": programme_quarters(programme), "network": network,
        "networks": access.visible_networks(request.user),
        "distribution": selectors.class_distribution(user=request.user, programme=programme, quarter=quarter,
                                                     network=network),
        "moved_up": moved_up, "moved_down": moved_down, "committee": access.is_national(request.user),
        "queue": selectors.review_queue(user=request.user, programme=programme),
    })  # fmt: skip


@login_required
def class_committee(request: HttpRequest) -> HttpResponse:
    """NSI, for the programme committee: confirm a quarter's classes, or set a tambon's class with a reason."""
    if not access.is_national(request.user):
        raise Http404("Not the committee")
    programme = current_programme(request)
    quarter = (_quarter_or_404(programme, request.GET["quarter"]) if request.GET.get("quarter")
               else current_quarter(programme))  # fmt: skip
    rows = selectors.committee_rows(user=request.user, programme=programme, quarter=quarter)
    if request.method == "POST":
        _committee_post(request, programme, quarter, rows)
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    show = request.GET.get("band", "")
    page = Paginator(selectors.committee_rows(user=request.user, programme=programme, quarter=quarter, band=show),
                     50).get_page(request.GET.get("page"))  # fmt: skip
    return render(request, "assessment/class_committee.html", {
        "programme": programme, "quarter": quarter, "quarters": programme_quarters(programme), "page": page,
        "show": show, "bands": selectors.class_bands(programme),
        "distribution": selectors.class_distribution(user=request.user, programme=programme, quarter=quarter),
    })  # fmt: skip


def _committee_post(request: HttpRequest, programme: Programme, quarter, rows) -> None:
    action = request.POST.get("action", "")
    try:
        if action == "confirm":
            services.class_confirm(programme=programme, quarter=quarter, user=request.user,
                                   note=request.POST.get("note", ""))  # fmt: skip
            messages.success(request, _("The quarter's classes are confirmed."))
            return
        if action not in ("override", "clear"):
            raise ValidationError(_("Choose confirm, set a class, or back to the rule."))
        pk = request.POST.get("classification", "")
        row = rows.filter(pk=int(pk)).first() if pk.isdigit() else None
        if row is None:
            raise Http404("No such classification")
        if action == "clear":
            services.class_override_clear(classification=row, user=request.user)
            messages.success(
                request, _("%(tambon)s is back to the class the rule gives.") % {"tambon": row.tambon.place}
            )
            return
        code = request.POST.get("band", "")
        band = next((b for b in selectors.class_bands(programme) if b.code == code), None)
        if code and band is None:
            raise ValidationError(_("Choose one of the programme's classes."))
        services.class_override(classification=row, user=request.user, band=band,
                                reason=request.POST.get("reason", ""))  # fmt: skip
        messages.success(request, _("The committee's class for %(tambon)s is saved.") % {"tambon": row.tambon.place})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)


@login_required
@require_POST
def assessments_accept_selected(request: HttpRequest) -> HttpResponse:
    """Accept the ticked assessments of the review queue in one action, each through `assessment_accept` (which
    also queues its classification); the result names any not accepted and why."""
    queue = {
        (KIND_OF[type(a)], a.pk): a
        for a in selectors.review_queue(user=request.user, programme=current_programme(request))
    }
    chosen = []
    for value in request.POST.getlist("selected"):
        kind, _sep, rest = value.partition(":")
        pk, _sep, version = rest.partition(":")
        if pk.isdigit():
            chosen.append(((kind, int(pk)), int(version) if version.isdigit() else None))
    items = [(queue[key], version) for key, version in chosen if key in queue]
    if not chosen:
        messages.error(request, _("Tick the reports to accept first."))
    else:
        result = bulk.review_accept_each(
            user=request.user, items=items, label=lambda a: a.notification_label(),
            accept=lambda a, user: services.assessment_accept(assessment=a, user=user),
        )  # fmt: skip
        if result.accepted:
            messages.success(request, _("Accepted %(count)d: %(reports)s.") % {
                "count": len(result.accepted), "reports": "; ".join(result.accepted)})  # fmt: skip
        for report, why in result.refused:
            messages.error(request, _("Not accepted: %(report)s — %(why)s") % {"report": report, "why": why})
        if len(items) < len(chosen):
            messages.error(request, _("%(count)d ticked reports are no longer waiting for your review; reload the "
                                      "list.") % {"count": len(chosen) - len(items)})  # fmt: skip
    return redirect(reverse("class_overview") + "#review-queue")


@login_required
def activity_assessment(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """The activity assessment form (แบบการประเมินภาพรวมตำบล) at the start or the end of the activities."""
    tambon = access.get_tambon_or_404(request.user, pk)
    if stage not in ActivityStage.values:
        raise Http404("No such stage")
    can_edit = access.can_edit_tambon(request.user, tambon)
    goals = list(selectors.goals(tambon.programme))
    indicators = list(selectors.indicators(tambon.programme, IndicatorLevel.TAMBON))
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("You may not fill this tambon's activity assessment."))
        columns = parse_activity_grid(request.POST, goal_ids=[g.pk for g in goals],
                                      indicator_ids=[i.pk for i in indicators])  # fmt: skip
        try:
            services.activity_assessment_save(tambon=tambon, stage=stage, user=request.user, columns=columns,
                                              seen_version=request.POST.get("version", ""))  # fmt: skip
            messages.success(request, _("Activity assessment saved."))
            return redirect("activity_assessment", pk=tambon.pk, stage=stage)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    return render(request, "assessment/activity_form.html", {
        "tambon": tambon, "stage": stage, "stages": ActivityStage.choices, "can_edit": can_edit,
        "columns": selectors.activity_grid(tambon, stage), "goals": goals, "indicators": indicators,
        "marks": GoalMark.choices, "version": services.activity_assessment_version(tambon=tambon, stage=stage),
    })  # fmt: skip


# --- the 12-month summary and impact report (issue #15 item 2) ------------------------------------------------


def _impact_owner(request: HttpRequest, owner: str, pk: int) -> dict:
    if owner == "tambon":
        tambon = access.get_tambon_or_404(request.user, pk)
        return {"programme": tambon.programme, "tambon": tambon}
    if owner == "network":
        return {"programme": current_programme(), "network": access.get_network_or_404(request.user, pk)}
    raise Http404("Unknown report owner")


def _impact_figures(report: ImpactReport) -> dict:
    """As submitted (frozen) once submitted; live before (and for a report submitted without its figures)."""
    if report.first_submitted_at and report.figures:
        return report.figures
    return impact.impact_figures(programme=report.programme, tambon=report.tambon, network=report.network)


@login_required
def impact_report(request: HttpRequest, owner: str, pk: int) -> HttpResponse:
    owner_kwargs = _impact_owner(request, owner, pk)
    report = ImpactReport.objects.filter(**owner_kwargs).first() or ImpactReport(**owner_kwargs)  # GET never writes
    can_edit = review.can_file(request.user, report) and report.is_open_for_editing
    initial = {"version": report.version} | {n: getattr(report, n) for n in (*ImpactReport.SECTIONS,
                                                                               *ImpactReport.HOUSEHOLDS)}  # fmt: skip
    form = ImpactReportForm(request.POST or None, initial=initial, tambon_report=owner == "tambon")
    if request.method == "POST":
        if not review.can_file(request.user, report):
            raise PermissionDenied(_("You may not write this report."))
        if form.is_valid():
            try:
                report = report if report.pk else impact.impact_report_for(**owner_kwargs)
                impact.impact_report_save(report=report, user=request.user, sections=form.sections(),
                                          households=form.households(), seen_version=form.cleaned_data["version"],
                                          submit="submit" in request.POST)  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
                report = ImpactReport.objects.get(pk=report.pk)
            else:
                messages.success(request, _("Submitted for review.") if "submit" in request.POST else _("Saved."))
                return redirect(request.path)
    return render(request, "assessment/impact_report.html", {
        "report": report, "form": form, "can_edit": can_edit, "figures": _impact_figures(report), "owner": owner,
        "unit": report.owner, **review_context(request.user, report),
    })  # fmt: skip


@login_required
@require_POST
def impact_review(request: HttpRequest, owner: str, pk: int) -> HttpResponse:
    report = ImpactReport.objects.filter(**_impact_owner(request, owner, pk)).first()
    if report is None:
        raise Http404("No report yet")
    review_post(request, report)
    return redirect("impact_report", owner=owner, pk=pk)


@login_required
def impact_export(request: HttpRequest, owner: str, pk: int, fmt: str) -> HttpResponse:
    """The report as a printable Thai PDF or as .xlsx, from the same figures the page shows."""
    owner_kwargs = _impact_owner(request, owner, pk)
    report = ImpactReport.objects.filter(**owner_kwargs).first() or ImpactReport(**owner_kwargs)
    figures = _impact_figures(report)
    name = f"impact-{owner}-{pk}"
    if fmt == "pdf":
        response = HttpResponse(impact.impact_pdf(report=report, figures=figures), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if fmt == "xlsx":
        from reporting.exports import xlsx_response

        return xlsx_response(impact.impact_workbook(report=report, figures=figures), f"{name}.xlsx")
    raise Http404("Unknown format")


@login_required
def impact_list(request: HttpRequest) -> HttpResponse:
    """The 12-month reports in scope: the networks', then a page of tambons' with their status."""
    if access.scope_of(request.user).is_empty:
        raise Http404("No role in the programme")
    programme = current_programme()
    reports = {(r.tambon_id, r.network_id): r for r in impact.impact_reports(user=request.user, programme=programme)}
    networks = [(n, reports.get((None, n.pk))) for n in access.visible_networks(request.user).order_by("number")]
    tambons = access.visible_tambons(request.user, Tambon.objects.filter(programme=programme, is_active=True))
    page = Paginator(tambons.with_place().select_related("university").order_by("subdistrict_id"), 100).get_page(
        request.GET.get("page"))  # fmt: skip
    return render(request, "assessment/impact_list.html", {
        "networks": networks, "page": page, "rows": [(t, reports.get((t.pk, None))) for t in page],
    })  # fmt: skip
