"""Reads of the owners' pages of the catalogue: what a service page adds up (usage by channel, satisfaction), the
citizens' voice of a service, the organizations a reader adds services for, and the figures per ministry.

The lists themselves are those of `masar.catalogue.selectors`; this module only shapes them for the pages and
answers, through the one policy, which actions each reader is offered.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count

from masar.catalogue.models import (
    COMMENT_WORKFLOW,
    FEEDBACK_WORKFLOW,
    ONLINE_CHANNELS,
    Channel,
    Feedback,
    FeedbackAction,
    FeedbackStatus,
    ModerationAction,
    Rating,
    Service,
    ServiceUsage,
)
from masar.catalogue.selectors import Digitization, comments_to_moderate, digitization_by_owner, latest_usage_month
from masar.core import policy
from masar.core.models import Classification
from masar.organizations.models import Organization, OrganizationKind

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

SCORES = (5, 4, 3, 2, 1)  # the rating scale, best first, as the distribution lists it
USAGE_MONTHS = 12  # the months of usage a service's page shows
ORGANIZATION_FIELDS = ("pk", "path", "name_ar", "name_fr", "name_en")


# Who adds services, who answers citizens ---------------------------------------------------------


def service_owner_choices(reader: Any) -> QuerySet[Organization]:
    """Return the organizations this reader may add services for (`policy.may_create_service`), by path."""
    organizations = Organization.objects.only(*ORGANIZATION_FIELDS).order_by("path")
    allowed = [o.pk for o in organizations if policy.may_create_service(reader, o, Classification.PUBLIC)]
    return Organization.objects.filter(pk__in=allowed).only(*ORGANIZATION_FIELDS).order_by("path")


def _mark_answer_rights(reader: Any, services: Iterable[Service]) -> None:
    """Answer `may_write` for each service in one query, so that `policy.may_answer_citizens` reads no row."""
    services = list(services)
    ids = {service.pk for service in services}
    writable = set(Service.objects.writable_by(reader).filter(pk__in=ids).values_list("pk", flat=True))
    person = policy.Reader.of(reader)
    for service in services:
        service.may_change = service.pk in writable  # type: ignore[attr-defined]
        service.may_change_reader = person  # type: ignore[attr-defined]


# A service's page ------------------------------------------------------------------------------


@dataclass
class UsageMonth:
    """One month of a service's usage: transactions per channel, their total and the share made online (0–1)."""

    month: datetime.date
    by_channel: list[int | None]
    total: int = 0
    online: int = 0

    @property
    def online_share(self) -> float | None:
        return self.online / self.total if self.total else None


@dataclass
class UsageTable:
    """A service's usage over its latest months: the channels recorded, one row per month, and the totals."""

    channels: list[tuple[str, str]]  # (code, label) of the channels with any transaction in the period
    months: list[UsageMonth] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    total: int = 0
    online: int = 0
    backlog: int | None = None  # at the end of the latest month, all channels
    processing_days: Any = None  # the latest month's actual processing time, averaged over its channels

    @property
    def online_share(self) -> float | None:
        return self.online / self.total if self.total else None

    @property
    def first_month(self) -> datetime.date | None:
        return self.months[0].month if self.months else None

    @property
    def last_month(self) -> datetime.date | None:
        return self.months[-1].month if self.months else None


def _months_back(last: datetime.date, count: int) -> list[datetime.date]:
    months, year, month = [], last.year, last.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


def usage_table(service: Service, months: int = USAGE_MONTHS) -> UsageTable:
    """Return the usage of a service by channel over the months months up to the latest one recorded (two queries).

    The period ends with the latest month recorded rather than today, so that a service whose figures arrive
    late still shows its last year of use.
    """
    last = ServiceUsage.objects.filter(service=service).order_by("-month").values_list("month", flat=True).first()
    if last is None:
        return UsageTable(channels=[])
    period = _months_back(last, months)
    rows = ServiceUsage.objects.filter(service=service, month__gte=period[0], month__lte=last)
    cells: dict[tuple[datetime.date, str], ServiceUsage] = {(row.month, row.channel): row for row in rows}
    present = {channel for _month, channel in cells}
    channels = [(code, str(label)) for code, label in Channel.choices if code in present]
    table = UsageTable(channels=channels, totals=[0] * len(channels))
    for month in period:
        line = UsageMonth(month=month, by_channel=[])
        for position, (code, _label) in enumerate(channels):
            cell = cells.get((month, code))
            line.by_channel.append(cell.transactions if cell else None)
            if cell is not None:
                line.total += cell.transactions
                line.online += cell.transactions if cell.channel in ONLINE_CHANNELS else 0
                table.totals[position] += cell.transactions
        table.months.append(line)
        table.total += line.total
        table.online += line.online
    latest = [cells[(last, code)] for code, _label in channels if (last, code) in cells]
    backlogs = [row.backlog for row in latest if row.backlog is not None]
    table.backlog = sum(backlogs) if backlogs else None
    days = [row.processing_days for row in latest if row.processing_days is not None]
    table.processing_days = sum(days) / len(days) if days else None
    return table


