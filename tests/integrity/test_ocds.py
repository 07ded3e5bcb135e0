"""The OCDS 1.1 door: release packages in (checked, all or nothing) and out (what the reader may read, no alert)."""

import datetime
import json
from decimal import Decimal

import pytest

from masar.core.errors import NotPermitted
from masar.core.models import Classification
from masar.core.policy import Reader
from masar.integrity.models import (
    Alert,
    AlertSubject,
    Amendment,
    Award,
    Bid,
    Contract,
    ExchangeRate,
    Item,
    Payment,
    ProcurementMethod,
    Supplier,
    Tender,
)
from masar.integrity.ocds import (
    OcdsInvalid,
    release_package,
    release_package_import,
    releases_for,
    releases_from_jsonl,
)
from masar.opendata.ocds import public_releases
from tests.portfolio.factories import make_project


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def release(ocid="ocds-tn-001", **extra):
    """Return a rich release: parties, a tender with lots and items, three bids, an award, a contract."""
    data = {
        "ocid": ocid,
        "id": f"{ocid}-1",
        "date": "2025-06-01T10:00:00+01:00",
        "tag": ["compiled"],
        "initiationType": "tender",
        "buyer": {"id": "MIN-A", "name": "وزارة"},
        "parties": [
            {
                "id": "TN-111",
                "name": "شركة الأمل للبرمجيات",
                "roles": ["tenderer", "supplier"],
                "identifier": {"scheme": "TN-RNE", "id": "RNE-111"},
                "address": {"streetAddress": "12 نهج الحرية", "locality": "تونس"},
                "contactPoint": {"name": "سامي", "email": "contact@amal.tn", "telephone": "+216 71 123 456"},
            },
            {"id": "TN-222", "name": "Société Nour", "roles": ["tenderer"]},
        ],
        "tender": {
            "id": ocid,
            "title": "اقتناء خوادم",
            "procurementMethod": "open",
            "mainProcurementCategory": "goods",
            "value": {"amount": 500000, "currency": "TND"},
            "numberOfTenderers": 3,
            "tenderPeriod": {"startDate": "2025-03-01T09:00:00+01:00", "endDate": "2025-04-01T09:00:00+01:00"},
            "lots": [{"id": "L1", "title": "خوادم"}],
            "items": [{"id": "1", "description": "خادم", "classification": {"scheme": "CPV", "id": "48820000"}}],
        },
        "bids": {
            "details": [
                {
                    "id": "B1",
                    "status": "valid",
                    "date": "2025-03-30T10:00:00+01:00",
                    "value": {"amount": 450000.5, "currency": "TND"},
                    "tenderers": [{"id": "TN-111"}],
                    "relatedLots": ["L1"],
                },
                {
                    "id": "B2",
                    "status": "disqualified",
                    "date": "2025-03-31T10:00:00+01:00",
                    "value": {"amount": 470000, "currency": "TND"},
                    "tenderers": [{"id": "TN-222"}],
                },
                {
                    "id": "B3",
                    "status": "valid",
                    "value": {"amount": 480000, "currency": "TND"},
                    "tenderers": [{"id": "TN-333"}],
                },
            ]
        },
        "awards": [
            {
                "id": "A1",
                "status": "active",
                "date": "2025-04-15T10:00:00+01:00",
                "value": {"amount": 450000.5, "currency": "TND"},
                "suppliers": [{"id": "TN-111"}],
                "items": [{"id": "1", "classification": {"scheme": "CPV", "id": "48820000"}, "quantity": 4}],
            }
        ],
        "contracts": [
            {
                "id": "C1",
                "awardID": "A1",
                "status": "active",
                "dateSigned": "2025-05-01T00:00:00+01:00",
                "period": {"endDate": "2026-05-01T00:00:00+01:00"},
                "value": {"amount": 520000, "currency": "TND"},
                "amendments": [
                    {
                        "id": "AM1",
                        "date": "2025-09-01T00:00:00+01:00",
                        "rationale": "توسيع",
                        "valueBefore": {"amount": 450000.5, "currency": "TND"},
                        "valueAfter": {"amount": 520000, "currency": "TND"},
                    }
                ],
                "implementation": {
                    "transactions": [
                        {
                            "id": "P1",
                            "date": "2025-06-01T00:00:00+01:00",
                            "value": {"amount": 100000, "currency": "TND"},
                        },
                        {
                            "id": "P2",
                            "date": "2025-08-01T00:00:00+01:00",
                            "value": {"amount": 200000, "currency": "TND"},
                        },
                    ]
                },
            }
        ],
    }
    data.update(extra)
    return data


