"""The PBM budget table at a laptop's 1366 px (labels stay in view while the months scroll to December; the
whole table prints on landscape pages), and a month filed on a 390 px phone with a photo and a BE date."""

import datetime as dt
from pathlib import Path

import pytest

from reporting.deadlines.models import CompletionReport
from reporting.models import MonthlyReport
from tests.browser.screens import axe_violations, overflow
from tests.reporting.helpers import enter_hiring, enter_sample, enter_sample_plan
from tests.reporting.test_deadlines import PNG, make_activity


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.mark.django_db(transaction=True)
@pytest.mark.axe
def test_budget_table_keeps_its_labels_in_view_while_scrolling_to_december(world, page, login, screenshot):
    enter_sample(world.tambon_a, world.alice, months=(1, 2))
    MonthlyReport.objects.filter(tambon=world.tambon_a).update(status="submitted")
    page.set_viewport_size({"width": 1366, "height": 900})
    login("alice")
    page.goto(f"/tambons/{world.tambon_a.pk}/budget/")
    frame = _box(page, "#budget-frame")
    labels_end = _box(page, "#budget-table thead th.c-kind")["x"] + _box(page, "#budget-table thead th.c-kind")["width"]
    visible = [
        cell for cell in page.locator("#budget-table thead th.month").all()
        if (box := cell.bounding_box()) and box["x"] >= labels_end - 1 and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
    ]  # fmt: skip
    assert len(visible) >= 6, f"only {len(visible)} months fully in view next to the labels at 1366 px"
    # It opens on the month being filed (March: January and February are submitted), next to the labels.
    march = _box(page, "#m-2021-3")
    assert abs(march["x"] - labels_end) <= 2, (march, labels_end)
    screenshot("1366-opened-on-the-month-being-filed")

    page.click(".month-jump a[href='#m-2021-12']")
    december = _box(page, "#m-2021-12")
    assert december["x"] >= labels_end - 1 and december["x"] + december["width"] <= frame["x"] + frame["width"] + 1
    assert page.evaluate("document.getElementById('budget-frame').scrollLeft") > 200
    # The labels did not move: the code, name, total and remaining of the first line are where they were.
    name = _box(page, "#budget-table tbody tr.plan td.c-name")
    code = _box(page, "#budget-table tbody tr.plan td.c-code")
    assert abs(code["x"] - frame["x"]) <= 2 and abs(name["x"] - (code["x"] + code["width"])) <= 2
    top_cell = page.locator("#budget-table tbody tr.plan td.c-name").first
    on_top = "el => { const r = el.getBoundingClientRect(); return el.contains(document.elementFromPoint(r.left + 5, r.top + 5)); }"
    assert top_cell.evaluate(on_top)  # not covered by the month cells scrolled under it
    for column in ("c-total", "c-remaining"):
        cell = _box(page, f"#budget-table tbody tr.plan td.{column}")
        assert frame["x"] <= cell["x"] and cell["x"] + cell["width"] <= labels_end + 1
    # Scrolling down, the header row stays on top of the box.
    page.evaluate("document.getElementById('budget-frame').scrollTop = 400")
    header = _box(page, "#m-2021-12")
    assert abs(header["y"] - frame["y"]) <= 2
    page.evaluate("document.getElementById('budget-frame').scrollTop = 0")
    assert not overflow(page) and not axe_violations(page)
    page.screenshot(path=str(_artifact("budget-table-1366-december.png")))  # the README's picture (docs/)

    # Printing: the whole table, no scroll box, fits an A4 landscape page's width (277 mm ≈ 1047 px).
    page.set_viewport_size({"width": 1047, "height": 740})
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.getElementById('budget-frame')).overflowX") == "visible"
    width = page.evaluate("document.getElementById('budget-table').getBoundingClientRect().width")
    assert width <= 1047, f"the printed table is {width:.0f}px wide, more than a landscape page"
    assert not page.locator(".topbar").is_visible()
    pdf = page.pdf(landscape=True, format="A4")
    assert pdf.startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_reporter_files_a_month_on_a_phone_with_a_photo_and_a_be_date(world, browser, live_server, tmp_path):
    enter_sample_plan(world.tambon_a, world.alice)
    enter_hiring(world.tambon_a, world.alice, months=(1,))
    activity = make_activity(world.tambon_a, name="ตลาดนัดผลิตภัณฑ์ชุมชน")
    photo = tmp_path / "market.png"
    photo.write_bytes(PNG)
    context = browser.new_context(base_url=live_server.url, locale="th-TH", viewport={"width": 390, "height": 844},
                                  bypass_csp=True,  # axe-core is injected as a script
                                  is_mobile=True, has_touch=True, device_scale_factor=2)  # fmt: skip
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "pbm-test")
    page.click("button[type=submit].primary")
    page.goto(f"/tambons/{world.tambon_a.pk}/budget/")
    assert not overflow(page)
    logout = _box(page, ".account form button.link")
    assert logout["x"] + logout["width"] <= 390 and logout["height"] >= 44
    # One line at a time: the tambon total opens first; a line's card lists its months, plan beside actual.
    card = page.locator("#budget-lines details[data-code='2.1']")
    card.locator("summary").click()
    assert card.locator("tbody tr").count() == 12 and "32,000.00" in card.locator("tbody tr").first.inner_text()
    assert card.locator("summary").bounding_box()["height"] >= 44
    page.screenshot(path=str(_artifact("phone-budget-lines.png")), full_page=True)
    card.locator("tbody tr.filing a").click()
    page.wait_for_url("**/reports/2021/1/")
    assert not overflow(page), overflow(page)
    amounts = page.locator("#report-form input.amount")
    assert amounts.count() >= 1
    for i in range(amounts.count()):
        box = amounts.nth(i).bounding_box()
        assert box["width"] >= 120 and box["height"] >= 44, box
    line = amounts.first.get_attribute("name")
    # With the keyboard: tab into the first amount, type, and on to the next field.
    amounts.first.focus()
    page.keyboard.type("12,500")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") != line
    page.fill("[name=narrative]", "ประชุมกลุ่มอาชีพ ถ่ายภาพจากโทรศัพท์")
    assert page.get_attribute("[name=evidence]", "accept").startswith("image/*")
    page.set_input_files("[name=evidence]", str(photo))
    page.evaluate(
        "window.scrollTo(0, document.getElementById('report-form').getBoundingClientRect().top + window.scrollY - 150)"
    )
    page.screenshot(path=str(_artifact("phone-report-form.png")))  # the README's phone picture (docs/)
    submit = _box(page, "button[name=submit]")
    assert submit["height"] >= 44
    page.click("button[name=submit]")
    page.wait_for_selector("#read-only-reason")  # submitted: the page is read-only now
    report = MonthlyReport.objects.get(tambon=world.tambon_a, month=1)
    assert report.status == "submitted" and list(report.evidence.values_list("name", flat=True)) == ["market.png"]
    assert not axe_violations(page)
    page.screenshot(path=str(_artifact("phone-month-filed.png")), full_page=True)

    # The activity's completion: the date picked in the BE calendar, a photo from the camera.
    page.goto(f"/activities/{activity.pk}/completion/")
    assert not overflow(page)
    page.fill("#id_completed_on", "25/02/2564")
    page.click("#id_completed_on + button.date-be-open")
    title = page.locator(".date-be-panel .date-be-head strong")
    assert title.inner_text() == "กุมภาพันธ์ 2564"  # the calendar speaks BE
    page.click(".date-be-panel button[aria-label='เดือนถัดไป']")
    assert title.inner_text() == "มีนาคม 2564"
    page.click(".date-be-panel button[data-day='10']")
    assert page.input_value("#id_completed_on") == "10/03/2564"
    page.screenshot(path=str(_artifact("phone-be-date-picked.png")), full_page=True)
    # The same with the keyboard: the button opens the calendar on the chosen day, arrows move, Enter picks.
    page.focus("#id_completed_on + button.date-be-open")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.dataset.day") == "10"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "18 มีนาคม 2564"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    assert page.input_value("#id_completed_on") == "10/03/2564" and page.locator(".date-be-panel").count() == 0
    assert page.evaluate("document.activeElement.classList.contains('date-be-open')")  # focus back on the button
    page.click("#complete-form button[name=complete]")
    page.wait_for_selector("#due-on")
    assert "17 มี.ค. 2564" in page.inner_text("#due-on")
    assert CompletionReport.objects.get(activity=activity).activity.completed_on == dt.date(2021, 3, 10)
    today = dt.date.today()
    assert page.input_value("#id_completed_on") == f"{today:%d/%m}/{today.year + 543}"  # the box shows BE
    page.fill("#id_results", "จัดตลาดนัด 2 ครั้ง")
    page.fill("#id_participants_persons", "120")
    page.fill("#id_participants_households", "40")
    page.set_input_files("#id_files", str(photo))
    page.click("#completion-form button[name=submit]")
    assert "ส่งแล้ว รอการตรวจ" in page.inner_text("#status")
    assert not overflow(page)
    path = _artifact("phone-completion-submitted.png")
    page.screenshot(path=str(path), full_page=True)
    context.close()


def _artifact(name: str) -> Path:
    from tests.browser.conftest import ARTIFACTS

    folder = ARTIFACTS / "budget-screens"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name
