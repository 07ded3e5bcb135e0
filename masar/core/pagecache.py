"""Whole pages for anonymous visitors, kept in the cache until the data changes.

Every anonymous visitor is the same reader (the public), so a page rendered for one serves the next until any record
changes: the key holds the data version (the newest audit entry, as the dashboards' cache does) and the full path.
The request is known to be anonymous without reading the session (it sends no session cookie), so a hit costs one
query. Nothing personal can be kept: a response that sets a cookie, used a CSRF token, carries messages, is not a
200 HTML page or is marked private is never stored; signed-in people, API calls and htmx fragments never look here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation

from masar.audit.models import AuditEntry

CACHE_HEADER = "X-Masar-Page-Cache"


def _lookable(request: HttpRequest) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and "HTTP_HX_REQUEST" not in request.META
        and not request.path_info.startswith("/api/")
    )


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
        and not getattr(request, "_messages", None)
    )


def page_key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode("utf-8", "surrogatepass")).hexdigest()[:32]
    version = AuditEntry.objects.data_version()
    return f"page:{translation.get_language()}:{request.method}:{version}:{path}"


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _lookable(request):
            return self.get_response(request)
        key = page_key(request)
        cached = cache.get(key)
        if cached is not None:
            try:
                request.resolver_match = resolve(request.path_info)  # the metrics name the route, hit or miss
            except Resolver404:
                pass
            cached[CACHE_HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if _storable(request, response):
            cache.set(key, response, settings.PUBLIC_PAGE_CACHE_SECONDS)
            response[CACHE_HEADER] = "miss"
        return response