def package(*releases):
    return {"uri": "https://example.tn/p.json", "version": "1.1", "releases": list(releases)}


def without_item_ids(data):
    """Return data with its items' ids dropped: Masar keeps no item ids, it numbers the items it exports."""
    if isinstance(data, list):
        return [without_item_ids(v) for v in data]
    if isinstance(data, dict):
        return {k: [{**i, "id": None} for i in v] if k == "items" else without_item_ids(v) for k, v in data.items()}
    return data


def counts():
    return [m.objects.count() for m in (Tender, Supplier, Bid, Award, Contract, Item, Payment, Amendment)]


def test_it_imports_a_release_with_all_its_records(national, ministry_a, axis):
    project = make_project("PRJ-1", ministry_a, axis)
    data = release(planning={"budget": {"projectID": "PRJ-1"}})
    report = release_package_import(actor=national, data=package(data), owner=ministry_a)
    assert (report.created, report.updated, report.bids, report.awards, report.contracts, report.payments) == (
        1,
        0,
        3,
        1,
        1,
        2,
    )
    assert report.suppliers_created == 3 and report.unconverted == 0
    tender = Tender.objects.get(ocid="ocds-tn-001")
    assert tender.buyer == ministry_a and tender.buyer_ref == "MIN-A" and tender.project == project
    assert tender.title_ar == "اقتناء خوادم" and tender.method == ProcurementMethod.OPEN
    assert tender.published_at == datetime.datetime.fromisoformat("2025-03-01T09:00:00+01:00")
    assert tender.estimated_value_base == Decimal("500000.00") and tender.number_of_tenderers == 3
    assert tender.classification == Classification.RESTRICTED and tender.owner == ministry_a
    amal = Supplier.objects.get(identifier="TN-111")
    assert amal.name_ar == "شركة الأمل للبرمجيات" and amal.registration_number == "RNE-111"
    assert amal.address == "12 نهج الحرية, تونس" and amal.phone_key == "71123456" and amal.name_key
    nour = Supplier.objects.get(identifier="TN-222")
    assert nour.name_fr == "Société Nour" and nour.name_ar == ""
    assert Supplier.objects.get(identifier="TN-333").registration_number == "TN-333"  # known only by its id
    first = tender.bids.get(ref="B1")
    assert first.supplier == amal and first.amount_base == Decimal("450000.50") and first.lot.ref == "L1"
    assert tender.bids.get(ref="B3").received_at is None  # a missing date is allowed
    contract = Contract.objects.get(ref="C1")
    assert contract.supplier == amal and contract.award.ref == "A1"
    assert contract.original_value == Decimal("450000.50") and contract.value == Decimal("520000")
    assert contract.end_on == datetime.date(2026, 5, 1) and contract.amendments.get().value_after == 520000
    assert sorted(contract.payments.values_list("amount_base", flat=True)) == [100000, 200000]
    assert Item.objects.filter(award__isnull=False).get().quantity == 4


