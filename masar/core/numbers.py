"""Numbers typed on a page, read with the conventions of the page's language (see masar.arabic.numbers)."""

from decimal import Decimal

from babel.numbers import format_decimal, get_decimal_symbol
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from masar.arabic.numbers import NumberError, NumberProblem, decimal_mark_of, parse_number
from masar.core.templatetags.masar import babel_locale

EXAMPLE = Decimal("1234567.5")


class TypedNumberError(ValueError):
    """A typed text that is not a number; message says why in the active language."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def page_decimal_mark() -> str:
    """Return the decimal mark numbers are shown with on this page, so what is shown reads back the same."""
    mark = get_decimal_symbol(babel_locale(), numbering_system="latn")
    return mark if mark in (".", ",") else decimal_mark_of(get_language())


def read_number(text: str, *, percent: bool = True) -> Decimal:
    """Return the number a person typed on this page, or raise TypedNumberError with a message for them."""
    try:
        return parse_number(text, decimal_mark=page_decimal_mark(), percent=percent)
    except NumberError as error:
        raise TypedNumberError(number_error_message(error)) from None


def number_error_message(error: NumberError) -> str:
    """Word why a typed text is not a number, with an example written as this page writes numbers."""
    if error.problem == NumberProblem.EMPTY:
        return _("A number is required.")
    if error.problem == NumberProblem.SEPARATORS:
        return _("“%(value)s” is not a number as written: group thousands and mark decimals as in %(example)s.") % {
            "value": error.text,
            "example": format_decimal(EXAMPLE, locale=babel_locale()),
        }
    return _("“%(value)s” is not a number.") % {"value": error.text}
