"""Reads shared by every page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404

from masar.audit.models import AuditEntry
from masar.core import policy
from masar.core.changes import with_change_rows

if TYPE_CHECKING:
    from typing import Any

    from django.core.paginator import Page
    from django.db.models import Model, QuerySet


def paginate(queryset: QuerySet[Any] | list[Any], page_number: int | str | None, per_page: int) -> Page[Any]:
    """Return the requested page; a malformed or out-of-range page number is a 404."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(page_number or 1)
    except (PageNotAnInteger, EmptyPage):
        raise Http404 from None


def audit_trail_for(obj: Model, user: Any, limit: int = 50) -> list[Any] | None:
    """Return the latest audit entries of a record for a reader who may read the trail (None for the others)."""
    if not policy.may_read_audit(user):
        return None
    entries = AuditEntry.objects.for_object(obj).select_related("actor").order_by("-id")[:limit]
    return with_change_rows(entries, type(obj), user)
