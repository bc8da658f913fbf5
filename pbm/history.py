"""The history a report's page shows: its review steps and every change from the first save, with each person's
full name and role, and field names in the reader's language.

Two records feed it: `ReviewEvent` (a report's own steps and field changes, pbm/review.py) and `FigureChange`
(a tambon's figures: plans, actuals, totals, activities, wages, household imports). Writers call `figures_record`;
pages call `history`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tambon.models import Membership, User

from .formats import baht, date_be
from .models import FigureChange, Reviewable, ReviewAction, ReviewEvent

Month = tuple[int, int]

FIELD_LABELS = {
    "plan": gettext_lazy("plan"),
    "actual": gettext_lazy("actual"),
    "total": gettext_lazy("total budget"),
    "explanation": gettext_lazy("explanation"),
    "budget": gettext_lazy("budget"),
    "activity": gettext_lazy("activity"),
    "name": gettext_lazy("name"),
    "category": gettext_lazy("category"),
    "start_date": gettext_lazy("start date"),
    "end_date": gettext_lazy("end date"),
    "narrative": gettext_lazy("progress this month"),
    "over_budget_explanation": gettext_lazy("over-budget explanation"),
    "evidence": gettext_lazy("evidence file"),
    "files": gettext_lazy("photos and files"),
    "results": gettext_lazy("results"),
    "participants": gettext_lazy("participants"),
    "notes": gettext_lazy("notes"),
    "wages": gettext_lazy("wages due"),
    "work_accepted": gettext_lazy("work accepted"),
    "work_withdrawn": gettext_lazy("work acceptance withdrawn"),
    "left_on": gettext_lazy("last working day"),
    "replacement": gettext_lazy("replacement starts"),
    "passed_over": gettext_lazy("passed over on the reserve list"),
    "households": gettext_lazy("TPMAP households"),
    "goal": gettext_lazy("goal"),
    "indicator": gettext_lazy("indicator"),
    "model_tambon": gettext_lazy("model tambon"),
    "income_change": gettext_lazy("income change (%)"),
    "tambon_class": gettext_lazy("tambon class"),
}
NUMBERED = {"goal", "indicator"}  # shown as "goal 3", the others as "2.1 สัมมาชีพ · plan"


def field_label(key: str) -> str:
    label = FIELD_LABELS.get(key)
    return str(label) if label is not None else key


@dataclass
class FigureEdit:
    """One change to record: what (subject), which field, old → new, and the month it belongs to, if any."""

    subject: str
    field: str
    old: object
    new: object
    month: Month | None = None


def figures_record(*, tambon_id: int, user: User | None, edits: list[FigureEdit]) -> None:
    """Write these changes to the tambon's history (one insert); unchanged values are skipped."""
    figures_record_many(user=user, edits=[(tambon_id, e) for e in edits])


def figures_record_many(*, user: User | None, edits: list[tuple[int, FigureEdit]]) -> None:
    """`figures_record` for changes of several tambons at once (one insert whatever their number)."""
    rows = [
        FigureChange(tambon_id=tambon_id, year=e.month[0] if e.month else None, month=e.month[1] if e.month else None,
                     subject=str(e.subject)[:300], field=e.field, old=_text(e.old), new=_text(e.new), actor=user)
        for tambon_id, e in edits if _text(e.old) != _text(e.new)
    ]  # fmt: skip
    FigureChange.objects.bulk_create(rows, batch_size=2000)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return date_be(value)
    if isinstance(value, Decimal):
        return baht(value)
    return str(value)


@dataclass
class Entry:
    at: dt.datetime
    who: str
    action: str
    reason: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)


def actor_label(user: User | None) -> str:
    """Full name (or username), then each role with its unit: "สมชาย ใจดี · University reporter, จุฬาฯ"."""
    if user is None:
        return _("the system")
    name = user.get_full_name() or user.username
    roles = [
        ", ".join(str(x) for x in (m.get_role_display(), m.university or m.network) if x)
        for m in getattr(user, "history_memberships", None) or user.memberships.select_related("university", "network")
    ]
    return " · ".join([name, *roles])


def _actors(ids: set[int]) -> dict[int, User]:
    memberships = Prefetch(
        "memberships", Membership.objects.select_related("university", "network"), to_attr="history_memberships"
    )
    return {u.pk: u for u in User.objects.filter(pk__in=ids).prefetch_related(memberships)}


def history(*, obj: Reviewable | None = None, tambon_id: int | None = None, month: Month | None = None) -> list[Entry]:
    """The report's steps and changes, and (with tambon_id) the tambon's figure changes of `month` — or, without a
    month, those that belong to no single month — oldest first."""
    events = (
        list(ReviewEvent.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk))
        if obj is not None and obj.pk
        else []
    )
    figures = []
    if tambon_id is not None:
        where = Q(year=month[0], month=month[1]) if month else Q(year__isnull=True)
        figures = list(FigureChange.objects.filter(where, tambon_id=tambon_id))
    actors = _actors({e.actor_id for e in events} | {f.actor_id for f in figures if f.actor_id})
    entries = [
        Entry(e.at, actor_label(actors.get(e.actor_id)), str(ReviewAction(e.action).label), e.reason,
              [(_change_label(c), c.get("old", ""), c.get("new", "")) for c in e.changes])
        for e in events
    ]  # fmt: skip
    changed = str(ReviewAction.CHANGED.label)
    entries += [
        Entry(f.at, actor_label(actors.get(f.actor_id)), changed, "",
              [(f"{f.subject} · {field_label(f.field)}", f.old, f.new)])
        for f in figures
    ]  # fmt: skip
    return sorted(entries, key=lambda e: e.at)


def _change_label(change: dict) -> str:
    key, subject = change.get("field", ""), change.get("subject", "")
    if not subject:
        return field_label(key)
    return f"{field_label(key)} {subject}" if key in NUMBERED else f"{subject} · {field_label(key)}"
