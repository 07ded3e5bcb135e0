"""Reads of integrity and early warning: alerts (only through `policy.alerts_q`) and the procurement trail.

Alerts are read by the inspectorate and the national unit alone; every other reader gets an empty list,
never an error that would tell an alert exists. Procurement records are read through `visible_to` like
every record. Lists load what their rows show in a fixed number of queries, whatever their length.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import get_language

from masar.core import policy
from masar.integrity.catalogue import rule_catalogue
from masar.integrity.keys import name_key
from masar.integrity.models import (
    Alert,
    AlertStatus,
    Amendment,
    Award,
    Bid,
    Contract,
    Payment,
    Supplier,
    Tender,
)

# Kinds of record an alert's evidence names, with the page that shows each (None: shown on its parent's page).
EVIDENCE_PAGES = {
    "tender": "integrity:integrity-tender-detail",
    "contract": "integrity:integrity-contract-detail",
    "supplier": "integrity:integrity-supplier-detail",
}


def rule_of(code: str) -> Any | None:
    """Return the rule (or detector) with this code, or None when it is not known."""
    return rule_catalogue().get(code)


def rule_explanation(alert: Alert) -> str:
    """Return the plain-language sentence of an alert's rule on its figures ("" when it cannot say it)."""
    rule = rule_of(alert.rule)
    figures = (alert.evidence or {}).get("figures") or {}
    if rule is None or not hasattr(rule, "explain"):
        return ""
    try:
        return str(rule.explain(figures))
    except (KeyError, TypeError, ValueError):
        # Figures written by an older version of the rule: the numbers are still shown below.
        return ""


# Alerts --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertFilters:
    """What an inspector narrows the queue to; empty values mean "any"."""

    rule: str = ""
    status: str = ""
    subject: str = ""
    supplier: int | None = None
    buyer: int | None = None
    project: int | None = None
    current_only: bool = True
    search: str = ""


def alerts_for(reader: Any) -> QuerySet[Alert]:
    """Return the alerts this reader may read: all for the inspectorate and the national unit, none for others."""
    return Alert.objects.filter(policy.alerts_q(reader))


def alert_list(reader: Any, filters: AlertFilters = AlertFilters()) -> QuerySet[Alert]:  # noqa: B008 - frozen
    """Return the alerts this reader reads, narrowed by filters, highest score first, with what the rows show."""
    alerts = alerts_for(reader)
    exact = {
        "rule": filters.rule,
        "status": filters.status,
        "subject": filters.subject,
        "supplier_id": filters.supplier,
        "buyer_id": filters.buyer,
        "project_id": filters.project,
    }
    alerts = alerts.filter(**{field: value for field, value in exact.items() if value})
    if filters.current_only:
        alerts = alerts.filter(current=True)
    if filters.search:
        term = filters.search
        found = (
            Q(key__icontains=term)
            | Q(tender__ocid__icontains=term)
            | Q(tender__title_ar__icontains=term)
            | Q(tender__title_fr__icontains=term)
            | Q(contract__ref__icontains=term)
            | Q(supplier__identifier__icontains=term)
            | Q(buyer_ref__icontains=term)
        )
        if key := name_key(term):  # a supplier's name as people type it (hamza forms, tatweel, legal forms)
            found |= Q(supplier__name_key__contains=key)
        alerts = alerts.filter(found)
    return alerts.select_related("tender", "contract", "supplier", "buyer", "project").order_by("-score", "-id")


@dataclass(frozen=True)
class Group:
    """How many alerts one supplier, buyer or project has in a list."""

    pk: int
    label: str
    count: int


def _grouped(alerts: QuerySet[Alert], field: str, names: tuple[str, ...], limit: int) -> list[Group]:
    rows = (
        alerts.exclude(**{f"{field}__isnull": True})
        .order_by()
        .values(field, *(f"{field}__{name}" for name in names))
        .annotate(count=Count("id"))
        .order_by("-count", field)[:limit]
    )
    groups = []
    for row in rows:
        label = next((row[f"{field}__{name}"] for name in names if row[f"{field}__{name}"]), str(row[field]))
        groups.append(Group(pk=row[field], label=label, count=row["count"]))
    return groups


def alert_groups(reader: Any, filters: AlertFilters = AlertFilters(), limit: int = 10) -> dict[str, list[Group]]:  # noqa: B008
    """Return the suppliers, buyers and projects with the most alerts in this reader's list (3 queries)."""
    language = (get_language() or "ar")[:2]
    language = language if language in ("ar", "fr", "en") else "ar"
    supplier_names = ("name_ar", "name_fr") if language == "ar" else ("name_fr", "name_ar")
    names = (f"name_{language}", "name_ar", "name_fr", "code")
    alerts = alert_list(reader, filters)
    return {
        "supplier": _grouped(alerts, "supplier", (*supplier_names, "identifier"), limit),
        "buyer": _grouped(alerts, "buyer", names, limit),
        "project": _grouped(alerts, "project", names, limit),
    }


