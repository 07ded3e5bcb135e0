"""The digitization indicators of each ministry, computed from the services catalogue and kept in step with it.

For each ministry (`Organization` of kind ministry) whose subtree owns services, Masar keeps three public,
monthly percentages owned by that ministry, so the national scorecard shows them beside its other indicators:

- `SRV-<ministry code>-L3`: the share of its services at level ≥ 3 (processed and paid online);
- `SRV-<ministry code>-L4`: the share of its services at level ≥ 4 (fully online, result delivered);
- `SRV-<ministry code>-ONLINE`: the share of its month's transactions made through the online channels.

Their values are approved measurements with source "catalogue", entered by no one. The level shares are those of
the current month, recomputed whenever a service is created, changed or moves owner; the online share is
recomputed for every month whose usage changes. A month without a service, or without a transaction, has no value
(a value that loses its base is deleted): a share of nothing is not 0 %.

Only the services the public reads count: the indicators are public, and a public figure never counts what the
public may not see. A service counts for the outermost ministry holding its owner, as the scorecard groups
indicators by ministry (`masar.indicators.selectors.scorecards`).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from masar.catalogue.indicator_texts import COMPUTED, DATA_SOURCE, L3, L4, METHODS, NAMES, ONLINE
from masar.catalogue.models import FULLY_ONLINE_LEVEL, ONLINE_CHANNELS, ONLINE_LEVEL, Service, ServiceUsage
from masar.core.errors import StaleEditError
from masar.core.months import month_start
from masar.core.policy import Reader
from masar.core.services import model_create, model_delete, model_update
from masar.indicators.models import (
    Aggregation,
    Direction,
    Disaggregation,
    Frequency,
    Indicator,
    IndicatorKind,
    Measurement,
    MeasurementStatus,
)
from masar.indicators.periods import QUANTUM
from masar.organizations.models import Organization, OrganizationKind
from masar.webhooks.events import emit
from masar.webhooks.models import EventType

logger = logging.getLogger("masar.catalogue")

# The source of the indicators and of their values: what tells them apart from indicators people enter.
SOURCE = "catalogue"
MEASURES = (L3, L4, ONLINE)
LEVEL_MEASURES = (L3, L4)


def indicator_code(ministry: Organization, measure: str) -> str:
    """Return the code a ministry's indicator is created with (by id when the ministry's code is too long)."""
    code = f"SRV-{ministry.code}-{measure}"
    return code if len(code) <= 40 else f"SRV-ORG{ministry.pk}-{measure}"


def measure_of(indicator: Indicator) -> str | None:
    """Return which digitization measure a catalogue indicator holds (None for any other indicator)."""
    if indicator.source != SOURCE:
        return None
    return next((m for m in MEASURES if indicator.code.endswith(f"-{m}")), None)


def is_services_online(code: str, source: str) -> bool:
    """Whether an indicator (by its code and source) is a ministry's share of services online (level ≥ 3)."""
    return source == SOURCE and code.startswith("SRV-") and code.endswith(f"-{L3}")


def is_computed(indicator: Any) -> bool:
    """Whether an indicator's values are computed from the catalogue, so nobody may enter them."""
    return getattr(indicator, "source", "") == SOURCE


@dataclass(frozen=True)
class Computed:
    """One value to keep: the share, its numerator and denominator, and whether sample records make it."""

    value: Decimal
    numerator: int
    denominator: int
    is_sample: bool


@dataclass
class RefreshOutcome:
    """What a refresh did: indicators created, values created, changed and deleted."""

    indicators: int = 0
    created: int = 0
    changed: int = 0
    deleted: int = 0
    ministries: list[str] = field(default_factory=list)


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(100 * part) / Decimal(whole)).quantize(QUANTUM, rounding=ROUND_HALF_EVEN)


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _outermost(ministries: Iterable[Organization]) -> list[Organization]:
    """Return the ministries not held by another of them, by code (a nested ministry counts for its parent)."""
    ministries = list(ministries)
    paths = [m.path for m in ministries]
    return sorted(
        (m for m in ministries if not any(m.path != p and m.path.startswith(p) for p in paths)),
        key=lambda m: m.code,
    )


