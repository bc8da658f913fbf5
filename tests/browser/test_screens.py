"""Every page kind, as every role reaches it, at a phone (390 px), a laptop (1366 px) and a desktop (1920 px):
no page is wider than the window outside its data tables, axe-core finds no serious or critical WCAG 2.1 AA
violation, and a full-page screenshot of each page kind is kept under test-results/screens-<width>/.

The pages are found the way a person finds them: each role starts on its landing page and follows the links,
visiting one page of each kind (Django URL name), so a new page linked from anywhere is checked too."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from tambon.models import Tambon
from tests.browser.conftest import ARTIFACTS, type_two_factor_code
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
# What a thumb presses on a phone: at least 44 px high (checkboxes and radios are covered by their labels).
TARGETS = ("button, a.button, select, textarea, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), "
           ".mainnav a, .table-wrap td a, .pager a")  # fmt: skip


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


def _check(page, who: str, kind: str, width: int, problems: list[str], *, axe: bool, shot: bool) -> None:
    where = f"{who} {kind} {page.url.split('/', 3)[-1]} @{width}px"
    problems += [f"{where}: {p}" for p in overflow(page)]
    logout = page.locator(".account form button.link")
    if logout.count() and (box := logout.bounding_box()) and box["x"] + box["width"] > width + 1:
        problems.append(f"{where}: the logout button is cut off at {box['x'] + box['width']:.0f}px")
    if width >= WIDTHS["laptop"]:
        tops = page.eval_on_selector_all(
            # the row's own entries: its links and the reports menu's button (the menu's links drop below it)
            ".mainnav > a, .mainnav > details > summary",
            "els => new Set(els.map(e => Math.round(e.getBoundingClientRect().top))).size",
        )
        if tops > 1:
            problems.append(f"{where}: the navigation wraps to {tops} lines")
    if width < 600:
        small = page.eval_on_selector_all(
            TARGETS,
            """els => els.filter(e => { const r = e.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden' && r.height < 43.5; })
            .slice(0, 3).map(e => `${e.tagName.toLowerCase()} "${(e.textContent || e.name || '').trim().slice(0, 30)}" ${Math.round(e.getBoundingClientRect().height)}px`)""",
        )
        problems += [f"{where}: target smaller than 44 px: {t}" for t in small]
    if axe:
        problems += [f"{where}: {v}" for v in axe_violations(page)]
    if shot:
        page.screenshot(path=str(_folder(width) / f"{kind}--{who}.png"), full_page=True)


def _crawl(context, who: str, problems: list[str], shot: set[str], suffix: str = "") -> dict[str, str]:
    """Follow links from the role's landing page at 1366 px, checking one page of each kind; kind → its URL."""
    width = WIDTHS["laptop"]
    page = context.new_page()
    seen: dict[str, str] = {}
    refused: list[str] = []  # links the role was shown but that answered an error: named when a kind is missed
    queue = ["/", *STARTS.get(who, [])]
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        kind = _kind(url)
        if kind is None or kind in seen:
            continue
        response = page.goto(url)
        if response is None or response.status >= 400:
            refused.append(f"{url} {response.status if response else 'no response'}")
            continue
        seen[kind] = url
        _check(page, who, kind + suffix, width, problems, axe=True, shot=kind + suffix not in shot)
        shot.add(kind + suffix)
        queue += [link for link in _links(page) if _kind(link) and _kind(link) not in seen]
    page.close()
    seen["_refused"] = ", ".join(refused[:10])
    return seen


def _login(browser, live_server, who: str, password: str = "pbm-test"):
    context = browser.new_context(base_url=live_server.url, locale="th-TH", bypass_csp=True,
                                  viewport={"width": WIDTHS["laptop"], "height": 900})  # fmt: skip
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", who)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    if "/account/two-factor/" in page.url:  # an NSI admin's second step, as their authenticator app would
        type_two_factor_code(page, who)
        assert "/account/two-factor/" not in page.url, f"{who} did not pass two-factor"
    page.close()
    return context


@pytest.mark.django_db(transaction=True)
def test_every_page_kind_fits_three_widths_and_passes_axe(world, browser, live_server):
    """One seeded world, one logged-in context per role. At 1366 px every role follows its links and every page
    it reaches is checked (overflow, axe); at 390 and 1920 px each page kind is checked again as the first role
    that reached it (overflow, axe, screenshot)."""
    axe_available()
    seed(world.programme, list(Tambon.objects.with_place().order_by("pk")))
    problems: list[str] = []
    anonymous = browser.new_context(base_url=live_server.url, locale="th-TH", bypass_csp=True)
    page = anonymous.new_page()
    page.goto("/login/")
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 900})
        _check(page, "anonymous", "login", width, problems, axe=True, shot=True)
    anonymous.close()

    contexts = {who: _login(browser, live_server, who) for who in ROLES}
    shot: set[str] = set()
    first: dict[str, tuple[str, str]] = {}  # kind → (role, url) of the first role that reached it
    for who, must_reach in ROLES.items():
        reached = _crawl(contexts[who], who, problems, shot)
        refused = reached.pop("_refused")
        for kind, url in reached.items():
            first.setdefault(kind, (who, url))
        if missing := must_reach - set(reached):
            problems.append(
                f"{who} did not reach {sorted(missing)} by following links (reached {sorted(reached)}; "
                f"links that answered an error: {refused or 'none'})"
            )
    for width in (WIDTHS["phone"], WIDTHS["desktop"]):
        for who, context in contexts.items():
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": 844 if width < 600 else 1000})
            for kind, (role, url) in first.items():
                if role == who:
                    page.goto(url)
                    _check(page, who, kind, width, problems, axe=True, shot=True)
            page.close()
    # English: the same checks on the pages with the most words in them, switched with the page's own button.
    page = contexts["nina"].new_page()
    page.goto("/")
    page.click(".langswitch button[value=en]")
    assert page.locator("html[lang=en]").count() == 1
    english = [
        first[k][1] for k in ("home", "dashboard", "budget_table", "report_detail", "completion_report") if k in first
    ]
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 900})
        for url in english:
            page.goto(url)
            _check(page, "nina (English)", _kind(url) or url, width, problems, axe=True, shot=False)
            if re.search(r"\b20[0-9]{2}\b(?!-)", page.inner_text("main")) and width == WIDTHS["laptop"]:
                years = sorted(set(re.findall(r"\b20[0-9]{2}\b(?!-)", page.inner_text("main"))))
                problems.append(f"nina (English) {url}: Christian Era years {years} beside BE ones")
    page.close()
    for context in contexts.values():
        context.close()
    assert len(first) >= 30, sorted(first)  # the crawl found the app's pages, not just a few
    assert not problems, "\n".join(problems)


