"""An NSI admin's first login (password, then enrolling an authenticator), and pages that run under the
Content-Security-Policy without a single violation: the dashboard's charts, a report's remove-file confirm,
the admin and the API docs (Swagger UI)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp.plugins.otp_totp.models import TOTPDevice

from reporting import services
from tambon.models import Tambon
from tests.reporting.helpers import seed

COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.mark.django_db(transaction=True)
def test_nsi_admin_enrols_then_pages_run_without_csp_violations(world, page, login, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world.nina.is_staff = world.nina.is_superuser = True
    world.nina.save()
    seed(world.programme, list(Tambon.objects.with_place().order_by("pk")))
    services.monthly_report_save(
        tambon=world.tambon_a2, year=2021, month=12, user=world.alice, seen_version=None, actuals={},
        over_budget_explanation="demo figures", files=[SimpleUploadedFile("ภาพกิจกรรม.pdf", b"%PDF-1.4\n%%EOF\n")],
    )  # fmt: skip
    page.add_init_script(COLLECT_VIOLATIONS)
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)

    page.context.clear_cookies()
    page.goto("/tambons/")
    page.fill("#id_username", "nina")
    page.fill("#id_password", "pbm-test")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert "/account/two-factor/enrol/" in page.url  # no page before the second factor
    assert page.locator(".qr svg").count() == 1
    screenshot("1-enrol")
    from tests.browser.conftest import type_two_factor_code

    type_two_factor_code(page, "nina")
    assert page.url.endswith("/tambons/")
    assert TOTPDevice.objects.get(user=world.nina).confirmed

    pages = {
        "dashboard": ("/dashboard/?month=2021-03", "#dashboard-title"),
        "report": (f"/tambons/{world.tambon_a2.pk}/reports/2021/12/", "form.remove-file"),
        "admin": ("/admin/tambon/user/", "#result_list"),
        "api-docs": ("/api/docs/", ".swagger-ui .info"),
    }
    for name, (url, ready) in pages.items():
        page.goto(url)
        page.wait_for_selector(ready)
        screenshot(f"2-{name}")
        assert page.evaluate("window.__csp") == [], (name, page.evaluate("window.__csp"))

    # the remove button's confirm now comes from a static script: cancelling keeps the file
    page.goto(pages["report"][0])
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("form.remove-file button")
    page.wait_for_load_state()
    assert page.locator("form.remove-file").count() == 1
    assert console == []
