"""Callers of the API for tests: a person's token, an administration's system, a sharing agreement."""

import datetime

from django.test import Client
from django.utils import timezone

from masar.core.models import Classification
from masar.exchange.models import AgreementStatus, SharingAgreement
from masar.exchange.services import client_register, token_issue


def bearer(user):
    """Return an HTTP client calling the API with a new token of user (a person or a system's account)."""
    secret = token_issue(user=user, name="tests", actor=None).secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def make_system(organization, scopes, *, clearance=Classification.CONFIDENTIAL, name="نظام"):
    """Register another administration's system for organization with these scopes."""
    return client_register(
        actor=None, organization=organization, name_ar=name, name_en="System", scopes=scopes, clearance=clearance
    )


def system_bearer(system):
    """Return an HTTP client calling the API with a new token of system."""
    secret = token_issue(user=system.account, name="tests", actor=None, client=system).secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def agree(system, owner, record_type, *, level=Classification.CONFIDENTIAL, days=30):
    """Record a sharing agreement owner approved for system, in force for days more."""
    return SharingAgreement.objects.create(
        client=system,
        owner=owner,
        record_type=record_type,
        max_classification=level,
        purpose="متابعة",
        legal_basis="قرار",
        expires_on=timezone.localdate() + datetime.timedelta(days=days),
        status=AgreementStatus.APPROVED,
    )


def ids(response):
    """Return the ids of a list answer's results (asserting it answered 200)."""
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def if_match(record):
    """Return the header naming the version of record, as its ETag does."""
    return {"HTTP_IF_MATCH": f'"{record.version}"'}