def _folder(width: int):
    folder = ARTIFACTS / f"screens-{width}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# The programmes of the unit tree, from their own demos: each role's pages at the three widths.
UNIT_TREE_ROLES = {
    "tambon-smart-team-review": {"home", "dashboard_unit", "review_list", "report_detail", "budget_table"},
    "tambon-smart-team-d1101": {"home", "dashboard_unit", "tambon_detail", "budget_table", "report_detail"},
    "cdd-bpm-p11": {"home", "dashboard", "tambon_detail", "budget_table", "report_detail", "roster_team"},
}  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_the_unit_tree_programmes_pages_fit_three_widths_and_pass_axe(browser, live_server):
    """Tambon Smart Team and CDD's BPM, seeded as `seed_demo --programme` seeds them: a national reviewer, a
    district and a province officer follow their links at 1366 px, and every page they reach is checked again at
    390 and 1920 px (overflow, thumb-sized targets, axe)."""
    from io import StringIO

    from django.core.management import call_command

    from tambon.demo import DEMO_PASSWORD

    axe_available()
    for code in ("tambon-smart-team-2565", "cdd-bpm-2565"):
        call_command("seed_demo", "--programme", code, stdout=StringIO())
    problems: list[str] = []
    shot: set[str] = set()
    for who, must_reach in UNIT_TREE_ROLES.items():
        context = _login(browser, live_server, who, DEMO_PASSWORD)
        reached = _crawl(context, who, problems, shot, suffix="--" + who.rsplit("-", 1)[0])
        refused = reached.pop("_refused")
        if missing := must_reach - set(reached):
            problems.append(f"{who} did not reach {sorted(missing)} (reached {sorted(reached)}; refused: {refused})")
        page = context.new_page()
        for width in (WIDTHS["phone"], WIDTHS["desktop"]):
            page.set_viewport_size({"width": width, "height": 844 if width < 600 else 1000})
            for kind, url in reached.items():
                page.goto(url)
                _check(page, who, kind, width, problems, axe=True, shot=False)
        context.close()
    assert not problems, "\n".join(problems)
