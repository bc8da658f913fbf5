import json
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tambon import access

from . import discussion, line, notifications, review
from .celery import app as celery_app
from .followups import broker_check
from .forms import CommentForm, NotificationSettingsForm, ReviewForm
from .history import history
from .models import Heartbeat, Notification, PendingTask, Reviewable
from .notifications import notification_mark_read


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and compose health checks: database, cache and Celery broker reachable, follow-ups
    waiting for the broker, last worker heartbeat."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("health", "ok", 10)
        checks["cache"] = "ok" if cache.get("health") == "ok" else "error"
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = f"error: {exc.__class__.__name__}"
    eager = celery_app.conf.task_always_eager
    if not eager:  # in-process tasks need no broker
        checks["broker"] = broker_check(timeout=2.0)
    database_ok = checks["database"] == "ok"
    beat = Heartbeat.objects.filter(name="celery").first() if database_ok else None
    body = {
        "status": "ok" if all(v == "ok" for v in checks.values()) else "error",
        "checks": checks,
        "celery_eager": eager,
        "last_worker_heartbeat": beat.beat_at.isoformat() if beat else None,
        "pending_followups": PendingTask.objects.count() if database_ok else None,
        "stuck_deliveries": notifications.stuck_deliveries() if database_ok else None,
        "time": timezone.now().isoformat(),
    }
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(user=request.user)
    if request.GET.get("unread"):
        notifications = notifications.filter(read_at__isnull=True)
    return render(
        request,
        "pbm/notification_list.html",
        {
            "page": Paginator(notifications, 50).get_page(request.GET.get("page")),
            "only_unread": bool(request.GET.get("unread")),
        },
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link (a plain link in the list), marking it read."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notification_mark_read(user=request.user, notification_id=pk)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notification_list")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Mark one notification read and follow its link, or (no pk) mark all read."""
    notification_mark_read(user=request.user, notification_id=pk)
    if pk is not None:
        notification = get_object_or_404(Notification, pk=pk, user=request.user)
        if (
            notification.url
            and not request.POST.get("stay")
            and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None)
        ):
            return redirect(notification.url)
    return redirect("notification_list")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Per kind and channel: at once, daily digest or off; language and digest time; linking LINE."""
    profile = notifications.profile_of(request.user)
    form = NotificationSettingsForm(
        request.POST or None, modes=notifications.preferences_of(request.user),
        initial={"language": profile.language, "digest_time": profile.digest_time.strftime("%H:%M")},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        notifications.preferences_save(user=request.user, modes=form.modes(), language=form.cleaned_data["language"],
                                       digest_time=form.cleaned_data["digest_time"])  # fmt: skip
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notification_settings")
    return render(request, "pbm/notification_settings.html", {
        "form": form, "profile": profile, "line_enabled": line.enabled(),
        "line_account": settings.LINE_OFFICIAL_ACCOUNT, "email": request.user.email,
        "code_valid": bool(profile.line_code and profile.line_code_expires_at and profile.line_code_expires_at > timezone.now()),
    })  # fmt: skip


@login_required
@require_POST
def line_link(request: HttpRequest) -> HttpResponse:
    """A new one-time code to send to the programme's LINE Official Account (or, with unlink, forget LINE)."""
    if request.POST.get("unlink"):
        notifications.line_unlink(user=request.user)
        messages.success(request, _("LINE is no longer linked to your account."))
    elif line.enabled():
        notifications.line_link_code(user=request.user)
    return redirect("notification_settings")


@csrf_exempt
@require_POST
def line_webhook(request: HttpRequest) -> HttpResponse:
    """LINE's webhook: only a request signed with the channel secret is read; it links LINE users by their code."""
    if not line.enabled():
        raise Http404("LINE is not configured")
    body = request.body
    if not line.signature_valid(body, request.headers.get("X-Line-Signature", "")):
        return HttpResponse("bad signature", status=403, content_type="text/plain")
    try:
        events = json.loads(body).get("events") or []
    except (ValueError, AttributeError):
        return HttpResponse("bad body", status=400, content_type="text/plain")
    notifications.line_webhook_handle(events=events)
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_POST
def report_comment(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    """A comment on any report, by its filers or reviewers; kept in its history and sent to the other side."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404("No such report") from None
    if model is None or not issubclass(model, Reviewable):
        raise Http404("No such report")
    obj = model.objects.filter(pk=object_id).first()
    if obj is None or not (review.can_file(request.user, obj) or review.can_review(request.user, obj)):
        raise Http404("No such report")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            discussion.comment_add(obj=obj, user=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Your comment is added; the other side is told."))
    else:
        messages.error(request, _("Write a comment of up to 4,000 characters."))
    return redirect(f"{obj.get_absolute_url()}#discussion")


def unread_notifications(request: HttpRequest) -> dict:
    """Context processor: the unread count shown in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": notifications.unread_count(user)}


def review_context(user, obj: Reviewable | None, *, history_entries: list | None = None) -> dict:
    """What the review snippets need for any report: may this user review or reopen it now, the form, history
    (`history_entries` when the page has already read a fuller one)."""
    saved = obj is not None and obj.pk is not None
    waiting = saved and obj.status == review.ReviewStatus.SUBMITTED
    in_unit = waiting and access.reviews_unit(user, obj.review_scope())
    return {
        "can_review": in_unit and review.can_review(user, obj),
        # a reviewer of the unit who must leave this one to a colleague is told why, with no buttons
        "review_conflict": access.review_conflict(user, obj) if in_unit else None,
        "can_reopen": saved and obj.status == review.ReviewStatus.ACCEPTED and review.can_reopen(user, obj),
        "review_form": ReviewForm(initial={"version": obj.version if obj is not None else 0}),
        "history": history_entries if history_entries is not None else history(obj=obj) if saved else [],
        "can_comment": saved and (review.can_file(user, obj) or review.can_review(user, obj)),
        "comment_form": CommentForm(),
        "comments": list(discussion.comments(obj)) if saved else [],
        "comment_url": reverse("report_comment", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])
        if saved
        else "",
    }


ReviewStep = Callable[[Reviewable, object, str], object]  # (report, user, reason)


def review_post(
    request: HttpRequest,
    obj: Reviewable,
    *,
    accept: ReviewStep | None = None,
    return_: ReviewStep | None = None,
    reopen: ReviewStep | None = None,
) -> None:
    """Accept, return or (NSI) reopen `obj` from a posted ReviewForm, for every kind of report.

    Each step defaults to pbm/review.py's; an app passes its own service where it does more (the assessment's
    accept queues the classification). A stale page is refused; what happened is said in a message."""
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept, return or reopen."))
        return
    steps: dict[str, ReviewStep] = {
        "accept": accept or (lambda o, user, _reason: review.review_accept(obj=o, user=user)),
        "return": return_ or (lambda o, user, reason: review.review_return(obj=o, user=user, reason=reason)),
        "reopen": reopen or (lambda o, user, reason: review.review_reopen(obj=o, user=user, reason=reason)),
    }  # fmt: skip
    try:
        review.version_check(obj, form.cleaned_data["version"])
        steps[form.cleaned_data["action"]](obj, request.user, form.cleaned_data["reason"])
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        obj.refresh_from_db(fields=["status"])
        messages.success(request, _("The report is now: %(status)s.") % {"status": obj.get_status_display()})


class LogoutView(auth_views.LogoutView):
    """Django's logout, then a message on the login page so the person knows it worked."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            messages.success(request, _("You are logged out."))
        return response
