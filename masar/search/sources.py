"""What search reads of each kind of record: its titles and texts, its organization, year and
classification for the facets, its page, and who may read it (the record's own `visible_to`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.urls import reverse

from masar.core.models import Classification
from masar.search.models import EntryKind

LANGUAGES = ("ar", "fr", "en")


def _names(obj: Any, field: str = "name") -> dict[str, str]:
    return {lang: getattr(obj, f"{field}_{lang}", "") or "" for lang in LANGUAGES}


def _texts(obj: Any, *fields: str) -> list[tuple[str, str]]:
    return [(getattr(obj, f"{f}_{lang}", "") or "", lang) for f in fields for lang in LANGUAGES]


def _short(text: str, limit: int = 200) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class Source:
    """How one kind of record becomes a search entry."""

    kind: EntryKind
    model: str  # "app_label.ModelName"
    titles: Callable[[Any], dict[str, str]]
    bodies: Callable[[Any], list[tuple[str, str]]]  # (text, language)
    organization: Callable[[Any], int | None]
    year: Callable[[Any], int | None]
    classification: Callable[[Any], str]
    page: Callable[..., str]  # the URL of the record's page, from its id (and its parent's, for axes and decisions)
    related: tuple[str, ...] = ()  # select_related for building entries in bulk
    prefetch: tuple[str, ...] = ()
    public_reference: bool = False  # read by everyone (the structure of government)
    # The entry's organization and classification are the record's owner and classification as the policy
    # reads them: for a record that reveals nothing else, the policy's rule can then read the entry itself.
    owner_on_entry: bool = False
    # Words that name this kind of record: "مشاريع الرقمنة" asks for projects about digitization.
    named_by: tuple[str, ...] = ()

    @property
    def model_class(self) -> Any:
        return apps.get_model(self.model)

    def visible_ids(self, reader: Any) -> QuerySet | None:
        """Return the ids of the records of this kind the reader may read, or None when all are public."""
        if self.public_reference:
            return None
        return self.model_class.objects.visible_to(reader).values("pk")

    def entry_lookups(self) -> Any:
        """Return the policy's lookups of this kind read on its search entries, or None when they cannot be.

        Only for a kind whose entry carries the record's owner and classification and whose records reveal
        no other record, wait for no publication and have no manager: the rule is then the same on both.
        """
        if not self.owner_on_entry:
            return None
        lookups = self.model_class.objects.get_queryset().lookups()
        if lookups.reveals or lookups.published or lookups.manager:
            return None
        return dataclasses.replace(lookups, classification="classification", owner="organization")

    def records(self, ids: Iterable[int] | None = None) -> QuerySet:
        manager = self.model_class._default_manager
        queryset = manager.select_related(*self.related).prefetch_related(*self.prefetch)
        return queryset if ids is None else queryset.filter(pk__in=list(ids))


def _year(value: Any) -> int | None:
    return value.year if value else None


def _detail(name: str, anchor: str = "") -> Callable[[int, int | None], str]:
    def url(pk: int, parent: int | None = None) -> str:
        if anchor:
            return reverse(name, args=[parent]) + f"#{anchor}-{pk}"
        return reverse(name, args=[pk])

    return url


SOURCES: tuple[Source, ...] = (
    Source(
        kind=EntryKind.PROJECT,
        named_by=("مشروع", "projet", "project"),
        model="portfolio.Project",
        titles=_names,
        bodies=lambda p: [(p.code, "ar"), *_texts(p, "description")],
        organization=lambda p: p.owner_id,
        year=lambda p: _year(p.planned_start),
        classification=lambda p: p.classification,
        page=lambda pk, parent=None: reverse("portfolio-project-detail", args=[pk]),
    ),
    Source(
        kind=EntryKind.ORGANIZATION,
        model="organizations.Organization",
        titles=_names,
        bodies=lambda o: [
            (f"{o.acronym} {o.code}", "fr"),
            *_texts(o, "description"),
            *((text, lang) for m in o.missions.all() for text, lang in _texts(m, "text")),
        ],
        organization=lambda o: o.pk,
        year=lambda o: None,
        classification=lambda o: Classification.PUBLIC,
        page=lambda pk, parent=None: reverse("organizations-organization-detail", args=[pk]),
        prefetch=("missions",),
        public_reference=True,
    ),
    Source(
        kind=EntryKind.STRATEGY,
        owner_on_entry=True,
        named_by=("استراتيجية", "stratégie", "strategy"),
        model="strategy.Strategy",
        titles=_names,
        bodies=lambda s: [(s.code, "ar"), *_texts(s, "description", "adopted_by")],
        organization=lambda s: s.owner_id,
        year=lambda s: _year(s.period_start),
        classification=lambda s: s.classification,
        page=lambda pk, parent=None: reverse("strategy-strategy-detail", args=[pk]),
    ),
    Source(
        kind=EntryKind.AXIS,
        named_by=("محور", "axe", "axis"),
        model="strategy.Axis",
        titles=_names,
        bodies=lambda a: _texts(a, "description"),
        organization=lambda a: a.strategy.owner_id,
        year=lambda a: _year(a.strategy.period_start),
        classification=lambda a: a.strategy.classification,
        page=lambda pk, parent=None: _detail("strategy-strategy-detail", "axis")(pk, parent),
        related=("strategy",),
    ),
    Source(
        kind=EntryKind.PROGRAM,
        named_by=("برنامج", "programme", "program"),
        model="strategy.Program",
        titles=_names,
        bodies=lambda p: [(p.code, "ar"), *_texts(p, "description")],
        organization=lambda p: p.strategy.owner_id,
        year=lambda p: _year(p.strategy.period_start),
        classification=lambda p: p.strategy.classification,
        page=lambda pk, parent=None: _detail("strategy-strategy-detail", "program")(pk, parent),
        related=("strategy",),
    ),
    Source(
        kind=EntryKind.MEETING,
        owner_on_entry=True,
        named_by=("اجتماع", "réunion", "meeting"),
        model="decisions.Meeting",
        titles=_names,
        bodies=lambda m: _texts(m, "body", "place", "summary", "minutes"),
        organization=lambda m: m.owner_id,
        year=lambda m: _year(m.date),
        classification=lambda m: m.classification,
        page=lambda pk, parent=None: reverse("decisions-meeting-detail", args=[pk]),
    ),
    Source(
        kind=EntryKind.DECISION,
        named_by=("قرار", "décision", "decision"),
        model="decisions.Decision",
        titles=lambda d: {lang: _short(getattr(d, f"text_{lang}", "")) for lang in LANGUAGES},
        bodies=lambda d: _texts(d, "text"),
        organization=lambda d: d.meeting.owner_id,
        year=lambda d: _year(d.meeting.date),
        classification=lambda d: d.classification,
        page=lambda pk, parent=None: _detail("decisions-meeting-detail", "decision")(pk, parent),
        related=("meeting",),
    ),
    Source(
        kind=EntryKind.OBSTACLE,
        named_by=("عقبة", "obstacle"),
        model="delivery.Obstacle",
        titles=lambda o: {"ar": _short(o.description), "fr": "", "en": ""},
        bodies=lambda o: [(o.description, "ar"), (o.proposed_solution, "ar")],
        organization=lambda o: o.project.owner_id,
        year=lambda o: _year(o.reported_at),
        classification=lambda o: o.classification,
        page=lambda pk, parent=None: reverse("delivery-obstacle-detail", args=[pk]),
        related=("project",),
    ),
    Source(
        kind=EntryKind.INDICATOR,
        named_by=("مؤشر", "indicateur", "indicator"),
        model="indicators.Indicator",
        titles=_names,
        bodies=lambda i: [(i.code, "ar"), *_texts(i, "description", "unit")],
        organization=lambda i: i.owner_id,
        year=lambda i: None,
        classification=lambda i: i.classification,
        page=lambda pk, parent=None: reverse("indicators-indicator-detail", args=[pk]),
    ),
    Source(
        kind=EntryKind.DOCUMENT,
        owner_on_entry=True,
        model="documents.Document",
        titles=lambda d: {"ar": d.title, "fr": "", "en": ""},
        bodies=lambda d: [(d.text, d.language)],
        organization=lambda d: d.organization_id,
        year=lambda d: _year(d.date),
        classification=lambda d: d.classification,
        page=lambda pk, parent=None: reverse("documents-document-detail", args=[pk]),
    ),
    Source(
        kind=EntryKind.SERVICE,
        owner_on_entry=True,
        named_by=("خدمة", "service"),
        model="catalogue.Service",
        titles=_names,
        bodies=lambda s: [(s.code, "ar"), *_texts(s, "description", "steps")],
        organization=lambda s: s.owner_id,
        year=lambda s: None,
        classification=lambda s: s.classification,
        page=lambda pk, parent=None: reverse("catalogue-service-detail", args=[pk]),
    ),
)

BY_KIND = {source.kind.value: source for source in SOURCES}
BY_MODEL = {source.model.lower(): source for source in SOURCES}

# The record whose page shows an entry of these kinds (the id passed as `parent` to `page`).
PARENT_FIELD = {EntryKind.AXIS: "strategy_id", EntryKind.PROGRAM: "strategy_id", EntryKind.DECISION: "meeting_id"}
