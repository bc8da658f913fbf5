"""Reads of the dashboards and exports from a replica of the database, when DATABASE_REPLICA_URL names one.

Only inside `reading()` (a context manager and decorator: the dashboard pages, their exports and API, the export
jobs' building) are the figures' models read from the `replica` alias; everything else, and every write, goes to
`default`. Inside, the rows that decide who someone is and what they may see (users, memberships, sessions, tokens)
and the request's own rows (notifications, export jobs) are still read from `default`: a replica a few seconds
behind may show slightly older figures, never an older permission. With no replica configured `reading()` changes
nothing (settings add the router only with the alias).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models

REPLICA = "replica"
DEFAULT = "default"

# the figures: reference data, tambons and units, plans, reports, roster, assessments, summary tables, history
REPLICA_APPS = {"tambon", "reporting", "assessment"}
REPLICA_MODELS = {"pbm.reviewevent", "pbm.figurechange"}
# … except who someone is and what they may do, and the roster import's job rows (fresh for their page)
DEFAULT_MODELS = {"tambon.user", "tambon.user_groups", "tambon.user_user_permissions", "tambon.membership",
                  "tambon.rosterimport", "tambon.checkedrows"}  # fmt: skip

_reading: ContextVar[bool] = ContextVar("pbm_replica_reading", default=False)


@contextmanager
def reading() -> Iterator[None]:
    """Within the block (or the decorated function) the figures are read from the replica, if there is one."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def reads_replica(model: type[models.Model]) -> bool:
    label = model._meta.label_lower
    if label in DEFAULT_MODELS:
        return False
    return model._meta.app_label in REPLICA_APPS or label in REPLICA_MODELS


class ReplicaRouter:
    """settings.DATABASE_ROUTERS when DATABASE_REPLICA_URL is set. The replica is a copy of default (PostgreSQL
    streaming replication): nothing is written or migrated there."""

    def db_for_read(self, model, **hints) -> str:
        return REPLICA if _reading.get() and reads_replica(model) else DEFAULT

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT
