"""Benchmark: the project's own .xlsx reader (tambon/roster/xlsx.py) against python-calamine, on the same files.

    python bench/xlsx_readers.py [--scale small|full]

Issue #16 item 5 asks to prefer the kept Rust-backed reader over the hand-written XML parsing if it gives the same
results within the same limits. This measures both on a normal roster sheet (full: 60,000 rows; small: 3,000) and
on the hostile workbooks of tests/tambon/roster/hostile.py, each read in a child process of its own (time and peak
RSS, the child's VmHWM, and in brackets its growth over the child's start: Django's for ours), and compares the cells the two readers return for the normal sheet. calamine is given the
file as the import would (no limit of ours in front of it): what it does with a zip bomb or a million rows is what
replacing the reader would cost. Figures only; no database is needed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pbm.settings")

SCALES = {"full": 60_000, "small": 3_000}
CHILD_MEMORY_MB = 1_500  # a reader that goes past this is stopped (address-space limit), as a worker would be


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _normal(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_ours(path: str) -> list[list]:
    from tambon.roster import xlsx
    from tambon.roster.services.importer import workbook_limits

    rows = []
    for _number, values in xlsx.read_rows(path, workbook_limits()):
        width = max(values) + 1 if values else 0
        rows.append([_normal(values.get(i, "")) for i in range(width)])
    return rows


def read_calamine(path: str) -> list[list]:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
    rows = []
    for row in sheet.iter_rows():
        values = [_normal(v) for v in row]
        while values and values[-1] == "":
            values.pop()
        rows.append(values)
    return rows


def child(reader: str, path: str, dump: str | None) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_MB * 1_048_576, CHILD_MEMORY_MB * 1_048_576))
    if reader == "ours":  # Django and the reader's imports before the clock, as in a worker
        import django

        django.setup()
        from tambon.roster import xlsx  # noqa: F401
        from tambon.roster.services import importer  # noqa: F401
    floor = peak_mb()
    started = time.perf_counter()
    try:
        rows = (read_ours if reader == "ours" else read_calamine)(path)
        outcome = f"read {len(rows):,} rows"
        if dump:
            Path(dump).write_text(json.dumps([[str(v) for v in row] for row in rows if any(v != "" for v in row)]))
    except MemoryError:
        outcome = f"out of memory (> {CHILD_MEMORY_MB:,} MB)"
    except Exception as exc:  # noqa: BLE001 - a refusal is an outcome to print
        outcome = f"refused: {exc.__class__.__name__}: {str(exc)[:80]}"
    elapsed = time.perf_counter() - started
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb(), "floor_mb": floor, "outcome": outcome}))


def measure(reader: str, path: Path, dump: Path | None = None, timeout: float = 120) -> dict:
    command = [sys.executable, __file__, "--child", reader, str(path)] + ([str(dump)] if dump else [])
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": timeout, "peak_mb": float("nan"), "outcome": f"stopped after {timeout:.0f} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return {"seconds": float("nan"), "peak_mb": float("nan"),
                "outcome": f"crashed (exit {done.returncode}): {done.stderr.strip().splitlines()[-1:]}"}  # fmt: skip
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="full")
    args = parser.parse_args()
    import django

    django.setup()
    from tambon.roster.demo import national_id
    from tambon.roster.sheet import write_workbook
    from tests.tambon.roster import hostile

    types = ["ประชาชน", "บัณฑิตจบใหม่", "นักศึกษา"]
    rows = [{"national_id": national_id(50_000_000 + n), "first_name": f"ชื่อ{n}", "last_name": f"สกุล{n}",
             "hiring_type": types[n % 3], "tambon_code": f"{100101 + n // 20:06d}", "start_date": "01/01/2564",
             "graduated_on": "31/03/2563" if n % 3 == 1 else "", "status": "จ้างงาน", "phone": f"08{n:08d}",
             "monthly_wage": 9500} for n in range(SCALES[args.scale])]  # any number cell: no programme read  # fmt: skip
    files = {
        "normal sheet": write_workbook(rows, type_names=types),
        "zip bomb (200 MB of one row)": hostile.zip_bomb(),
        "a million rows": hostile.many_rows(),
        "20,000 columns": hostile.many_columns(),
        "lying zip sizes": hostile.lying_sizes(hostile.zip_bomb(150)),
        "XML entities": hostile.entity_expansion(),
    }
    with tempfile.TemporaryDirectory() as folder:
        results = {}
        for name, data in files.items():
            path = Path(folder) / (name.split(" ")[0] + ".xlsx")
            path.write_bytes(data)
            dumps = {r: Path(folder) / f"{r}.json" for r in ("ours", "calamine")} if name == "normal sheet" else {}
            results[name] = {r: measure(r, path, dumps.get(r)) for r in ("ours", "calamine")}
            line = f"{name:<30} {len(data) / 1_048_576:6.1f} MB"
            for reader, got in results[name].items():
                line += (f" | {reader}: {got['seconds']:6.2f}s {got['peak_mb']:6.0f} MB "
                         f"(+{got['peak_mb'] - got.get('floor_mb', 0):,.0f}) {got['outcome']}")  # fmt: skip
            print(line, flush=True)
            if dumps:
                same = json.loads(dumps["ours"].read_text()) == json.loads(dumps["calamine"].read_text())
                print(f"{'':<30} same cells from both readers: {'yes' if same else 'NO'}")
    normal = results["normal sheet"]
    print(f"normal sheet: calamine {normal['calamine']['seconds'] / normal['ours']['seconds']:.2f}x the time of ours, "
          f"{normal['calamine']['peak_mb'] / normal['ours']['peak_mb']:.2f}x its peak RSS; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    else:
        main()
