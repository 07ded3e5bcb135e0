"""Reads for indicator pages and scorecards: values rolled up to the nation in SQL, judged against trajectories.

The roll-up from regions or organizations to the nation follows each indicator's rule and runs in
the database, the same on SQLite and PostgreSQL: the aggregates are computed in double precision
and rounded to four decimals here, so both engines give the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Avg, Case, Count, Exists, F, FloatField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast, NullIf

from masar.core.policy import may_write
from masar.core.selectors import paginate
from masar.decisions.models import Decision
from masar.indicators.models import (
    MEASUREMENT_WORKFLOW,
    Aggregation,
    Baseline,
    Direction,
    Disaggregation,
    Indicator,
    IndicatorKind,
    Measurement,
    MeasurementAction,
    MeasurementStatus,
    ScorecardWeight,
    Target,
    TargetKind,
    TrajectoryShape,
)
from masar.indicators.periods import period_label
from masar.indicators.trajectory import NOT_JUDGED, JudgementStatus, Trajectory, forecast, month_x, weighted_score
from masar.organizations.models import Organization, OrganizationKind, Region
from masar.organizations.tilemap import TileMap, tile_map
from masar.portfolio.models import Project
from masar.strategy.models import Axis, Program

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterator
    from typing import Any, TypedDict

    from django.core.paginator import Page
    from django.db.models import QuerySet
    from django_stubs_ext import WithAnnotations

    from masar.accounts.models import User

    class _LatestValue(TypedDict):
        latest_period: datetime.date | None
        latest_value: float | None


APPROVED = MeasurementStatus.APPROVED
PLACES = 4
FORECAST_POINTS = {"monthly": 12, "quarterly": 8, "yearly": 5}


def rule_expression(rule: str) -> Any:
    """Return the SQL aggregate that rolls approved values up by rule (a ratio still needs its factor)."""
    real = FloatField()
    if rule == Aggregation.SUM:
        return Cast(Sum("value"), real)
    if rule == Aggregation.MEAN:
        return Cast(Avg("value"), real)
    if rule == Aggregation.WEIGHTED_MEAN:
        return Cast(Sum(F("value") * F("weight")), real) / NullIf(Cast(Sum("weight"), real), Value(0.0))
    return Cast(Sum("numerator"), real) / NullIf(Cast(Sum("denominator"), real), Value(0.0))


def finish(raw: float | None, *, kind: str, factor: Any) -> float | None:
    """Return an aggregate as shown: the ratio's factor applied, rounded to four decimals."""
    if raw is None:
        return None
    if kind == IndicatorKind.RATIO:
        raw = raw * float(factor)
    return round(raw, PLACES) + 0.0  # + 0.0 turns -0.0 into 0.0


def national_series(indicator: Indicator) -> list[tuple[datetime.date, float | None, int]]:
    """Return [(period, value, number of places)] of the approved values rolled up to the nation, by period."""
    rows = (
        Measurement.objects.filter(indicator=indicator, status=APPROVED)
        .values("period")
        .annotate(aggregate=rule_expression(indicator.effective_aggregation()), places=Count("id"))
        .order_by("period")
    )
    return [
        (row["period"], finish(row["aggregate"], kind=indicator.kind, factor=indicator.factor), row["places"])
        for row in rows
    ]


def rule_filter(rule: str) -> Q:
    """Return the indicators whose values roll up by rule (a national weighted mean is a plain mean)."""
    national = Q(disaggregation=Disaggregation.NATIONAL)
    if rule == Aggregation.MEAN:
        return Q(aggregation=Aggregation.MEAN) | Q(national, aggregation=Aggregation.WEIGHTED_MEAN)
    if rule == Aggregation.WEIGHTED_MEAN:
        return Q(aggregation=Aggregation.WEIGHTED_MEAN) & ~national
    return Q(aggregation=rule)


def _latest_period(outer):
    """Return the latest approved period of the indicator `outer` refers to (an index lookup, backwards)."""
    approved = Measurement.objects.filter(indicator=outer, status=APPROVED)
    return Subquery(approved.order_by("-period").values("period")[:1])


