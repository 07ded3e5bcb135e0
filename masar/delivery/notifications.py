"""In-app notifications and their e-mails, written in each reader's language."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from masar.core import policy
from masar.delivery.models import Notification


def _period(params):
    """Return the month a notification is about, written as the pages write it."""
    from masar.core.templatetags.masar import fmt_month

    period = params.get("period")
    try:
        return fmt_month(datetime.date.fromisoformat(f"{period}-01")) if period else ""
    except ValueError:
        return period


@dataclass(frozen=True)
class Reading:
    """What the sentences of one reader's notifications name, looked up once for all of them."""

    meetings: dict[int, str]
    decisions: dict[int, str]
    due_day: int
    clients: dict[int, str] = field(default_factory=dict)
    agreements: dict[int, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, reader: Any, notifications: Iterable[Notification]) -> Reading:
        """Look up, through the policy, the meetings, decisions and agreements these notifications name.

        One query per kind of record named, whatever the number of notifications.
        """
        from masar.decisions.models import Decision, Meeting
        from masar.delivery.configuration import settings_in_force

        params = [n.params for n in notifications]
        meeting_ids = {p["meeting_id"] for p in params if p.get("meeting_id")}
        decision_ids = {p["decision_id"] for p in params if p.get("decision_id")}
        meetings = Meeting.objects.visible_to(reader).filter(pk__in=meeting_ids) if meeting_ids else []
        decisions = Decision.objects.visible_to(reader).filter(pk__in=decision_ids) if decision_ids else []
        client_ids = {p["client_id"] for p in params if p.get("client_id")}
        return cls(
            meetings={m.pk: m.name for m in meetings},
            decisions={d.pk: d.text for d in decisions},
            due_day=settings_in_force().update_due_day,
            clients=_client_names(reader, client_ids),
            agreements=_agreements_named(reader, {p["agreement_id"] for p in params if p.get("agreement_id")}),
        )


def _client_names(reader: Any, client_ids: set[int]) -> dict[int, str]:
    """Return the names of the API clients notifications name, as this reader may read them."""
    if not client_ids:
        return {}
    from masar.exchange.models import ApiClient

    return {c.pk: c.name for c in ApiClient.objects.visible_to(reader).filter(pk__in=client_ids)}


def _agreements_named(reader: Any, ids: set[int]) -> dict[int, dict[str, str]]:
    """Return what a sentence names of each sharing agreement this reader may see (client, owner, records, reason)."""
    if not ids:
        return {}
    from masar.exchange.models import SharingAgreement

    agreements = SharingAgreement.objects.visible_to(reader).filter(pk__in=ids).select_related("client", "owner")
    return {
        a.pk: {
            "client": a.client.name,
            "owner": a.owner.name,
            "records": str(a.get_record_type_display()),
            "reason": a.decision_note,
        }
        for a in agreements
    }


def _agreement_sentence(kind: str, names: dict[str, str]) -> str:
    K = Notification.Kind
    if kind == K.AGREEMENT_REQUESTED:
        return _("%(client)s asks to receive %(records)s of %(owner)s: the request waits for your decision.") % names
    if kind == K.AGREEMENT_APPROVED:
        return _("The request of %(client)s to receive %(records)s of %(owner)s was approved.") % names
    if kind == K.AGREEMENT_REFUSED:
        return _("The request of %(client)s to receive %(records)s of %(owner)s was refused: %(reason)s") % names
    return _("The agreement by which %(client)s receives %(records)s of %(owner)s was revoked.") % names


def update_due_date(period: datetime.date, due_day: int) -> datetime.date:
    """Return the day by which the update of a month is due: the due day in force of the next month."""
    return (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=due_day)


def _due_sentences(kind, params, p, today, due_day):
    """Return the sentence of a reminder: due, or overdue once its day passed when it is read."""
    from masar.core.templatetags.masar import fmt_date

    K = Notification.Kind
    if kind == K.UPDATE_DUE:
        try:
            due = update_due_date(datetime.date.fromisoformat(f"{params.get('period')}-01"), due_day)
        except ValueError:
            return _("The progress update of %(project)s for %(period)s is due.") % p
        p["due"] = fmt_date(due)
        if due < today:
            return _("The progress update of %(project)s for %(period)s is overdue since %(due)s.") % p
        return _("The progress update of %(project)s for %(period)s is due on %(due)s.") % p
    due = datetime.date.fromisoformat(params["due"])
    p["due"] = fmt_date(due)
    if due < today:
        return _("The decision “%(decision)s” is overdue since %(due)s.") % p
    return _("The decision “%(decision)s” falls due on %(due)s.") % p


