"""What every call to the API goes through around its handler: the body limit, ETags and
conditional reads, and the exchange log."""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _

from masar.api.problems import problem

API_PREFIX = "/api/"
IMPORT_PATH = "/api/v1/imports/"
DOCUMENTS_PATH = "/api/v1/documents/"
MULTIPART_ALLOWANCE = 1024 * 1024  # the form fields and boundaries around a document's file
UNLOGGED = ("/api/v1/docs", "/api/v1/openapi.json")  # the documentation is read by people, not exchanged


class ApiMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        started = time.monotonic()
        response = self._respond(request)
        if not request.path.startswith(UNLOGGED):
            _log(request, response, started)
        return response

    def _respond(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.API_MAX_BODY_BYTES
        if request.path == IMPORT_PATH:  # files go there: the import's own limit applies
            limit = int(getattr(settings, "IMPORT_MAX_MB", 256)) * 1024 * 1024
        elif request.path == DOCUMENTS_PATH:  # a document's file: the library's own limit applies
            limit = int(getattr(settings, "DOCUMENT_MAX_BYTES", 25 * 1024 * 1024)) + MULTIPART_ALLOWANCE
        if length > limit:
            return problem(
                request,
                413,
                "payload-too-large",
                _("The body is too large"),
                _("Send at most %(size)s bytes in one call; split the data, or use an import.") % {"size": limit},
            )
        if not _storable(request):
            return problem(
                request,
                422,
                "unstorable-text",
                _("The request holds characters no record can keep"),
                _("Remove NUL characters and unpaired surrogates (\\u0000, \\ud800) from the query and the body."),
            )
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.streaming:
            if not response.has_header("ETag"):
                digest = hashlib.sha256(response.content).hexdigest()[:20]
                version = getattr(request, "api_version", None)
                response["ETag"] = f'"{version}-{digest}"' if version is not None else f'"{digest}"'
            conditional = get_conditional_response(request, etag=response["ETag"], response=response)
            if conditional is not None and conditional.status_code == 304:
                return conditional
        return response


def _storable(request: HttpRequest) -> bool:
    """Whether the query and a JSON body hold only text a database keeps (no NUL, no lone surrogate)."""
    if any("\x00" in value for values in request.GET.lists() for value in [values[0], *values[1]]):
        return False
    if request.content_type != "application/json" or not request.body:
        return True
    try:
        data = json.loads(request.body)
    except ValueError:
        return True  # not JSON at all: the handler answers that
    return all(_keepable(text) for text in _texts(data))


def _texts(data: Any) -> Any:
    """Yield every text of a parsed JSON document, its keys included."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _texts(value)
    elif isinstance(data, list):
        for value in data:
            yield from _texts(value)


def _keepable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def _token_of(request: HttpRequest) -> Any:
    """Return the token the call was made with, usable or not (a revoked token's attempt is logged too)."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return token
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    from masar.exchange.models import ApiToken, token_digest

    return ApiToken.objects.select_related("client", "user").filter(digest=token_digest(secret.strip())).first()


def _agreements_used(request: HttpRequest, owner_ids: set[int]) -> list[int]:
    reader = getattr(request, "reader", None)
    grants = getattr(reader, "grants", ()) if getattr(request, "api_token", None) is not None else ()
    if reader is None or not grants or not owner_ids:
        return []
    from masar.organizations.models import Organization

    paths = list(Organization.objects.filter(pk__in=owner_ids).values_list("path", flat=True))
    own = reader.organization_path
    return sorted(
        {
            g.agreement_id
            for g in grants
            if g.agreement_id is not None
            and any(p.startswith(g.owner_path) and not (own and p.startswith(own)) for p in paths)
        }
    )


def _log(request: HttpRequest, response: HttpResponse, started: float) -> None:
    from masar.exchange.services import exchange_log_append

    owner_ids = set(getattr(request, "api_owner_ids", set()))
    exchange_log_append(
        token=_token_of(request),
        method=request.method or "",
        path=request.get_full_path(),
        status=response.status_code,
        records=getattr(request, "api_records", 0) if response.status_code < 400 else 0,
        duration_ms=int((time.monotonic() - started) * 1000),
        owner_ids=sorted(owner_ids),
        agreement_ids=_agreements_used(request, owner_ids),
    )
