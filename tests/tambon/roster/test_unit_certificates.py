"""Certificates of a programme of the unit tree (Tambon Smart Team): its district officers list who is eligible
under their district, issue and print; the number and the text come from the programme's data and the district,
never from U2T's university. The U2T door is the same code (tests/tambon/roster/test_views.py keeps its numbers)."""

import datetime as dt
from io import StringIO
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from pbm.programmes.definition import DefinitionInvalid, parse
from tambon import access
from tambon.models import HiringType, Programme, Tambon, Unit, User
from tambon.roster.demo import national_id
from tambon.roster.models import Certificate, Contract, Person
from tambon.roster.selectors import certificate_issuer, certificate_months, certificate_prefix
from tambon.roster.services import certificate_issue, certificate_pdf, work_accept
from tests.conftest import fetch

pytestmark = pytest.mark.django_db

SMART = "tambon-smart-team-2565"


@pytest.fixture
def smart(db) -> Programme:
    from reporting.models import MonthlyReport

    call_command("seed_demo", "--programme", SMART, stdout=StringIO())
    programme = Programme.objects.get(code=SMART)
    # the demo filed its first months, which freezes their wages; here the work of the whole year is accepted first
    MonthlyReport.objects.filter(tambon__programme=programme).delete()
    return programme


def tambon_under(district_code: str) -> Tambon:
    return Tambon.objects.filter(programme__code=SMART, unit__parent__code=district_code).order_by("pk").first()


def hire_and_work(tambon: Tambon, n: int, months: int, *, gap: int | None = None) -> Contract:
    """A contractor of the tambon with `months` accepted months from the programme's first (one failed at `gap`)."""
    person = Person.objects.create(national_id=national_id(n), first_name=f"ชื่อ{n}", last_name=f"สกุล{n}")
    programme = tambon.programme
    contract = Contract.objects.create(person=person, tambon=tambon, start_date=programme.start_date,
                                       hiring_type=HiringType.objects.get(programme=programme))  # fmt: skip
    contract = Contract.objects.select_related("tambon__programme", "hiring_type", "person").get(pk=contract.pk)
    for index, (year, month) in enumerate(programme.months()[:months]):
        work_accept(contracts=[contract], year=year, month=month, user=None, evaluation_passed=index != gap)
    return contract


# --- the service ---------------------------------------------------------------------------------------------


def test_a_district_numbers_its_certificates_from_the_programme_and_its_own_code(smart):
    tambon = tambon_under("1101")
    officer = User.objects.get(username="tambon-smart-team-d1101")
    need = certificate_months(smart)
    assert need == smart.definition["certificate"]["consecutive_passed_months"]
    ready = hire_and_work(tambon, 1, need)
    cert = certificate_issue(contract=ready, user=officer)
    assert cert.number == f"TST-1101-{ready.pk:06d}" and cert.months == need
    issuer = certificate_issuer(tambon)
    assert issuer.code == "1101" and issuer.name == f"อำเภอ{tambon.unit.parent.name_th}"
    # issuing again gives the same certificate, not a second one
    assert certificate_issue(contract=ready, user=officer) == cert and Certificate.objects.count() == 1


def test_the_prefix_is_the_definitions_else_the_code_without_its_year(smart):
    assert certificate_prefix(smart) == "TST"
    del smart.definition["certificate"]["number_prefix"]
    assert certificate_prefix(smart) == "TAMBON-SMART-TEAM"
    assert certificate_prefix(Programme.objects.get(code="u2t-2564")) == "U2T"


