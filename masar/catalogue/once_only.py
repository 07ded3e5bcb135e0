"""Once-only opportunities of a service: the required documents another administration already holds, and the
data-exchange agreements in place between that administration and the service's owner.

A document held by another administration could be fetched from it instead of asked of the citizen; the
approved sharing agreements between the two lines say whether the exchange already has a legal and technical
footing (`masar.exchange.models.SharingAgreement`). An organization's *line* is the organization, the ones above
it and the ones under it: an agreement granted by a ministry covers the data of its directorates, and a system
of a ministry may serve the services of its directorates.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from masar.catalogue.selectors import service_documents
from masar.exchange.models import AgreementStatus, SharingAgreement

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from masar.catalogue.models import RequiredDocument, Service
    from masar.organizations.models import Organization


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def line_q(organization: Organization, lookup: str) -> Q:
    """Return the condition "the organization at lookup is in organization's line" (itself, above or under it)."""
    return Q(**{f"{lookup}_id__in": _path_ids(organization.path)}) | Q(
        **{f"{lookup}__path__startswith": organization.path}
    )


def in_line(organization: Organization, other: Organization) -> bool:
    """Whether other is in organization's line (the same test as `line_q`, on organizations already read)."""
    return other.path.startswith(organization.path) or organization.path.startswith(other.path)


@dataclass(frozen=True)
class AgreementRow:
    """An approved sharing agreement as the once-only section shows it, with whether it is in force today."""

    agreement: SharingAgreement
    in_force: bool


@dataclass(frozen=True)
class HeldDocument:
    """A required document with who holds it and, when another administration does, the agreements in place."""

    document: RequiredDocument
    once_only: bool
    agreements: list[AgreementRow] = field(default_factory=list)


def exchange_agreements(reader: Any, *, holders: list[Organization], receiver: Organization) -> QuerySet[Any]:
    """Return the approved sharing agreements that open data of holders' lines to systems of receiver's line.

    Only those the reader may know of: the exchange map's rule (`SharingAgreement.objects.concerning`), so a
    civil servant sees the flows of their organization, a coordinator those of their subtree, the national
    unit all of them.
    """
    if not holders:
        return SharingAgreement.objects.none()
    owners = Q(pk__in=[])
    for holder in holders:
        owners |= line_q(holder, "owner")
    return (
        SharingAgreement.objects.concerning(reader)
        .filter(status=AgreementStatus.APPROVED)
        .filter(owners)
        .filter(line_q(receiver, "client__organization"))
        .select_related("owner", "client", "client__organization")
        .order_by("-expires_on", "pk")
    )


def documents_with_holders(reader: Any, service: Service, *, today: datetime.date | None = None) -> list[HeldDocument]:
    """Return a service's required documents in order, each with its holder and, for a once-only opportunity
    (held by another administration), the approved agreements between the holder's line and the owner's. Two
    queries at most."""
    today = today or timezone.localdate()
    documents = service_documents(service)
    holders = {d.held_by_id: d.held_by for d in documents if d.is_once_only_opportunity and d.held_by is not None}
    agreements = list(exchange_agreements(reader, holders=list(holders.values()), receiver=service.owner))
    rows = []
    for document in documents:
        once_only = document.is_once_only_opportunity
        matching = []
        if once_only and document.held_by is not None:
            matching = [
                AgreementRow(agreement=a, in_force=a.in_force_on(today))
                for a in agreements
                if in_line(document.held_by, a.owner)
            ]
        rows.append(HeldDocument(document=document, once_only=once_only, agreements=matching))
    return rows
