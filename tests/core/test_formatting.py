"""Numbers, amounts, dates and ranges as each language writes them, isolated inside right-to-left text."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from masar.core.templatetags.masar import fmt_count, fmt_money, fmt_money_short, fmt_percent, fmt_value
from masar.indicators.models import IndicatorKind

NBSP = "\xa0"
NNBSP = "\u202f"


def render(text, **context):
    return Template(text).render(Context(context))


@pytest.mark.parametrize(("language", "expected"), [("ar", "286.667"), ("fr", f"286{NNBSP}667"), ("en", "286,667")])
def test_a_count_is_a_whole_number_in_every_language(language, expected):
    with translation.override(language):
        assert fmt_count(Decimal("286666.7")) == expected
        assert fmt_count(3) == "3"


@pytest.mark.parametrize(
    ("language", "share", "expected"),
    [("ar", "0.125", "12,5%"), ("fr", "0.125", f"12,5{NBSP}%"), ("en", "0.125", "12.5%"), ("en", "0.5", "50%")],
)
def test_a_percentage_has_at_most_one_decimal(language, share, expected):
    with translation.override(language):
        assert fmt_percent(Decimal(share)) == expected
        assert fmt_percent(Decimal("0.12345")).replace(",", ".").startswith("12.3")


@pytest.mark.parametrize(
    ("language", "short", "full"),
    [
        ("ar", "\u200f1.505.000\xa0د.ت.\u200f", "\u200f1.505.000,000\xa0د.ت.\u200f"),
        ("fr", f"1{NNBSP}505{NNBSP}000{NBSP}TND", f"1{NNBSP}505{NNBSP}000,000{NBSP}TND"),
        ("en", f"TND{NBSP}1,505,000", f"TND{NBSP}1,505,000.000"),
    ],
)
def test_overviews_show_whole_amounts_with_the_currency_where_the_language_puts_it(language, short, full):
    with translation.override(language):
        assert fmt_money_short(Decimal("1505000.400"), "TND") == short
        assert fmt_money(Decimal("1505000"), "TND") == full


def test_an_indicator_value_is_formatted_by_what_the_indicator_measures():
    with translation.override("en"):
        assert fmt_value(Decimal("286666.700"), IndicatorKind.COUNT) == "286,667"
        assert fmt_value(Decimal("71.260"), IndicatorKind.PERCENTAGE) == "71.3"
        assert fmt_value(Decimal("1.5"), IndicatorKind.RATIO) == "1.50"
        assert fmt_value(Decimal("70"), IndicatorKind.PERCENTAGE) == "70.0"


def test_formatted_values_and_names_are_isolated_in_templates():
    with translation.override("ar"):
        html = render(
            "{{ day|fmt_date }}|{{ n|fmt_count }}|{{ start|fmt_year_range:end }}|{{ name|bdi }}|{{ none|fmt_date }}",
            day=datetime.date(2026, 1, 5),
            n=3,
            start=datetime.date(2026, 1, 1),
            end=datetime.date(2030, 12, 31),
            name="<b>sami</b>",
            none=None,
        )
    date, count, years, name, empty = html.split("|")
    assert date.startswith("<bdi>") and date.endswith("</bdi>")
    assert count == "<bdi>3</bdi>"
    assert years == "<bdi>2026–2030</bdi>"
    assert name == "<bdi>&lt;b&gt;sami&lt;/b&gt;</bdi>"  # isolated and still escaped
    assert empty == ""  # so |default: still applies


def test_the_page_counter_follows_the_translation_and_is_isolated():
    with translation.override("en"):
        css = render("{% css_page_counter %}")
    assert css == '"\\2068" counter(page) " of " counter(pages) "\\2069"'
