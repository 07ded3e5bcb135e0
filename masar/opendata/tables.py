"""The public views a published dataset can be: their records, columns and data dictionary.

Each view reads its records through the same selector as the pages, with the public reader
(`Reader.public()`), so a published file holds exactly the rows an anonymous visitor may read on
Masar, checked again at every generation. Its columns are a fixed list chosen for publication: no
classification, no internal notes or reasons, no staff names or e-mails, whatever the row type holds.
Values are written as keys where a key exists (a status's value), with names in ar/fr/en beside them.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, DateField, DecimalField, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from masar.core.policy import Reader
from masar.decisions.selectors import DecisionFilters, decision_list
from masar.delivery.models import ProgressUpdate
from masar.indicators.selectors import MeasurementFilters, measurement_list
from masar.opendata.models import Publication, PublicView
from masar.portfolio.rows import with_row_data
from masar.portfolio.selectors import ProjectFilters, project_list


class ColumnType:
    """The types of the data dictionary (those of Frictionless Table Schema)."""

    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    DATE = "date"


@dataclass(frozen=True)
class DictionaryColumn:
    """One column of a published dataset: its name in files, type, meaning and unit, and where its value comes from."""

    name: str
    type: str
    meaning: Promise
    value: Callable[[Any], Any]
    unit: Promise | str = ""


@dataclass(frozen=True)
class Table:
    """A public view: what its records are (read as the public reads them) and its columns."""

    view: str
    records: Callable[[Publication], QuerySet[Any]]
    columns: tuple[DictionaryColumn, ...]
    chart: tuple[str, str] | None = None  # (category column, number column) where the data suits a chart
    # Other records whose change changes the rows (a project's public updates): (publication) -> their figures.
    depends: Callable[[Publication], Any] | None = None

    def rows(self, publication: Publication) -> Iterator[list[Any]]:
        """Yield each public record of the publication as its list of column values."""
        for record in self.records(publication).iterator(chunk_size=2000):
            yield [column.value(record) for column in self.columns]

    def fingerprint(self, publication: Publication, today: datetime.date | None = None) -> str:
        """Return what changes when the published rows may have changed: their count and latest change."""
        records = self.records(publication).order_by()
        figures = records.aggregate(count=Count("pk"), latest=Max("updated_at"), last=Max("pk"))
        parts = [self.view, str(figures["count"]), str(figures["latest"]), str(figures["last"])]
        if self.depends is not None:
            parts.append(str(self.depends(publication)))
        if self.view == PublicView.DECISIONS:
            parts.append(str(today or timezone.localdate()))  # a decision falls overdue with the days
        return hashlib.sha256("|".join(parts).encode()).hexdigest()


PUBLIC = Reader.public()


def _public_update(field: str, output_field: Any) -> Subquery:
    """Return a field of the project's latest update the public may read (approved, itself public)."""
    updates = ProgressUpdate.objects.visible_to(PUBLIC).filter(project=OuterRef("pk")).order_by("-period")
    return Subquery(updates.values(field)[:1], output_field=output_field)


def _project_records(publication: Publication) -> QuerySet[Any]:
    filters = ProjectFilters(strategy=publication.strategy, organization=publication.dataset.owner)
    # The progress figures come from the public updates only: an update is internal material with a
    # classification of its own, so a public project's restricted update stays out of its row.
    return with_row_data(project_list(PUBLIC, filters), PUBLIC).annotate(
        public_percent=_public_update("percent_complete", DecimalField(max_digits=5, decimal_places=2)),
        public_spend=_public_update("spend_to_date", DecimalField(max_digits=16, decimal_places=2)),
        public_period=_public_update("period", DateField()),
    )


def _project_updates(publication: Publication) -> Any:
    projects = _project_records(publication).order_by().values("pk")
    updates = ProgressUpdate.objects.visible_to(PUBLIC).filter(project__in=projects).order_by()
    return updates.aggregate(count=Count("pk"), latest=Max("updated_at"))


def _measurement_records(publication: Publication) -> QuerySet[Any]:
    if publication.indicator_id is None:
        return measurement_list(PUBLIC, MeasurementFilters()).none()
    filters = MeasurementFilters(indicator=publication.indicator)
    return measurement_list(PUBLIC, filters).select_related("indicator", "region", "organization")


def _decision_records(publication: Publication) -> QuerySet[Any]:
    filters = DecisionFilters(organization=publication.dataset.owner)
    return decision_list(PUBLIC, filters).select_related("meeting", "responsible")


def _health(project: Any) -> Any:
    try:
        return project.health
    except ObjectDoesNotExist:  # not rated yet
        return None


def _region_codes(project: Any) -> str:
    return " ".join(region.code for region in project.regions.all())


