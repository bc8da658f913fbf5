"""Compare, for every tambon, what each consumer of its figures shows with the budget table; exit 1 on any
difference (reporting/figures_check.py says which consumers)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from tambon.models import Tambon

from ...figures_check import figures_check


class Command(BaseCommand):
    help = "Compare every consumer of each tambon's figures (pages, API, .xlsx, dashboards, checks) with the table."

    def add_arguments(self, parser):
        parser.add_argument("--tambon", type=int, action="append", help="only this tambon id (repeatable)")

    def handle(self, *args, tambon=None, **options):
        started = time.monotonic()
        tambons = Tambon.objects.all() if not tambon else Tambon.objects.filter(pk__in=tambon)
        count = tambons.count()
        if tambon and count != len(set(tambon)):
            raise CommandError(f"No tambon with id {sorted(set(tambon) - set(tambons.values_list('pk', flat=True)))}")
        differences = 0
        for difference in figures_check(tambons=tambons):
            differences += 1
            self.stdout.write(str(difference))
        seconds = time.monotonic() - started
        if differences:
            raise CommandError(f"{differences} differences in {count} tambons ({seconds:.1f} s)", returncode=1)
        self.stdout.write(f"check_figures: {count} tambons, every consumer agrees with the table ({seconds:.1f} s)")
