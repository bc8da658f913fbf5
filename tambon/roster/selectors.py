"""Reads of the roster: a tambon's team and fill rate, the reserve list, wages due, certificate eligibility,
and the rows of an export. Each is a handful of queries whatever the number of people."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Sum

from tambon.models import HiringType, Network, Programme, Tambon, University

from .models import (
    Contract,
    ContractStatus,
    ImportPhase,
    ManagementInstalment,
    RosterImport,
    WagePayment,
    WageTransfer,
    WorkAcceptance,
)
from .sheet import STATUS_LABELS, format_date

log = logging.getLogger(__name__)

DEFAULT_CERTIFICATE_MONTHS = 6  # for a programme whose definition names none (DOMAIN.md: "at least 6 continuous")


def certificate_months(programme: Programme) -> int:
    """The consecutive passed months a certificate needs: the programme definition's
    `certificate.consecutive_passed_months` (one home for every door: the page, the service, the dashboards)."""
    rule = (programme.definition or {}).get("certificate") or {}
    return int(rule.get("consecutive_passed_months") or DEFAULT_CERTIFICATE_MONTHS)


def certificate_prefix(programme: Programme) -> str:
    """The head of the programme's certificate numbers: the definition's `certificate.number_prefix`, else its code
    without the year in capitals (`u2t-2564` → U2T)."""
    rule = (programme.definition or {}).get("certificate") or {}
    return rule.get("number_prefix") or programme.code_stem.upper()


@dataclass(frozen=True)
class Issuer:
    """Who certifies a tambon's people: U2T's university, otherwise the unit above the tambon (Tambon Smart Team's
    district, which hires them). `code` is the middle of the certificate number, `name` heads its text (Thai)."""

    code: str
    name: str


def certificate_issuer(tambon: Tambon) -> Issuer:
    if tambon.university_id is not None:
        return Issuer(tambon.university.code, tambon.university.name_th)
    above = tambon.unit.parent if tambon.unit_id and tambon.unit.parent_id else None
    if above is None:  # a tree of one level: the programme itself certifies
        return Issuer(tambon.code, tambon.programme.name_th)
    return Issuer(above.code, f"{above.level.name_th}{above.name_th}")


def certificate_number(contract: Contract) -> str:
    """<prefix>-<issuer code>-<contract id>: U2T-CU-000042, TST-1101-000043."""
    tambon = contract.tambon
    return f"{certificate_prefix(tambon.programme)}-{certificate_issuer(tambon).code}-{contract.pk:06d}"


# what a certificate prints of its tambon and whoever issues it, read with the certificates in one query
CERTIFICATE_TAMBON = ("tambon__university", "tambon__programme", "tambon__subdistrict__district__province",
                      "tambon__unit__parent__level")  # fmt: skip


def wages_due_by_month(
    *, tambon_ids: Iterable[int], months: Iterable[tuple[int, int]]
) -> dict[tuple[int, int, int, int], Decimal]:
    """Wages due from accepted work: {(tambon id, hiring type id, year, month): baht}, one query for all months.

    THE source of the monthly report's hiring lines 1.1–1.3 (reporting.selectors.hiring_actuals)."""
    wanted = set(months)
    rows = (
        WorkAcceptance.objects.filter(
            contract__tambon_id__in=list(tambon_ids),
            year__in={y for y, _m in wanted},
            month__in={m for _y, m in wanted},
        )
        .values_list("contract__tambon_id", "contract__hiring_type_id", "year", "month")
        .annotate(total=Sum("amount"))
    )
    return {(t, h, y, m): total for t, h, y, m, total in rows if (y, m) in wanted}


def wages_due(*, tambon_ids: Iterable[int], year: int, month: int) -> dict[tuple[int, str], Decimal]:
    """Wages due for one month, keyed by (tambon id, hiring type code); types with nothing accepted are absent."""
    codes = dict(HiringType.objects.values_list("pk", "code"))
    return {
        (tambon_id, codes[type_id]): total
        for (tambon_id, type_id, _y, _m), total in wages_due_by_month(
            tambon_ids=tambon_ids, months=[(year, month)]
        ).items()
    }


