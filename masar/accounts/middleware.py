"""The gate of the second factor: a session that passed the password but still owes the code opens nothing else."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device

from masar.core.policy import may_sign_in_without_second_factor

# The steps of signing in (and out) that such a session may open.
OPEN_STEPS = frozenset(
    {"accounts-login", "accounts-logout", "accounts-two-factor", "accounts-two-factor-enrol", "accounts-two-factor-qr"}
)
# Paths outside the pages: files, the process's health and metrics, and the API, which authenticates each call with
# its own token and never reads the session.
OPEN_PREFIXES = ("/static/", "/healthz", "/readyz", "/metrics", "/api/")


class SecondFactorMiddleware:
    """Send a person whose role needs a second factor to give the code (or to enrol first) before any page.

    Must come after django_otp's OTPMiddleware, which tells whether the session passed it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or may_sign_in_without_second_factor(user):
            return None
        match = request.resolver_match
        if (match is not None and match.url_name in OPEN_STEPS) or request.path_info.startswith(OPEN_PREFIXES):
            return None
        step = "accounts-two-factor" if user_has_device(user) else "accounts-two-factor-enrol"
        return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