def test_eligibility_follows_the_programmes_months_not_u2ts(smart):
    """U2T's rule would certify after its shorter run; Tambon Smart Team's definition asks a full run of its own."""
    tambon = tambon_under("1101")
    officer = User.objects.get(username="tambon-smart-team-d1101")
    u2t_need = certificate_months(Programme.objects.get(code="u2t-2564"))
    need = certificate_months(smart)
    assert u2t_need < need
    short = hire_and_work(tambon, 2, need - 1)
    broken = hire_and_work(tambon_under("1101"), 3, need, gap=need // 2)
    for contract in (short, broken):
        with pytest.raises(ValidationError, match=f"needs {need}"):
            certificate_issue(contract=contract, user=officer)
    assert not Certificate.objects.exists()


def test_the_pdf_names_the_programme_and_the_district(smart):
    tambon = tambon_under("1101")
    ready = hire_and_work(tambon, 4, certificate_months(smart))
    cert = certificate_issue(contract=ready, user=User.objects.get(username="tambon-smart-team-d1101"))
    from fpdf import FPDF

    written, original = [], FPDF.multi_cell

    def capture(self, w, h, text="", *args, **kwargs):
        written.append(text)
        return original(self, w, h, text, *args, **kwargs)

    with mock.patch.object(FPDF, "multi_cell", capture):
        pdf = certificate_pdf(certificates=[Certificate.objects.get(pk=cert.pk)])
    assert pdf.startswith(b"%PDF")
    text = "\n".join(written)
    assert f"ได้ปฏิบัติงานใน{smart.name_th}" in text  # named once: the programme's name already says โครงการ
    assert f"อำเภอ{tambon.unit.parent.name_th} ขอรับรองว่า" in text
    assert "U2T" not in text and "มหาวิทยาลัย" not in text


def test_a_bad_number_prefix_is_refused_in_thai():
    from django.conf import settings
    from django.utils import translation

    text = (settings.BASE_DIR / "programmes" / f"{SMART}.yaml").read_text(encoding="utf-8")
    bad = text.replace("number_prefix: TST", "number_prefix: tst 1")
    with translation.override("th"), pytest.raises(DefinitionInvalid) as caught:
        parse(bad)
    assert "certificate.number_prefix" in str(caught.value) and "ใช้เป็นคำนำหน้าเลขที่หนังสือรับรองไม่ได้" in str(caught.value)
    assert parse(text)["certificate"]["number_prefix"] == "TST"


# --- the page ------------------------------------------------------------------------------------------------


def test_a_district_officer_issues_and_prints_from_the_district_page(smart, client_for):
    officer = User.objects.get(username="tambon-smart-team-d1101")
    district = Unit.objects.get(programme=smart, depth=2, code="1101")
    need = certificate_months(smart)
    ready, short = hire_and_work(tambon_under("1101"), 5, need), hire_and_work(tambon_under("1101"), 6, need - 1)
    url = reverse("roster_unit_certificates", args=[district.pk])
    client = client_for(officer)
    html = client.get(url).content.decode()
    assert f'value="{ready.pk}"' in html and f'value="{short.pk}"' not in html and smart.name_th in html
    response = fetch(client, url, "post", {"contract": [ready.pk, short.pk]})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert "certificates-1101.pdf" in response["Content-Disposition"]
    assert list(Certificate.objects.values_list("contract_id", flat=True)) == [ready.pk]
    assert f"TST-1101-{ready.pk:06d}" in client.get(url).content.decode()


def test_another_districts_people_are_not_found(smart, client_for):
    officer = User.objects.get(username="tambon-smart-team-d1101")
    mine, other = (Unit.objects.get(programme=smart, depth=2, code=code) for code in ("1101", "1102"))
    theirs = hire_and_work(tambon_under("1102"), 7, certificate_months(smart))
    client = client_for(officer)
    assert client.get(reverse("roster_unit_certificates", args=[other.pk])).status_code == 404
    assert client.get(reverse("roster_unit_certificates", args=[tambon_under("1102").unit_id])).status_code == 404
    assert (
        client.post(reverse("roster_unit_certificates", args=[other.pk]), {"contract": [theirs.pk]}).status_code == 404
    )
    # nor through their own district's door: only the people of tambons under it are offered or issued
    client.post(reverse("roster_unit_certificates", args=[mine.pk]), {"contract": [theirs.pk]})
    assert not Certificate.objects.exists()
    # the province's reviewer sees the district but manages no roster: refused; the department's admin may
    province_reviewer = User.objects.get(username="tambon-smart-team-p11")
    assert client_for(province_reviewer).get(reverse("roster_unit_certificates", args=[mine.pk])).status_code == 403
    admin = User.objects.get(username="tambon-smart-team-admin")
    assert client_for(admin).get(reverse("roster_unit_certificates", args=[other.pk])).status_code == 200


def test_a_pdf_job_of_another_district_is_not_handed_out(smart, client_for):
    officer, other = (User.objects.get(username=f"tambon-smart-team-d{code}") for code in ("1101", "1102"))
    district = Unit.objects.get(programme=smart, depth=2, code="1101")
    hire_and_work(tambon_under("1101"), 8, certificate_months(smart))
    contract = Contract.objects.get()
    fetch(client_for(officer), reverse("roster_unit_certificates", args=[district.pk]), "post",
          {"contract": [contract.pk]})  # fmt: skip
    from pbm.models import ExportJob

    job = ExportJob.objects.get()
    assert client_for(other).get(reverse("export_download", args=[job.pk])).status_code == 404


def test_links_show_only_to_people_who_may_issue(smart, client_for):
    tambon = tambon_under("1101")
    district = Unit.objects.get(programme=smart, depth=2, code="1101")
    door = reverse("roster_unit_certificates", args=[district.pk])
    team_door = reverse("roster_unit_certificates", args=[tambon.unit_id])
    officer = User.objects.get(username="tambon-smart-team-d1101")
    reviewer = User.objects.get(username="tambon-smart-team-p11")
    assert access.can_manage_roster(officer, tambon) and not access.can_manage_roster(reviewer, tambon)
    for user, shown in ((officer, True), (reviewer, False)):
        client = client_for(user)
        dashboard = client.get(reverse("dashboard_unit", args=[district.pk])).content.decode()
        team = client.get(reverse("roster_team", args=[tambon.pk])).content.decode()
        assert (door in dashboard) is shown and (team_door in team) is shown
    assert client_for(officer).get(team_door).status_code == 200


def test_the_u2t_door_keeps_u2t_numbers(world, client_for):
    """The same page and service for U2T: numbered by the university, linked from its manager's team page."""
    person = Person.objects.create(national_id=national_id(9), first_name="สมชาย", last_name="ใจดี")
    contract = Contract.objects.create(person=person, tambon=world.tambon_a, start_date=dt.date(2021, 1, 1),
                                       hiring_type=HiringType.objects.filter(programme=world.programme).first())  # fmt: skip
    contract = Contract.objects.select_related("tambon__programme", "hiring_type").get(pk=contract.pk)
    for year, month in world.programme.months()[: certificate_months(world.programme)]:
        work_accept(contracts=[contract], year=year, month=month, user=None)
    assert certificate_issue(contract=contract, user=world.mona).number == f"U2T-CU-{contract.pk:06d}"
    team = client_for(world.mona).get(reverse("roster_team", args=[world.tambon_a.pk])).content.decode()
    assert reverse("roster_certificates", args=[world.university_a.pk]) in team
    assert (
        "certificates-link"
        not in client_for(world.alice).get(reverse("roster_team", args=[world.tambon_a.pk])).content.decode()
    )
