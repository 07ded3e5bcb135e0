"""Names of a draft matched to Masar's records, ranked with the search analyzer; only records the reader may read.

A name matches a record when the analyzer's terms of the two mostly agree (fold, the article, attached letters,
plurals); records that match equally well are all proposed, and none is picked for the reviewer.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import Model, Q, QuerySet

from masar.arabic import fold
from masar.arabic.analyzer import terms
from masar.decisions.models import Meeting
from masar.documents.models import Document
from masar.organizations.models import Organization
from masar.strategy.models import Axis, Phase, Program, Strategy

NEW = "new"
# Below this likeness a record is not proposed.
THRESHOLD = 0.6
# Two listed items sharing this share of the shorter one's terms are the same item.
SAME = 0.8
MODELS: dict[str, type[Model]] = {
    "organization": Organization,
    "strategy": Strategy,
    "axis": Axis,
    "program": Program,
    "phase": Phase,
    "meeting": Meeting,
    "document": Document,
}


@dataclass(frozen=True)
class Candidate:
    """A record a name may stand for, with how well it matches and the version the reviewer saw."""

    key: str  # "organization:12"
    label: str
    score: float
    version: int


@dataclass(frozen=True)
class NameMatch:
    """A name of the draft and the records it may stand for, best first."""

    path: str
    name: str
    candidates: tuple[Candidate, ...]

    @property
    def ambiguous(self) -> bool:
        """Whether two records match equally well: the reviewer must choose."""
        return len(self.candidates) > 1 and self.candidates[0].score == self.candidates[1].score

    @property
    def suggested(self) -> str:
        """Return the choice proposed: the best record, "new" when none matches, none when the reviewer must choose."""
        if self.ambiguous:
            return ""
        return self.candidates[0].key if self.candidates else NEW


def key_of(record: Model) -> str:
    return f"{type(record).__name__.lower()}:{record.pk}"


@lru_cache(maxsize=4096)
def _words(name: str) -> frozenset[str]:
    """Return the analyzer's terms of a name, figures left out (a year is no part of what a name says)."""
    return frozenset(term for term in terms(name) if not term.isdigit())


def similarity(name: str, other: str) -> float:
    """Return how much other looks like name, from 0 to 1: the same folded text is 1; else the share of name's
    terms found in other, averaged with the share of both names' terms they have in common."""
    if fold(name) == fold(other):
        return 1.0
    wanted, found = _words(name), _words(other)
    if not wanted or not found:
        return 0.0
    shared = len(wanted & found)
    return round((shared / len(wanted) + shared / len(wanted | found)) / 2, 3)


def same_text(text: str, other: str) -> bool:
    """Whether two items (missions, decisions) say the same: equal once folded, or the shorter's terms at least 80%
    within the longer's (a communiqué restates "سيتم دعم هذا التفاعل" as "دعم هذا التفاعل")."""
    if fold(text) == fold(other):
        return True
    a, b = frozenset(terms(text)), frozenset(terms(other))
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= SAME


def _ranked(name: str, records: Iterable[Any], label: Any, bonus: Any = None) -> tuple[Candidate, ...]:
    found = []
    for record in records:
        score = max(similarity(name, text) for text in label(record)[1:] if text)
        if score >= THRESHOLD:
            score = round(score + (bonus(record) if bonus else 0.0), 3)
            found.append(Candidate(key_of(record), label(record)[0], score, getattr(record, "version", 0)))
    return tuple(sorted(found, key=lambda c: (-c.score, c.label, c.key)))


def _organizations() -> QuerySet[Organization]:
    # The structure of government is public law: every organization is read by every reader.
    return Organization.objects.select_related("parent").only(
        "pk", "version", "name_ar", "name_fr", "name_en", "parent__name_ar"
    )


def _organization_name(organization: Organization) -> str:
    """Return the organization's Arabic name with its parent's, which tells apart the directorates named alike."""
    if organization.parent is not None:
        return f"{organization.name_ar} — {organization.parent.name_ar}"
    return organization.name_ar


