"""The public portal: the home of the public side, the services directory, service pages with the citizens' voice,
the tracking of a complaint or a suggestion, and what the government is delivering.

Every page reads as the public (`Reader.public()`), whoever is signed in: the portal shows what a citizen sees,
and its pages are kept whole in the cache for anonymous visitors (`masar.core.pagecache`), so none uses a CSRF
token. The views parse, call the catalogue's selectors and writes, and render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from masar.accounts.throttle import client_address
from masar.catalogue.models import FULLY_ONLINE_LEVEL, ONLINE_LEVEL, LifeEvent, Service, ServiceCategory
from masar.catalogue.selectors import (
    latest_usage_month,
    public_comments,
    service_for_reader,
    service_list,
    service_projects,
)
from masar.catalogue.voice import SubmissionInvalid, Throttled, feedback_submit, rating_submit
from masar.core.policy import Reader
from masar.core.selectors import paginate
from masar.portal import selectors
from masar.portal.forms import DirectoryForm, FeedbackForm, HoneypotForm, RatingForm, TrackForm

PER_PAGE = 20
# The levels the shares count from, for the links from a share down to the services it counts.
LEVELS = {"online_level": int(ONLINE_LEVEL), "fully_online_level": int(FULLY_ONLINE_LEVEL)}


def _public() -> Reader:
    return Reader.public()


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Show the door of the public side: a search box, life events and categories, a few figures, and the ways
    to the directory, to what the government is delivering and to open data."""
    reader = _public()
    context = {
        "governments": selectors.totals_by_government(reader),
        "life_events": selectors.life_events(reader),
        "categories": selectors.categories(reader),
        **LEVELS,
    }
    return render(request, "portal/home.html", context)


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """List the public services that meet the search and filters, a page at a time, with no query per row."""
    form = DirectoryForm(
        request.GET,
        life_events=LifeEvent.objects.only("pk", "name_ar", "name_fr", "name_en"),
        categories=ServiceCategory.objects.only("pk", "name_ar", "name_fr", "name_en"),
        ministries=selectors.ministries(),
    )
    form.is_valid()
    filters = form.filters()
    page = paginate(service_list(_public(), filters), request.GET.get("page"), PER_PAGE)
    context = {"form": form, "page": page, "services": page.object_list, "filters": filters}
    return render(request, "portal/directory.html", context)


def _service_page(
    request: HttpRequest,
    service: Service,
    *,
    rating_form: HoneypotForm | None = None,
    feedback_form: HoneypotForm | None = None,
    status: int = 200,
) -> HttpResponse:
    reader = _public()
    context = {
        "service": service,
        "documents": selectors.document_rows(service),
        "fee": selectors.service_fee(service),
        "comments": public_comments(service),
        "projects": service_projects(reader, service),
        "rating_form": rating_form or RatingForm(),
        "feedback_form": feedback_form or FeedbackForm(),
    }
    return render(request, "portal/service_detail.html", context, status=status)


@require_safe
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a public service: how to get it, documents, fee, time, legal basis, online address, level, rating,
    moderated comments, the projects digitizing it, and the rating and complaint forms."""
    return _service_page(request, service_for_reader(_public(), pk))


def _throttled(request: HttpRequest, service: Service, error: Throttled) -> HttpResponse:
    return render(request, "portal/throttled.html", {"service": service, "message": error.message}, status=429)


def _submitted(
    request: HttpRequest,
    service: Service,
    form: HoneypotForm,
    submit: Callable[[dict[str, Any]], Any],
    template: str,
    name: str,
) -> HttpResponse:
    """Send what a valid form holds to the service's write; show its errors beside the fields, or the result."""
    if not form.is_valid():
        return _service_page(request, service, status=400, **{f"{name}_form": form})
    if form.is_trap_filled():  # a robot: thanked like anyone, and nothing is stored or counted
        return render(request, template, {"service": service, "result": None})
    try:
        result = submit(form.cleaned_data)
    except Throttled as error:
        return _throttled(request, service, error)
    except SubmissionInvalid as error:
        form.add_errors(error.errors)
        return _service_page(request, service, status=400, **{f"{name}_form": form})
    return render(request, template, {"service": service, "result": result})


# The two public submissions are exempt from CSRF: they act for nobody (anonymous, no session, no cookie, nothing
# the sender could not post from their own browser), each is throttled per address and guarded by a honeypot, and
# without a token the service page stays one cached page for every anonymous visitor (masar.core.pagecache
# refuses pages that used a token).
@csrf_exempt
@require_POST
def service_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a citizen's rating of a public service (with an optional comment awaiting moderation)."""
    service = service_for_reader(_public(), pk)
    address = client_address(request)

    def submit(data: dict[str, Any]) -> Any:
        return rating_submit(
            service=service, score=data["score"], comment=data["comment"], language=get_language(), address=address
        )

    return _submitted(request, service, RatingForm(request.POST), submit, "portal/rated.html", "rating")


@csrf_exempt  # see service_rate
@require_POST
def service_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a complaint or a suggestion about a public service and show its tracking number."""
    service = service_for_reader(_public(), pk)
    address = client_address(request)

    def submit(data: dict[str, Any]) -> Any:
        return feedback_submit(
            service=service,
            kind=data["kind"],
            text=data["text"],
            contact=data["contact"],
            language=get_language(),
            address=address,
        )

    return _submitted(request, service, FeedbackForm(request.POST), submit, "portal/feedback_sent.html", "feedback")


@require_safe
def track(request: HttpRequest) -> HttpResponse:
    """Show a complaint or a suggestion by its tracking number: kind, service, status, dates and the answer."""
    form = TrackForm(request.GET or None)
    number = form.cleaned_data["number"] if form.is_valid() else ""
    tracked = selectors.request_tracked(_public(), number) if number else None
    return render(request, "portal/track.html", {"form": form, "number": number, "tracked": tracked})


@require_safe
def delivering(request: HttpRequest) -> HttpResponse:
    """Show what the government is delivering: the public projects that digitize services, with their progress,
    and how far each ministry's services are digitized."""
    reader = _public()
    context = {
        "page": selectors.delivering_page(reader, request.GET.get("page")),
        "ministries": selectors.digitization_by_ministry(reader),
        "month": latest_usage_month(reader),
        **LEVELS,
    }
    return render(request, "portal/delivering.html", context)
