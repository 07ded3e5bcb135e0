"""Writes on people's own accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from masar.audit.models import Action
from masar.audit.services import audit_record, diff, snapshot
from masar.core.policy import may_edit_profile
from masar.core.services import model_update

if TYPE_CHECKING:
    from typing import Any

    from masar.accounts.models import User

PROFILE_FIELDS = ("first_name", "last_name", "email", "phone", "language", "email_frequency")


@transaction.atomic
def user_profile_update(*, user: User, actor: User, expected_version: int | None, **data: Any) -> User:
    """Change a person's own name, contact details, language and e-mail frequency; audited, refused if stale."""
    if not may_edit_profile(actor, user):
        raise PermissionDenied
    changes = {key: value for key, value in data.items() if key in PROFILE_FIELDS}
    return model_update(instance=user, actor=actor, data=changes, expected_version=expected_version)


# Never copied into the trail, even hashed: that a password changed is all the trail needs to say.
_HIDDEN = {"password"}


def user_account_snapshot(*, user: User) -> dict[str, Any]:
    """Return what the trail records of an account: every field (role, organization, is_active, is_staff,
    is_superuser, groups, permissions, …) except the password, which appears only as having changed."""
    data = snapshot(user)
    for name in _HIDDEN & data.keys():
        data[name] = "(set)" if data[name] else ""
    return data


@transaction.atomic
def user_account_record(*, user: User, actor: User | None, before: dict[str, Any] | None) -> None:
    """Audit a change an administrator just saved on an account (the admin's save calls this), raising its version.

    before is user_account_snapshot of the account as it was, or None for a new account.
    """
    changes = diff(before or {}, user_account_snapshot(user=user))
    if before is not None and not changes:
        return
    type(user)._default_manager.filter(pk=user.pk).update(version=F("version") + 1)
    user.refresh_from_db(fields=["version"])
    action = Action.CREATE if before is None else Action.UPDATE
    audit_record(actor=actor, action=action, instance=user, changes=changes)