def _organization_label(organization: Organization) -> tuple[str, ...]:
    return _organization_name(organization), organization.name_ar, organization.name_fr, organization.name_en


def organization_matches(
    path: str, name: str | None, organizations: Iterable[Organization] | None = None
) -> NameMatch | None:
    """Return the organizations a written name may stand for (among organizations when given, read once by the
    caller for a whole draft)."""
    if not name:
        return None
    return NameMatch(path, name, _ranked(name, organizations or _organizations(), _organization_label))


def responsible_matches(path: str, decision: str, organizations: Iterable[Organization] | None = None) -> NameMatch:
    """Return the organizations named inside a decision's text, the longest name first (the most precise)."""
    text = f" {fold(decision)} "
    found = []
    for organization in organizations or _organizations():
        folded = fold(organization.name_ar)
        if folded and any(f"{sep}{folded} " in text for sep in (" ", " و", " ل", " ب")):
            label = _organization_name(organization)
            found.append(Candidate(key_of(organization), label, float(len(folded)), organization.version))
    return NameMatch(path, decision, tuple(sorted(found, key=lambda c: (-c.score, c.label, c.key))))


def _period_bonus(period: Mapping[str, Any] | None) -> Any:
    def bonus(strategy: Strategy) -> float:
        if not period:
            return 0.0
        years = (strategy.period_start.year, strategy.period_end.year)
        return 0.1 if years == (period.get("start_year"), period.get("end_year")) else 0.0

    return bonus


def _strategy_label(strategy: Strategy) -> tuple[str, ...]:
    return strategy.name_ar, strategy.name_ar, strategy.name_fr, strategy.name_en


def _strategies(reader: Any) -> QuerySet[Strategy]:
    return Strategy.objects.visible_to(reader).only(
        "pk", "version", "name_ar", "name_fr", "name_en", "period_start", "period_end"
    )


def strategy_matches(
    reader: Any,
    path: str,
    name: str | None,
    period: Mapping[str, Any] | None,
    strategies: Iterable[Strategy] | None = None,
) -> NameMatch | None:
    """Return the strategies this reader may read that a name may stand for; the same period ranks first."""
    if not name:
        return None
    found = _strategies(reader) if strategies is None else strategies
    return NameMatch(path, name, _ranked(name, found, _strategy_label, _period_bonus(period)))


def _parts(reader: Any, model: type[Model], strategy_key: str) -> list[Any]:
    """Return the axes, programs or phases of the chosen strategy this reader may read (none for a new one)."""
    kind, _sep, pk = strategy_key.partition(":")
    if kind != "strategy" or not pk.isdigit():
        return []
    return list(model._default_manager.visible_to(reader).filter(strategy_id=int(pk)))  # type: ignore[attr-defined]


def part_matches(
    reader: Any,
    model: type[Model],
    path: str,
    name: str,
    strategy_key: str,
    parts: list[Any] | None = None,
    strategies: Iterable[Strategy] | None = None,
) -> NameMatch:
    """Return the axes, programs or phases of a strategy that a name may stand for (none for a new strategy).

    parts (the strategy's, from `_parts`) and strategies (those the reader may read) are read once by the caller
    for a whole draft; read here when not given."""
    parts = _parts(reader, model, strategy_key) if parts is None else parts
    candidates = _ranked(name, parts, lambda part: (part.name_ar, part.name_ar, part.name_fr, part.name_en))
    if model is Program:
        # A program the text names may be a national program or vision Masar keeps as a strategy of its own.
        others = strategy_matches(reader, path, name, None, strategies)
        candidates = tuple(sorted(candidates + (others.candidates if others else ()), key=lambda c: -c.score))
    return NameMatch(path, name, candidates)


