"""The synthetic indicators: a few hundred owned by the ministries, measured by region over the years.

Each indicator rolls up by one of the four rules (sum of counts, mean of an index, weighted mean of a
percentage, ratio of summed numerators and denominators), is measured monthly or quarterly in every
synthetic region from the strategy's start to the last period over before the reference date, and
is linked to its program, axis and a few projects of its ministry. Values are approved, but for the
latest period, where some wait for approval and some are still drafts.
"""

import datetime
import random
from decimal import Decimal

from masar.core.models import Classification
from masar.demo.synthetic_delivery import at
from masar.indicators.models import (
    Aggregation,
    Baseline,
    Direction,
    Disaggregation,
    Frequency,
    Indicator,
    IndicatorKind,
    Measurement,
    MeasurementStatus,
    Target,
    TargetKind,
)
from masar.indicators.periods import next_period, period_end
from masar.organizations.models import RegionKind

SYNTHETIC = {"is_sample": True, "source": "synthetic"}
RULES = [
    (IndicatorKind.COUNT, Aggregation.SUM, ("عدد", "nombre", "count")),
    (IndicatorKind.INDEX, Aggregation.MEAN, ("مؤشر", "indice", "index")),
    (IndicatorKind.PERCENTAGE, Aggregation.WEIGHTED_MEAN, ("%", "%", "%")),
    (IndicatorKind.RATIO, Aggregation.RATIO, ("%", "%", "%")),
]
TOPICS = [
    ("الخدمات المرقمنة", "services numérisés", "digitized services"),
    ("المعاملات الإلكترونية", "transactions électroniques", "electronic transactions"),
    ("رضا المواطنين", "satisfaction des citoyens", "citizen satisfaction"),
    ("التغطية بالشبكة", "couverture du réseau", "network coverage"),
    ("آجال معالجة الملفات", "délais de traitement", "processing times"),
    ("الإدارات المترابطة", "administrations interconnectées", "connected administrations"),
]
# Measurements are drawn as rows of these fields, not as model instances: there are half a million of them.
MEASUREMENT_COLUMNS = (
    "indicator_id",
    "period",
    "region_id",
    "value",
    "numerator",
    "denominator",
    "weight",
    "comment",
    "status",
    "needs_review",
    "entered_by_id",
    "entered_at",
    "submitted_by_id",
    "submitted_at",
    "decided_by_id",
    "decided_at",
    "rejection_reason",
    "is_sample",
    "source",
    "sample_fields",
    "version",
    "updated_at",
)
MEASUREMENT_BATCH = 20_000  # values drawn before they are inserted


