import time

from django.core.management.base import BaseCommand

from reporting.dashboard.services import dashboard_refresh


class Command(BaseCommand):
    help = "Recompute the dashboards' summary tables from the records (what the periodic job does)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--tambon", type=int, action="append", help="only this tambon id (repeatable)")

    def handle(self, *args, tambon: list[int] | None = None, **options) -> None:
        started = time.monotonic()
        count = dashboard_refresh(tambon_ids=tambon)
        self.stdout.write(self.style.SUCCESS(f"{count} tambons refreshed in {time.monotonic() - started:.1f}s"))
