"""Every page and API view of the hierarchy, for every kind of person: allowed, other unit, anonymous."""

import pytest
from django.urls import reverse

from tambon import access


def ids(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_visible_tambons_by_role(world):
    w = world
    assert ids(access.visible_tambons(w.nina)) == {w.tambon_a.pk, w.tambon_a2.pk, w.tambon_b.pk, w.tambon_cross.pk}
    assert ids(access.visible_tambons(w.nora)) == ids(access.visible_tambons(w.nina))
    # RSI: the tambons in its area, whichever university works them
    assert ids(access.visible_tambons(w.carol)) == {w.tambon_a.pk, w.tambon_a2.pk}
    assert ids(access.visible_tambons(w.dave)) == {w.tambon_b.pk, w.tambon_cross.pk}
    # University: the tambons it works, wherever they are
    assert ids(access.visible_tambons(w.alice)) == {w.tambon_a.pk, w.tambon_a2.pk, w.tambon_cross.pk}
    assert ids(access.visible_tambons(w.bob)) == {w.tambon_b.pk}
    assert ids(access.visible_tambons(w.nobody)) == set()


def test_edit_and_review_rights(world):
    w = world
    assert access.can_edit_tambon(w.alice, w.tambon_cross)
    assert not access.can_edit_tambon(w.bob, w.tambon_a)
    assert not access.can_edit_tambon(w.carol, w.tambon_a)  # reviewers review, they do not file
    assert not access.can_edit_tambon(w.nora, w.tambon_a)
    assert access.can_edit_tambon(w.nina, w.tambon_b)
    assert access.can_review_tambon(w.carol, w.tambon_a)
    assert not access.can_review_tambon(w.carol, w.tambon_cross)
    assert access.can_review_tambon(w.dave, w.tambon_cross)
    assert not access.can_review_tambon(w.alice, w.tambon_a)
    assert access.can_manage_university(w.mona, w.university_a)
    assert not access.can_manage_university(w.alice, w.university_a)
    assert not access.can_manage_university(w.mona, w.university_b)


def test_universities_and_networks_visible(world):
    w = world
    assert set(access.visible_universities(w.dave).values_list("code", flat=True)) == {"CU", "CMU"}
    assert set(access.visible_universities(w.carol).values_list("code", flat=True)) == {"CU"}
    assert set(access.visible_universities(w.bob).values_list("code", flat=True)) == {"CMU"}
    assert access.visible_networks(w.alice).count() == 0
    assert list(access.visible_networks(w.carol).values_list("number", flat=True)) == [1]


@pytest.mark.parametrize(
    "username, expected",
    [("nina", 200), ("nora", 200), ("carol", 404), ("alice", 404), (None, 302)],
)
def test_national_overview(world, client_for, username, expected):
    user = getattr(world, username) if username else None
    assert client_for(user).get(reverse("network_list")).status_code == expected


@pytest.mark.parametrize(
    "username, expected",
    [("nina", 200), ("nora", 200), ("carol", 200), ("dave", 404), ("alice", 404), ("bob", 404), (None, 302)],
)
def test_network_page(world, client_for, username, expected):
    user = getattr(world, username) if username else None
    url = reverse("network_detail", args=[world.tambon_a.network_id])
    assert client_for(user).get(url).status_code == expected


@pytest.mark.parametrize(
    "username, expected",
    [("nina", 200), ("carol", 200), ("dave", 200), ("alice", 200), ("mona", 200), ("bob", 404), ("nobody", 404), (None, 302)],
)  # fmt: skip
def test_university_page(world, client_for, username, expected):
    user = getattr(world, username) if username else None
    url = reverse("university_detail", args=[world.university_a.pk])
    assert client_for(user).get(url).status_code == expected


@pytest.mark.parametrize(
    "username, expected",
    [("nina", 200), ("nora", 200), ("carol", 200), ("dave", 404), ("alice", 200), ("bob", 404), (None, 302)],
)
def test_tambon_page(world, client_for, username, expected):
    user = getattr(world, username) if username else None
    assert client_for(user).get(reverse("tambon_detail", args=[world.tambon_a.pk])).status_code == expected


def test_tambon_page_is_headed_like_pbm(world, client_for):
    response = client_for(world.alice).get(reverse("tambon_detail", args=[world.tambon_a.pk]))
    assert "ตำบลห้วยแห้ง อำเภอแก่งคอย จังหวัดสระบุรี — จุฬาลงกรณ์มหาวิทยาลัย" in response.content.decode()


def test_tambon_list_shows_only_scope(world, client_for):
    body = client_for(world.bob).get(reverse("tambon_list")).content.decode()
    assert "ศรีภูมิ" in body and "ห้วยแห้ง" not in body


def test_missing_tambon_is_404_like_out_of_scope(world, client_for):
    assert client_for(world.nina).get(reverse("tambon_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    "username, home",
    [("nina", "network_list"), ("carol", "network_detail"), ("alice", "university_detail")],
)
def test_home_lands_on_own_scope(world, client_for, username, home):
    response = client_for(getattr(world, username)).get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse(home, args=[] if home == "network_list" else [1])[:-2])


def test_user_without_role_is_told_so(world, client_for):
    body = client_for(world.nobody).get(reverse("home")).content.decode()
    assert "NSI" in body


@pytest.mark.parametrize(
    "username, sees", [("nina", 4), ("carol", 2), ("dave", 2), ("alice", 3), ("bob", 1), ("nobody", 0)]
)
def test_tambon_list_page_by_role(world, client_for, username, sees):
    response = client_for(getattr(world, username)).get(reverse("tambon_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == sees


def test_tambon_list_page_needs_login(world, client_for):
    assert client_for(None).get(reverse("tambon_list")).status_code == 302


def test_thai_is_the_default_whatever_the_browser_says(world, client_for):
    client = client_for(world.alice)
    url = reverse("university_detail", args=[world.university_a.pk])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="th"' in body and "ออกจากระบบ" in body
    client.post(reverse("set_language"), {"language": "en", "next": url})
    assert "Log out" in client.get(url).content.decode()


def test_pager_keeps_the_filters():
    from django.core.paginator import Paginator
    from django.template import RequestContext, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/tambons/", {"q": "ห้วย", "province": "19", "page": "2"})
    page = Paginator(range(300), 100).get_page(2)
    html = Template('{% include "snippets/pager.html" %}').render(RequestContext(request, {"page": page}))
    assert "page=1" in html and "page=3" in html and "province=19" in html and "q=" in html


def test_another_programmes_admin_is_no_universitys_or_networks_admin(world):
    """A national admin of Tambon Smart Team (a programme of the unit tree) administers that programme only: not
    U2T's universities (rosters, full national IDs, their reports) nor its networks; U2T's NSI admin does."""
    from io import StringIO

    from django.core.management import call_command

    from pbm import review
    from reporting.deadlines.models import MouPeriod, MouReport
    from tambon.models import User
    from tambon.roster.models import RosterImport

    call_command("seed_demo", "--programme", "tambon-smart-team-2565", stdout=StringIO())
    smart_admin = User.objects.get(username="tambon-smart-team-admin")
    assert access.is_national_admin(smart_admin)
    university, network, u2t = world.university_a, world.university_a.network, world.tambon_a.programme
    for who, expected in ((smart_admin, False), (world.nina, True)):
        assert access.can_manage_university(who, university) is expected
        assert access.handles_payments(who, university.pk) is expected
        assert access.can_manage_roster(who, world.tambon_a) is expected
        assert (
            review.can_file(who, MouReport(programme=u2t, period=MouPeriod.SIX_MONTH, university=university))
            is expected
        )
        assert review.can_file(who, MouReport(programme=u2t, period=MouPeriod.SIX_MONTH, network=network)) is expected
        assert access.may_manage_import(who, RosterImport()) is expected  # the command line's, U2T's


def test_another_programmes_admin_changes_its_own_people_only_and_grants_no_u2t_national_role(world, client):
    """A Smart Team admin sees and changes Smart Team's people (their passwords, roles, two-factor devices), not
    U2T's NSI admin or a U2T reporter, and cannot grant anyone, themselves included, U2T's national roles; U2T's NSI admin
    still changes U2T's people."""
    from io import StringIO

    from django.core.management import call_command
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tambon.admin import role_choices
    from tambon.models import User

    call_command("seed_demo", "--programme", "tambon-smart-team-2565", stdout=StringIO())
    smart_admin = User.objects.get(username="tambon-smart-team-admin")
    district_officer = User.objects.get(username="tambon-smart-team-d1101")
    assert access.can_manage_user(smart_admin, district_officer)
    assert not access.can_manage_user(smart_admin, world.nina) and not access.can_manage_user(smart_admin, world.alice)
    assert access.can_manage_user(world.nina, world.alice) and not access.can_manage_user(world.nina, district_officer)
    roles = {code for code, _label in role_choices(smart_admin)}
    assert not roles & {"nsi_admin", "nsi_reviewer"} and {"dopa_admin", "district_officer"} <= roles
    assert {"nsi_admin", "nsi_reviewer"} <= {code for code, _label in role_choices(world.nina)}

    from django.contrib.auth.models import Permission

    # as the operator makes a programme's admin staff, with the admin's permissions on users and devices
    User.objects.filter(pk=smart_admin.pk).update(is_staff=True)
    smart_admin.user_permissions.set(Permission.objects.filter(
        codename__in=["view_user", "change_user", "view_totpdevice", "change_totpdevice"]))  # fmt: skip
    TOTPDevice.objects.create(user=world.nina, name="nina's phone", confirmed=True)
    device = TOTPDevice.objects.get(user=smart_admin, confirmed=True)
    client.force_login(smart_admin)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    # U2T's people are not even listed to them (visible_users): their pages are not found
    assert client.get(reverse("admin:auth_user_password_change", args=[world.nina.pk])).status_code == 404
    assert set(access.visible_users(smart_admin).filter(pk__in=[world.nina.pk, world.alice.pk])) == set()
    assert district_officer in access.visible_users(smart_admin) and world.alice in access.visible_users(world.nina)
    devices = client.get(reverse("admin:otp_totp_totpdevice_changelist")).content.decode()
    assert "nina's phone" not in devices and device.name in devices
    assert client.get(reverse("admin:auth_user_password_change", args=[district_officer.pk])).status_code == 200


def test_another_programmes_national_roles_reach_none_of_u2ts_national_doors(world, client, client_for):
    """A Smart Team admin is national in Smart Team only: U2T's wage instalments, its hiring changes with full IDs,
    its committee's classes and the reopening of its accepted reports stay U2T's NSI's."""
    from io import StringIO

    from django.core.exceptions import PermissionDenied
    from django.core.management import call_command
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from assessment.models import TambonClassification
    from assessment.services import class_override
    from pbm import review
    from pbm.models import ReviewStatus
    from reporting.models import MonthlyReport
    from tambon.models import User

    call_command("seed_demo", "--programme", "tambon-smart-team-2565", stdout=StringIO())
    smart_admin = User.objects.get(username="tambon-smart-team-admin")
    u2t = world.tambon_a.programme
    report = MonthlyReport.objects.create(tambon=world.tambon_a, year=u2t.start_date.year, month=u2t.start_date.month,
                                          status=ReviewStatus.ACCEPTED, reviewed_at=timezone.now())  # fmt: skip
    assert review.can_reopen(world.nora, report) and not review.can_reopen(smart_admin, report)
    with pytest.raises(PermissionDenied):
        review.review_reopen(obj=report, user=smart_admin, reason="ลองเปิด")
    classification = TambonClassification(programme=u2t, tambon=world.tambon_a)  # refused before it is read
    with pytest.raises(PermissionDenied):
        class_override(classification=classification, user=smart_admin, band=None, reason="ทดลอง")
    client.force_login(smart_admin)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=smart_admin, confirmed=True).persistent_id
    session.save()
    for programme in ("", f"?programme={u2t.code}"):
        assert client.get(reverse("roster_wages_national") + programme).status_code == 404
        assert client.post(reverse("roster_wages_national") + programme, {"number": 1}).status_code == 404
    # asking for U2T's changes gives Smart Team's own (their programme), which they administer
    own = client.get(reverse("roster_national_changes_export", args=["follow-up"]) + f"?programme={u2t.code}")
    assert own.status_code == 200 and "national" in own["Content-Disposition"]
    assert client_for(world.nora).get(reverse("roster_national_changes_export", args=["follow-up"])).status_code == 404
