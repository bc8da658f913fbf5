"""The 12-month summary and impact report (issue #15 item 2): per tambon (filed by its university, reviewed by
the network) and the network's overall one (filed by the RSI, reviewed by NSI), through pbm/review.py.

Figures come from their one home each: plan and actual from reporting.selectors (line_figures), spending by
expense type from reporting.selectors, wages due from the roster, goals and classes from the classification,
indicator values from assessment.selectors.indicator_series. They are frozen with the report when it is
submitted; the PDF (Thai, the certificates' font) and the .xlsx are printed from the same figures."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from pbm import review
from pbm.formats import baht, date_be, month_label, number
from pbm.models import ReviewStatus
from reporting.models import Activity, CategoryKind, CompletionFile, CompletionReport, Evidence
from reporting.selectors import kind_month_sums, spending_by_expense_type
from tambon.models import HiringType, Network, Programme, Tambon, User
from tambon.roster.models import Contract, ContractStatus
from tambon.roster.selectors import wages_due_by_month

from . import selectors
from .models import ImpactReport, TambonClassification

ZERO = Decimal(0)


# --- reads ------------------------------------------------------------------------------------------------------


def impact_tambons(*, programme: Programme, tambon: Tambon | None = None,
                   network: Network | None = None) -> QuerySet[Tambon]:  # fmt: skip
    tambons = Tambon.objects.filter(programme=programme, is_active=True)
    return tambons.filter(pk=tambon.pk) if tambon is not None else tambons.filter(network=network)


def _series_json(series) -> list[dict]:
    return [{"indicator": f"{s.indicator.level.upper()} {s.indicator.number}", "name": s.indicator.name_th,
             "unit": s.unit, "baseline": _s(s.baseline), "target": _s(s.target), "latest": _s(s.latest),
             "meets": s.meets} for s in series]  # fmt: skip


def _s(value) -> str | None:
    return None if value is None else str(value)


def impact_figures(*, programme: Programme, tambon: Tambon | None = None, network: Network | None = None) -> dict:
    """The report's figures, as JSON (what is frozen on submit): a bounded number of aggregate queries whatever
    the number of tambons."""
    tambons = impact_tambons(programme=programme, tambon=tambon, network=network).select_related(
        "subdistrict__district__province", "university", "unit__level", "unit__parent"
    )
    by_id = {t.pk: t for t in tambons}
    ids = list(by_id)
    months = programme.months()
    plan = {kind: ZERO for kind, _label in CategoryKind.choices}
    actual = dict(plan)
    actual_by_tambon: dict[int, Decimal] = dict.fromkeys(ids, ZERO)
    for (child, _y, _m, kind), (p, a) in kind_month_sums(tambon_child={i: i for i in ids}, months=months).items():
        plan[kind] += p
        actual[kind] += a
        actual_by_tambon[child] += a
    activities = Activity.objects.filter(tambon_id__in=ids).aggregate(
        planned=Count("pk"), completed=Count("pk", filter=Q(completed_on__isnull=False)),
        target=Sum("target_quantity"),
    )  # fmt: skip
    completion_accepted = CompletionReport.objects.filter(activity__tambon_id__in=ids,
                                                          status=ReviewStatus.ACCEPTED).count()  # fmt: skip
    hired = dict(Contract.objects.filter(tambon_id__in=ids).values_list("hiring_type_id").annotate(n=Count("pk"))
                 .values_list("hiring_type_id", "n"))  # fmt: skip
    active = dict(Contract.objects.filter(tambon_id__in=ids, status=ContractStatus.ACTIVE).values_list("hiring_type_id")
                  .annotate(n=Count("pk")).values_list("hiring_type_id", "n"))  # fmt: skip
    wages: dict[int, Decimal] = {}
    for (_t, type_id, _y, _m), amount in wages_due_by_month(tambon_ids=ids, months=months).items():
        wages[type_id] = wages.get(type_id, ZERO) + amount
    hiring = [{"type": t.name_th, "contracts": hired.get(t.pk, 0), "active": active.get(t.pk, 0),
               "quota": t.quota_per_tambon * len(ids), "wages_due": str(wages.get(t.pk, ZERO))}
              for t in HiringType.objects.filter(programme=programme).order_by("pk")]  # fmt: skip
    latest = {}
    for row in TambonClassification.objects.filter(tambon_id__in=ids).select_related("band").order_by("quarter"):
        latest[row.tambon_id] = row  # the last quarter wins
    households = {r.tambon_id: r for r in ImpactReport.objects.filter(programme=programme, tambon_id__in=ids)}
    rows = []
    for pk, t in sorted(by_id.items(), key=lambda item: (str(item[1].subdistrict_id or ""), item[0])):
        c, h = latest.get(pk), households.get(pk)
        rows.append({"tambon": t.place, "university": t.above_name,
                     "goals_met": c.goals_met if c else None, "class": c.band.name_th if c and c.band else "",
                     "quarter": c.quarter_label if c else "", "actual": str(actual_by_tambon.get(pk, ZERO)),
                     "in_need_before": h.households_in_need_before if h else None,
                     "in_need_after": h.households_in_need_after if h else None})  # fmt: skip
    classes: dict[str, int] = {}
    for c in latest.values():
        key = c.band.name_th if c.band else _("not yet classified")
        classes[key] = classes.get(key, 0) + 1
    series = (selectors.tambon_indicator_series(tambon) if tambon is not None
              else selectors.scope_indicator_series(programme=programme, tambons=tambons, network=network))  # fmt: skip
    evidence_files = (Evidence.objects.filter(report__tambon_id__in=ids).count()
                      + CompletionFile.objects.filter(report__activity__tambon_id__in=ids).count())  # fmt: skip
    before = [r["in_need_before"] for r in rows if r["in_need_before"] is not None]
    after = [r["in_need_after"] for r in rows if r["in_need_after"] is not None]
    return {
        "months": [month_label(*months[0]), month_label(*months[-1])], "tambons": len(ids),
        "plan": {k: str(v) for k, v in plan.items()}, "actual": {k: str(v) for k, v in actual.items()},
        "activities": {"planned": activities["planned"], "completed": activities["completed"],
                       "target_quantity": activities["target"] or 0, "completion_accepted": completion_accepted},
        "by_expense_type": [{"type": kind.name_th, "amount": str(amount)}
                            for kind, amount in spending_by_expense_type(tambons=tambons)],
        "hiring": hiring, "classes": classes, "tambon_rows": rows, "indicators": _series_json(series),
        "households": {"before": sum(before) if before else None, "after": sum(after) if after else None,
                       "tambons": len(after)},
        "evidence_files": evidence_files,
    }  # fmt: skip


def impact_reports(*, user: User, programme: Programme) -> QuerySet[ImpactReport]:
    """Every impact report in the user's scope (tambon ones through access.filter_by_tambon)."""
    from tambon import access

    tambon_reports = access.filter_by_tambon(user, ImpactReport.objects.filter(programme=programme,
                                                                              tambon__isnull=False))  # fmt: skip
    network_reports = ImpactReport.objects.filter(programme=programme, network__in=access.visible_networks(user))
    return (tambon_reports | network_reports).select_related("tambon__subdistrict__district__province", "network")


