"""Notifications: in the app, by email and by LINE, each sent exactly once per (recipient, key, day).

A send first claims its `SentMessage` row (unique on recipient, key and date) together with the in-app
notification and one `Delivery` per outside channel the person wants (their preferences: at once, in a daily
digest, or off), in one transaction. Immediate deliveries are queued after commit; a delivery that fails is
retried with doubling waits by the scheduled `notifications_retry` and, after the last attempt, is FAILED: it
shows in the admin's delivery list and as `stuck_deliveries` on /health/. Running a job twice, or again after a
worker died, claims nothing new, so nobody is told twice.

Every review step of every report kind goes through `review_event_queue` (called by pbm/review.py after the
step's event is written): once the step commits, the people who must act next are told.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pbm import line
from pbm.models import (
    Channel,
    Delivery,
    DeliveryMode,
    DeliveryStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationProfile,
    ReviewAction,
    ReviewEvent,
    SentMessage,
)  # fmt: skip
from tambon import access
from tambon.models import NATIONAL_ROLES, Membership, Network, Tambon, Unit, University, User

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)  # an attempt in progress holds its delivery this long before the job may retry it


@dataclass
class Message:
    key: str  # what the message is, stable across re-runs: "monthly-due:2021-01:before"
    subject_th: str
    subject_en: str
    body_th: str
    body_en: str
    url: str = ""  # site-relative link to the thing it is about
    kind: str = NotificationKind.REMINDER


# --- preferences ------------------------------------------------------------------------------------------


def profile_of(user: User) -> NotificationProfile:
    """The person's profile, or (never saved yet) the defaults, unsaved: reading the settings page writes nothing."""
    return NotificationProfile.objects.filter(user=user).first() or NotificationProfile(user=user)


def preferences_of(user: User) -> dict[tuple[str, str], str]:
    """{(kind, channel): mode} for every kind and channel; no stored row means at once."""
    stored = {(p.kind, p.channel): p.mode for p in NotificationPreference.objects.filter(user=user)}
    return {(k, c): stored.get((k, c), DeliveryMode.IMMEDIATE) for k in NotificationKind.values for c in Channel.values}


@transaction.atomic
def preferences_save(*, user: User, modes: dict[tuple[str, str], str], language: str, digest_time: dt.time) -> None:
    for (kind, channel), mode in modes.items():
        NotificationPreference.objects.update_or_create(user=user, kind=kind, channel=channel, defaults={"mode": mode})
    NotificationProfile.objects.update_or_create(user=user, defaults={"language": language, "digest_time": digest_time})


def _channels(user: User, profile: NotificationProfile | None) -> list[str]:
    channels = [Channel.EMAIL] if user.email else []
    if profile is not None and profile.line_user_id and line.enabled():
        channels.append(Channel.LINE)
    return channels


def _next_digest(profile: NotificationProfile | None, now: dt.datetime) -> dt.datetime:
    at = profile.digest_time if profile is not None else dt.time(8, 0)
    local = timezone.localtime(now)
    when = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return when if when > local else when + dt.timedelta(days=1)


# --- claiming a message -----------------------------------------------------------------------------------


def notify(*, user: User, message: Message, on_date: dt.date) -> bool:
    """Send `message` to `user` for `on_date` unless it was sent already. True when it was sent now."""
    profile = NotificationProfile.objects.filter(user=user).first()
    modes = preferences_of(user)
    now = timezone.now()
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=message.kind, subject=message.subject_th[:300], body=message.body_th,
                subject_en=message.subject_en[:300], body_en=message.body_en, url=message.url,
            )  # fmt: skip
            sent = SentMessage.objects.create(
                recipient=user, key=message.key, on_date=on_date, notification=notification
            )
            deliveries = []
            for channel in _channels(user, profile):
                mode = modes[(message.kind, channel)]
                if mode == DeliveryMode.OFF:
                    continue
                digest = mode == DeliveryMode.DIGEST
                deliveries.append(Delivery.objects.create(
                    sent=sent, channel=channel, digest=digest, next_attempt_at=_next_digest(profile, now) if digest else now,
                ))  # fmt: skip
    except IntegrityError:
        return False  # claimed before: by an earlier run, or by a run that died after claiming
    from pbm.followups import enqueue_on_commit
    from pbm.tasks import deliver

    for delivery in deliveries:
        if not delivery.digest:
            enqueue_on_commit(deliver, delivery.pk)
    return True


