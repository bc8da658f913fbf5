"""Writes of budget plans and monthly reports. Views, API, admin and demo data all come through here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from pbm import locks, review
from pbm.formats import baht as _baht  # the one rule for showing baht, in messages too
from pbm.formats import date_be, month_label
from pbm.history import FigureEdit, figures_record
from pbm.models import ReviewStatus
from pbm.periods import end_of_day, month_due_date
from tambon import access
from tambon.models import Tambon, User

from .dashboard.services import dashboard_refresh_on_commit
from .evidence import evidence_check
from .models import (
    Activity,
    AttachedFile,
    BudgetCategory,
    BudgetLine,
    CategoryKind,
    Evidence,
    ExpenseSplit,
    ExpenseType,
    MonthlyAmount,
    MonthlyReport,
    ProgrammeSettings,
)
from .selectors import ZERO, BudgetTable, Month, Row, budget_table, budget_tables

Money = Decimal


def _check_edit(user: User, tambon: Tambon) -> None:
    if not access.can_edit_tambon(user, tambon):
        raise PermissionDenied(_("Only the tambon's university staff can change its budget and reports."))


def _check_month(tambon: Tambon, year: int, month: int) -> None:
    months = tambon.programme.months()
    if (year, month) not in months:
        raise ValidationError(
            _("%(month)s is outside the project year (%(first)s – %(last)s).")
            % {"month": _month_text(year, month), "first": month_label(*months[0]), "last": month_label(*months[-1])}
        )


def _month_text(year: int, month: int) -> str:
    return month_label(year, month) if 1 <= month <= 12 else f"{year}-{month}"


def locked_reason(report: MonthlyReport | None) -> str:
    """Why a month cannot be edited by its reporter, in words the page shows; empty if it can."""
    if report is None or report.is_open_for_editing:
        return ""
    if report.status == ReviewStatus.ACCEPTED:
        return _("Accepted on %(date)s; the month is locked.") % {"date": date_be(report.reviewed_at)}
    return _("Submitted, awaiting review.")


# --- the plan ------------------------------------------------------------------------------------------


@transaction.atomic
def budget_plan_init(*, tambon: Tambon, user: User | None = None) -> list[BudgetLine]:
    """Create the tambon's category lines with the programme's defaults (hiring: rate × quota every month;
    management: its budget in the last month; activity categories: 0, for the university to split)."""
    if user is not None:
        _check_edit(user, tambon)
    return budget_plan_init_many(tambons=[tambon])


def budget_plan_init_many(*, tambons: list[Tambon]) -> list[BudgetLine]:
    """Bulk form of budget_plan_init for many tambons of one programme (demo data, imports)."""
    if not tambons:
        return []
    programme = tambons[0].programme
    months = programme.months()
    settings = ProgrammeSettings.for_programme(programme)
    leaves = list(
        BudgetCategory.objects.filter(programme=programme, parent__isnull=False).select_related("hiring_type")
    )
    have = set(
        BudgetLine.objects.filter(tambon__in=tambons, activity__isnull=True).values_list("tambon_id", "category_id")
    )
    new_lines, plans = [], []
    for tambon in tambons:
        for category in leaves:
            if (tambon.pk, category.pk) in have:
                continue
            monthly: dict[Month, Decimal] = {}
            if category.kind == CategoryKind.HIRING and category.hiring_type:
                monthly = {m: category.hiring_type.monthly_budget for m in months}
            elif category.kind == CategoryKind.MANAGEMENT:
                monthly = {months[-1]: settings.management_budget}
            line = BudgetLine(tambon=tambon, category=category, total=sum(monthly.values(), ZERO))
            new_lines.append(line)
            plans.append((line, monthly))
    BudgetLine.objects.bulk_create(new_lines, batch_size=2000)
    MonthlyAmount.objects.bulk_create(
        [MonthlyAmount(line=line, year=y, month=m, plan=amount) for line, monthly in plans for (y, m), amount in monthly.items()],
        batch_size=5000,
    )  # fmt: skip
    return new_lines


@transaction.atomic
def line_plan_save(
    *,
    line: BudgetLine,
    user: User,
    plans: dict[Month, Decimal | None],
    total: Decimal | None = None,
    explanation: str | None = None,
    seen_version: int | None = None,
) -> BudgetLine:
    """Save a line's monthly plan (and, for a category line, its total and explanation).

    Only the months whose plan changes are checked against the locks (reporting/locks.py): a submitted or accepted
    month keeps its plan, every other month can be planned. `seen_version` is the line's version the page was
    rendered with; a stale page is told to reload and nothing is written."""
    tambon = line.tambon
    _check_edit(user, tambon)
    line = BudgetLine.objects.select_for_update(of=("self",)).select_related("category", "activity").get(pk=line.pk)
    review.version_check(
        line,
        seen_version,
        _("Someone else changed this line's plan while you were working on it. Reload the page and try again."),
    )
    label = line.label
    months = tambon.programme.months()
    errors = []
    for (year, month), amount in plans.items():
        if (year, month) not in months:
            errors.append(_("%(line)s: %(month)s is outside the project year.")
                          % {"line": label, "month": _month_text(year, month)})  # fmt: skip
        elif amount is not None and amount < 0:
            errors.append(_("%(line)s, %(month)s: a plan cannot be negative.")
                          % {"line": label, "month": month_label(year, month)})  # fmt: skip
    if total is not None and line.activity_id:
        total = None  # an activity's total is its budget, edited on the activity
    if total is not None and total < 0:
        errors.append(_("%(line)s: the total cannot be negative.") % {"line": label})
    if errors:
        raise ValidationError(errors)

    existing = {(a.year, a.month): a for a in line.amounts.all()}
    changed = {
        ym: amount or ZERO
        for ym, amount in sorted(plans.items())
        if (existing[ym].plan if ym in existing else ZERO) != (amount or ZERO)
    }
    locks.require_open(tambon_id=tambon.pk, months=changed,
                       what=_("%(line)s: the plan was not changed") % {"line": label})  # fmt: skip
    edits = []
    for (year, month), amount in changed.items():
        current = existing.get((year, month))
        edits.append(FigureEdit(label, "plan", current.plan if current else ZERO, amount, (year, month)))
        if current:
            current.plan = amount
            current.save(update_fields=["plan"])
        else:
            MonthlyAmount.objects.create(line=line, year=year, month=month, plan=amount)

    if total is not None and total != line.total:
        _check_category_total(line, total)
        edits.append(FigureEdit(label, "total", line.total, total))
        line.total = total
    if explanation is not None and explanation.strip() != line.explanation:
        edits.append(FigureEdit(label, "explanation", line.explanation, explanation.strip()))
        line.explanation = explanation.strip()
    line.version += 1
    line.save(update_fields=["total", "explanation", "version"])
    figures_record(tambon_id=tambon.pk, user=user, edits=edits)
    dashboard_refresh_on_commit(tambon_ids=[tambon.pk])
    return line


def _check_category_total(line: BudgetLine, total: Decimal) -> None:
    category = line.category
    if category.kind != CategoryKind.ACTIVITY:
        return
    activities = sum(
        Activity.objects.filter(tambon=line.tambon, category=category).values_list("budget", flat=True), ZERO
    )
    if total < activities:
        raise ValidationError(
            _("%(line)s: its activities already hold %(activities)s; the total cannot be less (short by %(gap)s).")
            % {"line": line.label, "activities": _baht(activities), "gap": _baht(activities - total)}
        )
    others = sum(
        BudgetLine.objects.filter(tambon=line.tambon, category__kind=CategoryKind.ACTIVITY, activity__isnull=True)
        .exclude(pk=line.pk)
        .values_list("total", flat=True),
        ZERO,
    )
    budget = ProgrammeSettings.for_programme(line.tambon.programme_id).activity_budget_of(line.tambon)
    if others + total > budget:
        raise ValidationError(
            _("%(line)s: categories 2.1–2.5 would total %(sum)s, above the activity budget of %(budget)s by %(over)s.")
            % {"line": line.label, "sum": _baht(others + total), "budget": _baht(budget),
               "over": _baht(others + total - budget)}
        )  # fmt: skip


# --- activities ----------------------------------------------------------------------------------------


@transaction.atomic
def activity_save(
    *,
    tambon: Tambon,
    user: User,
    category: BudgetCategory,
    name: str,
    budget: Decimal,
    start_date: dt.date,
    end_date: dt.date | None = None,
    expense_type: ExpenseType | None = None,
    target_group: str = "",
    target_quantity: int | None = None,
    target_unit: str = "",
    activity: Activity | None = None,
    seen_version: int | None = None,
) -> Activity:
    """Create or update an activity under an activity category 2.1–2.5, and its budget line.

    Completion is not set here: `reporting.deadlines.services.activity_complete` marks it and opens the 7-day
    completion report."""
    _check_edit(user, tambon)
    if activity is not None:
        activity = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
        review.version_check(
            activity,
            seen_version,
            _("Someone else changed this activity while you were working on it. Reload the page and try again."),
        )
    programme = tambon.programme
    errors = []
    if category.programme_id != programme.pk or category.kind != CategoryKind.ACTIVITY or category.is_group:
        errors.append(_("Choose one of the activity categories 2.1–2.5."))
    if expense_type is not None and not expense_type.funded:
        rule = ProgrammeSettings.for_programme(programme).not_funded_rule
        errors.append(_("“%(expense)s” is not funded by the activity budget. The programme's rule: %(rule)s")
                      % {"expense": expense_type.name, "rule": rule})  # fmt: skip
    if not (name or "").strip():
        errors.append(_("Give the activity a name."))
    if budget is None or budget < 0:
        errors.append(_("The activity budget cannot be negative."))
    for label, day in ((_("start date"), start_date), (_("end date"), end_date)):
        if day and not (programme.start_date <= day <= programme.end_date):
            errors.append(
                _("The %(field)s %(date)s is outside the project year.") % {"field": label, "date": date_be(day)}
            )
    if end_date and start_date and end_date < start_date:
        errors.append(_("The end date is before the start date."))
    if errors:
        raise ValidationError(errors)

    category_line = BudgetLine.objects.filter(tambon=tambon, category=category, activity__isnull=True).first()
    others = Activity.objects.filter(tambon=tambon, category=category)
    if activity is not None:
        others = others.exclude(pk=activity.pk)
    held = sum(others.values_list("budget", flat=True), ZERO) + budget
    allocated = category_line.total if category_line else ZERO
    if held > allocated:
        raise ValidationError(
            _("Activities under %(code)s would total %(held)s, above the category's budget of %(allocated)s by "
              "%(over)s. Raise the category's total first.")
            % {"code": category.code, "held": _baht(held), "allocated": _baht(allocated), "over": _baht(held - allocated)}
        )  # fmt: skip

    before = {} if activity is None else {f: getattr(activity, f) for f in ACTIVITY_HISTORY}
    if activity is not None and (budget != activity.budget or category != activity.category):
        spent = locks.frozen(tambon.pk, _months_with_actuals(activity))
        if spent:
            raise ValidationError(
                [_("%(name)s: the budget and category stay as they are, because the activity has spending in a "
                   "locked month. %(reason)s") % {"name": activity.name, "reason": reason} for reason in spent.values()]
            )  # fmt: skip
    activity = activity or Activity(tambon=tambon)
    for attr, value in {
        "category": category, "name": name.strip(), "budget": budget, "start_date": start_date, "end_date": end_date,
        "expense_type": expense_type, "target_group": target_group.strip(), "target_quantity": target_quantity,
        "target_unit": target_unit.strip(),
    }.items():  # fmt: skip
        setattr(activity, attr, value)
    activity.version += 1
    activity.save()
    BudgetLine.objects.update_or_create(
        activity=activity, defaults={"tambon": tambon, "category": category, "total": budget}
    )
    if before:
        edits = [FigureEdit(activity.name, f, before[f], getattr(activity, f)) for f in ACTIVITY_HISTORY]
    else:
        edits = [FigureEdit(activity.name, "activity", "", f"{category.code} · {_baht(budget)}")]
    figures_record(tambon_id=tambon.pk, user=user, edits=edits)
    dashboard_refresh_on_commit(tambon_ids=[activity.tambon_id])
    return activity


ACTIVITY_HISTORY = ["name", "category", "budget", "start_date", "end_date"]


def _months_with_actuals(activity: Activity) -> list[Month]:
    return list(
        MonthlyAmount.objects.filter(line__activity=activity, actual__isnull=False)
        .exclude(actual=0)
        .values_list("year", "month")
    )


# --- monthly reports -----------------------------------------------------------------------------------


def _report_for_update(tambon: Tambon, year: int, month: int) -> MonthlyReport:
    report, _created = MonthlyReport.objects.get_or_create(tambon=tambon, year=year, month=month)
    report.tambon = tambon  # the caller's, with its programme: the checks below do not read it again
    return report


@transaction.atomic
def monthly_report_save(
    *,
    tambon: Tambon,
    year: int,
    month: int,
    user: User,
    seen_version: int | None,
    actuals: dict[int, Decimal | None],
    narrative: str = "",
    over_budget_explanation: str = "",
    files: list[UploadedFile] | tuple = (),
    submit: bool = False,
    at: dt.datetime | None = None,
    splits: dict[int, dict[int, Decimal | None]] | None = None,
) -> MonthlyReport:
    """Save a month's actuals (by line id), narrative, over-budget explanation and new evidence files, and with
    `submit` submit it, in one step: a refused submit writes nothing, so the person's form still holds what they
    typed and the version it was rendered with, and pressing submit again once the cause is fixed works.

    Refuses, naming the line: negative actuals, lines of another tambon, a cumulative actual above a line's total
    (as the budget table would show it) without an over-budget explanation. A stale page (seen_version) or a
    concurrent save is told to reload."""
    _check_edit(user, tambon)
    _check_month(tambon, year, month)
    report = _report_for_update(tambon, year, month)
    if reason := locked_reason(report):
        raise ValidationError(reason, code="month_locked")
    review.version_check(report, seen_version)

    lines = {line.pk: line for line in BudgetLine.objects.filter(tambon=tambon).select_related("category", "activity")}
    errors = []
    for line_id, amount in actuals.items():
        line = lines.get(line_id)
        if line is None:
            errors.append(_("Line %(id)s is not one of this tambon's budget lines.") % {"id": line_id})
        elif line.category.kind == CategoryKind.HIRING and line.category.hiring_type_id and amount is not None:
            errors.append(_("%(line)s: hiring actuals are the wages of the work accepted on the tambon's team page; "
                            "they cannot be typed in.") % {"line": line.label})  # fmt: skip
        elif amount is not None and amount < 0:
            errors.append(_("%(line)s: the actual cannot be negative (%(amount)s).")
                          % {"line": line.label, "amount": _baht(amount)})  # fmt: skip
    settings = ProgrammeSettings.for_programme(tambon.programme_id)
    split_rows, filed_splits = _expense_splits_check(tambon=tambon, lines=lines, year=year, month=month,
                                                     actuals=actuals, splits=splits, rule=settings.not_funded_rule,
                                                     errors=errors)  # fmt: skip
    contents = []
    for upload in files:
        try:
            contents.append((upload, evidence_check(upload, max_mb=settings.evidence_max_mb)))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)

    table = _month_table(tambon=tambon, year=year, month=month, actuals=actuals)  # read once: over budget, plan gaps
    over = _over_budget(table)
    explanation = (over_budget_explanation or "").strip()
    if over and not explanation:
        raise ValidationError(
            [ValidationError(
                _("%(line)s: the cumulative actual %(actual)s is above the line's total %(total)s by %(over)s. Correct "
                  "it, or write an over-budget explanation for the reviewer.")
                % {"line": f"{row.code} {row.name}".strip(), "actual": _baht(row.cumulative_actual),
                   "total": _baht(row.total), "over": _baht(row.cumulative_actual - row.total)}, code="over_budget")
             for row in over]
        )  # fmt: skip

    changes = []
    for field, new in (("narrative", (narrative or "").strip()), ("over_budget_explanation", explanation)):
        if getattr(report, field) != new:
            changes.append(review.Change(field, getattr(report, field), new))
            setattr(report, field, new)
    report.is_over_budget = bool(over)
    review.save_versioned(report, ["narrative", "over_budget_explanation", "is_over_budget"])

    amounts = {a.line_id: a for a in MonthlyAmount.objects.filter(line__tambon=tambon, year=year, month=month)}
    edits, changed, added = [], [], []
    for line_id, amount in actuals.items():
        current = amounts.get(line_id)
        old = current.actual if current else None
        if old == amount:
            continue
        if current:
            current.actual = amount
            changed.append(current)
        else:
            added.append(MonthlyAmount(line_id=line_id, year=year, month=month, actual=amount))
        edits.append(FigureEdit(lines[line_id].label, "actual", old, amount, (year, month)))
    MonthlyAmount.objects.bulk_update(changed, ["actual"])  # one statement each, whatever the number of lines
    MonthlyAmount.objects.bulk_create(added)
    edits += _expense_splits_write(tambon=tambon, lines=lines, year=year, month=month, wanted=split_rows,
                                   filed=filed_splits)  # fmt: skip
    for upload, content_type in contents:
        Evidence.objects.create(report=report, file=upload, name=upload.name[:200], content_type=content_type,
                                size=upload.size, uploaded_by=user)  # fmt: skip
        changes.append(review.Change("evidence", "", upload.name))
    review.review_record_changes(obj=report, user=user, changes=changes)
    figures_record(tambon_id=tambon.pk, user=user, edits=edits)
    dashboard_refresh_on_commit(tambon_ids=[tambon.pk])
    if submit:
        _submit(report=report, user=user, at=at, table=table, due_day=settings.due_day)
    return report


def _expense_splits_check(*, tambon: Tambon, lines: dict[int, BudgetLine], year: int, month: int,
                          actuals: dict[int, Decimal | None], splits: dict[int, dict[int, Decimal | None]] | None,
                          rule: str, errors: list[str]
                          ) -> tuple[dict[int, dict[int, Decimal]], dict[int, dict[int, Decimal]]]:  # fmt: skip
    """Check the month's spending by expense type (issue #15 item 9) and return the splits to write (line → {type:
    amount}; an empty one removes the line's split). A split is for activity lines, holds only the programme's
    funded expense types, and sums to the line's actual; a line whose actual changes keeps its filed split only if
    that still sums to it. Problems are added to `errors`, naming the line. Also returns the splits as filed."""
    splits = splits or {}
    filed: dict[int, dict[int, Decimal]] = {}
    for line_id, type_id, amount in ExpenseSplit.objects.filter(
        amount_row__line__tambon=tambon, amount_row__year=year, amount_row__month=month
    ).values_list("amount_row__line_id", "expense_type_id", "amount"):
        filed.setdefault(line_id, {})[type_id] = amount
    unsent = [line_id for line_id in splits if line_id not in actuals]  # split without its actual: the stored one
    stored = dict(MonthlyAmount.objects.filter(line__tambon=tambon, year=year, month=month,
                                               line_id__in=unsent).values_list("line_id", "actual")) if unsent else {}  # fmt: skip
    types = {t.pk: t for t in ExpenseType.objects.filter(programme_id=tambon.programme_id)}
    wanted: dict[int, dict[int, Decimal]] = {}
    for line_id, parts in splits.items():
        line = lines.get(line_id)
        if line is None:
            errors.append(_("Line %(id)s is not one of this tambon's budget lines.") % {"id": line_id})
            continue
        kept: dict[int, Decimal] = {}
        for type_id, amount in parts.items():
            kind = types.get(type_id)
            if kind is None:
                errors.append(_("%(line)s: expense type %(id)s is not one of the programme's.")
                              % {"line": line.label, "id": type_id})  # fmt: skip
            elif amount is not None and amount < 0:
                errors.append(_("%(line)s: the amount for %(expense)s cannot be negative.")
                              % {"line": line.label, "expense": kind.name})  # fmt: skip
            elif amount and not kind.funded:
                errors.append(_("%(line)s: “%(expense)s” is not funded by the activity budget. The programme's rule: "
                                "%(rule)s") % {"line": line.label, "expense": kind.name, "rule": rule})  # fmt: skip
            elif amount:
                kept[type_id] = amount
        if kept and line.category.kind != CategoryKind.ACTIVITY:
            errors.append(_("%(line)s: only activity lines are split by expense type.") % {"line": line.label})
            continue
        actual = actuals[line_id] if line_id in actuals else stored.get(line_id)
        if kept and sum(kept.values()) != (actual or 0):
            errors.append(_("%(line)s: the amounts by expense type add up to %(split)s but the actual is %(actual)s; "
                            "make them agree.") % {"line": line.label, "split": _baht(sum(kept.values())),
                                                   "actual": _baht(actual or 0)})  # fmt: skip
        if kept != filed.get(line_id, {}):
            wanted[line_id] = kept
    for line_id, amount in actuals.items():
        parts = filed.get(line_id)
        if line_id not in splits and parts and sum(parts.values()) != (amount or 0) and line_id in lines:
            errors.append(_("%(line)s: the actual changes to %(actual)s but its amounts by expense type add up to "
                            "%(split)s; change them too.") % {"line": lines[line_id].label, "actual": _baht(amount or 0),
                                                               "split": _baht(sum(parts.values()))})  # fmt: skip
    return wanted, filed


def _expense_splits_write(*, tambon: Tambon, lines: dict[int, BudgetLine], year: int, month: int,
                          wanted: dict[int, dict[int, Decimal]], filed: dict[int, dict[int, Decimal]]
                          ) -> list[FigureEdit]:  # fmt: skip
    """Replace the checked lines' splits (after the actuals are written; `filed`: the splits as the check read them
    in this transaction); return the history's edits."""
    if not wanted:
        return []
    rows = {a.line_id: a for a in MonthlyAmount.objects.filter(line_id__in=list(wanted), year=year, month=month)}
    old = {(line_id, type_id): amount for line_id in rows for type_id, amount in filed.get(line_id, {}).items()}
    names = dict(ExpenseType.objects.filter(programme_id=tambon.programme_id).values_list("pk", "name_th"))
    ExpenseSplit.objects.filter(amount_row__in=list(rows.values())).delete()
    ExpenseSplit.objects.bulk_create(
        ExpenseSplit(amount_row=rows[line_id], expense_type_id=type_id, amount=amount)
        for line_id, parts in wanted.items() if line_id in rows for type_id, amount in parts.items()
    )  # fmt: skip
    keys = set(old) | {(line_id, t) for line_id, parts in wanted.items() for t in parts}
    return [FigureEdit(f"{lines[line_id].label} · {names.get(t, t)}", "actual", old.get((line_id, t)),
                       wanted.get(line_id, {}).get(t), (year, month))
            for line_id, t in sorted(keys)]  # fmt: skip