# --- writes -----------------------------------------------------------------------------------------------------


def impact_report_for(*, programme: Programme, tambon: Tambon | None = None,
                      network: Network | None = None) -> ImpactReport:  # fmt: skip
    report, _created = ImpactReport.objects.get_or_create(programme=programme, tambon=tambon, network=network)
    return report


@transaction.atomic
def impact_report_save(*, report: ImpactReport, user: User, sections: dict[str, str],
                       households: dict[str, int | None] | None = None, seen_version: int | None = None,
                       submit: bool = False) -> ImpactReport:  # fmt: skip
    """Save the narrative, the evidence and (a tambon's) household change; with `submit`, submit in one step."""
    review.edit_check(report, user, seen_version)
    values = {name: (sections.get(name) or "").strip() for name in ImpactReport.SECTIONS}
    if report.tambon_id and households is not None:
        values |= {name: households.get(name) for name in ImpactReport.HOUSEHOLDS}
        surveyed = values["households_surveyed"]
        for name in ("households_in_need_before", "households_in_need_after"):
            if surveyed is not None and values[name] is not None and values[name] > surveyed:
                raise ValidationError(_("Households in need cannot be more than the households surveyed (%(n)s).")
                                      % {"n": number(surveyed)})  # fmt: skip
    changes = []
    for name, new in values.items():
        if getattr(report, name) != new:
            changes.append(review.Change("notes" if name in ImpactReport.SECTIONS else "households",
                                         getattr(report, name), new, subject=str(report._meta.get_field(name).verbose_name)))  # fmt: skip
            setattr(report, name, new)
    review.save_versioned(report, list(values))
    review.review_record_changes(obj=report, user=user, changes=changes)
    if submit:
        impact_report_submit(report=report, user=user)
    return report