# --- sending ----------------------------------------------------------------------------------------------


def _link(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url else ""


def _render(notification: Notification, language: str) -> tuple[str, str]:
    subject, body = notification.in_language(language)
    link = _link(notification.url)
    return subject, f"{body}\n\n{link}".strip() if link else body


def _send(channel: str, user: User, profile: NotificationProfile | None, subject: str, text: str, key: str) -> None:
    """One message on one channel; raises when it did not go out."""
    if channel == Channel.EMAIL:
        if not user.email:
            raise ValueError("the person has no email address any more")
        EmailMultiAlternatives(subject=subject, body=text, to=[user.email]).send()
    elif channel == Channel.LINE:
        if not (profile and profile.line_user_id):
            raise ValueError("the person unlinked LINE")
        if not line.enabled():
            raise ValueError("LINE is not configured (LINE_CHANNEL_ACCESS_TOKEN, LINE_CHANNEL_SECRET)")
        line.push(
            to=profile.line_user_id, text=f"{subject}\n\n{text}", retry_key=str(uuid.uuid5(uuid.NAMESPACE_URL, key))
        )
    else:
        raise ValueError(f"unknown channel {channel}")


def _claim(delivery_ids: list[int], now: dt.datetime) -> int:
    """Take the deliveries for one attempt (nobody else attempts them for LEASE); how many were taken."""
    return Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING, next_attempt_at__lte=now).update(
        next_attempt_at=now + LEASE
    )


def _record(deliveries: list[Delivery], error: Exception | None, now: dt.datetime) -> None:
    ids = [d.pk for d in deliveries]
    if error is None:
        Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.SENT, sent_at=now, last_error="")
        email_sent = [d.sent_id for d in deliveries if d.channel == Channel.EMAIL]
        SentMessage.objects.filter(pk__in=email_sent, emailed_at__isnull=True).update(emailed_at=now)
        return
    text = f"{error.__class__.__name__}: {error}"[:2000]
    for d in deliveries:
        attempts = d.attempts + 1
        gave_up = attempts >= settings.NOTIFY_MAX_ATTEMPTS
        wait = dt.timedelta(seconds=settings.NOTIFY_RETRY_SECONDS * 2 ** (attempts - 1))
        Delivery.objects.filter(pk=d.pk).update(
            attempts=attempts, last_error=text, next_attempt_at=now + wait,
            status=DeliveryStatus.FAILED if gave_up else DeliveryStatus.PENDING,
        )  # fmt: skip
        log.warning("%s delivery %s failed (attempt %s%s): %s", d.channel, d.pk, attempts,
                    ", giving up" if gave_up else "", text)  # fmt: skip


def delivery_attempt(*, delivery_id: int, now: dt.datetime | None = None) -> bool:
    """Try one immediate delivery now; True when it went out. Safe to run twice: only a pending delivery whose
    time has come is attempted, and the attempt holds it."""
    now = now or timezone.now()
    if not _claim([delivery_id], now):
        return False
    delivery = Delivery.objects.select_related("sent__notification", "sent__recipient").get(pk=delivery_id)
    user = delivery.sent.recipient
    profile = NotificationProfile.objects.filter(user=user).first()
    if delivery.sent.notification is None:
        _record([delivery], ValueError("the notification was deleted"), now)
        return False
    subject, text = _render(delivery.sent.notification, profile.language if profile else "th")
    try:
        _send(delivery.channel, user, profile, subject, text, f"delivery:{delivery.pk}:{delivery.attempts}")
    except Exception as error:  # noqa: BLE001 - SMTP or LINE trouble must not undo the claim; the job retries
        _record([delivery], error, now)
        return False
    _record([delivery], None, now)
    return True


@dataclass
class RetryCounts:
    sent: int = 0
    failed: int = 0
    digests: int = 0


