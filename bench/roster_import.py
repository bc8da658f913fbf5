"""Benchmark: import a valid 60,000-row hiring sheet (small: ~3,000) into PostgreSQL.

    DATABASE_URL=postgres://… python bench/roster_import.py [--scale small|full]

Prints rows/s and peak memory of `roster_import` (streaming read of the .xlsx XML → set-based checks → COPY
of the new rows in one transaction), and two ratios measured in the same run on the same rows:
- against django-import-export's default row-by-row import (ModelResource, no bulk mode) of the same people
  and contracts; at full size it is measured on a subset and extrapolated linearly (said in the output);
- against a plain PostgreSQL COPY of the same rows into the same tables (the floor);
and the person's whole wait through the upload page's job, upload → preview → confirm → written (the workbook
read once: the confirmation writes the rows the preview checked), as a ratio to that COPY.
Every measurement runs inside a savepoint that is rolled back, so the database is left as it was. The demo
hierarchy (tambons) is created first if the database has too few tambons.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pbm.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from tambon import demo as hierarchy_demo  # noqa: E402
from tambon.models import HiringType, Programme, Tambon  # noqa: E402
from tambon.roster.demo import national_id  # noqa: E402
from tambon.roster.models import Certificate, Contract, Person, WagePayment  # noqa: E402
from tambon.roster.services import importer  # noqa: E402
from tambon.roster.sheet import parse_date, write_workbook  # noqa: E402

SCALES = {"full": ("national", 60_000, 1_000), "small": ("small", 3_000, 300)}
BENCH_ID_OFFSET = 50_000_000  # people distinct from the demo roster
NULL = r"\N"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Rollback(Exception):
    pass


def in_savepoint(work):
    """Run work() in a transaction that is always rolled back; return its result."""
    out = {}
    try:
        with transaction.atomic():
            out["value"] = work()
            raise Rollback
    except Rollback:
        pass
    return out["value"]


def build_rows(programme: Programme, count: int) -> list[dict]:
    types = list(HiringType.objects.filter(programme=programme).order_by("position"))
    codes = list(Tambon.objects.filter(programme=programme).order_by("id").values_list("subdistrict_id", flat=True))
    rows, n = [], 0
    for code in codes:
        for hiring_type in types:
            for _ in range(hiring_type.quota_per_tambon):
                n += 1
                rows.append({
                    "national_id": national_id(BENCH_ID_OFFSET + n), "first_name": f"ชื่อ{n}", "last_name": f"สกุล{n}",
                    "hiring_type": hiring_type.name_th, "tambon_code": code, "start_date": "01/01/2564",
                    "graduated_on": "31/03/2563" if hiring_type.code == "graduate" else "", "status": "จ้างงาน",
                    "phone": f"08{n:08d}",
                })  # fmt: skip
                if n == count:
                    return rows
    return rows


def clear_contracts() -> None:
    """Every contract, with the records the database keeps a contract for (its wage payments, its certificate)."""
    WagePayment.objects.all().delete()
    Certificate.objects.all().delete()
    Contract.objects.all().delete()


def measure_ours(path: Path) -> tuple[float, float, float, int]:
    def work():
        # The sheet fills every tambon's quota; people hired by an earlier demo seed (bench/dashboards.py seeds one
        # into the same database) would make every row break it. Removed inside the savepoint, before the timer.
        clear_contracts()
        # roster_import is exactly these two calls; timed apart to show where the time goes.
        started = time.perf_counter()
        sheet = importer.roster_read(file=path, name=path.name)
        read = time.perf_counter()
        result = importer.roster_import_sheet(sheet=sheet)
        done = time.perf_counter()
        assert not result.errors, result.errors[:3]
        assert result.written
        return done - started, read - started, done - read, result.new

    return in_savepoint(work)


def measure_journey(path: Path) -> tuple[float, float, float]:
    """What a person waits for, through the upload page's job: upload (stored), preview (read once, checked, the
    checked rows kept), confirm (those rows written). Returns (total, preview, confirm) seconds."""
    from django.core.files.base import ContentFile

    from tambon.models import User
    from tambon.roster.models import ImportStatus, RosterImport
    from tambon.roster.services.jobs import roster_import_run

    def work():
        clear_contracts()
        user = User.objects.create(username="bench-roster-journey")
        started = time.perf_counter()
        job = RosterImport.objects.create(file=ContentFile(path.read_bytes(), name=path.name),
                                          original_name=path.name, created_by=user)  # fmt: skip
        job = roster_import_run(roster_import=job, confirm=False)
        checked = time.perf_counter()
        assert job.status == ImportStatus.PREVIEW, job.message
        RosterImport.objects.filter(pk=job.pk).update(status=ImportStatus.WRITING)  # what the confirm button does
        job = roster_import_run(roster_import=job, confirm=True)
        done = time.perf_counter()
        assert job.status == ImportStatus.DONE, job.message
        job.file.delete(save=False)
        return done - started, checked - started, done - checked

    return in_savepoint(work)


def measure_copy(rows: list[dict], programme: Programme) -> float:
    types = dict(HiringType.objects.filter(programme=programme).values_list("name_th", "id"))
    tambons = dict(Tambon.objects.filter(programme=programme).values_list("subdistrict_id", "id"))

    def work():
        started = time.perf_counter()
        people = io.StringIO()
        for r in rows:
            grad = parse_date(r["graduated_on"])
            people.write(
                f"{r['national_id']}\t{r['first_name']}\t{r['last_name']}\t{r['phone']}\t{grad.value if grad else NULL}\n"
            )
        people.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {Person._meta.db_table} (national_id, first_name, last_name, phone, graduated_on) FROM STDIN",
                people,
            )
            cursor.execute(f"SELECT national_id, id FROM {Person._meta.db_table} WHERE national_id >= %s", ["1"])
            ids = dict(cursor.fetchall())
            contracts = io.StringIO()
            for r in rows:
                start = parse_date(r["start_date"]).value
                contracts.write(
                    f"{ids[r['national_id']]}\t{tambons[r['tambon_code']]}\t{types[r['hiring_type']]}\tactive\t{start}\t"
                    "tambon\t\tf\tf\t\tnow\tnow\n"
                )
            contracts.seek(0)
            cursor.cursor.copy_expert(
                f"COPY {Contract._meta.db_table} (person_id, tambon_id, hiring_type_id, status, start_date, track, "
                "user_agency, nda_required, short_notice, leave_reason, created_at, updated_at) FROM STDIN",
                contracts,
            )
        return time.perf_counter() - started

    return in_savepoint(work)


def measure_import_export(rows: list[dict], programme: Programme) -> float:
    """django-import-export's default mode: one row at a time (instance lookup, full_clean, save) per model."""
    import tablib
    from import_export import fields, resources, widgets

    class PersonResource(resources.ModelResource):
        class Meta:
            model = Person
            fields = ("national_id", "first_name", "last_name", "phone", "graduated_on")
            import_id_fields = ("national_id",)

    class ContractResource(resources.ModelResource):
        person = fields.Field("person", "person", widgets.ForeignKeyWidget(Person, "national_id"))
        tambon = fields.Field("tambon", "tambon", widgets.ForeignKeyWidget(Tambon, "subdistrict_id"))
        hiring_type = fields.Field(
            "hiring_type", "hiring_type",
            widgets.ForeignKeyWidget(HiringType, "name_th"),
        )  # fmt: skip

        class Meta:
            model = Contract
            fields = ("person", "tambon", "hiring_type", "status", "start_date")
            import_id_fields = ("person", "tambon")

    def dates(r):
        grad = parse_date(r["graduated_on"])
        return grad.value.isoformat() if grad else None, parse_date(r["start_date"]).value.isoformat()

    people = tablib.Dataset(headers=["national_id", "first_name", "last_name", "phone", "graduated_on"])
    contracts = tablib.Dataset(headers=["person", "tambon", "hiring_type", "status", "start_date"])
    for r in rows:
        grad, start = dates(r)
        people.append([r["national_id"], r["first_name"], r["last_name"], r["phone"], grad])
        contracts.append([r["national_id"], r["tambon_code"], r["hiring_type"], "active", start])

    def work():
        started = time.perf_counter()
        for resource_class, dataset in ((PersonResource, people), (ContractResource, contracts)):
            result = resource_class().import_data(dataset, dry_run=False, raise_errors=True)
            assert not result.has_errors() and not result.has_validation_errors()
        return time.perf_counter() - started

    return in_savepoint(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="full")
    args = parser.parse_args()
    demo_scale, count, baseline_count = SCALES[args.scale]
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the benchmark uses COPY).")
    call_command("migrate", verbosity=0)  # a new, empty database is fine
    programme = Programme.current()
    if Tambon.objects.filter(programme=programme).count() * 20 < count:
        print(f"creating the {demo_scale} demo hierarchy …", flush=True)
        hierarchy_demo.seed(scale=demo_scale)
    rows = build_rows(programme, count)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.xlsx"
        path.write_bytes(
            write_workbook(
                rows, type_names=list(HiringType.objects.filter(programme=programme).values_list("name_th", flat=True))
            )
        )
        print(
            f"sheet: {len(rows):,} rows, {path.stat().st_size / 1_048_576:.1f} MB, built in {time.perf_counter() - started:.1f}s"
        )
        before = peak_mb()
        ours, read_s, db_s, written = measure_ours(path)
        after = peak_mb()
        journey, preview_s, confirm_s = measure_journey(path)
    copy_s = measure_copy(rows, programme)
    subset = rows[: min(baseline_count, len(rows))]
    baseline_s = measure_import_export(subset, programme)
    baseline_full = baseline_s * len(rows) / len(subset)
    extrapolated = len(subset) < len(rows)
    print(f"roster_import: {written:,} rows in {ours:.2f}s = {written / ours:,.0f} rows/s end to end; "
          f"reading the .xlsx {read_s:.2f}s, checks + writes {db_s:.2f}s; "
          f"peak RSS {after:,.0f} MB (before import {before:,.0f} MB)")  # fmt: skip
    print(f"django-import-export default (row by row): {len(subset):,} rows in {baseline_s:.2f}s = "
          f"{len(subset) / baseline_s:,.0f} rows/s"
          + (f"; extrapolated to {len(rows):,} rows: {baseline_full:,.0f}s" if extrapolated else ""))  # fmt: skip
    print(f"PostgreSQL COPY (floor): {len(rows):,} rows in {copy_s:.2f}s = {len(rows) / copy_s:,.0f} rows/s")
    print(f"ratio: {baseline_full / ours:.1f}x faster than row-by-row{' (extrapolated baseline)' if extrapolated else ''}; "
          f"{ours / copy_s:.1f}x the time of COPY end to end, {db_s / copy_s:.1f}x for checks + writes "
          "(COPY starts from rows already in memory)")  # fmt: skip
    print(f"upload → preview → confirm → written (the page's job): {journey:.2f}s = {journey / copy_s:.1f}x COPY "
          f"(preview: read once + checks {preview_s:.2f}s; confirm: the kept rows written {confirm_s:.2f}s = "
          f"{confirm_s / copy_s:.1f}x COPY)")  # fmt: skip
    targets = {
        "≥ 20x row-by-row": baseline_full / ours >= 20,
        "≤ 5x COPY": ours / copy_s <= 5,
        "journey ≤ 2x COPY": journey / copy_s <= 2,
        "< 1 GB": after < 1024,
    }
    print("targets: " + ", ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in targets.items())
          + f"; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")  # fmt: skip


if __name__ == "__main__":
    main()
