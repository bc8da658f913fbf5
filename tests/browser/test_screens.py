"""Every page kind, as every role reaches it, at a phone (390 px), a laptop (1366 px) and a desktop (1920 px):
no page is wider than the window outside its data tables, axe-core finds no serious or critical WCAG 2.1 AA
violation, and a full-page screenshot of each page kind is kept under test-results/screens-<width>/.

The pages are found the way a person finds them: each role starts on its landing page and follows the links,
visiting one page of each kind (Django URL name), so a new page linked from anywhere is checked too."""

from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from tambon.models import Tambon
from tests.browser.conftest import ARTIFACTS
from tests.browser.screens import WIDTHS, axe_available, axe_violations, overflow
from tests.reporting.helpers import seed

# Not pages a person reads: files, the API and its docs, Django's own admin, actions and progress fragments.
SKIP = {"logout", "set_language", "admin", "api_docs", "api_schema", "roster_import_progress", "notification_read",
        "notification_read_all", "evidence_download", "completion_file", "health"}  # fmt: skip

# What each role must at least reach by following links (the crawl finds more; these keep it honest).
ROLES = {
    "alice": {"home", "tambon_list", "tambon_detail", "university_detail", "budget_table", "report_detail",
              "line_edit", "activity_edit", "activity_create", "completion_report", "completion_list", "mou_list",
              "mou_report", "class_overview", "tambon_profile", "tambon_assessment", "activity_assessment",
              "notification_list", "roster_team"},
    "mona": {"home", "roster_university", "roster_certificates", "roster_team", "roster_contract_action"},
    "carol": {"home", "review_list", "dashboard", "dashboard_network", "dashboard_university", "dashboard_tambon",
              "instalment_list", "report_detail", "tambon_assessment", "completion_report", "mou_report"},
    "nina": {"home", "network_list", "network_detail", "dashboard", "review_list", "instalment_list"},
    "nora": {"home", "network_list", "dashboard"},
}  # fmt: skip
# Pages no link leads to (typed or bookmarked), visited first.
STARTS = {"nina": ["/networks/"], "nora": ["/networks/"], "carol": ["/networks/"]}
MAX_PAGES = 60


def _kind(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc and not url.startswith("/"):
        return None
    path = parts.path
    if path.endswith((".xlsx", ".pdf", ".csv")) or path.startswith(("/api/", "/admin/", "/static/", "/media/")):
        return None
    try:
        name = resolve(path).url_name
    except Resolver404:
        return None
    return None if name in SKIP else name


def _links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    base = page.url.split("#")[0]
    return [urlsplit(h).path if h.startswith("http") else h for h in hrefs if h and not h.startswith(("#", "mailto:"))
            and not h.startswith("?")] + [urlsplit(base).path + h for h in hrefs if h and h.startswith("?")]  # fmt: skip


def _visit_all(context, who: str, width: int, shot: set[str], axed: set[str], problems: list[str]) -> set[str]:
    page = context.new_page()
    seen: dict[str, str] = {}
    queue = ["/", *STARTS.get(who, [])]
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        kind = _kind(url)
        if kind is None or kind in seen:
            continue
        response = page.goto(url)
        if response is None or response.status >= 400:
            continue
        seen[kind] = url
        where = f"{who} {kind} {url} @{width}px"
        problems += [f"{where}: {p}" for p in overflow(page)]
        logout = page.locator(".account form button.link")
        if logout.count():
            box = logout.bounding_box()
            if box and box["x"] + box["width"] > width + 1:
                problems.append(f"{where}: the logout button is cut off at {box['x'] + box['width']:.0f}px")
        if kind not in axed or width == WIDTHS["laptop"]:
            axed.add(kind)
            problems += [f"{where}: {v}" for v in axe_violations(page)]
        if kind not in shot:
            shot.add(kind)
            folder = ARTIFACTS / f"screens-{width}"
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{kind}--{who}.png"), full_page=True)
        queue += [link for link in _links(page) if _kind(link) and _kind(link) not in seen]
    page.close()
    return set(seen)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.django_db(transaction=True)
def test_every_page_kind_fits_the_screen_and_passes_axe(world, browser, live_server, width):
    axe_available()
    seed(world.programme, list(Tambon.objects.with_place().order_by("pk")))
    problems: list[str] = []
    shot: set[str] = set()
    axed: set[str] = set()
    viewport = {"width": width, "height": 900 if width > 600 else 844}
    # Anonymous: the login page (and the "logged out" message after logging out).
    context = browser.new_context(base_url=live_server.url, locale="th-TH", viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.goto("/login/")
    problems += [f"anonymous login @{width}px: {p}" for p in overflow(page) + axe_violations(page)]
    page.screenshot(path=str(_folder(width) / "login--anonymous.png"), full_page=True)
    context.close()
    for who, must_reach in ROLES.items():
        context = browser.new_context(base_url=live_server.url, locale="th-TH", viewport=viewport, bypass_csp=True,
                                      has_touch=width < 600, is_mobile=width < 600)  # fmt: skip
        context.set_default_timeout(15_000)
        login = context.new_page()
        login.goto("/login/")
        login.fill("#id_username", who)
        login.fill("#id_password", "pbm-test")
        login.click("button[type=submit].primary")
        login.wait_for_load_state()
        login.close()
        reached = _visit_all(context, who, width, shot, axed, problems)
        missing = must_reach - reached
        if missing:
            problems.append(
                f"{who} @{width}px did not reach {sorted(missing)} by following links (reached {sorted(reached)})"
            )
        context.close()
    assert not problems, "\n".join(problems)


def _folder(width: int):
    folder = ARTIFACTS / f"screens-{width}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