def notifications_retry(*, now: dt.datetime | None = None) -> RetryCounts:
    """The scheduled job: attempt every immediate delivery whose (re)try time has come, and send the daily digests
    that are due, one message per person and channel. Safe to run any number of times."""
    now = now or timezone.now()
    counts = RetryCounts()
    due = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    for delivery_id in due.filter(digest=False).values_list("pk", flat=True):
        if delivery_attempt(delivery_id=delivery_id, now=now):
            counts.sent += 1
        else:
            counts.failed += 1
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for pk, user_id, channel in due.filter(digest=True).values_list("pk", "sent__recipient_id", "channel"):
        groups[(user_id, channel)].append(pk)
    for (_user_id, channel), ids in groups.items():
        counts.digests += _send_digest(ids, channel, now)
    return counts


def _send_digest(ids: list[int], channel: str, now: dt.datetime) -> int:
    if not _claim(ids, now):
        return 0
    deliveries = list(
        Delivery.objects.filter(pk__in=ids, next_attempt_at=now + LEASE)
        .select_related("sent__notification", "sent__recipient")
        .order_by("created_at", "pk")
    )
    if not deliveries:  # taken by a concurrent run in the meantime
        return 0
    user = deliveries[0].sent.recipient
    profile = NotificationProfile.objects.filter(user=user).first()
    language = profile.language if profile else "th"
    parts = [_render(d.sent.notification, language) for d in deliveries if d.sent.notification is not None]
    with translation.override(language):
        subject = _("PBM: your daily digest (%(count)d messages)") % {"count": len(parts)}
    text = "\n\n----\n\n".join(f"{s}\n{t}" for s, t in parts)
    try:
        _send(channel, user, profile, subject, text, f"digest:{deliveries[0].pk}:{deliveries[0].attempts}")
    except Exception as error:  # noqa: BLE001
        _record(deliveries, error, now)
        return 0
    _record(deliveries, None, now)
    return 1


def notifications_resend_email(*, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> int:
    """Kept for the operators' habit: the retry job now covers email and LINE alike."""
    return notifications_retry().sent


def stuck_deliveries() -> int:
    """Deliveries given up after their last attempt (admin: Deliveries, status "gave up")."""
    return Delivery.objects.filter(status=DeliveryStatus.FAILED).count()


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, every) unread notification of `user` read."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


# --- review steps: who must act next ------------------------------------------------------------------------


def review_event_queue(event: ReviewEvent) -> None:
    """Called by every review step (pbm/review.py) and by a comment: tell the people concerned once it commits."""
    from pbm.followups import enqueue_on_commit
    from pbm.tasks import notify_review_event

    enqueue_on_commit(notify_review_event, event.pk)


def _members(roles, **scope) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(role__in=roles, user__is_active=True, **scope)
        .select_related("user")
        .order_by("user_id")
    ]


def _unit_people(where: Tambon | Unit, may: str, level: str | None) -> list[User]:
    """The people whose role over a unit above the tambon (or the unit of the tree) may `may` at `level`
    (tambon/access.py's rule)."""
    found = access.people_for_units([where], may, level=level) if isinstance(where, Unit) else access.people_for(
        [where], may, level=level)  # fmt: skip
    return sorted((user for user, _items in found.values()), key=lambda u: u.pk)


def _of_the_tree(scope) -> bool:
    """A report of a programme of the unit tree: a tambon with no university, or a unit (a district's own)."""
    return isinstance(scope, Unit) or (isinstance(scope, Tambon) and scope.university_id is None)


def _filers(scope) -> list[User]:
    """Who files a report of this scope: the university's reporters and managers; a network's RSI."""
    from tambon.models import UNIVERSITY_ROLES, Role

    if _of_the_tree(scope):
        return _unit_people(scope, "file", access.report_level(scope.programme, "filed_by"))
    if isinstance(scope, Tambon):
        return _members(UNIVERSITY_ROLES, university_id=scope.university_id)
    if isinstance(scope, University):
        return _members(UNIVERSITY_ROLES, university_id=scope.pk)
    return _members([Role.RSI_REVIEWER], network_id=scope.pk)


