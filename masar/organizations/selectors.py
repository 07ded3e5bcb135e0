"""Reads about the structure of government."""

from __future__ import annotations

from typing import TYPE_CHECKING

from masar.organizations.models import OrganizationKind

if TYPE_CHECKING:
    from typing import Any

    from masar.organizations.models import Organization


def ministry_of(organization: Organization, organizations_by_id: dict[Any, Organization]) -> Organization:
    """Return the ministry an organization belongs to, or failing one the top of its tree.

    organizations_by_id maps ids to organizations (a few hundred: load them once per request).
    """
    for ancestor_id in organization.ancestor_ids():
        ancestor = organizations_by_id.get(ancestor_id)
        if ancestor is not None and ancestor.kind == OrganizationKind.MINISTRY:
            return ancestor
    return organizations_by_id.get(organization.ancestor_ids()[0], organization)
