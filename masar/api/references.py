"""Parsing what a call names: its reader, the scopes it needs, and the records its filters and bodies point to."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import ValidationError

from masar.accounts.models import User
from masar.core import policy


def reader_of(request: HttpRequest) -> policy.Reader:
    """Return the reader the call's token gave it."""
    return request.reader  # type: ignore[attr-defined]


def actor_of(request: HttpRequest) -> User:
    """Return who acts for the services: the person, or the API client's own account."""
    return request.api_token.user  # type: ignore[attr-defined]


def require(request: HttpRequest, record_type: str, *, write: bool = False) -> None:
    """Refuse (403) a call on a kind of record the caller has no scope for."""
    if not policy.may_call(reader_of(request), record_type, write=write):
        if write:
            raise PermissionDenied(_("This system may not write %(records)s.") % {"records": record_type})
        raise PermissionDenied(_("This system may not read %(records)s.") % {"records": record_type})


def require_asking(request: HttpRequest, record_type: str, organization: Any) -> None:
    """Refuse (403) a client asking for another organization's records that no agreement in force covers."""
    if not policy.may_ask_for(reader_of(request), record_type, organization):
        raise PermissionDenied(
            _("No sharing agreement in force gives this system the %(records)s of %(organization)s.")
            % {"records": record_type, "organization": organization.name}
        )


def filter_ref(queryset: QuerySet, pk: int | None, *, pointer: str = "") -> Any:
    """Return the record with this id among those the caller may read; a 422 names the field otherwise."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError(
            [
                {
                    "loc": tuple((pointer or "query").split(".")),
                    "msg": str(_("no such record, or not one you may read")),
                    "type": "value_error",
                }
            ]
        )
    return found