def over_budget_rows(*, tambon: Tambon, year: int, month: int, actuals: dict[int, Decimal | None]) -> list[Row]:
    """The lines (and categories with their activities) that the budget table would show above their total once
    these actuals of the month are saved: the table itself, read with the new figures, so the two never disagree."""
    return _over_budget(_month_table(tambon=tambon, year=year, month=month, actuals=actuals))


def _month_table(*, tambon: Tambon, year: int, month: int, actuals: dict[int, Decimal | None]) -> BudgetTable:
    """The budget table as it will be once these actuals of the month are saved."""
    return budget_tables(
        tambons=[tambon], programme=tambon.programme, reported_at_least=(year, month),
        overrides={(line_id, (year, month)): amount for line_id, amount in actuals.items()},
    )[tambon.pk]  # fmt: skip


def _over_budget(table: BudgetTable) -> list[Row]:
    return [row for row in table.rows if row.level >= 2 and row.is_over_budget]


def _plan_gaps_message(tambon: Tambon, table: BudgetTable | None = None) -> list[str]:
    """`table`: the tambon's table read in this transaction (a month's actuals change no plan or total)."""
    table = table or budget_table(tambon=tambon)
    return [
        _("%(line)s: the planned months add up to %(planned)s, %(gap)s %(direction)s its total %(total)s.")
        % {"line": f"{row.code} {row.name}".strip(), "planned": _baht(row.planned_total), "gap": _baht(abs(row.plan_gap)),
           "direction": _("short of") if row.plan_gap > 0 else _("beyond"), "total": _baht(row.total)}
        for row in table.plan_gaps
    ]  # fmt: skip


