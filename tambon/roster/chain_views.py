"""Pages of the hiring chain (issue #15 items 3-5): the changes sent to the Ministry of Labour and the follow-up
workbook, the wage chain and its reconciliation, the people's monthly work reports and the university's
monthly summary to NSI.

Access (tambon/access.py): the changes and the wage pages of a university are for its managers and the national
staff; NSI admins record transfers and instalments; university managers record payments. Work reports follow
the tambon (entered by those who edit it); the monthly summary is seen by whoever sees the university.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pbm.formats import month_label
from tambon import access, units
from tambon.models import Network, Programme, Tambon, University

from . import labour, personal, selectors
from .forms import (
    DateRangeForm,
    InstalmentForm,
    PersonalReportForm,
    WageCorrectionForm,
    WagePaymentForm,
    WageTransferForm,
    WorkReportForm,
)
from .models import Contract, ContractStatus, WageTransfer
from .services.month import ReportEntry, work_reports_save
from .services.wages import instalment_record, wage_payments_record, wage_transfer_record
from .views import _add_errors, _programme, _xlsx


def _university_for_payroll(request: HttpRequest, pk: int) -> University:
    """A university's hiring changes and wages: its managers and the national staff."""
    university = access.get_university_or_404(request.user, pk)
    if not (access.can_manage_university(request.user, university) or access.is_national(request.user)):
        raise PermissionDenied
    return university


def _range(request: HttpRequest, programme: Programme) -> tuple[DateRangeForm, dt.date, dt.date]:
    """The range asked for (default: the programme's start to today, within the programme)."""
    default_end = min(max(timezone.localdate(), programme.start_date), programme.end_date)
    asked = "start" in request.GET or "end" in request.GET  # not `?programme=` alone
    form = DateRangeForm(request.GET if asked else None, initial={"start": programme.start_date, "end": default_end})
    if asked and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, programme.start_date, default_end


# --- item 4: changes for the Ministry of Labour, and the follow-up workbook -------------------------------


@login_required
def changes(request: HttpRequest, pk: int) -> HttpResponse:
    university = _university_for_payroll(request, pk)
    programme = _programme()
    form, start, end = _range(request, programme)
    tambons = Tambon.objects.filter(programme=programme, university=university)
    found = labour.hiring_changes(tambons=tambons, start=start, end=end) if not form.errors else []
    return render(request, "roster/changes.html", {
        "university": university, "form": form, "changes": found, "start": start, "end": end,
        "query": request.GET.urlencode(), "show_ids": access.handles_payments(request.user, university.pk),
    })  # fmt: skip


EXPORTS = {"labour": (labour.changes_xlsx, "labour-changes"), "follow-up": (labour.follow_up_xlsx, "hiring-follow-up")}


def _export(request: HttpRequest, kind: str, tambons, who: str, code: str, programme: Programme) -> HttpResponse:
    if kind not in EXPORTS:
        raise Http404("No such export")
    form, start, end = _range(request, programme)
    if form.errors:
        return HttpResponse(" ".join(form.non_field_errors()) or _("Give a valid date range."), status=400)
    write, name = EXPORTS[kind]
    return _xlsx(write(tambons=tambons, start=start, end=end, who=who), f"{name}-{code}-{start}-{end}.xlsx")


@login_required
def changes_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    university = _university_for_payroll(request, pk)
    if not access.handles_payments(request.user, university.pk):
        raise PermissionDenied  # the Ministry's files carry full national IDs
    programme = _programme()
    tambons = Tambon.objects.filter(programme=programme, university=university)
    return _export(request, kind, tambons, university.name_th, university.code, programme)


@login_required
def national_changes_export(request: HttpRequest, kind: str) -> HttpResponse:
    programme = _national_programme(request, admin=True)
    who = "สป.อว." if units.u2t_shaped(programme) else units.root_of(programme).name  # the national office
    return _export(request, kind, Tambon.objects.filter(programme=programme), who, "national", programme)


# --- item 5: the wage chain --------------------------------------------------------------------------------


