"""Reads of the national, sectoral and public dashboards: every figure aggregated in the database.

Each dashboard runs a fixed number of queries whatever the number of projects: one pass over the
projects, grouped by axis, computed rating and ministry, gives every table of projects. The page
renders the figures once per `cache_key` (reader scope, filters, language, day, data version).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import BigIntegerField, Count, DecimalField, Expression, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.urls import reverse
from django.utils import timezone

from masar.audit.models import AuditEntry
from masar.core.fragments import scoped_key
from masar.core.models import Classification
from masar.decisions.selectors import DecisionFilters, decision_list
from masar.delivery.models import CONFIDENCE_ORDER, Confidence, Obstacle, ObstacleCategory, ProgressUpdate, UpdateStatus
from masar.organizations.models import Organization, OrganizationKind, Region
from masar.organizations.tilemap import TileMap, tile_map
from masar.portfolio.models import ProjectStatus
from masar.portfolio.selectors import NOT_RATED, ON_TRACK, ON_TRACK_RATINGS, ProjectFilters, fresh_since, project_list
from masar.strategy.models import Axis

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


CACHE_SECONDS = 600
NAME_FIELDS = ("name_ar", "name_fr", "name_en")  # what a name in the active language reads (masar.core.models.Named)


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
        self.address = reverse("portfolio-project-list")
        if public:
            # Public records are the same for every reader, so the list shows the same rows to anyone.
            self.base["classification"] = Classification.PUBLIC

    def __call__(self, **params):
        if not self.enabled or any(v is None for v in params.values()):
            return None
        query = {**self.base, **{k: v for k, v in params.items() if v != ""}}
        return self.address + ("?" + urlencode(query) if query else "")


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


def cache_key(user: Any, name: str) -> str:
    """Return the cache key of what this reader sees under name, in the active language, today.

    Readers who see the same records share it (policy.cache_scope), never readers who do not; any change
    to any record (a new audit entry) or a new day (freshness, dates past due) gives a new key.
    """
    return scoped_key(user, "dashboards", name)


def league_heads() -> list[Organization]:
    """Return the organizations the league of ministries folds owners into, as `ministry_of` does.

    Every ministry under no other ministry, then the root of each tree (for an owner under no ministry).
    """
    candidates = Organization.objects.filter(Q(kind=OrganizationKind.MINISTRY) | Q(parent=None))
    candidates = candidates.only("pk", "path", "kind", "parent", *NAME_FIELDS).order_by("depth", "path")
    ministries = [o for o in candidates if o.kind == OrganizationKind.MINISTRY]
    topmost = [m for m in ministries if not any(m.path.startswith(o.path) and o.pk != m.pk for o in ministries)]
    return topmost + [o for o in candidates if o.parent_id is None and o not in topmost]


class FirstSubtree(Expression):
    """The id of the first of nodes whose subtree holds a materialized path, as SQL (NULL if none does).

    CASE WHEN path LIKE 'node path%' THEN node id ... END, with the path's column compiled once: a When per
    node costs the ORM a filter each, and compiling thirty of them took longer than the database took to
    group 20,000 projects by them.
    """

    output_field = BigIntegerField()

    def __init__(self, path: Any, nodes: list[Any]) -> None:
        super().__init__()
        self.path = path
        self.nodes = [(node.path, node.pk) for node in nodes]

    def get_source_expressions(self) -> list[Any]:
        return [self.path]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.path,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        if not self.nodes:
            return "NULL", ()
        path_sql, path_params = compiler.compile(self.path)
        starts_with = connection.operators["startswith"] % "%s"  # with the backend's escape clause
        sql = "CASE " + " ".join(f"WHEN {path_sql} {starts_with} THEN %s" for _ in self.nodes) + " END"
        params: list[Any] = []
        for path, pk in self.nodes:
            params += [*path_params, connection.ops.prep_for_like_query(path) + "%", pk]
        return sql, tuple(params)


def ministry_expression(heads: list[Organization]) -> FirstSubtree:
    """Return the id of a project's ministry as SQL: the first head whose subtree holds the owner.

    The heads' subtrees are disjoint but for the roots, which come last (see league_heads).
    """
    return FirstSubtree(F("owner__path"), heads)


def project_groups(projects: QuerySet[Any], heads: list[Organization], today: Any) -> list[dict[str, Any]]:
    """Return the projects counted and summed by axis, computed rating and ministry, in one pass.

    Every table of projects on the dashboard (ratings by axis, statuses, budgets, the league) adds these
    groups up: a few hundred rows whatever the number of projects.
    """
    fresh = Q(health__last_approved_period__gte=fresh_since(today))
    by_status = {f"status_{value}": Count("pk", filter=Q(status=value)) for value in ProjectStatus.values}
    return list(
        projects.annotate(spend=latest_spend())
        .values("axis", "health__computed", ministry=ministry_expression(heads))
        .annotate(
            n=Count("pk"),
            fresh=Count("pk", filter=fresh),
            flagged=Count("pk", filter=Q(health__flagged=True)),
            budget=Sum("planned_budget"),
            spent=Sum("spend"),
            **by_status,
        )
        .order_by()
    )


def _axis_order(item: tuple[Any, Any]) -> tuple[bool, int]:
    return (item[0] is None, item[0] or 0)


def rating_tables(groups: list[dict[str, Any]], link: Linker) -> dict[str, Any]:
    """Return the projects by axis and computed rating, their totals, and the planned budget and spend by axis."""
    ratings = [*CONFIDENCE_ORDER, NOT_RATED]
    by_axis: dict[Any, dict[str, int]] = {}
    money: dict[Any, list[Any]] = {}
    for group in groups:
        counts = by_axis.setdefault(group["axis"], {})
        rating = group["health__computed"] or NOT_RATED
        counts[rating] = counts.get(rating, 0) + group["n"]
        sums = money.setdefault(group["axis"], [0, 0, 0])
        sums[0] += group["budget"] or 0
        sums[1] += group["spent"] or 0
        sums[2] += group["n"]
    axes = {a.pk: a.name for a in Axis.objects.filter(pk__in=[pk for pk in by_axis if pk]).only("pk", *NAME_FIELDS)}
    axis_rows = [
        {
            "name": axes.get(axis_pk),
            "total": sum(counts.values()),
            "total_url": link(axis=axis_pk),
            "cells": [{"rating": r, "n": counts.get(r, 0), "url": link(axis=axis_pk, rating=r)} for r in ratings],
        }
        for axis_pk, counts in sorted(by_axis.items(), key=_axis_order)
    ]
    budget_rows = [
        {
            "name": axes.get(axis_pk),
            "budget": budget,
            "spent": spent,
            "share": _share(spent, budget),
            "n": n,  # the projects whose budgets and spend the row sums
            "url": link(axis=axis_pk),
        }
        for axis_pk, (budget, spent, n) in sorted(money.items(), key=_axis_order)
    ]
    labels = dict(Confidence.choices)
    totals = {r: sum(counts.get(r, 0) for counts in by_axis.values()) for r in ratings}
    columns = [{"rating": r, "label": labels.get(r), "n": totals[r], "url": link(rating=r)} for r in ratings]
    total = sum(totals.values())
    return {"total": total, "rating_columns": columns, "axis_rows": axis_rows, "budget_rows": budget_rows}


def league(groups: list[dict[str, Any]], heads: list[Organization], link: Linker) -> list[dict[str, Any]]:
    """Return the ministries: share on track, share with a fresh approved update, budget and spend."""
    names = {head.pk: head.name for head in heads}
    # A sectoral dashboard's links keep to its sector, so a ministry's own list is not one of them.
    own = "organization" not in link.base
    ministries: dict[Any, dict[str, Any]] = {}
    for group in groups:
        pk = group["ministry"]
        entry = ministries.setdefault(
            pk, {"pk": pk, "name": names[pk], "n": 0, "on_track": 0, "fresh": 0, "budget": 0, "spent": 0}
        )
        entry["n"] += group["n"]
        entry["fresh"] += group["fresh"]
        entry["budget"] += group["budget"] or 0
        entry["spent"] += group["spent"] or 0
        if group["health__computed"] in ON_TRACK_RATINGS:
            entry["on_track"] += group["n"]
    for entry in ministries.values():
        entry["on_track_share"] = _share(entry["on_track"], entry["n"])
        entry["fresh_share"] = _share(entry["fresh"], entry["n"])
        entry["spent_share"] = _share(entry["spent"], entry["budget"])
        entry["url"] = link(organization=entry["pk"]) if own else None
        entry["on_track_url"] = link(organization=entry["pk"], rating=ON_TRACK) if own else None
        entry["fresh_url"] = link(organization=entry["pk"], fresh="on") if own else None
    return sorted(ministries.values(), key=lambda e: (-e["on_track_share"], -e["n"], e["name"]))


def blocked_projects(projects: QuerySet[Any], link: Linker) -> dict[str, Any]:
    """Return the blocked projects by obstacle category (the rule of masar.delivery.selectors.blocked_matrix)."""
    blocking = Obstacle.objects.blocking().filter(project__in=projects)
    counts = dict(blocking.values_list("category").annotate(n=Count("project", distinct=True)).order_by())
    return {
        "blocked": [
            {"category": value, "label": label, "n": counts.get(value, 0), "url": link(blocked=value)}
            for value, label in ObstacleCategory.choices
        ],
        "blocked_total": blocking.values("project").distinct().count(),
        "blocked_url": link(blocked="any"),
    }


def compute(user: Any, filters: ProjectFilters, *, public: bool = False) -> dict[str, Any]:
    """Return the dashboard figures as plain values (names in the active language, links, counts)."""
    projects = project_list(user, filters).order_by()
    link = Linker(filters, public=public)
    today = timezone.localdate()
    heads = league_heads()
    groups = project_groups(projects, heads, today)
    statuses = [
        {
            "status": value,
            "label": label,
            "n": sum(group[f"status_{value}"] for group in groups),
            "url": link(status=value),
        }
        for value, label in ProjectStatus.choices
    ]
    # Council decisions past due, among those this reader may see.
    overdue_filters = overdue_decision_filters(filters, public=public)
    regions, region_map = projects_by_region(projects, link, filters.region)
    return {
        **rating_tables(groups, link),
        "total_url": link(),
        "statuses": statuses,
        "league": league(groups, heads, link),
        "flagged": sum(group["flagged"] for group in groups),
        "flagged_url": link(flagged="on"),
        **blocked_projects(projects, link),
        "overdue_decisions": decision_list(user, overdue_filters, today).count(),
        "overdue_decisions_url": reverse("decisions-decision-list") + "?" + urlencode(overdue_filters.query()),
        "regions": regions,
        "region_map": region_map,
        "scorecards": indicator_scorecards(user, filters.organization, linked=not public),
    }


def _count_by_subtree(projects: Any, regions: list[Region]) -> dict[Any, int]:
    """Return the number of projects in each region's subtree (regions' subtrees disjoint), by region id."""
    if not regions:
        return {}
    rows = projects.values(region=FirstSubtree(F("regions__path"), regions)).annotate(n=Count("pk", distinct=True))
    return {row["region"]: row["n"] for row in rows.order_by()}


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
        per_top = _count_by_subtree(projects, tops)
        top = max(tops, key=lambda t: per_top.get(t.pk, 0))
    children = list(Region.objects.filter(parent=top).order_by("path")) if top is not None else []
    per_child = _count_by_subtree(projects, children)
    counts = {f"r{child.pk}": per_child.get(child.pk, 0) for child in children}
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
