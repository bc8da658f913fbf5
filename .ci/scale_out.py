"""The HTTP side of .ci/scale-out: the same browser through two web processes (standard library only).

scale_out.py roster A B --manager U
    U exports the university's roster through A (a background job), follows its progress and downloads it through
    B and A (the same bytes); asks again through B (served from the file built before: nothing changed); uploads
    that file as a roster import through B, follows the preview's progress through A, confirms through A and sees
    it done through B.
scale_out.py notifications A B --user U [--min N]
    U's notification list is the same through A and B, with at least N notifications.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from journey import Failed, Forms, Person, export_file  # noqa: E402

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def through(person: Person, base: str) -> Person:
    """The same browser (cookies and all) talking to another web process."""
    other = copy.copy(person)
    other.base = base.rstrip("/")
    return other


def progress(person: Person, path: str, *, until, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        status, _headers, body = person.request(path)
        state = json.loads(body) if status == 200 else {"status": f"HTTP {status}"}
        if until(state):
            return state
        if time.monotonic() > deadline:
            raise Failed(f"{person.base}{path}: still {state} after {timeout:.0f} s")
        time.sleep(0.5)


def run_roster(args) -> None:
    a = Person(args.a, args.manager).login()
    b = through(a, args.b)
    university = re.search(r'href="/universities/(\d+)/', a.get("/"))
    if not university:
        raise Failed(f"{args.manager}'s home page links no university")
    export = f"/universities/{university.group(1)}/roster/export.xlsx"
    status, headers, _body = a.request(export)
    if status != 302:
        raise Failed(f"{export} through A answered {status}, not a redirect to its job")
    via_b = export_file(a, headers["Location"], via=b)
    via_a = export_file(a, headers["Location"])
    if via_a != via_b or via_a[:2] != b"PK":
        raise Failed("the export's file differs between the two web processes")
    status, headers, _body = b.request(export)
    job = headers.get("Location", "")
    if status != 302 or export_file(b, job) != via_a:
        raise Failed(f"asked again through B: {status} {job}")
    status, _headers, body = a.request(job.rstrip("/") + "/progress/")
    if not json.loads(body).get("reused"):
        raise Failed("the unchanged export was built again instead of served from the file built before")
    print(f"  export: started through A, polled and downloaded through B and A ({len(via_a):,} bytes, the same); "
          "asked again through B: served from the file built before")  # fmt: skip

    upload = f"/universities/{university.group(1)}/roster/"
    parser = Forms()
    parser.feed(b.get(upload))
    form = next(f for f in parser.forms if "file" in f.files)
    job = b.post(upload, form.fields, {"file": ("roster-export.xlsx", via_a, XLSX)})
    found = re.search(r"/roster/imports/(\d+)/", job)
    if not found:
        raise Failed(f"the upload through B sent to {job}")
    path = found.group(0)
    state = progress(a, path + "progress/", until=lambda s: not s.get("running", True))
    if state["status"] != "preview":
        raise Failed(f"the preview seen through A is {state}")
    parser = Forms()
    parser.feed(a.get(path))
    confirm = next((f for f in parser.forms if f.action and f.action.endswith("/confirm/")), None)
    if confirm is None:
        raise Failed(f"{path} through A offers no confirmation")
    a.post(confirm.action, confirm.fields)
    state = progress(b, path + "progress/", until=lambda s: not s.get("running", True))
    if state["status"] != "done":
        raise Failed(f"the import seen through B ended {state}")
    print(f"  import: uploaded through B, preview followed through A, confirmed through A, done through B ({path})")


def run_notifications(args) -> None:
    a = Person(args.a, args.user).login()
    b = through(a, args.b)
    pattern = re.compile(r'<li class="card[^"]*" data-id="(\d+)"')
    seen_a, seen_b = pattern.findall(a.get("/notifications/")), pattern.findall(b.get("/notifications/"))
    if seen_a != seen_b or len(seen_a) < args.min:
        raise Failed(f"{args.user}'s notifications: {len(seen_a)} through A, {len(seen_b)} through B (min {args.min})")
    print(f"  {args.user}: the same {len(seen_a)} notifications through A and B")


def main() -> int:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    sub = commands.add_parser("roster")
    sub.add_argument("a")
    sub.add_argument("b")
    sub.add_argument("--manager", required=True)
    sub = commands.add_parser("notifications")
    sub.add_argument("a")
    sub.add_argument("b")
    sub.add_argument("--user", required=True)
    sub.add_argument("--min", type=int, default=1)
    args = parser.parse_args()
    try:
        {"roster": run_roster, "notifications": run_notifications}[args.command](args)
    except Failed as exc:
        print(f"FAILED: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
