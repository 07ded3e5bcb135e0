"""What a webhook message says about a record: built at delivery time, through the subscriber's visibility.

One representation per kind of record: its id, kind, API address and version, and a small summary
(code, names or text in Arabic, French and English, status) so that a receiver knows whether it must
fetch the record from the API.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Model

from masar.core.policy import Reader
from masar.core.records import RecordType

API_ROOT = "/api/v1"

# The kinds of records events are about, as the API's paths and clients' scopes name them.
PROJECTS = RecordType.PROJECTS
PROGRESS_UPDATES = RecordType.PROGRESS_UPDATES
OBSTACLES = RecordType.OBSTACLES
DECISIONS = RecordType.DECISIONS
ACTION_UPDATES = RecordType.ACTION_UPDATES
MEASUREMENTS = RecordType.MEASUREMENTS

_BY_MODEL = {
    "portfolio.project": PROJECTS,
    "delivery.progressupdate": PROGRESS_UPDATES,
    "delivery.obstacle": OBSTACLES,
    "decisions.decision": DECISIONS,
    "decisions.actionupdate": ACTION_UPDATES,
    "indicators.measurement": MEASUREMENTS,
}


def api_path(record_type: str, record: Any) -> str:
    """Return the API address where the record is read (an action-taken report: on its decision)."""
    if record_type == ACTION_UPDATES:
        return f"{API_ROOT}/decisions/{record.decision_id}/"
    return f"{API_ROOT}/{record_type.replace('_', '-')}/{record.pk}/"


def record_type_of(record: Model) -> str:
    """Return the kind of record an event is about ("projects", "measurements", ...)."""
    return _BY_MODEL[record._meta.label_lower]


def _texts(record: Any, field: str) -> dict[str, str]:
    return {language: getattr(record, f"{field}_{language}", "") or "" for language in ("ar", "fr", "en")}


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _project(reader: Reader, pk: int) -> tuple[Any, dict[str, Any]] | None:
    from masar.portfolio.models import Project

    project = Project.objects.visible_to(reader).filter(pk=pk).first()
    if project is None:
        return None
    return project, {"code": project.code, "name": _texts(project, "name"), "status": project.status}


def _progress_update(reader: Reader, pk: int) -> tuple[Any, dict[str, Any]] | None:
    from masar.delivery.models import ProgressUpdate

    update = ProgressUpdate.objects.visible_to(reader).select_related("project").filter(pk=pk).first()
    if update is None:
        return None
    return update, {
        "project": {"id": update.project_id, "code": update.project.code},
        "period": update.period.strftime("%Y-%m"),
        "percent_complete": _number(update.percent_complete),
        "status": update.status,
    }


def _obstacle(reader: Reader, pk: int) -> tuple[Any, dict[str, Any]] | None:
    from masar.delivery.models import Obstacle

    obstacle = Obstacle.objects.visible_to(reader).select_related("project").filter(pk=pk).first()
    if obstacle is None:
        return None
    return obstacle, {
        "project": {"id": obstacle.project_id, "code": obstacle.project.code},
        "text": {"ar": obstacle.description, "fr": "", "en": ""},
        "severity": obstacle.severity,
        "status": obstacle.status,
        "due_date": _date(obstacle.due_date),
    }


def _decision(reader: Reader, pk: int) -> tuple[Any, dict[str, Any]] | None:
    from masar.decisions.selectors import decisions_with_status

    decision = decisions_with_status(reader).filter(pk=pk).first()
    if decision is None:
        return None
    return decision, {
        "meeting": {"id": decision.meeting_id},
        "text": _texts(decision, "text"),
        "due_date": _date(decision.due_date),
        "status": decision.status,
    }


def _action_update(reader: Reader, pk: int) -> tuple[Any, dict[str, Any]] | None:
    from masar.decisions.models import ActionUpdate

    update = ActionUpdate.objects.visible_to(reader).filter(pk=pk).first()
    if update is None:
        return None
    return update, {
        "decision": {"id": update.decision_id},
        "text": {"ar": update.text, "fr": "", "en": ""},
        "reported_on": _date(update.reported_on),
    }


def _measurement(reader: Reader, pk: int) -> tuple[Any, dict[str, Any]] | None:
    from masar.indicators.models import Measurement

    measurement = Measurement.objects.visible_to(reader).select_related("indicator").filter(pk=pk).first()
    if measurement is None:
        return None
    return measurement, {
        "indicator": {"id": measurement.indicator_id, "code": measurement.indicator.code},
        "period": _date(measurement.period),
        "value": _number(measurement.value),
        "status": measurement.status,
    }


SUMMARIES: dict[str, Callable[[Reader, int], tuple[Any, dict[str, Any]] | None]] = {
    PROJECTS: _project,
    PROGRESS_UPDATES: _progress_update,
    OBSTACLES: _obstacle,
    DECISIONS: _decision,
    ACTION_UPDATES: _action_update,
    MEASUREMENTS: _measurement,
}


def record_data(reader: Reader, record_type: str, record_id: int) -> dict[str, Any] | None:
    """Return the `data` of a message about a record as this reader reads it, or None if they may not read it."""
    summary = SUMMARIES.get(record_type)
    found = summary(reader, record_id) if summary is not None else None
    if found is None:
        return None
    record, fields = found
    return {
        "id": record.pk,
        "record_type": record_type,
        "url": api_path(record_type, record),
        "version": getattr(record, "version", None),
        **fields,
    }


def message(*, event_type: str, occurred_at: datetime.datetime, data: dict[str, Any]) -> dict[str, Any]:
    """Return a whole message, in the Standard Webhooks shape: type, timestamp, data."""
    return {
        "type": event_type,
        "timestamp": occurred_at.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "data": data,
    }
