"""CSV imports of the procurement trail: tax-compliance reports and procurement rows, all of a file or nothing."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from masar.core.errors import NotPermitted
from masar.integrity.imports import CsvInvalid, procurement_csv_import, tax_reports_import
from masar.integrity.models import Award, Bid, Contract, ProcurementMethod, Supplier, TaxStatus, TaxStatusReport, Tender
from tests.integrity.factories import make_supplier


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def csv(*lines):
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_tax_reports_set_the_status_in_english_french_and_arabic(national, ministry_a):
    a = make_supplier("S-A", owner=ministry_a)
    b = make_supplier("S-B", owner=ministry_a, registration_number="RNE-٢٢")
    c = make_supplier("S-C", owner=ministry_a)
    d = make_supplier("S-D", owner=ministry_a)
    content = csv(
        "identifier,registration_number,status,as_of",
        "S-A,,compliant,2025-03-01",
        ",RNE-٢٢,Non conforme,٢٠٢٥-٠٣-٠٢",
        "S-C,,غير ملتزم,2025-03-03",
        "S-D,,ملتزم,2025-03-04",
    )
    report = tax_reports_import(actor=national, content=content, source="DGI-2025-03.csv")
    assert (report.reports, report.statuses_changed) == (4, 4)
    statuses = {s.identifier: (s.tax_status, s.tax_status_on) for s in Supplier.objects.all()}
    assert statuses == {
        a.identifier: (TaxStatus.COMPLIANT, datetime.date(2025, 3, 1)),
        b.identifier: (TaxStatus.NON_COMPLIANT, datetime.date(2025, 3, 2)),
        c.identifier: (TaxStatus.NON_COMPLIANT, datetime.date(2025, 3, 3)),
        d.identifier: (TaxStatus.COMPLIANT, datetime.date(2025, 3, 4)),
    }
    assert TaxStatusReport.objects.filter(source="DGI-2025-03.csv").count() == 4


def test_an_older_tax_report_is_kept_as_history_only(national, ministry_a):
    supplier = make_supplier("S-A", owner=ministry_a)
    tax_reports_import(actor=national, content=csv("identifier,status,as_of", "S-A,non_compliant,2025-06-01"))
    report = tax_reports_import(actor=national, content=csv("identifier,status,as_of", "S-A,compliant,2025-01-01"))
    supplier.refresh_from_db()
    assert (supplier.tax_status, supplier.tax_status_on) == (TaxStatus.NON_COMPLIANT, datetime.date(2025, 6, 1))
    assert report.statuses_changed == 0 and supplier.tax_reports.count() == 2


def test_bad_tax_rows_are_all_reported_and_nothing_is_imported(national, ministry_a):
    make_supplier("S-A", owner=ministry_a)
    content = csv(
        "identifier,registration_number,status,as_of",
        "S-A,,compliant,2025-03-01",
        "S-A,,peut-être,2025-03-01",
        "S-Z,,compliant,2025-03-01",
        ",,compliant,2025-03-01",
        "S-A,,compliant,1 mars",
        "S-A,,,2025-03-01",
    )
    with translation.override("en"), pytest.raises(CsvInvalid) as raised:
        tax_reports_import(actor=national, content=content)
    where = [(row, column) for row, column, _reason in raised.value.errors]
    assert where == [(3, "status"), (4, "identifier"), (5, "identifier"), (6, "as_of"), (7, "status")]
    reasons = {(row, column): reason for row, column, reason in raised.value.errors}
    assert reasons[(6, "as_of")] == "“1 mars” is not a date: write it as YYYY-MM-DD."
    assert "S-Z" in reasons[(4, "identifier")]
    assert TaxStatusReport.objects.count() == 0
    assert Supplier.objects.get().tax_status == TaxStatus.UNKNOWN


def test_a_tax_file_with_an_unknown_column_is_refused(national, ministry_a):
    with pytest.raises(CsvInvalid) as raised:
        tax_reports_import(actor=national, content=csv("identifier,status,as_of,note", "S-A,compliant,2025-01-01,x"))
    assert [(row, column) for row, column, _ in raised.value.errors] == [(1, "note")]


def test_only_the_national_unit_imports_tax_reports(manager_a, ministry_a):
    make_supplier("S-A", owner=ministry_a)
    with pytest.raises(NotPermitted):
        tax_reports_import(actor=manager_a, content=csv("identifier,status,as_of", "S-A,compliant,2025-01-01"))
    assert TaxStatusReport.objects.count() == 0


HEADER = (
    "ocid,title,buyer,method,published_at,deadline,estimated_value,currency,bid_id,supplier_identifier,"
    "supplier_name,bid_amount,bid_date,bid_status,awarded,award_date,award_amount,contract_id,contract_signed_on,"
    "contract_value,contract_end_on"
)


def test_a_procurement_csv_gives_tenders_bids_awards_and_contracts(national, ministry_a):
    content = csv(
        HEADER,
        "T-1,اقتناء حواسيب,MIN-A,open,2025-03-01,2025-04-01,١٠٠٠٠٠,TND,B1,S-1,شركة الأمل,٩٠٠٠٠٫٥,2025-03-30,valid,نعم,"
        "2025-04-10,٩٠٠٠٠٫٥,C-1,2025-05-01,٩٠٠٠٠٫٥,2026-05-01",
        "T-1,اقتناء حواسيب,MIN-A,open,2025-03-01,2025-04-01,١٠٠٠٠٠,TND,B2,S-2,Société Nour,95000,2025-03-31,valid,"
        ",,,,,,",
        "T-2,Achat direct,MIN-A,direct,2025-05-01,,,,,,,,,,,,,,,,",
    )
    with translation.override("ar"):
        report = procurement_csv_import(actor=national, content=content, owner=ministry_a)
    assert (report.created, report.bids, report.awards, report.contracts) == (2, 2, 1, 1)
    tender = Tender.objects.get(ocid="T-1")
    assert tender.buyer == ministry_a and tender.estimated_value == 100000 and tender.method == ProcurementMethod.OPEN
    assert timezone.localtime(tender.published_at).date() == datetime.date(2025, 3, 1)
    bids = {b.ref: b for b in Bid.objects.all()}
    assert bids["B1"].amount == Decimal("90000.5") and bids["B1"].supplier.name_ar == "شركة الأمل"
    assert bids["B2"].supplier.name_fr == "Société Nour"
    award = Award.objects.get()
    assert award.supplier.identifier == "S-1" and award.amount_base == Decimal("90000.50")
    contract = Contract.objects.get()
    assert (
        contract.ref == "C-1" and contract.supplier.identifier == "S-1" and contract.end_on == datetime.date(2026, 5, 1)
    )
    assert Tender.objects.get(ocid="T-2").bids.count() == 0


def test_bad_procurement_rows_are_all_reported_and_nothing_is_imported(national, ministry_a):
    content = csv(
        HEADER,
        "T-1,Achat,MIN-A,open,2025-03-01,2025-04-01,1000,TND,B1,S-1,,900,2025-03-30,valid,oui,,,,,,",
        "T-1,Achat autre,MIN-A,open,2025-03-01,2025-04-01,1000,TND,B2,S-2,,beaucoup,2025-03-30,won,,,,,,,",
        "T-3,Achat,MIN-A,auction,2025-03-01,,-5,dinar,,,,,,,yes,,,,,,",
        ",Achat,MIN-A,open,2025-03-01,,,,,,,,,,,,,,,,",
    )
    with translation.override("en"), pytest.raises(CsvInvalid) as raised:
        procurement_csv_import(actor=national, content=content, owner=ministry_a)
    where = sorted((row, column) for row, column, _reason in raised.value.errors)
    assert where == [
        (3, "bid_amount"),
        (3, "bid_status"),
        (3, "title"),
        (4, "currency"),
        (4, "estimated_value"),
        (4, "method"),
        (4, "supplier_identifier"),
        (5, "ocid"),
    ]
    reasons = {(row, column): reason for row, column, reason in raised.value.errors}
    assert reasons[(3, "bid_amount")] == "“beaucoup” is not a number."
    assert reasons[(3, "title")] == "The tender's columns differ from row 2, which gives the same tender."
    assert Tender.objects.count() == 0 and Supplier.objects.count() == 0


def test_a_procurement_csv_missing_its_ocid_column_is_refused(national, ministry_a):
    with pytest.raises(CsvInvalid) as raised:
        procurement_csv_import(actor=national, content=csv("title", "Achat"), owner=ministry_a)
    assert [(row, column) for row, column, _ in raised.value.errors] == [(1, "ocid")]
    assert Tender.objects.count() == 0
