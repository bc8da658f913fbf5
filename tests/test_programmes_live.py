"""Issue #14's "done when": Tambon Smart Team and CDD's BPM loaded beside U2T from their definition files, their
demos seeded, their people scoped to their units, a district filing a month that its province reviews, dashboards
rolling up each tree, and a person with roles in two programmes switching between them."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from pbm.models import ReviewStatus
from reporting.dashboard import selectors as dash
from reporting.models import MonthlyReport
from tambon import access
from tambon.models import Membership, Programme, Role, Tambon, Unit, User
from tests.factories import MembershipFactory, TambonFactory, UserFactory

pytestmark = pytest.mark.django_db

SMART = "tambon-smart-team-2565"
CDD = "cdd-bpm-2565"


@pytest.fixture
def smart(db):
    call_command("seed_demo", "--programme", SMART, stdout=StringIO())
    return Programme.objects.get(code=SMART)


def _tambon_under(district_code: str) -> Tambon:
    return Tambon.objects.filter(programme__code=SMART, unit__parent__code=district_code).order_by("pk").first()


def test_smart_team_demo_is_its_tree_with_its_numbers(smart):
    levels = list(smart.unit_levels.order_by("depth").values_list("code", flat=True))
    assert levels == ["department", "province", "district", "tambon"]
    tambons = Tambon.objects.filter(programme=smart)
    assert tambons.count() > 20 and not tambons.filter(university__isnull=False).exists()
    # every tambon is a sub-district under its own district and province, as the official geography says
    for tambon in tambons.select_related("unit__parent__parent", "subdistrict__district"):
        district, province = tambon.unit.parent, tambon.unit.parent.parent
        assert district.district_id == tambon.subdistrict.district_id
        assert province.province_id == tambon.subdistrict.district.province_id
        assert tambon.unit.ancestor_ids()[:3] == [province.parent_id, province.pk, district.pk]
    hiring = smart.hiring_types.get()
    assert (hiring.monthly_rate, hiring.quota_per_tambon) == (Decimal(15000), 2)  # from the file, not from code
    assert Programme.objects.get(code="u2t-2564").hiring_types.count() == 3  # U2T untouched


def test_a_district_files_a_month_and_its_province_accepts_it(smart, client):
    district, province = (
        User.objects.get(username="tambon-smart-team-d1101"),
        User.objects.get(username="tambon-smart-team-p11"),
    )
    tambon = _tambon_under("1101")
    year, month = smart.months()[2]  # the demo filed the first two months
    url = reverse("report_detail", args=[tambon.pk, year, month])

    client.force_login(district)
    page = client.get(url)
    assert page.status_code == 200 and page.context["can_edit"]
    assert client.get(reverse("tambon_detail", args=[_tambon_under("1102").pk])).status_code == 404
    answer = client.post(url, {"version": 0, "narrative": "เก็บข้อมูลหมู่บ้านครบ 5 ด้าน", "submit": "1"})
    assert answer.status_code == 302
    report = MonthlyReport.objects.get(tambon=tambon, year=year, month=month)
    assert report.status == ReviewStatus.SUBMITTED
    # the district files: it may not review its own tambon's report
    assert not access.can_review(district, report)

    client.force_login(province)
    assert report in access.reviewable(province, MonthlyReport.objects.all())
    client.post(reverse("report_review", args=[tambon.pk, year, month]),
                {"action": "accept", "version": report.version})  # fmt: skip
    report.refresh_from_db()
    assert report.status == ReviewStatus.ACCEPTED and report.reviewed_by == province

    # another province sees none of it
    other = User.objects.get(username="tambon-smart-team-p12")
    assert not access.visible_tambons(other).filter(pk=tambon.pk).exists()
    assert report not in access.reviewable(other, MonthlyReport.objects.all())


def test_people_see_only_their_units(smart):
    for user in User.objects.filter(memberships__unit__programme=smart).distinct():
        scope = access.scope_of(user)
        seen = access.visible_tambons(user)
        if scope.national:
            assert set(seen) == set(Tambon.objects.filter(programme=smart))
            continue
        (grant,) = scope.grants
        assert seen.exists()
        for tambon in seen.select_related("unit"):
            assert tambon.programme_id == smart.pk and tambon.unit.ancestor_ids()[grant.depth] == grant.unit_id
        assert not seen.filter(programme__code="u2t-2564").exists()


def test_dashboards_roll_up_the_tree(smart, client):
    admin = User.objects.get(username="tambon-smart-team-review")
    root = Unit.objects.get(programme=smart, depth=0)
    client.force_login(admin)
    assert client.get(reverse("dashboard")).url == reverse("dashboard_unit", args=[root.pk])
    national = client.get(reverse("dashboard_unit", args=[root.pk]))
    assert national.status_code == 200
    board = national.context["board"]
    provinces = Unit.objects.filter(programme=smart, depth=1)
    kids = dash.children(board.level)
    assert [c.pk for c in kids] == list(provinces.order_by("code").values_list("pk", flat=True))
    # a province's page: its districts; their tambons add up to the province's
    province = provinces.order_by("code").first()
    page = client.get(reverse("dashboard_unit", args=[province.pk])).context["board"]
    districts = dash.children(page.level)
    assert {c.pk for c in districts} == set(Unit.objects.filter(parent=province).values_list("pk", flat=True))
    assert page.level.tambons.count() == Tambon.objects.filter(unit__ancestor_1=province).count()
    assert sum(Tambon.objects.filter(unit__ancestor_2_id=d.pk).count() for d in districts) == page.level.tambons.count()
    # a district officer starts at their district and cannot open the province's page
    officer = User.objects.get(username="tambon-smart-team-d1101")
    client.force_login(officer)
    district = Unit.objects.get(programme=smart, depth=2, code="1101")
    assert client.get(reverse("dashboard")).url == reverse("dashboard_unit", args=[district.pk])
    assert client.get(reverse("dashboard_unit", args=[province.pk])).status_code == 404


def test_cdd_provinces_report_to_the_department(db, client):
    call_command("seed_demo", "--programme", CDD, stdout=StringIO())
    cdd = Programme.objects.get(code=CDD)
    units = Tambon.objects.filter(programme=cdd).select_related("unit")
    assert units.exists() and all(t.subdistrict_id is None and t.unit.province_id for t in units)
    assert all(t.activity_budget and t.activity_budget <= Decimal(5_000_000) for t in units)
    officer = User.objects.get(username="cdd-bpm-p11")
    tambon = Tambon.objects.get(programme=cdd, unit__code="11")
    client.force_login(officer)
    assert client.get(reverse("budget_table", args=[tambon.pk])).status_code == 200
    assert access.can_edit_tambon(officer, tambon)
    other = Tambon.objects.exclude(pk=tambon.pk).filter(programme=cdd).first()
    assert client.get(reverse("budget_table", args=[other.pk])).status_code == 404
    reviewer = User.objects.get(username="cdd-bpm-review")
    submitted = MonthlyReport.objects.filter(tambon=tambon, status=ReviewStatus.SUBMITTED).first()
    assert submitted is not None and access.can_review(reviewer, submitted)


def test_a_person_with_roles_in_two_programmes_switches_between_them(smart, client):
    u2t_tambon = TambonFactory()
    person = UserFactory(username="two-hats")
    MembershipFactory(user=person, role=Role.UNIVERSITY_REPORTER, university=u2t_tambon.university)
    district = Unit.objects.get(programme=smart, depth=2, code="1101")
    Membership.objects.create(user=person, role="district_officer", unit=district)
    client.force_login(person)

    assert {p.code for p in access.programmes_of(person)} == {"u2t-2564", SMART}
    assert b"programme-switch" in client.get(reverse("tambon_detail", args=[u2t_tambon.pk])).content

    client.post(reverse("programme_switch"), {"programme": SMART})
    assert client.get(reverse("home")).url == reverse("dashboard")
    assert client.get(reverse("dashboard")).url == reverse("dashboard_unit", args=[district.pk])
    smart_list = client.get(reverse("tambon_list")).context
    listed = {t.pk for t in (smart_list["page"] if "page" in smart_list else smart_list["tambons"])}
    assert listed == set(Tambon.objects.filter(unit__ancestor_2=district).values_list("pk", flat=True))

    client.post(reverse("programme_switch"), {"programme": "u2t-2564"})
    u2t_list = client.get(reverse("tambon_list")).context
    listed = {t.pk for t in (u2t_list["page"] if "page" in u2t_list else u2t_list["tambons"])}
    assert listed == {u2t_tambon.pk}
    # a programme the person holds no role in cannot be chosen
    assert client.post(reverse("programme_switch"), {"programme": CDD}).status_code == 404


def test_reminders_and_review_notices_reach_the_units_people(smart, client, django_capture_on_commit_callbacks):
    import datetime as dt

    from pbm.models import Notification, NotificationKind, SentMessage
    from reporting.deadlines.services import reminders_send_all

    officers = set(User.objects.filter(memberships__role="district_officer").values_list("username", flat=True))
    year, month = smart.months()[2]
    due = dt.date(year + (month == 12), month % 12 + 1, smart.reporting_settings.due_day)  # from the definition
    counts = reminders_send_all(on_date=due)[SMART]
    assert counts.reminders == len(officers)
    reminded = set(
        SentMessage.objects.filter(key__contains="monthly-due").values_list("recipient__username", flat=True)
    )
    assert reminded == officers
    again = reminders_send_all(on_date=due)[SMART]  # exactly once a day
    assert again.reminders == 0

    # a submitted month tells its province's reviewers; a returned one its district
    tambon = _tambon_under("1101")
    client.force_login(User.objects.get(username="tambon-smart-team-d1101"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report_detail", args=[tambon.pk, year, month]),
                    {"version": 0, "narrative": "ลงพื้นที่เก็บข้อมูล", "submit": "1"})  # fmt: skip
    assert MonthlyReport.objects.get(tambon=tambon, year=year, month=month).status == ReviewStatus.SUBMITTED
    told = set(Notification.objects.filter(kind=NotificationKind.REVIEW).values_list("user__username", flat=True))
    assert "tambon-smart-team-p11" in told and "tambon-smart-team-p12" not in told


def test_a_unit_page_costs_the_same_queries_whatever_the_size_of_its_tree(smart, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.services import budget_plan_init_many
    from tambon.models import SubDistrict
    from tambon.units import UnitRow, units_place

    root = Unit.objects.get(programme=smart, depth=0)
    client.force_login(User.objects.get(username="tambon-smart-team-review"))
    url = reverse("dashboard_unit", args=[root.pk])
    client.get(url)  # warm: sessions, caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    # a fourth province with its districts and every sub-district: more units, tambons, lines and months
    province = Unit.objects.filter(programme=smart, depth=1).values_list("province_id", flat=True)
    extra = SubDistrict.objects.exclude(district__province_id__in=list(province)).exclude(
        district__province_id="10").select_related("district__province")[:40]  # fmt: skip
    rows = []
    for sub in extra:
        d, p = sub.district, sub.district.province
        rows += [UnitRow("province", p.code, p.name_th, parent=("department", smart.code), links=(("province_id", p.code),)),
                 UnitRow("district", d.code, d.name_th, parent=("province", p.code), links=(("district_id", d.code),)),
                 UnitRow("tambon", sub.code, sub.name_th, parent=("district", d.code),
                         links=(("subdistrict_id", sub.code),))]  # fmt: skip
    placed = units_place(smart, rows)
    new = Tambon.objects.bulk_create([Tambon(programme=smart, unit=placed[("tambon", s.code)], subdistrict=s)
                                      for s in extra])  # fmt: skip
    budget_plan_init_many(tambons=list(Tambon.objects.filter(pk__in=[t.pk for t in new]).select_related("programme")))
    assert Unit.objects.filter(programme=smart, depth=1).count() > len(province)
    assert queries() == before


def test_a_national_role_of_one_programme_sees_no_other_programmes_universities_or_networks(smart, client):
    u2t = TambonFactory()  # a U2T tambon, its university and its network
    nsi = UserFactory()
    MembershipFactory(user=nsi, role=Role.NSI_REVIEWER)
    national = User.objects.get(username="tambon-smart-team-review")
    assert access.scope_of(national).national
    assert not access.visible_universities(national).filter(pk=u2t.university_id).exists()
    assert not access.visible_networks(national).filter(pk=u2t.network_id).exists()
    client.force_login(national)
    assert client.get(reverse("university_detail", args=[u2t.university_id])).status_code == 404
    # U2T's NSI sees them, and a university not yet working any tambon (just set up) too
    spare = TambonFactory().university
    Tambon.objects.filter(university=spare).delete()
    assert set(access.visible_universities(nsi)) >= {u2t.university, spare}
    assert access.visible_networks(nsi).filter(pk=u2t.network_id).exists()


def test_the_api_gives_each_unit_dashboard_with_the_pages_figures(smart, client):
    root = Unit.objects.get(programme=smart, depth=0)
    client.force_login(User.objects.get(username="tambon-smart-team-review"))
    page = client.get(reverse("dashboard_unit", args=[root.pk])).context["board"]
    data = client.get(reverse("api_dashboard_unit", args=[root.pk])).json()
    assert data["programme"] == SMART
    provinces = Unit.objects.filter(programme=smart, depth=1).order_by("code")
    rows = [row for row in data["completeness"] if row["unit"]]
    assert [row["unit"]["id"] for row in rows] == list(provinces.values_list("pk", flat=True))
    assert rows[0]["unit"]["url"] == reverse("api_dashboard_unit", args=[provinces[0].pk])  # one level down
    assert data["completeness_total"]["expected"] == page.completeness[1].expected
    assert client.get(rows[0]["unit"]["url"]).status_code == 200
    # a district officer: their district, not the province above it
    client.force_login(User.objects.get(username="tambon-smart-team-d1101"))
    district = Unit.objects.get(programme=smart, depth=2, code="1101")
    assert client.get(reverse("api_dashboard_unit", args=[district.pk])).status_code == 200
    assert client.get(reverse("api_dashboard_unit", args=[provinces[0].pk])).status_code == 404
