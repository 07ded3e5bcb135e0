"""API clients, agreements and exchange-log entries for tests, written through the services like real ones."""

import datetime

from django.utils import timezone

from masar.core.models import Classification
from masar.exchange.models import AgreementAction, RecordType
from masar.exchange.services import agreement_decide, agreement_request, client_register, exchange_log_append


def make_client(organization, *, scopes=("projects:read",), clearance=Classification.PUBLIC, name_ar=None, actor=None):
    """Register a system of organization (by the system itself when no actor is given)."""
    return client_register(
        actor=actor,
        organization=organization,
        name_ar=name_ar or f"نظام {organization.code}",
        name_en=f"System {organization.code}",
        scopes=list(scopes),
        clearance=clearance,
    )


def make_agreement(
    client,
    owner,
    *,
    record_type=RecordType.PROJECTS,
    max_classification=Classification.PUBLIC,
    expires_in_days=90,
    decide=None,
    decided_by=None,
    actor=None,
    purpose="متابعة المشاريع المشتركة",
):
    """Ask owner for a dataset on behalf of client; with decide (an action) and decided_by, answer it too."""
    agreement = agreement_request(
        actor=actor,
        client=client,
        owner=owner,
        record_type=record_type,
        max_classification=max_classification,
        purpose=purpose,
        legal_basis="قرار المجلس الوزاري",
        expires_on=timezone.localdate() + datetime.timedelta(days=expires_in_days),
    )
    if decide is not None:
        agreement = agreement_decide(
            agreement=agreement,
            actor=decided_by,
            action=decide,
            note="" if decide != AgreementAction.REFUSE else "لا أساس قانوني",
        )
    return agreement


def log_call(token, *, path="/api/v1/projects/", owners=(), agreements=(), records=1, status=200, method="GET"):
    """Append one API call made with token to the exchange log."""
    return exchange_log_append(
        token=token,
        method=method,
        path=path,
        status=status,
        records=records,
        owner_ids=[o.pk for o in owners],
        agreement_ids=[a.pk for a in agreements],
    )