OPEN_DATA_KINDS = frozenset(
    {
        Notification.Kind.DATASET_CHANGE_REQUESTED,
        Notification.Kind.PUBLICATION_PROPOSED,
        Notification.Kind.PUBLICATION_DECIDED,
        Notification.Kind.OPEN_DATA_FAILED,
    }
)


def _open_data_sentence(kind: str, p: dict[str, Any]) -> str:
    """Return the sentence of a notification about the inventory or open data (names looked up when read)."""
    from masar.opendata.models import Dataset, Publication, PublicationStatus

    K = Notification.Kind
    if kind == K.DATASET_CHANGE_REQUESTED:
        dataset = Dataset.objects.filter(pk=p.get("dataset_id")).first()
        p["dataset"] = dataset.name if dataset is not None else str(policy.WITHHELD)
        return _("A change of the classification or owner of the dataset %(dataset)s waits for your decision.") % p
    publication = Publication.objects.filter(pk=p.get("publication_id")).first()
    p["publication"] = publication.title if publication is not None else str(policy.WITHHELD)
    if kind == K.PUBLICATION_PROPOSED:
        return _("The dataset %(publication)s is proposed for publication as open data.") % p
    if kind == K.OPEN_DATA_FAILED:
        return (
            _("The files of the open dataset %(publication)s could not be generated; the previous ones stay published.")
            % p
        )
    if p.get("status") == PublicationStatus.PUBLISHED:
        return _("The dataset %(publication)s is published as open data.") % p
    return _("The publication of the dataset %(publication)s was refused or withdrawn.") % p


def notification_texts(notifications: list[Notification], *, today: datetime.date | None = None) -> list[str]:
    """Return the sentences of one reader's notifications, looking up what they name once for all of them."""
    if not notifications:
        return []
    reading = Reading.of(notifications[0].user, notifications)
    return [notification_text(n, today=today, reading=reading) for n in notifications]


def notification_text(
    notification: Notification, *, today: datetime.date | None = None, reading: Reading | None = None
) -> str:
    """Return the notification's sentence in the active language, naming only what its reader may read.

    Notifications store kinds and ids; names are looked up when the sentence is read, in the
    reader's language and through the policy; whether a reminder is overdue is judged on the day
    it is read.
    """
    today = today or timezone.localdate()
    reading = reading or Reading.of(notification.user, [notification])
    p = {**notification.params, "period": _period(notification.params)}
    withheld = str(policy.WITHHELD)
    if "meeting_id" in p:
        p["meeting"] = reading.meetings.get(p["meeting_id"], withheld)
    if "decision_id" in p:
        p["decision"] = reading.decisions.get(p["decision_id"], withheld)[:120]
    if "client_id" in p:
        p["client"] = reading.clients.get(p["client_id"], withheld)
    kind = notification.kind
    K = Notification.Kind
    if kind in (K.UPDATE_DUE, K.DECISION_DUE):
        return _due_sentences(kind, notification.params, p, today, reading.due_day)
    if kind == K.UPDATE_SUBMITTED:
        return _("The progress update of %(project)s for %(period)s waits for your review.") % p
    if kind == K.UPDATE_RETURNED:
        return _("Your progress update of %(project)s for %(period)s was returned: %(reason)s") % p
    if kind == K.UPDATE_APPROVED:
        return _("Your progress update of %(project)s for %(period)s was approved.") % p
    if kind == K.BASELINE_REQUESTED:
        return _("A re-baseline of %(project)s (baseline %(number)s) waits for the national unit's approval.") % p
    if kind == K.BASELINE_DECIDED:
        if p.get("note"):
            if p.get("approved"):
                return _("The re-baseline of %(project)s (baseline %(number)s) was approved: %(note)s") % p
            return _("The re-baseline of %(project)s (baseline %(number)s) was rejected: %(note)s") % p
        if p.get("approved"):
            return _("The re-baseline of %(project)s (baseline %(number)s) was approved.") % p
        return _("The re-baseline of %(project)s (baseline %(number)s) was rejected.") % p
    if kind == K.OBSTACLE_ESCALATED:
        return _("An obstacle of %(project)s was escalated to the meeting “%(meeting)s”.") % p
    if kind == K.CLOSURE_REQUESTED:
        return _("The decision “%(decision)s” was reported done and waits for your validation.") % p
    if kind == K.CLOSURE_ACCEPTED:
        return _("The closure of the decision “%(decision)s” was accepted: it is done.") % p
    if kind == K.CLOSURE_RETURNED:
        return _("The closure of the decision “%(decision)s” was returned: %(reason)s") % p
    if kind == K.OBSTACLE_CRITICAL:
        return _("A critical obstacle was reported on %(project)s and waits for action.") % p
    if kind in OPEN_DATA_KINDS:
        return _open_data_sentence(kind, p)
    if kind == K.ALERTS_RAISED:
        count = int(p.get("count", 0))
        return ngettext(
            "%(count)s new integrity alert waits for triage.", "%(count)s new integrity alerts wait for triage.", count
        ) % {"count": count}
    if kind == K.CITIZEN_FEEDBACK:
        return _("A citizen's complaint or suggestion (%(number)s) about a service of yours waits for an answer.") % p
    if kind == K.WEBHOOK_PAUSED:
        return _("The webhooks of the system %(client)s were paused: its receiver kept failing.") % p
    if kind in (K.AGREEMENT_REQUESTED, K.AGREEMENT_APPROVED, K.AGREEMENT_REFUSED, K.AGREEMENT_REVOKED):
        hidden = dict.fromkeys(("client", "owner", "records", "reason"), withheld)
        return _agreement_sentence(kind, reading.agreements.get(p.get("agreement_id"), hidden))
    return str(notification.get_kind_display())


