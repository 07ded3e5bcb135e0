"""Writes of search: the thesaurus the national unit keeps, and the index rebuilt on demand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from masar.arabic.analyzer import Thesaurus
from masar.arabic.lexicon import DEFAULT_THESAURUS
from masar.core.errors import Invalid
from masar.core.policy import may_edit_thesaurus
from masar.core.services import model_create, model_delete, model_update
from masar.search.models import ThesaurusGroup

if TYPE_CHECKING:
    from masar.accounts.models import User

MAX_MEMBERS = 30


def _clean_terms(terms: str) -> str:
    members = list(dict.fromkeys(line.strip() for line in (terms or "").splitlines() if line.strip()))
    if len(members) < 2:
        raise Invalid(errors=[("terms", _("A synonym group needs at least two words or phrases, one per line."))])
    if len(members) > MAX_MEMBERS:
        raise Invalid(errors=[("terms", _("A synonym group holds at most %(n)s lines.") % {"n": MAX_MEMBERS})])
    analyzed = Thesaurus([members])
    if not analyzed.groups or len(analyzed.groups[0]) < len(members):
        raise Invalid(
            errors=[("terms", _("Every line must hold a word search can read (not only stop words or punctuation)."))]
        )
    return "\n".join(members)


@transaction.atomic
def thesaurus_group_create(*, actor: User, terms: str, note: str = "") -> ThesaurusGroup:
    """Add a synonym group; the national unit only. Search applies it from the next query."""
    if not may_edit_thesaurus(actor):
        raise PermissionDenied
    return model_create(model=ThesaurusGroup, actor=actor, data={"terms": _clean_terms(terms), "note": note})


@transaction.atomic
def thesaurus_group_update(
    *, actor: User, group: ThesaurusGroup, terms: str, note: str = "", expected_version: int
) -> ThesaurusGroup:
    """Change a synonym group unless someone changed it since expected_version; the national unit only."""
    if not may_edit_thesaurus(actor):
        raise PermissionDenied
    return model_update(
        instance=group,
        actor=actor,
        data={"terms": _clean_terms(terms), "note": note},
        expected_version=expected_version,
    )


@transaction.atomic
def thesaurus_group_delete(*, actor: User, group: ThesaurusGroup) -> None:
    """Remove a synonym group; the national unit only."""
    if not may_edit_thesaurus(actor):
        raise PermissionDenied
    model_delete(instance=group, actor=actor)


def thesaurus_seed() -> int:
    """Give an empty thesaurus the groups a new deployment starts with; return how many were added."""
    if ThesaurusGroup.objects.exists():
        return 0
    ThesaurusGroup.objects.bulk_create(ThesaurusGroup(terms="\n".join(members)) for members in DEFAULT_THESAURUS)
    return len(DEFAULT_THESAURUS)
