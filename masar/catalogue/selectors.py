"""Reads of the services catalogue, for every door (the public portal, the owners' pages, the API, indicators).

Each list takes the reader and a typed filter object; what the reader may not read is never counted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Concat, StrIndex

from masar.catalogue.models import (
    FULLY_ONLINE_LEVEL,
    ONLINE_CHANNELS,
    ONLINE_LEVEL,
    CommentStatus,
    Feedback,
    FeedbackStatus,
    Rating,
    RequiredDocument,
    Service,
    ServiceProject,
    ServiceUsage,
)
from masar.core import policy
from masar.organizations.models import Organization
from masar.search.models import EntryKind
from masar.search.selectors import ranked_ids

SEARCH_CANDIDATES = 500  # the most services a text query ranks before the other filters apply


@dataclass(frozen=True)
class ServiceFilters:
    """What a reader asks of the catalogue; forms and API schemas only parse into it."""

    q: str = ""
    organization: int | None = None  # the owner, or any organization under it
    life_event: int | None = None
    category: int | None = None
    channel: str | None = None
    audience: str | None = None
    level: int | None = None
    min_level: int | None = None
    with_once_only: bool = False  # at least one required document another administration already holds


def service_list(reader: Any, filters: ServiceFilters | None = None) -> QuerySet[Service]:
    """Return the services this reader may read that meet the filters: best match first when text is given,
    else by name. Rows carry their owner, life event and category (no query per row)."""
    filters = filters or ServiceFilters()
    services = Service.objects.visible_to(reader).select_related("owner", "life_event", "category")
    if filters.organization is not None:
        owner = Organization.objects.filter(pk=filters.organization).only("path").first()
        services = services.filter(owner__path__startswith=owner.path) if owner else services.none()
    if filters.life_event is not None:
        services = services.filter(life_event_id=filters.life_event)
    if filters.category is not None:
        services = services.filter(category_id=filters.category)
    if filters.channel:
        services = services.with_channel(filters.channel)
    if filters.audience:
        services = services.for_audience(filters.audience)
    if filters.level is not None:
        services = services.filter(level=filters.level)
    if filters.min_level is not None:
        services = services.filter(level__gte=filters.min_level)
    if filters.with_once_only:
        held = RequiredDocument.objects.filter(service=OuterRef("pk"), held_by__isnull=False).exclude(
            held_by=OuterRef("owner")
        )
        services = services.filter(Exists(held))
    ids = (
        ranked_ids(reader, filters.q, EntryKind.SERVICE, services.values("pk"), SEARCH_CANDIDATES)
        if filters.q
        else None
    )
    if ids is None:
        return services.order_by("name_ar", "code")
    return services.filter(pk__in=ids).order_by(_rank_in(ids), "code") if ids else services.none()


def _rank_in(ids: list[int]) -> StrIndex:
    """Return an ordering of services by their place in ids (best first).

    The place of ",<pk>," in the ranked ids written as one string: one parameter however many services match,
    where a CASE with a branch per id took 40 ms to build and run for 500 matches.
    """
    ranked = Value(f",{','.join(str(pk) for pk in ids)},")
    return StrIndex(ranked, Concat(Value(","), Cast("pk", CharField()), Value(","), output_field=CharField()))


def service_for_reader(reader: Any, pk: Any, *, write: bool = False) -> Service:
    """Return one service with `.may_change` answered: 404 unseen, 403 unchangeable when write."""
    return policy.get_for_reader(
        Service.objects.select_related("owner", "life_event", "category"), reader, pk, write=write
    )


def service_documents(service: Service) -> list[RequiredDocument]:
    """Return a service's required documents in order, each with the administration that already holds it."""
    return list(service.documents.select_related("held_by").order_by("order", "pk"))


def service_projects(reader: Any, service: Service) -> QuerySet[ServiceProject]:
    """Return the links of a service to the projects that digitize it that this reader may read (link and project)."""
    return (
        ServiceProject.objects.visible_to(reader)
        .filter(service=service)
        .select_related("project", "project__owner")
        .order_by("target_date", "pk")
    )


def public_comments(service: Service, limit: int = 20) -> QuerySet[Rating]:
    """Return the moderated comments of a service that anyone may read, newest first."""
    return Rating.objects.filter(service=service, comment_status=CommentStatus.APPROVED).order_by("-created_at")[:limit]


def feedback_tracked(tracking_number: str) -> Feedback | None:
    """Return the complaint or suggestion a tracking number names (as the citizen who holds it reads it), or None.

    The number is the citizen's proof: typed with spaces, lower case, without its dash or with the Arabic-Indic
    digits of a phone's Arabic keyboard it still matches.
    """
    from masar.arabic.normalize import normalize_digits

    cleaned = "".join(ch for ch in normalize_digits(tracking_number or "").upper() if ch.isalnum())
    if len(cleaned) != 8:
        return None
    return (
        Feedback.objects.filter(tracking_number=f"{cleaned[:4]}-{cleaned[4:]}")
        .select_related("service")
        .only("tracking_number", "kind", "status", "answer", "answered_at", "created_at", "closed_at", "service")
        .first()
    )


