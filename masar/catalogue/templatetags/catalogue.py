"""Template helpers of the catalogue's pages."""

from django import template

from masar.core.templatetags.masar import fmt_percent, isolate

register = template.Library()


@register.filter
def fmt_share(value, digits=1):
    """Return a share given out of 100 (`Digitization.online_share`) as a percentage in the page's language."""
    if value is None or value == "":
        return ""
    return isolate(fmt_percent(value / 100, digits))
