"""The labels of a record's choices (`get_status_display()`), looked up in a table built once per field.

Django's own `get_FOO_display` rebuilds the field's table of choices on every call and, to make it hashable,
hashes each label — a lazy translation, so every label of the field is translated each time one is shown: an
inbox of 100 notifications translated 1,700 labels to show 100, and an export of 20,000 rows several hundred
thousand. The table here maps each stored value to its lazy label, built once per field; the label is
translated when it is shown, in the language active then, exactly as Django's method does.
"""

from __future__ import annotations

import functools
from functools import partialmethod
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.encoding import force_str

_DJANGO_DISPLAY = models.Model._get_FIELD_display  # type: ignore[attr-defined]


@functools.cache
def _labels(field: models.Field[Any, Any]) -> dict[Any, Any]:
    """Return {stored value: lazy label} of a field with choices (its groups flattened)."""
    return dict(field.flatchoices)


def choice_display(record: models.Model, field: models.Field[Any, Any]) -> Any:
    """Return the label of the record's value of field in the active language, or the value when it has none."""
    value = getattr(record, field.attname)
    try:
        label = _labels(field).get(value, value)
    except TypeError:  # a value that cannot be a key (never one of the choices)
        label = value
    return force_str(label, strings_only=True)


def register() -> None:
    """Serve `get_FOO_display` of the platform's models from the table (once, when the apps are ready).

    A model that writes its own `get_FOO_display` keeps it.
    """
    for model in apps.get_models():
        if not model.__module__.startswith("masar."):
            continue
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            django_own = getattr(getattr(model, name, None), "_partialmethod", None)
            if field.choices and isinstance(django_own, partialmethod) and django_own.func is _DJANGO_DISPLAY:
                setattr(model, name, partialmethod(choice_display, field=field))