@dataclass
class Satisfaction:
    """A service's ratings: their average, their count and how many gave each score (1 to 5)."""

    average: float | None
    count: int
    distribution: list[tuple[int, int, float]]  # (score, ratings, share of the ratings 0–1), 5 first


def service_satisfaction(service: Service) -> Satisfaction:
    """Return the satisfaction figures of a service (one query).

    The scores are read from every rating of the service: a comment awaiting moderation hides its text, not
    its score, which the public average on the service already counts.
    """
    counts = dict(Rating.objects.filter(service=service).values_list("score").annotate(n=Count("pk")).order_by())
    count = sum(counts.values())
    distribution = [(score, counts.get(score, 0), counts.get(score, 0) / count if count else 0.0) for score in SCORES]
    average = round(sum(score * n for score, n in counts.items()) / count, 1) if count else None
    return Satisfaction(average=average, count=count, distribution=distribution)


@dataclass
class ServiceVoice:
    """What the citizens said about a service that this reader reads: open complaints and suggestions, and
    comments waiting for moderation (only for those who answer, and the inspectorate)."""

    shown: bool
    open_feedback: list[Feedback] = field(default_factory=list)
    pending_comments: list[Rating] = field(default_factory=list)


def service_voice(reader: Any, service: Service, limit: int = 20) -> ServiceVoice:
    """Return the open complaints and suggestions and the comments to moderate of a service, for this reader."""
    if not policy.may_hear_citizens(reader):
        return ServiceVoice(shown=False)
    feedback = (
        Feedback.objects.visible_to(reader)
        .filter(service=service)
        .exclude(status=FeedbackStatus.CLOSED)
        .order_by("created_at", "pk")[:limit]
    )
    comments = comments_to_moderate(reader).filter(service=service)[:limit]
    return ServiceVoice(shown=True, open_feedback=list(feedback), pending_comments=list(comments))


def is_public(service: Service) -> bool:
    """Whether the public reads this service (and so has a page for it on the portal)."""
    return policy.may_read(policy.Reader.public(), service)


# Citizens' voice: the actions each reader is offered -----------------------------------------------


def feedback_actions(reader: Any, feedback: Feedback) -> list[FeedbackAction]:
    """Return the actions this reader may take on a complaint or suggestion now: none for those who only read
    it (the inspectorate), else those the workflow allows from its status."""
    if not policy.may_answer_citizens(reader, feedback.service):
        return []
    return [FeedbackAction(a) for a in FeedbackAction if FEEDBACK_WORKFLOW.allows(feedback.status, a)]


def with_moderation_actions(reader: Any, ratings: Iterable[Rating]) -> list[Rating]:
    """Return the ratings (comments waiting for moderation, `comments_to_moderate`) each with `.actions`: the
    moderation actions this reader may take on it (none for the inspectorate). One query."""
    ratings = list(ratings)
    _mark_answer_rights(reader, [rating.service for rating in ratings])
    for rating in ratings:
        allowed = policy.may_answer_citizens(reader, rating.service)
        actions = [a for a in ModerationAction if COMMENT_WORKFLOW.allows(rating.comment_status, a)]
        rating.actions = actions if allowed else []  # type: ignore[attr-defined]
    return ratings


def moderation_target(reader: Any, pk: Any) -> Rating:
    """Return a rating whose comment this reader reads for moderation (404 otherwise), with its service."""
    return policy.get_for_reader(Rating.objects.select_related("service"), reader, pk)


# Figures per ministry ----------------------------------------------------------------------------


def ministries() -> QuerySet[Organization]:
    """Return the ministries, in their order: the rows of the satisfaction table."""
    return Organization.objects.filter(kind=OrganizationKind.MINISTRY).order_by("order", "code")


@dataclass(frozen=True)
class MinistryFigures:
    """The satisfaction table: one row per ministry, and the month whose transactions are counted."""

    rows: list[Digitization]
    month: datetime.date | None


def satisfaction_by_ministry(reader: Any) -> MinistryFigures:
    """Return, for each ministry, the digitization and satisfaction figures of the services this reader reads,
    with the online share of transactions of the latest month recorded."""
    month = latest_usage_month(reader)
    return MinistryFigures(rows=digitization_by_owner(reader, roots=ministries(), month=month), month=month)