@transaction.atomic
def impact_report_submit(*, report: ImpactReport, user: User) -> ImpactReport:
    """Submit; the figures are computed now and frozen with the report."""
    if review.can_file(user, report) and report.is_open_for_editing:
        missing = [str(ImpactReport._meta.get_field(n).verbose_name) for n in ("summary", "impact")
                   if not getattr(report, n)]  # fmt: skip
        if report.tambon_id and report.households_in_need_before is None:
            missing.append(str(ImpactReport._meta.get_field("households_in_need_before").verbose_name))
        if missing:
            raise ValidationError(_("Write these before submitting: %(sections)s.") % {"sections": ", ".join(missing)})
    report.figures = impact_figures(programme=report.programme, tambon=report.tambon, network=report.network)
    review.review_submit(obj=report, user=user)
    ImpactReport.objects.filter(pk=report.pk).update(figures=report.figures)
    return report


# --- printing ---------------------------------------------------------------------------------------------------

KIND_NAMES = {"hiring": "การจ้างงาน", "activity": "การพัฒนาชุมชน", "management": "การบริหารจัดการ"}


def _title(report: ImpactReport) -> str:
    return f"รายงานผลการดำเนินงานและผลกระทบ รอบ 12 เดือน · {report.tambon.place if report.tambon_id else report.network}"


def _tables(report: ImpactReport, figures: dict) -> list[tuple[str, list[str], list[list]]]:
    """The report's tables as (heading, header, rows): the one layout both the PDF and the workbook print."""
    t = [
        (
            "งบประมาณและผลการใช้จ่าย",
            ["รายการ", "แผน", "ผล"],
            [
                [KIND_NAMES.get(k, k), Decimal(figures["plan"][k]), Decimal(figures["actual"][k])]
                for k in figures["plan"]
            ],
        )
    ]
    a = figures["activities"]
    t.append(
        (
            "ผลผลิตเทียบแผน",
            ["รายการ", "จำนวน"],
            [
                ["กิจกรรมตามแผน", a["planned"]],
                ["กิจกรรมที่ดำเนินการแล้วเสร็จ", a["completed"]],
                ["รายงานผลกิจกรรมที่รับรองแล้ว", a["completion_accepted"]],
                ["กลุ่มเป้าหมายตามแผน", a["target_quantity"]],
            ],
        )
    )
    t.append(
        (
            "ค่าใช้จ่ายแยกตามประเภท",
            ["ประเภท", "จำนวนเงิน"],
            [[r["type"], Decimal(r["amount"])] for r in figures["by_expense_type"]],
        )
    )
    t.append(
        (
            "การจ้างงาน",
            ["ประเภท", "สัญญาจ้าง", "จ้างอยู่", "เป้าหมาย", "ค่าจ้างตามผลงาน"],
            [[r["type"], r["contracts"], r["active"], r["quota"], Decimal(r["wages_due"])] for r in figures["hiring"]],
        )
    )
    t.append(
        (
            "ตัวชี้วัด",
            ["ตัวชี้วัด", "หน่วย", "ค่าฐาน", "เป้าหมาย", "ล่าสุด", "บรรลุ"],
            [
                [
                    f"{r['indicator']} {r['name'][:60]}",
                    r["unit"],
                    _d(r["baseline"]),
                    _d(r["target"]),
                    _d(r["latest"]),
                    "✓" if r["meets"] else "",
                ]
                for r in figures["indicators"]
            ],
        )
    )
    t.append(
        (
            "เป้าหมายและระดับตำบล · ครัวเรือน (TPMAP)",
            ["ตำบล", "มหาวิทยาลัย", "เป้าหมายที่บรรลุ", "ระดับ", "ผลการใช้จ่าย", "ครัวเรือนเดือดร้อน ก่อน", "หลัง"],
            [
                [
                    r["tambon"],
                    r["university"],
                    r["goals_met"],
                    r["class"],
                    Decimal(r["actual"]),
                    r["in_need_before"],
                    r["in_need_after"],
                ]
                for r in figures["tambon_rows"]
            ],
        )
    )
    return t


