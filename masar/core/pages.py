"""How pages answer a service's refusal: the core error vocabulary mapped once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from masar.core.changes import with_change_rows
from masar.core.errors import DomainError, Invalid, NotPermitted, StaleEditError, http_status
from masar.core.forms import add_field_errors, add_service_errors


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


def refuse_in_form(form: Any, error: DomainError) -> None:
    """Show a service's refusal on the form (each broken rule at its field); a reader who may not act gets 403."""
    if isinstance(error, NotPermitted):
        raise PermissionDenied(str(error.message)) from error
    if isinstance(error, Invalid) and error.errors:
        add_field_errors(form, error.errors)
    else:
        form.add_error(None, str(error.message))


def form_save(request: HttpRequest, form: Any, save: Any, model: type[Model]) -> tuple[Any, Any]:
    """Call save(data, version) on a valid form; return (record, stale error), with refusals put on the form.

    A stale edit carries the changes made meanwhile (shown beside the form); a validation error or a
    domain refusal is shown on the form; nothing is saved then.
    """
    if not form.is_valid():
        return None, None
    try:
        return save(form.data_for_service(), form.cleaned_data.get("version")), None
    except StaleEditError as error:
        error.entries = with_change_rows(error.changes_since, model, request.user)  # type: ignore[attr-defined]
        form.add_error(None, error.message)
        return None, error
    except ValidationError as error:
        add_service_errors(form, error, model=model)
    except DomainError as error:
        refuse_in_form(form, error)
    return None, None
