"""Demo indicators for the program the documents describe, with labelled sample values.

Documents 000 and 003 ask for the strategy to be followed "against indicators" and for national and
sectoral dashboards; they give no figures. The indicators below are the ones the 2025–2026 program
implies (services online, the unified platform, data exchange, open data, broadband coverage,
cybersecurity), owned by the ministry of communication technologies (TN-MTC), plus a few of
sample ministries; every value is a deterministic sample, marked is_sample.

The organizations and regions come from `load_demo`; this loader only looks them up by code.
"""

import datetime
import io
import random
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masar.accounts.models import User
from masar.audit.models import Action
from masar.audit.services import audit_record
from masar.core.errors import DomainError
from masar.core.months import previous_month
from masar.core.services import model_create
from masar.demo.data.indicators import definitions
from masar.demo.data.sample import GOVERNORATES as DEMO_GOVERNORATES
from masar.indicators.models import (
    Baseline,
    Indicator,
    IndicatorKind,
    Measurement,
    MeasurementStatus,
    Target,
    TargetKind,
)
from masar.indicators.periods import next_period
from masar.organizations.models import Organization, Region

SOURCE = "sample: indicators demo"
SAMPLE = {"is_sample": True, "source": SOURCE}
# The 24 Tunisian governorates (ISO 3166-2), as the demo loader creates them.
GOVERNORATES = DEMO_GOVERNORATES
SERVICE_MINISTRIES = ["TN-SMP-01", "TN-SMP-02", "TN-SMP-03", "TN-SMP-04", "TN-SMP-05", "TN-SMP-06"]
Q = Decimal("0.0001")


class DemoDataMissing(DomainError):
    default_message = gettext_lazy("The organizations and regions of the demo are not loaded: run load_demo first.")


def _d(value):
    return Decimal(str(value)).quantize(Q, rounding=ROUND_HALF_EVEN)


def _periods(first, last, frequency):
    day, result = first, []
    while day <= last:
        result.append(day)
        day = next_period(day, frequency)
    return result


def _texts(ar, fr, en, prefix="name"):
    return {f"{prefix}_ar": ar, f"{prefix}_fr": fr, f"{prefix}_en": en}


def _required():
    return ["TN-GOV", "TN-MTC", *SERVICE_MINISTRIES, "TN-SMP-01", "TN-SMP-02", "TN-SMP-03"]


def _lookup():
    organizations = {o.code: o for o in Organization.objects.filter(code__in=set(_required()))}
    regions = {r.code: r for r in Region.objects.filter(code__in=["TN", *GOVERNORATES])}
    missing = sorted(set(_required()) - set(organizations)) + [c for c in ["TN", *GOVERNORATES] if c not in regions]
    if missing:
        raise DemoDataMissing(
            _(
                "The indicators demo needs organizations and regions that are not loaded (%(codes)s): "
                "run load_demo first."
            )
            % {"codes": ", ".join(missing)}
        )
    return organizations, regions


class _Values:
    """Deterministic sample values that follow (or lag behind) each indicator's trajectory."""

    def __init__(self, code):
        self.rng = random.Random(code)

    def noisy(self, value, share):
        return value * (1 + self.rng.uniform(-share, share))


def _linear(x0, y0, x1, y1, x):
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0) if x1 != x0 else y1


def _last_periods(today):
    """Return the latest period of each frequency whose value is in on today: the month, quarter or year before."""
    quarter = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return {
        "monthly": previous_month(today),
        "quarterly": previous_month(previous_month(previous_month(quarter))),
        "yearly": datetime.date(today.year - 1, 1, 1),
    }


def _months(day):
    return day.year * 12 + day.month - 1


