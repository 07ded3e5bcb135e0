"""Workflows declared once: a table of (state, action) -> new state, and one conditional update.

Services move records with `transition`; views and templates ask `Workflow.allows` what may happen
next instead of restating the table. Of two people acting at once on the same record, one wins and
the other gets `Conflict` (or the workflow's own conflict error).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from masar.core.errors import Conflict, DomainError, StaleEditError

# What a service raises when the move is refused: an error, or a function of the record as it now
# stands returning one (to say who acted first).
ConflictError = DomainError | Callable[[Any], DomainError] | None


@dataclass(frozen=True)
class Workflow:
    """The transitions of one kind of record: {(state, action): new state}."""

    transitions: Mapping[tuple[str, str], str]
    field: str = "status"

    def allows(self, state: str, action: str) -> bool:
        """Whether action may be taken on a record in this state."""
        return (str(state), str(action)) in self.transitions

    def actions(self, state: str) -> list[str]:
        """Return the actions open from this state, in declaration order."""
        return [action for (source, action) in self.transitions if source == str(state)]

    def sources(self, action: str) -> list[str]:
        """Return the states from which action may be taken."""
        return [source for (source, a) in self.transitions if a == str(action)]

    def target(self, state: str, action: str) -> str:
        try:
            return self.transitions[(str(state), str(action))]
        except KeyError:
            raise Conflict() from None


def stale_or_conflict(version: int) -> Callable[[Any], DomainError]:
    """Return the refusal of a move on a record as it now stands: stale (with the changes made meanwhile) when it
    changed since version was read, a conflict otherwise."""

    def refusal(current: Any) -> DomainError:
        if current.version != version:
            from masar.audit.models import AuditEntry

            return StaleEditError(
                instance=current,
                expected_version=version,
                changes_since=AuditEntry.objects.for_object(current)
                .filter(version__gt=version)
                .select_related("actor"),
            )
        return Conflict()

    return refusal


def _refusal(conflict: ConflictError, model: Any, pk: Any) -> DomainError:
    if conflict is None:
        return Conflict()
    if isinstance(conflict, DomainError):
        return conflict
    return conflict(model._default_manager.get(pk=pk))


def transition(
    *,
    workflow: Workflow,
    instance: Any,
    action: str,
    actor: Any,
    conflict: ConflictError = None,
    where: Q | None = None,
    **fields: Any,
) -> Any:
    """Move instance by action with one conditional UPDATE on its state; audit it; return it refreshed.

    The update matches only while the row is still in the state the instance was read in (and meets
    `where`, e.g. "not submitted by the actor"), so a concurrent move makes this one fail with
    Conflict, or with `conflict` (an error, or a function of the row as it now stands returning one),
    changing nothing. `fields` are written in the same UPDATE (who decided, when, why).
    """
    from masar.audit.models import Action
    from masar.audit.services import audit_record, diff, snapshot

    state = getattr(instance, workflow.field)
    model = type(instance)
    if not workflow.allows(state, action):
        raise _refusal(conflict, model, instance.pk)
    before = snapshot(instance)
    changes = {workflow.field: workflow.target(state, action), **fields}
    if hasattr(instance, "version"):
        changes["version"] = F("version") + 1
    if hasattr(instance, "updated_at"):
        changes["updated_at"] = timezone.now()
    claim = model._default_manager.filter(pk=instance.pk, **{workflow.field: state})
    if where is not None:
        claim = claim.filter(where)
    if not claim.update(**changes):
        raise _refusal(conflict, model, instance.pk)
    instance.refresh_from_db()
    audit_record(actor=actor, action=Action.UPDATE, instance=instance, changes=diff(before, snapshot(instance)))
    return instance
