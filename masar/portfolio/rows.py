"""One representation of a project, typed and in the reader's language: exports, packs and the API read it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DateField, DecimalField, OuterRef, Prefetch, QuerySet, Subquery

from masar.core.policy import Reader, may_see_staff
from masar.delivery.models import ProgressUpdate, ProjectHealth, UpdateStatus
from masar.organizations.models import Region
from masar.portfolio.models import Project

REGION_SEPARATOR = " · "


@dataclass(frozen=True)
class ProjectRow:
    code: str
    name: str  # in the reader's language, falling back to Arabic
    name_ar: str
    name_fr: str
    name_en: str
    owner: str
    strategy: str
    axis: str | None
    program: str | None
    status: str
    rating: str | None  # the computed rating's label, None before the first rating
    rating_key: str  # the computed rating's value ("" before the first rating)
    declared: str | None
    planned_start: datetime.date
    planned_end: datetime.date
    planned_budget: Decimal | None
    currency: str
    classification: str
    percent_complete: Decimal | None  # from the latest submitted or approved update
    spend_to_date: Decimal | None
    last_update_period: datetime.date | None
    regions: str
    manager: str | None  # full name, for readers who may see staff
    original_slip_days: int | None = None  # days late against the original plan (baseline 1), None without one
    rebaselines: int = 0  # approved re-baselines after the original plan
    gap_flag: str | None = None  # the kind of gap flagged between declared and computed, in the reader's language
    gap_flag_key: str = ""  # its FlagKind value ("" when none)


def _latest_update(field: str, output_field: Any, reader: Any) -> Subquery:
    # An update is internal material with a classification of its own: the row shows the latest one its
    # reader may read (a public project's confidential update stays out of another ministry's export).
    updates = (
        ProgressUpdate.objects.visible_to(reader)
        .filter(project=OuterRef("pk"), status__in=[UpdateStatus.SUBMITTED, UpdateStatus.APPROVED])
        .order_by("-period")
    )
    return Subquery(updates.values(field)[:1], output_field=output_field)


def with_row_data(projects: QuerySet[Project], reader: Any) -> QuerySet[Project]:
    """Return projects with what their rows read for this reader, in a fixed number of queries whatever their number."""
    return (
        projects.select_related("owner", "strategy", "axis", "program", "manager", "health")
        .prefetch_related(Prefetch("regions", queryset=Region.objects.order_by("path")))
        .annotate(
            row_percent=_latest_update("percent_complete", DecimalField(max_digits=5, decimal_places=2), reader),
            row_spend=_latest_update("spend_to_date", DecimalField(max_digits=16, decimal_places=2), reader),
            row_period=_latest_update("period", DateField(), reader),
        )
    )


def _name(obj: Any) -> str | None:
    return obj.name if obj is not None else None


def _health(project: Project) -> ProjectHealth | None:
    try:
        return project.health
    except ProjectHealth.DoesNotExist:
        return None


def project_row(project: Project, reader: Any) -> ProjectRow:
    """Return the row of a project (read through `with_row_data`) as this reader reads it, in the active language."""
    health = _health(project)
    manager = project.manager if may_see_staff(Reader.of(reader)) else None
    return ProjectRow(
        code=project.code,
        name=project.name,
        name_ar=project.name_ar,
        name_fr=project.name_fr,
        name_en=project.name_en,
        owner=project.owner.name,
        strategy=project.strategy.name,
        axis=_name(project.axis),
        program=_name(project.program),
        status=str(project.get_status_display()),
        rating=str(health.get_computed_display()) if health else None,
        rating_key=health.computed if health else "",
        declared=str(health.get_declared_display()) if health and health.declared else None,
        planned_start=project.planned_start,
        planned_end=project.planned_end,
        planned_budget=project.planned_budget,
        currency=project.currency,
        classification=str(project.get_classification_display()),
        percent_complete=getattr(project, "row_percent", None),
        spend_to_date=getattr(project, "row_spend", None),
        last_update_period=getattr(project, "row_period", None),
        regions=REGION_SEPARATOR.join(region.name for region in project.regions.all()),
        manager=(manager.get_full_name() or manager.get_username()) if manager is not None else None,
        original_slip_days=health.original_slip_days if health else None,
        rebaselines=health.rebaselines if health else 0,
        gap_flag=str(health.get_flag_kind_display()) if health and health.flag_kind else None,
        gap_flag_key=health.flag_kind if health else "",
    )