def test_a_round_trip_gives_back_the_same_tenders_bids_awards_and_contracts(national, ministry_a):
    given = [release(), release("ocds-tn-002", contracts=[], awards=[])]
    release_package_import(actor=national, data=package(*given), owner=ministry_a)
    exported = release_package(national)
    assert [r["ocid"] for r in exported["releases"]] == ["ocds-tn-001", "ocds-tn-002"]
    out = exported["releases"][0]
    fields = ("title", "procurementMethod", "mainProcurementCategory", "value", "numberOfTenderers")
    for name in fields:
        assert out["tender"][name] == given[0]["tender"][name], name
    for name in ("startDate", "endDate"):
        moment = datetime.datetime.fromisoformat
        assert moment(out["tender"]["tenderPeriod"][name]) == moment(given[0]["tender"]["tenderPeriod"][name])
    assert [(b["id"], b["status"], b["value"], b["tenderers"][0]["id"]) for b in out["bids"]["details"]] == [
        (b["id"], b["status"], b["value"], b["tenderers"][0]["id"]) for b in given[0]["bids"]["details"]
    ]
    assert [(a["id"], a["status"], a["value"], a["suppliers"]) for a in out["awards"]] == [
        ("A1", "active", {"amount": 450000.5, "currency": "TND"}, [{"id": "TN-111", "name": "شركة الأمل للبرمجيات"}])
    ]
    contract = out["contracts"][0]
    assert (contract["id"], contract["awardID"], contract["status"], contract["value"]) == (
        "C1",
        "A1",
        "active",
        {"amount": 520000, "currency": "TND"},
    )
    assert contract["dateSigned"].startswith("2025-05-01") and contract["period"]["endDate"].startswith("2026-05-01")
    assert [t["value"]["amount"] for t in contract["implementation"]["transactions"]] == [100000, 200000]
    assert contract["amendments"][0]["valueAfter"] == {"amount": 520000, "currency": "TND"}
    # Importing what was exported changes nothing but the versions.
    before = counts()
    report = release_package_import(actor=national, data=json.loads(json.dumps(exported)), owner=ministry_a)
    assert report.updated == 2 and report.created == 0 and counts() == before
    again = release_package(national)["releases"][0]
    for name in ("tender", "bids", "awards", "parties", "buyer"):
        assert without_item_ids(again[name]) == without_item_ids(out[name]), name
    assert [c["id"] for c in again["contracts"]] == ["C1"]


def test_an_invalid_file_reports_every_error_with_its_path_and_imports_nothing(national, ministry_a):
    release_package_import(actor=national, data=package(release("ocds-tn-000")), owner=ministry_a)
    before = counts()
    bad = release()
    bad["bids"]["details"][0]["value"]["amount"] = -5
    bad["bids"]["details"][1]["status"] = "lost"
    bad["tender"]["tenderPeriod"]["endDate"] = "1 April 2025"
    bad["awards"][0]["value"]["currency"] = "dinar"
    del bad["contracts"][0]["id"]
    bad["contracts"][0]["implementation"]["transactions"][1] = {"id": "P2"}
    nameless = release("x")
    del nameless["ocid"]
    with pytest.raises(OcdsInvalid) as raised:
        release_package_import(actor=national, data=package(release("ocds-tn-009"), bad, nameless), owner=ministry_a)
    paths = [path for path, _message in raised.value.errors]
    assert set(paths) == {
        "/releases/1/bids/details/0/value/amount",
        "/releases/1/bids/details/1/status",
        "/releases/1/tender/tenderPeriod/endDate",
        "/releases/1/awards/0/value/currency",
        "/releases/1/contracts/0/id",
        "/releases/1/contracts/0/implementation/transactions/1",
        "/releases/2/ocid",
    }
    messages = dict(raised.value.errors)
    assert "-5" in messages["/releases/1/bids/details/0/value/amount"]
    assert "ISO 4217" in messages["/releases/1/awards/0/value/currency"]
    assert counts() == before  # the valid release of the file was not imported either
    assert not Tender.objects.filter(ocid="ocds-tn-009").exists()


def test_the_errors_are_worded_in_the_readers_language(national, ministry_a):
    from django.utils import translation

    bad = release()
    bad["bids"]["details"][0]["value"]["amount"] = "كثير"
    with translation.override("en"), pytest.raises(OcdsInvalid) as raised:
        release_package_import(actor=national, data=package(bad), owner=ministry_a)
    assert raised.value.errors == [
        ("/releases/0/bids/details/0/value/amount", "“كثير” is not of the expected type (number).")
    ]


