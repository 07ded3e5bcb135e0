"""Two guards around every request: private answers stay out of shared caches, and a session ends after
a period without use (not a fixed time after signing in)."""

import time

from django.conf import settings
from django.http import FileResponse

PRIVATE = "private, no-store"
# The session key holding when the session's end was last moved forward (seconds since the epoch).
SEEN_KEY = "_masar_seen"


class PrivateCacheMiddleware:
    """Answer `Cache-Control: private, no-store` to a signed-in person or an API token, and for every download.

    A proxy or the browser's back button must not keep what one person may read; anonymous pages keep their
    caching, and versioned assets (marked `immutable` by the view that serves them) stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "immutable" in response.get("Cache-Control", ""):
            return response
        if _is_download(response) or _is_personal(request):
            response["Cache-Control"] = PRIVATE
            if response.has_header("Expires"):
                del response["Expires"]
        return response


def _is_download(response):
    return isinstance(response, FileResponse) or response.has_header("Content-Disposition")


def _is_personal(request):
    if "Authorization" in request.headers:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class SessionSlidingMiddleware:
    """Move a live session's end SESSION_COOKIE_AGE seconds past this request, once a SESSION_REFRESH_SECONDS at most.

    Done before the view, so that signing out (which empties the session) is never undone here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and settings.SESSION_COOKIE_NAME in request.COOKIES:
            now = int(time.time())
            seen = session.get(SEEN_KEY)
            stale = not isinstance(seen, int) or now - seen >= settings.SESSION_REFRESH_SECONDS
            if stale and not session.is_empty():
                session[SEEN_KEY] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)