@dataclass
class TypeFill:
    hiring_type: HiringType
    hired: int
    reserve: int

    @property
    def quota(self) -> int:
        return self.hiring_type.quota_per_tambon

    @property
    def fill_rate(self) -> Decimal:
        return (Decimal(self.hired) * 100 / self.quota).quantize(Decimal("0.1")) if self.quota else Decimal(0)


def team_fill(*, tambon: Tambon) -> tuple[list[TypeFill], TypeFill]:
    """Hired and reserve counts against the quota for each type, and the total line."""
    counts = {
        r["hiring_type_id"]: r
        for r in Contract.objects.filter(tambon=tambon)
        .values("hiring_type_id")
        .annotate(hired=Count("id", filter=Q(status="active")), reserve=Count("id", filter=Q(status="reserve")))
    }
    lines = [
        TypeFill(t, counts.get(t.pk, {}).get("hired", 0), counts.get(t.pk, {}).get("reserve", 0))
        for t in HiringType.objects.filter(programme_id=tambon.programme_id)
    ]
    total_type = HiringType(quota_per_tambon=sum(line.quota for line in lines), monthly_rate=Decimal(0))
    return lines, TypeFill(total_type, sum(x.hired for x in lines), sum(x.reserve for x in lines))


def team_members(*, tambon: Tambon) -> QuerySet[Contract]:
    """Hired people first by type, then those who left; the reserve list is `reserve_list`."""
    return (
        Contract.objects.filter(tambon=tambon)
        .exclude(status=ContractStatus.RESERVE)
        .select_related("person", "hiring_type", "replaces__person", "eligibility")
        .annotate(accepted_months=Count("acceptances"))
        .order_by("status", "hiring_type__position", "person__first_name")
    )


def reserve_list(*, tambon: Tambon) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(tambon=tambon, status=ContractStatus.RESERVE)
        .select_related("person", "hiring_type", "eligibility")
        .order_by("hiring_type__position", "reserve_rank", "id")
    )


def next_month_to_accept(*, tambon: Tambon) -> tuple[int, int]:
    """The month the team's work is accepted next: the one after the latest accepted (the first month when none
    is), kept within the programme."""
    months = tambon.programme.months()
    latest = (
        WorkAcceptance.objects.filter(contract__tambon=tambon)
        .values_list("year", "month")
        .order_by("-year", "-month")
        .first()
    )
    if latest is None or latest not in months:
        return months[0]
    return months[min(months.index(latest) + 1, len(months) - 1)]


def accepted_months(*, contract_ids: Iterable[int], year: int, month: int) -> set[int]:
    return set(
        WorkAcceptance.objects.filter(contract_id__in=list(contract_ids), year=year, month=month).values_list(
            "contract_id", flat=True
        )
    )


def longest_passed_run(months: list[tuple[int, int, bool]]) -> int:
    """Longest run of consecutive calendar months whose work was accepted with a passed evaluation."""
    best = run = 0
    previous = None
    for year, month, passed in sorted(months):
        index = year * 12 + month
        if not passed:
            run, previous = 0, None
            continue
        run = run + 1 if previous is not None and index == previous + 1 else 1
        previous, best = index, max(best, run)
    return best


def certificate_candidates(*, tambons: QuerySet[Tambon]) -> list[tuple[Contract, int]]:
    """Every person of these tambons with their longest passed run; eligible when it reaches `certificate_months`."""
    contracts = list(
        Contract.objects.filter(tambon__in=tambons)
        .exclude(status=ContractStatus.RESERVE)
        .select_related("person", "hiring_type", "certificate", *CERTIFICATE_TAMBON)
        .order_by("tambon_id", "person__first_name")
    )
    months: dict[int, list] = defaultdict(list)
    for contract_id, year, month, passed in WorkAcceptance.objects.filter(
        contract__in=[c.pk for c in contracts]
    ).values_list("contract_id", "year", "month", "evaluation_passed"):
        months[contract_id].append((year, month, passed))
    return [(c, longest_passed_run(months[c.pk])) for c in contracts]