def _d(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def _text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return baht(value) if value != value.to_integral() or abs(value) >= 1000 else number(value)
    return str(value)


def impact_pdf(*, report: ImpactReport, figures: dict) -> bytes:
    """The report on A4 in Thai, as the certificates print (fpdf2, Sarabun, HarfBuzz shaping)."""
    import importlib.util

    from fpdf import FPDF

    from tambon.roster.services.certificates import thai_fonts

    regular, bold = thai_fonts()
    pdf = FPDF(format="A4", orientation="landscape")
    pdf.add_font("thai", "", str(regular))
    pdf.add_font("thai", "B", str(bold))
    if importlib.util.find_spec("uharfbuzz"):
        pdf.set_text_shaping(True)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font("thai", "B", 16)
    pdf.multi_cell(0, 9, _title(report), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("thai", "", 11)
    status = report.get_status_display()
    pdf.multi_cell(0, 6, f"ช่วง {figures['months'][0]} – {figures['months'][1]} · {figures['tambons']} ตำบล · สถานะ {status}"
                   + (f" · ส่งเมื่อ {date_be(report.submitted_at)}" if report.submitted_at else ""),
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    for label, text in (("สรุปผลการดำเนินงาน", report.summary), ("ผลกระทบ", report.impact),
                        ("หลักฐาน", report.evidence)):  # fmt: skip
        pdf.ln(2)
        pdf.set_font("thai", "B", 12)
        pdf.cell(0, 7, label, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("thai", "", 11)
        pdf.multi_cell(0, 6, text or "—", new_x="LMARGIN", new_y="NEXT")
    households = figures["households"]
    pdf.ln(2)
    pdf.multi_cell(0, 6, f"ครัวเรือนเดือดร้อน (TPMAP): ก่อน {_text(households['before'])} · หลัง "
                         f"{_text(households['after'])} · หลักฐานในระบบ {figures['evidence_files']} ไฟล์",
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    for heading, header, rows in _tables(report, figures):
        pdf.ln(3)
        pdf.set_font("thai", "B", 12)
        pdf.cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("thai", "", 9)
        with pdf.table(text_align="LEFT", first_row_as_headings=True) as table:
            table.row([str(h) for h in header])
            for row in rows or [["—"] + [""] * (len(header) - 1)]:
                table.row([_text(v) for v in row])
    return bytes(pdf.output())


def impact_workbook(*, report: ImpactReport, figures: dict):
    """The same report as a workbook: the narrative sheet, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "สรุป"
    sheet.append([_title(report)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["ช่วง", f"{figures['months'][0]} – {figures['months'][1]}"])
    sheet.append(["จำนวนตำบล", figures["tambons"]])
    sheet.append(["สถานะ", report.get_status_display()])
    for label, text in (("สรุปผลการดำเนินงาน", report.summary), ("ผลกระทบ", report.impact),
                        ("หลักฐาน", report.evidence)):  # fmt: skip
        sheet.append([label, text])
    sheet.append(["ครัวเรือนเดือดร้อน ก่อน", figures["households"]["before"]])
    sheet.append(["ครัวเรือนเดือดร้อน หลัง", figures["households"]["after"]])
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 28, 90
    for index, (heading, header, rows) in enumerate(_tables(report, figures), start=1):
        ws = workbook.create_sheet(f"{index} {heading}"[:31].replace("/", " "))
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        ws.column_dimensions["A"].width = 50
    return workbook
