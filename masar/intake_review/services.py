"""Accept a reviewed draft: create or reuse its records through the audited services, in one transaction.

Nothing that exists is created again: a record the reviewer matched is reused, and missions, axes, programs,
phases and decisions equal to an existing one once folded are reused too. Each write is judged by the policy
rule of that record; a matched record that changed since the review refuses the whole acceptance as stale.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max, Model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from masar.arabic import fold
from masar.core import policy
from masar.core.errors import Invalid, NotPermitted
from masar.core.models import Classification
from masar.core.records import RecordType
from masar.core.services import model_create, model_update
from masar.core.workflow import stale_or_conflict
from masar.decisions.models import Meeting, MeetingKind
from masar.decisions.services import decision_create, meeting_create
from masar.documents.models import Document, DocumentKind
from masar.documents.selectors import document_holding
from masar.documents.services import document_create, document_update
from masar.intake.kinds import Kind
from masar.intake_review.selectors import NEW, key_of, record_for, same_text
from masar.organizations.models import Mission, Organization, OrganizationKind
from masar.organizations.services import mission_create, organization_create
from masar.strategy.models import Axis, Phase, Program, Strategy, StrategyKind

if TYPE_CHECKING:
    from masar.accounts.models import User

DOCUMENT_KINDS: dict[str, str] = {Kind.MANDATE: DocumentKind.MANDATE, Kind.STRATEGY: DocumentKind.STRATEGY}
_ORGANIZATION_KINDS = {
    "وزاره": OrganizationKind.MINISTRY,
    "قطاع": OrganizationKind.MINISTRY,
    "مديريه": OrganizationKind.DIRECTORATE,
    "اداره": OrganizationKind.DIRECTORATE,
    "مفتشيه": OrganizationKind.INSPECTORATE,
    "كتابه": OrganizationKind.GENERAL_SECRETARIAT,
    "حكومه": OrganizationKind.GOVERNMENT,
    "رياسه": OrganizationKind.GOVERNMENT,
    "مجلس": OrganizationKind.GOVERNMENT,
}
_STRATEGY_KINDS = {"رويه": StrategyKind.VISION, "برنامج": StrategyKind.PROGRAM}
# The body of a meeting whose text does not name it: data, written in Arabic like the texts, whatever the page's
# language.
_UNNAMED_BODY = "مجلس"
# What a text states that Masar keeps nowhere: said after acceptance, so the reviewer knows where it stays.
NOT_LINKED = _(
    "The text is already in the library as “%(title)s”; you may not change that document, so what was "
    "accepted is not linked to it."
)
AXIS_BUDGET_NOT_STORED = _("Masar keeps no budget for an axis: the budget of “%(name)s” stays in the source document.")
PROGRAM_YEARS_NOT_STORED = _("Masar keeps no years for a program: the years of “%(name)s” stay in the source document.")
TOTAL_BUDGET_NOT_STORED = _("Masar keeps no total budget for a strategy: it stays in the source document.")


@dataclass
class Accepted:
    """What an acceptance wrote and reused, the document it links them to, and what it could only note."""

    document: Document | None = None
    created: list[Model] = field(default_factory=list)
    updated: list[Model] = field(default_factory=list)
    reused: list[Model] = field(default_factory=list)
    noted: list[str] = field(default_factory=list)
    links: dict[str, list[Model]] = field(
        default_factory=lambda: {"organizations": [], "strategies": [], "meetings": [], "decisions": []}
    )


def _first_word(name: str) -> str:
    words = fold(name).split()
    word = words[0] if words else ""
    return word[2:] if word.startswith("ال") else word


def _code() -> str:
    return f"TXT-{uuid.uuid4().hex[:12].upper()}"


def _years(start: int | None, end: int | None) -> tuple[datetime.date, datetime.date] | None:
    if not start or not end or not 1900 <= start <= end <= 2200:
        return None
    return datetime.date(start, 1, 1), datetime.date(end, 12, 31)


class _Acceptance:
    """One acceptance: the reviewer's choices resolved, each record checked, everything written or nothing."""

    def __init__(self, *, actor: User, choices: Mapping[str, str], seen: Mapping[str, int], classification: str):
        self.actor = actor
        self.choices = choices
        self.seen = seen
        self.classification = classification
        self.result = Accepted()

    def _link(self, name: str, record: Model | None) -> None:
        if record is not None and record not in self.result.links[name]:
            self.result.links[name].append(record)

    def _fresh(self, record: Any) -> Any:
        """Refuse as stale a record that changed since the reviewer saw it."""
        seen = self.seen.get(key_of(record))
        if seen is not None and getattr(record, "version", seen) != seen:
            raise stale_or_conflict(seen)(record)
        return record

    def chosen(self, path: str, name: str, kinds: tuple[str, ...]) -> Any:
        """Return the record chosen for a name (None for "create new"); refuse a missing or unreadable choice."""
        choice = self.choices.get(path, "")
        if choice == NEW:
            return None
        if not choice:
            raise Invalid([(path, gettext("Choose which record “%(name)s” is, or create a new one.") % {"name": name})])
        record = record_for(self.actor, choice) if choice.partition(":")[0] in kinds else None
        if record is None:
            raise Invalid([(path, gettext("This choice is unknown or not visible to you."))])
        return self._fresh(record)

    def _update(self, record: Model, **data: Any) -> None:
        changed = {key: value for key, value in data.items() if getattr(record, key) != value}
        if not changed:
            return
        if not policy.may_write(self.actor, record):
            raise NotPermitted()
        version = self.seen.get(key_of(record), getattr(record, "version", None))
        model_update(instance=record, actor=self.actor, data=changed, expected_version=version)
        self.result.updated.append(record)

    # Mandates ----------------------------------------------------------------------------------------------

    def mandate(self, draft: Mapping[str, Any]) -> None:
        name = draft.get("organization")
        if not name:
            return
        parent = None
        if draft.get("parent_organization"):
            parent = self.chosen("parent_organization", draft["parent_organization"], ("organization",))
            if parent is None:
                parent = self._organization_create(draft["parent_organization"], None)
            self._link("organizations", parent)
        organization = self.chosen("organization", name, ("organization",))
        if organization is None:
            organization = self._organization_create(name, parent)
        else:
            self.result.reused.append(organization)
        self._link("organizations", organization)
        known = list(organization.missions.values_list("text_ar", flat=True))
        for text in draft.get("missions") or []:
            if any(same_text(text, mission) for mission in known):
                continue
            if not policy.may_shape_organization(self.actor, organization):
                raise NotPermitted(gettext("You may not add missions to this organization."))
            last = Mission.objects.filter(organization=organization).aggregate(last=Max("order"))["last"] or 0
            mission = mission_create(actor=self.actor, organization=organization, order=last + 1, text_ar=text)
            known.append(text)
            self.result.created.append(mission)

    def _organization_create(self, name: str, parent: Organization | None) -> Organization:
        if not policy.may_shape_organization(self.actor, parent):
            raise NotPermitted(gettext("You may not create an organization there."))
        organization = organization_create(
            actor=self.actor,
            parent=parent,
            kind=_ORGANIZATION_KINDS.get(_first_word(name), OrganizationKind.BODY),
            code=_code(),
            name_ar=name,
        )
        self.result.created.append(organization)
        return organization

    # Strategies ----------------------------------------------------------------------------------------------

    def strategy(self, draft: Mapping[str, Any]) -> None:
        name = draft.get("name")
        if not name:
            return
        period = draft.get("period") or {}
        total = draft.get("total_projects")
        strategy = self.chosen("strategy", name, ("strategy",))
        if strategy is None:
            strategy = self._strategy_create(name, period, total)
        else:
            self.result.reused.append(strategy)
            if total is not None:
                self._update(strategy, planned_project_count=total)
        self._link("strategies", strategy)
        assert isinstance(strategy, Strategy)
        for index, axis in enumerate(draft.get("axes") or []):
            part = self._part(Axis, strategy, f"axes.{index}", axis["name"], planned_project_count=axis.get("projects"))
            if part is not None and axis.get("projects") is not None:
                self._update(part, planned_project_count=axis["projects"])
            if axis.get("budget"):
                self.result.noted.append(AXIS_BUDGET_NOT_STORED % {"name": axis["name"]})
        for index, phase in enumerate(draft.get("phases") or []):
            dates = _years(phase.get("start_year"), phase.get("end_year"))
            if dates is None and not self._existing(Phase, strategy, phase["name"]):
                raise Invalid([(f"phases.{index}", gettext("Give the years of the phase “%(name)s”.") % phase)])
            extra = {"start": dates[0], "end": dates[1]} if dates else {}
            self._part(Phase, strategy, f"phases.{index}", phase["name"], **extra)
        programs = draft.get("programs") or {}
        for index, program in enumerate(programs.get("items") or []):
            path = f"programs.items.{index}"
            self._part(Program, strategy, path, program["name"])
            # A program matched to a strategy of its own (a national vision) has its years there.
            if program.get("start_year") and not self.choices.get(path, "").startswith("strategy:"):
                self.result.noted.append(PROGRAM_YEARS_NOT_STORED % {"name": program["name"]})
        if draft.get("budget"):
            self.result.noted.append(str(TOTAL_BUDGET_NOT_STORED))

    def _strategy_create(self, name: str, period: Mapping[str, Any], total: int | None) -> Strategy:
        owner = self.actor.organization
        if owner is None or not policy.may_create_under(self.actor, owner, RecordType.STRATEGIES, self.classification):
            raise NotPermitted(gettext("You may not create a strategy for your organization at this classification."))
        dates = _years(period.get("start_year"), period.get("end_year"))
        if dates is None:
            raise Invalid([("period", gettext("Give the period of the strategy: its first and last year."))])
        strategy = model_create(
            model=Strategy,
            actor=self.actor,
            data={
                "kind": _STRATEGY_KINDS.get(_first_word(name), StrategyKind.STRATEGY),
                "code": _code(),
                "name_ar": name,
                "owner": owner,
                "period_start": dates[0],
                "period_end": dates[1],
                "planned_project_count": total,
                "classification": self.classification,
            },
        )
        self.result.created.append(strategy)
        return strategy

    def _existing(self, model: type[Model], strategy: Strategy, name: str) -> Model | None:
        manager: Any = model._default_manager
        for part in manager.filter(strategy=strategy):
            if fold(part.name_ar) == fold(name):
                return part
        return None

    def _part(self, model: type[Model], strategy: Strategy, path: str, name: str, **data: Any) -> Any:
        """Reuse the part chosen (or a national program kept as a strategy), or one of the same name; else create it."""
        choice = self.choices.get(path, "")
        record: Any = record_for(self.actor, choice) if choice and choice != NEW else None
        if isinstance(record, Strategy) and model is Program:
            self.result.reused.append(self._fresh(record))
            self._link("strategies", record)
            return None
        if record is not None and (
            not isinstance(record, model) or getattr(record, "strategy_id", None) != strategy.pk
        ):
            record = None  # a part of another strategy: the name is matched again within this one
        record = record or self._existing(model, strategy, name)
        if record is not None:
            self.result.reused.append(self._fresh(record))
            return record
        if not policy.may_write(self.actor, strategy):
            raise NotPermitted(gettext("You may not change the parts of this strategy."))
        manager: Any = model._default_manager
        last = manager.filter(strategy=strategy).aggregate(last=Max("order"))["last"] or 0
        data = {key: value for key, value in data.items() if value is not None}
        part = model_create(
            model=model, actor=self.actor, data={"strategy": strategy, "order": last + 1, "name_ar": name, **data}
        )
        self.result.created.append(part)
        return None

    # Decisions -------------------------------------------------------------------------------------------------

    def decisions(self, draft: Mapping[str, Any]) -> None:
        body = draft.get("body")
        decisions = draft.get("decisions") or []
        if not body and not decisions:
            return
        if not policy.may_manage_meetings(self.actor):
            raise NotPermitted(gettext("Only the national delivery unit records meetings and their decisions."))
        body = body or _UNNAMED_BODY
        meeting = self.chosen("meeting", body, ("meeting",))
        if meeting is None:
            meeting = self._meeting_create(draft, body)
        else:
            self.result.reused.append(meeting)
        self._link("meetings", meeting)
        assert isinstance(meeting, Meeting)
        known = list(meeting.decisions.all())
        for index, text in enumerate(decisions):
            decision = next((d for d in known if same_text(text, d.text_ar)), None)
            if decision is not None:
                self.result.reused.append(self._fresh(decision))
            else:
                path = f"decisions.{index}.responsible"
                responsible = self.choices.get(path, "")
                record = record_for(self.actor, responsible) if responsible.startswith("organization:") else None
                if record is None:
                    raise Invalid(
                        [(path, gettext("Choose the organization responsible for “%(text)s”.") % {"text": text})]
                    )
                level = max(self.classification, meeting.classification, key=policy.rank)
                decision = decision_create(
                    meeting=meeting, actor=self.actor, text_ar=text, responsible=record, classification=level
                )
                known.append(decision)
                self.result.created.append(decision)
            self._link("decisions", decision)

    def _meeting_create(self, draft: Mapping[str, Any], body: str) -> Meeting:
        owner = self.chosen("body", body, ("organization",)) if draft.get("body") else None
        folded = fold(body)
        kind = MeetingKind.STOCKTAKE
        if "مجلس الوزرا" in folded:
            kind = MeetingKind.COUNCIL_OF_MINISTERS
        elif "وزاري" in folded:
            kind = MeetingKind.MINISTERIAL_COUNCIL
        date = draft.get("date")
        meeting = meeting_create(
            actor=self.actor,
            kind=kind,
            name_ar=body,
            body_ar=body,
            date=datetime.date.fromisoformat(date) if date else None,
            owner=owner or self.actor.organization,
            classification=self.classification,
        )
        self.result.created.append(meeting)
        return meeting

    # The source -----------------------------------------------------------------------------------------------

    def document(self, draft: Mapping[str, Any], document: Document | None, text: str) -> None:
        links = self.result.links
        if document is None and (held := document_holding(self.actor, text)) is not None:
            # The pasted text is already in the library: link to it, never a second copy.
            self.result.reused.append(held)
            if not policy.may_change_document(self.actor, held):
                self.result.document = held
                self.result.noted.append(NOT_LINKED % {"title": held.title})
                return
            document = held
        if document is not None:
            self._fresh(document)
            merged = {name: [*getattr(document, name).all(), *records] for name, records in links.items()}
            merged = {name: list(dict.fromkeys(records)) for name, records in merged.items()}
            self.result.document = document_update(
                actor=self.actor, document=document, expected_version=document.version, **merged
            )
            return
        title = next((line.strip() for line in text.splitlines() if line.strip()), "")[:200]
        self.result.document, _content = document_create(
            actor=self.actor,
            title=draft.get("name") or draft.get("organization") or draft.get("body") or title,
            kind=DOCUMENT_KINDS.get(str(draft.get("kind")), DocumentKind.COMMUNIQUE),
            classification=self.classification,
            text=text,
            source=gettext("Read from a pasted text"),
            organizations=links["organizations"],
            strategies=links["strategies"],
            meetings=links["meetings"],
            decisions=links["decisions"],
        )


