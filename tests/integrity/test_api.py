"""The procurement door of the API: OCDS out (what the caller may read) and in (all or nothing, into the
caller's own organization), and the tax administration's compliance reports."""

import json

from masar.core.models import Classification
from masar.integrity.models import Alert, AlertSubject, Supplier, TaxStatus, Tender
from tests.api.factories import bearer, make_system, system_bearer
from tests.integrity.factories import make_supplier, make_trail


def _package(*releases):
    return {"uri": "https://example.org/p.json", "publishedDate": "2025-05-01T00:00:00Z", "version": "1.1",
            "publisher": {"name": "صفقات"}, "releases": list(releases)}  # fmt: skip


def _release(ocid, *, amount=1000, tenderer="SUP-API-1"):
    return {
        "ocid": ocid, "id": f"{ocid}-1", "date": "2025-05-01T00:00:00Z", "tag": ["tender"], "initiationType": "tender",
        "tender": {"id": ocid, "title": "اقتناء حواسيب", "procurementMethod": "open",
                   "tenderPeriod": {"startDate": "2025-03-01T00:00:00Z", "endDate": "2025-04-01T00:00:00Z"}},
        "parties": [{"id": tenderer, "name": "شركة الأمل", "roles": ["tenderer", "supplier"]}],
        "bids": {"details": [{"id": "b1", "status": "valid", "value": {"amount": amount, "currency": "TND"},
                              "tenderers": [{"id": tenderer}]}]},
    }  # fmt: skip


def _post(client, data, **query):
    suffix = "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(f"/api/v1/procurement/releases/?{suffix}", json.dumps(data), content_type="application/json")


def test_an_e_procurement_system_imports_into_its_own_organization_and_reads_it_back(ministry_a, ministry_b):
    system = make_system(ministry_a, ["procurement:read", "procurement:write"])
    client = system_bearer(system)
    answer = _post(client, _package(_release("ocds-api-1"), _release("ocds-api-2")))
    assert answer.status_code == 201, answer.content
    assert answer.json()["created"] == 2 and answer.json()["bids"] == 2
    assert set(Tender.objects.values_list("owner__code", flat=True)) == {ministry_a.code}
    read = client.get("/api/v1/procurement/releases/?limit=1")
    assert read.status_code == 200
    first = read.json()
    assert [r["ocid"] for r in first["releases"]] == ["ocds-api-1"]
    second = client.get(first["links"]["next"].replace("http://testserver", ""))
    assert [r["ocid"] for r in second.json()["releases"]] == ["ocds-api-2"] and "links" not in second.json()
    # Into another ministry: refused, nothing written.
    refused = _post(client, _package(_release("ocds-api-3")), owner=ministry_b.code)
    assert refused.status_code == 403
    assert not Tender.objects.filter(ocid="ocds-api-3").exists()


def test_an_invalid_document_names_each_error_by_its_path_and_imports_nothing(ministry_a):
    client = system_bearer(make_system(ministry_a, ["procurement:write"]))
    bad = _release("ocds-api-bad", amount=-5)
    answer = _post(client, _package(_release("ocds-api-ok"), bad, _release("ocds-api-ok")))
    assert answer.status_code == 422
    pointers = {e["pointer"] for e in answer.json()["errors"]}
    assert "/releases/1/bids/details/0/value/amount" in pointers
    assert any(p.startswith("/releases/2") for p in pointers)  # the repeated ocid
    assert not Tender.objects.exists()
    assert _post(client, "not a package").status_code == 422


def test_a_system_may_not_change_another_organizations_tender(ministry_a, ministry_b):
    winner = make_supplier(owner=ministry_b)
    tender, _contract = make_trail(ministry_b, winner=winner, ocid="ocds-of-b")
    client = system_bearer(make_system(ministry_a, ["procurement:write"]))
    answer = _post(client, _package(_release("ocds-of-b")))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["pointer"] == "/releases/0/ocid"
    tender.refresh_from_db()
    assert tender.owner == ministry_b and tender.bids.count() == 1


def test_readers_get_only_what_they_may_read_and_never_an_alert(ministry_a, ministry_b, coordinator_b, national):
    supplier = make_supplier(owner=ministry_a)
    restricted, _c = make_trail(ministry_a, winner=supplier, ocid="ocds-rstr")
    confidential, _c = make_trail(
        ministry_a, winner=supplier, ocid="ocds-conf", classification=Classification.CONFIDENTIAL
    )
    Alert.objects.create(rule="R018", subject=AlertSubject.TENDER, key="R018:tender:ocds-rstr", tender=restricted,
                         evidence={"figures": {"marker": "ALERT-MARKER"}})  # fmt: skip
    seen_by_b = bearer(coordinator_b).get("/api/v1/procurement/releases/").json()
    assert [r["ocid"] for r in seen_by_b["releases"]] == ["ocds-rstr"]
    seen_by_national = bearer(national).get("/api/v1/procurement/releases/").content.decode()
    assert "ocds-conf" in seen_by_national and "ocds-rstr" in seen_by_national  # positive control
    assert "ALERT-MARKER" not in seen_by_national and "R018" not in seen_by_national
    # A system without the scope reads nothing; with it, only its own organization's.
    assert (
        system_bearer(make_system(ministry_b, ["projects:read"])).get("/api/v1/procurement/releases/").status_code
        == 403
    )
    own = system_bearer(make_system(ministry_b, ["procurement:read"])).get("/api/v1/procurement/releases/")
    assert own.status_code == 200 and own.json()["releases"] == []


def test_the_tax_administration_reports_compliance_all_or_nothing(ministry_a, gov):
    supplier = make_supplier("TAX-1", owner=ministry_a)
    tax = system_bearer(make_system(gov, ["tax_compliance:write"]))
    good = {"reports": [{"identifier": "TAX-1", "status": "non_compliant", "as_of": "2025-06-30"}]}
    bad = {"reports": [{"identifier": "TAX-1", "status": "compliant", "as_of": "2025-07-30"},
                       {"identifier": "NOBODY", "status": "compliant", "as_of": "2025-07-30"},
                       {"identifier": "TAX-1", "status": "peut-être", "as_of": "2025-07-30"}]}  # fmt: skip
    refused = tax.post("/api/v1/suppliers/tax-compliance/", json.dumps(bad), content_type="application/json")
    assert refused.status_code == 422
    assert {e["pointer"] for e in refused.json()["errors"]} == {"body.reports.1.identifier", "body.reports.2.status"}
    supplier.refresh_from_db()
    assert supplier.tax_status == TaxStatus.UNKNOWN and not supplier.tax_reports.exists()
    answer = tax.post("/api/v1/suppliers/tax-compliance/", json.dumps(good), content_type="application/json")
    assert answer.status_code == 201 and answer.json() == {"reports": 1, "statuses_changed": 1}
    supplier.refresh_from_db()
    assert supplier.tax_status == TaxStatus.NON_COMPLIANT
    # A system without the scope may not.
    other = system_bearer(make_system(gov, ["procurement:write"], name="آخر"))
    assert (
        other.post("/api/v1/suppliers/tax-compliance/", json.dumps(good), content_type="application/json").status_code
        == 403
    )
    assert Supplier.objects.get(pk=supplier.pk).tax_reports.count() == 1
