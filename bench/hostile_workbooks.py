"""Benchmark: what hostile roster workbooks cost, against a normal national sheet measured in the same run.

    DATABASE_URL=… python bench/hostile_workbooks.py [--scale small|full]

Builds the files of tests/tambon/roster/hostile.py (zip bomb, 100,000-character name, 20,000 columns, 50
sheets, a million rows, lying zip sizes, XML entities, a lying <dimension>), a normal sheet written by the
template writer (full: 60,000 valid rows; small: 3,000) and the same sheet padded to just inside the unpacked-size
limit. Each file is imported with `roster_import(dry_run=True)` — reading, limits, row checks, comparison with
the database; nothing is written — in a child process of its own, so each peak RSS (the child's VmHWM) is that
file's alone. Prints, per file: its size, what happened (rows read, row errors, or the refusal), the time and the
peak RSS, each as a ratio to the normal sheet; and the child's RSS after Django starts, the floor under every
figure. Figures only, no assertion: the target (peak RSS under 400 MB for any file) is reported as met or not.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pbm.settings")

import django  # noqa: E402

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402

TARGET_MB = 400
SCALES = {"full": ("national", 60_000), "small": ("small", 3_000)}


def peak_mb() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork and exec, so a child
    would report the parent's peak (the parent builds the hostile files in memory)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def child(path: str) -> None:
    """Runs in the child: import one file (dry run) and print what it cost as JSON."""
    from django.utils import translation

    from tambon.roster.services import roster_import

    translation.activate("en")
    started_mb = peak_mb()
    started = time.perf_counter()
    try:
        result = roster_import(file=path, name=Path(path).name, dry_run=True)
        outcome = f"read {result.rows_total:,} rows, {len(result.errors):,} row errors"
    except ValidationError as exc:
        outcome = "refused: " + " ".join(exc.messages)
    elapsed = time.perf_counter() - started
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb(), "django_mb": started_mb, "outcome": outcome}))


def measure(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(path)], capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def valid_rows(count: int) -> list[dict]:
    sys.path.insert(0, str(ROOT / "bench"))
    from roster_import import build_rows

    from tambon.models import Programme

    return build_rows(Programme.current(), count)


def normal_sheet(rows: list[dict]) -> bytes:
    from tambon.models import HiringType, Programme
    from tambon.roster.sheet import write_workbook

    names = list(HiringType.objects.filter(programme=Programme.current()).values_list("name_th", flat=True))
    return write_workbook(rows, type_names=names)


def padded_sheet(rows: list[dict], unpacked: int) -> bytes:
    """The same valid rows, each with a note in an extra column, so the sheet unpacks to about `unpacked` bytes."""
    from tambon.roster.sheet import COLUMNS
    from tests.tambon.roster import hostile

    base = sum(len(hostile.row_xml(3, [r.get(c.key, "") for c in COLUMNS]).encode()) for r in rows[:100]) / 100
    filler = "x" * min(30_000, max(0, int(unpacked / len(rows) - base - 40)))
    return hostile.workbook(hostile.sheet_rows([*(r.get(c.key, "") for c in COLUMNS), filler] for r in rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="full")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return

    from django.core.management import call_command

    from tambon import demo as hierarchy_demo
    from tambon.models import Programme, Tambon
    from tambon.roster.services.importer import workbook_limits
    from tests.tambon.roster import hostile

    demo_scale, count = SCALES[args.scale]
    call_command("migrate", verbosity=0)
    if Tambon.objects.filter(programme=Programme.current()).count() * 20 < count:
        print(f"creating the {demo_scale} demo hierarchy …", flush=True)
        hierarchy_demo.seed(scale=demo_scale)
    bomb = hostile.zip_bomb(200)
    rows = valid_rows(count)
    limit = workbook_limits().uncompressed
    files = {
        f"normal sheet, {count:,} people (baseline)": lambda: normal_sheet(rows),
        "zip bomb: 200 MB of repeated rows": lambda: bomb,
        "zip bomb whose directory says 1,000 bytes": lambda: hostile.lying_sizes(bomb),
        "a 100,000-character name": hostile.long_name,
        "20,000 columns": hostile.many_columns,
        "50 sheets": hostile.many_sheets,
        "1,000,000 rows of people": hostile.many_rows,
        "1,000,000 rows of one number": hostile.tiny_rows,
        "a <dimension> of 1,048,576 rows": hostile.lying_dimension,
        "entities (billion laughs) in workbook.xml": hostile.entity_expansion,
        f"the normal sheet padded to {0.95 * limit / 1_048_576:.0f} MB unpacked (inside the limit)": lambda: (
            padded_sheet(rows, int(0.95 * limit))
        ),
    }
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for label, build in files.items():
            started = time.perf_counter()
            path = Path(folder) / "roster.xlsx"
            path.write_bytes(build())
            built = time.perf_counter() - started
            figures = measure(path)
            results.append((label, path.stat().st_size, figures))
            print(f"… {label}: built in {built:.1f}s, measured", flush=True)
    base = results[0][2]
    print(f"\nchild process after Django starts: {base['django_mb']:,.0f} MB RSS (under every figure below)\n")
    print(f"{'file':<66} {'size':>9} {'time':>8} {'×':>6} {'peak RSS':>9} {'×':>5}  outcome")
    for label, size, f in results:
        print(f"{label:<66} {size / 1024:>7,.0f}KB {f['seconds']:>7.2f}s {f['seconds'] / base['seconds']:>6.2f} "
              f"{f['peak_mb']:>7,.0f}MB {f['peak_mb'] / base['peak_mb']:>5.2f}  {f['outcome'][:110]}")  # fmt: skip
    worst = max(f["peak_mb"] for _label, _size, f in results)
    print(f"\ntarget: peak RSS under {TARGET_MB} MB for every file: {'met' if worst < TARGET_MB else 'NOT met'} "
          f"(worst {worst:,.0f} MB); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")  # fmt: skip


if __name__ == "__main__":
    main()
