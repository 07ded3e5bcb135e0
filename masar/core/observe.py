"""Give every request an id, one log line and its metrics. First in MIDDLEWARE, so it sees every answer.

The id comes from the reverse proxy's X-Request-ID when it is well formed (hexadecimal or a UUID), else a new
one; it is the current request id (masar.core.context) while the request is handled, so every log line, the
jobs the request enqueues and the audit entries it writes carry it, and it goes back in the X-Request-ID header.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from masar.core.context import current_request_id, new_request_id, reset_request_id, set_request_id
from masar.core.metrics import request_observe, route_label

logger = logging.getLogger("masar.request")

REQUEST_ID_HEADER = "X-Request-ID"
# 16 to 64 hexadecimal digits, dashes allowed inside (a UUID): what proxies generate (nginx's $request_id is 32).
# Anything else (too long, other characters, a newline meant to forge a log line) is replaced by a new id.
_WELL_FORMED_ID = re.compile(r"[0-9a-f][0-9a-f-]{14,62}[0-9a-f]")


def incoming_request_id(value: str) -> str:
    """The proxy's request id when it is well formed, lower-cased; otherwise a new id."""
    value = value.strip().lower()
    return value if _WELL_FORMED_ID.fullmatch(value) else new_request_id()


def _user_id(request: HttpRequest) -> int | None:
    # Only a user the request already loaded: reading request.user here would cost a session query on pages that
    # never needed one (/healthz must not touch the database). Django keeps the loaded user in _cached_user.
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


def _body_bytes(response: HttpResponse | StreamingHttpResponse) -> int | None:
    if response.has_header("Content-Length"):
        return int(response["Content-Length"])
    if isinstance(response, StreamingHttpResponse):
        return None  # streamed without a declared length: counted by the proxy, not here
    return len(response.content)


class ObserveRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = incoming_request_id(request.headers.get(REQUEST_ID_HEADER, ""))
        token = set_request_id(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            response[REQUEST_ID_HEADER] = request_id
            self._record(request, response, seconds)
            return response
        finally:
            reset_request_id(token)

    def _record(self, request: HttpRequest, response: HttpResponse, seconds: float) -> None:
        route = route_label(request)
        request_observe(route=route, method=request.method or "", status=response.status_code, seconds=seconds)
        logger.log(
            logging.ERROR if response.status_code >= 500 else logging.INFO,
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": current_request_id(),
                "method": request.method,
                "route": route,
                "path": request.path,  # never the query string: it may carry tokens or personal search terms
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": _user_id(request),
                "bytes": _body_bytes(response),
            },
        )
