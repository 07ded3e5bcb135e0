"""The one documented column set of each kind of import.

Every row names its sending system (`source_system`) and that system's own id of the record
(`external_id`): sending the same file again updates the same records. References are codes
(project, indicator, organization, strategy, region), the axis by its number in the strategy,
periods as YYYY-MM, dates as YYYY-MM-DD, numbers as the importer's language writes them
(Eastern Arabic digits too). A column not listed here is refused, not ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

from masar.imports.models import ImportKind


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"  # text, number, date, month, bool, choice, integer
    required: bool = False
    max_length: int = 0
    choices: tuple[str, ...] = ()


def _choices(enum):
    return tuple(str(value) for value in enum.values)


def _identity():
    return [
        Column("source_system", required=True, max_length=100),
        Column("external_id", required=True, max_length=200),
    ]


def _projects():
    from masar.core.models import Classification
    from masar.portfolio.models import FundingKind, ProjectStatus

    return [
        *_identity(),
        Column("code", required=True, max_length=40),
        Column("name_ar", required=True, max_length=400),
        Column("name_fr", max_length=400),
        Column("name_en", max_length=400),
        Column("description_ar"),
        Column("description_fr"),
        Column("description_en"),
        Column("owner", required=True, max_length=40),
        Column("strategy", required=True, max_length=40),
        Column("axis", "integer"),
        Column("program", max_length=40),
        Column("planned_start", "date", required=True),
        Column("planned_end", "date", required=True),
        Column("planned_budget", "number"),
        Column("currency", max_length=3),
        Column("funding_kind", "choice", choices=_choices(FundingKind)),
        Column("status", "choice", choices=_choices(ProjectStatus)),
        Column("classification", "choice", choices=_choices(Classification)),
        Column("milestone_id", max_length=200),
        Column("milestone_order", "integer"),
        Column("milestone_name_ar", max_length=400),
        Column("milestone_name_fr", max_length=400),
        Column("milestone_name_en", max_length=400),
        Column("milestone_planned_date", "date"),
        Column("milestone_actual_date", "date"),
    ]


def _progress_updates():
    from masar.delivery.models import Confidence

    return [
        *_identity(),
        Column("project", required=True, max_length=40),
        Column("period", "month", required=True),
        Column("percent_complete", "number", required=True),
        Column("spend_to_date", "number", required=True),
        Column("declared_confidence", "choice", required=True, choices=_choices(Confidence)),
        Column("narrative"),
        Column("figures_confirmed", "bool"),
        Column("submit", "bool"),
    ]


def _obstacles():
    from masar.core.models import Classification
    from masar.delivery.models import ObstacleCategory, ObstacleStatus, Severity

    return [
        *_identity(),
        Column("project", required=True, max_length=40),
        Column("category", "choice", required=True, choices=_choices(ObstacleCategory)),
        Column("severity", "choice", required=True, choices=_choices(Severity)),
        Column("description", required=True),
        Column("proposed_solution"),
        Column("must_act", required=True, max_length=40),
        Column("due_date", "date"),
        Column("status", "choice", choices=_choices(ObstacleStatus)),
        Column("classification", "choice", choices=_choices(Classification)),
    ]


def _measurements():
    return [
        *_identity(),
        Column("indicator", required=True, max_length=40),
        Column("period", "month", required=True),
        Column("region", max_length=40),
        Column("organization", max_length=40),
        Column("value", "number"),
        Column("numerator", "number"),
        Column("denominator", "number"),
        Column("weight", "number"),
        Column("comment"),
    ]


_BUILDERS = {
    ImportKind.PROJECTS: _projects,
    ImportKind.PROGRESS_UPDATES: _progress_updates,
    ImportKind.OBSTACLES: _obstacles,
    ImportKind.MEASUREMENTS: _measurements,
}


def columns_of(kind: str) -> list[Column]:
    """Return the columns of one kind of import, in the order of its template."""
    return _BUILDERS[ImportKind(kind)]()


def column_names(kind: str) -> list[str]:
    return [column.name for column in columns_of(kind)]