PROJECTS = Table(
    view=PublicView.PROJECTS,
    records=_project_records,
    columns=(
        DictionaryColumn("code", ColumnType.STRING, _("The project's code"), lambda p: p.code),
        DictionaryColumn("name_ar", ColumnType.STRING, _("The project's name in Arabic"), lambda p: p.name_ar),
        DictionaryColumn("name_fr", ColumnType.STRING, _("The project's name in French"), lambda p: p.name_fr or None),
        DictionaryColumn("name_en", ColumnType.STRING, _("The project's name in English"), lambda p: p.name_en or None),
        DictionaryColumn(
            "owner_code", ColumnType.STRING, _("Code of the organization that owns it"), lambda p: p.owner.code
        ),
        DictionaryColumn(
            "owner_ar", ColumnType.STRING, _("Organization that owns it, in Arabic"), lambda p: p.owner.name_ar
        ),
        DictionaryColumn(
            "owner_fr", ColumnType.STRING, _("Organization that owns it, in French"), lambda p: p.owner.name_fr or None
        ),
        DictionaryColumn(
            "strategy_ar",
            ColumnType.STRING,
            _("Strategy or program it belongs to, in Arabic"),
            lambda p: p.strategy.name_ar,
        ),
        DictionaryColumn(
            "axis_ar",
            ColumnType.STRING,
            _("Axis of the strategy, in Arabic"),
            lambda p: p.axis.name_ar if p.axis else None,
        ),
        DictionaryColumn(
            "status",
            ColumnType.STRING,
            _("Status: planned, in_progress, suspended, completed or cancelled"),
            lambda p: p.status,
        ),
        DictionaryColumn(
            "rating",
            ColumnType.STRING,
            _("Rating computed by Masar from the project's data: green, amber_green, amber, amber_red or red"),
            lambda p: _health(p).computed if _health(p) else None,
        ),
        DictionaryColumn("planned_start", ColumnType.DATE, _("Planned start"), lambda p: p.planned_start),
        DictionaryColumn("planned_end", ColumnType.DATE, _("Planned end"), lambda p: p.planned_end),
        DictionaryColumn(
            "planned_budget",
            ColumnType.NUMBER,
            _("Planned budget"),
            lambda p: p.planned_budget,
            _("currency of the row"),
        ),
        DictionaryColumn(
            "currency", ColumnType.STRING, _("Currency of the budget and spend (ISO 4217)"), lambda p: p.currency
        ),
        DictionaryColumn(
            "percent_complete",
            ColumnType.NUMBER,
            _("Physical progress in the latest public approved monthly update"),
            lambda p: p.public_percent,
            _("percent"),
        ),
        DictionaryColumn(
            "spend_to_date",
            ColumnType.NUMBER,
            _("Spend to date in the latest public approved monthly update"),
            lambda p: p.public_spend,
            _("currency of the row"),
        ),
        DictionaryColumn(
            "last_update_period",
            ColumnType.DATE,
            _("Month of the latest public approved monthly update (its first day)"),
            lambda p: p.public_period,
        ),
        DictionaryColumn(
            "regions", ColumnType.STRING, _("Codes of the regions it covers, separated by spaces"), _region_codes
        ),
    ),
    chart=("status", ""),
    depends=_project_updates,
)

INDICATOR_VALUES = Table(
    view=PublicView.INDICATOR_VALUES,
    records=_measurement_records,
    columns=(
        DictionaryColumn("indicator_code", ColumnType.STRING, _("The indicator's code"), lambda m: m.indicator.code),
        DictionaryColumn("period", ColumnType.DATE, _("First day of the period measured"), lambda m: m.period),
        DictionaryColumn(
            "region_code",
            ColumnType.STRING,
            _("Code of the region measured (empty: national)"),
            lambda m: m.region.code if m.region else None,
        ),
        DictionaryColumn(
            "region_ar",
            ColumnType.STRING,
            _("Region measured, in Arabic"),
            lambda m: m.region.name_ar if m.region else None,
        ),
        DictionaryColumn(
            "organization_code",
            ColumnType.STRING,
            _("Code of the organization measured (empty: all)"),
            lambda m: m.organization.code if m.organization else None,
        ),
        DictionaryColumn(
            "value", ColumnType.NUMBER, _("The value measured"), lambda m: m.value, _("the indicator's unit")
        ),
        DictionaryColumn("numerator", ColumnType.NUMBER, _("Numerator of a ratio"), lambda m: m.numerator),
        DictionaryColumn("denominator", ColumnType.NUMBER, _("Denominator of a ratio"), lambda m: m.denominator),
    ),
    chart=("period", "value"),
)

DECISIONS = Table(
    view=PublicView.DECISIONS,
    records=_decision_records,
    columns=(
        DictionaryColumn(
            "meeting_ar", ColumnType.STRING, _("Meeting that took the decision, in Arabic"), lambda d: d.meeting.name_ar
        ),
        DictionaryColumn("meeting_date", ColumnType.DATE, _("Date of the meeting"), lambda d: d.meeting.date),
        DictionaryColumn("order", ColumnType.INTEGER, _("Number of the decision in the meeting"), lambda d: d.order),
        DictionaryColumn("text_ar", ColumnType.STRING, _("The decision in Arabic"), lambda d: d.text_ar),
        DictionaryColumn("text_fr", ColumnType.STRING, _("The decision in French"), lambda d: d.text_fr or None),
        DictionaryColumn("text_en", ColumnType.STRING, _("The decision in English"), lambda d: d.text_en or None),
        DictionaryColumn(
            "responsible_code",
            ColumnType.STRING,
            _("Code of the organization responsible for it"),
            lambda d: d.responsible.code if d.responsible else None,
        ),
        DictionaryColumn(
            "responsible_ar",
            ColumnType.STRING,
            _("Organization responsible for it, in Arabic"),
            lambda d: d.responsible.name_ar if d.responsible else None,
        ),
        DictionaryColumn("due_date", ColumnType.DATE, _("Date it is due"), lambda d: d.due_date),
        DictionaryColumn(
            "status",
            ColumnType.STRING,
            _("Follow-up status: not_started, in_progress, overdue, awaiting_validation or done"),
            lambda d: d.status,
        ),
    ),
    chart=("status", ""),
)

TABLES: dict[str, Table] = {table.view: table for table in (PROJECTS, INDICATOR_VALUES, DECISIONS)}


def table_of(publication: Publication) -> Table:
    return TABLES[publication.view]
