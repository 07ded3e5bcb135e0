"""Template helpers for Masar pages: formatting for the active language and record labels."""

import datetime
import decimal
import functools

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_currency, format_decimal, format_percent
from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import get_language

register = template.Library()


def babel_locale():
    """Return the CLDR locale for the active language (Arabic follows MASAR_ARABIC_LOCALE)."""
    language = (get_language() or "ar")[:2]
    return settings.MASAR_ARABIC_LOCALE if language == "ar" else language


@register.filter
def fmt_date(value, style="long"):
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        return babel_format_datetime(timezone.localtime(value), "medium", locale=babel_locale())
    return babel_format_date(value, style, locale=babel_locale())


@register.filter
def fmt_number(value, digits=None):
    if value is None or value == "":
        return ""
    if digits is not None:
        value = round(decimal.Decimal(value), int(digits))
    return format_decimal(value, locale=babel_locale())


@register.filter
def fmt_percent(value):
    if value is None:
        return ""
    return format_percent(value, locale=babel_locale())


@register.simple_tag
def fmt_money(amount, currency):
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=babel_locale(), format_type="standard")


@register.simple_tag(takes_context=True)
def url_in_language(context, language):
    """Return the current page's address in another language."""
    request = context["request"]
    return translate_url(request.get_full_path(), language)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """Return the current query string with some parameters replaced (pagination keeps the filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def person_name(user):
    """Return a person as people name them: their full name, else their login ("" for nobody)."""
    if not user:
        return ""
    return user.get_full_name() or user.username


@register.filter
def fmt_month(value):
    """Return a month as its name and year in the active language (e.g. جانفي 2025, janvier 2025)."""
    if not value:
        return ""
    return babel_format_date(value, "LLLL y", locale=babel_locale())


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


# The enumerations templates may label, by the name templates use; resolved on first use so core
# imports no domain app.
CHOICES = {
    "Classification": "masar.core.models.Classification",
    "Confidence": "masar.delivery.models.Confidence",
    "DecisionStatus": "masar.decisions.models.DecisionStatus",
    "JudgementStatus": "masar.indicators.trajectory.JudgementStatus",
    "MeasurementStatus": "masar.indicators.models.MeasurementStatus",
    "Outlook": "masar.indicators.trajectory.Outlook",
    "ProjectStatus": "masar.portfolio.models.ProjectStatus",
    "UpdateStatus": "masar.delivery.models.UpdateStatus",
}


@functools.cache
def choices_named(name):
    """Return the TextChoices class templates call name; an unknown name is a programming error."""
    return import_string(CHOICES[name])


@register.filter
def choice(value, name):
    """Return the member of the enumeration called name whose value is value, or None."""
    choices = choices_named(name)
    return choices(value) if value in choices.values else None


@register.filter
def choice_label(value, name):
    """Return the label of value in the enumeration called name, or value itself when it is not one of its values.

    `{{ project.status|choice_label:"ProjectStatus" }}`: a value added later shows as itself, never as
    another value's label.
    """
    if value is None or value == "":
        return ""
    member = choice(value, name)
    return member.label if member is not None else value
