"""Page-level rules checked without a browser: heatmap shades keep text at 4.5:1, status messages are announced,
logging out says so, certificate checkboxes are labelled."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from reporting.dashboard.exports import Cell

CSS = (Path(__file__).resolve().parents[1] / "static" / "css" / "pbm.css").read_text()


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("heat", [0, 15, 35, 55, 60, 65, 75, 85, 93, 100])
def test_every_heatmap_shade_keeps_its_number_readable(heat):
    html = Template("{% load dashboard %}{% dashboard_cell cell %}").render(Context({"cell": Cell(7, heat=heat)}))
    step = re.search(r"heat-(\d+)", html).group(1)
    assert "style=" not in html  # a class, not an inline style (the Content-Security-Policy forbids them)
    rule = re.search(rf"td\.heat-{step} {{ background: (#[0-9a-f]{{6}}); color: (#[0-9a-f]{{6}}); }}", CSS)
    assert rule, f"no colours for heat-{step} in pbm.css"
    assert contrast(*rule.groups()) >= 4.5, (heat, rule.groups(), contrast(*rule.groups()))


def test_darker_shades_are_darker():
    shades = [re.search(rf"td\.heat-{n} {{ background: (#[0-9a-f]{{6}})", CSS).group(1) for n in range(11)]
    assert [_luminance(s) for s in shades] == sorted((_luminance(s) for s in shades), reverse=True)


def test_logging_out_says_so_and_messages_are_announced(world, client):
    client.force_login(world.alice)
    response = client.post("/logout/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("/login/")
    assert '<div role="status" id="messages">' in page and "ออกจากระบบแล้ว" in page
    assert "ออกจากระบบแล้ว" not in client.get("/login/").content.decode()  # said once


def test_a_second_logout_of_an_anonymous_visitor_says_nothing(client, db):
    page = client.post("/logout/", follow=True).content.decode()
    assert "ออกจากระบบแล้ว" not in page


def test_english_pages_show_the_programme_year_in_be_like_every_other_date(db):
    from tambon.models import Programme

    programme = Programme.current()
    assert programme.name_en.endswith("2564") and "2021" not in programme.name_en
