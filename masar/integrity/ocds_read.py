"""Read the parts of an OCDS release Masar keeps: dates, amounts (converted), names, and the suppliers named.

Shared by the OCDS importer and the CSV importer (which writes its rows as OCDS releases).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from masar.audit.models import Action
from masar.audit.services import audit_record
from masar.integrity.keys import fill_supplier_keys
from masar.integrity.models import Supplier
from masar.integrity.money import to_base

ARABIC = re.compile(r"[\u0600-\u06FF]")


@dataclass
class ImportReport:
    """What one import did: tenders created and updated, records written, amounts left unconverted."""

    created: int = 0
    updated: int = 0
    suppliers_created: int = 0
    bids: int = 0
    awards: int = 0
    contracts: int = 0
    payments: int = 0
    # Amounts in a currency with no rate at their date: kept as stated, not compared by the rules.
    unconverted: int = 0
    unconverted_currencies: set[str] = field(default_factory=set)
    ocids: list[str] = field(default_factory=list)


# --- reading OCDS values


def parse_time(value: Any) -> datetime.datetime | None:
    if not value:
        return None
    return datetime.datetime.fromisoformat(str(value).replace("z", "Z").replace("t", "T"))


def parse_date(value: Any) -> datetime.date | None:
    moment = parse_time(value)
    return moment.date() if moment else None


def amount_of(value: Any) -> tuple[Decimal | None, str]:
    if not isinstance(value, dict):
        return None, ""
    amount = value.get("amount")
    return (None if amount is None else Decimal(str(amount))), value.get("currency") or ""


def ref(value: Any) -> str:
    return "" if value is None else str(value)


def text(value: Any, limit: int) -> str:
    return (value or "")[:limit] if isinstance(value, str) else ""


def is_arabic(name: str) -> bool:
    return bool(ARABIC.search(name or ""))


def converted(report: ImportReport, amount: Decimal | None, currency: str, on: Any) -> Decimal | None:
    """Return amount in the national currency, counting it in the report when no rate converts it."""
    base = to_base(amount, currency, on)
    if amount is not None and base is None:
        report.unconverted += 1
        report.unconverted_currencies.add(currency)
    return base


class Suppliers:
    """The suppliers of one import by OCDS party id: found, updated from the parties, or created."""

    def __init__(self, release: dict[str, Any], owner: Any, classification: str, report: ImportReport):
        self.parties = {ref(p.get("id")): p for p in release.get("parties") or [] if p.get("id") is not None}
        self.owner, self.classification, self.report = owner, classification, report
        self.cache: dict[str, Supplier] = {}

    def get(self, reference: Any) -> Supplier | None:
        if not isinstance(reference, dict) or reference.get("id") is None:
            return None
        identifier = ref(reference["id"])
        if identifier not in self.cache:
            self.cache[identifier] = self._write(identifier, self.parties.get(identifier) or {}, reference)
        return self.cache[identifier]

    def _write(self, identifier: str, party: dict[str, Any], reference: dict[str, Any]) -> Supplier:
        supplier = Supplier.objects.filter(identifier=identifier).first()
        created = supplier is None
        if created:
            supplier = Supplier(
                identifier=identifier, owner=self.owner, classification=self.classification, source="OCDS"
            )
        name = text(party.get("name") or reference.get("name"), 400)
        if name:
            setattr(supplier, "name_ar" if is_arabic(name) else "name_fr", name)
        registration = (party.get("identifier") or {}).get("id")
        if registration is not None:
            supplier.registration_number = ref(registration)[:80]
        elif created:
            supplier.registration_number = identifier[:80]
        address = party.get("address") or {}
        parts = [address.get(k) for k in ("streetAddress", "locality", "region", "postalCode", "countryName")]
        if any(parts):
            supplier.address = ", ".join(str(p) for p in parts if p)[:400]
        contact = party.get("contactPoint") or {}
        supplier.phone = text(contact.get("telephone"), 40) or supplier.phone
        supplier.email = text(contact.get("email"), 200) or supplier.email
        supplier.contact_name = text(contact.get("name"), 200) or supplier.contact_name
        fill_supplier_keys(supplier)
        if not created:
            supplier.version += 1
        supplier.save()
        if created:
            self.report.suppliers_created += 1
            audit_record(actor=None, action=Action.CREATE, instance=supplier, changes={"source": ["", "OCDS"]})
        return supplier

    def tenderers(self) -> list[Supplier]:
        """Return the parties whose role is tenderer (who bid, even where the bids are not given)."""
        return [self.get(p) for i, p in self.parties.items() if "tenderer" in (p.get("roles") or [])]
