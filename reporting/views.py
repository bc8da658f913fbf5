from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pbm import bulk
from pbm.export_views import export_redirect
from pbm.formats import month_label
from pbm.history import history
from pbm.models import ReviewStatus
from pbm.views import review_context, review_post
from tambon import access

from . import exports, selectors, services
from .deadlines import selectors as deadline_selectors
from .forms import ActivityForm, LinePlanForm, MonthlyReportForm
from .models import Activity, AttachedFile, BudgetLine, Evidence


def _editable_tambon(request: HttpRequest, tambon_id: int, child=None, **lookup):
    """The tambon (404 outside scope) and, if asked, its `child` row by `lookup` (404 if it is not the tambon's,
    before any permission check: another tambon's row is missing here, not forbidden); 403 for a viewer."""
    tambon = access.get_tambon_or_404(request.user, tambon_id)
    found = get_object_or_404(child, tambon=tambon, **lookup) if child is not None else None
    if not access.can_edit_tambon(request.user, tambon):
        raise PermissionDenied(_("Only the tambon's university staff can change its budget."))
    return tambon, found


def _month_or_404(tambon, year: int, month: int) -> None:
    if (year, month) not in tambon.programme.months():
        raise Http404("Month outside the project year")


@login_required
def budget_table(request: HttpRequest, tambon_id: int) -> HttpResponse:
    tambon = access.get_tambon_or_404(request.user, tambon_id)
    table = selectors.budget_table(tambon=tambon)
    return render(
        request,
        "reporting/budget_table.html",
        {"tambon": tambon, "table": table, "can_edit": access.can_edit_tambon(request.user, tambon),
         "history": history(tambon_id=tambon.pk)},  # totals, activities, household imports: no single month's
    )  # fmt: skip


@login_required
@require_POST
def budget_init(request: HttpRequest, tambon_id: int) -> HttpResponse:
    tambon, _none = _editable_tambon(request, tambon_id)
    services.budget_plan_init(tambon=tambon, user=request.user)
    messages.success(request, _("The budget plan is set up with the programme's defaults."))
    return redirect("budget_table", tambon_id=tambon.pk)


