"""Users are deactivated, never deleted: the trail names who made each change, for as long as it is kept."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from masar.core.errors import DomainError


class UserDeletionRefused(DomainError):
    default_message = _(
        "People are deactivated, never deleted: the audit trail keeps naming who made each change. "
        "Untick “active” instead."
    )


def refuse_user_deletion(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Stop every deletion of a user, whatever the path (admin, shell, queryset): a guard, not business logic."""
    raise UserDeletionRefused
