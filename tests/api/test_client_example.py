"""docs/api_client_example.py files a month through a running server with a client key, as a university's IT
staff would run it; a second run is refused as the month is locked, with the rule named."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from api_clients.models import ClientScope
from api_clients.services import api_client_create
from pbm.models import ReviewStatus
from reporting.models import MonthlyReport
from tests.conftest import build_world
from tests.reporting.helpers import enter_sample_plan

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "api_client_example.py"


@pytest.mark.django_db(transaction=True)
def test_the_example_client_files_a_month(live_server):
    world = build_world()
    enter_sample_plan(world.tambon_a, world.alice)
    _client, key = api_client_create(user=world.alice.__class__.objects.get(username="mona"), name="Example",
                                     university=world.university_a, scope=ClientScope.FILE, tambons=[world.tambon_a])  # fmt: skip
    env = {**os.environ, "PBM_URL": live_server.url, "PBM_KEY": key, "PBM_LANGUAGE": "en"}
    args = [sys.executable, str(SCRIPT), str(world.tambon_a.pk), str(world.programme.start_date.year), "1"]
    run = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert "filed: submitted" in run.stdout
    report = MonthlyReport.objects.get(tambon=world.tambon_a, month=1)
    assert report.status == ReviewStatus.SUBMITTED
    again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert again.returncode == 1 and "[month_locked]" in again.stderr
