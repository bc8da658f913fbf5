"""The Content-Security-Policy: every page kind sends it, and no page or template has inline script to refuse."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting import services
from reporting.models import Activity
from tambon.models import Tambon
from tests.reporting.helpers import seed

ROOT = Path(__file__).resolve().parents[2]
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)


class ScriptFinder(HTMLParser):
    """Inline executable scripts (a <script> without src whose type is JavaScript) and on*="…" handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts: list[str] = []
        self.handlers: list[str] = []
        self._in_inline = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.handlers += [f"<{tag} {name}>" for name in attributes if name.startswith("on")]
        if tag == "script" and "src" not in attributes:
            kind = (attributes.get("type") or "text/javascript").lower()
            self._in_inline = kind in ("text/javascript", "module", "application/javascript")

    def handle_data(self, data):
        if self._in_inline and data.strip():
            self.inline_scripts.append(data.strip()[:80])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline = False


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def page_urls(world) -> list[tuple[str, str]]:
    t, u, n = world.tambon_a.pk, world.university_a.pk, world.tambon_a.network_id
    activity = Activity.objects.filter(tambon=world.tambon_a).first()
    pages = [
        "/", "/networks/", f"/networks/{n}/", f"/universities/{u}/", "/tambons/", f"/tambons/{t}/",
        f"/tambons/{t}/team/", f"/universities/{u}/roster/", f"/universities/{u}/roster/certificates/",
        f"/tambons/{world.tambon_a2.pk}/reports/2021/12/",
        f"/tambons/{t}/budget/", f"/tambons/{t}/budget/activities/new/", f"/tambons/{t}/reports/2021/1/",
        f"/tambons/{t}/reports/2021/3/", "/reviews/", "/completion-reports/", "/mou/", "/instalments/",
        f"/mou/6m/university/{u}/", "/assessment/classes/", f"/assessment/tambons/{t}/",
        f"/assessment/tambons/{t}/quarters/2021-Q1/", f"/assessment/universities/{u}/quarters/2021-Q1/",
        f"/assessment/networks/{n}/quarters/2021-Q1/", "/dashboard/", f"/dashboard/networks/{n}/",
        f"/dashboard/networks/{n}/universities/{u}/", f"/dashboard/networks/{n}/tambons/{t}/", "/notifications/",
        "/admin/", "/admin/tambon/user/", f"/admin/tambon/user/{world.alice.pk}/change/", "/admin/tambon/tambon/",
        "/admin/tambon/tambon/import/", "/api/docs/", "/api/v1/tambons/",
    ]  # fmt: skip
    if activity is not None:
        pages.append(f"/activities/{activity.pk}/completion/")
    return [("nina", url) for url in pages] + [("alice", url) for url in pages[:12]]


@pytest.fixture
def seeded_world(world):
    world.nina.is_staff = world.nina.is_superuser = True
    world.nina.save()
    seed(world.programme, list(Tambon.objects.with_place()))
    # a draft with evidence, so the page shows the file's "remove" form (it once had an inline onsubmit)
    services.monthly_report_save(
        tambon=world.tambon_a2, year=2021, month=12, user=world.alice, seen_version=None,
        actuals={}, over_budget_explanation="demo figures", files=[SimpleUploadedFile("ภาพ.pdf", b"%PDF-1.4\n%%EOF\n")],
    )  # fmt: skip
    return world


def test_every_page_kind_sends_the_policy_and_has_no_inline_script(seeded_world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = seeded_world
    clients = {"nina": client_for(world.nina), "alice": client_for(world.alice)}
    checked, problems = 0, []
    for who, url in page_urls(world):
        response = clients[who].get(url, HTTP_ACCEPT="text/html", follow=True)
        if response.status_code in (403, 404) and who == "alice":
            continue
        assert response.status_code == 200, (who, url, response.status_code)
        directives = policy(response)
        assert directives.get("script-src") == ["'self'"], (url, directives)
        assert directives.get("object-src") == ["'none'"] and directives.get("frame-ancestors") == ["'none'"]
        assert directives.get("base-uri") == ["'self'"] and directives.get("form-action") == ["'self'"]
        assert directives.get("style-src") == ["'self'"]
        finder = ScriptFinder()
        finder.feed(response.content.decode())
        if finder.inline_scripts or finder.handlers:
            problems.append((url, finder.inline_scripts, finder.handlers))
        checked += 1
    assert not problems, problems
    assert checked >= 40


@pytest.mark.parametrize("url", ["/login/", "/health/", "/no-such-page/"])
def test_anonymous_pages_send_the_policy(db, client, url):
    assert policy(client.get(url)).get("script-src") == ["'self'"]


def test_locked_out_and_refused_upload_pages_send_the_policy(world, client):
    for _ in range(5):
        locked = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert locked.status_code == 429 and policy(locked).get("script-src") == ["'self'"]
    refused = client.generic("POST", "/login/", CONTENT_TYPE="text/plain", CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert refused.status_code == 413 and policy(refused).get("script-src") == ["'self'"]


def test_no_template_has_inline_script_or_handlers():
    offenders = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            if "application/json" not in match.group(0):
                offenders.append(f"{template.relative_to(ROOT)}: {match.group(0)}")
        offenders += [f"{template.relative_to(ROOT)}: {m.group(0)}" for m in INLINE_HANDLER.finditer(text)]
        if "<style" in text:
            offenders.append(f"{template.relative_to(ROOT)}: <style>")
    assert not offenders, offenders