@transaction.atomic
def monthly_report_submit(
    *, report: MonthlyReport, user: User, seen_version: int | None = None, at: dt.datetime | None = None
) -> MonthlyReport:
    """Submit the month for review. Late if first submitted after the end (Bangkok) of the programme's due day."""
    review.version_check(report, seen_version)
    return _submit(report=report, user=user, at=at)


def _submit(*, report: MonthlyReport, user: User, at: dt.datetime | None, table: BudgetTable | None = None,
            due_day: int | None = None) -> MonthlyReport:  # fmt: skip
    """`monthly_report_submit` once the version is checked; a save that submits passes the table and due day it
    has already read in its transaction."""
    if review.can_file(user, report) and report.is_open_for_editing:
        errors = []
        if not report.narrative.strip():
            errors.append(
                ValidationError(_("Write this month's progress before submitting."), code="narrative_required")
            )
        errors += [ValidationError(text, code="plan_gap") for text in _plan_gaps_message(report.tambon, table)]
        if errors:
            raise ValidationError(errors)
    review.review_submit(obj=report, user=user, at=at)
    if due_day is None:
        due_day = ProgrammeSettings.for_programme(report.tambon.programme_id).due_day
    report.is_late = report.first_submitted_at > report.deadline(due_day)
    MonthlyReport.objects.filter(pk=report.pk).update(is_late=report.is_late)
    return report