@login_required
def university_wages(request: HttpRequest, pk: int) -> HttpResponse:
    university = _university_for_payroll(request, pk)
    programme = _programme()
    may_pay = access.can_manage_university(request.user, university)
    may_transfer = access.is_national_admin(request.user)
    tambons = Tambon.objects.filter(programme=programme, university=university)
    people = (Contract.objects.filter(tambon__in=tambons).exclude(status=ContractStatus.RESERVE)
              .select_related("person", "tambon__subdistrict").order_by("tambon_id", "person__first_name"))  # fmt: skip
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "pay": WagePaymentForm(request.POST if action == "pay" else None, programme=programme, prefix="pay"),
        "correct": WageCorrectionForm(request.POST if action == "correct" else None, programme=programme,
                                      contracts=people, prefix="correct"),
        "transfer": WageTransferForm(request.POST if action == "transfer" else None, programme=programme,
                                     prefix="transfer"),
    }  # fmt: skip
    if action is not None:
        if action not in forms or (action == "transfer" and not may_transfer) or (action != "transfer" and not may_pay):
            raise PermissionDenied
        form = forms[action]
        if form.is_valid():
            data = form.cleaned_data
            year, month = data["month"]
            try:
                if action == "transfer":
                    wage_transfer_record(university=university, programme=programme, year=year, month=month,
                                         amount=data["amount"], transferred_on=data["transferred_on"],
                                         reference=data["reference"], user=request.user)  # fmt: skip
                elif action == "pay":
                    accepted = list(people.filter(acceptances__year=year, acceptances__month=month)
                                    .exclude(wage_payments__year=year, wage_payments__month=month))  # fmt: skip
                    if not accepted:  # a correction recorded for one person is never overwritten here
                        raise ValidationError(_("Nobody's accepted work of %(month)s is left unpaid.")
                                              % {"month": month_label(year, month)})  # fmt: skip
                    wage_payments_record(contracts=accepted, year=year, month=month, paid_on=data["paid_on"],
                                         reference=data["reference"], user=request.user)  # fmt: skip
                else:
                    wage_payments_record(contracts=[data["contract"]], year=year, month=month,
                                         paid_on=data["paid_on"], reference=data["reference"],
                                         amounts={data["contract"].pk: data["amount"]}, user=request.user)  # fmt: skip
                messages.success(request, _("Saved."))
                return redirect("roster_wages", pk=university.pk)
            except ValidationError as exc:
                _add_errors(form, exc)
    reconciliation = selectors.wage_reconciliation(universities=[university], programme=programme)
    return render(request, "roster/wages.html", {
        "university": university, "reconciliation": reconciliation, "may_pay": may_pay, "may_transfer": may_transfer,
        "forms": forms, "transfers": WageTransfer.objects.filter(university=university),
        "show_ids": access.handles_payments(request.user, university.pk),
    })  # fmt: skip


def _national_programme(request: HttpRequest, *, admin: bool = False) -> Programme:
    """The request's programme, for its own national roles (`admin`: its national admin): another programme's
    national admin never reaches U2T's wages or its people's full IDs."""
    programme = request.programme
    allowed = access.administers if admin else access.national_in
    if programme is None or not allowed(request.user, programme.pk):
        raise Http404("Not national in this programme")
    return programme


@login_required
def national_wages(request: HttpRequest) -> HttpResponse:
    programme = _national_programme(request)
    if not units.u2t_shaped(programme):  # the NSI's instalments to networks and universities
        raise Http404("No wage instalments in this programme")
    universities = list(University.objects.filter(tambons__programme=programme).distinct())
    networks = list(Network.objects.all())
    may_record = access.administers(request.user, programme.pk)
    form = InstalmentForm(request.POST if request.method == "POST" else None, programme=programme,
                          networks=networks, universities=universities)  # fmt: skip
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            kind, recipient_id = data["recipient"][0], int(data["recipient"][1:])
            recipient = (Network if kind == "n" else University).objects.get(pk=recipient_id)
            try:
                instalment_record(programme=programme, recipient=recipient, number=data["number"],
                                  amount=data["amount"], paid_on=data["paid_on"], reference=data["reference"],
                                  user=request.user)  # fmt: skip
                messages.success(request, _("Saved."))
                return redirect("roster_wages_national")
            except ValidationError as exc:
                _add_errors(form, exc)
    reconciliation = selectors.wage_reconciliation(universities=universities, programme=programme, per_person=False)
    return render(request, "roster/wages_national.html", {
        "reconciliation": reconciliation, "lines": reconciliation.by_university(), "form": form if may_record else None,
        "instalments": selectors.management_instalments(programme=programme, universities=universities,
                                                        networks=networks),
    })  # fmt: skip


# --- item 3: the people's monthly work reports and the university's monthly summary ---------------------------


def _month_or_404(programme: Programme, year: int, month: int) -> tuple[int, int]:
    if not programme.contains_month(year, month):
        raise Http404("Not a month of the programme")
    return year, month