def _area_reviewers(scope) -> list[User]:
    """The RSI of the report's area (the NSI for a network's own report)."""
    from tambon.models import Role

    if _of_the_tree(scope):
        return _unit_people(scope, "review", access.report_level(scope.programme, "reviewed_by"))
    if isinstance(scope, Tambon):
        return _members([Role.RSI_REVIEWER], network_id=scope.network_id)
    if isinstance(scope, University):
        return _members([Role.RSI_REVIEWER], network_id=scope.network_id)
    if isinstance(scope, Network):
        return _members(NATIONAL_ROLES)
    return []


def _describe(obj) -> str:
    label = obj.notification_label() if hasattr(obj, "notification_label") else str(obj)
    return f"{obj._meta.verbose_name}: {label}"


def _review_message(event: ReviewEvent, obj) -> Message:
    actor = event.actor.get_full_name() or event.actor.username
    texts = {
        ReviewAction.SUBMITTED: (lambda w: _("PBM: %(what)s submitted for review") % w,
                                 lambda w: _("%(actor)s submitted %(what)s. Please review it.") % w),
        ReviewAction.RETURNED: (lambda w: _("PBM: %(what)s returned for correction") % w,
                                lambda w: _("%(actor)s returned %(what)s. Reason: %(reason)s") % w),
        ReviewAction.ACCEPTED: (lambda w: _("PBM: %(what)s accepted") % w,
                                lambda w: _("%(actor)s accepted %(what)s.") % w),
        ReviewAction.REOPENED: (lambda w: _("PBM: %(what)s reopened (lock exception)") % w,
                                lambda w: _("%(actor)s reopened the accepted %(what)s. Reason: %(reason)s") % w),
        ReviewAction.COMMENTED: (lambda w: _("PBM: new comment on %(what)s") % w,
                                 lambda w: _("%(actor)s wrote about %(what)s: %(reason)s") % w),
    }  # fmt: skip
    subject, body = texts[event.action]
    rendered = {}
    for language in ("th", "en"):
        with translation.override(language):
            values = {"what": _describe(obj), "actor": actor, "reason": event.reason}
            rendered[language] = (subject(values), body(values))
    kind = NotificationKind.COMMENT if event.action == ReviewAction.COMMENTED else NotificationKind.REVIEW
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    return Message(f"review:{event.pk}", rendered["th"][0], rendered["en"][0], rendered["th"][1], rendered["en"][1],
                   url, kind)  # fmt: skip


def review_recipients(event: ReviewEvent, obj) -> list[User]:
    """Who must act after this step: submitted → the reviewers; returned, accepted → the filers; reopened → the
    filers and the network; a comment → the other side of the discussion."""
    from pbm import review

    scope = obj.review_scope()
    reviewers = [u for u in _area_reviewers(scope) if review.can_review(u, obj)]
    if event.action == ReviewAction.SUBMITTED:
        people = reviewers
    elif event.action in (ReviewAction.RETURNED, ReviewAction.ACCEPTED):
        people = _filers(scope)
    elif event.action == ReviewAction.REOPENED:
        people = _filers(scope) + _area_reviewers(scope)
    elif event.action == ReviewAction.COMMENTED:
        people = reviewers if review.can_file(event.actor, obj) else _filers(scope)
        if review.can_file(event.actor, obj) and not people:  # nobody in the area: the report's reviewer
            people = [u for u in [obj.reviewed_by] if u is not None]
    else:
        people = []
    seen, result = set(), []
    for user in people:
        if user.pk != event.actor_id and user.pk not in seen:
            seen.add(user.pk)
            result.append(user)
    return result


def review_event_notify(*, event_id: int) -> int:
    """Tell the people concerned about one review step or comment; how many were told now (0 on a re-run)."""
    event = ReviewEvent.objects.select_related("actor", "content_type").filter(pk=event_id).first()
    if event is None:
        return 0
    try:
        obj = event.content_type.get_object_for_this_type(pk=event.object_id)
    except ObjectDoesNotExist:  # the report was deleted before its step could be told
        return 0
    message = _review_message(event, obj)
    on_date = timezone.localdate(event.at)
    return sum(notify(user=user, message=message, on_date=on_date) for user in review_recipients(event, obj))


# --- LINE linking ---------------------------------------------------------------------------------------------

LINK_CODE_TTL = dt.timedelta(minutes=15)


