"""Choice labels come from a table built once per field, and say exactly what Django's own method says."""

from django.apps import apps
from django.db import models
from django.utils import translation

from masar.core.labels import choice_display


def _fields_with_choices():
    for model in apps.get_models():
        if model.__module__.startswith("masar."):
            for field in model._meta.concrete_fields:
                if field.choices:
                    yield model, field


def test_every_label_of_every_choice_is_the_one_django_gives_in_each_language():
    checked = 0
    for model, field in _fields_with_choices():
        method = getattr(model, f"get_{field.name}_display")
        assert method._partialmethod.func is choice_display, (model, field.name)  # served from the table
        for value in [value for value, _label in field.flatchoices] + ["not-a-choice", None]:
            record = model(**{field.attname: value})
            for language in ("ar", "fr", "en"):
                with translation.override(language):
                    expected = models.Model._get_FIELD_display(record, field)
                    assert getattr(record, f"get_{field.name}_display")() == expected, (model, field.name, value)
                    checked += 1
    assert checked > 500  # positive control: the platform's enumerations are all here


def test_a_label_is_translated_when_it_is_shown_not_when_the_table_is_built():
    from masar.delivery.models import Notification

    notification = Notification(kind=Notification.Kind.UPDATE_DUE)
    with translation.override("en"):
        english = notification.get_kind_display()
    with translation.override("ar"):
        arabic = notification.get_kind_display()
    with translation.override("en"):
        assert english == str(Notification.Kind.UPDATE_DUE.label)
    assert english != arabic