def meeting_matches(reader: Any, body: str | None, date: str | None) -> NameMatch | None:
    """Return the meetings this reader may read that a body (and date, when both are known) may stand for."""
    if not body:
        return None
    meetings = Meeting.objects.visible_to(reader).only("pk", "version", "name_ar", "body_ar", "date")
    if date:
        meetings = meetings.filter(Q(date=datetime.date.fromisoformat(date)) | Q(date__isnull=True))
    label = lambda meeting: (  # noqa: E731
        f"{meeting.name_ar} ({meeting.date or '—'})",
        meeting.body_ar,
        meeting.name_ar,
    )
    return NameMatch("meeting", body, _ranked(body, meetings, label))


def review_matches(
    reader: Any, draft: Mapping[str, Any], choices: Mapping[str, str] | None = None
) -> dict[str, NameMatch]:
    """Return, by path, the records each name of the draft may stand for (what the reviewer chooses among)."""
    choices = choices or {}
    # Each kind of record is read once for the whole draft: the queries do not grow with its items.
    organizations = list(_organizations())
    strategies = list(_strategies(reader))
    found: dict[str, NameMatch | None] = {
        "organization": organization_matches("organization", draft.get("organization"), organizations),
        "parent_organization": organization_matches(
            "parent_organization", draft.get("parent_organization"), organizations
        ),
        "strategy": strategy_matches(reader, "strategy", draft.get("name"), draft.get("period"), strategies),
        "body": organization_matches("body", draft.get("body"), organizations),
        "meeting": meeting_matches(reader, draft.get("body"), draft.get("date")),
    }
    for index, decision in enumerate(draft.get("decisions") or []):
        path = f"decisions.{index}.responsible"
        found[path] = responsible_matches(path, decision, organizations)
    strategy = found["strategy"]
    strategy_key = choices.get("strategy") or (strategy.suggested if strategy else "")
    programs = draft.get("programs")
    items = programs.get("items") if isinstance(programs, Mapping) else programs
    for key, model, listed in (
        ("axes", Axis, draft.get("axes")),
        ("phases", Phase, draft.get("phases")),
        ("programs.items", Program, items),
    ):
        parts = _parts(reader, model, strategy_key) if listed else []
        for index, part in enumerate(listed or []):
            path = f"{key}.{index}"
            found[path] = part_matches(reader, model, path, part["name"], strategy_key, parts, strategies)
    return {path: match for path, match in found.items() if match is not None}


def organization_choices() -> list[tuple[str, str]]:
    """Return (key, label) of every organization, for the reviewer to name one by typing; a label two organizations
    share is told apart by their codes. The structure of government is public law: every reader reads it all."""
    rows = list(_organizations().only("pk", "code", "name_ar", "parent__name_ar"))
    labels = [_organization_name(organization) for organization in rows]
    shared = {label for label, count in Counter(labels).items() if count > 1}
    return [
        (key_of(organization), f"{label} ({organization.code})" if label in shared else label)
        for organization, label in zip(rows, labels, strict=True)
    ]


def organization_by_label(written: str, choices: list[tuple[str, str]]) -> str:
    """Return the key of the organization whose label (or key) was typed, else the text as typed (which names
    nothing, so acceptance asks for a choice)."""
    written = " ".join(written.split())
    for key, label in choices:
        if written in (key, label):
            return key
    folded = fold(written)
    found = {key for key, label in choices if fold(label) == folded}
    return found.pop() if len(found) == 1 else written


def readable_documents(reader: Any) -> QuerySet[Document]:
    """Return the library's documents this reader may read, for them to pick one to read."""
    return Document.objects.visible_to(reader).only("pk", "title", "text_status", "date").order_by("-date", "-pk")


def record_for(reader: Any, key: str) -> Any:
    """Return the record a choice names ("strategy:4") when this reader may read it, else None."""
    kind, _sep, pk = (key or "").partition(":")
    model = MODELS.get(kind)
    if model is None or not pk.isdigit():
        return None
    manager: Any = model._default_manager
    records = manager.all() if model is Organization else manager.visible_to(reader)
    return records.filter(pk=int(pk)).first()