@dataclass(frozen=True)
class FeedbackFilters:
    service: int | None = None
    status: str | None = None
    kind: str | None = None


def feedback_list(reader: Any, filters: FeedbackFilters | None = None) -> QuerySet[Feedback]:
    """Return the complaints and suggestions this reader answers (or, for inspectors, reads), oldest open first."""
    filters = filters or FeedbackFilters()
    rows = Feedback.objects.visible_to(reader).select_related("service", "service__owner")
    if filters.service is not None:
        rows = rows.filter(service_id=filters.service)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    return rows.order_by("status", "created_at", "pk")


def comments_to_moderate(reader: Any) -> QuerySet[Rating]:
    """Return the comments waiting for moderation on the services this reader answers for, oldest first.

    Inspectors read pending comments (`Rating.objects.visible_to`) but moderate none: their queue is empty.
    """
    lookups = Service.objects.all().lookups()
    return (
        Rating.objects.visible_to(reader)
        .filter(comment_status=CommentStatus.PENDING)
        .filter(policy.writable_q(reader, lookups.prefixed("service")))
        .select_related("service")
        .order_by("created_at", "pk")
    )


# Digitization and satisfaction figures --------------------------------------------------------------


@dataclass
class Digitization:
    """How far one organization's services are digitized and used online (shares 0–100, None when no base)."""

    organization: Any
    services: int = 0
    online: int = 0  # at level ≥ 3
    fully_online: int = 0  # at level ≥ 4
    transactions: int = 0
    online_transactions: int = 0
    month: datetime.date | None = None
    ratings: int = 0
    rating_total: int = 0
    open_feedback: int = field(default=0)

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def online_share(self) -> float | None:
        return self._share(self.online, self.services)

    @property
    def fully_online_share(self) -> float | None:
        return self._share(self.fully_online, self.services)

    @property
    def online_transactions_share(self) -> float | None:
        return self._share(self.online_transactions, self.transactions)

    @property
    def satisfaction(self) -> float | None:
        return round(self.rating_total / self.ratings, 2) if self.ratings else None


def digitization_by_owner(
    reader: Any, *, roots: QuerySet[Organization] | list[Organization], month: datetime.date | None = None
) -> list[Digitization]:
    """Return, for each organization of roots, the figures of the services owned in its subtree that this reader
    may read: counts by level, transactions of month (all channels and online ones), ratings. Three queries."""
    roots = list(roots)
    services = Service.objects.visible_to(reader)
    figures = {root.pk: Digitization(organization=root, month=month) for root in roots}
    paths = {root.pk: root.path for root in roots}

    def roots_of(path: str) -> list[int]:
        # Every root holding the owner: a root under another one (a ministry under the government) counts in both.
        return [pk for pk, prefix in paths.items() if path.startswith(prefix)]

    rows = services.values("owner__path").annotate(
        n=Count("pk"),
        online=Count("pk", filter=Q(level__gte=ONLINE_LEVEL)),
        fully=Count("pk", filter=Q(level__gte=FULLY_ONLINE_LEVEL)),
        ratings=Sum("rating_count"),
        total=Sum("rating_total"),
    )
    for row in rows:
        for pk in roots_of(row["owner__path"]):
            figure = figures[pk]
            figure.services += row["n"]
            figure.online += row["online"]
            figure.fully_online += row["fully"]
            figure.ratings += row["ratings"] or 0
            figure.rating_total += row["total"] or 0
    if month is not None:
        usage = (
            ServiceUsage.objects.filter(month=month, service__in=services.values("pk"))
            .values("service__owner__path")
            .annotate(all=Sum("transactions"), online=Sum("transactions", filter=Q(channel__in=ONLINE_CHANNELS)))
        )
        for row in usage:
            for pk in roots_of(row["service__owner__path"]):
                figures[pk].transactions += row["all"] or 0
                figures[pk].online_transactions += row["online"] or 0
    open_rows = (
        Feedback.objects.visible_to(reader)
        .exclude(status=FeedbackStatus.CLOSED)
        .values("service__owner__path")
        .annotate(n=Count("pk"))
    )
    for row in open_rows:
        for pk in roots_of(row["service__owner__path"]):
            figures[pk].open_feedback += row["n"]
    return [figures[root.pk] for root in roots]


def latest_usage_month(reader: Any) -> datetime.date | None:
    """Return the latest month with usage recorded on a service this reader may read."""
    services = Service.objects.visible_to(reader).values("pk")
    return ServiceUsage.objects.filter(service__in=services).order_by("-month").values_list("month", flat=True).first()
