"""Template helpers for indicator pages."""

from django import template

from masar.indicators.periods import period_label

register = template.Library()


@register.filter
def period_of(day, indicator):
    """Return the period starting on day as a reader reads it: 2025, Q3 2025 or the month's name."""
    return period_label(day, indicator.frequency)