@transaction.atomic
def indicators_demo_load(*, stdout=None, today=None):
    """Create the demo indicators, their baselines, targets and sample values; skip what already exists (by code).

    The values run up to the latest period that is in on today (the day of the load unless given).

    Raises DemoDataMissing, naming the codes, when the organizations or regions of load_demo are missing.
    Returns {"indicators": created, "values": created}.
    """
    out = stdout or io.StringIO()
    today = today or timezone.localdate()
    organizations, regions = _lookup()
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "coord.mtc", "coord.finance"])}
    created = {"indicators": 0, "values": 0}
    indicators = {}
    for spec in definitions():
        indicator = Indicator.objects.filter(code=spec["code"]).first()
        if indicator is None:
            indicator = _create_indicator(spec, organizations, indicators)
            created["indicators"] += 1
        indicators[spec["code"]] = indicator
    for spec in definitions():
        indicator = indicators[spec["code"]]
        if indicator.is_derived or indicator.measurements.exists():
            continue
        created["values"] += _load_values(spec, indicator, organizations, regions, users, today)
    for spec in definitions():
        indicator = indicators[spec["code"]]
        if indicator.is_derived and not indicator.measurements.exists():
            created["values"] += _derive_values(indicator, users)
        _baseline_and_targets(spec, indicator, regions)
    out.write(f"indicators: created {created['indicators']} indicators and {created['values']} sample values\n")
    return created


def _create_indicator(spec, organizations, indicators):
    from masar.strategy.models import Axis, Program, Strategy

    program_strategy = Strategy.objects.filter(code="TN-PTN-2526").first()
    data = {
        "code": spec["code"],
        "name_ar": spec["name_ar"],
        "name_fr": spec["name_fr"],
        "name_en": spec["name_en"],
        "owner": organizations[spec["owner"]],
        "classification": spec.get("classification", "public"),
        "unit_ar": spec["unit"][0],
        "unit_fr": spec["unit"][1],
        "unit_en": spec["unit"][2],
        "kind": spec["kind"],
        "frequency": spec["frequency"],
        "disaggregation": spec["disaggregation"],
        "aggregation": spec["aggregation"],
        "direction": spec.get("direction", "increase"),
        "trajectory": spec.get("trajectory", "linear"),
        "factor": Decimal(spec.get("factor", 1)),
        "numerator_within_denominator": spec.get("numerator_within_denominator", False),
        **SAMPLE,
    }
    if "numerator" in spec:
        data["numerator"] = indicators[spec["numerator"]]
        data["denominator"] = indicators[spec["denominator"]]
    if "source_text" in spec:
        data.update(_texts(*spec["source_text"], prefix="data_source"))
    if "method" in spec:
        data.update(_texts(*spec["method"], prefix="method"))
    if program_strategy is not None:
        if "axis" in spec:
            data["axes"] = list(Axis.objects.filter(strategy=program_strategy, order=spec["axis"]))
        if "program" in spec:
            programs = list(Program.objects.filter(strategy=program_strategy, order=spec["program"]))
            data["programs"] = programs
            from masar.portfolio.models import Project

            data["projects"] = list(Project.objects.filter(program__in=programs).order_by("code")[:4])
    indicator = model_create(model=Indicator, actor=None, data=data)
    _link_decisions(indicator, spec.get("decisions", []))
    return indicator


def _link_decisions(indicator, orders):
    """Link the council decisions (seed 003) this indicator follows, recording the change in the audit trail."""
    if not orders:
        return
    from masar.decisions.models import Decision

    for decision in Decision.objects.filter(source__startswith="seed 003", order__in=orders):
        before = sorted(decision.indicators.values_list("pk", flat=True))
        decision.indicators.add(indicator)
        audit_record(
            actor=None,
            action=Action.UPDATE,
            instance=decision,
            changes={"indicators": [before, sorted([*before, indicator.pk])]},
        )


