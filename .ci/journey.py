"""A person's journey over HTTP against the running production processes (gunicorn), standard library only, so
it needs nothing the development requirements bring. Exits non-zero on the first thing that is not as a person
would expect it. Called by .ci/processes:

  journey.py review   BASE --tambon T --year Y --month M --reporter U --reviewer R
      the reporter saves the month (actuals, narrative, an evidence image), submits it; the reviewer returns it
      with a reason; the reporter corrects and resubmits; the reviewer accepts. Prints the sum of the actuals filed.
  journey.py save     BASE --tambon T --year Y --month M --reporter U [--max-seconds S]
      the reporter saves the month once; the save must succeed (redirect, then "saved") within S seconds.
  journey.py extras   BASE --manager U
      what else production must serve from its runtime requirements: the OpenAPI schema, an .xlsx export, a PDF
      (the university's workbook and the certificates are built by the worker: their pages are polled, then read).
  journey.py health   BASE --status ok|error [--broker ok|error] [--pending N|--pending-min N] [--heartbeat]
                      [--timeout S]
      waits until /health/ says so (the worker and beat may take a while to reconnect).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zlib
from html.parser import HTMLParser

PASSWORD = "pbm-demo"  # noqa: S105 - the demo accounts' published password (README)


class Failed(Exception):
    pass


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # we look at each redirect ourselves


class Form:
    def __init__(self, form_id: str, action: str | None) -> None:
        self.id, self.action = form_id, action
        self.fields: dict[str, str] = {}
        self.buttons: list[tuple[str, str]] = []
        self.files: list[str] = []


class Forms(HTMLParser):
    """Every <form> of a page with its fields: inputs, textareas and selects with their values, buttons, files."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.current: Form | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.current = Form(a.get("id", ""), a.get("action"))
            self.forms.append(self.current)
        form = self.current
        if form is None or "name" not in a:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind == "file":
                form.files.append(a["name"])
            elif kind in ("submit", "button"):
                form.buttons.append((a["name"], a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields[a["name"]] = a.get("value", "on")
            else:
                form.fields[a["name"]] = a.get("value", "")
        elif tag == "button":
            form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a["name"]
            form.fields[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and ("selected" in a or self._select not in form.fields):
            form.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and self.current is not None:
            self.current.fields[self._textarea] += data


class Person:
    """One browser: its own cookies, CSRF token from the pages' forms, redirects looked at one by one."""

    def __init__(self, base: str, username: str) -> None:
        self.base, self.username = base.rstrip("/"), username
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )
        self.opener.addheaders = [("User-Agent", "pbm-ci-journey")]  # no language cookie: Thai, as people see it

    def request(self, path: str, data: bytes | None = None, content_type: str | None = None):
        url = path if path.startswith("http") else self.base + path
        req = urllib.request.Request(url, data=data)  # noqa: S310 - http(s) to the server under test
        if content_type:
            req.add_header("Content-Type", content_type)
        req.add_header("Referer", url)
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def get(self, path: str, expect: int = 200) -> str:
        status, headers, body = self.request(path)
        for _hop in range(5):  # a landing page may send the person on (home → their university)
            if status not in (301, 302) or expect in (301, 302):
                break
            path = urllib.parse.urlsplit(headers["Location"]).path
            status, headers, body = self.request(path)
        if status != expect:
            raise Failed(f"{self.username}: GET {path} answered {status}, expected {expect}\n{_excerpt(body)}")
        return body.decode("utf-8", "replace")

    def form(self, path: str, form_id: str | None = None, having: str | None = None) -> Form:
        """The page's form with this id, or the first one with a field named `having`."""
        parser = Forms()
        parser.feed(self.get(path))
        for form in parser.forms:
            if (form_id is None or form.id == form_id) and (having is None or having in form.fields):
                return form
        raise Failed(f"{self.username}: {path} has no form {form_id or ''}{having or ''}")

    def post(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes, str]] | None = None) -> str:
        """POST like a browser; the answer must be a redirect (Django's "saved, go on" pattern): its target."""
        if files:
            data, content_type = _multipart(fields, files)
        else:
            data, content_type = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        status, headers, body = self.request(path, data, content_type)
        if status != 302:
            raise Failed(f"{self.username}: POST {path} answered {status}, expected a redirect\n{_excerpt(body)}")
        return headers["Location"]

    def login(self) -> Person:
        form = self.form("/login/", having="password")
        target = self.post("/login/", form.fields | {"username": self.username, "password": PASSWORD})
        if "/login/" in target:
            raise Failed(f"{self.username}: login refused (sent to {target})")
        return self


