"""Rows of indicator values, written one by one through the indicator services (the small-file and SQLite path).

The rules are those of the value form and the spreadsheet upload (masar.indicators.checks), applied
by `measurement_record` / `measurement_update`; rows are written in period order so that a value
is checked against the previous period given in the same file.
"""

from __future__ import annotations

import datetime
from typing import Any

from masar.core import policy
from masar.imports.handlers import (
    CREATED,
    UNCHANGED,
    UPDATED,
    References,
    RowRefused,
    by_code,
    duplicate_keys,
    key_of,
    refuse_unless,
)
from masar.imports.reasons import problem
from masar.indicators.checks import Entry
from masar.indicators.models import Disaggregation, Indicator, Measurement
from masar.indicators.periods import is_period_reportable, period_key, period_start
from masar.indicators.services import measurement_record, measurement_update
from masar.organizations.models import Organization, Region

NUMBERS = ("value", "numerator", "denominator", "weight")


class MeasurementRows:
    def __init__(self, *, actor: Any):
        self.actor = actor
        self.refs = References(Measurement)

    def prepare(self, rows: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
        self.indicators = by_code(Indicator, {v["indicator"] for _n, v in rows})
        self.regions = by_code(Region, {v["region"] for _n, v in rows if v.get("region")})
        self.organizations = by_code(Organization, {v["organization"] for _n, v in rows if v.get("organization")})
        # Whether the importer enters values of each indicator: asked once per indicator, not per row.
        self.allowed = {code: policy.may_enter_values(self.actor, i) for code, i in self.indicators.items()}
        self.refs.load({key_of(v) for _n, v in rows})
        found = []
        for number, values in rows:
            found += self._check(number, values)
        for number, other in duplicate_keys(rows, key_of).items():
            found.append(problem(number, "external_id", "duplicate_row", other=other))
        placed = [(n, v) for n, v in rows if v.get("period") and v["indicator"] in self.indicators]
        for number, other in duplicate_keys(placed, self._cell_key).items():
            found.append(problem(number, "period", "duplicate_row", other=other))
        return found

    def _cell_key(self, values):
        """Return what one value is the value of: indicator, period and the place its disaggregation reads."""
        disaggregation = self.indicators[values["indicator"]].disaggregation
        region = values.get("region") if disaggregation == Disaggregation.REGION else None
        organization = values.get("organization") if disaggregation == Disaggregation.ORGANIZATION else None
        return (values["indicator"], values["period"], region, organization)

    def _check(self, number, values):
        indicator = self.indicators.get(values["indicator"])
        if indicator is None:
            return [problem(number, "indicator", "unknown_indicator", value=values["indicator"])]
        found = []
        for column, known, code in (
            ("region", self.regions, "unknown_region"),
            ("organization", self.organizations, "unknown_organization"),
        ):
            if values.get(column) and values[column] not in known:
                found.append(problem(number, column, code, value=values[column]))
        if values.get("period") is None:
            return found
        start = period_start(values["period"], indicator.frequency)
        if start != values["period"]:
            found.append(problem(number, "period", "period_not_start", expected=period_key(start, indicator.frequency)))
        elif not is_period_reportable(start, indicator.frequency, _today()):
            found.append(problem(number, "period", "period_not_ended", value=period_key(start, indicator.frequency)))
        return found

    def order(self, rows: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
        """Write the values of each series in period order (the jump rule compares with the period before)."""
        # A period that does not read is None: such a row is refused already and sorts first.
        return sorted(rows, key=lambda row: (row[1]["indicator"] or "", row[1]["period"] or datetime.date.min, row[0]))

    def _entry(self, indicator, values):
        return Entry(
            period=values["period"],
            region=self.regions.get(values.get("region") or "")
            if indicator.disaggregation == Disaggregation.REGION
            else None,
            organization=(
                self.organizations.get(values.get("organization") or "")
                if indicator.disaggregation == Disaggregation.ORGANIZATION
                else None
            ),
            comment=values.get("comment") or "",
            **{name: values.get(name) for name in NUMBERS},
        )

    def write(self, number: int, values: dict[str, Any]) -> str:
        indicator = self.indicators[values["indicator"]]
        refuse_unless(self.allowed[values["indicator"]], "indicator")
        key = key_of(values)
        entry = self._entry(indicator, values)
        measurement = self.refs.find(key)
        if measurement is None:
            measurement = measurement_record(
                actor=self.actor, indicator=indicator, entry=entry, submit=True, source=values["source_system"]
            )
            self.refs.link(key, measurement)
            return CREATED
        if measurement.indicator_id != indicator.pk:
            raise RowRefused("indicator", "code_taken", value=values["indicator"])
        if _same(measurement, entry):
            return UNCHANGED
        measurement_update(
            actor=self.actor, measurement=measurement, expected_version=measurement.version, entry=entry, submit=True
        )
        return UPDATED


def _same(measurement, entry):
    stored = (measurement.period, measurement.region_id, measurement.organization_id, measurement.comment)
    given = (entry.period, *entry.cell, entry.comment.strip())
    if stored != given:
        return False
    if entry.numerator is not None or entry.denominator is not None:
        return (measurement.numerator, measurement.denominator) == (entry.numerator, entry.denominator)
    return measurement.value == entry.value and measurement.weight == entry.weight


def _today():
    return datetime.date.today()
