"""The procurement trail through the API: OCDS 1.1 release packages out (what the caller may read) and in
(an e-procurement system's releases, all or nothing), and the tax administration's compliance reports.

Alerts are never served here: they are read by the inspectorate on their pages only.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from masar.api.paging import DEFAULT_LIMIT, since
from masar.api.problems import ERRORS, problem
from masar.api.references import actor_of, reader_of, require
from masar.api.schemas import Body
from masar.core.models import Classification
from masar.core.records import RecordType
from masar.integrity.imports import CsvInvalid, tax_reports_record
from masar.integrity.models import Tender
from masar.integrity.ocds import OcdsInvalid, release_package, release_package_import
from masar.organizations.models import Organization

router = Router(tags=["procurement"])
PROCUREMENT = RecordType.PROCUREMENT


class ReleasesQuery(Schema):
    updated_since: datetime.datetime | None = Field(None, description="Only the tenders changed since this moment")
    after: int | None = Field(None, description="The cursor given by the previous page's `links.next`")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=500)


@router.get("/procurement/releases/", response={200: dict[str, Any], **ERRORS}, summary="Read procurement as OCDS")
def releases_read(request: HttpRequest, query: Query[ReleasesQuery]) -> Any:
    """Return an OCDS 1.1 release package of the tenders the caller may read (with their bids, awards,
    contracts and payments), oldest first; `links.next` gives the next page. Suppliers' directors and
    owners and integrity alerts are never in it."""
    require(request, PROCUREMENT)
    tenders = since(Tender.objects.visible_to(reader_of(request)), query.updated_since).order_by("pk")
    if query.after is not None:
        tenders = tenders.filter(pk__gt=query.after)
    page = list(tenders.values_list("pk", flat=True)[: query.limit + 1])
    package = release_package(reader_of(request), Tender.objects.filter(pk__in=page[: query.limit]))
    if len(page) > query.limit:
        params = request.GET.copy()
        params["after"] = str(page[query.limit - 1])
        package["links"] = {"next": request.build_absolute_uri(f"{request.path}?{params.urlencode()}")}
    return package


class ImportedOut(Schema):
    created: int
    updated: int
    suppliers_created: int
    bids: int
    awards: int
    contracts: int
    payments: int
    unconverted: int = Field(..., description="Amounts in a currency with no rate at their date: kept, not compared")
    unconverted_currencies: list[str]
    ocids: list[str]


class ImportQuery(Schema):
    owner: str | None = Field(None, description="The code of the owner organization (default: the system's own)")
    classification: Classification = Classification.RESTRICTED


def _invalid(request: HttpRequest, errors: list[tuple[Any, ...]], title: str) -> JsonResponse:
    found = [{"pointer": str(error[0]) if len(error) == 2 else f"{error[0]}.{error[1]}", "detail": str(error[-1])}
             for error in errors]  # fmt: skip
    return problem(request, 422, "invalid-document", title, _("Nothing was imported: correct the places listed."),
                   errors=found)  # fmt: skip


@router.post(
    "/procurement/releases/",
    response={201: ImportedOut, **ERRORS},
    summary="Import OCDS releases",
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}, "required": True}},
)
def releases_import(request: HttpRequest, query: Query[ImportQuery]) -> Any:
    """Import an OCDS 1.1 release package (or record package, or list of releases): all of it or nothing.
    Each error is reported with its JSON path (`/releases/3/bids/details/0/value/amount`). A known ocid
    updates its tender; a system imports only into its own organization, within its clearance."""
    require(request, PROCUREMENT, write=True)
    reader = reader_of(request)
    code = query.owner
    owner = Organization.objects.filter(code=code).first() if code else None
    if owner is None and not code and reader.organization_id is not None:
        owner = Organization.objects.filter(pk=reader.organization_id).first()
    if owner is None:
        return _invalid(request, [("owner", _("No organization has this code."))], _("The request is not valid"))
    try:
        data = json.loads(request.body or b"null")
    except ValueError:
        return _invalid(request, [("", _("The body is not valid JSON."))], _("The request is not valid"))
    try:
        report = release_package_import(
            actor=actor_of(request), data=data, owner=owner, classification=query.classification, source="api"
        )
    except OcdsInvalid as invalid:
        return _invalid(request, invalid.errors, _("The OCDS document is not valid"))
    out = {**vars(report), "unconverted_currencies": sorted(report.unconverted_currencies)}
    return Status(201, out)


class TaxReportIn(Body):
    identifier: str = Field("", max_length=120, description="Masar's identifier of the supplier (or the next field)")
    registration_number: str = Field("", max_length=80)
    status: str = Field(..., max_length=40, description="compliant or non_compliant")
    as_of: datetime.date


class TaxReportsIn(Body):
    reports: list[TaxReportIn] = Field(..., min_length=1, max_length=10_000)


class TaxReportsOut(Schema):
    reports: int
    statuses_changed: int


@router.post("/suppliers/tax-compliance/", response={201: TaxReportsOut, **ERRORS}, summary="Report tax compliance")
def tax_compliance_report(request: HttpRequest, body: TaxReportsIn) -> Any:
    """The tax administration reports suppliers' compliance, all reports or none; each refused report is
    named by its place (`reports.3.status`). The supplier's status follows its latest report."""
    require(request, RecordType.TAX_COMPLIANCE, write=True)
    rows = [(index, report.model_dump()) for index, report in enumerate(body.reports)]
    try:
        outcome = tax_reports_record(actor=actor_of(request), rows=rows, source="api")
    except CsvInvalid as invalid:
        errors = [(f"body.reports.{row}", column, reason) for row, column, reason in invalid.errors]
        return _invalid(request, errors, _("The request is not valid"))
    return Status(201, {"reports": outcome.reports, "statuses_changed": outcome.statuses_changed})
