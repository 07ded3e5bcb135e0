"""What each export holds: its filter form, its rows (read through the reader's visibility) and its columns.

A column is a header (a lazy label, rendered in the active language) and a function of the row that
returns a plain value: text, a number, a date or None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from masar.decisions.forms import DecisionFilterForm
from masar.decisions.models import Decision, DecisionStatus
from masar.decisions.selectors import decisions_with_status
from masar.delivery.models import Obstacle, ProjectHealth
from masar.exports.forms import MeasurementFilterForm, ObstacleFilterForm
from masar.indicators.models import Indicator, Measurement
from masar.portfolio.forms import ProjectFilterForm
from masar.portfolio.models import Project

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Field, QuerySet

    from masar.accounts.models import User


@dataclass(frozen=True)
class Column:
    header: Any
    value: Callable[[Any], Any]


def label(model: type[Model], name: str) -> str | Promise:
    """Return the verbose name of a model field (lazy: rendered in the language active when read)."""
    return cast("Field[Any, Any]", model._meta.get_field(name)).verbose_name


def _name(obj):
    return obj.name if obj is not None else None


def _display(model, name, value):
    """Return the translated label of a choice value."""
    return dict(model._meta.get_field(name).flatchoices).get(value, value) if value else None


def _health(project, name):
    """Return a translated rating of the project's health, or None before its first rating."""
    try:
        health = project.health
    except ProjectHealth.DoesNotExist:
        return None
    return _display(ProjectHealth, name, getattr(health, name))


@dataclass(frozen=True)
class ExportSpec:
    form_class: type  # a form taking user=, with .filter(queryset) like ProjectFilterForm
    rows: Callable  # user -> the queryset this user may read, in export order
    columns: list[Column]


PROJECT_COLUMNS = [
    Column(label(Project, "code"), lambda p: p.code),
    Column(label(Project, "name_ar"), lambda p: p.name_ar),
    Column(label(Project, "name_fr"), lambda p: p.name_fr),
    Column(label(Project, "name_en"), lambda p: p.name_en),
    Column(label(Project, "owner"), lambda p: _name(p.owner)),
    Column(label(Project, "strategy"), lambda p: _name(p.strategy)),
    Column(label(Project, "axis"), lambda p: _name(p.axis)),
    Column(label(Project, "status"), lambda p: p.get_status_display()),
    Column(label(ProjectHealth, "computed"), lambda p: _health(p, "computed")),
    Column(label(ProjectHealth, "declared"), lambda p: _health(p, "declared")),
    Column(label(Project, "planned_start"), lambda p: p.planned_start),
    Column(label(Project, "planned_end"), lambda p: p.planned_end),
    Column(label(Project, "planned_budget"), lambda p: p.planned_budget),
    Column(label(Project, "currency"), lambda p: p.currency),
    Column(label(Project, "classification"), lambda p: _display(Project, "classification", p.classification)),
]

OBSTACLE_COLUMNS = [
    Column(label(Project, "code"), lambda o: o.project.code),
    Column(Project._meta.verbose_name, lambda o: o.project.name),
    Column(label(Obstacle, "category"), lambda o: o.get_category_display()),
    Column(label(Obstacle, "severity"), lambda o: o.get_severity_display()),
    Column(label(Obstacle, "description"), lambda o: o.description),
    Column(label(Obstacle, "proposed_solution"), lambda o: o.proposed_solution),
    Column(label(Obstacle, "must_act"), lambda o: _name(o.must_act)),
    Column(label(Obstacle, "due_date"), lambda o: o.due_date),
    Column(label(Obstacle, "status"), lambda o: o.get_status_display()),
    Column(_("Reported on"), lambda o: o.reported_at.date() if o.reported_at else None),
]

DECISION_COLUMNS = [
    Column(label(Decision, "meeting"), lambda d: _name(d.meeting)),
    Column(label(Decision, "order"), lambda d: d.order),
    Column(label(Decision, "text_ar"), lambda d: d.text_ar),
    Column(label(Decision, "text_fr"), lambda d: d.text_fr),
    Column(label(Decision, "text_en"), lambda d: d.text_en),
    Column(label(Decision, "responsible"), lambda d: _name(d.responsible)),
    Column(label(Decision, "due_date"), lambda d: d.due_date),
    Column(_("Status"), lambda d: dict(DecisionStatus.choices).get(d.status, d.status)),
    Column(label(Decision, "classification"), lambda d: _display(Decision, "classification", d.classification)),
]

MEASUREMENT_COLUMNS = [
    Column(label(Indicator, "code"), lambda m: m.indicator.code),
    Column(Indicator._meta.verbose_name, lambda m: m.indicator.name),
    Column(label(Measurement, "period"), lambda m: m.period),
    Column(label(Measurement, "region"), lambda m: _name(m.region)),
    Column(label(Measurement, "organization"), lambda m: _name(m.organization)),
    Column(label(Measurement, "value"), lambda m: m.value),
    Column(label(Measurement, "numerator"), lambda m: m.numerator),
    Column(label(Measurement, "denominator"), lambda m: m.denominator),
    Column(label(Measurement, "status"), lambda m: m.get_status_display()),
]

SPECS = {
    "projects": ExportSpec(
        ProjectFilterForm,
        lambda user: (
            Project.objects.visible_to(user).select_related("owner", "strategy", "axis", "health").order_by("code")
        ),
        PROJECT_COLUMNS,
    ),
    "obstacles": ExportSpec(
        ObstacleFilterForm,
        lambda user: (
            Obstacle.objects.visible_to(user)
            .select_related("project", "must_act")
            .order_by("project__code", "-reported_at", "pk")
        ),
        OBSTACLE_COLUMNS,
    ),
    "decisions": ExportSpec(
        DecisionFilterForm,
        lambda user: (
            decisions_with_status(user).select_related("meeting", "responsible").order_by("meeting", "order", "pk")
        ),
        DECISION_COLUMNS,
    ),
    "indicator-values": ExportSpec(
        MeasurementFilterForm,
        lambda user: (
            Measurement.objects.visible_to(user)
            .select_related("indicator", "region", "organization")
            .order_by("indicator__code", "period", "pk")
        ),
        MEASUREMENT_COLUMNS,
    ),
}


def export_form(kind: str, data: Any, user: User | AnonymousUser) -> Any:
    """Return the bound filter form of an export kind (None for an unknown kind)."""
    spec = SPECS.get(kind)
    return spec.form_class(data, user=user) if spec else None


def export_queryset(kind: str, form: Any, user: User | AnonymousUser) -> QuerySet[Any]:
    """Return the rows of an export: what this user may read, narrowed by the form's valid filters."""
    return form.filter(SPECS[kind].rows(user))


def export_headers(kind: str) -> list[str]:
    """Return the column headers in the active language."""
    return [str(column.header) for column in SPECS[kind].columns]


def export_values(kind: str, queryset: QuerySet[Any], chunk_size: int = 2000) -> Iterator[list[Any]]:
    """Yield one list of plain values per row, reading the queryset in chunks."""
    columns = SPECS[kind].columns
    for obj in queryset.iterator(chunk_size=chunk_size):
        yield [_plain(column.value(obj)) for column in columns]


def _plain(value):
    # Choice labels are lazy translations: render them now, in the active language.
    return str(value) if isinstance(value, Promise) else value
