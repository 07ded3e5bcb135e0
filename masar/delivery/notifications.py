"""In-app notifications and their e-mails, written in each reader's language."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

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


def _named(model, pk, reader, attribute="name"):
    """Return a record's name in the active language if the reader may read it, else a neutral mark."""
    record = model.objects.visible_to(reader).filter(pk=pk).first() if pk else None
    return str(getattr(record, attribute)) if record is not None else str(policy.WITHHELD)


def notification_text(notification):
    """Return the notification's sentence in the active language, naming only what its reader may read.

    Notifications store kinds and ids; names are looked up when the sentence is read, in the
    reader's language and through the policy.
    """
    from masar.decisions.models import Decision, Meeting

    p = {**notification.params, "period": _period(notification.params)}
    reader = notification.user
    if "meeting_id" in p:
        p["meeting"] = _named(Meeting, p["meeting_id"], reader)
    if "decision_id" in p:
        p["decision"] = _named(Decision, p["decision_id"], reader, "text")[:120]
    if "due" in p:
        from masar.core.templatetags.masar import fmt_date

        p["due"] = fmt_date(datetime.date.fromisoformat(p["due"]))
    kind = notification.kind
    K = Notification.Kind
    if kind == K.UPDATE_DUE:
        return _("The progress update of %(project)s for %(period)s is due.") % p
    if kind == K.UPDATE_SUBMITTED:
        return _("The progress update of %(project)s for %(period)s waits for your review.") % p
    if kind == K.UPDATE_RETURNED:
        return _("Your progress update of %(project)s for %(period)s was returned: %(reason)s") % p
    if kind == K.UPDATE_APPROVED:
        return _("Your progress update of %(project)s for %(period)s was approved.") % p
    if kind == K.BASELINE_REQUESTED:
        return _("A re-baseline of %(project)s (baseline %(number)s) waits for the national unit's approval.") % p
    if kind == K.BASELINE_DECIDED:
        if p.get("approved"):
            return _("The re-baseline of %(project)s (baseline %(number)s) was approved.") % p
        return _("The re-baseline of %(project)s (baseline %(number)s) was rejected.") % p
    if kind == K.DECISION_DUE:
        return _("The decision “%(decision)s” falls due on %(due)s.") % p
    if kind == K.OBSTACLE_ESCALATED:
        return _("An obstacle of %(project)s was escalated to the meeting “%(meeting)s”.") % p
    if kind == K.CLOSURE_REQUESTED:
        return _("The decision “%(decision)s” was reported done and waits for your validation.") % p
    if kind == K.CLOSURE_ACCEPTED:
        return _("The closure of the decision “%(decision)s” was accepted: it is done.") % p
    if kind == K.CLOSURE_RETURNED:
        return _("The closure of the decision “%(decision)s” was returned: %(reason)s") % p
    return notification.get_kind_display()


def notify(*, users, kind, params, url="", key="", subject=None):
    """Leave a notification for each user and e-mail those with an address, after the transaction commits.

    With a subject (the record the notification is about), only the users who may read it are
    told: a notification never names a record to someone who may not read it.
    A key makes a reminder idempotent: a user gets at most one notification with the same key.
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


def _send_emails(notification_ids):
    for notification in Notification.objects.filter(pk__in=notification_ids).select_related("user"):
        user = notification.user
        if not user.email:
            continue
        with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
            send_mail(
                subject=str(notification.get_kind_display()),
                message=notification_text(notification),
                from_email=None,
                recipient_list=[user.email],
                fail_silently=True,
            )