def _baseline_and_targets(spec, indicator, regions):
    if "baseline" not in spec:
        return
    day, value = spec["baseline"]
    if value is None:
        # The baseline of a ratio or a weighted mean is what its first sample period rolls up to.
        from masar.indicators.selectors import national_series

        series = national_series(indicator)
        value = series[0][1] if series else 0
    if not Baseline.objects.filter(indicator=indicator, region__isnull=True).exists():
        model_create(
            model=Baseline, actor=None, data={"indicator": indicator, "date": day, "value": _d(value), **SAMPLE}
        )
    for period, target in spec.get("targets", []):
        if not Target.objects.filter(indicator=indicator, region__isnull=True, period=period).exists():
            model_create(
                model=Target, actor=None, data={"indicator": indicator, "period": period, "value": _d(target), **SAMPLE}
            )
    for period, target in spec.get("waypoints", []):
        if not Target.objects.filter(indicator=indicator, region__isnull=True, period=period).exists():
            model_create(
                model=Target,
                actor=None,
                data={
                    "indicator": indicator,
                    "period": period,
                    "value": _d(target),
                    "kind": TargetKind.WAYPOINT,
                    **SAMPLE,
                },
            )
    if spec.get("sample", {}).get("kind") == "by_region":
        first = {m.region_id: m.value for m in indicator.measurements.filter(period=day)}
        for code in GOVERNORATES:
            region = regions[code]
            if region.pk not in first or Baseline.objects.filter(indicator=indicator, region=region).exists():
                continue
            model_create(
                model=Baseline,
                actor=None,
                data={"indicator": indicator, "region": region, "date": day, "value": first[region.pk], **SAMPLE},
            )
            model_create(
                model=Target,
                actor=None,
                data={
                    "indicator": indicator,
                    "region": region,
                    "period": spec["targets"][0][0],
                    "value": _d(95 if code < "TN-30" else 90),
                    **SAMPLE,
                },
            )


def _stamp(period, frequency, today):
    end = next_period(period, frequency)
    day = min(end + datetime.timedelta(days=20), today)
    moment = datetime.datetime.combine(day, datetime.time(10, 0))
    return min(timezone.make_aware(moment), timezone.now())


def _measurement(indicator, period, value, *, users, latest, today, region=None, organization=None, **numbers):
    entered_by = users.get("coord.finance" if indicator.owner.code == "TN-SMP-02" else "coord.mtc")
    approver = users.get("admin")
    moment = _stamp(period, indicator.frequency, today)
    pending = period == latest
    return Measurement(
        indicator=indicator,
        period=period,
        region=region,
        organization=organization,
        value=_d(value),
        status=MeasurementStatus.SUBMITTED if pending else MeasurementStatus.APPROVED,
        entered_by=entered_by,
        entered_at=moment,
        submitted_by=entered_by,
        submitted_at=moment,
        decided_by=None if pending else approver,
        decided_at=None if pending else moment,
        **{k: (None if v is None else _d(v)) for k, v in numbers.items()},
        **SAMPLE,
    )


def _trajectory_value(spec, period):
    (b_day, b_value), (t_day, t_value) = spec["baseline"], spec["targets"][0]
    points = sorted([(b_day, b_value), *spec.get("waypoints", []), (t_day, t_value)])
    x = _months(period)
    for (d0, y0), (d1, y1) in zip(points, points[1:], strict=False):
        if x <= _months(d1):
            return _linear(_months(d0), y0, _months(d1), y1, x)
    return points[-1][1]


