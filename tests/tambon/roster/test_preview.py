"""The import preview lists the people of the sheet (paged), each row's errors beside it, filterable to the rows
with errors; national IDs are shown by the one rule (whole to those who pay wages, last 4 digits otherwise);
the template's own example ID passes the check digit."""

import io
import re

from stdnum.th import pin

from tambon.models import Role
from tambon.roster.models import RosterImport
from tambon.roster.services.jobs import roster_import_run
from tambon.roster.sheet import COLUMNS, mask_national_id
from tests.factories import MembershipFactory, UserFactory
from tests.tambon.roster.conftest import person_row, xlsx_bytes


def _job(world, rows) -> RosterImport:
    job = RosterImport.objects.create(university=world.university_a, original_name="r.xlsx", created_by=world.mona)
    job.file.save("r.xlsx", io.BytesIO(xlsx_bytes(rows)))
    return roster_import_run(roster_import=job, confirm=False)


def test_the_templates_example_national_id_passes_the_check_digit():
    hint = next(c.hint for c in COLUMNS if c.key == "national_id")
    example = re.search(r"\d[\d-]{12,}\d", hint).group()
    assert pin.is_valid(example.replace("-", "")), hint


def test_preview_lists_each_person_with_its_errors_beside_it(world, client_for):
    reserve = {"status": "สำรอง"}  # reserves hold no place, so 60 people fit the tambon's quota
    rows = [person_row(n, world.tambon_a, reserve_rank=str(n), **reserve) for n in range(1, 61)]
    rows[6] = person_row(7, world.tambon_a, national_id="1234567890123", reserve_rank="7", **reserve)
    rows[55] = person_row(56, world.tambon_a, hiring_type="อาสาสมัคร", reserve_rank="56", **reserve)
    job = _job(world, rows)
    assert job.status == "failed" and len(job.preview) == 60
    assert [p["outcome"] for p in job.preview].count("error") == 2

    client = client_for(world.mona)
    first = client.get(f"/roster/imports/{job.pk}/").content.decode()
    assert first.count('<tr class="outcome-') == 50 and 'class="pager"' in first
    bad_id, bad_type = (p["row"] for p in job.preview if p["outcome"] == "error")
    assert f'data-row="{bad_id}"' in first and "1234567890123" in first  # the manager sees the whole ID
    second = client.get(f"/roster/imports/{job.pk}/?page=2").content.decode()
    assert second.count('<tr class="outcome-') == 10

    errors = client.get(f"/roster/imports/{job.pk}/?show=errors").content.decode()
    assert errors.count('<tr class="outcome-error"') == 2 and errors.count('<tr class="outcome-') == 2

    def row(number: int) -> str:
        start = errors.index(f'data-row="{number}"')
        return errors[start : errors.index("</tr>", start)]

    assert "1234567890123" in row(bad_id) and '<ul class="row-errors"><li><strong>เลขประจำตัวประชาชน</strong>' in row(
        bad_id
    )
    assert "อาสาสมัคร" in row(bad_type) and '<ul class="row-errors"><li><strong>ประเภทการจ้าง</strong>' in row(bad_type)


def test_national_ids_are_masked_the_same_way_on_the_preview_and_the_team_page(world, client_for):
    job = _job(world, [person_row(n, world.tambon_a) for n in range(1, 4)])
    full = job.preview[0]["national_id"]
    masked = mask_national_id(full)
    RosterImport.objects.filter(pk=job.pk).update(status="preview")
    roster_import_run(roster_import=RosterImport.objects.get(pk=job.pk), confirm=False)
    viewer = UserFactory(username="nsi-reviewer-2")
    MembershipFactory(user=viewer, role=Role.NSI_REVIEWER)
    # The manager pays wages by ID: whole everywhere. The NSI reviewer: the same mask everywhere.
    manager = client_for(world.mona).get(f"/roster/imports/{job.pk}/").content.decode()
    assert f">{full}<" in manager
    confirm = RosterImport.objects.get(pk=job.pk)
    RosterImport.objects.filter(pk=confirm.pk).update(status="writing")
    roster_import_run(roster_import=RosterImport.objects.get(pk=job.pk), confirm=True)
    team_manager = client_for(world.mona).get(f"/tambons/{world.tambon_a.pk}/team/").content.decode()
    team_reporter = client_for(world.alice).get(f"/tambons/{world.tambon_a.pk}/team/").content.decode()
    team_reviewer = client_for(viewer).get(f"/tambons/{world.tambon_a.pk}/team/").content.decode()
    assert full in team_manager
    for page in (team_reporter, team_reviewer):
        assert full not in page and masked in page
    api = client_for(world.alice).get(f"/api/v1/roster/contracts/?tambon={world.tambon_a.pk}").json()
    items = api["results"] if isinstance(api, dict) else api
    assert masked in [c["national_id"] for c in items]
