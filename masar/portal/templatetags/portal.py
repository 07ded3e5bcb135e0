"""Template helpers of the public portal, written in Python because the directory draws them on every row."""

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from masar.catalogue.models import DigitizationLevel
from masar.core.templatetags.masar import fmt_count, fmt_number, isolate

register = template.Library()

LEVEL_STEPS = range(1, max(DigitizationLevel.values) + 1)


@register.simple_tag
def level_scale(level):
    """A service's digitization level: a scale of five steps (drawing only) beside the level's name (the text)."""
    steps = format_html_join(
        "", '<span class="level-step{}"></span>', ((" on" if step <= level else "",) for step in LEVEL_STEPS)
    )
    return format_html(
        '<span class="level level-{}"><span class="level-scale" aria-hidden="true">{}</span> '
        '<span class="level-label">{}</span></span>',
        level,
        steps,
        DigitizationLevel(level).label,
    )


@register.simple_tag
def rating_summary(service):
    """A service's rating average out of 5 with the number of ratings, or that it has none yet."""
    if not service.rating_count:
        return format_html('<span class="rating-summary muted">{}</span>', _("Not rated yet"))
    text = _with_figures(_("%(average)s out of 5"), average=fmt_number(service.rating_average))
    count = _with_figures(
        ngettext("%(count)s rating", "%(count)s ratings", service.rating_count), count=fmt_count(service.rating_count)
    )
    return format_html(
        '<span class="rating-summary"><span class="stars" aria-hidden="true">★</span> {} '
        '<span class="muted">({})</span></span>',
        text,
        count,
    )


def _with_figures(translated: str, **figures: str) -> SafeString:
    """Return translated text (escaped) with its figures each in an isolate, so they keep their order in Arabic."""
    return mark_safe(escape(translated) % {name: isolate(value) for name, value in figures.items()})  # noqa: S308
