"""Deployment checks of the audit trail's configuration (`manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning

from masar.audit import keys


def audit_key_check(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Ask production for its own audit key, and refuse one that cannot be read or is too short."""
    try:
        keys.all_keys()
    except Exception as error:  # ImproperlyConfigured, or anything reading the key file raised
        return [Error(str(error), id="audit.E001")]
    if not (settings.AUDIT_KEY or settings.AUDIT_KEY_FILE):
        return [
            Warning(
                "AUDIT_KEY (or AUDIT_KEY_FILE) is not set: the audit trail is signed with a key derived from "
                "SECRET_KEY, so rotating SECRET_KEY also rotates the trail's key.",
                hint="Set a separate AUDIT_KEY of at least 32 random characters before the first entry is written.",
                id="audit.W001",
            )
        ]
    return []
