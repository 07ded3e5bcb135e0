"""The changes of audit entries as a reader reads them: field names, choices, records and dates in their language."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _

from masar.core import policy
from masar.core.templatetags.masar import fmt_date, fmt_number

if TYPE_CHECKING:
    from django.db.models import Model

HIDDEN = "•••"  # a related record the reader may not read: neither its name nor a hint of it


def _related_names(model: type[Model], ids: set[Any], reader: Any) -> dict[Any, str]:
    """Return {id: name} of the records of model this reader may read among ids (the others are left out)."""
    if not ids:
        return {}
    queryset = model._default_manager.filter(pk__in=ids)
    if model is get_user_model():
        if not policy.may_see_staff(reader):
            return {}
        return {user.pk: user.get_full_name() or user.get_username() for user in queryset}
    if hasattr(queryset, "visible_to"):
        queryset = queryset.visible_to(reader)
    return {record.pk: str(record) for record in queryset}


def _plain(field: Any, value: Any, names: dict[Any, str]) -> Any:
    """Return one recorded value of field as text in the active language."""
    if value is None or value == "" or value == []:
        return None
    if field is None:
        return value
    if field.is_relation:
        values = value if isinstance(value, list) else [value]
        return " · ".join(names.get(item, HIDDEN) for item in values) if values else None
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateTimeField):
        return fmt_date(datetime.datetime.fromisoformat(value))
    if isinstance(field, models.DateField):
        return fmt_date(datetime.date.fromisoformat(value), "medium")
    if isinstance(field, models.DecimalField | models.IntegerField | models.FloatField):
        try:
            return fmt_number(Decimal(str(value)))
        except InvalidOperation:
            return value
    return value


def with_change_rows(entries: Any, model: type[Model], reader: Any = None) -> list[Any]:
    """Give each audit entry .rows: (field label, before, after), all in the reader's language.

    Related records are named as this reader may read them (others show a neutral mark), choices by
    their label, booleans as yes or no, dates and numbers formatted.
    """
    fields = {f.name: f for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
    entries = list(entries)
    wanted: dict[Any, set[Any]] = {}
    for entry in entries:
        for name, values in entry.changes.items():
            field = fields.get(name)
            if field is not None and field.is_relation:
                for value in values:
                    for item in value if isinstance(value, list) else [value]:
                        if item is not None:
                            wanted.setdefault(field.related_model, set()).add(item)
    names = {related: _related_names(related, ids, reader) for related, ids in wanted.items()}
    for entry in entries:
        entry.rows = []
        for name, (before, after) in entry.changes.items():
            field = fields.get(name)
            known = names.get(field.related_model, {}) if field is not None and field.is_relation else {}
            label = field.verbose_name if field is not None else name
            entry.rows.append((label, _plain(field, before, known), _plain(field, after, known)))
    return entries
