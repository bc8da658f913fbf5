"""The 7-day completion flow: mark an activity complete, see the due date, upload photos, remove a wrong one and
submit; the RSI reviewer sees it on their list."""

import datetime as dt
from pathlib import Path

import pytest

from reporting.deadlines.models import CompletionReport
from tests.reporting.test_deadlines import PNG, make_activity


@pytest.mark.django_db(transaction=True)
def test_completion_report_end_to_end(world, page, login, screenshot, tmp_path: Path):
    activity = make_activity(world.tambon_a, name="ตลาดนัดผลิตภัณฑ์ชุมชน")
    photo = tmp_path / "market.png"
    photo.write_bytes(PNG)

    login("alice")
    page.goto(f"/activities/{activity.pk}/completion/")
    page.fill("#id_completed_on", "2021-03-10")
    page.click("#complete-form button[name=complete]")
    assert "17 มี.ค. 2564" in page.inner_text("#due-on")
    screenshot("marked-complete")

    page.fill("#id_results", "จัดตลาดนัด 2 ครั้ง มีผู้ขาย 25 ราย")
    page.fill("#id_participants_persons", "120")
    page.fill("#id_participants_households", "40")
    wrong = tmp_path / "wrong-activity.png"
    wrong.write_bytes(PNG)
    page.set_input_files("#id_files", [str(wrong), str(photo)])
    page.click("#completion-form button[name=save]")
    assert page.locator("#files li").count() == 2
    # the wrongly attached photo is removed after the confirm dialog; the page keeps the other one
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#files button[aria-label='ลบ wrong-activity.png']")
    assert "ลบ wrong-activity.png แล้ว" in page.inner_text(".messages")
    assert page.locator("#files li").count() == 1
    page.click("#completion-form button[name=submit]")
    assert "ส่งแล้ว รอการตรวจ" in page.inner_text("#status")
    assert page.locator("#files img").count() == 1
    screenshot("submitted")

    login("carol")
    page.goto("/completion-reports/")
    assert "ตลาดนัดผลิตภัณฑ์ชุมชน" in page.inner_text("#to_review")
    page.click("#to_review a")
    page.click("#review-form button[value=accept]")
    assert "ตรวจรับแล้ว" in page.inner_text("#status")
    screenshot("accepted")
    report = CompletionReport.objects.get(activity=activity)
    assert report.status == "accepted" and report.participants == {"persons": 120, "households": 40}
    assert report.due_on == dt.date(2021, 3, 17)
    assert list(report.files.values_list("name", flat=True)) == ["market.png"]
