from django.core.management.base import BaseCommand

from api_clients.services import IDEMPOTENCY_DAYS, idempotent_writes_sweep


class Command(BaseCommand):
    help = "Forget the stored answers of API writes older than N days (Idempotency-Key retries after that are new)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=IDEMPOTENCY_DAYS)

    def handle(self, *args, days: int, **options) -> None:
        self.stdout.write(f"{idempotent_writes_sweep(days=days)} stored answers forgotten")