def test_duplicate_ocids_in_a_package_are_refused_with_their_paths(national, ministry_a):
    with pytest.raises(OcdsInvalid) as raised:
        release_package_import(
            actor=national, data=package(release("A"), release("B"), release("A"), release("A")), owner=ministry_a
        )
    assert [path for path, _ in raised.value.errors] == ["/releases/2/ocid", "/releases/3/ocid"]
    assert "/releases/0/ocid" in raised.value.errors[0][1]
    assert Tender.objects.count() == 0 and Supplier.objects.count() == 0


def test_an_ocid_already_in_masar_updates_that_tender(national, ministry_a, ministry_b):
    release_package_import(actor=national, data=package(release()), owner=ministry_a)
    tender = Tender.objects.get()
    payment = Payment.objects.get(ref="P1")
    changed = release()
    changed["tender"]["title"] = "اقتناء خوادم جديدة"
    changed["bids"]["details"] = changed["bids"]["details"][:1]
    changed["parties"] = changed["parties"][:1]
    changed["contracts"][0]["implementation"]["transactions"] = [
        {"id": "P1", "date": "2025-06-02T00:00:00+01:00", "value": {"amount": 90000, "currency": "TND"}}
    ]
    report = release_package_import(actor=national, data=package(changed), owner=ministry_b)
    assert (report.created, report.updated) == (0, 1)
    tender.refresh_from_db()
    assert tender.title_ar == "اقتناء خوادم جديدة" and tender.owner == ministry_a and tender.version == 2
    assert list(tender.bids.values_list("ref", flat=True)) == ["B1"]
    assert Payment.objects.get().pk == payment.pk and Payment.objects.get().amount == 90000  # kept, updated
    assert Contract.objects.count() == 1 and Award.objects.count() == 1


def test_amounts_in_several_currencies_are_converted_when_a_rate_exists(national, ministry_a):
    ExchangeRate.objects.create(currency="EUR", valid_from=datetime.date(2025, 1, 1), rate=Decimal("3.4"))
    data = release()
    data["bids"]["details"][0]["value"] = {"amount": 100000, "currency": "EUR"}
    data["bids"]["details"][1]["value"] = {"amount": 100000, "currency": "USD"}
    data["awards"][0]["value"] = {"amount": 100000, "currency": "USD"}
    report = release_package_import(actor=national, data=package(data), owner=ministry_a)
    bids = {b.ref: b for b in Bid.objects.all()}
    assert bids["B1"].amount_base == Decimal("340000.00")
    assert bids["B2"].amount_base is None and bids["B2"].amount == 100000 and bids["B2"].currency == "USD"
    assert bids["B3"].amount_base == Decimal("480000.00")
    assert report.unconverted == 2 and report.unconverted_currencies == {"USD"}


def test_a_rate_valid_only_after_the_date_does_not_convert(national, ministry_a):
    ExchangeRate.objects.create(currency="EUR", valid_from=datetime.date(2026, 1, 1), rate=Decimal("3.4"))
    data = release()
    data["bids"]["details"][0]["value"] = {"amount": 10, "currency": "EUR"}
    report = release_package_import(actor=national, data=package(data), owner=ministry_a)
    assert Bid.objects.get(ref="B1").amount_base is None and report.unconverted == 1


def test_a_supplier_under_two_arabic_spellings_is_one_supplier(national, ministry_a):
    first = release("A")
    second = release("B")
    second["parties"][0]["name"] = "شركه الامل للبرمجيات"  # ta marbuta and hamza typed otherwise
    release_package_import(actor=national, data=package(first, second), owner=ministry_a)
    amal = Supplier.objects.get(identifier="TN-111")
    assert amal.bids.count() == 2 and Supplier.objects.count() == 3
    # Another identifier with the other spelling compares equal by its name key (what R044-like rules read).
    other = release("C")
    other["parties"][0]["id"] = "TN-999"
    other["parties"][0]["name"] = "شركه الامل للبرمجيات"
    other["bids"]["details"][0]["tenderers"] = [{"id": "TN-999"}]
    release_package_import(actor=national, data=package(other), owner=ministry_a)
    assert Supplier.objects.get(identifier="TN-999").name_key == amal.name_key != ""


