"""Reads of the national, sectoral and public dashboards: every figure aggregated in the database.

Each dashboard runs a fixed number of queries whatever the number of projects; the result is
cached per visibility scope, filters, language and data version (the latest audit entry).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from masar.audit.models import AuditEntry
from masar.core import policy
from masar.core.models import Classification
from masar.decisions.selectors import DecisionFilters, decision_list
from masar.delivery.models import CONFIDENCE_ORDER, Confidence, Obstacle, ObstacleCategory, ProgressUpdate, UpdateStatus
from masar.organizations.models import Organization, Region
from masar.organizations.selectors import ministry_of
from masar.organizations.tilemap import TileMap, tile_map
from masar.portfolio.models import ProjectStatus
from masar.portfolio.selectors import NOT_RATED, ON_TRACK, ON_TRACK_RATINGS, ProjectFilters, fresh_since, project_list
from masar.strategy.models import Axis

if TYPE_CHECKING:
    from typing import Any


CACHE_SECONDS = 600


def data_version() -> int:
    """Return a number that changes whenever any record changes (every change writes an audit entry)."""
    return AuditEntry.objects.data_version()


def latest_spend() -> Subquery:
    """Return the spend to date of a project's latest submitted or approved update, as a subquery."""
    updates = ProgressUpdate.objects.filter(
        project=OuterRef("pk"), status__in=[UpdateStatus.SUBMITTED, UpdateStatus.APPROVED]
    ).order_by("-period")
    return Subquery(updates.values("spend_to_date")[:1], output_field=DecimalField(max_digits=16, decimal_places=2))


class Linker:
    """Build drill-down addresses to the project list with the same filters as the dashboard.

    The dashboard and the project list read the same selector (`project_list`) with the same
    filter object, so a figure's link lists exactly the rows it counts.
    """

    def __init__(self, filters: ProjectFilters, *, public: bool = False) -> None:
        self.base = filters.query()
        self.enabled = True
        if public:
            # Public records are the same for every reader, so the list shows the same rows to anyone.
            self.base["classification"] = Classification.PUBLIC

    def __call__(self, **params):
        if not self.enabled or any(v is None for v in params.values()):
            return None
        query = {**self.base, **{k: v for k, v in params.items() if v != ""}}
        return reverse("portfolio-project-list") + ("?" + urlencode(query) if query else "")


def overdue_decision_filters(filters: ProjectFilters, *, public: bool = False) -> DecisionFilters:
    """Return the filters of the decisions past due the dashboard counts and links to (the organization's subtree).

    A decision reported done but not yet validated still counts: only the national unit's acceptance
    takes it out of the figure.
    """
    return DecisionFilters(
        past_due=True,
        organization=filters.organization,
        classification=Classification.PUBLIC if public else "",
    )


def _share(part, whole):
    return round(100 * part / whole) if whole else 0


def dashboard(user: Any, filters: ProjectFilters, *, public: bool = False) -> dict[str, Any]:
    """Return the dashboard figures for this reader and these filters (cached until any record changes)."""
    key = f"dashboards:{policy.cache_scope(user)}:{int(public)}:{filters.key()}:{get_language()}:{data_version()}"
    data = cache.get(key)
    if data is None:
        data = compute(user, filters, public=public)
        cache.set(key, data, CACHE_SECONDS)
    return data


