"""Who calls: a bearer token, a person's own or an API client's, turned into the policy's reader."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from masar.core.policy import Reader
from masar.exchange.services import token_authenticate, token_touch


class TokenAuth(HttpBearer):
    """`Authorization: Bearer msr_...`: a usable token gives the request its reader."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_authenticate(token)
        if found is None:
            return None
        token_touch(found)
        request.api_token = found  # type: ignore[attr-defined]
        request.reader = Reader.of(found.user)  # type: ignore[attr-defined]
        request.user = found.user
        return found


class CallerThrottle(BaseThrottle):
    """At most so many calls a minute per client (its own rate) or per person, in a fixed window."""

    def __init__(self) -> None:
        self._wait: float | None = None

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "api_token", None)
        if token is None:
            return True
        if token.client_id is not None:
            key, rate = f"api-rate-client-{token.client_id}", token.client.rate_per_minute
        else:
            key, rate = f"api-rate-user-{token.user_id}", settings.API_PERSON_RATE_PER_MINUTE
        window = int(time.time() // 60)
        key = f"{key}-{window}"
        cache.add(key, 0, timeout=120)
        try:
            calls = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=120)
            calls = 1
        if calls > rate:
            self._wait = 60 - time.time() % 60
            return False
        return True

    def wait(self) -> float | None:
        return self._wait
