"""The tambon's hired team (DOMAIN.md §5): people, their contracts, monthly work acceptance, training,
certificates, and the bulk imports that load them.

A person is keyed by national ID nationwide; a contract places them in one tambon with one hiring type. The
database keeps one active contract per person (partial unique index), so two imports racing each other cannot
both hire the same person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tambon.models import BilingualName, HiringType, Tambon, Unit, University


class Person(models.Model):
    national_id = models.CharField(_("national ID"), max_length=13, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    graduated_on = models.DateField(_("graduation date"), null=True, blank=True)

    class Meta:
        verbose_name = _("hired person")
        verbose_name_plural = _("hired people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ContractStatus(models.TextChoices):
    RESERVE = "reserve", _("Reserve")
    ACTIVE = "active", _("Hired")
    RESIGNED = "resigned", _("Resigned")
    TERMINATED = "terminated", _("Terminated")


OPEN_STATUSES = (ContractStatus.RESERVE, ContractStatus.ACTIVE)


class Track(models.TextChoices):
    TAMBON = "tambon", _("Tambon team")
    DIGITIZING = "digitizing", _("Digitizing Government Data")


class Contract(models.Model):
    """A person's place in a tambon's team: hired (active), on the reserve list, or ended."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contracts")
    tambon = models.ForeignKey(Tambon, on_delete=models.PROTECT, related_name="contracts")
    hiring_type = models.ForeignKey(HiringType, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=ContractStatus.choices, default="active")
    reserve_rank = models.PositiveIntegerField(_("reserve rank"), null=True, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    track = models.CharField(_("track"), max_length=12, choices=Track.choices, default=Track.TAMBON)
    user_agency = models.CharField(_("user agency"), max_length=200, blank=True)
    nda_required = models.BooleanField(_("NDA required"), default=False)
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by",
        verbose_name=_("replaces"),
    )  # fmt: skip
    notice_date = models.DateField(_("notice given on"), null=True, blank=True)
    left_on = models.DateField(_("last working day"), null=True, blank=True)
    leave_reason = models.TextField(_("reason"), blank=True)
    short_notice = models.BooleanField(_("less than 1 month's notice"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="active"), name="roster_one_active_contract_per_person"
            ),
        ]
        indexes = [models.Index(fields=["tambon", "status"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.tambon_id} · {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class WorkAcceptance(models.Model):
    """ตรวจรับงาน: the university accepted a person's work for one month; the wage due is fixed here."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="acceptances")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    days_worked = models.PositiveSmallIntegerField(_("days under contract"))
    days_in_month = models.PositiveSmallIntegerField(_("days in month"))
    amount = models.DecimalField(_("wage due (baht)"), max_digits=10, decimal_places=2)
    evaluation_passed = models.BooleanField(_("evaluation passed"), default=True)
    work_report = models.ForeignKey("WorkReport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    trainings_passed = models.PositiveSmallIntegerField(_("trainings passed by then"), default=0)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("work acceptance")
        verbose_name_plural = _("work acceptances")
        constraints = [
            models.UniqueConstraint(fields=["contract", "year", "month"], name="roster_accept_once_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="roster_accept_month_valid"),
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.contract_id} · {self.year}-{self.month:02d}"


class SkillArea(BilingualName):
    """The 4 training areas (DOMAIN.md §5), loaded by migration."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("skill area")
        verbose_name_plural = _("skill areas")


class Training(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="trainings")
    skill_area = models.ForeignKey(SkillArea, on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField(_("completed on"))
    passed = models.BooleanField(_("passed"), default=True)
    hours = models.PositiveSmallIntegerField(_("hours"), default=0)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [models.UniqueConstraint(fields=["contract", "skill_area"], name="roster_training_once")]

    def __str__(self) -> str:
        return f"{self.contract_id} · {self.skill_area_id}"


class Certificate(models.Model):
    """หนังสือรับรองการปฏิบัติงาน, issued once per contract."""

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("number"), max_length=40, unique=True)
    months = models.PositiveSmallIntegerField(_("continuous accepted months"))
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.number


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    CHECKING = "checking", _("Checking")
    PREVIEW = "preview", _("Ready to confirm")
    FAILED = "failed", _("Has errors")
    WRITING = "writing", _("Writing")
    DONE = "done", _("Imported")


class ImportPhase(models.TextChoices):
    """What a running import is doing, shown above its progress bar (done / total: rows of that phase)."""

    READING = "reading", _("Reading the sheet")
    CHECKING = "checking", _("Checking rows: %(done)s of %(total)s")
    COMPARING = "comparing", _("Comparing with the people already recorded")
    PEOPLE = "people", _("Writing people: %(done)s of %(total)s")
    CONTRACTS = "contracts", _("Writing contracts: %(done)s of %(total)s")
    COMMITTING = "committing", _("Saving everything together")


class RosterImport(models.Model):
    """One uploaded sheet: its preview, then (after confirmation) its import. Progress is polled from here.

    Its owner is a university (U2T) or a unit of a programme's tree (Tambon Smart Team's district): the sheet may
    hold only the owner's tambons whose roster the uploader manages (services.jobs.roster_import_owner)."""

    university = models.ForeignKey(University, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    file = models.FileField(upload_to="roster-imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    unknown_columns = models.JSONField(default=list, blank=True)
    # The sheet's rows as the preview lists them (row, national_id, name, hiring_type, tambon, outcome).
    preview = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The run in progress (checking or writing): claimed once, its worker's heartbeat (pbm/jobs.py).
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.WRITING)

    @property
    def can_restart(self) -> bool:
        """Failed without a row error (a lost worker, a file that could not be read): it may be started again."""
        return self.status == ImportStatus.FAILED and not self.error_count

    @property
    def progress_key(self) -> str:
        """The cache key of the running job's progress: the write's transaction hides this row until it commits."""
        return f"roster-import-progress:{self.pk}"


# --- the hiring chain (issue #15 items 3-6): eligibility, the person's month, the wage chain -------------------


class Residency(models.TextChoices):
    TAMBON = "tambon", _("Lives in the tambon")
    DISTRICT = "district", _("Lives in the district")
    OTHER = "other", _("Lives elsewhere")


class Eligibility(models.Model):
    """What the university checked when it hired (or placed on the reserve list) a person: the answers, and the
    problems the programme's rules (Programme.definition hiring_types[].eligibility) found in them."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="eligibility")
    residency = models.CharField(_("residency"), max_length=10, choices=Residency.choices, blank=True)
    unemployed = models.BooleanField(_("unemployed"), null=True)
    no_other_state_wage = models.BooleanField(_("no other state wage or hiring aid"), null=True)
    enrolled_institution = models.CharField(_("enrolled at"), max_length=200, blank=True)
    enrolment_verified = models.BooleanField(_("enrolment verified"), default=False)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    checked_at = models.DateTimeField(auto_now=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("eligibility")
        verbose_name_plural = _("eligibility records")

    def __str__(self) -> str:
        return f"{self.contract_id} · {'ok' if not self.problems else len(self.problems)}"

    @property
    def eligible(self) -> bool:
        return not self.problems


class WorkReport(models.Model):
    """ผู้ถูกจ้างงานจัดทำรายงานผลการดำเนินงานประจำเดือน: the person's month, entered by the university for them."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="work_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    tasks = models.TextField(_("tasks done"))
    days_worked = models.PositiveSmallIntegerField(_("days worked"))
    evidence = models.TextField(_("evidence"), blank=True)
    by_person = models.BooleanField(_("entered by the person"), default=False)  # through their personal link
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("monthly work report")
        verbose_name_plural = _("monthly work reports")
        constraints = [
            models.UniqueConstraint(fields=["contract", "year", "month"], name="roster_work_report_once"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="roster_work_report_month_valid"),
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.contract_id} · {self.year}-{self.month:02d}"


class WageTransfer(models.Model):
    """สป.อว. โอนเงินค่าจ้างไปยังมหาวิทยาลัย: one transfer of wage money for one month's wages."""

    university = models.ForeignKey(University, on_delete=models.PROTECT, related_name="wage_transfers")
    year = models.PositiveSmallIntegerField(_("wage year"))
    month = models.PositiveSmallIntegerField(_("wage month"))
    amount = models.DecimalField(_("amount (baht)"), max_digits=14, decimal_places=2)
    transferred_on = models.DateField(_("transferred on"))
    reference = models.CharField(_("reference"), max_length=60)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "month", "transferred_on", "id"]
        verbose_name = _("wage transfer")
        verbose_name_plural = _("wage transfers")
        constraints = [
            models.UniqueConstraint(fields=["university", "reference"], name="wages_transfer_reference_once"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="wages_transfer_month_valid"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="wages_transfer_positive"),
        ]

    def __str__(self) -> str:
        return self.reference


class WagePayment(models.Model):
    """มหาวิทยาลัยจ่ายค่าจ้างรายเดือน: what the university paid one person for one month."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="wage_payments")
    year = models.PositiveSmallIntegerField(_("wage year"))
    month = models.PositiveSmallIntegerField(_("wage month"))
    amount = models.DecimalField(_("amount paid (baht)"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wage payment")
        verbose_name_plural = _("wage payments")
        constraints = [
            models.UniqueConstraint(fields=["contract", "year", "month"], name="wages_paid_once_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="wages_payment_month_valid"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="wages_payment_not_negative"),
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.contract_id} · {self.year}-{self.month:02d}"


class ManagementInstalment(models.Model):
    """One instalment (งวด) of a network's or a university's management budget, paid by NSI."""

    programme = models.ForeignKey("tambon.Programme", on_delete=models.PROTECT, related_name="+")
    network = models.ForeignKey("tambon.Network", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    university = models.ForeignKey(University, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    number = models.PositiveSmallIntegerField(_("instalment"))
    amount = models.DecimalField(_("amount (baht)"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=60)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["network__number", "university__code", "number"]
        verbose_name = _("management-budget instalment")
        verbose_name_plural = _("management-budget instalments")
        constraints = [
            models.CheckConstraint(
                condition=Q(network__isnull=False, university__isnull=True)
                | Q(network__isnull=True, university__isnull=False),
                name="wages_instalment_one_recipient",
            ),
            models.UniqueConstraint(fields=["programme", "network", "number"], condition=Q(network__isnull=False),
                                    name="wages_instalment_network_once"),
            models.UniqueConstraint(fields=["programme", "university", "number"], condition=Q(university__isnull=False),
                                    name="wages_instalment_university_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="wages_instalment_positive"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.network or self.university} · {self.number}"

    @property
    def recipient(self):
        return self.network or self.university


class CheckedRows(models.Model):
    """What the preview checked, kept for the confirmation to write as it is, without reading the file again.

    `rows` are the checked rows (importer.checked_dump); `state` is the roster's state they were compared with
    (importer.roster_state): when it has changed by the confirmation, the rows are compared again before writing.
    Deleted once the import is written."""

    roster_import = models.OneToOneField(RosterImport, on_delete=models.CASCADE, related_name="checked")
    state = models.CharField(max_length=200)
    rows = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.roster_import_id}: {len(self.rows)} rows"
