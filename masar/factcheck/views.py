"""The fact-check pages: the portal's public page, which reads as the public whoever is signed in, and the signed-in
page, which reads with the person's own visibility. Views parse, call `text_check`, and render."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from masar.accounts.throttle import client_address
from masar.catalogue.throttle import submission_allow
from masar.core.policy import Reader
from masar.factcheck.check import text_check, text_parts, verdict_counts
from masar.factcheck.forms import FactcheckForm

THROTTLE_SCOPE = "factcheck"
THROTTLE_WINDOW = 3600


def _page(request: HttpRequest, reader: Reader, template: str, *, public: bool) -> HttpResponse:
    form = FactcheckForm(request.POST if request.method == "POST" else None)
    context: dict[str, object] = {"form": form}
    status = 200
    if request.method == "POST":
        if public and not submission_allow(
            address=client_address(request),
            scope=THROTTLE_SCOPE,
            limit=settings.PORTAL_FACTCHECKS_PER_HOUR,
            window_seconds=THROTTLE_WINDOW,
        ):
            # The page comes back with the pasted text kept, to be checked again later.
            context["throttled"] = True
            return render(request, template, context, status=429)
        if form.is_valid():
            text = form.cleaned_data["text"]
            checked = text_check(reader, text)
            context.update({"checked": checked, "parts": text_parts(text, checked), "counts": verdict_counts(checked)})
        else:
            status = 400
    return render(request, template, context, status=status)


# Exempt from CSRF like the portal's other public forms: it acts for nobody and changes nothing, is throttled per
# address, and without a token the empty page stays one cached page for every anonymous visitor.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def public_check(request: HttpRequest) -> HttpResponse:
    """Check a pasted text against the public data of Masar, as anyone may read it."""
    return _page(request, Reader.public(), "factcheck/public.html", public=True)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    """Check a pasted text against what this person may read of Masar."""
    return _page(request, Reader.of(request.user), "factcheck/check.html", public=False)
