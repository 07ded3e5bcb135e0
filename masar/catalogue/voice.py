"""Writes of the citizens' voice: ratings with their comments, complaints and suggestions, and the owners' answers.

What the public sends is anonymous and throttled per address (`masar.catalogue.throttle`); a refused submission
changes nothing and counts nothing. A comment waits for moderation before anyone outside its moderators reads it.
A complaint's contact, the only personal data, is kept until the request is closed, then erased.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masar.accounts.models import User
from masar.audit.models import Action
from masar.audit.services import audit_record, diff, snapshot
from masar.catalogue.models import (
    COMMENT_WORKFLOW,
    FEEDBACK_WORKFLOW,
    CommentStatus,
    Feedback,
    FeedbackAction,
    FeedbackKind,
    ModerationAction,
    Rating,
    Service,
)
from masar.catalogue.throttle import submission_allow
from masar.core import policy
from masar.core.errors import DomainError, Invalid, NotPermitted
from masar.core.workflow import stale_or_conflict, transition

COMMENT_MAX = 2000
FEEDBACK_MAX = 5000
ANSWER_MAX = 5000
CONTACT_MAX = 200
# Markup in what the public types is refused, not silently stripped: the sender sees what will be kept.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|&#?\w+;|javascript\s*:", re.IGNORECASE)
# Letters and digits that read alike are left out, so a number read aloud or copied by hand still works.
TRACKING_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"


class SubmissionInvalid(Invalid):
    """What the public sent broke a rule; nothing was saved."""


class Throttled(DomainError):
    """Too many submissions from one address: nothing was saved (HTTP 429)."""

    default_message = gettext_lazy("Too many submissions from your connection. Please try again later.")


def _text(value: str | None, *, field: str, limit: int, required: bool) -> tuple[str, list[tuple[str, str]]]:
    text = (value or "").replace("\x00", "").strip()
    if required and not text:
        return text, [(field, _("This field is required."))]
    if len(text) > limit:
        return text, [
            (
                field,
                _("Keep it under %(limit)s characters (this one has %(count)s).")
                % {
                    "limit": limit,
                    "count": len(text),
                },
            )
        ]
    if MARKUP.search(text):
        return text, [(field, _("Write plain text: remove the characters < and > and any web code."))]
    return text, []


def _language(value: str | None) -> str:
    return (value or "")[:2] if (value or "")[:2] in ("ar", "fr", "en") else ""


def _throttle(address: str, scope: str, limit: int, window: int) -> None:
    if not submission_allow(address=address, scope=scope, limit=limit, window_seconds=window):
        raise Throttled()


def _public_service(service: Service) -> None:
    if not Service.objects.visible_to(policy.Reader.public()).filter(pk=service.pk).exists():
        raise SubmissionInvalid([(None, _("This service is not open to the public's ratings."))])


@transaction.atomic
def rating_submit(
    *, service: Service, score: Any, comment: str = "", language: str = "", address: str, is_sample: bool = False
) -> Rating:
    """Record a citizen's rating of a public service (1–5, an optional comment awaiting moderation).

    Refused, counting nothing, when the score is outside 1–5, the comment is too long or holds markup, or the
    address already rated this service today or sent too many ratings this hour.
    """
    _public_service(service)
    errors: list[tuple[str | None, str]] = []
    try:
        # Through its text, so that 4.5 is refused rather than cut to 4, and True is no score.
        score = 0 if isinstance(score, bool) else int(str(score).strip())
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        errors.append(("score", _("Give a rating from 1 to 5.")))
    text, text_errors = _text(comment, field="comment", limit=COMMENT_MAX, required=False)
    errors += text_errors
    if errors:
        raise SubmissionInvalid(errors)
    if not is_sample:
        _throttle(address, f"rating:{service.pk}", 1, 24 * 3600)
        _throttle(address, "rating", settings.PORTAL_RATINGS_PER_HOUR, 3600)
    rating = Rating.objects.create(
        service=service,
        score=score,
        comment=text,
        comment_status=CommentStatus.PENDING if text else CommentStatus.NONE,
        language=_language(language),
        is_sample=is_sample,
    )
    Service.objects.filter(pk=service.pk).update(
        rating_count=F("rating_count") + 1, rating_total=F("rating_total") + score
    )
    audit_record(actor=None, action=Action.CREATE, instance=rating, changes=diff({}, snapshot(rating)))
    return rating


def _tracking_number() -> str:
    body = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
    return f"{body[:4]}-{body[4:]}"


@transaction.atomic
def feedback_submit(
    *,
    service: Service,
    kind: str,
    text: str,
    contact: str = "",
    language: str = "",
    address: str,
    is_sample: bool = False,
) -> Feedback:
    """Record a complaint or a suggestion about a public service and return it with its tracking number.

    The contact is optional and kept only to answer; refused, changing nothing, on an unknown kind, an empty or
    too long text, markup, or too many submissions from the address this hour.
    """
    _public_service(service)
    errors: list[tuple[str | None, str]] = []
    if kind not in FeedbackKind.values:
        errors.append(("kind", _("Choose a complaint or a suggestion.")))
    body, text_errors = _text(text, field="text", limit=FEEDBACK_MAX, required=True)
    contact_value, contact_errors = _text(contact, field="contact", limit=CONTACT_MAX, required=False)
    errors += text_errors + contact_errors
    if errors:
        raise SubmissionInvalid(errors)
    if not is_sample:
        _throttle(address, "feedback", settings.PORTAL_FEEDBACK_PER_HOUR, 3600)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(
                    service=service,
                    kind=kind,
                    tracking_number=_tracking_number(),
                    text=body,
                    contact=contact_value,
                    language=_language(language),
                    is_sample=is_sample,
                )
            break
        except IntegrityError:  # the same number drawn twice: draw again
            continue
    else:  # pragma: no cover - 26**8 numbers
        raise SubmissionInvalid([(None, _("Please send it again."))])
    audit_record(actor=None, action=Action.CREATE, instance=feedback, changes=diff({}, snapshot(feedback)))
    if not is_sample:
        _feedback_notify(feedback)
    return feedback


def _feedback_notify(feedback: Feedback) -> None:
    """Tell the people who answer for the service that a request arrived: its number only, never its text or
    contact (read on its page, through the policy)."""
    from django.urls import reverse

    from masar.delivery.models import Notification
    from masar.delivery.notifications import notify

    owner = feedback.service.owner
    people = policy.coordinators_of(owner)
    if not people.exists():
        people = policy.national_unit()
    notify(
        users=people,
        kind=Notification.Kind.CITIZEN_FEEDBACK,
        params={"number": feedback.tracking_number},
        url=reverse("catalogue-feedback-detail", args=[feedback.pk]),
        key=f"citizen-feedback:{feedback.pk}",
        subject=feedback,
    )


def _require_answerer(actor: Any, service: Service) -> None:
    if not policy.may_answer_citizens(actor, service):
        raise NotPermitted(_("Only the service's owner answers its complaints and suggestions."))


@transaction.atomic
def feedback_answer(*, actor: User, feedback: Feedback, answer: str, version: int) -> Feedback:
    """Answer a complaint or a suggestion (the citizen reads it with the tracking number); audited."""
    _require_answerer(actor, feedback.service)
    text, errors = _text(answer, field="answer", limit=ANSWER_MAX, required=True)
    if errors:
        raise Invalid(errors)
    return transition(
        workflow=FEEDBACK_WORKFLOW,
        instance=feedback,
        action=FeedbackAction.ANSWER,
        actor=actor,
        conflict=stale_or_conflict(version),
        where=Q(version=version),
        answer=text,
        answered_by=actor,
        answered_at=timezone.now(),
    )


@transaction.atomic
def feedback_close(*, actor: User, feedback: Feedback, version: int) -> Feedback:
    """Close a complaint or a suggestion and erase the contact it carried; audited."""
    _require_answerer(actor, feedback.service)
    return transition(
        workflow=FEEDBACK_WORKFLOW,
        instance=feedback,
        action=FeedbackAction.CLOSE,
        actor=actor,
        conflict=stale_or_conflict(version),
        where=Q(version=version),
        contact="",
        closed_at=timezone.now(),
    )


@transaction.atomic
def comment_moderate(*, actor: User, rating: Rating, action: str, version: int) -> Rating:
    """Show a rating's comment publicly, or keep it hidden; audited."""
    _require_answerer(actor, rating.service)
    if action not in ModerationAction.values:
        raise Invalid([("action", _("Choose to show the comment or not."))])
    return transition(
        workflow=COMMENT_WORKFLOW,
        instance=rating,
        action=action,
        actor=actor,
        conflict=stale_or_conflict(version),
        where=Q(version=version),
        moderated_by=actor,
        moderated_at=timezone.now(),
    )
