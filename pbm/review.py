"""The one review flow every report uses: draft → submitted → returned → submitted → accepted.

Monthly reports, 6/12-month reports and quarterly assessments are `Reviewable` models. Each says whose it is
(`review_scope`): a tambon, a university or a network. That decides, through tambon/access.py, who may file it
(the tambon's or university's staff; a network's RSI) and who reviews it (the RSI of the area, the NSI; the
NSI for a network's own report). Every transition and every change after the first submission is written to
`ReviewEvent`, so a report's page can show its history. In a programme of the unit tree a report may also
belong to a unit (a district's half-year report): its filing role over the unit files it, a reviewing role above
reviews it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pbm import notifications
from pbm.models import Reviewable, ReviewAction, ReviewEvent, ReviewStatus
from tambon import access
from tambon.models import Tambon, Unit, University, User

__all__ = [
    "Reviewable", "ReviewAction", "ReviewEvent", "ReviewStatus", "Change", "can_file", "can_reopen", "can_review",
    "review_submit", "review_accept", "review_return", "review_reopen", "review_record_changes",
    "review_history", "version_check", "save_versioned",
]  # fmt: skip


# --- who may do what ----------------------------------------------------------------------------------


def can_file(user: User, obj: Reviewable) -> bool:
    scope = obj.review_scope()
    if isinstance(scope, Tambon):
        return access.can_edit_tambon(user, scope)
    if isinstance(scope, University):
        return scope.pk in access.scope_of(user).university_ids or access.administers_university(user, scope.pk)
    if isinstance(scope, Unit):
        return access.can_file_for_unit(user, scope)
    return scope.pk in access.scope_of(user).network_ids or access.administers_network(user, scope.pk)


def can_reopen(user: User, obj: Reviewable) -> bool:
    """The lock exception is the national roles' of the report's own programme (not another programme's)."""
    programme_id = getattr(obj, "programme_id", None) or getattr(obj.review_scope(), "programme_id", None)
    return access.national_in(user, programme_id) if programme_id is not None else access.is_national(user)


def can_review(user: User, obj: Reviewable) -> bool:
    """The reviewer of the report's unit, with no conflict of interest: the rule lives in tambon/access.py."""
    return access.can_review(user, obj)


# --- transitions ------------------------------------------------------------------------------------------


def _event(obj: Reviewable, user: User, action: str, reason: str = "", changes: list | None = None) -> ReviewEvent:
    return ReviewEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, action=action, actor=user,
        reason=reason, changes=changes or [],
    )  # fmt: skip


def _save(obj: Reviewable, fields: list[str]) -> None:
    """Save `fields` only if nobody saved the object since it was read; otherwise tell the user to reload."""
    expected = obj.version
    obj.version = expected + 1
    updated = (
        type(obj)
        .objects.filter(pk=obj.pk, version=expected)
        .update(**{f: getattr(obj, f) for f in fields}, version=obj.version)
    )
    if not updated:
        obj.version = expected
        raise ValidationError(
            _("Someone else changed this report while you were working on it. Reload the page and try again."),
            code="stale_version",
        )


def save_versioned(obj: Reviewable, fields: list[str]) -> None:
    """Public form of the optimistic save, for apps that change a report's own fields (narrative, figures)."""
    _save(obj, fields)


def version_check(obj, seen_version: int | None, stale: str | None = None) -> None:
    """Refuse a save based on a stale page (the form carries the version it was rendered with). Any object with a
    `version` (a report, a budget line, an activity); `stale` says what changed, in words the page shows."""
    if seen_version is not None and int(seen_version) != obj.version:
        raise ValidationError(
            stale or _("Someone else changed this report while you were working on it. Reload the page and try again."),
            code="stale_version",
        )


def edit_check(obj: Reviewable, user: User, seen_version: int | None = None, *, refused: str | None = None,
               closed: str | None = None) -> None:  # fmt: skip
    """What every report's save checks first: the person files this report, it is still open (a draft or returned),
    and the page was not based on an older version. `refused` / `closed` word the first two for the page."""
    if not can_file(user, obj):
        raise PermissionDenied(refused or _("You may not write this report."))
    if not obj.is_open_for_editing:
        raise ValidationError((closed or _("This report is %(status)s and can no longer be changed."))
                              % {"status": obj.get_status_display()})  # fmt: skip
    version_check(obj, seen_version)


