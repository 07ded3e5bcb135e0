"""Positions on a time axis as percentages of its length: one helper for every timeline Masar draws.

Plain date arithmetic, no domain import: roadmaps, strategy phases and any later Gantt chart place
their bars with `Timeline(start, end).at(day)` and `.bar(start, end)`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

PLACES = 3  # decimals kept: a thousandth of a percent is finer than a pixel


@dataclass(frozen=True)
class Bar:
    """A stretch of the axis: where it starts and how long it is, both in percent of the axis."""

    at: float
    width: float


@dataclass(frozen=True)
class Timeline:
    """A time axis from start to end (both dates)."""

    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        """Return the axis length in days; an axis of one day still has a length."""
        return max((self.end - self.start).days, 1)

    def at(self, day: datetime.date) -> float:
        """Return where day falls on the axis, in percent from its start, held within 0-100."""
        share = 100 * (day - self.start).days / self.days
        return round(min(max(share, 0.0), 100.0), PLACES)

    def bar(self, start: datetime.date, end: datetime.date) -> Bar:
        """Return the part of start-end that lies on the axis; its width is 0 when none does."""
        left, right = self.at(start), self.at(end)
        return Bar(at=left, width=round(max(right - left, 0.0), PLACES))

    def years(self) -> list[tuple[int, float]]:
        """Return (year, position of its first day) for every year the axis touches."""
        return [(year, self.at(datetime.date(year, 1, 1))) for year in range(self.start.year, self.end.year + 1)]