class IndicatorDraw:
    """Draw and insert the indicators, their baselines, targets, links and measurements."""

    def __init__(self, *, run, seed, people, reference):
        self.run = run
        self.rng = random.Random(f"{seed}:indicators")
        self.people = people
        self.reference = reference

    def indicators(self, total, *, ministries, regions, strategy, programs, projects_by_ministry):
        """Create total indicators; return their keys by owner ministry (for the decisions that name them)."""
        rng, run = self.rng, self.run
        drawn = []
        for n in range(total):
            kind, aggregation, unit = RULES[n % len(RULES)]
            topic = TOPICS[rng.randrange(len(TOPICS))]
            ministry = ministries[n % len(ministries)]
            indicator = Indicator(
                code=f"SYN-I{n + 1:04d}",
                name_ar=f"{topic[0]} {n + 1}",
                name_fr=f"{topic[1].capitalize()} {n + 1}",
                name_en=f"{topic[2].capitalize()} {n + 1}",
                unit_ar=unit[0],
                unit_fr=unit[1],
                unit_en=unit[2],
                owner=ministry,
                classification=Classification.PUBLIC if rng.random() < 0.75 else Classification.RESTRICTED,
                kind=kind,
                direction=Direction.DECREASE if topic is TOPICS[4] else Direction.INCREASE,
                frequency=Frequency.MONTHLY if n % 3 == 0 else Frequency.QUARTERLY,
                disaggregation=Disaggregation.REGION,
                region_level=RegionKind.REGION,
                aggregation=aggregation,
                factor=Decimal(100 if kind == IndicatorKind.RATIO else 1),
                numerator_within_denominator=kind == IndicatorKind.RATIO,
                data_source_ar="المعهد الوطني للإحصاء",
                updated_at=at(strategy.period_start),
                **SYNTHETIC,
            )
            indicator.start_value = rng.uniform(20, 60)
            indicator.pace = rng.uniform(0.3, 1.2)
            drawn.append(indicator)
        run.insert(Indicator, drawn, "indicators", dated=True)
        by_ministry = {}
        for indicator in drawn:
            by_ministry.setdefault(indicator.owner_id, []).append(indicator.pk)
        self._links(drawn, programs, projects_by_ministry)
        self._plan(drawn, regions, strategy)
        self._measurements(drawn, regions, strategy)
        for model, label in (
            (Indicator, "indicators"),
            (Baseline, "indicator baselines"),
            (Target, "indicator targets"),
            (Measurement, "measurements"),
        ):
            run.audit(model, run.result.counts[label])
        return by_ministry

    def _links(self, indicators, programs, projects_by_ministry):
        rng, run = self.rng, self.run
        program_link, axis_link, project_link = (
            Indicator.programs.through,
            Indicator.axes.through,
            Indicator.projects.through,
        )
        program_rows, axis_rows, project_rows = [], [], []
        for indicator in indicators:
            program = programs[rng.randrange(len(programs))]
            program_rows.append(program_link(indicator_id=indicator.pk, program_id=program.pk))
            axis_rows.append(axis_link(indicator_id=indicator.pk, axis_id=program.axis_id))
            pool = projects_by_ministry.get(indicator.owner_id, [])
            for project_id in rng.sample(pool, min(len(pool), rng.randint(2, 8))):
                project_rows.append(project_link(indicator_id=indicator.pk, project_id=project_id))
        run.insert(program_link, program_rows, "indicator programs")
        run.insert(axis_link, axis_rows, "indicator axes")
        run.insert(project_link, project_rows, "indicator projects")

    def _periods(self, indicator, strategy):
        """Return the indicator's periods from the strategy's start to the last one over before the reference."""
        periods, day = [], strategy.period_start
        while period_end(day, indicator.frequency) < self.reference:
            periods.append(day)
            day = next_period(day, indicator.frequency)
        return periods

    def _plan(self, indicators, regions, strategy):
        rng, run = self.rng, self.run
        baselines, targets = [], []
        first, last = strategy.period_start, strategy.period_end
        for indicator in indicators:
            start = indicator.start_value
            baselines.append(
                Baseline(indicator=indicator, date=first, value=_value(start), updated_at=at(first), **SYNTHETIC)
            )
            for region in regions:
                value = start + rng.uniform(-10, 10)
                baselines.append(
                    Baseline(
                        indicator=indicator,
                        region=region,
                        date=first,
                        value=_value(value),
                        updated_at=at(first),
                        **SYNTHETIC,
                    )
                )
            middle = datetime.date(first.year + (last.year - first.year) // 2, 1, 1)
            for day, growth in ((middle, 1.4), (datetime.date(last.year, 1, 1), 1.8)):
                value = min(start * growth, 99.0)
                targets.append(
                    Target(
                        indicator=indicator,
                        period=day,
                        value=_value(value),
                        kind=TargetKind.TARGET,
                        updated_at=at(first),
                        **SYNTHETIC,
                    )
                )
        run.insert(Baseline, baselines, "indicator baselines", dated=True)
        run.insert(Target, targets, "indicator targets", dated=True)

    def _measurements(self, indicators, regions, strategy):
        """Insert every value, indicator by indicator, region by region (the values trend up with noise)."""
        rng, run = self.rng, self.run
        batch = []
        for indicator in indicators:
            periods = self._periods(indicator, strategy)
            coordinators = self.people.coordinators.get(indicator.owner_id) or self.people.national
            national = self.people.national
            steps = max(len(periods), 1)
            for place, region in enumerate(regions):
                offset = rng.uniform(-10, 10)
                weight = Decimal(rng.randint(20, 900)) if indicator.aggregation == Aggregation.WEIGHTED_MEAN else None
                for step, period in enumerate(periods):
                    value = indicator.start_value + offset + indicator.pace * 0.8 * indicator.start_value * step / steps
                    value = max(value + rng.uniform(-1.5, 1.5), 0.5)
                    batch.append(
                        self._measurement(
                            indicator, region, place, period, value, weight, step == steps - 1, coordinators, national
                        )
                    )
                if len(batch) >= MEASUREMENT_BATCH:
                    run.insert_rows(Measurement, MEASUREMENT_COLUMNS, batch, "measurements")
                    batch = []
        run.insert_rows(Measurement, MEASUREMENT_COLUMNS, batch, "measurements")

    def _measurement(self, indicator, region, place, period, value, weight, latest, coordinators, national):
        rng = self.rng
        status = MeasurementStatus.APPROVED
        if latest:
            r = rng.random()
            status = (
                MeasurementStatus.APPROVED
                if r < 0.7
                else MeasurementStatus.SUBMITTED
                if r < 0.9
                else MeasurementStatus.DRAFT
            )
        entered = min(
            period_end(period, indicator.frequency) + datetime.timedelta(days=rng.randint(1, 15)), self.reference
        )
        decided = min(entered + datetime.timedelta(days=rng.randint(1, 10)), self.reference)
        author = coordinators[rng.randrange(len(coordinators))]
        numerator = denominator = None
        if indicator.aggregation == Aggregation.RATIO:
            denominator = Decimal(1000 + place % 7 * 100)
            numerator = _value(min(value * float(denominator) / 100, float(denominator)))
            value = float(numerator) / float(denominator) * 100
        else:
            value = min(value, 100.0) if indicator.kind == IndicatorKind.PERCENTAGE else value
        approved, draft = status == MeasurementStatus.APPROVED, status == MeasurementStatus.DRAFT
        version = 1 if draft else 3 if approved else 2
        # In the order of MEASUREMENT_COLUMNS.
        return (
            indicator.pk,
            period,
            region.pk,
            _value(value),
            numerator,
            denominator,
            weight,
            "",
            status,
            False,
            author.pk,
            at(entered, 9),
            None if draft else author.pk,
            None if draft else at(entered, 10),
            national[0].pk if approved else None,
            at(decided, 15) if approved else None,
            "",
            True,
            "synthetic",
            [],
            version,
            at(decided if approved else entered, 15),
        )


def _value(number):
    return Decimal(f"{number:.4f}")
