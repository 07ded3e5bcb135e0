"""The fact-check of a text against Masar's own data, as one reader may read it.

Every record is read through the one policy (`visible_to(reader)`): the public reads public records only, so a
record the reader may not read never decides a verdict nor gives a figure. The record a claim speaks of is found
by its name (`masar.factcheck.names`): a strategy named in the claim's sentence, else the one named last before it;
an axis by its rank (المحور الأول), by the name written before the figure's parenthesis, or by its name in the
clause; a phase by its rank; a project or an indicator by its name in the sentence. No name, or two records named
equally well, and the claim is unverifiable: nothing is guessed.

Verdicts: consistent when Masar's figure equals the claim's (counts, years, dates and amounts exactly; a
percentage within `PERCENT_TOLERANCE` points, as progress is reported in whole points and texts round);
contradicted, with Masar's figure and the record's page, otherwise; unverifiable when Masar holds no such figure
that this reader may read.

The queries do not grow with the number of claims: each kind of record is read once per check.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from masar.arabic import fold
from masar.arabic.analyzer import terms
from masar.core.policy import Reader
from masar.decisions.models import Decision, DecisionStatus
from masar.decisions.selectors import decisions_with_status
from masar.delivery.models import ProgressUpdate, UpdateStatus
from masar.factcheck.claims import Claim, ClaimKind, find_claims
from masar.factcheck.names import Name, Words, best, name_of, named_at
from masar.indicators.models import Indicator, IndicatorKind
from masar.indicators.selectors import latest_national_values
from masar.portfolio.models import Project, ProjectStatus
from masar.strategy.models import Axis, Phase, Program, Strategy

PERCENT_TOLERANCE = Decimal(1)
# Words by which a clause names a plan of its own (folded): برنامج, استراتيجية, رؤية, خطة, مخطط, programme, stratégie.
_NAMES_A_PLAN = re.compile(r"برنامج|برامج|استراتيجي|رويه|خطه|مخطط|programme|stratégie|strategy|plan\b")
CANDIDATE_LIMIT = 500  # projects read to look for the ones a text names
MIN_WORD = 4  # shorter words say too little to look projects up by


class Verdict(models.TextChoices):
    CONSISTENT = "consistent", _("Consistent with Masar")
    CONTRADICTED = "contradicted", _("Contradicted by Masar")
    UNVERIFIABLE = "unverifiable", _("Not verifiable")


# The verdict in one word, written beside each claim marked in the text (the colour is never the only sign).
VERDICT_WORDS = {
    Verdict.CONSISTENT: _("consistent"),
    Verdict.CONTRADICTED: _("contradicted"),
    Verdict.UNVERIFIABLE: _("not verifiable"),
}

PlatformValue = int | float | str | None


@dataclass(frozen=True)
class CheckedClaim:
    """A claim with its verdict, Masar's figure (None when unverifiable) and the page of the record compared."""

    claim: Claim
    verdict: Verdict
    platform_value: PlatformValue = None
    path: str | None = None

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label)

    @property
    def verdict_word(self) -> str:
        return str(VERDICT_WORDS[Verdict(self.verdict)])

    @property
    def shown_value(self) -> PlatformValue:
        """Masar's figure as a page shows it: a project's state in the reader's language, not its code."""
        if self.claim.kind is ClaimKind.STATUS and self.platform_value is not None:
            value = str(self.platform_value)
            labels = {**dict(ProjectStatus.choices), **dict(DecisionStatus.choices)}
            return str(labels.get(value, value))
        return self.platform_value


@dataclass
class _Figure:
    value: PlatformValue
    path: str
    matches: bool


def _number(value: Decimal | float) -> int | float:
    value = Decimal(str(value)) if isinstance(value, float) else value
    return int(value) if value == value.to_integral_value() else float(value)


def _strategy_path(strategy_id: int) -> str:
    return reverse("strategy-strategy-detail", args=[strategy_id])


