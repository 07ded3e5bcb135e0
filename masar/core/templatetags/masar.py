"""Template helpers for Masar pages: formatting for the active language and record labels."""

import datetime
import decimal
import functools
import re

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_currency, format_decimal, format_percent, get_currency_symbol
from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from masar.core.sources import source_titles

register = template.Library()


def babel_locale():
    """Return the CLDR locale for the active language (Arabic follows MASAR_ARABIC_LOCALE)."""
    language = (get_language() or "ar")[:2]
    return settings.MASAR_ARABIC_LOCALE if language == "ar" else language


@functools.lru_cache(maxsize=16)
def _parsed(identifier):
    """Return babel's Locale for an identifier, parsed once: formatting a number with an identifier parses it anew."""
    return Locale.parse(identifier)


def isolate(text):
    """Return formatted text inside <bdi>, so a date, number or amount keeps its order inside right-to-left text.

    Digits, Latin currency codes, ISO dates and ranges read backwards ("2030-2026") when the browser
    lays them out as part of the surrounding Arabic; an isolate lays them out on their own. Empty
    text stays empty, so `|default:` still applies.
    """
    if text is None or text == "":
        return ""
    return format_html("<bdi>{}</bdi>", text)


def fmt_date(value, style="long"):
    """Return a date (or a date and time) as plain text in the active language."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        return babel_format_datetime(timezone.localtime(value), "medium", locale=_parsed(babel_locale()))
    return babel_format_date(value, style, locale=_parsed(babel_locale()))


def fmt_number(value, digits=None):
    """Return a number as plain text in the active language, rounded to digits decimals when given."""
    if value is None or value == "":
        return ""
    if digits is not None:
        value = round(decimal.Decimal(value), int(digits))
    return format_decimal(value, locale=_parsed(babel_locale()))


def fmt_count(value):
    """Return a count as a whole number in the active language: a count never shows decimals."""
    if value is None or value == "":
        return ""
    whole = decimal.Decimal(value).quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP)
    return format_decimal(whole, locale=_parsed(babel_locale()))


def fmt_percent(value, digits=1):
    """Return a share (0.125) as a percentage with at most digits decimals (12.5 %, 12 %)."""
    if value is None or value == "":
        return ""
    share = round(decimal.Decimal(str(value)), int(digits) + 2).normalize()
    if share.as_tuple().exponent > 0:  # normalize writes 100 as 1E+2
        share = share.quantize(decimal.Decimal(1))
    return format_percent(share, locale=babel_locale(), decimal_quantization=False)


def _money_pattern(locale, currency, *, minor_units):
    """Return the locale's currency pattern, without decimals for overviews, spaced from a letter code."""
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    if not minor_units:
        pattern = re.sub(r"\.0+", "", pattern)
    if get_currency_symbol(currency, locale=locale)[-1:].isalpha():
        # CLDR's currency spacing: a code written before the number is set apart from it (TND 1,505,000).
        pattern = pattern.replace("¤#", "¤\xa0#").replace("¤-", "¤\xa0-")
    return pattern


def fmt_money(amount, currency):
    """Return an amount with its currency in full precision (millimes), where a person checks a reported figure."""
    if amount is None:
        return ""
    locale = babel_locale()
    pattern = _money_pattern(locale, currency, minor_units=True)
    return format_currency(amount, currency, format=pattern, locale=locale)


def fmt_money_short(amount, currency):
    """Return an amount with its currency rounded to whole units, for overviews, lists and packs."""
    if amount is None:
        return ""
    locale = babel_locale()
    whole = decimal.Decimal(amount).quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP)
    pattern = _money_pattern(locale, currency, minor_units=False)
    return format_currency(whole, currency, format=pattern, locale=locale, currency_digits=False)


def fmt_month(value):
    """Return a month as its name and year in the active language (e.g. جانفي 2025, janvier 2025)."""
    if not value:
        return ""
    return babel_format_date(value, "LLLL y", locale=babel_locale())


def fmt_year_range(start, end):
    """Return the years from start to end (dates or years) as "2026–2030", the first year first in any direction."""
    first = getattr(start, "year", start)
    last = getattr(end, "year", end)
    if not first and not last:
        return ""
    if not last or first == last:
        return str(first or last)
    return f"{first or ''}\u2013{last}"


# The filters templates use: the same text, isolated.
register.filter("fmt_date", lambda value, style="long": isolate(fmt_date(value, style)))
register.filter("fmt_number", lambda value, digits=None: isolate(fmt_number(value, digits)))
register.filter("fmt_count", lambda value: isolate(fmt_count(value)))
register.filter("fmt_percent", lambda value, digits=1: isolate(fmt_percent(value, digits)))
register.filter("fmt_month", lambda value: isolate(fmt_month(value)))
register.filter("fmt_year_range", lambda start, end: isolate(fmt_year_range(start, end)))
register.filter("bdi", lambda value: isolate(value))
register.simple_tag(lambda amount, currency: isolate(fmt_money(amount, currency)), name="fmt_money")
register.simple_tag(lambda amount, currency: isolate(fmt_money_short(amount, currency)), name="fmt_money_short")


