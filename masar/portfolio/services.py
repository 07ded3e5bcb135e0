"""Writes on projects and milestones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from masar.arabic import fold
from masar.core import policy
from masar.core.errors import NotPermitted
from masar.core.models import Classification
from masar.core.records import RecordType
from masar.core.services import model_create, model_update
from masar.portfolio.models import Milestone, Project
from masar.webhooks.events import emit
from masar.webhooks.models import EventType

if TYPE_CHECKING:
    from typing import Any

    from masar.accounts.models import User
SEARCHED_FIELDS = ("code", "name_ar", "name_fr", "name_en", "description_ar", "description_fr", "description_en")


def search_text_of(project: Project) -> str:
    """Return what the project list's search matches a project on: its code, names and descriptions, folded.

    The one owner of `Project.search_text`: every write path (services, the admin, the demo
    generators) fills it from here, so a rename is findable however it was made.
    """
    return fold(" ".join(getattr(project, name) or "" for name in SEARCHED_FIELDS))


def _fill_search_text(project):
    project.search_text = search_text_of(project)


def _derive_strategy(project):
    for part in (project.axis, project.program, project.phase):
        if part is not None and not project.strategy_id:
            project.strategy_id = part.strategy_id
    _fill_search_text(project)


@transaction.atomic
def project_create(*, actor: User | None, **data: Any) -> Project:
    """Create a project; its strategy follows from its axis, program or phase when not given.

    A person or a system creates it only where the policy lets them (no actor: a loader of the demo).
    """
    owner = data.get("owner")
    level = data.get("classification") or Classification.RESTRICTED
    if actor is not None and (owner is None or not policy.may_create_under(actor, owner, RecordType.PROJECTS, level)):
        raise NotPermitted()
    return model_create(model=Project, actor=actor, data=data, prepare=_derive_strategy)


@transaction.atomic
def project_update(*, project: Project, actor: User | None, expected_version: int | None, **data: Any) -> Project:
    """Change a project unless someone changed it since expected_version (StaleEditError then).

    Lowering its classification is for the coordinator of its ministry or the national unit; moving it
    to another organization, for whoever may create projects there.
    """
    if actor is not None and not policy.may_write(actor, project):
        raise NotPermitted()
    policy.check_classification(actor, project, data.get("classification"))
    owner = data.get("owner")
    if actor is not None and owner is not None and owner.pk != project.owner_id:
        level = data.get("classification") or project.classification
        if not policy.may_create_under(actor, owner, RecordType.PROJECTS, level):
            raise NotPermitted(_("A project moves only to an organization you may create projects for."))
    project = model_update(
        instance=project, actor=actor, data=data, expected_version=expected_version, prepare=_derive_strategy
    )
    emit(EventType.PROJECT_CHANGED, project)
    return project


def milestone_create(*, actor: User | None, **data: Any) -> Milestone:
    """Add a milestone to a project whoever may change the project (no actor: a loader of the demo)."""
    project = data.get("project")
    if actor is not None and (project is None or not policy.may_write(actor, project)):
        raise NotPermitted()
    return model_create(model=Milestone, actor=actor, data=data)


def milestone_update(
    *, milestone: Milestone, actor: User | None, expected_version: int | None, **data: Any
) -> Milestone:
    """Change a milestone unless it changed since expected_version (StaleEditError then)."""
    if actor is not None and not policy.may_write(actor, milestone.project):
        raise NotPermitted()
    return model_update(instance=milestone, actor=actor, data=data, expected_version=expected_version)