def compute(user: Any, filters: ProjectFilters, *, public: bool = False) -> dict[str, Any]:
    """Return the dashboard figures as plain values (names in the active language, links, counts)."""
    projects = project_list(user, filters).order_by()
    link = Linker(filters, public=public)
    rating_labels = dict(Confidence.choices)
    ratings = [*CONFIDENCE_ORDER, NOT_RATED]

    # Projects by axis × computed rating.
    cells = projects.values("axis", "health__computed").annotate(n=Count("pk")).order_by()
    by_axis: dict[Any, dict[str, int]] = {}
    for row in cells:
        by_axis.setdefault(row["axis"], {})[row["health__computed"] or NOT_RATED] = row["n"]
    axes = {a.pk: a for a in Axis.objects.filter(pk__in=[pk for pk in by_axis if pk]).select_related("strategy")}
    axis_rows: list[dict[str, Any]] = []
    for axis_pk, counts in sorted(by_axis.items(), key=lambda item: (item[0] is None, item[0] or 0)):
        axis = axes.get(axis_pk)
        axis_rows.append(
            {
                "name": axis.name if axis else None,
                "total": sum(counts.values()),
                "total_url": link(axis=axis_pk) if axis_pk else None,
                "cells": [
                    {
                        "rating": r,
                        "n": counts.get(r, 0),
                        "url": link(axis=axis_pk, rating=r) if axis_pk else None,
                    }
                    for r in ratings
                ],
            }
        )
    rating_totals = {r: sum(row["cells"][i]["n"] for row in axis_rows) for i, r in enumerate(ratings)}
    total = sum(rating_totals.values())
    rating_columns = [
        {
            "rating": r,
            "label": rating_labels.get(r),
            "n": rating_totals[r],
            "url": link(rating=r),
        }
        for r in ratings
    ]

    # Projects by status.
    status_counts = dict(projects.values_list("status").annotate(n=Count("pk")).order_by())
    statuses = [
        {"status": value, "label": label, "n": status_counts.get(value, 0), "url": link(status=value)}
        for value, label in ProjectStatus.choices
    ]

    # Planned budget against spend, by axis and by ministry, with the spend of each project's latest report.
    money = projects.annotate(spend=latest_spend())
    budget_axis = {
        row["axis"]: row
        for row in money.values("axis")
        .annotate(budget=Sum("planned_budget"), spent=Sum("spend"), n=Count("pk"))
        .order_by()
    }
    budget_owner = list(
        money.values("owner").annotate(budget=Sum("planned_budget"), spent=Sum("spend"), n=Count("pk")).order_by()
    )

    # League of ministries: share on track and share with a fresh approved update.
    today = timezone.localdate()
    league_owner = (
        projects.values("owner")
        .annotate(
            n=Count("pk"),
            on_track=Count("pk", filter=Q(health__computed__in=ON_TRACK_RATINGS)),
            fresh=Count("pk", filter=Q(health__last_approved_period__gte=fresh_since(today))),
        )
        .order_by()
    )
    organizations = {o.pk: o for o in Organization.objects.only("pk", "path", "kind", "name_ar", "name_fr", "name_en")}
    ministries: dict[Any, dict[str, Any]] = {}
    for owner_row in league_owner:
        ministry = ministry_of(organizations[owner_row["owner"]], organizations)
        entry = ministries.setdefault(
            ministry.pk,
            {"pk": ministry.pk, "name": ministry.name, "n": 0, "on_track": 0, "fresh": 0, "budget": 0, "spent": 0},
        )
        for name in ("n", "on_track", "fresh"):
            entry[name] += owner_row[name]
    for owner_budget in budget_owner:
        ministry = ministry_of(organizations[owner_budget["owner"]], organizations)
        entry = ministries[ministry.pk]
        entry["budget"] += owner_budget["budget"] or 0
        entry["spent"] += owner_budget["spent"] or 0
    league = []
    for entry in ministries.values():
        entry["on_track_share"] = _share(entry["on_track"], entry["n"])
        entry["fresh_share"] = _share(entry["fresh"], entry["n"])
        entry["spent_share"] = _share(entry["spent"], entry["budget"])
        # A sectoral dashboard's links keep to its sector, so a ministry's own list is not one of them.
        own = "organization" not in link.base
        entry["url"] = link(organization=entry["pk"]) if own else None
        entry["on_track_url"] = link(organization=entry["pk"], rating=ON_TRACK) if own else None
        entry["fresh_url"] = link(organization=entry["pk"], fresh="on") if own else None
        league.append(entry)
    league.sort(key=lambda e: (-e["on_track_share"], -e["n"], e["name"]))
    budget_rows = []
    for axis_pk, axis_budget in sorted(budget_axis.items(), key=lambda item: (item[0] is None, item[0] or 0)):
        axis = axes.get(axis_pk)
        budget, spent = axis_budget["budget"] or 0, axis_budget["spent"] or 0
        budget_rows.append(
            {
                "name": axis.name if axis else None,
                "budget": budget,
                "spent": spent,
                "share": _share(spent, budget),
                "n": axis_budget["n"],  # the projects whose budgets and spend the row sums
                "url": link(axis=axis_pk) if axis_pk else None,
            }
        )

    # Declared better than computed.
    flagged = projects.filter(health__flagged=True).count()

    # Blocked projects by obstacle category (the same rule as masar.delivery.selectors.blocked_matrix).
    blocking = Obstacle.objects.blocking().filter(project__in=projects)
    blocked_counts = dict(blocking.values_list("category").annotate(n=Count("project", distinct=True)).order_by())
    blocked = [
        {"category": value, "label": label, "n": blocked_counts.get(value, 0), "url": link(blocked=value)}
        for value, label in ObstacleCategory.choices
    ]
    blocked_total = blocking.values("project").distinct().count()

    # Council decisions past due, among those this reader may see.
    overdue_filters = overdue_decision_filters(filters, public=public)
    overdue = decision_list(user, overdue_filters, today).count()
    query = overdue_filters.query()

    regions, region_map = projects_by_region(projects, link, filters.region)

    return {
        "total": total,
        "total_url": link(),
        "rating_columns": rating_columns,
        "axis_rows": axis_rows,
        "statuses": statuses,
        "budget_rows": budget_rows,
        "league": league,
        "flagged": flagged,
        "flagged_url": link(flagged="on"),
        "blocked": blocked,
        "blocked_total": blocked_total,
        "blocked_url": link(blocked="any"),
        "overdue_decisions": overdue,
        "overdue_decisions_url": reverse("decisions-decision-list") + "?" + urlencode(query),
        "regions": regions,
        "region_map": region_map,
        "scorecards": indicator_scorecards(user, filters.organization, linked=not public),
    }


