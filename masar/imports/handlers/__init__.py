"""One row handler per kind of import: resolve a file's references at once, then write row by row through the services.

A handler has `prepare(rows) -> problems` (codes, permissions and duplicates, in a few queries for
the whole file) and `write(number, values) -> outcome` ("created", "updated" or "unchanged"),
which calls the same services as the pages and raises their domain errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType

from masar.imports.models import ExternalReference

if TYPE_CHECKING:
    from django.db.models import Model

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class References:
    """The ids one sending system knows records of one model by."""

    def __init__(self, model: type[Model]):
        self.model = model
        self.content_type = ContentType.objects.get_for_model(model)
        self.known: dict[tuple[str, str], int] = {}

    def load(self, keys: set[tuple[str, str]]) -> None:
        by_source: dict[str, list[str]] = {}
        for source_system, external_id in keys:
            by_source.setdefault(source_system, []).append(external_id)
        for source_system, ids in by_source.items():
            for start in range(0, len(ids), 900):
                rows = ExternalReference.objects.filter(
                    content_type=self.content_type,
                    source_system=source_system,
                    external_id__in=ids[start : start + 900],
                ).values_list("external_id", "object_id")
                self.known.update({(source_system, ext): pk for ext, pk in rows})

    def find(self, key: tuple[str, str]) -> Any:
        pk = self.known.get(key)
        return None if pk is None else self.model._default_manager.filter(pk=pk).first()

    def link(self, key: tuple[str, str], instance: Model) -> None:
        if self.known.get(key) == instance.pk:
            return
        if key in self.known:  # the record it named is gone or was replaced: point the id at this one
            ExternalReference.objects.filter(
                source_system=key[0], external_id=key[1], content_type=self.content_type
            ).update(object_id=instance.pk)
        else:
            ExternalReference.objects.create(
                source_system=key[0], external_id=key[1], content_type=self.content_type, object_id=instance.pk
            )
        self.known[key] = instance.pk


def key_of(values: dict[str, Any]) -> tuple[str, str]:
    return (values["source_system"], values["external_id"])


def changes(instance: Model, data: dict[str, Any]) -> dict[str, Any]:
    """Return the part of data that differs from what the instance holds (foreign keys compared by id)."""
    changed = {}
    for name, value in data.items():
        current = getattr(instance, name)
        if hasattr(value, "pk") and hasattr(current, "pk"):
            if value.pk != current.pk:
                changed[name] = value
        elif current != value:
            changed[name] = value
    return changed


def by_code(model: type[Model], codes: set[str], field: str = "code") -> dict[str, Any]:
    """Return {code: record} for the codes that exist (one query per 900 codes)."""
    codes_list = sorted(code for code in codes if code)
    found: dict[str, Any] = {}
    for start in range(0, len(codes_list), 900):
        for record in model._default_manager.filter(**{f"{field}__in": codes_list[start : start + 900]}):
            found[getattr(record, field)] = record
    return found


def duplicate_keys(rows: list[tuple[int, dict[str, Any]]], key) -> dict[int, int]:
    """Return {row number: earlier row number} for rows whose key repeats an earlier row's."""
    first: dict[Any, int] = {}
    repeated = {}
    for number, values in rows:
        k = key(values)
        if k in first:
            repeated[number] = first[k]
        else:
            first[k] = number
    return repeated


class RowRefused(Exception):
    """A row refused by the import's own rules (before any service): stored as a reason key."""

    def __init__(self, column: str, code: str, **params: Any):
        self.column = column
        self.code = code
        self.params = params
        super().__init__(code)


def refuse_unless(allowed: bool, column: str = "") -> None:
    """Refuse the row as one the importer may not write unless allowed."""
    if not allowed:
        raise RowRefused(column, "not_permitted")
