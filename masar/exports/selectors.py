"""What each export holds: its filter form, its selector, its row and its columns.

Each export reads the same selector as its list's page with the filter object its form parses,
then turns each record into the record's one typed row (`<app>/rows.py`). A column is a header (a
lazy label, rendered in the active language) and the name of a row field: a plain value, text, a
number, a date or None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from masar.core.policy import Reader
from masar.decisions.forms import DecisionFilterForm
from masar.decisions.models import Decision
from masar.decisions.rows import decision_row
from masar.decisions.selectors import decision_list
from masar.delivery.models import Obstacle, ProgressUpdate, ProjectHealth
from masar.delivery.rows import obstacle_row
from masar.delivery.selectors import obstacle_list
from masar.exports.forms import MeasurementFilterForm, ObstacleFilterForm
from masar.indicators.models import Frequency, Indicator, Measurement
from masar.indicators.periods import period_label
from masar.indicators.rows import measurement_row
from masar.indicators.selectors import measurement_list
from masar.portfolio.forms import ProjectFilterForm
from masar.portfolio.models import Project
from masar.portfolio.rows import project_row, with_row_data
from masar.portfolio.selectors import project_list

if TYPE_CHECKING:
    from django.db.models import Field, QuerySet


@dataclass(frozen=True)
class Column:
    header: Any
    field: str  # the name of a field of the export's row
    render: Callable[[Any], Any] | None = None  # turns the row's value into what the file shows


def month_label(day: Any) -> str | None:
    """Return a month as its label in the active language (a period is written as read, never as a date)."""
    return period_label(day, Frequency.MONTHLY) if day is not None else None


def label(model: type[Model], name: str) -> str | Promise:
    """Return the verbose name of a model field (lazy: rendered in the language active when read)."""
    return cast("Field[Any, Any]", model._meta.get_field(name)).verbose_name


@dataclass(frozen=True)
class ExportSpec:
    form_class: type  # a form taking user=, whose .to_filters() returns the selector's filter object
    records: Callable[[Any, Any], QuerySet]  # (reader, filters) -> the records, read through the list's selector
    row: Callable[[Any, Any], Any]  # (record, reader) -> the record's typed row
    columns: list[Column]


PROJECT_COLUMNS = [
    Column(label(Project, "code"), "code"),
    Column(label(Project, "name_ar"), "name_ar"),
    Column(label(Project, "name_fr"), "name_fr"),
    Column(label(Project, "name_en"), "name_en"),
    Column(label(Project, "owner"), "owner"),
    Column(label(Project, "strategy"), "strategy"),
    Column(label(Project, "axis"), "axis"),
    Column(label(Project, "status"), "status"),
    Column(label(ProjectHealth, "computed"), "rating"),
    Column(label(ProjectHealth, "declared"), "declared"),
    Column(label(Project, "planned_start"), "planned_start"),
    Column(label(Project, "planned_end"), "planned_end"),
    Column(label(Project, "planned_budget"), "planned_budget"),
    Column(label(Project, "currency"), "currency"),
    Column(label(Project, "classification"), "classification"),
    Column(label(ProgressUpdate, "percent_complete"), "percent_complete"),
    Column(label(ProgressUpdate, "spend_to_date"), "spend_to_date"),
    Column(_("last update period"), "last_update_period", month_label),
    Column(label(Project, "regions"), "regions"),
    Column(label(Project, "manager"), "manager"),
    Column(label(Project, "program"), "program"),
    Column(label(ProjectHealth, "original_slip_days"), "original_slip_days"),
    Column(label(ProjectHealth, "rebaselines"), "rebaselines"),
    Column(label(ProjectHealth, "flag_kind"), "gap_flag"),
]

OBSTACLE_COLUMNS = [
    Column(label(Project, "code"), "project_code"),
    Column(Project._meta.verbose_name, "project"),
    Column(label(Obstacle, "category"), "category"),
    Column(label(Obstacle, "severity"), "severity"),
    Column(label(Obstacle, "description"), "description"),
    Column(label(Obstacle, "proposed_solution"), "proposed_solution"),
    Column(label(Obstacle, "must_act"), "must_act"),
    Column(label(Obstacle, "due_date"), "due_date"),
    Column(label(Obstacle, "status"), "status"),
    Column(_("Reported on"), "reported_on"),
]

DECISION_COLUMNS = [
    Column(label(Decision, "meeting"), "meeting"),
    Column(label(Decision, "order"), "order"),
    Column(label(Decision, "text_ar"), "text_ar"),
    Column(label(Decision, "text_fr"), "text_fr"),
    Column(label(Decision, "text_en"), "text_en"),
    Column(label(Decision, "responsible"), "responsible"),
    Column(label(Decision, "due_date"), "due_date"),
    Column(_("Status"), "status"),
    Column(label(Decision, "classification"), "classification"),
]

MEASUREMENT_COLUMNS = [
    Column(label(Indicator, "code"), "indicator_code"),
    Column(Indicator._meta.verbose_name, "indicator"),
    Column(label(Measurement, "period"), "period_label"),
    Column(label(Measurement, "region"), "region"),
    Column(label(Measurement, "organization"), "organization"),
    Column(label(Measurement, "value"), "value"),
    Column(label(Measurement, "numerator"), "numerator"),
    Column(label(Measurement, "denominator"), "denominator"),
    Column(label(Measurement, "status"), "status"),
]

SPECS = {
    "projects": ExportSpec(
        ProjectFilterForm,
        lambda reader, filters: with_row_data(project_list(reader, filters), reader),
        project_row,
        PROJECT_COLUMNS,
    ),
    "obstacles": ExportSpec(
        ObstacleFilterForm,
        lambda reader, filters: obstacle_list(reader, filters).select_related("project", "must_act"),
        obstacle_row,
        OBSTACLE_COLUMNS,
    ),
    "decisions": ExportSpec(
        DecisionFilterForm,
        lambda reader, filters: (
            decision_list(reader, filters).select_related("meeting", "responsible").order_by("meeting", "order", "pk")
        ),
        decision_row,
        DECISION_COLUMNS,
    ),
    "indicator-values": ExportSpec(
        MeasurementFilterForm,
        lambda reader, filters: measurement_list(reader, filters).select_related("indicator", "region", "organization"),
        measurement_row,
        MEASUREMENT_COLUMNS,
    ),
}


def export_form(kind: str, data: Any, user: Any) -> Any:
    """Return the bound filter form of an export kind (None for an unknown kind)."""
    spec = SPECS.get(kind)
    return spec.form_class(data, user=user) if spec else None


def export_queryset(kind: str, form: Any, user: Any) -> QuerySet[Any]:
    """Return the records of an export: the list's selector, for this reader, with the form's valid filters."""
    return SPECS[kind].records(Reader.of(user), form.to_filters())


def export_headers(kind: str) -> list[str]:
    """Return the column headers in the active language."""
    return [str(column.header) for column in SPECS[kind].columns]


# Records read and held at a time (with their related rows): at 500, the national project export peaks at about
# 31 MB of Python memory instead of 71 MB at 2,000, for the same time (bench/memory.py).
CHUNK_SIZE = 500


def export_values(
    kind: str, queryset: QuerySet[Any], user: Any = None, chunk_size: int = CHUNK_SIZE
) -> Iterator[list[Any]]:
    """Yield one list of plain values per record (its row's fields), reading the queryset in chunks."""
    spec = SPECS[kind]
    reader = Reader.of(user)
    for record in queryset.iterator(chunk_size=chunk_size):
        row = spec.row(record, reader)
        yield [_plain(_value(row, column)) for column in spec.columns]


def _value(row: Any, column: Column) -> Any:
    value = getattr(row, column.field)
    return column.render(value) if column.render is not None else value


def _plain(value):
    # Choice labels are lazy translations: render them now, in the active language.
    return str(value) if isinstance(value, Promise) else value