def is_certificate_eligible(contract: Contract) -> tuple[bool, int, int]:
    """(eligible, the longest run of passed months, the months the programme needs)."""
    rows = list(contract.acceptances.values_list("year", "month", "evaluation_passed"))
    run, need = longest_passed_run(rows), certificate_months(contract.tambon.programme)
    return run >= need, run, need


def export_rows(*, tambons: QuerySet[Tambon], mask: bool) -> Iterator[dict]:
    """The open contracts (hired and reserve) of these tambons, in the import template's columns."""
    from .sheet import mask_national_id

    qs = (
        Contract.objects.filter(tambon__in=tambons, status__in=[ContractStatus.ACTIVE, ContractStatus.RESERVE])
        .select_related("person", "hiring_type", "tambon__subdistrict")
        .order_by("tambon_id", "status", "hiring_type__position", "reserve_rank", "id")
    )
    for c in qs.iterator(chunk_size=5000):
        yield {
            "national_id": mask_national_id(c.person.national_id) if mask else c.person.national_id,
            "first_name": c.person.first_name,
            "last_name": c.person.last_name,
            "hiring_type": c.hiring_type.name_th,
            "tambon_code": c.tambon.subdistrict_id,
            "tambon_name": c.tambon.short_name,
            "start_date": format_date(c.start_date),
            "end_date": format_date(c.end_date),
            "graduated_on": format_date(c.person.graduated_on),
            "status": STATUS_LABELS[c.status],
            "reserve_rank": c.reserve_rank or "",
            "phone": c.person.phone,
            "monthly_wage": c.hiring_type.monthly_rate,
        }


def hiring_type_names(programme: Programme) -> list[str]:
    return list(HiringType.objects.filter(programme=programme).values_list("name_th", flat=True))


def _cached_progress(key: str) -> dict | None:
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - Redis down: the page shows the row's progress rather than an error
        log.warning("progress of %s unavailable from the cache", key, exc_info=True)
        return None


def import_progress(*, roster_import: RosterImport) -> dict:
    """Where a job stands: the running job's progress from the cache (the write's transaction hides the row's
    updates until it commits), else the row. `label` says the phase in the active language."""
    live = _cached_progress(roster_import.progress_key) if roster_import.is_running else None
    if live is None or live["status"] != roster_import.status:  # not started yet, or left from an earlier run
        live = {"status": roster_import.status, "progress": roster_import.progress, "phase": "", "done": 0, "total": 0}
    if live["phase"] in ImportPhase.values:
        label = ImportPhase(live["phase"]).label % {"done": f"{live['done']:,}", "total": f"{live['total']:,}"}
    else:
        label = roster_import.get_status_display()
    return {"status": live["status"], "progress": live["progress"], "phase": live["phase"], "label": label,
            "running": roster_import.is_running}  # fmt: skip


@dataclass
class ImportPreview:
    page: Page  # of the people, each {row, national_id, name, hiring_type, tambon, outcome, errors}
    unplaced: list[dict]  # errors of no listed row (a job from before previews were kept)


PREVIEW_PAGE = 50


def import_preview(
    *, roster_import: RosterImport, only_errors: bool = False, page: str | int | None = None
) -> ImportPreview:
    """The people of an uploaded sheet, 50 a page, each with its row's errors beside it; only_errors keeps the
    rows that have one."""
    by_row: dict[int, list[dict]] = {}
    for error in roster_import.errors:
        by_row.setdefault(error["row"], []).append(error)
    people = [p for p in roster_import.preview if not only_errors or p["outcome"] == "error"]
    paged = Paginator(people, PREVIEW_PAGE).get_page(page)
    paged.object_list = [{**person, "errors": by_row.get(person["row"], [])} for person in paged.object_list]
    listed = {p["row"] for p in roster_import.preview}
    return ImportPreview(page=paged, unplaced=[e for e in roster_import.errors if e["row"] not in listed][:200])


# --- the wage chain: due (work acceptance), transferred (NSI), paid (the university) --------------------------


