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

A declared confidence two or more steps better than the computed rating is flagged.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from masar.delivery.models import CONFIDENCE_ORDER, Confidence, Severity

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


@dataclass
class Rating:
    computed: str
    declared: str | None
    schedule_days: int
    cost_ratio: Decimal | None
    reasons: list[dict]

    @property
    def gap(self):
        """Steps between computed and declared: positive when the owner declares better than the data."""
        if not self.declared:
            return 0
        return step(self.computed) - step(self.declared)

    @property
    def flagged(self):
        return self.gap >= FLAG_GAP


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


def planned_spend_to_date(planned_start, planned_end, budget, today):
    if budget is None:
        return None
    if today <= planned_start:
        return Decimal(0)
    total = max((planned_end - planned_start).days, 1)
    elapsed = min((today - planned_start).days, total)
    return (Decimal(budget) * elapsed / total).quantize(Decimal("0.01"))


def rate(facts: ProjectFacts) -> Rating:
    """Return the computed rating of a project with the reasons behind it."""
    reasons = []
    slip = schedule_slip(facts.milestones, facts.today)
    schedule_level = _band(slip, SCHEDULE_BANDS)
    reasons.append({"rule": "schedule", "level": schedule_level, "days": slip})
    levels = [schedule_level]

    ratio = None
    planned = planned_spend_to_date(facts.planned_start, facts.planned_end, facts.planned_budget, facts.today)
    if planned and facts.spend_to_date is not None:
        ratio = (Decimal(facts.spend_to_date) / planned).quantize(Decimal("0.001"))
        cost_level = _band(ratio, COST_BANDS)
        reasons.append({"rule": "cost", "level": cost_level, "ratio": str(ratio)})
        levels.append(cost_level)

    reference = facts.last_approved_on or facts.reporting_since
    if reference is not None:
        age = (facts.today - reference).days
        for limit, cap in FRESHNESS_CAPS:
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

    return Rating(
        computed=worst(*levels), declared=facts.declared or None, schedule_days=slip, cost_ratio=ratio, reasons=reasons
    )
