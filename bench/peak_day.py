"""Deadline day at load: filers, reviewers and exporters at once against the production processes, over HTTP.

    DATABASE_URL=postgres://…/pbm_peak python bench/peak_day.py [--scale small|national] [--filers 16]
        [--reviewers 2] [--exporters 0] [--seconds 60] [--max-requests 20000] [--port 8101]
        [--think 0] [--web "gunicorn …"] [--base http://127.0.0.1:PORT]

- Seeds the database with `seed_demo --scale …` unless it already holds that scale, runs `collectstatic`, then
  starts the processes `docker-compose.yml` runs — its `web` (gunicorn), `worker` and `beat` commands, word for
  word, except that gunicorn binds 127.0.0.1:PORT — with this environment's binaries, DEBUG off, a Redis database
  of their own (REDIS_URL, default redis://127.0.0.1:6379/9). `--web` replaces the web command to try another
  serving set-up; `--base` measures processes already running instead (nothing is started).
- Baseline, in the same run: one filer alone files one month, one reviewer loads each dashboard once, one exporter
  pulls each export once (the quiet machine's time per request kind).
- Then the peak: `--filers` university reporters (usi1, usi2, …) each log in through the login form (CSRF) and,
  per tambon of their university, open the budget table and the month's report form, save a draft and submit it;
  `--reviewers` RSI reviewers reload their network's dashboard and nsi-review the national one; `--exporters`
  university managers pull their university's budget .xlsx and roster .xlsx (each a background job: the URL leads
  to the job's page, whose progress is polled until the file is downloaded). A filer splits each amount of a line
  with expense types under the first type, as the form asks. Bounded by `--seconds` and
  `--max-requests`; only 127.0.0.1 is ever contacted.
- `--think S`: every person pauses before each request after their first, for a random time of mean S seconds
  (exponential, seeded), as people read a page and type. 0 (the default) is the saturation test: clients that
  never pause queue for the cores, and a response takes as long as the queue ahead of it (Little's law). With a
  pause, the run offers a rate of filings per hour and prints it beside the national day's own: 3,000 tambons
  filing one monthly report each.
- Prints per request kind: count, requests/s, p50/p95/p99, the p95 as a multiple of the quiet p50, errors; then
  the lost-update check against the database (every acknowledged save is there with the amounts and the text it
  sent, every acknowledged submit is submitted), and whether the worker brought the saved tambons' dashboard
  summaries level with the records.
Figures and the issue's targets are printed, never asserted; the exit status is non-zero only if a request failed
or an update was lost.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / ".ci"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pbm.settings")

from journey import Forms  # noqa: E402 - the CI journey's HTML form reader (standard library only)

NATIONAL_TAMBONS = 3000
KINDS = ("login", "budget", "form", "save", "submit", "follow", "dashboard", "export")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


# --- the database side (this process has Django loaded; the load itself goes over HTTP) ---


def prepare(scale: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    from tambon.models import Tambon

    call_command("migrate", verbosity=0)
    count = Tambon.objects.count()
    if not (count == NATIONAL_TAMBONS if scale == "national" else 0 < count < NATIONAL_TAMBONS):
        started = time.perf_counter()
        call_command("seed_demo", scale=scale, stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"seed_demo --scale {scale}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@dataclass
class Filer:
    username: str
    months: list[tuple[int, int, int]]  # (tambon id, year, month): each tambon's next open month


@dataclass
class Plan:
    filers: list[Filer]
    reviewers: list[tuple[str, str]]  # (username, dashboard path)
    exporters: list[tuple[str, list[str]]]  # (username, export paths)


def plan(filers: int, reviewers: int, exporters: int) -> Plan:
    """Who does what: reporters of the universities with the most open months first."""
    from reporting.locks import FROZEN
    from reporting.models import BudgetLine, MonthlyReport
    from tambon.models import Membership, Network, Role, Tambon

    frozen = set(MonthlyReport.objects.filter(status__in=FROZEN).values_list("tambon_id", "year", "month"))
    planned = set(BudgetLine.objects.values_list("tambon_id", flat=True).distinct())
    by_university: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for tambon in Tambon.objects.select_related("programme").order_by("pk"):
        if tambon.pk not in planned:
            continue
        month = next((m for m in tambon.programme.months() if (tambon.pk, *m) not in frozen), None)
        if month is not None:
            by_university[tambon.university_id].append((tambon.pk, *month))
    reporters = {
        m.university_id: m.user.username
        for m in Membership.objects.filter(role=Role.UNIVERSITY_REPORTER).select_related("user")
    }
    managers = {
        m.university_id: m.user.username
        for m in Membership.objects.filter(role=Role.UNIVERSITY_MANAGER).select_related("user")
    }
    busiest = sorted(by_university, key=lambda u: (-len(by_university[u]), u))
    chosen = [Filer(reporters[u], by_university[u]) for u in busiest if u in reporters][:filers]
    networks = list(Network.objects.order_by("number"))
    board = [("nsi-review", "/dashboard/")] + [(f"rsi{n.number}", f"/dashboard/networks/{n.pk}/") for n in networks]
    export = [
        (managers[u], [f"/universities/{u}/budget.xlsx", f"/universities/{u}/roster/export.xlsx"])
        for u in busiest
        if u in managers
    ]
    return Plan(chosen, board[:reviewers], export[:exporters])


def lost_updates(acknowledged: list[dict]) -> list[str]:
    """Every save the server acknowledged is in the database as sent; every acknowledged submit is submitted."""
    from pbm.models import ReviewStatus
    from reporting.models import MonthlyAmount, MonthlyReport

    problems = []
    last = {(a["tambon"], a["year"], a["month"]): a for a in acknowledged}  # a submit follows its draft
    for ack in last.values():
        report = MonthlyReport.objects.filter(tambon_id=ack["tambon"], year=ack["year"], month=ack["month"]).first()
        if report is None or report.narrative != ack["narrative"]:
            problems.append(f"tambon {ack['tambon']} {ack['year']}-{ack['month']}: the narrative sent is not stored")
            continue
        if ack["submit"] and report.status != ReviewStatus.SUBMITTED:
            problems.append(f"tambon {ack['tambon']} {ack['year']}-{ack['month']}: status {report.status}")
        stored = dict(
            MonthlyAmount.objects.filter(line_id__in=ack["lines"], year=ack["year"], month=ack["month"]).values_list(
                "line_id", "actual"
            )
        )
        wrong = [pk for pk in ack["lines"] if stored.get(pk) != ack["amount"]]
        if wrong:
            problems.append(f"tambon {ack['tambon']} {ack['year']}-{ack['month']}: lines {wrong[:5]} lost the amount")
    return problems


def stale_summaries(tambon_ids: set[int], wait: float) -> int:
    """How many of these tambons' dashboard month summaries differ from the records once the worker had `wait` s."""
    from reporting.dashboard import selectors
    from reporting.dashboard.models import TambonMonthFigures
    from tambon.models import Tambon

    deadline = time.monotonic() + wait
    while True:
        live = {
            (t, y, m, kind): pair
            for (t, y, m, kind), pair in selectors.live_monthly_sums(
                Tambon.objects.filter(pk__in=tambon_ids), "id"
            ).items()
            if any(pair)
        }
        stored = {}
        for f in TambonMonthFigures.objects.filter(tambon_id__in=tambon_ids):
            for kind in selectors.KINDS:
                pair = (getattr(f, f"plan_{kind}"), getattr(f, f"actual_{kind}"))
                if any(pair):
                    stored[(f.tambon_id, f.year, f.month, kind)] = pair
        differ = {k[0] for k in set(live) | set(stored) if live.get(k) != stored.get(k)}
        if not differ or time.monotonic() > deadline:
            return len(differ)
        time.sleep(0.5)