@dataclass
class _Platform:
    """What the reader may read of the strategies, their parts and their projects, read once per check."""

    reader: Reader
    claims: list[Claim]
    words: Words
    text: str

    @cached_property
    def strategy_mentions(self) -> list[Any]:
        names = [
            n for s in self.strategy_rows.values() for n in name_of(s.pk, s.name_ar, s.name_fr or "", s.name_en or "")
        ]
        return self.words.mentions(names)

    @cached_property
    def strategy_rows(self) -> dict[int, Strategy]:
        fields = ("pk", "name_ar", "name_fr", "name_en", "period_start", "period_end", "adopted_on")
        rows = Strategy.objects.visible_to(self.reader).only(*fields, "planned_project_count")
        return {s.pk: s for s in rows}

    @cached_property
    def axes(self) -> dict[int, list[Axis]]:
        found: dict[int, list[Axis]] = {}
        for axis in Axis.objects.visible_to(self.reader).only(
            "pk", "strategy_id", "order", "name_ar", "name_fr", "name_en", "planned_project_count"
        ):
            found.setdefault(axis.strategy_id, []).append(axis)
        return found

    @cached_property
    def phases(self) -> dict[int, list[Phase]]:
        found: dict[int, list[Phase]] = {}
        for phase in Phase.objects.visible_to(self.reader).only("pk", "strategy_id", "order", "start", "end"):
            found.setdefault(phase.strategy_id, []).append(phase)
        return found

    @cached_property
    def program_counts(self) -> dict[int, int]:
        rows = Program.objects.visible_to(self.reader).values("strategy_id").annotate(n=Count("pk")).order_by()
        return {row["strategy_id"]: row["n"] for row in rows}

    @cached_property
    def linked_counts(self) -> dict[tuple[int, int | None], int]:
        """Return the number of projects this reader may read per (strategy, axis), and per (strategy, None)."""
        rows = Project.objects.visible_to(self.reader).values("strategy_id", "axis_id").annotate(n=Count("pk"))
        counts: dict[tuple[int, int | None], int] = {}
        for row in rows.order_by():
            strategy, axis = row["strategy_id"], row["axis_id"]
            if axis is not None:
                counts[(strategy, axis)] = row["n"]
            counts[(strategy, None)] = counts.get((strategy, None), 0) + row["n"]
        return counts

    def strategy_of(self, claim: Claim) -> Strategy | None:
        clause = self.text[slice(*claim.clause)]
        if _NAMES_A_PLAN.search(fold(clause)):
            # The clause names a plan: it is that one or none, never one named elsewhere in the text.
            key = named_at(self.strategy_mentions, claim.clause)
        else:
            key = named_at(self.strategy_mentions, claim.clause, claim.sentence, before=claim.start)
        return self.strategy_rows.get(key) if isinstance(key, int) else None

    def axis_of(self, claim: Claim, strategy: Strategy | None) -> Axis | None | bool:
        """Return the axis the claim is bound to, None when it names none, False when it names one unclearly."""
        if strategy is None:
            if claim.axis_name is None:
                return None
            return self._axis_by_name(claim.axis_name, [a for axes in self.axes.values() for a in axes])
        axes = self.axes.get(strategy.pk, [])
        if claim.axis_order is not None:
            return next((a for a in axes if a.order == claim.axis_order), False)
        if claim.axis_name is not None:
            return self._axis_by_name(claim.axis_name, axes)
        inside = self.words.mentions(_axis_names(axes), *claim.clause)
        if not inside:
            return None
        key = best(inside)
        return next((a for a in axes if a.pk == key), False)

    def _axis_by_name(self, written: str, axes: list[Axis]) -> Axis | bool:
        said = frozenset(t for t in terms(written) if not t.isdigit())
        scored = []
        for axis in axes:
            for name in _axis_names([axis]):
                union = said | name.words
                scored.append((len(said & name.words) / len(union) if union else 0.0, axis))
        if not scored:
            return False
        top = max(score for score, _ in scored)
        winners = {axis.pk: axis for score, axis in scored if score == top}
        return winners.popitem()[1] if top >= 0.6 and len(winners) == 1 else False


def _axis_names(axes: list[Axis]) -> list[Name]:
    return [n for a in axes for n in name_of(a.pk, a.name_ar, a.name_fr or "", a.name_en or "")]


