"""Trajectories, judgements and forecasts, on figures worked out by hand."""

import datetime
import math

import pytest

from masar.indicators.trajectory import AT_RISK, NOT_JUDGED, OFF_TRACK, ON_TRACK, Trajectory, forecast, month_x


def x(y, m=1):
    return month_x(datetime.date(y, m, 1))


def test_a_linear_trajectory_runs_from_the_baseline_through_each_target_then_holds():
    path = Trajectory(baseline=(x(2020), 40.0), points=[(x(2024), 80.0), (x(2026), 90.0)])
    assert path.expected_at(x(2019)) is None
    assert path.expected_at(x(2022)) == pytest.approx(60.0)
    assert path.expected_at(x(2025)) == pytest.approx(85.0)
    assert path.expected_at(x(2030)) == pytest.approx(90.0)


def test_values_are_judged_within_tolerance_bands_of_the_expected_value():
    path = Trajectory(baseline=(x(2020), 0.0), points=[(x(2025), 100.0)], on_track=0.05, at_risk=0.15)
    # Expected 80 in 2024: on track down to 76, at risk down to 68, off track below.
    assert path.judge(x(2024), 76.0).status == ON_TRACK
    assert path.judge(x(2024), 95.0).status == ON_TRACK
    assert path.judge(x(2024), 75.9).status == AT_RISK
    assert path.judge(x(2024), 68.0).status == AT_RISK
    assert path.judge(x(2024), 67.9).status == OFF_TRACK
    assert path.judge(x(2024), 60.0).attainment == pytest.approx(60 / 80)
    assert path.judge(x(2024), 95.0).attainment == 1.0
    assert path.judge(x(2024), -5.0).attainment == 0.0
    assert path.judge(x(2019), 10.0).status == NOT_JUDGED


def test_when_lower_is_better_the_bands_lie_above_the_trajectory():
    path = Trajectory(baseline=(x(2020), 21.0), points=[(x(2026), 9.0)], higher_is_better=False)
    # Expected 21 − 12 × 4/6 = 13 days in 2024: 13.65 is the on-track edge.
    assert path.judge(x(2024), 12.0).status == ON_TRACK
    assert path.judge(x(2024), 13.6).status == ON_TRACK
    assert path.judge(x(2024), 14.0).status == AT_RISK
    assert path.judge(x(2024), 16.0).status == OFF_TRACK
    assert path.judge(x(2024), 17.0).attainment == pytest.approx((21 - 17) / (21 - 13))


def test_a_custom_trajectory_goes_through_its_intermediate_points():
    path = Trajectory(baseline=(x(2024), 0.0), points=[(x(2025), 60.0), (x(2027), 300.0)])
    assert path.expected_at(x(2024, 7)) == pytest.approx(30.0)
    assert path.expected_at(x(2026)) == pytest.approx(180.0)


def test_the_forecast_extends_the_recent_trend_with_a_widening_interval():
    series = [(x(2020), 10.0), (x(2021), 14.0), (x(2022), 15.0), (x(2023), 21.0), (x(2024), 22.0)]
    target = x(2026)
    result = forecast(series, target)
    xs, ys = [p[0] for p in series], [p[1] for p in series]
    n, mx, my = len(xs), sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((v - mx) ** 2 for v in xs)
    slope = sum((a - mx) * (b - my) for a, b in zip(xs, ys, strict=True)) / sxx
    value = my + slope * (target - mx)
    s = math.sqrt(sum((b - (my + slope * (a - mx))) ** 2 for a, b in zip(xs, ys, strict=True)) / (n - 2))
    half = 2.353 * s * math.sqrt(1 + 1 / n + (target - mx) ** 2 / sxx)  # Student's t, 3 degrees of freedom, 90 %
    assert result.value == pytest.approx(value)
    assert (result.low, result.high) == (pytest.approx(value - half), pytest.approx(value + half))
    nearer = forecast(series, x(2025))
    assert nearer.high - nearer.low < result.high - result.low


def test_no_forecast_from_fewer_than_three_values():
    assert forecast([(x(2023), 1.0), (x(2024), 2.0)], x(2026)) is None
