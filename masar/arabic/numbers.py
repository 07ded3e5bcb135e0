"""Numbers as people type them in Arabic, French and English, read without guessing silently.

A number may be written with Western, Eastern Arabic (٠-٩) or Persian (۰-۹) digits; with the Arabic
decimal separator ٫ and thousands separator ٬; with spaces, no-break spaces or narrow no-break spaces
between groups of thousands (French "1 200 000,50"); with commas between thousands and a point before
decimals (English "1,200,000.50"), or the reverse (Tunisian "1.200.000,50"); with a sign and a percent
sign.

When both the point and the comma appear, the last one is the decimal separator. When only one of
them appears once and could be either (“1,200”: 1.2 or 1200?), the convention of the page's language
decides: the language's decimal mark is read as a decimal separator, the other as a thousands
separator. Anything else (letters, "1,2,3.4.5", groups that are not thousands) is refused: a wrong
figure stored silently costs more than a question asked.
"""

import enum
import re
from decimal import Decimal

# The decimal mark of each interface language when digits are Western (Arabic as written in the
# Maghreb, like French: 1.200,5).
DECIMAL_MARKS = {"ar": ",", "fr": ",", "en": "."}

ARABIC_DECIMAL = "\u066b"  # ٫
ARABIC_THOUSANDS = "\u066c"  # ٬
_SPACE_MARKS = " \u00a0\u202f\u2009\u2007'\u2019"
_INVISIBLE = re.compile("[\u200e\u200f\u061c\u2066-\u2069\u202a-\u202e]")
_PERCENT = ("%", "\u066a")  # % and ٪
_WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_MINUS = "-\u2212\u2012\u2013"
_SPACE = " "  # every space-like grouping mark is read as this one
_ALLOWED = frozenset("0123456789.," + _SPACE + ARABIC_DECIMAL + ARABIC_THOUSANDS)
_DECIMAL = "d"  # placeholders once the separators are known
_GROUP = "g"


class NumberProblem(enum.Enum):
    """Why a typed text is not a number."""

    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    SEPARATORS = "separators"


class NumberError(ValueError):
    """A typed text that is not a number; problem says why (the caller words it in the reader's language)."""

    def __init__(self, problem: NumberProblem, text: str):
        self.problem = problem
        self.text = text
        super().__init__(f"{problem.value}: {text!r}")


def decimal_mark_of(language: str | None) -> str:
    """Return the decimal mark people type in a language (its first two letters decide; English by default)."""
    return DECIMAL_MARKS.get((language or "en")[:2].lower(), ".")


def parse_number(text: str, *, decimal_mark: str = ".", percent: bool = True) -> Decimal:
    """Return the number text holds, or raise NumberError.

    decimal_mark is the page's decimal separator ("," or "."): it only decides a lone separator that
    could be read both ways. A percent sign before or after the number is accepted when percent is
    true (the number is returned as typed: "7,5 %" is 7.5).
    """
    if decimal_mark not in (".", ","):
        raise ValueError(f"decimal mark must be '.' or ',', not {decimal_mark!r}")
    original = text
    text = _INVISIBLE.sub("", (text or "").translate(_WESTERN)).strip()
    if not text:
        raise NumberError(NumberProblem.EMPTY, original)
    if percent:
        text = _strip_percent(text)
    negative = text[:1] in _MINUS
    if negative or text[:1] == "+":
        text = text[1:].lstrip()
    for mark in _SPACE_MARKS:
        text = text.replace(mark, _SPACE)
    if not text or any(c not in _ALLOWED for c in text):
        raise NumberError(NumberProblem.NOT_A_NUMBER, original)
    marked = _mark_separators(text, decimal_mark)
    if marked is None:
        raise NumberError(NumberProblem.SEPARATORS, original)
    whole, has_fraction, fraction = marked.partition(_DECIMAL)
    digits = _ungroup(whole)
    if digits is None or (has_fraction and not fraction.isdigit()) or not (digits or fraction):
        raise NumberError(NumberProblem.SEPARATORS, original)
    number = Decimal(f"{digits or '0'}.{fraction}" if fraction else digits)
    return -number if negative else number


def _strip_percent(text: str) -> str:
    for sign in _PERCENT:
        if text.endswith(sign):
            return text[: -len(sign)].rstrip()
        if text.startswith(sign):
            return text[len(sign) :].lstrip()
    return text


def _mark_separators(text: str, decimal_mark: str) -> str | None:
    """Return text with its decimal separator as _DECIMAL and its grouping marks as _GROUP, or None."""
    text = text.replace(ARABIC_THOUSANDS, _GROUP).replace(_SPACE, _GROUP)
    if ARABIC_DECIMAL in text:
        # The Arabic decimal separator is unambiguous; a point or comma beside it can only group.
        if text.count(ARABIC_DECIMAL) > 1 or ("." in text and "," in text):
            return None
        return text.replace(".", _GROUP).replace(",", _GROUP).replace(ARABIC_DECIMAL, _DECIMAL)
    points, commas = text.count("."), text.count(",")
    if points and commas:
        last = "." if text.rfind(".") > text.rfind(",") else ","
        other = "," if last == "." else "."
        if text.count(last) > 1 or text.rfind(other) > text.rfind(last):
            return None
        return text.replace(other, _GROUP).replace(last, _DECIMAL)
    if not points and not commas:
        return text
    mark = "." if points else ","
    if points + commas > 1:
        return text.replace(mark, _GROUP)  # "1.200.000" or "1,200,000": groups only
    if _GROUP in text:
        return text.replace(mark, _DECIMAL)  # "1 200,5": the other grouping is spaces
    whole, _, fraction = text.partition(mark)
    could_group = len(fraction) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0")
    if could_group and mark != decimal_mark:
        return text.replace(mark, _GROUP)
    return text.replace(mark, _DECIMAL)


def _ungroup(whole: str) -> str | None:
    """Return the digits of an integer part, or None when its grouping is not in thousands."""
    if _GROUP not in whole:
        return whole if whole.isdigit() or not whole else None
    groups = whole.split(_GROUP)
    head, rest = groups[0], groups[1:]
    if not (head.isdigit() and 1 <= len(head) <= 3) or any(not (g.isdigit() and len(g) == 3) for g in rest):
        return None
    return "".join(groups)
