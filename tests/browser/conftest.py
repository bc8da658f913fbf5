"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

Playwright's sync API runs an event loop in this thread, so Django's async-safety check must be relaxed
for these tests' own ORM calls (they never run concurrently with it).
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-results"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def browser(transactional_db):
    """Per test, and only after the database is set up: Playwright's event loop would otherwise hide the test
    database's saved reference data from Django (its connections are context-local)."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run installs it (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings, request):
    """A page in a fresh context. Tests marked `axe` inject axe-core, which the Content-Security-Policy would block
    (it forbids inline script), so their context bypasses the CSP; every other test runs under it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    bypass = request.node.get_closest_marker("axe") is not None
    context = browser.new_context(base_url=live_server.url, locale="th-TH", accept_downloads=True, bypass_csp=bypass)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    """login(username, password) → the page after logging in through the real login form."""

    def do(username: str, password: str = "pbm-test"):
        page.context.clear_cookies()
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit].primary")
        page.wait_for_load_state()
        if "/account/two-factor/" in page.url:
            type_two_factor_code(page, username)
        return page

    return do


def type_two_factor_code(page, username: str) -> None:
    """An NSI admin's second step, as their authenticator app would: enrol with the key the page shows (first
    login) or type the code of their confirmed device."""
    import base64

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if page.locator("#totp-secret").count():
        key = base64.b32decode(page.inner_text("#totp-secret").strip())
    else:
        key = TOTPDevice.objects.get(user__username=username, confirmed=True).bin_key
    page.fill("#id_code", f"{totp(key):06d}")
    page.click("#two-factor-form button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def screenshot(page, request):
    """screenshot(name) saves a PNG under test-results/<test name>/ (kept by CI as evidence)."""

    def take(name: str) -> Path:
        folder = ARTIFACTS / request.node.name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
