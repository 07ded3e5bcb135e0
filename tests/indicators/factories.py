"""Indicators, baselines, targets and values for tests, written through the services like real ones."""

import datetime
from decimal import Decimal

from masar.core.models import Classification
from masar.core.services import model_create
from masar.indicators.checks import Entry
from masar.indicators.models import Baseline, Indicator, Target, TargetKind
from masar.indicators.services import measurement_approve, measurement_record


def make_indicator(code, owner, **extra):
    data = dict(
        code=code,
        name_ar=f"مؤشر {code}",
        name_fr=f"Indicateur {code}",
        unit_ar="عدد",
        unit_fr="nombre",
        owner=owner,
        classification=Classification.PUBLIC,
        kind="count",
        frequency="yearly",
        disaggregation="national",
        aggregation="sum",
    )
    data.update(extra)
    return model_create(model=Indicator, actor=None, data=data)


def set_baseline(indicator, day, value, region=None):
    return model_create(
        model=Baseline, actor=None, data=dict(indicator=indicator, date=day, value=Decimal(str(value)), region=region)
    )


def add_target(indicator, period, value, region=None, kind=TargetKind.TARGET):
    return model_create(
        model=Target,
        actor=None,
        data=dict(indicator=indicator, period=period, value=Decimal(str(value)), region=region, kind=kind),
    )


def entry(period, value=None, **extra):
    numbers = {
        k: (None if v is None else Decimal(str(v)))
        for k, v in extra.items()
        if k in ("numerator", "denominator", "weight")
    }
    others = {k: v for k, v in extra.items() if k not in numbers}
    return Entry(period=period, value=None if value is None else Decimal(str(value)), **numbers, **others)


def approved(indicator, period, value=None, *, by, approver, **extra):
    """Record a value submitted by `by` and approved by `approver`; return it approved."""
    measurement = measurement_record(actor=by, indicator=indicator, entry=entry(period, value, **extra), submit=True)
    return measurement_approve(actor=approver, measurement=measurement)


def year(y):
    return datetime.date(y, 1, 1)


def indicator_with_trajectory(code, owner, baseline, target, **extra):
    indicator = make_indicator(code, owner, jump_threshold=10, **extra)
    set_baseline(indicator, datetime.date(2020, 1, 1), baseline)
    add_target(indicator, year(2025), target)
    return indicator


def expected_at(baseline, target, y):
    """The linear trajectory from 2020-01 to 2025-01 at January of year y."""
    return baseline + (target - baseline) * (y - 2020) / 5


def attainment(baseline, target, y, value):
    return min(max((value - baseline) / (expected_at(baseline, target, y) - baseline), 0), 1)
