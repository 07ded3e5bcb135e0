"""The files of the published datasets, as harvesters and visitors download them (no language prefix, no session)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import condition, require_safe

from masar.opendata.models import ResourceFormat
from masar.opendata.selectors import resource_file

CACHE_SECONDS = 300  # files change when their data does; a harvester re-asks with If-None-Match


def _etag(request: HttpRequest, name: str, fmt: str) -> str:
    return resource_file(name, fmt).sha256[:32]


def _last_modified(request: HttpRequest, name: str, fmt: str) -> datetime.datetime:
    return resource_file(name, fmt).modified_at


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def resource_download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """Return one file of a published dataset with its ETag and Last-Modified (304 when unchanged)."""
    resource = resource_file(name, fmt)
    response = HttpResponse(bytes(resource.content), content_type=resource.media_type)
    if fmt == ResourceFormat.CSV:
        response["Content-Type"] = "text/csv; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    response["ETag"] = quote_etag(resource.sha256[:32])
    response["Last-Modified"] = http_date(resource.modified_at.timestamp())
    return response
