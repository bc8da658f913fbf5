"""In a real browser: an amount typed as printed is saved, letters stay in the box with a Thai message naming the
line, and the person fixes it and saves (the way back from a mistake)."""

from decimal import Decimal as D

import pytest

from reporting.models import MonthlyAmount, MonthlyReport
from tests.reporting.helpers import enter_sample_plan


@pytest.mark.django_db(transaction=True)
def test_reporter_types_amounts_as_printed_fixes_letters_and_saves(world, page, login, screenshot):
    lines = enter_sample_plan(world.tambon_a, world.alice)
    line_21, line_22 = lines["2.1"], lines["2.2"]
    login("alice")
    page.goto(f"/tambons/{world.tambon_a.pk}/reports/2021/1/")
    box = page.locator(f"[name=actual_{line_21.pk}]")
    assert box.get_attribute("type") == "text" and box.get_attribute("inputmode") == "decimal"
    box.fill("80,000")
    page.fill(f"[name=actual_{line_22.pk}]", "12k")
    page.click("button[name=save]")
    assert not MonthlyReport.objects.exists()
    assert page.input_value(f"[name=actual_{line_22.pk}]") == "12k"  # kept, not dropped by the browser
    assert page.input_value(f"[name=actual_{line_21.pk}]") == "80,000"
    error = page.locator(f"#id_actual_{line_22.pk}_error").inner_text()
    assert error == f"{line_22.label}: “12k” ไม่ใช่จำนวนเงิน เขียนจำนวนบาทเป็นตัวเลข เช่น 80,000 หรือ 80,000.50"
    screenshot("amount-refused")

    page.fill(f"[name=actual_{line_22.pk}]", "๑๒,๐๐๐.๕๐")
    page.click("button[name=save]")
    amounts = {a.line_id: a.actual for a in MonthlyAmount.objects.filter(year=2021, month=1)}
    assert amounts[line_21.pk] == D("80000") and amounts[line_22.pk] == D("12000.50")
    assert page.input_value(f"[name=actual_{line_22.pk}]") == "12,000.50"  # shown back by the one rule