def _ministries_of(organization_ids: Iterable[int]) -> list[Organization]:
    """Return the outermost ministry holding each of these organizations (those held by none are left out)."""
    paths = Organization.objects.filter(pk__in=list(organization_ids)).values_list("path", flat=True)
    ancestors = {pk for path in paths for pk in _path_ids(path)}
    candidates = Organization.objects.filter(pk__in=ancestors, kind=OrganizationKind.MINISTRY)
    found = {m.pk: m for m in candidates}
    chosen = {}
    for path in paths:
        pk = next((pk for pk in _path_ids(path) if pk in found), None)
        if pk is not None:
            chosen[pk] = found[pk]
    return sorted(chosen.values(), key=lambda m: m.code)


def _root_finder(ministries: list[Organization]) -> Any:
    prefixes = [(m.path, m.pk) for m in ministries]
    cache: dict[str, int | None] = {}

    def root_of(path: str) -> int | None:
        if path not in cache:
            cache[path] = next((pk for prefix, pk in prefixes if path.startswith(prefix)), None)
        return cache[path]

    return root_of


def _counted_services(ministries: list[Organization], everything: bool) -> QuerySet[Service]:
    services = Service.objects.visible_to(Reader.public())
    if everything:
        return services
    scope = Q()
    for ministry in ministries:
        scope |= Q(owner__path__startswith=ministry.path)
    return services.filter(scope)


def _level_values(services: QuerySet[Service], root_of: Any) -> dict[tuple[int, str], Computed]:
    """Return {(ministry id, measure): value} of the level shares: one grouped query."""
    totals: dict[int, list[int]] = {}
    rows = (
        services.order_by()
        .values("owner__path")
        .annotate(
            n=Count("pk"),
            online=Count("pk", filter=Q(level__gte=ONLINE_LEVEL)),
            fully=Count("pk", filter=Q(level__gte=FULLY_ONLINE_LEVEL)),
            sample=Count("pk", filter=Q(is_sample=True)),
        )
    )
    for row in rows:
        pk = root_of(row["owner__path"])
        if pk is not None:
            figures = totals.setdefault(pk, [0, 0, 0, 0])
            for i, count in enumerate((row["n"], row["online"], row["fully"], row["sample"])):
                figures[i] += count
    values = {}
    for pk, (n, online, fully, sample) in totals.items():
        values[pk, L3] = Computed(_share(online, n), online, n, sample > 0)
        values[pk, L4] = Computed(_share(fully, n), fully, n, sample > 0)
    return values


def _usage_values(
    services: QuerySet[Service], months: set[datetime.date] | None, root_of: Any
) -> dict[tuple[int, datetime.date], Computed]:
    """Return {(ministry id, month): online share} for these months (all when None): one grouped query."""
    usage = ServiceUsage.objects.filter(service__in=services.order_by().values("pk"))
    if months is not None:
        usage = usage.filter(month__in=sorted(months))
    rows = (
        usage.order_by()
        .values("service__owner__path", "month")
        .annotate(
            all=Sum("transactions"),
            online=Sum("transactions", filter=Q(channel__in=ONLINE_CHANNELS)),
            sample=Count("pk", filter=Q(is_sample=True)),
        )
    )
    totals: dict[tuple[int, datetime.date], list[int]] = {}
    for row in rows:
        pk = root_of(row["service__owner__path"])
        if pk is not None:
            figures = totals.setdefault((pk, row["month"]), [0, 0, 0])
            figures[0] += row["all"] or 0
            figures[1] += row["online"] or 0
            figures[2] += row["sample"]
    return {key: Computed(_share(online, n), online, n, sample > 0) for key, (n, online, sample) in totals.items() if n}


