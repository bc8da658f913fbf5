from django.core.management.base import BaseCommand

from pbm.commands import add_date_argument, date_option
from reporting.deadlines.selectors import deadlines_check
from tambon.models import Programme


class Command(BaseCommand):
    help = "Print what is due, late or overdue on a day, without sending anything."

    def add_arguments(self, parser) -> None:
        add_date_argument(parser, "the day to check")

    def handle(self, *args, **options) -> None:
        on_date = date_option(options)
        check = deadlines_check(programme=Programme.current(), on_date=on_date)
        out = self.stdout.write
        out(f"Deadlines on {on_date}")
        for what, count in check.reminders:
            out(f"  monthly report due: {what}: {count} tambons still to file")
        for what, count in check.late:
            out(f"  monthly report late: {what}: {count} tambons")
        out(f"  completion reports: {check.completion_due} due, {check.completion_overdue} overdue")
        for label, due, missing in check.mou_due:
            out(f"  {label}: due {due}, {missing} not yet submitted")
        for label, missing in check.mou_overdue:
            out(f"  {label}: overdue, {missing} not submitted")
