from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessment import services
from assessment.quarters import parse_quarter
from tambon.models import Programme


class Command(BaseCommand):
    help = "Classify tambons from accepted quarterly assessments (the nightly job) and print the distribution."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--quarter", help="YYYY-Qn (CE or BE); default: every quarter of the programme")
        parser.add_argument("--programme", help="programme code; default: the current programme")

    def handle(self, *args, quarter: str | None, programme: str | None, **options) -> None:
        chosen = Programme.objects.filter(code=programme).first() if programme else Programme.current()
        if chosen is None:
            raise CommandError(f"No programme {programme or '(current)'}.")
        try:
            if quarter:
                results = [services.tambon_classify(programme=chosen, quarter=parse_quarter(chosen, quarter))]
            else:
                results = services.tambon_classify_programme(programme=chosen)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        bands = [rule.band for rule in services.band_rules(chosen)]  # best first
        names = {b.code: b.name_en or b.name_th for b in bands} | {"": "not yet classified"}
        order = [b.code for b in bands] + [""]
        for result in results:
            total = sum(result.distribution.values())
            self.stdout.write(
                f"{result.quarter}: {total} tambons classified "
                f"(new {result.created}, changed {result.updated}, removed {result.deleted}, "
                f"unchanged {result.unchanged})"
            )
            for code in order:
                count = result.distribution.get(code, 0)
                share = f"{100 * count / total:5.1f}%" if total else "    —"
                self.stdout.write(f"  {names[code]:<20} {count:>6} {share}")