# --- the processes ---


def compose_commands() -> dict[str, list[str]]:
    import yaml

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    return {name: list(services[name]["command"]) for name in ("web", "worker", "beat")}


def serve(port: int, web: str | None, redis_url: str, work: Path) -> list[subprocess.Popen]:
    commands = compose_commands()
    if web:
        commands["web"] = shlex.split(web)
    command = commands["web"]
    if "--bind" in command:
        command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    else:
        command += ["--bind", f"127.0.0.1:{port}"]
    beat = commands["beat"]
    if "--schedule" in beat:  # the image's writable /tmp path; here this run's own folder
        beat[beat.index("--schedule") + 1] = str(work / "beat-schedule")
    bindir = Path(sys.executable).parent
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "peak-day-bench-not-secret-but-long-enough-for-the-deploy-checks-0123456789",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "MEDIA_ROOT": str(work / "media"),
        "AXES_FAILURE_LIMIT": "1000",
    }
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True)  # as the image does: the manifest whitenoise serves
    processes = []
    for name in ("web", "worker", "beat"):
        argv = [str(bindir / commands[name][0]), *commands[name][1:]]
        log = open(work / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        processes.append(subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
        print(f"  {name}: {shlex.join(commands[name])}")
    return processes


def wait_healthy(base: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/health/", timeout=5) as response:  # noqa: S310 - 127.0.0.1
                if response.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"{base}/health/ did not answer 200 within {timeout:.0f}s")


# --- the load ---


class Budget:
    """The run's bounds: a deadline and a number of requests, shared by every thread."""

    def __init__(self, seconds: float, requests: int) -> None:
        self.deadline, self.left, self.lock = time.monotonic() + seconds, requests, threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0 or time.monotonic() > self.deadline:
                return False
            self.left -= 1
            return True


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Record:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    acknowledged: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class OutOfBudget(Exception):
    pass


class Person:
    """One browser: its cookies, the CSRF token from the forms, every request timed under its kind."""

    def __init__(self, base: str, username: str, password: str, record: Record, budget: Budget | None,
                 think: float = 0.0) -> None:  # fmt: skip
        self.base, self.username, self.password = base, username, password
        self.record, self.budget = record, budget
        self.think, self.pauses = think, random.Random(username)  # noqa: S311 - a pause, not a secret
        self.started = False
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, kind: str, path: str, data: dict | None = None, expect: int = 200) -> tuple[int, dict, bytes]:
        if self.think and self.started:  # a person reads the page and types before the next request
            time.sleep(self.pauses.expovariate(1 / self.think))
        self.started = True
        if self.budget is not None and not self.budget.take():
            raise OutOfBudget
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - 127.0.0.1 only
        req.add_header("Referer", self.base + path)
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=120) as response:
                status, headers, content = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, headers, content = error.code, dict(error.headers), error.read()
        except OSError as error:
            status, headers, content = 0, {}, repr(error).encode()
        took = time.perf_counter() - started
        with self.record.lock:
            self.record.times[kind].append(took)
            if status != expect:
                self.record.errors[kind].append(f"{self.username} {path}: {status} {content[:200]!r}")
        return status, headers, content

    def form(self, kind: str, path: str, having: str):
        status, _h, content = self.request(kind, path)
        parser = Forms()
        parser.feed(content.decode("utf-8", "replace"))
        return next((f for f in parser.forms if having in f.fields), None) if status == 200 else None

    def login(self) -> bool:
        form = self.form("login", "/login/", "password")
        if form is None:
            return False
        fields = form.fields | {"username": self.username, "password": self.password}
        status, headers, _c = self.request("login", "/login/", fields, expect=302)
        return status == 302 and "/login/" not in headers.get("Location", "")


