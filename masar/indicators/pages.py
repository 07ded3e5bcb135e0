"""What an indicator's page shows the same to every reader, computed only when its cached fragment is missing.

The figures, chart, targets, definition and breakdown of an indicator depend on its approved values,
baselines, targets and definition alone, never on who reads: the page keeps their rendered HTML in the
cache, keyed by the indicator, the data version (every change writes an audit entry) and the language.
IndicatorFacts computes each part on first use, so a page served from the cache runs none of it.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language

from masar.audit.models import AuditEntry
from masar.indicators import charts
from masar.indicators.selectors import Overview, breakdown_map, indicator_overview
from masar.indicators.trajectory import outlook_of

if TYPE_CHECKING:
    from masar.indicators.models import Indicator

FACTS_CACHE_SECONDS = 3600  # the key changes with the data; the time only bounds what a deployment leaves behind


class IndicatorFacts:
    """The reader-independent part of an indicator's page; each part is computed once, on first use."""

    def __init__(self, indicator: Indicator) -> None:
        self.indicator = indicator

    @cached_property
    def cache_key(self) -> str:
        """Return what names these facts in the cache: they change with any data and differ by language."""
        return f"{self.indicator.pk}:{AuditEntry.objects.data_version()}:{get_language()}"

    @cached_property
    def overview(self) -> Overview:
        return indicator_overview(self.indicator)

    @cached_property
    def outlook_verdict(self) -> Any:
        target = self.overview.outlook_target
        target_value = target.value if target is not None else None
        return outlook_of(self.overview.outlook, target_value, higher_is_better=self.indicator.higher_is_better)

    @cached_property
    def chart(self) -> dict[str, Any] | None:
        overview = self.overview
        return charts.indicator_chart(
            self.indicator, overview.points, overview.trajectory, overview.outlook, overview.targets
        )

    @cached_property
    def breakdown_chart(self) -> dict[str, Any] | None:
        return charts.breakdown_chart(self.indicator, self.overview.breakdown)

    @cached_property
    def breakdown_map(self) -> Any:
        return breakdown_map(self.indicator, self.overview.breakdown)
