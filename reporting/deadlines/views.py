from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pbm import review
from pbm.views import review_context, review_post
from tambon import access
from tambon.views import current_programme

from ..models import Activity
from ..views import attached_file_delete_post
from . import selectors, services
from .forms import ActivityCompleteForm, CompletionReportForm, MouReportForm, UnitReportForm
from .models import CompletionFile, CompletionReport, MouPeriod, MouReport, UnitMonthlyReport


def _today():
    return timezone.localdate()  # TIME_ZONE is Asia/Bangkok


# --- activity completion reports -----------------------------------------------------------------------


@login_required
def completion_report(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = get_object_or_404(
        access.filter_by_tambon(request.user, Activity.objects.with_category()), pk=activity_id
    )
    tambon = access.get_tambon_or_404(request.user, activity.tambon_id)
    report = CompletionReport.objects.filter(activity=activity).first()
    can_edit = access.can_edit_tambon(request.user, tambon) and (report is None or report.is_open_for_editing)
    initial = {"version": report.version if report else 0, "results": report.results if report else ""}
    initial |= {f"participants_{u}": c for u, c in (report.participants if report else {}).items()}
    form = CompletionReportForm(request.POST or None, request.FILES or None, initial=initial)
    complete_form = ActivityCompleteForm(request.POST if "complete" in request.POST else None)
    if request.method == "POST" and not access.can_edit_tambon(request.user, tambon):
        raise PermissionDenied(_("Only the tambon's university staff can file its completion reports."))
    if request.method == "POST" and "complete" in request.POST:
        if complete_form.is_valid():
            try:
                services.activity_complete(activity=activity, user=request.user,
                                           completed_on=complete_form.cleaned_data["completed_on"])  # fmt: skip
            except ValidationError as error:
                complete_form.add_error(None, error)
            else:
                messages.success(request, _("Marked complete. The completion report is due in 7 days."))
                return redirect("completion_report", activity_id=activity.pk)
    elif request.method == "POST" and report is not None and form.is_valid():
        try:
            services.completion_report_save(
                report=report, user=request.user, results=form.cleaned_data["results"],
                participants=form.participants(), files=form.cleaned_data["files"] or [],
                seen_version=form.cleaned_data["version"], submit="submit" in request.POST,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
            if form.cleaned_data["files"]:
                form.add_error("files", _("Nothing was saved, so the files you chose are not attached yet: "
                                          "choose them again."))  # fmt: skip
            report = CompletionReport.objects.get(pk=report.pk)  # nothing was written; as stored
        else:
            messages.success(request, _("Submitted for review.") if "submit" in request.POST else _("Saved."))
            return redirect("completion_report", activity_id=activity.pk)
    return render(request, "reporting/deadlines/completion_report.html", {
        "tambon": tambon, "activity": activity, "report": report, "form": form, "complete_form": complete_form,
        "can_edit": can_edit, "today": _today(),
        "overdue": report is not None and report.is_overdue(_today()),
        **review_context(request.user, report),
        "files": list(report.files.all()) if report else [],
    })  # fmt: skip


@login_required
@require_POST
def completion_review(request: HttpRequest, activity_id: int) -> HttpResponse:
    # by the activity's own key: an id past the integer range is "not found", not a database overflow
    report = get_object_or_404(selectors.completion_reports(user=request.user), activity__pk=activity_id)
    review_post(request, report)
    return redirect("completion_report", activity_id=activity_id)


@login_required
def completion_file(request: HttpRequest, file_id: int) -> FileResponse:
    scoped = access.filter_by_tambon(request.user, CompletionFile.objects.all(), "report__activity__tambon")
    return get_object_or_404(scoped, pk=file_id).response(inline_images=True)


@login_required
@require_POST
def completion_file_delete(request: HttpRequest, file_id: int) -> HttpResponse:
    scoped = access.filter_by_tambon(
        request.user, CompletionFile.objects.select_related("report"), "report__activity__tambon"
    )
    attached = get_object_or_404(scoped, pk=file_id)
    attached_file_delete_post(request, attached)
    return redirect("completion_report", activity_id=attached.report.activity_id)


COMPLETION_LISTS = ("to_review", "overdue", "due")


@login_required
def completion_list(request: HttpRequest) -> HttpResponse:
    """Completion reports in scope, by list: awaiting review (reviewers), overdue, and due soon; paginated."""
    today = _today()
    lists = {
        "to_review": selectors.completion_reports_to_review(user=request.user).order_by("submitted_at", "id"),
        "overdue": selectors.completion_reports_overdue(today=today, user=request.user).order_by("due_on", "id"),
        "due": selectors.completion_reports(user=request.user)
        .filter(first_submitted_at__isnull=True, due_on__gte=today)
        .order_by("due_on", "id"),
    }
    counts = {name: qs.count() for name, qs in lists.items()}
    show = request.GET.get("show")
    if show not in COMPLETION_LISTS:
        show = next((name for name in COMPLETION_LISTS if counts[name]), "overdue")
    page = Paginator(lists[show], 100).get_page(request.GET.get("page"))
    return render(request, "reporting/deadlines/completion_list.html",
                  {"today": today, "counts": counts, "show": show, "page": page})  # fmt: skip


# --- MOU reports -----------------------------------------------------------------------------------------


def _mou_owner(request: HttpRequest, owner: str, owner_id: int, kinds: tuple[str, ...] = MouReport.OWNERS):
    """The report's owner from the URL, through tambon/access.py (404 when out of scope): a university, a network,
    or (half-year and year-end reports of a programme of the unit tree) a unit of its filing level."""
    if owner not in kinds:
        raise Http404("Unknown report owner")
    if owner == "university":
        return {"university": access.get_university_or_404(request.user, owner_id)}
    if owner == "network":
        return {"network": access.get_network_or_404(request.user, owner_id)}
    return {"unit": access.get_filing_unit_or_404(request.user, owner_id)}


def _mou_programme(request: HttpRequest, owner: dict):
    """A unit's report is of the unit's programme (a link from a message opens whichever programme is chosen)."""
    return owner["unit"].programme if "unit" in owner else current_programme(request)


@login_required
def mou_report(request: HttpRequest, period: str, owner: str, owner_id: int) -> HttpResponse:
    if period not in MouPeriod.values:
        raise Http404("Unknown report period")
    found = _mou_owner(request, owner, owner_id)
    programme = _mou_programme(request, found)
    owner_kwargs = {"programme": programme, "period": period, **found}
    # A GET never writes: a report nobody has saved yet is shown unsaved and created by its first save.
    report = MouReport.objects.filter(**owner_kwargs).first() or MouReport(**owner_kwargs)
    can_edit = review.can_file(request.user, report) and report.is_open_for_editing
    form = MouReportForm(request.POST or None, instance=report, initial={"version": report.version})
    if request.method == "POST":
        if not review.can_file(request.user, report):
            raise PermissionDenied(_("You may not write this report."))
        if form.is_valid():
            try:
                report = report if report.pk else services.mou_report_for(**owner_kwargs)
                services.mou_report_save(report=report, user=request.user, seen_version=form.cleaned_data["version"],
                                         sections={n: form.cleaned_data[n] for n in MouReport.SECTIONS},
                                         submit="submit" in request.POST)  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
                report = MouReport.objects.get(pk=report.pk)  # nothing was written; as stored
            else:
                messages.success(request, _("Submitted for review.") if "submit" in request.POST else _("Saved."))
                return redirect(request.path)
    settings = services.DeadlineSettings.for_programme(programme)
    figures, coverage = _mou_figures(request, report)
    return render(request, "reporting/deadlines/mou_report.html", {
        "report": report, "form": form, "can_edit": can_edit, "figures": figures, "due": report.due_date(settings),
        "coverage": coverage,
        **review_context(request.user, report),
    })  # fmt: skip


def _mou_figures(request: HttpRequest, report: MouReport) -> tuple[dict, str]:
    """The figures the page shows, and a plain sentence when they are not exactly over the viewer's tambons: live
    figures count only the tambons the viewer may see; submitted ones are the whole report, as its filer froze it."""
    tambons = selectors.mou_tambons(report=report)
    total = tambons.count()
    if report.first_submitted_at:
        hidden = total - access.visible_tambons(request.user, tambons).count()
        if not hidden:
            return report.figures, ""
        return report.figures, _(
            "As submitted, these figures cover all %(total)s tambons of %(owner)s, %(hidden)s of them outside your scope."
        ) % {"total": total, "owner": report.owner, "hidden": hidden}
    figures = selectors.mou_figures(report=report, user=request.user).as_json()
    if figures["tambons"] == total:
        return figures, ""
    return figures, _("These figures cover only the %(seen)s of %(total)s tambons of %(owner)s that you may see.") % {
        "seen": figures["tambons"], "total": total, "owner": report.owner}  # fmt: skip


@login_required
@require_POST
def mou_review(request: HttpRequest, period: str, owner: str, owner_id: int) -> HttpResponse:
    owner_kwargs = _mou_owner(request, owner, owner_id)
    report = get_object_or_404(MouReport, programme=_mou_programme(request, owner_kwargs), period=period,
                               **owner_kwargs)  # fmt: skip
    review_post(request, report)
    return redirect("mou_report", period=period, owner=owner, owner_id=owner_id)


MOU_OWNERS_PER_PAGE = 100


@login_required
def mou_list(request: HttpRequest) -> HttpResponse:
    """The half-year and year-end reports in the user's scope, one row per owner: U2T's universities and networks,
    or the units of a programme of the unit tree that file its reports."""
    programme = current_programme(request)
    settings = services.DeadlineSettings.for_programme(programme)
    reports = {(r.period, r.owner_kind, r.owner.pk): r
               for r in selectors.mou_reports(user=request.user, programme=programme)}  # fmt: skip
    periods = [(p, label, settings.mou_6_month_due if p == MouPeriod.SIX_MONTH else settings.mou_12_month_due)
               for p, label in MouPeriod.choices]  # fmt: skip
    level = access.filing_level(programme)
    if level is not None:
        owners = [
            ("unit", u)
            for u in access.visible_units(request.user, programme).filter(level=level).select_related("level")
            .order_by("code")
        ]  # fmt: skip
    else:
        universities = access.visible_universities(request.user).filter(tambons__programme=programme).distinct()
        owners = [("university", u) for u in universities] + [
            ("network", n) for n in access.visible_networks(request.user)
        ]
    page = Paginator(owners, MOU_OWNERS_PER_PAGE).get_page(request.GET.get("page"))  # Smart Team: 878 districts
    rows = [(kind, owner, [(p, reports.get((p, kind, owner.pk))) for p, _l, _d in periods]) for kind, owner in page]
    unlocking = selectors.instalment_2_unlocking(programme)
    reviewer = programme.unit_levels.filter(code=access.report_level(programme, "reviewed_by")).first()
    return render(request, "reporting/deadlines/mou_list.html", {
        "rows": rows, "page": page, "periods": periods, "level": level, "reviewer_level": reviewer,
        "unlocking_label": MouPeriod(unlocking.period).label,
    })  # fmt: skip


# --- unit monthly reports (issue #15 item 1) -----------------------------------------------------------------


def _unit_month(programme, year: int, month: int) -> None:
    if (year, month) not in programme.months():
        raise Http404("Not a month of the programme")


@login_required
def unit_report(request: HttpRequest, owner: str, owner_id: int, year: int, month: int) -> HttpResponse:
    """A university's monthly report or a network's management report: the roll-up, the unit's narrative and
    own management spending, and the review."""
    programme = current_programme()
    _unit_month(programme, year, month)
    owner_kwargs = {"programme": programme, "year": year, "month": month,
                    **_mou_owner(request, owner, owner_id, UnitMonthlyReport.OWNERS)}  # fmt: skip
    report = UnitMonthlyReport.objects.filter(**owner_kwargs).first() or UnitMonthlyReport(
        **owner_kwargs
    )  # GET never writes
    can_edit = review.can_file(request.user, report) and report.is_open_for_editing
    form = UnitReportForm(request.POST or None, initial={"version": report.version, "narrative": report.narrative,
                                                         "management_actual": report.management_actual})  # fmt: skip
    if request.method == "POST":
        if not review.can_file(request.user, report):
            raise PermissionDenied(_("You may not write this report."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = report if report.pk else services.unit_report_for(**owner_kwargs)
                services.unit_report_save(report=report, user=request.user, narrative=data["narrative"],
                                          management_actual=data["management_actual"], seen_version=data["version"],
                                          submit="submit" in request.POST)  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
                report = UnitMonthlyReport.objects.get(pk=report.pk)
            else:
                messages.success(request, _("Submitted for review.") if "submit" in request.POST else _("Saved."))
                return redirect(request.path)
    figures = report.figures if report.first_submitted_at and report.figures else selectors.unit_month_figures(
        programme=programme, year=year, month=month, university=report.university, network=report.network)  # fmt: skip
    return render(request, "reporting/deadlines/unit_report.html", {
        "report": report, "form": form, "can_edit": can_edit, "figures": figures, "owner": owner,
        "deadline": services.unit_report_deadline(programme, year, month), "year": year, "month": month,
        "months": programme.months(), **review_context(request.user, report),
    })  # fmt: skip


@login_required
@require_POST
def unit_report_review(request: HttpRequest, owner: str, owner_id: int, year: int, month: int) -> HttpResponse:
    owner_kwargs = _mou_owner(request, owner, owner_id, UnitMonthlyReport.OWNERS)
    report = get_object_or_404(UnitMonthlyReport, programme=current_programme(), year=year, month=month, **owner_kwargs)
    review_post(request, report)
    return redirect("unit_report", owner=owner, owner_id=owner_id, year=year, month=month)


@login_required
def unit_report_list(request: HttpRequest) -> HttpResponse:
    """The unit monthly reports of one month in the user's scope (default: the last month already due)."""
    programme = current_programme()
    months = programme.months()
    chosen = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in chosen.split("-")) if chosen else _last_due_month(programme)
    except ValueError:
        raise Http404("Bad month") from None
    _unit_month(programme, year, month)
    rows = selectors.unit_reports_expected(user=request.user, programme=programme, year=year, month=month)
    return render(request, "reporting/deadlines/unit_report_list.html", {
        "rows": rows, "year": year, "month": month, "months": months,
        "deadline": services.unit_report_deadline(programme, year, month),
    })  # fmt: skip


def _last_due_month(programme) -> tuple[int, int]:
    now = timezone.now()
    due = [m for m in programme.months() if services.unit_report_deadline(programme, *m) <= now]
    return due[-1] if due else programme.months()[0]


# --- instalments -----------------------------------------------------------------------------------------


@login_required
def instalment_list(request: HttpRequest) -> HttpResponse:
    if not access.reviews_anything(request.user):
        raise Http404("Instalments are for reviewers")
    only = request.GET.get("only", "")
    summary = selectors.instalment_list(user=request.user, programme=current_programme(request), only=only)
    page = Paginator(summary.rows, 200).get_page(request.GET.get("page"))
    return render(request, "reporting/deadlines/instalment_list.html", {"summary": summary, "only": only, "page": page})