def _indicator_create(ministry: Organization, measure: str) -> Indicator:
    names = {
        f"name_{lang}": template.format(ministry=getattr(ministry, f"name_{lang}") or ministry.name_ar)
        for lang, template in zip(("ar", "fr", "en"), NAMES[measure], strict=True)
    }
    texts = {}
    for lang, computed, method, data_source in zip(
        ("ar", "fr", "en"), COMPUTED, METHODS[measure], DATA_SOURCE, strict=True
    ):
        texts[f"method_{lang}"] = computed + method
        texts[f"data_source_{lang}"] = data_source
    data = {
        "code": indicator_code(ministry, measure),
        **names,
        **texts,
        "owner": ministry,
        "classification": "public",
        "unit_ar": "%",
        "unit_fr": "%",
        "unit_en": "%",
        "kind": IndicatorKind.PERCENTAGE,
        "frequency": Frequency.MONTHLY,
        "direction": Direction.INCREASE,
        "disaggregation": Disaggregation.NATIONAL,
        "aggregation": Aggregation.MEAN,
        "min_value": Decimal(0),
        "max_value": Decimal(100),
        "source": SOURCE,
        "is_sample": False,
    }
    return model_create(model=Indicator, actor=None, data=data)


def _indicators(
    ministries: list[Organization], with_services: set[int], outcome: RefreshOutcome
) -> dict[tuple[int, str], Indicator]:
    """Return {(ministry id, measure): indicator}, creating those of the ministries that have services."""
    found: dict[tuple[int, str], Indicator] = {}
    for indicator in Indicator.objects.filter(source=SOURCE, owner__in=ministries).order_by("pk"):
        measure = measure_of(indicator)
        if measure is not None:
            found.setdefault((indicator.owner_id, measure), indicator)
    for ministry in ministries:
        if ministry.pk not in with_services:
            continue
        for measure in MEASURES:
            if (ministry.pk, measure) not in found:
                found[ministry.pk, measure] = _indicator_create(ministry, measure)
                outcome.indicators += 1
    return found


def _write(
    existing: Measurement | None, indicator: Indicator, period: datetime.date, wanted: Computed | None
) -> str | None:
    """Bring one value in step; return "created", "changed", "deleted" or None when it already was.

    A computed value bypasses the entry workflow (`masar.indicators.services`: draft, submitted, approved,
    locked): nobody enters or approves it, the catalogue does, so it is written approved with the core audited
    helpers, and rewritten when its base moves, as `_derive_ratios` records the ratios it computes.
    """
    if wanted is None:
        if existing is None:
            return None
        model_delete(instance=existing, actor=None)
        return "deleted"
    now = timezone.now()
    data = {
        "value": wanted.value,
        "numerator": Decimal(wanted.numerator),
        "denominator": Decimal(wanted.denominator),
        "is_sample": wanted.is_sample,
    }
    if existing is None:
        fields = {"indicator": indicator, "period": period, "status": MeasurementStatus.APPROVED, "source": SOURCE}
        fields |= {"entered_at": now, "decided_at": now, **data}
        emit(EventType.MEASUREMENT_APPROVED, model_create(model=Measurement, actor=None, data=fields))
        return "created"
    kept = existing.status == MeasurementStatus.APPROVED and existing.source == SOURCE
    if kept and all(getattr(existing, key) == value for key, value in data.items()):
        return None
    # A value typed over a computed one (before entry was closed to people) is replaced whole, its trail kept.
    data |= {"status": MeasurementStatus.APPROVED, "source": SOURCE, "entered_at": now, "decided_at": now}
    data |= dict.fromkeys(("entered_by", "submitted_by", "submitted_at", "decided_by", "weight"), None)
    data |= {"comment": "", "rejection_reason": "", "z_score": None, "needs_review": False}
    emit(
        EventType.MEASUREMENT_APPROVED,
        model_update(instance=existing, actor=None, data=data, expected_version=existing.version),
    )
    return "changed"


