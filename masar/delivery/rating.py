"""The computed delivery rating: the rules, as plain functions over a project's data.

The rating is the worst of four judgements, each on the five-point scale
(green, amber/green, amber, amber/red, red):

1. Schedule: for every milestone that is due, its days late (actual date, or today when not
   reached, minus the planned date of the current baseline), weighted by recency — a slip
   counts in full for a milestone due in the last 12 months and halves for every 12 months
   further back. The largest weighted slip is rated: up to 14 days green, 15–29 amber/green,
   30–59 amber, 60–89 amber/red, 90 and more red.
2. Cost: spend to date against the planned spend to date (the budget spread evenly between
   the planned start and end of the current baseline): up to 105 % green, up to 110 %
   amber/green, up to 120 % amber, up to 135 % amber/red, above red.
3. Freshness: no approved update for more than 45 days caps the rating at amber/green;
   more than 90 days caps it at amber.
4. Obstacles: an unresolved critical obstacle caps the rating at amber/red, a high one at
   amber, a medium one at amber/green.

5. Re-baselines: a project re-baselined more than the cap allows (approved re-baselines after the
   original plan) is at best amber, since each new plan resets the schedule judgement.

A declared confidence two or more steps better than the computed rating is flagged as optimistic;
two or more steps worse, as pessimistic (good news held back, or stale data).

Beside the rating, the slip against the original plan (baseline 1) is kept so that a re-baseline
never hides a delay: the larger of the days the planned end moved and the days the latest
milestone is late against its original date.

The thresholds are the delivery unit's settings (`DeliverySettings`); `rate` receives them as a
frozen `RatingRules`, whose defaults are the values below.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from masar.delivery.models import CONFIDENCE_ORDER, Confidence, FlagKind, Severity

SCHEDULE_BANDS = [
    (14, Confidence.GREEN),
    (29, Confidence.AMBER_GREEN),
    (59, Confidence.AMBER),
    (89, Confidence.AMBER_RED),
]
COST_BANDS = [
    (Decimal("1.05"), Confidence.GREEN),
    (Decimal("1.10"), Confidence.AMBER_GREEN),
    (Decimal("1.20"), Confidence.AMBER),
    (Decimal("1.35"), Confidence.AMBER_RED),
]
FRESHNESS_CAPS = [(90, Confidence.AMBER), (45, Confidence.AMBER_GREEN)]
OBSTACLE_CAPS = {
    Severity.CRITICAL: Confidence.AMBER_RED,
    Severity.HIGH: Confidence.AMBER,
    Severity.MEDIUM: Confidence.AMBER_GREEN,
}
RECENCY_HALF_LIFE_DAYS = 365
FLAG_GAP = 2
REBASELINE_CAP = 2  # more approved re-baselines than this cap the rating at amber
REBASELINE_LEVEL = Confidence.AMBER


@dataclass(frozen=True)
class RatingRules:
    """The thresholds the rating applies, as the delivery unit set them (defaults: the values above)."""

    schedule_bands: tuple[tuple[int, str], ...] = tuple(SCHEDULE_BANDS)
    cost_bands: tuple[tuple[Decimal, str], ...] = tuple(COST_BANDS)
    freshness_caps: tuple[tuple[int, str], ...] = tuple(FRESHNESS_CAPS)
    rebaseline_cap: int = REBASELINE_CAP
    flag_gap: int = FLAG_GAP


DEFAULT_RULES = RatingRules()


@dataclass
class MilestoneFact:
    planned: datetime.date
    actual: datetime.date | None


@dataclass
class ProjectFacts:
    """What the rating reads about a project, gathered by the caller."""

    today: datetime.date
    planned_start: datetime.date
    planned_end: datetime.date
    planned_budget: Decimal | None
    milestones: list[MilestoneFact] = field(default_factory=list)
    spend_to_date: Decimal | None = None
    last_approved_period: datetime.date | None = None
    last_approved_on: datetime.date | None = None
    open_obstacle_severities: list[str] = field(default_factory=list)
    declared: str | None = None
    reporting_since: datetime.date | None = None
    original_end: datetime.date | None = None  # baseline 1's planned end, None without an original plan
    original_milestones: list[MilestoneFact] = field(default_factory=list)  # dated as in baseline 1
    rebaselines: int = 0  # approved re-baselines after the original plan


@dataclass
class Rating:
    computed: str
    declared: str | None
    schedule_days: int
    cost_ratio: Decimal | None
    reasons: list[dict]
    original_slip_days: int | None = None
    rebaselines: int = 0
    flag_gap: int = FLAG_GAP

    @property
    def gap(self):
        """Steps between computed and declared: positive when the owner declares better than the data."""
        if not self.declared:
            return 0
        return step(self.computed) - step(self.declared)

    @property
    def flag_kind(self) -> str:
        """Return the kind of gap flagged (a FlagKind value), or "" when the gap is small."""
        if self.gap >= self.flag_gap:
            return FlagKind.OPTIMISTIC
        if self.gap <= -self.flag_gap:
            return FlagKind.PESSIMISTIC
        return ""

    @property
    def flagged(self):
        """Whether the owner declares better than the data by the flag gap or more (over-optimism)."""
        return self.flag_kind == FlagKind.OPTIMISTIC


def step(level):
    return CONFIDENCE_ORDER.index(level)


def worst(*levels):
    return max(levels, key=step)


def _band(value, bands):
    for limit, level in bands:
        if value <= limit:
            return level
    return Confidence.RED


def schedule_slip(milestones, today):
    """Return the largest recency-weighted days late among the milestones due by today."""
    slip = 0.0
    for m in milestones:
        if m.planned > today:
            continue
        end = m.actual or today
        late = (end - m.planned).days
        if late <= 0:
            continue
        age_beyond_year = max((today - m.planned).days - RECENCY_HALF_LIFE_DAYS, 0)
        weight = 0.5 ** (age_beyond_year / RECENCY_HALF_LIFE_DAYS)
        slip = max(slip, late * weight)
    return int(round(slip))


def original_slip(facts: ProjectFacts) -> int | None:
    """Return the days a project has slipped against its original plan, None without one.

    The larger of: the days its planned end moved since baseline 1, and the days the latest of
    its milestones due by today (by their original dates) is late against those dates.
    """
    if facts.original_end is None:
        return None
    slip = (facts.planned_end - facts.original_end).days
    for m in facts.original_milestones:
        if m.planned > facts.today:
            continue
        slip = max(slip, ((m.actual or facts.today) - m.planned).days)
    return max(slip, 0)


def planned_spend_to_date(planned_start, planned_end, budget, today):
    if budget is None:
        return None
    if today <= planned_start:
        return Decimal(0)
    total = max((planned_end - planned_start).days, 1)
    elapsed = min((today - planned_start).days, total)
    return (Decimal(budget) * elapsed / total).quantize(Decimal("0.01"))


def rate(facts: ProjectFacts, rules: RatingRules = DEFAULT_RULES) -> Rating:
    """Return the computed rating of a project with the reasons behind it, under the rules in force."""
    reasons: list[dict] = []
    slip = schedule_slip(facts.milestones, facts.today)
    schedule_level = _band(slip, rules.schedule_bands)
    reasons.append({"rule": "schedule", "level": schedule_level, "days": slip})
    levels = [schedule_level]

    ratio = None
    planned = planned_spend_to_date(facts.planned_start, facts.planned_end, facts.planned_budget, facts.today)
    if planned and facts.spend_to_date is not None:
        ratio = (Decimal(facts.spend_to_date) / planned).quantize(Decimal("0.001"))
        cost_level = _band(ratio, rules.cost_bands)
        reasons.append({"rule": "cost", "level": cost_level, "ratio": str(ratio)})
        levels.append(cost_level)

    reference = facts.last_approved_on or facts.reporting_since
    if reference is not None:
        age = (facts.today - reference).days
        for limit, cap in sorted(rules.freshness_caps, reverse=True):
            if age > limit:
                reasons.append({"rule": "freshness", "level": cap, "days": age})
                levels.append(cap)
                break

    for severity in (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM):
        count = facts.open_obstacle_severities.count(severity)
        if count:
            cap = OBSTACLE_CAPS[severity]
            reasons.append({"rule": "obstacles", "level": cap, "severity": severity, "count": count})
            levels.append(cap)
            break

    if facts.rebaselines > rules.rebaseline_cap:
        reasons.append(
            {"rule": "rebaselines", "level": REBASELINE_LEVEL, "count": facts.rebaselines, "cap": rules.rebaseline_cap}
        )
        levels.append(REBASELINE_LEVEL)

    return Rating(
        computed=worst(*levels),
        declared=facts.declared or None,
        schedule_days=slip,
        cost_ratio=ratio,
        reasons=reasons,
        original_slip_days=original_slip(facts),
        rebaselines=facts.rebaselines,
        flag_gap=rules.flag_gap,
    )