@dataclass
class WageMonth:
    university: University
    year: int
    month: int
    due: Decimal = Decimal(0)
    transferred: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)

    @property
    def agrees(self) -> bool:
        return self.due == self.transferred == self.paid


@dataclass
class WageDifference:
    university: University
    year: int
    month: int
    what: str  # "transfer", "payment" (a university's month) or "person"
    expected: Decimal
    found: Decimal
    contract: Contract | None = None

    @property
    def delta(self) -> Decimal:
        return self.found - self.expected


@dataclass
class WageReconciliation:
    months: list[WageMonth]  # every (university, month) with anything due, transferred or paid
    differences: list[WageDifference]

    def total(self, field: str) -> Decimal:
        return sum((getattr(m, field) for m in self.months), Decimal(0))

    def by_university(self) -> list[WageMonth]:
        """One line per university: its months added up (the national view)."""
        lines: dict[int, WageMonth] = {}
        for m in self.months:
            line = lines.setdefault(m.university.pk, WageMonth(m.university, 0, 0))
            line.due, line.transferred, line.paid = (
                line.due + m.due,
                line.transferred + m.transferred,
                line.paid + m.paid,
            )
        return list(lines.values())


def wage_reconciliation(*, universities: Iterable[University], programme: Programme,
                        per_person: bool = True) -> WageReconciliation:  # fmt: skip
    """Wages due (from work acceptance, `wages_due_by_month`), transferred by NSI and paid by the university, per
    university and month, and every difference: a month whose transfer or payments differ from what is due, and
    (per_person) each person whose payment differs from their accepted wage. A handful of queries."""
    universities = {u.pk: u for u in universities}
    tambon_university = dict(Tambon.objects.filter(programme=programme, university_id__in=list(universities))
                             .values_list("pk", "university_id"))  # fmt: skip
    months = programme.months()
    lines: dict[tuple[int, int, int], WageMonth] = {}

    def line(uid: int, year: int, month: int) -> WageMonth:
        return lines.setdefault((uid, year, month), WageMonth(universities[uid], year, month))

    for (tambon_id, _type, year, month), total in wages_due_by_month(
        tambon_ids=tambon_university, months=months
    ).items():
        line(tambon_university[tambon_id], year, month).due += total
    for uid, year, month, total in (WageTransfer.objects.filter(university_id__in=list(universities))
                                    .values_list("university_id", "year", "month").annotate(t=Sum("amount"))):  # fmt: skip
        line(uid, year, month).transferred += total
    paid = WagePayment.objects.filter(contract__tambon_id__in=list(tambon_university))
    for tambon_id, year, month, total in paid.values_list("contract__tambon_id", "year", "month").annotate(
        t=Sum("amount")
    ):
        line(tambon_university[tambon_id], year, month).paid += total
    ordered = [lines[k] for k in sorted(lines, key=lambda k: (universities[k[0]].code, k[1], k[2]))]
    differences = []
    for m in ordered:
        if m.transferred != m.due:
            differences.append(WageDifference(m.university, m.year, m.month, "transfer", m.due, m.transferred))
        if m.paid != m.due:
            differences.append(WageDifference(m.university, m.year, m.month, "payment", m.due, m.paid))
    if per_person:
        differences += _person_differences(tambon_university, universities)
    return WageReconciliation(ordered, differences)


def _person_differences(tambon_university: dict[int, int], universities: dict) -> list[WageDifference]:
    due = {(c, y, m): a for c, y, m, a in WorkAcceptance.objects.filter(contract__tambon_id__in=list(tambon_university))
           .values_list("contract_id", "year", "month", "amount").iterator(chunk_size=5000)}  # fmt: skip
    paid = {(c, y, m): a for c, y, m, a in WagePayment.objects.filter(contract__tambon_id__in=list(tambon_university))
            .values_list("contract_id", "year", "month", "amount").iterator(chunk_size=5000)}  # fmt: skip
    keys = sorted(k for k in due.keys() | paid.keys() if due.get(k) != paid.get(k))
    contracts = Contract.objects.select_related("person", "tambon__subdistrict").in_bulk({k[0] for k in keys})
    return [
        WageDifference(universities[tambon_university[contracts[c].tambon_id]], y, m, "person",
                       due.get((c, y, m), Decimal(0)), paid.get((c, y, m), Decimal(0)), contracts[c])
        for c, y, m in keys
    ]  # fmt: skip


