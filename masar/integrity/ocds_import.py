"""Import OCDS 1.1 releases into the procurement trail: all of a document or nothing.

A document is a release package (`releases`), a record package (each record's `compiledRelease`),
or a list of releases (JSON Lines read by `releases_from_jsonl`). Everything is checked first
(`masar.integrity.ocds_validate`); one error refuses the whole document with `OcdsInvalid`, which
carries every error with its JSON path, and nothing is written.

An ocid already in Masar is an update of that tender: its lots, bids, awards and items are replaced
by the release's, its contracts and payments updated by their ids (alerts point at them) and the
ones the release no longer gives removed. An update keeps the tender's owner and classification.

What is read (beyond OCDS 1.1 core): the bids extension (`bids.details`), and on a contract's
amendments Masar's own `valueBefore`, `valueAfter`, `endDateBefore`, `endDateAfter` (the value and
end date a change moved from and to) when given. A framework agreement is read from
`procurementMethodDetails` naming one or `tender.techniques.hasFrameworkAgreement`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masar.audit.models import Action
from masar.audit.services import audit_record
from masar.core import policy
from masar.core.errors import DomainError, NotPermitted
from masar.core.models import Classification
from masar.integrity.models import (
    Amendment,
    Award,
    Bid,
    Contract,
    ContractStatus,
    Item,
    Lot,
    Payment,
    ProcurementMethod,
    Tender,
)
from masar.integrity.ocds_read import (
    ImportReport,
    Suppliers,
    amount_of,
    converted,
    is_arabic,
    parse_date,
    parse_time,
    ref,
    text,
)
from masar.integrity.ocds_validate import Errors, pointer, validate

__all__ = ["ImportReport", "OcdsInvalid", "release_package_import", "releases_from_jsonl", "write_release"]
METHODS = {m.value for m in ProcurementMethod} - {ProcurementMethod.FRAMEWORK}


class OcdsInvalid(DomainError):
    """The document breaks Masar's profile of OCDS (or the official schema): nothing was imported."""

    default_message = gettext_lazy("The OCDS file is not valid: nothing was imported.")

    def __init__(self, errors: Errors):
        self.errors = list(errors)
        super().__init__()


def releases_from_jsonl(text: str) -> list[dict[str, Any]]:
    """Return the releases of a JSON Lines text (one release a line); raise OcdsInvalid naming bad lines."""
    releases, errors = [], []
    for number, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        try:
            releases.append(json.loads(line))
        except json.JSONDecodeError:
            errors.append((f"/{len(releases)}", _("Line %(line)s is not JSON.") % {"line": number + 1}))
            releases.append(None)
    if errors:
        raise OcdsInvalid(errors)
    return releases


def locate(data: Any) -> tuple[list[tuple[list[Any], Any]], Errors]:
    """Return the releases of a document with their path prefixes, or the error saying it holds none."""
    if isinstance(data, list):
        return [([index], release) for index, release in enumerate(data)], []
    if isinstance(data, dict) and isinstance(data.get("releases"), list):
        return [(["releases", i], release) for i, release in enumerate(data["releases"])], []
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        located = []
        for index, record in enumerate(data["records"]):
            compiled = record.get("compiledRelease") if isinstance(record, dict) else None
            if compiled is None:
                return [], [(pointer(["records", index, "compiledRelease"]), _("This field is required."))]
            located.append((["records", index, "compiledRelease"], compiled))
        return located, []
    return [], [("", _("An OCDS document is a release package, a record package or a list of releases."))]


@transaction.atomic
def release_package_import(
    *, actor: Any, data: Any, owner: Any, classification: str = Classification.RESTRICTED, source: str = ""
) -> ImportReport:
    """Import every release of an OCDS document, or none: raise OcdsInvalid with every error found.

    actor is the national unit's user (or None: the command line, run by the platform's operator).
    """
    if actor is not None and not policy.may_import_procurement(actor, owner, classification):
        raise NotPermitted
    located, errors = locate(data)
    errors = errors or validate(data, located) or _foreign_ocids(actor, located)
    if errors:
        raise OcdsInvalid(errors)
    report = ImportReport()
    user = actor if getattr(actor, "pk", None) else None
    for _prefix, release in located:
        write_release(release, actor=user, owner=owner, classification=classification, report=report, source=source)
    from masar.integrity.services import payments_link

    payments_link(tender_ids=list(Tender.objects.filter(ocid__in=report.ocids).values_list("pk", flat=True)))
    return report


def _foreign_ocids(actor: Any, located: list[tuple[list[Any], Any]]) -> Errors:
    """Return an error for each release updating a tender the actor may not change (another owner's)."""
    if actor is None:
        return []
    ocids = {release.get("ocid"): prefix for prefix, release in located if isinstance(release, dict)}
    known = set(Tender.objects.filter(ocid__in=list(ocids)).values_list("ocid", flat=True))
    if not known:
        return []
    writable = set(Tender.objects.writable_by(actor).filter(ocid__in=known).values_list("ocid", flat=True))
    message = _("This contracting process belongs to another organization: you may not change it.")
    return [(pointer([*ocids[ocid], "ocid"]), message) for ocid in sorted(known - writable)]


