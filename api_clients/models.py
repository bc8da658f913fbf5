"""API clients (tokens for systems) and the record of each idempotent write."""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from tambon.models import Network, Tambon, University, User


class ClientScope(models.TextChoices):
    READ = "read", _("read only")
    FILE = "file", _("file for the chosen tambons")
    REVIEW = "review", _("review within the creator's area")


class ApiClientQuerySet(models.QuerySet):
    def active(self) -> ApiClientQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiClient(models.Model):
    """A system's key (a university's finance system, a field app). It acts for the person who made it, within
    that person's scope as tambon/access.py computes it on every request, and narrowed further by `scope` and,
    for filing, `tambons`. Only the SHA-256 digest of the key is kept; the key is shown once."""

    PREFIX = "pbmc_"

    name = models.CharField(_("name"), max_length=100)
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_clients")
    university = models.ForeignKey(University, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    scope = models.CharField(_("allowed to"), max_length=10, choices=ClientScope.choices, default=ClientScope.READ)
    tambons = models.ManyToManyField(Tambon, blank=True, related_name="+")
    rate = models.CharField(_("rate limit"), max_length=20, blank=True, help_text="e.g. 60/minute; blank: default")
    key_prefix = models.CharField(max_length=16)
    key_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(university__isnull=False) | models.Q(network__isnull=False), name="api_client_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def unit(self) -> University | Network:
        return self.university or self.network

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    # duck-typed by pbm.api.InScope and the write views, so pbm needs no import of this app
    @property
    def allows_write(self) -> bool:
        return self.scope != ClientScope.READ


class IdempotentWrite(models.Model):
    """A write done through the API with an `Idempotency-Key` header: a retry with the same key by the same person
    gets this response again and does nothing. `fingerprint` is the request's method, path and body; the same key
    with another request is refused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotent_write_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
