"""After the demo data: fill the dashboards' summary tables for the demo tambons (runs last in seed_demo)."""

from __future__ import annotations

import time

from .services import dashboard_refresh


def seed(*, context, stdout=None) -> None:
    started = time.monotonic()
    count = dashboard_refresh(tambon_ids=[t.pk for t in context.tambons])
    if stdout:
        stdout.write(f"dashboards: {count} tambons summarised ({time.monotonic() - started:.1f}s)")