@login_required
def work_reports(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    tambon = access.get_tambon_or_404(request.user, pk)
    _month_or_404(tambon.programme, year, month)
    can_edit = access.can_edit_tambon(request.user, tambon)
    rows = selectors.team_month(tambon=tambon, year=year, month=month)
    forms = []
    for row in rows:
        initial = ({"tasks": row.report.tasks, "days_worked": row.report.days_worked, "evidence": row.report.evidence}
                   if row.report else {})  # fmt: skip
        data = request.POST if request.method == "POST" and f"p{row.contract.pk}-tasks" in request.POST else None
        forms.append((row, WorkReportForm(data, initial=initial, prefix=f"p{row.contract.pk}")))
    links = {row.contract.pk: request.build_absolute_uri(reverse("roster_personal_report",
                                                                 args=[personal.personal_token(row.contract)]))
             for row in rows if can_edit and row.contract.status == ContractStatus.ACTIVE}  # fmt: skip
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        entered = [(row, form) for row, form in forms if form.is_bound]
        if entered and all(form.is_valid() for _row, form in entered):
            entries = {row.contract.pk: ReportEntry(form.cleaned_data["tasks"], form.cleaned_data["days_worked"],
                                                    form.cleaned_data["evidence"]) for row, form in entered}  # fmt: skip
            try:
                n = work_reports_save(tambon=tambon, year=year, month=month, entries=entries, user=request.user)
                messages.success(request, _("Saved %(n)s work reports.") % {"n": n})
                return redirect("roster_work_reports", pk=tambon.pk, year=year, month=month)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        elif not entered:
            messages.error(request, _("Write the report of at least one person."))
        else:
            messages.error(request, _("Some reports have errors; see below."))
    months = tambon.programme.months()
    index = months.index((year, month))
    return render(request, "roster/work_reports.html", {
        "tambon": tambon, "year": year, "month": month, "label": month_label(year, month), "forms": forms,
        "can_edit": can_edit, "links": links, "link_days": personal.link_days(),
        "previous": months[index - 1] if index else None,
        "next": months[index + 1] if index + 1 < len(months) else None,
    })  # fmt: skip


@login_required
def monthly_summary(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    university = access.get_university_or_404(request.user, pk)
    programme = _programme()
    _month_or_404(programme, year, month)
    lines = selectors.monthly_summary(university=university, programme=programme, year=year, month=month)
    tambons = access.visible_tambons(request.user, Tambon.objects.filter(pk__in=[line.tambon.pk for line in lines]))
    visible = set(tambons.values_list("pk", flat=True))
    if request.GET.get("format") == "xlsx":
        rows = [{"tambon_code": line.tambon.subdistrict_id, "tambon": line.tambon.subdistrict.name_th,
                 "people": line.people, "reported": line.reported, "days": line.days_worked,
                 "accepted": line.accepted, "passed": line.passed, "bare": line.accepted_without_report,
                 "trained": line.trained, "due": line.wages_due} for line in lines]  # fmt: skip
        title = f"สรุปผลการปฏิบัติงานประจำเดือนของผู้ถูกจ้างงาน — {university.name_th} — {month_label(year, month)}"
        data = labour.write_table(title=title, columns=SUMMARY_COLUMNS, rows=rows)
        return _xlsx(data, f"monthly-summary-{university.code}-{year}-{month:02d}.xlsx")
    months = programme.months()
    total = selectors.SummaryLine(None)
    for line in lines:
        for field in ("people", "reported", "days_worked", "accepted", "passed", "accepted_without_report", "trained",
                      "wages_due"):  # fmt: skip
            setattr(total, field, getattr(total, field) + getattr(line, field))
    return render(request, "roster/monthly_summary.html", {
        "university": university, "lines": lines, "total": total, "visible": visible, "year": year, "month": month,
        "label": month_label(year, month), "months": [(y, m, month_label(y, m)) for y, m in months],
    })  # fmt: skip


SUMMARY_COLUMNS = (
    labour.Col("tambon_code", "รหัสตำบล", 9), labour.Col("tambon", "ตำบล", 20),
    labour.Col("people", "ผู้ถูกจ้างงาน (คน)", 10), labour.Col("reported", "ส่งรายงานประจำเดือน (คน)", 12),
    labour.Col("days", "วันปฏิบัติงานรวม", 10), labour.Col("accepted", "ตรวจรับงานแล้ว (คน)", 10),
    labour.Col("passed", "ผ่านการประเมิน (คน)", 10), labour.Col("bare", "ตรวจรับโดยไม่มีรายงาน (คน)", 12),
    labour.Col("trained", "ผ่านการอบรมแล้ว (คน)", 10), labour.Col("due", "ค่าจ้างที่ต้องจ่าย (บาท)", 14),
)  # fmt: skip


# --- the person's own report through their personal link (no account; personal.py) ------------------------


def personal_report(request: HttpRequest, token: str) -> HttpResponse:
    contract = personal.contract_for_token(token)
    if contract is None:
        return render(request, "roster/personal_report.html", {"expired": True}, status=404)
    months = personal.open_months(contract)
    form = PersonalReportForm(request.POST or None, months=months)
    if request.method == "POST" and form.is_valid():
        year, month = form.year_month()
        entry = ReportEntry(form.cleaned_data["tasks"], form.cleaned_data["days_worked"], form.cleaned_data["evidence"])
        try:
            work_reports_save(tambon=contract.tambon, year=year, month=month, entries={contract.pk: entry}, user=None,
                              by_person=True)  # fmt: skip
            messages.success(request, _("Your report of %(month)s is saved. Thank you.")
                             % {"month": month_label(year, month)})  # fmt: skip
            return redirect("roster_personal_report", token=token)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    reports = contract.work_reports.order_by("-year", "-month")[:12]
    return render(request, "roster/personal_report.html", {
        "contract": contract, "form": form if months else None, "reports": reports,
    })  # fmt: skip
