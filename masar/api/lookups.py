"""Finding the records a call hangs from: the project a progress update is sent for, the decision an
action-taken report is about, the project a list is narrowed to."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from masar.api.references import reader_of
from masar.core import policy


def seen_as_context(queryset: QuerySet, request: HttpRequest) -> QuerySet:
    """Return the records of queryset the caller reads as the context of what it asked for.

    A system with the scope to read progress updates reads the projects they belong to, without the
    scope to read projects (`policy.visible_q(..., revealed=True)`); a person reads what they read.
    """
    lookups = queryset.model._default_manager.get_queryset().lookups()
    return queryset.filter(policy.visible_q(reader_of(request), lookups, revealed=True))


def parent_for_writing(queryset: QuerySet, request: HttpRequest, pk: int) -> Any:
    """Return the record a write hangs from, among those the caller reads as context; 404 otherwise.

    A system that writes progress updates of its own projects reads them as context (it needs no scope
    to read projects for that); whether it may write is the service's question (403).
    """
    found = seen_as_context(queryset, request).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
