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