def _count(platform: _Platform, claim: Claim) -> _Figure | None:
    strategy = platform.strategy_of(claim)
    if claim.kind is ClaimKind.PROJECT_COUNT:
        axis = platform.axis_of(claim, strategy)
        if axis is False:
            return None
        if isinstance(axis, Axis):
            planned = axis.planned_project_count
            figure = planned if planned is not None else platform.linked_counts.get((axis.strategy_id, axis.pk))
            path = _strategy_path(axis.strategy_id)
            return None if figure is None else _Figure(figure, path, figure == claim.value)
    if strategy is None:
        return None
    if claim.kind is ClaimKind.PROJECT_COUNT:
        # The plan's own figure first: the projects linked so far may be fewer, or partly hidden from this reader.
        planned = strategy.planned_project_count
        figure = planned if planned is not None else platform.linked_counts.get((strategy.pk, None))
    elif claim.kind is ClaimKind.AXIS_COUNT:
        figure = len(platform.axes.get(strategy.pk, [])) or None
    elif claim.kind is ClaimKind.PROGRAM_COUNT:
        figure = platform.program_counts.get(strategy.pk)
    else:
        figure = len(platform.phases.get(strategy.pk, [])) or None
    return None if figure is None else _Figure(figure, _strategy_path(strategy.pk), figure == claim.value)


def _dates(platform: _Platform, claim: Claim) -> _Figure | None:
    strategy = platform.strategy_of(claim)
    if strategy is None:
        return None
    path = _strategy_path(strategy.pk)
    if claim.kind is ClaimKind.ADOPTION:
        if strategy.adopted_on is None:
            return None
        return _Figure(strategy.adopted_on.isoformat(), path, strategy.adopted_on == claim.value)
    start: datetime.date
    end: datetime.date
    if claim.phase_order is not None:
        phase = next((p for p in platform.phases.get(strategy.pk, []) if p.order == claim.phase_order), None)
        if phase is None:
            return None
        start, end = phase.start, phase.end
    elif claim.kind is ClaimKind.PERIOD:
        start, end = strategy.period_start, strategy.period_end
    else:
        return None
    if claim.kind is ClaimKind.PHASE_START:
        return _Figure(start.year, path, start.year == claim.value)
    if claim.kind is ClaimKind.PHASE_END:
        return _Figure(end.year, path, end.year == claim.value)
    return _Figure(f"{start.year}-{end.year}", path, (start.year, end.year) == claim.value)


