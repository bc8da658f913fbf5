"""The discussion on a report: its filers and reviewers exchange comments on the report's page.

A comment is a `ReviewEvent` ("commented", the text as its reason), so it stays in the report's history next to
the steps it explains, and, like a step, tells the other side (pbm/notifications.py) once it commits."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pbm import notifications, review
from pbm.models import Reviewable, ReviewAction, ReviewEvent
from tambon.models import User

MAX_LENGTH = 4000


@transaction.atomic
def comment_add(*, obj: Reviewable, user: User, text: str) -> ReviewEvent:
    if not (review.can_file(user, obj) or review.can_review(user, obj)):
        raise PermissionDenied(_("Only the report's reporters and reviewers can comment on it."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the comment before sending it."))
    if len(text) > MAX_LENGTH:
        raise ValidationError(_("Write a comment of up to 4,000 characters."))
    event = ReviewEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, action=ReviewAction.COMMENTED,
        actor=user, reason=text,
    )  # fmt: skip
    notifications.review_event_queue(event)
    return event


def comments(obj: Reviewable):
    return ReviewEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, action=ReviewAction.COMMENTED
    ).select_related("actor")
