"""Reads about the structure of government."""

from __future__ import annotations

from typing import TYPE_CHECKING

from masar.core.policy import Reader
from masar.organizations.models import Organization, OrganizationKind

if TYPE_CHECKING:
    from typing import Any

    from django.db.models import QuerySet


def ministry_of(organization: Organization, organizations_by_id: dict[Any, Organization]) -> Organization:
    """Return the ministry an organization belongs to, or failing one the top of its tree.

    organizations_by_id maps ids to organizations (a few hundred: load them once per request).
    """
    for ancestor_id in organization.ancestor_ids():
        ancestor = organizations_by_id.get(ancestor_id)
        if ancestor is not None and ancestor.kind == OrganizationKind.MINISTRY:
            return ancestor
    return organizations_by_id.get(organization.ancestor_ids()[0], organization)


def governments() -> QuerySet[Organization]:
    """Return the governments the platform holds: the roots of the organization tree of the government kind."""
    return Organization.objects.filter(parent=None, kind=OrganizationKind.GOVERNMENT).order_by("order", "pk")


def government_for(who: Any) -> Organization | None:
    """Return the government whose figures a reader's dashboards show when none is chosen.

    With one government (or none) there is nothing to separate: return None. With several, return
    the reader's own government, or the first one for a reader outside them all (the public), so
    that no figure ever adds up the projects of two governments.
    """
    candidates = list(governments()[:2])
    if len(candidates) < 2:
        return None
    path = Reader.of(who).organization_path.strip("/")
    if path:
        own = governments().filter(pk=int(path.split("/")[0])).first()
        if own is not None:
            return own
    return candidates[0]