def notify(
    *,
    users: Iterable[Any],
    kind: str,
    params: dict[str, Any],
    url: str = "",
    key: str = "",
    subject: Any = None,
) -> list[Notification]:
    """Leave a notification for each user and e-mail those who want it at once, after the transaction commits.

    With a subject (the record the notification is about), only the users who may read it are
    told: a notification never names a record to someone who may not read it.
    A key makes a reminder idempotent: a user gets at most one notification with the same key.
    Those who chose a daily digest get it in the next digest (`notifications_digest_send`).
    """
    people = users.distinct() if hasattr(users, "distinct") else users
    if subject is not None:
        people = policy.readers_among(people, subject)
    created = []
    for user in people:
        try:
            with transaction.atomic():
                created.append(Notification.objects.create(user=user, kind=kind, params=params, url=url, key=key))
        except IntegrityError:
            continue  # this reminder was already sent to this user
    if created:
        transaction.on_commit(lambda: _send_emails([n.pk for n in created]))
    return created


def _absolute(url):
    base = settings.SITE_URL.rstrip("/")
    return f"{base}{url}" if url else ""


def _send_emails(notification_ids):
    from masar.accounts.models import EmailFrequency

    pending = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True, user__email_frequency=EmailFrequency.IMMEDIATE
    ).select_related("user")
    for notification in pending:
        user = notification.user
        if not user.email:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            message = notification_text(notification)
            if notification.url:
                message = f"{message}\n\n{_absolute(notification.url)}"
            send_mail(
                subject=str(notification.get_kind_display()),
                message=message,
                from_email=None,
                recipient_list=[user.email],
                fail_silently=True,
            )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def notifications_digest_send(*, now: datetime.datetime | None = None) -> int:
    """E-mail each person who chose a daily digest their unread notifications not yet e-mailed, in their language.

    One e-mail per person; the notifications it carries are marked e-mailed, so a second run
    the same day sends nothing. Return the number of e-mails sent.
    """
    from masar.accounts.models import EmailFrequency, User

    now = now or timezone.now()
    pending = Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True)
    people = User.objects.filter(
        is_active=True, email_frequency=EmailFrequency.DAILY, pk__in=pending.values("user_id")
    ).exclude(email="")
    sent = 0
    for user in people:
        candidates = list(pending.filter(user=user).values_list("pk", flat=True))
        # Marked before the e-mail goes: two runs at once (a task delivered twice) each e-mail only what they marked.
        if not Notification.objects.filter(pk__in=candidates, emailed_at__isnull=True).update(emailed_at=now):
            continue
        items = list(Notification.objects.filter(pk__in=candidates, emailed_at=now).order_by("created_at", "id"))
        with translation.override(user.language or settings.LANGUAGE_CODE):
            lines = []
            for notification in items:
                notification.user = user
            texts = notification_texts(items, today=timezone.localdate(now))
            for notification, text in zip(items, texts, strict=True):
                line = "- " + text
                if notification.url:
                    line = f"{line}\n  {_absolute(notification.url)}"
                lines.append(line)
            subject = ngettext(
                "Masar: %(count)s new notification", "Masar: %(count)s new notifications", len(items)
            ) % {"count": len(items)}
            intro = _("Here is what happened in Masar since your last digest:")
            send_mail(
                subject=subject,
                message="\n\n".join([intro, *lines]),
                from_email=None,
                recipient_list=[user.email],
                fail_silently=True,
            )
        sent += 1
    return sent
