"""What waits for one person: the reads behind "My work", each through the existing selectors and the policy."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page
from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masar.core import policy
from masar.core.fragments import FRAGMENT_SECONDS, scoped_key
from masar.core.policy import Reader
from masar.core.selectors import paginate
from masar.decisions.models import AgendaItem, DecisionStatus
from masar.decisions.selectors import DecisionFilters, decision_list
from masar.delivery.models import Baseline, BaselineStatus, ProgressUpdate, UpdateStatus
from masar.delivery.selectors import missing_updates, missing_updates_by_organization
from masar.indicators.models import Measurement, MeasurementStatus
from masar.indicators.selectors import review_queue
from masar.portfolio.models import Project

REVIEW_PAGE_SIZE = 25  # a screenful of submissions to check one by one before approving them together
FIRST_SHOWN = 20  # a queue without a page of its own shows its oldest this many, with the count of all


class ReviewKind(models.TextChoices):
    """The kinds of submissions in one review list; an item's key is "<kind>-<pk>"."""

    UPDATE = "update", _("Progress update")
    VALUE = "value", _("Indicator value")


@dataclass(frozen=True)
class ReviewItem:
    """One submission waiting for this reader's decision, with the previous period's value beside it."""

    kind: str  # a ReviewKind
    record: ProgressUpdate | Measurement
    subject: str  # the project's or indicator's name
    code: str
    period: datetime.date
    value: Decimal | None
    previous: Decimal | None
    previous_period: datetime.date | None
    submitted_by: Any
    submitted_at: datetime.datetime | None

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.record.pk}"

    @property
    def url(self) -> str:
        """Return the address of the submission's own page (to return or reject it there)."""
        if self.kind == ReviewKind.UPDATE:
            return reverse("delivery-update-detail", args=[self.record.pk])
        return reverse("indicators-indicator-detail", args=[self.record.indicator_id])  # type: ignore[union-attr]

    @property
    def kind_label(self) -> str:
        return str(ReviewKind(self.kind).label)


def _with_previous_update(updates: QuerySet[ProgressUpdate]) -> QuerySet[ProgressUpdate]:
    """Annotate each update with its project's latest approved update before it (percent as previous_value, month)."""
    previous = ProgressUpdate.objects.filter(
        project=OuterRef("project"), period__lt=OuterRef("period"), status=UpdateStatus.APPROVED
    ).order_by("-period")
    return updates.annotate(
        previous_value=Subquery(previous.values("percent_complete")[:1]),
        previous_period=Subquery(previous.values("period")[:1]),
    )


def _with_previous_value(values: QuerySet[Measurement]) -> QuerySet[Measurement]:
    """Annotate each value with the latest approved value before it of the same series (value and month), in SQL."""
    # A series without a region or an organization is matched as such: NULL equals NULL here, as in the ORM's
    # `region=None`.
    previous = (
        Measurement.objects.annotate(
            series_region=Coalesce("region", 0), series_organization=Coalesce("organization", 0)
        )
        .filter(
            indicator=OuterRef("indicator"),
            series_region=Coalesce(OuterRef("region"), 0),
            series_organization=Coalesce(OuterRef("organization"), 0),
            period__lt=OuterRef("period"),
            status=MeasurementStatus.APPROVED,
        )
        .order_by("-period")
    )
    return values.annotate(
        previous_value=Subquery(previous.values("value")[:1]),
        previous_period=Subquery(previous.values("period")[:1]),
    )


def updates_to_review(who: Any) -> QuerySet[ProgressUpdate]:
    """Return the submitted progress updates this reader reviews (`policy.may_review`), not their own, oldest first."""
    reader = Reader.of(who)
    if not policy.may_review_submissions(reader):
        return ProgressUpdate.objects.none()
    return (
        ProgressUpdate.objects.visible_to(reader)
        .filter(policy.reviewed_q(reader), status=UpdateStatus.SUBMITTED)
        .exclude(submitted_by=reader.user_id)
        .order_by("submitted_at", "pk")
    )


def values_to_review(who: Any) -> QuerySet[Measurement]:
    """Return the submitted indicator values this user may decide (`policy.may_decide_value`); who: a user."""
    reader = Reader.of(who)
    if not policy.may_review_submissions(reader):
        return Measurement.objects.none()
    return review_queue(who)


