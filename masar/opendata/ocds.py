"""The OCDS 1.1 release package at /ocds/releases.json: Masar's public procurement, as open-contracting tools read it.

`public_releases` returns one release per contracting process the public may read (a tender classified
public, of a project that is public or of none), built by `masar.integrity.ocds_export` through the public
reader like every open-data door: `ocid`, `id`, `date`, `tag`, `initiationType` "tender", the buyer and the
suppliers as `parties` (organizations, never their directors or owners), `tender`, `bids`, `awards` and
`contracts` with their payments. Never: classification, internal notes, integrity alerts and their evidence,
staff names or e-mails.

With no public procurement the address answers 404 with a sentence saying so: OCDS's release-package schema
asks for at least one release (`minItems`), and a harvester is better told "nothing yet" than handed a
package that does not validate. The conformance tests check the package against the official schema.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from masar.opendata.models import LICENCE_URLS, Licence
from masar.opendata.publisher import publisher

VERSION = "1.1"
LICENCE = Licence.CC_BY_4
CACHE_SECONDS = 300


def public_releases() -> list[dict[str, Any]]:
    """Return the OCDS releases of the procurement the public may read (public tenders), oldest first."""
    from masar.core.policy import Reader
    from masar.integrity.ocds import releases_for

    return releases_for(Reader.public())


def release_package(releases: list[dict[str, Any]], now: datetime.datetime | None = None) -> dict[str, Any]:
    """Return the release package of releases, with its publisher, licence and publication policy.

    Its date is the latest release's (the package is generated on demand, so OCDS asks for the date of
    its content's last change), or now when there is none.
    """
    now = now or timezone.now()
    organization = publisher()
    dates = [release["date"] for release in releases]
    published = max(dates, key=datetime.datetime.fromisoformat, default=now.isoformat(timespec="seconds"))
    return {
        "uri": settings.SITE_URL.rstrip("/") + reverse("opendata-ocds-releases"),
        "version": VERSION,
        "publishedDate": published,
        "publisher": {
            "name": organization.name_ar if organization else "Masar",
            "uri": settings.SITE_URL,
        },
        "license": LICENCE_URLS[LICENCE],
        "publicationPolicy": settings.OCDS_PUBLICATION_POLICY_URL or None,
        "releases": releases,
    }


@require_safe
def releases(request: HttpRequest) -> JsonResponse:
    """Return the release package of Masar's public procurement (404 while there is none)."""
    found = public_releases()
    if not found:
        absent = {"detail": gettext("Masar holds no public procurement data yet: there is no OCDS release to publish.")}
        return JsonResponse(absent, status=404, json_dumps_params={"ensure_ascii": False})
    response = JsonResponse(release_package(found), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


urlpatterns = [path("ocds/releases.json", releases, name="opendata-ocds-releases")]
