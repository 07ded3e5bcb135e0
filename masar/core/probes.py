"""The doors of operations: /healthz and /readyz for load balancers, /metrics for Prometheus.

They live outside the language prefix and read no session and no user (except /metrics for a signed-in staff
member), so a probe costs next to nothing and works with the database down.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from masar.core.metrics import CONTENT_TYPE, exposition
from masar.core.readiness import readiness


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer "ok" while the process serves requests; touch nothing else (a restart would not fix a database)."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database, cache and queue are reachable, else 503 naming the part that failed."""
    checks = readiness()
    ready = all(check.ok for check in checks.values())
    return JsonResponse(
        {
            "status": "ready" if ready else "unavailable",
            "checks": {name: {"ok": check.ok, "detail": check.detail} for name, check in checks.items()},
        },
        status=200 if ready else 503,
    )


def _bearer_token(request: HttpRequest) -> str | None:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else None


def metrics_access_check(request: HttpRequest) -> None:
    """Let through Prometheus with METRICS_TOKEN, or a signed-in staff member; raise otherwise.

    Anonymous requests without a token get a 404, as for any address that does not exist; a wrong token or a
    signed-in person who is not staff gets a 403. No address is trusted on its own: behind a reverse proxy on
    the same machine every request comes from 127.0.0.1.
    """
    presented = _bearer_token(request)
    if presented is not None:
        expected = settings.METRICS_TOKEN
        # An empty METRICS_TOKEN turns token access off; it never matches an empty "Bearer " header.
        if expected and hmac.compare_digest(presented.encode(), expected.encode()):
            return
        raise PermissionDenied
    user = request.user
    if user.is_authenticated:
        if user.is_active and user.is_staff:
            return
        raise PermissionDenied
    raise Http404


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """The metrics in the Prometheus text format, for the token's holder or a staff member."""
    metrics_access_check(request)
    return HttpResponse(exposition(), content_type=CONTENT_TYPE)