def review_queue_keys(who: Any) -> QuerySet[Any]:
    """Return (submitted_at, pk, kind) of every submission waiting for this reader, oldest first, in one SQL query.

    Counted and sliced by the database, so a page of the queue reads its own rows only, however long the queue.
    """
    updates = updates_to_review(who).order_by().annotate(kind=Value(ReviewKind.UPDATE.value))
    values = values_to_review(who).order_by().annotate(kind=Value(ReviewKind.VALUE.value))
    keys = updates.values_list("submitted_at", "pk", "kind").union(
        values.values_list("submitted_at", "pk", "kind"), all=True
    )
    return keys.order_by("submitted_at", "kind", "pk")


def review_items(keys: Iterable[tuple[Any, int, str]]) -> list[ReviewItem]:
    """Return the submissions named by keys (from `review_queue_keys`), in that order, with their previous period."""
    keys = list(keys)
    wanted = {kind: [pk for _at, pk, key_kind in keys if key_kind == kind] for kind in ReviewKind.values}
    person = [f"submitted_by__{name}" for name in ("username", "first_name", "last_name")]
    names = ["name_ar", "name_fr", "name_en", "code"]
    updates = _with_previous_update(
        ProgressUpdate.objects.select_related("project", "submitted_by").only(
            "period", "percent_complete", "submitted_at", *person, *[f"project__{name}" for name in names]
        )
    ).in_bulk(wanted[ReviewKind.UPDATE])
    values = _with_previous_value(
        Measurement.objects.select_related("indicator", "submitted_by").only(
            "period", "value", "submitted_at", *person, *[f"indicator__{name}" for name in names]
        )
    ).in_bulk(wanted[ReviewKind.VALUE])
    items = []
    for _at, pk, kind in keys:
        if kind == ReviewKind.UPDATE and pk in updates:
            update = updates[pk]
            items.append(_review_item(ReviewKind.UPDATE, update, update.project, update.percent_complete))
        elif kind == ReviewKind.VALUE and pk in values:
            measurement = values[pk]
            items.append(_review_item(ReviewKind.VALUE, measurement, measurement.indicator, measurement.value))
    return items


def _review_item(kind: str, record: Any, subject: Any, value: Decimal | None) -> ReviewItem:
    """Return a submission (annotated with previous_value and previous_period) as an item of the review list."""
    return ReviewItem(
        kind=kind,
        record=record,
        subject=subject.name,
        code=subject.code,
        period=record.period,
        value=value,
        previous=record.previous_value,
        previous_period=record.previous_period,
        submitted_by=record.submitted_by,
        submitted_at=record.submitted_at,
    )


def review_page(who: Any, page_number: int | str | None = None) -> Page[ReviewItem]:
    """Return one page of the submissions waiting for this reader, oldest first; the count is the database's."""
    page = paginate(review_queue_keys(who), page_number, REVIEW_PAGE_SIZE)
    page.object_list = review_items(page.object_list)
    return page


# Project managers ------------------------------------------------------------------------------


def my_projects(who: Any) -> QuerySet[Project]:
    """Return the projects this reader manages, with their computed rating and their last update's month and status."""
    reader = Reader.of(who)
    if not reader.is_person:
        return Project.objects.none()
    last = ProgressUpdate.objects.filter(project=OuterRef("pk")).order_by("-period")
    return (
        Project.objects.visible_to(reader)
        .filter(manager=reader.user_id)
        .select_related("owner", "health")
        .annotate(last_period=Subquery(last.values("period")[:1]), last_status=Subquery(last.values("status")[:1]))
        .order_by("code")
    )


def my_reports_due(who: Any, today: datetime.date | None = None) -> tuple[QuerySet[Project], datetime.date]:
    """Return the projects this reader manages whose update for the due month is missing, and that month."""
    reader = Reader.of(who)
    projects, period = missing_updates(who, today)
    return projects.filter(manager=reader.user_id).select_related("owner").order_by("code"), period


def my_returned_updates(who: Any) -> QuerySet[ProgressUpdate]:
    """Return the updates sent back to this reader: written or submitted by them, or on a project they manage."""
    reader = Reader.of(who)
    if not reader.is_person:
        return ProgressUpdate.objects.none()
    mine = Q(created_by=reader.user_id) | Q(submitted_by=reader.user_id) | Q(project__manager=reader.user_id)
    return (
        ProgressUpdate.objects.visible_to(reader)
        .filter(mine, status=UpdateStatus.RETURNED)
        .select_related("project", "reviewed_by")
        .order_by("-reviewed_at", "pk")
    )


# The national unit -----------------------------------------------------------------------------


def escalations(who: Any, today: datetime.date | None = None) -> QuerySet[AgendaItem]:
    """Return the obstacles on the agenda of meetings to come (today included), soonest meeting first."""
    today = today or timezone.localdate()
    return (
        AgendaItem.objects.visible_to(who)
        .filter(obstacle__isnull=False, meeting__date__gte=today)
        .select_related("meeting", "obstacle", "project")
        .order_by("meeting__date", "meeting", "order")
    )