def file_month(person: Person, tambon: int, year: int, month: int, serial: str) -> None:
    """Budget table, report form, save a draft (and look at the page it leads to), submit."""
    person.request("budget", f"/tambons/{tambon}/budget/")
    path = f"/tambons/{tambon}/reports/{year}/{month}/"
    for step, submit in (("save", False), ("submit", True)):
        form = person.form("form", path, "narrative")
        if form is None:
            return
        lines = [name for name in form.fields if name.startswith("actual_")]
        amount = Decimal("1.00") + Decimal(len(serial) % 7) / 100
        narrative = f"peak-day {serial} {step}"
        fields = form.fields | {name: str(amount) for name in lines} | {"narrative": narrative}
        for name in lines:  # a split line's expense types must add up to its amount: all of it under the first
            split = sorted((n for n in form.fields if n.startswith(f"split_{name.removeprefix('actual_')}_")),
                           key=lambda n: int(n.rsplit("_", 1)[1]))  # fmt: skip
            fields |= {n: str(amount) if i == 0 else "" for i, n in enumerate(split)}
        fields |= {"over_budget_explanation": "peak-day bench", step: "1"}
        status, headers, _c = person.request(step, path, fields, expect=302)
        if status != 302:
            return
        with person.record.lock:
            person.record.acknowledged.append({
                "tambon": tambon, "year": year, "month": month, "narrative": narrative, "submit": submit,
                "amount": amount, "lines": [int(name.removeprefix("actual_")) for name in lines],
            })  # fmt: skip
        person.request("follow", urllib.parse.urlsplit(headers["Location"]).path)


def run_filer(base: str, password: str, filer: Filer, record: Record, budget: Budget | None, limit: int,
              think: float = 0.0) -> None:  # fmt: skip
    try:
        person = Person(base, filer.username, password, record, budget, think)
        if not person.login():
            return
        for index, (tambon, year, month) in enumerate(filer.months[:limit]):
            file_month(person, tambon, year, month, f"{filer.username}-{index}")
    except OutOfBudget:
        pass


