#!/usr/bin/env python3
"""File one month of a tambon through the PBM tracker API with a client key — a starting point for a university's
finance system. Standard library only.

    PBM_URL=https://pbm.example PBM_KEY=pbmc_… python docs/api_client_example.py TAMBON_ID 2021 3

It reads the month (its lines and version), writes each line's actual from ACTUALS below (by line code), saves
and submits in one step with an Idempotency-Key, so a retry after a lost answer files the month once. A refusal
comes back as JSON naming the field and the rule; the script prints it and stops (nothing was written).
Make the key on the tracker's "API clients" page (a university manager; may: "file for the chosen tambons")."""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
import uuid

BASE = os.environ.get("PBM_URL", "http://127.0.0.1:8000").rstrip("/")
if not BASE.startswith(("https://", "http://")):
    raise SystemExit("PBM_URL must be the tracker's http(s) address")
KEY = os.environ["PBM_KEY"]
LANGUAGE = os.environ.get("PBM_LANGUAGE", "th")  # errors in Thai unless you ask for "en"

# What the finance system spent this month, by budget line code (hiring lines 1.x come from the roster).
ACTUALS = {"2.1": "30000.00", "2.2": "12000.00"}
NARRATIVE = "ความก้าวหน้าประจำเดือน: จัดอบรมและตลาดชุมชนตามแผน"


def call(method: str, path: str, body: dict | None = None, idempotency_key: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {KEY}", "Accept": "application/json", "Accept-Language": LANGUAGE}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    request = urllib.request.Request(BASE + path, data=data, headers=headers, method=method)  # noqa: S310 - http(s) only
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - the tracker's own URL
            return json.load(response)
    except urllib.error.HTTPError as error:
        problem = json.load(error)
        print(f"{method} {path}: {error.code}", file=sys.stderr)
        for item in problem.get("errors", [{"field": "", "rule": "", "message": problem.get("detail", "")}]):
            print(f"  {item['field']} [{item['rule']}]: {item['message']}", file=sys.stderr)
        if error.code == 429:
            print(f"  rate limit: retry after {error.headers.get('Retry-After')} s", file=sys.stderr)
        raise SystemExit(1) from None


def main(tambon_id: int, year: int, month: int) -> None:
    report = call("GET", f"/api/v1/tambons/{tambon_id}/reports/{year}/{month}/")
    print(f"month {year}-{month:02d}: {report['status']}, version {report['version']}")
    line_ids = {line["code"]: line["line_id"] for line in report["lines"]}
    actuals = {str(line_ids[code]): amount for code, amount in ACTUALS.items() if code in line_ids}
    # one key per intended write: keep it with the month in your own system and reuse it when you retry
    key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{BASE}/{tambon_id}/{year}/{month}/v{report['version']}"))
    filed = call(
        "POST", f"/api/v1/tambons/{tambon_id}/reports/{year}/{month}/file/",
        {"version": report["version"], "actuals": actuals, "narrative": NARRATIVE, "submit": True},
        idempotency_key=key,
    )  # fmt: skip
    print(f"filed: {filed['status']}, version {filed['version']}, late: {filed['is_late']}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