def _excerpt(body: bytes) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode("utf-8", "replace")))
    errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', body.decode("utf-8", "replace"), re.S)
    return ("form errors: " + " | ".join(re.sub(r"<[^>]+>", " ", e) for e in errors)) if errors else text[:600]


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, kind) in files.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        parts.append(f"{head}Content-Type: {kind}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _png() -> bytes:
    """A 1×1 PNG: evidence as a phone camera would send it, only smaller."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\xff\x80\0"))
        + chunk(b"IEND", b"")
    )


def _status(page: str) -> str:
    found = re.search(r'<strong class="status">(.*?)</strong>', page, re.S)
    return found.group(1).strip() if found else "?"


def _follow(person: Person, target: str) -> tuple[str, str]:
    """The page a redirect leads to, and its success message (in Thai, as the person reads it); an error message,
    or none at all, fails."""
    page = person.get(urllib.parse.urlsplit(target).path)
    success = re.findall(r'<li class="success">(.*?)</li>', page, re.S)
    errors = re.findall(r'<li class="error">(.*?)</li>', page, re.S)
    if errors or not success:
        raise Failed(f"{person.username}: after the redirect the page says {errors or 'nothing'}, not a success")
    return page, success[0].strip()


def report_save(person: Person, path: str, *, narrative: str, amount: str, submit: bool, evidence: bool) -> float:
    """Fill every editable actual with `amount`; returns the sum filed."""
    form = person.form(path, "report-form")
    actuals = [name for name in form.fields if name.startswith("actual_")]
    if not actuals:
        raise Failed(f"{person.username}: {path} offers no actual to fill (no budget plan, or locked)")
    fields = form.fields | {name: amount for name in actuals}
    fields |= {"narrative": narrative, "over_budget_explanation": "CI: demo amounts may exceed the demo plan."}
    fields["submit" if submit else "save"] = "1"
    files = {"evidence": ("receipt.png", _png(), "image/png")} if evidence and "evidence" in form.files else None
    target = person.post(path, fields, files)
    _page, message = _follow(person, target)
    print(f"  {person.username}: {message}")
    return float(amount) * len(actuals)


def review(person: Person, path: str, action: str, reason: str = "") -> None:
    form = person.form(path, "review-form")
    if (action_button := ("action", action)) not in form.buttons:
        raise Failed(f"{person.username}: the review form on {path} offers no {action!r}")
    target = person.post(form.action or path, form.fields | {"reason": reason, action_button[0]: action})
    _page, message = _follow(person, target)
    print(f"  {person.username} {action}: {message}")


def run_review(args) -> None:
    path = f"/tambons/{args.tambon}/reports/{args.year}/{args.month}/"
    reporter = Person(args.base, args.reporter).login()
    reviewer = Person(args.base, args.reviewer).login()
    filed = report_save(reporter, path, narrative="CI journey: first draft", amount="1200.00", submit=False,
                        evidence=True)  # fmt: skip
    page = reporter.get(path)
    if "receipt.png" not in page:
        raise Failed("the evidence file saved with the draft is not listed on the report page")
    print(f"  {args.reporter} saved {path} (status {_status(page)!r})")
    report_save(reporter, path, narrative="CI journey: progress this month", amount="1200.00", submit=True,
                evidence=False)  # fmt: skip
    print(f"  {args.reporter} submitted")
    if reviewer.get("/reviews/").find(path) < 0:
        raise Failed(f"{args.reviewer}'s review list does not show the submitted month {path}")
    review(reviewer, path, "return", reason="CI: please attach the receipt for the second line")
    filed = report_save(reporter, path, narrative="CI journey: corrected as asked", amount="1250.00", submit=True,
                        evidence=False)  # fmt: skip
    print(f"  {args.reporter} corrected and resubmitted")
    review(reviewer, path, "accept")
    if _status(reporter.get(path)) != _status(reviewer.get(path)):
        raise Failed("the reporter and the reviewer see different statuses")
    print(f"filed={filed:.2f}")


def run_save(args) -> None:
    path = f"/tambons/{args.tambon}/reports/{args.year}/{args.month}/"
    reporter = Person(args.base, args.reporter).login()
    started = time.monotonic()
    filed = report_save(reporter, path, narrative="CI journey: saved while the broker is down", amount="900.00",
                        submit=False, evidence=False)  # fmt: skip
    took = time.monotonic() - started
    print(f"  {args.reporter} saved {path} in {took:.1f}s")
    if took > args.max_seconds:
        raise Failed(f"the save took {took:.1f}s; a broker outage must not hold a request above {args.max_seconds}s")
    print(f"filed={filed:.2f}")


def run_extras(args) -> None:
    manager = Person(args.base, args.manager).login()
    status, headers, body = manager.request("/api/schema/")
    if status != 200 or b"openapi" not in body[:200]:
        raise Failed(f"/api/schema/ answered {status} {headers.get('Content-Type')}")
    home = manager.get("/")
    manager.get("/dashboard/")  # their university's dashboard (read from DATABASE_REPLICA_URL's copy when set)
    university = re.search(r'href="/universities/(\d+)/', home)
    tambon = re.search(r'href="/tambons/(\d+)/', home)
    if not university or not tambon:
        raise Failed(f"{args.manager}'s home page links no university or tambon")
    status, headers, body = manager.request(f"/tambons/{tambon.group(1)}/budget.xlsx")
    if status != 200 or body[:2] != b"PK":
        raise Failed(f"budget.xlsx answered {status} {headers.get('Content-Type')}")
    status, headers, _body = manager.request(f"/universities/{university.group(1)}/budget.xlsx")
    if status != 302 or export_file(manager, headers["Location"])[:2] != b"PK":
        raise Failed(f"the university's budget.xlsx job answered {status}")
    path = f"/universities/{university.group(1)}/roster/certificates/"
    form = manager.form(path, having="csrfmiddlewaretoken")
    job = manager.post(path, {"csrfmiddlewaretoken": form.fields["csrfmiddlewaretoken"],
                              "contract": _first_contract(manager, path)})  # fmt: skip
    body = export_file(manager, job)
    if body[:5] != b"%PDF-":
        raise Failed(f"the certificate PDF job gave {_excerpt(body)}")
    print(f"  OpenAPI schema, a dashboard, budget .xlsx and a certificate PDF ({len(body):,} bytes) served by gunicorn")


def export_file(person: Person, job: str, *, timeout: float = 120.0, via: Person | None = None) -> bytes:
    """A background export (pbm/jobs.py) as its page offers it: poll its progress until it is ready, download.
    `job` is the job page the export's link redirected to; `via` polls and downloads through another web process
    (the same browser's cookies on another port)."""
    reader = via or person
    path = urllib.parse.urlsplit(job).path
    if not re.fullmatch(r"/exports/\d+/", path):
        raise Failed(f"{person.username}: the export sent to {job}, not to a job's page")
    deadline = time.monotonic() + timeout
    while True:
        status, _headers, body = reader.request(path + "progress/")
        state = json.loads(body) if status == 200 else {"status": f"HTTP {status}"}
        if state.get("status") == "done":
            break
        if state.get("status") == "failed" or time.monotonic() > deadline:
            raise Failed(f"{reader.username}: export {path} is {state}")
        time.sleep(0.5)
    status, headers, body = reader.request(path + "download/")
    if status != 200:
        raise Failed(f"{reader.username}: {path}download/ answered {status}")
    return body


def _first_contract(person: Person, path: str) -> str:
    found = re.search(r'name="contract" value="(\d+)"', person.get(path))
    if not found:
        raise Failed(f"{path}: no one is eligible for a certificate in the demo data")
    return found.group(1)


def run_health(args) -> None:
    deadline = time.monotonic() + args.timeout
    while True:
        try:
            with urllib.request.urlopen(args.base.rstrip("/") + "/health/", timeout=10) as response:  # noqa: S310
                body = json.loads(response.read())
        except urllib.error.HTTPError as error:
            body = json.loads(error.read())
        except OSError as error:
            body = {"status": f"unreachable: {error}"}
        ok = body.get("status") == args.status
        if args.broker:
            ok = ok and body.get("checks", {}).get("broker", "").startswith(args.broker)
        if args.pending is not None:
            ok = ok and body.get("pending_followups") == args.pending
        if args.pending_min is not None:
            ok = ok and (body.get("pending_followups") or 0) >= args.pending_min
        if args.heartbeat:
            ok = ok and body.get("last_worker_heartbeat") is not None
        if ok:
            print(f"  /health/: {json.dumps(body)}")
            return
        if time.monotonic() > deadline:
            raise Failed(f"/health/ did not become as expected within {args.timeout}s; last: {json.dumps(body)}")
        time.sleep(1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("review", "save"):
        sub = commands.add_parser(name)
        sub.add_argument("base")
        sub.add_argument("--tambon", type=int, required=True)
        sub.add_argument("--year", type=int, required=True)
        sub.add_argument("--month", type=int, required=True)
        sub.add_argument("--reporter", required=True)
        if name == "review":
            sub.add_argument("--reviewer", required=True)
        else:
            sub.add_argument("--max-seconds", type=float, default=10.0)
    sub = commands.add_parser("extras")
    sub.add_argument("base")
    sub.add_argument("--manager", required=True)
    sub = commands.add_parser("health")
    sub.add_argument("base")
    sub.add_argument("--status", required=True)
    sub.add_argument("--broker")
    sub.add_argument("--pending", type=int)
    sub.add_argument("--pending-min", type=int)
    sub.add_argument("--heartbeat", action="store_true", help="a worker has recorded a heartbeat")
    sub.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    runner = {"review": run_review, "save": run_save, "extras": run_extras, "health": run_health}[args.command]
    try:
        runner(args)
    except Failed as failure:
        print(f"JOURNEY FAILED: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