def alert_get(reader: Any, pk: Any) -> Alert:
    """Return one alert this reader reads, or 404 (also for everyone who reads no alert)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    alert = (
        alerts_for(reader)
        .select_related("tender", "contract", "payment", "supplier", "buyer", "project", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if alert is None:
        raise Http404
    return alert


def evidence_records(reader: Any, alert: Alert) -> list[dict[str, Any]]:
    """Return the records an alert's evidence names, each with what to call it and its page if the reader reads it."""
    wanted: dict[str, set[int]] = {}
    for record in (alert.evidence or {}).get("records") or []:
        if isinstance(record, dict) and record.get("kind") and isinstance(record.get("id"), int):
            wanted.setdefault(str(record["kind"]), set()).add(record["id"])
    models: dict[str, Any] = {
        "tender": Tender,
        "contract": Contract,
        "supplier": Supplier,
        "bid": Bid,
        "award": Award,
        "payment": Payment,
        "amendment": Amendment,
    }
    found: dict[tuple[str, Any], Any] = {}
    for kind, ids in wanted.items():
        model = models.get(kind)
        if model is None:
            continue
        queryset = model.objects.visible_to(reader).filter(pk__in=ids)
        if kind in ("bid", "award"):
            queryset = queryset.select_related("tender", "supplier")
        elif kind in ("payment", "amendment"):
            queryset = queryset.select_related("contract")
        for record in queryset:
            found[(kind, record.pk)] = record
    rows = []
    for record in (alert.evidence or {}).get("records") or []:
        if not isinstance(record, dict):
            continue
        kind, pk = str(record.get("kind") or ""), record.get("id")
        obj = found.get((kind, pk))
        model = models.get(kind)
        label = model._meta.verbose_name if model is not None else kind
        rows.append({"kind": kind, "label": label, "id": pk, "object": obj, "page": _page_of(kind, obj)})
    return rows


def _page_of(kind: str, obj: Any) -> tuple[str, int] | None:
    """Return (url name, pk) of the page that shows a record of the evidence, or None."""
    if obj is None:
        return None
    if kind in EVIDENCE_PAGES:
        return EVIDENCE_PAGES[kind], obj.pk
    if kind in ("bid", "award"):
        return EVIDENCE_PAGES["tender"], obj.tender_id
    if kind in ("payment", "amendment"):
        return EVIDENCE_PAGES["contract"], obj.contract_id
    return None


def supplier_alert_history(reader: Any, supplier: Supplier) -> QuerySet[Alert] | None:
    """Return every alert ever raised on a supplier, current or not (None for a reader who reads no alert)."""
    if not policy.may_see_alerts(reader):
        return None
    return alerts_for(reader).filter(supplier=supplier).select_related("tender", "contract").order_by("-first_seen_at")


def record_alerts(reader: Any, **about: Any) -> list[Alert] | None:
    """Return the alerts on one tender, contract or project (None for a reader who reads no alert)."""
    if not policy.may_see_alerts(reader):
        return None
    return list(alerts_for(reader).filter(**about).order_by("-score", "-id"))


def project_alert_summary(reader: Any, project: Any) -> dict[str, Any] | None:
    """Return a project's alerts in counts per status and its highest ones (None for a reader who reads no alert)."""
    if not policy.may_see_alerts(reader):
        return None
    alerts = alerts_for(reader).filter(project=project, current=True)
    counts = {row["status"]: row["count"] for row in alerts.order_by().values("status").annotate(count=Count("id"))}
    by_status = [(status, counts.get(status.value, 0)) for status in AlertStatus if counts.get(status.value)]
    return {
        "total": sum(counts.values()),
        "by_status": by_status,
        "top": list(alerts.order_by("-score", "-id")[:5]),
    }


# The procurement trail -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TenderFilters:
    buyer: int | None = None
    project: int | None = None
    method: str = ""
    search: str = ""


def tender_list(reader: Any, filters: TenderFilters = TenderFilters()) -> QuerySet[Tender]:  # noqa: B008
    """Return the tenders this reader reads, narrowed by filters, latest first, with their counts of bids."""
    tenders = Tender.objects.visible_to(reader)
    if filters.buyer:
        tenders = tenders.filter(buyer_id=filters.buyer)
    if filters.project:
        tenders = tenders.filter(project_id=filters.project)
    if filters.method:
        tenders = tenders.filter(method=filters.method)
    if filters.search:
        term = filters.search
        tenders = tenders.filter(
            Q(ocid__icontains=term)
            | Q(title_ar__icontains=term)
            | Q(title_fr__icontains=term)
            | Q(title_en__icontains=term)
        )
    return (
        tenders.select_related("buyer", "project")
        .annotate(bid_count=Count("bids", distinct=True))
        .order_by("-published_at", "ocid")
    )