def line_link_code(*, user: User) -> NotificationProfile:
    """A fresh one-time code the person sends to the programme's LINE Official Account."""
    profile = profile_of(user)
    profile.line_code = f"PBM-{secrets.randbelow(10**6):06d}"
    profile.line_code_expires_at = timezone.now() + LINK_CODE_TTL
    profile.save(update_fields=["line_code", "line_code_expires_at"] if profile.pk else None)
    return profile


def line_unlink(*, user: User) -> None:
    NotificationProfile.objects.filter(user=user).update(line_user_id="", line_linked_at=None)


def line_webhook_handle(*, events: list[dict]) -> int:
    """Link the LINE users who sent a valid code; how many were linked. (The signature was checked already.)"""
    linked = 0
    for event in events:
        if event.get("type") != "message" or (event.get("message") or {}).get("type") != "text":
            continue
        line_user = (event.get("source") or {}).get("userId", "")
        code = (event["message"].get("text") or "").strip().upper()
        now = timezone.now()
        profile = NotificationProfile.objects.filter(line_code=code, line_code_expires_at__gt=now).exclude(
            line_code=""
        ).select_related("user").first()  # fmt: skip
        with translation.override(profile.language if profile else "th"):
            if profile is None or not line_user:
                answer = _("This code is unknown or expired. Open Notification settings in PBM for a new code.")
            else:
                NotificationProfile.objects.filter(line_user_id=line_user).exclude(pk=profile.pk).update(
                    line_user_id="", line_linked_at=None
                )  # one LINE user, one account
                NotificationProfile.objects.filter(pk=profile.pk).update(
                    line_user_id=line_user, line_linked_at=now, line_code="", line_code_expires_at=None
                )
                linked += 1
                answer = _("Linked: PBM messages for %(user)s now come here.") % {
                    "user": profile.user.get_full_name() or profile.user.username
                }
        if event.get("replyToken"):
            try:
                line.reply(reply_token=event["replyToken"], text=answer)
            except line.LineError:
                log.warning("could not answer a LINE link message", exc_info=True)
    return linked


def unread_count(user: User) -> int:
    return Notification.objects.filter(Q(user=user) & Q(read_at__isnull=True)).count()


# --- changes of a hired person: copied to NSI and the network (seed: การลาออก) ------------------------------


def roster_change_recipients(tambon: Tambon) -> list[User]:
    """สำเนาข้อมูลถึง สป.อว. และเครือข่ายอุดมศึกษา: the national staff and the RSI of the tambon's network."""
    from tambon.access import network_reviewers

    users = _members(NATIONAL_ROLES)
    for user in network_reviewers([tambon.network_id]).get(tambon.network_id, []):
        if user not in users:
            users.append(user)
    return users


def roster_change_notify(*, contract, change: str, on_date: dt.date, url: str = "") -> int:
    """Tell NSI and the network that a hired person's data changed (`change`: resigned, terminated, replaced);
    once per contract and change. How many were told now (0 on a re-run)."""
    tambon = contract.tambon
    words = {
        "resigned": ("ลาออก", "resigned"),
        "terminated": ("เลิกจ้าง", "contract terminated"),
        "replaced": ("จ้างทดแทน", "hired as a replacement"),
    }
    from pbm.formats import date_be_numeric

    thai, english = words[change]
    place = tambon.subdistrict.name_th
    day = date_be_numeric(contract.left_on if change != "replaced" else contract.start_date)
    message = Message(
        key=f"roster-change:{contract.pk}:{change}",
        subject_th=f"การเปลี่ยนแปลงผู้ถูกจ้างงาน: {contract.person} {thai} ({place})",
        subject_en=f"Hired person changed: {contract.person} {english} ({place})",
        body_th=f"{contract.person} ({contract.hiring_type.name_th}) {thai} มีผล {day} "
        f"ตำบล {place} มหาวิทยาลัย {tambon.university.name_th}",
        body_en=f"{contract.person} ({contract.hiring_type.name_en}) {english} from {day}, "
        f"tambon {place}, {tambon.university.name_en}",
        url=url,
        kind=NotificationKind.REVIEW,
    )
    return sum(notify(user=user, message=message, on_date=on_date) for user in roster_change_recipients(tambon))