# --- writing


def tender_fields(release: dict[str, Any], report: ImportReport) -> dict[str, Any]:
    from masar.organizations.models import Organization
    from masar.portfolio.models import Project

    tender = release.get("tender") or {}
    title = text(tender.get("title"), 400)
    details = text(tender.get("procurementMethodDetails"), 200)
    framework = "framework" in details.casefold() or (tender.get("techniques") or {}).get("hasFrameworkAgreement")
    method = tender.get("procurementMethod") or ""
    amount, currency = amount_of(tender.get("value"))
    period = tender.get("tenderPeriod") or {}
    published = parse_time(period.get("startDate"))
    buyer_ref = ref((release.get("buyer") or {}).get("id"))[:120]
    project_code = ((release.get("planning") or {}).get("budget") or {}).get("projectID")
    return {
        "title_ar": title if is_arabic(title) else "",
        "title_fr": "" if is_arabic(title) else title,
        "buyer_ref": buyer_ref,
        "buyer": Organization.objects.filter(code=buyer_ref).first() if buyer_ref else None,
        "project": Project.objects.filter(code=ref(project_code)).first() if project_code is not None else None,
        "method": ProcurementMethod.FRAMEWORK if framework else (method if method in METHODS else ""),
        "method_details": details,
        "main_category": tender.get("mainProcurementCategory") or "",
        "published_at": published,
        "deadline": parse_time(period.get("endDate")),
        "estimated_value": amount,
        "currency": currency,
        "estimated_value_base": converted(report, amount, currency, published),
        "number_of_tenderers": tender.get("numberOfTenderers"),
    }


def write_release(
    release: dict[str, Any], *, actor: Any, owner: Any, classification: str, report: ImportReport, source: str
) -> Tender:
    """Create or update the tender of one release with all its records."""
    fields = tender_fields(release, report)
    tender = Tender.objects.filter(ocid=release["ocid"]).first()
    if tender is None:
        tender = Tender(ocid=release["ocid"], owner=owner, classification=classification, source=source or "OCDS")
        action = Action.CREATE
        report.created += 1
    else:
        tender.version += 1
        action = Action.UPDATE
        report.updated += 1
        tender.lots.all().delete()
        tender.items.all().delete()
        tender.awards.all().delete()
        tender.bids.all().delete()
    for name, value in fields.items():
        setattr(tender, name, value)
    tender.save()
    report.ocids.append(tender.ocid)
    suppliers = Suppliers(release, owner, classification, report)
    lots = write_lots(tender, release)
    write_items(tender, None, (release.get("tender") or {}).get("items") or [], report, tender.published_at)
    write_bids(tender, release, suppliers, lots, report)
    awards = write_awards(tender, release, suppliers, lots, report)
    write_contracts(tender, release, awards, report)
    audit_record(
        actor=actor, action=action, instance=tender, changes={"source": ["", "OCDS"], "ocid": ["", tender.ocid]}
    )
    return tender


def write_lots(tender: Tender, release: dict[str, Any]) -> dict[str, Lot]:
    lots = {}
    for lot in (release.get("tender") or {}).get("lots") or []:
        amount, currency = amount_of(lot.get("value"))
        lots[ref(lot["id"])] = Lot.objects.create(
            tender=tender,
            ref=ref(lot["id"]),
            title=text(lot.get("title"), 400),
            estimated_value=amount,
            currency=currency,
        )
    return lots


def lot_of(record: dict[str, Any], lots: dict[str, Lot]) -> Lot | None:
    related = record.get("relatedLots") or []
    return lots.get(ref(related[0])) if related else None


def write_items(tender: Tender, award: Award | None, items: list, report: ImportReport, on: Any) -> None:
    rows = []
    for item in items:
        classification = item.get("classification") or {}
        unit = item.get("unit") or {}
        price, currency = amount_of(unit.get("value"))
        rows.append(
            Item(
                tender=tender,
                award=award,
                scheme=text(classification.get("scheme"), 20),
                code=ref(classification.get("id"))[:40],
                description=text(item.get("description"), 400),
                quantity=None if item.get("quantity") is None else Decimal(str(item["quantity"])),
                unit=text(unit.get("name"), 40),
                unit_price=price,
                currency=currency,
                unit_price_base=converted(report, price, currency, on),
            )
        )
    Item.objects.bulk_create(rows)