@contextmanager
def without_jit() -> Iterator[None]:
    """Run PostgreSQL queries without JIT compilation (in a transaction), other databases as they are.

    The roll-up of thousands of indicators is thousands of tiny index lookups: the planner's cost
    estimate crosses jit_above_cost, and compiling takes longer (~0.5 s) than running the query.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def _rolled_up(rule):
    """Return the national value of the latest approved period of the outer indicator, rolled up by rule."""
    return Subquery(
        Measurement.objects.filter(
            indicator=OuterRef("pk"), status=APPROVED, period=_latest_period(OuterRef(OuterRef("pk")))
        )
        .order_by()
        .values("indicator")
        .annotate(aggregate=rule_expression(rule))
        .values("aggregate"),
        output_field=FloatField(),
    )


def with_latest_values(indicators: QuerySet[Indicator]) -> QuerySet[WithAnnotations[Indicator, _LatestValue]]:
    """Annotate indicators with latest_period and latest_value (raw: a ratio still needs its factor).

    One query: for each indicator the database finds its latest approved period through the
    (indicator, status, period) index and rolls up that period's values by the indicator's own rule
    (a CASE picks the rule; only the matching branch runs).
    """
    rolled_up = Case(
        *[When(rule_filter(rule), then=_rolled_up(rule)) for rule in Aggregation.values], output_field=FloatField()
    )
    return indicators.order_by().annotate(latest_period=_latest_period(OuterRef("pk")), latest_value=rolled_up)


def latest_national_values(indicators: QuerySet[Indicator]) -> dict[Any, tuple[datetime.date, float | None]]:
    """Return {indicator id: (latest approved period, national value)} for a queryset of indicators."""
    with without_jit():
        rows = list(with_latest_values(indicators).values_list("pk", "kind", "factor", "latest_period", "latest_value"))
    return {
        pk: (period, finish(raw, kind=kind, factor=factor))
        for pk, kind, factor, period, raw in rows
        if period is not None
    }


@dataclass(frozen=True)
class LatestJudgement:
    """An indicator's latest national value and how it stands against its trajectory."""

    period: object
    value: float | None
    status: JudgementStatus


def latest_judgements(indicators):
    """Return {indicator id: LatestJudgement} for a queryset of indicators; not judged without value or trajectory.

    Three queries whatever the number of indicators: latest values with what judges them, baselines, targets.
    """
    with without_jit():
        rows = list(
            with_latest_values(indicators).values_list(
                "pk", "kind", "factor", "latest_period", "latest_value", *TRAJECTORY_FIELDS
            )
        )
    trajectories = trajectories_for(indicators, meta={row[0]: row[5:] for row in rows})
    result = {}
    for pk, kind, factor, period, raw, *_trajectory_fields in rows:
        value = finish(raw, kind=kind, factor=factor) if period is not None else None
        trajectory = trajectories.get(pk)
        status = NOT_JUDGED
        if trajectory is not None and period is not None:
            status = trajectory.judge(month_x(period), value).status
        result[pk] = LatestJudgement(period, value, JudgementStatus(status))
    return result


_THROUGH_TARGETS = frozenset({TargetKind.TARGET})
_THROUGH_ALL = frozenset({TargetKind.TARGET, TargetKind.WAYPOINT})


def _shape_kinds(shape):
    """Return the kinds of points a trajectory of this shape goes through."""
    return _THROUGH_ALL if shape == TrajectoryShape.CUSTOM else _THROUGH_TARGETS


TRAJECTORY_FIELDS = ("direction", "tolerance_on_track", "tolerance_at_risk", "trajectory")


