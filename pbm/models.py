from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from tambon.models import Network, Tambon, University, User


class Heartbeat(models.Model):
    """Last time a Celery worker ran the health task; /health/ reports its age."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()
    worker = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("draft")
    SUBMITTED = "submitted", gettext_lazy("submitted, awaiting review")
    RETURNED = "returned", gettext_lazy("returned for correction")
    ACCEPTED = "accepted", gettext_lazy("accepted")


class Reviewable(models.Model):
    """Abstract: the status, who/when of each step, and a version for optimistic locking."""

    status = models.CharField(
        gettext_lazy("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True
    )
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(gettext_lazy("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(gettext_lazy("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    return_reason = models.TextField(gettext_lazy("reason for return"), blank=True)
    version = models.PositiveIntegerField(default=0, help_text="Bumped on every save; guards against lost updates.")

    # Where the report's unit is, by kind ("tambon", "university" or "network") → ORM path, so that
    # tambon/access.py can filter a queryset of any reviewable (`reviewable(user, qs)`). Agrees with review_scope.
    review_units: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True

    def review_scope(self) -> Tambon | University | Network:
        raise NotImplementedError

    @property
    def is_open_for_editing(self) -> bool:
        return self.status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED)


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", gettext_lazy("submitted")
    RETURNED = "returned", gettext_lazy("returned")
    ACCEPTED = "accepted", gettext_lazy("accepted")
    REOPENED = "reopened", gettext_lazy("reopened (lock exception)")
    CHANGED = "changed", gettext_lazy("changed")
    COMMENTED = "commented", gettext_lazy("commented")


class ReviewEvent(models.Model):
    """History of a reviewable object: transitions, and field changes after its first submission."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=20, choices=ReviewAction.choices)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=list, blank=True, help_text='[{"field": …, "old": …, "new": …}]')

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"


class FigureChange(models.Model):
    """History of a tambon's figures from their first save (pbm/history.py writes and reads it).

    A line's plan or actual in a month, a line's total, an activity, a roster event that changes a month's wages,
    a household import. `year`/`month` name the month the change belongs to; they are empty for what belongs to
    no single month (a total, an activity's budget, a household import). `field` is a key shown in the reader's
    language; `subject` names the line, activity or person as they were called then."""

    tambon = models.ForeignKey(Tambon, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    month = models.PositiveSmallIntegerField(null=True, blank=True)
    subject = models.CharField(max_length=300)
    field = models.CharField(max_length=40)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["tambon", "year", "month", "at"])]

    def __str__(self) -> str:
        return f"{self.tambon_id} {self.subject} {self.field}: {self.old} → {self.new}"


class NotificationKind(models.TextChoices):
    REVIEW = "review", gettext_lazy("Review steps (submitted, returned, accepted, reopened)")
    COMMENT = "comment", gettext_lazy("Comments on reports")
    REMINDER = "reminder", gettext_lazy("Reminders and late notices")


class Channel(models.TextChoices):
    EMAIL = "email", gettext_lazy("Email")
    LINE = "line", gettext_lazy("LINE")


class Notification(models.Model):
    """An in-app message to one user, linking to the thing it is about, kept in Thai and English so each reader
    sees it in their own language."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=20, choices=NotificationKind.choices, default=NotificationKind.REMINDER)
    subject = models.CharField(gettext_lazy("subject"), max_length=300)  # Thai
    body = models.TextField(gettext_lazy("message"), blank=True)  # Thai
    subject_en = models.CharField(max_length=300, blank=True)
    body_en = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def in_language(self, language: str | None) -> tuple[str, str]:
        """(subject, body) in `language` ("th" unless English was asked for and exists)."""
        if (language or "th").startswith("en") and self.subject_en:
            return self.subject_en, self.body_en
        return self.subject, self.body

    @property
    def title(self) -> str:
        return self.in_language(get_language())[0]

    @property
    def text(self) -> str:
        return self.in_language(get_language())[1]


class SentMessage(models.Model):
    """What was sent to whom: the key that makes every reminder exactly-once, whatever re-runs or crashes.

    `key` names the message (e.g. "monthly-due:2021-01:before-3"); `on_date` is the Bangkok day it is for.
    The unique constraint, not Python, is what stops a second send."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    on_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    notification = models.OneToOneField(Notification, on_delete=models.SET_NULL, null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key", "on_date"], name="sent_message_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.recipient} ({self.on_date})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("waiting")
    SENT = "sent", gettext_lazy("sent")
    FAILED = "failed", gettext_lazy("gave up")