def _sync(
    indicators: dict[tuple[int, str], Indicator],
    wanted: dict[tuple[int, datetime.date], Computed],
    scope: Q,
    outcome: RefreshOutcome,
) -> None:
    """Create, change or delete the values within scope so that they are exactly wanted ({(indicator id, period))."""
    by_pk = {indicator.pk: indicator for indicator in indicators.values()}
    existing = {(m.indicator_id, m.period): m for m in Measurement.objects.filter(scope)} if scope else {}
    for key in sorted(set(wanted) | set(existing), key=lambda k: (k[0], k[1])):
        done = _write(existing.get(key), by_pk[key[0]], key[1], wanted.get(key))
        if done == "created":
            outcome.created += 1
        elif done == "changed":
            outcome.changed += 1
        elif done == "deleted":
            outcome.deleted += 1


def _refresh(
    ministries: list[Organization],
    *,
    level_month: datetime.date | None,
    usage_months: set[datetime.date] | None,
    everything: bool = False,
) -> RefreshOutcome:
    """Bring in step the values of these (outermost) ministries: level shares of level_month (if given), online
    shares of usage_months (every month recorded when None). Three reads whatever the number of services."""
    outcome = RefreshOutcome(ministries=[m.code for m in ministries])
    if not ministries:
        return outcome
    # Refreshes of one ministry run one after the other: the later one reads what the earlier one committed.
    list(Organization.objects.select_for_update().filter(pk__in=[m.pk for m in ministries]).order_by("pk"))
    root_of = _root_finder(ministries)
    services = _counted_services(ministries, everything)
    levels = _level_values(services, root_of) if level_month is not None else {}
    usage = _usage_values(services, usage_months, root_of) if usage_months is None or usage_months else {}
    with_services = {pk for pk, _measure in levels} | {pk for pk, _month in usage}
    indicators = _indicators(ministries, with_services, outcome)
    wanted: dict[tuple[int, datetime.date], Computed] = {}
    scope = Q()
    if level_month is not None:
        level_ids = [indicators[key].pk for key in indicators if key[1] in LEVEL_MEASURES]
        scope |= Q(indicator_id__in=level_ids, period=level_month)
        for (pk, measure), value in levels.items():
            wanted[indicators[pk, measure].pk, level_month] = value
    if usage_months is None or usage_months:
        online_ids = [indicators[key].pk for key in indicators if key[1] == ONLINE]
        months = Q() if usage_months is None else Q(period__in=sorted(usage_months))
        scope |= Q(indicator_id__in=online_ids) & months
        for (pk, month), value in usage.items():
            wanted[indicators[pk, ONLINE].pk, month] = value
    _sync(indicators, wanted, scope, outcome)
    return outcome


def digitization_refresh(*, organization_ids: Iterable[int], months: Iterable[datetime.date]) -> None:
    """Bring in step the digitization indicators of the ministries holding these organizations: the level shares
    of the current month and the online shares of the months given.

    Called on commit by the catalogue's writes. A refresh that fails on the database (a concurrent one won) is
    logged and left to the next change or the nightly refresh, never raised into the request that committed.
    """
    try:
        with transaction.atomic():
            _refresh(
                _ministries_of(organization_ids),
                level_month=month_start(timezone.localdate()),
                usage_months={month_start(month) for month in months},
            )
    except (DatabaseError, StaleEditError):
        logger.warning("digitization indicators not refreshed; the nightly refresh will", exc_info=True)


def digitization_refresh_all(*, months: int | None = None, today: datetime.date | None = None) -> RefreshOutcome:
    """Recompute the digitization indicators of every ministry: the level shares of today's month, the online
    shares of every month with usage (or of the last `months` months up to today's)."""
    today = today or timezone.localdate()
    current = month_start(today)
    usage_months: set[datetime.date] | None = None
    if months is not None:
        usage_months = set()
        month = current
        for _ in range(max(months, 0)):
            usage_months.add(month)
            month = month_start(month - datetime.timedelta(days=1))
    ministries = _outermost(Organization.objects.filter(kind=OrganizationKind.MINISTRY))
    with transaction.atomic():
        return _refresh(ministries, level_month=current, usage_months=usage_months, everything=True)
