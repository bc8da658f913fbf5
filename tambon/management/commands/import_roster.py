"""python manage.py import_roster FILE.xlsx [--university CODE] [--dry-run]: the upload page's import, from a shell.

Prints the summary and the errors; exits 1 (writing nothing) when there is any error."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tambon.models import Programme, University
from tambon.roster.services import roster_import, university_owner


class Command(BaseCommand):
    help = "Import a hiring roster sheet (.xlsx): everything or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--university", help="university code: rows for other universities' tambons are errors")
        parser.add_argument("--dry-run", action="store_true", help="check and print the preview; write nothing")

    def handle(self, *args, file: str, university: str | None, dry_run: bool, **options) -> None:
        path = Path(file)
        if not path.exists():
            raise CommandError(f"{file}: no such file")
        owner = None
        if university:
            uni = University.objects.filter(code=university).first()
            if uni is None:
                raise CommandError(f"No university with code {university}")
            owner = university_owner(uni, Programme.current())
        try:
            result = roster_import(file=path, name=path.name, owner=owner, dry_run=dry_run)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(result.summary())
        if result.unknown_columns:
            self.stdout.write("ignored columns: " + ", ".join(result.unknown_columns))
        for error in result.errors:
            self.stderr.write(str(error))
        if result.errors:
            raise CommandError(f"{len(result.errors)} rows have errors; nothing was written")
        self.stdout.write(self.style.SUCCESS("dry run: nothing written" if dry_run else "imported"))
