"""Error pages in Masar's layout and the reader's language (the URL's /ar/, /fr/ or /en/), with a way back."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme


def previous_page(request):
    """Return the page the reader came from when it is on this site, else None."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return None


def _page(request, status):
    return render(request, f"{status}.html", {"previous": previous_page(request)}, status=status)


def bad_request(request, exception):
    return _page(request, 400)


def permission_denied(request, exception):
    return _page(request, 403)


def page_not_found(request, exception):
    return _page(request, 404)


def server_error(request):
    """Render the 500 page in the layout; if the layout itself fails (the database is down), a page without it."""
    try:
        return _page(request, 500)
    except Exception:
        return HttpResponseServerError(loader.get_template("500_plain.html").render())
