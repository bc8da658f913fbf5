from django.core.management.base import BaseCommand, CommandError

from pbm.followups import followups_catch_up


class Command(BaseCommand):
    help = (
        "Queue the follow-up tasks that writes could not queue while the Celery broker was down (beat runs this "
        "every minute). Safe to run any time."
    )

    def handle(self, *args, **options) -> None:
        result = followups_catch_up()
        self.stdout.write(f"{result.queued} follow-up task(s) queued, {result.left} still waiting")
        if result.error:
            raise CommandError(f"the broker is still unreachable ({result.error}); run this again once it is up")
