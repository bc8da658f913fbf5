"""Times the public open-data view: a visit served from the cache against building the figures, in the same run.

    DATABASE_URL=postgres://… python bench/opendata.py [--scale small|national] [--repeat 50]

Prepares the demo as bench/dashboards.py does (seed_demo, idempotent), then for the current programme:
(1) builds every dataset from the dashboards' selectors with an empty cache (what the first visitor after a data
change pays); (2) visits the page, a CSV, a JSON download and the DCAT catalogue `--repeat` times with the cache
warm, counting database queries (the target: none). Prints the medians and the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pbm.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["small", "national"], default="small")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from bench.dashboards import prepare
    from opendata.figures import build
    from tambon.models import Programme, Tambon

    prepare(args.scale)
    settings.ALLOWED_HOSTS = ["*"]
    programme = Programme.current()
    builds, statements = [], []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    for _ in range(3):
        statements.clear()
        started = time.perf_counter()
        with connection.execute_wrapper(count):
            build(programme)
        builds.append(time.perf_counter() - started)
    code = programme.code
    urls = [f"/open/{code}/", f"/open/{code}/?by=province", f"/open/{code}/spending-by-month.csv",
            f"/open/{code}/hiring.json", "/open/catalog.jsonld"]  # fmt: skip
    built = len(statements)
    statements.clear()
    cache.clear()
    client = Client()
    for url in urls:  # the first visitor fills the cache
        assert client.get(url).status_code == 200, url
    visits, queries = [], 0
    for _ in range(args.repeat):
        for url in urls:
            before = len(statements)
            with connection.execute_wrapper(count):
                started = time.perf_counter()
                assert Client().get(url).status_code == 200, url
                visits.append(time.perf_counter() - started)
            queries += len(statements) - before
    build_s, visit_s = statistics.median(builds), statistics.median(visits)
    print(
        f"tambons: {Tambon.objects.filter(programme=programme).count()}, cache: {settings.CACHES['default']['BACKEND']}"
    )
    print(f"build every dataset (empty cache): {build_s * 1000:.0f} ms, {built} queries")
    print(f"cached visit (page, CSV, JSON, catalogue): median {visit_s * 1000:.1f} ms, "
          f"{queries} database queries in {len(visits)} visits")  # fmt: skip
    print(f"ratio build / cached visit: {build_s / visit_s:.0f}x")


if __name__ == "__main__":
    main()
