"""How pages answer a service's refusal: the core error vocabulary mapped once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from masar.core.errors import DomainError, Invalid, http_status


def refusal_text(error: DomainError) -> str:
    """Return what the reader is told: each broken rule of an Invalid, else the error's message."""
    if isinstance(error, Invalid) and error.errors:
        return " ".join(str(message) for _field, message in error.errors)
    return str(error.message)


def tell_refusal(request: HttpRequest, error: DomainError) -> int:
    """Refuse the page (403) when the reader may not act; else show the error on the next page and return its status.

    Conflict and Locked (409) say someone acted first or the record is locked; Invalid (400) says
    what to correct.
    """
    status = http_status(error)
    if status == 403:
        raise PermissionDenied(str(error.message)) from error
    messages.error(request, refusal_text(error))
    return status


def next_path(request: HttpRequest, fallback: str) -> str:
    """Return the page the request asks to go back to ("next"), when it is a path of this site; else fallback.

    Only a path is taken: a full address elsewhere would be an open redirect, and a bare word
    ("NaN") is what `redirect` tries to reverse as a view name, which fails with a 500.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        return target
    return fallback
