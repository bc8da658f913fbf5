import importlib
import importlib.util
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from reporting.dashboard.services import dashboard_refresh, dashboard_refresh_deferred
from tambon import demo, programme_demo
from tambon.models import Programme, Tambon

# Modules that add demo data on top of the hierarchy, in order; each has `seed(*, context, stdout)`.
DEMO_SEEDERS = (
    "tambon.roster.demo", "reporting.demo", "reporting.deadlines.demo", "assessment.demo", "reporting.dashboard.demo",
)  # fmt: skip


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


class Command(BaseCommand):
    help = "Load deterministic demo data (national: 3,000 tambons; small: ~1/20). Safe to re-run."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", choices=["national", "small"], default="small")
        parser.add_argument(
            "--programme", default="",
            help="Seed this programme (a code of programmes/<code>.yaml, loaded if missing) instead of U2T's demo.",
        )  # fmt: skip
        parser.add_argument(
            "--staging", action="store_true",
            help="Seed a production-configured install anyway: a staging demo whose every account has the known demo "
                 "password and whose NSI admin has the published two-factor key. Never on the real service.",
        )  # fmt: skip

    def handle(self, *args, scale: str, staging: bool = False, programme: str = "", **options) -> None:
        if settings.PRODUCTION_INSTALL and not staging:
            raise CommandError(
                "Refused: this is a production install (SECRET_KEY is set or DEBUG is off). The demo creates the "
                "superuser `nsi` and hundreds of accounts with the published password `pbm-demo`. For a staging "
                "demo that nobody real uses, run `manage.py seed_demo --staging`."
            )
        started = time.monotonic()
        if programme and programme != Programme.current().code:
            try:
                with dashboard_refresh_deferred():
                    chosen = programme_demo.seed(slug=programme, scale=scale, stdout=self.stdout)
            except ValueError as error:
                raise CommandError(str(error)) from None
            dashboard_refresh(tambon_ids=list(Tambon.objects.filter(programme=chosen).values_list("pk", flat=True)))
            self.stdout.write(self.style.SUCCESS(f"demo data ({chosen.code}, {scale}) ready in "
                                                 f"{time.monotonic() - started:.1f}s"))  # fmt: skip
            return
        context = demo.seed(scale=scale, stdout=self.stdout)
        # every write would refresh its tambon's dashboard figures; the last seeder refreshes them all at once
        with dashboard_refresh_deferred(already_refreshed=lambda: {t.pk for t in context.tambons}):
            for name in DEMO_SEEDERS:
                if _module_exists(name):
                    importlib.import_module(name).seed(context=context, stdout=self.stdout)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics after a bulk load, as autovacuum would give later:
                cursor.execute("ANALYZE")  # without them the planner scans every accepted month for one tambon's wages
        self.stdout.write(self.style.SUCCESS(f"demo data ({scale}) ready in {time.monotonic() - started:.1f}s"))