@register.simple_tag
def css_page_counter():
    """Return the CSS content of a page counter in the active language ("7 of 12", "٧ من ١٢"), isolated.

    The translated text is split at its placeholders into CSS strings and counters; the first-strong
    isolate (U+2068 … U+2069) lets Arabic text read "7 من 12" from the right and English "7 of 12" from the left.
    """
    text = _("%(page)s of %(pages)s")
    tokens = ['"\\2068"']
    for part in re.split(r"(%\(page\)s|%\(pages\)s)", text):
        if part == "%(page)s":
            tokens.append("counter(page)")
        elif part == "%(pages)s":
            tokens.append("counter(pages)")
        elif part:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace("\n", " ")
            tokens.append(f'"{escaped}"')
    tokens.append('"\\2069"')
    return mark_safe(" ".join(tokens))  # noqa: S308 - built from escaped translated text and fixed counters


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
def is_sample_field(record, name):
    """Return whether the named field of a record taken from a source is sample data."""
    return record.field_is_sample(name)


@register.filter
def person_name(user):
    """Return a person as people name them: their full name, else their login ("" for nobody)."""
    if not user:
        return ""
    return user.get_full_name() or user.username


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


# The enumerations templates may label, by the name templates use; resolved on first use so core
# imports no domain app.
CHOICES = {
    "Classification": "masar.core.models.Classification",
    "Confidence": "masar.delivery.models.Confidence",
    "DecisionStatus": "masar.decisions.models.DecisionStatus",
    "EntryKind": "masar.search.models.EntryKind",
    "IndicatorKind": "masar.indicators.models.IndicatorKind",
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


def fmt_value(value, kind):
    """Return an indicator's value by what the indicator measures: counts whole, percentages to one decimal.

    Ratios and indices keep two decimals, so one column of an indicator never mixes precisions.
    """
    if value is None or value == "":
        return ""
    kinds = choices_named("IndicatorKind")
    if kind == kinds.COUNT:
        return fmt_count(value)
    pattern = "#,##0.0" if kind == kinds.PERCENTAGE else "#,##0.00"  # the same decimals down a column
    return format_decimal(decimal.Decimal(value), format=pattern, locale=_parsed(babel_locale()))


register.filter("fmt_value", lambda value, kind: isolate(fmt_value(value, kind)))


@register.filter(name="source_titles")
def source_titles_filter(source):
    """Return the titles of the source documents a record's source names, in the active language."""
    return [str(title) for title in source_titles(source)]


# Badges shown on every row of the long lists (projects, roadmap, obstacles, search): written in Python rather than
# included templates, which cost a context push and a template render each, fifty to a thousand times per page.


@register.simple_tag
def status_badge(value):
    """A project's status: `{% status_badge project.status %}`."""
    return format_html('<span class="status status-{}">{}</span>', value, choice_label(value, "ProjectStatus"))


@register.simple_tag
def classification_badge(value):
    """A record's classification (or a reader's clearance): `{% classification_badge project.classification %}`."""
    return format_html('<span class="badge classification-{}">{}</span>', value, choice_label(value, "Classification"))


@register.simple_tag
def sample_badge(record):
    """Sample or source badge of a record: generated for the demonstration, or taken from named source documents."""
    if getattr(record, "is_sample", False):
        return format_html(
            '<span class="badge sample" title="{}">{}</span>',
            _("Generated for the demonstration: not taken from a source document."),
            _("Sample"),
        )
    titles = source_titles_filter(record.source) if getattr(record, "source", "") else []
    if not titles:
        return ""
    return format_html(
        '<span class="badge source" title="{}">{}</span>',
        _("Taken from a source document"),
        _("Source: %(source)s") % {"source": " · ".join(titles)},
    )


@register.simple_tag
def rating_badge(health):
    """A project's computed rating beside its declared confidence, with the flag of a gap or a kind of doubt."""
    if not health:
        return format_html('<span class="muted">{}</span>', _("not rated yet"))
    parts = [
        format_html(
            '<span class="rating rating-{}" title="{}">{}: {}</span>',
            health.computed,
            _("Computed from the data"),
            _("computed"),
            health.get_computed_display(),
        )
    ]
    if health.declared:
        parts.append(
            format_html(
                ' <span class="rating rating-{} declared" title="{}">{}: {}</span>',
                health.declared,
                _("Declared by the owner"),
                _("declared"),
                health.get_declared_display(),
            )
        )
    if health.flagged:
        parts.append(
            format_html(
                ' <span class="flag" role="img" aria-label="{}">⚑ {}</span>',
                _("Gap between declared and computed"),
                _("gap"),
            )
        )
    elif health.flag_kind:
        label = health.get_flag_kind_display()
        parts.append(
            format_html(
                ' <span class="flag flag-{}" role="img" aria-label="{}">⚐ {}</span>', health.flag_kind, label, label
            )
        )
    return format_html(
        '<span class="rating-pair{}">{}</span>', " flagged" if health.flagged else "", mark_safe("".join(parts))
    )
