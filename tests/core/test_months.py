"""When a period may be reported on: the one rule shared by monthly updates and indicator values."""

import datetime

import pytest

from masar.core.months import ReportableFrom, is_reportable

NOVEMBER = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))


@pytest.mark.parametrize(
    "today,when,expected",
    [
        (datetime.date(2026, 10, 31), ReportableFrom.START, False),
        (datetime.date(2026, 11, 1), ReportableFrom.START, True),
        (datetime.date(2026, 11, 30), ReportableFrom.END, False),
        (datetime.date(2026, 12, 1), ReportableFrom.END, True),
    ],
)
def test_a_period_is_reportable_once_it_has_started_or_once_it_has_ended(today, when, expected):
    assert is_reportable(*NOVEMBER, today, when) is expected
