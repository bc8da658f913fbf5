"""Two copies of one write sent at the same moment with the same Idempotency-Key (a client that retried before the
first answer came back) do the work once, and both get the same answer (PostgreSQL)."""

import threading

import pytest
from django.db import close_old_connections, connection
from rest_framework.test import APIClient

from api_clients.models import IdempotentWrite
from pbm.models import ReviewEvent
from reporting.models import MonthlyReport
from tests.reporting.helpers import enter_sample_plan


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_retries_with_one_key_file_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    enter_sample_plan(world.tambon_a, world.alice)
    url = f"/api/v1/tambons/{world.tambon_a.pk}/reports/{world.programme.start_date.year}/1/file/"
    barrier, answers, errors = threading.Barrier(4), [], []

    def send():
        try:
            client = APIClient()
            client.force_authenticate(world.alice)
            barrier.wait()
            response = client.post(url, {"version": 0, "narrative": "Once", "submit": True}, format="json",
                                   HTTP_IDEMPOTENCY_KEY="same-key")  # fmt: skip
            answers.append((response.status_code, response.json()))
        except Exception as error:  # noqa: BLE001 - any failure is what this test looks for
            errors.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(answers) == 4
    # every copy gets the one answer, also those that waited on the first copy's locks and found the month submitted
    assert all(status == 200 and body == answers[0][1] for status, body in answers), answers
    assert MonthlyReport.objects.get(tambon=world.tambon_a, month=1).status == "submitted"
    assert ReviewEvent.objects.filter(action="submitted").count() == 1
    assert IdempotentWrite.objects.filter(key="same-key").count() == 1
