"""Reads of projects: the one project list, filtered by one typed filter object.

The project list page, the dashboards, the project export and the council pack all call
`project_list`, so a figure and the list it links to can never disagree.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.core.paginator import Page
from django.db.models import Case, Exists, F, IntegerField, OuterRef, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import get_language

from masar.core.selectors import paginate
from masar.delivery.models import CONFIDENCE_ORDER, Confidence, FlagKind, Obstacle
from masar.organizations.models import Organization, Region
from masar.portfolio.models import Project
from masar.strategy.models import Axis, Phase, Strategy

NOT_RATED = "not_rated"  # the rating filter's value for projects without a computed rating yet
ON_TRACK = "on_track"  # the rating filter's value for projects rated green or amber/green
ON_TRACK_RATINGS = (Confidence.GREEN, Confidence.AMBER_GREEN)
FRESH_MONTHS = 2  # an approved update at most this many months old counts as fresh
ANY_CATEGORY = "any"  # the blocked filter's value for a blocking obstacle of any category
SORT_COLUMNS = ("code", "name", "owner", "rating", "planned_end")  # "-<column>" sorts the other way
SORTS = (*SORT_COLUMNS, *(f"-{column}" for column in SORT_COLUMNS))


@dataclass(frozen=True)
class ProjectFilters:
    """What narrows a project list; every field left empty narrows nothing.

    Model instances are the ones a form already checked the reader may see.
    """

    q: str = ""
    strategy: Strategy | None = None
    axis: Axis | None = None
    phase: Phase | None = None
    organization: Organization | None = None  # the owner's subtree
    status: str = ""  # a ProjectStatus value
    region: Region | None = None  # the region's subtree
    classification: str = ""  # a Classification value
    rating: str = ""  # a Confidence value, NOT_RATED or ON_TRACK
    flagged: bool = False  # declared better than computed (optimistic gap)
    pessimistic: bool = False  # declared worse than computed (pessimistic gap)
    blocked: str = ""  # an ObstacleCategory value, or ANY_CATEGORY
    manager: int | None = None  # the manager's user id ("my projects")
    fresh: bool = False  # with an approved update in the last FRESH_MONTHS months
    sort: str = ""  # one of SORTS; empty is by code

    def __post_init__(self) -> None:
        if self.sort and self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r}")

    @classmethod
    def from_form(cls, data: Mapping[str, Any], **overrides: Any) -> ProjectFilters:
        """Return the filters held by a form's cleaned data (unknown keys ignored, empty values dropped)."""
        values = {f.name: data[f.name] for f in fields(cls) if data.get(f.name)}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def query(self) -> dict[str, Any]:
        """Return the project list's address parameters that give these filters back."""
        params: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if not value or f.name == "manager":
                continue
            if isinstance(value, bool):
                params[f.name] = "on"
            else:
                params[f.name] = getattr(value, "pk", value)
        return params

    def key(self) -> str:
        """Return a stable text naming these filters (for cache keys)."""
        return ",".join(f"{k}={v}" for k, v in sorted(self.query().items())) + (
            f",manager={self.manager}" if self.manager else ""
        )


def fresh_since(today: datetime.date) -> datetime.date:
    """Return the first period whose approved update still counts as fresh on this day."""
    return (today.replace(day=1) - datetime.timedelta(days=31 * FRESH_MONTHS)).replace(day=1)


def project_list(reader: Any, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    """Return the projects this reader may see, narrowed by filters, in code order."""
    filters = filters or ProjectFilters()
    projects = Project.objects.visible_to(reader)
    if filters.q:
        projects = projects.search(filters.q)
    for name in ("strategy", "axis", "phase"):
        if getattr(filters, name) is not None:
            projects = projects.filter(**{name: getattr(filters, name)})
    if filters.organization is not None:
        projects = projects.filter(owner__path__startswith=filters.organization.path)
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.region is not None:
        # A subquery rather than a join: the list stays one row per project for counts and sums.
        region_tree = Region.objects.filter(path__startswith=filters.region.path)
        projects = projects.filter(
            pk__in=Project.regions.through.objects.filter(region__in=region_tree).values("project")
        )
    if filters.classification:
        projects = projects.filter(classification=filters.classification)
    if filters.rating == NOT_RATED:
        projects = projects.filter(health__isnull=True)
    elif filters.rating == ON_TRACK:
        projects = projects.filter(health__computed__in=ON_TRACK_RATINGS)
    elif filters.rating:
        projects = projects.filter(health__computed=filters.rating)
    if filters.flagged:
        projects = projects.filter(health__flagged=True)
    if filters.pessimistic:
        projects = projects.filter(health__flag_kind=FlagKind.PESSIMISTIC)
    if filters.fresh:
        projects = projects.filter(health__last_approved_period__gte=fresh_since(timezone.localdate()))
    if filters.blocked:
        # Being blocked is a judgement on the project, published like its rating (which obstacles also cap);
        # the obstacles themselves stay internal material.
        blocking = Obstacle.objects.blocking().filter(project=OuterRef("pk"))
        if filters.blocked != ANY_CATEGORY:
            blocking = blocking.filter(category=filters.blocked)
        projects = projects.filter(Exists(blocking))
    if filters.manager is not None:
        projects = projects.filter(manager_id=filters.manager)
    return projects.order_by(*_ordering(filters.sort))


def project_page(projects: QuerySet[Project], page_number: int | str | None, per_page: int) -> Page[Project]:
    """Return a page of a project list: the page's ids chosen by a narrow query, then their rows by id.

    Sorting 20,000 projects by rating or owner on rows that carry the project, its owner, strategy,
    axis and rating costs the database twice as much as sorting their ids; only the page's 50 rows
    are then read whole.
    """
    page = paginate(projects.values_list("pk", flat=True), page_number, per_page)
    ids = list(page.object_list)
    rows = Project.objects.filter(pk__in=ids).select_related("owner", "strategy", "axis", "health")
    by_id = {project.pk: project for project in rows}
    page.object_list = [by_id[pk] for pk in ids]
    return page


def _localized_name(prefix: str = "") -> Any:
    """Return the name in the active language, falling back to the Arabic name (as `Named.name` does)."""
    language = (get_language() or "ar")[:2]
    if language == "ar":
        return F(f"{prefix}name_ar")
    return Coalesce(NullIf(F(f"{prefix}name_{language}"), Value("")), F(f"{prefix}name_ar"))


def _ordering(sort: str) -> list[Any]:
    """Return the order_by terms of a sort: its column, either way, unrated projects last, then by code."""
    column = sort.removeprefix("-") or "code"
    if column == "code":
        return ["-code" if sort.startswith("-") else "code"]
    if column == "name":
        key: Any = _localized_name()
    elif column == "owner":
        key = _localized_name("owner__")
    elif column == "rating":  # best first, as the confidence scale reads
        key = Case(
            *(When(health__computed=value, then=Value(rank)) for rank, value in enumerate(CONFIDENCE_ORDER)),
            output_field=IntegerField(),
        )
    else:
        key = F("planned_end")
    term = key.desc(nulls_last=True) if sort.startswith("-") else key.asc(nulls_last=True)
    return [term, "code"]


def sort_links(sort: str) -> dict[str, dict[str, str]]:
    """Return, for each sortable column, the sort its header asks for and its state (for `aria-sort`)."""
    current = sort or "code"
    links = {}
    for column in SORT_COLUMNS:
        if current == column:
            links[column] = {"sort": f"-{column}", "state": "ascending"}
        elif current == f"-{column}":
            links[column] = {"sort": column, "state": "descending"}
        else:
            links[column] = {"sort": column, "state": "none"}
    return links
