"""`manage.py programme_load FILE [--dry-run]`: create or update a programme from its definition file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pbm.programmes.definition import DefinitionInvalid, parse_file
from pbm.programmes.loader import LoadRefused, load


class Command(BaseCommand):
    help = "Create or update a programme from its definition file (programmes/<code>.yaml), idempotently."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")

    def handle(self, *args, file, dry_run, **options):
        try:
            data = parse_file(file)
        except OSError as exc:
            raise CommandError(_("cannot read %(file)s: %(error)s") % {"file": file, "error": exc.strerror}) from None
        except DefinitionInvalid as exc:
            raise CommandError(
                _("%(file)s has %(n)s problem(s); nothing was written:") % {"file": file, "n": len(exc.problems)}
                + "".join(f"\n  {file}:{p}" for p in exc.problems)
            ) from None
        try:
            result = load(data, dry_run=dry_run)
        except LoadRefused as exc:
            raise CommandError(
                _("refused; nothing was written:") + "".join(f"\n  {reason}" for reason in exc.reasons)
            ) from None
        code = data["code"]
        if not result.changes:
            self.stdout.write(_("programme %(code)s is up to date: no change.") % {"code": code})
            return
        for change in result.changes:
            self.stdout.write(f"  {change}")
        if dry_run:
            message = _("dry run: %(n)s change(s) to programme %(code)s would be made; nothing was written.")
        else:
            message = _("programme %(code)s: %(n)s change(s) made.")
        self.stdout.write(self.style.SUCCESS(message % {"n": len(result.changes), "code": code}))
