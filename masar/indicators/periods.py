"""Periods and numbers as people type them in forms and spreadsheets, in any of the three languages."""

import datetime
import functools
import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from babel.dates import format_date
from django.utils.translation import gettext as _

from masar.arabic import normalize_digits
from masar.core.months import ReportableFrom, is_reportable
from masar.core.numbers import TypedNumberError, read_number
from masar.core.templatetags.masar import babel_locale
from masar.indicators.models import VALUE_DIGITS, VALUE_PLACES, Frequency

QUANTUM = Decimal(1).scaleb(-VALUE_PLACES)
LIMIT = Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES)
_SPACES = re.compile(r"[\s\u00a0\u202f\u200f\u200e\u061c']")
_MONTHLY = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:T[\d:.]+)?$")
_DATE_REVERSED = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_MONTHLY_REVERSED = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_QUARTERLY = re.compile(r"^(\d{4})\s*[-/ ]?\s*[QTR]([1-4])$|^[QTR]([1-4])\s*[-/ ]?\s*(\d{4})$", re.IGNORECASE)
_YEARLY = re.compile(r"^(\d{4})$")


class ParseError(ValueError):
    """A typed value that is not what was expected; the message says why, in the active language."""


def parse_number(raw):
    """Return raw as a Decimal rounded to the stored precision, or raise ParseError.

    Accepts numbers from spreadsheets and text read as the active language writes numbers (see
    masar.arabic.numbers: 1 250,5 in French, 1,250.5 in English, ١٢٫٥ in Arabic).
    """
    if isinstance(raw, bool):
        raise ParseError(_("“%(value)s” is not a number.") % {"value": raw})
    if isinstance(raw, int | float | Decimal):
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            raise ParseError(_("“%(value)s” is not a number.") % {"value": raw}) from None
    else:
        text = str(raw or "").strip()
        if not text:
            raise ParseError(_("A number is required."))
        try:
            number = read_number(text)
        except TypedNumberError as error:
            raise ParseError(error.message) from None
    if not number.is_finite():
        raise ParseError(_("“%(value)s” is not a number.") % {"value": raw})
    if abs(number) >= LIMIT:
        raise ParseError(_("%(value)s is too large.") % {"value": raw})
    return number.quantize(QUANTUM, rounding=ROUND_HALF_EVEN)


def period_start(day, frequency):
    """Return the first day of the period of this frequency that holds day."""
    if frequency == Frequency.YEARLY:
        return datetime.date(day.year, 1, 1)
    if frequency == Frequency.QUARTERLY:
        return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return datetime.date(day.year, day.month, 1)


def is_period_start(day, frequency):
    return period_start(day, frequency) == day


def previous_period(day, frequency):
    """Return the first day of the period before the one starting on day."""
    if frequency == Frequency.YEARLY:
        return datetime.date(day.year - 1, 1, 1)
    months = 3 if frequency == Frequency.QUARTERLY else 1
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def next_period(day, frequency):
    if frequency == Frequency.YEARLY:
        return datetime.date(day.year + 1, 1, 1)
    months = 3 if frequency == Frequency.QUARTERLY else 1
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_end(day, frequency):
    """Return the last day of the period of this frequency that starts on day."""
    return next_period(period_start(day, frequency), frequency) - datetime.timedelta(days=1)


def is_period_reportable(day, frequency, today):
    """Whether a value may be entered for the period starting on day: once the period has ended."""
    return is_reportable(day, period_end(day, frequency), today, ReportableFrom.END)


def not_reportable_message(day, frequency):
    return _("The period %(period)s has not ended yet: its value is entered once it is over.") % {
        "period": period_key(day, frequency)
    }


def reportable_periods(frequency, today, count):
    """Return the first days of the last count periods that have ended by today, latest first."""
    day = previous_period(period_start(today, frequency), frequency)
    periods = []
    while len(periods) < count:
        periods.append(day)
        day = previous_period(day, frequency)
    return periods


def period_key(day, frequency):
    """Return the period as typed in forms and spreadsheets: 2025, 2025-Q3 or 2025-07."""
    if frequency == Frequency.YEARLY:
        return f"{day.year:04d}"
    if frequency == Frequency.QUARTERLY:
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}-{day.month:02d}"


def period_label(day, frequency):
    """Return the period as a reader reads it in the active language."""
    if day is None:
        return ""
    if frequency == Frequency.YEARLY:
        return str(day.year)
    if frequency == Frequency.QUARTERLY:
        return _("Q%(quarter)s %(year)s") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}
    return _month_label(day, babel_locale())


@functools.lru_cache(maxsize=4096)
def _month_label(day, locale):
    """Return a month's name and year in a locale (cached: the same months are written again and again)."""
    return format_date(day, "LLLL y", locale=locale)


def period_format_help(frequency):
    if frequency == Frequency.YEARLY:
        return _("a year, e.g. 2025")
    if frequency == Frequency.QUARTERLY:
        return _("a quarter, e.g. 2025-Q3")
    return _("a month, e.g. 2025-07")


def parse_period(raw, frequency, *, today=None):
    """Return the first day of the period raw names, or raise ParseError.

    A period is defined when it is written in the indicator's frequency (a year, a quarter or a
    month; a spreadsheet date falls in its period) and has ended (`is_period_reportable`).
    """
    today = today or datetime.date.today()
    day = None
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, datetime.date):
        day = period_start(raw, frequency)
    elif isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        if frequency == Frequency.YEARLY:
            day = _year(int(raw))
    else:
        text = _SPACES.sub("", normalize_digits(str(raw or "").strip()))
        day = _parse_text(text, frequency)
    if day is None:
        raise ParseError(
            _("“%(value)s” is not a period of this indicator: give %(expected)s.")
            % {"value": "" if raw is None else raw, "expected": period_format_help(frequency)}
        )
    if not is_period_reportable(day, frequency, today):
        raise ParseError(not_reportable_message(day, frequency))
    return day


def _year(year):
    return datetime.date(year, 1, 1) if 1900 <= year <= 2200 else None


def _parse_text(text, frequency):
    """Return the period named by text: its own notation (2025, 2025-Q3, 2025-07) or any day inside it."""
    for pattern, order in ((_DATE, (1, 2, 3)), (_DATE_REVERSED, (3, 2, 1))):
        match = pattern.match(text)
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            try:
                return period_start(datetime.date(year, month, day), frequency) if _year(year) else None
            except ValueError:
                return None
    if frequency == Frequency.YEARLY:
        match = _YEARLY.match(text)
        return _year(int(match.group(1))) if match else None
    if frequency == Frequency.QUARTERLY:
        match = _QUARTERLY.match(text)
        if not match:
            return None
        year, quarter = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        start = _year(int(year))
        return start.replace(month=(int(quarter) - 1) * 3 + 1) if start else None
    match = _MONTHLY.match(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
    else:
        match = _MONTHLY_REVERSED.match(text)
        if not match:
            return None
        month, year = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or _year(year) is None:
        return None
    return datetime.date(year, month, 1)
