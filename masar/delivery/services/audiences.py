"""Who a delivery workflow reaches: the reviewers of a project and the national unit."""

from __future__ import annotations

from django.db.models import Q

from masar.accounts.models import Role, User


def may_review(user, project):
    """Whether this user may approve or return the project's updates: its sector coordinator or the national unit."""
    if not user.is_authenticated:
        return False
    if user.is_national:
        return True
    return (
        user.role == Role.SECTOR_COORDINATOR
        and user.organization is not None
        and project.owner.path.startswith(user.organization.path)
    )


def reviewers_of(project):
    """Return the people who approve this project's updates."""
    return User.objects.filter(is_active=True).filter(
        Q(role=Role.SECTOR_COORDINATOR, organization__in=project.owner.ancestor_ids())
    )


def national_unit():
    return User.objects.filter(is_active=True).filter(Q(role=Role.NATIONAL_ADMIN) | Q(is_superuser=True))
