"""What one filer's requests cost on deadline day: queries and CPU per request kind, through Django's test client.

    DATABASE_URL=postgres://…/pbm_save python bench/filer_requests.py [--scale small|national] [--tambons 6]
        [--profile save] [--top 25]

- Seeds the database with `seed_demo --scale …` unless it holds that scale (as `bench/dashboards.py` does, whose
  `prepare` it calls; default small, the scale `make bench` and CI give every bench); picks the university reporter with the
  most open months, as `bench/peak_day.py` does, and files the next open month of `--tambons` of its tambons the
  way a peak-day filer does: budget table, report form, save a draft (every actual, the narrative), follow the
  redirect, the form again, submit, follow. The months it files stay filed (submitted), like a peak-day run.
- Prints per request kind: the number of requests, queries per request, this process's CPU ms per request (p50 and
  the mean; the view, the ORM and the template, not the database server) and wall ms p50, each CPU figure also as a
  multiple of the same client's `GET /health/` (the floor of a request through the middleware) measured in the
  same run. `--profile KIND` prints cProfile's top functions (cumulative) of that kind's requests.
Figures only, no assertion.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / ".ci"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pbm.settings")

from journey import Forms  # noqa: E402 - the CI journey's HTML form reader

KINDS = ("health", "budget", "form", "save", "follow", "submit")


class Meter:
    def __init__(self, profile: str | None) -> None:
        self.queries: dict[str, list[int]] = defaultdict(list)
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.wall: dict[str, list[float]] = defaultdict(list)
        self.profile_kind = profile
        self.last_sql: dict[str, list[str]] = {}
        self.profiler = cProfile.Profile() if profile else None

    def __call__(self, kind: str, call, expect: int = 200):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        profiling = self.profiler is not None and kind == self.profile_kind
        connection.queries_log.clear()  # each request starts by clearing it (request_started): count from zero
        with CaptureQueriesContext(connection) as captured:
            cpu, wall = time.process_time(), time.perf_counter()
            if profiling:
                self.profiler.enable()
            response = call()
            if profiling:
                self.profiler.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if response.status_code != expect:
            raise SystemExit(f"{kind}: {response.status_code}, expected {expect}\n{response.content[:3000]!r}")
        self.queries[kind].append(len(captured))
        self.last_sql[kind] = [q["sql"] for q in captured]
        self.cpu[kind].append(cpu)
        self.wall[kind].append(wall)
        return response


def form_fields(response) -> dict[str, str]:
    parser = Forms()
    parser.feed(response.content.decode())
    return next(f for f in parser.forms if "narrative" in f.fields).fields


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("small", "national"), default="small")
    parser.add_argument("--tambons", type=int, default=6)
    parser.add_argument("--profile", choices=KINDS)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", choices=KINDS, help="print the SQL of the last request of this kind")
    args = parser.parse_args()

    import django

    django.setup()
    from dashboards import prepare  # noqa: E402 - the same seeding
    from django.test import Client
    from peak_day import plan  # noqa: E402 - the same choice of filer and months

    from tambon.models import User

    prepare(args.scale)
    work = [(f.username, *m) for f in plan(args.tambons + 1, 0, 0).filers for m in f.months]
    months = work[: args.tambons + 1]  # the first one warms the caches up and is not counted
    client, logged_in = Client(), None
    meter = Meter(args.profile)
    for index, (username, tambon, year, month) in enumerate(months):
        if index == 1:
            meter.__init__(args.profile)
        if username != logged_in:
            client.force_login(User.objects.get(username=username))
            logged_in = username
        for _ in range(3):
            meter("health", lambda: client.get("/health/"))
        meter("budget", lambda t=tambon: client.get(f"/tambons/{t}/budget/"))
        path = f"/tambons/{tambon}/reports/{year}/{month}/"
        for step in ("save", "submit"):
            fields = form_fields(meter("form", lambda p=path: client.get(p)))
            amount = Decimal("1.00") + Decimal(index % 7) / 100
            fields |= {name: str(amount) for name in fields if name.startswith("actual_")}
            # an activity line's spending by expense type must add up to its actual: all of it on the first type
            split = sorted(name for name in fields if name.startswith("split_"))
            firsts = {name.rsplit("_", 1)[0]: name for name in reversed(split)}
            fields |= {name: str(amount) if name in firsts.values() else "" for name in split}
            fields |= {"narrative": f"filer bench {index} {step}", "over_budget_explanation": "filer bench", step: "1"}
            response = meter(step, lambda p=path, f=fields: client.post(p, f), expect=302)
            meter("follow", lambda r=response: client.get(r["Location"]))

    health = statistics.median(meter.cpu["health"])
    print(f"{len(months) - 1} tambons filed by {len({m[0] for m in months})} reporters (one more to warm up)")
    print(f"{'kind':<8} {'requests':>8} {'queries':>8} {'CPU p50 ms':>10} {'CPU mean':>9} {'÷ health':>8} "
          f"{'wall p50 ms':>11}")  # fmt: skip
    for kind in KINDS:
        cpu = meter.cpu[kind]
        queries = meter.queries[kind]
        shown = f"{min(queries)}" if min(queries) == max(queries) else f"{min(queries)}–{max(queries)}"
        print(f"{kind:<8} {len(cpu):>8} {shown:>8} {statistics.median(cpu) * 1000:>10.1f} "
              f"{statistics.mean(cpu) * 1000:>9.1f} {statistics.median(cpu) / health:>8.1f} "
              f"{statistics.median(meter.wall[kind]) * 1000:>11.1f}")  # fmt: skip
    if args.sql:
        print(f"\nSQL of the last {args.sql}:")
        for sql in meter.last_sql[args.sql]:
            print(f"  {sql[:300]}")
    if meter.profiler is not None:
        print(f"\ncProfile of {args.profile} ({len(meter.cpu[args.profile])} requests), by cumulative time:")
        pstats.Stats(meter.profiler).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
