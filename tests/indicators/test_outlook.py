"""The outlook of an indicator: whether its forecast interval reaches the target."""

from masar.indicators.trajectory import Forecast, Outlook, outlook_of


def band(low, high):
    return Forecast(x=0.0, value=(low + high) / 2, low=low, high=high, points_used=5)


def test_the_target_is_likely_when_the_whole_interval_reaches_it():
    assert outlook_of(band(80, 90), 80) == Outlook.LIKELY
    assert outlook_of(band(81, 90), 80) == Outlook.LIKELY


def test_the_target_is_possible_when_only_part_of_the_interval_reaches_it():
    assert outlook_of(band(70, 90), 80) == Outlook.POSSIBLE
    assert outlook_of(band(70, 80), 80) == Outlook.POSSIBLE


def test_the_target_is_unlikely_when_the_interval_falls_short():
    assert outlook_of(band(60, 79), 80) == Outlook.UNLIKELY


def test_when_lower_is_better_the_interval_must_lie_below_the_target():
    assert outlook_of(band(5, 9), 10, higher_is_better=False) == Outlook.LIKELY
    assert outlook_of(band(5, 12), 10, higher_is_better=False) == Outlook.POSSIBLE
    assert outlook_of(band(11, 12), 10, higher_is_better=False) == Outlook.UNLIKELY


def test_there_is_no_outlook_without_a_forecast_or_a_target():
    assert outlook_of(None, 80) is None
    assert outlook_of(band(1, 2), None) is None
