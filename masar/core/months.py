"""Calendar months: the periods of monthly reporting."""

import calendar
import datetime
import enum


def month_start(day: datetime.date) -> datetime.date:
    """Return the first day of the day's month."""
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    """Return the last day of the day's month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month(day: datetime.date) -> datetime.date:
    """Return the first day of the month before the day's month."""
    return month_start(month_start(day) - datetime.timedelta(days=1))


class ReportableFrom(enum.Enum):
    """When a period may be reported on: once it has started, or only once it has ended."""

    START = "start"  # monthly progress: the month under way is reported on
    END = "end"  # indicator values: a figure measures a whole period, so only a period that is over


def is_reportable(
    first_day: datetime.date, last_day: datetime.date, today: datetime.date, when: ReportableFrom
) -> bool:
    """Whether the period from first_day to last_day may be reported on today.

    The one rule shared by monthly progress updates (reportable once the month has started) and
    indicator values (reportable once their period has ended).
    """
    return today >= (first_day if when is ReportableFrom.START else last_day + datetime.timedelta(days=1))