@dataclass
class _Records:
    """The projects and indicators a text may name, read once for all its percentages and amounts."""

    reader: Reader
    claims: list[Claim]
    words: Words
    text: str

    def _sharing_words(self, field: str, claims: list[Claim]) -> Q | None:
        """Return the condition "field holds one of the words of these claims' sentences" (None without words):
        the candidates a name is then looked for among, read in one query."""
        looked_for = {
            word.removeprefix("ال")
            for claim in claims
            for word in fold(self.text[slice(*claim.sentence)]).split()
            if len(word) >= MIN_WORD and not any(c.isdigit() for c in word)
        }
        if not looked_for:
            return None
        condition = Q()
        for word in looked_for:
            condition |= Q(**{f"{field}__contains": word})
        return condition

    @cached_property
    def projects(self) -> dict[int, Project]:
        condition = self._sharing_words("search_text", self.claims)
        if condition is None:
            return {}
        # Masar's figure is the latest approved update: a draft or one under review is no figure yet, even for
        # the people who may read it.
        latest = (
            ProgressUpdate.objects.visible_to(self.reader)
            .filter(project=OuterRef("pk"), status=UpdateStatus.APPROVED)
            .order_by("-period")
            .values("percent_complete")[:1]
        )
        rows = (
            Project.objects.visible_to(self.reader)
            .filter(condition)
            .only("pk", "code", "name_ar", "name_fr", "name_en", "planned_budget", "currency", "status")
            .annotate(published_percent=Subquery(latest))
            .order_by("code")[:CANDIDATE_LIMIT]
        )
        return {p.pk: p for p in rows}

    @cached_property
    def project_mentions(self) -> list[Any]:
        names = [n for p in self.projects.values() for n in name_of(p.pk, p.name_ar, p.name_fr or "", p.name_en or "")]
        return self.words.mentions(names)

    @cached_property
    def decisions(self) -> dict[int, Decision]:
        """The decisions whose words the status claims' sentences share, with their computed state."""
        condition = self._sharing_words("text_ar", [c for c in self.claims if c.kind is ClaimKind.STATUS])
        if condition is None:
            return {}
        rows = (
            decisions_with_status(self.reader)
            .filter(condition)
            .only("pk", "meeting_id", "text_ar", "text_fr", "text_en")
        )
        return {decision.pk: decision for decision in rows.order_by("pk")[:CANDIDATE_LIMIT]}

    @cached_property
    def decision_mentions(self) -> list[Any]:
        names = [
            n
            for d in self.decisions.values()
            for n in name_of(("decision", d.pk), d.text_ar, d.text_fr or "", d.text_en or "")
        ]
        return self.words.mentions(names)

    @cached_property
    def indicators(self) -> dict[int, Indicator]:
        rows = Indicator.objects.visible_to(self.reader).only("pk", "name_ar", "name_fr", "name_en", "kind")
        return {i.pk: i for i in rows}

    @cached_property
    def indicator_mentions(self) -> list[Any]:
        names = [
            n for i in self.indicators.values() for n in name_of(("indicator", i.pk), i.name_ar, i.name_fr, i.name_en)
        ]
        return self.words.mentions(names)

    @cached_property
    def indicator_values(self) -> dict[Any, tuple[datetime.date, float | None]]:
        named = {m.key[1] for m in self.indicator_mentions}
        return latest_national_values(Indicator.objects.filter(pk__in=named)) if named else {}


def _percent(records: _Records, claim: Claim) -> _Figure | None:
    key: Hashable | None = named_at(records.project_mentions, claim.sentence)
    if isinstance(key, int):
        published = getattr(records.projects[key], "published_percent", None)  # annotated by the read
        if published is None:
            return None
        value = Decimal(published)
        path = reverse("portfolio-project-detail", args=[key])
        return _Figure(_number(value), path, abs(value - Decimal(claim.value)) <= PERCENT_TOLERANCE)  # type: ignore[arg-type]
    key = named_at(records.indicator_mentions, claim.sentence)
    if not isinstance(key, tuple):
        return None
    indicator = records.indicators[key[1]]
    latest = records.indicator_values.get(key[1])
    if indicator.kind != IndicatorKind.PERCENTAGE or latest is None or latest[1] is None:
        return None
    value = Decimal(str(latest[1]))
    path = reverse("indicators-indicator-detail", args=[key[1]])
    return _Figure(_number(value), path, abs(value - Decimal(claim.value)) <= PERCENT_TOLERANCE)  # type: ignore[arg-type]


def _amount(records: _Records, claim: Claim) -> _Figure | None:
    key = named_at(records.project_mentions, claim.sentence)
    if not isinstance(key, int):
        return None
    project = records.projects[key]
    if project.planned_budget is None or (claim.currency is not None and claim.currency != project.currency):
        return None
    path = reverse("portfolio-project-detail", args=[key])
    return _Figure(_number(project.planned_budget), path, project.planned_budget == claim.value)


# Which of Masar's project states each status word agrees with.
_STATES = {
    "completed": {ProjectStatus.COMPLETED},
    "not_completed": {ProjectStatus.PLANNED, ProjectStatus.IN_PROGRESS, ProjectStatus.SUSPENDED},
    "in_progress": {ProjectStatus.IN_PROGRESS},
    "not_started": {ProjectStatus.PLANNED},
    "suspended": {ProjectStatus.SUSPENDED},
}


