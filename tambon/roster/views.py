"""Roster pages: a tambon's team and what happens to its people, a university's import, exports, certificates.

Access: seeing a team follows the tambon (tambon/access.py); recording events needs can_edit_tambon; importing and
exporting a university need can_manage_university; a unit's import and certificates, the tambons under it whose
roster the person manages (access.unit_roster_tambons); an import's pages, whoever may open its owner's door.
Full national IDs only for those who handle payments (access.handles_payments); IDs never appear in URLs.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from pbm.export_views import export_redirect
from tambon import access
from tambon.models import Programme, Tambon

from . import exports, selectors, services
from .forms import (
    ELIGIBILITY_FIELDS,
    AcceptForm,
    DigitizeForm,
    EligibilityForm,
    ImportUploadForm,
    ReplaceForm,
    ResignForm,
    TerminateForm,
    TrainingForm,
    VersionTokenField,
)
from .models import Contract, ContractStatus, RosterImport
from .services.jobs import (
    roster_error_rows_xlsx,
    roster_import_confirm,
    roster_import_programme,
    roster_import_stale,
    roster_import_start,
)
from .sheet import write_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _programme() -> Programme:
    programme = Programme.current()
    if programme is None:
        raise Http404("No programme")
    return programme


# --- a tambon's team -----------------------------------------------------------------------------------


@login_required
def team(request: HttpRequest, pk: int) -> HttpResponse:
    tambon = access.get_tambon_or_404(request.user, pk)
    can_edit = access.can_edit_tambon(request.user, tambon)
    members = list(selectors.team_members(tambon=tambon))
    hired = Contract.objects.filter(tambon=tambon, status=ContractStatus.ACTIVE).select_related("person", "hiring_type")
    lines, total = selectors.team_fill(tambon=tambon)
    month = selectors.next_month_to_accept(tambon=tambon)
    reports = selectors.reported_days(tambon=tambon, year=month[0], month=month[1])
    return render(request, "roster/team.html", {
        "tambon": tambon, "can_edit": can_edit, "lines": lines, "total": total, "members": members,
        "reserves": selectors.reserve_list(tambon=tambon), "show_ids": access.handles_payments(request.user, tambon.university_id),
        "accept_form": AcceptForm(programme=tambon.programme, hired=hired, month=month, reports=reports)
        if can_edit else None, "report_month": month,
        "can_export": access.can_manage_roster(request.user, tambon) or access.is_national(request.user),
        "roster_doors": roster_doors(request.user, tambon),
    })  # fmt: skip


def roster_doors(user, tambon: Tambon) -> dict[str, str] | None:
    """The import and certificate doors that hold the tambon's people, for whoever manages its roster: its
    university's (U2T), otherwise its own unit's; None for everyone else, who would be refused there."""
    if tambon.university_id is not None:
        if not access.can_manage_university(user, tambon.university):
            return None
        return {"import": reverse("roster_university", args=[tambon.university_id]),
                "certificates": reverse("roster_certificates", args=[tambon.university_id])}  # fmt: skip
    if tambon.unit_id is None or not access.can_manage_roster(user, tambon):
        return None
    return {"import": reverse("roster_unit", args=[tambon.unit_id]),
            "certificates": reverse("roster_unit_certificates", args=[tambon.unit_id])}  # fmt: skip


@login_required
@require_POST
def team_accept(request: HttpRequest, pk: int) -> HttpResponse:
    tambon = access.get_tambon_or_404(request.user, pk)
    if not access.can_edit_tambon(request.user, tambon):
        raise PermissionDenied
    hired = Contract.objects.filter(tambon=tambon, status__in=["active", "resigned", "terminated"])
    form = AcceptForm(request.POST, programme=tambon.programme, hired=hired.select_related("hiring_type", "person"))
    if form.is_valid():
        year, month = form.year_month()
        try:
            done = services.work_accept(contracts=list(form.cleaned_data["contracts"].select_related("tambon__programme")),
                                        year=year, month=month, user=request.user,
                                        evaluation_passed=form.cleaned_data["evaluation_passed"])  # fmt: skip
            messages.success(request, _("Work accepted for %(n)s people.") % {"n": len(done)})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a month and at least one person."))
    return redirect("roster_team", pk=tambon.pk)


@login_required
def team_export(request: HttpRequest, pk: int) -> HttpResponse:
    tambon = access.get_tambon_or_404(request.user, pk)
    rows = selectors.export_rows(tambons=Tambon.objects.filter(pk=tambon.pk),
                                 mask=not access.handles_payments(request.user, tambon.university_id))  # fmt: skip
    data = write_workbook(rows, type_names=selectors.hiring_type_names(tambon.programme))
    return _xlsx(data, f"roster-{tambon.subdistrict_id}.xlsx")


# --- what happens to a person --------------------------------------------------------------------------

ACTIONS = {
    "resign": (ResignForm, _lazy("Resignation"), lambda c, d, u: services.contract_resign(contract=c, user=u, **d)),
    "terminate": (TerminateForm, _lazy("Termination"),
                  lambda c, d, u: services.contract_terminate(contract=c, user=u, **d)),
    "replace": (ReplaceForm, _lazy("Replacement from the reserve list"),
                lambda c, d, u: services.contract_replace(ended=c, reserve=d["reserve"], start_date=d["start_date"],
                                                          user=u, eligibility={k: d[k] for k in ELIGIBILITY_FIELDS},
                                                          passed_over_reason=d["passed_over_reason"])),
    "eligibility": (EligibilityForm, _lazy("Eligibility"),
                    lambda c, d, u: services.eligibility_record(contract=c, user=u, **d)),
    "digitize": (DigitizeForm, _lazy("Move to the Digitizing Government Data track"),
                 lambda c, d, u: services.contract_move_to_digitizing(contract=c, **d)),
    "training": (TrainingForm, _lazy("Training"), lambda c, d, u: services.training_record(contract=c, **d)),
}  # fmt: skip


@login_required
def contract_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action")
    qs = access.filter_by_tambon(request.user, Contract.objects.select_related("person", "hiring_type", "tambon"))
    contract = get_object_or_404(qs, pk=pk)
    if not access.can_edit_tambon(request.user, contract.tambon):
        raise PermissionDenied
    form_class, title, perform = ACTIONS[action]
    extra = {}
    if action == "replace":
        extra = {"reserves": selectors.reserve_list(tambon=contract.tambon).filter(hiring_type=contract.hiring_type)}
    elif action == "eligibility":
        extra = {"initial": selectors.eligibility_initial(contract)}
    form = form_class(request.POST or None, **extra)
    form.fields["version"] = VersionTokenField(initial=services.contract_version(contract))
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_version_check(contract, form.cleaned_data.pop("version"))
            perform(contract, form.cleaned_data, request.user)
            messages.success(request, _("Saved: %(what)s.") % {"what": title})
            return redirect("roster_team", pk=contract.tambon_id)
        except ValidationError as exc:
            _add_errors(form, exc)
    return render(request, "roster/contract_action.html", {
        "contract": contract, "form": form, "title": title,
        "eligibility": getattr(contract, "eligibility", None) if action == "eligibility" else None,
        "rules": selectors.eligibility_rule_texts(contract) if action in ("eligibility", "replace") else [],
    })  # fmt: skip


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- a university's import -----------------------------------------------------------------------------


def _managed_university(request: HttpRequest, pk: int):
    university = access.get_university_or_404(request.user, pk)
    if not access.can_manage_university(request.user, university):
        raise PermissionDenied
    return university


@login_required
def university_roster(request: HttpRequest, pk: int) -> HttpResponse:
    university = _managed_university(request, pk)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = roster_import_start(university=university, upload=form.cleaned_data["file"], user=request.user,
                                  language=request.LANGUAGE_CODE)  # fmt: skip
        return redirect("roster_import_detail", pk=job.pk)
    imports = RosterImport.objects.filter(university=university)[:10]
    tambons = Tambon.objects.filter(programme=_programme(), university=university)
    return render(request, "roster/university_roster.html", {
        "university": university, "form": form, "imports": imports,
        "summary_month": selectors.latest_accepted_month(tambons=tambons, programme=_programme()),
    })  # fmt: skip


@login_required
def university_template(request: HttpRequest, pk: int) -> HttpResponse:
    _managed_university(request, pk)
    return _template(_programme())


def _template(programme: Programme) -> HttpResponse:
    """The empty hiring sheet, its hiring types the programme's."""
    data = write_workbook([], type_names=selectors.hiring_type_names(programme))
    return _xlsx(data, f"{programme.code}-roster-template.xlsx")


