"""Catalogue records for tests: services with their documents, project links, usage, ratings and feedback.

Services are written through `model_create` (validated, audited, indexed for search like real ones) when no
actor is given, else through `service_create` as that actor. Ratings and feedback go through the public
services with `is_sample=True` so that the throttle does not count them (pass `address` to be throttled);
a rating's comment status, when asked for, is then set directly as a moderator's decision would leave it.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from masar.catalogue.models import (
    Feedback,
    FeedbackKind,
    LifeEvent,
    Rating,
    RequiredDocument,
    Service,
    ServiceCategory,
    ServiceProject,
    ServiceUsage,
)
from masar.catalogue.services import _service_fields, service_create
from masar.catalogue.voice import feedback_submit, rating_submit
from masar.core.models import Classification
from masar.core.services import model_create

_numbers = itertools.count(1)


def make_life_event(code: str | None = None, **fields: Any) -> LifeEvent:
    code = code or f"LE-{next(_numbers)}"
    data = {"code": code, "name_ar": f"مناسبة {code}", "name_fr": f"Événement {code}", **fields}
    return LifeEvent.objects.create(**data)


def make_category(code: str | None = None, **fields: Any) -> ServiceCategory:
    code = code or f"CAT-{next(_numbers)}"
    data = {"code": code, "name_ar": f"صنف {code}", "name_fr": f"Catégorie {code}", **fields}
    return ServiceCategory.objects.create(**data)


def make_service(owner: Any, *, actor: Any = None, **fields: Any) -> Service:
    """Add a public service owned by owner (audited and indexed); `actor` writes it through `service_create`."""
    code = fields.pop("code", None) or f"SRV-{next(_numbers)}"
    data: dict[str, Any] = {
        "code": code,
        "owner": owner,
        "name_ar": f"خدمة {code}",
        "name_fr": f"Service {code}",
        "classification": Classification.PUBLIC,
        "audiences": ["citizens"],
        "channels": ["counter"],
        **fields,
    }
    if actor is not None:
        return service_create(actor=actor, data=data)
    return model_create(model=Service, actor=None, data=_service_fields(data))


def make_document(
    service: Service, name_ar: str = "بطاقة التعريف الوطنية", *, held_by: Any = None, **names: str
) -> RequiredDocument:
    """Add one required document after the service's others (written directly: the service layer needs an actor)."""
    order = service.documents.count() + 1
    return RequiredDocument.objects.create(service=service, order=order, name_ar=name_ar, held_by=held_by, **names)


def make_usage(
    service: Service,
    month: datetime.date | str,
    channel: str,
    transactions: int,
    *,
    processing_days: Any = None,
    backlog: int | None = None,
) -> ServiceUsage:
    """Record one month of one channel (month: a date or "2025-03"), written directly like an import's row."""
    if isinstance(month, str):
        month = datetime.date.fromisoformat(f"{month}-01" if len(month) == 7 else month)
    return ServiceUsage.objects.create(
        service=service,
        month=month,
        channel=channel,
        transactions=transactions,
        processing_days=processing_days,
        backlog=backlog,
    )


def make_rating(
    service: Service, score: int, comment: str = "", *, status: str | None = None, address: str | None = None
) -> Rating:
    """Rate a service as the public does (counted on the service); status sets the comment's moderation."""
    rating = rating_submit(
        service=service,
        score=score,
        comment=comment,
        address=address or "-",
        is_sample=address is None,
    )
    if status is not None and status != rating.comment_status:
        Rating.objects.filter(pk=rating.pk).update(comment_status=status)
        rating.refresh_from_db()
    return rating


def make_feedback(
    service: Service, kind: str = FeedbackKind.COMPLAINT, text: str = "الانتظار طويل في الشباك", contact: str = ""
) -> Feedback:
    """Send a complaint or a suggestion about a public service, as the public does; return it."""
    return feedback_submit(service=service, kind=kind, text=text, contact=contact, address="-", is_sample=True)


def make_project_link(
    service: Service, project: Any, target_level: int, target_date: datetime.date | None = None
) -> ServiceProject:
    """Link a project that digitizes a service (written directly: the service layer needs an actor)."""
    return model_create(
        model=ServiceProject,
        actor=None,
        data={"service": service, "project": project, "target_level": target_level, "target_date": target_date},
    )
