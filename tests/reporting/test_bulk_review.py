"""A reviewer filters the review list and accepts the ticked reports in one action, each by the same rules."""

import pytest
from django.urls import reverse

from pbm.models import Notification, ReviewStatus
from reporting.models import MonthlyReport

pytestmark = pytest.mark.django_db


def _submitted(tambon, month, by, **extra) -> MonthlyReport:
    return MonthlyReport.objects.create(tambon=tambon, year=2021, month=month, status=ReviewStatus.SUBMITTED,
                                        submitted_by=by, narrative="x", **extra)  # fmt: skip


def test_reviewer_accepts_the_ticked_reports_and_is_told_which_were_not(
    world, client_for, django_capture_on_commit_callbacks
):
    good = [_submitted(world.tambon_a, m, world.alice) for m in (1, 2, 3)]
    own = _submitted(world.tambon_a2, 1, world.carol)  # carol may not accept what she submitted
    stale = _submitted(world.tambon_a2, 2, world.alice)
    other_network = _submitted(world.tambon_b, 1, world.bob)
    carol = client_for(world.carol)
    selected = [f"{r.pk}:{r.version}" for r in [*good, own, other_network]] + [f"{stale.pk}:{stale.version + 1}"]
    with django_capture_on_commit_callbacks(execute=True):
        response = carol.post(reverse("review_list") + "?kind=monthly", {"selected": selected, "action": "accept"},
                              follow=True)  # fmt: skip
    page = response.content.decode()
    assert [r.status for r in MonthlyReport.objects.filter(pk__in=[g.pk for g in good])] == ["accepted"] * 3
    for report in (own, stale, other_network):
        report.refresh_from_db()
        assert report.status == ReviewStatus.SUBMITTED
    messages = page[page.index('class="messages"') : page.index("</ul>", page.index('class="messages"'))]
    assert "Accepted 3" in messages or "รับรองแล้ว 3" in messages
    assert messages.count("ห้วยแห้ง") == 3  # the accepted, by name
    # carol's own report is not offered to her at all (no review of one's own work), so, like a report of another
    # network, it is counted among those no longer awaiting her review; the stale one is named with its reason
    assert "รายงานที่เลือก 2 รายการ" in messages or "2 of the selected" in messages
    assert messages.count("ทับกวาง") == 1
    assert "ศรีภูมิ" not in messages  # outside her area: not even named
    # each acceptance told the university once, as one step on its own page would
    assert Notification.objects.filter(user=world.alice, kind="review").count() == 3


def test_filters_narrow_the_list(world, client_for):
    late = _submitted(world.tambon_a, 1, world.alice, is_late=True)
    on_time = _submitted(world.tambon_a, 2, world.alice)
    over = _submitted(world.tambon_cross, 2, world.alice, is_over_budget=True)
    nora = client_for(world.nora)

    def rows(query: str) -> set[int]:
        page = nora.get(reverse("review_list") + query).content.decode()
        return {r.pk for r in (late, on_time, over) if f'value="{r.pk}:' in page}

    assert rows("") == {late.pk, on_time.pk, over.pk}
    assert rows("?flag=late") == {late.pk}
    assert rows("?flag=over_budget") == {over.pk}
    assert rows("?month=2564-02") == {on_time.pk, over.pk}
    assert rows(f"?university={world.university_b.pk}") == set()
    assert rows("?month=garbage&university=x") == {late.pk, on_time.pk, over.pk}  # ignored, not an error
    # an RSI sees only its area; a ticked report outside it is not accepted
    assert client_for(world.dave).get(reverse("review_list")).content.decode().count('name="selected"') == 1
    assert client_for(world.alice).get(reverse("review_list")).status_code == 404


def test_mou_reports_are_accepted_from_the_list_too(world, client_for, django_capture_on_commit_callbacks):
    import datetime as dt

    from reporting.deadlines.models import MouReport

    when = dt.datetime(2021, 4, 1, tzinfo=dt.UTC)
    mine = MouReport.objects.create(programme=world.programme, period="6m", university=world.university_a,
                                    status="submitted", submitted_at=when, submitted_by=world.mona)  # fmt: skip
    other = MouReport.objects.create(programme=world.programme, period="6m", university=world.university_b,
                                     status="submitted", submitted_at=when, submitted_by=world.bob)  # fmt: skip
    carol = client_for(world.carol)
    page = carol.get(reverse("review_list") + "?kind=mou").content.decode()
    assert f'value="{mine.pk}:' in page and f'value="{other.pk}:' not in page
    with django_capture_on_commit_callbacks(execute=True):
        carol.post(reverse("review_list") + "?kind=mou", {"selected": [f"{mine.pk}:{mine.version}", f"{other.pk}:0"]})
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.status, other.status) == ("accepted", "submitted")
    assert Notification.objects.filter(user=world.mona, kind="review").exists()