class Delivery(models.Model):
    """One claimed message on one outside channel (email, LINE): at once, or in the person's daily digest.
    A failed attempt is retried with backoff by the scheduled job; after the last attempt it is FAILED (stuck)
    and shows in the admin list and on /health/."""

    sent = models.ForeignKey(SentMessage, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    digest = models.BooleanField(default=False, help_text="Goes out in the person's daily digest.")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["sent", "channel"], name="delivery_once_per_channel")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.sent} ({self.status}, {self.attempts} attempts)"


class DeliveryMode(models.TextChoices):
    IMMEDIATE = "immediate", gettext_lazy("at once")
    DIGEST = "digest", gettext_lazy("daily digest")
    OFF = "off", gettext_lazy("off")


class NotificationPreference(models.Model):
    """How one person wants one kind of message on one channel; no row means at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    mode = models.CharField(max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.IMMEDIATE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "channel"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.channel}: {self.mode}"


class NotificationProfile(models.Model):
    """A person's language for messages sent outside the app, their digest time, and their linked LINE user."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="notification_profile")
    language = models.CharField(
        gettext_lazy("language of messages"), max_length=5, choices=[("th", "ไทย"), ("en", "English")], default="th"
    )
    digest_time = models.TimeField(gettext_lazy("daily digest at (Bangkok time)"), default=dt.time(8, 0))
    last_digest_at = models.DateTimeField(null=True, blank=True)
    line_user_id = models.CharField(max_length=64, blank=True, db_index=True)
    line_linked_at = models.DateTimeField(null=True, blank=True)
    line_code = models.CharField(max_length=12, blank=True, db_index=True)
    line_code_expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.language}, digest {self.digest_time:%H:%M}"


class PendingTask(models.Model):
    """Follow-up work a write could not queue because the broker was down (pbm/followups.py); the catch-up job
    queues it when the broker answers again. One row per task and arguments: a second miss of the same work
    updates the row instead of adding one."""

    key = models.CharField(max_length=64, unique=True, help_text="Hash of the task name and its arguments.")
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    first_missed_at = models.DateTimeField(default=timezone.now)
    missed_at = models.DateTimeField(default=timezone.now, help_text="Last time this work could not be queued.")
    attempts = models.PositiveIntegerField(default=1)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["first_missed_at", "id"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)} missed at {self.missed_at:%Y-%m-%d %H:%M:%S}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", gettext_lazy("Waiting for a worker")
    RUNNING = "running", gettext_lazy("Being built")
    DONE = "done", gettext_lazy("Ready")
    FAILED = "failed", gettext_lazy("Failed")


class ExportJob(models.Model):
    """A file built in the background for the person who asked (pbm/jobs.py): a national or university export,
    a budget workbook, certificates. Only its requester may fetch it, and only while it is still in their scope.

    `key` names the content (the export kind and its parameters, the ID mask included); `version` is a hash of the
    data the file was built from, so an unchanged export is served from the file built last time."""

    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    key = models.CharField(max_length=64, help_text="Hash of the kind and its parameters.")
    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10, default="th")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    version = models.CharField(max_length=64, blank=True, help_text="Hash of the data the file was built from.")
    reused = models.BooleanField(default=False, help_text="The data had not changed: the file built before is served.")
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Refreshed by the worker while it builds.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["key", "status"]), models.Index(fields=["requested_by", "key"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)
