"""Numbers as people type them in Arabic, French and English pages (no Django needed)."""

from decimal import Decimal

import pytest

from masar.arabic.numbers import NumberError, NumberProblem, decimal_mark_of, parse_number

AR, FR, EN = decimal_mark_of("ar"), decimal_mark_of("fr"), decimal_mark_of("en")


def test_each_language_has_its_decimal_mark():
    assert (AR, FR, EN) == (",", ",", ".")
    assert decimal_mark_of("fr-ca") == "," and decimal_mark_of(None) == "."


@pytest.mark.parametrize(
    "text,expected",
    [
        ("١٢٫٥", "12.5"),
        ("٤٥٫٥", "45.5"),
        ("٤٢٠", "420"),
        ("١٬٢٠٠٬٠٠٠٫٥٠", "1200000.50"),
        ("١٬٢٠٠", "1200"),  # ٬ only groups
        ("١٫٢٠٠", "1.200"),  # ٫ only marks decimals
        ("۱۲٫۵", "12.5"),  # Persian digits
        ("٧٫٥ ٪", "7.5"),
        ("٪ ٧٫٥", "7.5"),
        ("7,5", "7.5"),  # a lone comma is a decimal
        ("1,200", "1.200"),
        ("1.200", "1200"),  # Maghreb grouping: 1.200.000,50
        ("1.200.000,50", "1200000.50"),
        ("1 200 000,5", "1200000.5"),
        ("\u200f١٢٫٥\u200f", "12.5"),  # right-to-left marks pasted along
        ("١٢,٥", "12.5"),
        ("-٣", "-3"),
    ],
)
def test_arabic_page(text, expected):
    assert parse_number(text, decimal_mark=AR) == Decimal(expected)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("7,5", "7.5"),
        ("7,5 %", "7.5"),
        ("7,5\u00a0%", "7.5"),
        ("1 200 000,500", "1200000.5"),
        ("1\u202f200\u202f000,50", "1200000.50"),  # narrow no-break space, as Babel writes French
        ("1\u00a0200\u00a0000,50", "1200000.50"),  # no-break space
        ("1 200", "1200"),
        ("1,200", "1.2"),  # ambiguous: the French convention reads a decimal
        ("0,125", "0.125"),
        ("12.5", "12.5"),  # a point that cannot group is a decimal
        ("1.200", "1200"),  # a point that can group groups on a French page
        ("1.200,50", "1200.50"),
        ("1 200.5", "1200.5"),
        (",5", "0.5"),
        ("+3", "3"),
        ("  42  ", "42"),
    ],
)
def test_french_page(text, expected):
    assert parse_number(text, decimal_mark=FR) == Decimal(expected)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1,200,000.50", "1200000.50"),
        ("1,200", "1200"),  # ambiguous: the English convention reads thousands
        ("1.200", "1.2"),
        ("12.5", "12.5"),
        ("7.5%", "7.5"),
        ("7,5", "7.5"),  # a comma that cannot group is a decimal
        ("1 200 000.5", "1200000.5"),
        ("0.125", "0.125"),
        ("0,125", "0.125"),  # a group never starts with 0
        ("1,234,567", "1234567"),
        ("\u2212" + "3.5", "-3.5"),
        (".5", "0.5"),
        ("100", "100"),
    ],
)
def test_english_page(text, expected):
    assert parse_number(text, decimal_mark=EN) == Decimal(expected)


@pytest.mark.parametrize("mark", [AR, FR, EN])
@pytest.mark.parametrize(
    "text,problem",
    [
        ("", NumberProblem.EMPTY),
        ("   ", NumberProblem.EMPTY),
        ("abc", NumberProblem.NOT_A_NUMBER),
        ("12a", NumberProblem.NOT_A_NUMBER),
        ("1e5", NumberProblem.NOT_A_NUMBER),
        ("nan", NumberProblem.NOT_A_NUMBER),
        ("-", NumberProblem.NOT_A_NUMBER),
        ("%", NumberProblem.NOT_A_NUMBER),
        ("7 %%", NumberProblem.NOT_A_NUMBER),
        ("1,2,3.4.5", NumberProblem.SEPARATORS),
        ("12..5", NumberProblem.SEPARATORS),
        ("1.2.3", NumberProblem.SEPARATORS),
        ("1,20,000", NumberProblem.SEPARATORS),  # not thousands
        ("1 20", NumberProblem.SEPARATORS),
        ("1 2000", NumberProblem.SEPARATORS),
        ("5.", NumberProblem.SEPARATORS),
        ("1.5,000", NumberProblem.SEPARATORS),  # a grouping mark after the decimal one
        ("١٫٢٫٣", NumberProblem.SEPARATORS),
        ("1,200.5٫3", NumberProblem.SEPARATORS),
        ("1,5 200", NumberProblem.SEPARATORS),
    ],
)
def test_malformed_numbers_are_refused_with_the_reason(text, problem, mark):
    with pytest.raises(NumberError) as error:
        parse_number(text, decimal_mark=mark)
    assert error.value.problem == problem and error.value.text == text


def test_a_percent_sign_is_refused_where_no_percentage_is_expected():
    assert parse_number("7,5 %", decimal_mark=FR) == Decimal("7.5")
    with pytest.raises(NumberError):
        parse_number("7,5 %", decimal_mark=FR, percent=False)


def test_the_library_imports_no_django():
    import ast
    import pathlib

    import masar.arabic.numbers as module

    tree = ast.parse(pathlib.Path(module.__file__).read_text())
    names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    names += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert names and not any(name.startswith("django") for name in names)
