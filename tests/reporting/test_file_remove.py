"""Removing a wrongly attached file: completion-report photos and monthly evidence, through one service.

The reporter may remove while the report is a draft or returned; the row goes at once and the stored file when
the transaction commits. Submitted or accepted reports keep their files; other units get 404."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from pbm import review
from pbm.models import ReviewAction, ReviewEvent, ReviewStatus
from reporting import services as monthly
from reporting.deadlines import services
from reporting.deadlines.models import CompletionFile, CompletionReport
from reporting.models import Evidence, MonthlyReport

from .helpers import enter_sample_plan
from .test_deadlines import make_activity, photo

pytestmark = pytest.mark.django_db

REFUSED = "%(name)s was not removed: the report can no longer be changed (%(status)s)."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def thai(msgid: str, **values) -> str:
    """The message as the page shows it (Thai is the default language), checked to be translated."""
    with translation.override("th"):
        text = gettext(msgid)
    assert text != msgid, f"no Thai translation for {msgid!r}"
    return text % values if values else text


def thai_label(label) -> str:
    with translation.override("th"):
        return str(label)


def page_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def completion_with_files(world, *names: str) -> CompletionReport:
    report = services.activity_complete(activity=make_activity(world.tambon_a), user=world.alice,
                                        completed_on=dt.date(2021, 3, 10))  # fmt: skip
    services.completion_report_save(report=report, user=world.alice, results="ok", participants={"persons": 5},
                                    files=[photo(name) for name in names])  # fmt: skip
    report.refresh_from_db()
    return report


def month_with_evidence(world, *names: str) -> MonthlyReport:
    lines = enter_sample_plan(world.tambon_a, world.alice)
    return monthly.monthly_report_save(
        tambon=world.tambon_a, year=2021, month=1, user=world.alice, seen_version=None, narrative="Market opened",
        actuals={lines["2.1"].pk: D(1)}, files=[SimpleUploadedFile(name, PDF) for name in names],
    )  # fmt: skip


def remove_url(attached) -> str:
    if isinstance(attached, CompletionFile):
        return reverse("completion_file_delete", args=[attached.pk])
    return reverse("evidence_delete", args=[attached.report.tambon_id, attached.pk])


# --- completion reports --------------------------------------------------------------------------------


def test_reporter_removes_a_completion_photo_and_the_stored_file_goes_on_commit(
    world, client_for, django_capture_on_commit_callbacks
):
    report = completion_with_files(world, "wrong.png", "right.png")
    wrong = report.files.get(name="wrong.png")
    stored = wrong.file.name
    assert default_storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(world.alice).post(remove_url(wrong))
    assert response.status_code == 302
    assert response.url == reverse("completion_report", args=[report.activity_id])
    assert list(report.files.values_list("name", flat=True)) == ["right.png"]
    assert default_storage.exists(stored)  # not before the commit: a rollback would keep both
    for callback in callbacks:
        callback()
    assert not default_storage.exists(stored)
    assert default_storage.exists(report.files.get().file.name)
    assert page_messages(response) == [thai("Removed %(name)s.", name="wrong.png")]
    assert CompletionReport.objects.get().version == report.version + 1


def test_completion_page_shows_remove_buttons_only_while_editable(world, client_for):
    report = completion_with_files(world, "photo.png")
    url = reverse("completion_report", args=[report.activity_id])
    button = f'action="{remove_url(report.files.get())}"'
    assert button in client_for(world.alice).get(url).content.decode()
    assert button not in client_for(world.carol).get(url).content.decode()
    services.completion_report_submit(report=report, user=world.alice)
    assert button not in client_for(world.alice).get(url).content.decode()


@pytest.mark.parametrize("status", [ReviewStatus.SUBMITTED, ReviewStatus.ACCEPTED])
def test_completion_file_stays_after_submission(world, client_for, django_capture_on_commit_callbacks, status):
    report = completion_with_files(world, "photo.png")
    services.completion_report_submit(report=report, user=world.alice)
    if status == ReviewStatus.ACCEPTED:
        review.review_accept(obj=report, user=world.carol)
    attached = report.files.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.alice).post(remove_url(attached))
    assert response.status_code == 302
    assert CompletionFile.objects.filter(pk=attached.pk).exists()
    assert default_storage.exists(attached.file.name)
    status_text = thai_label(ReviewStatus(status).label)
    assert page_messages(response) == [thai(REFUSED, name="photo.png", status=status_text)]


def test_returned_report_records_the_removal_in_its_history(world, client_for, django_capture_on_commit_callbacks):
    report = completion_with_files(world, "a.png", "b.png")
    services.completion_report_submit(report=report, user=world.alice)
    review.review_return(obj=report, user=world.carol, reason="Photo a is of another activity")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.alice).post(remove_url(report.files.get(name="a.png")))
    assert list(report.files.values_list("name", flat=True)) == ["b.png"]
    event = ReviewEvent.objects.filter(action=ReviewAction.CHANGED).last()
    assert event.actor == world.alice
    assert event.changes == [{"field": "files", "subject": "", "old": "a.png", "new": ""}]


@pytest.mark.parametrize("who, status", [("bob", 404), ("dave", 404), ("nobody", 404), ("carol", 403), (None, 302)])
def test_only_the_reporter_in_scope_may_remove_a_completion_file(world, client_for, who, status):
    report = completion_with_files(world, "photo.png")
    attached = report.files.get()
    response = client_for(getattr(world, who) if who else None).post(remove_url(attached))
    assert response.status_code == status
    if who is None:
        assert response.url.startswith(reverse("login"))
    assert CompletionFile.objects.filter(pk=attached.pk).exists()
    assert default_storage.exists(attached.file.name)


def test_get_does_not_remove_a_completion_file(world, client_for):
    attached = completion_with_files(world, "photo.png").files.get()
    assert client_for(world.alice).get(remove_url(attached)).status_code == 405
    assert CompletionFile.objects.filter(pk=attached.pk).exists()


def test_removal_needs_the_csrf_token(world):
    attached = completion_with_files(world, "photo.png").files.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    assert client.post(remove_url(attached)).status_code == 403
    assert CompletionFile.objects.filter(pk=attached.pk).exists()


def test_removing_twice_says_it_is_already_gone_and_a_stale_save_is_told_to_reload(world):
    report = completion_with_files(world, "photo.png")
    seen_version = report.version
    attached = report.files.get()
    monthly.attached_file_delete(attached=attached, user=world.alice)
    with pytest.raises(ValidationError, match="photo.png was already removed"):
        monthly.attached_file_delete(attached=attached, user=world.alice)
    with pytest.raises(ValidationError, match="Someone else changed this report"):
        services.completion_report_save(report=CompletionReport.objects.get(), user=world.alice, results="ok",
                                        participants={"persons": 5}, seen_version=seen_version)  # fmt: skip


# --- monthly evidence ----------------------------------------------------------------------------------


def test_reporter_removes_monthly_evidence_and_the_stored_file(world, client_for, django_capture_on_commit_callbacks):
    report = month_with_evidence(world, "wrong.pdf", "receipt.pdf")
    wrong = report.evidence.get(name="wrong.pdf")
    page = reverse("report_detail", args=[world.tambon_a.pk, 2021, 1])
    assert f'action="{remove_url(wrong)}"' in client_for(world.alice).get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(world.alice).post(remove_url(wrong))
    assert response.status_code == 302 and response.url == page
    assert list(report.evidence.values_list("name", flat=True)) == ["receipt.pdf"]
    assert default_storage.exists(wrong.file.name)
    for callback in callbacks:
        callback()
    assert not default_storage.exists(wrong.file.name)
    assert page_messages(response) == [thai("Removed %(name)s.", name="wrong.pdf")]


def test_monthly_evidence_stays_once_the_month_is_submitted(world, client_for, django_capture_on_commit_callbacks):
    report = month_with_evidence(world, "receipt.pdf")
    monthly.monthly_report_submit(report=report, user=world.alice)
    attached = report.evidence.get()
    page = reverse("report_detail", args=[world.tambon_a.pk, 2021, 1])
    assert f'action="{remove_url(attached)}"' not in client_for(world.alice).get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.alice).post(remove_url(attached))
    assert response.status_code == 302
    assert Evidence.objects.filter(pk=attached.pk).exists() and default_storage.exists(attached.file.name)
    status_text = thai_label(ReviewStatus.SUBMITTED.label)
    assert page_messages(response) == [thai(REFUSED, name="receipt.pdf", status=status_text)]


@pytest.mark.parametrize("who, status", [("bob", 404), ("dave", 404), ("carol", 403), (None, 302)])
def test_only_the_reporter_in_scope_may_remove_monthly_evidence(world, client_for, who, status):
    attached = month_with_evidence(world, "receipt.pdf").evidence.get()
    response = client_for(getattr(world, who) if who else None).post(remove_url(attached))
    assert response.status_code == status
    assert Evidence.objects.filter(pk=attached.pk).exists() and default_storage.exists(attached.file.name)


def test_evidence_is_not_found_under_another_tambon(world, client_for):
    attached = month_with_evidence(world, "receipt.pdf").evidence.get()
    url = reverse("evidence_delete", args=[world.tambon_a2.pk, attached.pk])  # alice's, but not this file's tambon
    assert client_for(world.alice).post(url).status_code == 404
    assert Evidence.objects.filter(pk=attached.pk).exists()


def test_get_does_not_remove_monthly_evidence(world, client_for):
    attached = month_with_evidence(world, "receipt.pdf").evidence.get()
    assert client_for(world.alice).get(remove_url(attached)).status_code == 405
    assert Evidence.objects.filter(pk=attached.pk).exists()
