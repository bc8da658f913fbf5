"""Demo roster: 20 hired people and 2 reserves per tambon (≈66,000 at national scale), loaded THROUGH the
import service (rows built in memory, then `roster_import_sheet`), then ten accepted months (January–October) so wages flow into the monthly reports.

Deterministic: person n of tambon i always gets the same national ID and name; re-running changes nothing.
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.exceptions import ValidationError
from stdnum.th import pin

from tambon.models import HiringType

from .models import Contract, ContractStatus
from .services import Sheet, SheetRow, roster_import_sheet, work_accept
from .sheet import format_date

FIRST_NAMES = ("สมชาย", "สมหญิง", "วิชัย", "มาลี", "ประเสริฐ", "สุดา", "อนุชา", "กนกวรรณ", "ธนพล", "ปิยะนุช", "ณัฐวุฒิ", "อรทัย")
LAST_NAMES = ("ใจดี", "รักไทย", "ศรีสุข", "มั่นคง", "บุญมา", "แก้วมณี", "ทองดี", "สายสุวรรณ", "พรหมมา", "จันทร์เพ็ญ")
RESERVES_PER_TAMBON = 2
ACCEPTED_MONTHS = 10  # January–October, the months the reporting demo has filed (reporting.demo.REPORTED_MONTHS)


def national_id(n: int) -> str:
    """A valid, deterministic national ID: '1', eleven digits of n, and the check digit."""
    base = f"1{n:011d}"
    return base + pin.calc_check_digit(base)


def tambon_rows(tambon_index: int, tambon_code: str, types: list[HiringType]) -> list[dict]:
    rows, n = [], tambon_index * 100
    for hiring_type in types:
        for _i in range(hiring_type.quota_per_tambon):
            n += 1
            # Every 10th person started mid-January, so January's wage is pro rata.
            start = dt.date(2021, 1, 15) if n % 10 == 3 else dt.date(2021, 1, 1)
            rows.append(_row(n, hiring_type, tambon_code, start, "จ้างงาน", ""))
    for rank in range(1, RESERVES_PER_TAMBON + 1):
        n += 1
        rows.append(_row(n, types[0], tambon_code, dt.date(2021, 1, 1), "สำรอง", rank))
    return rows


def _row(n: int, hiring_type: HiringType, code: str, start: dt.date, status: str, rank) -> dict:
    return {
        "national_id": national_id(n),
        "first_name": FIRST_NAMES[n % len(FIRST_NAMES)],
        "last_name": f"{LAST_NAMES[n // 7 % len(LAST_NAMES)]}",
        "hiring_type": hiring_type.name_th,
        "tambon_code": code,
        "start_date": format_date(start),
        "graduated_on": format_date(dt.date(2020, 3, 31)) if hiring_type.code == "graduate" else "",
        "status": status,
        "reserve_rank": rank,
        "phone": f"08{n % 100_000_000:08d}",
    }


def seed(*, context, stdout=None) -> None:
    started = time.monotonic()
    types = list(HiringType.objects.filter(programme=context.programme).order_by("position"))
    rows: list[SheetRow] = []
    for index, tambon in enumerate(context.tambons):
        for values in tambon_rows(index, tambon.subdistrict_id, types):
            rows.append(SheetRow(len(rows) + 4, values))
    result = roster_import_sheet(sheet=Sheet(rows=rows), programme=context.programme)
    if result.errors:
        raise ValidationError([str(e) for e in result.errors[:5]])
    contracts = list(
        Contract.objects.filter(tambon__in=context.tambons, status=ContractStatus.ACTIVE).select_related(
            "hiring_type", "tambon__programme", "person"
        )
    )
    for year, month in context.programme.months()[:ACCEPTED_MONTHS]:
        work_accept(contracts=contracts, year=year, month=month, user=None)
    if stdout:
        stdout.write(
            f"roster: {result.summary()}; {len(contracts)} hired people, {ACCEPTED_MONTHS} months accepted "
            f"({time.monotonic() - started:.1f}s)"
        )
