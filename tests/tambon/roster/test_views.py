"""Roster pages for each kind of user: allowed, read-only, another unit (404), anonymous."""

import io

import pytest
from openpyxl import load_workbook

from tambon.roster.demo import national_id
from tambon.roster.models import Contract, ImportStatus, RosterImport
from tambon.roster.services import roster_import, university_owner
from tests.conftest import fetch

from .conftest import person_row, xlsx_bytes


def hire(world, rows):
    result = roster_import(file=io.BytesIO(xlsx_bytes(rows)), name="r.xlsx")
    assert result.errors == [], result.errors
    return Contract.objects.order_by("id")


def upload(client, world, rows, name="roster.xlsx"):
    data = io.BytesIO(xlsx_bytes(rows))
    data.name = name
    return post(client, f"/universities/{world.university_a.pk}/roster/", {"file": data})


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    global committing
    committing = django_capture_on_commit_callbacks


def post(client, url, data=None):
    """Jobs are queued on commit of the request's transaction; run them as production would."""
    with committing(execute=True):
        return client.post(url, data or {})


@pytest.mark.django_db
def test_team_page_shows_fill_rate_and_reserve_list_in_order(world, client_for):
    hire(world, [person_row(1, world.tambon_a), person_row(2, world.tambon_a, hiring_type="นักศึกษา"),
                 person_row(3, world.tambon_a, status="สำรอง", reserve_rank=2, first_name="สำรองสอง"),
                 person_row(4, world.tambon_a, status="สำรอง", reserve_rank=1, first_name="สำรองหนึ่ง")])  # fmt: skip
    response = client_for(world.alice).get(f"/tambons/{world.tambon_a.pk}/team/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "20.0%" in html  # 1 of 5 citizens
    assert "10.0%" in html  # 2 of 20 overall
    assert html.index("สำรองหนึ่ง") < html.index("สำรองสอง")


@pytest.mark.django_db
def test_team_page_masks_ids_for_reporters_and_reviewers_but_not_for_the_manager(world, client_for):
    hire(world, [person_row(1, world.tambon_a)])
    full = national_id(1)
    for user in (world.alice, world.carol, world.nora):
        html = client_for(user).get(f"/tambons/{world.tambon_a.pk}/team/").content.decode()
        assert full not in html and full[-4:] in html
    for user in (world.mona, world.nina):
        assert full in client_for(user).get(f"/tambons/{world.tambon_a.pk}/team/").content.decode()


@pytest.mark.django_db
def test_team_page_is_404_for_another_university_and_login_for_anonymous(world, client_for):
    assert client_for(world.bob).get(f"/tambons/{world.tambon_a.pk}/team/").status_code == 404
    assert client_for(world.dave).get(f"/tambons/{world.tambon_a.pk}/team/").status_code == 404
    assert client_for(None).get(f"/tambons/{world.tambon_a.pk}/team/").status_code == 302


@pytest.mark.django_db
def test_import_page_for_manager_only(world, client_for):
    url = f"/universities/{world.university_a.pk}/roster/"
    assert client_for(world.mona).get(url).status_code == 200
    assert client_for(world.nina).get(url).status_code == 200
    assert client_for(world.alice).get(url).status_code == 403  # reporter: read-only for imports
    assert client_for(world.bob).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


@pytest.mark.django_db
def test_template_download_has_thai_headers_hint_row_and_type_dropdown(world, client_for):
    response = client_for(world.mona).get(f"/universities/{world.university_a.pk}/roster/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "เลขประจำตัวประชาชน *"
    assert sheet["A3"].value.startswith("คำแนะนำ")
    assert any(dv.formula1 == '"ประชาชน,บัณฑิตจบใหม่,นักศึกษา"' for dv in sheet.data_validations.dataValidation)


@pytest.mark.django_db
def test_upload_preview_then_confirm_writes_everything(world, client_for):
    client = client_for(world.mona)
    response = upload(client, world, [person_row(1, world.tambon_a), person_row(2, world.tambon_a2)])
    job = RosterImport.objects.get()
    assert response.url == f"/roster/imports/{job.pk}/"
    assert (job.status, job.new_count, Contract.objects.count()) == (ImportStatus.PREVIEW, 2, 0)
    assert "national_id" not in response.url
    post(client, f"/roster/imports/{job.pk}/confirm/")
    job.refresh_from_db()
    assert (job.status, Contract.objects.count()) == (ImportStatus.DONE, 2)
    assert client.get(f"/roster/imports/{job.pk}/progress/").json() == {
        "status": "done",
        "progress": 100,
        "phase": "",
        "label": "นำเข้าแล้ว",
        "running": False,
    }


@pytest.mark.django_db
def test_upload_with_errors_lists_them_and_offers_the_error_rows(world, client_for):
    client = client_for(world.mona)
    rows = [
        person_row(1, world.tambon_a),
        person_row(2, world.tambon_a, national_id="1234"),
        person_row(3, world.tambon_a, hiring_type="?"),
    ]
    upload(client, world, rows)
    job = RosterImport.objects.get()
    html = client.get(f"/roster/imports/{job.pk}/").content.decode()
    assert job.status == ImportStatus.FAILED and job.error_count == 2
    assert "เลขประจำตัวประชาชน" in html and "ประเภทการจ้าง" in html and 'id="confirm"' not in html
    errors = load_workbook(io.BytesIO(client.get(f"/roster/imports/{job.pk}/errors.xlsx").content)).active
    values = list(errors.values)
    assert len(values) == 3 + 2  # title, header, hint, two error rows
    assert values[3][0] == "1234" and values[3][-1].startswith("เลขประจำตัวประชาชน: ") and "13" in values[3][-1]
    assert post(client, f"/roster/imports/{job.pk}/confirm/").status_code == 302
    assert Contract.objects.count() == 0


@pytest.mark.django_db
def test_uploaded_non_xlsx_shows_the_message(world, client_for):
    client = client_for(world.mona)
    data = io.BytesIO(b"a,b")
    data.name = "roster.csv"
    response = post(client, f"/universities/{world.university_a.pk}/roster/", {"file": data})
    # refused on the upload page itself, before anything is stored (no import job, no file)
    assert response.status_code == 200 and ".xlsx" in response.content.decode()
    assert not RosterImport.objects.exists()


@pytest.mark.django_db
def test_import_of_another_university_is_404(world, client_for):
    upload(client_for(world.mona), world, [person_row(1, world.tambon_a)])
    job = RosterImport.objects.get()
    assert client_for(world.bob).get(f"/roster/imports/{job.pk}/").status_code == 404
    assert client_for(world.alice).get(f"/roster/imports/{job.pk}/").status_code == 403


@pytest.mark.django_db
def test_export_then_import_unchanged_reports_zero_changes(world, client_for):
    hire(world, [person_row(1, world.tambon_a), person_row(2, world.tambon_a2, hiring_type="บัณฑิตจบใหม่", graduated_on="31/03/2563"),
                 person_row(3, world.tambon_a, status="สำรอง", reserve_rank=1, end_date="31/12/2564", phone="0812345678")])  # fmt: skip
    exported = fetch(client_for(world.mona), f"/universities/{world.university_a.pk}/roster/export.xlsx").content
    result = roster_import(
        file=io.BytesIO(exported), name="export.xlsx", owner=university_owner(world.university_a, world.programme)
    )
    assert (result.rows_total, result.new, result.updated, result.unchanged, result.errors) == (3, 0, 0, 3, [])


@pytest.mark.django_db
def test_exports_mask_ids_for_roles_that_do_not_handle_payments(world, client_for):
    hire(world, [person_row(1, world.tambon_a)])
    tambon_url = f"/tambons/{world.tambon_a.pk}/team/export.xlsx"
    masked = load_workbook(io.BytesIO(client_for(world.carol).get(tambon_url).content)).active["A4"].value
    assert masked.endswith(national_id(1)[-4:]) and national_id(1) not in masked
    national = (
        load_workbook(io.BytesIO(fetch(client_for(world.nora), "/roster/export.xlsx").content)).active["A4"].value
    )
    assert national_id(1) not in national
    assert load_workbook(io.BytesIO(fetch(client_for(world.nina), "/roster/export.xlsx").content)).active[
        "A4"
    ].value == national_id(1)
    assert client_for(world.mona).get("/roster/export.xlsx").status_code == 404
    assert client_for(world.bob).get(tambon_url).status_code == 404


def version(contract) -> str:
    from tambon.roster.services import contract_version

    contract.refresh_from_db()
    return contract_version(contract)


@pytest.mark.django_db
def test_resignation_with_short_notice_is_flagged(world, client_for):
    contract = hire(world, [person_row(1, world.tambon_a)]).get()
    data = {"notice_date": "2021-05-01", "last_day": "2021-05-15", "reason": "ย้ายบ้าน", "version": version(contract)}
    client = client_for(world.alice)
    stale = client.post(f"/roster/contracts/{contract.pk}/resign/", data | {"version": "2020-01-01T00:00:00+00:00"})
    assert stale.status_code == 200 and Contract.objects.get(pk=contract.pk).status == "active"  # another tab's
    assert client.post(f"/roster/contracts/{contract.pk}/resign/", {k: v for k, v in data.items() if k != "version"}
                       ).status_code == 200  # no version at all: refused too  # fmt: skip
    response = client.post(f"/roster/contracts/{contract.pk}/resign/", data)
    contract.refresh_from_db()
    assert response.status_code == 302 and contract.status == "resigned" and contract.short_notice
    assert (
        '<span class="badge warn">'
        in client_for(world.alice).get(f"/tambons/{world.tambon_a.pk}/team/").content.decode()
    )


@pytest.mark.django_db
def test_contract_actions_are_404_for_another_university_and_403_for_reviewers(world, client_for):
    contract = hire(world, [person_row(1, world.tambon_a)]).get()
    assert client_for(world.bob).get(f"/roster/contracts/{contract.pk}/resign/").status_code == 404
    assert client_for(world.carol).get(f"/roster/contracts/{contract.pk}/resign/").status_code == 403
    assert client_for(None).get(f"/roster/contracts/{contract.pk}/resign/").status_code == 302


@pytest.mark.django_db
def test_accepting_a_month_from_the_team_page_records_wages(world, client_for):
    contracts = hire(world, [person_row(1, world.tambon_a), person_row(2, world.tambon_a)])
    client_for(world.alice).post(f"/tambons/{world.tambon_a.pk}/team/accept/",
                                 {"month": "2021-2", "contracts": [c.pk for c in contracts], "evaluation_passed": "on"})  # fmt: skip
    from tambon.roster.selectors import wages_due

    assert wages_due(tambon_ids=[world.tambon_a.pk], year=2021, month=2) == {(world.tambon_a.pk, "citizen"): 18000}
    assert client_for(world.carol).post(f"/tambons/{world.tambon_a.pk}/team/accept/", {}).status_code == 403


@pytest.mark.django_db
def test_the_team_page_offers_the_month_after_the_latest_accepted(world, client_for):
    from tambon.roster.services import work_accept

    def offered() -> str:
        return (
            client_for(world.alice).get(f"/tambons/{world.tambon_a.pk}/team/").context["accept_form"]["month"].value()
        )

    assert offered() == "2021-1"  # nothing accepted yet: the programme's first month
    contracts = list(hire(world, [person_row(1, world.tambon_a)]).select_related("hiring_type", "tambon__programme"))
    work_accept(contracts=contracts, year=2021, month=4, user=None)
    assert offered() == "2021-5"
    work_accept(contracts=contracts, year=2021, month=12, user=None)
    assert offered() == "2021-12"  # the programme's last month stays the last


@pytest.mark.django_db
def test_certificates_page_prints_a_pdf_for_eligible_people_only_for_the_manager(world, client_for):
    from tambon.roster.services import work_accept

    ready, short = hire(world, [person_row(1, world.tambon_a), person_row(2, world.tambon_a)])
    contracts = list(Contract.objects.select_related("hiring_type", "tambon__programme", "person").order_by("id"))
    for month in range(1, 7):
        work_accept(contracts=contracts if month < 6 else contracts[:1], year=2021, month=month, user=None)
    url = f"/universities/{world.university_a.pk}/roster/certificates/"
    html = client_for(world.mona).get(url).content.decode()
    assert f'value="{ready.pk}"' in html and f'value="{short.pk}"' not in html
    response = fetch(client_for(world.mona), url, "post", {"contract": [ready.pk, short.pk]})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert ready.__class__.objects.filter(certificate__isnull=False).count() == 1
    assert client_for(world.alice).get(url).status_code == 403
    assert client_for(world.bob).get(url).status_code == 404


@pytest.mark.django_db
def test_replacement_page_offers_the_reserve_list_in_order(world, client_for):
    left, second, first = hire(world, [
        person_row(1, world.tambon_a), person_row(2, world.tambon_a, status="สำรอง", reserve_rank=2),
        person_row(3, world.tambon_a, status="สำรอง", reserve_rank=1),
    ])  # fmt: skip
    client = client_for(world.alice)
    client.post(f"/roster/contracts/{left.pk}/terminate/",
                {"last_day": "2021-03-31", "reason": "ขาดงาน", "version": version(left)})  # fmt: skip
    page = client.get(f"/roster/contracts/{left.pk}/replace/").content.decode()
    assert f'<option value="{first.pk}" selected>' in page
    refused = client.post(f"/roster/contracts/{left.pk}/replace/",
                          {"reserve": first.pk, "start_date": "2021-04-01", "version": version(left)})  # fmt: skip
    assert "ต้องมีภูมิลำเนาในตำบลหรืออำเภอ" in refused.content.decode()  # eligibility checked at hiring
    client.post(f"/roster/contracts/{left.pk}/replace/",
                {"reserve": first.pk, "start_date": "2021-04-01", "version": version(left), "residency": "tambon",
                 "unemployed": "on", "no_other_state_wage": "on"})  # fmt: skip
    first.refresh_from_db()
    assert (first.status, first.replaces_id) == ("active", left.pk)


@pytest.mark.django_db
def test_links_to_the_roster_from_the_tambon_and_university_pages(world, client_for):
    assert (
        f"/tambons/{world.tambon_a.pk}/team/"
        in client_for(world.carol).get(f"/tambons/{world.tambon_a.pk}/").content.decode()
    )
    roster = f"/universities/{world.university_a.pk}/roster/"
    assert roster in client_for(world.mona).get(f"/universities/{world.university_a.pk}/").content.decode()
    assert roster not in client_for(world.alice).get(f"/universities/{world.university_a.pk}/").content.decode()


@pytest.mark.django_db
def test_national_ids_never_reach_the_logs(world, client_for, caplog):
    caplog.set_level("DEBUG")
    rows = [person_row(1, world.tambon_a), person_row(2, world.tambon_a, national_id=national_id(2)[:-1] + "0")]
    upload(client_for(world.mona), world, rows)
    assert national_id(1) not in caplog.text and national_id(2)[:12] not in caplog.text


@pytest.mark.django_db
def test_the_national_roster_is_the_programmes_own_for_its_own_national_roles(world, client_for, client):
    """A Smart Team admin is national in Smart Team only: its national roster export holds Smart Team's people, never
    U2T's, and a job asking U2T's roster (masked or not) is refused to them when it starts and when fetched."""
    from io import StringIO

    from django.core.management import call_command
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tambon.models import User
    from tambon.roster.exports import NATIONAL_ROSTER

    hire(world, [person_row(1, world.tambon_a)])
    call_command("seed_demo", "--programme", "tambon-smart-team-2565", stdout=StringIO())
    smart_admin = User.objects.get(username="tambon-smart-team-admin")
    u2t = world.tambon_a.programme.pk
    assert not NATIONAL_ROSTER.allowed(smart_admin, {"programme": u2t, "mask": False})
    assert not NATIONAL_ROSTER.allowed(smart_admin, {"programme": u2t, "mask": True})
    assert NATIONAL_ROSTER.allowed(world.nina, {"programme": u2t, "mask": False})
    client.force_login(smart_admin)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=smart_admin, confirmed=True).persistent_id
    session.save()
    sheet = load_workbook(io.BytesIO(fetch(client, "/roster/export.xlsx").content)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert not any(national_id(1)[-4:] in c for c in cells)
