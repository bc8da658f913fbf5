from django.core.management.base import BaseCommand

from pbm.files import files_sweep


class Command(BaseCommand):
    help = "Delete stored upload files that no row refers to any more (older than a day). Safe to run any time."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would be deleted; delete nothing.")

    def handle(self, *args, dry_run: bool, **options) -> None:
        result = files_sweep(dry_run=dry_run)
        for name in result.orphans:
            self.stdout.write(f"{'would delete' if dry_run else 'deleted'} {name}")
        self.stdout.write(f"{result.checked} stored files checked, {len(result.orphans)} no longer referred to"
                          + (" (dry run: nothing deleted)" if dry_run else ""))  # fmt: skip