def tender_get(reader: Any, pk: Any) -> dict[str, Any]:
    """Return a tender this reader reads with its bids, awards and contracts (and its alerts for those who may)."""
    tender = policy.get_for_reader(Tender.objects.select_related("buyer", "project"), reader, pk)
    return {
        "tender": tender,
        "bids": list(Bid.objects.visible_to(reader).filter(tender=tender).select_related("supplier", "lot")),
        "awards": list(Award.objects.visible_to(reader).filter(tender=tender).select_related("supplier", "lot")),
        "contracts": list(Contract.objects.visible_to(reader).filter(tender=tender).select_related("supplier")),
        "alerts": record_alerts(reader, tender=tender),
    }


def contract_get(reader: Any, pk: Any) -> dict[str, Any]:
    """Return a contract this reader reads with its amendments and payments (and its alerts for those who may)."""
    contract = policy.get_for_reader(
        Contract.objects.select_related("tender", "tender__buyer", "supplier", "award"), reader, pk
    )
    payments = list(Payment.objects.visible_to(reader).filter(contract=contract))
    return {
        "contract": contract,
        "amendments": list(Amendment.objects.visible_to(reader).filter(contract=contract)),
        "payments": payments,
        "reported": payments_reported(reader, payments),
        "alerts": record_alerts(reader, contract=contract),
    }


def payments_reported(reader: Any, payments: list[Payment]) -> dict[int, Any]:
    """Return, by payment id, the project's progress update its month's spend was reported in (if readable)."""
    from masar.delivery.models import ProgressUpdate

    ids = {payment.progress_update_id for payment in payments if payment.progress_update_id}
    visible = ProgressUpdate.objects.visible_to(reader).select_related("project").filter(pk__in=ids)
    updates = {u.pk: u for u in visible} if ids else {}
    return {p.pk: updates[p.progress_update_id] for p in payments if p.progress_update_id in updates}


def supplier_get(reader: Any, pk: Any) -> dict[str, Any]:
    """Return a supplier this reader reads with its tax compliance, bids and contracts (and its alert history).

    Directors and beneficial owners are personal data: they are given only to those who read alerts.
    """
    supplier = policy.get_for_reader(Supplier.objects.prefetch_related("tax_reports"), reader, pk)
    sees_alerts = policy.may_see_alerts(reader)
    return {
        "supplier": supplier,
        "people": {"directors": supplier.directors, "owners": supplier.beneficial_owners} if sees_alerts else None,
        "tax_reports": list(supplier.tax_reports.all()),
        "bids": list(
            Bid.objects.visible_to(reader).filter(supplier=supplier).select_related("tender").order_by("-received_at")
        ),
        "contracts": list(
            Contract.objects.visible_to(reader)
            .filter(supplier=supplier)
            .select_related("tender")
            .order_by("-signed_on")
        ),
        "alerts": supplier_alert_history(reader, supplier),
    }


def supplier_list(reader: Any, search: str = "") -> QuerySet[Supplier]:
    """Return the suppliers this reader reads, with their counts of bids and contracts.

    The search finds a name as people type it (hamza forms, tatweel, ta marbuta, accents, legal forms
    dropped: `masar.integrity.keys.name_key`), or an identifier or registration number.
    """
    suppliers = Supplier.objects.visible_to(reader)
    if search:
        found = Q(identifier__icontains=search) | Q(registration_number__icontains=search)
        if key := name_key(search):
            found |= Q(name_key__contains=key)
        suppliers = suppliers.filter(found)
    bids = Bid.objects.filter(supplier=OuterRef("pk")).order_by().values("supplier").annotate(n=Count("pk")).values("n")
    contracts = (
        Contract.objects.filter(supplier=OuterRef("pk"))
        .order_by()
        .values("supplier")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return suppliers.annotate(
        bid_count=Coalesce(Subquery(bids), 0), contract_count=Coalesce(Subquery(contracts), 0)
    ).order_by("identifier")


def run_list(limit: int = 20) -> list[Any]:
    """Return the latest detection runs, newest first, with their counts per rule sorted by code."""
    from masar.integrity.models import DetectionRun

    runs = list(DetectionRun.objects.order_by("-started_at", "-id")[:limit])
    for run in runs:
        run.rule_counts = sorted((run.counts or {}).items())  # type: ignore[attr-defined]
    return runs


def rule_setting_list() -> list[dict[str, Any]]:
    """Return every rule and detector with whether it is on, its parameters in force and those set off default."""
    from masar.integrity.rules import rule_settings

    settings = rule_settings()
    rows = []
    for code, rule in sorted(rule_catalogue().items()):
        setting = settings.get(code)
        params = rule.params(setting.params if setting is not None else None)
        rows.append(
            {
                "code": code,
                "rule": rule,
                "enabled": setting.enabled if setting is not None else True,
                "params": sorted(params.items()),
                "changed": {name for name, value in params.items() if rule.defaults.get(name) != value},
                "setting": setting,
            }
        )
    return rows
