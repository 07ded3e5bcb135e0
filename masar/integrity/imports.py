"""CSV imports of the procurement trail, for the systems that cannot speak OCDS: all of a file or nothing.

Both files are CSV in UTF-8 (comma, semicolon or tab), read by the same safe table reader and cell
readers as Masar's other imports (`masar.imports`): dates as YYYY-MM-DD, numbers as the importer's
language writes them, Eastern Arabic digits too. Any refused cell refuses the file: `CsvInvalid`
carries every error as (row, column, reason in the reader's language), rows numbered as a
spreadsheet shows them (the header is row 1), and nothing is written.

**Tax-compliance reports** (`tax_reports_import`), sent by the tax administration, one row a report:

    identifier | registration_number | status | as_of

A row names its supplier by Masar's `identifier` or by its `registration_number` (one of them).
`status` is compliant or non_compliant, also written in French (conforme, en règle / non conforme,
pas en règle) or Arabic (ملتزم، مطابق / غير ملتزم، غير مطابق). Each row is kept as a TaxStatusReport;
the supplier's current status follows the latest report (an older report changes the history only).

**Procurement** (`procurement_csv_import`): one file, one row per bid, the tender's columns repeated
on each of its rows (and equal on all of them):

    ocid | title | buyer | method | published_at | deadline | estimated_value | currency |
    bid_id | supplier_identifier | supplier_name | bid_amount | bid_date | bid_status |
    awarded | award_date | award_amount | contract_id | contract_signed_on | contract_value | contract_end_on

Only `ocid` is required. `currency` (ISO 4217) applies to every amount of the row. A row whose
`awarded` is yes makes its supplier the tender's winner (an award, and a contract when `contract_id`
is given). A tender without bids is one row with the bid columns empty. Rows become OCDS releases
written by the OCDS importer (`masar.integrity.ocds_import`): the same mapping, currency conversion
and update of a known ocid.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masar.arabic import fold
from masar.audit.models import Action
from masar.audit.services import audit_record
from masar.core import policy
from masar.core.errors import DomainError, NotPermitted
from masar.core.models import Classification
from masar.imports.columns import Column
from masar.imports.models import ImportFormat
from masar.imports.parsers import FileRefused, open_source
from masar.imports.reasons import problem, problem_text
from masar.imports.values import read_row
from masar.integrity.models import BidStatus, ProcurementMethod, Supplier, TaxStatus, TaxStatusReport
from masar.integrity.ocds_import import ImportReport, write_release

CURRENCY = re.compile(r"^[A-Z]{3}$")

Errors = list[tuple[int, str, str]]


class CsvInvalid(DomainError):
    """The CSV file has refused rows: nothing was imported; errors are (row, column, reason)."""

    default_message = gettext_lazy("The file has errors: nothing was imported.")

    def __init__(self, errors: Errors):
        self.errors = sorted(errors, key=lambda error: (error[0], error[1]))
        super().__init__()


def _plain(text: str) -> str:
    """Return a status word folded: Arabic as typed, accents, case, spaces and hyphens."""
    decomposed = unicodedata.normalize("NFKD", fold(text).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.split(r"[\s_\-]+", bare.strip()))


TAX_WORDS = {
    _plain(word): status
    for status, words in {
        TaxStatus.COMPLIANT: ("compliant", "conforme", "en règle", "à jour", "ملتزم", "مطابق", "سليم"),
        TaxStatus.NON_COMPLIANT: (
            "non_compliant",
            "not compliant",
            "non conforme",
            "pas en règle",
            "non en règle",
            "غير ملتزم",
            "غير مطابق",
            "غير سليم",
        ),
    }.items()
    for word in words
}

TAX_COLUMNS = {
    "identifier": Column("identifier", max_length=120),
    "registration_number": Column("registration_number", max_length=80),
    "status": Column("status", required=True, max_length=40),
    "as_of": Column("as_of", "date", required=True),
}


@dataclass
class TaxImportReport:
    reports: int = 0
    statuses_changed: int = 0


def _rows(content: bytes, columns: dict[str, Column]) -> tuple[list[tuple[int, dict[str, Any]]], Errors]:
    """Return the typed rows of a CSV file and the errors of its header and cells."""
    try:
        source = open_source(content, ImportFormat.CSV)
        header = source.header
        errors: Errors = []
        seen = set()
        for name in header:
            if name in seen:
                errors.append((1, name, problem_text(problem(1, name, "duplicate_column", column=name))))
            elif name and name not in columns:
                errors.append((1, name, problem_text(problem(1, name, "unknown_column", column=name))))
            seen.add(name)
        for name, column in columns.items():
            if column.required and name not in header:
                errors.append((1, name, problem_text(problem(1, name, "missing_column", column=name))))
        if errors:
            return [], errors
        rows = []
        for number, cells in source.rows:
            values, problems = read_row(columns, header, number, cells)
            errors += [(p["row"], p["column"], problem_text(p)) for p in problems]
            rows.append((number, values))
    except FileRefused as refused:
        return [], [(p["row"], p["column"], problem_text(p)) for p in refused.problems]
    if not rows and not errors:
        errors.append((2, "", problem_text(problem(2, "", "empty"))))
    return rows, errors


def _may_import(actor: Any) -> None:
    # None: the command line, run by the platform's operator.
    if actor is not None and not policy.may_import_procurement(actor):
        raise NotPermitted


@transaction.atomic
def tax_reports_import(*, actor: Any, content: bytes, source: str = "") -> TaxImportReport:
    """Import the tax administration's compliance reports of a CSV file, all or none (raise CsvInvalid)."""
    _may_report_tax(actor)
    rows, errors = _rows(content, TAX_COLUMNS)
    if errors and not rows:
        raise CsvInvalid(errors)
    return tax_reports_record(actor=actor, rows=rows, source=source, errors=errors)