@transaction.atomic
def monthly_report_accept(*, report: MonthlyReport, user: User, seen_version: int | None = None) -> MonthlyReport:
    review.version_check(report, seen_version)
    return review.review_accept(obj=report, user=user)


@transaction.atomic
def monthly_report_return(
    *, report: MonthlyReport, user: User, reason: str, seen_version: int | None = None
) -> MonthlyReport:
    review.version_check(report, seen_version)
    return review.review_return(obj=report, user=user, reason=reason)


@transaction.atomic
def monthly_report_reopen(*, report: MonthlyReport, user: User, reason: str) -> MonthlyReport:
    """The NSI's lock exception for one tambon's accepted month."""
    return review.review_reopen(obj=report, user=user, reason=reason)


def month_deadline(tambon: Tambon, year: int, month: int) -> dt.datetime:
    """The end (Bangkok) of the due day of the month's report, from the programme's settings."""
    due_day = ProgrammeSettings.for_programme(tambon.programme_id).due_day
    return end_of_day(month_due_date(year, month, due_day))


# --- attached files (monthly evidence, completion-report photos) -----------------------------------------


@transaction.atomic
def attached_file_delete(*, attached: AttachedFile, user: User) -> None:
    """Remove a wrongly attached file from its report while the report is still open for editing.

    The row goes now; the stored file goes once the transaction commits, so a rollback keeps both. The report's
    version moves on, so a page or a submission based on the old list of files is told to reload."""
    report = type(attached.report).objects.select_for_update().get(pk=attached.report_id)  # one change at a time
    if not review.can_file(user, report):
        raise PermissionDenied(_("Only the tambon's university staff can remove files from its reports."))
    if not report.is_open_for_editing:
        raise ValidationError(
            _("%(name)s was not removed: the report can no longer be changed (%(status)s).")
            % {"name": attached.name, "status": report.get_status_display()}
        )
    deleted, _per_model = type(attached).objects.filter(pk=attached.pk, report=report).delete()
    if not deleted:
        raise ValidationError(_("%(name)s was already removed.") % {"name": attached.name})
    review.save_versioned(report, [])
    field = attached._meta.get_field("report").remote_field.related_name  # "evidence", "files": as on upload
    review.review_record_changes(obj=report, user=user, changes=[review.Change(field, attached.name, "")])
    storage, name = attached.file.storage, attached.file.name
    transaction.on_commit(lambda: storage.delete(name), robust=True)  # a storage failure leaves an orphan, logged