def trajectories_for(
    indicators: QuerySet[Indicator], *, regional: bool = False, meta: dict[Any, Any] | None = None
) -> dict[Any, Any]:
    """Return {indicator id: Trajectory} (national), or {(indicator id, region id): Trajectory} when regional.

    meta, when the caller already read them: {indicator id: (direction, tolerances, trajectory shape)}.
    """
    if meta is None:
        meta = {row[0]: row[1:] for row in indicators.order_by().values_list("pk", *TRAJECTORY_FIELDS)}
    region_filter = Q(region__isnull=False) if regional else Q(region__isnull=True)
    real = Cast("value", FloatField())  # read as floats: thousands of rows, no Decimal on the way
    baselines: dict[Any, tuple[float, Any]] = {}
    for indicator_id, region_id, day, value in (
        Baseline.objects.filter(region_filter, indicator__in=indicators)
        .order_by()
        .annotate(real=real)
        .values_list("indicator_id", "region_id", "date", "real")
    ):
        baselines[(indicator_id, region_id) if regional else indicator_id] = (month_x(day), value)
    points: defaultdict[Any, list[tuple[float, Any]]] = defaultdict(list)
    for indicator_id, region_id, period, value, kind in (
        Target.objects.filter(region_filter, indicator__in=indicators)
        .order_by()
        .annotate(real=real)
        .values_list("indicator_id", "region_id", "period", "real", "kind")
    ):
        if kind in _shape_kinds(meta[indicator_id][3]):
            points[(indicator_id, region_id) if regional else indicator_id].append((month_x(period), value))
    result: dict[Any, Trajectory] = {}
    reals: dict[Any, float] = {}  # the few distinct tolerances, converted once
    for key in set(baselines) | set(points):
        direction, on_track, at_risk, _shape_name = meta[key[0] if regional else key]
        result[key] = Trajectory(
            baseline=baselines.get(key),
            points=points.get(key, []),
            higher_is_better=direction == Direction.INCREASE,
            on_track=reals.setdefault(on_track, float(on_track)),
            at_risk=reals.setdefault(at_risk, float(at_risk)),
        )
    return result


# Scorecards ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class IndicatorRef:
    """What a scorecard needs of an indicator; the pages that list indicators attach the full record."""

    pk: int
    code: str
    frequency: str


@dataclass(slots=True)
class ScoreLine:
    indicator: object  # IndicatorRef, or the Indicator once with_indicators() attached it
    weight: float
    weight_version: int
    period: object
    value: float | None
    expected: float | None
    status: str
    attainment: float | None

    @property
    def period_label(self):
        return period_label(self.period, self.indicator.frequency)

    @property
    def contribution(self):
        return None if self.attainment is None else self.weight * self.attainment


@dataclass
class Scorecard:
    ministry: Organization
    lines: list = field(default_factory=list)
    score: float | None = None
    rank: int | None = None
    # The latest share of the ministry's services processed online (0 to 1), from the catalogue's indicator.
    services_online: float | None = None

    def count(self, status):
        return sum(1 for line in self.lines if line.status == status)

    @property
    def on_track(self):
        return self.count(JudgementStatus.ON_TRACK)

    @property
    def at_risk(self):
        return self.count(JudgementStatus.AT_RISK)

    @property
    def off_track(self):
        return self.count(JudgementStatus.OFF_TRACK)

    @property
    def not_judged(self):
        return self.count(NOT_JUDGED)


def scorecards(user: Any, *, ministry: Organization | None = None) -> list[Any]:
    """Return the ministries' scorecards, ranked: each visible indicator, weighted, judged on its latest value.

    A ministry's score is Σ weight × attainment ÷ Σ weight over its indicators that can be judged
    (attainment: the share of the progress expected by the trajectory that was achieved, 0 to 1).
    Only indicators visible to user count, so a score never reveals what its reader may not see.
    Lines carry IndicatorRef; call with_indicators(card) before showing indicator names. Each card also carries
    the latest share of the ministry's services online, from the catalogue's indicator of it, when visible.
    """
    from masar.catalogue.indicators import is_services_online

    ministry_list = Organization.objects.filter(kind=OrganizationKind.MINISTRY).order_by("order", "code")
    if ministry is not None:
        ministry_list = ministry_list.filter(pk=ministry.pk)
    ministries = {m.pk: m for m in ministry_list}
    indicators = Indicator.objects.visible_to(user)
    if ministry is not None:
        indicators = indicators.filter(owner__path__startswith=ministry.path)
    with without_jit():
        rows = list(
            with_latest_values(indicators).values_list(
                "pk",
                "code",
                "frequency",
                "owner__path",
                "kind",
                "factor",
                "latest_period",
                "latest_value",
                "source",
                *TRAJECTORY_FIELDS,
            )
        )
    meta, refs, latest, services_online = {}, [], {}, set()
    for pk, code, frequency, owner_path, kind, factor, period, raw, source, *trajectory_fields in rows:
        meta[pk] = trajectory_fields
        if is_services_online(code, source):
            services_online.add(pk)
        refs.append((IndicatorRef(pk, code, frequency), owner_path))
        if period is not None:
            latest[pk] = (period, finish(raw, kind=kind, factor=factor))
    refs.sort(key=lambda ref: ref[0].code)
    trajectories = trajectories_for(indicators, meta=meta)
    weights = {
        row[0]: (float(row[1]), row[2])
        for row in ScorecardWeight.objects.filter(indicator__in=indicators)
        .order_by()
        .values_list("indicator_id", "weight", "version")
    }
    cards: dict[Any, Any] = {}
    ministry_of: dict[str, Any] = {}
    for ref, owner_path in refs:
        if owner_path not in ministry_of:
            ministry_of[owner_path] = next((ministries[pk] for pk in _path_ids(owner_path) if pk in ministries), None)
        owner_ministry = ministry_of[owner_path]
        if owner_ministry is None:
            continue
        period, value = latest.get(ref.pk, (None, None))
        trajectory = trajectories.get(ref.pk)
        if trajectory is not None and period is not None:
            judgement = trajectory.judge(month_x(period), value)
            expected, status, attainment = judgement.expected, judgement.status, judgement.attainment
        else:
            expected, status, attainment = None, NOT_JUDGED, None
        weight, version = weights.get(ref.pk, (1.0, 0))
        card = cards.setdefault(owner_ministry.pk, Scorecard(ministry=owner_ministry))
        card.lines.append(ScoreLine(ref, weight, version, period, value, expected, status, attainment))
        if ref.pk in services_online and value is not None:
            card.services_online = value / 100
    for card in cards.values():
        card.score = weighted_score([(line.weight, line.attainment) for line in card.lines])
    ranked = sorted(cards.values(), key=lambda c: (c.score is None, -(c.score or 0), c.ministry.code))
    previous, rank = None, 0
    for position, card in enumerate(ranked, start=1):
        if card.score is None:
            break
        if card.score != previous:
            rank, previous = position, card.score
        card.rank = rank
    return ranked


