"""Periods and numbers as people type them."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from masar.indicators.periods import ParseError, parse_number, parse_period

TODAY = datetime.date(2026, 11, 22)


@pytest.mark.parametrize(
    "text,language,expected",
    [
        ("12.5", "en", "12.5"),
        ("١٢٫٥", "ar", "12.5"),
        ("1 250,75", "fr", "1250.75"),
        ("1\u202f250,75", "fr", "1250.75"),
        ("1,250.75", "en", "1250.75"),
        ("12,5", "fr", "12.5"),
        ("-3", "en", "-3"),
        ("٤٢٠", "ar", "420"),
        (71.5, "en", "71.5"),
        (2023, "en", "2023"),
    ],
)
def test_numbers_are_read_as_typed_in_each_language(text, language, expected):
    with translation.override(language):
        assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "12..5", "1e400", "nan", True])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(ParseError):
        parse_number(text)


@pytest.mark.parametrize(
    "raw,frequency,expected",
    [
        ("2025", "yearly", datetime.date(2025, 1, 1)),
        ("٢٠٢٥", "yearly", datetime.date(2025, 1, 1)),
        (2025, "yearly", datetime.date(2025, 1, 1)),
        ("2025-Q3", "quarterly", datetime.date(2025, 7, 1)),
        ("T2 2025", "quarterly", datetime.date(2025, 4, 1)),
        ("2025-08-15", "quarterly", datetime.date(2025, 7, 1)),
        ("2025-07", "monthly", datetime.date(2025, 7, 1)),
        ("07/2025", "monthly", datetime.date(2025, 7, 1)),
        ("15/07/2025", "monthly", datetime.date(2025, 7, 1)),
        (datetime.datetime(2025, 7, 9), "monthly", datetime.date(2025, 7, 1)),
    ],
)
def test_periods_are_read_in_the_indicators_frequency(raw, frequency, expected):
    assert parse_period(raw, frequency, today=TODAY) == expected


@pytest.mark.parametrize(
    "raw,frequency",
    [
        ("2025-13", "monthly"),
        ("2025-Q5", "quarterly"),
        ("2025-07", "yearly"),
        ("2025", "monthly"),
        ("abc", "yearly"),
        ("2027", "yearly"),
        ("2026-12", "monthly"),
        ("31/02/2025", "monthly"),
    ],
)
def test_undefined_periods_are_refused(raw, frequency):
    with pytest.raises(ParseError):
        parse_period(raw, frequency, today=TODAY)


@pytest.mark.parametrize(
    "raw,frequency,reportable",
    [
        ("2026-Q3", "quarterly", True),
        ("2026-Q4", "quarterly", False),  # under way on 22 November: not over
        ("2025", "yearly", True),
        ("2026", "yearly", False),
        ("2026-10", "monthly", True),
        ("2026-11", "monthly", False),
    ],
)
def test_a_value_is_entered_once_its_period_has_ended(raw, frequency, reportable):
    if reportable:
        assert parse_period(raw, frequency, today=TODAY)
    else:
        with pytest.raises(ParseError, match="has not ended"):
            parse_period(raw, frequency, today=TODAY)
