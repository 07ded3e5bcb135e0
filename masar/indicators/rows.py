"""One representation of an indicator value, typed and in the reader's language: exports and the API read it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from masar.indicators.models import Measurement
from masar.indicators.periods import period_label


@dataclass(frozen=True)
class MeasurementRow:
    indicator_code: str
    indicator: str  # the indicator's name in the reader's language
    period: datetime.date
    period_label: str  # the period as its reader reads it (Q1 2026, mars 2026), never a date
    region: str | None
    organization: str | None
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    status: str


def measurement_row(measurement: Measurement, reader: Any = None) -> MeasurementRow:
    """Return the row of a value (indicator, region and organization selected), in the active language.

    A value is visible only with its indicator, so the indicator's name is the reader's to read.
    """
    return MeasurementRow(
        indicator_code=measurement.indicator.code,
        indicator=measurement.indicator.name,
        period=measurement.period,
        period_label=period_label(measurement.period, measurement.indicator.frequency),
        region=measurement.region.name if measurement.region is not None else None,
        organization=measurement.organization.name if measurement.organization is not None else None,
        value=measurement.value,
        numerator=measurement.numerator,
        denominator=measurement.denominator,
        status=str(measurement.get_status_display()),
    )
