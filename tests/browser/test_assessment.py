"""A university reporter fills a tambon's quarterly assessment meeting 12 goals and submits it; the RSI
reviewer accepts it; the tambon's profile then shows its class, Sufficiency (ตำบลมุ่งสู่ความพอเพียง)."""

import pytest

from assessment.models import Goal


@pytest.mark.django_db(transaction=True)
def test_quarterly_assessment_meeting_12_goals_makes_tambon_sufficiency(world, page, login, screenshot):
    tambon = world.tambon_a
    login("alice")
    page.goto(f"/assessment/tambons/{tambon.pk}/quarters/2021-Q2/")
    goals = list(Goal.objects.filter(programme=world.programme).order_by("number"))
    for goal in goals[:12]:
        page.check(f"#id_goal_{goal.pk}_met")
        page.fill(f"#id_goal_{goal.pk}_evidence", f"หลักฐานเป้าหมาย {goal.number}")
    assert page.inner_text("#goals-met-count") == f"(12/{len(goals)})"
    page.fill("#indicators textarea >> nth=0", "ใช้ TPMAP วิเคราะห์ปัญหา")
    screenshot("filled")
    page.click("button[name=submit]")
    page.wait_for_load_state()
    assert page.locator("#status .badge.info").count() == 1  # submitted, awaiting review

    login("carol")
    page.goto("/assessment/classes/")
    page.click(f"#review-queue a[href*='/tambons/{tambon.pk}/']")
    page.wait_for_load_state()
    page.click("#review button[value=accept]")
    page.wait_for_load_state()
    screenshot("accepted")

    page.goto(f"/assessment/tambons/{tambon.pk}/")
    assert page.inner_text("#current-class") == "ตำบลมุ่งสู่ความพอเพียง"
    assert "12" in page.inner_text("#class-now")
    screenshot("profile")