def export(person: Person, path: str) -> None:
    """An export is a background job (pbm/jobs.py): its URL leads to the job's page, which is polled until the
    file can be downloaded. Each request counts as "export"; an unchanged export is served from the last build."""
    status, headers, _c = person.request("export", path, expect=302)
    job = urllib.parse.urlsplit(headers.get("Location", "")).path
    if status != 302 or not job.startswith("/exports/"):
        return
    for _ in range(600):
        status, _h, content = person.request("export", job + "progress/")
        if status != 200:
            return
        state = json.loads(content)
        if not state["running"]:
            break
        time.sleep(0.2)
    else:
        with person.record.lock:
            person.record.errors["export"].append(f"{person.username} {job}: still running after 600 polls")
        return
    if state["status"] != "done":
        with person.record.lock:
            person.record.errors["export"].append(f"{person.username} {job}: {state['status']} {state['message']}")
        return
    person.request("export", job + "download/")


def run_looker(base: str, password: str, username: str, paths: list[str], kind: str, record: Record,
               budget: Budget | None, rounds: int | None, stop: threading.Event, think: float = 0.0) -> None:  # fmt: skip
    try:
        person = Person(base, username, password, record, budget, think)
        if not person.login():
            return
        done = 0
        while (not stop.is_set()) if rounds is None else done < rounds:
            for path in paths:
                if kind == "export":
                    export(person, path)
                else:
                    person.request(kind, path)
            done += 1
    except OutOfBudget:
        pass


