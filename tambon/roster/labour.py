"""What the university sends about its hired people, for any date range, regenerated on demand (nothing stored):

- **the changes for the Ministry of Labour** (seed: การลาออกหรือการยกเลิกสัญญา — "ทำสัญญาจ้าง (ทดแทน) พร้อมทั้ง
  นำส่งข้อมูลไปยังกระทรวงแรงงานโดยตรง"): one row per event in the range — a new hire (its start date), a
  resignation (its notice date or last working day), a termination (its last working day), a replacement (its
  start date). Columns: `CHANGE_COLUMNS`.
- **the government-wide hiring follow-up workbook** "แบบติดตามการจ้างงานหน่วยงานภาครัฐ รัฐวิสาหกิจ และ
  องค์การมหาชน" (seed: การรับสมัคร, due to NSI by 15 Jan): one row per person under contract on any day of
  the range, hired or since left. Columns: `FOLLOW_UP_COLUMNS`.

Both read the contracts as they are now, so a range in the past shows today's knowledge of it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from pbm.exports import safe_cell
from pbm.formats import date_be_numeric
from tambon.models import Tambon

from .models import Contract, ContractStatus

MINISTRY = "กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม"


@dataclass(frozen=True)
class Col:
    key: str
    header: str  # Thai: the workbooks go to Thai ministries
    width: int = 16


CHANGE_COLUMNS: tuple[Col, ...] = (
    Col("seq", "ลำดับ", 7),
    Col("change", "การเปลี่ยนแปลง", 16),
    Col("effective", "วันที่มีผล", 13),
    Col("notice", "วันที่แจ้งลาออก", 13),
    Col("short_notice", "แจ้งล่วงหน้าไม่ถึง 1 เดือน", 12),
    Col("national_id", "เลขประจำตัวประชาชน", 17),
    Col("first_name", "ชื่อ"),
    Col("last_name", "นามสกุล"),
    Col("hiring_type", "ประเภทการจ้าง", 14),
    Col("monthly_wage", "ค่าจ้างต่อเดือน (บาท)", 12),
    Col("university", "หน่วยงานผู้จ้าง", 30),
    Col("tambon_code", "รหัสตำบล", 9),
    Col("tambon", "ตำบล"),
    Col("district", "อำเภอ"),
    Col("province", "จังหวัด"),
    Col("replaces_id", "แทนผู้ถูกจ้าง (เลขประจำตัวประชาชน)", 17),
    Col("replaces_name", "แทนผู้ถูกจ้าง (ชื่อ-นามสกุล)", 24),
    Col("reason", "เหตุผล", 30),
)

FOLLOW_UP_COLUMNS: tuple[Col, ...] = (
    Col("seq", "ลำดับ", 7),
    Col("ministry", "กระทรวง", 30),
    Col("agency", "หน่วยงาน", 30),
    Col("programme", "ชื่อโครงการ", 30),
    Col("national_id", "เลขประจำตัวประชาชน", 17),
    Col("first_name", "ชื่อ"),
    Col("last_name", "นามสกุล"),
    Col("hiring_type", "ประเภทการจ้าง", 14),
    Col("province", "จังหวัด (สถานที่ปฏิบัติงาน)"),
    Col("district", "อำเภอ"),
    Col("tambon", "ตำบล"),
    Col("start_date", "วันเริ่มจ้าง", 13),
    Col("end_date", "วันสิ้นสุดการจ้าง", 13),
    Col("months", "ระยะเวลาจ้าง (เดือน)", 10),
    Col("monthly_wage", "อัตราค่าจ้างต่อเดือน (บาท)", 12),
    Col("status", "สถานะ", 12),
    Col("phone", "โทรศัพท์", 13),
    Col("note", "หมายเหตุ", 30),
)

CHANGE_WORDS = {"hired": "จ้างงานใหม่", "resigned": "ลาออก", "terminated": "เลิกจ้าง", "replaced": "จ้างทดแทน"}
STATUS_WORDS = {"active": "ปฏิบัติงาน", "resigned": "ลาออก", "terminated": "เลิกจ้าง"}


class RangeError(ValueError):
    pass


def check_range(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise RangeError(_("The end of the range is before its start."))


def _contracts(tambons: QuerySet[Tambon]) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(tambon__in=tambons)
        .exclude(status=ContractStatus.RESERVE)
        .select_related("person", "hiring_type", "tambon__subdistrict__district__province", "tambon__university",
                        "tambon__programme", "replaces__person")
    )  # fmt: skip


@dataclass
class Change:
    kind: str  # hired, resigned, terminated, replaced
    effective: dt.date
    contract: Contract

    @property
    def label(self) -> str:
        return CHANGE_WORDS[self.kind]


def hiring_changes(*, tambons: QuerySet[Tambon], start: dt.date, end: dt.date) -> list[Change]:
    """The events of the range, in date order: new hires, resignations (noticed or effective in the range),
    terminations and replacements."""
    check_range(start, end)
    began = Q(start_date__gte=start, start_date__lte=end)
    ended = Q(left_on__gte=start, left_on__lte=end) | Q(notice_date__gte=start, notice_date__lte=end)
    changes = []
    for contract in _contracts(tambons).filter(began | ended).order_by("id").iterator(chunk_size=2000):
        if start <= contract.start_date <= end:
            changes.append(Change("replaced" if contract.replaces_id else "hired", contract.start_date, contract))
        if contract.status in (ContractStatus.RESIGNED, ContractStatus.TERMINATED) and contract.left_on:
            noticed = contract.notice_date and start <= contract.notice_date <= end
            if start <= contract.left_on <= end or noticed:
                changes.append(Change(contract.status, contract.left_on, contract))
    changes.sort(key=lambda c: (c.effective, c.contract.tambon_id, c.contract.pk))
    return changes


def _place(contract: Contract) -> dict:
    sub = contract.tambon.subdistrict
    return {"tambon_code": sub.code, "tambon": sub.name_th, "district": sub.district.name_th,
            "province": sub.district.province.name_th}  # fmt: skip


def change_rows(changes: Iterable[Change]) -> Iterable[dict]:
    for seq, change in enumerate(changes, start=1):
        c = change.contract
        ended = change.kind in ("resigned", "terminated")
        yield {
            "seq": seq, "change": change.label, "effective": date_be_numeric(change.effective),
            "notice": date_be_numeric(c.notice_date) if ended else "",
            "short_notice": "ใช่" if ended and c.short_notice else "",
            "national_id": c.person.national_id, "first_name": c.person.first_name, "last_name": c.person.last_name,
            "hiring_type": c.hiring_type.name_th, "monthly_wage": c.hiring_type.monthly_rate,
            "university": c.tambon.university.name_th, **_place(c),
            "replaces_id": c.replaces.person.national_id if change.kind == "replaced" else "",
            "replaces_name": c.replaces.person.full_name if change.kind == "replaced" else "",
            "reason": c.leave_reason if ended else "",
        }  # fmt: skip


def _months(first: dt.date, last: dt.date | None) -> int | str:
    if last is None:
        return ""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def follow_up_rows(*, tambons: QuerySet[Tambon], start: dt.date, end: dt.date) -> Iterable[dict]:
    """Everyone under contract on some day of the range."""
    check_range(start, end)
    under = Q(start_date__lte=end) & (Q(left_on__isnull=True) | Q(left_on__gte=start))
    qs = _contracts(tambons).filter(under).order_by("tambon__university__code", "tambon_id",
                                                    "hiring_type__position", "start_date", "id")  # fmt: skip
    for seq, c in enumerate(qs.iterator(chunk_size=2000), start=1):
        last = c.left_on or c.end_date or c.tambon.programme.end_date
        note = f"แทน {c.replaces.person.full_name}" if c.replaces_id else ""
        yield {
            "seq": seq, "ministry": MINISTRY, "agency": c.tambon.university.name_th,
            "programme": c.tambon.programme.name_th, "national_id": c.person.national_id,
            "first_name": c.person.first_name, "last_name": c.person.last_name, "hiring_type": c.hiring_type.name_th,
            **_place(c), "start_date": date_be_numeric(c.start_date), "end_date": date_be_numeric(last),
            "months": _months(c.start_date, last), "monthly_wage": c.hiring_type.monthly_rate,
            "status": STATUS_WORDS.get(c.status, c.status), "phone": c.person.phone, "note": note,
        }  # fmt: skip


def write_table(*, title: str, columns: tuple[Col, ...], rows: Iterable[dict]) -> bytes:
    """A one-sheet workbook: the title in row 1, the Thai headers in row 3, the rows below (text kept as text)."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "data"
    sheet.append([safe_cell(title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append([c.header for c in columns])
    for index, column in enumerate(columns, start=1):
        sheet.cell(row=3, column=index).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=3, column=index).column_letter].width = column.width
    for row in rows:
        sheet.append([safe_cell(row[c.key]) for c in columns])
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def changes_xlsx(*, tambons: QuerySet[Tambon], start: dt.date, end: dt.date, who: str) -> bytes:
    title = (f"ข้อมูลการเปลี่ยนแปลงผู้ถูกจ้างงาน (ส่งกระทรวงแรงงาน) — {who} — "
             f"{date_be_numeric(start)} ถึง {date_be_numeric(end)}")  # fmt: skip
    return write_table(title=title, columns=CHANGE_COLUMNS,
                       rows=change_rows(hiring_changes(tambons=tambons, start=start, end=end)))  # fmt: skip


def follow_up_xlsx(*, tambons: QuerySet[Tambon], start: dt.date, end: dt.date, who: str) -> bytes:
    title = (f"แบบติดตามการจ้างงานหน่วยงานภาครัฐ รัฐวิสาหกิจ และองค์การมหาชน — {who} — "
             f"{date_be_numeric(start)} ถึง {date_be_numeric(end)}")  # fmt: skip
    return write_table(title=title, columns=FOLLOW_UP_COLUMNS,
                       rows=follow_up_rows(tambons=tambons, start=start, end=end))  # fmt: skip
