import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from assessment.models import Household
from assessment.selectors import household_picture
from assessment.services import households_import

HEADER = "household,health,education,income,living,access\n"


def test_colour_counts_for_crafted_households(world):
    rows = [
        "H0,pass,pass,pass,pass,pass",  # fails 0: passes all
        "H1,fail,pass,pass,pass,pass",  # 1: green
        "H2,pass,fail,fail,pass,pass",  # 2: yellow
        "H3,fail,fail,pass,fail,pass",  # 3: yellow
        "H4,fail,fail,fail,fail,pass",  # 4: red
        "H5,ไม่ผ่าน,ไม่ผ่าน,ไม่ผ่าน,ไม่ผ่าน,ไม่ผ่าน",  # 5: red (Thai words)
        "H6,ผ่าน,FAIL,ผ่าน,ผ่าน,ผ่าน",  # 1: green
    ]
    households_import(tambon=world.tambon_a, user=world.alice, content=(HEADER + "\n".join(rows)).encode())
    picture = household_picture(world.tambon_a)
    assert dict(picture.colours) == {"green": 2, "yellow": 2, "red": 2}
    assert (picture.passes_all, picture.total) == (1, 7)
    assert [n for _label, n in picture.by_dimension] == [4, 5, 3, 3, 1]  # health, education, income, living, access


def test_bad_rows_are_refused_with_line_numbers_and_nothing_imported(world):
    households_import(
        tambon=world.tambon_a, user=world.alice, content=(HEADER + "OLD,pass,pass,pass,pass,fail").encode()
    )
    content = (
        HEADER
        + "A1,pass,pass,pass,pass,pass\n,pass,pass,pass,pass,pass\nA3,pass,maybe,pass,pass,pass\nA1,fail,fail,fail,fail,fail\n"
    )
    with pytest.raises(ValidationError) as error, translation.override("en"):
        households_import(tambon=world.tambon_a, user=world.alice, content=content.encode())
    messages = error.value.messages
    assert any(m.startswith("Line 3:") for m in messages)
    assert any(m.startswith("Line 4, column education") and "maybe" in m for m in messages)
    assert any(m.startswith("Line 5:") and "line 2" in m for m in messages)
    assert list(Household.objects.filter(tambon=world.tambon_a).values_list("code", flat=True)) == ["OLD"]


def test_missing_columns_are_named(world):
    with pytest.raises(ValidationError, match="access"), translation.override("en"):
        households_import(
            tambon=world.tambon_a, user=world.alice, content=b"household,health,education,income,living\n"
        )


def test_thai_windows_encoding_is_read(world):
    content = (HEADER + "H1,ไม่ผ่าน,ผ่าน,ผ่าน,ผ่าน,ผ่าน\n").encode("cp874")
    households_import(tambon=world.tambon_a, user=world.alice, content=content)
    assert Household.objects.get(tambon=world.tambon_a).fails_health


def test_import_page_reports_lines_and_read_only_user_is_refused(world, client_for):
    url = reverse("households_import", args=[world.tambon_a.pk])
    bad = SimpleUploadedFile("tpmap.csv", (HEADER + "H1,pass,pass,pass,pass,what\n").encode())
    response = client_for(world.alice).post(url, {"file": bad}, follow=True)
    with translation.override("th"):  # pages are Thai first
        expected = gettext("Line %(line)s, column %(column)s: write pass or fail, not “%(value)s”.") % {
            "line": 2,
            "column": "access",
            "value": "what",
        }
    assert escape(expected) in response.content.decode()
    good = SimpleUploadedFile("tpmap.csv", (HEADER + "H1,fail,pass,pass,pass,pass\n").encode())
    assert client_for(world.carol).post(url, {"file": good}).status_code == 403
    assert client_for(world.bob).post(url, {"file": good}).status_code == 404
    assert not Household.objects.exists()
    good.seek(0)
    page = client_for(world.alice).post(url, {"file": good}, follow=True).content.decode()
    assert 'data-colour="green">1<' in page
