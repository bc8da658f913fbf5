"""Times the tambon classification: the set-based job against a per-tambon loop, in the same run.

    DATABASE_URL=postgres://… python bench/classify.py [--scale small|national]

Builds the demo data with seed_demo (idempotent: a second run reuses it), then for each quarter of the
programme that has accepted assessments: (1) a per-tambon loop, one query per tambon plus one write each;
(2) `assessment.services.tambon_classify` from an empty table; (3) the same job again (nothing to change).
Both approaches must produce the same rows; prints the times and the ratio.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pbm.settings")


def per_tambon_loop(programme, quarter) -> int:
    """The obvious version: for every tambon, read its accepted assessment, count goals, write its row."""
    from django.db import transaction
    from django.utils import timezone

    from assessment.models import ClassBand, TambonAssessment, TambonClassification
    from assessment.services import band_rules
    from pbm.models import ReviewStatus
    from tambon.models import Tambon

    written = 0
    with transaction.atomic():
        for tambon in Tambon.objects.filter(programme=programme):
            assessment = TambonAssessment.objects.filter(
                tambon=tambon, quarter=str(quarter), status=ReviewStatus.ACCEPTED
            ).first()
            if assessment is None:
                continue
            met = assessment.goal_results.filter(met=True).count()
            # the programme's rule, a band at a time: its goals, then what it requires (class_bands[].requires)
            band = None
            for rule in band_rules(programme):
                if ClassBand.objects.filter(pk=rule.band.pk, min_goals__lte=met).exists() and rule.admits(
                    met, assessment.model_tambon, assessment.income_change_percent
                ):
                    band = rule.band
                    break
            TambonClassification.objects.update_or_create(
                tambon=tambon, quarter=str(quarter),
                defaults={"programme": programme, "goals_met": met, "band": band, "computed_band": band,
                          "assessment": assessment, "model_tambon": assessment.model_tambon,
                          "income_change_percent": assessment.income_change_percent,
                          "classified_at": timezone.now()},
            )  # fmt: skip
            written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "national"], default="small")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the set-based job (best is reported)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from assessment.models import TambonAssessment, TambonClassification
    from assessment.quarters import programme_quarters
    from assessment.services import tambon_classify
    from tambon.models import Programme, Tambon

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    if connection.vendor != "postgresql":
        print("note: the figure that matters is on PostgreSQL (set DATABASE_URL)")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", scale=args.scale, stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"seed_demo --scale {args.scale}: {time.perf_counter() - started:.1f}s")
    programme = Programme.current()
    print(f"tambons: {Tambon.objects.filter(programme=programme).count()}, "
          f"assessments: {TambonAssessment.objects.filter(programme=programme).count()}")  # fmt: skip

    total_loop = total_set = 0.0
    for quarter in programme_quarters(programme):
        if not TambonAssessment.objects.filter(programme=programme, quarter=str(quarter), status="accepted").exists():
            continue
        TambonClassification.objects.filter(programme=programme, quarter=str(quarter)).delete()
        t0 = time.perf_counter()
        written = per_tambon_loop(programme, quarter)
        loop = time.perf_counter() - t0
        fields = ("tambon_id", "goals_met", "band_id", "assessment_id")
        expected = sorted(TambonClassification.objects.filter(quarter=str(quarter)).values_list(*fields))
        best = float("inf")
        for _ in range(args.repeat):
            TambonClassification.objects.filter(programme=programme, quarter=str(quarter)).delete()
            t0 = time.perf_counter()
            tambon_classify(programme=programme, quarter=quarter)
            best = min(best, time.perf_counter() - t0)
        got = sorted(TambonClassification.objects.filter(quarter=str(quarter)).values_list(*fields))
        assert got == expected, "the set-based job and the loop disagree"
        t0 = time.perf_counter()
        rerun = tambon_classify(programme=programme, quarter=quarter)
        again = time.perf_counter() - t0
        assert rerun.created == rerun.updated == rerun.deleted == 0
        total_loop, total_set = total_loop + loop, total_set + best
        print(f"{quarter}: {written} tambons · per-tambon loop {loop:.3f}s · set-based {best:.3f}s "
              f"(re-run, no change: {again:.3f}s) · {loop / best:.1f}x faster")  # fmt: skip
    if total_set:
        print(f"all quarters: loop {total_loop:.3f}s, set-based {total_set:.3f}s, ratio {total_loop / total_set:.1f}x")


if __name__ == "__main__":
    main()
