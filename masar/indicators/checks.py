"""The rules a value must pass before it is saved, for one value typed in a form or a whole spreadsheet."""

import datetime
import math
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from babel.numbers import format_percent
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from masar.core.errors import LinkedMessage
from masar.core.templatetags.masar import babel_locale, fmt_number
from masar.indicators.models import Disaggregation, Indicator, IndicatorKind, Measurement, MeasurementStatus
from masar.indicators.periods import (
    QUANTUM,
    is_period_reportable,
    is_period_start,
    not_reportable_message,
    period_label,
    previous_period,
)

OUTLIER_Z = 3.0
OUTLIER_MIN_SERIES = 5


@dataclass
class Entry:
    """One value as typed, before it is saved."""

    period: datetime.date
    region: object = None
    organization: object = None
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    weight: Decimal | None = None
    comment: str = ""

    @property
    def cell(self):
        return (getattr(self.region, "pk", None), getattr(self.organization, "pk", None))


@dataclass
class Checked:
    """What the checks found: errors refuse the value, the rest travels with it."""

    errors: list = field(default_factory=list)
    value: Decimal | None = None
    z_score: float | None = None
    needs_review: bool = False


def place_name(entry):
    """Return where a value was measured, as a reader names it."""
    where = entry.region or entry.organization
    return where.name if where is not None else _("the nation")


def is_jump(indicator, previous, value):
    """Whether a value moves from the previous period's by more than the indicator's jump threshold."""
    if previous == 0:
        return value != 0
    return abs(value - previous) / abs(previous) > indicator.jump_threshold


def jump_message(indicator, previous, value, before):
    """Word the refusal of an unexplained jump (the value form, uploads and imports say it alike)."""
    return _(
        "The value moves from %(previous)s in %(period)s to %(value)s, more than "
        "%(threshold)s: explain the change in a comment."
    ) % {
        "previous": fmt_number(previous),
        "value": fmt_number(value),
        "period": period_label(before, indicator.frequency),
        "threshold": _percent(indicator.jump_threshold),
    }


def _percent(share):
    return format_percent(share, locale=babel_locale(), decimal_quantization=False, format="#,##0.#%")


def existing_value_message(text, pk):
    """Return text naming a value already recorded, with the link to that value's page."""
    return LinkedMessage(
        text, url=reverse("indicators-measurement-edit", args=[pk]), link_text=_("Open the existing value")
    )


