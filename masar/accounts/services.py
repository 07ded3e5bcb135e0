"""Writes on people's own accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

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