def load(base: str, password: str, work: Plan, record: Record, budget: Budget | None, *, months_each: int,
         looker_rounds: int | None, think: float = 0.0) -> float:  # fmt: skip
    stop = threading.Event()
    filers = [
        threading.Thread(target=run_filer, args=(base, password, f, record, budget, months_each, think))
        for f in work.filers
    ]
    lookers = [
        threading.Thread(
            target=run_looker, args=(base, password, u, [p], "dashboard", record, budget, looker_rounds, stop, think)
        )  # fmt: skip
        for u, p in work.reviewers
    ] + [
        threading.Thread(
            target=run_looker, args=(base, password, u, ps, "export", record, budget, looker_rounds, stop, think)
        )  # fmt: skip
        for u, ps in work.exporters
    ]
    started = time.perf_counter()
    for thread in filers + lookers:
        thread.start()
    for thread in filers:
        thread.join()
    stop.set()  # the reviewers and exporters keep going while anyone files
    for thread in lookers:
        thread.join()
    return time.perf_counter() - started


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "national"], default="small")
    parser.add_argument("--filers", type=int)
    parser.add_argument("--reviewers", type=int)
    parser.add_argument("--exporters", type=int)
    parser.add_argument("--seconds", type=float, help="the peak's length at most (small: 20, national: 120)")
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--think", type=float, default=0.0,
                        help="each person's mean pause in seconds before each request (0: never pause, saturation)")  # fmt: skip
    parser.add_argument("--port", type=int, default=int(os.environ.get("PEAK_DAY_PORT", "8101")))
    parser.add_argument("--redis-url", default=os.environ.get("PEAK_DAY_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--web", help="another web command than docker-compose.yml's (a serving set-up to try)")
    parser.add_argument("--base", help="measure processes already running at this 127.0.0.1 address instead")
    args = parser.parse_args()
    small = args.scale == "small"
    filers = args.filers if args.filers is not None else (4 if small else 64)
    reviewers = args.reviewers if args.reviewers is not None else 2
    exporters = args.exporters if args.exporters is not None else (1 if small else 3)
    seconds = args.seconds if args.seconds is not None else (20 if small else 120)
    if args.base and urllib.parse.urlsplit(args.base).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("--base must be a 127.0.0.1 address: this script loads only this machine")

    import django

    django.setup()
    from django.db import connection

    from tambon.demo import DEMO_PASSWORD

    if connection.vendor != "postgresql":
        raise SystemExit("peak_day.py measures the production set-up: set DATABASE_URL to PostgreSQL")
    prepare(args.scale)
    work = plan(filers + 1, reviewers, exporters)
    alone, work.filers = work.filers[0], work.filers[1:]
    print(f"database: {connection.settings_dict['NAME']}; {len(work.filers)} filers "
          f"({sum(len(f.months) for f in work.filers):,} open months), {len(work.reviewers)} reviewers on dashboards, "
          f"{len(work.exporters)} exporters; at most {seconds:.0f} s and {args.max_requests:,} requests; "
          f"{f'a mean pause of {args.think:g} s before each request' if args.think else 'no pause (saturation)'}")  # fmt: skip
    processes: list[subprocess.Popen] = []
    base = (args.base or f"http://127.0.0.1:{args.port}").rstrip("/")
    with tempfile.TemporaryDirectory(prefix="peak-day-") as tmp:
        work_dir = Path(tmp)
        try:
            if not args.base:
                processes = serve(args.port, args.web, args.redis_url, work_dir)
            wait_healthy(base, 90)
            # the quiet baseline: one person at a time, the processes warmed up by a first pass
            quiet = Record()
            baseline = Plan([Filer(alone.username, alone.months[:2])], work.reviewers[:1], work.exporters[:1])
            for record in (Record(), quiet):
                load(base, DEMO_PASSWORD, Plan(baseline.filers, [], []), record, None, months_each=1, looker_rounds=1)
                baseline.filers[0].months = baseline.filers[0].months[1:]
                load(base, DEMO_PASSWORD, Plan([], baseline.reviewers, baseline.exporters), record, None,
                     months_each=0, looker_rounds=1)  # fmt: skip
            peak = Record()
            took = load(base, DEMO_PASSWORD, work, peak, Budget(seconds, args.max_requests), months_each=10**6,
                        looker_rounds=None, think=args.think)  # fmt: skip
            stale = stale_summaries({a["tambon"] for a in peak.acknowledged}, wait=30)
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        failed_processes = [p.args[0] for p in processes if p.returncode not in (0, -signal.SIGTERM)]
        if any(peak.errors.values()) or failed_processes:
            for name in ("web", "worker"):
                if (work_dir / f"{name}.log").exists():
                    print(f"--- {name}.log (last lines)")
                    print("\n".join((work_dir / f"{name}.log").read_text().splitlines()[-30:]))

    problems = lost_updates(peak.acknowledged)
    total = sum(len(v) for v in peak.times.values())
    print(f"peak: {total:,} requests in {took:.1f} s ({total / took:.1f}/s); load average "
          f"{os.getloadavg()[0]:.1f} at the end")  # fmt: skip
    print(f"{'kind':<10} {'requests':>8} {'per s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
          f"{'quiet p50':>9} {'p95÷quiet':>9} {'errors':>6}")  # fmt: skip
    for kind in KINDS:
        times = peak.times.get(kind, [])
        if not times:
            continue
        base_p50 = statistics.median(quiet.times[kind]) if quiet.times.get(kind) else float("nan")
        p95 = percentile(times, 0.95)
        print(f"{kind:<10} {len(times):>8,} {len(times) / took:>7.1f} {ms(statistics.median(times)):>8} "
              f"{ms(p95):>8} {ms(percentile(times, 0.99)):>8} {ms(max(times)):>8} {ms(base_p50):>9} "
              f"{p95 / base_p50:>9.1f} {len(peak.errors.get(kind, [])):>6}")  # fmt: skip
    for kind, errors in peak.errors.items():
        for error in errors[:3]:
            print(f"  {kind} error: {error}")
    saves = peak.acknowledged
    writes = len(saves) / took
    print(f"writes acknowledged: {len(saves):,} ({writes:.1f}/s); lost updates: {len(problems)}")
    filings = sum(1 for a in saves if a["submit"]) / took * 3600
    if filings:
        print(f"monthly reports submitted at {filings:,.0f} per hour: the national day's {NATIONAL_TAMBONS:,} "
              f"tambons would all be filed in {NATIONAL_TAMBONS / filings * 60:,.0f} minutes at this rate")  # fmt: skip
    for problem in problems[:10]:
        print(f"  LOST: {problem}")
    print(f"dashboard summaries of the {len({a['tambon'] for a in saves})} tambons filed, 30 s after the peak: "
          f"{stale} differ from the records")  # fmt: skip
    p95 = {k: percentile(v, 0.95) for k, v in peak.times.items()}
    over = sorted(k for k, v in peak.times.items() if k != "login" and percentile(v, 0.99) > 1)
    print("targets (issue 16, at --scale national, 64 filers, 3 exporters):")
    print(f"  p99 ≤ 1 s for every kind but login: {'ok' if not over else 'MISSED: ' + ', '.join(over)}")
    print(f"  writes ≥150/s: {writes:.1f}/s")
    print(f"  save p95 ≤300 ms: {ms(p95.get('save', float('nan')))} ms; budget table p95 ≤300 ms: "
          f"{ms(p95.get('budget', float('nan')))} ms; dashboard p95 ≤300 ms: {ms(p95.get('dashboard', float('nan')))}"
          f" ms; login p95 ≤1 s: {ms(p95.get('login', float('nan')))} ms")  # fmt: skip
    return 1 if problems or any(peak.errors.values()) or failed_processes else 0


if __name__ == "__main__":
    sys.exit(main())
