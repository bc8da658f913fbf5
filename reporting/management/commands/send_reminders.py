from django.core.management.base import BaseCommand

from pbm.commands import add_date_argument, date_option
from reporting.deadlines.services import reminders_send


class Command(BaseCommand):
    help = "Send the day's deadline reminders and escalations (exactly once: safe to re-run for a missed day)."

    def add_arguments(self, parser) -> None:
        add_date_argument(parser, "the day to run for")

    def handle(self, *args, **options) -> None:
        on_date = date_option(options)
        counts = reminders_send(on_date=on_date)
        self.stdout.write(f"{on_date}: sent {counts}")
