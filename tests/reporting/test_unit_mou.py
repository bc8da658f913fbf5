"""The half-year and year-end reports of a programme of the unit tree (Tambon Smart Team, CDD's BPM), filed by the
level that files its monthly reports and reviewed by the level that reviews them (the definition's `reports`): the
same MouReport, services, pages and review flow as U2T's universities, and the report that releases the 2nd
instalment of the tambons under the filing unit, on the instalments page and in the dashboards' counts alike."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from pbm import review
from pbm.models import Notification, NotificationKind, ReviewStatus, SentMessage
from reporting.deadlines import selectors, services
from reporting.deadlines.models import DeadlineSettings, MouPeriod, MouReport
from tambon import access
from tambon.models import Programme, Tambon, Unit, User

pytestmark = pytest.mark.django_db

SMART, CDD = "tambon-smart-team-2565", "cdd-bpm-2565"
SECTIONS = {"summary": "ลงพื้นที่ครบทุกตำบล", "results": "จัดเก็บข้อมูลหมู่บ้านครบ 5 ด้าน"}


def seeded(code: str) -> Programme:
    call_command("seed_demo", "--programme", code, stdout=StringIO())
    return Programme.objects.get(code=code)


@pytest.fixture
def smart(db):
    return seeded(SMART)


@pytest.fixture
def cdd(db):
    return seeded(CDD)


def person(name: str) -> User:
    return User.objects.get(username=name)


def district(programme: Programme, code: str) -> Unit:
    return Unit.objects.select_related("level", "programme").get(programme=programme, level__code="district", code=code)


def tambons_under(unit: Unit) -> list[Tambon]:
    return list(Tambon.objects.with_place().filter(**{f"unit__ancestor_{unit.depth}_id": unit.pk}).order_by("pk"))


def url(unit: Unit, period: str = MouPeriod.SIX_MONTH) -> str:
    return reverse("mou_report", args=[period, "unit", unit.pk])


def second(programme: Programme, tambons: list[Tambon]) -> dict[int, object]:
    return {pk: rows[1] for pk, rows in selectors.instalments_for(tambons=tambons, programme=programme).items()}


# --- who files, who reviews: from the definition ----------------------------------------------------------------


def test_the_demo_has_one_half_year_report_waiting(smart):
    (report,) = MouReport.objects.filter(programme=smart)
    assert report.status == ReviewStatus.SUBMITTED and report.unit.code == "1302"  # the last district
    assert report.figures["tambons"] == len(tambons_under(report.unit))


def test_the_filing_level_comes_from_the_definition(smart, cdd):
    assert access.filing_level(smart).code == "district"  # monthly_tambon: filed_by district
    assert access.filing_level(cdd).code == "province"  # the provincial office files its own
    assert access.filing_level(Programme.objects.get(code="u2t-2564")) is None  # universities and networks
    assert [kind for kind, _pk in selectors.report_owners(programme=smart)] == ["unit"] * 6  # 3 provinces × 2


def test_a_district_files_its_half_year_report_and_its_province_accepts_it(smart):
    officer, province, other = person("tambon-smart-team-d1101"), person("tambon-smart-team-p11"), person(
        "tambon-smart-team-p12")  # fmt: skip
    unit, neighbour = district(smart, "1101"), district(smart, "1102")
    mine, theirs = tambons_under(unit), tambons_under(neighbour)
    with translation.override("th"):
        before = second(smart, mine + theirs)
        assert not before[mine[0].pk].eligible
        # the district of the data is named, not "the university"
        assert before[mine[0].pk].reason.startswith(f"ยังไม่ได้: อำเภอ{unit.name_th}ยังไม่เริ่มจัดทำ")
        assert "มหาวิทยาลัย" not in before[mine[0].pk].reason
        assert before[mine[0].pk].report_url == url(unit)

    report = services.mou_report_for(programme=smart, period=MouPeriod.SIX_MONTH, unit=unit)
    assert review.can_file(officer, report) and not review.can_file(province, report)
    with pytest.raises(PermissionDenied):
        services.mou_report_save(report=report, user=person("tambon-smart-team-d1102"), sections=SECTIONS)
    services.mou_report_save(report=report, user=officer, sections=SECTIONS, submit=True)
    report.refresh_from_db()
    assert report.status == ReviewStatus.SUBMITTED
    assert report.figures["tambons"] == len(mine)  # frozen over the district's tambons only
    assert "awaiting review" in second(smart, mine)[mine[0].pk].reason

    assert not access.can_review(officer, report)  # the district files it
    assert not access.can_review(other, report)  # another province
    with pytest.raises(PermissionDenied):
        review.review_accept(obj=report, user=other)
    assert list(selectors.mou_reports_to_review(user=province)) == [report]
    assert not selectors.mou_reports_to_review(user=other).exists()
    review.review_accept(obj=report, user=province)

    after = second(smart, mine + theirs)
    assert all(after[t.pk].eligible for t in mine) and "accepted" in after[mine[0].pk].reason
    assert not any(after[t.pk].eligible for t in theirs)


def test_a_cdd_province_files_for_itself_and_the_department_accepts(cdd):
    officer, reviewer = person("cdd-bpm-p11"), person("cdd-bpm-review")
    tambon = Tambon.objects.with_place().get(programme=cdd, unit__code="11")
    unit = tambon.unit
    before = second(cdd, [tambon])[tambon.pk]
    assert not before.eligible and before.amount == tambon.activity_budget / 2  # from the definition's share
    report = services.mou_report_for(programme=cdd, period=MouPeriod.SIX_MONTH, unit=unit)
    services.mou_report_save(report=report, user=officer, sections=SECTIONS, submit=True)
    assert report.figures["tambons"] == 1
    assert not access.can_review(person("cdd-bpm-p12"), report)
    review.review_accept(obj=report, user=reviewer)
    assert second(cdd, [tambon])[tambon.pk].eligible
    other = Tambon.objects.with_place().exclude(pk=tambon.pk).filter(programme=cdd).first()
    assert not second(cdd, [other])[other.pk].eligible


def test_only_a_unit_of_the_filing_level_owns_a_report(smart):
    province = Unit.objects.get(programme=smart, level__code="province", code="11")
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        services.mou_report_for(programme=smart, period=MouPeriod.SIX_MONTH, unit=province)
    assert "ไม่ใช่หน่วยที่จัดทำรายงานของโครงการนี้" in refused.value.messages[0]
    assert "อำเภอ" in refused.value.messages[0]
    assert not MouReport.objects.filter(unit=province).exists()


# --- the pages --------------------------------------------------------------------------------------------------


def test_report_page_scope(smart, client):
    unit = district(smart, "1101")
    for name, status in (("tambon-smart-team-d1101", 200), ("tambon-smart-team-p11", 200),
                         ("tambon-smart-team-review", 200), ("tambon-smart-team-d1102", 404),
                         ("tambon-smart-team-p12", 404), ("cdd-bpm-p11", 404)):  # fmt: skip
        if name.startswith("cdd"):
            seeded(CDD)
        client.force_login(person(name))
        assert client.get(url(unit)).status_code == status, name
    # a unit that does not file (the province) has no such report, not even for the national reviewer
    province = Unit.objects.get(programme=smart, level__code="province", code="11")
    client.force_login(person("tambon-smart-team-review"))
    assert client.get(url(province)).status_code == 404
    # another district's officer may not post to it either
    client.force_login(person("tambon-smart-team-d1102"))
    assert client.post(url(unit), {"version": 0, **SECTIONS, "submit": "1"}).status_code == 404
    assert not MouReport.objects.filter(unit=unit).exists()


def test_the_district_files_through_the_page_with_a_thai_message_on_a_bad_submit(smart, client):
    unit = district(smart, "1101")
    client.force_login(person("tambon-smart-team-d1101"))
    page = client.get(url(unit))
    assert page.context["can_edit"] and f"อำเภอ{unit.name_th}" in page.content.decode()
    answer = client.post(url(unit), {"version": 0, "summary": "", "results": "", "submit": "1"},
                         HTTP_ACCEPT_LANGUAGE="th")  # fmt: skip
    assert answer.status_code == 200
    assert "กรุณากรอกหัวข้อต่อไปนี้ก่อนส่ง" in answer.content.decode()
    assert not MouReport.objects.filter(unit=unit, first_submitted_at__isnull=False).exists()  # nothing half-written
    version = MouReport.objects.get(unit=unit).version
    answer = client.post(url(unit), {"version": version, **SECTIONS, "submit": "1"})
    assert answer.status_code == 302
    assert MouReport.objects.get(unit=unit).status == ReviewStatus.SUBMITTED


def test_lists_show_the_units_reports_to_their_people(smart, client):
    unit = district(smart, "1101")
    report = services.mou_report_for(programme=smart, period=MouPeriod.SIX_MONTH, unit=unit)
    services.mou_report_save(report=report, user=person("tambon-smart-team-d1101"), sections=SECTIONS, submit=True)

    client.force_login(person("tambon-smart-team-d1101"))
    home = client.get(reverse("dashboard_unit", args=[unit.pk])).content.decode()  # where the officer starts
    assert 'id="unit-mou-links"' in home and url(unit) in home
    rows = client.get(reverse("mou_list")).context["rows"]
    assert [(kind, owner.pk) for kind, owner, _cells in rows] == [("unit", unit.pk)]
    page = client.get(reverse("mou_list")).content.decode()
    assert url(unit) in page and reverse("mou_report", args=["12m", "unit", unit.pk]) in page

    client.force_login(person("tambon-smart-team-p11"))
    province = Unit.objects.get(programme=smart, level__code="province", code="11")
    assert 'id="unit-mou-links"' not in client.get(reverse("dashboard_unit", args=[province.pk])).content.decode()
    rows = client.get(reverse("mou_list")).context["rows"]
    assert {owner.code for _kind, owner, _cells in rows} == {"1101", "1102"}
    reviews = client.get(reverse("review_list"), {"kind": "mou"})
    assert [r.pk for r in reviews.context["page"]] == [report.pk]
    assert url(unit) in reviews.content.decode()

    client.force_login(person("tambon-smart-team-p12"))
    assert not list(client.get(reverse("review_list"), {"kind": "mou"}).context["page"])


def test_the_instalments_page_and_the_dashboard_agree(cdd, client):
    reviewer = person("cdd-bpm-review")
    accepted = Tambon.objects.filter(programme=cdd).select_related("unit").order_by("pk")[:2]
    for tambon in accepted:
        report = services.mou_report_for(programme=cdd, period=MouPeriod.SIX_MONTH, unit=tambon.unit)
        services.mou_report_save(report=report, user=person(f"cdd-bpm-p{tambon.unit.code}"), sections=SECTIONS,
                                 submit=True)  # fmt: skip
        review.review_accept(obj=report, user=reviewer)
    client.force_login(reviewer)
    summary = client.get(reverse("instalment_list")).context["summary"]
    root = Unit.objects.get(programme=cdd, depth=0)
    board = client.get(reverse("dashboard_unit", args=[root.pk])).context["board"]
    assert summary.eligible == board.spending.total.instalment_eligible == 2
    assert summary.blocked == Tambon.objects.filter(programme=cdd, is_active=True).count() - 2


def test_smart_team_instalments_page_and_dashboard_agree(smart, client):
    unit = district(smart, "1101")
    report = services.mou_report_for(programme=smart, period=MouPeriod.SIX_MONTH, unit=unit)
    services.mou_report_save(report=report, user=person("tambon-smart-team-d1101"), sections=SECTIONS, submit=True)
    review.review_accept(obj=report, user=person("tambon-smart-team-p11"))
    client.force_login(person("tambon-smart-team-p11"))
    summary = client.get(reverse("instalment_list")).context["summary"]
    province = Unit.objects.get(programme=smart, level__code="province", code="11")
    board = client.get(reverse("dashboard_unit", args=[province.pk])).context["board"]
    assert summary.eligible == board.spending.total.instalment_eligible == len(tambons_under(unit))
    blocked = client.get(reverse("instalment_list"), {"only": "blocked"}).content.decode()
    table = blocked[blocked.index('id="instalments"') :]
    neighbour = district(smart, "1102")
    assert f"ยังไม่ได้: อำเภอ{neighbour.name_th}ยังไม่เริ่มจัดทำรายงานรอบ" in table and "มหาวิทยาลัย" not in table


# --- reminders and notices --------------------------------------------------------------------------------------


def test_half_year_reports_due_remind_the_districts_that_have_not_submitted(smart):
    settings = DeadlineSettings.for_programme(smart)
    assert settings.mou_6_month_due == dt.date(2022, 4, 15)  # the definition's fixed date
    filed = district(smart, "1101")
    report = services.mou_report_for(programme=smart, period=MouPeriod.SIX_MONTH, unit=filed)
    services.mou_report_save(report=report, user=person("tambon-smart-team-d1101"), sections=SECTIONS, submit=True)
    on = settings.mou_6_month_due - dt.timedelta(days=max(settings.days_before))
    counts = services.reminders_send(on_date=on, programme=smart)
    told = set(SentMessage.objects.filter(key__startswith="mou-due:6m:unit-").values_list("recipient__username",
                                                                                          flat=True))  # fmt: skip
    officers = {f"tambon-smart-team-d{u.code}" for u in Unit.objects.filter(programme=smart, level__code="district")}
    submitted = {f"tambon-smart-team-d{code}" for code in MouReport.objects.filter(
        programme=smart, period=MouPeriod.SIX_MONTH, first_submitted_at__isnull=False).values_list("unit__code",
                                                                                              flat=True)}  # fmt: skip
    assert "tambon-smart-team-d1101" in submitted and len(submitted) == 2  # and the demo's last district
    assert told == officers - submitted and counts.mou_reminders == len(told)
    assert services.reminders_send(on_date=on, programme=smart).mou_reminders == 0  # once a day
    notice = Notification.objects.filter(user__username="tambon-smart-team-d1102").latest("pk")
    assert notice.url == url(district(smart, "1102"))


def test_a_submitted_report_tells_its_province_and_an_accepted_one_its_district(
    smart, django_capture_on_commit_callbacks
):
    unit = district(smart, "1101")
    report = services.mou_report_for(programme=smart, period=MouPeriod.SIX_MONTH, unit=unit)
    with django_capture_on_commit_callbacks(execute=True):
        services.mou_report_save(report=report, user=person("tambon-smart-team-d1101"), sections=SECTIONS,
                                 submit=True)  # fmt: skip
    told = set(Notification.objects.filter(kind=NotificationKind.REVIEW).values_list("user__username", flat=True))
    assert "tambon-smart-team-p11" in told and "tambon-smart-team-p12" not in told
    with django_capture_on_commit_callbacks(execute=True):
        review.review_accept(obj=report, user=person("tambon-smart-team-p11"))
    accepted = Notification.objects.filter(user__username="tambon-smart-team-d1101", kind=NotificationKind.REVIEW)
    assert accepted.filter(url=url(unit)).exists()


def test_a_national_role_reads_every_filing_unit_a_page_at_a_time(smart, client, monkeypatch):
    """Smart Team's national reviewer sees 878 districts nationally: the list comes in pages, each unit once, in
    code order (here two to a page over the demo's six districts)."""
    from reporting.deadlines import views

    monkeypatch.setattr(views, "MOU_OWNERS_PER_PAGE", 2)
    client.force_login(person("tambon-smart-team-review"))
    seen = []
    for number in (1, 2, 3):
        response = client.get(reverse("mou_list"), {"page": number})
        seen += [owner.code for _kind, owner, _cells in response.context["rows"]]
        assert "page=" in response.content.decode()  # the pager links on
    districts = Unit.objects.filter(programme=smart, level__code="district").order_by("code")
    assert seen == [u.code for u in districts] and len(seen) == 6
    assert client.get(reverse("mou_list"), {"page": "zzz"}).status_code == 200  # a bad page number: the first
