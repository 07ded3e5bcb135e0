"""The figures of the dashboards, each linked to the list of the rows behind it.

Tags rather than included templates: a dashboard shows a few hundred figures, and an include costs a
template look-up and a context of its own each time.
"""

from django import template
from django.utils.html import format_html

from masar.core.templatetags.masar import fmt_number, isolate

register = template.Library()


@register.simple_tag
def figure(n, url=None):
    """Return a count, linked to the list of the rows it counts (data-figure: that count) when url is given."""
    shown = isolate(fmt_number(n))
    if url:
        return format_html('<a class="drill" href="{}" data-figure="{}">{}</a>', url, int(n), shown)
    return format_html('<span class="figure-value">{}</span>', shown)


@register.simple_tag
def drill(shown, rows, url=None):
    """Return a figure that is not a count (a sum, a share, a score), linked to the list it is computed from.

    data-rows is the number of rows of that list.
    """
    if url:
        return format_html('<a class="drill-of" href="{}" data-rows="{}">{}</a>', url, int(rows), shown)
    return format_html("{}", shown)