@login_required
def line_edit(request: HttpRequest, tambon_id: int, line_id: int) -> HttpResponse:
    tambon, line = _editable_tambon(
        request, tambon_id, BudgetLine.objects.select_related("category", "activity"), pk=line_id
    )
    months = tambon.programme.months()
    amounts = selectors.line_amounts(line=line)
    initial = {"total": line.total, "explanation": line.explanation, "version": line.version}
    initial |= {f"plan_{y}_{m}": a.plan for (y, m), a in amounts.items()}
    form = LinePlanForm(request.POST or None, initial=initial, months=months, with_total=not line.activity_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.line_plan_save(line=line, user=request.user, plans=form.plans(),
                                    total=form.cleaned_data.get("total"), explanation=form.cleaned_data["explanation"],
                                    seen_version=form.cleaned_data["version"])  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved the plan of %(line)s.") % {"line": line.label})
            return redirect("budget_table", tambon_id=tambon.pk)
    rows = [(field, amounts.get(m)) for field, m in zip(form.month_fields(), months, strict=True)]
    return render(request, "reporting/line_edit.html", {"tambon": tambon, "line": line, "form": form, "rows": rows})


@login_required
def activity_edit(request: HttpRequest, tambon_id: int, activity_id: int | None = None) -> HttpResponse:
    tambon, activity = _editable_tambon(request, tambon_id, Activity if activity_id else None, pk=activity_id)
    form = ActivityForm(request.POST or None, instance=activity, programme=tambon.programme)
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            saved = services.activity_save(tambon=tambon, user=request.user, activity=activity,
                                           seen_version=data.pop("version"), **data)  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved the activity %(name)s; now plan its months.") % {"name": saved.name})
            return redirect("line_edit", tambon_id=tambon.pk, line_id=saved.line.pk)
    return render(request, "reporting/activity_edit.html", {"tambon": tambon, "activity": activity, "form": form})


@login_required
def report_detail(request: HttpRequest, tambon_id: int, year: int, month: int) -> HttpResponse:
    tambon = access.get_tambon_or_404(request.user, tambon_id)
    _month_or_404(tambon, year, month)
    report = selectors.monthly_report_find(tambon=tambon, year=year, month=month)
    can_edit = access.can_edit_tambon(request.user, tambon) and not services.locked_reason(report)
    lines = selectors.month_lines(tambon=tambon, year=year, month=month)
    initial = {"version": report.version if report else 0, "narrative": report.narrative if report else "",
               "over_budget_explanation": report.over_budget_explanation if report else ""}  # fmt: skip
    initial |= {f"actual_{line.pk}": amount.actual for line, amount in lines if amount}
    initial |= {f"split_{line_id}_{type_id}": amount
                for line_id, parts in selectors.expense_splits(tambon=tambon, year=year, month=month).items()
                for type_id, amount in parts.items()}  # fmt: skip
    form = MonthlyReportForm(request.POST or None, request.FILES or None, initial=initial, lines=lines,
                             expense_types=selectors.funded_expense_types(tambon.programme_id))  # fmt: skip
    if request.method == "POST" and not can_edit:
        if not access.can_edit_tambon(request.user, tambon):
            raise PermissionDenied(_("Only the tambon's university staff can file its reports."))
        form.add_error(None, services.locked_reason(report))
    elif request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.monthly_report_save(
                tambon=tambon, year=year, month=month, user=request.user, seen_version=form.cleaned_data["version"],
                actuals=form.actuals(), splits=form.splits(), narrative=form.cleaned_data["narrative"],
                over_budget_explanation=form.cleaned_data["over_budget_explanation"],
                files=form.cleaned_data["evidence"] or [], submit=submit,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
            if form.cleaned_data["evidence"]:
                form.add_error("evidence", _("Nothing was saved, so the files you chose are not attached yet: "
                                             "choose them again."))  # fmt: skip
            # Nothing was written: the page keeps what was typed and the version it was rendered with.
            report = selectors.monthly_report_find(tambon=tambon, year=year, month=month)
        else:
            messages.success(request, _("Submitted for review.") if submit else _("Saved."))
            return redirect("report_detail", tambon_id=tambon.pk, year=year, month=month)
    return render(
        request,
        "reporting/report_detail.html",
        _report_context(request, tambon, report, form, lines, year, month, can_edit),
    )


def _report_context(request, tambon, report, form, lines, year, month, can_edit) -> dict:
    deadline = services.month_deadline(tambon, year, month)
    splits = _split_text(tambon, year, month)
    return {
        "tambon": tambon, "report": report, "form": form, "year": year, "month": month, "can_edit": can_edit,
        "rows": [(line, figure, form[f"actual_{line.pk}"] if f"actual_{line.pk}" in form.fields else None,
                  form.split_fields(line.pk), splits.get(line.pk, [])) for line, figure in lines],
        "locked_reason": services.locked_reason(report),
        "deadline": deadline,
        "deadline_passed": (report is None or report.submitted_at is None) and timezone.now() > deadline,
        **review_context(request.user, report),
        "history": history(obj=report, tambon_id=tambon.pk, month=(year, month)),
        "evidence": list(report.evidence.all()) if report and report.pk else [],
    }  # fmt: skip


def _split_text(tambon, year: int, month: int) -> dict[int, list[tuple[str, object]]]:
    """Read-only pages: each line's split as (expense type, amount)."""
    names = dict(selectors.funded_expense_types(tambon.programme_id).values_list("pk", "name_th"))
    return {line_id: [(names.get(t, "—"), amount) for t, amount in parts.items()]
            for line_id, parts in selectors.expense_splits(tambon=tambon, year=year, month=month).items()}  # fmt: skip


@login_required
@require_POST
def report_review(request: HttpRequest, tambon_id: int, year: int, month: int) -> HttpResponse:
    tambon = access.get_tambon_or_404(request.user, tambon_id)
    report = selectors.monthly_report_find(tambon=tambon, year=year, month=month)
    if report is None:
        raise Http404("No report for this month")
    review_post(
        request, report,
        accept=lambda r, user, _reason: services.monthly_report_accept(report=r, user=user),
        return_=lambda r, user, reason: services.monthly_report_return(report=r, user=user, reason=reason),
        reopen=lambda r, user, reason: services.monthly_report_reopen(report=r, user=user, reason=reason),
    )  # fmt: skip
    return redirect("report_detail", tambon_id=tambon.pk, year=year, month=month)


@login_required
def evidence_download(request: HttpRequest, tambon_id: int, evidence_id: int) -> FileResponse:
    tambon = access.get_tambon_or_404(request.user, tambon_id)
    return get_object_or_404(Evidence, pk=evidence_id, report__tambon=tambon).response()


def attached_file_delete_post(request: HttpRequest, attached: AttachedFile) -> None:
    """Remove a report's file through the one service and say what happened; the caller redirects to the report.
    A user in scope who may not file the report gets the service's PermissionDenied (403)."""
    try:
        services.attached_file_delete(attached=attached, user=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Removed %(name)s.") % {"name": attached.name})


@login_required
@require_POST
def evidence_delete(request: HttpRequest, tambon_id: int, evidence_id: int) -> HttpResponse:
    tambon = access.get_tambon_or_404(request.user, tambon_id)
    evidence = get_object_or_404(Evidence.objects.select_related("report"), pk=evidence_id, report__tambon=tambon)
    attached_file_delete_post(request, evidence)
    return redirect("report_detail", tambon_id=tambon.pk, year=evidence.report.year, month=evidence.report.month)


REVIEW_KINDS = {"monthly": gettext_lazy("Monthly reports"), "completion": gettext_lazy("Activity completion reports"),
                "mou": gettext_lazy("6- and 12-month reports")}  # fmt: skip


def _review_filters(request: HttpRequest, user) -> dict:
    """The review list's filters from the query string; a malformed value is ignored."""
    params = request.GET
    kind = params.get("kind") if params.get("kind") in REVIEW_KINDS else "monthly"
    universities = list(access.visible_universities(user).order_by("code"))
    try:
        university_id = int(params.get("university") or 0) or None
    except ValueError:
        university_id = None
    if university_id not in {u.pk for u in universities}:
        university_id = None
    month = None
    try:
        year, number = (int(part) for part in (params.get("month") or "").split("-"))
        month = (year - 543 if year > 2400 else year, number)
    except ValueError:
        pass
    flags = tuple(f for f in params.getlist("flag") if f in selectors.REVIEW_FLAGS)
    return {"kind": kind, "university_id": university_id, "month": month, "flags": flags, "universities": universities}


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """What the reviewer has to review, filtered (university, month, kind, late, over budget); the ticked items are
    accepted in one action, each through its own accept service and rules."""
    if not access.reviews_anything(request.user):
        raise Http404("Reviews are for reviewers")
    filters = _review_filters(request, request.user)
    kind = filters["kind"]
    status = request.GET.get("status") or ReviewStatus.SUBMITTED
    if status not in ReviewStatus.values or kind == "completion":
        status = ReviewStatus.SUBMITTED
    if kind == "monthly":
        reports = selectors.reports_to_review(user=request.user, status=status)
    elif kind == "mou":
        reports = deadline_selectors.mou_reports_to_review(user=request.user)
    else:
        reports = deadline_selectors.completion_reports_to_review(user=request.user).select_related(
            "activity__tambon__university", "submitted_by").order_by("submitted_at", "id")  # fmt: skip
    reports = selectors.review_list_filter(
        reports, kind=kind, university_id=filters["university_id"], month=filters["month"], flags=filters["flags"]
    )
    if request.method == "POST":
        _accept_selected(request, reports, kind)
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    page = Paginator(reports, 100).get_page(request.GET.get("page"))
    return render(request, "reporting/review_list.html", {
        "page": page, "status": status, "statuses": ReviewStatus.choices, "kinds": REVIEW_KINDS.items(),
        "filters": filters, "query": request.GET.urlencode(), "month_text": request.GET.get("month", ""),
        "can_bulk": status == ReviewStatus.SUBMITTED,
    })  # fmt: skip


def _accept_selected(request: HttpRequest, reports, kind: str) -> None:
    chosen: dict[int, int | None] = {}
    for value in request.POST.getlist("selected"):
        pk, _sep, version = value.partition(":")
        if pk.isdigit():
            chosen[int(pk)] = int(version) if version.isdigit() else None
    if not chosen:
        messages.error(request, _("Tick the reports to accept first."))
        return
    found = {r.pk: r for r in reports.filter(pk__in=chosen)}  # only what this reviewer's list holds
    accept = None  # pbm/review.py's accept, as on the report's own page
    if kind == "monthly":
        label = lambda r: f"{r.tambon.place} · {month_label(r.year, r.month)}"  # noqa: E731
        accept = lambda r, user: services.monthly_report_accept(report=r, user=user)  # noqa: E731
    elif kind == "mou":
        label = lambda r: r.notification_label()  # noqa: E731
    else:
        label = lambda r: f"{r.activity.name} · {r.activity.tambon.place}"  # noqa: E731
    result = bulk.review_accept_each(
        user=request.user, items=[(found[pk], chosen[pk]) for pk in chosen if pk in found], label=label, accept=accept
    )
    missing = len([pk for pk in chosen if pk not in found])
    if result.accepted:
        messages.success(request, _("Accepted %(count)d: %(reports)s.") % {
            "count": len(result.accepted), "reports": "; ".join(result.accepted)})  # fmt: skip
    for report, why in result.refused:
        messages.error(request, _("Not accepted: %(report)s — %(why)s") % {"report": report, "why": why})
    if missing:
        messages.error(request, _("%(count)d ticked reports are no longer waiting for your review; reload the list.")
                       % {"count": missing})  # fmt: skip


@login_required
def budget_export_tambon(request: HttpRequest, tambon_id: int) -> HttpResponse:
    tambon = access.get_tambon_or_404(request.user, tambon_id)
    return exports.xlsx_response(exports.budget_workbook([tambon]), f"budget-{tambon.code}.xlsx")


@login_required
def budget_export_university(request: HttpRequest, university_id: int) -> HttpResponse:
    """Built in the background (a university's tables take seconds): the job's page offers the file."""
    university = access.get_university_or_404(request.user, university_id)
    params = exports.university_budget_params(user=request.user, university=university)
    if params is None:
        raise Http404("No tambons of this university in your scope")
    return export_redirect(request, kind=exports.UNIVERSITY_BUDGET.name, params=params)
