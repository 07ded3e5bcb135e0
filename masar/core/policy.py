"""Who reads, and every rule of what they may read and do: Masar's one policy.

Every door (pages, exports, dashboards, council packs, notifications, and later the API, search,
open data and the portal) asks these functions; none restates a rule.

Readers (`Reader`):
- the public (anonymous visitors, the public dashboard, open data);
- a civil servant who signs in (`Reader.of(user)`), with one role and one organization;
- a background job (`Reader.system()`), which reads everything and changes nothing by itself;
- another administration's system (`Reader.client(api_client)`): deny by default. With the scope
  to read a kind of record it reads its own organization's records of that kind, the public
  reference records (organizations, regions, strategies), and what its sharing agreements grant,
  never above its clearance; with the scope to write a kind it changes its own organization's
  records of that kind, and decides nothing;
- any of them capped at a classification (`reader.capped(level)`) for a council pack: the same
  visibility with a ceiling, read-only.

Reading:
- public records are read by everyone; restricted records by every civil servant who signs in;
- confidential records inside the owning organization's line (its ancestors), by the sector
  coordinator whose subtree holds the owner, by the project's manager and by the national unit;
- inspectors (the inspectorate, auditors) read everything the national unit reads, drafts included.
Changing:
- the national delivery unit changes everything;
- a sector coordinator changes records owned inside their subtree (not meetings or decisions);
- a project manager changes the projects they manage (and what hangs from them);
- viewers, inspectors, the public, jobs, API clients and capped readers change nothing through this rule.
Deciding: see the `may_*` functions below; each says who and why.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import BooleanField, Q, QuerySet, Value
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from masar.core.models import Classification
from masar.core.records import RecordType
from masar.core.roles import Role

NOTHING = Q(pk__in=[])
EVERYTHING = Q()
CLEARANCE_ORDER: list[str] = [Classification.PUBLIC, Classification.RESTRICTED, Classification.CONFIDENTIAL]


def rank(level: str) -> int:
    """Return the position of a classification level, public lowest."""
    return CLEARANCE_ORDER.index(level)


def levels_up_to(level: str) -> list[str]:
    """Return the classification levels at or below level."""
    return [str(x) for x in CLEARANCE_ORDER[: rank(level) + 1]]


def levels_from(level: str) -> list[str]:
    """Return the classification levels at or above level."""
    return [str(x) for x in CLEARANCE_ORDER[rank(level) :]]


class ReaderKind(models.TextChoices):
    PUBLIC = "public", _("The public")
    USER = "user", _("A signed-in civil servant")
    SYSTEM = "system", _("A background job")
    CLIENT = "client", _("Another administration's system")


@dataclass(frozen=True)
class Grant:
    """What one approved, unexpired sharing agreement opens to an API client.

    The records of one kind (`record_type`, e.g. "measurements") owned in one organization's
    subtree, up to a classification level.
    """

    record_type: str
    owner_path: str
    level: str
    agreement_id: int | None = None  # the agreement it comes from, named in the exchange log


# Kinds of records every client with the scope to read them may read when public: the map of the
# administration, needed to understand anything else it reads.
REFERENCE_TYPES = frozenset({RecordType.ORGANIZATIONS, RecordType.REGIONS, RecordType.STRATEGIES})


class UnknownReader(PermissionDenied):
    """Raised for anything the policy does not know as a reader: it is refused, never let through."""


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


@dataclass(frozen=True)
class Reader:
    """Who reads. Built only by the constructors below, never by hand."""

    kind: str
    user_id: int | None = None
    role: str = ""
    organization_id: int | None = None
    organization_path: str = ""
    active: bool = True
    national: bool = False
    reads_all: bool = False  # reads every record whatever its owner (the national unit, inspectors)
    ceiling: str | None = None
    client_id: int | None = None
    clearance: str | None = None  # an API client's classification ceiling (it reads, and writes, nothing above)
    read_types: frozenset[str] = frozenset()  # an API client's scopes: the kinds of records it reads
    write_types: frozenset[str] = frozenset()  # ... and those it writes
    grants: tuple[Grant, ...] = ()  # what its approved, unexpired sharing agreements open to it

    @classmethod
    def of(cls, who: Any) -> Reader:
        """Return the reader for a signed-in user, an anonymous visitor, or a reader already built."""
        if isinstance(who, Reader):
            return who
        if who is None or isinstance(who, AnonymousUser):
            return cls.public()
        if not isinstance(who, get_user_model()) or who.pk is None:
            # An unsaved or foreign object (e.g. a forged superuser) is not a reader.
            raise UnknownReader
        if who.role == Role.API_CLIENT:
            # The account an administration's system acts through: it reads as that client, never as a person.
            return cls.client(getattr(who, "api_client", None))
        organization = who.organization
        national = who.is_superuser or who.role == Role.NATIONAL_ADMIN
        return cls(
            kind=ReaderKind.USER,
            user_id=who.pk,
            role=who.role,
            organization_id=who.organization_id,
            organization_path=organization.path if organization is not None else "",
            active=who.is_active,
            national=national,
            reads_all=national or who.role == Role.INSPECTOR,
        )

    @classmethod
    def public(cls) -> Reader:
        return cls(kind=ReaderKind.PUBLIC)

    @classmethod
    def system(cls) -> Reader:
        return cls(kind=ReaderKind.SYSTEM)

    @classmethod
    def client(cls, api_client: Any) -> Reader:
        """Return the reader for another administration's API client.

        The client belongs to an organization and names its clearance, its scopes ("projects:read",
        "measurements:write", ...) and, through `grants()`, what its sharing agreements open to it.
        """
        if api_client is None or getattr(api_client, "pk", None) is None:
            raise UnknownReader
        organization = getattr(api_client, "organization", None)
        scopes = [str(scope) for scope in getattr(api_client, "scopes", None) or ()]
        grants = getattr(api_client, "grants", None)
        clearance = getattr(api_client, "clearance", None) or Classification.PUBLIC
        if clearance not in Classification.values:
            raise UnknownReader
        return cls(
            kind=ReaderKind.CLIENT,
            client_id=api_client.pk,
            organization_id=organization.pk if organization is not None else None,
            organization_path=organization.path if organization is not None else "",
            active=bool(getattr(api_client, "is_active", True)),
            clearance=str(clearance),
            read_types=frozenset(s.removesuffix(":read") for s in scopes if s.endswith(":read")),
            write_types=frozenset(s.removesuffix(":write") for s in scopes if s.endswith(":write")),
            grants=tuple(grants()) if callable(grants) else (),
        )

    def capped(self, level: str) -> Reader:
        """Return the same reader seeing nothing above level (council packs), and changing nothing."""
        if level not in Classification.values:
            raise UnknownReader
        ceiling = level if self.ceiling is None else CLEARANCE_ORDER[min(rank(level), rank(self.ceiling))]
        return dataclasses.replace(self, ceiling=str(ceiling))

    @property
    def is_public(self) -> bool:
        return self.kind == ReaderKind.PUBLIC

    @property
    def is_person(self) -> bool:
        """Whether a signed-in civil servant reads (the only reader who acts through pages)."""
        return self.kind == ReaderKind.USER and self.active

    @property
    def is_national(self) -> bool:
        """Whether the national delivery unit acts (uncapped)."""
        return self.is_person and self.national and self.ceiling is None

    def coordinates(self, organization: Any) -> bool:
        """Whether this reader is the sector coordinator of a subtree holding organization."""
        return (
            self.is_person
            and self.role == Role.SECTOR_COORDINATOR
            and bool(self.organization_path)
            and organization is not None
            and organization.path.startswith(self.organization_path)
        )


# Reading and changing records ------------------------------------------------------------------


@dataclass(frozen=True)
class Lookups:
    """Where a model keeps what the rules read: its classification, owner and manager.

    `published` (field, value): outside the people who may change it, a record in a workflow is
    read only once it reached that state (an indicator value once approved); with
    `coordinators_read_drafts`, the coordinators of the owner's line read it before too (a decision
    of a meeting whose decisions are not yet published: its responsible ministry's coordinator).
    `reveals`: the relations to the records this one shows (a project its strategy, a decision its
    meeting, an agenda item its project and obstacle) with those records' own lookups (prefixed when read
    through a join). A record is read only by those who may read every record it reveals, so it is never
    less classified than what it shows of its parents. `model`: the model these lookups describe.
    """

    classification: str = "classification"
    owner: str = "owner"
    manager: str | None = None
    coordinator_writes: bool = True
    published: tuple[str, Any] | None = None
    reveals: tuple[tuple[str, Lookups], ...] = ()
    coordinators_read_drafts: bool = False
    record_type: str = ""  # the kind of record, as API clients' scopes and sharing agreements name it
    model: Any = None

    def prefixed(self, relation: str) -> Lookups:
        """Return these lookups as seen from a record that points here through relation."""
        return dataclasses.replace(
            self,
            classification=f"{relation}__{self.classification}",
            owner=f"{relation}__{self.owner}",
            manager=f"{relation}__{self.manager}" if self.manager else None,
            published=(f"{relation}__{self.published[0]}", self.published[1]) if self.published else None,
            reveals=tuple((f"{relation}__{name}", inner) for name, inner in self.reveals),
        )


def either(a: Q, b: Q) -> Q:
    # Django drops an empty Q from an OR, which would turn "everything" into "only a".
    return EVERYTHING if EVERYTHING in (a, b) else a | b


def visible_q(who: Any, lookups: Lookups, *, revealed: bool = False) -> Q:
    """Return the condition on records that this reader may read.

    `revealed`: the records are parents shown by a record being read (a project's strategy); an API
    client's scopes name what it asks for, not the context that comes with it.
    """
    reader = Reader.of(who)
    q = _visible_q(reader, lookups, revealed=revealed)
    if lookups.published is not None:
        field, value = lookups.published
        q &= either(Q(**{field: value}), draft_readers_q(reader, lookups))
    if reader.ceiling is not None:
        q &= Q(**{f"{lookups.classification}__in": levels_up_to(reader.ceiling)})
    for relation, related in lookups.reveals:
        if related.model is not None and related.model is lookups.model:
            # Records of its own kind (a ratio indicator's inputs): a subquery on the table, since joins double
            # at each level — three levels of inputs took PostgreSQL 48 ms to plan for one indicator.
            parent = visible_q(reader, related, revealed=True)
            if parent != EVERYTHING:
                shown = related.model._base_manager.filter(parent).values("pk")
                q &= Q(**{f"{relation}__isnull": True}) | Q(**{f"{relation}__in": shown})
        else:
            # Other records (a project's strategy): joined, which lets a list filter its parents in one pass.
            parent = visible_q(reader, related.prefixed(relation), revealed=True)
            if parent != EVERYTHING:
                q &= Q(**{f"{relation}__isnull": True}) | parent
    return q


def _visible_q(reader: Reader, lookups: Lookups, *, revealed: bool = False) -> Q:
    level = lookups.classification
    if reader.kind == ReaderKind.SYSTEM or (reader.kind == ReaderKind.USER and reader.reads_all):
        return EVERYTHING
    public = Q(**{level: Classification.PUBLIC})
    if reader.kind == ReaderKind.PUBLIC:
        return public
    if reader.kind == ReaderKind.CLIENT:
        return _client_visible_q(reader, lookups, revealed=revealed)
    if reader.kind != ReaderKind.USER:
        raise UnknownReader
    q = Q(**{f"{level}__in": [Classification.PUBLIC, Classification.RESTRICTED]})
    if reader.organization_id is not None:
        q |= Q(**{f"{lookups.owner}_id__in": _path_ids(reader.organization_path)})
        if reader.role == Role.SECTOR_COORDINATOR:
            q |= Q(**{f"{lookups.owner}__path__startswith": reader.organization_path})
    if lookups.manager:
        q |= Q(**{lookups.manager: reader.user_id})
    return q


def _client_visible_q(reader: Reader, lookups: Lookups, *, revealed: bool) -> Q:
    """Return what an API client reads of one kind of record: deny by default (see the module's text)."""
    if not reader.active or reader.clearance is None:
        return NOTHING
    level = lookups.classification
    within = Q(**{f"{level}__in": levels_up_to(reader.clearance)})
    asked = revealed or lookups.record_type in reader.read_types
    q = NOTHING
    if asked and reader.organization_path:
        q |= within & Q(**{f"{lookups.owner}__path__startswith": reader.organization_path})
    if revealed:
        # The context a readable record shows (a decision's meeting, a project's strategy): as any
        # civil servant reads it, up to restricted, within the client's clearance. Confidential
        # context still needs its own organization or an agreement.
        context = CLEARANCE_ORDER[min(rank(Classification.RESTRICTED), rank(reader.clearance))]
        q |= Q(**{f"{level}__in": levels_up_to(context)})
    elif asked and lookups.record_type in REFERENCE_TYPES:
        q |= Q(**{level: Classification.PUBLIC})
    for grant in reader.grants:
        if revealed or grant.record_type == lookups.record_type:
            ceiling = levels_up_to(CLEARANCE_ORDER[min(rank(grant.level), rank(reader.clearance))])
            q |= Q(**{f"{level}__in": ceiling, f"{lookups.owner}__path__startswith": grant.owner_path})
    return q


def may_ask_for(who: Any, record_type: str, organization: Any) -> bool:
    """Whether this reader may ask for the records of one kind owned in an organization's subtree.

    People and jobs may (what they get is filtered by `visible_q`). An API client may only where
    that organization is inside its own, or an agreement in force covers it: otherwise it is told
    so (403) rather than handed an empty list it could mistake for "nothing there".
    """
    reader = Reader.of(who)
    if reader.kind != ReaderKind.CLIENT:
        return True
    if not reader.active or record_type not in reader.read_types and record_type not in REFERENCE_TYPES:
        return False
    if record_type in REFERENCE_TYPES:
        return True
    path = organization.path
    if reader.organization_path and path.startswith(reader.organization_path):
        return True
    return any(
        g.record_type == record_type and (path.startswith(g.owner_path) or g.owner_path.startswith(path))
        for g in reader.grants
    )


def may_call(who: Any, record_type: str, *, write: bool = False) -> bool:
    """Whether this reader may call the API on one kind of record: an API client needs the scope for it."""
    reader = Reader.of(who)
    if reader.kind != ReaderKind.CLIENT:
        return reader.kind != ReaderKind.PUBLIC
    return reader.active and record_type in (reader.write_types if write else reader.read_types)


def writable_q(who: Any, lookups: Lookups) -> Q:
    """Return the condition on records that this reader may change."""
    reader = Reader.of(who)
    if reader.kind == ReaderKind.CLIENT:
        if not reader.active or reader.clearance is None or lookups.record_type not in reader.write_types:
            return NOTHING
        if not reader.organization_path:
            return NOTHING
        return Q(
            **{
                f"{lookups.classification}__in": levels_up_to(reader.clearance),
                f"{lookups.owner}__path__startswith": reader.organization_path,
            }
        )
    if not reader.is_person or reader.ceiling is not None:
        return NOTHING
    if reader.national:
        return EVERYTHING
    q = NOTHING
    if reader.role == Role.SECTOR_COORDINATOR and lookups.coordinator_writes and reader.organization_path:
        q |= Q(**{f"{lookups.owner}__path__startswith": reader.organization_path})
    if reader.role == Role.PROJECT_MANAGER and lookups.manager:
        q |= Q(**{lookups.manager: reader.user_id})
    return q


def _client_writes(reader: Reader, kind: str, owner: Any, level: str) -> bool:
    """Whether an API client writes records of this kind owned by owner at this level (see `writable_q`)."""
    return (
        reader.kind == ReaderKind.CLIENT
        and reader.active
        and reader.clearance is not None
        and kind in reader.write_types
        and bool(reader.organization_path)
        and owner is not None
        and owner.path.startswith(reader.organization_path)
        and rank(level) <= rank(reader.clearance)
    )


def may_write_about(who: Any, project: Any, kind: str) -> bool:
    """Whether this reader records what hangs from a project (kind: "progress_updates", "obstacles", ...).

    A person: whoever may change the project. An API client: one with the scope to write that kind,
    on a project of its own organization within its clearance.
    """
    reader = Reader.of(who)
    if reader.kind == ReaderKind.CLIENT:
        return _client_writes(reader, kind, project.owner, project.classification)
    return may_write(reader, project)


def may_create_under(who: Any, owner: Any, record_type: str, level: str) -> bool:
    """Whether this reader creates a record of a type (e.g. "projects") owned by owner at a classification level.

    The national unit; the sector coordinator of a subtree holding owner; an API client with the scope
    to write that type, for its own organization and within its clearance. Bulk imports ask this
    before creating a record, as `may_write` is asked before changing one.
    """
    reader = Reader.of(who)
    if reader.kind == ReaderKind.CLIENT:
        return _client_writes(reader, record_type, owner, level)
    return reader.is_national or (reader.ceiling is None and reader.coordinates(owner))


def may_add_document(who: Any, organization: Any, level: str) -> bool:
    """Whether this reader adds a document (a law, a strategy, minutes...) owned by organization at this level.

    Whoever creates records under that organization (`may_create_under`: the national unit, the
    coordinator of a subtree holding it, an API client with the scope to write documents for its own
    organization within its clearance); and a project manager for their own organization's subtree,
    as the staff who keep its texts. Viewers, the public, jobs and capped readers add nothing.
    """
    reader = Reader.of(who)
    if organization is None or level not in Classification.values:
        return False
    if may_create_under(reader, organization, RecordType.DOCUMENTS, level):
        return True
    return (
        reader.is_person
        and reader.ceiling is None
        and reader.role == Role.PROJECT_MANAGER
        and bool(reader.organization_path)
        and organization.path.startswith(reader.organization_path)
    )


def may_change_document(who: Any, document: Any) -> bool:
    """Whether this reader changes a document (its details, links and versions): whoever may add it there."""
    return may_read(who, document) and may_add_document(who, document.organization, document.classification)


def _queryset_of(obj: models.Model) -> Any:
    return type(obj)._default_manager.get_queryset()


def may_read(who: Any, obj: models.Model) -> bool:
    """Whether this reader may read this record."""
    return _queryset_of(obj).visible_to(who).filter(pk=obj.pk).exists()


def may_write(who: Any, obj: models.Model) -> bool:
    """Whether this reader may change this record."""
    may_change = getattr(obj, "may_change", None)
    if may_change is not None and getattr(obj, "may_change_reader", None) == Reader.of(who):
        return bool(may_change)
    return _queryset_of(obj).writable_by(who).filter(pk=obj.pk).exists()


def _writable_expression(reader: Reader, lookups: Lookups) -> Any:
    q = writable_q(reader, lookups)
    if q == EVERYTHING:
        return Value(True)
    if q == NOTHING:
        return Value(False)
    return models.Case(models.When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def get_for_reader(queryset: Any, who: Any, pk: Any, *, write: bool = False) -> Any:
    """Return one record with `.may_change` answered in the same lookup: 404 unseen, 403 unchangeable."""
    reader = Reader.of(who)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    lookups = queryset.model._default_manager.get_queryset().lookups()
    obj = queryset.visible_to(reader).annotate(may_change=_writable_expression(reader, lookups)).filter(pk=pk).first()
    if obj is None:
        raise Http404
    obj.may_change_reader = reader
    if write and not obj.may_change:
        raise PermissionDenied
    return obj


# Deciding ---------------------------------------------------------------------------------------


def may_review(who: Any, project: Any) -> bool:
    """Whether this reader approves or returns a project's updates: its sector coordinator or the national unit."""
    reader = Reader.of(who)
    return reader.is_national or reader.coordinates(project.owner)


def reviewed_q(who: Any, project_lookup: str = "project") -> Q:
    """Return the condition "this reader reviews the project at project_lookup" (`may_review`), for a list's SQL."""
    reader = Reader.of(who)
    if reader.is_national:
        return EVERYTHING
    if reader.is_person and reader.role == Role.SECTOR_COORDINATOR and reader.organization_path:
        # The subtree's organizations first (a few dozen, by the path's index), then their projects by the owner's
        # index: a join on the path instead reads every project of the country.
        organizations = apps.get_model("organizations", "Organization").objects
        subtree = organizations.filter(path__startswith=reader.organization_path).values("pk")
        return Q(**{f"{project_lookup}__owner__in": subtree})
    return NOTHING


def may_escalate(who: Any, project: Any) -> bool:
    """Whether this reader puts a project's obstacle on a meeting's agenda: the same people who review it."""
    return may_review(who, project)


def may_decide_baseline(who: Any) -> bool:
    """Whether this reader approves or rejects a re-baseline: the national unit only."""
    return Reader.of(who).is_national


def may_follow_up(who: Any, decision: Any) -> bool:
    """Whether this reader reports action taken on a decision: its line's coordinator or the national unit.

    An API client of the responsible line with the scope to write action-taken reports sends them too.
    """
    reader = Reader.of(who)
    if reader.kind == ReaderKind.CLIENT:
        return _client_writes(reader, RecordType.ACTION_UPDATES, decision.responsible, decision.classification)
    return reader.is_national or reader.coordinates(decision.responsible)


def may_validate_closure(who: Any, decision: Any) -> bool:
    """Whether this reader accepts or returns a decision reported done: the national unit only."""
    return Reader.of(who).is_national


def may_manage_meetings(who: Any) -> bool:
    """Whether this reader creates meetings, their agenda and decisions: the national unit only."""
    return Reader.of(who).is_national


def may_enter_values(who: Any, indicator: Any) -> bool:
    """Whether this reader enters and changes an indicator's values: whoever may change the indicator.

    An API client with the scope to write measurements sends values of its own organization's indicators.
    Nobody enters the values of an indicator Masar computes from its own records (`COMPUTED_SOURCES`).
    """
    from masar.indicators.models import COMPUTED_SOURCES

    reader = Reader.of(who)
    if getattr(indicator, "source", "") in COMPUTED_SOURCES:
        return False
    if reader.kind == ReaderKind.CLIENT:
        return _client_writes(reader, RecordType.MEASUREMENTS, indicator.owner, indicator.classification)
    return may_write(reader, indicator)


def may_decide_value(who: Any, measurement: Any) -> bool:
    """Whether this reader approves or rejects a value: a person who may enter values, other than its submitter."""
    reader = Reader.of(who)
    return may_enter_values(reader, measurement.indicator) and measurement.submitted_by_id != reader.user_id


def may_see_unapproved_values(who: Any, indicator: Any) -> bool:
    """Whether this reader sees values not yet approved: those who may enter them."""
    return may_enter_values(who, indicator)


def may_set_weights(who: Any) -> bool:
    """Whether this reader sets the scorecard weights: the national unit only."""
    return Reader.of(who).is_national


def may_edit_thesaurus(who: Any) -> bool:
    """Whether this reader edits search's thesaurus of synonyms: the national unit only."""
    return Reader.of(who).is_national


def may_publish(who: Any) -> bool:
    """Whether this reader makes internal material (obstacles, narratives, reasons) public: the national unit."""
    return Reader.of(who).is_national


def may_set_classification(who: Any, obj: Any, level: str) -> bool:
    """Whether this reader may give a record this classification.

    Raising it is part of changing the record. Lowering it is a release of information: only the
    coordinator of the owning subtree or the national unit decides it; making internal material
    public is the national unit's choice.
    """
    reader = Reader.of(who)
    current = getattr(obj, "classification", None) if obj is not None and obj.pk else None
    if current is None or rank(level) >= rank(current):
        return True
    owner = getattr(obj, "owner", None) or getattr(getattr(obj, "project", None), "owner", None)
    return reader.is_national or reader.coordinates(owner)


def check_classification(who: Any, obj: Any, level: str | None) -> None:
    """Refuse a classification this reader may not give this record (see `may_set_classification`)."""
    from masar.core.errors import NotPermitted

    if level is None or obj is None or not obj.pk or level == getattr(obj, "classification", level):
        return
    if not may_set_classification(who, obj, level):
        raise NotPermitted(
            _("Lowering a classification is decided by the sector coordinator or the national delivery unit.")
        )
    if level == Classification.PUBLIC and getattr(obj, "is_internal_material", False) and not may_publish(who):
        raise NotPermitted(_("Only the national delivery unit publishes internal material."))


def may_report_progress(who: Any) -> bool:
    """Whether this reader has monthly reports to send: the project managers."""
    reader = Reader.of(who)
    return reader.is_person and reader.ceiling is None and reader.role == Role.PROJECT_MANAGER


def may_review_submissions(who: Any) -> bool:
    """Whether this reader has submissions to review (updates, values): sector coordinators and the national unit.

    Each submission is still decided by `may_review` or `may_decide_value`; this says who has a review queue.
    """
    reader = Reader.of(who)
    return reader.is_national or (
        reader.is_person and reader.ceiling is None and reader.role == Role.SECTOR_COORDINATOR
    )


def may_steer(who: Any) -> bool:
    """Whether this reader follows escalations, re-baselines, late reports and overdue decisions: the national unit."""
    return Reader.of(who).is_national


@dataclass(frozen=True)
class Navigation:
    """What the navigation offers this reader: only what they may do (reading pages are offered to all)."""

    my_work: bool
    updates_due: bool
    values_to_review: bool
    systems: bool = False
    exchange: bool = False
    data_readers: bool = False
    imports: bool = False
    documents: bool = True  # the document library is read by everyone (public documents for the public)
    add_document: bool = False
    citizens_voice: bool = False
    read_texts: bool = False


def navigation(who: Any) -> Navigation:
    """Return the navigation entries this reader may use."""
    reader = Reader.of(who)
    reviews = may_review_submissions(reader)
    return Navigation(
        my_work=reader.is_person,
        updates_due=reviews or may_report_progress(reader),
        values_to_review=reviews,
        systems=may_manage_systems(reader),
        exchange=may_see_exchange_map(reader),
        data_readers=may_see_data_readers(reader),
        imports=may_import(reader),
        add_document=may_add_documents(reader),
        citizens_voice=may_hear_citizens(reader),
        read_texts=may_read_texts(reader) and reader.is_person,
    )


def may_add_documents(who: Any) -> bool:
    """Whether this reader has documents to add from the pages (each is still judged by `may_add_document`)."""
    reader = Reader.of(who)
    return reader.is_national or (
        reader.is_person
        and reader.ceiling is None
        and reader.role in (Role.SECTOR_COORDINATOR, Role.PROJECT_MANAGER)
        and bool(reader.organization_path)
    )


def may_manage_systems(who: Any) -> bool:
    """Whether this reader has other administrations' systems to manage (their tokens and webhooks).

    Sector coordinators and the national unit; each client is still managed by `may_manage_client`
    (`masar.exchange.services`): its organization's coordinators and the national unit.
    """
    reader = Reader.of(who)
    return reader.is_national or (
        reader.is_person and reader.ceiling is None and reader.role == Role.SECTOR_COORDINATOR
    )


# Other administrations' systems: who manages them, their tokens, webhooks and agreements --------


def may_manage_for(who: Any, organization: Any) -> bool:
    """Whether this reader manages the exchange of an organization: its line's coordinator or the national unit.

    They register its systems, manage their scopes, tokens and webhooks, and decide the sharing
    agreements that ask for its data.
    """
    reader = Reader.of(who)
    return reader.is_national or (reader.ceiling is None and reader.coordinates(organization))


def managed_q(who: Any, organization_lookup: str) -> Q:
    """Return the condition "the organization at organization_lookup is one this reader manages" (`may_manage_for`)."""
    reader = Reader.of(who)
    if reader.is_national:
        return EVERYTHING
    if (
        reader.is_person
        and reader.ceiling is None
        and reader.role == Role.SECTOR_COORDINATOR
        and reader.organization_path
    ):
        path = f"{organization_lookup}__path__startswith" if organization_lookup else "path__startswith"
        return Q(**{path: reader.organization_path})
    return NOTHING


def may_manage_client(who: Any, client: Any) -> bool:
    """Whether this reader manages a system (scopes, tokens, webhooks): whoever manages its organization."""
    return may_manage_for(who, client.organization)


def may_decide_agreement(who: Any, agreement: Any) -> bool:
    """Whether this reader approves, refuses or revokes an agreement: whoever manages the data's owner."""
    return may_manage_for(who, agreement.owner)


def may_manage_token(who: Any, token: Any) -> bool:
    """Whether this reader revokes or rotates a token: a person their own; a system's, whoever manages it."""
    if token.client is not None:
        return may_manage_client(who, token.client)
    return may_edit_profile(who, token.user)


def may_manage_subscription(who: Any, subscription: Any) -> bool:
    """Whether this reader sees and manages a webhook subscription: whoever manages its system, or the system itself."""
    return may_manage_client(who, subscription.client) or is_the_client(who, subscription.client)


def is_the_client(who: Any, client: Any) -> bool:
    """Whether this reader is that API client itself (a system managing its own webhooks through the API)."""
    reader = Reader.of(who)
    return reader.kind == ReaderKind.CLIENT and reader.active and reader.client_id == getattr(client, "pk", None)


def may_see_exchange_map(who: Any) -> bool:
    """Whether this reader reads the exchange map (which administration receives what from whom): civil servants.

    Each sees the flows of their organization; a coordinator those of their subtree; the national unit all.
    """
    return Reader.of(who).is_person


def may_see_data_readers(who: Any) -> bool:
    """Whether this reader sees which systems read their data and when: the owners' coordinators, the national unit."""
    return may_manage_systems(who)


def may_see_staff(who: Any) -> bool:
    """Whether this reader sees who wrote, submitted or reviewed internal material: signed-in civil servants."""
    return Reader.of(who).is_person


def may_read_audit(who: Any) -> bool:
    """Whether this reader reads a record's audit trail: signed-in civil servants."""
    return Reader.of(who).is_person


def max_clearance(who: Any) -> str:
    """Return the highest level this reader may ask a report for."""
    reader = Reader.of(who)
    if reader.ceiling is not None:
        return reader.ceiling
    if reader.kind == ReaderKind.SYSTEM:
        return Classification.CONFIDENTIAL
    if reader.kind == ReaderKind.CLIENT:
        return reader.clearance or Classification.PUBLIC
    if not reader.is_person:
        return Classification.PUBLIC
    if reader.reads_all or reader.role == Role.SECTOR_COORDINATOR:
        return Classification.CONFIDENTIAL
    return Classification.RESTRICTED


def may_request_export(who: Any) -> bool:
    """Whether this reader may have a large export built in the background (kept for them): people who sign in."""
    return Reader.of(who).is_person


def may_import(who: Any) -> bool:
    """Whether this reader may send files for bulk import from the pages: people who sign in.

    Each row is then judged on its own (`may_write`, `may_create_under`, `may_write_about`, `may_enter_values`).
    """
    return Reader.of(who).is_person


def may_request_pack(who: Any, level: str) -> bool:
    """Whether this reader may ask for a council pack at this classification."""
    reader = Reader.of(who)
    return reader.is_person and level in levels_up_to(max_clearance(reader))


def cache_scope(who: Any) -> str:
    """Return a cache key part shared exactly by readers who see the same records."""
    reader = Reader.of(who)
    if reader.kind == ReaderKind.PUBLIC:
        scope = "public"
    elif reader.kind == ReaderKind.SYSTEM or (reader.kind == ReaderKind.USER and reader.national):
        scope = "all"
    elif reader.kind == ReaderKind.USER and reader.reads_all:
        # An inspector reads what the national unit reads but changes nothing: pages that offer
        # actions must not be shared with the national unit's.
        scope = "all-read-only"
    elif reader.kind == ReaderKind.CLIENT:
        grants = "|".join(f"{g.record_type}:{g.owner_path}:{g.level}" for g in reader.grants)
        # Scopes and grants are hashed: spelled out they outgrow a cache key (250 characters) as kinds are added.
        seen = f"{reader.clearance}-{','.join(sorted(reader.read_types))}-{grants}"
        scope = f"client-{reader.client_id}-{hashlib.sha256(seen.encode()).hexdigest()[:24]}"
    else:
        # Confidential visibility depends on the organization, the role and the projects one manages.
        scope = f"user-{reader.user_id}-{reader.role}-{reader.organization_id}"
    return f"{scope}-{reader.ceiling}" if reader.ceiling else scope


# Audiences: who is told -------------------------------------------------------------------------


def _people() -> QuerySet:
    return get_user_model().objects.filter(is_active=True)


def coordinators_of(organization: Any) -> QuerySet:
    """Return the sector coordinators of the subtrees holding organization."""
    return _people().filter(role=Role.SECTOR_COORDINATOR, organization__in=organization.ancestor_ids())


def reviewers_of(project: Any) -> QuerySet:
    """Return the people who approve this project's updates (its sector coordinators)."""
    return coordinators_of(project.owner)


def national_unit() -> QuerySet:
    """Return the people of the national delivery unit."""
    return _people().filter(Q(role=Role.NATIONAL_ADMIN) | Q(is_superuser=True))


def alert_readers() -> QuerySet:
    """Return the people told of new integrity alerts: the inspectorate (who triage them)."""
    return _people().filter(role=Role.INSPECTOR)


def readers_among(users: Iterable[Any], obj: models.Model) -> list[Any]:
    """Return those of users who may read obj: a notification about a record reaches only its readers."""
    seen = set()
    kept = []
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        if may_read(user, obj):
            kept.append(user)
    return kept


WITHHELD = _("(withheld)")  # what a page or a notification shows of a record its reader may not read


# People's own accounts and the evidence attached to records ------------------------------------


def may_edit_profile(who: Any, user: Any) -> bool:
    """Whether this reader changes a person's name, contact details and preferences: that person only."""
    reader = Reader.of(who)
    return reader.is_person and reader.ceiling is None and reader.user_id == getattr(user, "pk", None)


# Who signs in with a second factor (a code from an authenticator app) after the password: those who read
# everything or change what others rely on. Staff and superusers too (they reach the admin site).
TWO_FACTOR_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.INSPECTOR})


def may_sign_in_without_second_factor(person: Any) -> bool:
    """Whether this person's password alone opens their session; otherwise a confirmed one-time code is needed.

    Takes the account itself (not a reader): the staff flag that opens the admin site is part of the rule.
    A deployment may lift the rule (`TWO_FACTOR_REQUIRED=0`, e.g. a local demo).
    """
    if not settings.TWO_FACTOR_REQUIRED:
        return True
    return not (person.is_staff or person.is_superuser or person.role in TWO_FACTOR_ROLES)


def may_reset_second_factor(who: Any, person: Any) -> bool:
    """Whether this reader removes another person's authenticator (lost phone): the national unit, not their own."""
    reader = Reader.of(who)
    return reader.is_national and reader.user_id != getattr(person, "pk", None)


def may_attach(who: Any, record: Any) -> bool:
    """Whether this reader attaches evidence to a record: whoever may change it.

    A progress update or an obstacle: those who may change its project. An action-taken update:
    those who report action taken on its decision.
    """
    decision = getattr(record, "decision", None)
    if decision is not None:
        return may_follow_up(who, decision)
    return may_write(who, record.project)


def may_edit_delivery_settings(who: Any) -> bool:
    """Whether this reader changes the delivery settings (rating thresholds, due day, caps): the national unit."""
    return Reader.of(who).is_national


def draft_readers_q(who: Any, lookups: Lookups) -> Q:
    """Return the condition on records this reader reads before they are published.

    Those who may change a record read it in every state; where the model says so
    (`coordinators_read_drafts`), so do the sector coordinators of the owner's line (a decision of a
    meeting whose decisions are not yet published, read by its responsible ministry's coordinator).
    """
    reader = Reader.of(who)
    if reader.is_person and reader.reads_all and reader.ceiling is None:
        return EVERYTHING  # the national unit changes drafts; inspectors audit them
    q = writable_q(reader, lookups)
    if (
        lookups.coordinators_read_drafts
        and reader.is_person
        and reader.ceiling is None
        and reader.role == Role.SECTOR_COORDINATOR
        and reader.organization_path
    ):
        q = either(q, Q(**{f"{lookups.owner}__path__startswith": reader.organization_path}))
    return q


def may_publish_decisions(who: Any, meeting: Any) -> bool:
    """Whether this reader publishes a meeting's decisions list to its readers: the national unit only."""
    return may_manage_meetings(who)


def may_see_attendance(who: Any) -> bool:
    """Whether this reader sees who attended a meeting (people's names): signed-in civil servants."""
    return may_see_staff(who)


def may_comment_obstacle(who: Any, obstacle: Any) -> bool:
    """Whether this reader adds to an obstacle's comment history: those who may change its project or review it."""
    reader = Reader.of(who)
    project = obstacle.project
    return reader.is_person and reader.ceiling is None and (may_write(reader, project) or may_review(reader, project))


# Data governance and open data -----------------------------------------------------------------


def may_govern_data(who: Any) -> bool:
    """Whether this reader decides a dataset's classification or owner and approves publications: the national unit."""
    return Reader.of(who).is_national


def may_steward(who: Any, dataset: Any) -> bool:
    """Whether this reader keeps a dataset's description and proposes its publication.

    The national unit, the coordinator of the owner's subtree, and the dataset's data steward.
    """
    reader = Reader.of(who)
    if not reader.is_person or reader.ceiling is not None:
        return False
    return (
        reader.is_national
        or reader.coordinates(dataset.owner)
        or (dataset.steward_id is not None and dataset.steward_id == reader.user_id)
    )


def inventory_q(who: Any, prefix: str = "") -> Q:
    """Return the condition on datasets of the inventory that this reader sees.

    The national unit and inspectors see the whole inventory; a coordinator the datasets owned in
    their subtree; other civil servants those owned in their organization's line and those they
    steward; the public (and anyone else) only the datasets published as open data.
    """
    reader = Reader.of(who)
    published = Q(**{f"{prefix}pk__in": _published_dataset_ids()})
    if reader.kind == ReaderKind.SYSTEM or (reader.is_person and reader.reads_all and reader.ceiling is None):
        return EVERYTHING
    if not reader.is_person:
        return published
    q = published | Q(**{f"{prefix}steward_id": reader.user_id})
    if reader.organization_id is not None:
        q |= Q(**{f"{prefix}owner_id__in": _path_ids(reader.organization_path)})
        if reader.role == Role.SECTOR_COORDINATOR:
            q |= Q(**{f"{prefix}owner__path__startswith": reader.organization_path})
    return q


def open_data_q(prefix: str = "") -> Q:
    """Return the condition on publications that the open-data doors serve.

    Published by the national unit, of a dataset still classified public, whose strategy or indicator
    (where it names one) is still public: a record classified later takes its publication off every
    door at once, before the next generation runs.
    """
    from masar.opendata.models import PublicationStatus

    public = Classification.PUBLIC
    return (
        Q(**{f"{prefix}status": PublicationStatus.PUBLISHED, f"{prefix}dataset__classification": public})
        & (Q(**{f"{prefix}strategy__isnull": True}) | Q(**{f"{prefix}strategy__classification": public}))
        & (Q(**{f"{prefix}indicator__isnull": True}) | Q(**{f"{prefix}indicator__classification": public}))
    )


def publications_q(who: Any) -> Q:
    """Return the condition on publications this reader sees from the inventory.

    Civil servants who see a dataset see all its publications, drafts and refusals included (they carry
    reasons and names: internal material); anyone else only what the open-data doors serve.
    """
    q = inventory_q(who, prefix="dataset__")
    return q if may_see_staff(who) else q & open_data_q()


def _published_dataset_ids() -> Any:
    publication = apps.get_model("opendata", "Publication")
    return publication.objects.filter(open_data_q()).values("dataset_id")


# Integrity and early warning ---------------------------------------------------------------------


def may_see_alerts(who: Any) -> bool:
    """Whether this reader reads integrity alerts and their evidence: inspectors and the national unit.

    Alerts are confidential whatever their records' classification: they name suppliers and buyers
    under suspicion, so the owners of the records (a ministry's coordinator, a project's manager),
    the public, API clients, jobs' outputs and capped readers (council packs) never read them.
    """
    reader = Reader.of(who)
    return reader.is_person and reader.ceiling is None and (reader.is_national or reader.role == Role.INSPECTOR)


def alerts_q(who: Any, prefix: str = "") -> Q:
    """Return the condition on alerts this reader sees: all of them for those who may, none for anyone else."""
    return EVERYTHING if may_see_alerts(who) else NOTHING


def may_triage(who: Any) -> bool:
    """Whether this reader moves alerts through triage (review, dismiss, confirm, refer): the inspectorate."""
    reader = Reader.of(who)
    return reader.is_person and reader.ceiling is None and reader.role == Role.INSPECTOR


def may_set_rules(who: Any) -> bool:
    """Whether this reader switches red-flag rules on or off and sets their parameters: the national unit."""
    return Reader.of(who).is_national


def may_import_procurement(who: Any, owner: Any = None, level: str = Classification.RESTRICTED) -> bool:
    """Whether this reader imports procurement data owned by owner at a classification level.

    The national unit; or an e-procurement system (an API client with the scope to write procurement)
    into its own organization's subtree, within its clearance. Inspectors read everything and change
    nothing (they triage alerts, never the records they judge).
    """
    reader = Reader.of(who)
    if reader.kind == ReaderKind.CLIENT:
        return _client_writes(reader, RecordType.PROCUREMENT, owner, level)
    return reader.is_national


def may_report_tax_compliance(who: Any) -> bool:
    """Whether this reader reports suppliers' tax compliance: the national unit, or the tax administration's
    system (an API client with the scope to write tax compliance)."""
    reader = Reader.of(who)
    if reader.kind == ReaderKind.CLIENT:
        return reader.active and RecordType.TAX_COMPLIANCE in reader.write_types
    return reader.is_national


def may_run_detection(who: Any) -> bool:
    """Whether this reader asks the worker for a detection run now: the national unit and the inspectorate.

    A run changes no record of the trail: it raises or updates alerts, which the schedule does anyway.
    """
    reader = Reader.of(who)
    return reader.is_person and reader.ceiling is None and (reader.is_national or reader.role == Role.INSPECTOR)


# Government services and citizens' voice -------------------------------------------------------


def may_create_service(who: Any, owner: Any, level: str = Classification.PUBLIC) -> bool:
    """Whether this reader adds a service to the catalogue for owner at a classification level.

    Whoever creates records under that organization (`may_create_under`: the national unit, the
    coordinator of a subtree holding it, a ministry's services registry with the scope to write services
    for its own organization). A service's later changes follow `may_write`.
    """
    if owner is None or level not in Classification.values:
        return False
    return may_create_under(who, owner, RecordType.SERVICES, level)


def may_add_services(who: Any) -> bool:
    """Whether this reader adds services for some organization (the "New service" button): the national unit and
    the sector coordinators (`may_create_service` says for which organizations)."""
    reader = Reader.of(who)
    return reader.is_national or (
        reader.is_person
        and reader.ceiling is None
        and reader.role == Role.SECTOR_COORDINATOR
        and bool(reader.organization_path)
    )


def may_link_project(who: Any, service: Any, project: Any) -> bool:
    """Whether this reader says a project digitizes a service: whoever changes the service and reads the project.

    A project the reader may not read is refused: the link would show its name on the service's page.
    """
    return may_write(who, service) and may_read(who, project)


def may_report_usage(who: Any, service: Any) -> bool:
    """Whether this reader records a service's monthly usage: whoever changes the service, or the back office's
    system (an API client with the scope to write service usage for its own organization)."""
    reader = Reader.of(who)
    if reader.kind == ReaderKind.CLIENT:
        return _client_writes(reader, RecordType.SERVICE_USAGE, service.owner, service.classification)
    return may_write(reader, service)


def may_answer_citizens(who: Any, service: Any) -> bool:
    """Whether this reader answers and closes the complaints and suggestions about a service, and moderates its
    comments: the people who change the service (its owner's coordinators, the national unit)."""
    reader = Reader.of(who)
    return reader.is_person and reader.ceiling is None and may_write(reader, service)


def citizens_voice_q(who: Any, service_lookups: Lookups, prefix: str = "service__") -> Q:
    """Return the condition on complaints, suggestions and unmoderated comments this reader reads.

    They are read by those who answer them (`may_answer_citizens`) and by the inspectorate, never by other
    civil servants, API clients, capped readers or the public: a complaint may carry a contact, and a comment
    is public only once moderated (`public_comments_q`).
    """
    reader = Reader.of(who)
    if reader.kind == ReaderKind.SYSTEM:
        return EVERYTHING
    if not reader.is_person or reader.ceiling is not None:
        return NOTHING
    if reader.reads_all:
        return EVERYTHING
    return writable_q(reader, service_lookups.prefixed(prefix.removesuffix("__")))


def may_hear_citizens(who: Any) -> bool:
    """Whether this reader reads some complaints, suggestions or comments to moderate (the owners' coordinators,
    the national unit, inspectors): the navigation offers them the citizens' feedback."""
    lookups = apps.get_model("catalogue", "Service").objects.all().lookups()
    return citizens_voice_q(who, lookups) != NOTHING


def public_comments_q(prefix: str = "") -> Q:
    """Return the condition on ratings whose comment anyone may read: none given, or approved by a moderator."""
    from masar.catalogue.models import CommentStatus

    return Q(**{f"{prefix}comment_status__in": [CommentStatus.NONE, CommentStatus.APPROVED]})


# Reading official texts -----------------------------------------------------------------------------


def may_read_texts(who: Any) -> bool:
    """Whether this reader asks Masar to read an official text and propose a draft: any signed-in civil servant
    or active API client. Reading creates nothing; what is accepted afterwards goes through each record's rules."""
    reader = Reader.of(who)
    return (reader.is_person or (reader.kind == ReaderKind.CLIENT and reader.active)) and reader.ceiling is None


def may_accept_draft(who: Any) -> bool:
    """Whether this reader accepts a draft read from a text: the people who shape records (the national unit and
    sector coordinators). Each record the draft creates or changes is still judged by its own rule
    (`may_shape_organization`, `may_create_under`, `may_write`, `may_manage_meetings`, `may_add_document`)."""
    return may_review_submissions(who)


def may_shape_organization(who: Any, parent: Any) -> bool:
    """Whether this reader creates an organization under parent, or adds missions to parent itself: the national
    unit; the coordinator of a subtree holding parent. A top-level organization (no parent) is the national unit's."""
    reader = Reader.of(who)
    return reader.is_national or (reader.ceiling is None and reader.coordinates(parent))
