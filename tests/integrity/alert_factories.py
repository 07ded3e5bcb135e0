"""Alerts and inspectors for the pages' tests: an alert as the detection run writes it, with its evidence."""

from __future__ import annotations

import itertools

from django.utils import timezone

from masar.accounts.models import Role
from masar.integrity.models import Alert, AlertSubject
from tests.accounts.factories import make_user

_numbers = itertools.count(1)


def make_inspector(organization, username="inspector"):
    return make_user(username, Role.INSPECTOR, organization)


def make_alert(tender=None, *, rule="R018", subject=AlertSubject.TENDER, contract=None, supplier=None, **extra):
    """Return an alert on a tender (its buyer, project and supplier), with figures and the records behind it."""
    records = []
    if tender is not None:
        records.append({"kind": "tender", "id": tender.pk})
    if contract is not None:
        records.append({"kind": "contract", "id": contract.pk})
    if supplier is not None:
        records.append({"kind": "supplier", "id": supplier.pk})
    data = dict(
        rule=rule,
        subject=subject,
        key=f"{rule}:{subject}:{next(_numbers)}",
        tender=tender,
        contract=contract,
        supplier=supplier,
        buyer=tender.buyer if tender is not None else None,
        buyer_ref=tender.buyer_ref if tender is not None else "",
        project=tender.project if tender is not None else None,
        value=1.0,
        threshold=1.0,
        score=0.5,
        evidence={"figures": {"bidders": 1, "threshold": 1}, "records": records},
        last_seen_at=timezone.now(),
    )
    data.update(extra)
    return Alert.objects.create(**data)