def _status(records: _Records, claim: Claim) -> _Figure | None:
    """Compare a project's state as the text says it with its state in Masar (a cancelled project agrees with none).

    The project is the one named in the claim's clause, else in its sentence; Masar's figure is the state's code
    ("completed").
    """
    key = named_at(records.project_mentions, claim.clause)
    if not isinstance(key, int):
        key = named_at(records.project_mentions, claim.sentence)
    if not isinstance(key, int):
        return _decision_status(records, claim)
    status = records.projects[key].status
    path = reverse("portfolio-project-detail", args=[key])
    return _Figure(str(status), path, status in _STATES[str(claim.value)])


# Which of a decision's states each status word agrees with (done once the national unit accepted its closure).
_DECISION_STATES = {
    "completed": {DecisionStatus.DONE},
    "not_completed": {
        DecisionStatus.NOT_STARTED,
        DecisionStatus.IN_PROGRESS,
        DecisionStatus.AWAITING_VALIDATION,
        DecisionStatus.OVERDUE,
    },
    "in_progress": {DecisionStatus.IN_PROGRESS, DecisionStatus.AWAITING_VALIDATION, DecisionStatus.OVERDUE},
    "not_started": {DecisionStatus.NOT_STARTED},
    "suspended": set(),
}


def _decision_status(records: _Records, claim: Claim) -> _Figure | None:
    """Compare a decision's state as the text says it ("تم تنفيذ قرار إنشاء لوحات القيادة") with Masar's."""
    key = named_at(records.decision_mentions, claim.clause, claim.sentence, before=claim.start)
    if not isinstance(key, tuple):
        return None
    decision = records.decisions[key[1]]
    status = str(getattr(decision, "status", ""))  # annotated by decisions_with_status
    path = reverse("decisions-meeting-detail", args=[decision.meeting_id]) + f"#decision-{decision.pk}"
    return _Figure(status, path, status in _DECISION_STATES[str(claim.value)])


_COUNTS = {ClaimKind.PROJECT_COUNT, ClaimKind.AXIS_COUNT, ClaimKind.PROGRAM_COUNT, ClaimKind.PHASE_COUNT}


def text_check(reader: Reader, text: str) -> list[CheckedClaim]:
    """Return each claim of text with its verdict against what this reader may read, in reading order."""
    claims = find_claims(text)
    words = Words(text)
    platform = _Platform(reader, claims, words, text)
    about_records = (ClaimKind.PERCENT, ClaimKind.AMOUNT, ClaimKind.STATUS)
    records = _Records(reader, [c for c in claims if c.kind in about_records], words, text)
    checked = []
    for claim in claims:
        if claim.kind in _COUNTS:
            figure = _count(platform, claim)
        elif claim.kind is ClaimKind.PERCENT:
            figure = _percent(records, claim)
        elif claim.kind is ClaimKind.AMOUNT:
            figure = _amount(records, claim)
        elif claim.kind is ClaimKind.STATUS:
            figure = _status(records, claim)
        else:
            figure = _dates(platform, claim)
        if figure is None:
            checked.append(CheckedClaim(claim, Verdict.UNVERIFIABLE))
        else:
            verdict = Verdict.CONSISTENT if figure.matches else Verdict.CONTRADICTED
            checked.append(CheckedClaim(claim, verdict, figure.value, figure.path))
    return checked


def verdict_counts(checked: list[CheckedClaim]) -> dict[str, int]:
    """Return how many claims got each verdict, keyed by the verdict's value (every verdict present)."""
    counts = {verdict.value: 0 for verdict in Verdict}
    for item in checked:
        counts[Verdict(item.verdict).value] += 1
    return counts


@dataclass(frozen=True)
class Part:
    """A piece of the checked text: plain, or a claim with its verdict (for highlighting, escaped by the page)."""

    text: str
    checked: CheckedClaim | None = None


def text_parts(text: str, checked: list[CheckedClaim]) -> list[Part]:
    """Return text cut into plain pieces and claims, in order (claims never overlap)."""
    parts, position = [], 0
    for item in checked:
        if item.claim.start > position:
            parts.append(Part(text[position : item.claim.start]))
        parts.append(Part(item.claim.text, item))
        position = item.claim.end
    if position < len(text):
        parts.append(Part(text[position:]))
    return parts
