"""Writes shared by every domain: create, update and delete with validation, optimistic
locking and an audit entry, and placing a node in a tree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F

from masar.audit.models import Action, AuditEntry
from masar.audit.services import audit_record, diff, snapshot
from masar.core.errors import StaleEditError

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db.models import Model


def _apply(instance, data):
    m2m = {}
    for key, value in data.items():
        field = instance._meta.get_field(key)
        if field.many_to_many:
            m2m[key] = value
        else:
            setattr(instance, key, value)
    return m2m


@transaction.atomic
def model_create(
    *,
    model: type[Model],
    actor: AbstractBaseUser | None,
    data: dict[str, Any],
    prepare: Callable[[Model], None] | None = None,
) -> Any:
    """Validate and save a new record with its many-to-many links; audit it; return it."""
    instance = model()
    m2m = _apply(instance, data)
    if prepare:
        prepare(instance)
    instance.full_clean()
    instance.save()
    for key, value in m2m.items():
        getattr(instance, key).set(value)
    audit_record(actor=actor, action=Action.CREATE, instance=instance, changes=diff({}, snapshot(instance)))
    return instance


@transaction.atomic
def model_update(
    *,
    instance: Model,
    actor: AbstractBaseUser | None,
    data: dict[str, Any],
    expected_version: int | None,
    prepare: Callable[[Model], None] | None = None,
) -> Any:
    """Save changes to a record unless it changed since expected_version; audit the fields that moved.

    Raises StaleEditError, carrying the changes made in between, when the record's version
    is no longer the one the editor started from; nothing is written then.
    """
    model = type(instance)
    claimed = model._default_manager.filter(pk=instance.pk, version=expected_version).update(version=F("version") + 1)
    if not claimed:
        current = model._default_manager.get(pk=instance.pk)
        raise StaleEditError(
            instance=current,
            expected_version=expected_version,
            changes_since=AuditEntry.objects.for_object(current)
            .filter(version__gt=expected_version)
            .select_related("actor"),
        )
    fresh = model._default_manager.get(pk=instance.pk)
    before = snapshot(fresh)
    m2m = _apply(fresh, data)
    if prepare:
        prepare(fresh)
    fresh.full_clean()  # a ValidationError leaves the atomic block and undoes the version claim
    fresh.save()
    for key, value in m2m.items():
        getattr(fresh, key).set(value)
    changes = diff(before, snapshot(fresh))
    audit_record(actor=actor, action=Action.UPDATE, instance=fresh, changes=changes)
    return fresh


@transaction.atomic
def model_delete(*, instance: Model, actor: AbstractBaseUser | None) -> None:
    """Delete a record and audit what it held."""
    before = snapshot(instance)
    pk = instance.pk
    model = type(instance)
    instance.delete()
    audit_record(
        actor=actor, action=Action.DELETE, instance=instance, changes=diff(before, {}), model=model, object_id=pk
    )


def tree_node_place(node: Any) -> None:
    """Set node.path and node.depth from its parent and rewrite its descendants' paths. Node must be saved."""
    old_path = node.path
    parent_path = node.parent.path if node.parent_id else "/"
    new_path = f"{parent_path}{node.pk}/"
    depth = new_path.count("/") - 2
    model = type(node)
    model._default_manager.filter(pk=node.pk).update(path=new_path, depth=depth)
    if old_path and old_path != new_path:
        for child in model._default_manager.filter(path__startswith=old_path).exclude(pk=node.pk).order_by("depth"):
            child.path = new_path + child.path[len(old_path) :]
            child.depth = child.path.count("/") - 2
            model._default_manager.filter(pk=child.pk).update(path=child.path, depth=child.depth)
    node.path, node.depth = new_path, depth
