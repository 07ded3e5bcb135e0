"""Who publishes Masar's open data: IATI's reporting organisation and OCDS's publisher."""

from __future__ import annotations

from django.conf import settings

from masar.organizations.models import Organization


def publisher() -> Organization | None:
    """Return the organization Masar publishes for: OPENDATA_PUBLISHER_CODE, else the root of the tree.

    Organizations carry no classification (the structure of government is public law), so any may be named.
    """
    code = settings.OPENDATA_PUBLISHER_CODE
    if code:
        found = Organization.objects.filter(code=code).first()
        if found is not None:
            return found
    return Organization.objects.filter(parent__isnull=True).order_by("path").first()
