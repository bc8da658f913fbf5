"""The assessment review queue: the ticked assessments are accepted in one action, each by assessment_accept."""

import datetime as dt

import pytest
from django.urls import reverse

from assessment.models import TambonAssessment, TambonClassification
from pbm.models import ReviewStatus

pytestmark = pytest.mark.django_db


def test_rsi_accepts_ticked_assessments(world, client_for, django_capture_on_commit_callbacks):
    when = dt.datetime(2021, 4, 1, tzinfo=dt.UTC)
    submitted = {"status": ReviewStatus.SUBMITTED, "first_submitted_at": when, "submitted_at": when}
    a = TambonAssessment.objects.create(programme=world.programme, tambon=world.tambon_a, quarter="2021-Q2",
                                        submitted_by=world.alice, **submitted)  # fmt: skip
    own = TambonAssessment.objects.create(programme=world.programme, tambon=world.tambon_a2, quarter="2021-Q2",
                                          submitted_by=world.carol, **submitted)  # fmt: skip
    other = TambonAssessment.objects.create(programme=world.programme, tambon=world.tambon_b, quarter="2021-Q2",
                                            submitted_by=world.bob, **submitted)  # fmt: skip
    carol = client_for(world.carol)
    page = carol.get(reverse("class_overview")).content.decode()
    assert f'value="tambon:{a.pk}:{a.version}"' in page and f"tambon:{other.pk}:" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = carol.post(reverse("assessments_accept_selected"), {
            "selected": [f"tambon:{a.pk}:{a.version}", f"tambon:{own.pk}:{own.version}", f"tambon:{other.pk}:0"]
        }, follow=True)  # fmt: skip
    text = response.content.decode()
    for obj in (a, own, other):
        obj.refresh_from_db()
    assert (a.status, own.status, other.status) == ("accepted", "submitted", "submitted")
    # her own assessment is not offered to her at all (no review of one's own work): counted as not awaiting her
    assert "ไม่ได้รอการตรวจของคุณแล้ว" in text or "no longer await" in text
    assert TambonClassification.objects.filter(tambon=world.tambon_a, quarter="2021-Q2").exists()  # same service
    assert client_for(world.alice).post(reverse("assessments_accept_selected"), {"selected": [f"tambon:{own.pk}:1"]}
                                        ).status_code == 302  # fmt: skip
    own.refresh_from_db()
    assert own.status == "submitted"