def with_indicators(card: Any) -> Any:
    """Replace the IndicatorRef of each line of card by the Indicator record (one query); return card."""
    if card is not None:
        records = Indicator.objects.in_bulk([line.indicator.pk for line in card.lines])
        for line in card.lines:
            line.indicator = records[line.indicator.pk]
    return card


def _path_ids(path):
    return [int(part) for part in path.strip("/").split("/") if part]


# The indicator page ----------------------------------------------------------------------------------


@dataclass
class Point:
    period: datetime.date
    label: str
    value: float | None
    places: int = 0
    expected: float | None = None
    status: str = NOT_JUDGED


@dataclass
class PlaceRow:
    place: object
    measurement: Measurement | None
    value: float | None
    expected: float | None = None
    status: str = NOT_JUDGED


def trajectory_of(indicator: Indicator, baseline: Any, targets: list[Any]) -> Trajectory:
    """Return the trajectory drawn by a baseline and targets (Baseline and Target records) of indicator."""
    kinds = _shape_kinds(indicator.trajectory)
    return Trajectory(
        baseline=(month_x(baseline.date), float(baseline.value)) if baseline is not None else None,
        points=[(month_x(t.period), float(t.value)) for t in targets if t.kind in kinds],
        higher_is_better=indicator.higher_is_better,
        on_track=indicator.tolerance_on_track,
        at_risk=indicator.tolerance_at_risk,
    )


@dataclass
class Overview:
    """Everything the indicator page shows about the values: national series, trajectory, forecast, places."""

    points: list
    trajectory: Trajectory
    baseline: Baseline | None
    targets: list  # the national targets and intermediate points, by period
    breakdown: list
    outlook_target: Target | None
    outlook: object

    @property
    def latest(self):
        return self.points[-1] if self.points else None


def indicator_overview(indicator: Indicator) -> Overview:
    """Return the Overview of indicator: its approved values rolled up and judged, its forecast, its places.

    Reads the baselines and targets once (national and regional), the national series in one
    aggregate query, and the latest period's values by place.
    """
    baselines = list(indicator.baselines.all())
    targets = sorted(indicator.targets.all(), key=lambda t: t.period)
    baseline = next((b for b in baselines if b.region_id is None), None)
    national_targets = [t for t in targets if t.region_id is None]
    trajectory = trajectory_of(indicator, baseline, national_targets)
    points = []
    for period, value, places in national_series(indicator):
        judgement = trajectory.judge(month_x(period), value)
        label = period_label(period, indicator.frequency)
        points.append(Point(period, label, value, places, judgement.expected, judgement.status))
    latest = points[-1].period if points else None
    regional = {}
    for region_baseline in baselines:
        if region_baseline.region_id is not None:
            region_targets = [t for t in targets if t.region_id == region_baseline.region_id]
            regional[region_baseline.region_id] = trajectory_of(indicator, region_baseline, region_targets)
    outlook_target, outlook = indicator_outlook(indicator, points, national_targets)
    return Overview(
        points=points,
        trajectory=trajectory,
        baseline=baseline,
        targets=national_targets,
        breakdown=regional_breakdown(indicator, latest, regional),
        outlook_target=outlook_target,
        outlook=outlook,
    )