# --- a unit's import (a programme's tree: Tambon Smart Team's district) -----------------------------------------


def _managed_unit(request: HttpRequest, unit_id: int):
    """A unit whose roster doors (imports, certificates) the person may open, and the tambons they hold there: 404
    for a unit they cannot see, 403 for one they see but manage no roster under (access.unit_roster_tambons)."""
    unit = get_object_or_404(access.visible_units_all(request.user).select_related("programme", "level"), pk=unit_id)
    tambons = access.unit_roster_tambons(request.user, unit)
    if not tambons.exists():
        raise PermissionDenied
    return unit, tambons


def _unit_crumb(unit) -> tuple[str, str]:
    return reverse("dashboard_unit", args=[unit.pk]), unit.titled


@login_required
def unit_roster(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Upload a unit's hiring sheet (the tambons under it whose roster the person manages), and its recent imports;
    the preview, confirmation and errors are the university's pages (import_detail ...)."""
    unit, _tambons = _managed_unit(request, unit_id)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = roster_import_start(unit=unit, upload=form.cleaned_data["file"], user=request.user,
                                  language=request.LANGUAGE_CODE)  # fmt: skip
        return redirect("roster_import_detail", pk=job.pk)
    return render(request, "roster/unit_roster.html", {
        "unit": unit, "crumb": _unit_crumb(unit), "form": form,
        "imports": RosterImport.objects.filter(unit=unit)[:10],
    })  # fmt: skip


@login_required
def unit_template(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit, _tambons = _managed_unit(request, unit_id)
    return _template(unit.programme)


@login_required
def university_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Built in the background (a university's roster takes seconds): the job's page offers the file."""
    university = _managed_university(request, pk)
    params = exports.university_roster_params(user=request.user, university=university, programme=_programme())
    return export_redirect(request, kind=exports.UNIVERSITY_ROSTER.name, params=params)


@login_required
def national_export(request: HttpRequest) -> HttpResponse:
    """Built in the background: the nation's roster took 14 s inside the request. The request's programme, for
    its own national roles (a Smart Team admin gets Smart Team's, never U2T's people)."""
    if request.programme is None or not access.national_in(request.user, request.programme.pk):
        raise Http404("National export")
    params = exports.national_roster_params(user=request.user, programme=request.programme)
    return export_redirect(request, kind=exports.NATIONAL_ROSTER.name, params=params)


def _import_or_404(request: HttpRequest, pk: int) -> RosterImport:
    """An import, for whoever manages its owner (its university's or its unit's door: 404 / 403 as there); one
    without owner (the command line's), for the national admin only."""
    job = get_object_or_404(RosterImport.objects.select_related("university", "unit__programme", "unit__level"), pk=pk)
    if job.university_id is not None:
        _managed_university(request, job.university_id)
    elif job.unit_id is not None:
        _managed_unit(request, job.unit_id)
    elif not access.may_manage_import(request.user, job):
        raise Http404("No such import")
    return roster_import_stale(job)


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_or_404(request, pk)
    only_errors = request.GET.get("show") == "errors"
    preview = selectors.import_preview(roster_import=job, only_errors=only_errors, page=request.GET.get("page"))
    return render(request, "roster/import_detail.html", {
        "job": job, "progress": selectors.import_progress(roster_import=job), "preview": preview,
        "only_errors": only_errors, "show_ids": access.handles_payments(request.user, job.university_id),
    })  # fmt: skip


@login_required
def import_progress(request: HttpRequest, pk: int) -> JsonResponse:
    job = _import_or_404(request, pk)
    return JsonResponse(selectors.import_progress(roster_import=job))


@login_required
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    job = _import_or_404(request, pk)
    if not job.errors:
        raise Http404("No error rows")
    data = roster_error_rows_xlsx(roster_import=job,
                                  type_names=selectors.hiring_type_names(roster_import_programme(job)))  # fmt: skip
    return _xlsx(data, f"roster-errors-{job.pk}.xlsx")


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm a preview (write what it checked), or start again an import whose run failed without row errors."""
    job = _import_or_404(request, pk)
    roster_import_confirm(roster_import=job, language=request.LANGUAGE_CODE)
    return redirect("roster_import_detail", pk=job.pk)


# --- certificates --------------------------------------------------------------------------------------


@login_required
def certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """A university's door (U2T): the people of every tambon it works."""
    university = _managed_university(request, pk)
    tambons = Tambon.objects.filter(programme=_programme(), university=university)
    crumb = (reverse("roster_university", args=[university.pk]), _("Hiring roster"))
    return _certificates_page(request, programme=_programme(), tambons=tambons, owner={"university": university.pk},
                              owner_name=university.name, crumb=crumb)  # fmt: skip


@login_required
def unit_certificates(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit's door (any programme's tree: Tambon Smart Team's district): the people of the tambons under it whose
    roster the person manages; a unit they may open but manage no roster under is refused."""
    unit, tambons = _managed_unit(request, unit_id)
    crumb = _unit_crumb(unit)
    return _certificates_page(request, programme=unit.programme, tambons=tambons, owner={"unit": unit.pk},
                              owner_name=crumb[1], crumb=crumb)  # fmt: skip


def _certificates_page(request: HttpRequest, *, programme: Programme, tambons, owner: dict, owner_name: str,
                       crumb: tuple[str, str]) -> HttpResponse:  # fmt: skip
    """Both doors: who is eligible (the programme's months), issue the ticked ones, print them as one PDF (a
    background job whose `owner` says whose certificates it may hold: tambon.roster.exports.CERTIFICATES)."""
    candidates = selectors.certificate_candidates(tambons=tambons)
    need = selectors.certificate_months(programme)
    eligible = [(c, months) for c, months in candidates if months >= need]
    if request.method == "POST":
        chosen = {int(x) for x in request.POST.getlist("contract") if x.isdigit()}
        issued = [services.certificate_issue(contract=c, user=request.user) for c, _m in eligible if c.pk in chosen]
        if not issued:
            messages.error(request, _("Choose at least one eligible person."))
            return redirect(request.path)
        params = {**owner, "certificates": sorted(c.pk for c in issued)}
        return export_redirect(request, kind=exports.CERTIFICATES.name, params=params)
    return render(request, "roster/certificates.html", {
        "owner_name": owner_name, "crumb": crumb, "eligible": eligible, "need": need,
        "not_yet": len(candidates) - len(eligible), "programme": programme,
    })  # fmt: skip