def test_tenderers_named_only_as_parties_are_kept_as_bidders(national, ministry_a):
    data = {"ocid": "F1", "parties": [{"id": "S1", "roles": ["tenderer"]}, {"id": "S2", "roles": ["tenderer"]}]}
    release_package_import(actor=national, data=[data], owner=ministry_a)
    assert sorted(Bid.objects.values_list("supplier__identifier", flat=True)) == ["S1", "S2"]
    exported = releases_for(national)[0]
    assert "bids" not in exported  # nothing of their bids is known: they are parties only
    assert {p["id"] for p in exported["parties"]} == {"S1", "S2"}


def test_json_lines_and_record_packages_are_read(national, ministry_a):
    text = json.dumps({"ocid": "J1"}) + "\n\n" + json.dumps({"ocid": "J2", "tender": {"title": "Achat"}}) + "\n"
    release_package_import(actor=national, data=releases_from_jsonl(text), owner=ministry_a)
    record = {"records": [{"ocid": "R1", "compiledRelease": {"ocid": "R1", "tender": {"procurementMethod": "direct"}}}]}
    release_package_import(actor=national, data=record, owner=ministry_a)
    assert sorted(Tender.objects.values_list("ocid", flat=True)) == ["J1", "J2", "R1"]
    assert Tender.objects.get(ocid="J2").title_fr == "Achat"
    assert Tender.objects.get(ocid="R1").method == ProcurementMethod.DIRECT
    with pytest.raises(OcdsInvalid) as raised:
        releases_from_jsonl('{"ocid": "J3"}\n{not json\n')
    assert [path for path, _ in raised.value.errors] == ["/1"]


def test_a_framework_agreement_is_read_from_its_details_or_techniques(national, ministry_a):
    rows = [
        {"ocid": "F1", "tender": {"procurementMethod": "selective", "procurementMethodDetails": "Framework agreement"}},
        {"ocid": "F2", "tender": {"procurementMethod": "open", "techniques": {"hasFrameworkAgreement": True}}},
        {"ocid": "F3", "tender": {"procurementMethod": "open"}},
    ]
    release_package_import(actor=national, data=rows, owner=ministry_a)
    methods = dict(Tender.objects.values_list("ocid", "method"))
    assert methods == {"F1": ProcurementMethod.FRAMEWORK, "F2": ProcurementMethod.FRAMEWORK, "F3": "open"}


def test_only_the_national_unit_imports(manager_a, ministry_a):
    with pytest.raises(NotPermitted):
        release_package_import(actor=manager_a, data=package(release()), owner=ministry_a)
    assert counts() == [0] * 8


def test_the_public_export_holds_no_restricted_tender_and_no_alert(national, ministry_a, client):
    release_package_import(
        actor=national, data=package(release("PUB-1")), owner=ministry_a, classification=Classification.PUBLIC
    )
    release_package_import(actor=national, data=package(release("RES-1")), owner=ministry_a)
    public = Tender.objects.get(ocid="PUB-1")
    Supplier.objects.update(directors=[{"name": "المدير السري"}], beneficial_owners=[{"name": "المالك الخفي"}])
    Alert.objects.create(
        rule="R018",
        subject=AlertSubject.TENDER,
        key="R018:tender:PUB-1",
        tender=public,
        evidence={"figures": {"marker": "ALERT-EVIDENCE"}},
        reason="ALERT-REASON",
    )
    assert Tender.objects.filter(ocid="RES-1").exists()  # positive control: the restricted tender is there
    assert [r["ocid"] for r in releases_for(national)] == ["PUB-1", "RES-1"]
    assert [r["ocid"] for r in public_releases()] == ["PUB-1"]
    response = client.get("/ocds/releases.json")
    assert response.status_code == 200
    text = response.content.decode()
    assert [r["ocid"] for r in json.loads(text)["releases"]] == ["PUB-1"]
    for secret in ("RES-1", "ALERT", "R018", "المدير السري", "المالك الخفي", "restricted"):
        assert secret not in text, secret
    assert "شركة الأمل للبرمجيات" in text  # positive control: suppliers are exported


