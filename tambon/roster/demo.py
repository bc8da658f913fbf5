"""Demo roster: 20 hired people and 2 reserves per tambon (≈66,000 at national scale), loaded THROUGH the
import service (rows built in memory, then `roster_import_sheet`), then ten accepted months (January–October) so wages flow into the monthly reports.

Deterministic: person n of tambon i always gets the same national ID and name; re-running changes nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time

from django.core.exceptions import ValidationError
from stdnum.th import pin

from tambon.models import HiringType

from .models import Contract, ContractStatus, Eligibility, Residency, WagePayment, WorkAcceptance, WorkReport
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
    if Contract.objects.filter(tambon__in=context.tambons, replaces__isnull=False).exists():
        if stdout:  # seeded before: its resignation and replacement would not import back as the sheet says
            stdout.write("roster: already seeded, unchanged")
        return
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
    months = context.programme.months()[:ACCEPTED_MONTHS]
    _work_reports(contracts, months)
    for year, month in months:
        work_accept(contracts=contracts, year=year, month=month, user=None)
    _eligibility(context)
    _resignation_and_replacement(context)
    _wage_chain(context, months)
    if stdout:
        stdout.write(
            f"roster: {result.summary()}; {len(contracts)} hired people, {ACCEPTED_MONTHS} months accepted "
            f"({time.monotonic() - started:.1f}s)"
        )


# --- the hiring chain (issue #15): work reports, eligibility, a resignation and its replacement, wages --------

TASKS = (
    "สำรวจและบันทึกข้อมูลครัวเรือนในตำบล",
    "ประชุมวางแผนกิจกรรมกับชุมชน",
    "อบรมการขายสินค้าออนไลน์ให้กลุ่มอาชีพ",
    "จัดทำข้อมูลผลิตภัณฑ์ชุมชน",
    "ติดตามผลกิจกรรมและเก็บภาพถ่าย",
)
REPORTED_PEOPLE = 20_000  # monthly work reports for this many people (every demo person at the small scale)


def _work_reports(contracts: list[Contract], months: list[tuple[int, int]]) -> None:
    """Each person's monthly work report for the accepted months, entered before the acceptance reads them;
    every 9th person's last month is left unreported (the summary shows work accepted without a report).
    Written in batches, so memory stays flat at the national scale."""
    from .services.acceptance import days_under_contract

    def rows():
        for n, contract in enumerate(contracts[:REPORTED_PEOPLE]):
            for i, (year, month) in enumerate(months):
                if n % 9 == 4 and i == len(months) - 1:
                    continue
                days, _in_month = days_under_contract(contract, year, month)
                yield WorkReport(contract=contract, year=year, month=month, tasks=TASKS[(n + i) % len(TASKS)],
                                 days_worked=max(days - 9 - (n + i) % 3, 1),
                                 evidence=f"ภาพกิจกรรม เดือน {month}/{year + 543}")  # fmt: skip

    _bulk(WorkReport, rows(), ignore_conflicts=True)


def _bulk(model, rows, *, ignore_conflicts: bool = False, batch_size=4_000) -> None:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, batch_size)):
        model.objects.bulk_create(chunk, ignore_conflicts=ignore_conflicts)


def _eligibility(context) -> None:
    """Eligibility as checked at hiring, for everyone (hired and reserve): the answers, and the rules' verdict."""
    from .services.eligibility import eligibility_problems, eligibility_rules

    rules = eligibility_rules(context.programme)
    contracts = Contract.objects.filter(tambon__in=context.tambons).select_related("hiring_type", "person")

    def rows():
        for n, contract in enumerate(contracts.iterator(chunk_size=5000)):
            student = bool(rules.get(contract.hiring_type.code, {}).get("enrolment"))
            record = Eligibility(contract=contract, residency=Residency.TAMBON if n % 3 else Residency.DISTRICT,
                                 unemployed=True, no_other_state_wage=True,
                                 enrolled_institution="มหาวิทยาลัยในพื้นที่" if student else "",
                                 enrolment_verified=student)  # fmt: skip
            record.problems = eligibility_problems(contract=contract, record=record, graduated_on=contract.person.graduated_on,
                                                   rules=rules.get(contract.hiring_type.code, {}))  # fmt: skip
            yield record

    _bulk(Eligibility, rows(), ignore_conflicts=True)


