from django.core.management.base import BaseCommand

from pbm.notifications import notifications_retry, stuck_deliveries


class Command(BaseCommand):
    help = (
        "Retry the email and LINE deliveries whose wait is over, and send the daily digests that are due (beat runs "
        "this every five minutes). Safe to run any time."
    )

    def handle(self, *args, **options) -> None:
        counts = notifications_retry()
        self.stdout.write(
            f"{counts.sent} sent, {counts.failed} failed again, {counts.digests} digest(s) sent; "
            f"{stuck_deliveries()} given up (see admin › Deliveries)"
        )
