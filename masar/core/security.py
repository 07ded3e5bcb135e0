"""Guards around every request: private answers stay out of shared caches, a session ends after a period
without use (not a fixed time after signing in), and a body over the limit is refused before it is read."""

import time

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext

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


class BodyLimitMiddleware:
    """Refuse a request whose declared body is over REQUEST_MAX_BODY_BYTES (413) before a byte of it is read.

    Django would stream such an upload to a temporary file first and only then let the form refuse it; a body with no
    declared length is bounded by the reverse proxy and by the uploads' own limits.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        size = int(declared) if declared.isascii() and declared.isdigit() else 0
        if size > settings.REQUEST_MAX_BODY_BYTES:
            language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
            with translation.override(language):
                message = gettext("The file or form sent is larger than %(limit)s: it was refused.") % {
                    "limit": filesizeformat(settings.REQUEST_MAX_BODY_BYTES)
                }
            response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
            response["Connection"] = "close"  # the unread body must not be taken for the next request
            return response
        return self.get_response(request)