def _resignation_and_replacement(context) -> None:
    """In the first tambon a citizen resigns at the end of the last accepted month with three weeks' notice, and the first
    reserve replaces them from November: the change is on the Labour export and copied to NSI and the network."""
    from .services import contract_replace, contract_resign

    tambon = context.tambons[0]
    reserve = Contract.objects.filter(tambon=tambon, status=ContractStatus.RESERVE).order_by("reserve_rank").first()
    if reserve is None or Contract.objects.filter(tambon=tambon, replaces__isnull=False).exists():
        return  # re-run
    leaving = (Contract.objects.filter(tambon=tambon, status=ContractStatus.ACTIVE, hiring_type=reserve.hiring_type)
               .select_related("person", "hiring_type", "tambon__programme").order_by("id").first())  # fmt: skip
    import calendar

    year, month = context.programme.months()[ACCEPTED_MONTHS - 1]
    last_day = dt.date(year, month, calendar.monthrange(year, month)[1])  # the accepted month's wage stays whole
    contract_resign(contract=leaving, notice_date=last_day - dt.timedelta(days=21), last_day=last_day,
                    reason="ได้งานประจำที่บริษัทเอกชน")  # fmt: skip
    contract_replace(ended=leaving, reserve=reserve, start_date=last_day + dt.timedelta(days=4))


def _wage_chain(context, months: list[tuple[int, int]]) -> None:
    """NSI's transfer of each accepted month's wages to each university, the universities' payments of every
    month but the last (not paid yet), one person paid 500 baht short in March (a difference to find), and the
    first management-budget instalment of each university."""
    from decimal import Decimal

    from .models import ManagementInstalment, WageTransfer
    from .selectors import wages_due_by_month
    from .services.eligibility import definition_of

    if WageTransfer.objects.filter(university__tambons__in=context.tambons).exists():
        return  # re-run
    tambon_university = {t.pk: t.university_id for t in context.tambons}
    due: dict[tuple[int, int, int], Decimal] = {}
    for (tambon_id, _t, year, month), total in wages_due_by_month(tambon_ids=tambon_university, months=months).items():
        key = (tambon_university[tambon_id], year, month)
        due[key] = due.get(key, Decimal(0)) + total
    WageTransfer.objects.bulk_create([
        WageTransfer(university_id=uid, year=year, month=month, amount=amount,
                     transferred_on=dt.date(year, month, 20), reference=f"NSI-{uid}-{year}{month:02d}")
        for (uid, year, month), amount in sorted(due.items())
    ])  # fmt: skip
    paid_months = months[:-1]
    acceptances = WorkAcceptance.objects.filter(contract__tambon__in=context.tambons).values_list(
        "contract_id", "year", "month", "amount")  # fmt: skip
    short = (Contract.objects.filter(tambon=context.tambons[0], status=ContractStatus.ACTIVE, replaces__isnull=True).order_by("id")
             .values_list("id", flat=True).last())  # fmt: skip
    _bulk(WagePayment, (
        WagePayment(contract_id=c, year=y, month=m, paid_on=dt.date(y, m, 28),
                    amount=a - 500 if (c, m) == (short, 3) else a, reference=f"PAY-{y}{m:02d}")
        for c, y, m, a in acceptances.iterator(chunk_size=20_000) if (y, m) in paid_months
    ))  # fmt: skip
    per_tambon = definition_of(context.programme).get("budget_per_unit", {}).get("management")
    first = (definition_of(context.programme).get("instalments") or [None])[0]
    if per_tambon is None or first is None:
        return
    counts: dict[int, int] = {}
    for uid in tambon_university.values():
        counts[uid] = counts.get(uid, 0) + 1
    start = context.programme.start_date
    ManagementInstalment.objects.bulk_create([
        ManagementInstalment(programme=context.programme, university_id=uid, number=first["number"],
                             amount=Decimal(per_tambon) * n * Decimal(first["share"]) / 100,
                             paid_on=start.replace(day=15), reference=f"GFMS-{uid}-1")
        for uid, n in counts.items()
    ])  # fmt: skip
