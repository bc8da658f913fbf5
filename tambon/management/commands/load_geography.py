from django.core.management.base import BaseCommand

from tambon import services


class Command(BaseCommand):
    help = "Load or refresh Thai provinces, districts and sub-districts (and the networks' areas). Idempotent."

    def handle(self, *args, **options) -> None:
        counts = services.geography_load()
        services.networks_load()
        self.stdout.write(
            f"{counts.provinces} provinces, {counts.districts} districts, {counts.subdistricts} sub-districts"
        )