def test_a_public_tender_of_a_confidential_project_stays_out_of_the_public_export(national, ministry_a, axis):
    make_project("SECRET-PRJ", ministry_a, axis, classification=Classification.CONFIDENTIAL)
    data = release(planning={"budget": {"projectID": "SECRET-PRJ"}})
    release_package_import(actor=national, data=package(data), owner=ministry_a, classification=Classification.PUBLIC)
    assert Tender.objects.get().project is not None
    assert releases_for(national)[0]["planning"] == {"budget": {"projectID": "SECRET-PRJ"}}
    assert releases_for(Reader.public()) == []


def test_the_import_is_audited(national, ministry_a):
    from masar.audit.models import AuditEntry

    release_package_import(actor=national, data=package(release()), owner=ministry_a)
    tender = Tender.objects.get()
    assert AuditEntry.objects.for_object(tender).get().actor == national


def test_an_export_of_a_given_list_of_tenders(national, ministry_a):
    release_package_import(actor=national, data=package(release("A"), release("B")), owner=ministry_a)
    chosen = [Tender.objects.get(ocid="B")]
    assert [r["ocid"] for r in release_package(national, chosen)["releases"]] == ["B"]


def test_the_command_imports_a_file_or_prints_every_error(ministry_a, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(release("CMD-1")) + "\n", encoding="utf-8")
    out = StringIO()
    call_command("ocds_import", str(good), "--owner", "MIN-A", stdout=out)
    assert "created=1" in out.getvalue() and Tender.objects.get().ocid == "CMD-1"
    bad = tmp_path / "bad.json"
    broken = release("CMD-2")
    broken["tender"]["value"]["amount"] = -1
    bad.write_text(json.dumps(package(broken)), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("ocds_import", str(bad), "--owner", "MIN-A", stderr=err)
    assert "/releases/0/tender/value/amount" in err.getvalue()
    assert not Tender.objects.filter(ocid="CMD-2").exists()


def test_an_imported_payment_is_linked_to_the_month_its_project_reported_and_shown_to_its_readers(
    ministry_a, axis, national, coordinator_a, manager_a, coordinator_b, client_for
):
    import datetime

    from masar.core.models import Classification
    from masar.integrity.models import Payment
    from masar.integrity.ocds import release_package_import
    from tests.delivery.factories import make_update
    from tests.portfolio.factories import make_project

    project = make_project("P-PAID", ministry_a, axis, manager=manager_a)
    update = make_update(project, datetime.date(2025, 6, 1), 40_000, by=manager_a, reviewer=coordinator_a,
                         classification=Classification.CONFIDENTIAL)  # fmt: skip
    release = {
        "ocid": "ocds-paid-1", "id": "r1", "date": "2025-07-01T00:00:00Z", "tag": ["contract"],
        "initiationType": "tender", "planning": {"budget": {"projectID": "P-PAID"}}, "tender": {"id": "t"},
        "contracts": [{"id": "c1", "value": {"amount": 90000, "currency": "TND"}, "dateSigned": "2025-05-01T00:00:00Z",
                       "implementation": {"transactions": [
                           {"id": "p1", "date": "2025-06-15T00:00:00Z", "value": {"amount": 30000, "currency": "TND"}},
                           {"id": "p2", "date": "2025-08-15T00:00:00Z", "value": {"amount": 5, "currency": "TND"}}]}}],
    }  # fmt: skip
    release_package_import(actor=national, data={"releases": [release]}, owner=ministry_a)
    linked = {p.ref: p.progress_update_id for p in Payment.objects.all()}
    assert linked == {"p1": update.pk, "p2": None}  # August: the project reported nothing that month
    contract = Payment.objects.get(ref="p1").contract
    page = client_for(coordinator_a).get(f"/en/integrity/contracts/{contract.pk}/").content.decode()
    assert f"/delivery/updates/{update.pk}/" in page and "40,000" in page
    # The update is confidential to ministry A: another ministry reads the contract, not the project's report.
    other = client_for(coordinator_b).get(f"/en/integrity/contracts/{contract.pk}/")
    assert other.status_code == 200
    assert f"/delivery/updates/{update.pk}/" not in other.content.decode() and "40,000" not in other.content.decode()