@transaction.atomic
def draft_accept(
    *,
    actor: User,
    draft: Mapping[str, Any],
    choices: Mapping[str, str],
    seen: Mapping[str, int],
    classification: str = Classification.RESTRICTED,
    document: Document | None = None,
    text: str = "",
) -> Accepted:
    """Create or reuse what a reviewed draft says, link it to its source document (created for a pasted text).

    Refused (NotPermitted) unless the actor may accept drafts and each write is theirs to make; Invalid when a
    name still waits for the reviewer's choice; StaleEditError when a record they matched changed meanwhile.
    """
    if not policy.may_accept_draft(actor):
        raise NotPermitted(
            gettext("You may read texts, but accepting a draft is for coordinators and the national unit.")
        )
    if classification not in (Classification.PUBLIC, Classification.RESTRICTED, Classification.CONFIDENTIAL):
        raise Invalid([("classification", gettext("Choose a classification."))])
    if document is None and not text.strip():
        raise Invalid([("text", gettext("The text is empty: paste the official text to read."))])
    acceptance = _Acceptance(actor=actor, choices=choices, seen=seen, classification=classification)
    acceptance.mandate(draft)
    acceptance.strategy(draft)
    acceptance.decisions(draft)
    acceptance.document(draft, document, text)
    return acceptance.result
