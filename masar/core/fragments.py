"""Rendered parts of pages kept in the cache for the readers who see the same records.

A key holds the reader's visibility scope (`policy.cache_scope`: shared by readers who see the same records and by no
one else), what is rendered, the language, the day (freshness and dates past due move with the calendar) and the
data version (the newest audit entry: any change to any record gives a new key, so nothing is ever flushed by hand).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from masar.audit.models import AuditEntry
from masar.core import policy

FRAGMENT_SECONDS = 600
# Rendered where a kept part's forms carry the CSRF token (as the template context's `csrf_token`), and replaced by
# the token of the request that reads the part: a kept form never holds a token from another request.
CSRF_PLACEHOLDER = "masar-csrf-token-of-the-request"


def scoped_key(who: Any, prefix: str, name: str) -> str:
    """Return the cache key of what this reader sees under name, in the active language, today."""
    scope = policy.cache_scope(who)
    day = timezone.localdate().isoformat()
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    return f"{prefix}:{scope}:{digest}:{get_language()}:{day}:{AuditEntry.objects.data_version()}"


def asked(query: Any, names: Any) -> str:
    """Return the parameters of a query string that a page reads (names), sorted: the part of a key they make."""
    return "&".join(f"{name}={value}" for name in sorted(names) for value in query.getlist(name))


def kept(key: str, render: Callable[[], tuple[str, int]], seconds: int = FRAGMENT_SECONDS) -> tuple[str, int]:
    """Return the body kept under key with its status 200, or render it (body, status): only a 200 is kept.

    A page keeps only what it rendered for a valid request, so a hit needs no validation: an invalid filter or an
    invisible choice is refused on every request, with the reader's own rendering of the error.
    """
    body = cache.get(key)
    if body is not None:
        return body, 200
    body, status = render()
    if status == 200:
        cache.set(key, body, seconds)
    return body, status


def with_token(body: str, request: Any) -> str:
    """Return a kept body with this request's CSRF token in its forms (rendered with `CSRF_PLACEHOLDER`)."""
    if CSRF_PLACEHOLDER not in body:
        return body
    return body.replace(CSRF_PLACEHOLDER, get_token(request))