def rebaselines_to_decide(who: Any) -> QuerySet[Baseline]:
    """Return the proposed re-baselines this reader decides (`policy.may_decide_baseline`), oldest first."""
    if not policy.may_decide_baseline(who):
        return Baseline.objects.none()
    return (
        Baseline.objects.visible_to(who)
        .filter(status=BaselineStatus.PROPOSED)
        .select_related("project", "requested_by")
        .order_by("requested_at", "pk")
    )


def late_ministries(who: Any, today: datetime.date | None = None) -> tuple[list[dict[str, Any]], int, datetime.date]:
    """Return the ministries with missing updates (counted per ministry), the total, and the month due."""
    rows, projects, period = missing_updates_by_organization(who, today)
    return rows, sum(row["total"] for row in rows), period


def overdue_decisions(who: Any, today: datetime.date | None = None) -> QuerySet[Any]:
    """Return the decisions past their due date and not done: the decision list filtered on "overdue"."""
    return decision_list(who, DecisionFilters(status=DecisionStatus.OVERDUE), today)


def decision_closures_to_validate(who: Any) -> list[Any]:
    """Return the decision closures awaiting this reader's validation.

    A hook for the decision-closure requests (masar.decisions), which fill it; until then nothing waits.
    """
    return []


def first_of(queryset: QuerySet[Any], shown: int = FIRST_SHOWN) -> tuple[list[Any], int]:
    """Return the first `shown` records of a queue and how many it holds in all (counted only when it is longer)."""
    first = list(queryset[: shown + 1])
    if len(first) <= shown:
        return first, len(first)
    return first[:shown], queryset.count()


@dataclass
class MyWork:
    """Everything "My work" shows one reader; a section left as None is not this reader's work."""

    reader: Reader
    projects: list[Project] | None = None
    reports_due: list[Project] | None = None
    due_period: datetime.date | None = None
    returned: list[ProgressUpdate] | None = None
    reviews: Page[ReviewItem] | None = None
    escalations: list[AgendaItem] | None = None
    escalations_total: int = 0
    rebaselines: list[Baseline] | None = None
    rebaselines_total: int = 0
    late_ministries: list[dict[str, Any]] | None = None
    late_total: int = 0
    overdue_decisions: int | None = None
    closures: list[Any] | None = None
    sections: list[str] = field(default_factory=list)

    @property
    def has_work(self) -> bool:
        """Whether anything here is this reader's to do (a viewer has nothing)."""
        return bool(self.sections)


def my_work(who: Any, today: datetime.date | None = None, review_page_number: int | str | None = None) -> MyWork:
    """Return what waits for this reader, by what the policy says they do; the review queue by pages."""
    reader = Reader.of(who)
    work = MyWork(reader=reader)
    if policy.may_report_progress(reader):
        work.projects = list(my_projects(who))
        due, work.due_period = my_reports_due(who, today)
        work.reports_due = list(due)
        work.returned = list(my_returned_updates(who))
        work.sections += ["projects", "reports_due", "returned"]
    if policy.may_review_submissions(reader):
        work.reviews = review_page(who, review_page_number)
        work.sections.append("reviews")
    if policy.may_steer(reader):
        for name, value in steering(who, today).items():
            setattr(work, name, value)
        work.sections += ["escalations", "rebaselines", "late_ministries", "overdue_decisions", "closures"]
    return work


def steering(who: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """Return what waits for the national unit (escalations, re-baselines, late ministries, overdue decisions).

    The same for every reader of one visibility scope and read by each of them on each visit: kept in the cache
    under the scope, the day and the data version (`fragments.scoped_key`), so any change shows at once.
    """

    def compute() -> dict[str, Any]:
        figures: dict[str, Any] = {}
        figures["escalations"], figures["escalations_total"] = first_of(escalations(who, today))
        figures["rebaselines"], figures["rebaselines_total"] = first_of(rebaselines_to_decide(who))
        figures["late_ministries"], figures["late_total"], figures["due_period"] = late_ministries(who, today)
        figures["overdue_decisions"] = overdue_decisions(who, today).count()
        figures["closures"] = decision_closures_to_validate(who)
        return figures

    if today is not None and today != timezone.localdate():
        return compute()  # another day than the key's
    figures = cache.get_or_set(scoped_key(who, "work-steering", ""), compute, FRAGMENT_SECONDS)
    return figures if figures is not None else compute()  # get_or_set is typed as possibly None