@dataclass
class InstalmentLine:
    recipient: University | Network
    expected: Decimal | None  # the programme's share of the management budget; None where no figure is defined
    paid: list[ManagementInstalment]

    @property
    def paid_total(self) -> Decimal:
        return sum((i.amount for i in self.paid), Decimal(0))


def management_instalments(*, programme: Programme, universities: Iterable[University],
                           networks: Iterable[Network]) -> list[InstalmentLine]:  # fmt: skip
    """Each network and university with the management-budget instalments NSI paid it. A university's expected
    total is the programme's management budget per tambon × its tambons (Programme.definition budget_per_unit)."""
    from .services.eligibility import definition_of

    per_tambon = definition_of(programme).get("budget_per_unit", {}).get("management")
    universities, networks = list(universities), list(networks)
    counts = dict(Tambon.objects.filter(programme=programme, university__in=universities)
                  .values_list("university_id").annotate(n=Count("id")))  # fmt: skip
    paid: dict[tuple[str, int], list] = defaultdict(list)
    for i in ManagementInstalment.objects.filter(programme=programme).order_by("number"):
        paid[("n", i.network_id) if i.network_id else ("u", i.university_id)].append(i)
    lines = [InstalmentLine(n, None, paid[("n", n.pk)]) for n in networks]
    for u in universities:
        expected = Decimal(per_tambon) * counts.get(u.pk, 0) if per_tambon is not None else None
        lines.append(InstalmentLine(u, expected, paid[("u", u.pk)]))
    return lines


def eligibility_initial(contract: Contract) -> dict:
    """The eligibility form as last recorded (and the person's graduation date)."""
    from .models import Eligibility

    record = Eligibility.objects.filter(contract=contract).first()
    initial = {"graduated_on": contract.person.graduated_on}
    if record is not None:
        initial |= {"residency": record.residency, "unemployed": bool(record.unemployed),
                    "no_other_state_wage": bool(record.no_other_state_wage),
                    "enrolled_institution": record.enrolled_institution,
                    "enrolment_verified": record.enrolment_verified}  # fmt: skip
    return initial


def eligibility_rule_texts(contract: Contract) -> list[str]:
    """The rules of the contract's hiring type as the page lists them, from the programme definition."""
    from django.utils.translation import gettext as _

    from .services.eligibility import eligibility_rules

    rules = eligibility_rules(contract.tambon.programme).get(contract.hiring_type.code, {})
    texts = []
    if rules.get("residency"):
        texts.append(_("Lives in the tambon or its district."))
    if rules.get("unemployed"):
        texts.append(_("Unemployed."))
    if rules.get("no_other_state_wage"):
        texts.append(_("Receives no other state wage or state hiring aid."))
    if rules.get("enrolment"):
        texts.append(_("Enrolled in higher or vocational education."))
    if rules.get("years_since_graduation") is not None:
        texts.append(_("Graduated at most %(years)s years before the contract starts.")
                     % {"years": rules["years_since_graduation"]})  # fmt: skip
    return texts


# --- the hired person's month and the university's monthly summary to NSI ------------------------------------


@dataclass
class PersonMonth:
    contract: Contract
    report: object | None  # WorkReport
    acceptance: WorkAcceptance | None
    trainings_passed: int