def indicator_outlook(indicator: Indicator, points: list[Any], targets: list[Any]) -> tuple[Any, Any]:
    """Return (target, forecast at its date) for the first target after the latest value, else the last target.

    The forecast extends the straight line through the last values (a year of months, two years of
    quarters, five years) with its 90 % prediction interval; None with fewer than three values.
    """
    national = sorted(
        (t for t in targets if t.region_id is None and t.kind == TargetKind.TARGET), key=lambda t: t.period
    )
    if not national or not points:
        return (national[-1] if national else None), None
    target = next((t for t in national if t.period > points[-1].period), national[-1])
    outlook = forecast(
        [(month_x(p.period), p.value) for p in points],
        month_x(target.period),
        last=FORECAST_POINTS[indicator.frequency],
    )
    return target, outlook


def regional_breakdown(
    indicator: Indicator, period: datetime.date | None, trajectories: dict[Any, Any]
) -> list[PlaceRow]:
    """Return one row per region (or organization) for period: its approved value, judged on its own trajectory.

    trajectories: {region id: Trajectory} of the regions that have their own baseline and targets.
    By region, every region of the indicator's level in the countries that report it is listed,
    with or without a value.
    """
    if indicator.disaggregation == Disaggregation.NATIONAL or period is None:
        return []
    dimension = "region" if indicator.disaggregation == Disaggregation.REGION else "organization"
    values: dict[Any, Any] = {
        getattr(m, f"{dimension}_id"): m
        for m in Measurement.objects.filter(indicator=indicator, period=period, status=APPROVED).select_related(
            dimension
        )
    }
    if dimension == "region":
        countries = {m.region.parent_id for m in values.values()}
        places: list[Any] = list(
            Region.objects.filter(kind=indicator.region_level, parent_id__in=countries).order_by("code")
        )
    else:
        places = [m.organization for m in sorted(values.values(), key=lambda m: m.organization.code)]
    rows = []
    x = month_x(period)
    for place in places:
        measurement = values.get(place.pk)
        value = float(measurement.value) if measurement is not None else None
        row = PlaceRow(place, measurement, value)
        trajectory = trajectories.get(place.pk)
        if trajectory is not None and value is not None:
            judgement = trajectory.judge(x, value)
            row.expected, row.status = judgement.expected, judgement.status
        rows.append(row)
    return rows


def breakdown_map(indicator: Indicator, rows: list[PlaceRow]) -> TileMap | None:
    """Return the tile map of an indicator's latest values by region; None unless it is broken down by region."""
    if indicator.disaggregation != Disaggregation.REGION:
        return None
    return tile_map([(row.place, row.value, None) for row in rows], counts=False)


def measurement_history(indicator: Indicator, user: Any) -> QuerySet[Measurement]:
    """Return an indicator's values newest first: all of them for who enters or approves, else the approved ones."""
    values = Measurement.objects.filter(indicator=indicator)
    if not may_write(user, indicator):
        values = values.filter(status=APPROVED)
    return values.order_by("-period", "region__code", "organization__code", "pk")


def history_page(indicator: Indicator, user: Any, page_number: int | str | None, per_page: int) -> Page[Measurement]:
    """Return one page of the history: the page's rows are chosen on a narrow query, then read in full."""
    page = paginate(measurement_history(indicator, user).values_list("pk", flat=True), page_number, per_page)
    ids = list(page.object_list)
    records = Measurement.objects.select_related(
        "region", "organization", "entered_by", "submitted_by", "decided_by"
    ).in_bulk(ids)
    page.object_list = [records[pk] for pk in ids]
    return page


