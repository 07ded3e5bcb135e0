"""Work that must follow every audited change, in the same transaction (the search index).

An app that keeps something derived from records registers a follower for a model; `audit_record`
calls it with the instance just audited, so no write path can forget it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_FOLLOWERS: dict[str, list[Callable[[Any, str, dict[str, Any]], None]]] = {}


def follow(label: str, callback: Callable[[Any, str, dict[str, Any]], None]) -> None:
    """Call callback(instance, action, changes) after each audited change of the model `app_label.ModelName`."""
    callbacks = _FOLLOWERS.setdefault(label.lower(), [])
    if callback not in callbacks:
        callbacks.append(callback)


def changed(instance: Any, action: str, model: type | None = None, changes: dict[str, Any] | None = None) -> None:
    """Tell the followers of instance's model that it was audited with this action and these changes."""
    meta = (model or type(instance))._meta
    for callback in _FOLLOWERS.get(meta.label_lower, ()):
        callback(instance, action, changes or {})