def team_month(*, tambon: Tambon, year: int, month: int) -> list[PersonMonth]:
    """Each person under contract in the month (hired or since left), with their work report, acceptance and the
    trainings passed by the month's end. Four queries."""
    import calendar
    import datetime as dt

    from .models import Training, WorkReport

    first, last = dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    contracts = list(
        Contract.objects.filter(tambon=tambon, start_date__lte=last)
        .exclude(status=ContractStatus.RESERVE)
        .exclude(left_on__lt=first)
        .select_related("person", "hiring_type")
        .order_by("hiring_type__position", "person__first_name", "id")
    )
    ids = [c.pk for c in contracts]
    reports = {r.contract_id: r for r in WorkReport.objects.filter(contract_id__in=ids, year=year, month=month)}
    accepted = {a.contract_id: a for a in WorkAcceptance.objects.filter(contract_id__in=ids, year=year, month=month)}
    trained = dict(Training.objects.filter(contract_id__in=ids, passed=True, completed_on__lte=last)
                   .values_list("contract_id").annotate(n=Count("id")))  # fmt: skip
    return [PersonMonth(c, reports.get(c.pk), accepted.get(c.pk), trained.get(c.pk, 0)) for c in contracts]


@dataclass
class SummaryLine:
    tambon: Tambon
    people: int = 0
    reported: int = 0
    days_worked: int = 0
    accepted: int = 0
    passed: int = 0
    accepted_without_report: int = 0
    trained: int = 0
    wages_due: Decimal = Decimal(0)


def monthly_summary(*, university: University, programme: Programme, year: int, month: int) -> list[SummaryLine]:
    """สรุปผลการปฏิบัติงานประจำเดือน (seed: ม. จัดทำสรุปผลการปฏิบัติงานประจำเดือนส่ง สป.อว.): per tambon of the
    university, the people under contract, their work reports and days worked, the acceptances (passed, and
    accepted without a report), the people who passed a training by then, and the wages due."""
    import calendar
    import datetime as dt

    from .models import Training, WorkReport

    first, last = dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    tambons = list(Tambon.objects.filter(programme=programme, university=university).select_related("subdistrict"))
    lines = {t.pk: SummaryLine(t) for t in tambons}
    under = (Contract.objects.filter(tambon__in=tambons, start_date__lte=last).exclude(status=ContractStatus.RESERVE)
             .exclude(left_on__lt=first))  # fmt: skip
    for tambon_id, n in under.values_list("tambon_id").annotate(n=Count("id")):
        lines[tambon_id].people = n
    reports = WorkReport.objects.filter(contract__in=under, year=year, month=month)
    for tambon_id, n, days in reports.values_list("contract__tambon_id").annotate(n=Count("id"), d=Sum("days_worked")):
        lines[tambon_id].reported, lines[tambon_id].days_worked = n, days or 0
    acceptances = WorkAcceptance.objects.filter(contract__in=under, year=year, month=month)
    for tambon_id, n, passed, bare in acceptances.values_list("contract__tambon_id").annotate(
        n=Count("id"), p=Count("id", filter=Q(evaluation_passed=True)), b=Count("id", filter=Q(work_report__isnull=True)),
    ):  # fmt: skip
        lines[tambon_id].accepted, lines[tambon_id].passed, lines[tambon_id].accepted_without_report = n, passed, bare
    for (tambon_id, _type, _y, _m), due in wages_due_by_month(tambon_ids=lines, months=[(year, month)]).items():
        lines[tambon_id].wages_due += due
    trained = Training.objects.filter(contract__in=under, passed=True, completed_on__lte=last)
    for tambon_id, n in trained.values_list("contract__tambon_id").annotate(n=Count("contract_id", distinct=True)):
        lines[tambon_id].trained = n
    return list(lines.values())


def latest_accepted_month(*, tambons: QuerySet[Tambon], programme: Programme) -> tuple[int, int]:
    """The latest month whose work was accepted in these tambons (the programme's first when none was)."""
    latest = (WorkAcceptance.objects.filter(contract__tambon__in=tambons).values_list("year", "month")
              .order_by("-year", "-month").first())  # fmt: skip
    return latest if latest in programme.months() else programme.months()[0]


def reported_days(*, tambon: Tambon, year: int, month: int) -> dict[int, int]:
    """{contract id: days worked} of the tambon's work reports for the month."""
    from .models import WorkReport

    return dict(WorkReport.objects.filter(contract__tambon=tambon, year=year, month=month)
                .values_list("contract_id", "days_worked"))  # fmt: skip
