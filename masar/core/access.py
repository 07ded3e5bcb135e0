"""Who may see and who may change what: one rule for every page, API, search, export and report.

Reading:
- anonymous visitors see public records only;
- every signed-in civil servant sees public and restricted records;
- confidential records are seen inside the owning organization's subtree, by the sector
  coordinator whose subtree holds the owner, by the project's manager, and by the national
  delivery unit.
Writing:
- the national delivery unit changes everything;
- a sector coordinator changes records owned inside their organization's subtree;
- a project manager changes the projects they manage;
- a viewer changes nothing.
"""

import copy

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404

from masar.core.models import Classification

NOTHING = Q(pk__in=[])
CLEARANCE_ORDER = [Classification.PUBLIC, Classification.RESTRICTED, Classification.CONFIDENTIAL]


def levels_up_to(level):
    """Return the classification levels at or below level."""
    return CLEARANCE_ORDER[: CLEARANCE_ORDER.index(level) + 1]


def max_clearance(user):
    """Return the highest level this user may ask a report for: public, restricted or confidential."""
    from masar.accounts.models import Role

    if user is None or not user.is_authenticated:
        return Classification.PUBLIC
    if user.is_national or user.role == Role.SECTOR_COORDINATOR:
        return Classification.CONFIDENTIAL
    return Classification.RESTRICTED


def capped(user, level):
    """Return a reader who sees what user sees, but nothing above level (for packs and exports)."""
    reader = copy.copy(user)
    reader.clearance = level
    return reader


def _role(user):
    from masar.accounts.models import Role

    return Role, getattr(user, "role", None)


class ClassifiedQuerySet(models.QuerySet):
    """Subclasses name the lookups to the record's classification, owner and manager."""

    classification_lookup = "classification"
    owner_lookup = "owner"
    manager_lookup = None  # a user who may read and change the record, e.g. a project's manager
    coordinator_writes = True  # whether sector coordinators change records owned in their subtree

    def visible_to(self, user):
        """Return the records this user may read."""
        return self.filter(self.visible_q(user))

    def writable_by(self, user):
        """Return the records this user may change."""
        return self.filter(self.writable_q(user))

    @classmethod
    def visible_q(cls, user):
        clearance = getattr(user, "clearance", None)
        if clearance:
            return cls._visible_q(user) & Q(**{f"{cls.classification_lookup}__in": levels_up_to(clearance)})
        return cls._visible_q(user)

    @classmethod
    def _visible_q(cls, user):
        if user is None or not user.is_authenticated:
            return Q(**{cls.classification_lookup: Classification.PUBLIC})
        if user.is_national:
            return Q()
        Role, role = _role(user)
        q = Q(**{f"{cls.classification_lookup}__in": [Classification.PUBLIC, Classification.RESTRICTED]})
        organization = user.organization
        if organization is not None:
            q |= Q(**{f"{cls.owner_lookup}_id__in": organization.ancestor_ids()})
            if role == Role.SECTOR_COORDINATOR:
                q |= Q(**{f"{cls.owner_lookup}__path__startswith": organization.path})
        if cls.manager_lookup:
            q |= Q(**{cls.manager_lookup: user})
        return q

    @classmethod
    def writable_q(cls, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return NOTHING
        if user.is_national:
            return Q()
        Role, role = _role(user)
        q = NOTHING
        if role == Role.SECTOR_COORDINATOR and cls.coordinator_writes and user.organization is not None:
            q |= Q(**{f"{cls.owner_lookup}__path__startswith": user.organization.path})
        if role == Role.PROJECT_MANAGER and cls.manager_lookup:
            q |= Q(**{cls.manager_lookup: user})
        return q


def get_for_user(queryset, user, pk, *, write=False):
    """Return one record for this user: 404 if they may not read it, 403 if they may not change it."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        from django.http import Http404

        raise Http404 from None
    obj = get_object_or_404(queryset.visible_to(user), pk=pk)
    if write and not can_write(user, obj):
        raise PermissionDenied
    return obj


def can_write(user, obj):
    """Whether this user may change this record."""
    model = type(obj)
    return model._default_manager.get_queryset().writable_by(user).filter(pk=obj.pk).exists()