def _may_report_tax(actor: Any) -> None:
    if actor is not None and not policy.may_report_tax_compliance(actor):
        raise NotPermitted


@transaction.atomic
def tax_reports_record(
    *, actor: Any, rows: list[tuple[int, dict[str, Any]]], source: str = "", errors: Errors | None = None
) -> TaxImportReport:
    """Record compliance reports, all or none (raise CsvInvalid naming each refused row and field).

    rows are (number, {"identifier", "registration_number", "status", "as_of": date}): a CSV file's
    rows, or the reports another administration's system sends through the API (numbered from 0);
    errors are those already found in reading them (cells that are not dates), reported together.
    """
    _may_report_tax(actor)
    errors = list(errors or [])
    refused_cells = {(number, column) for number, column, _reason in errors}
    found = []
    for number, values in rows:
        status = TAX_WORDS.get(_plain(values["status"] or "")) if values["status"] else None
        if values["status"] and status is None:
            choices = "compliant, non_compliant"
            message = _("“%(value)s” is not one of: %(choices)s.") % {"value": values["status"], "choices": choices}
            errors.append((number, "status", message))
        supplier = None
        if values["identifier"]:
            supplier = Supplier.objects.filter(identifier=values["identifier"]).first()
        elif values["registration_number"]:
            supplier = Supplier.objects.filter(registration_number=values["registration_number"]).first()
        else:
            errors.append((number, "identifier", _("Give the supplier's identifier or registration number.")))
            continue
        if supplier is None:
            column = "identifier" if values["identifier"] else "registration_number"
            given = values["identifier"] or values["registration_number"]
            errors.append((number, column, _("No supplier has the identifier “%(value)s”.") % {"value": given}))
            continue
        if values.get("as_of") is None:
            if (number, "as_of") not in refused_cells:
                errors.append((number, "as_of", _("This field is required.")))
            continue
        if status is None:
            continue
        found.append((supplier, status, values["as_of"]))
    if errors:
        raise CsvInvalid(sorted(errors, key=lambda error: error[0]))
    report = TaxImportReport()
    user = actor if getattr(actor, "pk", None) else None
    for supplier, status, as_of in found:
        TaxStatusReport.objects.create(supplier=supplier, status=status, as_of=as_of, source=source[:200])
        report.reports += 1
        supplier.refresh_from_db()
        if supplier.tax_status_on is None or as_of >= supplier.tax_status_on:
            before = [supplier.tax_status, str(supplier.tax_status_on or "")]
            supplier.tax_status, supplier.tax_status_on = status, as_of
            supplier.version += 1
            supplier.save(update_fields=["tax_status", "tax_status_on", "version", "updated_at"])
            changes = {"tax_status": [before[0], status], "tax_status_on": [before[1], str(as_of)]}
            audit_record(actor=user, action=Action.UPDATE, instance=supplier, changes=changes)
            report.statuses_changed += 1
    return report


def _choices(enum: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in enum.values)


PROCUREMENT_COLUMNS = {
    column.name: column
    for column in (
        Column("ocid", required=True, max_length=200),
        Column("title", max_length=400),
        Column("buyer", max_length=120),
        Column("method", "choice", choices=_choices(ProcurementMethod)),
        Column("published_at", "date"),
        Column("deadline", "date"),
        Column("estimated_value", "number"),
        Column("currency", max_length=3),
        Column("bid_id", max_length=120),
        Column("supplier_identifier", max_length=120),
        Column("supplier_name", max_length=400),
        Column("bid_amount", "number"),
        Column("bid_date", "date"),
        Column("bid_status", "choice", choices=_choices(BidStatus)),
        Column("awarded", "bool"),
        Column("award_date", "date"),
        Column("award_amount", "number"),
        Column("contract_id", max_length=120),
        Column("contract_signed_on", "date"),
        Column("contract_value", "number"),
        Column("contract_end_on", "date"),
    )
}
TENDER_COLUMNS = ("title", "buyer", "method", "published_at", "deadline", "estimated_value", "currency")
AMOUNTS = ("estimated_value", "bid_amount", "award_amount", "contract_value")


