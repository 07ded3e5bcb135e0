"""Trajectories, judgements and forecasts: plain arithmetic on (time, value) points, no database.

Time is counted in months (x = year × 12 + month − 1 + day fraction) so monthly, quarterly and
yearly series share one axis.
"""

import calendar
import datetime
import functools
import math
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class JudgementStatus(models.TextChoices):
    """How a value stands against its trajectory."""

    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NOT_JUDGED = "not_judged", _("Not judged")


class Outlook(models.TextChoices):
    """Whether a forecast says the target will be met."""

    LIKELY = "likely", _("The target is likely to be met.")
    POSSIBLE = "possible", _("The target may be met, but the uncertainty spans it.")
    UNLIKELY = "unlikely", _("At this pace the target will not be met.")


ON_TRACK = JudgementStatus.ON_TRACK
AT_RISK = JudgementStatus.AT_RISK
OFF_TRACK = JudgementStatus.OFF_TRACK
NOT_JUDGED = JudgementStatus.NOT_JUDGED

# Student's t at 95 % one-sided (a 90 % two-sided interval), by degrees of freedom.
_T90 = [
    6.314,
    2.920,
    2.353,
    2.132,
    2.015,
    1.943,
    1.895,
    1.860,
    1.833,
    1.812,
    1.796,
    1.782,
    1.771,
    1.761,
    1.753,
    1.746,
    1.740,
    1.734,
    1.729,
    1.725,
    1.721,
    1.717,
    1.714,
    1.711,
    1.708,
    1.706,
    1.703,
    1.701,
    1.699,
    1.697,
]
FORECAST_LEVEL = 0.90


@functools.lru_cache(maxsize=8192)
def month_x(day):
    """Return the position of a date on the month axis (cached: the same few periods recur by thousands)."""
    days = calendar.monthrange(day.year, day.month)[1]
    return day.year * 12 + (day.month - 1) + (day.day - 1) / days


def x_to_date(x):
    """Return the first day of the month at position x (the inverse of month_x for first days)."""
    whole = int(math.floor(x + 1e-9))
    return datetime.date(whole // 12, whole % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class Judgement:
    expected: float | None
    status: str
    attainment: float | None  # 0 … 1: the share of the expected progress achieved


class Trajectory:
    """A piecewise-linear path from the baseline through the targets (and custom intermediate points).

    Before the baseline nothing is expected; after the last target the last target's value stands.
    """

    def __init__(self, *, baseline, points, higher_is_better=True, on_track=0.05, at_risk=0.15):
        """baseline: (x, value) or None; points: [(x, value)] of the targets (and waypoints) in any order."""
        self.baseline = baseline
        self.points = sorted(p for p in points if baseline is None or p[0] > baseline[0])
        self.sign = 1 if higher_is_better else -1
        self.on_track = on_track if isinstance(on_track, float) else float(on_track)
        self.at_risk = at_risk if isinstance(at_risk, float) else float(at_risk)

    @property
    def is_defined(self):
        return self.baseline is not None and bool(self.points)

    @property
    def vertices(self):
        return [self.baseline, *self.points] if self.is_defined else []

    @property
    def end(self):
        return self.points[-1] if self.points else None

    def expected_at(self, x):
        """Return the value the trajectory expects at x, or None outside it."""
        if not self.is_defined or x < self.baseline[0] - 1e-9:
            return None
        vertices = self.vertices
        for (x0, y0), (x1, y1) in zip(vertices, vertices[1:], strict=False):
            if x <= x1:
                return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        return vertices[-1][1]

    def _scale(self, expected):
        if expected:
            return abs(expected)
        span = abs(self.end[1] - self.baseline[1]) if self.is_defined else 0
        return span or 1.0

    def band(self, x):
        """Return (expected, on-track edge, at-risk edge) at x: below the edges (above, when lower is better)."""
        expected = self.expected_at(x)
        if expected is None:
            return None
        scale = self._scale(expected)
        return (
            expected,
            expected - self.sign * self.on_track * scale,
            expected - self.sign * self.at_risk * scale,
        )

    def judge(self, x, value):
        """Return how value at x compares with the trajectory: status and attainment."""
        expected = self.expected_at(x)
        if expected is None or value is None:
            return Judgement(expected, NOT_JUDGED, None)
        scale = self._scale(expected)
        gap = (value - expected) * self.sign
        if gap >= -self.on_track * scale - 1e-12:
            status = ON_TRACK
        elif gap >= -self.at_risk * scale - 1e-12:
            status = AT_RISK
        else:
            status = OFF_TRACK
        expected_progress = (expected - self.baseline[1]) * self.sign
        if expected_progress > 1e-12:
            attainment = min(max((value - self.baseline[1]) * self.sign / expected_progress, 0.0), 1.0)
        else:
            # Nothing to gain yet: full marks for holding the line, half for a slip within the at-risk band.
            attainment = {ON_TRACK: 1.0, AT_RISK: 0.5, OFF_TRACK: 0.0}[status]
        return Judgement(expected, status, attainment)


@dataclass(frozen=True)
class Forecast:
    x: float
    value: float
    low: float
    high: float
    points_used: int
    level: float = FORECAST_LEVEL


def forecast(series, x_target, *, last=12):
    """Return the value expected at x_target from a straight line fitted to the last values of series.

    series: [(x, value)] in time order. The interval is the 90 % prediction interval of an ordinary
    least-squares line: it widens with the scatter of the points and the distance to x_target.
    Returns None with fewer than three points or when x_target is not after the last point.
    """
    points = [(x, y) for x, y in series if y is not None][-last:]
    n = len(points)
    if n < 3 or x_target <= points[-1][0]:
        return None
    mean_x = sum(x for x, _y in points) / n
    mean_y = sum(y for _x, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _y in points)
    if sxx == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    intercept = mean_y - slope * mean_x
    residual = sum((y - (intercept + slope * x)) ** 2 for x, y in points)
    s = math.sqrt(residual / (n - 2))
    df = n - 2
    t = _T90[df - 1] if df <= len(_T90) else 1.645
    value = intercept + slope * x_target
    half = t * s * math.sqrt(1 + 1 / n + (x_target - mean_x) ** 2 / sxx)
    return Forecast(x=x_target, value=value, low=value - half, high=value + half, points_used=n)


def weighted_score(rows):
    """Return Σ weight × attainment ÷ Σ weight over the rows that have an attainment, or None."""
    total = sum(weight for weight, attainment in rows if attainment is not None)
    if not total:
        return None
    return sum(weight * attainment for weight, attainment in rows if attainment is not None) / total


def outlook_of(outlook, target_value, *, higher_is_better=True):
    """Return whether the target will be met: likely when the whole forecast interval reaches it,
    possible when only part of it does, unlikely otherwise; None without a forecast."""
    if outlook is None or target_value is None:
        return None
    sign = 1 if higher_is_better else -1
    target_value = float(target_value)
    # The pessimistic edge of the interval is its low end when higher is better, its high end otherwise.
    worst, best = (outlook.low, outlook.high) if higher_is_better else (outlook.high, outlook.low)
    if (worst - target_value) * sign >= 0:
        return Outlook.LIKELY
    if (best - target_value) * sign >= 0:
        return Outlook.POSSIBLE
    return Outlook.UNLIKELY
