"""Writes: quarterly assessments (through pbm/review.py), the tambon classification, TPMAP household imports."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pbm import formats, review
from pbm.followups import enqueue_on_commit
from pbm.history import FigureEdit, figures_record
from pbm.models import ReviewStatus
from pbm.periods import Quarter
from reporting.models import Activity
from tambon.models import Network, Programme, Tambon, University, User

from .models import (
    TPMAP_DIMENSIONS,
    ActivityAssessment,
    ActivityGoalMark,
    ActivityIndicatorNote,
    ActivityStage,
    ClassBand,
    ClassConfirmation,
    ColumnKind,
    Goal,
    GoalMark,
    GoalResult,
    Household,
    HouseholdImport,
    Indicator,
    IndicatorLevel,
    NetworkAssessment,
    NetworkIndicatorResult,
    QuarterlyAssessment,
    TambonAssessment,
    TambonClassification,
    TambonIndicatorResult,
    UniversityAssessment,
    UniversityIndicatorResult,
)
from .quarters import parse_quarter, programme_quarters

RESULT_MODEL = {
    TambonAssessment: TambonIndicatorResult,
    UniversityAssessment: UniversityIndicatorResult,
    NetworkAssessment: NetworkIndicatorResult,
}


@dataclass(frozen=True)
class GoalInput:
    met: bool
    evidence: str = ""


# --- saving a draft --------------------------------------------------------------------------------------


def _open_assessment(model: type[QuarterlyAssessment], *, user: User, programme: Programme, quarter: Quarter,
                     seen_version: int | None, **unit) -> tuple[QuarterlyAssessment, bool]:  # fmt: skip
    parse_quarter(programme, str(quarter))
    obj, created = model.objects.select_for_update().get_or_create(
        programme=programme, quarter=str(quarter), **unit, defaults={"updated_by": user}
    )
    if not review.can_file(user, obj):
        raise PermissionDenied(_("You may not file this assessment."))
    if not obj.is_open_for_editing:
        raise ValidationError(
            _("This assessment is %(status)s and can no longer be changed.") % {"status": obj.get_status_display()}
        )
    if not created:
        review.version_check(obj, seen_version)
    return obj, created


def _finish(obj: QuarterlyAssessment, *, user: User, notes: str, changes: list[review.Change], submit: bool,
            fields: list[str] = ()) -> None:  # fmt: skip
    """Save the draft through the one optimistic save (pbm/review.py), keep its history, and with `submit`
    submit it in the same step: a refused submit writes nothing."""
    obj.notes, obj.updated_by, obj.updated_at = notes, user, timezone.now()
    review.save_versioned(obj, ["notes", "updated_by", "updated_at", *fields])
    review.review_record_changes(obj=obj, user=user, changes=changes)
    if submit:
        assessment_submit(assessment=obj, user=user)


@dataclass(frozen=True)
class IndicatorInput:
    """What is filed for one indicator in a quarter: evidence, and optionally its numbers (issue #15 item 8)."""

    evidence: str = ""
    unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None
    value: Decimal | None = None

    def cleaned(self) -> IndicatorInput:
        return IndicatorInput((self.evidence or "").strip(), (self.unit or "").strip()[:40],
                              *(None if n is None else Decimal(n).quantize(Decimal("0.01"))
                                for n in (self.baseline, self.target, self.value)))  # fmt: skip

    def text(self) -> str:
        """The history's wording: the evidence, then the numbers that are filled."""
        numbers = [f"{label} {formats.number(n)}" for label, n in
                   ((_("baseline"), self.baseline), (_("target"), self.target), (_("value"), self.value))
                   if n is not None]  # fmt: skip
        return " · ".join([self.evidence, *numbers, *([self.unit] if numbers and self.unit else [])]).strip(" ·")


INDICATOR_NUMBER_LIMIT = Decimal("999999999999")
INDICATOR_FIELDS = ["evidence", "unit", "baseline", "target", "value"]


def _save_indicators(obj: QuarterlyAssessment, indicators: dict[int, str | IndicatorInput]) -> list[review.Change]:
    """Write what is filed per indicator of the assessment's level (a text is evidence only); return what
    changed."""
    valid = dict(
        Indicator.objects.filter(programme=obj.programme, level=obj.indicator_level).values_list("pk", "number")
    )
    unknown = set(indicators) - set(valid)
    if unknown:
        raise ValidationError(_("Unknown indicator for this assessment: %(ids)s.") % {"ids": sorted(unknown)})
    result_model = RESULT_MODEL[type(obj)]
    existing = {r.indicator_id: r for r in result_model.objects.filter(assessment=obj)}
    changes, to_create, to_update = [], [], []
    for indicator_id, filed in indicators.items():
        row = existing.get(indicator_id)
        if isinstance(filed, IndicatorInput):
            new = filed.cleaned()
        else:  # evidence only: the numbers stay as they are
            new = IndicatorInput((filed or "").strip(), *(getattr(row, f) if row else d for f, d in
                                 (("unit", ""), ("baseline", None), ("target", None), ("value", None))))  # fmt: skip
        if any(n is not None and abs(n) > INDICATOR_NUMBER_LIMIT for n in (new.baseline, new.target, new.value)):
            raise ValidationError(_("Indicator %(n)s: a number is too large.") % {"n": valid[indicator_id]})
        old = IndicatorInput(*(getattr(row, f) for f in INDICATOR_FIELDS)) if row else IndicatorInput()
        if old == new:
            continue
        if row is None:
            row = result_model(assessment=obj, indicator_id=indicator_id)
            to_create.append(row)
        else:
            to_update.append(row)
        for f in INDICATOR_FIELDS:
            setattr(row, f, getattr(new, f))
        changes.append(review.Change("indicator", old.text(), new.text(), subject=str(valid[indicator_id])))
    result_model.objects.bulk_create(to_create)
    result_model.objects.bulk_update(to_update, INDICATOR_FIELDS)
    return changes


KEEP = object()  # an argument left as it is


def _class_inputs(obj: TambonAssessment, model_tambon, income_change_percent) -> list[review.Change]:
    """Set the class rule's inputs besides the goals (KEEP leaves one as it is); return what changed."""
    changes = []
    if model_tambon is not KEEP and bool(model_tambon) != obj.model_tambon:
        changes.append(review.Change("model_tambon", _yes_no(obj.model_tambon), _yes_no(bool(model_tambon))))
        obj.model_tambon = bool(model_tambon)
    if income_change_percent is not KEEP:
        if income_change_percent is not None:
            income_change_percent = Decimal(income_change_percent).quantize(Decimal("0.01"))
            if not Decimal(-100) <= income_change_percent <= Decimal(10000):
                raise ValidationError(_("The income change must be a percentage between −100 and 10,000."))
        if income_change_percent != obj.income_change_percent:
            changes.append(review.Change("income_change", obj.income_change_percent, income_change_percent))
            obj.income_change_percent = income_change_percent
    return changes


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


@transaction.atomic
def tambon_assessment_save(
    *, tambon: Tambon, quarter: Quarter, user: User, goals: dict[int, GoalInput], indicators: dict[int, str | IndicatorInput],
    notes: str = "", seen_version: int | None = None, submit: bool = False, model_tambon=KEEP,
    income_change_percent=KEEP,
) -> TambonAssessment:  # fmt: skip
    """Create or update the draft of a tambon's quarterly assessment: each goal met or not, TSI evidence, and
    the class rule's other inputs (model tambon, income change in %)."""
    obj, _created = _open_assessment(
        TambonAssessment, user=user, programme=tambon.programme, quarter=quarter, seen_version=seen_version,
        tambon=tambon,
    )  # fmt: skip
    class_changes = _class_inputs(obj, model_tambon, income_change_percent)
    valid = dict(Goal.objects.filter(programme=tambon.programme).values_list("pk", "number"))
    if unknown := set(goals) - set(valid):
        raise ValidationError(_("Unknown goal for this programme: %(ids)s.") % {"ids": sorted(unknown)})
    existing = {r.goal_id: r for r in GoalResult.objects.filter(assessment=obj)}
    changes, to_create, to_update = [], [], []
    for goal_id, value in goals.items():
        evidence = (value.evidence or "").strip()
        row = existing.get(goal_id)
        if row is None:
            to_create.append(GoalResult(assessment=obj, goal_id=goal_id, met=value.met, evidence=evidence))
            changes.append(review.Change("goal", "", _goal_text(value.met, evidence), subject=str(valid[goal_id])))
        elif (row.met, row.evidence) != (value.met, evidence):
            changes.append(review.Change("goal", _goal_text(row.met, row.evidence), _goal_text(value.met, evidence),
                                         subject=str(valid[goal_id])))  # fmt: skip
            row.met, row.evidence = value.met, evidence
            to_update.append(row)
    GoalResult.objects.bulk_create(to_create)
    GoalResult.objects.bulk_update(to_update, ["met", "evidence"])
    changes += _save_indicators(obj, indicators) + class_changes
    _finish(obj, user=user, notes=notes.strip(), changes=changes, submit=submit,
            fields=["model_tambon", "income_change_percent"])  # fmt: skip
    return obj


def _goal_text(met: bool, evidence: str) -> str:
    return f"{_('met') if met else _('not met')} {evidence}".strip()


@transaction.atomic
def university_assessment_save(
    *, university: University, programme: Programme, quarter: Quarter, user: User, indicators: dict[int, str | IndicatorInput],
    notes: str = "", seen_version: int | None = None, submit: bool = False,
) -> UniversityAssessment:  # fmt: skip
    obj, _created = _open_assessment(
        UniversityAssessment, user=user, programme=programme, quarter=quarter, seen_version=seen_version,
        university=university,
    )  # fmt: skip
    changes = _save_indicators(obj, indicators)
    _finish(obj, user=user, notes=notes.strip(), changes=changes, submit=submit)
    return obj


@transaction.atomic
def network_assessment_save(
    *, network: Network, programme: Programme, quarter: Quarter, user: User, indicators: dict[int, str | IndicatorInput],
    notes: str = "", seen_version: int | None = None, submit: bool = False,
) -> NetworkAssessment:  # fmt: skip
    obj, _created = _open_assessment(
        NetworkAssessment, user=user, programme=programme, quarter=quarter, seen_version=seen_version,
        network=network,
    )  # fmt: skip
    changes = _save_indicators(obj, indicators)
    _finish(obj, user=user, notes=notes.strip(), changes=changes, submit=submit)
    return obj


# --- review: the shared flow, plus reclassification after a tambon assessment is accepted or reopened ----


def _check_complete(obj: QuarterlyAssessment) -> None:
    if not isinstance(obj, TambonAssessment):
        return
    missing = list(
        GoalResult.objects.filter(assessment=obj, met=True, evidence="").values_list("goal__number", flat=True)
    )
    if missing:
        raise ValidationError(
            _("Goals %(numbers)s are marked met but have no evidence: write what shows each is met.")
            % {"numbers": ", ".join(str(n) for n in missing)}
        )


def _reclassify_on_commit(obj: QuarterlyAssessment) -> None:
    if isinstance(obj, TambonAssessment):
        from . import tasks  # the task module imports this one

        programme_id, quarter = obj.programme_id, obj.quarter
        enqueue_on_commit(tasks.classify_quarter, programme_id, quarter)


@transaction.atomic
def assessment_submit(*, assessment: QuarterlyAssessment, user: User) -> QuarterlyAssessment:
    _check_complete(assessment)
    return review.review_submit(obj=assessment, user=user)


@transaction.atomic
def assessment_accept(*, assessment: QuarterlyAssessment, user: User) -> QuarterlyAssessment:
    review.review_accept(obj=assessment, user=user)
    _reclassify_on_commit(assessment)
    return assessment


@transaction.atomic
def assessment_return(*, assessment: QuarterlyAssessment, user: User, reason: str) -> QuarterlyAssessment:
    return review.review_return(obj=assessment, user=user, reason=reason)


@transaction.atomic
def assessment_reopen(*, assessment: QuarterlyAssessment, user: User, reason: str) -> QuarterlyAssessment:
    """NSI lock exception: the assessment no longer counts, so its quarter is reclassified."""
    review.review_reopen(obj=assessment, user=user, reason=reason)
    _reclassify_on_commit(assessment)
    return assessment


# --- classification -------------------------------------------------------------------------------------


@dataclass
class ClassifyResult:
    quarter: str
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    distribution: dict[str, int] = field(default_factory=dict)  # band code ("" = not yet classified) → tambons


@dataclass(frozen=True)
class BandRule:
    """One class band and what it requires besides the goals (class_bands[].requires in the programme's
    definition: `model_tambon`, `min_income_change_percent`)."""

    band: ClassBand
    model_tambon: bool = False
    min_income_change_percent: Decimal | None = None

    def admits(self, goals_met: int, model_tambon: bool, income_change_percent: Decimal | None) -> bool:
        if goals_met < self.band.min_goals or (self.model_tambon and not model_tambon):
            return False
        if self.min_income_change_percent is None:
            return True
        return income_change_percent is not None and income_change_percent >= self.min_income_change_percent


def band_rules(programme: Programme) -> list[BandRule]:
    """The programme's class rule, best class first: the band table and each band's `requires` from the
    definition (a programme loaded before `requires` existed asks for goals only)."""
    requires = {
        row.get("code"): row.get("requires") or {} for row in (programme.definition or {}).get("class_bands") or []
    }
    rules = []
    for band in ClassBand.objects.filter(programme=programme).order_by("-rank"):
        need = requires.get(band.code, {})
        minimum = need.get("min_income_change_percent")
        rules.append(BandRule(band, bool(need.get("model_tambon")),
                              None if minimum is None else Decimal(str(minimum))))  # fmt: skip
    return rules


def band_for(rules: list[BandRule], *, goals_met: int, model_tambon: bool = False,
             income_change_percent: Decimal | None = None) -> ClassBand | None:  # fmt: skip
    """The one class rule: the best band whose goals range the tambon reaches and whose requirements it meets.
    A tambon with the goals of a band but not its requirements falls to the best lower band it qualifies for
    (15 goals without a model tambon: sufficiency); below every band it is not yet classified."""
    for rule in rules:
        if rule.admits(goals_met, model_tambon, income_change_percent):
            return rule.band
    return None


@transaction.atomic
def tambon_classify(*, programme: Programme, quarter: Quarter) -> ClassifyResult:
    """Classify every tambon with an accepted assessment in `quarter`: one aggregate query, bulk writes.

    Idempotent: a second run finds nothing to change. A classification whose assessment is no longer
    accepted (reopened by the NSI) is removed."""
    parse_quarter(programme, str(quarter))
    rules = band_rules(programme)
    codes = {rule.band.pk: rule.band.code for rule in rules}
    assessments = TambonAssessment.objects.filter(programme=programme, quarter=str(quarter),
                                                  status=ReviewStatus.ACCEPTED)  # fmt: skip
    accepted = list(assessments.values_list("tambon_id", "pk", "model_tambon", "income_change_percent"))
    masks = goals_met_masks(assessments.values("pk"))
    existing = {c.tambon_id: c for c in TambonClassification.objects.filter(programme=programme, quarter=str(quarter))}
    now = timezone.now()
    result = ClassifyResult(quarter=str(quarter))
    to_create, to_update = [], []
    for tambon_id, assessment_id, model_tambon, income in accepted:
        mask = masks.get(assessment_id, 0)
        goals_met = mask.bit_count()
        computed = band_for(rules, goals_met=goals_met, model_tambon=model_tambon, income_change_percent=income)
        computed_id = computed.pk if computed else None
        row = existing.get(tambon_id)
        if row is None:
            row = TambonClassification(tambon_id=tambon_id, programme=programme, quarter=str(quarter),
                                       goals_met=goals_met, goals_met_mask=mask, band_id=computed_id,
                                       computed_band_id=computed_id, assessment_id=assessment_id,
                                       model_tambon=model_tambon, income_change_percent=income, classified_at=now)  # fmt: skip
            to_create.append(row)
        else:
            band_id = row.override_band_id if row.is_overridden else computed_id  # the committee's call stands
            new = (mask, band_id, computed_id, assessment_id, model_tambon, income)
            if (row.goals_met_mask, row.band_id, row.computed_band_id, row.assessment_id, row.model_tambon,
                    row.income_change_percent) != new:  # fmt: skip
                (row.goals_met_mask, row.band_id, row.computed_band_id, row.assessment_id, row.model_tambon,
                 row.income_change_percent) = new  # fmt: skip
                row.goals_met, row.classified_at = goals_met, now
                to_update.append(row)
            else:
                result.unchanged += 1
        code = codes.get(row.band_id, "")
        result.distribution[code] = result.distribution.get(code, 0) + 1
    wanted = {row[0] for row in accepted}
    stale = [row.pk for tambon_id, row in existing.items() if tambon_id not in wanted]
    TambonClassification.objects.bulk_create(to_create, batch_size=1000)
    TambonClassification.objects.bulk_update(
        to_update,
        ["goals_met", "goals_met_mask", "band", "computed_band", "assessment", "model_tambon", "income_change_percent",
         "classified_at"],
        batch_size=1000,
    )  # fmt: skip
    if stale:
        TambonClassification.objects.filter(pk__in=stale).delete()
    result.created, result.updated, result.deleted = len(to_create), len(to_update), len(stale)
    return result


def _require_committee(user: User, programme_id: int) -> None:
    from tambon import access

    if not access.national_in(user, programme_id):  # the programme's own national roles, not another's
        raise PermissionDenied(_("Only NSI, for the programme committee, may confirm or change tambon classes."))


@transaction.atomic
def class_override(*, classification: TambonClassification, user: User, band: ClassBand | None,
                   reason: str) -> TambonClassification:  # fmt: skip
    """The committee sets a tambon's class for the quarter (None: not yet classified), with its reason; the
    classification job keeps it until it is cleared."""
    _require_committee(user, classification.programme_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Write the committee's reason for this class."))
    row = TambonClassification.objects.select_for_update(of=("self",)).select_related("band").get(pk=classification.pk)
    if band is not None and band.programme_id != row.programme_id:
        raise ValidationError(_("That class is not one of this programme's."))
    before = row.band.name if row.band else _("not yet classified")
    row.band = row.override_band = band
    row.overridden_at, row.overridden_by, row.override_reason = timezone.now(), user, reason[:2000]
    row.save(update_fields=["band", "override_band", "overridden_at", "overridden_by", "override_reason"])
    figures_record(tambon_id=row.tambon_id, user=user, edits=[FigureEdit(
        f"{row.quarter_label} · {reason[:200]}", "tambon_class", before, band.name if band else _("not yet classified"),
    )])  # fmt: skip
    return row


@transaction.atomic
def class_override_clear(*, classification: TambonClassification, user: User) -> TambonClassification:
    """Back to the class the rule gives."""
    _require_committee(user, classification.programme_id)
    row = (
        TambonClassification.objects.select_for_update(of=("self",))
        .select_related("band", "computed_band")
        .get(pk=classification.pk)
    )
    if not row.is_overridden:
        return row
    before = row.band.name if row.band else _("not yet classified")
    row.band, row.override_band, row.overridden_at, row.overridden_by, row.override_reason = (
        row.computed_band,
        None,
        None,
        None,
        "",
    )
    row.save(update_fields=["band", "override_band", "overridden_at", "overridden_by", "override_reason"])
    figures_record(tambon_id=row.tambon_id, user=user, edits=[FigureEdit(
        row.quarter_label, "tambon_class", before, row.band.name if row.band else _("not yet classified"),
    )])  # fmt: skip
    return row


def quarter_distribution(programme: Programme, quarter: str) -> dict[str, int]:
    """{band code ("" = not yet classified): tambons} of every classification of the quarter (one query)."""
    counts: dict[str, int] = {}
    for code in TambonClassification.objects.filter(programme=programme, quarter=quarter).values_list(
        "band__code", flat=True
    ):
        counts[code or ""] = counts.get(code or "", 0) + 1
    return counts


@transaction.atomic
def class_confirm(*, programme: Programme, quarter: Quarter, user: User, note: str = "") -> ClassConfirmation:
    """The committee confirms the quarter's classes as they stand (again after a later change)."""
    _require_committee(user, programme.pk)
    parse_quarter(programme, str(quarter))
    distribution = quarter_distribution(programme, str(quarter))
    if not distribution:
        raise ValidationError(_("No tambon is classified in this quarter yet: there is nothing to confirm."))
    confirmation, _created = ClassConfirmation.objects.update_or_create(
        programme=programme, quarter=str(quarter),
        defaults={"confirmed_by": user, "confirmed_at": timezone.now(), "note": (note or "").strip()[:4000],
                  "distribution": distribution},
    )  # fmt: skip
    return confirmation


def goals_met_masks(assessment_ids) -> dict[int, int]:
    """{assessment: the bits of the goals it meets} (TambonClassification.goal_bit), in one query."""
    masks: dict[int, int] = {}
    for assessment_id, number in GoalResult.objects.filter(assessment_id__in=assessment_ids, met=True).values_list(
        "assessment_id", "goal__number"
    ):
        masks[assessment_id] = masks.get(assessment_id, 0) | TambonClassification.goal_bit(number)
    return masks


def tambon_classify_programme(*, programme: Programme) -> list[ClassifyResult]:
    """The nightly job: every quarter of the programme (a handful of set-based passes)."""
    return [tambon_classify(programme=programme, quarter=q) for q in programme_quarters(programme)]


# --- TPMAP households -------------------------------------------------------------------------------------

HOUSEHOLD_COLUMN = "household"
PASS_WORDS = {"pass", "passed", "ผ่าน", "p"}
FAIL_WORDS = {"fail", "failed", "ไม่ผ่าน", "f"}
MAX_REPORTED_ERRORS = 50


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp874"):  # Excel on Thai Windows saves CSV as TIS-620/cp874
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is not UTF-8 or Thai Windows (cp874) text; save it as CSV UTF-8."))


@transaction.atomic
def households_import(*, tambon: Tambon, user: User, content: bytes, filename: str = "") -> HouseholdImport:
    """Replace the tambon's TPMAP households with the file's; any bad row refuses the whole file.

    Columns: household, health, education, income, living, access; each dimension is pass or fail
    (ผ่าน / ไม่ผ่าน)."""
    from tambon import access

    if not access.can_edit_tambon(user, tambon):
        raise PermissionDenied(_("You may not import households for this tambon."))
    reader = csv.DictReader(io.StringIO(_decode(content)))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    needed = [HOUSEHOLD_COLUMN] + [name for name, _label in TPMAP_DIMENSIONS]
    if missing := [c for c in needed if c not in header]:
        raise ValidationError(
            _("Line 1: the header lacks the columns %(missing)s; it needs %(needed)s.")
            % {"missing": ", ".join(missing), "needed": ", ".join(needed)}
        )
    reader.fieldnames = header
    errors: list[str] = []
    households: list[Household] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        code = (row.get(HOUSEHOLD_COLUMN) or "").strip()
        if not code:
            errors.append(_("Line %(line)s: the household code is empty.") % {"line": line})
            continue
        if code in seen:
            errors.append(_("Line %(line)s: household %(code)s is already on line %(first)s.")
                          % {"line": line, "code": code, "first": seen[code]})  # fmt: skip
            continue
        seen[code] = line
        fails = {}
        for name, _label in TPMAP_DIMENSIONS:
            value = (row.get(name) or "").strip().lower()
            if value in FAIL_WORDS or value in PASS_WORDS:
                fails[f"fails_{name}"] = value in FAIL_WORDS
            else:
                errors.append(_("Line %(line)s, column %(column)s: write pass or fail, not “%(value)s”.")
                              % {"line": line, "column": name, "value": value})  # fmt: skip
        households.append(Household(tambon=tambon, code=code[:40], **fails))
    if not households and not errors:
        errors.append(_("The file has no households below its header."))
    if errors:
        extra = len(errors) - MAX_REPORTED_ERRORS
        shown = errors[:MAX_REPORTED_ERRORS]
        if extra > 0:
            shown.append(_("… and %(n)s more problems.") % {"n": extra})
        raise ValidationError(shown)
    before = Household.objects.filter(tambon=tambon).count()
    Household.objects.filter(tambon=tambon).delete()
    Household.objects.bulk_create(households, batch_size=2000)
    figures_record(tambon_id=tambon.pk, user=user,
                   edits=[FigureEdit(filename[:200] or "TPMAP", "households", before, len(households))])  # fmt: skip
    return HouseholdImport.objects.create(
        tambon=tambon, filename=filename[:200], households=len(households), imported_by=user
    )


# --- activity assessment form -------------------------------------------------------------------------------


@dataclass
class ColumnInput:
    kind: str  # ColumnKind
    activity_name: str = ""  # an activity not recorded in reporting (free text)
    activity_id: int | None = None  # reporting.Activity of the tambon
    goal_marks: dict[int, str] = field(default_factory=dict)  # goal id → GoalMark value
    indicator_notes: dict[int, str] = field(default_factory=dict)  # TSI indicator id → evidence


@transaction.atomic
def activity_assessment_version(*, tambon: Tambon, stage: str) -> str:
    """The form's version: when its columns were last saved ("new" before the first save)."""
    latest = ActivityAssessment.objects.filter(tambon=tambon, stage=stage).order_by("-updated_at").first()
    return latest.updated_at.isoformat() if latest else "new"


def activity_assessment_save(
    *, tambon: Tambon, stage: str, user: User, columns: list[ColumnInput], seen_version: str | None = None
) -> list[ActivityAssessment]:
    """Replace the tambon's activity assessment form at `stage` (start or end) with `columns`. `seen_version` is
    the form's version the page was rendered with (see `activity_assessment_version`); a stale one is refused."""
    from tambon import access

    if not access.can_edit_tambon(user, tambon):
        raise PermissionDenied(_("You may not fill this tambon's activity assessment."))
    if seen_version is not None and seen_version != activity_assessment_version(tambon=tambon, stage=stage):
        raise ValidationError(
            _("Someone else changed this report while you were working on it. Reload the page and try again.")
        )
    if stage not in ActivityStage.values:
        raise ValidationError(_("Stage must be start or end."))
    goal_ids = set(Goal.objects.filter(programme=tambon.programme).values_list("pk", flat=True))
    indicator_ids = set(
        Indicator.objects.filter(programme=tambon.programme, level=IndicatorLevel.TAMBON).values_list("pk", flat=True)
    )
    activity_ids = set(Activity.objects.filter(tambon=tambon).values_list("pk", flat=True))
    errors, seen = [], set()
    for number, column in enumerate(columns, start=1):
        if column.kind != ColumnKind.ACTIVITY or column.activity_id:
            column.activity_name = ""
        column.activity_name = (column.activity_name or "").strip()
        if column.kind not in ColumnKind.values:
            errors.append(_("Column %(n)s: unknown column kind.") % {"n": number})
        elif column.activity_id and (column.kind != ColumnKind.ACTIVITY or column.activity_id not in activity_ids):
            errors.append(_("Column %(n)s: that activity is not one of this tambon's.") % {"n": number})
        elif column.kind == ColumnKind.ACTIVITY and not (column.activity_name or column.activity_id):
            errors.append(_("Column %(n)s: name the activity.") % {"n": number})
        key = (column.kind, column.activity_id, column.activity_name)
        if key in seen:
            errors.append(
                _("Column %(n)s: %(name)s appears twice.") % {"n": number, "name": column.activity_name or column.kind}
            )
        seen.add(key)
        if set(column.goal_marks) - goal_ids or set(column.indicator_notes) - indicator_ids:
            errors.append(_("Column %(n)s: unknown goal or indicator.") % {"n": number})
        if bad := {m for m in column.goal_marks.values() if m not in GoalMark.values}:
            errors.append(_("Column %(n)s: unknown mark %(marks)s.") % {"n": number, "marks": ", ".join(sorted(bad))})
    if errors:
        raise ValidationError(errors)
    ActivityAssessment.objects.filter(tambon=tambon, stage=stage).delete()
    saved = ActivityAssessment.objects.bulk_create(
        ActivityAssessment(tambon=tambon, stage=stage, kind=c.kind, activity_id=c.activity_id,
                           activity_name=c.activity_name, position=i, updated_by=user)
        for i, c in enumerate(columns)
    )  # fmt: skip
    ActivityGoalMark.objects.bulk_create(
        ActivityGoalMark(column=row, goal_id=goal_id, mark=mark)
        for row, c in zip(saved, columns, strict=True) for goal_id, mark in c.goal_marks.items() if mark
    )  # fmt: skip
    ActivityIndicatorNote.objects.bulk_create(
        ActivityIndicatorNote(column=row, indicator_id=ind_id, evidence=text.strip())
        for row, c in zip(saved, columns, strict=True) for ind_id, text in c.indicator_notes.items() if text.strip()
    )  # fmt: skip
    return saved