def _moment(day: datetime.date | None) -> str | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time())).isoformat()


def _value(amount: Any, currency: str) -> dict[str, Any] | None:
    if amount is None:
        return None
    return {"amount": float(amount), "currency": currency} if currency else {"amount": float(amount)}


def _row_errors(number: int, values: dict[str, Any]) -> Errors:
    errors: Errors = []
    if values["currency"] and not CURRENCY.match(values["currency"]):
        message = _("“%(value)s” is not a currency code: give the three capital letters of ISO 4217, e.g. TND.")
        errors.append((number, "currency", message % {"value": values["currency"]}))
    for name in AMOUNTS:
        if values[name] is not None and values[name] < 0:
            errors.append((number, name, _("%(value)s is below %(limit)s.") % {"value": values[name], "limit": 0}))
    if values["awarded"] and not values["supplier_identifier"]:
        errors.append((number, "supplier_identifier", _("An awarded row names its supplier.")))
    return errors


def _tender_release(values: dict[str, Any]) -> dict[str, Any]:
    currency = values["currency"] or ""
    method = values["method"]
    framework = method == ProcurementMethod.FRAMEWORK
    tender = {
        "title": values["title"] or None,
        "procurementMethod": None if framework or not method else method,
        "techniques": {"hasFrameworkAgreement": True} if framework else {},
        "value": _value(values["estimated_value"], currency),
        "tenderPeriod": {"startDate": _moment(values["published_at"]), "endDate": _moment(values["deadline"])},
    }
    release: dict[str, Any] = {"ocid": values["ocid"], "tender": tender, "parties": [], "awards": [], "contracts": []}
    release["bids"] = {"details": []}
    if values["buyer"]:
        release["buyer"] = {"id": values["buyer"]}
    return release


def _add_bid(release: dict[str, Any], values: dict[str, Any]) -> None:
    currency = values["currency"] or ""
    identifier = values["supplier_identifier"]
    if identifier:
        release["parties"].append({"id": identifier, "name": values["supplier_name"] or None, "roles": ["tenderer"]})
    if identifier or values["bid_id"] or values["bid_amount"] is not None:
        release["bids"]["details"].append(
            {
                "id": values["bid_id"] or None,
                "status": values["bid_status"] or None,
                "date": _moment(values["bid_date"]),
                "value": _value(values["bid_amount"], currency),
                "tenderers": [{"id": identifier}] if identifier else [],
            }
        )
    if values["awarded"]:
        award_id = f"{values['ocid']}-award-{len(release['awards']) + 1}"
        release["awards"].append(
            {
                "id": award_id,
                "status": "active",
                "date": _moment(values["award_date"]),
                "value": _value(values["award_amount"], currency),
                "suppliers": [{"id": identifier}],
            }
        )
        if values["contract_id"]:
            release["contracts"].append(
                {
                    "id": values["contract_id"],
                    "awardID": award_id,
                    "dateSigned": _moment(values["contract_signed_on"]),
                    "period": {"endDate": _moment(values["contract_end_on"])},
                    "value": _value(values["contract_value"], currency),
                }
            )


@transaction.atomic
def procurement_csv_import(
    *, actor: Any, content: bytes, owner: Any, classification: str = Classification.RESTRICTED, source: str = ""
) -> ImportReport:
    """Import the tenders, bids, awards and contracts of a procurement CSV, all or none (raise CsvInvalid)."""
    _may_import(actor)
    rows, errors = _rows(content, PROCUREMENT_COLUMNS)
    releases: dict[str, dict[str, Any]] = {}
    first_row: dict[str, tuple[int, dict[str, Any]]] = {}
    for number, values in rows:
        if values["ocid"] is None:
            continue
        errors += _row_errors(number, values)
        ocid = values["ocid"]
        if ocid not in releases:
            releases[ocid] = _tender_release(values)
            first_row[ocid] = (number, values)
        else:
            other, given = first_row[ocid]
            for name in TENDER_COLUMNS:
                if values[name] != given[name]:
                    message = _("The tender's columns differ from row %(other)s, which gives the same tender.")
                    errors.append((number, name, message % {"other": other}))
        _add_bid(releases[ocid], values)
    if errors:
        raise CsvInvalid(errors)
    report = ImportReport()
    user = actor if getattr(actor, "pk", None) else None
    for release in releases.values():
        write_release(
            release, actor=user, owner=owner, classification=classification, report=report, source=source or "CSV"
        )
    return report
