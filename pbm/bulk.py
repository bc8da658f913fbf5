"""Accepting many reports in one action: each goes through its own accept service and rules, in its own
transaction, so one refusal (a stale page, a report someone else just returned, the reviewer's own submission)
stops only that report; the result says which were accepted and why any were not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from pbm import review
from pbm.models import Reviewable
from tambon.models import User


@dataclass
class BulkResult:
    accepted: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (report, why)


def review_accept_each(
    *, user: User, items: list[tuple[Reviewable, int | None]], label: Callable[[Reviewable], str],
    accept: Callable[[Reviewable, User], object] | None = None,
) -> BulkResult:  # fmt: skip
    """Accept each (report, version the reviewer saw) with `accept` (pbm/review.py's unless given)."""
    accept = accept or (lambda obj, who: review.review_accept(obj=obj, user=who))
    result = BulkResult()
    for obj, seen_version in items:
        try:
            with transaction.atomic():
                review.version_check(obj, seen_version)
                accept(obj, user)
        except (ValidationError, PermissionDenied) as error:
            why = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            result.refused.append((label(obj), why))
        else:
            result.accepted.append(label(obj))
    return result
