"""A university reporter logs in, sees their tambons in Thai, and switches to English."""

import pytest

from tambon.models import Role
from tests.factories import MembershipFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_usi1_sees_tambons_in_thai_then_english(world, page, login, screenshot):
    usi1 = UserFactory(username="usi1")
    MembershipFactory(user=usi1, role=Role.UNIVERSITY_REPORTER, university=world.university_a)

    login("usi1")
    assert page.locator("html").get_attribute("lang") == "th"
    cards = page.locator("#tambons li")
    assert cards.count() == 3
    assert "ตำบลห้วยแห้ง อำเภอแก่งคอย จังหวัดสระบุรี — จุฬาลงกรณ์มหาวิทยาลัย" in page.inner_text("#tambons")
    assert "ออกจากระบบ" in page.inner_text("header")
    screenshot("thai")

    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Huai Haeng, Kaeng Khoi, Saraburi — Chulalongkorn University" in page.inner_text("#tambons")
    assert "Log out" in page.inner_text("header")
    screenshot("english")
