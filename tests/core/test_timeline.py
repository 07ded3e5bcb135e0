"""One time axis for every timeline: positions and bars in percent of its length."""

import datetime

from masar.core.timeline import Bar, Timeline

D = datetime.date
AXIS = Timeline(D(2024, 1, 1), D(2024, 12, 31))  # 365 days


def test_a_day_is_placed_by_its_share_of_the_axis():
    assert AXIS.at(D(2024, 1, 1)) == 0
    assert AXIS.at(D(2024, 12, 31)) == 100
    assert AXIS.at(D(2024, 7, 1)) == round(100 * 182 / 365, 3)


def test_days_off_the_axis_are_held_at_its_ends():
    assert AXIS.at(D(2023, 6, 1)) == 0
    assert AXIS.at(D(2026, 1, 1)) == 100


def test_a_bar_starts_where_its_start_falls_and_spans_its_length():
    assert AXIS.bar(D(2024, 1, 1), D(2024, 7, 1)) == Bar(at=0, width=round(100 * 182 / 365, 3))
    bar = AXIS.bar(D(2024, 4, 1), D(2024, 5, 1))
    assert bar.at == round(100 * 91 / 365, 3) and bar.width == round(100 * 30 / 365, 3)


def test_a_bar_is_cut_to_the_axis_and_has_no_width_off_it():
    assert AXIS.bar(D(2023, 7, 1), D(2024, 7, 1)) == Bar(at=0, width=round(100 * 182 / 365, 3))
    assert AXIS.bar(D(2024, 7, 1), D(2026, 1, 1)).width == round(100 - 100 * 182 / 365, 3)
    assert AXIS.bar(D(2025, 2, 1), D(2025, 3, 1)).width == 0
    assert AXIS.bar(D(2024, 5, 1), D(2024, 4, 1)).width == 0  # an end before the start draws nothing


def test_an_axis_of_one_day_does_not_divide_by_zero():
    day = Timeline(D(2024, 1, 1), D(2024, 1, 1))
    assert day.at(D(2024, 1, 1)) == 0 and day.at(D(2024, 1, 2)) == 100


def test_the_years_are_marked_at_their_first_day():
    axis = Timeline(D(2024, 1, 1), D(2025, 12, 31))
    assert axis.years() == [(2024, 0), (2025, round(100 * 366 / 730, 3))]
