"""Calendar months: the periods of monthly reporting."""

import calendar
import datetime


def month_start(day: datetime.date) -> datetime.date:
    """Return the first day of the day's month."""
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    """Return the last day of the day's month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def previous_month(day: datetime.date) -> datetime.date:
    """Return the first day of the month before the day's month."""
    return month_start(month_start(day) - datetime.timedelta(days=1))