def projects_by_region(
    projects: Any, link: Any = None, within: Region | None = None
) -> tuple[list[dict[str, Any]], TileMap | None]:
    """Return the projects per region of the country holding most of them, most projects first, and their tile map.

    A project in several regions counts in each; link(region=pk) gives each figure's list (None: no links).
    Projects already narrowed to the region `within`: the list of a region outside that subtree would drop
    the narrowing (the list filters one region), so such a figure has no link.
    """
    # The country shown is the one with the most of these projects (then by code): paths order by text, not pk.
    tops = list(Region.objects.filter(depth=0).order_by("code"))
    top = tops[0] if tops else None
    if len(tops) > 1:
        per_top = projects.aggregate(
            **{f"t{t.pk}": Count("pk", filter=Q(regions__path__startswith=t.path), distinct=True) for t in tops}
        )
        top = max(tops, key=lambda t: per_top[f"t{t.pk}"])
    children = list(Region.objects.filter(parent=top).order_by("path")) if top is not None else []
    counts: dict[str, int] = {}
    if children:
        counts = projects.aggregate(
            **{
                f"r{child.pk}": Count("pk", filter=Q(regions__path__startswith=child.path), distinct=True)
                for child in children
            }
        )
    urls = {
        c.pk: link(region=c.pk) if link and (within is None or c.path.startswith(within.path)) else None
        for c in children
    }
    regions = [
        {"pk": c.pk, "code": c.code, "name": c.name, "n": counts[f"r{c.pk}"], "url": urls[c.pk]} for c in children
    ]
    regions.sort(key=lambda r: (-r["n"], r["name"]))
    region_max = max([r["n"] for r in regions], default=0)
    for region in regions:
        region["bar"] = _share(region["n"], region_max)
    return regions, tile_map([(c, counts[f"r{c.pk}"], urls[c.pk]) for c in children])


def indicator_scorecards(
    user: Any, organization: Organization | None = None, *, linked: bool = False
) -> list[dict[str, Any]]:
    """Return the ministries' indicator scores against their trajectories, as this reader may see them.

    linked: the score and the number of indicators lead to the scorecard, which lists as many indicators to
    this reader (not on the public dashboard, whose figures a signed-in reader's scorecard would not match).
    """
    from masar.indicators.selectors import scorecards

    cards = scorecards(user)
    if organization is not None:
        cards = [
            c
            for c in cards
            if c.ministry.path.startswith(organization.path) or organization.path.startswith(c.ministry.path)
        ]
    return [
        {
            "rank": card.rank,
            "name": card.ministry.name,
            "score": round(100 * card.score) if card.score is not None else None,
            "n": len(card.lines),
            "url": reverse("indicators-scorecard-detail", args=[card.ministry.pk]),
            "linked": linked,
        }
        for card in cards
    ]