class MeasurementChecker:
    """Apply the entry rules to one value or to a whole upload.

    Rules: the region or organization fits the indicator's disaggregation; the period is one of the
    indicator's and has ended; bounds (percentages 0–100, counts whole and not negative, declared
    limits); a ratio's numerator does not exceed its denominator where declared (also across the
    two component indicators of a derived ratio); one value per period and place; a change larger
    than the indicator's jump threshold against the previous period needs a comment. A value more
    than three standard deviations from the rest of its series is accepted but flagged for review.

    For an upload, `add_pending` every row first so the rows see each other (a jump against the
    previous month given in the same file, the series with the file's other values).
    """

    def __init__(self, indicator, *, exclude_pk=None, today=None):
        self.indicator = indicator
        self.exclude_pk = exclude_pk
        self.today = today or datetime.date.today()
        self._existing = {}  # indicator id -> {cell: {period: (pk, status, value)}}
        self.pending = {}  # cell -> {period: value}
        self._bounded = None

    def _rows(self, indicator_id, cells):
        known = self._existing.setdefault(indicator_id, {})
        missing = {cell for cell in cells if cell not in known}
        if missing:
            queryset = Measurement.objects.filter(indicator_id=indicator_id)
            regions = {r for r, _o in missing if r}
            organizations = {o for _r, o in missing if o}
            condition = Q(region__isnull=True, organization__isnull=True) if (None, None) in missing else Q(pk__in=[])
            if regions:
                condition |= Q(region_id__in=regions)
            if organizations:
                condition |= Q(organization_id__in=organizations)
            for cell in missing:
                known[cell] = {}
            for pk, period, region_id, organization_id, status, value in queryset.filter(condition).values_list(
                "pk", "period", "region_id", "organization_id", "status", "value"
            ):
                known.setdefault((region_id, organization_id), {})[period] = (pk, status, value)
        return known

    def existing(self, cell, indicator_id=None):
        indicator_id = indicator_id or self.indicator.pk
        rows = self._rows(indicator_id, {cell})[cell]
        if indicator_id == self.indicator.pk and self.exclude_pk:
            rows = {p: row for p, row in rows.items() if row[0] != self.exclude_pk}
        return rows

    def preload(self, entries):
        """Read the stored values of every place of entries at once (one query per indicator, not per place)."""
        cells = {entry.cell for entry in entries}
        self._rows(self.indicator.pk, cells)
        for other, _is_numerator in self.bounded_partners():
            self._rows(other.pk, cells)

    def add_pending(self, entry, value):
        self.pending.setdefault(entry.cell, {})[entry.period] = value

    def _known_value(self, cell, period):
        """Return the value for a period from this upload, else from the database (rejected values aside)."""
        pending = self.pending.get(cell, {})
        if period in pending:
            return pending[period]
        row = self.existing(cell).get(period)
        if row and row[1] != MeasurementStatus.REJECTED:
            return row[2]
        return None

    def bounded_partners(self):
        """Return [(other indicator, whether this one is the numerator)] of ratios that bound their numerator."""
        if self._bounded is None:
            self._bounded = []
            ratios = Indicator.objects.filter(
                Q(numerator=self.indicator) | Q(denominator=self.indicator),
                numerator_within_denominator=True,
            ).select_related("numerator", "denominator")
            for ratio in ratios:
                if ratio.numerator_id == self.indicator.pk:
                    self._bounded.append((ratio.denominator, True))
                else:
                    self._bounded.append((ratio.numerator, False))
        return self._bounded

    def check(self, entry):
        """Return a Checked with the errors of entry, its value and its outlier flag."""
        indicator = self.indicator
        result = Checked()
        errors = result.errors
        self._check_cell(entry, errors)
        self._check_period(entry, errors)
        if indicator.is_derived:
            errors.append(
                (
                    "value",
                    _(
                        "The values of this indicator are computed from %(numerator)s and %(denominator)s: "
                        "enter those instead."
                    )
                    % {"numerator": indicator.numerator.name, "denominator": indicator.denominator.name},
                )
            )
            return result
        value = self._check_value(entry, errors)
        result.value = value
        if indicator.effective_aggregation() == "weighted_mean":
            if entry.weight is None:
                errors.append(("weight", _("This indicator is averaged with weights: give the weight of this value.")))
            elif entry.weight <= 0:
                errors.append(("weight", _("The weight must be greater than zero.")))
        if errors or value is None:
            return result
        self._check_partners(entry, value, errors)
        self._check_duplicate(entry, errors)
        self._check_jump(entry, value, errors)
        self._flag_outlier(entry, value, result)
        return result

    def _check_cell(self, entry, errors):
        indicator = self.indicator
        if indicator.disaggregation == Disaggregation.REGION:
            if entry.region is None:
                errors.append(("region", _("Give the region of this value.")))
            elif entry.region.kind != indicator.region_level:
                errors.append(
                    (
                        "region",
                        _("%(region)s is not one of the regions this indicator is measured in.")
                        % {"region": entry.region.name},
                    )
                )
            if entry.organization is not None:
                errors.append(("organization", _("This indicator is measured by region, not by organization.")))
        elif indicator.disaggregation == Disaggregation.ORGANIZATION:
            if entry.organization is None:
                errors.append(("organization", _("Give the organization of this value.")))
            if entry.region is not None:
                errors.append(("region", _("This indicator is measured by organization, not by region.")))
        elif entry.region is not None or entry.organization is not None:
            errors.append(("region", _("This indicator has one national value per period.")))

    def _check_period(self, entry, errors):
        if entry.period is None:
            errors.append(("period", _("Give the period of this value.")))
        elif not is_period_start(entry.period, self.indicator.frequency):
            errors.append(("period", _("%(period)s is not a period of this indicator.") % {"period": entry.period}))
        elif not is_period_reportable(entry.period, self.indicator.frequency, self.today):
            errors.append(("period", not_reportable_message(entry.period, self.indicator.frequency)))

    def _check_value(self, entry, errors):
        indicator = self.indicator
        if indicator.kind == IndicatorKind.RATIO:
            if entry.numerator is None:
                errors.append(("numerator", _("Give the numerator.")))
            if entry.denominator is None:
                errors.append(("denominator", _("Give the denominator.")))
            if entry.numerator is None or entry.denominator is None:
                return None
            if entry.denominator <= 0:
                errors.append(("denominator", _("The denominator must be greater than zero.")))
                return None
            if entry.numerator < 0:
                errors.append(("numerator", _("The numerator cannot be negative.")))
            if indicator.numerator_within_denominator and entry.numerator > entry.denominator:
                errors.append(
                    (
                        "numerator",
                        _(
                            "The numerator (%(numerator)s) cannot exceed the denominator "
                            "(%(denominator)s) for this indicator."
                        )
                        % {"numerator": fmt_number(entry.numerator), "denominator": fmt_number(entry.denominator)},
                    )
                )
            value = (entry.numerator / entry.denominator * indicator.factor).quantize(QUANTUM, rounding=ROUND_HALF_EVEN)
        else:
            if entry.value is None:
                errors.append(("value", _("Give the value.")))
                return None
            value = entry.value
            if indicator.kind == IndicatorKind.COUNT and value != value.to_integral_value():
                errors.append(
                    ("value", _("A count is a whole number; %(value)s is not.") % {"value": fmt_number(value)})
                )
        low, high = indicator.bounds()
        if low is not None and value < low or high is not None and value > high:
            if indicator.kind == IndicatorKind.PERCENTAGE:
                message = _("A percentage lies between 0 and 100; %(value)s does not.")
            elif indicator.kind == IndicatorKind.COUNT and (low is None or low == 0) and value < 0:
                message = _("A count cannot be negative; %(value)s is.")
            elif high is None:
                message = _("%(value)s is below the lowest acceptable value, %(low)s.")
            elif low is None:
                message = _("%(value)s is above the highest acceptable value, %(high)s.")
            else:
                message = _("%(value)s is outside the acceptable range, %(low)s to %(high)s.")
            field_name = "numerator" if indicator.kind == IndicatorKind.RATIO else "value"
            errors.append(
                (field_name, message % {"value": fmt_number(value), "low": fmt_number(low), "high": fmt_number(high)})
            )
        return value

    def _check_partners(self, entry, value, errors):
        for other, this_is_numerator in self.bounded_partners():
            row = self._rows(other.pk, {entry.cell})[entry.cell].get(entry.period)
            if row is None or row[1] == MeasurementStatus.REJECTED:
                continue
            other_value = row[2]
            if this_is_numerator and value > other_value:
                errors.append(
                    (
                        "value",
                        _(
                            "%(value)s exceeds the value of %(other)s for the same period and place "
                            "(%(other_value)s), which must not be below it."
                        )
                        % {"value": fmt_number(value), "other": other.name, "other_value": fmt_number(other_value)},
                    )
                )
            elif not this_is_numerator and value < other_value:
                errors.append(
                    (
                        "value",
                        _(
                            "%(value)s is below the value of %(other)s for the same period and place "
                            "(%(other_value)s), which must not exceed it."
                        )
                        % {"value": fmt_number(value), "other": other.name, "other_value": fmt_number(other_value)},
                    )
                )

    def _check_duplicate(self, entry, errors):
        row = self.existing(entry.cell).get(entry.period)
        if row is None:
            return
        params = {"period": period_label(entry.period, self.indicator.frequency), "place": place_name(entry)}
        if row[1] == MeasurementStatus.APPROVED:
            message = _("The value for %(period)s and %(place)s is approved: the period is locked.")
        else:
            message = _("A value for %(period)s and %(place)s already exists: change that one instead.")
        errors.append(("period", existing_value_message(message % params, row[0])))

    def _check_jump(self, entry, value, errors):
        if entry.comment.strip():
            return
        before = previous_period(entry.period, self.indicator.frequency)
        previous = self._known_value(entry.cell, before)
        if previous is not None and is_jump(self.indicator, previous, value):
            errors.append(("comment", jump_message(self.indicator, previous, value, before)))

    def _flag_outlier(self, entry, value, result):
        series = {p: row[2] for p, row in self.existing(entry.cell).items() if row[1] != MeasurementStatus.REJECTED}
        series.update(self.pending.get(entry.cell, {}))
        series.pop(entry.period, None)
        values = [float(v) for v in series.values() if v is not None]
        if len(values) < OUTLIER_MIN_SERIES:
            return
        mean = statistics.fmean(values)
        spread = statistics.stdev(values)
        if spread == 0:
            result.needs_review = float(value) != mean
            return
        z = (float(value) - mean) / spread
        result.z_score = round(z, 3)
        result.needs_review = math.fabs(z) > OUTLIER_Z