def _load_values(spec, indicator, organizations, regions, users, today):
    sample = spec.get("sample", {})
    values = _Values(spec["code"])
    frequency = indicator.frequency
    last = _last_periods(today)[frequency]
    rows = []
    kind = sample.get("kind")
    if kind == "series":
        periods = _periods(sample["first"], last, frequency)
        base = spec["baseline"][1]
        for period in periods:
            expected = _trajectory_value(spec, period)
            value = base + sample["pace"] * (expected - base)
            value = max(values.noisy(value, sample["noise"]), 0)
            if indicator.kind == IndicatorKind.COUNT:
                value = round(value)
            if indicator.kind == IndicatorKind.PERCENTAGE:
                value = min(value, 100)
            rows.append(_measurement(indicator, period, value, users=users, latest=periods[-1], today=today))
    elif kind in ("services_online", "services_total"):
        periods = _periods(datetime.date(2021, 1, 1), last, frequency)
        for code in SERVICE_MINISTRIES:
            local = random.Random(code)
            total = local.randint(60, 220)
            start_share, end_share = local.uniform(0.1, 0.35), local.uniform(0.45, 0.8)
            for index, period in enumerate(periods):
                grown = round(total * (1 + 0.01 * index))
                share = _linear(0, start_share, len(periods) - 1, end_share, index)
                value = grown if kind == "services_total" else min(round(grown * share), grown)
                rows.append(
                    _measurement(
                        indicator,
                        period,
                        value,
                        users=users,
                        latest=periods[-1],
                        today=today,
                        organization=organizations[code],
                    )
                )
    elif kind == "by_organization":
        periods = _periods(sample["first"], last, frequency)
        b_value = spec["baseline"][1]
        shares = [random.Random(code).uniform(0.5, 1.5) for code in SERVICE_MINISTRIES]
        total_share = sum(shares)
        for period in periods:
            national = b_value + sample["pace"] * (_trajectory_value(spec, period) - b_value)
            for code, share in zip(SERVICE_MINISTRIES, shares, strict=True):
                value = round(values.noisy(national * share / total_share, 0.05))
                rows.append(
                    _measurement(
                        indicator,
                        period,
                        value,
                        users=users,
                        latest=periods[-1],
                        today=today,
                        organization=organizations[code],
                    )
                )
    elif kind == "by_region":
        periods = _periods(datetime.date(2021, 1, 1), last, frequency)
        for code in GOVERNORATES:
            local = random.Random(code)
            coastal = code < "TN-30" or code in ("TN-51", "TN-52", "TN-53", "TN-61")
            start = local.uniform(62, 80) if coastal else local.uniform(38, 60)
            pace = local.uniform(0.75, 1.05) if coastal else local.uniform(0.45, 0.95)
            target = 95 if code < "TN-30" else 90
            households = (
                round(local.uniform(180, 420) if code in ("TN-11", "TN-61", "TN-51") else local.uniform(35, 160), 1)
                * 1000
            )
            for index, period in enumerate(periods):
                expected = _linear(0, start, len(periods) + 1, target, index)
                value = min(start + pace * (expected - start) + local.uniform(-0.8, 0.8), 100)
                rows.append(
                    _measurement(
                        indicator,
                        period,
                        value,
                        users=users,
                        latest=periods[-1],
                        today=today,
                        region=regions[code],
                        weight=households,
                    )
                )
    Measurement.objects.bulk_create(rows, batch_size=500)
    audit_record(
        actor=None,
        action=Action.BULK_CREATE,
        instance=indicator,
        changes={"measurements": [0, len(rows)], "source": [None, SOURCE]},
    )
    return len(rows)


def _derive_values(indicator, users):
    """Compute the demo values of a derived ratio from its components' approved values, as approval would."""
    numerators = {
        (m.period, m.region_id, m.organization_id): m
        for m in Measurement.objects.approved().filter(indicator=indicator.numerator)
    }
    rows = []
    for m in (
        Measurement.objects.approved().filter(indicator=indicator.denominator).select_related("region", "organization")
    ):
        top = numerators.get((m.period, m.region_id, m.organization_id))
        if top is None or not m.value:
            continue
        moment = m.decided_at
        rows.append(
            Measurement(
                indicator=indicator,
                period=m.period,
                region=m.region,
                organization=m.organization,
                numerator=top.value,
                denominator=m.value,
                value=_d(top.value / m.value * indicator.factor),
                status=MeasurementStatus.APPROVED,
                entered_by=m.decided_by,
                entered_at=moment,
                decided_by=m.decided_by,
                decided_at=moment,
                **{**SAMPLE, "source": "computed"},
            )
        )
    Measurement.objects.bulk_create(rows, batch_size=500)
    audit_record(
        actor=None,
        action=Action.BULK_CREATE,
        instance=indicator,
        changes={"measurements": [0, len(rows)], "source": [None, SOURCE]},
    )
    return len(rows)