def pending_values(indicator: Indicator, user: Any) -> QuerySet[Measurement]:
    """Return the submitted values waiting for a decision, for those who may decide."""
    if not may_write(user, indicator):
        return Measurement.objects.none()
    return (
        Measurement.objects.filter(
            indicator=indicator, status__in=MEASUREMENT_WORKFLOW.sources(MeasurementAction.APPROVE)
        )
        .select_related("region", "organization", "entered_by", "submitted_by")
        .order_by("-period", "region__code", "organization__code")
    )


def linked_records(indicator: Indicator, user: Any) -> dict[str, Any]:
    """Return the axes, programs, projects and decisions this indicator measures, as far as user may see them.

    One query first asks which of the four kinds of link the indicator has at all: most indicators
    lack some, and those are not read.
    """
    links: dict[str, tuple[Any, Any]] = {
        "axes": (Axis, Indicator.axes.through.objects.filter(indicator=OuterRef("pk"))),
        "programs": (Program, Indicator.programs.through.objects.filter(indicator=OuterRef("pk"))),
        "projects": (Project, Indicator.projects.through.objects.filter(indicator=OuterRef("pk"))),
        "decisions": (Decision, Decision.indicators.through.objects.filter(indicator=OuterRef("pk"))),
    }
    present = (
        Indicator.objects.filter(pk=indicator.pk)
        .annotate(**{f"has_{name}": Exists(through) for name, (_model, through) in links.items()})
        .values(*[f"has_{name}" for name in links])
        .order_by()
        .first()
        or {}
    )
    related = {"axes": "strategy", "programs": "strategy", "projects": "owner", "decisions": "meeting"}
    return {
        name: model.objects.visible_to(user).filter(indicators=indicator).select_related(related[name])
        if present.get(f"has_{name}")
        else model.objects.none()
        for name, (model, _through) in links.items()
    }


def review_queue(user: User) -> QuerySet[Measurement]:
    """Return the submitted values user may approve or reject (not their own submissions)."""
    return (
        Measurement.objects.filter(
            status__in=MEASUREMENT_WORKFLOW.sources(MeasurementAction.APPROVE),
            indicator__in=Indicator.objects.writable_by(user),
        )
        .exclude(submitted_by=user)
        .select_related("indicator", "region", "organization", "entered_by", "submitted_by")
        .order_by("indicator__code", "-period")
    )


# The indicator and value lists -------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorFilters:
    """What narrows an indicator list; every field left empty narrows nothing."""

    q: str = ""  # matched against code and names as Arabic is typed
    organization: Organization | None = None  # the owner's subtree
    classification: str = ""  # a Classification value


def indicator_list(reader: Any, filters: IndicatorFilters | None = None) -> QuerySet[Indicator]:
    """Return the indicators this reader may see, narrowed by filters, in code order."""
    filters = filters or IndicatorFilters()
    indicators = Indicator.objects.visible_to(reader)
    if filters.q:
        indicators = indicators.search(filters.q)
    if filters.organization is not None:
        indicators = indicators.filter(owner__path__startswith=filters.organization.path)
    if filters.classification:
        indicators = indicators.filter(classification=filters.classification)
    return indicators.order_by("code")


@dataclass(frozen=True)
class MeasurementFilters:
    """What narrows a list of indicator values; every field left empty narrows nothing."""

    indicator: Indicator | None = None
    status: str = ""  # a MeasurementStatus value
    organization: Organization | None = None  # the indicator owner's subtree
    region: Region | None = None  # the value's region subtree
    period_from: datetime.date | None = None  # periods starting on or after this day
    period_to: datetime.date | None = None  # ... on or before this day


def measurement_list(reader: Any, filters: MeasurementFilters | None = None) -> QuerySet[Measurement]:
    """Return the values this reader may see, narrowed by filters, by indicator then period."""
    filters = filters or MeasurementFilters()
    values = Measurement.objects.visible_to(reader)
    if filters.indicator is not None:
        values = values.filter(indicator=filters.indicator)
    if filters.status:
        values = values.filter(status=filters.status)
    if filters.organization is not None:
        values = values.filter(indicator__owner__path__startswith=filters.organization.path)
    if filters.region is not None:
        values = values.filter(region__path__startswith=filters.region.path)
    if filters.period_from is not None:
        values = values.filter(period__gte=filters.period_from)
    if filters.period_to is not None:
        values = values.filter(period__lte=filters.period_to)
    return values.order_by("indicator__code", "period", "pk")