def write_bids(
    tender: Tender, release: dict[str, Any], suppliers: Suppliers, lots: dict[str, Lot], report: ImportReport
) -> None:
    rows: list[Bid] = []
    bidders: set[int] = set()
    for bid in (release.get("bids") or {}).get("details") or []:
        tenderers = bid.get("tenderers") or []
        supplier = suppliers.get(tenderers[0]) if tenderers else None
        amount, currency = amount_of(bid.get("value"))
        received = parse_time(bid.get("date"))
        bidders.update(s.pk for s in (suppliers.get(t) for t in tenderers) if s is not None)
        rows.append(
            Bid(
                tender=tender,
                ref=ref(bid.get("id"))[:120],
                lot=lot_of(bid, lots),
                supplier=supplier,
                tenderers_count=max(1, len(tenderers)),
                amount=amount,
                currency=currency,
                amount_base=converted(report, amount, currency, received or tender.published_at),
                received_at=received,
                status=bid.get("status") or "",
            )
        )
    # A party named as tenderer whose bid is not given: a bid with nothing known but who made it.
    for supplier in suppliers.tenderers():
        if supplier is not None and supplier.pk not in bidders:
            bidders.add(supplier.pk)
            rows.append(Bid(tender=tender, supplier=supplier))
    Bid.objects.bulk_create(rows)
    report.bids += len(rows)


def write_awards(
    tender: Tender, release: dict[str, Any], suppliers: Suppliers, lots: dict[str, Lot], report: ImportReport
) -> dict[str, Award]:
    awards = {}
    for data in release.get("awards") or []:
        named = data.get("suppliers") or []
        amount, currency = amount_of(data.get("value"))
        date = parse_time(data.get("date"))
        award = Award.objects.create(
            tender=tender,
            ref=ref(data.get("id"))[:120],
            lot=lot_of(data, lots),
            supplier=suppliers.get(named[0]) if named else None,
            suppliers_count=len(named),
            status=data.get("status") or "",
            date=date,
            amount=amount,
            currency=currency,
            amount_base=converted(report, amount, currency, date or tender.published_at),
        )
        for other in named[1:]:
            suppliers.get(other)
        write_items(tender, award, data.get("items") or [], report, date or tender.published_at)
        if award.ref:
            awards[award.ref] = award
        report.awards += 1
    return awards


def write_contracts(tender: Tender, release: dict[str, Any], awards: dict[str, Award], report: ImportReport) -> None:
    given = release.get("contracts") or []
    tender.contracts.exclude(ref__in=[ref(c["id"]) for c in given]).delete()
    for data in given:
        award = awards.get(ref(data.get("awardID")))
        amount, currency = amount_of(data.get("value"))
        signed = parse_date(data.get("dateSigned"))
        end = parse_date((data.get("period") or {}).get("endDate"))
        amendments = data.get("amendments") or []
        first = amendments[0] if amendments else {}
        original, _currency = amount_of(first.get("valueBefore"))
        original = original if original is not None else amount
        contract, created = Contract.objects.get_or_create(tender=tender, ref=ref(data["id"])[:120])
        contract.version += 0 if created else 1
        contract.award = award
        contract.supplier = award.supplier if award else None
        contract.title = text(data.get("title"), 400)
        contract.status = data.get("status") or ContractStatus.ACTIVE
        contract.signed_on, contract.end_on = signed, end
        contract.value, contract.currency = amount, currency
        contract.value_base = converted(report, amount, currency, signed)
        contract.original_value = original
        contract.original_value_base = converted(report, original, currency, signed)
        contract.original_end_on = parse_date(first.get("endDateBefore")) or end
        contract.save()
        write_amendments(contract, amendments)
        write_payments(contract, (data.get("implementation") or {}).get("transactions") or [], report)
        report.contracts += 1


def write_amendments(contract: Contract, amendments: list) -> None:
    contract.amendments.all().delete()
    rows = []
    for data in amendments:
        rows.append(
            Amendment(
                contract=contract,
                ref=ref(data.get("id"))[:120],
                date=parse_date(data.get("date")),
                rationale=text(data.get("rationale"), 10000),
                value_before=amount_of(data.get("valueBefore"))[0],
                value_after=amount_of(data.get("valueAfter"))[0],
                end_before=parse_date(data.get("endDateBefore")),
                end_after=parse_date(data.get("endDateAfter")),
            )
        )
    Amendment.objects.bulk_create(rows)


def write_payments(contract: Contract, transactions: list, report: ImportReport) -> None:
    refs = [ref(t.get("id")) for t in transactions if t.get("id") is not None]
    contract.payments.exclude(ref__in=refs).delete()
    for data in transactions:
        amount, currency = amount_of(data.get("value") or data.get("amount"))
        date = parse_date(data.get("date"))
        fields = {
            "date": date,
            "amount": amount,
            "currency": currency,
            "amount_base": converted(report, amount, currency, date),
        }
        if data.get("id") is not None:
            Payment.objects.update_or_create(contract=contract, ref=ref(data["id"])[:120], defaults=fields)
        else:
            Payment.objects.create(contract=contract, **fields)
        report.payments += 1
