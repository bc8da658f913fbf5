from django.core.management.base import BaseCommand, CommandError

from pbm.files import _referenced, files_missing


class Command(BaseCommand):
    help = "Check that every uploaded file a row refers to is in the storage (after a restore, say); exit 1 if not."

    def handle(self, *args, **options) -> None:
        missing = files_missing()
        for name in missing:
            self.stdout.write(f"missing: {name}")
        if missing:
            raise CommandError(f"{len(missing)} referenced files are not in the storage", returncode=1)
        self.stdout.write(f"check_files: all {len(_referenced())} referenced files are in the storage")
