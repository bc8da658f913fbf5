"""Times the reviewers' dashboards, each level through Django's test client, against two baselines of the same run.

    DATABASE_URL=postgres://…/pbm_dashbench python bench/dashboards.py [--scale small|national] [--repeat 30]

- Seeds the database with `seed_demo --scale …` unless it already holds that scale's tambons (national: 3,000;
  a run takes a few minutes), and fills the dashboards' summary tables if they are missing.
- Requests the national, network, university and tambon pages as the `nsi` demo user: p50/p95 and query count.
- Floor: the same page's SQL statements (captured from one request) executed with a bare cursor: what the
  figures cost in the database alone, without the ORM, Python and the template.
- Growth: at `--scale national` the same pages are measured at small scale in a second database
  (`<name>_small`, seeded the same way) by a child process of this script.
Prints each level's time as a multiple of its bare SQL (p50 and p95), and the issues' targets: national p95 ≤ 3×
the bare SQL and < 300 ms (issue 7), every other level ≤ 2× its bare SQL (issue 16); the same query count at both
scales; national ≤ 2× small.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pbm.settings")

NATIONAL_TAMBONS = 3000
LEVELS = ("national", "network", "university", "tambon")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def prepare(scale: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    from reporting.dashboard.services import dashboard_refresh
    from reporting.models import TambonFigures
    from tambon.models import Tambon

    call_command("migrate", verbosity=0)
    count = Tambon.objects.count()
    ready = count == NATIONAL_TAMBONS if scale == "national" else 0 < count < NATIONAL_TAMBONS
    if not ready:
        started = time.perf_counter()
        call_command("seed_demo", scale=scale, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"seed_demo --scale {scale}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    if TambonFigures.objects.count() != Tambon.objects.count():
        dashboard_refresh()
    if connection.vendor == "postgresql":  # fresh rows: give the planner the statistics autovacuum would
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def pages() -> dict[str, str]:
    """One URL per level: the largest network, its largest university, that university's first tambon."""
    from django.db.models import Count

    from tambon.models import Network, Tambon

    network = Network.objects.annotate(n=Count("tambons")).order_by("-n", "number").first()
    university_id = (
        Tambon.objects.filter(network=network).values("university_id").annotate(n=Count("pk")).order_by("-n")[0]
    )["university_id"]
    tambon = Tambon.objects.filter(network=network, university_id=university_id).order_by("pk").first()
    return {
        "national": "/dashboard/",
        "network": f"/dashboard/networks/{network.pk}/",
        "university": f"/dashboard/networks/{network.pk}/universities/{university_id}/",
        "tambon": f"/dashboard/networks/{network.pk}/tambons/{tambon.pk}/",
    }


def measure(repeat: int) -> dict[str, dict]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tambon.models import Tambon, User

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    nsi = User.objects.get(username="nsi")
    client.force_login(nsi)
    # nsi is an NSI admin: its session carries a confirmed two-factor device, as after typing the code
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=nsi, confirmed=True).persistent_id
    session.save()
    out = {"tambons": Tambon.objects.count()}
    for level, url in pages().items():
        for _ in range(3):  # warm-up: connection, template and translation caches
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        statements = [q["sql"] for q in captured.captured_queries]
        times, floor = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                    cursor.fetchall()
            floor.append(time.perf_counter() - started)
        out[level] = {
            "url": url, "queries": len(statements),
            "p50": statistics.median(times), "p95": percentile(times, 0.95),
            "sql_p50": statistics.median(floor), "sql_p95": percentile(floor, 0.95),
        }  # fmt: skip
    return out


def small_baseline(repeat: int) -> dict:
    """The same measurement at small scale, in `<database>_small`, by a child process (one database per process)."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"{config['NAME']}_small"
    admin = psycopg2.connect(dbname="postgres", user=config["USER"], password=config["PASSWORD"] or None,
                             host=config["HOST"], port=config["PORT"] or 5432)  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
    env = {**os.environ, "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, __file__, "--scale", "small", "--repeat", str(repeat), "--json"],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])  # the last line: seeding may have logged before it


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "national"], default="small")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only (used for the baseline)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    prepare(args.scale)
    figures = measure(args.repeat)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}), {figures['tambons']} tambons, "
          f"{args.repeat} requests per page")  # fmt: skip
    if connection.vendor != "postgresql":
        print("note: the figures that matter are on PostgreSQL (set DATABASE_URL)")
    small = small_baseline(args.repeat) if args.scale == "national" and connection.vendor == "postgresql" else figures
    print(f"{'level':<11} {'queries':>7} {'p50':>10} {'p95':>10} {'SQL p50':>10} {'bare SQL p95':>13} "
          f"{'× SQL p50':>9} {'× SQL p95':>9} {'small p95':>10} {'× small':>8} {'small queries':>13}")  # fmt: skip
    for level in LEVELS:
        f, s = figures[level], small[level]
        print(
            f"{level:<11} {f['queries']:>7} {ms(f['p50']):>10} {ms(f['p95']):>10} {ms(f['sql_p50']):>10} "
            f"{ms(f['sql_p95']):>13} {f['p50'] / f['sql_p50']:>9.1f} {f['p95'] / f['sql_p95']:>9.1f} "
            f"{ms(s['p95']):>10} {f['p95'] / s['p95']:>8.2f} {s['queries']:>13}"
        )
    national, base = figures["national"], small["national"]
    print(f"targets, national page at --scale {args.scale} (the issue sets them at --scale national):")
    print(
        f"  p95 within 3× of the bare SQL: {national['p95'] / national['sql_p95']:.1f}× "
        f"{'ok' if national['p95'] <= 3 * national['sql_p95'] else 'MISSED'}"
    )
    for level in LEVELS[1:]:  # issue 16: every level within 2× its bare SQL
        f = figures[level]
        print(f"  {level} page p95 within 2× of its bare SQL: {f['p95'] / f['sql_p95']:.1f}× "
              f"{'ok' if f['p95'] <= 2 * f['sql_p95'] else 'MISSED'} (p50: {f['p50'] / f['sql_p50']:.1f}×)")  # fmt: skip
    print(f"  p95 under 300 ms: {national['p95'] * 1000:.0f} ms {'ok' if national['p95'] < 0.3 else 'MISSED'}")
    same = all(figures[lv]["queries"] == small[lv]["queries"] for lv in LEVELS)
    print(f"  same query count at both scales: {'ok' if same else 'MISSED'}")
    print(f"  at most 2× the small page: {national['p95'] / base['p95']:.2f}× "
          f"{'ok' if national['p95'] <= 2 * base['p95'] else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
