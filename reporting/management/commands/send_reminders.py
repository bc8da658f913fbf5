from django.core.management.base import BaseCommand

from pbm.commands import add_date_argument, date_option
from reporting.deadlines.services import reminders_send_all


class Command(BaseCommand):
    help = "Send the day's deadline reminders of every programme and escalations (exactly once: safe to re-run for a missed day)."

    def add_arguments(self, parser) -> None:
        add_date_argument(parser, "the day to run for")

    def handle(self, *args, **options) -> None:
        on_date = date_option(options)
        for code, counts in reminders_send_all(on_date=on_date).items():  # every programme, each its own deadlines
            self.stdout.write(f"{on_date} {code}: sent {counts}")