@transaction.atomic
def review_submit(*, obj: Reviewable, user: User, at: dt.datetime | None = None) -> Reviewable:
    if not can_file(user, obj):
        raise PermissionDenied(_("You may not submit this report."))
    if not obj.is_open_for_editing:
        raise ValidationError(_("Only a draft or a returned report can be submitted; this one is %(status)s.")
                              % {"status": obj.get_status_display()}, code="wrong_status")  # fmt: skip
    now = at or timezone.now()
    obj.status, obj.submitted_at, obj.submitted_by = ReviewStatus.SUBMITTED, now, user
    obj.first_submitted_at = obj.first_submitted_at or now
    _save(obj, ["status", "submitted_at", "submitted_by", "first_submitted_at"])
    notifications.review_event_queue(_event(obj, user, ReviewAction.SUBMITTED))
    return obj


def _check_reviewer(obj: Reviewable, user: User) -> None:
    if not access.reviews_unit(user, obj.review_scope()):
        raise PermissionDenied(_("You may not review this report."))
    if obj.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reviewed; this one is %(status)s.")
                              % {"status": obj.get_status_display()}, code="wrong_status")  # fmt: skip
    if conflict := access.review_conflict(user, obj):
        raise ValidationError(conflict, code="conflict_of_interest")


@transaction.atomic
def review_accept(*, obj: Reviewable, user: User) -> Reviewable:
    _check_reviewer(obj, user)
    obj.status, obj.reviewed_at, obj.reviewed_by, obj.return_reason = ReviewStatus.ACCEPTED, timezone.now(), user, ""
    _save(obj, ["status", "reviewed_at", "reviewed_by", "return_reason"])
    notifications.review_event_queue(_event(obj, user, ReviewAction.ACCEPTED))
    return obj


@transaction.atomic
def review_return(*, obj: Reviewable, user: User, reason: str) -> Reviewable:
    _check_reviewer(obj, user)
    if not (reason or "").strip():
        raise ValidationError(
            _("Say why the report is returned, so the reporter knows what to fix."), code="reason_required"
        )
    obj.status, obj.reviewed_at, obj.reviewed_by = ReviewStatus.RETURNED, timezone.now(), user
    obj.return_reason = reason.strip()
    _save(obj, ["status", "reviewed_at", "reviewed_by", "return_reason"])
    notifications.review_event_queue(_event(obj, user, ReviewAction.RETURNED, reason=obj.return_reason))
    return obj


@transaction.atomic
def review_reopen(*, obj: Reviewable, user: User, reason: str) -> Reviewable:
    """The NSI's lock exception: an accepted report goes back to the reporter, with a written reason."""
    if not can_reopen(user, obj):
        raise PermissionDenied(_("Only the NSI can reopen an accepted report."))
    if obj.status != ReviewStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted report can be reopened."))
    if not (reason or "").strip():
        raise ValidationError(_("Write why the accepted report is reopened."))
    obj.status, obj.return_reason = ReviewStatus.RETURNED, reason.strip()
    _save(obj, ["status", "return_reason"])
    notifications.review_event_queue(_event(obj, user, ReviewAction.REOPENED, reason=obj.return_reason))
    return obj


@dataclass
class Change:
    field: str  # a key of pbm.history.FIELD_LABELS, shown in the reader's language
    old: Any
    new: Any
    subject: str = ""  # what the field belongs to, when not the report itself (a line, a goal)


def review_record_changes(*, obj: Reviewable, user: User, changes: list[Change]) -> None:
    """Keep the report's field changes in its history, from its first save."""
    if changes:
        _event(
            obj, user, ReviewAction.CHANGED,
            changes=[{"field": c.field, "subject": c.subject, "old": str(c.old), "new": str(c.new)} for c in changes],
        )  # fmt: skip


def review_history(obj: Reviewable) -> models.QuerySet[ReviewEvent]:
    return ReviewEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")
